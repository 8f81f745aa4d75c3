//! The effects and results of the 21 operations (ines-wire §7). Each one checks every rule of
//! §9 check 8 before it changes anything, so a fault leaves the state untouched.

use std::collections::BTreeMap;

use crate::config::{CustomFieldDef, SimConfig, TypeInfo};
use crate::fault::Fault;
use crate::node::Node;
use crate::schema::{CLIENT_FIELDS, CONTACT_FIELDS, Field, LEAD_FIELDS, Operation};
use crate::session::SessionStore;
use crate::state::{CfRow, LeadRow, Record, SimState};

/// What an operation may read and change.
pub(crate) struct Context<'a> {
    pub state: &'a mut SimState,
    pub sessions: &'a mut SessionStore,
    pub config: &'a SimConfig,
}

/// Runs a validated request and returns the content of its `…Result` element.
pub(crate) fn execute(
    operation: Operation,
    request: &Node,
    cx: Context<'_>,
) -> Result<Node, Fault> {
    use Operation::*;
    let Context {
        state,
        sessions,
        config,
    } = cx;
    match operation {
        AuthenticationWs => authenticate(request, sessions, config),
        GetSyncInfo => Ok(sync_info(config)),
        AddClientWithContacts => add_client_with_contacts(request, state),
        AddContact => add_contact(request, state),
        UpdateContact => update_contact(request, state),
        UpdateClient => update_client(request, state),
        AddLead => add_lead(request, state, config),
        DeleteAutomationContact => {
            let reference = request.int("InesRef")?;
            let contact = state
                .contacts
                .get_mut(&reference)
                .ok_or(Fault::UnknownReference(reference))?;
            contact.sync_stopped = true;
            Ok(Node::value("Success"))
        }
        GetContact => {
            let reference = request.int("reference")?;
            let contact = state
                .contacts
                .get(&reference)
                .ok_or(Fault::UnknownReference(reference))?;
            let mut view = view(contact, CONTACT_FIELDS, false);
            if contact.sync_stopped
                && let Node::Record(children) = &mut view
            {
                children.insert("SyncStopped", Node::value("true"));
            }
            Ok(view)
        }
        GetClient => {
            let reference = request.int("reference")?;
            let client = state
                .clients
                .get(&reference)
                .ok_or(Fault::UnknownReference(reference))?;
            Ok(view(client, CLIENT_FIELDS, false))
        }
        GetTypeContactList => Ok(type_list(&config.contact_types)),
        GetTypeClientList => Ok(type_list(&config.client_types)),
        GetOriginList => Ok(Node::List(
            config
                .origins
                .iter()
                .map(|origin| {
                    Node::record([
                        ("InternalRef", Node::value(origin.id.to_string())),
                        ("Description", Node::value(&origin.description)),
                    ])
                })
                .collect(),
        )),
        GetUserInfoFromUserRef => Ok(user_list(config, false)),
        GetUserInfoFromRHRef => Ok(user_list(config, true)),
        GetContactCF => custom_fields(CfKind::Contact, request, state, config),
        GetCompanyCF => custom_fields(CfKind::Company, request, state, config),
        InsertContactCF => insert_custom_field(CfKind::Contact, request, state, config),
        InsertCompanyCF => insert_custom_field(CfKind::Company, request, state, config),
        UpdateContactCF => update_custom_field(CfKind::Contact, request, state),
        UpdateCompanyCF => update_custom_field(CfKind::Company, request, state),
    }
}

fn authenticate(
    request: &Node,
    sessions: &mut SessionStore,
    config: &SimConfig,
) -> Result<Node, Fault> {
    let login = request.record_child("request")?;
    let given = |name| login.text(name).unwrap_or("");
    let known = config.accounts.iter().any(|account| {
        account.account == given("compte")
            && account.user == given("userName")
            && account.password == given("password")
    });
    let (code, id) = if known {
        ("ok", sessions.open(config.session_idle)?)
    } else {
        ("failed", String::new())
    };
    Ok(Node::record([
        ("codeReturn", Node::value(code)),
        ("idSession", Node::value(id)),
    ]))
}

fn sync_info(config: &SimConfig) -> Node {
    let definitions = |definitions: &[CustomFieldDef]| {
        Node::List(
            definitions
                .iter()
                .map(|definition| {
                    Node::record([
                        ("InesID", Node::value(definition.id.to_string())),
                        ("InesName", Node::value(&definition.name)),
                        ("Type", Node::value(&definition.kind)),
                        (
                            "ValueList",
                            Node::List(definition.choices.iter().map(Node::value).collect()),
                        ),
                    ])
                })
                .collect(),
        )
    };
    Node::record([
        ("LeadRef", Node::value(config.lead_ref.to_string())),
        ("SocieteType", Node::value(config.societe_type.to_string())),
        (
            "CompanyCustomFields",
            definitions(&config.company_custom_fields),
        ),
        (
            "ContactCustomFields",
            definitions(&config.contact_custom_fields),
        ),
    ])
}

/// A new record from a request record: every table element as sent, absent ones at their
/// default (`""` for strings).
fn new_record(fields: &[Field], given: &Node) -> Record {
    let fields = fields
        .iter()
        .map(|field| {
            let value = given.text(field.name).unwrap_or(field.default);
            (field.name.to_owned(), value.to_owned())
        })
        .collect();
    Record {
        fields,
        sync_stopped: false,
    }
}

/// Replaces a stored record's elements with those of the request, except `keep`. An absent
/// string clears, an absent "opt" value takes its default, an absent sync-only value is kept.
fn apply_update(record: &mut Record, fields: &[Field], given: &Node, keep: &[&str]) {
    for field in fields.iter().filter(|field| !keep.contains(&field.name)) {
        match given.text(field.name) {
            Some(value) => record.set(field.name, value),
            None if field.sync_only => {}
            None => record.set(field.name, field.default),
        }
    }
}

/// A stored record as a response record; `sync_rows` selects the `…Auto` view.
fn view(record: &Record, fields: &[Field], sync_rows: bool) -> Node {
    Node::Record(
        fields
            .iter()
            .filter(|field| sync_rows || !field.sync_only)
            .filter_map(|field| {
                let value = record.fields.get(field.name)?;
                Some((field.name, Node::value(value)))
            })
            .collect::<BTreeMap<_, _>>(),
    )
}

fn add_client_with_contacts(request: &Node, state: &mut SimState) -> Result<Node, Fault> {
    let client = request.record_child("client")?;
    if client.int("PaymentMethodRef")? == 0 {
        return Err(Fault::PaymentMethodMandatory);
    }
    let contacts = client.items("Contacts");
    let refs = state.allocate_refs(1 + contacts.len())?;
    let (client_ref, contact_refs) = refs
        .split_first()
        .ok_or_else(|| Fault::Internal("no ref allocated".to_owned()))?;

    let mut client_record = new_record(CLIENT_FIELDS, client);
    client_record.set("InternalRef", client_ref.to_string());
    let mut contact_views = Vec::with_capacity(contacts.len());
    for (contact, contact_ref) in contacts.iter().zip(contact_refs) {
        let mut record = new_record(CONTACT_FIELDS, contact);
        record.set("CompanyRef", client_ref.to_string());
        record.set("InternalRef", contact_ref.to_string());
        contact_views.push(view(&record, CONTACT_FIELDS, true));
        state.contacts.insert(*contact_ref, record);
    }
    let mut result = view(&client_record, CLIENT_FIELDS, true);
    if let Node::Record(children) = &mut result {
        children.insert("Contacts", Node::List(contact_views));
    }
    state.clients.insert(*client_ref, client_record);
    Ok(result)
}

fn add_contact(request: &Node, state: &mut SimState) -> Result<Node, Fault> {
    let client_ref = request.int("clientRef")?;
    if !state.clients.contains_key(&client_ref) {
        return Err(Fault::UnknownReference(client_ref));
    }
    let contact = request.record_child("contact")?;
    let mut record = new_record(CONTACT_FIELDS, contact);
    for (element, parameter) in [
        ("AutomationRef", "AutomationRef"),
        ("Scoring", "scoring"),
        ("Desabo", "desabo"),
        ("NPai", "npai"),
    ] {
        record.set(element, request.text(parameter).unwrap_or_default());
    }
    let [contact_ref] = state.allocate_refs(1)?[..] else {
        return Err(Fault::Internal("no ref allocated".to_owned()));
    };
    record.set("CompanyRef", client_ref.to_string());
    record.set("InternalRef", contact_ref.to_string());
    let result = view(&record, CONTACT_FIELDS, true);
    state.contacts.insert(contact_ref, record);
    Ok(result)
}

fn update_contact(request: &Node, state: &mut SimState) -> Result<Node, Fault> {
    let contact = request.record_child("contact")?;
    let reference = contact.int("InternalRef")?;
    let record = state
        .contacts
        .get_mut(&reference)
        .ok_or(Fault::UnknownReference(reference))?;
    apply_update(
        record,
        CONTACT_FIELDS,
        contact,
        &["InternalRef", "CompanyRef", "IsNew"],
    );
    Ok(Node::value(reference.to_string()))
}

fn update_client(request: &Node, state: &mut SimState) -> Result<Node, Fault> {
    let client = request.record_child("client")?;
    let reference = client.int("InternalRef")?;
    let record = state
        .clients
        .get_mut(&reference)
        .ok_or(Fault::UnknownReference(reference))?;
    apply_update(record, CLIENT_FIELDS, client, &["InternalRef", "IsNew"]);
    Ok(view(record, CLIENT_FIELDS, false))
}

fn add_lead(request: &Node, state: &mut SimState, config: &SimConfig) -> Result<Node, Fault> {
    let info = request.record_child("info")?;
    let client_ref = info.int("ClRef")?;
    if !state.clients.contains_key(&client_ref) {
        return Err(Fault::UnknownReference(client_ref));
    }
    let contact_ref = info.int("CtRef")?;
    if !state.contacts.contains_key(&contact_ref) {
        return Err(Fault::UnknownReference(contact_ref));
    }
    let channel = info.int("FileRef")?;
    if config.lead_ref <= 0 || channel != config.lead_ref {
        return Err(Fault::UnknownReference(channel));
    }
    let [lead_ref] = state.allocate_refs(1)?[..] else {
        return Err(Fault::Internal("no ref allocated".to_owned()));
    };
    state.leads.push(LeadRow {
        r#ref: lead_ref,
        fields: new_record(LEAD_FIELDS, info).fields,
    });
    Ok(Node::value(lead_ref.to_string()))
}

fn type_list(types: &[TypeInfo]) -> Node {
    Node::List(
        types
            .iter()
            .map(|item| {
                Node::record([
                    ("InternalRef", Node::value(item.id.to_string())),
                    ("Description", Node::value(&item.description)),
                    ("Order", Node::value(item.order.to_string())),
                ])
            })
            .collect(),
    )
}

fn user_list(config: &SimConfig, sales_staff_only: bool) -> Node {
    Node::List(
        config
            .users
            .iter()
            .filter(|user| !sales_staff_only || user.rh_ref > 0)
            .map(|user| {
                Node::record([
                    ("UserRef", Node::value(user.user_ref.to_string())),
                    ("RHRef", Node::value(user.rh_ref.to_string())),
                    ("Name", Node::value(&user.name)),
                    ("LastName", Node::value(&user.last_name)),
                    ("FirstName", Node::value(&user.first_name)),
                ])
            })
            .collect(),
    )
}

/// Whether a custom-field operation is about contacts or about clients (companies).
#[derive(Clone, Copy)]
enum CfKind {
    Contact,
    Company,
}

impl CfKind {
    /// The request element naming the owner record.
    fn owner_element(self) -> &'static str {
        match self {
            CfKind::Contact => "ctRef",
            CfKind::Company => "clRef",
        }
    }

    fn owner_exists(self, state: &SimState, owner: i32) -> bool {
        match self {
            CfKind::Contact => state.contacts.contains_key(&owner),
            CfKind::Company => state.clients.contains_key(&owner),
        }
    }

    fn definitions(self, config: &SimConfig) -> &[CustomFieldDef] {
        match self {
            CfKind::Contact => &config.contact_custom_fields,
            CfKind::Company => &config.company_custom_fields,
        }
    }

    fn rows(self, state: &SimState) -> &[CfRow] {
        match self {
            CfKind::Contact => &state.contact_cf,
            CfKind::Company => &state.company_cf,
        }
    }

    fn rows_mut(self, state: &mut SimState) -> &mut Vec<CfRow> {
        match self {
            CfKind::Contact => &mut state.contact_cf,
            CfKind::Company => &mut state.company_cf,
        }
    }

    /// The wire name of this kind's operation for `verb` (`Insert` → `InsertContactCF`).
    fn operation(self, verb: &str) -> String {
        match self {
            CfKind::Contact => format!("{verb}ContactCF"),
            CfKind::Company => format!("{verb}CompanyCF"),
        }
    }
}

fn custom_fields(
    kind: CfKind,
    request: &Node,
    state: &SimState,
    config: &SimConfig,
) -> Result<Node, Fault> {
    let owner = request.int("reference")?;
    if !kind.owner_exists(state, owner) {
        return Err(Fault::UnknownReference(owner));
    }
    let mut rows: Vec<&CfRow> = kind
        .rows(state)
        .iter()
        .filter(|row| row.owner == owner)
        .collect();
    rows.sort_by_key(|row| row.r#ref);
    let values = rows
        .into_iter()
        .map(|row| {
            Node::record([
                ("Ref", Node::value(row.r#ref.to_string())),
                ("DefinitionRef", Node::value(row.definition.to_string())),
                ("Value", Node::value(&row.value)),
            ])
        })
        .collect();
    let definitions = kind
        .definitions(config)
        .iter()
        .map(|definition| Node::record([("Ref", Node::value(definition.id.to_string()))]))
        .collect();
    Ok(Node::record([
        ("Values", Node::List(values)),
        ("Definitions", Node::List(definitions)),
        ("Groups", Node::List(Vec::new())),
    ]))
}

fn insert_custom_field(
    kind: CfKind,
    request: &Node,
    state: &mut SimState,
    config: &SimConfig,
) -> Result<Node, Fault> {
    for always_zero in ["chvLies", "chvGroupeAssoc"] {
        if request.int(always_zero)? != 0 {
            return Err(Fault::Malformed(format!(
                "{}/{always_zero} must be 0 (ines-wire §1 item 19)",
                kind.operation("Insert")
            )));
        }
    }
    let owner = request.int(kind.owner_element())?;
    if !kind.owner_exists(state, owner) {
        return Err(Fault::UnknownReference(owner));
    }
    let definition = request.int("chdefRef")?;
    if !kind
        .definitions(config)
        .iter()
        .any(|known| known.id == definition)
    {
        return Err(Fault::UnknownReference(definition));
    }
    let [row_ref] = state.allocate_refs(1)?[..] else {
        return Err(Fault::Internal("no ref allocated".to_owned()));
    };
    kind.rows_mut(state).push(CfRow {
        r#ref: row_ref,
        owner,
        definition,
        value: request.text("chpValue").unwrap_or_default().to_owned(),
    });
    Ok(Node::value(row_ref.to_string()))
}

fn update_custom_field(kind: CfKind, request: &Node, state: &mut SimState) -> Result<Node, Fault> {
    let owner = request.int(kind.owner_element())?;
    if !kind.owner_exists(state, owner) {
        return Err(Fault::UnknownReference(owner));
    }
    let definition = request.int("chdefRef")?;
    let row_ref = request.int("chpRef")?;
    let row = kind
        .rows_mut(state)
        .iter_mut()
        .find(|row| row.r#ref == row_ref && row.owner == owner && row.definition == definition)
        .ok_or(Fault::UnknownReference(row_ref))?;
    row.value = request.text("chpValue").unwrap_or_default().to_owned();
    Ok(Node::value(row_ref.to_string()))
}
