//! Money arithmetic: rounding to cents and exact splits.
//!
//! Invariant: every split returns parts that add up exactly to the whole.

use rust_decimal::{Decimal, RoundingStrategy};

/// Rounds to the cent, half away from zero (0.005 -> 0.01, -0.005 -> -0.01).
///
/// `Decimal::round_dp` alone rounds half to even; this names the strategy.
pub fn round_cents(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// `$1,234.56`, `-$12.00`: for sentences and documents (not for data files).
pub fn usd(d: Decimal) -> String {
    let c = round_cents(d);
    let neg = c.is_sign_negative() && !c.is_zero();
    let s = format!("{:.2}", c.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{}${grouped}.{frac}", if neg { "-" } else { "" })
}

/// `1327.03`: two decimals, no separators, for data files.
pub fn plain(d: Decimal) -> String {
    format!("{:.2}", round_cents(d))
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    #[error("cannot split {0}: it is not a whole number of cents")]
    NotCents(Decimal),
    #[error("cannot split {0}: no part has a positive weight")]
    NoWeight(Decimal),
    #[error("cannot split {0}: a weight is negative")]
    NegativeWeight(Decimal),
    #[error("cannot split {0}: amount out of range")]
    Overflow(Decimal),
}

/// Splits `total` (a whole number of cents) across `weights` by largest remainder on cents.
///
/// Each part is the floor of its exact share of `|total|` in cents; the cents left over go one
/// each to the largest fractional remainders, ties to the key that sorts first. The sign of
/// `total` is put back on every part. The parts always sum exactly to `total`.
///
/// Weights must be non-negative and at least one must be positive. A zero weight gets zero.
/// The result has one entry per input weight, in the input order.
pub fn split_largest_remainder<K: Ord + Clone>(
    total: Decimal,
    weights: &[(K, Decimal)],
) -> Result<Vec<(K, Decimal)>, SplitError> {
    if total.round_dp(2) != total {
        return Err(SplitError::NotCents(total));
    }
    if weights.iter().any(|(_, w)| w.is_sign_negative() && !w.is_zero()) {
        return Err(SplitError::NegativeWeight(total));
    }
    let weight_sum =
        weights.iter().try_fold(Decimal::ZERO, |acc, (_, w)| acc.checked_add(*w)).ok_or(SplitError::Overflow(total))?;
    if weight_sum <= Decimal::ZERO {
        return Err(SplitError::NoWeight(total));
    }
    let negative = total.is_sign_negative();
    let cents = total.abs().checked_mul(Decimal::ONE_HUNDRED).ok_or(SplitError::Overflow(total))?;
    // (index, floor cents, remainder as an exact fraction numerator over weight_sum)
    let mut parts: Vec<(usize, Decimal, Decimal)> = Vec::with_capacity(weights.len());
    let mut assigned = Decimal::ZERO;
    for (i, (_, w)) in weights.iter().enumerate() {
        // exact share = cents * w / weight_sum; floor = (cents*w) div weight_sum.
        let numer = cents.checked_mul(*w).ok_or(SplitError::Overflow(total))?;
        let mut floor = (numer / weight_sum).floor();
        // remainder numerator = numer - floor*weight_sum; the quotient may have been rounded at
        // 28 digits, so correct the floor until 0 <= rem < weight_sum holds exactly.
        let mut rem = numer - floor * weight_sum;
        while rem.is_sign_negative() && !rem.is_zero() {
            floor -= Decimal::ONE;
            rem += weight_sum;
        }
        while rem >= weight_sum {
            floor += Decimal::ONE;
            rem -= weight_sum;
        }
        assigned += floor;
        parts.push((i, floor, rem));
    }
    let mut left = cents - assigned;
    debug_assert!(left >= Decimal::ZERO && left < Decimal::from(weights.len().max(1)));
    // Order by remainder descending, then by key ascending, then by input position.
    let mut order: Vec<usize> = (0..parts.len()).filter(|&i| !weights[i].1.is_zero()).collect();
    order.sort_by(|&a, &b| parts[b].2.cmp(&parts[a].2).then_with(|| weights[a].0.cmp(&weights[b].0)).then_with(|| a.cmp(&b)));
    let mut k = 0;
    while left > Decimal::ZERO && !order.is_empty() {
        parts[order[k % order.len()]].1 += Decimal::ONE;
        left -= Decimal::ONE;
        k += 1;
    }
    let out: Vec<(K, Decimal)> = parts
        .into_iter()
        .map(|(i, c, _)| {
            let mut v = c / Decimal::ONE_HUNDRED;
            if negative {
                v = -v;
            }
            v.rescale(2); // exact: c is a whole number of cents
            (weights[i].0.clone(), v)
        })
        .collect();
    let sum: Decimal = out.iter().map(|(_, v)| *v).sum();
    assert_eq!(sum, total, "largest-remainder split must add up to the whole");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn money_text() {
        assert_eq!(usd(d("1234.5")), "$1,234.50");
        assert_eq!(usd(d("-12")), "-$12.00");
        assert_eq!(usd(d("0")), "$0.00");
        assert_eq!(usd(d("1234567.891")), "$1,234,567.89");
        assert_eq!(plain(d("1327.03")), "1327.03");
        assert_eq!(plain(d("-0.5")), "-0.50");
    }

    #[test]
    fn round_cents_is_half_away_from_zero() {
        assert_eq!(round_cents(d("0.005")), d("0.01"));
        assert_eq!(round_cents(d("0.015")), d("0.02"));
        assert_eq!(round_cents(d("0.025")), d("0.03"));
        assert_eq!(round_cents(d("-0.005")), d("-0.01"));
        assert_eq!(round_cents(d("8.9833")), d("8.98"));
    }

    #[test]
    fn worked_example_plan_split_by_days() {
        // 55.00 over ARTS 10 days, TRANS 21 days: 17.74 / 37.26
        let parts = split_largest_remainder(d("55.00"), &[("ARTS", d("10")), ("TRANS", d("21"))]).unwrap();
        assert_eq!(parts, vec![("ARTS", d("17.74")), ("TRANS", d("37.26"))]);
        // 3.49: 1.13 / 2.36
        let parts = split_largest_remainder(d("3.49"), &[("ARTS", d("10")), ("TRANS", d("21"))]).unwrap();
        assert_eq!(parts, vec![("ARTS", d("1.13")), ("TRANS", d("2.36"))]);
        // 10.00 by postings 90.40 / 65.43 / 14.19 -> 5.32 / 3.85 / 0.83
        let parts =
            split_largest_remainder(d("10.00"), &[("ARTS", d("90.40")), ("SUSP", d("14.19")), ("TRANS", d("65.43"))]).unwrap();
        assert_eq!(parts, vec![("ARTS", d("5.32")), ("SUSP", d("0.83")), ("TRANS", d("3.85"))]);
    }

    #[test]
    fn ties_go_to_the_key_that_sorts_first() {
        let parts = split_largest_remainder(d("0.01"), &[("B", d("1")), ("A", d("1"))]).unwrap();
        assert_eq!(parts, vec![("B", d("0.00")), ("A", d("0.01"))]);
    }

    #[test]
    fn negative_totals_split_on_the_absolute_value() {
        let parts = split_largest_remainder(d("-0.05"), &[("A", d("1")), ("B", d("1"))]).unwrap();
        assert_eq!(parts, vec![("A", d("-0.03")), ("B", d("-0.02"))]);
    }

    #[test]
    fn zero_weights_get_nothing_and_errors_are_named() {
        let parts = split_largest_remainder(d("1.00"), &[("A", d("0")), ("B", d("3"))]).unwrap();
        assert_eq!(parts, vec![("A", d("0.00")), ("B", d("1.00"))]);
        assert_eq!(parts[1].1.to_string(), "1.00");
        assert_eq!(
            split_largest_remainder(d("1.00"), &[("A", d("0"))]).unwrap_err().to_string(),
            "cannot split 1.00: no part has a positive weight"
        );
        assert_eq!(
            split_largest_remainder(d("1.005"), &[("A", d("1"))]).unwrap_err().to_string(),
            "cannot split 1.005: it is not a whole number of cents"
        );
    }

    proptest! {
        #[test]
        fn parts_always_add_up(total in -10_000_000i64..10_000_000, ws in proptest::collection::vec(0u32..10_000, 1..12)) {
            prop_assume!(ws.iter().any(|w| *w > 0));
            let total = Decimal::new(total, 2);
            let weights: Vec<(usize, Decimal)> = ws.iter().enumerate().map(|(i, w)| (i, Decimal::from(*w))).collect();
            let parts = split_largest_remainder(total, &weights).unwrap();
            let sum: Decimal = parts.iter().map(|(_, v)| *v).sum();
            prop_assert_eq!(sum, total);
            for ((_, w), (_, p)) in weights.iter().zip(&parts) {
                // each part is within one cent of its exact share, same sign as the total
                let exact = total * *w / weights.iter().map(|(_, w)| *w).sum::<Decimal>();
                prop_assert!((*p - exact).abs() < Decimal::new(1, 2));
                if w.is_zero() { prop_assert!(p.is_zero()); }
                prop_assert!(p.is_zero() || p.is_sign_negative() == total.is_sign_negative());
            }
        }
    }
}
