//! What a person calls a field: the pack's labels (from `Engine::fields`), never a JSON
//! Pointer. `/workers/female` → "Lao động › Số nữ"; `/managers/0/role` → "Người quản lý 1 ›
//! Chức danh".

use std::collections::HashMap;

use htx_rules::{FieldInfo, Lang, Message};

/// The labels of one entity's fields, by JSON Pointer.
pub struct Labels {
    by_pointer: HashMap<String, (Message, Vec<FieldInfo>)>,
}

fn label_of(f: &FieldInfo) -> Message {
    f.label
        .clone()
        .unwrap_or_else(|| Message::new(f.name.clone(), f.name.clone()))
}

impl Labels {
    /// The labels of `fields` (an entity's, flattened).
    pub fn new(fields: &[FieldInfo]) -> Labels {
        let mut by_pointer = HashMap::new();
        for f in fields {
            by_pointer.insert(f.pointer.clone(), (label_of(f), f.items.clone()));
        }
        Labels { by_pointer }
    }

    /// The field at `pointer`, written with labels in `lang`: each record level's label, and
    /// a list item's number counted from 1. Parts the schema does not know stay as written.
    pub fn describe(&self, pointer: &str, lang: Lang) -> String {
        if pointer.is_empty() || pointer == "/" {
            return String::new();
        }
        let segs: Vec<String> = pointer
            .trim_start_matches('/')
            .split('/')
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .collect();
        let mut parts: Vec<String> = Vec::new();
        let mut prefix = String::new();
        let mut i = 0;
        while let Some(seg) = segs.get(i) {
            prefix.push('/');
            prefix.push_str(seg);
            match self.by_pointer.get(&prefix) {
                Some((label, items)) => {
                    // the part shows the whole path so far: `workers.female`'s label is "Số nữ"
                    // and its record's is "Lao động"
                    let mut part = label.get(lang).to_string();
                    if let Some(n) = segs.get(i + 1).and_then(|s| s.parse::<usize>().ok()) {
                        part = format!("{part} {}", n.saturating_add(1));
                        i += 1;
                        if !items.is_empty() {
                            // the rest of the pointer is inside one item
                            let rest: Vec<String> = segs.get(i + 1..).unwrap_or_default().to_vec();
                            let inner = Labels::new(items);
                            let tail = inner.describe(&format!("/{}", rest.join("/")), lang);
                            parts.push(part);
                            if !tail.is_empty() {
                                parts.push(tail);
                            }
                            return parts.join(" › ");
                        }
                    }
                    parts.push(part);
                }
                None => parts.push(seg.clone()),
            }
            i += 1;
        }
        parts.join(" › ")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn pointers_become_labels() {
        let engine = htx_rules::Engine::embedded().unwrap();
        let l = Labels::new(&engine.fields("cooperative").unwrap());
        let w = l.describe("/workers/female", Lang::Vi);
        assert!(w.contains(" › Số nữ") && !w.contains('/'), "{w}");
        let m = l.describe("/managers/0/role", Lang::En);
        assert!(m.contains(" 1 › ") && !m.contains("/"), "{m}");
        assert_eq!(l.describe("/phone", Lang::Vi), "phone");
    }
}
