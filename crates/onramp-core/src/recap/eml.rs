//! The recap as a mail message (RFC 5322, MIME): plain text and HTML alternatives, the One-Pager
//! attached, marked `X-Unsent: 1` so mail clients open it as a draft to send.

use jiff::Timestamp;
use mail_builder::MessageBuilder;
use mail_builder::headers::address::Address;
use mail_builder::headers::raw::Raw;

use super::Recap;
use crate::meeting::Person;

fn address(person: &Person) -> Address<'_> {
    Address::new_address(person.name.as_deref(), person.email.as_str())
}

pub fn message(recap: &Recap, attachment: Option<(&str, &[u8])>, now: Timestamp) -> Vec<u8> {
    let mut message = MessageBuilder::new()
        .message_id(format!("{}@onramp", uuid::Uuid::new_v4()))
        .date(now.as_second())
        .to(Address::new_list(recap.to.iter().map(address).collect()))
        .subject(recap.subject.as_str())
        .header("X-Unsent", Raw::new("1"))
        .text_body(recap.body.as_str())
        .html_body(html(&recap.body));
    if let Some(from) = &recap.from {
        message = message.from(address(from));
    }
    if let Some((name, bytes)) = attachment {
        message = message.attachment("application/pdf", name, bytes);
    }
    // Writing to memory cannot fail.
    message.write_to_vec().unwrap_or_default()
}

/// The text as HTML: paragraphs at blank lines, "- " lines as a list, links clickable, and every
/// character the CSM or the customer typed shown as typed.
pub fn html(text: &str) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body style=\"font-family: sans-serif\">\n",
    );
    let text = text.replace("\r\n", "\n");
    for block in text
        .split("\n\n")
        .map(|b| b.trim_matches(['\n', '\r']))
        .filter(|b| !b.trim().is_empty())
    {
        let lines: Vec<&str> = block.lines().collect();
        let items: Option<Vec<&str>> = lines
            .iter()
            .map(|l| l.trim_start().strip_prefix("- "))
            .collect();
        if let Some(items) = items {
            out.push_str("<ul>\n");
            for item in items {
                out.push_str("<li>");
                out.push_str(&inline(item));
                out.push_str("</li>\n");
            }
            out.push_str("</ul>\n");
        } else {
            let joined: Vec<String> = lines.iter().map(|l| inline(l)).collect();
            out.push_str("<p>");
            out.push_str(&joined.join("<br>\n"));
            out.push_str("</p>\n");
        }
    }
    out.push_str("</body></html>\n");
    out
}

/// One line: escaped, with `https://` links made clickable.
fn inline(line: &str) -> String {
    let mut out = String::new();
    for (i, word) in line.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let target = word.trim_end_matches(['.', ',', ')', ';', ':']);
        if target.starts_with("https://") && url::Url::parse(target).is_ok() {
            let escaped = escape(target);
            out.push_str("<a href=\"");
            out.push_str(&escaped);
            out.push_str("\">");
            out.push_str(&escaped);
            out.push_str("</a>");
            out.push_str(&escape(&word[target.len()..]));
        } else {
            out.push_str(&escape(word));
        }
    }
    out
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_keeps_what_was_typed_and_links_what_is_a_link() {
        let html = html("Hi <b>Jane</b> & co,\nsee https://x.example/a?b=1&c=2.\n\n- one\n- *two*");
        assert!(html.contains("<p>Hi &lt;b&gt;Jane&lt;/b&gt; &amp; co,<br>\nsee <a href=\"https://x.example/a?b=1&amp;c=2\">https://x.example/a?b=1&amp;c=2</a>.</p>"), "{html}");
        assert!(
            html.contains("<ul>\n<li>one</li>\n<li>*two*</li>\n</ul>"),
            "{html}"
        );
    }
}
