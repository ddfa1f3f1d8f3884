//! Where and as whom tickets are created, as one value the client carries.

use crate::model::{Deployment, DeskChoice, JiraMode};

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
    /// The project its tickets are issues of: in service-desk mode, the desk's project.
    pub project: String,
    pub issue_type: String,
    pub mode: JiraMode,
    /// In service-desk mode, once chosen: tickets are raised there as requests of its request
    /// type.
    pub desk: Option<DeskChoice>,
    /// Added to every ticket, besides the draft's own label.
    pub labels: Vec<String>,
    /// For a scoped token: Atlassian's API gateway (`https://api.atlassian.com`), under which
    /// the site's API lives at `/ex/jira/{cloudId}`. Ticket links stay on `site`.
    pub gateway: Option<url::Url>,
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
            .field("desk", &self.desk)
            .field("gateway", &self.gateway.as_ref().map(url::Url::as_str))
            .finish_non_exhaustive()
    }
}

impl JiraSettings {
    /// Why tickets cannot be sent yet where Settings point, if they cannot: service-desk mode
    /// with no desk chosen.
    pub fn target_problem(&self) -> Option<String> {
        (self.mode == JiraMode::ServiceDesk && self.desk.is_none()).then(|| {
            "No service desk is chosen yet: in Settings, Test connection lists the service desks your account can see; choose one and its request type, and save.".to_owned()
        })
    }

    /// The browser link to an issue.
    pub fn browse_url(&self, key: &str) -> String {
        format!("{}/browse/{key}", self.site.as_str().trim_end_matches('/'))
    }
}
