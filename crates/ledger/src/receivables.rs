//! What employees owe and pay: notices (a posted liability, net of reversals), payments applied
//! to the oldest open notice first, waivers, aging.

use std::collections::BTreeMap;

use billrecon_model::FreeText;
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use rust_decimal::Decimal;

use crate::db::{cents, day, money, pause_before_commit, Ledger, Stamp};
use crate::error::{LedgerError, Result};

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
    pub employee_id: FreeText,
    pub date: NaiveDate,
    pub amount: Decimal,
    /// The check or receipt number: recording it twice is a no-op.
    pub reference: FreeText,
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

pub(crate) struct Notice {
    pub employee: String,
    pub finding: String,
    pub amount: i64,
    pub due: NaiveDate,
}

impl Ledger {
    /// Receivable positions on `as_of`, per employee (all, or one): payments apply to the oldest
    /// notice first; a waiver cancels its finding's notice.
    pub fn receivables(&self, as_of: NaiveDate, employee: Option<&str>) -> Result<Vec<Receivable>> {
        // A replaced notice nets to nothing: only what is owed counts.
        let mut notices: BTreeMap<String, Vec<Notice>> = BTreeMap::new();
        for n in self.notices(employee)?.into_iter().filter(|n| n.amount > 0) {
            notices.entry(n.employee.clone()).or_default().push(n);
        }
        let waived = self.waivers(employee)?;
        let mut paid: BTreeMap<String, i64> = BTreeMap::new();
        {
            let mut st = self.conn.prepare(
                "SELECT employee_id, SUM(amount_cents) FROM payments WHERE ?1 IS NULL OR employee_id = ?1 GROUP BY employee_id",
            )?;
            for r in st.query_map([employee], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
                let (e, a) = r?;
                *paid.entry(e).or_default() += a;
            }
        }
        let mut employees: Vec<&String> = notices.keys().chain(paid.keys()).collect();
        employees.sort();
        employees.dedup();
        let mut out = Vec::new();
        for e in employees {
            let mine: &[Notice] = notices.get(e).map_or(&[], Vec::as_slice);
            let waived_of = |n: &Notice| waived.get(&n.finding).copied().unwrap_or(0).min(n.amount);
            let billed: i64 = mine.iter().map(|n| n.amount).sum();
            let w: i64 = mine.iter().map(waived_of).sum();
            let p = paid.get(e).copied().unwrap_or(0);
            // Oldest first: what payments leave of each open notice.
            let mut left = p;
            let (mut current, mut aged, mut oldest) = (0i64, [0i64; 4], None);
            for n in mine {
                let open = n.amount - waived_of(n);
                let applied = open.min(left.max(0));
                left -= applied;
                let rest = open - applied;
                if rest <= 0 {
                    continue;
                }
                oldest.get_or_insert(n.due);
                match (as_of - n.due).num_days() {
                    d if d <= 0 => current += rest,
                    1..=30 => aged[0] += rest,
                    31..=60 => aged[1] += rest,
                    61..=90 => aged[2] += rest,
                    _ => aged[3] += rest,
                }
            }
            out.push(Receivable {
                employee_id: e.clone(),
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
    /// due first; of one employee, or all.
    pub(crate) fn notices(&self, employee: Option<&str>) -> Result<Vec<Notice>> {
        let mut st = self.conn.prepare(
            "SELECT r.employee_id, r.finding_id,
                    r.amount_cents + COALESCE((SELECT SUM(x.amount_cents) FROM receivables x WHERE x.reverses = r.id), 0),
                    r.due_date
             FROM receivables r WHERE r.reverses IS NULL AND (?1 IS NULL OR r.employee_id = ?1) ORDER BY r.due_date, r.id",
        )?;
        let rows = st.query_map([employee], |r| {
            Ok(Notice { employee: r.get(0)?, finding: r.get(1)?, amount: r.get(2)?, due: day(&r.get::<_, String>(3)?) })
        })?;
        Ok(rows.collect::<std::result::Result<Vec<_>, _>>()?)
    }

    /// Waived cents by finding: the receivable side of its waiver entries, net of reversals.
    fn waivers(&self, employee: Option<&str>) -> Result<BTreeMap<String, i64>> {
        let mut st = self.conn.prepare(
            "SELECT finding_id, -SUM(amount_cents) FROM entries WHERE posting_kind = 'waiver' AND employee_id <> ''
             AND (?1 IS NULL OR employee_id = ?1) GROUP BY finding_id",
        )?;
        let rows = st.query_map([employee], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Records payments, each in the journal (the deposit debited, the receivable credited).
    /// A reference recorded before is a no-op that says so. The references are read inside the
    /// write transaction, so two payments with one reference at once record it once.
    pub fn pay(&mut self, payments: &[Payment], stamp: &Stamp) -> Result<Vec<PayOutcome>> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut out = Vec::new();
        for p in payments {
            let (employee, reference) = (p.employee_id.as_str(), p.reference.as_str());
            // Bounded as every parsed amount is (10^12), so its cents always fit.
            if p.amount <= Decimal::ZERO || p.amount.round_dp(2) != p.amount || p.amount > Decimal::from(1_000_000_000_000i64) {
                return Err(LedgerError::Refused(format!(
                    "payment {reference}: {} is not a positive amount in cents (at most $1,000,000,000,000)",
                    p.amount
                )));
            }
            let seen: bool =
                tx.query_row("SELECT EXISTS (SELECT 1 FROM payments WHERE reference = ?1)", [reference], |r| r.get(0))?;
            if seen {
                out.push(PayOutcome::Duplicate { reference: reference.to_string() });
                continue;
            }
            let accounts: Option<(String, String)> = tx
                .query_row(
                    "SELECT p.receivable_account, p.cash_account FROM receivables r JOIN posts p ON p.id = r.post_id
                     WHERE r.employee_id = ?1 ORDER BY r.id DESC LIMIT 1",
                    [employee],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let Some((receivable, cash)) = accounts else {
                return Err(LedgerError::Refused(format!(
                    "payment {reference}: no notice was ever posted for employee {employee}: check the id"
                )));
            };
            tx.execute(
                "INSERT INTO payments (employee_id, date, amount_cents, reference, receivable_account, cash_account, actor, source, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    employee,
                    p.date.to_string(),
                    cents(p.amount),
                    reference,
                    receivable,
                    cash,
                    stamp.actor.as_str(),
                    stamp.source.as_str(),
                    stamp.at_text()
                ],
            )?;
            let id = tx.last_insert_rowid();
            let memo = format!("payment {reference} from {employee}");
            for (account, emp, debit, credit) in [(&cash, "", cents(p.amount), 0), (&receivable, employee, 0, cents(p.amount))] {
                tx.execute(
                    "INSERT INTO journal (kind, payment_id, account_code, employee_id, debit_cents, credit_cents, memo, date) VALUES ('payment', ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![id, account, emp, debit, credit, memo, p.date.to_string()],
                )?;
            }
            out.push(PayOutcome::Recorded { reference: reference.to_string(), outstanding: Decimal::ZERO });
        }
        pause_before_commit();
        tx.commit()?;
        // What each employee now owes (negative: a credit).
        for o in out.iter_mut() {
            if let PayOutcome::Recorded { reference, outstanding } = o {
                let p = payments.iter().find(|p| p.reference.as_str() == reference).expect("a payment just recorded");
                *outstanding =
                    self.receivables(p.date, Some(p.employee_id.as_str()))?.first().map_or(Decimal::ZERO, |r| r.outstanding);
            }
        }
        Ok(out)
    }
}
