//! `htx_rules._native`: the Python binding of the `htx-rules` core.
//!
//! This crate only converts Python values to the core's inputs, calls the core, and converts the
//! answers back. Every rule, threshold and message lives in the core and its rule packs. The
//! thin conveniences (pandas/Arrow encoding, HTML display) live in the pure-Python package
//! `htx_rules` beside this module.

mod columns;

// The core allocates many small, short-lived values per row; mimalloc serves Rust's own
// allocations much faster than the system allocator (Python's objects are not affected).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod convert;
mod errors;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use htx_rules::{Date, Evaluation, Lang, Message, Outcome, Scalar};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList};

use crate::convert::{json_to_py, opt_scalar_to_py, py_to_json};
use crate::errors::{message_dict, IntoPy};

/// Parses an ISO date passed by the Python layer (which already turned `datetime.date` into text).
fn parse_date(s: &str) -> PyResult<Date> {
    Date::parse(s).ok_or_else(|| {
        errors::InputError::new_err(format!(
            "ngày không hợp lệ: {s:?}, cần YYYY-MM-DD (invalid date {s:?}, expected YYYY-MM-DD) [input.date]"
        ))
    })
}

fn parse_lang(s: &str) -> PyResult<Lang> {
    Lang::parse(s)
        .ok_or_else(|| PyValueError::new_err(format!("lang must be \"vi\" or \"en\", got {s:?}")))
}

fn lang_str(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "vi",
        Lang::En => "en",
    }
}

/// Calls a function of the pure-Python display module (`htx_rules._display`).
fn display(py: Python<'_>, func: &str, obj: &Bound<'_, PyAny>) -> PyResult<String> {
    py.import("htx_rules._display")?
        .getattr(func)?
        .call1((obj,))?
        .extract()
}

self_cell::self_cell!(
    /// A core evaluation kept together with the engine it borrows from, so that reasons and
    /// the JSON form are rendered only when Python asks for them.
    struct EvalCell {
        owner: Arc<htx_rules::Engine>,
        #[covariant]
        dependent: Evaluation,
    }
);

impl EvalCell {
    fn evaluation(&self) -> &Evaluation<'_> {
        self.borrow_dependent()
    }
    fn decision(&self, index: usize) -> Option<&htx_rules::Decision<'_>> {
        self.evaluation().decisions().nth(index).map(|(_, d)| d)
    }
}

/// A decision: its outcome, value, target, reasons, missing facts and citation.
#[pyclass(module = "htx_rules", name = "Decision", frozen)]
struct PyDecision {
    cell: Arc<EvalCell>,
    index: usize,
    name: String,
}

impl PyDecision {
    fn get(&self) -> PyResult<&htx_rules::Decision<'_>> {
        self.cell
            .decision(self.index)
            .ok_or_else(|| pyo3::exceptions::PyIndexError::new_err("decision index out of range"))
    }
}

#[pymethods]
impl PyDecision {
    /// The decision's name (e.g. `"women_managed"`).
    #[getter]
    fn name(&self) -> &str {
        &self.name
    }
    /// `"yes"`, `"no"` or `"unknown"`.
    #[getter]
    fn outcome(&self) -> PyResult<&'static str> {
        Ok(self.get()?.outcome().as_str())
    }
    /// The computed value (`decimal.Decimal`, `int`, `bool`, `datetime.date`, `str`) or `None`.
    #[getter]
    fn value<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        opt_scalar_to_py(py, self.get()?.value())
    }
    /// The target the value is measured against, or `None`.
    #[getter]
    fn target<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        opt_scalar_to_py(py, self.get()?.target())
    }
    /// Reasons, each `{"vi": ..., "en": ...}`.
    #[getter]
    fn reasons<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for r in &self.get()?.reasons() {
            list.append(message_dict(py, r)?)?;
        }
        Ok(list)
    }
    /// JSON Pointers of the absent facts that made the outcome unknown.
    #[getter]
    fn missing(&self) -> PyResult<Vec<String>> {
        Ok(self.get()?.missing().to_vec())
    }
    /// The decision in the contract's JSON shape, as plain Python objects.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.get()?.to_json())
    }
    /// The citation: `{"document": ..., "section": ...}` (plus `"wording"` when the pack quotes it).
    #[getter]
    fn cite<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let cite = self.get()?.cite();
        let d = PyDict::new(py);
        d.set_item("document", &cite.document)?;
        d.set_item("section", &cite.section)?;
        if let Some(w) = &cite.wording {
            d.set_item("wording", w)?;
        }
        Ok(d)
    }
    fn __bool__(&self) -> PyResult<bool> {
        Ok(self.get()?.outcome() == Outcome::Yes)
    }
    fn __repr__(&self) -> PyResult<String> {
        let d = self.get()?;
        let value = d
            .value()
            .map(|v| format!(", value={}", scalar_repr(v)))
            .unwrap_or_default();
        Ok(format!(
            "Decision({:?}, outcome={:?}{value})",
            self.name,
            d.outcome().as_str()
        ))
    }
}

fn scalar_repr(s: &Scalar) -> String {
    match s {
        Scalar::Bool(b) => {
            if *b {
                "True".into()
            } else {
                "False".into()
            }
        }
        Scalar::Int(i) => i.to_string(),
        Scalar::Decimal(d) => format!("Decimal('{d}')"),
        Scalar::Date(d) => format!("date('{d}')"),
        Scalar::Text(t) => format!("{t:?}"),
    }
}

/// The result of evaluating one record: its `id` and one decision per rule.
#[pyclass(module = "htx_rules", name = "Result")]
struct PyEvaluation {
    cell: Arc<EvalCell>,
    entity: String,
    as_of: Date,
    decisions: PyOnceLock<Py<PyDict>>,
    /// Display language of `_repr_html_` (`"vi"` or `"en"`).
    #[pyo3(get, set)]
    lang: String,
}

impl PyEvaluation {
    fn new(cell: EvalCell, entity: &str, as_of: Date, lang: Lang) -> PyEvaluation {
        PyEvaluation {
            cell: Arc::new(cell),
            entity: entity.to_owned(),
            as_of,
            decisions: PyOnceLock::new(),
            lang: lang_str(lang).to_owned(),
        }
    }
}

#[pymethods]
impl PyEvaluation {
    /// The record's `id`, or `None`.
    #[getter]
    fn id(&self) -> Option<&str> {
        self.cell.evaluation().id()
    }
    /// The entity evaluated (`"cooperative"`, `"person"`, `"progress"`, …).
    #[getter]
    fn entity(&self) -> &str {
        &self.entity
    }
    /// The as-of date used, ISO text.
    #[getter]
    fn as_of(&self) -> String {
        self.as_of.to_string()
    }
    /// Decisions by name, in the pack's order.
    #[getter]
    fn decisions<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = self
            .decisions
            .get_or_try_init(py, || -> PyResult<Py<PyDict>> {
                let d = PyDict::new(py);
                for (index, (name, _)) in self.cell.evaluation().decisions().enumerate() {
                    let dec = Py::new(
                        py,
                        PyDecision {
                            cell: Arc::clone(&self.cell),
                            index,
                            name: name.to_owned(),
                        },
                    )?;
                    d.set_item(name, dec)?;
                }
                Ok(d.unbind())
            })?;
        Ok(d.bind(py).clone())
    }
    /// Facts that were present but malformed (treated as absent, so their decisions are unknown).
    #[getter]
    fn errors(&self, py: Python<'_>) -> PyResult<Vec<Py<PyFieldError>>> {
        let lang = parse_lang(&self.lang).unwrap_or(Lang::Vi);
        self.cell
            .evaluation()
            .errors()
            .iter()
            .map(|e| {
                Py::new(
                    py,
                    PyFieldError {
                        field: e.field.clone(),
                        code: e.code.clone(),
                        message: e.message.clone(),
                        lang,
                    },
                )
            })
            .collect()
    }
    /// Exactly the contract's JSON shape (decimals as strings), as plain Python objects.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        // the core streams its JSON text; Python's C json parser builds the objects
        let text = serde_json::to_string(self.cell.evaluation())
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        py.import("json")?.call_method1("loads", (text,))
    }
    /// The contract's JSON text.
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(self.cell.evaluation())
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
    }
    fn __getitem__<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        let d = self.decisions(py)?;
        match d.get_item(name)? {
            Some(v) => Ok(v),
            None => Err(pyo3::exceptions::PyKeyError::new_err(name.to_owned())),
        }
    }
    fn __len__(&self) -> usize {
        self.cell.evaluation().decisions().count()
    }
    fn __repr__(&self) -> String {
        let ev = self.cell.evaluation();
        let parts: Vec<String> = ev
            .decisions()
            .map(|(n, d)| format!("{n}={}", d.outcome().as_str()))
            .collect();
        let id = ev
            .id()
            .map_or_else(|| "None".to_owned(), |i| format!("{i:?}"));
        format!("Result(id={id}, {})", parts.join(", "))
    }
    fn _repr_html_(slf: &Bound<'_, Self>) -> PyResult<String> {
        display(slf.py(), "result_html", slf.as_any())
    }
}

/// One invalid field found by `Engine.validate`.
#[pyclass(module = "htx_rules", name = "FieldError", frozen)]
struct PyFieldError {
    field: String,
    code: String,
    message: Message,
    lang: Lang,
}

#[pymethods]
impl PyFieldError {
    /// JSON Pointer (RFC 6901) of the field.
    #[getter]
    fn field(&self) -> &str {
        &self.field
    }
    /// Stable error code.
    #[getter]
    fn code(&self) -> &str {
        &self.code
    }
    /// The message in the language chosen for `validate`.
    #[getter]
    fn message(&self) -> &str {
        self.message.get(self.lang)
    }
    /// Both messages, `{"vi": ..., "en": ...}`.
    #[getter]
    fn messages<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        message_dict(py, &self.message)
    }
    fn __repr__(&self) -> String {
        format!(
            "FieldError({:?}, {:?}, {:?})",
            self.field,
            self.code,
            self.message.get(self.lang)
        )
    }
}

/// The outcome of form validation.
#[pyclass(module = "htx_rules", name = "Validation", frozen)]
struct PyValidation {
    valid: bool,
    errors: Vec<Py<PyFieldError>>,
    json: serde_json::Value,
}

#[pymethods]
impl PyValidation {
    /// `True` when no field is invalid.
    #[getter]
    fn valid(&self) -> bool {
        self.valid
    }
    /// The invalid fields.
    #[getter]
    fn errors(&self, py: Python<'_>) -> Vec<Py<PyFieldError>> {
        self.errors.iter().map(|e| e.clone_ref(py)).collect()
    }
    /// The contract's JSON shape as plain Python objects.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.json)
    }
    fn __bool__(&self) -> bool {
        self.valid
    }
    fn __repr__(&self) -> String {
        format!(
            "Validation(valid={}, errors={})",
            if self.valid { "True" } else { "False" },
            self.errors.len()
        )
    }
}

/// Progress of a province against the plan's phase targets.
#[pyclass(module = "htx_rules", name = "Report")]
struct PyReport {
    json: serde_json::Value,
    html_vi: String,
    html_en: String,
    table_vi: String,
    table_en: String,
    /// Display language (`"vi"` or `"en"`).
    #[pyo3(get, set)]
    lang: String,
}

#[pymethods]
impl PyReport {
    /// The report as plain Python objects (the core's JSON shape).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.json)
    }
    /// The report's JSON text.
    fn to_json(&self) -> String {
        self.json.to_string()
    }
    /// One row per indicator as a `pandas.DataFrame` (needs pandas).
    fn to_frame<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.py()
            .import("htx_rules._report")?
            .getattr("report_frame")?
            .call1((slf,))
    }
    /// The core's self-contained HTML page in `lang` (default: the report's `lang`).
    #[pyo3(signature = (lang=None))]
    fn to_html(&self, lang: Option<&str>) -> PyResult<&str> {
        let lang = parse_lang(lang.unwrap_or(&self.lang))?;
        Ok(match lang {
            Lang::Vi => &self.html_vi,
            Lang::En => &self.html_en,
        })
    }
    /// A plain-text table in `lang` (default: the report's `lang`).
    #[pyo3(signature = (lang=None))]
    fn to_table(&self, lang: Option<&str>) -> PyResult<&str> {
        let lang = parse_lang(lang.unwrap_or(&self.lang))?;
        Ok(match lang {
            Lang::Vi => &self.table_vi,
            Lang::En => &self.table_en,
        })
    }
    fn __str__(&self) -> PyResult<&str> {
        self.to_table(None)
    }
    fn __repr__(&self) -> String {
        "Report(...)".to_owned()
    }
    fn _repr_html_(slf: &Bound<'_, Self>) -> PyResult<String> {
        display(slf.py(), "report_html", slf.as_any())
    }
}

/// A rule explained: its text, citation, parameters and their dated values.
#[pyclass(module = "htx_rules", name = "Explanation")]
struct PyExplanation {
    json: serde_json::Value,
    text_vi: String,
    text_en: String,
    /// Display language (`"vi"` or `"en"`).
    #[pyo3(get, set)]
    lang: String,
}

#[pymethods]
impl PyExplanation {
    /// The explanation as plain Python objects (the core's JSON shape).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.json)
    }
    /// The explanation as text in `lang` (default: its `lang`).
    #[pyo3(signature = (lang=None))]
    fn to_text(&self, lang: Option<&str>) -> PyResult<&str> {
        let lang = parse_lang(lang.unwrap_or(&self.lang))?;
        Ok(match lang {
            Lang::Vi => &self.text_vi,
            Lang::En => &self.text_en,
        })
    }
    fn __str__(&self) -> PyResult<&str> {
        self.to_text(None)
    }
    fn __repr__(&self) -> String {
        "Explanation(...)".to_owned()
    }
    fn _repr_html_(slf: &Bound<'_, Self>) -> PyResult<String> {
        display(slf.py(), "explanation_html", slf.as_any())
    }
}

/// A loaded rule pack (low-level; use `htx_rules.Engine`).
#[pyclass(module = "htx_rules._native", name = "NativeEngine", frozen)]
struct NativeEngine {
    engine: Arc<htx_rules::Engine>,
}

#[pymethods]
impl NativeEngine {
    /// The embedded Bến Tre pack.
    #[staticmethod]
    fn embedded(py: Python<'_>) -> PyResult<NativeEngine> {
        let engine = py.detach(htx_rules::Engine::embedded).py()?;
        Ok(NativeEngine {
            engine: Arc::new(engine),
        })
    }

    /// A pack folder on disk.
    #[staticmethod]
    fn from_dir(py: Python<'_>, path: PathBuf) -> PyResult<NativeEngine> {
        let engine = py.detach(|| htx_rules::Engine::from_dir(&path)).py()?;
        Ok(NativeEngine {
            engine: Arc::new(engine),
        })
    }

    /// A pack from in-memory sources: `{"pack-id/file.toml": text}` and the root pack's id.
    #[staticmethod]
    fn from_sources(
        py: Python<'_>,
        files: BTreeMap<String, String>,
        root: String,
    ) -> PyResult<NativeEngine> {
        let engine = py
            .detach(|| htx_rules::Engine::from_sources(&files, &root))
            .py()?;
        Ok(NativeEngine {
            engine: Arc::new(engine),
        })
    }

    /// Evaluates one record (a dict) as of an ISO date.
    fn evaluate(
        &self,
        entity: &str,
        record: &Bound<'_, PyAny>,
        as_of: &str,
        lang: &str,
    ) -> PyResult<PyEvaluation> {
        let as_of = parse_date(as_of)?;
        let lang = parse_lang(lang)?;
        let value = py_to_json(record)?;
        let cell = EvalCell::try_new(Arc::clone(&self.engine), |engine| {
            engine.evaluate(entity, &value, as_of)
        })
        .py()?;
        Ok(PyEvaluation::new(cell, entity, as_of, lang))
    }

    /// Evaluates a list of records, in order.
    fn evaluate_list(
        &self,
        py: Python<'_>,
        entity: &str,
        records: &Bound<'_, PyAny>,
        as_of: &str,
        lang: &str,
    ) -> PyResult<Vec<PyEvaluation>> {
        let as_of = parse_date(as_of)?;
        let lang = parse_lang(lang)?;
        let mut values = Vec::new();
        for r in records.try_iter()? {
            values.push(py_to_json(&r?)?);
        }
        let out = py.detach(|| -> Result<Vec<PyEvaluation>, htx_rules::Error> {
            // One cell per record (the core's `evaluate_many` is this same loop).
            values
                .iter()
                .map(|value| {
                    EvalCell::try_new(Arc::clone(&self.engine), |engine| {
                        engine.evaluate(entity, value, as_of)
                    })
                    .map(|cell| PyEvaluation::new(cell, entity, as_of, lang))
                })
                .collect()
        });
        out.py()
    }

    /// Evaluates columns (see `htx_rules._columns`); returns `(names, outcome codes, value columns)`.
    fn evaluate_columns<'py>(
        &self,
        py: Python<'py>,
        entity: &str,
        n_rows: usize,
        columns: &Bound<'py, PyList>,
        as_of: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let as_of = parse_date(as_of)?;
        let t0 = std::time::Instant::now();
        let batch = columns::build_batch(n_rows, columns)?;
        let t1 = std::time::Instant::now();
        let result = py
            .detach(|| self.engine.evaluate_columns(entity, &batch, as_of))
            .py()?;
        let t2 = std::time::Instant::now();
        let out = columns::result_to_py(py, &result);
        if std::env::var_os("HTX_PROFILE").is_some() {
            eprintln!(
                "build {:?} core {:?} convert {:?}",
                t1 - t0,
                t2 - t1,
                t2.elapsed()
            );
        }
        out
    }

    /// Form validation of one record.
    fn validate(
        &self,
        entity: &str,
        record: &Bound<'_, PyAny>,
        as_of: &str,
        lang: &str,
    ) -> PyResult<PyValidation> {
        let py = record.py();
        let as_of = parse_date(as_of)?;
        let lang = parse_lang(lang)?;
        let value = py_to_json(record)?;
        let v = self.engine.validate(entity, &value, as_of).py()?;
        let mut errors = Vec::with_capacity(v.errors.len());
        for e in &v.errors {
            errors.push(Py::new(
                py,
                PyFieldError {
                    field: e.field.clone(),
                    code: e.code.to_string(),
                    message: e.message.clone(),
                    lang,
                },
            )?);
        }
        Ok(PyValidation {
            valid: v.valid,
            errors,
            json: v.to_json(),
        })
    }

    /// Progress report from a registry (a dict).
    fn report(
        &self,
        py: Python<'_>,
        registry: &Bound<'_, PyAny>,
        as_of: &str,
        lang: &str,
    ) -> PyResult<PyReport> {
        let as_of = parse_date(as_of)?;
        let lang = parse_lang(lang)?;
        let value = py_to_json(registry)?;
        let r = py.detach(|| self.engine.report(&value, as_of)).py()?;
        Ok(PyReport {
            json: r.to_json(),
            html_vi: r.to_html(Lang::Vi),
            html_en: r.to_html(Lang::En),
            table_vi: r.to_table(Lang::Vi),
            table_en: r.to_table(Lang::En),
            lang: lang_str(lang).to_owned(),
        })
    }

    /// A rule explained.
    fn explain(&self, name: &str, lang: &str) -> PyResult<PyExplanation> {
        let lang = parse_lang(lang)?;
        let e = self.engine.explain(name).py()?;
        Ok(PyExplanation {
            json: e.to_json(),
            text_vi: e.to_text(Lang::Vi),
            text_en: e.to_text(Lang::En),
            lang: lang_str(lang).to_owned(),
        })
    }

    /// Benchmark helper: seconds the core alone takes to evaluate `record` `n` times (the record
    /// is converted once, outside the timing; the GIL is released).
    fn _time_core(
        &self,
        py: Python<'_>,
        entity: &str,
        record: &Bound<'_, PyAny>,
        as_of: &str,
        n: usize,
    ) -> PyResult<f64> {
        let as_of = parse_date(as_of)?;
        let value = py_to_json(record)?;
        let out = py.detach(|| -> Result<f64, htx_rules::Error> {
            let start = std::time::Instant::now();
            for _ in 0..n {
                let ev = self.engine.evaluate(entity, &value, as_of)?;
                std::hint::black_box(&ev);
            }
            Ok(start.elapsed().as_secs_f64())
        });
        out.py()
    }

    /// JSON Schema of an entity, as plain Python objects.
    fn schema<'py>(&self, py: Python<'py>, entity: &str) -> PyResult<Bound<'py, PyAny>> {
        let s = self.engine.schema(entity).py()?;
        json_to_py(py, &s)
    }
}

/// The native module.
#[pymodule]
#[pyo3(name = "_native")]
fn htx_rules_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<NativeEngine>()?;
    m.add_class::<PyEvaluation>()?;
    m.add_class::<PyDecision>()?;
    m.add_class::<PyValidation>()?;
    m.add_class::<PyFieldError>()?;
    m.add_class::<PyReport>()?;
    m.add_class::<PyExplanation>()?;
    m.add("HtxRulesError", py.get_type::<errors::HtxRulesError>())?;
    m.add("PackError", py.get_type::<errors::PackError>())?;
    m.add("FactsError", py.get_type::<errors::FactsError>())?;
    m.add("InputError", py.get_type::<errors::InputError>())?;
    m.add(
        "UnknownNameError",
        py.get_type::<errors::UnknownNameError>(),
    )?;
    m.add("CORE_VERSION", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
