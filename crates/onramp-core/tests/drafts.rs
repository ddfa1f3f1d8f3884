//! Drafts through the public core API, on a real SQLite file in a temporary data directory.

use onramp_core::drafts::NewDraft;
use onramp_core::model::DraftQuery;
use onramp_core::playbook::{FieldKind, Kind};
use onramp_core::{ErrorCode, Onramp};

use crate::support::{ManualClock, answer, create, fill_everything, open, text};

#[test]
fn a_draft_and_its_answers_survive_reopening_the_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new();
    let id = {
        let mut onramp = open(dir.path(), &clock);
        let view = onramp
            .create_draft(&NewDraft {
                provider_id: "okta".into(),
            })
            .unwrap();
        assert_eq!(view.provider_name, "Okta");
        assert_eq!(view.draft.kind, Kind::Sso);
        assert_eq!(view.steps[0].title, "Account & contacts");
        clock.advance_minutes(1);
        onramp
            .set_answer(&answer(&view, "company", "Acme Health"))
            .unwrap();
        let saved = onramp
            .set_answer(&answer(&view, "lms_account_id", "LMS-1042"))
            .unwrap();
        assert_eq!(saved.updated_at.to_string(), "2026-11-25T09:01:00Z");
        view.draft.id
    };

    let onramp = open(dir.path(), &clock);
    let list = onramp.list_drafts(&DraftQuery::default()).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].company.as_deref(), Some("Acme Health"));
    assert_eq!(list[0].provider_name, "Okta");
    let reopened = onramp.open_draft(id).unwrap();
    assert_eq!(reopened.draft.answers["company"], text("Acme Health"));
    assert_eq!(reopened.draft.answers["lms_account_id"], text("LMS-1042"));
}

#[test]
fn the_home_lists_the_most_recently_changed_draft_first() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new();
    let mut onramp = open(dir.path(), &clock);
    let okta = onramp
        .create_draft(&NewDraft {
            provider_id: "okta".into(),
        })
        .unwrap();
    clock.advance_minutes(1);
    let ukg = onramp
        .create_draft(&NewDraft {
            provider_id: "ukg-pro".into(),
        })
        .unwrap();
    let order = |o: &Onramp| {
        o.list_drafts(&DraftQuery::default())
            .unwrap()
            .iter()
            .map(|d| d.provider_name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(order(&onramp), ["UKG Pro", "Okta"]);

    clock.advance_minutes(1);
    onramp
        .set_answer(&answer(&okta, "company", "Acme"))
        .unwrap();
    assert_eq!(order(&onramp), ["Okta", "UKG Pro"]);
    assert_eq!(ukg.draft.kind, Kind::Hris);
}

#[test]
fn an_answer_replaces_the_previous_one_and_blank_company_is_listed_as_none() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new();
    let mut onramp = open(dir.path(), &clock);
    let view = onramp
        .create_draft(&NewDraft {
            provider_id: "okta".into(),
        })
        .unwrap();
    onramp
        .set_answer(&answer(&view, "company", "Acme"))
        .unwrap();
    onramp.set_answer(&answer(&view, "company", "   ")).unwrap();
    assert_eq!(
        onramp.list_drafts(&DraftQuery::default()).unwrap()[0].company,
        None
    );
    assert_eq!(
        onramp.open_draft(view.draft.id).unwrap().draft.answers["company"],
        text("   ")
    );
}

#[test]
fn errors_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new();
    let mut onramp = open(dir.path(), &clock);

    let err = onramp
        .create_draft(&NewDraft {
            provider_id: "nope".into(),
        })
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert_eq!(err.to_string(), "provider `nope` does not exist");

    let view = onramp
        .create_draft(&NewDraft {
            provider_id: "okta".into(),
        })
        .unwrap();
    let err = onramp
        .set_answer(&answer(&view, "favourite_colour", "blue"))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(
        err.to_string(),
        "the Okta wizard has no field `favourite_colour`"
    );

    let missing = "00000000-0000-4000-8000-000000000000".parse().unwrap();
    let err = onramp.open_draft(missing).unwrap_err();
    assert_eq!(
        err.to_string(),
        "draft `00000000-0000-4000-8000-000000000000` does not exist"
    );

    let err = "not-a-uuid"
        .parse::<onramp_core::model::DraftId>()
        .unwrap_err();
    assert_eq!(err.to_string(), "`not-a-uuid` is not a draft ID");
}

#[test]
fn the_database_is_a_wal_file_in_the_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new();
    let mut onramp = open(dir.path(), &clock);
    onramp
        .create_draft(&NewDraft {
            provider_id: "okta".into(),
        })
        .unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("onramp.db")).unwrap();
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let n: i64 = conn
        .query_row("SELECT count(*) FROM drafts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
}

#[test]
fn the_home_counts_open_items_exactly_as_review_lists_them() {
    use onramp_core::readiness::{open_items, readiness};
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let ids: Vec<String> = onramp.providers().into_iter().map(|p| p.id).collect();
    for (n, provider) in ids.iter().enumerate() {
        let view = create(&mut onramp, provider);
        let count = |onramp: &Onramp| {
            let view = onramp.open_draft(view.draft.id).unwrap();
            let filled: std::collections::HashSet<String> =
                view.screenshots.iter().map(|s| s.slot_id.clone()).collect();
            (
                open_items(&view.steps, &view.draft.answers, &filled).total(),
                readiness(&view.steps, &view.draft.answers, &filled).open_items(),
            )
        };
        let (fresh, listed) = count(&onramp);
        assert_eq!(fresh, listed, "{provider}, new");
        assert!(fresh > 0);
        fill_everything(&mut onramp, &view);
        // A wrong value and a blank one, at a different place for each provider.
        let fields: Vec<_> = view
            .steps
            .iter()
            .flat_map(|s| &s.fields)
            .filter(|f| {
                !matches!(
                    f.kind,
                    FieldKind::YesNo
                        | FieldKind::MultiSelect
                        | FieldKind::Checklist
                        | FieldKind::Screenshot
                )
            })
            .collect();
        let wrong = fields[n % fields.len()];
        onramp
            .set_answer(&answer(&view, &wrong.id, "not@@valid"))
            .unwrap_or_else(|_| panic!("{}", wrong.id));
        let (filled, listed) = count(&onramp);
        assert_eq!(filled, listed, "{provider}, filled");
    }
}

/// Saves only append to SQLite's write-ahead log; a thread of the core copies the log into the
/// database file while the app runs. Seen from outside: the database file alone, without its
/// log, catches up with what was saved — no save had to do that copying itself.
#[test]
fn saves_reach_the_database_file_while_the_app_runs() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new();
    let mut onramp = open(dir.path(), &clock);
    let view = create(&mut onramp, "okta");
    for n in 0..50 {
        onramp
            .set_answer(&answer(&view, "company", &format!("Acme Health {n}")))
            .unwrap();
    }
    let db = dir.path().join("onramp.db");
    let copy = tempfile::tempdir().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let expected = "\"Acme Health 49\"";
    let company = loop {
        // The file by itself: a copy without its -wal file sees only checkpointed pages.
        std::fs::copy(&db, copy.path().join("alone.db")).unwrap();
        let alone = rusqlite::Connection::open(copy.path().join("alone.db")).unwrap();
        let company: Option<String> = alone
            .query_row(
                "SELECT value FROM answers WHERE field_id = 'company'",
                [],
                |r| r.get(0),
            )
            .ok();
        if company.as_deref() == Some(expected) || std::time::Instant::now() > deadline {
            break company;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert_eq!(company.as_deref(), Some(expected));
}

/// The home lists the most recent drafts a page at a time and says how many match in all, so
/// it stays quick with thousands of drafts; search and filters count the same way.
#[test]
fn the_home_lists_a_page_of_the_most_recent_drafts_and_counts_them_all() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new();
    let mut onramp = open(dir.path(), &clock);
    for n in 0..5 {
        let view = create(&mut onramp, if n % 2 == 0 { "okta" } else { "ukg-pro" });
        onramp
            .set_answer(&answer(&view, "company", &format!("Customer {n}")))
            .unwrap();
        clock.advance_minutes(1);
    }
    let companies = |list: &onramp_core::drafts::DraftList| {
        list.drafts
            .iter()
            .map(|d| d.company.clone().unwrap_or_default())
            .collect::<Vec<_>>()
    };
    let page = onramp
        .drafts_home(&DraftQuery {
            limit: Some(2),
            ..DraftQuery::default()
        })
        .unwrap();
    assert_eq!(companies(&page), ["Customer 4", "Customer 3"]);
    assert_eq!(page.total, 5);
    assert!(page.drafts.iter().all(|d| d.open_items > 0));

    let okta = onramp
        .drafts_home(&DraftQuery {
            search: Some("okta".into()),
            limit: Some(1),
            ..DraftQuery::default()
        })
        .unwrap();
    assert_eq!(companies(&okta), ["Customer 4"]);
    assert_eq!(okta.total, 3);

    let all = onramp.drafts_home(&DraftQuery::default()).unwrap();
    assert_eq!(all.drafts.len(), 5);
    assert_eq!(all.total, 5);
    let trash = onramp
        .drafts_home(&DraftQuery {
            trash: true,
            limit: Some(2),
            ..DraftQuery::default()
        })
        .unwrap();
    assert_eq!((trash.drafts.len(), trash.total), (0, 0));
}
