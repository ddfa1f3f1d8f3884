//! Checks of what the customer sent for SSO, offline and at the moment it is entered: the SAML
//! metadata (pasted, from a file, or fetched from its URL) and the signing certificate, with
//! findings that say what to ask the customer. The ticket and the recap carry them.

pub mod certificate;
pub mod findings;
pub mod issuer;
pub mod metadata;

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use ts_rs::TS;

pub use certificate::Certificate;
pub use findings::{Finding, Severity};
pub use metadata::Metadata;

use crate::answers::AnswerValue;
use crate::drafts::{self, Draft, DraftId, from_millis, millis};
use crate::playbook::Protocol;
use crate::ticket::Line;
use crate::{Onramp, Result};

/// The playbook's field IDs for the identity provider's settings (shared by every SAML provider).
pub mod field {
    pub const METADATA_URL: &str = "metadata_url";
    pub const METADATA_XML: &str = "metadata_xml";
    pub const SSO_URL: &str = "idp_sso_url";
    pub const ENTITY_ID: &str = "idp_entity_id";
    pub const CERTIFICATE: &str = "signing_certificate";
    pub const ISSUER: &str = "oidc_issuer";
}

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
fn asked(onramp: &Onramp, mut draft: Draft) -> Result<Draft> {
    let hidden = onramp.readiness_of_draft(&draft)?.hidden;
    draft.answers.retain(|field, _| !hidden.contains(field));
    Ok(draft)
}

fn text<'a>(draft: &'a Draft, id: &str) -> Option<&'a str> {
    draft
        .answers
        .get(id)
        .and_then(AnswerValue::as_text)
        .map(str::trim)
        .filter(|t| !t.is_empty())
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
    if parsed.scheme() != "https" && !crate::jira::is_loopback(&parsed) {
        return Err("The metadata URL must start with https://.".into());
    }
    let client = crate::jira::http_client().map_err(|e| e.to_string())?;
    let mut response = client
        .get(parsed)
        .send()
        .await
        .map_err(|e| crate::jira::transport_failure("The metadata URL", &e).to_string())?;
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

/// The findings of the last check of `issuer`, if it was checked.
fn checked_issuer(conn: &Connection, id: DraftId, issuer: &str) -> Result<Option<Vec<Finding>>> {
    let json: Option<String> = conn
        .query_row(
            "SELECT findings FROM issuer_checks WHERE draft_id = ?1 AND issuer = ?2",
            params![id.to_string(), issuer],
            |r| r.get(0),
        )
        .optional()?;
    json.map(|j| serde_json::from_str(&j).map_err(|e| crate::Error::Storage(e.to_string())))
        .transpose()
}

struct Fetched {
    url: String,
    body: Option<Vec<u8>>,
    error: Option<String>,
    at: Timestamp,
}

fn fetched(conn: &Connection, id: DraftId) -> Result<Option<Fetched>> {
    Ok(conn
        .query_row(
            "SELECT url, body, error, fetched_at FROM fetched_metadata WHERE draft_id = ?1",
            [id.to_string()],
            |r| {
                Ok(Fetched {
                    url: r.get(0)?,
                    body: r.get(1)?,
                    error: r.get(2)?,
                    at: from_millis(r.get(3)?)?,
                })
            },
        )
        .optional()?)
}

impl Onramp {
    fn uses_saml(&self, draft: &Draft) -> bool {
        self.playbook()
            .provider(&draft.provider_id)
            .is_ok_and(|p| p.protocols.contains(&Protocol::Saml))
    }

    /// The draft's metadata URL when it has not been fetched yet (or was fetched for another URL).
    pub fn metadata_url_to_fetch(&self, id: DraftId) -> Result<Option<String>> {
        let draft = asked(self, drafts::get(&self.conn, id)?)?;
        let Some(url) = text(&draft, field::METADATA_URL).filter(|_| self.uses_saml(&draft)) else {
            return Ok(None);
        };
        let done = fetched(&self.conn, id)?.is_some_and(|f| f.url == url && f.body.is_some());
        Ok((!done).then(|| url.to_owned()))
    }

    /// Keeps what fetching `url` gave, and fills the fields the metadata answers.
    pub fn store_fetched_metadata(
        &mut self,
        id: DraftId,
        url: &str,
        result: std::result::Result<Vec<u8>, String>,
    ) -> Result<SsoChecks> {
        let now = self.clock.now();
        let (body, error) = match result {
            Ok(body) => (Some(body), None),
            Err(e) => (None, Some(e)),
        };
        let parsed = body.as_deref().map(metadata::parse);
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO fetched_metadata (draft_id, url, body, error, fetched_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (draft_id) DO UPDATE SET url = excluded.url, body = excluded.body,
               error = excluded.error, fetched_at = excluded.fetched_at",
            params![id.to_string(), url, body, error, millis(now)],
        )?;
        if let Some(Ok(metadata)) = &parsed {
            Self::fill_from(&tx, self.source, id, metadata, now)?;
        }
        tx.commit()?;
        self.sso_checks(id)
    }

    /// Fills the entity ID, SSO URL and certificate `metadata` holds, in the caller's transaction.
    pub(crate) fn fill_from(
        tx: &Connection,
        source: crate::history::Source,
        id: DraftId,
        metadata: &Metadata,
        now: Timestamp,
    ) -> Result<()> {
        for (field_id, value) in filled_from(metadata) {
            let fill = drafts::AnswerUpdate {
                draft_id: id,
                field_id: field_id.to_owned(),
                value: Some(AnswerValue::Text(value)),
            };
            Self::store_answer(tx, source, &fill, now)?;
        }
        Ok(())
    }

    /// A metadata file dropped on the window: its text becomes the Metadata XML answer (which
    /// fills the fields it holds). Refused, with the reason, when it cannot be metadata.
    pub fn metadata_from_file(&mut self, id: DraftId, path: &std::path::Path) -> Result<SsoChecks> {
        let bytes = crate::files::read_limited(path, metadata::MAX_BYTES as u64)?;
        metadata::parse(&bytes).map_err(crate::Error::InvalidInput)?;
        let xml = String::from_utf8(bytes).unwrap_or_default();
        self.set_answer(&drafts::AnswerUpdate {
            draft_id: id,
            field_id: field::METADATA_XML.to_owned(),
            value: Some(AnswerValue::Text(xml)),
        })?;
        self.sso_checks(id)
    }

    /// What Onramp found in the draft's identity provider settings.
    pub fn sso_checks(&self, id: DraftId) -> Result<SsoChecks> {
        let draft = asked(self, drafts::get(&self.conn, id)?)?;
        let provider = self.playbook().provider(&draft.provider_id)?;
        let mut checks = SsoChecks {
            source: None,
            metadata: None,
            certificate: None,
            error: None,
            pending_url: None,
            pending_issuer: None,
            findings: Vec::new(),
        };
        if let Some(issuer) = text(&draft, field::ISSUER) {
            match checked_issuer(&self.conn, id, issuer)? {
                Some(found) => checks.findings.extend(found),
                None => checks.pending_issuer = Some(issuer.to_owned()),
            }
        }
        if !self.uses_saml(&draft) {
            return Ok(checks);
        }
        let now = self.clock.now();
        let pasted = text(&draft, field::METADATA_XML);
        let url = text(&draft, field::METADATA_URL);
        let fetched = fetched(&self.conn, id)?.filter(|f| Some(f.url.as_str()) == url);
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
                    self.playbook().providers(),
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
                if let Some(pem) = text(&draft, field::CERTIFICATE) {
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
    pub(crate) fn check_lines(&self, id: DraftId) -> Result<Vec<Line>> {
        let checks = self.sso_checks(id)?;
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

    /// What needs the network and was not done yet: fetch the metadata URL, check the OIDC
    /// issuer. Run on demand and on submit (so the ticket carries the results); failing to reach
    /// either is recorded and never stops the ticket.
    pub async fn check_online(core: &std::sync::Mutex<Self>, id: DraftId) -> Result<SsoChecks> {
        // Every write is one transaction: a panic elsewhere leaves the store consistent.
        let lock = || {
            core.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        let url = lock().metadata_url_to_fetch(id)?;
        if let Some(url) = url {
            let result = fetch(&url).await;
            lock().store_fetched_metadata(id, &url, result)?;
        }
        let issuer = lock().sso_checks(id)?.pending_issuer;
        let mut unreachable = None;
        if let Some(issuer) = issuer {
            match issuer::check(&issuer).await {
                Ok(found) => lock().store_issuer_check(id, &issuer, &found)?,
                Err(e) => unreachable = Some(e),
            }
        }
        let mut checks = lock().sso_checks(id)?;
        if checks.error.is_none() {
            checks.error = unreachable;
        }
        Ok(checks)
    }

    fn store_issuer_check(&mut self, id: DraftId, issuer: &str, found: &[Finding]) -> Result<()> {
        let json =
            serde_json::to_string(found).map_err(|e| crate::Error::Storage(e.to_string()))?;
        self.conn.execute(
            "INSERT INTO issuer_checks (draft_id, issuer, findings, checked_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (draft_id) DO UPDATE SET issuer = excluded.issuer,
               findings = excluded.findings, checked_at = excluded.checked_at",
            params![id.to_string(), issuer, json, millis(self.clock.now())],
        )?;
        Ok(())
    }
}
