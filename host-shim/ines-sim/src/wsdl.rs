//! The WSDL 1.1 document of one service (ines-wire §2.5), generated from the same request and
//! result schemas that drive validation and responses.

use std::fmt::Write;

use crate::envelope::WS_NS;
use crate::response::escape;
use crate::schema::{Kind, Operation, Service, Shape, Spec};

/// The WSDL of `service`, whose endpoint is `base` (no trailing `/`) plus the canonical path.
pub(crate) fn document(service: Service, base: &str) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        r#"<?xml version="1.0" encoding="utf-8"?><wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:tns="{WS_NS}" targetNamespace="{WS_NS}"><wsdl:types><s:schema elementFormDefault="qualified" targetNamespace="{WS_NS}">"#
    );
    let operations: Vec<Operation> = service.operations().collect();
    for operation in &operations {
        let name = operation.name();
        let request = Spec::record(name, operation.request());
        write_element(&mut out, &request, Place::Global);
        let result = Spec {
            name: "",
            shape: operation.result(),
            required: false,
            default: None,
        };
        let _ = write!(
            out,
            r#"<s:element name="{name}Response"><s:complexType><s:sequence>"#
        );
        write_named_element(&mut out, &format!("{name}Result"), &result, Place::Child);
        out.push_str("</s:sequence></s:complexType></s:element>");
    }
    if service != Service::Login {
        let session = Spec::record("SessionID", vec![Spec::value("ID", Kind::String)]);
        write_element(&mut out, &session, Place::Global);
    }
    out.push_str("</s:schema></wsdl:types>");

    for operation in &operations {
        let name = operation.name();
        let _ = write!(
            out,
            r#"<wsdl:message name="{name}SoapIn"><wsdl:part name="parameters" element="tns:{name}"/></wsdl:message><wsdl:message name="{name}SoapOut"><wsdl:part name="parameters" element="tns:{name}Response"/></wsdl:message>"#
        );
    }
    if service != Service::Login {
        out.push_str(r#"<wsdl:message name="SessionIDHeader"><wsdl:part name="SessionID" element="tns:SessionID"/></wsdl:message>"#);
    }

    let service_name = service.wsdl_name();
    let _ = write!(out, r#"<wsdl:portType name="{service_name}Soap">"#);
    for operation in &operations {
        let name = operation.name();
        let _ = write!(
            out,
            r#"<wsdl:operation name="{name}"><wsdl:input message="tns:{name}SoapIn"/><wsdl:output message="tns:{name}SoapOut"/></wsdl:operation>"#
        );
    }
    out.push_str("</wsdl:portType>");

    let _ = write!(
        out,
        r#"<wsdl:binding name="{service_name}Soap" type="tns:{service_name}Soap"><soap:binding transport="http://schemas.xmlsoap.org/soap/http" style="document"/>"#
    );
    for operation in &operations {
        let name = operation.name();
        let header = if operation.needs_session() {
            r#"<soap:header message="tns:SessionIDHeader" part="SessionID" use="literal"/>"#
        } else {
            ""
        };
        let _ = write!(
            out,
            r#"<wsdl:operation name="{name}"><soap:operation soapAction="{WS_NS}/{name}" style="document"/><wsdl:input><soap:body use="literal"/>{header}</wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>"#
        );
    }
    out.push_str("</wsdl:binding>");

    let _ = write!(
        out,
        r#"<wsdl:service name="{service_name}"><wsdl:port name="{service_name}Soap" binding="tns:{service_name}Soap"><soap:address location="{}{}"/></wsdl:port></wsdl:service></wsdl:definitions>"#,
        escape(base),
        service.path()
    );
    out
}

/// Where an element declaration stands, which decides its occurrence attributes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// A global declaration of the schema (no occurrence attributes).
    Global,
    /// A child of a record: once, or at most once when optional.
    Child,
    /// The item of a list: any number of times.
    Item,
}

const TOKEN_TYPE: &str = r#"><s:simpleType><s:restriction base="s:token"><s:pattern value="[A-Za-z]+"/></s:restriction></s:simpleType></s:element>"#;

fn write_element(out: &mut String, spec: &Spec, place: Place) {
    write_named_element(out, spec.name, spec, place);
}

/// An `s:element` declaration with an anonymous type.
fn write_named_element(out: &mut String, name: &str, spec: &Spec, place: Place) {
    let _ = write!(out, r#"<s:element name="{name}""#);
    match place {
        Place::Global => {}
        Place::Child if spec.required => out.push_str(r#" minOccurs="1" maxOccurs="1""#),
        Place::Child => out.push_str(r#" minOccurs="0" maxOccurs="1""#),
        Place::Item => out.push_str(r#" minOccurs="0" maxOccurs="unbounded""#),
    }
    match &spec.shape {
        Shape::Value(kind) => out.push_str(match kind {
            Kind::String => r#" type="s:string" nillable="true"/>"#,
            Kind::Int => r#" type="s:int"/>"#,
            Kind::Decimal => r#" type="s:decimal"/>"#,
            Kind::Bool => r#" type="s:boolean"/>"#,
            Kind::DateTime => r#" type="s:dateTime"/>"#,
            Kind::Token => TOKEN_TYPE,
        }),
        Shape::Record(children) => {
            out.push_str("><s:complexType><s:sequence>");
            for child in children {
                write_element(out, child, Place::Child);
            }
            out.push_str("</s:sequence></s:complexType></s:element>");
        }
        Shape::List(item) => {
            out.push_str("><s:complexType><s:sequence>");
            write_element(out, item, Place::Item);
            out.push_str("</s:sequence></s:complexType></s:element>");
        }
    }
}
