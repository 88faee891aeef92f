//! Where records come from: a file or standard input, and its format. The records themselves
//! are read by the core (`htx_rules::read`). The registry reading of `report` stays here
//! until the report reads registries in the core.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use htx_rules::read::Format;
use htx_rules::{msg, Code, Error, Message};
use serde_json::{Map, Value};

/// Opens a file, or standard input for `-` or no name, as a byte stream and the name it is
/// called in messages; `progress` (when given) moves along as the file is read.
pub fn open(
    file: Option<&str>,
    progress: Option<indicatif::ProgressBar>,
) -> Result<(Box<dyn Read>, String), Error> {
    match file {
        None | Some("-") => Ok((Box::new(std::io::stdin()), "stdin".into())),
        Some(f) => {
            let file = File::open(f).map_err(|e| {
                Error::invalid_input(
                    Code::InputRead,
                    msg!(vi: format!("không mở được {f}: {e}"), en: format!("cannot open {f}: {e}")),
                )
            })?;
            let reader: Box<dyn Read> = match progress {
                Some(pb) => {
                    pb.set_length(file.metadata().map(|m| m.len()).unwrap_or(0));
                    Box::new(pb.wrap_read(file))
                }
                None => Box::new(file),
            };
            Ok((reader, f.to_string()))
        }
    }
}

/// The format of an input: `--input` when given, else the file name's extension; standard
/// input is JSON (an array, objects, or JSON Lines) unless told otherwise. A file whose name
/// does not tell is an error, never a guess.
pub fn format(file: Option<&str>, explicit: Option<Format>) -> Result<Format, Error> {
    if let Some(f) = explicit {
        return Ok(f);
    }
    match file {
        None | Some("-") => Ok(Format::Json),
        Some(f) => Format::from_name(f).ok_or_else(|| {
            Error::invalid_input(
                Code::InputFormat,
                msg!(
                    vi: format!("không biết định dạng của {f} (đuôi .json, .jsonl, .ndjson hay .csv): dùng --input json|jsonl|csv"),
                    en: format!("cannot tell the format of {f} from its name (.json, .jsonl, .ndjson or .csv): use --input json|jsonl|csv"),
                ),
            )
        }),
    }
}

/// A file of a registry folder, as a byte stream.
fn open_file(p: &Path) -> Result<Box<dyn BufRead>, Error> {
    let f = File::open(p).map_err(|e| {
        Error::invalid_input(
            Code::InputRead,
            msg!(
                vi: format!("không mở được {}: {e}", p.display()),
                en: format!("cannot open {}: {e}", p.display()),
            ),
        )
    })?;
    Ok(Box::new(BufReader::with_capacity(1 << 16, f)))
}

// The registry folder's CSV reading below belongs to `report`, whose registry reading moves
// into the core (the report's own work); records for `eval` and `validate` are read by
// `htx_rules::read`.
fn csv_records(
    name: &str,
    src: Box<dyn BufRead>,
    f: &mut dyn FnMut(Value) -> Result<(), Error>,
) -> Result<(), Error> {
    let name = name.to_string();
    let mut rdr = csv::ReaderBuilder::new().flexible(false).from_reader(src);
    let headers = rdr
        .headers()
        .map_err(|e| csv_error(&name, &e))?
        .iter()
        .map(|h| h.trim().split('.').map(str::to_string).collect::<Vec<_>>())
        .collect::<Vec<_>>();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| csv_error(&name, &e))?;
        let mut obj = Map::new();
        for (path, cell) in headers.iter().zip(rec.iter()) {
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            let value = cell_value(cell);
            insert_path(&mut obj, path, value);
        }
        f(Value::Object(obj))?;
    }
    Ok(())
}

fn csv_error(name: &str, e: &csv::Error) -> Error {
    let (line, column) = e
        .position()
        .map(|p| (usize::try_from(p.line()).unwrap_or(0), 1))
        .unwrap_or((0, 0));
    Error::Input {
        line,
        column,
        field: None,
        code: "input.csv",
        message: Message::new(
            format!("{name}: CSV không hợp lệ: {e}"),
            format!("{name}: invalid CSV: {e}"),
        ),
    }
}

/// A CSV cell as JSON: booleans, whole numbers, JSON lists/objects, else text (decimals stay
/// text so they are read exactly).
fn cell_value(cell: &str) -> Value {
    match cell {
        "true" | "TRUE" | "True" => return Value::Bool(true),
        "false" | "FALSE" | "False" => return Value::Bool(false),
        _ => {}
    }
    if cell.starts_with('[') || cell.starts_with('{') {
        if let Ok(v) = serde_json::from_str(cell) {
            return v;
        }
    }
    if let Ok(i) = cell.parse::<i64>() {
        return Value::from(i);
    }
    Value::String(cell.to_string())
}

fn insert_path(obj: &mut Map<String, Value>, path: &[String], v: Value) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        obj.insert(first.clone(), v);
        return;
    }
    let entry = obj
        .entry(first.clone())
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(m) = entry {
        insert_path(m, rest, v);
    }
}

/// Reads a registry: a JSON file, or a folder with `cooperatives.csv` (dotted headers; the
/// programme's fields under `programme.`), `union_officials.csv` and `persons.csv`.
pub fn read_registry(p: &Path) -> Result<Value, Error> {
    if p.is_dir() {
        let mut reg = Map::new();
        for (key, file) in [
            ("cooperatives", "cooperatives.csv"),
            ("union_officials", "union_officials.csv"),
            ("persons", "persons.csv"),
        ] {
            let path = p.join(file);
            if !path.exists() {
                continue;
            }
            let src = open_file(&path)?;
            let mut rows = Vec::new();
            csv_records(&path.to_string_lossy(), src, &mut |v| {
                rows.push(v);
                Ok(())
            })?;
            reg.insert(key.into(), Value::Array(rows));
        }
        if let Ok(meta) = std::fs::read_to_string(p.join("registry.json")) {
            if let Ok(Value::Object(m)) = serde_json::from_str::<Value>(&meta) {
                for (k, v) in m {
                    reg.entry(k).or_insert(v);
                }
            }
        }
        return Ok(Value::Object(reg));
    }
    let text = std::fs::read_to_string(p).map_err(|e| {
        Error::input(
            "input.read",
            format!("không đọc được {}: {e}", p.display()),
            format!("cannot read {}: {e}", p.display()),
        )
    })?;
    serde_json::from_str(&text).map_err(|e| Error::from_json_in(&p.display().to_string(), &e))
}
