//! `unassigned_line` (action). A billed line with at least one day of the period that no
//! assignment covers: that share of its charges goes to suspense until finance assigns it.
//! The amount is exactly what the chargeback posts to suspense for the line.

use billrecon_model::{Rule, Severity};
use rust_decimal::Decimal;

use crate::ctx::{Ctx, Draft};
use crate::words::{money, total};

pub(crate) fn check(ctx: &Ctx<'_>) -> Vec<Draft> {
    let suspense = &ctx.month.policy.suspense_account;
    let mut out = Vec::new();
    for (line, charges) in &ctx.billed {
        let split = ctx.book.day_split(line);
        if split.unassigned_days == 0 {
            continue;
        }
        let mut to_suspense = Decimal::ZERO;
        for c in charges {
            let part = match split.prorate(c.amount, suspense) {
                Ok(parts) => parts.iter().filter(|(k, _)| k == suspense).map(|(_, v)| *v).sum(),
                Err(_) => c.amount,
            };
            to_suspense += part;
        }
        let days = ctx.month.period.days();
        let ranges: Vec<String> =
            split.unassigned_ranges.iter().map(|(a, b)| if a == b { a.to_string() } else { format!("{a} to {b}") }).collect();
        let holderless = ctx.month.inventory.iter().any(|a| a.line == *line && a.is_unheld_card());
        let detail = if split.accounts.is_empty() && holderless {
            format!(
                "The inventory lists the calling card with no holder, an unassigned instrument: all {} of its charges goes to suspense {suspense} until it is assigned to someone or cancelled.",
                money(total(charges))
            )
        } else if split.accounts.is_empty() {
            format!(
                "No assignment covers the line in the period (it is not in the inventory for these dates): all {} of its charges goes to suspense {suspense} until it is assigned or cancelled.",
                money(total(charges))
            )
        } else {
            format!(
                "No assignment covers {} of {days} days ({}): {} of the line's {} goes to suspense {suspense} until it is assigned or cancelled.",
                split.unassigned_days,
                ranges.join(", "),
                money(to_suspense),
                money(total(charges))
            )
        };
        // Who the carrier thinks has the line helps finance find its holder.
        let carrier = ctx.line_summaries.get(line).and_then(|s| s.iter().find(|s| !s.user_name.is_empty()));
        let detail = match carrier {
            Some(s) if s.plan_name().is_empty() => format!("{detail} The carrier's line summary names its user {}.", s.user_name),
            Some(s) => format!("{detail} The carrier's line summary names its user {} ({}).", s.user_name, s.plan_name()),
            None => detail,
        };
        let mut d = Draft::new(Rule::UnassignedLine, Severity::Action, Some(*line), detail);
        d.account_code = suspense.clone();
        d.amount = to_suspense;
        d.sources = charges
            .iter()
            .map(|c| c.source.clone())
            .chain(ctx.book.in_period(line).map(|a| a.source.clone()))
            .chain(carrier.map(|s| s.source.clone()))
            .collect();
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;
    use billrecon_model::Rule;

    #[test]
    fn the_worked_example_line_0103() {
        let m = M::new()
            .assign("8605550103", "E3", "TRANS", "2025-07-01", Some("2026-10-20"))
            .charge("8605550103", "plan", "40.00")
            .assign("8605550101", "E1", "ARTS", "2025-07-01", None)
            .charge("8605550101", "plan", "40.00")
            .build();
        assert_eq!(run(&m, Rule::UnassignedLine), vec![
            "action 8605550103 - SUSP 14.19 0 | charges.csv:2; inventory.csv:2 | No assignment covers 11 of 31 days (2026-10-21 to 2026-10-31): $14.19 of the line's $40.00 goes to suspense SUSP until it is assigned or cancelled.",
        ]);
    }

    #[test]
    fn a_line_missing_from_the_inventory_and_a_gap_mid_month() {
        let m = M::new()
            .charge("8605550199", "plan", "40.00")
            .charge("8605550199", "tax", "2.54")
            .assign("8605550102", "E2", "ARTS", "2026-10-01", Some("2026-10-05"))
            .assign("8605550102", "E3", "ARTS", "2026-10-07", None)
            .charge("8605550102", "plan", "31.00")
            .build();
        assert_eq!(run(&m, Rule::UnassignedLine), vec![
            "action 8605550102 - SUSP 1.00 0 | charges.csv:4; inventory.csv:2; inventory.csv:3 | No assignment covers 1 of 31 days (2026-10-06): $1.00 of the line's $31.00 goes to suspense SUSP until it is assigned or cancelled.",
            "action 8605550199 - SUSP 42.54 0 | charges.csv:2; charges.csv:3 | No assignment covers the line in the period (it is not in the inventory for these dates): all $42.54 of its charges goes to suspense SUSP until it is assigned or cancelled.",
        ]);
    }
}
