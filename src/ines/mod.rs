//! INES CRM SOAP codec: wire envelope and faults, record schemas, and per-operation request
//! builders / result readers. Pure (no I/O); the session/HTTP client sits on top.

pub mod ops;
pub mod records;
pub mod wire;

pub use ops::*;
pub use records::{
    CLIENT_FIELDS, CONTACT_FIELDS, FieldSpec, LEAD_INFO_FIELDS, Record, ValueKind, read_record,
    write_record,
};
pub use wire::{
    FaultCode, INES_NS, Operation, SOAP_ENV_NS, Service, SoapError, envelope, parse_response,
};

#[cfg(test)]
mod ops_tests;

#[cfg(test)]
pub(crate) mod test_support {
    /// A §8 example extracted from ines-wire.md into `testdata/`.
    pub fn fixture(name: &str) -> String {
        let path = format!("{}/src/ines/testdata/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// Drops the XML declaration and whitespace-only runs between tags, so documents can be
    /// compared regardless of the line breaks the spec adds "for reading only".
    pub fn normalise(xml: &str) -> String {
        let mut s = xml.trim();
        if s.starts_with("<?xml")
            && let Some(end) = s.find("?>")
        {
            s = s[end + 2..].trim_start();
        }
        let mut out = String::with_capacity(s.len());
        let mut pending = String::new();
        let mut after_tag = false;
        for c in s.chars() {
            if after_tag && c.is_whitespace() {
                pending.push(c);
                continue;
            }
            if c != '<' {
                out.push_str(&pending);
            }
            pending.clear();
            out.push(c);
            after_tag = c == '>';
        }
        out
    }
}
