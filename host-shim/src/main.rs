//! The `host-shim` command: the platform's plugin manager, settings screen, leads, custom
//! fields, form action and commands for the INES plugin, over a data directory.

mod cli;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use host_shim::Host;

use cli::configure::ConfigureArgs;
use cli::field::FieldCommand;
use cli::form::FormCommand;
use cli::lead::LeadCommand;
use cli::print_logs;

#[derive(Parser)]
#[command(
    name = "host-shim",
    version,
    about = "Reference host of the INES CRM plugin"
)]
struct Cli {
    /// Data directory (platform model, installed plugin, plugin state).
    #[arg(long, global = true, env = "HOST_SHIM_DATA")]
    data: Option<PathBuf>,
    /// Print results as JSON.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Install or upgrade the plugin component (the Install/Upgrade button).
    Install {
        #[arg(long)]
        component: PathBuf,
    },
    /// Change plugin settings; options not given keep their value. A mapping change is checked
    /// the way the "Contact Field Mapping" tab checks it, and refused as a whole if wrong.
    Configure(ConfigureArgs),
    /// Show the plugin settings (the password is masked).
    Settings,
    /// Log in to INES with the saved settings; prints OK or the precise reason.
    TestConnection,
    /// The INES fields a lead field can be mapped onto (the "Contact Field Mapping" tab).
    Mapping,
    /// Standalone forms with the "push contacts to integration" action.
    #[command(subcommand)]
    Form(FormCommand),
    /// The platform's leads.
    #[command(subcommand)]
    Lead(LeadCommand),
    /// Lead fields (the platform's custom-fields screen).
    #[command(subcommand)]
    Field(FieldCommand),
    /// The cron command: push up to N queued leads to INES (full sync).
    #[command(name = "crm:ines")]
    CrmInes(cli::queue::CronArgs),
    /// The full-sync journal, newest first (at most 200 rows).
    Log {
        #[arg(long, default_value_t = 200)]
        limit: u32,
    },
    /// Put a FAILED lead back in the queue.
    Requeue { lead: u64 },
    /// Set the credentials of the platform's JSON API.
    ApiCredentials {
        #[arg(long)]
        user: String,
        #[arg(long, env = "AUTOMATION_API_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Serve the platform's JSON API (GET /api/ines/getMapping).
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        /// Only let the plugin reach this INES origin, whatever its settings say.
        #[arg(long)]
        pin_ines_origin: Option<String>,
    },
    /// Run the embedded INES simulator and the plugin against it, from a fresh data directory.
    Demo {
        /// The plugin component to install.
        #[arg(long)]
        component: PathBuf,
    },
}

fn default_data_dir() -> PathBuf {
    match std::env::var_os("HOME") {
        Some(home) => Path::new(&home).join(".local/share/ines-host-shim"),
        None => PathBuf::from(".ines-host-shim"),
    }
}

/// Runs one command. `Ok(false)` means it ran but the result is a failure (exit code 1).
fn run(cli: Cli) -> anyhow::Result<bool> {
    let dir = cli.data.unwrap_or_else(default_data_dir);
    let json = cli.json;
    match cli.command {
        Command::Install { component } => {
            let mut host = Host::open(&dir)?;
            let result = host.install(&component);
            print_logs(&host);
            let outcome = result?;
            if json {
                println!("{}", serde_json::to_string_pretty(&outcome)?);
            } else {
                match &outcome.previous_version {
                    Some(prev) => println!(
                        "upgraded the INES plugin from {prev} to {} (contract ines:crm@{})",
                        outcome.plugin_version, outcome.contract_version
                    ),
                    None => println!(
                        "installed the INES plugin {} (contract ines:crm@{})",
                        outcome.plugin_version, outcome.contract_version
                    ),
                }
                for field in &outcome.created_fields {
                    println!("created lead field {field}");
                }
            }
            Ok(true)
        }
        Command::Configure(args) => cli::configure::run(&Host::open(&dir)?, args, json),
        Command::Settings => {
            let host = Host::open(&dir)?;
            let settings = cli::configure::masked(&host.platform().settings()?);
            println!("{}", serde_json::to_string_pretty(&settings)?);
            Ok(true)
        }
        Command::TestConnection => {
            let host = Host::open(&dir)?;
            let result = host.test_connection();
            print_logs(&host);
            report_connection(json, result)
        }
        Command::Mapping => cli::mapping::run(&Host::open(&dir)?, json),
        Command::Form(command) => cli::form::run(&Host::open(&dir)?, command, json),
        Command::Lead(command) => cli::lead::run(&Host::open(&dir)?, command, json),
        Command::Field(command) => cli::field::run(&Host::open(&dir)?, command, json),
        Command::CrmInes(args) => cli::queue::cron(&Host::open(&dir)?, args, json),
        Command::Log { limit } => cli::queue::log(&Host::open(&dir)?, limit, json),
        Command::Requeue { lead } => cli::queue::requeue(&Host::open(&dir)?, lead, json),
        Command::ApiCredentials { user, password } => {
            cli::api::set_credentials(&Host::open(&dir)?, &user, &password)
        }
        Command::Serve {
            listen,
            pin_ines_origin,
        } => {
            let mut host = Host::open(&dir)?;
            host.pin_ines_origin(pin_ines_origin.as_deref());
            cli::api::serve(host, listen)
        }
        Command::Demo { component } => host_shim::demo::run(&component, &mut std::io::stdout()),
    }
}

fn report_connection(json: bool, result: Result<(), host_shim::HostError>) -> anyhow::Result<bool> {
    let (ok, text) = match &result {
        Ok(()) => (true, "OK".to_string()),
        Err(e) => (false, e.to_string()),
    };
    if json {
        println!("{}", serde_json::json!({ "ok": ok, "message": text }));
    } else {
        println!("{text}");
    }
    Ok(ok)
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
