//! `credit_not_received` (action): a disputed amount with no credit of that amount, on the line
//! or the account, on the invoices since the dispute's month (two months: the one after it and
//! this one); follow up with the carrier.

use billrecon_model::{usd, PastMonth, Rule, Severity};

use crate::ctx::{Draft, HistoryCtx};

pub(crate) fn check(h: &HistoryCtx<'_, '_>) -> Vec<Draft> {
    let (past, label) = (&h.history.months, &h.ctx.month.period.label);
    let mut out = Vec::new();
    for dsp in &h.history.disputes {
        let after: Vec<&PastMonth> = past.iter().filter(|m| m.label > dsp.month).collect();
        let months_since = after.len() + 1; // the earlier months since, and this one
        let wanted = -dsp.amount;
        let mut found = after.iter().any(|m| {
            m.lines.iter().filter(|l| dsp.line.is_none_or(|x| x == l.line)).flat_map(|l| l.credits.iter()).any(|c| *c == wanted)
                || m.account_credits.contains(&wanted)
        });
        found |= h
            .current
            .iter()
            .filter(|l| dsp.line.is_none_or(|x| x == l.line))
            .flat_map(|l| l.credits.iter())
            .any(|c| *c == wanted)
            || h.credits_now.contains(&wanted);
        if found || months_since < 2 {
            continue;
        }
        let since: Vec<String> = after.iter().map(|m| m.label.clone()).chain([label.clone()]).collect();
        let detail = format!(
            "Disputed {} (case {}, finding {} of {}): no credit of that amount on the {} invoices since ({}); follow up with the carrier.",
            usd(dsp.amount),
            if dsp.case.is_empty() { "with no reference" } else { dsp.case.as_str() },
            dsp.finding_id,
            dsp.month,
            since.len(),
            since.join(", ")
        );
        let mut d = Draft::new(Rule::CreditNotReceived, Severity::Action, dsp.line, detail);
        d.amount = dsp.amount;
        if let Some((_, a)) = dsp.line.and_then(|l| h.ctx.book.last_assigned(&l)) {
            d.employee_id = a.employee_id.clone();
            d.account_code = a.account_code.clone();
        }
        out.push(d);
    }
    out
}
