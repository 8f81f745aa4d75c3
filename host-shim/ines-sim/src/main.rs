//! The `ines-sim` command: runs the INES simulator on a local address until it is killed.

use std::io::Write;
use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use ines_sim::{Account, Knob, SimConfig, Simulator};

#[derive(Debug, Parser)]
#[command(
    name = "ines-sim",
    version,
    about = "A local INES CRM SOAP simulator (ines-wire.md)"
)]
struct Args {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// An accepted login, repeatable (default ACME:jdupont:s3cret).
    #[arg(long = "account", value_name = "COMPTE:USER:PASSWORD", value_parser = parse_account)]
    accounts: Vec<Account>,
    /// Idle time after which a session expires (default 1200).
    #[arg(long)]
    session_idle_secs: Option<u64>,
    /// Delay added before every answer.
    #[arg(long)]
    latency_ms: Option<u64>,
    /// Base URL written into WSDLs (default: http:// + the request's Host).
    #[arg(long)]
    public_base_url: Option<String>,
}

fn parse_account(text: &str) -> Result<Account, String> {
    let mut parts = text.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(account), Some(user), Some(password)) => Ok(Account::new(account, user, password)),
        _ => Err("expected COMPTE:USER:PASSWORD".to_owned()),
    }
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let mut config = SimConfig::default();
    if !args.accounts.is_empty() {
        config.accounts = args.accounts;
    }
    if let Some(seconds) = args.session_idle_secs {
        config.session_idle = Duration::from_secs(seconds);
    }
    config.public_base_url = args.public_base_url;
    let simulator = Simulator::start(config, args.listen).context("starting the simulator")?;
    if let Some(ms) = args.latency_ms {
        simulator.set_knob(None, Knob::Latency(Duration::from_millis(ms)), None);
    }
    let mut stdout = std::io::stdout();
    writeln!(stdout, "listening on {}", simulator.base_url())?;
    stdout.flush()?;
    loop {
        std::thread::park();
    }
}
