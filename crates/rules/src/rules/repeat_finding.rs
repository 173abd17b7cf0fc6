//! `repeat_finding`: a finding on a line whose same rule an earlier month found and that is still
//! open (not waived or resolved), one severity higher. A charge is settled by its notice, not left
//! open, so charges never repeat.

use std::collections::BTreeMap;

use billrecon_model::{OpenFinding, PhoneNumber, Rule, Severity};

use crate::ctx::{Draft, HistoryCtx};

pub(crate) fn check(h: &HistoryCtx<'_, '_>) -> Vec<Draft> {
    let label = &h.ctx.month.period.label;
    // The earliest open finding of each rule and line (earliest month, then id).
    let mut first: BTreeMap<(Rule, Option<PhoneNumber>), &OpenFinding> = BTreeMap::new();
    for o in h.history.open_findings.iter().filter(|o| &o.month != label) {
        let e = first.entry((o.rule, o.line)).or_insert(o);
        if (&o.month, &o.id) < (&e.month, &e.id) {
            *e = o;
        }
    }
    let mut out = Vec::new();
    for f in
        h.month_findings.iter().filter(|f| f.line.is_some() && f.severity != Severity::Charge && !Rule::HISTORY.contains(&f.rule))
    {
        let Some(earlier) = first.get(&(f.rule, f.line)) else { continue };
        let detail = format!(
            "The same {} as first found in {} ({}), still open (not waived or resolved): now {}, one step more urgent than {}.",
            f.rule.as_str(),
            earlier.month,
            earlier.id,
            f.severity.raised().as_str(),
            f.severity.as_str()
        );
        let mut d = Draft::new(Rule::RepeatFinding, f.severity.raised(), f.line, detail);
        d.amount = f.amount;
        d.employee_id = f.employee_id.clone();
        d.account_code = f.account_code.clone();
        d.sources = f.sources.clone();
        out.push(d);
    }
    out
}
