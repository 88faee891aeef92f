//! `htx-rules`: the command line of the rules engine for Kế hoạch 2747/KH-UBND.
//!
//! Only argument handling, input reading and printing live here; every rule is in the core.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use htx_rules::{Date, Engine, Error, Lang};
use serde_json::Value;

mod input;
mod reform;

// Evaluation allocates many small, short-lived values; mimalloc serves them much faster than
// the system allocator (see the closing note of the CLI's throughput figures).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The bundled, synthetic sample registry (invented data; see cli/data/README.md).
const SAMPLE_REGISTRY: &str = include_str!("../data/sample-registry.json");

#[derive(Parser)]
#[command(
    name = "htx-rules",
    version,
    about = "Rules of Kế hoạch 2747/KH-UBND (Bến Tre) as code: decisions, validation, progress reports"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Table,
    Html,
    Text,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Vi,
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

/// What `eval` and `validate` both take.
#[derive(clap::Args)]
struct RecordArgs {
    /// Entity: cooperative, person, progress, calendar.
    #[arg(long)]
    entity: String,
    /// As-of date (YYYY-MM-DD); today when absent.
    #[arg(long)]
    as_of: Option<String>,
    /// A rule pack folder instead of the embedded Bến Tre pack.
    #[arg(long)]
    pack: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
    /// Language of tables.
    #[arg(long, value_enum, default_value = "vi")]
    lang: LangArg,
    /// Input file, or - for standard input.
    file: Option<String>,
    /// A reform (TOML overlay) to lay over the pack; repeat to stack several, in order.
    #[arg(long)]
    reform: Vec<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluates records (a JSON object, a JSON array, JSON Lines or CSV with dotted headers).
    Eval(RecordArgs),
    /// Validates form records; exit 1 when any is invalid.
    Validate(RecordArgs),
    /// Loads and type-checks a rule pack (the embedded one when no folder is given).
    Check {
        /// The pack folder.
        dir: Option<PathBuf>,
        /// Language of the diagnostics.
        #[arg(long, value_enum, default_value = "en")]
        lang: LangArg,
        /// A reform to check against the pack (its problems at its own file:line:col).
        #[arg(long)]
        reform: Vec<PathBuf>,
        /// Prints where this decision's outcome changes along each numeric input (exact
        /// intervals per period of its thresholds), instead of the pack summary.
        #[arg(long, value_name = "RULE")]
        explain_boundaries: Option<String>,
    },
    /// Runs a pack's own test cases.
    Test {
        /// The pack folder (the embedded pack when absent).
        dir: Option<PathBuf>,
    },
    /// Progress against the phase targets from a registry (the bundled sample when absent).
    Report {
        /// Registry file (JSON, or a folder/CSV as documented in the README).
        registry: Option<PathBuf>,
        /// As-of date; today when absent.
        #[arg(long)]
        as_of: Option<String>,
        /// A rule pack folder instead of the embedded Bến Tre pack.
        #[arg(long)]
        pack: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
        /// Language.
        #[arg(long, value_enum, default_value = "vi")]
        lang: LangArg,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// A reform to lay over the pack (the report names it); repeat to stack several.
        #[arg(long)]
        reform: Vec<PathBuf>,
    },
    /// What a reform changes in a registry (the bundled sample when absent): per decision and
    /// indicator, how many records changed and which way, with the records and both reasons.
    Diff {
        /// Registry file or folder, as for `report`.
        registry: Option<PathBuf>,
        /// The reform (repeat to stack several: the diff is the pack against all of them).
        #[arg(long, required = true)]
        reform: Vec<PathBuf>,
        /// As-of date; today when absent.
        #[arg(long)]
        as_of: Option<String>,
        /// A rule pack folder instead of the embedded Bến Tre pack.
        #[arg(long)]
        pack: Option<PathBuf>,
        /// Output format (table, json or html).
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
        /// Language.
        #[arg(long, value_enum, default_value = "vi")]
        lang: LangArg,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Explains a rule, parameter, period group or topic (funding_sources, responsibilities, reporting).
    Explain {
        /// The name.
        rule: String,
        /// A rule pack folder instead of the embedded Bến Tre pack.
        #[arg(long)]
        pack: Option<PathBuf>,
        /// A reform to lay over the pack (explain shows the reformed values); repeatable.
        #[arg(long)]
        reform: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Language.
        #[arg(long, value_enum, default_value = "vi")]
        lang: LangArg,
    },
}

fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    Date::from_unix_days(i64::try_from(secs / 86_400).unwrap_or(0))
}

fn fail(e: &Error, lang: Lang) -> ExitCode {
    let diags = e.diagnostics();
    if diags.is_empty() {
        eprintln!("htx-rules: {} [{}]", e.message().get(lang), e.code());
    } else {
        for d in diags {
            eprintln!("{}", d.render(lang));
        }
    }
    ExitCode::from(2)
}

fn as_of(s: &Option<String>) -> Result<Date, Error> {
    match s {
        None => Ok(today()),
        Some(s) => Date::parse(s).ok_or_else(|| {
            Error::input(
                "input.date",
                format!("--as-of `{s}` không phải ngày YYYY-MM-DD"),
                format!("--as-of `{s}` is not a date YYYY-MM-DD"),
            )
        }),
    }
}

fn engine(pack: &Option<PathBuf>) -> Result<Engine, Error> {
    match pack {
        Some(p) => Engine::from_dir(p),
        None => Engine::embedded(),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err((e, lang)) => fail(&e, lang),
    }
}

fn print_json(v: &Value) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    let _ = serde_json::to_writer_pretty(&mut out, v);
    let _ = writeln!(out);
    Ok(())
}

fn run(cmd: Command) -> Result<ExitCode, (Error, Lang)> {
    match cmd {
        Command::Eval(RecordArgs {
            entity,
            as_of: a,
            pack,
            format,
            lang,
            file,
            reform: reforms,
        }) => {
            let lang = Lang::from(lang);
            let e = |x| (x, lang);
            let date = as_of(&a).map_err(e)?;
            let engine = reform::apply(engine(&pack).map_err(e)?, &reforms).map_err(e)?;
            engine.decision_names(&entity).map_err(e)?;
            // a progress bar on stderr for long batches, only when stderr is a terminal
            let progress = std::io::stderr().is_terminal().then(|| {
                let pb = indicatif::ProgressBar::new(0);
                pb.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{bar:30} {percent:>3}% {msg} · {elapsed_precise} (còn/eta {eta})",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                pb
            });
            let source = input::open_with_progress(file.as_deref(), progress.clone()).map_err(e)?;
            let stdout = std::io::stdout();
            let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
            let mut n: u64 = 0;
            let table = matches!(format, Format::Table);
            let names: Vec<String> = engine
                .decision_names(&entity)
                .map_err(e)?
                .into_iter()
                .map(String::from)
                .collect();
            if table {
                let _ = writeln!(out, "id\t{}", names.join("\t"));
            }
            let mut emit =
                |rec: &Value, out: &mut BufWriter<std::io::StdoutLock>| -> Result<(), Error> {
                    let ev = engine.evaluate(&entity, rec, date)?;
                    if table {
                        let cells: Vec<String> = ev
                            .decisions()
                            .map(|(_, d)| match d.value() {
                                Some(v) => format!(
                                    "{} ({})",
                                    d.outcome().as_str(),
                                    match v.to_json() {
                                        Value::String(s) => s,
                                        o => o.to_string(),
                                    }
                                ),
                                None => d.outcome().as_str().to_string(),
                            })
                            .collect();
                        let _ = writeln!(out, "{}\t{}", ev.id().unwrap_or("-"), cells.join("\t"));
                    } else {
                        let _ = out.write_all(if n == 0 { b"[\n" } else { b",\n" });
                        let _ = serde_json::to_writer(&mut *out, &ev);
                    }
                    n += 1;
                    if n % 10_000 == 0 {
                        if let Some(pb) = &progress {
                            pb.set_message(format!("{n} bản ghi / records"));
                        }
                    }
                    Ok(())
                };
            input::for_each_record(source, &mut |rec| emit(&rec, &mut out)).map_err(e)?;
            if !table {
                let _ = out.write_all(if n == 0 { b"[]\n" as &[u8] } else { b"\n]\n" });
            }
            let _ = out.flush();
            if let Some(pb) = &progress {
                pb.finish_and_clear();
                eprintln!("{n} bản ghi / records");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Validate(RecordArgs {
            entity,
            as_of: a,
            pack,
            format,
            lang,
            file,
            reform: reforms,
        }) => {
            let lang = Lang::from(lang);
            let e = |x| (x, lang);
            let date = as_of(&a).map_err(e)?;
            let engine = reform::apply(engine(&pack).map_err(e)?, &reforms).map_err(e)?;
            engine.decision_names(&entity).map_err(e)?;
            let source = input::open(file.as_deref()).map_err(e)?;
            let mut results = Vec::new();
            input::for_each_record(source, &mut |rec| {
                results.push(engine.validate(&entity, &rec, date)?);
                Ok(())
            })
            .map_err(e)?;
            let any_invalid = results.iter().any(|v| !v.valid);
            match format {
                Format::Table | Format::Text => {
                    for (i, v) in results.iter().enumerate() {
                        if v.valid {
                            println!(
                                "{}: {}",
                                i + 1,
                                if lang == Lang::Vi {
                                    "hợp lệ"
                                } else {
                                    "valid"
                                }
                            );
                        }
                        for er in &v.errors {
                            println!(
                                "{}: {} [{}] {}",
                                i + 1,
                                er.field,
                                er.code,
                                er.message.get(lang)
                            );
                        }
                    }
                }
                _ => {
                    print_json(&Value::Array(results.iter().map(|v| v.to_json()).collect()))
                        .map_err(e)?;
                }
            }
            Ok(if any_invalid {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Check {
            dir,
            lang,
            reform,
            explain_boundaries,
        } => {
            let lang = Lang::from(lang);
            match engine(&dir).and_then(|en| reform::apply(en, &reform)) {
                Ok(en) if explain_boundaries.is_some() => {
                    let rule = explain_boundaries.unwrap_or_default();
                    match en.boundaries(&rule) {
                        Ok(list) => {
                            for b in list {
                                print!("{}", b.to_text(lang));
                            }
                            Ok(ExitCode::SUCCESS)
                        }
                        Err(err) => Err((err, lang)),
                    }
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
                    // lints that do not stop the pack from loading: exit 0
                    let warning = match lang {
                        Lang::Vi => "cảnh báo",
                        Lang::En => "warning",
                    };
                    for w in en.warnings() {
                        println!(
                            "{}:{}:{}: {warning}: {}: {}",
                            w.file,
                            w.line,
                            w.column,
                            w.code,
                            w.message.get(lang)
                        );
                    }
                    println!(
                        "ok: {} ({} decisions over {} entities)",
                        packs.join(", "),
                        n,
                        en.entities().len()
                    );
                    if !en.warnings().is_empty() {
                        eprintln!("{} {warning}(s)", en.warnings().len());
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(err) => {
                    let diags = err.diagnostics();
                    if diags.is_empty() {
                        eprintln!("{}", err.message().get(lang));
                    }
                    for d in diags {
                        println!("{}", d.render(lang));
                    }
                    eprintln!("{} problem(s)", diags.len().max(1));
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::Test { dir } => {
            let en = match engine(&dir) {
                Ok(en) => en,
                Err(err) => {
                    for d in err.diagnostics() {
                        println!("{d}");
                    }
                    eprintln!("{}", err.message().en);
                    return Ok(ExitCode::from(1));
                }
            };
            let summary = en.run_tests();
            for c in &summary.cases {
                if c.failures.is_empty() {
                    println!("ok    {}", c.name);
                } else {
                    println!("FAIL  {}  ({})", c.name, c.location);
                    for f in &c.failures {
                        println!("        {f}");
                    }
                }
            }
            println!("{} passed, {} failed", summary.passed(), summary.failed());
            Ok(if summary.failed() == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Report {
            registry,
            as_of: a,
            pack,
            format,
            lang,
            output,
            reform: reforms,
        } => {
            let lang = Lang::from(lang);
            let e = |x| (x, lang);
            let date = as_of(&a).map_err(e)?;
            let engine = reform::apply(engine(&pack).map_err(e)?, &reforms).map_err(e)?;
            // the registry is read once, in core, against the pack's schema
            let mut builder = engine.report_builder(date).map_err(e)?;
            // JSON Lines and CSV collections are evaluated on every core (same report)
            builder.threads(std::thread::available_parallelism().map_or(1, |n| n.get()));
            match &registry {
                None => builder
                    .read_json("sample-registry.json", SAMPLE_REGISTRY.as_bytes())
                    .map_err(e)?,
                Some(p) => builder.read_path(p).map_err(e)?,
            }
            let report = builder.finish();
            let text = match format {
                Format::Json => {
                    serde_json::to_string_pretty(&report.to_json()).unwrap_or_default() + "\n"
                }
                Format::Html => report.to_html(lang),
                Format::Table | Format::Text => report.to_table(lang),
            };
            match output {
                Some(p) => std::fs::write(&p, text).map_err(|x| {
                    e(Error::input(
                        "output.write",
                        format!("không ghi được {}: {x}", p.display()),
                        format!("cannot write {}: {x}", p.display()),
                    ))
                })?,
                None => {
                    let _ = std::io::stdout().lock().write_all(text.as_bytes());
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Diff {
            registry,
            reform: reforms,
            as_of: a,
            pack,
            format,
            lang,
            output,
        } => {
            let lang = Lang::from(lang);
            let e = |x| (x, lang);
            let date = as_of(&a).map_err(e)?;
            let base = engine(&pack).map_err(e)?;
            let after = reform::apply(engine(&pack).map_err(e)?, &reforms).map_err(e)?;
            let d = reform::diff(&base, &after, registry.as_deref(), SAMPLE_REGISTRY, date)
                .map_err(e)?;
            let format = match format {
                Format::Json => reform::DiffFormat::Json,
                Format::Html => reform::DiffFormat::Html,
                Format::Table | Format::Text => reform::DiffFormat::Table,
            };
            reform::write(&d, format, lang, output.as_deref()).map_err(e)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain {
            rule,
            pack,
            format,
            lang,
            reform: reforms,
        } => {
            let lang = Lang::from(lang);
            let engine = engine(&pack)
                .and_then(|en| reform::apply(en, &reforms))
                .map_err(|x| (x, lang))?;
            match engine.explain(&rule) {
                Ok(x) => {
                    match format {
                        Format::Json => {
                            let _ = print_json(&x.to_json());
                        }
                        _ => print!("{}", x.to_text(lang)),
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(err) => {
                    eprintln!("htx-rules: {}", err.message().get(lang));
                    let names = engine.explainable();
                    eprintln!(
                        "{}: {}",
                        if lang == Lang::Vi {
                            "các tên có thể giải thích"
                        } else {
                            "names you can explain"
                        },
                        names.join(", ")
                    );
                    Ok(ExitCode::from(1))
                }
            }
        }
    }
}
