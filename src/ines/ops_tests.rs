//! Tests of the operation codecs against the ines-wire.md §8 examples and the §10 tolerance
//! cases.

use super::ops::*;
use super::records::Record;
use super::test_support::{fixture, normalise};
use super::wire::{self, Operation, SoapError, envelope, parse_response};
use crate::xml::{Element, parse};

const SID: &str = "9c1f6d0e4b2a47d8a3e5f7b9c2d4e6f8";

/// Asserts that `body` wrapped for `op` is the §8 request `name`, whitespace aside.
fn assert_request(op: &Operation, body: &str, name: &str) {
    let session = op.service.needs_session().then_some(SID);
    let env = envelope(op, session, body).unwrap();
    let expected = fixture(name);
    assert_eq!(normalise(&env), normalise(&expected), "request {name}");
    // And it is well-formed for our own parser.
    parse(env.as_bytes()).unwrap();
}

/// The result element of the §8 response `name`.
fn result_of(op: &Operation, name: &str) -> Element {
    parse_response(op, 200, fixture(name).as_bytes()).unwrap()
}

/// Wraps result content in a response envelope for `op`, with a prefixed wrapper.
fn response(op: &Operation, result_inner: &str) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
         <soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:w=\"http://webservice.ines.fr\">\
         <soap:Body><w:{op}Response><w:{op}Result>{result_inner}</w:{op}Result></w:{op}Response>\
         </soap:Body></soap:Envelope>",
        op = op.name
    )
    .into_bytes()
}

fn result_from(op: &Operation, inner: &str) -> Element {
    parse_response(op, 200, &response(op, inner)).unwrap()
}

#[test]
fn normalise_only_drops_whitespace_between_tags() {
    assert_eq!(
        normalise("<?xml version=\"1.0\"?>\n<a>\n <b> x y </b>\n <c/>\n</a>\n"),
        "<a><b> x y </b><c/></a>"
    );
    assert!(normalise(&fixture("8.3-request.xml")).contains(
        "<Contacts><ContactInfoAuto><Author>0</Author><BusinessAddress/><BussinesTelephone>0140000001"
    ));
}

// --- §8.1 / §8.2 login --------------------------------------------------------------------

#[test]
fn login_requests_match_8_1_and_8_2() {
    let body = login_request("ACME", "jdupont", "wrong").unwrap();
    assert_request(&wire::AUTHENTICATION_WS, &body, "8.2-request.xml");
    // §8.1 uses prefixes: compare the namespace-resolved trees.
    let body = login_request("ACME", "jdupont", "s3cret").unwrap();
    let ours = parse(
        envelope(&wire::AUTHENTICATION_WS, None, &body)
            .unwrap()
            .as_bytes(),
    )
    .unwrap();
    let spec = parse(fixture("8.1-request.xml").as_bytes()).unwrap();
    assert_eq!(ours, spec);
}

#[test]
fn login_results() {
    let r = result_of(&wire::AUTHENTICATION_WS, "8.1-response.xml");
    assert_eq!(read_login(&r).unwrap(), SID);
    let r = result_of(&wire::AUTHENTICATION_WS, "8.2-response.xml");
    assert_eq!(
        read_login(&r).unwrap_err(),
        LoginRefused::Refused {
            code_return: "failed".into()
        }
    );
    let op = wire::AUTHENTICATION_WS;
    let ok = result_from(
        &op,
        "<w:codeReturn> OK </w:codeReturn><w:idSession>\n abc \n</w:idSession>",
    );
    assert_eq!(read_login(&ok).unwrap(), "abc");
    for inner in [
        "<w:codeReturn>ok</w:codeReturn><w:idSession/>",
        "<w:codeReturn>ok</w:codeReturn><w:idSession>   </w:idSession>",
        "<w:codeReturn>ok</w:codeReturn>",
        "<w:codeReturn>Ok</w:codeReturn><w:idSession xsi:nil=\"true\"/>",
    ] {
        assert_eq!(
            read_login(&result_from(&op, inner)).unwrap_err(),
            LoginRefused::NoSessionId,
            "{inner}"
        );
    }
    for inner in [
        "<w:idSession>abc</w:idSession>",
        "<w:codeReturn>okay</w:codeReturn><w:idSession>abc</w:idSession>",
        "<w:codeReturn/><w:idSession>abc</w:idSession>",
    ] {
        assert!(matches!(
            read_login(&result_from(&op, inner)),
            Err(LoginRefused::Refused { .. })
        ));
    }
}

#[test]
fn login_errors_never_contain_the_password() {
    let err = login_request("ACME", "jdupont", "pa\u{1}ss-SECRET").unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("field password") && !msg.contains("SECRET"),
        "{msg}"
    );
    let body = login_request("A&B", "<u>", "p]]>\"'").unwrap();
    let root = parse(format!("<x>{body}</x>").as_bytes()).unwrap();
    let req = root.child("request").unwrap();
    assert_eq!(req.child_text("compte"), Some("A&B"));
    assert_eq!(req.child_text("userName"), Some("<u>"));
    assert_eq!(req.child_text("password"), Some("p]]>\"'"));
}

// --- §8.3 AddClientWithContacts -------------------------------------------------------------

fn dupont_client() -> Record {
    Record::new()
        .with("CompanyName", "Dupont SA")
        .with("Type", "3")
        .with("Address1", "1 rue de la Paix")
        .with("ZipCode", "75002")
        .with("City", "Paris")
        .with("Country", "France")
        .with("Phone", "0140000000")
        .with("Website", "https://dupont.example")
        .with("AutomationRef", "12")
}

fn jean_contact() -> Record {
    Record::new()
        .with("BussinesTelephone", "0140000001")
        .with("FirstName", "Jean")
        .with("Function", "CEO")
        .with("Genre", "M.")
        .with("LastName", "Dupont")
        .with("PrimaryMailAddress", "jean.dupont@example.com")
        .with("AutomationRef", "345")
        .with("Scoring", "20")
        .with("Desabo", "false")
        .with("NPai", "false")
}

#[test]
fn add_client_with_contacts_matches_8_3() {
    let body =
        add_client_with_contacts_request(&dupont_client(), &jean_contact(), "2024-05-14T09:30:00")
            .unwrap();
    assert_request(&wire::ADD_CLIENT_WITH_CONTACTS, &body, "8.3-request.xml");
    // IsNew and refs are forced whatever the records say.
    let body = add_client_with_contacts_request(
        &dupont_client()
            .with("InternalRef", "99")
            .with("IsNew", "false"),
        &jean_contact()
            .with("CompanyRef", "5")
            .with("InternalRef", "7"),
        "2024-05-14T09:30:00",
    )
    .unwrap();
    assert_request(&wire::ADD_CLIENT_WITH_CONTACTS, &body, "8.3-request.xml");

    let r = result_of(&wire::ADD_CLIENT_WITH_CONTACTS, "8.3-response.xml");
    assert_eq!(
        read_add_client_with_contacts(&r).unwrap(),
        CreatedRefs {
            client_ref: 1650,
            contact_ref: 544
        }
    );
}

#[test]
fn add_client_with_contacts_success_rule() {
    let op = wire::ADD_CLIENT_WITH_CONTACTS;
    let contact = |r: &str| {
        format!("<w:ContactInfoAuto><w:InternalRef>{r}</w:InternalRef></w:ContactInfoAuto>")
    };
    let cases = [
        (
            format!(
                "<w:InternalRef>0</w:InternalRef><w:Contacts>{}</w:Contacts>",
                contact("5")
            ),
            "InternalRef: expected a ref > 0",
        ),
        (
            "<w:InternalRef>3</w:InternalRef>".to_string(),
            "expected 1 ContactInfoAuto, got 0",
        ),
        (
            "<w:InternalRef>3</w:InternalRef><w:Contacts/>".to_string(),
            "got 0",
        ),
        (
            format!(
                "<w:InternalRef>3</w:InternalRef><w:Contacts>{}{}</w:Contacts>",
                contact("5"),
                contact("6")
            ),
            "got 2",
        ),
        (
            format!(
                "<w:InternalRef>3</w:InternalRef><w:Contacts>{}</w:Contacts>",
                contact("0")
            ),
            "ContactInfoAuto/InternalRef",
        ),
        (
            format!(
                "<w:InternalRef>x</w:InternalRef><w:Contacts>{}</w:Contacts>",
                contact("5")
            ),
            "not a 32-bit integer",
        ),
    ];
    for (inner, needle) in cases {
        let err = read_add_client_with_contacts(&result_from(&op, &inner)).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("AddClientWithContactsResult"), "{msg}");
        assert!(msg.contains(needle), "{msg} should contain {needle}");
    }
    // Order, whitespace and unknown elements are tolerated.
    let inner = format!(
        "<w:Contacts><w:Extra/>{}</w:Contacts><w:Unknown><w:Deep/></w:Unknown><w:InternalRef> 3 </w:InternalRef>",
        contact("5")
    );
    assert_eq!(
        read_add_client_with_contacts(&result_from(&op, &inner)).unwrap(),
        CreatedRefs {
            client_ref: 3,
            contact_ref: 5
        }
    );
}

// --- §8.4 AddContact ------------------------------------------------------------------------

#[test]
fn add_contact_matches_8_4() {
    let contact = Record::new()
        .with("FirstName", "Marie")
        .with("Function", "DAF")
        .with("Genre", "Mme")
        .with("LastName", "Martin")
        .with("MobilePhone", "0600000002")
        .with("PrimaryMailAddress", "marie.martin@example.com")
        .with("Service", "Finance")
        // Overridden by the top-level parameters.
        .with("AutomationRef", "1")
        .with("Scoring", "99")
        .with("Desabo", "true");
    let body =
        add_contact_request(&contact, 346, 1650, 0, false, false, "2024-05-15T11:00:00").unwrap();
    assert_request(&wire::ADD_CONTACT, &body, "8.4-request.xml");
    let r = result_of(&wire::ADD_CONTACT, "8.4-response.xml");
    assert_eq!(read_add_contact(&r).unwrap(), 545);
    let err = read_add_contact(&result_from(
        &wire::ADD_CONTACT,
        "<w:FirstName>x</w:FirstName>",
    ))
    .unwrap_err();
    assert!(
        err.to_string().contains("AddContactResult/InternalRef"),
        "{err}"
    );
}

// --- §8.5 / §8.6 GetContact then UpdateContact ---------------------------------------------------

#[test]
fn get_contact_then_update_contact_matches_8_5_and_8_6() {
    assert_request(
        &wire::GET_CONTACT,
        &get_contact_request(544),
        "8.5-request.xml",
    );
    let r = result_of(&wire::GET_CONTACT, "8.5-response.xml");
    let mut rec = read_get_contact(&r, 544).unwrap().unwrap();
    assert_eq!(rec.get("FirstName"), "Jean");
    assert_eq!(rec.get("CompanyRef"), "1650");
    assert!(!rec.sync_stopped());
    assert!(!rec.contains("IsNew"));

    rec.set("Function", "Directeur général");
    set_contact_auto(&mut rec, 345, 35, false, false);
    let body = update_contact_request(&rec, "2024-06-02T16:45:10").unwrap();
    assert_request(&wire::UPDATE_CONTACT, &body, "8.6-request.xml");

    let r = result_of(&wire::UPDATE_CONTACT, "8.6-response.xml");
    read_update_contact(&r, 544).unwrap();
    let err = read_update_contact(&r, 545).unwrap_err();
    assert!(
        err.to_string().contains("expected ref 545, got 544"),
        "{err}"
    );
    let r = result_from(&wire::UPDATE_CONTACT, "<w:InternalRef>544</w:InternalRef>");
    read_update_contact(&r, 544).unwrap();
    let r = result_from(&wire::UPDATE_CONTACT, "oops");
    assert!(read_update_contact(&r, 544).is_err());
}

#[test]
fn update_contact_keeps_only_auto_elements_and_fills_defaults() {
    // A sparse record with an unknown element and SyncStopped: neither is sent.
    let rec = Record::new()
        .with("InternalRef", "544")
        .with("SyncStopped", "true")
        .with("Foo", "bar")
        .with("IsNew", "true");
    let body = update_contact_request(&rec, "2024-06-02T16:45:10").unwrap();
    assert!(!body.contains("SyncStopped") && !body.contains("Foo"));
    assert!(body.contains("<IsNew>false</IsNew>"));
    assert!(body.contains("<ModificationDate>2024-06-02T16:45:10</ModificationDate>"));
    assert!(body.contains("<CreationDate>2024-06-02T16:45:10</CreationDate>"));
    assert!(body.contains("<DateOfBirth>0001-01-01T00:00:00</DateOfBirth>"));
    assert!(body.contains("<Confidentiality>Undefined</Confidentiality><Country/>"));
    assert!(body.contains("<Rang>Principal</Rang>"));
    let root = parse(format!("<x>{body}</x>").as_bytes()).unwrap();
    assert_eq!(root.child("contact").unwrap().children.len(), 33);
}

#[test]
fn get_contact_tolerance() {
    let op = wire::GET_CONTACT;
    // SyncStopped after DeleteAutomationContact.
    let r = result_from(
        &op,
        "<w:InternalRef>544</w:InternalRef><w:SyncStopped>true</w:SyncStopped>",
    );
    assert!(read_get_contact(&r, 544).unwrap().unwrap().sync_stopped());
    let r = result_from(
        &op,
        "<w:InternalRef>544</w:InternalRef><w:SyncStopped> 1 </w:SyncStopped>",
    );
    assert!(read_get_contact(&r, 544).unwrap().unwrap().sync_stopped());
    let r = result_from(
        &op,
        "<w:InternalRef>544</w:InternalRef><w:SyncStopped>false</w:SyncStopped>",
    );
    assert!(!read_get_contact(&r, 544).unwrap().unwrap().sync_stopped());
    let r = result_from(
        &op,
        "<w:InternalRef>544</w:InternalRef><w:SyncStopped>bof</w:SyncStopped>",
    );
    assert!(read_get_contact(&r, 544).is_err());
    // Not found: InternalRef 0, absent, nil, or another ref.
    for inner in [
        "<w:InternalRef>0</w:InternalRef><w:FirstName/>",
        "",
        "<w:InternalRef xsi:nil=\"true\"/>",
        "<w:InternalRef>545</w:InternalRef>",
    ] {
        assert_eq!(
            read_get_contact(&result_from(&op, inner), 544).unwrap(),
            None,
            "{inner}"
        );
    }
    // Any order, xsi:type, whitespace, 1/0 bools, fractional seconds and zones.
    let r = result_from(
        &op,
        "<w:ModificationDate> 2024-05-14T09:30:00.1234567+02:00 </w:ModificationDate>\
         <w:InternalRef xsi:type=\"xsd:int\">\n 544\n</w:InternalRef>\
         <w:Author> 7 </w:Author><w:IsNew>0</w:IsNew><w:Genre>Mme</w:Genre>\
         <w:Comment><![CDATA[a <b> & c]]></w:Comment>",
    );
    let rec = read_get_contact(&r, 544).unwrap().unwrap();
    assert_eq!(rec.get("ModificationDate"), "2024-05-14T09:30:00");
    assert_eq!(rec.get("Author"), "7");
    assert_eq!(rec.get("IsNew"), "false");
    assert_eq!(rec.get("Comment"), "a <b> & c");
    // The Unknown reference fault form of "not found".
    let fault = SoapError::Fault {
        code: wire::FaultCode::Client,
        text: "Unknown reference 544".into(),
    };
    assert!(is_not_found(&fault));
    assert!(!is_not_found(&SoapError::Http { status: 500 }));
}

// --- §8.7 / §8.13 GetClient and UpdateClient ---------------------------------------------------

#[test]
fn update_client_matches_8_7() {
    // The §8.7 response is the GetClient record after the update; start from it.
    let r = result_of(&wire::UPDATE_CLIENT, "8.7-response.xml");
    let got = read_update_client(&r, 1650).unwrap().unwrap();
    assert_eq!(got.get("VatTax"), "20.6");
    assert_eq!(got.get("Phone"), "0140009999");

    let get_client = result_from(&wire::GET_CLIENT, &{
        let xml = fixture("8.7-response.xml");
        let start = xml.find("<UpdateClientResult>").unwrap() + "<UpdateClientResult>".len();
        let end = xml.find("</UpdateClientResult>").unwrap();
        xml[start..end].to_string()
    });
    let mut rec = read_get_client(&get_client, 1650).unwrap().unwrap();
    rec.set("ModifiedDate", "2024-05-14T09:30:00");
    rec.set("AutomationRef", "12");
    let body = update_client_request(&rec, "2024-06-02T16:45:11").unwrap();
    assert_request(&wire::UPDATE_CLIENT, &body, "8.7-request.xml");
    assert_request(
        &wire::GET_CLIENT,
        &get_client_request(1650),
        "8.13-request.xml",
    );
}

#[test]
fn update_client_result_forms() {
    let op = wire::UPDATE_CLIENT;
    assert_eq!(
        read_update_client(&result_from(&op, " 1650 "), 1650).unwrap(),
        None
    );
    assert!(read_update_client(&result_from(&op, "1651"), 1650).is_err());
    assert!(read_update_client(&result_from(&op, ""), 1650).is_err());
    let rec = read_update_client(
        &result_from(
            &op,
            "<w:InternalRef>1650</w:InternalRef><w:CA>12.50</w:CA><w:Extra><w:X/></w:Extra>",
        ),
        1650,
    )
    .unwrap()
    .unwrap();
    assert_eq!(rec.get("CA"), "12.50");
    let err = read_update_client(&result_from(&op, "<w:InternalRef>0</w:InternalRef>"), 1650)
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("UpdateClientResult: expected ref 1650, got 0"),
        "{err}"
    );
}

#[test]
fn get_client_not_found_and_decimals_verbatim() {
    let op = wire::GET_CLIENT;
    assert_eq!(
        read_get_client(&result_from(&op, "<w:InternalRef>0</w:InternalRef>"), 1650).unwrap(),
        None
    );
    let rec = read_get_client(
        &result_from(
            &op,
            "<w:InternalRef>1650</w:InternalRef><w:VatTax>20.60</w:VatTax><w:Discount> 5.125 </w:Discount>\
             <w:IsNew>true</w:IsNew><w:AutomationRef>12</w:AutomationRef>",
        ),
        1650,
    )
    .unwrap()
    .unwrap();
    assert_eq!(rec.get("VatTax"), "20.60");
    assert_eq!(rec.get("Discount"), "5.125");
    // Effectif and CA are missing: they go back as 0; decimals go back unchanged.
    let body = update_client_request(&rec.with("CompanyName", "X"), "2024-06-02T16:45:11").unwrap();
    assert!(body.contains("<VatTax>20.60</VatTax>"));
    assert!(body.contains("<Discount>5.125</Discount>"));
    assert!(body.contains(
        "<Effectif>0</Effectif><CA>0</CA><IsNew>false</IsNew><AutomationRef>12</AutomationRef>"
    ));
    assert!(body.contains("<PaymentMethodRef>1</PaymentMethodRef>"));
}

// --- §8.8 GetSyncInfo ---------------------------------------------------------------------

#[test]
fn sync_info_matches_8_8() {
    assert_request(
        &wire::GET_SYNC_INFO,
        &get_sync_info_request(),
        "8.8-request.xml",
    );
    let info = read_sync_info(&result_of(&wire::GET_SYNC_INFO, "8.8-response.xml")).unwrap();
    assert_eq!(info.lead_ref, 2);
    assert_eq!(info.societe_type, 3);
    assert_eq!(
        info.company_custom_fields,
        vec![CustomFieldDef {
            id: 21,
            name: "Secteur".into(),
            kind: CustomFieldKind::List,
            choices: vec!["Industrie".into(), "Services".into()],
        }]
    );
    let contact: Vec<_> = info
        .contact_custom_fields
        .iter()
        .map(|d| (d.id, d.name.as_str(), d.kind, d.choices.len()))
        .collect();
    assert_eq!(
        contact,
        [
            (17, "Niveau", CustomFieldKind::List, 3),
            (18, "Premier contact", CustomFieldKind::Date, 0),
            (19, "Newsletter", CustomFieldKind::Boolean, 0),
        ]
    );
}

#[test]
fn sync_info_tolerance() {
    let op = wire::GET_SYNC_INFO;
    // Absent lists, extra members, unknown kinds, missing InesID, one item, no ValueList.
    let info = read_sync_info(&result_from(
        &op,
        "<w:Extra>1</w:Extra><w:SocieteType> 4 </w:SocieteType><w:LeadRef>-1</w:LeadRef>\
         <w:ContactCustomFields>\
           <w:CustomFieldToAuto><w:InesID>5</w:InesID><w:InesName>Pays</w:InesName><w:Type>geo</w:Type></w:CustomFieldToAuto>\
           <w:CustomFieldToAuto><w:InesName>NoId</w:InesName><w:Type>text</w:Type></w:CustomFieldToAuto>\
           <w:CustomFieldToAuto><w:New>x</w:New><w:Type> URL </w:Type><w:InesID>6</w:InesID></w:CustomFieldToAuto>\
           <w:CustomFieldToAuto><w:InesID>7</w:InesID><w:Type>list</w:Type><w:ValueList><w:string>only</w:string></w:ValueList></w:CustomFieldToAuto>\
         </w:ContactCustomFields>",
    ))
    .unwrap();
    assert_eq!(info.lead_ref, -1);
    assert_eq!(info.societe_type, 4);
    assert!(info.company_custom_fields.is_empty());
    let ids: Vec<_> = info
        .contact_custom_fields
        .iter()
        .map(|d| (d.id, d.kind))
        .collect();
    assert_eq!(ids, [(6, CustomFieldKind::Url), (7, CustomFieldKind::List)]);
    assert_eq!(info.contact_custom_fields[1].choices, ["only"]);
    assert_eq!(info.contact_custom_fields[0].name, "");
    // Empty result: everything defaults.
    assert_eq!(
        read_sync_info(&result_from(&op, "")).unwrap(),
        SyncInfo::default()
    );
    let err = read_sync_info(&result_from(&op, "<w:LeadRef>two</w:LeadRef>")).unwrap_err();
    assert!(
        err.to_string().contains("GetSyncInfoResult/LeadRef"),
        "{err}"
    );
}

// --- §8.9 / §8.10 custom fields --------------------------------------------------------------

#[test]
fn custom_fields_match_8_9_and_8_10() {
    assert_request(
        &CfOwner::Contact.get_op(),
        &get_cf_request(CfOwner::Contact, 544),
        "8.9-request.xml",
    );
    let values = read_cf_values(&result_of(&wire::GET_CONTACT_CF, "8.9-response.xml")).unwrap();
    assert_eq!(
        values,
        vec![
            CfValue {
                row_ref: 9001,
                definition: 17,
                value: "Gold".into()
            },
            CfValue {
                row_ref: 9003,
                definition: 18,
                value: "2024-05-01T00:00:00".into()
            },
        ]
    );
    assert_eq!(first_row_for(&values, 18).map(|v| v.row_ref), Some(9003));
    assert_eq!(first_row_for(&values, 19), None);

    let body = insert_cf_request(CfOwner::Contact, 544, 19, "true").unwrap();
    assert_request(&CfOwner::Contact.insert_op(), &body, "8.10-request.xml");
    let r = result_of(&wire::INSERT_CONTACT_CF, "8.10-response.xml");
    assert_eq!(read_cf_write(&r), Some(9004));

    let body = update_cf_request(CfOwner::Contact, 544, 17, 9001, "Silver").unwrap();
    assert_eq!(
        format!("<UpdateContactCF>{body}</UpdateContactCF>"),
        "<UpdateContactCF><ctRef>544</ctRef><chdefRef>17</chdefRef><chpRef>9001</chpRef><chpValue>Silver</chpValue></UpdateContactCF>"
    );
    let r = result_from(&wire::UPDATE_CONTACT_CF, "9001");
    assert_eq!(read_cf_write(&r), Some(9001));
    // Any content is success.
    let r = result_from(&wire::UPDATE_COMPANY_CF, "<w:Whatever/>");
    assert_eq!(read_cf_write(&r), None);

    let body = insert_cf_request(CfOwner::Company, 1650, 21, "Industrie & <Co>").unwrap();
    assert_eq!(
        body,
        "<clRef>1650</clRef><chdefRef>21</chdefRef><chpValue>Industrie &amp; &lt;Co&gt;</chpValue><chvLies>0</chvLies><chvGroupeAssoc>0</chvGroupeAssoc>"
    );
    assert_eq!(CfOwner::Company.get_op(), wire::GET_COMPANY_CF);
    assert_eq!(CfOwner::Company.update_op(), wire::UPDATE_COMPANY_CF);
    assert!(insert_cf_request(CfOwner::Company, 1, 2, "\u{0}").is_err());
}

#[test]
fn custom_field_values_tolerance() {
    let op = wire::GET_COMPANY_CF;
    // Missing Values, empty Values, one item, several rows per definition, nil and extra members.
    assert!(read_cf_values(&result_from(&op, "")).unwrap().is_empty());
    assert!(
        read_cf_values(&result_from(&op, "<w:Values/><w:Groups/>"))
            .unwrap()
            .is_empty()
    );
    let values = read_cf_values(&result_from(
        &op,
        "<w:Definitions/><w:Values>\
           <w:CustomField><w:Value xsi:nil=\"true\"/><w:Extra/><w:DefinitionRef> 21 </w:DefinitionRef><w:Ref>1</w:Ref></w:CustomField>\
           <w:CustomField><w:Ref>2</w:Ref><w:DefinitionRef>21</w:DefinitionRef><w:Value>  spaced  </w:Value></w:CustomField>\
         </w:Values>",
    ))
    .unwrap();
    assert_eq!(values.len(), 2);
    assert_eq!(values[0].value, "");
    assert_eq!(values[1].value, "  spaced  ");
    assert_eq!(first_row_for(&values, 21).map(|v| v.row_ref), Some(1));
    let err = read_cf_values(&result_from(
        &op,
        "<w:Values><w:CustomField><w:DefinitionRef>21</w:DefinitionRef></w:CustomField></w:Values>",
    ))
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("GetCompanyCFResult/Values/CustomField: missing Ref"),
        "{err}"
    );
}

#[test]
fn custom_field_value_normalisation() {
    use CustomFieldKind::*;
    let cases = [
        (Text, " a ", " a "),
        (Url, "https://x", "https://x"),
        (List, "Gold", "Gold"),
        (User, " 007 ", "7"),
        (User, "bob", "bob"),
        (Numeral, "+020.500", "20.5"),
        (Numeral, "-0.0", "0"),
        (Numeral, "0012", "12"),
        (Numeral, "1,5", "1,5"),
        (Boolean, "1", "true"),
        (Boolean, "False", "false"),
        (Date, "2024-05-01", "2024-05-01T00:00:00"),
        (Date, "2024-05-01T10:00:00.5Z", "2024-05-01T10:00:00"),
        (Date, "hier", "hier"),
    ];
    for (kind, input, out) in cases {
        assert_eq!(normalise_cf_value(kind, input), out, "{kind:?} {input:?}");
    }
    for kind in [Text, Url, List, User, Numeral, Boolean, Date] {
        assert_eq!(CustomFieldKind::parse(kind.as_str()), Some(kind));
    }
}

// --- §8.11 AddLead, §8.12 DeleteAutomationContact ------------------------------------------------

#[test]
fn add_lead_matches_8_11() {
    let info = LeadInfo {
        cl_ref: 1650,
        ct_ref: 544,
        mail_expe: "jean.dupont@example.com".into(),
        automation_scoring: 20,
        file_ref: 2,
        description_courte: "Form submission: Contact us".into(),
        recla_desc_detail: String::new(),
    };
    assert_request(
        &wire::ADD_LEAD,
        &add_lead_request(&info).unwrap(),
        "8.11-request.xml",
    );
    assert_eq!(
        read_add_lead(&result_of(&wire::ADD_LEAD, "8.11-response.xml")).unwrap(),
        7788
    );
    assert!(read_add_lead(&result_from(&wire::ADD_LEAD, "0")).is_err());
    assert!(read_add_lead(&result_from(&wire::ADD_LEAD, "")).is_err());
}

#[test]
fn delete_automation_contact_matches_8_12() {
    assert_request(
        &wire::DELETE_AUTOMATION_CONTACT,
        &delete_automation_contact_request(544),
        "8.12-request.xml",
    );
    let r = result_of(&wire::DELETE_AUTOMATION_CONTACT, "8.12-response.xml");
    read_delete_automation_contact(&r).unwrap();
    let r = result_from(&wire::DELETE_AUTOMATION_CONTACT, "Failure");
    let err = read_delete_automation_contact(&r).unwrap_err();
    assert!(
        err.to_string()
            .contains("DeleteAutomationContactResult: expected \"Success\", got \"Failure\""),
        "{err}"
    );
}

// --- Lookups ------------------------------------------------------------------------------------

#[test]
fn lookup_lists() {
    let op = wire::GET_TYPE_CLIENT_LIST;
    let items = read_lookup_list(
        &result_from(
            &op,
            "<w:ClientTypeInfo><w:InternalRef>3</w:InternalRef><w:Description>Client</w:Description><w:Order>1</w:Order></w:ClientTypeInfo>\
             <w:ClientTypeInfo><w:Description>no ref</w:Description></w:ClientTypeInfo>\
             <w:Other/>",
        ),
        "ClientTypeInfo",
    )
    .unwrap();
    assert_eq!(
        items,
        [LookupItem {
            internal_ref: 3,
            description: "Client".into(),
            order: Some(1)
        }]
    );
    assert!(
        read_lookup_list(&result_from(&wire::GET_ORIGIN_LIST, ""), "OriginInfo")
            .unwrap()
            .is_empty()
    );
    let users = read_users(&result_from(
        &wire::GET_USER_INFO_FROM_USER_REF,
        "<w:UserInfoRH><w:UserRef>1</w:UserRef><w:RHRef>0</w:RHRef><w:Name>JD</w:Name><w:LastName>Dupont</w:LastName><w:FirstName>Jean</w:FirstName></w:UserInfoRH>\
         <w:UserInfoRH><w:UserRef>2</w:UserRef><w:Name>Admin</w:Name><w:LastName/><w:FirstName/></w:UserInfoRH>",
    ))
    .unwrap();
    assert_eq!(users.len(), 2);
    assert_eq!(users[0].label(), "Dupont Jean");
    assert_eq!(users[1].label(), "Admin");
    assert_eq!(users[1].rh_ref, 0);
}

// --- Hostile data round-trips through a request and our parser ----------------------------------

#[test]
fn hostile_contact_values_round_trip_through_requests() {
    let hostile = [
        "<b>bold</b>",
        "R&D ]]> \"q\" 'a'",
        "line1\r\nline2\r",
        "\ttabbed\t",
        "😀 𝄞 Ünïcödé",
    ];
    for v in hostile {
        let rec = jean_contact().with("Comment", v).with("InternalRef", "544");
        let body = update_contact_request(&rec, "2024-06-02T16:45:10").unwrap();
        let env = envelope(&wire::UPDATE_CONTACT, Some(SID), &body).unwrap();
        let root = parse(env.as_bytes()).unwrap();
        let contact = root
            .child("Body")
            .and_then(|b| b.child("UpdateContact"))
            .and_then(|u| u.child("contact"))
            .unwrap();
        assert_eq!(contact.child_text("Comment"), Some(v));
    }
    let rec = jean_contact().with("LastName", "x\u{1B}y");
    let err = update_contact_request(&rec, "2024-06-02T16:45:10").unwrap_err();
    assert_eq!(
        err.to_string(),
        "field LastName contains U+001B, a control character XML cannot carry"
    );
}
