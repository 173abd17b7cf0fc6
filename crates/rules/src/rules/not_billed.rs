//! `not_billed` (info). A line active in the inventory during the period that no invoice bills:
//! billed on another account, cancelled without updating the inventory, or an invoice missing.

use billrecon_model::{LineStatus, Rule, Severity};

use crate::ctx::{Ctx, Draft};
use crate::words::who;

pub(crate) fn check(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    for line in ctx.book.lines() {
        if ctx.billed.contains_key(line) {
            continue;
        }
        let active: Vec<_> = ctx.book.in_period(line).filter(|a| a.status == LineStatus::Active).collect();
        let Some(last) = active.last() else { continue };
        let detail = format!(
            "Line {} is active in the inventory (assigned to {}) but no invoice of the month bills it: check for another account or a missing invoice, or update the inventory.",
            line.pretty(),
            who(last)
        );
        let mut d = Draft::new(Rule::NotBilled, Severity::Info, Some(*line), detail);
        d.employee_id = last.employee_id.clone();
        d.account_code = last.account_code.clone();
        d.sources = active.iter().map(|a| a.source.clone()).collect();
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;
    use billrecon_model::{LineStatus, Rule};

    #[test]
    fn active_lines_no_invoice_bills() {
        let m = M::new()
            .assign("9595550116", "E16", "SPED", "2026-10-05", None)
            .assign("9595550117", "E17", "SPED", "2026-11-05", None) // starts after the period
            .assign_with("9595550118", "E18", "SPED", "2026-01-05", None, LineStatus::Suspended, "D", "")
            .assign("9595550119", "E19", "SPED", "2026-01-05", None)
            .charge("9595550119", "plan", "40.00")
            .build();
        assert_eq!(run(&m, Rule::NotBilled), vec![
            "info 9595550116 E16 SPED 0 0 | inventory.csv:2 | Line 959-555-0116 is active in the inventory (assigned to Name E16 (E16)) but no invoice of the month bills it: check for another account or a missing invoice, or update the inventory.",
        ]);
    }
}
