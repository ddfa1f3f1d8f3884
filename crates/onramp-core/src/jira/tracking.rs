//! Following submitted tickets: where each stands in Support's workflow, and what Support wrote
//! on it, read for every tracked ticket with one search per round (`key in (…)`, paged), however
//! many there are.
//!
//! Jira's JQL validation refuses the whole query when one key names no issue the account can
//! see ("An issue with key 'ONB-9' does not exist for field 'key'."; Data Center and older sites
//! say "The issue key 'X' for field 'key' is invalid."): such keys are taken out and the search
//! asked again, so one deleted, moved or hidden ticket never stops the others. On a service
//! desk whose account is only a customer, the project's search may show none of its requests;
//! those are read through the request's own API instead.

use reqwest::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use super::client::{Client, RawComment, jira_time, json_body, refusal, transport};
use crate::model::{Deployment, StatusCategory, TicketComment, TicketRound, TicketState};
use crate::net::Failure;

/// Issues per page: what Cloud returns at most when fields are asked for.
const PAGE: usize = 100;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Category {
    key: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Status {
    name: String,
    status_category: Option<Category>,
}

#[derive(Deserialize)]
struct Named {
    name: String,
}

/// The issue's `comment` field in search results (`PageOfComments`).
#[derive(Deserialize, Default)]
struct Comments {
    #[serde(default)]
    comments: Vec<RawComment>,
}

#[derive(Deserialize)]
struct Fields {
    status: Status,
    resolution: Option<Named>,
    updated: Option<String>,
    #[serde(default)]
    comment: Comments,
}

#[derive(Deserialize)]
struct Hit {
    id: String,
    key: String,
    fields: Fields,
}

/// One page of either deployment's search: Cloud's `nextPageToken`, Data Center's `total`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Page {
    issues: Vec<Hit>,
    next_page_token: Option<String>,
    total: Option<usize>,
}

impl From<Hit> for TicketState {
    fn from(hit: Hit) -> Self {
        Self {
            category: hit
                .fields
                .status
                .status_category
                .map_or(StatusCategory::InProgress, |c| {
                    StatusCategory::from_jira(&c.key)
                }),
            status: hit.fields.status.name,
            resolution: hit.fields.resolution.map(|r| r.name),
            updated: hit.fields.updated.as_deref().and_then(jira_time),
            comments: hit
                .fields
                .comment
                .comments
                .into_iter()
                .map(TicketComment::from)
                .collect(),
            id: hit.id,
            key: hit.key,
        }
    }
}

/// The keys among `asked` that a refused search names as not there.
fn missing_keys(body: &str, asked: &[String]) -> Vec<String> {
    let Ok(json) = serde_json::from_str::<Value>(body) else {
        return Vec::new();
    };
    json["errorMessages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|m| m.contains("for field 'key'"))
        .filter_map(|m| m.split('\'').nth(1))
        .filter(|key| asked.iter().any(|a| a == key))
        .map(str::to_owned)
        .collect()
}

/// A search's page, or the keys it named as not there.
enum Answer {
    Page(Page),
    Missing(Vec<String>),
}

/// What a search for some keys came to: every ticket, or the keys it named as not there.
enum Searched {
    Found(Vec<TicketState>),
    Missing(Vec<String>),
}

impl Client {
    /// Where each of `keys` stands, in as few requests as the page size allows.
    pub async fn ticket_states(&self, keys: &[String]) -> Result<TicketRound, Failure> {
        let mut round = TicketRound::default();
        let mut asking: Vec<String> = keys.to_vec();
        // Each refusal takes at least one key out, so this ends.
        while !asking.is_empty() {
            match self.search_keys(&asking, &mut round.requests).await? {
                Searched::Found(found) => {
                    round.found = found;
                    break;
                }
                Searched::Missing(missing) => {
                    asking.retain(|k| !missing.contains(k));
                    round.gone.extend(missing);
                }
            }
        }
        if self.settings().desk.is_some() && !round.gone.is_empty() {
            self.through_the_desk(&mut round).await?;
        }
        Ok(round)
    }

    /// Every page of one search for `keys`, counting the requests.
    async fn search_keys(
        &self,
        keys: &[String],
        requests: &mut usize,
    ) -> Result<Searched, Failure> {
        let mut found = Vec::new();
        let mut next: Option<String> = None;
        loop {
            *requests += 1;
            let page = match self.search_page(keys, found.len(), next.as_deref()).await? {
                Answer::Page(page) => page,
                Answer::Missing(missing) => return Ok(Searched::Missing(missing)),
            };
            let empty = page.issues.is_empty();
            found.extend(page.issues.into_iter().map(TicketState::from));
            next = page.next_page_token;
            let last = match self.settings().deployment {
                Deployment::Cloud => next.is_none(),
                Deployment::DataCenter => page.total.is_none_or(|total| found.len() >= total),
            };
            if empty || last {
                return Ok(Searched::Found(found));
            }
        }
    }

    async fn search_page(
        &self,
        keys: &[String],
        start: usize,
        token: Option<&str>,
    ) -> Result<Answer, Failure> {
        let mut body = json!({
            "jql": format!("key in ({}) ORDER BY key", keys.join(", ")),
            "fields": ["status", "resolution", "updated", "comment"],
            "maxResults": PAGE,
        });
        // Cloud removed `/search` for `/search/jql`, which pages by token; Data Center pages by
        // position.
        let endpoint = match self.settings().deployment {
            Deployment::Cloud => {
                if let Some(token) = token {
                    body["nextPageToken"] = json!(token);
                }
                "search/jql"
            }
            Deployment::DataCenter => {
                body["startAt"] = json!(start);
                "search"
            }
        };
        let response =
            transport(self.authed(self.http().post(self.url(endpoint)).json(&body))).await?;
        if response.status() == StatusCode::BAD_REQUEST {
            let text = response.text().await.unwrap_or_default();
            let missing = missing_keys(&text, keys);
            if !missing.is_empty() {
                return Ok(Answer::Missing(missing));
            }
            return Err(Failure::Definite(format!(
                "Jira refused the status search. Jira said: {}",
                text.chars().take(300).collect::<String>()
            )));
        }
        Ok(Answer::Page(json_body(refusal(response).await?).await?))
    }

    /// Requests the project's search did not show, read one by one as their customer sees
    /// them: those the desk answers for are found, the rest stay gone.
    async fn through_the_desk(&self, round: &mut TicketRound) -> Result<(), Failure> {
        let mut gone = Vec::new();
        for key in std::mem::take(&mut round.gone) {
            round.requests += 1;
            match self.request_state(&key).await {
                Ok(state) => round.found.push(state),
                Err(Failure::Definite(_)) => gone.push(key),
                Err(other) => return Err(other),
            }
        }
        round.gone = gone;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_wordings_of_a_missing_key_are_read_and_only_keys_asked_count() {
        let asked = ["ONB-1".to_owned(), "ONB-2".to_owned(), "ONB-3".to_owned()];
        let body = r#"{"errorMessages":["An issue with key 'ONB-2' does not exist for field 'key'.","The issue key 'ONB-3' for field 'key' is invalid.","The issue key 'XYZ-9' for field 'key' is invalid.","Field 'x' does not exist."],"warningMessages":[]}"#;
        assert_eq!(missing_keys(body, &asked), ["ONB-2", "ONB-3"]);
        assert!(missing_keys("not json", &asked).is_empty());
    }

    #[test]
    fn jira_times_are_read_with_their_offset() {
        assert_eq!(
            jira_time("2026-12-07T10:15:30.000+0100"),
            Some("2026-12-07T09:15:30Z".parse().unwrap())
        );
        assert_eq!(jira_time("yesterday"), None);
    }
}
