//! `onramp sso inspect`: what Onramp reads in a customer's SAML metadata, and what to ask them.

use std::io::Write;
use std::path::Path;

use clap::Subcommand;
use onramp_core::clock::{Clock as _, SystemClock};
use onramp_core::sso::{Severity, findings, metadata};
use onramp_core::{Error, Result, files, playbook::Playbook};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse SAML metadata from a file or an https:// URL and list the findings.
    Inspect {
        /// A metadata file, or its https:// URL.
        source: String,
        /// The provider the customer asked for, to notice another identity provider's metadata.
        #[arg(long, value_name = "ID")]
        provider: Option<String>,
    },
}

pub fn run(cmd: &Command) -> Result<()> {
    let Command::Inspect { source, provider } = cmd;
    let playbook = Playbook::load(None)?;
    let provider = provider
        .as_deref()
        .map(|id| playbook.provider(id))
        .transpose()?;
    let bytes = if source.starts_with("https://") || source.starts_with("http://") {
        crate::jira::runtime()?
            .block_on(onramp_core::sso::fetch(source))
            .map_err(Error::InvalidInput)?
    } else {
        match files::read_limited(Path::new(source), metadata::MAX_BYTES as u64)? {
            files::Limited::Read(bytes) => bytes,
            files::Limited::TooLarge(size) => {
                return Err(Error::InvalidInput(metadata::too_large(size)));
            }
        }
    };
    let parsed = metadata::parse(&bytes).map_err(Error::InvalidInput)?;
    let found =
        findings::metadata_findings(&parsed, provider, playbook.providers(), SystemClock.now());
    let mut out = vec![format!(
        "Entity ID: {}",
        parsed.entity_id.as_deref().unwrap_or("(none)")
    )];
    out.extend(
        parsed
            .sso_urls
            .iter()
            .map(|e| format!("SSO URL ({}): {}", e.binding, e.location)),
    );
    out.extend(
        parsed
            .name_id_formats
            .iter()
            .map(|f| format!("NameID format: {f}")),
    );
    for cert in &parsed.certificates {
        out.push(format!(
            "Signing certificate: {}\n  issuer {}\n  valid {} to {}\n  SHA-256 {}",
            cert.subject,
            cert.issuer,
            cert.not_before.strftime("%-d %b %Y"),
            cert.not_after.strftime("%-d %b %Y"),
            cert.sha256
        ));
    }
    if found.is_empty() {
        out.push("No findings.".to_owned());
    }
    for f in &found {
        let label = match f.severity {
            Severity::Problem => "PROBLEM",
            Severity::Warning => "WARNING",
            Severity::Note => "NOTE",
        };
        out.push(format!("{label}: {}\n  Ask: {}", f.message, f.ask));
    }
    writeln!(std::io::stdout(), "{}", out.join("\n")).map_err(Error::from)
}
