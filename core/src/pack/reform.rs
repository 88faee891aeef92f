//! A reform as handed to [`crate::Engine::with_reform`]: its text (TOML) and where it came
//! from. It is checked against the pack when applied, like a pack file (`file:line:col`).

use serde_json::Value;

use crate::codes::Code;
use crate::error::Error;

/// A reform: a small overlay on a pack (parameter values, parts of rules), as TOML text.
///
/// ```toml
/// [reform]
/// id = "htx-min-7"
/// title = { vi = "HTX cần ít nhất 7 thành viên từ 01/7/2024", en = "An HTX needs 7 members from 2024-07-01" }
/// cite = { document = "Dự thảo sửa đổi Luật HTX", section = "Điều 4 khoản 7", wording = "ít nhất 07 thành viên chính thức" }
///
/// [[parameter]]
/// name = "htx_min_members"
/// values = [{ from = "2024-07-01", value = 7 }]
///
/// [[rule]]
/// name = "many_female_jobs"
/// when = "rule.female_labour_share >= param.many_jobs_threshold"
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reform {
    /// Where it came from (a file path, or `reform` for one built from JSON): diagnostics
    /// name it.
    pub file: String,
    /// The TOML text.
    pub text: String,
}

/// How deep a JSON reform may nest (a reform is a few tables of scalars).
const JSON_DEPTH: usize = 16;

impl Reform {
    /// A reform written in TOML; `file` is the name diagnostics give it.
    pub fn from_toml(file: impl Into<String>, text: impl Into<String>) -> Reform {
        Reform {
            file: file.into(),
            text: text.into(),
        }
    }

    /// A reform given as JSON (Python dicts, JavaScript objects): either the TOML file's
    /// shape (`{"reform": {...}, "parameter": [...], "rule": [...]}`) or, for the common case,
    /// parameters only — `{"htx_min_members": [{"from": "2024-07-01", "value": 7}]}` (dated
    /// values) or `{"women_leadership_reading": "leaders"}` (one value on every date) —
    /// which gets the id `reform` and a title naming the parameters.
    ///
    /// ```
    /// use htx_rules::{Engine, pack::Reform};
    /// let r = Reform::from_json(&serde_json::json!({"htx_min_members": [{"from": "2024-07-01", "value": 7}]})).unwrap();
    /// let engine = Engine::embedded().unwrap().with_reform(&r).unwrap();
    /// assert_eq!(engine.reforms()[0].id, "reform");
    /// ```
    pub fn from_json(value: &Value) -> Result<Reform, Error> {
        let Value::Object(map) = value else {
            return Err(json_error(
                "cải cách cần là một đối tượng JSON",
                "a reform must be a JSON object",
            ));
        };
        let mut out = String::new();
        if map.contains_key("reform") {
            // the file's shape: tables first, then arrays of tables
            for (k, v) in map {
                match v {
                    Value::Object(_) => {
                        out.push_str(&format!("[{}]\n", key(k)));
                        table_body(&mut out, v)?;
                    }
                    Value::Array(items) if items.iter().all(Value::is_object) => {
                        for it in items {
                            out.push_str(&format!("[[{}]]\n", key(k)));
                            table_body(&mut out, it)?;
                        }
                    }
                    _ => {
                        out.push_str(&format!("{} = ", key(k)));
                        inline(&mut out, v, 0)?;
                        out.push('\n');
                    }
                }
                out.push('\n');
            }
        } else {
            if map.is_empty() {
                return Err(json_error(
                    "cải cách không có tham số nào",
                    "the reform names no parameter",
                ));
            }
            let names: Vec<&str> = map.keys().map(String::as_str).collect();
            let list = names.join(", ");
            out.push_str("[reform]\nid = \"reform\"\n");
            out.push_str(&format!(
                "title = {{ vi = {}, en = {} }}\n",
                quote(&format!("Cải cách giả định: {list}")),
                quote(&format!("Hypothetical reform: {list}")),
            ));
            out.push_str(&format!(
                "cite = {{ document = \"Giả định / hypothetical\", section = {} }}\n\n",
                quote(&list)
            ));
            for (name, v) in map {
                out.push_str("[[parameter]]\n");
                out.push_str(&format!("name = {}\n", quote(name)));
                match v {
                    Value::Array(items) if items.iter().all(Value::is_object) => {
                        out.push_str("values = ");
                        inline(&mut out, v, 0)?;
                    }
                    _ => {
                        out.push_str("value = ");
                        inline(&mut out, v, 0)?;
                    }
                }
                out.push_str("\n\n");
            }
        }
        Ok(Reform::from_toml("reform", out))
    }
}

fn json_error(vi: &str, en: &str) -> Error {
    Error::invalid_input(Code::InputJson, msg!(vi: vi, en: en))
}

/// A TOML basic string: JSON's escapes are all TOML escapes too.
fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// A key, quoted (any text is a valid quoted key).
fn key(s: &str) -> String {
    quote(s)
}

fn table_body(out: &mut String, v: &Value) -> Result<(), Error> {
    if let Value::Object(m) = v {
        for (k, x) in m {
            out.push_str(&format!("{} = ", key(k)));
            inline(out, x, 1)?;
            out.push('\n');
        }
    }
    Ok(())
}

/// A value inline (inline tables, arrays), at most [`JSON_DEPTH`] deep; `null` has no TOML form.
fn inline(out: &mut String, v: &Value, depth: usize) -> Result<(), Error> {
    if depth > JSON_DEPTH {
        return Err(json_error(
            "cải cách lồng quá sâu",
            "the reform is nested too deeply",
        ));
    }
    match v {
        Value::Null => {
            return Err(json_error(
                "cải cách không dùng được giá trị null",
                "a reform cannot hold a null value",
            ))
        }
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        // a whole number as it is; any other as its text (a TOML float is refused as inexact,
        // the text "0.7" is the exact decimal)
        Value::Number(n) if n.is_i64() || n.is_u64() => out.push_str(&n.to_string()),
        Value::Number(n) => out.push_str(&quote(&n.to_string())),
        Value::String(s) => out.push_str(&quote(s)),
        Value::Array(items) => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                inline(out, x, depth + 1)?;
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push_str("{ ");
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&format!("{} = ", key(k)));
                inline(out, x, depth + 1)?;
            }
            out.push_str(" }");
        }
    }
    Ok(())
}
