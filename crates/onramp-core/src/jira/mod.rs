//! Jira: a thin client for the calls Onramp makes, and the submission that creates each ticket
//! exactly once whatever fails on the way (see `submit`).

mod client;
pub mod submit;

use std::time::Duration;

pub use client::{Client, IssueRef, RemoteAttachment, User};

/// Where and as whom tickets are created. The token is held in memory only: it comes from the
/// OS keyring or the environment, never from the database.
#[derive(Clone)]
pub struct JiraSettings {
    /// `https://acme.atlassian.net`; plain http only for loopback (tests, the demo).
    pub site: url::Url,
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
            .field("email", &self.email)
            .field("token", &"(hidden)")
            .field("project", &self.project)
            .field("issue_type", &self.issue_type)
            .finish_non_exhaustive()
    }
}

/// The environment variables that configure Jira for scripts, tests and the command line.
pub const ENV_URL: &str = "ONRAMP_JIRA_URL";
pub const ENV_EMAIL: &str = "ONRAMP_JIRA_EMAIL";
pub const ENV_TOKEN: &str = "ONRAMP_JIRA_TOKEN";
pub const ENV_PROJECT: &str = "ONRAMP_JIRA_PROJECT";
pub const ENV_ISSUE_TYPE: &str = "ONRAMP_JIRA_ISSUE_TYPE";

impl JiraSettings {
    /// Settings from `ONRAMP_JIRA_*`; the error names every variable that is missing.
    pub fn from_env() -> crate::Result<Self> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let missing: Vec<&str> = [ENV_URL, ENV_EMAIL, ENV_TOKEN, ENV_PROJECT]
            .into_iter()
            .filter(|name| var(name).is_none())
            .collect();
        if !missing.is_empty() {
            return Err(crate::Error::InvalidInput(format!(
                "Jira is not set up: set {}",
                missing.join(", ")
            )));
        }
        let value = |name: &str| var(name).unwrap_or_default();
        Ok(Self {
            site: check_site(&value(ENV_URL))?,
            email: value(ENV_EMAIL),
            token: value(ENV_TOKEN),
            project: value(ENV_PROJECT).trim().to_owned(),
            issue_type: var(ENV_ISSUE_TYPE).unwrap_or_else(|| "Task".to_owned()),
            labels: vec!["onramp".to_owned()],
        })
    }

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
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => return Err(invalid("has no host name")),
    };
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        _ => Err(invalid(
            "must start with https:// (the API token must never travel unencrypted)",
        )),
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
