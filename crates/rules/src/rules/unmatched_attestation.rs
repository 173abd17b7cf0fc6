//! `unmatched_attestation` (info). An attestation no usage row matches (line, date, time to the
//! minute, and number when given): it changes nothing, but the employee's note may be mistyped.

use billrecon_model::{Rule, Severity};

use crate::ctx::{Ctx, Draft};

pub(crate) fn check(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    for (i, a) in ctx.month.attestations.iter().enumerate() {
        if ctx.facts.attestation_matched.get(i).copied().unwrap_or(false) {
            continue;
        }
        let at = a.time.map(|t| format!(" at {t}")).unwrap_or_default();
        let detail = format!(
            "Call attested as personal on {}{at} matches no usage row of the line: nothing changes; check the date and time with the employee.",
            a.date
        );
        let mut d = Draft::new(Rule::UnmatchedAttestation, Severity::Info, Some(a.line), detail);
        if let Some(asg) = ctx.book.on(&a.line, a.date) {
            d.employee_id = asg.employee_id.clone();
            d.account_code = asg.account_code.clone();
        }
        d.sources = vec![a.source.clone()];
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;
    use billrecon_model::Rule;

    #[test]
    fn attestations_without_a_usage_row() {
        let m = M::new()
            .assign("9595550114", "E14", "ARTS", "2025-07-01", None)
            .usage("9595550114", "2026-10-20", "12:30", "203-555-0177", "voice", "3", "", "")
            .attest("9595550114", "2026-10-20", Some("12:30"), Some("203-555-0177"))
            .attest("9595550114", "2026-10-20", Some("12:31"), None)
            .attest("9595550114", "2026-10-21", None, None)
            .build();
        assert_eq!(run(&m, Rule::UnmatchedAttestation), vec![
            "info 9595550114 E14 ARTS 0 0 | attestations.csv:3 | Call attested as personal on 2026-10-20 at 12:31:00 matches no usage row of the line: nothing changes; check the date and time with the employee.",
            "info 9595550114 E14 ARTS 0 0 | attestations.csv:4 | Call attested as personal on 2026-10-21 matches no usage row of the line: nothing changes; check the date and time with the employee.",
        ]);
    }
}
