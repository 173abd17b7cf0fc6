//! The month ledger: what billrecon posted, month after month, kept in SQLite.
//!
//! The ledger stores what the chargeback produced (postings, the journal, receivables) and what
//! people did since (payments, waivers, disputes); it never computes money its own way. Money is
//! INTEGER cents. Every table is append-only (the database refuses UPDATE and DELETE): a
//! replaced invoice is reversed by new entries, a status is a new event. One transaction per
//! command, in WAL mode with a busy timeout, so a killed command leaves the ledger as it was
//! and two commands at once take turns.
//!
//! - [`Ledger::post`]: a reconciled month (no-op when already posted; refused, or reversed and
//!   replaced, when an invoice changed).
//! - [`Ledger::receivables`], [`Ledger::pay`]: what employees owe and pay (oldest notice first).
//! - [`Ledger::event`]: waive, dispute or resolve a finding (a waiver moves the liability back).
//! - [`Ledger::journal_since`]: the adjusting entries for the GL.
//! - [`Ledger::history`], [`Ledger::line_history`]: earlier months, for the history rules and
//!   `billrecon history`.
//! - [`Ledger::verify`]: every balance recomputed from the entries.

mod schema;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use billrecon_chargeback::{Ledger as Posted, PostingKind};
use billrecon_model::{usd, Dispute, Finding, History, LineMonth, Month, OpenFinding, PastMonth, PhoneNumber, Rule, Severity};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use rust_decimal::Decimal;

pub use schema::{current as schema_version, migrate, MIGRATIONS};

/// Milliseconds `post` waits after writing and before committing: a test hook for the kill tests.
pub const PAUSE_BEFORE_COMMIT: &str = "BILLRECON_TEST_PAUSE_BEFORE_COMMIT";

/// Why a ledger command could not be carried out.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("{0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the ledger was written by a newer billrecon (schema {found}; this one reads up to {supported}): upgrade billrecon to use it")]
    NewerSchema { found: i64, supported: i64 },
    /// An invoice posted before with other content, and no `--replace`.
    #[error("{0}")]
    Changed(String),
    #[error("{0}")]
    Refused(String),
    #[error("the ledger does not add up: {0}")]
    Discrepancy(String),
}

type Result<T> = std::result::Result<T, LedgerError>;

/// A connection to a ledger file.
pub struct Ledger {
    conn: Connection,
    pub path: PathBuf,
}

/// Money to cents. The chargeback gives whole cents and parsed amounts are bounded far below
/// i64 (10^12 dollars a cell), so this is exact.
fn cents(d: Decimal) -> i64 {
    use rust_decimal::prelude::ToPrimitive;
    let c = d * Decimal::ONE_HUNDRED;
    assert!(c.fract().is_zero(), "{d} is not whole cents");
    c.trunc().to_i64().expect("an amount within the ledger's range")
}

/// Cents to money.
pub fn money(c: i64) -> Decimal {
    Decimal::new(c, 2)
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
}

/// What `post` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostOutcome {
    /// Every invoice was posted before with the same content: nothing written.
    AlreadyPosted { month: String, invoices: Vec<String> },
    /// Written: invoices new, and invoices replaced (their earlier posting reversed).
    Posted { post: i64, new: Vec<String>, replaced: Vec<String>, unchanged: Vec<String>, receivables: usize, findings: usize },
}

/// What a month posts: the month, its findings, the chargeback's postings and journal, the run's
/// date, and each line's month (for the history rules).
pub struct PostInput<'a> {
    pub month: &'a Month,
    pub findings: &'a [Finding],
    pub posted: &'a Posted,
    pub as_of: NaiveDate,
    pub lines: &'a [LineMonth],
    pub account_credits: &'a [Decimal],
}

/// One employee's receivable position on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receivable {
    pub employee_id: String,
    /// Notices posted (replacements netted).
    pub billed: Decimal,
    pub paid: Decimal,
    pub waived: Decimal,
    /// billed − paid − waived; negative is a credit (an overpayment).
    pub outstanding: Decimal,
    /// Open notices not yet due, then 0–30, 31–60, 61–90 and over 90 days past due.
    pub current: Decimal,
    pub aged: [Decimal; 4],
    /// The due date of the oldest notice still open.
    pub oldest_due: Option<NaiveDate>,
}

/// A payment to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub employee_id: String,
    pub date: NaiveDate,
    pub amount: Decimal,
    pub reference: String,
}

/// What recording a payment did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayOutcome {
    Recorded {
        reference: String,
        outstanding: Decimal,
    },
    /// The reference was recorded before: nothing written.
    Duplicate {
        reference: String,
    },
}

/// A status change of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Waive,
    Dispute,
    Resolve,
}

impl Event {
    pub fn as_str(self) -> &'static str {
        match self {
            Event::Waive => "waive",
            Event::Dispute => "dispute",
            Event::Resolve => "resolve",
        }
    }

    /// The status a finding has after the event.
    pub fn status(self) -> &'static str {
        match self {
            Event::Waive => "waived",
            Event::Dispute => "disputed",
            Event::Resolve => "resolved",
        }
    }
}

/// What a finding event did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventOutcome {
    Recorded {
        status: &'static str,
        moved_back: Decimal,
    },
    /// The finding already had that status: nothing written.
    Already {
        status: &'static str,
    },
}

/// A finding's status and what happened to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub status: String,
    /// `2026-11-03 waive by J. Smith: business call to a vendor`.
    pub history: Vec<String>,
}

/// One line of a journal of adjusting entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalRow {
    pub date: NaiveDate,
    pub kind: String,
    pub account_code: String,
    pub employee_id: String,
    pub debit: Decimal,
    pub credit: Decimal,
    pub memo: String,
}

/// One month of a line, as `billrecon history` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineHistoryRow {
    pub month: String,
    pub charges: Decimal,
    pub voice_minutes: String,
    pub messages: String,
    pub used: bool,
    pub employee_id: String,
    pub account_code: String,
    /// `rule (ID, status)` of each finding on the line that month.
    pub findings: Vec<String>,
}

/// What `verify` checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub invoices: usize,
    pub journals: usize,
    pub employees: usize,
}

impl Ledger {
    /// Opens (creating if need be) the ledger at `path`, bringing its schema up to date.
    pub fn open(path: &Path) -> Result<Ledger> {
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrate(&mut conn, None)?;
        Ok(Ledger { conn, path: path.to_path_buf() })
    }

    /// The latest posted row of an invoice key.
    #[allow(clippy::type_complexity)]
    fn latest_invoice(&self, carrier: &str, account: &str, number: &str) -> Result<Option<(i64, String, i64, i64, i64)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, digest, items, billed_cents, current_charges_cents FROM invoices
                 WHERE carrier = ?1 AND account_number = ?2 AND invoice_number = ?3 ORDER BY id DESC LIMIT 1",
                params![carrier, account, number],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?)
    }

    /// Posts a reconciled month. An invoice is known by carrier, account number and invoice
    /// number: posted before with the same content it is left as it is; with other content the
    /// post is refused, unless `replace`, which reverses the earlier posting and posts this one.
    pub fn post(&mut self, input: &PostInput<'_>, replace: bool) -> Result<PostOutcome> {
        let m = input.month;
        // What to write: each new or changed invoice with its content and the row it replaces.
        let mut plan: Vec<(usize, Option<i64>, Content)> = Vec::new();
        let (mut new, mut replaced, mut unchanged, mut changes) = (vec![], vec![], vec![], vec![]);
        for (i, inv) in m.invoices.iter().enumerate() {
            let s = &inv.summary;
            let name = format!("{} {} {}", s.carrier, s.account_number, s.invoice_number);
            let content = invoice_digest(inv);
            let (digest, billed) = (&content.0, content.2);
            match self.latest_invoice(&s.carrier, &s.account_number, &s.invoice_number)? {
                None => {
                    new.push(name);
                    plan.push((i, None, content));
                }
                Some((_, d, ..)) if &d == digest => unchanged.push(name),
                Some((id, _, n, old_billed, old_current)) => {
                    changes.push(format!(
                        "invoice {name} was posted with current charges {} in {n} items billing {}; this one has {} in {} items billing {}{}",
                        usd(money(old_current)),
                        usd(money(old_billed)),
                        usd(s.current_charges),
                        inv.charges.len(),
                        usd(billed),
                        self.first_difference(id, &content.1)?.map(|d| format!(" (first difference: {d})")).unwrap_or_default()
                    ));
                    replaced.push(name);
                    plan.push((i, Some(id), content));
                }
            }
        }
        if !changes.is_empty() && !replace {
            return Err(LedgerError::Changed(format!(
                "{}: run with --replace to reverse the earlier posting and post this one",
                changes.join("; ")
            )));
        }
        if plan.is_empty() {
            return Ok(PostOutcome::AlreadyPosted { month: m.period.label.clone(), invoices: unchanged });
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let p = &m.policy;
        let date = input.as_of.to_string();
        tx.execute(
            "INSERT INTO posts (month, period_start, period_end, as_of, receivable_account, suspense_account, payable_account, cash_account, notice_due_days)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                m.period.label,
                m.period.start.to_string(),
                m.period.end.to_string(),
                date,
                p.employee_receivable_account,
                p.suspense_account,
                p.payable_account,
                p.cash_account,
                p.notice_due_days
            ],
        )?;
        let post = tx.last_insert_rowid();
        let due = (input.as_of + chrono::Duration::days(i64::from(p.notice_due_days))).to_string();
        let mut receivables = 0;
        let mut invoice_rows: BTreeMap<usize, i64> = BTreeMap::new();
        for (i, old, (digest, items, billed)) in &plan {
            let inv = &m.invoices[*i];
            let s = &inv.summary;
            if let Some(old) = old {
                reverse_invoice(&tx, *old, post, &date)?;
            }
            tx.execute(
                "INSERT INTO invoices (post_id, carrier, account_number, invoice_number, digest, items, billed_cents, current_charges_cents, replaces)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![post, s.carrier, s.account_number, s.invoice_number, digest, inv.charges.len() as i64, cents(*billed), cents(s.current_charges), old],
            )?;
            let inv_id = tx.last_insert_rowid();
            invoice_rows.insert(*i, inv_id);
            for (n, it) in items.iter().enumerate() {
                tx.execute(
                    "INSERT INTO invoice_items (invoice_id, n, line, category, description, amount_cents) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![inv_id, n as i64 + 1, it.0, it.1, it.2, it.3],
                )?;
            }
            for e in input.posted.postings.iter().filter(|x| x.invoice == *i) {
                tx.execute(
                    "INSERT INTO entries (kind, post_id, invoice_id, posting_kind, account_code, employee_id, line, category, description, amount_cents, basis, finding_id, sources, date)
                     VALUES ('posting', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                    params![
                        post,
                        inv_id,
                        e.kind.as_str(),
                        e.account_code,
                        e.employee_id,
                        e.line.map(|l| l.to_string()).unwrap_or_default(),
                        e.category.map(|c| c.as_str()).unwrap_or(""),
                        e.description,
                        cents(e.amount),
                        e.basis.to_string(),
                        e.finding.clone().unwrap_or_default(),
                        e.sources.iter().map(|s| s.to_string()).collect::<Vec<_>>().join("; "),
                        date
                    ],
                )?;
                if e.kind == PostingKind::LiabilityIn && e.amount > Decimal::ZERO {
                    let finding = e.finding.clone().unwrap_or_default();
                    let account = input
                        .findings
                        .iter()
                        .find(|f| Some(&f.id) == e.finding.as_ref())
                        .map(|f| f.account_code.clone())
                        .unwrap_or_default();
                    tx.execute(
                        "INSERT INTO receivables (post_id, invoice_id, finding_id, employee_id, account_code, amount_cents, notice_date, due_date)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                        params![post, inv_id, finding, e.employee_id, account, cents(e.amount), date, due],
                    )?;
                    receivables += 1;
                    // A finding waived before stays waived on the replacement's notice.
                    let waived: Option<(i64, String)> = tx
                        .query_row(
                            "SELECT id, reason FROM events WHERE finding_id = ?1 AND id = (SELECT MAX(id) FROM events WHERE finding_id = ?1) AND event = 'waive'",
                            [&finding],
                            |r| Ok((r.get(0)?, r.get(1)?)),
                        )
                        .optional()?;
                    if let Some((ev, reason)) = waived {
                        let rule = input.findings.iter().find(|f| f.id == finding).map(|f| f.rule.as_str()).unwrap_or("");
                        let memo = format!("waiver of {finding} ({rule}), kept on the replacement: {reason}");
                        write_waiver(
                            &tx,
                            ev,
                            Some(post),
                            &finding,
                            rule,
                            &account,
                            &p.employee_receivable_account,
                            &e.employee_id,
                            cents(e.amount),
                            &memo,
                            &date,
                        )?;
                    }
                }
            }
            for j in input.posted.journal.iter().filter(|x| x.invoice == *i) {
                tx.execute(
                    "INSERT INTO journal (kind, post_id, invoice_id, account_code, employee_id, debit_cents, credit_cents, memo, date)
                     VALUES ('posting', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![post, inv_id, j.account_code, j.employee_id, cents(j.debit), cents(j.credit), j.memo, date],
                )?;
            }
        }
        // Findings (each once: ids are content hashes), the month's lines and assignments.
        let mut findings = 0;
        for f in input.findings {
            // Once a month: a line's same problem next month has the same id (a content hash).
            let known: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM findings WHERE finding_id = ?1 AND month = ?2)",
                params![f.id, m.period.label],
                |r| r.get(0),
            )?;
            if known {
                continue;
            }
            tx.execute(
                "INSERT INTO findings (post_id, finding_id, month, rule, severity, line, employee_id, account_code, amount_cents, liable_cents, detail, sources)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![
                    post,
                    f.id,
                    m.period.label,
                    f.rule.as_str(),
                    f.severity.as_str(),
                    f.line.map(|l| l.to_string()).unwrap_or_default(),
                    f.employee_id,
                    f.account_code,
                    cents(f.amount),
                    cents(f.employee_liable),
                    f.detail,
                    f.sources_text()
                ],
            )?;
            findings += 1;
        }
        for l in input.lines {
            tx.execute(
                "INSERT INTO line_months (post_id, month, line, charges_cents, credits, voice_minutes, messages, used, employee_id, account_code)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    post,
                    m.period.label,
                    l.line.to_string(),
                    cents(l.charges),
                    l.credits.iter().map(|c| cents(*c).to_string()).collect::<Vec<_>>().join(","),
                    l.voice_minutes.normalize().to_string(),
                    l.messages.normalize().to_string(),
                    l.used,
                    l.employee_id,
                    l.account_code
                ],
            )?;
        }
        for c in input.account_credits {
            tx.execute(
                "INSERT INTO account_credits (post_id, month, amount_cents) VALUES (?1, ?2, ?3)",
                params![post, m.period.label, cents(*c)],
            )?;
        }
        for a in &m.inventory {
            tx.execute(
                "INSERT INTO assignments (post_id, line, employee_id, account_code, start, end, plan, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![post, a.line.to_string(), a.employee_id, a.account_code, a.start.to_string(), a.end.map(|e| e.to_string()).unwrap_or_default(), a.plan, a.status.as_str()],
            )?;
        }
        // A test hook: everything written, nothing committed yet (the reliability tests kill the
        // process here to show a post is all or nothing).
        if let Some(ms) = std::env::var(PAUSE_BEFORE_COMMIT).ok().and_then(|v| v.parse::<u64>().ok()) {
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
        tx.commit()?;
        Ok(PostOutcome::Posted { post, new, replaced, unchanged, receivables, findings })
    }

    /// The first item where a posted invoice and this one differ, in words.
    fn first_difference(&self, invoice: i64, new: &[Item]) -> Result<Option<String>> {
        let mut st = self
            .conn
            .prepare("SELECT line, category, description, amount_cents FROM invoice_items WHERE invoice_id = ?1 ORDER BY n")?;
        let old: Vec<(String, String, String, i64)> = st
            .query_map([invoice], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<std::result::Result<_, _>>()?;
        let show = |x: &(String, String, String, i64)| {
            format!("{} {} \"{}\" {}", if x.0.is_empty() { "account" } else { &x.0 }, x.1, x.2, usd(money(x.3)))
        };
        for (n, (a, b)) in old.iter().zip(new).enumerate() {
            if a != b {
                return Ok(Some(format!("item {}: was {}, now {}", n + 1, show(a), show(b))));
            }
        }
        Ok(match old.len().cmp(&new.len()) {
            std::cmp::Ordering::Less => Some(format!("item {} is new: {}", old.len() + 1, show(&new[old.len()]))),
            std::cmp::Ordering::Greater => Some(format!("item {} is gone: {}", new.len() + 1, show(&old[new.len()]))),
            std::cmp::Ordering::Equal => None,
        })
    }

    /// Receivable positions on `as_of`, per employee (all, or one): payments apply to the oldest
    /// notice first; a waiver cancels its finding's notice.
    pub fn receivables(&self, as_of: NaiveDate, employee: Option<&str>) -> Result<Vec<Receivable>> {
        // A replaced notice nets to nothing: only what is owed counts.
        let notices: Vec<Notice> = self.notices()?.into_iter().filter(|n| n.amount > 0).collect();
        let waived = self.waivers()?;
        let mut paid: BTreeMap<String, i64> = BTreeMap::new();
        {
            let mut st = self.conn.prepare("SELECT employee_id, amount_cents FROM payments ORDER BY date, id")?;
            for r in st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
                let (e, a) = r?;
                *paid.entry(e).or_default() += a;
            }
        }
        let mut employees: Vec<String> = notices.iter().map(|n| n.employee.clone()).chain(paid.keys().cloned()).collect();
        employees.sort();
        employees.dedup();
        let mut out = Vec::new();
        for e in employees.into_iter().filter(|e| employee.is_none_or(|x| x == e)) {
            let mine: Vec<&Notice> = notices.iter().filter(|n| n.employee == e).collect();
            let billed: i64 = mine.iter().map(|n| n.amount).sum();
            let w: i64 = mine.iter().map(|n| waived.get(&n.finding).copied().unwrap_or(0).min(n.amount)).sum();
            let p = paid.get(&e).copied().unwrap_or(0);
            // Oldest first: what payments leave of each open notice.
            let mut left = p;
            let (mut current, mut aged, mut oldest) = (0i64, [0i64; 4], None);
            for n in &mine {
                let open = n.amount - waived.get(&n.finding).copied().unwrap_or(0).min(n.amount);
                let applied = open.min(left.max(0));
                left -= applied;
                let rest = open - applied;
                if rest <= 0 {
                    continue;
                }
                oldest.get_or_insert(n.due);
                let late = (as_of - n.due).num_days();
                match late {
                    d if d <= 0 => current += rest,
                    1..=30 => aged[0] += rest,
                    31..=60 => aged[1] += rest,
                    61..=90 => aged[2] += rest,
                    _ => aged[3] += rest,
                }
            }
            out.push(Receivable {
                employee_id: e,
                billed: money(billed),
                paid: money(p),
                waived: money(w),
                outstanding: money(billed - w - p),
                current: money(current),
                aged: aged.map(money),
                oldest_due: oldest,
            });
        }
        Ok(out)
    }

    /// Every notice (a receivable net of its reversals; a replaced one nets to nothing), oldest
    /// due first.
    fn notices(&self) -> Result<Vec<Notice>> {
        let mut st = self.conn.prepare(
            "SELECT r.id, r.employee_id, r.finding_id, r.amount_cents + COALESCE((SELECT SUM(x.amount_cents) FROM receivables x WHERE x.reverses = r.id), 0),
                    r.due_date
             FROM receivables r WHERE r.reverses IS NULL ORDER BY r.due_date, r.id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(Notice { employee: r.get(1)?, finding: r.get(2)?, amount: r.get(3)?, due: day(&r.get::<_, String>(4)?) })
        })?;
        Ok(rows.collect::<std::result::Result<Vec<_>, _>>()?)
    }

    /// Waived cents by finding: the receivable side of its waiver entries, net of reversals.
    fn waivers(&self) -> Result<BTreeMap<String, i64>> {
        let mut st = self.conn.prepare(
            "SELECT finding_id, -SUM(amount_cents) FROM entries WHERE posting_kind = 'waiver' AND employee_id <> '' GROUP BY finding_id",
        )?;
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Records payments, each in the journal (the deposit debited, the receivable credited).
    /// A reference recorded before is a no-op that says so.
    pub fn pay(&mut self, payments: &[Payment]) -> Result<Vec<PayOutcome>> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut out = Vec::new();
        for p in payments {
            if p.amount <= Decimal::ZERO || p.amount.round_dp(2) != p.amount {
                return Err(LedgerError::Refused(format!(
                    "payment {}: {} is not a positive amount in cents",
                    p.reference, p.amount
                )));
            }
            let seen: bool =
                tx.query_row("SELECT EXISTS (SELECT 1 FROM payments WHERE reference = ?1)", [&p.reference], |r| r.get(0))?;
            if seen {
                out.push(PayOutcome::Duplicate { reference: p.reference.clone() });
                continue;
            }
            let accounts: Option<(String, String)> = tx
                .query_row(
                    "SELECT p.receivable_account, p.cash_account FROM receivables r JOIN posts p ON p.id = r.post_id
                     WHERE r.employee_id = ?1 ORDER BY r.id DESC LIMIT 1",
                    [&p.employee_id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let Some((receivable, cash)) = accounts else {
                return Err(LedgerError::Refused(format!(
                    "payment {}: no notice was ever posted for employee {}: check the id",
                    p.reference, p.employee_id
                )));
            };
            tx.execute(
                "INSERT INTO payments (employee_id, date, amount_cents, reference, receivable_account, cash_account) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![p.employee_id, p.date.to_string(), cents(p.amount), p.reference, receivable, cash],
            )?;
            let id = tx.last_insert_rowid();
            let memo = format!("payment {} from {}", p.reference, p.employee_id);
            for (account, emp, debit, credit) in
                [(&cash, "", cents(p.amount), 0), (&receivable, p.employee_id.as_str(), 0, cents(p.amount))]
            {
                tx.execute(
                    "INSERT INTO journal (kind, payment_id, account_code, employee_id, debit_cents, credit_cents, memo, date) VALUES ('payment', ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![id, account, emp, debit, credit, memo, p.date.to_string()],
                )?;
            }
            out.push(PayOutcome::Recorded { reference: p.reference.clone(), outstanding: Decimal::ZERO });
        }
        tx.commit()?;
        // What each employee now owes (negative: a credit).
        for o in out.iter_mut() {
            if let PayOutcome::Recorded { reference, outstanding } = o {
                let p = payments.iter().find(|p| &p.reference == reference).expect("a payment just recorded");
                *outstanding = self.receivables(p.date, Some(&p.employee_id))?.first().map_or(Decimal::ZERO, |r| r.outstanding);
            }
        }
        Ok(out)
    }

    /// The latest recorded copy of a finding: (rule, employee, account, liable cents, month).
    #[allow(clippy::type_complexity)]
    fn finding(&self, id: &str) -> Result<Option<(String, String, String, i64, String)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT rule, employee_id, account_code, liable_cents, month FROM findings WHERE finding_id = ?1 ORDER BY id DESC LIMIT 1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?)
    }

    /// A finding's status: its last event, or `open`.
    pub fn status(&self, id: &str) -> Result<Status> {
        let mut st = self.conn.prepare(
            "SELECT event, reason, by_name, case_ref, date, amount_cents FROM events WHERE finding_id = ?1 ORDER BY id",
        )?;
        let mut status = "open".to_string();
        let mut history = Vec::new();
        for r in st.query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
            ))
        })? {
            let (event, reason, by, case, date, amount) = r?;
            let ev = match event.as_str() {
                "waive" => Event::Waive,
                "dispute" => Event::Dispute,
                _ => Event::Resolve,
            };
            status = ev.status().to_string();
            let mut h = format!("{date} {} by {by}: {reason}", ev.status());
            if !case.is_empty() {
                h.push_str(&format!(" (carrier case {case})"));
            }
            if amount != 0 {
                h.push_str(&format!(" ({} back to the program)", usd(money(amount))));
            }
            history.push(h);
        }
        Ok(Status { status, history })
    }

    /// Waives, disputes or resolves a finding. Waiving a liability cancels its notice: the
    /// amount goes back to the program's account code (debited) from the receivable (credited).
    pub fn event(&mut self, id: &str, event: Event, reason: &str, by: &str, case: &str, date: NaiveDate) -> Result<EventOutcome> {
        let Some((rule, employee, account, _, _)) = self.finding(id)? else {
            return Err(LedgerError::Refused(format!(
                "no finding {id} was posted: `billrecon findings MONTH --ledger` lists them"
            )));
        };
        let now = self.status(id)?;
        if now.status == event.status() {
            return Ok(EventOutcome::Already { status: event.status() });
        }
        if now.status == "waived" {
            return Err(LedgerError::Refused(format!("finding {id} was waived: a waiver is final")));
        }
        if reason.trim().is_empty() || by.trim().is_empty() {
            return Err(LedgerError::Refused("give the reason (--reason) and who decided (--by)".into()));
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // The notice still to cancel: what was posted for the finding, net of reversals.
        let mut back = 0i64;
        let mut receivable_account = String::new();
        if event == Event::Waive {
            let (amount, acct): (i64, Option<String>) = tx.query_row(
                "SELECT COALESCE(SUM(r.amount_cents), 0), (SELECT p.receivable_account FROM receivables x JOIN posts p ON p.id = x.post_id WHERE x.finding_id = ?1 ORDER BY x.id DESC LIMIT 1)
                 FROM receivables r WHERE r.finding_id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            back = amount.max(0);
            receivable_account = acct.unwrap_or_default();
        }
        tx.execute(
            "INSERT INTO events (finding_id, event, reason, by_name, case_ref, amount_cents, date) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id, event.as_str(), reason.trim(), by.trim(), case.trim(), back, date.to_string()],
        )?;
        let ev = tx.last_insert_rowid();
        if back > 0 {
            let memo = format!("waiver of {id} ({rule}): {}", reason.trim());
            write_waiver(&tx, ev, None, id, &rule, &account, &receivable_account, &employee, back, &memo, &date.to_string())?;
        }
        tx.commit()?;
        Ok(EventOutcome::Recorded { status: event.status(), moved_back: money(back) })
    }

    /// Journal lines of adjusting entries dated on or after `since`: reversals, waivers,
    /// payments, and the new posting of a replaced invoice; by date, then as recorded.
    pub fn journal_since(&self, since: NaiveDate) -> Result<Vec<JournalRow>> {
        let mut st = self.conn.prepare(
            "SELECT j.date, CASE WHEN j.kind = 'posting' THEN 'replacement' ELSE j.kind END, j.account_code, j.employee_id, j.debit_cents, j.credit_cents, j.memo
             FROM journal j
             WHERE (j.kind IN ('reversal', 'waiver', 'payment')
                    OR (j.kind = 'posting' AND j.invoice_id IN (SELECT id FROM invoices WHERE replaces IS NOT NULL)))
               AND j.date >= ?1
             ORDER BY j.date, j.id",
        )?;
        let rows = st.query_map([since.to_string()], |r| {
            Ok(JournalRow {
                date: day(&r.get::<_, String>(0)?),
                kind: r.get(1)?,
                account_code: r.get(2)?,
                employee_id: r.get(3)?,
                debit: money(r.get(4)?),
                credit: money(r.get(5)?),
                memo: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// What the ledger holds of the months before `month`: each month's lines (its latest
    /// post), the findings still open, and the disputes.
    pub fn history(&self, month: &str) -> Result<History> {
        let mut months: Vec<PastMonth> = Vec::new();
        let mut st = self.conn.prepare(
            "SELECT month, MAX(id), period_start, period_end FROM posts WHERE month < ?1
             AND id IN (SELECT DISTINCT post_id FROM line_months) GROUP BY month ORDER BY month",
        )?;
        let posts: Vec<(String, i64, String, String)> = st
            .query_map([month], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<std::result::Result<_, _>>()?;
        for (label, post, start, end) in posts {
            let mut ls = self.conn.prepare(
                "SELECT line, charges_cents, credits, voice_minutes, messages, used, employee_id, account_code FROM line_months WHERE post_id = ?1 ORDER BY line",
            )?;
            let lines = ls
                .query_map([post], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, bool>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, String>(7)?,
                    ))
                })?
                .collect::<std::result::Result<Vec<_>, _>>()?
                .into_iter()
                .filter_map(|(line, charges, credits, voice, msgs, used, emp, acct)| {
                    Some(LineMonth {
                        line: PhoneNumber::parse(&line).ok()?,
                        charges: money(charges),
                        credits: credits.split(',').filter(|c| !c.is_empty()).filter_map(|c| c.parse().ok()).map(money).collect(),
                        voice_minutes: voice.parse().unwrap_or_default(),
                        messages: msgs.parse().unwrap_or_default(),
                        used,
                        employee_id: emp,
                        account_code: acct,
                    })
                })
                .collect();
            let mut cs = self.conn.prepare("SELECT amount_cents FROM account_credits WHERE post_id = ?1")?;
            let account_credits = cs
                .query_map([post], |r| r.get::<_, i64>(0))?
                .collect::<std::result::Result<Vec<_>, _>>()?
                .into_iter()
                .map(money)
                .collect();
            months.push(PastMonth { label, start: day(&start), end: day(&end), lines, account_credits });
        }
        let mut open_findings = Vec::new();
        let mut disputes = Vec::new();
        // Each finding once, as first found (its earliest month).
        let mut fs = self.conn.prepare(
            "SELECT f.finding_id, f.rule, f.severity, f.line, f.month, f.amount_cents FROM findings f
             WHERE f.month < ?1 AND f.id = (SELECT MIN(g.id) FROM findings g WHERE g.finding_id = f.finding_id) ORDER BY f.month, f.finding_id",
        )?;
        let rows: Vec<(String, String, String, String, String, i64)> = fs
            .query_map([month], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?
            .collect::<std::result::Result<_, _>>()?;
        for (id, rule, severity, line, m, amount) in rows {
            let status = self.status(&id)?;
            let (Some(rule), Some(severity)) = (Rule::from_key(&rule), Severity::from_key(&severity)) else { continue };
            let line = PhoneNumber::parse(&line).ok();
            if status.status == "open" {
                open_findings.push(OpenFinding { id: id.clone(), rule, severity, line, month: m.clone() });
            }
            if status.status == "disputed" {
                let case: String = self.conn.query_row(
                    "SELECT case_ref FROM events WHERE finding_id = ?1 AND event = 'dispute' ORDER BY id DESC LIMIT 1",
                    [&id],
                    |r| r.get(0),
                )?;
                disputes.push(Dispute { finding_id: id, line, amount: money(amount), month: m, case });
            }
        }
        Ok(History { months, open_findings, disputes })
    }

    /// A line's months: charges, use, holder, account and findings.
    pub fn line_history(&self, line: &PhoneNumber) -> Result<Vec<LineHistoryRow>> {
        let mut st = self.conn.prepare(
            "SELECT l.month, l.charges_cents, l.voice_minutes, l.messages, l.used, l.employee_id, l.account_code FROM line_months l
             WHERE l.line = ?1 AND l.post_id = (SELECT MAX(p.id) FROM posts p JOIN line_months x ON x.post_id = p.id WHERE p.month = l.month AND x.line = l.line)
             ORDER BY l.month",
        )?;
        let rows: Vec<(String, i64, String, String, bool, String, String)> = st
            .query_map([line.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))?
            .collect::<std::result::Result<_, _>>()?;
        let mut out = Vec::new();
        for (month, charges, voice, msgs, used, emp, acct) in rows {
            let mut fs = self.conn.prepare(
                "SELECT DISTINCT finding_id, rule FROM findings WHERE line = ?1 AND month = ?2 ORDER BY rule, finding_id",
            )?;
            let found: Vec<(String, String)> = fs
                .query_map([line.to_string(), month.clone()], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<std::result::Result<_, _>>()?;
            let mut findings = Vec::new();
            for (id, rule) in found {
                findings.push(format!("{rule} ({id}, {})", self.status(&id)?.status));
            }
            out.push(LineHistoryRow {
                month,
                charges: money(charges),
                voice_minutes: voice,
                messages: msgs,
                used,
                employee_id: emp,
                account_code: acct,
                findings,
            });
        }
        Ok(out)
    }

    /// Recomputes every balance from the entries: the database is sound, postings equal what
    /// each invoice billed (and a replaced invoice's reversals undo it exactly), every journal
    /// balances, and every employee's receivable in the journal equals notices less payments and
    /// waivers. The first discrepancy is the error.
    pub fn verify(&self) -> Result<Verified> {
        let check: String = self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if check != "ok" {
            return Err(LedgerError::Discrepancy(format!("integrity_check: {check}")));
        }
        let mut st = self.conn.prepare(
            "SELECT i.id, i.carrier || ' ' || i.account_number || ' ' || i.invoice_number, i.billed_cents,
                    COALESCE((SELECT SUM(amount_cents) FROM entries e WHERE e.invoice_id = i.id AND e.kind = 'posting'), 0),
                    COALESCE((SELECT SUM(amount_cents) FROM entries e WHERE e.invoice_id = i.id AND e.kind = 'reversal'), 0),
                    EXISTS (SELECT 1 FROM invoices r WHERE r.replaces = i.id)
             FROM invoices i ORDER BY i.id",
        )?;
        let invoices: Vec<(i64, String, i64, i64, i64, bool)> = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?
            .collect::<std::result::Result<_, _>>()?;
        for (_, name, billed, posted, reversed, replaced) in &invoices {
            if posted != billed {
                return Err(LedgerError::Discrepancy(format!(
                    "invoice {name}: postings {} but billed {}",
                    usd(money(*posted)),
                    usd(money(*billed))
                )));
            }
            let want = if *replaced { -billed } else { 0 };
            if *reversed != want {
                return Err(LedgerError::Discrepancy(format!(
                    "invoice {name}: reversals {} where {} was due",
                    usd(money(*reversed)),
                    usd(money(want))
                )));
            }
        }
        let mut js = self.conn.prepare(
            "SELECT kind, COALESCE(post_id, 0), COALESCE(invoice_id, 0), COALESCE(event_id, 0), COALESCE(payment_id, 0), SUM(debit_cents), SUM(credit_cents)
             FROM journal GROUP BY kind, post_id, invoice_id, event_id, payment_id",
        )?;
        let journals: Vec<(String, i64, i64, i64, i64, i64, i64)> = js
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))?
            .collect::<std::result::Result<_, _>>()?;
        for (kind, post, inv, ev, pay, dr, cr) in &journals {
            if dr != cr {
                return Err(LedgerError::Discrepancy(format!(
                    "the {kind} journal (post {post}, invoice {inv}, event {ev}, payment {pay}) has debits {} and credits {}",
                    usd(money(*dr)),
                    usd(money(*cr))
                )));
            }
        }
        // Each employee's receivable, two ways.
        let positions = self.receivables(NaiveDate::MAX, None)?;
        let mut rs = self.conn.prepare(
            "SELECT j.employee_id, SUM(j.debit_cents) - SUM(j.credit_cents) FROM journal j
             WHERE j.employee_id <> '' AND j.account_code IN (SELECT receivable_account FROM posts UNION SELECT receivable_account FROM payments)
             GROUP BY j.employee_id",
        )?;
        let in_journal: BTreeMap<String, i64> =
            rs.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<std::result::Result<_, _>>()?;
        for p in &positions {
            let j = money(in_journal.get(&p.employee_id).copied().unwrap_or(0));
            if j != p.outstanding {
                return Err(LedgerError::Discrepancy(format!(
                    "employee {}: the journal's receivable is {} but notices {} less payments {} and waivers {} make {}",
                    p.employee_id,
                    usd(j),
                    usd(p.billed),
                    usd(p.paid),
                    usd(p.waived),
                    usd(p.outstanding)
                )));
            }
        }
        for n in self.notices()? {
            if n.amount < 0 {
                return Err(LedgerError::Discrepancy(format!("notice of {} for {} is negative", n.employee, n.finding)));
            }
        }
        Ok(Verified { invoices: invoices.len(), journals: journals.len(), employees: positions.len() })
    }

    /// The months posted, oldest first: (month, latest post, its date).
    pub fn months(&self) -> Result<Vec<(String, i64, String)>> {
        let mut st = self.conn.prepare("SELECT month, MAX(id), as_of FROM posts GROUP BY month ORDER BY month")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// The connection, for tests and `ledger verify`'s own checks.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

struct Notice {
    employee: String,
    finding: String,
    amount: i64,
    due: NaiveDate,
}

/// An invoice item as the ledger keeps it: line, category, description, cents.
type Item = (String, String, String, i64);

/// An invoice's content as the ledger compares and records it: a digest of its summary and
/// items, the items in order, and what it billed.
type Content = (String, Vec<Item>, Decimal);

fn invoice_digest(inv: &billrecon_model::Invoice) -> Content {
    let s = &inv.summary;
    let items: Vec<Item> = inv
        .charges
        .iter()
        .map(|c| {
            (
                c.line.map(|l| l.to_string()).unwrap_or_default(),
                c.category.as_str().to_string(),
                c.description.trim().to_string(),
                cents(c.amount),
            )
        })
        .collect();
    let mut text = format!(
        "{}|{}|{}|{}|{}|{}",
        s.carrier,
        s.account_number,
        s.invoice_number,
        cents(s.current_charges),
        cents(s.total_due),
        cents(s.previous_balance)
    );
    for it in &items {
        text.push_str(&format!("\n{}|{}|{}|{}", it.0, it.1, it.2, it.3));
    }
    // FNV-1a, 64 bits: the same text, the same digest, on every machine.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (format!("{h:016x}-{}", text.len()), items, inv.charges.iter().map(|c| c.amount).sum())
}

/// A waiver's money: `amount` back to the program's `account` (debited) from the employee's
/// receivable (credited), as entries and journal lines of event `ev`.
#[allow(clippy::too_many_arguments)]
fn write_waiver(
    tx: &rusqlite::Transaction<'_>,
    ev: i64,
    post: Option<i64>,
    finding: &str,
    rule: &str,
    account: &str,
    receivable: &str,
    employee: &str,
    amount: i64,
    memo: &str,
    date: &str,
) -> Result<()> {
    for (acct, emp, signed, debit, credit) in [(account, "", amount, amount, 0), (receivable, employee, -amount, 0, amount)] {
        tx.execute(
            "INSERT INTO entries (kind, post_id, event_id, posting_kind, account_code, employee_id, line, category, description, amount_cents, basis, finding_id, sources, date)
             VALUES ('waiver', ?1, ?2, 'waiver', ?3, ?4, '', '', ?5, ?6, ?7, ?8, '', ?9)",
            params![post, ev, acct, emp, rule, signed, format!("waiver {finding}"), finding, date],
        )?;
        tx.execute(
            "INSERT INTO journal (kind, post_id, event_id, account_code, employee_id, debit_cents, credit_cents, memo, date) VALUES ('waiver', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![post, ev, acct, emp, debit, credit, memo, date],
        )?;
    }
    Ok(())
}

/// Reverses everything an invoice row posted: its entries and journal negated, its notices
/// cancelled by negative receivables, and the money of waivers of those notices undone (a
/// waived finding is waived again on the new posting).
fn reverse_invoice(tx: &rusqlite::Transaction<'_>, invoice: i64, post: i64, date: &str) -> Result<()> {
    // Waivers of this invoice's notices, net per event and side: undone.
    tx.execute(
        "INSERT INTO entries (kind, post_id, event_id, posting_kind, account_code, employee_id, line, category, description, amount_cents, basis, finding_id, sources, date)
         SELECT 'reversal', ?2, event_id, 'waiver', account_code, employee_id, '', '', 'reversal: ' || description, -SUM(amount_cents), basis, finding_id, '', ?3
         FROM entries WHERE posting_kind = 'waiver'
           AND finding_id IN (SELECT finding_id FROM receivables WHERE invoice_id = ?1 AND reverses IS NULL)
         GROUP BY event_id, account_code, employee_id HAVING SUM(amount_cents) <> 0 ORDER BY MIN(id)",
        params![invoice, post, date],
    )?;
    tx.execute(
        "INSERT INTO journal (kind, post_id, event_id, account_code, employee_id, debit_cents, credit_cents, memo, date)
         SELECT 'reversal', ?2, event_id, account_code, employee_id,
                MAX(SUM(credit_cents) - SUM(debit_cents), 0), MAX(SUM(debit_cents) - SUM(credit_cents), 0), 'reversal: ' || MIN(memo), ?3
         FROM journal WHERE event_id IN (SELECT id FROM events WHERE event = 'waive'
                AND finding_id IN (SELECT finding_id FROM receivables WHERE invoice_id = ?1 AND reverses IS NULL))
         GROUP BY event_id, account_code, employee_id HAVING SUM(debit_cents) <> SUM(credit_cents) ORDER BY MIN(id)",
        params![invoice, post, date],
    )?;
    tx.execute(
        "INSERT INTO entries (kind, post_id, invoice_id, posting_kind, account_code, employee_id, line, category, description, amount_cents, basis, finding_id, sources, date)
         SELECT 'reversal', ?2, invoice_id, posting_kind, account_code, employee_id, line, category, 'reversal: ' || description, -amount_cents, basis, finding_id, sources, ?3
         FROM entries WHERE invoice_id = ?1 AND kind = 'posting' ORDER BY id",
        params![invoice, post, date],
    )?;
    tx.execute(
        "INSERT INTO journal (kind, post_id, invoice_id, account_code, employee_id, debit_cents, credit_cents, memo, date)
         SELECT 'reversal', ?2, invoice_id, account_code, employee_id, credit_cents, debit_cents, 'reversal: ' || memo, ?3
         FROM journal WHERE invoice_id = ?1 AND kind = 'posting' ORDER BY id",
        params![invoice, post, date],
    )?;
    tx.execute(
        "INSERT INTO receivables (post_id, invoice_id, finding_id, employee_id, account_code, amount_cents, reverses, notice_date, due_date)
         SELECT ?2, invoice_id, finding_id, employee_id, account_code, -amount_cents, id, ?3, due_date
         FROM receivables WHERE invoice_id = ?1 AND reverses IS NULL ORDER BY id",
        params![invoice, post, date],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests;
