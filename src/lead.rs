//! The platform's lead and company as the plugin sees them, and what makes a lead eligible.

use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Company {
    pub id: u64,
    pub name: String,
    /// Values by company field alias (companyaddress1, companycity, …).
    pub fields: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lead {
    pub id: u64,
    /// Values by lead field alias.
    pub fields: BTreeMap<String, String>,
    pub points: i32,
    pub do_not_contact: bool,
    /// The primary company, else the first linked one.
    pub company: Option<Company>,
}

impl Lead {
    /// A field's value, `""` when the lead has none.
    pub fn field(&self, alias: &str) -> &str {
        self.fields.get(alias).map_or("", String::as_str)
    }

    pub fn email(&self) -> &str {
        self.field("email").trim()
    }

    /// The company's name, `""` without a company.
    pub fn company_name(&self) -> &str {
        self.company.as_ref().map_or("", |c| c.name.trim())
    }
}

/// A boolean lead field holds true: `1`, `true`, `yes` or `on`, in any case.
pub fn is_true(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "1" | "true" | "yes" | "on" | "oui"
    )
}

/// A ref stored in a lead field: a positive integer (a number field may hold `544.0`).
pub fn parse_ref(value: &str) -> Option<i32> {
    let v = value.trim();
    let v = v.strip_suffix(".0").unwrap_or(v);
    v.parse::<i32>().ok().filter(|r| *r > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_and_flags_read_the_way_the_platform_stores_them() {
        assert_eq!(parse_ref(" 544 "), Some(544));
        assert_eq!(parse_ref("544.0"), Some(544));
        assert_eq!(parse_ref("0"), None);
        assert_eq!(parse_ref("-3"), None);
        assert_eq!(parse_ref("abc"), None);
        assert!(is_true("1") && is_true("Yes") && is_true("TRUE"));
        assert!(!is_true("0") && !is_true("") && !is_true("no"));
    }
}
