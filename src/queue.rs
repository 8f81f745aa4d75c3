//! The full-sync queue and its log ("journal de bord", behaviour.md §5): a pure state machine
//! for one row, and the row's layout in KV.
//!
//! Layout: every enqueue that cannot merge into a pending row gets the next sequence number
//! `seq` and an entry `q/e/<seq>`; `q/lead/<id>` points at the lead's latest entry. Pending
//! rows are found by scanning entries upward from `q/head` (everything below it is finished),
//! the log by scanning down from `q/tail`. Each operation touches a constant number of keys,
//! whatever the queue length.

use serde::{Deserialize, Serialize};

use crate::ports::{Kv, KvError};

/// Failed attempts after which a row is given up (the seed's rule).
pub const MAX_ATTEMPTS: u32 = 3;
/// Finished entries kept behind the newest, for the log (which shows 200).
pub const KEPT_ENTRIES: u64 = 1000;
/// Rows shown by the log at most.
pub const LOG_LIMIT: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    Update,
    Delete,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Pending,
    Done,
    Failed,
    Skipped,
}

/// A run's claim on a row, so that two runs never process the same row. It expires, so a
/// run that died does not block the row for ever.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lease {
    pub run: String,
    pub until: u64,
}

/// One queue row, which is also one line of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub seq: u64,
    pub lead: u64,
    pub action: Action,
    pub status: Status,
    pub attempts: u32,
    pub queued_at: u64,
    pub updated_at: u64,
    pub last_error: String,
    pub email: String,
    pub company: String,
    /// For a deletion: the INES contact to flag (the lead itself is gone).
    #[serde(default)]
    pub contact_ref: i32,
    #[serde(default)]
    pub lease: Option<Lease>,
}

/// What happens to a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The lead was saved, deleted or moved again while this row is pending: the last action
    /// wins.
    Merge {
        action: Action,
        email: String,
        company: String,
        contact_ref: i32,
    },
    Claimed(Lease),
    /// Done; `note` (usually empty) is kept for the journal.
    Succeeded {
        note: String,
    },
    /// One failed attempt; `permanent` when a retry cannot succeed.
    Failed {
        error: String,
        permanent: bool,
    },
    /// Not processed, for a reason that is not a failure (stop-sync, not eligible).
    Skipped {
        reason: String,
    },
    /// The run gave the row back without an attempt (INES unreachable for the whole run).
    Released,
    /// The user asked for a FAILED row to be tried again.
    Requeued,
}

impl Entry {
    pub fn is_pending(&self) -> bool {
        self.status == Status::Pending
    }

    /// Held by a run whose lease has not expired.
    pub fn is_leased(&self, now: u64) -> bool {
        self.lease.as_ref().is_some_and(|l| l.until > now)
    }

    /// The row after `event` at time `now`: the queue's state machine, without I/O.
    pub fn next(&self, event: Event, now: u64) -> Entry {
        let mut e = self.clone();
        match (self.status, event) {
            (
                Status::Pending,
                Event::Merge {
                    action,
                    email,
                    company,
                    contact_ref,
                },
            ) => {
                e.action = action;
                e.email = email;
                e.company = company;
                if contact_ref > 0 {
                    e.contact_ref = contact_ref;
                }
            }
            (Status::Pending, Event::Claimed(lease)) => e.lease = Some(lease),
            (Status::Pending, Event::Succeeded { note }) => {
                e.attempts += 1;
                e.status = Status::Done;
                e.last_error = note;
                e.lease = None;
            }
            (Status::Pending, Event::Failed { error, permanent }) => {
                e.attempts += 1;
                e.last_error = error;
                e.lease = None;
                if permanent || e.attempts >= MAX_ATTEMPTS {
                    e.status = Status::Failed;
                }
            }
            (Status::Pending, Event::Skipped { reason }) => {
                e.status = Status::Skipped;
                e.last_error = reason;
                e.lease = None;
            }
            (Status::Pending, Event::Released) => e.lease = None,
            (Status::Failed, Event::Requeued) => {
                e.status = Status::Pending;
                e.attempts = 0;
                e.lease = None;
            }
            // Anything else leaves a finished row as it is: it is history.
            _ => return e,
        }
        e.updated_at = now;
        e
    }
}

/// What the per-lead pointer remembers, so a lead's last status survives pruning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadPointer {
    pub seq: u64,
    pub status: Status,
}

fn entry_key(seq: u64) -> String {
    format!("q/e/{seq}")
}
fn lead_key(lead: u64) -> String {
    format!("q/lead/{lead}")
}
const HEAD_KEY: &str = "q/head";
const TAIL_KEY: &str = "q/tail";
const PRUNED_KEY: &str = "q/pruned";

fn decode<T: for<'de> Deserialize<'de>>(bytes: Option<Vec<u8>>) -> Option<T> {
    bytes.and_then(|b| serde_json::from_slice(&b).ok())
}

fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, KvError> {
    serde_json::to_vec(value).map_err(|e| KvError(e.to_string()))
}

fn read_u64(kv: &impl Kv, key: &str) -> Result<u64, KvError> {
    Ok(kv
        .get(key)?
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0))
}

/// Raises a counter to at least `value` (never lowers it), safely against other runs.
fn raise(kv: &impl Kv, key: &str, value: u64) -> Result<(), KvError> {
    loop {
        let current = kv.get(key)?;
        let now: u64 = current
            .as_deref()
            .and_then(|b| std::str::from_utf8(b).ok())
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        if now >= value {
            return Ok(());
        }
        if kv.compare_and_swap(key, current.as_deref(), value.to_string().as_bytes())? {
            return Ok(());
        }
    }
}

/// The queue over a KV bucket.
pub struct Queue<'a, K: Kv> {
    kv: &'a K,
}

impl<'a, K: Kv> Queue<'a, K> {
    pub fn new(kv: &'a K) -> Self {
        Queue { kv }
    }

    pub fn entry(&self, seq: u64) -> Result<Option<Entry>, KvError> {
        Ok(decode(self.kv.get(&entry_key(seq))?))
    }

    pub fn pointer(&self, lead: u64) -> Result<Option<LeadPointer>, KvError> {
        Ok(decode(self.kv.get(&lead_key(lead))?))
    }

    /// The lead's latest row.
    pub fn latest(&self, lead: u64) -> Result<Option<Entry>, KvError> {
        match self.pointer(lead)? {
            Some(p) => self.entry(p.seq),
            None => Ok(None),
        }
    }

    fn next_seq(&self) -> Result<u64, KvError> {
        loop {
            let current = self.kv.get(TAIL_KEY)?;
            let tail: u64 = current
                .as_deref()
                .and_then(|b| std::str::from_utf8(b).ok())
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            let next = tail + 1;
            if self.kv.compare_and_swap(
                TAIL_KEY,
                current.as_deref(),
                next.to_string().as_bytes(),
            )? {
                return Ok(next);
            }
        }
    }

    /// Writes a row and, when it is the lead's latest, its pointer, in one atomic write.
    pub fn store(&self, entry: &Entry) -> Result<(), KvError> {
        let key = entry_key(entry.seq);
        let bytes = encode(entry)?;
        let pointer_is_ours = self.pointer(entry.lead)?.is_none_or(|p| p.seq <= entry.seq);
        if pointer_is_ours {
            let pointer = encode(&LeadPointer {
                seq: entry.seq,
                status: entry.status,
            })?;
            let lead_key = lead_key(entry.lead);
            self.kv
                .apply(&[(&key, Some(&bytes)), (&lead_key, Some(&pointer))])
        } else {
            self.kv.set(&key, &bytes)
        }
    }

    /// Applies `event` to row `seq` only if it still is `expected` (compare-and-swap), so a
    /// claim or a result never overwrites another run's change. Returns the new row, or none
    /// when the row changed underneath.
    pub fn transition(
        &self,
        expected: &Entry,
        event: Event,
        now: u64,
    ) -> Result<Option<Entry>, KvError> {
        let next = expected.next(event, now);
        let key = entry_key(expected.seq);
        let old = encode(expected)?;
        if !self
            .kv
            .compare_and_swap(&key, Some(&old), &encode(&next)?)?
        {
            return Ok(None);
        }
        // Only a finished row changes what the pointer summarises; a claim or a merge does not
        // (one KV write less on the hot path of every row).
        if !next.is_pending() && self.pointer(next.lead)?.is_none_or(|p| p.seq <= next.seq) {
            let pointer = encode(&LeadPointer {
                seq: next.seq,
                status: next.status,
            })?;
            self.kv.set(&lead_key(next.lead), &pointer)?;
        }
        Ok(Some(next))
    }

    /// Queues `action` for a lead: merges into its pending row if it has one that no run
    /// holds (the last action wins), else adds a new row. Constant KV cost.
    pub fn enqueue(
        &self,
        lead: u64,
        action: Action,
        email: &str,
        company: &str,
        contact_ref: i32,
        now: u64,
    ) -> Result<Entry, KvError> {
        if let Some(current) = self.latest(lead)?
            && current.is_pending()
            && !current.is_leased(now)
        {
            let merge = Event::Merge {
                action,
                email: email.to_string(),
                company: company.to_string(),
                contact_ref,
            };
            if let Some(merged) = self.transition(&current, merge, now)? {
                return Ok(merged);
            }
        }
        let entry = Entry {
            seq: self.next_seq()?,
            lead,
            action,
            status: Status::Pending,
            attempts: 0,
            queued_at: now,
            updated_at: now,
            last_error: String::new(),
            email: email.to_string(),
            company: company.to_string(),
            contact_ref,
            lease: None,
        };
        self.store(&entry)?;
        Ok(entry)
    }

    /// Puts a FAILED lead back in the queue as a fresh pending row.
    pub fn requeue(&self, lead: u64, now: u64) -> Result<Option<Entry>, KvError> {
        match self.latest(lead)? {
            Some(e) if e.status == Status::Failed => {
                let fresh = Entry {
                    seq: self.next_seq()?,
                    status: Status::Pending,
                    attempts: 0,
                    queued_at: now,
                    updated_at: now,
                    last_error: String::new(),
                    lease: None,
                    ..e
                };
                self.store(&fresh)?;
                Ok(Some(fresh))
            }
            _ => Ok(None),
        }
    }

    /// Pending rows no run holds, oldest first, at most `limit`, starting at `from` (a
    /// sequence number; 0 = from the head). Advances the head past finished rows on the way.
    /// Returns the rows and where the next scan may start.
    pub fn pending(&self, from: u64, limit: usize, now: u64) -> Result<(Vec<Entry>, u64), KvError> {
        let head = read_u64(self.kv, HEAD_KEY)?;
        let tail = read_u64(self.kv, TAIL_KEY)?;
        let mut seq = from.max(head + 1);
        let mut found = Vec::new();
        let mut finished_prefix = from <= head + 1;
        let mut new_head = head;
        'scan: while seq <= tail {
            let window: Vec<String> = (seq..=tail.min(seq + 63)).map(entry_key).collect();
            let keys: Vec<&str> = window.iter().map(String::as_str).collect();
            let start = seq;
            for (offset, bytes) in self.kv.get_many(&keys)?.into_iter().enumerate() {
                let this = start + offset as u64;
                seq = this + 1;
                let entry: Option<Entry> = decode(bytes);
                let pending = entry.as_ref().is_some_and(Entry::is_pending);
                if finished_prefix && !pending {
                    new_head = this;
                } else {
                    finished_prefix = false;
                }
                if let Some(e) = entry
                    && pending
                    && !e.is_leased(now)
                {
                    found.push(e);
                    if found.len() >= limit {
                        break 'scan;
                    }
                }
            }
        }
        if new_head > head {
            raise(self.kv, HEAD_KEY, new_head)?;
        }
        Ok((found, seq))
    }

    /// Whether any row is still pending (leased or not).
    pub fn has_pending(&self) -> Result<bool, KvError> {
        let (rows, _) = self.pending(0, 1, 0)?;
        Ok(!rows.is_empty())
    }

    /// The newest rows first, at most `limit` (capped at [`LOG_LIMIT`]).
    pub fn log(&self, limit: usize) -> Result<Vec<Entry>, KvError> {
        let limit = limit.min(LOG_LIMIT);
        let tail = read_u64(self.kv, TAIL_KEY)?;
        let floor = read_u64(self.kv, PRUNED_KEY)?;
        let mut rows = Vec::new();
        let mut top = tail;
        while top > floor && rows.len() < limit {
            let bottom = top.saturating_sub(64).max(floor);
            let window: Vec<String> = (bottom + 1..=top).rev().map(entry_key).collect();
            let keys: Vec<&str> = window.iter().map(String::as_str).collect();
            rows.extend(
                self.kv
                    .get_many(&keys)?
                    .into_iter()
                    .filter_map(decode::<Entry>),
            );
            top = bottom;
        }
        rows.truncate(limit);
        Ok(rows)
    }

    /// Deletes finished rows older than the newest [`KEPT_ENTRIES`]; never a pending one
    /// (everything at or below the head is finished). Per-lead pointers stay.
    pub fn prune(&self) -> Result<u64, KvError> {
        let head = read_u64(self.kv, HEAD_KEY)?;
        let tail = read_u64(self.kv, TAIL_KEY)?;
        let pruned = read_u64(self.kv, PRUNED_KEY)?;
        let upto = head.min(tail.saturating_sub(KEPT_ENTRIES));
        if upto <= pruned {
            return Ok(0);
        }
        // A bounded amount per call keeps every run's cost bounded too.
        let upto = upto.min(pruned + 500);
        let keys: Vec<String> = (pruned + 1..=upto).map(entry_key).collect();
        let writes: Vec<(&str, Option<&[u8]>)> = keys.iter().map(|k| (k.as_str(), None)).collect();
        self.kv.apply(&writes)?;
        raise(self.kv, PRUNED_KEY, upto)?;
        Ok(upto - pruned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::MemKv;

    fn row() -> Entry {
        Entry {
            seq: 1,
            lead: 7,
            action: Action::Update,
            status: Status::Pending,
            attempts: 0,
            queued_at: 100,
            updated_at: 100,
            last_error: String::new(),
            email: "a@example.com".into(),
            company: "Acme".into(),
            contact_ref: 0,
            lease: None,
        }
    }

    fn fail(e: &Entry) -> Entry {
        e.next(
            Event::Failed {
                error: "Internal error".into(),
                permanent: false,
            },
            200,
        )
    }

    #[test]
    fn a_row_fails_for_good_at_the_third_failed_attempt() {
        let once = fail(&row());
        assert_eq!((once.status, once.attempts), (Status::Pending, 1));
        let twice = fail(&once);
        assert_eq!((twice.status, twice.attempts), (Status::Pending, 2));
        let thrice = fail(&twice);
        assert_eq!((thrice.status, thrice.attempts), (Status::Failed, 3));
        assert_eq!(thrice.last_error, "Internal error");
        // Ignored afterwards: nothing but a requeue moves it.
        assert_eq!(fail(&thrice), thrice);
        assert_eq!(
            thrice.next(
                Event::Succeeded {
                    note: String::new()
                },
                300
            ),
            thrice
        );
        let back = thrice.next(Event::Requeued, 300);
        assert_eq!((back.status, back.attempts), (Status::Pending, 0));
    }

    #[test]
    fn a_permanent_failure_fails_at_once_and_success_clears_the_error() {
        let e = row().next(
            Event::Failed {
                error: "Malformed request".into(),
                permanent: true,
            },
            5,
        );
        assert_eq!((e.status, e.attempts), (Status::Failed, 1));
        let ok = fail(&row()).next(
            Event::Succeeded {
                note: String::new(),
            },
            6,
        );
        assert_eq!(
            (ok.status, ok.attempts, ok.last_error.as_str()),
            (Status::Done, 2, "")
        );
    }

    #[test]
    fn enqueue_merges_into_the_pending_row_and_the_last_action_wins() -> Result<(), KvError> {
        let kv = MemKv::default();
        let q = Queue::new(&kv);
        let first = q.enqueue(7, Action::Update, "a@x", "Acme", 0, 10)?;
        let again = q.enqueue(7, Action::Delete, "a@x", "Acme", 544, 11)?;
        assert_eq!(again.seq, first.seq, "one pending row per lead");
        assert_eq!((again.action, again.contact_ref), (Action::Delete, 544));
        let (rows, _) = q.pending(0, 10, 12)?;
        assert_eq!(rows.len(), 1);
        Ok(())
    }

    #[test]
    fn pending_rows_come_oldest_first_and_leased_ones_are_skipped() -> Result<(), KvError> {
        let kv = MemKv::default();
        let q = Queue::new(&kv);
        for lead in 1..=5 {
            q.enqueue(lead, Action::Update, "", "", 0, 10)?;
        }
        let (rows, _) = q.pending(0, 10, 20)?;
        assert_eq!(
            rows.iter().map(|r| r.lead).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5]
        );
        let lease = Lease {
            run: "r1".into(),
            until: 100,
        };
        let claimed = q.transition(&rows[0], Event::Claimed(lease), 20)?;
        assert!(claimed.is_some());
        // A stale copy cannot be claimed twice.
        let lease2 = Lease {
            run: "r2".into(),
            until: 100,
        };
        assert_eq!(q.transition(&rows[0], Event::Claimed(lease2), 20)?, None);
        let (rows, _) = q.pending(0, 10, 50)?;
        assert_eq!(rows.first().map(|r| r.lead), Some(2));
        // After the lease expires the row is offered again.
        let (rows, _) = q.pending(0, 10, 150)?;
        assert_eq!(rows.first().map(|r| r.lead), Some(1));
        Ok(())
    }

    #[test]
    fn a_scan_resumes_exactly_after_the_last_row_it_returned() -> Result<(), KvError> {
        let kv = MemKv::default();
        let q = Queue::new(&kv);
        for lead in 1..=100 {
            q.enqueue(lead, Action::Update, "", "", 0, 10)?;
        }
        let mut seen = Vec::new();
        let mut from = 0;
        loop {
            let (rows, next) = q.pending(from, 7, 20)?;
            if rows.is_empty() {
                break;
            }
            seen.extend(rows.iter().map(|r| r.lead));
            from = next;
        }
        assert_eq!(seen, (1..=100).collect::<Vec<_>>());
        Ok(())
    }

    #[test]
    fn the_log_is_newest_first_capped_and_storage_stays_bounded() -> Result<(), KvError> {
        let kv = MemKv::default();
        let q = Queue::new(&kv);
        for lead in 1..=1600 {
            let e = q.enqueue(lead, Action::Update, "", "", 0, lead)?;
            q.transition(
                &e,
                Event::Succeeded {
                    note: String::new(),
                },
                lead,
            )?;
        }
        let log = q.log(500)?;
        assert_eq!(log.len(), LOG_LIMIT);
        assert_eq!(log[0].lead, 1600);
        assert_eq!(log[1].lead, 1599);
        assert!(!q.has_pending()?);
        while q.prune()? > 0 {}
        let entries = kv.keys_with_prefix("q/e/");
        assert_eq!(entries, KEPT_ENTRIES as usize);
        assert_eq!(
            q.pointer(1)?.map(|p| p.status),
            Some(Status::Done),
            "per-lead status survives pruning"
        );
        Ok(())
    }

    #[test]
    fn requeue_revives_only_a_failed_lead() -> Result<(), KvError> {
        let kv = MemKv::default();
        let q = Queue::new(&kv);
        let e = q.enqueue(9, Action::Update, "", "", 0, 1)?;
        assert_eq!(q.requeue(9, 2)?, None, "pending is not failed");
        let failed = q.transition(
            &e,
            Event::Failed {
                error: "x".into(),
                permanent: true,
            },
            3,
        )?;
        assert!(failed.is_some());
        let back = q.requeue(9, 4)?.map(|r| (r.status, r.attempts));
        assert_eq!(back, Some((Status::Pending, 0)));
        Ok(())
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn event() -> impl Strategy<Value = Event> {
        prop_oneof![
            (any::<bool>(), "[a-z]{0,3}").prop_map(|(del, email)| Event::Merge {
                action: if del { Action::Delete } else { Action::Update },
                email,
                company: String::new(),
                contact_ref: 0,
            }),
            Just(Event::Claimed(Lease {
                run: "r".into(),
                until: 10
            })),
            Just(Event::Succeeded {
                note: String::new()
            }),
            any::<bool>().prop_map(|permanent| Event::Failed {
                error: "e".into(),
                permanent
            }),
            Just(Event::Skipped { reason: "s".into() }),
            Just(Event::Released),
            Just(Event::Requeued),
        ]
    }

    fn start() -> Entry {
        Entry {
            seq: 1,
            lead: 1,
            action: Action::Update,
            status: Status::Pending,
            attempts: 0,
            queued_at: 0,
            updated_at: 0,
            last_error: String::new(),
            email: String::new(),
            company: String::new(),
            contact_ref: 0,
            lease: None,
        }
    }

    proptest! {
        #[test]
        fn attempts_never_exceed_three(events in prop::collection::vec(event(), 0..40)) {
            let mut e = start();
            for ev in events {
                e = e.next(ev, 1);
                prop_assert!(e.attempts <= MAX_ATTEMPTS);
            }
        }

        #[test]
        fn a_failed_row_is_never_retried_unless_requeued(events in prop::collection::vec(event(), 0..40)) {
            let mut e = start();
            for ev in events {
                let requeue = ev == Event::Requeued;
                let before = e.status;
                e = e.next(ev, 1);
                if before == Status::Failed && !requeue {
                    prop_assert_eq!(e.status, Status::Failed);
                }
            }
        }

        #[test]
        fn the_last_merged_action_wins(actions in prop::collection::vec(any::<bool>(), 1..20)) {
            let kv = crate::testkit::MemKv::default();
            let q = Queue::new(&kv);
            for (i, del) in actions.iter().enumerate() {
                let action = if *del { Action::Delete } else { Action::Update };
                q.enqueue(1, action, "", "", 0, i as u64).map_err(|e| TestCaseError::fail(e.to_string()))?;
            }
            let (rows, _) = q.pending(0, 10, 100).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(rows.len(), 1);
            let last = if actions[actions.len() - 1] { Action::Delete } else { Action::Update };
            prop_assert_eq!(rows[0].action, last);
        }
    }
}
