//! A playbook value (text from a fixed value, an answer or a template) turned into what Jira's
//! create takes for the field, by the field's createmeta `schema`, and checked against its
//! `allowedValues` (Atlassian "Field input formats"; `jira-in-the-field.md`).

use serde_json::{Value, json};

use crate::model::jira_screen::allowed_label as label;
use crate::model::{Deployment, FieldMeta};

/// A value ready to send, or a user still to look up by email (a network call).
#[derive(Debug, Clone, PartialEq)]
pub enum Converted {
    Ready(Value),
    User(String),
}

/// What `text` becomes for `field`, or why it cannot, naming the field as Jira calls it.
pub fn convert(field: &FieldMeta, text: &str, deployment: Deployment) -> Result<Converted, String> {
    let text = text.trim();
    let kind = field.schema["type"].as_str().unwrap_or_default();
    let items = field.schema["items"].as_str().unwrap_or_default();
    let custom = field.schema["custom"].as_str().unwrap_or_default();
    let name = &field.name;
    let ready = |v: Value| Ok(Converted::Ready(v));
    match (kind, items) {
        ("string", _) if custom.ends_with(":textarea") && deployment == Deployment::Cloud => {
            // REST v3 takes rich text as an Atlassian document.
            ready(json!({ "type": "doc", "version": 1, "content": [
                { "type": "paragraph", "content": [{ "type": "text", "text": text }] }
            ]}))
        }
        ("string", _) => ready(json!(text)),
        ("number", _) => text
            .replace(',', "")
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(
                || Err(format!("{name} takes a number; `{text}` is not one")),
                |n| ready(Value::Number(n)),
            ),
        ("date", _) => text.parse::<jiff::civil::Date>().map_or_else(
            |_| Err(format!("{name} takes a date as 2027-01-15; `{text}` is not one")),
            |d| ready(json!(d.to_string())),
        ),
        ("datetime", _) => text.parse::<jiff::Timestamp>().map_or_else(
            |_| {
                Err(format!(
                    "{name} takes a date and time with its offset, as 2027-01-15T09:00:00+01:00; `{text}` is not one"
                ))
            },
            |t| ready(json!(t.strftime("%Y-%m-%dT%H:%M:%S%.3f%z").to_string())),
        ),
        ("option" | "priority", _) => choice(field, text).map(Converted::Ready),
        ("array", "option" | "component" | "version") => text
            .split([',', '\n'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| choice(field, t))
            .collect::<Result<Vec<_>, _>>()
            .map(|all| Converted::Ready(Value::Array(all))),
        ("array", "string") => ready(json!(
            text.split_whitespace().collect::<Vec<_>>()
        )),
        ("option-with-child", _) => cascading(field, text).map(Converted::Ready),
        ("user", _) => Ok(Converted::User(text.to_owned())),
        _ => Err(format!(
            "{name} is a Jira field of type `{kind}{}`, which Onramp cannot fill yet: ask the Jira admin for a default value, or fill it in Jira after the ticket is made",
            if items.is_empty() { String::new() } else { format!(" of {items}") }
        )),
    }
}

/// The allowed value `text` names (its label, any case), sent by ID so a renamed option
/// cannot be mistaken.
fn choice(field: &FieldMeta, text: &str) -> Result<Value, String> {
    pick(&field.allowed_values, text)
        .map(|a| json!({ "id": a["id"] }))
        .ok_or_else(|| not_allowed(&field.name, text, &field.allowed_values))
}

fn pick<'a>(allowed: &'a [Value], text: &str) -> Option<&'a Value> {
    allowed
        .iter()
        .find(|a| label(a).is_some_and(|l| l.eq_ignore_ascii_case(text)))
}

/// "Parent > Child" (or "Parent / Child") against an option and its `children`.
fn cascading(field: &FieldMeta, text: &str) -> Result<Value, String> {
    let (parent, child) = text
        .split_once('>')
        .or_else(|| text.split_once('/'))
        .map_or((text, None), |(p, c)| (p.trim(), Some(c.trim())));
    let option = pick(&field.allowed_values, parent)
        .ok_or_else(|| not_allowed(&field.name, parent, &field.allowed_values))?;
    let mut value = json!({ "id": option["id"] });
    if let Some(child) = child {
        let children = option["children"].as_array().map_or(&[][..], Vec::as_slice);
        let picked = pick(children, child)
            .ok_or_else(|| not_allowed(&format!("{} › {parent}", field.name), child, children))?;
        value["child"] = json!({ "id": picked["id"] });
    }
    Ok(value)
}

fn not_allowed(name: &str, text: &str, allowed: &[Value]) -> String {
    format!(
        "`{text}` is not one of {name}'s choices in Jira ({})",
        choices(allowed)
    )
}

/// The first few allowed values, for a message.
pub fn choices(allowed: &[Value]) -> String {
    let mut shown: Vec<&str> = allowed.iter().filter_map(label).take(6).collect();
    if allowed.len() > shown.len() {
        shown.push("…");
    }
    shown.join(", ")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a panic is how a test reports an unexpected failure
mod tests {
    use super::*;

    fn field(schema: Value, allowed: Value) -> FieldMeta {
        FieldMeta {
            field_id: "customfield_10050".into(),
            name: "Customer".into(),
            required: true,
            has_default_value: false,
            schema,
            allowed_values: serde_json::from_value(allowed).unwrap(),
        }
    }

    fn ready(field: &FieldMeta, text: &str) -> Result<Value, String> {
        match convert(field, text, Deployment::Cloud)? {
            Converted::Ready(v) => Ok(v),
            Converted::User(e) => panic!("a user {e}"),
        }
    }

    const OPTIONS: &str =
        r#"[{"id": "100", "value": "Acme Health"}, {"id": "101", "value": "Globex Clinics"}]"#;

    #[test]
    fn a_select_takes_an_allowed_value_by_id_and_names_the_choices_otherwise() {
        let select = field(
            json!({"type": "option"}),
            serde_json::from_str(OPTIONS).unwrap(),
        );
        assert_eq!(ready(&select, "acme health"), Ok(json!({"id": "100"})));
        assert_eq!(
            ready(&select, "Initech"),
            Err(
                "`Initech` is not one of Customer's choices in Jira (Acme Health, Globex Clinics)"
                    .into()
            )
        );
        let multi = field(
            json!({"type": "array", "items": "option"}),
            serde_json::from_str(OPTIONS).unwrap(),
        );
        assert_eq!(
            ready(&multi, "Acme Health, Globex Clinics"),
            Ok(json!([{"id": "100"}, {"id": "101"}]))
        );
        let components = field(
            json!({"type": "array", "items": "component"}),
            json!([{"id": "7", "name": "SSO"}]),
        );
        assert_eq!(ready(&components, "sso"), Ok(json!([{"id": "7"}])));
    }

    #[test]
    fn numbers_dates_and_times_are_checked_and_written_as_jira_reads_them() {
        let number = field(json!({"type": "number"}), json!([]));
        assert_eq!(ready(&number, "1,200"), Ok(json!(1200.0)));
        assert_eq!(
            ready(&number, "many"),
            Err("Customer takes a number; `many` is not one".into())
        );
        let date = field(json!({"type": "date"}), json!([]));
        assert_eq!(ready(&date, "2027-01-15"), Ok(json!("2027-01-15")));
        assert!(
            ready(&date, "15/01/2027")
                .unwrap_err()
                .contains("takes a date as 2027-01-15")
        );
        let datetime = field(json!({"type": "datetime"}), json!([]));
        assert_eq!(
            ready(&datetime, "2027-01-15T09:00:00+01:00"),
            Ok(json!("2027-01-15T08:00:00.000+0000"))
        );
    }

    #[test]
    fn a_cascading_select_takes_parent_and_child() {
        let cascading = field(
            json!({"type": "option-with-child"}),
            json!([{"id": "1", "value": "EMEA", "children": [{"id": "11", "value": "France"}]}]),
        );
        assert_eq!(
            ready(&cascading, "EMEA > France"),
            Ok(json!({"id": "1", "child": {"id": "11"}}))
        );
        assert_eq!(
            ready(&cascading, "EMEA / Spain"),
            Err("`Spain` is not one of Customer › EMEA's choices in Jira (France)".into())
        );
    }

    #[test]
    fn text_users_and_unknown_types() {
        let textarea = field(
            json!({"type": "string", "custom": "com.atlassian.jira.plugin.system.customfieldtypes:textarea"}),
            json!([]),
        );
        assert_eq!(
            ready(&textarea, "Hi").unwrap()["content"][0]["content"][0]["text"],
            "Hi"
        );
        assert_eq!(
            convert(&textarea, "Hi", Deployment::DataCenter),
            Ok(Converted::Ready(json!("Hi")))
        );
        let user = field(json!({"type": "user"}), json!([]));
        assert_eq!(
            convert(&user, "csm@medtrainer.example", Deployment::Cloud),
            Ok(Converted::User("csm@medtrainer.example".into()))
        );
        let sprint = field(json!({"type": "array", "items": "json"}), json!([]));
        assert!(
            ready(&sprint, "x")
                .unwrap_err()
                .contains("type `array of json`, which Onramp cannot fill yet")
        );
    }
}
