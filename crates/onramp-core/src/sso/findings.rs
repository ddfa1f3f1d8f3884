//! What is wrong, or about to be, with the identity provider's settings, each finding with what
//! to ask the customer: the things an engineer would otherwise find days later.

use jiff::{Timestamp, ToSpan};

use super::certificate::Certificate;
use super::metadata::Metadata;
use crate::model::{Finding, Severity};
use crate::playbook::Provider;

/// A certificate that expires within this many days is flagged.
pub const EXPIRY_WARNING_DAYS: i64 = 60;

fn finding(severity: Severity, message: String, ask: &str) -> Finding {
    Finding {
        severity,
        message,
        ask: ask.to_owned(),
    }
}

fn day(t: Timestamp) -> String {
    t.strftime("%-d %b %Y").to_string()
}

/// Whether `host` is `suffix` or one of its subdomains.
fn under(host: &str, suffix: &str) -> bool {
    host == suffix || host.ends_with(&format!(".{suffix}"))
}

/// Everything worth telling about `metadata` for a request to `provider` (when there is one),
/// checked at `now`; `providers` is the playbook's list, to recognise an IdP by its hosts.
pub fn metadata_findings(
    metadata: &Metadata,
    provider: Option<&Provider>,
    providers: &[Provider],
    now: Timestamp,
) -> Vec<Finding> {
    let mut out = Vec::new();
    if metadata.entity_id.is_none() {
        out.push(finding(
            Severity::Problem,
            "The metadata has no entity ID (issuer).".into(),
            "Ask for the metadata exported from the SAML app itself; the entity ID is how we recognise their sign-ins.",
        ));
    }
    if metadata.sso_urls.is_empty() {
        out.push(finding(
            Severity::Problem,
            "The metadata has no SSO URL.".into(),
            "Ask for the metadata of the SAML app (not of the whole organisation): it lists where users sign in.",
        ));
    }
    for endpoint in &metadata.sso_urls {
        if !endpoint.location.starts_with("https://") {
            out.push(finding(
                Severity::Problem,
                format!("The SSO URL {} is not https.", endpoint.location),
                "Ask the customer's admin for the https:// sign-in address; we never send users to an unencrypted one.",
            ));
        }
    }
    out.extend(certificate_findings(&metadata.certificates, now));
    let mut hosts = metadata.hosts();
    let mut seen = std::collections::HashSet::new();
    hosts.retain(|h| seen.insert(h.clone()));
    let owner = |p: &Provider| {
        hosts
            .iter()
            .any(|h| p.idp_hosts.iter().any(|s| under(h, s)))
    };
    let chosen = provider.map(|p| p.id.as_str());
    let other = providers
        .iter()
        .find(|p| Some(p.id.as_str()) != chosen && owner(p));
    match (provider, other) {
        (Some(provider), Some(other)) if !provider.idp_hosts.is_empty() && !owner(provider) => {
            out.push(finding(
                Severity::Warning,
                format!(
                    "This metadata is {}'s, not {}'s (it points at {}).",
                    other.name,
                    provider.name,
                    hosts.join(", ")
                ),
                &format!(
                    "Check with the customer which identity provider they use; if it is {}, start the request for {} instead.",
                    other.name, other.name
                ),
            ));
        }
        (None, Some(other)) => out.push(finding(
            Severity::Note,
            format!("This metadata is {}'s.", other.name),
            &format!("Start the request for {}.", other.name),
        )),
        _ => {}
    }
    out.sort_by_key(|f| f.severity);
    out
}

/// What the signing certificates alone tell: none, several, expired, expiring or not yet valid.
pub fn certificate_findings(certificates: &[Certificate], now: Timestamp) -> Vec<Finding> {
    let mut out = Vec::new();
    match certificates {
        [] => out.push(finding(
            Severity::Problem,
            "The metadata has no signing certificate.".into(),
            "Ask for the metadata exported after the SAML app was saved: without its certificate no sign-in can be trusted.",
        )),
        [_, _, ..] => out.push(finding(
            Severity::Note,
            format!(
                "The metadata has {} signing certificates: a certificate rotation is in progress.",
                certificates.len()
            ),
            "Ask which certificate is active and when the old one will be removed.",
        )),
        [_] => {}
    }
    let soon = now
        .checked_add((EXPIRY_WARNING_DAYS * 24).hours())
        .unwrap_or(now);
    for cert in certificates {
        if cert.not_after <= now {
            out.push(finding(
                Severity::Problem,
                format!("The signing certificate expired on {}.", day(cert.not_after)),
                "Ask the customer's admin to create a new signing certificate, make it active, and send the new metadata.",
            ));
        } else if cert.not_after <= soon {
            // A day begun counts: "in 40 days" for 39 days and some hours.
            let days = (cert.not_after.as_second() - now.as_second() + 86_399) / 86_400;
            out.push(finding(
                Severity::Warning,
                format!(
                    "The signing certificate expires on {}, in {days} days.",
                    day(cert.not_after)
                ),
                "Ask when they will rotate it: sign-ins stop that day unless the new certificate reaches Support first.",
            ));
        } else if cert.not_before > now {
            out.push(finding(
                Severity::Warning,
                format!(
                    "The signing certificate is valid only from {}.",
                    day(cert.not_before)
                ),
                "Ask whether this is the certificate in use today.",
            ));
        }
    }
    out
}
