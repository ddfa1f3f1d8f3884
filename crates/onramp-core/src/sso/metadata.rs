//! SAML 2.0 identity-provider metadata: what the customer's IdP says about itself, read with a
//! namespace-aware parser that refuses DTDs (so no entity expansion, no external entities) and
//! anything larger than real metadata ever is.

use serde::Serialize;
use ts_rs::TS;

use super::certificate::{self, Certificate};

/// Real metadata is a few kilobytes; aggregated federation files are not what a customer sends.
pub const MAX_BYTES: usize = 1024 * 1024;
/// Far above any single IdP's metadata; keeps a hostile file from filling memory.
const MAX_NODES: u32 = 20_000;

const MD: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
const DS: &str = "http://www.w3.org/2000/09/xmldsig#";

/// One `SingleSignOnService`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    /// The binding's last part: `HTTP-Redirect`, `HTTP-POST`, …
    pub binding: String,
    pub location: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    pub entity_id: Option<String>,
    pub sso_urls: Vec<Endpoint>,
    pub name_id_formats: Vec<String>,
    /// Signing certificates (`use="signing"` or no `use`), in document order.
    pub certificates: Vec<Certificate>,
}

impl Metadata {
    /// Host names the metadata points at: its entity ID (when a URL) and SSO URLs.
    pub fn hosts(&self) -> Vec<String> {
        self.entity_id
            .iter()
            .chain(self.sso_urls.iter().map(|e| &e.location))
            .filter_map(|u| url::Url::parse(u).ok()?.host_str().map(str::to_lowercase))
            .collect()
    }

    /// The SSO URL a service provider posts to: HTTP-Redirect first, as most IdPs expect.
    pub fn preferred_sso_url(&self) -> Option<&Endpoint> {
        self.sso_urls
            .iter()
            .find(|e| e.binding == "HTTP-Redirect")
            .or_else(|| self.sso_urls.first())
    }
}

/// Why a file of `size` is not metadata.
pub fn too_large(size: crate::files::Size) -> String {
    format!(
        "This file is {size}; SAML metadata is a few KB. Ask the customer for their identity provider's metadata (one XML file), not an archive or a federation list."
    )
}

/// Parses `bytes` as IdP metadata, or says in plain words why it is not.
pub fn parse(bytes: &[u8]) -> Result<Metadata, String> {
    if bytes.len() > MAX_BYTES {
        return Err(too_large(crate::files::Size {
            bytes: bytes.len() as u64,
            exact: true,
        }));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| "This is not text: SAML metadata is an XML file.".to_owned())?;
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options).map_err(|e| match e {
        roxmltree::Error::DtdDetected => {
            "This XML declares a DTD, which metadata never needs and Onramp does not read (it can hide entity tricks). Ask the customer for the metadata as their identity provider exports it.".to_owned()
        }
        roxmltree::Error::NodesLimitReached => {
            "This XML is far larger than an identity provider's metadata.".to_owned()
        }
        other => format!("This is not well-formed XML ({other}). Ask the customer to send the metadata file itself rather than a copy of the page."),
    })?;
    let entity = doc
        .descendants()
        .find(|n| n.has_tag_name((MD, "EntityDescriptor")))
        .ok_or("This XML is not SAML metadata: it has no EntityDescriptor.")?;
    let idp = entity
        .children()
        .find(|n| n.has_tag_name((MD, "IDPSSODescriptor")))
        .ok_or("This metadata describes a service provider, not an identity provider (it has no IDPSSODescriptor). Ask the customer for their IdP's metadata.")?;
    let sso_urls = idp
        .children()
        .filter(|n| n.has_tag_name((MD, "SingleSignOnService")))
        .filter_map(|n| {
            Some(Endpoint {
                binding: n.attribute("Binding")?.rsplit(':').next()?.to_owned(),
                location: n.attribute("Location")?.trim().to_owned(),
            })
        })
        .collect();
    let name_id_formats = idp
        .children()
        .filter(|n| n.has_tag_name((MD, "NameIDFormat")))
        .filter_map(|n| n.text().map(|t| t.trim().to_owned()))
        .filter(|t| !t.is_empty())
        .collect();
    let mut certificates = Vec::new();
    for key in idp
        .children()
        .filter(|n| n.has_tag_name((MD, "KeyDescriptor")))
        .filter(|n| n.attribute("use").is_none_or(|u| u == "signing"))
    {
        for cert in key
            .descendants()
            .filter(|n| n.has_tag_name((DS, "X509Certificate")))
        {
            let base64: String = cert
                .text()
                .unwrap_or_default()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let parsed = certificate::from_base64(&base64)?;
            if !certificates.contains(&parsed) {
                certificates.push(parsed);
            }
        }
    }
    Ok(Metadata {
        entity_id: entity
            .attribute("entityID")
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(str::to_owned),
        sso_urls,
        name_id_formats,
        certificates,
    })
}
