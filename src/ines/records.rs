//! INES record schemas (contact, client, lead: ines-wire.md §6) and the generic record
//! reader/writer that normalises values on the way in and fills defaults on the way out.

use std::collections::BTreeMap;

use super::wire::SoapError;
use crate::xml::{Element, XmlError, XmlWriter, truncate};

/// Wire type of one element (§3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueKind {
    Str,
    Int,
    Decimal,
    Bool,
    DateTime,
    Token,
}

/// Sentinel default of date fields: [`write_record`] replaces it with its `now` argument.
pub const NOW: &str = "NOW";
/// `DateOfBirth` "unknown" value, also its creation default (§1 item 20).
pub const UNKNOWN_DATE: &str = "0001-01-01T00:00:00";

/// One element of a record schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// Element name.
    pub name: &'static str,
    pub kind: ValueKind,
    /// Only in the sync ("Auto") views (`ContactInfoAuto`, `ClientInfoAuto`).
    pub auto_only: bool,
    /// Value sent when the record has none (or an empty one); [`NOW`] for "now".
    pub default: &'static str,
    /// Marked "opt" in §6: the server may omit it (the client still sends it, §1 item 13).
    pub optional: bool,
}

const fn f(name: &'static str, kind: ValueKind, default: &'static str) -> FieldSpec {
    FieldSpec {
        name,
        kind,
        auto_only: false,
        default,
        optional: false,
    }
}
const fn s(name: &'static str) -> FieldSpec {
    f(name, ValueKind::Str, "")
}
const fn i(name: &'static str) -> FieldSpec {
    f(name, ValueKind::Int, "0")
}
const fn d(name: &'static str) -> FieldSpec {
    f(name, ValueKind::Decimal, "0")
}
const fn dt(name: &'static str) -> FieldSpec {
    f(name, ValueKind::DateTime, NOW)
}
const fn auto(spec: FieldSpec) -> FieldSpec {
    FieldSpec {
        auto_only: true,
        ..spec
    }
}
const fn opt(spec: FieldSpec) -> FieldSpec {
    FieldSpec {
        optional: true,
        ..spec
    }
}

/// `ContactInfoAuto` in wire order (§6.1). `ContactInfo` is the rows with `auto_only` false.
/// `SyncStopped` is not listed: it is read by `ops::read_get_contact` and never sent.
pub const CONTACT_FIELDS: &[FieldSpec] = &[
    i("Author"),
    s("BusinessAddress"),
    s("BussinesTelephone"),
    s("City"),
    s("Comment"),
    i("CompanyRef"),
    f("Confidentiality", ValueKind::Token, "Undefined"),
    s("Country"),
    dt("CreationDate"),
    f("DateOfBirth", ValueKind::DateTime, UNKNOWN_DATE),
    s("Fax"),
    s("FirstName"),
    s("Function"),
    s("Genre"),
    s("HomeAddress"),
    s("HomeTelephone"),
    auto(f("IsNew", ValueKind::Bool, "true")),
    s("Language"),
    s("LastName"),
    s("MobilePhone"),
    dt("ModificationDate"),
    s("PrimaryMailAddress"),
    f("Rang", ValueKind::Token, "Principal"),
    s("SecondaryMailAddress"),
    s("Service"),
    i("Type"),
    s("State"),
    s("ZipCode"),
    auto(f("Desabo", ValueKind::Bool, "false")),
    auto(f("NPai", ValueKind::Bool, "false")),
    i("InternalRef"),
    auto(i("AutomationRef")),
    auto(i("Scoring")),
];

/// `ClientInfoAuto` in wire order (§6.2), without the `Contacts` list (written by
/// `ops::add_client_with_contacts_request`). `ClientInfo` is the rows with `auto_only` false.
/// `Type` defaults to 0 here: the caller sets `GetSyncInfo.SocieteType` when unmapped.
pub const CLIENT_FIELDS: &[FieldSpec] = &[
    f("Confidentiality", ValueKind::Token, "Undefined"),
    s("CompanyName"),
    i("Type"),
    s("Service"),
    s("Address1"),
    s("Address2"),
    s("ZipCode"),
    s("City"),
    s("State"),
    s("Country"),
    s("Phone"),
    s("Fax"),
    s("Website"),
    s("Comments"),
    i("Manager"),
    i("SalesResponsable"),
    i("TechnicalResponsable"),
    dt("CreationDate"),
    dt("ModifiedDate"),
    i("Origin"),
    i("CustomerNumber"),
    s("CompanyTaxCode"),
    d("VatTax"),
    s("Bank"),
    s("BankAccount"),
    s("PaymentMethod"),
    f("PaymentMethodRef", ValueKind::Int, "1"),
    d("Discount"),
    i("HeadQuarter"),
    s("Language"),
    s("Activity"),
    s("AccountingCode"),
    s("Scoring"),
    d("Remainder"),
    d("MaxRemainder"),
    i("Moral"),
    i("Folder"),
    s("Currency"),
    i("BankReference"),
    i("TaxType"),
    d("VatTaxValue"),
    i("Creator"),
    i("Delivery"),
    i("Billing"),
    opt(i("Effectif")),
    opt(d("CA")),
    auto(f("IsNew", ValueKind::Bool, "true")),
    auto(i("AutomationRef")),
    i("InternalRef"),
];

/// `LeadInfo` in wire order (§6.3).
pub const LEAD_INFO_FIELDS: &[FieldSpec] = &[
    i("ClRef"),
    i("CtRef"),
    s("MailExpe"),
    opt(i("AutomationScoring")),
    i("FileRef"),
    s("DescriptionCourte"),
    s("ReclaDescDetail"),
    i("CriticiteRef"),
    i("TypeRef"),
    i("EtatRef"),
    i("OrigineRef"),
    i("DossierRef"),
    i("CampagneRef"),
    i("ArticleRef"),
    i("ReclaMere"),
    i("Propietaire"),
    i("Gestionnaire"),
];

/// Looks up a field by element name.
pub fn field<'a>(fields: &'a [FieldSpec], name: &str) -> Option<&'a FieldSpec> {
    fields.iter().find(|f| f.name == name)
}

/// A record as element name → normalised text (see [`read_record`]). Absent and empty are
/// both read as `""` by [`Record::get`]; [`Record::contains`] tells them apart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Record {
    values: BTreeMap<String, String>,
}

impl Record {
    pub fn new() -> Self {
        Self::default()
    }

    /// The value, `""` when absent.
    pub fn get(&self, name: &str) -> &str {
        self.values.get(name).map_or("", String::as_str)
    }

    pub fn get_opt(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    /// Sets a value as is; [`write_record`] validates and canonicalises it when sending.
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.values.insert(name.into(), value.into());
    }

    /// Builder form of [`Record::set`].
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.set(name, value);
        self
    }

    pub fn remove(&mut self, name: &str) -> Option<String> {
        self.values.remove(name)
    }

    /// Values in element-name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The value as an `int`, `None` when absent or not an integer.
    pub fn get_int(&self, name: &str) -> Option<i32> {
        parse_int(self.get(name))
    }

    /// `InternalRef`, 0 when absent (0 also means "not found", §10.9).
    pub fn internal_ref(&self) -> i32 {
        self.get_int("InternalRef").unwrap_or(0)
    }

    /// `SyncStopped` is true (set after `DeleteAutomationContact`, §1 item 9).
    pub fn sync_stopped(&self) -> bool {
        parse_bool(self.get("SyncStopped")) == Some(true)
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Record {
    fn from_iter<T: IntoIterator<Item = (K, V)>>(iter: T) -> Self {
        let mut rec = Record::new();
        for (k, v) in iter {
            rec.set(k, v);
        }
        rec
    }
}

/// Parses an `int` (§3): surrounding whitespace ignored, `[+-]?[0-9]+`, 32-bit range.
pub fn parse_int(text: &str) -> Option<i32> {
    let t = text.trim();
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// Parses a `bool`: `true`/`false`/`1`/`0`, whitespace and ASCII case ignored.
pub fn parse_bool(text: &str) -> Option<bool> {
    let t = text.trim();
    if t == "1" || t.eq_ignore_ascii_case("true") {
        Some(true)
    } else if t == "0" || t.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Whether `text` (already trimmed) is a `decimal`: `[+-]?[0-9]+(\.[0-9]+)?`.
pub fn is_decimal(text: &str) -> bool {
    let t = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (int, frac) = match t.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (t, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(int) && frac.is_none_or(digits)
}

/// Normalises a `dateTime` to the wall-clock form `YYYY-MM-DDThh:mm:ss`: whitespace trimmed,
/// a fraction `.f…` and a zone (`Z`, `±hh:mm`) dropped (§3, §10.5).
pub fn normalise_datetime(text: &str) -> Option<String> {
    let t = text.trim();
    let b = t.as_bytes();
    if b.len() < 19 {
        return None;
    }
    let num = |from: usize, len: usize| -> Option<u32> {
        let part = t.get(from..from + len)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let sep_ok = b.get(4) == Some(&b'-')
        && b.get(7) == Some(&b'-')
        && matches!(b.get(10), Some(b'T' | b't'))
        && b.get(13) == Some(&b':')
        && b.get(16) == Some(&b':');
    if !sep_ok {
        return None;
    }
    num(0, 4)?;
    let (month, day) = (num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let mut rest = t.get(19..)?;
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        rest = frac.get(n..)?;
    }
    let zone_ok = rest.is_empty()
        || rest == "Z"
        || rest == "z"
        || (rest.len() == 6 && {
            let z = rest.as_bytes();
            matches!(z.first(), Some(b'+' | b'-'))
                && z.get(3) == Some(&b':')
                && [1, 2, 4, 5]
                    .iter()
                    .all(|&k| z.get(k).is_some_and(u8::is_ascii_digit))
        });
    if !zone_ok {
        return None;
    }
    let mut out = t.get(..19)?.to_string();
    out.replace_range(10..11, "T");
    Some(out)
}

/// Normalises one response value of the given kind, `None` when it does not parse.
/// Strings are verbatim, decimals trimmed but otherwise verbatim, tokens trimmed.
pub fn normalise_value(kind: ValueKind, text: &str) -> Option<String> {
    match kind {
        ValueKind::Str => Some(text.to_string()),
        ValueKind::Int => parse_int(text).map(|n| n.to_string()),
        ValueKind::Decimal => {
            let t = text.trim();
            is_decimal(t).then(|| t.to_string())
        }
        ValueKind::Bool => parse_bool(text).map(|b| b.to_string()),
        ValueKind::DateTime => normalise_datetime(text),
        ValueKind::Token => Some(text.trim().to_string()),
    }
}

fn expected(kind: ValueKind) -> &'static str {
    match kind {
        ValueKind::Str => "a string",
        ValueKind::Int => "a 32-bit integer",
        ValueKind::Decimal => "a decimal number",
        ValueKind::Bool => "a boolean (true/false)",
        ValueKind::DateTime => "a date-time YYYY-MM-DDThh:mm:ss",
        ValueKind::Token => "a token",
    }
}

/// Reads the listed fields of `elem`, matching children by local name in any order.
/// Unknown children are ignored; `xsi:nil` is absent. For non-string kinds an empty or
/// whitespace-only element is also absent (it gets its default when sent back). A value
/// that does not parse gives [`SoapError::BadResponse`] naming `<elem>/<field>`.
pub fn read_record(elem: &Element, fields: &[FieldSpec]) -> Result<Record, SoapError> {
    let mut rec = Record::new();
    for spec in fields {
        let Some(child) = elem.child(spec.name) else {
            continue;
        };
        if child.nil {
            continue;
        }
        if spec.kind != ValueKind::Str && child.text.trim().is_empty() {
            continue;
        }
        let value = normalise_value(spec.kind, &child.text).ok_or_else(|| {
            SoapError::BadResponse(format!(
                "{}/{}: {:?} is not {}",
                elem.name,
                spec.name,
                truncate(child.text.trim(), 40),
                expected(spec.kind)
            ))
        })?;
        rec.set(spec.name, value);
    }
    Ok(rec)
}

/// Canonical wire form of `value` for `spec`, or the error naming the field.
fn wire_value(spec: &FieldSpec, value: &str) -> Result<String, XmlError> {
    let invalid = || XmlError::InvalidValue {
        element: spec.name.to_string(),
        expected: expected(spec.kind),
    };
    match spec.kind {
        ValueKind::Str => Ok(value.to_string()),
        ValueKind::Token => Ok(value.trim().to_string()),
        ValueKind::Int => parse_int(value).map(|n| n.to_string()).ok_or_else(invalid),
        ValueKind::Decimal => {
            let t = value.trim();
            if is_decimal(t) {
                Ok(t.to_string())
            } else {
                Err(invalid())
            }
        }
        ValueKind::Bool => parse_bool(value).map(|b| b.to_string()).ok_or_else(invalid),
        ValueKind::DateTime => normalise_datetime(value).ok_or_else(invalid),
    }
}

/// Writes `<wrapper>` with every listed field not skipped, in order, then `</wrapper>`.
/// A missing or empty value gets the field's default (dates defaulting to `now`). Non-string
/// values are validated and canonicalised (ints without `+` or leading zeros, bools as
/// `true`/`false`, dates as wall-clock time); decimals go back verbatim (§1 item 11).
pub fn write_record(
    w: &mut XmlWriter,
    wrapper: &str,
    rec: &Record,
    fields: &[FieldSpec],
    now: &str,
    skip: &dyn Fn(&FieldSpec) -> bool,
) -> Result<(), XmlError> {
    w.open(wrapper);
    write_fields(w, rec, fields, now, skip)?;
    w.close(wrapper);
    Ok(())
}

/// [`write_record`] without the wrapper element, for records followed by other children.
pub fn write_fields(
    w: &mut XmlWriter,
    rec: &Record,
    fields: &[FieldSpec],
    now: &str,
    skip: &dyn Fn(&FieldSpec) -> bool,
) -> Result<(), XmlError> {
    for spec in fields.iter().filter(|spec| !skip(spec)) {
        let mut value = rec.get(spec.name);
        if spec.kind != ValueKind::Str && value.trim().is_empty() {
            value = "";
        }
        if value.is_empty() {
            value = if spec.default == NOW {
                now
            } else {
                spec.default
            };
        }
        let value = wire_value(spec, value)?;
        w.text_element(spec.name, &value)?;
    }
    Ok(())
}

/// A `skip` for [`write_record`] that keeps every field.
pub fn keep_all(_: &FieldSpec) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::parse;

    fn elem(xml: &str) -> Element {
        parse(xml.as_bytes()).unwrap()
    }

    #[test]
    fn tables_have_the_spec_shapes() {
        assert_eq!(CONTACT_FIELDS.len(), 33);
        assert_eq!(CLIENT_FIELDS.len(), 49);
        assert_eq!(LEAD_INFO_FIELDS.len(), 17);
        let autos: Vec<_> = CONTACT_FIELDS
            .iter()
            .filter(|f| f.auto_only)
            .map(|f| f.name)
            .collect();
        assert_eq!(
            autos,
            ["IsNew", "Desabo", "NPai", "AutomationRef", "Scoring"]
        );
        let autos: Vec<_> = CLIENT_FIELDS
            .iter()
            .filter(|f| f.auto_only)
            .map(|f| f.name)
            .collect();
        assert_eq!(autos, ["IsNew", "AutomationRef"]);
        for table in [CONTACT_FIELDS, CLIENT_FIELDS, LEAD_INFO_FIELDS] {
            let mut names: Vec<_> = table.iter().map(|f| f.name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), table.len(), "duplicate names");
        }
        assert_eq!(
            field(CLIENT_FIELDS, "PaymentMethodRef").unwrap().default,
            "1"
        );
        assert_eq!(
            field(CLIENT_FIELDS, "Scoring").unwrap().kind,
            ValueKind::Str
        );
        assert_eq!(
            field(CONTACT_FIELDS, "Scoring").unwrap().kind,
            ValueKind::Int
        );
        assert!(field(CLIENT_FIELDS, "CA").unwrap().optional);
        assert_eq!(
            field(CONTACT_FIELDS, "DateOfBirth").unwrap().default,
            UNKNOWN_DATE
        );
    }

    #[test]
    fn value_parsers() {
        assert_eq!(parse_int(" +0042\n"), Some(42));
        assert_eq!(parse_int("-7"), Some(-7));
        assert_eq!(parse_int("2147483648"), None);
        assert_eq!(parse_int("1.0"), None);
        assert_eq!(parse_int(""), None);
        assert_eq!(parse_int("+"), None);
        assert_eq!(parse_bool(" 1 "), Some(true));
        assert_eq!(parse_bool("False"), Some(false));
        assert_eq!(parse_bool("yes"), None);
        assert!(is_decimal("20.6") && is_decimal("-0.125") && is_decimal("7"));
        assert!(!is_decimal("1.") && !is_decimal(".5") && !is_decimal("1e3") && !is_decimal(""));
        for (input, out) in [
            ("2024-05-14T09:30:00", Some("2024-05-14T09:30:00")),
            (" 2024-05-14T09:30:00.1234567 ", Some("2024-05-14T09:30:00")),
            ("2024-05-14T09:30:00Z", Some("2024-05-14T09:30:00")),
            ("2024-05-14T09:30:00.5+02:00", Some("2024-05-14T09:30:00")),
            ("2024-05-14t09:30:00-05:30", Some("2024-05-14T09:30:00")),
            ("0001-01-01T00:00:00", Some("0001-01-01T00:00:00")),
            ("2024-05-14", None),
            ("2024-13-14T09:30:00", None),
            ("2024-05-14T09:30:00.", None),
            ("2024-05-14T09:30:00+0200", None),
            ("2024-05-14 09:30:00", None),
            ("2024-05-14T09:30:00junk", None),
            ("2024-05-14T09:3é:00", None),
        ] {
            assert_eq!(normalise_datetime(input).as_deref(), out, "{input:?}");
        }
    }

    #[test]
    fn read_record_tolerates_order_unknowns_nil_and_whitespace() {
        let e = elem(
            r#"<R xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns:z="urn:z">
              <Unknown><Deep><Deeper>x</Deeper></Deep></Unknown>
              <InternalRef i:type="xsd:int">
                 544 </InternalRef>
              <FirstName>  Jean  </FirstName>
              <LastName i:nil="true"/>
              <z:City>Paris</z:City>
              <IsNew>1</IsNew><Desabo> 0 </Desabo>
              <CreationDate>2024-05-14T09:30:00.123+02:00</CreationDate>
              <DateOfBirth/>
              <Confidentiality> Public </Confidentiality>
              <Author></Author>
              <SyncStopped>true</SyncStopped>
            </R>"#,
        );
        let rec = read_record(&e, CONTACT_FIELDS).unwrap();
        assert_eq!(rec.internal_ref(), 544);
        assert_eq!(rec.get("InternalRef"), "544");
        assert_eq!(rec.get("FirstName"), "  Jean  ", "strings are verbatim");
        assert!(!rec.contains("LastName"), "nil is absent");
        assert_eq!(rec.get("City"), "Paris");
        assert_eq!(rec.get("IsNew"), "true");
        assert_eq!(rec.get("Desabo"), "false");
        assert_eq!(rec.get("CreationDate"), "2024-05-14T09:30:00");
        assert!(!rec.contains("DateOfBirth"), "empty date is absent");
        assert!(!rec.contains("Author"));
        assert_eq!(rec.get("Confidentiality"), "Public");
        assert!(!rec.contains("Unknown") && !rec.contains("SyncStopped"));
        assert!(!rec.sync_stopped());
    }

    #[test]
    fn read_record_keeps_decimals_verbatim() {
        let e = elem(
            "<ClientInfo><VatTax> 20.60 </VatTax><CA>-1234567890123.5</CA><Discount>+3</Discount></ClientInfo>",
        );
        let rec = read_record(&e, CLIENT_FIELDS).unwrap();
        assert_eq!(rec.get("VatTax"), "20.60");
        assert_eq!(rec.get("CA"), "-1234567890123.5");
        assert_eq!(rec.get("Discount"), "+3");
    }

    #[test]
    fn read_record_names_bad_values() {
        let cases = [
            (
                "<R><Author>abc</Author></R>",
                "R/Author: \"abc\" is not a 32-bit integer",
            ),
            (
                "<R><InternalRef>99999999999</InternalRef></R>",
                "R/InternalRef",
            ),
            (
                "<R><IsNew>maybe</IsNew></R>",
                "R/IsNew: \"maybe\" is not a boolean",
            ),
            (
                "<R><CreationDate>yesterday</CreationDate></R>",
                "R/CreationDate",
            ),
        ];
        for (xml, needle) in cases {
            let err = read_record(&elem(xml), CONTACT_FIELDS).unwrap_err();
            assert!(
                matches!(&err, SoapError::BadResponse(m) if m.contains(needle)),
                "{err}"
            );
        }
        let err = read_record(&elem("<R><VatTax>1,5</VatTax></R>"), CLIENT_FIELDS).unwrap_err();
        assert!(err.to_string().contains("R/VatTax"), "{err}");
    }

    #[test]
    fn write_record_fills_defaults_in_order() {
        let rec = Record::new()
            .with("FirstName", "Jean & <Co>")
            .with("Scoring", " 020 ")
            .with("Desabo", "1")
            .with("ModificationDate", "2024-06-02T16:45:10.5Z")
            .with("NotAField", "ignored");
        let mut w = XmlWriter::new();
        write_record(
            &mut w,
            "contact",
            &rec,
            CONTACT_FIELDS,
            "2024-05-14T09:30:00",
            &keep_all,
        )
        .unwrap();
        let out = w.finish();
        let expected = "<contact><Author>0</Author><BusinessAddress/><BussinesTelephone/><City/>\
            <Comment/><CompanyRef>0</CompanyRef><Confidentiality>Undefined</Confidentiality>\
            <Country/><CreationDate>2024-05-14T09:30:00</CreationDate>\
            <DateOfBirth>0001-01-01T00:00:00</DateOfBirth><Fax/>\
            <FirstName>Jean &amp; &lt;Co&gt;</FirstName><Function/><Genre/><HomeAddress/>\
            <HomeTelephone/><IsNew>true</IsNew><Language/><LastName/><MobilePhone/>\
            <ModificationDate>2024-06-02T16:45:10</ModificationDate><PrimaryMailAddress/>\
            <Rang>Principal</Rang><SecondaryMailAddress/><Service/><Type>0</Type><State/>\
            <ZipCode/><Desabo>true</Desabo><NPai>false</NPai><InternalRef>0</InternalRef>\
            <AutomationRef>0</AutomationRef><Scoring>20</Scoring></contact>";
        assert_eq!(out, expected);

        // Skipping the Auto rows gives the ContactInfo view, and it reads back.
        let mut w = XmlWriter::new();
        write_record(
            &mut w,
            "c",
            &rec,
            CONTACT_FIELDS,
            "2024-05-14T09:30:00",
            &|f| f.auto_only,
        )
        .unwrap();
        let out = w.finish();
        assert!(!out.contains("IsNew") && !out.contains("Scoring"));
        let back = read_record(&parse(out.as_bytes()).unwrap(), CONTACT_FIELDS).unwrap();
        assert_eq!(back.get("FirstName"), "Jean & <Co>");
    }

    #[test]
    fn write_record_rejects_invalid_values_naming_the_field() {
        let cases = [
            ("Type", "abc", "field Type must be a 32-bit integer"),
            (
                "IsNew",
                "perhaps",
                "field IsNew must be a boolean (true/false)",
            ),
            (
                "CreationDate",
                "14/05/2024",
                "field CreationDate must be a date-time",
            ),
            ("FirstName", "a\u{7}b", "field FirstName contains U+0007"),
        ];
        for (name, value, needle) in cases {
            let rec = Record::new().with(name, value);
            let mut w = XmlWriter::new();
            let err = write_record(
                &mut w,
                "c",
                &rec,
                CONTACT_FIELDS,
                "2024-05-14T09:30:00",
                &keep_all,
            )
            .unwrap_err();
            assert!(err.to_string().contains(needle), "{err}");
        }
        let rec = Record::new().with("VatTax", "1e5");
        let mut w = XmlWriter::new();
        let err = write_record(
            &mut w,
            "c",
            &rec,
            CLIENT_FIELDS,
            "2024-05-14T09:30:00",
            &keep_all,
        )
        .unwrap_err();
        assert_eq!(
            err,
            XmlError::InvalidValue {
                element: "VatTax".into(),
                expected: "a decimal number"
            }
        );
    }

    #[test]
    fn record_accessors() {
        let mut rec: Record = [("InternalRef", " 12 "), ("SyncStopped", "1")]
            .into_iter()
            .collect();
        assert_eq!(rec.internal_ref(), 12);
        assert!(rec.sync_stopped());
        assert_eq!(rec.get("Missing"), "");
        assert_eq!(rec.get_opt("Missing"), None);
        rec.set("InternalRef", String::from("x"));
        assert_eq!(rec.internal_ref(), 0);
        assert_eq!(rec.remove("InternalRef").as_deref(), Some("x"));
        assert_eq!(rec.len(), 1);
        assert_eq!(rec.iter().next(), Some(("SyncStopped", "1")));
    }
}
