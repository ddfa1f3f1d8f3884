//! The wizard's steps, in the procedure's order, built from the playbook for one provider.

use serde::Serialize;
use ts_rs::TS;

use crate::playbook::fields;
use crate::playbook::{Field, Playbook, Provider};

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

impl StepId {
    /// Whether the customer supplies this step's answers (their details, the yes/no questions
    /// for the client, the screenshots), as the procedure splits the work; the CSM does the rest.
    pub fn is_the_customers(self) -> bool {
        matches!(self, Self::Details | Self::Client | Self::Screenshots)
    }
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
        .map(fields::screenshot_slot)
        .collect();

    let meeting_settings = &playbook.meeting;
    let mut meeting = step(
        StepId::Meeting,
        "Meeting",
        format!(
            "A {}-minute \"{}\" meeting with the main point of contact is mandatory, for new and existing accounts.",
            meeting_settings.minutes, meeting_settings.type_name
        ),
        fields::meeting(),
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
            fields::account(),
        ),
        step(
            StepId::Contract,
            "Contract check",
            "Double-check what the client's contract states before raising the request.".to_owned(),
            fields::contract(checks),
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
