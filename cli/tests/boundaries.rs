//! End-to-end: `htx-rules check --explain-boundaries RULE` and the `lint.boundary` warnings.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use assert_cmd::Command;

fn cmd() -> Command {
    Command::cargo_bin("htx-rules").unwrap()
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).to_string()
}

#[test]
fn explain_boundaries_prints_exact_intervals_per_period() {
    let out = cmd()
        .args([
            "check",
            "--explain-boundaries",
            "many_female_jobs",
            "--lang",
            "en",
        ])
        .assert()
        .success();
    let t = text(&out.get_output().stdout);
    assert!(t.starts_with("many_female_jobs (cooperative) — when: rule.female_labour_share > param.many_jobs_threshold\n"), "{t}");
    assert!(
        t.contains("    2023-01-01 .. 2025-12-31:\n      (-∞; 60%] → no\n      (60%; +∞) → yes\n"),
        "{t}"
    );
    assert!(
        t.contains("    2026-01-01 .. 2030-12-31:\n      (-∞; 70%] → no\n      (70%; +∞) → yes\n"),
        "{t}"
    );
    let out = cmd()
        .args([
            "check",
            "--explain-boundaries",
            "meets_membership_minimum",
            "--lang",
            "vi",
        ])
        .assert()
        .success();
    let t = text(&out.get_output().stdout);
    assert!(
        t.contains(
            "2024-07-01 .. …, khi kind == \"htx\":\n      [0; 5) → không\n      [5; +∞) → có"
        ),
        "{t}"
    );
    // under a reform
    let out = cmd()
        .args([
            "check",
            "--explain-boundaries",
            "meets_membership_minimum",
            "--lang",
            "en",
            "--reform",
        ])
        .arg(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../examples/reforms/htx-min-7.toml"),
        )
        .assert()
        .success();
    assert!(text(&out.get_output().stdout)
        .contains("2024-07-01 .. …, when kind == \"htx\":\n      [0; 7) → no"));
    // an unknown rule: exit 2, with the code
    let out = cmd()
        .args(["check", "--explain-boundaries", "many_female_job"])
        .assert()
        .code(2);
    assert!(text(&out.get_output().stderr).contains("rule.unknown"));
}

#[test]
fn check_prints_boundary_warnings_and_exits_zero() {
    let dir = std::env::temp_dir()
        .join(format!("htx-bounds-{}", std::process::id()))
        .join("p");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("pack.toml"),
        "[pack]\nid = \"p\"\nversion = \"1\"\ndocument = \"t\"\n",
    )
    .unwrap();
    let rule = |name: &str, when: &str| {
        format!("[[rule]]\nname = \"{name}\"\nentity = \"e\"\nkind = \"decision\"\ntitle = {{ vi = \"{name}\", en = \"{name}\" }}\nwhen = \"{when}\"\ncite = {{ document = \"t\", section = \"1\" }}\nmessages.yes = {{ vi = \"có\", en = \"yes\" }}\nmessages.no = {{ vi = \"không\", en = \"no\" }}\nmessages.unknown = {{ vi = \"chưa rõ\", en = \"unknown\" }}\n\n")
    };
    std::fs::write(
        dir.join("rules.toml"),
        format!(
            "[[entity]]\nname = \"e\"\nlabel = {{ vi = \"E\", en = \"E\" }}\nfields = [{{ name = \"n\", type = \"integer\", min = 0, max = 100, label = {{ vi = \"Số\", en = \"Number\" }} }}]\n\n{}{}",
            rule("big", "n > 50"),
            rule("small", "n < 50")
        ),
    )
    .unwrap();
    let out = cmd()
        .args(["check", "--lang", "en"])
        .arg(&dir)
        .assert()
        .success();
    let t = text(&out.get_output().stdout);
    assert!(t.contains("rules.toml:22:8: warning: lint.boundary: `n > 50` (`big`) and `n < 50` (`small`) leave a gap at the threshold"), "{t}");
    std::fs::remove_dir_all(dir.parent().unwrap()).ok();
}
