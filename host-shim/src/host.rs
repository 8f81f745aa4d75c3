//! The host as a library: a data directory holding the platform model, the installed plugin
//! and its state, and one typed method per plugin capability (what the CLI and the tests call).

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use wasmtime::component::Component;

use crate::bindings::exports::ines::crm::plugin as wit_plugin;
use crate::bindings::ines::crm::types::PluginError;
use crate::platform::{COMPANY_FIELDS, FieldDef, FieldKind, Lead, Platform, PlatformError};
use crate::runtime::{self, LogBook, PluginRuntime, RuntimeError};
use crate::store::{Store, StoreError};

/// Guest time allowed to one interactive call (a form push, a connection test).
const CALL_DEADLINE: Duration = Duration::from_secs(60);
/// Guest time allowed to one batch run.
const BATCH_DEADLINE: Duration = Duration::from_secs(30 * 60);

#[derive(Debug, thiserror::Error)]
pub enum HostError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Platform(#[from] PlatformError),
    #[error(transparent)]
    Runtime(#[from] RuntimeError),
    #[error("no plugin is installed: run `host-shim install --component PATH` first")]
    NotInstalled,
    #[error("cannot write {path}: {detail}")]
    Io { path: String, detail: String },
    #[error("{}", plugin_error_text(.0))]
    Plugin(PluginError),
    #[error("the form has no e-mail field: the platform matches form leads by e-mail")]
    FormWithoutEmail,
}

/// A standalone form submitted with the "push contact to integration" action.
#[derive(Debug, Clone, Default)]
pub struct FormSubmission {
    pub form_id: u64,
    pub form_name: String,
    /// Submitted values by field alias: lead fields, `company`, and company fields.
    pub values: std::collections::BTreeMap<String, String>,
}

/// What the plugin did with a lead event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum EventOutcome {
    Enqueued,
    Ignored,
    /// The plugin failed; the platform's save still stands.
    Error(String),
}

impl FormSubmission {
    /// A submission of the form `form_name` with these `alias = value` pairs.
    pub fn new(form_id: u64, form_name: &str, values: &[(&str, &str)]) -> FormSubmission {
        FormSubmission {
            form_id,
            form_name: form_name.to_string(),
            values: values
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }
}

/// What the form action did.
#[derive(Debug, Clone, Serialize)]
pub struct FormResult {
    pub lead_id: u64,
    pub lead_created: bool,
    /// created, updated, unchanged, refused or failed.
    pub outcome: String,
    /// The reason of a refusal or failure.
    pub reason: Option<String>,
}

impl FormResult {
    /// The result for people: `key : value` rows (lead, outcome, reason when there is one).
    pub fn summary_rows(&self) -> Vec<(String, String)> {
        let lead = if self.lead_created {
            "new lead"
        } else {
            "existing lead, matched by e-mail"
        };
        let mut rows = vec![
            ("lead".to_string(), format!("{} ({lead})", self.lead_id)),
            ("outcome".to_string(), self.outcome.clone()),
        ];
        if let Some(reason) = &self.reason {
            rows.push(("reason".to_string(), reason.clone()));
        }
        rows
    }
}

/// The admin-facing text of a plugin error: its kind, then the plugin's explanation.
pub fn plugin_error_text(e: &PluginError) -> String {
    match e {
        PluginError::Configuration(m) => format!("configuration error: {m}"),
        PluginError::CredentialsRefused(m) => format!("credentials refused: {m}"),
        PluginError::Unreachable(m) => format!("INES unreachable: {m}"),
        PluginError::RequestDenied(m) => format!("request denied by the host: {m}"),
        PluginError::InesFault(m) => format!("INES fault: {m}"),
        PluginError::BadResponse(m) => format!("bad response from INES: {m}"),
        PluginError::Storage(m) => format!("storage error: {m}"),
        PluginError::InvalidInput(m) => format!("invalid input: {m}"),
        PluginError::NotImplemented(m) => format!("not implemented yet: {m}"),
    }
}

/// What the host remembers of the installed plugin.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct InstalledPlugin {
    /// The plugin's own build version, as its `install` reported it.
    pub plugin_version: String,
    /// The `ines:crm` contract version the component implements.
    pub contract_version: String,
}

const INSTALLED_KEY: &str = "meta/installed-plugin";
const API_CREDENTIALS_KEY: &str = "meta/api-credentials";

/// The result of the Install/Upgrade button.
#[derive(Debug, Clone, Serialize)]
pub struct InstallOutcome {
    pub previous_version: Option<String>,
    pub plugin_version: String,
    pub contract_version: String,
    /// Lead fields that did not exist and were created.
    pub created_fields: Vec<String>,
}

pub struct Host {
    dir: PathBuf,
    platform: Platform,
    plugin: Option<PluginRuntime>,
    pinned_origin: Option<String>,
}

fn io_error(path: &Path, e: std::io::Error) -> HostError {
    HostError::Io {
        path: path.display().to_string(),
        detail: e.to_string(),
    }
}

/// Writes a file so that a crash leaves either the old or the new content.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), HostError> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).map_err(|e| io_error(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| io_error(path, e))
}

impl Host {
    /// Opens the data directory (created if missing) and loads the installed plugin, if any.
    pub fn open(dir: &Path) -> Result<Host, HostError> {
        let store = Store::open(dir)?;
        let platform = Platform::new(store);
        let mut host = Host {
            dir: dir.to_path_buf(),
            platform,
            plugin: None,
            pinned_origin: None,
        };
        if host.wasm_path().exists() {
            let component = host.load_installed()?;
            host.plugin = Some(PluginRuntime::new(&component, host.platform.clone())?);
        }
        Ok(host)
    }

    pub fn data_dir(&self) -> &Path {
        &self.dir
    }

    pub fn platform(&self) -> &Platform {
        &self.platform
    }

    fn wasm_path(&self) -> PathBuf {
        self.dir.join("plugin.wasm")
    }

    fn compiled_path(&self) -> PathBuf {
        self.dir.join("plugin.cwasm")
    }

    /// Loads the installed component from the host's own compiled cache, recompiling (and
    /// rewriting the cache) when it is missing or was made by another wasmtime build.
    fn load_installed(&self) -> Result<Component, HostError> {
        let engine = runtime::engine()?;
        let compiled = self.compiled_path();
        if compiled.exists() {
            // SAFETY: the file is one this host wrote with `Component::serialize` for this
            // data directory; wasmtime checks its version and configuration on load.
            if let Ok(c) = unsafe { Component::deserialize_file(engine, &compiled) } {
                return Ok(c);
            }
        }
        let wasm = self.wasm_path();
        let bytes = std::fs::read(&wasm).map_err(|e| io_error(&wasm, e))?;
        let component = runtime::compile(&bytes, &wasm.display().to_string())?;
        if let Ok(serialized) = component.serialize() {
            write_atomically(&compiled, &serialized)?;
        }
        Ok(component)
    }

    pub fn installed(&self) -> Result<Option<InstalledPlugin>, HostError> {
        Ok(self.platform.store().get_record(INSTALLED_KEY)?)
    }

    /// The plugin manager's Install/Upgrade button: validates the component, keeps the one in
    /// place when the new one is refused, then lets the plugin install and creates the lead
    /// fields it declares (never touching existing fields or values).
    pub fn install(&mut self, component_path: &Path) -> Result<InstallOutcome, HostError> {
        let shown = component_path.display().to_string();
        let bytes = std::fs::read(component_path).map_err(|e| RuntimeError::Load {
            path: shown.clone(),
            detail: e.to_string(),
        })?;
        let component = runtime::compile(&bytes, &shown)?;
        let mut runtime = PluginRuntime::new(&component, self.platform.clone())?;
        runtime.pin_origin(self.pinned_origin.as_deref());
        let previous = self.installed()?;
        let previous_version = previous.map(|p| p.plugin_version);

        write_atomically(&self.wasm_path(), &bytes)?;
        if let Ok(serialized) = component.serialize() {
            write_atomically(&self.compiled_path(), &serialized)?;
        }
        let report = runtime
            .call(CALL_DEADLINE, |p, s| {
                p.ines_crm_plugin()
                    .call_install(s, previous_version.as_deref())
            })?
            .map_err(HostError::Plugin)?;
        let mut created_fields = Vec::new();
        for spec in &report.lead_fields {
            let def = FieldDef {
                alias: spec.alias.clone(),
                label: spec.label.clone(),
                kind: match spec.kind {
                    wit_plugin::FieldKind::Number => FieldKind::Number,
                    wit_plugin::FieldKind::Boolean => FieldKind::Boolean,
                    wit_plugin::FieldKind::Text => FieldKind::Text,
                },
            };
            if self.platform.ensure_field(&def)? {
                created_fields.push(def.alias);
            }
        }
        let installed = InstalledPlugin {
            plugin_version: report.version.clone(),
            contract_version: runtime.contract_version().to_string(),
        };
        self.platform
            .store()
            .put_record(INSTALLED_KEY, &installed)?;
        self.plugin = Some(runtime);
        Ok(InstallOutcome {
            previous_version,
            plugin_version: installed.plugin_version,
            contract_version: installed.contract_version,
            created_fields,
        })
    }

    /// Lets the plugin reach only `url`'s origin, whatever its settings say (an operator's
    /// safeguard; `None` goes back to the settings' INES URL).
    pub fn pin_ines_origin(&mut self, url: Option<&str>) {
        self.pinned_origin = url.map(str::to_string);
        if let Some(plugin) = self.plugin.as_mut() {
            plugin.pin_origin(url);
        }
    }

    fn plugin(&self) -> Result<&PluginRuntime, HostError> {
        self.plugin.as_ref().ok_or(HostError::NotInstalled)
    }

    /// What the plugin logged so far in this process.
    pub fn plugin_logs(&self) -> Option<LogBook> {
        self.plugin.as_ref().map(|p| p.logs())
    }

    /// A fresh login to INES with the saved settings.
    pub fn test_connection(&self) -> Result<(), HostError> {
        self.plugin()?
            .call(CALL_DEADLINE, |p, s| {
                p.ines_crm_plugin().call_test_connection(s)
            })?
            .map_err(HostError::Plugin)
    }

    pub fn describe(&self) -> Result<wit_plugin::Description, HostError> {
        self.plugin()?
            .call(CALL_DEADLINE, |p, s| p.ines_crm_plugin().call_describe(s))?
            .map_err(HostError::Plugin)
    }

    /// A standalone form submission, as the platform handles it: the lead is matched by
    /// e-mail (or created), its fields and company updated, then the plugin's push action runs.
    pub fn submit_form(&self, form: &FormSubmission) -> Result<FormResult, HostError> {
        let email = form
            .values
            .get("email")
            .map(|e| e.trim())
            .filter(|e| !e.is_empty())
            .ok_or(HostError::FormWithoutEmail)?;
        let existing = self.platform.find_lead_by_email(email)?;
        let lead_created = existing.is_none();
        let mut lead = existing.unwrap_or_default();
        let mut company_values = Vec::new();
        for (alias, value) in &form.values {
            if COMPANY_FIELDS.contains(&alias.as_str()) {
                company_values.push((alias.clone(), value.clone()));
            } else {
                lead.fields.insert(alias.clone(), value.clone());
            }
        }
        if let Some(name) = form.values.get("company").filter(|n| !n.trim().is_empty()) {
            let mut company = self.platform.find_or_create_company(name)?;
            if !company_values.is_empty() {
                company.fields.extend(company_values);
                self.platform.save_company(&company)?;
            }
            lead.link_primary_company(company.id);
        }
        let (lead, _) = self.save_lead(lead)?;
        // The lead is saved whatever the plugin does: a plugin failure is the push's outcome.
        let (outcome, reason) = match self.push_lead(lead.id, form.form_id, &form.form_name) {
            Ok(pushed) => pushed,
            Err(e @ (HostError::Plugin(_) | HostError::Runtime(_))) => {
                ("failed".to_string(), Some(e.to_string()))
            }
            Err(e) => return Err(e),
        };
        Ok(FormResult {
            lead_id: lead.id,
            lead_created,
            outcome,
            reason,
        })
    }

    /// Runs the "push contact to integration" action on a stored lead; returns the outcome
    /// (created, updated, unchanged, refused, failed) and its reason.
    pub fn push_lead(
        &self,
        lead_id: u64,
        form_id: u64,
        form_name: &str,
    ) -> Result<(String, Option<String>), HostError> {
        let lead = self
            .platform
            .lead(lead_id)?
            .ok_or(PlatformError::NoSuchLead(lead_id))?;
        let view = self.platform.lead_view(&lead)?;
        let form_info = wit_plugin::Form {
            id: form_id,
            name: form_name.to_string(),
        };
        let outcome = self
            .plugin()?
            .call(CALL_DEADLINE, |p, s| {
                p.ines_crm_plugin()
                    .call_on_form_submit(s, &view, &form_info)
            })?
            .map_err(HostError::Plugin)?;
        let (outcome, reason) = match outcome {
            wit_plugin::PushOutcome::Created => ("created", None),
            wit_plugin::PushOutcome::Updated => ("updated", None),
            wit_plugin::PushOutcome::Unchanged => ("unchanged", None),
            wit_plugin::PushOutcome::Refused(why) => ("refused", Some(why)),
            wit_plugin::PushOutcome::Failed(why) => ("failed", Some(why)),
        };
        Ok((outcome.to_string(), reason))
    }

    /// Saves a lead as the platform does, then tells the plugin (`on-lead-saved`: a save, or a
    /// company change when the lead's company is another one). The save stands whatever the
    /// plugin answers; its answer comes back for the caller to show.
    pub fn save_lead(&self, lead: Lead) -> Result<(Lead, Option<EventOutcome>), HostError> {
        let before = match lead.id {
            0 => None,
            id => self.platform.lead(id)?,
        };
        let company_before = match &before {
            Some(b) => self.platform.company_of(b)?,
            None => None,
        };
        let lead = self.platform.save_lead(lead)?;
        let view = self.platform.lead_view(&lead)?;
        let moved = before.is_some()
            && company_before.as_ref().map(|c| c.id) != view.company.as_ref().map(|c| c.id);
        let event = if moved {
            wit_plugin::LeadEvent::CompanyChanged(wit_plugin::CompanyChange {
                lead: view,
                previous_company: company_before.as_ref().map(crate::platform::company_view),
            })
        } else {
            wit_plugin::LeadEvent::Saved(view)
        };
        Ok((lead, self.fire(&event)))
    }

    /// Deletes a lead as the platform does, then tells the plugin.
    pub fn delete_lead(&self, id: u64) -> Result<Option<EventOutcome>, HostError> {
        let lead = self
            .platform
            .lead(id)?
            .ok_or(PlatformError::NoSuchLead(id))?;
        let view = self.platform.lead_view(&lead)?;
        self.platform.delete_lead(id)?;
        Ok(self.fire(&wit_plugin::LeadEvent::Deleted(view)))
    }

    /// Fires `on-lead-saved`; none when no plugin is installed.
    fn fire(&self, event: &wit_plugin::LeadEvent) -> Option<EventOutcome> {
        let plugin = self.plugin.as_ref()?;
        let result = plugin.call(CALL_DEADLINE, |p, s| {
            p.ines_crm_plugin().call_on_lead_saved(s, event)
        });
        Some(match result {
            Ok(Ok(wit_plugin::EnqueueOutcome::Enqueued)) => EventOutcome::Enqueued,
            Ok(Ok(wit_plugin::EnqueueOutcome::Ignored)) => EventOutcome::Ignored,
            Ok(Err(e)) => EventOutcome::Error(plugin_error_text(&e)),
            Err(e) => EventOutcome::Error(e.to_string()),
        })
    }

    /// The credentials the platform's JSON API accepts; none until the admin sets them.
    pub fn api_credentials(&self) -> Result<Option<crate::serve::ApiCredentials>, HostError> {
        Ok(self.platform.store().get_record(API_CREDENTIALS_KEY)?)
    }

    pub fn set_api_credentials(
        &self,
        credentials: &crate::serve::ApiCredentials,
    ) -> Result<(), HostError> {
        Ok(self
            .platform
            .store()
            .put_record(API_CREDENTIALS_KEY, credentials)?)
    }

    /// A lead as stored by the platform.
    pub fn lead(&self, id: u64) -> Result<Option<Lead>, HostError> {
        Ok(self.platform.lead(id)?)
    }

    pub fn get_mapping(&self) -> Result<wit_plugin::MappingApi, HostError> {
        self.plugin()?
            .call(CALL_DEADLINE, |p, s| {
                p.ines_crm_plugin().call_get_mapping(s)
            })?
            .map_err(HostError::Plugin)
    }

    pub fn run_batch(&self, max: u32) -> Result<wit_plugin::BatchReport, HostError> {
        self.plugin()?
            .call(BATCH_DEADLINE, |p, s| {
                p.ines_crm_plugin().call_run_batch(s, max)
            })?
            .map_err(HostError::Plugin)
    }

    pub fn sync_log(&self, limit: u32) -> Result<Vec<wit_plugin::SyncLogRow>, HostError> {
        self.plugin()?
            .call(CALL_DEADLINE, |p, s| {
                p.ines_crm_plugin().call_sync_log(s, limit)
            })?
            .map_err(HostError::Plugin)
    }

    pub fn requeue(&self, lead_id: u64) -> Result<(), HostError> {
        self.plugin()?
            .call(CALL_DEADLINE, |p, s| {
                p.ines_crm_plugin().call_requeue(s, lead_id)
            })?
            .map_err(HostError::Plugin)
    }
}
