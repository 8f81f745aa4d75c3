//! Benchmarks that print figures (never run as tests): batch throughput against the simulator
//! with added latency at several in-flight settings, and the host's per-call overhead.
//!
//! `ines-bench --component PATH [--leads N] [--latency-ms MS] [--concurrency 1,4]`

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;
use host_shim::Host;
use host_shim::display::ScratchDir;
use host_shim::platform::{CompanyLink, FieldDef, FieldKind, Lead, PluginSettings};
use ines_sim::{Knob, SimConfig, Simulator};

#[derive(Parser)]
struct Args {
    #[arg(long)]
    component: PathBuf,
    #[arg(long, default_value_t = 1000)]
    leads: u32,
    #[arg(long, default_value_t = 20)]
    latency_ms: u64,
    /// In-flight settings to compare (0 = the plugin's default).
    #[arg(long, value_delimiter = ',', default_value = "1,0")]
    concurrency: Vec<u32>,
    /// Calls to time for the per-call overhead.
    #[arg(long, default_value_t = 200)]
    calls: u32,
}

/// The required targets and the first name: no custom fields, so a lead costs two calls.
const MAPPING: &[(&str, &str)] = host_shim::demo::SEED_MAPPING.split_at(6).0;

fn platform(component: &std::path::Path, sim: &Simulator) -> anyhow::Result<(Host, ScratchDir)> {
    let dir = ScratchDir::new("ines-bench")?;
    let mut host = Host::open(dir.path())?;
    host.install(component)?;
    let account = SimConfig::default()
        .accounts
        .first()
        .cloned()
        .context("no account")?;
    host.platform().save_settings(&PluginSettings {
        ines_url: sim.base_url(),
        account: account.account,
        user: account.user,
        password: account.password,
        published: true,
        push_contacts: true,
        full_sync: true,
        mapping: MAPPING
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..PluginSettings::default()
    })?;
    Ok((host, dir))
}

fn seed_leads(host: &Host, count: u32) -> anyhow::Result<()> {
    host.platform().ensure_field(&FieldDef {
        alias: "ines_stop_sync".into(),
        label: "Stop".into(),
        kind: FieldKind::Boolean,
    })?;
    for i in 0..count {
        let company = host
            .platform()
            .find_or_create_company(&format!("Bench company {}", i / 4))?;
        let mut lead = Lead::default();
        lead.fields
            .insert("email".into(), format!("lead{i}@bench.example"));
        lead.fields.insert("firstname".into(), format!("Lead {i}"));
        lead.companies.push(CompanyLink {
            company_id: company.id,
            primary: true,
        });
        // Saved through the platform: full sync queues each one.
        host.save_lead(lead)?;
    }
    Ok(())
}

/// One login posted by a bare HTTP client: what the simulator ("INES") itself costs.
fn raw_login(sim: &Simulator) -> anyhow::Result<()> {
    use std::io::{Read, Write};
    let body = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>\
        <authenticationWs xmlns=\"http://webservice.ines.fr\"><request><compte>ACME</compte>\
        <userName>jdupont</userName><password>s3cret</password></request></authenticationWs>\
        </soap:Body></soap:Envelope>";
    let mut stream = std::net::TcpStream::connect(sim.addr())?;
    write!(
        stream,
        "POST /wslogin/login.asmx HTTP/1.1\r\nHost: {}\r\nContent-Type: text/xml; charset=utf-8\r\n\
         SOAPAction: \"http://webservice.ines.fr/authenticationWs\"\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        sim.addr(),
        body.len()
    )?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    anyhow::ensure!(
        answer.contains("<codeReturn>ok</codeReturn>"),
        "login refused: {answer}"
    );
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    println!(
        "batch: {} queued leads, never synced (4 per company), {} ms added per INES call, crm:ines --number-of-leads-to-process={}",
        args.leads, args.latency_ms, args.leads
    );
    for &concurrency in &args.concurrency {
        let sim = Simulator::start(SimConfig::default(), ([127, 0, 0, 1], 0).into())?;
        let (host, dir) = platform(&args.component, &sim)?;
        let mut settings = host.platform().settings()?;
        settings.batch_concurrency = concurrency;
        host.platform().save_settings(&settings)?;
        seed_leads(&host, args.leads)?;
        sim.set_knob(
            None,
            Knob::Latency(Duration::from_millis(args.latency_ms)),
            None,
        );
        let started = Instant::now();
        let report = host.run_batch(args.leads)?;
        let elapsed = started.elapsed();
        let (done, calls) = (report.done, report.ines_calls);
        println!(
            "  in-flight {:>2}{}: {done} leads done in {:.2} s ({:.1} leads/s, {calls} INES calls)",
            if concurrency == 0 { 4 } else { concurrency },
            if concurrency == 0 { " (default)" } else { "" },
            elapsed.as_secs_f64(),
            f64::from(done) / elapsed.as_secs_f64()
        );
        drop(host);
        drop(dir);
    }

    let sim = Simulator::start(SimConfig::default(), ([127, 0, 0, 1], 0).into())?;
    let (host, dir) = platform(&args.component, &sim)?;
    let time = |f: &dyn Fn() -> anyhow::Result<()>| -> anyhow::Result<Duration> {
        f()?;
        let started = Instant::now();
        for _ in 0..args.calls {
            f()?;
        }
        Ok(started.elapsed() / args.calls)
    };
    let mapping = time(&|| Ok(host.get_mapping().map(|_| ())?))?;
    let connection = time(&|| Ok(host.test_connection()?))?;
    let ines = time(&|| raw_login(&sim))?;
    println!(
        "per call, mean of {} (loopback simulator, no added latency):",
        args.calls
    );
    println!(
        "  get-mapping (fresh instance + call, no I/O):   {:>8.3} ms",
        mapping.as_secs_f64() * 1000.0
    );
    println!(
        "  test-connection (fresh instance + one login):  {:>8.3} ms",
        connection.as_secs_f64() * 1000.0
    );
    println!(
        "  the same login by a bare HTTP client (INES):   {:>8.3} ms",
        ines.as_secs_f64() * 1000.0
    );
    println!(
        "  test-connection excluding INES time:           {:>8.3} ms",
        connection.saturating_sub(ines).as_secs_f64() * 1000.0
    );
    drop(host);
    drop(dir);
    form_latency(&args)?;
    Ok(())
}

/// What a visitor waits for: one form push (create, then an update of one field) with the
/// seed mapping (two custom fields) and the added latency per INES call.
fn form_latency(args: &Args) -> anyhow::Result<()> {
    let sim = Simulator::start(SimConfig::default(), ([127, 0, 0, 1], 0).into())?;
    let (host, dir) = platform(&args.component, &sim)?;
    for alias in ["niveau", "secteur"] {
        host.platform().ensure_field(&FieldDef {
            alias: alias.into(),
            label: alias.into(),
            kind: FieldKind::Text,
        })?;
    }
    let mut settings = host.platform().settings()?;
    settings.full_sync = false;
    settings.mapping = host_shim::demo::SEED_MAPPING
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    host.platform().save_settings(&settings)?;
    host.describe()?;
    sim.set_knob(
        None,
        Knob::Latency(Duration::from_millis(args.latency_ms)),
        None,
    );
    let submit = |firstname: &str| -> anyhow::Result<(Duration, String, usize)> {
        sim.clear_calls();
        let values = [
            ("email", "visitor@bench.example"),
            ("company", "Visitor SA"),
            ("firstname", firstname),
            ("niveau", "Gold"),
            ("secteur", "Industrie"),
        ];
        let form = host_shim::FormSubmission::new(1, "Contact us", &values);
        let started = Instant::now();
        let result = host.submit_form(&form)?;
        Ok((started.elapsed(), result.outcome, sim.calls().len()))
    };
    println!(
        "form push, seed mapping with two custom fields, {} ms added per INES call:",
        args.latency_ms
    );
    for (what, firstname) in [("first submit", "Jean"), ("one field changed", "Jacques")] {
        let (took, outcome, calls) = submit(firstname)?;
        println!(
            "  {what:<18} {outcome:<8} {:>7.1} ms ({calls} INES calls)",
            took.as_secs_f64() * 1000.0
        );
    }
    drop(host);
    drop(dir);
    Ok(())
}
