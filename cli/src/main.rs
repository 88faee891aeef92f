//! `htx-rules`: the command line of the rules engine for Kế hoạch 2747/KH-UBND.
//!
//! Only argument handling, input reading and printing live here; every rule is in the core.
//! One module per command (`cmd/`), one per output format (`out/`); `input.rs` reads records.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use htx_rules::{msg, Code, Date, Engine, Error, Lang};

mod clock;
mod cmd;
mod input;
mod out;
mod pipeline;
mod progress;
mod reform;
mod safe;
mod sheet;
mod suggest;

// Evaluation allocates many small, short-lived values; mimalloc serves them much faster than
// the system allocator (see the closing note of the CLI's throughput figures).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "htx-rules",
    version,
    about = "Rules of Kế hoạch 2747/KH-UBND (Bến Tre) as code: decisions, validation, progress reports"
)]
struct Cli {
    /// Language of everything a person reads: tables, text, messages, spreadsheet headers.
    #[arg(long, value_enum, default_value = "vi", global = true)]
    lang: LangArg,
    /// Print nothing on standard error but errors (no progress bar, no counts).
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

/// A language of the command's output.
#[derive(Clone, Copy, ValueEnum)]
pub enum LangArg {
    /// Vietnamese.
    Vi,
    /// English.
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Vi => Lang::Vi,
            LangArg::En => Lang::En,
        }
    }
}

/// What every command is given besides its own arguments.
#[derive(Clone, Copy)]
pub struct Ctx {
    /// Language of human-readable output.
    pub lang: Lang,
    /// No progress or counts on standard error.
    pub quiet: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluates records (a JSON object, a JSON array, JSON Lines, CSV with dotted headers, or a
    /// workbook's sheet).
    Eval(cmd::eval::Args),
    /// Validates form records (the same inputs as eval); exit 1 when any is invalid.
    Validate(cmd::validate::Args),
    /// Loads and type-checks a rule pack (the embedded one when no folder is given).
    Check(cmd::check::Args),
    /// Runs a pack's own test cases.
    Test(cmd::check::TestArgs),
    /// Progress against the phase targets from a registry (the bundled sample when absent).
    Report(cmd::report::Args),
    /// What a reform changes in a registry (the bundled sample when absent): per decision and
    /// indicator, how many records changed and which way, with the records and both reasons.
    Diff(cmd::diff::Args),
    /// Explains a rule, parameter, period group or topic (funding_sources, responsibilities, reporting).
    Explain(cmd::explain::Args),
    /// Prints a shell completion script: `htx-rules completions bash > /etc/bash_completion.d/htx-rules`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// Prints an error (or a pack's diagnostics) on standard error, in `lang`; exit 2.
pub fn fail(e: &Error, lang: Lang) -> ExitCode {
    let diags = e.diagnostics();
    if diags.is_empty() {
        eprintln!(
            "htx-rules: {} [{}]",
            safe::text(e.message().get(lang)),
            e.code()
        );
    } else {
        for d in diags {
            eprintln!("{}", safe::text(&d.render(lang)));
        }
    }
    ExitCode::from(2)
}

/// `--as-of`, or today in Vietnam.
pub fn as_of(s: Option<&str>) -> Result<Date, Error> {
    match s {
        None => Ok(clock::today_in_vietnam()),
        Some(s) => Date::parse(s).ok_or_else(|| {
            let s = safe::cell(s);
            Error::invalid_input(
                Code::InputDate,
                msg!(
                    vi: format!("--as-of `{s}` không phải ngày YYYY-MM-DD"),
                    en: format!("--as-of `{s}` is not a date YYYY-MM-DD"),
                ),
            )
        }),
    }
}

/// The pack folder given, or the embedded Bến Tre pack, with the reforms of `reforms` (TOML
/// files) laid over it in order.
pub fn engine(pack: Option<&std::path::Path>, reforms: &[PathBuf]) -> Result<Engine, Error> {
    let engine = match pack {
        Some(p) => Engine::from_dir(p)?,
        None => Engine::embedded()?,
    };
    reform::apply(engine, reforms)
}

/// Where a command writes: a file given with `--output`, or standard output.
pub type OutputPath = Option<PathBuf>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ctx = Ctx {
        lang: cli.lang.into(),
        quiet: cli.quiet,
    };
    let result = match cli.command {
        Command::Eval(a) => cmd::eval::run(a, ctx),
        Command::Validate(a) => cmd::validate::run(a, ctx),
        Command::Check(a) => cmd::check::run(a, ctx),
        Command::Test(a) => cmd::check::run_tests(a, ctx),
        Command::Report(a) => cmd::report::run(a, ctx),
        Command::Explain(a) => cmd::explain::run(a, ctx),
        Command::Diff(a) => cmd::diff::run(a, ctx),
        Command::Completions { shell } => cmd::completions::run::<Cli>(shell),
    };
    match result {
        Ok(code) => code,
        Err(e) => fail(&e, ctx.lang),
    }
}
