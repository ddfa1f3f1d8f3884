//! What is still missing before a draft may be submitted: per step, naming the field and why.

use std::collections::{BTreeMap, HashSet};
use std::hash::BuildHasher;

use serde::Serialize;
use ts_rs::TS;

use crate::answers::AnswerValue;
use crate::model::JiraChoice;
use crate::playbook::{ConditionValue, Field, FieldKind};
use crate::validate;
use crate::wizard::{Step, StepId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum IssueKind {
    /// Required and not given yet.
    Missing,
    /// Given, but not acceptable.
    Invalid,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Issue {
    pub field_id: String,
    pub label: String,
    pub kind: IssueKind,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StepReadiness {
    pub step: StepId,
    pub title: String,
    /// Required fields currently asked in this step, and how many of them are done.
    pub required: u32,
    pub done: u32,
    pub issues: Vec<Issue>,
}

/// An answer kept for a field the playbook no longer asks: shown, never silently dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RetiredAnswer {
    pub field_id: String,
    pub value: AnswerValue,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Readiness {
    /// Nothing required is missing and nothing given is invalid.
    pub ready: bool,
    pub steps: Vec<StepReadiness>,
    /// Fields not asked right now because their `when` condition does not hold.
    pub hidden: Vec<String>,
    pub retired: Vec<RetiredAnswer>,
}

/// Computes readiness of `answers` (and attached screenshot slots) against `steps`.
impl Readiness {
    /// How many things are still missing or wrong, over every step.
    pub fn open_items(&self) -> u32 {
        let n: usize = self.steps.iter().map(|s| s.issues.len()).sum();
        u32::try_from(n).unwrap_or(u32::MAX)
    }
}

pub fn readiness<S: BuildHasher>(
    steps: &[Step],
    answers: &BTreeMap<String, AnswerValue>,
    attached: &HashSet<String, S>,
) -> Readiness {
    let mut hidden: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for step in steps {
        let mut r = StepReadiness {
            step: step.id,
            title: step.title.clone(),
            required: 0,
            done: 0,
            issues: Vec::new(),
        };
        for field in &step.fields {
            if !is_asked(field, answers, |id| hidden.iter().any(|h| h == id)) {
                hidden.push(field.id.clone());
                continue;
            }
            let issue = field_issue(field, answers.get(&field.id), attached)
                .or_else(|| cross_issue(field, answers));
            if field.required {
                r.required += 1;
                if issue.is_none() {
                    r.done += 1;
                }
            }
            r.issues.extend(issue);
        }
        out.push(r);
    }
    let asked: HashSet<&str> = steps
        .iter()
        .flat_map(|s| &s.fields)
        .map(|f| f.id.as_str())
        .collect();
    let retired = answers
        .iter()
        .filter(|(id, _)| !asked.contains(id.as_str()))
        .map(|(id, value)| RetiredAnswer {
            field_id: id.clone(),
            value: value.clone(),
        })
        .collect();
    Readiness {
        ready: out.iter().all(|s| s.issues.is_empty()),
        steps: out,
        hidden,
        retired,
    }
}

/// Whether a field is asked: no condition, or its condition's field is asked and matches.
fn is_asked(
    field: &Field,
    answers: &BTreeMap<String, AnswerValue>,
    is_hidden: impl Fn(&str) -> bool,
) -> bool {
    let Some(when) = &field.when else {
        return true;
    };
    if is_hidden(&when.field) {
        return false;
    }
    match (answers.get(&when.field), &when.equals) {
        (Some(AnswerValue::Bool(a)), ConditionValue::Bool(b)) => a == b,
        (Some(AnswerValue::Text(a)), ConditionValue::Text(b)) => a == b,
        _ => false,
    }
}

/// What is wrong with a field given another's answer: a meeting time that never happens in the
/// customer's zone (skipped when the clocks go forward) — refused by the Meeting step and the
/// invite, so an open item here too.
fn cross_problem(field: &Field, answers: &BTreeMap<String, AnswerValue>) -> Option<String> {
    use crate::playbook::fields::meeting;
    if field.id != meeting::START {
        return None;
    }
    let civil: jiff::civil::DateTime = answers
        .get(meeting::START)?
        .as_text()?
        .trim()
        .parse()
        .ok()?;
    let zone = crate::formats::time_zone(answers.get(meeting::TIME_ZONE)?.as_text()?).ok()?;
    crate::formats::in_zone(civil, &zone).err()
}

fn cross_issue(field: &Field, answers: &BTreeMap<String, AnswerValue>) -> Option<Issue> {
    cross_problem(field, answers).map(|message| Issue {
        field_id: field.id.clone(),
        label: field.label.clone(),
        kind: IssueKind::Invalid,
        message,
    })
}

/// What is wrong with one asked field, before any message is written.
enum Problem {
    NoScreenshot,
    Missing,
    Invalid(String),
    Unconfirmed { done: usize },
}

fn field_problem<S: BuildHasher>(
    field: &Field,
    value: Option<&AnswerValue>,
    attached: &HashSet<String, S>,
) -> Option<Problem> {
    if field.kind == FieldKind::Screenshot {
        return (field.required && !attached.contains(&field.id)).then_some(Problem::NoScreenshot);
    }
    let Some(value) = value.filter(|v| !v.is_blank()) else {
        return field.required.then_some(Problem::Missing);
    };
    if let Some(problem) = validate::problem(field, value) {
        return Some(Problem::Invalid(problem));
    }
    if field.kind == FieldKind::Checklist
        && field.required
        && let AnswerValue::List(ticked) = value
    {
        let done = field.options.iter().filter(|o| ticked.contains(o)).count();
        if done < field.options.len() {
            return Some(Problem::Unconfirmed { done });
        }
    }
    None
}

fn field_issue<S: BuildHasher>(
    field: &Field,
    value: Option<&AnswerValue>,
    attached: &HashSet<String, S>,
) -> Option<Issue> {
    let (kind, message) = match field_problem(field, value, attached)? {
        Problem::NoScreenshot => (IssueKind::Missing, "No screenshot attached yet.".to_owned()),
        Problem::Missing => (IssueKind::Missing, missing_message(field)),
        Problem::Invalid(problem) => (IssueKind::Invalid, problem),
        Problem::Unconfirmed { done } => (
            IssueKind::Missing,
            format!(
                "Confirm every item ({done} of {} confirmed).",
                field.options.len()
            ),
        ),
    };
    Some(Issue {
        field_id: field.id.clone(),
        label: field.label.clone(),
        kind,
        message,
    })
}

/// What is missing or wrong, split by who supplies it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpenItems {
    /// In the CSM's own steps.
    pub yours: u32,
    /// In the steps the customer answers (`StepId::is_the_customers`).
    pub customers: u32,
}

impl OpenItems {
    pub fn total(self) -> u32 {
        self.yours.saturating_add(self.customers)
    }
}

/// What is missing or wrong, as `readiness(…).open_items()` counts it, without writing a message
/// for each: the drafts home asks this of every draft.
pub fn open_items<S: BuildHasher>(
    steps: &[Step],
    answers: &BTreeMap<String, AnswerValue>,
    attached: &HashSet<String, S>,
) -> OpenItems {
    let mut hidden: Vec<&str> = Vec::new();
    let mut open = OpenItems::default();
    for step in steps {
        for field in &step.fields {
            if !is_asked(field, answers, |id| hidden.contains(&id)) {
                hidden.push(&field.id);
            } else if field_problem(field, answers.get(&field.id), attached).is_some()
                || cross_problem(field, answers).is_some()
            {
                let count = if step.id.is_the_customers() {
                    &mut open.customers
                } else {
                    &mut open.yours
                };
                *count = count.saturating_add(1);
            }
        }
    }
    open
}

fn missing_message(field: &Field) -> String {
    match field.kind {
        FieldKind::YesNo => "Not answered yet.".to_owned(),
        FieldKind::Select => "Choose one.".to_owned(),
        FieldKind::Checklist => format!(
            "Confirm every item (0 of {} confirmed).",
            field.options.len()
        ),
        FieldKind::MultiSelect => "Choose at least one.".to_owned(),
        _ => "Required.".to_owned(),
    }
}

/// Adds the Jira choices Review asks to the Review step: one left open stops the ticket as a
/// missing answer would. `jira-<id>` is what Review calls its control, so the checklist can
/// lead to it.
pub(crate) fn add_jira_choices(readiness: &mut Readiness, choices: &[JiraChoice]) {
    let Some(review) = readiness
        .steps
        .iter_mut()
        .find(|s| s.step == StepId::Review)
    else {
        return;
    };
    for choice in choices {
        review.required += 1;
        if choice.chosen.is_some() {
            review.done += 1;
            continue;
        }
        review.issues.push(Issue {
            field_id: format!("jira-{}", choice.field_id),
            label: choice.name.clone(),
            kind: IssueKind::Missing,
            message: format!(
                "Jira needs {} for the ticket: choose one below",
                choice.name
            ),
        });
    }
    readiness.ready = readiness.steps.iter().all(|s| s.issues.is_empty());
}
