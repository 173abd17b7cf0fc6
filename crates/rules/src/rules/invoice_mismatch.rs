//! `invoice_mismatch` (action). The carrier's invoice must tie out: its charge items add up to its
//! current charges, and previous balance + payments + adjustments + current charges = total due.
//! The amount is the difference; posting always uses the items, the difference is disputed.

use billrecon_model::{Rule, Severity};
use rust_decimal::Decimal;

use super::money;
use crate::{Ctx, Draft};

pub(crate) fn check(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    for (i, inv) in ctx.month.invoices.iter().enumerate() {
        let s = &inv.summary;
        let name = format!("Invoice {} ({})", s.invoice_number, s.carrier);
        let items = inv.charges.iter().try_fold(Decimal::ZERO, |acc, c| acc.checked_add(c.amount));
        let mut push = |amount: Decimal, detail: String, sources: Vec<billrecon_model::SourceRef>| {
            let mut d = Draft::new(Rule::InvoiceMismatch, Severity::Action, None, detail);
            d.amount = amount;
            d.invoice = Some(i);
            d.sources = sources;
            out.push(d);
        };
        // The item rows start at the earliest one (whatever order they were read in).
        let first_item = inv.charges.iter().map(|c| &c.source).min().cloned();
        match items {
            None => push(Decimal::ZERO, format!("{name}: its charge items are too large to add up."), vec![s.source.clone()]),
            Some(items) if items != s.current_charges => push(
                items - s.current_charges,
                format!(
                    "{name}: the charge items add up to {} but the current charges are {}, a difference of {}: postings use the items; dispute the difference with the carrier.",
                    money(items),
                    money(s.current_charges),
                    money(items - s.current_charges)
                ),
                std::iter::once(s.source.clone()).chain(first_item).collect(),
            ),
            Some(_) => {}
        }
        let expected = s
            .previous_balance
            .checked_add(s.payments)
            .and_then(|x| x.checked_add(s.adjustments))
            .and_then(|x| x.checked_add(s.current_charges));
        match expected {
            Some(e) if e != s.total_due => push(
                s.total_due - e,
                format!(
                    "{name}: previous balance {} + payments {} + adjustments {} + current charges {} = {}, but the total due is {}, a difference of {}.",
                    money(s.previous_balance),
                    money(s.payments),
                    money(s.adjustments),
                    money(s.current_charges),
                    money(e),
                    money(s.total_due),
                    money(s.total_due - e)
                ),
                vec![s.source.clone()],
            ),
            None => push(Decimal::ZERO, format!("{name}: its summary amounts are too large to add up."), vec![s.source.clone()]),
            Some(_) => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;
    use billrecon_model::Rule;

    #[test]
    fn items_and_balance_must_tie_out() {
        let m = M::new()
            .charge("8605550101", "plan", "40.00")
            .charge("", "fee", "10.00")
            .summary("100.00", "-100.00", "45.00", "50.00")
            .build();
        assert_eq!(run(&m, Rule::InvoiceMismatch), vec![
            "action - - - 5.00 0 | charges.csv:2; summary.csv:11 | Invoice INV-1 (Carrier): the charge items add up to $50.00 but the current charges are $45.00, a difference of $5.00: postings use the items; dispute the difference with the carrier.",
            "action - - - 5.00 0 | summary.csv:11 | Invoice INV-1 (Carrier): previous balance $100.00 + payments -$100.00 + adjustments $0.00 + current charges $45.00 = $45.00, but the total due is $50.00, a difference of $5.00.",
        ]);
        let ok = M::new().charge("8605550101", "plan", "40.00").summary("100.00", "-100.00", "40.00", "40.00").build();
        assert!(run(&ok, Rule::InvoiceMismatch).is_empty());
    }
}
