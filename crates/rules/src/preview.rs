//! What an employee will owe for a month under review, as they tick calls personal on the web:
//! the rules' own arithmetic ([`crate::overage_share`]) over the pools and liabilities the month
//! had when it was opened, computed on the server so the page only shows it.

use billrecon_model::usd;
use rust_decimal::Decimal;

/// A line's overage pool with the personal use counted so far (`personal`: at opening, plus
/// what the employee ticks now).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolNow {
    pub line: String,
    pub pool: String,
    pub unit: String,
    pub plan: String,
    pub allowance: Decimal,
    pub used: Decimal,
    pub personal: Decimal,
    pub charge: Decimal,
}

/// What goes into a preview.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PreviewInput {
    /// Liabilities the rules found at opening that ticking does not change: (label, detail, amount).
    pub owed: Vec<(String, String, Decimal)>,
    /// Ticked calls with a charge of their own: (the call, its charge).
    pub calls: Vec<(String, Decimal)>,
    pub pools: Vec<PoolNow>,
}

/// One line of the preview, with its arithmetic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewLine {
    pub what: String,
    pub arithmetic: String,
    pub amount: Decimal,
}

/// The preview: its lines and their total.
pub fn preview(input: &PreviewInput) -> (Vec<PreviewLine>, Decimal) {
    let mut lines = Vec::new();
    for (label, detail, amount) in &input.owed {
        lines.push(PreviewLine { what: label.clone(), arithmetic: detail.clone(), amount: *amount });
    }
    for (call, charge) in &input.calls {
        lines.push(PreviewLine {
            what: "Personal call with its own charge".into(),
            arithmetic: format!("{call}: its charge {} is yours.", usd(*charge)),
            amount: *charge,
        });
    }
    for p in &input.pools {
        let Some(s) = crate::overage_share(p.charge, p.allowance, p.used, p.personal) else { continue };
        lines.push(PreviewLine {
            what: format!("Personal share of the {} overage", p.pool),
            arithmetic: format!(
                "{} {} {} used on plan {} ({} included), {} of them personal: personal use caused {} of the {} {} over, so you repay {} × {} ÷ {} = {}.",
                p.used,
                p.pool,
                p.unit,
                p.plan,
                p.allowance,
                p.personal,
                s.personal_over,
                s.over,
                p.unit,
                usd(p.charge),
                s.personal_over,
                s.over,
                usd(s.liable)
            ),
            amount: s.liable,
        });
    }
    let total = lines.iter().map(|l| l.amount).sum();
    (lines, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn the_issue_example_and_a_call_of_its_own() {
        let input = PreviewInput {
            owed: vec![("Directory assistance".into(), "Call to 411 charged $1.99".into(), d("1.99"))],
            calls: vec![("2026-10-12 20:15 to 604-555-0142".into(), d("3.50"))],
            pools: vec![PoolNow {
                line: "8605550101".into(),
                pool: "voice".into(),
                unit: "minutes".into(),
                plan: "BIZ500".into(),
                allowance: d("500"),
                used: d("560"),
                personal: d("20"),
                charge: d("26.95"),
            }],
        };
        let (lines, total) = preview(&input);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[2].amount, d("8.98"));
        assert_eq!(
            lines[2].arithmetic,
            "560 voice minutes used on plan BIZ500 (500 included), 20 of them personal: personal use caused 20 of the 60 minutes over, so you repay $26.95 × 20 ÷ 60 = $8.98."
        );
        assert_eq!(total, d("14.47"));
        // Nothing personal: nothing owed for the pool.
        let none = PreviewInput { pools: vec![PoolNow { personal: d("0"), ..input.pools[0].clone() }], ..Default::default() };
        assert_eq!(preview(&none), (vec![], d("0")));
    }
}
