//! `htx-rules diff`: what a reform changes in a registry (amendment impact).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use htx_rules::Error;

use crate::reform::{self, DiffFormat};
use crate::Ctx;

/// The formats `diff` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text tables for a person, in `--lang`.
    Table,
    /// Every changed row, as JSON.
    Json,
    /// A self-contained web page.
    Html,
}

/// `diff`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    /// Registry: a JSON file or a folder of CSV / JSON Lines files, as for `report` (the
    /// bundled sample when absent).
    registry: Option<PathBuf>,
    /// The reform (repeat to stack several: the diff is the pack against all of them).
    #[arg(long, required = true)]
    reform: Vec<PathBuf>,
    /// As-of date; today in Vietnam when absent.
    #[arg(long)]
    as_of: Option<String>,
    /// A rule pack folder instead of the embedded Bến Tre pack.
    #[arg(long)]
    pack: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

/// Runs `diff`.
pub fn run(a: Args, ctx: Ctx) -> Result<ExitCode, Error> {
    let date = crate::as_of(a.as_of.as_deref())?;
    let base = crate::engine(a.pack.as_deref(), &[])?;
    let after = crate::engine(a.pack.as_deref(), &a.reform)?;
    let d = reform::diff(
        &base,
        &after,
        a.registry.as_deref(),
        super::report::SAMPLE_REGISTRY,
        date,
    )?;
    let format = match a.format {
        Format::Json => DiffFormat::Json,
        Format::Html => DiffFormat::Html,
        Format::Table => DiffFormat::Table,
    };
    reform::write(&d, format, ctx.lang, a.output.as_deref())?;
    Ok(ExitCode::SUCCESS)
}
