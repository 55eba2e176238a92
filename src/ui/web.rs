//! The browser's ways for what the desktop does with files and folders
//! (compiled for wasm32 only): the app starts in the page's canvas; a
//! scenario is opened through the browser's file picker or dropped on the
//! page; saving hands the file over as a download; the last drawing, the
//! unsaved work a closed tab left and the learner's progress live in the
//! browser's local storage; the page address can name a lesson or carry a
//! drawing, at a moment (see `session::link`), when the page opens and
//! whenever the address changes.

use std::cell::RefCell;
use std::rc::Rc;

use crate::session::Session;
use crate::session::progress::Progress;
use crate::session::recovery::{Recovered, Snapshot, now_ms};

use super::SettleApp;

/// Local-storage keys. The live copy is written after every change; one
/// left with unsaved changes by a tab that closed is kept under its own key
/// until the learner recovers or discards it.
const LIVE: &str = "settle.drawing";
const ASIDE: &str = "settle.recovered.";
const PROGRESS: &str = "settle.progress";
/// The most moved-aside copies kept; older ones are dropped.
const KEPT: usize = 5;

/// Starts the app in the page's `<canvas id="the_canvas_id">`.
pub fn start() {
    use wasm_bindgen::JsCast as _;
    eframe::WebLogger::init(log::LevelFilter::Warn).ok();
    wasm_bindgen_futures::spawn_local(async {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Some(canvas) = document
            .get_element_by_id("the_canvas_id")
            .and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok())
        else {
            return;
        };
        let started = eframe::WebRunner::new()
            .start(
                canvas,
                eframe::WebOptions::default(),
                Box::new(|cc| {
                    // eframe drops egui's AccessKit tree on the web: mirror
                    // it into the page for screen readers.
                    cc.egui_ctx
                        .add_plugin(super::web_a11y::AriaMirror::default());
                    Ok(Box::new(SettleApp::in_browser(cc)))
                }),
            )
            .await;
        if let Some(loading) = document.get_element_by_id("loading_text") {
            match started {
                Ok(()) => loading.remove(),
                Err(e) => loading.set_inner_html(&format!(
                    "<p>Settle could not start in this browser: {e:?}</p>"
                )),
            }
        }
    });
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn read(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

fn write(key: &str, value: &str) {
    if let Some(s) = storage() {
        s.set_item(key, value).ok();
    }
}

fn keys() -> Vec<String> {
    let Some(s) = storage() else {
        return Vec::new();
    };
    let n = s.length().unwrap_or(0);
    (0..n).filter_map(|i| s.key(i).ok().flatten()).collect()
}

/// Keeps the drawing and the progress in local storage as they change.
/// Writing is synchronous and small (one scenario file), so there is no
/// thread to hand it to, and nothing waits for a timer.
#[derive(Default)]
pub struct Keeper {
    sent: Option<(u64, u64, bool)>,
    progress: u64,
    /// The keys of the copies offered at start, until each is decided.
    offered: Vec<String>,
    /// The page address's fragment last opened (or found at start).
    address: String,
}

impl Keeper {
    /// Reads what an earlier visit left: the drawing to continue, unsaved
    /// work to offer, the progress.
    pub fn start(session: &mut Session) -> Keeper {
        if let Some(snap) = read(LIVE).and_then(|t| Snapshot::from_text(&t)) {
            if snap.dirty && !snap.clean_exit {
                // Keep it under a key of its own, so this visit's first edit
                // cannot overwrite it.
                if let Some(text) = snap.to_text() {
                    write(&format!("{ASIDE}{}", snap.saved_at_ms), &text);
                }
            }
            session.last = Some(snap);
        }
        let mut aside: Vec<Recovered> = keys()
            .into_iter()
            .filter(|k| k.starts_with(ASIDE))
            .filter_map(|k| {
                let snapshot = Snapshot::from_text(&read(&k)?)?;
                Some(Recovered {
                    file: k.into(),
                    snapshot,
                })
            })
            .collect();
        aside.sort_by_key(|r| std::cmp::Reverse(r.snapshot.saved_at_ms));
        if let Some(s) = storage() {
            for old in aside.iter().skip(KEPT) {
                s.remove_item(&old.file.to_string_lossy()).ok();
            }
        }
        aside.truncate(KEPT);
        let offered = aside
            .iter()
            .map(|r| r.file.to_string_lossy().into_owned())
            .collect();
        session.recovered = aside;
        if let Some(p) = read(PROGRESS).and_then(|t| ron::from_str::<Progress>(&t).ok()) {
            session.progress = p;
        }
        Keeper {
            offered,
            address: location().1,
            ..Keeper::default()
        }
    }

    /// The page address's fragment, when someone changed it since the last
    /// look (pasted another link into the address bar): eframe wakes a
    /// frame on `hashchange`, and this frame opens it.
    pub fn address_changed(&mut self) -> Option<String> {
        let now = location().1;
        if now == self.address {
            return None;
        }
        self.address = now.clone();
        Some(now).filter(|f| !f.trim_start_matches('#').is_empty())
    }

    /// After a frame: writes what changed, and forgets the copies the
    /// learner recovered or discarded.
    pub fn watch(&mut self, s: &Session) {
        let still = |k: &String| s.recovered.iter().any(|r| r.file.to_string_lossy() == *k);
        if !self.offered.iter().all(still) {
            if let Some(st) = storage() {
                for k in self.offered.iter().filter(|k| !still(k)) {
                    st.remove_item(k).ok();
                }
            }
            self.offered.retain(still);
        }
        let key = (s.generation, s.doc.revision, s.doc.dirty);
        if self.sent != Some(key) {
            self.sent = Some(key);
            if let Some(text) = Snapshot::of(&s.doc, now_ms(), false).and_then(|s| s.to_text()) {
                write(LIVE, &text);
            }
        }
        if s.progress.revision != self.progress {
            self.progress = s.progress.revision;
            let pretty = ron::ser::PrettyConfig::new();
            if let Ok(text) = ron::ser::to_string_pretty(&s.progress, pretty) {
                write(PROGRESS, &text);
            }
        }
    }
}

/// A file the browser's picker handed over, waiting for the next frame.
pub type Picked = Rc<RefCell<Option<(String, Vec<u8>)>>>;

/// Shows the browser's file picker; the chosen file lands in `slot`.
pub fn pick_file(slot: Picked, ctx: egui::Context) {
    wasm_bindgen_futures::spawn_local(async move {
        let file = rfd::AsyncFileDialog::new()
            .add_filter("Settle scenario", &["ron"])
            .pick_file()
            .await;
        if let Some(file) = file {
            let bytes = file.read().await;
            *slot.borrow_mut() = Some((file.file_name(), bytes));
            ctx.request_repaint();
        }
    });
}

/// Reads a file dropped on the page (browsers read files only
/// asynchronously); it lands in `slot` like a picked one.
pub fn read_dropped(file: egui::DroppedFileHandle, slot: Picked, ctx: egui::Context) {
    wasm_bindgen_futures::spawn_local(async move {
        let name = file.path().file_name().map_or_else(
            || "dropped.ron".into(),
            |n| n.to_string_lossy().into_owned(),
        );
        if let Ok(bytes) = file.bytes_async().await {
            *slot.borrow_mut() = Some((name, bytes));
            ctx.request_repaint();
        }
    });
}

/// Hands `bytes` to the person as a downloaded file called `name`.
pub fn download(name: String, bytes: Vec<u8>) {
    wasm_bindgen_futures::spawn_local(async move {
        if let Some(handle) = rfd::AsyncFileDialog::new()
            .set_file_name(&name)
            .save_file()
            .await
        {
            handle.write(&bytes).await.ok();
        }
    });
}

/// The page's address without its fragment, and its fragment.
pub fn location() -> (String, String) {
    let Some(loc) = web_sys::window().map(|w| w.location()) else {
        return (String::new(), String::new());
    };
    let href = loc.href().unwrap_or_default();
    let hash = loc.hash().unwrap_or_default();
    let base = href.split('#').next().unwrap_or_default().to_string();
    (base, hash)
}

/// Names the page's tab (eframe leaves the document's title alone).
pub fn set_title(title: &str) {
    if let Some(d) = web_sys::window().and_then(|w| w.document()) {
        d.set_title(title);
    }
}
