//! The built component itself: its contract, its imports, and how the host treats it.

use host_shim::runtime;
use host_shim::wasmtime::component::types::ComponentItem;

use crate::support::{Platform, plugin_wasm, start_sim};

#[test]
fn the_component_exports_the_plugin_interface_and_imports_only_what_the_contract_names() {
    let path = plugin_wasm();
    let bytes = std::fs::read(&path).expect("component readable");
    let component = runtime::compile(&bytes, &path.display().to_string()).expect("compiles");
    let engine = runtime::engine().expect("engine");
    let ty = component.component_type();

    let exports: Vec<String> = ty.exports(engine).map(|(n, _)| n.to_string()).collect();
    assert_eq!(exports, vec!["ines:crm/plugin@1.0.0"]);
    let plugin = ty
        .get_export(engine, "ines:crm/plugin@1.0.0")
        .expect("plugin export");
    let ComponentItem::ComponentInstance(instance) = plugin.ty else {
        panic!("the plugin export is not an instance");
    };
    let mut functions: Vec<String> = instance
        .exports(engine)
        .filter(|(_, item)| matches!(item.ty, ComponentItem::ComponentFunc(_)))
        .map(|(n, _)| n.to_string())
        .collect();
    functions.sort();
    assert_eq!(
        functions,
        [
            "describe",
            "get-mapping",
            "install",
            "on-form-submit",
            "on-lead-saved",
            "requeue",
            "run-batch",
            "sync-log",
            "test-connection",
        ]
    );

    let imports: Vec<String> = ty.imports(engine).map(|(n, _)| n.to_string()).collect();
    for needed in [
        "wasi:http/outgoing-handler@0.2.12",
        "wasi:keyvalue/store@0.2.0-draft2",
        "wasi:keyvalue/atomics@0.2.0-draft2",
        "wasi:keyvalue/batch@0.2.0-draft2",
        "ines:crm/platform@1.0.0",
    ] {
        assert!(
            imports.iter().any(|i| i == needed),
            "{needed} not in {imports:?}"
        );
    }
    for import in &imports {
        assert!(
            !import.starts_with("wasi:sockets") && !import.starts_with("wasi:filesystem/preopens"),
            "the plugin must not need raw sockets or files: {import}"
        );
    }
}

#[test]
fn installing_declares_the_three_lead_fields_once_and_reinstalling_keeps_state() {
    let sim = start_sim();
    let mut platform = Platform::connected_to(&sim);
    let fields: Vec<String> = platform
        .host
        .platform()
        .fields()
        .expect("fields")
        .into_iter()
        .map(|f| f.alias)
        .collect();
    for alias in ["ines_contact_ref", "ines_client_ref", "ines_stop_sync"] {
        assert_eq!(fields.iter().filter(|f| *f == alias).count(), 1, "{alias}");
    }
    let again = platform.host.install(&plugin_wasm()).expect("reinstall");
    assert!(again.created_fields.is_empty());
    assert_eq!(
        again.previous_version.as_deref(),
        Some(again.plugin_version.as_str())
    );
    platform
        .host
        .test_connection()
        .expect("settings survived the reinstall");
}

#[test]
fn a_component_that_is_not_a_plugin_is_refused_and_the_installed_one_keeps_working() {
    let sim = start_sim();
    let mut platform = Platform::connected_to(&sim);
    let junk = platform.dir.path().join("junk.wasm");
    std::fs::write(&junk, b"\0asm not really").expect("write");
    let err = platform.host.install(&junk).expect_err("must be refused");
    assert!(err.to_string().contains("cannot be loaded"), "{err}");
    platform
        .host
        .test_connection()
        .expect("old plugin still works");
}

#[test]
fn a_plugin_that_exceeds_its_memory_cap_fails_that_call_only_and_the_host_carries_on() {
    let sim = start_sim();
    let platform = Platform::mapped_to(&sim);
    // 80 MB in one field: copied into the plugin and cloned while building the push, it
    // goes past the 128 MiB cap and the instance traps.
    let huge = "x".repeat(80 * 1024 * 1024);
    let result = platform.submit(&[
        ("email", "huge@example.com"),
        ("company", "Huge SA"),
        ("lastname", huge.as_str()),
    ]);
    assert_eq!(result.outcome, "failed", "{:?}", result.reason);
    let reason = result.reason.unwrap_or_default();
    assert!(reason.contains("the plugin crashed"), "{reason}");
    // The lead the platform saved is intact, and the next call works.
    assert_eq!(
        platform.lead(result.lead_id).fields["lastname"].len(),
        huge.len()
    );
    platform
        .host
        .test_connection()
        .expect("a fresh instance works");
    assert!(sim.state().contacts.is_empty(), "nothing half-sent to INES");
}
