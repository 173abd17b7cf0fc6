//! Posting a reconciled month: its invoices, the chargeback's postings and journal, the notices
//! its liabilities become, its findings, its lines and assignments.

use std::collections::HashMap;

use billrecon_chargeback::{MonthPostings, PostingKind};
use billrecon_model::{usd, Finding, LineMonth, Month};
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};
use rust_decimal::Decimal;

use crate::db::{cents, money, pause_before_commit, Ledger, Stamp};
use crate::error::{LedgerError, Result};
use crate::events::write_waiver;

/// What `post` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostOutcome {
    /// Every invoice was posted before with the same content: nothing written.
    AlreadyPosted { month: String, invoices: Vec<String> },
    /// Written: invoices new, and invoices replaced (their earlier posting reversed).
    Posted { post: i64, new: Vec<String>, replaced: Vec<String>, unchanged: Vec<String>, receivables: usize, findings: usize },
}

/// Where the ledger stood when a month's history was read: the last post and the last finding
/// event. A post evaluated against one mark is written only if the ledger is still there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub(crate) post: i64,
    pub(crate) event: i64,
}

/// What a month posts: the month, its findings, the chargeback's postings and journal, the run's
/// date, each line's month (for the history rules), and the mark of the history the findings
/// were evaluated against (`None`: posted whatever the ledger holds).
pub struct PostInput<'a> {
    pub month: &'a Month,
    pub findings: &'a [Finding],
    pub posted: &'a MonthPostings,
    pub as_of: NaiveDate,
    pub lines: &'a [LineMonth],
    pub account_credits: &'a [Decimal],
    pub history_mark: Option<Mark>,
    /// The month's statements and notices as rendered, kept as what was sent.
    pub documents: &'a [crate::documents::Document],
}

/// The SQL post runs once per finding or posting, named, so a test can hold each to its index.
pub mod sql {
    /// Whether a finding is recorded for the month already.
    pub const FINDING_KNOWN: &str = "SELECT EXISTS (SELECT 1 FROM findings WHERE finding_id = ?1 AND month = ?2)";
    /// A finding's last event, if it is a waiver.
    pub const LAST_WAIVER: &str = "SELECT id, reason FROM events WHERE finding_id = ?1 AND id = (SELECT MAX(id) FROM events WHERE finding_id = ?1) AND event = 'waive'";
    /// The latest posting of an invoice key.
    pub const LATEST_INVOICE: &str = "SELECT id, digest, items, billed_cents, current_charges_cents FROM invoices
         WHERE carrier = ?1 AND account_number = ?2 AND invoice_number = ?3 ORDER BY id DESC LIMIT 1";
}

/// An invoice item as the ledger keeps it: line, category, description, cents.
pub(crate) type Item = (String, String, String, i64);

/// An invoice's content as the ledger compares and records it: a digest of its summary and
/// items, the items in order, and what it billed.
type Content = (String, Vec<Item>, Decimal);

/// The latest posted row of an invoice key: (id, digest, items, billed, current charges).
type InvoiceRow = (i64, String, i64, i64, i64);

pub(crate) fn mark_of(tx: &rusqlite::Connection) -> Result<Mark> {
    Ok(tx.query_row("SELECT COALESCE((SELECT MAX(id) FROM posts), 0), COALESCE((SELECT MAX(id) FROM events), 0)", [], |r| {
        Ok(Mark { post: r.get(0)?, event: r.get(1)? })
    })?)
}

impl Ledger {
    /// Posts a reconciled month. An invoice is known by carrier, account number and invoice
    /// number: posted before with the same content it is left as it is; with other content the
    /// post is refused, unless `replace`, which reverses the earlier posting and posts this one.
    ///
    /// Everything the decision rests on (each invoice's posted state, the history mark) is read
    /// inside the write transaction.
    pub fn post(&mut self, input: &PostInput<'_>, replace: bool, stamp: &Stamp) -> Result<PostOutcome> {
        let m = input.month;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // What to write: each new or changed invoice with its content and the row it replaces.
        let mut plan: Vec<(usize, Option<i64>, Content)> = Vec::new();
        let (mut new, mut replaced, mut unchanged, mut changes) = (vec![], vec![], vec![], vec![]);
        for (i, inv) in m.invoices.iter().enumerate() {
            let s = &inv.summary;
            let name = format!("{} {} {}", s.carrier, s.account_number, s.invoice_number);
            let content = invoice_digest(inv);
            let (digest, billed) = (&content.0, content.2);
            let latest: Option<InvoiceRow> = tx
                .query_row(sql::LATEST_INVOICE, params![s.carrier, s.account_number, s.invoice_number], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })
                .optional()?;
            match latest {
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
                        first_difference(&tx, id, &content.1)?.map(|d| format!(" (first difference: {d})")).unwrap_or_default()
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
        if let Some(mark) = input.history_mark {
            if mark_of(&tx)? != mark {
                return Err(LedgerError::Moved);
            }
        }
        let p = &m.policy;
        let date = input.as_of.to_string();
        tx.execute(
            "INSERT INTO posts (month, period_start, period_end, as_of, receivable_account, suspense_account, payable_account, cash_account, notice_due_days, actor, source, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                m.period.label,
                m.period.start.to_string(),
                m.period.end.to_string(),
                date,
                p.employee_receivable_account,
                p.suspense_account,
                p.payable_account,
                p.cash_account,
                p.notice_due_days,
                stamp.actor.as_str(),
                stamp.source.as_str(),
                stamp.at_text()
            ],
        )?;
        let post = tx.last_insert_rowid();
        let due = (input.as_of + chrono::Duration::days(i64::from(p.notice_due_days))).to_string();
        let by_id: HashMap<&str, &Finding> = input.findings.iter().map(|f| (f.id.as_str(), f)).collect();
        let mut receivables = 0;
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
            let mut item = tx.prepare_cached(
                "INSERT INTO invoice_items (invoice_id, n, line, category, description, amount_cents) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for (n, it) in items.iter().enumerate() {
                item.execute(params![inv_id, n as i64 + 1, it.0, it.1, it.2, it.3])?;
            }
            let mut entry = tx.prepare_cached(
                "INSERT INTO entries (kind, post_id, invoice_id, posting_kind, account_code, employee_id, line, category, description, amount_cents, basis, finding_id, sources, date)
                 VALUES ('posting', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?;
            let mut notice = tx.prepare_cached(
                "INSERT INTO receivables (post_id, invoice_id, finding_id, employee_id, account_code, amount_cents, notice_date, due_date)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            let mut last_waiver = tx.prepare_cached(sql::LAST_WAIVER)?;
            // Where the invoice's money went, kept for the month's tie-out.
            let (mut programs, mut employees, mut suspense) = (0i64, 0i64, 0i64);
            for e in input.posted.postings.iter().filter(|x| x.invoice == *i) {
                let amount = cents(e.amount);
                if e.account_code == p.employee_receivable_account {
                    employees += amount;
                } else if e.account_code == p.suspense_account {
                    suspense += amount;
                } else {
                    programs += amount;
                }
                entry.execute(params![
                    post,
                    inv_id,
                    e.kind.as_str(),
                    e.account_code,
                    e.employee_id,
                    e.line.map(|l| l.to_string()).unwrap_or_default(),
                    e.category.map(|c| c.as_str()).unwrap_or(""),
                    e.description,
                    amount,
                    e.basis.to_string(),
                    e.finding.clone().unwrap_or_default(),
                    e.sources.iter().map(|s| s.to_string()).collect::<Vec<_>>().join("; "),
                    date
                ])?;
                if e.kind == PostingKind::LiabilityIn && e.amount > Decimal::ZERO {
                    let finding = e.finding.clone().unwrap_or_default();
                    let found = by_id.get(finding.as_str());
                    let account = found.map(|f| f.account_code.clone()).unwrap_or_default();
                    notice.execute(params![post, inv_id, finding, e.employee_id, account, amount, date, due])?;
                    receivables += 1;
                    // A finding waived before stays waived on the replacement's notice.
                    let waived: Option<(i64, String)> =
                        last_waiver.query_row([&finding], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
                    if let Some((ev, reason)) = waived {
                        let rule = found.map(|f| f.rule.as_str()).unwrap_or("");
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
                            amount,
                            &memo,
                            &date,
                        )?;
                    }
                }
            }
            tx.execute(
                "INSERT INTO invoice_tieouts (invoice_id, programs_cents, employees_cents, suspense_cents) VALUES (?1, ?2, ?3, ?4)",
                params![inv_id, programs, employees, suspense],
            )?;
            let mut journal = tx.prepare_cached(
                "INSERT INTO journal (kind, post_id, invoice_id, account_code, employee_id, debit_cents, credit_cents, memo, date)
                 VALUES ('posting', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for j in input.posted.journal.iter().filter(|x| x.invoice == *i) {
                journal.execute(params![
                    post,
                    inv_id,
                    j.account_code,
                    j.employee_id,
                    cents(j.debit),
                    cents(j.credit),
                    j.memo,
                    date
                ])?;
            }
        }
        let findings = write_month(&tx, input, post)?;
        crate::documents::write(&tx, post, &m.period.label, input.documents)?;
        pause_before_commit();
        tx.commit()?;
        Ok(PostOutcome::Posted { post, new, replaced, unchanged, receivables, findings })
    }
}

/// The month's findings (each once a month: ids are content hashes), lines, account credits and
/// assignments; returns how many findings were new.
fn write_month(tx: &Transaction<'_>, input: &PostInput<'_>, post: i64) -> Result<usize> {
    let m = input.month;
    let mut findings = 0;
    let mut known = tx.prepare_cached(sql::FINDING_KNOWN)?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO findings (post_id, finding_id, month, rule, severity, line, employee_id, account_code, amount_cents, liable_cents, detail, sources)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    for f in input.findings {
        // Once a month: a line's same problem next month has the same id (a content hash).
        if known.query_row(params![f.id, m.period.label], |r| r.get::<_, bool>(0))? {
            continue;
        }
        insert.execute(params![
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
        ])?;
        findings += 1;
    }
    let mut lines = tx.prepare_cached(
        "INSERT INTO line_months (post_id, month, line, charges_cents, credits, voice_minutes, messages, used, employee_id, account_code)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for l in input.lines {
        lines.execute(params![
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
        ])?;
    }
    for c in input.account_credits {
        tx.execute(
            "INSERT INTO account_credits (post_id, month, amount_cents) VALUES (?1, ?2, ?3)",
            params![post, m.period.label, cents(*c)],
        )?;
    }
    let mut assign = tx.prepare_cached(
        "INSERT INTO assignments (post_id, line, employee_id, account_code, start, end, plan, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for a in &m.inventory {
        assign.execute(params![
            post,
            a.line.to_string(),
            a.employee_id,
            a.account_code,
            a.start.to_string(),
            a.end.map(|e| e.to_string()).unwrap_or_default(),
            a.plan,
            a.status.as_str()
        ])?;
    }
    // Who the notices go to: the employees table as posted (its emails, for `billrecon notify`).
    let mut emp = tx.prepare_cached("INSERT INTO month_employees (post_id, employee_id, name, email) VALUES (?1, ?2, ?3, ?4)")?;
    for e in &m.employees {
        emp.execute(params![post, e.employee_id, e.name, e.email])?;
    }
    Ok(findings)
}

/// The first item where a posted invoice and this one differ, in words.
fn first_difference(tx: &Transaction<'_>, invoice: i64, new: &[Item]) -> Result<Option<String>> {
    let mut st =
        tx.prepare("SELECT line, category, description, amount_cents FROM invoice_items WHERE invoice_id = ?1 ORDER BY n")?;
    let old: Vec<Item> =
        st.query_map([invoice], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect::<std::result::Result<_, _>>()?;
    let show = |x: &Item| format!("{} {} \"{}\" {}", if x.0.is_empty() { "account" } else { &x.0 }, x.1, x.2, usd(money(x.3)));
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

/// Reverses everything an invoice row posted: its entries and journal negated, its notices
/// cancelled by negative receivables, and the money of waivers of those notices undone (a
/// waived finding is waived again on the new posting).
fn reverse_invoice(tx: &Transaction<'_>, invoice: i64, post: i64, date: &str) -> Result<()> {
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
