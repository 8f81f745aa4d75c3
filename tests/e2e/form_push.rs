//! The form action "push contacts to this integration" (seed's minimal test, steps 1 to 3):
//! create, update under the non-overwritable rule, custom fields, weblead, refusals.

use ines_sim::SimState;

use crate::support::{Platform, operations, start_sim};

const FORM: &[(&str, &str)] = &[
    ("email", "jean.dupont@example.com"),
    ("company", "Dupont SA"),
    ("firstname", "Jean"),
    ("lastname", "Dupont"),
    ("position", "CEO"),
    ("phone", "0140000001"),
];

fn with<'a>(
    base: &[(&'a str, &'a str)],
    changes: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut out: Vec<_> = base
        .iter()
        .filter(|(k, _)| !changes.iter().any(|(c, _)| c == k))
        .copied()
        .collect();
    out.extend_from_slice(changes);
    out
}

fn only_contact(state: &SimState) -> &ines_sim::Record {
    assert_eq!(state.contacts.len(), 1, "{:?}", state.contacts.keys());
    state.contacts.values().next().expect("one contact")
}

#[test]
fn seed_steps_1_and_2_create_then_update_respecting_non_overwritable_fields() {
    let sim = start_sim();
    let platform = Platform::mapped_to(&sim);
    platform.configure(|s| s.non_overwritable = vec!["contact:Function".into()]);

    // Step 1: a new client with one contact, and both refs on the lead.
    let first = platform.submit(FORM);
    assert_eq!(
        (first.outcome.as_str(), first.lead_created),
        ("created", true),
        "{first:?}"
    );
    let state = sim.state();
    assert_eq!(state.clients.len(), 1);
    let (client_ref, client) = state.clients.iter().next().expect("client");
    assert_eq!(client.get("CompanyName"), "Dupont SA");
    assert_eq!(client.get("Type"), "3", "SocieteType from GetSyncInfo");
    assert_eq!(client.get("PaymentMethodRef"), "1");
    let contact = only_contact(&state);
    assert_eq!(contact.get("PrimaryMailAddress"), "jean.dupont@example.com");
    assert_eq!(contact.get("FirstName"), "Jean");
    assert_eq!(contact.get("LastName"), "Dupont");
    assert_eq!(contact.get("Function"), "CEO");
    assert_eq!(contact.get("BussinesTelephone"), "0140000001");
    assert_eq!(contact.get("CompanyRef"), client_ref.to_string());
    assert_eq!(contact.get("AutomationRef"), first.lead_id.to_string());
    let contact_ref = contact.get("InternalRef").to_string();
    let lead = platform.lead(first.lead_id);
    assert_eq!(lead.fields.get("ines_contact_ref"), Some(&contact_ref));
    assert_eq!(
        lead.fields.get("ines_client_ref"),
        Some(&client_ref.to_string())
    );
    // The weblead, filed in the lead channel with the form's name.
    assert_eq!(state.leads.len(), 1);
    let weblead = &state.leads[0].fields;
    assert_eq!(
        weblead.get("DescriptionCourte").map(String::as_str),
        Some("Lead Automation - Contact us")
    );
    assert_eq!(weblead.get("FileRef").map(String::as_str), Some("2"));
    assert_eq!(weblead.get("CtRef"), Some(&contact_ref));

    // Step 2: same e-mail and company, other fields changed.
    let second = platform.submit(&with(
        FORM,
        &[("firstname", "Jean-Pierre"), ("position", "Président")],
    ));
    assert_eq!(
        (second.outcome.as_str(), second.lead_id),
        ("updated", first.lead_id)
    );
    let state = sim.state();
    assert_eq!(state.clients.len(), 1);
    let contact = only_contact(&state);
    assert_eq!(contact.get("FirstName"), "Jean-Pierre");
    assert_eq!(
        contact.get("Function"),
        "CEO",
        "non-overwritable and already set in INES"
    );
    assert_eq!(contact.get("InternalRef"), contact_ref);
}

#[test]
fn a_non_overwritable_field_empty_in_ines_gets_filled_and_an_empty_value_never_blanks_ines() {
    let sim = start_sim();
    let platform = Platform::mapped_to(&sim);
    platform.configure(|s| {
        s.non_overwritable = vec!["contact:Function".into(), "contact:MobilePhone".into()]
    });
    let first = platform.submit(&with(FORM, &[("position", "")]));
    assert_eq!(first.outcome, "created");
    assert_eq!(only_contact(&sim.state()).get("Function"), "");

    let second = platform.submit(&with(
        FORM,
        &[("position", "CTO"), ("mobile", "0600000000"), ("phone", "")],
    ));
    assert_eq!(second.outcome, "updated");
    let state = sim.state();
    let contact = only_contact(&state);
    assert_eq!(contact.get("Function"), "CTO", "empty in INES, so filled");
    assert_eq!(contact.get("MobilePhone"), "0600000000");
    assert_eq!(
        contact.get("BussinesTelephone"),
        "0140000001",
        "an empty value never blanks INES"
    );
}

#[test]
fn a_second_lead_of_the_same_company_joins_the_same_ines_client() {
    let sim = start_sim();
    let platform = Platform::mapped_to(&sim);
    assert_eq!(platform.submit(FORM).outcome, "created");
    let second = platform.submit(&with(
        FORM,
        &[
            ("email", "marie.martin@example.com"),
            ("firstname", "Marie"),
        ],
    ));
    assert_eq!(second.outcome, "created");
    let state = sim.state();
    assert_eq!(state.clients.len(), 1, "one company, one INES client");
    assert_eq!(state.contacts.len(), 2);
    let client_ref = state.clients.keys().next().expect("client").to_string();
    assert!(
        state
            .contacts
            .values()
            .all(|c| c.get("CompanyRef") == client_ref)
    );
    assert!(operations(&sim).contains(&"AddContact".to_string()));
}

#[test]
fn ineligible_leads_are_refused_with_their_reason_and_ines_receives_nothing() {
    let sim = start_sim();
    let platform = Platform::mapped_to(&sim);
    let no_company = platform.submit(&[("email", "solo@example.com"), ("firstname", "Solo")]);
    assert_eq!(no_company.outcome, "refused");
    assert_eq!(
        no_company.reason.as_deref(),
        Some("the lead has no company")
    );

    let stopped = platform.submit(&with(FORM, &[("ines_stop_sync", "1")]));
    assert_eq!(stopped.outcome, "refused");
    assert!(
        stopped
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("not to be synchronised")),
        "{stopped:?}"
    );

    let mut no_email = host_shim::platform::Lead::default();
    no_email.fields.insert("firstname".into(), "Nobody".into());
    let no_email = platform.host.platform().save_lead(no_email).expect("saved");
    let (outcome, reason) = platform
        .host
        .push_lead(no_email.id, 1, "Contact us")
        .expect("handled");
    assert_eq!(
        (outcome.as_str(), reason.as_deref()),
        ("refused", Some("the lead has no e-mail address"))
    );

    platform.configure(|s| s.push_contacts = false);
    let off = platform.submit(FORM);
    assert_eq!(off.outcome, "refused");
    assert!(
        off.reason
            .as_deref()
            .is_some_and(|r| r.contains("Push contacts")),
        "{off:?}"
    );
    assert!(
        sim.calls().is_empty(),
        "INES received {:?}",
        operations(&sim)
    );
}

#[test]
fn a_points_only_change_reaches_ines_and_an_identical_submit_sends_nothing() {
    let sim = start_sim();
    let platform = Platform::mapped_to(&sim);
    let first = platform.submit(FORM);
    sim.clear_calls();
    assert_eq!(platform.submit(FORM).outcome, "unchanged");
    assert!(sim.calls().is_empty(), "{:?}", operations(&sim));

    let mut lead = platform.lead(first.lead_id);
    lead.points = 42;
    platform.host.platform().save_lead(lead).expect("saved");
    assert_eq!(platform.submit(FORM).outcome, "updated");
    assert!(operations(&sim).contains(&"UpdateContact".to_string()));
    assert_eq!(only_contact(&sim.state()).get("Scoring"), "42");
}

#[test]
fn a_custom_field_is_inserted_once_then_updated_in_place() {
    let sim = start_sim();
    let platform = Platform::mapped_to(&sim);
    for (niveau, expected) in [
        ("Bronze", "created"),
        ("Silver", "updated"),
        ("Gold", "updated"),
    ] {
        let result = platform.submit(&with(FORM, &[("niveau", niveau), ("secteur", "Industrie")]));
        assert_eq!(result.outcome, expected, "{niveau}");
        let state = sim.state();
        let rows: Vec<_> = state
            .contact_cf
            .iter()
            .filter(|r| r.definition == 17)
            .collect();
        assert_eq!(rows.len(), 1, "never a second row: {rows:?}");
        assert_eq!(rows[0].value, niveau);
        assert_eq!(
            state
                .company_cf
                .iter()
                .filter(|r| r.definition == 21)
                .count(),
            1
        );
    }
}

#[test]
fn a_contact_deleted_in_ines_is_recreated_once() {
    let sim = start_sim();
    let platform = Platform::mapped_to(&sim);
    let first = platform.submit(FORM);
    let old_ref = platform.lead(first.lead_id).fields["ines_contact_ref"].clone();
    sim.edit(|s| s.contacts.clear());
    let again = platform.submit(&with(FORM, &[("firstname", "Jeanne")]));
    assert_eq!(again.outcome, "created");
    let state = sim.state();
    let contact = only_contact(&state);
    assert_eq!(contact.get("FirstName"), "Jeanne");
    let new_ref = platform.lead(first.lead_id).fields["ines_contact_ref"].clone();
    assert_ne!(new_ref, old_ref);
    assert_eq!(contact.get("InternalRef"), new_ref);
    assert_eq!(
        state.clients.len(),
        1,
        "the client still existed and was reused"
    );
}

#[test]
fn hostile_values_round_trip_exactly_into_ines() {
    let sim = start_sim();
    let platform = Platform::mapped_to(&sim);
    let long = "é".repeat(5000) + "x";
    let hostile = [
        ("firstname", "<b>Jean</b> & \"Jo\" 'Jo'"),
        ("lastname", "]]> <![CDATA[ x ]]>"),
        ("position", "Chef 🚀 d'équipe 𝄞"),
        ("city", long.as_str()),
        ("company", "A&B <Ltd> ]]>"),
        ("niveau", "Gold & <Silver>"),
    ];
    let result = platform.submit(&with(FORM, &hostile));
    assert_eq!(result.outcome, "created", "{result:?}");
    let state = sim.state();
    let contact = only_contact(&state);
    assert_eq!(contact.get("FirstName"), hostile[0].1);
    assert_eq!(contact.get("LastName"), hostile[1].1);
    assert_eq!(contact.get("Function"), hostile[2].1);
    assert_eq!(contact.get("City"), long);
    let client = state.clients.values().next().expect("client");
    assert_eq!(client.get("CompanyName"), "A&B <Ltd> ]]>");
    assert_eq!(state.contact_cf[0].value, "Gold & <Silver>");
}

#[test]
fn a_control_character_fails_the_push_with_a_clear_reason_and_sends_nothing() {
    let sim = start_sim();
    let platform = Platform::mapped_to(&sim);
    let result = platform.submit(&with(FORM, &[("lastname", "Du\u{1}pont")]));
    assert_eq!(result.outcome, "failed");
    let reason = result.reason.unwrap_or_default();
    assert!(
        reason.contains("LastName") && reason.contains("U+0001"),
        "{reason}"
    );
    assert!(!operations(&sim).iter().any(|o| o.starts_with("Add")));
}

#[test]
fn unmapped_client_fields_default_from_the_leads_company_under_the_same_rule() {
    let sim = start_sim();
    let platform = Platform::mapped_to(&sim);
    platform.configure(|s| s.non_overwritable = vec!["client:Website".into()]);
    let first = platform.submit(&with(
        FORM,
        &[
            ("companycity", "Lyon"),
            ("companyzipcode", "69001"),
            ("companywebsite", "https://dupont.example"),
        ],
    ));
    assert_eq!(first.outcome, "created");
    let client = |state: &SimState| state.clients.values().next().cloned().expect("client");
    let created = client(&sim.state());
    assert_eq!(created.get("City"), "Lyon");
    assert_eq!(created.get("ZipCode"), "69001");
    assert_eq!(created.get("Website"), "https://dupont.example");

    let second = platform.submit(&with(
        FORM,
        &[
            ("companycity", "Paris"),
            ("companywebsite", "https://other.example"),
        ],
    ));
    assert_eq!(second.outcome, "updated");
    let updated = client(&sim.state());
    assert_eq!(
        updated.get("City"),
        "Paris",
        "an overwritable default follows the company"
    );
    assert_eq!(
        updated.get("Website"),
        "https://dupont.example",
        "non-overwritable default kept"
    );
    assert_eq!(updated.get("ZipCode"), "69001");
}

#[test]
fn soap_calls_of_a_first_push_and_of_an_update_with_one_changed_field() {
    let sim = start_sim();
    let platform = Platform::mapped_to(&sim);
    // Without custom fields, so the figures are those of the records alone.
    platform.configure(|s| {
        s.mapping.remove("contact-custom:17");
        s.mapping.remove("client-custom:21");
    });
    assert_eq!(platform.submit(FORM).outcome, "created");
    assert_eq!(
        operations(&sim),
        [
            "authenticationWs",
            "GetSyncInfo",
            "AddClientWithContacts",
            "AddLead"
        ]
    );
    sim.clear_calls();
    assert_eq!(
        platform
            .submit(&with(FORM, &[("firstname", "Jacques")]))
            .outcome,
        "updated"
    );
    // GetContact and GetClient are in flight together: their order is the network's.
    let mut update = operations(&sim);
    update.sort();
    assert_eq!(update, ["GetClient", "GetContact", "UpdateContact"]);
}

#[test]
fn the_ines_custom_fields_are_read_again_when_the_settings_change() {
    let sim = start_sim();
    let platform = Platform::mapped_to(&sim);
    platform.host.describe().expect("describe");
    platform
        .host
        .describe()
        .expect("describe again, from the cache");
    let reads = |sim: &ines_sim::Simulator| {
        operations(sim)
            .iter()
            .filter(|o| *o == "GetSyncInfo")
            .count()
    };
    assert_eq!(reads(&sim), 1);
    platform.configure(|s| s.non_overwritable = vec!["contact:City".into()]);
    platform
        .host
        .describe()
        .expect("describe after a settings change");
    assert_eq!(reads(&sim), 2);
}
