//! Runs one SOAP `POST` through the checks of ines-wire §9 in their order (after the transport
//! check), applies the armed knobs, and records the call.

use std::time::Duration;

use crate::envelope::{self, SoapRequest, WS_NS};
use crate::fault::{Fault, clip};
use crate::knobs::{CallRecord, Knob};
use crate::operations::{self, Context};
use crate::request;
use crate::response;
use crate::schema::{Operation, Service};
use crate::simulator::{Inner, Shared};

const XML: &str = "text/xml; charset=utf-8";
const PLAIN: &str = "text/plain; charset=utf-8";
const NOT_XML: &str = "Simulated malformed answer: this is not XML <<<";

/// An HTTP answer before it becomes a hyper response.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
    /// Waited before the answer is sent.
    pub delay: Duration,
    /// The `Allow` header of a 405.
    pub allow: Option<&'static str>,
}

impl Reply {
    pub(crate) fn xml(status: u16, body: String) -> Reply {
        Reply {
            status,
            content_type: XML,
            body,
            delay: Duration::ZERO,
            allow: None,
        }
    }

    pub(crate) fn plain(status: u16, body: &str) -> Reply {
        Reply {
            status,
            content_type: PLAIN,
            body: format!("{body}\n"),
            delay: Duration::ZERO,
            allow: None,
        }
    }
}

/// Answers a SOAP request posted to `service` at `path`.
pub(crate) fn soap_post(
    shared: &Shared,
    service: Service,
    path: &str,
    soap_action: Option<&str>,
    body: &[u8],
) -> Reply {
    let parsed = envelope::parse(body);
    let operation = parsed
        .as_ref()
        .map(|request| request.operation.name.clone())
        .unwrap_or_default();

    let mut inner = shared.lock();
    let effects = inner.knobs.take(&operation, body);
    let (mut reply, outcome) = match effects.answer {
        Some(Knob::HttpStatus(status)) => (
            Reply::plain(status, &format!("Simulated HTTP {status}")),
            format!("HTTP {status}"),
        ),
        Some(Knob::Fault { server, text }) => {
            (Reply::xml(500, response::fault_with(server, &text)), text)
        }
        distortion => {
            let answer = answer(
                &mut inner,
                shared,
                service,
                soap_action,
                parsed,
                effects.expire_session,
            );
            let (status, body, outcome) = match answer {
                Ok(body) => (200, body, "ok".to_owned()),
                Err(fault) => (500, response::fault(&fault), fault.text()),
            };
            match distortion {
                Some(Knob::MalformedBody) => (
                    Reply::xml(200, NOT_XML.to_owned()),
                    "malformed body".to_owned(),
                ),
                Some(Knob::TruncatedBody) => (
                    Reply::xml(200, first_half(body)),
                    "truncated body".to_owned(),
                ),
                _ => (Reply::xml(status, body), outcome),
            }
        }
    };
    inner.record_call(CallRecord {
        operation,
        path: path.to_owned(),
        outcome,
    });
    reply.delay = effects.latency;
    reply
}

/// Checks 3 to 8 and the operation itself; the envelope (check 2) is already parsed.
fn answer(
    inner: &mut Inner,
    shared: &Shared,
    service: Service,
    soap_action: Option<&str>,
    parsed: Result<SoapRequest, Fault>,
    expire_session: bool,
) -> Result<String, Fault> {
    let request = parsed?;
    let name = &request.operation.name;
    let operation =
        Operation::find(service, name).ok_or_else(|| Fault::UnknownOperation(name.clone()))?;
    check_soap_action(soap_action, operation)?;
    if operation.needs_session() {
        let id = request.session_id();
        if let (true, Some(id)) = (expire_session, id) {
            inner.sessions.expire(id);
        }
        inner.sessions.check(id, shared.config.session_idle)?;
    }
    let content = request::read(&request.operation, operation.request())?;
    let Inner {
        state, sessions, ..
    } = inner;
    let context = Context {
        state,
        sessions,
        config: &shared.config,
    };
    let result = operations::execute(operation, &content, context)?;
    Ok(response::result(operation, &result))
}

/// Check 4: `SOAPAction` is `http://webservice.ines.fr/<operation>`, one pair of quotes allowed.
fn check_soap_action(header: Option<&str>, operation: Operation) -> Result<(), Fault> {
    let expected = format!("{WS_NS}/{}", operation.name());
    let Some(raw) = header else {
        return Err(Fault::Malformed(format!(
            "the SOAPAction header is missing; expected \"{expected}\""
        )));
    };
    let action = raw
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or(raw);
    if action == expected {
        Ok(())
    } else {
        Err(Fault::Malformed(format!(
            "the SOAPAction {} does not match the body operation; expected \"{expected}\"",
            clip(raw)
        )))
    }
}

/// The first half of an answer, cut on a character boundary.
fn first_half(mut body: String) -> String {
    let mut cut = body.len() / 2;
    while !body.is_char_boundary(cut) {
        cut -= 1;
    }
    body.truncate(cut);
    body
}
