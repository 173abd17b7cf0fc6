//! One cell's value, and the conversions from what carriers really print to typed values.
//!
//! Money never passes through a float here except for numeric XLSX cells, which calamine hands
//! over as f64; those are converted with `Decimal::from_f64` and checked to be whole cents.
//! Every conversion error is a sentence naming the value, used as the `reason` of a rejection.

use chrono::{NaiveDate, NaiveDateTime, Timelike};
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;

use billrecon_model::{round_cents, PhoneNumber, TimeOfDay};

/// A cell as read from CSV (always text) or XLSX (typed).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    DateTime(NaiveDateTime),
    Bool(bool),
    Error(&'a str),
}

/// An owned cell, for XLSX rows gathered from calamine's streaming reader.
#[derive(Debug, Clone, PartialEq)]
pub enum OwnedCell {
    Empty,
    Text(String),
    Number(f64),
    DateTime(NaiveDateTime),
    Bool(bool),
    Error(String),
}

impl OwnedCell {
    pub fn as_cell(&self) -> Cell<'_> {
        match self {
            OwnedCell::Empty => Cell::Empty,
            OwnedCell::Text(s) => Cell::Text(s),
            OwnedCell::Number(n) => Cell::Number(*n),
            OwnedCell::DateTime(d) => Cell::DateTime(*d),
            OwnedCell::Bool(b) => Cell::Bool(*b),
            OwnedCell::Error(e) => Cell::Error(e),
        }
    }
}

impl Cell<'_> {
    /// True for an empty cell or one holding only spaces.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            // Most cells start with a visible ASCII character: no need to look further.
            Cell::Text(s) => !s.as_bytes().first().is_some_and(|b| b.is_ascii_graphic()) && s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as a person would read it (used in messages and for text fields).
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.trim().to_string(),
            Cell::Number(n) => format_f64(*n),
            Cell::DateTime(d) => {
                if d.time() == chrono::NaiveTime::MIN {
                    d.date().to_string()
                } else {
                    d.to_string()
                }
            }
            Cell::Bool(b) => b.to_string(),
            Cell::Error(e) => format!("#{e}"),
        }
    }
}

fn format_f64(n: f64) -> String {
    match Decimal::from_f64(n) {
        Some(d) => d.normalize().to_string(),
        None => n.to_string(),
    }
}

/// Text of a cell, trimmed; numbers are printed without float noise.
pub fn text(c: Cell<'_>) -> Result<String, String> {
    match c {
        Cell::Error(e) => Err(format!("cell holds the spreadsheet error #{e}")),
        _ => Ok(c.display()),
    }
}

/// Parses an amount of money to whole cents.
///
/// Accepts `1234.5`, `$1,234.56`, `(12.00)` and `-12.00` (negative), `-$12.00`, `$-12.00`, and
/// numeric XLSX cells. Fractions of a cent are rejected, never rounded silently.
pub fn money(c: Cell<'_>) -> Result<Decimal, String> {
    let d = match c {
        Cell::Number(f) => money_from_f64(f),
        Cell::Text(s) => money_from_str(s),
        Cell::Empty => Err("required value is empty".into()),
        Cell::Error(e) => Err(format!("cell holds the spreadsheet error #{e}")),
        other => Err(format!("`{}` is not an amount of money", other.display())),
    }?;
    within_bounds(d, &c)
}

/// The largest amount a single cell may hold: more than any telephone bill, and small enough
/// that no sum or split of a month's amounts can overflow (a billion rows of it still fit).
pub const MONEY_MAX: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0); // 1,000,000,000,000

fn within_bounds(d: Decimal, c: &Cell<'_>) -> Result<Decimal, String> {
    if matches!(c, Cell::Text(t) if t.trim().len() <= 12) {
        return Ok(d);
    }
    if d.abs() > MONEY_MAX {
        return Err(format!("`{}` is more than any telephone charge (over $1,000,000,000,000): a corrupt cell?", c.display()));
    }
    Ok(d)
}

/// Money where an empty cell means zero.
pub fn money_or_zero(c: Cell<'_>) -> Result<Decimal, String> {
    if c.is_blank() {
        Ok(Decimal::ZERO)
    } else {
        money(c)
    }
}

fn money_from_f64(f: f64) -> Result<Decimal, String> {
    if !f.is_finite() {
        return Err(format!("`{f}` is not an amount of money"));
    }
    let d = Decimal::from_f64(f).ok_or_else(|| format!("`{f}` is too large"))?;
    let cents = round_cents(d);
    // A float that holds whole cents converts back within float noise; anything else had
    // fractions of a cent typed into the sheet.
    if (d - cents).abs() > Decimal::new(1, 6) {
        return Err(format!("`{}` has more than 2 decimal places (fractions of a cent are not billable)", d.normalize()));
    }
    Ok(two_places(cents))
}

/// The same amount written with exactly two decimals (`55` -> `55.00`); exact for whole cents.
fn two_places(mut d: Decimal) -> Decimal {
    d.rescale(2);
    d
}

fn money_from_str(raw: &str) -> Result<Decimal, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err("required value is empty".into());
    }
    let bad = || format!("`{s}` is not an amount of money");
    let mut t = s;
    let mut negative = false;
    if let Some(inner) = t.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        negative = true;
        t = inner.trim();
    }
    if let Some(rest) = t.strip_prefix('-') {
        if negative {
            return Err(bad());
        }
        negative = true;
        t = rest.trim_start();
    }
    if let Some(rest) = t.strip_prefix('$') {
        t = rest.trim_start();
    }
    if let Some(rest) = t.strip_prefix('-') {
        if negative {
            return Err(bad());
        }
        negative = true;
        t = rest;
    }
    let d = plain_decimal(t).ok_or_else(bad)?.map_err(|_| format!("`{s}` is too large"))?;
    if d.scale() > 2 && d.normalize().scale() > 2 {
        return Err(format!("`{s}` has more than 2 decimal places (fractions of a cent are not billable)"));
    }
    let d = two_places(d.round_dp(2)); // exact: at most 2 significant decimals remain
    Ok(if negative { -d } else { d })
}

/// `1234.56` or `1,234.56` (thousands groups checked) as an exact Decimal.
/// `None` when it is not such a number; `Some(Err)` when it is out of range.
fn plain_decimal(t: &str) -> Option<Result<Decimal, ()>> {
    match short_decimal(t) {
        Some(d) => Some(Ok(d)),
        None => grouped_decimal(t),
    }
}

/// [`plain_decimal`]'s general path: thousands groups, a trailing dot, any length.
fn grouped_decimal(t: &str) -> Option<Result<Decimal, ()>> {
    if t.is_empty() {
        return None;
    }
    let (int, frac) = match t.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (t, None),
    };
    if let Some(f) = frac {
        if f.is_empty() && int.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    let digits: String = if int.contains(',') {
        let groups: Vec<&str> = int.split(',').collect();
        let ok = !groups[0].is_empty()
            && groups[0].len() <= 3
            && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
            && groups[1..].iter().all(|g| g.len() == 3);
        if !ok {
            return None;
        }
        groups.concat()
    } else {
        if !int.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        int.to_string()
    };
    let norm = match frac {
        Some(f) if !f.is_empty() => format!("{}.{}", if digits.is_empty() { "0" } else { &digits }, f),
        _ => {
            if digits.is_empty() {
                return None;
            } else {
                digits
            }
        }
    };
    Some(Decimal::from_str_exact(&norm).map_err(|_| ()))
}

/// `digits[.digits]` with at most 18 digits in all (so it fits an i64): the exact Decimal
/// without building a string, as `Decimal::from_str_exact` would read it (same digits, same
/// scale). Anything else is left to the general path.
fn short_decimal(t: &str) -> Option<Decimal> {
    let b = t.as_bytes();
    if b.len() > 19 {
        return None;
    }
    let (mut mantissa, mut scale, mut dot, mut digits) = (0i64, 0u32, false, 0);
    for &c in b {
        match c {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + i64::from(c - b'0');
                digits += 1;
                scale += u32::from(dot);
            }
            b'.' if !dot => dot = true,
            _ => return None,
        }
    }
    // A lone dot, a leading or trailing dot with no digits, or too many digits: the general path.
    (digits > 0 && digits <= 18 && !(dot && scale == 0)).then(|| Decimal::new(mantissa, scale))
}

/// A non-money quantity (minutes, messages, MB, count): exact decimal, `1,234.5` allowed.
pub fn quantity(c: Cell<'_>) -> Result<Decimal, String> {
    let q = quantity_any(c)?;
    // Twelve characters or fewer cannot spell more than 10^12: the usual row needs no check.
    if matches!(c, Cell::Text(t) if t.trim().len() <= 12) {
        return Ok(q);
    }
    // Minutes, messages and megabytes: the same bound as money keeps every sum in range.
    if q.abs() > MONEY_MAX {
        return Err(format!("`{}` is more than any line can use (over 1,000,000,000,000): a corrupt cell?", c.display()));
    }
    Ok(q)
}

fn quantity_any(c: Cell<'_>) -> Result<Decimal, String> {
    match c {
        Cell::Number(f) => Decimal::from_f64(f).map(|d| d.normalize()).ok_or_else(|| format!("`{f}` is not a number")),
        Cell::Text(s) => {
            let s = s.trim();
            if s.is_empty() {
                return Err("required value is empty".into());
            }
            let (neg, t) = match s.strip_prefix('-') {
                Some(r) => (true, r),
                None => (false, s),
            };
            let d =
                plain_decimal(t).ok_or_else(|| format!("`{s}` is not a number"))?.map_err(|_| format!("`{s}` is too large"))?;
            Ok(if neg { -d } else { d })
        }
        Cell::Empty => Err("required value is empty".into()),
        Cell::Error(e) => Err(format!("cell holds the spreadsheet error #{e}")),
        other => Err(format!("`{}` is not a number", other.display())),
    }
}

/// A quantity that may not be negative.
pub fn non_negative_quantity(c: Cell<'_>) -> Result<Decimal, String> {
    let q = quantity(c)?;
    if q.is_sign_negative() && !q.is_zero() {
        return Err(format!("`{}` is negative", c.display()));
    }
    Ok(q)
}

const DATE_HELP: &str = "expected YYYY-MM-DD, MM/DD/YYYY or Jan 15, 2024";

/// Dates: `2026-10-05`, `10/05/2026`, `10/5/2026`, `Jan 15, 2024`, XLSX date cells and serial
/// numbers.
pub fn date(c: Cell<'_>) -> Result<NaiveDate, String> {
    let d = match c {
        Cell::DateTime(dt) => dt.date(),
        Cell::Number(f) => date_from_serial(f).ok_or_else(|| format!("`{}` is not a date ({DATE_HELP})", c.display()))?,
        Cell::Text(s) => date_from_str(s.trim()).ok_or_else(|| format!("`{}` is not a date ({DATE_HELP})", s.trim()))?,
        Cell::Empty => return Err("required value is empty".into()),
        Cell::Error(e) => return Err(format!("cell holds the spreadsheet error #{e}")),
        Cell::Bool(_) => return Err(format!("`{}` is not a date ({DATE_HELP})", c.display())),
    };
    use chrono::Datelike;
    if !(1950..=2200).contains(&d.year()) {
        return Err(format!("`{}` is not a plausible date (year {})", c.display(), d.year()));
    }
    Ok(d)
}

/// A date, or `None` for an empty cell.
pub fn optional_date(c: Cell<'_>) -> Result<Option<NaiveDate>, String> {
    if c.is_blank() {
        Ok(None)
    } else {
        date(c).map(Some)
    }
}

fn date_from_serial(f: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&f) || f.fract() != 0.0 {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(chrono::Days::new(f as u64))
}

/// Two ASCII digits as a number.
fn two(b: &[u8]) -> Option<u32> {
    match b {
        [a @ b'0'..=b'9', c @ b'0'..=b'9'] => Some(u32::from(a - b'0') * 10 + u32::from(c - b'0')),
        _ => None,
    }
}

fn date_from_str(s: &str) -> Option<NaiveDate> {
    // The canonical shape first, without a format parser: a usage report has millions.
    let b = s.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let y = two(&b[0..2])? * 100 + two(&b[2..4])?;
        return NaiveDate::from_ymd_opt(y as i32, two(&b[5..7])?, two(&b[8..10])?);
    }
    if s.as_bytes().first().is_some_and(u8::is_ascii_alphabetic) {
        return month_name_date(s);
    }
    // An ISO date-time keeps its date part.
    let s = s.split(['T', ' ']).next().unwrap_or(s);
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return (s.len() == 10).then_some(d);
    }
    let parts: Vec<&str> = s.split('/').collect();
    if parts.len() == 3 && parts[2].len() == 4 && (1..=2).contains(&parts[0].len()) && (1..=2).contains(&parts[1].len()) {
        let m: u32 = parts[0].parse().ok()?;
        let d: u32 = parts[1].parse().ok()?;
        let y: i32 = parts[2].parse().ok()?;
        return NaiveDate::from_ymd_opt(y, m, d);
    }
    None
}

/// The month of a month's name or its abbreviation (`Jan`, `Jan.`, `January`, `Sept`), any case.
fn month_of(word: &str) -> Option<u32> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    let m = NAMES.iter().position(|n| *n == w || (w.len() == 3 && n.starts_with(&w)) || (w == "sept" && *n == "september"))?;
    Some(m as u32 + 1)
}

/// A day of the month: one or two digits.
fn day_of(word: &str) -> Option<u32> {
    (1..=2).contains(&word.len()).then(|| word.parse().ok()).flatten()
}

/// `Jan 15, 2024`, `January 15 2024`, `Jan. 15, 2024` (Verizon's bill cycle dates).
fn month_name_date(s: &str) -> Option<NaiveDate> {
    let words: Vec<&str> = s.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    match words.as_slice() {
        [m, d, y] if y.len() == 4 => NaiveDate::from_ymd_opt(y.parse().ok()?, month_of(m)?, day_of(d)?),
        _ => None,
    }
}

/// A month and day with no year: `01/05`, `1/5`, `Dec 16`, `December 16`.
pub fn month_day(s: &str) -> Option<(u32, u32)> {
    let s = s.trim();
    if let Some((m, d)) = s.split_once('/') {
        let m = day_of(m)?;
        let d = day_of(d)?;
        return ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((m, d));
    }
    let words: Vec<&str> = s.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    match words.as_slice() {
        [m, d] => Some((month_of(m)?, day_of(d).filter(|d| (1..=31).contains(d))?)),
        _ => None,
    }
}

/// The date of `month`/`day` in the year that puts it at or before `anchor` (a bill cycle's
/// closing date), allowing a month of late usage: a cycle closing Jan 15, 2024 reads `12/20`
/// as 2023-12-20 and `01/05` as 2024-01-05. `None` when the day does not exist in that year.
pub fn in_year_before(month: u32, day: u32, anchor: NaiveDate) -> Option<NaiveDate> {
    use chrono::Datelike;
    // The year-long window ending a month after the anchor holds each month and day once.
    let late = anchor.checked_add_days(chrono::Days::new(31))?;
    let early = late.checked_sub_months(chrono::Months::new(12))?;
    [anchor.year() + 1, anchor.year(), anchor.year() - 1]
        .into_iter()
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .find(|d| early < *d && *d <= late)
}

/// A date that may be printed without its year (`01/05`, `Dec 16`): the year is that of the
/// bill cycle closing on `anchor` ([`in_year_before`]). A full date is taken as it is.
pub fn date_near(c: Cell<'_>, anchor: NaiveDate) -> Result<NaiveDate, String> {
    if let Cell::Text(t) = c {
        if let Some((m, d)) = month_day(t) {
            return in_year_before(m, d, anchor)
                .ok_or_else(|| format!("`{}` is not a date in the bill cycle closing {anchor}", t.trim()));
        }
    }
    date(c)
}

/// The two ends of a range: `10/01/2026 - 10/31/2026`, `Dec 16 -Jan 15 `, `a to b`, `a – b`.
/// A `-` inside a date (`2026-10-01`) is not a separator: one needs a space on either side.
pub fn split_range(t: &str) -> Option<(&str, &str)> {
    let t = t.trim();
    if let Some((a, b)) = [" - ", " to ", " – ", " — ", "–", "—"].iter().find_map(|sep| t.split_once(sep)) {
        return Some((a.trim(), b.trim()));
    }
    let b = t.as_bytes();
    let at = (1..b.len().saturating_sub(1)).find(|&i| b[i] == b'-' && (b[i - 1] == b' ' || b[i + 1] == b' '))?;
    Some((t[..at].trim(), t[at + 1..].trim()))
}

const TIME_HELP: &str = "expected HH:MM, HH:MM:SS or H:MM AM/PM";

/// Times: `14:05`, `14:05:33`, `2:05 PM`, `7:15A`, XLSX time cells and day fractions.
pub fn time(c: Cell<'_>) -> Result<TimeOfDay, String> {
    let bad = || format!("`{}` is not a time of day ({TIME_HELP})", c.display());
    match c {
        Cell::DateTime(dt) => {
            let t = dt.time();
            // Round to the second: spreadsheet fractions carry float noise.
            let secs = t.num_seconds_from_midnight() + u32::from(t.nanosecond() >= 500_000_000);
            TimeOfDay::from_seconds(secs % 86_400).ok_or_else(bad)
        }
        Cell::Number(f) if (0.0..1.0).contains(&f) => {
            let secs = (f * 86_400.0).round() as u32;
            TimeOfDay::from_seconds(secs.min(86_399)).ok_or_else(bad)
        }
        Cell::Text(s) => time_from_str(s.trim()).ok_or_else(bad),
        Cell::Empty => Err("required value is empty".into()),
        Cell::Error(e) => Err(format!("cell holds the spreadsheet error #{e}")),
        _ => Err(bad()),
    }
}

/// A time, or `None` for an empty cell.
pub fn optional_time(c: Cell<'_>) -> Result<Option<TimeOfDay>, String> {
    if c.is_blank() {
        Ok(None)
    } else {
        time(c).map(Some)
    }
}

fn time_from_str(s: &str) -> Option<TimeOfDay> {
    // HH:MM:SS and HH:MM first, without allocating.
    let b = s.as_bytes();
    if (b.len() == 8 && b[5] == b':' || b.len() == 5) && b[2] == b':' {
        let sec = if b.len() == 8 { two(&b[6..8])? } else { 0 };
        return TimeOfDay::from_hms(two(&b[0..2])?, two(&b[3..5])?, sec);
    }
    let upper = s.to_ascii_uppercase().replace('.', "");
    // `2:05 PM`, `2:05pm`, and Verizon's `7:15A` / `12:05P`.
    let (clock, meridiem) = if let Some(r) = upper.strip_suffix("AM").or_else(|| upper.strip_suffix('A')) {
        (r.trim_end(), Some(false))
    } else if let Some(r) = upper.strip_suffix("PM").or_else(|| upper.strip_suffix('P')) {
        (r.trim_end(), Some(true))
    } else {
        (upper.as_str(), None)
    };
    let parts: Vec<&str> = clock.split(':').collect();
    if !(2..=3).contains(&parts.len())
        || parts.iter().any(|p| p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    if parts[1].len() != 2 || parts.get(2).is_some_and(|p| p.len() != 2) {
        return None;
    }
    let mut h: u32 = parts[0].parse().ok()?;
    let m: u32 = parts[1].parse().ok()?;
    let sec: u32 = parts.get(2).map_or(Some(0), |p| p.parse().ok())?;
    if let Some(pm) = meridiem {
        if !(1..=12).contains(&h) {
            return None;
        }
        h = match (h, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
    }
    TimeOfDay::from_hms(h, m, sec)
}

/// A service line: a 10-digit North American number, or a calling card (12 to 19 digits), kept
/// as its last four digits (an error never shows a card's number whole).
pub fn line(c: Cell<'_>) -> Result<PhoneNumber, String> {
    PhoneNumber::parse_line(&phone_text(c)?).map_err(|e| e.to_string()).map_err(|e| {
        if e == "empty" {
            "required value is empty".into()
        } else {
            e
        }
    })
}

/// The digits of a cell (a card's whole number while its rows are checked; never kept).
pub fn digits(c: Cell<'_>) -> String {
    phone_text(c).map(|t| t.bytes().filter(u8::is_ascii_digit).map(char::from).collect()).unwrap_or_default()
}

/// Any dialled number; `None` for an empty cell.
pub fn optional_phone(c: Cell<'_>) -> Result<Option<PhoneNumber>, String> {
    if c.is_blank() {
        return Ok(None);
    }
    PhoneNumber::parse(&phone_text(c)?).map(Some).map_err(|e| e.to_string())
}

fn phone_text<'a>(c: Cell<'a>) -> Result<std::borrow::Cow<'a, str>, String> {
    match c {
        // A number typed into a spreadsheet without formatting arrives as a float.
        Cell::Number(f) if f.fract() == 0.0 && (0.0..1e15).contains(&f) => Ok(format!("{}", f as u64).into()),
        Cell::Error(e) => Err(format!("cell holds the spreadsheet error #{e}")),
        Cell::Text(s) => Ok(s.into()),
        _ => Ok(c.display().into()),
    }
}

/// Text of a cell, trimmed, borrowed when it can be.
pub fn text_ref<'a>(c: Cell<'a>) -> Result<std::borrow::Cow<'a, str>, String> {
    match c {
        Cell::Text(s) => Ok(s.trim().into()),
        _ => text(c).map(Into::into),
    }
}

/// A required text value.
pub fn required_text(c: Cell<'_>) -> Result<String, String> {
    let t = text(c)?;
    if t.is_empty() {
        Err("required value is empty".into())
    } else {
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    proptest::proptest! {
        /// The allocation-free path reads every short plain number exactly as the general
        /// path does (same value, same scale), and declines the rest.
        #[test]
        fn short_decimals_read_as_the_general_path(t in "[0-9.,]{0,21}") {
            if let Some(d) = short_decimal(&t) {
                let g = grouped_decimal(&t).unwrap().unwrap();
                proptest::prop_assert_eq!((d, d.scale()), (g, g.scale()));
                let exact = Decimal::from_str_exact(&t).unwrap();
                proptest::prop_assert_eq!((d, d.scale()), (exact, exact.scale()));
            }
        }
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }
    fn t(s: &str) -> Cell<'_> {
        Cell::Text(s)
    }

    #[test]
    fn money_as_it_really_arrives() {
        assert_eq!(money(t("1234.5")), Ok(d("1234.50")));
        assert_eq!(money(t("$1,234.56")), Ok(d("1234.56")));
        assert_eq!(money(t("(12.00)")), Ok(d("-12.00")));
        assert_eq!(money(t("-12.00")), Ok(d("-12.00")));
        assert_eq!(money(t("-$12.00")), Ok(d("-12.00")));
        assert_eq!(money(t("$-12.00")), Ok(d("-12.00")));
        assert_eq!(money(t("($1,000)")), Ok(d("-1000")));
        assert_eq!(money(t("($948.03)")), Ok(d("-948.03"))); // AT&T's negatives
        assert_eq!(money(t("-3.50")), Ok(d("-3.50"))); // Verizon's discounts
        assert_eq!(money(t(" 0.10 ")), Ok(d("0.10")));
        assert_eq!(money(t(".99")), Ok(d("0.99")));
        assert_eq!(money(t("2.500")), Ok(d("2.50")));
        assert_eq!(money(Cell::Number(1327.03)), Ok(d("1327.03")));
        assert_eq!(money(Cell::Number(0.1 + 0.2)), Ok(d("0.30")));
        assert_eq!(money(Cell::Number(-55.0)), Ok(d("-55")));
        assert_eq!(money(Cell::Number(55.0)).unwrap().to_string(), "55.00");
        assert_eq!(money(t("1234.5")).unwrap().to_string(), "1234.50");
        assert_eq!(money(t("(12)")).unwrap().to_string(), "-12.00");
        assert_eq!(money_or_zero(t("")), Ok(Decimal::ZERO));
    }

    #[test]
    fn money_errors_name_the_value() {
        assert_eq!(
            money(t("0.005")),
            Err("`0.005` has more than 2 decimal places (fractions of a cent are not billable)".into())
        );
        assert_eq!(
            money(Cell::Number(0.005)),
            Err("`0.005` has more than 2 decimal places (fractions of a cent are not billable)".into())
        );
        assert_eq!(money(t("12.3.4")), Err("`12.3.4` is not an amount of money".into()));
        assert_eq!(money(t("1,23.40")), Err("`1,23.40` is not an amount of money".into()));
        assert_eq!(money(t("abc")), Err("`abc` is not an amount of money".into()));
        assert_eq!(money(t("--5")), Err("`--5` is not an amount of money".into()));
        assert_eq!(money(t("(-5)")), Err("`(-5)` is not an amount of money".into()));
        assert_eq!(money(t("")), Err("required value is empty".into()));
        assert_eq!(money(t("99999999999999999999999999999999")), Err("`99999999999999999999999999999999` is too large".into()));
        assert_eq!(MONEY_MAX, Decimal::from(1_000_000_000_000u64));
        assert_eq!(money(t("1000000000000.00")), Ok(MONEY_MAX));
        assert_eq!(
            money(t("-1000000000000.01")),
            Err("`-1000000000000.01` is more than any telephone charge (over $1,000,000,000,000): a corrupt cell?".into())
        );
        assert_eq!(money(Cell::Error("VALUE!")), Err("cell holds the spreadsheet error #VALUE!".into()));
    }

    #[test]
    fn quantities() {
        assert_eq!(quantity(t("1,234.5")), Ok(d("1234.5")));
        assert_eq!(quantity(Cell::Number(12.75)), Ok(d("12.75")));
        assert_eq!(quantity(t("-3")), Ok(d("-3")));
        assert_eq!(non_negative_quantity(t("-3")), Err("`-3` is negative".into()));
        assert_eq!(quantity(t("3 min")), Err("`3 min` is not a number".into()));
    }

    #[test]
    fn dates_as_they_really_arrive() {
        let oct5 = NaiveDate::from_ymd_opt(2026, 10, 5).unwrap();
        assert_eq!(date(t("2026-10-05")), Ok(oct5));
        assert_eq!(date(t("10/05/2026")), Ok(oct5));
        assert_eq!(date(t("10/5/2026")), Ok(oct5));
        assert_eq!(date(t("2026-10-05T00:00:00")), Ok(oct5));
        assert_eq!(date(Cell::Number(46300.0)), Ok(oct5));
        assert_eq!(date(Cell::DateTime(oct5.and_hms_opt(0, 0, 0).unwrap())), Ok(oct5));
        assert_eq!(date(t("Oct 5, 2026")), Ok(oct5));
        assert_eq!(date(t("October 5 2026")), Ok(oct5));
        assert_eq!(date(t("oct. 05, 2026")), Ok(oct5));
        const HELP: &str = "(expected YYYY-MM-DD, MM/DD/YYYY or Jan 15, 2024)";
        assert_eq!(date(t("13/45/2026")), Err(format!("`13/45/2026` is not a date {HELP}")));
        assert_eq!(date(t("5 Oct 2026")), Err(format!("`5 Oct 2026` is not a date {HELP}")));
        assert_eq!(date(t("Oct 32, 2026")), Err(format!("`Oct 32, 2026` is not a date {HELP}")));
        assert_eq!(date(t("Okt 5, 2026")), Err(format!("`Okt 5, 2026` is not a date {HELP}")));
        // Two-digit years are ambiguous in a canonical file; a carrier profile opts in (`%m/%d/%y`).
        assert_eq!(date(t("10/05/26")), Err(format!("`10/05/26` is not a date {HELP}")));
        assert_eq!(date(Cell::Number(46300.5)), Err(format!("`46300.5` is not a date {HELP}")));
        assert_eq!(date(t("1899-12-31")), Err("`1899-12-31` is not a plausible date (year 1899)".into()));
        assert_eq!(optional_date(t(" ")), Ok(None));
    }

    #[test]
    fn dates_without_a_year_take_the_bill_cycle_s() {
        let jan15 = NaiveDate::from_ymd_opt(2024, 1, 15).unwrap();
        let ymd = |y, m, d| Ok(NaiveDate::from_ymd_opt(y, m, d).unwrap());
        // A cycle from Dec 16 to Jan 15: December belongs to the year before.
        assert_eq!(date_near(t("12/20"), jan15), ymd(2023, 12, 20));
        assert_eq!(date_near(t("01/05"), jan15), ymd(2024, 1, 5));
        assert_eq!(date_near(t("1/5"), jan15), ymd(2024, 1, 5));
        assert_eq!(date_near(t("Dec 16"), jan15), ymd(2023, 12, 16));
        assert_eq!(date_near(t(" Jan 15 "), jan15), ymd(2024, 1, 15));
        // Usage billed a cycle late still falls in the right year.
        assert_eq!(date_near(t("02/10"), jan15), ymd(2024, 2, 10));
        // A full date keeps its own year.
        assert_eq!(date_near(t("12/20/2022"), jan15), ymd(2022, 12, 20));
        let leap = NaiveDate::from_ymd_opt(2025, 3, 15).unwrap();
        assert_eq!(date_near(t("02/29"), leap), Err("`02/29` is not a date in the bill cycle closing 2025-03-15".into()));
        assert_eq!(
            date_near(t("13/05"), jan15),
            Err("`13/05` is not a date (expected YYYY-MM-DD, MM/DD/YYYY or Jan 15, 2024)".into())
        );
        assert_eq!(month_day("Dec 16"), Some((12, 16)));
        assert_eq!(month_day("Dec 16, 2023"), None);
    }

    #[test]
    fn ranges_split_at_a_spaced_dash_or_a_word() {
        assert_eq!(split_range("10/01/2026 - 10/31/2026"), Some(("10/01/2026", "10/31/2026")));
        assert_eq!(split_range("Dec 16 -Jan 15 "), Some(("Dec 16", "Jan 15")));
        assert_eq!(split_range("Dec 16- Jan 15"), Some(("Dec 16", "Jan 15")));
        assert_eq!(split_range("2026-10-01 to 2026-10-31"), Some(("2026-10-01", "2026-10-31")));
        assert_eq!(split_range("01/16/2024 – 02/15/2024"), Some(("01/16/2024", "02/15/2024")));
        assert_eq!(split_range("2026-10-01"), None);
        assert_eq!(split_range("01/16/2024"), None);
    }

    #[test]
    fn times_as_they_really_arrive() {
        let hm = |h, m, s| TimeOfDay::from_hms(h, m, s).unwrap();
        assert_eq!(time(t("14:05")), Ok(hm(14, 5, 0)));
        assert_eq!(time(t("14:05:33")), Ok(hm(14, 5, 33)));
        assert_eq!(time(t("2:05 PM")), Ok(hm(14, 5, 0)));
        assert_eq!(time(t("2:05pm")), Ok(hm(14, 5, 0)));
        assert_eq!(time(t("12:30 AM")), Ok(hm(0, 30, 0)));
        assert_eq!(time(t("12:30 PM")), Ok(hm(12, 30, 0)));
        assert_eq!(time(t("7:15A")), Ok(hm(7, 15, 0)));
        assert_eq!(time(t("12:05P")), Ok(hm(12, 5, 0)));
        assert_eq!(time(t("12:05A")), Ok(hm(0, 5, 0)));
        assert_eq!(time(t("7:15 a.m.")), Ok(hm(7, 15, 0)));
        assert_eq!(time(Cell::Number(0.5868055555555556)), Ok(hm(14, 5, 0)));
        let dt = NaiveDate::from_ymd_opt(1899, 12, 31).unwrap().and_hms_opt(14, 5, 33).unwrap();
        assert_eq!(time(Cell::DateTime(dt)), Ok(hm(14, 5, 33)));
        assert_eq!(time(t("25:00")), Err("`25:00` is not a time of day (expected HH:MM, HH:MM:SS or H:MM AM/PM)".into()));
        assert_eq!(time(t("13:05 PM")), Err("`13:05 PM` is not a time of day (expected HH:MM, HH:MM:SS or H:MM AM/PM)".into()));
        assert_eq!(time(t("2:5")), Err("`2:5` is not a time of day (expected HH:MM, HH:MM:SS or H:MM AM/PM)".into()));
        assert_eq!(time(t("13:15P")), Err("`13:15P` is not a time of day (expected HH:MM, HH:MM:SS or H:MM AM/PM)".into()));
        assert_eq!(time(t("7:15X")), Err("`7:15X` is not a time of day (expected HH:MM, HH:MM:SS or H:MM AM/PM)".into()));
    }

    #[test]
    fn lines_and_numbers() {
        assert_eq!(line(t("(860) 555-0101")).unwrap().as_str(), "8605550101");
        assert_eq!(line(Cell::Number(8605550101.0)).unwrap().as_str(), "8605550101");
        assert_eq!(line(t("")), Err("required value is empty".into()));
        assert_eq!(line(t("411")), Err("`411` is not a 10-digit North American phone number".into()));
        assert_eq!(optional_phone(t("411")).unwrap().unwrap().as_str(), "411");
        assert_eq!(optional_phone(t("")), Ok(None));
        assert_eq!(optional_phone(t("call me")), Err("`call me` is not a phone number".into()));
    }
}
