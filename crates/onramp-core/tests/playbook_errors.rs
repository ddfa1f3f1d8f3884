//! A corpus of broken playbooks, each with the exact message a person editing it would see.

use std::path::PathBuf;

use onramp_core::playbook::Playbook;

const PLAYBOOK: &str = r##"[organisation]
name = "Test Org"
support_channel = "#support"
presentations_folder = "https://example.com/presentations"
credentials_notice = "Send these to Support securely."

[meeting]
type_name = "Meeting"
minutes = 30

[sso]
title = "Enable SSO {provider} Integration for {company}"
greeting = "Hello team! SSO {provider}"

[[sso.client_questions]]
id = "sso_only"
label = "SSO only?"
type = "yes_no"

[hris]
title = "Enable HRIS {provider} Integration for {company}"
greeting = "Hello team! HRIS {provider}"
"##;

const OKTA: &str = r#"kind = "sso"
name = "Okta"
protocols = ["saml"]

[[details]]
id = "share_as"
label = "Share as"
type = "select"
options = ["URL", "File"]

[[details]]
id = "metadata_url"
label = "Metadata URL"
type = "url"
https = true
when = { field = "share_as", equals = "URL" }
"#;

const ADP: &str = r#"kind = "hris"
name = "ADP"

[[client_questions]]
id = "modules"
label = "Several modules?"
type = "yes_no"

[[screenshots]]
id = "connector"
label = "Connector"
hint = "The tile"

[[screenshots]]
id = "consent_agreement"
label = "Consent"
hint = "The consent page"
"#;

const DESCRIPTION: &str = "{{ greeting }}\n\n## Details\n{% for f in details %}\n- **{{ f.label }}:** {{ f.value }}\n{%- endfor %}\n";

fn base() -> Files {
    vec![
        ("playbook.toml".into(), PLAYBOOK.into()),
        ("templates/description.md".into(), DESCRIPTION.into()),
        (
            "templates/slack.txt".into(),
            "New request for {{ company }}".into(),
        ),
        (
            "templates/recap.txt".into(),
            "Subject: Recap for {{ company }}\nHello {{ poc_name }},\n".into(),
        ),
        (
            "templates/agenda.txt".into(),
            "{{ provider }} {{ kind }} integration\n".into(),
        ),
        ("providers/sso/okta.toml".into(), OKTA.into()),
        ("providers/hris/adp.toml".into(), ADP.into()),
    ]
}

/// The base playbook naming a One-Pager, with `one_pager` as that file's bytes (if any).
fn with_one_pager(one_pager: Option<&[u8]>) -> Files {
    let mut files = edit(
        "playbook.toml",
        "name = \"Test Org\"",
        "name = \"Test Org\"\none_pager = \"one-pager.pdf\"",
    );
    if let Some(bytes) = one_pager {
        files.push(("one-pager.pdf".to_owned(), bytes.to_vec()));
    }
    files
}

fn load(files: Files) -> Result<Playbook, String> {
    Playbook::from_files(files.into_iter().map(|(p, b)| (PathBuf::from(p), b))).map_err(|e| {
        e.0.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// Replaces `from` by `to` in `file` of the base playbook (which must contain it).
fn edit(file: &str, from: &str, to: &str) -> Files {
    let mut files = base();
    replace_in(&mut files, file, from, to);
    files
}

fn replace_in(files: &mut Files, file: &str, from: &str, to: &str) {
    let (_, bytes) = files.iter_mut().find(|(p, _)| p.ends_with(file)).unwrap();
    let text = std::str::from_utf8(bytes).unwrap();
    assert!(text.contains(from), "{file} does not contain {from:?}");
    *bytes = text.replacen(from, to, 1).into_bytes();
}

fn append(file: &str, extra: &str) -> Files {
    let mut files = base();
    match files.iter_mut().find(|(p, _)| p == file) {
        Some((_, bytes)) => bytes.extend_from_slice(extra.as_bytes()),
        None => files.push((file.to_owned(), extra.into())),
    }
    files
}

fn without(file: &str) -> Files {
    base().into_iter().filter(|(p, _)| p != file).collect()
}

#[test]
fn the_base_playbook_of_this_corpus_is_valid() {
    let playbook = load(base()).unwrap();
    assert_eq!(playbook.providers().len(), 2);
}

type Files = Vec<(String, Vec<u8>)>;

/// One broken playbook: what is wrong, the files, and the message(s) expected, one per line.
type Case = (&'static str, Files, &'static str);

#[allow(clippy::too_many_lines)] // one entry per broken playbook
fn cases() -> Vec<Case> {
    vec![
        (
            "no playbook.toml",
            without("playbook.toml"),
            "playbook.toml: missing: every playbook needs playbook.toml with [organisation], [meeting], [sso] and [hris]",
        ),
        (
            "TOML syntax error",
            edit(
                "providers/sso/okta.toml",
                "name = \"Okta\"",
                "name = \"Okta",
            ),
            "providers/sso/okta.toml:2:13: invalid basic string, expected `\"`",
        ),
        (
            "unknown key in a provider",
            edit(
                "providers/sso/okta.toml",
                "name = \"Okta\"",
                "name = \"Okta\"\nnmae = \"typo\"",
            ),
            "providers/sso/okta.toml:3:1: nmae: unknown field `nmae`, expected one of `kind`, `name`, `aliases`, `protocols`, `presentation`, `idp_hosts`, `notes`, `credentials`, `contract_checks`, `jira`, `details`, `csm_questions`, `client_questions`, `screenshots`, `also_offers_sso`",
        ),
        (
            "unknown key in playbook.toml",
            edit(
                "playbook.toml",
                "name = \"Test Org\"",
                "name = \"Test Org\"\ncolour = \"blue\"",
            ),
            "playbook.toml:3:1: organisation.colour: unknown field `colour`, expected one of `name`, `support_channel`, `presentations_folder`, `one_pager`, `credentials_notice`, `update_feed`",
        ),
        (
            "missing required section",
            edit(
                "playbook.toml",
                "[meeting]\ntype_name = \"Meeting\"\nminutes = 30\n",
                "",
            ),
            "playbook.toml:1:1: missing required key `meeting`",
        ),
        (
            "missing provider name",
            edit("providers/sso/okta.toml", "name = \"Okta\"\n", ""),
            "providers/sso/okta.toml:1:1: missing required key `name`",
        ),
        (
            "kind does not match the folder",
            edit(
                "providers/sso/okta.toml",
                "kind = \"sso\"",
                "kind = \"hris\"",
            ),
            "providers/sso/okta.toml:1:8: kind: the file says \"hris\" but it is in the providers/sso/ folder",
        ),
        (
            "unknown field type",
            edit(
                "providers/hris/adp.toml",
                "type = \"yes_no\"",
                "type = \"yes-no\"",
            ),
            "providers/hris/adp.toml:7:8: client_questions[0].type: unknown variant `yes-no`, expected one of `short_text`, `long_text`, `email`, `url`, `number`, `date`, `date_time`, `select`, `multi_select`, `yes_no`, `checklist`, `screenshot`, `time_zone`",
        ),
        (
            "wrong value type",
            edit("playbook.toml", "minutes = 30", "minutes = \"thirty\""),
            "playbook.toml:9:11: meeting.minutes: invalid type: string \"thirty\", expected a whole number",
        ),
        (
            "duplicate field ID in a provider",
            edit(
                "providers/sso/okta.toml",
                "id = \"metadata_url\"",
                "id = \"share_as\"",
            ),
            "providers/sso/okta.toml:12:6: details[1].id: duplicate ID `share_as`: already used by providers/sso/okta.toml details; answers are stored by ID, so IDs must be unique",
        ),
        (
            "field ID already used by the kind's common questions",
            append(
                "providers/sso/okta.toml",
                "\n[[client_questions]]\nid = \"sso_only\"\nlabel = \"Again\"\ntype = \"yes_no\"\n",
            ),
            "providers/sso/okta.toml:19:6: client_questions[0].id: duplicate ID `sso_only`: already used by playbook.toml sso.client_questions; answers are stored by ID, so IDs must be unique",
        ),
        (
            "field ID already used by a built-in field",
            edit(
                "providers/sso/okta.toml",
                "id = \"share_as\"",
                "id = \"company\"",
            ),
            concat!(
                "providers/sso/okta.toml:6:6: details[0].id: duplicate ID `company`: already used by the wizard's built-in steps; answers are stored by ID, so IDs must be unique",
                "\n",
                "providers/sso/okta.toml:16:18: details[1].when.field: unknown field `share_as`: `when` must name a field asked before this one"
            ),
        ),
        (
            "invalid field ID",
            edit(
                "providers/hris/adp.toml",
                "id = \"modules\"",
                "id = \"Several Modules\"",
            ),
            "providers/hris/adp.toml:5:6: client_questions[0].id: `Several Modules` is not a valid ID: use lowercase letters, digits and underscores, starting with a letter",
        ),
        (
            "when names an unknown field",
            edit(
                "providers/sso/okta.toml",
                "field = \"share_as\"",
                "field = \"share_ass\"",
            ),
            "providers/sso/okta.toml:16:18: details[1].when.field: unknown field `share_ass`: `when` must name a field asked before this one",
        ),
        (
            "when names a later field",
            append(
                "providers/sso/okta.toml",
                "\n[[details]]\nid = \"early\"\nlabel = \"Early\"\ntype = \"short_text\"\nwhen = { field = \"later\", equals = true }\n\n[[details]]\nid = \"later\"\nlabel = \"Later\"\ntype = \"yes_no\"\n",
            ),
            "providers/sso/okta.toml:22:18: details[2].when.field: unknown field `later`: `when` must name a field asked before this one",
        ),
        (
            "when compares a select with a missing option",
            edit(
                "providers/sso/okta.toml",
                "equals = \"URL\"",
                "equals = \"Link\"",
            ),
            "providers/sso/okta.toml:16:39: details[1].when.equals: `share_as` has no option \"Link\"; expected one of: URL, File",
        ),
        (
            "when compares yes/no with text",
            append(
                "providers/hris/adp.toml",
                "\n[[client_questions]]\nid = \"which\"\nlabel = \"Which?\"\ntype = \"short_text\"\nwhen = { field = \"modules\", equals = \"yes\" }\n",
            ),
            "providers/hris/adp.toml:23:38: client_questions[1].when.equals: `modules` is a yes/no field: compare it with true or false",
        ),
        (
            "when depends on a text field",
            append(
                "providers/sso/okta.toml",
                "\n[[details]]\nid = \"domain\"\nlabel = \"Domain\"\ntype = \"short_text\"\n\n[[details]]\nid = \"more\"\nlabel = \"More\"\ntype = \"short_text\"\nwhen = { field = \"domain\", equals = \"x\" }\n",
            ),
            "providers/sso/okta.toml:27:37: details[3].when.equals: `when` can depend only on yes_no and select fields; `domain` is a short_text field",
        ),
        (
            "invalid regular expression",
            append(
                "providers/sso/okta.toml",
                "\n[[details]]\nid = \"code\"\nlabel = \"Code\"\ntype = \"short_text\"\npattern = '[0-9'\n",
            ),
            "providers/sso/okta.toml:22:11: details[2].pattern: invalid regular expression: unclosed character class",
        ),
        (
            "pattern on a yes/no field",
            append(
                "providers/hris/adp.toml",
                "\n[[client_questions]]\nid = \"more\"\nlabel = \"More?\"\ntype = \"yes_no\"\npattern = '[a-z]+'\n",
            ),
            "providers/hris/adp.toml:23:11: client_questions[1].pattern: `pattern` applies only to short_text and long_text fields",
        ),
        (
            "pattern_hint without pattern",
            append(
                "providers/sso/okta.toml",
                "\n[[details]]\nid = \"code\"\nlabel = \"Code\"\ntype = \"short_text\"\npattern_hint = \"six digits\"\n",
            ),
            "providers/sso/okta.toml:19:6: details[2].pattern_hint: `pattern_hint` needs a `pattern` to explain",
        ),
        (
            "select without options",
            edit(
                "providers/sso/okta.toml",
                "options = [\"URL\", \"File\"]\n",
                "",
            ),
            concat!(
                "providers/sso/okta.toml:8:8: details[0].options: a select field needs `options`, the list of choices",
                "\n",
                "providers/sso/okta.toml:15:18: details[1].when.field: unknown field `share_as`: `when` must name a field asked before this one"
            ),
        ),
        (
            "options on a text field",
            append(
                "providers/sso/okta.toml",
                "\n[[details]]\nid = \"name2\"\nlabel = \"Name\"\ntype = \"short_text\"\noptions = [\"a\"]\n",
            ),
            "providers/sso/okta.toml:22:11: details[2].options: `options` applies only to select, multi_select and checklist fields",
        ),
        (
            "an option listed twice",
            edit(
                "providers/sso/okta.toml",
                "[\"URL\", \"File\"]",
                "[\"URL\", \"File\", \"URL\"]",
            ),
            concat!(
                "providers/sso/okta.toml:9:11: details[0].options: `URL` is listed twice",
                "\n",
                "providers/sso/okta.toml:16:18: details[1].when.field: unknown field `share_as`: `when` must name a field asked before this one"
            ),
        ),
        (
            "empty options",
            edit("providers/sso/okta.toml", "[\"URL\", \"File\"]", "[]"),
            concat!(
                "providers/sso/okta.toml:9:11: details[0].options: needs at least one choice",
                "\n",
                "providers/sso/okta.toml:16:18: details[1].when.field: unknown field `share_as`: `when` must name a field asked before this one"
            ),
        ),
        (
            "https on a text field",
            append(
                "providers/sso/okta.toml",
                "\n[[details]]\nid = \"host\"\nlabel = \"Host\"\ntype = \"short_text\"\nhttps = true\n",
            ),
            "providers/sso/okta.toml:22:9: details[2].https: `https` applies only to url fields",
        ),
        (
            "format on an email field",
            append(
                "providers/sso/okta.toml",
                "\n[[details]]\nid = \"admin\"\nlabel = \"Admin\"\ntype = \"email\"\nformat = \"domain\"\n",
            ),
            "providers/sso/okta.toml:22:10: details[2].format: `format` applies only to short_text and long_text fields",
        ),
        (
            "unknown format",
            append(
                "providers/sso/okta.toml",
                "\n[[details]]\nid = \"host\"\nlabel = \"Host\"\ntype = \"short_text\"\nformat = \"hostname\"\n",
            ),
            "providers/sso/okta.toml:22:10: details[2].format: unknown variant `hostname`, expected one of `domain`, `guid`, `people`",
        ),
        (
            "max_length of zero",
            append(
                "providers/sso/okta.toml",
                "\n[[details]]\nid = \"host\"\nlabel = \"Host\"\ntype = \"short_text\"\nmax_length = 0\n",
            ),
            "providers/sso/okta.toml:22:14: details[2].max_length: must be at least 1",
        ),
        (
            "a screenshot declared as a question",
            append(
                "providers/hris/adp.toml",
                "\n[[client_questions]]\nid = \"shot\"\nlabel = \"Shot\"\ntype = \"screenshot\"\n",
            ),
            "providers/hris/adp.toml:22:8: client_questions[1].type: screenshots are declared under [[screenshots]], not as questions",
        ),
        (
            "HRIS without the consent screenshot",
            edit(
                "providers/hris/adp.toml",
                "id = \"consent_agreement\"",
                "id = \"consent\"",
            ),
            "providers/hris/adp.toml: screenshots: every HRIS provider asks for the `connector` and `consent_agreement` screenshots; missing: consent_agreement",
        ),
        (
            "duplicate screenshot ID",
            edit(
                "providers/hris/adp.toml",
                "id = \"consent_agreement\"",
                "id = \"connector\"",
            ),
            concat!(
                "providers/hris/adp.toml:15:6: screenshots[1].id: duplicate ID `connector`: already used by providers/hris/adp.toml screenshots; answers are stored by ID, so IDs must be unique",
                "\n",
                "providers/hris/adp.toml: screenshots: every HRIS provider asks for the `connector` and `consent_agreement` screenshots; missing: consent_agreement"
            ),
        ),
        (
            "SSO provider without protocols",
            edit("providers/sso/okta.toml", "protocols = [\"saml\"]\n", ""),
            "providers/sso/okta.toml: protocols: an SSO provider must list its `protocols`: \"saml\", \"oidc\" or both",
        ),
        (
            "unknown protocol",
            edit("providers/sso/okta.toml", "[\"saml\"]", "[\"saml2\"]"),
            "providers/sso/okta.toml:3:14: protocols: unknown variant `saml2`, expected `saml` or `oidc`",
        ),
        (
            "HRIS provider with protocols",
            edit(
                "providers/hris/adp.toml",
                "name = \"ADP\"",
                "name = \"ADP\"\nprotocols = [\"saml\"]",
            ),
            "providers/hris/adp.toml:3:13: protocols: only SSO providers have `protocols`",
        ),
        (
            "SSO provider pointing to an SSO provider",
            edit(
                "providers/sso/okta.toml",
                "protocols = [\"saml\"]",
                "protocols = [\"saml\"]\nalso_offers_sso = { provider = \"okta\", note = \"x\" }",
            ),
            "providers/sso/okta.toml:4:19: also_offers_sso: only HRIS providers can point to an SSO provider",
        ),
        (
            "HRIS pointing to an unknown SSO provider",
            edit(
                "providers/hris/adp.toml",
                "name = \"ADP\"",
                "name = \"ADP\"\nalso_offers_sso = { provider = \"adp-sso\", note = \"ADP Federated SSO\" }",
            ),
            "providers/hris/adp.toml:3:32: also_offers_sso.provider: unknown SSO provider `adp-sso`; expected one of: okta",
        ),
        (
            "title without {company}",
            edit(
                "playbook.toml",
                "Integration for {company}\"\ngreeting = \"Hello team! SSO",
                "Integration\"\ngreeting = \"Hello team! SSO",
            ),
            "playbook.toml:12:9: sso.title: must contain {provider} and {company}; missing {company}",
        ),
        (
            "unknown placeholder",
            edit(
                "playbook.toml",
                "for {company}\"\ngreeting = \"Hello team! HRIS",
                "for {compnay}\"\ngreeting = \"Hello team! HRIS",
            ),
            concat!(
                "playbook.toml:21:9: hris.title: unknown placeholder {compnay}; expected {provider} or {company}",
                "\n",
                "playbook.toml:21:9: hris.title: must contain {provider} and {company}; missing {company}"
            ),
        ),
        (
            "presentations folder over http",
            edit(
                "playbook.toml",
                "https://example.com/presentations",
                "http://example.com/presentations",
            ),
            "playbook.toml:4:24: organisation.presentations_folder: `http://example.com/presentations` is not an https:// link",
        ),
        (
            "a service desk participant who is not an email",
            edit(
                "playbook.toml",
                "[meeting]",
                "[jira.service_desk]\nparticipants = [\"support-lead\"]\n\n[meeting]",
            ),
            "playbook.toml:8:17: jira.service_desk.participants[0]: `support-lead` is not an email address: Jira finds people by their email",
        ),
        (
            "update feed over http to another computer",
            edit(
                "playbook.toml",
                "credentials_notice = \"Send these to Support securely.\"",
                "credentials_notice = \"Send these to Support securely.\"\nupdate_feed = \"http://updates.example.com/onramp.json\"",
            ),
            "playbook.toml:6:15: organisation.update_feed: `http://updates.example.com/onramp.json` is not an https:// link (plain http:// only to this computer, for a test feed)",
        ),
        (
            "update feed that is not a link",
            edit(
                "playbook.toml",
                "credentials_notice = \"Send these to Support securely.\"",
                "credentials_notice = \"Send these to Support securely.\"\nupdate_feed = \"updates.json\"",
            ),
            "playbook.toml:6:15: organisation.update_feed: `updates.json` is not an https:// link (plain http:// only to this computer, for a test feed)",
        ),
        (
            "provider presentation that is not a link",
            edit(
                "providers/sso/okta.toml",
                "name = \"Okta\"",
                "name = \"Okta\"\npresentation = \"slides.pptx\"",
            ),
            "providers/sso/okta.toml:3:16: presentation: `slides.pptx` is not an https:// link",
        ),
        (
            "meeting of zero minutes",
            edit("playbook.toml", "minutes = 30", "minutes = 0"),
            "playbook.toml:9:11: meeting.minutes: a meeting lasts between 1 and 480 minutes",
        ),
        (
            "search grace too short for Jira's index",
            edit(
                "playbook.toml",
                "minutes = 30",
                "minutes = 30\n\n[jira]\nsearch_grace_seconds = 2",
            ),
            "playbook.toml:12:24: jira.search_grace_seconds: between 10 and 3600 seconds: as long as Jira's search may take to show a new ticket",
        ),
        (
            "jira field filled from a question the playbook does not ask",
            edit(
                "playbook.toml",
                "minutes = 30",
                "minutes = 30\n\n[[jira.fields]]\nfield = \"Customer\"\nanswer = \"customer_name\"",
            ),
            "playbook.toml:13:10: jira.fields[0].answer: `customer_name` is not a question of this playbook: use the ID of a question (company, lms_account_id, …)",
        ),
        (
            "jira field with two sources",
            edit(
                "playbook.toml",
                "minutes = 30",
                "minutes = 30\n\n[[jira.fields]]\nfield = \"Customer\"\nvalue = \"Acme\"\nanswer = \"company\"",
            ),
            "playbook.toml:11:1: jira.fields[0]: `Customer` needs exactly one of value, answer or template",
        ),
        (
            "jira field template with an unknown placeholder",
            edit(
                "playbook.toml",
                "minutes = 30",
                "minutes = 30\n\n[[jira.fields]]\nfield = \"Summary line\"\ntemplate = \"{company} via {idp}\"",
            ),
            "playbook.toml:13:12: jira.fields[0].template: unknown placeholder {idp}: use {provider}, {kind} or the ID of a question",
        ),
        (
            "unknown key in the jira section",
            edit(
                "playbook.toml",
                "minutes = 30",
                "minutes = 30\n\n[jira]\nsearch_grace = 120",
            ),
            "playbook.toml:12:1: jira.search_grace: unknown field `search_grace`, expected one of `search_grace_seconds`, `fields`, `service_desk`",
        ),
        (
            "provider file outside a kind folder",
            append("providers/okta.toml", OKTA),
            "providers/okta.toml: a provider file must be in providers/sso/ or providers/hris/ (the folder is its kind)",
        ),
        (
            "provider in an unknown kind folder",
            append("providers/saml/okta2.toml", OKTA),
            "providers/saml/okta2.toml: a provider file must be in providers/sso/ or providers/hris/ (the folder is its kind)",
        ),
        (
            "provider file name that is not an ID",
            append("providers/sso/Okta SSO.toml", OKTA),
            "providers/sso/Okta SSO.toml: the file name `Okta SSO.toml` is not a valid provider ID: use lowercase letters, digits and hyphens (it is how drafts refer to the provider)",
        ),
        (
            "same provider ID in both kinds",
            append("providers/hris/okta.toml", ADP),
            "providers/sso/okta.toml: duplicate provider ID `okta`: providers/hris/okta.toml has the same file name, and drafts refer to providers by it",
        ),
        (
            "One-Pager that is not in the folder",
            with_one_pager(None),
            "playbook.toml:3:13: organisation.one_pager: `one-pager.pdf` is not in the playbook folder: put the PDF next to playbook.toml",
        ),
        (
            "One-Pager that is not a PDF",
            with_one_pager(Some(b"<html>One-Pager</html>")),
            "playbook.toml:3:13: organisation.one_pager: `one-pager.pdf` is not a PDF (it does not start with %PDF-): export the One-Pager as PDF",
        ),
        (
            "provider file that is not UTF-8",
            {
                let mut files = base();
                files.push((
                    "providers/sso/pingone.toml".to_owned(),
                    b"name = \"Ping\xffOne\"".to_vec(),
                ));
                files
            },
            "providers/sso/pingone.toml: not UTF-8 text: save the file with UTF-8 encoding",
        ),
        (
            "no description template",
            without("templates/description.md"),
            "templates/description.md: missing: the Jira description template (Markdown, with tera {{ variables }})",
        ),
        (
            "no support-channel message template",
            without("templates/slack.txt"),
            "templates/slack.txt: missing: the support-channel message template (plain text, with tera {{ variables }})",
        ),
        (
            "an identity provider host written as a link",
            edit(
                "providers/sso/okta.toml",
                "kind = \"sso\"",
                "kind = \"sso\"\nidp_hosts = [\"https://okta.com\"]",
            ),
            "providers/sso/okta.toml:2:14: idp_hosts[0]: `https://okta.com` is not a host name such as okta.com (no https://, no path)",
        ),
        (
            "no recap template",
            without("templates/recap.txt"),
            "templates/recap.txt: missing: the recap email template (plain text, first line \"Subject: …\", with tera {{ variables }})",
        ),
        (
            "a recap without its subject line",
            edit("templates/recap.txt", "Subject: ", "Re: "),
            "templates/recap.txt: the first line must be the subject, written \"Subject: …\"",
        ),
        (
            "a misspelt variable in the agenda",
            edit("templates/agenda.txt", "{{ kind }}", "{{ knid }}"),
            "templates/agenda.txt: Variable `knid` not found in context while rendering 'templates/agenda.txt'",
        ),
        (
            "a misspelt variable in the support-channel message",
            edit("templates/slack.txt", "{{ company }}", "{{ compnay }}"),
            "templates/slack.txt: Variable `compnay` not found in context while rendering 'templates/slack.txt'",
        ),
        (
            "a template tag left open",
            edit("templates/description.md", "{%- endfor %}", "{%- endfor"),
            "templates/description.md:7:1: expected `%}` or `-%}`",
        ),
        (
            "a misspelt template variable",
            edit(
                "templates/description.md",
                "{{ greeting }}",
                "{{ greting }}",
            ),
            "templates/description.md: Variable `greting` not found in context while rendering 'templates/description.md'",
        ),
        (
            "problems in several files are all reported",
            {
                let mut files = edit(
                    "providers/sso/okta.toml",
                    "kind = \"sso\"",
                    "kind = \"hris\"",
                );
                replace_in(
                    &mut files,
                    "adp.toml",
                    "type = \"yes_no\"",
                    "type = \"yesno\"",
                );
                files
            },
            concat!(
                "providers/hris/adp.toml:7:8: client_questions[0].type: unknown variant `yesno`, expected one of `short_text`, `long_text`, `email`, `url`, `number`, `date`, `date_time`, `select`, `multi_select`, `yes_no`, `checklist`, `screenshot`, `time_zone`",
                "\n",
                "providers/sso/okta.toml:1:8: kind: the file says \"hris\" but it is in the providers/sso/ folder"
            ),
        ),
    ]
}

#[test]
fn an_update_feed_over_https_or_to_this_computer_is_kept() {
    for feed in [
        "https://updates.example.com/onramp/latest.json",
        "http://127.0.0.1:8123/latest.json",
        "http://localhost/latest.json",
    ] {
        let playbook = load(edit(
            "playbook.toml",
            "credentials_notice = \"Send these to Support securely.\"",
            &format!(
                "credentials_notice = \"Send these to Support securely.\"\nupdate_feed = \"{feed}\""
            ),
        ))
        .unwrap();
        assert_eq!(playbook.organisation.update_feed.as_deref(), Some(feed));
    }
}

#[test]
fn the_one_pager_named_by_the_playbook_is_loaded_with_it() {
    let pdf = b"%PDF-1.4\n%%EOF\n";
    let playbook = load(with_one_pager(Some(pdf))).unwrap();
    assert_eq!(playbook.one_pager(), Some(("one-pager.pdf", &pdf[..])));
    assert_eq!(load(base()).unwrap().one_pager(), None);
}

#[test]
fn every_broken_playbook_gets_its_exact_message() {
    let cases = cases();
    assert!(cases.len() >= 30);
    let mut mismatches = Vec::new();
    for (name, files, expected) in cases {
        let actual = match load(files) {
            Ok(_) => "(loaded without error)".to_owned(),
            Err(e) => e,
        };
        if actual != expected {
            mismatches.push(format!(
                "{name}:\n  expected: {expected}\n  actual:   {actual}"
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
