//! The playbook: the providers Onramp knows, as data files the operations team edits.
//!
//! Layout: `providers/<kind>/<id>.toml`. The bundled copy is compiled in so the window and the
//! CLI always have one.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Error, Result};

static BUNDLED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../assets/playbook");

/// What the customer asked for: single sign-on, or an HR system feeding employees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Sso,
    Hris,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Sso, Kind::Hris];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Sso => "sso",
            Kind::Hris => "hris",
        }
    }

    /// How the procedure writes it in ticket titles: "SSO", "HRIS".
    pub fn label(self) -> &'static str {
        match self {
            Kind::Sso => "SSO",
            Kind::Hris => "HRIS",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Provider {
    /// Stable ID: the file's name without `.toml`. Drafts refer to providers by it.
    pub id: String,
    pub kind: Kind,
    pub name: String,
    /// Other names a CSM may search by.
    pub aliases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProviderFile {
    kind: Kind,
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Playbook {
    providers: Vec<Provider>,
}

impl Playbook {
    /// The playbook compiled into this build.
    pub fn bundled() -> Result<Self> {
        let mut files = Vec::new();
        collect_embedded(&BUNDLED, &mut files);
        Self::from_files(files)
    }

    /// Builds a playbook from `(path relative to the playbook root, contents)` pairs.
    pub fn from_files(files: impl IntoIterator<Item = (PathBuf, String)>) -> Result<Self> {
        let mut providers = Vec::new();
        for (path, text) in files {
            if let Some(kind) = provider_kind_from_path(&path) {
                providers.push(parse_provider(&path, kind, &text)?);
            }
        }
        providers.sort_by(|a, b| (a.kind.as_str(), &a.name).cmp(&(b.kind.as_str(), &b.name)));
        Ok(Self { providers })
    }

    pub fn providers(&self) -> &[Provider] {
        &self.providers
    }

    pub fn provider(&self, id: &str) -> Result<&Provider> {
        self.providers
            .iter()
            .find(|p| p.id == id)
            .ok_or_else(|| Error::NotFound {
                what: "provider",
                id: id.to_owned(),
            })
    }
}

fn collect_embedded(dir: &Dir<'static>, out: &mut Vec<(PathBuf, String)>) {
    for file in dir.files() {
        if let Some(text) = file.contents_utf8() {
            out.push((file.path().to_path_buf(), text.to_owned()));
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, out);
    }
}

/// `providers/<kind>/<id>.toml` → the kind its folder stands for.
fn provider_kind_from_path(path: &Path) -> Option<Kind> {
    let mut parts = path.iter().map(|p| p.to_str().unwrap_or_default());
    let (Some("providers"), Some(kind), Some(file), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    if Path::new(file).extension().and_then(|e| e.to_str()) != Some("toml") {
        return None;
    }
    Kind::parse(kind)
}

fn parse_provider(path: &Path, folder_kind: Kind, text: &str) -> Result<Provider> {
    let file: ProviderFile =
        toml::from_str(text).map_err(|e| Error::Playbook(format!("{}: {e}", path.display())))?;
    if file.kind != folder_kind {
        return Err(Error::Playbook(format!(
            "{}: field `kind`: the file says \"{}\" but it is in the providers/{} folder",
            path.display(),
            file.kind.as_str(),
            folder_kind.as_str()
        )));
    }
    let id = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_owned();
    Ok(Provider {
        id,
        kind: file.kind,
        name: file.name,
        aliases: file.aliases,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> (PathBuf, String) {
        (PathBuf::from(path), text.to_owned())
    }

    #[test]
    fn bundled_playbook_has_an_sso_and_an_hris_provider() {
        let playbook = Playbook::bundled().unwrap();
        let okta = playbook.provider("okta").unwrap();
        assert_eq!((okta.kind, okta.name.as_str()), (Kind::Sso, "Okta"));
        let ukg = playbook.provider("ukg-pro").unwrap();
        assert_eq!((ukg.kind, ukg.name.as_str()), (Kind::Hris, "UKG Pro"));
    }

    #[test]
    fn a_provider_in_the_wrong_folder_is_refused_with_file_and_field() {
        let err = Playbook::from_files([file(
            "providers/hris/okta.toml",
            "kind = \"sso\"\nname = \"Okta\"\n",
        )])
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "providers/hris/okta.toml: field `kind`: the file says \"sso\" but it is in the providers/hris folder"
        );
    }

    #[test]
    fn an_unknown_key_is_refused_with_its_line() {
        let err = Playbook::from_files([file(
            "providers/sso/okta.toml",
            "kind = \"sso\"\nname = \"Okta\"\nnmae = \"typo\"\n",
        )])
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("providers/sso/okta.toml: TOML parse error at line 3"),
            "{err}"
        );
        assert!(err.contains("unknown field `nmae`"), "{err}");
    }

    #[test]
    fn files_outside_the_provider_folders_are_not_providers() {
        let playbook = Playbook::from_files([
            file("README.md", "# notes"),
            file("providers/sso/notes.txt", "not toml"),
        ])
        .unwrap();
        assert!(playbook.providers().is_empty());
    }
}
