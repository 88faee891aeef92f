//! The progress report from Python: registry collections as Arrow data (or lists of dicts, or
//! files the core reads), added to the core's `ReportBuilder`, and partial reports that merge.
//!
//! Binding conversion only: the core decodes every row against the collection's schema,
//! checks it at the report's date, counts duplicate ids once (also across partials) and
//! applies disclosure control when a report is finished — never to a partial.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use arrow_array::RecordBatch;
use htx_rules::report::{ReportBuilder, ReportPartial, RowLocation};
use htx_rules::{Column, ColumnBatch, Date, Engine};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple};
use pyo3_arrow::input::AnyRecordBatch;
use serde_json::Value;

use crate::arrow::{column, EvalError, Kind, CHUNK};
use crate::convert::py_to_json;
use crate::errors::IntoPy;
use crate::{parse_date, parse_lang, py_report, reduce, NativeEngine, PyReport};

/// Dotted field path -> kind, for every field of a collection's rows.
fn collection_kinds(engine: &Engine, collection: &str) -> HashMap<String, Kind> {
    engine
        .collection_fields(collection)
        .unwrap_or_default()
        .into_iter()
        .map(|f| (f.path, Kind::of(f.kind)))
        .collect()
}

/// One Arrow batch of a collection as the core's columns. A column that names no field goes
/// as an empty column of its name, so the core lists it as ignored (it is never converted).
fn column_batch(
    batch: &RecordBatch,
    kinds: &HashMap<String, Kind>,
    objects: &[(String, &[Value])],
) -> Result<ColumnBatch, EvalError> {
    let n = batch.num_rows();
    let mut cols = ColumnBatch::new(n);
    let schema = batch.schema();
    for (field, arr) in schema.fields().iter().zip(batch.columns()) {
        let path = field.name();
        match kinds.get(path) {
            Some(&k) => {
                if let Some(c) = column(arr.as_ref(), Some(k), path, kinds)? {
                    cols.push(path.as_str(), c);
                }
            }
            None => cols.push(path.as_str(), Column::Json(vec![None; n])),
        }
    }
    for (path, values) in objects {
        let cells = if kinds.contains_key(path) {
            values
                .iter()
                .map(|v| (!v.is_null()).then(|| v.clone()))
                .collect()
        } else {
            vec![None; values.len()]
        };
        cols.push(path.as_str(), Column::Json(cells));
    }
    Ok(cols)
}

self_cell::self_cell!(
    /// A core report builder kept together with the engine it borrows from.
    struct BuilderCell {
        owner: Arc<Engine>,
        #[covariant]
        dependent: ReportBuilder,
    }
);

/// A report being built (low-level; use `Engine.report` and `Engine.report_partial`).
#[pyclass(module = "htx_rules._native", name = "ReportBuilder")]
pub(crate) struct PyReportBuilder {
    cell: BuilderCell,
    engine: Py<NativeEngine>,
    as_of: Date,
    /// The number of the next row of each collection (from 1): rows are numbered as one pass
    /// over the whole collection would number them, when the caller says where a part starts.
    next: HashMap<String, u64>,
}

impl PyReportBuilder {
    pub(crate) fn create(
        py: Python<'_>,
        engine: &Bound<'_, NativeEngine>,
        as_of: &str,
    ) -> PyResult<Self> {
        let as_of = parse_date(as_of)?;
        let shared = Arc::clone(&engine.get().engine);
        let cell = py
            .detach(|| BuilderCell::try_new(shared, |e| e.report_builder(as_of)))
            .py()?;
        Ok(PyReportBuilder {
            cell,
            engine: engine.clone().unbind(),
            as_of,
            next: HashMap::new(),
        })
    }

    /// The number of the first of `rows` rows of `collection`, and counts them.
    fn number(&mut self, collection: &str, rows: usize) -> u64 {
        let next = self.next.entry(collection.to_owned()).or_insert(1);
        let first = *next;
        *next += rows as u64;
        first
    }

    /// Checks the collection's name (the core's error names those there are).
    fn check(&self, collection: &str) -> PyResult<()> {
        self.cell.borrow_dependent().collection(collection).py()?;
        Ok(())
    }

    /// Replaces the builder by a new one and gives what the old one held.
    fn take<T>(&mut self, f: impl FnOnce(ReportBuilder<'_>) -> T) -> PyResult<T> {
        let as_of = self.as_of;
        self.next.clear();
        self.cell
            .with_dependent_mut(|engine, b| {
                let fresh = engine.report_builder(as_of)?;
                Ok(f(std::mem::replace(b, fresh)))
            })
            .py()
    }
}

#[pymethods]
impl PyReportBuilder {
    /// Where the next row of `collection` is numbered from (1 for the first row of the whole
    /// collection): for a part of a larger collection.
    fn start_at(&mut self, collection: &str, first_record: u64) -> PyResult<()> {
        self.check(collection)?;
        if first_record == 0 {
            return Err(PyValueError::new_err(
                "first_record counts from 1 (the collection's first row)",
            ));
        }
        self.next.insert(collection.to_owned(), first_record);
        Ok(())
    }

    /// Adds every batch of Arrow data (anything with `__arrow_c_stream__` or
    /// `__arrow_c_array__`) to `collection`, with the GIL released. `objects` are extra
    /// columns of Python objects (pandas columns Arrow could not type), as long as the data.
    /// Returns the rows added.
    #[pyo3(signature = (collection, data, objects=None, source=None))]
    fn add_arrow(
        &mut self,
        py: Python<'_>,
        collection: &str,
        data: AnyRecordBatch,
        objects: Option<Vec<(String, Bound<'_, PyAny>)>>,
        source: Option<String>,
    ) -> PyResult<usize> {
        self.check(collection)?;
        let kinds = collection_kinds(self.cell.borrow_owner(), collection);
        let reader = data.into_reader()?;
        let mut object_columns: Vec<(String, Vec<Value>)> = Vec::new();
        for (path, cells) in objects.unwrap_or_default() {
            let mut values = Vec::new();
            for v in cells.try_iter()? {
                values.push(py_to_json(&v?)?);
            }
            object_columns.push((path, values));
        }
        let mut first = self.next.get(collection).copied().unwrap_or(1);
        let cell = &mut self.cell;
        let added = py.detach(|| -> Result<usize, EvalError> {
            let mut row = 0usize;
            for batch in reader {
                let batch = batch?;
                let rows = batch.num_rows();
                let mut off = 0;
                while off < rows {
                    let len = CHUNK.min(rows - off);
                    let slice = batch.slice(off, len);
                    let mut objs: Vec<(String, &[Value])> = Vec::new();
                    for (path, cells) in &object_columns {
                        let part = cells.get(row..row + len).ok_or_else(|| {
                            EvalError::Type(format!(
                                "column `{path}` has {} values, fewer than the data's rows",
                                cells.len()
                            ))
                        })?;
                        objs.push((path.clone(), part));
                    }
                    let cols = column_batch(&slice, &kinds, &objs)?;
                    cell.with_dependent_mut(|_, b| {
                        b.add_batch_from(collection, &cols, source.as_deref(), Some(first))
                    })?;
                    first += len as u64;
                    off += len;
                    row += len;
                }
            }
            Ok(row)
        })?;
        self.number(collection, added);
        Ok(added)
    }

    /// Adds rows given as dicts (nested as in the registry's JSON) to `collection`.
    #[pyo3(signature = (collection, rows, source=None))]
    fn add_records(
        &mut self,
        py: Python<'_>,
        collection: &str,
        rows: &Bound<'_, PyAny>,
        source: Option<String>,
    ) -> PyResult<usize> {
        self.check(collection)?;
        let c = self.cell.borrow_dependent().collection(collection).py()?;
        let mut values = Vec::new();
        for r in rows.try_iter()? {
            values.push(py_to_json(&r?)?);
        }
        let first = self.number(collection, values.len());
        py.detach(|| {
            self.cell.with_dependent_mut(|_, b| {
                for (i, v) in values.iter().enumerate() {
                    let loc = RowLocation {
                        source: source.as_deref(),
                        record: Some(first + i as u64),
                        ..RowLocation::default()
                    };
                    b.add_at(c, v, loc);
                }
            })
        });
        Ok(values.len())
    }

    /// Sets a metadata key of the registry (a key the pack does not declare is listed as
    /// ignored; a value of the wrong type is a record error).
    fn set_meta(&mut self, key: &str, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let value = py_to_json(value)?;
        self.cell.with_dependent_mut(|_, b| b.set_meta(key, &value));
        Ok(())
    }

    /// Reads a registry file (JSON) or folder (`<collection>.csv|.jsonl|.json` and
    /// `registry.json`) streaming, on `threads` threads, with the GIL released.
    fn read_path(&mut self, py: Python<'_>, path: PathBuf, threads: usize) -> PyResult<()> {
        let cell = &mut self.cell;
        py.detach(|| {
            cell.with_dependent_mut(|_, b| {
                b.threads(threads);
                b.read_path(&path)
            })
        })
        .py()
    }

    /// The partial report of everything added so far; the builder starts again empty.
    fn take_partial(&mut self, py: Python<'_>) -> PyResult<PyReportPartial> {
        let partial = self.take(|b| b.into_partial())?;
        Ok(PyReportPartial {
            engine: self.engine.clone_ref(py),
            partial: Arc::new(partial),
        })
    }

    /// The report of everything added so far (disclosure control applied); the builder starts
    /// again empty.
    fn finish(&mut self, py: Python<'_>, lang: &str) -> PyResult<PyReport> {
        let lang = parse_lang(lang)?;
        let report = self.take(|b| b.finish())?;
        Ok(py.detach(|| py_report(&report, lang)))
    }
}

/// A partial progress report: the exact accumulators of part of a registry (and the ids it
/// counted, so a duplicate across parts is counted once). Merge partials with `merge` or
/// `htx_rules.combine`, then `finish()` gives the report. Its counts are exact and not
/// protected: never publish a partial, publish the finished report.
#[pyclass(module = "htx_rules", name = "ReportPartial", frozen)]
pub(crate) struct PyReportPartial {
    engine: Py<NativeEngine>,
    partial: Arc<ReportPartial>,
}

impl PyReportPartial {
    fn engine_of<'a>(&'a self, py: Python<'a>) -> &'a Arc<Engine> {
        &self.engine.bind(py).get().engine
    }
}

/// Merges `rest` after `first`, in order (the first row with an id counts, as in one pass).
fn merge_all(
    engine: &Engine,
    first: &ReportPartial,
    rest: &[Arc<ReportPartial>],
) -> Result<ReportPartial, htx_rules::Error> {
    let mut b = engine.resume_report(first.clone())?;
    for p in rest {
        b.merge(p.as_ref().clone())?;
    }
    Ok(b.into_partial())
}

/// Combines partial reports in order into one (low-level; use `htx_rules.combine`).
#[pyfunction]
pub(crate) fn _combine(
    py: Python<'_>,
    parts: Vec<Py<PyReportPartial>>,
) -> PyResult<PyReportPartial> {
    let Some(first) = parts.first() else {
        return Err(PyValueError::new_err(
            "combine() needs at least one ReportPartial",
        ));
    };
    let engine = first.get().engine.clone_ref(py);
    let shared: Vec<Arc<ReportPartial>> =
        parts.iter().map(|p| Arc::clone(&p.get().partial)).collect();
    let core = Arc::clone(&engine.bind(py).get().engine);
    let merged = match shared.split_first() {
        Some((first, rest)) => py.detach(|| merge_all(&core, first, rest)).py()?,
        None => {
            return Err(PyValueError::new_err(
                "combine() needs at least one ReportPartial",
            ))
        }
    };
    Ok(PyReportPartial {
        engine,
        partial: Arc::new(merged),
    })
}

#[pymethods]
impl PyReportPartial {
    /// The report's date, ISO text.
    #[getter]
    fn as_of(&self) -> String {
        self.partial.as_of().to_string()
    }

    /// Rows read into this partial, over every collection.
    #[getter]
    fn rows(&self) -> u64 {
        self.partial.rows()
    }

    /// This partial's rows followed by `other`'s, as one partial (a duplicate id counts once:
    /// the first in this order). Neither is changed.
    fn merge(&self, py: Python<'_>, other: &Bound<'_, PyReportPartial>) -> PyResult<Self> {
        let first = Arc::clone(&self.partial);
        let rest = [Arc::clone(&other.get().partial)];
        let engine = Arc::clone(self.engine_of(py));
        let merged = py.detach(|| merge_all(&engine, &first, &rest)).py()?;
        Ok(PyReportPartial {
            engine: self.engine.clone_ref(py),
            partial: Arc::new(merged),
        })
    }

    /// The report: values, targets, status and shortfall per period and indicator, with the
    /// pack's disclosure control applied (here, once, never to partials).
    #[pyo3(signature = (lang="vi"))]
    fn finish(&self, py: Python<'_>, lang: &str) -> PyResult<PyReport> {
        let lang = parse_lang(lang)?;
        let engine = Arc::clone(self.engine_of(py));
        let partial = Arc::clone(&self.partial);
        py.detach(|| {
            engine
                .resume_report(partial.as_ref().clone())
                .map(|b| py_report(&b.finish(), lang))
        })
        .py()
    }

    /// The partial as bytes (its JSON text, UTF-8): what pickling ships.
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let partial = Arc::clone(&self.partial);
        let bytes = py
            .detach(|| serde_json::to_vec(partial.as_ref()))
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
        Ok(PyBytes::new(py, &bytes))
    }

    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let args = (self.engine.clone_ref(py), self.to_bytes(py)?).into_pyobject(py)?;
        reduce(py, "report_partial", args)
    }

    fn __repr__(&self) -> String {
        format!(
            "ReportPartial(as_of={:?}, rows={})",
            self.partial.as_of().to_string(),
            self.partial.rows()
        )
    }
}

/// Rebuilds a `ReportPartial` from `to_bytes()` (pickling), for `engine`'s pack.
#[pyfunction]
pub(crate) fn _report_partial(
    py: Python<'_>,
    engine: Py<NativeEngine>,
    data: &[u8],
) -> PyResult<PyReportPartial> {
    let partial: ReportPartial = py.detach(|| serde_json::from_slice(data)).map_err(|e| {
        crate::errors::InputError::new_err(format!(
            "không đọc được báo cáo từng phần ({e}) (cannot read the partial report: {e}) [input.partial]"
        ))
    })?;
    // a partial of another pack is refused when merged or finished (the core checks the pack)
    Ok(PyReportPartial {
        engine,
        partial: Arc::new(partial),
    })
}
