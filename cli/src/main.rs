//! `htx-rules`: the command line of the rules engine for Kế hoạch 2747/KH-UBND.
//!
//! Only argument handling, input reading and printing live here; every rule is in the core.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use htx_rules::read::{Format as InputFormat, RecordError};
use htx_rules::{BatchNotes, Date, Engine, Error, Lang, Options};
use serde_json::Value;

mod input;

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

#[derive(Clone, Copy, ValueEnum)]
enum InputArg {
    /// A JSON array, or one or more JSON objects (pretty-printed or one per line).
    Json,
    /// JSON Lines: one record per line.
    Jsonl,
    /// CSV with dotted headers (`workers.female`); lists as JSON in a cell.
    Csv,
}

impl From<InputArg> for InputFormat {
    fn from(i: InputArg) -> InputFormat {
        match i {
            InputArg::Json => InputFormat::Json,
            InputArg::Jsonl => InputFormat::JsonLines,
            InputArg::Csv => InputFormat::Csv,
        }
    }
}

/// What `eval` and `validate` both take.
#[derive(clap::Args)]
struct RecordArgs {
    /// Input format; by default the file's extension (.json, .jsonl, .ndjson, .csv), and JSON
    /// for standard input.
    #[arg(long, value_enum)]
    input: Option<InputArg>,
    /// Keys (or columns) not in the entity's schema are errors (by default they are ignored
    /// and listed once on standard error; a misspelled one is an error either way).
    #[arg(long)]
    strict: bool,
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
}

#[derive(Subcommand)]
enum Command {
    /// Evaluates records (a JSON object, a JSON array, JSON Lines or CSV with dotted headers).
    /// Exit 0; 1 when a record has a misspelled key (or, with --strict, a key not in the
    /// schema); 3 when some records could not be read (each is an error object in its place);
    /// 2 when nothing could be evaluated.
    Eval(RecordArgs),
    /// Validates form records; exit 0 all valid, 1 any invalid, 3 some records could not be
    /// read (error objects in their place), 2 nothing could be validated.
    Validate(RecordArgs),
    /// Loads and type-checks a rule pack (the embedded one when no folder is given).
    Check {
        /// The pack folder.
        dir: Option<PathBuf>,
        /// Language of the diagnostics.
        #[arg(long, value_enum, default_value = "en")]
        lang: LangArg,
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
    },
    /// Explains a rule, parameter, period group or topic (funding_sources, responsibilities, reporting).
    Explain {
        /// The name.
        rule: String,
        /// A rule pack folder instead of the embedded Bến Tre pack.
        #[arg(long)]
        pack: Option<PathBuf>,
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

/// What went wrong in a batch, for the exit code.
#[derive(Default)]
struct Outcomes {
    records: u64,
    unreadable: u64,
    invalid: u64,
}

/// `eval` and `validate`: records read one at a time by the core, each result (or the error
/// of a record that could not be read) written in its place, streamed.
fn records(args: RecordArgs, validate: bool) -> Result<ExitCode, (Error, Lang)> {
    let RecordArgs {
        input,
        strict,
        entity,
        as_of: a,
        pack,
        format,
        lang,
        file,
    } = args;
    let lang = Lang::from(lang);
    let e = |x| (x, lang);
    let date = as_of(&a).map_err(e)?;
    let engine = engine(&pack).map_err(e)?;
    let names: Vec<String> = engine
        .decision_names(&entity)
        .map_err(e)?
        .into_iter()
        .map(String::from)
        .collect();
    let in_format = input::format(file.as_deref(), input.map(InputFormat::from)).map_err(e)?;
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
    let (source, name) = input::open(file.as_deref(), progress.clone()).map_err(e)?;
    let mut options = Options::default();
    options.strict = strict;
    let batch = engine.batch(&entity, options).map_err(e)?;
    let mut reader = batch.reader(
        std::io::BufReader::with_capacity(1 << 16, source),
        in_format,
        &name,
    );
    // what the CSV header says, before any row
    let up_front = reader.header_notes();
    if let Some(n) = &up_front {
        report_notes(&name, n, None, lang);
    }
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let table = matches!(format, Format::Table | Format::Text);
    if table && !validate {
        let _ = writeln!(out, "id\t{}", names.join("\t"));
    }
    let mut seen = Outcomes::default();
    while let Some(item) = reader.next() {
        seen.records += 1;
        let first = seen.records == 1;
        match item {
            Ok((_, record)) => {
                if validate {
                    let v = reader.batch().validate(record, date);
                    if !v.valid {
                        seen.invalid += 1;
                    }
                    write_validation(&mut out, table, first, seen.records, &v, lang);
                } else {
                    let ev = reader.batch().evaluate(record, date);
                    write_evaluation(&mut out, table, first, &ev);
                }
            }
            Err(err) => {
                seen.unreadable += 1;
                eprintln!("htx-rules: {}", err.render(lang));
                write_record_error(&mut out, table, first, &err, lang);
            }
        }
        if seen.records % 10_000 == 0 {
            if let Some(pb) = &progress {
                pb.set_message(format!("{} bản ghi / records", seen.records));
            }
        }
    }
    if !table {
        let _ = out.write_all(if seen.records == 0 {
            b"[]\n" as &[u8]
        } else {
            b"\n]\n"
        });
    }
    let _ = out.flush();
    if let Some(pb) = &progress {
        pb.finish_and_clear();
        eprintln!("{} bản ghi / records", seen.records);
    }
    let notes = reader.notes();
    report_notes(&name, &notes, up_front.as_ref(), lang);
    if seen.unreadable > 0 {
        eprintln!(
            "htx-rules: {}",
            match lang {
                Lang::Vi => format!(
                    "{name}: {} trong {} bản ghi không đọc được (mỗi bản ghi là một đối tượng lỗi ở đúng vị trí của nó)",
                    seen.unreadable, seen.records
                ),
                Lang::En => format!(
                    "{name}: {} of {} record(s) could not be read (each is an error object in its place)",
                    seen.unreadable, seen.records
                ),
            }
        );
        return Ok(ExitCode::from(3));
    }
    let doubtful = !notes.misspelled.is_empty() || !notes.refused.is_empty();
    Ok(if seen.invalid > 0 || (!validate && doubtful) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// What a batch saw, on standard error: misspelled keys (with the field meant), keys refused
/// (strict) or ignored, decisions no record can decide. `said` is what was already said
/// before the records (a CSV header), not said again.
fn report_notes(name: &str, n: &BatchNotes, said: Option<&BatchNotes>, lang: Lang) {
    let fresh = |k: &htx_rules::UnknownKey, list: fn(&BatchNotes) -> &[htx_rules::UnknownKey]| {
        said.is_none_or(|s| !list(s).iter().any(|x| x.key == k.key))
    };
    for k in &n.misspelled {
        if fresh(k, |s| &s.misspelled) {
            eprintln!(
                "htx-rules: {name}: {} [facts.misspelled_field]",
                k.message.get(lang)
            );
        }
    }
    for k in &n.refused {
        if fresh(k, |s| &s.refused) {
            eprintln!(
                "htx-rules: {name}: {} [facts.unknown_field]",
                k.message.get(lang)
            );
        }
    }
    for k in &n.ignored {
        if fresh(k, |s| &s.ignored) {
            eprintln!("htx-rules: {name}: {}", k.message.get(lang));
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
            eprintln!("htx-rules: {name}: {}", u.message.get(lang));
        }
    }
}

fn separator(out: &mut impl Write, first: bool) {
    let _ = out.write_all(if first { b"[\n" } else { b",\n" });
}

fn write_evaluation(
    out: &mut impl Write,
    table: bool,
    first: bool,
    ev: &htx_rules::Evaluation<'_>,
) {
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
        separator(out, first);
        let _ = serde_json::to_writer(&mut *out, ev);
    }
}

fn write_validation(
    out: &mut impl Write,
    table: bool,
    first: bool,
    n: u64,
    v: &htx_rules::Validation,
    lang: Lang,
) {
    if table {
        if v.valid {
            let _ = writeln!(
                out,
                "{n}: {}",
                if lang == Lang::Vi {
                    "hợp lệ"
                } else {
                    "valid"
                }
            );
        }
        for er in &v.errors {
            let _ = writeln!(
                out,
                "{n}: {} [{}] {}",
                er.field,
                er.code,
                er.message.get(lang)
            );
        }
    } else {
        separator(out, first);
        let _ = serde_json::to_writer(&mut *out, v);
    }
}

/// A record that could not be read, in its place: `{"id": null, "error": {file, line,
/// column, record, code, message}}` in JSON, one line in a table.
fn write_record_error(
    out: &mut impl Write,
    table: bool,
    first: bool,
    err: &RecordError,
    lang: Lang,
) {
    if table {
        let _ = writeln!(out, "{}: {}", err.record, err.render(lang));
    } else {
        separator(out, first);
        let _ = serde_json::to_writer(&mut *out, &serde_json::json!({ "id": null, "error": err }));
    }
}

fn run(cmd: Command) -> Result<ExitCode, (Error, Lang)> {
    match cmd {
        Command::Eval(args) => records(args, false),
        Command::Validate(args) => records(args, true),
        Command::Check { dir, lang } => {
            let lang = Lang::from(lang);
            match engine(&dir) {
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
        } => {
            let lang = Lang::from(lang);
            let e = |x| (x, lang);
            let date = as_of(&a).map_err(e)?;
            let engine = engine(&pack).map_err(e)?;
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
        Command::Explain {
            rule,
            pack,
            format,
            lang,
        } => {
            let lang = Lang::from(lang);
            let engine = engine(&pack).map_err(|x| (x, lang))?;
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
