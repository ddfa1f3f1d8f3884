//! Helpers shared by the core's integration tests.

use std::io::Cursor;
use std::path::Path;
use std::sync::{Arc, Mutex};

use onramp_core::Shared;

use image::{ImageFormat, Rgb, RgbImage};

use jiff::{Timestamp, ToSpan};
use onramp_core::Onramp;
use onramp_core::answers::AnswerValue;
use onramp_core::clock::Clock;
use onramp_core::drafts::{AnswerUpdate, DraftView, NewDraft};
use onramp_core::playbook::Playbook;
use onramp_core::playbook::{FieldKind, TextFormat};
use onramp_core::screenshots::ScreenshotSlotRef;

/// A clock the test moves by hand, so ordering by "last change" is deterministic.
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Mutex<Timestamp>>);

impl ManualClock {
    pub fn new() -> Self {
        Self(Arc::new(Mutex::new(
            "2026-11-25T09:00:00Z".parse().unwrap(),
        )))
    }
    pub fn advance_minutes(&self, n: i64) {
        let mut t = self.0.lock().unwrap();
        *t = t.checked_add(n.minutes()).unwrap();
    }

    pub fn advance(&self, by: std::time::Duration) {
        let mut t = self.0.lock().unwrap();
        *t = t.checked_add(by).unwrap();
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap()
    }
}

/// Copies the folder `from` to `to`, as a person copies a playbook to edit it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// The bundled playbook with `extra` appended to its playbook.toml, loaded from a copy of its
/// folder as the operations team would edit it.
pub fn playbook_with(extra: &str) -> Playbook {
    playbook_appending(&[("playbook.toml", extra)])
}

/// The bundled playbook with each `(file, extra)`'s text appended to that file of a copy.
pub fn playbook_appending(edits: &[(&str, &str)]) -> Playbook {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/playbook"),
        dir.path(),
    );
    for (file, extra) in edits {
        let path = dir.path().join(file);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push('\n');
        text.push_str(extra);
        std::fs::write(&path, text).unwrap();
    }
    Playbook::from_dir(dir.path()).unwrap_or_else(|e| panic!("{e}"))
}

pub fn open(dir: &Path, clock: &ManualClock) -> Onramp {
    Onramp::open(dir, Playbook::bundled().unwrap(), Box::new(clock.clone())).unwrap()
}

pub fn text(s: &str) -> AnswerValue {
    AnswerValue::Text(s.to_owned())
}

pub fn answer(draft: &DraftView, field: &str, value: &str) -> AnswerUpdate {
    AnswerUpdate {
        draft_id: draft.draft.id,
        field_id: field.to_owned(),
        value: Some(text(value)),
    }
}

/// Saves each `(field, text)` answer on the draft, in order.
pub fn answer_all(onramp: &mut Onramp, draft: &DraftView, answers: &[(&str, &str)]) {
    for (field, value) in answers {
        onramp.set_answer(&answer(draft, field, value)).unwrap();
    }
}

pub fn create(onramp: &mut Onramp, provider: &str) -> DraftView {
    onramp
        .create_draft(&NewDraft {
            provider_id: provider.into(),
        })
        .unwrap()
}

/// A 640 × 400 gradient encoded as `format`: a real image file, as a CSM would attach.
pub fn picture(format: ImageFormat) -> Vec<u8> {
    let byte = |n: u32| u8::try_from(n % 256).unwrap();
    let img = RgbImage::from_fn(640, 400, |x, y| Rgb([byte(x), byte(y), 90]));
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), format).unwrap();
    out
}

pub fn slot(view: &DraftView, slot: &str) -> ScreenshotSlotRef {
    ScreenshotSlotRef {
        draft_id: view.draft.id,
        slot_id: slot.to_owned(),
    }
}

/// A valid answer for every field the draft asks, in step order (so conditions open up).
pub fn fill_everything(onramp: &mut Onramp, view: &DraftView) {
    for field in view.steps.iter().flat_map(|s| &s.fields) {
        let value = match field.kind {
            FieldKind::Screenshot => continue,
            FieldKind::YesNo => AnswerValue::Bool(true),
            FieldKind::Select => text(&field.options[0]),
            FieldKind::MultiSelect | FieldKind::Checklist => {
                AnswerValue::List(field.options.clone())
            }
            FieldKind::Email => text("someone@customer.example"),
            FieldKind::Url => text("https://idp.customer.example/metadata"),
            FieldKind::Number => text("120"),
            FieldKind::Date => text("2026-12-01"),
            FieldKind::DateTime => text("2026-12-01T10:00"),
            FieldKind::TimeZone => text("America/New_York"),
            _ => match field.rules.format {
                Some(TextFormat::Domain) => text("customer.example"),
                Some(TextFormat::Guid) => text("8e0b5f4a-1c2d-4e5f-9a8b-7c6d5e4f3a2b"),
                Some(TextFormat::People) => text("it@customer.example"),
                None => text("Filled in"),
            },
        };
        onramp
            .set_answer(&AnswerUpdate {
                draft_id: view.draft.id,
                field_id: field.id.clone(),
                value: Some(value),
            })
            .unwrap();
    }
}

/// A runtime for the async parts (Jira, Slack), one thread like a test needs.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A Jira client for fake-jira at `site`, with its account and project — or, when the site has
/// a service desk, raising requests of its first request type there.
pub fn jira_client(site: &str, config: &fake_jira::Config) -> onramp_core::jira::Client {
    let first = config
        .service_desk
        .as_ref()
        .map(|d| d.request_types[0].id.clone());
    client_for(site, config, first.as_deref())
}

/// A client raising requests of `request_type` on the site's service desk, or (`None`) issues
/// in its project.
pub fn client_for(
    site: &str,
    config: &fake_jira::Config,
    request_type: Option<&str>,
) -> onramp_core::jira::Client {
    use onramp_core::jira::{Client, Deployment, JiraSettings};
    use onramp_core::model::DeskChoice;
    let desk = request_type.and_then(|id| {
        let desk = config.service_desk.as_ref()?;
        let kind = desk.request_types.iter().find(|t| t.id == id)?;
        Some(DeskChoice {
            service_desk_id: desk.id.clone(),
            service_desk_name: desk.name.clone(),
            project_key: desk.project_key.clone(),
            request_type_id: kind.id.clone(),
            request_type_name: kind.name.clone(),
        })
    });
    Client::new(JiraSettings {
        site: site.parse().unwrap(),
        deployment: match config.flavor {
            fake_jira::Flavor::Cloud => Deployment::Cloud,
            fake_jira::Flavor::DataCenter => Deployment::DataCenter,
        },
        email: config.email.clone(),
        token: config.token.clone(),
        project: desk
            .as_ref()
            .map_or_else(|| config.project.clone(), |d| d.project_key.clone()),
        issue_type: "Task".into(),
        mode: if desk.is_some() {
            onramp_core::model::JiraMode::ServiceDesk
        } else {
            onramp_core::model::JiraMode::Project
        },
        desk,
        labels: vec!["onramp".into()],
        gateway: None,
    })
    .unwrap()
}

/// One submission attempt for the queued draft `id`, with the default retry options.
pub fn submit_queued(
    runtime: &tokio::runtime::Runtime,
    core: &Shared,
    client: &onramp_core::jira::Client,
    id: onramp_core::model::DraftId,
) -> onramp_core::model::Submission {
    use onramp_core::jira::submit::{self, Options};
    runtime
        .block_on(submit::attempt(
            core,
            client,
            id,
            &Options::default(),
            &|_| {},
        ))
        .unwrap()
        .unwrap()
}

/// The meeting held and its recording processed: the recap can be exported.
pub fn held_and_processed(onramp: &mut Onramp, id: onramp_core::model::DraftId) {
    use onramp_core::meeting::{MeetingOutcome, Outcome};
    onramp
        .record_meeting_outcome(&MeetingOutcome {
            draft_id: id,
            outcome: Outcome::Held,
        })
        .unwrap();
    onramp.mark_recording_processed(id).unwrap();
}
