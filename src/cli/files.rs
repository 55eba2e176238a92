//! The files a command reads and writes: export, validate, open a window.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::ExportArgs;
use crate::export;
use crate::scenario::{self, parse_dur};

/// Carries out `settle export`: what it wrote, or the first thing wrong.
pub(super) fn export_file(a: &ExportArgs) -> Result<String, String> {
    let view = export::View::from_word(&a.view).ok_or_else(|| {
        let words: Vec<&str> = export::View::ALL.iter().map(|v| v.word()).collect();
        format!(
            "--view: \"{}\" is not a view; choose one of {}",
            a.view,
            words.join(", ")
        )
    })?;
    let format = export::Format::of_path(&a.out).map_err(|e| e.to_string())?;
    let time = |flag: &str, text: &Option<String>| {
        text.as_deref()
            .map(|t| {
                parse_dur(t)
                    .map(|d| d.0)
                    .map_err(|e| format!("--{flag}: {e}"))
            })
            .transpose()
    };
    let mut req = export::Request::new(view, format);
    req.at = time("at", &a.at)?;
    req.from = time("from", &a.from)?;
    req.to = time("to", &a.to)?;
    req.size = a
        .size
        .as_deref()
        .map(|s| export::Size::parse(s).map_err(|e| format!("--size: {e}")))
        .transpose()?;
    let s = scenario::load_file(&a.file).map_err(|e| e.to_string())?;
    req.check(s.until.0).map_err(|e| e.to_string())?;
    let bytes = export::export(&s, a.seed.unwrap_or(s.seed), &req).map_err(|e| e.to_string())?;
    crate::session::files::write_atomic(&a.out, &bytes)
        .map_err(|e| format!("{}: cannot write: {e}", a.out.display()))?;
    Ok(format!(
        "Exported the {view} to {} ({}).",
        a.out.display(),
        export::bytes_said(bytes.len())
    ))
}

/// Checks a scenario, or the quiz when the file holds questions.
pub(super) fn validate(file: &Path) -> ExitCode {
    let name = file.display().to_string();
    let mut hints = Vec::new();
    let checked = scenario::read_text(file).and_then(|text| {
        if scenario::is_quiz(&text) {
            crate::session::quiz::from_str(&text, &name)
                .map(|q| format!("quiz \"{}\", {} questions", q.title, q.questions.len()))
        } else {
            scenario::from_str(&text, &name).map(|s| {
                let challenges = match s.challenges.len() {
                    0 => String::new(),
                    n => format!(", {n} challenge(s)"),
                };
                hints = crate::check::hints(&s);
                format!(
                    "\"{}\", {} nodes, {} links{challenges}",
                    s.title,
                    s.nodes.len(),
                    s.links.len()
                )
            })
        }
    });
    match checked {
        Ok(what) => {
            println!("{name}: ok — {what}");
            // Hints advise; they never make a drawing fail.
            if !hints.is_empty() {
                println!("design hints ({}):", hints.len());
                for h in &hints {
                    println!(
                        "  ⚠ {} [{}]: {} (see lesson {})",
                        h.kind.title(),
                        h.key(),
                        h.reason,
                        h.kind.lesson()
                    );
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// Opens the window, optionally on a file.
pub fn window(file: Option<PathBuf>) -> ExitCode {
    match crate::ui::run_window(file) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Settle could not open its window: {e}");
            eprintln!(
                "Without a display, try: settle run scenarios/03-event-driven-replication.ron"
            );
            ExitCode::FAILURE
        }
    }
}
