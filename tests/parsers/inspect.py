"""Reads an .ics or .eml file Onramp wrote with parsers Onramp does not use — the `icalendar`
package and Python's standard `email` module — and prints what they understood as JSON, so the
Rust tests check the files the way a calendar or a mail client would read them.

Usage: inspect.py ics|eml FILE
Exits 2 with a message when a parser is missing, 1 when the file does not parse cleanly.
"""

import hashlib
import json
import sys


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def check_content_lines(raw):
    """RFC 5545 §3.1: CRLF line endings, lines of at most 75 octets."""
    if b"\n" in raw.replace(b"\r\n", b""):
        fail("a line ends without CRLF")
    for number, line in enumerate(raw.split(b"\r\n"), 1):
        if len(line) > 75:
            fail(f"line {number} is {len(line)} octets long (RFC 5545 allows 75)")


def utc(value):
    dt = value.dt
    if dt.tzinfo is None or dt.utcoffset().total_seconds() != 0:
        fail(f"{value.to_ical().decode()} is not in UTC")
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def inspect_ics(raw):
    try:
        import icalendar
    except ImportError:
        print("the Python package `icalendar` is missing: `cargo xtask test` installs it "
              "(or run `pip install icalendar`)", file=sys.stderr)
        sys.exit(2)
    check_content_lines(raw)
    try:
        calendar = icalendar.Calendar.from_ical(raw)
    except ValueError as e:
        fail(f"icalendar cannot parse it: {e}")
    events = []
    for event in calendar.walk("VEVENT"):
        attendees = event.get("ATTENDEE", [])
        if not isinstance(attendees, list):
            attendees = [attendees]
        organizer = event.get("ORGANIZER")
        events.append({
            "uid": str(event["UID"]),
            "sequence": int(event.get("SEQUENCE", 0)),
            "dtstamp": utc(event["DTSTAMP"]),
            "start": utc(event["DTSTART"]),
            "end": utc(event["DTEND"]),
            "summary": str(event.get("SUMMARY", "")),
            "description": str(event.get("DESCRIPTION", "")),
            "url": str(event.get("URL", "")),
            "status": str(event.get("STATUS", "")),
            "organizer": {"address": str(organizer), "cn": organizer.params.get("CN")}
            if organizer is not None else None,
            "attendees": [
                {"address": str(a), "cn": a.params.get("CN"), "rsvp": a.params.get("RSVP"),
                 "role": a.params.get("ROLE")}
                for a in attendees
            ],
        })
    return {
        "method": str(calendar.get("METHOD", "")),
        "version": str(calendar.get("VERSION", "")),
        "prodid": str(calendar.get("PRODID", "")),
        "events": events,
    }


def inspect_eml(raw):
    import email
    from email import policy

    message = email.message_from_bytes(raw, policy=policy.strict)
    defects = [d for part in message.walk() for d in part.defects]
    if defects:
        fail(f"the message has defects: {defects}")
    parts = []
    for part in message.walk():
        if part.is_multipart():
            parts.append({"type": part.get_content_type()})
            continue
        payload = part.get_payload(decode=True)
        entry = {
            "type": part.get_content_type(),
            "filename": part.get_filename(),
            "disposition": part.get_content_disposition(),
            "sha256": hashlib.sha256(payload).hexdigest(),
        }
        if part.get_content_maintype() == "text":
            entry["text"] = part.get_content().replace("\r\n", "\n")
        parts.append(entry)
    addresses = lambda header: [
        {"name": a.display_name, "address": a.addr_spec}
        for a in (message[header].addresses if message[header] else [])
    ]
    return {
        "subject": str(message["Subject"]),
        "from": addresses("From"),
        "to": addresses("To"),
        "x_unsent": message["X-Unsent"],
        "message_id": message["Message-ID"],
        "date": message["Date"],
        "mime_version": message["MIME-Version"],
        "type": message.get_content_type(),
        "parts": parts,
    }


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("ics", "eml"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    with open(sys.argv[2], "rb") as f:
        raw = f.read()
    result = inspect_ics(raw) if sys.argv[1] == "ics" else inspect_eml(raw)
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
