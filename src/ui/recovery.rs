//! Keeps the recovery copy of the drawing on disk, written by a thread of
//! its own shortly after every change: whether or not the window repaints,
//! and without ever making a frame wait for the disk. Changes coming fast
//! (a drag) are written once they pause, and at least every two seconds.
//! See `session::recovery` for what the copy holds and how a start uses it.

use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::session::files::write_atomic;
use crate::session::recovery::{LIVE, Snapshot, now_ms};
use crate::session::{Document, Session};

/// How long changes must pause before the copy is written.
const QUIET: Duration = Duration::from_millis(600);
/// The longest a change waits to be written while changes keep coming.
const AT_MOST: Duration = Duration::from_secs(2);

/// The folder the recovery copy lives in.
pub fn folder() -> Option<PathBuf> {
    eframe::storage_dir("Settle")
}

pub struct Saver {
    tx: Option<mpsc::Sender<String>>,
    thread: Option<JoinHandle<()>>,
    file: PathBuf,
    /// What the last snapshot was taken of: (generation, revision, dirty,
    /// file), so a frame with no change sends nothing.
    sent: Option<(u64, u64, bool, Option<PathBuf>)>,
}

impl Saver {
    /// Starts the writing thread for a copy in `dir`.
    pub fn start(dir: PathBuf) -> std::io::Result<Saver> {
        std::fs::create_dir_all(&dir)?;
        let file = dir.join(LIVE);
        let (tx, rx) = mpsc::channel::<String>();
        let target = file.clone();
        let thread = std::thread::Builder::new()
            .name("settle-recovery".into())
            .spawn(move || {
                let mut pending: Option<(String, Instant)> = None;
                loop {
                    let got = match &pending {
                        Some((_, since)) => {
                            let wait = QUIET.min(AT_MOST.saturating_sub(since.elapsed()));
                            rx.recv_timeout(wait)
                        }
                        None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
                    };
                    match got {
                        Ok(text) => {
                            let since = pending.take().map_or_else(Instant::now, |p| p.1);
                            pending = Some((text, since));
                            if since.elapsed() < AT_MOST {
                                continue;
                            }
                        }
                        Err(RecvTimeoutError::Timeout) => {}
                        Err(RecvTimeoutError::Disconnected) => {
                            if let Some((text, _)) = pending.take() {
                                write_atomic(&target, text.as_bytes()).ok();
                            }
                            return;
                        }
                    }
                    if let Some((text, _)) = pending.take() {
                        write_atomic(&target, text.as_bytes()).ok();
                    }
                }
            })?;
        Ok(Saver {
            tx: Some(tx),
            thread: Some(thread),
            file,
            sent: None,
        })
    }

    /// After a frame: hands the thread a snapshot if the drawing changed.
    pub fn watch(&mut self, s: &Session) {
        let doc = &s.doc;
        let key = (s.generation, doc.revision, doc.dirty, doc.path.clone());
        if self.sent.as_ref() == Some(&key) {
            return;
        }
        self.sent = Some(key);
        if let Some(text) = Snapshot::of(doc, now_ms(), false).and_then(|s| s.to_text())
            && let Some(tx) = &self.tx
        {
            tx.send(text).ok();
        }
    }

    /// On a normal exit: the copy becomes the drawing to continue, written
    /// now, before the process ends.
    pub fn close(&mut self, doc: &Document) {
        self.tx.take();
        if let Some(t) = self.thread.take() {
            t.join().ok();
        }
        if let Some(text) = Snapshot::of(doc, now_ms(), true).and_then(|s| s.to_text()) {
            write_atomic(&self.file, text.as_bytes()).ok();
        }
    }
}

impl Drop for Saver {
    fn drop(&mut self) {
        self.tx.take();
        if let Some(t) = self.thread.take() {
            t.join().ok();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::recovery::at_start;

    #[test]
    fn a_change_reaches_the_disk_within_two_seconds_without_a_frame() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut saver = Saver::start(dir.path().to_path_buf()).expect("starts");
        let mut s = Session::new(1.0, Default::default());
        s.apply(crate::session::Cmd::New);
        s.apply(crate::session::Cmd::Edit(crate::session::Edit::AddNode {
            kind: crate::scenario::Kind::Client,
            at: None,
        }));
        saver.watch(&s);
        let file = dir.path().join(LIVE);
        let started = Instant::now();
        while !file.exists() && started.elapsed() < Duration::from_secs(3) {
            std::thread::sleep(Duration::from_millis(20));
        }
        let waited = started.elapsed();
        assert!(file.exists(), "no copy after {waited:?}");
        assert!(waited <= AT_MOST, "took {waited:?}");
        // As if the process were killed now: the next start offers it.
        std::mem::forget(saver);
        let found = at_start(dir.path());
        assert_eq!(found.recovered.len(), 1);
        assert_eq!(found.recovered[0].snapshot.nodes, 1);
    }
}
