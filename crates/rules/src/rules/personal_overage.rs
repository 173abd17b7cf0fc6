//! `personal_overage` (charge). CREC: "Any incremental charges resulting from personal use will be
//! the responsibility of the employee." Per line and pool: O = max(0, U − A) is the overage,
//! B = max(0, U − P − A) the overage business use alone would have caused, I = O − B the part
//! personal use caused; the employee owes C × I / O (half away from zero, to the cent).

use billrecon_model::{round_cents, ChargeCategory, Overage, Rule, Severity, UsageType};
use rust_decimal::Decimal;

use super::{money, who};
use crate::{Ctx, Draft};

const POOLS: &[(UsageType, ChargeCategory, &str, &str)] = &[
    (UsageType::Voice, ChargeCategory::OverageVoice, "voice", "minutes"),
    (UsageType::Text, ChargeCategory::OverageText, "text", "messages"),
];

pub(crate) fn check(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    for (line, charges) in &ctx.billed {
        for (kind, category, pool_name, unit) in POOLS {
            let items: Vec<_> = charges.iter().filter(|c| c.category == *category).collect();
            let c: Decimal = items.iter().map(|c| c.amount).sum();
            if items.is_empty() || c <= Decimal::ZERO {
                continue;
            }
            // The plan of the assignment in effect on the period's last assigned day.
            let Some((last_day, a)) = ctx.book.last_assigned(line) else { continue };
            let Some(plan) = ctx.plans.get(a.plan.as_str()) else {
                let detail = format!(
                    "The line's plan `{}` is not in the plans table, so its {} overage of {} cannot be divided between business and personal use.",
                    a.plan,
                    pool_name,
                    money(c)
                );
                let mut d = Draft::new(Rule::PersonalOverage, Severity::Review, Some(*line), detail);
                d.employee_id = a.employee_id.clone();
                d.account_code = a.account_code.clone();
                d.amount = c;
                d.sources = items.iter().map(|i| i.source.clone()).chain([a.source.clone()]).collect();
                out.push(d);
                continue;
            };
            let allowance = match kind {
                UsageType::Voice => plan.voice_minutes,
                _ => plan.messages,
            };
            let Some(a_allow) = allowance else { continue }; // unlimited: no overage
            let usage = ctx.facts.line(line);
            let pool = usage.map(|u| if *kind == UsageType::Voice { &u.voice } else { &u.text });
            let u = pool.map_or(Decimal::ZERO, |p| p.used);
            let p = pool.map_or(Decimal::ZERO, |p| p.personal);
            let o = (u - a_allow).max(Decimal::ZERO);
            let b = (u - p - a_allow).max(Decimal::ZERO);
            let i = o - b;
            if o <= Decimal::ZERO || i <= Decimal::ZERO {
                continue;
            }
            let liable = round_cents(c * i / o).min(c);
            let detail = format!(
                "{u} {pool_name} {unit} used on plan {} ({a_allow} included), {p} of them personal: personal use caused {i} of the {o} {unit} over, so {} repays {} × {i} ÷ {o} = {}.",
                plan.plan,
                who(a),
                money(c),
                money(liable)
            );
            let mut d = Draft::new(Rule::PersonalOverage, Severity::Charge, Some(*line), detail);
            d.employee_id = a.employee_id.clone();
            d.account_code = a.account_code.clone();
            d.amount = c;
            d.employee_liable = liable;
            d.liable_on = Some(last_day);
            d.sources = items.iter().map(|i| i.source.clone()).collect();
            if let Some(pool) = pool {
                d.sources.extend(pool.personal_sources.iter().cloned());
            }
            d.overage = Some(Overage {
                pool: pool_name.to_string(),
                unit: unit.to_string(),
                plan: plan.plan.clone(),
                allowance: a_allow,
                used: u,
                personal: p,
                charge: c,
                over: o,
                business_over: b,
                personal_over: i,
            });
            out.push(d);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;
    use billrecon_model::Rule;

    fn base() -> M {
        M::new().plan("BIZ500", Some("500"), Some("1000")).assign("8605550101", "E1", "ARTS", "2025-07-01", None)
    }

    #[test]
    fn the_issue_example_a500_u560_p20_c26_95() {
        let m = base()
            .charge("8605550101", "overage_voice", "26.95")
            .bulk("8605550101", "voice", "540")
            .usage("8605550101", "2026-10-09", "18:42", "2035550188", "voice", "20", "", "")
            .attest("8605550101", "2026-10-09", Some("18:42"), None)
            .build();
        let f = crate::evaluate(&m, &m.usage).into_iter().find(|f| f.rule == Rule::PersonalOverage).unwrap();
        let o = f.overage.unwrap();
        assert_eq!(
            (o.allowance, o.used, o.personal, o.over, o.business_over, o.personal_over),
            (d("500"), d("560"), d("20"), d("60"), d("40"), d("20"))
        );
        assert_eq!(f.employee_liable, d("8.98"));
        assert_eq!(f.liable_on, Some(day("2026-10-31")));
        assert_eq!(
            f.detail,
            "560 voice minutes used on plan BIZ500 (500 included), 20 of them personal: personal use caused 20 of the 60 minutes over, so Name E1 (E1) repays $26.95 × 20 ÷ 60 = $8.98."
        );
        assert_eq!(f.sources.iter().map(|s| s.to_string()).collect::<Vec<_>>(), vec!["charges.csv:2", "usage.csv:3"]);
    }

    #[test]
    fn directory_assistance_minutes_count_as_personal() {
        // The worked example: P = 20 attested + 2 (the 411 call), C 27.00 -> 9.90.
        let m = base()
            .charge("8605550101", "overage_voice", "27.00")
            .bulk("8605550101", "voice", "538")
            .usage("8605550101", "2026-10-09", "18:42", "2035550188", "voice", "12", "", "")
            .usage("8605550101", "2026-10-17", "19:05", "2035550188", "voice", "8", "", "")
            .usage("8605550101", "2026-10-14", "10:31", "411", "voice", "2", "1.99", "")
            .attest("8605550101", "2026-10-09", Some("18:42"), Some("203-555-0188"))
            .attest("8605550101", "2026-10-17", Some("19:05"), None)
            .build();
        assert_eq!(
            run(&m, Rule::PersonalOverage),
            vec!["charge 8605550101 E1 ARTS 27.00 9.90 | charges.csv:2; usage.csv:3; usage.csv:4; usage.csv:5 | 560 voice minutes used on plan BIZ500 (500 included), 22 of them personal: personal use caused 22 of the 60 minutes over, so Name E1 (E1) repays $27.00 × 22 ÷ 60 = $9.90."]
        );
    }

    #[test]
    fn no_liability_when_business_use_alone_exceeds_the_allowance_by_the_same() {
        // All personal minutes fall inside the allowance's slack: U 560, P 20, A 500 -> O 60, B 40, I 20.
        // But with P 0 nothing is owed, and with U under A there is no overage at all.
        let m = base().charge("8605550101", "overage_voice", "27.00").bulk("8605550101", "voice", "560").build();
        assert!(run(&m, Rule::PersonalOverage).is_empty());
        let m = base()
            .charge("8605550101", "overage_voice", "27.00")
            .bulk("8605550101", "voice", "450")
            .usage("8605550101", "2026-10-09", "18:42", "2035550188", "voice", "20", "", "")
            .attest("8605550101", "2026-10-09", Some("18:42"), None)
            .build();
        assert!(run(&m, Rule::PersonalOverage).is_empty());
    }

    #[test]
    fn personal_use_larger_than_the_overage_owes_all_of_it() {
        let m = base()
            .charge("8605550101", "overage_text", "4.00")
            .bulk("8605550101", "text", "1000")
            .usage("8605550101", "2026-10-09", "18:42", "2035550188", "text", "40", "", "")
            .attest("8605550101", "2026-10-09", Some("18:42"), None)
            .build();
        assert_eq!(
            run(&m, Rule::PersonalOverage),
            vec!["charge 8605550101 E1 ARTS 4.00 4.00 | charges.csv:2; usage.csv:3 | 1040 text messages used on plan BIZ500 (1000 included), 40 of them personal: personal use caused 40 of the 40 messages over, so Name E1 (E1) repays $4.00 × 40 ÷ 40 = $4.00."]
        );
    }

    #[test]
    fn unlimited_plans_unknown_plans_and_the_plan_of_the_last_assigned_day() {
        // Unlimited: nothing.
        let m = M::new()
            .plan("UNL", None, None)
            .assign_with("8605550101", "E1", "ARTS", "2025-07-01", None, billrecon_model::LineStatus::Active, "D", "UNL")
            .charge("8605550101", "overage_voice", "27.00")
            .bulk("8605550101", "voice", "900")
            .build();
        assert!(run(&m, Rule::PersonalOverage).is_empty());
        // Unknown plan: a review finding naming it.
        let m = M::new()
            .assign_with("8605550101", "E1", "ARTS", "2025-07-01", None, billrecon_model::LineStatus::Active, "D", "GOLD")
            .charge("8605550101", "overage_voice", "27.00")
            .build();
        assert_eq!(
            run(&m, Rule::PersonalOverage),
            vec!["review 8605550101 E1 ARTS 27.00 0 | charges.csv:2; inventory.csv:2 | The line's plan `GOLD` is not in the plans table, so its voice overage of $27.00 cannot be divided between business and personal use."]
        );
        // Mid-month transfer: the plan and employee of the last assigned day (E2 on BIG) decide.
        let m = M::new()
            .plan("BIZ500", Some("500"), None)
            .plan("BIG", Some("550"), None)
            .assign("8605550102", "E1", "ARTS", "2025-07-01", Some("2026-10-10"))
            .assign_with(
                "8605550102",
                "E2",
                "TRANS",
                "2026-10-11",
                Some("2026-10-25"),
                billrecon_model::LineStatus::Active,
                "D",
                "BIG",
            )
            .charge("8605550102", "overage_voice", "9.00")
            .bulk("8605550102", "voice", "560")
            .usage("8605550102", "2026-10-20", "18:00", "2035550188", "voice", "10", "", "")
            .attest("8605550102", "2026-10-20", Some("18:00"), None)
            .build();
        let f = crate::evaluate(&m, &m.usage).into_iter().find(|f| f.rule == Rule::PersonalOverage).unwrap();
        assert_eq!(
            (f.employee_id.as_str(), f.account_code.as_str(), f.liable_on, f.employee_liable),
            ("E2", "TRANS", Some(day("2026-10-25")), d("4.50"))
        );
    }
}
