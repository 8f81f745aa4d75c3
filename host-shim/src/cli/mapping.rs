//! `host-shim mapping`: the "Contact Field Mapping" tab, the INES fields the plugin's
//! `describe` offers, with the lead field currently mapped onto each.

use host_shim::bindings::exports::ines::crm::plugin as wit_plugin;
use host_shim::platform::PluginSettings;
use host_shim::{Host, HostError};
use serde::Serialize;

use super::{print_logs, print_table};

/// One INES target of the mapping tab.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    /// The key used in `configure --map KEY=FIELD`.
    pub key: String,
    /// `contact` or `client`.
    pub concept: &'static str,
    /// `standard`, `custom` or `special`.
    pub kind: &'static str,
    /// INES element name, or custom-field definition id.
    pub ines_name: String,
    pub label: String,
    pub required: bool,
    pub choices: Vec<String>,
}

impl From<wit_plugin::MappableField> for Target {
    fn from(f: wit_plugin::MappableField) -> Target {
        Target {
            key: f.key,
            concept: match f.concept {
                wit_plugin::Concept::Contact => "contact",
                wit_plugin::Concept::Client => "client",
            },
            kind: match f.kind {
                wit_plugin::TargetKind::Standard => "standard",
                wit_plugin::TargetKind::Custom => "custom",
                wit_plugin::TargetKind::Special => "special",
            },
            ines_name: f.ines_name,
            label: f.label,
            required: f.required,
            choices: f.choices,
        }
    }
}

/// The targets the plugin offers with the saved settings (it reads INES custom fields).
pub fn targets(host: &Host) -> Result<Vec<Target>, HostError> {
    let described = host.describe();
    print_logs(host);
    Ok(described?.fields.into_iter().map(Target::from).collect())
}

#[derive(Serialize)]
struct Row<'a> {
    #[serde(flatten)]
    target: &'a Target,
    /// The lead field mapped onto this target, if any.
    lead_field: Option<&'a str>,
    /// The admin checked it as non-overwritable.
    non_overwritable: bool,
}

fn rows<'a>(targets: &'a [Target], settings: &'a PluginSettings) -> Vec<Row<'a>> {
    targets
        .iter()
        .map(|t| Row {
            target: t,
            lead_field: settings.mapping.get(&t.key).map(String::as_str),
            non_overwritable: settings.non_overwritable.contains(&t.key),
        })
        .collect()
}

pub fn run(host: &Host, json: bool) -> anyhow::Result<bool> {
    let targets = targets(host)?;
    let settings = host.platform().settings()?;
    let rows = rows(&targets, &settings);
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "fields": rows }))?
        );
        return Ok(true);
    }
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let t = r.target;
            vec![
                t.key.clone(),
                t.concept.to_string(),
                if t.required { "yes" } else { "" }.to_string(),
                r.lead_field.unwrap_or("").to_string(),
                if r.non_overwritable { "yes" } else { "" }.to_string(),
                if t.choices.is_empty() {
                    t.label.clone()
                } else {
                    format!("{} [{}]", t.label, t.choices.join(", "))
                },
            ]
        })
        .collect();
    print_table(
        &[
            "KEY",
            "CONCEPT",
            "REQUIRED",
            "MAPPED FROM",
            "NON-OVERWRITABLE",
            "LABEL [CHOICES]",
        ],
        &table,
    );
    let unmapped: Vec<&str> = rows
        .iter()
        .filter(|r| r.target.required && r.lead_field.is_none())
        .map(|r| r.target.key.as_str())
        .collect();
    if !unmapped.is_empty() {
        println!(
            "\nrequired and not mapped yet: {} (map them with `host-shim configure --map KEY=FIELD`)",
            unmapped.join(", ")
        );
    }
    Ok(true)
}
