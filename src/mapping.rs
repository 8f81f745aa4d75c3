//! What a lead field can be mapped onto in INES: the standard contact and client elements,
//! the INES custom fields, and the three special targets (the two refs and stop-sync).

use crate::ines::ops::{CustomFieldDef, CustomFieldKind};
use crate::settings::Settings;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Concept {
    Contact,
    Client,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    Standard,
    Custom,
    Special,
}

/// One INES target of the mapping screen.
#[derive(Debug, Clone, PartialEq)]
pub struct MappableField {
    /// The key used in the settings: `contact:FirstName`, `client-custom:21`, `special:contact-ref`…
    pub key: String,
    pub concept: Concept,
    pub kind: TargetKind,
    /// INES element name, or the custom-field definition id.
    pub ines_name: String,
    pub label: String,
    pub required: bool,
    pub choices: Vec<String>,
}

pub const CONTACT_REF_KEY: &str = "special:contact-ref";
pub const CLIENT_REF_KEY: &str = "special:client-ref";
pub const STOP_SYNC_KEY: &str = "special:stop-sync";

/// Standard contact elements a lead field can feed: (element, label, required).
const CONTACT_TARGETS: &[(&str, &str, bool)] = &[
    ("PrimaryMailAddress", "E-mail", true),
    ("Genre", "Civility", false),
    ("FirstName", "First name", false),
    ("LastName", "Last name", false),
    ("Function", "Job title", false),
    ("Service", "Department", false),
    ("BussinesTelephone", "Business phone", false),
    ("MobilePhone", "Mobile phone", false),
    ("HomeTelephone", "Home phone", false),
    ("Fax", "Fax", false),
    ("SecondaryMailAddress", "Secondary e-mail", false),
    ("BusinessAddress", "Business address", false),
    ("HomeAddress", "Home address", false),
    ("ZipCode", "Zip code", false),
    ("City", "City", false),
    ("State", "Region", false),
    ("Country", "Country", false),
    ("Language", "Language", false),
    ("DateOfBirth", "Date of birth", false),
    ("Comment", "Comment", false),
];

/// Standard client elements a lead field can feed: (element, label, required).
const CLIENT_TARGETS: &[(&str, &str, bool)] = &[
    ("CompanyName", "Company name", true),
    ("Type", "Client type (INES type ref)", false),
    ("Address1", "Address line 1", false),
    ("Address2", "Address line 2", false),
    ("ZipCode", "Zip code", false),
    ("City", "City", false),
    ("State", "Region", false),
    ("Country", "Country", false),
    ("Phone", "Phone", false),
    ("Fax", "Fax", false),
    ("Website", "Website", false),
    ("Service", "Department", false),
    ("Activity", "Activity", false),
    ("Language", "Language", false),
    ("Comments", "Comments", false),
];

fn standard(concept: Concept, (element, label, required): &(&str, &str, bool)) -> MappableField {
    let prefix = match concept {
        Concept::Contact => "contact",
        Concept::Client => "client",
    };
    MappableField {
        key: format!("{prefix}:{element}"),
        concept,
        kind: TargetKind::Standard,
        ines_name: element.to_string(),
        label: format!("{label} ({prefix})"),
        required: *required,
        choices: Vec::new(),
    }
}

fn custom(concept: Concept, def: &CustomFieldDef) -> MappableField {
    let prefix = match concept {
        Concept::Contact => "contact-custom",
        Concept::Client => "client-custom",
    };
    MappableField {
        key: format!("{prefix}:{}", def.id),
        concept,
        kind: TargetKind::Custom,
        ines_name: def.id.to_string(),
        label: format!("{} ({}, custom {})", def.name, prefix, def.kind.as_str()),
        required: false,
        choices: def.choices.clone(),
    }
}

fn special(key: &str, concept: Concept, ines_name: &str, label: &str) -> MappableField {
    MappableField {
        key: key.to_string(),
        concept,
        kind: TargetKind::Special,
        ines_name: ines_name.to_string(),
        label: label.to_string(),
        required: true,
        choices: Vec::new(),
    }
}

/// Every target, the special ones first, then contact and client standard fields, then the
/// custom fields INES declares.
pub fn mappable_fields(
    contact_custom: &[CustomFieldDef],
    client_custom: &[CustomFieldDef],
) -> Vec<MappableField> {
    let mut fields = vec![
        special(
            CONTACT_REF_KEY,
            Concept::Contact,
            "InternalContactRef",
            "Référence contact chez INES",
        ),
        special(
            CLIENT_REF_KEY,
            Concept::Client,
            "InternalCompanyRef",
            "Référence société chez INES",
        ),
        special(
            STOP_SYNC_KEY,
            Concept::Contact,
            "DontSync",
            "Indication : ne pas synchroniser",
        ),
    ];
    fields.extend(
        CONTACT_TARGETS
            .iter()
            .map(|t| standard(Concept::Contact, t)),
    );
    fields.extend(CLIENT_TARGETS.iter().map(|t| standard(Concept::Client, t)));
    fields.extend(contact_custom.iter().map(|d| custom(Concept::Contact, d)));
    fields.extend(client_custom.iter().map(|d| custom(Concept::Client, d)));
    fields
}

/// Elements never overwritten on update, whatever the settings say (behaviour.md §4.3).
const ALWAYS_KEPT: &[&str] = &["PrimaryMailAddress", "CompanyName", "NPai"];

/// A mapping key taken apart without INES: `contact:FirstName`, `client-custom:21`…
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedKey {
    pub concept: Concept,
    pub ines_name: String,
    pub custom: bool,
}

/// Parses a mapping key against the standard catalogue (custom ids are only checked to be
/// numbers: their definitions live in INES).
pub fn parse_key(key: &str) -> Result<ParsedKey, MappingError> {
    let unknown = || MappingError::UnknownKey(key.to_string());
    let (prefix, name) = key.split_once(':').ok_or_else(unknown)?;
    let (concept, custom, catalogue) = match prefix {
        "contact" => (Concept::Contact, false, CONTACT_TARGETS),
        "client" => (Concept::Client, false, CLIENT_TARGETS),
        "contact-custom" => (Concept::Contact, true, CONTACT_TARGETS),
        "client-custom" => (Concept::Client, true, CLIENT_TARGETS),
        _ => return Err(unknown()),
    };
    let known = if custom {
        name.parse::<i32>().is_ok_and(|id| id > 0)
    } else {
        catalogue.iter().any(|(e, _, _)| *e == name)
    };
    if !known {
        return Err(unknown());
    }
    Ok(ParsedKey {
        concept,
        ines_name: name.to_string(),
        custom,
    })
}

/// Whether INES values of this target may be overwritten: never for the always-kept
/// elements, else unless the admin checked it.
pub fn is_overwritable(settings: &Settings, key: &str, target: &ParsedKey) -> bool {
    let always_kept = !target.custom && ALWAYS_KEPT.contains(&target.ines_name.as_str());
    !always_kept && !settings.non_overwritable.iter().any(|k| k == key)
}

/// Where a mapped lead field goes in INES.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A standard element of the contact or the client.
    Standard(Concept, &'static str),
    /// A custom field: its owner and definition.
    Custom(Concept, i32, CustomFieldKind),
}

/// One usable mapping line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappedField {
    pub key: String,
    pub target: Target,
    pub lead_field: String,
    pub overwritable: bool,
}

/// The user's mapping, checked against what INES offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub fields: Vec<MappedField>,
    pub contact_ref_field: String,
    pub client_ref_field: String,
    pub stop_sync_field: String,
    /// Keys the admin checked as non-overwritable (they also govern unmapped defaults).
    pub non_overwritable: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    #[error("the mapping names '{0}', which is not an INES field this account offers")]
    UnknownKey(String),
    #[error("the mapping must assign a lead field to '{label}' ({key})")]
    MissingRequired { key: String, label: String },
    #[error("the non-overwritable list names '{0}', which is not an INES field")]
    UnknownNonOverwritable(String),
    #[error("the mapping of '{0}' has an empty lead field")]
    EmptyLeadField(String),
}

/// The lead field mapped to `key`, read straight from the settings (no INES needed).
pub fn lead_field_for<'a>(settings: &'a Settings, key: &str) -> Result<&'a str, MappingError> {
    settings
        .mapping
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, f)| f.trim())
        .filter(|f| !f.is_empty())
        .ok_or_else(|| MappingError::MissingRequired {
            key: key.to_string(),
            label: mappable_fields(&[], &[])
                .into_iter()
                .find(|f| f.key == key)
                .map_or_else(|| key.to_string(), |f| f.label),
        })
}

/// The lead field mapped to stop-sync.
pub fn stop_sync_field(settings: &Settings) -> Result<&str, MappingError> {
    lead_field_for(settings, STOP_SYNC_KEY)
}

impl Mapping {
    /// Resolves the settings' mapping against every target INES offers.
    pub fn resolve(
        settings: &Settings,
        contact_custom: &[CustomFieldDef],
        client_custom: &[CustomFieldDef],
    ) -> Result<Mapping, MappingError> {
        let targets = mappable_fields(contact_custom, client_custom);
        let find = |key: &str| targets.iter().find(|t| t.key == key);
        for key in &settings.non_overwritable {
            if find(key).is_none() {
                return Err(MappingError::UnknownNonOverwritable(key.clone()));
            }
        }
        let mut fields = Vec::new();
        let mut specials = [
            (CONTACT_REF_KEY, None),
            (CLIENT_REF_KEY, None),
            (STOP_SYNC_KEY, None),
        ];
        for (key, lead_field) in &settings.mapping {
            let target = find(key).ok_or_else(|| MappingError::UnknownKey(key.clone()))?;
            let lead_field = lead_field.trim();
            if lead_field.is_empty() {
                return Err(MappingError::EmptyLeadField(key.clone()));
            }
            if let Some(slot) = specials.iter_mut().find(|(k, _)| k == key) {
                slot.1 = Some(lead_field.to_string());
                continue;
            }
            let resolved = match target.kind {
                TargetKind::Standard => {
                    let element = CONTACT_TARGETS
                        .iter()
                        .chain(CLIENT_TARGETS)
                        .map(|(e, _, _)| *e)
                        .find(|e| *e == target.ines_name)
                        .ok_or_else(|| MappingError::UnknownKey(key.clone()))?;
                    Target::Standard(target.concept, element)
                }
                TargetKind::Custom => {
                    let defs = match target.concept {
                        Concept::Contact => contact_custom,
                        Concept::Client => client_custom,
                    };
                    let def = defs
                        .iter()
                        .find(|d| d.id.to_string() == target.ines_name)
                        .ok_or_else(|| MappingError::UnknownKey(key.clone()))?;
                    Target::Custom(target.concept, def.id, def.kind)
                }
                TargetKind::Special => return Err(MappingError::UnknownKey(key.clone())),
            };
            let parsed = parse_key(key)?;
            fields.push(MappedField {
                key: key.clone(),
                overwritable: is_overwritable(settings, key, &parsed),
                target: resolved,
                lead_field: lead_field.to_string(),
            });
        }
        for target in targets.iter().filter(|t| t.required) {
            let mapped = settings.mapping.iter().any(|(k, _)| *k == target.key);
            if !mapped {
                return Err(MappingError::MissingRequired {
                    key: target.key.clone(),
                    label: target.label.clone(),
                });
            }
        }
        let [(_, contact_ref), (_, client_ref), (_, stop)] = specials;
        let missing = |key: &str| MappingError::MissingRequired {
            key: key.to_string(),
            label: key.to_string(),
        };
        Ok(Mapping {
            fields,
            contact_ref_field: contact_ref.ok_or_else(|| missing(CONTACT_REF_KEY))?,
            client_ref_field: client_ref.ok_or_else(|| missing(CLIENT_REF_KEY))?,
            stop_sync_field: stop.ok_or_else(|| missing(STOP_SYNC_KEY))?,
            non_overwritable: settings.non_overwritable.clone(),
        })
    }

    /// The mapped line feeding a standard element, if any.
    pub fn standard(&self, concept: Concept, element: &str) -> Option<&MappedField> {
        self.fields
            .iter()
            .find(|f| matches!(f.target, Target::Standard(c, e) if c == concept && e == element))
    }
}

/// INES client elements that default to the lead's company when unmapped (§4.4), with the
/// company field feeding each.
pub const CLIENT_DEFAULTS: &[(&str, &str)] = &[
    ("Address1", "companyaddress1"),
    ("Address2", "companyaddress2"),
    ("ZipCode", "companyzipcode"),
    ("City", "companycity"),
    ("State", "companystate"),
    ("Country", "companycountry"),
    ("Phone", "companyphone"),
    ("Website", "companywebsite"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_on_both_records_appear_once_per_concept_and_keys_are_unique() {
        let def = CustomFieldDef {
            id: 17,
            name: "Niveau".into(),
            kind: CustomFieldKind::List,
            choices: vec!["Gold".into()],
        };
        let fields = mappable_fields(std::slice::from_ref(&def), &[]);
        let city: Vec<_> = fields.iter().filter(|f| f.ines_name == "City").collect();
        assert_eq!(city.len(), 2);
        assert_ne!(city[0].concept, city[1].concept);
        let mut keys: Vec<_> = fields.iter().map(|f| f.key.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), fields.len());
        let custom = fields.iter().find(|f| f.key == "contact-custom:17");
        assert_eq!(
            custom.map(|f| f.choices.clone()),
            Some(vec!["Gold".to_string()])
        );
        assert_eq!(fields[0].key, CONTACT_REF_KEY);
    }
}

#[cfg(test)]
mod resolve_tests {
    use super::*;

    fn settings(mapping: &[(&str, &str)], non_overwritable: &[&str]) -> Settings {
        Settings {
            mapping: mapping
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            non_overwritable: non_overwritable.iter().map(|k| k.to_string()).collect(),
            ..Settings::default()
        }
    }

    const BASE: &[(&str, &str)] = &[
        (CONTACT_REF_KEY, "ines_contact_ref"),
        (CLIENT_REF_KEY, "ines_client_ref"),
        (STOP_SYNC_KEY, "ines_stop_sync"),
        ("contact:PrimaryMailAddress", "email"),
        ("client:CompanyName", "company"),
    ];

    fn with(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
        BASE.iter().chain(extra).copied().collect()
    }

    #[test]
    fn a_complete_mapping_resolves_with_the_always_kept_fields_non_overwritable() {
        let s = settings(
            &with(&[
                ("contact:FirstName", "firstname"),
                ("client:Phone", "phone"),
            ]),
            &["client:Phone"],
        );
        let m = Mapping::resolve(&s, &[], &[]).expect("valid");
        assert_eq!(m.contact_ref_field, "ines_contact_ref");
        assert_eq!(m.stop_sync_field, "ines_stop_sync");
        let kept = |key: &str| {
            m.fields
                .iter()
                .find(|f| f.key == key)
                .map(|f| f.overwritable)
        };
        assert_eq!(kept("contact:FirstName"), Some(true));
        assert_eq!(kept("client:Phone"), Some(false));
        assert_eq!(kept("contact:PrimaryMailAddress"), Some(false));
        assert_eq!(kept("client:CompanyName"), Some(false));
    }

    #[test]
    fn unknown_keys_and_missing_required_targets_are_named() {
        let s = settings(&with(&[("contact:Nickname", "firstname")]), &[]);
        assert_eq!(
            Mapping::resolve(&s, &[], &[]),
            Err(MappingError::UnknownKey("contact:Nickname".into()))
        );
        let s = settings(&BASE[..4], &[]);
        assert!(matches!(
            Mapping::resolve(&s, &[], &[]),
            Err(MappingError::MissingRequired { key, .. }) if key == "client:CompanyName"
        ));
        let s = settings(BASE, &["client:Nope"]);
        assert_eq!(
            Mapping::resolve(&s, &[], &[]),
            Err(MappingError::UnknownNonOverwritable("client:Nope".into()))
        );
        let s = settings(&with(&[("contact-custom:99", "x")]), &[]);
        assert_eq!(
            Mapping::resolve(&s, &[], &[]),
            Err(MappingError::UnknownKey("contact-custom:99".into()))
        );
    }
}
