//! `billrecon serve` and `billrecon user`: the review web app over the ledger, and its users.

use std::fmt::Write as _;
use std::io::{BufRead, Write as _};
use std::net::{IpAddr, SocketAddr};
use std::path::Path;

use anyhow::{bail, Context};
use billrecon_ledger::{NewUser, Role};
use billrecon_model::FreeText;

use crate::cli::UserRole;
use crate::emit::emit;
use crate::ledger::{open_existing, path, stamp};
use crate::outcome::Outcome;

/// `billrecon serve`: prints the address as its first stdout line, then serves until stopped.
pub fn serve(ledger: Option<&Path>, host: IpAddr, port: u16, public_origin: Option<String>) -> anyhow::Result<Outcome> {
    let lpath = path(ledger, None);
    open_existing(&lpath)?;
    if let Some(o) = &public_origin {
        if !o.starts_with("https://") && !o.starts_with("http://") {
            bail!("--public-origin: `{o}` is not an origin (https://HOST[:PORT])");
        }
    }
    let behind_tls = public_origin.as_deref().is_some_and(|o| o.starts_with("https://"));
    if !host.is_loopback() && !behind_tls {
        eprintln!(
            "warning: serving on {host}, beyond this machine, without TLS: passwords and session cookies cross the network in the clear. Put a TLS proxy in front and pass --public-origin https://..."
        );
    }
    let config = billrecon_web::Config { ledger: lpath, addr: SocketAddr::new(host, port), public_origin };
    billrecon_web::serve(config, |bound| {
        let shown = match bound.ip() {
            IpAddr::V6(ip) => format!("[{ip}]"),
            ip => ip.to_string(),
        };
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "http://{shown}:{}/", bound.port());
        let _ = out.flush();
    })?;
    Ok(Outcome::Done)
}

/// The password, one line of standard input (never an argument: it would show in `ps`).
fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("cannot read the password from standard input")?;
    let pw = line.strip_suffix('\n').unwrap_or(&line);
    let pw = pw.strip_suffix('\r').unwrap_or(pw);
    billrecon_web::password::hash(pw).context("--password-stdin")
}

fn role_of(r: UserRole) -> Role {
    match r {
        UserRole::Supervisor => Role::Supervisor,
        UserRole::Clerk => Role::Clerk,
        UserRole::Program => Role::Program,
        UserRole::Employee => Role::Employee,
    }
}

/// `billrecon user add`.
pub fn user_add(
    ledger: Option<&Path>,
    login: &str,
    role: UserRole,
    accounts: &[String],
    employee: Option<&str>,
    email: Option<&str>,
) -> anyhow::Result<Outcome> {
    let login = FreeText::parse("login", login)?;
    let email = email.map(|e| FreeText::parse("--email", e)).transpose()?;
    if let Some(why) = email.as_ref().and_then(|e| billrecon_notify::unsendable(e.as_str())) {
        bail!("--email: {why}");
    }
    let accounts = accounts.iter().map(|a| FreeText::parse("--account", a)).collect::<Result<Vec<_>, _>>()?;
    let employee = employee.map(|e| FreeText::parse("--employee", e)).transpose()?;
    billrecon_ledger::users::check_login(login.as_str()).map_err(anyhow::Error::msg)?;
    let hash = read_password()?;
    let lpath = path(ledger, None);
    let mut db = open_existing(&lpath)?;
    let role = role_of(role);
    db.user_add(
        &NewUser {
            login: &login,
            role,
            accounts: &accounts,
            employee_id: employee.as_ref(),
            password_hash: &hash,
            email: email.as_ref(),
        },
        &stamp(),
    )
    .with_context(|| lpath.display().to_string())?;
    emit(&format!("Added {role} {login} to {}.\n", lpath.display()))?;
    Ok(Outcome::Done)
}

/// `billrecon user list`.
pub fn user_list(ledger: Option<&Path>) -> anyhow::Result<Outcome> {
    let lpath = path(ledger, None);
    let db = open_existing(&lpath)?;
    let mut s = String::new();
    let _ = writeln!(s, "{:<24} {:<11} {:<30} STATUS", "LOGIN", "ROLE", "SCOPE");
    for u in db.users().with_context(|| lpath.display().to_string())? {
        let scope = match u.role {
            Role::Supervisor | Role::Clerk => "every account".to_string(),
            Role::Program => u.accounts.join(", "),
            Role::Employee => format!("employee {}", u.employee_id.as_deref().unwrap_or("")),
        };
        let _ = writeln!(s, "{:<24} {:<11} {:<30} {}", u.login, u.role, scope, if u.disabled { "disabled" } else { "active" });
    }
    emit(&s)?;
    Ok(Outcome::Done)
}

/// `billrecon user disable`.
pub fn user_disable(ledger: Option<&Path>, login: &str) -> anyhow::Result<Outcome> {
    let lpath = path(ledger, None);
    let mut db = open_existing(&lpath)?;
    let done = db.user_disable(login, &stamp()).with_context(|| lpath.display().to_string())?;
    emit(&if done { format!("Disabled {login}.\n") } else { format!("{login} was disabled already: nothing written.\n") })?;
    Ok(Outcome::Done)
}

/// `billrecon user passwd`.
pub fn user_passwd(ledger: Option<&Path>, login: &str) -> anyhow::Result<Outcome> {
    let hash = read_password()?;
    let lpath = path(ledger, None);
    let mut db = open_existing(&lpath)?;
    db.user_passwd(login, &hash, &stamp()).with_context(|| lpath.display().to_string())?;
    emit(&format!("Set the password of {login}.\n"))?;
    Ok(Outcome::Done)
}
