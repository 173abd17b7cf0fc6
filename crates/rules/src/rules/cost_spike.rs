//! `cost_spike` (review): a line's charges above 150% of its trailing three-month average (the
//! months the ledger holds it in, up to three) and at least $20.00 more.

use billrecon_model::{round_cents, usd, Rule, Severity};
use rust_decimal::Decimal;

use crate::ctx::{Draft, HistoryCtx};

pub(crate) fn check(h: &HistoryCtx<'_, '_>) -> Vec<Draft> {
    let past = &h.history.months;
    let mut out = Vec::new();
    for lm in h.current {
        let trailing: Vec<(&str, Decimal)> = (0..past.len())
            .rev()
            .take(3)
            .filter_map(|i| h.line_in(i, &lm.line).map(|l| (past[i].label.as_str(), l.charges)))
            .collect();
        if trailing.is_empty() {
            continue;
        }
        let avg = round_cents(trailing.iter().map(|(_, c)| *c).sum::<Decimal>() / Decimal::from(trailing.len() as u64));
        let threshold = round_cents(avg * Decimal::new(15, 1));
        let more = lm.charges - avg;
        if lm.charges > threshold && more >= Decimal::from(20) {
            let months: Vec<String> = trailing.iter().rev().map(|(m, c)| format!("{m} {}", usd(*c))).collect();
            let detail = format!(
                "Charges of {} this month against an average of {} over {}: above 150% of it ({}) and {} more (at least $20.00).",
                usd(lm.charges),
                usd(avg),
                months.join(", "),
                usd(threshold),
                usd(more)
            );
            let mut d = Draft::new(Rule::CostSpike, Severity::Review, Some(lm.line), detail);
            d.amount = more;
            d.employee_id = lm.employee_id.clone();
            d.account_code = lm.account_code.clone();
            d.sources = h.ctx.billed.get(&lm.line).into_iter().flatten().map(|c| c.source.clone()).collect();
            out.push(d);
        }
    }
    out
}
