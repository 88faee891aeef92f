//! `htx-rules report`: progress against the phase targets from a registry.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use htx_rules::Error;

use crate::out::{finish_io, Target};
use crate::Ctx;

/// The bundled, synthetic sample registry (invented data; see cli/data/README.md).
pub const SAMPLE_REGISTRY: &str = include_str!("../../data/sample-registry.json");

/// The formats `report` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text tables for a person, in `--lang`.
    Table,
    /// The report as JSON.
    Json,
    /// A web page (printable).
    Html,
    /// An Excel workbook: the summary table, one sheet per phase, the priority groups and the
    /// records' problems; needs `--output FILE` or a redirection.
    Xlsx,
}

/// `report`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    /// Registry: a JSON file, a folder of CSV files, or a workbook with a sheet per collection
    /// (as documented in the README).
    registry: Option<PathBuf>,
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
    /// A reform (a TOML overlay) to lay over the pack (the report names it); repeat to stack
    /// several, in order.
    #[arg(long)]
    reform: Vec<PathBuf>,
}

/// Runs `report`.
pub fn run(a: Args, ctx: Ctx) -> Result<ExitCode, Error> {
    let lang = ctx.lang;
    if a.format == Format::Xlsx
        && a.output.is_none()
        && std::io::IsTerminal::is_terminal(&std::io::stdout())
    {
        super::usage_error("--format xlsx writes a workbook: give --output FILE.xlsx (or redirect standard output to a file)");
    }
    let date = crate::as_of(a.as_of.as_deref())?;
    let engine = crate::engine(a.pack.as_deref(), &a.reform)?;
    // the registry is read once, in core, against the pack's schema
    let mut builder = engine.report_builder(date)?;
    // JSON Lines and CSV collections are evaluated on every core (same report)
    builder.threads(crate::pipeline::workers());
    match &a.registry {
        None => builder.read_json("sample-registry.json", SAMPLE_REGISTRY.as_bytes())?,
        Some(p) if crate::sheet::is_workbook(&p.to_string_lossy()) => {
            crate::sheet::read_registry(&engine, &mut builder, p)?
        }
        Some(p) => builder.read_path(p)?,
    }
    let report = builder.finish();
    let mut out = Target::open(a.output.as_deref())?;
    let r = match a.format {
        Format::Json => out.write_all(
            (serde_json::to_string_pretty(&report.to_json()).unwrap_or_default() + "\n").as_bytes(),
        ),
        Format::Html => out.write_all(report.to_html(lang).as_bytes()),
        Format::Table => out.write_all(crate::safe::text(&report.to_table(lang)).as_bytes()),
        Format::Xlsx => crate::out::report_xlsx::write(&engine, &report, lang, &mut out)
            .map_err(std::io::Error::other),
    }
    .and_then(|()| out.flush());
    Ok(finish_io(r, a.output.as_deref())?.unwrap_or(ExitCode::SUCCESS))
}
