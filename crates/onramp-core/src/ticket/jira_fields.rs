//! What the playbook's `[[jira.fields]]` put in a draft's ticket, as text: a fixed value, an
//! answer, or a short template of answers. Turning the text into the field's JSON needs the
//! field's schema, which only Jira knows (`jira::values`).

use std::sync::LazyLock;

use regex::Regex;

use crate::Result;
use crate::answers::AnswerValue;
use crate::model::{Draft, DraftId};
use crate::playbook::{JiraMapping, MappingSource, Provider};
use crate::work::Work;

/// A Jira field the playbook fills for this draft, and the text it fills it with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldValue {
    pub mapping: JiraMapping,
    pub text: String,
}

/// The draft's values for the Jira fields `mappings` fill; a mapping whose answer is blank is
/// left out (Jira then says whether it needs it).
pub(crate) fn field_values(
    w: &Work<'_>,
    id: DraftId,
    mappings: &[JiraMapping],
) -> Result<Vec<FieldValue>> {
    let draft = w.draft(id)?;
    let provider = w.provider(&draft.provider_id)?;
    Ok(mappings
        .iter()
        .filter_map(|mapping| {
            let text = text_of(&mapping.source, &draft, provider)?;
            (!text.trim().is_empty()).then(|| FieldValue {
                mapping: mapping.clone(),
                text,
            })
        })
        .collect())
}

fn text_of(source: &MappingSource, draft: &Draft, provider: &Provider) -> Option<String> {
    static PLACEHOLDER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\{([^{}]*)\}").expect("valid"));
    match source {
        MappingSource::Value(text) => Some(text.clone()),
        MappingSource::Answer(id) => draft.answers.get(id).map(answer_text),
        MappingSource::Template(template) => Some(
            PLACEHOLDER
                .replace_all(template, |c: &regex::Captures<'_>| match &c[1] {
                    "provider" => provider.name.clone(),
                    "kind" => provider.kind.label().to_owned(),
                    id => draft.answers.get(id).map(answer_text).unwrap_or_default(),
                })
                .into_owned(),
        ),
    }
}

fn answer_text(value: &AnswerValue) -> String {
    match value {
        AnswerValue::Bool(yes) => if *yes { "Yes" } else { "No" }.to_owned(),
        AnswerValue::Text(text) => text.clone(),
        AnswerValue::List(items) => items.join(", "),
    }
}
