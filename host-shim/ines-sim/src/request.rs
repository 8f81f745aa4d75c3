//! Reads an operation element against its request schema: first the element checks of
//! ines-wire §9 check 6 over the whole tree, then the value checks of check 7.

use std::collections::BTreeMap;

use crate::envelope::WS_NS;
use crate::fault::{Fault, clip};
use crate::node::Node;
use crate::schema::{Kind, Shape, Spec};
use crate::values;
use crate::xml::Element;

fn malformed(detail: String) -> Fault {
    Fault::Malformed(detail)
}

/// The validated content of `operation`, whose children are described by `request`.
pub(crate) fn read(operation: &Element, request: Vec<Spec>) -> Result<Node, Fault> {
    let shape = Shape::Record(request);
    let path = clip(&operation.name);
    let mut node = structure(operation, &shape, &path)?;
    values_of(&shape, &mut node, &path)?;
    Ok(node)
}

/// Check 6: namespaces, known and unique elements, required ones present, `xsi:nil` only on
/// strings. Values are kept raw.
fn structure(element: &Element, shape: &Shape, path: &str) -> Result<Node, Fault> {
    let children = match shape {
        Shape::Value(kind) => return value_structure(element, *kind, path),
        Shape::Record(children) => Some(children),
        Shape::List(_) => None,
    };
    if element.nil.is_some() {
        return Err(malformed(format!(
            "xsi:nil is only allowed on string elements, and {path} holds elements"
        )));
    }
    if element.has_text() {
        return Err(malformed(format!(
            "{path} holds text; it must hold only elements"
        )));
    }
    for child in &element.children {
        if child.namespace.as_deref() != Some(WS_NS) {
            return Err(malformed(format!(
                "the element {} in {path} is not in {WS_NS}",
                child.describe()
            )));
        }
    }
    match (children, shape) {
        (Some(children), _) => record_structure(element, children, path),
        (None, Shape::List(item)) => {
            let mut items = Vec::with_capacity(element.children.len());
            for child in &element.children {
                let child_path = format!("{path}/{}", clip(&child.name));
                if child.name != item.name {
                    return Err(malformed(format!(
                        "unknown element {child_path}: the list {path} holds only <{}> items",
                        item.name
                    )));
                }
                let position = items.len() + 1;
                items.push(structure(
                    child,
                    &item.shape,
                    &format!("{child_path}[{position}]"),
                )?);
            }
            Ok(Node::List(items))
        }
        (None, _) => Err(Fault::Internal("inconsistent request schema".to_owned())),
    }
}

fn record_structure(element: &Element, children: &[Spec], path: &str) -> Result<Node, Fault> {
    let mut fields = BTreeMap::new();
    for child in &element.children {
        let child_path = format!("{path}/{}", clip(&child.name));
        let Some(spec) = children.iter().find(|spec| spec.name == child.name) else {
            return Err(malformed(format!("unknown element {child_path}")));
        };
        if fields.contains_key(spec.name) {
            return Err(malformed(format!("duplicate element {child_path}")));
        }
        fields.insert(spec.name, structure(child, &spec.shape, &child_path)?);
    }
    if let Some(missing) = children
        .iter()
        .find(|spec| spec.required && !fields.contains_key(spec.name))
    {
        return Err(malformed(format!(
            "missing required element {path}/{} ({})",
            missing.name,
            describe_shape(&missing.shape)
        )));
    }
    Ok(Node::Record(fields))
}

fn value_structure(element: &Element, kind: Kind, path: &str) -> Result<Node, Fault> {
    let nil = match &element.nil {
        None => false,
        Some(_) if kind != Kind::String => {
            return Err(malformed(format!(
                "xsi:nil is only allowed on string elements, and {path} is {}",
                kind.with_article()
            )));
        }
        Some(raw) => values::parse_bool(values::trim_xml(raw)).ok_or_else(|| {
            malformed(format!(
                "the xsi:nil of {path} is \"{}\", not true or false",
                clip(raw)
            ))
        })?,
    };
    if let Some(child) = element.children.first() {
        return Err(malformed(format!(
            "{path} is {} value and cannot hold the element <{}>",
            kind.with_article(),
            clip(&child.name)
        )));
    }
    if nil && element.has_text() {
        return Err(malformed(format!(
            "{path} has xsi:nil=\"true\" but is not empty"
        )));
    }
    Ok(Node::Value(if nil {
        String::new()
    } else {
        element.text.clone()
    }))
}

fn describe_shape(shape: &Shape) -> &'static str {
    match shape {
        Shape::Value(kind) => kind.wire_name(),
        Shape::Record(_) => "record",
        Shape::List(_) => "list",
    }
}

/// Check 7: every value parses as its type; non-strings are stored trimmed.
fn values_of(shape: &Shape, node: &mut Node, path: &str) -> Result<(), Fault> {
    match (shape, node) {
        (Shape::Value(kind), Node::Value(text)) => {
            *text =
                values::accept(*kind, text).map_err(|why| malformed(format!("{path}: {why}")))?;
        }
        (Shape::Record(children), Node::Record(fields)) => {
            for spec in children {
                if let Some(child) = fields.get_mut(spec.name) {
                    values_of(&spec.shape, child, &format!("{path}/{}", spec.name))?;
                }
            }
        }
        (Shape::List(item), Node::List(items)) => {
            for (index, child) in items.iter_mut().enumerate() {
                let child_path = format!("{path}/{}[{}]", item.name, index + 1);
                values_of(&item.shape, child, &child_path)?;
            }
        }
        _ => return Err(Fault::Internal("inconsistent request tree".to_owned())),
    }
    Ok(())
}
