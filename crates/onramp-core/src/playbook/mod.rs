//! The playbook: organisation settings and every provider, as files the operations team edits.
//!
//! Layout: `playbook.toml` and `providers/<sso|hris>/<id>.toml`. The bundled copy is compiled in,
//! so the window and the CLI always have one; `ONRAMP_PLAYBOOK` (or `--playbook`) names a folder
//! that replaces it.

mod check;
mod error;
pub mod fields;
mod files;
mod model;
pub(crate) mod templates;

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

pub use error::{PlaybookError, PlaybookErrors, UnknownProvider};
pub use model::{
    Condition, ConditionValue, DeskPlaybook, Field, FieldKind, JiraMapping, JiraPlaybook, Kind,
    KindSettings, MappingSource, MeetingSettings, Organisation, Protocol, Provider,
    ProviderSummary, Rules, ScreenshotSlot, SsoReference, TextFormat,
};

static BUNDLED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../assets/playbook");

/// Names a playbook folder that replaces the bundled one.
pub const PLAYBOOK_ENV: &str = "ONRAMP_PLAYBOOK";

#[derive(Debug, Clone)]
pub struct Playbook {
    pub organisation: Organisation,
    pub meeting: MeetingSettings,
    pub jira: JiraPlaybook,
    /// Advice for the customer, repeated in the recap (e.g. never create employees by hand).
    pub best_practices: Vec<String>,
    sso: KindSettings,
    hris: KindSettings,
    providers: Vec<Provider>,
    one_pager: Option<Vec<u8>>,
    templates: tera::Tera,
}

impl Playbook {
    /// The playbook compiled into this build.
    pub fn bundled() -> Result<Self, PlaybookErrors> {
        let mut files = Vec::new();
        collect_embedded(&BUNDLED, &mut files);
        Self::from_files(files)
    }

    /// The playbook Onramp uses: `folder` when given (a command-line setting), else the folder
    /// named by `ONRAMP_PLAYBOOK`, else the bundled one.
    pub fn load(folder: Option<&Path>) -> Result<Self, PlaybookErrors> {
        if let Some(folder) = folder {
            return Self::from_dir(folder);
        }
        match std::env::var_os(PLAYBOOK_ENV) {
            Some(dir) if !dir.is_empty() => Self::from_dir(Path::new(&dir)),
            _ => Self::bundled(),
        }
    }

    /// Reads every file below `dir`.
    pub fn from_dir(dir: &Path) -> Result<Self, PlaybookErrors> {
        if !dir.is_dir() {
            return Err(PlaybookErrors::about(
                &dir.display().to_string(),
                "not a folder: a playbook is a folder with playbook.toml and providers/",
            ));
        }
        let mut files = Vec::new();
        collect_dir(dir, dir, &mut files)?;
        Self::from_files(files)
    }

    /// Builds a playbook from `(path relative to the playbook root, contents)` pairs, reporting
    /// every problem found rather than the first.
    pub fn from_files(
        files: impl IntoIterator<Item = (PathBuf, Vec<u8>)>,
    ) -> Result<Self, PlaybookErrors> {
        check::load(files.into_iter().collect())
    }

    /// The ticket templates, parsed and tried out when the playbook loaded.
    pub(crate) fn templates(&self) -> &tera::Tera {
        &self.templates
    }

    /// The One-Pager PDF sent with the recap of upsell deals: its file name and bytes.
    pub fn one_pager(&self) -> Option<(&str, &[u8])> {
        let name = self.organisation.one_pager.as_deref()?;
        Some((name, self.one_pager.as_deref()?))
    }

    pub fn kind(&self, kind: Kind) -> &KindSettings {
        match kind {
            Kind::Sso => &self.sso,
            Kind::Hris => &self.hris,
        }
    }

    /// The Jira fields a ticket for `provider` gets values for: the provider's own, then the
    /// organisation's for every other field.
    pub fn jira_fields<'a>(&'a self, provider: &'a Provider) -> Vec<&'a JiraMapping> {
        let own = provider.jira_fields.iter();
        let shared = self.jira.fields.iter().filter(|m| {
            !provider
                .jira_fields
                .iter()
                .any(|o| o.field.eq_ignore_ascii_case(&m.field))
        });
        own.chain(shared).collect()
    }

    pub fn providers(&self) -> &[Provider] {
        &self.providers
    }

    /// Provider IDs like `typed`: those an ID, name or alias of starts with it (`okt` → okta),
    /// else those a slip or two away from one (`otka` → okta; one slip for short words).
    fn close_to(&self, typed: &str) -> Vec<String> {
        let typed = typed.trim().to_lowercase();
        if typed.is_empty() {
            return Vec::new();
        }
        let names = |p: &Provider| -> Vec<String> {
            std::iter::once(&p.id)
                .chain(std::iter::once(&p.name))
                .chain(&p.aliases)
                .map(|n| n.to_lowercase())
                .collect()
        };
        let matching = |like: &dyn Fn(&str) -> bool| -> Vec<String> {
            self.providers
                .iter()
                .filter(|p| names(p).iter().any(|n| like(n)))
                .map(|p| p.id.clone())
                .collect()
        };
        let started = matching(&|n: &str| n.starts_with(&typed));
        if !started.is_empty() {
            return started;
        }
        let slips = (typed.chars().count() / 4).max(1);
        matching(&|n: &str| strsim::damerau_levenshtein(n, &typed) <= slips)
    }

    pub fn provider(&self, id: &str) -> Result<&Provider, UnknownProvider> {
        self.providers
            .iter()
            .find(|p| p.id == id)
            .ok_or_else(|| UnknownProvider {
                id: id.to_owned(),
                close: self.close_to(id),
            })
    }
}

fn collect_embedded(dir: &Dir<'static>, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for file in dir.files() {
        out.push((file.path().to_path_buf(), file.contents().to_vec()));
    }
    for sub in dir.dirs() {
        collect_embedded(sub, out);
    }
}

fn collect_dir(
    root: &Path,
    dir: &Path,
    out: &mut Vec<(PathBuf, Vec<u8>)>,
) -> Result<(), PlaybookErrors> {
    let unreadable = |path: &Path, e: std::io::Error| {
        PlaybookErrors::about(&path.display().to_string(), format!("cannot be read: {e}"))
    };
    let entries = std::fs::read_dir(dir).map_err(|e| unreadable(dir, e))?;
    for entry in entries {
        let path = entry.map_err(|e| unreadable(dir, e))?.path();
        // Editors and version control leave hidden files and folders next to the real ones.
        if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        {
            continue;
        }
        if path.is_dir() {
            collect_dir(root, &path, out)?;
        } else {
            let bytes = std::fs::read(&path).map_err(|e| unreadable(&path, e))?;
            let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            out.push((relative, bytes));
        }
    }
    Ok(())
}
