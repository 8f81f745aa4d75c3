//! Minimal XML toolkit for the INES SOAP codec: text escaping, a small writer and a small
//! namespace-aware DOM parser with hard limits (pure, no I/O).
//!
//! The parser is deliberately tolerant about what XML allows (any prefixes, comments, PIs,
//! CDATA, character references) and strict about what could hurt the plugin (DTDs, excessive
//! depth or size, non-UTF-8 input). It never panics on any input.

use std::borrow::Cow;

use quick_xml::XmlVersion;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

/// Namespace of `xsi:nil` / `xsi:type`.
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// Default input size limit of [`parse`] (8 MiB).
pub const MAX_INPUT_BYTES: usize = 8 * 1024 * 1024;
/// Default element nesting limit of [`parse`].
pub const MAX_DEPTH: usize = 64;
/// Default element count limit of [`parse`]: bounds memory, since a tiny `<a/>` costs a
/// full [`Element`] in the tree.
pub const MAX_ELEMENTS: usize = 250_000;

/// Errors of escaping, writing and parsing XML. Messages never quote whole values, so they
/// cannot leak a password or session id.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum XmlError {
    /// A value holds a character XML 1.0 cannot carry, even escaped.
    #[error("field {element} contains U+{code_point:04X}, {}", forbidden_kind(*code_point))]
    ForbiddenChar { element: String, code_point: u32 },
    /// A value does not have the form its element requires (checked before sending).
    #[error("field {element} must be {expected}")]
    InvalidValue {
        element: String,
        expected: &'static str,
    },
    /// The input is not well-formed XML (the text says where and why).
    #[error("malformed XML: {0}")]
    Malformed(String),
    /// The input is not valid UTF-8.
    #[error("XML is not valid UTF-8 (invalid byte at offset {offset})")]
    NotUtf8 { offset: usize },
    /// The XML declaration names an encoding other than UTF-8.
    #[error("XML declares encoding {0:?}; only UTF-8 is supported")]
    UnsupportedEncoding(String),
    /// Elements are nested deeper than the limit.
    #[error("XML nesting deeper than {limit} elements")]
    TooDeep { limit: usize },
    /// The input is larger than the limit.
    #[error("XML input of {size} bytes exceeds the limit of {limit} bytes")]
    TooLarge { size: usize, limit: usize },
    /// The input holds more elements than the limit.
    #[error("XML holds more than {limit} elements")]
    TooManyElements { limit: usize },
    /// The input has a document type declaration, refused to rule out entity expansion attacks.
    #[error("XML with a DTD (<!DOCTYPE …>) is refused")]
    Dtd,
}

fn forbidden_kind(cp: u32) -> &'static str {
    if cp < 0x20 {
        "a control character XML cannot carry"
    } else {
        "a noncharacter XML cannot carry"
    }
}

/// Whether XML 1.0 can carry `c` at all (as is or as a character reference).
fn is_xml_char(c: char) -> bool {
    !matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// Escapes `value` as element text. `&`, `<`, `>` become entities (so `]]>` is safe) and `\r`
/// becomes `&#13;` so that a parser's end-of-line normalisation cannot turn it into `\n`.
/// Characters XML 1.0 forbids give [`XmlError::ForbiddenChar`] naming `element`.
pub fn escape_text<'a>(value: &'a str, element: &str) -> Result<Cow<'a, str>, XmlError> {
    if let Some(c) = value.chars().find(|&c| !is_xml_char(c)) {
        return Err(XmlError::ForbiddenChar {
            element: element.to_string(),
            code_point: u32::from(c),
        });
    }
    if !value.contains(['&', '<', '>', '\r']) {
        return Ok(Cow::Borrowed(value));
    }
    let mut out = String::with_capacity(value.len() + 16);
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    Ok(Cow::Owned(out))
}

/// Escapes an attribute value (only used for namespace URIs, which are constants).
fn escape_attr(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// A small append-only XML writer. Element names are trusted (they come from the codec's
/// constant tables); text is always escaped.
#[derive(Debug, Default, Clone)]
pub struct XmlWriter {
    out: String,
}

impl XmlWriter {
    pub fn new() -> Self {
        Self::default()
    }

    /// `<name>`
    pub fn open(&mut self, name: &str) {
        self.out.push('<');
        self.out.push_str(name);
        self.out.push('>');
    }

    /// `<name xmlns="ns">`
    pub fn open_with_ns(&mut self, name: &str, ns: &str) {
        self.out.push('<');
        self.out.push_str(name);
        self.out.push_str(" xmlns=\"");
        self.out.push_str(&escape_attr(ns));
        self.out.push_str("\">");
    }

    /// `</name>`
    pub fn close(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// `<name/>`
    pub fn empty(&mut self, name: &str) {
        self.out.push('<');
        self.out.push_str(name);
        self.out.push_str("/>");
    }

    /// `<name>escaped value</name>`, or `<name/>` for an empty value.
    pub fn text_element(&mut self, name: &str, value: &str) -> Result<(), XmlError> {
        if value.is_empty() {
            self.empty(name);
            return Ok(());
        }
        let escaped = escape_text(value, name)?;
        self.open(name);
        self.out.push_str(&escaped);
        self.close(name);
        Ok(())
    }

    /// `<name>n</name>` for an integer (cannot fail).
    pub fn int_element(&mut self, name: &str, value: i64) {
        self.open(name);
        self.out.push_str(&value.to_string());
        self.close(name);
    }

    /// `<name>true|false</name>`.
    pub fn bool_element(&mut self, name: &str, value: bool) {
        self.open(name);
        self.out.push_str(if value { "true" } else { "false" });
        self.close(name);
    }

    /// Appends already-serialised, trusted XML (for example a body built by another writer).
    pub fn raw(&mut self, xml: &str) {
        self.out.push_str(xml);
    }

    /// The XML written so far.
    pub fn as_str(&self) -> &str {
        &self.out
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// One parsed element. Attributes other than `xsi:nil` are dropped: INES carries data only in
/// elements, and `xsi:type` is irrelevant to this codec.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Element {
    /// Namespace URI ("" when unbound).
    pub ns: String,
    /// Local name.
    pub name: String,
    /// Concatenated character data of this element (CDATA and references resolved). Cleared
    /// when it is only whitespace between child elements.
    pub text: String,
    pub children: Vec<Element>,
    /// `xsi:nil="true"` (or `1`) was present.
    pub nil: bool,
}

impl Element {
    /// The first child with this local name, in any namespace.
    pub fn child(&self, local: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == local)
    }

    /// All children with this local name, in document order.
    pub fn children_named<'a>(&'a self, local: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == local)
    }

    /// Text of the first child with this local name; `None` when absent or `xsi:nil`.
    pub fn child_text(&self, local: &str) -> Option<&str> {
        self.child(local)
            .filter(|c| !c.nil)
            .map(|c| c.text.as_str())
    }

    /// Whether the element is in namespace `ns` with local name `local`.
    pub fn is(&self, ns: &str, local: &str) -> bool {
        self.ns == ns && self.name == local
    }
}

/// Limits applied by [`parse_with_limits`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseLimits {
    pub max_bytes: usize,
    pub max_depth: usize,
    pub max_elements: usize,
}

impl Default for ParseLimits {
    fn default() -> Self {
        Self {
            max_bytes: MAX_INPUT_BYTES,
            max_depth: MAX_DEPTH,
            max_elements: MAX_ELEMENTS,
        }
    }
}

/// Parses a UTF-8 document and returns its root element, with the default limits.
pub fn parse(input: &[u8]) -> Result<Element, XmlError> {
    parse_with_limits(input, ParseLimits::default())
}

/// Parses a UTF-8 document and returns its root element.
pub fn parse_with_limits(input: &[u8], limits: ParseLimits) -> Result<Element, XmlError> {
    if input.len() > limits.max_bytes {
        return Err(XmlError::TooLarge {
            size: input.len(),
            limit: limits.max_bytes,
        });
    }
    let text = std::str::from_utf8(input).map_err(|e| XmlError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    // A UTF-8 byte order mark is legal before the declaration.
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);

    let mut reader = NsReader::from_str(text);
    {
        let cfg = reader.config_mut();
        cfg.check_end_names = true;
        cfg.expand_empty_elements = false;
        cfg.trim_text(false);
    }

    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut count: usize = 0;

    loop {
        let event = reader.read_event().map_err(|e| {
            XmlError::Malformed(format!("{e} (near byte {})", reader.error_position()))
        })?;
        match event {
            Event::Start(ref start) | Event::Empty(ref start) => {
                let is_empty = matches!(event, Event::Empty(_));
                if root.is_some() {
                    return Err(malformed(&reader, "element after the root element"));
                }
                if stack.len() >= limits.max_depth {
                    return Err(XmlError::TooDeep {
                        limit: limits.max_depth,
                    });
                }
                count += 1;
                if count > limits.max_elements {
                    return Err(XmlError::TooManyElements {
                        limit: limits.max_elements,
                    });
                }
                let (ns, local) = reader.resolver().resolve_element(start.name());
                let ns = match ns {
                    ResolveResult::Bound(ns) => ns.0.to_string(),
                    ResolveResult::Unbound => String::new(),
                    ResolveResult::Unknown(prefix) => {
                        return Err(malformed(
                            &reader,
                            &format!(
                                "undeclared namespace prefix {prefix:?} on element <{}>",
                                start.name().0
                            ),
                        ));
                    }
                };
                let mut nil = false;
                for attr in start.attributes() {
                    let attr = attr.map_err(|e| {
                        malformed(
                            &reader,
                            &format!("bad attribute on <{}>: {e}", start.name().0),
                        )
                    })?;
                    if let (ResolveResult::Bound(ans), alocal) =
                        reader.resolver().resolve_attribute(attr.key)
                        && ans.0 == XSI_NS
                        && alocal.as_ref() == "nil"
                    {
                        let value = attr
                            .normalized_value(XmlVersion::Implicit1_0)
                            .map_err(|e| malformed(&reader, &format!("bad xsi:nil value: {e}")))?;
                        nil = matches!(value.trim(), "true" | "1");
                    }
                }
                let elem = Element {
                    ns,
                    name: local.as_ref().to_string(),
                    text: String::new(),
                    children: Vec::new(),
                    nil,
                };
                if is_empty {
                    attach(&mut stack, &mut root, elem);
                } else {
                    stack.push(elem);
                }
            }
            Event::End(_) => {
                // quick-xml has already checked that the end tag matches.
                let Some(mut elem) = stack.pop() else {
                    return Err(malformed(&reader, "end tag without a start tag"));
                };
                if !elem.children.is_empty() && elem.text.trim().is_empty() {
                    elem.text.clear();
                }
                attach(&mut stack, &mut root, elem);
            }
            Event::Text(t) => {
                let content = t.xml10_content();
                match stack.last_mut() {
                    Some(top) => top.text.push_str(&content),
                    None => {
                        if !content.trim().is_empty() {
                            return Err(malformed(&reader, "text outside the root element"));
                        }
                    }
                }
            }
            Event::CData(c) => {
                let content = c.xml10_content();
                match stack.last_mut() {
                    Some(top) => top.text.push_str(&content),
                    None => return Err(malformed(&reader, "CDATA outside the root element")),
                }
            }
            Event::GeneralRef(r) => {
                let resolved: char = if r.is_char_ref() {
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => c,
                        _ => {
                            return Err(malformed(
                                &reader,
                                &format!("invalid character reference &{};", truncate(&r, 16)),
                            ));
                        }
                    }
                } else {
                    match &*r {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "apos" => '\'',
                        "quot" => '"',
                        other => {
                            return Err(malformed(
                                &reader,
                                &format!("undefined entity &{};", truncate(other, 32)),
                            ));
                        }
                    }
                };
                match stack.last_mut() {
                    Some(top) => top.text.push(resolved),
                    None => return Err(malformed(&reader, "reference outside the root element")),
                }
            }
            Event::Decl(d) => {
                if let Some(enc) = d.encoding() {
                    let enc =
                        enc.map_err(|e| malformed(&reader, &format!("bad XML declaration: {e}")))?;
                    let name = enc.trim();
                    // US-ASCII documents are valid UTF-8 (non-ASCII bytes were checked above).
                    if !["utf-8", "utf8", "us-ascii", "ascii"]
                        .iter()
                        .any(|ok| name.eq_ignore_ascii_case(ok))
                    {
                        return Err(XmlError::UnsupportedEncoding(truncate(name, 40)));
                    }
                }
            }
            Event::DocType(_) => return Err(XmlError::Dtd),
            Event::Comment(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }

    if let Some(open) = stack.last() {
        return Err(XmlError::Malformed(format!(
            "truncated document: <{}> is not closed",
            open.name
        )));
    }
    root.ok_or_else(|| XmlError::Malformed("no root element".to_string()))
}

fn attach(stack: &mut [Element], root: &mut Option<Element>, elem: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(elem),
        None => *root = Some(elem),
    }
}

fn malformed(reader: &NsReader<&[u8]>, what: &str) -> XmlError {
    XmlError::Malformed(format!("{what} (near byte {})", reader.buffer_position()))
}

/// At most `max` characters of `s`, for error messages.
pub(crate) fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", s.get(..i).unwrap_or(s)),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(xml: &str) -> String {
        parse(xml.as_bytes()).unwrap().text
    }

    /// Writes `value` with the writer and reads it back with the parser.
    fn round_trip(value: &str) -> String {
        let mut w = XmlWriter::new();
        w.open_with_ns("root", "urn:x");
        w.text_element("v", value).unwrap();
        w.close("root");
        let doc = w.finish();
        let root = parse(doc.as_bytes()).unwrap();
        root.child_text("v").unwrap().to_string()
    }

    #[test]
    fn escapes_markup_characters() {
        assert_eq!(
            escape_text("a<b>&c]]>", "X").unwrap(),
            "a&lt;b&gt;&amp;c]]&gt;"
        );
        assert!(matches!(
            escape_text("plain", "X").unwrap(),
            Cow::Borrowed(_)
        ));
        assert_eq!(escape_text("\"'", "X").unwrap(), "\"'");
        assert_eq!(escape_text("a\r\nb", "X").unwrap(), "a&#13;\nb");
    }

    #[test]
    fn hostile_values_round_trip() {
        let long = "é&<x>]]>".repeat(1300); // > 10 kB
        let values = [
            "<script>alert(1)</script>",
            "Tom & Jerry",
            "]]>",
            "<![CDATA[x]]>",
            "\"double\" and 'single'",
            "line1\r\nline2\rline3\nline4",
            "\ttab\t",
            "  surrounding spaces  ",
            "emoji 😀 and 𝄞 and 中文",
            "&amp; literal",
            "\u{7F}\u{85}\u{A0}\u{2028}",
            "",
            long.as_str(),
        ];
        for v in values {
            assert_eq!(round_trip(v), v, "value {v:?}");
        }
        assert!(long.len() > 10_000);
    }

    #[test]
    fn every_forbidden_control_char_is_a_clear_error() {
        let forbidden: Vec<char> = (0u32..0x20)
            .filter(|c| ![0x9, 0xA, 0xD].contains(c))
            .filter_map(char::from_u32)
            .chain(['\u{FFFE}', '\u{FFFF}'])
            .collect();
        assert_eq!(forbidden.len(), 31);
        for c in forbidden {
            let value = format!("ab{c}cd");
            let err = escape_text(&value, "FirstName").unwrap_err();
            assert_eq!(
                err,
                XmlError::ForbiddenChar {
                    element: "FirstName".into(),
                    code_point: c as u32
                }
            );
            let mut w = XmlWriter::new();
            assert!(w.text_element("FirstName", &value).is_err());
        }
        let msg = escape_text("\u{1}", "FirstName").unwrap_err().to_string();
        assert_eq!(
            msg,
            "field FirstName contains U+0001, a control character XML cannot carry"
        );
        let msg = escape_text("\u{FFFE}", "City").unwrap_err().to_string();
        assert_eq!(
            msg,
            "field City contains U+FFFE, a noncharacter XML cannot carry"
        );
    }

    #[test]
    fn writer_shapes() {
        let mut w = XmlWriter::new();
        w.open_with_ns("Op", "http://webservice.ines.fr");
        w.text_element("a", "").unwrap();
        w.int_element("n", -5);
        w.bool_element("b", true);
        w.empty("e");
        w.raw("<r/>");
        w.close("Op");
        assert_eq!(
            w.finish(),
            r#"<Op xmlns="http://webservice.ines.fr"><a/><n>-5</n><b>true</b><e/><r/></Op>"#
        );
    }

    #[test]
    fn parses_namespaces_by_uri_not_prefix() {
        let doc = r#"<?xml version="1.0" encoding="utf-8"?>
            <a:Root xmlns:a="urn:one" xmlns="urn:def"><Child/><b:Other xmlns:b="urn:two">t</b:Other>
            <c xmlns="">x</c></a:Root>"#;
        let root = parse(doc.as_bytes()).unwrap();
        assert!(root.is("urn:one", "Root"));
        assert_eq!(root.children.len(), 3);
        assert!(root.children[0].is("urn:def", "Child"));
        assert!(root.children[1].is("urn:two", "Other"));
        assert_eq!(root.child_text("Other"), Some("t"));
        assert!(root.children[2].is("", "c"));
        assert_eq!(root.text, "", "inter-element whitespace is dropped");
    }

    #[test]
    fn text_cdata_refs_comments_pis() {
        assert_eq!(
            text_of("<a>x<!-- c --><?pi y?>&lt;&#x1F600;&#65;<![CDATA[<&]]>z</a>"),
            "x<😀A<&z"
        );
        assert_eq!(text_of("<a>&apos;&quot;&gt;&amp;</a>"), "'\">&");
        assert_eq!(text_of("<a>l1\r\nl2\rl3</a>"), "l1\nl2\nl3");
        assert_eq!(text_of("\u{FEFF}<a>bom</a>"), "bom");
    }

    #[test]
    fn nil_and_child_text() {
        let root = parse(
            br#"<r xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
                <a i:nil="true"/><b i:type="x:string">v</b><c nil="true">w</c></r>"#,
        )
        .unwrap();
        assert!(root.child("a").unwrap().nil);
        assert_eq!(root.child_text("a"), None);
        assert_eq!(root.child_text("b"), Some("v"));
        assert_eq!(
            root.child_text("c"),
            Some("w"),
            "unbound nil is not xsi:nil"
        );
        assert_eq!(root.child_text("zz"), None);
        // Declaration on the element itself, value `1`, any prefix.
        let e = parse(br#"<a xmlns:q="http://www.w3.org/2001/XMLSchema-instance" q:nil=" 1 "/>"#)
            .unwrap();
        assert!(e.nil);
        let e =
            parse(br#"<a xmlns:q="http://www.w3.org/2001/XMLSchema-instance" q:nil="false">x</a>"#)
                .unwrap();
        assert!(!e.nil);
    }

    #[test]
    fn rejects_bad_documents_with_clear_errors() {
        let cases: &[(&[u8], &str)] = &[
            (b"", "no root element"),
            (b"   ", "no root element"),
            (b"<a><b></a>", "malformed"),
            (b"<a><b>", "not closed"),
            (b"<a>text", "not closed"),
            (b"<a", "malformed"),
            (b"<a/><b/>", "after the root"),
            (b"<a/>junk", "outside the root"),
            (b"<p:a/>", "undeclared namespace prefix"),
            (b"<a>&bogus;</a>", "undefined entity"),
            (b"<a>&#0;</a>", "character reference"),
            (b"<a b=\"1\" b=\"2\"/>", "attribute"),
        ];
        for (doc, needle) in cases {
            let err = parse(doc).unwrap_err();
            let msg = err.to_string().to_lowercase();
            assert!(
                matches!(err, XmlError::Malformed(_)),
                "{:?}: {err:?}",
                String::from_utf8_lossy(doc)
            );
            assert!(msg.contains(needle), "{msg} should contain {needle}");
        }
        assert_eq!(
            parse(b"<a>\xff\xfe</a>").unwrap_err(),
            XmlError::NotUtf8 { offset: 3 }
        );
        assert_eq!(
            parse(b"<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>").unwrap_err(),
            XmlError::Dtd
        );
        assert_eq!(
            parse(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>").unwrap_err(),
            XmlError::UnsupportedEncoding("ISO-8859-1".into())
        );
        assert!(parse(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><a/>").is_ok());
        assert!(parse(b"<?xml version=\"1.0\"?><a/>").is_ok());
    }

    #[test]
    fn limits() {
        let deep = "<a>".repeat(65) + &"</a>".repeat(65);
        assert_eq!(
            parse(deep.as_bytes()).unwrap_err(),
            XmlError::TooDeep { limit: 64 }
        );
        let ok = "<a>".repeat(64) + &"</a>".repeat(64);
        assert!(parse(ok.as_bytes()).is_ok());

        let big = vec![b' '; MAX_INPUT_BYTES + 1];
        assert_eq!(
            parse(&big).unwrap_err(),
            XmlError::TooLarge {
                size: MAX_INPUT_BYTES + 1,
                limit: MAX_INPUT_BYTES
            }
        );
        let many = format!("<r>{}</r>", "<a/>".repeat(20));
        let limits = ParseLimits {
            max_elements: 10,
            ..ParseLimits::default()
        };
        assert_eq!(
            parse_with_limits(many.as_bytes(), limits).unwrap_err(),
            XmlError::TooManyElements { limit: 10 }
        );
        assert!(XmlError::TooDeep { limit: 64 }.to_string().contains("64"));
    }

    #[test]
    fn never_panics_on_truncations_and_mutations() {
        let doc = br#"<?xml version="1.0"?><s:E xmlns:s="urn:s" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><s:B><x i:nil="true"/><y>&amp;&#13;<![CDATA[c]]></y><!-- c --></s:B></s:E>"#;
        for end in 0..doc.len() {
            let _ = parse(&doc[..end]);
        }
        // Deterministic pseudo-random byte mutations.
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..5000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut m = doc.to_vec();
            let pos = (seed as usize) % m.len();
            m[pos] = (seed >> 32) as u8;
            let _ = parse(&m);
        }
    }
}
