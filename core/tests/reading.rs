//! Readers of files and streams: every record located, a bad record never losing the good
//! ones, nothing silently dropped (issue 9's hostile inputs that are about reading).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use htx_rules::read::{Format, RecordError};
use htx_rules::{Date, Engine, Options};

fn engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| Engine::embedded().unwrap())
}

/// What a reader gives, one line per record: `id`, or `ERR line:col record code`.
fn read(text: &[u8], format: Format) -> Vec<String> {
    read_with(text, format, Options::default()).0
}

fn read_with(text: &[u8], format: Format, o: Options) -> (Vec<String>, htx_rules::BatchNotes) {
    let batch = engine().batch("cooperative", o).unwrap();
    let mut r = batch.reader(text, format, "in");
    let mut out = Vec::new();
    for item in r.by_ref() {
        out.push(match item {
            Ok((loc, d)) => {
                assert_eq!(loc.record, out.len() + 1);
                d.id().unwrap_or("-").to_string()
            }
            Err(RecordError {
                line,
                column,
                record,
                code,
                ..
            }) => format!("ERR {line}:{column} {record} {code}"),
        });
    }
    (out, r.notes())
}

#[test]
fn a_json_array_is_read_element_by_element_with_places() {
    let text = b"[\n  {\"id\": \"a\", \"kind\": \"htx\"},\n  {\"id\": \"b\", \"kind\": 5},\n  7,\n  {\"id\": \"c\"}\n]\n";
    assert_eq!(
        read(text, Format::Json),
        ["a", "b", "ERR 4:3 3 facts.type", "c"]
    );
    let batch = engine().batch("cooperative", Options::default()).unwrap();
    let mut r = batch.reader(&text[..], Format::Json, "in");
    let (loc, _) = r.next().unwrap().unwrap();
    assert_eq!((loc.line, loc.column, loc.record), (2, 3, 1));
    // a wrong type is a field error of a record that is read
    let (_, b) = r.next().unwrap().unwrap();
    assert_eq!(b.errors()[0].field, "/kind");
}

#[test]
fn pretty_printed_objects_and_json_lines_share_one_reader() {
    let pretty = b"{\n  \"id\": \"a\",\n  \"kind\": \"htx\"\n}\n{\n  \"id\": \"b\"\n}\n{\"id\": \"c\"} {\"id\": \"d\"}\n";
    assert_eq!(read(pretty, Format::Json), ["a", "b", "c", "d"]);
    assert_eq!(read(pretty, Format::JsonLines), ["a", "b", "c", "d"]);
    // in JSON Lines a line holding an array is a record that is not an object
    assert_eq!(
        read(b"{\"id\": \"a\"}\n[{\"id\": \"b\"}]\n", Format::JsonLines),
        ["a", "ERR 2:1 2 facts.type"]
    );
    // in a .json file it is a list of records
    assert_eq!(read(b"[{\"id\": \"b\"}]\n", Format::Json), ["b"]);
}

#[test]
fn the_sample_registry_as_one_pretty_object_is_one_record_read_in_one_pass() {
    let text = include_bytes!("../../cli/data/sample-registry.json");
    let (out, notes) = read_with(text, Format::Json, Options::default());
    assert_eq!(out, ["-"]);
    let keys: Vec<&str> = notes.ignored.iter().map(|k| k.key.as_str()).collect();
    assert!(keys.contains(&"cooperatives"), "{keys:?}");
}

#[test]
fn a_malformed_json_line_loses_no_other_record() {
    let mut text = String::new();
    for i in 1..=10_000 {
        if i == 5_000 {
            text.push_str("{\"id\": \"x\", \"kind\": \"htx\", \"workers\": {\"total\": 4}\n");
        } else {
            text.push_str(&format!("{{\"id\": \"r{i}\", \"kind\": \"htx\"}}\n"));
        }
    }
    let out = read(text.as_bytes(), Format::JsonLines);
    assert_eq!(out.len(), 10_000);
    assert_eq!(out[4_998], "r4999");
    assert_eq!(out[4_999], "ERR 5000:1 5000 input.json");
    assert_eq!(out[5_000], "r5001");
    assert_eq!(out.iter().filter(|x| x.starts_with("ERR")).count(), 1);
    // a syntax error inside one line
    let out = read(
        b"{\"id\": \"a\"}\n{\"id\": \"b\",, }\n{\"id\": \"c\"}\n",
        Format::JsonLines,
    );
    assert_eq!(out, ["a", "ERR 2:12 2 input.json", "c"]);
    // a broken element of a pretty-printed array
    let out = read(
        b"[\n  {\"id\": \"a\",\n   \"kind\": },\n  {\"id\": \"b\"}\n]",
        Format::Json,
    );
    assert_eq!(out, ["ERR 3:12 1 input.json", "b"]);
}

#[test]
fn a_byte_order_mark_is_skipped_in_every_format() {
    let bom = "\u{feff}";
    assert_eq!(
        read(format!("{bom}[{{\"id\": \"a\"}}]").as_bytes(), Format::Json),
        ["a"]
    );
    assert_eq!(
        read(
            format!("{bom}{{\"id\": \"a\"}}\n").as_bytes(),
            Format::JsonLines
        ),
        ["a"]
    );
    assert_eq!(
        read(format!("{bom}id,kind\na,htx\n").as_bytes(), Format::Csv),
        ["a"]
    );
}

#[test]
fn invalid_utf8_and_non_objects_are_located() {
    let out = read(
        b"{\"id\": \"a\"}\n{\"id\": \"\xff\xfe\"}\n\"text\"\n42\n{\"id\": \"c\"}\n",
        Format::JsonLines,
    );
    assert_eq!(
        out,
        [
            "a",
            "ERR 2:9 2 input.utf8",
            "ERR 3:1 3 facts.type",
            "ERR 4:1 4 facts.type",
            "c"
        ]
    );
    let out = read(b"id,kind\na,htx\nb\xff,htx\nc,tht\n", Format::Csv);
    assert_eq!(out, ["a", "ERR 3:2 2 input.utf8", "c"]);
}

#[test]
fn csv_cells_are_typed_by_the_schema() {
    let text = "id,kind,workers.total,workers.female,managers,established_on,phone\n\
                00123,htx,40,31,\"[{\"\"role\"\": \"\"director\"\", \"\"gender\"\": \"\"female\"\"}]\",2024-03-15,0275\n\
                007,tht,, ,,,\n";
    let batch = engine().batch("cooperative", Options::default()).unwrap();
    let mut r = batch.reader(text.as_bytes(), Format::Csv, "coops.csv");
    let as_of = Date::parse("2025-06-30").unwrap();
    let (_, a) = r.next().unwrap().unwrap();
    assert_eq!(a.id(), Some("00123"));
    assert!(a.errors().is_empty(), "{:?}", a.errors());
    let ev = r.batch().evaluate(a, as_of);
    assert_eq!(
        ev.decision("women_managed").unwrap().outcome().as_str(),
        "yes"
    );
    assert_eq!(
        ev.decision("many_female_jobs").unwrap().outcome().as_str(),
        "yes"
    );
    let (_, b) = r.next().unwrap().unwrap();
    assert_eq!(b.id(), Some("007"));
    let ev = r.batch().evaluate(b, as_of);
    assert_eq!(
        ev.decision("many_female_jobs").unwrap().missing(),
        ["/workers/female", "/workers/total"]
    );
    assert!(r.next().is_none());
    let notes = r.notes();
    assert_eq!(notes.ignored[0].key, "phone");
    assert_eq!(notes.ignored[0].records, 1);
}

#[test]
fn csv_headers_are_checked_before_any_row() {
    let text = "id,kind,workers_female,workers.total,phone\na,htx,3,4,1\n";
    let batch = engine().batch("cooperative", Options::default()).unwrap();
    let mut r = batch.reader(text.as_bytes(), Format::Csv, "coops.csv");
    let notes = r.header_notes().unwrap();
    assert_eq!(notes.misspelled[0].key, "workers_female");
    assert_eq!(
        notes.misspelled[0].suggestion.as_deref(),
        Some("workers.female")
    );
    assert!(!notes.misspelled[0].message.en.contains("record"));
    let undecided: Vec<&str> = notes
        .undecidable
        .iter()
        .map(|u| u.decision.as_str())
        .collect();
    assert!(undecided.contains(&"many_female_jobs"), "{undecided:?}");
    // a column given by its dotted path is found: the decisions it decides are not named
    let full = "id,kind,workers.female,workers.total\na,htx,3,4\n";
    let batch = engine().batch("cooperative", Options::default()).unwrap();
    let mut r2 = batch.reader(full.as_bytes(), Format::Csv, "coops.csv");
    let n2 = r2.header_notes().unwrap();
    assert!(
        !n2.undecidable
            .iter()
            .any(|u| u.decision == "many_female_jobs"),
        "{:?}",
        n2.undecidable
    );
    assert!(n2.undecidable.iter().any(|u| u.decision == "women_managed"));
    // each row with a value in the misspelled column says so
    let (_, a) = r.next().unwrap().unwrap();
    assert_eq!(a.errors()[0].field, "/workers_female");
    assert_eq!(a.errors()[0].code, "facts.misspelled_field");
    // strict: the other columns too
    let (out, notes) = read_with(text.as_bytes(), Format::Csv, Options::strict());
    assert_eq!(out, ["a"]);
    assert_eq!(notes.refused[0].key, "phone");
}

#[test]
fn csv_quote_left_open_is_an_error_not_half_a_file() {
    // at the end of the file: the rest of the file would be one cell
    let out = read(b"id,kind\na,htx\n\"b,htx\nc,tht\n", Format::Csv);
    assert_eq!(out, ["a", "ERR 3:1 2 input.csv", "c"], "{out:?}");
    // in names, in the middle of 10,000 rows whose other names are quoted: a quote inside a
    // name not written twice, and one that runs on into the next line
    let mut text = String::from("id,name,kind\n");
    for i in 1..=10_000 {
        match i {
            5_000 => text.push_str("r5000,\"Nguyễn Thị \"Hoa\",htx\n"),
            5_001 => text.push_str("r5001,\"Lê Thị Lan, \"\"Út\"\"\n"),
            _ => text.push_str(&format!("r{i},\"Tên {i}\",htx\n")),
        }
    }
    let out = read(text.as_bytes(), Format::Csv);
    assert_eq!(out.len(), 10_000);
    assert_eq!(out[4_998], "r4999");
    assert_eq!(out[4_999], "ERR 5001:7 5000 input.csv");
    assert_eq!(out[5_000], "ERR 5002:7 5001 input.csv");
    assert_eq!(out[5_001], "r5002");
    assert_eq!(out[9_999], "r10000");
    // a cell over two lines, quoted as it should be, is one cell
    let out = read(b"id,name\na,\"Ba Tri,\nBen Tre\"\nb,x\n", Format::Csv);
    assert_eq!(out, ["a", "b"]);
}

#[test]
fn a_csv_row_of_another_width_is_an_error_in_its_place() {
    let mut text = String::from("id,kind\n");
    for i in 1..=10_000 {
        if i == 5_000 {
            text.push_str("x,htx,extra\n");
        } else {
            text.push_str(&format!("r{i},htx\n"));
        }
    }
    let out = read(text.as_bytes(), Format::Csv);
    assert_eq!(out.len(), 10_000);
    assert_eq!(out[4_999], "ERR 5001:1 5000 input.csv");
    assert_eq!(out[5_000], "r5001");
}

#[test]
fn a_record_longer_than_the_limit_is_skipped_and_reading_goes_on() {
    let big = "x".repeat(htx_rules::limits::MAX_RECORD_BYTES + 10);
    let text = format!("{{\"id\": \"a\"}}\n{{\"id\": \"{big}\"}}\n{{\"id\": \"c\"}}\n");
    let out = read(text.as_bytes(), Format::JsonLines);
    assert!(
        out == ["a", "ERR 2:1 2 input.too_large", "c"],
        "{:?}",
        short(&out)
    );
    let text = format!("id,kind\na,htx\n{big},htx\nc,htx\n");
    let out = read(text.as_bytes(), Format::Csv);
    assert!(
        out == ["a", "ERR 3:1 2 input.too_large", "c"],
        "{:?}",
        short(&out)
    );
}

fn short(v: &[String]) -> Vec<String> {
    v.iter().map(|s| s.chars().take(40).collect()).collect()
}

#[test]
fn empty_inputs_have_no_records() {
    assert!(read(b"", Format::Json).is_empty());
    assert!(read(b"  \n", Format::JsonLines).is_empty());
    assert!(read(b"[]", Format::Json).is_empty());
    assert!(read(b"", Format::Csv).is_empty());
    assert!(read(b"id,kind\n", Format::Csv).is_empty());
}

#[test]
fn formats_come_from_names() {
    assert_eq!(Format::from_name("a.json"), Some(Format::Json));
    assert_eq!(Format::from_name("a.ndjson"), Some(Format::JsonLines));
    assert_eq!(Format::from_name("dir/a.CSV"), Some(Format::Csv));
    assert_eq!(Format::from_name("a"), None);
    assert_eq!(Format::parse("jsonl"), Some(Format::JsonLines));
}
