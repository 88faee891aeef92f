//! Records on all cores, in order, in bounded memory.
//!
//! The reading thread cuts the input into chunks of [`CHUNK`] items and hands them to worker
//! threads through a bounded channel; each worker turns a chunk into output (bytes, or rows);
//! a writer thread puts the outputs back in input order and writes them. At most
//! `2 × workers` chunks are in flight (read and not yet written): a reader that runs ahead waits
//! for a token the writer gives back, so memory is bounded by that window whatever the size of
//! the input. When the output is closed (`| head`), the writer stops, and reading stops at the
//! next chunk.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Mutex;

/// Items per chunk: large enough that a chunk's handing over is cheap beside its work, small
/// enough that the window of chunks in flight stays a few megabytes.
pub const CHUNK: usize = 128;

/// How many worker threads: `HTX_RULES_THREADS` when set to a number (at least one), else the
/// machine's cores.
pub fn workers() -> usize {
    if let Some(n) = std::env::var("HTX_RULES_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
    {
        return n.max(1);
    }
    std::thread::available_parallelism()
        .map(std::num::NonZeroUsize::get)
        .unwrap_or(1)
}

/// Hands items to [`run`]'s workers.
pub struct Feeder<'a, I> {
    chunk: Vec<I>,
    seq: u64,
    work: &'a SyncSender<(u64, Vec<I>)>,
    tokens: &'a Receiver<()>,
    stop: &'a AtomicBool,
}

impl<I> Feeder<'_, I> {
    /// Adds an item (sent with the next [`CHUNK`] - 1); false when the output is closed and
    /// reading should stop.
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn push(&mut self, item: I) -> bool {
        self.chunk.push(item);
        if self.chunk.len() >= CHUNK {
            return self.send();
        }
        !self.stop.load(Ordering::Relaxed)
    }

    /// Sends an item at once, as a chunk of its own (an item that is a chunk already); false
    /// when the output is closed and reading should stop.
    pub fn push_now(&mut self, item: I) -> bool {
        self.send();
        self.chunk.push(item);
        self.send()
    }

    fn send(&mut self) -> bool {
        if self.chunk.is_empty() || self.stop.load(Ordering::Relaxed) {
            return !self.stop.load(Ordering::Relaxed);
        }
        // a token: one chunk more in flight (the writer gives it back once written, or
        // dropped after the output closed; a chunk read after that is dropped here)
        if self.tokens.recv().is_err() || self.stop.load(Ordering::Relaxed) {
            return false;
        }
        let chunk = std::mem::replace(&mut self.chunk, Vec::with_capacity(CHUNK));
        let ok = self.work.send((self.seq, chunk)).is_ok();
        self.seq += 1;
        ok
    }
}

/// Why the writer stopped early.
pub enum Stop<E> {
    /// The output was closed (a broken pipe): not an error.
    Closed,
    /// Writing failed.
    Failed(E),
}

/// Runs `read` on this thread, feeding items to `threads` workers that each make their state
/// with `init` and turn a chunk into an output with `work`; `write` gets the outputs in input
/// order on a writer thread. Returns what `read` returned and whether the writer stopped.
pub fn run<I, O, S, E, R>(
    threads: usize,
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, u64, Vec<I>) -> O + Sync,
    mut write: impl FnMut(O) -> Result<(), Stop<E>> + Send,
    read: impl FnOnce(&mut Feeder<'_, I>) -> R,
) -> (R, Option<Stop<E>>)
where
    I: Send,
    O: Send,
    E: Send,
{
    let threads = threads.max(1);
    let window = threads * 2;
    let (work_tx, work_rx) = sync_channel::<(u64, Vec<I>)>(window);
    let work_rx = Mutex::new(work_rx);
    let (out_tx, out_rx) = sync_channel::<(u64, O)>(window);
    let (token_tx, token_rx) = sync_channel::<()>(window);
    for _ in 0..window {
        let _ = token_tx.send(());
    }
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        for _ in 0..threads {
            let out_tx = out_tx.clone();
            let work_rx = &work_rx;
            let init = &init;
            let work = &work;
            s.spawn(move || {
                let mut state = init();
                loop {
                    let next = match work_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok((seq, chunk)) = next else { return };
                    let o = work(&mut state, seq, chunk);
                    if out_tx.send((seq, o)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(out_tx);
        let stop_ref = &stop;
        let writer = s.spawn(move || {
            let mut pending: BTreeMap<u64, O> = BTreeMap::new();
            let mut next = 0u64;
            let mut stopped: Option<Stop<E>> = None;
            for (seq, o) in out_rx.iter() {
                pending.insert(seq, o);
                while let Some(o) = pending.remove(&next) {
                    next += 1;
                    if stopped.is_none() {
                        if let Err(e) = write(o) {
                            stopped = Some(e);
                            stop_ref.store(true, Ordering::Relaxed);
                        }
                    }
                    let _ = token_tx.send(());
                }
            }
            stopped
        });
        let mut feeder = Feeder {
            chunk: Vec::with_capacity(CHUNK),
            seq: 0,
            work: &work_tx,
            tokens: &token_rx,
            stop: &stop,
        };
        let r = read(&mut feeder);
        feeder.send();
        drop(feeder);
        drop(work_tx);
        let stopped = writer.join().ok().flatten();
        (r, stopped)
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn order_is_kept_and_everything_is_written() {
        let mut seen = Vec::new();
        let (n, stop) = run::<u32, Vec<u32>, (), (), usize>(
            3,
            || (),
            |_, seq, chunk| {
                // later chunks finish first
                if seq % 3 == 0 {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
                chunk.into_iter().map(|x| x * 2).collect()
            },
            |o| {
                seen.extend(o);
                Ok(())
            },
            |f| {
                for i in 0..10_000u32 {
                    f.push(i);
                }
                10_000
            },
        );
        assert_eq!(n, 10_000);
        assert!(stop.is_none());
        assert_eq!(seen, (0..10_000u32).map(|x| x * 2).collect::<Vec<_>>());
    }

    #[test]
    fn a_closed_output_stops_reading() {
        let mut written = 0usize;
        let (read, stop) = run::<u32, usize, (), (), usize>(
            2,
            || (),
            |_, _, chunk| chunk.len(),
            |n| {
                written += n;
                if written > 3 * CHUNK {
                    Err(Stop::Closed)
                } else {
                    Ok(())
                }
            },
            |f| {
                let mut n = 0;
                for i in 0..10_000_000u32 {
                    n += 1;
                    if !f.push(i) {
                        break;
                    }
                }
                // a reader that does not listen must not hang either
                for i in 0..100_000u32 {
                    f.push(i);
                }
                n
            },
        );
        assert!(matches!(stop, Some(Stop::Closed)));
        assert!(read < 100 * CHUNK, "stopped reading early: {read}");
    }
}
