//! The real window, under a display: open a preset with `settle screenshot`
//! and check the PNG is there and is not blank. It needs a display, so it
//! is ignored by a plain `cargo test`; `.ci/run` runs it under Xvfb with
//! `--include-ignored`, where a missing display fails it rather than
//! letting it pass unseen.

use std::process::Command;

#[test]
#[ignore = "needs a display: run under Xvfb with --include-ignored (.ci/run does)"]
fn the_real_window_draws_a_preset() {
    assert!(
        std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some(),
        "no display: run this test under Xvfb (xvfb-run -a cargo test --test window -- --include-ignored)"
    );
    let out = std::env::temp_dir().join(format!("settle-window-{}.png", std::process::id()));
    let status = Command::new(env!("CARGO_BIN_EXE_settle"))
        .args([
            "screenshot",
            "scenarios/03-event-driven-replication.ron",
            "--at",
            "2s",
            "--size",
            "1280x800",
            "--out",
        ])
        .arg(&out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("settle runs");
    assert!(status.success(), "settle screenshot failed");
    let img = image::open(&out)
        .expect("the screenshot is a readable PNG")
        .to_rgba8();
    assert!(
        img.width() >= 1000 && img.height() >= 600,
        "{}x{}",
        img.width(),
        img.height()
    );
    let mut colours = std::collections::BTreeSet::new();
    for p in img.pixels().step_by(97) {
        colours.insert(p.0);
    }
    assert!(
        colours.len() > 50,
        "the window looks blank: {} colours",
        colours.len()
    );
    std::fs::remove_file(&out).ok();
}
