//! The platform model the host plays: lead fields, leads, companies and the plugin's settings,
//! kept in the durable store, and the `platform` interface the plugin imports.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::bindings::ines::crm::platform as wit_platform;
use crate::bindings::ines::crm::types as wit;
use crate::runtime::HostState;
use crate::store::{Store, StoreError};

/// Lead fields every platform has; the plugin and the admin add more.
pub const CORE_LEAD_FIELDS: &[(&str, &str, FieldKind)] = &[
    ("title", "Title", FieldKind::Text),
    ("firstname", "First name", FieldKind::Text),
    ("lastname", "Last name", FieldKind::Text),
    ("email", "Email", FieldKind::Email),
    ("company", "Company", FieldKind::Text),
    ("position", "Position", FieldKind::Text),
    ("phone", "Phone", FieldKind::Text),
    ("mobile", "Mobile", FieldKind::Text),
    ("fax", "Fax", FieldKind::Text),
    ("address1", "Address line 1", FieldKind::Text),
    ("address2", "Address line 2", FieldKind::Text),
    ("city", "City", FieldKind::Text),
    ("state", "State", FieldKind::Text),
    ("zipcode", "Zip code", FieldKind::Text),
    ("country", "Country", FieldKind::Text),
    ("website", "Website", FieldKind::Text),
];

/// Company fields, by the alias the plugin reads them under.
pub const COMPANY_FIELDS: &[&str] = &[
    "companyaddress1",
    "companyaddress2",
    "companyzipcode",
    "companycity",
    "companystate",
    "companycountry",
    "companyphone",
    "companywebsite",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    Text,
    Email,
    Number,
    Boolean,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDef {
    pub alias: String,
    pub label: String,
    pub kind: FieldKind,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Company {
    pub id: u64,
    pub name: String,
    /// Values by company field alias (see [`COMPANY_FIELDS`]).
    pub fields: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lead {
    pub id: u64,
    /// Values by lead field alias.
    pub fields: BTreeMap<String, String>,
    pub points: i32,
    pub do_not_contact: bool,
    /// Linked companies; the one marked primary (else the first) is the lead's company.
    pub companies: Vec<CompanyLink>,
}

impl Lead {
    /// Links the company and makes it the lead's primary one (the others stay linked).
    pub fn link_primary_company(&mut self, company_id: u64) {
        for link in &mut self.companies {
            link.primary = link.company_id == company_id;
        }
        if !self.companies.iter().any(|l| l.company_id == company_id) {
            self.companies.push(CompanyLink {
                company_id,
                primary: true,
            });
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyLink {
    pub company_id: u64,
    pub primary: bool,
}

/// The plugin's settings as the admin saves them in the plugin manager.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PluginSettings {
    pub ines_url: String,
    pub account: String,
    pub user: String,
    pub password: String,
    pub published: bool,
    pub push_contacts: bool,
    pub full_sync: bool,
    /// INES target key → lead field alias.
    pub mapping: BTreeMap<String, String>,
    pub non_overwritable: Vec<String>,
    pub batch_concurrency: u32,
    pub lease_seconds: u32,
}

/// The default INES service, as the seed's platform ships it.
pub const DEFAULT_INES_URL: &str = "https://webservices.inescrm.com";

impl PluginSettings {
    fn to_wit(&self) -> wit::Settings {
        wit::Settings {
            ines_url: if self.ines_url.is_empty() {
                DEFAULT_INES_URL.to_string()
            } else {
                self.ines_url.clone()
            },
            account: self.account.clone(),
            user: self.user.clone(),
            password: self.password.clone(),
            published: self.published,
            features: wit::Features {
                push_contacts: self.push_contacts,
                full_sync: self.full_sync,
            },
            mapping: self
                .mapping
                .iter()
                .map(|(ines_key, lead_field)| wit::MappingEntry {
                    ines_key: ines_key.clone(),
                    lead_field: lead_field.clone(),
                })
                .collect(),
            non_overwritable: self.non_overwritable.clone(),
            batch_concurrency: self.batch_concurrency,
            lease_seconds: self.lease_seconds,
        }
    }
}

/// Why a platform operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum PlatformError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("no lead with id {0}")]
    NoSuchLead(u64),
    #[error("no lead field with alias '{0}'")]
    NoSuchField(String),
    #[error("field '{alias}' is a {kind:?} field and cannot hold {value:?}")]
    BadValue {
        alias: String,
        kind: FieldKind,
        value: String,
    },
}

fn lead_key(id: u64) -> String {
    format!("lead/{id:020}")
}
fn company_key(id: u64) -> String {
    format!("company/{id:020}")
}
fn field_key(alias: &str) -> String {
    format!("field/{alias}")
}
const SETTINGS_KEY: &str = "meta/settings";
const NEXT_ID_KEY: &str = "meta/next-id";

/// The platform's data, over the durable store.
#[derive(Clone)]
pub struct Platform {
    store: Store,
}

impl Platform {
    pub fn new(store: Store) -> Platform {
        Platform { store }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    fn next_id(&self) -> Result<u64, StoreError> {
        let id = self.store.get_record::<u64>(NEXT_ID_KEY)?.unwrap_or(1);
        self.store.put_record(NEXT_ID_KEY, &(id + 1))?;
        Ok(id)
    }

    pub fn settings(&self) -> Result<PluginSettings, StoreError> {
        Ok(self.store.get_record(SETTINGS_KEY)?.unwrap_or_default())
    }

    pub fn save_settings(&self, settings: &PluginSettings) -> Result<(), StoreError> {
        self.store.put_record(SETTINGS_KEY, settings)
    }

    /// Every lead field: the core ones first, then those created by plugins or the admin.
    pub fn fields(&self) -> Result<Vec<FieldDef>, StoreError> {
        let mut all: Vec<FieldDef> = CORE_LEAD_FIELDS
            .iter()
            .map(|(alias, label, kind)| FieldDef {
                alias: alias.to_string(),
                label: label.to_string(),
                kind: *kind,
            })
            .collect();
        all.extend(self.store.records_with_prefix::<FieldDef>("field/")?);
        Ok(all)
    }

    pub fn field(&self, alias: &str) -> Result<Option<FieldDef>, StoreError> {
        Ok(self.fields()?.into_iter().find(|f| f.alias == alias))
    }

    /// Creates the field if no field has that alias; never touches an existing one or values.
    /// Returns whether it was created.
    pub fn ensure_field(&self, def: &FieldDef) -> Result<bool, StoreError> {
        if self.field(&def.alias)?.is_some() {
            return Ok(false);
        }
        self.store.put_record(&field_key(&def.alias), def)?;
        Ok(true)
    }

    pub fn lead(&self, id: u64) -> Result<Option<Lead>, StoreError> {
        self.store.get_record(&lead_key(id))
    }

    pub fn leads(&self) -> Result<Vec<Lead>, StoreError> {
        self.store.records_with_prefix("lead/")
    }

    pub fn company(&self, id: u64) -> Result<Option<Company>, StoreError> {
        self.store.get_record(&company_key(id))
    }

    pub fn companies(&self) -> Result<Vec<Company>, StoreError> {
        self.store.records_with_prefix("company/")
    }

    /// Finds a company by name (case-insensitive, trimmed, as the platform matches them) or
    /// creates it.
    pub fn find_or_create_company(&self, name: &str) -> Result<Company, StoreError> {
        let wanted = name.trim().to_lowercase();
        if let Some(c) = self
            .companies()?
            .into_iter()
            .find(|c| c.name.trim().to_lowercase() == wanted)
        {
            return Ok(c);
        }
        let company = Company {
            id: self.next_id()?,
            name: name.trim().to_string(),
            fields: BTreeMap::new(),
        };
        self.store.put_record(&company_key(company.id), &company)?;
        Ok(company)
    }

    pub fn save_company(&self, company: &Company) -> Result<(), StoreError> {
        self.store.put_record(&company_key(company.id), company)
    }

    /// Checks that every field exists and that its value fits its kind.
    pub fn validate_fields(&self, fields: &BTreeMap<String, String>) -> Result<(), PlatformError> {
        let defs = self.fields()?;
        for (alias, value) in fields {
            let def = defs
                .iter()
                .find(|d| &d.alias == alias)
                .ok_or_else(|| PlatformError::NoSuchField(alias.clone()))?;
            let fits = value.is_empty()
                || match def.kind {
                    FieldKind::Text | FieldKind::Email => true,
                    FieldKind::Number => value.trim().parse::<f64>().is_ok(),
                    FieldKind::Boolean => {
                        matches!(value.trim(), "0" | "1" | "true" | "false" | "yes" | "no")
                    }
                };
            if !fits {
                return Err(PlatformError::BadValue {
                    alias: alias.clone(),
                    kind: def.kind,
                    value: value.clone(),
                });
            }
        }
        Ok(())
    }

    /// Stores a lead, allocating its id when it is 0. Returns the stored lead.
    pub fn save_lead(&self, mut lead: Lead) -> Result<Lead, PlatformError> {
        self.validate_fields(&lead.fields)?;
        if lead.id == 0 {
            lead.id = self.next_id()?;
        }
        self.store.put_record(&lead_key(lead.id), &lead)?;
        Ok(lead)
    }

    pub fn delete_lead(&self, id: u64) -> Result<Option<Lead>, StoreError> {
        let lead = self.lead(id)?;
        if lead.is_some() {
            self.store.delete_record(&lead_key(id))?;
        }
        Ok(lead)
    }

    /// The lead whose e-mail matches, case-insensitively, as the platform matches form leads.
    pub fn find_lead_by_email(&self, email: &str) -> Result<Option<Lead>, StoreError> {
        let wanted = email.trim().to_lowercase();
        if wanted.is_empty() {
            return Ok(None);
        }
        Ok(self.leads()?.into_iter().find(|l| {
            l.fields
                .get("email")
                .is_some_and(|e| e.trim().to_lowercase() == wanted)
        }))
    }

    /// The lead's company: the primary one, else the first linked.
    pub fn company_of(&self, lead: &Lead) -> Result<Option<Company>, StoreError> {
        let link = lead
            .companies
            .iter()
            .find(|l| l.primary)
            .or_else(|| lead.companies.first());
        match link {
            Some(link) => self.company(link.company_id),
            None => Ok(None),
        }
    }

    /// The lead as the plugin sees it: fields with a value, and its company.
    pub fn lead_view(&self, lead: &Lead) -> Result<wit::Lead, StoreError> {
        let company = self.company_of(lead)?.map(|c| company_view(&c));
        Ok(wit::Lead {
            id: lead.id,
            fields: lead
                .fields
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(alias, value)| wit::FieldValue {
                    alias: alias.clone(),
                    value: value.clone(),
                })
                .collect(),
            points: lead.points,
            do_not_contact: lead.do_not_contact,
            company,
        })
    }

    /// Writes fields onto a lead without any plugin event (the refs written back after a sync).
    pub fn write_lead_fields(
        &self,
        id: u64,
        fields: &[(String, String)],
    ) -> Result<(), PlatformError> {
        let mut lead = self.lead(id)?.ok_or(PlatformError::NoSuchLead(id))?;
        let updates: BTreeMap<String, String> = fields.iter().cloned().collect();
        self.validate_fields(&updates)?;
        lead.fields.extend(updates);
        self.store.put_record(&lead_key(id), &lead)?;
        Ok(())
    }

    /// Ids above `after`, ascending, of leads whose `ref_field` is empty.
    pub fn unsynced_leads(
        &self,
        ref_field: &str,
        after: u64,
        limit: usize,
    ) -> Result<Vec<u64>, StoreError> {
        Ok(self
            .store
            .records_with_prefix::<Lead>("lead/")?
            .into_iter()
            .filter(|l| l.id > after)
            .filter(|l| l.fields.get(ref_field).is_none_or(|v| v.trim().is_empty()))
            .map(|l| l.id)
            .take(limit)
            .collect())
    }
}

pub fn company_view(company: &Company) -> wit::Company {
    wit::Company {
        id: company.id,
        name: company.name.clone(),
        fields: company
            .fields
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(alias, value)| wit::FieldValue {
                alias: alias.clone(),
                value: value.clone(),
            })
            .collect(),
    }
}

impl wit::Host for HostState {}

impl wit_platform::Host for HostState {
    fn get_settings(&mut self) -> wit::Settings {
        match self.platform.settings() {
            Ok(s) => s.to_wit(),
            Err(e) => {
                self.log_line(
                    wit_platform::LogLevel::Error,
                    &format!("settings unreadable: {e}"),
                );
                PluginSettings::default().to_wit()
            }
        }
    }

    fn get_lead(&mut self, id: u64) -> Option<wit::Lead> {
        let found = self
            .platform
            .lead(id)
            .and_then(|l| l.map(|l| self.platform.lead_view(&l)).transpose());
        match found {
            Ok(lead) => lead,
            Err(e) => {
                self.log_line(
                    wit_platform::LogLevel::Error,
                    &format!("lead {id} unreadable: {e}"),
                );
                None
            }
        }
    }

    fn write_lead_fields(&mut self, id: u64, fields: Vec<wit::FieldValue>) -> Result<(), String> {
        let pairs: Vec<(String, String)> = fields.into_iter().map(|f| (f.alias, f.value)).collect();
        self.platform
            .write_lead_fields(id, &pairs)
            .map_err(|e| e.to_string())
    }

    fn list_unsynced_leads(&mut self, ref_field: String, after: u64, limit: u32) -> Vec<u64> {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX).min(1000);
        match self.platform.unsynced_leads(&ref_field, after, limit) {
            Ok(ids) => ids,
            Err(e) => {
                self.log_line(
                    wit_platform::LogLevel::Error,
                    &format!("leads unreadable: {e}"),
                );
                Vec::new()
            }
        }
    }

    fn log(&mut self, level: wit_platform::LogLevel, message: String) {
        self.log_line(level, &message);
    }
}
