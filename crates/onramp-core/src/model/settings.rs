//! What the CSM sets once, as it is kept: the Jira site and account, and their own name. The
//! secrets (the Jira token, the Slack webhook) are never here: they live in the OS keyring.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

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

/// Where requests go. Support teams that run a Jira Service Management desk take work as
/// customer requests of a request type, which their queues, SLAs and portal hang on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum JiraMode {
    /// An issue of the issue type, in the project.
    #[default]
    Project,
    /// A customer request of the request type, on the service desk.
    ServiceDesk,
}

/// The service desk and request type chosen in Settings, by ID, with the names Jira gave them
/// (shown offline, and in messages).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeskChoice {
    /// A service desk's own ID, not its project's.
    pub service_desk_id: String,
    pub service_desk_name: String,
    /// The desk's project, where its requests are issues (searched by label).
    pub project_key: String,
    pub request_type_id: String,
    pub request_type_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// `https://your-company.atlassian.net`, or the Server/Data Center base URL.
    pub jira_site: String,
    pub deployment: Deployment,
    /// The Atlassian account's email (Cloud); Server/Data Center tokens need none.
    pub jira_email: String,
    pub jira_mode: JiraMode,
    pub jira_project: String,
    pub jira_issue_type: String,
    /// In service-desk mode: where requests are raised.
    pub service_desk: Option<DeskChoice>,
    /// Added to every ticket, besides the draft's own label.
    pub jira_labels: Vec<String>,
    /// A scoped API token (the only kind service accounts get): it works only through
    /// Atlassian's API gateway, so Onramp calls Jira there (Cloud only).
    pub jira_scoped_token: bool,
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
            jira_mode: JiraMode::Project,
            jira_project: String::new(),
            jira_issue_type: "Task".to_owned(),
            service_desk: None,
            jira_labels: vec!["onramp".to_owned()],
            jira_scoped_token: false,
            csm_name: String::new(),
            csm_email: String::new(),
        }
    }
}
