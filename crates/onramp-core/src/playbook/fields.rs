//! The fields every wizard asks, whatever the provider files say, and the ID of every field the
//! code reads. An answer is stored under its field's ID, so these IDs never change; provider
//! files may not reuse the built-in ones.

use super::model::{Field, FieldKind, TextFormat};

/// The answer that names the customer; titles and the drafts home use it.
pub const COMPANY: &str = "company";
pub const LMS_ACCOUNT_ID: &str = "lms_account_id";
pub const ACCOUNT_TYPE: &str = "account_type";
/// The CSM, filled in from Settings: the meeting's organizer and the ticket's watcher.
pub const CSM_NAME: &str = "csm_name";
pub const CSM_EMAIL: &str = "csm_email";
/// The customer's main point of contact, always invited to the meeting.
pub const POC_NAME: &str = "poc_name";
pub const POC_ROLE: &str = "poc_role";
pub const POC_EMAIL: &str = "poc_email";
/// The contract checklist, built from the kind's and the provider's contract checks.
pub const CONTRACT_CHECKS: &str = "contract_checks";
pub const CONTRACT_NOTES: &str = "contract_notes";
/// The playbook's CSM question whose "yes" sends the One-Pager with the recap.
pub const UPSELL: &str = "upsell";

/// The Meeting step's fields.
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

/// The identity provider's settings, shared by every SAML and OpenID Connect provider file.
pub mod sso {
    /// How the customer shares the settings (metadata URL, file, or the values one by one).
    pub const SETTINGS_AS: &str = "idp_settings_as";
    pub const METADATA_URL: &str = "metadata_url";
    pub const METADATA_XML: &str = "metadata_xml";
    pub const SSO_URL: &str = "idp_sso_url";
    pub const ENTITY_ID: &str = "idp_entity_id";
    pub const CERTIFICATE: &str = "signing_certificate";
    pub const ISSUER: &str = "oidc_issuer";
}

/// Screenshot slots the procedure requires of every HRIS request.
pub mod screenshot {
    pub const CONNECTOR: &str = "connector";
    pub const CONSENT_AGREEMENT: &str = "consent_agreement";
    pub const HRIS: [&str; 2] = [CONNECTOR, CONSENT_AGREEMENT];
}

/// Whether `field` belongs to the Meeting step, which stays editable after the ticket is sent:
/// the meeting usually happens after it.
pub fn is_meeting_field(field: &str) -> bool {
    meeting::ALL.contains(&field)
}

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

/// The Account & contacts step.
pub fn account() -> Vec<Field> {
    let mut company = with_help(
        Field::new(COMPANY, "Company name", FieldKind::ShortText),
        "As it should appear in the ticket title.",
    );
    company.rules.max_length = Some(120);
    let mut lms = with_help(
        Field::new(LMS_ACCOUNT_ID, "LMS account ID", FieldKind::ShortText),
        "The customer's account ID in the LMS admin.",
    );
    lms.rules.max_length = Some(64);
    vec![
        company,
        lms,
        with_options(
            Field::new(ACCOUNT_TYPE, "New or existing account", FieldKind::Select),
            &["New account", "Existing account"],
        ),
        Field::new(CSM_NAME, "Your name", FieldKind::ShortText),
        with_help(
            Field::new(CSM_EMAIL, "Your email", FieldKind::Email),
            "Support adds you as a watcher on the ticket.",
        ),
        with_help(
            Field::new(POC_NAME, "Main point of contact", FieldKind::ShortText),
            "The customer's person for the integration, ideally their Tech/IT or HRIS specialist.",
        ),
        with_options(
            Field::new(POC_ROLE, "Point of contact's role", FieldKind::Select),
            &["Tech/IT specialist", "HRIS specialist", "Other"],
        ),
        Field::new(POC_EMAIL, "Point of contact's email", FieldKind::Email),
    ]
}

/// The Contract check step, with the kind's and the provider's checks.
pub fn contract(checks: Vec<String>) -> Vec<Field> {
    let mut checklist = with_help(
        Field::new(
            CONTRACT_CHECKS,
            "Confirmed in the contract",
            FieldKind::Checklist,
        ),
        "Tick each item once you have seen it in the client's contract.",
    );
    checklist.options = checks;
    vec![
        checklist,
        optional(Field::new(
            CONTRACT_NOTES,
            "Contract notes",
            FieldKind::LongText,
        )),
    ]
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

/// The Meeting step.
pub fn meeting() -> Vec<Field> {
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

/// IDs of the Account & contacts fields: what a duplicate for the same customer carries over.
pub fn account_ids() -> Vec<String> {
    account().into_iter().map(|f| f.id).collect()
}

/// Every built-in field. Provider files may not reuse their IDs.
pub fn built_in() -> Vec<Field> {
    let mut all = account();
    all.extend(contract(Vec::new()));
    all.extend(meeting());
    all
}

/// A screenshot slot as the Screenshots step asks for it.
pub fn screenshot_slot(slot: &super::model::ScreenshotSlot) -> Field {
    let mut f = with_help(
        Field::new(&slot.id, &slot.label, FieldKind::Screenshot),
        &slot.hint,
    );
    f.required = slot.required;
    f
}
