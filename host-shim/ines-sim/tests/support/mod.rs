//! Test support: a tiny HTTP/1.1 client over `std::net::TcpStream`, SOAP envelope builders, and
//! an XML canonical form for comparing responses by content.

#![allow(dead_code)]

pub mod examples;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use ines_sim::{SimConfig, Simulator};
use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::{Namespace, ResolveResult};

pub const WS: &str = "http://webservice.ines.fr";
pub const SOAP: &str = "http://schemas.xmlsoap.org/soap/envelope/";
pub const LOGIN: &str = "/wslogin/login.asmx";
pub const SYNC: &str = "/ws/WSAutomationSync.asmx";
pub const ICM: &str = "/ws/wsicm.asmx";
pub const CF: &str = "/ws/wscf.asmx";
/// The session id used in the ines-wire §8 examples.
pub const EXAMPLE_SESSION: &str = "9c1f6d0e4b2a47d8a3e5f7b9c2d4e6f8";

pub fn start() -> Simulator {
    start_with(SimConfig::default())
}

pub fn start_with(config: SimConfig) -> Simulator {
    let addr: SocketAddr = "127.0.0.1:0".parse().expect("address");
    Simulator::start(config, addr).expect("simulator starts")
}

#[derive(Debug)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The `faultstring`, if the body is a SOAP fault.
    pub fn fault(&self) -> Option<String> {
        text_of(&self.body, "faultstring")
    }

    pub fn fault_code(&self) -> Option<String> {
        text_of(&self.body, "faultcode")
    }
}

/// Sends raw bytes and reads the answer until the server closes the connection.
pub fn send_raw(addr: SocketAddr, request: &[u8]) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    stream.write_all(request).expect("writes");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    answer
}

/// One HTTP/1.1 exchange on a fresh connection (`Connection: close`).
pub fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> HttpResponse {
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    parse_response(&send_raw(addr, request.as_bytes()))
}

pub fn parse_response(raw: &[u8]) -> HttpResponse {
    let split = raw
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .expect("a complete HTTP head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .expect("a status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.clone())
    };
    if header("transfer-encoding").is_some_and(|value| value.eq_ignore_ascii_case("chunked")) {
        body = dechunk(&body);
    } else if let Some(length) = header("content-length").and_then(|value| value.parse().ok()) {
        body.truncate(length);
    }
    HttpResponse {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|window| window == b"\r\n") {
        let size_text = String::from_utf8_lossy(&data[..end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("0").trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = end + 2;
        out.extend_from_slice(&data[start..start + size]);
        data = &data[start + size + 2..];
    }
    out
}

/// POSTs a SOAP body with the standard headers and the given `SOAPAction` value (verbatim).
pub fn post(addr: SocketAddr, path: &str, soap_action: Option<&str>, body: &str) -> HttpResponse {
    let mut headers = vec![("Content-Type", "text/xml; charset=utf-8")];
    if let Some(action) = soap_action {
        headers.push(("SOAPAction", action));
    }
    http(addr, "POST", path, &headers, body)
}

/// The quoted `SOAPAction` of an operation.
pub fn action(operation: &str) -> String {
    format!("\"{WS}/{operation}\"")
}

/// An envelope with an optional `SessionID` header around `body`.
pub fn envelope(session: Option<&str>, body: &str) -> String {
    let header = session
        .map(|id| {
            format!(
                r#"<soap:Header><SessionID xmlns="{WS}"><ID>{id}</ID></SessionID></soap:Header>"#
            )
        })
        .unwrap_or_default();
    format!(
        r#"<soap:Envelope xmlns:soap="{SOAP}">{header}<soap:Body>{body}</soap:Body></soap:Envelope>"#
    )
}

/// Calls `operation` with `content` inside its element, the right action and a session.
pub fn call(
    sim: &Simulator,
    path: &str,
    operation: &str,
    session: Option<&str>,
    content: &str,
) -> HttpResponse {
    let body = envelope(
        session,
        &format!(r#"<{operation} xmlns="{WS}">{content}</{operation}>"#),
    );
    post(sim.addr(), path, Some(&action(operation)), &body)
}

/// Logs in with the default account and returns the session id.
pub fn login(sim: &Simulator) -> String {
    let response = call(
        sim,
        LOGIN,
        "authenticationWs",
        None,
        "<request><compte>ACME</compte><userName>jdupont</userName><password>s3cret</password></request>",
    );
    assert_eq!(response.status, 200, "{}", response.body);
    let id = text_of(&response.body, "idSession").expect("an idSession");
    assert!(!id.is_empty());
    id
}

/// The text of the first element with this local name.
pub fn text_of(xml: &str, local_name: &str) -> Option<String> {
    let mut reader = NsReader::from_str(xml);
    let mut inside = false;
    let mut text = String::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(start) if start.local_name().into_inner() == local_name => inside = true,
            Event::Empty(start) if start.local_name().into_inner() == local_name => {
                return Some(String::new());
            }
            Event::Text(chunk) if inside => text.push_str(&chunk.xml10_content()),
            Event::GeneralRef(reference) if inside => {
                let name: &str = &reference;
                match reference.resolve_char_ref().ok()? {
                    Some(c) => text.push(c),
                    None => text.push(match name {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        _ => '\'',
                    }),
                }
            }
            Event::CData(data) if inside => text.push_str(&data.xml10_content()),
            Event::End(end) if inside && end.local_name().into_inner() == local_name => {
                return Some(text);
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// A canonical form of an XML document's content: elements as `{namespace}local`, prefixes and
/// declarations ignored, `<a/>` equal to `<a></a>`, whitespace-only text between elements dropped.
pub fn canonical(xml: &str) -> String {
    let mut reader = NsReader::from_str(xml);
    let mut out = String::new();
    let mut text = String::new();
    let flush = |text: &mut String, out: &mut String| {
        if !text.trim().is_empty() {
            out.push_str(&format!("{text:?}"));
        }
        text.clear();
    };
    loop {
        let (resolved, event) = reader.read_resolved_event().expect("well-formed XML");
        let namespace = match resolved {
            ResolveResult::Bound(Namespace(namespace)) => namespace.to_owned(),
            _ => String::new(),
        };
        match event {
            Event::Start(start) => {
                flush(&mut text, &mut out);
                out.push_str(&format!(
                    "<{{{namespace}}}{}>",
                    start.local_name().into_inner()
                ));
            }
            Event::Empty(start) => {
                flush(&mut text, &mut out);
                let name = start.local_name().into_inner().to_owned();
                out.push_str(&format!("<{{{namespace}}}{name}></>"));
            }
            Event::End(_) => {
                flush(&mut text, &mut out);
                out.push_str("</>");
            }
            Event::Text(chunk) => text.push_str(&chunk.xml10_content()),
            Event::GeneralRef(reference) => {
                let name: &str = &reference;
                text.push_str(&format!("&{name};"));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// Asserts that two documents have the same content (see `canonical`).
#[track_caller]
pub fn assert_same_xml(actual: &str, expected: &str) {
    let (actual_form, expected_form) = (canonical(actual), canonical(expected));
    if actual_form != expected_form {
        let at = actual_form
            .chars()
            .zip(expected_form.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let from = at.saturating_sub(200);
        panic!(
            "XML differs at char {at}\n actual: …{}\n expected: …{}\n\nfull actual:\n{actual}",
            actual_form.chars().skip(from).take(400).collect::<String>(),
            expected_form
                .chars()
                .skip(from)
                .take(400)
                .collect::<String>(),
        );
    }
}

/// The §8 example request with the example session id replaced by a real one.
pub fn with_session(example: &str, session: &str) -> String {
    example.replace(EXAMPLE_SESSION, session)
}
