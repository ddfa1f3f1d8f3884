//! A loopback Jira for Onramp's tests and demo: the REST endpoints Onramp calls, with Jira's
//! request and response shapes, status codes and error bodies — as Jira Cloud (REST v3, basic
//! auth, ADF descriptions checked against the schema) or as Jira Server / Data Center (REST v2,
//! a bearer personal access token, wiki-markup descriptions, usernames) — and faults on demand (5xx, 429 with `Retry-After`, slow answers, a connection
//! dropped after the write, and a search index that lags behind new issues). It also plays a
//! Slack incoming webhook.

mod faults;
mod project;
mod routes;
mod service_desk;
mod state;
mod workflow;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use faults::{Fault, Operation};
pub use project::{FieldConfig, IssueType};
pub use service_desk::{RequestType, ServiceDesk};
pub use state::{Attachment, Comment, Issue, RequestInfo, User};
pub use workflow::category as status_category;

/// Which Jira to be.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Flavor {
    #[default]
    Cloud,
    DataCenter,
}

impl Flavor {
    pub(crate) fn api(self) -> &'static str {
        match self {
            Self::Cloud => "/rest/api/3",
            Self::DataCenter => "/rest/api/2",
        }
    }
}

/// Who may sign in, which project exists, and who can be a watcher.
#[derive(Debug, Clone)]
pub struct Config {
    pub flavor: Flavor,
    /// The Cloud account's email; Data Center tokens need none.
    pub email: String,
    /// The Cloud API token, or the Data Center personal access token.
    pub token: String,
    pub project: String,
    /// Everyone Jira knows; the first is the signed-in account.
    pub users: Vec<User>,
    /// The project permission "Manage watcher list": without it, the signed-in account may add
    /// only itself as a watcher.
    pub manage_watchers: bool,
    pub issue_types: Vec<IssueType>,
    /// The create screen's fields besides project, issue type, summary, description and labels.
    pub fields: Vec<FieldConfig>,
    /// Whether Labels is on the create screen (admins sometimes leave it off).
    pub labels_on_screen: bool,
    /// Bytes per file (`AttachmentSettings.uploadLimit`); larger uploads answer 413.
    pub upload_limit: u64,
    /// The site's cloud ID: scoped tokens reach the API under `/ex/jira/{cloud_id}`.
    pub cloud_id: String,
    /// A scoped API token, accepted only through that gateway path.
    pub scoped_token: Option<String>,
    /// Cloud's per-issue write limit: at most this many writes (attachments, watchers,
    /// properties) to one issue in this window; more answer 429 `jira-per-issue-on-write`.
    pub issue_writes: Option<(usize, Duration)>,
    /// Jira Service Management's desk on this site, if it has one.
    pub service_desk: Option<ServiceDesk>,
    /// The most issues a search page holds when fields are asked for (Cloud: "API may return
    /// fewer items per page where a large number of fields are requested").
    pub search_page: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            flavor: Flavor::Cloud,
            email: "csm@medtrainer.example".into(),
            token: "fake-jira-token".into(),
            project: "ONB".into(),
            users: vec![
                User::new(
                    "5b10ac8d82e05b22cc7d4ef5",
                    "Casey Morgan",
                    "csm@medtrainer.example",
                ),
                User::new(
                    "5b10ac8d82e05b22cc7d4ef6",
                    "Sam Support",
                    "support@medtrainer.example",
                ),
            ],
            manage_watchers: true,
            issue_types: vec![
                IssueType {
                    id: "10001".into(),
                    name: "Task".into(),
                },
                IssueType {
                    id: "10002".into(),
                    name: "Bug".into(),
                },
            ],
            fields: Vec::new(),
            labels_on_screen: true,
            // Cloud's default is 1 GB per file (Atlassian "Configuring file attachments").
            upload_limit: 1 << 30,
            cloud_id: "8e2b7d1c-4a5f-4c3e-9b1a-2f6d0c7e5a31".into(),
            scoped_token: None,
            issue_writes: None,
            service_desk: None,
            search_page: 100,
        }
    }
}

/// A running fake. It stops when dropped.
#[derive(Debug)]
pub struct FakeJira {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// What the handlers and the test both see.
#[derive(Debug)]
pub(crate) struct Shared {
    pub config: Config,
    pub state: Mutex<state::State>,
}

impl Config {
    /// The same people and project, as a Jira Data Center (10 MB uploads by default).
    pub fn data_center() -> Self {
        Self {
            flavor: Flavor::DataCenter,
            upload_limit: 10 * 1024 * 1024,
            ..Self::default()
        }
    }

    /// A project as a support team configures it: a required "Customer" select and required
    /// Components, a Priority with a default, an optional go-live date, and a "Support Request"
    /// issue type besides Task.
    pub fn configured() -> Self {
        let mut config = Self::default();
        config.issue_types.push(IssueType {
            id: "10003".into(),
            name: "Support Request".into(),
        });
        config.fields = vec![
            FieldConfig::select(
                10050,
                "Customer",
                &["Acme Health", "Globex Clinics", "Initech Care"],
            ),
            FieldConfig::components(&["SSO", "HRIS", "Billing"]),
            FieldConfig::priority(),
            FieldConfig::date(10060, "Go-live date"),
        ];
        config
    }
}

impl Config {
    /// A site with Support's service desk (`ServiceDesk::support`) beside the project.
    #[must_use]
    pub fn with_service_desk(self) -> Self {
        Self {
            service_desk: Some(ServiceDesk::support()),
            ..self
        }
    }
}

impl FakeJira {
    /// Starts on a free loopback port.
    pub fn start(config: Config) -> std::io::Result<Self> {
        Self::start_on(config, SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    pub fn start_on(config: Config, addr: SocketAddr) -> std::io::Result<Self> {
        let listener = std::net::TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            config,
            state: Mutex::new(state::State::default()),
        });
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let app = routes::router(Arc::clone(&shared));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        let thread = std::thread::Builder::new()
            .name("fake-jira".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                        return;
                    };
                    let _ = axum::serve(listener, app)
                        .with_graceful_shutdown(async {
                            let _ = stopped.await;
                        })
                        .await;
                });
            })?;
        Ok(Self {
            addr,
            shared,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT`, the Jira site URL to give Onramp.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn config(&self) -> &Config {
        &self.shared.config
    }

    /// Queues `fault` for the next request of its kind.
    pub fn inject(&self, fault: Fault) {
        self.lock().faults.push(fault);
    }

    /// Moves an issue along its workflow, as Support would: a status of the done category is
    /// resolved "Done", any other leaves the issue unresolved.
    pub fn set_status(&self, key: &str, status: &str) {
        let resolution = (workflow::category(status) == "done").then_some("Done");
        self.transition(key, status, resolution);
    }

    /// Moves an issue to `status` with `resolution` ("Won't Do", "Duplicate", …).
    pub fn transition(&self, key: &str, status: &str, resolution: Option<&str>) {
        if let Some(issue) = self.lock().issue_mut(key) {
            issue.transition(status, resolution);
        }
    }

    /// Moves an issue to the project `to`, as Jira's Move does: a new key, numbered after the
    /// last; Jira still finds it by the old one. Its new key.
    pub fn move_issue(&self, key: &str, to: &str) -> Option<String> {
        let mut state = self.lock();
        state.made += 1;
        let new_key = format!("{to}-{}", state.made);
        let issue = state.issue_mut(key)?;
        let old = std::mem::replace(&mut issue.key, new_key.clone());
        issue.former_keys.push(old);
        issue.updated = jiff::Timestamp::now();
        Some(new_key)
    }

    /// Deletes an issue, as a Jira admin may: it is gone from search and from its key.
    pub fn delete_issue(&self, key: &str) {
        self.lock().issues.retain(|i| i.key != key);
    }

    /// What a person does in Jira's own screens: a new issue with `labels`, and the issue
    /// properties of `like` when given (Jira's "Clone" copies both), visible to search at once.
    /// Its key.
    pub fn add_issue_by_hand(&self, labels: &[&str], like: Option<&str>) -> String {
        let mut state = self.lock();
        let properties = like
            .and_then(|key| state.issue_mut(key))
            .map(|i| i.properties.clone())
            .unwrap_or_default();
        let created = std::time::Instant::now()
            .checked_sub(state.index_delay)
            .unwrap_or_else(std::time::Instant::now);
        let new = state::NewIssue {
            summary: "Made in Jira".into(),
            description: serde_json::Value::Null,
            labels: labels.iter().map(|l| (*l).to_owned()).collect(),
            fields: serde_json::Map::new(),
            properties,
            created,
        };
        state.add_issue(&self.shared.config.project, new).key
    }

    /// What an agent does in the request's screen: a comment, public (the customer sees it)
    /// or internal.
    pub fn add_comment(&self, key: &str, body: &str, public: bool) {
        self.add_comment_by(1, key, body, public);
    }

    /// A comment by the site's `user`th person (0 is the signed-in account, the CSM's).
    pub fn add_comment_by(&self, user: usize, key: &str, body: &str, public: bool) {
        let author = self
            .shared
            .config
            .users
            .get(user)
            .map_or_else(String::new, |u| u.id(self.shared.config.flavor).to_owned());
        if let Some(issue) = self.lock().issue_mut(key) {
            issue.comment(&author, body, public);
        }
    }

    /// How many writes the per-issue write limit refused.
    pub fn write_limit_refusals(&self) -> usize {
        self.lock().write_refusals
    }

    /// Faults queued and not yet met by a request.
    pub fn faults_left(&self) -> usize {
        self.lock().faults.len()
    }

    /// New issues stay out of search results this long, as Jira's index lags.
    pub fn set_index_delay(&self, delay: Duration) {
        self.lock().index_delay = delay;
    }

    /// A Slack incoming-webhook URL that records what is posted to it.
    pub fn slack_webhook_url(&self) -> String {
        format!("{}{}", self.url(), routes::SLACK_WEBHOOK)
    }

    /// The messages posted to the Slack webhook, as JSON bodies.
    pub fn slack_messages(&self) -> Vec<serde_json::Value> {
        self.lock().slack.clone()
    }

    /// Every request made to the site so far, as `METHOD /path`, oldest first.
    pub fn calls(&self) -> Vec<String> {
        self.lock().calls.clone()
    }

    /// Every issue created so far, oldest first.
    pub fn issues(&self) -> Vec<Issue> {
        self.lock().issues.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, state::State> {
        self.shared
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Drop for FakeJira {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
