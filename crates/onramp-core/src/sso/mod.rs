//! Checks of what the customer sent for SSO, offline and at the moment it is entered: the SAML
//! metadata (pasted, from a file, or fetched from its URL) and the signing certificate, with
//! findings that say what to ask the customer. The ticket and the recap carry them.

pub mod certificate;
pub mod findings;
pub mod issuer;
pub mod metadata;

use std::collections::BTreeMap;

use serde::Serialize;
use ts_rs::TS;

pub use crate::model::{Finding, Severity};
pub use certificate::Certificate;
pub use metadata::Metadata;

use crate::answers::AnswerValue;
use crate::model::{Draft, DraftId, FetchedMetadata};
use crate::playbook::Protocol;
use crate::playbook::fields::sso as field;
use crate::playbook::templates::Line;
use crate::work::Work;
use crate::{Result, store};

/// What Onramp found in the identity provider's settings of a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SsoChecks {
    /// Where the checked values came from, e.g. "the pasted metadata".
    pub source: Option<String>,
    pub metadata: Option<Metadata>,
    /// The signing certificate typed in, when there is no metadata.
    pub certificate: Option<Certificate>,
    /// Why the metadata or certificate could not be read.
    pub error: Option<String>,
    /// A metadata URL not fetched yet (offline): it is fetched on submit.
    pub pending_url: Option<String>,
    /// An OpenID Connect issuer not checked yet: it is checked on submit.
    pub pending_issuer: Option<String>,
    pub findings: Vec<Finding>,
}

/// The draft with the answers to questions not asked right now (their `when` does not hold)
/// left out: a metadata URL kept from before the CSM chose "Metadata XML file" is not checked.
fn asked(w: &Work<'_>, id: DraftId) -> Result<Draft> {
    let mut draft = w.draft(id)?;
    let hidden = w.readiness(&draft)?.hidden;
    draft.answers.retain(|field, _| !hidden.contains(field));
    Ok(draft)
}

/// The answers metadata fills in: entity ID, SSO URL and the (first) signing certificate.
fn filled_from(metadata: &Metadata) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(entity) = &metadata.entity_id {
        out.push((field::ENTITY_ID, entity.clone()));
    }
    if let Some(sso) = metadata.preferred_sso_url() {
        out.push((field::SSO_URL, sso.location.clone()));
    }
    if let Some(cert) = metadata.certificates.first() {
        out.push((field::CERTIFICATE, cert.pem.clone()));
    }
    out
}

/// Fetches metadata from `url`: https only (http on this machine, for tests), with a timeout
/// and the same size cap as a file.
pub async fn fetch(url: &str) -> std::result::Result<Vec<u8>, String> {
    let parsed = url::Url::parse(url).map_err(|_| format!("{url} is not a web address"))?;
    if parsed.scheme() != "https" && !crate::net::is_loopback(&parsed) {
        return Err("The metadata URL must start with https://.".into());
    }
    let client = crate::net::http_client().map_err(|e| e.to_string())?;
    let mut response = client
        .get(parsed)
        .send()
        .await
        .map_err(|e| crate::net::transport_failure("The metadata URL", &e).to_string())?;
    if !response.status().is_success() {
        return Err(format!(
            "The metadata URL answered {}: check it with the customer (it may need to be the app's metadata link, which anyone can open).",
            response.status()
        ));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| format!("the metadata download broke off: {e}"))?
    {
        body.extend_from_slice(&chunk);
        if body.len() > metadata::MAX_BYTES {
            return Err(
                "The metadata URL sends far more than an identity provider's metadata.".into(),
            );
        }
    }
    Ok(body)
}

/// The text of a metadata file the CSM dropped or picked; refused, with the reason, when it
/// cannot be metadata.
pub(crate) fn read_metadata_file(path: &std::path::Path) -> Result<String> {
    let bytes = match crate::files::read_limited(path, metadata::MAX_BYTES as u64)? {
        crate::files::Limited::Read(bytes) => bytes,
        crate::files::Limited::TooLarge(size) => {
            return Err(crate::Error::InvalidInput(metadata::too_large(size)));
        }
    };
    metadata::parse(&bytes).map_err(crate::Error::InvalidInput)?;
    Ok(String::from_utf8(bytes).unwrap_or_default())
}

fn uses_saml(w: &Work<'_>, draft: &Draft) -> bool {
    w.playbook
        .provider(&draft.provider_id)
        .is_ok_and(|p| p.protocols.contains(&Protocol::Saml))
}

/// The draft's metadata URL when it has not been fetched yet (or was fetched for another URL).
pub(crate) fn metadata_url_to_fetch(w: &Work<'_>, id: DraftId) -> Result<Option<String>> {
    let draft = asked(w, id)?;
    let Some(url) = draft
        .text(field::METADATA_URL)
        .filter(|_| uses_saml(w, &draft))
    else {
        return Ok(None);
    };
    let done = store::sso::fetched(w.conn(), id)?.is_some_and(|f| f.url == url && f.body.is_some());
    Ok((!done).then(|| url.to_owned()))
}

/// Keeps what fetching `url` gave, and fills the fields the metadata answers.
pub(crate) fn store_fetched(
    w: &Work<'_>,
    id: DraftId,
    url: &str,
    result: std::result::Result<Vec<u8>, String>,
) -> Result<SsoChecks> {
    let (body, error) = match result {
        Ok(body) => (Some(body), None),
        Err(e) => (None, Some(e)),
    };
    let parsed = body.as_deref().map(metadata::parse);
    let fetched = FetchedMetadata {
        url: url.to_owned(),
        body,
        error,
        at: w.now,
    };
    store::sso::set_fetched(w.conn(), id, &fetched)?;
    if let Some(Ok(metadata)) = &parsed {
        fill_from(w, id, metadata)?;
        w.refresh(id)?;
    }
    checks(w, id)
}

/// Fills the entity ID, SSO URL and certificate `metadata` holds; returns what it filled.
pub(crate) fn fill_from(
    w: &Work<'_>,
    id: DraftId,
    metadata: &Metadata,
) -> Result<BTreeMap<String, AnswerValue>> {
    let mut filled = BTreeMap::new();
    for (field_id, value) in filled_from(metadata) {
        let value = AnswerValue::Text(value);
        w.store_answer(id, field_id, Some(&value))?;
        filled.insert(field_id.to_owned(), value);
    }
    Ok(filled)
}

/// Keeps what checking the OpenID Connect `issuer` found.
pub(crate) fn store_issuer_check(
    w: &Work<'_>,
    id: DraftId,
    issuer: &str,
    found: &[Finding],
) -> Result<()> {
    store::sso::set_issuer_findings(w.conn(), id, issuer, found, w.now)
}

/// What Onramp found in the draft's identity provider settings.
pub(crate) fn checks(w: &Work<'_>, id: DraftId) -> Result<SsoChecks> {
    let draft = asked(w, id)?;
    let provider = w.provider(&draft.provider_id)?;
    let mut checks = SsoChecks {
        source: None,
        metadata: None,
        certificate: None,
        error: None,
        pending_url: None,
        pending_issuer: None,
        findings: Vec::new(),
    };
    if let Some(issuer) = draft.text(field::ISSUER) {
        match store::sso::issuer_findings(w.conn(), id, issuer)? {
            Some(found) => checks.findings.extend(found),
            None => checks.pending_issuer = Some(issuer.to_owned()),
        }
    }
    if !uses_saml(w, &draft) {
        return Ok(checks);
    }
    let now = w.now;
    let pasted = draft.text(field::METADATA_XML);
    let url = draft.text(field::METADATA_URL);
    let fetched = store::sso::fetched(w.conn(), id)?.filter(|f| Some(f.url.as_str()) == url);
    let read = if let Some(xml) = pasted {
        Some((
            "the pasted metadata".to_owned(),
            metadata::parse(xml.as_bytes()),
        ))
    } else if let Some(f) = &fetched {
        let when = f.at.strftime("%-d %b %Y").to_string();
        match (&f.body, &f.error) {
            (Some(body), _) => Some((
                format!("the metadata fetched from {} on {when}", f.url),
                metadata::parse(body),
            )),
            (None, error) => {
                checks.pending_url = Some(f.url.clone());
                checks.error.clone_from(error);
                None
            }
        }
    } else {
        checks.pending_url = url.map(str::to_owned);
        None
    };
    match read {
        Some((source, Ok(metadata))) => {
            checks.findings.extend(findings::metadata_findings(
                &metadata,
                Some(provider),
                w.playbook.providers(),
                now,
            ));
            checks.source = Some(source);
            checks.metadata = Some(metadata);
        }
        Some((source, Err(e))) => {
            checks.source = Some(source);
            checks.error = Some(e);
        }
        None => {
            if let Some(pem) = draft.text(field::CERTIFICATE) {
                match certificate::from_pem(pem) {
                    Ok(cert) => {
                        checks.findings.extend(findings::certificate_findings(
                            std::slice::from_ref(&cert),
                            now,
                        ));
                        checks.source = Some("the signing certificate".into());
                        checks.certificate = Some(cert);
                    }
                    Err(e) => checks.error = Some(e),
                }
            }
        }
    }
    checks.findings.sort_by_key(|f| f.severity);
    Ok(checks)
}

/// The Checks section of the ticket and the recap: findings, then what was checked.
pub(crate) fn check_lines(w: &Work<'_>, id: DraftId) -> Result<Vec<Line>> {
    let checks = checks(w, id)?;
    let mut lines: Vec<Line> = checks
        .findings
        .iter()
        .map(|f| {
            let label = match f.severity {
                Severity::Problem => "Problem",
                Severity::Warning => "Warning",
                Severity::Note => "Note",
            };
            Line::new(label, &format!("{} {}", f.message, f.ask))
        })
        .collect();
    if let Some(error) = &checks.error {
        lines.push(Line::new("Could not be checked", error));
    }
    if let Some(url) = &checks.pending_url
        && checks.metadata.is_none()
    {
        lines.push(Line::new(
            "Not fetched yet",
            &format!("the metadata at {url}"),
        ));
    }
    let certs = checks
        .metadata
        .iter()
        .flat_map(|m| &m.certificates)
        .chain(&checks.certificate);
    for cert in certs {
        lines.push(Line::new(
            "Signing certificate",
            &format!(
                "{}, valid until {}, SHA-256 {}",
                cert.subject,
                cert.not_after.strftime("%-d %b %Y"),
                cert.sha256
            ),
        ));
    }
    if let Some(source) = &checks.source
        && !lines.is_empty()
    {
        lines.push(Line::new("Checked", source));
    }
    Ok(lines)
}
