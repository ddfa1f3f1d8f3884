//! Raising a request in the support channel through a Slack incoming webhook.

use serde_json::json;

use crate::net::{http_client, transport_failure};
use crate::{Error, Result};

/// Posts `text` as it is: `mrkdwn: false`, so a company called `*ACME*` is not made bold.
pub async fn post(webhook: &url::Url, text: &str) -> Result<()> {
    let http = http_client().map_err(|f| Error::Slack(f.to_string()))?;
    let response = http
        .post(webhook.as_str())
        .json(&json!({ "text": text, "mrkdwn": false }))
        .send()
        .await
        .map_err(|e| Error::Slack(transport_failure("Slack", &e).to_string()))?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    // Slack answers a short code in plain text: `no_service`, `invalid_token`, ….
    let code = response.text().await.unwrap_or_default();
    let what = match code.trim() {
        "no_service" | "no_active_hooks" | "invalid_token" => {
            "the webhook was removed or turned off in Slack; create a new one and enter it in Settings"
        }
        "channel_not_found" | "channel_is_archived" => {
            "the webhook's channel no longer exists; create a webhook for the support channel"
        }
        "action_prohibited" | "posting_to_general_channel_denied" => {
            "a Slack admin has blocked this webhook from posting"
        }
        _ => "the message was not posted",
    };
    Err(Error::Slack(format!(
        "Slack refused ({} {}): {what}.",
        status.as_u16(),
        code.trim()
    )))
}
