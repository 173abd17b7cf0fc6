//! What every rule reads ([`Ctx`]: the month, its indexes, the usage fold; [`HistoryCtx`]: the
//! ledger's earlier months beside this one) and what every rule writes ([`Draft`]: a finding
//! before its id).

use std::collections::{BTreeMap, HashMap};

use billrecon_model::{
    stable_hash, Charge, Employee, Finding, History, LineBook, LineMonth, LineSummary, Month, PhoneNumber, Plan, Rule, Severity,
    SourceRef, StatedAllowance, UsageTable, UsageType,
};

use crate::facts::{UsageFacts, UsageFold};

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

/// What the history rules read: this month's lines and findings beside the ledger's earlier
/// months, each month's lines indexed by line.
pub(crate) struct HistoryCtx<'a, 'm> {
    pub ctx: &'a Ctx<'m>,
    pub current: &'a [LineMonth],
    pub history: &'a History,
    /// `history.months[i]`'s lines by line.
    pub by_line: Vec<HashMap<PhoneNumber, &'a LineMonth>>,
    pub month_findings: &'a [Finding],
    /// Months without use that make a streak.
    pub streak: usize,
    /// This month's account-level credits.
    pub credits_now: Vec<rust_decimal::Decimal>,
}

impl<'a, 'm> HistoryCtx<'a, 'm> {
    pub fn new(
        ctx: &'a Ctx<'m>,
        current: &'a [LineMonth],
        history: &'a History,
        month_findings: &'a [Finding],
        streak: usize,
        credits_now: Vec<rust_decimal::Decimal>,
    ) -> HistoryCtx<'a, 'm> {
        let by_line = history.months.iter().map(|m| m.lines.iter().map(|l| (l.line, l)).collect()).collect();
        HistoryCtx { ctx, current, history, by_line, month_findings, streak, credits_now }
    }

    /// A line in the `i`th earlier month.
    pub fn line_in(&self, i: usize, line: &PhoneNumber) -> Option<&'a LineMonth> {
        self.by_line[i].get(line).copied()
    }
}
