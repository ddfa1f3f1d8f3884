//! Updates from the team's own feed: whether a release the feed offers is one to take, and what
//! the CSM reads when one is refused.
//!
//! Fetching the feed, checking the package's signature against the key built into the app and
//! installing it are the desktop shell's (Tauri's updater); the shell hands each outcome here, so
//! the rules and the wording are the same whoever asks.

use serde::Serialize;
use ts_rs::TS;

/// Where this Onramp stands against its team's update feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(
    tag = "state",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum UpdateStatus {
    /// The playbook names no feed (`organisation.update_feed`): nothing to check.
    NoFeed,
    UpToDate {
        current: String,
        feed: String,
    },
    /// A newer release, to install when the CSM agrees.
    Available {
        current: String,
        version: String,
        /// The release notes the feed gives, if any.
        notes: Option<String>,
        feed: String,
    },
    /// The feed offers something Onramp will not take; `message` says what and who can fix it.
    Refused {
        message: String,
        feed: String,
    },
    /// The feed could not be read now (offline, the host down); checked again next start.
    Unreachable {
        message: String,
        feed: String,
    },
}

/// Why an update was not taken. Each names the feed, since whoever hosts it is who can fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error(
        "The update feed {feed} offers Onramp {offered}, older than this Onramp {current}. Onramp never goes back to an older version: ask whoever publishes your team's updates to put {current} or newer in the feed."
    )]
    Downgrade {
        feed: String,
        offered: String,
        current: String,
    },
    #[error(
        "Onramp {version} from {feed} is not signed with the key built into this Onramp, so it was not installed: the package may have been changed after it was published. Keep working with this version and tell whoever publishes your team's updates."
    )]
    BadSignature { feed: String, version: String },
    #[error(
        "The update feed {feed} announces Onramp {announced}, but the package it points to was signed as Onramp {signed}, so it was not installed: the feed may have been changed to pass off another release. Tell whoever publishes your team's updates."
    )]
    SignedForAnotherVersion {
        feed: String,
        announced: String,
        signed: String,
    },
    #[error(
        "The update feed {feed} did not answer with an update Onramp can read ({detail}). Ask whoever publishes your team's updates to check the feed file."
    )]
    BadFeed { feed: String, detail: String },
    #[error(
        "The update feed {feed} has no package for this computer (it looked for {platforms}). Ask whoever publishes your team's updates to add one."
    )]
    NoPackage { feed: String, platforms: String },
    #[error(
        "Onramp could not read its update feed ({detail}); it looks again the next time it starts."
    )]
    Unreachable { feed: String, detail: String },
    #[error(
        "Onramp {version} was downloaded and its signature checked, but installing it failed: {detail}. This Onramp is unchanged; try again, or install the new version by hand."
    )]
    InstallFailed { version: String, detail: String },
}

/// What to do about the release a feed offers, given this build's version. Versions that are
/// not semantic versions are the feed's fault, and refused as such.
pub fn judge(
    feed: &str,
    current: &str,
    offered: &str,
    notes: Option<String>,
) -> Result<UpdateStatus, Refusal> {
    let parse = |v: &str| semver::Version::parse(v.trim_start_matches('v'));
    let bad_version = |v: &str, e: semver::Error| Refusal::BadFeed {
        feed: feed.to_owned(),
        detail: format!("`{v}` is not a version number: {e}"),
    };
    let now = parse(current).map_err(|e| bad_version(current, e))?;
    let then = parse(offered).map_err(|e| bad_version(offered, e))?;
    match then.cmp(&now) {
        std::cmp::Ordering::Greater => Ok(UpdateStatus::Available {
            current: current.to_owned(),
            version: offered.to_owned(),
            notes: notes.filter(|n| !n.trim().is_empty()),
            feed: feed.to_owned(),
        }),
        std::cmp::Ordering::Equal => Ok(UpdateStatus::UpToDate {
            current: current.to_owned(),
            feed: feed.to_owned(),
        }),
        std::cmp::Ordering::Less => Err(Refusal::Downgrade {
            feed: feed.to_owned(),
            offered: offered.to_owned(),
            current: current.to_owned(),
        }),
    }
}

impl Refusal {
    /// A check that ended in `self`, as the window shows it: a feed out of reach is a passing
    /// state (checked again next start), anything else is the feed's to fix.
    pub fn into_status(self) -> UpdateStatus {
        let feed = match &self {
            Self::Downgrade { feed, .. }
            | Self::BadSignature { feed, .. }
            | Self::SignedForAnotherVersion { feed, .. }
            | Self::BadFeed { feed, .. }
            | Self::NoPackage { feed, .. }
            | Self::Unreachable { feed, .. } => feed.clone(),
            Self::InstallFailed { .. } => String::new(),
        };
        let message = self.to_string();
        match self {
            Self::Unreachable { .. } => UpdateStatus::Unreachable { message, feed },
            _ => UpdateStatus::Refused { message, feed },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FEED: &str = "https://updates.example.com/onramp.json";

    #[test]
    fn a_newer_release_is_offered_with_its_notes() {
        let status = judge(FEED, "0.1.0", "0.2.0", Some("Faster submits".into())).unwrap();
        assert_eq!(
            status,
            UpdateStatus::Available {
                current: "0.1.0".into(),
                version: "0.2.0".into(),
                notes: Some("Faster submits".into()),
                feed: FEED.into(),
            }
        );
    }

    #[test]
    fn the_same_release_is_up_to_date() {
        assert!(matches!(
            judge(FEED, "0.1.0", "v0.1.0", None),
            Ok(UpdateStatus::UpToDate { .. })
        ));
    }

    #[test]
    fn an_older_release_is_refused_naming_both_versions_and_the_feed() {
        let refusal = judge(FEED, "0.2.0", "0.1.9", None).unwrap_err();
        let message = refusal.to_string();
        assert!(message.contains("offers Onramp 0.1.9, older than this Onramp 0.2.0"));
        assert!(message.contains(FEED));
        assert!(matches!(
            refusal.into_status(),
            UpdateStatus::Refused { .. }
        ));
    }

    #[test]
    fn a_pre_release_is_older_than_its_release() {
        assert!(judge(FEED, "1.0.0", "1.0.0-rc.1", None).is_err());
    }

    #[test]
    fn a_version_that_is_not_one_is_the_feeds_fault() {
        let message = judge(FEED, "0.1.0", "latest", None)
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("`latest` is not a version number"),
            "{message}"
        );
    }

    #[test]
    fn an_unreachable_feed_is_a_passing_state() {
        let status = Refusal::Unreachable {
            feed: FEED.into(),
            detail: "connection refused".into(),
        }
        .into_status();
        assert!(matches!(status, UpdateStatus::Unreachable { .. }));
    }
}
