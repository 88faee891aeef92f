//! The one place where the core's `Error` becomes a Python exception.

use htx_rules::{Error, ErrorKind, Message};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

create_exception!(
    htx_rules,
    HtxRulesError,
    PyException,
    "Base of every error raised by htx_rules."
);
create_exception!(
    htx_rules,
    PackError,
    HtxRulesError,
    "A rule pack failed to load or type-check; see `diagnostics`."
);
create_exception!(
    htx_rules,
    FactsError,
    HtxRulesError,
    "A record's facts could not be read; see `field` and `code`."
);
create_exception!(
    htx_rules,
    InputError,
    HtxRulesError,
    "An argument could not be read (a date, a registry, a file)."
);
create_exception!(
    htx_rules,
    UnknownNameError,
    HtxRulesError,
    "An unknown entity, rule or decision name."
);

/// A bilingual message as a `{"vi": ..., "en": ...}` dict.
pub fn message_dict<'py>(py: Python<'py>, m: &Message) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("vi", &m.vi)?;
    d.set_item("en", &m.en)?;
    Ok(d)
}

/// Maps a core error to the exception hierarchy (exhaustive over `ErrorKind`).
pub fn to_py_err(err: &Error) -> PyErr {
    Python::attach(|py| match build(py, err) {
        Ok(e) => e,
        Err(e) => e,
    })
}

fn build(py: Python<'_>, err: &Error) -> PyResult<PyErr> {
    let msg = err.message();
    let code = err.code();
    let text = format!("{} ({}) [{}]", msg.vi, msg.en, code);
    let exc = match err.kind() {
        ErrorKind::Pack => PackError::new_err(text),
        ErrorKind::Facts => FactsError::new_err(text),
        ErrorKind::Input => InputError::new_err(text),
        ErrorKind::Unknown => UnknownNameError::new_err(text),
    };
    let value = exc.value(py);
    value.setattr("code", code)?;
    value.setattr("messages", message_dict(py, &msg)?)?;
    value.setattr("message_vi", &msg.vi)?;
    value.setattr("message_en", &msg.en)?;

    let diagnostics = PyList::empty(py);
    for d in err.diagnostics() {
        let item = PyDict::new(py);
        item.set_item("file", d.file.to_string())?;
        item.set_item("line", d.line)?;
        item.set_item("column", d.column)?;
        item.set_item("code", d.code.to_string())?;
        item.set_item("message", format!("{} ({})", d.message.vi, d.message.en))?;
        item.set_item("messages", message_dict(py, &d.message)?)?;
        diagnostics.append(item)?;
    }
    value.setattr("diagnostics", diagnostics)?;

    let field_errors = PyList::empty(py);
    for f in err.field_errors() {
        let item = PyDict::new(py);
        item.set_item("field", &f.field)?;
        item.set_item("code", f.code.to_string())?;
        item.set_item("message", message_dict(py, &f.message)?)?;
        field_errors.append(item)?;
    }
    let first = err.field_errors().first();
    let field = match err {
        Error::Input { field, .. } => field.clone(),
        _ => first.map(|f| f.field.clone()),
    };
    value.setattr("field", field)?;
    if let Some(f) = first {
        // For bad facts, the code of the first field (e.g. `facts.type`) says more than `facts.invalid`.
        value.setattr("code", f.code.clone())?;
    }
    value.setattr("field_errors", field_errors)?;
    Ok(exc)
}

/// `Result<T, core Error>` -> `PyResult<T>`.
pub trait IntoPy<T> {
    /// Converts the core error, if any.
    fn py(self) -> PyResult<T>;
}

impl<T> IntoPy<T> for Result<T, Error> {
    fn py(self) -> PyResult<T> {
        self.map_err(|e| to_py_err(&e))
    }
}
