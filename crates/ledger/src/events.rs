//! What people decide about a finding: waive, dispute, resolve. A waiver moves the liability
//! back to the program; it is final.

use billrecon_model::{usd, FreeText};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use rust_decimal::Decimal;

use crate::db::{money, pause_before_commit, Ledger, Stamp};
use crate::error::{LedgerError, Result};

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

    fn from_key(key: &str) -> Option<Event> {
        [Event::Waive, Event::Dispute, Event::Resolve].into_iter().find(|e| e.as_str() == key)
    }

    /// The status a finding has after the event.
    pub fn status(self) -> FindingStatus {
        match self {
            Event::Waive => FindingStatus::Waived,
            Event::Dispute => FindingStatus::Disputed,
            Event::Resolve => FindingStatus::Resolved,
        }
    }
}

/// Where a posted finding stands: its last event, or open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FindingStatus {
    Open,
    Waived,
    Disputed,
    Resolved,
}

impl FindingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingStatus::Open => "open",
            FindingStatus::Waived => "waived",
            FindingStatus::Disputed => "disputed",
            FindingStatus::Resolved => "resolved",
        }
    }
}

impl std::fmt::Display for FindingStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A decision to record.
pub struct Decision<'a> {
    pub finding: &'a str,
    pub event: Event,
    pub reason: &'a FreeText,
    /// Who decided (the person named in the record; the stamp says who typed it).
    pub by: &'a FreeText,
    /// The carrier's case reference, for a dispute.
    pub case: Option<&'a FreeText>,
    /// The date of the decision.
    pub date: NaiveDate,
    /// The finding's version (its last event id, 0 for none) the decision was made from: if
    /// someone acted since, nothing is written ([`LedgerError::Conflict`]). `None`: whatever it is.
    pub expect_version: Option<i64>,
}

/// What a finding event did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventOutcome {
    Recorded {
        status: FindingStatus,
        moved_back: Decimal,
    },
    /// The finding already had that status: nothing written.
    Already {
        status: FindingStatus,
    },
}

/// A finding's status and what happened to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub status: FindingStatus,
    /// The last event's id (0: none): the version a form is rendered from.
    pub version: i64,
    /// `2026-11-03 waived by J. Smith: business call to a vendor`.
    pub history: Vec<String>,
}

/// A finding's status read on `conn` (inside a transaction, when deciding).
pub(crate) fn status_on(conn: &Connection, id: &str) -> Result<Status> {
    let mut st = conn.prepare_cached(
        "SELECT id, event, reason, by_name, case_ref, date, amount_cents FROM events WHERE finding_id = ?1 ORDER BY id",
    )?;
    let mut status = FindingStatus::Open;
    let mut version = 0;
    let mut history = Vec::new();
    let rows = st.query_map([id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, i64>(6)?,
        ))
    })?;
    for r in rows {
        let (ev_id, event, reason, by, case, date, amount) = r?;
        let ev = Event::from_key(&event).unwrap_or(Event::Resolve);
        status = ev.status();
        version = ev_id;
        let mut h = format!("{date} {} by {by}: {reason}", ev.status());
        if !case.is_empty() {
            h.push_str(&format!(" (carrier case {case})"));
        }
        if amount != 0 {
            h.push_str(&format!(" ({} back to the program)", usd(money(amount))));
        }
        history.push(h);
    }
    Ok(Status { status, version, history })
}

impl Ledger {
    /// A finding's status: its last event, or open.
    pub fn status(&self, id: &str) -> Result<Status> {
        status_on(&self.conn, id)
    }

    /// Whether a finding was ever posted, and its status if so.
    pub fn posted_status(&self, id: &str) -> Result<Option<Status>> {
        let posted: bool =
            self.conn.query_row("SELECT EXISTS (SELECT 1 FROM findings WHERE finding_id = ?1)", [id], |r| r.get(0))?;
        if !posted {
            return Ok(None);
        }
        Ok(Some(self.status(id)?))
    }

    /// Waives, disputes or resolves a finding. Waiving a liability cancels its notice: the
    /// amount goes back to the program's account code (debited) from the receivable (credited).
    ///
    /// The finding, its status and its notice are read inside the write transaction, so of two
    /// decisions at once the second sees the first: two waivers give one waiver and `Already`;
    /// a dispute after a waiver is refused.
    pub fn event(&mut self, d: &Decision<'_>, stamp: &Stamp) -> Result<EventOutcome> {
        let id = d.finding;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found: Option<(String, String, String)> = tx
            .query_row(
                "SELECT rule, employee_id, account_code FROM findings WHERE finding_id = ?1 ORDER BY id DESC LIMIT 1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((rule, employee, account)) = found else {
            return Err(LedgerError::Refused(format!(
                "no finding {id} was posted: `billrecon findings MONTH --ledger` lists them"
            )));
        };
        let now = status_on(&tx, id)?;
        if let Some(v) = d.expect_version {
            if v != now.version {
                let what = now.history.last().cloned().unwrap_or_else(|| "it is open".into());
                return Err(LedgerError::Conflict {
                    finding: id.to_string(),
                    what: format!("it is now {} ({what})", now.status),
                });
            }
        }
        if now.status == d.event.status() {
            return Ok(EventOutcome::Already { status: now.status });
        }
        if now.status == FindingStatus::Waived {
            return Err(LedgerError::Refused(format!("finding {id} was waived: a waiver is final")));
        }
        // The notice still to cancel: what was posted for the finding, net of reversals.
        let mut back = 0i64;
        let mut receivable_account = String::new();
        if d.event == Event::Waive {
            let (amount, acct): (i64, Option<String>) = tx.query_row(
                "SELECT COALESCE(SUM(r.amount_cents), 0), (SELECT p.receivable_account FROM receivables x JOIN posts p ON p.id = x.post_id WHERE x.finding_id = ?1 ORDER BY x.id DESC LIMIT 1)
                 FROM receivables r WHERE r.finding_id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            back = amount.max(0);
            receivable_account = acct.unwrap_or_default();
        }
        let case = d.case.map_or("", FreeText::as_str);
        tx.execute(
            "INSERT INTO events (finding_id, event, reason, by_name, case_ref, amount_cents, date, actor, source, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                id,
                d.event.as_str(),
                d.reason.as_str(),
                d.by.as_str(),
                case,
                back,
                d.date.to_string(),
                stamp.actor.as_str(),
                stamp.source.as_str(),
                stamp.at_text()
            ],
        )?;
        let ev = tx.last_insert_rowid();
        if back > 0 {
            let memo = format!("waiver of {id} ({rule}): {}", d.reason);
            write_waiver(&tx, ev, None, id, &rule, &account, &receivable_account, &employee, back, &memo, &d.date.to_string())?;
        }
        pause_before_commit();
        tx.commit()?;
        Ok(EventOutcome::Recorded { status: d.event.status(), moved_back: money(back) })
    }
}

/// A waiver's money: `amount` back to the program's `account` (debited) from the employee's
/// receivable (credited), as entries and journal lines of event `ev`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn write_waiver(
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
