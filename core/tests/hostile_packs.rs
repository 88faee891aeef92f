//! Packs written by strangers (issue 9, point 3): each case once crashed, hung, read outside
//! the pack or ran away. Loading must give diagnostics, quickly, on a worker thread's 2 MiB
//! stack; evaluation must turn a runaway into `unknown` with a reason.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use htx_rules::limits::{PackLimits, EXPR_DEPTH, TYPE_DEPTH};
use htx_rules::pack::source::{DirLoader, MemoryLoader};
use htx_rules::{Date, Diagnostic, Engine, Error, Outcome};
use serde_json::json;

const PACK: &str = "[pack]\nid = \"p\"\nversion = \"1\"\ndocument = \"t\"\n\n[[entity]]\nname = \"e\"\nfields = [{ name = \"ok\", type = \"bool\" }]\n\n[[rule]]\nname = \"r\"\nentity = \"e\"\nkind = \"decision\"\nwhen = \"ok\"\ncite = { document = \"t\", section = \"1\" }\n";

/// Runs `f` on a thread with a 2 MiB stack (a worker thread's default), failing the test if
/// it has not answered within `secs` — a hang detector, not a speed measurement (a hang is
/// the bug: without the fixes these cases block forever or walk ~2^40 paths).
fn on_small_stack<T: Send + 'static>(secs: u64, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let _ = tx.send(f());
        })
        .unwrap();
    rx.recv_timeout(Duration::from_secs(secs))
        .expect("no answer: the load hangs, or the thread crashed")
}

fn diags(r: Result<Engine, Error>) -> Vec<Diagnostic> {
    match r {
        Ok(_) => panic!("the pack loaded; expected diagnostics"),
        Err(e) => {
            assert_eq!(e.code(), "pack.invalid", "{e}");
            e.diagnostics().to_vec()
        }
    }
}

fn has(d: &[Diagnostic], code: &str, en: &str) -> bool {
    d.iter()
        .any(|x| x.code == code && x.message.en.contains(en) && !x.message.vi.is_empty())
}

/// A fresh folder `…/<name>/p` holding a valid pack (`p/pack.toml`).
fn pack_dir(name: &str) -> PathBuf {
    let base = std::env::temp_dir().join(format!("htx-hostile-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let p = base.join("p");
    std::fs::create_dir_all(&p).unwrap();
    std::fs::write(p.join("pack.toml"), PACK).unwrap();
    p
}

fn cleanup(p: &Path) {
    if let Some(base) = p.parent() {
        let _ = std::fs::remove_dir_all(base);
    }
}

fn sources(extra: &[(&str, String)]) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    files.insert("p/pack.toml".to_string(), PACK.to_string());
    for (k, v) in extra {
        files.insert((*k).to_string(), v.clone());
    }
    files
}

/// `n` rules r0 … r(n-1), each referring to the next (the last to r0 when `cycle`).
fn chain(n: usize, cycle: bool) -> String {
    let mut s = String::new();
    for i in 0..n {
        let next = if i + 1 < n {
            format!("rule.r{} or ok", i + 1)
        } else if cycle {
            "rule.r0 or ok".to_string()
        } else {
            "ok".to_string()
        };
        s.push_str(&format!("[[rule]]\nname = \"r{i}\"\nentity = \"e\"\nkind = \"decision\"\nwhen = \"{next}\"\ncite = {{ document = \"t\", section = \"1\" }}\n"));
    }
    s
}

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

#[test]
fn the_pack_folder_used_here_loads() {
    let p = pack_dir("valid");
    Engine::from_dir(&p).unwrap();
    cleanup(&p);
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_refused_not_walked() {
    let p = pack_dir("loop");
    std::fs::create_dir(p.join("sub")).unwrap();
    // two links up: following them walked 2^(depth) paths
    std::os::unix::fs::symlink("..", p.join("sub/up1")).unwrap();
    std::os::unix::fs::symlink("..", p.join("sub/up2")).unwrap();
    std::os::unix::fs::symlink("sub", p.join("again")).unwrap();
    let dir = p.clone();
    let d = diags(on_small_stack(60, move || Engine::from_dir(&dir)));
    let links: Vec<_> = d.iter().filter(|x| x.code == "pack.file_type").collect();
    assert_eq!(links.len(), 3, "{d:?}");
    assert!(links.iter().all(|x| x.message.en.contains("symbolic link")));
    assert!(links.iter().any(|x| x.file.ends_with("sub/up1")));
    cleanup(&p);
}

#[cfg(unix)]
#[test]
fn a_fifo_named_toml_is_refused_not_opened() {
    let p = pack_dir("fifo");
    let st = std::process::Command::new("mkfifo")
        .arg(p.join("rules.toml"))
        .status()
        .unwrap();
    assert!(st.success());
    let dir = p.clone();
    let d = diags(on_small_stack(60, move || Engine::from_dir(&dir)));
    assert!(has(&d, "pack.file_type", "not a regular file"), "{d:?}");
    assert!(d[0].file.ends_with("rules.toml"));
    cleanup(&p);
}

#[cfg(unix)]
#[test]
fn a_link_to_dev_zero_is_refused_not_read() {
    let p = pack_dir("zero");
    std::os::unix::fs::symlink("/dev/zero", p.join("zero.toml")).unwrap();
    let dir = p.clone();
    let d = diags(on_small_stack(60, move || Engine::from_dir(&dir)));
    assert!(has(&d, "pack.file_type", "symbolic link"), "{d:?}");
    cleanup(&p);
}

#[cfg(unix)]
#[test]
fn links_out_of_the_pack_are_not_read_and_nothing_of_them_is_shown() {
    let p = pack_dir("out");
    let base = p.parent().unwrap().to_path_buf();
    // a file and a folder next to the pack, with keys a diagnostic would name
    std::fs::write(base.join("secret.toml"), "very_secret_key = \"hunter2\"\n").unwrap();
    std::fs::create_dir(base.join("elsewhere")).unwrap();
    std::fs::write(
        base.join("elsewhere/x.toml"),
        "other_secret_key = \"hunter3\"\n",
    )
    .unwrap();
    std::os::unix::fs::symlink("../secret.toml", p.join("out.toml")).unwrap();
    std::os::unix::fs::symlink(base.join("elsewhere"), p.join("more")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", p.join("passwd.toml")).unwrap();
    let d = diags(Engine::from_dir(&p));
    assert_eq!(
        d.iter().filter(|x| x.code == "pack.file_type").count(),
        3,
        "{d:?}"
    );
    let all = format!("{d:?}");
    for secret in ["very_secret_key", "hunter", "other_secret_key", "root:"] {
        assert!(!all.contains(secret), "{secret} leaked: {all}");
    }
    cleanup(&p);
}

#[test]
fn an_oversized_file_is_refused_unparsed() {
    let limits = PackLimits::DEFAULT;
    // a comment one byte over the cap: valid TOML, but too big to read
    let big = format!("#{}\n", "x".repeat(limits.file_bytes as usize));
    let p = pack_dir("big");
    std::fs::write(p.join("big.toml"), &big).unwrap();
    let d = diags(Engine::from_dir(&p));
    assert!(has(&d, "pack.limit", "the file is too large"), "{d:?}");
    assert!(
        d[0].message.en.contains("at most 2 MiB"),
        "{}",
        d[0].message.en
    );
    assert!(
        d[0].message.vi.contains("tối đa 2 MiB"),
        "{}",
        d[0].message.vi
    );
    cleanup(&p);
    // the same text handed in by a page (the browser's fromSources)
    let d = diags(Engine::from_sources(&sources(&[("p/big.toml", big)]), "p"));
    assert!(has(&d, "pack.limit", "the file is too large"), "{d:?}");
}

#[test]
fn files_bytes_entries_and_folders_are_capped() {
    let p = pack_dir("many");
    for i in 0..5 {
        std::fs::write(p.join(format!("f{i}.toml")), "# nothing\n").unwrap();
    }
    let base = p.parent().unwrap().to_path_buf();
    let load = |limits: PackLimits| {
        diags(Engine::from_loader_limited(
            &DirLoader { base: base.clone() },
            "p",
            &limits,
        ))
    };
    let d = load(PackLimits {
        files: 3,
        ..PackLimits::DEFAULT
    });
    assert!(has(&d, "pack.limit", "too many files"), "{d:?}");
    let d = load(PackLimits {
        total_bytes: 100,
        ..PackLimits::DEFAULT
    });
    assert!(has(&d, "pack.limit", "together exceed"), "{d:?}");
    let d = load(PackLimits {
        dir_entries: 4,
        ..PackLimits::DEFAULT
    });
    assert!(has(&d, "pack.limit", "more than 4 entries"), "{d:?}");
    // folders deeper than DIR_DEPTH are not walked
    let mut deep = p.clone();
    for i in 0..=htx_rules::limits::DIR_DEPTH {
        deep = deep.join(format!("d{i}"));
    }
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(deep.join("x.toml"), "# deep\n").unwrap();
    let d = diags(Engine::from_dir(&p));
    assert!(
        has(&d, "pack.limit", "levels deep inside the pack"),
        "{d:?}"
    );
    cleanup(&p);
}

#[test]
fn import_cycles_are_errors_with_their_chain() {
    let meta = |id: &str, imports: &str| {
        format!("[pack]\nid = \"{id}\"\nversion = \"1\"\ndocument = \"t\"\nimports = [{imports}]\n")
    };
    let mut files = BTreeMap::new();
    files.insert("a/pack.toml".to_string(), meta("a", "\"b\""));
    files.insert("b/pack.toml".to_string(), meta("b", "\"c\""));
    files.insert("c/pack.toml".to_string(), meta("c", "\"a\""));
    let d = diags(Engine::from_sources(&files, "a"));
    let cycle = d
        .iter()
        .find(|x| x.code == "pack.import_cycle")
        .unwrap_or_else(|| panic!("{d:?}"));
    assert!(
        cycle.message.en.contains("a → b → c → a"),
        "{}",
        cycle.message.en
    );
    assert!(cycle.message.vi.contains("a → b → c → a"));
    assert_eq!((cycle.file.as_str(), cycle.line), ("c/pack.toml", 5));
    // a pack importing itself
    let mut files = BTreeMap::new();
    files.insert("a/pack.toml".to_string(), meta("a", "\"a\""));
    let d = diags(Engine::from_sources(&files, "a"));
    assert!(has(&d, "pack.import_cycle", "a → a"), "{d:?}");
}

#[test]
fn import_chains_and_pack_counts_are_capped() {
    let meta = |id: String, imports: String| {
        format!("[pack]\nid = \"{id}\"\nversion = \"1\"\ndocument = \"t\"\nimports = [{imports}]\n")
    };
    let mut files = BTreeMap::new();
    let n = PackLimits::DEFAULT.import_depth + 2;
    for i in 0..n {
        let imports = if i + 1 < n {
            format!("\"p{}\"", i + 1)
        } else {
            String::new()
        };
        files.insert(format!("p{i}/pack.toml"), meta(format!("p{i}"), imports));
    }
    let d = diags(Engine::from_sources(&files, "p0"));
    assert!(has(&d, "pack.limit", "imports nested more than"), "{d:?}");
    // one pack importing 40 others
    let mut files = BTreeMap::new();
    let all: Vec<String> = (1..=40).map(|i| format!("\"q{i}\"")).collect();
    files.insert(
        "q0/pack.toml".to_string(),
        meta("q0".into(), all.join(", ")),
    );
    for i in 1..=40 {
        files.insert(
            format!("q{i}/pack.toml"),
            meta(format!("q{i}"), String::new()),
        );
    }
    let d = diags(Engine::from_sources(&files, "q0"));
    assert!(has(&d, "pack.limit", "too many packs imported"), "{d:?}");
}

#[test]
fn a_100000_rule_chain_checks_on_a_2mib_stack() {
    let files = sources(&[("p/rules.toml", chain(100_000, false))]);
    // within the default caps: refused early, by size
    let f = files.clone();
    let d = diags(on_small_stack(600, move || Engine::from_sources(&f, "p")));
    assert!(has(&d, "pack.limit", "the file is too large"), "{d:?}");
    // with the caps raised the checker itself must cope: iterative order, linear time
    let raised = PackLimits {
        file_bytes: u64::MAX,
        total_bytes: u64::MAX,
        rules: usize::MAX,
        ..PackLimits::DEFAULT
    };
    let outcomes = on_small_stack(600, move || {
        let engine = Engine::from_loader_limited(&MemoryLoader { files }, "p", &raised).unwrap();
        let yes = engine
            .evaluate("e", &json!({ "ok": true }), date("2025-01-01"))
            .unwrap();
        let unknown = engine
            .evaluate("e", &json!({}), date("2025-01-01"))
            .unwrap();
        let r0 = unknown.decision("r0").unwrap();
        (
            yes.decision("r0").unwrap().outcome(),
            r0.outcome(),
            r0.missing().to_vec(),
        )
    });
    assert_eq!(
        outcomes,
        (Outcome::Yes, Outcome::Unknown, vec!["/ok".to_string()])
    );
}

#[test]
fn a_100000_rule_cycle_is_reported_not_a_crash() {
    let files = sources(&[("p/rules.toml", chain(100_000, true))]);
    let raised = PackLimits {
        file_bytes: u64::MAX,
        total_bytes: u64::MAX,
        rules: usize::MAX,
        ..PackLimits::DEFAULT
    };
    let d = diags(on_small_stack(600, move || {
        Engine::from_loader_limited(&MemoryLoader { files }, "p", &raised)
    }));
    assert!(has(&d, "rule.cycle", "(100000 in the cycle)"), "{d:?}");
    // the message shows the start of the chain, not 100,000 names
    assert!(d[0].message.en.len() < 300, "{}", d[0].message.en);
}

#[test]
fn too_many_rules_stop_the_check_early() {
    let n = PackLimits::DEFAULT.rules + 1;
    let files = sources(&[(
        "p/rules.toml",
        chain(n, false).replace("rule.r", "ok or rule.r"),
    )]);
    let d = diags(Engine::from_sources(&files, "p"));
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(has(&d, "pack.limit", "at most 10,000 rules"), "{d:?}");
    assert!(d[0].message.vi.contains("tối đa 10.000 quy tắc"));
}

/// Expressions nested past the cap, in every way a tree gets deep; each refused with a
/// location, and none may exhaust a 2 MiB stack on the way.
#[test]
fn deep_expressions_are_refused_on_a_2mib_stack() {
    // a chain inside parentheses inside a chain …: each level's chain was checked alone,
    // so the tree could be ~2,000 levels deep
    let mut nested = "ok".to_string();
    for _ in 0..20 {
        nested = format!("({nested}{})", " or ok".repeat(30));
    }
    let shapes = [
        nested,
        format!(
            "{}ok{}",
            "(".repeat(EXPR_DEPTH + 1),
            ")".repeat(EXPR_DEPTH + 1)
        ),
        format!("{}ok", "not ".repeat(EXPR_DEPTH + 1)),
        vec!["ok"; EXPR_DEPTH + 2].join(" and "),
        format!(
            "{}ok{}",
            "any(x in [1]: ".repeat(EXPR_DEPTH),
            ")".repeat(EXPR_DEPTH)
        ),
        format!(
            "{}1{} > 0",
            "max(1, ".repeat(EXPR_DEPTH),
            ")".repeat(EXPR_DEPTH)
        ),
    ];
    for src in shapes {
        let rule = format!("[[rule]]\nname = \"deep\"\nentity = \"e\"\nkind = \"decision\"\nwhen = \"{src}\"\ncite = {{ document = \"t\", section = \"1\" }}\n");
        let files = sources(&[("p/deep.toml", rule)]);
        let d = diags(on_small_stack(60, move || {
            Engine::from_sources(&files, "p")
        }));
        let e = d
            .iter()
            .find(|x| x.code == "expr.limit")
            .unwrap_or_else(|| panic!("{src}: {d:?}"));
        assert!(
            e.message.en.contains("nested too deeply"),
            "{}",
            e.message.en
        );
        assert_eq!(e.file, "p/deep.toml");
    }
    // right at the cap: checks and evaluates on the small stack
    let at_cap = vec!["ok"; EXPR_DEPTH].join(" and ");
    let rule = format!("[[rule]]\nname = \"deep\"\nentity = \"e\"\nkind = \"decision\"\nwhen = \"{at_cap}\"\ncite = {{ document = \"t\", section = \"1\" }}\n");
    let files = sources(&[("p/deep.toml", rule)]);
    let outcome = on_small_stack(60, move || {
        let engine = Engine::from_sources(&files, "p").unwrap();
        let ev = engine
            .evaluate("e", &json!({ "ok": true }), date("2025-01-01"))
            .unwrap();
        ev.decision("deep").unwrap().outcome()
    });
    assert_eq!(outcome, Outcome::Yes);
}

#[test]
fn long_expressions_lists_fields_lets_and_types_are_capped() {
    let limits = PackLimits::DEFAULT;
    let rule = |when: String, extra: &str| {
        format!("[[rule]]\nname = \"x\"\nentity = \"e\"\nkind = \"decision\"\nwhen = \"{when}\"\n{extra}cite = {{ document = \"t\", section = \"1\" }}\n")
    };
    let cases: Vec<(String, &str)> = vec![
        (
            rule(format!("ok{}", " ".repeat(limits.expr_bytes)), ""),
            "the expression is too long",
        ),
        (
            format!(
                "[[enum]]\nname = \"big\"\nvalues = [{}]\n",
                (0..=limits.list_items)
                    .map(|i| format!("\"v{i}\""))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            "the list is too long: 10,001 items; at most 10,000",
        ),
        (
            format!(
                "[[record]]\nname = \"wide\"\nfields = [{}]\n",
                (0..=limits.fields)
                    .map(|i| format!("{{ name = \"f{i}\", type = \"bool\" }}"))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            "too many fields: 1,001; at most 1,000",
        ),
        (
            rule(
                "ok".into(),
                &format!(
                    "let = {{ {} }}\n",
                    (0..=limits.lets)
                        .map(|i| format!("l{i} = \"ok\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
            "too many `let`s: 257; at most 256",
        ),
        (
            format!(
                "[[record]]\nname = \"nest\"\nfields = [{{ name = \"x\", type = \"{}bool{}\" }}]\n",
                "list<".repeat(TYPE_DEPTH + 1),
                ">".repeat(TYPE_DEPTH + 1)
            ),
            "more than 16 levels deep",
        ),
        (
            // records inside records, 20 deep
            (0..20)
                .map(|i| {
                    let ty = if i < 19 { format!("r{}", i + 1) } else { "bool".into() };
                    format!("[[record]]\nname = \"r{i}\"\nfields = [{{ name = \"x\", type = \"{ty}\" }}]\n")
                })
                .collect(),
            "nests 17 levels deep",
        ),
    ];
    for (text, expected) in cases {
        let files = sources(&[("p/x.toml", text)]);
        let d = diags(on_small_stack(60, move || {
            Engine::from_sources(&files, "p")
        }));
        assert!(
            d.iter().any(|x| x.code.ends_with(".limit")
                && x.message.en.contains(expected)
                && x.file == "p/x.toml"
                && x.line >= 1),
            "{expected}: {d:?}"
        );
    }
}

#[test]
fn a_flood_of_problems_is_cut_short() {
    let junk: String = (0..5_000).map(|i| format!("junk{i} = 1\n")).collect();
    let d = diags(Engine::from_sources(&sources(&[("p/x.toml", junk)]), "p"));
    let max = PackLimits::DEFAULT.diagnostics;
    assert_eq!(d.len(), max + 1);
    let last = d.last().unwrap();
    assert_eq!(last.code, "pack.limit");
    assert!(
        last.message.en.contains("4,000 more problems"),
        "{}",
        last.message.en
    );
}

/// Three quantifiers nested over 400 items are 64 million steps: the budget stops them and
/// the decision is unknown with a reason a person can read; the rest of the record is
/// evaluated as usual.
#[test]
fn nested_quantifiers_over_400_items_are_unknown_with_a_reason() {
    let text = r#"
[[record]]
name = "item"
fields = [{ name = "n", type = "integer" }]

[[entity]]
name = "box"
fields = [{ name = "items", type = "list<item>" }, { name = "ok", type = "bool" }]

[[rule]]
name = "heavy"
entity = "box"
kind = "decision"
when = "any(x in items: any(y in items: any(z in items: x.n + y.n + z.n == 0)))"
messages = { unknown = { vi = "Thiếu dữ liệu: {missing}", en = "Missing: {missing}" } }
cite = { document = "t", section = "1" }

[[rule]]
name = "uses_heavy"
entity = "box"
kind = "decision"
when = "rule.heavy and ok"
cite = { document = "t", section = "1" }

[[rule]]
name = "light"
entity = "box"
kind = "decision"
when = "ok and count(x in items) == 400"
cite = { document = "t", section = "1" }
"#;
    let engine = Engine::from_sources(&sources(&[("p/box.toml", text.to_string())]), "p").unwrap();
    let items: Vec<_> = (0..400).map(|_| json!({ "n": 1 })).collect();
    let facts = json!({ "items": items, "ok": true });
    let ev = engine.evaluate("box", &facts, date("2025-01-01")).unwrap();
    for name in ["heavy", "uses_heavy"] {
        let d = ev.decision(name).unwrap();
        assert_eq!(d.outcome(), Outcome::Unknown, "{name}");
        let reasons = d.reasons();
        assert!(
            reasons
                .iter()
                .any(|r| r.en.contains("needs too much work for these facts")
                    && r.vi.contains("quá nhiều phép tính")),
            "{name}: {reasons:?}"
        );
        // neither a placeholder nor the misleading "missing" message
        assert!(
            reasons
                .iter()
                .all(|r| !r.en.contains("Missing") && !r.en.contains('{')),
            "{reasons:?}"
        );
    }
    assert_eq!(ev.decision("light").unwrap().outcome(), Outcome::Yes);
    // a few items: the same rule decides
    let few = json!({ "items": [{ "n": 0 }, { "n": 0 }], "ok": true });
    let ev = engine.evaluate("box", &few, date("2025-01-01")).unwrap();
    let heavy = ev.decision("heavy").unwrap();
    assert_eq!(heavy.outcome(), Outcome::Yes, "{:?}", heavy.reasons());
}

/// A message lists at most a few of the names that would have been right: with an enum of
/// 10,000 values, a thousand mistakes would otherwise be hundreds of megabytes of text.
#[test]
fn messages_list_a_few_names_not_ten_thousand() {
    let values: Vec<String> = (0..10_000).map(|i| format!("\"commune{i}\"")).collect();
    let mut text = format!(
        "[[enum]]\nname = \"commune\"\nvalues = [{}]\n\n[[entity]]\nname = \"home\"\nfields = [{{ name = \"c\", type = \"commune\" }}]\n",
        values.join(",")
    );
    for i in 0..50 {
        text.push_str(&format!("[[rule]]\nname = \"r{i}\"\nentity = \"home\"\nkind = \"decision\"\nwhen = \"c == \\\"nowhere\\\"\"\ncite = {{ document = \"t\", section = \"1\" }}\n"));
    }
    let d = diags(Engine::from_sources(&sources(&[("p/x.toml", text)]), "p"));
    assert_eq!(d.len(), 50, "{d:?}");
    for x in &d {
        assert_eq!(x.code, "expr.unknown_enum_value");
        assert!(
            x.message.en.contains("commune19, … (10000)"),
            "{}",
            x.message.en
        );
        assert!(x.message.en.len() < 400 && x.message.vi.len() < 400);
    }
}
