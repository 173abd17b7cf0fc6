//! `invoice_mismatch` (action). The carrier's invoice must tie out: its charge items add up to its
//! current charges, and previous balance + payments + adjustments + current charges = total due.
//! Where the carrier also gives a per-line summary, each line's items add up to its total there,
//! and every line with items is in it. The amount is the difference; posting always uses the
//! items, the difference is disputed.

use std::collections::{BTreeMap, BTreeSet};

use billrecon_model::{Charge, PhoneNumber, Rule, Severity};
use rust_decimal::Decimal;

use crate::ctx::{Ctx, Draft};
use crate::words::money;

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
        if inv.lines.is_empty() {
            continue;
        }
        // Each line of the carrier's line summary against the items it bills (None = account).
        let mut items_of: BTreeMap<Option<PhoneNumber>, Vec<&Charge>> = BTreeMap::new();
        for c in &inv.charges {
            items_of.entry(c.line).or_default().push(c);
        }
        for l in &inv.lines {
            let items = items_of.get(&l.line).map(Vec::as_slice).unwrap_or_default();
            let sum = items.iter().try_fold(Decimal::ZERO, |acc, c| acc.checked_add(c.amount));
            let what = l.line.map_or("the account's own charges".to_string(), |x| format!("line {}", x.pretty()));
            let Some(sum) = sum else { continue };
            if sum != l.total {
                let sources = std::iter::once(l.source.clone()).chain(items.iter().map(|c| c.source.clone())).collect();
                push(
                    sum - l.total,
                    format!(
                        "{name}: {what} has charge items adding up to {} but the carrier's line summary says {}, a difference of {}: a charge item is missing or altered.",
                        money(sum),
                        money(l.total),
                        money(sum - l.total)
                    ),
                    sources,
                );
            }
        }
        let listed: BTreeSet<Option<PhoneNumber>> = inv.lines.iter().map(|l| l.line).collect();
        for (line, items) in items_of.iter().filter(|(l, _)| !listed.contains(*l)) {
            let sum: Decimal = items.iter().map(|c| c.amount).sum();
            let what = line.map_or("the account's own charges".to_string(), |x| format!("line {}", x.pretty()));
            push(
                sum,
                format!("{name}: {what} has charge items of {} but is not in the carrier's line summary.", money(sum)),
                items.iter().map(|c| c.source.clone()).collect(),
            );
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

    /// Verizon's Account & Wireless Summary: every line's items against its Total Charges.
    #[test]
    fn each_line_ties_out_to_the_carrier_s_line_summary() {
        let m = M::new()
            .charge("3142031016", "plan", "35.00")
            .charge("3142031016", "tax", "2.14")
            .charge("3142031017", "plan", "45.00")
            .charge("3142031017", "credit", "-4.50")
            .charge("3142031018", "plan", "45.00")
            .charge("", "fee", "4.00")
            .line_total("", "4.00")
            .line_total("3142031016", "37.14")
            .line_total("3142031017", "45.00")
            .build();
        assert_eq!(run(&m, Rule::InvoiceMismatch), vec![
            "action - - - -4.50 0 | charges.csv:4; charges.csv:5; lines.csv:4 | Invoice INV-1 (Carrier): line 314-203-1017 has charge items adding up to $40.50 but the carrier's line summary says $45.00, a difference of -$4.50: a charge item is missing or altered.",
            "action - - - 45.00 0 | charges.csv:6 | Invoice INV-1 (Carrier): line 314-203-1018 has charge items of $45.00 but is not in the carrier's line summary.",
        ]);
    }
}
