//! How a support team configured its project: issue types, the create screen's fields (with
//! `required`, a default, a schema and allowed values), whether Labels is on that screen, and the
//! attachment settings. Shapes from the spec's `FieldCreateMetadata`, `JsonTypeBean`,
//! `IssueTypeIssueCreateMetadata` and `AttachmentSettings`.

use serde_json::{Value, json};

#[derive(Debug, Clone)]
pub struct IssueType {
    pub id: String,
    pub name: String,
}

/// A field on the create screen, besides the ones every project has (project, issue type,
/// summary, description, labels).
#[derive(Debug, Clone)]
pub struct FieldConfig {
    /// `customfield_10050`, or a system field's key (`components`, `priority`).
    pub id: String,
    pub name: String,
    pub required: bool,
    /// The value Jira fills in when the request leaves the field out.
    pub default: Option<Value>,
    /// `JsonTypeBean`: `{"type": "option", "custom": "…:select", "customId": 10050}`.
    pub schema: Value,
    /// Options (`{"id", "value"}`), components or priorities (`{"id", "name"}`).
    pub allowed: Vec<Value>,
}

impl FieldConfig {
    fn option_list(values: &[&str], first_id: u32, key: &str) -> Vec<Value> {
        (first_id..)
            .zip(values)
            .map(|(id, v)| json!({ "id": id.to_string(), key: v }))
            .collect()
    }

    /// A required single-select custom field.
    pub fn select(id: u32, name: &str, options: &[&str]) -> Self {
        Self {
            id: format!("customfield_{id}"),
            name: name.into(),
            required: true,
            default: None,
            schema: json!({ "type": "option", "custom": "com.atlassian.jira.plugin.system.customfieldtypes:select", "customId": id }),
            allowed: Self::option_list(options, id * 10, "value"),
        }
    }

    /// The system Components field, required, with these components.
    pub fn components(names: &[&str]) -> Self {
        Self {
            id: "components".into(),
            name: "Components".into(),
            required: true,
            default: None,
            schema: json!({ "type": "array", "items": "component", "system": "components" }),
            allowed: Self::option_list(names, 10_100, "name"),
        }
    }

    /// The system Priority field, required, with a default as most sites have.
    pub fn priority() -> Self {
        let allowed = Self::option_list(&["Highest", "High", "Medium", "Low"], 1, "name");
        Self {
            id: "priority".into(),
            name: "Priority".into(),
            required: true,
            default: Some(allowed[2].clone()),
            schema: json!({ "type": "priority", "system": "priority" }),
            allowed,
        }
    }

    /// An optional date custom field.
    pub fn date(id: u32, name: &str) -> Self {
        Self {
            id: format!("customfield_{id}"),
            name: name.into(),
            required: false,
            default: None,
            schema: json!({ "type": "date", "custom": "com.atlassian.jira.plugin.system.customfieldtypes:datepicker", "customId": id }),
            allowed: Vec::new(),
        }
    }

    /// An optional single-user picker custom field.
    pub fn user(id: u32, name: &str) -> Self {
        Self {
            id: format!("customfield_{id}"),
            name: name.into(),
            required: false,
            default: None,
            schema: json!({ "type": "user", "custom": "com.atlassian.jira.plugin.system.customfieldtypes:userpicker", "customId": id }),
            allowed: Vec::new(),
        }
    }

    pub(crate) fn is_user(&self) -> bool {
        self.schema["type"] == "user"
    }

    /// As `FieldCreateMetadata`.
    pub(crate) fn meta(&self) -> Value {
        let mut meta = json!({
            "fieldId": self.id,
            "key": self.id,
            "name": self.name,
            "required": self.required,
            "hasDefaultValue": self.default.is_some(),
            "schema": self.schema,
            "operations": ["set"],
        });
        if !self.allowed.is_empty() {
            meta["allowedValues"] = Value::Array(self.allowed.clone());
        }
        if let Some(default) = &self.default {
            meta["defaultValue"] = default.clone();
        }
        meta
    }

    /// Jira's error for `value` given for this field, if it refuses it: an option must be one
    /// of the allowed values, by `id` or by `value` / `name`.
    pub(crate) fn refuse(&self, value: &Value) -> Option<String> {
        if self.allowed.is_empty() {
            return None;
        }
        let known = |v: &Value| {
            self.allowed.iter().any(|a| {
                (v["id"].is_string() && v["id"] == a["id"])
                    || (v["value"].is_string() && v["value"] == a["value"])
                    || (v["name"].is_string() && v["name"] == a["name"])
            })
        };
        let wrong = match value {
            Value::Array(items) => items.iter().find(|v| !known(v)),
            single => (!known(single)).then_some(single),
        }?;
        let given = ["value", "name", "id"]
            .iter()
            .find_map(|k| wrong[*k].as_str())
            .unwrap_or("null");
        // As Jira words it for options ("Option value 'x' is not valid"), components and
        // priorities alike.
        Some(format!(
            "Option value '{given}' is not valid for {}",
            self.name
        ))
    }
}

/// The system fields every create screen has; Labels only when `labels_on_screen`.
pub(crate) fn system_meta(labels_on_screen: bool) -> Vec<Value> {
    let mut fields = vec![
        json!({ "fieldId": "project", "key": "project", "name": "Project", "required": true, "hasDefaultValue": false, "schema": { "type": "project", "system": "project" }, "operations": ["set"] }),
        json!({ "fieldId": "issuetype", "key": "issuetype", "name": "Issue Type", "required": true, "hasDefaultValue": false, "schema": { "type": "issuetype", "system": "issuetype" }, "operations": [] }),
        json!({ "fieldId": "summary", "key": "summary", "name": "Summary", "required": true, "hasDefaultValue": false, "schema": { "type": "string", "system": "summary" }, "operations": ["set"] }),
        json!({ "fieldId": "description", "key": "description", "name": "Description", "required": false, "hasDefaultValue": false, "schema": { "type": "string", "system": "description" }, "operations": ["set"] }),
    ];
    if labels_on_screen {
        fields.push(json!({ "fieldId": "labels", "key": "labels", "name": "Labels", "required": false, "hasDefaultValue": false, "schema": { "type": "array", "items": "string", "system": "labels" }, "operations": ["add", "set", "remove"] }));
    }
    fields
}
