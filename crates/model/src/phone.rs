//! Phone numbers: 10-digit NANP numbers, or dialled digits kept as printed; and the key of a
//! calling card, which keeps only the card's last four digits.

use std::fmt;

const CAP: usize = 22;

/// Where calling cards' integer keys start ([`PhoneNumber::nanp_u64`]): above every NANP number.
const CARD_BASE: u64 = 10_000_000_000;
/// A calling card's key as text: `card-` and its last four digits.
const CARD_PREFIX: &str = "card-";
/// How many digits a calling-card number has, as billrecon recognizes one in a line column.
pub const CARD_DIGITS: std::ops::RangeInclusive<usize> = 12..=19;

/// A phone number as billrecon keeps it.
///
/// Any way a carrier prints a North American number (`(860) 555-0101`, `860.555.0101`,
/// `+1 860 555 0101`, `1-860-555-0101`, `8605550101`) normalizes to the same 10 digits.
/// Anything else (short codes such as `411`, `611`, `*86`, international numbers) is kept as the
/// dialled characters, without separators. Copy-able and compact (no heap).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhoneNumber {
    len: u8,
    chars: [u8; CAP],
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("empty")]
    Empty,
    #[error("`{0}` is not a phone number")]
    Invalid(String),
    #[error("`{0}` is not a 10-digit North American phone number")]
    NotNanp(String),
    /// A value with as many digits as a calling card's: never echoed whole.
    #[error("a number ending {0} is neither a 10-digit North American phone number nor a calling card (12 to 19 digits)")]
    NotLineOrCard(String),
}

/// The digits of `s` when it is only digits and the separators a number is printed with.
fn digits_only(s: &str) -> Option<String> {
    let mut d = String::new();
    for b in s.trim().bytes() {
        match b {
            b'0'..=b'9' => d.push(b as char),
            b' ' | b'-' | b'.' | b'(' | b')' | b'/' => {}
            _ => return None,
        }
    }
    Some(d)
}

/// The last four digits of a value, for a message that must not show it whole (`????` when
/// it has fewer).
pub fn last_four(s: &str) -> String {
    let d: Vec<u8> = s.bytes().filter(u8::is_ascii_digit).collect();
    if d.len() < 4 {
        return "????".into();
    }
    String::from_utf8_lossy(&d[d.len() - 4..]).into_owned()
}

/// Whether `s` holds as many digits as a calling-card number (so must never be shown whole).
pub fn has_card_digits(s: &str) -> bool {
    s.bytes().filter(u8::is_ascii_digit).count() >= *CARD_DIGITS.start()
}

/// Ten ASCII digits, the first 2–9: a North American number without its country code.
fn nanp_digits(x: &[u8]) -> bool {
    x.len() == 10 && x.iter().all(u8::is_ascii_digit) && (b'2'..=b'9').contains(&x[0])
}

impl PhoneNumber {
    /// A calling card's key, from the card's last four digits: the whole number is never kept.
    pub fn card(last4: &str) -> Option<PhoneNumber> {
        let b = last4.as_bytes();
        if b.len() != 4 || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let mut chars = [0u8; CAP];
        chars[..5].copy_from_slice(CARD_PREFIX.as_bytes());
        chars[5..9].copy_from_slice(b);
        Some(PhoneNumber { len: 9, chars })
    }

    /// A calling card's key from its whole number (12 to 19 digits, printed with or without
    /// separators): only the last four digits are kept.
    pub fn card_from_number(s: &str) -> Option<PhoneNumber> {
        let d = digits_only(s)?;
        if !CARD_DIGITS.contains(&d.len()) {
            return None;
        }
        PhoneNumber::card(&d[d.len() - 4..])
    }

    /// True for a calling card's key.
    pub fn is_card(&self) -> bool {
        self.len == 9 && self.chars.starts_with(CARD_PREFIX.as_bytes())
    }

    /// A card's last four digits.
    pub fn card_last4(&self) -> Option<&str> {
        self.is_card().then(|| &self.as_str()[5..])
    }

    /// Parses a number as printed on a bill or usage report (a card's key, `card-4821`, as
    /// billrecon writes it, reads back as that card).
    pub fn parse(s: &str) -> Result<PhoneNumber, PhoneError> {
        if let Some(c) = s.trim().strip_prefix(CARD_PREFIX).and_then(PhoneNumber::card) {
            return Ok(c);
        }
        // The common case, ten plain digits and nothing around them: one pass over the bytes.
        if let Some(p) = PhoneNumber::plain_nanp(s) {
            return Ok(p);
        }
        let t = s.trim();
        if t.is_empty() {
            return Err(PhoneError::Empty);
        }
        // Ten plain digits with spaces around them: no separators to drop, no prefix to strip.
        if nanp_digits(t.as_bytes()) {
            return Ok(PhoneNumber::nanp(t.as_bytes()));
        }
        let mut buf = [0u8; CAP];
        let mut len = 0usize;
        for b in t.bytes() {
            match b {
                b' ' | b'-' | b'.' | b'(' | b')' | b'/' => continue,
                b'0'..=b'9' | b'*' | b'#' => {}
                b'+' if len == 0 => {}
                _ => return Err(PhoneError::Invalid(t.to_string())),
            }
            if len == CAP {
                return Err(PhoneError::Invalid(t.to_string()));
            }
            buf[len] = b;
            len += 1;
        }
        if len == 0 {
            return Err(PhoneError::Invalid(t.to_string()));
        }
        let raw = &buf[..len];
        let ten: Option<&[u8]> = if nanp_digits(raw) {
            Some(raw)
        } else if raw.len() == 11 && raw[0] == b'1' && nanp_digits(&raw[1..]) {
            Some(&raw[1..])
        } else if raw.len() == 12 && raw.starts_with(b"+1") && nanp_digits(&raw[2..]) {
            Some(&raw[2..])
        } else {
            None
        };
        match ten {
            Some(ten) => Ok(PhoneNumber::nanp(ten)),
            None => Ok(PhoneNumber { len: len as u8, chars: buf }),
        }
    }

    /// `s` when it is exactly ten plain digits of a NANP number, nothing around them: the
    /// usage reader's fast path; anything else goes through [`PhoneNumber::parse`].
    #[inline]
    pub fn plain_nanp(s: &str) -> Option<PhoneNumber> {
        nanp_digits(s.as_bytes()).then(|| PhoneNumber::nanp(s.as_bytes()))
    }

    /// The ten digits of `s` as an integer (the form [`PhoneNumber::nanp_u64`] gives) when `s`
    /// is exactly ten plain digits of a NANP number: the usage reader's fast path for the
    /// service line, one pass over the bytes.
    #[inline]
    pub fn plain_nanp_u64(s: &str) -> Option<u64> {
        let b = s.as_bytes();
        if b.len() != 10 || !(b'2'..=b'9').contains(&b[0]) {
            return None;
        }
        b.iter().try_fold(0u64, |n, &d| d.is_ascii_digit().then(|| n * 10 + u64::from(d - b'0')))
    }

    /// The ten digits of any spelling of a NANP number `parse` accepts with the usual
    /// separators (`(860) 555-0101`, `860.555.0101`, `1-860-555-0101`, `+1 860 555 0101`), as an
    /// integer, without allocating: the usage reader's fast path for formatted numbers. `None`
    /// for anything else, which then goes through [`PhoneNumber::parse`].
    pub fn nanp_u64_of(s: &str) -> Option<u64> {
        let (mut n, mut count, mut plus, mut first) = (0u64, 0u32, false, 0u8);
        for &b in s.as_bytes() {
            match b {
                b'0'..=b'9' => {
                    if count == 11 {
                        return None;
                    }
                    if count == 0 {
                        first = b;
                    }
                    n = n * 10 + u64::from(b - b'0');
                    count += 1;
                }
                b' ' | b'-' | b'.' | b'(' | b')' | b'/' => {}
                b'+' if count == 0 && !plus => plus = true,
                _ => return None,
            }
        }
        let ten = match (count, plus, first) {
            (10, false, b'2'..=b'9') => n,
            (11, _, b'1') => n - 10_000_000_000,
            _ => return None,
        };
        (2_000_000_000..10_000_000_000).contains(&ten).then_some(ten)
    }

    /// A NANP number from its ten digits (checked by [`nanp_digits`]).
    fn nanp(ten: &[u8]) -> PhoneNumber {
        let mut chars = [0u8; CAP];
        chars[..10].copy_from_slice(ten);
        PhoneNumber { len: 10, chars }
    }

    /// Parses a service line: a 10-digit NANP number, or a calling card (its whole number of
    /// 12 to 19 digits, or its key `card-4821`), kept as the card's last four digits. An error
    /// about a value with a card's number of digits shows only its last four.
    pub fn parse_line(s: &str) -> Result<PhoneNumber, PhoneError> {
        if let Some(c) = PhoneNumber::card_from_number(s) {
            return Ok(c);
        }
        if has_card_digits(s) {
            return Err(PhoneError::NotLineOrCard(last_four(s)));
        }
        let p = PhoneNumber::parse(s)?;
        if p.is_nanp() || p.is_card() {
            Ok(p)
        } else {
            Err(PhoneError::NotNanp(s.trim().to_string()))
        }
    }

    /// The number as kept: 10 digits for NANP, else the dialled characters.
    pub fn as_str(&self) -> &str {
        // Only ASCII bytes are ever stored.
        std::str::from_utf8(&self.chars[..self.len as usize]).unwrap_or("")
    }

    /// True for a 10-digit North American number.
    pub fn is_nanp(&self) -> bool {
        self.len == 10 && self.chars[..10].iter().all(u8::is_ascii_digit) && self.chars[0] >= b'2'
    }

    /// A service line as an integer (for compact columns): a NANP number's 10 digits, or a
    /// calling card's key (above every NANP number: 10^10 + its last four digits).
    pub fn nanp_u64(&self) -> Option<u64> {
        if let Some(l4) = self.card_last4() {
            return Some(CARD_BASE + l4.bytes().fold(0u64, |n, d| n * 10 + u64::from(d - b'0')));
        }
        if !self.is_nanp() {
            return None;
        }
        Some(self.chars[..10].iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0')))
    }

    /// Rebuilds a service line from [`PhoneNumber::nanp_u64`].
    pub fn from_nanp_u64(n: u64) -> Option<PhoneNumber> {
        if (CARD_BASE..CARD_BASE + 10_000).contains(&n) {
            return PhoneNumber::card(&format!("{:04}", n - CARD_BASE));
        }
        if !(2_000_000_000..10_000_000_000).contains(&n) {
            return None;
        }
        let mut ten = [0u8; 10];
        let mut rest = n;
        for c in ten.iter_mut().rev() {
            *c = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        Some(PhoneNumber::nanp(&ten))
    }

    /// `860-555-0101` for NANP numbers, `card ending 4821` for a calling card, the dialled
    /// characters otherwise.
    pub fn pretty(&self) -> String {
        if let Some(l4) = self.card_last4() {
            format!("card ending {l4}")
        } else if self.is_nanp() {
            let s = self.as_str();
            format!("{}-{}-{}", &s[..3], &s[3..6], &s[6..])
        } else {
            self.as_str().to_string()
        }
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhoneNumber({})", self.as_str())
    }
}

impl serde::Serialize for PhoneNumber {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_nanp_spelling_normalizes_to_ten_digits() {
        for s in ["(860) 555-0101", "860.555.0101", "+1 860 555 0101", "1-860-555-0101", "8605550101", " 860-555-0101 "] {
            let p = PhoneNumber::parse(s).unwrap();
            assert_eq!(p.as_str(), "8605550101", "{s}");
            assert!(p.is_nanp());
            assert_eq!(p.pretty(), "860-555-0101");
        }
    }

    #[test]
    fn short_codes_keep_their_dialled_digits() {
        assert_eq!(PhoneNumber::parse("411").unwrap().as_str(), "411");
        assert_eq!(PhoneNumber::parse("611").unwrap().as_str(), "611");
        assert_eq!(PhoneNumber::parse("*86").unwrap().as_str(), "*86");
        assert_eq!(PhoneNumber::parse("1-411").unwrap().as_str(), "1411");
        assert_eq!(PhoneNumber::parse("555-1212").unwrap().as_str(), "5551212");
        assert_eq!(PhoneNumber::parse("+44 20 7946 0958").unwrap().as_str(), "+442079460958");
        assert!(!PhoneNumber::parse("411").unwrap().is_nanp());
    }

    #[test]
    fn errors_name_the_value() {
        assert_eq!(PhoneNumber::parse("").unwrap_err().to_string(), "empty");
        assert_eq!(PhoneNumber::parse("86O-555-0101").unwrap_err().to_string(), "`86O-555-0101` is not a phone number");
        assert_eq!(
            PhoneNumber::parse_line("411").unwrap_err().to_string(),
            "`411` is not a 10-digit North American phone number"
        );
        assert_eq!(
            PhoneNumber::parse_line("123-555-0101").unwrap_err().to_string(),
            "`123-555-0101` is not a 10-digit North American phone number"
        );
        assert!(PhoneNumber::parse("1+2").is_err());
        assert!(PhoneNumber::parse("12345678901234567890123").is_err());
    }

    #[test]
    fn a_calling_card_keeps_only_its_last_four_digits() {
        for s in ["1234 5678 9012 4821", "12345678904821", "1234-5678-9012-34821", "card-4821"] {
            let c = PhoneNumber::parse_line(s).unwrap();
            assert_eq!(
                (c.as_str(), c.pretty(), c.is_card(), c.is_nanp()),
                ("card-4821", "card ending 4821".to_string(), true, false),
                "{s}"
            );
            assert_eq!(PhoneNumber::from_nanp_u64(c.nanp_u64().unwrap()), Some(c));
            assert_eq!(format!("{c:?} {c}"), "PhoneNumber(card-4821) card-4821");
        }
        assert_eq!(PhoneNumber::parse("card-4821").unwrap(), PhoneNumber::card("4821").unwrap());
        assert_eq!(PhoneNumber::card("0007").unwrap().nanp_u64(), Some(10_000_000_007));
        // Eleven digits with a leading 1 are still a NANP number; a wrong one of a card's length
        // is never echoed whole.
        assert!(PhoneNumber::parse_line("18605550101").unwrap().is_nanp());
        let e = PhoneNumber::parse_line("1234567890123456789012").unwrap_err().to_string();
        assert_eq!(
            e,
            "a number ending 9012 is neither a 10-digit North American phone number nor a calling card (12 to 19 digits)"
        );
        assert!(PhoneNumber::card("48a1").is_none() && PhoneNumber::card("482").is_none());
    }

    #[test]
    fn u64_round_trip() {
        let p = PhoneNumber::parse("860-555-0101").unwrap();
        assert_eq!(PhoneNumber::from_nanp_u64(p.nanp_u64().unwrap()), Some(p));
        assert_eq!(PhoneNumber::parse("411").unwrap().nanp_u64(), None);
    }

    #[test]
    fn formatted_numbers_without_allocating() {
        for s in ["(860) 555-0101", "860.555.0101", "1-860-555-0101", "+1 860 555 0101", " 8605550101 ", "860/555/0101"] {
            assert_eq!(PhoneNumber::nanp_u64_of(s), Some(8_605_550_101), "{s}");
        }
        for s in ["411", "+8605550101", "1-060-555-0101", "(860) 555-010", "860-555-01011", "*86", "86a5550101", "+1+8605550101"]
        {
            assert_eq!(PhoneNumber::nanp_u64_of(s), None, "{s}");
        }
    }

    proptest::proptest! {
        /// Whenever the fast path answers, it answers what the general parse gives.
        #[test]
        fn the_formatted_fast_path_agrees_with_parse(s in "[0-9 ()+./-]{0,18}") {
            if let Some(n) = PhoneNumber::nanp_u64_of(&s) {
                proptest::prop_assert_eq!(PhoneNumber::parse(&s).ok().and_then(|p| p.nanp_u64()), Some(n));
            } else if let Ok(p) = PhoneNumber::parse(&s) {
                // The fast path only declines what is not a NANP number.
                proptest::prop_assert!(!p.is_nanp() || s.contains("++"), "{s} parses to {p}");
            }
        }

        /// Ten plain digits (the fast path) and the same digits written with separators or a
        /// leading 1 (the general path) are the same number; the u64 form round-trips.
        #[test]
        fn plain_digits_and_formatted_agree(n in 0u64..10_000_000_000) {
            let s = format!("{n:010}");
            let formatted = format!("+1 ({}) {}-{}", &s[..3], &s[3..6], &s[6..]);
            let (fast, slow) = (PhoneNumber::parse(&s), PhoneNumber::parse(&formatted));
            if n >= 2_000_000_000 {
                proptest::prop_assert_eq!(&fast, &PhoneNumber::parse(&format!("1{s}")));
                proptest::prop_assert_eq!(&fast, &slow);
                let p = fast.unwrap();
                proptest::prop_assert_eq!(p.as_str(), s.as_str());
                proptest::prop_assert_eq!(p.nanp_u64(), Some(n));
                proptest::prop_assert_eq!(PhoneNumber::from_nanp_u64(n), Some(p));
            } else {
                proptest::prop_assert!(!fast.unwrap().is_nanp());
                proptest::prop_assert_eq!(PhoneNumber::from_nanp_u64(n), None);
            }
        }

        /// The usage reader's one-pass line digits agree with parsing as a line, and decline
        /// (leaving it to the general parse) anything that is not exactly ten plain digits.
        #[test]
        fn plain_line_digits_agree_with_parse_line(s in proptest::prop_oneof!["[0-9]{10}", "[0-9 ()+-]{0,13}"]) {
            match PhoneNumber::plain_nanp_u64(&s) {
                Some(n) => {
                    proptest::prop_assert_eq!(PhoneNumber::parse_line(&s).ok().and_then(|p| p.nanp_u64()), Some(n));
                    proptest::prop_assert_eq!(PhoneNumber::plain_nanp(&s).map(|p| p.as_str().to_string()), Some(s.clone()));
                }
                None => proptest::prop_assert!(PhoneNumber::plain_nanp(&s).is_none()),
            }
        }
    }
}
