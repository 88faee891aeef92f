//! One record's results as owned data, for the formats read as a whole (tables, workbooks):
//! built on a worker thread, handed to the writer in order.

use htx_rules::{Engine, Error, Evaluation, FieldError, Lang, Message, Outcome, Scalar, ValueType};

use super::labels::Labels;

/// One decision's result.
pub struct Cell {
    /// Yes, no or unknown.
    pub outcome: Outcome,
    /// The value, exact.
    pub value: Option<Scalar>,
    /// The value as a person writes it in the output's language (`77,5%`).
    pub value_text: Option<String>,
}

/// One record: its results, or why it could not be read.
pub struct Row {
    /// 1-based number of the record in the input.
    pub record: usize,
    /// The record's id, when it has one.
    pub id: Option<String>,
    /// One cell per decision, in pack order; empty when the record could not be read.
    pub cells: Vec<Cell>,
    /// The reasons of each decision, in the output's language (only when asked for).
    pub reasons: Vec<Vec<String>>,
    /// Problems with the record, written for a person (field label: message).
    pub errors: Vec<String>,
    /// Whether the record could not be read at all (no results).
    pub unreadable: bool,
}

/// Builds rows in one language.
pub struct RowBuilder {
    /// The output's language.
    pub lang: Lang,
    /// Whether rows carry the decisions' reasons.
    pub reasons: bool,
    /// The entity's field labels, for errors.
    pub labels: Labels,
}

impl RowBuilder {
    /// A field error for a person: "Lao động › Số nữ: message".
    pub fn field_error(&self, e: &FieldError) -> String {
        let place = self.labels.describe(&e.field, self.lang);
        let m = e.message.get(self.lang);
        if place.is_empty() {
            m.to_string()
        } else {
            format!("{place}: {m}")
        }
    }

    /// The row of an evaluated record.
    pub fn evaluated(&self, record: usize, ev: &Evaluation<'_>) -> Row {
        let cells = ev
            .decisions()
            .map(|(_, d)| Cell {
                outcome: d.outcome(),
                value: d.value().cloned(),
                value_text: d.value_text(self.lang),
            })
            .collect();
        let reasons = if self.reasons {
            ev.decisions()
                .map(|(_, d)| {
                    d.reasons()
                        .iter()
                        .map(|m| m.get(self.lang).to_string())
                        .collect()
                })
                .collect()
        } else {
            Vec::new()
        };
        Row {
            record,
            id: ev.id().map(str::to_string),
            cells,
            reasons,
            errors: ev.errors().iter().map(|e| self.field_error(e)).collect(),
            unreadable: false,
        }
    }

    /// The row of a record that could not be read: its place and why.
    #[allow(dead_code)] // records that cannot be read arrive with the streaming reader
    pub fn unreadable(&self, record: usize, why: String) -> Row {
        Row {
            record,
            id: None,
            cells: Vec::new(),
            reasons: Vec::new(),
            errors: vec![why],
            unreadable: true,
        }
    }
}

/// A decision's outcome and value in one cell of text: `có (77,5%)`, `unknown`.
pub fn outcome_text(c: &Cell, lang: Lang) -> String {
    let o = c.outcome.label();
    match &c.value_text {
        Some(v) => format!("{} ({v})", o.get(lang)),
        None => o.get(lang).to_string(),
    }
}

/// One output of an entity's evaluation, for the headers of a table or a workbook: its name,
/// its title (the pack's; the name when it has none) and the type of its value, when it
/// carries one.
#[derive(Clone, Debug)]
pub struct Output {
    /// The name results carry.
    pub name: String,
    /// What a person reads.
    pub title: Message,
    /// The type of its value, when it has one.
    pub value: Option<ValueType>,
}

/// The outputs of `entity`, in pack order (`Engine::decisions_info`).
pub fn outputs(engine: &Engine, entity: &str) -> Result<Vec<Output>, Error> {
    Ok(engine
        .decisions_info(entity)?
        .into_iter()
        .map(|d| Output {
            title: d
                .title
                .unwrap_or_else(|| Message::new(d.name.clone(), d.name.clone())),
            value: d.value_type,
            name: d.name,
        })
        .collect())
}

/// Headers of the decisions in `lang`.
pub fn titles(infos: &[Output], lang: Lang) -> Vec<String> {
    infos
        .iter()
        .map(|d| d.title.get(lang).to_string())
        .collect()
}
