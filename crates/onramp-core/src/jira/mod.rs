//! Jira: a thin client for the calls Onramp makes, and the submission that creates each ticket
//! exactly once whatever fails on the way (see `submit`).

mod client;
pub mod submit;

pub(crate) use client::{http_client, transport_failure};

use std::time::Duration;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use client::{Client, IssueRef, RemoteAttachment, User};

/// Where and as whom tickets are created. The token is held in memory only: it comes from the
/// OS keyring or the environment, never from the database (see `settings`).
#[derive(Clone)]
pub struct JiraSettings {
    /// `https://acme.atlassian.net`; plain http only for loopback (tests, the demo).
    pub site: url::Url,
    pub deployment: Deployment,
    /// The Cloud account's email; unused by Server/Data Center tokens.
    pub email: String,
    pub token: String,
    pub project: String,
    pub issue_type: String,
    /// Added to every ticket, besides the draft's own label.
    pub labels: Vec<String>,
}

impl std::fmt::Debug for JiraSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JiraSettings")
            .field("site", &self.site.as_str())
            .field("deployment", &self.deployment)
            .field("email", &self.email)
            .field("token", &"(hidden)")
            .field("project", &self.project)
            .field("issue_type", &self.issue_type)
            .finish_non_exhaustive()
    }
}

/// The environment variables that override the saved settings, for scripts and tests.
pub const ENV_URL: &str = "ONRAMP_JIRA_URL";
pub const ENV_EMAIL: &str = "ONRAMP_JIRA_EMAIL";
pub const ENV_TOKEN: &str = "ONRAMP_JIRA_TOKEN";
pub const ENV_PROJECT: &str = "ONRAMP_JIRA_PROJECT";
pub const ENV_ISSUE_TYPE: &str = "ONRAMP_JIRA_ISSUE_TYPE";
pub const ENV_ALL: [&str; 5] = [ENV_URL, ENV_EMAIL, ENV_TOKEN, ENV_PROJECT, ENV_ISSUE_TYPE];

/// Which Jira: they differ in API version, sign-in and description format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Deployment {
    /// Jira Cloud: REST v3, email + API token, descriptions in ADF, watchers by account ID.
    #[default]
    Cloud,
    /// Jira Server / Data Center: REST v2, personal access token, wiki markup, usernames.
    DataCenter,
}

/// The account a "Test connection" reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionCheck {
    pub display_name: String,
    pub site: String,
}

/// "Test connection": signs in and says as whom, or why not in plain words (401, 403, 404,
/// a TLS failure, no network).
pub async fn test_connection(settings: JiraSettings) -> crate::Result<ConnectionCheck> {
    let site = settings.site.to_string();
    let client = Client::new(settings)?;
    let me = client.myself().await?;
    Ok(ConnectionCheck {
        display_name: me.display_name,
        site,
    })
}

impl JiraSettings {
    /// The browser link to an issue.
    pub fn browse_url(&self, key: &str) -> String {
        format!("{}/browse/{key}", self.site.as_str().trim_end_matches('/'))
    }
}

/// A Jira site URL: https, or plain http only on this machine (tests and the demo), since the
/// token travels with every request.
pub fn check_site(text: &str) -> crate::Result<url::Url> {
    let invalid = |why: &str| crate::Error::InvalidInput(format!("`{text}` {why}"));
    let url = url::Url::parse(text.trim()).map_err(|_| {
        invalid("is not a web address; it looks like https://your-company.atlassian.net")
    })?;
    if url.host().is_none() {
        return Err(invalid("has no host name"));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        _ => Err(invalid(
            "must start with https:// (the API token must never travel unencrypted)",
        )),
    }
}

/// Whether `url` points at this machine, where plain http cannot be overheard.
pub fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

impl From<Failure> for crate::Error {
    fn from(failure: Failure) -> Self {
        Self::Jira(failure.to_string())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a panic is how a test reports an unexpected failure
mod tests {
    use super::check_site;

    #[test]
    fn a_site_must_be_https_except_on_this_machine() {
        assert!(check_site("https://acme.atlassian.net").is_ok());
        assert!(check_site("http://127.0.0.1:8080").is_ok());
        assert!(check_site("http://localhost:8080").is_ok());
        let err = check_site("http://acme.atlassian.net")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "`http://acme.atlassian.net` must start with https:// (the API token must never travel unencrypted)"
        );
        let err = check_site("acme.atlassian.net").unwrap_err().to_string();
        assert!(err.contains("is not a web address"), "{err}");
    }
}

/// Why a call did not succeed, sorted by what may be done about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Retrying cannot fix it; the message says what to fix.
    Definite(String),
    /// Jira asked us to wait this long.
    RateLimited(Duration),
    /// The request may have been applied or not (timeout, dropped connection, server error):
    /// look before doing it again.
    Ambiguous(String),
    /// Nothing reached Jira (no network, refused connection): safe to retry.
    Unreachable(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Definite(m) | Self::Ambiguous(m) | Self::Unreachable(m) => f.write_str(m),
            Self::RateLimited(wait) => write!(
                f,
                "Jira is limiting requests; trying again in {} s",
                wait.as_secs().max(1)
            ),
        }
    }
}
