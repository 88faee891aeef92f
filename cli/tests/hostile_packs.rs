//! `htx-rules check` on packs written by strangers (issue 9): diagnostics and exit 1, never a
//! hang, an abort or a file read outside the pack. The timeouts detect a hang; they measure
//! nothing (speed is in scripts/bench-check.sh).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::path::PathBuf;
use std::time::Duration;

use assert_cmd::Command;

fn cmd() -> Command {
    let mut c = Command::cargo_bin("htx-rules").unwrap();
    c.timeout(Duration::from_secs(120));
    c
}

fn pack(name: &str) -> PathBuf {
    let base = std::env::temp_dir().join(format!("htx-cli-hostile-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let p = base.join("p");
    std::fs::create_dir_all(&p).unwrap();
    std::fs::write(
        p.join("pack.toml"),
        "[pack]\nid = \"p\"\nversion = \"1\"\ndocument = \"t\"\n\n[[entity]]\nname = \"e\"\nfields = [{ name = \"ok\", type = \"bool\" }]\n",
    )
    .unwrap();
    p
}

#[cfg(unix)]
#[test]
fn links_fifos_and_devices_are_diagnostics_not_hangs() {
    let p = pack("links");
    let base = p.parent().unwrap().to_path_buf();
    std::fs::write(base.join("secret.toml"), "very_secret_key = 1\n").unwrap();
    std::os::unix::fs::symlink("../secret.toml", p.join("out.toml")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", p.join("zero.toml")).unwrap();
    std::fs::create_dir(p.join("sub")).unwrap();
    std::os::unix::fs::symlink("..", p.join("sub/up1")).unwrap();
    std::os::unix::fs::symlink("..", p.join("sub/up2")).unwrap();
    assert!(std::process::Command::new("mkfifo")
        .arg(p.join("fifo.toml"))
        .status()
        .unwrap()
        .success());
    let out = cmd().arg("check").arg(&p).assert().code(1);
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert_eq!(text.matches("pack.file_type").count(), 5, "{text}");
    assert!(!text.contains("very_secret_key"), "{text}");
    let _ = std::fs::remove_dir_all(base);
}

#[test]
fn a_100000_rule_chain_is_refused_not_an_abort() {
    let p = pack("chain");
    let mut rules = String::new();
    for i in 0..100_000 {
        let when = if i + 1 < 100_000 {
            format!("rule.r{} or ok", i + 1)
        } else {
            "ok".into()
        };
        rules.push_str(&format!("[[rule]]\nname = \"r{i}\"\nentity = \"e\"\nkind = \"decision\"\nwhen = \"{when}\"\ncite = {{ document = \"t\", section = \"1\" }}\n"));
    }
    std::fs::write(p.join("rules.toml"), rules).unwrap();
    // exit 134 (a stack overflow) before
    let out = cmd().arg("check").arg(&p).assert().code(1);
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        text.contains("rules.toml:1:1: pack.limit: the file is too large"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(p.parent().unwrap());
}
