//! The plugin manager's Install/Upgrade button: state survives an upgrade, and a component
//! built for another major version of the contract is refused.

use std::path::PathBuf;

use host_shim::bindings::exports::ines::crm::plugin::SyncStatus;

use crate::support::{Platform, plugin_wasm, start_sim};

/// Build B: the same plugin with its version bumped (`make plugin-next`).
fn next_wasm() -> PathBuf {
    host_shim::built::component(host_shim::built::NEXT_PLUGIN).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn an_upgrade_keeps_the_journal_refs_and_settings_and_the_queue_continues() {
    let sim = start_sim();
    let mut platform = Platform::full_sync_to(&sim);
    let leads: Vec<_> = (0..5)
        .map(|i| platform.new_lead(&format!("u{i}@upgrade.example"), "Upgrade SA"))
        .collect();
    let first = platform.run(2);
    assert_eq!(first.done, 2);
    let journal_before = platform.host.sync_log(200).expect("journal");
    let settings_before = platform.host.platform().settings().expect("settings");
    let refs_before = platform.lead(leads[0].id).fields["ines_contact_ref"].clone();

    let outcome = platform
        .host
        .install(&next_wasm())
        .expect("build B installs");
    assert_eq!(outcome.previous_version.as_deref(), Some("0.1.0"));
    assert_eq!(outcome.plugin_version, "0.2.0");
    assert!(
        outcome.created_fields.is_empty(),
        "existing fields untouched"
    );

    let journal_after = platform.host.sync_log(200).expect("journal");
    assert_eq!(format!("{journal_after:?}"), format!("{journal_before:?}"));
    assert_eq!(
        platform.host.platform().settings().expect("settings"),
        settings_before
    );
    assert_eq!(
        platform.lead(leads[0].id).fields["ines_contact_ref"],
        refs_before
    );
    let second = platform.run(10);
    assert_eq!(
        (second.processed, second.done),
        (3, 3),
        "continues where it stopped: {second:?}"
    );
    for lead in &leads {
        assert_eq!(platform.row(lead.id).status, SyncStatus::Done);
    }
    assert_eq!(sim.state().clients.len(), 1);
    assert_eq!(sim.state().contacts.len(), 5);
}

/// The built component relabelled as implementing contract 2.0.0 (same-length rewrite of
/// its `ines:crm/...@1.0.0` names).
fn as_major_two() -> Vec<u8> {
    let mut bytes = std::fs::read(plugin_wasm()).expect("component");
    for name in ["ines:crm/plugin@", "ines:crm/types@", "ines:crm/platform@"] {
        let from = format!("{name}1.0.0");
        let to = format!("{name}2.0.0");
        let mut i = 0;
        while let Some(pos) = bytes[i..]
            .windows(from.len())
            .position(|w| w == from.as_bytes())
        {
            let at = i + pos;
            bytes[at..at + to.len()].copy_from_slice(to.as_bytes());
            i = at + to.len();
        }
    }
    bytes
}

#[test]
fn a_component_for_another_major_version_is_refused_and_the_installed_one_keeps_working() {
    let sim = start_sim();
    let mut platform = Platform::connected_to(&sim);
    let v2 = platform.dir.path().join("plugin-v2.wasm");
    std::fs::write(&v2, as_major_two()).expect("write");
    let err = platform.host.install(&v2).expect_err("must be refused");
    let text = err.to_string();
    assert!(
        text.contains("ines:crm@2.0.0") && text.contains("major version 1"),
        "the message names both versions: {text}"
    );
    platform
        .host
        .test_connection()
        .expect("the installed plugin still works");
    let installed = platform
        .host
        .installed()
        .expect("store")
        .expect("installed");
    assert_eq!(installed.contract_version, "1.0.0");
}
