//! Faults the tests ask for, each used by the next request it applies to.

use std::time::Duration;

/// Which calls a fault applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Any,
    Create,
    Attach,
    Watch,
    Search,
    Myself,
    /// Createmeta and attachment settings: what a preflight reads.
    Meta,
    /// Adding a comment to an issue.
    Comment,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer with this status and Jira's error body, doing nothing.
    Status(Operation, u16),
    /// 429 with `Retry-After` in seconds, doing nothing.
    RateLimited(Operation, u64),
    /// 429 without `Retry-After`, doing nothing: `X-RateLimit-Reset` this far ahead (an ISO
    /// time) and `RateLimit-Reason` (Atlassian "Rate limiting": e.g. `jira-per-issue-on-write`).
    RateLimitedUntil(Operation, Duration, &'static str),
    /// Wait this long, then answer normally.
    Slow(Operation, Duration),
    /// Do the work, then drop the connection before the response body arrives: the client
    /// cannot tell whether the write happened.
    DropAfterWrite(Operation),
}

impl Fault {
    pub fn operation(&self) -> Operation {
        match self {
            Self::Status(op, _)
            | Self::RateLimited(op, _)
            | Self::RateLimitedUntil(op, ..)
            | Self::Slow(op, _)
            | Self::DropAfterWrite(op) => *op,
        }
    }
}

/// Takes the first queued fault that applies to `operation`.
pub(crate) fn take(queue: &mut Vec<Fault>, operation: Operation) -> Option<Fault> {
    let i = queue
        .iter()
        .position(|f| f.operation() == operation || f.operation() == Operation::Any)?;
    Some(queue.remove(i))
}
