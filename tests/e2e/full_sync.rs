//! Full sync: the queue fed by lead events, the `crm:ines` batch, the journal, the initial
//! sync, deletions and stop-sync (seed step 4, behaviour.md §4.6, §4.7, §5).

use host_shim::bindings::exports::ines::crm::plugin::{BatchReport, SyncAction, SyncStatus};
use ines_sim::Knob;

use crate::support::{Platform, operations, start_sim};

#[test]
fn seed_step_4_edited_and_deleted_leads_are_pending_then_done() {
    let sim = start_sim();
    let platform = Platform::full_sync_to(&sim);
    let a = platform.new_lead("a@dupont.example", "Dupont SA");
    let b = platform.new_lead("b@dupont.example", "Dupont SA");
    let c = platform.new_lead("c@martin.example", "Martin SARL");
    for lead in [&a, &b, &c] {
        assert_eq!(platform.row(lead.id).status, SyncStatus::Pending);
    }
    let first = platform.run(10);
    assert_eq!((first.processed, first.done), (3, 3), "{first:?}");
    assert_eq!(sim.state().clients.len(), 2, "one INES client per company");

    // Edit two leads and delete one: each appears once, pending.
    let mut edited = platform.lead(a.id);
    edited.fields.insert("firstname".into(), "Alice".into());
    platform.host.save_lead(edited).expect("saved");
    let mut edited = platform.lead(a.id);
    edited.fields.insert("lastname".into(), "Martin".into());
    platform.host.save_lead(edited).expect("saved again");
    let mut edited = platform.lead(b.id);
    edited.fields.insert("position".into(), "DAF".into());
    platform.host.save_lead(edited).expect("saved");
    let deleted_ref: i32 = platform.lead(c.id).fields["ines_contact_ref"]
        .parse()
        .expect("ref");
    platform.host.delete_lead(c.id).expect("deleted");
    let journal = platform.host.sync_log(200).expect("journal");
    let pending: Vec<_> = journal
        .iter()
        .filter(|r| r.status == SyncStatus::Pending)
        .collect();
    assert_eq!(pending.len(), 3, "one pending row per lead: {journal:?}");
    assert_eq!(platform.row(c.id).action, SyncAction::Delete);

    let second = platform.run(10);
    assert_eq!(
        (second.processed, second.done, second.failed),
        (3, 3, 0),
        "{second:?}"
    );
    for lead in [&a, &b, &c] {
        assert_eq!(platform.row(lead.id).status, SyncStatus::Done);
    }
    let state = sim.state();
    let contact = |r: i32| state.contacts.get(&r).expect("contact");
    let a_ref: i32 = platform.lead(a.id).fields["ines_contact_ref"]
        .parse()
        .expect("ref");
    assert_eq!(contact(a_ref).get("FirstName"), "Alice");
    assert_eq!(contact(a_ref).get("LastName"), "Martin");
    assert!(
        contact(deleted_ref).sync_stopped,
        "the deleted lead's contact is flagged"
    );
    assert_eq!(state.clients.len(), 2, "deletion never touches the client");
}

#[test]
fn a_lead_ines_always_refuses_fails_after_exactly_three_runs_and_the_others_go_through() {
    let sim = start_sim();
    let platform = Platform::full_sync_to(&sim);
    sim.set_knob_matching(
        None,
        "bad@refused.example",
        Knob::Fault {
            server: true,
            text: "Internal error: database locked".into(),
        },
        None,
    );
    let bad = platform.new_lead("bad@refused.example", "Refused SA");
    let mut good = vec![platform.new_lead("g1@ok.example", "Ok SA")];
    for run in 1..=4u32 {
        let report = platform.run(10);
        let row = platform.row(bad.id);
        let expected_attempts = run.min(3);
        assert_eq!(row.attempts, expected_attempts, "run {run}: {row:?}");
        if run < 3 {
            assert_eq!(row.status, SyncStatus::Pending, "run {run}");
            assert_eq!(report.retried, 1, "run {run}: {report:?}");
        } else {
            assert_eq!(row.status, SyncStatus::Failed, "run {run}");
        }
        assert!(row.last_error.contains("database locked"), "{row:?}");
        if run == 4 {
            assert_eq!(report.processed, 1, "the failed row is ignored: {report:?}");
        }
        for lead in &good {
            assert_eq!(platform.row(lead.id).status, SyncStatus::Done, "run {run}");
        }
        good.push(platform.new_lead(&format!("g{}@ok.example", run + 1), "Ok SA"));
    }
    let bad_calls = sim
        .calls()
        .iter()
        .filter(|c| c.outcome.contains("database locked"))
        .count();
    assert_eq!(bad_calls, 3, "three attempts, then never again");
    platform
        .host
        .requeue(bad.id)
        .expect("a failed lead can be requeued");
    assert_eq!(platform.row(bad.id).status, SyncStatus::Pending);
    assert!(
        platform.host.requeue(good[0].id).is_err(),
        "only a FAILED lead can be requeued"
    );
}

#[test]
fn a_session_expired_mid_batch_costs_one_relogin_not_a_failure() {
    let sim = start_sim();
    let platform = Platform::full_sync_to(&sim);
    platform.configure(|s| s.batch_concurrency = 4);
    let leads: Vec<_> = (0..12)
        .map(|i| platform.new_lead(&format!("l{i}@same.example"), "Same SA"))
        .collect();
    // The first AddContact (after the company's client exists) meets an expired session.
    sim.set_knob(Some("AddContact"), Knob::ExpireSession, Some(1));
    let report = platform.run(20);
    assert_eq!(
        (report.done, report.failed, report.retried),
        (12, 0, 0),
        "{report:?}"
    );
    let logins = operations(&sim)
        .iter()
        .filter(|o| *o == "authenticationWs")
        .count();
    assert_eq!(
        logins,
        2,
        "the first login and one re-login: {:?}",
        operations(&sim)
    );
    assert_eq!(sim.state().contacts.len(), leads.len());
    assert_eq!(sim.state().clients.len(), 1);
}

#[test]
fn the_initial_sync_brings_250_never_synced_leads_in_batches_of_100_without_duplicates() {
    let sim = start_sim();
    let platform = Platform::mapped_to(&sim);
    // Leads that existed before full sync was switched on: no event ever queued them.
    for i in 0..250 {
        let mut lead = host_shim::platform::Lead::default();
        lead.fields
            .insert("email".into(), format!("old{i}@legacy.example"));
        let company = platform
            .host
            .platform()
            .find_or_create_company(&format!("Legacy {}", i % 40))
            .expect("company");
        lead.companies.push(host_shim::platform::CompanyLink {
            company_id: company.id,
            primary: true,
        });
        platform.host.platform().save_lead(lead).expect("saved");
    }
    // Two ineligible leads (no company) the cursor must walk past.
    for i in 0..2 {
        let mut lead = host_shim::platform::Lead::default();
        lead.fields
            .insert("email".into(), format!("nocompany{i}@legacy.example"));
        platform.host.platform().save_lead(lead).expect("saved");
    }
    platform.configure(|s| s.full_sync = true);
    let mut enqueued = 0;
    let mut done = 0;
    let mut runs = 0;
    loop {
        let report = platform.run(100);
        runs += 1;
        enqueued += report.enqueued_by_backfill;
        done += report.done;
        if report.processed == 0 && report.enqueued_by_backfill == 0 {
            break;
        }
        assert!(runs < 10, "the initial sync does not converge");
    }
    assert_eq!(
        (enqueued, done),
        (250, 250),
        "each lead queued and synced exactly once"
    );
    let state = sim.state();
    assert_eq!(state.contacts.len(), 250);
    assert_eq!(state.clients.len(), 40, "one INES client per company");
    for lead in platform.host.platform().leads().expect("leads") {
        let has_ref = lead
            .fields
            .get("ines_contact_ref")
            .is_some_and(|r| !r.is_empty());
        let eligible = !lead.companies.is_empty();
        assert_eq!(has_ref, eligible, "{lead:?}");
    }
}

#[test]
fn a_stopped_lead_never_reaches_ines_and_its_row_says_why() {
    let sim = start_sim();
    let platform = Platform::full_sync_to(&sim);
    let lead = platform.new_lead("stop@me.example", "Stop SA");
    let mut stopped = platform.lead(lead.id);
    stopped.fields.insert("ines_stop_sync".into(), "1".into());
    platform.host.save_lead(stopped).expect("saved");
    let report = platform.run(10);
    assert_eq!(report.skipped, 1, "{report:?}");
    let row = platform.row(lead.id);
    assert_eq!(row.status, SyncStatus::Skipped);
    assert!(row.last_error.contains("not to be synchronised"), "{row:?}");
    assert!(sim.state().contacts.is_empty());
    assert!(!operations(&sim).iter().any(|o| o.starts_with("Add")));
}

/// Makes `company` the lead's primary company, saved through the platform (a company change).
fn move_to_company(platform: &Platform, lead: u64, company: &str) {
    let mut moved = platform.lead(lead);
    let company = platform
        .host
        .platform()
        .find_or_create_company(company)
        .expect("company");
    moved.link_primary_company(company.id);
    moved.fields.insert("company".into(), company.name);
    platform.host.save_lead(moved).expect("saved");
}

#[test]
fn a_company_change_moves_the_contact_to_the_new_companys_client() {
    let sim = start_sim();
    let platform = Platform::full_sync_to(&sim);
    let lead = platform.new_lead("mover@old.example", "Old SA");
    platform.new_lead("stay@new.example", "New SA");
    platform.run(10);
    let old_ref: i32 = platform.lead(lead.id).fields["ines_contact_ref"]
        .parse()
        .expect("ref");
    move_to_company(&platform, lead.id, "New SA");
    let report = platform.run(10);
    assert_eq!(report.done, 1, "{report:?}");
    let state = sim.state();
    assert_eq!(
        state.clients.len(),
        2,
        "no second client for a company that has one"
    );
    let new_ref: i32 = platform.lead(lead.id).fields["ines_contact_ref"]
        .parse()
        .expect("ref");
    assert_ne!(new_ref, old_ref);
    let new_client = platform.lead(lead.id).fields["ines_client_ref"].clone();
    assert_eq!(state.contacts[&new_ref].get("CompanyRef"), new_client);
    assert!(
        state.contacts[&old_ref].sync_stopped,
        "the old contact is flagged"
    );
}

/// Two `crm:ines` runs of `max` rows each, started together on two threads.
fn two_runs_at_once(platform: &Platform, max: u32) -> (BatchReport, BatchReport) {
    let host = &platform.host;
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| host.run_batch(max));
        let b = s.spawn(|| host.run_batch(max));
        (a.join(), b.join())
    });
    (
        a.expect("run a").expect("run a ok"),
        b.expect("run b").expect("run b ok"),
    )
}

#[test]
fn two_runs_started_together_process_disjoint_rows() {
    let sim = start_sim();
    let platform = Platform::full_sync_to(&sim);
    platform.configure(|s| s.batch_concurrency = 2);
    for i in 0..60 {
        platform.new_lead(&format!("p{i}@parallel.example"), &format!("Parallel {i}"));
    }
    sim.set_knob(
        None,
        Knob::Latency(std::time::Duration::from_millis(5)),
        None,
    );
    let (a, b) = two_runs_at_once(&platform, 40);
    assert!(
        a.processed > 0 && b.processed > 0,
        "both runs worked: {a:?} {b:?}"
    );
    assert_eq!(a.processed + b.processed, 60, "{a:?} {b:?}");
    let creations = operations(&sim)
        .iter()
        .filter(|o| *o == "AddClientWithContacts" || *o == "AddContact")
        .count();
    assert_eq!(creations, 60, "no row processed twice");
    assert_eq!(sim.state().contacts.len(), 60);
}

#[test]
fn two_runs_at_once_never_make_two_clients_for_one_new_company() {
    let sim = start_sim();
    let platform = Platform::full_sync_to(&sim);
    platform.configure(|s| s.batch_concurrency = 4);
    for i in 0..40 {
        platform.new_lead(
            &format!("s{i}@shared.example"),
            &format!("Shared {}", i % 2),
        );
    }
    sim.set_knob(
        None,
        Knob::Latency(std::time::Duration::from_millis(5)),
        None,
    );
    let (a, b) = two_runs_at_once(&platform, 20);
    assert_eq!(a.done + b.done, 40, "{a:?} {b:?}");
    let state = sim.state();
    assert_eq!(
        state.clients.len(),
        2,
        "one INES client per company, whichever run made it"
    );
    assert_eq!(state.contacts.len(), 40);
}

#[test]
fn a_company_change_whose_flagging_fails_is_retried_until_the_old_contact_is_flagged() {
    let sim = start_sim();
    let platform = Platform::full_sync_to(&sim);
    let lead = platform.new_lead("mover@old.example", "Old SA");
    platform.run(10);
    let old_ref: i32 = platform.lead(lead.id).fields["ines_contact_ref"]
        .parse()
        .expect("ref");
    move_to_company(&platform, lead.id, "New SA");
    sim.set_knob(
        Some("DeleteAutomationContact"),
        Knob::Fault {
            server: true,
            text: "Internal error: busy".into(),
        },
        Some(1),
    );
    let first = platform.run(10);
    assert_eq!(first.retried, 1, "{first:?}");
    let second = platform.run(10);
    assert_eq!(second.done, 1, "{second:?}");
    let state = sim.state();
    assert!(
        state.contacts[&old_ref].sync_stopped,
        "the old contact is flagged in the end"
    );
    assert_eq!(state.contacts.len(), 2, "one new contact, created once");
}
