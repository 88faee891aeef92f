//! Framing on one thread and decoding on another gives what reading in one pass gives: the
//! same records, the same errors (file, line, column, record, code, message), the same notes,
//! on random JSON, JSON Lines and CSV inputs, broken ones included.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use htx_rules::read::{Format, RawChunk};
use htx_rules::{BatchNotes, Engine, Options};
use proptest::prelude::*;

fn engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| Engine::embedded().unwrap())
}

fn show(item: htx_rules::read::ReadItem) -> String {
    match item {
        Ok((loc, d)) => format!("{loc:?} {d:?}"),
        Err(e) => format!("ERR {e:?}"),
    }
}

/// One pass: the reader decodes as it frames.
fn one_pass(text: &[u8], format: Format, o: Options) -> (Vec<String>, BatchNotes) {
    let batch = engine().batch("cooperative", o).unwrap();
    let mut r = batch.reader(text, format, "in");
    let out = r.by_ref().map(show).collect();
    (out, r.notes())
}

/// Framed in chunks of `records` records (or `bytes` bytes), each chunk decoded with a batch of
/// its own, the batches added back in order (what `htx-rules eval` does on its workers).
fn framed(
    text: &[u8],
    format: Format,
    o: Options,
    records: usize,
    bytes: usize,
) -> (Vec<String>, BatchNotes) {
    let batch = engine().batch("cooperative", o).unwrap();
    let mut seen = batch.split();
    let mut r = batch.reader(text, format, "in");
    let mut chunks: Vec<RawChunk<'_>> = Vec::new();
    while let Some(c) = r.next_chunk(records, bytes) {
        assert!(!c.is_empty() && c.len() <= records.max(1));
        chunks.push(c);
    }
    let mut out = Vec::new();
    // decoded after all the framing (as a worker may, long after): nothing depends on the
    // framer's state any more
    let worker = engine().batch("cooperative", o).unwrap();
    for c in chunks {
        let mut part = worker.split();
        c.decode(&mut part, |_, item| out.push(show(item)));
        seen.absorb(part);
    }
    let mut b = r.into_batch();
    b.absorb(seen);
    (out, b.notes())
}

/// Pieces records are made of, good and broken.
fn json_record() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just(r#"{"id": "a", "kind": "htx", "members": {"total": 9, "female": 6}}"#.to_string()),
        2 => Just("{\n  \"id\": \"p\",\n  \"kind\": \"tht\",\n  \"workers\": {\"total\": 10, \"female\": 7}\n}".to_string()),
        1 => Just(r#"{"id": "b", "kind": 5}"#.to_string()),
        1 => Just(r#"{"id": "c", "memebrs": {"total": 3}, "zzz": 1}"#.to_string()),
        1 => Just(r#"{"id": "s", "name": "a } ] { [ \" \\ \u00e9 Hợp tác xã"}"#.to_string()),
        1 => Just(r#"{"id": "d", "kind": "htx""#.to_string()),
        1 => Just("{\n  \"id\": \"e\",\n  \"kind\": \"htx\",\n".to_string()),
        1 => Just(r#"{"id": "n", "members": {"total": NaN}}"#.to_string()),
        1 => Just(r#"{"id": "x", "id": "y"}"#.to_string()),
        1 => Just("42".to_string()),
        1 => Just("[1, 2]".to_string()),
        1 => Just("\"text\"".to_string()),
        1 => Just("{\"a\": [\n{\"b\": 1}\n]}".to_string()),
        1 => Just("{\"id\": \"\u{1}\"}".to_string()),
        1 => Just("}".to_string()),
        1 => Just(r#"{"id": "u", "name": "unclosed}"#.to_string()),
    ]
}

fn json_input() -> impl Strategy<Value = (Vec<u8>, Format)> {
    (
        prop::collection::vec((json_record(), 0..4usize), 0..24),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        0..3usize,
    )
        .prop_map(|(recs, lines, bom, bad_utf8, array)| {
            let mut t = Vec::new();
            if bom {
                t.extend_from_slice(b"\xEF\xBB\xBF");
            }
            let as_array = !lines && array > 0;
            if as_array {
                t.extend_from_slice(b"[\n");
            }
            for (i, (r, sep)) in recs.iter().enumerate() {
                if as_array && i > 0 && *sep != 3 {
                    t.extend_from_slice(b",");
                }
                t.extend_from_slice(match sep {
                    0 | 3 => b"\n",
                    1 => b"\n\n  ",
                    _ => b" ",
                });
                if bad_utf8 && i == 2 {
                    t.extend_from_slice(b"{\"id\": \"\xFF\xFE\"}\n");
                }
                t.extend_from_slice(r.as_bytes());
            }
            if as_array && array == 1 {
                t.extend_from_slice(b"\n]\n");
            }
            (
                t,
                if lines {
                    Format::JsonLines
                } else {
                    Format::Json
                },
            )
        })
}

fn csv_input() -> impl Strategy<Value = Vec<u8>> {
    let row = prop_oneof![
        4 => Just("a1,htx,9,6".to_string()),
        1 => Just("a2,tht,,".to_string()),
        1 => Just("\"a3, x\",htx,\"1\"\"0\",5".to_string()),
        1 => Just("a4,htx,9".to_string()),
        1 => Just("\"a5\nb\",htx,9,6".to_string()),
        1 => Just("a6,\"open,9,6".to_string()),
        1 => Just("a7,htx,x,6".to_string()),
        1 => Just("".to_string()),
    ];
    (
        prop::collection::vec(row, 0..20),
        prop_oneof![
            Just("id,kind,members.total,members.female"),
            Just("id,kind,memebrs.total,zz"),
        ],
    )
        .prop_map(|(rows, header)| {
            let mut t = format!("{header}\n");
            for r in rows {
                t.push_str(&r);
                t.push('\n');
            }
            t.into_bytes()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn json_framed_then_decoded_is_read_in_one_pass(
        (text, format) in json_input(),
        records in 1..6usize,
        bytes in prop_oneof![Just(1usize), Just(64), Just(1 << 20)],
        strict in any::<bool>(),
    ) {
        let mut o = Options::default();
        o.strict = strict;
        let one = one_pass(&text, format, o);
        let two = framed(&text, format, o, records, bytes);
        prop_assert_eq!(one, two);
    }

    #[test]
    fn csv_framed_then_decoded_is_read_in_one_pass(
        text in csv_input(),
        records in 1..6usize,
    ) {
        let o = Options::default();
        prop_assert_eq!(one_pass(&text, Format::Csv, o), framed(&text, Format::Csv, o, records, 1 << 20));
    }
}

#[test]
fn a_record_whose_end_depends_on_its_decoding_is_read_the_same() {
    // the first record is not closed: the next line starts a record, read on its own
    let text = b"{\"id\": \"a\", \"kind\": \n{\"id\": \"b\", \"kind\": \"htx\"}\n{\"id\": \"c\"}\n";
    let one = one_pass(text, Format::JsonLines, Options::default());
    assert_eq!(one.0.len(), 3, "{:?}", one.0);
    assert!(one.0[0].starts_with("ERR"));
    assert_eq!(
        one,
        framed(text, Format::JsonLines, Options::default(), 2, 1 << 20)
    );
}

#[test]
fn notes_of_split_batches_are_those_of_one_batch() {
    let text = b"{\"id\": \"a\", \"memebrs\": 1}\n{\"id\": \"b\", \"zzz\": 1}\n{\"id\": \"c\", \"memebrs\": 2, \"zzz\": 2}\n";
    let (_, notes) = framed(text, Format::JsonLines, Options::default(), 1, 1 << 20);
    assert_eq!(notes.records, 3);
    assert_eq!(notes.misspelled[0].key, "memebrs");
    assert_eq!(notes.misspelled[0].records, 2);
    assert_eq!(notes.ignored[0].key, "zzz");
    assert_eq!(notes.ignored[0].records, 2);
    assert_eq!(
        notes,
        one_pass(text, Format::JsonLines, Options::default()).1
    );
}
