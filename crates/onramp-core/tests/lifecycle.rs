//! A draft's life on a real SQLite file: statuses, search, history, duplicate, trash, migration.

use crate::support::{ManualClock, answer, answer_all, create, fill_everything, open, text};
use onramp_core::drafts::NewDraft;
use onramp_core::drafts::{AnswerUpdate, DuplicateDraft, Escalation};
use onramp_core::model::{DraftQuery, DraftStatus};
use onramp_core::model::{Event, Source};
use onramp_core::{ErrorCode, Onramp, Verify};

fn ids(onramp: &Onramp, query: &DraftQuery) -> Vec<String> {
    onramp
        .list_drafts(query)
        .unwrap()
        .into_iter()
        .map(|d| d.company.unwrap_or_default())
        .collect()
}

fn search(text: &str) -> DraftQuery {
    DraftQuery {
        search: Some(text.to_owned()),
        ..DraftQuery::default()
    }
}

#[test]
fn a_draft_becomes_ready_when_nothing_is_missing_and_back_when_something_is() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let view = create(&mut onramp, "okta");
    assert_eq!(
        onramp.list_drafts(&DraftQuery::default()).unwrap()[0].status,
        DraftStatus::Draft
    );

    fill_everything(&mut onramp, &view);
    let row = &onramp.list_drafts(&DraftQuery::default()).unwrap()[0];
    assert_eq!((row.status, row.open_items), (DraftStatus::Ready, 0));

    let saved = onramp
        .set_answer(&answer(&view, "poc_email", "not an email"))
        .unwrap();
    assert!(!saved.readiness.ready);
    let row = &onramp.list_drafts(&DraftQuery::default()).unwrap()[0];
    assert_eq!((row.status, row.open_items), (DraftStatus::Draft, 1));
}

#[test]
fn an_escalation_needs_a_note_and_ending_it_returns_to_what_readiness_says() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let view = create(&mut onramp, "okta");
    let id = view.draft.id;
    let err = onramp
        .set_escalation(&Escalation {
            draft_id: id,
            note: Some("  ".into()),
        })
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);

    let row = onramp
        .set_escalation(&Escalation {
            draft_id: id,
            note: Some("Contract lists SSO for 50 users, customer says 400".into()),
        })
        .unwrap();
    assert_eq!(row.status, DraftStatus::Escalated);
    assert_eq!(
        row.status_note.as_deref(),
        Some("Contract lists SSO for 50 users, customer says 400")
    );
    let escalated = DraftQuery {
        status: Some(DraftStatus::Escalated),
        ..DraftQuery::default()
    };
    assert_eq!(onramp.list_drafts(&escalated).unwrap().len(), 1);

    fill_everything(&mut onramp, &view);
    assert_eq!(
        onramp.open_draft(id).unwrap().draft.status,
        DraftStatus::Escalated
    );
    let row = onramp
        .set_escalation(&Escalation {
            draft_id: id,
            note: None,
        })
        .unwrap();
    assert_eq!((row.status, row.status_note), (DraftStatus::Ready, None));
}

#[test]
fn search_finds_company_provider_alias_and_answers_by_word_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let okta = create(&mut onramp, "okta");
    answer_all(
        &mut onramp,
        &okta,
        &[("company", "Acme Health"), ("poc_name", "Jordan Lee")],
    );
    let ukg = create(&mut onramp, "ukg-pro");
    onramp
        .set_answer(&answer(&ukg, "company", "Globex Clinics"))
        .unwrap();

    assert_eq!(ids(&onramp, &search("acme")), ["Acme Health"]);
    assert_eq!(ids(&onramp, &search("ultipro")), ["Globex Clinics"]);
    assert_eq!(ids(&onramp, &search("jord")), ["Acme Health"]);
    assert_eq!(ids(&onramp, &search("health globex")), Vec::<String>::new());
    // FTS5 syntax is taken as text, never as a query error.
    assert_eq!(ids(&onramp, &search("\"acme OR*")), Vec::<String>::new());
    assert_eq!(ids(&onramp, &search("  ")).len(), 2);
}

#[test]
fn history_keeps_every_change_with_its_source_and_old_value() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new();
    let id = {
        let mut onramp = open(dir.path(), &clock);
        let view = create(&mut onramp, "okta");
        onramp
            .set_answer(&answer(&view, "company", "Acme"))
            .unwrap();
        clock.advance_minutes(5);
        onramp
            .set_answer(&answer(&view, "company", "Acme Health"))
            .unwrap();
        // Saving the same value again is not a change.
        onramp
            .set_answer(&answer(&view, "company", "Acme Health"))
            .unwrap();
        view.draft.id
    };
    let mut cli = open(dir.path(), &clock).with_source(Source::Cli);
    cli.set_answer(&AnswerUpdate {
        draft_id: id,
        field_id: "company".into(),
        value: None,
    })
    .unwrap();

    let history = open(dir.path(), &clock).history(id).unwrap();
    // A new draft's Meeting step defaults are recorded too; this follows the company name.
    let history: Vec<_> = history
        .into_iter()
        .filter(|h| h.field_id.as_deref().is_none_or(|f| f == "company"))
        .collect();
    let summary: Vec<_> = history
        .iter()
        .map(|h| (h.event, h.source, h.old_value.clone(), h.new_value.clone()))
        .collect();
    assert_eq!(
        summary,
        [
            (Event::Created, Source::Window, None, None),
            (Event::Answer, Source::Window, None, Some(text("Acme"))),
            (
                Event::Answer,
                Source::Window,
                Some(text("Acme")),
                Some(text("Acme Health"))
            ),
            (Event::Answer, Source::Cli, Some(text("Acme Health")), None),
        ]
    );
    assert_eq!(history[2].label.as_deref(), Some("Company name"));
    assert_eq!(history[2].at.to_string(), "2026-11-25T09:05:00Z");
}

#[test]
fn a_duplicate_for_another_provider_carries_the_account_but_not_the_provider_answers() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let okta = create(&mut onramp, "okta");
    answer_all(
        &mut onramp,
        &okta,
        &[
            ("company", "Acme Health"),
            ("poc_email", "it@acme.example"),
            ("okta_domain", "acme.okta.com"),
        ],
    );

    let ukg = onramp
        .duplicate_draft(&DuplicateDraft {
            draft_id: okta.draft.id,
            provider_id: "ukg-pro".into(),
        })
        .unwrap();
    assert_ne!(ukg.draft.id, okta.draft.id);
    assert_eq!(ukg.provider_name, "UKG Pro");
    assert_eq!(ukg.draft.answers.get("company"), Some(&text("Acme Health")));
    assert_eq!(
        ukg.draft.answers.get("poc_email"),
        Some(&text("it@acme.example"))
    );
    assert_eq!(ukg.draft.answers.get("okta_domain"), None);
}

#[test]
fn the_trash_hides_a_draft_until_restored_and_only_trashed_drafts_are_purged() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let view = create(&mut onramp, "okta");
    let id = view.draft.id;
    onramp
        .set_answer(&answer(&view, "company", "Acme"))
        .unwrap();
    assert_eq!(
        onramp.purge_draft(id).unwrap_err().code(),
        ErrorCode::InvalidInput
    );

    onramp.trash_draft(id).unwrap();
    let trash = DraftQuery {
        trash: true,
        ..DraftQuery::default()
    };
    assert!(
        onramp
            .list_drafts(&DraftQuery::default())
            .unwrap()
            .is_empty()
    );
    assert_eq!(ids(&onramp, &trash), ["Acme"]);
    let err = onramp
        .set_answer(&answer(&view, "company", "Acme 2"))
        .unwrap_err();
    assert!(err.to_string().contains("in the trash"), "{err}");

    onramp.restore_draft(id).unwrap();
    assert_eq!(ids(&onramp, &DraftQuery::default()), ["Acme"]);
    onramp.trash_draft(id).unwrap();
    onramp.purge_draft(id).unwrap();
    assert!(onramp.list_drafts(&trash).unwrap().is_empty());
    assert_eq!(
        onramp.open_draft(id).unwrap_err().code(),
        ErrorCode::NotFound
    );
    assert!(ids(&onramp, &search("acme")).is_empty());
}

#[test]
fn a_database_from_schema_1_is_backed_up_migrated_and_searchable() {
    let dir = tempfile::tempdir().unwrap();
    {
        let conn = rusqlite::Connection::open(dir.path().join("onramp.db")).unwrap();
        conn.execute_batch(include_str!("../src/store/migrations/0001_drafts.sql"))
            .unwrap();
        conn.execute_batch(
            "PRAGMA user_version = 1;
             INSERT INTO drafts VALUES ('5a0d7c1e-0000-4000-8000-000000000001', 'sso', 'okta', 'draft', 0, 0);
             INSERT INTO answers VALUES ('5a0d7c1e-0000-4000-8000-000000000001', 'company', '\"Initech\"', 0);",
        )
        .unwrap();
    }
    let onramp = open(dir.path(), &ManualClock::new());
    let backups: Vec<_> = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(backups, ["onramp-20261125T090000Z.db"]);
    let old = rusqlite::Connection::open(dir.path().join("backups").join(&backups[0])).unwrap();
    let version: i64 = old
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1);

    assert_eq!(ids(&onramp, &search("initech")), ["Initech"]);
    drop(onramp);
    // Nothing to migrate the second time: no second backup.
    let _again = open(dir.path(), &ManualClock::new());
    assert_eq!(
        std::fs::read_dir(dir.path().join("backups"))
            .unwrap()
            .count(),
        1
    );
}

#[test]
fn search_rows_from_schema_2_are_rebuilt_and_kept_one_per_draft() {
    let dir = tempfile::tempdir().unwrap();
    {
        let conn = rusqlite::Connection::open(dir.path().join("onramp.db")).unwrap();
        conn.execute_batch(include_str!("../src/store/migrations/0001_drafts.sql"))
            .unwrap();
        conn.execute_batch(include_str!(
            "../src/store/migrations/0002_status_history_search.sql"
        ))
        .unwrap();
        // Schema 2 gave search rows their own rowids: here in the opposite order to the drafts.
        conn.execute_batch(
            "PRAGMA user_version = 2;
             INSERT INTO drafts (id, kind, provider_id, status, created_at, updated_at) VALUES
               ('5a0d7c1e-0000-4000-8000-000000000001', 'sso', 'okta', 'draft', 0, 0),
               ('5a0d7c1e-0000-4000-8000-000000000002', 'sso', 'okta', 'draft', 0, 0);
             INSERT INTO answers VALUES
               ('5a0d7c1e-0000-4000-8000-000000000001', 'company', '\"Initech\"', 0),
               ('5a0d7c1e-0000-4000-8000-000000000002', 'company', '\"Globex\"', 0);
             INSERT INTO drafts_fts (draft_id, company, provider, answers) VALUES
               ('5a0d7c1e-0000-4000-8000-000000000002', 'Globex', 'Okta', ''),
               ('5a0d7c1e-0000-4000-8000-000000000001', 'Initech', 'Okta', '');",
        )
        .unwrap();
    }
    let mut onramp = open(dir.path(), &ManualClock::new());
    assert_eq!(ids(&onramp, &search("initech")), ["Initech"]);
    assert_eq!(ids(&onramp, &search("globex")), ["Globex"]);
    let initech: onramp_core::model::DraftId =
        "5a0d7c1e-0000-4000-8000-000000000001".parse().unwrap();
    onramp
        .set_answer(&AnswerUpdate {
            draft_id: initech,
            field_id: "company".into(),
            value: Some(text("Initrode")),
        })
        .unwrap();
    assert!(ids(&onramp, &search("initech")).is_empty());
    assert_eq!(ids(&onramp, &search("initrode")), ["Initrode"]);
    assert_eq!(
        ids(&onramp, &search("globex")),
        ["Globex"],
        "another draft's row was rewritten"
    );
    assert_eq!(ids(&onramp, &search("okta")).len(), 2);
}

/// Every schema Onramp has shipped before this one, oldest first.
const PAST_SCHEMAS: [&str; 4] = [
    include_str!("../src/store/migrations/0001_drafts.sql"),
    include_str!("../src/store/migrations/0002_status_history_search.sql"),
    include_str!("../src/store/migrations/0003_search_rows_by_rowid.sql"),
    include_str!("../src/store/migrations/0004_submissions.sql"),
];

#[test]
fn a_database_from_every_past_schema_opens_with_its_drafts_intact() {
    for version in 1..=PAST_SCHEMAS.len() {
        let dir = tempfile::tempdir().unwrap();
        {
            let conn = rusqlite::Connection::open(dir.path().join("onramp.db")).unwrap();
            for sql in &PAST_SCHEMAS[..version] {
                conn.execute_batch(sql).unwrap();
            }
            conn.execute_batch(&format!(
                "PRAGMA user_version = {version};
                 INSERT INTO drafts (id, kind, provider_id, status, created_at, updated_at)
                   VALUES ('5a0d7c1e-0000-4000-8000-000000000001', 'sso', 'okta', 'draft', 0, 0);
                 INSERT INTO answers VALUES
                   ('5a0d7c1e-0000-4000-8000-000000000001', 'company', '\"Initech\"', 0);"
            ))
            .unwrap();
        }
        let onramp = open(dir.path(), &ManualClock::new());
        assert_eq!(
            ids(&onramp, &search("initech")),
            ["Initech"],
            "from schema {version}"
        );
        let id = "5a0d7c1e-0000-4000-8000-000000000001".parse().unwrap();
        assert_eq!(
            onramp.open_draft(id).unwrap().draft.company().as_deref(),
            Some("Initech")
        );
        assert!(onramp.submission(id).unwrap().is_none());
        assert_eq!(
            std::fs::read_dir(dir.path().join("backups"))
                .unwrap()
                .count(),
            1,
            "schema {version} was not backed up before its upgrade"
        );
    }
}

/// A data directory with forty drafts whose database has a page scribbled over; its bytes.
fn damaged_database(dir: &std::path::Path) -> Vec<u8> {
    {
        let mut onramp = open(dir, &ManualClock::new());
        for _ in 0..40 {
            let view = create(&mut onramp, "okta");
            onramp
                .set_answer(&answer(&view, "company", &"x".repeat(500)))
                .unwrap();
        }
    }
    let db = dir.join("onramp.db");
    // Fold the write-ahead log in, then scribble over a page in the middle of the file.
    rusqlite::Connection::open(&db)
        .unwrap()
        .pragma_update(None, "wal_checkpoint", "TRUNCATE")
        .unwrap();
    let mut bytes = std::fs::read(&db).unwrap();
    let page = bytes.len() / 4096 / 2 * 4096;
    bytes[page..page + 4096].fill(0x5a);
    std::fs::write(&db, &bytes).unwrap();
    bytes
}

#[test]
fn a_damaged_database_is_refused_with_a_reason_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = damaged_database(dir.path());
    let db = dir.path().join("onramp.db");

    let err = Onramp::open(
        dir.path(),
        onramp_core::playbook::Playbook::bundled().unwrap(),
        Box::new(ManualClock::new()),
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Storage);
    assert!(err.to_string().contains("is damaged"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), bytes);
}

#[test]
fn checked_in_the_background_a_damaged_database_takes_no_write() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = damaged_database(dir.path());
    let db = dir.path().join("onramp.db");

    // The window opens without waiting for the check; the first write waits for its verdict.
    let mut onramp = Onramp::open_with(
        dir.path(),
        onramp_core::playbook::Playbook::bundled().unwrap(),
        Box::new(ManualClock::new()),
        Verify::InBackground,
    )
    .unwrap();
    let err = onramp
        .create_draft(&NewDraft {
            provider_id: "okta".into(),
        })
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Storage);
    assert!(err.to_string().contains("is damaged"), "{err}");
    assert!(
        err.to_string().contains("Onramp did not change it"),
        "{err}"
    );
    drop(onramp);
    assert_eq!(std::fs::read(&db).unwrap(), bytes);
}

#[test]
fn checked_in_the_background_a_sound_database_is_read_and_written_as_ever() {
    let dir = tempfile::tempdir().unwrap();
    let id = create(&mut open(dir.path(), &ManualClock::new()), "okta")
        .draft
        .id;
    let mut onramp = Onramp::open_with(
        dir.path(),
        onramp_core::playbook::Playbook::bundled().unwrap(),
        Box::new(ManualClock::new()),
        Verify::InBackground,
    )
    .unwrap();
    assert_eq!(onramp.list_drafts(&DraftQuery::default()).unwrap().len(), 1);
    onramp
        .set_answer(&answer(&onramp.open_draft(id).unwrap(), "company", "Acme"))
        .unwrap();
    assert_eq!(
        onramp.open_draft(id).unwrap().draft.company().as_deref(),
        Some("Acme")
    );
}
