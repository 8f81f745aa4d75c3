//! Pushing one lead to INES (behaviour.md §3–§4): create the client and contact or update
//! them under the non-overwritable rule, write the refs back onto the lead, file the weblead,
//! and sync the custom fields. One company is one INES client.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::client::{ClientError, InesClient};
use crate::exec::join2;
use crate::ines::ops::{self, CfOwner, CustomFieldKind, LeadInfo, SyncInfo};
use crate::ines::records::{CLIENT_FIELDS, CONTACT_FIELDS, Record, UNKNOWN_DATE, normalise_value};
use crate::ines::wire::{self, Operation};
use crate::lead::{Lead, is_true, parse_ref};
use crate::mapping::{CLIENT_DEFAULTS, Concept, Mapping, Target};
use crate::ports::{Clock, Http, Kv, KvError, LogLevel, Platform};
use crate::xml::{Element, XmlError};

/// What a push did, as the platform is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushOutcome {
    Created,
    Updated,
    Unchanged,
    /// Not eligible: the reason says why, and nothing was sent.
    Refused(String),
}

#[derive(Debug, thiserror::Error)]
pub enum PushError {
    #[error(transparent)]
    Ines(#[from] ClientError),
    #[error(transparent)]
    Kv(#[from] KvError),
    /// A lead value INES cannot take: retrying will not help.
    #[error("lead {lead}: {detail}")]
    Data { lead: u64, detail: String },
    #[error("the platform refused to store the INES refs on lead {lead}: {detail}")]
    Platform { lead: u64, detail: String },
}

impl PushError {
    /// Whether a retry cannot succeed (INES or the data will refuse it again).
    pub fn is_permanent(&self) -> bool {
        match self {
            PushError::Data { .. } => true,
            PushError::Ines(ClientError::Xml(_)) => true,
            PushError::Ines(ClientError::Fault { text, .. }) => {
                text.starts_with("Malformed request") || text.starts_with("PaymentMethodRef")
            }
            _ => false,
        }
    }
}

/// What the plugin remembers of a synced lead, in KV under `lead/<id>`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadState {
    pub contact_ref: i32,
    pub client_ref: i32,
    pub company_id: u64,
    /// Hash of everything last sent; equal means nothing to do.
    pub fingerprint: u64,
    pub points: i32,
    pub desabo: bool,
    /// A create call for this lead was sent and its refs are not saved yet. Found set by a
    /// later push, it means a run died in between: INES may hold a record the plugin cannot
    /// find again (INES has no search), so the next creation is reported, never silent.
    #[serde(default)]
    pub creating: bool,
}

/// KV prefix of the leads whose creation was interrupted (`interrupted/<lead>`), kept for
/// the operator: INES may hold a duplicate with that AutomationRef.
pub const INTERRUPTED_PREFIX: &str = "interrupted/";

fn lead_state_key(lead: u64) -> String {
    format!("lead/{lead}")
}

fn company_key(company: u64) -> String {
    format!("company/{company}")
}

pub fn load_lead_state(kv: &impl Kv, lead: u64) -> Result<Option<LeadState>, KvError> {
    Ok(kv
        .get(&lead_state_key(lead))?
        .and_then(|b| serde_json::from_slice(&b).ok()))
}

fn client_of_company(kv: &impl Kv, company: u64) -> Result<Option<i32>, KvError> {
    Ok(kv
        .get(&company_key(company))?
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| parse_ref(&s)))
}

/// Why a lead may not be pushed, or none when it may; `stop_sync_field` is the lead field
/// mapped to stop-sync. Decided before anything is sent to INES.
pub fn refusal(lead: &Lead, stop_sync_field: &str) -> Option<String> {
    if lead.email().is_empty() {
        return Some("the lead has no e-mail address".into());
    }
    if lead.company_name().is_empty() {
        return Some("the lead has no company".into());
    }
    if is_true(lead.field(stop_sync_field)) {
        return Some(format!(
            "the lead is marked not to be synchronised (field {stop_sync_field})"
        ));
    }
    None
}

/// One value INES should hold, and whether an INES value may be overwritten by it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Wanted {
    value: String,
    overwritable: bool,
}

/// Everything a lead should put into INES, derived from the lead and the mapping.
#[derive(Debug, Default)]
struct Desired {
    contact: BTreeMap<&'static str, Wanted>,
    client: BTreeMap<&'static str, Wanted>,
    /// (owner, definition) → (kind, value).
    custom: BTreeMap<(CfOwner, i32), (CustomFieldKind, Wanted)>,
}

/// The platform value in the form INES stores for `element`: typed elements are normalised
/// (a date gets its time), strings are kept exactly.
fn ines_form(
    fields: &[crate::ines::records::FieldSpec],
    element: &str,
    value: &str,
) -> Option<String> {
    let spec = crate::ines::records::field(fields, element)?;
    if value.trim().is_empty() {
        return Some(String::new());
    }
    let value = if spec.name == "DateOfBirth" && value.trim().len() == 10 {
        format!("{}T00:00:00", value.trim())
    } else {
        value.to_string()
    };
    normalise_value(spec.kind, &value)
}

fn desired(lead: &Lead, mapping: &Mapping) -> Result<Desired, PushError> {
    let mut out = Desired::default();
    let bad = |element: &str, value: &str| PushError::Data {
        lead: lead.id,
        detail: format!("'{value}' is not a valid value for INES field {element}"),
    };
    for f in &mapping.fields {
        let raw = lead.field(&f.lead_field);
        match &f.target {
            Target::Standard(Concept::Contact, element) => {
                let value =
                    ines_form(CONTACT_FIELDS, element, raw).ok_or_else(|| bad(element, raw))?;
                out.contact.insert(
                    element,
                    Wanted {
                        value,
                        overwritable: f.overwritable,
                    },
                );
            }
            Target::Standard(Concept::Client, element) => {
                let value =
                    ines_form(CLIENT_FIELDS, element, raw).ok_or_else(|| bad(element, raw))?;
                out.client.insert(
                    element,
                    Wanted {
                        value,
                        overwritable: f.overwritable,
                    },
                );
            }
            Target::Custom(concept, id, kind) => {
                let owner = match concept {
                    Concept::Contact => CfOwner::Contact,
                    Concept::Client => CfOwner::Company,
                };
                let value = if raw.trim().is_empty() {
                    String::new()
                } else {
                    ops::normalise_cf_value(*kind, raw)
                };
                out.custom.insert(
                    (owner, *id),
                    (
                        *kind,
                        Wanted {
                            value,
                            overwritable: f.overwritable,
                        },
                    ),
                );
            }
        }
    }
    // The e-mail and the company name are the lead's own, whatever feeds them.
    out.contact.insert(
        "PrimaryMailAddress",
        Wanted {
            value: lead.email().to_string(),
            overwritable: false,
        },
    );
    out.client.insert(
        "CompanyName",
        Wanted {
            value: lead.company_name().to_string(),
            overwritable: false,
        },
    );
    if let Some(company) = &lead.company {
        for (element, alias) in CLIENT_DEFAULTS {
            if mapping.standard(Concept::Client, element).is_none() {
                let value = company.fields.get(*alias).cloned().unwrap_or_default();
                let key = format!("client:{element}");
                let overwritable = !mapping.non_overwritable.contains(&key);
                out.client.insert(
                    element,
                    Wanted {
                        value,
                        overwritable,
                    },
                );
            }
        }
    }
    Ok(out)
}

/// A hash of everything a push would send: stable across builds, unlike `DefaultHasher`.
fn fingerprint(lead: &Lead, desired: &Desired) -> u64 {
    let mut text = format!(
        "{}|{}|{}|",
        lead.points,
        lead.do_not_contact,
        lead.company.as_ref().map_or(0, |c| c.id)
    );
    for (k, w) in desired.contact.iter().chain(desired.client.iter()) {
        text.push_str(&format!("{k}={}:{}|", w.overwritable, w.value));
    }
    for ((owner, id), (_, w)) in &desired.custom {
        text.push_str(&format!("{owner:?}{id}={}:{}|", w.overwritable, w.value));
    }
    crate::settings::fnv1a(&text)
}

/// The non-overwritable rule (§4.3): write when the platform has a value, it differs, and
/// INES is empty or may be overwritten. An empty platform value never blanks INES.
pub fn should_write(platform: &str, ines: &str, overwritable: bool) -> bool {
    let ines_empty = ines.trim().is_empty() || ines == UNKNOWN_DATE;
    !platform.trim().is_empty() && platform != ines && (overwritable || ines_empty)
}

/// Applies the rule to a record read from INES; returns whether anything changed.
fn apply_changes(record: &mut Record, wanted: &BTreeMap<&'static str, Wanted>) -> bool {
    let mut changed = false;
    for (element, w) in wanted {
        if should_write(&w.value, record.get(element), w.overwritable) {
            record.set(*element, w.value.clone());
            changed = true;
        }
    }
    changed
}

/// Serialises client creation per company, so two leads of a new company never create two
/// INES clients: among the concurrent pushes of one call in memory, and across calls and
/// runs (another run, another process) with a lock in KV that expires if its holder dies.
pub struct CompanyGate {
    busy: std::cell::RefCell<std::collections::HashSet<u64>>,
    /// Who holds the KV locks this gate takes, and for how long at most.
    holder: String,
    lock_secs: u64,
}

/// A company's KV lock: `<holder>\n<expiry, unix seconds>`; free when expired.
fn company_lock_key(company: u64) -> String {
    format!("company-lock/{company}")
}

/// How long a push waits between looks at a company lock another run holds.
const LOCK_POLL_MS: u64 = 25;

/// A company's KV lock, released when dropped.
pub struct CompanyLock<'a, K: Kv> {
    kv: &'a K,
    key: String,
    held: Vec<u8>,
}

impl<K: Kv> Drop for CompanyLock<'_, K> {
    fn drop(&mut self) {
        // Only if it is still ours; an expired lock another run took stays theirs. A failure
        // here only delays the next creator until the lock expires.
        let _ = self
            .kv
            .compare_and_swap(&self.key, Some(&self.held), b"free\n0");
    }
}

/// Holds a company in the gate until dropped.
pub struct CompanyTurn<'a> {
    gate: &'a CompanyGate,
    company: u64,
}

impl Drop for CompanyTurn<'_> {
    fn drop(&mut self) {
        self.gate.busy.borrow_mut().remove(&self.company);
    }
}

impl CompanyGate {
    /// A gate whose KV locks name `holder` (a run id) and last at most `lock_secs`.
    pub fn new(holder: String, lock_secs: u64) -> CompanyGate {
        CompanyGate {
            busy: Default::default(),
            holder,
            lock_secs: lock_secs.max(1),
        }
    }

    /// Takes the company's KV lock, waiting while another live holder has it.
    pub async fn lock<'k, K: Kv>(
        &self,
        kv: &'k K,
        clock: &dyn Clock,
        company: u64,
    ) -> Result<CompanyLock<'k, K>, KvError> {
        let key = company_lock_key(company);
        loop {
            let now = clock.now_unix();
            let current = kv.get(&key)?;
            let free = current.as_deref().is_none_or(|v| {
                let text = String::from_utf8_lossy(v);
                let until = text
                    .split_once('\n')
                    .and_then(|(_, t)| t.trim().parse::<u64>().ok())
                    .unwrap_or(0);
                until <= now
            });
            if free {
                let held = format!("{}\n{}", self.holder, now + self.lock_secs).into_bytes();
                if kv.compare_and_swap(&key, current.as_deref(), &held)? {
                    return Ok(CompanyLock { kv, key, held });
                }
            } else {
                clock.sleep(LOCK_POLL_MS).await;
            }
        }
    }

    /// Waits until no other push of this call is creating for `company`, then takes its turn.
    pub async fn enter(&self, company: u64) -> CompanyTurn<'_> {
        while !self.busy.borrow_mut().insert(company) {
            crate::exec::yield_now().await;
        }
        CompanyTurn {
            gate: self,
            company,
        }
    }
}

/// Where the push comes from: a form (named) or the full-sync queue.
#[derive(Debug, Clone, Copy)]
pub enum Origin<'a> {
    Form(&'a str),
    Queue,
}

/// Everything a push needs besides the lead.
pub struct Pusher<'a, 'c, H: Http, K: Kv, P: Platform> {
    pub client: &'a InesClient<'c, H, K>,
    pub kv: &'a K,
    pub platform: &'a P,
    pub info: &'a SyncInfo,
    pub mapping: &'a Mapping,
    /// INES dateTime of now.
    pub now: String,
    pub gate: &'a CompanyGate,
    pub clock: &'a dyn Clock,
    /// Warnings about leads pushed in this call, for the journal (lead, text).
    pub warnings: std::cell::RefCell<Vec<(u64, String)>>,
}

/// The contact's sync-only elements, sent on create and update alike. NPai is INES's own
/// knowledge, never the platform's: false, as at creation.
fn set_sync_elements(contact: &mut Record, lead: &Lead) -> Result<(), PushError> {
    let automation_ref = int_id(lead.id, "lead", lead.id)?;
    ops::set_contact_auto(
        contact,
        automation_ref,
        lead.points,
        lead.do_not_contact,
        false,
    );
    Ok(())
}

fn int_id(lead: u64, what: &str, id: u64) -> Result<i32, PushError> {
    i32::try_from(id).map_err(|_| PushError::Data {
        lead,
        detail: format!("the {what} id {id} is too large for INES (32-bit)"),
    })
}

impl<H: Http, K: Kv, P: Platform> Pusher<'_, '_, H, K, P> {
    async fn call(
        &self,
        op: &Operation,
        body: Result<String, XmlError>,
    ) -> Result<Element, PushError> {
        let body = body.map_err(ClientError::Xml)?;
        Ok(self.client.call(op, &body).await?)
    }

    /// Pushes an eligible-or-not lead; refusals come back as an outcome, not an error.
    pub async fn push(&self, lead: &Lead, origin: Origin<'_>) -> Result<PushOutcome, PushError> {
        if let Some(reason) = refusal(lead, &self.mapping.stop_sync_field) {
            return Ok(PushOutcome::Refused(reason));
        }
        let want = desired(lead, self.mapping)?;
        let print = fingerprint(lead, &want);
        let state = load_lead_state(self.kv, lead.id)?;
        // Refs: the lead's fields, else what KV kept (a run stopped between the two writes).
        let refs = match (
            parse_ref(lead.field(&self.mapping.contact_ref_field)),
            parse_ref(lead.field(&self.mapping.client_ref_field)),
        ) {
            (Some(contact), Some(client)) => Some((contact, client)),
            _ => state
                .as_ref()
                .map(|s| (s.contact_ref, s.client_ref))
                .filter(|(a, b)| *a > 0 && *b > 0),
        };
        let company_id = lead.company.as_ref().map_or(0, |c| c.id);
        if let Some((contact_ref, client_ref)) = refs {
            let same_company = state.as_ref().is_none_or(|s| s.company_id == company_id);
            if let Some(s) = &state
                && s.fingerprint == print
                && (s.contact_ref, s.client_ref) == (contact_ref, client_ref)
            {
                self.write_refs_back(lead, contact_ref, client_ref)?;
                return Ok(PushOutcome::Unchanged);
            }
            if same_company {
                match self
                    .update(lead, &want, print, state.as_ref(), contact_ref, client_ref)
                    .await?
                {
                    Some(outcome) => return Ok(outcome),
                    None => self.forget(lead)?,
                }
            } else {
                // §4.7: the contact moves to its new company's client; the old one is flagged.
                // Flagging first (it is idempotent) means a failure at either step is simply
                // retried, and the old contact can never stay unflagged behind a done row.
                self.flag_deleted(contact_ref).await?;
                return self.create(lead, &want, print, origin).await;
            }
        }
        self.create(lead, &want, print, origin).await
    }

    /// Flags an INES contact as no longer synchronised (deletion, company change).
    pub async fn flag_deleted(&self, contact_ref: i32) -> Result<(), PushError> {
        match self
            .call(
                &wire::DELETE_AUTOMATION_CONTACT,
                Ok(ops::delete_automation_contact_request(contact_ref)),
            )
            .await
        {
            Ok(result) => ops::read_delete_automation_contact(&result).map_err(|e| {
                PushError::Ines(ClientError::BadResponse {
                    operation: wire::DELETE_AUTOMATION_CONTACT.name,
                    detail: e.to_string(),
                })
            }),
            // Already gone in INES: nothing left to flag.
            Err(PushError::Ines(e)) if e.unknown_reference().is_some() => Ok(()),
            Err(e) => Err(e),
        }
    }

    fn forget(&self, lead: &Lead) -> Result<(), PushError> {
        self.kv.delete(&lead_state_key(lead.id))?;
        self.platform
            .write_lead_fields(
                lead.id,
                &[
                    (self.mapping.contact_ref_field.clone(), String::new()),
                    (self.mapping.client_ref_field.clone(), String::new()),
                ],
            )
            .map_err(|detail| PushError::Platform {
                lead: lead.id,
                detail,
            })
    }

    fn write_refs_back(
        &self,
        lead: &Lead,
        contact_ref: i32,
        client_ref: i32,
    ) -> Result<(), PushError> {
        let fields = [
            (
                self.mapping.contact_ref_field.clone(),
                contact_ref.to_string(),
            ),
            (
                self.mapping.client_ref_field.clone(),
                client_ref.to_string(),
            ),
        ];
        let already = fields
            .iter()
            .all(|(alias, v)| lead.field(alias).trim() == v);
        if already {
            return Ok(());
        }
        self.platform
            .write_lead_fields(lead.id, &fields)
            .map_err(|detail| PushError::Platform {
                lead: lead.id,
                detail,
            })
    }

    fn save_state(
        &self,
        lead: &Lead,
        state: &LeadState,
        new_client: bool,
    ) -> Result<(), PushError> {
        let bytes = serde_json::to_vec(state).map_err(|e| KvError(e.to_string()))?;
        let lead_key = lead_state_key(lead.id);
        let company_key = company_key(state.company_id);
        let client_ref = state.client_ref.to_string();
        let mut writes: Vec<(&str, Option<&[u8]>)> = vec![(&lead_key, Some(&bytes))];
        if new_client {
            writes.push((&company_key, Some(client_ref.as_bytes())));
        }
        self.kv.apply(&writes)?;
        Ok(())
    }

    /// Records, before a create call, that one is under way (see [`LeadState::creating`]); if
    /// an earlier one never finished, reports it.
    fn mark_creating(&self, lead: &Lead) -> Result<(), PushError> {
        let prior = load_lead_state(self.kv, lead.id)?.unwrap_or_default();
        if prior.creating {
            let note = format!(
                "an earlier run stopped while creating this lead in INES: INES may hold a duplicate contact (AutomationRef {}) or client to remove",
                lead.id
            );
            self.kv
                .set(&format!("{INTERRUPTED_PREFIX}{}", lead.id), note.as_bytes())?;
            self.platform
                .log(LogLevel::Warn, &format!("lead {}: {note}", lead.id));
            self.warnings.borrow_mut().push((lead.id, note));
        }
        let marked = LeadState {
            creating: true,
            ..prior
        };
        let bytes = serde_json::to_vec(&marked).map_err(|e| KvError(e.to_string()))?;
        self.kv.set(&lead_state_key(lead.id), &bytes)?;
        Ok(())
    }

    /// A refused create (a `soap:Client` fault) took no effect: nothing can be orphaned.
    fn unmark_if_refused(&self, lead: &Lead, e: PushError) -> PushError {
        let refused = matches!(
            &e,
            PushError::Ines(ClientError::Fault { code, .. }) if *code == crate::ines::wire::FaultCode::Client
        ) || matches!(&e, PushError::Ines(ClientError::Xml(_)));
        if refused
            && let Ok(Some(state)) = load_lead_state(self.kv, lead.id)
            && let Ok(bytes) = serde_json::to_vec(&LeadState {
                creating: false,
                ..state
            })
        {
            // Best effort: a failure here only risks a needless report later.
            let _ = self.kv.set(&lead_state_key(lead.id), &bytes);
        }
        e
    }

    fn contact_record(&self, lead: &Lead, want: &Desired) -> Result<Record, PushError> {
        let mut contact: Record = want
            .contact
            .iter()
            .filter(|(_, w)| !w.value.is_empty())
            .map(|(k, w)| (*k, w.value.clone()))
            .collect();
        set_sync_elements(&mut contact, lead)?;
        Ok(contact)
    }

    async fn create(
        &self,
        lead: &Lead,
        want: &Desired,
        print: u64,
        origin: Origin<'_>,
    ) -> Result<PushOutcome, PushError> {
        let company_id = lead.company.as_ref().map_or(0, |c| c.id);
        let contact = self.contact_record(lead, want)?;
        let automation_ref = int_id(lead.id, "lead", lead.id)?;
        // Only one push at a time may create a company's client: the others wait for its refs
        // and then join that client. Adding a contact to a known client needs no turn.
        self.mark_creating(lead)?;
        let mut turn = None;
        let mut stale = None;
        let mut refs = None;
        loop {
            let mut known = client_of_company(self.kv, company_id)?.filter(|c| Some(*c) != stale);
            if known.is_none() && turn.is_none() {
                let local = self.gate.enter(company_id).await;
                let shared = self.gate.lock(self.kv, self.clock, company_id).await?;
                turn = Some((local, shared));
                known = client_of_company(self.kv, company_id)?.filter(|c| Some(*c) != stale);
            }
            let Some(client_ref) = known else { break };
            let body = ops::add_contact_request(
                &contact,
                automation_ref,
                client_ref,
                lead.points,
                lead.do_not_contact,
                false,
                &self.now,
            );
            match self.call(&wire::ADD_CONTACT, body).await {
                Ok(result) => {
                    let contact_ref =
                        ops::read_add_contact(&result).map_err(|e| bad(wire::ADD_CONTACT, e))?;
                    refs = Some((contact_ref, client_ref));
                    break;
                }
                // The company's client is gone from INES: create it again (once).
                Err(PushError::Ines(e))
                    if stale.is_none() && e.unknown_reference() == Some(i64::from(client_ref)) =>
                {
                    stale = Some(client_ref);
                }
                Err(e) => return Err(self.unmark_if_refused(lead, e)),
            }
        }
        let new_client = refs.is_none();
        let (contact_ref, client_ref) = match refs {
            Some(r) => r,
            None => {
                let mut client: Record = want
                    .client
                    .iter()
                    .filter(|(_, w)| !w.value.is_empty())
                    .map(|(k, w)| (*k, w.value.clone()))
                    .collect();
                if client.get("Type").is_empty() {
                    client.set("Type", self.info.societe_type.to_string());
                }
                client.set("PaymentMethodRef", "1");
                client.set(
                    "AutomationRef",
                    int_id(lead.id, "company", company_id)?.to_string(),
                );
                let body = ops::add_client_with_contacts_request(&client, &contact, &self.now);
                let result = self
                    .call(&wire::ADD_CLIENT_WITH_CONTACTS, body)
                    .await
                    .map_err(|e| self.unmark_if_refused(lead, e))?;
                let created = ops::read_add_client_with_contacts(&result)
                    .map_err(|e| bad(wire::ADD_CLIENT_WITH_CONTACTS, e))?;
                (created.contact_ref, created.client_ref)
            }
        };
        // Remember the refs before anything else can fail, so no retry creates them twice.
        let state = LeadState {
            contact_ref,
            client_ref,
            company_id,
            fingerprint: print,
            points: lead.points,
            desabo: lead.do_not_contact,
            creating: false,
        };
        self.save_state(lead, &state, new_client)?;
        drop(turn);
        self.write_refs_back(lead, contact_ref, client_ref)?;
        // The weblead and the custom fields are independent: in flight together.
        let weblead = async {
            if self.info.lead_ref > 0 {
                self.file_weblead(lead, contact_ref, client_ref, origin)
                    .await;
            }
        };
        let custom = self.sync_custom_fields(want, contact_ref, client_ref, true, new_client);
        let ((), custom_written) = join2(weblead, custom).await;
        custom_written?;
        Ok(PushOutcome::Created)
    }

    async fn file_weblead(
        &self,
        lead: &Lead,
        contact_ref: i32,
        client_ref: i32,
        origin: Origin<'_>,
    ) {
        let description = match origin {
            Origin::Form(name) => format!("Lead Automation - {name}"),
            Origin::Queue => "Lead Automation".to_string(),
        };
        let info = LeadInfo {
            cl_ref: client_ref,
            ct_ref: contact_ref,
            mail_expe: lead.email().to_string(),
            automation_scoring: lead.points,
            file_ref: self.info.lead_ref,
            description_courte: description,
            recla_desc_detail: String::new(),
        };
        let filed = match self
            .call(&wire::ADD_LEAD, ops::add_lead_request(&info))
            .await
        {
            Ok(result) => ops::read_add_lead(&result)
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        if let Err(e) = filed {
            self.platform.log(
                LogLevel::Warn,
                &format!("lead {}: the INES weblead was not filed: {e}", lead.id),
            );
        }
    }

    /// Update path (§4.2). `None` when INES no longer knows a ref: the caller recreates.
    async fn update(
        &self,
        lead: &Lead,
        want: &Desired,
        print: u64,
        state: Option<&LeadState>,
        contact_ref: i32,
        client_ref: i32,
    ) -> Result<Option<PushOutcome>, PushError> {
        let (contact, client) = join2(
            self.call(
                &wire::GET_CONTACT,
                Ok(ops::get_contact_request(contact_ref)),
            ),
            self.call(&wire::GET_CLIENT, Ok(ops::get_client_request(client_ref))),
        )
        .await;
        let gone = |r: &Result<Element, PushError>| matches!(r, Err(PushError::Ines(e)) if e.unknown_reference().is_some());
        if gone(&contact) || gone(&client) {
            return Ok(None);
        }
        let Some(mut contact) =
            ops::read_get_contact(&contact?, contact_ref).map_err(|e| bad(wire::GET_CONTACT, e))?
        else {
            return Ok(None);
        };
        let Some(mut client) =
            ops::read_get_client(&client?, client_ref).map_err(|e| bad(wire::GET_CLIENT, e))?
        else {
            return Ok(None);
        };
        let auto_changed =
            state.is_none_or(|s| s.points != lead.points || s.desabo != lead.do_not_contact);
        let contact_changed = apply_changes(&mut contact, &want.contact) || auto_changed;
        if contact_changed {
            set_sync_elements(&mut contact, lead)?;
        }
        let client_changed = apply_changes(&mut client, &want.client);
        if client_changed {
            let company_id = lead.company.as_ref().map_or(0, |c| c.id);
            client.set(
                "AutomationRef",
                int_id(lead.id, "company", company_id)?.to_string(),
            );
        }
        // The three writes are independent: in flight together, the form waits for one.
        let write_contact = async {
            if contact_changed {
                let body = ops::update_contact_request(&contact, &self.now);
                let result = self.call(&wire::UPDATE_CONTACT, body).await?;
                ops::read_update_contact(&result, contact_ref)
                    .map_err(|e| bad(wire::UPDATE_CONTACT, e))?;
            }
            Ok::<_, PushError>(())
        };
        let write_client = async {
            if client_changed {
                let body = ops::update_client_request(&client, &self.now);
                let result = self.call(&wire::UPDATE_CLIENT, body).await?;
                ops::read_update_client(&result, client_ref)
                    .map_err(|e| bad(wire::UPDATE_CLIENT, e))?;
            }
            Ok::<_, PushError>(())
        };
        let custom = self.sync_custom_fields(want, contact_ref, client_ref, false, false);
        let (contact_written, (client_written, custom_written)) =
            join2(write_contact, join2(write_client, custom)).await;
        contact_written?;
        client_written?;
        let changed = contact_changed || client_changed || custom_written?;
        let company_id = lead.company.as_ref().map_or(0, |c| c.id);
        let state = LeadState {
            contact_ref,
            client_ref,
            company_id,
            fingerprint: print,
            points: lead.points,
            desabo: lead.do_not_contact,
            creating: false,
        };
        self.save_state(lead, &state, false)?;
        self.write_refs_back(lead, contact_ref, client_ref)?;
        Ok(Some(if changed {
            PushOutcome::Updated
        } else {
            PushOutcome::Unchanged
        }))
    }

    /// Custom fields (§4.5), both owners at once. Returns whether any value was written.
    async fn sync_custom_fields(
        &self,
        want: &Desired,
        contact_ref: i32,
        client_ref: i32,
        contact_is_new: bool,
        client_is_new: bool,
    ) -> Result<bool, PushError> {
        let (contact, client) = join2(
            self.sync_owner_custom_fields(want, CfOwner::Contact, contact_ref, contact_is_new),
            self.sync_owner_custom_fields(want, CfOwner::Company, client_ref, client_is_new),
        )
        .await;
        Ok(contact? | client?)
    }

    /// One record's custom fields: read every value row, then insert or update each mapped
    /// field. A record just created has no rows, so it is not read.
    async fn sync_owner_custom_fields(
        &self,
        want: &Desired,
        owner: CfOwner,
        owner_ref: i32,
        is_new: bool,
    ) -> Result<bool, PushError> {
        let fields: Vec<_> = want
            .custom
            .iter()
            .filter(|((o, _), (_, w))| *o == owner && !w.value.is_empty())
            .collect();
        if fields.is_empty() {
            return Ok(false);
        }
        let rows = if is_new {
            Vec::new()
        } else {
            let result = self
                .call(&owner.get_op(), Ok(ops::get_cf_request(owner, owner_ref)))
                .await?;
            ops::read_cf_values(&result).map_err(|e| bad(owner.get_op(), e))?
        };
        let mut wrote = false;
        for ((_, definition), (kind, w)) in fields {
            match ops::first_row_for(&rows, *definition) {
                Some(row) => {
                    let current = ops::normalise_cf_value(*kind, &row.value);
                    if should_write(&w.value, &current, w.overwritable) {
                        let body = ops::update_cf_request(
                            owner,
                            owner_ref,
                            *definition,
                            row.row_ref,
                            &w.value,
                        );
                        self.call(&owner.update_op(), body).await?;
                        wrote = true;
                    }
                }
                None => {
                    let body = ops::insert_cf_request(owner, owner_ref, *definition, &w.value);
                    self.call(&owner.insert_op(), body).await?;
                    wrote = true;
                }
            }
        }
        Ok(wrote)
    }
}

fn bad(op: Operation, e: wire::SoapError) -> PushError {
    PushError::Ines(ClientError::BadResponse {
        operation: op.name,
        detail: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_non_overwritable_rule() {
        // Overwritable: a different non-empty value replaces INES.
        assert!(should_write("new", "old", true));
        // Non-overwritable: only fills an empty INES field.
        assert!(!should_write("new", "old", false));
        assert!(should_write("new", "", false));
        assert!(should_write("1980-01-01T00:00:00", UNKNOWN_DATE, false));
        // An empty platform value never blanks INES; equal values are left alone.
        assert!(!should_write("", "old", true));
        assert!(!should_write("  ", "old", true));
        assert!(!should_write("same", "same", true));
    }
}
