//! Python <-> JSON / core scalar conversions. No rule logic here: only shapes.

use htx_rules::Scalar;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

static DECIMAL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DATE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn cached<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    module: &str,
    name: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let obj = cell.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(py.import(module)?.getattr(name)?.unbind())
    })?;
    Ok(obj.bind(py).clone())
}

/// `decimal.Decimal`.
pub fn decimal_type(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    cached(py, &DECIMAL, "decimal", "Decimal")
}

/// `datetime.date`.
pub fn date_type(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    cached(py, &DATE, "datetime", "date")
}

fn datetime_type(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    cached(py, &DATETIME, "datetime", "datetime")
}

/// Depth guard: records are shallow; a self-referencing list must not overflow the stack.
const MAX_DEPTH: usize = 64;

/// A Python value (dict, list, str, int, float, bool, None, Decimal, date, numpy scalar, …)
/// as JSON. `None` and pandas' missing markers (`NA`, `NaT`) become `null` (a missing fact); a
/// float or Decimal NaN or infinity becomes the core's non-finite marker, so it is a field
/// error (`facts.non_finite`) — JSON has no NaN, and silently reading it as "absent" would hide
/// it. (pandas' NaN in a column is missing: the DataFrame paths read it as Arrow's null.)
pub fn py_to_json(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    to_json_at(obj, 0, false)
}

/// The same for a cell of a table (a pandas row, an object column): there a float NaN is the
/// table's missing value (as Arrow reads pandas), so it becomes `null`; infinities are still
/// field errors.
pub fn cell_to_json(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    to_json_at(obj, 0, true)
}

fn to_json_at(obj: &Bound<'_, PyAny>, depth: usize, nan_missing: bool) -> PyResult<Value> {
    if depth > MAX_DEPTH {
        return Err(PyTypeError::new_err(
            "record nested too deeply / bản ghi lồng nhau quá sâu",
        ));
    }
    let py = obj.py();
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(s) = obj.cast_exact::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    if let Ok(b) = obj.cast_exact::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(i) = obj.cast::<PyInt>() {
        return int_to_json(i.as_any());
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(float_to_json(f.value(), nan_missing));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = Map::with_capacity(d.len());
        for (k, v) in d.iter() {
            let key = k.cast::<PyString>().map_err(|_| {
                PyTypeError::new_err(format!(
                    "keys must be strings, got {} / khóa phải là chuỗi",
                    type_name(&k)
                ))
            })?;
            map.insert(
                key.to_cow()?.into_owned(),
                to_json_at(&v, depth + 1, nan_missing)?,
            );
        }
        return Ok(Value::Object(map));
    }
    if let Ok(l) = obj.cast::<PyList>() {
        let mut out = Vec::with_capacity(l.len());
        for v in l.iter() {
            out.push(to_json_at(&v, depth + 1, nan_missing)?);
        }
        return Ok(Value::Array(out));
    }
    if let Ok(t) = obj.cast::<PyTuple>() {
        let mut out = Vec::with_capacity(t.len());
        for v in t.iter() {
            out.push(to_json_at(&v, depth + 1, nan_missing)?);
        }
        return Ok(Value::Array(out));
    }
    // Slower, rarer kinds.
    if obj.is_instance(&decimal_type(py)?)? {
        if obj.call_method0("is_nan")?.is_truthy()?
            || obj.call_method0("is_infinite")?.is_truthy()?
        {
            return Ok(non_finite(obj.str()?.to_cow()?.into_owned()));
        }
        // The contract accepts a decimal as a string: exact, no binary float.
        return Ok(Value::String(obj.str()?.to_cow()?.into_owned()));
    }
    if obj.is_instance(&datetime_type(py)?)? {
        let d = obj.call_method0("date")?;
        return Ok(Value::String(d.call_method0("isoformat")?.extract()?));
    }
    if obj.is_instance(&date_type(py)?)? {
        return Ok(Value::String(obj.call_method0("isoformat")?.extract()?));
    }
    let tname = type_name(obj);
    // pandas.NA / pandas.NaT / numpy.datetime64('NaT'): missing.
    if tname == "NAType" || tname == "NaTType" {
        return Ok(Value::Null);
    }
    if tname == "bool_" || tname == "bool" {
        return Ok(Value::Bool(obj.is_truthy()?));
    }
    if tname == "Timestamp" {
        let d = obj.call_method0("date")?;
        return Ok(Value::String(d.call_method0("isoformat")?.extract()?));
    }
    if obj.hasattr("tolist")? {
        // numpy arrays and scalars, pandas Series: as plain Python values
        return to_json_at(&obj.call_method0("tolist")?, depth + 1, nan_missing);
    }
    if obj.hasattr("__index__")? {
        let i = obj.call_method0("__index__")?;
        return int_to_json(&i);
    }
    if obj.hasattr("__float__")? && !obj.hasattr("keys")? {
        let f: f64 = obj.call_method0("__float__")?.extract()?;
        return Ok(float_to_json(f, nan_missing));
    }
    if obj.hasattr("keys")? && obj.hasattr("__getitem__")? {
        // Any Mapping.
        let mut map = Map::new();
        for k in obj.call_method0("keys")?.try_iter()? {
            let k = k?;
            let key: String = k
                .extract()
                .map_err(|_| PyTypeError::new_err("keys must be strings / khóa phải là chuỗi"))?;
            let v = obj.get_item(&k)?;
            map.insert(key, to_json_at(&v, depth + 1, nan_missing)?);
        }
        return Ok(Value::Object(map));
    }
    if let Ok(iter) = obj.try_iter() {
        let mut out = Vec::new();
        for v in iter {
            out.push(to_json_at(&v?, depth + 1, nan_missing)?);
        }
        return Ok(Value::Array(out));
    }
    Err(PyTypeError::new_err(format!(
        "cannot use a value of type {tname} as a fact / không dùng được giá trị kiểu {tname} làm dữ kiện"
    )))
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".to_owned())
}

fn int_to_json(i: &Bound<'_, PyAny>) -> PyResult<Value> {
    if let Ok(v) = i.extract::<i64>() {
        return Ok(Value::Number(v.into()));
    }
    if let Ok(v) = i.extract::<u64>() {
        return Ok(Value::Number(v.into()));
    }
    // Larger than 64 bits: keep it exact as a decimal string.
    Ok(Value::String(i.str()?.to_cow()?.into_owned()))
}

fn float_to_json(f: f64, nan_missing: bool) -> Value {
    match Number::from_f64(f) {
        Some(n) => Value::Number(n),
        None if f.is_nan() && nan_missing => Value::Null,
        None if f.is_nan() => non_finite("NaN".into()),
        None if f > 0.0 => non_finite("Infinity".into()),
        None => non_finite("-Infinity".into()),
    }
}

/// The core's stand-in for a number JSON cannot hold.
fn non_finite(shown: String) -> Value {
    let mut m = Map::with_capacity(1);
    m.insert(htx_rules::NON_FINITE_KEY.to_owned(), Value::String(shown));
    Value::Object(m)
}

/// JSON as plain Python objects (dict, list, str, int, float, bool, None).
pub fn json_to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(a) => {
            let list = PyList::empty(py);
            for x in a {
                list.append(json_to_py(py, x)?)?;
            }
            list.into_any()
        }
        Value::Object(o) => {
            let d = PyDict::new(py);
            for (k, x) in o {
                d.set_item(k, json_to_py(py, x)?)?;
            }
            d.into_any()
        }
    })
}

/// A core scalar as its natural Python value: `decimal.Decimal`, `int`, `bool`,
/// `datetime.date`, `str`.
pub fn scalar_to_py<'py>(py: Python<'py>, s: &Scalar) -> PyResult<Bound<'py, PyAny>> {
    Ok(match s {
        Scalar::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Scalar::Int(i) => i.into_pyobject(py)?.into_any(),
        Scalar::Decimal(d) => d.into_pyobject(py)?.into_any(),
        Scalar::Date(d) => date_type(py)?.call_method1("fromisoformat", (d.to_string(),))?,
        Scalar::Text(t) => PyString::new(py, t).into_any(),
    })
}

/// An optional scalar (`None` when absent).
pub fn opt_scalar_to_py<'py>(py: Python<'py>, s: Option<&Scalar>) -> PyResult<Bound<'py, PyAny>> {
    match s {
        Some(s) => scalar_to_py(py, s),
        None => Ok(py.None().into_bound(py)),
    }
}
