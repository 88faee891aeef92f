//! `htx_rules._native`: the Python binding of the `htx-rules` core.
//!
//! This crate only converts Python values to the core's inputs, calls the core, and converts the
//! answers back. Every rule, threshold and message lives in the core and its rule packs. The
//! thin conveniences (frame dispatch, HTML display, pickling helpers) live in the pure-Python
//! package `htx_rules` beside this module; Arrow data goes through pyo3-arrow (`arrow.rs`).

// The core allocates many small, short-lived values per row; mimalloc serves Rust's own
// allocations much faster than the system allocator (Python's objects are not affected).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod arrow;
mod convert;
mod errors;
mod reform;
mod report;
mod source;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use htx_rules::{Date, Evaluation, Lang, Message, Outcome, Scalar, ValueType};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyTuple};
use pyo3_arrow::input::AnyRecordBatch;
use pyo3_arrow::{PyRecordBatch, PyRecordBatchReader, PyTable};
use serde_json::Value;

use crate::arrow::{thread_count, EvalError, EvalReader, Plan, Values, CHUNK};
use crate::convert::{cell_to_json, json_to_py, opt_scalar_to_py, py_to_json};
use crate::errors::{message_dict, IntoPy};
use crate::source::Source;

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

/// `(htx_rules._pickle.<func>, args)`: what `__reduce__` returns.
fn reduce<'py>(
    py: Python<'py>,
    func: &str,
    args: Bound<'py, PyTuple>,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
    Ok((py.import("htx_rules._pickle")?.getattr(func)?, args))
}

fn json_text(v: &Value) -> PyResult<String> {
    serde_json::to_string(v).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// What a `Result` was computed from: enough to compute it again (pickling re-evaluates).
struct EvalOwner {
    engine: Arc<htx_rules::Engine>,
    entity: String,
    record: Facts,
    as_of: Date,
    options: htx_rules::Options,
}

/// A record as it was given: a Python object (converted to JSON) or JSON text (read by the
/// core's text decoder, which sees a key given twice).
enum Facts {
    Value(Value),
    Text(String),
}

self_cell::self_cell!(
    /// A core evaluation kept together with the engine it borrows from, so that reasons and
    /// the JSON form are rendered only when Python asks for them.
    struct EvalCell {
        owner: EvalOwner,
        #[covariant]
        dependent: Evaluation,
    }
);

impl EvalCell {
    fn compute(owner: EvalOwner) -> Result<EvalCell, htx_rules::Error> {
        EvalCell::try_new(owner, |o| match &o.record {
            Facts::Value(v) => o.engine.evaluate_with(&o.entity, v, o.as_of, o.options),
            Facts::Text(t) => o
                .engine
                .evaluate_json(&o.entity, t.as_bytes(), o.as_of, o.options),
        })
    }
    fn evaluation(&self) -> &Evaluation<'_> {
        self.borrow_dependent()
    }
    fn decision(&self, index: usize) -> Option<&htx_rules::Decision<'_>> {
        self.evaluation().decisions().nth(index).map(|(_, d)| d)
    }
    /// `(engine, entity, record JSON text, as_of)` for `__reduce__`; a strict evaluation
    /// marks its entity `strict:` (read back by `_evaluate_json`).
    fn state<'py>(
        &self,
        py: Python<'py>,
        engine: &Py<NativeEngine>,
    ) -> PyResult<(Py<NativeEngine>, String, String, String)> {
        let o = self.borrow_owner();
        let entity = if o.options.strict {
            format!("strict:{}", o.entity)
        } else {
            o.entity.clone()
        };
        let text = match &o.record {
            Facts::Value(v) => json_text(v)?,
            Facts::Text(t) => t.clone(),
        };
        Ok((engine.clone_ref(py), entity, text, o.as_of.to_string()))
    }
}

static OUTCOMES: PyOnceLock<[Py<PyAny>; 3]> = PyOnceLock::new();

/// The outcome as an `htx_rules.Outcome` (a `str` that refuses `bool()`).
fn outcome_object(py: Python<'_>, o: Outcome) -> PyResult<Bound<'_, PyAny>> {
    let all = OUTCOMES.get_or_try_init(py, || -> PyResult<[Py<PyAny>; 3]> {
        let m = py.import("htx_rules._outcome")?;
        Ok([
            m.getattr("YES")?.unbind(),
            m.getattr("NO")?.unbind(),
            m.getattr("UNKNOWN")?.unbind(),
        ])
    })?;
    let [yes, no, unknown] = all;
    Ok(match o {
        Outcome::Yes => yes,
        Outcome::No => no,
        Outcome::Unknown => unknown,
    }
    .bind(py)
    .clone())
}

/// Why `bool(decision)` raises (as `bool(pandas.NA)` does).
const NO_TRUTH_VALUE: &str =
    "A Decision has no truth value: its outcome may be \"unknown\", which is \
neither True nor False. Compare the outcome instead: `decision.outcome == \"yes\"` \
(Quyết định không có giá trị đúng/sai vì kết quả có thể là \"unknown\" (chưa rõ); \
hãy so sánh `decision.outcome == \"yes\"`).";

/// A decision: its outcome, value, target, reasons, missing facts and citation.
#[pyclass(module = "htx_rules", name = "Decision", frozen)]
struct PyDecision {
    cell: Arc<EvalCell>,
    engine: Py<NativeEngine>,
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
    /// `"yes"`, `"no"` or `"unknown"` (an `Outcome`: a `str` that has no truth value).
    #[getter]
    fn outcome<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        outcome_object(py, self.get()?.outcome())
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
    /// Always raises `TypeError`: an outcome can be "unknown", which is neither True nor False.
    fn __bool__(&self) -> PyResult<bool> {
        Err(PyTypeError::new_err(NO_TRUTH_VALUE))
    }
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let (engine, entity, record, as_of) = self.cell.state(py, &self.engine)?;
        let args = (engine, entity, record, as_of, self.name.clone()).into_pyobject(py)?;
        reduce(py, "decision", args)
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
    engine: Py<NativeEngine>,
    decisions: PyOnceLock<Py<PyDict>>,
    /// Display language of `_repr_html_` (`"vi"` or `"en"`).
    #[pyo3(get, set)]
    lang: String,
}

impl PyEvaluation {
    fn new(cell: EvalCell, engine: Py<NativeEngine>, lang: Lang) -> PyEvaluation {
        PyEvaluation {
            cell: Arc::new(cell),
            engine,
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
        &self.cell.borrow_owner().entity
    }
    /// The as-of date used, ISO text.
    #[getter]
    fn as_of(&self) -> String {
        self.cell.borrow_owner().as_of.to_string()
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
                            engine: self.engine.clone_ref(py),
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
    /// Keys of the record that are not in the schema and were ignored, as dotted paths
    /// (`"phone"`, `"managers[].email"`). A key that looks like a field misspelled or written
    /// another way is in `errors` instead (`facts.misspelled_field`), as every key is when strict.
    #[getter]
    fn ignored(&self) -> Vec<String> {
        self.cell.evaluation().ignored().to_vec()
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
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        py.import("json")?.call_method1("loads", (text,))
    }
    /// The contract's JSON text.
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(self.cell.evaluation())
            .map_err(|e| PyValueError::new_err(e.to_string()))
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
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let (engine, entity, record, as_of) = self.cell.state(py, &self.engine)?;
        let args = (engine, entity, record, as_of, self.lang.clone()).into_pyobject(py)?;
        reduce(py, "result", args)
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
        // decision titles and field labels come from the engine's pack
        let py = slf.py();
        let engine = slf.borrow().engine.clone_ref(py);
        py.import("htx_rules._display")?
            .getattr("result_html")?
            .call1((slf, engine))?
            .extract()
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
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let args = (
            &self.field,
            &self.code,
            &self.message.vi,
            &self.message.en,
            lang_str(self.lang),
        )
            .into_pyobject(py)?;
        reduce(py, "field_error", args)
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<PyFieldError>().is_ok_and(|o| {
            let o = o.get();
            o.field == self.field && o.code == self.code && o.message == self.message
        })
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
    json: Value,
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
    /// Keys not in the schema that were ignored (dotted paths); errors instead when strict.
    #[getter]
    fn ignored(&self) -> Vec<String> {
        match self.json.get("ignored") {
            Some(Value::Array(keys)) => keys
                .iter()
                .filter_map(|k| k.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    }
    /// The contract's JSON shape as plain Python objects.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.json)
    }
    /// `valid`: validation is two-valued (a missing required field is an error, never unknown).
    fn __bool__(&self) -> bool {
        self.valid
    }
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let errors: Vec<Py<PyFieldError>> = self.errors.iter().map(|e| e.clone_ref(py)).collect();
        let args = (self.valid, errors, json_text(&self.json)?).into_pyobject(py)?;
        reduce(py, "validation", args)
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
    json: Value,
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
    /// One row per indicator as a `pandas.DataFrame` with typed columns (needs pandas).
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
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let args = (
            json_text(&self.json)?,
            &self.html_vi,
            &self.html_en,
            &self.table_vi,
            &self.table_en,
            &self.lang,
        )
            .into_pyobject(py)?;
        reduce(py, "report", args)
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
    json: Value,
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
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let args = (
            json_text(&self.json)?,
            &self.text_vi,
            &self.text_en,
            &self.lang,
        )
            .into_pyobject(py)?;
        reduce(py, "explanation", args)
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

fn value_type_name(v: ValueType) -> &'static str {
    match v {
        ValueType::Bool => "bool",
        ValueType::Int => "int",
        ValueType::Decimal => "decimal",
        ValueType::Share => "share",
        ValueType::Money => "money",
        ValueType::Date => "date",
        ValueType::Text => "text",
    }
}

/// `(row, field, code, vi, en)` of a field error.
type ErrorRow = (usize, String, String, String, String);

fn error_row((row, e): (usize, htx_rules::FieldError)) -> ErrorRow {
    (row, e.field, e.code, e.message.vi, e.message.en)
}

/// A loaded rule pack (low-level; use `htx_rules.Engine`).
#[pyclass(module = "htx_rules._native", name = "NativeEngine", frozen, weakref)]
struct NativeEngine {
    engine: Arc<htx_rules::Engine>,
    /// The pack sources it was loaded from (for pickling).
    source: Arc<Source>,
}

impl NativeEngine {
    fn cell(
        &self,
        entity: &str,
        record: Value,
        as_of: Date,
        strict: bool,
    ) -> Result<EvalCell, htx_rules::Error> {
        self.cell_of(entity, Facts::Value(record), as_of, strict)
    }

    fn cell_of(
        &self,
        entity: &str,
        record: Facts,
        as_of: Date,
        strict: bool,
    ) -> Result<EvalCell, htx_rules::Error> {
        let mut options = htx_rules::Options::default();
        options.strict = strict;
        EvalCell::compute(EvalOwner {
            engine: Arc::clone(&self.engine),
            entity: entity.to_owned(),
            record,
            as_of,
            options,
        })
    }

    fn plan(
        &self,
        entity: &str,
        schema: &arrow_schema::Schema,
        as_of: &str,
        values: &str,
        strict: bool,
    ) -> PyResult<Plan> {
        let as_of = parse_date(as_of)?;
        let values = Values::parse(values).ok_or_else(|| {
            PyValueError::new_err(format!(
                "values must be \"auto\", \"all\" or \"none\", got {values:?}"
            ))
        })?;
        Ok(Plan::new(
            Arc::clone(&self.engine),
            entity,
            as_of,
            schema,
            values,
            strict,
        )?)
    }
}

#[pymethods]
impl NativeEngine {
    /// The embedded Bến Tre pack.
    #[staticmethod]
    fn embedded(py: Python<'_>) -> PyResult<NativeEngine> {
        let engine = py.detach(htx_rules::Engine::embedded).py()?;
        Ok(NativeEngine {
            engine: Arc::new(engine),
            source: Arc::new(Source::Embedded),
        })
    }

    /// A pack folder on disk.
    #[staticmethod]
    fn from_dir(py: Python<'_>, path: PathBuf) -> PyResult<NativeEngine> {
        let (engine, source) = py.detach(|| source::from_dir(&path)).py()?;
        Ok(NativeEngine {
            engine: Arc::new(engine),
            source: Arc::new(source),
        })
    }

    /// A pack from in-memory sources: `{"pack-id/file.toml": text}` and the root pack's id.
    #[staticmethod]
    fn from_sources(
        py: Python<'_>,
        files: BTreeMap<String, String>,
        root: String,
    ) -> PyResult<NativeEngine> {
        let (engine, source) = py.detach(|| source::from_sources(files, &root)).py()?;
        Ok(NativeEngine {
            engine: Arc::new(engine),
            source: Arc::new(source),
        })
    }

    /// `None` for the embedded pack, else `(files, root)`: the sources the pack was loaded from.
    fn source_state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self.source.as_ref() {
            Source::Embedded => Ok(py.None().into_bound(py)),
            Source::Files { files, root } => {
                Ok((files.clone(), root.clone()).into_pyobject(py)?.into_any())
            }
        }
    }

    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        if !self.engine.reforms().is_empty() {
            return reform::reduce_reformed(py, self);
        }
        let args = PyTuple::new(py, [self.source_state(py)?])?;
        reduce(py, "native_engine", args)
    }

    /// Evaluates one record (a dict) as of an ISO date.
    #[pyo3(signature = (entity, record, as_of, lang, strict=false))]
    fn evaluate(
        slf: &Bound<'_, Self>,
        entity: &str,
        record: &Bound<'_, PyAny>,
        as_of: &str,
        lang: &str,
        strict: bool,
    ) -> PyResult<PyEvaluation> {
        let as_of = parse_date(as_of)?;
        let lang = parse_lang(lang)?;
        let value = py_to_json(record)?;
        let cell = slf.get().cell(entity, value, as_of, strict).py()?;
        Ok(PyEvaluation::new(cell, slf.clone().unbind(), lang))
    }

    /// Evaluates one record given as contract JSON text (how a pickled `Result` is rebuilt;
    /// an entity `strict:NAME` is read strictly).
    fn _evaluate_json(
        slf: &Bound<'_, Self>,
        entity: &str,
        record: &str,
        as_of: &str,
        lang: &str,
    ) -> PyResult<PyEvaluation> {
        let as_of = parse_date(as_of)?;
        let lang = parse_lang(lang)?;
        let (entity, strict) = match entity.strip_prefix("strict:") {
            Some(e) => (e, true),
            None => (entity, false),
        };
        let cell = slf
            .get()
            .cell_of(entity, Facts::Text(record.to_owned()), as_of, strict)
            .py()?;
        Ok(PyEvaluation::new(cell, slf.clone().unbind(), lang))
    }

    /// Evaluates one record given as JSON text, read by the core's decoder (a key given twice
    /// and `NaN`/`Infinity` are field errors; text that is not JSON is an `InputError`).
    #[pyo3(signature = (entity, text, as_of, lang, strict=false))]
    fn evaluate_text(
        slf: &Bound<'_, Self>,
        entity: &str,
        text: String,
        as_of: &str,
        lang: &str,
        strict: bool,
    ) -> PyResult<PyEvaluation> {
        let as_of = parse_date(as_of)?;
        let lang = parse_lang(lang)?;
        let cell = slf
            .get()
            .cell_of(entity, Facts::Text(text), as_of, strict)
            .py()?;
        Ok(PyEvaluation::new(cell, slf.clone().unbind(), lang))
    }

    /// Evaluates a list of records, in order. `rows`: the records are a table's rows, where a
    /// float NaN is a missing value (as pandas writes one), not a field error.
    #[pyo3(signature = (entity, records, as_of, lang, strict=false, rows=false))]
    #[allow(clippy::too_many_arguments)]
    fn evaluate_list(
        slf: &Bound<'_, Self>,
        entity: &str,
        records: &Bound<'_, PyAny>,
        as_of: &str,
        lang: &str,
        strict: bool,
        rows: bool,
    ) -> PyResult<Vec<PyEvaluation>> {
        let py = slf.py();
        let as_of = parse_date(as_of)?;
        let lang = parse_lang(lang)?;
        let mut values = Vec::new();
        for r in records.try_iter()? {
            values.push(if rows {
                cell_to_json(&r?)?
            } else {
                py_to_json(&r?)?
            });
        }
        let this = slf.get();
        // One cell per record (the core's `evaluate_many` is this same loop).
        let cells = py
            .detach(|| -> Result<Vec<EvalCell>, htx_rules::Error> {
                values
                    .into_iter()
                    .map(|value| this.cell(entity, value, as_of, strict))
                    .collect()
            })
            .py()?;
        Ok(cells
            .into_iter()
            .map(|cell| PyEvaluation::new(cell, slf.clone().unbind(), lang))
            .collect())
    }

    /// Dotted field path -> "int" | "decimal" | "bool" | "date" | "text" | "json" (from the
    /// core's `Engine::fields`), as the Arrow paths read columns.
    fn field_types(&self, entity: &str) -> PyResult<HashMap<String, &'static str>> {
        Ok(arrow::field_kinds(&self.engine, entity)
            .py()?
            .into_iter()
            .map(|(k, v)| (k, v.as_str()))
            .collect())
    }

    /// The output decisions of `entity` in order, each with its value's type (`None`: no value).
    fn output_types(&self, entity: &str) -> PyResult<Vec<(String, Option<&'static str>)>> {
        Ok(self
            .engine
            .output_types(entity)
            .py()?
            .into_iter()
            .map(|t| (t.name, t.value.map(value_type_name)))
            .collect())
    }

    /// Evaluates Arrow data (anything with `__arrow_c_stream__` or `__arrow_c_array__`), all of
    /// it, batch by batch, with the GIL released. `objects` are extra columns of Python objects
    /// (pandas columns Arrow could not type), as long as the data. Returns `(answers, number of
    /// field errors, first field error)`; answers are one record batch when `single`, else a
    /// table.
    /// The fourth value: what the columns say (ignored ones, decisions none can decide), to
    /// show as warnings; a misspelled column (strict: any not in the schema) is a `FactsError`.
    /// `threads`: how many threads evaluate pieces of the data together (`None` or 0: every
    /// core); the answers are the same whatever the number.
    #[pyo3(signature = (entity, data, as_of, values="auto", objects=None, single=false, strict=false, lang="vi", threads=None))]
    #[allow(clippy::too_many_arguments, clippy::type_complexity)]
    fn evaluate_arrow<'py>(
        &self,
        py: Python<'py>,
        entity: &str,
        data: AnyRecordBatch,
        as_of: &str,
        values: &str,
        objects: Option<Vec<(String, Bound<'py, PyAny>)>>,
        single: bool,
        strict: bool,
        lang: &str,
        threads: Option<usize>,
    ) -> PyResult<(Bound<'py, PyAny>, usize, Option<ErrorRow>, Vec<String>)> {
        let lang = parse_lang(lang)?;
        let reader = data.into_reader()?;
        let input_schema = reader.schema();
        let plan = self.plan(entity, &input_schema, as_of, values, strict)?;
        let mut object_columns: Vec<(String, Vec<Value>)> = Vec::new();
        for (path, column) in objects.unwrap_or_default() {
            let mut cells = Vec::new();
            for v in column.try_iter()? {
                cells.push(cell_to_json(&v?)?);
            }
            object_columns.push((path, cells));
        }
        let schema = plan.schema();
        let threads = thread_count(threads);
        let (batches, count, first) = py.detach(|| run(&plan, reader, &object_columns, threads))?;
        let answers = if single {
            let batch =
                arrow_select::concat::concat_batches(&schema, &batches).map_err(EvalError::from)?;
            Bound::new(py, PyRecordBatch::new(batch))?.into_any()
        } else {
            Bound::new(py, PyTable::try_new(batches, schema)?)?.into_any()
        };
        Ok((answers, count, first.map(error_row), plan.notes(lang)))
    }

    /// Like `evaluate_arrow`, lazily: a record batch reader that reads and evaluates one batch
    /// of the input each time one is pulled (never more than a batch of input in memory).
    /// With what the columns say (see `evaluate_arrow`); each batch pulled is evaluated by
    /// `threads` threads (`None` or 0: every core).
    #[pyo3(signature = (entity, data, as_of, values="auto", strict=false, lang="vi", threads=None))]
    #[allow(clippy::too_many_arguments)]
    fn evaluate_stream(
        &self,
        entity: &str,
        data: AnyRecordBatch,
        as_of: &str,
        values: &str,
        strict: bool,
        lang: &str,
        threads: Option<usize>,
    ) -> PyResult<(PyRecordBatchReader, Vec<String>)> {
        let lang = parse_lang(lang)?;
        let reader = data.into_reader()?;
        let plan = self.plan(entity, &reader.schema(), as_of, values, strict)?;
        let notes = plan.notes(lang);
        Ok((
            PyRecordBatchReader::new(Box::new(EvalReader::new(
                Arc::new(plan),
                reader,
                thread_count(threads),
            ))),
            notes,
        ))
    }

    /// What a table's columns say before any row (ignored columns, decisions none can
    /// decide), as warning texts in `lang`; a misspelled column (strict: any column not in the
    /// schema) is a `FactsError` that names the field meant.
    #[pyo3(signature = (entity, columns, strict=false, lang="vi"))]
    fn check_columns(
        &self,
        entity: &str,
        columns: Vec<String>,
        strict: bool,
        lang: &str,
    ) -> PyResult<Vec<String>> {
        let lang = parse_lang(lang)?;
        let mut options = htx_rules::Options::default();
        options.strict = strict;
        let paths: Vec<&str> = columns.iter().map(String::as_str).collect();
        let notes = self.engine.check_columns(entity, &paths, options).py()?;
        Ok(arrow::notes_text(&notes, lang))
    }

    /// Form validation of one record (a dict, or JSON text read by the core's decoder).
    #[pyo3(signature = (entity, record, as_of, lang, strict=false))]
    fn validate(
        &self,
        entity: &str,
        record: &Bound<'_, PyAny>,
        as_of: &str,
        lang: &str,
        strict: bool,
    ) -> PyResult<PyValidation> {
        let py = record.py();
        let as_of = parse_date(as_of)?;
        let lang = parse_lang(lang)?;
        let mut options = htx_rules::Options::default();
        options.strict = strict;
        let v = match record.cast_exact::<pyo3::types::PyString>() {
            Ok(text) => self
                .engine
                .validate_json(entity, text.to_cow()?.as_bytes(), as_of, options)
                .py()?,
            Err(_) => {
                let value = py_to_json(record)?;
                self.engine
                    .validate_with(entity, &value, as_of, options)
                    .py()?
            }
        };
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

    /// Form validation of many records: per record `(valid, [(field, code, vi, en)])`.
    #[pyo3(signature = (entity, records, as_of, strict=false))]
    #[allow(clippy::type_complexity)]
    fn validate_rows(
        &self,
        py: Python<'_>,
        entity: &str,
        records: &Bound<'_, PyAny>,
        as_of: &str,
        strict: bool,
    ) -> PyResult<Vec<(bool, Vec<(String, String, String, String)>)>> {
        let as_of = parse_date(as_of)?;
        let mut options = htx_rules::Options::default();
        options.strict = strict;
        let mut values = Vec::new();
        for r in records.try_iter()? {
            values.push(cell_to_json(&r?)?);
        }
        py.detach(|| {
            values
                .iter()
                .map(|v| {
                    self.engine
                        .validate_with(entity, v, as_of, options)
                        .map(|v| {
                            let errors = v
                                .errors
                                .into_iter()
                                .map(|e| (e.field, e.code, e.message.vi, e.message.en))
                                .collect();
                            (v.valid, errors)
                        })
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .py()
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
        py.detach(|| {
            self.engine
                .report(&value, as_of)
                .map(|r| py_report(&r, lang))
        })
        .py()
    }

    /// A builder of the progress report at `as_of` (rows, Arrow data, files; partials).
    fn report_builder(slf: &Bound<'_, Self>, as_of: &str) -> PyResult<report::PyReportBuilder> {
        report::PyReportBuilder::create(slf.py(), slf, as_of)
    }

    /// The registry's collections in the pack's order: `(name, {"vi", "en"} or None)`.
    fn collections<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<Vec<(String, Option<Bound<'py, PyDict>>)>> {
        self.engine
            .registry_collections()
            .into_iter()
            .map(|(name, label)| {
                Ok((
                    name.to_owned(),
                    label.map(|l| message_dict(py, l)).transpose()?,
                ))
            })
            .collect()
    }

    /// Every field of `entity` (or, with `collection=True`, of a registry collection's rows),
    /// flattened, as plain data: path, pointer, kind, type, label, enum values and their
    /// labels, bounds (the core's `Engine::fields`).
    #[pyo3(signature = (entity, collection=false))]
    fn fields<'py>(
        &self,
        py: Python<'py>,
        entity: &str,
        collection: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let fields = if collection {
            self.engine.collection_fields(entity).ok_or_else(|| {
                errors::UnknownNameError::new_err(format!(
                    "sổ không có danh sách `{entity}` (the registry has no collection `{entity}`)"
                ))
            })?
        } else {
            self.engine.fields(entity).py()?
        };
        let v = serde_json::to_value(&fields).map_err(|e| PyValueError::new_err(e.to_string()))?;
        json_to_py(py, &v)
    }

    /// What evaluating `entity` outputs, in order: name, kind, title, citation
    /// (the core's `Engine::decisions_info`).
    fn decisions<'py>(&self, py: Python<'py>, entity: &str) -> PyResult<Bound<'py, PyAny>> {
        let infos = self.engine.decisions_info(entity).py()?;
        let v = serde_json::to_value(&infos).map_err(|e| PyValueError::new_err(e.to_string()))?;
        json_to_py(py, &v)
    }

    /// The words to show for each outcome and each indicator status: `{code: {"vi", "en"}}`.
    fn labels<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for o in Outcome::ALL {
            d.set_item(o.as_str(), message_dict(py, &o.label())?)?;
        }
        for s in htx_rules::report::Status::ALL {
            let m = Message::new(s.label(Lang::Vi), s.label(Lang::En));
            // the status's code as the report's JSON writes it ("not_met")
            if let Value::String(code) =
                serde_json::to_value(s).map_err(|e| PyValueError::new_err(e.to_string()))?
            {
                d.set_item(code, message_dict(py, &m)?)?;
            }
        }
        Ok(d)
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

/// A core report as the Python `Report` (its JSON, HTML and table in both languages).
fn py_report(r: &htx_rules::report::Report, lang: Lang) -> PyReport {
    PyReport {
        json: r.to_json(),
        html_vi: r.to_html(Lang::Vi),
        html_en: r.to_html(Lang::En),
        table_vi: r.to_table(Lang::Vi),
        table_en: r.to_table(Lang::En),
        lang: lang_str(lang).to_owned(),
    }
}

/// Answer batches, the number of field errors, the first of them.
type Run = (
    Vec<arrow_array::RecordBatch>,
    usize,
    Option<(usize, htx_rules::FieldError)>,
);

/// The eager loop of `evaluate_arrow`: every batch, cut into pieces of at most [`CHUNK`] rows
/// (see [`arrow::cuts`]), evaluated by `threads` threads a few pieces per thread at a time (so
/// reading a stream and memory stay bounded by that window), answers kept in input order.
fn run(
    plan: &Plan,
    reader: Box<dyn arrow_array::RecordBatchReader + Send>,
    objects: &[(String, Vec<Value>)],
    threads: usize,
) -> Result<Run, EvalError> {
    let mut batches = Vec::new();
    let mut count = 0;
    let mut first = None;
    let mut row = 0;
    let mut pending: Vec<arrow::Piece> = Vec::new();
    let mut flush = |pending: &mut Vec<arrow::Piece>| -> Result<(), EvalError> {
        for r in arrow::evaluate_pieces(plan, pending, objects, threads) {
            let (answer, errors) = r?;
            count += errors.len();
            if first.is_none() {
                first = errors.into_iter().next();
            }
            batches.push(answer);
        }
        pending.clear();
        Ok(())
    };
    for batch in reader {
        let batch = batch?;
        pending.extend(arrow::pieces(&batch, row, threads));
        row += batch.num_rows();
        if pending.len() >= 4 * threads {
            flush(&mut pending)?;
        }
    }
    flush(&mut pending)?;
    Ok((batches, count, first))
}

/// Rebuilds a `FieldError` (pickling).
#[pyfunction]
fn _field_error(
    field: String,
    code: String,
    vi: String,
    en: String,
    lang: &str,
) -> PyResult<PyFieldError> {
    Ok(PyFieldError {
        field,
        code,
        message: Message::new(vi, en),
        lang: parse_lang(lang)?,
    })
}

/// Rebuilds a `Validation` (pickling).
#[pyfunction]
fn _validation(valid: bool, errors: Vec<Py<PyFieldError>>, json: &str) -> PyResult<PyValidation> {
    Ok(PyValidation {
        valid,
        errors,
        json: serde_json::from_str(json).map_err(|e| PyValueError::new_err(e.to_string()))?,
    })
}

/// Rebuilds a `Report` (pickling).
#[pyfunction]
fn _report(
    json: &str,
    html_vi: String,
    html_en: String,
    table_vi: String,
    table_en: String,
    lang: String,
) -> PyResult<PyReport> {
    Ok(PyReport {
        json: serde_json::from_str(json).map_err(|e| PyValueError::new_err(e.to_string()))?,
        html_vi,
        html_en,
        table_vi,
        table_en,
        lang,
    })
}

/// Rebuilds an `Explanation` (pickling).
#[pyfunction]
fn _explanation(
    json: &str,
    text_vi: String,
    text_en: String,
    lang: String,
) -> PyResult<PyExplanation> {
    Ok(PyExplanation {
        json: serde_json::from_str(json).map_err(|e| PyValueError::new_err(e.to_string()))?,
        text_vi,
        text_en,
        lang,
    })
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
    m.add_class::<report::PyReportPartial>()?;
    m.add_class::<report::PyReportBuilder>()?;
    m.add_function(wrap_pyfunction!(report::_combine, m)?)?;
    m.add_function(wrap_pyfunction!(report::_report_partial, m)?)?;
    m.add_function(wrap_pyfunction!(_field_error, m)?)?;
    m.add_function(wrap_pyfunction!(_validation, m)?)?;
    m.add_function(wrap_pyfunction!(_report, m)?)?;
    m.add_function(wrap_pyfunction!(_explanation, m)?)?;
    m.add_function(wrap_pyfunction!(reform::_with_reform_toml, m)?)?;
    m.add_function(wrap_pyfunction!(reform::_with_reform_json, m)?)?;
    m.add_function(wrap_pyfunction!(reform::_reforms, m)?)?;
    m.add_function(wrap_pyfunction!(reform::_reform_sources, m)?)?;
    m.add_function(wrap_pyfunction!(reform::_diff, m)?)?;
    m.add_function(wrap_pyfunction!(reform::_boundaries, m)?)?;
    m.add("HtxRulesError", py.get_type::<errors::HtxRulesError>())?;
    m.add("PackError", py.get_type::<errors::PackError>())?;
    m.add("FactsError", py.get_type::<errors::FactsError>())?;
    m.add("InputError", py.get_type::<errors::InputError>())?;
    m.add(
        "UnknownNameError",
        py.get_type::<errors::UnknownNameError>(),
    )?;
    m.add("CORE_VERSION", env!("CARGO_PKG_VERSION"))?;
    m.add("CHUNK_ROWS", CHUNK)?;
    Ok(())
}
