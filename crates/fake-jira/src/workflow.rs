//! The statuses issues move through, as Support's workflows name them, each in one of Jira's
//! three status categories (`StatusCategory.key`: `new`, `indeterminate`, `done`; the `OpenAPI`
//! spec's `StatusDetails` and `StatusCategory`). A status in the done category carries a
//! resolution; moving out of it clears the resolution, as Jira's default workflows do.

use serde_json::{Value, json};

/// The category of `status`: Jira Software's and Jira Service Management's default workflow
/// statuses; any other name is work in progress.
pub fn category(status: &str) -> &'static str {
    match status {
        "To Do" | "Open" | "Backlog" | "Waiting for support" => "new",
        "Done" | "Resolved" | "Closed" | "Canceled" => "done",
        _ => "indeterminate",
    }
}

/// `StatusDetails` as search and the issue's `fields.status` give it.
pub(crate) fn status_json(name: &str) -> Value {
    let (id, category_name, color) = match category(name) {
        "new" => (2, "To Do", "blue-gray"),
        "done" => (3, "Done", "green"),
        _ => (4, "In Progress", "yellow"),
    };
    json!({
        "name": name,
        "statusCategory": {
            "id": id,
            "key": category(name),
            "name": category_name,
            "colorName": color,
        },
    })
}

/// Jira's date-time as fields carry it: `2026-12-07T10:15:30.000+0000`.
pub(crate) fn jira_time(at: jiff::Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%S.%3f+0000").to_string()
}
