//! The bill period: a range of calendar days, both ends inclusive.

use chrono::{Datelike, NaiveDate};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Period {
    /// `YYYY-MM` as the manifest names the month.
    pub label: String,
    pub start: NaiveDate,
    /// Inclusive.
    pub end: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("`{0}` is not a month in the form YYYY-MM")]
    BadMonth(String),
    #[error("period_end {end} is before period_start {start}")]
    Reversed { start: NaiveDate, end: NaiveDate },
}

impl Period {
    /// The calendar month `YYYY-MM`.
    pub fn month(label: &str) -> Result<Period, PeriodError> {
        let bad = || PeriodError::BadMonth(label.to_string());
        let (y, m) = label.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let y: i32 = y.parse().map_err(|_| bad())?;
        let m: u32 = m.parse().map_err(|_| bad())?;
        let start = NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(bad)?;
        let next = if m == 12 { NaiveDate::from_ymd_opt(y + 1, 1, 1) } else { NaiveDate::from_ymd_opt(y, m + 1, 1) };
        let end = next.and_then(|n| n.pred_opt()).ok_or_else(bad)?;
        Ok(Period { label: label.to_string(), start, end })
    }

    /// An explicit period (e.g. a bill cycle 09-22 .. 10-21).
    pub fn new(label: &str, start: NaiveDate, end: NaiveDate) -> Result<Period, PeriodError> {
        if end < start {
            return Err(PeriodError::Reversed { start, end });
        }
        Ok(Period { label: label.to_string(), start, end })
    }

    /// Number of days, both ends included.
    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days() + 1
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.end
    }

    /// Every day of the period in order.
    pub fn iter_days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.start.iter_days().take_while(move |d| *d <= self.end)
    }

    pub fn year(&self) -> i32 {
        self.start.year()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months() {
        let p = Period::month("2026-10").unwrap();
        assert_eq!(p.start, NaiveDate::from_ymd_opt(2026, 10, 1).unwrap());
        assert_eq!(p.end, NaiveDate::from_ymd_opt(2026, 10, 31).unwrap());
        assert_eq!(p.days(), 31);
        assert_eq!(Period::month("2026-12").unwrap().days(), 31);
        assert_eq!(Period::month("2028-02").unwrap().days(), 29);
        assert_eq!(Period::month("2026-13").unwrap_err().to_string(), "`2026-13` is not a month in the form YYYY-MM");
        assert!(Period::month("26-10").is_err());
    }

    #[test]
    fn explicit_cycle() {
        let s = NaiveDate::from_ymd_opt(2026, 9, 22).unwrap();
        let e = NaiveDate::from_ymd_opt(2026, 10, 21).unwrap();
        assert_eq!(Period::new("2026-10", s, e).unwrap().days(), 30);
        assert_eq!(
            Period::new("2026-10", e, s).unwrap_err().to_string(),
            "period_end 2026-09-22 is before period_start 2026-10-21"
        );
    }
}
