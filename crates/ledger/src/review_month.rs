//! A month opened for review before it is posted (`billrecon open`): its calls on assigned lines,
//! each visible to the employee holding the line that day, and the employees' signed
//! attestations of which calls were personal. `post` closes the month to new attestations first,
//! then reads them, so a signature either counts in the posting or is refused.

use billrecon_model::FreeText;
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use rust_decimal::Decimal;

use crate::db::{cents, money, pause_before_commit, Ledger, Stamp};
use crate::error::{LedgerError, Result};

/// One call on an assigned line, as the month's usage report has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenCall {
    /// Stable for the same call in the same files: a hash of line, date, time, number, type and
    /// quantity, with a counter for identical calls.
    pub id: String,
    pub employee_id: String,
    /// The line, as stored (10 digits for a NANP number).
    pub line: String,
    pub date: NaiveDate,
    /// `HH:MM:SS`, or empty when the carrier printed no time.
    pub time: String,
    pub number: String,
    /// `voice`, `sms`, `data`, ...
    pub kind: String,
    /// Minutes (voice), messages or megabytes.
    pub quantity: String,
    pub charge: Decimal,
    /// `FILE[:SHEET]:ROW`.
    pub source: String,
    /// The account the line was assigned to that day (credited if the call becomes the
    /// employee's after posting).
    pub account_code: String,
}

/// A line's overage pool at opening, as the rules saw it (for the preview of a share).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewPool {
    pub employee_id: String,
    pub line: String,
    pub pool: String,
    pub unit: String,
    pub plan: String,
    pub allowance: Decimal,
    pub used: Decimal,
    pub personal: Decimal,
    pub charge: Decimal,
    /// The usage rows already counted personal, `FILE[:SHEET]:ROW`.
    pub counted: Vec<String>,
    /// The account the share moves from (credited by a late attestation's adjustment).
    pub account_code: String,
}

/// A late signature's added share of an overage pool: `(pool, P the share was charged at, P now)`
/// to the more owed, by the rules' arithmetic (the caller's; the ledger does none of its own).
pub type MoreOwed<'a> = &'a dyn Fn(&ReviewPool, Decimal, Decimal) -> Decimal;

/// What an employee owed at opening besides overage shares (directory assistance, calls
/// attested on paper), as the rules found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwedAtOpen {
    pub employee_id: String,
    pub rule: String,
    pub detail: String,
    pub amount: Decimal,
    /// The usage rows it rests on.
    pub sources: Vec<String>,
}

/// What `billrecon open` records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewContent {
    pub calls: Vec<OpenCall>,
    pub pools: Vec<ReviewPool>,
    pub owed: Vec<OwedAtOpen>,
}

/// A month under review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub id: i64,
    pub month: String,
    pub deadline: NaiveDate,
    /// Closed by `post`: no new attestations.
    pub closed: bool,
}

/// What `open_month` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenOutcome {
    Opened {
        calls: usize,
        employees: usize,
    },
    /// The same calls were opened before: nothing written.
    Already {
        calls: usize,
    },
    /// The same calls, a new deadline: only the deadline recorded.
    Extended {
        calls: usize,
        from: NaiveDate,
        to: NaiveDate,
    },
    /// Opened again with other calls (`--replace`): signatures on calls still there stay attached.
    Replaced {
        calls: usize,
        added: usize,
        removed: usize,
        orphaned: Vec<String>,
    },
}

/// An employee's latest signature for a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub id: i64,
    pub login: String,
    pub signed_at: String,
    pub calls: Vec<String>,
}

/// Who has signed, per employee with calls in the month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttestationStatus {
    pub employee_id: String,
    pub calls: usize,
    pub signed_at: Option<String>,
    pub personal: usize,
}

/// What a signature did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttestOutcome {
    pub id: i64,
    /// Signed after the month was posted.
    pub late: bool,
    /// Late: the calls that became the employee's, each with its charge.
    pub adjusted: Vec<(String, Decimal)>,
    /// Late: calls newly marked personal with no charge of their own (an overage share is not
    /// recomputed after posting): for finance to review.
    pub to_review: usize,
    /// Late: calls marked personal before posting and unmarked now: for finance to review.
    pub corrections: usize,
}

/// What the employee affirms when signing: quoted from the policies in force.
pub const POLICY_AFFIRMED: &str = "CREC Cell Phones policy: \"Personal use of CREC-issued cell phones should not result in additional charges to CREC. Any incremental charges resulting from personal use will be the responsibility of the employee.\" CT OPM Telecommunications Equipment Policy: \"It shall be the responsibility of the individual and the agency to verify the accuracy of the bill and to confirm the usage as appropriate.\" I confirm that the calls I marked are personal and the others were made on agency business.";

const SEP: &str = "\n";

const CALL_COLUMNS: &str = "call_id, employee_id, line, date, time, number, kind, quantity, charge_cents, source, account_code";

fn call_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OpenCall> {
    Ok(OpenCall {
        id: r.get(0)?,
        employee_id: r.get(1)?,
        line: r.get(2)?,
        date: crate::db::day(&r.get::<_, String>(3)?),
        time: r.get(4)?,
        number: r.get(5)?,
        kind: r.get(6)?,
        quantity: r.get(7)?,
        charge: money(r.get(8)?),
        source: r.get(9)?,
        account_code: r.get(10)?,
    })
}

fn latest_review(conn: &rusqlite::Connection, month: &str) -> Result<Option<Review>> {
    let row: Option<(i64, String, bool)> = conn
        .query_row(
            "SELECT r.id, COALESCE((SELECT d.deadline FROM review_deadlines d WHERE d.review_id = r.id ORDER BY d.id DESC LIMIT 1), r.deadline),
                    EXISTS (SELECT 1 FROM review_closes c WHERE c.review_id = r.id)
             FROM reviews r WHERE r.month = ?1 ORDER BY r.id DESC LIMIT 1",
            [month],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(row.map(|(id, deadline, closed)| Review { id, month: month.to_string(), deadline: crate::db::day(&deadline), closed }))
}

fn call_ids(conn: &rusqlite::Connection, review: i64) -> Result<Vec<String>> {
    let mut st = conn.prepare_cached("SELECT call_id FROM review_calls WHERE review_id = ?1 ORDER BY call_id")?;
    let ids = st.query_map([review], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
    Ok(ids)
}

fn signature_on(conn: &rusqlite::Connection, month: &str, employee: &str) -> Result<Option<Signature>> {
    let row: Option<(i64, String, String, String)> = conn
        .query_row(
            "SELECT id, login, signed_at, calls FROM attestations WHERE month = ?1 AND employee_id = ?2 ORDER BY id DESC LIMIT 1",
            params![month, employee],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    Ok(row.map(|(id, login, signed_at, calls)| Signature {
        id,
        login,
        signed_at,
        calls: calls.split(SEP).filter(|c| !c.is_empty()).map(str::to_string).collect(),
    }))
}

impl Ledger {
    /// Records the month for review (attestations due `deadline`, else the earlier review's, else
    /// `default_deadline`). The same calls again: nothing written, or only a new deadline. Other
    /// calls: refused naming the difference, unless `replace`.
    pub fn open_month(
        &mut self,
        month: &str,
        deadline: Option<NaiveDate>,
        default_deadline: NaiveDate,
        content: &ReviewContent,
        replace: bool,
        stamp: &Stamp,
    ) -> Result<OpenOutcome> {
        let calls = &content.calls;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let posted: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM posts WHERE month = ?1)", [month], |r| r.get(0))?;
        let before = latest_review(&tx, month)?;
        if posted && before.as_ref().is_none_or(|r| r.closed) {
            return Err(LedgerError::Refused(format!(
                "{month} is posted: it can no longer be opened for attestations (a correction after posting is an adjustment)"
            )));
        }
        let mut ids: Vec<&str> = calls.iter().map(|c| c.id.as_str()).collect();
        ids.sort_unstable();
        let mut outcome = OpenOutcome::Opened {
            calls: calls.len(),
            employees: calls.iter().map(|c| c.employee_id.as_str()).collect::<std::collections::BTreeSet<_>>().len(),
        };
        if let Some(r) = &before {
            let old = call_ids(&tx, r.id)?;
            let same = old.iter().map(String::as_str).eq(ids.iter().copied());
            if same && !r.closed {
                return match deadline.filter(|d| *d != r.deadline) {
                    None => Ok(OpenOutcome::Already { calls: calls.len() }),
                    Some(d) => {
                        tx.execute(
                            "INSERT INTO review_deadlines (review_id, deadline, actor, recorded_at) VALUES (?1, ?2, ?3, ?4)",
                            params![r.id, d.to_string(), stamp.actor.as_str(), stamp.at_text()],
                        )?;
                        tx.commit()?;
                        Ok(OpenOutcome::Extended { calls: calls.len(), from: r.deadline, to: d })
                    }
                };
            }
            // Same calls but closed: a post closed it and then failed; it opens again as it was.
            if !same {
                let added = ids.iter().filter(|i| old.binary_search_by(|o| o.as_str().cmp(i)).is_err()).count();
                let removed = old.iter().filter(|o| ids.binary_search(&o.as_str()).is_err()).count();
                if !replace {
                    return Err(LedgerError::Changed(format!(
                        "{month} was opened with other calls ({added} call(s) now that were not there, {removed} then that are not now): run with --replace to open these"
                    )));
                }
                // Signatures stay attached to calls that are still there; the rest are reported.
                let mut orphaned = Vec::new();
                let mut st = tx.prepare("SELECT DISTINCT employee_id FROM attestations WHERE month = ?1 ORDER BY employee_id")?;
                let emps: Vec<String> = st.query_map([month], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
                for e in emps {
                    if let Some(s) = signature_on(&tx, month, &e)? {
                        for c in s.calls.iter().filter(|c| ids.binary_search(&c.as_str()).is_err()) {
                            orphaned.push(format!("{e}: {c}"));
                        }
                    }
                }
                outcome = OpenOutcome::Replaced { calls: calls.len(), added, removed, orphaned };
            }
        }
        let deadline = deadline.or(before.as_ref().map(|r| r.deadline)).unwrap_or(default_deadline);
        tx.execute(
            "INSERT INTO reviews (month, deadline, replaces, actor, source, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                month,
                deadline.to_string(),
                before.map(|r| r.id),
                stamp.actor.as_str(),
                stamp.source.as_str(),
                stamp.at_text()
            ],
        )?;
        let review = tx.last_insert_rowid();
        let mut insert = tx.prepare_cached(
            "INSERT INTO review_calls (review_id, call_id, employee_id, line, date, time, number, kind, quantity, charge_cents, source, account_code)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?;
        for c in calls {
            insert.execute(params![
                review,
                c.id,
                c.employee_id,
                c.line,
                c.date.to_string(),
                c.time,
                c.number,
                c.kind,
                c.quantity,
                cents(c.charge),
                c.source,
                c.account_code
            ])?;
        }
        drop(insert);
        for p in &content.pools {
            tx.execute(
                "INSERT INTO review_pools (review_id, employee_id, line, pool, unit, plan, allowance, used, personal, charge_cents, counted, account_code)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![
                    review,
                    p.employee_id,
                    p.line,
                    p.pool,
                    p.unit,
                    p.plan,
                    p.allowance.to_string(),
                    p.used.to_string(),
                    p.personal.to_string(),
                    cents(p.charge),
                    p.counted.join(SEP),
                    p.account_code
                ],
            )?;
        }
        for o in &content.owed {
            tx.execute(
                "INSERT INTO review_owed (review_id, employee_id, rule, detail, amount_cents, sources) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![review, o.employee_id, o.rule, o.detail, cents(o.amount), o.sources.join(SEP)],
            )?;
        }
        pause_before_commit();
        tx.commit()?;
        Ok(outcome)
    }

    /// An employee's overage pools and what else they owed, as the month was opened.
    pub fn review_money(&self, month: &str, employee: &str) -> Result<(Vec<ReviewPool>, Vec<OwedAtOpen>)> {
        let Some(r) = latest_review(&self.conn, month)? else { return Ok((vec![], vec![])) };
        review_money_on(&self.conn, r.id, employee)
    }

    /// The months opened for review in which `employee` has calls, newest first, with each
    /// month's review.
    pub fn reviews_of(&self, employee: &str) -> Result<Vec<Review>> {
        let mut st = self.conn.prepare(
            "SELECT DISTINCT r.month FROM reviews r JOIN review_calls c ON c.review_id = r.id WHERE c.employee_id = ?1 ORDER BY r.month DESC",
        )?;
        let months: Vec<String> = st.query_map([employee], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
        let mut out = Vec::new();
        for m in months {
            out.extend(latest_review(&self.conn, &m)?);
        }
        Ok(out)
    }

    /// The month's review, if it was opened.
    pub fn review(&self, month: &str) -> Result<Option<Review>> {
        latest_review(&self.conn, month)
    }

    /// The calls of `employee` in the month under review, in date and time order.
    pub fn calls_of(&self, month: &str, employee: &str) -> Result<Vec<OpenCall>> {
        let Some(r) = latest_review(&self.conn, month)? else { return Ok(vec![]) };
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {CALL_COLUMNS} FROM review_calls WHERE review_id = ?1 AND employee_id = ?2 ORDER BY date, time, line, call_id"
        ))?;
        let rows = st.query_map(params![r.id, employee], call_row)?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// An employee signs which of their calls were personal (the password was checked by the
    /// caller). Decided inside the write transaction: every call must be one of theirs. Before
    /// the month is posted, a later signature supersedes an earlier one (both kept). After it is
    /// posted the signature is late: each call newly marked personal that has a charge of its own
    /// (and was not charged to them already) becomes an adjustment, a new notice for the employee
    /// and a credit to the line's account, leaving the posted month as it was; the rest is
    /// reported for finance to review.
    pub fn attest(
        &mut self,
        month: &str,
        employee: &str,
        login: &FreeText,
        personal: &[String],
        more_owed: MoreOwed<'_>,
        stamp: &Stamp,
    ) -> Result<AttestOutcome> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let Some(r) = latest_review(&tx, month)? else {
            return Err(LedgerError::Refused(format!("{month} is not open for attestations")));
        };
        let mut mine: Vec<OpenCall> = {
            let mut st =
                tx.prepare_cached(&format!("SELECT {CALL_COLUMNS} FROM review_calls WHERE review_id = ?1 AND employee_id = ?2"))?;
            let v = st.query_map(params![r.id, employee], call_row)?.collect::<std::result::Result<Vec<_>, _>>()?;
            v
        };
        mine.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        let mut calls: Vec<&str> = personal.iter().map(String::as_str).collect();
        calls.sort_unstable();
        calls.dedup();
        if let Some(bad) = calls.iter().find(|c| mine.binary_search_by(|m| m.id.as_str().cmp(c)).is_err()) {
            return Err(LedgerError::Refused(format!("call {bad} is not one of your calls this month: nothing was recorded")));
        }
        let post: Option<i64> =
            if r.closed { tx.query_row("SELECT MAX(id) FROM posts WHERE month = ?1", [month], |x| x.get(0))? } else { None };
        if r.closed && post.is_none() {
            return Err(LedgerError::Refused(format!("{month} is being posted: sign again in a moment")));
        }
        tx.execute(
            "INSERT INTO attestations (review_id, month, employee_id, login, calls, policy, signed_at, source, late) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![r.id, month, employee, login.as_str(), calls.join(SEP), POLICY_AFFIRMED, stamp.at_text(), stamp.source.as_str(), r.closed],
        )?;
        let id = tx.last_insert_rowid();
        let mut out = AttestOutcome { id, late: r.closed, ..Default::default() };
        if let Some(post) = post {
            let late = Late { month, employee, review: r.id, post, attestation: id, stamp };
            late.adjust(&tx, &calls, &mine, more_owed, &mut out)?;
        }
        pause_before_commit();
        tx.commit()?;
        Ok(out)
    }

    /// A month's late-attestation adjustments: (employee, call, amount, account).
    pub fn adjustments(&self, month: &str) -> Result<Vec<(String, String, Decimal, String)>> {
        let mut st = self
            .conn
            .prepare("SELECT employee_id, call_id, amount_cents, account_code FROM adjustments WHERE month = ?1 ORDER BY id")?;
        let rows = st.query_map([month], |r| Ok((r.get(0)?, r.get(1)?, money(r.get(2)?), r.get(3)?)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// An employee's latest signature for the month.
    pub fn signature(&self, month: &str, employee: &str) -> Result<Option<Signature>> {
        signature_on(&self.conn, month, employee)
    }

    /// Numbers `employee` marked personal in months before `month`, each with the latest such
    /// month (remembered per employee, shown only to them).
    pub fn remembered_numbers(&self, month: &str, employee: &str) -> Result<Vec<(String, String)>> {
        let mut st = self
            .conn
            .prepare("SELECT DISTINCT a.month FROM attestations a WHERE a.employee_id = ?1 AND a.month < ?2 ORDER BY a.month")?;
        let months: Vec<String> = st.query_map(params![employee, month], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
        let mut out: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
        for m in months {
            let (Some(s), Some(r)) = (signature_on(&self.conn, &m, employee)?, latest_review(&self.conn, &m)?) else { continue };
            let mut q = self.conn.prepare_cached("SELECT number FROM review_calls WHERE review_id = ?1 AND call_id = ?2")?;
            for c in &s.calls {
                if let Some(n) = q.query_row(params![r.id, c], |r| r.get::<_, String>(0)).optional()? {
                    if !n.is_empty() {
                        out.insert(n, m.clone());
                    }
                }
            }
        }
        Ok(out.into_iter().collect())
    }

    /// Who has signed, per employee with calls in the month.
    pub fn attestation_status(&self, month: &str) -> Result<Vec<AttestationStatus>> {
        let Some(r) = latest_review(&self.conn, month)? else { return Ok(vec![]) };
        let mut st = self.conn.prepare(
            "SELECT employee_id, COUNT(*) FROM review_calls WHERE review_id = ?1 GROUP BY employee_id ORDER BY employee_id",
        )?;
        let rows: Vec<(String, i64)> =
            st.query_map([r.id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<std::result::Result<_, _>>()?;
        let mut out = Vec::new();
        for (e, n) in rows {
            let s = signature_on(&self.conn, month, &e)?;
            out.push(AttestationStatus {
                employee_id: e,
                calls: n as usize,
                personal: s.as_ref().map_or(0, |s| s.calls.len()),
                signed_at: s.map(|s| s.signed_at),
            });
        }
        Ok(out)
    }

    /// Closes the month to new attestations (post does this first) and returns the calls its
    /// employees signed as personal, each employee's latest signature only, in call order.
    /// `None`: the month was never opened.
    pub fn close_review(&mut self, month: &str, stamp: &Stamp) -> Result<Option<Vec<OpenCall>>> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let Some(r) = latest_review(&tx, month)? else { return Ok(None) };
        if !r.closed {
            tx.execute(
                "INSERT INTO review_closes (month, review_id, last_attestation, actor, source, recorded_at)
                 VALUES (?1, ?2, (SELECT COALESCE(MAX(id), 0) FROM attestations WHERE month = ?1), ?3, ?4, ?5)",
                params![month, r.id, stamp.actor.as_str(), stamp.source.as_str(), stamp.at_text()],
            )?;
        }
        tx.commit()?;
        let mut personal: Vec<String> = Vec::new();
        let mut st = self.conn.prepare("SELECT DISTINCT employee_id FROM attestations WHERE month = ?1 ORDER BY employee_id")?;
        let emps: Vec<String> = st.query_map([month], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
        for e in emps {
            if let Some(s) = signature_on(&self.conn, month, &e)? {
                personal.extend(s.calls);
            }
        }
        let mut calls = Vec::new();
        let mut q = self
            .conn
            .prepare_cached(&format!("SELECT {CALL_COLUMNS} FROM review_calls WHERE review_id = ?1 AND call_id = ?2"))?;
        for c in personal {
            calls.extend(q.query_row(params![r.id, c], call_row).optional()?);
        }
        calls.sort_by(|a, b| (a.date, &a.time, &a.line, &a.id).cmp(&(b.date, &b.time, &b.line, &b.id)));
        Ok(Some(calls))
    }
}

/// An employee's pools and other liabilities of a review, read on `conn`.
fn review_money_on(conn: &rusqlite::Connection, review: i64, employee: &str) -> Result<(Vec<ReviewPool>, Vec<OwedAtOpen>)> {
    let dec = |s: String| s.parse::<Decimal>().unwrap_or_default();
    let split = |s: String| s.split(SEP).filter(|x| !x.is_empty()).map(str::to_string).collect::<Vec<_>>();
    let mut st = conn.prepare_cached(
            "SELECT employee_id, line, pool, unit, plan, allowance, used, personal, charge_cents, counted, account_code FROM review_pools
             WHERE review_id = ?1 AND employee_id = ?2 ORDER BY line, pool",
        )?;
    let pools = st
        .query_map(params![review, employee], |x| {
            Ok(ReviewPool {
                employee_id: x.get(0)?,
                line: x.get(1)?,
                pool: x.get(2)?,
                unit: x.get(3)?,
                plan: x.get(4)?,
                allowance: dec(x.get(5)?),
                used: dec(x.get(6)?),
                personal: dec(x.get(7)?),
                charge: money(x.get(8)?),
                counted: split(x.get(9)?),
                account_code: x.get(10)?,
            })
        })?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let mut st = conn.prepare_cached(
            "SELECT employee_id, rule, detail, amount_cents, sources FROM review_owed WHERE review_id = ?1 AND employee_id = ?2 ORDER BY rowid",
        )?;
    let owed = st
        .query_map(params![review, employee], |x| {
            Ok(OwedAtOpen {
                employee_id: x.get(0)?,
                rule: x.get(1)?,
                detail: x.get(2)?,
                amount: money(x.get(3)?),
                sources: split(x.get(4)?),
            })
        })?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok((pools, owed))
}

/// A late signature, its adjustments written in its transaction.
struct Late<'a> {
    month: &'a str,
    employee: &'a str,
    review: i64,
    post: i64,
    attestation: i64,
    stamp: &'a Stamp,
}

impl Late<'_> {
    fn adjust(
        &self,
        tx: &rusqlite::Transaction<'_>,
        calls: &[&str],
        mine: &[OpenCall],
        more_owed: MoreOwed<'_>,
        out: &mut AttestOutcome,
    ) -> Result<()> {
        let (month, employee) = (self.month, self.employee);
        // Every signature since the close saw, from the one the posting counted on.
        let last: i64 =
            tx.query_row("SELECT last_attestation FROM review_closes WHERE review_id = ?1", [self.review], |r| r.get(0))?;
        let signed: Vec<Vec<String>> = {
            let mut st = tx.prepare(
                "SELECT calls FROM attestations WHERE month = ?1 AND employee_id = ?2 AND id < ?3
                   AND id >= COALESCE((SELECT MAX(id) FROM attestations WHERE month = ?1 AND employee_id = ?2 AND id <= ?4), 0)
                 ORDER BY id",
            )?;
            let v = st
                .query_map(params![month, employee, self.attestation, last], |r| r.get::<_, String>(0))?
                .map(|c| c.map(|c| c.split(SEP).filter(|x| !x.is_empty()).map(str::to_string).collect()))
                .collect::<std::result::Result<_, _>>()?;
            v
        };
        // The posting counted the signature the close saw (none: nothing signed on the web).
        let at_close: i64 = tx.query_row(
            "SELECT COALESCE(MAX(id), 0) FROM attestations WHERE month = ?1 AND employee_id = ?2 AND id <= ?3",
            params![month, employee, last],
            |r| r.get(0),
        )?;
        let before: Vec<String> = if at_close > 0 { signed.first().cloned().unwrap_or_default() } else { vec![] };
        let adjusted: Vec<String> = {
            let mut st = tx.prepare("SELECT call_id FROM adjustments WHERE month = ?1 AND employee_id = ?2")?;
            let v = st.query_map(params![month, employee], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
            v
        };
        out.corrections = before.iter().filter(|b| !calls.contains(&b.as_str())).count();
        let mut charged = tx.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM findings WHERE month = ?1 AND rule IN ('personal_call_charge', 'directory_assistance')
                    AND ('; ' || sources || ';') LIKE ('%; ' || ?2 || ';%'))",
        )?;
        let find = |id: &str| mine.binary_search_by(|m| m.id.as_str().cmp(id)).ok().map(|i| &mine[i]);
        for id in calls.iter().filter(|c| !before.iter().any(|b| b == *c) && !adjusted.iter().any(|a| a == *c)) {
            let Some(c) = find(id) else { continue };
            if c.charge <= Decimal::ZERO {
                continue;
            }
            if charged.query_row(params![month, c.source], |r| r.get::<_, bool>(0))? {
                continue;
            }
            let reason = format!(
                "call on {} at {} to {} ({}) attested personal after posting",
                c.date,
                c.time.get(..5).unwrap_or(""),
                c.number,
                c.source
            );
            self.write(tx, &c.id, &c.account_code, &c.line, cents(c.charge), &reason, &c.source)?;
            out.adjusted.push((c.id.clone(), c.charge));
        }
        // Overage shares: the personal minutes (or messages) of a pool's line, at the highest any
        // signature since the posting charged, against now.
        let (pools, _) = review_money_on(tx, self.review, employee)?;
        let personal_of = |p: &ReviewPool, ids: &[String]| -> Decimal {
            let added: Decimal = ids
                .iter()
                .filter_map(|i| find(i))
                .filter(|c| c.line == p.line && c.kind == p.pool && !p.counted.contains(&c.source))
                .map(|c| c.quantity.parse::<Decimal>().unwrap_or_default())
                .sum();
            p.personal + added
        };
        let now_ids: Vec<String> = calls.iter().map(|c| c.to_string()).collect();
        let mut in_a_pool = 0;
        for p in &pools {
            let charged_at = signed.iter().map(|ids| personal_of(p, ids)).chain(std::iter::once(personal_of(p, &before))).max();
            let charged_at = charged_at.unwrap_or(p.personal);
            let now = personal_of(p, &now_ids);
            in_a_pool += now_ids.iter().filter_map(|i| find(i)).filter(|c| c.line == p.line && c.kind == p.pool).count();
            let more = more_owed(p, charged_at, now);
            if more > Decimal::ZERO {
                let reason = format!(
                    "{} more {} marked personal on {} after posting: its overage share now {} personal of {} used ({} included)",
                    now - charged_at,
                    p.unit,
                    p.line,
                    now,
                    p.used,
                    p.allowance
                );
                let key = format!("POOL {} {} {}", p.line, p.pool, self.attestation);
                self.write(tx, &key, &p.account_code, &p.line, cents(more), &reason, "")?;
                out.adjusted.push((key, more));
            }
        }
        let uncharged = calls.iter().filter_map(|i| find(i)).filter(|c| c.charge <= Decimal::ZERO).count();
        out.to_review = uncharged.saturating_sub(in_a_pool);
        Ok(())
    }

    /// One adjustment: a notice for the employee, the program's account credited.
    #[allow(clippy::too_many_arguments)]
    fn write(
        &self,
        tx: &rusqlite::Transaction<'_>,
        key: &str,
        account: &str,
        line: &str,
        amount: i64,
        reason: &str,
        source: &str,
    ) -> Result<()> {
        let (receivable, due_days): (String, i64) =
            tx.query_row("SELECT receivable_account, notice_due_days FROM posts WHERE id = ?1", [self.post], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        let date = self.stamp.at.date_naive();
        let due = (date + chrono::Duration::days(due_days)).to_string();
        tx.execute(
            "INSERT INTO adjustments (month, post_id, attestation_id, call_id, employee_id, account_code, amount_cents, reason, date, actor, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                self.month,
                self.post,
                self.attestation,
                key,
                self.employee,
                account,
                amount,
                reason,
                date.to_string(),
                self.stamp.actor.as_str(),
                self.stamp.at_text()
            ],
        )?;
        let adj = tx.last_insert_rowid();
        let finding = format!("LATE-{adj}");
        tx.execute(
            "INSERT INTO receivables (post_id, invoice_id, finding_id, employee_id, account_code, amount_cents, notice_date, due_date)
             VALUES (?1, NULL, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![self.post, finding, self.employee, account, amount, date.to_string(), due],
        )?;
        for (acct, emp, signed, debit, credit) in
            [(account, "", -amount, 0, amount), (receivable.as_str(), self.employee, amount, amount, 0)]
        {
            tx.execute(
                "INSERT INTO entries (kind, post_id, posting_kind, account_code, employee_id, line, category, description, amount_cents, basis, finding_id, sources, date, adjustment_id)
                 VALUES ('adjustment', ?1, 'late_attestation', ?2, ?3, ?4, '', ?5, ?6, '', ?7, ?8, ?9, ?10)",
                params![self.post, acct, emp, line, reason, signed, finding, source, date.to_string(), adj],
            )?;
            tx.execute(
                "INSERT INTO journal (kind, post_id, account_code, employee_id, debit_cents, credit_cents, memo, date, adjustment_id)
                 VALUES ('adjustment', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![self.post, acct, emp, debit, credit, format!("{finding}: {reason}"), date.to_string(), adj],
            )?;
        }
        Ok(())
    }
}
