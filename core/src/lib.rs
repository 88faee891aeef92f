//! # htx-rules
//!
//! Law as code for Vietnam's programme supporting cooperatives managed by women and creating
//! jobs for female workers (Quyết định 01/QĐ-TTg, 2023), as Bến Tre put it into force in
//! Kế hoạch 2747/KH-UBND (15/5/2023).
//!
//! Rules live in **rule packs**: folders of TOML files (see `rules/` in the repository). A pack is
//! checked when it loads (every problem reported with `file:line:col`, a stable code and a
//! message in Vietnamese and English), compiled once into a resolved form, and evaluated with
//! exact decimals, dates and three-valued logic: a missing fact gives `unknown`, never a silent
//! `no`. Every decision carries reasons with the actual figures and a citation of the plan.
//!
//! ```
//! use htx_rules::{Engine, Date, Outcome};
//! let engine = Engine::embedded().unwrap();
//! let as_of = Date::parse("2026-03-01").unwrap();
//! // 7 of 10 workers are women: not above phase 2's 70%
//! let coop = serde_json::json!({ "kind": "htx", "workers": { "total": 10, "female": 7 } });
//! let r = engine.evaluate("cooperative", &coop, as_of).unwrap();
//! let d = r.decision("many_female_jobs").unwrap();
//! assert_eq!(d.outcome(), Outcome::No);
//! assert_eq!(d.reasons()[0].vi, "Tỷ lệ lao động nữ 70% không vượt ngưỡng 70%");
//! // no managers given: women_managed is unknown, and says which fact is missing
//! let w = r.decision("women_managed").unwrap();
//! assert_eq!(w.outcome(), Outcome::Unknown);
//! assert_eq!(w.missing(), ["/managers"]);
//! ```
//!
//! ## The pack format
//!
//! A pack folder holds `pack.toml` (`[pack]`: id = folder name, version, title, document, date,
//! issuer, jurisdiction, status, imports) and any other `.toml` files, each of which may hold:
//!
//! - `[[enum]]` — `name`, `values`, optional `labels` (vi/en);
//! - `[[record]]` / `[[entity]]` — `name`, `fields = [{ name, type, label, required, min, max }]`,
//!   for an entity also `id` (the id field). Types: `bool`, `integer`, `decimal`, `share`,
//!   `money` (VND), `date`, `string`, an enum or record name, `list<T>`;
//! - `[[parameter]]` — `name`, `type`, `cite`, and dated `values = [{ from, to, value, wording }]`
//!   (no overlaps, no gaps); `[[override]]` — a later document's value from a date on;
//! - `[[periods]]` — a named group of dated periods with an index (the programme's phases);
//! - `[[rule]]` — `name`, `entity`, `kind` (`decision`, `value`, `constraint`), `when` / `value` /
//!   `target` / `require`, `let` (named sub-expressions), `applies_in` (a period group outside
//!   which the rule is `unknown`), `cite = { document, section, wording }`, `interpretation`,
//!   `confidence`, `messages = { yes, no, unknown }` (see *Messages* below); constraints also
//!   `field` (JSON Pointer), `code`, `each`;
//! - `[[test]]` — `entity`, `as_of`, `facts`, `expect = { decision = "yes" | { outcome, value, … } }`,
//!   or `valid` / `errors` for validation;
//! - `[[info]]` — data `explain` can show (funding sources, responsibilities);
//! - `[registry]`, `[[collection]]`, `[[indicator]]`, `[disclosure]` — the progress report
//!   (below).
//!
//! ### The registry and the progress indicators
//!
//! The progress report is pack data too: the engine knows no province. A pack declares
//!
//! - `[registry]` — `label`, and `meta = [{ name, type, label }]`: the registry's own keys
//!   (`province`, `synthetic`, …), single values. A `bool` key that is true is shown as a banner
//!   with its label (`synthetic`: "invented data"); a text as `label: value`.
//! - `[[collection]]` — `name` (the registry's key, or its file `<name>.csv|.jsonl|.json` in a
//!   folder), `entity` (the rows are this entity's records, so its decisions are `rule.NAME` on a
//!   row), `label`, `fields` (registry-only fields, declared like an entity's; the row type is
//!   the entity's record type with them **appended**, so the entity's compiled rules read a row
//!   unchanged), and `scope` (a yes/no expression: a row for which it is `no` at a period's
//!   assessment date is not in that period's populations — and, `no` at the report's date, not
//!   in the report at all; `unknown` keeps it in).
//! - `[[indicator]]` — `name`, `title` (vi/en), `collection`, `by` (the period group it is
//!   reported by: one result per member up to the report's date), `index` (a name bound to the
//!   member's index in every expression, e.g. `phase`), `aggregate`:
//!   - `count` — rows the `filter` keeps; optional `groups = [{ name, label, when, sensitive }]`
//!     (a breakdown: rows for which `when` is yes, one row may be in several groups);
//!   - `share` — `numerator` over `denominator` summed over the rows (a yes/no counts 1 or 0;
//!     without a denominator each row counts 1); a row whose numerator or denominator is
//!     unknown is left out and counted as unknown;
//!   - `sum` — `value` (a number) summed;
//!   - `distinct` — how many different `value`s (any single value) the rows have;
//!
//!   `filter` (yes/no; absent: every row) may use the row's fields, `rule.NAME`, `param.NAME`
//!   and `param.NAME at DATE`, periods (`within`, `start_of`, …), `as_of` (the period's
//!   assessment date) and the bound index. `target` (a number; it may not read a row) is
//!   evaluated at the assessment date; `compare` is `>=` (default), `>`, `<=` (a ceiling) or
//!   `<`, held to the cited wording by the threshold lint as for rules; `pro_rata = true` holds a
//!   count or a sum in a running period against the target times the share of the period
//!   elapsed (a share is always held against its full target); `cite`, `interpretation`,
//!   `confidence` as for rules; `protected` (and any `sensitive` group or `sensitive = true`)
//!   puts the indicator under the disclosure policy.
//! - `[disclosure]` — `threshold` and `rounding` (whole numbers), `cite`, `note`: every figure of
//!   a protected indicator is published rounded to a multiple of `rounding` and a sensitive cell
//!   under `threshold` as `<threshold`, in every output (see the `report` module for why).
//!
//! Each indicator is computed for each member of its period group that has started by the
//! report's date, at the member's *assessment date*: the report's date, or the member's last day
//! once it is over. Status: `met`; `not_met` (a closed period); `on_track` / `behind` (a running
//! one); `no_target`; `no_data`; with the shortfall.
//!
//! ## Messages
//!
//! `messages.yes`, `messages.no` and `messages.unknown` (for a constraint: `messages.no`, its
//! error) are each one wording `{ vi = "…", en = "…" }` or a list of alternatives tried in
//! order, each with an optional `when`: the first whose `when` holds and whose placeholders are
//! all known is used. A placeholder is `{value}`, `{target}`, `{missing}` (the labels of the
//! missing facts), a `let` name, or a path the rule could read: `{workers.female}`,
//! `{it.role}` (in a constraint's `each`), `{as_of}`, `{rule.x}`, `{param.y}`. Values are
//! written as people write them (`77,5%`, `1.500.000 đồng`, `31/12/2025`, an enum value by its
//! label). A wording without a `when` whose placeholders the outcome guarantees (a `yes` of
//! `a > b` knows `a` and `b`) is always usable; the checker warns when an outcome has none
//! (`lint.message_fallback`), and the engine then says the rule's title and the outcome
//! ("HTX do phụ nữ tham gia quản lý: có"), never `?`.
//!
//! ```toml
//! messages.yes = [
//!   { vi = "Có {women} phụ nữ giữ chức danh quản lý, điều hành theo II.2", en = "Women holding a management position named in II.2: {women}" },
//!   { vi = "Có ít nhất 1 phụ nữ giữ chức danh quản lý, điều hành theo II.2", en = "At least one woman holds a management position named in II.2" },
//! ]
//! messages.unknown = [
//!   { when = "workers.total == 0", vi = "Chưa tính được tỷ lệ lao động nữ: tổng số lao động bằng 0", en = "…" },
//!   { vi = "Chưa tính được tỷ lệ lao động nữ", en = "The female labour share cannot be computed" },
//! ]
//! ```
//!
//! After an `unknown` outcome's wording the engine adds, by their labels, the facts that were
//! given but rejected (with why, and the value) and the facts that are missing ("Thiếu dữ liệu:
//! Hộ gia đình — Số chỉ số thiếu hụt…", "Người quản lý thứ 2 — Giới tính"). Every field a rule
//! reads should have a `label` (else `lint.field_label`).
//!
//! ## The expression language
//!
//! Small and total: no loops, no recursion; quantifiers nest, so evaluation has a budget
//! (`limits::EVAL_STEPS`), and expressions are at most `limits::EXPR_DEPTH` deep.
//!
//! ```text
//! expr    := "if" expr "then" expr "else" expr | coalesce
//! coalesce:= or ("??" or)*                      -- left, or right when left is unknown
//! or      := and ("or" and)*                     -- Kleene: yes if any part is yes
//! and     := not ("and" not)*                    -- Kleene: no if any part is no
//! not     := "not" not | cmp
//! cmp     := add (("=="|"!="|"<"|"<="|">"|">="|"in"|"not in") add)?
//! add     := mul (("+"|"-") mul)*
//! mul     := unary (("*"|"/") unary)*            -- "/" is exact; by zero gives unknown
//! unary   := "-" unary | primary ("at" primary)? -- param.x at date: the value in force then
//! primary := 12 | 0.5 | 60% | 2024-07-01 | "text" | true | false | unknown | [literal, …] | ( expr )
//!          | name.name…                          -- a field path, param.NAME, rule.NAME, as_of
//!          | any(x in list [where cond]: cond) | all(…) | count(x in list [where cond][: cond])
//!          | sum(x in list [where cond]: number)
//!          | present(e) | year(d) | date(y, m, d) | min(a, b) | max(a, b) | len(list)
//!          | index_at(group, d) | within(d, group, n) | start_of(group, n) | end_of(group, n)
//! ```
//!
//! `unknown` is no value on purpose: the rule cannot decide and says so (give the rule a
//! `messages.unknown` that tells a person why). Like `null`, it takes the type of the other
//! branch of `if … then … else` or `??` (`if c then "annual" else unknown` is a text); alone,
//! or beside `and` / `or`, it is a yes/no. It names no missing fact, and it is refused where it
//! could only hide an answer (`x > unknown`, `x + unknown`, a list item).
//!
//! Examples: `workers.female / workers.total`, `rule.female_labour_share > param.many_jobs_threshold`,
//! `any(m in managers: m.gender == "female" and m.role in param.leadership_roles)`,
//! `members.total >= param.htx_min_members at established_on`.

#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

// `msg!` (defined in `text`) is used by the modules below: `text` comes first, so the macro is
// in scope in all of them without an import.
#[macro_use]
mod text;

pub mod amount;
pub mod boundaries;
mod codes;
mod date;
mod decisions;
mod decode;
mod engine;
mod error;
mod explain;
pub mod expr;
mod fields;
mod labels;
pub mod limits;
mod model;
mod outputs;
pub mod pack;
pub mod read;
pub mod report;
pub mod testing;
mod validate;
mod value;

pub use codes::{codes_markdown, Code};
pub use date::Date;
pub use decisions::{DecisionInfo, DecisionKind};
pub use decode::{
    BatchNotes, DecodedRecord, Options, TextError, Undecidable, UnknownKey, NON_FINITE_KEY,
};
pub use engine::{
    Batch, BatchEvaluation, Column, ColumnBatch, ColumnarResult, Decision, Engine, Evaluation,
    Explanation, JsonWriter, Outcome, Scalar, Validation, DEFAULT_PACK,
};
pub use error::{Diagnostic, Error, ErrorKind, FieldError};
pub use fields::{EnumValue, FieldInfo, FieldKind};
pub use model::{Cite, PackMeta, ReformInfo};
pub use outputs::{OutputType, ValueType};
pub use text::{Lang, Message};
pub use value::Record;

// `Engine` is `Send + Sync` (one engine serves every thread; see its docs): checked at compile time.
const fn assert_send_sync<T: Send + Sync>() {}
const _: () = assert_send_sync::<Engine>();
