//! `host-shim crm:ines` killed with SIGKILL at varied moments during runs over a few hundred
//! leads, then rerun to completion: every eligible lead ends DONE with its refs, no row is
//! lost, and INES holds one client per company and one contact per lead — except where a
//! kill fell between INES creating a record and the plugin saving its ref. INES has no
//! search and no idempotent create, so such a record cannot be found again; the plugin
//! detects each such interruption and reports it (journal, log, `interrupted/<lead>`), and
//! this test checks that every extra record in INES is one of those reported.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use host_shim::Host;
use host_shim::platform::{CompanyLink, Lead, PluginSettings};
use ines_sim::{SimConfig, Simulator};

const LEADS: u32 = 400;
const LEADS_PER_COMPANY: u32 = 4;

fn plugin_wasm() -> PathBuf {
    host_shim::built::component(host_shim::built::PLUGIN).unwrap_or_else(|e| panic!("{e}"))
}

fn crm_ines(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_host-shim"));
    command
        .arg("--data")
        .arg(dir)
        .args(["--json", "crm:ines", "--number-of-leads-to-process=1000"])
        .env_remove("HOST_SHIM_DATA")
        .stdin(Stdio::null());
    command
}

fn describe(output: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A platform with the plugin installed, full sync on, and `LEADS` leads queued.
fn prepare(dir: &Path, sim: &Simulator) {
    let mut host = Host::open(dir).expect("host");
    host.install(&plugin_wasm()).expect("install");
    let account = SimConfig::default().accounts.remove(0);
    // The required targets and the first name: no custom fields.
    let mapping = host_shim::demo::SEED_MAPPING.split_at(6).0;
    host.platform()
        .save_settings(&PluginSettings {
            ines_url: sim.base_url(),
            account: account.account,
            user: account.user,
            password: account.password,
            published: true,
            full_sync: true,
            mapping: mapping
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            // A killed run's rows are free again a second later.
            lease_seconds: 1,
            ..PluginSettings::default()
        })
        .expect("settings");
    for i in 0..LEADS {
        let company = host
            .platform()
            .find_or_create_company(&format!("Crash company {}", i / LEADS_PER_COMPANY))
            .expect("company");
        let mut lead = Lead::default();
        lead.fields
            .insert("email".into(), format!("crash{i}@example.com"));
        lead.fields.insert("firstname".into(), format!("Crash {i}"));
        lead.companies.push(CompanyLink {
            company_id: company.id,
            primary: true,
        });
        host.save_lead(lead).expect("lead saved and queued");
    }
}

#[test]
fn crm_ines_killed_at_varied_moments_loses_no_row_and_reports_every_possible_duplicate() {
    let sim = Simulator::start(SimConfig::default(), ([127, 0, 0, 1], 0).into()).expect("sim");
    let dir = tempfile::tempdir().expect("tempdir");
    prepare(dir.path(), &sim);

    let mut kills = 0;
    for delay_ms in [40, 80, 130, 190, 260, 340, 430, 530] {
        let mut child = crm_ines(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn crm:ines");
        std::thread::sleep(Duration::from_millis(delay_ms));
        if child.try_wait().expect("wait").is_none() {
            child.kill().expect("SIGKILL");
            kills += 1;
        }
        child.wait().expect("reaped");
    }
    assert!(
        kills >= 4,
        "the runs ended before they could be killed ({kills} kills)"
    );

    // Rerun to completion, letting the killed runs' leases lapse.
    let mut last = String::new();
    for _ in 0..20 {
        std::thread::sleep(Duration::from_millis(1100));
        let output = crm_ines(dir.path()).output().expect("crm:ines");
        assert!(output.status.success(), "{}", describe(&output));
        let report: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("a JSON report");
        last = describe(&output);
        if report["processed"] == 0 && report["enqueued_by_backfill"] == 0 {
            break;
        }
    }

    let host = Host::open(dir.path()).expect("host");
    let leads = host.platform().leads().expect("leads");
    assert_eq!(leads.len(), LEADS as usize);
    for lead in &leads {
        assert!(
            lead.fields
                .get("ines_contact_ref")
                .is_some_and(|r| !r.is_empty()),
            "lead {} was never synced; last run: {last}",
            lead.id
        );
    }
    let journal = host.sync_log(200).expect("journal");
    assert!(
        journal
            .iter()
            .all(|r| r.status == host_shim::bindings::exports::ines::crm::plugin::SyncStatus::Done),
        "{journal:?}"
    );
    let interrupted = interruptions(&host);
    // A kill interrupts at most the creations in flight: 4 with the default concurrency.
    assert!(
        interrupted.len() <= kills * 4,
        "{} interruptions for {kills} kills",
        interrupted.len()
    );
    let state = sim.state();
    // Each lead's own contact is the one its refs name; any other contact for it is an orphan.
    let mut contacts_per_lead = std::collections::BTreeMap::<&str, usize>::new();
    for contact in state.contacts.values() {
        *contacts_per_lead
            .entry(contact.get("AutomationRef"))
            .or_default() += 1;
    }
    assert_eq!(
        contacts_per_lead.len(),
        LEADS as usize,
        "every lead has a contact"
    );
    for (automation_ref, count) in &contacts_per_lead {
        let lead: u64 = automation_ref.parse().expect("a lead id");
        assert!(
            *count == 1 || interrupted.contains(&lead),
            "lead {lead} has {count} contacts and no interruption was reported"
        );
    }
    // A company with two INES clients must have had a client creation interrupted.
    let company_of_lead: std::collections::BTreeMap<u64, u64> = leads
        .iter()
        .filter_map(|l| l.companies.first().map(|c| (l.id, c.company_id)))
        .collect();
    let mut clients_per_company = std::collections::BTreeMap::<&str, usize>::new();
    for client in state.clients.values() {
        *clients_per_company
            .entry(client.get("AutomationRef"))
            .or_default() += 1;
    }
    let companies = (LEADS / LEADS_PER_COMPANY) as usize;
    assert_eq!(
        clients_per_company.len(),
        companies,
        "every company has a client"
    );
    for (automation_ref, count) in &clients_per_company {
        let company: u64 = automation_ref.parse().expect("a company id");
        assert!(
            *count == 1
                || interrupted
                    .iter()
                    .any(|lead| company_of_lead.get(lead) == Some(&company)),
            "company {company} has {count} INES clients and no interruption was reported"
        );
    }
    let extra_clients = state.clients.len() - companies;
    let extra_contacts = state.contacts.len() - LEADS as usize;
    for lead in &interrupted {
        let row = journal.iter().find(|r| r.lead_id == *lead);
        if let Some(row) = row {
            assert!(row.last_error.contains("may hold a duplicate"), "{row:?}");
        }
    }
    eprintln!(
        "{kills} runs killed; {} creations interrupted; INES extra records: {extra_clients} clients, {extra_contacts} contacts",
        interrupted.len()
    );
}

/// The leads whose creation was interrupted, as recorded in KV (`interrupted/<lead>`).
fn interruptions(host: &Host) -> BTreeSet<u64> {
    host.platform()
        .store()
        .kv_keys("ines", Some("interrupted/"), 100_000)
        .expect("kv")
        .into_iter()
        .filter_map(|k| {
            k.strip_prefix("interrupted/")
                .and_then(|id| id.parse().ok())
        })
        .collect()
}

#[test]
fn crm_ines_stopped_with_sigterm_finishes_its_call_so_nothing_is_duplicated() {
    let sim = Simulator::start(SimConfig::default(), ([127, 0, 0, 1], 0).into()).expect("sim");
    let dir = tempfile::tempdir().expect("tempdir");
    prepare(dir.path(), &sim);

    let child = crm_ines(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn crm:ines");
    std::thread::sleep(Duration::from_millis(150));
    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill -TERM");
    assert!(sent.success());
    let stopped = child.wait_with_output().expect("crm:ines ends");
    assert!(stopped.status.success(), "{}", describe(&stopped));
    let report: serde_json::Value = serde_json::from_slice(&stopped.stdout).expect("a report");
    let first = report["processed"].as_u64().expect("processed");
    assert!(
        first < u64::from(LEADS),
        "the run stopped early: {}",
        describe(&stopped)
    );
    assert!(String::from_utf8_lossy(&stopped.stderr).contains("stopped on request"));

    let finish = crm_ines(dir.path()).output().expect("crm:ines");
    assert!(finish.status.success(), "{}", describe(&finish));
    let report: serde_json::Value = serde_json::from_slice(&finish.stdout).expect("a report");
    assert_eq!(
        report["processed"].as_u64().map(|n| n + first),
        Some(u64::from(LEADS))
    );

    let host = Host::open(dir.path()).expect("host");
    assert!(
        interruptions(&host).is_empty(),
        "a graceful stop interrupts no creation"
    );
    let state = sim.state();
    assert_eq!(state.clients.len(), (LEADS / LEADS_PER_COMPANY) as usize);
    assert_eq!(state.contacts.len(), LEADS as usize);
}
