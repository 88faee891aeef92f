//! Reforms and amendment impact for Python: conversion only (`Engine::with_reform`,
//! `Reform::from_json`, `Engine::diff_builder` are the core's). `htx_rules.Engine.with_reform`
//! and `htx_rules.Engine.diff` (in `__init__.py`) call these.

use std::sync::Arc;

use htx_rules::pack::Reform;
use htx_rules::Lang;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::convert::py_to_json;
use crate::errors::IntoPy;
use crate::{json_text, parse_date, reduce, NativeEngine};

/// `engine` under a reform written in TOML (`file` names it in diagnostics).
#[pyfunction]
pub fn _with_reform_toml(
    py: Python<'_>,
    engine: &NativeEngine,
    file: String,
    text: String,
) -> PyResult<NativeEngine> {
    let reform = Reform::from_toml(file, text);
    let e = py.detach(|| engine.engine.with_reform(&reform)).py()?;
    Ok(NativeEngine {
        engine: Arc::new(e),
        source: Arc::clone(&engine.source),
    })
}

/// `engine` under a reform given as a dict: the TOML file's shape, or parameters only
/// (`{"htx_min_members": [{"from": "2024-07-01", "value": 7}]}`).
#[pyfunction]
pub fn _with_reform_json(
    py: Python<'_>,
    engine: &NativeEngine,
    reform: &Bound<'_, PyAny>,
) -> PyResult<NativeEngine> {
    let value = py_to_json(reform)?;
    let e = py
        .detach(|| {
            let r = Reform::from_json(&value)?;
            engine.engine.with_reform(&r)
        })
        .py()?;
    Ok(NativeEngine {
        engine: Arc::new(e),
        source: Arc::clone(&engine.source),
    })
}

/// The reforms an engine is under: `[{"id", "title", "cite", "note"?, "file"}]`, as JSON text.
#[pyfunction]
pub fn _reforms(engine: &NativeEngine) -> PyResult<String> {
    json_text(&serde_json::to_value(engine.engine.reforms()).unwrap_or_default())
}

/// The reforms' sources `[(file, text)]`, in order (pickling rebuilds the engine from them).
#[pyfunction]
pub fn _reform_sources(engine: &NativeEngine) -> Vec<(String, String)> {
    engine
        .engine
        .reform_sources()
        .iter()
        .map(|r| (r.file.clone(), r.text.clone()))
        .collect()
}

/// How a reformed engine pickles: its pack's sources and its reforms'.
pub fn reduce_reformed<'py>(
    py: Python<'py>,
    engine: &NativeEngine,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
    let args = PyTuple::new(
        py,
        [
            engine.source_state(py)?,
            _reform_sources(engine).into_pyobject(py)?.into_any(),
        ],
    )?;
    reduce(py, "reformed_engine", args)
}

/// The registry (a dict) under `base` and `after` at `as_of`:
/// `(json, table_vi, table_en, html_vi, html_en)`.
#[pyfunction]
pub fn _diff(
    py: Python<'_>,
    base: &NativeEngine,
    after: &NativeEngine,
    registry: &Bound<'_, PyAny>,
    as_of: &str,
) -> PyResult<(String, String, String, String, String)> {
    let as_of = parse_date(as_of)?;
    let value = py_to_json(registry)?;
    let d = py
        .detach(|| {
            let mut b = base.engine.diff_builder(&after.engine, as_of)?;
            b.rows().add_registry(&value)?;
            Ok::<_, htx_rules::Error>(b.finish())
        })
        .py()?;
    Ok((
        json_text(&d.to_json())?,
        d.to_table(Lang::Vi),
        d.to_table(Lang::En),
        d.to_html(Lang::Vi),
        d.to_html(Lang::En),
    ))
}

/// Where decision `rule`'s outcome changes along its numeric inputs:
/// `(json, text_vi, text_en)` (see `htx_rules::boundaries`).
#[pyfunction]
pub fn _boundaries(engine: &NativeEngine, rule: &str) -> PyResult<(String, String, String)> {
    let list = engine.engine.boundaries(rule).py()?;
    let json = serde_json::to_value(&list).unwrap_or_default();
    let text = |lang| list.iter().map(|b| b.to_text(lang)).collect::<String>();
    Ok((json_text(&json)?, text(Lang::Vi), text(Lang::En)))
}
