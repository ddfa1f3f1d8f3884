//! Jira: a thin client for the calls Onramp makes, and the submission that creates each ticket
//! exactly once whatever fails on the way (see `submit`).

mod client;
pub mod follow;
mod limits;
mod pacing;
pub mod preflight;
mod service_desk;
mod settings;
pub mod submit;
mod tracking;
pub(crate) mod values;

use serde::Serialize;
use ts_rs::TS;

pub use crate::model::Deployment;
pub use crate::model::TicketComment;
pub use crate::model::{
    DeskListing, FieldMeta, IssueTypeMeta, JiraAccount, JiraMode, JiraScreen, WatchAs,
};
pub use crate::net::Failure;
pub use client::{Client, IssueRef, RemoteAttachment, User, Watch, Watcher};
pub use preflight::FieldRow;
pub use service_desk::{NewRequest, RequestTypeFields, ServiceDeskMeta};
pub use settings::JiraSettings;

use crate::playbook::JiraMapping;

use crate::net::is_loopback;

/// The environment variables that override the saved settings, for scripts and tests.
pub const ENV_URL: &str = "ONRAMP_JIRA_URL";
pub const ENV_EMAIL: &str = "ONRAMP_JIRA_EMAIL";
pub const ENV_TOKEN: &str = "ONRAMP_JIRA_TOKEN";
pub const ENV_PROJECT: &str = "ONRAMP_JIRA_PROJECT";
pub const ENV_ISSUE_TYPE: &str = "ONRAMP_JIRA_ISSUE_TYPE";
/// Where scoped tokens reach Jira Cloud; a test points it at fake-jira.
pub const ENV_GATEWAY: &str = "ONRAMP_JIRA_GATEWAY";
pub const GATEWAY: &str = "https://api.atlassian.com";
pub const ENV_ALL: [&str; 5] = [ENV_URL, ENV_EMAIL, ENV_TOKEN, ENV_PROJECT, ENV_ISSUE_TYPE];

/// What a "Test connection" found: the account, and whether tickets can be created in the
/// project as its support team configured it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionCheck {
    pub display_name: String,
    /// Hidden by some sites' privacy settings.
    pub email_address: Option<String>,
    pub site: String,
    /// What stops a ticket, each saying who can fix it; empty when nothing does.
    pub problems: Vec<String>,
    /// The create screen's fields, required first, with what fills each.
    pub fields: Vec<FieldRow>,
    /// Whom Jira will add as each ticket's watcher, in a sentence; `None` without a CSM email.
    pub watcher: Option<String>,
    /// The project's issue types, for Settings to choose from by ID.
    pub issue_types: Vec<IssueTypeMeta>,
    /// In service-desk mode: the desks the account can see and their request types.
    pub desks: Vec<DeskListing>,
    /// In service-desk mode, once a desk is chosen: what the account may do there, in a
    /// sentence.
    pub desk_access: Option<String>,
}

/// All a "Test connection" learned: what the CSM reads, and what is kept for offline work and
/// sends (`Onramp::remember_jira`).
#[derive(Debug, Clone)]
pub struct Checked {
    pub check: ConnectionCheck,
    /// `None` when the project or its issue type is not as Settings say.
    pub screen: Option<JiraScreen>,
    /// `None` without a CSM email.
    pub account: Option<JiraAccount>,
}

/// Whether the account may raise requests for others and add participants on the chosen desk.
fn desk_access(screen: &JiraScreen) -> Option<String> {
    let desk = screen.desk?;
    let name = &screen.project;
    Some(
        match (desk.can_raise_on_behalf_of, desk.can_add_participants) {
            (true, true) => format!(
                "On {name} your account may raise requests on behalf of others and add participants (it is one of the desk's agents)."
            ),
            (false, false) => format!(
                "On {name} your account may neither raise requests on behalf of others nor add participants (it is a customer there, not an agent): requests are raised as you."
            ),
            (true, false) => format!(
                "On {name} your account may raise requests on behalf of others but not add participants."
            ),
            (false, true) => format!(
                "On {name} your account may add participants but not raise requests on behalf of others."
            ),
        },
    )
}

/// The service desks the account can see, each with its request types — none, and why in
/// words, when the site shows it none.
async fn desk_listings(client: &Client) -> Result<(Vec<DeskListing>, Option<String>), Failure> {
    let desks = match client.service_desks().await {
        Ok(desks) => desks,
        Err(Failure::Definite(why)) => {
            return Ok((
                Vec::new(),
                Some(format!(
                    "This Jira site shows your account no service desk (Jira Service Management): send tickets to a project instead, or ask a Jira admin for access to Support's desk. {why}"
                )),
            ));
        }
        Err(other) => return Err(other),
    };
    let mut listed = Vec::new();
    for desk in desks {
        let request_types = client.request_types(&desk.id).await?;
        listed.push(DeskListing {
            id: desk.id,
            name: desk.name,
            project_key: desk.project_key,
            request_types,
        });
    }
    let none = listed.is_empty().then(|| "Your account can see no service desk on this site: ask a Jira admin to add you to Support's desk, or send tickets to a project instead.".to_owned());
    Ok((listed, none))
}

/// "Test connection": signs in and says as whom, or why not in plain words (401, 403, 404,
/// a TLS failure, no network); then reads the project's create screen and checks it against
/// the playbook's `mappings` (the preflight every create runs too), and finds the CSM's
/// account by `csm_email`.
pub async fn test_connection(
    settings: JiraSettings,
    mappings: &[JiraMapping],
    csm_email: &str,
) -> crate::Result<Checked> {
    let site = settings.site.to_string();
    let client = Client::new(settings)?;
    client.resolve().await?;
    let me = client.myself().await?;
    let account = account(&client, &me, csm_email.trim()).await?;
    let mappings: Vec<&JiraMapping> = mappings.iter().collect();
    let (desks, desk_problem) = match client.settings().mode {
        JiraMode::Project => (Vec::new(), None),
        JiraMode::ServiceDesk => desk_listings(&client).await?,
    };
    let (mut problems, mut fields, screen) = match preflight::run(&client).await {
        Ok(screen) => (
            screen.problems(&mappings, false),
            screen.rows(&mappings),
            Some(screen),
        ),
        // Signed in, but the project or its issue type is not as Settings say.
        Err(Failure::Definite(why)) => (vec![why], Vec::new(), None),
        Err(other) => return Err(other.into()),
    };
    // No desk to see says more than "none chosen".
    if let Some(why) = desk_problem {
        problems = vec![why];
    }
    fields.sort_by_key(|f| !f.required);
    let check = ConnectionCheck {
        display_name: me.display_name,
        email_address: me.email_address,
        site,
        problems,
        fields,
        watcher: account.as_ref().map(|a| a.sentence.clone()),
        desk_access: screen.as_ref().and_then(desk_access),
        issue_types: screen
            .as_ref()
            .filter(|s| s.desk.is_none())
            .map(|s| s.issue_types.clone())
            .unwrap_or_default(),
        desks,
    };
    Ok(Checked {
        check,
        screen,
        account,
    })
}

/// Whom tickets will be watched by: the CSM's account found by email, as a send would find it.
async fn account(
    client: &Client,
    me: &User,
    csm_email: &str,
) -> crate::Result<Option<JiraAccount>> {
    if csm_email.is_empty() {
        return Ok(None);
    }
    let name = &me.display_name;
    let (watch, sentence) = match client.watcher_for(me, csm_email).await? {
        Watcher::TokenOwner => (
            WatchAs::TokenOwner,
            format!("You watch each ticket as {name}, whose token this is."),
        ),
        Watcher::Other(user) => (
            WatchAs::Account(user.id),
            format!(
                "You watch each ticket as {}; adding someone other than {name}, whose token this is, needs the \"Manage watcher list\" permission in the project.",
                user.display_name
            ),
        ),
        Watcher::NotFound => (
            WatchAs::NotFound,
            format!(
                "Jira found no account for {csm_email} (the token's account may not be allowed to browse users, or your Jira email is another one): tickets will be watched by {name}, whose token sends them."
            ),
        ),
    };
    Ok(Some(JiraAccount {
        email: csm_email.to_owned(),
        token_owner: Some(me.id.clone()),
        watch,
        sentence,
    }))
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
