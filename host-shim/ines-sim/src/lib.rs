//! INES CRM SOAP simulator: an independent, strict implementation of `ines-wire.md` that serves
//! the four INES services over HTTP/1.1 for tests and local runs.

mod config;
mod dispatch;
mod envelope;
mod fault;
mod knobs;
mod node;
mod operations;
mod request;
mod response;
mod schema;
mod server;
mod session;
mod simulator;
mod state;
mod values;
mod wsdl;
mod xml;

pub use config::{Account, CustomFieldDef, OriginInfo, SimConfig, TypeInfo, UserInfo};
pub use knobs::{CallRecord, Knob};
pub use simulator::Simulator;
pub use state::{CfRow, LeadRow, Record, SimState};

/// Why the simulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot start the simulator: {0}")]
    Start(#[from] std::io::Error),
}
