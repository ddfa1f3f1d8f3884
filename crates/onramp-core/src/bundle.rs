//! Draft bundles: one file that carries a draft, its screenshots and its history to another
//! machine.
//!
//! A bundle is a zip with `manifest.json`, `draft.json` and `screenshots/<sha256>.png`. The
//! manifest lists every other entry with its SHA-256, so a bundle damaged in transit (or edited
//! by hand) is refused before anything is imported. Entry names are looked up, never used as
//! paths.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::answers::AnswerValue;
use crate::lifecycle::Trigger;
use crate::model::{
    Attachment, Change, CleanImage, Draft, DraftId, DraftStatus, Event, HistoryEntry, Source,
};
use crate::playbook::Kind;
use crate::screenshots::{self, MAX_BYTES};
use crate::work::Work;
use crate::{Error, Result, files, store};

/// What `manifest.json` says the file is.
const FORMAT: &str = "onramp-draft-bundle";
/// Bumped when an older Onramp could no longer read what a newer one writes.
const VERSION: u32 = 1;
const MANIFEST: &str = "manifest.json";
/// Says what the file is and still opens in any zip tool.
const EXTENSION: &str = ".onramp.zip";
const DRAFT: &str = "draft.json";
/// Far above any real draft; keeps a hostile bundle from filling memory.
const MAX_JSON_BYTES: u64 = 16 * 1024 * 1024;
/// A bundle holds its JSON and one screenshot per slot: any more is not one of ours.
const MAX_ENTRIES: usize = 64;
/// Refused before opening: the JSON plus a full-size screenshot in each of a dozen slots.
pub const MAX_BUNDLE_BYTES: u64 = 16 * (MAX_BYTES as u64);

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Manifest {
    format: String,
    version: u32,
    exported_at: Timestamp,
    /// Every entry but the manifest, with the SHA-256 of its bytes.
    files: Vec<ManifestEntry>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ManifestEntry {
    path: String,
    sha256: String,
}

/// The draft as `draft.json` holds it.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BundledDraft {
    pub id: DraftId,
    pub kind: Kind,
    pub provider_id: String,
    pub status: DraftStatus,
    pub status_note: Option<String>,
    pub created_at: Timestamp,
    pub answers: BTreeMap<String, AnswerValue>,
    /// Each names its PNG in the bundle: `screenshots/<sha256>.png`.
    pub screenshots: Vec<Attachment>,
    pub history: Vec<HistoryEntry>,
}

/// A bundle whose every entry matched the manifest.
#[derive(Debug)]
pub struct OpenedBundle {
    pub(crate) draft: BundledDraft,
    /// The PNG of each screenshot, in the order of `draft.screenshots`.
    images: Vec<Vec<u8>>,
}

impl OpenedBundle {
    pub fn draft_id(&self) -> DraftId {
        self.draft.id
    }

    /// Each screenshot checked and cleaned like a file the CSM attaches: the bytes come from
    /// another machine. No database is needed, so this runs before the core is locked.
    pub fn clean_images(&self) -> Result<Vec<CleanImage>> {
        self.draft
            .screenshots
            .iter()
            .zip(&self.images)
            .map(|(shot, png)| screenshots::clean(png, &shot.file_name))
            .collect()
    }
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Imported {
    pub draft_id: DraftId,
    /// The draft was already here (imported before, or exported from this machine): nothing
    /// changed.
    pub already_present: bool,
}

/// The draft, its screenshots and its history as one bundle file's bytes.
pub(crate) fn export(w: &Work<'_>, id: DraftId) -> Result<Vec<u8>> {
    let draft = w.draft(id)?;
    let mut shots = Vec::new();
    for shot in store::screenshots::attachments(w.conn(), id)? {
        let png = store::screenshots::read(w.dir, &shot.sha256)?;
        shots.push((shot, png));
    }
    let history = store::history::list(w.conn(), id, |_| None)?;
    write(&draft, shots, history, w.now)
}

/// What is already known before the images are cleaned: the draft is here already (nothing
/// to do), or its provider is not in this playbook (refused).
pub(crate) fn check(w: &Work<'_>, bundle: &OpenedBundle) -> Result<Option<Imported>> {
    let draft = &bundle.draft;
    if store::drafts::exists(w.conn(), draft.id)? {
        return Ok(Some(Imported {
            draft_id: draft.id,
            already_present: true,
        }));
    }
    w.playbook
        .provider(&draft.provider_id)
        .ok()
        .filter(|p| p.kind == draft.kind)
        .ok_or_else(|| {
            Error::InvalidInput(format!(
                "this bundle cannot be imported: it is for the {} provider `{}`, which this playbook does not have; update the playbook first",
                draft.kind.label(),
                draft.provider_id
            ))
        })?;
    Ok(None)
}

/// Brings in a bundle exported on another machine, with its screenshots cleaned by
/// [`OpenedBundle::clean_images`]. A draft that is already here is left as it is.
pub(crate) fn import(
    w: &Work<'_>,
    bundle: &OpenedBundle,
    images: &[CleanImage],
) -> Result<Imported> {
    if let Some(done) = check(w, bundle)? {
        return Ok(done);
    }
    let draft = &bundle.draft;
    let id = draft.id;
    store::drafts::insert(
        w.conn(),
        id,
        draft.kind,
        &draft.provider_id,
        draft.created_at,
        w.now,
    )?;
    for (field_id, value) in &draft.answers {
        store::answers::set(w.conn(), id, field_id, Some(value), w.now)?;
    }
    let inserted = w.draft(id)?;
    w.set_status(
        &inserted,
        Trigger::Imported {
            status: draft.status,
        },
        draft.status_note.as_deref(),
    )?;
    for (shot, image) in draft.screenshots.iter().zip(images) {
        store::screenshots::write_files(w.dir, image)?;
        store::screenshots::record_blob(w.conn(), image, w.now)?;
        store::screenshots::attach(
            w.conn(),
            id,
            &shot.slot_id,
            &image.sha256,
            &shot.file_name,
            shot.attached_at,
        )?;
    }
    for entry in &draft.history {
        store::history::record(w.conn(), id, entry.at, entry.source, entry.into())?;
    }
    store::history::record(
        w.conn(),
        id,
        w.now,
        Source::Import,
        Change::of(Event::Imported),
    )?;
    w.refresh(id)?;
    Ok(Imported {
        draft_id: id,
        already_present: false,
    })
}

fn write(
    draft: &Draft,
    screenshots: Vec<(Attachment, Vec<u8>)>,
    history: Vec<HistoryEntry>,
    now: Timestamp,
) -> Result<Vec<u8>> {
    let (screenshots, images): (Vec<_>, Vec<_>) = screenshots.into_iter().unzip();
    let bundled = BundledDraft {
        id: draft.id,
        kind: draft.kind,
        provider_id: draft.provider_id.clone(),
        status: draft.status,
        status_note: draft.status_note.clone(),
        created_at: draft.created_at,
        answers: draft.answers.clone(),
        history,
        screenshots,
    };
    let mut entries = vec![(DRAFT.to_owned(), to_json(&bundled)?)];
    for (shot, png) in bundled.screenshots.iter().zip(images) {
        entries.push((image_path(&shot.sha256), png));
    }
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        version: VERSION,
        exported_at: now,
        files: entries
            .iter()
            .map(|(path, bytes)| ManifestEntry {
                path: path.clone(),
                sha256: sha256(bytes),
            })
            .collect(),
    };

    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let json = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    // PNGs are compressed already; deflating them again costs time and saves nothing.
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    zip.start_file(MANIFEST, json).map_err(|e| zip_error(&e))?;
    zip.write_all(&to_json(&manifest)?)?;
    for (path, bytes) in &entries {
        let options = if path == DRAFT { json } else { stored };
        zip.start_file(path.as_str(), options)
            .map_err(|e| zip_error(&e))?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish().map_err(|e| zip_error(&e))?.into_inner())
}

/// Why a file of `size` is not a bundle.
pub fn too_large(size: files::Size) -> Error {
    refuse(&format!(
        "it is {size}, more than a draft bundle ever is (at most {} MB)",
        MAX_BUNDLE_BYTES / (1024 * 1024)
    ))
}

/// Reads and checks a bundle: every entry the manifest lists must be there with its hash, and
/// nothing else may be.
pub fn open(bytes: &[u8]) -> Result<OpenedBundle> {
    if bytes.len() as u64 > MAX_BUNDLE_BYTES {
        return Err(too_large(files::Size {
            bytes: bytes.len() as u64,
            exact: true,
        }));
    }
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
        refuse("it is not an Onramp bundle, or only part of one (it cannot be read as a zip file)")
    })?;
    if zip.len() > MAX_ENTRIES {
        return Err(refuse(&format!(
            "it holds {} files, more than a draft bundle ever does",
            zip.len()
        )));
    }
    let manifest: Manifest = parse(
        MANIFEST,
        &read_entry(&mut zip, MANIFEST, MAX_JSON_BYTES)?,
        "it is not an Onramp bundle",
    )?;
    if manifest.format != FORMAT {
        return Err(refuse("it is not an Onramp draft bundle"));
    }
    if manifest.version > VERSION {
        return Err(refuse(&format!(
            "it was made by a newer version of Onramp (bundle version {}, this version reads {VERSION}); update Onramp to import it",
            manifest.version
        )));
    }
    let listed: Vec<&str> = manifest.files.iter().map(|f| f.path.as_str()).collect();
    for name in zip.file_names() {
        let name = name.map_err(|e| refuse(&format!("it is damaged ({e})")))?;
        if name != MANIFEST && !listed.contains(&name.as_ref()) {
            return Err(refuse(&format!(
                "it contains `{name}`, which its manifest does not list; the bundle was changed after it was exported"
            )));
        }
    }
    let mut checked = BTreeMap::new();
    for entry in &manifest.files {
        let limit = if entry.path == DRAFT {
            MAX_JSON_BYTES
        } else {
            MAX_BYTES as u64
        };
        let bytes = read_entry(&mut zip, &entry.path, limit)?;
        if sha256(&bytes) != entry.sha256 {
            return Err(refuse(&format!(
                "`{}` does not match the hash in its manifest: the file was damaged or changed after it was exported",
                entry.path
            )));
        }
        checked.insert(entry.path.clone(), bytes);
    }
    let draft_json = checked
        .remove(DRAFT)
        .ok_or_else(|| refuse("its manifest lists no draft.json"))?;
    let draft: BundledDraft = parse(DRAFT, &draft_json, "its draft.json is not a draft")?;
    let images = draft
        .screenshots
        .iter()
        .map(|shot| {
            checked.remove(&image_path(&shot.sha256)).ok_or_else(|| {
                refuse(&format!(
                    "the screenshot for `{}` is missing from it",
                    shot.slot_id
                ))
            })
        })
        .collect::<Result<_>>()?;
    Ok(OpenedBundle { draft, images })
}

/// A path in `dir` for the bundle, named for the company and provider, that no file has yet.
pub(crate) fn free_path(
    dir: &Path,
    draft: DraftId,
    company: Option<&str>,
    provider_id: &str,
) -> PathBuf {
    let stem = files::slug(&format!("{} {provider_id}", company.unwrap_or("draft")));
    files::free_path(dir, &stem, EXTENSION, &draft.to_string())
}

fn image_path(sha256: &str) -> String {
    format!("screenshots/{sha256}.png")
}

/// An entry's bytes, refusing one that is missing, larger than `limit` or fails its CRC.
fn read_entry(zip: &mut ZipArchive<Cursor<&[u8]>>, name: &str, limit: u64) -> Result<Vec<u8>> {
    let entry = zip
        .by_name(name)
        .map_err(|_| refuse(&format!("`{name}` is missing from it")))?;
    let mut bytes = Vec::new();
    // The declared size can lie; reading one byte past the limit is what proves it.
    entry
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| refuse(&format!("`{name}` is damaged ({e})")))?;
    if bytes.len() as u64 > limit {
        return Err(refuse(&format!(
            "`{name}` is larger than a bundle ever holds"
        )));
    }
    Ok(bytes)
}

fn parse<T: DeserializeOwned>(name: &str, bytes: &[u8], what: &str) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| refuse(&format!("{what} ({name}: {e})")))
}

fn to_json(value: &impl Serialize) -> Result<Vec<u8>> {
    serde_json::to_vec_pretty(value).map_err(|e| Error::Storage(e.to_string()))
}

fn sha256(bytes: &[u8]) -> String {
    onramp_images::hex(&Sha256::digest(bytes))
}

fn refuse(why: &str) -> Error {
    Error::InvalidInput(format!("this bundle cannot be imported: {why}"))
}

fn zip_error(e: &zip::result::ZipError) -> Error {
    Error::Storage(format!("could not write the bundle: {e}"))
}
