//! Which pack sources an engine was loaded from, kept so that an `Engine` can be pickled as its
//! sources and rebuilt elsewhere (a worker process) exactly as it was: the files are recorded
//! while the core's own loaders read them, not read a second time.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use htx_rules::limits::PackLimits;
use htx_rules::pack::source::{DirLoader, MemoryLoader, PackFiles, PackLoader};
use htx_rules::{Engine, Error};

/// Where an engine's packs came from.
pub enum Source {
    /// The packs compiled into the library (nothing to carry: every copy has them).
    Embedded,
    /// `"pack-id/file.toml" -> text` of every file loaded, and the root pack's id.
    Files {
        files: BTreeMap<String, String>,
        root: String,
    },
}

/// A loader that remembers the text of every file it hands to the core, keyed
/// `"pack-id/relative/path.toml"`.
struct Recording<'a> {
    inner: &'a dyn PackLoader,
    /// The folder the pack folders sit in, for loaders that report full paths.
    base: Option<PathBuf>,
    files: RefCell<BTreeMap<String, String>>,
}

impl Recording<'_> {
    fn key(&self, id: &str, path: &str) -> String {
        let rel = self
            .base
            .as_ref()
            .and_then(|b| Path::new(path).strip_prefix(b.join(id)).ok())
            .map(|p| {
                p.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/")
            });
        match rel {
            Some(rel) => format!("{id}/{rel}"),
            None => path.to_owned(),
        }
    }
}

impl PackLoader for Recording<'_> {
    fn load(&self, id: &str, limits: &PackLimits) -> Option<PackFiles> {
        let files = self.inner.load(id, limits)?;
        let mut seen = self.files.borrow_mut();
        for (path, text) in &files {
            if let Ok(text) = text {
                seen.insert(self.key(id, path), text.clone());
            }
        }
        Some(files)
    }
}

/// `Engine::from_dir`, recording the files read (the pack folder and the sibling folders of
/// the packs it imports).
pub fn from_dir(path: &Path) -> Result<(Engine, Source), Error> {
    // the same folder and id as `Engine::from_dir`
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let root = abs
        .file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let base = abs.parent().map(Path::to_path_buf).unwrap_or_default();
    let dir = DirLoader { base: base.clone() };
    let rec = Recording {
        inner: &dir,
        base: Some(base),
        files: RefCell::new(BTreeMap::new()),
    };
    let engine = Engine::from_loader(&rec, &root)?;
    Ok((
        engine,
        Source::Files {
            files: rec.files.into_inner(),
            root,
        },
    ))
}

/// `Engine::from_sources`, keeping only the files the packs actually used.
pub fn from_sources(
    files: BTreeMap<String, String>,
    root: &str,
) -> Result<(Engine, Source), Error> {
    let mem = MemoryLoader { files };
    let rec = Recording {
        inner: &mem,
        base: None,
        files: RefCell::new(BTreeMap::new()),
    };
    let engine = Engine::from_loader(&rec, root)?;
    Ok((
        engine,
        Source::Files {
            files: rec.files.into_inner(),
            root: root.to_owned(),
        },
    ))
}
