//! Reading files the CSM picks without trusting their size, and naming and writing the files
//! Onramp makes for them.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// A file read with a limit: its bytes, or — too big to read — how big it is.
#[derive(Debug)]
pub enum Limited {
    Read(Vec<u8>),
    TooLarge(Size),
}

/// A size as a sentence states it: "60.0 MB", or "more than 25.0 MB" when only a lower bound
/// is known (a file that grew while read, a device).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub bytes: u64,
    pub exact: bool,
}

impl std::fmt::Display for Size {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.exact {
            f.write_str("more than ")?;
        }
        f.write_str(&size_text(self.bytes))
    }
}

/// `bytes` in KB below a megabyte, in MB with a decimal above.
pub(crate) fn size_text(bytes: u64) -> String {
    #[allow(clippy::cast_precision_loss)] // a size in a sentence
    let kb = bytes as f64 / 1024.0;
    if kb < 1024.0 {
        format!("{kb:.0} KB")
    } else {
        format!("{:.1} MB", kb / 1024.0)
    }
}

/// Reads the file unless it is larger than `limit`, never loading a huge one: the caller then
/// refuses it in its own words, with its real size.
pub fn read_limited(path: &Path, limit: u64) -> Result<Limited> {
    let cannot =
        |e: std::io::Error| Error::InvalidInput(format!("cannot read {}: {e}", path.display()));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let stated = file.metadata().map_err(cannot)?.len();
    if stated > limit {
        return Ok(Limited::TooLarge(Size {
            bytes: stated,
            exact: true,
        }));
    }
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > limit {
        return Ok(Limited::TooLarge(Size {
            bytes: limit,
            exact: false,
        }));
    }
    Ok(Limited::Read(bytes))
}

/// `name (2)` … `name (99)`, as file managers number copies; after that a unique suffix.
const MAX_COPIES: u32 = 99;

/// The longest slug, in bytes: with the folder, a name still fits Windows' 260-character paths.
const MAX_SLUG: usize = 80;

/// `words` as a file name every file system accepts: lower-case letters and digits, dashes
/// between words, at most `MAX_SLUG` bytes. (No dot and no separator, so never one of the
/// names Windows keeps for devices, such as `con` or `nul.txt`, once anything follows it.)
pub(crate) fn slug(words: &str) -> String {
    let mut slug = words
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-");
    if slug.len() > MAX_SLUG {
        let mut end = MAX_SLUG;
        while !slug.is_char_boundary(end) {
            end -= 1;
        }
        slug.truncate(end);
        slug.truncate(slug.trim_end_matches('-').len());
    }
    slug
}

/// A path in `dir` named `stem` + `extension` that no file has yet: `stem (2).ext`, … and, after
/// that many copies, `stem-<unique>.ext`.
pub(crate) fn free_path(dir: &Path, stem: &str, extension: &str, unique: &str) -> PathBuf {
    std::iter::once(format!("{stem}{extension}"))
        .chain((2..=MAX_COPIES).map(|n| format!("{stem} ({n}){extension}")))
        .map(|name| dir.join(name))
        .find(|path| !path.exists())
        .unwrap_or_else(|| dir.join(format!("{stem}-{unique}{extension}")))
}

/// Writes through a temporary file beside `path`, so a failed write never leaves half a file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let cannot =
        |e: std::io::Error| Error::Storage(format!("cannot write {}: {e}", path.display()));
    let tmp = path.with_extension("partial");
    std::fs::write(&tmp, bytes).map_err(cannot)?;
    std::fs::rename(&tmp, path).map_err(cannot)
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn a_slug_keeps_letters_and_digits_and_fits_a_windows_path() {
        assert_eq!(
            slug("Ümlaut & Søn, Inc. okta meeting"),
            "ümlaut-søn-inc-okta-meeting"
        );
        assert_eq!(slug(r#"a<b>c:"d/e\f|g?h*i"#), "a-b-c-d-e-f-g-h-i");
        let long = slug(&"Ünïcödé Health Partners ".repeat(10));
        assert!(long.len() <= 80, "{} bytes", long.len());
        assert!(
            long.starts_with("ünïcödé-health-partners-ünïcödé"),
            "{long}"
        );
        assert!(!long.ends_with('-'), "{long}");
    }
}
