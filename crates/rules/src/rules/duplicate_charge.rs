//! `duplicate_charge` (review). Two or more charge items on one invoice identical in line,
//! category, description and amount: one finding per extra copy, naming the first.

use std::collections::BTreeMap;

use billrecon_model::{Rule, Severity};

use super::money;
use crate::{Ctx, Draft};

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
}
