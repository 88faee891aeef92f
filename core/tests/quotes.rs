//! Every `wording` of the Bến Tre pack is the plan's own text: found, character for character,
//! in the section the citation names (`rules/ben-tre-2747/source/2747-KH-UBND.txt`). " … " marks
//! words left out; nothing may be added inside a quotation.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The plan split by section: `I.2`, `II.1.b`, `III.4`, `IV`, `V.11`, and `V-end` for the closing
/// paragraph after V.11 (unnumbered).
fn sections(text: &str) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    let (mut cur, mut roman) = ("head".to_string(), String::new());
    for line in text.lines() {
        let head = line.split(' ').next().unwrap_or("");
        if let Some(r) = head
            .strip_suffix('.')
            .filter(|r| !r.is_empty() && r.chars().all(|c| matches!(c, 'I' | 'V' | 'X')))
        {
            roman = r.to_string();
            cur = roman.clone();
        } else if let Some(n) = head
            .strip_suffix('.')
            .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        {
            if !roman.is_empty() {
                cur = format!("{roman}.{n}");
            }
        } else if roman == "II" && (head == "a)" || head == "b)") {
            cur = format!("II.1.{}", &head[..1]);
        }
        if line.starts_with("Trên đây là kế hoạch") {
            cur = "V-end".into();
        }
        let s = out.entry(cur.clone()).or_default();
        s.push_str(line);
        s.push('\n');
    }
    out
}

/// The text of the sections a citation names (`"I.2; III.3"`, `"V, đoạn kết (sau V.11)"`).
fn cited(secs: &BTreeMap<String, String>, section: &str) -> String {
    let mut out = String::new();
    for part in section.split(';').map(str::trim) {
        let key = if part.starts_with("V, đoạn kết") {
            "V-end"
        } else {
            part
        };
        for (k, v) in secs {
            if k == key || k.starts_with(&format!("{key}.")) {
                out.push_str(v);
            }
        }
    }
    out
}

/// A TOML document as JSON (strings, arrays and tables are all this test reads).
fn json(v: &toml::de::DeValue<'_>) -> serde_json::Value {
    use toml::de::DeValue;
    match v {
        DeValue::String(s) => serde_json::Value::String(s.to_string()),
        DeValue::Array(a) => a.iter().map(|x| json(x.get_ref())).collect(),
        DeValue::Table(t) => t
            .iter()
            .map(|(k, x)| (k.get_ref().to_string(), json(x.get_ref())))
            .collect::<serde_json::Map<_, _>>()
            .into(),
        _ => serde_json::Value::Null,
    }
}

/// `[where, document, section, wording]` of every wording, inheriting document and section from
/// the enclosing table or its `cite`.
fn wordings(v: &serde_json::Value, path: &str, doc: &str, sec: &str, out: &mut Vec<[String; 4]>) {
    match v {
        serde_json::Value::Object(t) => {
            let get = |k: &str, dflt: &str| {
                t.get(k)
                    .or_else(|| t.get("cite").and_then(|c| c.get(k)))
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or(dflt)
                    .to_string()
            };
            let (doc, sec) = (get("document", doc), get("section", sec));
            if let Some(w) = t.get("wording").and_then(serde_json::Value::as_str) {
                out.push([path.into(), doc.clone(), sec.clone(), w.into()]);
            }
            for (k, x) in t {
                wordings(x, &format!("{path}/{k}"), &doc, &sec, out);
            }
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let name = x
                    .get("name")
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_string)
                    .unwrap_or_else(|| i.to_string());
                wordings(x, &format!("{path}/{name}"), doc, sec, out);
            }
        }
        _ => {}
    }
}

/// Whether `quote`, cut at " … ", is found piece by piece, in order, in `text`.
fn quoted(text: &str, quote: &str) -> Result<(), String> {
    let mut pos = 0;
    for piece in quote.split('…').map(str::trim).filter(|p| !p.is_empty()) {
        match text.get(pos..).and_then(|t| t.find(piece)) {
            Some(i) => pos += i + piece.len(),
            None => return Err(piece.to_string()),
        }
    }
    Ok(())
}

fn pack_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "tests") {
                pack_files(&p, out);
            }
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
}

#[test]
fn every_wording_of_the_plan_is_its_own_text_in_the_cited_section() {
    let dir = root().join("rules/ben-tre-2747");
    let plan = std::fs::read_to_string(dir.join("source/2747-KH-UBND.txt")).unwrap();
    // the two typographic defects quoted without their stray spaces (pack.toml says so)
    let plan = plan
        .replace("quả n lý", "quản lý")
        .replace("c ủng cố", "củng cố");
    let secs = sections(&plan);
    for s in [
        "I.2", "II.1.b", "II.2", "II.3", "III.1", "III.2", "III.3", "III.4", "IV", "V.1", "V.11",
        "V-end",
    ] {
        assert!(
            secs.contains_key(s),
            "section {s} not found in the plan text"
        );
    }
    let mut files = Vec::new();
    pack_files(&dir, &mut files);
    files.sort();
    let (mut checked, mut bad) = (0, Vec::new());
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let table = toml::de::DeTable::parse(&text).unwrap();
        let v = json(&toml::de::DeValue::Table(table.into_inner()));
        let mut ws = Vec::new();
        wordings(&v, "", "", "", &mut ws);
        for [at, doc, sec, w] in ws {
            if !doc.contains("2747") {
                continue;
            }
            checked += 1;
            let text = cited(&secs, &sec);
            if text.is_empty() {
                bad.push(format!("{}{at}: section {sec:?} not found", f.display()));
            } else if let Err(piece) = quoted(&text, &w) {
                bad.push(format!(
                    "{}{at} ({sec}): {piece:?} is not the plan's text there",
                    f.display()
                ));
            }
        }
    }
    assert!(checked >= 50, "only {checked} wordings found");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn the_checker_rejects_inserted_words_and_wrong_sections() {
    let secs = sections(
        "I. MỤC ĐÍCH\n2. Yêu cầu\n- Ưu tiên các địa phương\nII. MỤC TIÊU\n1. Mục tiêu\nb) Mục tiêu cụ thể\n+ trên 60% lao động trong HTX, THT là nữ\n+ trên 70% lao động\n",
    );
    let b = cited(&secs, "II.1.b");
    assert!(quoted(&b, "trên 60% lao động trong HTX, THT là nữ").is_ok());
    assert!(quoted(&b, "trên 60% lao động … trên 70% lao động").is_ok());
    // words inserted inside the quotation
    assert!(quoted(&b, "trên 60% lao động trong HTX, THT là nữ (giai đoạn 1)").is_err());
    // pieces out of order
    assert!(quoted(&b, "trên 70% lao động … trên 60% lao động").is_err());
    // the right words in another section
    assert!(quoted(&cited(&secs, "I.2"), "trên 60% lao động").is_err());
    assert!(quoted(
        &cited(&secs, "I.2; II.1.b"),
        "Ưu tiên các địa phương … trên 60%"
    )
    .is_ok());
}
