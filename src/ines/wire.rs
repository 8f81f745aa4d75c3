//! INES SOAP 1.1 wire layer: services, operations, the request envelope and the tolerant
//! response/fault decoder (ines-wire.md §1–§5, §10).

use crate::xml::{self, Element, XmlError, escape_text};

/// Namespace of every INES body element and of the `SessionID` header.
pub const INES_NS: &str = "http://webservice.ines.fr";
/// SOAP 1.1 envelope namespace.
pub const SOAP_ENV_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// SOAP 1.2 envelope namespace, only recognised so that a 1.2 fault is still read as a fault.
pub const SOAP12_ENV_NS: &str = "http://www.w3.org/2003/05/soap-envelope";

/// Longest fault text kept, so a hostile server cannot flood logs.
const MAX_FAULT_TEXT: usize = 1000;

/// The four INES services (§2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    Login,
    AutomationSync,
    ContactManager,
    CustomFields,
}

impl Service {
    /// Path appended to the base URL (after stripping its trailing `/`).
    pub const fn path(self) -> &'static str {
        match self {
            Service::Login => "/wslogin/login.asmx",
            Service::AutomationSync => "/ws/WSAutomationSync.asmx",
            Service::ContactManager => "/ws/wsicm.asmx",
            Service::CustomFields => "/ws/wscf.asmx",
        }
    }

    /// Whether requests carry the `SessionID` header (every service but login).
    pub const fn needs_session(self) -> bool {
        !matches!(self, Service::Login)
    }
}

/// One INES operation: its element name and the service that offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Operation {
    pub name: &'static str,
    pub service: Service,
}

const fn op(name: &'static str, service: Service) -> Operation {
    Operation { name, service }
}

pub const AUTHENTICATION_WS: Operation = op("authenticationWs", Service::Login);
pub const GET_SYNC_INFO: Operation = op("GetSyncInfo", Service::AutomationSync);
pub const ADD_CLIENT_WITH_CONTACTS: Operation =
    op("AddClientWithContacts", Service::AutomationSync);
pub const ADD_CONTACT: Operation = op("AddContact", Service::AutomationSync);
pub const UPDATE_CONTACT: Operation = op("UpdateContact", Service::AutomationSync);
pub const UPDATE_CLIENT: Operation = op("UpdateClient", Service::AutomationSync);
pub const ADD_LEAD: Operation = op("AddLead", Service::AutomationSync);
pub const DELETE_AUTOMATION_CONTACT: Operation =
    op("DeleteAutomationContact", Service::AutomationSync);
pub const GET_CONTACT: Operation = op("GetContact", Service::ContactManager);
pub const GET_CLIENT: Operation = op("GetClient", Service::ContactManager);
pub const GET_TYPE_CONTACT_LIST: Operation = op("GetTypeContactList", Service::ContactManager);
pub const GET_TYPE_CLIENT_LIST: Operation = op("GetTypeClientList", Service::ContactManager);
pub const GET_ORIGIN_LIST: Operation = op("GetOriginList", Service::ContactManager);
pub const GET_USER_INFO_FROM_USER_REF: Operation =
    op("GetUserInfoFromUserRef", Service::ContactManager);
pub const GET_USER_INFO_FROM_RH_REF: Operation =
    op("GetUserInfoFromRHRef", Service::ContactManager);
pub const GET_CONTACT_CF: Operation = op("GetContactCF", Service::CustomFields);
pub const GET_COMPANY_CF: Operation = op("GetCompanyCF", Service::CustomFields);
pub const INSERT_CONTACT_CF: Operation = op("InsertContactCF", Service::CustomFields);
pub const INSERT_COMPANY_CF: Operation = op("InsertCompanyCF", Service::CustomFields);
pub const UPDATE_CONTACT_CF: Operation = op("UpdateContactCF", Service::CustomFields);
pub const UPDATE_COMPANY_CF: Operation = op("UpdateCompanyCF", Service::CustomFields);

/// The 21 normative operations (§1 item 8).
pub const ALL_OPERATIONS: [Operation; 21] = [
    AUTHENTICATION_WS,
    GET_SYNC_INFO,
    ADD_CLIENT_WITH_CONTACTS,
    ADD_CONTACT,
    UPDATE_CONTACT,
    UPDATE_CLIENT,
    ADD_LEAD,
    DELETE_AUTOMATION_CONTACT,
    GET_CONTACT,
    GET_CLIENT,
    GET_TYPE_CONTACT_LIST,
    GET_TYPE_CLIENT_LIST,
    GET_ORIGIN_LIST,
    GET_USER_INFO_FROM_USER_REF,
    GET_USER_INFO_FROM_RH_REF,
    GET_CONTACT_CF,
    GET_COMPANY_CF,
    INSERT_CONTACT_CF,
    INSERT_COMPANY_CF,
    UPDATE_CONTACT_CF,
    UPDATE_COMPANY_CF,
];

impl Operation {
    pub const AUTHENTICATION_WS: Operation = AUTHENTICATION_WS;
    pub const GET_SYNC_INFO: Operation = GET_SYNC_INFO;
    pub const ADD_CLIENT_WITH_CONTACTS: Operation = ADD_CLIENT_WITH_CONTACTS;
    pub const ADD_CONTACT: Operation = ADD_CONTACT;
    pub const UPDATE_CONTACT: Operation = UPDATE_CONTACT;
    pub const UPDATE_CLIENT: Operation = UPDATE_CLIENT;
    pub const ADD_LEAD: Operation = ADD_LEAD;
    pub const DELETE_AUTOMATION_CONTACT: Operation = DELETE_AUTOMATION_CONTACT;
    pub const GET_CONTACT: Operation = GET_CONTACT;
    pub const GET_CLIENT: Operation = GET_CLIENT;
    pub const GET_TYPE_CONTACT_LIST: Operation = GET_TYPE_CONTACT_LIST;
    pub const GET_TYPE_CLIENT_LIST: Operation = GET_TYPE_CLIENT_LIST;
    pub const GET_ORIGIN_LIST: Operation = GET_ORIGIN_LIST;
    pub const GET_USER_INFO_FROM_USER_REF: Operation = GET_USER_INFO_FROM_USER_REF;
    pub const GET_USER_INFO_FROM_RH_REF: Operation = GET_USER_INFO_FROM_RH_REF;
    pub const GET_CONTACT_CF: Operation = GET_CONTACT_CF;
    pub const GET_COMPANY_CF: Operation = GET_COMPANY_CF;
    pub const INSERT_CONTACT_CF: Operation = INSERT_CONTACT_CF;
    pub const INSERT_COMPANY_CF: Operation = INSERT_COMPANY_CF;
    pub const UPDATE_CONTACT_CF: Operation = UPDATE_CONTACT_CF;
    pub const UPDATE_COMPANY_CF: Operation = UPDATE_COMPANY_CF;

    /// The `SOAPAction` header value, quotes included: `"http://webservice.ines.fr/<Op>"`.
    pub fn soap_action(&self) -> String {
        format!("\"{INES_NS}/{}\"", self.name)
    }

    /// Local name of the response wrapper, `<Op>Response`.
    pub fn response_name(&self) -> String {
        format!("{}Response", self.name)
    }

    /// Local name of the result element, `<Op>Result`.
    pub fn result_name(&self) -> String {
        format!("{}Result", self.name)
    }

    /// Whether the operation creates records, so that it must never be resent after a
    /// transport error or a `soap:Server` fault (§4 item 4).
    pub fn creates_records(&self) -> bool {
        matches!(
            self.name,
            "AddClientWithContacts"
                | "AddContact"
                | "AddLead"
                | "InsertContactCF"
                | "InsertCompanyCF"
        )
    }
}

/// Builds a complete SOAP 1.1 request envelope. `body_children` is trusted, already-escaped
/// XML (what the `ops` builders return); it becomes the content of
/// `<Op xmlns="http://webservice.ines.fr">`. The session id, when given, is XML-escaped into
/// the `SessionID/ID` header; an escaping error names the element `ID`, never the value.
pub fn envelope(
    op: &Operation,
    session_id: Option<&str>,
    body_children: &str,
) -> Result<String, XmlError> {
    let mut out = String::with_capacity(body_children.len() + 400);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    out.push_str("<soap:Envelope xmlns:soap=\"");
    out.push_str(SOAP_ENV_NS);
    out.push_str("\">");
    if let Some(id) = session_id {
        let id = escape_text(id, "ID")?;
        out.push_str("<soap:Header><SessionID xmlns=\"");
        out.push_str(INES_NS);
        out.push_str("\"><ID>");
        out.push_str(&id);
        out.push_str("</ID></SessionID></soap:Header>");
    }
    out.push_str("<soap:Body>");
    let mut w = xml::XmlWriter::new();
    if body_children.is_empty() {
        w.raw(&format!("<{} xmlns=\"{INES_NS}\"/>", op.name));
    } else {
        w.open_with_ns(op.name, INES_NS);
        w.raw(body_children);
        w.close(op.name);
    }
    out.push_str(&w.finish());
    out.push_str("</soap:Body></soap:Envelope>");
    Ok(out)
}

/// Local part of a fault code, without prefix or dotted subcodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultCode {
    /// `Client` (SOAP 1.2 `Sender`): the request was refused.
    Client,
    /// `Server` (SOAP 1.2 `Receiver`): the server failed.
    Server,
    /// Anything else (`VersionMismatch`, `MustUnderstand`, empty…), local part kept.
    Other(String),
}

impl FaultCode {
    /// Reads a `faultcode` QName such as `soap:Client`, `s:Server.Timeout` or `Client`.
    pub fn from_qname(raw: &str) -> Self {
        let raw = raw.trim();
        let local = raw.rsplit(':').next().unwrap_or(raw);
        let main = local.split('.').next().unwrap_or(local);
        if main.eq_ignore_ascii_case("Client") || main.eq_ignore_ascii_case("Sender") {
            FaultCode::Client
        } else if main.eq_ignore_ascii_case("Server") || main.eq_ignore_ascii_case("Receiver") {
            FaultCode::Server
        } else {
            FaultCode::Other(xml::truncate(main, 40))
        }
    }
}

impl std::fmt::Display for FaultCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FaultCode::Client => f.write_str("Client"),
            FaultCode::Server => f.write_str("Server"),
            FaultCode::Other(s) => f.write_str(s),
        }
    }
}

/// Why an INES call did not yield a result element.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SoapError {
    /// A SOAP fault (whatever the HTTP status).
    #[error("INES fault ({code}): {text}")]
    Fault { code: FaultCode, text: String },
    /// A non-200 HTTP status without a readable fault.
    #[error("INES answered HTTP {status} without a SOAP fault")]
    Http { status: u16 },
    /// A 200 answer that is not what the operation promises (the text names the operation
    /// and element).
    #[error("unexpected INES response: {0}")]
    BadResponse(String),
}

/// Prefix of the "record does not exist" fault text (§5).
pub const UNKNOWN_REFERENCE_PREFIX: &str = "Unknown reference ";

impl SoapError {
    /// The session fault, or any fault mentioning "session" in any case (§10.8): log in
    /// again once and resend once.
    pub fn is_session_fault(&self) -> bool {
        match self {
            SoapError::Fault { text, .. } => text.to_lowercase().contains("session"),
            _ => false,
        }
    }

    /// The ref of an `Unknown reference <n>` fault.
    pub fn unknown_reference(&self) -> Option<i64> {
        let SoapError::Fault { text, .. } = self else {
            return None;
        };
        let rest = text.trim_start().strip_prefix(UNKNOWN_REFERENCE_PREFIX)?;
        let rest = rest.trim_start();
        let end = rest
            .char_indices()
            .find(|&(i, c)| !(c.is_ascii_digit() || (i == 0 && (c == '-' || c == '+'))))
            .map_or(rest.len(), |(i, _)| i);
        rest.get(..end)?.parse().ok()
    }

    /// Whether resending the same request cannot duplicate an effect in INES: a `Client`
    /// fault (refused before any effect, §5), or an HTTP 4xx (the request was not
    /// processed). A `Server` fault, a 5xx or an unreadable answer may follow a partial or
    /// complete effect, so creation calls must not be resent after them (§4 item 4). This
    /// says nothing about whether a retry can succeed.
    pub fn retry_is_safe(&self) -> bool {
        match self {
            SoapError::Fault { code, .. } => *code == FaultCode::Client,
            SoapError::Http { status } => (400..500).contains(status),
            SoapError::BadResponse(_) => false,
        }
    }
}

/// Decodes an HTTP answer to `op` and returns its `<Op>Result` element.
///
/// Tolerant per §10.1/§10.6: a fault is recognised with any prefix, dotted subcodes, any
/// HTTP status and extra text; the wrapper is matched by namespace and local name, the result
/// by local name only. A non-200 status without a fault gives [`SoapError::Http`]; a 200
/// without the result gives [`SoapError::BadResponse`] naming it.
pub fn parse_response(op: &Operation, status: u16, body: &[u8]) -> Result<Element, SoapError> {
    let root = match xml::parse(body) {
        Ok(root) => root,
        Err(e) if status == 200 => {
            return Err(SoapError::BadResponse(format!(
                "{}: response is not usable XML: {e}",
                op.name
            )));
        }
        // A proxy error page or an empty body: the status says more than the body.
        Err(_) => return Err(SoapError::Http { status }),
    };
    let env_ns = root.ns.as_str();
    let is_envelope = root.name == "Envelope" && (env_ns == SOAP_ENV_NS || env_ns == SOAP12_ENV_NS);
    let body_elem = if is_envelope {
        root.children.iter().find(|c| c.is(env_ns, "Body"))
    } else {
        None
    };
    let Some(body_elem) = body_elem else {
        if status != 200 {
            return Err(SoapError::Http { status });
        }
        return Err(SoapError::BadResponse(if is_envelope {
            format!("{}: SOAP envelope has no Body", op.name)
        } else {
            format!(
                "{}: expected a SOAP 1.1 Envelope, got <{}>",
                op.name,
                xml::truncate(&root.name, 60)
            )
        }));
    };

    if let Some(fault) = body_elem.children.iter().find(|c| c.is(env_ns, "Fault")) {
        return Err(read_fault(fault));
    }
    if status != 200 {
        return Err(SoapError::Http { status });
    }

    let response_name = op.response_name();
    let Some(wrapper) = body_elem
        .children
        .iter()
        .find(|c| c.is(INES_NS, &response_name))
    else {
        let found = body_elem.children.first().map_or_else(
            || "nothing".to_string(),
            |c| format!("<{}>", xml::truncate(&c.name, 60)),
        );
        return Err(SoapError::BadResponse(format!(
            "{}: SOAP Body holds {found} instead of <{response_name}> in {INES_NS}",
            op.name
        )));
    };
    let result_name = op.result_name();
    match wrapper.child(&result_name) {
        Some(result) if !result.nil => Ok(result.clone()),
        Some(_) => Err(SoapError::BadResponse(format!(
            "{}: <{result_name}> is nil",
            op.name
        ))),
        None => Err(SoapError::BadResponse(format!(
            "{}: response has no <{result_name}>",
            op.name
        ))),
    }
}

/// Reads a SOAP 1.1 fault (`faultcode`/`faultstring`), or a SOAP 1.2 one (`Code/Value`,
/// `Reason/Text`), matching children by local name.
fn read_fault(fault: &Element) -> SoapError {
    let code = fault
        .child_text("faultcode")
        .or_else(|| fault.child("Code").and_then(|c| c.child_text("Value")))
        .unwrap_or("");
    let text = fault
        .child_text("faultstring")
        .or_else(|| fault.child("Reason").and_then(|r| r.child_text("Text")))
        .unwrap_or("");
    SoapError::Fault {
        code: FaultCode::from_qname(code),
        text: xml::truncate(text.trim(), MAX_FAULT_TEXT),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ines::test_support::{fixture, normalise};

    #[test]
    fn paths_and_actions() {
        assert_eq!(Service::Login.path(), "/wslogin/login.asmx");
        assert_eq!(Service::AutomationSync.path(), "/ws/WSAutomationSync.asmx");
        assert_eq!(Service::ContactManager.path(), "/ws/wsicm.asmx");
        assert_eq!(Service::CustomFields.path(), "/ws/wscf.asmx");
        assert_eq!(
            GET_CLIENT.soap_action(),
            "\"http://webservice.ines.fr/GetClient\""
        );
        assert_eq!(Operation::ADD_LEAD, ADD_LEAD);
        assert!(ADD_LEAD.creates_records() && INSERT_COMPANY_CF.creates_records());
        assert!(!UPDATE_CONTACT.creates_records() && !GET_CONTACT.creates_records());
        assert!(!AUTHENTICATION_WS.service.needs_session());
        let mut names: Vec<_> = ALL_OPERATIONS.iter().map(|o| o.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 21);
    }

    #[test]
    fn envelopes_match_spec_examples() {
        let sid = "9c1f6d0e4b2a47d8a3e5f7b9c2d4e6f8";
        let env = envelope(&GET_CLIENT, Some(sid), "<reference>1650</reference>").unwrap();
        assert!(env.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
        assert_eq!(normalise(&env), normalise(&fixture("8.13-request.xml")));
        let env = envelope(&GET_SYNC_INFO, Some(sid), "").unwrap();
        assert_eq!(normalise(&env), normalise(&fixture("8.8-request.xml")));
        let body = "<request><compte>ACME</compte><userName>jdupont</userName>\
                    <password>wrong</password></request>";
        let env = envelope(&AUTHENTICATION_WS, None, body).unwrap();
        assert_eq!(normalise(&env), normalise(&fixture("8.2-request.xml")));
    }

    #[test]
    fn session_id_is_escaped_and_never_leaks() {
        let env = envelope(&GET_CONTACT, Some("a<b&c]]>\r"), "").unwrap();
        assert!(env.contains("<ID>a&lt;b&amp;c]]&gt;&#13;</ID>"));
        let root = xml::parse(env.as_bytes()).unwrap();
        let id = root.child("Header").unwrap().child("SessionID").unwrap();
        assert_eq!(id.child_text("ID"), Some("a<b&c]]>\r"));
        let err = envelope(&GET_CONTACT, Some("secret\u{1}id"), "").unwrap_err();
        assert!(!err.to_string().contains("secret"));
    }

    #[test]
    fn reads_result_of_spec_example() {
        let r =
            parse_response(&UPDATE_CONTACT, 200, fixture("8.6-response.xml").as_bytes()).unwrap();
        assert_eq!(r.name, "UpdateContactResult");
        assert_eq!(r.text, "544");
    }

    #[test]
    fn session_fault_example() {
        let err =
            parse_response(&GET_CLIENT, 500, fixture("8.13-response.xml").as_bytes()).unwrap_err();
        assert_eq!(
            err,
            SoapError::Fault {
                code: FaultCode::Client,
                text: "Session expired or invalid".into()
            }
        );
        assert!(err.is_session_fault());
        assert!(err.retry_is_safe());
        assert_eq!(err.unknown_reference(), None);
    }

    fn fault_doc(prefix_decl: &str, code: &str, text: &str, detail: &str) -> String {
        format!(
            "<?xml version=\"1.0\"?><e:Envelope {prefix_decl}><e:Body><e:Fault>\
             <faultcode>{code}</faultcode><faultstring>{text}</faultstring>{detail}\
             </e:Fault></e:Body></e:Envelope>"
        )
    }

    #[test]
    fn faults_are_tolerated_in_every_form() {
        let decl = r#"xmlns:e="http://schemas.xmlsoap.org/soap/envelope/""#;
        let cases = [
            ("e:Client", FaultCode::Client),
            ("Client", FaultCode::Client),
            ("soap:Client.Authentication", FaultCode::Client),
            ("x:Server.Database.Timeout", FaultCode::Server),
            (" SOAP-ENV:Server ", FaultCode::Server),
            (
                "e:MustUnderstand",
                FaultCode::Other("MustUnderstand".into()),
            ),
        ];
        for status in [500, 200, 400] {
            for (code, expected) in &cases {
                let doc = fault_doc(
                    decl,
                    code,
                    "Unknown reference 42: no such contact",
                    "<detail><x>1</x></detail>",
                );
                let err = parse_response(&GET_CONTACT, status, doc.as_bytes()).unwrap_err();
                let SoapError::Fault { code: got, text } = &err else {
                    panic!("{err:?}")
                };
                assert_eq!(got, expected);
                assert_eq!(text, "Unknown reference 42: no such contact");
                assert_eq!(err.unknown_reference(), Some(42));
                assert!(!err.is_session_fault());
            }
        }
        let doc = fault_doc(
            decl,
            "e:Server",
            "Internal error: Your SESSION has timed out",
            "",
        );
        let err = parse_response(&GET_CONTACT, 500, doc.as_bytes()).unwrap_err();
        assert!(err.is_session_fault());
        assert!(!err.retry_is_safe());
        let doc = fault_doc(decl, "e:Client", "Unknown reference -7", "<detail/>");
        let err = parse_response(&GET_CONTACT, 500, doc.as_bytes()).unwrap_err();
        assert_eq!(err.unknown_reference(), Some(-7));
        let doc = fault_doc(decl, "e:Client", "Unknown operation GetContact", "");
        let err = parse_response(&GET_CONTACT, 500, doc.as_bytes()).unwrap_err();
        assert_eq!(err.unknown_reference(), None);
        // Missing faultcode/faultstring still yields a fault.
        let doc = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault/></s:Body></s:Envelope>"#;
        assert!(matches!(
            parse_response(&GET_CONTACT, 500, doc.as_bytes()),
            Err(SoapError::Fault { .. })
        ));
        // SOAP 1.2 fault.
        let doc = r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><s:Fault>
            <s:Code><s:Value>s:Sender</s:Value></s:Code><s:Reason><s:Text xml:lang="en">Session expired or invalid</s:Text></s:Reason>
            </s:Fault></s:Body></s:Envelope>"#;
        let err = parse_response(&GET_CONTACT, 500, doc.as_bytes()).unwrap_err();
        assert!(err.is_session_fault());
        assert_eq!(
            err,
            SoapError::Fault {
                code: FaultCode::Client,
                text: "Session expired or invalid".into()
            }
        );
    }

    #[test]
    fn wrapper_by_namespace_result_by_local_name() {
        let doc = r#"<?xml version="1.0" encoding="UTF-8"?>
            <S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/" xmlns:w="http://webservice.ines.fr">
            <S:Header><Junk/></S:Header>
            <S:Body><w:AddLeadResponse><Extra/><w:AddLeadResult xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xsd:int"> 7788 </w:AddLeadResult></w:AddLeadResponse></S:Body></S:Envelope>"#;
        let r = parse_response(&ADD_LEAD, 200, doc.as_bytes()).unwrap();
        assert_eq!(r.text.trim(), "7788");
        // Wrapper in the wrong namespace is not accepted.
        let doc = r#"<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>
            <AddLeadResponse xmlns="http://webservice.ines.fr/"><AddLeadResult>1</AddLeadResult></AddLeadResponse></S:Body></S:Envelope>"#;
        let err = parse_response(&ADD_LEAD, 200, doc.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("AddLeadResponse"), "{err}");
    }

    #[test]
    fn missing_result_and_bad_bodies() {
        let doc = r#"<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>
            <GetContactResponse xmlns="http://webservice.ines.fr"/></S:Body></S:Envelope>"#;
        let err = parse_response(&GET_CONTACT, 200, doc.as_bytes()).unwrap_err();
        assert_eq!(
            err,
            SoapError::BadResponse("GetContact: response has no <GetContactResult>".into())
        );
        let doc = r#"<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><S:Body>
            <GetContactResponse xmlns="http://webservice.ines.fr"><GetContactResult i:nil="true"/></GetContactResponse></S:Body></S:Envelope>"#;
        assert!(matches!(
            parse_response(&GET_CONTACT, 200, doc.as_bytes()),
            Err(SoapError::BadResponse(m)) if m.contains("nil")
        ));
        // Non-200 without a fault.
        for body in [
            &b""[..],
            b"<html><body>Bad gateway</body></html>",
            b"oops",
            fixture("8.6-response.xml").as_bytes(),
        ] {
            assert_eq!(
                parse_response(&GET_CONTACT, 502, body).unwrap_err(),
                SoapError::Http { status: 502 }
            );
        }
        assert!(SoapError::Http { status: 404 }.retry_is_safe());
        assert!(!SoapError::Http { status: 504 }.retry_is_safe());
        // 200 with unusable bodies.
        let cases: &[(&[u8], &str)] = &[
            (b"", "no root element"),
            (b"<S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\"><S:Body>", "not closed"),
            (b"<a>\xff</a>", "UTF-8"),
            (b"<!DOCTYPE x><x/>", "DTD"),
            (b"<html/>", "expected a SOAP 1.1 Envelope"),
            (b"<S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\"/>", "no Body"),
            (b"<S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\"><S:Body/></S:Envelope>", "holds nothing"),
        ];
        for (body, needle) in cases {
            let err = parse_response(&GET_CONTACT, 200, body).unwrap_err();
            let msg = err.to_string();
            assert!(matches!(err, SoapError::BadResponse(_)), "{err:?}");
            assert!(msg.contains("GetContact"), "{msg}");
            assert!(msg.contains(needle), "{msg} should contain {needle}");
            assert!(!err.retry_is_safe());
        }
        let deep = format!(
            "<S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\"><S:Body>{}{}</S:Body></S:Envelope>",
            "<a>".repeat(100),
            "</a>".repeat(100)
        );
        let err = parse_response(&GET_CONTACT, 200, deep.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("nesting deeper"), "{err}");
        let big = vec![b' '; xml::MAX_INPUT_BYTES + 10];
        let err = parse_response(&GET_CONTACT, 200, &big).unwrap_err();
        assert!(err.to_string().contains("exceeds the limit"), "{err}");
    }
}
