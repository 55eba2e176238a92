//! `settle link`: the address that opens a drawing in the web build, with
//! the drawing carried in it, for a teacher to send to a class.

use std::path::Path;

use crate::scenario::{self, parse_dur};
use crate::session::{link, presets};

/// The link to `file` at moment `at` (default 0 s), after `base` (the
/// web build's address; without it, the fragment alone, which the app's
/// "Open a path or a link" and `settle open` take too). A file named as
/// a lesson ships (`04-outbox-and-cdc.ron`) is taken to have started as
/// that lesson, so the page offers to compare the two.
pub(super) fn link_file(
    file: &Path,
    at: Option<&str>,
    base: Option<&str>,
) -> Result<String, String> {
    let s = scenario::load_file(file).map_err(|e| e.to_string())?;
    let at = match at {
        Some(t) => parse_dur(t).map_err(|e| format!("--at: {e}"))?.0,
        None => 0,
    };
    if at > s.until.0 {
        return Err(format!(
            "--at: {} is after the end of the run ({}).",
            scenario::fmt_time(at),
            scenario::fmt_time(s.until.0)
        ));
    }
    let from = file
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(presets::index_of);
    let fragment = link::format_design(&s, at, from)?;
    let link = format!("{}{fragment}", base.unwrap_or("").trim_end_matches('#'));
    if link.len() > link::packed::MAX_LINK_CHARS {
        return Err(link::packed::too_long(link.len()));
    }
    Ok(link)
}
