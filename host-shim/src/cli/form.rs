//! `host-shim form submit`: a standalone form with the "push contacts to integration" action.

use anyhow::bail;
use clap::{Args, Subcommand};
use host_shim::{FormSubmission, Host, HostError};

use super::{check_lead_values, parse_assignments, print_logs, print_rows};

#[derive(Subcommand)]
pub enum FormCommand {
    /// Submit a standalone form: the lead is matched by e-mail (or created), its fields and
    /// company updated, then the plugin pushes it to INES. Exit code 0 when INES created,
    /// updated or already had the contact; 1 when the push was refused or failed.
    Submit(SubmitArgs),
}

#[derive(Args)]
pub struct SubmitArgs {
    /// The form's name (INES files the weblead as "Lead Automation - NAME").
    #[arg(long)]
    form_name: String,
    /// The form's id.
    #[arg(long, default_value_t = 1)]
    form_id: u64,
    /// A submitted value: a lead field (email, firstname, company, custom aliases…) or a
    /// company field (companycity, companyphone…). Repeatable; `email` is required.
    #[arg(long = "field", value_name = "ALIAS=VALUE")]
    fields: Vec<String>,
}

pub fn run(host: &Host, command: FormCommand, json: bool) -> anyhow::Result<bool> {
    match command {
        FormCommand::Submit(args) => submit(host, args, json),
    }
}

fn submit(host: &Host, args: SubmitArgs, json: bool) -> anyhow::Result<bool> {
    let form_name = args.form_name.trim().to_string();
    if form_name.is_empty() {
        bail!("--form-name is empty: give the form's name, e.g. --form-name \"Contact us\"");
    }
    let values = parse_assignments("--field", "ALIAS", &args.fields)?;
    if values.get("email").is_none_or(|e| e.trim().is_empty()) {
        bail!(
            "the form has no e-mail: add --field email=ADDRESS (the platform matches form \
             leads by e-mail)"
        );
    }
    // Everything the platform will store is checked first, so that a refused value leaves
    // no half-saved lead or company behind.
    check_lead_values(host.platform(), &values, true)?;
    if host.installed()?.is_none() {
        return Err(HostError::NotInstalled.into());
    }
    let form = FormSubmission {
        form_id: args.form_id,
        form_name,
        values,
    };
    // A plugin failure after the lead is saved comes back as the push's "failed" outcome.
    let result = host.submit_form(&form);
    print_logs(host);
    let result = result?;
    let pushed = matches!(result.outcome.as_str(), "created" | "updated" | "unchanged");
    if json {
        println!("{}", serde_json::to_string_pretty(&result)?);
    } else {
        print_rows(0, &result.summary_rows());
    }
    Ok(pushed)
}
