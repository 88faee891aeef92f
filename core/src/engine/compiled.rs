//! The compact binary form of a checked pack (feature `compiled`): what a build step writes
//! once ([`Engine::to_compiled_bytes`]) so that a small build — the browser's — loads the pack
//! without a TOML parser and without checking it again ([`Engine::from_compiled_bytes`]).
//!
//! The form is `MAGIC`, then (postcard) the engine that wrote it, the root pack's id and the
//! checked pack model. The engine is the crate version and a fingerprint of the library's
//! sources (`HTX_SOURCE_HASH`, from `build.rs`): the model's layout is the sources', so a form
//! written by any other build is refused with a clear error, never misread. A compiled form is a
//! build artefact, trusted like code: make it from the pack's sources in the same build (the
//! browser binding's `build.rs` does), never keep one in a repository.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{shapes_of, Engine, Origin};
use crate::codes::Code;
use crate::error::Error;
use crate::limits::PackLimits;
use crate::model::{EnumType, Pack};
use crate::text::Message;

/// The first bytes of every compiled pack.
const MAGIC: &[u8; 8] = b"HTXRPACK";

/// The engine a compiled pack must be read by: this crate's version and its sources'
/// fingerprint.
pub(crate) const ENGINE_BUILD: &str = concat!(
    "htx-rules ",
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("HTX_SOURCE_HASH"),
    ")"
);

/// What follows the engine's name: the root pack's id and the checked model.
#[derive(Serialize)]
struct Body<'a> {
    root: &'a str,
    pack: &'a Pack,
}

#[derive(Deserialize)]
struct OwnedBody {
    root: String,
    pack: Pack,
}

fn refused(message: Message) -> Error {
    Error::Input {
        line: 0,
        column: 0,
        field: None,
        code: Code::PackCompiled.as_str(),
        message,
    }
}

impl Engine {
    /// This engine's checked pack in a compact binary form, for [`Engine::from_compiled_bytes`]
    /// in a build of the same sources (feature `compiled`). The packs' own `[[test]]` cases
    /// and the reforms' sources are not in it (an engine read back can evaluate, validate,
    /// explain and report, but takes no further reform).
    ///
    /// ```
    /// let engine = htx_rules::Engine::embedded().unwrap();
    /// let bytes = engine.to_compiled_bytes().unwrap();
    /// let again = htx_rules::Engine::from_compiled_bytes(&bytes).unwrap();
    /// assert_eq!(again.decision_names("cooperative").unwrap(), engine.decision_names("cooperative").unwrap());
    /// ```
    pub fn to_compiled_bytes(&self) -> Result<Vec<u8>, Error> {
        let mut out = MAGIC.to_vec();
        let failed = |e: postcard::Error| {
            refused(msg!(
                vi: format!("Không ghi được gói luật đã biên dịch: {e}"),
                en: format!("Could not write the compiled pack: {e}"),
            ))
        };
        out = postcard::to_extend(ENGINE_BUILD, out).map_err(failed)?;
        let body = Body {
            root: &self.origin.root,
            pack: &self.pack,
        };
        postcard::to_extend(&body, out).map_err(failed)
    }

    /// An engine from a pack compiled by [`Engine::to_compiled_bytes`]: nothing is parsed or
    /// checked again. Bytes from another build of the engine (another version, other sources)
    /// or that are not a compiled pack are refused with the code `pack.compiled`.
    ///
    /// ```
    /// let err = htx_rules::Engine::from_compiled_bytes(b"[pack]\nid = \"p\"").unwrap_err();
    /// assert_eq!(err.code(), "pack.compiled");
    /// ```
    pub fn from_compiled_bytes(bytes: &[u8]) -> Result<Engine, Error> {
        let rest = bytes.strip_prefix(MAGIC.as_slice()).ok_or_else(|| {
            refused(msg!(
                vi: "Dữ liệu không phải là một gói luật đã biên dịch của htx-rules",
                en: "The bytes are not an htx-rules compiled pack",
            ))
        })?;
        let damaged = |e: postcard::Error| {
            refused(msg!(
                vi: format!("Gói luật đã biên dịch bị hỏng, không đọc được ({e}); hãy biên dịch lại từ các tệp của gói"),
                en: format!("The compiled pack is damaged and cannot be read ({e}); compile it again from the pack's files"),
            ))
        };
        let (engine, rest) = postcard::take_from_bytes::<&str>(rest).map_err(damaged)?;
        if engine != ENGINE_BUILD {
            return Err(refused(msg!(
                vi: format!(
                    "Gói luật đã biên dịch được tạo bởi {engine}, không dùng được với {ENGINE_BUILD}; hãy biên dịch lại gói bằng đúng phiên bản này"
                ),
                en: format!(
                    "The compiled pack was made by {engine} and cannot be read by {ENGINE_BUILD}; compile the pack again with this version"
                ),
            )));
        }
        let body: OwnedBody = postcard::from_bytes(rest).map_err(damaged)?;
        let mut pack = body.pack;
        reindex(&mut pack);
        Ok(Engine {
            shapes: shapes_of(&pack),
            pack,
            lowered: std::sync::OnceLock::new(),
            origin: Arc::new(Origin {
                root: body.root,
                limits: PackLimits::DEFAULT,
                packs: Vec::new(),
            }),
            reforms: Vec::new(),
        })
    }

    /// This engine (read from a compiled pack) with the files its packs were compiled from —
    /// the root pack and every pack it imports, by id, from `loader` — so that
    /// [`Engine::with_reform`] can check a reform against them. Nothing is parsed now; a reform
    /// is checked against these files, so give the ones the form was compiled from. A pack
    /// `loader` lacks is an error (`pack.compiled`).
    ///
    /// ```
    /// use htx_rules::{pack::{source::EmbeddedLoader, Reform}, Engine};
    /// let bytes = Engine::embedded().unwrap().to_compiled_bytes().unwrap();
    /// let engine = Engine::from_compiled_bytes(&bytes).unwrap().with_sources(&EmbeddedLoader).unwrap();
    /// let r = Reform::from_json(&serde_json::json!({ "htx_min_members": 7 })).unwrap();
    /// assert_eq!(engine.with_reform(&r).unwrap().reforms().len(), 1);
    /// ```
    pub fn with_sources(
        self,
        loader: &dyn crate::pack::source::PackLoader,
    ) -> Result<Engine, Error> {
        let limits = self.origin.limits;
        let mut packs = Vec::new();
        for meta in &self.pack.meta {
            let files = loader.load(&meta.id, &limits).ok_or_else(|| {
                refused(msg!(
                    vi: format!("Không tìm thấy các tệp của gói luật {} để kiểm tra cải cách", meta.id),
                    en: format!("The files of pack {} are not there to check reforms against", meta.id),
                ))
            })?;
            packs.push((meta.id.clone(), files));
        }
        Ok(Engine {
            origin: Arc::new(Origin {
                root: self.origin.root.clone(),
                limits,
                packs,
            }),
            ..self
        })
    }
}

/// The name indexes the compiled form leaves out (they follow from the lists, and a hash
/// map's order would make the bytes differ from one run to the next).
fn reindex(pack: &mut Pack) {
    fn names<'a>(it: impl Iterator<Item = &'a String>) -> HashMap<String, usize> {
        it.enumerate().map(|(i, n)| (n.clone(), i)).collect()
    }
    for e in &mut pack.enums {
        e.index = EnumType::index_of(&e.values);
        e.texts = e
            .values
            .iter()
            .map(|v| std::sync::Arc::from(v.as_str()))
            .collect();
    }
    for r in &mut pack.records {
        r.by_name = names(r.fields.iter().map(|f| &f.name));
    }
    for er in &mut pack.entities {
        er.by_name = names(er.rules.iter().map(|r| &r.name));
    }
    pack.entity_by_name = names(pack.entities.iter().map(|e| &e.name));
    pack.param_by_name = names(pack.params.iter().map(|p| &p.name));
    pack.group_by_name = names(pack.groups.iter().map(|g| &g.name));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_rebuilt_equal_the_checkers() {
        let engine = Engine::embedded().unwrap();
        let again = Engine::from_compiled_bytes(&engine.to_compiled_bytes().unwrap()).unwrap();
        let (a, b) = (&engine.pack, &again.pack);
        assert_eq!(a.entity_by_name, b.entity_by_name);
        assert_eq!(a.param_by_name, b.param_by_name);
        assert_eq!(a.group_by_name, b.group_by_name);
        for (x, y) in a.enums.iter().zip(&b.enums) {
            assert_eq!(x.index, y.index);
        }
        for (x, y) in a.records.iter().zip(&b.records) {
            assert_eq!(x.by_name, y.by_name, "record {}", x.name);
        }
        for (x, y) in a.entities.iter().zip(&b.entities) {
            assert_eq!(x.by_name, y.by_name, "entity {}", x.name);
        }
    }

    #[test]
    fn the_bytes_are_the_same_every_time() {
        // no hash map order in them: a build gives the same file every time, and a model
        // field written out of step (a skipped `None`) would not read back to the same bytes
        let engine = Engine::embedded().unwrap();
        let bytes = engine.to_compiled_bytes().unwrap();
        assert_eq!(
            bytes,
            Engine::embedded().unwrap().to_compiled_bytes().unwrap()
        );
        let again = Engine::from_compiled_bytes(&bytes).unwrap();
        assert_eq!(again.to_compiled_bytes().unwrap(), bytes);
    }

    #[test]
    fn another_engine_build_is_refused_in_both_languages() {
        let bytes = Engine::embedded().unwrap().to_compiled_bytes().unwrap();
        // the same pack as another build would write it: only the engine's name differs
        let other = "htx-rules 0.0.9 (0123456789abcdef)";
        let mut forged = MAGIC.to_vec();
        forged = postcard::to_extend(other, forged).unwrap();
        let (_, rest) =
            postcard::take_from_bytes::<&str>(bytes.strip_prefix(MAGIC.as_slice()).unwrap())
                .unwrap();
        forged.extend_from_slice(rest);
        let err = Engine::from_compiled_bytes(&forged).unwrap_err();
        assert_eq!(err.code(), "pack.compiled");
        let m = err.message();
        assert!(
            m.vi.contains(other) && m.vi.contains(ENGINE_BUILD),
            "{}",
            m.vi
        );
        assert!(m.en.contains("cannot be read by htx-rules"), "{}", m.en);
        // cut short: damaged, not a panic
        let err = Engine::from_compiled_bytes(&bytes[..bytes.len() / 2]).unwrap_err();
        assert_eq!(err.code(), "pack.compiled");
        assert!(err.message().en.contains("damaged"));
        assert!(Engine::from_compiled_bytes(b"").is_err());
    }

    #[test]
    fn a_reform_needs_the_sources() {
        let bytes = Engine::embedded().unwrap().to_compiled_bytes().unwrap();
        let engine = Engine::from_compiled_bytes(&bytes).unwrap();
        let reform = crate::pack::Reform::from_toml(
            "r.toml",
            "[reform]\nid = \"r\"\ntitle = { vi = \"r\", en = \"r\" }\ncite = { document = \"d\", section = \"1\" }\n\n[[parameter]]\nname = \"htx_min_members\"\nvalues = [{ from = \"2024-07-01\", value = 7 }]\n",
        );
        let err = engine.with_reform(&reform).unwrap_err();
        assert_eq!(err.code(), "reform.compiled");
        assert!(
            err.message().en.contains("compiled"),
            "{}",
            err.message().en
        );
    }
}
