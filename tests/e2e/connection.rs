//! Logging in to INES: the "test the connection" button and the session handling every later
//! call relies on.

use host_shim::HostError;
use host_shim::bindings::ines::crm::types::PluginError;
use ines_sim::Knob;

use crate::support::{Platform, operations, settings_for, start_sim};

#[test]
fn correct_credentials_give_ok_with_one_login() {
    let sim = start_sim();
    let platform = Platform::connected_to(&sim);
    platform.host.test_connection().expect("connection OK");
    assert_eq!(operations(&sim), vec!["authenticationWs"]);
}

#[test]
fn a_wrong_password_says_the_credentials_were_refused_and_never_shows_the_password() {
    let sim = start_sim();
    let platform = Platform::connected_to(&sim);
    platform.configure(|s| s.password = "Wr0ng-p4ss".into());
    let err = platform.host.test_connection().expect_err("must fail");
    let text = err.to_string();
    assert!(
        matches!(err, HostError::Plugin(PluginError::CredentialsRefused(_))),
        "{err:?}"
    );
    assert!(
        text.contains("refused the credentials for account 'ACME'"),
        "{text}"
    );
    assert!(!text.contains("Wr0ng-p4ss"), "{text}");
    assert!(!platform.plugin_log().contains("Wr0ng-p4ss"));
}

#[test]
fn a_stopped_ines_is_reported_unreachable() {
    let sim = start_sim();
    let platform = Platform::connected_to(&sim);
    let url = sim.base_url();
    sim.shutdown();
    let err = platform.host.test_connection().expect_err("must fail");
    assert!(
        matches!(err, HostError::Plugin(PluginError::Unreachable(_))),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(text.contains("INES is unreachable at"), "{text}");
    assert!(text.contains(&url), "{text}");
}

#[test]
fn empty_or_insecure_settings_are_refused_before_anything_is_sent() {
    let sim = start_sim();
    let platform = Platform::connected_to(&sim);
    platform.configure(|s| s.user.clear());
    let err = platform.host.test_connection().expect_err("must fail");
    assert!(
        matches!(err, HostError::Plugin(PluginError::Configuration(_))),
        "{err:?}"
    );
    assert!(err.to_string().contains("user is empty"), "{err}");

    platform.configure(|s| *s = settings_for(&sim));
    platform.configure(|s| s.ines_url = "http://ines.example.com".into());
    let err = platform.host.test_connection().expect_err("must fail");
    assert!(err.to_string().contains("must use https"), "{err}");
    assert!(operations(&sim).is_empty());
}

#[test]
fn a_session_expired_by_ines_costs_one_transparent_relogin() {
    let sim = start_sim();
    let platform = Platform::connected_to(&sim);
    platform.host.test_connection().expect("connection OK");
    sim.expire_all_sessions();
    sim.clear_calls();
    // describe reads the INES custom fields with the cached (now expired) session.
    let description = platform
        .host
        .describe()
        .expect("describe succeeds after a re-login");
    assert!(
        description
            .fields
            .iter()
            .any(|f| f.key == "contact-custom:17")
    );
    let calls = sim.calls();
    let ops: Vec<(&str, &str)> = calls
        .iter()
        .map(|c| (c.operation.as_str(), c.outcome.as_str()))
        .collect();
    assert_eq!(
        ops,
        vec![
            ("GetSyncInfo", "Session expired or invalid"),
            ("authenticationWs", "ok"),
            ("GetSyncInfo", "ok"),
        ]
    );
}

#[test]
fn a_session_fault_on_the_retry_too_is_an_error_not_a_third_attempt() {
    let sim = start_sim();
    let platform = Platform::connected_to(&sim);
    sim.set_knob(Some("GetSyncInfo"), Knob::ExpireSession, None);
    let err = platform.host.describe().expect_err("must fail");
    assert!(
        err.to_string().contains("Session expired or invalid"),
        "{err}"
    );
    assert_eq!(
        operations(&sim),
        vec![
            "authenticationWs",
            "GetSyncInfo",
            "authenticationWs",
            "GetSyncInfo"
        ]
    );
}

#[test]
fn a_request_to_another_host_than_the_configured_one_is_refused_by_the_host() {
    let sim = start_sim();
    let elsewhere = start_sim();
    let mut platform = Platform::connected_to(&sim);
    // The operator pins INES to `elsewhere`; the settings still point at `sim`.
    platform.host.pin_ines_origin(Some(&elsewhere.base_url()));
    let err = platform
        .host
        .test_connection()
        .expect_err("must be refused");
    assert!(
        matches!(err, HostError::Plugin(PluginError::RequestDenied(_))),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("the host refused the request to"),
        "{err}"
    );
    assert!(
        operations(&sim).is_empty(),
        "nothing reached the other host"
    );
    assert!(operations(&elsewhere).is_empty());
}
