//! `host-shim lead …`: the platform's leads, shown and edited as its UI does.

use std::collections::BTreeMap;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use host_shim::Host;
use host_shim::platform::{Lead, Platform};
use serde::Serialize;

use super::{check_lead_values, parse_assignments, parse_bool, print_rows, print_table};

#[derive(Subcommand)]
pub enum LeadCommand {
    /// One lead: its fields, points, do-not-contact flag and companies.
    Show {
        /// The lead's id.
        id: u64,
    },
    /// Every lead, with its company and INES refs.
    List,
    /// Edit a lead as the platform's lead form does.
    Set(SetArgs),
    /// Delete a lead.
    Delete {
        /// The lead's id.
        id: u64,
    },
}

#[derive(Args)]
pub struct SetArgs {
    /// The lead's id.
    id: u64,
    /// A lead field value; an empty value clears the field. Repeatable.
    #[arg(long = "field", value_name = "ALIAS=VALUE")]
    fields: Vec<String>,
    /// The lead's points (scoring).
    #[arg(long, allow_negative_numbers = true)]
    points: Option<i32>,
    /// The lead asked not to be contacted (true/false, yes/no, 1/0).
    #[arg(long, value_name = "BOOL", value_parser = parse_bool)]
    do_not_contact: Option<bool>,
    /// The lead's primary company, by name (created when the platform has none by that name).
    #[arg(long, value_name = "NAME")]
    company: Option<String>,
}

/// A lead as the commands print it.
#[derive(Serialize)]
struct LeadOut {
    id: u64,
    /// Values by field alias (empty values omitted).
    fields: BTreeMap<String, String>,
    points: i32,
    do_not_contact: bool,
    companies: Vec<CompanyOut>,
}

#[derive(Serialize)]
struct CompanyOut {
    id: u64,
    name: String,
    primary: bool,
    fields: BTreeMap<String, String>,
}

fn lead_out(platform: &Platform, lead: &Lead) -> anyhow::Result<LeadOut> {
    let mut companies = Vec::new();
    for link in &lead.companies {
        let (name, fields) = match platform.company(link.company_id)? {
            Some(c) => (c.name, c.fields),
            None => (String::new(), BTreeMap::new()),
        };
        companies.push(CompanyOut {
            id: link.company_id,
            name,
            primary: link.primary,
            fields: fields.into_iter().filter(|(_, v)| !v.is_empty()).collect(),
        });
    }
    Ok(LeadOut {
        id: lead.id,
        fields: lead
            .fields
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        points: lead.points,
        do_not_contact: lead.do_not_contact,
        companies,
    })
}

fn existing_lead(platform: &Platform, id: u64) -> anyhow::Result<Lead> {
    platform
        .lead(id)?
        .with_context(|| format!("no lead with id {id} (see `host-shim lead list`)"))
}

/// The lead fields holding the INES refs: the mapped ones, else the plugin's defaults.
fn ref_fields(platform: &Platform) -> anyhow::Result<(String, String)> {
    let settings = platform.settings()?;
    let field = |key: &str, default: &str| {
        settings
            .mapping
            .get(key)
            .cloned()
            .unwrap_or_else(|| default.to_string())
    };
    Ok((
        field("special:contact-ref", "ines_contact_ref"),
        field("special:client-ref", "ines_client_ref"),
    ))
}

pub fn run(host: &Host, command: LeadCommand, json: bool) -> anyhow::Result<bool> {
    let platform = host.platform();
    match command {
        LeadCommand::Show { id } => {
            let out = lead_out(platform, &existing_lead(platform, id)?)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&out)?);
            } else {
                show(platform, &out)?;
            }
        }
        LeadCommand::List => {
            let leads = platform.leads()?;
            let outs = leads
                .iter()
                .map(|l| lead_out(platform, l))
                .collect::<anyhow::Result<Vec<_>>>()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&outs)?);
            } else {
                list(platform, &outs)?;
            }
        }
        LeadCommand::Set(args) => {
            let lead = set(platform, args)?;
            // The platform tells the plugin, as on every save (full sync queues the lead).
            let (lead, event) = host.save_lead(lead)?;
            crate::cli::print_logs(host);
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&lead_out(platform, &lead)?)?
                );
            } else {
                println!("lead {} saved{}", lead.id, event_note(event.as_ref()));
            }
        }
        LeadCommand::Delete { id } => {
            let lead = existing_lead(platform, id)?;
            let event = host.delete_lead(id)?;
            crate::cli::print_logs(host);
            if json {
                println!("{}", serde_json::json!({ "deleted": lead.id }));
            } else {
                let email = lead.fields.get("email").map_or("", String::as_str);
                println!(
                    "lead {} deleted {email}{}",
                    lead.id,
                    event_note(event.as_ref())
                );
            }
        }
    }
    Ok(true)
}

fn show(platform: &Platform, lead: &LeadOut) -> anyhow::Result<()> {
    println!("lead {}", lead.id);
    // Fields in the platform's order (core fields first), then any the platform no longer has.
    let defs = platform.fields()?;
    let mut rows: Vec<(String, String)> = defs
        .iter()
        .filter_map(|d| {
            lead.fields
                .get(&d.alias)
                .map(|v| (d.alias.clone(), v.clone()))
        })
        .collect();
    rows.extend(
        lead.fields
            .iter()
            .filter(|(alias, _)| !defs.iter().any(|d| &d.alias == *alias))
            .map(|(a, v)| (a.clone(), v.clone())),
    );
    rows.push(("points".into(), lead.points.to_string()));
    rows.push((
        "do not contact".into(),
        if lead.do_not_contact { "yes" } else { "no" }.into(),
    ));
    let companies = if lead.companies.is_empty() {
        "none".to_string()
    } else {
        lead.companies
            .iter()
            .map(|c| {
                format!(
                    "{} (company {}{})",
                    c.name,
                    c.id,
                    if c.primary { ", primary" } else { "" }
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    rows.push(("companies".into(), companies));
    print_rows(2, &rows);
    Ok(())
}

fn list(platform: &Platform, leads: &[LeadOut]) -> anyhow::Result<()> {
    if leads.is_empty() {
        println!("no leads yet (a form submission creates one: `host-shim form submit`)");
        return Ok(());
    }
    let (contact_ref, client_ref) = ref_fields(platform)?;
    let get = |l: &LeadOut, alias: &str| l.fields.get(alias).cloned().unwrap_or_default();
    let rows: Vec<Vec<String>> = leads
        .iter()
        .map(|l| {
            let name = format!("{} {}", get(l, "firstname"), get(l, "lastname"));
            let company = l
                .companies
                .iter()
                .find(|c| c.primary)
                .or_else(|| l.companies.first())
                .map(|c| c.name.clone())
                .unwrap_or_default();
            vec![
                l.id.to_string(),
                get(l, "email"),
                name.trim().to_string(),
                company,
                l.points.to_string(),
                get(l, &contact_ref),
                get(l, &client_ref),
            ]
        })
        .collect();
    print_table(
        &[
            "ID",
            "EMAIL",
            "NAME",
            "COMPANY",
            "POINTS",
            "INES CONTACT",
            "INES CLIENT",
        ],
        &rows,
    );
    Ok(())
}

/// What the plugin did with the event, for the one-line confirmation.
fn event_note(event: Option<&host_shim::EventOutcome>) -> String {
    match event {
        Some(host_shim::EventOutcome::Enqueued) => "; queued for the INES full sync".into(),
        Some(host_shim::EventOutcome::Error(e)) => format!("; the INES plugin failed: {e}"),
        Some(host_shim::EventOutcome::Ignored) | None => String::new(),
    }
}

/// Checks all of the edit and returns the lead to save, so a refused value changes nothing.
fn set(platform: &Platform, args: SetArgs) -> anyhow::Result<Lead> {
    let mut lead = existing_lead(platform, args.id)?;
    let mut values = parse_assignments("--field", "ALIAS", &args.fields)?;
    check_lead_values(platform, &values, false)?;
    let company = match (args.company, values.get("company")) {
        (Some(flag), Some(field)) if flag.trim() != field.trim() => bail!(
            "--company {flag:?} and --field company={field:?} disagree: give the company once"
        ),
        (Some(flag), _) => Some(flag),
        (None, Some(field)) if !field.trim().is_empty() => Some(field.clone()),
        (None, _) => None,
    };
    if company.as_deref().is_some_and(|c| c.trim().is_empty()) {
        bail!("--company is empty: give the company's name");
    }
    if args.fields.is_empty()
        && args.points.is_none()
        && args.do_not_contact.is_none()
        && company.is_none()
    {
        bail!(
            "nothing to change: give --field ALIAS=VALUE, --points, --do-not-contact or --company"
        );
    }
    if let Some(name) = &company {
        let company = platform.find_or_create_company(name)?;
        lead.link_primary_company(company.id);
        values.insert("company".into(), company.name);
    }
    lead.fields.extend(values);
    if let Some(points) = args.points {
        lead.points = points;
    }
    if let Some(flag) = args.do_not_contact {
        lead.do_not_contact = flag;
    }
    platform.validate_fields(&lead.fields)?;
    Ok(lead)
}
