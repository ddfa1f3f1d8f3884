//! Screenshots in a draft's named slots: the stored, cleaned image and where it is attached.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

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

/// Which stored image is in which slot: what a ticket names and a bundle carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    pub slot_id: String,
    /// The CSM's name for the file, for display only.
    pub file_name: String,
    /// The stored PNG's SHA-256, which names it.
    pub sha256: String,
    pub attached_at: Timestamp,
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
