//! `missing_authorization` (info). CREC: "Cell phones must be authorized in writing in advance";
//! OPM: equipment is issued to individuals specifically authorized by the agency head. A billed
//! line whose assignment names no one in `authorized_by`.

use billrecon_model::{Rule, Severity};

use crate::ctx::{Ctx, Draft};
use crate::words::who;

pub(crate) fn check(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    for line in ctx.billed.keys() {
        for a in ctx.book.in_period(line).filter(|a| a.authorized_by.trim().is_empty()) {
            let detail = format!(
                "The assignment of {} to {} names no authorizer: phones must be authorized in writing in advance.",
                a.kind.on(&a.line),
                who(a)
            );
            let mut d = Draft::new(Rule::MissingAuthorization, Severity::Info, Some(*line), detail);
            d.employee_id = a.employee_id.clone();
            d.account_code = a.account_code.clone();
            d.sources = vec![a.source.clone()];
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
    fn billed_lines_without_an_authorizer() {
        let m = M::new()
            .assign_with("8605550108", "E8", "TRANS", "2026-02-02", None, LineStatus::Active, " ", "BIZ500")
            .assign_with("8605550109", "E9", "TRANS", "2026-02-02", None, LineStatus::Active, "", "BIZ500") // not billed
            .assign("8605550110", "E10", "TRANS", "2026-02-02", None)
            .charge("8605550108", "plan", "55.00")
            .charge("8605550110", "plan", "55.00")
            .build();
        assert_eq!(run(&m, Rule::MissingAuthorization), vec![
            "info 8605550108 E8 TRANS 0 0 | inventory.csv:2 | The assignment of line 860-555-0108 to Name E8 (E8) names no authorizer: phones must be authorized in writing in advance.",
        ]);
    }
}
