//! The simulator's configuration: accounts, session idle time, the `GetSyncInfo` values,
//! custom-field definitions and lookup lists, each with small defaults.

use std::time::Duration;

use serde::Serialize;

/// One login that `authenticationWs` accepts (compared exactly, case-sensitive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    pub account: String,
    pub user: String,
    pub password: String,
}

impl Account {
    pub fn new(
        account: impl Into<String>,
        user: impl Into<String>,
        password: impl Into<String>,
    ) -> Account {
        Account {
            account: account.into(),
            user: user.into(),
            password: password.into(),
        }
    }
}

/// A custom-field definition served by `GetSyncInfo` (`CustomFieldToAuto`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomFieldDef {
    /// `InesID`, the definition ref (`chdefRef`, `DefinitionRef`).
    pub id: i32,
    pub name: String,
    /// `text`, `url`, `list`, `user`, `numeral`, `boolean` or `date`.
    pub kind: String,
    /// The `ValueList` of a `list` field.
    pub choices: Vec<String>,
}

impl CustomFieldDef {
    pub fn new(
        id: i32,
        name: impl Into<String>,
        kind: impl Into<String>,
        choices: &[&str],
    ) -> Self {
        CustomFieldDef {
            id,
            name: name.into(),
            kind: kind.into(),
            choices: choices.iter().map(|choice| (*choice).to_owned()).collect(),
        }
    }
}

/// A `ContactTypeInfo` or `ClientTypeInfo` item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeInfo {
    pub id: i32,
    pub description: String,
    pub order: i32,
}

/// An `OriginInfo` item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OriginInfo {
    pub id: i32,
    pub description: String,
}

/// A `UserInfoRH` item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserInfo {
    pub user_ref: i32,
    /// 0 = no sales-staff record.
    pub rh_ref: i32,
    pub name: String,
    pub last_name: String,
    pub first_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SimConfig {
    pub accounts: Vec<Account>,
    pub session_idle: Duration,
    /// `GetSyncInfo.LeadRef`, the only lead channel `AddLead` accepts as `FileRef` (when > 0).
    pub lead_ref: i32,
    /// `GetSyncInfo.SocieteType`.
    pub societe_type: i32,
    pub contact_custom_fields: Vec<CustomFieldDef>,
    pub company_custom_fields: Vec<CustomFieldDef>,
    /// Base URL written into WSDLs; `http://` + the request's `Host` when `None`.
    pub public_base_url: Option<String>,
    pub contact_types: Vec<TypeInfo>,
    pub client_types: Vec<TypeInfo>,
    pub origins: Vec<OriginInfo>,
    pub users: Vec<UserInfo>,
}

fn type_info(id: i32, description: &str) -> TypeInfo {
    TypeInfo {
        id,
        description: description.to_owned(),
        order: id,
    }
}

fn user(user_ref: i32, rh_ref: i32, name: &str, last_name: &str, first_name: &str) -> UserInfo {
    UserInfo {
        user_ref,
        rh_ref,
        name: name.to_owned(),
        last_name: last_name.to_owned(),
        first_name: first_name.to_owned(),
    }
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            accounts: vec![Account::new("ACME", "jdupont", "s3cret")],
            session_idle: Duration::from_secs(20 * 60),
            lead_ref: 2,
            societe_type: 3,
            contact_custom_fields: vec![
                CustomFieldDef::new(17, "Niveau", "list", &["Bronze", "Silver", "Gold"]),
                CustomFieldDef::new(18, "Premier contact", "date", &[]),
                CustomFieldDef::new(19, "Newsletter", "boolean", &[]),
            ],
            company_custom_fields: vec![CustomFieldDef::new(
                21,
                "Secteur",
                "list",
                &["Industrie", "Services"],
            )],
            public_base_url: None,
            contact_types: vec![type_info(1, "Décideur"), type_info(2, "Utilisateur")],
            client_types: vec![
                type_info(1, "Client"),
                type_info(2, "Fournisseur"),
                type_info(3, "Prospect"),
            ],
            origins: vec![
                OriginInfo {
                    id: 1,
                    description: "Site web".to_owned(),
                },
                OriginInfo {
                    id: 2,
                    description: "Salon".to_owned(),
                },
            ],
            users: vec![
                user(1, 5, "jdupont", "Dupont", "Jean"),
                user(2, 0, "Support", "", ""),
            ],
        }
    }
}
