//! Every cap on untrusted input, in one place, with why each value.
//!
//! Packs may come from strangers (a service loading a third party's pack, a web page handing
//! pack text to the browser binding), so loading one must stop early, with a diagnostic, on
//! anything that would take unbounded time, memory or stack. Each cap is set well above what
//! the shipped packs need ("shipped" below: `rules/ben-tre-2747` and `rules/vn-law` with their
//! tests, measured when the cap was chosen) and well below what would hurt.
//!
//! Two kinds of caps:
//! - **Volume** ([`PackLimits`]): bytes, counts, list sizes. A service may choose others with
//!   [`crate::Engine::from_loader_limited`]; every load without one uses [`PackLimits::DEFAULT`].
//! - **Depth** (the constants below): how deep the checker and the evaluator recurse. They
//!   guard the stack (a 2 MB thread, the browser's 1 MB wasm stack) and cannot be raised.
//!
//! Evaluation has a budget too ([`EVAL_STEPS`] per rule, [`EVAL_STEPS_PER_RECORD`] per
//! record): a rule that needs more work than that comes out `unknown` with a reason, instead
//! of running for minutes.
//!
//! Facts (records read from JSON text, CSV, columns) have caps of their own, at the end: a
//! reader holds one record at a time, so memory stays bounded whatever the size of the file.

/// The deepest an expression's syntax tree may be (operators and calls inside one another, and
/// a chain `a or b or c …`, which builds a tree as deep as it is long). The parser refuses
/// deeper trees, so the type checker, the lints, the dependency walk and the evaluator, which
/// all recurse over the tree, recurse at most this deep.
///
/// Shipped: 11. A level of checking takes up to ~10 KB of stack in a debug build (far less
/// optimised), so a 2 MB stack holds ~200 levels there and well over 1,000 in a release build:
/// 64 leaves pack authors ample room and the stack a margin (`core/tests/hostile_packs.rs`
/// checks and evaluates an expression at the cap on a 2 MB thread).
pub const EXPR_DEPTH: usize = 64;

/// The deepest a type may nest: each record inside a record, and each `list<…>`, is a level.
/// Facts are decoded to at most [`MAX_FACT_DEPTH`] levels of JSON (`decode`), so a deeper type could never be
/// filled; the walks over the schema (JSON Schema, bound checks, form fields) recurse at most
/// this deep.
///
/// Shipped: 3 (a cooperative's `list<manager>`).
pub const TYPE_DEPTH: usize = 16;

/// How many folders deep the files of one pack may lie inside its folder.
///
/// Shipped: 1 (`tests/`). Deep folders are no use to a pack and cost a walk.
pub const DIR_DEPTH: usize = 8;

/// The evaluation budget of one rule on one record, in steps: one per list item a
/// quantifier (`any`, `all`, `count`, `sum`) or a constraint's `each` goes over, one per item
/// `in` compares, and one per quantifier or `in` evaluated. Past it the rule is `unknown`,
/// with the reason "the rule needs too much work for these facts", and so is every rule that
/// uses it; the record's other rules go on, each with a budget of its own, within
/// [`EVAL_STEPS_PER_RECORD`].
///
/// Without quantifiers a rule's work is bounded by its size (and the pack's by its caps), so
/// only what the facts can multiply is counted. A million steps take about a tenth of a
/// second; three quantifiers nested over 400 items would take 64 million (6 s without a
/// budget). Measured by the tests below: no record of the conformance corpus or the sample
/// registry (2,458 records at three dates) takes more than 69 steps for all its rules
/// together, so the budget is ~14,000 times the most real input needs.
pub const EVAL_STEPS: u64 = 1_000_000;

/// The evaluation budget of one record, all its rules together (running the rules, and
/// checking the constraints, are a pass each): ten runaway rules' worth, about a second.
/// Past it, every rule of the record that still needs to iterate is `unknown` with the same
/// reason, so no record takes longer, whatever the pack.
pub const EVAL_STEPS_PER_RECORD: u64 = 10 * EVAL_STEPS;

/// How many reforms one engine may stack (`Engine::with_reform` on an engine that has some):
/// each is a file of the load, with its own range of offsets for diagnostics.
pub const REFORMS: usize = 16;

/// How many names a message lists when it says what would have been right (fields, enum
/// values, entities): an enum of 10,000 communes in each of a thousand diagnostics would be
/// hundreds of megabytes of text.
pub const LISTED: usize = 20;

/// Up to [`LISTED`] of `names`, comma-separated, then `…` and how many there are in all.
pub(crate) fn some_of<'a>(names: impl ExactSizeIterator<Item = &'a str>) -> String {
    let n = names.len();
    let mut out = names.take(LISTED).collect::<Vec<_>>().join(", ");
    if n > LISTED {
        out.push_str(&format!(", … ({n})"));
    }
    out
}

/// Caps on the volume of a rule pack and everything it imports.
///
/// ```
/// use htx_rules::limits::PackLimits;
/// let tight = PackLimits { rules: 100, ..PackLimits::DEFAULT };
/// assert!(tight.rules < PackLimits::DEFAULT.rules);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PackLimits {
    /// Bytes of one pack file. Shipped: 30 KB at most (`progress.toml`); 2 MiB is ~70 times
    /// that, and holds the 10,000 rules [`PackLimits::rules`] allows in one file. A folder
    /// loader reads no more than this (a link to `/dev/zero` stops here).
    pub file_bytes: u64,
    /// Bytes of all files of the pack and its imports together. Shipped: 190 KB with the
    /// tests; 4 MiB is ~21 times that. Checking takes about 40 bytes of memory per byte of
    /// rules (490 MB for the 12.9 MB of a 100,000-rule chain), so this keeps a load, in a
    /// phone's browser too, under about 160 MB.
    pub total_bytes: u64,
    /// `.toml` files of the pack and its imports together. Shipped: 23.
    pub files: usize,
    /// Entries (files and folders, whatever their names) a folder loader looks at in one pack
    /// folder. Shipped: 25. Bounds the walk of a folder full of other things.
    pub dir_entries: usize,
    /// Packs loaded: the root and everything it imports, directly or not. Shipped: 2.
    pub packs: usize,
    /// How long a chain of imports may be (the root imports a pack that imports …).
    /// Shipped: 1.
    pub import_depth: usize,
    /// Rules of all packs together. Shipped: 38; 10,000 is a national law's worth. Each rule
    /// costs a few kilobytes once compiled.
    pub rules: usize,
    /// Bytes of one expression (`when`, `value`, a `let`…). Shipped: 245 at most; long lists
    /// belong in a parameter, not an expression.
    pub expr_bytes: usize,
    /// Items of any list in a pack file (enum values, a parameter's dated values or list
    /// value, period members, a list written in an expression, an info topic's items…).
    /// Shipped: 12. 10,000 leaves room for an enum of every commune of Viet Nam.
    pub list_items: usize,
    /// Fields of one record or entity. Shipped: 18. Facts are matched to fields by a scan,
    /// so a wide record costs every record decoded.
    pub fields: usize,
    /// `let`s of one rule. Shipped: 2.
    pub lets: usize,
    /// Diagnostics kept for one load; past it, one more says how many were left out.
    /// A broken pack's first problems are what its author needs; a hostile one could
    /// otherwise produce one per byte.
    pub diagnostics: usize,
}

impl PackLimits {
    /// The caps every load uses unless told otherwise.
    pub const DEFAULT: PackLimits = PackLimits {
        file_bytes: 2 << 20,
        total_bytes: 4 << 20,
        files: 1_000,
        dir_entries: 10_000,
        packs: 32,
        import_depth: 8,
        rules: 10_000,
        expr_bytes: 8 << 10,
        list_items: 10_000,
        fields: 1_000,
        lets: 256,
        diagnostics: 1_000,
    };
}

impl Default for PackLimits {
    fn default() -> PackLimits {
        PackLimits::DEFAULT
    }
}

// ---- facts

/// Facts: how deeply objects and lists may nest inside one record. The schema itself never
/// goes deeper than a few levels (shipped: 3); anything deeper is not a fact the rules can read,
/// and is a field error (`facts.depth`).
pub const MAX_FACT_DEPTH: usize = 16;

/// Facts: the largest record a reader takes from a file (the JSON text of one record, or one
/// CSV row), in bytes. A reader keeps one record in memory at a time, so this bounds its memory
/// whatever the file's size; a longer record is a record error (`input.too_large`) and reading
/// goes on after it. A cooperative is about 1 KB; 8 MiB is far above any real record and far
/// below what would hurt.
pub const MAX_RECORD_BYTES: usize = 8 << 20;

/// Facts: the most distinct keys not in the schema a batch lists as ignored (each with the
/// number of records that had it). Past it, further names are counted but not listed, so a file
/// whose every record carries other keys cannot grow memory without bound. Registries carry a
/// handful (names, addresses, phone numbers).
pub const MAX_IGNORED_KEYS: usize = 1_000;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use std::path::PathBuf;

    use super::*;
    use crate::expr::syntax::{parse, Ast};
    use crate::pack::doc::FileDoc;
    use crate::pack::source::{embedded_files, DirLoader, EmbeddedLoader};
    use crate::{Date, Engine};

    fn repo() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    /// A tenth of every volume cap (a chain of imports stays at least 1 long).
    fn tenth() -> PackLimits {
        let d = PackLimits::DEFAULT;
        PackLimits {
            file_bytes: d.file_bytes / 10,
            total_bytes: d.total_bytes / 10,
            files: d.files / 10,
            dir_entries: d.dir_entries / 10,
            packs: d.packs / 10,
            import_depth: 1,
            rules: d.rules / 10,
            expr_bytes: d.expr_bytes / 10,
            list_items: d.list_items / 10,
            fields: d.fields / 10,
            lets: d.lets / 10,
            diagnostics: d.diagnostics,
        }
    }

    #[test]
    fn shipped_packs_fit_in_a_tenth_of_every_cap() {
        let limits = tenth();
        Engine::from_loader_limited(&EmbeddedLoader, "ben-tre-2747", &limits).unwrap();
        let base = repo().join("rules");
        Engine::from_loader_limited(&DirLoader { base }, "ben-tre-2747", &limits).unwrap();
    }

    fn depth(a: &Ast) -> usize {
        1 + match a {
            Ast::Lit(..) | Ast::Path(_) => 0,
            Ast::Not(x, _) | Ast::Neg(x, _) => depth(x),
            Ast::Bin(_, x, y, _) => depth(x).max(depth(y)),
            Ast::If(x, y, z, _) => depth(x).max(depth(y)).max(depth(z)),
            Ast::List(xs, _) | Ast::Call(_, xs, _) => xs.iter().map(depth).max().unwrap_or(0),
            Ast::Quant {
                domain,
                filter,
                body,
                ..
            } => depth(domain)
                .max(filter.as_deref().map_or(0, depth))
                .max(body.as_deref().map_or(0, depth)),
        }
    }

    #[test]
    fn shipped_expressions_are_far_from_the_depth_cap() {
        let mut deepest = 0;
        for (path, text) in embedded_files() {
            let doc = FileDoc::parse(text, &PackLimits::DEFAULT)
                .unwrap_or_else(|_| panic!("{path} parses"));
            for r in &doc.rule {
                let exprs = r.lets.values().chain(
                    [&r.when, &r.value, &r.target, &r.require, &r.each]
                        .into_iter()
                        .flatten(),
                );
                for e in exprs {
                    deepest = deepest.max(depth(&parse(e.get_ref()).unwrap()));
                }
            }
        }
        println!("deepest shipped expression: {deepest} levels (cap {EXPR_DEPTH})");
        assert!(deepest > 1 && deepest * 4 <= EXPR_DEPTH, "{deepest}");
    }

    /// Measures the most steps any record of the conformance corpus or the sample registry
    /// takes: the budget must be a thousand times that at least.
    #[test]
    fn budget_has_headroom_over_every_real_input() {
        let engine = Engine::embedded().unwrap();
        let mut inputs: Vec<(String, serde_json::Value, Date)> = Vec::new();
        let corpus: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(repo().join("tests/conformance/ben-tre-2747.json")).unwrap(),
        )
        .unwrap();
        for case in corpus.as_array().unwrap() {
            let entity = case["entity"].as_str().unwrap().to_string();
            let as_of = Date::parse(case["as_of"].as_str().unwrap()).unwrap();
            inputs.push((entity, case["record"].clone(), as_of));
        }
        let registry: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(repo().join("cli/data/sample-registry.json")).unwrap(),
        )
        .unwrap();
        for (list, entity) in [("cooperatives", "cooperative"), ("persons", "person")] {
            for r in registry[list].as_array().unwrap() {
                for as_of in ["2023-12-31", "2025-06-30", "2030-12-31"] {
                    inputs.push((entity.to_string(), r.clone(), Date::parse(as_of).unwrap()));
                }
            }
        }
        let (mut most, mut records) = (0, 0);
        for (entity, facts, as_of) in &inputs {
            let er = engine.entity(entity).unwrap();
            let Ok((rec, _)) = engine.decode(entity, facts, *as_of) else {
                continue;
            };
            records += 1;
            most = most.max(engine.steps(er, &rec, *as_of));
        }
        println!(
            "budget: at most {most} steps for any of {records} records; a rule's budget {EVAL_STEPS} is {}x that",
            EVAL_STEPS / most.max(1)
        );
        assert!(
            records > 1_000 && most > 0,
            "{records} records, {most} steps"
        );
        assert!(most * 1_000 <= EVAL_STEPS, "{most} steps");
    }
}
