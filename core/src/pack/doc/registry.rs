//! The TOML shape of what a pack says about its registry and its progress indicators:
//! `[registry]`, `[[collection]]`, `[[indicator]]` and `[disclosure]`.

use toml::Spanned;

use super::reader::{Obj, Reader, SV};
use super::{CiteDoc, FieldDoc, TVal};
use crate::text::Message;

/// `[registry]`: what the registry is called and its metadata keys.
pub(crate) struct RegistryDoc {
    /// Where the table starts (for "declared twice").
    pub span: Spanned<()>,
    pub label: Option<Message>,
    pub meta: Vec<FieldDoc>,
}

impl RegistryDoc {
    pub(super) fn read(r: &mut Reader, v: SV<'_, '_>) -> Option<RegistryDoc> {
        let mut o = r.obj(v)?;
        let label = o.opt_msg(r, "label");
        let meta = o
            .get("meta")
            .map(|x| r.tables(x, FieldDoc::read))
            .unwrap_or_default();
        o.finish(r);
        Some(RegistryDoc {
            span: Spanned::new(v.span(), ()),
            label,
            meta,
        })
    }
}

/// `[[collection]]`: a list of rows of one entity in the registry, with registry-only fields.
pub(crate) struct CollectionDoc {
    pub name: Spanned<String>,
    pub entity: Spanned<String>,
    pub label: Option<Message>,
    pub fields: Vec<FieldDoc>,
    pub scope: Option<Spanned<String>>,
}

impl CollectionDoc {
    pub(super) fn read(r: &mut Reader, v: SV<'_, '_>) -> Option<CollectionDoc> {
        let mut o = r.obj(v)?;
        let name = o.req_str(r, "name");
        let entity = o.req_str(r, "entity");
        let label = o.opt_msg(r, "label");
        let fields = o
            .get("fields")
            .map(|x| r.tables(x, FieldDoc::read))
            .unwrap_or_default();
        let scope = o.opt_str(r, "scope");
        o.finish(r);
        Some(CollectionDoc {
            name: name?,
            entity: entity?,
            label,
            fields,
            scope,
        })
    }
}

/// One named group of a breakdown: `{ name, label, when, sensitive }`.
pub(crate) struct BreakdownDoc {
    pub name: Spanned<String>,
    pub label: Option<Message>,
    pub when: Spanned<String>,
    pub sensitive: bool,
}

impl BreakdownDoc {
    fn read(r: &mut Reader, v: SV<'_, '_>) -> Option<BreakdownDoc> {
        let mut o = r.obj(v)?;
        let name = o.req_str(r, "name");
        let label = o.opt_msg(r, "label");
        let when = o.req_str(r, "when");
        let sensitive = o.opt_bool(r, "sensitive").unwrap_or(false);
        o.finish(r);
        Some(BreakdownDoc {
            name: name?,
            label,
            when: when?,
            sensitive,
        })
    }
}

/// `[[indicator]]`: an aggregate over a collection, per member of a period group.
pub(crate) struct IndicatorDoc {
    pub name: Spanned<String>,
    pub title: Option<Message>,
    pub collection: Spanned<String>,
    pub by: Spanned<String>,
    pub index: Option<Spanned<String>>,
    pub aggregate: Spanned<String>,
    pub filter: Option<Spanned<String>>,
    pub value: Option<Spanned<String>>,
    pub numerator: Option<Spanned<String>>,
    pub denominator: Option<Spanned<String>>,
    pub target: Option<Spanned<String>>,
    pub compare: Option<Spanned<String>>,
    pub pro_rata: Option<Spanned<bool>>,
    pub cite: Spanned<CiteDoc>,
    pub interpretation: Option<Message>,
    pub confidence: Option<String>,
    pub groups: Vec<BreakdownDoc>,
    pub protected: bool,
    pub sensitive: bool,
}

impl IndicatorDoc {
    pub(super) fn read(r: &mut Reader, v: SV<'_, '_>) -> Option<IndicatorDoc> {
        let mut o = r.obj(v)?;
        let name = o.req_str(r, "name");
        let title = o.req(r, "title").and_then(|x| r.message(x));
        let collection = o.req_str(r, "collection");
        let by = o.req_str(r, "by");
        let index = o.opt_str(r, "index");
        let aggregate = o.req_str(r, "aggregate");
        let filter = o.opt_str(r, "filter");
        let value = o.opt_str(r, "value");
        let numerator = o.opt_str(r, "numerator");
        let denominator = o.opt_str(r, "denominator");
        let target = o.opt_str(r, "target");
        let compare = o.opt_str(r, "compare");
        let pro_rata = spanned_bool(&mut o, r, "pro_rata");
        let cite = o
            .req(r, "cite")
            .and_then(|x| r.cite(x).map(|c| Spanned::new(x.span(), c)));
        let interpretation = o.opt_msg(r, "interpretation");
        let confidence = o.opt_str(r, "confidence").map(Spanned::into_inner);
        let groups = o
            .get("groups")
            .map(|x| r.tables(x, BreakdownDoc::read))
            .unwrap_or_default();
        let protected = o.opt_bool(r, "protected").unwrap_or(false);
        let sensitive = o.opt_bool(r, "sensitive").unwrap_or(false);
        o.finish(r);
        Some(IndicatorDoc {
            name: name?,
            title,
            collection: collection?,
            by: by?,
            index,
            aggregate: aggregate?,
            filter,
            value,
            numerator,
            denominator,
            target,
            compare,
            pro_rata,
            cite: cite?,
            interpretation,
            confidence,
            groups,
            protected,
            sensitive,
        })
    }
}

/// `[disclosure]`: how small counts of people are protected in every report output.
pub(crate) struct DisclosureDoc {
    pub span: Spanned<()>,
    pub threshold: Option<Spanned<TVal>>,
    pub rounding: Option<Spanned<TVal>>,
    pub cite: Option<CiteDoc>,
    pub note: Option<String>,
}

impl DisclosureDoc {
    pub(super) fn read(r: &mut Reader, v: SV<'_, '_>) -> Option<DisclosureDoc> {
        let mut o = r.obj(v)?;
        let threshold = o.any(r, "threshold");
        let rounding = o.any(r, "rounding");
        let cite = o.get("cite").and_then(|x| r.cite(x));
        let note = o.opt_str(r, "note").map(Spanned::into_inner);
        o.finish(r);
        Some(DisclosureDoc {
            span: Spanned::new(v.span(), ()),
            threshold,
            rounding,
            cite,
            note,
        })
    }
}

/// An optional boolean with its place in the file.
fn spanned_bool(o: &mut Obj<'_, '_>, r: &mut Reader, key: &'static str) -> Option<Spanned<bool>> {
    let v = o.get(key)?;
    match v.get_ref() {
        toml::de::DeValue::Boolean(b) => Some(Spanned::new(v.span(), *b)),
        _ => {
            r.wrong(v, msg!(vi: "giá trị đúng/sai", en: "a boolean"));
            None
        }
    }
}
