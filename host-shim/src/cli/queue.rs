//! The full sync seen from the platform: the `crm:ines` cron command, the journal ("Voir
//! journal de bord") and requeueing a FAILED lead.

use std::io::{IsTerminal, Write};

use clap::Args;
use host_shim::Host;
use host_shim::bindings::exports::ines::crm::plugin::{
    BatchReport, SyncAction, SyncLogRow, SyncStatus,
};
use serde::Serialize;

use crate::cli::print_logs;

/// Rows per plugin call, so a terminal can show progress between calls.
const CHUNK: u32 = 100;

#[derive(Args)]
pub struct CronArgs {
    /// The most leads to process in this run (the seed's option).
    #[arg(long = "number-of-leads-to-process", default_value_t = 10)]
    pub number: u32,
}

#[derive(Serialize, Default)]
struct ReportOut {
    processed: u32,
    done: u32,
    retried: u32,
    failed: u32,
    skipped: u32,
    enqueued_by_backfill: u32,
    ines_calls: u32,
    elapsed_ms: u64,
}

impl ReportOut {
    fn add(&mut self, r: &BatchReport) {
        self.processed += r.processed;
        self.done += r.done;
        self.retried += r.retried;
        self.failed += r.failed;
        self.skipped += r.skipped;
        self.enqueued_by_backfill += r.enqueued_by_backfill;
        self.ines_calls += r.ines_calls;
        self.elapsed_ms += r.elapsed_ms;
    }
}

fn progress(done: u32, total: u32) {
    let width = 30;
    let filled = (u64::from(done) * width / u64::from(total.max(1))) as usize;
    let bar = format!(
        "{}{}",
        "#".repeat(filled),
        " ".repeat(width as usize - filled.min(30))
    );
    eprint!("\r[{bar}] {done}/{total}");
    let _ = std::io::stderr().flush();
}

/// `crm:ines`: processes up to N queued leads, in calls of at most [`CHUNK`]; stops early
/// when the queue runs dry. Exit status 1 when a row failed for good.
///
/// SIGTERM or SIGINT (a scheduler stopping the job, Ctrl-C) ends the run after the current
/// call: killing it mid-call could leave INES with a record whose ref was never saved.
pub fn cron(host: &Host, args: CronArgs, json: bool) -> anyhow::Result<bool> {
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(signal, std::sync::Arc::clone(&stop))?;
    }
    let tty = std::io::stderr().is_terminal() && !json;
    let mut total = ReportOut::default();
    let mut remaining = args.number;
    loop {
        let asked = remaining.min(CHUNK);
        let report = host.run_batch(asked);
        print_logs(host);
        let report = report?;
        total.add(&report);
        remaining -= report.processed.min(remaining);
        if tty {
            progress(args.number - remaining, args.number);
        }
        if report.processed < asked || remaining == 0 {
            break;
        }
        if stop.load(std::sync::atomic::Ordering::Relaxed) {
            eprintln!(
                "crm:ines: stopped on request after {} leads",
                total.processed
            );
            break;
        }
    }
    if tty {
        eprintln!();
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&total)?);
    } else {
        println!(
            "crm:ines: {} processed ({} done, {} to retry, {} failed, {} skipped); {} queued by the initial sync; {} INES calls in {:.2} s",
            total.processed,
            total.done,
            total.retried,
            total.failed,
            total.skipped,
            total.enqueued_by_backfill,
            total.ines_calls,
            total.elapsed_ms as f64 / 1000.0
        );
    }
    Ok(total.failed == 0)
}

#[derive(Serialize)]
struct RowOut<'a> {
    queued_at: String,
    action: &'static str,
    lead_id: u64,
    email: &'a str,
    company: &'a str,
    status: &'static str,
    attempts: u32,
    updated_at: String,
    last_error: &'a str,
}

/// `YYYY-MM-DD hh:mm:ss` UTC.
fn when(unix: u64) -> String {
    let days = unix / 86_400;
    let secs = unix % 86_400;
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        secs / 3600,
        (secs % 3600) / 60,
        secs % 60
    )
}

fn row_out(r: &SyncLogRow) -> RowOut<'_> {
    RowOut {
        queued_at: when(r.queued_at),
        action: match r.action {
            SyncAction::Update => "UPDATE",
            SyncAction::Delete => "DELETE",
        },
        lead_id: r.lead_id,
        email: &r.email,
        company: &r.company,
        status: match r.status {
            SyncStatus::Pending => "PENDING",
            SyncStatus::Done => "DONE",
            SyncStatus::Failed => "FAILED",
            SyncStatus::Skipped => "SKIPPED",
        },
        attempts: r.attempts,
        updated_at: when(r.updated_at),
        last_error: &r.last_error,
    }
}

/// The journal, newest first.
pub fn log(host: &Host, limit: u32, json: bool) -> anyhow::Result<bool> {
    let rows = host.sync_log(limit)?;
    let rows: Vec<RowOut> = rows.iter().map(row_out).collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(true);
    }
    if rows.is_empty() {
        println!("the journal is empty (full sync queues leads when they are saved)");
        return Ok(true);
    }
    println!(
        "{:<19}  {:<6}  {:>6}  {:<28}  {:<20}  {:<7}  {:>3}  {:<19}  LAST ERROR",
        "QUEUED (UTC)", "ACTION", "LEAD", "EMAIL", "COMPANY", "STATUS", "TRY", "UPDATED (UTC)"
    );
    for r in &rows {
        println!(
            "{:<19}  {:<6}  {:>6}  {:<28}  {:<20}  {:<7}  {:>3}  {:<19}  {}",
            r.queued_at,
            r.action,
            r.lead_id,
            clip(r.email, 28),
            clip(r.company, 20),
            r.status,
            r.attempts,
            r.updated_at,
            r.last_error
        );
    }
    Ok(true)
}

fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        let mut out: String = text.chars().take(width - 1).collect();
        out.push('…');
        out
    }
}

pub fn requeue(host: &Host, lead: u64, json: bool) -> anyhow::Result<bool> {
    host.requeue(lead)?;
    if json {
        println!("{}", serde_json::json!({ "requeued": lead }));
    } else {
        println!("lead {lead} is queued again");
    }
    Ok(true)
}
