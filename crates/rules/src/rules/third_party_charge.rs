//! `third_party_charge` (review). Third-party items (premium content, app purchases) are not
//! state business. The employee is liable for them only when the manifest says
//! `[policy] third_party_is_personal = true`.

use billrecon_model::{ChargeCategory, Rule, Severity};
use rust_decimal::Decimal;

use crate::ctx::{Ctx, Draft};
use crate::words::{money, who};

pub(crate) fn check(ctx: &Ctx<'_>) -> Vec<Draft> {
    let personal = ctx.month.policy.third_party_is_personal;
    let mut out = Vec::new();
    for (i, inv) in ctx.month.invoices.iter().enumerate() {
        for c in inv.charges.iter().filter(|c| c.category == ChargeCategory::ThirdParty) {
            let holder = c.line.and_then(|l| ctx.book.last_assigned(&l)).filter(|(_, a)| !a.employee_id.is_empty());
            let liable = if personal && holder.is_some() && c.amount > Decimal::ZERO { c.amount } else { Decimal::ZERO };
            let detail = match (&holder, liable > Decimal::ZERO) {
                (Some((_, a)), true) => format!(
                    "Third-party charge \"{}\" of {}: billed to {} as personal use (policy third_party_is_personal).",
                    c.description,
                    money(c.amount),
                    who(a)
                ),
                _ => format!(
                    "Third-party charge \"{}\" of {}: premium content and purchases are not state business; ask the employee, and block third-party billing with the carrier.",
                    c.description,
                    money(c.amount)
                ),
            };
            let mut d = Draft::new(Rule::ThirdPartyCharge, Severity::Review, c.line, detail);
            d.amount = c.amount;
            d.employee_liable = liable;
            d.invoice = Some(i);
            if let Some((day, a)) = holder {
                d.employee_id = a.employee_id.clone();
                d.account_code = a.account_code.clone();
                d.liable_on = Some(day);
            }
            d.sources = vec![c.source.clone()];
            out.push(d);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;
    use billrecon_model::Rule;

    fn month() -> M {
        M::new()
            .assign("8605550110", "E10", "ARTS", "2025-07-01", None)
            .charge_desc("8605550110", "third_party", "Premium content - GameClub", "9.99")
            .charge_desc("8605550199", "third_party", "App store", "2.99")
    }

    #[test]
    fn reviewed_but_not_billed_by_default() {
        assert_eq!(run(&month().build(), Rule::ThirdPartyCharge), vec![
            "review 8605550110 E10 ARTS 9.99 0 | charges.csv:2 | Third-party charge \"Premium content - GameClub\" of $9.99: premium content and purchases are not state business; ask the employee, and block third-party billing with the carrier.",
            "review 8605550199 - - 2.99 0 | charges.csv:3 | Third-party charge \"App store\" of $2.99: premium content and purchases are not state business; ask the employee, and block third-party billing with the carrier.",
        ]);
    }

    #[test]
    fn billed_to_the_employee_when_the_policy_says_so() {
        let got = run(&month().third_party_is_personal().build(), Rule::ThirdPartyCharge);
        assert_eq!(got[0], "review 8605550110 E10 ARTS 9.99 9.99 | charges.csv:2 | Third-party charge \"Premium content - GameClub\" of $9.99: billed to Name E10 (E10) as personal use (policy third_party_is_personal).");
        assert!(got[1].starts_with("review 8605550199 - - 2.99 0 |"), "{}", got[1]);
    }
}
