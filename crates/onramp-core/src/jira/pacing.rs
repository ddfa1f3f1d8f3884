//! Writes to one issue, spaced out. Jira Cloud limits how often a single issue may be changed
//! (`RateLimit-Reason: jira-per-issue-on-write`, Atlassian "Build an app that respects rate
//! limits": "space out writes to that issue"), and a ticket's screenshots and watcher are all
//! writes to the issue just created. So no more than `writes` go to one issue in any `window`;
//! and when Jira still refuses one with that reason, the wait it asks for becomes the issue's
//! spacing from then on.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The reason Jira gives when one issue was written too often.
pub(super) const PER_ISSUE: &str = "jira-per-issue-on-write";

/// The longest wait for one issue's limit that is taken in place, within the attempt; a longer
/// one ends the attempt, to be tried again later like any rate limit.
pub(super) const LONGEST_IN_PLACE: Duration = Duration::from_secs(30);
/// How often one write is sent before its refusal ends the attempt.
pub(super) const TRIES: u32 = 4;

#[derive(Debug)]
pub(super) struct Pacing {
    writes: usize,
    window: Duration,
    issues: Mutex<HashMap<String, Issue>>,
}

/// When the last writes to one issue went, and the spacing Jira asked for.
#[derive(Debug, Default)]
struct Issue {
    sent: VecDeque<Instant>,
    gap: Option<Duration>,
}

impl Pacing {
    pub(super) fn new(writes: usize, window: Duration) -> Self {
        Self {
            writes: writes.max(1),
            window,
            issues: Mutex::new(HashMap::new()),
        }
    }

    /// Waits until a write to `key` may go, and counts it as sent.
    pub(super) async fn turn(&self, key: &str) {
        loop {
            let wait = self.reserve(key, Instant::now());
            if wait.is_zero() {
                return;
            }
            tokio::time::sleep(wait).await;
        }
    }

    /// Jira refused a write to `key` for its per-issue limit and asked for `wait`: later
    /// writes to it keep at least that far apart.
    pub(super) fn refused(&self, key: &str, wait: Duration) {
        let mut issues = self.issues.lock().unwrap_or_else(PoisonError::into_inner);
        let issue = issues.entry(key.to_owned()).or_default();
        issue.gap = Some(issue.gap.map_or(wait, |g| g.max(wait)));
    }

    /// Zero when a write may go at `now` (and it is counted), else how long to wait first.
    fn reserve(&self, key: &str, now: Instant) -> Duration {
        let mut issues = self.issues.lock().unwrap_or_else(PoisonError::into_inner);
        let issue = issues.entry(key.to_owned()).or_default();
        while issue
            .sent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            issue.sent.pop_front();
        }
        let by_window = (issue.sent.len() >= self.writes)
            .then(|| issue.sent.front().map(|t| *t + self.window))
            .flatten();
        let by_gap = issue.gap.zip(issue.sent.back()).map(|(g, t)| *t + g);
        let next = by_window.into_iter().chain(by_gap).max();
        match next {
            Some(at) if at > now => at - now,
            _ => {
                issue.sent.push_back(now);
                Duration::ZERO
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn a_burst_goes_at_once_and_the_rest_wait_for_the_window() {
        let pacing = Pacing::new(3, 1000 * MS);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(pacing.reserve("ONB-1", t0), Duration::ZERO);
        }
        assert_eq!(pacing.reserve("ONB-1", t0 + 400 * MS), 600 * MS);
        // Another issue has its own count.
        assert_eq!(pacing.reserve("ONB-2", t0), Duration::ZERO);
        assert_eq!(pacing.reserve("ONB-1", t0 + 1000 * MS), Duration::ZERO);
    }

    #[test]
    fn a_refusal_spaces_every_later_write_to_that_issue() {
        let pacing = Pacing::new(10, 1000 * MS);
        let t0 = Instant::now();
        assert_eq!(pacing.reserve("ONB-1", t0), Duration::ZERO);
        pacing.refused("ONB-1", 2000 * MS);
        assert_eq!(pacing.reserve("ONB-1", t0 + 500 * MS), 1500 * MS);
        assert_eq!(pacing.reserve("ONB-1", t0 + 2000 * MS), Duration::ZERO);
        assert_eq!(pacing.reserve("ONB-1", t0 + 2100 * MS), 1900 * MS);
        assert_eq!(pacing.reserve("ONB-2", t0), Duration::ZERO);
    }
}
