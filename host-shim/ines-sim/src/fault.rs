//! The SOAP faults of ines-wire §5, with their exact `faultcode` and `faultstring` texts.

/// Longest piece of request text quoted in a fault detail.
const QUOTE_LIMIT: usize = 60;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fault {
    /// `Malformed request: <detail>`.
    Malformed(String),
    /// `Unknown operation <name>`.
    UnknownOperation(String),
    /// `Session expired or invalid`.
    Session,
    /// `Unknown reference <n>`.
    UnknownReference(i32),
    /// `PaymentMethodRef is mandatory`.
    PaymentMethodMandatory,
    /// `Internal error: <detail>` (`soap:Server`).
    Internal(String),
}

impl Fault {
    /// Whether the fault code is `soap:Server` rather than `soap:Client`.
    pub(crate) fn is_server(&self) -> bool {
        matches!(self, Fault::Internal(_))
    }

    pub(crate) fn text(&self) -> String {
        match self {
            Fault::Malformed(detail) => format!("Malformed request: {detail}"),
            Fault::UnknownOperation(name) => format!("Unknown operation {}", clip(name)),
            Fault::Session => "Session expired or invalid".to_owned(),
            Fault::UnknownReference(reference) => format!("Unknown reference {reference}"),
            Fault::PaymentMethodMandatory => "PaymentMethodRef is mandatory".to_owned(),
            Fault::Internal(detail) => format!("Internal error: {detail}"),
        }
    }
}

/// Request text cut to a readable length for a fault detail.
pub(crate) fn clip(text: &str) -> String {
    if text.chars().count() <= QUOTE_LIMIT {
        text.to_owned()
    } else {
        let mut clipped: String = text.chars().take(QUOTE_LIMIT).collect();
        clipped.push('…');
        clipped
    }
}
