//! The `host-shim` command: the platform's plugin manager, settings screen and commands for
//! the INES plugin, over a data directory.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use host_shim::Host;
use host_shim::platform::PluginSettings;

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
    /// Change plugin settings; options not given keep their value.
    Configure(ConfigureArgs),
    /// Show the plugin settings (the password is masked).
    Settings,
    /// Log in to INES with the saved settings; prints OK or the precise reason.
    TestConnection,
    /// Run the embedded INES simulator and the plugin against it, from a fresh data directory.
    Demo {
        /// The plugin component to install.
        #[arg(long)]
        component: PathBuf,
    },
}

#[derive(Args)]
struct ConfigureArgs {
    /// INES base URL, e.g. https://webservices.inescrm.com
    #[arg(long)]
    ines_url: Option<String>,
    /// INES account ("Compte").
    #[arg(long)]
    account: Option<String>,
    /// INES user ("Utilisateur").
    #[arg(long)]
    user: Option<String>,
    /// INES password ("Mot de passe"); prefer the INES_PASSWORD environment variable.
    #[arg(long, env = "INES_PASSWORD", hide_env_values = true)]
    password: Option<String>,
    #[arg(long)]
    published: Option<bool>,
    /// Feature "Push contacts to this integration".
    #[arg(long)]
    push_contacts: Option<bool>,
    /// Feature "Sync all leads".
    #[arg(long)]
    full_sync: Option<bool>,
    /// Map an INES target to a lead field: KEY=FIELD (repeatable), e.g. contact:FirstName=firstname.
    #[arg(long = "map", value_name = "KEY=FIELD")]
    map: Vec<String>,
    /// Remove every mapping entry before applying --map.
    #[arg(long)]
    clear_mapping: bool,
    /// INES target keys that are only filled, never overwritten (replaces the list).
    #[arg(long = "non-overwritable", value_name = "KEY", num_args = 0..)]
    non_overwritable: Option<Vec<String>>,
    /// INES requests kept in flight by a batch.
    #[arg(long)]
    batch_concurrency: Option<u32>,
}

fn default_data_dir() -> PathBuf {
    match std::env::var_os("HOME") {
        Some(home) => Path::new(&home).join(".local/share/ines-host-shim"),
        None => PathBuf::from(".ines-host-shim"),
    }
}

fn apply(settings: &mut PluginSettings, args: ConfigureArgs) -> anyhow::Result<()> {
    let ConfigureArgs {
        ines_url,
        account,
        user,
        password,
        published,
        push_contacts,
        full_sync,
        map,
        clear_mapping,
        non_overwritable,
        batch_concurrency,
    } = args;
    if let Some(v) = ines_url {
        settings.ines_url = v;
    }
    if let Some(v) = account {
        settings.account = v;
    }
    if let Some(v) = user {
        settings.user = v;
    }
    if let Some(v) = password {
        settings.password = v;
    }
    if let Some(v) = published {
        settings.published = v;
    }
    if let Some(v) = push_contacts {
        settings.push_contacts = v;
    }
    if let Some(v) = full_sync {
        settings.full_sync = v;
    }
    if clear_mapping {
        settings.mapping.clear();
    }
    for entry in map {
        let (key, field) = entry
            .split_once('=')
            .filter(|(k, f)| !k.trim().is_empty() && !f.trim().is_empty())
            .with_context(|| format!("--map {entry:?} is not KEY=FIELD"))?;
        settings
            .mapping
            .insert(key.trim().to_string(), field.trim().to_string());
    }
    if let Some(v) = non_overwritable {
        settings.non_overwritable = v;
    }
    if let Some(v) = batch_concurrency {
        settings.batch_concurrency = v;
    }
    Ok(())
}

fn masked(settings: &PluginSettings) -> PluginSettings {
    let mut shown = settings.clone();
    if !shown.password.is_empty() {
        shown.password = "********".into();
    }
    shown
}

fn print_logs(host: &Host) {
    if let Some(book) = host.plugin_logs()
        && let Ok(mut lines) = book.lock()
    {
        for (level, line) in lines.drain(..) {
            eprintln!("plugin {level:?}: {line}");
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<bool> {
    let dir = cli.data.unwrap_or_else(default_data_dir);
    match cli.command {
        Command::Install { component } => {
            let mut host = Host::open(&dir)?;
            let outcome = host.install(&component)?;
            print_logs(&host);
            if cli.json {
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
        Command::Configure(args) => {
            let host = Host::open(&dir)?;
            let mut settings = host.platform().settings()?;
            apply(&mut settings, args)?;
            host.platform().save_settings(&settings)?;
            println!("settings saved");
            Ok(true)
        }
        Command::Settings => {
            let host = Host::open(&dir)?;
            let settings = masked(&host.platform().settings()?);
            println!("{}", serde_json::to_string_pretty(&settings)?);
            Ok(true)
        }
        Command::TestConnection => {
            let host = Host::open(&dir)?;
            let result = host.test_connection();
            print_logs(&host);
            report_connection(cli.json, result)
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
