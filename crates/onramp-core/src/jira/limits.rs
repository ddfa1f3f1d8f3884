//! How long Jira asks a client to wait, read from the headers of a 429 (or a 503 that carries
//! them): `Retry-After` as seconds or as an HTTP date (RFC 9110 §10.2.3), else
//! `X-RateLimit-Reset`, an ISO 8601 time; `RateLimit-Reason` names the limit that was hit
//! (`jira-burst-based`, `jira-per-issue-on-write`, …). Atlassian "Rate limiting" (Cloud).

use std::time::Duration;

use jiff::Timestamp;
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// What a refusal said about waiting.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Limit {
    /// `None` when no header says (some gateway 429s carry none).
    pub wait: Option<Duration>,
    pub reason: Option<String>,
}

pub(super) fn read(headers: &HeaderMap, now: Timestamp) -> Limit {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let until = |at: Timestamp| Duration::try_from(at.duration_since(now)).unwrap_or_default();
    let retry_after = header(RETRY_AFTER.as_str()).and_then(|v| {
        v.parse::<u64>().map(Duration::from_secs).ok().or_else(|| {
            jiff::fmt::rfc2822::parse(v)
                .ok()
                .map(|z| until(z.timestamp()))
        })
    });
    let reset = || {
        header("x-ratelimit-reset")
            .and_then(|v| v.parse::<Timestamp>().ok())
            .map(until)
    };
    Limit {
        wait: retry_after.or_else(reset),
        // A header is text the site chose: keep it short and printable.
        reason: header("ratelimit-reason")
            .map(|r| r.chars().filter(|c| !c.is_control()).take(60).collect()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a panic is how a test reports an unexpected failure
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    const NOW: &str = "2026-12-02T10:00:00Z";

    fn read_at(pairs: &[(&'static str, &str)]) -> Limit {
        read(&headers(pairs), NOW.parse().unwrap())
    }

    #[test]
    fn retry_after_is_seconds_or_an_http_date() {
        assert_eq!(
            read_at(&[("retry-after", "7")]).wait,
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            read_at(&[("retry-after", "Wed, 02 Dec 2026 10:01:30 GMT")]).wait,
            Some(Duration::from_secs(90))
        );
        // A date already past means: now.
        assert_eq!(
            read_at(&[("retry-after", "Wed, 02 Dec 2026 09:00:00 GMT")]).wait,
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn without_retry_after_the_reset_time_says_when() {
        let limit = read_at(&[
            ("x-ratelimit-reset", "2026-12-02T10:00:45Z"),
            ("ratelimit-reason", "jira-per-issue-on-write"),
        ]);
        assert_eq!(limit.wait, Some(Duration::from_secs(45)));
        assert_eq!(limit.reason.as_deref(), Some("jira-per-issue-on-write"));
        assert_eq!(
            read_at(&[
                ("retry-after", "3"),
                ("x-ratelimit-reset", "2026-12-02T10:00:45Z")
            ])
            .wait,
            Some(Duration::from_secs(3)),
            "Retry-After wins"
        );
    }

    #[test]
    fn headers_that_say_nothing_usable_leave_the_wait_to_the_caller() {
        assert_eq!(read_at(&[]), Limit::default());
        assert_eq!(
            read_at(&[("retry-after", "soon"), ("x-ratelimit-reset", "tomorrow")]).wait,
            None
        );
    }
}
