//! Screenshots as stored: the `blobs` and `attachments` tables, and the image files under
//! `<data dir>/blobs/`, named by the SHA-256 of their (cleaned) content, never by a file name.

use std::collections::{HashMap, HashSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use super::time::{from_millis, millis};
use crate::model::{Attachment, CleanImage, DraftId, Screenshot};
use crate::{Error, Result};

const BLOBS: &str = "blobs";

fn blob_path(dir: &Path, sha256: &str) -> PathBuf {
    dir.join(BLOBS).join(format!("{sha256}.png"))
}

fn thumbnail_path(dir: &Path, sha256: &str) -> PathBuf {
    dir.join(BLOBS).join(format!("{sha256}.thumb.png"))
}

/// Writes the image's files, once per content. Done before the database write, outside any
/// lock: a file whose row never lands is reused by the next attach of the same pixels.
pub(crate) fn write_files(dir: &Path, image: &CleanImage) -> Result<()> {
    std::fs::create_dir_all(dir.join(BLOBS))?;
    write_once(&blob_path(dir, &image.sha256), &image.png)?;
    write_once(&thumbnail_path(dir, &image.sha256), &image.thumbnail)?;
    Ok(())
}

/// Records a stored image (its files are written by `write_files`).
pub(crate) fn record_blob(conn: &Connection, image: &CleanImage, now: Timestamp) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO blobs (sha256, media_type, width, height, size, created_at)
         VALUES (?1, 'image/png', ?2, ?3, ?4, ?5) ON CONFLICT (sha256) DO NOTHING",
    )?
    .execute(params![
        image.sha256,
        image.width,
        image.height,
        i64::try_from(image.png.len()).unwrap_or(i64::MAX),
        millis(now)
    ])?;
    Ok(())
}

/// Writes through a temporary file and a rename, so a crash never leaves half a blob.
fn write_once(path: &Path, bytes: &[u8]) -> Result<()> {
    if path.exists() {
        return Ok(());
    }
    // Named for this write alone: two ingests of the same pixels may run at once.
    let tmp = path.with_extension(format!("{}.partial", uuid::Uuid::new_v4()));
    // Synced through the handle that wrote it: Windows refuses to flush a file opened to read.
    let mut file = std::fs::File::create(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
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

/// Which image is in which slot of `draft`, without the images.
/// Each attached screenshot's slot and stored size in bytes, without reading the files.
pub(crate) fn sizes(conn: &Connection, draft: DraftId) -> Result<Vec<(String, u64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.slot_id, b.size FROM attachments a JOIN blobs b ON b.sha256 = a.sha256
         WHERE a.draft_id = ?1 ORDER BY a.slot_id",
    )?;
    let rows = stmt.query_map([draft.to_string()], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })?;
    rows.map(|row| {
        let (slot, size) = row?;
        Ok((slot, u64::try_from(size).unwrap_or_default()))
    })
    .collect()
}

pub(crate) fn attachments(conn: &Connection, draft: DraftId) -> Result<Vec<Attachment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT slot_id, file_name, sha256, attached_at FROM attachments
         WHERE draft_id = ?1 ORDER BY slot_id",
    )?;
    let rows = stmt.query_map([draft.to_string()], |r| {
        Ok(Attachment {
            slot_id: r.get(0)?,
            file_name: r.get(1)?,
            sha256: r.get(2)?,
            attached_at: from_millis(r.get(3)?)?,
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

/// The filled slots of the drafts in `ids` (a JSON array of draft IDs), by draft ID:
/// one query for a page of the drafts home.
pub(crate) fn slots_of(conn: &Connection, ids: &str) -> Result<HashMap<String, HashSet<String>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT draft_id, slot_id FROM attachments WHERE draft_id IN (SELECT value FROM json_each(?1))",
    )?;
    let mut out: HashMap<String, HashSet<String>> = HashMap::new();
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
            from_millis(r.get(6)?)?,
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
