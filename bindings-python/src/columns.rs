//! Column buffers (numpy arrays handed over by `htx_rules._columns`) -> the core's `ColumnBatch`,
//! and the core's `ColumnarResult` -> numpy arrays. Bulk copies only: no per-row Python objects
//! except for columns that *are* Python objects in the caller's frame (object dtype).
//!
//! A column spec is a tuple `(path, kind, *payload)`:
//! - `("int",  values: int64[n],  valid: bool[n] | None)`
//! - `("bool", values: bool[n],   valid)`
//! - `("float", values: float64[n], valid)` — a decimal fact given as a float (NaN is missing)
//! - `("decimal128", data: uint8[16n], scale: int, valid)` — Arrow decimal128 buffer, exact
//! - `("days", values: int64[n], valid)` — days since 1970-01-01 (Arrow date32, datetime64[D])
//! - `("text", offsets: int64[n+1], data: uint8[..], valid)` — Arrow (large_)string buffers
//! - `("objects_text", list)` / `("objects_date", list)` / `("objects_json", list)` — object columns
//!   (text and dates as text: the core decodes text by the field's type)
//! - `("list", offsets: int64[n+1], valid, child_spec)` — Arrow list; child decoded to JSON
//! - `("struct", valid, [child_spec, ...])` — Arrow struct; children named by their `path`

use htx_rules::{Column, ColumnBatch, ColumnarResult, Date, Outcome, Scalar};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::convert::{py_to_json, scalar_to_py};

fn bad(msg: impl Into<String>) -> PyErr {
    PyValueError::new_err(msg.into())
}

fn item<'py>(t: &Bound<'py, PyTuple>, i: usize) -> PyResult<Bound<'py, PyAny>> {
    t.get_item(i)
}

/// Reads an optional validity mask (`None` = all valid).
fn mask(obj: &Bound<'_, PyAny>, n: usize) -> PyResult<Option<Vec<bool>>> {
    if obj.is_none() {
        return Ok(None);
    }
    let arr: PyReadonlyArray1<'_, bool> = obj.extract()?;
    let s = arr.as_slice().map_err(|e| bad(e.to_string()))?;
    if s.len() != n {
        return Err(bad(format!("mask has {} rows, expected {n}", s.len())));
    }
    Ok(Some(s.to_vec()))
}

fn with_mask<T, U>(
    values: &[T],
    valid: Option<&[bool]>,
    f: impl Fn(&T) -> Option<U>,
) -> Vec<Option<U>> {
    match valid {
        None => values.iter().map(f).collect(),
        Some(m) => values
            .iter()
            .zip(m)
            .map(|(v, ok)| if *ok { f(v) } else { None })
            .collect(),
    }
}

fn slice<'a, T: numpy::Element>(
    arr: &'a PyReadonlyArray1<'_, T>,
    n: usize,
    what: &str,
) -> PyResult<&'a [T]> {
    let s = arr.as_slice().map_err(|e| bad(e.to_string()))?;
    if s.len() != n {
        return Err(bad(format!("{what}: {} rows, expected {n}", s.len())));
    }
    Ok(s)
}

fn decimal_from_le(bytes: &[u8], scale: u32) -> Option<Decimal> {
    let arr: [u8; 16] = bytes.try_into().ok()?;
    Decimal::try_from_i128_with_scale(i128::from_le_bytes(arr), scale).ok()
}

fn text_at(offsets: &[i64], data: &[u8], i: usize) -> PyResult<String> {
    let (Some(&a), Some(&b)) = (offsets.get(i), offsets.get(i + 1)) else {
        return Err(bad("string offsets too short"));
    };
    let (a, b) = (
        usize::try_from(a).map_err(|_| bad("bad offset"))?,
        usize::try_from(b).map_err(|_| bad("bad offset"))?,
    );
    let bytes = data
        .get(a..b)
        .ok_or_else(|| bad("string offsets out of range"))?;
    Ok(String::from_utf8_lossy(bytes).into_owned())
}

/// One column, decoded either as a typed core column or (for nested data) as JSON per row.
enum Decoded {
    Typed(Column),
    Json(Vec<Value>),
}

fn decode(spec: &Bound<'_, PyTuple>, n: usize) -> PyResult<Decoded> {
    let kind: String = item(spec, 1)?.extract()?;
    Ok(match kind.as_str() {
        "int" => {
            let v: PyReadonlyArray1<'_, i64> = item(spec, 2)?.extract()?;
            let valid = mask(&item(spec, 3)?, n)?;
            Decoded::Typed(Column::Int(with_mask(
                slice(&v, n, "int")?,
                valid.as_deref(),
                |x| Some(*x),
            )))
        }
        "bool" => {
            let v: PyReadonlyArray1<'_, bool> = item(spec, 2)?.extract()?;
            let valid = mask(&item(spec, 3)?, n)?;
            Decoded::Typed(Column::Bool(with_mask(
                slice(&v, n, "bool")?,
                valid.as_deref(),
                |x| Some(*x),
            )))
        }
        "float" => {
            let v: PyReadonlyArray1<'_, f64> = item(spec, 2)?.extract()?;
            let valid = mask(&item(spec, 3)?, n)?;
            Decoded::Typed(Column::Decimal(with_mask(
                slice(&v, n, "float")?,
                valid.as_deref(),
                |x| {
                    if x.is_finite() {
                        Decimal::try_from(*x).ok()
                    } else {
                        None
                    }
                },
            )))
        }
        "decimal128" => {
            let v: PyReadonlyArray1<'_, u8> = item(spec, 2)?.extract()?;
            let scale: u32 = item(spec, 3)?.extract()?;
            let valid = mask(&item(spec, 4)?, n)?;
            let data = v.as_slice().map_err(|e| bad(e.to_string()))?;
            if data.len() != n * 16 {
                return Err(bad("decimal128 buffer has the wrong length"));
            }
            let vals: Vec<Option<Decimal>> = data
                .chunks_exact(16)
                .enumerate()
                .map(|(i, c)| {
                    if valid
                        .as_ref()
                        .is_some_and(|m| !m.get(i).copied().unwrap_or(false))
                    {
                        None
                    } else {
                        decimal_from_le(c, scale)
                    }
                })
                .collect();
            Decoded::Typed(Column::Decimal(vals))
        }
        "days" => {
            let v: PyReadonlyArray1<'_, i64> = item(spec, 2)?.extract()?;
            let valid = mask(&item(spec, 3)?, n)?;
            Decoded::Typed(Column::Date(with_mask(
                slice(&v, n, "days")?,
                valid.as_deref(),
                |x| Some(Date::from_unix_days(*x)),
            )))
        }
        "text" => {
            let offsets: PyReadonlyArray1<'_, i64> = item(spec, 2)?.extract()?;
            let data: PyReadonlyArray1<'_, u8> = item(spec, 3)?.extract()?;
            let valid = mask(&item(spec, 4)?, n)?;
            let offsets = slice(&offsets, n + 1, "text offsets")?;
            let data = data.as_slice().map_err(|e| bad(e.to_string()))?;
            let mut out = Vec::with_capacity(n);
            for i in 0..n {
                if valid
                    .as_ref()
                    .is_some_and(|m| !m.get(i).copied().unwrap_or(false))
                {
                    out.push(None);
                } else {
                    out.push(Some(text_at(offsets, data, i)?));
                }
            }
            Decoded::Typed(Column::Text(out))
        }
        "objects_text" | "objects_date" | "objects_json" => {
            let list = item(spec, 2)?;
            let mut texts = Vec::with_capacity(n);
            let mut json = Vec::with_capacity(n);
            for v in list.try_iter()? {
                let v = py_to_json(&v?)?;
                if kind == "objects_json" {
                    json.push(v);
                } else {
                    texts.push(match v {
                        Value::String(s) => Some(s),
                        Value::Null => None,
                        other => Some(other.to_string()),
                    });
                }
            }
            match kind.as_str() {
                "objects_json" => {
                    if json.len() != n {
                        return Err(bad("object column has the wrong length"));
                    }
                    Decoded::Json(json)
                }
                _ => {
                    if texts.len() != n {
                        return Err(bad("object column has the wrong length"));
                    }
                    Decoded::Typed(Column::Text(texts))
                }
            }
        }
        "list" => {
            let offsets: PyReadonlyArray1<'_, i64> = item(spec, 2)?.extract()?;
            let valid = mask(&item(spec, 3)?, n)?;
            let offsets = slice(&offsets, n + 1, "list offsets")?;
            let child: Bound<'_, PyTuple> = item(spec, 4)?.cast_into()?;
            let total = offsets.last().copied().unwrap_or(0);
            let total = usize::try_from(total).map_err(|_| bad("bad list offsets"))?;
            let mut offs = Vec::with_capacity(n + 1);
            for (i, &o) in offsets.iter().enumerate() {
                let o = usize::try_from(o).map_err(|_| bad("bad list offsets"))?;
                let prev = offs.last().copied().unwrap_or(0);
                if (i == 0 && o != 0) || o < prev || o > total {
                    return Err(bad("list offsets are not monotonic from 0"));
                }
                offs.push(o);
            }
            // typed items go to the core as they are (no JSON on the way)
            Decoded::Typed(Column::List {
                offsets: offs,
                valid,
                items: Box::new(typed(decode(&child, total)?)),
            })
        }
        "struct" => {
            let valid = mask(&item(spec, 2)?, n)?;
            let fields: Bound<'_, PyList> = item(spec, 3)?.cast_into()?;
            let mut out = Vec::new();
            for f in fields.iter() {
                let f: Bound<'_, PyTuple> = f.cast_into()?;
                let name: String = item(&f, 0)?.extract()?;
                out.push((name, typed(decode(&f, n)?)));
            }
            Decoded::Typed(Column::Struct {
                rows: n,
                valid,
                fields: out,
            })
        }
        other => return Err(bad(format!("unknown column kind {other:?}"))),
    })
}

/// A decoded column as the core's column (JSON values stay JSON, one per row).
fn typed(d: Decoded) -> Column {
    match d {
        Decoded::Typed(c) => c,
        Decoded::Json(v) => Column::Json(
            v.into_iter()
                .map(|x| if x.is_null() { None } else { Some(x) })
                .collect(),
        ),
    }
}

/// Builds the core's batch from the column specs.
pub fn build_batch(n_rows: usize, columns: &Bound<'_, PyList>) -> PyResult<ColumnBatch> {
    let mut batch = ColumnBatch::new(n_rows);
    for spec in columns.iter() {
        let spec: Bound<'_, PyTuple> = spec.cast_into()?;
        let path: String = item(&spec, 0)?.extract()?;
        let col = typed(decode(&spec, n_rows)?);
        batch.push(&path, col);
    }
    Ok(batch)
}

const YES: u8 = 0;
const NO: u8 = 1;
const UNKNOWN: u8 = 2;

fn code(o: Outcome) -> u8 {
    match o {
        Outcome::Yes => YES,
        Outcome::No => NO,
        Outcome::Unknown => UNKNOWN,
    }
}

/// Converts one value column: typed numpy arrays when every present value has one type.
fn value_column<'py>(py: Python<'py>, values: &[Option<Scalar>]) -> PyResult<Bound<'py, PyAny>> {
    #[derive(PartialEq, Clone, Copy)]
    enum K {
        None,
        Int,
        Bool,
        Dec,
        Date,
        Other,
    }
    let mut k = K::None;
    for v in values.iter().flatten() {
        let this = match v {
            Scalar::Int(_) => K::Int,
            Scalar::Bool(_) => K::Bool,
            Scalar::Decimal(_) => K::Dec,
            Scalar::Date(_) => K::Date,
            Scalar::Text(_) => K::Other,
        };
        if k == K::None {
            k = this;
        } else if k != this {
            k = K::Other;
            break;
        }
    }
    let valid: Vec<bool> = values.iter().map(Option::is_some).collect();
    let valid = PyArray1::from_vec(py, valid);
    match k {
        K::None => ("null",).into_pyobject(py).map(|t| t.into_any()),
        K::Int => {
            let v: Vec<i64> = values
                .iter()
                .map(|x| if let Some(Scalar::Int(i)) = x { *i } else { 0 })
                .collect();
            ("int", PyArray1::from_vec(py, v), valid)
                .into_pyobject(py)
                .map(|t| t.into_any())
        }
        K::Bool => {
            let v: Vec<bool> = values
                .iter()
                .map(|x| matches!(x, Some(Scalar::Bool(true))))
                .collect();
            ("bool", PyArray1::from_vec(py, v), valid)
                .into_pyobject(py)
                .map(|t| t.into_any())
        }
        K::Date => {
            let v: Vec<i64> = values
                .iter()
                .map(|x| {
                    if let Some(Scalar::Date(d)) = x {
                        d.unix_days()
                    } else {
                        0
                    }
                })
                .collect();
            ("days", PyArray1::from_vec(py, v), valid)
                .into_pyobject(py)
                .map(|t| t.into_any())
        }
        K::Dec => {
            let scale = values
                .iter()
                .filter_map(|x| {
                    if let Some(Scalar::Decimal(d)) = x {
                        Some(d.scale())
                    } else {
                        None
                    }
                })
                .max()
                .unwrap_or(0);
            let mut bytes = Vec::with_capacity(values.len() * 16);
            for x in values {
                let m: i128 = match x {
                    Some(Scalar::Decimal(d)) => {
                        let mut d = *d;
                        d.rescale(scale);
                        d.mantissa()
                    }
                    _ => 0,
                };
                bytes.extend_from_slice(&m.to_le_bytes());
            }
            ("decimal", PyArray1::from_vec(py, bytes), scale, valid)
                .into_pyobject(py)
                .map(|t| t.into_any())
        }
        K::Other => {
            let list = PyList::empty(py);
            for x in values {
                match x {
                    Some(s) => list.append(scalar_to_py(py, s)?)?,
                    None => list.append(py.None())?,
                }
            }
            ("objects", list).into_pyobject(py).map(|t| t.into_any())
        }
    }
}

/// `(names, [uint8 outcome codes per decision], [value column spec per decision], errors)`;
/// outcome codes: 0 yes, 1 no, 2 unknown; errors: `[(row, field, code, vi, en)]` for cells
/// that were present but malformed (the core treats them as absent).
pub fn result_to_py<'py>(py: Python<'py>, r: &ColumnarResult) -> PyResult<Bound<'py, PyAny>> {
    let names = PyList::new(py, &r.names)?;
    let outcomes = PyList::empty(py);
    for col in &r.outcomes {
        let codes: Vec<u8> = col.iter().map(|o| code(*o)).collect();
        outcomes.append(PyArray1::from_vec(py, codes))?;
    }
    let values = PyList::empty(py);
    for col in &r.values {
        values.append(value_column(py, col)?)?;
    }
    let errors = PyList::empty(py);
    for (row, e) in &r.errors {
        errors.append((*row, &e.field, &e.code, &e.message.vi, &e.message.en))?;
    }
    (names, outcomes, values, errors)
        .into_pyobject(py)
        .map(|t| t.into_any())
}
