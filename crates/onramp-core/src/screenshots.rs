//! Screenshots for a draft's named slots: checked by content, stored once, without metadata.
//!
//! Every accepted image is decoded and re-encoded as PNG. That is what strips EXIF/GPS and any
//! other metadata from the stored copy (screenshots of customers' admin consoles must not carry
//! location data), and it makes the stored bytes — and so their SHA-256 — depend on the pixels
//! alone. Files live under `<data dir>/blobs/` named by that hash, never by a user's file name.
//! Checking and cleaning (in `onramp-images`) need no database, so the adapters run them before
//! taking the core's lock (see `Shared`); only the write holds it.

use serde::Deserialize;
use ts_rs::TS;

use crate::answers::AnswerValue;
use crate::drafts::{self, DraftView};
use crate::model::{Change, CleanImage, DraftId, Event};
use crate::work::Work;
use crate::{Error, Result, store};

pub use crate::store::screenshots::png_data_url;

/// Larger files are refused before anything else is looked at.
pub const MAX_BYTES: usize = 25 * 1024 * 1024;
/// Larger images are refused from their header, before any pixel is decoded.
pub const MAX_PIXELS: u64 = 50_000_000;
const THUMBNAIL: (u32, u32) = (320, 200);
/// What a pasted screenshot is called, having no file name of its own.
pub const PASTED_NAME: &str = "Pasted screenshot.png";

/// One screenshot slot of one draft.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScreenshotSlotRef {
    pub draft_id: DraftId,
    pub slot_id: String,
}

/// Checks `bytes` and re-encodes them; the error says why an image is refused.
pub fn clean(bytes: &[u8], file_name: &str) -> Result<CleanImage> {
    use onramp_images::Refused;
    let refuse =
        |why: String| Error::InvalidInput(format!("“{file_name}” was not attached: {why}"));
    let bounds = onramp_images::Bounds {
        max_bytes: MAX_BYTES,
        max_pixels: MAX_PIXELS,
        thumbnail: THUMBNAIL,
    };
    let cleaned = onramp_images::clean(bytes, bounds).map_err(|refused| match refused {
        Refused::TooLarge { bytes } => refuse(too_large(crate::files::Size {
            bytes: bytes as u64,
            exact: true,
        })),
        Refused::NotAccepted(what) => {
            refuse(format!("{what}; attach a PNG, JPEG, WebP or GIF image"))
        }
        Refused::TooManyPixels { width, height } => refuse(format!(
            "it is {width} × {height} pixels ({} megapixels), and screenshots may be at most 50 megapixels",
            (u64::from(width) * u64::from(height)).div_ceil(1_000_000)
        )),
        Refused::Damaged(e) => refuse(format!("it is damaged or truncated ({e})")),
        Refused::Encoding(e) => Error::Storage(format!("could not encode a screenshot: {e}")),
        Refused::CannotFit { .. } => Error::Storage("a screenshot was fitted to a limit".into()),
    })?;
    Ok(CleanImage {
        png: cleaned.png,
        thumbnail: cleaned.thumbnail,
        sha256: cleaned.sha256,
        width: cleaned.width,
        height: cleaned.height,
    })
}

/// Pixels from the clipboard as a PNG, so they take the same checks and path as a file.
pub fn png_from_rgba(width: u32, height: u32, rgba: Vec<u8>) -> Result<Vec<u8>> {
    let refuse =
        |why: &str| Error::InvalidInput(format!("the pasted image was not attached: {why}"));
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(refuse("it is larger than 50 megapixels"));
    }
    onramp_images::png_from_rgba(width, height, rgba)
        .ok_or_else(|| refuse("the clipboard's pixels do not match its size"))?
        .map_err(|refused| match refused {
            onramp_images::Refused::Encoding(e) => {
                Error::Storage(format!("could not encode a screenshot: {e}"))
            }
            other => refuse(&format!("{other:?}")),
        })
}

#[allow(clippy::cast_precision_loss)] // shown with one decimal; precision is not at stake
fn too_large(size: crate::files::Size) -> String {
    format!("it is {size}, and screenshots may be at most 25 MB")
}

/// A file the CSM picked or dropped: its name (for display) and its bytes; one over the size
/// limit is refused unread.
pub fn read_file(path: &std::path::Path) -> Result<(String, Vec<u8>)> {
    let name = path
        .file_name()
        .map_or_else(|| "screenshot".into(), |n| n.to_string_lossy().into_owned());
    match crate::files::read_limited(path, MAX_BYTES as u64)? {
        crate::files::Limited::Read(bytes) => Ok((name, bytes)),
        crate::files::Limited::TooLarge(size) => Err(Error::InvalidInput(format!(
            "“{name}” was not attached: {}",
            too_large(size)
        ))),
    }
}

/// The slot `target` names, if the draft's provider asks for it and the draft may change.
pub(crate) fn slot(w: &Work<'_>, target: &ScreenshotSlotRef) -> Result<String> {
    let draft = w.editable(target.draft_id)?;
    let provider = w.provider(&draft.provider_id)?;
    provider
        .screenshots
        .iter()
        .find(|s| s.id == target.slot_id)
        .map(|s| s.id.clone())
        .ok_or_else(|| {
            Error::InvalidInput(format!(
                "{} asks for no screenshot `{}`",
                provider.name, target.slot_id
            ))
        })
}

/// Puts the cleaned `image` in the slot `target` names, replacing what was there.
pub(crate) fn attach(
    w: &Work<'_>,
    target: &ScreenshotSlotRef,
    file_name: &str,
    image: &CleanImage,
) -> Result<DraftView> {
    let slot = slot(w, target)?;
    // Cheap when the files are there already (written before the lock was taken); they may
    // have gone since, with a purge that freed the same pixels.
    store::screenshots::write_files(w.dir, image)?;
    store::screenshots::record_blob(w.conn(), image, w.now)?;
    let old = store::screenshots::attach(
        w.conn(),
        target.draft_id,
        &slot,
        &image.sha256,
        file_name,
        w.now,
    )?;
    changed(w, target, old, Some(image.sha256.clone()))?;
    drafts::open(w, target.draft_id)
}

pub(crate) fn remove(w: &Work<'_>, target: &ScreenshotSlotRef) -> Result<DraftView> {
    let slot = slot(w, target)?;
    let old = store::screenshots::detach(w.conn(), target.draft_id, &slot)?;
    if old.is_some() {
        changed(w, target, old, None)?;
    }
    drafts::open(w, target.draft_id)
}

/// Records that the slot's screenshot went from `old` to `new` (their hashes).
fn changed(
    w: &Work<'_>,
    target: &ScreenshotSlotRef,
    old: Option<String>,
    new: Option<String>,
) -> Result<()> {
    w.touch(target.draft_id)?;
    let (old, new) = (old.map(AnswerValue::Text), new.map(AnswerValue::Text));
    let change = Change::of(Event::Screenshot)
        .field(&target.slot_id)
        .values(old.as_ref(), new.as_ref());
    w.record(target.draft_id, change)?;
    w.refresh(target.draft_id)?;
    w.drop_unused_screenshots()
}

/// The stored, full-size PNG of a slot's screenshot.
pub(crate) fn png(w: &Work<'_>, target: &ScreenshotSlotRef) -> Result<Vec<u8>> {
    // Only the hash is needed: listing would read every thumbnail of the draft from disk.
    let sha256 = store::screenshots::current(w.conn(), target.draft_id, &target.slot_id)?
        .ok_or_else(|| Error::NotFound {
            what: "screenshot",
            id: target.slot_id.clone(),
        })?;
    store::screenshots::read(w.dir, &sha256)
}
