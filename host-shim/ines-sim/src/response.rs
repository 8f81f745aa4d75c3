//! Writes SOAP 1.1 responses: a result in its operation's listed element order, or a fault
//! (ines-wire §2.3, §5).

use std::fmt::Write;

use crate::envelope::{SOAP_NS, WS_NS};
use crate::fault::Fault;
use crate::node::Node;
use crate::schema::{Operation, Shape};

const DECLARATION: &str = r#"<?xml version="1.0" encoding="utf-8"?>"#;

/// `<OperationResponse><OperationResult>…</OperationResult></OperationResponse>` in an envelope.
pub(crate) fn result(operation: Operation, result: &Node) -> String {
    let mut out = String::with_capacity(2048);
    let name = operation.name();
    let _ = write!(
        out,
        r#"{DECLARATION}<soap:Envelope xmlns:soap="{SOAP_NS}"><soap:Body><{name}Response xmlns="{WS_NS}">"#
    );
    element(
        &mut out,
        &format!("{name}Result"),
        &operation.result(),
        Some(result),
        None,
    );
    let _ = write!(out, "</{name}Response></soap:Body></soap:Envelope>");
    out
}

/// A `soap:Fault` envelope.
pub(crate) fn fault(fault: &Fault) -> String {
    fault_with(fault.is_server(), &fault.text())
}

pub(crate) fn fault_with(server: bool, text: &str) -> String {
    let code = if server { "soap:Server" } else { "soap:Client" };
    format!(
        r#"{DECLARATION}<soap:Envelope xmlns:soap="{SOAP_NS}"><soap:Body><soap:Fault><faultcode>{code}</faultcode><faultstring>{}</faultstring><detail/></soap:Fault></soap:Body></soap:Envelope>"#,
        escape(text)
    )
}

/// Writes one element of `shape` from `node`; a value without data gets `default`, or is left
/// out when there is none. Lists are always written, empty as `<Name/>`.
fn element(
    out: &mut String,
    name: &str,
    shape: &Shape,
    node: Option<&Node>,
    default: Option<&str>,
) {
    match shape {
        Shape::Value(_) => {
            let text = match node {
                Some(Node::Value(text)) => Some(text.as_str()),
                _ => default,
            };
            match text {
                Some("") => {
                    let _ = write!(out, "<{name}/>");
                }
                Some(text) => {
                    let _ = write!(out, "<{name}>{}</{name}>", escape(text));
                }
                None => {}
            }
        }
        Shape::Record(children) => {
            if children.is_empty() {
                let _ = write!(out, "<{name}/>");
                return;
            }
            let _ = write!(out, "<{name}>");
            for child in children {
                let value = node.and_then(|node| node.child(child.name));
                element(out, child.name, &child.shape, value, child.default);
            }
            let _ = write!(out, "</{name}>");
        }
        Shape::List(item) => {
            let items = match node {
                Some(Node::List(items)) => items.as_slice(),
                _ => &[],
            };
            if items.is_empty() {
                let _ = write!(out, "<{name}/>");
                return;
            }
            let _ = write!(out, "<{name}>");
            for value in items {
                element(out, item.name, &item.shape, Some(value), item.default);
            }
            let _ = write!(out, "</{name}>");
        }
    }
}

/// Escapes text content and attribute values. CR and TAB are written as character references
/// so that they survive the reader's end-of-line and attribute normalisation.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}
