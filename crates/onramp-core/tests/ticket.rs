//! The ticket every bundled provider's finished draft becomes: the summary the procedure writes,
//! a description valid against Atlassian's ADF schema, and values that arrive exactly as typed.

use std::sync::LazyLock;

use crate::support::{ManualClock, answer, create, fill_everything, open, picture, slot};
use image::ImageFormat;
use onramp_core::Onramp;
use onramp_core::answers::AnswerValue;
use onramp_core::drafts::{AnswerUpdate, DraftView};
use onramp_core::playbook::Kind;
use onramp_core::ticket::{AdfNode, Ticket};

/// Atlassian's published schema (npm `@atlaskit/adf-schema`, `dist/json-schema/v1/full.json`).
static ADF_SCHEMA: LazyLock<jsonschema::Validator> = LazyLock::new(|| {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../../../tests/fixtures/adf-schema-v1.json")).unwrap();
    jsonschema::draft4::new(&schema).unwrap()
});

fn assert_valid_adf(ticket: &Ticket, what: &str) {
    let json = serde_json::to_value(&ticket.description).unwrap();
    let errors: Vec<String> = ADF_SCHEMA
        .iter_errors(&json)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what}: invalid ADF:\n{}",
        errors.join("\n")
    );
}

/// Every text the document shows, in order.
fn texts(nodes: &[AdfNode], out: &mut Vec<String>) {
    for node in nodes {
        match node {
            AdfNode::Text { text, .. } => out.push(text.clone()),
            AdfNode::Paragraph { content }
            | AdfNode::Heading { content, .. }
            | AdfNode::BulletList { content }
            | AdfNode::OrderedList { content }
            | AdfNode::ListItem { content }
            | AdfNode::Table { content }
            | AdfNode::TableRow { content }
            | AdfNode::TableHeader { content }
            | AdfNode::TableCell { content } => texts(content, out),
            AdfNode::Rule | AdfNode::HardBreak => {}
        }
    }
}

fn all_text(ticket: &Ticket) -> String {
    let mut out = Vec::new();
    texts(&ticket.description.content, &mut out);
    out.concat()
}

fn finished(onramp: &mut Onramp, provider: &str, company: &str) -> DraftView {
    let view = create(onramp, provider);
    fill_everything(onramp, &view);
    onramp
        .set_answer(&answer(&view, "company", company))
        .unwrap();
    for slot_id in view
        .provider
        .as_ref()
        .map(|_| &view.steps)
        .into_iter()
        .flatten()
        .flat_map(|s| &s.fields)
        .filter(|f| f.kind == onramp_core::playbook::FieldKind::Screenshot)
        .map(|f| f.id.clone())
        .collect::<Vec<_>>()
    {
        onramp
            .attach_screenshot(
                &slot(&view, &slot_id),
                &format!("{slot_id}.png"),
                &picture(ImageFormat::Png),
            )
            .unwrap();
    }
    onramp.open_draft(view.draft.id).unwrap()
}

#[test]
fn every_bundled_provider_makes_a_valid_ticket_with_the_procedures_summary() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let providers: Vec<_> = onramp.playbook().providers().to_vec();
    assert_eq!(providers.len(), 22);
    for provider in providers {
        let view = finished(&mut onramp, &provider.id, "Acme Health");
        let ticket = onramp.ticket(view.draft.id).unwrap();
        let kind = match provider.kind {
            Kind::Sso => "SSO",
            Kind::Hris => "HRIS",
        };
        assert_eq!(
            ticket.summary,
            format!(
                "Enable {kind} {} Integration for Acme Health",
                provider.name
            )
        );
        assert_valid_adf(&ticket, &provider.name);
        let text = ticket.text();
        assert!(
            text.starts_with(&format!(
                "Hello team! Could you please help me with the following {kind} {} integration? Thank you!",
                provider.name
            )),
            "{}: {text}",
            provider.name
        );
        for section in [
            "Account and contacts",
            "Contract check",
            "Customer details",
            "CSM answers",
            "The client's yes/no answers",
            "Screenshots",
            "Meeting",
        ] {
            assert!(
                text.contains(section),
                "{}: no {section} in\n{text}",
                provider.name
            );
        }
        for shot in &view.screenshots {
            assert!(
                text.contains(&shot.file_name),
                "{}: {} not listed",
                provider.name,
                shot.file_name
            );
        }
        assert!(text.contains(&view.draft.id.to_string()));
        let wiki = ticket.wiki();
        assert!(wiki.contains("h2. Account and contacts"), "{wiki}");
        assert!(wiki.contains("||Question||Answer||"), "{wiki}");
    }
}

#[test]
fn the_clients_yes_no_answers_are_a_table_with_a_row_per_question() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let view = finished(&mut onramp, "ukg-pro", "Acme Health");
    let ticket = onramp.ticket(view.draft.id).unwrap();
    let table = ticket
        .description
        .content
        .iter()
        .find_map(|n| match n {
            AdfNode::Table { content } => Some(content),
            _ => None,
        })
        .unwrap();
    let client_questions = view
        .steps
        .iter()
        .find(|s| s.id == onramp_core::wizard::StepId::Client)
        .unwrap()
        .fields
        .len();
    assert_eq!(table.len(), 1 + client_questions);
    let mut header = Vec::new();
    texts(&table[..1], &mut header);
    assert_eq!(header, ["Question", "Answer"]);
}

#[test]
fn markup_in_what_the_csm_typed_arrives_verbatim_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let nasty = "*ACME* {{x}} <b> [link](x) _under_ |pipe| # not a heading\n- not a list";
    let view = finished(&mut onramp, "okta", nasty);
    let ticket = onramp.ticket(view.draft.id).unwrap();
    assert_eq!(
        ticket.summary,
        format!("Enable SSO Okta Integration for {nasty}")
    );
    assert_valid_adf(&ticket, "markup");
    let text = all_text(&ticket);
    assert!(
        text.contains("*ACME* {{x}} <b> [link](x) _under_ |pipe| # not a heading"),
        "{text}"
    );
    assert!(text.contains("- not a list"), "{text}");
    // No mark or link was made from the value.
    let json = serde_json::to_string(&ticket.description).unwrap();
    assert!(!json.contains("\"href\":\"x\""), "{json}");
    let wiki = ticket.wiki();
    assert!(
        wiki.contains("\\*ACME\\* \\{\\{x\\}\\} <b> \\[link\\]\\(x\\) \\_under\\_ \\|pipe\\| \\# not a heading\\\\ \\- not a list"),
        "{wiki}"
    );
    assert!(ticket.text().contains(nasty.lines().next().unwrap()));
}

#[test]
fn answers_to_questions_not_asked_stay_out_of_the_ticket() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let view = finished(&mut onramp, "ukg-pro", "Acme Health");
    let follow_up = view
        .steps
        .iter()
        .flat_map(|s| &s.fields)
        .find(|f| f.when.is_some())
        .unwrap()
        .clone();
    assert!(all_text(&onramp.ticket(view.draft.id).unwrap()).contains(&follow_up.label));
    let condition = follow_up.when.as_ref().unwrap();
    onramp
        .set_answer(&AnswerUpdate {
            draft_id: view.draft.id,
            field_id: condition.field.clone(),
            value: Some(AnswerValue::Bool(false)),
        })
        .unwrap();
    assert!(!all_text(&onramp.ticket(view.draft.id).unwrap()).contains(&follow_up.label));
}

#[test]
fn the_support_channel_message_names_the_request_and_keeps_values_verbatim() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let nasty = "*ACME* {{x}} <b> [link](x)";
    let view = finished(&mut onramp, "ukg-pro", nasty);
    let before = onramp.slack_message(view.draft.id, None).unwrap();
    assert!(
        before.starts_with(&format!(
            "Hi team! New HRIS integration request: UKG Pro for {nasty}."
        )),
        "{before}"
    );
    assert!(!before.contains("Ticket:"), "{before}");
    assert!(
        before.contains(&format!("Company name: {nasty}")),
        "{before}"
    );
    assert!(
        before.contains("to Support through a secure channel: Customer API Key"),
        "{before}"
    );
    let after = onramp
        .slack_message(
            view.draft.id,
            Some((
                "ONB-7".into(),
                "https://acme.atlassian.net/browse/ONB-7".into(),
            )),
        )
        .unwrap();
    assert!(
        after.contains("Ticket: ONB-7 https://acme.atlassian.net/browse/ONB-7"),
        "{after}"
    );
}
