//! Partial reports: the indicators' accumulators over part of a registry, which merge into
//! exactly the accumulators of the whole (counts and sums add, distinct values are a set
//! union kept with multiplicities), and serialize (serde) so a cluster can ship them.
//!
//! Nothing is suppressed or rounded here: a partial holds exact counts and is not for
//! publication; disclosure control happens once, when the merged partial is finished.
//!
//! **Duplicate ids are counted once, also across partials.** Each partial keeps, for every
//! row with an id, its *contribution*: which accumulators it touched and by how much,
//! encoded in a few bytes (a person in two indicators takes about ten). When a merge meets
//! an id both halves counted, it subtracts the second half's contribution and records the
//! duplicate, so `a.merge(b)` equals reading `a`'s rows then `b`'s: the first row with an id
//! counts, wherever the halves were cut. Merge partials in registry order for the same
//! "first" as one pass; the figures of a registry without duplicates do not depend on the
//! order at all.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::types::{IgnoredField, RecordError};
use crate::codes::Code;
use crate::date::Date;
use crate::error::{Error, FieldError};

/// One indicator in one period, accumulated.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Acc {
    /// Rows the filter kept whose figures were known.
    pub rows: u64,
    /// Rows whose filter, value, numerator or denominator was unknown.
    pub unknown: u64,
    /// Sum of the values (sum) or numerators (share).
    pub num: Decimal,
    /// Sum of the denominators (share).
    pub den: Decimal,
    /// Distinct values and how many rows had each.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub keys: BTreeMap<String, u64>,
    /// Rows in each group of a breakdown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<u64>,
    /// Rows whose group could not be told, per group.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups_unknown: Vec<u64>,
}

impl Acc {
    fn add(&mut self, o: &Acc) {
        self.rows += o.rows;
        self.unknown += o.unknown;
        self.num += o.num;
        self.den += o.den;
        for (k, n) in &o.keys {
            *self.keys.entry(k.clone()).or_default() += n;
        }
        add_counts(&mut self.groups, &o.groups);
        add_counts(&mut self.groups_unknown, &o.groups_unknown);
    }

    /// Applies one row's effect, or takes it back (`undo`).
    pub(crate) fn apply(&mut self, e: &Effect, undo: bool) {
        let step = |n: &mut u64| {
            *n = if undo { n.saturating_sub(1) } else { *n + 1 };
        };
        match e {
            Effect::Unknown => step(&mut self.unknown),
            Effect::Hit {
                num,
                den,
                groups,
                groups_unknown,
                key,
            } => {
                step(&mut self.rows);
                if undo {
                    self.num -= num;
                    self.den -= den;
                } else {
                    self.num += num;
                    self.den += den;
                }
                for (mask, counts) in [
                    (*groups, &mut self.groups),
                    (*groups_unknown, &mut self.groups_unknown),
                ] {
                    for g in 0..64usize {
                        if mask & (1u64 << g) != 0 {
                            if counts.len() <= g {
                                counts.resize(g + 1, 0);
                            }
                            if let Some(c) = counts.get_mut(g) {
                                step(c);
                            }
                        }
                    }
                }
                if let Some(k) = key {
                    if undo {
                        if let Some(n) = self.keys.get_mut(k) {
                            *n = n.saturating_sub(1);
                            if *n == 0 {
                                self.keys.remove(k);
                            }
                        }
                    } else {
                        *self.keys.entry(k.clone()).or_default() += 1;
                    }
                }
            }
        }
    }
}

fn add_counts(a: &mut Vec<u64>, b: &[u64]) {
    if a.len() < b.len() {
        a.resize(b.len(), 0);
    }
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

/// What one row did to one accumulator.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Effect {
    /// The filter, or a figure the row should add, was unknown.
    Unknown,
    /// Kept, with its figures.
    Hit {
        num: Decimal,
        den: Decimal,
        groups: u64,
        groups_unknown: u64,
        key: Option<String>,
    },
}

/// One row's effect on accumulator `slot`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Touch {
    pub slot: u32,
    pub effect: Effect,
}

/// A partial progress report: the accumulators of the rows added so far, with what is needed
/// to merge it with another (see the module's documentation) and to finish it into a report.
///
/// It serializes with serde (JSON, or any serde format) so partial reports computed on
/// several machines can be shipped and merged. It holds exact counts: do not publish it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportPartial {
    /// `id@version` of the pack, and the shape of the plan (periods and indicators), which a
    /// merge checks.
    pub(crate) pack: String,
    pub(crate) as_of: Date,
    pub(crate) accs: Vec<Acc>,
    /// Rows read per collection.
    pub(crate) rows: Vec<u64>,
    /// Rows outside their collection's scope at the report's date, per collection.
    pub(crate) out_of_scope: Vec<u64>,
    pub(crate) errors: Vec<RecordError>,
    pub(crate) ignored: Vec<IgnoredField>,
    /// The registry's metadata values (the first one given wins).
    pub(crate) meta: BTreeMap<String, serde_json::Value>,
    /// Per collection: each id counted, with its contribution (see [`encode`]).
    pub(crate) seen: Vec<HashMap<Box<str>, Box<[u8]>>>,
}

impl ReportPartial {
    pub(crate) fn new(pack: String, as_of: Date, slots: usize, collections: usize) -> Self {
        ReportPartial {
            pack,
            as_of,
            accs: vec![Acc::default(); slots],
            rows: vec![0; collections],
            out_of_scope: vec![0; collections],
            errors: Vec::new(),
            ignored: Vec::new(),
            meta: BTreeMap::new(),
            seen: vec![HashMap::new(); collections],
        }
    }

    /// The report's date.
    pub fn as_of(&self) -> Date {
        self.as_of
    }

    /// Rows read so far, over every collection.
    pub fn rows(&self) -> u64 {
        self.rows.iter().sum()
    }

    /// Adds a key, column or file the pack does not know, seen in `rows` rows.
    pub(crate) fn ignore(&mut self, collection: Option<&str>, field: &str, rows: u64) {
        match self
            .ignored
            .iter_mut()
            .find(|i| i.collection.as_deref() == collection && i.field == field)
        {
            Some(i) => i.rows += rows,
            None => self.ignored.push(IgnoredField {
                collection: collection.map(str::to_string),
                field: field.to_string(),
                rows,
            }),
        }
    }

    /// Merges `other` into this partial: the result is the partial of this one's rows
    /// followed by `other`'s. Partials of another pack, plan or as-of date do not merge.
    ///
    /// `names` are the collections' names (for duplicate errors); `id_field` their id
    /// field's JSON Pointer.
    pub(crate) fn merge_with(
        &mut self,
        other: ReportPartial,
        names: &[(String, String)],
    ) -> Result<(), Error> {
        if self.pack != other.pack
            || self.as_of != other.as_of
            || self.accs.len() != other.accs.len()
            || self.rows.len() != other.rows.len()
        {
            return Err(Error::invalid_input(
                Code::RegistryMerge,
                msg!(
                    vi: format!(
                        "không gộp được hai báo cáo từng phần: khác bộ quy tắc hoặc ngày báo cáo ({} tại {}, {} tại {})",
                        self.pack, self.as_of, other.pack, other.as_of,
                    ),
                    en: format!(
                        "cannot merge partial reports of another pack or date ({} at {}, {} at {})",
                        self.pack, self.as_of, other.pack, other.as_of,
                    ),
                ),
            ));
        }
        for (a, b) in self.accs.iter_mut().zip(&other.accs) {
            a.add(b);
        }
        for (a, b) in self.rows.iter_mut().zip(&other.rows) {
            *a += b;
        }
        for (a, b) in self.out_of_scope.iter_mut().zip(&other.out_of_scope) {
            *a += b;
        }
        self.errors.extend(other.errors);
        for i in other.ignored {
            self.ignore(i.collection.as_deref(), &i.field, i.rows);
        }
        for (k, v) in other.meta {
            self.meta.entry(k).or_insert(v);
        }
        for (c, seen) in other.seen.into_iter().enumerate() {
            for (id, contribution) in seen {
                let Some(mine) = self.seen.get_mut(c) else {
                    continue;
                };
                match mine.entry(id) {
                    std::collections::hash_map::Entry::Occupied(e) => {
                        // counted in both halves: take the second one back
                        for t in decode(&contribution) {
                            if let Some(acc) = self.accs.get_mut(t.slot as usize) {
                                acc.apply(&t.effect, true);
                            }
                        }
                        let (name, pointer) = names
                            .get(c)
                            .map(|(n, p)| (n.as_str(), p.as_str()))
                            .unwrap_or(("", ""));
                        self.errors
                            .push(duplicate(name, pointer, None, e.key(), None, None, None));
                    }
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(contribution);
                    }
                }
            }
        }
        Ok(())
    }
}

/// The error of a row whose id an earlier row of its collection has.
pub(crate) fn duplicate(
    collection: &str,
    pointer: &str,
    record: Option<u64>,
    id: &str,
    source: Option<String>,
    line: Option<u64>,
    column: Option<u64>,
) -> RecordError {
    RecordError {
        collection: Some(collection.to_string()),
        record,
        id: Some(id.to_string()),
        source,
        line,
        column,
        errors: vec![FieldError {
            field: pointer.to_string(),
            code: Code::RegistryDuplicate.into(),
            message: msg!(
                vi: format!("mã `{id}` đã có ở một dòng trước trong `{collection}`: dòng này không được tính lần nữa"),
                en: format!("id `{id}` already appears in an earlier row of `{collection}`: this row is not counted again"),
            ),
        }],
    }
}

// ---- the compact form of a row's contribution

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(b: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *b.get(*pos)?;
        *pos += 1;
        v |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

fn put_decimal(out: &mut Vec<u8>, d: Decimal) {
    let whole = d.normalize();
    match (whole.scale() == 0)
        .then(|| i64::try_from(whole.mantissa()).ok())
        .flatten()
    {
        Some(i) => {
            out.push(0);
            put_varint(out, ((i << 1) ^ (i >> 63)) as u64);
        }
        None => {
            out.push(1);
            out.extend_from_slice(&d.serialize());
        }
    }
}

fn get_decimal(b: &[u8], pos: &mut usize) -> Option<Decimal> {
    let tag = *b.get(*pos)?;
    *pos += 1;
    if tag == 0 {
        let z = get_varint(b, pos)?;
        let i = ((z >> 1) as i64) ^ -((z & 1) as i64);
        Some(Decimal::from(i))
    } else {
        let bytes: [u8; 16] = b.get(*pos..*pos + 16)?.try_into().ok()?;
        *pos += 16;
        Some(Decimal::deserialize(bytes))
    }
}

/// A row's touches in a few bytes: per touch, the slot, then `0` (unknown) or `1` and a byte
/// saying which figures follow (numerator, denominator, group masks, distinct key).
pub(crate) fn encode(touches: &[Touch]) -> Box<[u8]> {
    let mut out = Vec::new();
    for t in touches {
        put_varint(&mut out, u64::from(t.slot));
        match &t.effect {
            Effect::Unknown => out.push(0),
            Effect::Hit {
                num,
                den,
                groups,
                groups_unknown,
                key,
            } => {
                out.push(1);
                let flags = u8::from(!num.is_zero())
                    | u8::from(!den.is_zero()) << 1
                    | u8::from(*groups != 0) << 2
                    | u8::from(*groups_unknown != 0) << 3
                    | u8::from(key.is_some()) << 4;
                out.push(flags);
                if !num.is_zero() {
                    put_decimal(&mut out, *num);
                }
                if !den.is_zero() {
                    put_decimal(&mut out, *den);
                }
                if *groups != 0 {
                    put_varint(&mut out, *groups);
                }
                if *groups_unknown != 0 {
                    put_varint(&mut out, *groups_unknown);
                }
                if let Some(k) = key {
                    put_varint(&mut out, k.len() as u64);
                    out.extend_from_slice(k.as_bytes());
                }
            }
        }
    }
    out.into_boxed_slice()
}

/// The touches [`encode`] wrote (what cannot be read back is dropped).
pub(crate) fn decode(b: &[u8]) -> Vec<Touch> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < b.len() {
        let Some(t) = decode_one(b, &mut pos) else {
            break;
        };
        out.push(t);
    }
    out
}

fn decode_one(b: &[u8], pos: &mut usize) -> Option<Touch> {
    let slot = u32::try_from(get_varint(b, pos)?).ok()?;
    let tag = *b.get(*pos)?;
    *pos += 1;
    if tag == 0 {
        return Some(Touch {
            slot,
            effect: Effect::Unknown,
        });
    }
    let flags = *b.get(*pos)?;
    *pos += 1;
    let num = if flags & 1 != 0 {
        get_decimal(b, pos)?
    } else {
        Decimal::ZERO
    };
    let den = if flags & 2 != 0 {
        get_decimal(b, pos)?
    } else {
        Decimal::ZERO
    };
    let groups = if flags & 4 != 0 {
        get_varint(b, pos)?
    } else {
        0
    };
    let groups_unknown = if flags & 8 != 0 {
        get_varint(b, pos)?
    } else {
        0
    };
    let key = if flags & 16 != 0 {
        let n = usize::try_from(get_varint(b, pos)?).ok()?;
        let s = b.get(*pos..pos.checked_add(n)?)?;
        *pos += n;
        Some(String::from_utf8_lossy(s).into_owned())
    } else {
        None
    };
    Some(Touch {
        slot,
        effect: Effect::Hit {
            num,
            den,
            groups,
            groups_unknown,
            key,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn contributions_round_trip() {
        let touches = vec![
            Touch {
                slot: 0,
                effect: Effect::Unknown,
            },
            Touch {
                slot: 300,
                effect: Effect::Hit {
                    num: Decimal::from(-12),
                    den: Decimal::from_str("0.125").unwrap(),
                    groups: 1 << 63 | 5,
                    groups_unknown: 2,
                    key: Some("Bình Đại".into()),
                },
            },
            Touch {
                slot: 7,
                effect: Effect::Hit {
                    num: Decimal::ZERO,
                    den: Decimal::ONE,
                    groups: 0,
                    groups_unknown: 0,
                    key: None,
                },
            },
        ];
        assert_eq!(decode(&encode(&touches)), touches);
        // a person counted in two indicators with a breakdown takes a few bytes
        let small = [
            Touch {
                slot: 2,
                effect: Effect::Hit {
                    num: Decimal::ZERO,
                    den: Decimal::ZERO,
                    groups: 0b1001,
                    groups_unknown: 0,
                    key: None,
                },
            },
            Touch {
                slot: 3,
                effect: Effect::Hit {
                    num: Decimal::ZERO,
                    den: Decimal::ZERO,
                    groups: 0,
                    groups_unknown: 0,
                    key: None,
                },
            },
        ];
        assert!(encode(&small).len() <= 8);
    }
}
