//! `htx-rules explain NAME`: a rule, parameter, period group or topic, as text or JSON.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use htx_rules::{Error, Lang};

use crate::out::finish_io;
use crate::{safe, suggest, Ctx};

/// The formats `explain` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text for a person, in `--lang`.
    Text,
    /// The explanation as JSON (both languages).
    Json,
}

/// `explain`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    /// The name: a rule, a parameter, a period group or a topic.
    rule: String,
    /// A rule pack folder instead of the embedded Bến Tre pack.
    #[arg(long)]
    pack: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// A reform (a TOML overlay) to lay over the pack: explain shows the reformed values;
    /// repeat to stack several.
    #[arg(long)]
    reform: Vec<PathBuf>,
}

/// Runs `explain`; exit 1 for a name the pack does not have (with a suggestion).
pub fn run(a: Args, ctx: Ctx) -> Result<ExitCode, Error> {
    let lang = ctx.lang;
    let engine = crate::engine(a.pack.as_deref(), &a.reform)?;
    match engine.explain(&a.rule) {
        Ok(x) => {
            let text = match a.format {
                Format::Json => {
                    serde_json::to_string_pretty(&x.to_json()).unwrap_or_default() + "\n"
                }
                Format::Text => safe::text(&x.to_text(lang)).into_owned(),
            };
            let r = std::io::stdout().lock().write_all(text.as_bytes());
            Ok(finish_io(r, None)?.unwrap_or(ExitCode::SUCCESS))
        }
        Err(err) => {
            eprintln!("htx-rules: {}", safe::text(err.message().get(lang)));
            let names = engine.explainable();
            match suggest::closest(&a.rule, names.iter().map(String::as_str)) {
                Some(s) => match lang {
                    Lang::Vi => eprintln!("Có phải ý bạn là `{s}`?"),
                    Lang::En => eprintln!("Did you mean `{s}`?"),
                },
                None => eprintln!(
                    "{}: {}",
                    match lang {
                        Lang::Vi => "các tên có thể giải thích",
                        Lang::En => "names you can explain",
                    },
                    names.join(", ")
                ),
            }
            Ok(ExitCode::from(1))
        }
    }
}
