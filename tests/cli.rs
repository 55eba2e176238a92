//! The `settle` command itself, run as a process.

use std::path::PathBuf;
use std::process::{Command, Output};

fn settle(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_settle"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("settle runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("settle-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

#[test]
fn run_check_passes_on_every_preset() {
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios")).expect("dir")
    {
        let path = entry.expect("entry").path();
        if path.file_name().is_some_and(|n| n == "quiz.ron") {
            continue;
        }
        let o = settle(&["run", path.to_str().expect("utf-8 path"), "--check"]);
        let out = text(&o);
        assert!(o.status.success(), "{}:\n{out}", path.display());
        assert!(out.contains("PASS") && !out.contains("FAIL"), "{out}");
        assert!(out.contains(" 0 failed"), "{out}");
    }
}

#[test]
fn replication_summary_tells_the_story() {
    let o = settle(&[
        "run",
        "scenarios/03-event-driven-replication.ron",
        "--check",
    ]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    for words in [
        "What happened:",
        "cut bus",
        "heal bus",
        "stale",
        "duplicate",
        "agree",
    ] {
        assert!(out.contains(words), "summary lacks {words}:\n{out}");
    }
}

#[test]
fn check_fails_when_an_expectation_fails() {
    let text_in = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/03-event-driven-replication.ron"
    ))
    .expect("preset");
    // Demand convergence while the partition is still on: it must fail.
    let broken = text_in.replace(
        r#"Converged(table: "products", by: "4s")"#,
        r#"Converged(table: "products", by: "1500ms")"#,
    );
    assert_ne!(broken, text_in);
    let path = temp("too-early.ron");
    std::fs::write(&path, broken).expect("write");
    let o = settle(&["run", path.to_str().expect("utf-8"), "--check"]);
    let out = text(&o);
    assert!(!o.status.success(), "{out}");
    assert!(out.contains("FAIL  every copy of products agrees"), "{out}");
}

#[test]
fn exports_trace_and_mermaid() {
    let jsonl = temp("trace.jsonl");
    let mmd = temp("run.mmd");
    let o = settle(&[
        "run",
        "scenarios/02-api-composition.ron",
        "--seed",
        "4",
        "--until",
        "1s",
        "--trace-out",
        jsonl.to_str().expect("utf-8"),
        "--mermaid-out",
        mmd.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let lines = std::fs::read_to_string(&jsonl).expect("trace written");
    assert!(lines.lines().count() > 20);
    for line in lines.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("each line is JSON");
        assert!(v["t_us"].as_u64().is_some_and(|t| t <= 1_000_000), "{line}");
    }
    assert!(lines.contains(r#""event":"change""#) && lines.contains(r#""old":"#));
    let diagram = std::fs::read_to_string(&mmd).expect("mermaid written");
    assert!(diagram.starts_with("sequenceDiagram"));
    assert!(diagram.contains("participant orders as Orders service"));
    assert!(diagram.contains("web->>orders:"));
}

#[test]
fn validate_reports_a_located_error_and_fails() {
    let path = temp("broken.ron");
    std::fs::write(
        &path,
        "(\n  title: \"x\",\n  nodes: [ (id: \"a\", kind: Cache()) ],\n)",
    )
    .expect("write");
    let o = settle(&["validate", path.to_str().expect("utf-8")]);
    let out = text(&o);
    assert!(!o.status.success());
    assert!(
        out.contains("broken.ron:3:28:") && out.contains("\"Cache\" is not a node kind"),
        "{out}"
    );
    let ok = settle(&["validate", "scenarios/02-api-composition.ron"]);
    assert!(ok.status.success(), "{}", text(&ok));
}

#[test]
fn fanout_bench_prints_one_closing_line() {
    let o = settle(&[
        "bench",
        "fanout",
        "--replicas",
        "5",
        "--keys",
        "50",
        "--writes",
        "2000",
    ]);
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(o.status.success(), "{}", text(&o));
    let last = out.lines().last().expect("a line");
    assert!(last.starts_with("events=14000 secs="), "{last}");
    assert!(
        last.contains("converged=true") && last.contains("peak_trace_bytes="),
        "{last}"
    );
}

#[test]
fn help_reads_well() {
    let o = settle(&["run", "--help"]);
    let out = text(&o);
    assert!(o.status.success());
    for flag in [
        "--seed",
        "--until",
        "--check",
        "--trace-out",
        "--mermaid-out",
    ] {
        assert!(out.contains(flag), "{out}");
    }
}
