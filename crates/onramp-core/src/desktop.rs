//! What Onramp hands to the desktop to open: https links (plain http only on this machine, as
//! for Jira), `mailto:` links, and files in its own exports folder. Every opening goes through
//! these checks, so no caller — and nothing typed into a draft — can make the desktop open a
//! local program, another folder or a `file:` link.

use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// `url` when the desktop may open it.
pub fn link(url: &str) -> Result<&str> {
    let refused = |why: &str| {
        Error::InvalidInput(format!(
            "Onramp opens only https and mailto: links, and {url} {why}"
        ))
    };
    let parsed = url::Url::parse(url).map_err(|e| refused(&format!("is not a link ({e})")))?;
    match parsed.scheme() {
        "https" | "mailto" => Ok(url),
        "http" if crate::net::is_loopback(&parsed) => Ok(url),
        other => Err(refused(&format!("is a {other}: link"))),
    }
}

/// `file`, resolved, when it is inside `exports` (Onramp's exports folder).
pub fn export(exports: &Path, file: &Path) -> Result<PathBuf> {
    let resolve = |p: &Path| {
        p.canonicalize()
            .map_err(|e| Error::InvalidInput(format!("{} cannot be opened: {e}", p.display())))
    };
    let (exports, resolved) = (resolve(exports)?, resolve(file)?);
    // Resolved first, so neither `..` nor a link inside the folder leads out of it.
    if resolved.starts_with(&exports) && resolved.is_file() {
        Ok(resolved)
    } else {
        Err(Error::InvalidInput(format!(
            "Onramp opens only files it exported to {}, and {} is not one",
            exports.display(),
            file.display()
        )))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a panic is how a test reports an unexpected failure

    use super::{export, link};

    #[test]
    fn only_https_mailto_and_loopback_http_links_are_opened() {
        for ok in [
            "https://acme.atlassian.net/browse/ONB-1",
            "mailto:dana@acme.example?subject=Recap",
            "http://127.0.0.1:8080/browse/ONB-1",
            "http://localhost:8080/browse/ONB-1",
        ] {
            assert_eq!(link(ok).unwrap(), ok);
        }
        for (bad, why) in [
            ("http://jira.example/browse/ONB-1", "is a http: link"),
            ("file:///etc/passwd", "is a file: link"),
            ("javascript:alert(1)", "is a javascript: link"),
            ("smb://server/share", "is a smb: link"),
            ("/usr/bin/xterm", "is not a link"),
        ] {
            let message = link(bad).unwrap_err().to_string();
            assert!(message.contains(why), "{bad}: {message}");
            assert!(message.contains("Onramp opens only https and mailto: links"));
        }
    }

    /// A symbolic link at `link` to `target`; `false` where this account may not make one
    /// (Windows without Developer Mode or the privilege to create links).
    fn symlink(target: &std::path::Path, link: &std::path::Path) -> bool {
        #[cfg(unix)]
        std::os::unix::fs::symlink(target, link).unwrap();
        #[cfg(unix)]
        return true;
        #[cfg(windows)]
        return std::os::windows::fs::symlink_file(target, link).is_ok();
    }

    #[test]
    fn only_files_inside_the_exports_folder_are_opened() {
        let data = tempfile::tempdir().unwrap();
        let exports = data.path().join("exports");
        std::fs::create_dir(&exports).unwrap();
        let invite = exports.join("invite.ics");
        std::fs::write(&invite, "BEGIN:VCALENDAR").unwrap();
        std::fs::write(data.path().join("onramp.db"), "SQLite").unwrap();
        let linked = symlink(&data.path().join("onramp.db"), &exports.join("db.ics"));

        assert_eq!(
            export(&exports, &invite).unwrap(),
            invite.canonicalize().unwrap()
        );
        if linked {
            let message = export(&exports, &exports.join("db.ics"))
                .unwrap_err()
                .to_string();
            // Wine's links to a Windows path do not resolve at all: refused all the same.
            assert!(
                message.contains("Onramp opens only files it exported")
                    || (cfg!(windows) && message.contains("cannot be opened")),
                "{message}"
            );
        }
        for outside in [
            data.path().join("onramp.db"),
            exports.join("../onramp.db"),
            exports.clone(),
        ] {
            let message = export(&exports, &outside).unwrap_err().to_string();
            assert!(
                message.contains("Onramp opens only files it exported"),
                "{}: {message}",
                outside.display()
            );
        }
        let missing = export(&exports, &exports.join("gone.eml")).unwrap_err();
        assert!(missing.to_string().contains("cannot be opened"));
    }
}
