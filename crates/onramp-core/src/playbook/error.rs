//! Playbook errors that point at the exact spot: file, line, column and key path.

use std::fmt;
use std::ops::Range;

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlaybookError {
    /// Path relative to the playbook folder, e.g. `providers/sso/okta.toml`.
    pub file: String,
    /// 1-based; 0 when the problem is the file as a whole.
    pub line: usize,
    pub column: usize,
    /// Where in the file, e.g. `details[2].when.field`; empty for the whole file.
    pub path: String,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for PlaybookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        if !self.path.is_empty() {
            write!(f, ": {}", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// All problems found in a playbook, one per line when shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaybookErrors(pub Vec<PlaybookError>);

impl fmt::Display for PlaybookErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(
            f,
            "the playbook has {n} problem{}:",
            if n == 1 { "" } else { "s" }
        )?;
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "  {e}")?;
        }
        Ok(())
    }
}

impl PlaybookErrors {
    /// The whole playbook refused for one reason about one file or folder.
    pub(super) fn about(file: &str, message: impl Into<String>) -> Self {
        Self(vec![PlaybookError {
            file: file.to_owned(),
            line: 0,
            column: 0,
            path: String::new(),
            message: message.into(),
        }])
    }
}

/// A draft names a provider the playbook does not have (any more); with the IDs of those it
/// has that look like what was typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownProvider {
    pub id: String,
    pub close: Vec<String>,
}

impl std::error::Error for PlaybookErrors {}

/// One file's text, to turn byte offsets into line and column.
#[derive(Debug, Clone, Copy)]
pub(super) struct SourceFile<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

impl SourceFile<'_> {
    pub fn error(
        &self,
        span: Option<Range<usize>>,
        path: &str,
        message: impl Into<String>,
    ) -> PlaybookError {
        let (line, column) = span.map_or((0, 0), |s| self.position(s.start));
        PlaybookError {
            file: self.name.to_owned(),
            line,
            column,
            path: path.to_owned(),
            message: message.into(),
        }
    }

    fn position(&self, offset: usize) -> (usize, usize) {
        let before = &self.text[..offset.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before
            .rsplit('\n')
            .next()
            .unwrap_or_default()
            .chars()
            .count()
            + 1;
        (line, column)
    }
}
