//! The element schemas of ines-wire §6–§7: one field table per record type and one request and
//! result shape per operation. They drive request validation, response writing and the WSDL.

/// The value types of ines-wire §3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    String,
    Int,
    Decimal,
    Bool,
    DateTime,
    Token,
}

impl Kind {
    /// The type name with its article ("an int", "a bool"), for error details.
    pub(crate) fn with_article(self) -> &'static str {
        match self {
            Kind::String => "a string",
            Kind::Int => "an int",
            Kind::Decimal => "a decimal",
            Kind::Bool => "a bool",
            Kind::DateTime => "a dateTime",
            Kind::Token => "a token",
        }
    }

    /// The type name used in ines-wire.md, for error details.
    pub(crate) fn wire_name(self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::Int => "int",
            Kind::Decimal => "decimal",
            Kind::Bool => "bool",
            Kind::DateTime => "dateTime",
            Kind::Token => "token",
        }
    }
}

/// One row of a record table (§6): element name, type, an explicit "opt" mark, the Auto mark
/// (sync-only rows), and the §6 default written when a stored record lacks the element.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub opt: bool,
    pub sync_only: bool,
    pub default: &'static str,
}

impl Field {
    const fn new(name: &'static str, kind: Kind, default: &'static str) -> Field {
        Field {
            name,
            kind,
            opt: false,
            sync_only: false,
            default,
        }
    }
    const fn opt(mut self) -> Field {
        self.opt = true;
        self
    }
    const fn sync_only(mut self) -> Field {
        self.sync_only = true;
        self
    }
}

const UNKNOWN_DATE: &str = "0001-01-01T00:00:00";

const fn string(name: &'static str) -> Field {
    Field::new(name, Kind::String, "")
}
const fn int(name: &'static str) -> Field {
    Field::new(name, Kind::Int, "0")
}
const fn decimal(name: &'static str) -> Field {
    Field::new(name, Kind::Decimal, "0")
}
const fn boolean(name: &'static str, default: &'static str) -> Field {
    Field::new(name, Kind::Bool, default)
}
const fn date(name: &'static str) -> Field {
    Field::new(name, Kind::DateTime, UNKNOWN_DATE)
}
const fn token(name: &'static str, default: &'static str) -> Field {
    Field::new(name, Kind::Token, default)
}

/// `ContactInfoAuto` (§6.1), in wire order; `ContactInfo` is the rows that are not sync-only.
pub(crate) const CONTACT_FIELDS: &[Field] = &[
    int("Author"),
    string("BusinessAddress"),
    string("BussinesTelephone"),
    string("City"),
    string("Comment"),
    int("CompanyRef"),
    token("Confidentiality", "Undefined"),
    string("Country"),
    date("CreationDate"),
    date("DateOfBirth"),
    string("Fax"),
    string("FirstName"),
    string("Function"),
    string("Genre"),
    string("HomeAddress"),
    string("HomeTelephone"),
    boolean("IsNew", "true").sync_only(),
    string("Language"),
    string("LastName"),
    string("MobilePhone"),
    date("ModificationDate"),
    string("PrimaryMailAddress"),
    token("Rang", "Principal"),
    string("SecondaryMailAddress"),
    string("Service"),
    int("Type"),
    string("State"),
    string("ZipCode"),
    boolean("Desabo", "false").sync_only(),
    boolean("NPai", "false").sync_only(),
    int("InternalRef"),
    int("AutomationRef").sync_only(),
    int("Scoring").sync_only(),
];

/// `ClientInfoAuto` (§6.2) without `Contacts`, in wire order; `ClientInfo` is the rows that are
/// not sync-only.
pub(crate) const CLIENT_FIELDS: &[Field] = &[
    token("Confidentiality", "Undefined"),
    string("CompanyName"),
    int("Type"),
    string("Service"),
    string("Address1"),
    string("Address2"),
    string("ZipCode"),
    string("City"),
    string("State"),
    string("Country"),
    string("Phone"),
    string("Fax"),
    string("Website"),
    string("Comments"),
    int("Manager"),
    int("SalesResponsable"),
    int("TechnicalResponsable"),
    date("CreationDate"),
    date("ModifiedDate"),
    int("Origin"),
    int("CustomerNumber"),
    string("CompanyTaxCode"),
    decimal("VatTax"),
    string("Bank"),
    string("BankAccount"),
    string("PaymentMethod"),
    Field::new("PaymentMethodRef", Kind::Int, "1"),
    decimal("Discount"),
    int("HeadQuarter"),
    string("Language"),
    string("Activity"),
    string("AccountingCode"),
    string("Scoring"),
    decimal("Remainder"),
    decimal("MaxRemainder"),
    int("Moral"),
    int("Folder"),
    string("Currency"),
    int("BankReference"),
    int("TaxType"),
    decimal("VatTaxValue"),
    int("Creator"),
    int("Delivery"),
    int("Billing"),
    int("Effectif").opt(),
    decimal("CA").opt(),
    boolean("IsNew", "true").sync_only(),
    int("AutomationRef").sync_only(),
    int("InternalRef"),
];

/// `LeadInfo` (§6.3), in wire order.
pub(crate) const LEAD_FIELDS: &[Field] = &[
    int("ClRef"),
    int("CtRef"),
    string("MailExpe"),
    int("AutomationScoring").opt(),
    int("FileRef"),
    string("DescriptionCourte"),
    string("ReclaDescDetail"),
    int("CriticiteRef"),
    int("TypeRef"),
    int("EtatRef"),
    int("OrigineRef"),
    int("DossierRef"),
    int("CampagneRef"),
    int("ArticleRef"),
    int("ReclaMere"),
    int("Propietaire"),
    int("Gestionnaire"),
];

/// What an element holds.
#[derive(Debug, Clone)]
pub(crate) enum Shape {
    /// Text of one §3 type.
    Value(Kind),
    /// Named children, each at most once.
    Record(Vec<Spec>),
    /// A wrapper holding zero or more items of one element name.
    List(Box<Spec>),
}

/// One element of a request or result: its name, what it holds, whether a request must carry it,
/// and the text written for it when the data has none (`None`: the element is then left out).
#[derive(Debug, Clone)]
pub(crate) struct Spec {
    pub name: &'static str,
    pub shape: Shape,
    pub required: bool,
    pub default: Option<&'static str>,
}

impl Spec {
    /// A value element, required unless it is a string (§1 item 13).
    pub(crate) fn value(name: &'static str, kind: Kind) -> Spec {
        let default = match kind {
            Kind::String => Some(""),
            Kind::Bool => Some("false"),
            Kind::DateTime => Some(UNKNOWN_DATE),
            Kind::Int | Kind::Decimal => Some("0"),
            Kind::Token => None,
        };
        Spec {
            name,
            shape: Shape::Value(kind),
            required: kind != Kind::String,
            default,
        }
    }
    pub(crate) fn record(name: &'static str, children: Vec<Spec>) -> Spec {
        Spec {
            name,
            shape: Shape::Record(children),
            required: true,
            default: None,
        }
    }
    /// A list wrapper; optional, as clients accept a missing one (§3).
    pub(crate) fn list(name: &'static str, item: Spec) -> Spec {
        Spec {
            name,
            shape: Shape::List(Box::new(item)),
            required: false,
            default: None,
        }
    }
    fn optional(mut self) -> Spec {
        self.required = false;
        self
    }
    fn without_default(mut self) -> Spec {
        self.default = None;
        self
    }
}

/// How the sync-only (Auto) rows of a record table take part in one use of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SyncRows {
    /// Present and, for non-strings, required (the `…Auto` types).
    Required,
    /// Present but optional (`AddContact.contact`, `UpdateClient.client`; §1 item 17).
    Optional,
    /// Absent (the `ContactInfo` and `ClientInfo` views).
    Omitted,
}

/// The children of a record element built from a field table.
pub(crate) fn record_children(fields: &[Field], sync_rows: SyncRows) -> Vec<Spec> {
    fields
        .iter()
        .filter(|field| !(field.sync_only && sync_rows == SyncRows::Omitted))
        .map(|field| Spec {
            name: field.name,
            shape: Shape::Value(field.kind),
            required: field.kind != Kind::String
                && !field.opt
                && !(field.sync_only && sync_rows == SyncRows::Optional),
            default: Some(field.default),
        })
        .collect()
}

fn contact(name: &'static str, sync_rows: SyncRows) -> Spec {
    Spec::record(name, record_children(CONTACT_FIELDS, sync_rows))
}

fn client(name: &'static str, sync_rows: SyncRows) -> Spec {
    Spec::record(name, record_children(CLIENT_FIELDS, sync_rows))
}

/// `ClientInfoAuto` with its `Contacts` list (opt, 0..n `ContactInfoAuto`).
fn client_with_contacts(name: &'static str) -> Spec {
    let mut children = record_children(CLIENT_FIELDS, SyncRows::Required);
    children.push(Spec::list(
        "Contacts",
        contact("ContactInfoAuto", SyncRows::Required),
    ));
    Spec::record(name, children)
}

fn ints(names: &[&'static str]) -> Vec<Spec> {
    names
        .iter()
        .map(|name| Spec::value(name, Kind::Int))
        .collect()
}

/// The four services of ines-wire §2.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Service {
    Login,
    AutomationSync,
    ContactManager,
    CustomFields,
}

impl Service {
    pub(crate) const ALL: [Service; 4] = [
        Service::Login,
        Service::AutomationSync,
        Service::ContactManager,
        Service::CustomFields,
    ];

    /// The canonical path of the service.
    pub(crate) fn path(self) -> &'static str {
        match self {
            Service::Login => "/wslogin/login.asmx",
            Service::AutomationSync => "/ws/WSAutomationSync.asmx",
            Service::ContactManager => "/ws/wsicm.asmx",
            Service::CustomFields => "/ws/wscf.asmx",
        }
    }

    /// The service at a request path, compared ignoring ASCII case.
    pub(crate) fn from_path(path: &str) -> Option<Service> {
        Service::ALL
            .into_iter()
            .find(|service| service.path().eq_ignore_ascii_case(path))
    }

    /// The WSDL service name.
    pub(crate) fn wsdl_name(self) -> &'static str {
        match self {
            Service::Login => "login",
            Service::AutomationSync => "WSAutomationSync",
            Service::ContactManager => "wsicm",
            Service::CustomFields => "wscf",
        }
    }

    pub(crate) fn operations(self) -> impl Iterator<Item = Operation> {
        Operation::ALL
            .into_iter()
            .filter(move |operation| operation.service() == self)
    }
}

/// The 21 normative operations of ines-wire §7.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    AuthenticationWs,
    GetSyncInfo,
    AddClientWithContacts,
    AddContact,
    UpdateContact,
    UpdateClient,
    AddLead,
    DeleteAutomationContact,
    GetContact,
    GetClient,
    GetTypeContactList,
    GetTypeClientList,
    GetOriginList,
    GetUserInfoFromUserRef,
    GetUserInfoFromRHRef,
    GetContactCF,
    GetCompanyCF,
    InsertContactCF,
    InsertCompanyCF,
    UpdateContactCF,
    UpdateCompanyCF,
}

impl Operation {
    pub(crate) const ALL: [Operation; 21] = [
        Operation::AuthenticationWs,
        Operation::GetSyncInfo,
        Operation::AddClientWithContacts,
        Operation::AddContact,
        Operation::UpdateContact,
        Operation::UpdateClient,
        Operation::AddLead,
        Operation::DeleteAutomationContact,
        Operation::GetContact,
        Operation::GetClient,
        Operation::GetTypeContactList,
        Operation::GetTypeClientList,
        Operation::GetOriginList,
        Operation::GetUserInfoFromUserRef,
        Operation::GetUserInfoFromRHRef,
        Operation::GetContactCF,
        Operation::GetCompanyCF,
        Operation::InsertContactCF,
        Operation::InsertCompanyCF,
        Operation::UpdateContactCF,
        Operation::UpdateCompanyCF,
    ];

    /// The wire name (local name of the body element).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Operation::AuthenticationWs => "authenticationWs",
            Operation::GetSyncInfo => "GetSyncInfo",
            Operation::AddClientWithContacts => "AddClientWithContacts",
            Operation::AddContact => "AddContact",
            Operation::UpdateContact => "UpdateContact",
            Operation::UpdateClient => "UpdateClient",
            Operation::AddLead => "AddLead",
            Operation::DeleteAutomationContact => "DeleteAutomationContact",
            Operation::GetContact => "GetContact",
            Operation::GetClient => "GetClient",
            Operation::GetTypeContactList => "GetTypeContactList",
            Operation::GetTypeClientList => "GetTypeClientList",
            Operation::GetOriginList => "GetOriginList",
            Operation::GetUserInfoFromUserRef => "GetUserInfoFromUserRef",
            Operation::GetUserInfoFromRHRef => "GetUserInfoFromRHRef",
            Operation::GetContactCF => "GetContactCF",
            Operation::GetCompanyCF => "GetCompanyCF",
            Operation::InsertContactCF => "InsertContactCF",
            Operation::InsertCompanyCF => "InsertCompanyCF",
            Operation::UpdateContactCF => "UpdateContactCF",
            Operation::UpdateCompanyCF => "UpdateCompanyCF",
        }
    }

    pub(crate) fn service(self) -> Service {
        use Operation::*;
        match self {
            AuthenticationWs => Service::Login,
            GetSyncInfo
            | AddClientWithContacts
            | AddContact
            | UpdateContact
            | UpdateClient
            | AddLead
            | DeleteAutomationContact => Service::AutomationSync,
            GetContact
            | GetClient
            | GetTypeContactList
            | GetTypeClientList
            | GetOriginList
            | GetUserInfoFromUserRef
            | GetUserInfoFromRHRef => Service::ContactManager,
            GetContactCF | GetCompanyCF | InsertContactCF | InsertCompanyCF | UpdateContactCF
            | UpdateCompanyCF => Service::CustomFields,
        }
    }

    /// The operation named `name` on `service`, if that service offers it (§2.1).
    pub(crate) fn find(service: Service, name: &str) -> Option<Operation> {
        service
            .operations()
            .find(|operation| operation.name() == name)
    }

    /// Whether the operation needs the `SessionID` header.
    pub(crate) fn needs_session(self) -> bool {
        self != Operation::AuthenticationWs
    }

    /// The children of the request's operation element.
    pub(crate) fn request(self) -> Vec<Spec> {
        use Operation::*;
        match self {
            AuthenticationWs => vec![Spec::record(
                "request",
                vec![
                    Spec::value("compte", Kind::String),
                    Spec::value("userName", Kind::String),
                    Spec::value("password", Kind::String),
                ],
            )],
            GetSyncInfo
            | GetTypeContactList
            | GetTypeClientList
            | GetOriginList
            | GetUserInfoFromUserRef
            | GetUserInfoFromRHRef => Vec::new(),
            AddClientWithContacts => vec![client_with_contacts("client")],
            AddContact => vec![
                contact("contact", SyncRows::Optional),
                Spec::value("AutomationRef", Kind::Int),
                Spec::value("clientRef", Kind::Int),
                Spec::value("scoring", Kind::Int),
                Spec::value("desabo", Kind::Bool),
                Spec::value("npai", Kind::Bool),
            ],
            UpdateContact => vec![contact("contact", SyncRows::Required)],
            UpdateClient => vec![client("client", SyncRows::Optional)],
            AddLead => vec![Spec::record(
                "info",
                record_children(LEAD_FIELDS, SyncRows::Required),
            )],
            DeleteAutomationContact => ints(&["InesRef"]),
            GetContact | GetClient | GetContactCF | GetCompanyCF => ints(&["reference"]),
            InsertContactCF | InsertCompanyCF => {
                let owner = if self == InsertContactCF {
                    "ctRef"
                } else {
                    "clRef"
                };
                let mut children = ints(&[owner, "chdefRef"]);
                children.push(Spec::value("chpValue", Kind::String));
                children.extend(ints(&["chvLies", "chvGroupeAssoc"]));
                children
            }
            UpdateContactCF | UpdateCompanyCF => {
                let owner = if self == UpdateContactCF {
                    "ctRef"
                } else {
                    "clRef"
                };
                let mut children = ints(&[owner, "chdefRef", "chpRef"]);
                children.push(Spec::value("chpValue", Kind::String));
                children
            }
        }
    }

    /// What the `<Operation>Result` element holds.
    pub(crate) fn result(self) -> Shape {
        use Operation::*;
        match self {
            AuthenticationWs => Shape::Record(vec![
                Spec::value("codeReturn", Kind::String),
                Spec::value("idSession", Kind::String),
            ]),
            GetSyncInfo => {
                let field = Spec::record(
                    "CustomFieldToAuto",
                    vec![
                        Spec::value("InesID", Kind::Int),
                        Spec::value("InesName", Kind::String),
                        Spec::value("Type", Kind::String),
                        Spec::list("ValueList", Spec::value("string", Kind::String)),
                    ],
                );
                Shape::Record(vec![
                    Spec::value("LeadRef", Kind::Int),
                    Spec::value("SocieteType", Kind::Int),
                    Spec::list("CompanyCustomFields", field.clone()),
                    Spec::list("ContactCustomFields", field),
                ])
            }
            AddClientWithContacts => client_with_contacts("client").shape,
            AddContact => contact("contact", SyncRows::Required).shape,
            UpdateContact | AddLead | InsertContactCF | InsertCompanyCF | UpdateContactCF
            | UpdateCompanyCF => Shape::Value(Kind::Int),
            UpdateClient | GetClient => client("client", SyncRows::Omitted).shape,
            DeleteAutomationContact => Shape::Value(Kind::String),
            GetContact => {
                let mut children = record_children(CONTACT_FIELDS, SyncRows::Omitted);
                children.push(
                    Spec::value("SyncStopped", Kind::Bool)
                        .optional()
                        .without_default(),
                );
                Shape::Record(children)
            }
            GetTypeContactList | GetTypeClientList => {
                let item = if self == GetTypeContactList {
                    "ContactTypeInfo"
                } else {
                    "ClientTypeInfo"
                };
                Shape::List(Box::new(Spec::record(
                    item,
                    vec![
                        Spec::value("InternalRef", Kind::Int),
                        Spec::value("Description", Kind::String),
                        Spec::value("Order", Kind::Int),
                    ],
                )))
            }
            GetOriginList => Shape::List(Box::new(Spec::record(
                "OriginInfo",
                vec![
                    Spec::value("InternalRef", Kind::Int),
                    Spec::value("Description", Kind::String),
                ],
            ))),
            GetUserInfoFromUserRef | GetUserInfoFromRHRef => Shape::List(Box::new(Spec::record(
                "UserInfoRH",
                vec![
                    Spec::value("UserRef", Kind::Int),
                    Spec::value("RHRef", Kind::Int),
                    Spec::value("Name", Kind::String),
                    Spec::value("LastName", Kind::String),
                    Spec::value("FirstName", Kind::String),
                ],
            ))),
            GetContactCF | GetCompanyCF => Shape::Record(vec![
                Spec::list(
                    "Values",
                    Spec::record(
                        "CustomField",
                        vec![
                            Spec::value("Ref", Kind::Int),
                            Spec::value("DefinitionRef", Kind::Int),
                            Spec::value("Value", Kind::String),
                        ],
                    ),
                ),
                Spec::list(
                    "Definitions",
                    Spec::record("CustomFieldDefinition", ints(&["Ref"])),
                ),
                Spec::list("Groups", Spec::record("CustomFieldGroup", Vec::new())),
            ]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_service_path_resolves_case_insensitively() {
        for service in Service::ALL {
            let upper = service.path().to_ascii_uppercase();
            assert_eq!(Service::from_path(&upper), Some(service));
        }
        assert_eq!(Service::from_path("/ws/other.asmx"), None);
    }

    #[test]
    fn there_are_21_operations_each_on_one_service() {
        let total: usize = Service::ALL.iter().map(|s| s.operations().count()).sum();
        assert_eq!(total, 21);
        assert_eq!(Operation::find(Service::AutomationSync, "GetContact"), None);
        assert_eq!(
            Operation::find(Service::ContactManager, "GetContact"),
            Some(Operation::GetContact)
        );
    }

    #[test]
    fn views_omit_sync_rows() {
        let contact_info = record_children(CONTACT_FIELDS, SyncRows::Omitted);
        assert_eq!(contact_info.len(), CONTACT_FIELDS.len() - 5);
        let client_info = record_children(CLIENT_FIELDS, SyncRows::Omitted);
        assert_eq!(client_info.len(), CLIENT_FIELDS.len() - 2);
        assert_eq!(client_info.last().map(|s| s.name), Some("InternalRef"));
    }
}
