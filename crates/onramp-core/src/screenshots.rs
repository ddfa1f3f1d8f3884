//! Screenshots for a draft's named slots: checked by content, stored once, without metadata.
//!
//! Every accepted image is decoded and re-encoded as PNG. That is what strips EXIF/GPS and any
//! other metadata from the stored copy (screenshots of customers' admin consoles must not carry
//! location data), and it makes the stored bytes — and so their SHA-256 — depend on the pixels
//! alone. Files live under `<data dir>/blobs/` named by that hash, never by a user's file name.

use std::collections::HashSet;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::bundle::BundledScreenshot;
use crate::drafts::{DraftId, millis};
use crate::{Error, Result};

/// Larger files are refused before anything else is looked at.
pub const MAX_BYTES: usize = 25 * 1024 * 1024;
/// Larger images are refused from their header, before any pixel is decoded.
pub const MAX_PIXELS: u64 = 50_000_000;
const THUMBNAIL: (u32, u32) = (320, 200);
/// What a pasted screenshot is called, having no file name of its own.
pub const PASTED_NAME: &str = "Pasted screenshot.png";
const BLOBS: &str = "blobs";

/// A screenshot attached to a slot, as the wizard shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Screenshot {
    pub slot_id: String,
    /// The name the CSM's file had, for display only.
    pub file_name: String,
    pub sha256: String,
    pub width: u32,
    pub height: u32,
    /// Bytes of the stored (cleaned) PNG.
    pub size: u64,
    #[ts(type = "string")]
    pub attached_at: Timestamp,
    /// A small PNG as a `data:` URL.
    pub thumbnail: String,
}

/// An image that passed every check, cleaned and ready to store.
#[derive(Debug)]
pub struct CleanImage {
    pub png: Vec<u8>,
    pub thumbnail: Vec<u8>,
    pub sha256: String,
    pub width: u32,
    pub height: u32,
}

/// Checks `bytes` and re-encodes them; the error says why an image is refused.
pub fn clean(bytes: &[u8], file_name: &str) -> Result<CleanImage> {
    let refuse =
        |why: String| Error::InvalidInput(format!("“{file_name}” was not attached: {why}"));
    if bytes.len() > MAX_BYTES {
        return Err(refuse(format!(
            "it is {:.1} MB, and screenshots may be at most 25 MB",
            mb(bytes.len())
        )));
    }
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| refuse(e.to_string()))?;
    match reader.format() {
        Some(ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP | ImageFormat::Gif) => {}
        other => {
            return Err(refuse(format!(
                "{}; attach a PNG, JPEG, WebP or GIF image",
                describe(other, bytes)
            )));
        }
    }
    let (width, height) = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| refuse(e.to_string()))?
        .into_dimensions()
        .map_err(|e| refuse(format!("it is damaged or truncated ({e})")))?;
    let pixels = u64::from(width) * u64::from(height);
    if pixels > MAX_PIXELS {
        return Err(refuse(format!(
            "it is {width} × {height} pixels ({} megapixels), and screenshots may be at most 50 megapixels",
            pixels.div_ceil(1_000_000)
        )));
    }
    let image = decode(reader).map_err(|e| refuse(format!("it is damaged or truncated ({e})")))?;
    let png = encode_png(&image)?;
    let thumbnail = encode_png(&image.thumbnail(THUMBNAIL.0, THUMBNAIL.1))?;
    Ok(CleanImage {
        sha256: hex(&Sha256::digest(&png)),
        width: image.width(),
        height: image.height(),
        png,
        thumbnail,
    })
}

/// Pixels from the clipboard as a PNG, so they take the same checks and path as a file.
pub(crate) fn png_from_rgba(width: u32, height: u32, rgba: Vec<u8>) -> Result<Vec<u8>> {
    let refuse =
        |why: &str| Error::InvalidInput(format!("the pasted image was not attached: {why}"));
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(refuse("it is larger than 50 megapixels"));
    }
    let image = image::RgbaImage::from_raw(width, height, rgba)
        .ok_or_else(|| refuse("the clipboard's pixels do not match its size"))?;
    encode_png(&DynamicImage::ImageRgba8(image))
}

fn decode(reader: ImageReader<Cursor<&[u8]>>) -> image::ImageResult<DynamicImage> {
    let mut limits = Limits::default();
    // The header passed the pixel check; these keep a lying header from allocating more.
    limits.max_alloc = Some(MAX_PIXELS * 4 * 2);
    let mut reader = reader;
    reader.limits(limits);
    let mut decoder = reader.into_decoder()?;
    let orientation = decoder.orientation()?;
    let mut image = DynamicImage::from_decoder(decoder)?;
    // Metadata is dropped, so apply the one piece that changes how the picture looks.
    image.apply_orientation(orientation);
    Ok(image)
}

fn encode_png(image: &DynamicImage) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .map_err(|e| Error::Storage(format!("could not encode a screenshot: {e}")))?;
    Ok(out)
}

/// What a refused file looks like, so the message says more than "unsupported".
fn describe(format: Option<ImageFormat>, bytes: &[u8]) -> String {
    if let Some(format) = format {
        let name = format
            .extensions_str()
            .first()
            .map_or_else(|| format!("{format:?}"), |ext| ext.to_uppercase());
        return format!("it is a {name} image, which Onramp does not accept");
    }
    let kind = if bytes.starts_with(b"%PDF") {
        "a PDF document"
    } else if bytes.starts_with(b"PK\x03\x04") {
        "a ZIP archive or Office document"
    } else if bytes.is_empty() {
        "an empty file"
    } else if std::str::from_utf8(bytes).is_ok() {
        "a text file"
    } else {
        "not an image"
    };
    format!("it is {kind}")
}

#[allow(clippy::cast_precision_loss)] // shown with one decimal; precision is not at stake
fn mb(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn blob_path(dir: &Path, sha256: &str) -> PathBuf {
    dir.join(BLOBS).join(format!("{sha256}.png"))
}

fn thumbnail_path(dir: &Path, sha256: &str) -> PathBuf {
    dir.join(BLOBS).join(format!("{sha256}.thumb.png"))
}

/// Writes the image's files (once per content) and records it; the caller's transaction
/// makes the row and the attachment appear together.
pub(crate) fn store(
    conn: &Connection,
    dir: &Path,
    image: &CleanImage,
    now: Timestamp,
) -> Result<()> {
    std::fs::create_dir_all(dir.join(BLOBS))?;
    write_once(&blob_path(dir, &image.sha256), &image.png)?;
    write_once(&thumbnail_path(dir, &image.sha256), &image.thumbnail)?;
    conn.execute(
        "INSERT INTO blobs (sha256, media_type, width, height, size, created_at)
         VALUES (?1, 'image/png', ?2, ?3, ?4, ?5) ON CONFLICT (sha256) DO NOTHING",
        params![
            image.sha256,
            image.width,
            image.height,
            i64::try_from(image.png.len()).unwrap_or(i64::MAX),
            millis(now)
        ],
    )?;
    Ok(())
}

/// Writes through a temporary file and a rename, so a crash never leaves half a blob.
fn write_once(path: &Path, bytes: &[u8]) -> Result<()> {
    if path.exists() {
        return Ok(());
    }
    let tmp = path.with_extension("partial");
    std::fs::write(&tmp, bytes)?;
    std::fs::File::open(&tmp)?.sync_all()?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

/// Puts `sha256` in `slot`, replacing what was there; returns the previous hash.
pub(crate) fn attach(
    conn: &Connection,
    draft: DraftId,
    slot: &str,
    sha256: &str,
    file_name: &str,
    now: Timestamp,
) -> Result<Option<String>> {
    let old = current(conn, draft, slot)?;
    conn.execute(
        "INSERT INTO attachments (draft_id, slot_id, sha256, file_name, attached_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (draft_id, slot_id) DO UPDATE SET
           sha256 = excluded.sha256, file_name = excluded.file_name,
           attached_at = excluded.attached_at",
        params![draft.to_string(), slot, sha256, file_name, millis(now)],
    )?;
    Ok(old)
}

/// Empties `slot`; returns the hash that was there.
pub(crate) fn detach(conn: &Connection, draft: DraftId, slot: &str) -> Result<Option<String>> {
    let old = current(conn, draft, slot)?;
    conn.execute(
        "DELETE FROM attachments WHERE draft_id = ?1 AND slot_id = ?2",
        params![draft.to_string(), slot],
    )?;
    Ok(old)
}

/// The hash of the screenshot in `slot`, if any.
pub(crate) fn current(conn: &Connection, draft: DraftId, slot: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT sha256 FROM attachments WHERE draft_id = ?1 AND slot_id = ?2",
            params![draft.to_string(), slot],
            |r| r.get(0),
        )
        .optional()?)
}

/// The screenshots of `draft` as they travel in a bundle, without their image bytes.
pub(crate) fn attachments(conn: &Connection, draft: DraftId) -> Result<Vec<BundledScreenshot>> {
    let mut stmt = conn.prepare_cached(
        "SELECT slot_id, file_name, sha256, attached_at FROM attachments
         WHERE draft_id = ?1 ORDER BY slot_id",
    )?;
    let rows = stmt.query_map([draft.to_string()], |r| {
        Ok(BundledScreenshot {
            slot_id: r.get(0)?,
            file_name: r.get(1)?,
            sha256: r.get(2)?,
            attached_at: crate::drafts::from_millis(r.get(3)?)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The slots of `draft` that have a screenshot.
pub(crate) fn slots(conn: &Connection, draft: DraftId) -> Result<HashSet<String>> {
    let mut stmt = conn.prepare_cached("SELECT slot_id FROM attachments WHERE draft_id = ?1")?;
    let rows = stmt.query_map([draft.to_string()], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The filled slots of the drafts in `ids` (a JSON array, see `drafts::id_list`), by draft ID:
/// one query for a page of the drafts home.
pub(crate) fn slots_of(
    conn: &Connection,
    ids: &str,
) -> Result<std::collections::HashMap<String, HashSet<String>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT draft_id, slot_id FROM attachments WHERE draft_id IN (SELECT value FROM json_each(?1))",
    )?;
    let mut out: std::collections::HashMap<String, HashSet<String>> =
        std::collections::HashMap::new();
    for row in stmt.query_map([ids], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })? {
        let (draft, slot) = row?;
        out.entry(draft).or_default().insert(slot);
    }
    Ok(out)
}

pub(crate) fn list(conn: &Connection, dir: &Path, draft: DraftId) -> Result<Vec<Screenshot>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.slot_id, a.file_name, a.sha256, b.width, b.height, b.size, a.attached_at
         FROM attachments a JOIN blobs b USING (sha256)
         WHERE a.draft_id = ?1 ORDER BY a.slot_id",
    )?;
    let rows = stmt.query_map([draft.to_string()], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, u32>(3)?,
            r.get::<_, u32>(4)?,
            u64::try_from(r.get::<_, i64>(5)?).unwrap_or_default(),
            crate::drafts::from_millis(r.get(6)?)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (slot_id, file_name, sha256, width, height, size, attached_at) = row?;
        let thumbnail = std::fs::read(thumbnail_path(dir, &sha256)).map_err(|e| {
            Error::Storage(format!(
                "the thumbnail of “{file_name}” is missing from {} ({e})",
                dir.join(BLOBS).display()
            ))
        })?;
        out.push(Screenshot {
            slot_id,
            file_name,
            thumbnail: png_data_url(&thumbnail),
            sha256,
            width,
            height,
            size,
            attached_at,
        });
    }
    Ok(out)
}

/// The stored PNG of a screenshot, full size.
pub(crate) fn read(dir: &Path, sha256: &str) -> Result<Vec<u8>> {
    Ok(std::fs::read(blob_path(dir, sha256))?)
}

pub fn png_data_url(png: &[u8]) -> String {
    format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    )
}

/// Blobs no attachment uses any more; their rows are deleted here, their files by
/// `delete_files` once the transaction has committed.
pub(crate) fn orphans(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "DELETE FROM blobs WHERE sha256 NOT IN (SELECT sha256 FROM attachments) RETURNING sha256",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Best effort: a file left behind wastes space but loses nothing.
pub(crate) fn delete_files(dir: &Path, hashes: &[String]) {
    for sha256 in hashes {
        let _ = std::fs::remove_file(blob_path(dir, sha256));
        let _ = std::fs::remove_file(thumbnail_path(dir, sha256));
    }
}
