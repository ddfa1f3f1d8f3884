//! Full-text search over drafts (SQLite FTS5): company, provider name and aliases, and answers.

use rusqlite::{Connection, params};

use crate::Result;
use crate::answers::AnswerValue;
use crate::model::{Draft, DraftId};
use crate::playbook::fields::COMPANY;

/// Rewrites the draft's search row. `provider` is the provider's name and aliases.
pub(crate) fn index(conn: &Connection, draft: &Draft, provider: &str) -> Result<()> {
    let company = draft
        .answers
        .get(COMPANY)
        .and_then(AnswerValue::as_text)
        .unwrap_or_default();
    let answers = draft
        .answers
        .iter()
        .filter(|(id, _)| id.as_str() != COMPANY)
        .filter_map(|(_, v)| match v {
            AnswerValue::Text(t) => Some(t.clone()),
            AnswerValue::List(l) => Some(l.join(" ")),
            AnswerValue::Bool(_) => None,
        })
        .collect::<Vec<_>>()
        .join("\n");
    remove(conn, draft.id)?;
    conn.prepare_cached(
        "INSERT INTO drafts_fts (rowid, draft_id, company, provider, answers)
         VALUES ((SELECT rowid FROM drafts WHERE id = ?1), ?1, ?2, ?3, ?4)",
    )?
    .execute(params![draft.id.to_string(), company, provider, answers])?;
    Ok(())
}

/// Deletes the draft's search row. Called while the draft row still exists: the search row is
/// found by the draft's rowid (a key lookup; `draft_id` is not indexed).
pub(crate) fn remove(conn: &Connection, draft: DraftId) -> Result<()> {
    conn.prepare_cached(
        "DELETE FROM drafts_fts WHERE rowid = (SELECT rowid FROM drafts WHERE id = ?1)",
    )?
    .execute([draft.to_string()])?;
    Ok(())
}

/// Drafts the search row does not cover yet (for example, drafts from before search existed).
pub(crate) fn unindexed(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare("SELECT id FROM drafts WHERE id NOT IN (SELECT draft_id FROM drafts_fts)")?;
    let ids = stmt.query_map([], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

/// An FTS5 query matching every word the CSM typed as a prefix, or `None` for no words.
/// Words are quoted, so FTS5 syntax in what they type ("AND", `*`, quotes) is just text.
pub(crate) fn query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
        .collect();
    (!words.is_empty()).then(|| words.join(" AND "))
}

#[cfg(test)]
mod tests {
    use super::query;

    #[test]
    fn every_word_is_a_quoted_prefix() {
        assert_eq!(
            query("  acme  okta "),
            Some("\"acme\"* AND \"okta\"*".to_owned())
        );
        assert_eq!(
            query("say \"hi\" OR"),
            Some("\"say\"* AND \"\"\"hi\"\"\"* AND \"OR\"*".to_owned())
        );
        assert_eq!(query("   "), None);
    }
}
