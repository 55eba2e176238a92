//! A drawing packed into a link: its scenario as compact RON, deflated
//! (zlib, whose checksum catches a damaged link) and written in base64url
//! without padding, the characters an address carries unescaped. Both
//! ways are bounded: a link too long to share is refused before it is
//! made, and unpacking stops at a size no drawing in a link needs, so a
//! small link that inflates to gigabytes is refused, not unpacked.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use miniz_oxide::inflate::TINFLStatus;
use ron::extensions::Extensions;

use crate::scenario::{self, Scenario};

/// The longest link Settle makes or reads, in characters. Browsers take
/// more, but chat apps and learning platforms cut long addresses, and a
/// drawing this large is better shared as a file.
pub const MAX_LINK_CHARS: usize = 32_000;

/// The most text a link's drawing may unpack to. Compact RON of the
/// largest lesson is well under a tenth of this.
pub const MAX_TEXT_BYTES: usize = 256 * 1024;

/// How a link's drawing is named in located errors ("the link:1:57: …").
pub const SOURCE: &str = "the link";

/// The scenario as a link's `design=` value.
pub fn pack(s: &Scenario) -> Result<String, String> {
    // The extensions the scenario reader enables by default, so the text
    // needs no `#![enable(..)]` header; the round-trip tests pin this.
    let text = ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME | Extensions::UNWRAP_VARIANT_NEWTYPES)
        .to_string(s)
        .map_err(|e| format!("The drawing could not be written into a link: {e}."))?;
    let deflated = miniz_oxide::deflate::compress_to_vec_zlib(text.as_bytes(), 10);
    Ok(URL_SAFE_NO_PAD.encode(deflated))
}

/// The scenario a `design=` value holds, checked as a file is; every
/// failure is one sentence saying what is wrong with the link.
pub fn unpack(value: &str) -> Result<Scenario, String> {
    if value.len() > MAX_LINK_CHARS {
        return Err(too_long(value.len()));
    }
    if value.is_empty() {
        return Err("The link's drawing is empty: copy the whole link again.".into());
    }
    let bytes = URL_SAFE_NO_PAD.decode(value).map_err(|e| damaged(&e))?;
    let text = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&bytes, MAX_TEXT_BYTES)
        .map_err(|e| match e.status {
            TINFLStatus::HasMoreOutput => format!(
                "The link's drawing unpacks to more than {} KiB, more than any drawing a link may hold: it was not opened.",
                MAX_TEXT_BYTES / 1024
            ),
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => {
                "The link is cut short: its drawing ends too soon. Copy the whole link again."
                    .to_string()
            }
            _ => "The link is damaged: its drawing does not unpack (a character was changed or lost). Copy the whole link again."
                .to_string(),
        })?;
    let text = String::from_utf8(text).map_err(|_| {
        "The link is damaged: its drawing does not unpack to text. Copy the whole link again."
            .to_string()
    })?;
    scenario::from_str(&text, SOURCE)
        .map_err(|e| format!("The drawing in the link cannot be opened: {e}"))
}

/// Why a link of `n` characters is refused.
pub fn too_long(n: usize) -> String {
    format!(
        "The link is {n} characters long; Settle's links hold at most {MAX_LINK_CHARS}. Share the drawing as a file instead."
    )
}

fn damaged(e: &base64::DecodeError) -> String {
    use base64::DecodeError as D;
    match e {
        D::InvalidByte(at, byte) => format!(
            "The link is damaged: its drawing has \"{}\" at character {}, which no link holds. Copy the whole link again.",
            char::from(*byte).escape_default(),
            at + 1
        ),
        D::InvalidLength(_) | D::InvalidLastSymbol { .. } => {
            "The link is cut short: its drawing ends in the middle of a character group. Copy the whole link again."
                .to_string()
        }
        D::InvalidPadding => {
            "The link is damaged: its drawing ends with padding a link does not have. Copy the whole link again."
                .to_string()
        }
    }
}
