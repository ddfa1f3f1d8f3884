//! A service desk's side of the client: Jira Service Management's customer-request API
//! (`/rest/servicedeskapi`, the same on Cloud and Data Center). Shapes from Atlassian's JSM REST
//! docs; see `jira-in-the-field.md`.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::client::{Api, Client, IssueRef, json_body, refusal_from, send_to_desk};
use crate::model::{
    Deployment, FieldMeta, IssueTypeMeta, StatusCategory, TicketComment, TicketState,
};
use crate::net::Failure;
use crate::ticket::Ticket;

/// A service desk the account can see.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceDeskMeta {
    pub id: String,
    pub project_key: String,
    #[serde(rename = "projectName")]
    pub name: String,
}

/// A request type's fields, and what the account may do when raising one.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestTypeFields {
    /// As the create screen's fields are, so the preflight reads both alike.
    pub fields: Vec<FieldMeta>,
    pub can_raise_on_behalf_of: bool,
    pub can_add_participants: bool,
}

/// JSM's `PagedDTO`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Paged<T> {
    values: Vec<T>,
    #[serde(default = "yes")]
    is_last_page: bool,
}

fn yes() -> bool {
    true
}

/// What the request to create is made of, besides the ticket itself.
#[derive(Debug, Clone, Default)]
pub struct NewRequest<'a> {
    pub service_desk: &'a str,
    pub request_type: &'a str,
    /// Jira field IDs to values: the playbook's, converted; the labels.
    pub fields: Map<String, Value>,
    /// Whose request it is (an account ID or username), instead of the token's account.
    pub on_behalf_of: Option<String>,
    pub participants: Vec<String>,
}

impl Client {
    fn desk_url(&self, path: &str) -> String {
        format!("{}/rest/servicedeskapi/{path}", self.base())
    }

    /// Every page of a JSM list.
    async fn desk_pages<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
    ) -> Result<Vec<T>, Failure> {
        let mut all = Vec::new();
        loop {
            let request = self
                .http()
                .get(self.desk_url(path))
                .query(&[("start", all.len().to_string()), ("limit", "50".into())]);
            let page: Paged<T> = json_body(send_to_desk(self.authed(request)).await?).await?;
            let empty = page.values.is_empty();
            all.extend(page.values);
            if empty || page.is_last_page {
                return Ok(all);
            }
        }
    }

    /// The service desks the account can see. Their IDs are not their projects' IDs.
    pub async fn service_desks(&self) -> Result<Vec<ServiceDeskMeta>, Failure> {
        self.desk_pages("servicedesk").await
    }

    /// The desk's request types.
    pub async fn request_types(&self, desk: &str) -> Result<Vec<IssueTypeMeta>, Failure> {
        self.desk_pages(&format!("servicedesk/{desk}/requesttype"))
            .await
    }

    /// The request type's fields (`requestTypeFields`), with options turned into allowed values
    /// as the create screen lists them (`id` for the option's ID, `value` for its text).
    pub async fn request_type_fields(
        &self,
        desk: &str,
        request_type: &str,
    ) -> Result<RequestTypeFields, Failure> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Valid {
            value: Value,
            label: Option<String>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct RequestTypeField {
            field_id: String,
            name: String,
            #[serde(default)]
            required: bool,
            #[serde(default)]
            default_values: Vec<Value>,
            #[serde(default)]
            valid_values: Vec<Valid>,
            #[serde(default)]
            jira_schema: Value,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Meta {
            request_type_fields: Vec<RequestTypeField>,
            #[serde(default)]
            can_raise_on_behalf_of: bool,
            #[serde(default)]
            can_add_request_participants: bool,
        }
        let path = format!("servicedesk/{desk}/requesttype/{request_type}/field");
        let response = send_to_desk(self.authed(self.http().get(self.desk_url(&path)))).await?;
        let meta: Meta = json_body(response).await?;
        let fields = meta
            .request_type_fields
            .into_iter()
            .map(|f| FieldMeta {
                field_id: f.field_id,
                name: f.name,
                required: f.required,
                has_default_value: !f.default_values.is_empty(),
                schema: f.jira_schema,
                allowed_values: f
                    .valid_values
                    .into_iter()
                    .map(|v| json!({ "id": v.value, "value": v.label }))
                    .collect(),
            })
            .collect();
        Ok(RequestTypeFields {
            fields,
            can_raise_on_behalf_of: meta.can_raise_on_behalf_of,
            can_add_participants: meta.can_add_request_participants,
        })
    }

    /// Raises the request. The description goes as ADF on Cloud (`isAdfRequest`), as wiki
    /// markup on Data Center, which takes no ADF here — and on a Cloud site that refuses ADF in
    /// requests (an experimental flag), once more as wiki markup.
    pub async fn create_request(
        &self,
        ticket: &Ticket,
        new: &NewRequest<'_>,
    ) -> Result<IssueRef, Failure> {
        if self.settings().deployment == Deployment::DataCenter {
            return self.send_request(ticket, new, false).await;
        }
        match self.send_request(ticket, new, true).await {
            // A 400 created nothing, so sending again cannot make a second request.
            Err(Failure::Definite(why)) if why.contains("description") => {
                self.send_request(ticket, new, false).await
            }
            sent => sent,
        }
    }

    async fn send_request(
        &self,
        ticket: &Ticket,
        new: &NewRequest<'_>,
        adf: bool,
    ) -> Result<IssueRef, Failure> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Created {
            issue_id: String,
            issue_key: String,
        }
        let description = if adf {
            serde_json::to_value(&ticket.description)
                .map_err(|e| Failure::Definite(format!("the description could not be sent: {e}")))?
        } else {
            Value::String(ticket.wiki())
        };
        let mut values = new.fields.clone();
        values.insert("summary".into(), json!(ticket.summary));
        values.insert("description".into(), description);
        let mut body = json!({
            "serviceDeskId": new.service_desk,
            "requestTypeId": new.request_type,
            "requestFieldValues": values,
            "isAdfRequest": adf,
        });
        if let Some(who) = &new.on_behalf_of {
            body["raiseOnBehalfOf"] = json!(who);
        }
        if !new.participants.is_empty() {
            body["requestParticipants"] = json!(new.participants);
        }
        let response =
            send_to_desk(self.authed(self.http().post(self.desk_url("request")).json(&body)))
                .await?;
        let created: Created = json_body(response).await?;
        Ok(IssueRef {
            id: created.issue_id,
            key: created.issue_key,
        })
    }

    /// Uploads `files` to the desk as temporary files, in one call; their temporary IDs, in
    /// order. They expire unless attached to a request soon.
    async fn attach_temporary(
        &self,
        desk: &str,
        files: &[(&str, &str, &[u8])],
    ) -> Result<Vec<String>, Failure> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Temporary {
            temporary_attachment_id: String,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Made {
            temporary_attachments: Vec<Temporary>,
        }
        let mut form = reqwest::multipart::Form::new();
        for (name, mime, bytes) in files {
            let part = reqwest::multipart::Part::bytes(bytes.to_vec())
                .file_name((*name).to_owned())
                .mime_str(mime)
                .map_err(|e| Failure::Definite(e.to_string()))?;
            form = form.part("file", part);
        }
        let request = self
            .http()
            .post(self.desk_url(&format!("servicedesk/{desk}/attachTemporaryFile")))
            .header("X-Atlassian-Token", "no-check")
            .multipart(form);
        let made: Made = json_body(send_to_desk(self.authed(request)).await?).await?;
        Ok(made
            .temporary_attachments
            .into_iter()
            .map(|t| t.temporary_attachment_id)
            .collect())
    }

    /// Puts `files` on the request `key`: uploaded to the desk in one call, attached in one more,
    /// visible to the customer when `public`. Temporary files expire, so an attach the desk
    /// refuses gets fresh ones, once.
    pub async fn attach_files_to_request(
        &self,
        desk: &str,
        key: &str,
        files: &[(&str, &str, &[u8])],
        public: bool,
    ) -> Result<(), Failure> {
        let temporary = self.attach_temporary(desk, files).await?;
        match self.attach_to_request(key, &temporary, public).await {
            Err(Failure::Definite(_)) => {
                let fresh = self.attach_temporary(desk, files).await?;
                self.attach_to_request(key, &fresh, public)
                    .await
                    .map_err(|failure| match failure {
                        Failure::Definite(why) => {
                            // Jira's own words; the general advice before them is for a request.
                            let said = why.split_once("Jira said: ").map_or(why.as_str(), |(_, s)| s);
                            Failure::Definite(format!(
                                "The service desk would not attach the screenshots to {key}, though they were uploaded to it twice (an upload expires unless attached within minutes). Submit again; if it happens again, a Jira admin can look into the desk's attachment settings. Jira said: {said}"
                            ))
                        }
                        other => other,
                    })
            }
            attached => attached,
        }
    }

    /// Attaches temporary files to the request `key`, visible to the customer when `public`.
    async fn attach_to_request(
        &self,
        key: &str,
        temporary: &[String],
        public: bool,
    ) -> Result<(), Failure> {
        let body = json!({ "temporaryAttachmentIds": temporary, "public": public });
        let url = self.desk_url(&format!("request/{key}/attachment"));
        let response = self
            .write_to(key, || Ok(self.http().post(&url).json(&body)))
            .await?;
        let _: Value = json_body(refusal_from(Api::ServiceDesk, response).await?).await?;
        Ok(())
    }

    /// Where the request stands, as its customer sees it: the status as the portal names it
    /// ("Waiting for support") and its category (`currentStatus`; JSM gives no resolution).
    pub async fn request_state(&self, key: &str) -> Result<TicketState, Failure> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct StatusDate {
            epoch_millis: Option<i64>,
        }
        /// `CustomerRequestStatusDTO`.
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Current {
            status: String,
            status_category: Option<String>,
            status_date: Option<StatusDate>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Request {
            issue_id: String,
            issue_key: String,
            current_status: Current,
        }
        let response =
            send_to_desk(self.authed(self.http().get(self.desk_url(&format!("request/{key}")))))
                .await?;
        let request: Request = json_body(response).await?;
        let status = request.current_status;
        Ok(TicketState {
            comments: Vec::new(),
            id: request.issue_id,
            key: request.issue_key,
            category: status
                .status_category
                .as_deref()
                .map_or(StatusCategory::InProgress, StatusCategory::from_jira),
            status: status.status,
            resolution: None,
            updated: status
                .status_date
                .and_then(|d| d.epoch_millis)
                .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok()),
        })
    }

    /// The ticket's comments, through the request's own API on a desk, through the issue's
    /// otherwise.
    pub async fn comments(&self, key: &str) -> Result<Vec<TicketComment>, Failure> {
        if self.settings().desk.is_some() {
            self.request_comments(key).await
        } else {
            self.issue_comments(key).await
        }
    }

    /// The request's comments, public and internal.
    pub async fn request_comments(&self, key: &str) -> Result<Vec<TicketComment>, Failure> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Author {
            display_name: Option<String>,
            account_id: Option<String>,
            name: Option<String>,
        }
        /// JSM's `DateDTO`.
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Date {
            epoch_millis: Option<i64>,
        }
        #[derive(Deserialize)]
        struct Comment {
            id: String,
            #[serde(default)]
            body: String,
            #[serde(default)]
            public: bool,
            author: Option<Author>,
            created: Option<Date>,
        }
        let all: Vec<Comment> = self.desk_pages(&format!("request/{key}/comment")).await?;
        Ok(all
            .into_iter()
            .map(|c| {
                let id_of = |a: &Author| a.account_id.clone().or_else(|| a.name.clone());
                TicketComment {
                    id: c.id,
                    body: c.body,
                    public: c.public,
                    author_id: c.author.as_ref().and_then(id_of),
                    author: c
                        .author
                        .and_then(|a| a.display_name.or(a.account_id).or(a.name))
                        .unwrap_or_default(),
                    created: c
                        .created
                        .and_then(|d| d.epoch_millis)
                        .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok()),
                }
            })
            .collect())
    }
}
