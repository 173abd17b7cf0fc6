//! `billrecon notify`: each employee's notice of a posted month by email.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use billrecon_notify::{Delivery, Options, Smtp};

use crate::emit::emit;
use crate::ledger::{open_existing, path, stamp};
use crate::outcome::Outcome;

/// The relay's login, from the environment only.
const USER_ENV: &str = "BILLRECON_SMTP_USERNAME";
const PASSWORD_ENV: &str = "BILLRECON_SMTP_PASSWORD";

#[allow(clippy::too_many_arguments)]
pub fn run(
    month: &str,
    smtp: Option<&str>,
    starttls: bool,
    from: &str,
    outbox: Option<PathBuf>,
    public_origin: Option<&str>,
    enrol: bool,
    statements: bool,
    ledger: Option<&Path>,
) -> anyhow::Result<Outcome> {
    let delivery = match (outbox, smtp) {
        (Some(dir), _) => Delivery::Outbox(dir),
        (None, Some(url)) => {
            let mut s = Smtp::parse(url, starttls)?;
            match (std::env::var(USER_ENV), std::env::var(PASSWORD_ENV)) {
                (Ok(u), Ok(p)) if !u.is_empty() => s.credentials = Some((u, p)),
                (Ok(u), Err(_)) if !u.is_empty() => bail!("{USER_ENV} is set but {PASSWORD_ENV} is not"),
                _ => {}
            }
            Delivery::Smtp(s)
        }
        (None, None) => bail!("give --smtp smtp://HOST:PORT, or --outbox DIR"),
    };
    let lpath = path(ledger, None);
    let mut db = open_existing(&lpath)?;
    let stamp = stamp();
    let mut enrol_links = std::collections::BTreeMap::new();
    if let (true, Some(origin)) = (enrol, public_origin) {
        // Each employee with a notice and no web login yet: a one-time link, its secret stored hashed.
        let expires = (stamp.at + chrono::Duration::days(7)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        for n in db.notices_to_send(month)? {
            let login = n.employee_id.to_ascii_lowercase();
            let channel = if matches!(delivery, Delivery::Outbox(_)) {
                billrecon_ledger::Channel::Outbox
            } else {
                billrecon_ledger::Channel::Smtp
            };
            if db.user(&login)?.is_some()
                || billrecon_ledger::users::check_login(&login).is_err()
                || db.was_sent(month, "notice", &n.employee_id, channel)?
            {
                continue;
            }
            let secret = billrecon_web::password::secret();
            let hash = billrecon_web::password::hash(&secret)?;
            let id = db.enrolment_add(&login, &n.employee_id, &hash, &expires, &stamp)?;
            enrol_links.insert(n.employee_id.clone(), format!("{}/enrol/{id}.{secret}", origin.trim_end_matches('/')));
        }
    }
    let opts = Options { month, from, public_origin, delivery, enrol_links };
    let r = if statements {
        billrecon_notify::statements(&mut db, &opts, &stamp)
    } else {
        billrecon_notify::notify(&mut db, &opts, &stamp)
    }
    .with_context(|| lpath.display().to_string())?;
    let mut s = String::new();
    let verb = if matches!(opts.delivery, Delivery::Outbox(_)) { "written" } else { "sent" };
    let what = if statements { "statement" } else { "notice" };
    let _ = writeln!(s, "{month}: {} {what}(s) {verb}, {} already {verb} before.", r.sent.len(), r.already.len());
    for (emp, addr) in &r.sent {
        let _ = writeln!(s, "  {verb}: {emp} <{addr}>");
    }
    for (emp, why) in &r.unsendable {
        let _ = writeln!(s, "  not sent: {emp}: {why}");
    }
    for (emp, addr, why) in &r.failed {
        let _ = writeln!(s, "  failed: {emp} <{addr}>: {why} (run again to retry)");
    }
    emit(&s)?;
    Ok(if r.complete() { Outcome::Done } else { Outcome::Incomplete })
}
