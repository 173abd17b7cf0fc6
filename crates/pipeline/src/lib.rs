//! One month, start to end, written once: every command and every later caller (the web app,
//! `open`) runs a month through these functions.
//!
//! ```text
//! read ──▶ MonthRead ──run(history?)──▶ MonthRun ──reconciliation()──▶ report
//!  │        (records, usage folded         (findings, lines,       └──post()──▶ ledger
//!  │         as it streamed)                postings)
//!  └─check──▶ Checked (every row counted, none kept)
//! ```
//!
//! - [`check`]: the month's inputs read and counted, usage checked against the period.
//! - [`read`]: the month read, its usage folded on every core as it streams
//!   ([`billrecon_rules::UsageFold`]); memory holds a block of usage at a time.
//! - [`MonthRead::evaluate`]: the rules (and the history rules, given the ledger's history);
//!   [`Evaluated::chargeback`] then posts in memory; [`MonthRead::run`] does both. The typed
//!   [`MonthRun`] gives the [`Reconciliation`] the report renders.
//! - [`post`]: the run recorded in the ledger, evaluated against the history read in the same
//!   snapshot the post checks inside its write transaction (evaluated again if another command
//!   wrote first).
//! - [`Attention`]: what of a month needs a person, the one input of the binary's exit code.

use std::path::Path;
use std::rc::Rc;

use billrecon_chargeback::{ChargebackError, MonthPostings};
use billrecon_ledger::{Ledger, LedgerError, OpenCall, OwedAtOpen, PostInput, PostOutcome, ReviewContent, ReviewPool, Stamp};
use billrecon_model::{Attestation, Finding, History, LineMonth, Severity};
use billrecon_parser::progress::Progress;
use billrecon_parser::usage::Outside;
use billrecon_parser::{load_month_with, CountUsage, Loaded, ParseError};
use billrecon_report::Reconciliation;
use billrecon_rules::{Ctx, UsageFacts, UsageFold};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Why a month could not be run.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Parse(#[from] ParseError),
    #[error(transparent)]
    Chargeback(#[from] ChargebackError),
    #[error("{path}: {error}")]
    Ledger { path: String, error: LedgerError },
}

/// What of a month needs a person's attention. Empty: nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attention {
    /// Input rows rejected (`billrecon check` lists them).
    pub rejected_rows: u64,
    /// Findings of severity action (0 where the rules did not run: `check`).
    pub action_findings: usize,
    /// Policy accounts still holding `billrecon init`'s placeholder.
    pub placeholders: Vec<String>,
    /// Usage rows exist and not one is dated in the period.
    pub no_usage_in_period: bool,
}

impl Attention {
    pub fn is_clear(&self) -> bool {
        self.rejected_rows == 0 && self.action_findings == 0 && self.placeholders.is_empty() && !self.no_usage_in_period
    }

    fn of(loaded: &Loaded, findings: &[Finding]) -> Attention {
        Attention {
            rejected_rows: loaded.rejected(),
            action_findings: findings.iter().filter(|f| f.severity == Severity::Action).count(),
            placeholders: loaded.manifest.placeholders.clone(),
            no_usage_in_period: false,
        }
    }
}

/// A month's inputs read and counted, nothing kept.
pub struct Checked {
    pub loaded: Loaded,
    /// Usage dated outside the period.
    pub outside: Outside,
}

impl Checked {
    pub fn attention(&self) -> Attention {
        let o = &self.outside;
        Attention { no_usage_in_period: o.rows > 0 && o.outside == o.rows, ..Attention::of(&self.loaded, &[]) }
    }
}

/// Reads every input of the month and counts its rows; usage is checked and counted as it
/// streams, none of it kept.
pub fn check(month_dir: &Path) -> Result<Checked, PipelineError> {
    let (loaded, count) = load_month_with(month_dir, |m| CountUsage::within(&m.period))?;
    Ok(Checked { loaded, outside: count.outside })
}

/// A month read, its usage folded.
pub struct MonthRead {
    pub loaded: Loaded,
    facts: UsageFacts,
}

/// Reads the month (reporting to `progress`, if given) with its usage folded as it streams.
pub fn read(month_dir: &Path, progress: Option<Rc<dyn Progress>>) -> Result<MonthRead, PipelineError> {
    read_with(month_dir, progress, Vec::new())
}

/// [`read`], with `extra` attestations beside the manifest's (employees' signed web
/// attestations): they match usage exactly as the CSV's do, and a call attested in both is one
/// personal call.
pub fn read_with(
    month_dir: &Path,
    progress: Option<Rc<dyn Progress>>,
    extra: Vec<Attestation>,
) -> Result<MonthRead, PipelineError> {
    let load = || {
        load_month_with(month_dir, |m| {
            if extra.is_empty() {
                return UsageFold::new(m);
            }
            let mut with = m.clone();
            with.attestations.extend(extra.iter().cloned());
            UsageFold::new(&with)
        })
    };
    let (mut loaded, fold) = match progress {
        Some(p) => billrecon_parser::progress::with(p, load)?,
        None => load()?,
    };
    // The fold's attestation indexes are positions in this list.
    loaded.month.attestations.extend(extra);
    Ok(MonthRead { loaded, facts: fold.finish() })
}

/// What `billrecon open` records: the month's calls on assigned lines, each with the employee
/// holding the line that day (a line held part of the period shows only the days they held it),
/// and, for the preview of what each will owe, the rules' overage pools and the other
/// liabilities the rules found.
pub fn open_month(month_dir: &Path) -> Result<(Loaded, ReviewContent), PipelineError> {
    let (loaded, usage) = billrecon_parser::load_month(month_dir)?;
    let calls = calls_of(&loaded, &usage);
    let ctx = Ctx::new(&loaded.month, &usage);
    let pools = billrecon_rules::overage_pools(&ctx)
        .into_iter()
        .filter(|p| !p.employee_id.is_empty())
        .map(|p| ReviewPool {
            employee_id: p.employee_id,
            line: p.line.as_str().to_string(),
            pool: p.pool.to_string(),
            unit: p.unit.to_string(),
            plan: p.plan,
            allowance: p.allowance,
            used: p.used,
            personal: p.personal,
            charge: p.charge,
            counted: p.personal_sources.iter().map(|s| s.to_string()).collect(),
            account_code: p.account_code,
        })
        .collect();
    let owed = billrecon_rules::evaluate_ctx(&ctx)
        .into_iter()
        .filter(|f| {
            f.employee_liable > Decimal::ZERO && f.rule != billrecon_model::Rule::PersonalOverage && !f.employee_id.is_empty()
        })
        .map(|f| OwedAtOpen {
            employee_id: f.employee_id.clone(),
            rule: f.rule.as_str().to_string(),
            sources: f.sources.iter().map(|s| s.to_string()).collect(),
            detail: f.detail,
            amount: f.employee_liable,
        })
        .collect();
    Ok((loaded, ReviewContent { calls, pools, owed }))
}

fn calls_of(loaded: &Loaded, usage: &billrecon_model::UsageTable) -> Vec<OpenCall> {
    let m = &loaded.month;
    let book = billrecon_model::LineBook::new(&m.period, &m.inventory);
    let mut calls = Vec::new();
    let mut seen: std::collections::HashMap<u64, u32> = std::collections::HashMap::new();
    for i in 0..usage.len() {
        let Some(line) = billrecon_model::PhoneNumber::from_nanp_u64(usage.line[i]) else { continue };
        let date = usage.date[i];
        let Some(a) = book.on(&line, date) else { continue };
        if a.employee_id.is_empty() {
            continue;
        }
        let time = billrecon_model::TimeOfDay::from_seconds(usage.time[i]).map(|t| t.to_string()).unwrap_or_default();
        let number = usage.number.get(i).to_string();
        let kind = usage.kind[i].as_str();
        let quantity = usage.quantity[i].normalize().to_string();
        // The call's id: its content, so the same files give the same ids whatever their order.
        let key = format!("{}|{date}|{time}|{number}|{kind}|{quantity}", line.as_str());
        let h = fnv64(key.as_bytes());
        let n = seen.entry(h).or_insert(0);
        *n += 1;
        let src = &usage.sources[usage.source[i] as usize];
        let source = billrecon_model::SourceRef::new(src.file.clone(), src.sheet.clone(), usage.row[i]).to_string();
        calls.push(OpenCall {
            id: if *n == 1 { format!("C{h:016x}") } else { format!("C{h:016x}-{n}") },
            employee_id: a.employee_id.clone(),
            line: line.as_str().to_string(),
            date,
            time,
            number,
            kind: kind.to_string(),
            quantity,
            charge: usage.charge[i],
            source,
            account_code: a.account_code.clone(),
        });
    }
    calls
}

/// FNV-1a, 64 bits: a call's id from its content.
fn fnv64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3))
}

/// Closes the month to new web attestations (if it was opened for review) and returns the calls
/// its employees signed as personal, as attestations the rules read like the CSV's.
pub fn web_attestations(month_dir: &Path, ledger: &mut Ledger, stamp: &Stamp) -> Result<Vec<Attestation>, PipelineError> {
    let label = billrecon_parser::Manifest::load(month_dir)?.period.label;
    let path = ledger.path.display().to_string();
    let calls = ledger.close_review(&label, stamp).map_err(|error| PipelineError::Ledger { path, error })?;
    let file: std::sync::Arc<str> = "web attestations".into();
    Ok(calls
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter_map(|(n, c)| {
            let line = billrecon_model::PhoneNumber::parse(&c.line).ok()?;
            let time = c.time.split(':').map(|x| x.parse::<u32>().ok()).collect::<Option<Vec<_>>>().and_then(|v| match v[..] {
                [h, m, s] => billrecon_model::TimeOfDay::from_hms(h, m, s),
                _ => None,
            });
            Some(Attestation {
                line,
                date: c.date,
                time,
                number: billrecon_model::PhoneNumber::parse(&c.number).ok(),
                note: format!("attested on the web ({})", c.id),
                source: billrecon_model::SourceRef::new(file.clone(), None, n as u32 + 1),
            })
        })
        .collect())
}

/// A month evaluated and posted (in memory).
pub struct MonthRun<'a> {
    pub read: &'a MonthRead,
    /// The month's findings, and the history rules' when a history was given; in their one order.
    pub findings: Vec<Finding>,
    /// Each line's month and the account-level credits, for the ledger (empty without history).
    pub lines: Vec<LineMonth>,
    pub account_credits: Vec<Decimal>,
    pub postings: MonthPostings,
}

/// A month's findings, before the chargeback.
pub struct Evaluated<'a> {
    pub read: &'a MonthRead,
    pub findings: Vec<Finding>,
    pub lines: Vec<LineMonth>,
    pub account_credits: Vec<Decimal>,
}

impl MonthRead {
    /// The rules. With `history` (the ledger's earlier months, possibly none) the history rules
    /// run too and each line's month is kept for the ledger; without it, exactly the month's own
    /// findings.
    pub fn evaluate(&self, history: Option<&History>) -> Evaluated<'_> {
        let ctx = Ctx::with_facts(&self.loaded.month, self.facts.clone());
        let (findings, lines, account_credits) = match history {
            None => (billrecon_rules::evaluate_ctx(&ctx), Vec::new(), Vec::new()),
            Some(h) => billrecon_rules::evaluate_with_history(&ctx, Some(h)),
        };
        Evaluated { read: self, findings, lines, account_credits }
    }

    /// The rules, then the chargeback.
    pub fn run(&self, history: Option<&History>) -> Result<MonthRun<'_>, PipelineError> {
        self.evaluate(history).chargeback()
    }
}

impl<'a> Evaluated<'a> {
    /// The chargeback: every invoice dollar posted (in memory).
    pub fn chargeback(self) -> Result<MonthRun<'a>, PipelineError> {
        let postings = billrecon_chargeback::post(&self.read.loaded.month, &self.findings)?;
        Ok(MonthRun {
            read: self.read,
            findings: self.findings,
            lines: self.lines,
            account_credits: self.account_credits,
            postings,
        })
    }

    pub fn attention(&self) -> Attention {
        Attention::of(&self.read.loaded, &self.findings)
    }
}

impl MonthRun<'_> {
    /// The run's date: the one given, else the period's end (notices are due `notice_due_days`
    /// after it).
    pub fn as_of(&self, given: Option<NaiveDate>) -> NaiveDate {
        given.unwrap_or(self.read.loaded.month.period.end)
    }

    /// What the report renders.
    pub fn reconciliation(&self, as_of: NaiveDate) -> Reconciliation<'_> {
        let l = &self.read.loaded;
        Reconciliation {
            month: &l.month,
            inputs: &l.inputs,
            rejections: &l.rejections,
            findings: &self.findings,
            postings: &self.postings,
            as_of,
        }
    }

    pub fn attention(&self) -> Attention {
        Attention::of(&self.read.loaded, &self.findings)
    }
}

/// A month recorded in the ledger.
pub struct Posted<'a> {
    pub run: MonthRun<'a>,
    pub outcome: PostOutcome,
    pub as_of: NaiveDate,
}

/// How many times a post is evaluated again when other commands keep writing first.
const POST_ATTEMPTS: usize = 8;

/// Runs the month against the ledger's history and records it. The history is read with a mark;
/// the post checks the mark inside its write transaction and, if another command wrote first,
/// the month is evaluated again against the new history (so the findings recorded are always
/// those of the ledger the post lands in).
pub fn post<'a>(
    read: &'a MonthRead,
    ledger: &mut Ledger,
    replace: bool,
    as_of: Option<NaiveDate>,
    stamp: &Stamp,
) -> Result<Posted<'a>, PipelineError> {
    let label = &read.loaded.month.period.label;
    let path = ledger.path.display().to_string();
    let failed = |error| PipelineError::Ledger { path: path.clone(), error };
    let mut attempt = 0;
    loop {
        attempt += 1;
        let (history, mark) = ledger.history_at(label).map_err(failed)?;
        let run = read.run(Some(&history))?;
        let as_of = run.as_of(as_of);
        let documents = run.reconciliation(as_of).documents();
        let input = PostInput {
            month: &read.loaded.month,
            findings: &run.findings,
            posted: &run.postings,
            as_of,
            lines: &run.lines,
            account_credits: &run.account_credits,
            history_mark: Some(mark),
            documents: &documents,
        };
        match ledger.post(&input, replace, stamp) {
            Ok(outcome) => return Ok(Posted { run, outcome, as_of }),
            Err(LedgerError::Moved) if attempt < POST_ATTEMPTS => continue,
            Err(e) => return Err(failed(e)),
        }
    }
}
