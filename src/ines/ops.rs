//! Request builders and typed result readers for the INES operations (ines-wire.md §7).
//!
//! Every builder returns the **children of the operation element** (the body content), not a
//! full envelope: the session layer wraps it with [`super::wire::envelope`] and can resend the
//! same body with a new session id (§4). Builders that carry user data return
//! `Result<String, XmlError>`; the others cannot fail. Readers take the `<Op>Result` element
//! returned by [`super::wire::parse_response`].

use super::records::{
    CLIENT_FIELDS, CONTACT_FIELDS, LEAD_INFO_FIELDS, Record, is_decimal, keep_all,
    normalise_datetime, parse_bool, parse_int, read_record, write_fields, write_record,
};
use super::wire::{
    GET_COMPANY_CF, GET_CONTACT_CF, INSERT_COMPANY_CF, INSERT_CONTACT_CF, Operation, SoapError,
    UPDATE_COMPANY_CF, UPDATE_CONTACT_CF,
};
use crate::xml::{Element, XmlError, XmlWriter, truncate};

// ---------------------------------------------------------------------------------------------
// Shared reading helpers

/// An optional `int` child: `None` when absent, nil or blank; an error naming
/// `<parent>/<name>` when it does not parse.
fn int_child(parent: &Element, name: &str) -> Result<Option<i32>, SoapError> {
    match parent.child_text(name) {
        None => Ok(None),
        Some(t) if t.trim().is_empty() => Ok(None),
        Some(t) => parse_int(t).map(Some).ok_or_else(|| {
            SoapError::BadResponse(format!(
                "{}/{name}: {:?} is not a 32-bit integer",
                parent.name,
                truncate(t.trim(), 40)
            ))
        }),
    }
}

/// The `int` text of a scalar result element.
fn scalar_int(result: &Element) -> Result<i32, SoapError> {
    parse_int(&result.text).ok_or_else(|| {
        SoapError::BadResponse(format!(
            "{}: {:?} is not a 32-bit integer",
            result.name,
            truncate(result.text.trim(), 40)
        ))
    })
}

/// A result ref that must be > 0.
fn positive(what: &str, value: i32) -> Result<i32, SoapError> {
    if value > 0 {
        Ok(value)
    } else {
        Err(SoapError::BadResponse(format!(
            "{what}: expected a ref > 0, got {value}"
        )))
    }
}

/// Items of a list wrapper; an absent or nil wrapper is an empty list (§3, §10.3).
fn list_items<'a>(
    parent: &'a Element,
    wrapper: &str,
    item: &'a str,
) -> impl Iterator<Item = &'a Element> {
    parent
        .child(wrapper)
        .filter(|w| !w.nil)
        .into_iter()
        .flat_map(move |w| w.children_named(item))
}

fn body(build: impl FnOnce(&mut XmlWriter) -> Result<(), XmlError>) -> Result<String, XmlError> {
    let mut w = XmlWriter::new();
    build(&mut w)?;
    Ok(w.finish())
}

// ---------------------------------------------------------------------------------------------
// authenticationWs

/// Why a login answer is not a session (§1 item 4, §10.7). Never carries the credentials.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LoginRefused {
    #[error("INES refused the login (codeReturn {code_return:?})")]
    Refused { code_return: String },
    #[error("INES answered the login without a session id")]
    NoSessionId,
}

/// Body of `authenticationWs`.
pub fn login_request(account: &str, user: &str, password: &str) -> Result<String, XmlError> {
    body(|w| {
        w.open("request");
        w.text_element("compte", account)?;
        w.text_element("userName", user)?;
        w.text_element("password", password)?;
        w.close("request");
        Ok(())
    })
}

/// Reads `authenticationWsResult`: `codeReturn` = `ok` (ASCII case and whitespace ignored)
/// and a non-empty `idSession`, returned trimmed.
pub fn read_login(result: &Element) -> Result<String, LoginRefused> {
    let code = result.child_text("codeReturn").unwrap_or("").trim();
    if !code.eq_ignore_ascii_case("ok") {
        return Err(LoginRefused::Refused {
            code_return: truncate(code, 40),
        });
    }
    match result.child_text("idSession").map(str::trim) {
        Some(id) if !id.is_empty() => Ok(id.to_string()),
        _ => Err(LoginRefused::NoSessionId),
    }
}

// ---------------------------------------------------------------------------------------------
// GetSyncInfo

/// Type of an INES custom field (§6.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CustomFieldKind {
    Text,
    Url,
    List,
    User,
    Numeral,
    Boolean,
    Date,
}

impl CustomFieldKind {
    /// Parses the wire name (whitespace and ASCII case ignored); `None` for unknown kinds.
    pub fn parse(name: &str) -> Option<Self> {
        let n = name.trim().to_ascii_lowercase();
        Some(match n.as_str() {
            "text" => Self::Text,
            "url" => Self::Url,
            "list" => Self::List,
            "user" => Self::User,
            "numeral" => Self::Numeral,
            "boolean" => Self::Boolean,
            "date" => Self::Date,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Url => "url",
            Self::List => "list",
            Self::User => "user",
            Self::Numeral => "numeral",
            Self::Boolean => "boolean",
            Self::Date => "date",
        }
    }
}

/// One `CustomFieldToAuto`.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomFieldDef {
    /// `InesID` (= `chdefRef` / `DefinitionRef`).
    pub id: i32,
    pub name: String,
    pub kind: CustomFieldKind,
    /// `ValueList` choices (for `list` fields).
    pub choices: Vec<String>,
}

/// The `GetSyncInfo` result (§6.5).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SyncInfo {
    /// Lead channel for `AddLead.FileRef`; ≤ 0 means none (§1 item 18).
    pub lead_ref: i32,
    /// Default client `Type`.
    pub societe_type: i32,
    pub contact_custom_fields: Vec<CustomFieldDef>,
    pub company_custom_fields: Vec<CustomFieldDef>,
}

/// Body of `GetSyncInfo` (and of the parameterless lookups): empty.
pub fn get_sync_info_request() -> String {
    String::new()
}

/// Reads `GetSyncInfoResult`. Missing `LeadRef`/`SocieteType` read as 0; definitions without
/// `InesID` or of an unknown `Type` are skipped (§6.5).
pub fn read_sync_info(result: &Element) -> Result<SyncInfo, SoapError> {
    Ok(SyncInfo {
        lead_ref: int_child(result, "LeadRef")?.unwrap_or(0),
        societe_type: int_child(result, "SocieteType")?.unwrap_or(0),
        contact_custom_fields: read_cf_defs(result, "ContactCustomFields")?,
        company_custom_fields: read_cf_defs(result, "CompanyCustomFields")?,
    })
}

fn read_cf_defs(result: &Element, wrapper: &str) -> Result<Vec<CustomFieldDef>, SoapError> {
    let mut defs = Vec::new();
    for item in list_items(result, wrapper, "CustomFieldToAuto") {
        let Some(id) = int_child(item, "InesID")? else {
            continue;
        };
        let Some(kind) = item.child_text("Type").and_then(CustomFieldKind::parse) else {
            continue;
        };
        let choices = list_items(item, "ValueList", "string")
            .filter(|s| !s.nil)
            .map(|s| s.text.clone())
            .collect();
        defs.push(CustomFieldDef {
            id,
            name: item.child_text("InesName").unwrap_or("").to_string(),
            kind,
            choices,
        });
    }
    Ok(defs)
}

// ---------------------------------------------------------------------------------------------
// AddClientWithContacts / AddContact

/// Refs allocated by `AddClientWithContacts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreatedRefs {
    pub client_ref: i32,
    pub contact_ref: i32,
}

/// Body of `AddClientWithContacts` with one contact. Every `ClientInfoAuto` and
/// `ContactInfoAuto` element is sent in order with §6 defaults; `IsNew` is forced to `true`,
/// both `InternalRef`s and the contact's `CompanyRef` to 0 (the server allocates them).
/// The caller sets the client `Type` (SocieteType when unmapped) and both `AutomationRef`s.
pub fn add_client_with_contacts_request(
    client: &Record,
    contact: &Record,
    now: &str,
) -> Result<String, XmlError> {
    let client = client
        .clone()
        .with("IsNew", "true")
        .with("InternalRef", "0");
    let contact = contact
        .clone()
        .with("IsNew", "true")
        .with("InternalRef", "0")
        .with("CompanyRef", "0");
    body(|w| {
        w.open("client");
        write_fields(w, &client, CLIENT_FIELDS, now, &keep_all)?;
        w.open("Contacts");
        write_record(
            w,
            "ContactInfoAuto",
            &contact,
            CONTACT_FIELDS,
            now,
            &keep_all,
        )?;
        w.close("Contacts");
        w.close("client");
        Ok(())
    })
}

/// Reads `AddClientWithContactsResult`: success means its `InternalRef` > 0 and `Contacts`
/// holds exactly the one contact sent, with `InternalRef` > 0 (§7.2).
pub fn read_add_client_with_contacts(result: &Element) -> Result<CreatedRefs, SoapError> {
    let client_ref = int_child(result, "InternalRef")?.unwrap_or(0);
    let client_ref = positive(&format!("{}/InternalRef", result.name), client_ref)?;
    let contacts: Vec<&Element> = list_items(result, "Contacts", "ContactInfoAuto").collect();
    let [contact] = contacts.as_slice() else {
        return Err(SoapError::BadResponse(format!(
            "{}/Contacts: expected 1 ContactInfoAuto, got {}",
            result.name,
            contacts.len()
        )));
    };
    let contact_ref = int_child(contact, "InternalRef")?.unwrap_or(0);
    let contact_ref = positive(
        &format!("{}/Contacts/ContactInfoAuto/InternalRef", result.name),
        contact_ref,
    )?;
    Ok(CreatedRefs {
        client_ref,
        contact_ref,
    })
}

/// Body of `AddContact`. The contact's `AutomationRef`, `Scoring`, `Desabo` and `NPai` are
/// set to the top-level values (which take precedence anyway, §1 item 17); `IsNew` is forced
/// to `true`, `InternalRef` and `CompanyRef` to 0.
pub fn add_contact_request(
    contact: &Record,
    automation_ref: i32,
    client_ref: i32,
    scoring: i32,
    desabo: bool,
    npai: bool,
    now: &str,
) -> Result<String, XmlError> {
    let contact = contact
        .clone()
        .with("IsNew", "true")
        .with("InternalRef", "0")
        .with("CompanyRef", "0")
        .with("AutomationRef", automation_ref.to_string())
        .with("Scoring", scoring.to_string())
        .with("Desabo", desabo.to_string())
        .with("NPai", npai.to_string());
    body(|w| {
        write_record(w, "contact", &contact, CONTACT_FIELDS, now, &keep_all)?;
        w.int_element("AutomationRef", automation_ref.into());
        w.int_element("clientRef", client_ref.into());
        w.int_element("scoring", scoring.into());
        w.bool_element("desabo", desabo);
        w.bool_element("npai", npai);
        Ok(())
    })
}

/// Reads `AddContactResult`: the new contact's `InternalRef`, which must be > 0.
pub fn read_add_contact(result: &Element) -> Result<i32, SoapError> {
    let r = int_child(result, "InternalRef")?.unwrap_or(0);
    positive(&format!("{}/InternalRef", result.name), r)
}

// ---------------------------------------------------------------------------------------------
// UpdateContact / UpdateClient

/// Body of `UpdateContact` (§7.2 client procedure): only the `ContactInfoAuto` elements of
/// `contact`, in order, §6.1 defaults for missing ones, `ModificationDate` = `now`, `IsNew` =
/// `false`. The caller has applied its changes and set the current `AutomationRef`,
/// `Scoring`, `Desabo` and `NPai` on the record (a `GetContact` record lacks them).
pub fn update_contact_request(contact: &Record, now: &str) -> Result<String, XmlError> {
    let contact = contact
        .clone()
        .with("ModificationDate", now)
        .with("IsNew", "false");
    body(|w| write_record(w, "contact", &contact, CONTACT_FIELDS, now, &keep_all))
}

/// Sets the sync-only values that `UpdateContact` must carry (§7.2): a `GetContact` record
/// lacks them, and sending the defaults instead would reset them in INES.
pub fn set_contact_auto(
    contact: &mut Record,
    automation_ref: i32,
    scoring: i32,
    desabo: bool,
    npai: bool,
) {
    contact.set("AutomationRef", automation_ref.to_string());
    contact.set("Scoring", scoring.to_string());
    contact.set("Desabo", desabo.to_string());
    contact.set("NPai", npai.to_string());
}

/// Reads `UpdateContactResult`: it must equal the `InternalRef` sent. A record-shaped result
/// is also accepted (its `InternalRef` is compared), by symmetry with §10.10.
pub fn read_update_contact(result: &Element, sent_ref: i32) -> Result<(), SoapError> {
    let got = if result.children.is_empty() {
        scalar_int(result)?
    } else {
        int_child(result, "InternalRef")?.unwrap_or(0)
    };
    check_same_ref(result, sent_ref, got)
}

fn check_same_ref(result: &Element, sent_ref: i32, got: i32) -> Result<(), SoapError> {
    if got == sent_ref {
        Ok(())
    } else {
        Err(SoapError::BadResponse(format!(
            "{}: expected ref {sent_ref}, got {got}",
            result.name
        )))
    }
}

/// Body of `UpdateClient`: the `ClientInfoAuto` elements of `client` (no `Contacts`) with
/// `ModifiedDate` = `now` and `IsNew` = `false`. The caller sets its `AutomationRef` (a
/// `GetClient` record lacks it; 0 is sent otherwise).
pub fn update_client_request(client: &Record, now: &str) -> Result<String, XmlError> {
    let client = client
        .clone()
        .with("ModifiedDate", now)
        .with("IsNew", "false");
    body(|w| write_record(w, "client", &client, CLIENT_FIELDS, now, &keep_all))
}

/// Reads `UpdateClientResult`, a `ClientInfo` record (returned as `Some`) or a scalar ref
/// (`None`) (§10.10). Either way its ref must equal the `InternalRef` sent.
pub fn read_update_client(result: &Element, sent_ref: i32) -> Result<Option<Record>, SoapError> {
    if result.children.is_empty() {
        let got = scalar_int(result)?;
        check_same_ref(result, sent_ref, got)?;
        return Ok(None);
    }
    let rec = read_record(result, CLIENT_FIELDS)?;
    check_same_ref(result, sent_ref, rec.internal_ref())?;
    Ok(Some(rec))
}

// ---------------------------------------------------------------------------------------------
// AddLead

/// The variable part of `LeadInfo` (§6.3); every other ref is sent as 0.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LeadInfo {
    /// The client's `InternalRef`.
    pub cl_ref: i32,
    /// The contact's `InternalRef`.
    pub ct_ref: i32,
    /// The contact's e-mail.
    pub mail_expe: String,
    /// The contact's score.
    pub automation_scoring: i32,
    /// `GetSyncInfo.LeadRef`.
    pub file_ref: i32,
    /// Short description, e.g. `Lead Automation - <form name>`.
    pub description_courte: String,
    /// Longer description, often empty.
    pub recla_desc_detail: String,
}

/// Body of `AddLead`.
pub fn add_lead_request(info: &LeadInfo) -> Result<String, XmlError> {
    let rec = Record::new()
        .with("ClRef", info.cl_ref.to_string())
        .with("CtRef", info.ct_ref.to_string())
        .with("MailExpe", info.mail_expe.as_str())
        .with("AutomationScoring", info.automation_scoring.to_string())
        .with("FileRef", info.file_ref.to_string())
        .with("DescriptionCourte", info.description_courte.as_str())
        .with("ReclaDescDetail", info.recla_desc_detail.as_str());
    // LeadInfo has no dates, so `now` is never used.
    body(|w| write_record(w, "info", &rec, LEAD_INFO_FIELDS, "", &keep_all))
}

/// Reads `AddLeadResult`: the new lead ref, which must be > 0.
pub fn read_add_lead(result: &Element) -> Result<i32, SoapError> {
    positive(&result.name, scalar_int(result)?)
}

// ---------------------------------------------------------------------------------------------
// DeleteAutomationContact

/// Body of `DeleteAutomationContact`.
pub fn delete_automation_contact_request(ines_ref: i32) -> String {
    format!("<InesRef>{ines_ref}</InesRef>")
}

/// Reads `DeleteAutomationContactResult`: success is the string `Success` (whitespace and
/// ASCII case ignored); anything else is a failure quoting the text.
pub fn read_delete_automation_contact(result: &Element) -> Result<(), SoapError> {
    let t = result.text.trim();
    if t.eq_ignore_ascii_case("Success") {
        Ok(())
    } else {
        Err(SoapError::BadResponse(format!(
            "{}: expected \"Success\", got {:?}",
            result.name,
            truncate(t, 80)
        )))
    }
}

// ---------------------------------------------------------------------------------------------
// GetContact / GetClient

/// Body of `GetContact`.
pub fn get_contact_request(reference: i32) -> String {
    format!("<reference>{reference}</reference>")
}

/// Body of `GetClient`.
pub fn get_client_request(reference: i32) -> String {
    get_contact_request(reference)
}

/// Reads `GetContactResult` as a `ContactInfoAuto`-shaped record plus `SyncStopped` (kept
/// only when true). `None` when its `InternalRef` differs from the ref requested, e.g. 0:
/// the record does not exist (§10.9).
pub fn read_get_contact(result: &Element, requested_ref: i32) -> Result<Option<Record>, SoapError> {
    if int_child(result, "InternalRef")?.unwrap_or(0) != requested_ref {
        return Ok(None);
    }
    let mut rec = read_record(result, CONTACT_FIELDS)?;
    if let Some(t) = result.child_text("SyncStopped") {
        let stopped = match t.trim() {
            "" => false,
            t => parse_bool(t).ok_or_else(|| {
                SoapError::BadResponse(format!(
                    "{}/SyncStopped: {:?} is not a boolean",
                    result.name,
                    truncate(t, 40)
                ))
            })?,
        };
        if stopped {
            rec.set("SyncStopped", "true");
        }
    }
    Ok(Some(rec))
}

/// Reads `GetClientResult` (`ClientInfo`); `None` when its `InternalRef` differs from the
/// ref requested (§10.9).
pub fn read_get_client(result: &Element, requested_ref: i32) -> Result<Option<Record>, SoapError> {
    if int_child(result, "InternalRef")?.unwrap_or(0) != requested_ref {
        return Ok(None);
    }
    read_record(result, CLIENT_FIELDS).map(Some)
}

/// The other form of "not found" for `GetContact`/`GetClient`: an `Unknown reference` fault.
pub fn is_not_found(err: &SoapError) -> bool {
    err.unknown_reference().is_some()
}

// ---------------------------------------------------------------------------------------------
// Custom fields

/// Which record a custom field belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CfOwner {
    Contact,
    Company,
}

impl CfOwner {
    pub fn get_op(self) -> Operation {
        match self {
            CfOwner::Contact => GET_CONTACT_CF,
            CfOwner::Company => GET_COMPANY_CF,
        }
    }

    pub fn insert_op(self) -> Operation {
        match self {
            CfOwner::Contact => INSERT_CONTACT_CF,
            CfOwner::Company => INSERT_COMPANY_CF,
        }
    }

    pub fn update_op(self) -> Operation {
        match self {
            CfOwner::Contact => UPDATE_CONTACT_CF,
            CfOwner::Company => UPDATE_COMPANY_CF,
        }
    }

    /// Element naming the owner in `Insert*CF` / `Update*CF`.
    pub fn owner_element(self) -> &'static str {
        match self {
            CfOwner::Contact => "ctRef",
            CfOwner::Company => "clRef",
        }
    }
}

/// One custom-field value row (`CustomField`, §6.6).
#[derive(Debug, Clone, PartialEq)]
pub struct CfValue {
    /// `Ref` (= `chpRef`).
    pub row_ref: i32,
    /// `DefinitionRef` (= `InesID`).
    pub definition: i32,
    /// `Value`, verbatim (nil = "").
    pub value: String,
}

/// Body of `GetContactCF` / `GetCompanyCF` (the same for both; the owner picks the
/// operation, see [`CfOwner::get_op`]).
pub fn get_cf_request(_owner: CfOwner, reference: i32) -> String {
    format!("<reference>{reference}</reference>")
}

/// Reads every value row of `Get*CFResult` in the order listed (all of them, §4.5 of
/// behaviour.md); a missing `Values` is no rows. A row without `Ref` or `DefinitionRef`
/// cannot be used and is an error.
pub fn read_cf_values(result: &Element) -> Result<Vec<CfValue>, SoapError> {
    let mut out = Vec::new();
    for item in list_items(result, "Values", "CustomField") {
        let need = |name: &str| -> Result<i32, SoapError> {
            int_child(item, name)?.ok_or_else(|| {
                SoapError::BadResponse(format!(
                    "{}/Values/CustomField: missing {name}",
                    result.name
                ))
            })
        };
        out.push(CfValue {
            row_ref: need("Ref")?,
            definition: need("DefinitionRef")?,
            value: item.child_text("Value").unwrap_or("").to_string(),
        });
    }
    Ok(out)
}

/// The first row of a definition, the one the client updates (§1 item 19).
pub fn first_row_for(values: &[CfValue], definition: i32) -> Option<&CfValue> {
    values.iter().find(|v| v.definition == definition)
}

/// Body of `InsertContactCF` / `InsertCompanyCF` (`chvLies` and `chvGroupeAssoc` are 0).
pub fn insert_cf_request(
    owner: CfOwner,
    owner_ref: i32,
    definition: i32,
    value: &str,
) -> Result<String, XmlError> {
    body(|w| {
        w.int_element(owner.owner_element(), owner_ref.into());
        w.int_element("chdefRef", definition.into());
        w.text_element("chpValue", value)?;
        w.int_element("chvLies", 0);
        w.int_element("chvGroupeAssoc", 0);
        Ok(())
    })
}

/// Body of `UpdateContactCF` / `UpdateCompanyCF`.
pub fn update_cf_request(
    owner: CfOwner,
    owner_ref: i32,
    definition: i32,
    row_ref: i32,
    value: &str,
) -> Result<String, XmlError> {
    body(|w| {
        w.int_element(owner.owner_element(), owner_ref.into());
        w.int_element("chdefRef", definition.into());
        w.int_element("chpRef", row_ref.into());
        w.text_element("chpValue", value)?;
        Ok(())
    })
}

/// Reads an `Insert*CFResult` / `Update*CFResult`: its presence is success (§10.10), so this
/// only extracts the ref when the content is one.
pub fn read_cf_write(result: &Element) -> Option<i32> {
    parse_int(&result.text)
}

/// Canonical form of a custom-field value for writing and comparing (§6.6): text, url and
/// list verbatim; user as an int; numeral as a decimal without `+`, leading zeros or
/// trailing fractional zeros; boolean as `true`/`false`; date as `YYYY-MM-DDThh:mm:ss`
/// (`T00:00:00` for a bare date). A value that does not parse is returned trimmed.
pub fn normalise_cf_value(kind: CustomFieldKind, value: &str) -> String {
    let t = value.trim();
    match kind {
        CustomFieldKind::Text | CustomFieldKind::Url | CustomFieldKind::List => value.to_string(),
        CustomFieldKind::User => parse_int(t).map_or_else(|| t.to_string(), |n| n.to_string()),
        CustomFieldKind::Numeral => canonical_decimal(t).unwrap_or_else(|| t.to_string()),
        CustomFieldKind::Boolean => parse_bool(t).map_or_else(|| t.to_string(), |b| b.to_string()),
        CustomFieldKind::Date => normalise_datetime(t)
            .or_else(|| {
                (t.len() == 10)
                    .then(|| normalise_datetime(&format!("{t}T00:00:00")))
                    .flatten()
            })
            .unwrap_or_else(|| t.to_string()),
    }
}

fn canonical_decimal(t: &str) -> Option<String> {
    if !is_decimal(t) {
        return None;
    }
    let (neg, unsigned) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    let mut out = String::new();
    if neg && !(int.is_empty() && frac.is_empty()) {
        out.push('-');
    }
    out.push_str(if int.is_empty() { "0" } else { int });
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    Some(out)
}

// ---------------------------------------------------------------------------------------------
// Lookup lists (GetTypeContactList, GetTypeClientList, GetOriginList, GetUserInfo…)

/// A `ContactTypeInfo`, `ClientTypeInfo` or `OriginInfo` item (§6.4).
#[derive(Debug, Clone, PartialEq)]
pub struct LookupItem {
    pub internal_ref: i32,
    pub description: String,
    /// `Order` (absent on `OriginInfo`).
    pub order: Option<i32>,
}

/// Reads a lookup result (the result element is the list wrapper) with items named `item`.
/// Items without `InternalRef` are skipped.
pub fn read_lookup_list(result: &Element, item: &str) -> Result<Vec<LookupItem>, SoapError> {
    let mut out = Vec::new();
    for e in result.children_named(item) {
        let Some(internal_ref) = int_child(e, "InternalRef")? else {
            continue;
        };
        out.push(LookupItem {
            internal_ref,
            description: e.child_text("Description").unwrap_or("").to_string(),
            order: int_child(e, "Order")?,
        });
    }
    Ok(out)
}

/// A `UserInfoRH` item (§6.4).
#[derive(Debug, Clone, PartialEq)]
pub struct UserInfo {
    pub user_ref: i32,
    /// 0 = no sales-staff record.
    pub rh_ref: i32,
    pub name: String,
    pub last_name: String,
    pub first_name: String,
}

impl UserInfo {
    /// `LastName FirstName`, or `Name` when both are empty.
    pub fn label(&self) -> String {
        let full = format!("{} {}", self.last_name.trim(), self.first_name.trim());
        let full = full.trim();
        if full.is_empty() {
            self.name.trim().to_string()
        } else {
            full.to_string()
        }
    }
}

/// Reads a `GetUserInfoFrom…Result` list. Items without `UserRef` are skipped.
pub fn read_users(result: &Element) -> Result<Vec<UserInfo>, SoapError> {
    let mut out = Vec::new();
    for e in result.children_named("UserInfoRH") {
        let Some(user_ref) = int_child(e, "UserRef")? else {
            continue;
        };
        let text = |n: &str| e.child_text(n).unwrap_or("").to_string();
        out.push(UserInfo {
            user_ref,
            rh_ref: int_child(e, "RHRef")?.unwrap_or(0),
            name: text("Name"),
            last_name: text("LastName"),
            first_name: text("FirstName"),
        });
    }
    Ok(out)
}
