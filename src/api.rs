//! The developers' API `GET /api/ines/getMapping` (behaviour.md §6, the seed's last section):
//! which platform field feeds which INES field, read from the settings alone so the API
//! answers even while INES is down.

use crate::mapping::{
    CLIENT_REF_KEY, CONTACT_REF_KEY, Concept, MappingError, STOP_SYNC_KEY, lead_field_for,
    stop_sync_field,
};
use crate::settings::Settings;

/// One entry of the API's `mapping` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiEntry {
    pub concept: Concept,
    /// INES element name, or the custom-field definition id.
    pub ines_field_key: String,
    pub is_custom_field: bool,
    pub atmt_field_key: String,
    pub is_ecrasable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingApi {
    pub mapping: Vec<ApiEntry>,
    pub dont_sync_field_key: String,
}

/// The two ref entries first, then every mapped field in the settings' order.
pub fn mapping_api(settings: &Settings) -> Result<MappingApi, MappingError> {
    let mut mapping = vec![
        ApiEntry {
            concept: Concept::Contact,
            ines_field_key: "InternalContactRef".into(),
            is_custom_field: false,
            atmt_field_key: lead_field_for(settings, CONTACT_REF_KEY)?.to_string(),
            is_ecrasable: false,
        },
        ApiEntry {
            concept: Concept::Client,
            ines_field_key: "InternalCompanyRef".into(),
            is_custom_field: false,
            atmt_field_key: lead_field_for(settings, CLIENT_REF_KEY)?.to_string(),
            is_ecrasable: false,
        },
    ];
    for (key, lead_field) in &settings.mapping {
        if [CONTACT_REF_KEY, CLIENT_REF_KEY, STOP_SYNC_KEY].contains(&key.as_str()) {
            continue;
        }
        let target = crate::mapping::parse_key(key)?;
        mapping.push(ApiEntry {
            concept: target.concept,
            ines_field_key: target.ines_name.clone(),
            is_custom_field: target.custom,
            atmt_field_key: lead_field.trim().to_string(),
            is_ecrasable: crate::mapping::is_overwritable(settings, key, &target),
        });
    }
    Ok(MappingApi {
        mapping,
        dont_sync_field_key: stop_sync_field(settings)?.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refs_come_first_and_only_mapped_fields_follow() {
        let settings = Settings {
            mapping: [
                (CONTACT_REF_KEY, "ines_contact_ref"),
                (CLIENT_REF_KEY, "ines_client_ref"),
                (STOP_SYNC_KEY, "ines_stop_sync"),
                ("contact:PrimaryMailAddress", "email"),
                ("client:Phone", "phone"),
                ("contact-custom:17", "niveau"),
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
            non_overwritable: vec!["client:Phone".into()],
            ..Settings::default()
        };
        let api = mapping_api(&settings).expect("valid");
        let keys: Vec<_> = api
            .mapping
            .iter()
            .map(|e| e.ines_field_key.as_str())
            .collect();
        assert_eq!(
            keys,
            [
                "InternalContactRef",
                "InternalCompanyRef",
                "PrimaryMailAddress",
                "Phone",
                "17"
            ]
        );
        assert!(
            !api.mapping[2].is_ecrasable,
            "the e-mail is never overwritten"
        );
        assert!(!api.mapping[3].is_ecrasable);
        assert!(api.mapping[4].is_custom_field && api.mapping[4].is_ecrasable);
        assert_eq!(api.dont_sync_field_key, "ines_stop_sync");
    }

    #[test]
    fn an_unknown_key_is_named() {
        let mut settings = Settings::default();
        for (k, v) in [
            (CONTACT_REF_KEY, "a"),
            (CLIENT_REF_KEY, "b"),
            (STOP_SYNC_KEY, "c"),
            ("contact:Shoe", "d"),
        ] {
            settings.mapping.push((k.into(), v.into()));
        }
        assert_eq!(
            mapping_api(&settings),
            Err(MappingError::UnknownKey("contact:Shoe".into()))
        );
    }
}
