//! Phase 1, imports: reads the root pack and every pack it imports, parses each file, and
//! collects the packs' `[pack]` metadata. Here the volume caps of [`PackLimits`] are held:
//! bytes, files, packs, import depth and rules (a pack over one is not checked further), and
//! import cycles are reported with their chain.
//!
//! [`PackLimits`]: crate::limits::PackLimits

use std::collections::HashMap;
use std::ops::Range;

use super::context::{Context, Parsed};
use crate::codes::Code;
use crate::model::PackMeta;
use crate::pack::doc::FileDoc;
use crate::pack::source::{count, too_big, too_many_bytes, too_many_files, PackLoader};

/// Where an import was written: file and span (none for the root pack).
type ImportSite = Option<(usize, Range<usize>)>;

/// A pack read: its id and the imports its files name (target id, where written).
struct Read {
    id: String,
    imports: Vec<(String, usize, Range<usize>)>,
}

/// Reads pack `root` and its imports; returns the files that parsed, in reading order.
pub(super) fn read(cx: &mut Context, loader: &dyn PackLoader, root: &str) -> Vec<Parsed> {
    let limits = cx.limits;
    let mut docs = Vec::new();
    let mut packs: Vec<Read> = Vec::new();
    // depth-first over imports (a stack); each pack is read once; `usize` is the import depth
    let mut queue: Vec<(String, ImportSite, usize)> = vec![(root.to_string(), None, 0)];
    let mut seen: HashMap<String, usize> = HashMap::new();
    let (mut files, mut bytes, mut rules) = (0usize, 0u64, 0usize);
    'packs: while let Some((id, from, depth)) = queue.pop() {
        if seen.contains_key(&id) {
            continue;
        }
        if let Some((f, span)) = &from {
            let over = if depth > limits.import_depth {
                Some(msg!(
                    vi: format!(
                        "các bộ quy tắc nhập nhau lồng quá {} cấp (`{id}`)",
                        limits.import_depth,
                    ),
                    en: format!(
                        "imports nested more than {} levels deep (`{id}`)",
                        limits.import_depth,
                    ),
                ))
            } else if packs.len() >= limits.packs {
                Some(msg!(
                    vi: format!(
                        "quá nhiều bộ quy tắc được nhập: tối đa {} bộ (`{id}` không được đọc)",
                        limits.packs,
                    ),
                    en: format!(
                        "too many packs imported: at most {} in all (`{id}` is not read)",
                        limits.packs,
                    ),
                ))
            } else {
                None
            };
            if let Some(m) = over {
                cx.out.diag(*f, span.start, Code::PackLimit, m);
                cx.over_limit = true;
                break 'packs;
            }
        }
        let Some(loaded) = loader.load(&id, &limits) else {
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
        seen.insert(id.clone(), packs.len());
        packs.push(Read {
            id: id.clone(),
            imports: Vec::new(),
        });
        let mut has_meta = false;
        for (path, text) in loaded {
            let text = match text {
                Ok(t) => t,
                Err(e) => {
                    cx.over_limit |= e.code == Code::PackLimit;
                    cx.out.diag_file(path, e.code, e.message);
                    continue;
                }
            };
            // the caps again, whatever the loader: one file, all files, all bytes
            files += 1;
            bytes += text.len() as u64;
            let refused = if files > limits.files {
                Some(too_many_files(limits.files))
            } else if text.len() as u64 > limits.file_bytes {
                Some(too_big(text.len() as u64, limits.file_bytes))
            } else if bytes > limits.total_bytes {
                Some(too_many_bytes(limits.total_bytes))
            } else {
                None
            };
            if let Some(e) = refused {
                cx.out.diag_file(path, e.code, e.message);
                cx.over_limit = true;
                break 'packs;
            }
            let fid = cx.out.add_file(path, text);
            match FileDoc::parse(cx.out.text(fid), &limits) {
                Ok(doc) => {
                    rules += doc.rule.len();
                    if rules > limits.rules {
                        let first_over = doc.rule.len().saturating_sub(rules - limits.rules);
                        if let Some(r) = doc.rule.get(first_over) {
                            cx.out.diag_at(
                                fid,
                                &r.name,
                                Code::PackLimit,
                                msg!(
                                    vi: format!(
                                        "quá nhiều quy tắc: các bộ quy tắc tối đa {} quy tắc",
                                        count(limits.rules as u64, true),
                                    ),
                                    en: format!(
                                        "too many rules: packs may have at most {} rules in all",
                                        count(limits.rules as u64, false),
                                    ),
                                ),
                            );
                        }
                        cx.over_limit = true;
                        break 'packs;
                    }
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
                            let target = imp.get_ref().clone();
                            if let Some(read) = packs.last_mut() {
                                read.imports.push((target.clone(), fid, imp.span()));
                            }
                            queue.push((target, Some((fid, imp.span())), depth + 1));
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
    cycles(cx, &packs, &seen);
    docs
}

/// Reports every import that closes a cycle (`a` imports `b`, which imports `a`), at the
/// import that closes it, with the chain. Iterative: import chains cannot exhaust the stack.
fn cycles(cx: &mut Context, packs: &[Read], index: &HashMap<String, usize>) {
    // 0 = not visited, 1 = on the current path, 2 = done
    let mut state = vec![0u8; packs.len()];
    let mut path: Vec<usize> = Vec::new();
    for start in 0..packs.len() {
        if state.get(start) != Some(&0) {
            continue;
        }
        // (pack, next import to look at)
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        if let Some(s) = state.get_mut(start) {
            *s = 1;
        }
        path.push(start);
        while let Some(top) = stack.last_mut() {
            let (p, k) = *top;
            top.1 += 1;
            let Some((target, fid, span)) = packs.get(p).and_then(|r| r.imports.get(k)) else {
                if let Some(s) = state.get_mut(p) {
                    *s = 2;
                }
                stack.pop();
                path.pop();
                continue;
            };
            let Some(&t) = index.get(target) else {
                continue;
            };
            match state.get(t) {
                Some(0) => {
                    if let Some(s) = state.get_mut(t) {
                        *s = 1;
                    }
                    stack.push((t, 0));
                    path.push(t);
                }
                Some(1) => {
                    let from = path.iter().position(|&x| x == t).unwrap_or(0);
                    let mut chain: Vec<&str> = path
                        .get(from..)
                        .unwrap_or(&[])
                        .iter()
                        .filter_map(|&i| packs.get(i).map(|r| r.id.as_str()))
                        .collect();
                    chain.push(target);
                    let chain = chain.join(" → ");
                    cx.out.diag(
                        *fid,
                        span.start,
                        Code::PackImportCycle,
                        msg!(
                            vi: format!("các bộ quy tắc nhập nhau vòng tròn: {chain}"),
                            en: format!("packs import each other in a cycle: {chain}"),
                        ),
                    );
                }
                _ => {}
            }
        }
    }
}
