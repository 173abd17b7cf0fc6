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

pub fn run(
    month: &str,
    smtp: Option<&str>,
    starttls: bool,
    from: &str,
    outbox: Option<PathBuf>,
    public_origin: Option<&str>,
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
    let opts = Options { month, from, public_origin, delivery };
    let r = billrecon_notify::notify(&mut db, &opts, &stamp()).with_context(|| lpath.display().to_string())?;
    let mut s = String::new();
    let verb = if matches!(opts.delivery, Delivery::Outbox(_)) { "written" } else { "sent" };
    let _ = writeln!(s, "{month}: {} notice(s) {verb}, {} already {verb} before.", r.sent.len(), r.already.len());
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
