//! Reading the ledger: the adjusting journal, the months before a month (for the history
//! rules), a line's months, the months posted.

use std::collections::HashMap;

use billrecon_model::{Dispute, History, LineMonth, OpenFinding, PastMonth, PhoneNumber, Rule, Severity};
use chrono::NaiveDate;

use crate::db::{day, money, Ledger};
use crate::error::Result;
use crate::events::FindingStatus;
use crate::post::{mark_of, Mark};

/// What an adjusting journal line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdjustmentKind {
    /// The new posting of a replaced invoice.
    Replacement,
    /// An earlier posting undone.
    Reversal,
    Waiver,
    Payment,
    /// A call an employee attested personal after the month was posted: theirs now.
    LateAttestation,
}

impl AdjustmentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AdjustmentKind::Replacement => "replacement",
            AdjustmentKind::Reversal => "reversal",
            AdjustmentKind::Waiver => "waiver",
            AdjustmentKind::Payment => "payment",
            AdjustmentKind::LateAttestation => "late_attestation",
        }
    }

    fn from_journal_kind(kind: &str) -> AdjustmentKind {
        match kind {
            "reversal" => AdjustmentKind::Reversal,
            "waiver" => AdjustmentKind::Waiver,
            "payment" => AdjustmentKind::Payment,
            "adjustment" => AdjustmentKind::LateAttestation,
            _ => AdjustmentKind::Replacement,
        }
    }
}

impl std::fmt::Display for AdjustmentKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One line of a journal of adjusting entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalRow {
    pub date: NaiveDate,
    pub kind: AdjustmentKind,
    pub account_code: String,
    pub employee_id: String,
    pub debit: rust_decimal::Decimal,
    pub credit: rust_decimal::Decimal,
    pub memo: String,
}

/// One month of a line, as `billrecon history` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineHistoryRow {
    pub month: String,
    pub charges: rust_decimal::Decimal,
    pub voice_minutes: String,
    pub messages: String,
    pub used: bool,
    pub employee_id: String,
    pub account_code: String,
    /// `rule (ID, status)` of each finding on the line that month.
    pub findings: Vec<String>,
}

/// The SQL of the hot read queries, named, so a test can hold each to its query plan.
pub mod sql {
    /// The adjusting journal since a date.
    pub const JOURNAL_SINCE: &str = "SELECT j.date, j.kind, j.account_code, j.employee_id, j.debit_cents, j.credit_cents, j.memo
         FROM journal j
         WHERE j.date >= ?1
           AND (j.kind IN ('reversal', 'waiver', 'payment', 'adjustment')
                OR (j.kind = 'posting' AND j.invoice_id IN (SELECT id FROM invoices WHERE replaces IS NOT NULL)))
         ORDER BY j.date, j.id";
    /// A line's months, each from its latest post.
    pub const LINE_MONTHS: &str =
        "SELECT l.month, l.charges_cents, l.voice_minutes, l.messages, l.used, l.employee_id, l.account_code
         FROM line_months l
         WHERE l.line = ?1 AND l.post_id = (SELECT MAX(x.post_id) FROM line_months x WHERE x.line = l.line AND x.month = l.month)
         ORDER BY l.month";
    /// The findings on a line in a month.
    pub const LINE_FINDINGS: &str =
        "SELECT DISTINCT finding_id, rule FROM findings WHERE line = ?1 AND month = ?2 ORDER BY rule, finding_id";
    /// Each finding's last event.
    pub const LAST_EVENTS: &str = "SELECT e.finding_id, e.event, e.case_ref FROM events e
         WHERE e.id = (SELECT MAX(x.id) FROM events x WHERE x.finding_id = e.finding_id)";
    /// Each finding of the months before a month, as first found.
    pub const EARLIER_FINDINGS: &str = "SELECT f.finding_id, f.rule, f.severity, f.line, f.month, f.amount_cents FROM findings f
         WHERE f.month < ?1 AND f.id = (SELECT MIN(g.id) FROM findings g WHERE g.finding_id = f.finding_id) ORDER BY f.month, f.finding_id";
}

impl Ledger {
    /// Journal lines of adjusting entries dated on or after `since`: reversals, waivers,
    /// payments, and the new posting of a replaced invoice; by date, then as recorded.
    pub fn journal_since(&self, since: NaiveDate) -> Result<Vec<JournalRow>> {
        let mut st = self.conn.prepare(sql::JOURNAL_SINCE)?;
        let rows = st.query_map([since.to_string()], |r| {
            Ok(JournalRow {
                date: day(&r.get::<_, String>(0)?),
                kind: AdjustmentKind::from_journal_kind(&r.get::<_, String>(1)?),
                account_code: r.get(2)?,
                employee_id: r.get(3)?,
                debit: money(r.get(4)?),
                credit: money(r.get(5)?),
                memo: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Each finding's status, from its last event (a finding with none is open).
    fn last_events(&self) -> Result<HashMap<String, (FindingStatus, String)>> {
        let mut st = self.conn.prepare(sql::LAST_EVENTS)?;
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
        let mut out = HashMap::new();
        for r in rows {
            let (id, event, case) = r?;
            let status = match event.as_str() {
                "waive" => FindingStatus::Waived,
                "dispute" => FindingStatus::Disputed,
                _ => FindingStatus::Resolved,
            };
            out.insert(id, (status, case));
        }
        Ok(out)
    }

    /// What the ledger holds of the months before `month`: each month's lines (its latest
    /// post), the findings still open, and the disputes.
    pub fn history(&self, month: &str) -> Result<History> {
        Ok(self.history_at(month)?.0)
    }

    /// [`Ledger::history`] and the [`Mark`] it was read at, from one snapshot: a post evaluated
    /// against it passes the mark, and is refused if the ledger moved meanwhile.
    pub fn history_at(&self, month: &str) -> Result<(History, Mark)> {
        // One read transaction: every query below sees the same ledger.
        let snapshot = self.conn.unchecked_transaction()?;
        let mark = mark_of(&snapshot)?;
        let mut months: Vec<PastMonth> = Vec::new();
        let mut st = snapshot.prepare(
            "SELECT month, MAX(id), period_start, period_end FROM posts WHERE month < ?1
             AND id IN (SELECT DISTINCT post_id FROM line_months) GROUP BY month ORDER BY month",
        )?;
        let posts: Vec<(String, i64, String, String)> = st
            .query_map([month], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<std::result::Result<_, _>>()?;
        let mut ls = snapshot.prepare(
            "SELECT line, charges_cents, credits, voice_minutes, messages, used, employee_id, account_code FROM line_months WHERE post_id = ?1 ORDER BY line",
        )?;
        let mut cs = snapshot.prepare("SELECT amount_cents FROM account_credits WHERE post_id = ?1")?;
        for (label, post, start, end) in posts {
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
            let account_credits = cs
                .query_map([post], |r| r.get::<_, i64>(0))?
                .collect::<std::result::Result<Vec<_>, _>>()?
                .into_iter()
                .map(money)
                .collect();
            months.push(PastMonth { label, start: day(&start), end: day(&end), lines, account_credits });
        }
        let last = self.last_events()?;
        let mut open_findings = Vec::new();
        let mut disputes = Vec::new();
        // Each finding once, as first found (its earliest month).
        let mut fs = snapshot.prepare(sql::EARLIER_FINDINGS)?;
        let rows: Vec<(String, String, String, String, String, i64)> = fs
            .query_map([month], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?
            .collect::<std::result::Result<_, _>>()?;
        for (id, rule, severity, line, m, amount) in rows {
            let (status, case) = last.get(&id).map_or((FindingStatus::Open, ""), |(s, c)| (*s, c.as_str()));
            let (Some(rule), Some(severity)) = (Rule::from_key(&rule), Severity::from_key(&severity)) else { continue };
            let line = PhoneNumber::parse(&line).ok();
            match status {
                FindingStatus::Open => open_findings.push(OpenFinding { id, rule, severity, line, month: m }),
                FindingStatus::Disputed => {
                    disputes.push(Dispute { finding_id: id, line, amount: money(amount), month: m, case: case.to_string() })
                }
                FindingStatus::Waived | FindingStatus::Resolved => {}
            }
        }
        drop((st, ls, cs, fs));
        snapshot.finish()?;
        Ok((History { months, open_findings, disputes }, mark))
    }

    /// A line's months: charges, use, holder, account and findings.
    pub fn line_history(&self, line: &PhoneNumber) -> Result<Vec<LineHistoryRow>> {
        let mut st = self.conn.prepare(sql::LINE_MONTHS)?;
        let rows: Vec<(String, i64, String, String, bool, String, String)> = st
            .query_map([line.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))?
            .collect::<std::result::Result<_, _>>()?;
        let mut fs = self.conn.prepare(sql::LINE_FINDINGS)?;
        let mut out = Vec::new();
        for (month, charges, voice, msgs, used, emp, acct) in rows {
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

    /// The months posted, oldest first: (month, latest post, its date).
    pub fn months(&self) -> Result<Vec<(String, i64, String)>> {
        let mut st = self.conn.prepare("SELECT month, MAX(id), as_of FROM posts GROUP BY month ORDER BY month")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }
}
