//! The INES account's sync info (`GetSyncInfo`: lead channel, default client type, custom-field
//! definitions), cached in KV: refreshed at install, when the settings change (the cache is
//! keyed by the settings' version), and at most hourly otherwise.

use serde_json::{Value, json};

use crate::client::{ClientError, InesClient};
use crate::ines::ops::{self, CustomFieldDef, CustomFieldKind, SyncInfo};
use crate::ines::wire;
use crate::ports::{Http, Kv, KvError};
use crate::settings::Settings;

const CACHE_KEY: &str = "ines/sync-info";
/// Age after which the cache is refreshed.
pub const MAX_AGE_SECS: u64 = 3600;

fn defs_to_json(defs: &[CustomFieldDef]) -> Value {
    defs.iter()
        .map(|d| json!({"id": d.id, "name": d.name, "kind": d.kind.as_str(), "choices": d.choices}))
        .collect()
}

fn defs_from_json(value: &Value) -> Vec<CustomFieldDef> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|d| {
                    Some(CustomFieldDef {
                        id: i32::try_from(d.get("id")?.as_i64()?).ok()?,
                        name: d.get("name")?.as_str()?.to_string(),
                        kind: CustomFieldKind::parse(d.get("kind")?.as_str()?)?,
                        choices: d
                            .get("choices")?
                            .as_array()?
                            .iter()
                            .filter_map(|c| c.as_str().map(str::to_string))
                            .collect(),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A cached sync info: under which settings and when it was read.
struct Cached {
    owner: String,
    fetched_at: u64,
    info: SyncInfo,
}

fn read_cache(kv: &impl Kv) -> Result<Option<Cached>, KvError> {
    let Some(bytes) = kv.get(CACHE_KEY)? else {
        return Ok(None);
    };
    // An unreadable cache is simply refetched.
    let Ok(v) = serde_json::from_slice::<Value>(&bytes) else {
        return Ok(None);
    };
    let number = |k: &str| v.get(k).and_then(Value::as_i64);
    Ok(Some(Cached {
        owner: v
            .get("owner")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        fetched_at: v.get("fetched_at").and_then(Value::as_u64).unwrap_or(0),
        info: SyncInfo {
            lead_ref: number("lead_ref")
                .and_then(|n| i32::try_from(n).ok())
                .unwrap_or(0),
            societe_type: number("societe_type")
                .and_then(|n| i32::try_from(n).ok())
                .unwrap_or(0),
            contact_custom_fields: v.get("contact").map(defs_from_json).unwrap_or_default(),
            company_custom_fields: v.get("client").map(defs_from_json).unwrap_or_default(),
        },
    }))
}

fn write_cache(kv: &impl Kv, owner: &str, now: u64, info: &SyncInfo) -> Result<(), KvError> {
    let v = json!({
        "owner": owner,
        "fetched_at": now,
        "lead_ref": info.lead_ref,
        "societe_type": info.societe_type,
        "contact": defs_to_json(&info.contact_custom_fields),
        "client": defs_to_json(&info.company_custom_fields),
    });
    kv.set(CACHE_KEY, v.to_string().as_bytes())
}

/// Forgets the cache (settings changed).
pub fn invalidate(kv: &impl Kv) -> Result<(), KvError> {
    kv.delete(CACHE_KEY)
}

/// The sync info: the cache when it was read under these settings less than an hour ago
/// (or, unless `force`, when INES cannot be reached but a cache for this account exists),
/// else a fresh `GetSyncInfo`.
pub async fn load<H: Http, K: Kv>(
    client: &InesClient<'_, H, K>,
    kv: &K,
    settings: &Settings,
    now: u64,
    force: bool,
) -> Result<SyncInfo, ClientError> {
    let owner = format!("{} {}", client.connection().owner(), settings.version_key());
    let owner = owner.as_str();
    let cached = read_cache(kv)?;
    let same_account = cached
        .as_ref()
        .is_some_and(|c| c.owner.starts_with(&client.connection().owner()));
    let fresh = cached.as_ref().is_some_and(|c| c.owner == owner);
    if let Some(c) = &cached
        && fresh
        && !force
        && now.saturating_sub(c.fetched_at) < MAX_AGE_SECS
    {
        return Ok(c.info.clone());
    }
    let fetched = match client
        .call(&wire::GET_SYNC_INFO, &ops::get_sync_info_request())
        .await
    {
        Ok(result) => ops::read_sync_info(&result).map_err(|e| ClientError::BadResponse {
            operation: wire::GET_SYNC_INFO.name,
            detail: e.to_string(),
        }),
        Err(e) => Err(e),
    };
    match (fetched, cached) {
        (Ok(info), _) => {
            write_cache(kv, owner, now, &info)?;
            Ok(info)
        }
        (Err(ClientError::Unreachable { .. }), Some(c)) if !force && same_account => Ok(c.info),
        (Err(e), _) => Err(e),
    }
}
