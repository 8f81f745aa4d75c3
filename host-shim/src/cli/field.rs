//! `host-shim field …`: lead fields, as the platform's custom-fields screen lists and adds them.

use anyhow::bail;
use clap::{Subcommand, ValueEnum};
use host_shim::Host;
use host_shim::platform::{COMPANY_FIELDS, CORE_LEAD_FIELDS, FieldDef, FieldKind};
use serde::Serialize;

use super::print_table;

#[derive(Subcommand)]
pub enum FieldCommand {
    /// Every lead field: the core ones, those the plugin declared, and custom ones.
    List,
    /// Add a custom lead field.
    Add {
        /// The field's alias (its key in mappings and forms): lowercase letters, digits, `_`.
        alias: String,
        /// The label shown to users.
        #[arg(long)]
        label: String,
        /// What the field holds.
        #[arg(long, value_enum, default_value_t = Kind::Text)]
        kind: Kind,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Kind {
    Text,
    Number,
    Boolean,
    Email,
}

impl From<Kind> for FieldKind {
    fn from(kind: Kind) -> FieldKind {
        match kind {
            Kind::Text => FieldKind::Text,
            Kind::Number => FieldKind::Number,
            Kind::Boolean => FieldKind::Boolean,
            Kind::Email => FieldKind::Email,
        }
    }
}

fn kind_name(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Text => "text",
        FieldKind::Email => "email",
        FieldKind::Number => "number",
        FieldKind::Boolean => "boolean",
    }
}

#[derive(Serialize)]
struct FieldOut<'a> {
    alias: &'a str,
    label: &'a str,
    kind: FieldKind,
    /// A core field every platform has (not created by a plugin or the admin).
    core: bool,
}

const MAX_ALIAS_LEN: usize = 64;

fn check_alias(alias: &str) -> anyhow::Result<()> {
    let well_formed = alias.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && alias
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && alias.len() <= MAX_ALIAS_LEN;
    if !well_formed {
        bail!(
            "the alias {alias:?} is not valid: it must start with a lowercase letter and hold \
             only lowercase letters, digits and '_' (at most {MAX_ALIAS_LEN} characters)"
        );
    }
    if COMPANY_FIELDS.contains(&alias) {
        bail!("the alias {alias:?} is a company field's; choose another one");
    }
    Ok(())
}

pub fn run(host: &Host, command: FieldCommand, json: bool) -> anyhow::Result<bool> {
    let platform = host.platform();
    match command {
        FieldCommand::List => {
            let fields = platform.fields()?;
            let out: Vec<FieldOut> = fields
                .iter()
                .map(|f| FieldOut {
                    alias: &f.alias,
                    label: &f.label,
                    kind: f.kind,
                    core: CORE_LEAD_FIELDS.iter().any(|(a, _, _)| *a == f.alias),
                })
                .collect();
            if json {
                println!("{}", serde_json::to_string_pretty(&out)?);
            } else {
                let rows: Vec<Vec<String>> = out
                    .iter()
                    .map(|f| {
                        vec![
                            f.alias.to_string(),
                            kind_name(f.kind).to_string(),
                            if f.core { "core" } else { "custom" }.to_string(),
                            f.label.to_string(),
                        ]
                    })
                    .collect();
                print_table(&["ALIAS", "KIND", "ORIGIN", "LABEL"], &rows);
            }
        }
        FieldCommand::Add { alias, label, kind } => {
            let alias = alias.trim().to_string();
            check_alias(&alias)?;
            let label = label.trim().to_string();
            if label.is_empty() {
                bail!("--label is empty: give the label users see");
            }
            if let Some(existing) = platform.field(&alias)? {
                bail!(
                    "a lead field with alias {alias:?} already exists ({} field {:?}); nothing \
                     was added",
                    kind_name(existing.kind),
                    existing.label
                );
            }
            let def = FieldDef {
                alias,
                label,
                kind: kind.into(),
            };
            if !platform.ensure_field(&def)? {
                bail!("a lead field with alias {:?} already exists", def.alias);
            }
            if json {
                let out = FieldOut {
                    alias: &def.alias,
                    label: &def.label,
                    kind: def.kind,
                    core: false,
                };
                println!("{}", serde_json::to_string_pretty(&out)?);
            } else {
                println!(
                    "added lead field {} ({}, {:?})",
                    def.alias,
                    kind_name(def.kind),
                    def.label
                );
            }
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::check_alias;

    #[test]
    fn aliases_are_lowercase_identifiers_and_not_company_fields() {
        assert!(check_alias("niveau_2").is_ok());
        for bad in ["", "2x", "Niveau", "a-b", "é", "companycity"] {
            assert!(check_alias(bad).is_err(), "{bad:?}");
        }
    }
}
