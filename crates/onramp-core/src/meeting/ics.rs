//! The calendar invite (RFC 5545, iTIP `REQUEST` / `CANCEL`), times in UTC so every calendar
//! places them alike without a VTIMEZONE.

use icalendar::{Attendee, Calendar, Component, EventLike, EventStatus, PartStat, Property, Role};
use jiff::Timestamp;

use super::schedule::Plan;
use crate::formats::Person;

/// What the invite asks of the attendees' calendars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Request,
    Cancel,
}

/// The invite for `plan` as `.ics` text. `uid` stays the same for the meeting's whole life and
/// `sequence` grows with each change, so calendars update the event instead of adding another.
pub fn invite(plan: &Plan, uid: &str, sequence: u32, stamp: Timestamp, method: Method) -> String {
    let mut event = icalendar::Event::new();
    event
        .uid(uid)
        .sequence(sequence)
        .timestamp(utc(stamp))
        .starts(utc(plan.start.timestamp()))
        .ends(utc(plan.end.timestamp()))
        .summary(&plan.title)
        .description(&plan.agenda)
        .append_property(person("ORGANIZER", &plan.organizer));
    if let Some(link) = &plan.link {
        event.url(link).location(link);
    }
    for attendee in &plan.attendees {
        let mut invited = Attendee::new(format!("mailto:{}", attendee.email));
        invited.cn = attendee.name.as_deref().map(parameter);
        invited.role = Some(Role::ReqParticipant);
        invited.part_stat = Some(PartStat::NeedsAction);
        invited.rsvp = Some(true);
        event.attendee(invited);
    }
    let method = match method {
        Method::Request => {
            event.status(EventStatus::Confirmed);
            "REQUEST"
        }
        Method::Cancel => {
            event.status(EventStatus::Cancelled);
            "CANCEL"
        }
    };
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//Onramp//Integration meeting//EN"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", method))
        .push(event.done());
    calendar.done().to_string()
}

fn person(key: &str, who: &Person) -> Property {
    let mut property = Property::new(key, format!("mailto:{}", who.email));
    if let Some(name) = &who.name {
        property.add_parameter("CN", &parameter(name));
    }
    property.done()
}

/// A parameter value may not hold a double quote or a control character (RFC 5545 §3.1); the
/// crate quotes the rest.
fn parameter(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '"' => '\'',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

fn utc(t: Timestamp) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(t.as_second(), t.subsec_nanosecond().unsigned_abs())
        .unwrap_or_default()
}
