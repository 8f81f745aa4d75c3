//! Behaviour beyond single checks: sessions and idle expiry, atomicity, refs, value round trips,
//! lookups, knobs, the WSDL, the call log, robustness, and the `ines-sim` binary.

mod support;

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::panic::AssertUnwindSafe;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ines_sim::{CallRecord, Knob, SimConfig, Simulator};
use support::*;

fn add_dupont(sim: &Simulator, session: &str) -> (i32, i32) {
    let response = post(
        sim.addr(),
        SYNC,
        Some(&action("AddClientWithContacts")),
        &with_session(examples::ADD_CLIENT_WITH_CONTACTS_REQUEST, session),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    let client: i32 = text_of(&response.body, "InternalRef")
        .and_then(|text| text.parse().ok())
        .expect("client ref");
    let state = sim.state();
    let contact = state
        .contacts
        .iter()
        .find(|(_, record)| record.get("CompanyRef") == client.to_string())
        .map(|(reference, _)| *reference)
        .expect("contact ref");
    (client, contact)
}

/// The §8.4 `AddContact` for `client` with `first_name` (already XML-escaped).
fn add_contact(sim: &Simulator, session: &str, client: i32, first_name: &str) -> HttpResponse {
    let body = with_session(examples::ADD_CONTACT_REQUEST, session)
        .replace(
            "<clientRef>1650</clientRef>",
            &format!("<clientRef>{client}</clientRef>"),
        )
        .replace(
            "<FirstName>Marie</FirstName>",
            &format!("<FirstName>{first_name}</FirstName>"),
        );
    post(sim.addr(), SYNC, Some(&action("AddContact")), &body)
}

fn sync_info(sim: &Simulator, session: &str) -> HttpResponse {
    call(sim, SYNC, "GetSyncInfo", Some(session), "")
}

fn with_idle(idle: Duration) -> Simulator {
    start_with(SimConfig {
        session_idle: idle,
        ..SimConfig::default()
    })
}

#[test]
fn sessions_expire_after_the_idle_time_and_each_check_resets_it() {
    let sim = with_idle(Duration::from_secs(60));
    let busy = login(&sim);
    let idle = login(&sim);
    assert_ne!(busy, idle, "several sessions per user");
    for _ in 0..4 {
        sim.advance_clock(Duration::from_secs(18));
        assert_eq!(sync_info(&sim, &busy).status, 200);
    }
    // 72 s since login (idle time 60 s): the unused session has expired, the busy one has not.
    assert_eq!(
        sync_info(&sim, &idle).fault().as_deref(),
        Some("Session expired or invalid")
    );
    sim.advance_clock(Duration::from_secs(72));
    assert_eq!(
        sync_info(&sim, &busy).fault().as_deref(),
        Some("Session expired or invalid")
    );
}

#[test]
fn a_request_that_passes_the_session_check_resets_the_clock_even_if_it_faults() {
    let sim = with_idle(Duration::from_secs(60));
    let session = login(&sim);
    sim.advance_clock(Duration::from_secs(36));
    let faulted = call(
        &sim,
        ICM,
        "GetContact",
        Some(&session),
        "<reference>9</reference>",
    );
    assert_eq!(faulted.fault().as_deref(), Some("Unknown reference 9"));
    sim.advance_clock(Duration::from_secs(36));
    assert_eq!(sync_info(&sim, &session).status, 200);
}

#[test]
fn a_new_login_ends_no_session() {
    let sim = start();
    let first = login(&sim);
    let second = login(&sim);
    assert_eq!(sync_info(&sim, &first).status, 200);
    assert_eq!(sync_info(&sim, &second).status, 200);
}

#[test]
fn a_faulting_request_changes_nothing() {
    let sim = start();
    let session = login(&sim);
    let (client, contact) = add_dupont(&sim, &session);
    let before = sim.state();
    let add_request = with_session(examples::ADD_CLIENT_WITH_CONTACTS_REQUEST, &session);
    let two_contacts_second_bad = add_request.replace(
        "</ContactInfoAuto></Contacts>",
        "</ContactInfoAuto><ContactInfoAuto><Type>x</Type></ContactInfoAuto></Contacts>",
    );
    let update_contact = with_session(examples::UPDATE_CONTACT_REQUEST, &session).replace(
        "<InternalRef>544</InternalRef>",
        "<InternalRef>777</InternalRef>",
    );
    let update_contact_bad_date = with_session(examples::UPDATE_CONTACT_REQUEST, &session)
        .replace(
            "<InternalRef>544</InternalRef>",
            &format!("<InternalRef>{contact}</InternalRef>"),
        )
        .replace("2024-06-02T16:45:10", "2024-06-02T16:45");
    let update_client = with_session(examples::UPDATE_CLIENT_REQUEST, &session).replace(
        "<InternalRef>1650</InternalRef>",
        "<InternalRef>778</InternalRef>",
    );
    let lead = with_session(examples::ADD_LEAD_REQUEST, &session)
        .replace("<ClRef>1650</ClRef>", &format!("<ClRef>{client}</ClRef>"))
        .replace("<CtRef>544</CtRef>", &format!("<CtRef>{contact}</CtRef>"))
        .replace("<FileRef>2</FileRef>", "<FileRef>9</FileRef>");
    let posts = [
        (
            "AddClientWithContacts",
            add_request.replace("<PaymentMethodRef>1<", "<PaymentMethodRef>0<"),
        ),
        ("AddClientWithContacts", two_contacts_second_bad),
        ("UpdateContact", update_contact),
        ("UpdateContact", update_contact_bad_date),
        ("UpdateClient", update_client),
        ("AddLead", lead),
    ];
    for (operation, body) in posts {
        let response = post(sim.addr(), SYNC, Some(&action(operation)), &body);
        assert_eq!(response.status, 500, "{operation}: {}", response.body);
    }
    let calls = [
        (
            SYNC,
            "DeleteAutomationContact",
            "<InesRef>1</InesRef>".to_owned(),
        ),
        (
            CF,
            "InsertContactCF",
            format!(
                "<ctRef>{contact}</ctRef><chdefRef>99</chdefRef><chpValue/><chvLies>0</chvLies><chvGroupeAssoc>0</chvGroupeAssoc>"
            ),
        ),
        (
            CF,
            "UpdateCompanyCF",
            format!("<clRef>{client}</clRef><chdefRef>21</chdefRef><chpRef>1</chpRef><chpValue/>"),
        ),
    ];
    for (path, operation, content) in calls {
        let response = call(&sim, path, operation, Some(&session), &content);
        assert_eq!(response.status, 500, "{operation}: {}", response.body);
    }
    // The session fault comes before any effect.
    let response = add_contact(&sim, "expired", client, "Marie");
    assert_eq!(
        response.fault().as_deref(),
        Some("Session expired or invalid")
    );
    assert_eq!(sim.state(), before);
}

#[test]
fn refs_are_positive_allocated_and_never_reused() {
    let sim = start();
    let session = login(&sim);
    let (client, contact) = add_dupont(&sim, &session);
    assert!(client > 0 && contact > client);
    let first = add_contact(&sim, &session, client, "A");
    let first_ref: i32 = text_of(&first.body, "InternalRef")
        .and_then(|t| t.parse().ok())
        .expect("ref");
    sim.edit(|state| state.contacts.remove(&first_ref));
    let second = add_contact(&sim, &session, client, "B");
    let second_ref: i32 = text_of(&second.body, "InternalRef")
        .and_then(|t| t.parse().ok())
        .expect("ref");
    assert!(second_ref > first_ref);
    // Refs seeded by a test are skipped.
    sim.edit(|state| {
        let next = state.next_ref;
        state.clients.insert(next, ines_sim::Record::default());
    });
    let third = add_contact(&sim, &session, client, "C");
    let third_ref: i32 = text_of(&third.body, "InternalRef")
        .and_then(|t| t.parse().ok())
        .expect("ref");
    assert_eq!(third_ref, second_ref + 2);
}

#[test]
fn strings_round_trip_verbatim_with_whitespace_and_markup() {
    let sim = start();
    let session = login(&sim);
    let (client, _) = add_dupont(&sim, &session);
    let sent = "  Zoë &amp; &lt;Co&gt; \"q\" 'a' &#13;\n\tx  ";
    let expected = "  Zoë & <Co> \"q\" 'a' \r\n\tx  ";
    let response = add_contact(&sim, &session, client, sent);
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(
        text_of(&response.body, "FirstName").as_deref(),
        Some(expected)
    );
    let reference = text_of(&response.body, "InternalRef").expect("ref");
    assert_eq!(
        sim.state().contacts[&reference.parse::<i32>().expect("int")].get("FirstName"),
        expected
    );
    let get = call(
        &sim,
        ICM,
        "GetContact",
        Some(&session),
        &format!("<reference>{reference}</reference>"),
    );
    assert_eq!(text_of(&get.body, "FirstName").as_deref(), Some(expected));
}

#[test]
fn updates_replace_every_element_but_the_keys() {
    let sim = start();
    let session = login(&sim);
    let (client, contact) = add_dupont(&sim, &session);
    let update = with_session(examples::UPDATE_CONTACT_REQUEST, &session)
        .replace(
            "<InternalRef>544</InternalRef>",
            &format!("<InternalRef>{contact}</InternalRef>"),
        )
        .replace(
            "<CompanyRef>1650</CompanyRef>",
            "<CompanyRef>1</CompanyRef>",
        )
        .replace("<FirstName>Jean</FirstName>", "");
    let response = post(sim.addr(), SYNC, Some(&action("UpdateContact")), &update);
    assert_eq!(
        text_of(&response.body, "UpdateContactResult"),
        Some(contact.to_string())
    );
    let stored = &sim.state().contacts[&contact];
    assert_eq!(stored.get("FirstName"), "", "an absent string clears");
    assert_eq!(stored.get("CompanyRef"), client.to_string());

    let update = with_session(examples::UPDATE_CLIENT_REQUEST, &session)
        .replace(
            "<InternalRef>1650</InternalRef>",
            &format!("<InternalRef>{client}</InternalRef>"),
        )
        .replace("<AutomationRef>12</AutomationRef>", "")
        .replace("<IsNew>false</IsNew>", "")
        .replace("<Effectif>0</Effectif>", "")
        .replace("<City>Paris</City>", "");
    sim.edit(|state| {
        state
            .clients
            .get_mut(&client)
            .expect("client")
            .set("Effectif", "40")
    });
    let response = post(sim.addr(), SYNC, Some(&action("UpdateClient")), &update);
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(
        text_of(&response.body, "IsNew"),
        None,
        "ClientInfo has no Auto rows"
    );
    let stored = &sim.state().clients[&client];
    assert_eq!(
        stored.get("AutomationRef"),
        "12",
        "an absent opt AutomationRef is kept"
    );
    assert_eq!(stored.get("Effectif"), "0", "an absent Effectif is 0");
    assert_eq!(stored.get("City"), "");
    assert_eq!(stored.get("IsNew"), "true");
}

#[test]
fn lookups_come_from_the_config() {
    let sim = start();
    let session = login(&sim);
    let types = call(&sim, ICM, "GetTypeClientList", Some(&session), "");
    assert_eq!(types.status, 200, "{}", types.body);
    assert_eq!(types.body.matches("<ClientTypeInfo>").count(), 3);
    assert!(types.body.contains(
        "<InternalRef>3</InternalRef><Description>Prospect</Description><Order>3</Order>"
    ));
    let contact_types = call(&sim, ICM, "GetTypeContactList", Some(&session), "");
    assert_eq!(contact_types.body.matches("<ContactTypeInfo>").count(), 2);
    let all = call(&sim, ICM, "GetUserInfoFromUserRef", Some(&session), "");
    assert_eq!(all.body.matches("<UserInfoRH>").count(), 2);
    let staff = call(&sim, ICM, "GetUserInfoFromRHRef", Some(&session), "");
    assert_eq!(staff.body.matches("<UserInfoRH>").count(), 1);
    assert!(staff.body.contains("<RHRef>5</RHRef>"));

    let empty = start_with(SimConfig {
        origins: Vec::new(),
        ..SimConfig::default()
    });
    let session = login(&empty);
    let origins = call(&empty, ICM, "GetOriginList", Some(&session), "");
    assert!(
        origins.body.contains("<GetOriginListResult/>"),
        "{}",
        origins.body
    );
}

#[test]
fn knob_latency_delays_the_answer() {
    let sim = start();
    let session = login(&sim);
    sim.set_knob(
        Some("GetSyncInfo"),
        Knob::Latency(Duration::from_millis(400)),
        Some(1),
    );
    let started = Instant::now();
    assert_eq!(sync_info(&sim, &session).status, 200);
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert_eq!(sim.calls().last().map(|c| c.outcome.as_str()), Some("ok"));
}

#[test]
fn knob_http_status_answers_plain_text_without_running_the_operation() {
    let sim = start();
    let session = login(&sim);
    let (client, _) = add_dupont(&sim, &session);
    sim.set_knob(Some("AddContact"), Knob::HttpStatus(503), Some(1));
    let before = sim.state();
    let response = add_contact(&sim, &session, client, "Marie");
    assert_eq!(response.status, 503);
    assert!(
        response
            .header("content-type")
            .unwrap_or("")
            .starts_with("text/plain")
    );
    assert_eq!(sim.state(), before);
    assert_eq!(add_contact(&sim, &session, client, "Marie").status, 200);
    let outcomes: Vec<String> = sim.calls().into_iter().map(|c| c.outcome).collect();
    assert!(outcomes.contains(&"HTTP 503".to_owned()));
}

#[test]
fn knob_fault_answers_that_fault() {
    let sim = start();
    let session = login(&sim);
    let (client, _) = add_dupont(&sim, &session);
    sim.set_knob(
        None,
        Knob::Fault {
            server: true,
            text: "Internal error: boom".to_owned(),
        },
        None,
    );
    let before = sim.state();
    let response = add_contact(&sim, &session, client, "Marie");
    assert_eq!(response.status, 500);
    assert_eq!(response.fault_code().as_deref(), Some("soap:Server"));
    assert_eq!(response.fault().as_deref(), Some("Internal error: boom"));
    assert_eq!(sim.state(), before);
    sim.clear_knobs();
    sim.set_knob(
        Some("GetSyncInfo"),
        Knob::Fault {
            server: false,
            text: "Session expired or invalid".to_owned(),
        },
        Some(1),
    );
    let response = sync_info(&sim, &session);
    assert_eq!(response.fault_code().as_deref(), Some("soap:Client"));
    assert_eq!(sync_info(&sim, &session).status, 200);
}

#[test]
fn knob_malformed_and_truncated_bodies_after_the_operation_ran() {
    let sim = start();
    let session = login(&sim);
    let (client, _) = add_dupont(&sim, &session);
    let contacts = |sim: &Simulator| sim.state().contacts.len();

    sim.set_knob(Some("AddContact"), Knob::MalformedBody, Some(1));
    let response = add_contact(&sim, &session, client, "Marie");
    assert_eq!(response.status, 200);
    assert!(!response.body.trim_start().starts_with('<'));
    assert_eq!(contacts(&sim), 2, "the operation ran");

    let full = add_contact(&sim, &session, client, "Marie").body;
    sim.set_knob(Some("AddContact"), Knob::TruncatedBody, Some(1));
    let response = add_contact(&sim, &session, client, "Marie");
    assert_eq!(response.status, 200);
    assert!(response.body.len() <= full.len() / 2 + 1);
    assert!(full.starts_with(&response.body[..40]));
    assert!(text_of(&response.body, "AddContactResponse").is_none());
    assert_eq!(contacts(&sim), 4, "the operation ran");

    let log: Vec<CallRecord> = sim.calls();
    let outcomes: Vec<&str> = log.iter().map(|c| c.outcome.as_str()).collect();
    assert!(outcomes.contains(&"malformed body") && outcomes.contains(&"truncated body"));
}

#[test]
fn knob_expire_session_expires_only_the_session_used() {
    let sim = start();
    let first = login(&sim);
    let second = login(&sim);
    sim.set_knob(Some("GetSyncInfo"), Knob::ExpireSession, Some(1));
    assert_eq!(
        sync_info(&sim, &first).fault().as_deref(),
        Some("Session expired or invalid")
    );
    assert_eq!(
        sync_info(&sim, &first).fault().as_deref(),
        Some("Session expired or invalid"),
        "that session stays expired"
    );
    assert_eq!(sync_info(&sim, &second).status, 200);
    let third = login(&sim);
    assert_eq!(sync_info(&sim, &third).status, 200, "the knob was used up");
}

#[test]
fn wsdl_describes_the_service_at_its_own_address() {
    let sim = start();
    let response = http(sim.addr(), "GET", "/WS/WSICM.asmx?WSDL", &[], "");
    assert_eq!(response.status, 200);
    assert_eq!(
        response.header("content-type"),
        Some("text/xml; charset=utf-8")
    );
    let wsdl = &response.body;
    canonical(wsdl); // well-formed
    assert!(wsdl.contains(r#"targetNamespace="http://webservice.ines.fr""#));
    assert!(wsdl.contains(r#"elementFormDefault="qualified""#));
    assert!(wsdl.contains(&format!(
        r#"<soap:address location="http://{}/ws/wsicm.asmx"/>"#,
        sim.addr()
    )));
    assert_eq!(wsdl.matches("<soap:operation ").count(), 7);
    assert!(wsdl.contains(r#"soapAction="http://webservice.ines.fr/GetContact""#));
    assert!(wsdl.contains(r#"<s:element name="SessionID">"#));
    assert_eq!(wsdl.matches("<soap:header ").count(), 7);
    assert!(wsdl.contains(r#"name="UserInfoRH" minOccurs="0" maxOccurs="unbounded""#));
    assert!(wsdl.contains(r#"name="SyncStopped" minOccurs="0""#));

    let sync = http(sim.addr(), "GET", "/ws/WSAutomationSync.asmx?wsdl", &[], "").body;
    assert!(sync.contains(r#"<s:element name="Contacts" minOccurs="0" maxOccurs="1">"#));
    assert!(
        sync.contains(r#"<s:element name="clientRef" minOccurs="1" maxOccurs="1" type="s:int"/>"#)
    );

    let configured = start_with(SimConfig {
        public_base_url: Some("https://crm.example/prefix/".to_owned()),
        ..SimConfig::default()
    });
    let login_wsdl = http(
        configured.addr(),
        "GET",
        "/wslogin/login.asmx?wsdl",
        &[],
        "",
    )
    .body;
    assert!(
        login_wsdl.contains(
            r#"<soap:address location="https://crm.example/prefix/wslogin/login.asmx"/>"#
        )
    );
    assert!(!login_wsdl.contains("<soap:header "));
    assert_eq!(login_wsdl.matches("<soap:operation ").count(), 1);
}

#[test]
fn every_request_is_recorded_in_order() {
    let sim = start();
    let session = login(&sim);
    http(sim.addr(), "GET", "/nowhere", &[], "");
    call(
        &sim,
        ICM,
        "GetContact",
        Some(&session),
        "<reference>9</reference>",
    );
    post(sim.addr(), ICM, Some("x"), "junk");
    let expected = [
        ("authenticationWs", LOGIN, "ok"),
        ("", "/nowhere", "HTTP 404"),
        ("GetContact", ICM, "Unknown reference 9"),
        ("", ICM, "Malformed request"),
    ];
    let calls = sim.calls();
    assert_eq!(calls.len(), expected.len());
    for (call, (operation, path, outcome)) in calls.iter().zip(expected) {
        assert_eq!(call.operation, operation);
        assert_eq!(call.path, path);
        assert!(call.outcome.starts_with(outcome), "{call:?}");
    }
    sim.clear_calls();
    assert!(sim.calls().is_empty());
}

#[test]
fn the_server_survives_bad_input_and_a_poisoned_lock() {
    let sim = start();
    let garbage = send_raw(sim.addr(), b"\x00\x01 NOT HTTP\r\n\r\n");
    assert!(garbage.is_empty() || garbage.starts_with(b"HTTP/1.1 4"));
    let deep = format!("{}{}", "<a>".repeat(10_000), "</a>".repeat(10_000));
    let response = post(sim.addr(), LOGIN, Some(&action("authenticationWs")), &deep);
    assert!(
        response
            .fault()
            .unwrap_or_default()
            .starts_with("Malformed request")
    );
    let mut latin1 = format!(
        "POST {LOGIN} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: text/xml\r\n\
         SOAPAction: \"{WS}/authenticationWs\"\r\nContent-Length: 6\r\n\r\n"
    )
    .into_bytes();
    latin1.extend_from_slice(b"<a>\xe9</a>"[..6].as_ref());
    let not_utf8 = parse_response(&send_raw(sim.addr(), &latin1));
    assert_eq!(not_utf8.status, 500);
    assert!(
        not_utf8
            .fault()
            .unwrap_or_default()
            .starts_with("Malformed request: the body is not UTF-8")
    );
    let declared = post(
        sim.addr(),
        LOGIN,
        Some(&action("authenticationWs")),
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>",
    );
    assert!(declared.fault().unwrap_or_default().contains("ISO-8859-1"));

    let panicked = std::panic::catch_unwind(AssertUnwindSafe(|| {
        sim.edit(|_| panic!("a test panics while editing"));
    }));
    assert!(panicked.is_err());
    let session = login(&sim);
    assert_eq!(sync_info(&sim, &session).status, 200);
    assert!(sim.state().clients.is_empty());
}

#[test]
fn concurrent_creations_get_distinct_refs() {
    let sim = start();
    let session = login(&sim);
    let (client, _) = add_dupont(&sim, &session);
    let refs: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let (sim, session) = (&sim, &session);
                scope.spawn(move || {
                    let response = add_contact(sim, session, client, &format!("n{i}"));
                    text_of(&response.body, "InternalRef").expect("ref")
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    let mut unique = refs.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 8);
}

#[test]
fn shutdown_closes_the_port() {
    let sim = start();
    let addr = sim.addr();
    assert_eq!(sim.base_url(), format!("http://{addr}"));
    sim.shutdown();
    assert!(TcpStream::connect(addr).is_err());
}

#[test]
fn the_binary_prints_its_address_and_serves_configured_accounts() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ines-sim"))
        .args(["--listen", "127.0.0.1:0", "--account", "Co:me:pa:ss"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("runs");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("a line");
    let result = std::panic::catch_unwind(|| {
        let url = line
            .trim()
            .strip_prefix("listening on http://")
            .expect("listening line");
        let addr = url.parse().expect("an address");
        let login = |compte: &str, user: &str, password: &str| {
            let content = format!(
                "<request><compte>{compte}</compte><userName>{user}</userName><password>{password}</password></request>"
            );
            let body = envelope(
                None,
                &format!(r#"<authenticationWs xmlns="{WS}">{content}</authenticationWs>"#),
            );
            let response = post(addr, LOGIN, Some(&action("authenticationWs")), &body);
            text_of(&response.body, "codeReturn")
        };
        assert_eq!(login("Co", "me", "pa:ss").as_deref(), Some("ok"));
        assert_eq!(
            login("ACME", "jdupont", "s3cret").as_deref(),
            Some("failed")
        );
    });
    let _ = child.kill();
    let _ = child.wait();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}
