//! The endpoints, with Jira Cloud's shapes (see `jira-cloud-openapi-v3.json`), or Data
//! Center's where they differ.

use std::sync::{Arc, LazyLock};
use std::time::Instant;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use base64::Engine as _;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::faults::{self, Fault, Operation};
use crate::state::{Attachment, Issue, NewIssue};
use crate::workflow::status_json;
use crate::{Config, Flavor, Shared};

type Shared_ = State<Arc<Shared>>;

/// Atlassian's ADF schema (npm `@atlaskit/adf-schema`, `dist/json-schema/v1/full.json`).
pub(crate) static ADF: LazyLock<Option<jsonschema::Validator>> = LazyLock::new(|| {
    let schema: Value =
        serde_json::from_str(include_str!("../../../tests/fixtures/adf-schema-v1.json")).ok()?;
    jsonschema::draft4::new(&schema).ok()
});

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let api = shared.config.flavor.api();
    let at = |path: &str| format!("{api}{path}");
    let router = Router::new()
        .route(&at("/myself"), get(myself))
        .route(&at("/user/search"), get(user_search))
        .route(&at("/issue"), post(create_issue))
        .route(&at("/issue/{key}"), get(get_issue))
        .route(
            &at("/issue/createmeta/{project}/issuetypes"),
            get(createmeta_issue_types),
        )
        .route(
            &at("/issue/createmeta/{project}/issuetypes/{id}"),
            get(createmeta_fields),
        )
        .route(&at("/attachment/meta"), get(attachment_meta))
        .route(&at("/issue/{key}/attachments"), post(attach))
        .route(&at("/issue/{key}/watchers"), post(add_watcher))
        .route(
            &at("/issue/{key}/comment"),
            get(issue_comments).post(add_comment),
        )
        .route(
            &at("/issue/{key}/properties/{property}"),
            get(get_property).put(set_property),
        );
    let api_routes = match shared.config.flavor {
        Flavor::Cloud => router
            .route(&at("/search/jql"), get(search_get).post(search_post))
            // Removed on live sites in favour of /search/jql.
            .route(&at("/search"), any(|| async { StatusCode::GONE })),
        Flavor::DataCenter => router.route(&at("/search"), get(search_get).post(search_post)),
    };
    // A site with Jira Service Management answers its API too; others have no such path.
    let api_routes = if shared.config.service_desk.is_some() {
        api_routes.merge(crate::service_desk::routes())
    } else {
        api_routes
    };
    // The same API on the site and, for scoped tokens, under Atlassian's gateway
    // (`https://api.atlassian.com/ex/jira/{cloudId}/rest/…`); `guard` tells them apart.
    let gateway = format!("/ex/jira/{}", shared.config.cloud_id);
    Router::new()
        .merge(api_routes.clone().layer(middleware::map_request(on_site)))
        .nest(
            &gateway,
            api_routes.layer(middleware::map_request(via_gateway)),
        )
        .route("/_edge/tenant_info", get(tenant_info))
        .route("/_fake/issue/{key}/transition", post(fake_transition))
        .route(
            "/_fake/issue/{key}/support-comment",
            post(fake_support_comment),
        )
        .route(SLACK_WEBHOOK, post(slack_webhook))
        .layer(DefaultBodyLimit::max(64 * 1024 * 1024))
        .layer(middleware::from_fn_with_state(Arc::clone(&shared), record))
        .with_state(shared)
}

/// Notes each request's method and path, so a test can count the calls a client made.
async fn record(
    State(shared): Shared_,
    request: axum::extract::Request,
    next: middleware::Next,
) -> Response {
    let call = format!("{} {}", request.method(), request.uri().path());
    lock(&shared).calls.push(call);
    next.run(request).await
}

/// Marks a request as having come through the gateway (for `guard`).
const VIA_GATEWAY: &str = "x-fake-jira-via-gateway";

async fn via_gateway(mut request: axum::extract::Request) -> axum::extract::Request {
    request
        .headers_mut()
        .insert(VIA_GATEWAY, axum::http::HeaderValue::from_static("1"));
    request
}

/// A request to the site itself: whatever it claims, it did not come through the gateway.
async fn on_site(mut request: axum::extract::Request) -> axum::extract::Request {
    request.headers_mut().remove(VIA_GATEWAY);
    request
}

/// `GET https://<site>/_edge/tenant_info`: the site's cloud ID, which gateway URLs carry.
async fn tenant_info(State(shared): Shared_) -> Response {
    axum::Json(json!({ "cloudId": shared.config.cloud_id })).into_response()
}

/// Not Jira's: how an end-to-end test plays Support in another process, moving an issue along
/// its workflow (`{"status": "Done", "resolution": "Won't Do"}`; a done status without a
/// resolution is resolved "Done"), as `FakeJira::transition` does in-process.
async fn fake_transition(
    State(shared): Shared_,
    Path(key): Path<String>,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    let Some(status) = body["status"].as_str() else {
        return (StatusCode::BAD_REQUEST, "a status is required").into_response();
    };
    let resolution = body["resolution"]
        .as_str()
        .map(str::to_owned)
        .or_else(|| (crate::workflow::category(status) == "done").then(|| "Done".to_owned()));
    match lock(&shared).issue_mut(&key) {
        Some(issue) => {
            issue.transition(status, resolution.as_deref());
            StatusCode::NO_CONTENT.into_response()
        }
        None => not_found(),
    }
}

/// Not Jira's: Support commenting on an issue from another process (`{"body": "…",
/// "public": true}`), as `FakeJira::add_comment` does in-process.
async fn fake_support_comment(
    State(shared): Shared_,
    Path(key): Path<String>,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    let Some(text) = body["body"].as_str() else {
        return (StatusCode::BAD_REQUEST, "a body is required").into_response();
    };
    let author = shared
        .config
        .users
        .get(1)
        .map_or_else(String::new, |u| u.id(shared.config.flavor).to_owned());
    match lock(&shared).issue_mut(&key) {
        Some(issue) => {
            issue.comment(&author, text, body["public"].as_bool().unwrap_or(true));
            StatusCode::NO_CONTENT.into_response()
        }
        None => not_found(),
    }
}

/// Where the fake Slack incoming webhook listens (the demo's support channel).
pub(crate) const SLACK_WEBHOOK: &str = "/slack/webhook";

/// Slack's answers: `ok`, or a short code in plain text.
async fn slack_webhook(State(shared): Shared_, body: Bytes) -> Response {
    let message = serde_json::from_slice::<Value>(&body)
        .ok()
        .filter(|m| m["text"].as_str().is_some_and(|t| !t.is_empty()));
    let Some(message) = message else {
        return (StatusCode::BAD_REQUEST, "invalid_payload").into_response();
    };
    lock(&shared).slack.push(message);
    (StatusCode::OK, "ok").into_response()
}

/// `{"errorMessages":[…],"errors":{…}}`, Jira's error body.
fn jira_error(status: StatusCode, messages: &[&str], errors: &Value) -> Response {
    (
        status,
        axum::Json(json!({ "errorMessages": messages, "errors": errors })),
    )
        .into_response()
}

fn not_found() -> Response {
    jira_error(
        StatusCode::NOT_FOUND,
        &["Issue does not exist or you do not have permission to see it."],
        &json!({}),
    )
}

/// Checks basic auth, then applies the first queued fault for `operation`. `Err` is the
/// response to give instead; `Ok(true)` means: do the work, then drop the connection.
pub(crate) async fn guard(
    shared: &Shared,
    headers: &HeaderMap,
    operation: Operation,
) -> Result<bool, Response> {
    // Classic tokens work on the site; scoped tokens only through the gateway, and get a 401
    // on the site (Atlassian "Manage API tokens"; jira-in-the-field.md).
    let token = if headers.contains_key(VIA_GATEWAY) {
        shared.config.scoped_token.as_deref().unwrap_or_default()
    } else {
        shared.config.token.as_str()
    };
    let expected = match shared.config.flavor {
        Flavor::Cloud => format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD
                .encode(format!("{}:{token}", shared.config.email))
        ),
        Flavor::DataCenter => format!("Bearer {token}"),
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    if given != Some(expected.as_str()) {
        return Err(jira_error(
            StatusCode::UNAUTHORIZED,
            &["You are not authenticated. Authentication required to perform this operation."],
            &json!({}),
        ));
    }
    let fault = {
        let mut state = shared
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        faults::take(&mut state.faults, operation)
    };
    match fault {
        None => Ok(false),
        Some(Fault::Slow(_, delay)) => {
            tokio::time::sleep(delay).await;
            Ok(false)
        }
        Some(Fault::DropAfterWrite(_)) => Ok(true),
        Some(Fault::RateLimited(_, seconds)) => Err((
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, seconds.to_string())],
            axum::Json(json!({ "errorMessages": ["Rate limit exceeded."], "errors": {} })),
        )
            .into_response()),
        Some(Fault::RateLimitedUntil(_, ahead, reason)) => {
            let reset = jiff::Timestamp::now()
                .checked_add(jiff::SignedDuration::try_from(ahead).unwrap_or_default())
                .unwrap_or_else(|_| jiff::Timestamp::now());
            Err((
                StatusCode::TOO_MANY_REQUESTS,
                [
                    ("x-ratelimit-reset", reset.to_string()),
                    ("ratelimit-reason", reason.to_owned()),
                ],
                axum::Json(json!({ "errorMessages": ["Rate limit exceeded."], "errors": {} })),
            )
                .into_response())
        }
        Some(Fault::Status(_, code)) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            Err(jira_error(
                status,
                &["Internal server error (injected by fake-jira)."],
                &json!({}),
            ))
        }
    }
}

/// The response, or (after a write) one whose body breaks off: the connection drops.
pub(crate) fn answer(drop_after: bool, response: Response) -> Response {
    if !drop_after {
        return response;
    }
    let (parts, _) = response.into_parts();
    let broken = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "fake-jira dropped the connection after the write",
        ))
    });
    Response::from_parts(parts, Body::from_stream(broken))
}

/// Cloud's per-issue write limit, when the config sets one: the 429 Jira gives a write over
/// it, with `Retry-After` (whole seconds, rounded up) and `RateLimit-Reason:
/// jira-per-issue-on-write` (Atlassian "Rate limiting"; "Build an app that respects rate
/// limits"). A write within it is counted.
pub(crate) fn over_write_limit(shared: &Shared, key: &str) -> Option<Response> {
    over_write_limit_in(shared, &mut lock(shared), key)
}

/// `over_write_limit`, with the state already locked.
fn over_write_limit_in(
    shared: &Shared,
    state: &mut crate::state::State,
    key: &str,
) -> Option<Response> {
    let (most, window) = shared.config.issue_writes?;
    let now = Instant::now();
    let writes = state.writes.entry(key.to_owned()).or_default();
    writes.retain(|t| now.duration_since(*t) < window);
    if writes.len() < most {
        writes.push(now);
        return None;
    }
    let free_at = writes[0] + window;
    let wait = free_at
        .duration_since(now)
        .as_millis()
        .div_ceil(1000)
        .max(1);
    state.write_refusals += 1;
    Some(
        (
            StatusCode::TOO_MANY_REQUESTS,
            [
                (header::RETRY_AFTER.as_str(), wait.to_string()),
                ("ratelimit-reason", "jira-per-issue-on-write".to_owned()),
            ],
            axum::Json(json!({ "errorMessages": ["Rate limit exceeded."], "errors": {} })),
        )
            .into_response(),
    )
}

pub(crate) fn lock(shared: &Shared) -> std::sync::MutexGuard<'_, crate::state::State> {
    shared
        .state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

async fn myself(State(shared): Shared_, headers: HeaderMap) -> Response {
    if let Err(r) = guard(&shared, &headers, Operation::Myself).await {
        return r;
    }
    axum::Json(shared.config.users[0].json(shared.config.flavor)).into_response()
}

/// Cloud asks by `query`, Data Center by `username` (which matches names and emails too).
#[derive(Debug, Deserialize)]
struct UserQuery {
    #[serde(alias = "username")]
    query: String,
}

async fn user_search(
    State(shared): Shared_,
    headers: HeaderMap,
    Query(q): Query<UserQuery>,
) -> Response {
    if let Err(r) = guard(&shared, &headers, Operation::Myself).await {
        return r;
    }
    let needle = q.query.to_lowercase();
    let found: Vec<Value> = shared
        .config
        .users
        .iter()
        .filter(|u| {
            u.email_address.to_lowercase().starts_with(&needle)
                || u.display_name.to_lowercase().starts_with(&needle)
                || u.name.to_lowercase().starts_with(&needle)
        })
        .map(|u| u.json(shared.config.flavor))
        .collect();
    axum::Json(json!(found)).into_response()
}

async fn create_issue(State(shared): Shared_, headers: HeaderMap, body: Bytes) -> Response {
    let drop_after = match guard(&shared, &headers, Operation::Create).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return jira_error(
            StatusCode::BAD_REQUEST,
            &["Unexpected character in the request body."],
            &json!({}),
        );
    };
    let fields = &request["fields"];
    let errors = field_errors(&shared, fields);
    let summary = fields["summary"].as_str().unwrap_or_default();
    let description = fields["description"].clone();
    let labels = labels_of(fields);
    if !errors.is_empty() {
        return jira_error(StatusCode::BAD_REQUEST, &[], &Value::Object(errors));
    }
    let mut properties = serde_json::Map::new();
    for p in request["properties"].as_array().into_iter().flatten() {
        if let Some(key) = p["key"].as_str() {
            properties.insert(key.to_owned(), p["value"].clone());
        }
    }
    let fields = fields
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| {
            !["project", "issuetype", "summary", "description", "labels"].contains(&k.as_str())
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let issue = lock(&shared).add_issue(
        &shared.config.project,
        NewIssue {
            summary: summary.to_owned(),
            description,
            labels,
            fields,
            properties,
            created: Instant::now(),
        },
    );
    answer(
        drop_after,
        (
            StatusCode::CREATED,
            axum::Json(
                json!({ "id": issue.id.to_string(), "key": issue.key, "self": self_url(&shared, &issue) }),
            ),
        )
            .into_response(),
    )
}

/// Jira's field errors for a create request, by field name.
/// A user field takes `{"accountId"}` on Cloud and `{"name"}` on Data Center ("Field input
/// formats", jira-in-the-field.md), naming a user the site has; Jira refuses anything else as it
/// refuses an unknown assignee.
fn user_refusal(config: &Config, value: &Value) -> Option<String> {
    let key = match config.flavor {
        Flavor::Cloud => "accountId",
        Flavor::DataCenter => "name",
    };
    let given = value[key].as_str();
    if given.is_some_and(|id| config.users.iter().any(|u| u.id(config.flavor) == id)) {
        return None;
    }
    Some(format!(
        "User '{}' does not exist.",
        given.unwrap_or("null")
    ))
}

fn field_errors(shared: &Shared, fields: &Value) -> serde_json::Map<String, Value> {
    let mut errors = serde_json::Map::new();
    let config = &shared.config;
    if fields["project"]["key"].as_str() != Some(config.project.as_str()) {
        errors.insert("project".into(), json!("Specify a valid project ID or key"));
    }
    let issue_type = &fields["issuetype"];
    if issue_type["name"].is_null() && issue_type["id"].is_null() {
        errors.insert("issuetype".into(), json!("Specify an issue type"));
    } else if !config.issue_types.iter().any(|t| {
        issue_type["id"].as_str() == Some(t.id.as_str())
            || issue_type["name"].as_str() == Some(t.name.as_str())
    }) {
        errors.insert(
            "issuetype".into(),
            json!("The issue type selected is invalid."),
        );
    }
    // The create screen: a field it lacks cannot be set, a required one must be (unless it
    // has a default), and an option must be one the field allows (jira-in-the-field.md).
    let on_screen = |key: &str| {
        ["project", "issuetype", "summary", "description"].contains(&key)
            || (key == "labels" && config.labels_on_screen)
            || config.fields.iter().any(|f| f.id == key)
    };
    for key in fields.as_object().into_iter().flat_map(|o| o.keys()) {
        if !on_screen(key) {
            errors.insert(
                key.clone(),
                json!(format!(
                    "Field '{key}' cannot be set. It is not on the appropriate screen, or unknown."
                )),
            );
        }
    }
    for field in &config.fields {
        match fields.get(&field.id) {
            None | Some(Value::Null) if field.required && field.default.is_none() => {
                errors.insert(
                    field.id.clone(),
                    json!(format!("{} is required.", field.name)),
                );
            }
            Some(value) if !value.is_null() => {
                let refusal = if field.is_user() {
                    user_refusal(config, value)
                } else {
                    field.refuse(value)
                };
                if let Some(refusal) = refusal {
                    errors.insert(field.id.clone(), json!(refusal));
                }
            }
            _ => {}
        }
    }
    let summary = fields["summary"].as_str().unwrap_or_default();
    if summary.trim().is_empty() {
        errors.insert(
            "summary".into(),
            json!("You must specify a summary of the issue."),
        );
    } else if summary.chars().count() > 255 {
        errors.insert(
            "summary".into(),
            json!("Summary must be less than 255 characters."),
        );
    }
    let description = fields["description"].clone();
    match shared.config.flavor {
        Flavor::Cloud => {
            let valid_adf = ADF.as_ref().is_some_and(|v| v.is_valid(&description));
            if !description.is_null() && !valid_adf {
                errors.insert(
                    "description".into(),
                    json!(
                        "Operation value must be an Atlassian Document (see the Atlassian Document Format)"
                    ),
                );
            }
        }
        // REST v2 takes wiki markup, a plain string.
        Flavor::DataCenter => {
            if !description.is_null() && !description.is_string() {
                errors.insert(
                    "description".into(),
                    json!("Operation value must be a string"),
                );
            }
        }
    }
    let labels = labels_of(fields);
    if let Some(bad) = labels.iter().find(|l| l.contains(' ')) {
        errors.insert(
            "labels".into(),
            json!(format!(
                "The label '{bad}' contains spaces which is invalid."
            )),
        );
    }
    errors
}

/// `GET /issue/createmeta/{project}/issuetypes`: Cloud's `PageOfCreateMetaIssueTypes`
/// (`issueTypes`); Data Center pages as `values`.
async fn createmeta_issue_types(
    State(shared): Shared_,
    Path(project): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = guard(&shared, &headers, Operation::Meta).await {
        return r;
    }
    if project != shared.config.project {
        return jira_error(
            StatusCode::NOT_FOUND,
            &[&format!("No project could be found with key '{project}'.")],
            &json!({}),
        );
    }
    let types: Vec<Value> = shared
        .config
        .issue_types
        .iter()
        .map(|t| json!({ "id": t.id, "name": t.name, "subtask": false, "description": "" }))
        .collect();
    page(&shared, "issueTypes", types)
}

/// `GET /issue/createmeta/{project}/issuetypes/{id}`: `PageOfCreateMetaIssueTypeWithField`.
async fn createmeta_fields(
    State(shared): Shared_,
    Path((project, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = guard(&shared, &headers, Operation::Meta).await {
        return r;
    }
    let config = &shared.config;
    if project != config.project || !config.issue_types.iter().any(|t| t.id == id) {
        return jira_error(
            StatusCode::NOT_FOUND,
            &["Issue type with given ID does not exist or you do not have permission to see it."],
            &json!({}),
        );
    }
    let mut fields = crate::project::system_meta(config.labels_on_screen);
    fields.extend(config.fields.iter().map(crate::project::FieldConfig::meta));
    page(&shared, "fields", fields)
}

/// One page holding everything, in the deployment's paging shape.
fn page(shared: &Shared, cloud_key: &str, items: Vec<Value>) -> Response {
    let total = items.len();
    let key = match shared.config.flavor {
        Flavor::Cloud => cloud_key,
        Flavor::DataCenter => "values",
    };
    let mut body = json!({ "startAt": 0, "maxResults": 50, "total": total, "isLast": true });
    body[key] = Value::Array(items);
    axum::Json(body).into_response()
}

/// `GET /attachment/meta`: `AttachmentSettings`.
async fn attachment_meta(State(shared): Shared_, headers: HeaderMap) -> Response {
    if let Err(r) = guard(&shared, &headers, Operation::Meta).await {
        return r;
    }
    axum::Json(json!({ "enabled": true, "uploadLimit": shared.config.upload_limit }))
        .into_response()
}

fn labels_of(fields: &Value) -> Vec<String> {
    fields["labels"]
        .as_array()
        .map(|l| {
            l.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn self_url(shared: &Shared, issue: &Issue) -> String {
    format!("{}/issue/{}", shared.config.flavor.api(), issue.id)
}

async fn attach(
    State(shared): Shared_,
    Path(key): Path<String>,
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
    if lock(&shared).issue_mut(&key).is_none() {
        return not_found();
    }
    if let Some(refused) = over_write_limit(&shared, &key) {
        return refused;
    }
    let files = match read_files(&shared, &mut multipart).await {
        Ok(files) => files,
        Err((status, message)) => return jira_error(status, &[&message], &json!({})),
    };
    let mut state = lock(&shared);
    let mut created = Vec::new();
    for (filename, mime_type, size) in files {
        state.next_attachment += 1;
        let attachment = Attachment {
            id: 20_000 + state.next_attachment,
            filename,
            mime_type,
            size,
            public: None,
        };
        created.push(attachment_json(&shared, &attachment));
        if let Some(issue) = state.issue_mut(&key) {
            issue.attachments.push(attachment);
        }
    }
    answer(
        drop_after,
        axum::Json(Value::Array(created)).into_response(),
    )
}

/// Uploads must say `X-Atlassian-Token: no-check`, or Jira's XSRF check refuses them.
pub(crate) fn xsrf_refusal(headers: &HeaderMap) -> Option<Response> {
    let xsrf = headers
        .get("x-atlassian-token")
        .and_then(|v| v.to_str().ok());
    (!matches!(xsrf, Some("no-check" | "nocheck")))
        .then(|| (StatusCode::FORBIDDEN, "XSRF check failed").into_response())
}

/// The multipart `file` parts of an upload: name, type and size of each. A file over the
/// site's limit is refused (413), with the message for the caller to put in its error shape.
pub(crate) async fn read_files(
    shared: &Shared,
    multipart: &mut Multipart,
) -> Result<Vec<(String, String, usize)>, (StatusCode, String)> {
    let mut files = Vec::new();
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() != Some("file") {
            continue;
        }
        let filename = field.file_name().unwrap_or("file").to_owned();
        let mime_type = field
            .content_type()
            .unwrap_or("application/octet-stream")
            .to_owned();
        let Ok(bytes) = field.bytes().await else {
            return Err((
                StatusCode::BAD_REQUEST,
                "The attachment could not be read.".to_owned(),
            ));
        };
        if bytes.len() as u64 > shared.config.upload_limit {
            return Err((
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "The file '{filename}' is larger than the site's limit of {} bytes.",
                    shared.config.upload_limit
                ),
            ));
        }
        files.push((filename, mime_type, bytes.len()));
    }
    Ok(files)
}

fn attachment_json(shared: &Shared, a: &Attachment) -> Value {
    let api = shared.config.flavor.api();
    json!({
        "id": a.id.to_string(),
        "self": format!("{api}/attachment/{}", a.id),
        "filename": a.filename,
        "size": a.size,
        "mimeType": a.mime_type,
        "content": format!("{api}/attachment/content/{}", a.id),
    })
}

async fn add_watcher(
    State(shared): Shared_,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let drop_after = match guard(&shared, &headers, Operation::Watch).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    // The body is a bare JSON string: the account ID (Cloud) or the username (Data Center);
    // "If no user is specified the calling user is added" (the spec's addWatcher).
    let flavor = shared.config.flavor;
    let caller = shared.config.users[0].id(flavor).to_owned();
    let account = if body.iter().all(u8::is_ascii_whitespace) {
        caller.clone()
    } else {
        let Ok(account) = serde_json::from_slice::<String>(&body) else {
            return jira_error(
                StatusCode::BAD_REQUEST,
                &["The request body must be the user as a JSON string."],
                &json!({}),
            );
        };
        account
    };
    if !shared.config.users.iter().any(|u| u.id(flavor) == account) {
        return jira_error(
            StatusCode::NOT_FOUND,
            &[&format!("The user '{account}' does not exist.")],
            &json!({}),
        );
    }
    // The spec's 403: "the user does not have the permission to manage the watcher list"
    // (its wording; the body's message is the fake's).
    if account != caller && !shared.config.manage_watchers {
        return jira_error(
            StatusCode::FORBIDDEN,
            &["You do not have the permission to manage the watcher list."],
            &json!({}),
        );
    }
    let mut state = lock(&shared);
    if state.issue_mut(&key).is_none() {
        return not_found();
    }
    if let Some(refused) = over_write_limit_in(&shared, &mut state, &key) {
        return refused;
    }
    let Some(issue) = state.issue_mut(&key) else {
        return not_found();
    };
    if !issue.watchers.contains(&account) {
        issue.watchers.push(account);
    }
    answer(drop_after, StatusCode::NO_CONTENT.into_response())
}

async fn set_property(
    State(shared): Shared_,
    Path((key, property)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(r) = guard(&shared, &headers, Operation::Create).await {
        return r;
    }
    let Ok(value) = serde_json::from_slice::<Value>(&body) else {
        return jira_error(
            StatusCode::BAD_REQUEST,
            &["The property value must be JSON."],
            &json!({}),
        );
    };
    if body.len() > 32_768 {
        return jira_error(
            StatusCode::BAD_REQUEST,
            &["The property value is too large (over 32768 bytes)."],
            &json!({}),
        );
    }
    let mut state = lock(&shared);
    let Some(issue) = state.issue_mut(&key) else {
        return not_found();
    };
    let existed = issue.properties.insert(property, value).is_some();
    if existed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    }
    .into_response()
}

/// `GET /issue/{key}/properties/{propertyKey}`: `EntityProperty` `{"key", "value"}`; a 404
/// when the issue or the property is not there (the spec says only "not found").
async fn get_property(
    State(shared): Shared_,
    Path((key, property)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = guard(&shared, &headers, Operation::Search).await {
        return r;
    }
    let mut state = lock(&shared);
    let Some(issue) = state.issue_mut(&key) else {
        return not_found();
    };
    match issue.properties.get(&property) {
        Some(value) => axum::Json(json!({ "key": property, "value": value })).into_response(),
        None => jira_error(
            StatusCode::NOT_FOUND,
            &[&format!(
                "The property with key '{property}' does not exist."
            )],
            &json!({}),
        ),
    }
}

#[derive(Debug, Deserialize)]
struct IssueQuery {
    fields: Option<String>,
    properties: Option<String>,
}

async fn get_issue(
    State(shared): Shared_,
    Path(key): Path<String>,
    headers: HeaderMap,
    Query(q): Query<IssueQuery>,
) -> Response {
    if let Err(r) = guard(&shared, &headers, Operation::Search).await {
        return r;
    }
    let mut state = lock(&shared);
    let Some(issue) = state.issue_mut(&key) else {
        return not_found();
    };
    let wanted = |list: &Option<String>, name: &str| {
        list.as_deref()
            .is_some_and(|l| l.split(',').any(|f| f.trim() == name || f.trim() == "*all"))
    };
    let mut fields = serde_json::Map::new();
    if wanted(&q.fields, "summary") {
        fields.insert("summary".into(), json!(issue.summary));
    }
    if wanted(&q.fields, "status") {
        fields.insert("status".into(), status_json(&issue.status));
    }
    if wanted(&q.fields, "labels") {
        fields.insert("labels".into(), json!(issue.labels));
    }
    // The project's own fields, asked for by ID.
    for (id, value) in &issue.fields {
        if wanted(&q.fields, id) {
            fields.insert(id.clone(), value.clone());
        }
    }
    if wanted(&q.fields, "attachment") {
        fields.insert(
            "attachment".into(),
            Value::Array(
                issue
                    .attachments
                    .iter()
                    .map(|a| attachment_json(&shared, a))
                    .collect(),
            ),
        );
    }
    let mut body = json!({ "id": issue.id.to_string(), "key": issue.key, "self": self_url(&shared, issue), "fields": fields });
    if let Some(names) = &q.properties {
        let props: serde_json::Map<String, Value> = names
            .split(',')
            .filter_map(|n| {
                issue
                    .properties
                    .get(n.trim())
                    .map(|v| (n.trim().to_owned(), v.clone()))
            })
            .collect();
        body["properties"] = Value::Object(props);
    }
    axum::Json(body).into_response()
}

/// `GET /issue/{key}/comment`: `PageOfComments`. Cloud's bodies are ADF, Data Center's wiki
/// text; on a service desk's issue `jsdPublic` says whether the customer sees the comment.
async fn issue_comments(
    State(shared): Shared_,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = guard(&shared, &headers, Operation::Search).await {
        return r;
    }
    let mut state = lock(&shared);
    let Some(issue) = state.issue_mut(&key) else {
        return not_found();
    };
    axum::Json(page_of_comments(&shared, issue)).into_response()
}

/// `POST /issue/{key}/comment` (`Comment`): the body ADF on Cloud (checked against the schema),
/// a string on Data Center; written by the signed-in account; answers 201 with the comment.
async fn add_comment(
    State(shared): Shared_,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let drop_after = match guard(&shared, &headers, Operation::Comment).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return jira_error(
            StatusCode::BAD_REQUEST,
            &["The request body is not valid JSON."],
            &json!({}),
        );
    };
    let text = match (shared.config.flavor, &request["body"]) {
        (Flavor::Cloud, adf) if ADF.as_ref().is_some_and(|v| v.is_valid(adf)) => {
            adf_plain_text(adf)
        }
        (Flavor::DataCenter, Value::String(text)) => text.clone(),
        _ => {
            return jira_error(
                StatusCode::BAD_REQUEST,
                &[],
                &json!({ "comment": "Comment body is not valid." }),
            );
        }
    };
    if text.trim().is_empty() {
        return jira_error(
            StatusCode::BAD_REQUEST,
            &[],
            &json!({ "comment": "Comment body can not be empty!" }),
        );
    }
    let author = shared.config.users[0].id(shared.config.flavor).to_owned();
    let mut state = lock(&shared);
    let Some(issue) = state.issue_mut(&key) else {
        return not_found();
    };
    let comment = issue.comment(&author, &text, true);
    let single = Issue {
        comments: vec![comment],
        ..issue.clone()
    };
    let page = page_of_comments(&shared, &single);
    drop(state);
    answer(
        drop_after,
        (StatusCode::CREATED, axum::Json(page["comments"][0].clone())).into_response(),
    )
}

/// The text of an ADF document, paragraphs on lines of their own.
fn adf_plain_text(doc: &Value) -> String {
    doc["content"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|block| {
            block["content"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|inline| inline["text"].as_str())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The issue's comments as the platform API gives them (`PageOfComments`), in its own route and
/// in search's `comment` field: ADF bodies on Cloud, wiki text on Data Center.
fn page_of_comments(shared: &Shared, issue: &Issue) -> Value {
    let flavor = shared.config.flavor;
    let comments: Vec<Value> = issue
        .comments
        .iter()
        .map(|c| {
            let body = match flavor {
                Flavor::Cloud => json!({
                    "type": "doc",
                    "version": 1,
                    "content": [{ "type": "paragraph", "content": [{ "type": "text", "text": c.body }] }],
                }),
                Flavor::DataCenter => json!(c.body),
            };
            let author = shared.config.users.iter().find(|u| u.id(flavor) == c.author);
            json!({
                "id": c.id,
                "body": body,
                "jsdPublic": c.public,
                "author": author.map(|u| u.json(flavor)),
                "created": crate::workflow::jira_time(c.created),
            })
        })
        .collect();
    json!({
        "startAt": 0,
        "maxResults": 5000,
        "total": comments.len(),
        "comments": comments,
    })
}

/// `SearchAndReconcileRequestBean` (Cloud, paged by `nextPageToken`) or Data Center's
/// `SearchRequestBean` (paged by `startAt`), as posted. Data Center's has no `properties`
/// (JRASERVER-62898), so it ignores them.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SearchRequest {
    jql: String,
    #[serde(default)]
    fields: Vec<String>,
    #[serde(default)]
    properties: Vec<String>,
    max_results: Option<usize>,
    next_page_token: Option<String>,
    start_at: Option<usize>,
}

/// The GET form: the same, as query parameters with comma-separated lists.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SearchQuery {
    jql: String,
    fields: Option<String>,
    properties: Option<String>,
    max_results: Option<usize>,
    next_page_token: Option<String>,
    start_at: Option<usize>,
}

fn list(text: Option<&String>) -> Vec<String> {
    text.into_iter()
        .flat_map(|p| p.split(','))
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

async fn search_get(
    State(shared): Shared_,
    headers: HeaderMap,
    Query(q): Query<SearchQuery>,
) -> Response {
    let request = SearchRequest {
        fields: list(q.fields.as_ref()),
        properties: list(q.properties.as_ref()),
        jql: q.jql,
        max_results: q.max_results,
        next_page_token: q.next_page_token,
        start_at: q.start_at,
    };
    search(&shared, &headers, &request).await
}

async fn search_post(
    State(shared): Shared_,
    headers: HeaderMap,
    axum::Json(q): axum::Json<SearchRequest>,
) -> Response {
    search(&shared, &headers, &q).await
}

/// The keys in `key in (A-1, A-2)` (or `issuekey in`), when the query is one.
fn keys_in(jql: &str) -> Option<Vec<String>> {
    let lower = jql.to_ascii_lowercase();
    let start = ["issuekey in", "key in"]
        .iter()
        .find_map(|p| lower.find(p).map(|at| at + p.len()))?;
    let rest = jql[start..].trim_start().strip_prefix('(')?;
    let inside = rest.split(')').next()?;
    Some(
        inside
            .split(',')
            .map(|k| k.trim().trim_matches('"').to_owned())
            .filter(|k| !k.is_empty())
            .collect(),
    )
}

/// An issue as search returns it, with the fields asked for among those the fake keeps.
fn search_hit(shared: &Shared, issue: &Issue, request: &SearchRequest) -> Value {
    let wanted = |name: &str| request.fields.iter().any(|f| f == name || f == "*all");
    let mut fields = serde_json::Map::new();
    if wanted("summary") {
        fields.insert("summary".into(), json!(issue.summary));
    }
    if wanted("status") {
        fields.insert("status".into(), status_json(&issue.status));
    }
    if wanted("labels") {
        fields.insert("labels".into(), json!(issue.labels));
    }
    if wanted("resolution") {
        let resolution = issue
            .resolution
            .as_ref()
            .map(|name| json!({ "name": name }));
        fields.insert("resolution".into(), resolution.unwrap_or(Value::Null));
    }
    if wanted("updated") {
        fields.insert(
            "updated".into(),
            json!(crate::workflow::jira_time(issue.updated)),
        );
    }
    if wanted("comment") {
        fields.insert("comment".into(), page_of_comments(shared, issue));
    }
    let mut hit = json!({ "id": issue.id.to_string(), "key": issue.key, "self": self_url(shared, issue), "fields": fields });
    if shared.config.flavor == Flavor::Cloud && !request.properties.is_empty() {
        let asked: serde_json::Map<String, Value> = request
            .properties
            .iter()
            .filter_map(|p| issue.properties.get(p).map(|v| (p.clone(), v.clone())))
            .collect();
        hit["properties"] = Value::Object(asked);
    }
    hit
}

/// Understands what Onramp asks: `project = K AND labels = "x"`, and `key in (…)`; anything
/// else is unbounded, which Jira refuses. A key that names no issue the caller can see fails
/// the whole query, as Jira's JQL validation does ("An issue with key 'X' does not exist for
/// field 'key'."). Cloud pages by `nextPageToken` with no total; Data Center by `startAt`, with a
/// total; both at most `Config::search_page` issues a page.
async fn search(shared: &Shared, headers: &HeaderMap, request: &SearchRequest) -> Response {
    if let Err(r) = guard(shared, headers, Operation::Search).await {
        return r;
    }
    let state = lock(shared);
    // A service desk's customer may not browse its project: its requests are not there for
    // them, as if they did not exist.
    let customer = shared
        .config
        .service_desk
        .as_ref()
        .is_some_and(|d| !d.agent);
    let visible = |i: &&Issue| !(customer && i.request.is_some());
    let matches: Vec<&Issue> = if let Some(keys) = keys_in(&request.jql) {
        let missing: Vec<String> = keys
            .iter()
            .filter(|k| !state.issues.iter().filter(visible).any(|i| i.known_as(k)))
            .map(|k| format!("An issue with key '{k}' does not exist for field 'key'."))
            .collect();
        if !missing.is_empty() {
            let messages: Vec<&str> = missing.iter().map(String::as_str).collect();
            return jira_error(StatusCode::BAD_REQUEST, &messages, &json!({}));
        }
        // Known to the database, but search answers from the index, which may lag.
        // A moved issue is found by its former key, and answers with its new one.
        state
            .indexed()
            .filter(|i| keys.iter().any(|k| i.known_as(k)))
            .collect()
    } else if let Some(project) = value_of(&request.jql, "project") {
        let label = value_of(&request.jql, "labels");
        state
            .indexed()
            .filter(visible)
            .filter(|i| i.key.starts_with(&format!("{project}-")))
            .filter(|i| label.as_ref().is_none_or(|l| i.labels.contains(l)))
            .collect()
    } else {
        return jira_error(
            StatusCode::BAD_REQUEST,
            &[
                "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.",
            ],
            &json!({}),
        );
    };
    let (limit, start) = match shared.config.flavor {
        Flavor::Cloud => (
            request
                .max_results
                .unwrap_or(50)
                .min(shared.config.search_page),
            request
                .next_page_token
                .as_deref()
                .and_then(|t| t.strip_prefix("page-after-"))
                .and_then(|n| n.parse().ok())
                .unwrap_or(0),
        ),
        Flavor::DataCenter => (
            request
                .max_results
                .unwrap_or(50)
                .min(shared.config.search_page),
            request.start_at.unwrap_or(0),
        ),
    };
    let total = matches.len();
    let issues: Vec<Value> = matches
        .iter()
        .skip(start)
        .take(limit)
        .map(|i| search_hit(shared, i, request))
        .collect();
    let end = start + issues.len();
    match shared.config.flavor {
        Flavor::Cloud if end < total => axum::Json(json!({
            "issues": issues,
            "nextPageToken": format!("page-after-{end}"),
            "isLast": false,
        })),
        Flavor::Cloud => axum::Json(json!({ "issues": issues, "isLast": true })),
        Flavor::DataCenter => axum::Json(
            json!({ "startAt": start, "maxResults": limit, "total": total, "issues": issues }),
        ),
    }
    .into_response()
}

/// The value in `field = value` or `field = "value"`.
fn value_of(jql: &str, field: &str) -> Option<String> {
    let rest = jql
        .split(field)
        .nth(1)?
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let value = rest.strip_prefix('"').map_or_else(
        || {
            rest.split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned()
        },
        |quoted| quoted.split('"').next().unwrap_or_default().to_owned(),
    );
    (!value.is_empty()).then_some(value)
}
