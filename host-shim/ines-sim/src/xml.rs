//! Reads a request body into a small namespace-resolved element tree, rejecting anything that is
//! not well-formed UTF-8 XML 1.0, and any DTD (ines-wire §2.3).

use quick_xml::NsReader;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::{Namespace, NamespaceResolver, ResolveResult};

use crate::fault::clip;
use crate::values::trim_xml;

pub(crate) const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// Deepest element nesting accepted; SOAP requests of ines-wire are at most 6 levels deep.
const MAX_DEPTH: usize = 64;

/// An element with its resolved namespace, `xsi:nil` attribute, child elements and the
/// concatenation of its own text (character data, CDATA and references).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Element {
    pub namespace: Option<String>,
    pub name: String,
    pub nil: Option<String>,
    pub children: Vec<Element>,
    pub text: String,
}

impl Element {
    pub(crate) fn is(&self, namespace: &str, name: &str) -> bool {
        self.namespace.as_deref() == Some(namespace) && self.name == name
    }

    /// Whether the element holds text other than whitespace.
    pub(crate) fn has_text(&self) -> bool {
        !trim_xml(&self.text).is_empty()
    }

    /// `{namespace}name` for error details.
    pub(crate) fn describe(&self) -> String {
        match &self.namespace {
            Some(namespace) => format!("{{{}}}{}", clip(namespace), clip(&self.name)),
            None => format!("{} (no namespace)", clip(&self.name)),
        }
    }
}

/// Parses a whole document and returns its root element, or why it is not acceptable.
pub(crate) fn parse(body: &[u8]) -> Result<Element, String> {
    let text = std::str::from_utf8(body).map_err(|e| {
        format!(
            "the body is not UTF-8 (invalid byte at {})",
            e.valid_up_to()
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = NsReader::from_str(text);
    reader.config_mut().check_comments = true;

    let mut open: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut first_event = true;
    loop {
        let (namespace, event) = match reader.read_resolved_event() {
            Ok((resolved, event)) => (owned_namespace(resolved), event),
            Err(error) => {
                return Err(format!(
                    "XML not well-formed near byte {}: {error}",
                    reader.error_position()
                ));
            }
        };
        let is_first = std::mem::replace(&mut first_event, false);
        match event {
            Event::Decl(declaration) => {
                if !is_first {
                    return Err("the XML declaration must open the document".to_owned());
                }
                let version = declaration
                    .version()
                    .map_err(|e| format!("bad XML declaration: {e}"))?;
                if version != "1.0" {
                    return Err(format!(
                        "XML version {} is not accepted; use 1.0",
                        clip(&version)
                    ));
                }
                if let Some(encoding) = declaration.encoding() {
                    let encoding = encoding.map_err(|e| format!("bad XML declaration: {e}"))?;
                    if !encoding.eq_ignore_ascii_case("utf-8") {
                        return Err(format!(
                            "the declared encoding {} is not accepted; use UTF-8",
                            clip(&encoding)
                        ));
                    }
                }
            }
            Event::DocType(_) => return Err("a DTD is not allowed".to_owned()),
            Event::PI(_) | Event::Comment(_) => {}
            Event::Start(start) => {
                if root.is_some() {
                    return Err("content after the root element".to_owned());
                }
                if open.len() >= MAX_DEPTH {
                    return Err(format!("elements nested deeper than {MAX_DEPTH} levels"));
                }
                open.push(element(&start, namespace?, reader.resolver())?);
            }
            Event::Empty(start) => {
                let element = element(&start, namespace?, reader.resolver())?;
                attach(&mut open, &mut root, element)?;
            }
            Event::End(_) => {
                let element = open
                    .pop()
                    .ok_or_else(|| "an end tag without a start tag".to_owned())?;
                attach(&mut open, &mut root, element)?;
            }
            Event::Text(text) => add_text(&mut open, &text.xml10_content())?,
            Event::CData(data) => add_text(&mut open, &data.xml10_content())?,
            Event::GeneralRef(reference) => {
                let character = resolve_reference(&reference)?;
                add_text(&mut open, character.encode_utf8(&mut [0; 4]))?;
            }
            Event::Eof => {
                if let Some(unclosed) = open.last() {
                    return Err(format!(
                        "the document ends inside <{}>",
                        clip(&unclosed.name)
                    ));
                }
                return root.ok_or_else(|| "the body holds no XML element".to_owned());
            }
        }
    }
}

fn owned_namespace(resolved: ResolveResult<'_>) -> Result<Option<String>, String> {
    match resolved {
        ResolveResult::Bound(Namespace(namespace)) => Ok(Some(namespace.to_owned())),
        ResolveResult::Unbound => Ok(None),
        ResolveResult::Unknown(prefix) => Err(format!(
            "the namespace prefix {} is not declared",
            clip(&prefix)
        )),
    }
}

fn element(
    start: &BytesStart<'_>,
    namespace: Option<String>,
    resolver: &NamespaceResolver,
) -> Result<Element, String> {
    let name = start.local_name().into_inner().to_owned();
    let mut nil = None;
    for attribute in start.attributes() {
        let attribute =
            attribute.map_err(|e| format!("bad attribute in <{}>: {e}", clip(&name)))?;
        if attribute.key.as_namespace_binding().is_some() {
            continue;
        }
        let (attribute_namespace, local) = resolver.resolve_attribute(attribute.key);
        let attribute_namespace = owned_namespace(attribute_namespace)?;
        if attribute_namespace.as_deref() == Some(XSI_NS) && local.into_inner() == "nil" {
            let value = attribute
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|e| format!("bad xsi:nil value in <{}>: {e}", clip(&name)))?;
            nil = Some(value.into_owned());
        }
    }
    Ok(Element {
        namespace,
        name,
        nil,
        children: Vec::new(),
        text: String::new(),
    })
}

fn attach(
    open: &mut [Element],
    root: &mut Option<Element>,
    element: Element,
) -> Result<(), String> {
    match open.last_mut() {
        Some(parent) => parent.children.push(element),
        None if root.is_some() => return Err("more than one root element".to_owned()),
        None => *root = Some(element),
    }
    Ok(())
}

fn add_text(open: &mut [Element], text: &str) -> Result<(), String> {
    match open.last_mut() {
        Some(element) => element.text.push_str(text),
        None if trim_xml(text).is_empty() => {}
        None => return Err("text outside the root element".to_owned()),
    }
    Ok(())
}

/// A predefined entity or a character reference; XML defines no others without a DTD.
fn resolve_reference(reference: &BytesRef<'_>) -> Result<char, String> {
    let name: &str = reference;
    match reference.resolve_char_ref() {
        Ok(Some(character)) if is_xml_char(character) => Ok(character),
        Ok(Some(_)) | Err(_) => Err(format!(
            "&{}; is not a valid XML character reference",
            clip(name)
        )),
        Ok(None) => match name {
            "amp" => Ok('&'),
            "lt" => Ok('<'),
            "gt" => Ok('>'),
            "apos" => Ok('\''),
            "quot" => Ok('"'),
            other => Err(format!("the entity &{}; is not defined", clip(other))),
        },
    }
}

/// The `Char` production of XML 1.0.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Element, String> {
        parse(text.as_bytes())
    }

    #[test]
    fn resolves_namespaces_by_uri_whatever_the_prefix() {
        let root = parse_str(
            r#"<a:x xmlns:a="urn:a"><y xmlns="urn:b">t&amp;<![CDATA[<c>]]>&#13;</y></a:x>"#,
        )
        .expect("parses");
        assert!(root.is("urn:a", "x"));
        assert!(root.children[0].is("urn:b", "y"));
        assert_eq!(root.children[0].text, "t&<c>\r");
    }

    #[test]
    fn rejects_what_is_not_well_formed() {
        for bad in [
            "",
            "<a>",
            "<a></b>",
            "<a/><b/>",
            "<a/>text",
            "<p:a/>",
            "<a>&nbsp;</a>",
            "<a>&#0;</a>",
            "<!DOCTYPE a []><a/>",
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>",
            "<a x=\"1\" x=\"2\"/>",
        ] {
            assert!(parse_str(bad).is_err(), "{bad:?}");
        }
        assert!(parse(b"<a>\xff</a>").is_err());
    }

    #[test]
    fn reads_xsi_nil() {
        let root = parse_str(&format!(r#"<a xmlns:i="{XSI_NS}" i:nil="true"/>"#)).expect("parses");
        assert_eq!(root.nil.as_deref(), Some("true"));
    }
}
