//! What the review web app reads, every query taking a [`Scope`]: a program sees its account
//! codes, an employee their own findings and notices. What is out of scope is returned exactly as
//! what does not exist (`None`, or left out of a list), so a caller cannot tell them apart.

use rusqlite::{params_from_iter, ToSql};
use rust_decimal::Decimal;

use crate::db::{money, Ledger};
use crate::error::Result;
use crate::events::FindingStatus;
use crate::scope::Scope;

/// An invoice's tie-out as posted: billed = programs + employees + suspense.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TieOut {
    pub carrier: String,
    pub account_number: String,
    pub invoice_number: String,
    pub billed: Decimal,
    pub programs: Decimal,
    pub employees: Decimal,
    pub suspense: Decimal,
    /// A later post of the month replaced an earlier posting of this invoice.
    pub replaced_earlier: bool,
}

/// Which findings a queue shows; `None` is any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindingFilter {
    pub severity: Option<String>,
    pub rule: Option<String>,
    pub account: Option<String>,
    pub line: Option<String>,
    pub status: Option<FindingStatus>,
}

/// A finding as posted, with where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingRow {
    pub id: String,
    pub month: String,
    pub rule: String,
    pub severity: String,
    pub line: String,
    pub employee_id: String,
    pub account_code: String,
    pub amount: Decimal,
    pub liable: Decimal,
    pub detail: String,
    /// The rows it rests on: `FILE[:SHEET]:ROW` joined by `; `.
    pub sources: String,
    pub status: FindingStatus,
    /// Its last event's id (0: none): the version a form is rendered from.
    pub version: i64,
}

/// One page of a queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingsPage {
    /// How many findings match in all.
    pub total: u64,
    pub rows: Vec<FindingRow>,
}

/// A decision recorded on a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    pub id: i64,
    pub status: FindingStatus,
    pub reason: String,
    pub by: String,
    pub case_ref: String,
    /// Moved back to the program by a waiver.
    pub amount: Decimal,
    pub date: String,
    pub actor: String,
    pub source: String,
    pub recorded_at: String,
}

/// Who did what, when and from where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub recorded_at: String,
    pub actor: String,
    pub source: String,
    /// `post`, `waive`, `dispute`, `resolve`, `payment`, `user add`, ...
    pub action: String,
    /// What it was about: a month, a finding, an employee's payment reference, a login.
    pub subject: String,
    pub detail: String,
    /// The money it moved, where it moved any (a payment; a waiver's amount back to the program).
    pub amount: Option<Decimal>,
}

/// The SQL, named for the index test.
pub mod sql {
    /// A finding's last event: its status and version.
    pub const LAST_EVENT: &str =
        "(SELECT e.id || ':' || e.event FROM events e WHERE e.finding_id = f.finding_id ORDER BY e.id DESC LIMIT 1)";
}

const FINDING_COLUMNS: &str = "f.finding_id, f.month, f.rule, f.severity, f.line, f.employee_id, f.account_code, f.amount_cents, f.liable_cents, f.detail, f.sources";

fn status_of(last: Option<String>) -> (FindingStatus, i64) {
    let Some(last) = last else { return (FindingStatus::Open, 0) };
    let (id, event) = last.split_once(':').unwrap_or(("0", ""));
    let status = match event {
        "waive" => FindingStatus::Waived,
        "dispute" => FindingStatus::Disputed,
        "resolve" => FindingStatus::Resolved,
        _ => FindingStatus::Open,
    };
    (status, id.parse().unwrap_or(0))
}

fn finding_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<FindingRow> {
    let (status, version) = status_of(r.get(11)?);
    Ok(FindingRow {
        id: r.get(0)?,
        month: r.get(1)?,
        rule: r.get(2)?,
        severity: r.get(3)?,
        line: r.get(4)?,
        employee_id: r.get(5)?,
        account_code: r.get(6)?,
        amount: money(r.get(7)?),
        liable: money(r.get(8)?),
        detail: r.get(9)?,
        sources: r.get(10)?,
        status,
        version,
    })
}

fn event_status(e: &str) -> FindingStatus {
    status_of(Some(format!("0:{e}"))).0
}

/// The queue's WHERE clause and its parameters.
fn queue_where(month: &str, filter: &FindingFilter, scope: &Scope) -> (String, Vec<String>) {
    let (clause, scope_args) = scope.findings_clause();
    let mut wh = vec!["f.month = ?".to_string(), clause];
    let mut args: Vec<String> = vec![month.to_string()];
    args.extend(scope_args);
    for (col, v) in [
        ("f.severity", &filter.severity),
        ("f.rule", &filter.rule),
        ("f.account_code", &filter.account),
        ("f.line", &filter.line),
    ] {
        if let Some(v) = v {
            wh.push(format!("{col} = ?"));
            args.push(v.clone());
        }
    }
    match filter.status {
        None => {}
        Some(FindingStatus::Open) => wh.push(format!("{} IS NULL", sql::LAST_EVENT)),
        Some(s) => {
            let event = match s {
                FindingStatus::Waived => "waive",
                FindingStatus::Disputed => "dispute",
                _ => "resolve",
            };
            wh.push(format!("substr({0}, instr({0}, ':') + 1) = '{event}'", sql::LAST_EVENT));
        }
    }
    (wh.join(" AND "), args)
}

impl Ledger {
    /// The months `scope` may see, oldest first: finance every posted month, a program those with
    /// a statement of its accounts, an employee those with their notice or a finding naming them.
    pub fn months_in(&self, scope: &Scope) -> Result<Vec<String>> {
        let months: Vec<String> = self.months()?.into_iter().map(|(m, ..)| m).collect();
        if *scope == Scope::All {
            return Ok(months);
        }
        let (clause, args) = scope.findings_clause();
        let mut out = Vec::new();
        for m in months {
            let kind = if matches!(scope, Scope::Accounts(_)) { crate::DocKind::Statement } else { crate::DocKind::Notice };
            let has_doc = !self.document_keys(&m, kind, scope)?.is_empty();
            let mut a: Vec<&dyn ToSql> = vec![&m];
            a.extend(args.iter().map(|x| x as &dyn ToSql));
            let has_finding: bool = self.conn.query_row(
                &format!("SELECT EXISTS (SELECT 1 FROM findings f WHERE f.month = ? AND {clause})"),
                params_from_iter(a),
                |r| r.get(0),
            )?;
            if has_doc || has_finding {
                out.push(m);
            }
        }
        Ok(out)
    }

    /// The month's latest post (None: never posted).
    pub fn latest_post(&self, month: &str) -> Result<Option<i64>> {
        Ok(self.conn.query_row("SELECT MAX(id) FROM posts WHERE month = ?1", [month], |r| r.get(0))?)
    }

    /// How many times the month was posted (0: never).
    pub fn posts_of(&self, month: &str) -> Result<usize> {
        let n: i64 = self.conn.query_row("SELECT COUNT(*) FROM posts WHERE month = ?1", [month], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// Each invoice of the month as posted (the latest posting of each), with where its money
    /// went: as `post` recorded it, or (an invoice posted before schema 5) summed from its entries.
    pub fn tie_out(&self, month: &str) -> Result<Vec<TieOut>> {
        let mut st = self.conn.prepare_cached(
            "SELECT i.id, i.carrier, i.account_number, i.invoice_number, i.billed_cents, i.replaces IS NOT NULL,
                    t.programs_cents, t.employees_cents, t.suspense_cents
             FROM invoices i JOIN posts p ON p.id = i.post_id LEFT JOIN invoice_tieouts t ON t.invoice_id = i.id
             WHERE p.month = ?1 AND NOT EXISTS (SELECT 1 FROM invoices r WHERE r.replaces = i.id)
             ORDER BY i.carrier, i.account_number, i.invoice_number",
        )?;
        type Row = (i64, String, String, String, i64, bool, Option<i64>, Option<i64>, Option<i64>);
        let rows: Vec<Row> = st
            .query_map([month], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?))
            })?
            .collect::<std::result::Result<_, _>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, carrier, account_number, invoice_number, billed, replaced_earlier, p, e, s) in rows {
            let (programs, employees, suspense) = match (p, e, s) {
                (Some(p), Some(e), Some(s)) => (p, e, s),
                _ => self.conn.query_row(
                    "SELECT COALESCE(SUM(CASE WHEN e.account_code NOT IN (p.receivable_account, p.suspense_account) THEN e.amount_cents END), 0),
                            COALESCE(SUM(CASE WHEN e.account_code = p.receivable_account THEN e.amount_cents END), 0),
                            COALESCE(SUM(CASE WHEN e.account_code = p.suspense_account THEN e.amount_cents END), 0)
                     FROM entries e JOIN invoices i ON i.id = e.invoice_id JOIN posts p ON p.id = i.post_id
                     WHERE e.invoice_id = ?1 AND e.kind = 'posting'",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )?,
            };
            out.push(TieOut {
                carrier,
                account_number,
                invoice_number,
                billed: money(billed),
                programs: money(programs),
                employees: money(employees),
                suspense: money(suspense),
                replaced_earlier,
            });
        }
        Ok(out)
    }

    /// A page of the month's findings that `scope` may see and `filter` keeps, in posting order,
    /// and how many match in all.
    pub fn findings_page(
        &self,
        month: &str,
        filter: &FindingFilter,
        scope: &Scope,
        offset: u64,
        limit: u64,
    ) -> Result<FindingsPage> {
        let total = self.findings_count(month, filter, scope)?;
        let rows = self.findings_rows(month, filter, scope, offset, limit)?;
        Ok(FindingsPage { total, rows })
    }

    /// How many of the month's findings `scope` may see and `filter` keeps.
    pub fn findings_count(&self, month: &str, filter: &FindingFilter, scope: &Scope) -> Result<u64> {
        let (wh, args) = queue_where(month, filter, scope);
        let total: i64 = self
            .conn
            .prepare_cached(&format!("SELECT COUNT(*) FROM findings f WHERE {wh}"))?
            .query_row(params_from_iter(args.iter()), |r| r.get(0))?;
        Ok(total.max(0) as u64)
    }

    /// A page of the month's findings that `scope` may see and `filter` keeps, in posting order.
    pub fn findings_rows(
        &self,
        month: &str,
        filter: &FindingFilter,
        scope: &Scope,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<FindingRow>> {
        let (wh, args) = queue_where(month, filter, scope);
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {FINDING_COLUMNS}, {} FROM findings f WHERE {wh} ORDER BY f.id LIMIT {limit} OFFSET {offset}",
            sql::LAST_EVENT
        ))?;
        let rows = st.query_map(params_from_iter(args.iter()), finding_row)?.collect::<std::result::Result<_, _>>()?;
        Ok(rows)
    }

    /// A finding, each month it was posted in (oldest first), if `scope` may see it.
    pub fn finding_rows(&self, id: &str, scope: &Scope) -> Result<Vec<FindingRow>> {
        let (clause, scope_args) = scope.findings_clause();
        let mut args = vec![id.to_string()];
        args.extend(scope_args);
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {FINDING_COLUMNS}, {} FROM findings f WHERE f.finding_id = ? AND {clause} ORDER BY f.month, f.id",
            sql::LAST_EVENT
        ))?;
        let rows = st.query_map(params_from_iter(args.iter()), finding_row)?.collect::<std::result::Result<_, _>>()?;
        Ok(rows)
    }

    /// A finding's decisions, oldest first.
    pub fn finding_events(&self, id: &str) -> Result<Vec<EventRow>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, event, reason, by_name, case_ref, amount_cents, date, actor, source, recorded_at FROM events WHERE finding_id = ?1 ORDER BY id",
        )?;
        let rows = st.query_map([id], |r| {
            Ok(EventRow {
                id: r.get(0)?,
                status: event_status(&r.get::<_, String>(1)?),
                reason: r.get(2)?,
                by: r.get(3)?,
                case_ref: r.get(4)?,
                amount: money(r.get(5)?),
                date: r.get(6)?,
                actor: r.get(7)?,
                source: r.get(8)?,
                recorded_at: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// The distinct values a month's queue can be filtered by (severities, rules, accounts) that
    /// `scope` may see.
    pub fn filter_values(&self, month: &str, scope: &Scope) -> Result<[Vec<String>; 3]> {
        let (clause, scope_args) = scope.findings_clause();
        let mut out: [Vec<String>; 3] = Default::default();
        for (i, col) in ["severity", "rule", "account_code"].iter().enumerate() {
            let mut args = vec![month.to_string()];
            args.extend(scope_args.iter().cloned());
            let mut st = self.conn.prepare_cached(&format!(
                "SELECT DISTINCT f.{col} FROM findings f WHERE f.month = ? AND {clause} ORDER BY f.{col}"
            ))?;
            out[i] = st.query_map(params_from_iter(args.iter()), |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
        }
        Ok(out)
    }

    /// The audit trail, newest first: posts, decisions, payments and user changes.
    pub fn audit(&self, limit: u64) -> Result<Vec<AuditRow>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT recorded_at, actor, source, action, subject, detail, amount FROM (
                SELECT recorded_at, actor, source, 'post' AS action, month AS subject, 'as of ' || as_of AS detail, NULL AS amount, id AS n, 1 AS t FROM posts
                UNION ALL SELECT recorded_at, actor, source, event, finding_id, by_name || ': ' || reason, NULLIF(amount_cents, 0), id, 2 FROM events
                UNION ALL SELECT recorded_at, actor, source, 'payment', employee_id, reference, amount_cents, id, 3 FROM payments
                UNION ALL SELECT recorded_at, actor, source, 'user ' || event, login, role, NULL, id, 4 FROM user_events
                UNION ALL SELECT recorded_at, actor, 'web', 'late attestation', employee_id, reason, amount_cents, id, 5 FROM adjustments
             ) ORDER BY recorded_at DESC, t DESC, n DESC LIMIT {limit}"
        ))?;
        let rows = st.query_map([], |r| {
            Ok(AuditRow {
                recorded_at: r.get(0)?,
                actor: r.get(1)?,
                source: r.get(2)?,
                action: r.get(3)?,
                subject: r.get(4)?,
                detail: r.get(5)?,
                amount: r.get::<_, Option<i64>>(6)?.map(money),
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }
}
