//! The TOML shape of a reform: a small overlay on a loaded pack (see the crate's documentation,
//! *Reforms*). `[reform]` says what it is and what it rests on; `[[parameter]]` gives a
//! parameter other values (from a date, or on every date); `[[rule]]` replaces parts of a rule.

use std::collections::BTreeMap;

use toml::Spanned;

use super::reader::{Obj, Reader, SV};
use super::{read_lets, read_messages, CiteDoc, MessagesDoc, ReadError, TVal};
use crate::codes::Code;
use crate::limits::PackLimits;
use crate::text::Message;

/// A reform file, read.
pub(crate) struct ReformDoc {
    /// `[reform]` (where it starts, for diagnostics about the whole reform).
    pub span: std::ops::Range<usize>,
    pub id: Spanned<String>,
    pub title: Message,
    pub cite: CiteDoc,
    pub note: Option<String>,
    pub parameters: Vec<ReformParamDoc>,
    pub rules: Vec<ReformRuleDoc>,
}

/// `[[parameter]]` of a reform: `name`, and `value` (on every date) or `values` (dated).
pub(crate) struct ReformParamDoc {
    pub name: Spanned<String>,
    /// One value on every date the parameter has a value.
    pub value: Option<Spanned<TVal>>,
    /// Dated values: `{ from, to, value, wording, section }`.
    pub values: Vec<Spanned<ReformValueDoc>>,
    /// The whole table.
    pub span: std::ops::Range<usize>,
}

/// One dated value of a reform's parameter.
pub(crate) struct ReformValueDoc {
    pub from: Spanned<String>,
    pub to: Option<Spanned<String>>,
    pub value: Spanned<TVal>,
    pub section: Option<String>,
    pub wording: Option<String>,
}

/// `[[rule]]` of a reform: the rule it changes (`name`, and `entity` when two entities have a
/// rule of that name) and the parts it replaces; absent parts stay as the pack has them.
pub(crate) struct ReformRuleDoc {
    pub name: Spanned<String>,
    pub entity: Option<Spanned<String>>,
    pub title: Option<Message>,
    pub applies_in: Option<Spanned<String>>,
    /// Added to the rule's `let`s, replacing those of the same name.
    pub lets: BTreeMap<String, Spanned<String>>,
    pub when: Option<Spanned<String>>,
    pub value: Option<Spanned<String>>,
    pub target: Option<Spanned<String>>,
    pub require: Option<Spanned<String>>,
    /// The rule's own citation under the reform (else the reform's).
    pub cite: Option<Spanned<CiteDoc>>,
    pub interpretation: Option<Message>,
    pub confidence: Option<String>,
    /// Replaces the rule's wordings of each outcome given.
    pub messages: MessagesDoc,
}

impl ReformDoc {
    /// Parses a reform file within `limits`; on failure, every problem found.
    pub(crate) fn parse(text: &str, limits: &PackLimits) -> Result<ReformDoc, Vec<ReadError>> {
        let root = Reader::parse(text)?;
        let mut r = Reader::new(limits);
        let mut o = Obj {
            t: root.get_ref(),
            span: root.span(),
            seen: Vec::new(),
        };
        let head = o.req(&mut r, "reform").and_then(|v| {
            let mut h = r.obj(v)?;
            let id = h.req_str(&mut r, "id");
            let title = h.req(&mut r, "title").and_then(|x| r.message(x));
            let cite = h.req(&mut r, "cite").and_then(|x| r.cite(x));
            let note = h.opt_str(&mut r, "note").map(Spanned::into_inner);
            h.finish(&mut r);
            Some((v.span(), id?, title?, cite?, note))
        });
        let parameters = o
            .get("parameter")
            .map(|v| r.top_tables(v, ReformParamDoc::read))
            .unwrap_or_default();
        let rules = o
            .get("rule")
            .map(|v| r.top_tables(v, ReformRuleDoc::read))
            .unwrap_or_default();
        o.finish(&mut r);
        match head {
            Some((span, id, title, cite, note)) if r.errors.is_empty() => Ok(ReformDoc {
                span,
                id,
                title,
                cite,
                note,
                parameters,
                rules,
            }),
            _ => Err(r.errors),
        }
    }
}

impl ReformParamDoc {
    fn read(r: &mut Reader, v: SV<'_, '_>) -> Option<ReformParamDoc> {
        let mut o = r.obj(v)?;
        let name = o.req_str(r, "name");
        let value = o.any(r, "value");
        let values = o
            .get("values")
            .map(|x| {
                r.tables(x, |r, v| {
                    ReformValueDoc::read(r, v).map(|d| Spanned::new(v.span(), d))
                })
            })
            .unwrap_or_default();
        o.finish(r);
        if value.is_some() != values.is_empty() {
            r.err(
                v.span(),
                Code::PackSchema,
                msg!(
                    vi: "cần đúng một trong `value` (mọi ngày) hoặc `values` (theo ngày)",
                    en: "expected exactly one of `value` (every date) or `values` (dated)",
                ),
            );
            return None;
        }
        Some(ReformParamDoc {
            name: name?,
            value,
            values,
            span: v.span(),
        })
    }
}

impl ReformValueDoc {
    fn read(r: &mut Reader, v: SV<'_, '_>) -> Option<ReformValueDoc> {
        let mut o = r.obj(v)?;
        let from = o.req_str(r, "from");
        let to = o.opt_str(r, "to");
        let value = o.req_any(r, "value");
        let section = o.opt_str(r, "section").map(Spanned::into_inner);
        let wording = o.opt_str(r, "wording").map(Spanned::into_inner);
        o.finish(r);
        Some(ReformValueDoc {
            from: from?,
            to,
            value: value?,
            section,
            wording,
        })
    }
}

impl ReformRuleDoc {
    fn read(r: &mut Reader, v: SV<'_, '_>) -> Option<ReformRuleDoc> {
        let mut o = r.obj(v)?;
        let name = o.req_str(r, "name");
        let entity = o.opt_str(r, "entity");
        let title = o.opt_msg(r, "title");
        let applies_in = o.opt_str(r, "applies_in");
        let lets = read_lets(r, &mut o);
        let when = o.opt_str(r, "when");
        let value = o.opt_str(r, "value");
        let target = o.opt_str(r, "target");
        let require = o.opt_str(r, "require");
        let cite = o
            .get("cite")
            .and_then(|x| r.cite(x).map(|c| Spanned::new(x.span(), c)));
        let interpretation = o.opt_msg(r, "interpretation");
        let confidence = o.opt_str(r, "confidence").map(Spanned::into_inner);
        let messages = read_messages(r, &mut o);
        o.finish(r);
        Some(ReformRuleDoc {
            name: name?,
            entity,
            title,
            applies_in,
            lets,
            when,
            value,
            target,
            require,
            cite,
            interpretation,
            confidence,
            messages,
        })
    }
}
