//! What `billrecon notify` sends: each posted month's notices (with the amount and due date the
//! post recorded and the address the employees table gave), and the log of every message sent
//! or failed, so a second run sends nothing new and a run after failures sends only those.

use rusqlite::{params, OptionalExtension};
use rust_decimal::Decimal;

use crate::db::{money, Ledger, Stamp};
use crate::error::Result;

/// One employee's notice of a posted month, to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeToSend {
    pub employee_id: String,
    pub name: String,
    /// As the employees table has it (possibly empty, or not an address: `notify` checks).
    pub email: String,
    /// What the notice asks for: the month's notices net of reversals and waivers.
    pub amount: Decimal,
    pub due: String,
}

/// How a message went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Smtp,
    Outbox,
}

impl Channel {
    fn as_str(self) -> &'static str {
        match self {
            Channel::Smtp => "smtp",
            Channel::Outbox => "outbox",
        }
    }
}

impl Ledger {
    /// The employees owing on the month's notices, by employee id.
    pub fn notices_to_send(&self, month: &str) -> Result<Vec<NoticeToSend>> {
        let Some(post) = self.latest_post(month)? else { return Ok(vec![]) };
        // Each notice as it stands: posted, not reversed by a replacement, not waived.
        let mut st = self.conn.prepare(
            "SELECT r.employee_id, SUM(r.amount_cents), MAX(r.due_date)
             FROM receivables r JOIN posts p ON p.id = r.post_id
             WHERE p.month = ?1 AND r.reverses IS NULL
               AND NOT EXISTS (SELECT 1 FROM receivables x WHERE x.reverses = r.id)
               AND COALESCE((SELECT e.event FROM events e WHERE e.finding_id = r.finding_id ORDER BY e.id DESC LIMIT 1), '') <> 'waive'
             GROUP BY r.employee_id ORDER BY r.employee_id",
        )?;
        let rows: Vec<(String, i64, String)> =
            st.query_map([month], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<std::result::Result<_, _>>()?;
        let mut who =
            self.conn.prepare_cached("SELECT name, email FROM month_employees WHERE post_id = ?1 AND employee_id = ?2")?;
        let mut out = Vec::new();
        for (employee_id, cents, due) in rows.into_iter().filter(|r| r.1 > 0) {
            let (name, email): (String, String) =
                who.query_row(params![post, employee_id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?.unwrap_or_default();
            out.push(NoticeToSend { employee_id, name, email, amount: money(cents), due });
        }
        Ok(out)
    }

    /// Whether the month's `kind` message for `key` went out by `channel` before.
    pub fn was_sent(&self, month: &str, kind: &str, key: &str, channel: Channel) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM messages WHERE month = ?1 AND kind = ?2 AND key = ?3 AND channel = ?4 AND outcome = 'sent')",
            params![month, kind, key, channel.as_str()],
            |r| r.get(0),
        )?)
    }

    /// Records a message sent (or failed, with why).
    #[allow(clippy::too_many_arguments)]
    pub fn record_message(
        &mut self,
        month: &str,
        kind: &str,
        key: &str,
        address: &str,
        channel: Channel,
        sent: bool,
        detail: &str,
        stamp: &Stamp,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO messages (month, kind, key, address, channel, outcome, detail, actor, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                month,
                kind,
                key,
                address,
                channel.as_str(),
                if sent { "sent" } else { "failed" },
                detail,
                stamp.actor.as_str(),
                stamp.at_text()
            ],
        )?;
        Ok(())
    }
}
