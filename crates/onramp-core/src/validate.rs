//! Whether one answer is acceptable for its field, with a message the CSM can act on.

use std::str::FromStr;

use crate::answers::AnswerValue;
use crate::formats::{is_domain, is_email, is_guid};
use crate::playbook::{Field, FieldKind, TextFormat};

/// The answer has the wrong shape for the field altogether (e.g. a list for a yes/no question).
pub fn shape_error(field: &Field, value: &AnswerValue) -> Option<&'static str> {
    let fits = match field.kind {
        FieldKind::YesNo => matches!(value, AnswerValue::Bool(_)),
        FieldKind::MultiSelect | FieldKind::Checklist => matches!(value, AnswerValue::List(_)),
        FieldKind::Screenshot => false,
        _ => matches!(value, AnswerValue::Text(_)),
    };
    (!fits).then_some(match field.kind {
        FieldKind::YesNo => "takes yes or no",
        FieldKind::MultiSelect | FieldKind::Checklist => "takes a list of the listed choices",
        FieldKind::Screenshot => "takes an attached screenshot, not a typed value",
        _ => "takes text",
    })
}

/// Why a non-blank answer is not acceptable, or `None` when it is.
pub fn problem(field: &Field, value: &AnswerValue) -> Option<String> {
    if let Some(shape) = shape_error(field, value) {
        return Some(format!(
            "This answer no longer fits: the question now {shape}."
        ));
    }
    match value {
        AnswerValue::Text(text) => text_problem(field, text.trim()),
        AnswerValue::List(items) => items
            .iter()
            .find(|i| !field.options.contains(i))
            .map(|i| format!("\"{i}\" is not one of the listed choices.")),
        AnswerValue::Bool(_) => None,
    }
}

fn text_problem(field: &Field, text: &str) -> Option<String> {
    let rules = &field.rules;
    if let Some(max) = rules.max_length {
        let len = text.chars().count();
        if len > max as usize {
            return Some(format!("Use at most {max} characters (this has {len})."));
        }
    }
    let ok = match field.kind {
        FieldKind::Email => is_email(text),
        FieldKind::Url => return url_problem(text, rules.https),
        FieldKind::TimeZone => return crate::formats::time_zone(text).err(),
        FieldKind::Number => f64::from_str(text).is_ok_and(f64::is_finite),
        FieldKind::Date => jiff::civil::Date::from_str(text).is_ok(),
        FieldKind::DateTime => jiff::civil::DateTime::from_str(text).is_ok(),
        FieldKind::Select => field.options.iter().any(|o| o == text),
        _ => true,
    };
    if !ok {
        return Some(
            match field.kind {
                FieldKind::Email => "Enter an email address such as name@example.com.",
                FieldKind::Number => "Enter a number.",
                FieldKind::Date => "Enter a date as YYYY-MM-DD.",
                FieldKind::DateTime => "Enter a date and a time.",
                _ => "Choose one of the listed options.",
            }
            .to_owned(),
        );
    }
    match rules.format {
        // Long text holds one domain per line.
        Some(TextFormat::Domain) if field.kind == FieldKind::LongText => {
            if let Some(wrong) = text
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty() && !is_domain(l))
            {
                return Some(format!(
                    "\"{wrong}\" is not a domain: write one per line, such as example.com (no https://, no path)."
                ));
            }
        }
        Some(TextFormat::Domain) if !is_domain(text) => {
            return Some("Enter a domain such as example.com (no https://, no path).".to_owned());
        }
        Some(TextFormat::Guid) if !is_guid(text) => {
            return Some("Enter a GUID such as 8e0b5f4a-1c2d-4e5f-9a8b-7c6d5e4f3a2b.".to_owned());
        }
        Some(TextFormat::People) => {
            if let Err(problem) = crate::formats::parse_people(text) {
                return Some(problem);
            }
        }
        _ => {}
    }
    if let Some(pattern) = &rules.pattern
        && !pattern.is_match(text)
    {
        return Some(match &rules.pattern_hint {
            Some(hint) => format!("Expected {hint}."),
            None => "This does not have the expected format.".to_owned(),
        });
    }
    None
}

fn url_problem(text: &str, https_only: bool) -> Option<String> {
    match url::Url::parse(text) {
        Ok(u) if u.host_str().is_some_and(|h| !h.is_empty()) => match u.scheme() {
            "https" => None,
            "http" if !https_only => None,
            _ if https_only => Some("Use a secure link that starts with https://.".to_owned()),
            _ => Some("Enter a web link that starts with https:// or http://.".to_owned()),
        },
        _ => Some("Enter a full link, such as https://example.com/path.".to_owned()),
    }
}
