//! The platform's JSON API: its credentials and the server.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::bail;
use host_shim::Host;
use host_shim::serve::{ApiCredentials, ApiServer};

/// Sets the API user and password (the password from `--password` or `AUTOMATION_API_PASSWORD`).
pub fn set_credentials(host: &Host, user: &str, password: &str) -> anyhow::Result<bool> {
    if user.trim().is_empty() || user.contains(':') {
        bail!("the API user must be non-empty and contain no ':'");
    }
    if password.is_empty() {
        bail!("the API password is empty");
    }
    host.set_api_credentials(&ApiCredentials {
        user: user.trim().to_string(),
        password: password.to_string(),
    })?;
    println!("API credentials saved for user {}", user.trim());
    Ok(true)
}

/// Serves `GET /api/ines/getMapping` until the process is stopped.
pub fn serve(host: Host, listen: SocketAddr) -> anyhow::Result<bool> {
    if host.api_credentials()?.is_none() {
        eprintln!(
            "warning: no API credentials are set, so every request is refused: run `host-shim api-credentials --user U` first"
        );
    }
    let server = ApiServer::start(Arc::new(host), listen)?;
    println!("listening on http://{}/api/ines/getMapping", server.addr());
    server.wait();
    Ok(true)
}
