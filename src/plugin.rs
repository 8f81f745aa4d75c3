//! The plugin's capabilities, one function per WIT export, written against the `ports` traits
//! so they run the same in the wasm component and in native tests.

use crate::client::{ClientError, InesClient};
use crate::exec::{self, Reactor, Stalled};
use crate::lead::Lead;
use crate::mapping::{self, MappableField, Mapping, MappingError};
use crate::ports::{Clock, Http, Kv, KvError, LogLevel, Platform};
use crate::push::{CompanyGate, Origin, PushOutcome, Pusher};
use crate::settings::SettingsError;

/// This build of the plugin: the package version, unless the build sets
/// `INES_PLUGIN_VERSION` (how the upgrade test makes a second, newer build).
pub const VERSION: &str = match option_env!("INES_PLUGIN_VERSION") {
    Some(v) => v,
    None => env!("CARGO_PKG_VERSION"),
};

/// KV key holding the version of the plugin that last ran `install`.
const INSTALLED_VERSION_KEY: &str = "plugin/version";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadFieldKind {
    Number,
    Boolean,
}

/// A lead field the plugin needs the platform to have (seed set-up step 1).
pub struct LeadFieldSpec {
    pub alias: &'static str,
    pub label: &'static str,
    pub kind: LeadFieldKind,
}

pub const LEAD_FIELDS: &[LeadFieldSpec] = &[
    LeadFieldSpec {
        alias: "ines_contact_ref",
        label: "ID contact INES",
        kind: LeadFieldKind::Number,
    },
    LeadFieldSpec {
        alias: "ines_client_ref",
        label: "ID client INES",
        kind: LeadFieldKind::Number,
    },
    LeadFieldSpec {
        alias: "ines_stop_sync",
        label: "Stop sync INES",
        kind: LeadFieldKind::Boolean,
    },
];

/// Every way a capability can fail; the glue maps each to the WIT error variant.
#[derive(Debug, thiserror::Error)]
pub enum PluginError {
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error(transparent)]
    Kv(#[from] KvError),
    #[error(transparent)]
    Mapping(#[from] MappingError),
    #[error("lead {0} has no FAILED row to requeue")]
    NotRequeueable(u64),
    #[error(transparent)]
    Stalled(#[from] Stalled),
}

/// Everything a capability may use.
pub struct Ports<'a, H, K, P, C, R> {
    pub http: &'a H,
    pub kv: &'a K,
    pub platform: &'a P,
    pub clock: &'a C,
    pub reactor: &'a R,
}

impl<H: Http, K: Kv, P: Platform, C: Clock, R: Reactor> Ports<'_, H, K, P, C, R> {
    /// A client for the configured INES account, refusing unusable settings up front.
    fn client(&self) -> Result<InesClient<'_, H, K>, PluginError> {
        let conn = self.platform.settings().connection()?;
        Ok(InesClient::new(self.http, self.kv, conn))
    }
}

/// The Install/Upgrade button: idempotent, and keeps every stored key (queue, log, refs).
pub fn install<H: Http, K: Kv, P: Platform, C: Clock, R: Reactor>(
    p: &Ports<'_, H, K, P, C, R>,
    previous_version: Option<&str>,
) -> Result<(), PluginError> {
    p.kv.set(INSTALLED_VERSION_KEY, VERSION.as_bytes())?;
    // Refresh the custom-field definitions now if INES is configured; an install must not
    // fail because INES is not set up yet.
    if let Ok(client) = p.client() {
        let settings = p.platform.settings();
        let refreshed = exec::block_on(
            p.reactor,
            crate::sync_info::load(&client, p.kv, &settings, p.clock.now_unix(), true),
        )?;
        if let Err(e) = refreshed {
            p.platform.log(
                LogLevel::Warn,
                &format!("INES custom fields not refreshed at install: {e}"),
            );
        }
    }
    let message = match previous_version {
        Some(prev) if prev != VERSION => format!("INES plugin upgraded from {prev} to {VERSION}"),
        Some(_) => format!("INES plugin {VERSION} reinstalled"),
        None => format!("INES plugin {VERSION} installed"),
    };
    p.platform.log(LogLevel::Info, &message);
    Ok(())
}

/// A fresh login with the saved settings: Ok, or the precise reason.
pub fn test_connection<H: Http, K: Kv, P: Platform, C: Clock, R: Reactor>(
    p: &Ports<'_, H, K, P, C, R>,
) -> Result<(), PluginError> {
    let client = p.client()?;
    exec::block_on(p.reactor, client.test_login())??;
    Ok(())
}

/// The mapping screen's content: every INES target, custom fields included.
pub fn describe<H: Http, K: Kv, P: Platform, C: Clock, R: Reactor>(
    p: &Ports<'_, H, K, P, C, R>,
) -> Result<Vec<MappableField>, PluginError> {
    let settings = p.platform.settings();
    let client = InesClient::new(p.http, p.kv, settings.connection()?);
    let info = exec::block_on(
        p.reactor,
        crate::sync_info::load(&client, p.kv, &settings, p.clock.now_unix(), false),
    )??;
    Ok(mapping::mappable_fields(
        &info.contact_custom_fields,
        &info.company_custom_fields,
    ))
}

/// What a form push tells the platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormOutcome {
    Pushed(PushOutcome),
    /// INES or the data refused the push; the reason is for the admin.
    Failed(String),
}

/// The "push contact to integration" form action (seed's minimal test, steps 1–3).
pub fn on_form_submit<H: Http, K: Kv, P: Platform, C: Clock, R: Reactor>(
    p: &Ports<'_, H, K, P, C, R>,
    lead: &Lead,
    form_name: &str,
) -> Result<FormOutcome, PluginError> {
    let settings = p.platform.settings();
    if !settings.published {
        return Ok(FormOutcome::Pushed(PushOutcome::Refused(
            "the INES integration is not published".into(),
        )));
    }
    if !settings.push_contacts {
        return Ok(FormOutcome::Pushed(PushOutcome::Refused(
            "the feature 'Push contacts to this integration' is off".into(),
        )));
    }
    let connection = settings.connection()?;
    if let Some(reason) = crate::push::refusal(lead, mapping::stop_sync_field(&settings)?) {
        return Ok(FormOutcome::Pushed(PushOutcome::Refused(reason)));
    }
    let client = InesClient::new(p.http, p.kv, connection);
    let now = p.clock.now_unix();
    let pushed = exec::block_on(p.reactor, async {
        let info = crate::sync_info::load(&client, p.kv, &settings, now, false).await?;
        let mapping = Mapping::resolve(
            &settings,
            &info.contact_custom_fields,
            &info.company_custom_fields,
        )?;
        let pusher = Pusher {
            client: &client,
            kv: p.kv,
            platform: p.platform,
            info: &info,
            mapping: &mapping,
            now: crate::ports::ines_datetime(now),
            gate: &CompanyGate::new(
                format!("form-{}", lead.id),
                crate::batch::DEFAULT_LEASE_SECS,
            ),
            clock: p.clock,
            warnings: Default::default(),
        };
        Ok::<_, PluginError>(pusher.push(lead, Origin::Form(form_name)).await)
    })??;
    Ok(match pushed {
        Ok(outcome) => FormOutcome::Pushed(outcome),
        Err(e) => {
            p.platform.log(
                LogLevel::Warn,
                &format!("form push of lead {} failed: {e}", lead.id),
            );
            FormOutcome::Failed(e.to_string())
        }
    })
}

/// A lead event from the platform, as the queue sees it.
pub enum LeadEvent {
    Saved(Lead),
    Deleted(Lead),
    CompanyChanged(Lead),
}

/// Queues a lead for the full sync when the plugin is published with full sync on and the
/// lead eligible (deletions of synced leads always). Returns whether it was queued.
pub fn on_lead_saved<H: Http, K: Kv, P: Platform, C: Clock, R: Reactor>(
    p: &Ports<'_, H, K, P, C, R>,
    event: &LeadEvent,
) -> Result<bool, PluginError> {
    let settings = p.platform.settings();
    if !settings.published || !settings.full_sync {
        return Ok(false);
    }
    let stop_field = mapping::stop_sync_field(&settings)?;
    let queue = crate::queue::Queue::new(p.kv);
    let now = p.clock.now_unix();
    match event {
        LeadEvent::Saved(lead) | LeadEvent::CompanyChanged(lead) => {
            if crate::push::refusal(lead, stop_field).is_some() {
                return Ok(false);
            }
            queue.enqueue(
                lead.id,
                crate::queue::Action::Update,
                lead.email(),
                lead.company_name(),
                0,
                now,
            )?;
        }
        LeadEvent::Deleted(lead) => {
            let from_field = mapping::lead_field_for(&settings, mapping::CONTACT_REF_KEY)
                .ok()
                .and_then(|f| crate::lead::parse_ref(lead.field(f)));
            let from_state = crate::push::load_lead_state(p.kv, lead.id)?.map(|s| s.contact_ref);
            let Some(contact_ref) = from_field.or(from_state).filter(|r| *r > 0) else {
                // Never synced: nothing in INES to flag. A pending update is moot.
                if let Some(pending) = queue.latest(lead.id)?.filter(|e| e.is_pending()) {
                    let skip = crate::queue::Event::Skipped {
                        reason: "the lead was deleted before it was synchronised".into(),
                    };
                    queue.transition(&pending, skip, now)?;
                }
                return Ok(false);
            };
            queue.enqueue(
                lead.id,
                crate::queue::Action::Delete,
                lead.email(),
                lead.company_name(),
                contact_ref,
                now,
            )?;
        }
    }
    Ok(true)
}

/// The `crm:ines` cron command: one batch of at most `max` rows.
pub fn run_batch<H: Http, K: Kv, P: Platform, C: Clock, R: Reactor>(
    p: &Ports<'_, H, K, P, C, R>,
    max: u32,
) -> Result<crate::batch::Report, PluginError> {
    let settings = p.platform.settings();
    if !settings.published || !settings.full_sync {
        p.platform.log(
            LogLevel::Info,
            "crm:ines: nothing to do (the integration is unpublished or full sync is off)",
        );
        return Ok(crate::batch::Report::default());
    }
    let client = InesClient::new(p.http, p.kv, settings.connection()?);
    let info = exec::block_on(
        p.reactor,
        crate::sync_info::load(&client, p.kv, &settings, p.clock.now_unix(), false),
    )??;
    let mapping = Mapping::resolve(
        &settings,
        &info.contact_custom_fields,
        &info.company_custom_fields,
    )?;
    let concurrency = match settings.batch_concurrency {
        0 => crate::batch::DEFAULT_CONCURRENCY,
        n => n,
    };
    let run = crate::batch::Run {
        client: &client,
        kv: p.kv,
        platform: p.platform,
        clock: p.clock,
        info: &info,
        mapping: &mapping,
        concurrency,
        lease_secs: match settings.lease_seconds {
            0 => crate::batch::DEFAULT_LEASE_SECS,
            n => u64::from(n),
        },
    };
    run.execute(p.reactor, max).map_err(|e| match e {
        crate::batch::RunError::Ines(c) => PluginError::Client(c),
        crate::batch::RunError::Kv(k) => PluginError::Kv(k),
    })
}

/// The journal: newest rows first, at most 200.
pub fn sync_log<H: Http, K: Kv, P: Platform, C: Clock, R: Reactor>(
    p: &Ports<'_, H, K, P, C, R>,
    limit: u32,
) -> Result<Vec<crate::queue::Entry>, PluginError> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    Ok(crate::queue::Queue::new(p.kv).log(limit)?)
}

/// Puts a FAILED lead back in the queue.
pub fn requeue<H: Http, K: Kv, P: Platform, C: Clock, R: Reactor>(
    p: &Ports<'_, H, K, P, C, R>,
    lead: u64,
) -> Result<(), PluginError> {
    match crate::queue::Queue::new(p.kv).requeue(lead, p.clock.now_unix())? {
        Some(_) => Ok(()),
        None => Err(PluginError::NotRequeueable(lead)),
    }
}

/// `GET /api/ines/getMapping`.
pub fn get_mapping<H: Http, K: Kv, P: Platform, C: Clock, R: Reactor>(
    p: &Ports<'_, H, K, P, C, R>,
) -> Result<crate::api::MappingApi, PluginError> {
    Ok(crate::api::mapping_api(&p.platform.settings())?)
}
