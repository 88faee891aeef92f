//! Where pack files come from: a folder on disk, strings handed in by a caller (the browser), or the
//! packs embedded in the library. One trait, so the checker never touches the file system itself.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::codes::Code;
use crate::limits::{self, PackLimits};
use crate::text::Message;

/// Why a pack file was not read: a stable code and a message for the pack's author.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileError {
    /// [`Code::PackRead`], [`Code::PackFileType`] or [`Code::PackLimit`].
    pub code: Code,
    /// What is wrong, in Vietnamese and English.
    pub message: Message,
}

impl FileError {
    /// A file that could not be read (an I/O error, or text that is not UTF-8).
    pub fn read(why: impl std::fmt::Display) -> FileError {
        FileError {
            code: Code::PackRead,
            message: msg!(
                vi: format!("không đọc được tệp: {why}"),
                en: format!("cannot read file: {why}"),
            ),
        }
    }
}

/// The files of one pack: `(display path, text or why it was not read)`, sorted by path.
pub type PackFiles = Vec<(String, Result<String, FileError>)>;

/// Supplies the files of rule packs by pack id.
pub trait PackLoader {
    /// The `.toml` files of pack `id`, sorted by path; `None` when no such pack exists. A
    /// loader that reads files itself keeps within `limits` (file size, file count, total
    /// bytes) and reports a file it refused or could not read as an `Err` text; the checker
    /// checks the limits again on whatever it is given.
    fn load(&self, id: &str, limits: &PackLimits) -> Option<PackFiles>;
}

/// Packs in sibling folders on disk: pack `id` is the folder `base/id`.
///
/// Only regular files inside the pack folder are read: a symbolic link (to a file or a
/// folder, wherever it points), a FIFO, a socket or a device named `*.toml` is reported and
/// not opened, so a pack cannot make the loader read outside its folder, block, or walk a
/// link cycle. Folders nest at most [`limits::DIR_DEPTH`] deep; files, bytes and the entries
/// looked at are capped by [`PackLimits`]. (The pack folder itself may be a link: whoever
/// names it chose it.)
#[derive(Clone, Debug)]
pub struct DirLoader {
    /// The folder holding one sub-folder per pack.
    pub base: PathBuf,
}

impl PackLoader for DirLoader {
    fn load(&self, id: &str, limits: &PackLimits) -> Option<PackFiles> {
        if id.is_empty() || id.contains(['/', '\\']) || id.starts_with('.') {
            return None;
        }
        let dir = self.base.join(id);
        if !dir.is_dir() {
            return None;
        }
        let (paths, mut out) = walk(&dir, limits);
        let (mut files, mut total) = (0usize, 0u64);
        for p in paths {
            let shown = p.display().to_string();
            files += 1;
            if files > limits.files {
                out.push((shown, Err(too_many_files(limits.files))));
                break;
            }
            let text = read_capped(&p, limits.file_bytes);
            if let Ok(t) = &text {
                total += t.len() as u64;
                if total > limits.total_bytes {
                    out.push((shown, Err(too_many_bytes(limits.total_bytes))));
                    break;
                }
            }
            out.push((shown, text));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Some(out)
    }
}

/// The regular `.toml` files under `dir` (sorted), and the entries refused on the way.
fn walk(dir: &Path, limits: &PackLimits) -> (Vec<PathBuf>, PackFiles) {
    let (mut paths, mut refused) = (Vec::new(), Vec::new());
    let mut entries_seen = 0usize;
    // depth-first with an explicit stack: no recursion, whatever the folder holds
    let mut stack = vec![(dir.to_path_buf(), 0usize)];
    'walk: while let Some((d, depth)) = stack.pop() {
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) => {
                // a folder of the pack that cannot be read would silently drop its rules
                refused.push((d.display().to_string(), Err(FileError::read(e))));
                continue;
            }
        };
        for entry in entries.flatten() {
            entries_seen += 1;
            if entries_seen > limits.dir_entries {
                refused.push((
                    dir.display().to_string(),
                    Err(FileError {
                        code: Code::PackLimit,
                        message: msg!(
                            vi: format!(
                                "thư mục bộ quy tắc có hơn {} mục; các tệp còn lại không được đọc",
                                count(limits.dir_entries as u64, true),
                            ),
                            en: format!(
                                "the pack folder holds more than {} entries; the rest are not read",
                                count(limits.dir_entries as u64, false),
                            ),
                        ),
                    }),
                ));
                break 'walk;
            }
            let p = entry.path();
            // the entry itself, not what a link points to
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let toml = p.extension().is_some_and(|e| e == "toml");
            if kind.is_symlink() {
                // a link named *.toml, or one to a folder, would have been read: say so
                if toml || p.is_dir() {
                    refused.push((p.display().to_string(), Err(symlink())));
                }
            } else if kind.is_dir() {
                if depth < limits::DIR_DEPTH {
                    stack.push((p, depth + 1));
                } else {
                    refused.push((p.display().to_string(), Err(too_deep())));
                }
            } else if toml {
                if kind.is_file() {
                    paths.push(p);
                } else {
                    refused.push((p.display().to_string(), Err(not_regular())));
                }
            }
        }
    }
    paths.sort();
    (paths, refused)
}

/// A regular file's text, reading at most `max` bytes (and one more to know it is longer).
fn read_capped(p: &Path, max: u64) -> Result<String, FileError> {
    let f = File::open(p).map_err(FileError::read)?;
    // the file opened, not the name (which could have been swapped since the walk)
    let meta = f.metadata().map_err(FileError::read)?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    if meta.len() > max {
        return Err(too_big(meta.len(), max));
    }
    let mut buf = Vec::new();
    f.take(max.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(FileError::read)?;
    if buf.len() as u64 > max {
        return Err(too_big(buf.len() as u64, max));
    }
    String::from_utf8(buf).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        FileError {
            code: Code::PackRead,
            message: msg!(
                vi: format!("tệp không phải văn bản UTF-8 (byte thứ {})", at + 1),
                en: format!("the file is not UTF-8 text (at byte {})", at + 1),
            ),
        }
    })
}

fn symlink() -> FileError {
    FileError {
        code: Code::PackFileType,
        message: msg!(
            vi: "đây là một liên kết (symbolic link), không được đọc: tệp của bộ quy tắc phải là tệp thường nằm trong thư mục của nó",
            en: "this is a symbolic link and is not read: pack files must be regular files inside the pack folder",
        ),
    }
}

fn not_regular() -> FileError {
    FileError {
        code: Code::PackFileType,
        message: msg!(
            vi: "đây không phải tệp thường (FIFO, socket hoặc thiết bị), không được đọc",
            en: "this is not a regular file (a FIFO, socket or device) and is not read",
        ),
    }
}

fn too_deep() -> FileError {
    FileError {
        code: Code::PackLimit,
        message: msg!(
            vi: format!(
                "thư mục lồng quá {} cấp trong bộ quy tắc; không được đọc",
                limits::DIR_DEPTH,
            ),
            en: format!(
                "a folder more than {} levels deep inside the pack; not read",
                limits::DIR_DEPTH,
            ),
        ),
    }
}

/// A file over [`PackLimits::file_bytes`].
pub(crate) fn too_big(size: u64, max: u64) -> FileError {
    FileError {
        code: Code::PackLimit,
        message: msg!(
            vi: format!(
                "tệp quá lớn: {}; mỗi tệp của bộ quy tắc tối đa {}",
                bytes(size, true),
                bytes(max, true),
            ),
            en: format!(
                "the file is too large: {}; a pack file may have at most {}",
                bytes(size, false),
                bytes(max, false),
            ),
        ),
    }
}

/// Files past [`PackLimits::files`].
pub(crate) fn too_many_files(max: usize) -> FileError {
    FileError {
        code: Code::PackLimit,
        message: msg!(
            vi: format!(
                "quá nhiều tệp: các bộ quy tắc tối đa {} tệp .toml; tệp này và các tệp sau không được đọc",
                count(max as u64, true),
            ),
            en: format!(
                "too many files: packs may have at most {} .toml files; this one and the rest are not read",
                count(max as u64, false),
            ),
        ),
    }
}

/// Bytes past [`PackLimits::total_bytes`].
pub(crate) fn too_many_bytes(max: u64) -> FileError {
    FileError {
        code: Code::PackLimit,
        message: msg!(
            vi: format!(
                "các tệp của bộ quy tắc cộng lại vượt {}; tệp này và các tệp sau không được đọc",
                bytes(max, true),
            ),
            en: format!(
                "the pack files together exceed {}; this one and the rest are not read",
                bytes(max, false),
            ),
        ),
    }
}

/// A count with thousands grouped (`10.000` in Vietnamese, `10,000` in English).
pub(crate) fn count(n: u64, vi: bool) -> String {
    let digits = n.to_string();
    let sep = if vi { '.' } else { ',' };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// A size: whole MiB or KiB when it is one, else bytes.
pub(crate) fn bytes(n: u64, vi: bool) -> String {
    if n >= 1 << 20 && n % (1 << 20) == 0 {
        format!("{} MiB", count(n >> 20, vi))
    } else if n >= 1 << 10 && n % (1 << 10) == 0 {
        format!("{} KiB", count(n >> 10, vi))
    } else {
        format!(
            "{} byte{}",
            count(n, vi),
            if vi || n == 1 { "" } else { "s" }
        )
    }
}

/// Packs held in memory: keys are `"pack-id/any/path.toml"`.
#[derive(Clone, Debug, Default)]
pub struct MemoryLoader {
    /// File path → text.
    pub files: BTreeMap<String, String>,
}

impl PackLoader for MemoryLoader {
    fn load(&self, id: &str, _limits: &PackLimits) -> Option<PackFiles> {
        let prefix = format!("{id}/");
        let files: Vec<_> = self
            .files
            .iter()
            .filter(|(k, _)| k.starts_with(&prefix) && k.ends_with(".toml"))
            .map(|(k, v)| (k.clone(), Ok(v.clone())))
            .collect();
        if files.is_empty() {
            None
        } else {
            Some(files)
        }
    }
}

/// The packs compiled into the library (the `rules/` folder of the repository).
pub struct EmbeddedLoader;

include!(concat!(env!("OUT_DIR"), "/embedded_packs.rs"));

impl PackLoader for EmbeddedLoader {
    fn load(&self, id: &str, _limits: &PackLimits) -> Option<PackFiles> {
        let prefix = format!("{id}/");
        let files: Vec<_> = EMBEDDED
            .iter()
            .filter(|(k, _)| k.starts_with(&prefix))
            .map(|(k, v)| (format!("rules/{k}"), Ok((*v).to_string())))
            .collect();
        if files.is_empty() {
            None
        } else {
            Some(files)
        }
    }
}

/// The files of every embedded pack, as `("pack-id/file.toml", text)`.
pub fn embedded_files() -> &'static [(&'static str, &'static str)] {
    EMBEDDED
}
