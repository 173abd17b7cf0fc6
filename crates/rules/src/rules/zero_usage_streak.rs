//! `zero_usage_streak` (review): a line billed with no use this month and the `streak - 1`
//! months before it (three in a row by default); what cancelling it would save a month (the
//! average of those months' charges).

use billrecon_model::{round_cents, usd, Rule, Severity};
use rust_decimal::Decimal;

use crate::ctx::{Draft, HistoryCtx};

pub(crate) fn check(h: &HistoryCtx<'_, '_>) -> Vec<Draft> {
    let (past, streak, label) = (&h.history.months, h.streak, &h.ctx.month.period.label);
    let mut out = Vec::new();
    if streak == 0 || past.len() + 1 < streak {
        return out;
    }
    let first = past.len() + 1 - streak;
    for lm in h.current.iter().filter(|lm| lm.charges > Decimal::ZERO && !lm.used) {
        let idle: Vec<(&str, Decimal)> = (first..past.len())
            .filter_map(|i| {
                h.line_in(i, &lm.line)
                    .filter(|l| l.charges > Decimal::ZERO && !l.used)
                    .map(|l| (past[i].label.as_str(), l.charges))
            })
            .collect();
        if idle.len() != streak - 1 {
            continue;
        }
        let months: Vec<String> = idle.iter().map(|(m, _)| m.to_string()).chain([label.clone()]).collect();
        let total: Decimal = idle.iter().map(|(_, c)| *c).sum::<Decimal>() + lm.charges;
        let avg = round_cents(total / Decimal::from(streak as u64));
        let detail = format!(
            "No use for {streak} months in a row ({}), billed {} in all: cancelling the line saves about {} a month (the average of those months).",
            months.join(", "),
            usd(total),
            usd(avg)
        );
        let mut d = Draft::new(Rule::ZeroUsageStreak, Severity::Review, Some(lm.line), detail);
        d.amount = avg;
        d.employee_id = lm.employee_id.clone();
        d.account_code = lm.account_code.clone();
        d.sources = h.ctx.billed.get(&lm.line).into_iter().flatten().map(|c| c.source.clone()).collect();
        out.push(d);
    }
    out
}
