//! Shared set-up: the built component, a running simulator, a fresh data directory with the
//! plugin installed and configured.

use std::path::PathBuf;

use host_shim::Host;
use host_shim::platform::PluginSettings;
use ines_sim::{SimConfig, Simulator};

/// The component under test, as `make test` built it. Tests never build it themselves, so
/// a stale file cannot slip in unnoticed: `make test` rebuilds it first.
pub fn plugin_wasm() -> PathBuf {
    host_shim::built::component(host_shim::built::PLUGIN).unwrap_or_else(|e| panic!("{e}"))
}

pub fn start_sim() -> Simulator {
    start_sim_with(SimConfig::default())
}

pub fn start_sim_with(config: SimConfig) -> Simulator {
    match Simulator::start(config, ([127, 0, 0, 1], 0).into()) {
        Ok(sim) => sim,
        Err(e) => panic!("the INES simulator did not start: {e}"),
    }
}

/// A platform with the plugin installed in a fresh data directory.
pub struct Platform {
    pub host: Host,
    pub dir: tempfile::TempDir,
}

impl Platform {
    pub fn new() -> Platform {
        let dir = tempfile::tempdir().expect("temporary directory");
        let mut host = Host::open(dir.path()).expect("host opens its data directory");
        host.install(&plugin_wasm()).expect("the plugin installs");
        Platform { host, dir }
    }

    /// Installed and configured for `sim`'s default account, published, push on.
    pub fn connected_to(sim: &Simulator) -> Platform {
        let platform = Platform::new();
        platform.configure(|s| *s = settings_for(sim));
        platform
    }

    pub fn configure(&self, change: impl FnOnce(&mut PluginSettings)) {
        let mut settings = self.host.platform().settings().expect("settings readable");
        change(&mut settings);
        self.host
            .platform()
            .save_settings(&settings)
            .expect("settings saved");
    }

    /// Every line the plugin logged so far.
    pub fn plugin_log(&self) -> String {
        let book = self.host.plugin_logs().expect("plugin installed");
        let lines = book.lock().expect("log lock");
        lines
            .iter()
            .map(|(level, line)| format!("{level:?} {line}\n"))
            .collect()
    }
}

pub fn settings_for(sim: &Simulator) -> PluginSettings {
    let account = SimConfig::default().accounts.remove(0);
    PluginSettings {
        ines_url: sim.base_url(),
        account: account.account,
        user: account.user,
        password: account.password,
        published: true,
        push_contacts: true,
        ..PluginSettings::default()
    }
}

/// The operation names the simulator saw, in order.
pub fn operations(sim: &Simulator) -> Vec<String> {
    sim.calls().into_iter().map(|c| c.operation).collect()
}

/// The mapping of the seed's set-up, as the demo configures it.
pub const STANDARD_MAPPING: &[(&str, &str)] = host_shim::demo::SEED_MAPPING;

impl Platform {
    /// Connected to `sim` with [`STANDARD_MAPPING`] and its custom lead fields.
    pub fn mapped_to(sim: &Simulator) -> Platform {
        let platform = Platform::connected_to(sim);
        for alias in ["niveau", "secteur"] {
            platform
                .host
                .platform()
                .ensure_field(&host_shim::platform::FieldDef {
                    alias: alias.into(),
                    label: alias.into(),
                    kind: host_shim::platform::FieldKind::Text,
                })
                .expect("custom field created");
        }
        platform.configure(|s| {
            s.mapping = STANDARD_MAPPING
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        });
        platform
    }

    /// Submits the standalone form "Contact us" with these values.
    pub fn submit(&self, values: &[(&str, &str)]) -> host_shim::FormResult {
        self.host
            .submit_form(&host_shim::FormSubmission::new(1, "Contact us", values))
            .expect("the form submission is handled")
    }

    pub fn lead(&self, id: u64) -> host_shim::platform::Lead {
        self.host.lead(id).expect("store").expect("lead exists")
    }
}

impl Platform {
    /// Mapped, with full sync on.
    pub fn full_sync_to(sim: &Simulator) -> Platform {
        let platform = Platform::mapped_to(sim);
        platform.configure(|s| s.full_sync = true);
        platform
    }

    /// A new lead of `company` saved through the platform (fires on-lead-saved).
    pub fn new_lead(&self, email: &str, company: &str) -> host_shim::platform::Lead {
        let mut lead = host_shim::platform::Lead::default();
        lead.fields.insert("email".into(), email.into());
        lead.fields.insert(
            "firstname".into(),
            email.split('@').next().unwrap_or("").into(),
        );
        if !company.is_empty() {
            let c = self
                .host
                .platform()
                .find_or_create_company(company)
                .expect("company");
            lead.fields.insert("company".into(), company.into());
            lead.companies.push(host_shim::platform::CompanyLink {
                company_id: c.id,
                primary: true,
            });
        }
        let (lead, outcome) = self.host.save_lead(lead).expect("lead saved");
        assert!(
            !matches!(outcome, Some(host_shim::EventOutcome::Error(_))),
            "{outcome:?}"
        );
        lead
    }

    pub fn run(&self, max: u32) -> host_shim::bindings::exports::ines::crm::plugin::BatchReport {
        self.host.run_batch(max).expect("the batch runs")
    }

    /// The journal row of a lead (its newest).
    pub fn row(&self, lead: u64) -> host_shim::bindings::exports::ines::crm::plugin::SyncLogRow {
        self.host
            .sync_log(200)
            .expect("journal")
            .into_iter()
            .find(|r| r.lead_id == lead)
            .expect("the lead has a journal row")
    }
}
