//! `inactive_line_billed` (action). A line billed while its assignment is suspended, lost,
//! stolen, returned or spare: the service should be suspended or cancelled (OPM: report lost or
//! stolen equipment immediately), or the inventory corrected.

use billrecon_model::{Rule, Severity};

use crate::ctx::{Ctx, Draft};
use crate::words::{money, total};

pub(crate) fn check(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    for (line, charges) in &ctx.billed {
        for a in ctx.book.in_period(line).filter(|a| a.status.is_inactive()) {
            let detail = format!(
                "Line billed {} while its assignment is {} (from {}): suspend or cancel the service, or correct the inventory.",
                money(total(charges)),
                a.status,
                a.start
            );
            let mut d = Draft::new(Rule::InactiveLineBilled, Severity::Action, Some(*line), detail);
            d.employee_id = a.employee_id.clone();
            d.account_code = a.account_code.clone();
            d.amount = total(charges);
            d.sources = std::iter::once(a.source.clone()).chain(charges.iter().map(|c| c.source.clone())).collect();
            out.push(d);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;
    use billrecon_model::{LineStatus, Rule};

    #[test]
    fn billed_while_lost_or_spare() {
        let m = M::new()
            .assign_with("8605550105", "E5", "SPED", "2025-09-01", None, LineStatus::Lost, "D", "BIZ500")
            .assign_with("8605550109", "", "FAC", "2025-01-01", None, LineStatus::Spare, "D", "")
            .assign_with("8605550110", "E1", "FAC", "2025-01-01", Some("2026-09-30"), LineStatus::Returned, "D", "")
            .assign("8605550110", "E2", "FAC", "2026-10-01", None)
            .charge("8605550105", "plan", "40.00")
            .charge("8605550105", "tax", "2.54")
            .charge("8605550109", "plan", "20.00")
            .charge("8605550110", "plan", "20.00")
            .build();
        assert_eq!(run(&m, Rule::InactiveLineBilled), vec![
            "action 8605550105 E5 SPED 42.54 0 | charges.csv:2; charges.csv:3; inventory.csv:2 | Line billed $42.54 while its assignment is lost (from 2025-09-01): suspend or cancel the service, or correct the inventory.",
            "action 8605550109 - FAC 20.00 0 | charges.csv:4; inventory.csv:3 | Line billed $20.00 while its assignment is spare (from 2025-01-01): suspend or cancel the service, or correct the inventory.",
        ]);
    }
}
