//! Jira Service Management's customer-request API, `/rest/servicedeskapi/…`, the same on Cloud
//! and Data Center. Shapes from Atlassian's JSM REST docs as a mature client models them (jira.js
//! `src/serviceDesk/models`: `ServiceDesk`, `RequestType`, `CustomerRequestCreateMeta`,
//! `RequestCreate`, `CustomerRequest`, `AttachmentCreate`, `Comment`, `ErrorResponse`) and
//! `jira-in-the-field.md`: service desk IDs that are not project IDs, request types whose fields
//! differ, a caller who is only a customer refused `raiseOnBehalfOf` and participants, temporary
//! files that expire unless attached. A request is an issue of the desk's project, so the platform
//! API (search, properties, an issue's attachments, watchers) sees it as Jira's does.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::faults::Operation;
use crate::project::FieldConfig;
use crate::routes::{ADF, answer, guard, lock, over_write_limit, read_files, xsrf_refusal};
use crate::state::{Attachment, Issue, NewIssue, RequestInfo};
use crate::{Flavor, Shared};

type Shared_ = State<Arc<Shared>>;

/// A service desk and how its agents set it up.
#[derive(Debug, Clone)]
pub struct ServiceDesk {
    /// Not the project's ID: the two are numbered apart.
    pub id: String,
    pub project_id: String,
    pub project_key: String,
    pub name: String,
    pub request_types: Vec<RequestType>,
    /// Whether the signed-in account is one of the desk's agents. Agents may raise requests on
    /// behalf of customers and add participants; a customer may do neither.
    pub agent: bool,
    /// A temporary file not attached to a request within this long is gone.
    pub temporary_ttl: Duration,
    /// Whether requests may carry rich text as ADF (`isAdfRequest`, which Atlassian marks
    /// experimental). Without it, a description must be text, whatever the request says.
    pub adf: bool,
}

#[derive(Debug, Clone)]
pub struct RequestType {
    pub id: String,
    pub name: String,
    pub description: String,
    /// Its fields besides Summary and Description, which every request type here has.
    pub fields: Vec<FieldConfig>,
    /// Whether Labels is among its fields (agents often leave it off).
    pub labels: bool,
}

impl ServiceDesk {
    /// Support's desk: an "Integration request" type with a required Customer select, optional
    /// Components and Labels, and a "Get IT help" type with none of them.
    pub fn support() -> Self {
        let components = FieldConfig {
            required: false,
            ..FieldConfig::components(&["SSO", "HRIS", "Billing"])
        };
        Self {
            id: "3".into(),
            project_id: "10100".into(),
            project_key: "SUP".into(),
            name: "Customer Support".into(),
            request_types: vec![
                RequestType {
                    id: "21".into(),
                    name: "Integration request".into(),
                    description: "Set up SSO or an HRIS connection for a customer".into(),
                    fields: vec![
                        FieldConfig::select(
                            10050,
                            "Customer",
                            &["Acme Health", "Globex Clinics", "Initech Care"],
                        ),
                        components,
                    ],
                    labels: true,
                },
                RequestType {
                    id: "22".into(),
                    name: "Get IT help".into(),
                    description: "Anything else".into(),
                    fields: Vec::new(),
                    labels: false,
                },
            ],
            agent: true,
            temporary_ttl: Duration::from_hours(1),
            adf: true,
        }
    }

    fn request_type(&self, id: &str) -> Option<&RequestType> {
        self.request_types.iter().find(|t| t.id == id)
    }
}

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/rest/servicedeskapi/servicedesk", get(service_desks))
        .route(
            "/rest/servicedeskapi/servicedesk/{desk}/requesttype",
            get(request_types),
        )
        .route(
            "/rest/servicedeskapi/servicedesk/{desk}/requesttype/{kind}/field",
            get(request_type_fields),
        )
        .route(
            "/rest/servicedeskapi/servicedesk/{desk}/attachTemporaryFile",
            post(attach_temporary_file),
        )
        .route("/rest/servicedeskapi/request", post(create_request))
        .route("/rest/servicedeskapi/request/{key}", get(get_request))
        .route(
            "/rest/servicedeskapi/request/{key}/attachment",
            post(attach_to_request),
        )
        .route("/rest/servicedeskapi/request/{key}/comment", get(comments))
}

/// JSM's `ErrorResponse`: `{"errorMessage", "i18nErrorMessage"}`, not the platform's
/// `errorMessages`/`errors`.
fn jsm_error(status: StatusCode, message: &str, key: &str) -> Response {
    (
        status,
        axum::Json(json!({
            "errorMessage": message,
            "i18nErrorMessage": { "i18nKey": key, "parameters": [] },
        })),
    )
        .into_response()
}

fn not_json() -> Response {
    jsm_error(
        StatusCode::BAD_REQUEST,
        "The request body is not valid JSON.",
        "sd.request.invalid",
    )
}

/// A `PagedDTO`: one page holding everything.
fn paged(values: Vec<Value>) -> Response {
    axum::Json(json!({
        "size": values.len(),
        "start": 0,
        "limit": 50,
        "isLastPage": true,
        "values": Value::Array(values),
    }))
    .into_response()
}

/// The desk the path names.
fn desk<'a>(shared: &'a Shared, id: &str) -> Option<&'a ServiceDesk> {
    shared.config.service_desk.as_ref().filter(|d| d.id == id)
}

/// JSM's 404 for a desk it does not have (a project's ID, say).
fn no_desk(id: &str) -> Response {
    jsm_error(
        StatusCode::NOT_FOUND,
        &format!(
            "The service desk with ID {id} does not exist, or you do not have permission to view it."
        ),
        "sd.service.desk.not.found",
    )
}

fn desk_json(desk: &ServiceDesk) -> Value {
    json!({
        "id": desk.id,
        "projectId": desk.project_id,
        "projectKey": desk.project_key,
        "projectName": desk.name,
    })
}

async fn service_desks(State(shared): Shared_, headers: HeaderMap) -> Response {
    if let Err(r) = guard(&shared, &headers, Operation::Meta).await {
        return r;
    }
    paged(shared.config.service_desk.iter().map(desk_json).collect())
}

async fn request_types(
    State(shared): Shared_,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = guard(&shared, &headers, Operation::Meta).await {
        return r;
    }
    let Some(desk) = desk(&shared, &id) else {
        return no_desk(&id);
    };
    paged(
        desk.request_types
            .iter()
            .map(|t| {
                json!({
                    "id": t.id,
                    "name": t.name,
                    "description": t.description,
                    "serviceDeskId": desk.id,
                    "issueTypeId": "10003",
                    "groupIds": ["1"],
                })
            })
            .collect(),
    )
}

/// A request type field (`RequestTypeField`), with options as `validValues` whose `value` is
/// the option's ID and `label` its text.
fn field_json(
    field_id: &str,
    name: &str,
    required: bool,
    schema: &Value,
    valid: Vec<Value>,
) -> Value {
    json!({
        "fieldId": field_id,
        "name": name,
        "description": "",
        "required": required,
        "defaultValues": [],
        "validValues": Value::Array(valid),
        "jiraSchema": schema,
        "visible": true,
    })
}

fn fields_of(kind: &RequestType) -> Vec<Value> {
    let mut fields = vec![
        field_json(
            "summary",
            "Summary",
            true,
            &json!({ "type": "string", "system": "summary" }),
            Vec::new(),
        ),
        field_json(
            "description",
            "Description",
            false,
            &json!({ "type": "string", "system": "description" }),
            Vec::new(),
        ),
    ];
    if kind.labels {
        fields.push(field_json(
            "labels",
            "Labels",
            false,
            &json!({ "type": "array", "items": "string", "system": "labels" }),
            Vec::new(),
        ));
    }
    for field in &kind.fields {
        let valid = field
            .allowed
            .iter()
            .map(|a| {
                let label = a["value"].as_str().or_else(|| a["name"].as_str());
                json!({ "value": a["id"], "label": label, "children": [] })
            })
            .collect();
        fields.push(field_json(
            &field.id,
            &field.name,
            field.required,
            &field.schema,
            valid,
        ));
    }
    fields
}

async fn request_type_fields(
    State(shared): Shared_,
    Path((id, kind)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = guard(&shared, &headers, Operation::Meta).await {
        return r;
    }
    let Some(desk) = desk(&shared, &id) else {
        return no_desk(&id);
    };
    let Some(kind) = desk.request_type(&kind) else {
        return jsm_error(
            StatusCode::NOT_FOUND,
            "The request type you are trying to use does not exist.",
            "sd.request.type.not.found",
        );
    };
    axum::Json(json!({
        "requestTypeFields": fields_of(kind),
        "canRaiseOnBehalfOf": desk.agent,
        "canAddRequestParticipants": desk.agent,
    }))
    .into_response()
}

/// JSM's answer to fields it will not take: one message, the fields' errors in braces as Jira's
/// validation lists them (the wording of the sentence around them is an inference).
fn field_refusal(errors: &[(String, String)]) -> Response {
    let listed: Vec<String> = errors.iter().map(|(f, e)| format!("{f}={e}")).collect();
    jsm_error(
        StatusCode::BAD_REQUEST,
        &format!(
            "Your request could not be created. Please check the fields have been correctly filled in. {{{}}}",
            listed.join(", ")
        ),
        "sd.validation.request.creation.failure.required.fields",
    )
}

fn field_errors(
    shared: &Shared,
    kind: &RequestType,
    values: &Value,
    adf: bool,
) -> Vec<(String, String)> {
    let mut errors = Vec::new();
    let known = |key: &str| {
        ["summary", "description"].contains(&key)
            || (key == "labels" && kind.labels)
            || kind.fields.iter().any(|f| f.id == key)
    };
    for key in values.as_object().into_iter().flat_map(|o| o.keys()) {
        if !known(key) {
            errors.push((
                key.clone(),
                format!("Field '{key}' is not on the request type '{}'.", kind.name),
            ));
        }
    }
    let summary = values["summary"].as_str().unwrap_or_default();
    if summary.trim().is_empty() {
        errors.push(("summary".into(), "Summary is required.".into()));
    } else if summary.chars().count() > 255 {
        errors.push((
            "summary".into(),
            "Summary must be less than 255 characters.".into(),
        ));
    }
    let description = &values["description"];
    // Rich text is ADF only when the request says `isAdfRequest` (Cloud only); otherwise a
    // plain string, taken as wiki markup.
    let fine = match (adf && shared.config.flavor == Flavor::Cloud, description) {
        (_, Value::Null) => true,
        (true, d) => ADF.as_ref().is_some_and(|v| v.is_valid(d)),
        (false, d) => d.is_string(),
    };
    if !fine {
        errors.push((
            "description".into(),
            "The description is not in a format this request accepts.".into(),
        ));
    }
    if let Some(bad) = values["labels"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .find(|l| l.contains(' '))
    {
        errors.push((
            "labels".into(),
            format!("The label '{bad}' contains spaces which is invalid."),
        ));
    }
    for field in &kind.fields {
        match values.get(&field.id) {
            None | Some(Value::Null) if field.required => {
                errors.push((field.id.clone(), format!("{} is required.", field.name)));
            }
            Some(value) if !value.is_null() => {
                if let Some(refusal) = field.refuse(value) {
                    errors.push((field.id.clone(), refusal));
                }
            }
            _ => {}
        }
    }
    errors
}

/// Someone the site knows, by account ID (Cloud) or username (Data Center).
fn known_user(shared: &Shared, id: &str) -> bool {
    let flavor = shared.config.flavor;
    shared.config.users.iter().any(|u| u.id(flavor) == id)
}

/// Only agents raise requests for others or add participants, and only people the site knows.
fn people_refusal(
    shared: &Shared,
    desk: &ServiceDesk,
    on_behalf: Option<&str>,
    participants: &[String],
) -> Option<Response> {
    if !desk.agent && on_behalf.is_some() {
        return Some(jsm_error(
            StatusCode::FORBIDDEN,
            "You do not have permission to raise requests on behalf of other customers.",
            "sd.request.raise.on.behalf.no.permission",
        ));
    }
    if !desk.agent && !participants.is_empty() {
        return Some(jsm_error(
            StatusCode::FORBIDDEN,
            "You do not have permission to add participants to this request.",
            "sd.request.participants.no.permission",
        ));
    }
    if let Some(unknown) = on_behalf
        .into_iter()
        .chain(participants.iter().map(String::as_str))
        .find(|id| !known_user(shared, id))
    {
        return Some(jsm_error(
            StatusCode::BAD_REQUEST,
            &format!("The user '{unknown}' does not exist."),
            "sd.user.not.found",
        ));
    }
    None
}

async fn create_request(State(shared): Shared_, headers: HeaderMap, body: Bytes) -> Response {
    let drop_after = match guard(&shared, &headers, Operation::Create).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return not_json();
    };
    let desk_id = request["serviceDeskId"].as_str().unwrap_or_default();
    let Some(desk) = desk(&shared, desk_id) else {
        return no_desk(desk_id);
    };
    let Some(kind) = desk.request_type(request["requestTypeId"].as_str().unwrap_or_default())
    else {
        return jsm_error(
            StatusCode::BAD_REQUEST,
            "The request type you are trying to use does not exist.",
            "sd.request.type.not.found",
        );
    };
    let on_behalf = request["raiseOnBehalfOf"].as_str();
    let participants: Vec<String> = request["requestParticipants"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p.as_str().map(str::to_owned))
        .collect();
    if let Some(refused) = people_refusal(&shared, desk, on_behalf, &participants) {
        return refused;
    }
    let values = &request["requestFieldValues"];
    let adf = desk.adf && request["isAdfRequest"].as_bool().unwrap_or(false);
    let errors = field_errors(&shared, kind, values, adf);
    if !errors.is_empty() {
        return field_refusal(&errors);
    }
    let caller = shared.config.users[0].id(shared.config.flavor).to_owned();
    let labels = values["labels"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l.as_str().map(str::to_owned))
        .collect();
    let fields = values
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| !["summary", "description", "labels"].contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut state = lock(&shared);
    let issue = state.add_issue(
        &desk.project_key,
        NewIssue {
            summary: values["summary"].as_str().unwrap_or_default().to_owned(),
            description: values["description"].clone(),
            labels,
            fields,
            properties: serde_json::Map::new(),
            created: Instant::now(),
        },
    );
    let info = RequestInfo {
        service_desk_id: desk.id.clone(),
        request_type_id: kind.id.clone(),
        reporter: on_behalf.map_or(caller, str::to_owned),
        participants,
    };
    let Some(stored) = state.issue_mut(&issue.key) else {
        return no_request();
    };
    stored.status = "Waiting for support".into();
    stored.request = Some(info);
    let body = request_json(stored);
    drop(state);
    answer(
        drop_after,
        (StatusCode::CREATED, axum::Json(body)).into_response(),
    )
}

/// A `CustomerRequest`: its key and ID, where it belongs, and its `currentStatus`.
fn request_json(issue: &Issue) -> Value {
    let request = issue.request.as_ref();
    // JSM names the platform's categories in capitals.
    let category = crate::workflow::category(&issue.status).to_ascii_uppercase();
    json!({
        "issueId": issue.id.to_string(),
        "issueKey": issue.key,
        "requestTypeId": request.map(|r| r.request_type_id.clone()),
        "serviceDeskId": request.map(|r| r.service_desk_id.clone()),
        "summary": issue.summary,
        "reporter": { "accountId": request.map(|r| r.reporter.clone()) },
        // `CustomerRequestStatusDTO`, its date a `DateDTO`.
        "currentStatus": {
            "status": issue.status,
            "statusCategory": category,
            "statusDate": {
                "iso8601": issue.updated.to_string(),
                "epochMillis": issue.updated.as_millisecond(),
            },
        },
        "_links": {
            "web": format!("/servicedesk/customer/portal/{}/{}", request.map(|r| r.service_desk_id.as_str()).unwrap_or_default(), issue.key),
            "self": format!("/rest/servicedeskapi/request/{}", issue.id),
        },
    })
}

fn no_request() -> Response {
    jsm_error(
        StatusCode::NOT_FOUND,
        "The request does not exist, or you do not have permission to view it.",
        "sd.request.not.found",
    )
}

async fn get_request(
    State(shared): Shared_,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = guard(&shared, &headers, Operation::Search).await {
        return r;
    }
    let mut state = lock(&shared);
    match state.issue_mut(&key).filter(|i| i.request.is_some()) {
        Some(issue) => axum::Json(request_json(issue)).into_response(),
        None => no_request(),
    }
}

/// `attachTemporaryFile`: multipart `file` parts, kept until attached to a request or expired.
async fn attach_temporary_file(
    State(shared): Shared_,
    Path(id): Path<String>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let drop_after = match guard(&shared, &headers, Operation::Attach).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    if let Some(refused) = xsrf_refusal(&headers) {
        return refused;
    }
    let Some(desk) = desk(&shared, &id).cloned() else {
        return no_desk(&id);
    };
    let files = match read_files(&shared, &mut multipart).await {
        Ok(files) => files,
        Err((status, message)) => return jsm_error(status, &message, "sd.attachment.invalid"),
    };
    let mut state = lock(&shared);
    let mut made = Vec::new();
    for (filename, mime_type, size) in files {
        state.next_attachment += 1;
        let temporary = format!("temp{}", 80_000 + state.next_attachment);
        made.push(json!({ "temporaryAttachmentId": temporary, "fileName": filename }));
        state.temporary.insert(
            temporary,
            crate::state::Temporary {
                desk: desk.id.clone(),
                filename,
                mime_type,
                size,
                expires: Instant::now() + desk.temporary_ttl,
            },
        );
    }
    drop(state);
    answer(
        drop_after,
        axum::Json(json!({ "temporaryAttachments": made })).into_response(),
    )
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AttachmentCreate {
    #[serde(default)]
    temporary_attachment_ids: Vec<String>,
    #[serde(default)]
    public: bool,
}

/// Attaches temporary files to a request, `public` (customers see them) or internal. A file
/// that expired or was already used is refused, and nothing is attached.
async fn attach_to_request(
    State(shared): Shared_,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let drop_after = match guard(&shared, &headers, Operation::Attach).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    let Ok(create) = serde_json::from_slice::<AttachmentCreate>(&body) else {
        return not_json();
    };
    if let Some(refused) = over_write_limit(&shared, &key) {
        return refused;
    }
    let mut state = lock(&shared);
    let now = Instant::now();
    state.temporary.retain(|_, t| t.expires > now);
    let Some(desk) = state
        .issue_mut(&key)
        .and_then(|i| i.request.as_ref())
        .map(|r| r.service_desk_id.clone())
    else {
        return no_request();
    };
    if create.temporary_attachment_ids.is_empty() {
        return jsm_error(
            StatusCode::BAD_REQUEST,
            "Provide at least one temporary attachment.",
            "sd.attachment.none",
        );
    }
    if let Some(gone) = create
        .temporary_attachment_ids
        .iter()
        .find(|id| state.temporary.get(*id).is_none_or(|t| t.desk != desk))
    {
        return jsm_error(
            StatusCode::BAD_REQUEST,
            &format!("The temporary attachment '{gone}' does not exist or has expired."),
            "sd.attachment.temporary.not.found",
        );
    }
    let mut attached = Vec::new();
    for id in &create.temporary_attachment_ids {
        let Some(t) = state.temporary.remove(id) else {
            continue;
        };
        state.next_attachment += 1;
        attached.push(Attachment {
            id: 20_000 + state.next_attachment,
            filename: t.filename,
            mime_type: t.mime_type,
            size: t.size,
            public: Some(create.public),
        });
    }
    let values: Vec<Value> = attached
        .iter()
        .map(|a| json!({ "filename": a.filename, "size": a.size, "mimeType": a.mime_type }))
        .collect();
    if let Some(issue) = state.issue_mut(&key) {
        issue.attachments.extend(attached);
    }
    drop(state);
    answer(
        drop_after,
        (
            StatusCode::CREATED,
            axum::Json(json!({ "attachments": { "size": values.len(), "isLastPage": true, "values": values } })),
        )
            .into_response(),
    )
}

#[derive(Debug, Deserialize)]
struct CommentQuery {
    public: Option<bool>,
    internal: Option<bool>,
}

/// The request's comments (`Comment`), public and internal unless the query leaves one out.
async fn comments(
    State(shared): Shared_,
    Path(key): Path<String>,
    headers: HeaderMap,
    Query(q): Query<CommentQuery>,
) -> Response {
    if let Err(r) = guard(&shared, &headers, Operation::Search).await {
        return r;
    }
    let mut state = lock(&shared);
    let Some(issue) = state.issue_mut(&key).filter(|i| i.request.is_some()) else {
        return no_request();
    };
    let (public, internal) = (q.public.unwrap_or(true), q.internal.unwrap_or(true));
    let flavor = shared.config.flavor;
    let users = &shared.config.users;
    paged(
        issue
            .comments
            .iter()
            .filter(|c| if c.public { public } else { internal })
            .map(|c| {
                let author = users.iter().find(|u| u.id(flavor) == c.author);
                json!({
                    "id": c.id,
                    "body": c.body,
                    "public": c.public,
                    "author": {
                        "accountId": c.author,
                        "displayName": author.map(|u| u.display_name.clone()),
                    },
                    // A `DateDTO`.
                    "created": {
                        "iso8601": c.created.to_string(),
                        "epochMillis": c.created.as_millisecond(),
                    },
                })
            })
            .collect(),
    )
}
