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
//!   `confidence`, `messages = { yes, no, unknown }` with placeholders `{value}`, `{target}`,
//!   `{missing}` and any `let` name; constraints also `field` (JSON Pointer), `code`, `each`;
//! - `[[test]]` — `entity`, `as_of`, `facts`, `expect = { decision = "yes" | { outcome, value, … } }`,
//!   or `valid` / `errors` for validation;
//! - `[[info]]` — data `explain` can show (funding sources, responsibilities).
//!
//! ## The expression language
//!
//! Small and total: no loops, no recursion, evaluation linear in the input.
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
mod codes;
mod date;
mod decode;
mod engine;
mod error;
mod explain;
pub mod expr;
mod fields;
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
pub use decode::{
    BatchNotes, DecodedRecord, Options, TextError, Undecidable, UnknownKey, NON_FINITE_KEY,
};
pub use engine::{
    Batch, BatchEvaluation, Column, ColumnBatch, ColumnarResult, Decision, Engine, Evaluation,
    Explanation, Outcome, Scalar, Validation, DEFAULT_PACK,
};
pub use error::{Diagnostic, Error, ErrorKind, FieldError};
pub use fields::{EnumValue, FieldInfo, FieldKind};
pub use model::{Cite, PackMeta};
pub use outputs::{OutputType, ValueType};
pub use text::{Lang, Message};
pub use value::Record;

// `Engine` is `Send + Sync` (one engine serves every thread; see its docs): checked at compile time.
const fn assert_send_sync<T: Send + Sync>() {}
const _: () = assert_send_sync::<Engine>();
