//! The rules: from a month's records to findings.
//!
//! Each rule is a plain function over the records in its own module under `rules/`. The invoice
//! is the money; usage rows are the evidence. Rules never move money: the chargeback posts it.

pub mod da;
pub mod facts;
pub mod history;
#[cfg(test)]
mod properties;
mod rules;
#[cfg(test)]
mod testkit;

use std::collections::BTreeMap;

use billrecon_model::{
    stable_hash, Charge, Employee, Finding, LineBook, LineSummary, Month, PhoneNumber, Plan, Rule, Severity, SourceRef,
    StatedAllowance, UsageTable, UsageType,
};

pub use facts::{AttestationIndex, UsageFacts, UsageFold};

/// What every rule may read: the month, its indexes, and the usage fold.
pub struct Ctx<'a> {
    pub month: &'a Month,
    pub book: LineBook<'a>,
    pub facts: UsageFacts,
    /// Charge items of each billed line, across invoices, in input order.
    pub billed: BTreeMap<PhoneNumber, Vec<&'a Charge>>,
    /// What the carriers' per-line summaries say of each line, across invoices.
    pub line_summaries: BTreeMap<PhoneNumber, Vec<&'a LineSummary>>,
    pub employees: BTreeMap<&'a str, &'a Employee>,
    /// The plans table by plan; `None` when the manifest names none.
    pub plans: Option<BTreeMap<&'a str, &'a Plan>>,
    /// What the carriers state each line's plan includes, by line and pool (the first
    /// statement in invoice order).
    pub stated: BTreeMap<(PhoneNumber, UsageType), &'a StatedAllowance>,
}

impl<'a> Ctx<'a> {
    /// Builds the indexes and folds the month's usage, kept whole.
    pub fn new(month: &'a Month, usage: &UsageTable) -> Ctx<'a> {
        Ctx::with_facts(month, UsageFold::new(month).facts_of(usage))
    }

    /// Builds the indexes around a usage fold made elsewhere (e.g. streamed).
    pub fn with_facts(month: &'a Month, facts: UsageFacts) -> Ctx<'a> {
        let mut billed: BTreeMap<PhoneNumber, Vec<&Charge>> = BTreeMap::new();
        let mut line_summaries: BTreeMap<PhoneNumber, Vec<&LineSummary>> = BTreeMap::new();
        let mut stated: BTreeMap<(PhoneNumber, UsageType), &StatedAllowance> = BTreeMap::new();
        for inv in &month.invoices {
            for a in &inv.allowances {
                stated.entry((a.line, a.pool)).or_insert(a);
            }
            for c in &inv.charges {
                if let Some(l) = c.line {
                    billed.entry(l).or_default().push(c);
                }
            }
            for s in &inv.lines {
                if let Some(l) = s.line {
                    line_summaries.entry(l).or_default().push(s);
                }
            }
        }
        Ctx {
            month,
            book: LineBook::new(&month.period, &month.inventory),
            facts,
            billed,
            line_summaries,
            employees: month.employees.iter().map(|e| (e.employee_id.as_str(), e)).collect(),
            plans: month.plans.as_ref().map(|ps| ps.iter().map(|p| (p.plan.as_str(), p)).collect()),
            stated,
        }
    }
}

/// A finding before its id is given.
pub(crate) struct Draft {
    pub rule: Rule,
    pub severity: Severity,
    pub line: Option<PhoneNumber>,
    pub employee_id: String,
    pub account_code: String,
    pub amount: rust_decimal::Decimal,
    pub employee_liable: rust_decimal::Decimal,
    pub sources: Vec<SourceRef>,
    pub detail: String,
    pub invoice: Option<usize>,
    pub liable_on: Option<chrono::NaiveDate>,
    pub call: Option<billrecon_model::Call>,
    pub overage: Option<billrecon_model::Overage>,
}

impl Draft {
    pub fn new(rule: Rule, severity: Severity, line: Option<PhoneNumber>, detail: String) -> Draft {
        Draft {
            rule,
            severity,
            line,
            employee_id: String::new(),
            account_code: String::new(),
            amount: rust_decimal::Decimal::ZERO,
            employee_liable: rust_decimal::Decimal::ZERO,
            sources: Vec::new(),
            detail,
            invoice: None,
            liable_on: None,
            call: None,
            overage: None,
        }
    }

    pub(crate) fn finish(mut self) -> Finding {
        // Sources in file and row order, whatever order the rows were read in.
        self.sources.sort();
        self.sources.dedup();
        let line = self.line.map(|l| l.to_string()).unwrap_or_default();
        let sources: Vec<String> = self.sources.iter().map(|s| s.to_string()).collect();
        let mut parts: Vec<&str> = vec![self.rule.as_str(), &line, &self.detail];
        parts.extend(sources.iter().map(String::as_str));
        let id = format!("{}-{:08x}", self.rule.code(), stable_hash(&parts));
        Finding {
            id,
            rule: self.rule,
            severity: self.severity,
            line: self.line,
            employee_id: self.employee_id,
            account_code: self.account_code,
            amount: self.amount,
            employee_liable: self.employee_liable,
            sources: self.sources,
            detail: self.detail,
            invoice: self.invoice,
            liable_on: self.liable_on,
            call: self.call,
            overage: self.overage,
        }
    }
}

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
