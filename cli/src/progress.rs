//! The progress bar of long batches: on standard error, only when it is a terminal, never with
//! `--quiet`, never while the results themselves are printed on the same terminal, and only once
//! a batch has run for a while (a file of a few records never shows one). It is cleared before
//! anything else is printed.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a batch runs before its bar appears.
pub const DELAY: Duration = Duration::from_millis(1500);

/// Whether a bar may be shown at all: standard error is a terminal, not `--quiet`, and the
/// results do not go to a terminal (they go to a pipe or a file).
pub fn wanted(quiet: bool, stderr_tty: bool, results_stream_to_tty: bool) -> bool {
    !quiet && stderr_tty && !results_stream_to_tty
}

/// A bar that stays hidden until [`DELAY`] has passed.
pub struct Progress {
    bar: Option<ProgressBar>,
    start: Instant,
    shown: bool,
}

impl Progress {
    /// A bar over `len` bytes of input (0: unknown), when [`wanted`].
    pub fn new(quiet: bool, results_stream_to_tty: bool, len: u64) -> Progress {
        let on = wanted(
            quiet,
            std::io::stderr().is_terminal(),
            results_stream_to_tty,
        );
        let bar = on.then(|| {
            // with the input's size, a bar; without (standard input), a spinner and the count
            let (len, template) = if len > 0 {
                (
                    Some(len),
                    "{bar:30} {percent:>3}% {msg} · {elapsed_precise} (còn/eta {eta})",
                )
            } else {
                (None, "{spinner} {msg} · {elapsed_precise}")
            };
            let pb = ProgressBar::with_draw_target(len, ProgressDrawTarget::hidden());
            pb.set_style(
                ProgressStyle::with_template(template)
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            pb
        });
        Progress {
            bar,
            start: Instant::now(),
            shown: false,
        }
    }

    /// Records done so far and bytes read so far.
    pub fn update(&mut self, records: usize, bytes: u64) {
        let Some(pb) = &self.bar else { return };
        if !self.shown && self.start.elapsed() >= DELAY {
            pb.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
        if self.shown {
            pb.set_position(bytes);
            pb.set_message(format!("{records} bản ghi / records"));
        }
    }

    /// Clears the bar (before the results or a summary are printed).
    pub fn clear(&mut self) {
        if let Some(pb) = self.bar.take() {
            pb.finish_and_clear();
        }
    }

    /// Whether the bar was ever drawn.
    pub fn was_shown(&self) -> bool {
        self.shown
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_only_where_it_helps() {
        assert!(wanted(false, true, false));
        assert!(!wanted(true, true, false), "--quiet");
        assert!(!wanted(false, false, false), "stderr is a pipe");
        assert!(
            !wanted(false, true, true),
            "results stream to the same terminal"
        );
        // a bar that is wanted stays hidden for the first records
        let mut p = Progress {
            bar: Some(ProgressBar::hidden()),
            start: Instant::now(),
            shown: false,
        };
        p.update(1, 10);
        assert!(!p.was_shown());
        p.start = Instant::now() - DELAY;
        p.update(2, 20);
        assert!(p.was_shown());
    }
}
