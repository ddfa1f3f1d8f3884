//! The eight or so Jira calls Onramp makes, each failure sorted into a `Failure`: REST v3 with
//! ADF on Cloud, REST v2 with wiki markup on Server / Data Center.

use std::time::Duration;

use reqwest::{RequestBuilder, Response, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};

use super::limits::{self, Limit};
use super::pacing::{self, Pacing};
use super::settings::JiraSettings;
use crate::model::{Deployment, FieldMeta, IssueTypeMeta, TicketComment};
use crate::net::{Failure, http_client, transport_failure};
use crate::ticket::Ticket;

/// When a 429 says nothing about how long to wait.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(10);
/// Writes to one issue that go without waiting, per window: a ticket's three screenshots and
/// its watcher go at once; a longer series is spaced out.
const ISSUE_WRITES: usize = 4;
const ISSUE_WINDOW: Duration = Duration::from_secs(1);

#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    settings: JiraSettings,
    /// Where the REST API is: the site, or for a scoped token the gateway's path for the site
    /// (`resolve` finds it).
    api: std::sync::OnceLock<String>,
    /// Shared by the clones, which send to the same site.
    pacing: std::sync::Arc<Pacing>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", try_from = "RawUser")]
pub struct User {
    /// What watchers take: the account ID on Cloud, the username on Data Center.
    pub id: String,
    pub display_name: String,
    pub email_address: Option<String>,
}

/// A user as either deployment sends it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawUser {
    account_id: Option<String>,
    name: Option<String>,
    #[serde(default)]
    display_name: String,
    email_address: Option<String>,
}

impl TryFrom<RawUser> for User {
    type Error = &'static str;

    fn try_from(raw: RawUser) -> Result<Self, Self::Error> {
        Ok(Self {
            id: raw
                .account_id
                .or(raw.name)
                .ok_or("a user without accountId or name")?,
            display_name: raw.display_name,
            email_address: raw.email_address,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct IssueRef {
    pub id: String,
    pub key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemoteAttachment {
    pub filename: String,
    pub size: u64,
}

/// One page of createmeta: Cloud names the list (`issueTypes`, `fields`), Data Center calls it
/// `values`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MetaPage<T> {
    #[serde(alias = "issueTypes", alias = "fields", alias = "values")]
    items: Vec<T>,
    #[serde(default)]
    total: Option<usize>,
    #[serde(default)]
    is_last: Option<bool>,
}

impl Client {
    pub fn new(settings: JiraSettings) -> Result<Self, Failure> {
        let api = std::sync::OnceLock::new();
        if settings.gateway.is_none() {
            let _ = api.set(settings.site.as_str().trim_end_matches('/').to_owned());
        }
        Ok(Self {
            http: http_client()?,
            settings,
            api,
            pacing: std::sync::Arc::new(Pacing::new(ISSUE_WRITES, ISSUE_WINDOW)),
        })
    }

    /// Lets at most `writes` go to one issue in any `window` (for a site stricter than most).
    #[must_use]
    pub fn with_issue_write_pace(mut self, writes: usize, window: Duration) -> Self {
        self.pacing = std::sync::Arc::new(Pacing::new(writes, window));
        self
    }

    pub fn settings(&self) -> &JiraSettings {
        &self.settings
    }

    /// Finds where a scoped token reaches the API: the gateway, under the site's cloud ID
    /// (read from the site's `/_edge/tenant_info`). Once per client; nothing to do otherwise.
    pub async fn resolve(&self) -> Result<(), Failure> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct TenantInfo {
            cloud_id: String,
        }
        let Some(gateway) = &self.settings.gateway else {
            return Ok(());
        };
        if self.api.get().is_some() {
            return Ok(());
        }
        let info = self.settings.site.join("_edge/tenant_info").map_err(|e| {
            Failure::Definite(format!("the site URL cannot lead to its cloud ID: {e}"))
        })?;
        let tenant: TenantInfo = json_body(send(self.http.get(info)).await?).await?;
        // An ID is letters, digits and hyphens; anything else is not to be put in a URL.
        if tenant.cloud_id.is_empty()
            || !tenant
                .cloud_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(Failure::Definite(format!(
                "{} did not give a usable cloud ID; check the site URL in Settings",
                self.settings.site
            )));
        }
        let _ = self.api.set(format!(
            "{}/ex/jira/{}",
            gateway.as_str().trim_end_matches('/'),
            tenant.cloud_id
        ));
        Ok(())
    }

    /// Where the REST APIs are. Before `resolve`, a scoped client still has only the site: its
    /// 401 then says why.
    pub(super) fn base(&self) -> &str {
        self.api.get().map_or_else(
            || self.settings.site.as_str().trim_end_matches('/'),
            String::as_str,
        )
    }

    pub(super) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    pub(super) fn url(&self, path: &str) -> String {
        let version = match self.settings.deployment {
            Deployment::Cloud => 3,
            Deployment::DataCenter => 2,
        };
        format!("{}/rest/api/{version}/{path}", self.base())
    }

    pub(super) fn authed(&self, request: RequestBuilder) -> RequestBuilder {
        match self.settings.deployment {
            Deployment::Cloud => {
                request.basic_auth(&self.settings.email, Some(&self.settings.token))
            }
            Deployment::DataCenter => request.bearer_auth(&self.settings.token),
        }
    }

    /// The account the token belongs to: "Test connection".
    pub async fn myself(&self) -> Result<User, Failure> {
        let response = send(self.authed(self.http.get(self.url("myself")))).await?;
        json_body(response).await
    }

    /// Who `csm_email` is, next to `me`, the token's account.
    pub async fn watcher_for(&self, me: &User, csm_email: &str) -> Result<Watcher, Failure> {
        let own = self.settings.email.eq_ignore_ascii_case(csm_email)
            || me
                .email_address
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(csm_email));
        if own {
            return Ok(Watcher::TokenOwner);
        }
        Ok(match self.find_user(csm_email).await? {
            Some(user) if user.id == me.id => Watcher::TokenOwner,
            Some(user) => Watcher::Other(user),
            None => Watcher::NotFound,
        })
    }

    /// The user with the email `query`: the one whose email is exactly it, else — where
    /// privacy settings hide emails — the first found by it (search matches by prefix). An empty
    /// answer is how Jira says the account may not browse users, too.
    pub async fn find_user(&self, query: &str) -> Result<Option<User>, Failure> {
        let parameter = match self.settings.deployment {
            Deployment::Cloud => "query",
            Deployment::DataCenter => "username",
        };
        let request = self
            .http
            .get(self.url("user/search"))
            .query(&[(parameter, query)]);
        let response = send(self.authed(request)).await?;
        let users: Vec<User> = json_body(response).await?;
        let exact = users.iter().position(|u| {
            u.email_address
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(query))
        });
        let hidden = users.iter().position(|u| u.email_address.is_none());
        Ok(exact.or(hidden).map(|i| users[i].clone()))
    }

    /// Issues of the project carrying `label` that search can see yet, each with the value of
    /// its issue property `property` (`Value::Null` when it has none).
    pub async fn search_label(
        &self,
        label: &str,
        property: &str,
    ) -> Result<Vec<(IssueRef, Value)>, Failure> {
        #[derive(Deserialize)]
        struct Hit {
            #[serde(flatten)]
            issue: IssueRef,
            /// Cloud returns the properties asked for; Data Center's search cannot
            /// (JRASERVER-62898), so there each is read on its own.
            properties: Option<serde_json::Map<String, Value>>,
        }
        #[derive(Deserialize)]
        struct Page {
            issues: Vec<Hit>,
        }
        let jql = format!(
            "project = \"{}\" AND labels = \"{label}\"",
            self.settings.project
        );
        let body = json!({
            "jql": jql,
            "fields": ["summary"],
            "properties": [property],
            "maxResults": 10,
        });
        // Cloud removed `/search` for `/search/jql`; Data Center never had the latter.
        let endpoint = match self.settings.deployment {
            Deployment::Cloud => "search/jql",
            Deployment::DataCenter => "search",
        };
        let response = send(self.authed(self.http.post(self.url(endpoint)).json(&body))).await?;
        let mut found = Vec::new();
        for hit in json_body::<Page>(response).await?.issues {
            let value = match hit.properties {
                Some(mut properties) => properties.remove(property).unwrap_or(Value::Null),
                None => self.property(&hit.issue.key, property).await?,
            };
            found.push((hit.issue, value));
        }
        Ok(found)
    }

    /// The value of the issue's property `property`, `Value::Null` when it has none.
    async fn property(&self, key: &str, property: &str) -> Result<Value, Failure> {
        #[derive(Deserialize)]
        struct EntityProperty {
            value: Value,
        }
        let request = self
            .http
            .get(self.url(&format!("issue/{key}/properties/{property}")));
        let response = transport(self.authed(request)).await?;
        // The issue was just found, so a 404 is the property's absence.
        if response.status() == StatusCode::NOT_FOUND {
            return Ok(Value::Null);
        }
        Ok(json_body::<EntityProperty>(refusal(response).await?)
            .await?
            .value)
    }

    /// Creates the issue. `properties` are issue entity properties set in the same call.
    /// `issue_type` is an ID from createmeta; `fields` the project's own, ready to send.
    pub async fn create_issue(
        &self,
        ticket: &Ticket,
        issue_type: &str,
        fields: &serde_json::Map<String, Value>,
        labels: &[String],
        properties: &Value,
    ) -> Result<IssueRef, Failure> {
        let description = match self.settings.deployment {
            Deployment::Cloud => serde_json::to_value(&ticket.description).map_err(|e| {
                Failure::Definite(format!("the description could not be sent: {e}"))
            })?,
            Deployment::DataCenter => Value::String(ticket.wiki()),
        };
        let summary = &ticket.summary;
        let mut all = fields.clone();
        all.extend([
            (
                "project".to_owned(),
                json!({ "key": self.settings.project }),
            ),
            ("issuetype".to_owned(), json!({ "id": issue_type })),
            ("summary".to_owned(), json!(summary)),
            ("description".to_owned(), description),
            ("labels".to_owned(), json!(labels)),
        ]);
        let body = json!({ "fields": all, "properties": properties });
        let response = send(self.authed(self.http.post(self.url("issue")).json(&body))).await?;
        json_body(response).await
    }

    /// Sets the issue's entity property `property` (a service desk's create cannot).
    pub async fn set_property(
        &self,
        key: &str,
        property: &str,
        value: &Value,
    ) -> Result<(), Failure> {
        let url = self.url(&format!("issue/{key}/properties/{property}"));
        let response = self
            .write_to(key, || Ok(self.http.put(&url).json(value)))
            .await?;
        refusal(response).await?;
        Ok(())
    }

    /// The issue's comments (the platform API's `PageOfComments`).
    pub async fn issue_comments(&self, key: &str) -> Result<Vec<TicketComment>, Failure> {
        #[derive(Deserialize)]
        struct Page {
            comments: Vec<RawComment>,
        }
        let request = self
            .http
            .get(self.url(&format!("issue/{key}/comment")))
            .query(&[("maxResults", "5000")]);
        let page: Page = json_body(send(self.authed(request)).await?).await?;
        Ok(page.comments.into_iter().map(TicketComment::from).collect())
    }

    /// Adds a comment to the issue as the token's account: ADF on Cloud (a paragraph a line),
    /// wiki text on Data Center. Its ID.
    pub async fn add_comment(&self, key: &str, text: &str) -> Result<String, Failure> {
        #[derive(Deserialize)]
        struct Added {
            id: String,
        }
        let body = match self.settings.deployment {
            Deployment::Cloud => {
                let paragraphs: Vec<Value> = text
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(|l| json!({ "type": "paragraph", "content": [{ "type": "text", "text": l }] }))
                    .collect();
                json!({ "body": { "type": "doc", "version": 1, "content": paragraphs } })
            }
            Deployment::DataCenter => json!({ "body": text }),
        };
        let url = self.url(&format!("issue/{key}/comment"));
        let response = self
            .write_to(key, || Ok(self.http.post(&url).json(&body)))
            .await?;
        Ok(json_body::<Added>(refusal(response).await?).await?.id)
    }

    /// The project's issue types a create may use.
    pub async fn issue_types(&self) -> Result<Vec<IssueTypeMeta>, Failure> {
        let path = format!("issue/createmeta/{}/issuetypes", self.settings.project);
        self.meta_pages(&path).await
    }

    /// The create screen's fields for the issue type `issue_type` (an ID).
    pub async fn create_fields(&self, issue_type: &str) -> Result<Vec<FieldMeta>, Failure> {
        let path = format!(
            "issue/createmeta/{}/issuetypes/{issue_type}",
            self.settings.project
        );
        self.meta_pages(&path).await
    }

    /// Every page of a createmeta list.
    async fn meta_pages<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
    ) -> Result<Vec<T>, Failure> {
        let mut all = Vec::new();
        loop {
            let request = self.http.get(self.url(path)).query(&[
                ("startAt", all.len().to_string()),
                ("maxResults", "50".into()),
            ]);
            let page: MetaPage<T> = json_body(send(self.authed(request)).await?).await?;
            let empty = page.items.is_empty();
            all.extend(page.items);
            let done =
                page.is_last.unwrap_or(false) || page.total.is_none_or(|total| all.len() >= total);
            if empty || done {
                return Ok(all);
            }
        }
    }

    /// The largest file the site takes, in bytes; `None` when attachments are switched off.
    pub async fn upload_limit(&self) -> Result<Option<u64>, Failure> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct AttachmentSettings {
            enabled: bool,
            upload_limit: Option<u64>,
        }
        let response = send(self.authed(self.http.get(self.url("attachment/meta")))).await?;
        let meta: AttachmentSettings = json_body(response).await?;
        Ok(meta
            .enabled
            .then_some(meta.upload_limit.unwrap_or(u64::MAX)))
    }

    pub async fn attachments(&self, key: &str) -> Result<Vec<RemoteAttachment>, Failure> {
        #[derive(Deserialize)]
        struct Fields {
            #[serde(default)]
            attachment: Vec<RemoteAttachment>,
        }
        Ok(self
            .issue_fields::<Fields>(key, "attachment")
            .await?
            .attachment)
    }

    /// The issue's workflow status, as Jira names it ("To Do", "In Progress", "Done").
    pub async fn issue_status(&self, key: &str) -> Result<String, Failure> {
        #[derive(Deserialize)]
        struct Status {
            name: String,
        }
        #[derive(Deserialize)]
        struct Fields {
            status: Status,
        }
        Ok(self
            .issue_fields::<Fields>(key, "status")
            .await?
            .status
            .name)
    }

    /// `GET issue/{key}?fields=…`, returning just its `fields`.
    async fn issue_fields<F: serde::de::DeserializeOwned>(
        &self,
        key: &str,
        fields: &str,
    ) -> Result<F, Failure> {
        #[derive(Deserialize)]
        struct Issue<F> {
            fields: F,
        }
        let request = self
            .http
            .get(self.url(&format!("issue/{key}")))
            .query(&[("fields", fields)]);
        let response = send(self.authed(request)).await?;
        Ok(json_body::<Issue<F>>(response).await?.fields)
    }

    /// Uploads one file (one per request, so a failure leaves no doubt about the others).
    pub async fn attach(
        &self,
        key: &str,
        filename: &str,
        mime: &str,
        bytes: &[u8],
    ) -> Result<(), Failure> {
        let url = self.url(&format!("issue/{key}/attachments"));
        let response = self
            .write_to(key, || {
                let part = reqwest::multipart::Part::bytes(bytes.to_vec())
                    .file_name(filename.to_owned())
                    .mime_str(mime)
                    .map_err(|e| Failure::Definite(e.to_string()))?;
                Ok(self
                    .http
                    .post(&url)
                    .header("X-Atlassian-Token", "no-check")
                    .multipart(reqwest::multipart::Form::new().part("file", part)))
            })
            .await?;
        // The answer is the list of attachments made; reading it proves the upload landed.
        let _: Vec<Value> = json_body(refusal(response).await?).await?;
        Ok(())
    }

    /// Adds `user` (`User::id`: an account ID on Cloud, a username on Data Center) as a watcher,
    /// or with `None` the token's own account — the call that needs no "Manage watcher list"
    /// permission. Jira refusing (403, 404) is an answer, not a failure: the ticket stands.
    pub async fn add_watcher(&self, key: &str, user: Option<&str>) -> Result<Watch, Failure> {
        let url = self.url(&format!("issue/{key}/watchers"));
        let response = self
            .write_to(key, || {
                let request = self.http.post(&url);
                // The body is a bare JSON string.
                Ok(match user {
                    Some(user) => request.json(&user),
                    None => request,
                })
            })
            .await?;
        let why = match response.status() {
            StatusCode::FORBIDDEN => {
                "Jira refused (403): this account may not add others as watchers in the project (the \"Manage watcher list\" permission; your Jira admin can grant it)."
            }
            StatusCode::NOT_FOUND => {
                "Jira found no such user or ticket to watch (404): watching may be switched off on this site, or the account cannot see the ticket."
            }
            _ => {
                refusal(response).await?;
                return Ok(Watch::Added);
            }
        };
        let detail = jira_messages(&response.text().await.unwrap_or_default());
        Ok(Watch::Refused(if detail.is_empty() {
            why.to_owned()
        } else {
            format!("{why} Jira said: {detail}")
        }))
    }

    /// Sends a write to the issue `key` (`request` makes it afresh for each try), paced; when
    /// Jira refuses it for that issue's own limit and asks for a short wait, waits and sends it
    /// again (a 429 changed nothing). Any other answer is the caller's to read.
    pub(super) async fn write_to(
        &self,
        key: &str,
        request: impl Fn() -> Result<RequestBuilder, Failure>,
    ) -> Result<Response, Failure> {
        let mut tries = 0;
        loop {
            tries += 1;
            self.pacing.turn(key).await;
            let response = transport(self.authed(request()?)).await?;
            if response.status() == StatusCode::TOO_MANY_REQUESTS && tries < pacing::TRIES {
                let limit = limits::read(response.headers(), jiff::Timestamp::now());
                let wait = limit.wait.unwrap_or(DEFAULT_RETRY_AFTER);
                if limit.reason.as_deref() == Some(pacing::PER_ISSUE)
                    && wait <= pacing::LONGEST_IN_PLACE
                {
                    self.pacing.refused(key, wait);
                    continue;
                }
            }
            return Ok(response);
        }
    }
}

/// The text of an ADF document: its text nodes, a paragraph per line.
fn adf_text(node: &Value) -> String {
    fn walk(node: &Value, out: &mut String) {
        if let Some(text) = node["text"].as_str() {
            out.push_str(text);
        }
        for child in node["content"].as_array().into_iter().flatten() {
            walk(child, out);
        }
        if node["type"] == "paragraph" && !out.ends_with('\n') {
            out.push('\n');
        }
    }
    let mut out = String::new();
    walk(node, &mut out);
    out.trim_end().to_owned()
}

/// A comment as the platform API gives it (`Comment`), in `PageOfComments` and in search's
/// `comment` field: Cloud's body is ADF, read as its text; Data Center's is wiki text.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawComment {
    id: String,
    #[serde(default)]
    body: Value,
    author: Option<RawUser>,
    created: Option<String>,
    /// Set on a service desk's issues; a plain project's comments are all visible.
    #[serde(default = "visible")]
    jsd_public: bool,
}

fn visible() -> bool {
    true
}

impl From<RawComment> for TicketComment {
    fn from(c: RawComment) -> Self {
        Self {
            body: match &c.body {
                Value::String(text) => text.clone(),
                adf => adf_text(adf),
            },
            public: c.jsd_public,
            created: c.created.as_deref().and_then(jira_time),
            author_id: c
                .author
                .as_ref()
                .and_then(|a| a.account_id.clone().or_else(|| a.name.clone())),
            author: c.author.map(|a| a.display_name).unwrap_or_default(),
            id: c.id,
        }
    }
}

/// Jira's date-time in fields, `2026-12-07T10:15:30.000+0000`.
pub(super) fn jira_time(text: &str) -> Option<jiff::Timestamp> {
    jiff::fmt::strtime::parse("%Y-%m-%dT%H:%M:%S%.f%z", text)
        .and_then(|t| t.to_timestamp())
        .ok()
}

/// Who a CSM's email is in Jira, for watching tickets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Watcher {
    /// The token's own account: the watcher call that needs no permission.
    TokenOwner,
    /// Another account (adding it needs "Manage watcher list").
    Other(User),
    /// Jira found no account for the email (or may not show it).
    NotFound,
}

/// What adding a watcher came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Watch {
    Added,
    /// Why Jira would not, in words for the CSM.
    Refused(String),
}

/// Which API a call went to: who can fix a refusal differs between a project and a service
/// desk, and so do the words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Api {
    Platform,
    ServiceDesk,
}

/// Sends, and turns every non-success into the `Failure` it is.
pub(super) async fn send(request: RequestBuilder) -> Result<Response, Failure> {
    refusal(transport(request).await?).await
}

/// `send` for Jira Service Management's API.
pub(super) async fn send_to_desk(request: RequestBuilder) -> Result<Response, Failure> {
    refusal_from(Api::ServiceDesk, transport(request).await?).await
}

/// Sends; only a request that got no HTTP answer fails.
pub(super) async fn transport(request: RequestBuilder) -> Result<Response, Failure> {
    request
        .send()
        .await
        .map_err(|e| transport_failure("Jira", &e))
}

/// The response when it is a success; otherwise the `Failure` it is.
pub(super) async fn refusal(response: Response) -> Result<Response, Failure> {
    refusal_from(Api::Platform, response).await
}

/// The response when it is a success; otherwise the `Failure` it is, worded for `api`.
pub(super) async fn refusal_from(api: Api, response: Response) -> Result<Response, Failure> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let limit = limits::read(response.headers(), jiff::Timestamp::now());
    let detail = jira_messages(&response.text().await.unwrap_or_default());
    Err(classify(api, status, limit, &detail))
}

fn classify(api: Api, status: StatusCode, limit: Limit, detail: &str) -> Failure {
    let with = |text: &str| {
        if detail.is_empty() {
            text.to_owned()
        } else {
            format!("{text} Jira said: {detail}")
        }
    };
    match status {
        // Jira sometimes sheds load with a 503 that says how long to wait, as a 429 does.
        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
            if status == StatusCode::TOO_MANY_REQUESTS || limit.wait.is_some() =>
        {
            Failure::RateLimited {
                wait: limit.wait.unwrap_or(DEFAULT_RETRY_AFTER),
                reason: limit.reason,
            }
        }
        StatusCode::UNAUTHORIZED => Failure::Unauthorized(with(
            "Jira did not accept the token (401): it is wrong or has expired. Create a new one (Cloud: id.atlassian.com › Security › API tokens, which last a year at most; Server/Data Center: your profile › Personal Access Tokens) and enter it in Settings: what failed on this one is sent again by itself. A scoped token (service accounts have only those) works only with \"Scoped API token\" ticked in Settings.",
        )),
        StatusCode::FORBIDDEN => Failure::Definite(with(match api {
            Api::Platform => {
                "Jira refused (403): your account lacks a permission this needs (create issues, add attachments or manage watchers in the project). Ask your Jira admin."
            }
            Api::ServiceDesk => {
                "The service desk refused (403): only its agents may raise requests for others, add participants or attach files customers do not see. Ask a Jira admin to make you an agent of the desk, or the playbook owner to drop raise_on_behalf_of and participants, or set public_attachments, under [jira.service_desk]."
            }
        })),
        StatusCode::NOT_FOUND => Failure::Definite(with(match api {
            Api::Platform => {
                "Jira found no such thing (404): check the site URL and the project key in Settings."
            }
            Api::ServiceDesk => {
                "The service desk found no such desk, request type or request, or your account may not see it (404): in Settings, Test connection and choose the desk and request type again from those it lists."
            }
        })),
        StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => {
            Failure::Definite(with(match api {
                Api::Platform => "Jira refused the ticket; fix what it names and submit again.",
                Api::ServiceDesk => {
                    "The service desk refused the request; fix what it names and submit again."
                }
            }))
        }
        StatusCode::PAYLOAD_TOO_LARGE => Failure::Definite(with(match api {
            Api::Platform => {
                "Jira refused a screenshot as too large (413): attach a smaller crop, or ask a Jira admin to raise the attachment size limit (System › Attachments)."
            }
            Api::ServiceDesk => {
                "The service desk refused a screenshot as too large (413): attach a smaller crop, or ask a Jira admin to raise the attachment size limit (System › Attachments)."
            }
        })),
        s if s.is_server_error() => {
            Failure::Ambiguous(with(&format!("Jira had a problem ({}).", s.as_u16())))
        }
        s => Failure::Definite(with(&format!("Jira answered {}.", s.as_u16()))),
    }
}

/// Jira's `{"errorMessages":[…],"errors":{"field":"message"}}`, or a service desk's
/// `{"errorMessage": "…"}`, as one line.
fn jira_messages(body: &str) -> String {
    let Ok(json) = serde_json::from_str::<Value>(body) else {
        return body.chars().take(300).collect();
    };
    let messages = json["errorMessages"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(json.get("errorMessage"))
        .filter_map(Value::as_str)
        .map(str::to_owned);
    let fields = json["errors"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(field, message)| format!("{field}: {}", message.as_str().unwrap_or_default()));
    messages.chain(fields).collect::<Vec<_>>().join("; ")
}

/// A success body that cannot be read means the answer was lost: the write may have happened.
pub(super) async fn json_body<T: serde::de::DeserializeOwned>(
    response: Response,
) -> Result<T, Failure> {
    let bytes = response
        .bytes()
        .await
        .map_err(|e| Failure::Ambiguous(format!("Jira's answer broke off: {e}")))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| Failure::Ambiguous(format!("Jira's answer could not be read: {e}")))
}
