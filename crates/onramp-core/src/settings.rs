//! What the CSM sets once: the Jira site and account, the Slack webhook, their own name.
//!
//! Plain settings live in SQLite; the Jira token and the Slack webhook URL (which works as a
//! password) live in the OS keyring. `ONRAMP_JIRA_*` variables override both, for scripts and
//! tests.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use crate::model::{Deployment, DeskChoice, JiraMode, Settings};

use crate::jira::{self, JiraSettings};
use crate::model::{DeskListing, IssueTypeMeta};
use crate::secrets::OsKeyring;
use crate::work::Work;
use crate::{Error, Result, store};

/// Keyring entry names.
const JIRA_TOKEN: &str = "jira-token";
const SLACK_WEBHOOK: &str = "slack-webhook";

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
    /// Whom tickets are watched by, as Jira answered for the CSM email when Settings were last
    /// saved or tested (or why it could not be asked).
    pub watcher: Option<String>,
    /// The project's issue types as last read, to choose from by ID; empty before that.
    pub issue_types: Vec<IssueTypeMeta>,
    /// The service desks and their request types as Test connection last listed them.
    pub desks: Vec<DeskListing>,
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

/// `settings` with every value trimmed and checked, naming the field at fault.
pub fn validated(mut s: Settings) -> Result<Settings> {
    for value in [
        &mut s.jira_site,
        &mut s.jira_email,
        &mut s.jira_project,
        &mut s.jira_issue_type,
        &mut s.csm_name,
        &mut s.csm_email,
    ] {
        *value = value.trim().to_owned();
    }
    s.jira_project = s.jira_project.to_uppercase();
    s.jira_labels = s
        .jira_labels
        .iter()
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect();

    if !s.jira_site.is_empty() {
        jira::check_site(&s.jira_site).map_err(|e| field("jiraSite", &e))?;
    }
    check_email("jiraEmail", &s.jira_email)?;
    check_email("csmEmail", &s.csm_email)?;
    let key_ok = s.jira_project.is_empty()
        || (s.jira_project.starts_with(|c: char| c.is_ascii_uppercase())
            && s.jira_project
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'));
    if !key_ok {
        return Err(Error::InvalidField {
            field: "jiraProject".into(),
            message: format!(
                "`{}` is not a project key: it is the short code in ticket keys, like ONB in ONB-42",
                s.jira_project
            ),
        });
    }
    if let Some(bad) = s
        .jira_labels
        .iter()
        .find(|l| l.contains(char::is_whitespace))
    {
        return Err(Error::InvalidField {
            field: "jiraLabels".into(),
            message: format!("the label `{bad}` has a space; Jira labels cannot"),
        });
    }
    if s.jira_issue_type.is_empty() {
        s.jira_issue_type = Settings::default().jira_issue_type;
    }
    Ok(s)
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
    if url.scheme() == "https" || crate::net::is_loopback(&url) {
        Ok(url)
    } else {
        Err(invalid(
            "must start with https:// (the address itself lets anyone post)",
        ))
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// Settings as the Settings screen shows them.
pub(crate) fn view(w: &Work<'_>, keyring: &OsKeyring) -> Result<SettingsView> {
    let settings = store::settings::load(w.conn())?;
    let watcher = store::settings::jira_account(w.conn())?
        .filter(|a| a.is_for(&settings.csm_email))
        .map(|a| a.sentence);
    let issue_types = store::settings::jira_screen(w.conn())?
        .filter(|s| s.desk.is_none() && s.project.eq_ignore_ascii_case(&settings.jira_project))
        .map(|s| s.issue_types)
        .unwrap_or_default();
    Ok(SettingsView {
        watcher,
        issue_types,
        desks: store::settings::jira_desks(w.conn())?,
        settings,
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

/// Checks and saves settings, secrets into the keyring. Nothing is saved if anything is wrong.
pub(crate) fn save(
    w: &Work<'_>,
    keyring: &OsKeyring,
    update: SettingsUpdate,
) -> Result<SettingsView> {
    let settings = validated(update.settings)?;
    let webhook = update
        .slack_webhook
        .as_deref()
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(check_slack_webhook)
        .transpose()?;
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
    store::settings::save(w.conn(), &settings)?;
    view(w, keyring)
}

/// The Jira connection to use: the saved settings and keyring token, each overridden by its
/// `ONRAMP_JIRA_*` variable. The error names everything still missing.
pub(crate) fn jira(w: &Work<'_>, keyring: &OsKeyring) -> Result<JiraSettings> {
    resolve_jira(keyring, store::settings::load(w.conn())?, None)
}

/// The connection the Settings form describes, before it is saved: what "Test connection"
/// tries. A token left empty there means the saved one.
pub(crate) fn jira_from(keyring: &OsKeyring, form: &SettingsUpdate) -> Result<JiraSettings> {
    let token = form
        .token
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    resolve_jira(
        keyring,
        validated(form.settings.clone())?,
        token.map(str::to_owned),
    )
}

fn resolve_jira(
    keyring: &OsKeyring,
    saved: Settings,
    token: Option<String>,
) -> Result<JiraSettings> {
    let pick = |name: &str, saved: &str| env(name).unwrap_or_else(|| saved.to_owned());
    let site = pick(jira::ENV_URL, &saved.jira_site);
    let email = pick(jira::ENV_EMAIL, &saved.jira_email);
    let desk = match saved.jira_mode {
        JiraMode::Project => None,
        JiraMode::ServiceDesk => saved.service_desk.clone(),
    };
    // A request is an issue of its desk's project: search finds it there.
    let project = desk.as_ref().map_or_else(
        || pick(jira::ENV_PROJECT, &saved.jira_project),
        |d| d.project_key.clone(),
    );
    let token = match env(jira::ENV_TOKEN).or(token) {
        Some(token) => token,
        None => keyring.get(JIRA_TOKEN)?.unwrap_or_default(),
    };
    let missing: Vec<&str> = [
        ("the site URL", site.is_empty()),
        (
            "the account email",
            email.is_empty() && saved.deployment == Deployment::Cloud,
        ),
        ("the token", token.is_empty()),
        (
            "the project key",
            project.is_empty() && saved.jira_mode == JiraMode::Project,
        ),
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
        mode: saved.jira_mode,
        desk,
        labels: saved.jira_labels,
        gateway: (saved.jira_scoped_token && saved.deployment == Deployment::Cloud)
            .then(|| jira::check_site(&pick(jira::ENV_GATEWAY, jira::GATEWAY)))
            .transpose()?,
    })
}

/// The Slack incoming webhook, when one is saved.
pub(crate) fn slack_webhook(keyring: &OsKeyring) -> Result<Option<url::Url>> {
    keyring
        .get(SLACK_WEBHOOK)?
        .map(|w| check_slack_webhook(&w))
        .transpose()
}

/// The desk and request type a person names, as Test connection listed them — matched whatever
/// the case and spacing — or why none, with the names there are.
pub fn desk_named(desks: &[DeskListing], desk: &str, request_type: &str) -> Result<DeskChoice> {
    let same = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    let Some(found) = desks.iter().find(|d| same(&d.name, desk)) else {
        let there: Vec<&str> = desks.iter().map(|d| d.name.as_str()).collect();
        return Err(Error::InvalidInput(if there.is_empty() {
            format!(
                "This Jira site shows your account no service desk, so none is named \"{desk}\": ask a Jira admin for access to Support's desk, or send tickets to a project."
            )
        } else {
            format!(
                "This Jira site shows your account no service desk named \"{desk}\"; it shows {}.",
                there.join(", ")
            )
        }));
    };
    let Some(kind) = found
        .request_types
        .iter()
        .find(|t| same(&t.name, request_type))
    else {
        let there: Vec<&str> = found
            .request_types
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        return Err(Error::InvalidInput(format!(
            "{} has no request type named \"{request_type}\"; it has {}.",
            found.name,
            if there.is_empty() {
                "none your account may raise".to_owned()
            } else {
                there.join(", ")
            }
        )));
    };
    Ok(DeskChoice {
        service_desk_id: found.id.clone(),
        service_desk_name: found.name.clone(),
        project_key: found.project_key.clone(),
        request_type_id: kind.id.clone(),
        request_type_name: kind.name.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed() -> Vec<DeskListing> {
        let kind = |id: &str, name: &str| IssueTypeMeta {
            id: id.into(),
            name: name.into(),
        };
        vec![DeskListing {
            id: "3".into(),
            name: "Customer Support".into(),
            project_key: "SUP".into(),
            request_types: vec![kind("21", "Integration request"), kind("22", "Get IT help")],
        }]
    }

    #[test]
    fn a_desk_and_request_type_are_found_by_name_whatever_the_case() {
        let choice = desk_named(&listed(), " customer support", "INTEGRATION REQUEST").unwrap();
        assert_eq!(
            choice,
            DeskChoice {
                service_desk_id: "3".into(),
                service_desk_name: "Customer Support".into(),
                project_key: "SUP".into(),
                request_type_id: "21".into(),
                request_type_name: "Integration request".into(),
            }
        );
    }

    #[test]
    fn a_name_not_listed_is_answered_with_the_names_there_are() {
        let error = desk_named(&listed(), "Support", "Integration request").unwrap_err();
        assert_eq!(
            error.to_string(),
            "This Jira site shows your account no service desk named \"Support\"; it shows Customer Support."
        );
        let error = desk_named(&listed(), "Customer Support", "SSO").unwrap_err();
        assert_eq!(
            error.to_string(),
            "Customer Support has no request type named \"SSO\"; it has Integration request, Get IT help."
        );
        let error = desk_named(&[], "Customer Support", "SSO").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("This Jira site shows your account no service desk, so none is named"),
            "{error}"
        );
    }
}
