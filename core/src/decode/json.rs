//! Decoding a record straight from JSON into slots: one serde [`DeserializeSeed`] walks the
//! schema while the JSON is read, so JSON text (`serde_json::Deserializer`) and a
//! `serde_json::Value` (itself a deserializer) go through the same code, with no tree in
//! between for text.
//!
//! What it finds is a field error with its JSON Pointer, and the field is treated as absent:
//! a value of the wrong type or enum value, a duplicate key (the value is not trusted), a
//! non-finite number (`NaN`, `Infinity`, a number too large for a float), nesting deeper than
//! [`MAX_FACT_DEPTH`]. A key the schema does not have is an error when it looks like a field
//! written another way or misspelled (it names the field meant), and otherwise is noted as
//! ignored (an error too when strict). `null` means absent.
//!
//! [`Decoder::root_into`] decodes over a record decoded before (a batch's last one): slot
//! vectors, nested records and list items are overwritten in place, so a stream of records of
//! one shape allocates nothing for its facts; a field the new record does not give is cleared.

use std::fmt;

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::scalar::{self, mismatch, non_finite, Prim, ScalarErr};
use super::shape::Shape;
use super::Tally;
use crate::codes::Code;
use crate::error::FieldError;
use crate::limits::MAX_FACT_DEPTH;
use crate::model::{Pack, RecordType};
use crate::text::Message;
use crate::value::{Record, Ty, Val};

/// The key of the one-entry object that stands for a non-finite number where JSON has none:
/// `{"\u0000non-finite": "NaN"}`. Readers put it in place of `NaN`, `Infinity` or `1e999`
/// tokens, and bindings in place of a host language's NaN, so the decoder reports the field.
pub const NON_FINITE_KEY: &str = "\u{0}non-finite";

/// Decodes records of one entity; its errors and the keys it did not know accumulate until
/// taken.
pub(crate) struct Decoder<'a, 't> {
    pack: &'a Pack,
    shape: &'a Shape,
    strict: bool,
    pub errors: Vec<FieldError>,
    /// Values as given (their JSON Pointer and how reasons show them) where the fact was
    /// rejected or read from another JSON type (a number given as text): what a reason quotes
    /// when the fact turns out invalid.
    pub given: Vec<(String, String)>,
    tally: &'t mut Tally,
    path: Path<'a>,
    depth: usize,
    /// Whether a fact decoded since [`Decoder::root_into`] began is outside its field's `min` or
    /// `max` (while `false`, `validate::bound_checks` would find nothing in the record).
    pub out_of_bounds: bool,
    /// A record to decode the entity's record over (its allocations reused), and the record
    /// decoded ([`Decoder::root_into`]).
    spare: Option<Record>,
    root_out: Option<Record>,
}

/// A step of the path to the value being decoded.
#[derive(Clone, Copy, Debug)]
enum Seg<'a> {
    Field(&'a str),
    Index(usize),
}

/// Where the decoder is, kept as steps and written as a JSON Pointer only for an error: most
/// records have none, and building pointers for every field was a tenth of the decoding.
struct Path<'a> {
    /// What comes before (a CSV column's pointer).
    prefix: String,
    segs: [Seg<'a>; Path::MAX],
    len: usize,
}

impl<'a> Path<'a> {
    /// Every level of nesting adds at most a field and an index.
    const MAX: usize = 2 * MAX_FACT_DEPTH + 8;

    fn new() -> Path<'a> {
        Path {
            prefix: String::new(),
            segs: [Seg::Index(0); Path::MAX],
            len: 0,
        }
    }
    #[inline]
    fn push(&mut self, seg: Seg<'a>) {
        if let Some(s) = self.segs.get_mut(self.len) {
            *s = seg;
        }
        self.len += 1;
    }
    #[inline]
    fn pop(&mut self) {
        self.len = self.len.saturating_sub(1);
    }
    fn clear(&mut self) {
        self.prefix.clear();
        self.len = 0;
    }
    /// The JSON Pointer of where the decoder is, with `extra` (a key) after it.
    fn pointer(&self, extra: Option<&str>) -> String {
        let mut out = self.prefix.clone();
        for seg in self.segs.iter().take(self.len) {
            match seg {
                Seg::Field(f) => push_segment(&mut out, f),
                Seg::Index(i) => {
                    out.push('/');
                    out.push_str(&i.to_string());
                }
            }
        }
        if let Some(k) = extra {
            push_segment(&mut out, k);
        }
        out
    }
}

/// Appends a JSON Pointer segment (RFC 6901 escapes `~` and `/`), allocating nothing when
/// there is nothing to escape.
pub(crate) fn push_segment(ptr: &mut String, s: &str) {
    ptr.push('/');
    if s.contains(['~', '/']) {
        ptr.push_str(&s.replace('~', "~0").replace('/', "~1"));
    } else {
        ptr.push_str(s);
    }
}

/// Which fields of a record were seen (a duplicate key is the second sighting): in a word
/// for the records of real schemas, in a vector beyond 128 fields.
enum Seen {
    Small(u128),
    Big(Vec<u64>),
}

impl Seen {
    fn new(n: usize) -> Seen {
        if n <= 128 {
            Seen::Small(0)
        } else {
            Seen::Big(vec![0; n.div_ceil(64)])
        }
    }
    fn has(&self, i: usize) -> bool {
        match self {
            Seen::Small(w) => i < 128 && w & (1u128 << i) != 0,
            Seen::Big(v) => v.get(i / 64).is_some_and(|w| w & (1u64 << (i % 64)) != 0),
        }
    }
    /// Marks `i`; true when it was already marked.
    fn mark(&mut self, i: usize) -> bool {
        let was = self.has(i);
        match self {
            Seen::Small(w) if i < 128 => *w |= 1u128 << i,
            Seen::Small(_) => {}
            Seen::Big(v) => {
                if let Some(w) = v.get_mut(i / 64) {
                    *w |= 1u64 << (i % 64);
                }
            }
        }
        was
    }
}

impl<'a, 't> Decoder<'a, 't> {
    pub(crate) fn new(
        pack: &'a Pack,
        shape: &'a Shape,
        strict: bool,
        tally: &'t mut Tally,
    ) -> Decoder<'a, 't> {
        Decoder {
            pack,
            shape,
            strict,
            errors: Vec::new(),
            given: Vec::new(),
            tally,
            path: Path::new(),
            depth: 0,
            out_of_bounds: false,
            spare: None,
            root_out: None,
        }
    }

    fn err(&mut self, code: Code, message: Message) {
        self.errors.push(FieldError {
            field: self.path.pointer(None),
            code: code.into(),
            message,
        });
    }

    fn err_at(&mut self, segment: &str, code: Code, message: Message) {
        self.errors.push(FieldError {
            field: self.path.pointer(Some(segment)),
            code: code.into(),
            message,
        });
    }

    /// Decodes the entity's record from any JSON deserializer (text, or a `Value`): `Ok(None)`
    /// for `null` or a value that is not an object (then an error says so); `Err` only when
    /// the text itself is not JSON. Decoded over `reuse` when given (a record decoded before,
    /// of the same entity): its slot vectors, nested records, lists and texts of the same
    /// length are overwritten in place, so records of the same shape decode without allocating.
    pub(crate) fn root_into<'de, D: serde::Deserializer<'de>>(
        &mut self,
        de: D,
        reuse: Option<Record>,
    ) -> Result<Option<Record>, D::Error> {
        self.spare = reuse;
        self.root_out = None;
        self.tally.records += 1;
        self.path.clear();
        self.depth = 0;
        self.out_of_bounds = false;
        let ty = match self.shape.nodes.first().and_then(|n| n.record) {
            Some(r) => Ty::Rec(r),
            None => return Ok(None),
        };
        let v = de.deserialize_any(ValueSeed {
            d: self,
            ty: &ty,
            node: Some(0),
            reuse: None,
            root: true,
        });
        self.spare = None;
        v?;
        Ok(self.root_out.take())
    }

    /// Decodes one value of type `ty` (a CSV cell holding JSON, a JSON column's value); `node`
    /// is its field in the schema tree when it has one.
    pub(crate) fn value<'de, D: serde::Deserializer<'de>>(
        &mut self,
        ty: &Ty,
        node: Option<usize>,
        de: D,
    ) -> Result<Option<Val>, D::Error> {
        de.deserialize_any(ValueSeed {
            d: self,
            ty,
            node,
            reuse: None,
            root: false,
        })
    }

    /// The JSON Pointer prefix of what is decoded next (a CSV column's path).
    #[cfg_attr(not(feature = "csv"), allow(dead_code))]
    pub(crate) fn set_pointer(&mut self, ptr: &str) {
        self.path.clear();
        self.path.prefix.push_str(ptr);
    }

    fn scalar_result(&mut self, r: Result<Val, ScalarErr>) -> Option<Val> {
        match r {
            Ok(v) => Some(v),
            Err((code, message)) => {
                self.err(code, message);
                None
            }
        }
    }

    fn mark(&mut self, node: Option<usize>) {
        if let (Some(n), Some(p)) = (node, self.tally.present.as_mut()) {
            if let Some(b) = p.get_mut(n) {
                *b = true;
            }
        }
    }

    /// The fields of a record object, read key by key.
    fn record_body<'de, A: MapAccess<'de>>(
        &mut self,
        mut map: A,
        rt: &'a RecordType,
        scope: usize,
        mut rec: Record,
    ) -> Result<Option<Record>, A::Error> {
        if self.depth >= MAX_FACT_DEPTH {
            self.err(
                Code::FactsDepth,
                msg!(vi: "dữ liệu lồng nhau quá sâu", en: "facts nested too deeply"),
            );
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(None);
        }
        self.depth += 1;
        let n = rt.fields.len();
        // the slots of the record decoded over: each field given is decoded over what its
        // slot held, the others cleared at the end
        let mut slots = std::mem::take(&mut rec.slots);
        slots.truncate(n);
        slots.resize_with(n, || None);
        let mut seen = Seen::new(n);
        let mut doubled = Seen::new(n);
        let mut any_doubled = false;
        let mut unknown_seen: Vec<(usize, Option<String>)> = Vec::new();
        // errors come out in the schema's field order, whatever the order of the JSON keys;
        // keys not in the schema come after the fields
        let base = self.errors.len();
        let mut owners: Vec<usize> = Vec::new();
        let node = self.shape.nodes.get(scope);
        // keys usually come in the schema's order: the field after the last one is tried first
        let mut guess = 0usize;
        loop {
            let before = self.errors.len();
            let seed = KeySeed {
                d: self,
                rt,
                scope,
                guess,
            };
            let Some(k) = map.next_key_seed(seed)? else {
                break;
            };
            let owner = match k {
                Key::Field(i) => {
                    guess = i + 1;
                    let Some(f) = rt.fields.get(i) else {
                        map.next_value::<IgnoredAny>()?;
                        continue;
                    };
                    if seen.mark(i) {
                        map.next_value::<IgnoredAny>()?;
                        if !doubled.mark(i) {
                            any_doubled = true;
                            self.err_at(&f.name, Code::FactsDuplicateKey, duplicate(&f.name));
                        }
                    } else {
                        self.path.push(Seg::Field(&f.name));
                        let child = node.and_then(|x| x.fields.get(i)).copied();
                        let old = slots.get_mut(i).and_then(Option::take);
                        let v = map.next_value_seed(ValueSeed {
                            d: self,
                            ty: &f.ty,
                            node: child,
                            reuse: old,
                            root: false,
                        })?;
                        self.path.pop();
                        if let Some(x) = &v {
                            self.out_of_bounds |= outside(f, x);
                        }
                        if let Some(slot) = slots.get_mut(i) {
                            *slot = v;
                        }
                    }
                    i
                }
                Key::Unknown(note, key) => {
                    map.next_value::<IgnoredAny>()?;
                    let entry = (note, key);
                    if unknown_seen.contains(&entry) {
                        let text = entry
                            .1
                            .clone()
                            .or_else(|| self.tally.key_text(note).map(str::to_string));
                        if let Some(k) = text {
                            self.err_at(&k, Code::FactsDuplicateKey, duplicate(&k));
                        }
                    } else {
                        unknown_seen.push(entry);
                    }
                    n
                }
                Key::NonFinite => {
                    // a non-finite number where a record is expected
                    let shown = non_finite_text(map.next_value::<Value>()?);
                    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                    self.depth -= 1;
                    self.errors.truncate(base);
                    let (code, message) = non_finite(&shown);
                    self.err(code, message);
                    return Ok(None);
                }
            };
            owners.extend(std::iter::repeat_n(owner, self.errors.len() - before));
        }
        self.depth -= 1;
        for (i, slot) in slots.iter_mut().enumerate() {
            // a field not given this time (its slot held a previous record's fact), or a key
            // given twice: neither value is trusted
            if !seen.has(i) || (any_doubled && doubled.has(i)) {
                *slot = None;
            }
        }
        if owners.windows(2).any(|w| w.first() > w.get(1)) {
            let tail: Vec<FieldError> = self.errors.drain(base..).collect();
            let mut pairs: Vec<(usize, FieldError)> = owners.into_iter().zip(tail).collect();
            pairs.sort_by_key(|p| p.0);
            self.errors.extend(pairs.into_iter().map(|p| p.1));
        }
        rec.slots = slots;
        Ok(Some(rec))
    }

    /// A key the record type does not have, at record node `scope`.
    fn unknown_key(&mut self, rt: &RecordType, scope: usize, key: &str) -> Key {
        let (note, suggestion) = self.tally.note(self.shape, scope, key);
        let owned = (note == usize::MAX).then(|| key.to_string());
        if let Some((code, message)) =
            unknown_message(self.shape, rt, scope, key, suggestion, self.strict)
        {
            self.err_at(key, code, message);
        }
        Key::Unknown(note, owned)
    }
}

/// The error for a key of record type `rt` (at record node `scope`) that the schema does not
/// have: a misspelled field (`suggestion`, a field node) always, any other key when strict.
pub(crate) fn unknown_message(
    shape: &Shape,
    rt: &RecordType,
    scope: usize,
    key: &str,
    suggestion: Option<usize>,
    strict: bool,
) -> Option<(Code, Message)> {
    match suggestion {
        Some(s) => {
            let n = shape.nodes.get(s)?;
            let (path, label) = (relative(shape, scope, &n.path), n.label.clone());
            Some((
                Code::FactsMisspelledField,
                msg!(
                    vi: format!(
                        "`{key}` không có trong dữ liệu của `{}`; có phải là `{path}` ({})?",
                        rt.name, label.vi,
                    ),
                    en: format!(
                        "`{}` has no field `{key}`; did you mean `{path}` ({})?",
                        rt.name, label.en,
                    ),
                ),
            ))
        }
        None if strict => {
            let known: Vec<_> = rt.fields.iter().map(|f| f.name.as_str()).collect();
            Some((
                Code::FactsUnknownField,
                msg!(
                    vi: format!(
                        "trường `{key}` không có trong `{}` (các trường: {})",
                        rt.name,
                        known.join(", "),
                    ),
                    en: format!(
                        "`{}` has no field `{key}` (fields: {})",
                        rt.name,
                        known.join(", ")
                    ),
                ),
            ))
        }
        None => None,
    }
}

/// Whether fact `v` of field `f` is outside the field's bounds, as
/// `validate::bound_checks` compares them.
#[inline]
fn outside(f: &crate::model::FieldDef, v: &Val) -> bool {
    if f.min.is_none() && f.max.is_none() {
        return false;
    }
    let n = match v {
        Val::Int(i) => rust_decimal::Decimal::from(*i),
        Val::Dec(d) => *d,
        _ => return false,
    };
    f.min.is_some_and(|m| n < m) || f.max.is_some_and(|m| n > m)
}

fn duplicate(name: &str) -> Message {
    msg!(
        vi: format!("khóa `{name}` xuất hiện hai lần trong cùng một đối tượng: không giá trị nào được dùng"),
        en: format!("key `{name}` appears twice in one object: neither value is used"),
    )
}

/// The path of `path` relative to record node `scope`'s path.
fn relative(shape: &Shape, scope: usize, path: &str) -> String {
    let base = shape
        .nodes
        .get(scope)
        .map(|n| n.path.as_str())
        .unwrap_or_default();
    if base.is_empty() {
        path.to_string()
    } else {
        path.strip_prefix(base)
            .and_then(|p| p.strip_prefix('.'))
            .unwrap_or(path)
            .to_string()
    }
}

/// How a non-finite marker's value is shown.
fn non_finite_text(v: Value) -> String {
    match v {
        Value::String(s) => s.chars().take(40).collect(),
        other => other.to_string().chars().take(40).collect(),
    }
}

/// A key of a record object, resolved.
enum Key {
    Field(usize),
    /// Not in the schema: its note in the tally (and its text when the tally keeps no more).
    Unknown(usize, Option<String>),
    NonFinite,
}

struct KeySeed<'d, 'a, 't> {
    d: &'d mut Decoder<'a, 't>,
    rt: &'a RecordType,
    scope: usize,
    /// The field most likely named (the one after the previous key's).
    guess: usize,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_, '_, '_> {
    type Value = Key;
    fn deserialize<D: serde::Deserializer<'de>>(self, de: D) -> Result<Key, D::Error> {
        de.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_, '_, '_> {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Key, E> {
        let fields = &self.rt.fields;
        let found = if fields.get(self.guess).is_some_and(|f| f.name == s) {
            Some(self.guess)
        } else if fields.len() <= 24 {
            fields.iter().position(|f| f.name == s)
        } else {
            self.rt.by_name.get(s).copied()
        };
        Ok(match found {
            Some(i) => Key::Field(i),
            None if s == NON_FINITE_KEY => Key::NonFinite,
            None => self.d.unknown_key(self.rt, self.scope, s),
        })
    }
}

/// Whether the first key of an object is the non-finite marker (or else the key, for
/// messages).
struct MarkerSeed;

impl<'de> DeserializeSeed<'de> for MarkerSeed {
    type Value = Result<(), String>;
    fn deserialize<D: serde::Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for MarkerSeed {
    type Value = Result<(), String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Self::Value, E> {
        Ok(if s == NON_FINITE_KEY {
            Ok(())
        } else {
            Err(s.to_string())
        })
    }
}

/// One value of type `ty` at the decoder's pointer.
struct ValueSeed<'d, 'a, 't, 'y> {
    d: &'d mut Decoder<'a, 't>,
    ty: &'y Ty,
    node: Option<usize>,
    /// What the slot held before (a previous record's fact), to decode over.
    reuse: Option<Val>,
    /// The entity's record itself: decoded over the decoder's spare, into its `root_out`.
    root: bool,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_, '_, '_, '_> {
    type Value = Option<Val>;
    fn deserialize<D: serde::Deserializer<'de>>(self, de: D) -> Result<Option<Val>, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'a> ValueSeed<'_, 'a, '_, '_> {
    fn prim(self, p: Prim<'_>) -> Option<Val> {
        match (self.ty, p, self.reuse) {
            // a text of the length the slot held (ids of a registry): written over it
            (Ty::Str, Prim::Str(s), Some(Val::Str(old))) if old.len() == s.len() => {
                let mut t = old.into_string();
                t.clear();
                t.push_str(s);
                self.d.mark(self.node);
                return Some(Val::Str(t.into_boxed_str()));
            }
            // the enum value the slot held, given again: kept as it is (the first position
            // of its text in its type, as a lookup would find). Only a value of this very
            // pack's type (its text shares the type's allocation): a spare record may come
            // from another engine, whose enum has other positions
            (Ty::Enum(e), Prim::Str(s), Some(Val::Enum(old)))
                if *old.text == *s
                    && usize::try_from(old.ty).ok() == Some(*e)
                    && self
                        .d
                        .pack
                        .enums
                        .get(*e)
                        .and_then(|t| t.texts.get(usize::try_from(old.idx).ok()?))
                        .is_some_and(|t| std::sync::Arc::ptr_eq(t, &old.text)) =>
            {
                self.d.mark(self.node);
                return Some(Val::Enum(old));
            }
            _ => {}
        }
        let r = match self.ty {
            Ty::Rec(_) | Ty::List(_) => Err(mismatch(self.ty, &p.shown(), &self.d.pack.enums)),
            ty => scalar::scalar(ty, p, &self.d.pack.enums),
        };
        // the value as given, when a reason may not find it in the decoded fact: rejected, or
        // read from another JSON type (a text "45" or a float 45.0 read as a count)
        let converted = matches!(
            (self.ty, p, &r),
            (Ty::Int | Ty::Dec(_), Prim::Str(_), Ok(_)) | (Ty::Int, Prim::F64(_), Ok(_))
        );
        if r.is_err() || converted {
            let at = self.d.path.pointer(None);
            self.d.given.push((at, p.given()));
        }
        let v = self.d.scalar_result(r);
        if v.is_some() {
            self.d.mark(self.node);
        }
        v
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_, '_, '_, '_> {
    type Value = Option<Val>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Option<Val>, E> {
        Ok(self.prim(Prim::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Option<Val>, E> {
        Ok(self.prim(Prim::I64(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Option<Val>, E> {
        Ok(self.prim(Prim::U64(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Option<Val>, E> {
        Ok(self.prim(Prim::F64(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Option<Val>, E> {
        Ok(self.prim(Prim::Str(v)))
    }
    fn visit_unit<E>(self) -> Result<Option<Val>, E> {
        Ok(None)
    }
    fn visit_none<E>(self) -> Result<Option<Val>, E> {
        Ok(None)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, de: D) -> Result<Option<Val>, D::Error> {
        de.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<Val>, A::Error> {
        let d = self.d;
        let Ty::List(inner) = self.ty else {
            let shown = seq_shown(&mut seq)?;
            let (code, message) = mismatch(self.ty, &shown, &d.pack.enums);
            d.err(code, message);
            return Ok(None);
        };
        if d.depth >= MAX_FACT_DEPTH {
            d.err(
                Code::FactsDepth,
                msg!(vi: "dữ liệu lồng nhau quá sâu", en: "facts nested too deeply"),
            );
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(None);
        }
        d.depth += 1;
        let item_node = self
            .node
            .and_then(|n| d.shape.nodes.get(n))
            .and_then(|n| n.item);
        // the list the slot held: its items are decoded over, in place
        let mut out = match self.reuse {
            Some(Val::List(v)) => v,
            _ => Vec::new(),
        };
        let mut w = 0usize;
        let mut ok = true;
        let mut i = 0usize;
        loop {
            d.path.push(Seg::Index(i));
            let before = d.errors.len();
            let old = out
                .get_mut(w)
                .map(|v| std::mem::replace(v, Val::Bool(false)));
            let item = seq.next_element_seed(ValueSeed {
                d: &mut *d,
                ty: inner,
                node: item_node,
                reuse: old,
                root: false,
            })?;
            match item {
                None => {
                    d.path.pop();
                    break;
                }
                Some(Some(x)) => {
                    match out.get_mut(w) {
                        Some(place) => *place = x,
                        None => out.push(x),
                    }
                    w += 1;
                }
                Some(None) => {
                    if d.errors.len() == before {
                        d.err(
                            Code::FactsType,
                            msg!(
                                vi: "phần tử danh sách không được để trống",
                                en: "list items cannot be null",
                            ),
                        );
                    }
                    ok = false;
                }
            }
            d.path.pop();
            i += 1;
        }
        d.depth -= 1;
        out.truncate(w);
        // a list with a bad item is absent as a whole (its count would be wrong otherwise)
        if ok {
            d.mark(self.node);
            Ok(Some(Val::List(out)))
        } else {
            Ok(None)
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<Val>, A::Error> {
        let d = self.d;
        if let Ty::Rec(r) = self.ty {
            let Some(rt) = d.pack.records.get(*r) else {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                return Ok(None);
            };
            let scope = match self.node.and_then(|n| d.shape.nodes.get(n)) {
                Some(n) if n.record == Some(*r) => self.node.unwrap_or(usize::MAX),
                _ => usize::MAX,
            };
            // the record the slot held (or the decoder's spare, for the entity's record),
            // decoded over
            let (boxed, over) = match self.reuse {
                Some(Val::Rec(mut b)) => {
                    let over = std::mem::take(&mut *b);
                    (Some(b), over)
                }
                _ if self.root => (None, d.spare.take().unwrap_or_default()),
                _ => (None, Record::default()),
            };
            let rec = d.record_body(map, rt, scope, over)?;
            if rec.is_some() {
                d.mark(self.node);
            }
            if self.root {
                d.root_out = rec;
                return Ok(None);
            }
            return Ok(rec.map(|x| {
                Val::Rec(match boxed {
                    Some(mut b) => {
                        *b = x;
                        b
                    }
                    None => Box::new(x),
                })
            }));
        }
        // not a record: a non-finite number in disguise, or the wrong type
        match map.next_key_seed(MarkerSeed)? {
            Some(Ok(())) => {
                let shown = non_finite_text(map.next_value::<Value>()?);
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                let at = d.path.pointer(None);
                d.given.push((at, shown.clone()));
                let (code, message) = non_finite(&shown);
                d.err(code, message);
                Ok(None)
            }
            first => {
                let mut obj = serde_json::Map::new();
                if let Some(Err(k)) = first {
                    let v = map.next_value::<Value>()?;
                    obj.insert(k, v);
                    while let Some((k, v)) = map.next_entry::<String, Value>()? {
                        obj.insert(k, v);
                    }
                }
                let shown: String = Value::Object(obj).to_string().chars().take(40).collect();
                let (code, message) = mismatch(self.ty, &shown, &d.pack.enums);
                d.err(code, message);
                Ok(None)
            }
        }
    }
}

/// The rest of a list that is not expected, as messages show it.
fn seq_shown<'de, A: SeqAccess<'de>>(seq: &mut A) -> Result<String, A::Error> {
    let mut items = Vec::new();
    while let Some(v) = seq.next_element::<Value>()? {
        items.push(v);
    }
    Ok(Value::Array(items).to_string().chars().take(40).collect())
}
