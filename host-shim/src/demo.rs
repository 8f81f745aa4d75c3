//! `make demo`: the product on its embedded default. Starts the INES simulator on a free
//! loopback port, installs the plugin into a fresh data directory, walks the seed's set-up
//! (connection test, mapping), then plays the seed's "Test minimaliste" steps 1, 2 and 4,
//! printing after each step what INES holds, what the lead holds and the journal.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use ines_sim::{SimConfig, SimState, Simulator};

use crate::platform::{FieldDef, FieldKind, Lead, PluginSettings};
use crate::{FormResult, FormSubmission, Host};

fn connection_line(host: &Host) -> String {
    match host.test_connection() {
        Ok(()) => "OK".to_string(),
        Err(e) => e.to_string(),
    }
}

/// The seed's mapping: the three special targets on the fields the plugin declares, e-mail and
/// company, a few contact fields, and one INES custom field of each owner (the simulator's
/// contact field 17 "Niveau" and client field 21 "Secteur"). Its first six entries are the
/// required targets and the first name: a mapping without custom fields.
pub const SEED_MAPPING: &[(&str, &str)] = &[
    ("special:contact-ref", "ines_contact_ref"),
    ("special:client-ref", "ines_client_ref"),
    ("special:stop-sync", "ines_stop_sync"),
    ("contact:PrimaryMailAddress", "email"),
    ("client:CompanyName", "company"),
    ("contact:FirstName", "firstname"),
    ("contact:LastName", "lastname"),
    ("contact:Function", "position"),
    ("contact:BussinesTelephone", "phone"),
    ("contact:MobilePhone", "mobile"),
    ("contact:City", "city"),
    ("contact-custom:17", "niveau"),
    ("client-custom:21", "secteur"),
];

/// Custom lead fields the admin creates for the two INES custom fields.
const CUSTOM_LEAD_FIELDS: &[(&str, &str)] = &[("niveau", "Niveau"), ("secteur", "Secteur")];

/// The field checked "non-overwritable" in the Features tab.
const KEPT: &str = "contact:Function";

const FORM_NAME: &str = "Contact us";

/// Step 1's form: e-mail, company and a few more fields.
const STEP_1: &[(&str, &str)] = &[
    ("email", "jean.dupont@example.com"),
    ("company", "Dupont SA"),
    ("firstname", "Jean"),
    ("lastname", "Dupont"),
    ("position", "CEO"),
    ("phone", "01 40 00 00 01"),
    ("niveau", "Silver"),
    ("secteur", "Industrie"),
];

/// Step 2's changes: the phone (overwritable) and the position (non-overwritable, already
/// filled in INES, so INES keeps "CEO").
const STEP_2_CHANGES: &[(&str, &str)] = &[("phone", "01 40 00 00 02"), ("position", "Président")];

/// Contact elements worth showing, in this order.
const CONTACT_SHOWN: &[&str] = &[
    "PrimaryMailAddress",
    "FirstName",
    "LastName",
    "Function",
    "BussinesTelephone",
    "MobilePhone",
    "City",
    "CompanyRef",
    "AutomationRef",
    "Scoring",
    "Desabo",
];

/// Client elements worth showing, in this order.
const CLIENT_SHOWN: &[&str] = &[
    "CompanyName",
    "Type",
    "Address1",
    "ZipCode",
    "City",
    "Phone",
    "Website",
    "PaymentMethodRef",
];

/// Weblead elements worth showing, in this order.
const WEBLEAD_SHOWN: &[&str] = &["DescriptionCourte", "FileRef", "CtRef", "ClRef"];

fn rows(out: &mut impl Write, indent: usize, rows: &[(String, String)]) -> std::io::Result<()> {
    crate::display::write_rows(out, indent, rows)
}

fn row(key: &str, value: impl std::fmt::Display) -> (String, String) {
    (key.to_string(), value.to_string())
}

fn heading(out: &mut impl Write, title: &str) -> std::io::Result<()> {
    writeln!(out)?;
    writeln!(out, "== {title}")
}

fn shown_fields(fields: &BTreeMap<String, String>, names: &[&str]) -> Vec<(String, String)> {
    names
        .iter()
        .filter_map(|n| fields.get(*n).filter(|v| !v.is_empty()).map(|v| row(n, v)))
        .collect()
}

/// What INES holds: clients, contacts, custom-field rows, webleads.
fn print_ines(out: &mut impl Write, state: &SimState, config: &SimConfig) -> std::io::Result<()> {
    writeln!(
        out,
        "  INES now holds {} client(s), {} contact(s), {} custom-field row(s), {} weblead(s):",
        state.clients.len(),
        state.contacts.len(),
        state.contact_cf.len() + state.company_cf.len(),
        state.leads.len()
    )?;
    for (r, client) in &state.clients {
        writeln!(out, "    client {r}")?;
        rows(out, 6, &shown_fields(&client.fields, CLIENT_SHOWN))?;
    }
    for (r, contact) in &state.contacts {
        writeln!(out, "    contact {r}")?;
        rows(out, 6, &shown_fields(&contact.fields, CONTACT_SHOWN))?;
    }
    let name = |defs: &[ines_sim::CustomFieldDef], id: i32| {
        defs.iter()
            .find(|d| d.id == id)
            .map_or_else(|| format!("#{id}"), |d| format!("{} (#{id})", d.name))
    };
    let mut cf_rows = Vec::new();
    for cf in &state.contact_cf {
        cf_rows.push(row(
            &format!(
                "contact {} · {}",
                cf.owner,
                name(&config.contact_custom_fields, cf.definition)
            ),
            &cf.value,
        ));
    }
    for cf in &state.company_cf {
        cf_rows.push(row(
            &format!(
                "client {} · {}",
                cf.owner,
                name(&config.company_custom_fields, cf.definition)
            ),
            &cf.value,
        ));
    }
    if !cf_rows.is_empty() {
        writeln!(out, "    custom fields")?;
        rows(out, 6, &cf_rows)?;
    }
    for weblead in &state.leads {
        writeln!(out, "    weblead {}", weblead.r#ref)?;
        rows(out, 6, &shown_fields(&weblead.fields, WEBLEAD_SHOWN))?;
    }
    Ok(())
}

/// What the lead holds: its fields (the INES refs among them), points, company.
fn print_lead(out: &mut impl Write, host: &Host, lead: &Lead) -> anyhow::Result<()> {
    writeln!(out, "  the lead {} now holds:", lead.id)?;
    let mut shown: Vec<(String, String)> = host
        .platform()
        .fields()?
        .iter()
        .filter_map(|d| {
            lead.fields
                .get(&d.alias)
                .filter(|v| !v.is_empty())
                .map(|v| row(&d.alias, v))
        })
        .collect();
    shown.push(row("points", lead.points));
    if let Some(company) = host.platform().company_of(lead)? {
        shown.push(row(
            "linked company",
            format!("{} (company {})", company.name, company.id),
        ));
    }
    rows(out, 4, &shown)?;
    Ok(())
}

/// The SOAP operations INES received, in order, repeats folded ("GetContact ×2").
fn print_calls(out: &mut impl Write, sim: &Simulator) -> std::io::Result<usize> {
    let calls = sim.calls();
    let mut folded: Vec<(String, usize)> = Vec::new();
    for call in &calls {
        let name = if call.outcome == "ok" {
            call.operation.clone()
        } else {
            format!("{} (answered: {})", call.operation, call.outcome)
        };
        match folded.last_mut() {
            Some((last, n)) if *last == name => *n += 1,
            _ => folded.push((name, 1)),
        }
    }
    let list: Vec<String> = folded
        .into_iter()
        .map(|(name, n)| if n > 1 { format!("{name} ×{n}") } else { name })
        .collect();
    writeln!(
        out,
        "  SOAP calls to INES: {} ({}){}",
        calls.len(),
        if list.is_empty() {
            "none".to_string()
        } else {
            list.join(", ")
        },
        if !calls.is_empty() && !calls.iter().any(|c| c.operation == "Login") {
            "; no Login: the INES session opened during the set-up is reused"
        } else {
            ""
        }
    )?;
    Ok(calls.len())
}

fn submit(host: &Host, values: &[(&str, &str)]) -> anyhow::Result<FormResult> {
    Ok(host.submit_form(&FormSubmission::new(1, FORM_NAME, values))?)
}

fn print_submission(
    out: &mut impl Write,
    values: &[(&str, &str)],
    result: &FormResult,
) -> std::io::Result<()> {
    writeln!(out, "  form \"{FORM_NAME}\" submitted with:")?;
    let shown: Vec<(String, String)> = values.iter().map(|(k, v)| row(k, v)).collect();
    rows(out, 4, &shown)?;
    rows(out, 2, &result.summary_rows())
}

/// One expectation of a step, printed as it is checked.
struct Checks {
    all_ok: bool,
    lines: Vec<String>,
}

impl Checks {
    fn new() -> Checks {
        Checks {
            all_ok: true,
            lines: Vec::new(),
        }
    }

    fn expect(&mut self, ok: bool, what: impl Into<String>) {
        self.all_ok &= ok;
        self.lines.push(format!(
            "{} {}",
            if ok { "ok  " } else { "FAIL" },
            what.into()
        ));
    }

    fn print(&self, out: &mut impl Write) -> std::io::Result<()> {
        writeln!(out, "  checks:")?;
        for line in &self.lines {
            writeln!(out, "    {line}")?;
        }
        Ok(())
    }
}

fn lead_of(host: &Host, id: u64) -> anyhow::Result<Lead> {
    host.lead(id)?
        .ok_or_else(|| anyhow::anyhow!("the lead {id} vanished from the platform"))
}

/// Step 1: a new visitor → a new INES client with one contact, both refs on the lead.
fn step_1(out: &mut impl Write, host: &Host, sim: &Simulator) -> anyhow::Result<(bool, u64)> {
    heading(
        out,
        "Step 1: a new visitor fills in the standalone form \"Contact us\"",
    )?;
    sim.clear_calls();
    let result = submit(host, STEP_1)?;
    print_submission(out, STEP_1, &result)?;
    print_calls(out, sim)?;
    let state = sim.state();
    print_ines(out, &state, sim.config())?;
    let lead = lead_of(host, result.lead_id)?;
    print_lead(out, host, &lead)?;

    let mut checks = Checks::new();
    checks.expect(
        result.outcome == "created" && result.lead_created,
        "a new lead, pushed as created",
    );
    checks.expect(
        state.clients.len() == 1 && state.contacts.len() == 1,
        "INES holds one new client with one contact",
    );
    let contact = state.contacts.iter().next();
    let client_ref = state.clients.keys().next().map(|r| r.to_string());
    checks.expect(
        contact.is_some_and(|(_, c)| {
            c.get("PrimaryMailAddress") == "jean.dupont@example.com"
                && c.get("FirstName") == "Jean"
                && c.get("Function") == "CEO"
                && Some(c.get("CompanyRef").to_string()) == client_ref
        }),
        "the contact carries the form's values, under the client",
    );
    checks.expect(
        lead.fields.get("ines_contact_ref") == contact.map(|(r, _)| r.to_string()).as_ref()
            && lead.fields.get("ines_client_ref") == client_ref.as_ref(),
        "the lead holds the INES contact ref and client ref",
    );
    checks.expect(
        state.contact_cf.len() == 1 && state.company_cf.len() == 1,
        "one value row per mapped INES custom field",
    );
    checks.expect(state.leads.len() == 1, "one weblead filed for the form");
    checks.print(out)?;
    Ok((checks.all_ok, result.lead_id))
}

/// Step 2: the same visitor again, two fields changed → the contact updated, the
/// non-overwritable field kept.
fn step_2(
    out: &mut impl Write,
    host: &Host,
    sim: &Simulator,
    lead_id: u64,
) -> anyhow::Result<bool> {
    heading(
        out,
        "Step 2: the same e-mail and company again, phone and position changed",
    )?;
    writeln!(
        out,
        "  ({KEPT} is non-overwritable and INES already holds a value for it)"
    )?;
    let values: Vec<(&str, &str)> = STEP_1
        .iter()
        .map(|(k, v)| {
            STEP_2_CHANGES
                .iter()
                .find(|(c, _)| c == k)
                .map_or((*k, *v), |(c, nv)| (*c, *nv))
        })
        .collect();
    let before = sim.state();
    sim.clear_calls();
    let result = submit(host, &values)?;
    print_submission(out, &values, &result)?;
    print_calls(out, sim)?;
    let state = sim.state();
    print_ines(out, &state, sim.config())?;
    let lead = lead_of(host, result.lead_id)?;
    print_lead(out, host, &lead)?;

    let mut checks = Checks::new();
    checks.expect(
        result.outcome == "updated" && !result.lead_created && result.lead_id == lead_id,
        "the same lead, matched by e-mail, pushed as updated",
    );
    checks.expect(
        state.clients.len() == 1
            && state.contacts.len() == 1
            && state.contacts.keys().eq(before.contacts.keys())
            && state.clients.keys().eq(before.clients.keys()),
        "still one client and one contact, the same refs",
    );
    let contact = state.contacts.values().next();
    checks.expect(
        contact.is_some_and(|c| c.get("BussinesTelephone") == "01 40 00 00 02"),
        "the changed phone reached INES",
    );
    checks.expect(
        contact.is_some_and(|c| c.get("Function") == "CEO"),
        format!("{KEPT} kept its INES value \"CEO\" (non-overwritable)"),
    );
    checks.expect(
        state.contact_cf.len() == 1 && state.company_cf.len() == 1,
        "the custom-field rows left as they were, no duplicate",
    );
    checks.print(out)?;
    Ok(checks.all_ok)
}

/// Prints the journal as the "Voir journal de bord" button shows it.
fn print_journal(out: &mut impl Write, host: &Host) -> anyhow::Result<Vec<(u64, String)>> {
    use crate::bindings::exports::ines::crm::plugin::{SyncAction, SyncStatus};
    let rows = host.sync_log(200)?;
    writeln!(out, "  journal (newest first):")?;
    let mut statuses = Vec::new();
    for r in &rows {
        let status = match r.status {
            SyncStatus::Pending => "PENDING",
            SyncStatus::Done => "DONE",
            SyncStatus::Failed => "FAILED",
            SyncStatus::Skipped => "SKIPPED",
        };
        let action = match r.action {
            SyncAction::Update => "UPDATE",
            SyncAction::Delete => "DELETE",
        };
        writeln!(
            out,
            "    lead {:<3} {:<6} {:<8} attempts {}  {:<26} {}{}",
            r.lead_id,
            action,
            status,
            r.attempts,
            r.email,
            r.company,
            if r.last_error.is_empty() {
                String::new()
            } else {
                format!("  ({})", r.last_error)
            }
        )?;
        statuses.push((r.lead_id, status.to_string()));
    }
    Ok(statuses)
}

fn new_lead(host: &Host, email: &str, company: &str) -> anyhow::Result<Lead> {
    let company = host.platform().find_or_create_company(company)?;
    let mut lead = Lead::default();
    lead.fields.insert("email".into(), email.into());
    lead.fields.insert("company".into(), company.name.clone());
    lead.companies.push(crate::platform::CompanyLink {
        company_id: company.id,
        primary: true,
    });
    Ok(host.save_lead(lead)?.0)
}

/// Step 4: full sync. Leads edited and one deleted appear PENDING in the journal; `crm:ines`
/// runs; they are DONE.
fn step_4(
    out: &mut impl Write,
    host: &Host,
    sim: &Simulator,
    lead_id: u64,
) -> anyhow::Result<bool> {
    heading(
        out,
        "Step 4: full sync (\"Synchronisation de tous les leads\"): edit, delete, then crm:ines",
    )?;
    let mut settings = host.platform().settings()?;
    settings.full_sync = true;
    host.platform().save_settings(&settings)?;
    writeln!(out, "  feature \"Sync all leads\" switched ON")?;

    // Two colleagues of Jean arrive, then are synced, so that one can be deleted later.
    let marie = new_lead(host, "marie.martin@example.com", "Dupont SA")?;
    let paul = new_lead(host, "paul.durand@example.com", "Durand SARL")?;
    let first = host.run_batch(10)?;
    writeln!(
        out,
        "  two new leads saved and synced by crm:ines: {} done, {} INES calls",
        first.done, first.ines_calls
    )?;

    let mut jean = lead_of(host, lead_id)?;
    jean.fields.insert("mobile".into(), "06 00 00 00 01".into());
    host.save_lead(jean)?;
    let mut marie_edit = lead_of(host, marie.id)?;
    marie_edit.fields.insert("position".into(), "DAF".into());
    marie_edit.points = 15;
    host.save_lead(marie_edit)?;
    host.delete_lead(paul.id)?;
    writeln!(
        out,
        "  edited lead {lead_id} (mobile) and lead {} (position, points); deleted lead {}",
        marie.id, paul.id
    )?;
    let before = print_journal(out, host)?;

    sim.clear_calls();
    let report = host.run_batch(10)?;
    writeln!(
        out,
        "  $ host-shim crm:ines --number-of-leads-to-process=10\n  crm:ines: {} processed ({} done, {} failed, {} skipped), {} INES calls",
        report.processed, report.done, report.failed, report.skipped, report.ines_calls
    )?;
    print_calls(out, sim)?;
    let after = print_journal(out, host)?;
    let state = sim.state();
    let paul_contact = state
        .contacts
        .values()
        .find(|c| c.get("PrimaryMailAddress") == "paul.durand@example.com");
    writeln!(
        out,
        "  INES: {} clients, {} contacts; paul.durand's contact flagged as no longer synchronised: {}",
        state.clients.len(),
        state.contacts.len(),
        paul_contact.is_some_and(|c| c.sync_stopped)
    )?;

    let mut checks = Checks::new();
    let edited = [lead_id, marie.id, paul.id];
    checks.expect(
        edited.iter().all(|id| {
            before
                .iter()
                .find(|(l, _)| l == id)
                .is_some_and(|(_, s)| s == "PENDING")
        }),
        "the edited and deleted leads were PENDING in the journal",
    );
    checks.expect(
        edited.iter().all(|id| {
            after
                .iter()
                .find(|(l, _)| l == id)
                .is_some_and(|(_, s)| s == "DONE")
        }),
        "after crm:ines they are DONE",
    );
    checks.expect(
        state.clients.len() == 2,
        "one INES client per company (Marie joined Dupont SA's)",
    );
    checks.expect(
        paul_contact.is_some_and(|c| c.sync_stopped),
        "the deleted lead's INES contact is flagged, not deleted",
    );
    checks.print(out)?;
    Ok(checks.all_ok)
}

/// Runs the demo, writing what happens to `out`. Returns whether every step behaved.
pub fn run(component: &Path, out: &mut impl Write) -> anyhow::Result<bool> {
    let scratch = crate::display::ScratchDir::new("ines-demo")?;
    let config = SimConfig::default();
    let account = config
        .accounts
        .first()
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("the simulator has no account"))?;
    let sim = Simulator::start(config, ([127, 0, 0, 1], 0).into())?;
    writeln!(
        out,
        "INES CRM plugin demo: a fresh platform and the embedded INES simulator (no INES account needed)"
    )?;

    heading(
        out,
        "Set-up: install the plugin (settings / plugins / Install)",
    )?;
    let mut host = Host::open(scratch.path())?;
    let installed = host.install(component)?;
    rows(
        out,
        2,
        &[
            row("INES simulator", sim.base_url()),
            row(
                "plugin",
                format!(
                    "{} (contract ines:crm@{})",
                    installed.plugin_version, installed.contract_version
                ),
            ),
            row("lead fields created", installed.created_fields.join(", ")),
        ],
    )?;

    heading(out, "Set-up: credentials and connection test")?;
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

    settings.password = "not-the-password".into();
    host.platform().save_settings(&settings)?;
    let refused = connection_line(&host);

    // A simulator stopped right away: its port answers nobody.
    let stopped = Simulator::start(SimConfig::default(), ([127, 0, 0, 1], 0).into())?;
    let stopped_url = stopped.base_url();
    stopped.shutdown();
    settings.password = account.password.clone();
    settings.ines_url = stopped_url.clone();
    host.platform().save_settings(&settings)?;
    let unreachable = connection_line(&host);
    rows(
        out,
        2,
        &[
            row(&format!("as {}/{}", account.account, account.user), &good),
            row("with a wrong password", &refused),
            row(&format!("with INES stopped ({stopped_url})"), &unreachable),
        ],
    )?;
    let connection_ok =
        good == "OK" && refused.contains("refused") && unreachable.contains("unreachable");

    heading(
        out,
        "Set-up: custom lead fields, Contact Field Mapping, Features",
    )?;
    for (alias, label) in CUSTOM_LEAD_FIELDS {
        host.platform().ensure_field(&FieldDef {
            alias: alias.to_string(),
            label: label.to_string(),
            kind: FieldKind::Text,
        })?;
    }
    settings.ines_url = sim.base_url();
    settings.mapping = SEED_MAPPING
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    settings.non_overwritable = vec![KEPT.to_string()];
    host.platform().save_settings(&settings)?;
    let offered = host.describe().map(|d| d.fields.len());
    let mut setup = vec![
        row(
            "custom lead fields",
            CUSTOM_LEAD_FIELDS
                .iter()
                .map(|(a, _)| *a)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        row(
            "mapping tab offers",
            match &offered {
                Ok(n) => format!("{n} INES fields"),
                Err(e) => format!("nothing: {e}"),
            },
        ),
    ];
    setup.push(row("non-overwritable", KEPT));
    setup.push(row(
        "features",
        "Published ON, Push contacts to this integration ON",
    ));
    setup.push(row("mapping", "lead field → INES field"));
    rows(out, 2, &setup)?;
    let width = SEED_MAPPING
        .iter()
        .map(|(_, f)| f.chars().count())
        .max()
        .unwrap_or(0);
    for (key, field) in SEED_MAPPING {
        writeln!(out, "    {field:<width$} → {key}")?;
    }

    let (step_1_ok, lead_id) = step_1(out, &host, &sim)?;
    let step_2_ok = step_2(out, &host, &sim, lead_id)?;
    let step_4_ok = step_4(out, &host, &sim, lead_id)?;

    let behaved = connection_ok && offered.is_ok() && step_1_ok && step_2_ok && step_4_ok;
    writeln!(out)?;
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
