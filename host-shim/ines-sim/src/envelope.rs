//! The SOAP 1.1 envelope of a request (ines-wire §2.3–§2.4, §9 check 2): one `Body` holding one
//! operation element in `ws:`, and the `SessionID` header.

use crate::fault::Fault;
use crate::xml::{self, Element};

pub(crate) const SOAP_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
pub(crate) const SOAP12_NS: &str = "http://www.w3.org/2003/05/soap-envelope";
pub(crate) const WS_NS: &str = "http://webservice.ines.fr";

/// A request that passed the envelope check.
#[derive(Debug)]
pub(crate) struct SoapRequest {
    header: Option<Element>,
    pub operation: Element,
}

impl SoapRequest {
    /// The text of `ws:SessionID/ws:ID` in the header, if present.
    pub(crate) fn session_id(&self) -> Option<&str> {
        let session = self
            .header
            .as_ref()?
            .children
            .iter()
            .find(|block| block.is(WS_NS, "SessionID"))?;
        session
            .children
            .iter()
            .find(|child| child.is(WS_NS, "ID"))
            .map(|id| id.text.as_str())
    }
}

fn malformed(detail: impl Into<String>) -> Fault {
    Fault::Malformed(detail.into())
}

/// Parses the body and checks the envelope structure.
pub(crate) fn parse(body: &[u8]) -> Result<SoapRequest, Fault> {
    let root = xml::parse(body).map_err(Fault::Malformed)?;
    if !root.is(SOAP_NS, "Envelope") {
        return Err(malformed(if root.is(SOAP12_NS, "Envelope") {
            "a SOAP 1.2 envelope is not accepted; use SOAP 1.1 (http://schemas.xmlsoap.org/soap/envelope/)"
                .to_owned()
        } else {
            format!(
                "the root element is {}, not a SOAP 1.1 Envelope ({SOAP_NS})",
                root.describe()
            )
        }));
    }
    if root.has_text() {
        return Err(malformed("the Envelope holds text"));
    }
    let mut header = None;
    let mut body = None;
    for child in root.children {
        if child.is(SOAP_NS, "Header") {
            if body.is_some() {
                return Err(malformed("the Header must come before the Body"));
            }
            if header.replace(child).is_some() {
                return Err(malformed("the Envelope holds more than one Header"));
            }
        } else if child.is(SOAP_NS, "Body") {
            if body.replace(child).is_some() {
                return Err(malformed("the Envelope holds more than one Body"));
            }
        } else {
            return Err(malformed(format!(
                "unexpected element {} in the Envelope (only soap:Header and soap:Body are allowed)",
                child.describe()
            )));
        }
    }
    let body = body.ok_or_else(|| malformed("the Envelope has no Body"))?;
    if body.has_text() {
        return Err(malformed("the Body holds text"));
    }
    let count = body.children.len();
    let mut elements = body.children.into_iter();
    let operation = match (elements.next(), count) {
        (Some(operation), 1) => operation,
        (_, 0) => {
            return Err(malformed(
                "the Body is empty; it must hold exactly one operation element",
            ));
        }
        _ => {
            return Err(malformed(format!(
                "the Body holds {count} elements; it must hold exactly one"
            )));
        }
    };
    if operation.namespace.as_deref() != Some(WS_NS) {
        return Err(malformed(format!(
            "the operation element {} is not in {WS_NS}",
            operation.describe()
        )));
    }
    Ok(SoapRequest { header, operation })
}
