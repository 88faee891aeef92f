//! `htx-rules completions SHELL`: a completion script for bash, zsh, fish, PowerShell or elvish.

use std::io::Write;
use std::process::ExitCode;

use htx_rules::Error;

/// Writes the completion script of `C` for `shell` on standard output.
pub fn run<C: clap::CommandFactory>(shell: clap_complete::Shell) -> Result<ExitCode, Error> {
    let mut cmd = C::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "htx-rules", &mut buf);
    let r = std::io::stdout().lock().write_all(&buf);
    Ok(crate::out::finish_io(r, None)?.unwrap_or(ExitCode::SUCCESS))
}
