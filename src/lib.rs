//! The INES CRM plugin: pushes the platform's leads and their company into INES CRM over
//! SOAP. Everything but `glue` is plain Rust without I/O, driven through the traits in `ports`
//! and unit-tested natively; `glue` binds those traits to the WIT imports on wasm32.

pub mod api;
pub mod batch;
pub mod client;
pub mod exec;
pub mod ines;
pub mod lead;
pub mod mapping;
pub mod plugin;
pub mod ports;
pub mod push;
pub mod queue;
pub mod settings;
pub mod sync_info;
#[cfg(test)]
mod testkit;
pub mod xml;

#[cfg(target_arch = "wasm32")]
mod glue;
