//! Screenshots as they go to Jira: each slot's stored PNG, or — when it is larger than the site
//! takes per file (Data Center's default is 10 MB, Atlassian "Configuring file attachments") —
//! a JPEG of it that fits (`onramp_images::fit`). Review says beforehand which ones will be
//! converted, from the upload limit the last preflight read; one that cannot be made to fit is
//! named with the limit before the draft is queued and before a ticket is created.

use serde::Serialize;
use ts_rs::TS;

use crate::model::{Draft, Screenshot};
use crate::work::Work;
use crate::{Result, store};

/// One slot's screenshot, read for a submission.
#[derive(Debug, Clone)]
pub(crate) struct Shot {
    pub slot: String,
    /// The slot's name in the playbook, for messages.
    pub label: String,
    pub png: Vec<u8>,
}

/// A file for Jira's attachments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Upload {
    /// The name on the ticket: the slot's ID with the format's extension.
    pub name: String,
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

/// What Review says about a screenshot the site would not take as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UploadNote {
    pub slot_id: String,
    pub message: String,
}

impl Shot {
    /// The file to upload under `limit` bytes per file, or why none fits.
    pub(crate) fn upload(&self, limit: u64) -> std::result::Result<Upload, String> {
        match onramp_images::fit(&self.png, limit) {
            Ok(None) => Ok(Upload {
                name: format!("{}.png", self.slot),
                mime: "image/png",
                bytes: self.png.clone(),
            }),
            Ok(Some(fitted)) => Ok(Upload {
                name: format!("{}.jpg", self.slot),
                mime: "image/jpeg",
                bytes: fitted.jpeg,
            }),
            Err(onramp_images::Refused::CannotFit { limit }) => Err(format!(
                "The screenshot \"{}\" cannot be made to fit this Jira's limit of {} per file, not even as a JPEG scaled down to {} pixels across: attach a crop of the part that matters, or ask a Jira admin to raise the limit (System › Attachments).",
                self.label,
                crate::files::size_text(limit),
                onramp_images::SMALLEST_SIDE
            )),
            Err(other) => Err(format!(
                "The screenshot \"{}\" could not be prepared for Jira: {other:?}",
                self.label
            )),
        }
    }
}

/// Why some of `shots` cannot go to a site that takes `limit` bytes per file (each is tried:
/// this encodes the ones over it).
pub(crate) fn unfit(shots: &[Shot], limit: u64) -> Vec<String> {
    shots
        .iter()
        .filter(|s| s.png.len() as u64 > limit)
        .filter_map(|s| s.upload(limit).err())
        .collect()
}

/// What Review says about the draft's `screenshots` (as the draft view lists them), given the
/// site's `limit` as last read.
pub(crate) fn notes(
    w: &Work<'_>,
    draft: &Draft,
    screenshots: &[Screenshot],
    limit: u64,
) -> Vec<UploadNote> {
    let labels = w.screenshot_labels(&draft.provider_id);
    screenshots
        .iter()
        .filter(|s| s.size > limit)
        .map(|s| UploadNote {
            message: format!(
                "\"{}\" is {} and this Jira takes files up to {}: Onramp will send it as a JPEG of the same picture, scaled down if that is still too large.",
                labels.get(&s.slot_id).unwrap_or(&s.slot_id),
                crate::files::size_text(s.size),
                crate::files::size_text(limit)
            ),
            slot_id: s.slot_id.clone(),
        })
        .collect()
}

/// The draft's screenshots, read from the store, with their slots' names.
pub(crate) fn shots(w: &Work<'_>, draft: &Draft) -> Result<Vec<Shot>> {
    let labels = w.screenshot_labels(&draft.provider_id);
    store::screenshots::attachments(w.conn(), draft.id)?
        .into_iter()
        .map(|a| {
            Ok(Shot {
                label: labels
                    .get(&a.slot_id)
                    .cloned()
                    .unwrap_or_else(|| a.slot_id.clone()),
                png: store::screenshots::read(w.dir, &a.sha256)?,
                slot: a.slot_id,
            })
        })
        .collect()
}
