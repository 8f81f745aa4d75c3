//! The `host-shim` subcommands, one module per platform screen, and what they share: parsing
//! `KEY=VALUE` arguments, checking values before anything is stored, aligned output.

pub mod api;
pub mod configure;
pub mod field;
pub mod form;
pub mod lead;
pub mod mapping;
pub mod queue;

use std::collections::BTreeMap;

use anyhow::{Context, bail};
use host_shim::Host;
use host_shim::platform::{COMPANY_FIELDS, Platform};

/// Writes what the plugin logged during this command to stderr.
pub fn print_logs(host: &Host) {
    if let Some(book) = host.plugin_logs()
        && let Ok(mut lines) = book.lock()
    {
        for (level, line) in lines.drain(..) {
            eprintln!("plugin {level:?}: {line}");
        }
    }
}

/// Splits `--flag KEY=VALUE` arguments into a map. The key is trimmed and must not be empty;
/// the value is kept exactly as given (it may be empty, which clears a field). A key given
/// twice is refused rather than letting one value silently win.
pub fn parse_assignments(
    flag: &str,
    what: &str,
    raw: &[String],
) -> anyhow::Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for entry in raw {
        let Some((key, value)) = entry.split_once('=') else {
            bail!("{flag} {entry:?} is not {what}=VALUE (no '=')");
        };
        let key = key.trim();
        if key.is_empty() {
            bail!("{flag} {entry:?} is not {what}=VALUE (the {what} is empty)");
        }
        if out.insert(key.to_string(), value.to_string()).is_some() {
            bail!("{flag} gives {key:?} more than once");
        }
    }
    Ok(out)
}

/// Checks values meant for a lead: lead fields must exist and fit their kind; company fields
/// (`companycity`, …) are accepted only when `allow_company_fields` (a form can carry them).
pub fn check_lead_values(
    platform: &Platform,
    values: &BTreeMap<String, String>,
    allow_company_fields: bool,
) -> anyhow::Result<()> {
    let lead_values: BTreeMap<String, String> = values
        .iter()
        .filter(|(alias, _)| !(allow_company_fields && COMPANY_FIELDS.contains(&alias.as_str())))
        .map(|(a, v)| (a.clone(), v.clone()))
        .collect();
    platform.validate_fields(&lead_values).with_context(|| {
        if allow_company_fields {
            "nothing was submitted (see `host-shim field list` for the lead fields; company \
             fields are companyaddress1, companycity, …)"
        } else {
            "nothing was changed (see `host-shim field list` for the lead fields)"
        }
    })
}

/// A yes/no value as an admin types it.
pub fn parse_bool(raw: &str) -> Result<bool, String> {
    match raw.trim().to_lowercase().as_str() {
        "1" | "true" | "yes" | "on" | "oui" => Ok(true),
        "0" | "false" | "no" | "off" | "non" => Ok(false),
        _ => Err(format!(
            "{raw:?} is not a yes/no value (true/false, yes/no, 1/0)"
        )),
    }
}

/// Prints `key : value` lines with the keys padded to one column, under `indent` spaces.
pub fn print_rows(indent: usize, rows: &[(String, String)]) {
    // Nothing useful can be done about a closed stdout.
    let _ = host_shim::display::write_rows(&mut std::io::stdout(), indent, rows);
}

/// Prints a table with a header line; each column is as wide as its widest cell.
pub fn print_table(header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let line = |cells: Vec<&str>| {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let w = widths.get(i).copied().unwrap_or(0);
            if i + 1 == cells.len() {
                text.push_str(cell);
            } else {
                text.push_str(cell);
                text.push_str(&" ".repeat(w.saturating_sub(cell.chars().count()) + 2));
            }
        }
        println!("{}", text.trim_end());
    };
    line(header.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignments_keep_the_value_exactly_and_refuse_malformed_or_repeated_keys() {
        let raw = vec!["a= x=y ".to_string(), " b =".to_string()];
        let parsed = parse_assignments("--field", "ALIAS", &raw).expect("valid");
        assert_eq!(parsed.get("a").map(String::as_str), Some(" x=y "));
        assert_eq!(parsed.get("b").map(String::as_str), Some(""));
        for bad in ["novalue", "=x", "  =x"] {
            let err = parse_assignments("--field", "ALIAS", &[bad.to_string()])
                .expect_err("refused")
                .to_string();
            assert!(err.contains("is not ALIAS=VALUE"), "{err}");
        }
        let twice = vec!["a=1".to_string(), "a=2".to_string()];
        assert!(parse_assignments("--field", "ALIAS", &twice).is_err());
    }

    #[test]
    fn yes_no_values() {
        assert_eq!(parse_bool("Yes"), Ok(true));
        assert_eq!(parse_bool("0"), Ok(false));
        assert!(parse_bool("maybe").is_err());
    }
}
