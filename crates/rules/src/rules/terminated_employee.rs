//! `terminated_employee` (action). OPM: "All Telecommunications Equipment shall be returned ...
//! upon the employee's termination of state service." A line still assigned past the day its
//! employee left, when that day is before the period ends.

use billrecon_model::{Rule, Severity};

use crate::ctx::{Ctx, Draft};
use crate::words::who;

pub(crate) fn check(ctx: &Ctx<'_>) -> Vec<Draft> {
    let end = ctx.month.period.end;
    let mut out = Vec::new();
    for line in ctx.book.lines() {
        for a in ctx.book.in_period(line) {
            let Some(e) = ctx.employees.get(a.employee_id.as_str()) else { continue };
            let Some(left) = e.termination_date else { continue };
            // Still assigned after the day they left (an assignment that ended by then was returned).
            if left >= end || a.end.is_some_and(|x| x <= left) {
                continue;
            }
            let detail = format!(
                "{} left on {left} but {} stays assigned to them: the phone must be returned on termination, and the line reassigned or cancelled.",
                who(a),
                a.kind.on(&a.line)
            );
            let mut d = Draft::new(Rule::TerminatedEmployee, Severity::Action, Some(*line), detail);
            d.employee_id = a.employee_id.clone();
            d.account_code = a.account_code.clone();
            d.sources = vec![a.source.clone(), e.source.clone()];
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
    fn still_assigned_after_leaving() {
        let m = M::new()
            .employee("E4", Some("2026-10-15"))
            .employee("E5", Some("2026-10-15"))
            .employee("E6", Some("2026-11-02"))
            .employee("E7", None)
            .assign("8605550104", "E4", "FAC", "2024-01-15", None)
            .assign("8605550105", "E5", "FAC", "2024-01-15", Some("2026-10-15")) // returned the day they left
            .assign("8605550106", "E6", "FAC", "2024-01-15", None) // leaves after the period
            .assign("8605550107", "E7", "FAC", "2024-01-15", None)
            .build();
        assert_eq!(run(&m, Rule::TerminatedEmployee), vec![
            "action 8605550104 E4 FAC 0 0 | employees.csv:2; inventory.csv:2 | Name E4 (E4) left on 2026-10-15 but line 860-555-0104 stays assigned to them: the phone must be returned on termination, and the line reassigned or cancelled.",
        ]);
    }
}
