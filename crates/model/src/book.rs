//! The line book: which assignment covers a line on a day, and how a line's period divides among
//! account codes. Rules and chargeback both read assignments through this one index, so a line's
//! proration is computed one way only.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::money::{split_largest_remainder, SplitError};

use crate::period::Period;
use crate::phone::PhoneNumber;
use crate::records::Assignment;

/// Assignments indexed by line, each line's rows in start-date order.
#[derive(Debug, Clone)]
pub struct LineBook<'a> {
    period: &'a Period,
    by_line: BTreeMap<PhoneNumber, Vec<&'a Assignment>>,
}

/// How a line's period divides: days per account code (merged), and days no assignment covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaySplit {
    /// Account codes in sorted order, with the days each covers (> 0).
    pub accounts: Vec<(String, i64)>,
    pub unassigned_days: i64,
    /// Unassigned stretches, inclusive.
    pub unassigned_ranges: Vec<(NaiveDate, NaiveDate)>,
}

impl<'a> LineBook<'a> {
    /// Indexes `inventory` (overlapping rows were already rejected by the parser). A calling
    /// card with no holder is an unassigned instrument: it is not in the book, so its charges
    /// are unassigned as any line's that no one holds.
    pub fn new(period: &'a Period, inventory: &'a [Assignment]) -> LineBook<'a> {
        let mut by_line: BTreeMap<PhoneNumber, Vec<&Assignment>> = BTreeMap::new();
        for a in inventory.iter().filter(|a| !a.is_unheld_card()) {
            by_line.entry(a.line).or_default().push(a);
        }
        for v in by_line.values_mut() {
            v.sort_by_key(|a| (a.start, a.end));
        }
        LineBook { period, by_line }
    }

    pub fn period(&self) -> &Period {
        self.period
    }

    /// Every line in the inventory, sorted.
    pub fn lines(&self) -> impl Iterator<Item = &PhoneNumber> {
        self.by_line.keys()
    }

    /// All assignments of a line, in start order.
    pub fn assignments(&self, line: &PhoneNumber) -> &[&'a Assignment] {
        self.by_line.get(line).map_or(&[], |v| v.as_slice())
    }

    /// Assignments of a line that cover at least one day of the period.
    pub fn in_period(&self, line: &PhoneNumber) -> impl Iterator<Item = &'a Assignment> + '_ {
        let p = self.period;
        self.assignments(line).iter().copied().filter(move |a| a.start <= p.end && a.end.is_none_or(|e| e >= p.start))
    }

    /// The assignment covering `line` on `day`: `start <= day <= end`, whatever its status.
    pub fn on(&self, line: &PhoneNumber, day: NaiveDate) -> Option<&'a Assignment> {
        self.assignments(line).iter().copied().find(|a| a.covers(day))
    }

    /// Days of the period covered by `a`.
    pub fn days_covered(&self, a: &Assignment) -> i64 {
        let from = a.start.max(self.period.start);
        let to = a.end.unwrap_or(self.period.end).min(self.period.end);
        if to < from {
            0
        } else {
            (to - from).num_days() + 1
        }
    }

    /// The last day of the period on which some assignment covers the line, with that assignment.
    pub fn last_assigned(&self, line: &PhoneNumber) -> Option<(NaiveDate, &'a Assignment)> {
        self.in_period(line).map(|a| (a.end.unwrap_or(self.period.end).min(self.period.end), a)).max_by_key(|(d, _)| *d)
    }

    /// How the period divides among account codes for `line`.
    pub fn day_split(&self, line: &PhoneNumber) -> DaySplit {
        let mut accounts: BTreeMap<String, i64> = BTreeMap::new();
        let mut covered: Vec<(NaiveDate, NaiveDate)> = Vec::new();
        for a in self.in_period(line) {
            let days = self.days_covered(a);
            if days > 0 {
                *accounts.entry(a.account_code.clone()).or_default() += days;
                covered.push((a.start.max(self.period.start), a.end.unwrap_or(self.period.end).min(self.period.end)));
            }
        }
        covered.sort();
        let mut gaps = Vec::new();
        let mut next = self.period.start;
        for (from, to) in covered {
            if from > next {
                gaps.push((next, from.pred_opt().unwrap_or(from)));
            }
            if let Some(after) = to.succ_opt() {
                next = next.max(after);
            }
        }
        if next <= self.period.end {
            gaps.push((next, self.period.end));
        }
        let unassigned_days = gaps.iter().map(|(a, b)| (*b - *a).num_days() + 1).sum();
        DaySplit { accounts: accounts.into_iter().collect(), unassigned_days, unassigned_ranges: gaps }
    }
}

impl DaySplit {
    /// Splits one line charge across the split's account codes by days, the unassigned days to
    /// `suspense` (largest remainder on cents). Parts are in account order, merged by code.
    pub fn prorate(&self, amount: Decimal, suspense: &str) -> Result<Vec<(String, Decimal)>, SplitError> {
        let mut weights: BTreeMap<String, Decimal> = BTreeMap::new();
        for (acct, days) in &self.accounts {
            *weights.entry(acct.clone()).or_default() += Decimal::from(*days);
        }
        if self.unassigned_days > 0 {
            *weights.entry(suspense.to_string()).or_default() += Decimal::from(self.unassigned_days);
        }
        let weights: Vec<(String, Decimal)> = weights.into_iter().collect();
        split_largest_remainder(amount, &weights)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::LineStatus;
    use crate::source::SourceRef;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn a(line: &str, acct: &str, start: NaiveDate, end: Option<NaiveDate>) -> Assignment {
        Assignment {
            line: PhoneNumber::parse(line).unwrap(),
            employee_id: "E".into(),
            employee_name: String::new(),
            program: String::new(),
            account_code: acct.into(),
            plan: String::new(),
            status: LineStatus::Active,
            start,
            end,
            authorized_by: String::new(),
            coverage: crate::Coverage::Dated,
            kind: crate::InstrumentKind::Wireless,
            source: SourceRef::new("inventory.csv".into(), None, 2),
        }
    }

    #[test]
    fn worked_example_lines() {
        let p = Period::month("2026-10").unwrap();
        let inv = vec![
            a("8605550101", "ARTS", NaiveDate::from_ymd_opt(2025, 7, 1).unwrap(), None),
            a("8605550102", "ARTS", NaiveDate::from_ymd_opt(2025, 7, 1).unwrap(), Some(day(10, 10))),
            a("8605550102", "TRANS", day(10, 11), None),
            a("8605550103", "TRANS", NaiveDate::from_ymd_opt(2025, 7, 1).unwrap(), Some(day(10, 20))),
        ];
        let book = LineBook::new(&p, &inv);
        let l = |s| PhoneNumber::parse(s).unwrap();
        assert_eq!(book.day_split(&l("8605550101")).accounts, vec![("ARTS".to_string(), 31)]);
        let s2 = book.day_split(&l("8605550102"));
        assert_eq!((s2.accounts, s2.unassigned_days), (vec![("ARTS".to_string(), 10), ("TRANS".to_string(), 21)], 0));
        let s3 = book.day_split(&l("8605550103"));
        assert_eq!(
            (s3.accounts, s3.unassigned_days, s3.unassigned_ranges),
            (vec![("TRANS".to_string(), 20)], 11, vec![(day(10, 21), day(10, 31))])
        );
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(
            s3_prorate(&book, &l("8605550103")),
            vec![("SUSP".to_string(), d("14.19")), ("TRANS".to_string(), d("25.81"))]
        );
        let none = book.day_split(&l("8605559999"));
        assert_eq!((none.accounts.len(), none.unassigned_days), (0, 31));
        assert_eq!(book.on(&l("8605550102"), day(10, 10)).unwrap().account_code, "ARTS");
        assert_eq!(book.on(&l("8605550102"), day(10, 11)).unwrap().account_code, "TRANS");
        assert!(book.on(&l("8605550103"), day(10, 21)).is_none());
        assert_eq!(book.last_assigned(&l("8605550103")).unwrap().0, day(10, 20));
        assert_eq!(book.last_assigned(&l("8605550102")).unwrap().1.account_code, "TRANS");
    }

    fn s3_prorate(book: &LineBook<'_>, line: &PhoneNumber) -> Vec<(String, Decimal)> {
        book.day_split(line).prorate(Decimal::new(4000, 2), "SUSP").unwrap()
    }

    #[test]
    fn gaps_in_the_middle_and_same_account_merges() {
        let p = Period::month("2026-10").unwrap();
        let inv =
            vec![a("8605550101", "ARTS", day(10, 1), Some(day(10, 5))), a("8605550101", "ARTS", day(10, 11), Some(day(10, 31)))];
        let book = LineBook::new(&p, &inv);
        let s = book.day_split(&PhoneNumber::parse("8605550101").unwrap());
        assert_eq!(
            (s.accounts, s.unassigned_days, s.unassigned_ranges),
            (vec![("ARTS".to_string(), 26)], 5, vec![(day(10, 6), day(10, 10))])
        );
    }
}
