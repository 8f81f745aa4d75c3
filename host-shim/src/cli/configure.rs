//! `host-shim configure`: the plugin's settings screen. A change of the mapping is checked
//! the way the "Contact Field Mapping" tab checks it, and then saved whole or not at all.

use anyhow::{Context, bail};
use clap::Args;
use host_shim::Host;
use host_shim::platform::{Platform, PluginSettings};
use serde::Serialize;

use super::mapping::{Target, targets};
use super::parse_assignments;

#[derive(Args)]
pub struct ConfigureArgs {
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
    /// `host-shim mapping` lists the keys.
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
    /// Seconds a crm:ines run may hold a queue row before another run may take it.
    #[arg(long)]
    lease_seconds: Option<u32>,
}

impl ConfigureArgs {
    /// Whether the command edits the "Contact Field Mapping" tab.
    fn touches_mapping(&self) -> bool {
        !self.map.is_empty() || self.clear_mapping || self.non_overwritable.is_some()
    }
}

/// Applies the options given onto `settings`; refuses malformed ones before any change.
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
        lease_seconds,
    } = args;
    let map = parse_assignments("--map", "KEY", &map)?;
    if let Some((key, _)) = map.iter().find(|(_, field)| field.trim().is_empty()) {
        bail!("--map {key}= names no lead field: give KEY=FIELD, e.g. --map {key}=firstname");
    }
    let non_overwritable = match non_overwritable {
        Some(keys) => {
            let keys: Vec<String> = keys.iter().map(|k| k.trim().to_string()).collect();
            if keys.iter().any(String::is_empty) {
                bail!("--non-overwritable holds an empty key");
            }
            Some(keys)
        }
        None => None,
    };
    if let Some(v) = ines_url {
        settings.ines_url = v.trim().to_string();
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
    for (key, field) in map {
        settings.mapping.insert(key, field.trim().to_string());
    }
    if let Some(v) = non_overwritable {
        settings.non_overwritable = v;
    }
    if let Some(v) = batch_concurrency {
        settings.batch_concurrency = v;
    }
    if let Some(v) = lease_seconds {
        settings.lease_seconds = v;
    }
    Ok(())
}

/// The settings as they may be shown: the password masked.
pub fn masked(settings: &PluginSettings) -> PluginSettings {
    let mut shown = settings.clone();
    if !shown.password.is_empty() {
        shown.password = "********".into();
    }
    shown
}

/// Every mapped lead field must exist on the platform (no INES needed to know that).
fn check_lead_fields(platform: &Platform, settings: &PluginSettings) -> anyhow::Result<()> {
    let fields = platform.fields()?;
    let missing: Vec<String> = settings
        .mapping
        .iter()
        .filter(|(_, field)| !fields.iter().any(|f| &f.alias == *field))
        .map(|(key, field)| {
            format!("the mapping of {key} names the lead field '{field}', which does not exist")
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    bail!(
        "{}\n(see `host-shim field list`; add a custom field with `host-shim field add`); \
         the settings were not saved",
        missing.join("\n")
    )
}

/// The checks of the mapping tab against what the plugin describes.
fn problems(targets: &[Target], settings: &PluginSettings) -> Vec<String> {
    let known = |key: &str| targets.iter().any(|t| t.key == key);
    let mut problems: Vec<String> = settings
        .mapping
        .keys()
        .filter(|key| !known(key))
        .map(|key| {
            format!("the mapping names '{key}', which is not an INES field this account offers")
        })
        .collect();
    problems.extend(
        targets
            .iter()
            .filter(|t| t.required && !settings.mapping.contains_key(&t.key))
            .map(|t| {
                format!(
                    "'{}' ({}) is required: map a lead field onto it with --map {}=FIELD",
                    t.label, t.key, t.key
                )
            }),
    );
    problems.extend(
        settings
            .non_overwritable
            .iter()
            .filter(|key| !known(key))
            .map(|key| {
                format!("the non-overwritable list names '{key}', which is not an INES field")
            }),
    );
    problems
}

#[derive(Serialize)]
struct Saved {
    saved: bool,
    /// Whether the mapping was checked against the INES fields the plugin describes.
    mapping_checked: bool,
    warning: Option<String>,
}

pub fn run(host: &Host, args: ConfigureArgs, json: bool) -> anyhow::Result<bool> {
    let platform = host.platform();
    let before = platform.settings()?;
    let mut settings = before.clone();
    let touches_mapping = args.touches_mapping();
    apply(&mut settings, args)?;
    let unset = settings.mapping.is_empty() && settings.non_overwritable.is_empty();
    let check = touches_mapping && !unset;
    if check {
        check_lead_fields(platform, &settings)?;
    }
    // The plugin describes its targets from the saved settings (the INES account's custom
    // fields), so the candidate is saved first and put back if the mapping is refused.
    platform.save_settings(&settings)?;
    let mut outcome = Saved {
        saved: true,
        mapping_checked: false,
        warning: None,
    };
    if check {
        match targets(host) {
            Ok(targets) => {
                let problems = problems(&targets, &settings);
                if !problems.is_empty() {
                    platform.save_settings(&before).context(
                        "the mapping is refused, and the previous settings could not be restored",
                    )?;
                    bail!(
                        "the mapping is refused, the settings were not saved:\n  {}\n(`host-shim mapping` lists the INES fields and their keys)",
                        problems.join("\n  ")
                    );
                }
                outcome.mapping_checked = true;
            }
            Err(e) => {
                outcome.warning = Some(format!(
                    "the mapping could not be checked against INES ({e}); it was saved unchecked: \
                     run `host-shim mapping` to check it once INES is configured and reachable"
                ));
            }
        }
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&outcome)?);
    } else {
        if let Some(w) = &outcome.warning {
            eprintln!("warning: {w}");
        }
        if touches_mapping && unset {
            println!(
                "settings saved; the mapping is empty: pushes are refused until the required INES \
                 fields are mapped (see `host-shim mapping`)"
            );
        } else if outcome.mapping_checked {
            println!(
                "settings saved; mapping checked ({} entries)",
                settings.mapping.len()
            );
        } else {
            println!("settings saved");
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(key: &str, required: bool) -> Target {
        Target {
            key: key.into(),
            concept: "contact",
            kind: "standard",
            ines_name: key.into(),
            label: key.into(),
            required,
            choices: Vec::new(),
        }
    }

    #[test]
    fn every_problem_of_the_mapping_is_named() {
        let targets = [
            target("contact:PrimaryMailAddress", true),
            target("contact:FirstName", false),
        ];
        let mut settings = PluginSettings::default();
        settings
            .mapping
            .insert("contact:Nickname".into(), "firstname".into());
        settings.non_overwritable = vec!["contact:Nope".into()];
        let found = problems(&targets, &settings).join("\n");
        assert!(found.contains("'contact:Nickname'"), "{found}");
        assert!(
            found.contains("--map contact:PrimaryMailAddress=FIELD"),
            "{found}"
        );
        assert!(found.contains("'contact:Nope'"), "{found}");

        settings.mapping.clear();
        settings
            .mapping
            .insert("contact:PrimaryMailAddress".into(), "email".into());
        settings.non_overwritable = vec!["contact:FirstName".into()];
        assert!(problems(&targets, &settings).is_empty());
    }
}
