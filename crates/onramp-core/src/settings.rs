//! What the CSM sets once: the Jira site and account, the Slack webhook, their own name.
//!
//! Plain settings live in SQLite; the Jira token and the Slack webhook URL (which works as a
//! password) live in the OS keyring. `ONRAMP_JIRA_*` variables override both, for scripts and
//! tests.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::jira::{self, Deployment, JiraSettings};
use crate::secrets::OsKeyring;
use crate::{Error, Onramp, Result};

/// Keyring entry names.
const JIRA_TOKEN: &str = "jira-token";
const SLACK_WEBHOOK: &str = "slack-webhook";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// `https://your-company.atlassian.net`, or the Server/Data Center base URL.
    pub jira_site: String,
    pub deployment: Deployment,
    /// The Atlassian account's email (Cloud); Server/Data Center tokens need none.
    pub jira_email: String,
    pub jira_project: String,
    pub jira_issue_type: String,
    /// Added to every ticket, besides the draft's own label.
    pub jira_labels: Vec<String>,
    /// The CSM, filled into new requests and added as the ticket's watcher.
    pub csm_name: String,
    pub csm_email: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            jira_site: String::new(),
            deployment: Deployment::Cloud,
            jira_email: String::new(),
            jira_project: String::new(),
            jira_issue_type: "Task".to_owned(),
            jira_labels: vec!["onramp".to_owned()],
            csm_name: String::new(),
            csm_email: String::new(),
        }
    }
}

/// Settings as the Settings screen shows them: never the secrets, only whether they are saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsView {
    pub settings: Settings,
    pub token_saved: bool,
    pub slack_webhook_saved: bool,
    /// Environment variables that take precedence over what is saved here.
    pub overridden_by: Vec<String>,
    /// Where the secrets are kept, in words.
    pub keyring: String,
}

/// A save from the Settings screen. A secret left `null` stays as it is; an empty one is
/// removed from the keyring.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsUpdate {
    pub settings: Settings,
    pub token: Option<String>,
    pub slack_webhook: Option<String>,
}

impl Settings {
    /// Trims every value and checks it, naming the field at fault.
    pub fn validated(mut self) -> Result<Self> {
        for value in [
            &mut self.jira_site,
            &mut self.jira_email,
            &mut self.jira_project,
            &mut self.jira_issue_type,
            &mut self.csm_name,
            &mut self.csm_email,
        ] {
            *value = value.trim().to_owned();
        }
        self.jira_project = self.jira_project.to_uppercase();
        self.jira_labels = self
            .jira_labels
            .iter()
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty())
            .collect();

        if !self.jira_site.is_empty() {
            jira::check_site(&self.jira_site).map_err(|e| field("jiraSite", &e))?;
        }
        check_email("jiraEmail", &self.jira_email)?;
        check_email("csmEmail", &self.csm_email)?;
        let key_ok = self.jira_project.is_empty()
            || (self
                .jira_project
                .starts_with(|c: char| c.is_ascii_uppercase())
                && self
                    .jira_project
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'));
        if !key_ok {
            return Err(Error::InvalidField {
                field: "jiraProject".into(),
                message: format!(
                    "`{}` is not a project key: it is the short code in ticket keys, like ONB in ONB-42",
                    self.jira_project
                ),
            });
        }
        if let Some(bad) = self
            .jira_labels
            .iter()
            .find(|l| l.contains(char::is_whitespace))
        {
            return Err(Error::InvalidField {
                field: "jiraLabels".into(),
                message: format!("the label `{bad}` has a space; Jira labels cannot"),
            });
        }
        if self.jira_issue_type.is_empty() {
            self.jira_issue_type = Self::default().jira_issue_type;
        }
        Ok(self)
    }
}

fn check_email(name: &str, value: &str) -> Result<()> {
    let looks_right = value.is_empty()
        || value
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'));
    if looks_right {
        Ok(())
    } else {
        Err(Error::InvalidField {
            field: name.into(),
            message: format!("`{value}` is not an email address"),
        })
    }
}

fn field(name: &str, e: &Error) -> Error {
    Error::InvalidField {
        field: name.into(),
        message: e.to_string(),
    }
}

/// A Slack incoming-webhook URL: https only, since the URL itself is the credential.
pub fn check_slack_webhook(text: &str) -> Result<url::Url> {
    let invalid = |why: &str| Error::InvalidField {
        field: "slackWebhook".into(),
        message: format!("`{text}` {why}"),
    };
    let url = url::Url::parse(text.trim()).map_err(|_| {
        invalid("is not a web address; Slack gives one like https://hooks.slack.com/services/…")
    })?;
    if url.scheme() == "https" || jira::is_loopback(&url) {
        Ok(url)
    } else {
        Err(invalid(
            "must start with https:// (the address itself lets anyone post)",
        ))
    }
}

pub(crate) fn load(conn: &Connection) -> Result<Settings> {
    let json: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'settings'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(json
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default())
}

fn save(conn: &Connection, settings: &Settings) -> Result<()> {
    let json = serde_json::to_string(settings).map_err(|e| Error::Storage(e.to_string()))?;
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('settings', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![json],
    )?;
    Ok(())
}

/// This data directory's name in the keyring, made once.
pub(crate) fn keyring_namespace(conn: &Connection) -> Result<String> {
    conn.execute(
        "INSERT OR IGNORE INTO settings (key, value) VALUES ('keyring_namespace', ?1)",
        params![uuid::Uuid::new_v4().to_string()],
    )?;
    Ok(conn.query_row(
        "SELECT value FROM settings WHERE key = 'keyring_namespace'",
        [],
        |r| r.get(0),
    )?)
}

fn env(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

impl Onramp {
    pub fn settings(&self) -> Result<SettingsView> {
        let keyring = self.keyring()?;
        Ok(SettingsView {
            settings: load(&self.conn)?,
            token_saved: keyring.get(JIRA_TOKEN)?.is_some(),
            slack_webhook_saved: keyring.get(SLACK_WEBHOOK)?.is_some(),
            overridden_by: jira::ENV_ALL
                .iter()
                .filter(|name| env(name).is_some())
                .map(|name| (*name).to_owned())
                .collect(),
            keyring: keyring.describe(),
        })
    }

    /// Checks and saves settings, secrets into the keyring. Nothing is saved if anything is
    /// wrong.
    pub fn save_settings(&mut self, update: SettingsUpdate) -> Result<SettingsView> {
        let settings = update.settings.validated()?;
        let webhook = update
            .slack_webhook
            .as_deref()
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(check_slack_webhook)
            .transpose()?;
        let keyring = self.keyring()?;
        if let Some(token) = update.token.as_deref().map(str::trim) {
            if token.is_empty() {
                keyring.delete(JIRA_TOKEN)?;
            } else {
                keyring.set(JIRA_TOKEN, token)?;
            }
        }
        match (webhook, update.slack_webhook.is_some()) {
            (Some(url), _) => keyring.set(SLACK_WEBHOOK, url.as_str())?,
            (None, true) => keyring.delete(SLACK_WEBHOOK)?,
            (None, false) => {}
        }
        save(&self.conn, &settings)?;
        self.settings()
    }

    /// The Jira connection to use: the saved settings and keyring token, each overridden by
    /// its `ONRAMP_JIRA_*` variable. The error names everything still missing.
    pub fn jira_settings(&self) -> Result<JiraSettings> {
        self.resolve_jira(load(&self.conn)?, None)
    }

    /// The connection the Settings form describes, before it is saved: what "Test connection"
    /// tries. A token left empty there means the saved one.
    pub fn jira_settings_from(&self, form: &SettingsUpdate) -> Result<JiraSettings> {
        let token = form
            .token
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty());
        self.resolve_jira(form.settings.clone().validated()?, token.map(str::to_owned))
    }

    fn resolve_jira(&self, saved: Settings, token: Option<String>) -> Result<JiraSettings> {
        let pick = |name: &str, saved: &str| env(name).unwrap_or_else(|| saved.to_owned());
        let site = pick(jira::ENV_URL, &saved.jira_site);
        let email = pick(jira::ENV_EMAIL, &saved.jira_email);
        let project = pick(jira::ENV_PROJECT, &saved.jira_project);
        let token = match env(jira::ENV_TOKEN).or(token) {
            Some(token) => token,
            None => self.keyring()?.get(JIRA_TOKEN)?.unwrap_or_default(),
        };
        let missing: Vec<&str> = [
            ("the site URL", site.is_empty()),
            (
                "the account email",
                email.is_empty() && saved.deployment == Deployment::Cloud,
            ),
            ("the token", token.is_empty()),
            ("the project key", project.is_empty()),
        ]
        .into_iter()
        .filter_map(|(what, missing)| missing.then_some(what))
        .collect();
        if !missing.is_empty() {
            return Err(Error::InvalidInput(format!(
                "Jira is not set up yet: enter {} in Settings",
                missing.join(", ")
            )));
        }
        Ok(JiraSettings {
            site: jira::check_site(&site)?,
            deployment: saved.deployment,
            email,
            token,
            project,
            issue_type: pick(jira::ENV_ISSUE_TYPE, &saved.jira_issue_type),
            labels: saved.jira_labels,
        })
    }

    /// The Slack incoming webhook, when one is saved.
    pub fn slack_webhook(&self) -> Result<Option<url::Url>> {
        self.keyring()?
            .get(SLACK_WEBHOOK)?
            .map(|w| check_slack_webhook(&w))
            .transpose()
    }

    fn keyring(&self) -> Result<&OsKeyring> {
        if let Some(k) = self.keyring.get() {
            return Ok(k);
        }
        let namespace = keyring_namespace(&self.conn)?;
        Ok(self.keyring.get_or_init(|| OsKeyring::new(&namespace)))
    }
}
