//! How findings word people, calls and money.

use billrecon_model::{usd, Assignment, Call};
use rust_decimal::Decimal;

/// "Maria Lopez (E1001)", or the id alone, or "a spare line" when nobody holds it.
pub(crate) fn who(a: &Assignment) -> String {
    match (a.employee_name.is_empty(), a.employee_id.is_empty()) {
        (_, true) if a.is_shared() => format!("no one (the program shares {})", a.instrument()),
        (false, true) => format!("{} (no employee id)", a.employee_name),
        (true, true) => "nobody (spare)".to_string(),
        (true, false) => a.employee_id.clone(),
        (false, false) => format!("{} ({})", a.employee_name, a.employee_id),
    }
}

/// "2026-10-14 at 10:31:00" (or the date alone).
pub(crate) fn when(c: &Call) -> String {
    match c.time {
        Some(t) => format!("{} at {}", c.date, t),
        None => c.date.to_string(),
    }
}

/// Sum of charge amounts.
pub(crate) fn total<'a>(items: impl IntoIterator<Item = &'a &'a billrecon_model::Charge>) -> Decimal {
    items.into_iter().map(|c| c.amount).sum()
}

pub(crate) fn money(d: Decimal) -> String {
    usd(d)
}
