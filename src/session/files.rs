//! Writing files so that nothing is lost: a file is written whole to a
//! temporary file beside it, flushed to disk, then renamed over the old
//! one, so a crash or a full disk leaves either the old file or the new,
//! never half of one. A file is remembered by a fingerprint of what it held
//! when opened or saved, so a change made on disk by someone else is not
//! overwritten without asking.

use std::io::Write;
use std::path::Path;

/// A fingerprint of a file's bytes (FNV-1a): equal bytes, equal print.
pub fn fingerprint(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// What the file at `path` holds now, as a fingerprint; `None` when there
/// is no such file (or it cannot be read).
pub fn fingerprint_of(path: &Path) -> Option<u64> {
    std::fs::read(path).ok().map(|b| fingerprint(&b))
}

/// Writes `bytes` to `path` atomically, keeping the old file's permissions
/// (a new file gets the usual ones).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".settle-").suffix(".tmp");
    #[cfg(unix)]
    let permissions = {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path)
            .map(|m| m.permissions())
            .unwrap_or_else(|_| std::fs::Permissions::from_mode(0o644))
    };
    #[cfg(unix)]
    builder.permissions(permissions);
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    // Make the rename itself durable.
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        d.sync_all().ok();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_files_and_keeps_permissions() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.ron");
        write_atomic(&path, b"first").expect("writes");
        assert_eq!(std::fs::read(&path).expect("reads"), b"first");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
            write_atomic(&path, b"second").expect("writes again");
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        assert_eq!(std::fs::read(&path).expect("reads"), b"second");
        // Nothing is left beside it.
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .expect("lists")
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left.len(), 1, "{left:?}");
        assert_eq!(fingerprint_of(&path), Some(fingerprint(b"second")));
    }

    #[test]
    fn a_write_that_fails_leaves_the_old_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.ron");
        write_atomic(&path, b"kept").expect("writes");
        // A directory where the file's folder should be: the write fails.
        let bad = dir.path().join("a.ron").join("b.ron");
        assert!(write_atomic(&bad, b"lost").is_err());
        assert_eq!(std::fs::read(&path).expect("reads"), b"kept");
    }
}
