//! Errors: one enum for the library's edge, each with a stable code and a message in
//! Vietnamese and English. Bindings map it once (Python exceptions, JS `Error`s).

use serde::Serialize;

use crate::codes::Code;
use crate::text::{Lang, Message};

/// A problem in a rule pack, located in its file.
#[cfg_attr(feature = "compiled", derive(serde::Deserialize))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The file, as given by the loader.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// Stable code, e.g. `expr.unknown_field` (a [`Code`] as text).
    pub code: String,
    /// What is wrong and what was expected.
    pub message: Message,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file, self.line, self.column, self.code, self.message.en
        )
    }
}

impl Diagnostic {
    /// `file:line:col: code: message` in the given language.
    pub fn render(&self, lang: Lang) -> String {
        format!(
            "{}:{}:{}: {}: {}",
            self.file,
            self.line,
            self.column,
            self.code,
            self.message.get(lang)
        )
    }
}

/// A problem with one fact of a record, located by JSON Pointer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FieldError {
    /// JSON Pointer (RFC 6901) of the field, e.g. `/workers/female`.
    pub field: String,
    /// Stable code, e.g. `facts.type` (a [`Code`] as text, or the code a pack's constraint
    /// rule names, e.g. `workers.female_exceeds_total`).
    pub code: String,
    /// What is wrong and what was expected.
    pub message: Message,
}

/// What kind of error, for mapping at the edges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The rule pack is invalid.
    Pack,
    /// Facts do not fit the schema.
    Facts,
    /// Input text could not be read (JSON, CSV, dates).
    Input,
    /// An unknown entity, rule or name.
    Unknown,
}

/// Every error the library returns.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The pack has problems; all of them are listed.
    #[error("the rule pack has {} problem(s); first: {}", .0.len(), .0.first().map(|d| d.to_string()).unwrap_or_default())]
    Pack(Vec<Diagnostic>),
    /// Facts do not fit the entity's schema.
    #[error("invalid facts: {}", .0.iter().map(|e| format!("{} ({})", e.field, e.message.en)).collect::<Vec<_>>().join("; "))]
    Facts(Vec<FieldError>),
    /// The pack has no such entity.
    #[error("unknown entity `{0}`")]
    UnknownEntity(String),
    /// The pack has no rule, parameter, period or topic of that name.
    #[error("unknown rule `{0}`")]
    UnknownRule(String),
    /// Input text is malformed.
    #[error("{}:{}: {}", .line, .column, .message.en)]
    Input {
        /// 1-based line (0 when not applicable).
        line: usize,
        /// 1-based column (0 when not applicable).
        column: usize,
        /// JSON Pointer or column name, when known.
        field: Option<String>,
        /// Stable code (a [`Code`] as text).
        code: &'static str,
        /// What is wrong.
        message: Message,
    },
}

impl Error {
    /// A stable code for this error.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Pack(_) => Code::PackInvalid.as_str(),
            Error::Facts(_) => Code::FactsInvalid.as_str(),
            Error::UnknownEntity(_) => Code::EntityUnknown.as_str(),
            Error::UnknownRule(_) => Code::RuleUnknown.as_str(),
            Error::Input { code, .. } => code,
        }
    }

    /// The error's kind.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Pack(_) => ErrorKind::Pack,
            Error::Facts(_) => ErrorKind::Facts,
            Error::UnknownEntity(_) | Error::UnknownRule(_) => ErrorKind::Unknown,
            Error::Input { .. } => ErrorKind::Input,
        }
    }

    /// The message in Vietnamese and English.
    pub fn message(&self) -> Message {
        match self {
            Error::Pack(d) => {
                let first = d.first();
                msg!(
                    vi: format!(
                        "Bộ quy tắc có {} lỗi; lỗi đầu tiên: {}",
                        d.len(),
                        first.map(|x| x.render(Lang::Vi)).unwrap_or_default(),
                    ),
                    en: format!(
                        "The rule pack has {} problem(s); first: {}",
                        d.len(),
                        first.map(|x| x.render(Lang::En)).unwrap_or_default(),
                    ),
                )
            }
            Error::Facts(errs) => {
                let list = |lang: Lang| {
                    errs.iter()
                        .map(|e| format!("{}: {}", e.field, e.message.get(lang)))
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                msg!(
                    vi: format!("Dữ liệu không hợp lệ: {}", list(Lang::Vi)),
                    en: format!("Invalid facts: {}", list(Lang::En)),
                )
            }
            Error::UnknownEntity(e) => msg!(
                vi: format!(
                    "Không có đối tượng `{e}` (các đối tượng: cooperative, person, progress, …)",
                ),
                en: format!("Unknown entity `{e}` (entities: cooperative, person, progress, …)"),
            ),
            Error::UnknownRule(r) => {
                msg!(
                    vi: format!("Không có quy tắc, tham số hay mục `{r}`"),
                    en: format!("No rule, parameter or topic named `{r}`"),
                )
            }
            Error::Input {
                line,
                column,
                message,
                ..
            } => {
                if *line > 0 {
                    msg!(
                        vi: format!("dòng {line}, cột {column}: {}", message.vi),
                        en: format!("line {line}, column {column}: {}", message.en),
                    )
                } else {
                    message.clone()
                }
            }
        }
    }

    /// The pack diagnostics (empty unless this is a pack error).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Pack(d) => d,
            _ => &[],
        }
    }

    /// The field errors (empty unless this is a facts error).
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Error::Facts(f) => f,
            _ => &[],
        }
    }

    /// An input error from a `serde_json` error (line and column of the text).
    pub fn from_json(e: &serde_json::Error) -> Error {
        Error::from_json_in("", e)
    }

    /// The same, naming the input (a file name, `stdin`) in the message.
    pub fn from_json_in(source: &str, e: &serde_json::Error) -> Error {
        let msg = e.to_string();
        let en = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        let prefix = if source.is_empty() {
            String::new()
        } else {
            format!("{source}: ")
        };
        Error::Input {
            line: e.line(),
            column: e.column(),
            field: None,
            code: Code::InputJson.as_str(),
            message: msg!(
                vi: format!("{prefix}JSON không hợp lệ: {en}"),
                en: format!("{prefix}invalid JSON: {en}"),
            ),
        }
    }

    /// An input error without position, from its code and message.
    pub fn invalid_input(code: Code, message: Message) -> Error {
        Error::Input {
            line: 0,
            column: 0,
            field: None,
            code: code.as_str(),
            message,
        }
    }

    /// An input error without position, from a code string and the texts in Vietnamese, then
    /// English. Prefer [`Error::invalid_input`] with [`msg!`](crate::msg), which names the
    /// languages; this stays for callers that already use it.
    pub fn input(code: &'static str, vi: impl Into<String>, en: impl Into<String>) -> Error {
        Error::Input {
            line: 0,
            column: 0,
            field: None,
            code,
            message: msg!(vi: vi, en: en),
        }
    }
}
