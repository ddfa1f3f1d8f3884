//! When the meeting is and who comes, from the Meeting step's answers: the time the CSM typed is
//! civil time in the customer's IANA zone, resolved by jiff so daylight-saving changes are right.

use std::str::FromStr;

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan, ZonedDateTime};
use serde::Serialize;
use ts_rs::TS;

use crate::formats::{Person, is_email, parse_people, time_zone};
use crate::model::Draft;
use crate::playbook::Playbook;
use crate::playbook::fields::{self, meeting as field};

/// The meeting as a calendar needs it.
#[derive(Debug, Clone)]
pub struct Plan {
    pub start: ZonedDateTime,
    pub end: ZonedDateTime,
    pub type_name: String,
    pub title: String,
    pub link: Option<String>,
    pub agenda: String,
    pub organizer: Person,
    pub attendees: Vec<Person>,
}

/// The meeting's time as the CSM reads it: in the customer's zone and in their own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MeetingTimes {
    pub customer: String,
    pub local: String,
    #[ts(type = "string")]
    pub utc_start: Timestamp,
}

/// `civil` in `zone`, as everything that reads a meeting time places it (`formats::in_zone`).
pub fn resolve(civil: DateTime, zone: &TimeZone) -> Result<ZonedDateTime, String> {
    crate::formats::in_zone(civil, zone)
}

/// How a meeting time reads: `Tue 10 Mar 2026, 10:00–10:30 EDT`; across a clock change both
/// ends name their offset (`02:30 CEST–02:00 CET`).
pub fn describe(start: &ZonedDateTime, end: &ZonedDateTime) -> String {
    let from = if start.offset() == end.offset() {
        "%a %-d %b %Y, %H:%M"
    } else {
        "%a %-d %b %Y, %H:%M %Z"
    };
    let to = if start.date() == end.date() {
        "%H:%M %Z"
    } else {
        "%a %-d %b %Y, %H:%M %Z"
    };
    format!("{}–{}", start.strftime(from), end.strftime(to))
}

/// The meeting's times in the customer's zone and in `local`.
pub fn times(plan: &Plan, local: &TimeZone) -> MeetingTimes {
    let zone_name = |z: &ZonedDateTime| z.time_zone().iana_name().unwrap_or("UTC").to_owned();
    let (start, end) = (
        plan.start.with_time_zone(local.clone()),
        plan.end.with_time_zone(local.clone()),
    );
    MeetingTimes {
        customer: format!(
            "{} ({})",
            describe(&plan.start, &plan.end),
            zone_name(&plan.start)
        ),
        local: format!("{} ({})", describe(&start, &end), zone_name(&start)),
        utc_start: plan.start.timestamp(),
    }
}

/// The meeting the answers describe, or every reason there is none yet, each saying what to do.
pub fn plan(draft: &Draft, playbook: &Playbook, provider_name: &str) -> Result<Plan, Vec<String>> {
    let mut problems = Vec::new();
    let zone = draft
        .text(field::TIME_ZONE)
        .ok_or_else(|| "Choose the customer's time zone.".to_owned())
        .and_then(time_zone)
        .map_err(|e| problems.push(e))
        .ok();
    let civil = draft
        .text(field::START)
        .and_then(|text| DateTime::from_str(text).ok())
        .ok_or_else(|| problems.push("Enter the meeting's date and time.".to_owned()))
        .ok();
    let start = match (civil, &zone) {
        (Some(civil), Some(zone)) => resolve(civil, zone).map_err(|e| problems.push(e)).ok(),
        _ => None,
    };
    let minutes = match draft.text(field::MINUTES) {
        None => i64::from(playbook.meeting.minutes),
        Some(text) => match text.parse::<i64>() {
            Ok(m) if (1..=24 * 60).contains(&m) => m,
            _ => {
                problems
                    .push("Enter the meeting's length as whole minutes, such as 30.".to_owned());
                0
            }
        },
    };
    let mut person = |name: &str, email: &str, who: &str| match draft.text(email) {
        Some(address) if is_email(address) => Some(Person {
            name: draft.text(name).map(str::to_owned),
            email: address.to_owned(),
        }),
        _ => {
            problems.push(format!("Enter {who} email in Account & contacts."));
            None
        }
    };
    let organizer = person(fields::CSM_NAME, fields::CSM_EMAIL, "your");
    let contact = person(
        fields::POC_NAME,
        fields::POC_EMAIL,
        "the point of contact's",
    );
    let mut attendees: Vec<Person> = contact.into_iter().collect();
    match parse_people(draft.text(field::ATTENDEES).unwrap_or_default()) {
        Ok(others) => {
            for other in others {
                if !attendees
                    .iter()
                    .any(|a| a.email.eq_ignore_ascii_case(&other.email))
                {
                    attendees.push(other);
                }
            }
        }
        Err(e) => problems.push(e),
    }
    let type_name = draft
        .text(field::TYPE)
        .unwrap_or(&playbook.meeting.type_name)
        .to_owned();
    match (start, organizer) {
        (Some(start), Some(organizer)) if problems.is_empty() => {
            let end = start
                .checked_add(minutes.minutes())
                .map_err(|e| vec![format!("the meeting cannot end: {e}")])?;
            let company = draft.company().unwrap_or_else(|| "the customer".to_owned());
            Ok(Plan {
                title: format!(
                    "{type_name}: {provider_name} {} for {company}",
                    draft.kind.label()
                ),
                start,
                end,
                type_name,
                link: draft.text(field::LINK).map(str::to_owned),
                agenda: draft.text(field::AGENDA).unwrap_or_default().to_owned(),
                organizer,
                attendees,
            })
        }
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_skipped_by_the_clocks_is_refused_and_a_doubled_one_is_the_first() {
        let ny = time_zone("America/New_York").unwrap();
        let gap = resolve("2026-03-08T02:30".parse().unwrap(), &ny).unwrap_err();
        assert!(
            gap.contains("02:30 does not exist in America/New_York"),
            "{gap}"
        );
        let fold = resolve("2026-11-01T01:30".parse().unwrap(), &ny).unwrap();
        assert_eq!(fold.timestamp().to_string(), "2026-11-01T05:30:00Z");
        assert!(
            time_zone("Mars/Olympus")
                .unwrap_err()
                .contains("not a time zone")
        );
    }

    #[test]
    fn a_meeting_reads_in_both_zones_across_a_dst_switch() {
        // 8 March 2026: New York has moved to EDT, Berlin is still on CET.
        let start = resolve(
            "2026-03-09T10:00".parse().unwrap(),
            &time_zone("America/New_York").unwrap(),
        )
        .unwrap();
        let end = start.checked_add(30.minutes()).unwrap();
        assert_eq!(describe(&start, &end), "Mon 9 Mar 2026, 10:00–10:30 EDT");
        let berlin = time_zone("Europe/Berlin").unwrap();
        let local = (
            start.with_time_zone(berlin.clone()),
            end.with_time_zone(berlin),
        );
        assert_eq!(
            describe(&local.0, &local.1),
            "Mon 9 Mar 2026, 15:00–15:30 CET"
        );
    }
}
