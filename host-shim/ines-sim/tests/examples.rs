//! The ines-wire §8 examples over real HTTP: each request gets a response equal in content to the
//! one in the spec (refs seeded through `Simulator::edit` where the example assumes them).

mod support;

use ines_sim::{CfRow, Simulator};
use support::examples::*;
use support::*;

/// Runs §8.3 with the ref counter at 1650, so the client gets 1650 and its contact 1651; then
/// renumbers the contact to 544 as in the later examples. Returns the session id.
fn seed_dupont(sim: &Simulator) -> String {
    let session = login(sim);
    sim.edit(|state| state.next_ref = 1650);
    let response = post(
        sim.addr(),
        SYNC,
        Some(&action("AddClientWithContacts")),
        &with_session(ADD_CLIENT_WITH_CONTACTS_REQUEST, &session),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    sim.edit(|state| {
        let mut contact = state.contacts.remove(&1651).expect("contact 1651");
        contact.set("InternalRef", "544");
        state.contacts.insert(544, contact);
    });
    session
}

#[test]
fn login_success_8_1() {
    let sim = start();
    let response = post(
        sim.addr(),
        LOGIN,
        Some(&action("authenticationWs")),
        LOGIN_REQUEST,
    );
    assert_eq!(response.status, 200);
    assert_eq!(
        response.header("content-type"),
        Some("text/xml; charset=utf-8")
    );
    let id = text_of(&response.body, "idSession").expect("idSession");
    assert_eq!(id.len(), 32);
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_same_xml(
        &response.body,
        &LOGIN_RESPONSE.replace(EXAMPLE_SESSION, &id),
    );
}

#[test]
fn login_failure_8_2_is_http_200_failed() {
    let sim = start();
    let response = post(
        sim.addr(),
        LOGIN,
        Some(&action("authenticationWs")),
        LOGIN_FAILED_REQUEST,
    );
    assert_eq!(response.status, 200);
    assert_same_xml(&response.body, LOGIN_FAILED_RESPONSE);
}

#[test]
fn add_client_with_contacts_8_3() {
    let sim = start();
    let session = login(&sim);
    sim.edit(|state| state.next_ref = 1650);
    let response = post(
        sim.addr(),
        SYNC,
        Some(&action("AddClientWithContacts")),
        &with_session(ADD_CLIENT_WITH_CONTACTS_REQUEST, &session),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    assert_same_xml(
        &response.body,
        &ADD_CLIENT_WITH_CONTACTS_RESPONSE.replace("544", "1651"),
    );
    let state = sim.state();
    assert_eq!(state.clients[&1650].get("CompanyName"), "Dupont SA");
    assert_eq!(state.contacts[&1651].get("CompanyRef"), "1650");
    assert_eq!(state.contacts[&1651].get("AutomationRef"), "345");
}

#[test]
fn add_contact_8_4() {
    let sim = start();
    let session = seed_dupont(&sim);
    sim.edit(|state| state.next_ref = 545);
    let response = post(
        sim.addr(),
        SYNC,
        Some(&action("AddContact")),
        &with_session(ADD_CONTACT_REQUEST, &session),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    assert_same_xml(&response.body, ADD_CONTACT_RESPONSE);
    assert_eq!(sim.state().contacts[&545].get("Service"), "Finance");
}

#[test]
fn get_contact_8_5_then_sync_stopped_after_8_12() {
    let sim = start();
    let session = seed_dupont(&sim);
    let get = || {
        post(
            sim.addr(),
            ICM,
            Some(&action("GetContact")),
            &with_session(GET_CONTACT_REQUEST, &session),
        )
    };
    let before = get();
    assert_eq!(before.status, 200, "{}", before.body);
    assert_same_xml(&before.body, GET_CONTACT_RESPONSE);

    for _ in 0..2 {
        // Idempotent.
        let delete = post(
            sim.addr(),
            SYNC,
            Some(&action("DeleteAutomationContact")),
            &with_session(DELETE_AUTOMATION_CONTACT_REQUEST, &session),
        );
        assert_eq!(delete.status, 200, "{}", delete.body);
        assert_same_xml(&delete.body, DELETE_AUTOMATION_CONTACT_RESPONSE);
    }

    let after = get();
    let expected = GET_CONTACT_RESPONSE.replace(
        "<InternalRef>544</InternalRef>",
        "<InternalRef>544</InternalRef><SyncStopped>true</SyncStopped>",
    );
    assert_same_xml(&after.body, &expected);
    let state = sim.state();
    assert!(state.contacts[&544].sync_stopped);
    assert!(state.clients.contains_key(&1650));
}

#[test]
fn update_contact_8_6() {
    let sim = start();
    let session = seed_dupont(&sim);
    sim.edit(|state| state.contacts.get_mut(&544).expect("544").sync_stopped = true);
    let response = post(
        sim.addr(),
        SYNC,
        Some(&action("UpdateContact")),
        &with_session(UPDATE_CONTACT_REQUEST, &session),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    assert_same_xml(&response.body, UPDATE_CONTACT_RESPONSE);
    let contact = &sim.state().contacts[&544];
    assert_eq!(contact.get("Function"), "Directeur général");
    assert_eq!(contact.get("ModificationDate"), "2024-06-02T16:45:10");
    assert_eq!(contact.get("Scoring"), "35");
    assert_eq!(contact.get("CompanyRef"), "1650");
    assert_eq!(
        contact.get("IsNew"),
        "true",
        "IsNew is not stored by updates"
    );
    assert!(contact.sync_stopped, "the SyncStopped flag is kept");
}

#[test]
fn update_client_8_7_keeps_the_vat_fraction() {
    let sim = start();
    let session = seed_dupont(&sim);
    let response = post(
        sim.addr(),
        SYNC,
        Some(&action("UpdateClient")),
        &with_session(UPDATE_CLIENT_REQUEST, &session),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    assert_same_xml(&response.body, UPDATE_CLIENT_RESPONSE);
    let client = &sim.state().clients[&1650];
    assert_eq!(client.get("VatTax"), "20.6");
    assert_eq!(client.get("Phone"), "0140009999");

    let get = call(
        &sim,
        ICM,
        "GetClient",
        Some(&session),
        "<reference>1650</reference>",
    );
    let expected = UPDATE_CLIENT_RESPONSE
        .replace("UpdateClientResponse", "GetClientResponse")
        .replace("UpdateClientResult", "GetClientResult");
    assert_same_xml(&get.body, &expected);
}

#[test]
fn get_sync_info_8_8() {
    let sim = start();
    let session = login(&sim);
    let response = post(
        sim.addr(),
        SYNC,
        Some(&action("GetSyncInfo")),
        &with_session(GET_SYNC_INFO_REQUEST, &session),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    assert_same_xml(&response.body, GET_SYNC_INFO_RESPONSE);
}

#[test]
fn custom_fields_8_9_and_8_10() {
    let sim = start();
    let session = seed_dupont(&sim);
    sim.edit(|state| {
        for (r#ref, definition, value) in [(9001, 17, "Gold"), (9003, 18, "2024-05-01T00:00:00")] {
            state.contact_cf.push(CfRow {
                r#ref,
                owner: 544,
                definition,
                value: value.to_owned(),
            });
        }
        state.next_ref = 9004;
    });
    let get = post(
        sim.addr(),
        CF,
        Some(&action("GetContactCF")),
        &with_session(GET_CONTACT_CF_REQUEST, &session),
    );
    assert_eq!(get.status, 200, "{}", get.body);
    assert_same_xml(&get.body, GET_CONTACT_CF_RESPONSE);

    let insert = post(
        sim.addr(),
        CF,
        Some(&action("InsertContactCF")),
        &with_session(INSERT_CONTACT_CF_REQUEST, &session),
    );
    assert_eq!(insert.status, 200, "{}", insert.body);
    assert_same_xml(&insert.body, INSERT_CONTACT_CF_RESPONSE);

    let update = call(
        &sim,
        CF,
        "UpdateContactCF",
        Some(&session),
        "<ctRef>544</ctRef><chdefRef>17</chdefRef><chpRef>9001</chpRef><chpValue>Silver</chpValue>",
    );
    assert_eq!(update.status, 200, "{}", update.body);
    assert_same_xml(
        &update.body,
        &format!(
            r#"<s:Envelope xmlns:s="{SOAP}"><s:Body><UpdateContactCFResponse xmlns="{WS}"><UpdateContactCFResult>9001</UpdateContactCFResult></UpdateContactCFResponse></s:Body></s:Envelope>"#
        ),
    );
    let rows = sim.state().contact_cf;
    let values: Vec<(i32, i32, &str)> = rows
        .iter()
        .map(|row| (row.r#ref, row.definition, row.value.as_str()))
        .collect();
    assert_eq!(
        values,
        [
            (9001, 17, "Silver"),
            (9003, 18, "2024-05-01T00:00:00"),
            (9004, 19, "true")
        ]
    );
}

#[test]
fn add_lead_8_11() {
    let sim = start();
    let session = seed_dupont(&sim);
    sim.edit(|state| state.next_ref = 7788);
    let response = post(
        sim.addr(),
        SYNC,
        Some(&action("AddLead")),
        &with_session(ADD_LEAD_REQUEST, &session),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    assert_same_xml(&response.body, ADD_LEAD_RESPONSE);
    let leads = sim.state().leads;
    assert_eq!(leads.len(), 1);
    assert_eq!(leads[0].r#ref, 7788);
    assert_eq!(
        leads[0].fields["DescriptionCourte"],
        "Form submission: Contact us"
    );
    assert_eq!(leads[0].fields["FileRef"], "2");
    assert_eq!(leads[0].fields.len(), 17);
}

#[test]
fn session_expired_8_13() {
    let sim = start();
    let session = seed_dupont(&sim);
    sim.expire_all_sessions();
    let response = post(
        sim.addr(),
        ICM,
        Some(&action("GetClient")),
        &with_session(SESSION_EXPIRED_REQUEST, &session),
    );
    assert_eq!(response.status, 500);
    assert_same_xml(&response.body, SESSION_EXPIRED_RESPONSE);

    // The client then logs in again and resends the same body with the new id.
    let fresh = login(&sim);
    let retry = post(
        sim.addr(),
        ICM,
        Some(&action("GetClient")),
        &with_session(SESSION_EXPIRED_REQUEST, &fresh),
    );
    assert_eq!(retry.status, 200, "{}", retry.body);
    assert_eq!(text_of(&retry.body, "InternalRef").as_deref(), Some("1650"));
}
