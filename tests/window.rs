//! The real window, under a display (CI runs the tests under Xvfb): open a
//! preset with `settle screenshot` and check the PNG is there and is not
//! blank. Without a display there is no window to test, and this says so.

use std::process::Command;

#[test]
fn the_real_window_draws_a_preset() {
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        eprintln!("no display: the window test needs one (CI runs `xvfb-run -a cargo test`)");
        return;
    }
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
