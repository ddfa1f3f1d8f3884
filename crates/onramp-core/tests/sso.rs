//! SAML metadata and signing certificates as customers send them: one real-world-shaped file per
//! SAML provider in the playbook, certificates generated here (valid, expired, expiring, none,
//! two), hostile XML, and what the findings ask the CSM to do.

use std::io::{Read, Write};

use crate::support;
use crate::support::{ManualClock, answer_all, create, open};
use base64::Engine as _;
use onramp_core::Onramp;
use onramp_core::answers::AnswerValue;
use onramp_core::drafts::DraftView;
use onramp_core::sso::{Severity, metadata};

/// A self-signed certificate valid between the two dates (the test clock says 25 Nov 2026).
fn certificate(cn: &str, from: (i32, u8, u8), to: (i32, u8, u8)) -> String {
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, cn);
    params.not_before = rcgen::date_time_ymd(from.0, from.1, from.2);
    params.not_after = rcgen::date_time_ymd(to.0, to.1, to.2);
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = params.self_signed(&key).unwrap();
    base64::engine::general_purpose::STANDARD.encode(cert.der())
}

fn valid(cn: &str) -> String {
    certificate(cn, (2025, 1, 1), (2029, 1, 1))
}

/// IdP metadata as identity providers export it: md and ds namespaces, a signing and an
/// encryption key, NameID formats, Redirect and POST bindings.
fn idp_metadata(entity_id: &str, sso: &str, signing: &[String]) -> String {
    let keys = signing
        .iter()
        .map(|c| {
            format!(
                r#"<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>
{c}
</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"#
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let encryption = valid("encryption only");
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{entity_id}">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    {keys}
    <md:KeyDescriptor use="encryption"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{encryption}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{sso}"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="{sso}"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
"#
    )
}

/// Entity ID and SSO URL shaped like each SAML provider's own metadata.
const PROVIDERS: [(&str, &str, &str); 9] = [
    (
        "okta",
        "http://www.okta.com/exk1a2b3c4D5e6F7g8h9",
        "https://acme.okta.com/app/acme_onramp_1/exk1a2b3c4D5e6F7g8h9/sso/saml",
    ),
    (
        "entra-id",
        "https://sts.windows.net/8e0b5f4a-1c2d-4e5f-9a8b-7c6d5e4f3a2b/",
        "https://login.microsoftonline.com/8e0b5f4a-1c2d-4e5f-9a8b-7c6d5e4f3a2b/saml2",
    ),
    (
        "google-workspace",
        "https://accounts.google.com/o/saml2?idpid=C01abc2de",
        "https://accounts.google.com/o/saml2/idp?idpid=C01abc2de",
    ),
    (
        "onelogin",
        "https://app.onelogin.com/saml/metadata/7c6d5e4f",
        "https://acme.onelogin.com/trust/saml2/http-redirect/sso/7c6d5e4f",
    ),
    (
        "jumpcloud",
        "JumpCloud",
        "https://sso.jumpcloud.com/saml2/onramp",
    ),
    (
        "pingone",
        "https://auth.pingone.com/5e4f3a2b-8e0b-4e5f-9a8b-7c6d1c2d4e5f",
        "https://auth.pingone.com/5e4f3a2b-8e0b-4e5f-9a8b-7c6d1c2d4e5f/saml20/idp/sso",
    ),
    (
        "pingfederate",
        "https://sso.acme.example",
        "https://sso.acme.example/idp/SSO.saml2",
    ),
    (
        "adfs",
        "http://adfs.acme.example/adfs/services/trust",
        "https://adfs.acme.example/adfs/ls/",
    ),
    (
        "generic-saml",
        "https://idp.acme.example/saml",
        "https://idp.acme.example/saml/sso",
    ),
];

fn paste(onramp: &mut Onramp, view: &DraftView, xml: &str) {
    let protocol = view
        .steps
        .iter()
        .flat_map(|s| &s.fields)
        .find(|f| f.id == "protocol")
        .map(|f| f.options[0].clone());
    let mut answers = vec![
        ("idp_settings_as", "Metadata XML file"),
        ("metadata_xml", xml),
    ];
    if let Some(saml) = &protocol {
        answers.insert(0, ("protocol", saml.as_str()));
    }
    answer_all(onramp, view, &answers);
}

fn text_answer(onramp: &Onramp, view: &DraftView, field: &str) -> Option<String> {
    onramp
        .open_draft(view.draft.id)
        .unwrap()
        .draft
        .answers
        .get(field)
        .and_then(AnswerValue::as_text)
        .map(str::to_owned)
}

#[test]
fn each_saml_providers_metadata_is_read_and_fills_the_fields() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let saml: Vec<String> = onramp
        .playbook()
        .providers()
        .iter()
        .filter(|p| p.protocols.contains(&onramp_core::playbook::Protocol::Saml))
        .map(|p| p.id.clone())
        .collect();
    let mut tested: Vec<String> = PROVIDERS.iter().map(|p| p.0.to_owned()).collect();
    tested.sort();
    let mut expected = saml.clone();
    expected.sort();
    assert_eq!(
        tested, expected,
        "every SAML provider in the playbook has a metadata sample here"
    );

    for (provider, entity_id, sso) in PROVIDERS {
        let view = create(&mut onramp, provider);
        let cert = valid(&format!("{provider} signing"));
        paste(&mut onramp, &view, &idp_metadata(entity_id, sso, &[cert]));
        let checks = onramp.sso_checks(view.draft.id).unwrap();
        assert_eq!(checks.error, None, "{provider}");
        assert_eq!(checks.findings, [], "{provider}: {:?}", checks.findings);
        let metadata = checks.metadata.unwrap();
        assert_eq!(metadata.entity_id.as_deref(), Some(entity_id));
        assert_eq!(
            metadata
                .sso_urls
                .iter()
                .map(|e| e.binding.as_str())
                .collect::<Vec<_>>(),
            ["HTTP-POST", "HTTP-Redirect"]
        );
        assert_eq!(metadata.name_id_formats.len(), 2);
        assert_eq!(
            metadata.certificates.len(),
            1,
            "the encryption key is not a signing certificate"
        );
        let cert = &metadata.certificates[0];
        assert_eq!(cert.subject, format!("CN={provider} signing"));
        assert_eq!(cert.not_after.to_string(), "2029-01-01T00:00:00Z");
        assert_eq!(cert.sha256.len(), 32 * 3 - 1);
        assert_eq!(
            text_answer(&onramp, &view, "idp_entity_id").as_deref(),
            Some(entity_id)
        );
        assert_eq!(
            text_answer(&onramp, &view, "idp_sso_url").as_deref(),
            Some(sso)
        );
        let pem = text_answer(&onramp, &view, "signing_certificate").unwrap();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----\n"), "{pem}");
    }
}

/// The findings' messages for metadata of `provider` with these signing certificates.
fn findings(
    provider: &str,
    entity_id: &str,
    sso: &str,
    certs: &[String],
) -> Vec<(Severity, String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let view = create(&mut onramp, provider);
    paste(&mut onramp, &view, &idp_metadata(entity_id, sso, certs));
    onramp
        .sso_checks(view.draft.id)
        .unwrap()
        .findings
        .into_iter()
        .map(|f| (f.severity, f.message, f.ask))
        .collect()
}

/// `found` is one finding: of `severity`, saying `text`, with what to ask containing `ask`.
fn assert_single(found: &[(Severity, String, String)], severity: Severity, text: &str, ask: &str) {
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, severity);
    assert_eq!(found[0].1, text);
    assert!(found[0].2.contains(ask), "{}", found[0].2);
}

#[test]
fn certificates_that_expired_expire_soon_are_missing_or_rotate_are_flagged_with_what_to_ask() {
    let (entity, sso) = (PROVIDERS[0].1, PROVIDERS[0].2);
    let expired = findings(
        "okta",
        entity,
        sso,
        &[certificate("old", (2023, 1, 1), (2026, 10, 1))],
    );
    assert_single(
        &expired,
        Severity::Problem,
        "The signing certificate expired on 1 Oct 2026.",
        "create a new signing certificate",
    );
    let expiring = findings(
        "okta",
        entity,
        sso,
        &[certificate("soon", (2024, 1, 1), (2027, 1, 4))],
    );
    assert_single(
        &expiring,
        Severity::Warning,
        "The signing certificate expires on 4 Jan 2027, in 40 days.",
        "when they will rotate it",
    );

    let none = findings("okta", entity, sso, &[]);
    assert_eq!(none[0].1, "The metadata has no signing certificate.");

    let two = findings("okta", entity, sso, &[valid("current"), valid("next")]);
    assert_eq!(two.len(), 1);
    assert_eq!(two[0].0, Severity::Note);
    assert!(
        two[0]
            .1
            .contains("2 signing certificates: a certificate rotation is in progress")
    );
}

#[test]
fn wrong_hosts_missing_values_and_another_idps_metadata_are_flagged() {
    let cert = [valid("idp")];
    let http = findings(
        "generic-saml",
        "https://idp.acme.example",
        "http://idp.acme.example/sso",
        &cert,
    );
    assert_eq!(
        http[0].1,
        "The SSO URL http://idp.acme.example/sso is not https."
    );
    let no_entity = findings("generic-saml", "", "https://idp.acme.example/sso", &cert);
    assert_eq!(no_entity[0].1, "The metadata has no entity ID (issuer).");

    // An Okta metadata file in the Entra ID wizard.
    let okta_in_entra = findings("entra-id", PROVIDERS[0].1, PROVIDERS[0].2, &cert);
    assert_single(
        &okta_in_entra,
        Severity::Warning,
        "This metadata is Okta's, not Microsoft Entra ID (Azure AD)'s (it points at www.okta.com, acme.okta.com).",
        "start the request for Okta instead",
    );
}

#[test]
fn hostile_or_wrong_files_are_refused_with_the_reason() {
    let laughs = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>"#;
    let external = r#"<?xml version="1.0"?><!DOCTYPE md [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="&xxe;"/>"#;
    for dtd in [laughs, external] {
        let e = metadata::parse(dtd.as_bytes()).unwrap_err();
        assert!(e.contains("declares a DTD"), "{e}");
    }
    let huge = vec![b' '; 50 * 1024 * 1024];
    assert!(
        metadata::parse(&huge)
            .unwrap_err()
            .contains("This file is 50.0 MB; SAML metadata is a few KB")
    );
    assert!(
        metadata::parse(b"Hello, this is our SSO: see attached")
            .unwrap_err()
            .contains("not well-formed XML")
    );
    assert!(
        metadata::parse(&[0xff, 0xfe, 0x00])
            .unwrap_err()
            .contains("not text")
    );
    let sp = r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp.example"><md:SPSSODescriptor/></md:EntityDescriptor>"#;
    assert!(
        metadata::parse(sp.as_bytes())
            .unwrap_err()
            .contains("describes a service provider")
    );
    let deep = format!("<a>{}</a>", "<b/>".repeat(30_000));
    assert!(
        metadata::parse(deep.as_bytes())
            .unwrap_err()
            .contains("far larger")
    );

    // Pasted into the wizard: the text is kept, nothing else is filled, the reason is shown.
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let view = create(&mut onramp, "okta");
    paste(&mut onramp, &view, laughs);
    let checks = onramp.sso_checks(view.draft.id).unwrap();
    assert!(checks.error.unwrap().contains("declares a DTD"));
    assert_eq!(
        text_answer(&onramp, &view, "metadata_xml").as_deref(),
        Some(laughs)
    );
    assert_eq!(text_answer(&onramp, &view, "idp_entity_id"), None);
}

#[test]
fn the_ticket_carries_the_checks_for_the_engineer() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let view = create(&mut onramp, "okta");
    let soon = certificate("acme.okta.com", (2024, 1, 1), (2027, 1, 4));
    paste(
        &mut onramp,
        &view,
        &idp_metadata(PROVIDERS[0].1, PROVIDERS[0].2, &[soon]),
    );
    let text = onramp.ticket(view.draft.id).unwrap().text();
    assert!(text.contains("Checks"), "{text}");
    assert!(
        text.contains("Warning: The signing certificate expires on 4 Jan 2027, in 40 days."),
        "{text}"
    );
    assert!(
        text.contains("Signing certificate: CN=acme.okta.com, valid until 4 Jan 2027, SHA-256 "),
        "{text}"
    );
    assert!(text.contains("Checked: the pasted metadata"), "{text}");
}

#[test]
fn a_typed_certificate_is_checked_too() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let view = create(&mut onramp, "okta");
    let der = certificate("typed", (2023, 1, 1), (2026, 11, 1));
    let pem = format!("-----BEGIN CERTIFICATE-----\n{der}\n-----END CERTIFICATE-----\n");
    answer_all(
        &mut onramp,
        &view,
        &[
            ("protocol", "SAML 2.0"),
            ("idp_settings_as", "SSO URL, entity ID and certificate"),
            ("signing_certificate", &pem),
        ],
    );
    let checks = onramp.sso_checks(view.draft.id).unwrap();
    assert_eq!(checks.source.as_deref(), Some("the signing certificate"));
    assert_eq!(
        checks.findings[0].message,
        "The signing certificate expired on 1 Nov 2026."
    );
    answer_all(
        &mut onramp,
        &view,
        &[(
            "signing_certificate",
            "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----",
        )],
    );
    let refused = onramp.sso_checks(view.draft.id).unwrap().error.unwrap();
    assert!(
        refused.contains("never ask for a private key")
            || refused.contains("not a PEM certificate"),
        "{refused}"
    );
}

/// Serves one HTTP response over loopback: `status` with the body `body` makes from the
/// server's base URL. Returns the base URL.
fn serve_once(status: &str, body: impl FnOnce(&str) -> String + Send + 'static) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let body = body(&base);
    let status = status.to_owned();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = [0u8; 4096];
        let _ = stream.read(&mut request).unwrap();
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body.as_bytes()).unwrap();
    });
    base
}

fn offline_url() -> String {
    // Nothing listens here once the listener is dropped: the CSM is offline.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", closed.local_addr().unwrap())
}

fn check_online(
    onramp: Onramp,
    id: onramp_core::model::DraftId,
) -> (Onramp, onramp_core::sso::SsoChecks) {
    let core = onramp_core::Shared::new(onramp);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let checks = runtime.block_on(core.check_online(id)).unwrap();
    (core.into_inner().unwrap(), checks)
}

#[test]
fn a_metadata_url_given_offline_is_fetched_later_and_then_checked() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let view = create(&mut onramp, "okta");
    let id = view.draft.id;
    let offline = format!("{}/metadata", offline_url());
    answer_all(
        &mut onramp,
        &view,
        &[
            ("protocol", "SAML 2.0"),
            ("idp_settings_as", "Metadata URL"),
            ("metadata_url", &offline),
        ],
    );
    let (mut onramp, checks) = check_online(onramp, id);
    assert_eq!(checks.pending_url.as_deref(), Some(offline.as_str()));
    assert!(checks.error.unwrap().contains("could not be reached"));

    let cert = valid("fetched");
    let base = serve_once("200 OK", move |_| {
        idp_metadata(PROVIDERS[0].1, PROVIDERS[0].2, &[cert])
    });
    let url = format!("{base}/app/metadata");
    answer_all(&mut onramp, &view, &[("metadata_url", &url)]);
    assert_eq!(
        onramp.metadata_url_to_fetch(id).unwrap().as_deref(),
        Some(url.as_str())
    );
    let (onramp, checks) = check_online(onramp, id);
    assert_eq!(checks.error, None);
    assert!(
        checks
            .source
            .unwrap()
            .starts_with(&format!("the metadata fetched from {url} on 25 Nov 2026"))
    );
    assert_eq!(
        checks.metadata.unwrap().certificates[0].subject,
        "CN=fetched"
    );
    assert_eq!(
        text_answer(&onramp, &view, "idp_sso_url").as_deref(),
        Some(PROVIDERS[0].2)
    );
    assert_eq!(
        onramp.metadata_url_to_fetch(id).unwrap(),
        None,
        "fetched once is enough"
    );
}

#[test]
fn an_oidc_issuer_must_serve_a_configuration_that_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let view = create(&mut onramp, "generic-oidc");
    let id = view.draft.id;
    let issuer_is = |onramp: Onramp, issuer: &str| {
        let mut onramp = onramp;
        answer_all(&mut onramp, &view, &[("oidc_issuer", issuer)]);
        assert_eq!(
            onramp.sso_checks(id).unwrap().pending_issuer.as_deref(),
            Some(issuer)
        );
        check_online(onramp, id)
    };
    // Offline: still pending, with the reason.
    let (onramp_back, checks) = issuer_is(onramp, &offline_url());
    assert!(checks.pending_issuer.is_some());
    assert!(checks.error.unwrap().contains("could not be reached"));
    onramp = onramp_back;

    let base = serve_once("200 OK", |base| {
        format!(r#"{{"issuer":"{base}","jwks_uri":"{base}/keys"}}"#)
    });
    let (onramp_back, checks) = issuer_is(onramp, &base);
    assert_eq!((checks.pending_issuer, checks.findings), (None, vec![]));
    onramp = onramp_back;

    let base = serve_once("200 OK", |base| format!(r#"{{"issuer":"{base}/"}}"#));
    let (onramp_back, checks) = issuer_is(onramp, &base);
    assert_eq!(checks.findings[0].severity, Severity::Problem);
    assert_eq!(
        checks.findings[0].message,
        format!("The issuer's configuration names it {base}/, not {base}.")
    );
    assert!(checks.findings[0].ask.contains("a trailing slash matters"));
    onramp = onramp_back;

    let base = serve_once("404 Not Found", |_| "no".into());
    let (onramp, checks) = issuer_is(onramp, &base);
    assert!(
        checks.findings[0]
            .message
            .starts_with("The issuer serves no OpenID configuration (404 Not Found at "),
        "{:?}",
        checks.findings
    );
    // The engineer sees it on the ticket.
    assert!(
        onramp
            .ticket(id)
            .unwrap()
            .text()
            .contains("Problem: The issuer serves no OpenID configuration")
    );
}

#[test]
fn an_hris_with_its_own_sso_suggests_the_sso_request_for_the_same_company() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let view = create(&mut onramp, "rippling");
    answer_all(
        &mut onramp,
        &view,
        &[("company", "Hooli"), ("poc_email", "it@hooli.example")],
    );
    let view = onramp.open_draft(view.draft.id).unwrap();
    let sso = view.suggested_sso.clone().unwrap();
    assert_eq!(sso.kind, onramp_core::playbook::Kind::Sso);
    let linked = onramp
        .duplicate_draft(&onramp_core::drafts::DuplicateDraft {
            draft_id: view.draft.id,
            provider_id: sso.id.clone(),
        })
        .unwrap();
    assert_eq!(linked.draft.provider_id, sso.id);
    assert_eq!(linked.draft.company().as_deref(), Some("Hooli"));
    assert_eq!(
        text_answer(&onramp, &linked, "poc_email").as_deref(),
        Some("it@hooli.example")
    );
    assert!(create(&mut onramp, "gusto").suggested_sso.is_none());
}

#[test]
fn identifiers_are_checked_as_they_are_typed() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let message = |onramp: &mut Onramp, provider: &str, field: &str, value: &str| {
        let view = create(onramp, provider);
        // Entra ID asks tenant and client IDs for OpenID Connect.
        let protocol = if provider == "entra-id" {
            "OpenID Connect"
        } else {
            "SAML 2.0"
        };
        answer_all(onramp, &view, &[("protocol", protocol)]);
        let saved = onramp
            .set_answer(&support::answer(&view, field, value))
            .unwrap();
        saved
            .readiness
            .steps
            .iter()
            .flat_map(|s| &s.issues)
            .find(|i| i.field_id == field)
            .map(|i| i.message.clone())
    };
    let cases = [
        (
            "okta",
            "other_email_domains",
            "acme.com\n\nacme-health.org",
            None,
        ),
        (
            "okta",
            "other_email_domains",
            "acme.com\nhttps://acme.org",
            Some(
                "\"https://acme.org\" is not a domain: write one per line, such as example.com (no https://, no path).",
            ),
        ),
        ("okta", "email_domain", "acme.com", None),
        (
            "okta",
            "email_domain",
            "@acme.com",
            Some("Enter a domain such as example.com (no https://, no path)."),
        ),
        ("okta", "okta_domain", "acme.oktapreview.com", None),
        (
            "okta",
            "okta_domain",
            "https://acme.okta.com",
            Some("Enter a domain such as example.com (no https://, no path)."),
        ),
        (
            "entra-id",
            "tenant_id",
            "8e0b5f4a-1c2d-4e5f-9a8b-7c6d5e4f3a2b",
            None,
        ),
        (
            "entra-id",
            "tenant_id",
            "contoso.onmicrosoft.com",
            Some("Enter a GUID such as 8e0b5f4a-1c2d-4e5f-9a8b-7c6d5e4f3a2b."),
        ),
        (
            "entra-id",
            "client_id",
            "not-a-guid",
            Some("Enter a GUID such as 8e0b5f4a-1c2d-4e5f-9a8b-7c6d5e4f3a2b."),
        ),
    ];
    for (provider, field, value, expected) in cases {
        assert_eq!(
            message(&mut onramp, provider, field, value).as_deref(),
            expected,
            "{provider} {field} = {value:?}"
        );
    }
}
