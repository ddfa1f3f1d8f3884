//! The text formats answers are checked against: email addresses, domains, GUIDs, IANA time-zone
//! names and lists of people. Plain functions of text, shared by validation, the playbook check
//! and the meeting.

use jiff::tz::TimeZone;
use serde::Serialize;
use ts_rs::TS;

/// Someone invited to the meeting, or organising it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    pub name: Option<String>,
    pub email: String,
}

pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !local
            .chars()
            .any(|c| c.is_whitespace() || c == '@' || c.is_control())
        && is_domain(domain)
}

/// A DNS name of at least two labels with an alphabetic top-level label.
/// A host name such as example.com. An internationalised one (bücher.example) is checked in
/// its punycode form, as DNS sees it; the CSM's text is kept as typed.
pub fn is_domain(text: &str) -> bool {
    if text.is_ascii() {
        return is_ascii_domain(text);
    }
    // The URL standard's IDNA lets labels start or end with a hyphen; host names may not.
    text.split('.')
        .all(|l| !l.starts_with('-') && !l.ends_with('-'))
        && matches!(url::Host::parse(text), Ok(url::Host::Domain(ascii)) if is_ascii_domain(&ascii))
}

fn is_ascii_domain(text: &str) -> bool {
    let labels: Vec<&str> = text.split('.').collect();
    text.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            (1..=63).contains(&l.len())
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
        && labels.last().is_some_and(|tld| {
            tld.len() >= 2
                && (tld.chars().all(|c| c.is_ascii_alphabetic()) || tld.starts_with("xn--"))
        })
}

pub fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// The zone named `name`, or why it is not one.
pub fn time_zone(name: &str) -> Result<TimeZone, String> {
    jiff::tz::db().get(name.trim()).map_err(|_| {
        format!(
            "\"{}\" is not a time zone Onramp knows: choose one from the list, such as America/New_York.",
            name.trim()
        )
    })
}

/// `civil` in `zone`. A time skipped when clocks go forward does not exist and is refused; a time
/// that happens twice when they go back is the first of the two, as calendar apps read it.
pub fn in_zone(
    civil: jiff::civil::DateTime,
    zone: &TimeZone,
) -> Result<jiff::ZonedDateTime, String> {
    let ambiguous = zone.to_ambiguous_zoned_datetime(civil);
    if let jiff::tz::AmbiguousOffset::Gap { .. } = ambiguous.offset() {
        return Err(format!(
            "{} does not exist in {} that day: the clocks go forward over it. Choose another time.",
            civil.strftime("%H:%M"),
            zone.iana_name().unwrap_or("this time zone")
        ));
    }
    ambiguous
        .earlier()
        .map_err(|e| format!("this time cannot be placed in the time zone: {e}"))
}

/// "Name <email>" or a bare address per line; blank lines are skipped.
pub fn parse_people(text: &str) -> Result<Vec<Person>, String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let person = match line.rsplit_once('<') {
                Some((name, rest)) => {
                    let email = rest.strip_suffix('>').unwrap_or(rest).trim();
                    let name = name.trim().trim_matches('"').trim();
                    Person {
                        name: (!name.is_empty()).then(|| name.to_owned()),
                        email: email.to_owned(),
                    }
                }
                None => Person {
                    name: None,
                    email: line.to_owned(),
                },
            };
            if is_email(&person.email) {
                Ok(person)
            } else {
                Err(format!(
                    "\"{line}\" has no valid email address: write one person per line, as name@example.com or Jane Doe <name@example.com>."
                ))
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a panic is how a test reports an unexpected failure
mod tests {
    use super::*;

    #[test]
    fn internationalised_domains_are_domains_in_their_punycode_form() {
        for domain in [
            "bücher.example",
            "müller-gmbh.de",
            "пример.рф",
            "xn--bcher-kva.example",
        ] {
            assert!(is_domain(domain), "{domain}");
        }
        for not in [
            "https://acme.okta.com/",
            "bücher",
            "bü cher.example",
            "-bücher.example",
        ] {
            assert!(!is_domain(not), "{not}");
        }
        assert!(is_email("it@bücher.example"));
    }

    #[test]
    fn people_take_a_name_or_a_bare_address() {
        let people = parse_people(
            "Jane Doe <jane@acme.com>\n\n  it@acme.com \n\"Ó'Brien, Seán\" <sean@acme.ie>",
        )
        .unwrap();
        let got: Vec<(Option<&str>, &str)> = people
            .iter()
            .map(|p| (p.name.as_deref(), p.email.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (Some("Jane Doe"), "jane@acme.com"),
                (None, "it@acme.com"),
                (Some("Ó'Brien, Seán"), "sean@acme.ie")
            ]
        );
        let err = parse_people("jane@acme.com\nJane at ACME").unwrap_err();
        assert!(err.contains("\"Jane at ACME\" has no valid email"), "{err}");
    }

    #[test]
    fn an_unknown_zone_is_named_in_the_refusal() {
        assert!(
            time_zone("Mars/Olympus")
                .unwrap_err()
                .contains("\"Mars/Olympus\" is not a time zone")
        );
        assert!(time_zone(" America/New_York ").is_ok());
    }
}
