//! The simulated CRM data: clients, contacts, custom-field value rows, leads, and the ref
//! counter that allocates positive refs that are never reused.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::fault::Fault;

/// First ref handed out by a fresh simulator; well above the small lookup codes so that a ref
/// sent in the wrong place is noticed.
const FIRST_REF: i32 = 1001;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SimState {
    /// By `InternalRef`.
    pub clients: BTreeMap<i32, Record>,
    /// By `InternalRef`; a contact's client is its `CompanyRef`.
    pub contacts: BTreeMap<i32, Record>,
    pub contact_cf: Vec<CfRow>,
    pub company_cf: Vec<CfRow>,
    pub leads: Vec<LeadRow>,
    /// The next ref to allocate (clients, contacts, value rows and leads share it).
    pub next_ref: i32,
}

impl Default for SimState {
    fn default() -> Self {
        SimState {
            clients: BTreeMap::new(),
            contacts: BTreeMap::new(),
            contact_cf: Vec::new(),
            company_cf: Vec::new(),
            leads: Vec::new(),
            next_ref: FIRST_REF,
        }
    }
}

impl SimState {
    fn in_use(&self, reference: i32) -> bool {
        self.clients.contains_key(&reference)
            || self.contacts.contains_key(&reference)
            || self.contact_cf.iter().any(|row| row.r#ref == reference)
            || self.company_cf.iter().any(|row| row.r#ref == reference)
            || self.leads.iter().any(|row| row.r#ref == reference)
    }

    /// Allocates `count` fresh positive refs, skipping any already in use (state seeded through
    /// `Simulator::edit`). Nothing changes when it fails.
    pub(crate) fn allocate_refs(&mut self, count: usize) -> Result<Vec<i32>, Fault> {
        let mut refs = Vec::with_capacity(count);
        let mut candidate = self.next_ref.max(1);
        while refs.len() < count {
            if !self.in_use(candidate) {
                refs.push(candidate);
            }
            candidate = candidate
                .checked_add(1)
                .ok_or_else(|| Fault::Internal("no refs left".to_owned()))?;
        }
        self.next_ref = candidate;
        Ok(refs)
    }
}

/// A client or contact: element name → stored text, plus the `DeleteAutomationContact` flag.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Record {
    pub fields: BTreeMap<String, String>,
    pub sync_stopped: bool,
}

impl Record {
    /// The stored text of an element, `""` when absent.
    pub fn get(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }

    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.fields.insert(name.to_owned(), value.into());
    }
}

/// A custom-field value row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CfRow {
    pub r#ref: i32,
    /// The contact's or client's `InternalRef`.
    pub owner: i32,
    /// The definition's `InesID`.
    pub definition: i32,
    pub value: String,
}

/// A lead created by `AddLead`: every `LeadInfo` element as stored, and its ref.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeadRow {
    pub r#ref: i32,
    pub fields: BTreeMap<String, String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocation_skips_refs_in_use_and_never_goes_back() {
        let mut state = SimState {
            next_ref: 5,
            ..SimState::default()
        };
        state.clients.insert(6, Record::default());
        assert_eq!(state.allocate_refs(2), Ok(vec![5, 7]));
        assert_eq!(state.next_ref, 8);
        state.next_ref = i32::MAX;
        assert!(state.allocate_refs(2).is_err());
        assert_eq!(state.next_ref, i32::MAX);
    }
}
