//! `ledger verify`: every balance recomputed from the entries.

use std::collections::BTreeMap;

use billrecon_model::usd;
use chrono::NaiveDate;

use crate::db::{money, Ledger};
use crate::error::{LedgerError, Result};

/// What `verify` checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub invoices: usize,
    pub journals: usize,
    pub employees: usize,
}

/// The SQL of verify's scans, named, so a test can hold each to its query plan.
pub mod sql {
    /// Each invoice's billed total beside what its postings and reversals sum to.
    pub const INVOICES: &str = "SELECT i.id, i.carrier || ' ' || i.account_number || ' ' || i.invoice_number, i.billed_cents,
                COALESCE((SELECT SUM(amount_cents) FROM entries e WHERE e.invoice_id = i.id AND e.kind = 'posting'), 0),
                COALESCE((SELECT SUM(amount_cents) FROM entries e WHERE e.invoice_id = i.id AND e.kind = 'reversal'), 0),
                EXISTS (SELECT 1 FROM invoices r WHERE r.replaces = i.id)
         FROM invoices i ORDER BY i.id";
}

impl Ledger {
    /// Recomputes every balance from the entries: the database is sound, postings equal what
    /// each invoice billed (and a replaced invoice's reversals undo it exactly), every journal
    /// balances, and every employee's receivable in the journal equals notices less payments and
    /// waivers. The first discrepancy is the error.
    pub fn verify(&self) -> Result<Verified> {
        let check: String = self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if check != "ok" {
            return Err(LedgerError::Discrepancy(format!("integrity_check: {check}")));
        }
        let mut st = self.conn.prepare(sql::INVOICES)?;
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
            "SELECT kind, COALESCE(post_id, 0), COALESCE(invoice_id, 0), COALESCE(event_id, 0), COALESCE(payment_id, 0) + COALESCE(adjustment_id, 0), SUM(debit_cents), SUM(credit_cents)
             FROM journal GROUP BY kind, post_id, invoice_id, event_id, payment_id, adjustment_id",
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
        for n in self.notices(None)? {
            if n.amount < 0 {
                return Err(LedgerError::Discrepancy(format!("notice of {} for {} is negative", n.employee, n.finding)));
            }
        }
        Ok(Verified { invoices: invoices.len(), journals: journals.len(), employees: positions.len() })
    }
}
