//! The preflight: what the project's create screen needs, read from createmeta (or, in
//! service-desk mode, what the request type's fields need), and what stops Onramp from giving
//! it — each problem in words that say who can fix it. Run by Test connection and before every
//! create.

use serde::Serialize;
use ts_rs::TS;

use super::client::Client;
use super::values;
use crate::model::jira_screen::FILLED_BY_ONRAMP;
use crate::model::{DeskAbilities, DeskChoice, FieldMeta, JiraScreen};
use crate::net::Failure;
use crate::playbook::{DeskPlaybook, JiraMapping};

/// A preflight reads the project's create screen, kept as the model's `JiraScreen`.
pub type Preflight = JiraScreen;

/// A field of the create screen as Settings and `onramp jira fields` list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldRow {
    pub id: String,
    pub name: String,
    pub required: bool,
    pub has_default: bool,
    /// The first allowed values, when the field is a choice.
    pub choices: String,
    /// What fills it: "Onramp", the playbook's mapping, or nothing.
    pub filled_by: Option<String>,
}

/// Reads the create screen: the issue type Settings name (by ID or name), its fields, and the
/// attachment settings — or the request type's fields, on a service desk.
pub async fn run(client: &Client) -> Result<Preflight, Failure> {
    if let Some(problem) = client.settings().target_problem() {
        return Err(Failure::Definite(problem));
    }
    if let Some(desk) = &client.settings().desk {
        return run_desk(client, desk).await;
    }
    let settings = client.settings();
    let types = client.issue_types().await?;
    let wanted = settings.issue_type.trim();
    let Some(issue_type) = types
        .iter()
        .find(|t| t.id == wanted || t.name.eq_ignore_ascii_case(wanted))
        .cloned()
    else {
        let names: Vec<&str> = types.iter().map(|t| t.name.as_str()).collect();
        return Err(Failure::Definite(format!(
            "Jira's project {} has no issue type \"{wanted}\"; it has {}. Choose one of those as the issue type in Settings.",
            settings.project,
            names.join(", ")
        )));
    };
    let fields = client.create_fields(&issue_type.id).await?;
    let upload_limit = client.upload_limit().await?;
    Ok(Preflight {
        project: settings.project.clone(),
        issue_type,
        issue_types: types,
        fields,
        upload_limit,
        checked_at: jiff::Timestamp::now(),
        desk: None,
    })
}

/// The request type Settings chose, by ID, on its desk: its fields as the create screen's are.
async fn run_desk(client: &Client, desk: &DeskChoice) -> Result<Preflight, Failure> {
    let types = client.request_types(&desk.service_desk_id).await?;
    let Some(request_type) = types.iter().find(|t| t.id == desk.request_type_id).cloned() else {
        let names: Vec<&str> = types.iter().map(|t| t.name.as_str()).collect();
        return Err(Failure::Definite(format!(
            "The service desk {} has no request type \"{}\" any more; it has {}. Choose one of those in Settings.",
            desk.service_desk_name,
            desk.request_type_name,
            names.join(", ")
        )));
    };
    let meta = client
        .request_type_fields(&desk.service_desk_id, &request_type.id)
        .await?;
    let upload_limit = client.upload_limit().await?;
    Ok(Preflight {
        project: desk.service_desk_name.clone(),
        issue_type: request_type,
        issue_types: types,
        fields: meta.fields,
        upload_limit,
        checked_at: jiff::Timestamp::now(),
        desk: Some(DeskAbilities {
            can_raise_on_behalf_of: meta.can_raise_on_behalf_of,
            can_add_participants: meta.can_add_participants,
        }),
    })
}

impl JiraScreen {
    /// The create screen's field a mapping names, by ID or by name.
    pub fn field(&self, mapping: &JiraMapping) -> Option<&FieldMeta> {
        self.fields
            .iter()
            .find(|f| mapping.fills(&f.field_id, &f.name))
    }

    fn labels_on_screen(&self) -> bool {
        self.fields.iter().any(|f| f.field_id == "labels")
    }

    /// Every field, with what fills it.
    pub fn rows(&self, mappings: &[&JiraMapping]) -> Vec<FieldRow> {
        self.fields
            .iter()
            .map(|f| FieldRow {
                id: f.field_id.clone(),
                name: f.name.clone(),
                required: f.required,
                has_default: f.has_default_value,
                choices: values::choices(&f.allowed_values),
                filled_by: if FILLED_BY_ONRAMP.contains(&f.field_id.as_str()) {
                    Some("Onramp".to_owned())
                } else {
                    mappings
                        .iter()
                        .find(|m| m.fills(&f.field_id, &f.name))
                        .map(|m| format!("the playbook ({})", m.origin))
                },
            })
            .collect()
    }

    /// What stops a ticket with `mappings` from being created, or (when it is `attaching`
    /// screenshots) its files attached, in plain words naming who can fix each. Files over the
    /// upload limit are `uploads`' to fit.
    pub fn problems(&self, mappings: &[&JiraMapping], attaching: bool) -> Vec<String> {
        let mut problems = Vec::new();
        let (screen, where_to_add) = if self.desk.is_some() {
            (
                format!(
                    "the request type {} of the service desk {}",
                    self.issue_type.name, self.project
                ),
                "to that request type's form (Project settings › Request types)",
            )
        } else {
            (
                format!(
                    "the create screen of {} in {}",
                    self.issue_type.name, self.project
                ),
                "to that screen (Project settings › Issues › Screens)",
            )
        };
        if !self.labels_on_screen() {
            problems.push(format!(
                "Labels is not on {screen}, and Onramp needs it: the label is how a ticket is never created twice. A Jira admin must add the Labels field {where_to_add}."
            ));
        }
        for field in self.unfilled(mappings) {
            let owner = "ask the playbook owner to add it under [[jira.fields]] in playbook.toml";
            problems.push(if field.allowed_values.is_empty() {
                format!("Jira needs {}, which this playbook does not fill — {owner}.", field.name)
            } else {
                format!(
                    "Jira needs {} (a choice: {}), which this playbook does not fill — {owner}, or choose it for each request on Review.",
                    field.name,
                    values::choices(&field.allowed_values)
                )
            });
        }
        for mapping in mappings {
            if self.field(mapping).is_none() {
                problems.push(format!(
                    "{}: the playbook fills \"{}\", which is not on {screen} — the playbook owner should correct the field's name or ID, or a Jira admin add it to the screen.",
                    mapping.origin, mapping.field
                ));
            }
        }
        if attaching && self.upload_limit.is_none() {
            problems.push(ATTACHMENTS_OFF.to_owned());
        }
        problems
    }

    /// On a service desk: what the playbook's `[jira.service_desk]` asks that the account may
    /// not do there. Nothing in project mode.
    pub fn desk_problems(&self, playbook: &DeskPlaybook) -> Vec<String> {
        let Some(desk) = self.desk else {
            return Vec::new();
        };
        let mut problems = Vec::new();
        let fix = "ask a Jira admin to make you an agent of the service desk";
        if let Some(who) = &playbook.raise_on_behalf_of
            && !desk.can_raise_on_behalf_of
        {
            problems.push(format!(
                "{}: the playbook raises requests on behalf of {who}, but your account may not raise requests for others on {} (only its agents may) — {fix}, or the playbook owner to remove raise_on_behalf_of.",
                playbook.origin, self.project
            ));
        }
        if !playbook.participants.is_empty() && !desk.can_add_participants {
            problems.push(format!(
                "{}: the playbook adds {} as participants, but your account may not add participants on {} — {fix}, or the playbook owner to remove participants.",
                playbook.origin,
                playbook.participants.join(", "),
                self.project
            ));
        }
        problems
    }
}

/// Said when the site takes no attachments and the ticket has screenshots.
pub(crate) const ATTACHMENTS_OFF: &str = "Attachments are switched off on this Jira site, so the screenshots cannot go on the ticket: a Jira admin can switch them on (System › Attachments).";
