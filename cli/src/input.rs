//! Reading records: a JSON object, a JSON array, JSON Lines, or CSV with dotted headers.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};

use htx_rules::{Error, Message};
use serde_json::{Map, Value};

/// An input stream and what it is called in messages.
pub struct Source {
    name: String,
    reader: Box<dyn BufRead>,
    csv: bool,
}

/// Opens a file, or standard input for `-` or no name.
pub fn open(file: Option<&str>) -> Result<Source, Error> {
    open_with_progress(file, None)
}

/// The same, moving `progress` along as the file is read (its length is the file's size).
pub fn open_with_progress(
    file: Option<&str>,
    progress: Option<indicatif::ProgressBar>,
) -> Result<Source, Error> {
    match file {
        None | Some("-") => Ok(Source {
            name: "stdin".into(),
            reader: Box::new(BufReader::with_capacity(1 << 16, std::io::stdin())),
            csv: false,
        }),
        Some(f) => {
            let file = File::open(f).map_err(|e| {
                Error::input(
                    "input.read",
                    format!("không mở được {f}: {e}"),
                    format!("cannot open {f}: {e}"),
                )
            })?;
            let reader: Box<dyn BufRead> = match progress {
                Some(pb) => {
                    pb.set_length(file.metadata().map(|m| m.len()).unwrap_or(0));
                    Box::new(BufReader::with_capacity(1 << 16, pb.wrap_read(file)))
                }
                None => Box::new(BufReader::with_capacity(1 << 16, file)),
            };
            Ok(Source {
                name: f.to_string(),
                reader,
                csv: f.to_lowercase().ends_with(".csv"),
            })
        }
    }
}

/// CSV text made in memory (a workbook's sheet), called `name` in messages.
pub fn csv_source(name: String, data: Vec<u8>) -> Source {
    Source {
        name,
        reader: Box::new(std::io::Cursor::new(data)),
        csv: true,
    }
}

fn located(name: &str, e: &serde_json::Error) -> Error {
    Error::from_json_in(name, e)
}

/// Calls `f` on every record of the input, in order.
pub fn for_each_record(
    mut src: Source,
    f: &mut dyn FnMut(Value) -> Result<(), Error>,
) -> Result<(), Error> {
    let first = loop {
        let buf = src.reader.fill_buf().map_err(|e| {
            Error::input(
                "input.read",
                format!("lỗi đọc: {e}"),
                format!("read error: {e}"),
            )
        })?;
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => break buf.get(i).copied(),
            None if buf.is_empty() => break None,
            None => {
                let n = buf.len();
                src.reader.consume(n);
            }
        }
    };
    match first {
        None => Ok(()),
        Some(b'[') if !src.csv => {
            let mut text = String::new();
            src.reader.read_to_string(&mut text).map_err(|e| {
                Error::input(
                    "input.read",
                    format!("lỗi đọc: {e}"),
                    format!("read error: {e}"),
                )
            })?;
            let v: Value = serde_json::from_str(&text).map_err(|e| located(&src.name, &e))?;
            if let Value::Array(items) = v {
                for it in items {
                    f(it)?;
                }
            }
            Ok(())
        }
        Some(b'{') if !src.csv => json_lines(src, f),
        _ => csv_records(src, f),
    }
}

/// JSON Lines, or JSON objects spread over several lines: each value is parsed from an
/// in-memory slice (much faster than parsing from the reader), with lines counted for errors.
fn json_lines(mut src: Source, f: &mut dyn FnMut(Value) -> Result<(), Error>) -> Result<(), Error> {
    let read_err = |e: std::io::Error| {
        Error::input(
            "input.read",
            format!("lỗi đọc: {e}"),
            format!("read error: {e}"),
        )
    };
    let mut buf = String::new();
    let mut line = String::new();
    let mut line_no = 0usize; // lines read so far
    let mut start_line = 1usize; // line where `buf` starts
    loop {
        line.clear();
        let n = src.reader.read_line(&mut line).map_err(read_err)?;
        let eof = n == 0;
        if !eof {
            line_no += 1;
            if buf.trim().is_empty() {
                buf.clear();
                start_line = line_no;
            }
            buf.push_str(&line);
        }
        if buf.trim().is_empty() {
            if eof {
                return Ok(());
            }
            continue;
        }
        match serde_json::from_str::<Value>(&buf) {
            Ok(v) => {
                f(v)?;
                buf.clear();
            }
            // an object spread over several lines: read on
            Err(e) if e.is_eof() && !eof => {}
            Err(e) => {
                // several values on one line, or a real error: let the stream parser decide
                let mut stream = serde_json::Deserializer::from_str(&buf).into_iter::<Value>();
                let mut any = false;
                for item in stream.by_ref() {
                    match item {
                        Ok(v) => {
                            any = true;
                            f(v)?;
                        }
                        Err(e2) if e2.is_eof() && !eof && any => break,
                        Err(e2) => {
                            return Err(located_at(&src.name, &e2, start_line));
                        }
                    }
                }
                let rest = buf.get(stream.byte_offset()..).unwrap_or("").to_string();
                if rest.trim().is_empty() {
                    buf.clear();
                } else if eof {
                    return Err(located_at(&src.name, &e, start_line));
                } else {
                    let consumed = buf
                        .get(..stream.byte_offset())
                        .unwrap_or("")
                        .matches('\n')
                        .count();
                    start_line += consumed;
                    buf = rest;
                }
            }
        }
        if eof {
            return Ok(());
        }
    }
}

/// A JSON error in text that starts at line `first_line` of the input.
fn located_at(name: &str, e: &serde_json::Error, first_line: usize) -> Error {
    let mut err = located(name, e);
    if let Error::Input { line, .. } = &mut err {
        *line += first_line.saturating_sub(1);
    }
    err
}

fn csv_records(src: Source, f: &mut dyn FnMut(Value) -> Result<(), Error>) -> Result<(), Error> {
    let name = src.name.clone();
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(src.reader);
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
