//! Phase 7, infos: the `[[info]]` topics `explain` can show (funding sources,
//! responsibilities), each named once.

use super::context::{cite, Context, Names, Parsed, What};
use crate::model::Info;

/// Collects the information topics of every file.
pub(super) fn check(cx: &mut Context, docs: &[Parsed]) {
    let mut names = Names::new(What::Info);
    for d in docs {
        for i in &d.doc.info {
            if names.declare(&mut cx.out, d.file, &i.name).is_none() {
                continue;
            }
            cx.pack.infos.push(Info {
                name: i.name.get_ref().clone(),
                title: i.title.clone(),
                cite: i.cite.as_ref().map(cite),
                items: i.items.clone(),
                pack: d.pack.clone(),
            });
        }
    }
}
