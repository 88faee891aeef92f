//! What `eval` and `validate` share: how the input is read (`--input`, `--strict`), what a
//! batch saw said once on standard error, records that could not be read said as they come,
//! and the exit code.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use htx_rules::read::{Format, RecordError};
use htx_rules::{BatchNotes, Date, Engine, Error, Lang, Options, UnknownKey};

use crate::safe;

/// An input format, as `--input` names it.
#[derive(Clone, Copy, ValueEnum)]
pub enum InputArg {
    /// A JSON array, or one or more JSON objects (pretty-printed or one per line).
    Json,
    /// JSON Lines: one record per line.
    Jsonl,
    /// CSV with dotted headers (`workers.female`); lists as JSON in a cell.
    Csv,
}

impl From<InputArg> for Format {
    fn from(i: InputArg) -> Format {
        match i {
            InputArg::Json => Format::Json,
            InputArg::Jsonl => Format::JsonLines,
            InputArg::Csv => Format::Csv,
        }
    }
}

/// What `eval` and `validate` read, and with which rules.
#[derive(clap::Args)]
pub struct RecordArgs {
    /// Entity: cooperative, person, progress, calendar.
    #[arg(long)]
    pub entity: String,
    /// As-of date (YYYY-MM-DD); today in Vietnam when absent.
    #[arg(long)]
    pub as_of: Option<String>,
    /// A rule pack folder instead of the embedded Bến Tre pack.
    #[arg(long)]
    pub pack: Option<PathBuf>,
    /// The sheet of a workbook to read (by default the one named after the entity, or the
    /// only one).
    #[arg(long)]
    pub sheet: Option<String>,
    #[command(flatten)]
    pub read: ReadArgs,
    /// A reform (a TOML overlay) to lay over the pack; repeat to stack several, in order.
    #[arg(long)]
    pub reform: Vec<PathBuf>,
    /// Input file (JSON, JSON Lines, CSV, or a workbook: .xlsx, .xls, .ods), or - for standard
    /// input.
    pub file: Option<String>,
}

impl RecordArgs {
    /// The as-of date and the engine (the pack, under its reforms), the entity checked (with a
    /// suggestion when it is almost right).
    pub fn engine(&self) -> Result<(Date, Engine), Error> {
        let date = crate::as_of(self.as_of.as_deref())?;
        let engine = crate::engine(self.pack.as_deref(), &self.reform)?;
        crate::suggest::entity(&engine, &self.entity)?;
        Ok((date, engine))
    }

    /// The input: a workbook's sheet of the entity, or the file (standard input) as it is.
    pub fn source(&self, engine: &Engine) -> Result<crate::input::Source, Error> {
        crate::sheet::open_records(
            engine,
            &self.entity,
            self.file.as_deref(),
            self.sheet.as_deref(),
            self.read.format(),
        )
    }
}

/// How records are read.
#[derive(clap::Args)]
pub struct ReadArgs {
    /// Input format; by default the file's extension (.json, .jsonl, .ndjson, .csv, a
    /// workbook), and JSON for standard input.
    #[arg(long, value_enum)]
    pub input: Option<InputArg>,
    /// Keys (or columns) not in the entity's schema are errors (by default they are ignored
    /// and listed once on standard error; a misspelled one is an error either way).
    #[arg(long)]
    pub strict: bool,
}

impl ReadArgs {
    /// The core's reading options.
    pub fn options(&self) -> Options {
        let mut o = Options::default();
        o.strict = self.strict;
        o
    }

    /// `--input`, as the core's format.
    pub fn format(&self) -> Option<Format> {
        self.input.map(Format::from)
    }
}

/// How many records that could not be read are said one by one on standard error (all are in
/// the output, in their place); past it, the count at the end.
const SAID: usize = 20;

/// Records that could not be read, said on standard error as they come.
pub struct Unreadable {
    lang: Lang,
    quiet: bool,
    /// How many so far.
    pub count: usize,
}

impl Unreadable {
    /// None yet.
    pub fn new(lang: Lang, quiet: bool) -> Unreadable {
        Unreadable {
            lang,
            quiet,
            count: 0,
        }
    }

    /// One more: said while fewer than [`SAID`] were.
    pub fn say(&mut self, e: &RecordError) {
        self.count += 1;
        if self.count <= SAID {
            eprintln!("htx-rules: {}", safe::text(&e.render(self.lang)));
        } else if self.count == SAID + 1 && !self.quiet {
            eprintln!(
                "htx-rules: {}",
                match self.lang {
                    Lang::Vi => "… (các bản ghi lỗi khác: trong kết quả, ở đúng vị trí của chúng)",
                    Lang::En => "… (more records in error: in the output, each in its place)",
                }
            );
        }
    }

    /// The closing count, when any record could not be read.
    pub fn summary(&self, name: &str, records: usize) {
        if self.count == 0 {
            return;
        }
        let name = safe::text(name);
        eprintln!(
            "htx-rules: {}",
            match self.lang {
                Lang::Vi => format!(
                    "{name}: {} trong {records} bản ghi không đọc được (mỗi bản ghi là một đối tượng lỗi ở đúng vị trí của nó)",
                    self.count
                ),
                Lang::En => format!(
                    "{name}: {} of {records} record(s) could not be read (each is an error object in its place)",
                    self.count
                ),
            }
        );
    }
}

/// What a batch saw, on standard error: misspelled keys (with the field meant), keys refused
/// (strict) or ignored, decisions no record can decide. `said` is what was already said
/// before the records (a CSV header), not said again. With `quiet`, only the misspelled and
/// refused keys (errors in the records).
pub fn say_notes(name: &str, n: &BatchNotes, said: Option<&BatchNotes>, lang: Lang, quiet: bool) {
    let name = safe::text(name);
    let fresh = |k: &UnknownKey, list: fn(&BatchNotes) -> &[UnknownKey]| {
        said.is_none_or(|s| !list(s).iter().any(|x| x.key == k.key))
    };
    for k in &n.misspelled {
        if fresh(k, |s| &s.misspelled) {
            eprintln!(
                "htx-rules: {name}: {} [facts.misspelled_field]",
                safe::text(k.message.get(lang))
            );
        }
    }
    for k in &n.refused {
        if fresh(k, |s| &s.refused) {
            eprintln!(
                "htx-rules: {name}: {} [facts.unknown_field]",
                safe::text(k.message.get(lang))
            );
        }
    }
    if quiet {
        return;
    }
    for k in &n.ignored {
        if fresh(k, |s| &s.ignored) {
            eprintln!("htx-rules: {name}: {}", safe::text(k.message.get(lang)));
        }
    }
    if n.more_ignored > 0 && said.is_none() {
        eprintln!(
            "htx-rules: {name}: {}",
            match lang {
                Lang::Vi => format!(
                    "và {} khóa khác không có trong dữ liệu: bỏ qua",
                    n.more_ignored
                ),
                Lang::En => format!(
                    "and {} more keys not in the schema: ignored",
                    n.more_ignored
                ),
            }
        );
    }
    for u in &n.undecidable {
        if said.is_none_or(|s| !s.undecidable.iter().any(|x| x.decision == u.decision)) {
            eprintln!("htx-rules: {name}: {}", safe::text(u.message.get(lang)));
        }
    }
}

/// The exit code of a batch that ran to its end: 3 when records could not be read, 1 when
/// `failed` (a record invalid, or a key misspelled or refused), else 0.
pub fn exit_code(unreadable: usize, failed: bool) -> ExitCode {
    if unreadable > 0 {
        ExitCode::from(3)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Whether the batch saw keys that make its records doubtful (misspelled, or refused when
/// strict): `eval` exits 1 for them.
pub fn doubtful(n: &BatchNotes) -> bool {
    !n.misspelled.is_empty() || !n.refused.is_empty()
}
