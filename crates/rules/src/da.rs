//! Chargeable directory assistance (OPM policy): any directory-assistance call that generates a
//! charge, including billable call completion. Plain byte comparisons: no regex per row.

use rust_decimal::Decimal;

/// Dialled digits (every non-digit removed) that reach paid directory assistance:
/// `411`, `1411`, `5551212`, `NPA5551212` (NPA starting 2–9), `1NPA5551212`.
pub fn digits_are_da(number: &str) -> bool {
    let mut buf = [0u8; 24];
    let mut n = 0;
    for b in number.bytes().filter(u8::is_ascii_digit) {
        if n == buf.len() {
            return false;
        }
        buf[n] = b;
        n += 1;
    }
    let d = &buf[..n];
    match n {
        3 => d == b"411",
        4 => d == b"1411",
        7 => d == b"5551212",
        10 => (b'2'..=b'9').contains(&d[0]) && &d[3..] == b"5551212",
        11 => d[0] == b'1' && (b'2'..=b'9').contains(&d[1]) && &d[4..] == b"5551212",
        _ => false,
    }
}

const DESCRIPTIONS: &[&[u8]] =
    &[b"DIRECTORY ASSIST", b"DIRECTORY ASST", b"DIR ASST", b"DIR ASSIST", b"DIR. ASST", b"DIR. ASSIST", b"CALL COMPLETION"];

fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len() && hay.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle))
}

/// A description that says directory assistance, `411` (not inside a longer number), or call
/// completion: "DIRECTORY ASSIST", "DIR ASST", "411 Search", "CALL COMPLETION".
pub fn description_is_da(description: &str) -> bool {
    let h = description.as_bytes();
    if DESCRIPTIONS.iter().any(|n| contains_ci(h, n)) {
        return true;
    }
    h.windows(3)
        .enumerate()
        .any(|(i, w)| w == b"411" && (i == 0 || !h[i - 1].is_ascii_digit()) && h.get(i + 3).is_none_or(|b| !b.is_ascii_digit()))
}

/// A usage row that is chargeable directory assistance: it generated a charge, and its number or
/// its description is directory assistance. Free DA (charge 0) never is.
pub fn is_chargeable_da(number: &str, description: &str, charge: Decimal) -> bool {
    charge > Decimal::ZERO && (digits_are_da(number) || description_is_da(description))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn directory_assistance_numbers() {
        for n in
            ["411", "1411", "1-411", "555-1212", "5551212", "860-555-1212", "(203) 555-1212", "1-860-555-1212", "18605551212"]
        {
            assert!(digits_are_da(n), "{n}");
            assert!(is_chargeable_da(n, "", c("1.99")), "{n}");
        }
    }

    #[test]
    fn near_misses_are_not_directory_assistance() {
        for n in
            ["2035550411", "860-555-9411", "212-555-1213", "4111", "41", "0415551212", "1-160-555-1212", "8605551212 1", "611"]
        {
            assert!(!digits_are_da(n), "{n}");
        }
        assert!(!is_chargeable_da("2035550411", "LONG DISTANCE", c("0.25")));
        assert!(!is_chargeable_da("2125551213", "LONG DISTANCE", c("0.35")));
        // Free directory assistance is never flagged.
        assert!(!is_chargeable_da("18003733411", "FREE411", c("0")));
        assert!(!is_chargeable_da("411", "411 Search", c("0.00")));
        assert!(!is_chargeable_da("411", "", c("-1.99")));
    }

    #[test]
    fn directory_assistance_descriptions() {
        for d in [
            "DIRECTORY ASSIST",
            "Directory Assistance",
            "DIR ASST",
            "411 Search",
            "CALL COMPLETION",
            "Call completion - 411",
            "NATL 411",
        ] {
            assert!(description_is_da(d), "{d}");
            assert!(is_chargeable_da("8605552000", d, c("2.49")), "{d}");
        }
        for d in ["LONG DISTANCE", "Call to 2035550411", "4115 MAIN ST", "DIRECT CONNECT", ""] {
            assert!(!description_is_da(d), "{d}");
        }
    }
}
