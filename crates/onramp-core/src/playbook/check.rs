//! Parses the playbook files and checks everything a file format cannot express, collecting
//! every problem with its position.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;
use serde::de::DeserializeOwned;
use tera::Tera;
use toml::Spanned;

use super::Playbook;
use super::error::{PlaybookError, PlaybookErrors, SourceFile};
use super::files::{
    FieldFile, JiraFieldFile, KindFile, PlaybookFile, ProviderFile, ScreenshotFile, ServiceDeskFile,
};
use super::model::{
    Condition, ConditionValue, DeskPlaybook, Field, FieldKind, JiraMapping, JiraPlaybook, Kind,
    KindSettings, MappingSource, MeetingSettings, Organisation, Protocol, Provider, Rules,
    ScreenshotSlot, SsoReference,
};
use super::{fields, templates};

static FIELD_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("^[a-z][a-z0-9_]*$").expect("valid"));
static PROVIDER_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("^[a-z0-9][a-z0-9-]*$").expect("valid"));

const MAX_MEETING_MINUTES: u32 = 480;

/// Jira's index catches up within "seconds to minutes"; an hour is far past any real lag.
const SEARCH_GRACE_SECONDS: std::ops::RangeInclusive<u64> = 10..=3600;

/// Mail servers commonly refuse messages over 10–25 MB; the One-Pager rides on the recap email.
const MAX_ONE_PAGER_BYTES: usize = 10 * 1024 * 1024;

pub(super) fn load(mut files: Vec<(PathBuf, Vec<u8>)>) -> Result<Playbook, PlaybookErrors> {
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut errors = Vec::new();
    let (texts, mut other_files) = split_files(files, &mut errors);
    let mut root = None;
    let mut provider_files = Vec::new();
    for (name, text) in &texts {
        let source = SourceFile { name, text };
        if name == "playbook.toml" {
            root = parse::<PlaybookFile>(source, &mut errors).map(|file| (source, file));
        } else if let Some(rest) = name.strip_prefix("providers/") {
            match provider_location(rest) {
                Ok(Some((kind, id))) => {
                    if let Some(file) = parse::<ProviderFile>(source, &mut errors) {
                        provider_files.push((source, kind, id, file));
                    }
                }
                Ok(None) => {}
                Err(message) => errors.push(source.error(None, "", message)),
            }
        }
    }
    let Some((root_source, root)) = root else {
        if !texts.iter().any(|(n, _)| n == "playbook.toml") {
            errors.insert(
                0,
                PlaybookError {
                    file: "playbook.toml".to_owned(),
                    line: 0,
                    column: 0,
                    path: String::new(),
                    message: "missing: every playbook needs playbook.toml with [organisation], [meeting], [sso] and [hris]".to_owned(),
                },
            );
        }
        return Err(PlaybookErrors(errors));
    };

    let mut check = Checker { errors };
    let organisation = check.organisation(root_source, &root);
    let templates = check.templates(&mut other_files);
    let one_pager = root
        .organisation
        .one_pager
        .as_ref()
        .and_then(|name| check.one_pager(root_source, name, &mut other_files));
    let meeting = check.meeting(root_source, &root);
    let sso = check.kind_settings(root_source, Kind::Sso, &root.sso);
    let hris = check.kind_settings(root_source, Kind::Hris, &root.hris);

    let sso_ids: Vec<&str> = provider_files
        .iter()
        .filter(|(_, kind, ..)| *kind == Kind::Sso)
        .map(|(_, _, id, _)| id.as_str())
        .collect();
    let mut seen_ids: HashMap<&str, &str> = HashMap::new();
    let mut providers = Vec::new();
    for (source, kind, id, file) in &provider_files {
        if let Some(other) = seen_ids.insert(id, source.name) {
            check.errors.push(source.error(
                None,
                "",
                format!("duplicate provider ID `{id}`: {other} has the same file name, and drafts refer to providers by it"),
            ));
            continue;
        }
        let settings = match kind {
            Kind::Sso => &sso,
            Kind::Hris => &hris,
        };
        if let Some(p) = check.provider(*source, *kind, id, file, settings, &sso_ids) {
            providers.push(p);
        }
    }

    let mut known: HashSet<String> = fields::built_in().into_iter().map(|f| f.id).collect();
    for settings in [&sso, &hris] {
        known.extend(all_fields(settings, None));
    }
    for provider in &providers {
        known.extend(all_fields(
            settings_of(provider.kind, &sso, &hris),
            Some(provider),
        ));
    }
    let jira = check.jira(root_source, &root, &known);

    if !check.errors.is_empty() {
        return Err(PlaybookErrors(check.errors));
    }
    providers.sort_by(|a, b| (a.kind.as_str(), &a.name).cmp(&(b.kind.as_str(), &b.name)));
    Ok(Playbook {
        organisation,
        meeting,
        jira,
        best_practices: root.best_practices,
        sso,
        hris,
        providers,
        one_pager,
        templates,
    })
}

fn settings_of<'a>(kind: Kind, sso: &'a KindSettings, hris: &'a KindSettings) -> &'a KindSettings {
    match kind {
        Kind::Sso => sso,
        Kind::Hris => hris,
    }
}

/// The IDs of every question a draft of this kind (and provider) asks.
fn all_fields(settings: &KindSettings, provider: Option<&Provider>) -> Vec<String> {
    let kind = [
        &settings.details,
        &settings.csm_questions,
        &settings.client_questions,
    ];
    let own = provider
        .map(|p| vec![&p.details, &p.csm_questions, &p.client_questions])
        .unwrap_or_default();
    kind.into_iter()
        .chain(own)
        .flatten()
        .map(|f| f.id.clone())
        .collect()
}

/// A template problem at tera's ` --> line:column`, with its most telling line as the message.
fn template_error(file: &str, message: &str) -> PlaybookError {
    static POSITION: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"--> (\d+):(\d+)").expect("valid"));
    let (line, column) = POSITION.captures(message).map_or((0, 0), |c| {
        (
            c[1].parse().unwrap_or_default(),
            c[2].parse().unwrap_or_default(),
        )
    });
    let telling = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("-->") && !l.starts_with('|'))
        .filter(|l| !l.starts_with("Failed to "))
        .rfind(|l| !l.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .unwrap_or(message)
        .trim_start_matches("= ")
        .to_owned();
    PlaybookError {
        file: file.to_owned(),
        line,
        column,
        path: String::new(),
        message: telling,
    }
}

/// `(name, text)` of each TOML file.
type Texts = Vec<(String, String)>;
/// Every other file, such as the One-Pager, by name.
type OtherFiles = HashMap<String, Vec<u8>>;

fn split_files(
    files: Vec<(PathBuf, Vec<u8>)>,
    errors: &mut Vec<PlaybookError>,
) -> (Texts, OtherFiles) {
    let mut texts = Vec::new();
    let mut others = HashMap::new();
    for (path, bytes) in files {
        let name = slash_path(&path);
        if path.extension().is_none_or(|e| e != "toml") {
            others.insert(name, bytes);
            continue;
        }
        match String::from_utf8(bytes) {
            Ok(text) => texts.push((name, text)),
            Err(_) => errors.push(PlaybookError {
                file: name,
                line: 0,
                column: 0,
                path: String::new(),
                message: "not UTF-8 text: save the file with UTF-8 encoding".to_owned(),
            }),
        }
    }
    (texts, others)
}

fn slash_path(path: &Path) -> String {
    path.iter()
        .map(|p| p.to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// `sso/okta.toml` → (SSO, "okta"); `None` for files that are not provider files.
fn provider_location(rest: &str) -> Result<Option<(Kind, String)>, String> {
    if Path::new(rest).extension().is_none_or(|e| e != "toml") {
        return Ok(None);
    }
    let misplaced = || {
        "a provider file must be in providers/sso/ or providers/hris/ (the folder is its kind)"
            .to_owned()
    };
    let (folder, file) = rest.split_once('/').ok_or_else(misplaced)?;
    let kind = Kind::parse(folder)
        .filter(|_| !file.contains('/'))
        .ok_or_else(misplaced)?;
    let id = file.trim_end_matches(".toml");
    if !PROVIDER_ID.is_match(id) {
        return Err(format!(
            "the file name `{file}` is not a valid provider ID: use lowercase letters, digits and hyphens (it is how drafts refer to the provider)"
        ));
    }
    Ok(Some((kind, id.to_owned())))
}

fn parse<T: DeserializeOwned>(
    source: SourceFile<'_>,
    errors: &mut Vec<PlaybookError>,
) -> Option<T> {
    let deserializer = match toml::de::Deserializer::parse(source.text) {
        Ok(d) => d,
        Err(e) => {
            errors.push(source.error(e.span(), "", first_line(e.message())));
            return None;
        }
    };
    match serde_path_to_error::deserialize(deserializer) {
        Ok(file) => Some(file),
        Err(e) => {
            let path = key_path(&e.path().to_string());
            let inner = e.into_inner();
            errors.push(source.error(
                inner.span(),
                &path,
                plain_words(&first_line(inner.message())),
            ));
            None
        }
    }
}

/// `details[0].kind.$__serde_spanned_private_value` → `details[0].kind`; `.` (the root) → "".
fn key_path(raw: &str) -> String {
    raw.split('.')
        .filter(|segment| !segment.is_empty() && !segment.starts_with("$__serde_spanned"))
        .collect::<Vec<_>>()
        .join(".")
}

/// serde speaks Rust; the people editing a playbook do not.
fn plain_words(message: &str) -> String {
    if let Some(key) = message.strip_prefix("missing field ") {
        return format!("missing required key {key}");
    }
    [
        ("expected u32", "expected a whole number"),
        ("expected a sequence", "expected a list"),
        ("expected a boolean", "expected true or false"),
        ("expected struct", "expected a table"),
    ]
    .iter()
    .fold(message.to_owned(), |m, (from, to)| m.replace(from, to))
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or_default().trim().to_owned()
}

/// The fields a wizard asks so far, for duplicate IDs and `when` references.
#[derive(Debug, Default)]
struct Scope {
    /// ID → kind, options, and where it was declared.
    fields: HashMap<String, (FieldKind, Vec<String>, String)>,
}

impl Scope {
    fn with_fixed_fields() -> Self {
        let mut scope = Self::default();
        for field in fields::built_in() {
            scope.add(&field, "the wizard's built-in steps");
        }
        scope
    }

    fn add(&mut self, field: &Field, origin: &str) {
        self.fields.insert(
            field.id.clone(),
            (field.kind, field.options.clone(), origin.to_owned()),
        );
    }

    fn add_id(&mut self, id: &str, kind: FieldKind, origin: &str) {
        self.fields
            .insert(id.to_owned(), (kind, Vec::new(), origin.to_owned()));
    }
}

struct Checker {
    errors: Vec<PlaybookError>,
}

impl Checker {
    fn https(&mut self, source: SourceFile<'_>, path: &str, url: &Spanned<String>) {
        let ok = url::Url::parse(url.get_ref())
            .is_ok_and(|u| u.scheme() == "https" && u.host().is_some());
        if !ok {
            self.errors.push(source.error(
                Some(url.span()),
                path,
                format!("`{}` is not an https:// link", url.get_ref()),
            ));
        }
    }

    fn organisation(&mut self, source: SourceFile<'_>, root: &PlaybookFile) -> Organisation {
        let org = &root.organisation;
        self.https(
            source,
            "organisation.presentations_folder",
            &org.presentations_folder,
        );
        if let Some(feed) = &org.update_feed {
            self.update_feed(source, feed);
        }
        Organisation {
            name: org.name.clone(),
            support_channel: org.support_channel.clone(),
            presentations_folder: org.presentations_folder.get_ref().clone(),
            one_pager: org.one_pager.as_ref().map(|n| n.get_ref().clone()),
            credentials_notice: org.credentials_notice.clone(),
            update_feed: org.update_feed.as_ref().map(|f| f.get_ref().clone()),
        }
    }

    /// Updates come over https; plain http only from this computer, for a test feed (the
    /// package's signature is checked either way).
    fn update_feed(&mut self, source: SourceFile<'_>, feed: &Spanned<String>) {
        let ok = url::Url::parse(feed.get_ref()).is_ok_and(|u| {
            (u.scheme() == "https" && u.host().is_some())
                || (u.scheme() == "http" && crate::net::is_loopback(&u))
        });
        if !ok {
            self.errors.push(source.error(
                Some(feed.span()),
                "organisation.update_feed",
                format!(
                    "`{}` is not an https:// link (plain http:// only to this computer, for a test feed)",
                    feed.get_ref()
                ),
            ));
        }
    }

    /// Parses every file under `templates/`, requires the description template, and renders it
    /// once per kind with sample values, so a misspelt variable is found here and not at submit.
    fn templates(&mut self, other_files: &mut OtherFiles) -> Tera {
        let mut tera = templates::engine();
        let mut names: Vec<String> = other_files
            .keys()
            .filter(|n| n.starts_with("templates/"))
            .cloned()
            .collect();
        names.sort();
        let mut parsed = true;
        for name in &names {
            let bytes = other_files.remove(name).unwrap_or_default();
            let added = String::from_utf8(bytes)
                .map_err(|_| "not UTF-8 text: save the file with UTF-8 encoding".to_owned())
                .and_then(|text| {
                    tera.add_raw_template(name, &text)
                        .map_err(|e| templates::error_chain(&e))
                });
            if let Err(message) = added {
                parsed = false;
                self.errors.push(template_error(name, &message));
            }
        }
        let missing: Vec<&(&str, &str)> = templates::REQUIRED
            .iter()
            .filter(|(t, _)| !names.iter().any(|n| n == t))
            .collect();
        for (template, what) in &missing {
            self.errors.push(PlaybookError {
                file: (*template).to_owned(),
                line: 0,
                column: 0,
                path: String::new(),
                message: format!("missing: {what}"),
            });
        }
        if missing.is_empty() && parsed {
            for kind in Kind::ALL {
                if let Err((file, message)) = templates::try_all(&tera, kind) {
                    self.errors.push(template_error(file, &message));
                    break;
                }
            }
        }
        tera
    }

    /// The One-Pager must be a PDF inside the playbook folder, small enough to attach to an email.
    fn one_pager(
        &mut self,
        source: SourceFile<'_>,
        name: &Spanned<String>,
        other_files: &mut OtherFiles,
    ) -> Option<Vec<u8>> {
        let problem = match other_files.remove(name.get_ref()) {
            None => "is not in the playbook folder: put the PDF next to playbook.toml",
            Some(bytes) if !bytes.starts_with(b"%PDF-") => {
                "is not a PDF (it does not start with %PDF-): export the One-Pager as PDF"
            }
            Some(bytes) if bytes.len() > MAX_ONE_PAGER_BYTES => {
                "is larger than 10 MB, too big to attach to the recap email"
            }
            Some(bytes) => return Some(bytes),
        };
        self.errors.push(source.error(
            Some(name.span()),
            "organisation.one_pager",
            format!("`{}` {problem}", name.get_ref()),
        ));
        None
    }

    fn meeting(&mut self, source: SourceFile<'_>, root: &PlaybookFile) -> MeetingSettings {
        let minutes = &root.meeting.minutes;
        if !(1..=MAX_MEETING_MINUTES).contains(minutes.get_ref()) {
            self.errors.push(source.error(
                Some(minutes.span()),
                "meeting.minutes",
                format!("a meeting lasts between 1 and {MAX_MEETING_MINUTES} minutes"),
            ));
        }
        MeetingSettings {
            type_name: root.meeting.type_name.clone(),
            minutes: *minutes.get_ref(),
        }
    }

    fn jira(
        &mut self,
        source: SourceFile<'_>,
        root: &PlaybookFile,
        known: &HashSet<String>,
    ) -> JiraPlaybook {
        let mut jira = JiraPlaybook {
            fields: self.jira_fields(source, &root.jira.fields, known),
            service_desk: root
                .jira
                .service_desk
                .as_ref()
                .map(|d| self.service_desk(source, d))
                .unwrap_or_default(),
            ..JiraPlaybook::default()
        };
        if let Some(grace) = &root.jira.search_grace_seconds {
            if SEARCH_GRACE_SECONDS.contains(grace.get_ref()) {
                jira.search_grace = std::time::Duration::from_secs(*grace.get_ref());
            } else {
                self.errors.push(source.error(
                    Some(grace.span()),
                    "jira.search_grace_seconds",
                    format!(
                        "between {} and {} seconds: as long as Jira's search may take to show a new ticket",
                        SEARCH_GRACE_SECONDS.start(),
                        SEARCH_GRACE_SECONDS.end()
                    ),
                ));
            }
        }
        jira
    }

    /// `[jira.service_desk]`: people by email, each one Jira can look up.
    fn service_desk(&mut self, source: SourceFile<'_>, file: &ServiceDeskFile) -> DeskPlaybook {
        let mut email = |path: String, value: &Spanned<String>| {
            let text = value.get_ref().trim();
            let looks_right = text
                .split_once('@')
                .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'));
            if !looks_right {
                self.errors.push(source.error(
                    Some(value.span()),
                    &path,
                    format!("`{text}` is not an email address: Jira finds people by their email"),
                ));
            }
            text.to_owned()
        };
        let raise_on_behalf_of = file
            .raise_on_behalf_of
            .as_ref()
            .map(|v| email("jira.service_desk.raise_on_behalf_of".into(), v));
        let participants = file
            .participants
            .iter()
            .enumerate()
            .map(|(n, v)| email(format!("jira.service_desk.participants[{n}]"), v))
            .collect();
        let line = file
            .raise_on_behalf_of
            .as_ref()
            .or(file.participants.first())
            .map(|v| source.error(Some(v.span()), "", "").line);
        DeskPlaybook {
            raise_on_behalf_of,
            participants,
            public_attachments: file.public_attachments,
            origin: line.map_or_else(
                || format!("{} [jira.service_desk]", source.name),
                |l| format!("{}:{l}", source.name),
            ),
        }
    }

    /// `[[jira.fields]]`: each names a field and exactly one source; answers and template
    /// placeholders must be questions the playbook asks (`known`).
    fn jira_fields(
        &mut self,
        source: SourceFile<'_>,
        files: &[Spanned<JiraFieldFile>],
        known: &HashSet<String>,
    ) -> Vec<JiraMapping> {
        static PLACEHOLDER: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"\{([^{}]*)\}").expect("valid"));
        let mut out = Vec::new();
        for (n, spanned) in files.iter().enumerate() {
            let file = spanned.get_ref();
            let path = format!("jira.fields[{n}]");
            let field = file.field.get_ref().trim();
            if field.is_empty() {
                self.errors.push(source.error(
                    Some(file.field.span()),
                    &format!("{path}.field"),
                    "name the Jira field, by its ID (customfield_10050) or as Jira shows it (Customer)",
                ));
                continue;
            }
            let unknown = |id: &str| !known.contains(id) && !["provider", "kind"].contains(&id);
            let source_of = match (&file.value, &file.answer, &file.template) {
                (Some(value), None, None) => Ok(MappingSource::Value(value.clone())),
                (None, Some(answer), None) if unknown(answer.get_ref()) => Err((
                    Some(answer.span()),
                    format!("{path}.answer"),
                    format!(
                        "`{}` is not a question of this playbook: use the ID of a question (company, lms_account_id, …)",
                        answer.get_ref()
                    ),
                )),
                (None, Some(answer), None) => Ok(MappingSource::Answer(answer.get_ref().clone())),
                (None, None, Some(template)) => {
                    let bad = PLACEHOLDER
                        .captures_iter(template.get_ref())
                        .filter_map(|c| c.get(1))
                        .map(|m| m.as_str())
                        .find(|p| unknown(p));
                    match bad {
                        Some(bad) => Err((
                            Some(template.span()),
                            format!("{path}.template"),
                            format!(
                                "unknown placeholder {{{bad}}}: use {{provider}}, {{kind}} or the ID of a question"
                            ),
                        )),
                        None => Ok(MappingSource::Template(template.get_ref().clone())),
                    }
                }
                _ => Err((
                    Some(spanned.span()),
                    path.clone(),
                    format!("`{field}` needs exactly one of value, answer or template"),
                )),
            };
            match source_of {
                Ok(mapping) => out.push(JiraMapping {
                    field: field.to_owned(),
                    source: mapping,
                    origin: format!(
                        "{}:{}",
                        source.name,
                        source.error(Some(spanned.span()), "", "").line
                    ),
                }),
                Err((span, path, message)) => {
                    self.errors.push(source.error(span, &path, message));
                }
            }
        }
        out
    }

    fn placeholders(
        &mut self,
        source: SourceFile<'_>,
        path: &str,
        text: &Spanned<String>,
        needed: &[&str],
    ) {
        static PLACEHOLDER: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"\{([^{}]*)\}").expect("valid"));
        let found: Vec<&str> = PLACEHOLDER
            .captures_iter(text.get_ref())
            .filter_map(|c| c.get(1).map(|m| m.as_str()))
            .collect();
        if let Some(unknown) = found.iter().find(|p| !["provider", "company"].contains(p)) {
            self.errors.push(source.error(
                Some(text.span()),
                path,
                format!("unknown placeholder {{{unknown}}}; expected {{provider}} or {{company}}"),
            ));
        }
        let missing: Vec<String> = needed
            .iter()
            .filter(|n| !found.contains(n))
            .map(|n| format!("{{{n}}}"))
            .collect();
        if !missing.is_empty() {
            self.errors.push(source.error(
                Some(text.span()),
                path,
                format!(
                        "must contain {}; missing {}",
                        needed
                            .iter()
                            .map(|n| format!("{{{n}}}"))
                            .collect::<Vec<_>>()
                            .join(" and "),
                        missing.join(" and ")
                    ),
            ));
        }
    }

    fn kind_settings(
        &mut self,
        source: SourceFile<'_>,
        kind: Kind,
        file: &KindFile,
    ) -> KindSettings {
        let section = kind.as_str();
        self.placeholders(
            source,
            &format!("{section}.title"),
            &file.title,
            &["provider", "company"],
        );
        self.placeholders(
            source,
            &format!("{section}.greeting"),
            &file.greeting,
            &["provider"],
        );
        let mut scope = Scope::with_fixed_fields();
        let details = self.fields(
            source,
            &format!("{section}.details"),
            &file.details,
            &mut scope,
        );
        let csm = self.fields(
            source,
            &format!("{section}.csm_questions"),
            &file.csm_questions,
            &mut scope,
        );
        let client = self.fields(
            source,
            &format!("{section}.client_questions"),
            &file.client_questions,
            &mut scope,
        );
        KindSettings {
            title: file.title.get_ref().clone(),
            greeting: file.greeting.get_ref().clone(),
            contract_checks: file.contract_checks.clone(),
            details,
            csm_questions: csm,
            client_questions: client,
        }
    }

    fn provider(
        &mut self,
        source: SourceFile<'_>,
        folder_kind: Kind,
        id: &str,
        file: &ProviderFile,
        settings: &KindSettings,
        sso_ids: &[&str],
    ) -> Option<Provider> {
        let errors_before = self.errors.len();
        let kind = *file.kind.get_ref();
        if kind != folder_kind {
            self.errors.push(source.error(
                Some(file.kind.span()),
                "kind",
                format!(
                    "the file says \"{}\" but it is in the providers/{}/ folder",
                    kind.as_str(),
                    folder_kind.as_str()
                ),
            ));
        }
        if file.name.trim().is_empty() {
            self.errors
                .push(source.error(None, "name", "the provider needs a display name"));
        }
        let protocols = self.protocols(source, folder_kind, file);
        if let Some(link) = &file.presentation {
            self.https(source, "presentation", link);
        }

        let common = |list: &[Field], scope: &mut Scope, section: &str| {
            for f in list {
                scope.add(
                    f,
                    &format!("playbook.toml {}.{section}", folder_kind.as_str()),
                );
            }
        };
        let mut scope = Scope::with_fixed_fields();
        common(&settings.details, &mut scope, "details");
        let details = self.fields(source, "details", &file.details, &mut scope);
        common(&settings.csm_questions, &mut scope, "csm_questions");
        let csm_questions = self.fields(source, "csm_questions", &file.csm_questions, &mut scope);
        common(&settings.client_questions, &mut scope, "client_questions");
        let client_questions = self.fields(
            source,
            "client_questions",
            &file.client_questions,
            &mut scope,
        );
        let screenshots = self.screenshots(source, folder_kind, &file.screenshots, &mut scope);

        let also_offers_sso = self.sso_reference(source, folder_kind, file, sso_ids);
        for (i, host) in file.idp_hosts.iter().enumerate() {
            if !crate::formats::is_domain(host.get_ref()) {
                self.errors.push(source.error(
                    Some(host.span()),
                    &format!("idp_hosts[{i}]"),
                    format!(
                        "`{}` is not a host name such as okta.com (no https://, no path)",
                        host.get_ref()
                    ),
                ));
            }
        }

        let mut own_fields: HashSet<String> =
            fields::built_in().into_iter().map(|f| f.id).collect();
        own_fields.extend(all_fields(settings, None));
        own_fields.extend(
            [&details, &csm_questions, &client_questions]
                .into_iter()
                .flatten()
                .map(|f| f.id.clone()),
        );
        let jira_fields = self.jira_fields(source, &file.jira.fields, &own_fields);
        (self.errors.len() == errors_before).then(|| Provider {
            id: id.to_owned(),
            kind: folder_kind,
            name: file.name.clone(),
            aliases: file.aliases.clone(),
            protocols,
            presentation: file.presentation.as_ref().map(|p| p.get_ref().clone()),
            idp_hosts: file
                .idp_hosts
                .iter()
                .map(|h| h.get_ref().to_lowercase())
                .collect(),
            notes: file.notes.clone(),
            credentials: file.credentials.clone(),
            contract_checks: file.contract_checks.clone(),
            jira_fields,
            details,
            csm_questions,
            client_questions,
            screenshots,
            also_offers_sso,
        })
    }

    fn protocols(
        &mut self,
        source: SourceFile<'_>,
        folder_kind: Kind,
        file: &ProviderFile,
    ) -> Vec<Protocol> {
        match (&file.protocols, folder_kind) {
            (Some(p), Kind::Sso) if !p.get_ref().is_empty() => p.get_ref().clone(),
            (Some(p), Kind::Hris) => {
                self.errors.push(source.error(
                    Some(p.span()),
                    "protocols",
                    "only SSO providers have `protocols`",
                ));
                Vec::new()
            }
            (p, _) => {
                if folder_kind == Kind::Sso {
                    self.errors.push(source.error(
                        p.as_ref().map(Spanned::span),
                        "protocols",
                        "an SSO provider must list its `protocols`: \"saml\", \"oidc\" or both",
                    ));
                }
                Vec::new()
            }
        }
    }

    fn sso_reference(
        &mut self,
        source: SourceFile<'_>,
        folder_kind: Kind,
        file: &ProviderFile,
        sso_ids: &[&str],
    ) -> Option<SsoReference> {
        file.also_offers_sso.as_ref().and_then(|r| {
            if folder_kind != Kind::Hris {
                self.errors.push(source.error(
                    Some(r.span()),
                    "also_offers_sso",
                    "only HRIS providers can point to an SSO provider",
                ));
                return None;
            }
            let target = &r.get_ref().provider;
            if !sso_ids.contains(&target.get_ref().as_str()) {
                self.errors.push(source.error(
                    Some(target.span()),
                    "also_offers_sso.provider",
                    format!(
                        "unknown SSO provider `{}`; expected one of: {}",
                        target.get_ref(),
                        sso_ids.join(", ")
                    ),
                ));
            }
            Some(SsoReference {
                provider: target.get_ref().clone(),
                note: r.get_ref().note.clone(),
            })
        })
    }

    fn screenshots(
        &mut self,
        source: SourceFile<'_>,
        kind: Kind,
        slots: &[ScreenshotFile],
        scope: &mut Scope,
    ) -> Vec<ScreenshotSlot> {
        let mut out = Vec::new();
        for (i, slot) in slots.iter().enumerate() {
            let path = format!("screenshots[{i}].id");
            if self.new_id(source, &path, &slot.id, scope) {
                scope.add_id(
                    slot.id.get_ref(),
                    FieldKind::Screenshot,
                    &format!("{} screenshots", source.name),
                );
            }
            out.push(ScreenshotSlot {
                id: slot.id.get_ref().clone(),
                label: slot.label.clone(),
                hint: slot.hint.clone(),
                required: slot.required,
            });
        }
        if kind == Kind::Hris {
            let missing: Vec<&str> = fields::screenshot::HRIS
                .into_iter()
                .filter(|id| !slots.iter().any(|s| s.id.get_ref() == id))
                .collect();
            if !missing.is_empty() {
                self.errors.push(source.error(
                    None,
                    "screenshots",
                    format!(
                        "every HRIS provider asks for the `connector` and `consent_agreement` screenshots; missing: {}",
                        missing.join(", ")
                    ),
                ));
            }
        }
        out
    }

    /// Checks an ID's shape and that it is not taken; reports and returns false otherwise.
    fn new_id(
        &mut self,
        source: SourceFile<'_>,
        path: &str,
        id: &Spanned<String>,
        scope: &Scope,
    ) -> bool {
        let value = id.get_ref();
        if !FIELD_ID.is_match(value) {
            self.errors.push(source.error(
                Some(id.span()),
                path,
                format!("`{value}` is not a valid ID: use lowercase letters, digits and underscores, starting with a letter"),
            ));
            return false;
        }
        if let Some((.., origin)) = scope.fields.get(value) {
            self.errors.push(source.error(
                Some(id.span()),
                path,
                format!("duplicate ID `{value}`: already used by {origin}; answers are stored by ID, so IDs must be unique"),
            ));
            return false;
        }
        true
    }

    fn fields(
        &mut self,
        source: SourceFile<'_>,
        section: &str,
        list: &[FieldFile],
        scope: &mut Scope,
    ) -> Vec<Field> {
        let mut out = Vec::new();
        for (i, f) in list.iter().enumerate() {
            let at = |key: &str| format!("{section}[{i}].{key}");
            let ok_id = self.new_id(source, &at("id"), &f.id, scope);
            let field = self.field(source, &at, f, scope);
            if ok_id && let Some(field) = field {
                scope.add(&field, &format!("{} {section}", source.name));
                out.push(field);
            }
        }
        out
    }

    fn field(
        &mut self,
        source: SourceFile<'_>,
        at: &dyn Fn(&str) -> String,
        f: &FieldFile,
        scope: &Scope,
    ) -> Option<Field> {
        let errors_before = self.errors.len();
        let kind = *f.kind.get_ref();
        let misplaced = |key: &str, span: std::ops::Range<usize>, applies_to: &str| {
            source.error(
                Some(span),
                &at(key),
                format!("`{key}` applies only to {applies_to} fields"),
            )
        };
        if kind == FieldKind::Screenshot {
            self.errors.push(source.error(
                Some(f.kind.span()),
                &at("type"),
                "screenshots are declared under [[screenshots]], not as questions",
            ));
        }
        if let Some(https) = &f.https
            && kind != FieldKind::Url
        {
            self.errors.push(misplaced("https", https.span(), "url"));
        }
        let text_only = [
            ("format", f.format.as_ref().map(Spanned::span)),
            ("max_length", f.max_length.as_ref().map(Spanned::span)),
        ];
        for (key, span) in text_only {
            if let Some(span) = span
                && !kind.is_text()
            {
                self.errors
                    .push(misplaced(key, span, "short_text and long_text"));
            }
        }
        let pattern = f.pattern.as_ref().and_then(|p| {
            if !kind.is_text() {
                self.errors
                    .push(misplaced("pattern", p.span(), "short_text and long_text"));
                return None;
            }
            match Regex::new(&format!("^(?:{})$", p.get_ref())) {
                Ok(re) => Some(re),
                Err(e) => {
                    let detail = e
                        .to_string()
                        .lines()
                        .last()
                        .unwrap_or_default()
                        .trim()
                        .trim_start_matches("error: ")
                        .to_owned();
                    self.errors.push(source.error(
                        Some(p.span()),
                        &at("pattern"),
                        format!("invalid regular expression: {detail}"),
                    ));
                    None
                }
            }
        });
        if f.pattern_hint.is_some() && f.pattern.is_none() {
            self.errors.push(source.error(
                Some(f.id.span()),
                &at("pattern_hint"),
                "`pattern_hint` needs a `pattern` to explain",
            ));
        }
        if let Some(max) = &f.max_length
            && *max.get_ref() == 0
        {
            self.errors.push(source.error(
                Some(max.span()),
                &at("max_length"),
                "must be at least 1",
            ));
        }
        let options = self.options(source, at, f, kind);
        let when = f
            .when
            .as_ref()
            .and_then(|w| self.condition(source, at, w, scope));

        (self.errors.len() == errors_before).then(|| Field {
            id: f.id.get_ref().clone(),
            label: f.label.clone(),
            kind,
            required: f.required,
            help: f.help.clone(),
            placeholder: f.placeholder.clone(),
            options,
            when,
            rules: Rules {
                https: f.https.as_ref().is_some_and(|h| *h.get_ref()),
                format: f.format.as_ref().map(|x| *x.get_ref()),
                pattern,
                pattern_hint: f.pattern_hint.clone(),
                max_length: f.max_length.as_ref().map(|m| *m.get_ref()),
            },
        })
    }

    fn options(
        &mut self,
        source: SourceFile<'_>,
        at: &dyn Fn(&str) -> String,
        f: &FieldFile,
        kind: FieldKind,
    ) -> Vec<String> {
        match (&f.options, kind.has_options()) {
            (Some(options), true) => {
                let list = options.get_ref();
                if list.is_empty() {
                    self.errors.push(source.error(
                        Some(options.span()),
                        &at("options"),
                        "needs at least one choice",
                    ));
                }
                let mut seen = HashSet::new();
                if let Some(dup) = list.iter().find(|o| !seen.insert(o.as_str())) {
                    self.errors.push(source.error(
                        Some(options.span()),
                        &at("options"),
                        format!("`{dup}` is listed twice"),
                    ));
                }
                list.clone()
            }
            (None, true) => {
                self.errors.push(source.error(
                    Some(f.kind.span()),
                    &at("options"),
                    format!(
                        "a {} field needs `options`, the list of choices",
                        kind_name(kind)
                    ),
                ));
                Vec::new()
            }
            (Some(options), false) => {
                self.errors.push(source.error(
                    Some(options.span()),
                    &at("options"),
                    "`options` applies only to select, multi_select and checklist fields",
                ));
                Vec::new()
            }
            (None, false) => Vec::new(),
        }
    }

    fn condition(
        &mut self,
        source: SourceFile<'_>,
        at: &dyn Fn(&str) -> String,
        when: &Spanned<super::files::WhenFile>,
        scope: &Scope,
    ) -> Option<Condition> {
        let target = &when.get_ref().field;
        let equals = &when.get_ref().equals;
        let Some((kind, options, _)) = scope.fields.get(target.get_ref()) else {
            self.errors.push(source.error(
                Some(target.span()),
                &at("when.field"),
                format!(
                    "unknown field `{}`: `when` must name a field asked before this one",
                    target.get_ref()
                ),
            ));
            return None;
        };
        let problem = match (kind, equals.get_ref()) {
            (FieldKind::YesNo, ConditionValue::Bool(_)) => None,
            (FieldKind::YesNo, ConditionValue::Text(_)) => Some(format!(
                "`{}` is a yes/no field: compare it with true or false",
                target.get_ref()
            )),
            (FieldKind::Select, ConditionValue::Text(v)) if options.contains(v) => None,
            (FieldKind::Select, _) => Some(format!(
                "`{}` has no option {}; expected one of: {}",
                target.get_ref(),
                describe(equals.get_ref()),
                options.join(", ")
            )),
            (other, _) => Some(format!(
                "`when` can depend only on yes_no and select fields; `{}` is a {} field",
                target.get_ref(),
                kind_name(*other)
            )),
        };
        if let Some(message) = problem {
            self.errors
                .push(source.error(Some(equals.span()), &at("when.equals"), message));
            return None;
        }
        Some(Condition {
            field: target.get_ref().clone(),
            equals: equals.get_ref().clone(),
        })
    }
}

fn describe(v: &ConditionValue) -> String {
    match v {
        ConditionValue::Bool(b) => b.to_string(),
        ConditionValue::Text(t) => format!("\"{t}\""),
    }
}

fn kind_name(kind: FieldKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
