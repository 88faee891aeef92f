//! The checker: reads a pack and its imports, reports every problem with `file:line:col`, and
//! compiles what is valid into the resolved [`Pack`].
//!
//! It is a pipeline of phases over one [`Context`] (the files read, the diagnostics, the pack
//! compiled so far, the tables of names). Each phase reports what it finds and goes on, so one
//! load lists every problem; a phase only skips what an earlier problem made meaningless. The
//! diagnostics come out sorted by file, line and column.
//!
//! | phase | file | what |
//! |---|---|---|
//! | imports | `imports.rs` | read the root pack and its imports, parse each file, `[pack]` metadata |
//! | reforms | `reforms.rs` | read each reform and lay it over the documents read (parameter values as overrides, rule parts replaced); after rule order, mark the rules each reform may change |
//! | types | `types.rs` | enums, records and entities, their fields; recursion; bounds |
//! | periods and parameters | `params.rs` | period groups, dated parameter values, overrides |
//! | rules | `rules.rs` | every rule's name and type, then each rule compiled |
//! | indicators | `indicators.rs` | the registry's collections (row types), the indicators, the disclosure policy |
//! | lints | `lints.rs` | rules held against the wording they cite |
//! | rule order | `order.rs` | dependency order and cycles (only on an otherwise clean pack) |
//! | threshold analysis | `boundaries.rs` | warnings from [`crate::boundaries`]: boundaries never reached, periods where a decision is constant, gaps and overlaps at a shared threshold |
//! | message lints | `messages.rs` | warnings: outcomes without a usable wording, unreachable wordings, unlabelled fields, untitled rules (templates themselves are compiled with the rules) |
//! | infos | `infos.rs` | `[[info]]` topics |
//! | tests | `tests.rs` | the pack's own `[[test]]` cases |
//!
//! Shared pieces: `context.rs` ([`Context`], `Diags`, `Names::declare` for every "defined
//! twice" check) and `values.rs` (type names and literal values as written in pack files).

mod boundaries;
mod context;
mod imports;
mod indicators;
mod infos;
mod lints;
mod messages;
mod order;
mod params;
mod reforms;
mod rules;
mod table;
mod tests;
mod types;
mod values;

use context::Context;

use crate::error::Error;
use crate::limits::PackLimits;
use crate::model::Pack;
use crate::pack::source::PackLoader;
use crate::pack::Reform;

/// Loads pack `root` and everything it imports, lays `reforms` over it, checks it and
/// compiles it, within `limits`.
pub(crate) fn load(
    loader: &dyn PackLoader,
    root: &str,
    limits: &PackLimits,
    reforms: &[Reform],
) -> Result<Pack, Error> {
    let mut cx = Context::new(*limits);
    let mut docs = imports::read(&mut cx, loader, root);
    if cx.over_limit {
        // a pack over a volume cap is not checked further: its size is the problem
        return Err(Error::Pack(cx.out.into_sorted()));
    }
    if !reforms.is_empty() {
        reforms::apply(&mut cx, &mut docs, reforms);
    }
    types::check(&mut cx, &docs);
    params::check(&mut cx, &docs);
    let rules = rules::declare(&mut cx, &docs);
    rules::compile(&mut cx, &rules);
    // the registry and its indicators need the types, parameters, periods and the compiled
    // rules (their filters call decisions), and report before `order`, which runs only on an
    // otherwise clean pack
    indicators::check(&mut cx, &docs, &rules);
    lints::check(&mut cx, &rules);
    if cx.out.is_empty() {
        order::check(&mut cx, &rules);
        reforms::mark(&mut cx);
    }
    if cx.out.is_empty() {
        messages::lint(&mut cx, &rules);
        boundaries::lint(&mut cx, &rules);
    }
    infos::check(&mut cx, &docs);
    // the pack's own test cases are about the pack as written: a reformed pack has none
    if reforms.is_empty() {
        tests::check(&mut cx, &docs);
    }
    if cx.out.is_empty() {
        cx.pack.warnings = cx.out.take_warnings();
        Ok(cx.pack)
    } else {
        Err(Error::Pack(cx.out.into_sorted()))
    }
}
