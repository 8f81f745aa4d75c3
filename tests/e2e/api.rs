//! The developers' API `GET /api/ines/getMapping` over real HTTP, behind Basic auth.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;

use host_shim::serve::{ApiCredentials, ApiServer};

use crate::support::{Platform, start_sim};

/// One HTTP/1.1 GET; returns the status line, the headers and the body.
fn get(addr: SocketAddr, path: &str, authorization: Option<&str>) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    let auth = authorization
        .map(|a| format!("Authorization: {a}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Connection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = String::new();
    stream.read_to_string(&mut raw).expect("read");
    let (head, body) = raw.split_once("\r\n\r\n").expect("an HTTP response");
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    (status, head.to_ascii_lowercase(), body.to_string())
}

fn serving(platform: Platform) -> (ApiServer, Arc<host_shim::Host>, tempfile::TempDir) {
    let Platform { host, dir } = platform;
    host.set_api_credentials(&ApiCredentials {
        user: "api".into(),
        password: "s3cr3t".into(),
    })
    .expect("credentials saved");
    let host = Arc::new(host);
    let server =
        ApiServer::start(Arc::clone(&host), ([127, 0, 0, 1], 0).into()).expect("server starts");
    (server, host, dir)
}

// "api:s3cr3t" and "api:wrong" in base64.
const RIGHT: &str = "Basic YXBpOnMzY3IzdA==";
const WRONG: &str = "Basic YXBpOndyb25n";

#[test]
fn missing_or_wrong_credentials_get_401_with_a_challenge_and_the_right_ones_the_exact_document() {
    let sim = start_sim();
    let platform = Platform::mapped_to(&sim);
    platform.configure(|s| {
        s.mapping.insert("client:Phone".into(), "phone".into());
        s.non_overwritable = vec!["contact:Function".into(), "client:Phone".into()];
    });
    let (server, _host, _dir) = serving(platform);

    for auth in [None, Some(WRONG)] {
        let (status, head, body) = get(server.addr(), "/api/ines/getMapping", auth);
        assert_eq!(status, 401, "{auth:?}");
        assert!(head.contains("www-authenticate: basic realm="), "{head}");
        assert!(head.contains("content-type: application/json"), "{head}");
        assert_eq!(body, r#"{"error":"API credentials required"}"#);
    }

    let (status, head, body) = get(server.addr(), "/api/ines/getMapping", Some(RIGHT));
    assert_eq!(status, 200, "{body}");
    assert!(head.contains("content-type: application/json"), "{head}");
    let expected = concat!(
        r#"{"mapping":["#,
        r#"{"concept":"contact","inesFieldKey":"InternalContactRef","isCustomField":0,"atmtFieldKey":"ines_contact_ref","isEcrasable":0},"#,
        r#"{"concept":"client","inesFieldKey":"InternalCompanyRef","isCustomField":0,"atmtFieldKey":"ines_client_ref","isEcrasable":0},"#,
        r#"{"concept":"client","inesFieldKey":"21","isCustomField":1,"atmtFieldKey":"secteur","isEcrasable":1},"#,
        r#"{"concept":"client","inesFieldKey":"CompanyName","isCustomField":0,"atmtFieldKey":"company","isEcrasable":0},"#,
        r#"{"concept":"client","inesFieldKey":"Phone","isCustomField":0,"atmtFieldKey":"phone","isEcrasable":0},"#,
        r#"{"concept":"contact","inesFieldKey":"17","isCustomField":1,"atmtFieldKey":"niveau","isEcrasable":1},"#,
        r#"{"concept":"contact","inesFieldKey":"BussinesTelephone","isCustomField":0,"atmtFieldKey":"phone","isEcrasable":1},"#,
        r#"{"concept":"contact","inesFieldKey":"City","isCustomField":0,"atmtFieldKey":"city","isEcrasable":1},"#,
        r#"{"concept":"contact","inesFieldKey":"FirstName","isCustomField":0,"atmtFieldKey":"firstname","isEcrasable":1},"#,
        r#"{"concept":"contact","inesFieldKey":"Function","isCustomField":0,"atmtFieldKey":"position","isEcrasable":0},"#,
        r#"{"concept":"contact","inesFieldKey":"LastName","isCustomField":0,"atmtFieldKey":"lastname","isEcrasable":1},"#,
        r#"{"concept":"contact","inesFieldKey":"MobilePhone","isCustomField":0,"atmtFieldKey":"mobile","isEcrasable":1},"#,
        r#"{"concept":"contact","inesFieldKey":"PrimaryMailAddress","isCustomField":0,"atmtFieldKey":"email","isEcrasable":0}"#,
        r#"],"dontSyncFieldKey":"ines_stop_sync"}"#,
    );
    assert_eq!(body, expected);
}

#[test]
fn a_plugin_error_fails_one_request_as_json_and_the_server_carries_on() {
    let sim = start_sim();
    let platform = Platform::mapped_to(&sim);
    let (server, host, _dir) = serving(platform);
    let mut settings = host.platform().settings().expect("settings");
    let saved = settings.clone();
    settings.mapping.remove("special:stop-sync");
    host.platform().save_settings(&settings).expect("saved");
    let (status, _, body) = get(server.addr(), "/api/ines/getMapping", Some(RIGHT));
    assert_eq!(status, 422);
    let error: serde_json::Value = serde_json::from_str(&body).expect("JSON error");
    let message = error["error"].as_str().expect("a message");
    assert!(message.contains("special:stop-sync"), "{message}");
    assert!(!body.contains("panicked") && !body.contains("backtrace"));

    host.platform().save_settings(&saved).expect("restored");
    let (status, _, _) = get(server.addr(), "/api/ines/getMapping", Some(RIGHT));
    assert_eq!(status, 200, "the server survived the failed request");
    let (status, _, body) = get(server.addr(), "/api/ines/nothing", Some(RIGHT));
    assert_eq!(
        (status, body.as_str()),
        (404, r#"{"error":"no such API endpoint"}"#)
    );
}
