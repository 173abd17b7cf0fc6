//! `billrecon notify` against a real SMTP server the test starts on 127.0.0.1.

use crate::server;
use crate::smtp;

use server::{billrecon, form, request};
use smtp::SmtpServer;

/// E1001's address in the sample month's employees table.
const MARIA: &str = "mlopez@example.org";

/// `billrecon notify 2026-10` with `args`; panics unless it exits `code`.
fn notify(args: &[&str], code: i32) -> String {
    let mut all = vec!["notify", "2026-10"];
    all.extend_from_slice(args);
    billrecon(&all, None, code)
}

fn emails_of(mails: &[smtp::Mail]) -> Vec<String> {
    let mut v: Vec<String> = mails.iter().flat_map(|m| m.to.clone()).collect();
    v.sort();
    v
}

#[test]
fn each_employee_gets_one_message_and_a_second_run_sends_none() {
    let p = server::posted("2026-10");
    let l = p.ledger.to_str().unwrap();
    let s = SmtpServer::start(&[]);
    let out = notify(
        &["--smtp", &s.url(), "--from", "billing@example.org", "--ledger", l, "--public-origin", "https://bills.example.gov"],
        0,
    );
    assert!(out.starts_with("2026-10: 4 notice(s) sent, 0 already sent before."), "{out}");
    let mails = s.mails();
    assert_eq!(mails.len(), 4);
    let to = emails_of(&mails);
    assert_eq!(to.len(), 4);
    assert!(to.contains(&MARIA.to_string()), "{to:?}");
    let maria = mails.iter().find(|m| m.to == ["mlopez@example.org"]).unwrap();
    assert_eq!(maria.from, "billing@example.org");
    let d = &maria.data;
    assert!(d.contains("Subject: Telephone reimbursement notice, 2026-10: $11.89 due "), "{d}");
    assert!(d.contains("Content-Type: multipart/alternative"), "{d}");
    assert!(d.contains("Content-Type: text/plain; charset=utf-8"));
    assert!(d.contains("Content-Type: text/html; charset=utf-8"));
    assert!(d.contains("https://bills.example.gov/me/2026-10"));
    // Again: nothing new.
    let again = notify(&["--smtp", &s.url(), "--from", "billing@example.org", "--ledger", l], 0);
    assert!(again.starts_with("2026-10: 0 notice(s) sent, 4 already sent before."), "{again}");
    assert_eq!(s.mails().len(), 4);
}

#[test]
fn a_refused_recipient_is_retried_alone_and_a_bad_address_is_listed() {
    let p = server::posted("2026-10");
    let l = p.ledger.to_str().unwrap();
    let refusing = SmtpServer::start(&["mlopez@example.org"]);
    let out = notify(&["--smtp", &refusing.url(), "--from", "billing@example.org", "--ledger", l], 1);
    assert!(out.contains("failed: E1001 <mlopez@example.org>: permanent error (550)"), "{out}");
    assert_eq!(refusing.mails().len(), 3);
    let s = SmtpServer::start(&[]);
    let retry = notify(&["--smtp", &s.url(), "--from", "billing@example.org", "--ledger", l], 0);
    assert!(retry.starts_with("2026-10: 1 notice(s) sent, 3 already sent before."), "{retry}");
    assert_eq!(emails_of(&s.mails()), ["mlopez@example.org"]);
    // Outbox: .eml files instead, nothing sent.
    let outbox = tempfile::tempdir().unwrap();
    let o = notify(&["--outbox", outbox.path().to_str().unwrap(), "--from", "billing@example.org", "--ledger", l], 0);
    assert!(o.starts_with("2026-10: 4 notice(s) written"), "{o}");
    let eml = std::fs::read_to_string(outbox.path().join("E1001-2026-10.eml")).unwrap();
    assert!(eml.contains("To: mlopez@example.org"));
}

#[test]
fn an_employee_with_no_usable_email_is_listed_and_not_sent_to() {
    // The sample month with one employee's email holding a line break and one's missing.
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("2026-10");
    std::fs::create_dir_all(&m).unwrap();
    for e in std::fs::read_dir(server::root().join("fixtures/2026-10")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, m.join(p.file_name().unwrap())).unwrap();
    }
    let emp = std::fs::read_to_string(m.join("employees.csv")).unwrap();
    let first_email = |id: &str| emp.lines().find(|l| l.starts_with(id)).unwrap().split(',').nth(2).unwrap().to_string();
    let e1007 = first_email("E1007");
    let e1008 = first_email("E1008");
    let emp = emp.replace(&e1007, "\"x@example.org\nBcc: all@example.org\"").replace(&e1008, "");
    std::fs::write(m.join("employees.csv"), emp).unwrap();
    let ledger = dir.path().join("billrecon.db");
    let l = ledger.to_str().unwrap();
    billrecon(&["post", m.to_str().unwrap(), "--ledger", l, "-q"], None, 1);
    let s = SmtpServer::start(&[]);
    let out = notify(&["--smtp", &s.url(), "--from", "billing@example.org", "--ledger", l], 1);
    assert!(out.contains("not sent: E1007: the email holds the control character U+000A"), "{out}");
    assert!(out.contains("not sent: E1008: no email in the employees table"), "{out}");
    assert_eq!(s.mails().len(), 2, "the others are sent");
}

/// `--enrol`: each employee with no web login gets a one-time link; it sets their password once.
#[test]
fn an_enrolment_link_sets_the_password_once() {
    let p = server::posted("2026-10");
    let l = p.ledger.to_str().unwrap();
    let web = server::Server::start(&p.ledger);
    let origin = web.url.trim_end_matches('/').to_string();
    let s = SmtpServer::start(&[]);
    notify(&["--smtp", &s.url(), "--from", "billing@example.org", "--ledger", l, "--public-origin", &origin, "--enrol"], 0);
    let mails = s.mails();
    // E1001 has a login already (the test users): no link. E1007 has none: a link.
    let unwrapped = |m: &smtp::Mail| m.data.replace("=\r\n", "").replace("=3D", "=");
    let maria = mails.iter().find(|m| m.to == [MARIA]).unwrap();
    assert!(!unwrapped(maria).contains("/enrol/"));
    let link_mail = mails.iter().map(unwrapped).find(|d| d.contains("/enrol/")).expect("a link for an employee with no login");
    let at = link_mail.find(&format!("{origin}/enrol/")).unwrap();
    let token: String =
        link_mail[at + origin.len() + "/enrol/".len()..].chars().take_while(|c| c.is_ascii_hexdigit() || *c == '.').collect();
    let a = &web.addr;
    let form_page = request(a, "GET", &format!("/enrol/{token}"), &[], "");
    assert_eq!(form_page.status, 200, "{}", form_page.body);
    let login = form_page.body.split("Your login is <strong>").nth(1).unwrap().split('<').next().unwrap().to_string();
    let csrf = server::csrf_of(&form_page.body);
    let bad = request(
        a,
        "POST",
        &format!("/enrol/{token}"),
        &[("Origin", &origin)],
        &form(&[("csrf", &csrf), ("password", "a new passphrase"), ("again", "another one")]),
    );
    assert_eq!(bad.status, 422);
    let csrf = server::csrf_of(&bad.body);
    let ok = request(
        a,
        "POST",
        &format!("/enrol/{token}"),
        &[("Origin", &origin)],
        &form(&[("csrf", &csrf), ("password", "a new passphrase"), ("again", "a new passphrase")]),
    );
    assert_eq!((ok.status, ok.header("location")), (303, Some("/login")), "{}", ok.body);
    // The new login works; the link does not, a second time.
    let page = request(a, "GET", "/login", &[], "");
    let logged = request(
        a,
        "POST",
        "/login",
        &[],
        &form(&[("login", &login), ("password", "a new passphrase"), ("csrf", &server::csrf_of(&page.body))]),
    );
    assert_eq!(logged.status, 303);
    assert_eq!(request(a, "GET", &format!("/enrol/{token}"), &[], "").status, 404);
    assert_eq!(request(a, "GET", "/enrol/1.not-the-secret", &[], "").status, 404);
    let list = billrecon(&["user", "list", "--ledger", l], None, 0);
    assert!(list.contains(&format!("{login:<24} employee")), "{list}");
}

/// `--statements`: each program user with an email gets their accounts' statements, once.
#[test]
fn program_users_get_their_statements_once() {
    let p = server::posted("2026-10");
    let l = p.ledger.to_str().unwrap();
    let pw = format!("{}\n", server::PASSWORD);
    billrecon(
        &[
            "user",
            "add",
            "arts-lead",
            "--role",
            "program",
            "--account",
            "1010-ARTS",
            "--account",
            "1020-TRANS",
            "--email",
            "lead@arts.example.org",
            "--password-stdin",
            "--ledger",
            l,
        ],
        Some(&pw),
        0,
    );
    let bad = billrecon(
        &[
            "user",
            "add",
            "x",
            "--role",
            "program",
            "--account",
            "1010-ARTS",
            "--email",
            "a@b.org\r\nBcc: c@d.org",
            "--password-stdin",
            "--ledger",
            l,
        ],
        Some(&pw),
        2,
    );
    assert!(bad.contains("--email"), "{bad}");
    let s = SmtpServer::start(&[]);
    let out = notify(&["--statements", "--smtp", &s.url(), "--from", "billing@example.org", "--ledger", l], 1);
    // The test users arts and sped have no email: listed, not sent.
    assert!(out.starts_with("2026-10: 2 statement(s) sent, 0 already sent before."), "{out}");
    assert!(out.contains("not sent: arts 1010-ARTS: no email in the user (billrecon user add --email)"), "{out}");
    let mails = s.mails();
    assert_eq!(mails.len(), 2);
    assert!(mails.iter().all(|m| m.to == ["lead@arts.example.org"]));
    assert!(mails.iter().any(|m| m.data.contains("Subject: Telephone chargeback statement, 2026-10: account 1010-ARTS")));
    assert!(!mails.iter().any(|m| m.data.contains("1030-SPED")), "only its own accounts");
    let again = notify(&["--statements", "--smtp", &s.url(), "--from", "billing@example.org", "--ledger", l], 1);
    assert!(again.starts_with("2026-10: 0 statement(s) sent, 2 already sent before."), "{again}");
}
