//! Keeps the learner's progress (lessons done, predictions, the quiz's
//! best score, challenges solved) in a file between runs: read once at
//! start, written whole and atomically by a thread of its own whenever it
//! changes, so a frame never waits for the disk.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread::JoinHandle;

use crate::session::files::write_atomic;
use crate::session::progress::Progress;

/// The progress file's name in the storage folder.
pub const FILE: &str = "progress.ron";
/// The largest progress file read; a real one is a few kilobytes.
const MAX_BYTES: u64 = 1024 * 1024;

/// What a start found: the progress, or why it could not be read (the
/// learner then starts afresh and the unreadable file is kept aside).
pub fn load(dir: &Path) -> Result<Progress, String> {
    let file = dir.join(FILE);
    let Ok(meta) = std::fs::metadata(&file) else {
        return Ok(Progress::default());
    };
    let read = if meta.len() > MAX_BYTES {
        Err(format!(
            "it is {} bytes, more than a progress file can be",
            meta.len()
        ))
    } else {
        std::fs::read_to_string(&file)
            .map_err(|e| e.to_string())
            .and_then(|t| ron::from_str::<Progress>(&t).map_err(|e| e.to_string()))
    };
    read.map_err(|why| {
        let aside = dir.join("progress-unreadable.ron");
        std::fs::rename(&file, &aside).ok();
        format!(
            "Your progress could not be read ({why}); Settle starts it afresh and kept the old file as {}.",
            aside.display()
        )
    })
}

/// Writes the progress whenever its revision moves.
pub struct ProgressStore {
    tx: Option<mpsc::Sender<String>>,
    thread: Option<JoinHandle<()>>,
    /// The revision last handed to the thread.
    written: u64,
}

impl ProgressStore {
    /// Starts the writing thread for `dir`.
    pub fn start(dir: PathBuf) -> std::io::Result<ProgressStore> {
        std::fs::create_dir_all(&dir)?;
        let file = dir.join(FILE);
        let (tx, rx) = mpsc::channel::<String>();
        let thread = std::thread::Builder::new()
            .name("settle-progress".into())
            .spawn(move || {
                while let Ok(mut text) = rx.recv() {
                    // Only the newest of several waiting versions matters.
                    while let Ok(newer) = rx.try_recv() {
                        text = newer;
                    }
                    write_atomic(&file, text.as_bytes()).ok();
                }
            })?;
        Ok(ProgressStore {
            tx: Some(tx),
            thread: Some(thread),
            written: 0,
        })
    }

    /// After a frame: hands the thread the progress if it changed.
    pub fn watch(&mut self, p: &Progress) {
        if p.revision == self.written {
            return;
        }
        self.written = p.revision;
        let pretty = ron::ser::PrettyConfig::new();
        if let (Ok(text), Some(tx)) = (ron::ser::to_string_pretty(p, pretty), &self.tx) {
            tx.send(text).ok();
        }
    }
}

impl Drop for ProgressStore {
    /// Whatever is waiting is written before the app ends.
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

    #[test]
    fn progress_written_is_read_back_and_a_bad_file_is_kept_aside() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(load(dir.path()), Ok(Progress::default()));
        let mut p = Progress::default();
        p.finished("01-data-ownership.ron");
        p.guessed("01-data-ownership.ron", 2, true);
        p.quiz(12, 17);
        p.solved("A cart that loses nothing");
        {
            let mut store = ProgressStore::start(dir.path().to_path_buf()).expect("starts");
            store.watch(&p);
        }
        let back = load(dir.path()).expect("reads");
        assert_eq!(back.lessons, p.lessons);
        assert_eq!(back.quiz_best, Some((12, 17)));
        assert!(back.challenges.contains("A cart that loses nothing"));

        std::fs::write(dir.path().join(FILE), "(lessons: [").expect("writes");
        let e = load(dir.path()).expect_err("unreadable");
        assert!(e.contains("afresh"), "{e}");
        assert!(dir.path().join("progress-unreadable.ron").exists());
        assert_eq!(load(dir.path()), Ok(Progress::default()));
    }
}
