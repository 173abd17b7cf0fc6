//! `duplicate_charge` (review). Two or more charge items on one invoice identical in line,
//! category, description and amount: one finding per extra copy, naming the first. And a line
//! billed a plan on more than one invoice of the month (two accounts, or two carriers): one
//! finding per later invoice, naming the first plan charge.

use std::collections::BTreeMap;

use billrecon_model::{Rule, Severity};

use crate::ctx::{Ctx, Draft};
use crate::words::money;

pub(crate) fn check(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    for (i, inv) in ctx.month.invoices.iter().enumerate() {
        let mut groups: BTreeMap<_, Vec<&billrecon_model::Charge>> = BTreeMap::new();
        for c in &inv.charges {
            groups.entry((c.line, c.category, c.description.trim().to_string(), c.amount)).or_default().push(c);
        }
        for copies in groups.values_mut().filter(|v| v.len() > 1) {
            copies.sort_by(|a, b| a.source.cmp(&b.source));
            let first = copies[0];
            for extra in &copies[1..] {
                let detail = format!(
                    "Same {} charge \"{}\" of {} as {}: ask the carrier whether it was billed twice.",
                    extra.category,
                    extra.description,
                    money(extra.amount),
                    first.source
                );
                let mut d = Draft::new(Rule::DuplicateCharge, Severity::Review, extra.line, detail);
                d.amount = extra.amount;
                d.invoice = Some(i);
                if let Some((_, a)) = extra.line.and_then(|l| ctx.book.last_assigned(&l)) {
                    d.employee_id = a.employee_id.clone();
                    d.account_code = a.account_code.clone();
                }
                d.sources = vec![extra.source.clone(), first.source.clone()];
                out.push(d);
            }
        }
    }
    // A line's plan billed on two invoices: the plan items sorted by line and invoice.
    let mut plans: Vec<(billrecon_model::PhoneNumber, usize, &billrecon_model::Charge)> = ctx
        .month
        .invoices
        .iter()
        .enumerate()
        .flat_map(|(i, inv)| {
            inv.charges
                .iter()
                .filter(|c| c.category == billrecon_model::ChargeCategory::Plan)
                .filter_map(move |c| c.line.map(|l| (l, i, c)))
        })
        .collect();
    plans.sort_by_key(|(l, i, c)| (*l, *i, c.source.clone()));
    for same in plans.chunk_by(|a, b| a.0 == b.0) {
        let (line, i0, first) = same[0];
        let mut seen = i0;
        for &(_, i, c) in same.iter().filter(|(_, i, _)| *i != i0) {
            if i == seen {
                continue;
            }
            seen = i;
            let detail = format!(
                "Line billed a plan on invoice {} ({} \"{}\") and on invoice {} ({}): a line on two accounts is paid twice; ask the carrier which one to cancel.",
                ctx.month.invoices[i].summary.invoice_number,
                money(c.amount),
                c.description,
                ctx.month.invoices[i0].summary.invoice_number,
                first.source
            );
            let mut d = Draft::new(Rule::DuplicateCharge, Severity::Review, Some(line), detail);
            d.amount = c.amount;
            d.invoice = Some(i);
            if let Some((_, a)) = ctx.book.last_assigned(&line) {
                d.employee_id = a.employee_id.clone();
                d.account_code = a.account_code.clone();
            }
            d.sources = vec![c.source.clone(), first.source.clone()];
            out.push(d);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;
    use billrecon_model::Rule;

    #[test]
    fn one_finding_per_extra_copy() {
        let m = M::new()
            .assign("8605550110", "E10", "ARTS", "2025-07-01", None)
            .charge_desc("8605550110", "feature", "Visual voicemail", "5.00")
            .charge_desc("8605550110", "feature", "Visual voicemail", "5.00")
            .charge_desc("8605550110", "feature", "Visual voicemail", "5.00")
            .charge_desc("8605550110", "feature", "Visual voicemail", "6.00") // other amount
            .charge_desc("8605550111", "feature", "Visual voicemail", "5.00") // other line
            .charge_desc("", "fee", "Admin", "1.00")
            .charge_desc("", "fee", "Admin", "1.00")
            .invoice("INV-2")
            .charge_desc("8605550110", "feature", "Visual voicemail", "5.00") // other invoice
            .build();
        assert_eq!(run(&m, Rule::DuplicateCharge), vec![
            "review - - - 1.00 0 | charges.csv:7; charges.csv:8 | Same fee charge \"Admin\" of $1.00 as charges.csv:7: ask the carrier whether it was billed twice.",
            "review 8605550110 E10 ARTS 5.00 0 | charges.csv:2; charges.csv:3 | Same feature charge \"Visual voicemail\" of $5.00 as charges.csv:2: ask the carrier whether it was billed twice.",
            "review 8605550110 E10 ARTS 5.00 0 | charges.csv:2; charges.csv:4 | Same feature charge \"Visual voicemail\" of $5.00 as charges.csv:2: ask the carrier whether it was billed twice.",
        ]);
    }

    #[test]
    fn a_line_billed_a_plan_on_two_invoices() {
        let m = M::new()
            .assign("8605550110", "E10", "ARTS", "2025-07-01", None)
            .charge_desc("8605550110", "plan", "Business 500", "40.00")
            .charge_desc("8605550111", "plan", "Business 500", "40.00")
            .invoice("INV-2")
            .charge_desc("8605550110", "plan", "Business 500", "40.00")
            .charge_desc("8605550112", "plan", "Business 500", "40.00")
            .build();
        assert_eq!(
            run(&m, Rule::DuplicateCharge),
            vec!["review 8605550110 E10 ARTS 40.00 0 | charges.csv:2; charges.csv:4 | Line billed a plan on invoice INV-2 ($40.00 \"Business 500\") and on invoice INV-1 (charges.csv:2): a line on two accounts is paid twice; ask the carrier which one to cancel."]
        );
    }
}
