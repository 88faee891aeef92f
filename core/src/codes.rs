//! Every diagnostic and error code the library, the command line and the bindings emit: one
//! enum, a doc line each, and the stable string users see (`docs/codes.md` is written from it).
//!
//! Constraint rules of a pack name their own codes (`workers.female_exceeds_total`): those are
//! pack data, not listed here, and reach users as the `code` string of a [`crate::FieldError`].

use std::fmt;

/// Declares [`Code`] from one table: variant, string, and the doc line (also used by
/// [`Code::doc`]), so the three cannot drift apart.
macro_rules! codes {
    ($( #[doc = $doc:literal] $variant:ident = $text:literal, )*) => {
        /// A stable code of a diagnostic, a field error or an error.
        ///
        /// ```
        /// use htx_rules::Code;
        /// assert_eq!(Code::FactsType.as_str(), "facts.type");
        /// assert_eq!(Code::parse("pack.syntax"), Some(Code::PackSyntax));
        /// ```
        #[non_exhaustive]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $( #[doc = $doc] $variant, )*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$( Code::$variant, )*];

            /// The stable string, e.g. `"facts.type"`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( Code::$variant => $text, )*
                }
            }

            /// What the code means, in one line (English, for developers).
            pub fn doc(self) -> &'static str {
                match self {
                    $( Code::$variant => $doc.trim(), )*
                }
            }
        }
    };
}

codes! {
    // ---- loading a pack: Error::Pack and its diagnostics
    /// The rule pack has problems; its diagnostics list every one (the error's own code).
    PackInvalid = "pack.invalid",
    /// The root pack was not found (a folder of `.toml` files).
    PackNotFound = "pack.not_found",
    /// A pack named in `imports` was not found.
    PackImport = "pack.import",
    /// A pack file could not be read.
    PackRead = "pack.read",
    /// A pack file is not valid TOML.
    PackSyntax = "pack.syntax",
    /// A table of a pack file lacks a key, has an unknown key, or a value of the wrong TOML type.
    PackSchema = "pack.schema",
    /// A pack file is not a regular file inside the pack folder (a symbolic link, a FIFO, a socket, a device); it is not read.
    PackFileType = "pack.file_type",
    /// A compiled pack (`Engine::from_compiled_bytes`) was written by another build of the engine, is damaged, or is not a compiled pack; compile it again from the pack's files.
    PackCompiled = "pack.compiled",
    /// A pack exceeds a cap on its volume or nesting (bytes, files, packs, imports, rules, list items, fields, `let`s, folders, types; see `htx_rules::limits`).
    PackLimit = "pack.limit",
    /// Packs import each other in a cycle.
    PackImportCycle = "pack.import_cycle",
    /// A pack has no `[pack]` table.
    PackMeta = "pack.meta",
    /// The `[pack]` id differs from the pack's folder name.
    PackId = "pack.id",
    /// A name (type, field, parameter, period group, rule, info) is defined twice, or a value or index repeats.
    PackDuplicate = "pack.duplicate",
    /// A field is named with a reserved word (`and`, `param`, `rule`, `as_of`, …).
    PackReserved = "pack.reserved",
    /// An entity's `id` names no field of it.
    PackUnknownField = "pack.unknown_field",
    /// A record type contains itself (facts would be unbounded).
    PackRecursiveType = "pack.recursive_type",
    /// A field's `min` or `max` is not a number.
    PackValue = "pack.value",
    /// A date in a pack file is not `YYYY-MM-DD`.
    PackDate = "pack.date",
    /// A type name is not a built-in type, an enum or a record.
    TypeUnknown = "type.unknown",
    /// A period ends before it starts.
    PeriodOrder = "period.order",
    /// Two periods of one group overlap.
    PeriodOverlap = "period.overlap",
    /// A parameter value (or an override) does not have the parameter's type.
    ParamValue = "param.value",
    /// A dated value's `to` is before its `from`.
    ParamOrder = "param.order",
    /// Two dated values of a parameter overlap.
    ParamOverlap = "param.overlap",
    /// The dated values of a parameter leave a gap.
    ParamGap = "param.gap",
    /// A parameter has no value.
    ParamEmpty = "param.empty",
    /// A rule names an entity the pack does not declare.
    RuleEntity = "rule.entity",
    /// A rule's `kind` is not `decision`, `value` or `constraint`.
    RuleKind = "rule.kind",
    /// A value rule has no `type`.
    RuleType = "rule.type",
    /// A rule lacks a part its kind needs (`when`, `value`, or `require`/`field`/`code`).
    RuleShape = "rule.shape",
    /// Rules, or the `let`s of one rule, refer to each other in a cycle.
    RuleCycle = "rule.cycle",
    /// A `let` name hides a field of the entity.
    RuleShadow = "rule.shadow",
    /// A message template names an unknown placeholder, one that is not a single value (a list, a record), or has a `{` without its `}`.
    MessagePlaceholder = "message.placeholder",
    /// A message alternative's `when` is not a yes/no condition.
    MessageWhen = "message.when",
    /// A rule's comparison does not match the cited wording ("trên" is `>`, "ít nhất" is `>=`).
    LintThresholdWording = "lint.threshold_wording",
    /// Warning: an outcome's messages have no wording sure to be usable (one without `when` whose placeholders the outcome guarantees are known); the reason falls back to the rule's title.
    LintMessageFallback = "lint.message_fallback",
    /// Warning: a message alternative comes after one that is always usable, so it is never used.
    LintMessageUnreachable = "lint.message_unreachable",
    /// Warning: a field a rule reads has no label, so a reason naming it (missing, invalid) falls back to its name.
    LintFieldLabel = "lint.field_label",
    /// Warning: a decision or value rule people see has no title, which reasons fall back to.
    LintRuleTitle = "lint.rule_title",
    /// Warning: a boundary of a decision that can never be reached, two comparisons of the same input that leave a gap or overlap at a threshold, or a parameter period in which a decision cannot change (threshold analysis).
    LintBoundary = "lint.boundary",
    // ---- reforms: overlays on a loaded pack (diagnostics)
    /// A reform names a rule the pack does not have, or one of several entities' rules without `entity`.
    ReformRule = "reform.rule",
    /// A reform names a parameter the pack does not have.
    ReformParameter = "reform.parameter",
    /// A reform replaces a part the rule's kind does not have (`when` of a constraint, `require` of a decision), or is applied twice.
    ReformShape = "reform.shape",
    /// Too many reforms, or a reform file too large, for one engine.
    ReformLimit = "reform.limit",
    /// A reform was laid over an engine loaded from a compiled pack, which has no pack files to check it against (load the pack from its files).
    ReformCompiled = "reform.compiled",
    /// A pack test case names an unknown entity.
    TestEntity = "test.entity",
    /// A pack test case expects a decision the entity does not have.
    TestUnknownRule = "test.unknown_rule",
    /// A pack test case expects an outcome other than `yes`, `no` or `unknown`.
    TestOutcome = "test.outcome",
    /// A registry collection names an entity the pack does not declare, or `[registry]` is declared twice.
    RegistryCollection = "registry.collection",
    /// An indicator names a collection the pack's registry does not declare.
    IndicatorCollection = "indicator.collection",
    /// An indicator's `aggregate` is unknown, or it lacks (or has) a part that aggregate needs (or refuses).
    IndicatorAggregate = "indicator.aggregate",
    /// An indicator's `compare` is not `>=`, `>`, `<=` or `<`.
    IndicatorCompare = "indicator.compare",
    /// An indicator's target reads a row (a field or a decision): it must be the same for every row.
    IndicatorTarget = "indicator.target",
    /// Sensitive or protected figures without a valid `[disclosure]` policy, or a policy not a whole number above 0.
    DisclosurePolicy = "disclosure.policy",
    // ---- expressions (diagnostics)
    /// An expression does not parse.
    ExprSyntax = "expr.syntax",
    /// An expression is too long or nested too deeply (see `htx_rules::limits`).
    ExprLimit = "expr.limit",
    /// An expression has the wrong type for where it stands.
    ExprType = "expr.type",
    /// An expression names a field the record does not have.
    ExprUnknownField = "expr.unknown_field",
    /// An expression (or an override) names an unknown parameter.
    ExprUnknownParam = "expr.unknown_param",
    /// An expression (or `applies_in`) names an unknown period group.
    ExprUnknownPeriod = "expr.unknown_period",
    /// An expression names an unknown rule of the entity.
    ExprUnknownRule = "expr.unknown_rule",
    /// An expression calls an unknown function.
    ExprUnknownFunction = "expr.unknown_function",
    /// A text compared with an enum (or a parameter value) is not one of its values.
    ExprUnknownEnumValue = "expr.unknown_enum_value",
    /// A function is called with the wrong number of arguments.
    ExprArity = "expr.arity",
    // ---- facts: Error::Facts and field errors
    /// Facts do not fit the entity's schema (the error's own code; field errors say where).
    FactsInvalid = "facts.invalid",
    /// A fact has the wrong type (or a list item is null, or the record is not an object).
    FactsType = "facts.type",
    /// A date fact is not `YYYY-MM-DD`.
    FactsDate = "facts.date",
    /// An enum fact is not one of the enum's values.
    FactsEnum = "facts.enum",
    /// Facts are nested too deeply.
    FactsDepth = "facts.depth",
    /// A key (or column) the schema does not know, when reading strictly (otherwise it is ignored and listed once per batch).
    FactsUnknownField = "facts.unknown_field",
    /// A key (or column) the schema does not know that looks like a field written another way (`workers_female`) or misspelled (`memebrs`); the message names the field meant.
    FactsMisspelledField = "facts.misspelled_field",
    /// A key appears twice in one object; neither value is used.
    FactsDuplicateKey = "facts.duplicate_key",
    /// A number is not finite: `NaN`, `Infinity`, or too large for a float (`1e999`).
    FactsNonFinite = "facts.non_finite",
    /// A required field is absent (validation only).
    FactsRequired = "facts.required",
    /// A number is below the field's `min`.
    FactsMin = "facts.min",
    /// A number is above the field's `max`.
    FactsMax = "facts.max",
    // ---- names
    /// The pack has no entity of that name.
    EntityUnknown = "entity.unknown",
    /// The pack has no rule, parameter, period group or topic of that name (`explain`).
    RuleUnknown = "rule.unknown",
    // ---- input read at the edges (core, command line, bindings)
    /// Input JSON is malformed.
    InputJson = "input.json",
    /// A column of a batch has the wrong number of rows.
    InputColumns = "input.columns",
    /// Input CSV is malformed: a quote left open at the end of the file, a row with another number of cells than the header.
    InputCsv = "input.csv",
    /// Input is not valid UTF-8 text.
    InputUtf8 = "input.utf8",
    /// The input's format is unknown: not told by its name's extension nor by `--input json|jsonl|csv`.
    InputFormat = "input.format",
    /// An input file or stream could not be read (command line).
    InputRead = "input.read",
    /// A date argument is not `YYYY-MM-DD` (command line).
    InputDate = "input.date",
    /// The as-of date is missing or invalid (bindings).
    InputAsOf = "input.as_of",
    /// The language is not `vi` or `en` (bindings).
    InputLang = "input.lang",
    /// Pack files handed in are not an object of path to text (browser binding).
    InputSources = "input.sources",
    /// Reading options are not an object `{ strict: true | false }` (bindings).
    InputOptions = "input.options",
    /// An input is over a limit: a record longer than the readers' (`limits::MAX_RECORD_BYTES`), or an input over the browser binding's (`maxInputLength()`: 4 Mi UTF-16 units of JSON).
    InputTooLarge = "input.too_large",
    /// The browser's wasm module trapped (e.g. out of memory); it was rebuilt, the next call works.
    WasmTrap = "wasm.trap",
    /// An output file could not be written (command line).
    OutputWrite = "output.write",
    /// A result could not be turned into JSON (browser binding).
    OutputJson = "output.json",
    // ---- progress report
    /// The registry given to `report` is not an object, or holds none of the pack's collections.
    RegistryShape = "registry.shape",
    /// The pack declares no indicators, so it has no progress report.
    RegistryPack = "registry.pack",
    /// A row of the registry is not a record (null, a number, a malformed line): it is not counted.
    RegistryRecord = "registry.record",
    /// Two rows of one collection have the same id: the later one is not counted.
    RegistryDuplicate = "registry.duplicate",
    /// Partial reports that do not belong together (another pack, as-of date or plan) cannot merge.
    RegistryMerge = "registry.merge",
}

impl Code {
    /// The code written as `s`, if there is one.
    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == s)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<Code> for String {
    fn from(c: Code) -> String {
        c.as_str().to_string()
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// `docs/codes.md`: every code with its doc line, grouped by the part before the dot.
pub fn codes_markdown() -> String {
    let mut out = String::from(
        "# Codes\n\n\
         Every code the library, the command line and the bindings emit, written from\n\
         `htx_rules::Code` (`core/src/codes.rs`) by `core/tests/codes.rs`; regenerate with\n\
         `UPDATE_CODES=1 cargo test -p htx-rules --test codes`.\n\n\
         Codes are stable: a code is never renamed, only added. Pack diagnostics carry them in\n\
         `Diagnostic::code`, facts problems in `FieldError::code`, errors in `Error::code()`.\n\
         Constraint rules of a pack name their own codes (e.g. `workers.female_exceeds_total`);\n\
         those are pack data and not listed here.\n",
    );
    let mut all = Code::ALL.to_vec();
    all.sort_by_key(|c| c.as_str());
    let mut group = "";
    for c in all {
        let s = c.as_str();
        let g = s.split('.').next().unwrap_or(s);
        if g != group {
            group = g;
            out.push_str(&format!("\n## `{g}.*`\n\n| code | meaning |\n|---|---|\n"));
        }
        out.push_str(&format!("| `{s}` | {} |\n", c.doc()));
    }
    out
}
