//! HTTP as every outside service is reached: one client that trusts the OS's certificates, and
//! every failure sorted by what may be done about it, in words a CSM can act on.

use std::sync::Once;
use std::time::Duration;

/// How long one call may take before its outcome counts as unknown.
pub const TIMEOUT: Duration = Duration::from_mins(1);

/// Why a call did not succeed, sorted by what may be done about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Retrying cannot fix it; the message says what to fix.
    Definite(String),
    /// The service did not accept the credentials: a new token fixes it.
    Unauthorized(String),
    /// The service asked us to wait this long; `reason` names the limit, when it says.
    RateLimited {
        wait: Duration,
        reason: Option<String>,
    },
    /// The request may have been applied or not (timeout, dropped connection, server error):
    /// look before doing it again.
    Ambiguous(String),
    /// Nothing reached the service (no network, refused connection): safe to retry.
    Unreachable(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Definite(m)
            | Self::Unauthorized(m)
            | Self::Ambiguous(m)
            | Self::Unreachable(m) => f.write_str(m),
            Self::RateLimited { wait, reason } => {
                let which = reason.as_ref().map(|r| format!(" ({r})"));
                write!(
                    f,
                    "Jira is limiting requests{}; trying again in {} s",
                    which.unwrap_or_default(),
                    wait.as_secs().max(1)
                )
            }
        }
    }
}

/// Whether `url` points at this machine, where plain http cannot be overheard.
pub fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// An HTTPS client that trusts the operating system's certificates (corporate proxies put
/// their own CA there) through rustls' platform verifier.
pub fn http_client() -> Result<reqwest::Client, Failure> {
    static PROVIDER: Once = Once::new();
    PROVIDER.call_once(|| {
        // Another part of the process may have installed one already; either is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .user_agent(concat!("Onramp/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| Failure::Definite(format!("Onramp could not set up HTTPS: {e}")))
}

/// A request that got no HTTP answer, in words: reqwest's own ("error sending request for
/// url …") mean nothing to a CSM; the service, the site and the kind of failure do.
pub fn transport_failure(service: &str, e: &reqwest::Error) -> Failure {
    let site = e.url().map_or_else(String::new, |u| {
        format!(" at {}", u.origin().ascii_serialization())
    });
    let tls = std::iter::successors(Some(e as &Cause), |&e| cause(e))
        .find_map(|e| e.downcast_ref::<rustls::Error>());
    if let Some(tls) = tls {
        Failure::Unreachable(format!(
            "No secure connection to {service}{site}: {tls}. If your company's network inspects HTTPS, ask IT to install its certificate on this computer; otherwise check the site URL."
        ))
    } else if e.is_connect() {
        Failure::Unreachable(format!(
            "{service} could not be reached{site}: no network, or the site URL is wrong."
        ))
    } else if e.is_timeout() {
        Failure::Ambiguous(format!(
            "{service} did not answer{site} within {} s.",
            TIMEOUT.as_secs()
        ))
    } else {
        Failure::Ambiguous(format!("the connection to {service}{site} broke off."))
    }
}

type Cause = dyn std::error::Error + 'static;

/// The error beneath `e`. `io::Error::source` skips the error it wraps, so io errors are
/// stepped into by `get_ref`.
fn cause(e: &Cause) -> Option<&Cause> {
    match e.downcast_ref::<std::io::Error>() {
        Some(io) => io.get_ref().map(|inner| inner as &Cause),
        None => e.source(),
    }
}
