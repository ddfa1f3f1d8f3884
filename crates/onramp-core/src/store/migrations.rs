//! Versioned schema migrations, embedded in the binary. Never edit a released migration: add one.

use rusqlite::Connection;
use rusqlite_migration::{M, MigrationDefinitionError, Migrations};

use crate::{Error, Result};

/// Schema version N is reached by applying the first N steps.
const STEPS: &[M<'static>] = &[
    M::up(include_str!("migrations/0001_drafts.sql")).foreign_key_check(),
    M::up(include_str!("migrations/0002_status_history_search.sql")).foreign_key_check(),
    M::up(include_str!("migrations/0003_search_rows_by_rowid.sql")),
    M::up(include_str!("migrations/0004_submissions.sql")).foreign_key_check(),
    M::up(include_str!("migrations/0005_jira_status.sql")),
    M::up(include_str!("migrations/0006_settings.sql")),
    M::up(include_str!("migrations/0007_meetings.sql")).foreign_key_check(),
    M::up(include_str!("migrations/0008_sso_checks.sql")).foreign_key_check(),
    M::up(include_str!("migrations/0009_submission_claims.sql")),
    M::up(include_str!("migrations/0010_submission_warning_token.sql")),
    M::up(include_str!("migrations/0011_jira_choices.sql")).foreign_key_check(),
    M::up(include_str!("migrations/0012_ticket_tracking.sql")),
    M::up(include_str!("migrations/0013_ticket_comments.sql")).foreign_key_check(),
    M::up(include_str!("migrations/0014_ticket_replies.sql")).foreign_key_check(),
];

pub const MIGRATIONS: Migrations<'static> = Migrations::from_slice(STEPS);

/// Whether `conn` is behind this version's schema (a backup is due before `apply`).
pub(super) fn pending(conn: &Connection) -> Result<bool> {
    Ok(user_version(conn)? < STEPS.len())
}

pub(super) fn apply(conn: &mut Connection) -> Result<()> {
    MIGRATIONS.to_latest(conn).map_err(|e| match e {
        rusqlite_migration::Error::MigrationDefinition(
            MigrationDefinitionError::DatabaseTooFarAhead,
        ) => Error::DatabaseTooNew {
            found: user_version(conn).unwrap_or_default(),
            known: STEPS.len(),
        },
        other => Error::Storage(format!("could not update the database schema: {other}")),
    })
}

fn user_version(conn: &Connection) -> rusqlite::Result<usize> {
    let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    Ok(usize::try_from(v).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        MIGRATIONS.validate().unwrap();
    }

    #[test]
    fn every_migration_applies_in_order_on_a_fresh_database() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        for version in 1..=STEPS.len() {
            MIGRATIONS.to_version(&mut conn, version).unwrap();
            assert_eq!(user_version(&conn).unwrap(), version);
        }
    }

    #[test]
    fn refuses_a_database_from_a_newer_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("future.db");
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", 99)
            .unwrap();
        let Err(err) = super::super::open(
            &path,
            jiff::Timestamp::UNIX_EPOCH,
            super::super::Verify::Now,
        ) else {
            panic!("a database from a newer version was opened");
        };
        assert_eq!(err.code(), crate::ErrorCode::DatabaseTooNew);
        let message = err.to_string();
        assert!(message.contains("newer version of Onramp"), "{message}");
        assert!(message.contains("schema 99"), "{message}");
    }
}
