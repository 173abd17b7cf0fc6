//! `personal_overage` (charge). CREC: "Any incremental charges resulting from personal use will be
//! the responsibility of the employee." Per line and pool: O = max(0, U − A) is the overage,
//! B = max(0, U − P − A) the overage business use alone would have caused, I = O − B the part
//! personal use caused; the employee owes C × I / O (half away from zero, to the cent).
//!
//! A is the plans table's when the manifest names one (a plan missing from it is a review
//! finding). Without a plans table, A is what the carrier states for the line (its charges
//! detail's usage summary row), else what the plan's name says (`500 minutes`, `Unlimited`);
//! a shared allowance, or none stated anywhere, is an info finding: the overage is not
//! assessed, never guessed. The arithmetic names where A came from.

use billrecon_model::{
    round_cents, Allowance, Assignment, ChargeCategory, Overage, PhoneNumber, Rule, Severity, SourceRef, UsageType,
};
use rust_decimal::Decimal;

use crate::ctx::{Ctx, Draft};
use crate::words::{money, who};

const POOLS: &[(UsageType, ChargeCategory, &str, &str)] = &[
    (UsageType::Voice, ChargeCategory::OverageVoice, "voice", "minutes"),
    (UsageType::Text, ChargeCategory::OverageText, "text", "messages"),
];

/// Where a line's allowance for a pool was found.
struct Known {
    allowance: Allowance,
    /// The plan as the finding names it.
    plan: String,
    /// For the arithmetic: `the plans table`, `the carrier's charges detail (FILE:ROW)`, ...
    from: String,
    /// What the detail adds after the allowance: empty for the plans table.
    says: String,
}

/// Why a line's allowance cannot be known: the finding to raise instead.
struct Unknown {
    severity: Severity,
    detail: String,
    sources: Vec<SourceRef>,
}

/// The plan's name as the inventory (or fleet list) gives it, else as the carrier prints it.
fn plan_name<'a>(ctx: &'a Ctx<'_>, line: &PhoneNumber, a: &'a Assignment) -> &'a str {
    if !a.plan.trim().is_empty() {
        return a.plan.trim();
    }
    ctx.line_summaries.get(line).and_then(|s| s.iter().map(|s| s.plan.as_str()).find(|p| !p.trim().is_empty())).unwrap_or("")
}

/// A plan's name as a finding shows it: without the price and terms printed after it.
fn shown(name: &str) -> &str {
    name.split('$').next().unwrap_or("").trim()
}

/// The line's allowance for `kind`: from the plans table when the manifest names one; without
/// one, from what the carrier states, else from the plan's name; never guessed.
fn allowance(
    ctx: &Ctx<'_>,
    line: &PhoneNumber,
    a: &Assignment,
    kind: UsageType,
    pool_name: &str,
    c: Decimal,
) -> Result<Known, Unknown> {
    if let Some(plans) = &ctx.plans {
        return match plans.get(a.plan.as_str()) {
            Some(plan) => Ok(Known {
                allowance: if kind == UsageType::Voice { plan.voice_minutes } else { plan.messages },
                plan: plan.plan.clone(),
                from: "the plans table".into(),
                says: String::new(),
            }),
            None => Err(Unknown {
                severity: Severity::Review,
                detail: format!(
                    "The line's plan `{}` is not in the plans table, so its {} overage of {} cannot be divided between business and personal use.",
                    a.plan,
                    pool_name,
                    money(c)
                ),
                sources: vec![a.source.clone()],
            }),
        };
    }
    let name = plan_name(ctx, line, a);
    if let Some(s) = ctx.stated.get(&(*line, kind)) {
        if s.shared {
            let amount = s.allowance.words();
            return Err(Unknown {
                severity: Severity::Info,
                detail: format!(
                    "Allowance unknown; overage not assessed: the carrier states a shared {pool_name} allowance ({amount}, shared) for the line at {}, and no line's part of a shared pool can be known. Its {pool_name} overage of {} stays with the program.",
                    s.source,
                    money(c)
                ),
                sources: vec![s.source.clone()],
            });
        }
        return Ok(Known {
            allowance: s.allowance,
            plan: if shown(name).is_empty() { "(as the carrier states it)".into() } else { shown(name).to_string() },
            from: format!("the carrier's charges detail ({})", s.source),
            says: ", as the carrier's charges detail states".into(),
        });
    }
    if let Some(allowance) = billrecon_model::allowance::from_plan_name(name).get(kind) {
        return Ok(Known {
            allowance,
            plan: shown(name).to_string(),
            from: format!("the plan's name (`{name}`)"),
            says: ", as the plan's name says".into(),
        });
    }
    let named =
        if name.is_empty() { "it has no plan name".to_string() } else { format!("its plan name `{}` names none", shown(name)) };
    Err(Unknown {
        severity: Severity::Info,
        detail: format!(
            "Allowance unknown; overage not assessed: no plans table is given, the carrier states no {pool_name} allowance for the line, and {named}. Its {pool_name} overage of {} stays with the program; add a plans table to assess it.",
            money(c)
        ),
        sources: vec![a.source.clone()],
    })
}

/// A line's overage pool as the rule sees it: what an employee's share is computed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OveragePool {
    pub line: PhoneNumber,
    /// `voice` (minutes) or `text` (messages).
    pub pool: &'static str,
    pub unit: &'static str,
    /// Who owes the share: the line's holder on the period's last assigned day, and the account
    /// the share moves from.
    pub employee_id: String,
    pub account_code: String,
    pub plan: String,
    /// A, U, P, C.
    pub allowance: Decimal,
    pub used: Decimal,
    pub personal: Decimal,
    pub charge: Decimal,
    /// The usage rows already counted in P (chargeable directory assistance, attested calls).
    pub personal_sources: Vec<SourceRef>,
}

/// O, B, I and the share C × I / O (half away from zero, to the cent, at most C).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    pub over: Decimal,
    pub business_over: Decimal,
    pub personal_over: Decimal,
    pub liable: Decimal,
}

/// The rule's arithmetic: `None` when there is no overage or personal use caused none of it.
pub fn share(charge: Decimal, allowance: Decimal, used: Decimal, personal: Decimal) -> Option<Share> {
    let o = (used - allowance).max(Decimal::ZERO);
    let b = (used - personal - allowance).max(Decimal::ZERO);
    let i = o - b;
    if o <= Decimal::ZERO || i <= Decimal::ZERO {
        return None;
    }
    Some(Share { over: o, business_over: b, personal_over: i, liable: round_cents(charge * i / o).min(charge) })
}

/// How much more a pool's share is with `now` personal than with `before` (never less than
/// nothing): what a late attestation adds.
pub fn more_owed(charge: Decimal, allowance: Decimal, used: Decimal, before: Decimal, now: Decimal) -> Decimal {
    let owed = |p| share(charge, allowance, used, p).map_or(Decimal::ZERO, |s| s.liable);
    (owed(now) - owed(before)).max(Decimal::ZERO)
}

/// A pool of a line with an overage charge, walked once for the rule and for [`pools`].
struct Walked<'c> {
    line: PhoneNumber,
    kind: UsageType,
    pool_name: &'static str,
    unit: &'static str,
    items: Vec<&'c billrecon_model::Charge>,
    c: Decimal,
    last_day: chrono::NaiveDate,
    a: &'c Assignment,
    known: Result<Known, Unknown>,
}

fn walk<'c>(ctx: &'c Ctx<'_>) -> Vec<Walked<'c>> {
    let mut out = Vec::new();
    for (line, charges) in &ctx.billed {
        for (kind, category, pool_name, unit) in POOLS {
            let items: Vec<&billrecon_model::Charge> = charges.iter().copied().filter(|c| c.category == *category).collect();
            let c: Decimal = items.iter().map(|c| c.amount).sum();
            if items.is_empty() || c <= Decimal::ZERO {
                continue;
            }
            // The plan of the assignment in effect on the period's last assigned day.
            let Some((last_day, a)) = ctx.book.last_assigned(line) else { continue };
            let known = allowance(ctx, line, a, *kind, pool_name, c);
            out.push(Walked { line: *line, kind: *kind, pool_name, unit, items, c, last_day, a, known });
        }
    }
    out
}

/// Every pool whose allowance is known and limited, with its U and P: what a preview of an
/// employee's share recomputes with more calls marked personal.
pub fn pools(ctx: &Ctx<'_>) -> Vec<OveragePool> {
    walk(ctx)
        .into_iter()
        .filter_map(|w| {
            let Ok(known) = &w.known else { return None };
            let Allowance::Limited(a_allow) = known.allowance else { return None };
            let pool = ctx.facts.line(&w.line).map(|u| if w.kind == UsageType::Voice { &u.voice } else { &u.text });
            Some(OveragePool {
                line: w.line,
                pool: w.pool_name,
                unit: w.unit,
                employee_id: w.a.employee_id.clone(),
                account_code: w.a.account_code.clone(),
                plan: known.plan.clone(),
                allowance: a_allow,
                used: pool.map_or(Decimal::ZERO, |p| p.used),
                personal: pool.map_or(Decimal::ZERO, |p| p.personal),
                charge: w.c,
                personal_sources: pool.map(|p| p.personal_sources.clone()).unwrap_or_default(),
            })
        })
        .collect()
}

pub(crate) fn check(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    for w in walk(ctx) {
        let (line, a, c, items, pool_name, unit) = (&w.line, w.a, w.c, &w.items, w.pool_name, w.unit);
        let known = match w.known {
            Ok(k) => k,
            Err(u) => {
                let mut d = Draft::new(Rule::PersonalOverage, u.severity, Some(*line), u.detail);
                d.employee_id = a.employee_id.clone();
                d.account_code = a.account_code.clone();
                d.amount = c;
                d.sources = items.iter().map(|i| i.source.clone()).chain(u.sources).collect();
                out.push(d);
                continue;
            }
        };
        let Allowance::Limited(a_allow) = known.allowance else { continue }; // unlimited: no overage
        let usage = ctx.facts.line(line);
        let pool = usage.map(|u| if w.kind == UsageType::Voice { &u.voice } else { &u.text });
        let u = pool.map_or(Decimal::ZERO, |p| p.used);
        let p = pool.map_or(Decimal::ZERO, |p| p.personal);
        let Some(Share { over: o, business_over: b, personal_over: i, liable }) = share(c, a_allow, u, p) else { continue };
        let detail = format!(
            "{u} {pool_name} {unit} used on plan {} ({a_allow} included{}), {p} of them personal: personal use caused {i} of the {o} {unit} over, so {} repays {} × {i} ÷ {o} = {}.",
            known.plan,
            known.says,
            who(a),
            money(c),
            money(liable)
        );
        let mut d = Draft::new(Rule::PersonalOverage, Severity::Charge, Some(*line), detail);
        d.employee_id = a.employee_id.clone();
        d.account_code = a.account_code.clone();
        d.amount = c;
        d.employee_liable = liable;
        d.liable_on = Some(w.last_day);
        d.sources = items.iter().map(|i| i.source.clone()).collect();
        if let Some(pool) = pool {
            d.sources.extend(pool.personal_sources.iter().cloned());
        }
        if let Some(s) = ctx.stated.get(&(*line, w.kind)).filter(|_| known.from.starts_with("the carrier")) {
            d.sources.push(s.source.clone());
        }
        d.overage = Some(Overage {
            pool: pool_name.to_string(),
            unit: unit.to_string(),
            plan: known.plan,
            allowance: a_allow,
            allowance_from: known.from,
            used: u,
            personal: p,
            charge: c,
            over: o,
            business_over: b,
            personal_over: i,
        });
        out.push(d);
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

    fn on_plan(plan: &str) -> M {
        M::new()
            .no_plans_table()
            .assign_with("8605550101", "E1", "ARTS", "2025-07-01", None, billrecon_model::LineStatus::Active, "D", plan)
            .charge("8605550101", "overage_voice", "26.95")
            .bulk("8605550101", "voice", "540")
            .usage("8605550101", "2026-10-09", "18:42", "2035550188", "voice", "20", "", "")
            .attest("8605550101", "2026-10-09", Some("18:42"), None)
    }

    #[test]
    fn without_a_plans_table_the_carrier_s_statement_gives_the_allowance_and_is_named() {
        let m = on_plan("FLEX 2GB").stated("8605550101", "voice", "500").stated("8605550101", "data", "2.000(shared)").build();
        let f = crate::evaluate(&m, &m.usage).into_iter().find(|f| f.rule == Rule::PersonalOverage).unwrap();
        assert_eq!(f.employee_liable, d("8.98"));
        assert_eq!(
            f.detail,
            "560 voice minutes used on plan FLEX 2GB (500 included, as the carrier's charges detail states), 20 of them personal: personal use caused 20 of the 60 minutes over, so Name E1 (E1) repays $26.95 × 20 ÷ 60 = $8.98."
        );
        let o = f.overage.unwrap();
        assert_eq!(o.allowance_from, "the carrier's charges detail (detail.txt:2)");
        assert_eq!(
            f.sources.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            vec!["charges.csv:2", "detail.txt:2", "usage.csv:3"]
        );
        // A plans table, when given, decides instead (and BIZ500 is not in this one).
        let m = on_plan("FLEX 2GB").plan("OTHER", Some("100"), None).stated("8605550101", "voice", "500").build();
        assert_eq!(run(&m, Rule::PersonalOverage)[0].split(' ').next(), Some("review"));
    }

    #[test]
    fn without_a_plans_table_or_a_statement_the_plan_s_name_gives_the_allowance() {
        let m = on_plan("Business Talk 500 minutes").build();
        let f = crate::evaluate(&m, &m.usage).into_iter().find(|f| f.rule == Rule::PersonalOverage).unwrap();
        assert_eq!(f.employee_liable, d("8.98"));
        assert!(f.detail.contains("on plan Business Talk 500 minutes (500 included, as the plan's name says)"), "{}", f.detail);
        assert_eq!(f.overage.unwrap().allowance_from, "the plan's name (`Business Talk 500 minutes`)");
        // `Unlimited` in the name: no overage to divide.
        assert!(run(&on_plan("Business Unlimited Smartphone").build(), Rule::PersonalOverage).is_empty());
    }

    #[test]
    fn an_allowance_that_cannot_be_known_is_an_info_finding_never_a_guess() {
        assert_eq!(
            run(&on_plan("Business Talk").build(), Rule::PersonalOverage),
            vec!["info 8605550101 E1 ARTS 26.95 0 | charges.csv:2; inventory.csv:2 | Allowance unknown; overage not assessed: no plans table is given, the carrier states no voice allowance for the line, and its plan name `Business Talk` names none. Its voice overage of $26.95 stays with the program; add a plans table to assess it."]
        );
        assert_eq!(
            run(&on_plan("Business Talk 500 minutes").stated("8605550101", "voice", "1,000(shared)").build(), Rule::PersonalOverage),
            vec!["info 8605550101 E1 ARTS 26.95 0 | charges.csv:2; detail.txt:2 | Allowance unknown; overage not assessed: the carrier states a shared voice allowance (1000, shared) for the line at detail.txt:2, and no line's part of a shared pool can be known. Its voice overage of $26.95 stays with the program."]
        );
    }
}
