//! End-to-end tests: the built plugin component runs in host-shim (wasmtime) against the INES
//! simulator over real HTTP on 127.0.0.1, with a real on-disk store. One test binary, one
//! module per capability.

mod support;

mod api;
mod component;
mod connection;
mod form_push;
mod full_sync;
mod ines_errors;
mod upgrade;
