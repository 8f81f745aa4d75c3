//! One run of the `crm:ines` cron command (behaviour.md §5.2–§5.3): claim pending rows oldest
//! first, push them with several INES requests in flight, record each row's result, then top
//! the queue up from never-synced leads when it ran dry.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::hash::{BuildHasher, Hasher};

use crate::client::{ClientError, InesClient};
use crate::exec::{self, Reactor};
use crate::ines::ops::SyncInfo;
use crate::lead::Lead;
use crate::mapping::Mapping;
use crate::ports::{Clock, Http, Kv, KvError, LogLevel, Platform};
use crate::push::{CompanyGate, Origin, PushError, PushOutcome, Pusher, refusal};
use crate::queue::{Action, Entry, Event, Lease, Queue, Status};

/// Requests in flight when the settings leave it to the plugin.
pub const DEFAULT_CONCURRENCY: u32 = 4;
/// The most a setting may ask for.
pub const MAX_CONCURRENCY: u32 = 32;
/// How long a run may hold a row before another run may take it, unless the settings say.
pub const DEFAULT_LEASE_SECS: u64 = 120;
/// Leads the initial sync adds to an empty queue per run (the seed's figure).
pub const BACKFILL_BATCH: usize = 100;
/// Never-synced leads examined per run at most, so a run over ineligible leads stays short.
const BACKFILL_SCAN_LIMIT: usize = 2000;
const BACKFILL_CURSOR_KEY: &str = "q/backfill-cursor";

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub processed: u32,
    pub done: u32,
    pub retried: u32,
    pub failed: u32,
    pub skipped: u32,
    pub enqueued_by_backfill: u32,
    pub ines_calls: u32,
    pub elapsed_ms: u64,
}

/// How one row ended.
enum RowResult {
    /// Done, with a note for the journal (usually empty).
    Done(String),
    Skipped(String),
    Failed {
        error: String,
        permanent: bool,
    },
    /// INES cannot be used by this run at all: the row goes back untouched.
    Abort(ClientError),
}

/// Hands out rows to the run's workers: scans pending rows oldest first and claims each with
/// a lease before anyone works on it.
struct Claimer<'a, K: Kv> {
    queue: Queue<'a, K>,
    run: String,
    now: u64,
    lease_secs: u64,
    remaining: Cell<u32>,
    scan_from: Cell<u64>,
    buffer: RefCell<VecDeque<Entry>>,
    exhausted: Cell<bool>,
}

impl<K: Kv> Claimer<'_, K> {
    fn claim(&self) -> Result<Option<Entry>, KvError> {
        while self.remaining.get() > 0 && !self.exhausted.get() {
            let next = self.buffer.borrow_mut().pop_front();
            let Some(candidate) = next else {
                let (rows, from) = self.queue.pending(self.scan_from.get(), 32, self.now)?;
                self.scan_from.set(from);
                if rows.is_empty() {
                    self.exhausted.set(true);
                }
                self.buffer.borrow_mut().extend(rows);
                continue;
            };
            let lease = Lease {
                run: self.run.clone(),
                until: self.now + self.lease_secs,
            };
            if let Some(claimed) =
                self.queue
                    .transition(&candidate, Event::Claimed(lease), self.now)?
            {
                self.remaining.set(self.remaining.get() - 1);
                return Ok(Some(claimed));
            }
            // Another run claimed or changed it first: move on.
        }
        Ok(None)
    }
}

/// An id for this run's leases, distinct across concurrent runs.
fn run_id(clock: &impl Clock) -> String {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(clock.monotonic_ms());
    format!("{:016x}", hasher.finish())
}

/// Everything a run needs.
pub struct Run<'a, 'c, H: Http, K: Kv, P: Platform, C: Clock> {
    pub client: &'a InesClient<'c, H, K>,
    pub kv: &'a K,
    pub platform: &'a P,
    pub clock: &'a C,
    pub info: &'a SyncInfo,
    pub mapping: &'a Mapping,
    pub concurrency: u32,
    pub lease_secs: u64,
}

impl<H: Http, K: Kv, P: Platform, C: Clock> Run<'_, '_, H, K, P, C> {
    /// Processes up to `max` rows and tops the queue up; `Err` only when INES could not be
    /// used at all (the rows it held go back untouched).
    pub fn execute(&self, reactor: &impl Reactor, max: u32) -> Result<Report, RunError> {
        let started = self.clock.monotonic_ms();
        let now = self.clock.now_unix();
        let run = run_id(self.clock);
        let claimer = Claimer {
            queue: Queue::new(self.kv),
            run: run.clone(),
            now,
            lease_secs: self.lease_secs,
            remaining: Cell::new(max),
            scan_from: Cell::new(0),
            buffer: RefCell::new(VecDeque::new()),
            exhausted: Cell::new(false),
        };
        let gate = CompanyGate::new(run, self.lease_secs);
        let pusher = Pusher {
            client: self.client,
            kv: self.kv,
            platform: self.platform,
            info: self.info,
            mapping: self.mapping,
            now: crate::ports::ines_datetime(now),
            gate: &gate,
            clock: self.clock,
            warnings: Default::default(),
        };
        let report = RefCell::new(Report::default());
        let abort: RefCell<Option<ClientError>> = RefCell::new(None);
        let storage: RefCell<Option<KvError>> = RefCell::new(None);
        let worker = || async {
            while abort.borrow().is_none() && storage.borrow().is_none() {
                let entry = match claimer.claim() {
                    Ok(Some(e)) => e,
                    Ok(None) => break,
                    Err(e) => {
                        *storage.borrow_mut() = Some(e);
                        break;
                    }
                };
                let result = self.process(&pusher, &entry).await;
                let recorded = self.record(&claimer.queue, &entry, result, now, &report, &abort);
                if let Err(e) = recorded {
                    *storage.borrow_mut() = Some(e);
                }
            }
        };
        let workers = self.concurrency.clamp(1, MAX_CONCURRENCY);
        exec::run_bounded(reactor, workers as usize, (0..workers).map(|_| worker()))
            .map_err(|e| RunError::Ines(ClientError::Stalled(e)))?;
        if let Some(e) = storage.into_inner() {
            return Err(RunError::Kv(e));
        }
        if let Some(e) = abort.into_inner() {
            return Err(RunError::Ines(e));
        }
        let mut report = report.into_inner();
        if !claimer.queue.has_pending()? {
            report.enqueued_by_backfill = self.backfill(now)?;
        }
        claimer.queue.prune()?;
        report.ines_calls = self.client.requests_sent();
        report.elapsed_ms = self.clock.monotonic_ms().saturating_sub(started);
        Ok(report)
    }

    async fn process(&self, pusher: &Pusher<'_, '_, H, K, P>, entry: &Entry) -> RowResult {
        let outcome = match entry.action {
            Action::Update => match self.platform.get_lead(entry.lead) {
                None => return RowResult::Skipped("the lead no longer exists".into()),
                Some(lead) => pusher.push(&lead, Origin::Queue).await,
            },
            Action::Delete if entry.contact_ref <= 0 => {
                return RowResult::Skipped("the lead was never synchronised".into());
            }
            Action::Delete => pusher
                .flag_deleted(entry.contact_ref)
                .await
                .map(|()| PushOutcome::Updated),
        };
        let note = pusher
            .warnings
            .borrow()
            .iter()
            .filter(|(lead, _)| *lead == entry.lead)
            .map(|(_, w)| w.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        match outcome {
            Ok(PushOutcome::Refused(reason)) => RowResult::Skipped(reason),
            Ok(_) => RowResult::Done(note),
            Err(PushError::Ines(
                e @ (ClientError::Unreachable { .. }
                | ClientError::Denied { .. }
                | ClientError::CredentialsRefused { .. }
                | ClientError::LoginFailed { .. }),
            )) => RowResult::Abort(e),
            Err(e) => RowResult::Failed {
                permanent: e.is_permanent(),
                error: e.to_string(),
            },
        }
    }

    fn record(
        &self,
        queue: &Queue<'_, K>,
        entry: &Entry,
        result: RowResult,
        now: u64,
        report: &RefCell<Report>,
        abort: &RefCell<Option<ClientError>>,
    ) -> Result<(), KvError> {
        let event = match result {
            RowResult::Done(note) => Event::Succeeded { note },
            RowResult::Skipped(reason) => Event::Skipped { reason },
            RowResult::Failed { error, permanent } => Event::Failed { error, permanent },
            RowResult::Abort(e) => {
                abort.borrow_mut().get_or_insert(e);
                Event::Released
            }
        };
        let released = event == Event::Released;
        match queue.transition(entry, event, now)? {
            None => self.platform.log(
                LogLevel::Warn,
                &format!(
                    "queue row {} of lead {} changed while this run held it; its result was not recorded",
                    entry.seq, entry.lead
                ),
            ),
            Some(_) if released => {}
            Some(row) => {
                let mut r = report.borrow_mut();
                r.processed += 1;
                match row.status {
                    Status::Done => r.done += 1,
                    Status::Skipped => r.skipped += 1,
                    Status::Failed => r.failed += 1,
                    Status::Pending => r.retried += 1,
                }
                if row.status == Status::Failed || row.status == Status::Pending {
                    self.platform.log(
                        LogLevel::Warn,
                        &format!(
                            "lead {} failed (attempt {}): {}",
                            row.lead, row.attempts, row.last_error
                        ),
                    );
                }
            }
        }
        Ok(())
    }

    /// Initial sync (§5.3): queues up to [`BACKFILL_BATCH`] never-synced eligible leads,
    /// walking a persistent cursor by lead id, never a lead the queue has seen before.
    fn backfill(&self, now: u64) -> Result<u32, KvError> {
        let queue = Queue::new(self.kv);
        let mut cursor: u64 = self
            .kv
            .get(BACKFILL_CURSOR_KEY)?
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut enqueued = 0;
        let mut examined = 0;
        'pages: while (enqueued as usize) < BACKFILL_BATCH && examined < BACKFILL_SCAN_LIMIT {
            let ids =
                self.platform
                    .list_unsynced_leads(&self.mapping.contact_ref_field, cursor, 100);
            if ids.is_empty() {
                break;
            }
            for id in ids {
                examined += 1;
                if queue.pointer(id)?.is_none()
                    && let Some(lead) = self.platform.get_lead(id)
                    && eligible(&lead, self.mapping)
                {
                    queue.enqueue(
                        id,
                        Action::Update,
                        lead.email(),
                        lead.company_name(),
                        0,
                        now,
                    )?;
                    enqueued += 1;
                }
                cursor = cursor.max(id);
                if enqueued as usize >= BACKFILL_BATCH {
                    break 'pages;
                }
            }
        }
        self.kv
            .set(BACKFILL_CURSOR_KEY, cursor.to_string().as_bytes())?;
        Ok(enqueued)
    }
}

fn eligible(lead: &Lead, mapping: &Mapping) -> bool {
    refusal(lead, &mapping.stop_sync_field).is_none()
}

/// Why a run stopped early.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Ines(#[from] ClientError),
    #[error(transparent)]
    Kv(#[from] KvError),
}
