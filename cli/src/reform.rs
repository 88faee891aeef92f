//! `--reform FILE` (eval, validate, report, explain, check) and `htx-rules diff`: loading an
//! engine under reforms, and printing the amendment impact. The logic is the core's
//! (`Engine::with_reform`, `Engine::diff_builder`); this only reads files and prints.

use std::io::Write;
use std::path::{Path, PathBuf};

use htx_rules::pack::Reform;
use htx_rules::report::Diff;
use htx_rules::{Date, Engine, Error, Lang};

/// Reads a reform file: its path is the name its diagnostics give.
pub fn read(path: &Path) -> Result<Reform, Error> {
    let text = std::fs::read_to_string(path).map_err(|x| {
        Error::input(
            "input.read",
            format!("không đọc được tệp cải cách {}: {x}", path.display()),
            format!("cannot read the reform file {}: {x}", path.display()),
        )
    })?;
    Ok(Reform::from_toml(path.display().to_string(), text))
}

/// `engine` with every reform of `files` laid over it, in order.
pub fn apply(engine: Engine, files: &[PathBuf]) -> Result<Engine, Error> {
    let mut engine = engine;
    for f in files {
        engine = engine.with_reform(&read(f)?)?;
    }
    Ok(engine)
}

/// How `diff` prints.
#[derive(Clone, Copy)]
pub enum DiffFormat {
    /// A terminal table.
    Table,
    /// Every changed row, as JSON.
    Json,
    /// A self-contained HTML page.
    Html,
}

/// `htx-rules diff`: the registry (the bundled sample when `None`) under `base` and under
/// `after`, at `as_of`.
pub fn diff(
    base: &Engine,
    after: &Engine,
    registry: Option<&Path>,
    sample: &str,
    as_of: Date,
) -> Result<Diff, Error> {
    let mut b = base.diff_builder(after, as_of)?;
    match registry {
        None => b
            .rows()
            .read_json("sample-registry.json", sample.as_bytes())?,
        Some(p) => b.rows().read_path(p)?,
    }
    Ok(b.finish())
}

/// Writes a diff to `output` (standard output when `None`).
pub fn write(d: &Diff, format: DiffFormat, lang: Lang, output: Option<&Path>) -> Result<(), Error> {
    let text = match format {
        DiffFormat::Json => serde_json::to_string_pretty(&d.to_json()).unwrap_or_default() + "\n",
        DiffFormat::Html => d.to_html(lang),
        DiffFormat::Table => d.to_table(lang),
    };
    match output {
        Some(p) => std::fs::write(p, text).map_err(|x| {
            Error::input(
                "output.write",
                format!("không ghi được {}: {x}", p.display()),
                format!("cannot write {}: {x}", p.display()),
            )
        }),
        None => {
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
            Ok(())
        }
    }
}
