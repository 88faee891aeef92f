//! Where pack files come from: a folder on disk, strings handed in by a caller (the browser), or the
//! packs embedded in the library. One trait, so the checker never touches the file system itself.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Supplies the files of rule packs by pack id.
pub trait PackLoader {
    /// The `.toml` files of pack `id` as `(display path, text)`, sorted by path; `None` when no
    /// such pack exists. Errors reading a file are reported as a file whose text is `Err`.
    fn load(&self, id: &str) -> Option<Vec<(String, Result<String, String>)>>;
}

/// Packs in sibling folders on disk: pack `id` is the folder `base/id`.
#[derive(Clone, Debug)]
pub struct DirLoader {
    /// The folder holding one sub-folder per pack.
    pub base: PathBuf,
}

impl PackLoader for DirLoader {
    fn load(&self, id: &str) -> Option<Vec<(String, Result<String, String>)>> {
        if id.is_empty() || id.contains(['/', '\\']) || id.starts_with('.') {
            return None;
        }
        let dir = self.base.join(id);
        if !dir.is_dir() {
            return None;
        }
        let mut files = Vec::new();
        collect_toml(&dir, &mut files);
        files.sort();
        Some(
            files
                .into_iter()
                .map(|p| {
                    let text = std::fs::read_to_string(&p).map_err(|e| e.to_string());
                    (p.display().to_string(), text)
                })
                .collect(),
        )
    }
}

fn collect_toml(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let p = entry.path();
        if p.is_dir() {
            collect_toml(&p, out);
        } else if p.extension().is_some_and(|e| e == "toml") {
            out.push(p);
        }
    }
}

/// Packs held in memory: keys are `"pack-id/any/path.toml"`.
#[derive(Clone, Debug, Default)]
pub struct MemoryLoader {
    /// File path → text.
    pub files: BTreeMap<String, String>,
}

impl PackLoader for MemoryLoader {
    fn load(&self, id: &str) -> Option<Vec<(String, Result<String, String>)>> {
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
    fn load(&self, id: &str) -> Option<Vec<(String, Result<String, String>)>> {
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
