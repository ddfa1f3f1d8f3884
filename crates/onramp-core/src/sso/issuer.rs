//! An OpenID Connect issuer checked the way the engineer's relying party will use it: its
//! discovery document must exist and name the issuer exactly as the customer gave it.

use crate::model::{Finding, Severity};

/// The findings for `issuer` (none when it answers as itself), or why it could not be reached.
pub async fn check(issuer: &str) -> Result<Vec<Finding>, String> {
    let parsed = url::Url::parse(issuer).map_err(|_| format!("{issuer} is not a web address"))?;
    if parsed.scheme() != "https" && !crate::net::is_loopback(&parsed) {
        return Ok(vec![problem(
            format!("The issuer {issuer} is not https."),
            "Ask for the issuer URL exactly as their identity provider shows it; it starts with https://.",
        )]);
    }
    let discovery = format!(
        "{}/.well-known/openid-configuration",
        issuer.trim_end_matches('/')
    );
    let client = crate::net::http_client().map_err(|e| e.to_string())?;
    let response = client
        .get(&discovery)
        .send()
        .await
        .map_err(|e| crate::net::transport_failure("The issuer URL", &e).to_string())?;
    if !response.status().is_success() {
        return Ok(vec![problem(
            format!(
                "The issuer serves no OpenID configuration ({} at {discovery}).",
                response.status()
            ),
            "Ask for the issuer URL exactly as their identity provider shows it (for Okta, the authorization server's Issuer, such as https://acme.okta.com/oauth2/default).",
        )]);
    }
    let Ok(config) = response.json::<serde_json::Value>().await else {
        return Ok(vec![problem(
            format!("{discovery} is not an OpenID configuration (not JSON)."),
            "Ask for the issuer URL exactly as their identity provider shows it.",
        )]);
    };
    Ok(
        match config.get("issuer").and_then(serde_json::Value::as_str) {
            Some(named) if named == issuer => Vec::new(),
            Some(named) => vec![problem(
                format!("The issuer's configuration names it {named}, not {issuer}."),
                "Use the issuer exactly as the configuration names it (a trailing slash matters), or ask the customer which is right.",
            )],
            None => vec![problem(
                format!("{discovery} names no issuer."),
                "Ask for the issuer URL exactly as their identity provider shows it.",
            )],
        },
    )
}

fn problem(message: String, ask: &str) -> Finding {
    Finding {
        severity: Severity::Problem,
        message,
        ask: ask.to_owned(),
    }
}
