//! Phase 1, imports: reads the root pack and every pack it imports, parses each file, and
//! collects the packs' `[pack]` metadata.

use std::collections::HashSet;
use std::ops::Range;

use super::context::{Context, Parsed};
use crate::codes::Code;
use crate::model::PackMeta;
use crate::pack::doc::FileDoc;
use crate::pack::source::PackLoader;

/// Where an import was written: file and span (none for the root pack).
type ImportSite = Option<(usize, Range<usize>)>;

/// Reads pack `root` and its imports; returns the files that parsed, in reading order.
pub(super) fn read(cx: &mut Context, loader: &dyn PackLoader, root: &str) -> Vec<Parsed> {
    let mut docs = Vec::new();
    // depth-first over imports (a stack); each pack is read once
    let mut queue: Vec<(String, ImportSite)> = vec![(root.to_string(), None)];
    let mut seen = HashSet::new();
    while let Some((id, from)) = queue.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let Some(files) = loader.load(&id) else {
            match from {
                Some((f, span)) => cx.out.diag(
                    f,
                    span.start,
                    Code::PackImport,
                    msg!(
                        vi: format!("không tìm thấy bộ quy tắc được nhập `{id}`"),
                        en: format!("imported pack `{id}` not found"),
                    ),
                ),
                None => cx.out.diag_file(
                    id.clone(),
                    Code::PackNotFound,
                    msg!(
                        vi: format!("không tìm thấy bộ quy tắc `{id}` (thư mục có tệp .toml)"),
                        en: format!("rule pack `{id}` not found (a folder of .toml files)"),
                    ),
                ),
            }
            continue;
        };
        let mut has_meta = false;
        for (path, text) in files {
            let text = match text {
                Ok(t) => t,
                Err(e) => {
                    cx.out.diag_file(
                        path.clone(),
                        Code::PackRead,
                        msg!(
                            vi: format!("không đọc được tệp: {e}"),
                            en: format!("cannot read file: {e}"),
                        ),
                    );
                    continue;
                }
            };
            let fid = cx.out.add_file(path, text);
            match FileDoc::parse(cx.out.text(fid)) {
                Ok(doc) => {
                    if let Some(p) = &doc.pack {
                        has_meta = true;
                        if p.id.get_ref() != &id {
                            let pid = p.id.get_ref().clone();
                            cx.out.diag_at(
                                fid,
                                &p.id,
                                Code::PackId,
                                msg!(
                                    vi: format!("mã bộ quy tắc `{pid}` khác tên thư mục `{id}`"),
                                    en: format!("pack id `{pid}` differs from its folder name `{id}`"),
                                ),
                            );
                        }
                        for imp in &p.imports {
                            queue.push((imp.get_ref().clone(), Some((fid, imp.span()))));
                        }
                        cx.pack.meta.push(PackMeta {
                            id: p.id.get_ref().clone(),
                            version: p.version.clone(),
                            title: p.title.clone(),
                            document: p.document.clone(),
                            date: p.date.clone(),
                            issuer: p.issuer.clone(),
                            implements: p.implements.clone(),
                            jurisdiction: p.jurisdiction.clone(),
                            status: p.status.clone(),
                            imports: p.imports.iter().map(|i| i.get_ref().clone()).collect(),
                        });
                    }
                    docs.push(Parsed {
                        file: fid,
                        pack: id.clone(),
                        doc,
                    });
                }
                Err(errs) => {
                    for e in errs {
                        cx.out.diag(fid, e.span.start, e.code, e.message);
                    }
                }
            }
        }
        if !has_meta && cx.out.is_empty() {
            cx.out.diag_file(
                format!("{id}/pack.toml"),
                Code::PackMeta,
                msg!(
                    vi: "bộ quy tắc thiếu phần [pack] (id, version, document)",
                    en: "the pack has no [pack] table (id, version, document)",
                ),
            );
        }
    }
    docs
}
