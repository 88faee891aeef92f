//! One module per command.

pub mod check;
pub mod completions;
pub mod diff;
pub mod eval;
pub mod explain;
pub mod records;
pub mod report;
pub mod validate;

/// Exits with a usage error (exit 2), in clap's words and style.
pub fn usage_error(message: impl std::fmt::Display) -> ! {
    use clap::CommandFactory;
    crate::Cli::command()
        .error(clap::error::ErrorKind::ArgumentConflict, message)
        .exit()
}
