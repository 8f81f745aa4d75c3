//! What INES can answer besides a result, end to end: each gives the admin a clear reason and
//! loses nothing.

use host_shim::HostError;
use host_shim::bindings::ines::crm::types::PluginError;
use ines_sim::Knob;

use crate::support::{Platform, operations, start_sim};

const FORM: &[(&str, &str)] = &[("email", "err@example.com"), ("company", "Errors SA")];

#[test]
fn an_http_error_on_login_is_named_with_its_status() {
    let sim = start_sim();
    let platform = Platform::connected_to(&sim);
    sim.set_knob(Some("authenticationWs"), Knob::HttpStatus(503), None);
    let err = platform.host.test_connection().expect_err("must fail");
    assert!(err.to_string().contains("HTTP 503"), "{err}");
}

#[test]
fn a_malformed_or_truncated_answer_is_a_bad_response_not_a_crash() {
    let sim = start_sim();
    let platform = Platform::mapped_to(&sim);
    sim.set_knob(Some("GetSyncInfo"), Knob::MalformedBody, Some(1));
    let err = platform.host.describe().expect_err("must fail");
    assert!(
        matches!(err, HostError::Plugin(PluginError::BadResponse(_))),
        "{err:?}"
    );
    assert!(err.to_string().contains("GetSyncInfo"), "{err}");

    sim.set_knob(Some("AddClientWithContacts"), Knob::TruncatedBody, Some(1));
    let result = platform.submit(FORM);
    assert_eq!(result.outcome, "failed");
    let reason = result.reason.unwrap_or_default();
    assert!(reason.contains("AddClientWithContacts"), "{reason}");
    // INES did create the records before its answer was cut: the next push must say that a
    // duplicate may exist rather than stay silent (INES cannot be searched for it).
    let again = platform.submit(FORM);
    assert_eq!(again.outcome, "created");
    assert!(
        platform
            .plugin_log()
            .contains("INES may hold a duplicate contact"),
        "{}",
        platform.plugin_log()
    );
}

#[test]
fn a_refused_create_leaves_no_doubt_behind() {
    let sim = start_sim();
    let platform = Platform::mapped_to(&sim);
    sim.set_knob(
        Some("AddClientWithContacts"),
        Knob::Fault {
            server: false,
            text: "Malformed request: Phone is too long".into(),
        },
        Some(1),
    );
    let result = platform.submit(FORM);
    assert_eq!(result.outcome, "failed");
    assert!(
        result
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("Phone is too long"))
    );
    // A soap:Client fault took no effect: the retry creates without any duplicate warning.
    assert_eq!(platform.submit(FORM).outcome, "created");
    assert!(
        !platform.plugin_log().contains("duplicate"),
        "{}",
        platform.plugin_log()
    );
    assert_eq!(sim.state().clients.len(), 1);
}

#[test]
fn a_lead_value_ines_cannot_take_fails_with_the_field_named_and_nothing_sent() {
    let sim = start_sim();
    let platform = Platform::mapped_to(&sim);
    platform
        .host
        .platform()
        .ensure_field(&host_shim::platform::FieldDef {
            alias: "birthday".into(),
            label: "Birthday".into(),
            kind: host_shim::platform::FieldKind::Text,
        })
        .expect("field");
    platform.configure(|s| {
        s.mapping
            .insert("contact:DateOfBirth".into(), "birthday".into());
    });
    sim.clear_calls();
    let result = platform.submit(&[FORM[0], FORM[1], ("birthday", "the 3rd of May")]);
    assert_eq!(result.outcome, "failed");
    let reason = result.reason.unwrap_or_default();
    assert!(
        reason.contains("DateOfBirth") && reason.contains("the 3rd of May"),
        "{reason}"
    );
    assert!(!operations(&sim).iter().any(|o| o.starts_with("Add")));
    // A real date goes through, normalised to INES's dateTime.
    let ok = platform.submit(&[FORM[0], FORM[1], ("birthday", "1980-05-03")]);
    assert_eq!(ok.outcome, "created");
    let state = sim.state();
    let contact = state.contacts.values().next().expect("contact");
    assert_eq!(contact.get("DateOfBirth"), "1980-05-03T00:00:00");
}

#[test]
fn a_server_fault_during_a_batch_retries_the_row_on_the_next_run() {
    let sim = start_sim();
    let platform = Platform::full_sync_to(&sim);
    let lead = platform.new_lead("retry@example.com", "Retry SA");
    sim.set_knob(
        Some("AddClientWithContacts"),
        Knob::Fault {
            server: true,
            text: "Internal error: timeout".into(),
        },
        Some(1),
    );
    let first = platform.run(10);
    assert_eq!((first.retried, first.done), (1, 0), "{first:?}");
    let row = platform.row(lead.id);
    assert_eq!(row.attempts, 1);
    assert!(
        row.last_error.contains("Internal error: timeout"),
        "{row:?}"
    );
    let second = platform.run(10);
    assert_eq!(second.done, 1, "{second:?}");
}

#[test]
fn an_unreachable_ines_gives_the_rows_back_without_using_their_attempts() {
    let sim = start_sim();
    let platform = Platform::full_sync_to(&sim);
    let lead = platform.new_lead("later@example.com", "Later SA");
    platform
        .host
        .describe()
        .expect("sync info cached while INES is up");
    sim.set_knob(Some("AddClientWithContacts"), Knob::HttpStatus(502), None);
    let err = platform.host.run_batch(10);
    // A 502 is INES answering badly, so the row is retried like any failure...
    assert!(err.is_ok(), "{err:?}");
    assert_eq!(platform.row(lead.id).attempts, 1);
    // ...while INES not answering at all stops the run and keeps the row's attempts.
    let url = sim.base_url();
    sim.shutdown();
    let err = platform.host.run_batch(10).expect_err("INES is down");
    assert!(err.to_string().contains(&url), "{err}");
    let row = platform.row(lead.id);
    assert_eq!(
        row.attempts, 1,
        "no attempt used while INES was down: {row:?}"
    );
}
