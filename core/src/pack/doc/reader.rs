//! The reader under the pack file shapes: walks the TOML parser's spanned tree, takes a
//! table's keys by name, reports missing, unknown and wrongly typed keys with their spans.

use std::fmt;
use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::CiteDoc;
use crate::codes::Code;
use crate::pack::source::count;
use crate::text::Message;

/// A problem found while reading a pack file.
pub(crate) struct ReadError {
    pub span: Range<usize>,
    pub code: Code,
    pub message: Message,
}

/// A TOML value, owned, for the places where any value may stand.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum TVal {
    String(String),
    Integer(i64),
    Float(f64),
    Boolean(bool),
    Datetime(String),
    Array(Vec<TVal>),
    Table(Vec<(String, TVal)>),
}

impl fmt::Display for TVal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TVal::String(s) => write!(f, "{s:?}"),
            TVal::Integer(i) => write!(f, "{i}"),
            TVal::Float(x) => write!(f, "{x}"),
            TVal::Boolean(b) => write!(f, "{b}"),
            TVal::Datetime(d) => write!(f, "{d}"),
            TVal::Array(items) => {
                write!(f, "[")?;
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{it}")?;
                }
                write!(f, "]")
            }
            TVal::Table(_) => write!(f, "{{…}}"),
        }
    }
}

impl TVal {
    pub(super) fn of(v: &DeValue<'_>) -> TVal {
        match v {
            DeValue::String(s) => TVal::String(s.to_string()),
            DeValue::Integer(i) => {
                TVal::Integer(i64::from_str_radix(i.as_str(), i.radix()).unwrap_or(i64::MAX))
            }
            DeValue::Float(x) => TVal::Float(x.as_str().parse().unwrap_or(f64::NAN)),
            DeValue::Boolean(b) => TVal::Boolean(*b),
            DeValue::Datetime(d) => TVal::Datetime(d.to_string()),
            DeValue::Array(a) => TVal::Array(a.iter().map(|x| TVal::of(x.get_ref())).collect()),
            DeValue::Table(t) => TVal::Table(
                t.iter()
                    .map(|(k, v)| (k.get_ref().to_string(), TVal::of(v.get_ref())))
                    .collect(),
            ),
        }
    }

    /// As JSON (facts of test cases); floats stay binary here, as in any JSON input.
    pub(crate) fn to_json(&self) -> serde_json::Value {
        match self {
            TVal::String(s) | TVal::Datetime(s) => serde_json::Value::String(s.clone()),
            TVal::Integer(i) => serde_json::Value::from(*i),
            TVal::Float(x) => serde_json::Number::from_f64(*x)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            TVal::Boolean(b) => serde_json::Value::Bool(*b),
            TVal::Array(a) => serde_json::Value::Array(a.iter().map(TVal::to_json).collect()),
            TVal::Table(t) => {
                serde_json::Value::Object(t.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
        }
    }
}

fn kind(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

fn kind_vi(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "một chuỗi",
        DeValue::Integer(_) => "một số nguyên",
        DeValue::Float(_) => "một số thực",
        DeValue::Boolean(_) => "một giá trị đúng/sai",
        DeValue::Datetime(_) => "một ngày giờ",
        DeValue::Array(_) => "một mảng",
        DeValue::Table(_) => "một bảng",
    }
}

pub(super) type SV<'t, 'i> = &'t Spanned<DeValue<'i>>;

/// Reads one table: fields are taken by name; what is left over is an unknown field.
pub(super) struct Obj<'t, 'i> {
    pub(super) t: &'t DeTable<'i>,
    pub(super) span: Range<usize>,
    pub(super) seen: Vec<&'static str>,
}

/// Collects the problems found while reading one file.
pub(super) struct Reader {
    pub(super) errors: Vec<ReadError>,
    /// The most items a list may have ([`crate::limits::PackLimits::list_items`]).
    pub(super) max_items: usize,
    /// The most fields a record may have ([`crate::limits::PackLimits::fields`]).
    pub(super) max_fields: usize,
    /// The most `let`s a rule may have ([`crate::limits::PackLimits::lets`]).
    pub(super) max_lets: usize,
}

impl Reader {
    /// A reader of one file within `limits`, no problem found yet.
    pub(super) fn new(limits: &crate::limits::PackLimits) -> Reader {
        Reader {
            errors: Vec::new(),
            max_items: limits.list_items,
            max_fields: limits.fields,
            max_lets: limits.lets,
        }
    }

    /// The file's TOML, or its syntax error (with its span).
    pub(super) fn parse(
        text: &str,
    ) -> Result<toml::Spanned<toml::de::DeTable<'_>>, Vec<ReadError>> {
        toml::de::DeTable::parse(text).map_err(|e| {
            let msg = e.message().trim().to_string();
            vec![ReadError {
                span: e.span().unwrap_or(0..0),
                code: crate::codes::Code::PackSyntax,
                message: crate::msg!(vi: format!("tệp TOML không hợp lệ: {msg}"), en: msg),
            }]
        })
    }

    /// Reports a list longer than [`Reader::max_items`].
    fn too_long(&mut self, span: Range<usize>, len: usize) {
        let max = self.max_items as u64;
        self.err(
            span,
            Code::PackLimit,
            msg!(
                vi: format!(
                    "danh sách quá dài: {} phần tử; tối đa {}",
                    count(len as u64, true),
                    count(max, true),
                ),
                en: format!(
                    "the list is too long: {} items; at most {}",
                    count(len as u64, false),
                    count(max, false),
                ),
            ),
        );
    }
    /// Whether `n` things of a kind (fields, `let`s) are within `max`; reports it when not.
    pub(super) fn within(
        &mut self,
        span: Range<usize>,
        n: usize,
        max: usize,
        what: Message,
    ) -> bool {
        if n <= max {
            return true;
        }
        self.err(
            span,
            Code::PackLimit,
            msg!(
                vi: format!("quá nhiều {}: {}; tối đa {}", what.vi, count(n as u64, true), count(max as u64, true)),
                en: format!("too many {}: {}; at most {}", what.en, count(n as u64, false), count(max as u64, false)),
            ),
        );
        false
    }
    /// Whether every array in `v` (however nested) is within [`Reader::max_items`]; reports
    /// the first one that is not. Iterative (TOML's own parser caps nesting at 80 anyway).
    pub(super) fn lists_within(&mut self, v: SV<'_, '_>) -> bool {
        let mut stack = vec![v];
        while let Some(x) = stack.pop() {
            match x.get_ref() {
                DeValue::Array(a) => {
                    if a.len() > self.max_items {
                        self.too_long(x.span(), a.len());
                        return false;
                    }
                    stack.extend(a.iter());
                }
                DeValue::Table(t) => stack.extend(t.iter().map(|(_, v)| v)),
                _ => {}
            }
        }
        true
    }
    pub(super) fn err(&mut self, span: Range<usize>, code: Code, message: Message) {
        self.errors.push(ReadError {
            span,
            code,
            message,
        });
    }
    /// Reports a value of the wrong TOML type; `want` says what was expected.
    pub(super) fn wrong(&mut self, v: SV<'_, '_>, want: Message) {
        let (k, kv) = (kind(v.get_ref()), kind_vi(v.get_ref()));
        let (want_vi, want_en) = (want.vi, want.en);
        self.err(
            v.span(),
            Code::PackSchema,
            msg!(
                vi: format!("sai kiểu: {kv}, cần {want_vi}"),
                en: format!("invalid type: {k}, expected {want_en}"),
            ),
        );
    }
    pub(super) fn obj<'t, 'i>(&mut self, v: SV<'t, 'i>) -> Option<Obj<'t, 'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(Obj {
                t,
                span: v.span(),
                seen: Vec::new(),
            }),
            _ => {
                self.wrong(v, msg!(vi: "một bảng", en: "a table"));
                None
            }
        }
    }
    pub(super) fn string(&mut self, v: SV<'_, '_>) -> Option<Spanned<String>> {
        match v.get_ref() {
            DeValue::String(s) => Some(Spanned::new(v.span(), s.to_string())),
            _ => {
                self.wrong(v, msg!(vi: "một chuỗi", en: "a string"));
                None
            }
        }
    }
    pub(super) fn message(&mut self, v: SV<'_, '_>) -> Option<Message> {
        let mut o = self.obj(v)?;
        let vi = o.req(self, "vi").and_then(|x| self.string(x));
        let en = o.req(self, "en").and_then(|x| self.string(x));
        o.finish(self);
        Some(Message {
            vi: vi?.into_inner(),
            en: en?.into_inner(),
        })
    }
    pub(super) fn cite(&mut self, v: SV<'_, '_>) -> Option<CiteDoc> {
        let mut o = self.obj(v)?;
        let document = o.req(self, "document").and_then(|x| self.string(x));
        let section = o.req(self, "section").and_then(|x| self.string(x));
        let wording = o.opt_str(self, "wording");
        o.finish(self);
        Some(CiteDoc {
            document: document?.into_inner(),
            section: section?.into_inner(),
            wording: wording.map(Spanned::into_inner),
        })
    }
    /// An array of at most [`Reader::max_items`] items.
    pub(super) fn array<'t, 'i>(&mut self, v: SV<'t, 'i>) -> Option<&'t [Spanned<DeValue<'i>>]> {
        match v.get_ref() {
            DeValue::Array(a) if a.len() > self.max_items => {
                self.too_long(v.span(), a.len());
                None
            }
            DeValue::Array(a) => Some(a),
            _ => {
                self.wrong(v, msg!(vi: "một mảng", en: "an array"));
                None
            }
        }
    }
    pub(super) fn strings(&mut self, v: SV<'_, '_>) -> Option<Vec<Spanned<String>>> {
        let a = self.array(v)?;
        let out: Vec<_> = a.iter().filter_map(|x| self.string(x)).collect();
        (out.len() == a.len()).then_some(out)
    }
    /// An array of tables, each read by `f`; bad items are reported and skipped.
    pub(super) fn tables<T>(
        &mut self,
        v: SV<'_, '_>,
        f: fn(&mut Reader, SV<'_, '_>) -> Option<T>,
    ) -> Vec<T> {
        match self.array(v) {
            Some(a) => a.iter().filter_map(|x| f(self, x)).collect(),
            None => Vec::new(),
        }
    }
    /// A top-level array of tables (`[[rule]]`, `[[test]]`…): not a list in the sense of
    /// [`Reader::max_items`]; the pack's bytes and rules are capped instead.
    pub(super) fn top_tables<T>(
        &mut self,
        v: SV<'_, '_>,
        f: fn(&mut Reader, SV<'_, '_>) -> Option<T>,
    ) -> Vec<T> {
        match v.get_ref() {
            DeValue::Array(a) => a.iter().filter_map(|x| f(self, x)).collect(),
            _ => {
                self.wrong(v, msg!(vi: "một mảng", en: "an array"));
                Vec::new()
            }
        }
    }
}

impl<'t, 'i> Obj<'t, 'i> {
    pub(super) fn get(&mut self, key: &'static str) -> Option<SV<'t, 'i>> {
        self.seen.push(key);
        self.t.get(key)
    }
    pub(super) fn req(&mut self, r: &mut Reader, key: &'static str) -> Option<SV<'t, 'i>> {
        let v = self.get(key);
        if v.is_none() {
            r.err(
                self.span.clone(),
                Code::PackSchema,
                msg!(vi: format!("thiếu trường `{key}`"), en: format!("missing field `{key}`")),
            );
        }
        v
    }
    pub(super) fn opt_str(&mut self, r: &mut Reader, key: &'static str) -> Option<Spanned<String>> {
        self.get(key).and_then(|v| r.string(v))
    }
    pub(super) fn req_str(&mut self, r: &mut Reader, key: &'static str) -> Option<Spanned<String>> {
        self.req(r, key).and_then(|v| r.string(v))
    }
    pub(super) fn opt_msg(&mut self, r: &mut Reader, key: &'static str) -> Option<Message> {
        self.get(key).and_then(|v| r.message(v))
    }
    pub(super) fn opt_bool(&mut self, r: &mut Reader, key: &'static str) -> Option<bool> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                r.wrong(v, msg!(vi: "giá trị đúng/sai", en: "a boolean"));
                None
            }
        }
    }
    /// Any value, its lists within [`Reader::max_items`].
    pub(super) fn any(&mut self, r: &mut Reader, key: &'static str) -> Option<Spanned<TVal>> {
        self.get(key)
            .filter(|v| r.lists_within(v))
            .map(|v| Spanned::new(v.span(), TVal::of(v.get_ref())))
    }
    pub(super) fn req_any(&mut self, r: &mut Reader, key: &'static str) -> Option<Spanned<TVal>> {
        self.req(r, key)
            .filter(|v| r.lists_within(v))
            .map(|v| Spanned::new(v.span(), TVal::of(v.get_ref())))
    }
    /// Reports the keys nobody asked for.
    pub(super) fn finish(self, r: &mut Reader) {
        for (k, _) in self.t.iter() {
            let key = k.get_ref().as_ref();
            if !self.seen.contains(&key) {
                r.err(
                    k.span(),
                    Code::PackSchema,
                    msg!(
                        vi: format!(
                            "trường không hợp lệ `{key}`, cần một trong `{}`",
                            self.seen.join("`, `"),
                        ),
                        en: format!(
                            "unknown field `{key}`, expected one of `{}`",
                            self.seen.join("`, `"),
                        ),
                    ),
                );
            }
        }
    }
}
