//! `billrecon notify`: one message per employee with a notice in a posted month, to the address
//! the employees table gave, with a plain-text part and an HTML part (the notice as posted), the
//! amount and the due date; every message sent or failed is recorded in the ledger, so a second
//! run sends nothing new and a run after failures sends only those.
//!
//! Entry points: [`notify`], [`Smtp::parse`]. The messages are the documents `post` stored: this
//! crate formats no money of its own beyond the subject line's amount, which is the ledger's.

use std::path::PathBuf;
use std::time::Duration;

use billrecon_ledger::{Channel, DocKind, Ledger, LedgerError, Scope, Stamp};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};

/// Why notify could not run at all (a message that fails is recorded and reported, not this).
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error("--smtp: {0}")]
    Url(String),
    #[error("--from: `{0}` is not an email address")]
    From(String),
    #[error("{0}")]
    Ledger(#[from] LedgerError),
    #[error("{path}: {error}")]
    Outbox { path: String, error: std::io::Error },
    #[error("{0} is not posted: `billrecon post` it first")]
    NotPosted(String),
}

/// How to reach the mail server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Smtp {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// From `BILLRECON_SMTP_USERNAME` and `BILLRECON_SMTP_PASSWORD`, never the command line.
    pub credentials: Option<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// `smtp://`: plain, for a relay on this machine.
    None,
    /// `smtp://` with `--starttls`: STARTTLS required.
    StartTls,
    /// `smtps://`: TLS from the first byte.
    Implicit,
}

impl Smtp {
    /// `smtp://HOST:PORT` or `smtps://HOST:PORT`.
    pub fn parse(url: &str, starttls: bool) -> Result<Smtp, NotifyError> {
        let (scheme, rest) = url.split_once("://").ok_or_else(|| NotifyError::Url(format!("`{url}` is not smtp://HOST:PORT")))?;
        let security = match (scheme, starttls) {
            ("smtp", false) => Security::None,
            ("smtp", true) => Security::StartTls,
            ("smtps", _) => Security::Implicit,
            _ => return Err(NotifyError::Url(format!("`{scheme}` is not smtp or smtps"))),
        };
        let rest = rest.trim_end_matches('/');
        let (host, port) = match rest.rsplit_once(':') {
            Some((h, p)) => (h, p.parse::<u16>().map_err(|_| NotifyError::Url(format!("`{p}` is not a port")))?),
            None => (rest, if security == Security::Implicit { 465 } else { 25 }),
        };
        if host.is_empty() || host.chars().any(|c| c.is_control() || c.is_whitespace() || c == '@' || c == '/') {
            return Err(NotifyError::Url(format!("`{host}` is not a host name")));
        }
        Ok(Smtp { host: host.to_string(), port, security, credentials: None })
    }
}

/// Where messages go.
pub enum Delivery {
    Smtp(Smtp),
    /// `.eml` files in a folder, nothing sent.
    Outbox(PathBuf),
}

pub struct Options<'a> {
    pub month: &'a str,
    pub from: &'a str,
    /// With it, each message links to `ORIGIN/me/MONTH`.
    pub public_origin: Option<&'a str>,
    pub delivery: Delivery,
    /// One-time links to set a password, by employee id (`--enrol`): added to their message.
    pub enrol_links: std::collections::BTreeMap<String, String>,
}

/// What a run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// (employee, address) of each message sent or written now.
    pub sent: Vec<(String, String)>,
    /// Employees whose message went out on an earlier run.
    pub already: Vec<String>,
    /// (employee, why) of each employee with no address one could send to: not sent.
    pub unsendable: Vec<(String, String)>,
    /// (employee, address, why) of each message the server refused or that could not be sent.
    pub failed: Vec<(String, String, String)>,
}

impl Report {
    pub fn complete(&self) -> bool {
        self.unsendable.is_empty() && self.failed.is_empty()
    }
}

/// Why an address from the employees table cannot be sent to (None: it can).
pub fn unsendable(email: &str) -> Option<String> {
    if email.trim().is_empty() {
        return Some("no email in the employees table".into());
    }
    if let Some(c) = email.chars().find(|c| c.is_control()) {
        return Some(format!("the email holds the control character U+{:04X}", c as u32));
    }
    if email.parse::<lettre::Address>().is_err() {
        return Some("the email is not an address".into());
    }
    None
}

/// Sends (or writes) each employee's notice of the posted `month` that has not gone out before.
pub fn notify(ledger: &mut Ledger, opts: &Options<'_>, stamp: &Stamp) -> Result<Report, NotifyError> {
    let from: Mailbox = opts.from.parse().map_err(|_| NotifyError::From(opts.from.to_string()))?;
    if ledger.latest_post(opts.month)?.is_none() {
        return Err(NotifyError::NotPosted(opts.month.to_string()));
    }
    let out = Outbound::new(&opts.delivery)?;
    let channel = out.channel;
    let mut report = Report::default();
    for n in ledger.notices_to_send(opts.month)? {
        if ledger.was_sent(opts.month, "notice", &n.employee_id, channel)? {
            report.already.push(n.employee_id);
            continue;
        }
        if let Some(why) = unsendable(&n.email) {
            report.unsendable.push((n.employee_id, why));
            continue;
        }
        let Some(doc) = ledger.document(opts.month, DocKind::Notice, &n.employee_id, &Scope::All)? else {
            report.unsendable.push((n.employee_id, "no notice was stored for this month".into()));
            continue;
        };
        let amount = billrecon_model::usd(n.amount);
        let subject = format!("Telephone reimbursement notice, {}: {amount} due {}", opts.month, n.due);
        let (mut text, mut html) = (doc.plain.clone(), doc.html.clone());
        if let Some(o) = opts.public_origin {
            let link = format!("{}/me/{}", o.trim_end_matches('/'), opts.month);
            add_link(&mut text, &mut html, "Your calls and this notice online", &link);
        }
        if let Some(link) = opts.enrol_links.get(&n.employee_id) {
            let words = "To see your calls and sign for the personal ones, set your password (this link works once, for 7 days)";
            add_link(&mut text, &mut html, words, link);
        }
        let result = out.send(&from, &n.email, subject, text, html, &format!("{}-{}", doc.name, opts.month));
        match result {
            Ok(()) => {
                ledger.record_message(opts.month, "notice", &n.employee_id, &n.email, channel, true, "", stamp)?;
                report.sent.push((n.employee_id, n.email));
            }
            Err(why) => {
                ledger.record_message(opts.month, "notice", &n.employee_id, &n.email, channel, false, &why, stamp)?;
                report.failed.push((n.employee_id, n.email, why));
            }
        }
    }
    Ok(report)
}

/// Sends each program user (with an email) the month's statement of each of their accounts
/// that has one: the statement's HTML, and its CSV as the plain-text part. Recorded like the
/// notices (key `LOGIN ACCOUNT`): a second run sends nothing new.
pub fn statements(ledger: &mut Ledger, opts: &Options<'_>, stamp: &Stamp) -> Result<Report, NotifyError> {
    let from: Mailbox = opts.from.parse().map_err(|_| NotifyError::From(opts.from.to_string()))?;
    if ledger.latest_post(opts.month)?.is_none() {
        return Err(NotifyError::NotPosted(opts.month.to_string()));
    }
    let out = Outbound::new(&opts.delivery)?;
    let mut report = Report::default();
    for u in ledger.users()?.into_iter().filter(|u| u.role == billrecon_ledger::Role::Program && !u.disabled) {
        for acct in &u.accounts {
            let key = format!("{} {acct}", u.login);
            let Some(doc) = ledger.document(opts.month, DocKind::Statement, acct, &Scope::All)? else { continue };
            if ledger.was_sent(opts.month, "statement", &key, out.channel)? {
                report.already.push(key);
                continue;
            }
            if let Some(why) = unsendable(&u.email) {
                report.unsendable.push((key, why.replace("the employees table", "the user (billrecon user add --email)")));
                continue;
            }
            let (mut text, mut html) = (doc.plain.clone(), doc.html.clone());
            if let Some(o) = opts.public_origin {
                let link = format!("{}/months/{}/statements/{acct}", o.trim_end_matches('/'), opts.month);
                add_link(&mut text, &mut html, "This statement online", &link);
            }
            let subject = format!("Telephone chargeback statement, {}: account {acct}", opts.month);
            let sent = out.send(&from, &u.email, subject, text, html, &format!("{}-{}", doc.name, opts.month));
            match sent {
                Ok(()) => {
                    ledger.record_message(opts.month, "statement", &key, &u.email, out.channel, true, "", stamp)?;
                    report.sent.push((key, u.email.clone()));
                }
                Err(why) => {
                    ledger.record_message(opts.month, "statement", &key, &u.email, out.channel, false, &why, stamp)?;
                    report.failed.push((key, u.email.clone(), why));
                }
            }
        }
    }
    Ok(report)
}

/// A line saying `words: link`, after the text and at the end of the HTML document's body.
fn add_link(text: &mut String, html: &mut String, words: &str, link: &str) {
    text.push_str(&format!("\n{words}: {link}\n"));
    if let Some(at) = html.rfind("</main>") {
        html.insert_str(at, &format!("<p>{words}: <a href=\"{link}\">{link}</a></p>\n"));
    }
}

/// Where a run's messages go: one SMTP transport, or an outbox folder.
struct Outbound<'a> {
    transport: Option<SmtpTransport>,
    outbox: Option<&'a std::path::Path>,
    channel: Channel,
}

impl<'a> Outbound<'a> {
    fn new(d: &'a Delivery) -> Result<Outbound<'a>, NotifyError> {
        Ok(match d {
            Delivery::Smtp(s) => Outbound { transport: Some(transport(s)?), outbox: None, channel: Channel::Smtp },
            Delivery::Outbox(dir) => {
                std::fs::create_dir_all(dir).map_err(|error| NotifyError::Outbox { path: dir.display().to_string(), error })?;
                Outbound { transport: None, outbox: Some(dir), channel: Channel::Outbox }
            }
        })
    }

    /// One message, text and HTML; `name` names its `.eml` in an outbox.
    fn send(&self, from: &Mailbox, to: &str, subject: String, text: String, html: String, name: &str) -> Result<(), String> {
        let to: Mailbox = to.trim().parse().map_err(|_| "the email is not an address".to_string())?;
        let msg = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(subject)
            .multipart(MultiPart::alternative_plain_html(text, html))
            .map_err(|e| e.to_string())?;
        match (&self.transport, self.outbox) {
            (Some(t), _) => t.send(&msg).map(|_| ()).map_err(|e| e.to_string()),
            (None, Some(dir)) => {
                let path = dir.join(format!("{name}.eml"));
                std::fs::write(&path, msg.formatted()).map_err(|e| format!("{}: {e}", path.display()))
            }
            (None, None) => Err("no transport".to_string()),
        }
    }
}

fn transport(s: &Smtp) -> Result<SmtpTransport, NotifyError> {
    let tls = |h: &str| TlsParameters::new(h.to_string()).map_err(|e| NotifyError::Url(e.to_string()));
    let mut b = SmtpTransport::builder_dangerous(s.host.as_str()).port(s.port).timeout(Some(Duration::from_secs(30)));
    b = match s.security {
        Security::None => b.tls(Tls::None),
        Security::StartTls => b.tls(Tls::Required(tls(&s.host)?)),
        Security::Implicit => b.tls(Tls::Wrapper(tls(&s.host)?)),
    };
    if let Some((u, p)) = &s.credentials {
        b = b.credentials(Credentials::new(u.clone(), p.clone()));
    }
    Ok(b.build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls() {
        let s = Smtp::parse("smtp://127.0.0.1:2525", false).unwrap();
        assert_eq!((s.host.as_str(), s.port, s.security), ("127.0.0.1", 2525, Security::None));
        assert_eq!(Smtp::parse("smtp://relay.example.gov:587", true).unwrap().security, Security::StartTls);
        assert_eq!(Smtp::parse("smtps://relay.example.gov", false).unwrap().port, 465);
        assert!(Smtp::parse("http://x:1", false).is_err());
        assert!(Smtp::parse("smtp://x:notaport", false).is_err());
        assert!(Smtp::parse("smtp://us@er:1", false).is_err());
    }

    #[test]
    fn addresses_that_cannot_be_sent_to() {
        assert_eq!(unsendable("mlopez@example.org"), None);
        assert_eq!(unsendable(""), Some("no email in the employees table".into()));
        assert_eq!(
            unsendable("a@example.org\r\nBcc: x@evil.example"),
            Some("the email holds the control character U+000D".into())
        );
        assert_eq!(unsendable("not an address"), Some("the email is not an address".into()));
    }
}
