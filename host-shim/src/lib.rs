//! host-shim: the reference host of the INES CRM plugin. It plays the marketing-automation
//! platform (leads, companies, fields, plugin settings, plugin manager, form action, cron
//! command) and runs the plugin component on wasmtime.

pub mod built;
pub mod demo;
pub mod display;
pub mod host;
pub mod kv;
pub mod platform;
pub mod runtime;
pub mod serve;
pub mod store;

/// Host-side bindings of the plugin's WIT world; the WASI interfaces come from wasmtime-wasi.
pub mod bindings {
    wasmtime::component::bindgen!({
        path: "../wit",
        world: "ines:crm/ines-plugin",
        with: {
            "wasi:io": wasmtime_wasi::p2::bindings::sync::io,
            "wasi:clocks": wasmtime_wasi::p2::bindings::clocks,
            "wasi:http": wasmtime_wasi_http::p2::bindings::http,
            "wasi:keyvalue/store.bucket": crate::kv::Bucket,
            "wasi:keyvalue/atomics.cas": crate::kv::Cas,
        },
        require_store_data_send: true,
    });
}

pub use host::{EventOutcome, FormResult, FormSubmission, Host, HostError};
pub use ines_sim;
pub use wasmtime;
