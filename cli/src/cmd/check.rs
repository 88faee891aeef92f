//! `htx-rules check` (load and type-check a pack) and `htx-rules test` (run its own cases).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use htx_rules::{Error, Lang};

use crate::out::finish_io;
use crate::{safe, Ctx};

/// `check`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    /// The pack folder (the embedded pack when absent).
    dir: Option<PathBuf>,
    /// A reform to check against the pack (its problems at its own file:line:col); repeat to
    /// stack several.
    #[arg(long)]
    reform: Vec<PathBuf>,
    /// Prints where this decision's outcome changes along each numeric input (exact
    /// intervals per period of its thresholds), instead of the pack summary.
    #[arg(long, value_name = "RULE")]
    explain_boundaries: Option<String>,
}

/// `test`'s arguments.
#[derive(clap::Args)]
pub struct TestArgs {
    /// The pack folder (the embedded pack when absent).
    dir: Option<PathBuf>,
}

fn print(text: &str) -> Result<Option<ExitCode>, Error> {
    let r = std::io::stdout().lock().write_all(text.as_bytes());
    finish_io(r, None)
}

/// Prints a pack's diagnostics (`file:line:col: code: message`) on standard output and how many
/// there are on standard error; exit 1.
fn pack_problems(err: &Error, ctx: Ctx) -> Result<ExitCode, Error> {
    let diags = err.diagnostics();
    let mut text = String::new();
    if diags.is_empty() {
        eprintln!("{}", safe::text(err.message().get(ctx.lang)));
    }
    for d in diags {
        text.push_str(&safe::text(&d.render(ctx.lang)));
        text.push('\n');
    }
    if let Some(code) = print(&text)? {
        return Ok(code);
    }
    if !ctx.quiet {
        let n = diags.len().max(1);
        match ctx.lang {
            Lang::Vi => eprintln!("{n} vấn đề"),
            Lang::En => eprintln!("{n} problem(s)"),
        }
    }
    Ok(ExitCode::from(1))
}

/// Runs `check`.
pub fn run(a: Args, ctx: Ctx) -> Result<ExitCode, Error> {
    match crate::engine(a.dir.as_deref(), &a.reform) {
        Ok(en) if a.explain_boundaries.is_some() => {
            let rule = a.explain_boundaries.unwrap_or_default();
            let mut text = String::new();
            for b in en.boundaries(&rule)? {
                text.push_str(&safe::text(&b.to_text(ctx.lang)));
            }
            Ok(print(&text)?.unwrap_or(ExitCode::SUCCESS))
        }
        Ok(en) => {
            let n: usize = en
                .entities()
                .iter()
                .filter_map(|x| en.decision_names(x).ok())
                .map(|v| v.len())
                .sum();
            let packs: Vec<String> = en
                .packs()
                .iter()
                .map(|p| format!("{} {}", p.id, p.version))
                .collect();
            let packs = safe::cell(&packs.join(", ")).into_owned();
            let e = en.entities().len();
            // lints that do not stop the pack from loading: exit 0
            let warning = match ctx.lang {
                Lang::Vi => "cảnh báo",
                Lang::En => "warning",
            };
            let mut text = String::new();
            for w in en.warnings() {
                text.push_str(&safe::text(&format!(
                    "{}:{}:{}: {warning}: {}: {}\n",
                    w.file,
                    w.line,
                    w.column,
                    w.code,
                    w.message.get(ctx.lang)
                )));
            }
            text.push_str(&match ctx.lang {
                Lang::Vi => format!("ok: {packs} ({n} quyết định của {e} đối tượng)\n"),
                Lang::En => format!("ok: {packs} ({n} decisions over {e} entities)\n"),
            });
            if let Some(code) = print(&text)? {
                return Ok(code);
            }
            if !en.warnings().is_empty() && !ctx.quiet {
                eprintln!("{} {warning}(s)", en.warnings().len());
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => pack_problems(&err, ctx),
    }
}

/// Runs `test`. The closing line `N passed, N failed` stays in English: CI reads it.
pub fn run_tests(a: TestArgs, ctx: Ctx) -> Result<ExitCode, Error> {
    let en = match crate::engine(a.dir.as_deref(), &[]) {
        Ok(en) => en,
        Err(err) => return pack_problems(&err, ctx),
    };
    let summary = en.run_tests();
    let mut text = String::new();
    for c in &summary.cases {
        if c.failures.is_empty() {
            text.push_str(&format!("ok    {}\n", safe::cell(&c.name)));
        } else {
            text.push_str(&format!(
                "FAIL  {}  ({})\n",
                safe::cell(&c.name),
                safe::cell(&c.location)
            ));
            for f in &c.failures {
                text.push_str(&format!("        {}\n", safe::text(f)));
            }
        }
    }
    text.push_str(&format!(
        "{} passed, {} failed\n",
        summary.passed(),
        summary.failed()
    ));
    if let Some(code) = print(&text)? {
        return Ok(code);
    }
    Ok(if summary.failed() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
