//! `zero_usage` (review). A line with charges and no usage row in the period: a candidate to
//! suspend or cancel. Where the carrier's per-line summary reports usage the call detail does
//! not carry (Verizon's call detail has no data sessions), the line is not idle.

use billrecon_model::{Rule, Severity};

use crate::ctx::{Ctx, Draft};
use crate::words::{money, total};

pub(crate) fn check(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    for (line, charges) in &ctx.billed {
        if ctx.facts.line(line).is_some_and(|u| u.rows > 0) {
            continue;
        }
        let summaries = ctx.line_summaries.get(line).map(Vec::as_slice).unwrap_or_default();
        if summaries.iter().any(|s| s.shows_usage()) {
            continue;
        }
        let also = if summaries.is_empty() { "" } else { " (the carrier's line summary shows none either)" };
        let detail =
            format!("Line billed {} with no usage in the period{also}: a candidate to suspend or cancel.", money(total(charges)));
        let mut d = Draft::new(Rule::ZeroUsage, Severity::Review, Some(*line), detail);
        if let Some((_, a)) = ctx.book.last_assigned(line) {
            d.employee_id = a.employee_id.clone();
            d.account_code = a.account_code.clone();
        }
        d.amount = total(charges);
        d.sources = charges.iter().map(|c| c.source.clone()).chain(summaries.iter().map(|s| s.source.clone())).collect();
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;
    use billrecon_model::Rule;

    #[test]
    fn no_usage_in_the_period() {
        let m = M::new()
            .assign("8605550106", "E6", "FAC", "2025-03-01", None)
            .assign("8605550107", "E7", "FAC", "2025-03-01", None)
            .assign("8605550108", "E8", "FAC", "2025-03-01", None)
            .charge("8605550106", "plan", "40.00")
            .charge("8605550107", "plan", "40.00")
            .charge("8605550108", "plan", "40.00")
            .usage("8605550107", "2026-10-31", "", "", "data", "1", "", "")
            .usage("8605550108", "2026-09-30", "10:00", "2035550147", "voice", "1", "", "") // before the period
            .build();
        assert_eq!(run(&m, Rule::ZeroUsage), vec![
            "review 8605550106 E6 FAC 40.00 0 | charges.csv:2 | Line billed $40.00 with no usage in the period: a candidate to suspend or cancel.",
            "review 8605550108 E8 FAC 40.00 0 | charges.csv:4 | Line billed $40.00 with no usage in the period: a candidate to suspend or cancel.",
        ]);
    }

    /// Verizon's call detail holds calls only: a data device's use shows in the line summary.
    #[test]
    fn the_carrier_s_line_summary_counts_as_usage() {
        let m = M::new()
            .assign("8605550106", "E6", "FAC", "2025-03-01", None)
            .assign("8605550108", "E8", "FAC", "2025-03-01", None)
            .charge("8605550106", "plan", "35.00")
            .charge("8605550108", "plan", "40.00")
            .line_total("8605550106", "35.00")
            .line_used("", "", "1.284")
            .line_total("8605550108", "40.00")
            .line_used("0", "0", "0.000")
            .build();
        assert_eq!(run(&m, Rule::ZeroUsage), vec![
            "review 8605550108 E8 FAC 40.00 0 | charges.csv:3; lines.csv:3 | Line billed $40.00 with no usage in the period (the carrier's line summary shows none either): a candidate to suspend or cancel.",
        ]);
    }
}
