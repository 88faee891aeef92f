//! The TOML shape of pack files, read by hand from the parser's spanned tree.
//!
//! Reading with serde derives would compile one deserializer per type (hundreds of kilobytes in
//! the browser build); this walker is one small piece of code, keeps every span for diagnostics,
//! and rejects unknown keys like `deny_unknown_fields` would.

mod reader;
mod reform;
mod registry;

use std::collections::BTreeMap;

use toml::de::DeValue;
use toml::Spanned;

use reader::{Obj, Reader, SV};
pub(crate) use reader::{ReadError, TVal};
pub(crate) use reform::{ReformDoc, ReformParamDoc, ReformRuleDoc};
pub(crate) use registry::{CollectionDoc, DisclosureDoc, IndicatorDoc, RegistryDoc};

use crate::limits::PackLimits;
use crate::text::Message;

#[derive(Default)]
pub(crate) struct FileDoc {
    pub pack: Option<PackDoc>,
    pub enums: Vec<EnumDoc>,
    pub record: Vec<RecordDoc>,
    pub entity: Vec<RecordDoc>,
    pub parameter: Vec<ParamDoc>,
    pub overrides: Vec<OverrideDoc>,
    pub periods: Vec<GroupDoc>,
    pub rule: Vec<RuleDoc>,
    pub test: Vec<TestDoc>,
    pub info: Vec<InfoDoc>,
    pub registry: Option<RegistryDoc>,
    pub collection: Vec<CollectionDoc>,
    pub indicator: Vec<IndicatorDoc>,
    pub disclosure: Option<DisclosureDoc>,
}

impl FileDoc {
    /// Parses one pack file, its lists, fields and `let`s within `limits`; on failure, every
    /// problem found.
    pub(crate) fn parse(text: &str, limits: &PackLimits) -> Result<FileDoc, Vec<ReadError>> {
        let root = Reader::parse(text)?;
        let mut r = Reader::new(limits);
        let mut o = Obj {
            t: root.get_ref(),
            span: root.span(),
            seen: Vec::new(),
        };
        let mut doc = FileDoc::default();
        if let Some(v) = o.get("pack") {
            doc.pack = PackDoc::read(&mut r, v);
        }
        if let Some(v) = o.get("enum") {
            doc.enums = r.top_tables(v, EnumDoc::read);
        }
        if let Some(v) = o.get("record") {
            doc.record = r.top_tables(v, RecordDoc::read);
        }
        if let Some(v) = o.get("entity") {
            doc.entity = r.top_tables(v, RecordDoc::read);
        }
        if let Some(v) = o.get("parameter") {
            doc.parameter = r.top_tables(v, ParamDoc::read);
        }
        if let Some(v) = o.get("override") {
            doc.overrides = r.top_tables(v, OverrideDoc::read);
        }
        if let Some(v) = o.get("periods") {
            doc.periods = r.top_tables(v, GroupDoc::read);
        }
        if let Some(v) = o.get("rule") {
            doc.rule = r.top_tables(v, RuleDoc::read);
        }
        if let Some(v) = o.get("test") {
            doc.test = r.top_tables(v, TestDoc::read);
        }
        if let Some(v) = o.get("info") {
            doc.info = r.top_tables(v, InfoDoc::read);
        }
        if let Some(v) = o.get("registry") {
            doc.registry = RegistryDoc::read(&mut r, v);
        }
        if let Some(v) = o.get("collection") {
            doc.collection = r.tables(v, CollectionDoc::read);
        }
        if let Some(v) = o.get("indicator") {
            doc.indicator = r.tables(v, IndicatorDoc::read);
        }
        if let Some(v) = o.get("disclosure") {
            doc.disclosure = DisclosureDoc::read(&mut r, v);
        }
        o.finish(&mut r);
        if r.errors.is_empty() {
            Ok(doc)
        } else {
            Err(r.errors)
        }
    }
}

pub(crate) struct PackDoc {
    pub id: Spanned<String>,
    pub version: String,
    pub title: Option<Message>,
    pub document: String,
    pub date: Option<String>,
    pub issuer: Option<String>,
    pub jurisdiction: Option<String>,
    pub status: Option<Message>,
    pub implements: Option<String>,
    pub imports: Vec<Spanned<String>>,
}

impl PackDoc {
    fn read(r: &mut Reader, v: SV<'_, '_>) -> Option<PackDoc> {
        let mut o = r.obj(v)?;
        let id = o.req_str(r, "id");
        let version = o.req_str(r, "version");
        let title = o.opt_msg(r, "title");
        let document = o.req_str(r, "document");
        let date = o.opt_str(r, "date");
        let issuer = o.opt_str(r, "issuer");
        let jurisdiction = o.opt_str(r, "jurisdiction");
        let status = o.opt_msg(r, "status");
        let implements = o.opt_str(r, "implements");
        let imports = o
            .get("imports")
            .and_then(|x| r.strings(x))
            .unwrap_or_default();
        o.finish(r);
        Some(PackDoc {
            id: id?,
            version: version?.into_inner(),
            title,
            document: document?.into_inner(),
            date: date.map(Spanned::into_inner),
            issuer: issuer.map(Spanned::into_inner),
            jurisdiction: jurisdiction.map(Spanned::into_inner),
            status,
            implements: implements.map(Spanned::into_inner),
            imports,
        })
    }
}

pub(crate) struct EnumDoc {
    pub name: Spanned<String>,
    pub values: Vec<Spanned<String>>,
    pub labels: BTreeMap<String, Message>,
}

impl EnumDoc {
    fn read(r: &mut Reader, v: SV<'_, '_>) -> Option<EnumDoc> {
        let mut o = r.obj(v)?;
        let name = o.req_str(r, "name");
        let values = o.req(r, "values").and_then(|x| r.strings(x));
        let mut labels = BTreeMap::new();
        if let Some(l) = o.get("labels") {
            if let DeValue::Table(t) = l.get_ref() {
                for (k, m) in t.iter() {
                    if let Some(m) = r.message(m) {
                        labels.insert(k.get_ref().to_string(), m);
                    }
                }
            } else {
                r.wrong(l, msg!(vi: "một bảng", en: "a table"));
            }
        }
        o.finish(r);
        Some(EnumDoc {
            name: name?,
            values: values?,
            labels,
        })
    }
}

pub(crate) struct RecordDoc {
    pub name: Spanned<String>,
    pub label: Option<Message>,
    pub id: Option<Spanned<String>>,
    pub fields: Vec<FieldDoc>,
}

impl RecordDoc {
    fn read(r: &mut Reader, v: SV<'_, '_>) -> Option<RecordDoc> {
        let mut o = r.obj(v)?;
        let name = o.req_str(r, "name");
        let label = o.opt_msg(r, "label");
        let id = o.opt_str(r, "id");
        let fields = o.req(r, "fields").and_then(|x| {
            let n = match x.get_ref() {
                DeValue::Array(a) => a.len(),
                _ => 0,
            };
            let max = r.max_fields;
            r.within(x.span(), n, max, msg!(vi: "trường", en: "fields"))
                .then(|| r.tables(x, FieldDoc::read))
        });
        o.finish(r);
        Some(RecordDoc {
            name: name?,
            label,
            id,
            fields: fields?,
        })
    }
}

pub(crate) struct FieldDoc {
    pub name: Spanned<String>,
    pub ty: Spanned<String>,
    pub label: Option<Message>,
    pub doc: Option<String>,
    pub required: bool,
    pub min: Option<Spanned<TVal>>,
    pub max: Option<Spanned<TVal>>,
}

impl FieldDoc {
    fn read(r: &mut Reader, v: SV<'_, '_>) -> Option<FieldDoc> {
        let mut o = r.obj(v)?;
        let name = o.req_str(r, "name");
        let ty = o.req_str(r, "type");
        let label = o.opt_msg(r, "label");
        let doc = o.opt_str(r, "doc");
        let required = o.opt_bool(r, "required").unwrap_or(false);
        let min = o.any(r, "min");
        let max = o.any(r, "max");
        o.finish(r);
        Some(FieldDoc {
            name: name?,
            ty: ty?,
            label,
            doc: doc.map(Spanned::into_inner),
            required,
            min,
            max,
        })
    }
}

#[derive(Clone)]
pub(crate) struct CiteDoc {
    pub document: String,
    pub section: String,
    pub wording: Option<String>,
}

pub(crate) struct ParamDoc {
    pub name: Spanned<String>,
    pub ty: Spanned<String>,
    pub label: Option<Message>,
    pub cite: Option<CiteDoc>,
    pub note: Option<String>,
    pub confidence: Option<String>,
    pub values: Vec<Spanned<ValueDoc>>,
}

impl ParamDoc {
    fn read(r: &mut Reader, v: SV<'_, '_>) -> Option<ParamDoc> {
        let mut o = r.obj(v)?;
        let name = o.req_str(r, "name");
        let ty = o.req_str(r, "type");
        let label = o.opt_msg(r, "label");
        let cite = o.get("cite").and_then(|x| r.cite(x));
        let note = o.opt_str(r, "note").map(Spanned::into_inner);
        let confidence = o.opt_str(r, "confidence").map(Spanned::into_inner);
        let values = o.req(r, "values").map(|x| {
            r.tables(x, |r, v| {
                ValueDoc::read(r, v).map(|d| Spanned::new(v.span(), d))
            })
        });
        o.finish(r);
        Some(ParamDoc {
            name: name?,
            ty: ty?,
            label,
            cite,
            note,
            confidence,
            values: values?,
        })
    }
}

pub(crate) struct ValueDoc {
    pub from: Spanned<String>,
    pub to: Option<Spanned<String>>,
    pub value: Spanned<TVal>,
    pub document: Option<String>,
    pub section: Option<String>,
    pub wording: Option<String>,
}

impl ValueDoc {
    fn read(r: &mut Reader, v: SV<'_, '_>) -> Option<ValueDoc> {
        let mut o = r.obj(v)?;
        let from = o.req_str(r, "from");
        let to = o.opt_str(r, "to");
        let value = o.req_any(r, "value");
        let document = o.opt_str(r, "document").map(Spanned::into_inner);
        let section = o.opt_str(r, "section").map(Spanned::into_inner);
        let wording = o.opt_str(r, "wording").map(Spanned::into_inner);
        o.finish(r);
        Some(ValueDoc {
            from: from?,
            to,
            value: value?,
            document,
            section,
            wording,
        })
    }
}

pub(crate) struct OverrideDoc {
    pub parameter: Spanned<String>,
    pub from: Spanned<String>,
    pub to: Option<Spanned<String>>,
    pub value: Spanned<TVal>,
    pub document: String,
    pub section: String,
    pub wording: Option<String>,
    /// Set by a reform (its index), not written in a pack.
    pub reform: Option<usize>,
    /// A reform's value on every date: it replaces every value of the parameter.
    pub every_date: bool,
}

impl OverrideDoc {
    fn read(r: &mut Reader, v: SV<'_, '_>) -> Option<OverrideDoc> {
        let mut o = r.obj(v)?;
        let parameter = o.req_str(r, "parameter");
        let from = o.req_str(r, "from");
        let to = o.opt_str(r, "to");
        let value = o.req_any(r, "value");
        let document = o.req_str(r, "document");
        let section = o.req_str(r, "section");
        let wording = o.opt_str(r, "wording").map(Spanned::into_inner);
        o.finish(r);
        Some(OverrideDoc {
            parameter: parameter?,
            from: from?,
            to,
            value: value?,
            document: document?.into_inner(),
            section: section?.into_inner(),
            wording,
            reform: None,
            every_date: false,
        })
    }
}

pub(crate) struct GroupDoc {
    pub name: Spanned<String>,
    pub label: Option<Message>,
    pub cite: Option<CiteDoc>,
    pub members: Vec<Spanned<MemberDoc>>,
}

impl GroupDoc {
    fn read(r: &mut Reader, v: SV<'_, '_>) -> Option<GroupDoc> {
        let mut o = r.obj(v)?;
        let name = o.req_str(r, "name");
        let label = o.opt_msg(r, "label");
        let cite = o.get("cite").and_then(|x| r.cite(x));
        let members = o.req(r, "members").map(|x| {
            r.tables(x, |r, v| {
                MemberDoc::read(r, v).map(|d| Spanned::new(v.span(), d))
            })
        });
        o.finish(r);
        Some(GroupDoc {
            name: name?,
            label,
            cite,
            members: members?,
        })
    }
}

pub(crate) struct MemberDoc {
    pub index: i64,
    pub name: String,
    pub from: Spanned<String>,
    pub to: Spanned<String>,
    pub label: Option<Message>,
}

impl MemberDoc {
    fn read(r: &mut Reader, v: SV<'_, '_>) -> Option<MemberDoc> {
        let mut o = r.obj(v)?;
        let index = match o.req(r, "index") {
            Some(x) => match x.get_ref() {
                DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok(),
                _ => {
                    r.wrong(x, msg!(vi: "một số nguyên", en: "an integer"));
                    None
                }
            },
            None => None,
        };
        let name = o.req_str(r, "name");
        let from = o.req_str(r, "from");
        let to = o.req_str(r, "to");
        let label = o.opt_msg(r, "label");
        o.finish(r);
        Some(MemberDoc {
            index: index?,
            name: name?.into_inner(),
            from: from?,
            to: to?,
            label,
        })
    }
}

/// One wording of a rule's message: `{ vi, en }`, optionally with `when`.
pub(crate) struct TemplateDoc {
    pub vi: Spanned<String>,
    pub en: Spanned<String>,
    pub when: Option<Spanned<String>>,
    /// The whole table.
    pub span: std::ops::Range<usize>,
}

impl TemplateDoc {
    fn read(r: &mut Reader, v: SV<'_, '_>) -> Option<TemplateDoc> {
        let mut o = r.obj(v)?;
        let vi = o.req_str(r, "vi");
        let en = o.req_str(r, "en");
        let when = o.opt_str(r, "when");
        o.finish(r);
        Some(TemplateDoc {
            vi: vi?,
            en: en?,
            when,
            span: v.span(),
        })
    }

    /// One table, or an array of tables (alternatives, in order).
    fn read_list(r: &mut Reader, v: SV<'_, '_>) -> Vec<TemplateDoc> {
        match v.get_ref() {
            DeValue::Array(_) => r.tables(v, TemplateDoc::read),
            _ => TemplateDoc::read(r, v).into_iter().collect(),
        }
    }
}

/// A rule's messages per outcome; each a list of alternatives (one table is a list of one).
#[derive(Default)]
pub(crate) struct MessagesDoc {
    pub yes: Vec<TemplateDoc>,
    pub no: Vec<TemplateDoc>,
    pub unknown: Vec<TemplateDoc>,
}

pub(crate) struct RuleDoc {
    pub name: Spanned<String>,
    pub entity: Spanned<String>,
    pub kind: Spanned<String>,
    pub ty: Option<Spanned<String>>,
    pub internal: bool,
    pub title: Option<Message>,
    pub applies_in: Option<Spanned<String>>,
    pub lets: BTreeMap<String, Spanned<String>>,
    pub when: Option<Spanned<String>>,
    pub value: Option<Spanned<String>>,
    pub target: Option<Spanned<String>>,
    pub require: Option<Spanned<String>>,
    pub each: Option<Spanned<String>>,
    pub field: Option<String>,
    pub code: Option<String>,
    pub cite: Spanned<CiteDoc>,
    pub interpretation: Option<Message>,
    pub confidence: Option<String>,
    pub messages: MessagesDoc,
    /// The reforms that replaced parts of it (indices, in order applied).
    pub reforms: Vec<usize>,
}

impl RuleDoc {
    fn read(r: &mut Reader, v: SV<'_, '_>) -> Option<RuleDoc> {
        let mut o = r.obj(v)?;
        let name = o.req_str(r, "name");
        let entity = o.req_str(r, "entity");
        let kind = o.req_str(r, "kind");
        let ty = o.opt_str(r, "type");
        let internal = o.opt_bool(r, "internal").unwrap_or(false);
        let title = o.opt_msg(r, "title");
        let applies_in = o.opt_str(r, "applies_in");
        let lets = read_lets(r, &mut o);
        let when = o.opt_str(r, "when");
        let value = o.opt_str(r, "value");
        let target = o.opt_str(r, "target");
        let require = o.opt_str(r, "require");
        let each = o.opt_str(r, "each");
        let field = o.opt_str(r, "field").map(Spanned::into_inner);
        let code = o.opt_str(r, "code").map(Spanned::into_inner);
        let cite = o
            .req(r, "cite")
            .and_then(|x| r.cite(x).map(|c| Spanned::new(x.span(), c)));
        let interpretation = o.opt_msg(r, "interpretation");
        let confidence = o.opt_str(r, "confidence").map(Spanned::into_inner);
        let messages = read_messages(r, &mut o);
        o.finish(r);
        Some(RuleDoc {
            name: name?,
            entity: entity?,
            kind: kind?,
            ty,
            internal,
            title,
            applies_in,
            lets,
            when,
            value,
            target,
            require,
            each,
            field,
            code,
            cite: cite?,
            interpretation,
            confidence,
            messages,
            reforms: Vec::new(),
        })
    }
}

/// A rule's `let` table: every key a name of the rule's own choosing.
fn read_lets(r: &mut Reader, o: &mut Obj<'_, '_>) -> BTreeMap<String, Spanned<String>> {
    let mut lets = BTreeMap::new();
    if let Some(l) = o.get("let") {
        let max = r.max_lets;
        if let Some(lo) = r
            .obj(l)
            .filter(|lo| r.within(l.span(), lo.t.len(), max, msg!(vi: "`let`", en: "`let`s")))
        {
            for (k, x) in lo.t.iter() {
                if let Some(s) = r.string(x) {
                    lets.insert(k.get_ref().to_string(), s);
                }
            }
        }
    }
    lets
}

/// A rule's `messages` table (`yes`, `no`, `unknown`), absent outcomes empty.
fn read_messages(r: &mut Reader, o: &mut Obj<'_, '_>) -> MessagesDoc {
    let mut messages = MessagesDoc::default();
    if let Some(m) = o.get("messages") {
        if let Some(mut mo) = r.obj(m) {
            let one = |mo: &mut Obj<'_, '_>, r: &mut Reader, k: &'static str| {
                mo.get(k)
                    .map(|x| TemplateDoc::read_list(r, x))
                    .unwrap_or_default()
            };
            messages.yes = one(&mut mo, r, "yes");
            messages.no = one(&mut mo, r, "no");
            messages.unknown = one(&mut mo, r, "unknown");
            mo.finish(r);
        }
    }
    messages
}

pub(crate) enum ExpectDoc {
    Outcome(String),
    Full {
        outcome: Option<String>,
        value: Option<TVal>,
        target: Option<TVal>,
        missing: Option<Vec<String>>,
    },
}

pub(crate) struct TestDoc {
    pub name: Spanned<String>,
    pub entity: Spanned<String>,
    pub as_of: Spanned<String>,
    pub facts: Option<serde_json::Value>,
    pub expect: BTreeMap<String, Spanned<ExpectDoc>>,
    pub valid: Option<bool>,
    pub errors: Option<Vec<String>>,
}

impl TestDoc {
    fn read(r: &mut Reader, v: SV<'_, '_>) -> Option<TestDoc> {
        let mut o = r.obj(v)?;
        let name = o.req_str(r, "name");
        let entity = o.req_str(r, "entity");
        let as_of = o.req_str(r, "as_of");
        let facts = o
            .get("facts")
            .filter(|x| r.lists_within(x))
            .map(|x| TVal::of(x.get_ref()).to_json());
        let mut expect = BTreeMap::new();
        if let Some(e) = o.get("expect") {
            if let DeValue::Table(t) = e.get_ref() {
                for (k, x) in t.iter() {
                    let doc = match x.get_ref() {
                        DeValue::String(s) => Some(ExpectDoc::Outcome(s.to_string())),
                        DeValue::Table(_) => r.obj(x).map(|mut eo| {
                            let outcome = eo.opt_str(r, "outcome").map(Spanned::into_inner);
                            let value = eo.any(r, "value").map(Spanned::into_inner);
                            let target = eo.any(r, "target").map(Spanned::into_inner);
                            let missing = eo
                                .get("missing")
                                .and_then(|m| r.strings(m))
                                .map(|v| v.into_iter().map(Spanned::into_inner).collect());
                            eo.finish(r);
                            ExpectDoc::Full {
                                outcome,
                                value,
                                target,
                                missing,
                            }
                        }),
                        _ => {
                            r.wrong(
                                x,
                                msg!(vi: "một kết quả hoặc một bảng", en: "an outcome or a table"),
                            );
                            None
                        }
                    };
                    if let Some(d) = doc {
                        expect.insert(k.get_ref().to_string(), Spanned::new(x.span(), d));
                    }
                }
            } else {
                r.wrong(e, msg!(vi: "một bảng", en: "a table"));
            }
        }
        let valid = o.opt_bool(r, "valid");
        let errors = o
            .get("errors")
            .and_then(|x| r.strings(x))
            .map(|v| v.into_iter().map(Spanned::into_inner).collect());
        o.finish(r);
        Some(TestDoc {
            name: name?,
            entity: entity?,
            as_of: as_of?,
            facts,
            expect,
            valid,
            errors,
        })
    }
}

pub(crate) struct InfoDoc {
    pub name: Spanned<String>,
    pub title: Message,
    pub cite: Option<CiteDoc>,
    pub items: Vec<Message>,
}

impl InfoDoc {
    fn read(r: &mut Reader, v: SV<'_, '_>) -> Option<InfoDoc> {
        let mut o = r.obj(v)?;
        let name = o.req_str(r, "name");
        let title = o.req(r, "title").and_then(|x| r.message(x));
        let cite = o.get("cite").and_then(|x| r.cite(x));
        let items = o.req(r, "items").and_then(|x| {
            let a = r.array(x)?;
            Some(a.iter().filter_map(|m| r.message(m)).collect::<Vec<_>>())
        });
        o.finish(r);
        Some(InfoDoc {
            name: name?,
            title: title?,
            cite,
            items: items?,
        })
    }
}
