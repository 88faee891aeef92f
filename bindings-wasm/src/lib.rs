//! Browser binding of `htx-rules` (WebAssembly, via `wasm-bindgen`).
//!
//! Only conversion lives here: JS values become `serde_json::Value`s (through `JSON.stringify`, so a
//! record means exactly what the same JSON means to the command line), the core is called, and its
//! JSON comes back as plain JS objects in the contract shape. Errors become real JS `Error`s with a
//! `name` and the core's stable `code`. All rules and all logic are in the core.
//!
//! The embedded pack is compiled at build time (`build.rs`: checked, then the core's compact
//! binary form); `new Engine()` only reads it. Without the feature `sources` (the package's
//! default module) there is no TOML reader nor checker in the module: `Engine.fromSources` and
//! `withReform` say to use the full build (`htx-rules/full`, built with `sources`).

#[cfg(feature = "sources")]
use std::collections::BTreeMap;

#[cfg(feature = "sources")]
use htx_rules::pack::Reform;
use htx_rules::read::{Format, RecordError};
use htx_rules::{
    Date, Engine as CoreEngine, Error as CoreError, ErrorKind, Lang, Options, Outcome,
};
use js_sys::{Array, Object, Reflect, JSON};
use serde_json::Value;
use wasm_bindgen::prelude::*;

/// The entity types (`Cooperative`, `Person`, …, with their enum unions), `EntityName` and the
/// decision-name unions: generated from the embedded pack through the core by
/// `tests/entity_types.rs`, which fails when this file lags the pack.
#[wasm_bindgen(typescript_custom_section)]
const ENTITY_TYPES: &str = include_str!("../types/entities.d.ts");

/// The shapes of the API (the pack's own types are in [`ENTITY_TYPES`]).
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/**
 * "yes", "no" or "unknown" (three-valued logic; an absent fact gives "unknown", never "no").
 * An outcome is NOT a boolean: "no" and "unknown" are both truthy strings, and "unknown" must not
 * be read as "no". Compare explicitly: `d.outcome === "yes"`, `d.outcome === "no"`.
 */
export type Outcome = "yes" | "no" | "unknown";
/** A text in Vietnamese and English. */
export interface Message { vi: string; en: string }
/** Language of a message. */
export type Lang = "vi" | "en";
/** An as-of date: ISO `YYYY-MM-DD`, or a JS `Date` (its local calendar day). Absent: today. */
export type AsOf = string | Date;
/** Where a decision comes from in the legal text. */
export interface Cite { document: string; section: string; wording?: string | null }
/** A value in the contract form: decimals (shares, money) are strings such as "0.6". */
export type Scalar = string | number | boolean | null;
/** One decision. */
export interface Decision {
  /** Compare with `=== "yes"`; never test it as a boolean (`if (d.outcome)` is true for "no"). */
  outcome: Outcome;
  value: Scalar;
  target: Scalar;
  reasons: Message[];
  /** JSON Pointers of the absent facts that made the outcome unknown, e.g. "/workers/female". */
  missing: string[];
  cite: Cite;
  /** Under a reform only: the ids of the reforms this decision may differ under. */
  reforms?: string[];
}
/** The decisions for one record, in input order. */
export interface EvaluationResult {
  id: string | null;
  decisions: Record<string, Decision>;
  /**
   * Facts that could not be used (each treated as absent): a wrong type, a key given twice
   * ("facts.duplicate_key"), NaN or Infinity ("facts.non_finite"), a key that looks like a
   * field misspelled or written another way ("facts.misspelled_field", naming the field meant),
   * and, with `{strict: true}`, any key not in the schema ("facts.unknown_field").
   */
  errors?: FieldError[];
}
/**
 * The results of `evaluate`, in input order, and (a property of the array, not an element) the
 * keys of the records that are not in the schema and were ignored, as dotted paths
 * ("phone", "managers[].email").
 */
export type EvaluationResults = EvaluationResult[] & { readonly ignored: string[] };
/** How records are read. */
export interface ReadOptions {
  /** Keys not in the schema are errors ("facts.unknown_field"); by default they are ignored and listed. */
  strict?: boolean;
}
/** One form error; `field` is a JSON Pointer (RFC 6901) such as "/managers/0/gender". */
export interface FieldError {
  field: string;
  code: string;
  message: Message;
  /** The message in the language asked for (only when `validate` was given `lang`). */
  text?: string;
}
/** The result of form validation; `ignored`: keys not in the schema (only when there are some). */
export interface Validation { valid: boolean; errors: FieldError[]; ignored?: string[] }
/** A pack diagnostic: where a rule file is wrong. */
export interface Diagnostic { file: string; line: number; column: number; code: string; message: Message }
/** A JSON value (an object's `undefined` values are left out, as JSON.stringify does). */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json | undefined };
/** A record: a JSON object (see the contract for the fields of each entity). */
export type JsonObject = { [key: string]: Json | undefined };
/** A rule (or parameter) explained: its text, citation, logic, parameters and their dated values. */
export interface Explanation {
  kind: "rule" | "parameter" | (string & {});
  name: string;
  title?: Message;
  label?: Message;
  cite?: Cite | null;
  [key: string]: unknown;
}
/** A JSON Schema (draft 2020-12). */
export interface JsonSchema {
  $schema?: string;
  type?: string | string[];
  properties?: { [name: string]: JsonSchema };
  required?: string[];
  [key: string]: unknown;
}
/** What every error thrown by this module carries. */
export interface HtxRulesError extends Error {
  name: "HtxRulesError" | "PackError" | "FactsError";
  /**
   * Stable code, e.g. "pack.syntax", "facts.type", "entity.unknown"; from this binding:
   * "build.sources" (`fromSources` or `withReform` in the small module: use "htx-rules/full"),
   * "input.as_of", "input.json", "input.lang", "input.sources", "input.too_large" (an input over
   * `maxInputLength()` UTF-16 code units of JSON, refused before it enters wasm memory) and
   * "wasm.trap" (the module trapped, e.g. out of memory; it has been rebuilt and the next call works).
   */
  code: string;
  /** The message in both languages (`message` holds both, Vietnamese first). */
  messages: Message;
  /** Pack errors: every diagnostic (file, line, column). */
  diagnostics?: Diagnostic[];
  /** Pack errors: the first diagnostic's place. */
  file?: string; line?: number; column?: number;
  /** Bad facts: the field errors. */
  fieldErrors?: FieldError[];
}
export interface Engine {
  /**
   * Evaluates records (one object, an array, or their JSON text) as of a date (default: today,
   * local time). Always returns an array, in input order. Given as JSON text, a key given twice
   * is seen (JSON.parse keeps the last one silently); NaN and Infinity are field errors either way.
   */
  evaluate(entity: EntityName, records: JsonObject | JsonObject[] | string, asOf?: AsOf | null, options?: ReadOptions | null): EvaluationResults;
  /** Form validation; with `lang`, each error also carries `text` in that language. */
  validate(entity: EntityName, record: JsonObject | string, lang?: Lang | null, asOf?: AsOf | null, options?: ReadOptions | null): Validation;
  /** A rule explained as text, in Vietnamese (default) or English. */
  explainText(rule: string, lang?: Lang | null): string;
  /**
   * This engine's pack under a reform (a new engine; this one is unchanged): TOML text, or an
   * object — parameters only (`{ htx_min_members: [{ from: "2024-07-01", value: 7 }] }`, or
   * `{ women_leadership_reading: "leaders" }` on every date; decimals as strings such as "0.65")
   * or a reform file's shape (`{ reform: {...}, parameter: [...], rule: [...] }`). A reform that
   * does not check throws a PackError whose diagnostics give its line and column.
   */
  withReform(reform: string | JsonObject): Engine;
  /** The reforms this engine is under (none for the pack as written). */
  reforms(): ReformInfo[];
}
/** A reform laid over a pack: evaluations name it (`Decision.reforms`) where it may change them. */
export interface ReformInfo { id: string; title: Message; cite: Cite; note?: string; file: string }
"#;

/// A loaded rule pack, ready to evaluate and validate records.
#[wasm_bindgen]
pub struct Engine {
    inner: CoreEngine,
}

/// The embedded pack (`rules/`), compiled by `build.rs` in this build.
static EMBEDDED_PACK: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/embedded.htxpack"));

/// The embedded pack, read from its compiled form (nothing parsed or checked); with `sources`,
/// its files come along so that reforms can be checked against them.
fn embedded_engine() -> Result<CoreEngine, htx_rules::Error> {
    let engine = CoreEngine::from_compiled_bytes(EMBEDDED_PACK)?;
    #[cfg(feature = "sources")]
    let engine = engine.with_sources(&htx_rules::pack::source::EmbeddedLoader)?;
    Ok(engine)
}

/// What `fromSources` and `withReform` say in the small build.
#[cfg(not(feature = "sources"))]
fn needs_full_build() -> JsValue {
    input_error(
        "build.sources",
        "Bản nhỏ của htx-rules chỉ có gói luật đã biên dịch sẵn: không đọc gói luật dạng văn bản và không áp dụng cải cách; hãy dùng bản đầy đủ (import từ \"htx-rules/full\")",
        "The small build of htx-rules has only its precompiled pack: it reads no pack given as text and applies no reform; use the full build (import from \"htx-rules/full\")",
    )
}

#[wasm_bindgen]
impl Engine {
    /// The embedded Bến Tre pack (Kế hoạch 2747/KH-UBND).
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<Engine, JsValue> {
        embedded_engine()
            .map(|inner| Engine { inner })
            .map_err(|e| core_error(&e))
    }

    /// A pack given as texts: `{ "pack-id/file.toml": text, ... }`, loading the pack `root`.
    #[cfg(feature = "sources")]
    #[wasm_bindgen(js_name = fromSources)]
    pub fn from_sources(
        #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] files: JsValue,
        root: &str,
    ) -> Result<Engine, JsValue> {
        if !files.is_object() {
            return Err(input_error(
                "input.sources",
                "Các tệp của gói luật phải là một đối tượng {đường dẫn: nội dung}",
                "Pack files must be an object {path: text}",
            ));
        }
        let entries = Object::entries(&Object::from(files));
        let mut total = 0_u64;
        for entry in entries.iter() {
            let pair = Array::from(&entry);
            for part in [pair.get(0), pair.get(1)] {
                if let Some(text) = part.dyn_ref::<js_sys::JsString>() {
                    total += u64::from(text.length());
                }
            }
        }
        check_length(total)?;
        let mut map = BTreeMap::new();
        for entry in entries.iter() {
            let pair = Array::from(&entry);
            let (path, text) = (pair.get(0).as_string(), pair.get(1).as_string());
            match (path, text) {
                (Some(p), Some(t)) => {
                    map.insert(p, t);
                }
                (p, _) => {
                    let p = p.unwrap_or_default();
                    return Err(input_error(
                        "input.sources",
                        &format!("Nội dung tệp {p} phải là chuỗi văn bản"),
                        &format!("The content of file {p} must be a string"),
                    ));
                }
            }
        }
        CoreEngine::from_sources(&map, root)
            .map(|inner| Engine { inner })
            .map_err(|e| core_error(&e))
    }

    /// A pack given as texts: not in the small build (see `needs_full_build`).
    #[cfg(not(feature = "sources"))]
    #[wasm_bindgen(js_name = fromSources)]
    pub fn from_sources(
        #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] _files: JsValue,
        _root: &str,
    ) -> Result<Engine, JsValue> {
        Err(needs_full_build())
    }

    /// Evaluates one record or an array of records (or their JSON text); always returns an
    /// array, in input order, with the keys ignored as its `ignored` property.
    #[wasm_bindgen(skip_typescript)]
    pub fn evaluate(
        &self,
        entity: &str,
        records: JsValue,
        as_of: JsValue,
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let as_of = as_of_date(&as_of)?;
        let options = options_param(&options)?;
        let text = json_text(&records)?;
        self.evaluate_with(entity, &text, as_of, options)
    }

    /// [`Engine::evaluate`] of records already given as JSON text: what `engine.js` calls when
    /// it has written a record's JSON itself (`JSON.stringify`, no `null` in it, within
    /// [`MAX_INPUT_LENGTH`]); the text is copied into wasm memory once, by the call itself,
    /// instead of through four calls back into JS.
    #[wasm_bindgen(js_name = evaluateText, skip_typescript)]
    pub fn evaluate_text(
        &self,
        entity: &str,
        text: &str,
        as_of: JsValue,
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let as_of = as_of_date(&as_of)?;
        let options = options_param(&options)?;
        self.evaluate_with(entity, text, as_of, options)
    }
}

impl Engine {
    /// `evaluate` once the JS arguments are read.
    fn evaluate_with(
        &self,
        entity: &str,
        text: &str,
        as_of: Date,
        options: Options,
    ) -> Result<JsValue, JsValue> {
        let batch = self
            .inner
            .batch(entity, options)
            .map_err(|e| core_error(&e))?;
        // One result at a time into a JS array: the whole output never sits in wasm memory as
        // one JSON tree and one string (that tripled the peak memory of a large batch).
        let out = Array::new();
        let ignored = if text.trim_start().starts_with('[') {
            let mut reader = batch.reader(text.as_bytes(), Format::Json, "input");
            while let Some(item) = reader.next() {
                match item {
                    Ok((_, record)) => {
                        let evaluation = reader.batch().evaluate(record, as_of);
                        out.push(&from_serialize(&evaluation)?);
                    }
                    Err(e) => return Err(core_error(&record_error(&e))),
                }
            }
            reader.notes().ignored
        } else {
            let mut batch = batch;
            let record = batch
                .decode_json(text.as_bytes())
                .map_err(|e| core_error(&e.into_error()))?;
            let evaluation = batch.evaluate(record, as_of);
            out.push(&from_serialize(&evaluation)?);
            batch.notes().ignored
        };
        let keys = Array::new();
        for k in ignored {
            keys.push(&JsValue::from_str(&k.key));
        }
        let descriptor = Object::new();
        set(&descriptor, "value", &keys);
        Object::define_property(&out, &JsValue::from_str("ignored"), &descriptor);
        Ok(out.into())
    }
}

#[wasm_bindgen]
impl Engine {
    /// Form validation, in the compact layout of `validate_with`, from which `engine.js` builds
    /// `{valid, errors: [{field, code, message: {vi, en}, text?}], ignored?}` (`ignored`: the
    /// keys not in the schema, when there are some).
    #[wasm_bindgen(skip_typescript)]
    pub fn validate(
        &self,
        entity: &str,
        record: JsValue,
        lang: JsValue,
        as_of: JsValue,
        options: JsValue,
    ) -> Result<Vec<String>, JsValue> {
        let lang = lang_param(&lang)?;
        let as_of = as_of_date(&as_of)?;
        let options = options_param(&options)?;
        let text = json_text(&record)?;
        self.validate_with(entity, &text, lang, as_of, options)
    }

    /// [`Engine::validate`] of a record already given as JSON text (see
    /// [`Engine::evaluate_text`]).
    #[wasm_bindgen(js_name = validateText, skip_typescript)]
    pub fn validate_text(
        &self,
        entity: &str,
        text: &str,
        lang: JsValue,
        as_of: JsValue,
        options: JsValue,
    ) -> Result<Vec<String>, JsValue> {
        let lang = lang_param(&lang)?;
        let as_of = as_of_date(&as_of)?;
        let options = options_param(&options)?;
        self.validate_with(entity, text, lang, as_of, options)
    }
}

impl Engine {
    /// `validate` once the JS arguments are read.
    fn validate_with(
        &self,
        entity: &str,
        text: &str,
        lang: Option<Lang>,
        as_of: Date,
        options: Options,
    ) -> Result<Vec<String>, JsValue> {
        let validation = self
            .inner
            .validate_json(entity, text.as_bytes(), as_of, options)
            .map_err(|e| core_error(&e))?;
        // A form validates on every key stroke and the answer is small: it goes back as one
        // array of strings (one call; JS decodes them in one go), and `engine.js` builds the
        // `{valid, errors, ignored?}` objects, with their keys, in JS — setting each key from
        // here cost a call into JS and a key text decoded each time. The layout:
        // [valid ("1" or ""), number of ignored keys, each ignored key, then per error: field,
        // code, message vi, message en, and (with `lang`) the text in that language].
        let per_error = if lang.is_some() { 5 } else { 4 };
        let mut out =
            Vec::with_capacity(2 + validation.ignored.len() + per_error * validation.errors.len());
        out.push(if validation.valid { "1" } else { "" }.to_owned());
        out.push(validation.ignored.len().to_string());
        out.extend(validation.ignored);
        for e in validation.errors {
            let text = lang.map(|l| e.message.get(l).to_owned());
            out.push(e.field);
            out.push(e.code);
            out.push(e.message.vi);
            out.push(e.message.en);
            out.extend(text);
        }
        Ok(out)
    }
}

#[wasm_bindgen]
impl Engine {
    /// A rule: its text, citation, parameters and their dated values.
    #[wasm_bindgen(unchecked_return_type = "Explanation")]
    pub fn explain(&self, rule: &str) -> Result<JsValue, JsValue> {
        let explanation = self.inner.explain(rule).map_err(|e| core_error(&e))?;
        from_json(&explanation.to_json())
    }

    /// A rule explained as text, in Vietnamese (default) or English.
    #[wasm_bindgen(js_name = explainText, skip_typescript)]
    pub fn explain_text(&self, rule: &str, lang: JsValue) -> Result<String, JsValue> {
        let lang = lang_param(&lang)?.unwrap_or(Lang::Vi);
        let explanation = self.inner.explain(rule).map_err(|e| core_error(&e))?;
        Ok(explanation.to_text(lang))
    }

    /// This engine's pack under a reform: TOML text, or an object (parameter values, or a
    /// reform file's shape). A new engine; this one is unchanged.
    #[cfg(feature = "sources")]
    #[wasm_bindgen(js_name = withReform, skip_typescript)]
    pub fn with_reform(&self, reform: JsValue) -> Result<Engine, JsValue> {
        let reform = match reform.as_string() {
            Some(text) => {
                check_length(u64::try_from(text.len()).unwrap_or(u64::MAX))?;
                Reform::from_toml("reform.toml", text)
            }
            None => {
                let text = json_text(&reform)?;
                let value: Value = serde_json::from_str(&text).map_err(|_| {
                    input_error(
                        "input.json",
                        "Cải cách không chuyển được thành JSON",
                        "The reform cannot be converted to JSON",
                    )
                })?;
                Reform::from_json(&value).map_err(|e| core_error(&e))?
            }
        };
        self.inner
            .with_reform(&reform)
            .map(|inner| Engine { inner })
            .map_err(|e| core_error(&e))
    }

    /// A reform: not in the small build (see `needs_full_build`).
    #[cfg(not(feature = "sources"))]
    #[wasm_bindgen(js_name = withReform, skip_typescript)]
    pub fn with_reform(&self, _reform: JsValue) -> Result<Engine, JsValue> {
        Err(needs_full_build())
    }

    /// The reforms this engine is under: `[{id, title, cite, note?, file}]`.
    #[wasm_bindgen(skip_typescript)]
    pub fn reforms(&self) -> Result<JsValue, JsValue> {
        from_json(&serde_json::to_value(self.inner.reforms()).unwrap_or_default())
    }

    /// The JSON Schema (draft 2020-12) of an entity's records.
    #[wasm_bindgen(unchecked_return_type = "JsonSchema")]
    pub fn schema(
        &self,
        #[wasm_bindgen(unchecked_param_type = "EntityName")] entity: &str,
    ) -> Result<JsValue, JsValue> {
        let schema = self.inner.schema(entity).map_err(|e| core_error(&e))?;
        from_json(&schema)
    }
}

#[wasm_bindgen(typescript_custom_section)]
const PACK_INFO_TYPES: &str = r#"
/** What kind of value a field holds. */
export type FieldKind = "bool" | "integer" | "decimal" | "share" | "money" | "date" | "string"
  | "enum" | "list" | "record";
/** One value of an enum field, with its label when the pack gives one. */
export interface EnumValue { value: string; label: Message | null }
/**
 * One field of an entity's schema, as `engine.fields()` lists them: flattened, a record field
 * first and then its fields ("workers", "workers.total", "workers.female").
 */
export interface FieldInfo {
  /** Dotted path from the entity, e.g. "workers.female"; item fields: from the item, e.g. "role". */
  path: string;
  /**
   * The path as a JSON Pointer, e.g. "/workers/female" (item fields: "/role"): what
   * `FieldError.field` and `Decision.missing` hold, there with list indexes ("/managers/0/role").
   */
  pointer: string;
  /** The field's own name, e.g. "female". */
  name: string;
  kind: FieldKind;
  /** The type as the pack writes it: "integer", "share", "gender", "list<manager>". */
  type: string;
  /** What to show a person (a record field without one has its record type's). */
  label: Message | null;
  /** Whether validation asks for it. */
  required: boolean;
  /** Bounds as exact decimal strings ("0"; a share's "100%" is "1"). */
  min: string | null;
  max: string | null;
  /** The pack's note on the field. */
  doc: string | null;
  /** An enum's values (or a list of enum values'), in pack order, with their labels. */
  values: EnumValue[];
  /** A list's item kind. */
  item_kind: FieldKind | null;
  /** A list of records: the item's fields, flattened the same way. */
  items: FieldInfo[];
}
/** What an output of `evaluate` is: a yes/no/unknown decision, or a computed value. */
export type DecisionKind = "decision" | "value";
/** One output of an entity's evaluation, as `engine.decisions()` lists them. */
export interface DecisionInfo<N extends string = string> {
  /** The name results carry (a key of `EvaluationResult.decisions`). */
  name: N;
  kind: DecisionKind;
  /** What to show a person (null when the pack gives none). */
  title: Message | null;
  cite: Cite;
  /** The type of the value it carries; null for a decision without a value. */
  value_type: "bool" | "int" | "decimal" | "share" | "money" | "date" | "text" | null;
}
/** The words for each outcome, in Vietnamese and English ("có" / "yes", …). */
export type OutcomeLabels = { [O in Outcome]: Message };
/** The output names of `E`: the embedded pack's union, any string for another pack's entity. */
export type DecisionNameOf<E extends string> = E extends keyof EntityDecisions ? EntityDecisions[E] : string;
export interface Engine {
  /**
   * What evaluating `entity` outputs — each decision and value, in pack order — with its kind,
   * title and citation.
   */
  decisions<E extends EntityName>(entity: E): DecisionInfo<DecisionNameOf<E>>[];
}
"#;

/// What the pack says about an entity's fields and outputs, as plain data: forms build their
/// labels, choices and decision titles from these instead of keeping copies of the pack.
#[wasm_bindgen]
impl Engine {
    /// Every field of `entity`'s schema, flattened, with its kind, labels, enum values and their
    /// labels, required and bounds (the core's `Engine::fields`).
    #[wasm_bindgen(unchecked_return_type = "FieldInfo[]")]
    pub fn fields(
        &self,
        #[wasm_bindgen(unchecked_param_type = "EntityName")] entity: &str,
    ) -> Result<JsValue, JsValue> {
        let fields = self.inner.fields(entity).map_err(|e| core_error(&e))?;
        from_serialize(&fields)
    }

    /// What evaluating `entity` outputs, in pack order, with kind, title and citation (the
    /// core's `Engine::decisions_info`).
    #[wasm_bindgen(skip_typescript)]
    pub fn decisions(&self, entity: &str) -> Result<JsValue, JsValue> {
        let infos = self
            .inner
            .decisions_info(entity)
            .map_err(|e| core_error(&e))?;
        from_serialize(&infos)
    }
}

/// The words for each outcome: `{ yes: {vi, en}, no: …, unknown: … }` (the core's
/// `Outcome::label`).
#[wasm_bindgen(js_name = outcomeLabels, unchecked_return_type = "OutcomeLabels")]
pub fn outcome_labels() -> Result<JsValue, JsValue> {
    let labels: serde_json::Map<String, Value> = Outcome::ALL
        .iter()
        .map(|o| {
            let label = o.label();
            (
                o.as_str().to_owned(),
                serde_json::json!({ "vi": label.vi, "en": label.en }),
            )
        })
        .collect();
    from_json(&Value::Object(labels))
}

/// Serializable data as a plain JS value (through JSON, like every result).
fn from_serialize<T: serde::Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|_| {
        input_error(
            "output.json",
            "Không tạo được kết quả JSON",
            "Could not produce the JSON result",
        )
    })?;
    JSON::parse(&text)
}

/// Today's date in the user's local time zone, as `YYYY-MM-DD` (what an absent `asOf` means).
#[wasm_bindgen]
pub fn today() -> String {
    local_today().to_string()
}

/// An amount of money (đồng) as people write it — `"1.800.000đ"`, `"1,8 triệu"`, `"1tr8"` — as the
/// exact decimal string the engine reads (`"1800000"`), or `null` when it is not an amount or is
/// ambiguous (`"1,500 triệu"`). The same reading as every money field of a record (the core's
/// `amount::parse_amount`); forms use it to show what they understood.
#[wasm_bindgen(js_name = parseAmount)]
pub fn parse_amount(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> Option<String> {
    // checked as a JS string: a long text is no amount, and is not copied into wasm memory
    let text = text.dyn_ref::<js_sys::JsString>()?;
    if text.length() > 256 {
        return None;
    }
    htx_rules::amount::parse_amount(&String::from(text)).map(|d| d.normalize().to_string())
}

/// The version of this binding (and of the core it was built with).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

const MS_PER_DAY: f64 = 86_400_000.0;

/// Today in local time. The core never reads the clock; this edge does.
fn local_today() -> Date {
    let now = js_sys::Date::now();
    let offset_minutes = js_sys::Date::new_0().get_timezone_offset();
    let local_ms = now - offset_minutes * 60_000.0;
    // `as` saturates; the core clamps to its representable range.
    Date::from_unix_days((local_ms / MS_PER_DAY).floor() as i64)
}

/// `lang`: undefined/null → none; else "vi" or "en".
fn lang_param(value: &JsValue) -> Result<Option<Lang>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    match value.as_string().as_deref().and_then(Lang::parse) {
        Some(lang) => Ok(Some(lang)),
        None => Err(input_error(
            "input.lang",
            "Ngôn ngữ phải là \"vi\" hoặc \"en\"",
            "Language must be \"vi\" or \"en\"",
        )),
    }
}

/// `asOf`: undefined/null → today; an ISO string; or a JS `Date` (its local calendar day).
fn as_of_date(value: &JsValue) -> Result<Date, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(local_today());
    }
    if let Some(s) = value.as_string() {
        return parse_date(&s).ok_or_else(|| {
            input_error(
                "input.as_of",
                &format!("Ngày tính không hợp lệ: {s:?} (cần dạng YYYY-MM-DD)"),
                &format!("Invalid as-of date: {s:?} (expected YYYY-MM-DD)"),
            )
        });
    }
    if let Some(d) = value.dyn_ref::<js_sys::Date>() {
        let ms = d.get_time();
        if ms.is_finite() {
            let local_ms = ms - d.get_timezone_offset() * 60_000.0;
            return Ok(Date::from_unix_days((local_ms / MS_PER_DAY).floor() as i64));
        }
    }
    Err(input_error(
        "input.as_of",
        "Ngày tính phải là chuỗi YYYY-MM-DD hoặc một Date hợp lệ",
        "The as-of date must be a YYYY-MM-DD string or a valid Date",
    ))
}

fn parse_date(s: &str) -> Option<Date> {
    Date::parse(s)
}

/// The largest input taken, in UTF-16 code units of its JSON text (records) or of all its files
/// together (packs): 4 Mi (4,194,304), about 16,000 cooperative records. Larger inputs are refused
/// before they are copied into the module's memory (`input.too_large`). Measured in node on
/// 2026-11-27: 4 Mi of cooperatives take the module to ~61 MB and ~4.5 s, and their results
/// ~300 MB of JS objects; at 8 Mi the results alone push a JS heap into minute-long garbage
/// collection. Bigger batches belong to the command line or Python, which stream.
pub const MAX_INPUT_LENGTH: u32 = 4 << 20;

/// The size limit of one input (see [`MAX_INPUT_LENGTH`]).
#[wasm_bindgen(js_name = maxInputLength)]
pub fn max_input_length() -> u32 {
    MAX_INPUT_LENGTH
}

/// `input.too_large` when `length` (UTF-16 code units) is over [`MAX_INPUT_LENGTH`].
fn check_length(length: u64) -> Result<(), JsValue> {
    if length <= u64::from(MAX_INPUT_LENGTH) {
        return Ok(());
    }
    let (mb, max_mb) = (length.div_ceil(1 << 20), MAX_INPUT_LENGTH >> 20);
    Err(input_error(
        "input.too_large",
        &format!(
            "Dữ liệu vào quá lớn (khoảng {mb} triệu ký tự; tối đa {max_mb} triệu): hãy chia thành nhiều lần, hoặc dùng dòng lệnh htx-rules hay thư viện Python cho tệp lớn"
        ),
        &format!(
            "The input is too large (about {mb} Mi characters; at most {max_mb} Mi): split it into smaller batches, or use the htx-rules command line or the Python library for large files"
        ),
    ))
}

/// `options`: undefined/null → the defaults; else `{ strict?: boolean }`.
fn options_param(value: &JsValue) -> Result<Options, JsValue> {
    let mut options = Options::default();
    if value.is_undefined() || value.is_null() {
        return Ok(options);
    }
    let bad = || {
        input_error(
            "input.options",
            "Tùy chọn phải là một đối tượng { strict: true | false }",
            "Options must be an object { strict: true | false }",
        )
    };
    if !value.is_object() {
        return Err(bad());
    }
    let strict = Reflect::get(value, &JsValue::from_str("strict")).map_err(|_| bad())?;
    if !(strict.is_undefined() || strict.is_null()) {
        options.strict = strict.as_bool().ok_or_else(bad)?;
    }
    Ok(options)
}

/// The JSON text of a JS input, checked for size while it is still a JS string (before it
/// enters wasm memory): a string is taken as JSON text as it is (so the core sees a key given
/// twice); anything else goes through `JSON.stringify`, with NaN and ±Infinity — which it would
/// write as `null`, a silent "absent" — written as the core's non-finite marker, so each is a
/// field error.
fn json_text(value: &JsValue) -> Result<String, JsValue> {
    let bad = || {
        input_error(
            "input.json",
            "Dữ liệu vào không chuyển được thành JSON (giá trị vòng, BigInt hoặc undefined)",
            "The input cannot be converted to JSON (a cycle, a BigInt or undefined)",
        )
    };
    if let Some(s) = value.dyn_ref::<js_sys::JsString>() {
        check_length(u64::from(s.length()))?;
        return Ok(String::from(s));
    }
    let mut js_text = JSON::stringify(value).map_err(|_| bad())?;
    if !js_text.is_string() {
        return Err(bad());
    }
    check_length(u64::from(js_text.length()))?;
    // a NaN or an Infinity can only be among the nulls: look again only then
    if js_text.includes("null", 0) {
        let replacer = Closure::<dyn Fn(JsValue, JsValue) -> JsValue>::new(
            |_key: JsValue, v: JsValue| match v.as_f64() {
                Some(f) if !f.is_finite() => {
                    let marker = Object::new();
                    let shown = if f.is_nan() {
                        "NaN"
                    } else if f > 0.0 {
                        "Infinity"
                    } else {
                        "-Infinity"
                    };
                    set(
                        &marker,
                        htx_rules::NON_FINITE_KEY,
                        &JsValue::from_str(shown),
                    );
                    marker.into()
                }
                _ => v,
            },
        );
        js_text = JSON::stringify_with_replacer(value, replacer.as_ref()).map_err(|_| bad())?;
        check_length(u64::from(js_text.length()))?;
    }
    js_text.as_string().ok_or_else(bad)
}

/// A record of an array that could not be read, as the core's error.
fn record_error(e: &RecordError) -> CoreError {
    let code = htx_rules::Code::parse(&e.code).unwrap_or(htx_rules::Code::InputJson);
    if code == htx_rules::Code::FactsType {
        return CoreError::Facts(vec![htx_rules::FieldError {
            field: format!("/{}", e.record.saturating_sub(1)),
            code: e.code.clone(),
            message: e.message.clone(),
        }]);
    }
    CoreError::Input {
        line: e.line,
        column: e.column,
        field: None,
        code: code.as_str(),
        message: e.message.clone(),
    }
}

/// JSON as a plain JS value.
fn from_json(value: &Value) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|_| {
        input_error(
            "output.json",
            "Không tạo được kết quả JSON",
            "Could not produce the JSON result",
        )
    })?;
    JSON::parse(&text)
}

fn message_object(vi: &str, en: &str) -> JsValue {
    let obj = Object::new();
    set(&obj, "vi", &JsValue::from_str(vi));
    set(&obj, "en", &JsValue::from_str(en));
    obj.into()
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Setting a property on a fresh plain object or Error cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// A JS `Error` named `name`, with `code` and the message in both languages.
fn js_error(name: &str, code: &str, vi: &str, en: &str, prefix: &str) -> js_sys::Error {
    let text = if vi == en {
        format!("{prefix}{vi}")
    } else {
        format!("{prefix}{vi} / {en}")
    };
    let error = js_sys::Error::new(&text);
    error.set_name(name);
    set(&error, "code", &JsValue::from_str(code));
    set(&error, "messages", &message_object(vi, en));
    error
}

/// An error found at this edge (bad JS input), before the core is called.
fn input_error(code: &str, vi: &str, en: &str) -> JsValue {
    js_error("HtxRulesError", code, vi, en, "").into()
}

/// The one mapping of core errors to JS errors.
fn core_error(e: &CoreError) -> JsValue {
    let name = match e.kind() {
        ErrorKind::Pack => "PackError",
        ErrorKind::Facts => "FactsError",
        _ => "HtxRulesError",
    };
    let message = e.message();
    let diagnostics = e.diagnostics();
    let prefix = match diagnostics.first() {
        Some(d) if !message.vi.contains(&d.file) => format!("{}:{}:{}: ", d.file, d.line, d.column),
        _ => String::new(),
    };
    let error = js_error(name, e.code(), &message.vi, &message.en, &prefix);
    if !diagnostics.is_empty() {
        let list = Array::new();
        for d in diagnostics {
            let obj = Object::new();
            set(&obj, "file", &JsValue::from_str(&d.file));
            set(&obj, "line", &JsValue::from_f64(d.line as f64));
            set(&obj, "column", &JsValue::from_f64(d.column as f64));
            set(&obj, "code", &JsValue::from_str(&d.code));
            set(
                &obj,
                "message",
                &message_object(&d.message.vi, &d.message.en),
            );
            list.push(&obj);
        }
        if let Some(first) = diagnostics.first() {
            set(&error, "file", &JsValue::from_str(&first.file));
            set(&error, "line", &JsValue::from_f64(first.line as f64));
            set(&error, "column", &JsValue::from_f64(first.column as f64));
        }
        set(&error, "diagnostics", &list);
    }
    let field_errors = e.field_errors();
    if !field_errors.is_empty() {
        let list = Array::new();
        for f in field_errors {
            let obj = Object::new();
            set(&obj, "field", &JsValue::from_str(&f.field));
            set(&obj, "code", &JsValue::from_str(&f.code));
            set(
                &obj,
                "message",
                &message_object(&f.message.vi, &f.message.en),
            );
            list.push(&obj);
        }
        set(&error, "fieldErrors", &list);
    }
    error.into()
}
