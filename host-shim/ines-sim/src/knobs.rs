//! Failure knobs that tests arm to make the simulator misbehave, and the record of calls.

use std::time::Duration;

use serde::Serialize;

/// A misbehaviour applied to matching requests (those that pass the transport check).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Knob {
    /// Added before answering (after the operation ran).
    Latency(Duration),
    /// Answer this HTTP status with a short plain-text body; the operation does not run.
    HttpStatus(u16),
    /// Answer this SOAP fault (`soap:Server` if `server`, else `soap:Client`); the operation
    /// does not run.
    Fault { server: bool, text: String },
    /// HTTP 200 with a body that is not XML; the operation runs first.
    MalformedBody,
    /// HTTP 200 with the real answer cut in half; the operation runs first.
    TruncatedBody,
    /// The session named by the request is expired just before the session check.
    ExpireSession,
}

/// One request as the simulator saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallRecord {
    /// Local name of the body element, or `""` when there is none to read.
    pub operation: String,
    pub path: String,
    /// `ok`, the `faultstring`, `HTTP <status>`, `malformed body` or `truncated body`.
    pub outcome: String,
}

#[derive(Debug)]
struct ArmedKnob {
    operation: Option<String>,
    /// Only requests whose raw body contains this text (e.g. one lead's e-mail).
    body_contains: Option<String>,
    knob: Knob,
    remaining: Option<u32>,
}

/// What the armed knobs do to one request.
#[derive(Debug, Default)]
pub(crate) struct KnobEffects {
    pub latency: Duration,
    pub expire_session: bool,
    /// The first armed knob among `HttpStatus`, `Fault`, `MalformedBody`, `TruncatedBody`.
    pub answer: Option<Knob>,
}

#[derive(Debug, Default)]
pub(crate) struct KnobTable {
    armed: Vec<ArmedKnob>,
}

impl KnobTable {
    pub(crate) fn arm(
        &mut self,
        operation: Option<&str>,
        body_contains: Option<&str>,
        knob: Knob,
        times: Option<u32>,
    ) {
        if times != Some(0) {
            self.armed.push(ArmedKnob {
                operation: operation.map(str::to_owned),
                body_contains: body_contains.map(str::to_owned),
                knob,
                remaining: times,
            });
        }
    }

    pub(crate) fn clear(&mut self) {
        self.armed.clear();
    }

    /// Applies the knobs armed for `operation` (and matching `body`), using up one of each
    /// that acts.
    pub(crate) fn take(&mut self, operation: &str, body: &[u8]) -> KnobEffects {
        let mut effects = KnobEffects::default();
        for armed in &mut self.armed {
            if armed
                .operation
                .as_deref()
                .is_some_and(|wanted| wanted != operation)
            {
                continue;
            }
            if let Some(needle) = &armed.body_contains
                && !contains(body, needle.as_bytes())
            {
                continue;
            }
            let acts = match &armed.knob {
                Knob::Latency(delay) => {
                    effects.latency += *delay;
                    true
                }
                Knob::ExpireSession => {
                    effects.expire_session = true;
                    true
                }
                answer if effects.answer.is_none() => {
                    effects.answer = Some(answer.clone());
                    true
                }
                _ => false,
            };
            if acts {
                armed.remaining = armed.remaining.map(|n| n.saturating_sub(1));
            }
        }
        self.armed.retain(|armed| armed.remaining != Some(0));
        effects
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knobs_match_their_operation_and_wear_out() {
        let mut table = KnobTable::default();
        table.arm(Some("GetContact"), None, Knob::HttpStatus(503), Some(1));
        table.arm(None, None, Knob::MalformedBody, None);
        assert_eq!(
            table.take("GetClient", b"").answer,
            Some(Knob::MalformedBody)
        );
        assert_eq!(
            table.take("GetContact", b"").answer,
            Some(Knob::HttpStatus(503))
        );
        assert_eq!(
            table.take("GetContact", b"").answer,
            Some(Knob::MalformedBody)
        );
        table.clear();
        assert_eq!(table.take("GetContact", b"").answer, None);
    }

    #[test]
    fn a_knob_can_target_requests_by_their_content() {
        let mut table = KnobTable::default();
        table.arm(None, Some("bad@example.com"), Knob::MalformedBody, None);
        assert_eq!(
            table.take("AddContact", b"<m>good@example.com</m>").answer,
            None
        );
        assert_eq!(
            table.take("AddContact", b"<m>bad@example.com</m>").answer,
            Some(Knob::MalformedBody)
        );
    }
}
