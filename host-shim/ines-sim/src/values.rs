//! The lexical forms the simulator accepts for each value type (ines-wire §3), and the text it
//! stores: strings verbatim, every other type with surrounding whitespace removed.

use crate::fault::clip;
use crate::schema::Kind;

/// Removes XML whitespace (space, tab, CR, LF) around a value.
pub(crate) fn trim_xml(text: &str) -> &str {
    text.trim_matches(|c| matches!(c, ' ' | '\t' | '\r' | '\n'))
}

/// Checks `raw` against `kind` and returns the text to store, or why it does not parse.
pub(crate) fn accept(kind: Kind, raw: &str) -> Result<String, String> {
    if kind == Kind::String {
        return Ok(raw.to_owned());
    }
    let text = trim_xml(raw);
    let ok = match kind {
        Kind::String => true,
        Kind::Int => return parse_int(text).map(|_| text.to_owned()),
        Kind::Decimal => is_decimal(text),
        Kind::Bool => parse_bool(text).is_some(),
        Kind::DateTime => is_date_time(text),
        Kind::Token => !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphabetic()),
    };
    if ok {
        Ok(text.to_owned())
    } else {
        Err(format!(
            "\"{}\" is not {}{}",
            clip(raw),
            kind.with_article(),
            expected_form(kind)
        ))
    }
}

fn expected_form(kind: Kind) -> &'static str {
    match kind {
        Kind::String | Kind::Int => "",
        Kind::Decimal => " ([+-]digits[.digits])",
        Kind::Bool => " (true, false, 1 or 0)",
        Kind::DateTime => " (YYYY-MM-DDThh:mm:ss, no fraction, no zone)",
        Kind::Token => " (ASCII letters only)",
    }
}

/// `[+-]?[0-9]+` in the 32-bit signed range.
pub(crate) fn parse_int(text: &str) -> Result<i32, String> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("\"{}\" is not an int ([+-]digits)", clip(text)));
    }
    text.parse::<i32>()
        .map_err(|_| format!("{} is outside the 32-bit int range", clip(text)))
}

/// `true`, `false`, `1` or `0` (xsd:boolean).
pub(crate) fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// `[+-]?[0-9]+(\.[0-9]+)?`
fn is_decimal(text: &str) -> bool {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && fraction.is_none_or(all_digits)
}

/// Exactly `YYYY-MM-DDThh:mm:ss`, naming a real date (year 0001–9999) and time.
fn is_date_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 19 {
        return false;
    }
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if separators.iter().any(|&(at, sep)| bytes[at] != sep) {
        return false;
    }
    let number = |from: usize, to: usize| -> Option<u32> {
        let part = &bytes[from..to];
        if part.iter().all(u8::is_ascii_digit) {
            Some(part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
        } else {
            None
        }
    };
    let fields = (
        number(0, 4),
        number(5, 7),
        number(8, 10),
        number(11, 13),
        number(14, 16),
        number(17, 19),
    );
    let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = fields
    else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    year >= 1 && (1..=days_in_month).contains(&day) && hour < 24 && minute < 60 && second < 60
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints_accept_signs_and_trim_whitespace() {
        assert_eq!(accept(Kind::Int, " +12\n").as_deref(), Ok("+12"));
        assert_eq!(
            accept(Kind::Int, "-2147483648").as_deref(),
            Ok("-2147483648")
        );
        assert!(accept(Kind::Int, "2147483648").is_err());
        assert!(accept(Kind::Int, "1.0").is_err());
        assert!(accept(Kind::Int, "").is_err());
        assert!(accept(Kind::Int, "-").is_err());
        assert!(accept(Kind::Int, "0x10").is_err());
    }

    #[test]
    fn decimals_take_an_optional_fraction() {
        assert!(accept(Kind::Decimal, "20.6").is_ok());
        assert!(accept(Kind::Decimal, "-0").is_ok());
        assert!(accept(Kind::Decimal, "20.").is_err());
        assert!(accept(Kind::Decimal, ".5").is_err());
        assert!(accept(Kind::Decimal, "1e3").is_err());
    }

    #[test]
    fn bools_are_xsd_booleans() {
        for ok in ["true", "false", "1", "0", " true "] {
            assert!(accept(Kind::Bool, ok).is_ok(), "{ok}");
        }
        for bad in ["True", "yes", "", "2"] {
            assert!(accept(Kind::Bool, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn date_times_have_one_exact_form() {
        assert!(accept(Kind::DateTime, "2024-02-29T23:59:59").is_ok());
        assert!(accept(Kind::DateTime, "0001-01-01T00:00:00").is_ok());
        for bad in [
            "2023-02-29T00:00:00",
            "2024-04-31T00:00:00",
            "2024-05-14 09:30:00",
            "2024-05-14T09:30:00Z",
            "2024-05-14T09:30:00.5",
            "2024-05-14T24:00:00",
            "0000-01-01T00:00:00",
            "2024-5-14T09:30:00",
            "2024-13-01T00:00:00",
        ] {
            assert!(accept(Kind::DateTime, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn tokens_are_ascii_letters_and_strings_are_verbatim() {
        assert_eq!(accept(Kind::Token, " Public ").as_deref(), Ok("Public"));
        assert!(accept(Kind::Token, "-1").is_err());
        assert!(accept(Kind::Token, "Défini").is_err());
        assert_eq!(accept(Kind::String, "  a \n").as_deref(), Ok("  a \n"));
    }
}
