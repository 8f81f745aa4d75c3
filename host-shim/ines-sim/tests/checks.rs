//! The checks of ines-wire §9, one case each and in their order: transport, envelope, operation,
//! SOAPAction, session, elements, types, rules — each answered with the exact §5 fault.

mod support;

use ines_sim::Simulator;
use support::*;

const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

#[track_caller]
fn assert_fault(response: &HttpResponse, expected_prefix: &str) {
    assert_eq!(response.status, 500, "{}", response.body);
    assert_eq!(
        response.header("content-type"),
        Some("text/xml; charset=utf-8")
    );
    let text = response
        .fault()
        .unwrap_or_else(|| panic!("not a fault: {}", response.body));
    assert!(
        text.starts_with(expected_prefix),
        "faultstring {text:?} does not start with {expected_prefix:?}"
    );
    assert_eq!(response.fault_code().as_deref(), Some("soap:Client"));
    assert_eq!(text_of(&response.body, "detail").as_deref(), Some(""));
}

fn get_contact(sim: &Simulator, session: &str, content: &str) -> HttpResponse {
    call(sim, ICM, "GetContact", Some(session), content)
}

/// The contact elements of a valid `AddContact` (strings other than `LastName` left out).
const CONTACT_BASE: &[(&str, &str)] = &[
    ("Author", "0"),
    ("CompanyRef", "0"),
    ("Confidentiality", "Undefined"),
    ("CreationDate", "2024-05-15T11:00:00"),
    ("DateOfBirth", "0001-01-01T00:00:00"),
    ("ModificationDate", "2024-05-15T11:00:00"),
    ("Rang", "Principal"),
    ("Type", "0"),
    ("InternalRef", "0"),
    ("LastName", "Martin"),
];

/// A valid `AddContact` body for client `client`, where each `(name, xml)` of `overrides`
/// replaces the contact element of that name (or is added).
fn add_contact_content(client: i32, overrides: &[(&str, &str)]) -> String {
    let mut contact = String::new();
    for (name, value) in CONTACT_BASE {
        match overrides.iter().find(|(wanted, _)| wanted == name) {
            Some((_, xml)) => contact.push_str(xml),
            None => contact.push_str(&format!("<{name}>{value}</{name}>")),
        }
    }
    for (name, xml) in overrides {
        if !CONTACT_BASE.iter().any(|(known, _)| known == name) {
            contact.push_str(xml);
        }
    }
    format!(
        "<contact>{contact}</contact><AutomationRef>7</AutomationRef><clientRef>{client}</clientRef>\
         <scoring>3</scoring><desabo>false</desabo><npai>0</npai>"
    )
}

#[test]
fn canonical_comparison_tells_documents_apart() {
    assert_eq!(
        canonical(r#"<a:x xmlns:a="urn:1"><a:b/></a:x>"#),
        canonical(r#"<x xmlns="urn:1"><b></b></x>"#)
    );
    assert_ne!(canonical("<x><b/></x>"), canonical("<x><c/></x>"));
    assert_ne!(canonical("<x><b>1</b></x>"), canonical("<x><b>2</b></x>"));
}

#[test]
fn transport_unknown_path_and_plain_get_are_404() {
    let sim = start();
    let body = envelope(None, "<GetSyncInfo xmlns=\"http://webservice.ines.fr\"/>");
    let response = post(
        sim.addr(),
        "/ws/nothing.asmx",
        Some(&action("GetSyncInfo")),
        &body,
    );
    assert_eq!(response.status, 404);
    assert!(
        response
            .header("content-type")
            .unwrap_or("")
            .starts_with("text/plain")
    );
    assert_eq!(http(sim.addr(), "GET", ICM, &[], "").status, 404);
    assert_eq!(
        http(sim.addr(), "GET", "/nothing?wsdl", &[], "").status,
        404
    );
}

#[test]
fn transport_other_methods_are_405() {
    let sim = start();
    for method in ["PUT", "DELETE", "HEAD", "PATCH"] {
        let response = http(sim.addr(), method, LOGIN, &[], "");
        assert_eq!(response.status, 405, "{method}");
    }
}

#[test]
fn transport_bad_media_type_or_charset_is_415() {
    let sim = start();
    let body = envelope(None, "<x/>");
    for content_type in [
        Some("application/soap+xml; charset=utf-8"),
        Some("text/xml; charset=iso-8859-1"),
        Some("text/plain"),
        None,
    ] {
        let mut headers = vec![(
            "SOAPAction",
            "\"http://webservice.ines.fr/authenticationWs\"",
        )];
        if let Some(value) = content_type {
            headers.push(("Content-Type", value));
        }
        let response = http(sim.addr(), "POST", LOGIN, &headers, &body);
        assert_eq!(response.status, 415, "{content_type:?}");
    }
    // A charset is optional, and compared ignoring case.
    for content_type in ["text/xml", "Text/XML; Charset=\"UTF-8\""] {
        let headers = [
            ("Content-Type", content_type),
            (
                "SOAPAction",
                "\"http://webservice.ines.fr/authenticationWs\"",
            ),
        ];
        let response = http(sim.addr(), "POST", LOGIN, &headers, &body);
        assert_eq!(
            response.status, 500,
            "{content_type}: passes transport, fails later"
        );
    }
}

#[test]
fn transport_paths_ignore_case_and_post_ignores_the_query() {
    let sim = start();
    let session = login(&sim);
    let body = envelope(
        Some(&session),
        "<GetOriginList xmlns=\"http://webservice.ines.fr\"/>",
    );
    let response = post(
        sim.addr(),
        "/WS/WsIcm.ASMX?wsdl&x=1",
        Some(&action("GetOriginList")),
        &body,
    );
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(
        text_of(&response.body, "Description").as_deref(),
        Some("Site web")
    );
}

#[test]
fn envelope_not_well_formed() {
    let sim = start();
    for body in [
        "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>",
        "not xml at all",
        "",
        "<a></b>",
    ] {
        let response = post(sim.addr(), LOGIN, Some(&action("authenticationWs")), body);
        assert_fault(&response, "Malformed request");
    }
}

#[test]
fn envelope_dtd_is_rejected() {
    let sim = start();
    let body = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"ACME\">]>{}",
        envelope(
            None,
            "<authenticationWs xmlns=\"http://webservice.ines.fr\"><request><compte>&e;</compte></request></authenticationWs>"
        )
    );
    let response = post(sim.addr(), LOGIN, Some(&action("authenticationWs")), &body);
    assert_fault(&response, "Malformed request: a DTD is not allowed");
}

#[test]
fn envelope_must_be_soap_1_1_with_one_body_element_in_ws() {
    let sim = start();
    let cases = [
        (
            r#"<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><authenticationWs xmlns="http://webservice.ines.fr"/></e:Body></e:Envelope>"#.to_owned(),
            "a SOAP 1.2 envelope is not accepted",
        ),
        (
            envelope(None, "<authenticationWs xmlns=\"http://webservice.ines.fr\"/><GetSyncInfo xmlns=\"http://webservice.ines.fr\"/>"),
            "the Body holds 2 elements",
        ),
        (envelope(None, ""), "the Body is empty"),
        (
            envelope(None, "<authenticationWs xmlns=\"http://webservice.ines.fr/\"/>"),
            "the operation element",
        ),
        (
            envelope(None, "<authenticationWs/>"),
            "the operation element",
        ),
        (
            format!(r#"<soap:Envelope xmlns:soap="{SOAP}"/>"#),
            "the Envelope has no Body",
        ),
    ];
    for (body, detail) in cases {
        let response = post(sim.addr(), LOGIN, Some(&action("authenticationWs")), &body);
        assert_fault(&response, &format!("Malformed request: {detail}"));
    }
}

#[test]
fn prefixes_are_free_and_comments_pis_cdata_and_references_are_allowed() {
    let sim = start();
    let body = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><!-- c --><?pi x?><E:Envelope xmlns:E="{SOAP}"><E:Body xmlns:w="{WS}"><w:authenticationWs><w:request><w:compte><![CDATA[AC]]>&#77;&#x45;</w:compte><!-- c --><w:userName>jdupont</w:userName><w:password>s3cret</w:password></w:request></w:authenticationWs></E:Body></E:Envelope>"#
    );
    let response = post(sim.addr(), LOGIN, Some(&action("authenticationWs")), &body);
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(text_of(&response.body, "codeReturn").as_deref(), Some("ok"));
}

#[test]
fn operation_on_the_wrong_service_is_unknown() {
    let sim = start();
    let session = login(&sim);
    let response = call(
        &sim,
        SYNC,
        "GetContact",
        Some(&session),
        "<reference>1</reference>",
    );
    assert_fault(&response, "Unknown operation GetContact");
    assert_eq!(
        response.fault().as_deref(),
        Some("Unknown operation GetContact")
    );
    for (path, operation) in [
        (ICM, "AddClient"),
        (ICM, "UpdateClient"),
        (CF, "GetLeadCF"),
        (LOGIN, "GetSyncInfo"),
    ] {
        let response = call(&sim, path, operation, Some(&session), "");
        assert_eq!(
            response.fault(),
            Some(format!("Unknown operation {operation}")),
            "{path}"
        );
    }
}

#[test]
fn soap_action_missing_mismatched_or_unquoted() {
    let sim = start();
    let session = login(&sim);
    let body = envelope(
        Some(&session),
        "<GetSyncInfo xmlns=\"http://webservice.ines.fr\"/>",
    );
    let missing = post(sim.addr(), SYNC, None, &body);
    assert_fault(
        &missing,
        "Malformed request: the SOAPAction header is missing",
    );
    for wrong in [
        "\"http://webservice.ines.fr/GetContact\"",
        "\"http://webservice.ines.fr/\"",
        "\"\"",
        "GetSyncInfo",
        "\"http://webservice.ines.fr/getsyncinfo\"",
    ] {
        let response = post(sim.addr(), SYNC, Some(wrong), &body);
        assert_fault(&response, "Malformed request: the SOAPAction");
    }
    let unquoted = post(
        sim.addr(),
        SYNC,
        Some("http://webservice.ines.fr/GetSyncInfo"),
        &body,
    );
    assert_eq!(unquoted.status, 200, "{}", unquoted.body);
}

#[test]
fn session_missing_empty_unknown_or_expired() {
    let sim = start();
    let session = login(&sim);
    let operation = "<GetSyncInfo xmlns=\"http://webservice.ines.fr\"/>";
    let bodies = [
        envelope(None, operation),
        envelope(Some(""), operation),
        envelope(Some("0123456789abcdef0123456789abcdef"), operation),
        envelope(Some(&format!(" {session}")), operation),
        // ID outside the ws namespace.
        format!(
            r#"<soap:Envelope xmlns:soap="{SOAP}"><soap:Header><SessionID xmlns="{WS}"><ID xmlns="">{session}</ID></SessionID></soap:Header><soap:Body>{operation}</soap:Body></soap:Envelope>"#
        ),
    ];
    for body in bodies {
        let response = post(sim.addr(), SYNC, Some(&action("GetSyncInfo")), &body);
        assert_fault(&response, "Session expired or invalid");
        assert_eq!(
            response.fault().as_deref(),
            Some("Session expired or invalid")
        );
    }
    // A mustUnderstand attribute and other header blocks are ignored.
    let with_extras = format!(
        r#"<soap:Envelope xmlns:soap="{SOAP}"><soap:Header><Other xmlns="urn:x"/><SessionID xmlns="{WS}" soap:mustUnderstand="1"><ID>{session}</ID></SessionID></soap:Header><soap:Body>{operation}</soap:Body></soap:Envelope>"#
    );
    let ok = post(sim.addr(), SYNC, Some(&action("GetSyncInfo")), &with_extras);
    assert_eq!(ok.status, 200, "{}", ok.body);

    sim.expire_all_sessions();
    let expired = call(&sim, SYNC, "GetSyncInfo", Some(&session), "");
    assert_fault(&expired, "Session expired or invalid");
}

#[test]
fn login_ignores_a_session_header() {
    let sim = start();
    let response = call(
        &sim,
        LOGIN,
        "authenticationWs",
        Some("bogus"),
        "<request><compte>ACME</compte><userName>jdupont</userName><password>s3cret</password></request>",
    );
    assert_eq!(text_of(&response.body, "codeReturn").as_deref(), Some("ok"));
}

#[test]
fn login_compares_exactly() {
    let sim = start();
    for request in [
        "<compte>acme</compte><userName>jdupont</userName><password>s3cret</password>",
        "<compte>ACME</compte><userName>jdupont </userName><password>s3cret</password>",
        "<compte>ACME</compte><userName>jdupont</userName>",
    ] {
        let response = call(
            &sim,
            LOGIN,
            "authenticationWs",
            None,
            &format!("<request>{request}</request>"),
        );
        assert_eq!(response.status, 200);
        assert_eq!(
            text_of(&response.body, "codeReturn").as_deref(),
            Some("failed")
        );
        assert_eq!(text_of(&response.body, "idSession").as_deref(), Some(""));
    }
}

#[test]
fn elements_unknown_duplicate_missing_or_foreign() {
    let sim = start();
    let session = login(&sim);
    let cases = [
        (
            "<reference>1</reference><Extra/>",
            "unknown element GetContact/Extra",
        ),
        (
            "<Reference>1</Reference>",
            "unknown element GetContact/Reference",
        ),
        (
            "<reference>1</reference><reference>1</reference>",
            "duplicate element GetContact/reference",
        ),
        ("", "missing required element GetContact/reference (int)"),
        (
            "<reference xmlns=\"urn:other\">1</reference>",
            "the element {urn:other}reference in GetContact is not in",
        ),
        (
            "<reference><n>1</n></reference>",
            "GetContact/reference is an int value and cannot hold",
        ),
        ("text<reference>1</reference>", "GetContact holds text"),
    ];
    for (content, detail) in cases {
        let response = get_contact(&sim, &session, content);
        assert_fault(&response, &format!("Malformed request: {detail}"));
    }
    let response = call(&sim, SYNC, "GetSyncInfo", Some(&session), "<x/>");
    assert_fault(
        &response,
        "Malformed request: unknown element GetSyncInfo/x",
    );
}

#[test]
fn values_bad_int_bool_date_token() {
    let sim = start();
    let session = login(&sim);
    let client = add_dupont(&sim, &session);
    let cases = [
        (
            "Type",
            "<Type>abc</Type>",
            "AddContact/contact/Type: \"abc\" is not an int",
        ),
        (
            "Type",
            "<Type>2147483648</Type>",
            "AddContact/contact/Type: 2147483648 is outside",
        ),
        (
            "IsNew",
            "<IsNew>yes</IsNew>",
            "AddContact/contact/IsNew: \"yes\" is not a bool",
        ),
        (
            "Rang",
            "<Rang>-1</Rang>",
            "AddContact/contact/Rang: \"-1\" is not a token",
        ),
        (
            "DateOfBirth",
            "<DateOfBirth>2024-02-30T00:00:00</DateOfBirth>",
            "AddContact/contact/DateOfBirth: \"2024-02-30T00:00:00\" is not a dateTime",
        ),
        (
            "DateOfBirth",
            "<DateOfBirth>2024-05-14T09:30:00Z</DateOfBirth>",
            "AddContact/contact/DateOfBirth",
        ),
        (
            "CreationDate",
            "<CreationDate>2024-05-14</CreationDate>",
            "AddContact/contact/CreationDate",
        ),
    ];
    for (name, xml, detail) in cases {
        let content = add_contact_content(client, &[(name, xml)]);
        let response = call(&sim, SYNC, "AddContact", Some(&session), &content);
        assert_fault(&response, &format!("Malformed request: {detail}"));
    }
    let content = add_contact_content(client, &[])
        .replace("<desabo>false</desabo>", "<desabo>False</desabo>");
    let response = call(&sim, SYNC, "AddContact", Some(&session), &content);
    assert_fault(&response, "Malformed request: AddContact/desabo");
    assert!(
        sim.state().contacts.len() == 1,
        "no contact added by faulting requests"
    );
    // Whitespace around non-strings is ignored; + signs are accepted.
    let content = add_contact_content(client, &[("Type", "<Type>\n +2 </Type>")])
        .replace("<scoring>3</scoring>", "<scoring> 3\t</scoring>");
    let response = call(&sim, SYNC, "AddContact", Some(&session), &content);
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(text_of(&response.body, "Type").as_deref(), Some("+2"));
    assert_eq!(text_of(&response.body, "Scoring").as_deref(), Some("3"));
}

#[test]
fn xsi_nil_only_on_strings() {
    let sim = start();
    let session = login(&sim);
    let client = add_dupont(&sim, &session);
    let nil = format!(r#"<Type xmlns:i="{XSI}" i:nil="true"/>"#);
    let nil_type = add_contact_content(client, &[("Type", &nil)]);
    let response = call(&sim, SYNC, "AddContact", Some(&session), &nil_type);
    assert_fault(
        &response,
        "Malformed request: xsi:nil is only allowed on string elements, and AddContact/contact/Type is an int",
    );
    let nil = format!(r#"<FirstName xmlns:i="{XSI}" i:nil="true"/>"#);
    let nil_string = add_contact_content(client, &[("FirstName", &nil)]);
    let response = call(&sim, SYNC, "AddContact", Some(&session), &nil_string);
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(text_of(&response.body, "FirstName").as_deref(), Some(""));
}

#[test]
fn checks_run_in_the_listed_order() {
    let sim = start();
    let session = login(&sim);
    // Operation (3) before SOAPAction (4).
    let response = post(
        sim.addr(),
        SYNC,
        Some("\"wrong\""),
        &envelope(None, "<GetContact xmlns=\"http://webservice.ines.fr\"/>"),
    );
    assert_fault(&response, "Unknown operation GetContact");
    // SOAPAction (4) before session (5).
    let response = post(
        sim.addr(),
        ICM,
        Some("\"wrong\""),
        &envelope(None, "<GetContact xmlns=\"http://webservice.ines.fr\"/>"),
    );
    assert_fault(&response, "Malformed request: the SOAPAction");
    // Session (5) before elements (6).
    let response = call(&sim, ICM, "GetContact", Some("nope"), "<bogus/>");
    assert_fault(&response, "Session expired or invalid");
    // Elements (6) before values (7), even when the bad value comes first.
    let response = get_contact(&sim, &session, "<reference>x</reference><bogus/>");
    assert_fault(
        &response,
        "Malformed request: unknown element GetContact/bogus",
    );
    // Values (7) before rules (8).
    let response = call(
        &sim,
        SYNC,
        "AddContact",
        Some(&session),
        &add_contact_content(999, &[]).replace("<scoring>3</scoring>", "<scoring>x</scoring>"),
    );
    assert_fault(&response, "Malformed request: AddContact/scoring");
}

/// Creates the §8.3 client with one contact and returns the client ref.
fn add_dupont(sim: &Simulator, session: &str) -> i32 {
    let response = post(
        sim.addr(),
        SYNC,
        Some(&action("AddClientWithContacts")),
        &with_session(examples::ADD_CLIENT_WITH_CONTACTS_REQUEST, session),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    *sim.state().clients.keys().next_back().expect("a client")
}

#[test]
fn unknown_references() {
    let sim = start();
    let session = login(&sim);
    let client = add_dupont(&sim, &session);
    let contact = *sim.state().contacts.keys().next().expect("a contact");
    let cases: Vec<(&str, &str, String, String)> = vec![
        (
            ICM,
            "GetContact",
            "<reference>999</reference>".into(),
            "999".into(),
        ),
        (
            ICM,
            "GetContact",
            format!("<reference>{client}</reference>"),
            client.to_string(),
        ),
        (
            ICM,
            "GetClient",
            format!("<reference>{contact}</reference>"),
            contact.to_string(),
        ),
        (
            SYNC,
            "DeleteAutomationContact",
            "<InesRef>-5</InesRef>".into(),
            "-5".into(),
        ),
        (
            SYNC,
            "AddContact",
            add_contact_content(4242, &[]),
            "4242".into(),
        ),
        (
            CF,
            "GetCompanyCF",
            format!("<reference>{contact}</reference>"),
            contact.to_string(),
        ),
        (
            CF,
            "InsertContactCF",
            format!(
                "<ctRef>{contact}</ctRef><chdefRef>21</chdefRef><chpValue>x</chpValue><chvLies>0</chvLies><chvGroupeAssoc>0</chvGroupeAssoc>"
            ),
            "21".into(),
        ),
        (
            CF,
            "InsertCompanyCF",
            format!(
                "<clRef>{contact}</clRef><chdefRef>21</chdefRef><chpValue>x</chpValue><chvLies>0</chvLies><chvGroupeAssoc>0</chvGroupeAssoc>"
            ),
            contact.to_string(),
        ),
        (
            CF,
            "UpdateContactCF",
            format!(
                "<ctRef>{contact}</ctRef><chdefRef>17</chdefRef><chpRef>77</chpRef><chpValue>x</chpValue>"
            ),
            "77".into(),
        ),
    ];
    for (path, operation, content, reference) in cases {
        let response = call(&sim, path, operation, Some(&session), &content);
        assert_eq!(
            response.fault(),
            Some(format!("Unknown reference {reference}")),
            "{operation}: {}",
            response.body
        );
    }
}

#[test]
fn custom_field_rows_must_belong_to_owner_and_definition() {
    let sim = start();
    let session = login(&sim);
    add_dupont(&sim, &session);
    let contact = *sim.state().contacts.keys().next().expect("a contact");
    let insert = call(
        &sim,
        CF,
        "InsertContactCF",
        Some(&session),
        &format!(
            "<ctRef>{contact}</ctRef><chdefRef>17</chdefRef><chpValue>Gold</chpValue><chvLies>0</chvLies><chvGroupeAssoc>0</chvGroupeAssoc>"
        ),
    );
    let row = text_of(&insert.body, "InsertContactCFResult").expect("a row ref");
    // Wrong definition for that row.
    let response = call(
        &sim,
        CF,
        "UpdateContactCF",
        Some(&session),
        &format!(
            "<ctRef>{contact}</ctRef><chdefRef>18</chdefRef><chpRef>{row}</chpRef><chpValue>x</chpValue>"
        ),
    );
    assert_eq!(response.fault(), Some(format!("Unknown reference {row}")));
    // Company side does not see contact rows.
    let client = *sim.state().clients.keys().next().expect("a client");
    let response = call(
        &sim,
        CF,
        "UpdateCompanyCF",
        Some(&session),
        &format!(
            "<clRef>{client}</clRef><chdefRef>17</chdefRef><chpRef>{row}</chpRef><chpValue>x</chpValue>"
        ),
    );
    assert_eq!(response.fault(), Some(format!("Unknown reference {row}")));
    assert_eq!(sim.state().contact_cf[0].value, "Gold");
}

#[test]
fn payment_method_ref_is_mandatory_on_creation_only() {
    let sim = start();
    let session = login(&sim);
    let request = with_session(examples::ADD_CLIENT_WITH_CONTACTS_REQUEST, &session).replace(
        "<PaymentMethodRef>1</PaymentMethodRef>",
        "<PaymentMethodRef>0</PaymentMethodRef>",
    );
    let response = post(
        sim.addr(),
        SYNC,
        Some(&action("AddClientWithContacts")),
        &request,
    );
    assert_fault(&response, "PaymentMethodRef is mandatory");
    assert_eq!(
        response.fault().as_deref(),
        Some("PaymentMethodRef is mandatory")
    );
    assert!(sim.state().clients.is_empty());

    let client = add_dupont(&sim, &session);
    let update = with_session(examples::UPDATE_CLIENT_REQUEST, &session)
        .replace("1650", &client.to_string())
        .replace(
            "<PaymentMethodRef>1</PaymentMethodRef>",
            "<PaymentMethodRef>0</PaymentMethodRef>",
        );
    let response = post(sim.addr(), SYNC, Some(&action("UpdateClient")), &update);
    assert_eq!(response.status, 200, "{}", response.body);
}

#[test]
fn add_lead_checks_client_contact_and_channel() {
    let sim = start();
    let session = login(&sim);
    let client = add_dupont(&sim, &session);
    let contact = *sim.state().contacts.keys().next().expect("a contact");
    let lead = |cl: i32, ct: i32, file: i32| {
        with_session(examples::ADD_LEAD_REQUEST, &session)
            .replace("<ClRef>1650</ClRef>", &format!("<ClRef>{cl}</ClRef>"))
            .replace("<CtRef>544</CtRef>", &format!("<CtRef>{ct}</CtRef>"))
            .replace(
                "<FileRef>2</FileRef>",
                &format!("<FileRef>{file}</FileRef>"),
            )
    };
    for ((cl, ct, file), bad) in [
        ((contact, contact, 2), contact),
        ((client, client, 2), client),
        ((client, contact, 3), 3),
    ] {
        let response = post(
            sim.addr(),
            SYNC,
            Some(&action("AddLead")),
            &lead(cl, ct, file),
        );
        assert_eq!(response.fault(), Some(format!("Unknown reference {bad}")));
    }
    let response = post(
        sim.addr(),
        SYNC,
        Some(&action("AddLead")),
        &lead(client, contact, 2),
    );
    assert_eq!(response.status, 200, "{}", response.body);
}

#[test]
fn custom_field_link_values_must_be_zero() {
    let sim = start();
    let session = login(&sim);
    add_dupont(&sim, &session);
    let contact = *sim.state().contacts.keys().next().expect("a contact");
    let response = call(
        &sim,
        CF,
        "InsertContactCF",
        Some(&session),
        &format!(
            "<ctRef>{contact}</ctRef><chdefRef>17</chdefRef><chpValue>Gold</chpValue><chvLies>1</chvLies><chvGroupeAssoc>0</chvGroupeAssoc>"
        ),
    );
    assert_fault(
        &response,
        "Malformed request: InsertContactCF/chvLies must be 0",
    );
}
