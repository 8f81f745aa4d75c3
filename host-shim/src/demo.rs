//! `make demo`: the product on its embedded default. Starts the INES simulator on a free
//! loopback port, installs the plugin into a fresh data directory, and walks the seed's set-up.

use std::io::Write;
use std::path::{Path, PathBuf};

use ines_sim::{SimConfig, Simulator};

use crate::Host;
use crate::platform::PluginSettings;

/// A data directory that disappears with the demo.
struct ScratchDir(PathBuf);

impl ScratchDir {
    fn new() -> std::io::Result<ScratchDir> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!("ines-demo-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(ScratchDir(dir))
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn connection_line(host: &Host) -> String {
    match host.test_connection() {
        Ok(()) => "OK".to_string(),
        Err(e) => e.to_string(),
    }
}

/// Runs the demo, writing what happens to `out`. Returns whether every step behaved.
pub fn run(component: &Path, out: &mut impl Write) -> anyhow::Result<bool> {
    let scratch = ScratchDir::new()?;
    let config = SimConfig::default();
    let account = config
        .accounts
        .first()
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("the simulator has no account"))?;
    let sim = Simulator::start(config, ([127, 0, 0, 1], 0).into())?;
    writeln!(out, "INES simulator listening on {}", sim.base_url())?;

    let mut host = Host::open(&scratch.0)?;
    let installed = host.install(component)?;
    writeln!(
        out,
        "installed the INES plugin {} (contract ines:crm@{}); created lead fields: {}",
        installed.plugin_version,
        installed.contract_version,
        installed.created_fields.join(", ")
    )?;

    let mut settings = PluginSettings {
        ines_url: sim.base_url(),
        account: account.account.clone(),
        user: account.user.clone(),
        password: account.password.clone(),
        published: true,
        push_contacts: true,
        ..PluginSettings::default()
    };
    host.platform().save_settings(&settings)?;
    let good = connection_line(&host);
    writeln!(
        out,
        "test connection as {}/{}: {good}",
        account.account, account.user
    )?;

    settings.password = "not-the-password".into();
    host.platform().save_settings(&settings)?;
    let refused = connection_line(&host);
    writeln!(out, "test connection with a wrong password: {refused}")?;

    let url = sim.base_url();
    sim.shutdown();
    settings.password = account.password.clone();
    host.platform().save_settings(&settings)?;
    let unreachable = connection_line(&host);
    writeln!(
        out,
        "test connection with INES stopped ({url}): {unreachable}"
    )?;

    let behaved =
        good == "OK" && refused.contains("refused") && unreachable.contains("unreachable");
    writeln!(
        out,
        "{}",
        if behaved {
            "demo: all steps behaved"
        } else {
            "demo: a step misbehaved"
        }
    )?;
    Ok(behaved)
}
