//! After the ticket: the status sync follows every created ticket with one paged search per
//! round, against fake-jira's workflows over loopback — categories and resolutions, a deleted
//! ticket, a failed round, and a desk whose customer cannot search its project.

use fake_jira::{Config, Fault, Operation, ServiceDesk};
use onramp_core::jira::follow::sync_statuses;
use onramp_core::model::{DraftId, DraftQuery, Event, StatusCategory, StatusSync};

use crate::submit::{World, world_of, world_with};
use crate::support::playbook_with;

impl World {
    /// `n` drafts whose tickets exist; their IDs and keys, oldest first.
    fn submitted(&self, n: usize) -> Vec<(DraftId, String)> {
        (0..n)
            .map(|i| {
                let id = self.queue(&format!("Customer {i}"));
                self.settle(id, &self.client());
                let key = self.core.lock().submission(id).unwrap().unwrap().issue_key;
                (id, key.unwrap())
            })
            .collect()
    }

    fn sync(&self) -> onramp_core::Result<Option<StatusSync>> {
        self.runtime
            .block_on(sync_statuses(&self.core, &self.client()))
    }

    /// Status searches the site has answered so far.
    fn searches(&self) -> usize {
        self.fake
            .calls()
            .iter()
            .filter(|c| {
                c.starts_with("POST ") && (c.ends_with("/search/jql") || c.ends_with("/search"))
            })
            .count()
    }

    fn ticket(&self, id: DraftId) -> onramp_core::model::Submission {
        self.core.lock().submission(id).unwrap().unwrap()
    }
}

#[test]
fn every_followed_ticket_is_read_in_one_paged_search_a_round() {
    for config in [Config::default(), Config::data_center()] {
        let flavor = config.flavor;
        let w = world_of(Config {
            search_page: 2,
            ..config
        });
        let tickets = w.submitted(5);
        w.fake.set_status(&tickets[0].1, "In Progress");
        w.fake.transition(&tickets[1].1, "Done", Some("Won't Do"));
        w.fake.set_status(&tickets[2].1, "Waiting for customer");
        let before = w.searches();

        let round = w.sync().unwrap().expect("a round ran");
        // Five tickets, two a page: one search, three pages.
        assert_eq!(
            (round.tracked, round.requests, round.error),
            (5, 3, None),
            "{flavor:?}"
        );
        assert_eq!(w.searches() - before, 3, "{flavor:?}");
        let seen: Vec<(Option<String>, Option<StatusCategory>, Option<String>)> = tickets
            .iter()
            .map(|(id, _)| {
                let t = w.ticket(*id);
                (t.jira_status, t.jira_category, t.jira_resolution)
            })
            .collect();
        let state =
            |s: &str, c, r: Option<&str>| (Some(s.to_owned()), Some(c), r.map(str::to_owned));
        assert_eq!(
            seen,
            [
                state("In Progress", StatusCategory::InProgress, None),
                state("Done", StatusCategory::Done, Some("Won't Do")),
                state("Waiting for customer", StatusCategory::InProgress, None),
                state("To Do", StatusCategory::ToDo, None),
                state("To Do", StatusCategory::ToDo, None),
            ],
            "{flavor:?}"
        );
        let home = w.core.lock().list_drafts(&DraftQuery::default()).unwrap();
        let row = |id: DraftId| home.iter().find(|d| d.id == id).unwrap();
        assert_eq!(
            row(tickets[0].0).jira_status.as_deref(),
            Some("In Progress")
        );
        assert_eq!(row(tickets[0].0).ticket_note, None);
        assert_eq!(
            row(tickets[1].0).ticket_note,
            Some(format!(
                "Support finished {} in Jira (Won't Do).",
                tickets[1].1
            ))
        );
    }
}

#[test]
fn a_ticket_done_in_jira_stops_being_followed_and_nothing_followed_asks_nothing() {
    let w = world_of(Config::default());
    assert_eq!(w.sync().unwrap(), None);
    assert_eq!(w.fake.calls().len(), 0, "{:?}", w.fake.calls());

    let tickets = w.submitted(2);
    w.fake.set_status(&tickets[0].1, "Done");
    assert_eq!(w.sync().unwrap().unwrap().tracked, 2);
    let followed: Vec<(DraftId, String)> = w
        .core
        .lock()
        .tracked_tickets()
        .unwrap()
        .into_iter()
        .map(|t| (t.draft_id, t.key))
        .collect();
    assert_eq!(followed, [tickets[1].clone()]);
    assert_eq!(
        w.ticket(tickets[0].0).jira_resolution.as_deref(),
        Some("Done")
    );

    w.fake.set_status(&tickets[1].1, "Resolved");
    assert_eq!(w.sync().unwrap().unwrap().tracked, 1);
    let calls = w.fake.calls().len();
    assert_eq!(w.sync().unwrap(), None, "nothing is followed any more");
    assert_eq!(w.fake.calls().len(), calls, "and nothing was asked");
}

#[test]
fn a_deleted_ticket_is_marked_gone_and_never_stops_the_others() {
    let w = world_of(Config::default());
    let tickets = w.submitted(3);
    w.fake.delete_issue(&tickets[1].1);
    w.fake.set_status(&tickets[2].1, "In Progress");
    let before = w.searches();

    let round = w.sync().unwrap().unwrap();
    // Refused for the deleted key, then asked again without it.
    assert_eq!((round.requests, round.error), (2, None));
    assert_eq!(w.searches() - before, 2);
    let gone = w.ticket(tickets[1].0);
    assert!(gone.ticket_gone_since.is_some());
    let home = w.core.lock().list_drafts(&DraftQuery::default()).unwrap();
    let note = home
        .iter()
        .find(|d| d.id == tickets[1].0)
        .unwrap()
        .ticket_note
        .clone();
    assert_eq!(
        note,
        Some(format!(
            "Jira no longer shows {}: it was deleted, moved, or hidden from your account. Ask Support where it went.",
            tickets[1].1
        ))
    );
    assert_eq!(
        w.ticket(tickets[2].0).jira_status.as_deref(),
        Some("In Progress")
    );
    let history = w.core.lock().history(tickets[1].0).unwrap();
    let last = history.last().unwrap();
    assert_eq!(last.event, Event::Ticket);
    assert_eq!(
        last.new_value.as_ref().and_then(|v| v.as_text()),
        Some(
            format!(
                "{} is gone from Jira, or hidden from your account",
                tickets[1].1
            )
            .as_str()
        )
    );

    // The gone ticket is not asked for again.
    let round = w.sync().unwrap().unwrap();
    assert_eq!((round.tracked, round.requests), (2, 1));
}

#[test]
fn each_move_in_supports_workflow_is_in_the_drafts_history() {
    let w = world_of(Config::default());
    let tickets = w.submitted(1);
    let (id, key) = &tickets[0];
    w.sync().unwrap();
    w.fake.set_status(key, "In Progress");
    w.sync().unwrap();
    w.sync().unwrap();
    w.fake.transition(key, "Done", Some("Won't Do"));
    w.sync().unwrap();
    let moves: Vec<(Option<String>, Option<String>)> = w
        .core
        .lock()
        .history(*id)
        .unwrap()
        .into_iter()
        .filter(|e| e.event == Event::Ticket)
        .map(|e| {
            let text = |v: Option<onramp_core::answers::AnswerValue>| {
                v.and_then(|v| v.as_text().map(str::to_owned))
            };
            (text(e.old_value), text(e.new_value))
        })
        .collect();
    let step = |a: Option<&str>, b: &str| (a.map(str::to_owned), Some(b.to_owned()));
    assert_eq!(
        moves,
        [
            step(None, "To Do"),
            step(Some("To Do"), "In Progress"),
            step(Some("In Progress"), "Done (Won't Do)"),
        ]
    );
}

#[test]
fn a_failed_round_is_kept_with_why_and_the_next_one_recovers() {
    let w = world_of(Config::default());
    let tickets = w.submitted(1);
    w.fake.inject(Fault::Status(Operation::Search, 500));
    let error = w.sync().unwrap_err().to_string();
    assert!(
        error.starts_with("Jira's ticket statuses could not be read: Jira had a problem (500)."),
        "{error}"
    );
    let kept = w.core.lock().last_status_sync().unwrap().unwrap();
    assert_eq!(kept.error.as_deref(), Some(error.as_str()));
    assert_eq!(kept.tracked, 1);
    // The drafts home says so.
    let home = w.core.lock().drafts_home(&DraftQuery::default()).unwrap();
    assert_eq!(home.status_sync, Some(kept));

    let round = w.sync().unwrap().unwrap();
    assert_eq!(round.error, None);
    assert_eq!(w.ticket(tickets[0].0).jira_status.as_deref(), Some("To Do"));
    let home = w.core.lock().drafts_home(&DraftQuery::default()).unwrap();
    assert_eq!(home.status_sync.and_then(|s| s.error), None);
}

/// A desk's customer may not browse the desk's project, so its search shows none of their
/// requests: each is read through the request's own API instead.
#[test]
fn requests_a_customer_cannot_search_are_read_through_the_desk() {
    let mut desk = ServiceDesk::support();
    desk.agent = false;
    let config = Config {
        service_desk: Some(desk),
        ..Config::default()
    };
    let customer = "[[jira.fields]]\nfield = \"Customer\"\nvalue = \"Globex Clinics\"\n\n[jira.service_desk]\npublic_attachments = true\n";
    let w = world_with(config, playbook_with(customer));
    let tickets = w.submitted(2);
    w.fake.set_status(&tickets[0].1, "Resolved");

    let round = w.sync().unwrap().unwrap();
    // One search that shows neither, then each request on its own.
    assert_eq!((round.tracked, round.requests), (2, 3));
    let first = w.ticket(tickets[0].0);
    assert_eq!(
        (first.jira_status.as_deref(), first.jira_category),
        (Some("Resolved"), Some(StatusCategory::Done))
    );
    assert_eq!(
        w.ticket(tickets[1].0).jira_status.as_deref(),
        Some("Waiting for support")
    );
    assert!(w.ticket(tickets[1].0).ticket_gone_since.is_none());
}

/// The request's last step: once Support's ticket is done in Jira, the CSM confirms the
/// integration works and the request is live — not before, and once.
#[test]
fn a_request_goes_live_once_its_ticket_is_done_and_the_csm_confirms_it() {
    let w = world_of(Config::default());
    let unsent = {
        let mut onramp = w.core.lock();
        crate::support::create(&mut onramp, "okta").draft.id
    };
    let error = w.core.lock().mark_live(unsent).unwrap_err().to_string();
    assert_eq!(
        error,
        "this request has no Jira ticket yet: it goes live once Support has finished it"
    );

    let tickets = w.submitted(1);
    let (id, key) = &tickets[0];
    w.sync().unwrap();
    let row = |w: &World| {
        let home = w.core.lock().list_drafts(&DraftQuery::default()).unwrap();
        home.into_iter().find(|d| d.id == *id).unwrap()
    };
    assert!(!row(&w).can_mark_live);
    let error = w.core.lock().mark_live(*id).unwrap_err().to_string();
    assert_eq!(
        error,
        format!(
            "Support has not finished {key} in Jira yet (it is To Do): a request goes live once its ticket is done"
        )
    );

    w.fake.set_status(key, "Done");
    w.sync().unwrap();
    assert!(row(&w).can_mark_live);
    let live = w.core.lock().mark_live(*id).unwrap();
    assert_eq!(live.status, onramp_core::model::DraftStatus::Live);
    assert!(!live.can_mark_live);
    // Once: a second confirmation changes nothing.
    w.core.lock().mark_live(*id).unwrap();
    let history = w.core.lock().history(*id).unwrap();
    let marked: Vec<_> = history.iter().filter(|e| e.event == Event::Live).collect();
    assert_eq!(marked.len(), 1);
    assert_eq!(
        marked[0].new_value.as_ref().and_then(|v| v.as_text()),
        Some(format!("{key} done; you confirmed it works").as_str())
    );
}

/// Jira's Move gives a ticket a new key in another project; search still finds it by the old
/// one and answers with the new. The draft follows it by its ID, under its new key.
#[test]
fn a_ticket_moved_to_another_project_is_followed_under_its_new_key() {
    let w = world_of(Config::default());
    let tickets = w.submitted(2);
    let (id, key) = &tickets[0];
    let moved = w.fake.move_issue(key, "SUP").unwrap();
    w.fake.set_status(&moved, "In Progress");

    let round = w.sync().unwrap().unwrap();
    assert_eq!((round.tracked, round.requests), (2, 1));
    let ticket = w.ticket(*id);
    assert_eq!(ticket.issue_key.as_deref(), Some(moved.as_str()));
    assert_eq!(ticket.jira_status.as_deref(), Some("In Progress"));
    assert!(ticket.ticket_gone_since.is_none());
    let history = w.core.lock().history(*id).unwrap();
    assert!(
        history.iter().any(|e| e.event == Event::Ticket
            && e.old_value.as_ref().and_then(|v| v.as_text()) == Some(key.as_str())
            && e.new_value.as_ref().and_then(|v| v.as_text())
                == Some(format!("moved to {moved}").as_str())),
        "{history:#?}"
    );
    // The next round asks for it by its new key.
    w.fake.set_status(&moved, "Done");
    w.sync().unwrap();
    assert_eq!(w.ticket(*id).jira_status.as_deref(), Some("Done"));
}

/// Support's comments come with the status, in the same search: they reach the draft as text
/// (Cloud's ADF read as text), and Support's latest question is flagged until the CSM answers.
#[test]
fn supports_comments_reach_the_draft_and_an_open_question_is_flagged() {
    for config in [Config::default(), Config::data_center()] {
        let flavor = config.flavor;
        let w = world_of(config);
        // Settings' Test connection keeps which account is the CSM's.
        w.test_connection("csm@medtrainer.example");
        let tickets = w.submitted(1);
        let (id, key) = &tickets[0];
        w.fake
            .add_comment(key, "Certificate received, setting up.", true);
        w.fake.add_comment(
            key,
            "Can you send the SAML certificate again? It expired.",
            true,
        );
        let before = w.searches();
        w.sync().unwrap();
        assert_eq!(
            w.searches() - before,
            1,
            "{flavor:?}: comments come with the status"
        );
        let comments = w.core.lock().ticket_comments(*id).unwrap();
        let seen: Vec<(&str, &str, bool, bool)> = comments
            .iter()
            .map(|c| (c.author.as_str(), c.text.as_str(), c.yours, c.reply_needed))
            .collect();
        assert_eq!(
            seen,
            [
                (
                    "Sam Support",
                    "Certificate received, setting up.",
                    false,
                    false
                ),
                (
                    "Sam Support",
                    "Can you send the SAML certificate again? It expired.",
                    false,
                    true
                ),
            ],
            "{flavor:?}"
        );
        assert!(comments.iter().all(|c| c.at.is_some()), "{flavor:?}");

        // The CSM answers in Jira: nothing is waiting on them any more.
        w.fake
            .add_comment_by(0, key, "Sent it to you by email.", true);
        w.sync().unwrap();
        let comments = w.core.lock().ticket_comments(*id).unwrap();
        assert_eq!(comments.len(), 3, "{flavor:?}");
        assert!(comments[2].yours, "{flavor:?}");
        assert!(comments.iter().all(|c| !c.reply_needed), "{flavor:?}");
    }
}

impl World {
    fn send_replies(&self) -> usize {
        self.runtime
            .block_on(onramp_core::jira::follow::send_replies(
                &self.core,
                &self.client(),
            ))
            .unwrap()
    }

    fn posts(&self, key: &str) -> usize {
        let path = format!("/issue/{key}/comment");
        self.fake
            .calls()
            .iter()
            .filter(|c| c.starts_with("POST ") && c.ends_with(&path))
            .count()
    }

    fn thread(&self, id: DraftId) -> Vec<(String, bool, Option<String>)> {
        self.core
            .lock()
            .ticket_comments(id)
            .unwrap()
            .into_iter()
            .map(|c| (c.text, c.yours, c.sending))
            .collect()
    }
}

/// The CSM replies from Onramp: the reply waits until Jira answers and is posted once, even
/// when the answer to a post is lost (it is looked for before it would be posted again).
#[test]
fn a_reply_is_posted_exactly_once_even_when_the_answer_to_its_post_is_lost() {
    for config in [Config::default(), Config::data_center()] {
        let flavor = config.flavor;
        let w = world_of(config);
        w.test_connection("csm@medtrainer.example");
        let tickets = w.submitted(1);
        let (id, key) = &tickets[0];
        w.fake
            .add_comment(key, "Can you send the SAML certificate again?", true);
        w.sync().unwrap();

        let thread = w
            .core
            .lock()
            .reply_to_ticket(*id, "  Sent it to you by email.  ")
            .unwrap();
        assert_eq!(thread.len(), 2, "{flavor:?}");
        assert_eq!(thread[1].sending.as_deref(), Some("Waiting to be sent"));
        assert!(
            !thread[0].reply_needed,
            "{flavor:?}: answered, if not sent yet"
        );

        w.fake.inject(Fault::DropAfterWrite(Operation::Comment));
        assert_eq!(w.send_replies(), 0, "{flavor:?}");
        let waiting = w.thread(*id);
        assert!(
            waiting[1]
                .2
                .as_deref()
                .is_some_and(|s| s.starts_with("Waiting to be sent; the last try said: ")
                    && s.ends_with("broke off.")),
            "{flavor:?}: {waiting:?}"
        );
        assert_eq!(w.send_replies(), 1, "{flavor:?}: found where it landed");
        assert_eq!(w.posts(key), 1, "{flavor:?}: posted once");
        assert_eq!(w.send_replies(), 0, "{flavor:?}: nothing left to send");
        let on_ticket: Vec<String> = w.fake.issues()[0]
            .comments
            .iter()
            .map(|c| c.body.clone())
            .collect();
        assert_eq!(
            on_ticket,
            [
                "Can you send the SAML certificate again?",
                "Sent it to you by email."
            ],
            "{flavor:?}"
        );
        // Once the status sync reads it back, it is the CSM's comment like any other.
        w.sync().unwrap();
        assert_eq!(
            w.thread(*id),
            [
                (
                    "Can you send the SAML certificate again?".to_owned(),
                    false,
                    None
                ),
                ("Sent it to you by email.".to_owned(), true, None),
            ],
            "{flavor:?}"
        );
    }
}

#[test]
fn a_reply_jira_refuses_is_kept_with_why_and_not_tried_again() {
    let w = world_of(Config::default());
    let tickets = w.submitted(1);
    let (id, key) = &tickets[0];
    w.core.lock().reply_to_ticket(*id, "Thanks!").unwrap();
    w.fake.inject(Fault::Status(Operation::Comment, 403));
    assert_eq!(w.send_replies(), 0);
    let thread = w.thread(*id);
    assert!(
        thread[0]
            .2
            .as_deref()
            .is_some_and(|s| s.starts_with("Not sent: Jira refused (403)")),
        "{thread:?}"
    );
    assert_eq!(w.send_replies(), 0);
    assert_eq!(w.posts(key), 1);

    // A reply needs words, and a ticket to go on.
    let empty = w.core.lock().reply_to_ticket(*id, "   ").unwrap_err();
    assert_eq!(empty.to_string(), "Write the reply first.");
    let unsent = {
        let mut onramp = w.core.lock();
        crate::support::create(&mut onramp, "okta").draft.id
    };
    let none = w.core.lock().reply_to_ticket(unsent, "Hello").unwrap_err();
    assert_eq!(
        none.to_string(),
        "this request has no Jira ticket yet: replies go on its ticket"
    );
}

/// Whose turn it is, as the drafts home shows it, through a request's whole life.
#[test]
fn the_home_says_whom_each_request_waits_on_and_lists_what_needs_you_first() {
    use onramp_core::drafts::Escalation;
    use onramp_core::follow_up::Turn;
    use onramp_core::model::DraftSort;

    let w = world_of(Config::default());
    w.test_connection("csm@medtrainer.example");
    let turn = |w: &World, id: DraftId| {
        let home = w.core.lock().list_drafts(&DraftQuery::default()).unwrap();
        home.into_iter()
            .find(|d| d.id == id)
            .unwrap()
            .waiting
            .map(|waiting| (waiting.on, waiting.why))
    };
    let (fresh, customers) = {
        let mut onramp = w.core.lock();
        let fresh = crate::support::create(&mut onramp, "okta");
        let customers = crate::support::create(&mut onramp, "okta");
        crate::support::fill_everything(&mut onramp, &customers);
        // The customer has not sent their Okta domain yet.
        onramp
            .set_answer(&crate::support::answer(&customers, "okta_domain", ""))
            .unwrap();
        (fresh.draft.id, customers.draft.id)
    };
    let (on, why) = turn(&w, fresh).unwrap();
    assert_eq!(on, Turn::You);
    assert!(why.ends_with("things for you to fill in"), "{why}");
    assert_eq!(
        turn(&w, customers),
        Some((
            Turn::Customer,
            "1 thing from the customer still missing".into()
        ))
    );
    w.core
        .lock()
        .set_escalation(&Escalation {
            draft_id: customers,
            note: Some("Contract covers 50 users".into()),
        })
        .unwrap();
    assert_eq!(
        turn(&w, customers),
        Some((Turn::You, "Escalated: Contract covers 50 users".into()))
    );

    let tickets = w.submitted(1);
    let (sent, key) = &tickets[0];
    w.sync().unwrap();
    assert_eq!(
        turn(&w, *sent),
        Some((Turn::Support, format!("{key} is with Support")))
    );
    w.fake
        .add_comment(key, "Can you confirm the user count?", true);
    w.sync().unwrap();
    assert_eq!(
        turn(&w, *sent),
        Some((Turn::You, format!("Support asked something on {key}")))
    );
    w.core.lock().reply_to_ticket(*sent, "500 users.").unwrap();
    assert_eq!(
        turn(&w, *sent),
        Some((Turn::Support, format!("{key} is with Support")))
    );

    // Needs you first: the fresh draft and the escalation, then Support's.
    let order: Vec<DraftId> = w
        .core
        .lock()
        .list_drafts(&DraftQuery {
            sort: Some(DraftSort::NeedsYou),
            ..DraftQuery::default()
        })
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(order.last(), Some(sent), "{order:?}");
    assert_eq!(order.len(), 3);

    w.fake.set_status(key, "Done");
    w.sync().unwrap();
    let (on, why) = turn(&w, *sent).unwrap();
    assert_eq!(on, Turn::You);
    assert!(why.starts_with(&format!("Support finished {key}")), "{why}");
    w.core.lock().mark_live(*sent).unwrap();
    assert_eq!(turn(&w, *sent), None);
}
