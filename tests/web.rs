//! The web build in a real browser: the site `assets/web/build.sh` made is
//! served on 127.0.0.1 and opened in headless Chromium. The welcome view
//! draws, and a link to lesson 04 at 0.9 s opens that lesson at that
//! moment: its picture differs from the welcome's and from the same lesson
//! at 0 s, and the page's title names the moment. A link `settle link`
//! printed, carrying the drawing itself, opens it at its moment; the same
//! link cut short leaves the welcome view, with a sentence on it.
//!
//! Needs the built site, python3 and Debian's chromium-headless-shell, so
//! it is ignored by a plain `cargo test`; `.ci/run` runs it with
//! `SETTLE_SITE=dist cargo test --test web -- --ignored`.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The browsers Debian's packages install, run directly rather than
/// through their wrapper scripts, so that ending one leaves nothing behind:
/// `chromium-headless-shell`, else `chromium` in headless mode.
fn browser() -> (PathBuf, Vec<&'static str>) {
    let shell = PathBuf::from("/usr/lib/chromium/chromium-headless-shell");
    if shell.is_file() {
        return (shell, vec![]);
    }
    (
        PathBuf::from("/usr/lib/chromium/chromium"),
        vec!["--headless", "--enable-logging=stderr"],
    )
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

fn serve(dir: &Path) -> (Server, u16) {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let child = Command::new("python3")
        .args(["-m", "http.server", "--bind", "127.0.0.1"])
        .arg(port.to_string())
        .arg("--directory")
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 serves the site");
    let server = Server(child);
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(20), "no server");
        std::thread::sleep(Duration::from_millis(100));
    }
    (server, port)
}

/// Opens `url` in a fresh profile; `what` is `--screenshot=FILE` or
/// `--dump-dom`. Returns stdout, and fails on a panic in the console.
fn chromium(url: &str, what: &str, scratch: &Path) -> String {
    let profile = tempfile::tempdir_in(scratch).expect("a profile folder");
    let (browser, headless) = browser();
    let out = Command::new(browser)
        .args(headless)
        .args([
            "--no-sandbox",
            "--enable-unsafe-swiftshader",
            "--use-angle=swiftshader",
            "--window-size=1280,800",
            "--virtual-time-budget=15000",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(what)
        .arg(url)
        .output()
        .expect("chromium-headless-shell runs");
    let err = String::from_utf8_lossy(&out.stderr);
    for line in err.lines().filter(|l| l.contains("CONSOLE")) {
        eprintln!("{line}");
    }
    assert!(
        !err.contains("panicked") && !err.contains("Uncaught"),
        "the page failed: {err}"
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The built site (`SETTLE_SITE`, else `dist`) served on a free port, with
/// a scratch folder for the browser's profiles and pictures: the folder,
/// the server (stopped when dropped) and the site's address.
fn served_site() -> (tempfile::TempDir, Server, String) {
    let site = PathBuf::from(std::env::var("SETTLE_SITE").unwrap_or_else(|_| "dist".into()));
    assert!(
        site.join("index.html").is_file() && site.join("settle_bg.wasm").is_file(),
        "no site in {}: run sh assets/web/build.sh first",
        site.display()
    );
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let (server, port) = serve(&site);
    (scratch, server, format!("http://127.0.0.1:{port}/"))
}

/// Where a picture named `name` is written: `SETTLE_SHOTS` to keep them,
/// else the scratch folder.
fn shot_path(scratch: &tempfile::TempDir, name: &str) -> PathBuf {
    std::env::var("SETTLE_SHOTS")
        .map_or_else(|_| scratch.path().to_path_buf(), PathBuf::from)
        .join(name)
}

fn shot(url: &str, file: &Path, scratch: &Path) -> image::RgbaImage {
    chromium(url, &format!("--screenshot={}", file.display()), scratch);
    image::open(file)
        .unwrap_or_else(|e| panic!("{} does not decode: {e}", file.display()))
        .to_rgba8()
}

/// The share of pixels that differ between two pictures of one size.
fn differing(a: &image::RgbaImage, b: &image::RgbaImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let n = a.pixels().zip(b.pixels()).filter(|(p, q)| p != q).count();
    n as f64 / f64::from(a.width() * a.height())
}

/// How many distinct colours a picture has: a blank or loading page has
/// one or two, a drawn app hundreds.
fn colours(a: &image::RgbaImage) -> usize {
    let mut seen: Vec<[u8; 4]> = a.pixels().map(|p| p.0).collect();
    seen.sort_unstable();
    seen.dedup();
    seen.len()
}

fn title(dom: &str) -> String {
    let start = dom.find("<title>").map_or(0, |i| i + 7);
    let end = dom[start..].find("</title>").map_or(start, |i| start + i);
    dom[start..end].to_string()
}

#[test]
#[ignore = "needs the built site, python3 and chromium-headless-shell (.ci/run)"]
fn the_site_draws_the_welcome_and_a_link_opens_its_lesson_at_its_moment() {
    let (scratch, _server, base) = served_site();
    let out = |name: &str| shot_path(&scratch, name);

    let welcome = shot(&base, &out("web-welcome.png"), scratch.path());
    assert!(
        colours(&welcome) > 50,
        "the welcome view did not draw ({} colours)",
        colours(&welcome)
    );
    let dom = chromium(&base, "--dump-dom", scratch.path());
    assert!(!dom.contains("Loading Settle"), "still loading: {dom}");
    assert_eq!(title(&dom), "Settle");
    // The widgets reach a screen reader: egui's AccessKit tree mirrored
    // into the page (src/ui/web_a11y.rs).
    for widget in [
        r#"role="button" aria-label="New drawing""#,
        r#"role="button" aria-label="Open…""#,
    ] {
        assert!(dom.contains(widget), "no {widget} in the page");
    }

    let link = format!("{base}#lesson=04-outbox-and-cdc&t=0.9s");
    let lesson = shot(&link, &out("web-lesson-04-0.9s.png"), scratch.path());
    let start = shot(
        &format!("{base}#lesson=04-outbox-and-cdc&t=0s"),
        &out("web-lesson-04-0s.png"),
        scratch.path(),
    );
    assert!(
        differing(&welcome, &lesson) > 0.05,
        "the link shows the welcome view"
    );
    assert!(
        differing(&start, &lesson) > 0.001,
        "lesson 04 at 0.9 s looks as it does at 0 s"
    );
    let dom = chromium(&link, "--dump-dom", scratch.path());
    let t = title(&dom);
    assert!(
        t.contains("04-outbox-and-cdc") && t.contains("at 0.900s"),
        "the page names another place: {t:?}"
    );
}

/// The title lesson 04's scenario gives the page.
fn lesson_04_title() -> String {
    let text = std::fs::read_to_string("scenarios/04-outbox-and-cdc.ron").expect("lesson 04");
    settle::scenario::from_str(&text, "04")
        .expect("lesson 04 reads")
        .title
}

#[test]
#[ignore = "needs the built site, python3 and chromium-headless-shell (.ci/run)"]
fn a_link_carrying_a_drawing_opens_it_and_a_cut_one_leaves_the_welcome_view() {
    let (scratch, _server, base) = served_site();
    let out = |name: &str| shot_path(&scratch, name);
    let printed = Command::new(env!("CARGO_BIN_EXE_settle"))
        .args([
            "link",
            "scenarios/04-outbox-and-cdc.ron",
            "--at",
            "1s",
            "--base",
        ])
        .arg(&base)
        .output()
        .expect("settle link runs");
    assert!(printed.status.success(), "{printed:?}");
    let link = String::from_utf8_lossy(&printed.stdout).trim().to_string();
    assert!(link.starts_with(&format!("{base}#design=")), "{link}");

    let dom = chromium(&link, "--dump-dom", scratch.path());
    let t = title(&dom);
    assert!(
        t.contains(&lesson_04_title()) && t.contains("at 1.000s"),
        "the page names another place: {t:?}"
    );
    let drawing = shot(&link, &out("web-design-04-1s.png"), scratch.path());
    let welcome = shot(&base, &out("web-welcome-2.png"), scratch.path());
    assert!(
        differing(&welcome, &drawing) > 0.05,
        "the link shows the welcome view"
    );

    let cut = &link[..link.len() - 60];
    let dom = chromium(cut, "--dump-dom", scratch.path());
    assert_eq!(title(&dom), "Settle", "a cut link opened something");
    let broken = shot(cut, &out("web-design-cut.png"), scratch.path());
    // The welcome view (the title says so), with the sentence above its
    // buttons: not the plain welcome picture, and not the drawing.
    assert!(
        differing(&welcome, &broken) > 0.0005,
        "no sentence on the welcome view"
    );
    assert!(
        differing(&drawing, &broken) > 0.05,
        "the cut link drew something"
    );
}
