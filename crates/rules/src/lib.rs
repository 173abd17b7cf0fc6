//! The rules: from a month's records to findings.
//!
//! Each rule is a plain function over the records in its own module under `rules/`. The invoice
//! is the money; usage rows are the evidence. Rules never move money: the chargeback posts it.

mod ctx;
pub mod da;
pub mod facts;
pub mod history;
pub mod preview;
#[cfg(test)]
mod properties;
mod rules;
#[cfg(test)]
mod testkit;
mod words;

use billrecon_model::{Finding, Month, Rule, UsageTable};

pub use ctx::Ctx;
pub(crate) use ctx::Draft;
pub use facts::{AttestationIndex, UsageFacts, UsageFold, UsagePart};
pub use rules::personal_overage::{
    more_owed as overage_more_owed, pools as overage_pools, share as overage_share, OveragePool, Share,
};

/// Every rule over the month and its usage, findings sorted by severity, rule, line, then
/// sources. (A month read with its usage streamed has no table: fold it with [`UsageFold`]
/// and call [`evaluate_ctx`] with [`Ctx::with_facts`].)
pub fn evaluate(month: &Month, usage: &UsageTable) -> Vec<Finding> {
    evaluate_ctx(&Ctx::new(month, usage))
}

/// Every rule over a prepared context.
///
/// The rules are independent of each other: they run on every core, and their findings are put
/// in one order afterwards, so the outcome does not depend on which finished first.
pub fn evaluate_ctx(ctx: &Ctx<'_>) -> Vec<Finding> {
    use rayon::prelude::*;
    let mut out: Vec<Finding> = Rule::ALL.par_iter().flat_map_iter(|rule| rules::run(*rule, ctx)).map(Draft::finish).collect();
    sort(&mut out);
    out
}

/// Puts findings in their one order: severity, rule, line, source rows, id.
pub fn sort(findings: &mut [Finding]) {
    use rayon::prelude::*;
    findings.par_sort_by(|a, b| {
        (a.severity, a.rule, a.line, &a.sources, &a.id).cmp(&(b.severity, b.rule, b.line, &b.sources, &b.id))
    });
}

/// This month's findings, and the history rules' when a ledger holds earlier months (the month's
/// lines and account credits are returned for the ledger to keep).
pub fn evaluate_with_history(
    ctx: &Ctx<'_>,
    history: Option<&billrecon_model::History>,
) -> (Vec<Finding>, Vec<billrecon_model::LineMonth>, Vec<rust_decimal::Decimal>) {
    let mut found = evaluate_ctx(ctx);
    let lines = history::line_months(ctx);
    let credits = history::account_credits(ctx);
    if let Some(h) = history.filter(|h| !h.is_empty()) {
        let more = history::evaluate(ctx, &lines, h, &found, history::ZERO_USAGE_MONTHS);
        found.extend(more);
        sort(&mut found);
    }
    (found, lines, credits)
}
