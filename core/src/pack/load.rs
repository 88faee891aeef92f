//! The checker: reads a pack and its imports, reports every problem with `file:line:col`, and
//! compiles what is valid into the resolved [`Pack`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use rust_decimal::Decimal;
use toml::Spanned;

use super::doc::*;
use super::source::PackLoader;
use crate::codes::Code;
use crate::date::Date;
use crate::error::{Diagnostic, Error};
use crate::expr::compile::{ty_name, CompileError, Scope};
use crate::expr::ir::{CmpOp, Ex};
use crate::expr::syntax::{self, Ast, Lit};
use crate::model::*;
use crate::msg;
use crate::text::{Message, Unit};
use crate::value::{Ty, Val};

struct Src {
    path: String,
    text: String,
    /// byte offsets of line starts
    lines: Vec<usize>,
}

impl Src {
    fn new(path: String, text: String) -> Src {
        let mut lines = vec![0];
        lines.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Src { path, text, lines }
    }
    fn loc(&self, offset: usize) -> (usize, usize) {
        let line = self.lines.partition_point(|&s| s <= offset).max(1);
        let start = self.lines.get(line - 1).copied().unwrap_or(0);
        let col = self
            .text
            .get(start..offset.min(self.text.len()))
            .map(|s| s.chars().count())
            .unwrap_or(0)
            + 1;
        (line, col)
    }
    /// Offset of the first character inside the TOML string whose token starts at `start`.
    fn string_body(&self, start: usize) -> usize {
        let rest = self.text.get(start..).unwrap_or("");
        if rest.starts_with("\"\"\"") || rest.starts_with("'''") {
            let after = rest.get(3..).unwrap_or("");
            if after.starts_with("\r\n") {
                start + 5
            } else if after.starts_with('\n') {
                start + 4
            } else {
                start + 3
            }
        } else if rest.starts_with('"') || rest.starts_with('\'') {
            start + 1
        } else {
            start
        }
    }
}

/// Where an import was written: file and span (none for the root pack).
type ImportSite = Option<(usize, Range<usize>)>;

struct Checker {
    files: Vec<Src>,
    diags: Vec<Diagnostic>,
}

impl Checker {
    fn diag(&mut self, file: usize, offset: usize, code: Code, message: Message) {
        let (path, (line, column)) = match self.files.get(file) {
            Some(f) => (f.path.clone(), f.loc(offset)),
            None => (String::new(), (1, 1)),
        };
        self.diags.push(Diagnostic {
            file: path,
            line,
            column,
            code: code.into(),
            message,
        });
    }
    fn diag_at<T>(&mut self, file: usize, s: &Spanned<T>, code: Code, message: Message) {
        self.diag(file, s.span().start, code, message);
    }
    fn expr_errors(&mut self, file: usize, s: &Spanned<String>, errs: Vec<CompileError>) {
        let base = self
            .files
            .get(file)
            .map(|f| f.string_body(s.span().start))
            .unwrap_or(0);
        for e in errs {
            self.diag(file, base + e.span.start, e.code, e.message);
        }
    }
    fn parse_expr(&mut self, file: usize, s: &Spanned<String>) -> Option<Ast> {
        match syntax::parse(s.get_ref()) {
            Ok(a) => Some(a),
            Err(e) => {
                let base = self
                    .files
                    .get(file)
                    .map(|f| f.string_body(s.span().start))
                    .unwrap_or(0);
                self.diag(
                    file,
                    base + e.span.start,
                    Code::ExprSyntax,
                    msg!(vi: e.vi, en: e.en),
                );
                None
            }
        }
    }
    fn date(&mut self, file: usize, s: &Spanned<String>) -> Option<Date> {
        let d = Date::parse(s.get_ref());
        if d.is_none() {
            let v = s.get_ref().clone();
            self.diag_at(
                file,
                s,
                Code::PackDate,
                msg!(
                    vi: format!("`{v}` không phải ngày (cần YYYY-MM-DD)"),
                    en: format!("`{v}` is not a date (expected YYYY-MM-DD)"),
                ),
            );
        }
        d
    }
}

fn cite(c: &CiteDoc) -> Cite {
    Cite {
        document: c.document.clone(),
        section: c.section.clone(),
        wording: c.wording.clone(),
    }
}

/// Loads pack `root` and everything it imports, checks it and compiles it.
pub(crate) fn load(loader: &dyn PackLoader, root: &str) -> Result<Pack, Error> {
    let mut ck = Checker {
        files: Vec::new(),
        diags: Vec::new(),
    };
    let mut docs: Vec<(usize, String, FileDoc)> = Vec::new();
    let mut pack = Pack::default();
    // breadth-first over imports
    let mut queue: Vec<(String, ImportSite)> = vec![(root.to_string(), None)];
    let mut seen = HashSet::new();
    while let Some((id, from)) = queue.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let Some(files) = loader.load(&id) else {
            match from {
                Some((f, span)) => ck.diag(
                    f,
                    span.start,
                    Code::PackImport,
                    msg!(
                        vi: format!("không tìm thấy bộ quy tắc được nhập `{id}`"),
                        en: format!("imported pack `{id}` not found"),
                    ),
                ),
                None => ck.diags.push(Diagnostic {
                    file: id.clone(),
                    line: 1,
                    column: 1,
                    code: Code::PackNotFound.into(),
                    message: msg!(
                        vi: format!("không tìm thấy bộ quy tắc `{id}` (thư mục có tệp .toml)"),
                        en: format!("rule pack `{id}` not found (a folder of .toml files)"),
                    ),
                }),
            }
            continue;
        };
        let mut has_meta = false;
        for (path, text) in files {
            let text = match text {
                Ok(t) => t,
                Err(e) => {
                    ck.diags.push(Diagnostic {
                        file: path.clone(),
                        line: 1,
                        column: 1,
                        code: Code::PackRead.into(),
                        message: msg!(
                            vi: format!("không đọc được tệp: {e}"),
                            en: format!("cannot read file: {e}"),
                        ),
                    });
                    continue;
                }
            };
            let fid = ck.files.len();
            ck.files.push(Src::new(path, text));
            let parsed = FileDoc::parse(ck.files.get(fid).map(|f| f.text.as_str()).unwrap_or(""));
            match parsed {
                Ok(doc) => {
                    if let Some(p) = &doc.pack {
                        has_meta = true;
                        if p.id.get_ref() != &id {
                            let pid = p.id.get_ref().clone();
                            ck.diag_at(fid, &p.id, Code::PackId, msg!(
                                vi: format!("mã bộ quy tắc `{pid}` khác tên thư mục `{id}`"),
                                en: format!("pack id `{pid}` differs from its folder name `{id}`"),
                            ));
                        }
                        for imp in &p.imports {
                            queue.push((imp.get_ref().clone(), Some((fid, imp.span()))));
                        }
                        pack.meta.push(PackMeta {
                            id: p.id.get_ref().clone(),
                            version: p.version.clone(),
                            title: p.title.clone(),
                            document: p.document.clone(),
                            date: p.date.clone(),
                            issuer: p.issuer.clone(),
                            implements: p.implements.clone(),
                            jurisdiction: p.jurisdiction.clone(),
                            status: p.status.clone(),
                            imports: p.imports.iter().map(|i| i.get_ref().clone()).collect(),
                        });
                    }
                    docs.push((fid, id.clone(), doc));
                }
                Err(errs) => {
                    for e in errs {
                        ck.diag(fid, e.span.start, e.code, e.message);
                    }
                }
            }
        }
        if !has_meta && ck.diags.is_empty() {
            ck.diags.push(Diagnostic {
                file: format!("{id}/pack.toml"),
                line: 1,
                column: 1,
                code: Code::PackMeta.into(),
                message: msg!(
                    vi: "bộ quy tắc thiếu phần [pack] (id, version, document)",
                    en: "the pack has no [pack] table (id, version, document)",
                ),
            });
        }
    }

    // ---- enums
    let mut enum_by_name: HashMap<String, usize> = HashMap::new();
    for (fid, _, doc) in &docs {
        for e in &doc.enums {
            let name = e.name.get_ref().clone();
            if enum_by_name.contains_key(&name) {
                ck.diag_at(
                    *fid,
                    &e.name,
                    Code::PackDuplicate,
                    msg!(
                        vi: format!("kiểu liệt kê `{name}` được định nghĩa hai lần"),
                        en: format!("enum `{name}` is defined twice"),
                    ),
                );
                continue;
            }
            let mut values = Vec::new();
            for v in &e.values {
                if values.contains(v.get_ref()) {
                    ck.diag_at(
                        *fid,
                        v,
                        Code::PackDuplicate,
                        msg!(
                            vi: format!("giá trị `{}` bị lặp", v.get_ref()),
                            en: format!("value `{}` repeated", v.get_ref()),
                        ),
                    );
                }
                values.push(v.get_ref().clone());
            }
            let labels = values.iter().map(|v| e.labels.get(v).cloned()).collect();
            enum_by_name.insert(name.clone(), pack.enums.len());
            pack.enums.push(EnumType {
                name,
                values,
                labels,
            });
        }
    }

    // ---- records and entities: names first, then field types
    let mut rec_by_name: HashMap<String, usize> = HashMap::new();
    let mut rec_docs: Vec<(usize, &RecordDoc, bool)> = Vec::new();
    for (fid, _, doc) in &docs {
        for (r, is_entity) in doc
            .record
            .iter()
            .map(|r| (r, false))
            .chain(doc.entity.iter().map(|r| (r, true)))
        {
            let name = r.name.get_ref().clone();
            if rec_by_name.contains_key(&name) || enum_by_name.contains_key(&name) {
                ck.diag_at(
                    *fid,
                    &r.name,
                    Code::PackDuplicate,
                    msg!(
                        vi: format!("kiểu `{name}` được định nghĩa hai lần"),
                        en: format!("type `{name}` is defined twice"),
                    ),
                );
                continue;
            }
            rec_by_name.insert(name.clone(), pack.records.len());
            pack.records.push(RecordType {
                name,
                fields: Vec::new(),
                by_name: HashMap::new(),
                label: r.label.clone(),
                id_field: None,
                bounded: false,
            });
            rec_docs.push((*fid, r, is_entity));
        }
    }
    for (i, (fid, r, is_entity)) in rec_docs.iter().enumerate() {
        let mut fields = Vec::new();
        let mut by_name = HashMap::new();
        for f in &r.fields {
            let name = f.name.get_ref().clone();
            if by_name.contains_key(&name) {
                ck.diag_at(
                    *fid,
                    &f.name,
                    Code::PackDuplicate,
                    msg!(
                        vi: format!("trường `{name}` được định nghĩa hai lần"),
                        en: format!("field `{name}` is defined twice"),
                    ),
                );
                continue;
            }
            if syntax::is_keyword(&name) || matches!(name.as_str(), "param" | "rule" | "as_of") {
                ck.diag_at(
                    *fid,
                    &f.name,
                    Code::PackReserved,
                    msg!(
                        vi: format!("`{name}` là từ dành riêng"),
                        en: format!("`{name}` is a reserved word"),
                    ),
                );
            }
            let Some(ty) = parse_type(&mut ck, *fid, &f.ty, &enum_by_name, &rec_by_name) else {
                continue;
            };
            let num = |ck: &mut Checker, v: &Option<Spanned<TVal>>| -> Option<Decimal> {
                let v = v.as_ref()?;
                match literal(v.get_ref(), &Ty::Dec(Unit::Plain)) {
                    Ok(Val::Dec(d)) => Some(d),
                    Ok(Val::Int(i)) => Some(Decimal::from(i)),
                    _ => {
                        ck.diag_at(
                            *fid,
                            v,
                            Code::PackValue,
                            msg!(vi: "min/max phải là số", en: "min/max must be a number"),
                        );
                        None
                    }
                }
            };
            let min = num(&mut ck, &f.min);
            let max = num(&mut ck, &f.max);
            by_name.insert(name.clone(), fields.len());
            fields.push(FieldDef {
                name,
                ty,
                label: f.label.clone(),
                doc: f.doc.clone(),
                required: f.required,
                min,
                max,
            });
        }
        let id_field = match &r.id {
            Some(idn) => {
                let found = by_name.get(idn.get_ref()).copied();
                if found.is_none() {
                    ck.diag_at(
                        *fid,
                        idn,
                        Code::PackUnknownField,
                        msg!(
                            vi: format!("trường mã `{}` không tồn tại", idn.get_ref()),
                            en: format!("id field `{}` is not a field", idn.get_ref()),
                        ),
                    );
                }
                found
            }
            None => None,
        };
        if let Some(rt) = pack.records.get_mut(i) {
            rt.fields = fields;
            rt.by_name = by_name;
            rt.id_field = id_field;
        }
        if *is_entity {
            pack.entity_by_name
                .insert(r.name.get_ref().clone(), pack.entities.len());
            pack.entities.push(EntityRules {
                name: r.name.get_ref().clone(),
                record: i,
                rules: Vec::new(),
                by_name: HashMap::new(),
                order: Vec::new(),
                outputs: Vec::new(),
                constraints: Vec::new(),
                constraints_use_rules: false,
            });
        }
    }
    // recursive record types would make facts unbounded: reject cycles through records
    for (i, (fid, r, _)) in rec_docs.iter().enumerate() {
        if record_reaches(&pack.records, i, i, &mut HashSet::new()) {
            ck.diag_at(
                *fid,
                &r.name,
                Code::PackRecursiveType,
                msg!(
                    vi: format!("bản ghi `{}` chứa chính nó", r.name.get_ref()),
                    en: format!("record `{}` contains itself", r.name.get_ref()),
                ),
            );
        }
    }

    // which records need bound checks (records nest without cycles, so a few passes settle it)
    for _ in 0..pack.records.len().max(1) {
        let flags: Vec<bool> = pack
            .records
            .iter()
            .map(|r| {
                r.fields.iter().any(|f| {
                    let mut t = &f.ty;
                    while let Ty::List(inner) = t {
                        t = inner;
                    }
                    f.min.is_some()
                        || f.max.is_some()
                        || matches!(t, Ty::Rec(i) if pack.records.get(*i).is_some_and(|x| x.bounded))
                })
            })
            .collect();
        let changed = pack
            .records
            .iter()
            .zip(&flags)
            .any(|(r, f)| r.bounded != *f);
        for (r, f) in pack.records.iter_mut().zip(flags) {
            r.bounded = f;
        }
        if !changed {
            break;
        }
    }

    // ---- periods
    for (fid, _, doc) in &docs {
        for g in &doc.periods {
            let name = g.name.get_ref().clone();
            if pack.group_by_name.contains_key(&name) {
                ck.diag_at(
                    *fid,
                    &g.name,
                    Code::PackDuplicate,
                    msg!(
                        vi: format!("nhóm giai đoạn `{name}` được định nghĩa hai lần"),
                        en: format!("period group `{name}` is defined twice"),
                    ),
                );
                continue;
            }
            let mut members: Vec<Period> = Vec::new();
            for m in &g.members {
                let mm = m.get_ref();
                let (Some(from), Some(to)) = (ck.date(*fid, &mm.from), ck.date(*fid, &mm.to))
                else {
                    continue;
                };
                if to < from {
                    ck.diag_at(
                        *fid,
                        m,
                        Code::PeriodOrder,
                        msg!(
                            vi: "giai đoạn kết thúc trước khi bắt đầu",
                            en: "a period ends before it starts",
                        ),
                    );
                }
                if members.iter().any(|p| p.from <= to && from <= p.to) {
                    ck.diag_at(
                        *fid,
                        m,
                        Code::PeriodOverlap,
                        msg!(
                            vi: format!("giai đoạn `{}` chồng lấn giai đoạn khác của `{name}`", mm.name),
                            en: format!("period `{}` overlaps another of `{name}`", mm.name),
                        ),
                    );
                }
                if members.iter().any(|p| p.index == mm.index) {
                    ck.diag_at(
                        *fid,
                        m,
                        Code::PackDuplicate,
                        msg!(
                            vi: format!("số thứ tự giai đoạn {} bị lặp", mm.index),
                            en: format!("period index {} repeated", mm.index),
                        ),
                    );
                }
                members.push(Period {
                    index: mm.index,
                    name: mm.name.clone(),
                    from,
                    to,
                    label: mm.label.clone(),
                });
            }
            pack.group_by_name.insert(name.clone(), pack.groups.len());
            pack.groups.push(PeriodGroup {
                name,
                label: g.label.clone(),
                cite: g.cite.as_ref().map(cite),
                members,
            });
        }
    }

    // ---- parameters
    for (fid, _, doc) in &docs {
        for p in &doc.parameter {
            let name = p.name.get_ref().clone();
            if pack.param_by_name.contains_key(&name) {
                ck.diag_at(
                    *fid,
                    &p.name,
                    Code::PackDuplicate,
                    msg!(
                        vi: format!("tham số `{name}` được định nghĩa hai lần"),
                        en: format!("parameter `{name}` is defined twice"),
                    ),
                );
                continue;
            }
            let Some(ty) = parse_type(&mut ck, *fid, &p.ty, &enum_by_name, &rec_by_name) else {
                continue;
            };
            let mut values: Vec<ParamValue> = Vec::new();
            for v in &p.values {
                let vd = v.get_ref();
                let Some(from) = ck.date(*fid, &vd.from) else {
                    continue;
                };
                let to = match &vd.to {
                    Some(t) => match ck.date(*fid, t) {
                        Some(d) => Some(d),
                        None => continue,
                    },
                    None => None,
                };
                let Some(val) = typed_value(&mut ck, *fid, &vd.value, &ty, &pack.enums) else {
                    continue;
                };
                if to.is_some_and(|t| t < from) {
                    ck.diag_at(
                        *fid,
                        v,
                        Code::ParamOrder,
                        msg!(vi: "`to` trước `from`", en: "`to` is before `from`"),
                    );
                }
                let c = Cite {
                    document: vd
                        .document
                        .clone()
                        .or_else(|| p.cite.as_ref().map(|c| c.document.clone()))
                        .unwrap_or_default(),
                    section: vd
                        .section
                        .clone()
                        .or_else(|| p.cite.as_ref().map(|c| c.section.clone()))
                        .unwrap_or_default(),
                    wording: vd.wording.clone(),
                };
                values.push(ParamValue {
                    from,
                    to,
                    value: val,
                    cite: Some(c),
                    overrides: false,
                });
            }
            // overlaps and gaps
            let mut sorted: Vec<_> = values
                .iter()
                .enumerate()
                .map(|(i, v)| (v.from, v.to, i))
                .collect();
            sorted.sort_by_key(|x| x.0);
            for w in sorted.windows(2) {
                let (Some(a), Some(b)) = (w.first(), w.get(1)) else {
                    continue;
                };
                let span_of = |i: usize| p.values.get(i).map(|v| v.span().start).unwrap_or(0);
                match a.1 {
                    None => ck.diag(*fid, span_of(b.2), Code::ParamOverlap, msg!(
                        vi: format!("các giá trị của `{name}` chồng lấn: giá trị trước không có ngày kết thúc"),
                        en: format!("values of `{name}` overlap: an earlier value has no end date"),
                    )),
                    Some(end) if b.0 <= end => ck.diag(*fid, span_of(b.2), Code::ParamOverlap, msg!(
                        vi: format!("các giá trị của `{name}` chồng lấn từ {}", b.0),
                        en: format!("values of `{name}` overlap from {}", b.0),
                    )),
                    Some(end) if end.add_days(1) < b.0 => ck.diag(*fid, span_of(b.2), Code::ParamGap, msg!(
                        vi: format!("các giá trị của `{name}` để trống từ {} đến {}", end.add_days(1), b.0.add_days(-1)),
                        en: format!("values of `{name}` leave a gap from {} to {}", end.add_days(1), b.0.add_days(-1)),
                    )),
                    _ => {}
                }
            }
            if values.is_empty() {
                ck.diag_at(
                    *fid,
                    &p.name,
                    Code::ParamEmpty,
                    msg!(
                        vi: format!("tham số `{name}` không có giá trị"),
                        en: format!("parameter `{name}` has no value"),
                    ),
                );
            }
            pack.param_by_name.insert(name.clone(), pack.params.len());
            pack.params.push(Param {
                name,
                ty,
                label: p.label.clone(),
                cite: p.cite.as_ref().map(cite),
                note: p.note.clone(),
                confidence: p.confidence.clone(),
                values,
            });
        }
    }
    // overrides from later documents: they win from their date on
    for (fid, _, doc) in &docs {
        for o in &doc.overrides {
            let Some(&pid) = pack.param_by_name.get(o.parameter.get_ref()) else {
                ck.diag_at(
                    *fid,
                    &o.parameter,
                    Code::ExprUnknownParam,
                    msg!(
                        vi: format!("không có tham số `{}`", o.parameter.get_ref()),
                        en: format!("unknown parameter `{}`", o.parameter.get_ref()),
                    ),
                );
                continue;
            };
            let ty = pack
                .params
                .get(pid)
                .map(|p| p.ty.clone())
                .unwrap_or(Ty::Bool);
            let Some(from) = ck.date(*fid, &o.from) else {
                continue;
            };
            let to = o.to.as_ref().and_then(|t| ck.date(*fid, t));
            let Some(val) = typed_value(&mut ck, *fid, &o.value, &ty, &pack.enums) else {
                continue;
            };
            if let Some(p) = pack.params.get_mut(pid) {
                p.values.insert(
                    0,
                    ParamValue {
                        from,
                        to,
                        value: val,
                        cite: Some(Cite {
                            document: o.document.clone(),
                            section: o.section.clone(),
                            wording: o.wording.clone(),
                        }),
                        overrides: true,
                    },
                );
                // latest override first
                let n_over = p.values.iter().filter(|v| v.overrides).count();
                if let Some(over) = p.values.get_mut(..n_over) {
                    over.sort_by_key(|v| std::cmp::Reverse(v.from));
                }
            }
        }
    }

    // ---- rules: names and types first
    struct Pending<'d> {
        fid: usize,
        doc: &'d RuleDoc,
        entity: usize,
        kind: RuleKind,
        pack_id: String,
    }
    let mut pending: Vec<Pending> = Vec::new();
    let mut rule_types: Vec<HashMap<String, (usize, Ty)>> =
        vec![HashMap::new(); pack.entities.len()];
    for (fid, pack_id, doc) in &docs {
        for r in &doc.rule {
            let Some(&ent) = pack.entity_by_name.get(r.entity.get_ref()) else {
                let known: Vec<_> = pack.entities.iter().map(|e| e.name.clone()).collect();
                ck.diag_at(
                    *fid,
                    &r.entity,
                    Code::RuleEntity,
                    msg!(
                        vi: format!("không có đối tượng `{}` (các đối tượng: {})", r.entity.get_ref(), known.join(", ")),
                        en: format!("unknown entity `{}` (entities: {})", r.entity.get_ref(), known.join(", ")),
                    ),
                );
                continue;
            };
            let kind = match r.kind.get_ref().as_str() {
                "decision" => RuleKind::Decision,
                "value" => RuleKind::Value,
                "constraint" => RuleKind::Constraint,
                other => {
                    ck.diag_at(*fid, &r.kind, Code::RuleKind, msg!(
                        vi: format!("loại quy tắc `{other}` không hợp lệ (decision, value, constraint)"),
                        en: format!("unknown rule kind `{other}` (decision, value, constraint)"),
                    ));
                    continue;
                }
            };
            let name = r.name.get_ref().clone();
            let Some(types) = rule_types.get_mut(ent) else {
                continue;
            };
            if types.contains_key(&name)
                || pending
                    .iter()
                    .any(|p| p.entity == ent && p.doc.name.get_ref() == &name)
            {
                ck.diag_at(
                    *fid,
                    &r.name,
                    Code::PackDuplicate,
                    msg!(
                        vi: format!("quy tắc `{name}` được định nghĩa hai lần cho đối tượng này"),
                        en: format!("rule `{name}` is defined twice for this entity"),
                    ),
                );
                continue;
            }
            let idx = pending.iter().filter(|p| p.entity == ent).count();
            match kind {
                RuleKind::Decision => {
                    types.insert(name, (idx, Ty::Bool));
                }
                RuleKind::Value => match &r.ty {
                    Some(t) => {
                        if let Some(ty) = parse_type(&mut ck, *fid, t, &enum_by_name, &rec_by_name)
                        {
                            types.insert(name, (idx, ty));
                        }
                    }
                    None => ck.diag_at(
                        *fid,
                        &r.name,
                        Code::RuleType,
                        msg!(
                            vi: format!("quy tắc giá trị `{name}` cần khai báo `type`"),
                            en: format!("value rule `{name}` needs a `type`"),
                        ),
                    ),
                },
                RuleKind::Constraint => {}
            }
            pending.push(Pending {
                fid: *fid,
                doc: r,
                entity: ent,
                kind,
                pack_id: pack_id.clone(),
            });
        }
    }

    // ---- compile rules
    for p in &pending {
        let r = p.doc;
        let fid = p.fid;
        let ent = p.entity;
        let root = pack.entities.get(ent).map(|e| e.record).unwrap_or(0);
        let empty = HashMap::new();
        let types = rule_types.get(ent).unwrap_or(&empty);
        let mut scope = Scope {
            enums: &pack.enums,
            records: &pack.records,
            params: &pack.params,
            param_by_name: &pack.param_by_name,
            group_by_name: &pack.group_by_name,
            root,
            rules: types,
            locals: Vec::new(),
            vars: Vec::new(),
        };
        let mut failed = false;
        // lets, in dependency order
        let mut asts: BTreeMap<&str, (Ast, &Spanned<String>)> = BTreeMap::new();
        for (name, src) in &r.lets {
            if let Some(a) = ck.parse_expr(fid, src) {
                asts.insert(name.as_str(), (a, src));
            } else {
                failed = true;
            }
        }
        let mut order: Vec<&str> = Vec::new();
        let mut state: HashMap<&str, u8> = HashMap::new();
        fn visit<'x>(
            n: &'x str,
            asts: &BTreeMap<&'x str, (Ast, &Spanned<String>)>,
            state: &mut HashMap<&'x str, u8>,
            order: &mut Vec<&'x str>,
        ) -> bool {
            match state.get(n) {
                Some(2) => return true,
                Some(1) => return false,
                _ => {}
            }
            state.insert(n, 1);
            if let Some((a, _)) = asts.get(n) {
                let mut heads = Vec::new();
                path_heads(a, &mut heads);
                for h in heads {
                    if let Some((k, _)) = asts.get_key_value(h.as_str()) {
                        if !visit(k, asts, state, order) {
                            return false;
                        }
                    }
                }
            }
            state.insert(n, 2);
            order.push(n);
            true
        }
        let names: Vec<&str> = asts.keys().copied().collect();
        for n in names {
            if !visit(n, &asts, &mut state, &mut order) {
                if let Some((_, src)) = asts.get(n) {
                    ck.diag_at(
                        fid,
                        *src,
                        Code::RuleCycle,
                        msg!(
                            vi: format!("`let {n}` tham chiếu chính nó"),
                            en: format!("`let {n}` refers to itself"),
                        ),
                    );
                }
                failed = true;
                break;
            }
        }
        let mut locals = Vec::new();
        let root_fields = pack.records.get(root).map(|r| &r.by_name);
        for n in &order {
            let Some((a, src)) = asts.get(n) else {
                continue;
            };
            if root_fields.is_some_and(|f| f.contains_key(*n)) {
                ck.diag_at(
                    fid,
                    *src,
                    Code::RuleShadow,
                    msg!(
                        vi: format!("`let {n}` che khuất trường `{n}`"),
                        en: format!("`let {n}` hides the field `{n}`"),
                    ),
                );
            }
            match scope.compile(a) {
                Ok((ex, ty)) => {
                    scope.locals.push((n.to_string(), ty.clone()));
                    locals.push((n.to_string(), ex, ty));
                }
                Err(errs) => {
                    ck.expr_errors(fid, src, errs);
                    failed = true;
                }
            }
        }
        let compile_opt = |ck: &mut Checker,
                           scope: &mut Scope,
                           s: &Option<Spanned<String>>|
         -> Option<Option<(Ex, Ty)>> {
            let Some(s) = s else { return Some(None) };
            let a = ck.parse_expr(fid, s)?;
            match scope.compile(&a) {
                Ok(x) => Some(Some(x)),
                Err(errs) => {
                    ck.expr_errors(fid, s, errs);
                    None
                }
            }
        };
        let value = compile_opt(&mut ck, &mut scope, &r.value);
        let target = compile_opt(&mut ck, &mut scope, &r.target);
        // constraints may iterate a list: `each = "managers"` binds `it`
        let mut each = None;
        if let Some(e) = &r.each {
            if let Some(a) = ck.parse_expr(fid, e) {
                match scope.compile(&a) {
                    Ok((ex, Ty::List(elem))) => {
                        let ptr = match &ex {
                            Ex::Field { ptr, .. } => ptr.to_string(),
                            _ => String::new(),
                        };
                        scope.vars.push(("it".into(), *elem));
                        each = Some((ex, ptr));
                    }
                    Ok((_, t)) => {
                        let tn = ty_name(&t, &pack.enums, &pack.records);
                        ck.diag_at(
                            fid,
                            e,
                            Code::ExprType,
                            msg!(
                                vi: format!("`each` cần một danh sách, gặp {tn}"),
                                en: format!("`each` needs a list, found {tn}"),
                            ),
                        );
                        failed = true;
                    }
                    Err(errs) => {
                        ck.expr_errors(fid, e, errs);
                        failed = true;
                    }
                }
            }
        }
        let cond_src = if p.kind == RuleKind::Constraint {
            &r.require
        } else {
            &r.when
        };
        let when = compile_opt(&mut ck, &mut scope, cond_src);
        let (Some(value), Some(target), Some(when)) = (value, target, when) else {
            continue;
        };
        if failed {
            continue;
        }
        if let Some((_, t)) = &when {
            if *t != Ty::Bool {
                let tn = ty_name(t, &pack.enums, &pack.records);
                if let Some(s) = cond_src {
                    ck.diag_at(
                        fid,
                        s,
                        Code::ExprType,
                        msg!(
                            vi: format!("điều kiện phải có kiểu đúng/sai, gặp {tn}"),
                            en: format!("a condition must be yes/no, found {tn}"),
                        ),
                    );
                }
                continue;
            }
        }
        // shape of each kind
        match p.kind {
            RuleKind::Decision if when.is_none() => {
                ck.diag_at(
                    fid,
                    &r.name,
                    Code::RuleShape,
                    msg!(vi: "quy tắc quyết định cần `when`", en: "a decision needs `when`"),
                );
                continue;
            }
            RuleKind::Value if value.is_none() => {
                ck.diag_at(
                    fid,
                    &r.name,
                    Code::RuleShape,
                    msg!(vi: "quy tắc giá trị cần `value`", en: "a value rule needs `value`"),
                );
                continue;
            }
            RuleKind::Constraint if when.is_none() || r.field.is_none() || r.code.is_none() => {
                ck.diag_at(
                    fid,
                    &r.name,
                    Code::RuleShape,
                    msg!(
                        vi: "ràng buộc cần `require`, `field` và `code`",
                        en: "a constraint needs `require`, `field` and `code`",
                    ),
                );
                continue;
            }
            _ => {}
        }
        let mut value = value;
        if p.kind == RuleKind::Value {
            if let (Some((_, vt)), Some((_, declared))) = (&value, types.get(r.name.get_ref())) {
                let ok = vt == declared
                    || (vt.is_num()
                        && declared.is_num()
                        && (!matches!(declared, Ty::Int) || matches!(vt, Ty::Int)))
                    || matches!((vt, declared), (Ty::Str, Ty::Enum(_)));
                if !ok {
                    let (a, b) = (
                        ty_name(vt, &pack.enums, &pack.records),
                        ty_name(declared, &pack.enums, &pack.records),
                    );
                    if let Some(s) = &r.value {
                        ck.diag_at(
                            fid,
                            s,
                            Code::ExprType,
                            msg!(
                                vi: format!("giá trị có kiểu {a} nhưng quy tắc khai báo {b}"),
                                en: format!("the value has type {a} but the rule declares {b}"),
                            ),
                        );
                    }
                    continue;
                }
                if let Some(v) = value.as_mut() {
                    v.1 = declared.clone();
                }
            }
        }
        let applies_in = match &r.applies_in {
            Some(g) => match pack.group_by_name.get(g.get_ref()) {
                Some(&i) => Some(i),
                None => {
                    ck.diag_at(
                        fid,
                        g,
                        Code::ExprUnknownPeriod,
                        msg!(
                            vi: format!("không có nhóm giai đoạn `{}`", g.get_ref()),
                            en: format!("unknown period group `{}`", g.get_ref()),
                        ),
                    );
                    continue;
                }
            },
            None => None,
        };
        // messages
        let local_names: Vec<String> = locals.iter().map(|l| l.0.clone()).collect();
        let tmpl = |ck: &mut Checker, m: &Option<Spanned<Message>>| -> Option<Template> {
            let m = m.as_ref()?;
            let mut bad = Vec::new();
            let vi = parse_template(
                &m.get_ref().vi,
                &local_names,
                value.is_some(),
                target.is_some(),
                &mut bad,
            );
            let en = parse_template(
                &m.get_ref().en,
                &local_names,
                value.is_some(),
                target.is_some(),
                &mut bad,
            );
            for b in bad {
                ck.diag_at(fid, m, Code::MessagePlaceholder, msg!(
                    vi: format!("chỗ điền `{{{b}}}` không hợp lệ (value, target, missing hoặc tên `let`)"),
                    en: format!("unknown placeholder `{{{b}}}` (value, target, missing or a `let` name)"),
                ));
            }
            Some(Template {
                vi,
                en,
                source: Some(m.get_ref().clone()),
            })
        };
        let messages = Messages {
            yes: tmpl(&mut ck, &r.messages.yes),
            no: tmpl(&mut ck, &r.messages.no),
            unknown: tmpl(&mut ck, &r.messages.unknown),
        };
        // threshold-wording lint
        let c = r.cite.get_ref();
        if let (Some((w, _)), Some(wording)) = (&when, &c.wording) {
            let mut ops = Vec::new();
            w.comparisons(&mut ops);
            let strict = ops.iter().any(|o| matches!(o, CmpOp::Gt | CmpOp::Lt));
            let inclusive = ops.iter().any(|o| matches!(o, CmpOp::Ge | CmpOp::Le));
            match wording_kind(wording) {
                Some(true) if inclusive && !strict => ck.diag_at(fid, &r.cite, Code::LintThresholdWording, msg!(
                    vi: format!("văn bản viện dẫn ghi \"trên\" (lớn hơn hẳn) nhưng quy tắc dùng >= hoặc <=: \"{wording}\""),
                    en: format!("the cited wording says \"trên\" (strictly above) but the rule compares with >= or <=: \"{wording}\""),
                )),
                Some(false) if strict && !inclusive => ck.diag_at(fid, &r.cite, Code::LintThresholdWording, msg!(
                    vi: format!("văn bản viện dẫn ghi \"ít nhất\"/\"từ … trở lên\" nhưng quy tắc dùng > hoặc <: \"{wording}\""),
                    en: format!("the cited wording says \"ít nhất\"/\"từ … trở lên\" (at least) but the rule compares with > or <: \"{wording}\""),
                )),
                _ => {}
            }
        }
        let mut source = Vec::new();
        for (k, v) in &r.lets {
            source.push((format!("let {k}"), v.get_ref().clone()));
        }
        for (k, v) in [
            ("each", &r.each),
            ("when", &r.when),
            ("require", &r.require),
            ("value", &r.value),
            ("target", &r.target),
        ] {
            if let Some(v) = v {
                source.push((k.to_string(), v.get_ref().clone()));
            }
        }
        let rule = Rule {
            name: r.name.get_ref().clone(),
            kind: p.kind,
            internal: r.internal,
            title: r.title.clone(),
            applies_in,
            locals,
            when: when.map(|w| w.0),
            value,
            target,
            each,
            field: r.field.clone(),
            code: r.code.clone(),
            cite: cite(c),
            interpretation: r.interpretation.clone(),
            confidence: r.confidence.clone(),
            messages,
            source,
            pack: p.pack_id.clone(),
        };
        if let Some(er) = pack.entities.get_mut(ent) {
            let idx = er.rules.len();
            er.by_name.insert(rule.name.clone(), idx);
            er.rules.push(rule);
        }
    }

    // ---- dependency order and cycles
    if ck.diags.is_empty() {
        for (ei, er) in pack.entities.iter_mut().enumerate() {
            let n = er.rules.len();
            let deps: Vec<Vec<usize>> = er
                .rules
                .iter()
                .map(|r| {
                    let mut d = Vec::new();
                    for l in &r.locals {
                        l.1.rule_refs(&mut d);
                    }
                    for e in [
                        r.when.as_ref(),
                        r.value.as_ref().map(|v| &v.0),
                        r.target.as_ref().map(|v| &v.0),
                        r.each.as_ref().map(|v| &v.0),
                    ]
                    .into_iter()
                    .flatten()
                    {
                        e.rule_refs(&mut d);
                    }
                    d
                })
                .collect();
            let mut state = vec![0u8; n];
            let mut order = Vec::new();
            fn dfs(
                i: usize,
                deps: &[Vec<usize>],
                state: &mut [u8],
                order: &mut Vec<usize>,
                stack: &mut Vec<usize>,
            ) -> Option<Vec<usize>> {
                match state.get(i) {
                    Some(2) => return None,
                    Some(1) => {
                        let pos = stack.iter().position(|&s| s == i).unwrap_or(0);
                        return Some(stack.get(pos..).map(|s| s.to_vec()).unwrap_or_default());
                    }
                    _ => {}
                }
                if let Some(s) = state.get_mut(i) {
                    *s = 1;
                }
                stack.push(i);
                for &d in deps.get(i).map(|v| v.as_slice()).unwrap_or(&[]) {
                    if let Some(c) = dfs(d, deps, state, order, stack) {
                        return Some(c);
                    }
                }
                stack.pop();
                if let Some(s) = state.get_mut(i) {
                    *s = 2;
                }
                order.push(i);
                None
            }
            for i in 0..n {
                if let Some(cycle) = dfs(i, &deps, &mut state, &mut order, &mut Vec::new()) {
                    let names: Vec<_> = cycle
                        .iter()
                        .filter_map(|c| er.rules.get(*c).map(|r| r.name.clone()))
                        .collect();
                    let first = cycle
                        .first()
                        .and_then(|c| pending.iter().filter(|p| p.entity == ei).nth(*c));
                    if let Some(p) = first {
                        ck.diag_at(
                            p.fid,
                            &p.doc.name,
                            Code::RuleCycle,
                            msg!(
                                vi: format!("các quy tắc tham chiếu vòng tròn: {} → {}", names.join(" → "), names.first().cloned().unwrap_or_default()),
                                en: format!("rules refer to each other in a cycle: {} → {}", names.join(" → "), names.first().cloned().unwrap_or_default()),
                            ),
                        );
                    }
                    break;
                }
            }
            er.order = order
                .into_iter()
                .filter(|&i| {
                    er.rules
                        .get(i)
                        .is_some_and(|r| r.kind != RuleKind::Constraint)
                })
                .collect();
            er.outputs = (0..n)
                .filter(|&i| {
                    er.rules
                        .get(i)
                        .is_some_and(|r| r.kind != RuleKind::Constraint && !r.internal)
                })
                .collect();
            er.constraints = (0..n)
                .filter(|&i| {
                    er.rules
                        .get(i)
                        .is_some_and(|r| r.kind == RuleKind::Constraint)
                })
                .collect();
            er.constraints_use_rules = er
                .constraints
                .iter()
                .any(|&c| deps.get(c).is_some_and(|d| !d.is_empty()));
        }
    }

    // ---- infos
    for (fid, pack_id, doc) in &docs {
        for i in &doc.info {
            if pack.infos.iter().any(|x| &x.name == i.name.get_ref()) {
                ck.diag_at(
                    *fid,
                    &i.name,
                    Code::PackDuplicate,
                    msg!(
                        vi: format!("mục `{}` được định nghĩa hai lần", i.name.get_ref()),
                        en: format!("info `{}` is defined twice", i.name.get_ref()),
                    ),
                );
                continue;
            }
            pack.infos.push(Info {
                name: i.name.get_ref().clone(),
                title: i.title.clone(),
                cite: i.cite.as_ref().map(cite),
                items: i.items.clone(),
                pack: pack_id.clone(),
            });
        }
    }

    // ---- tests
    for (fid, _, doc) in &docs {
        for t in &doc.test {
            let Some(&ent) = pack.entity_by_name.get(t.entity.get_ref()) else {
                ck.diag_at(
                    *fid,
                    &t.entity,
                    Code::TestEntity,
                    msg!(
                        vi: format!("không có đối tượng `{}`", t.entity.get_ref()),
                        en: format!("unknown entity `{}`", t.entity.get_ref()),
                    ),
                );
                continue;
            };
            let Some(as_of) = ck.date(*fid, &t.as_of) else {
                continue;
            };
            let mut expect = Vec::new();
            for (name, e) in &t.expect {
                let known = pack
                    .entities
                    .get(ent)
                    .is_some_and(|er| er.by_name.contains_key(name));
                if !known {
                    ck.diag_at(
                        *fid,
                        e,
                        Code::TestUnknownRule,
                        msg!(
                            vi: format!("ca kiểm thử nêu quyết định không tồn tại `{name}`"),
                            en: format!("test expects unknown decision `{name}`"),
                        ),
                    );
                    continue;
                }
                let ex = match e.get_ref() {
                    ExpectDoc::Outcome(o) => Expect {
                        outcome: Some(o.clone()),
                        ..Expect::default()
                    },
                    ExpectDoc::Full {
                        outcome,
                        value,
                        target,
                        missing,
                    } => Expect {
                        outcome: outcome.clone(),
                        value: value.as_ref().map(toml_text),
                        target: target.as_ref().map(toml_text),
                        missing: missing.clone(),
                    },
                };
                if let Some(o) = &ex.outcome {
                    if !matches!(o.as_str(), "yes" | "no" | "unknown") {
                        ck.diag_at(
                            *fid,
                            e,
                            Code::TestOutcome,
                            msg!(
                                vi: format!("kết quả `{o}` phải là yes, no hoặc unknown"),
                                en: format!("outcome `{o}` must be yes, no or unknown"),
                            ),
                        );
                    }
                }
                expect.push((name.clone(), ex));
            }
            let (line, _) = ck
                .files
                .get(*fid)
                .map(|f| f.loc(t.name.span().start))
                .unwrap_or((0, 0));
            pack.tests.push(TestCase {
                name: t.name.get_ref().clone(),
                file: ck
                    .files
                    .get(*fid)
                    .map(|f| f.path.clone())
                    .unwrap_or_default(),
                line,
                entity: t.entity.get_ref().clone(),
                as_of,
                facts: t
                    .facts
                    .clone()
                    .unwrap_or(serde_json::Value::Object(Default::default())),
                expect,
                valid: t.valid,
                errors: t.errors.clone(),
            });
        }
    }

    if ck.diags.is_empty() {
        Ok(pack)
    } else {
        let mut d = ck.diags;
        d.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        Err(Error::Pack(d))
    }
}

fn toml_text(v: &TVal) -> String {
    match v {
        TVal::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn record_reaches(
    records: &[RecordType],
    from: usize,
    target: usize,
    seen: &mut HashSet<usize>,
) -> bool {
    if !seen.insert(from) {
        return false;
    }
    let Some(r) = records.get(from) else {
        return false;
    };
    r.fields.iter().any(|f| {
        let mut t = &f.ty;
        while let Ty::List(inner) = t {
            t = inner;
        }
        match t {
            Ty::Rec(i) => *i == target || record_reaches(records, *i, target, seen),
            _ => false,
        }
    })
}

fn path_heads(a: &Ast, out: &mut Vec<String>) {
    match a {
        Ast::Path(p) => {
            if let Some((h, _)) = p.first() {
                out.push(h.clone());
            }
        }
        Ast::Lit(..) => {}
        Ast::Not(x, _) | Ast::Neg(x, _) => path_heads(x, out),
        Ast::Bin(_, x, y, _) => {
            path_heads(x, out);
            path_heads(y, out);
        }
        Ast::If(x, y, z, _) => {
            path_heads(x, out);
            path_heads(y, out);
            path_heads(z, out);
        }
        Ast::List(xs, _) | Ast::Call(_, xs, _) => xs.iter().for_each(|x| path_heads(x, out)),
        Ast::Quant {
            domain,
            filter,
            body,
            ..
        } => {
            path_heads(domain, out);
            if let Some(f) = filter {
                path_heads(f, out);
            }
            if let Some(b) = body {
                path_heads(b, out);
            }
        }
    }
}

/// `Some(true)` when the wording says strictly above ("trên N"), `Some(false)` for at least
/// ("ít nhất", "từ … trở lên", "tối thiểu"), `None` when it says neither.
pub(crate) fn wording_kind(w: &str) -> Option<bool> {
    let lower = w.to_lowercase();
    if lower.contains("ít nhất") || lower.contains("trở lên") || lower.contains("tối thiểu")
    {
        return Some(false);
    }
    // "trên" followed by a number: "trên 60%", not "trên địa bàn"
    let mut rest = lower.as_str();
    while let Some(pos) = rest.find("trên") {
        let after = rest.get(pos + "trên".len()..).unwrap_or("").trim_start();
        if after.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            return Some(true);
        }
        rest = rest.get(pos + "trên".len()..).unwrap_or("");
    }
    None
}

fn parse_template(
    s: &str,
    locals: &[String],
    has_value: bool,
    has_target: bool,
    bad: &mut Vec<String>,
) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest.get(open..).and_then(|r| r.find('}')).map(|c| c + open) else {
            break;
        };
        if open > 0 {
            parts.push(Part::Text(rest.get(..open).unwrap_or("").to_string()));
        }
        let name = rest.get(open + 1..close).unwrap_or("");
        let part = match name {
            "value" if has_value => Some(Part::Value),
            "target" if has_target => Some(Part::Target),
            "missing" => Some(Part::Missing),
            n => locals.iter().position(|l| l == n).map(Part::Local),
        };
        match part {
            Some(p) => parts.push(p),
            None => bad.push(name.to_string()),
        }
        rest = rest.get(close + 1..).unwrap_or("");
    }
    if !rest.is_empty() {
        parts.push(Part::Text(rest.to_string()));
    }
    parts
}

fn parse_type(
    ck: &mut Checker,
    fid: usize,
    s: &Spanned<String>,
    enums: &HashMap<String, usize>,
    recs: &HashMap<String, usize>,
) -> Option<Ty> {
    fn go(t: &str, enums: &HashMap<String, usize>, recs: &HashMap<String, usize>) -> Option<Ty> {
        let t = t.trim();
        if let Some(inner) = t.strip_prefix("list<").and_then(|r| r.strip_suffix('>')) {
            return go(inner, enums, recs).map(|i| Ty::List(Box::new(i)));
        }
        Some(match t {
            "bool" => Ty::Bool,
            "integer" => Ty::Int,
            "decimal" => Ty::Dec(Unit::Plain),
            "share" => Ty::Dec(Unit::Share),
            "money" => Ty::Dec(Unit::Money),
            "date" => Ty::Date,
            "string" => Ty::Str,
            other => {
                if let Some(&e) = enums.get(other) {
                    Ty::Enum(e)
                } else {
                    Ty::Rec(*recs.get(other)?)
                }
            }
        })
    }
    let r = go(s.get_ref(), enums, recs);
    if r.is_none() {
        let t = s.get_ref().clone();
        ck.diag_at(fid, s, Code::TypeUnknown, msg!(
            vi: format!("kiểu `{t}` không tồn tại (bool, integer, decimal, share, money, date, string, list<T>, hoặc tên kiểu liệt kê/bản ghi)"),
            en: format!("unknown type `{t}` (bool, integer, decimal, share, money, date, string, list<T>, or an enum or record name)"),
        ));
    }
    r
}

/// A literal in a pack file (TOML value) as a value of type `ty`; the error says what was
/// expected.
fn literal(v: &TVal, ty: &Ty) -> Result<Val, Message> {
    // (the Vietnamese text keeps the English description of what is wanted, as before)
    let want = |w: &str| msg!(vi: format!("cần {w}"), en: format!("expected {w}"));
    match (ty, v) {
        (Ty::Bool, TVal::Boolean(b)) => Ok(Val::Bool(*b)),
        (Ty::Int, TVal::Integer(i)) => Ok(Val::Int(*i)),
        (Ty::Dec(_), TVal::Integer(i)) => Ok(Val::Dec(Decimal::from(*i))),
        (Ty::Dec(_) | Ty::Int, TVal::Float(_)) => Err(msg!(
            vi: "viết số thập phân dưới dạng chuỗi (\"0.6\" hoặc \"60%\"): số thực TOML không chính xác",
            en: "write decimals as strings (\"0.6\" or \"60%\"): TOML floats are binary, not exact",
        )),
        (Ty::Dec(_), TVal::String(s)) => match syntax::parse(s) {
            Ok(Ast::Lit(Lit::Dec(d) | Lit::Percent(d), _)) => Ok(Val::Dec(d)),
            Ok(Ast::Lit(Lit::Int(i), _)) => Ok(Val::Dec(Decimal::from(i))),
            _ => Err(want("a decimal such as \"0.6\", \"60%\" or \"1500000\"")),
        },
        (Ty::Date, TVal::String(s)) => Date::parse(s)
            .map(Val::Date)
            .ok_or_else(|| want("a date YYYY-MM-DD")),
        (Ty::Date, TVal::Datetime(d)) => Date::parse(d)
            .map(Val::Date)
            .ok_or_else(|| want("a date YYYY-MM-DD")),
        (Ty::Str | Ty::Enum(_), TVal::String(s)) => Ok(Val::Str(s.as_str().into())),
        (Ty::List(inner), TVal::Array(items)) => items
            .iter()
            .map(|i| literal(i, inner))
            .collect::<Result<Vec<_>, _>>()
            .map(Val::List),
        (Ty::Bool, _) => Err(want("true or false")),
        (Ty::Int, _) => Err(want("an integer")),
        (Ty::Dec(_), _) => Err(want("a decimal")),
        (Ty::Date, _) => Err(want("a date")),
        (Ty::Str | Ty::Enum(_), _) => Err(want("a string")),
        (Ty::List(_), _) => Err(want("a list")),
        (Ty::Rec(_), _) => Err(want("a scalar value (records cannot be parameters)")),
    }
}

fn typed_value(
    ck: &mut Checker,
    fid: usize,
    v: &Spanned<TVal>,
    ty: &Ty,
    enums: &[EnumType],
) -> Option<Val> {
    match literal(v.get_ref(), ty) {
        Ok(val) => {
            // enum membership
            let bad = enum_violations(&val, ty, enums);
            for (s, en) in bad {
                ck.diag_at(
                    fid,
                    v,
                    Code::ExprUnknownEnumValue,
                    msg!(
                        vi: format!("\"{s}\" không phải giá trị của `{en}`"),
                        en: format!("\"{s}\" is not a value of `{en}`"),
                    ),
                );
            }
            Some(val)
        }
        Err(message) => {
            ck.diag_at(fid, v, Code::ParamValue, message);
            None
        }
    }
}

fn enum_violations(v: &Val, ty: &Ty, enums: &[EnumType]) -> Vec<(String, String)> {
    match (v, ty) {
        (Val::Str(s), Ty::Enum(e)) => match enums.get(*e) {
            Some(et) if !et.values.iter().any(|x| x.as_str() == &**s) => {
                vec![(s.to_string(), et.name.clone())]
            }
            _ => vec![],
        },
        (Val::List(items), Ty::List(inner)) => items
            .iter()
            .flat_map(|i| enum_violations(i, inner, enums))
            .collect(),
        _ => vec![],
    }
}
