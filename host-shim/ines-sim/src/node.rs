//! A tree of element values: what a validated request holds and what an operation answers.
//! Element names come from the schema tables, so they are `&'static str`.

use std::collections::BTreeMap;

use crate::fault::Fault;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    /// The text of a value element: verbatim for strings, trimmed for other types.
    Value(String),
    Record(BTreeMap<&'static str, Node>),
    List(Vec<Node>),
}

impl Node {
    pub(crate) fn value(text: impl Into<String>) -> Node {
        Node::Value(text.into())
    }

    pub(crate) fn record(children: impl IntoIterator<Item = (&'static str, Node)>) -> Node {
        Node::Record(children.into_iter().collect())
    }

    pub(crate) fn child(&self, name: &str) -> Option<&Node> {
        match self {
            Node::Record(children) => children.get(name),
            Node::Value(_) | Node::List(_) => None,
        }
    }

    /// The text of a value child, `None` when the request left it out.
    pub(crate) fn text(&self, name: &str) -> Option<&str> {
        match self.child(name) {
            Some(Node::Value(text)) => Some(text),
            _ => None,
        }
    }

    /// A required record child.
    pub(crate) fn record_child(&self, name: &str) -> Result<&Node, Fault> {
        match self.child(name) {
            Some(node @ Node::Record(_)) => Ok(node),
            _ => Err(Fault::Internal(format!("validated request lacks {name}"))),
        }
    }

    /// A required int child, already checked by request validation.
    pub(crate) fn int(&self, name: &str) -> Result<i32, Fault> {
        self.text(name)
            .and_then(|text| text.parse().ok())
            .ok_or_else(|| Fault::Internal(format!("validated request lacks the int {name}")))
    }

    /// The items of a list child; none when the list is absent.
    pub(crate) fn items(&self, name: &str) -> &[Node] {
        match self.child(name) {
            Some(Node::List(items)) => items,
            _ => &[],
        }
    }
}
