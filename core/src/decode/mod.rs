//! Decoding facts against an entity's schema into a [`Record`] of slots: from JSON
//! (`json.rs`) and from columnar batches (`columns.rs`), with the same field errors (JSON
//! Pointers) and the same rule: a bad fact is reported and treated as absent.

pub(crate) mod columns;
pub(crate) mod json;

pub use columns::{Column, ColumnBatch};
pub(crate) use json::Decoder;

use crate::model::Pack;
use crate::value::{Record, Ty, Val};

/// Whether a decoded value has the shape of type `ty`.
pub(crate) fn fits(v: &Val, ty: &Ty) -> bool {
    matches!(
        (v, ty),
        (Val::Bool(_), Ty::Bool)
            | (Val::Int(_), Ty::Int)
            | (Val::Dec(_), Ty::Dec(_))
            | (Val::Date(_), Ty::Date)
            | (Val::Str(_), Ty::Str | Ty::Enum(_))
            | (Val::Rec(_), Ty::Rec(_))
            | (Val::List(_), Ty::List(_))
    )
}

/// Makes the fact at a JSON Pointer absent.
pub(crate) fn clear_pointer(pack: &Pack, rec_ty: usize, rec: &mut Record, pointer: &str) {
    let mut parts = pointer.split('/').skip(1).peekable();
    let mut ty = rec_ty;
    let mut cur = rec;
    while let Some(name) = parts.next() {
        let Some(rt) = pack.records.get(ty) else {
            return;
        };
        let Some(&slot) = rt.by_name.get(name) else {
            return;
        };
        let field_ty = rt.fields.get(slot).map(|f| f.ty.clone());
        let Some(cell) = cur.slots.get_mut(slot) else {
            return;
        };
        if parts.peek().is_none() {
            *cell = None;
            return;
        }
        match (cell, field_ty) {
            (Some(Val::Rec(r)), Some(Ty::Rec(t))) => {
                cur = r;
                ty = t;
            }
            (Some(Val::List(items)), Some(Ty::List(inner))) => {
                let Some(Ok(i)) = parts.next().map(str::parse::<usize>) else {
                    return;
                };
                let Ty::Rec(t) = *inner else { return };
                match items.get_mut(i) {
                    Some(Val::Rec(r)) if parts.peek().is_some() => {
                        cur = r;
                        ty = t;
                    }
                    _ => return,
                }
            }
            _ => return,
        }
    }
}

/// Sets the fact at a path of slots, creating the records on the way.
pub(crate) fn set_path(pack: &Pack, rec: &mut Record, rec_ty: usize, slots: &[usize], v: Val) {
    let Some((&first, rest)) = slots.split_first() else {
        return;
    };
    if rest.is_empty() {
        if let Some(s) = rec.slots.get_mut(first) {
            *s = Some(v);
        }
        return;
    }
    let Some(rt) = pack.records.get(rec_ty) else {
        return;
    };
    let Some(Ty::Rec(inner)) = rt.fields.get(first).map(|f| &f.ty) else {
        return;
    };
    let n = pack
        .records
        .get(*inner)
        .map(|r| r.fields.len())
        .unwrap_or(0);
    let Some(slot) = rec.slots.get_mut(first) else {
        return;
    };
    if !matches!(slot, Some(Val::Rec(_))) {
        *slot = Some(Val::Rec(Box::new(Record {
            slots: vec![None; n],
        })));
    }
    if let Some(Val::Rec(r)) = slot {
        set_path(pack, r, *inner, rest, v);
    }
}
