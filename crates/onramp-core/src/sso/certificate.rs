//! A signing certificate as the CSM and the engineer need it: who it names, when it expires, and
//! its SHA-256 fingerprint to compare with what the customer's admin console shows.

use base64::Engine as _;
use jiff::Timestamp;
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Certificate {
    pub subject: String,
    pub issuer: String,
    #[ts(type = "string")]
    pub not_before: Timestamp,
    #[ts(type = "string")]
    pub not_after: Timestamp,
    /// Upper-case hex pairs joined by colons, as admin consoles show it.
    pub sha256: String,
    /// The certificate as PEM, for the signing-certificate field.
    pub pem: String,
}

/// A DER certificate in base64, as metadata carries it.
pub fn from_base64(text: &str) -> Result<Certificate, String> {
    let der = base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|_| "A signing certificate in the metadata is not valid base64: the file was probably edited by hand. Ask the customer to export it again.".to_owned())?;
    from_der(&der)
}

/// The first certificate in PEM text (`-----BEGIN CERTIFICATE-----`).
pub fn from_pem(text: &str) -> Result<Certificate, String> {
    let (_, pem) = x509_parser::pem::parse_x509_pem(text.trim().as_bytes()).map_err(|_| {
        "This is not a PEM certificate: it should start with -----BEGIN CERTIFICATE-----."
            .to_owned()
    })?;
    if pem.label != "CERTIFICATE" {
        return Err(format!(
            "This is a {}, not a certificate. Certificates are public; never ask for a private key.",
            pem.label.to_lowercase()
        ));
    }
    from_der(&pem.contents)
}

fn from_der(der: &[u8]) -> Result<Certificate, String> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).map_err(|e| {
        format!(
            "A signing certificate could not be read ({e}). Ask the customer to export it again."
        )
    })?;
    let time = |t: x509_parser::time::ASN1Time| {
        Timestamp::from_second(t.timestamp())
            .map_err(|e| format!("a certificate date is out of range: {e}"))
    };
    let validity = cert.validity();
    let fingerprint = Sha256::digest(der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":");
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect();
    Ok(Certificate {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        not_before: time(validity.not_before)?,
        not_after: time(validity.not_after)?,
        sha256: fingerprint,
        pem: format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----",
            lines.join("\n")
        ),
    })
}
