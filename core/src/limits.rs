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
//! Evaluation has a budget too ([`EVAL_STEPS`]): a rule that needs more work than that for one
//! record comes out `unknown` with a reason, instead of running for minutes.

/// The deepest an expression's syntax tree may be (operators and calls inside one another, and
/// a chain `a or b or c …`, which builds a tree as deep as it is long). The parser refuses
/// deeper trees, so the type checker, the lints, the dependency walk and the evaluator, which
/// all recurse over the tree, recurse at most this deep.
///
/// Shipped: 9. A 2 MB stack holds well over 1,000 levels of the evaluator, so 64 leaves both
/// ample room for pack authors and a wide margin on the stack.
pub const EXPR_DEPTH: usize = 64;

/// The deepest a type may nest: each record inside a record, and each `list<…>`, is a level.
/// Facts are decoded to at most 16 levels of JSON (`decode`), so a deeper type could never be
/// filled; the walks over the schema (JSON Schema, bound checks, form fields) recurse at most
/// this deep.
///
/// Shipped: 3 (a cooperative's `list<manager>`).
pub const TYPE_DEPTH: usize = 16;

/// How many folders deep the files of one pack may lie inside its folder.
///
/// Shipped: 1 (`tests/`). Deep folders are no use to a pack and cost a walk.
pub const DIR_DEPTH: usize = 8;

/// The evaluation budget: the work one record may take, counted in steps — one per list item
/// a quantifier (`any`, `all`, `count`, `sum`) or a constraint's `each` visits, one per item
/// `in` compares. Past it, the rule being evaluated (and any later rule of the same record
/// that still needs to iterate) is `unknown`, with the reason "the rule needs too much work
/// for these facts".
///
/// Without quantifiers a rule's work is bounded by its size, so this counts only what the
/// facts can multiply. One million steps take about 0.1 s; three quantifiers nested over 400
/// items would take 64 million (6 s before the budget). The most any record of the
/// conformance corpus or the sample registry needs is measured by `core/tests/limits.rs`
/// (well under 1/1,000 of the budget).
pub const EVAL_STEPS: u64 = 1_000_000;

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
    /// that, and a folder loader reads no more than this (a link to `/dev/zero` stops here).
    pub file_bytes: u64,
    /// Bytes of all files of the pack and its imports together. Shipped: 190 KB with the
    /// tests; 8 MiB is ~40 times that. Checking costs about 50 bytes of memory per byte of
    /// rules, so this keeps a load under a few hundred megabytes.
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
        total_bytes: 8 << 20,
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
