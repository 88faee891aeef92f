//! `bindings-wasm/types/entities.d.ts` — the TypeScript types of the embedded pack's facts (one
//! interface per entity and record, one union per enum) and of its decision names — is written
//! from the pack through the core (`Engine::fields`, `Engine::decisions_info`): nothing of the
//! pack is typed by hand. This test fails when the committed file differs from what the pack
//! gives; after changing the pack, regenerate it with
//! `UPDATE_TYPES=1 cargo test -p htx-rules-wasm --test entity_types` and review the diff.
//! (`src/lib.rs` includes the file in the package's declarations.)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use htx_rules::{DecisionKind, Engine, FieldInfo, FieldKind, Message};

/// Names the binding's own declarations use (`src/lib.rs`, `js/htx_rules.d.ts`): a pack type
/// must not take one of them.
const API_NAMES: &[&str] = &[
    "AsOf",
    "Cite",
    "Decision",
    "DecisionInfo",
    "DecisionKind",
    "Diagnostic",
    "Engine",
    "EntityDecisions",
    "EntityFacts",
    "EntityName",
    "EnumValue",
    "EvaluationResult",
    "Explanation",
    "FieldError",
    "FieldInfo",
    "FieldKind",
    "HtxRulesError",
    "Json",
    "JsonObject",
    "JsonSchema",
    "Lang",
    "Message",
    "Outcome",
    "OutcomeLabels",
    "Scalar",
    "Validation",
    "DecisionName",
];

/// `manager_role` → `ManagerRole`.
fn pascal(name: &str) -> String {
    name.split(['_', '-'])
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// A JS string literal.
fn lit(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// `list<manager>` → `manager`.
fn inner_type(type_name: &str) -> &str {
    type_name
        .strip_prefix("list<")
        .and_then(|t| t.strip_suffix('>'))
        .unwrap_or(type_name)
}

fn label_text(label: Option<&Message>) -> Option<String> {
    label.map(|m| {
        if m.vi == m.en {
            m.vi.clone()
        } else {
            format!("{} — {}", m.vi, m.en)
        }
    })
}

/// A doc comment's text, safe inside `/** … */`.
fn doc_safe(s: &str) -> String {
    s.replace("*/", "* /").replace('\n', " ")
}

/// What the pack's types become, collected while walking the fields.
#[derive(Default)]
struct Types {
    /// TS name → (pack name, kind of definition, body), in first-seen order by name.
    defs: BTreeMap<String, (String, &'static str, String)>,
}

impl Types {
    /// Declares `ts` for pack type `pack_name`; the same TS name twice must mean the same thing.
    fn define(&mut self, ts: &str, pack_name: &str, what: &'static str, body: String) {
        assert!(
            !API_NAMES.contains(&ts),
            "the pack's {what} `{pack_name}` would be the TypeScript type `{ts}`, which the binding's API uses"
        );
        if let Some((other, other_what, other_body)) = self.defs.get(ts) {
            assert!(
                other == pack_name && *other_what == what && *other_body == body,
                "the pack's {what} `{pack_name}` and {other_what} `{other}` both become the TypeScript type `{ts}`"
            );
            return;
        }
        self.defs
            .insert(ts.to_string(), (pack_name.to_string(), what, body));
    }

    fn enum_type(&mut self, f: &FieldInfo) -> String {
        let pack_name = inner_type(&f.type_name);
        let ts = pascal(pack_name);
        let mut body = String::new();
        let docs: Vec<String> = f
            .values
            .iter()
            .map(|v| match label_text(v.label.as_ref()) {
                Some(l) => format!(" * - `{}`: {}\n", v.value, doc_safe(&l)),
                None => format!(" * - `{}`\n", v.value),
            })
            .collect();
        let _ = write!(
            body,
            "/**\n * Enum `{pack_name}` of the pack:\n{} */\nexport type {ts} = {};\n",
            docs.concat(),
            if f.values.is_empty() {
                "never".to_string()
            } else {
                f.values
                    .iter()
                    .map(|v| lit(&v.value))
                    .collect::<Vec<_>>()
                    .join(" | ")
            }
        );
        self.define(&ts, pack_name, "enum", body);
        ts
    }

    /// The TS type of a value of kind `kind` (for a list: of its items).
    fn scalar(&mut self, kind: FieldKind, f: &FieldInfo, fields: &[FieldInfo]) -> String {
        match kind {
            FieldKind::Bool => "boolean".into(),
            FieldKind::Integer => "number".into(),
            // exact decimals: a number, or its text ("0.6"; money as people write it, "1,8 triệu")
            FieldKind::Decimal | FieldKind::Share | FieldKind::Money => "number | string".into(),
            FieldKind::Date | FieldKind::String => "string".into(),
            FieldKind::Enum => self.enum_type(f),
            FieldKind::Record => self.record(inner_type(&f.type_name), fields),
            _ => "Json".into(),
        }
    }

    /// The TS type of field `f`; `inside` holds the fields below it (a record's, or a list's items).
    fn field_type(&mut self, f: &FieldInfo, inside: &[FieldInfo]) -> String {
        match (f.kind, f.item_kind) {
            (FieldKind::List, Some(item)) => {
                let t = if item == FieldKind::Record {
                    self.record(inner_type(&f.type_name), &f.items)
                } else {
                    self.scalar(item, f, &[])
                };
                if t.contains(' ') {
                    format!("({t})[]")
                } else {
                    format!("{t}[]")
                }
            }
            (kind, _) => self.scalar(kind, f, inside),
        }
    }

    /// Declares the interface of record `pack_name` from `fields` (flattened, paths from the
    /// record) and returns its TS name.
    fn record(&mut self, pack_name: &str, fields: &[FieldInfo]) -> String {
        let ts = pascal(pack_name);
        let body = self.interface(&ts, &format!("Record `{pack_name}` of the pack"), fields);
        self.define(&ts, pack_name, "record", body);
        ts
    }

    /// An interface whose members are the top-level fields of `fields` (flattened).
    fn interface(&mut self, ts: &str, doc: &str, fields: &[FieldInfo]) -> String {
        let mut members = String::new();
        for (i, f) in fields.iter().enumerate() {
            if f.path.contains('.') {
                continue; // inside a record field: that record's interface has it
            }
            // a record field's own fields follow it, with paths under its own
            let prefix = format!("{}.", f.path);
            let inside: Vec<FieldInfo> = fields[i + 1..]
                .iter()
                .take_while(|g| g.path.starts_with(&prefix))
                .map(|g| FieldInfo {
                    path: g.path[prefix.len()..].to_string(),
                    ..g.clone()
                })
                .collect();
            let t = self.field_type(f, &inside);
            let mut notes = Vec::new();
            if let Some(l) = label_text(f.label.as_ref()) {
                notes.push(l);
            }
            let mut facts = vec![format!("`{}`", f.type_name)];
            if let Some(min) = f.min {
                facts.push(format!("at least {min}"));
            }
            if let Some(max) = f.max {
                facts.push(format!("at most {max}"));
            }
            if f.required {
                facts.push("required by validation".into());
            }
            notes.push(facts.join(", "));
            if let Some(d) = &f.doc {
                notes.push(d.clone());
            }
            let _ = writeln!(
                members,
                "  /** {} */\n  {}?: {t} | null;",
                doc_safe(&notes.join(". ")),
                if is_identifier(&f.name) {
                    f.name.clone()
                } else {
                    lit(&f.name)
                }
            );
        }
        format!(
            "/** {doc}. Any field may be absent; null means unknown. */\nexport interface {ts} extends JsonObject {{\n{members}}}\n"
        )
    }
}

fn is_identifier(s: &str) -> bool {
    let mut c = s.chars();
    c.next()
        .is_some_and(|f| f.is_ascii_alphabetic() || f == '_' || f == '$')
        && c.all(|x| x.is_ascii_alphanumeric() || x == '_' || x == '$')
}

/// The whole file for `engine`'s pack.
fn entity_types(engine: &Engine) -> String {
    let meta = &engine.packs()[0];
    let mut out = format!(
        "// Generated from the rule pack `{}` {} by `bindings-wasm/tests/entity_types.rs`: do not edit.\n\
         // After changing the pack, run `UPDATE_TYPES=1 cargo test -p htx-rules-wasm --test entity_types`.\n\n",
        meta.id, meta.version
    );
    let entities = engine.entities();
    let mut types = Types::default();
    let mut interfaces = String::new();
    let mut facts_map = String::new();
    let mut decisions_map = String::new();
    let mut decision_unions = String::new();
    for &entity in &entities {
        let ts = pascal(entity);
        let fields = engine.fields(entity).unwrap();
        let body = types.interface(&ts, &format!("Facts of entity `{entity}`"), &fields);
        types.define(&ts, entity, "entity", body.clone());
        let _ = writeln!(interfaces, "{body}");
        let infos = engine.decisions_info(entity).unwrap();
        let union_name = format!("{ts}DecisionName");
        assert!(
            !API_NAMES.contains(&union_name.as_str()) && !types.defs.contains_key(&union_name),
            "`{union_name}` is taken"
        );
        let docs: Vec<String> = infos
            .iter()
            .map(|d| {
                let kind = match d.kind {
                    DecisionKind::Value => "value",
                    _ => "decision",
                };
                let title = label_text(d.title.as_ref()).unwrap_or_default();
                format!(
                    " * - `{}` ({kind}, {} {}): {}\n",
                    d.name,
                    d.cite.document,
                    d.cite.section,
                    doc_safe(&title)
                )
            })
            .collect();
        let _ = write!(
            decision_unions,
            "/**\n * What evaluating a `{entity}` outputs, in pack order:\n{} */\nexport type {union_name} = {};\n\n",
            docs.concat(),
            if infos.is_empty() {
                "never".to_string()
            } else {
                infos
                    .iter()
                    .map(|d| lit(&d.name))
                    .collect::<Vec<_>>()
                    .join(" | ")
            }
        );
        let _ = writeln!(facts_map, "  {}: {ts};", lit(entity));
        let _ = writeln!(decisions_map, "  {}: {union_name};", lit(entity));
    }
    let names: Vec<String> = entities.iter().map(|e| lit(e)).collect();
    let _ = write!(
        out,
        "/** An entity of the embedded pack; a custom pack may define others. */\n\
         export type EntityName = {} | (string & {{}});\n\n",
        names.join(" | ")
    );
    let _ = write!(
        out,
        "/** The facts of each entity of the embedded pack. */\nexport interface EntityFacts {{\n{facts_map}}}\n\n"
    );
    let _ = write!(
        out,
        "/** The output names of each entity of the embedded pack. */\nexport interface EntityDecisions {{\n{decisions_map}}}\n\n"
    );
    out.push_str(&decision_unions);
    let unions: Vec<String> = entities
        .iter()
        .map(|e| format!("{}DecisionName", pascal(e)))
        .collect();
    let _ = write!(
        out,
        "/** A decision (or value) name of the embedded pack, of any entity. */\nexport type DecisionName = {};\n\n",
        unions.join(" | ")
    );
    out.push_str(&interfaces);
    for (name, (_, what, body)) in &types.defs {
        if *what != "entity" && entities.iter().all(|e| pascal(e) != *name) {
            out.push_str(body);
            out.push('\n');
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("types/entities.d.ts")
}

#[test]
fn types_entities_d_ts_is_written_from_the_pack() {
    let want = entity_types(&Engine::embedded().unwrap());
    if std::env::var_os("UPDATE_TYPES").is_some() {
        std::fs::create_dir_all(path().parent().unwrap()).unwrap();
        std::fs::write(path(), &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(path()).unwrap_or_default();
    assert!(
        have == want,
        "bindings-wasm/types/entities.d.ts differs from what the embedded pack gives; regenerate it \
         with `UPDATE_TYPES=1 cargo test -p htx-rules-wasm --test entity_types` and review the diff"
    );
}

/// The generator follows the pack: a changed label, a new enum value, a new field and a new
/// decision all show in its output (so the committed file cannot silently lag the pack).
#[test]
fn a_changed_pack_changes_the_types() {
    let mut files = BTreeMap::new();
    files.insert(
        "p/pack.toml".to_string(),
        "[pack]\nid = \"p\"\nversion = \"1\"\ndocument = \"t\"\n".to_string(),
    );
    let schema = |value: &str, field: &str, rule: &str| {
        format!(
            r#"
[[enum]]
name = "coop_kind"
values = ["htx", {value}]
labels = {{ htx = {{ vi = "Hợp tác xã", en = "Cooperative" }} }}

[[record]]
name = "headcount"
fields = [{{ name = "female", type = "integer", min = 0, label = {{ vi = "Số nữ", en = "Women" }} }}]

[[entity]]
name = "cooperative"
fields = [
  {{ name = "kind", type = "coop_kind", required = true }},
  {{ name = "workers", type = "headcount" }},
  {{ name = "managers", type = "list<headcount>" }},
  {{ name = "shares", type = "list<share>" }},
  {{ name = "{field}", type = "money" }},
]

[[rule]]
name = "{rule}"
entity = "cooperative"
kind = "decision"
title = {{ vi = "Nhiều nữ", en = "Many women" }}
when = "workers.female > 3"
cite = {{ document = "t", section = "II.1" }}
"#
        )
    };
    files.insert(
        "p/schema.toml".to_string(),
        schema("\"tht\"", "income", "many"),
    );
    let a = entity_types(&Engine::from_sources(&files, "p").unwrap());
    assert!(
        a.contains("export type CoopKind = \"htx\" | \"tht\";"),
        "{a}"
    );
    assert!(a.contains(" * - `htx`: Hợp tác xã — Cooperative\n"), "{a}");
    assert!(a.contains("  kind?: CoopKind | null;"), "{a}");
    assert!(a.contains("`coop_kind`, required by validation"), "{a}");
    assert!(a.contains("  workers?: Headcount | null;"), "{a}");
    assert!(a.contains("  managers?: Headcount[] | null;"), "{a}");
    assert!(a.contains("  shares?: (number | string)[] | null;"), "{a}");
    assert!(a.contains("  income?: number | string | null;"), "{a}");
    assert!(
        a.contains("/** Số nữ — Women. `integer`, at least 0 */\n  female?: number | null;"),
        "{a}"
    );
    assert!(
        a.contains("export type CooperativeDecisionName = \"many\";"),
        "{a}"
    );
    assert!(a.contains("`many` (decision, t II.1): Nhiều nữ — Many women"));
    assert!(a.contains("export type EntityName = \"cooperative\" | (string & {});"));
    files.insert(
        "p/schema.toml".to_string(),
        schema("\"tht\", \"union\"", "revenue", "most"),
    );
    let b = entity_types(&Engine::from_sources(&files, "p").unwrap());
    assert!(b.contains("export type CoopKind = \"htx\" | \"tht\" | \"union\";"));
    assert!(b.contains("  revenue?: number | string | null;") && !b.contains("income"));
    assert!(b.contains("export type CooperativeDecisionName = \"most\";"));
}

#[test]
fn a_pack_type_named_like_the_api_is_refused() {
    let mut files = BTreeMap::new();
    files.insert(
        "p/pack.toml".to_string(),
        "[pack]\nid = \"p\"\nversion = \"1\"\ndocument = \"t\"\n".to_string(),
    );
    files.insert(
        "p/schema.toml".to_string(),
        "[[enum]]\nname = \"outcome\"\nvalues = [\"a\"]\n\n[[entity]]\nname = \"e\"\nfields = [{ name = \"o\", type = \"outcome\" }]\n"
            .to_string(),
    );
    let engine = Engine::from_sources(&files, "p").unwrap();
    let err = std::panic::catch_unwind(|| entity_types(&engine)).unwrap_err();
    let text = err.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(text.contains("`Outcome`"), "{text}");
}
