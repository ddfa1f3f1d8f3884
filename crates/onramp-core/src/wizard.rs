//! The wizard's steps, in the procedure's order, built from the playbook for one provider.

use serde::Serialize;
use ts_rs::TS;

use crate::playbook::{Field, FieldKind, Playbook, Provider, TextFormat};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StepId {
    Account,
    Contract,
    Details,
    Csm,
    Client,
    Screenshots,
    Meeting,
    Review,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub id: StepId,
    pub title: String,
    /// One sentence on what this step is for.
    pub intro: String,
    /// Provider notes, links and reminders shown above the fields.
    pub notes: Vec<String>,
    /// Secrets the customer must send to Support directly (never typed into Onramp).
    pub credentials: Vec<String>,
    pub fields: Vec<Field>,
}

/// The answer that names the customer; titles and the drafts home use it.
pub const COMPANY_FIELD: &str = "company";
/// The contract checklist, built from the kind's and the provider's contract checks.
pub const CONTRACT_FIELD: &str = "contract_checks";

fn with_help(mut f: Field, help: &str) -> Field {
    f.help = Some(help.to_owned());
    f
}

fn with_options(mut f: Field, options: &[&str]) -> Field {
    f.options = options.iter().map(|&o| o.to_owned()).collect();
    f
}

fn optional(mut f: Field) -> Field {
    f.required = false;
    f
}

fn account_fields() -> Vec<Field> {
    let mut company = with_help(
        Field::new(COMPANY_FIELD, "Company name", FieldKind::ShortText),
        "As it should appear in the ticket title.",
    );
    company.rules.max_length = Some(120);
    let mut lms = with_help(
        Field::new("lms_account_id", "LMS account ID", FieldKind::ShortText),
        "The customer's account ID in the LMS admin.",
    );
    lms.rules.max_length = Some(64);
    vec![
        company,
        lms,
        with_options(
            Field::new("account_type", "New or existing account", FieldKind::Select),
            &["New account", "Existing account"],
        ),
        Field::new("csm_name", "Your name", FieldKind::ShortText),
        with_help(
            Field::new("csm_email", "Your email", FieldKind::Email),
            "Support adds you as a watcher on the ticket.",
        ),
        with_help(
            Field::new("poc_name", "Main point of contact", FieldKind::ShortText),
            "The customer's person for the integration, ideally their Tech/IT or HRIS specialist.",
        ),
        with_options(
            Field::new("poc_role", "Point of contact's role", FieldKind::Select),
            &["Tech/IT specialist", "HRIS specialist", "Other"],
        ),
        Field::new("poc_email", "Point of contact's email", FieldKind::Email),
    ]
}

fn contract_fields(checks: Vec<String>) -> Vec<Field> {
    let mut checklist = with_help(
        Field::new(
            CONTRACT_FIELD,
            "Confirmed in the contract",
            FieldKind::Checklist,
        ),
        "Tick each item once you have seen it in the client's contract.",
    );
    checklist.options = checks;
    vec![
        checklist,
        optional(Field::new(
            "contract_notes",
            "Contract notes",
            FieldKind::LongText,
        )),
    ]
}

/// IDs of the Meeting step's fields, which the meeting module reads.
pub mod meeting {
    pub const TIME_ZONE: &str = "meeting_time_zone";
    pub const START: &str = "meeting_at";
    pub const MINUTES: &str = "meeting_minutes";
    pub const TYPE: &str = "meeting_type";
    pub const ATTENDEES: &str = "meeting_attendees";
    pub const LINK: &str = "meeting_link";
    pub const AGENDA: &str = "meeting_agenda";
    pub const AGREED: &str = "meeting_notes";
    pub const ALL: [&str; 8] = [
        TIME_ZONE, START, MINUTES, TYPE, ATTENDEES, LINK, AGENDA, AGREED,
    ];
}

/// Every IANA zone name, sorted. Read once: listing the database walks the zoneinfo folder, and
/// the steps are built for every draft the home lists.
static TIME_ZONES: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
    let mut names: Vec<String> = jiff::tz::db()
        .available()
        .map(|name| name.as_str().to_owned())
        .collect();
    names.sort();
    names
});

fn meeting_fields() -> Vec<Field> {
    let mut zone = with_help(
        Field::new(
            meeting::TIME_ZONE,
            "Customer's time zone",
            FieldKind::TimeZone,
        ),
        "Where the customer is, as a zone name such as America/New_York (type to search).",
    );
    zone.options.clone_from(&TIME_ZONES);
    let mut minutes = optional(Field::new(
        meeting::MINUTES,
        "Meeting length (minutes)",
        FieldKind::Number,
    ));
    minutes.placeholder = Some("30".to_owned());
    let mut attendees = optional(with_help(
        Field::new(meeting::ATTENDEES, "Other attendees", FieldKind::LongText),
        "One per line: name@example.com or Jane Doe <name@example.com>.",
    ));
    attendees.rules.format = Some(TextFormat::People);
    let mut link = optional(Field::new(meeting::LINK, "Video-call link", FieldKind::Url));
    link.rules.https = true;
    vec![
        zone,
        with_help(
            Field::new(meeting::START, "Meeting date and time", FieldKind::DateTime),
            "In the customer's time zone.",
        ),
        minutes,
        optional(with_help(
            Field::new(meeting::TYPE, "Meeting type", FieldKind::ShortText),
            "The meeting type to book it under, as the procedure names it.",
        )),
        attendees,
        link,
        optional(with_help(
            Field::new(meeting::AGENDA, "Agenda", FieldKind::LongText),
            "Goes into the invite; written from the playbook, edit it as you like.",
        )),
        optional(with_help(
            Field::new(meeting::AGREED, "What was agreed", FieldKind::LongText),
            "After the meeting: goes into the recap email.",
        )),
    ]
}

/// Whether `field` belongs to the Meeting step, which stays editable after the ticket is sent:
/// the meeting usually happens after it.
pub fn is_meeting_field(field: &str) -> bool {
    meeting::ALL.contains(&field)
}

/// IDs of the Account & contacts fields: what a duplicate for the same customer carries over.
pub fn account_field_ids() -> Vec<String> {
    account_fields().into_iter().map(|f| f.id).collect()
}

/// The built-in fields every wizard asks, whatever the playbook says. Provider files may not
/// reuse their IDs.
pub fn fixed_fields() -> Vec<Field> {
    let mut all = account_fields();
    all.extend(contract_fields(Vec::new()));
    all.extend(meeting_fields());
    all
}

fn step(id: StepId, title: &str, intro: String, fields: Vec<Field>) -> Step {
    Step {
        id,
        title: title.to_owned(),
        intro,
        notes: Vec::new(),
        credentials: Vec::new(),
        fields,
    }
}

/// The steps of a request for `provider`, in the procedure's order.
pub fn steps(playbook: &Playbook, provider: &Provider) -> Vec<Step> {
    let settings = playbook.kind(provider.kind);
    let kind = provider.kind.label();
    let name = &provider.name;
    let concat = |a: &[Field], b: &[Field]| a.iter().chain(b).cloned().collect::<Vec<_>>();

    let checks = concat_strings(&settings.contract_checks, &provider.contract_checks);
    let mut details = step(
        StepId::Details,
        "Customer details",
        format!("Ask the customer's admin for these {name} details."),
        concat(&settings.details, &provider.details),
    );
    details.notes.clone_from(&provider.notes);
    if let Some(sso) = &provider.also_offers_sso {
        let sso_name = playbook
            .provider(&sso.provider)
            .map_or(sso.provider.as_str(), |p| &p.name);
        details.notes.push(format!(
            "{} If the customer wants SSO too, start a separate {sso_name} request.",
            sso.note
        ));
    }
    if !provider.credentials.is_empty() {
        details
            .notes
            .push(playbook.organisation.credentials_notice.clone());
        details.credentials.clone_from(&provider.credentials);
    }

    let screenshots = provider
        .screenshots
        .iter()
        .map(|s| {
            let mut f = with_help(Field::new(&s.id, &s.label, FieldKind::Screenshot), &s.hint);
            f.required = s.required;
            f
        })
        .collect();

    let meeting_settings = &playbook.meeting;
    let mut meeting = step(
        StepId::Meeting,
        "Meeting",
        format!(
            "A {}-minute \"{}\" meeting with the main point of contact is mandatory, for new and existing accounts.",
            meeting_settings.minutes, meeting_settings.type_name
        ),
        meeting_fields(),
    );
    meeting.notes.push(match &provider.presentation {
        Some(link) => format!("Presentation for {name}: {link}"),
        None => format!(
            "Presentations: {} (make a copy and adjust it).",
            playbook.organisation.presentations_folder
        ),
    });

    vec![
        step(
            StepId::Account,
            "Account & contacts",
            "Who the request is for, and who the integration meeting is with.".to_owned(),
            account_fields(),
        ),
        step(
            StepId::Contract,
            "Contract check",
            "Double-check what the client's contract states before raising the request.".to_owned(),
            contract_fields(checks),
        ),
        details,
        step(
            StepId::Csm,
            "CSM questions",
            format!("Answer these yourself before raising the {kind} request."),
            concat(&settings.csm_questions, &provider.csm_questions),
        ),
        step(
            StepId::Client,
            "Yes/No questions",
            "Ask the client; their answers go into the ticket.".to_owned(),
            concat(&settings.client_questions, &provider.client_questions),
        ),
        step(
            StepId::Screenshots,
            "Screenshots",
            format!("Ask the customer for these screenshots from {name}."),
            screenshots,
        ),
        meeting,
        step(
            StepId::Review,
            "Review & submit",
            "Check that nothing is missing before the ticket goes to Support.".to_owned(),
            Vec::new(),
        ),
    ]
}

fn concat_strings(a: &[String], b: &[String]) -> Vec<String> {
    a.iter().chain(b).cloned().collect()
}

/// The field with `id` anywhere in `steps`.
pub fn find_field<'a>(steps: &'a [Step], id: &str) -> Option<&'a Field> {
    steps.iter().flat_map(|s| &s.fields).find(|f| f.id == id)
}
