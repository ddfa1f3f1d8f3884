//! Updates from the team's feed (the playbook's `organisation.update_feed`), through Tauri's
//! updater: it reads the feed, checks the package's signature against the public key built into
//! the app (`plugins.updater.pubkey` in tauri.conf.json, with `requireSignedVersion`, so a
//! package signed for another version is refused too) and installs it. What the feed offers is
//! judged, and every refusal worded, by the core (`onramp_core::updates`).

use std::sync::Mutex;

use onramp_core::updates::{self, Refusal, UpdateStatus};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_updater::{Update, UpdaterBuilder, UpdaterExt};
use ts_rs::TS;

use crate::IpcError;
use crate::state::Core;

/// The release the last check found, kept until the CSM agrees to install it.
#[derive(Default)]
pub struct Pending(Mutex<Option<(String, Update)>>);

impl std::fmt::Debug for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pending")
    }
}

/// How much of the update has been downloaded, for the progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DownloadProgress {
    // Bytes: JavaScript's numbers hold them exactly up to 8 PiB.
    #[ts(type = "number")]
    pub received: u64,
    /// The package's size, when the server says it.
    #[ts(type = "number | null")]
    pub total: Option<u64>,
}

/// Asks the team's feed for a newer Onramp. Nothing is downloaded yet.
#[tauri::command]
pub async fn check_for_update<R: Runtime>(
    app: AppHandle<R>,
    core: State<'_, Core>,
    pending: State<'_, Pending>,
) -> Result<UpdateStatus, IpcError> {
    let feed = core.with(|o| Ok(o.playbook().organisation.update_feed.clone()))?;
    let Some(feed) = feed else {
        return Ok(UpdateStatus::NoFeed);
    };
    let (status, update) = check(&app, &feed).await;
    *pending
        .0
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = update.map(|u| (feed, u));
    Ok(status)
}

/// The CSM agreed: downloads the release the last check found, checks its signature, installs
/// it and restarts Onramp into it. The window saves open drafts before asking.
#[tauri::command]
pub async fn install_update<R: Runtime>(
    app: AppHandle<R>,
    pending: State<'_, Pending>,
    progress: Channel<DownloadProgress>,
) -> Result<(), IpcError> {
    let found = pending
        .0
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .take();
    let Some((feed, update)) = found else {
        return Err(onramp_core::Error::InvalidInput(
            "There is no update to install: check for updates first.".into(),
        )
        .into());
    };
    let bytes = download(&feed, &update, |p| {
        let _ = progress.send(p);
    })
    .await
    .map_err(onramp_core::Error::from)?;
    install(&feed, &update, &bytes).map_err(onramp_core::Error::from)?;
    // On Windows the installer has already closed Onramp and reopens it itself.
    app.restart()
}

/// Reads `feed`; the status to show and, when a newer release is offered, that release.
pub async fn check<R: Runtime>(app: &AppHandle<R>, feed: &str) -> (UpdateStatus, Option<Update>) {
    check_with(app, feed, |updater| updater).await
}

/// `check`, with the updater set up further by `configure`: the tests install over a copy of
/// Onramp instead of the running one.
async fn check_with<R: Runtime>(
    app: &AppHandle<R>,
    feed: &str,
    configure: impl FnOnce(UpdaterBuilder) -> UpdaterBuilder,
) -> (UpdateStatus, Option<Update>) {
    let current = app.package_info().version.to_string();
    let found = async {
        let url = feed.parse().map_err(|e| Refusal::BadFeed {
            feed: feed.to_owned(),
            detail: format!("not a link: {e}"),
        })?;
        // Every release reaches `judge`, so an older one is refused with a reason rather than
        // passed over in silence.
        let updater = configure(app.updater_builder())
            .version_comparator(|_, _| true)
            .timeout(onramp_core::net::TIMEOUT)
            .endpoints(vec![url])
            .and_then(UpdaterBuilder::build)
            .map_err(|e| refusal(e, feed, None))?;
        updater.check().await.map_err(|e| refusal(e, feed, None))
    };
    match found.await {
        // A feed answering 204 No Content has nothing to offer.
        Ok(None) => (
            UpdateStatus::UpToDate {
                current,
                feed: feed.to_owned(),
            },
            None,
        ),
        Ok(Some(update)) => {
            match updates::judge(feed, &current, &update.version, update.body.clone()) {
                Ok(status @ UpdateStatus::Available { .. }) => (status, Some(update)),
                Ok(status) => (status, None),
                Err(refused) => (refused.into_status(), None),
            }
        }
        Err(refused) => (refused.into_status(), None),
    }
}

/// Downloads `update` and checks its signature; the bytes, only if it holds.
pub async fn download(
    feed: &str,
    update: &Update,
    mut progress: impl FnMut(DownloadProgress),
) -> Result<Vec<u8>, Refusal> {
    let mut received = 0u64;
    let mut reported = 0u64;
    update
        .download(
            |chunk, total| {
                received += chunk as u64;
                // A tick per 64 KiB, and the last one, is enough for a progress bar.
                if received - reported >= 64 * 1024 || total == Some(received) {
                    reported = received;
                    progress(DownloadProgress { received, total });
                }
            },
            || {},
        )
        .await
        .map_err(|e| refusal(e, feed, Some(&update.version)))
}

/// Installs a downloaded `update`, whose signature the updater checks again before it writes.
pub fn install(feed: &str, update: &Update, bytes: &[u8]) -> Result<(), Refusal> {
    update.install(bytes).map_err(|e| match e {
        tauri_plugin_updater::Error::Minisign(_)
        | tauri_plugin_updater::Error::SignedVersionMismatch { .. } => {
            refusal(e, feed, Some(&update.version))
        }
        other => Refusal::InstallFailed {
            version: update.version.clone(),
            detail: other.to_string(),
        },
    })
}

/// The updater's error, as the CSM reads it.
fn refusal(e: tauri_plugin_updater::Error, feed: &str, version: Option<&str>) -> Refusal {
    use tauri_plugin_updater::Error as E;
    let feed = feed.to_owned();
    match e {
        E::Minisign(_) | E::Base64(_) | E::SignatureUtf8(_) | E::MissingSignedVersion => {
            Refusal::BadSignature {
                feed,
                version: version.unwrap_or("the update").to_owned(),
            }
        }
        E::SignedVersionMismatch { signed, announced } => Refusal::SignedForAnotherVersion {
            feed,
            announced,
            signed,
        },
        E::Reqwest(e) if e.is_decode() => Refusal::BadFeed {
            feed,
            detail: "it is not JSON".into(),
        },
        E::Reqwest(e) => Refusal::Unreachable {
            feed,
            detail: onramp_core::net::transport_failure("the update feed", &e).to_string(),
        },
        // The package's link answered with an error status.
        E::Network(detail) => Refusal::BadFeed {
            feed,
            detail: format!("downloading the package failed: {detail}"),
        },
        // The updater says this when the feed answered with an error status (404, 500…).
        E::ReleaseNotFound => Refusal::BadFeed {
            feed,
            detail: "there is no update file at that address".into(),
        },
        E::Serialization(e) => Refusal::BadFeed {
            feed,
            detail: e.to_string(),
        },
        E::TargetNotFound(platform) => Refusal::NoPackage {
            feed,
            platforms: platform,
        },
        E::TargetsNotFound(platforms) => Refusal::NoPackage {
            feed,
            platforms: platforms.join(" or "),
        },
        other => Refusal::BadFeed {
            feed,
            detail: other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests;
