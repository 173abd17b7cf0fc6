//! `personal_call_charge` (charge). A call the employee attested as personal that carries its own
//! charge (long distance, roaming, international, premium) and is not directory assistance: the
//! charge is the employee's (CREC: incremental charges from personal use).

use billrecon_model::{Rule, Severity};
use rust_decimal::Decimal;

use crate::ctx::{Ctx, Draft};
use crate::words::{money, when, who};

pub(crate) fn check(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    for f in &ctx.facts.personal_calls {
        let a = ctx.book.on(&f.line, f.call.date);
        let what = if f.call.description.is_empty() { String::new() } else { format!(" ({})", f.call.description) };
        // Attested, but on a line no one holds that day: nobody to repay it.
        let a = a.filter(|a| !a.employee_id.is_empty());
        let detail = match a {
            Some(a) => format!(
                "Call on {} attested as personal carried its own charge of {}{what}: incremental charges from personal use are repaid by {}.",
                when(&f.call),
                money(f.call.charge),
                who(a)
            ),
            None => format!(
                "Call on {} attested as personal carried its own charge of {}{what}, but no one was assigned the line that day, so no employee is liable.",
                when(&f.call),
                money(f.call.charge)
            ),
        };
        let mut d = Draft::new(Rule::PersonalCallCharge, Severity::Charge, Some(f.line), detail);
        d.amount = f.call.charge;
        d.employee_liable = if a.is_some() { f.call.charge } else { Decimal::ZERO };
        if let Some(a) = a {
            d.employee_id = a.employee_id.clone();
            d.account_code = a.account_code.clone();
        }
        d.sources = std::iter::once(f.source.clone())
            .chain(f.attested_by.iter().map(|i| ctx.month.attestations[*i].source.clone()))
            .collect();
        d.liable_on = Some(f.call.date);
        d.call = Some(f.call.clone());
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;
    use billrecon_model::Rule;

    #[test]
    fn attested_calls_with_their_own_charge() {
        let m = M::new()
            .assign("8605550108", "E8", "TRANS", "2025-07-01", None)
            .charge("8605550108", "roaming", "3.50")
            .usage("8605550108", "2026-10-12", "20:15", "604-555-0142", "voice", "7", "3.50", "ROAMING - CANADA")
            // attested but free: counts toward P only, no charge finding
            .usage("8605550108", "2026-10-13", "20:15", "604-555-0142", "voice", "7", "", "")
            // charged but not attested: nothing
            .usage("8605550108", "2026-10-14", "20:15", "604-555-0142", "voice", "7", "3.50", "ROAMING - CANADA")
            // attested DA: a directory_assistance finding, not this one
            .usage("8605550108", "2026-10-15", "20:15", "411", "voice", "1", "1.99", "")
            .attest("8605550108", "2026-10-12", Some("20:15"), Some("(604) 555-0142"))
            .attest("8605550108", "2026-10-13", Some("20:15"), None)
            .attest("8605550108", "2026-10-15", Some("20:15"), None)
            .build();
        assert_eq!(run(&m, Rule::PersonalCallCharge), vec![
            "charge 8605550108 E8 TRANS 3.50 3.50 | attestations.csv:2; usage.csv:2 | Call on 2026-10-12 at 20:15:00 attested as personal carried its own charge of $3.50 (ROAMING - CANADA): incremental charges from personal use are repaid by Name E8 (E8).",
        ]);
        assert_eq!(run(&m, Rule::DirectoryAssistance).len(), 1);
    }

    #[test]
    fn attestations_match_to_the_minute_and_by_number_when_given() {
        let m = M::new()
            .assign("8605550108", "E8", "TRANS", "2025-07-01", None)
            .usage("8605550108", "2026-10-12", "20:15:42", "604-555-0142", "voice", "7", "3.50", "")
            .usage("8605550108", "2026-10-12", "21:00", "604-555-0142", "voice", "7", "3.50", "")
            .attest("8605550108", "2026-10-12", Some("20:15"), None)
            .attest("8605550108", "2026-10-12", Some("21:00"), Some("604-555-0143"))
            .build();
        let got = run(&m, Rule::PersonalCallCharge);
        assert_eq!(got.len(), 1);
        assert!(got[0].contains("attestations.csv:2; usage.csv:2"), "{}", got[0]);
        assert_eq!(run(&m, Rule::UnmatchedAttestation).len(), 1);
    }
}
