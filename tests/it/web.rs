//! `billrecon serve` as a process, through the contract docs/web.md keeps: the first stdout line
//! is the URL, login by form, the month's findings by id, statements and notices from the ledger
//! alone (the month folder removed), a waiver that is the CLI's own event, real requests at once.

#[path = "../common/server.rs"]
mod server;

use server::{billrecon, form, login, posted, request, Server};

#[test]
fn the_contract_end_to_end() {
    let p = posted("2026-10");
    let s = Server::start(&p.ledger);
    let a = &s.addr;
    // Not logged in: every page but /login and the assets goes to /login.
    for path in ["/", "/months/2026-10", "/findings/DA-8bd95ef0", "/nothing"] {
        let r = request(a, "GET", path, &[], "");
        assert_eq!((r.status, r.header("location")), (303, Some("/login")), "{path}");
    }
    assert_eq!(request(a, "GET", "/static/app.css", &[], "").status, 200);
    // A wrong password gives no session.
    let page = request(a, "GET", "/login", &[], "");
    let csrf = server::csrf_of(&page.body);
    let bad = request(a, "POST", "/login", &[], &form(&[("login", "sup"), ("password", "nope nope nope"), ("csrf", &csrf)]));
    assert_eq!(bad.status, 401);
    assert!(bad.header("set-cookie").is_none());

    let sup = login(a, "sup");
    let month = request(a, "GET", "/months/2026-10", &[("Cookie", &sup)], "");
    assert_eq!(month.status, 200);
    for id in ["DA-8bd95ef0", "DA-2d26e6f7", "UNA-95c2ede5", "NBL-4e4853fb"] {
        assert!(month.body.contains(&format!("href=\"/findings/{id}\"")), "{id}");
    }
    // The statement's CSV is the one reconcile writes, byte for byte.
    let out = tempfile::tempdir().unwrap();
    billrecon(&["reconcile", "fixtures/2026-10", "--out", out.path().to_str().unwrap()], None, 1);
    let csv = request(a, "GET", "/months/2026-10/statements/1010-ARTS/csv", &[("Cookie", &sup)], "");
    assert_eq!(csv.body, std::fs::read_to_string(out.path().join("statements/1010-ARTS.csv")).unwrap());
    let txt = request(a, "GET", "/months/2026-10/notices/E1001/txt", &[("Cookie", &sup)], "");
    assert_eq!(txt.body, std::fs::read_to_string(out.path().join("notices/E1001.txt")).unwrap());

    // A program sees its statement and not another's; an employee their notice only.
    let arts = login(a, "arts");
    assert_eq!(request(a, "GET", "/months/2026-10/statements/1010-ARTS", &[("Cookie", &arts)], "").status, 200);
    assert_eq!(request(a, "GET", "/months/2026-10/statements/1030-SPED", &[("Cookie", &arts)], "").status, 404);
    let emp = login(a, "e1001");
    assert_eq!(request(a, "GET", "/months/2026-10/notices/E1001", &[("Cookie", &emp)], "").status, 200);
    assert_eq!(request(a, "GET", "/months/2026-10/notices/E1007", &[("Cookie", &emp)], "").status, 404);

    // The supervisor waives: the ledger's own event; the CLI then finds it waived.
    let f = request(a, "GET", "/findings/DA-8bd95ef0", &[("Cookie", &sup)], "");
    let csrf = server::csrf_of(&f.body);
    let origin = format!("http://{a}");
    let w = request(
        a,
        "POST",
        "/findings/DA-8bd95ef0/waive",
        &[("Cookie", &sup), ("Origin", &origin)],
        &form(&[("reason", "a business call"), ("csrf", &csrf), ("version", "0")]),
    );
    assert_eq!(w.status, 303, "{}", w.body);
    let l = p.ledger.to_str().unwrap();
    let again = billrecon(&["finding", "waive", "DA-8bd95ef0", "--reason", "again", "--by", "A. Clerk", "--ledger", l], None, 0);
    assert!(again.contains("already waived"), "{again}");
    // No token, or a foreign origin: 403 and nothing written.
    let no_token = request(
        a,
        "POST",
        "/findings/DA-2d26e6f7/waive",
        &[("Cookie", &sup), ("Origin", &origin)],
        &form(&[("reason", "x"), ("version", "0")]),
    );
    assert_eq!(no_token.status, 403);
    let foreign = request(
        a,
        "POST",
        "/findings/DA-2d26e6f7/waive",
        &[("Cookie", &sup), ("Origin", "http://127.0.0.1:1")],
        &form(&[("reason", "x"), ("csrf", &csrf), ("version", "0")]),
    );
    assert_eq!(foreign.status, 403);
    let history = billrecon(&["findings", "fixtures/2026-10", "--ledger", l, "--format", "csv"], None, 1);
    assert!(!history.contains("DA-2d26e6f7,waived"), "{history}");
    billrecon(&["ledger", "verify", "--ledger", l], None, 0);
}

/// Two supervisors' waivers of one finding sent at once over real connections: one waiver.
#[test]
fn two_waivers_over_http_at_once_record_one() {
    let p = posted("2026-10");
    let s = Server::start(&p.ledger);
    let a = s.addr.clone();
    let origin = format!("http://{a}");
    for round in 0..5 {
        let id = ["DA-8bd95ef0", "DA-2d26e6f7", "DA-53a423e8", "PCC-7f21dc2f", "OVG-4f45cf2d"][round];
        let sessions: Vec<(String, String)> = (0..2)
            .map(|_| {
                let c = login(&a, "sup");
                let f = request(&a, "GET", &format!("/findings/{id}"), &[("Cookie", &c)], "");
                (c, server::csrf_of(&f.body))
            })
            .collect();
        let handles: Vec<_> = sessions
            .into_iter()
            .map(|(c, csrf)| {
                let (a, origin, id) = (a.clone(), origin.clone(), id.to_string());
                std::thread::spawn(move || {
                    request(
                        &a,
                        "POST",
                        &format!("/findings/{id}/waive"),
                        &[("Cookie", &c), ("Origin", &origin)],
                        &form(&[("reason", "business"), ("csrf", &csrf), ("version", "0")]),
                    )
                    .status
                })
            })
            .collect();
        let mut statuses: Vec<u16> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        statuses.sort();
        assert_eq!(statuses, [303, 409], "round {round}");
    }
    let db = rusqlite::Connection::open(&p.ledger).unwrap();
    let n: i64 = db.query_row("SELECT COUNT(*) FROM events WHERE source = 'web'", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 5);
    billrecon(&["ledger", "verify", "--ledger", p.ledger.to_str().unwrap()], None, 0);
}

#[test]
fn users_are_added_with_hashed_passwords_and_refused_text_writes_nothing() {
    let p = posted("2026-10");
    let l = p.ledger.to_str().unwrap();
    let list = billrecon(&["user", "list", "--ledger", l], None, 0);
    assert!(list.contains("arts                     program     1010-ARTS                      active"), "{list}");
    let again = billrecon(
        &["user", "add", "sup", "--role", "clerk", "--password-stdin", "--ledger", l],
        Some("another long password\n"),
        2,
    );
    assert!(again.contains("user sup exists already: nothing written"), "{again}");
    let short = billrecon(&["user", "add", "new", "--role", "clerk", "--password-stdin", "--ledger", l], Some("short\n"), 2);
    assert!(short.contains("at least 10 characters"), "{short}");
    let hostile = billrecon(
        &["user", "add", "x", "--role", "program", "--account", "10\u{1b}[31m", "--password-stdin", "--ledger", l],
        Some("long enough password\n"),
        2,
    );
    assert!(hostile.contains("--account"), "{hostile}");
    let no_scope = billrecon(
        &["user", "add", "y", "--role", "program", "--password-stdin", "--ledger", l],
        Some("long enough password\n"),
        2,
    );
    assert!(no_scope.contains("needs at least one --account"), "{no_scope}");
    let db = rusqlite::Connection::open(&p.ledger).unwrap();
    let hashes: Vec<String> = db
        .prepare("SELECT password_hash FROM user_events")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(hashes.len(), server::USERS.len(), "nothing written by the refused adds");
    assert!(hashes.iter().all(|h| h.starts_with("$argon2id$")));
    // Disabled: the next request logs the session out.
    let s = Server::start(&p.ledger);
    let c = login(&s.addr, "clerk");
    assert_eq!(request(&s.addr, "GET", "/months", &[("Cookie", &c)], "").status, 200);
    billrecon(&["user", "disable", "clerk", "--ledger", l], None, 0);
    assert_eq!(request(&s.addr, "GET", "/months", &[("Cookie", &c)], "").status, 303);
}

#[test]
fn serving_beyond_loopback_without_tls_warns() {
    let p = posted("2026-10");
    let out = std::process::Command::new(server::bin())
        .args(["serve", "--ledger", p.ledger.to_str().unwrap(), "--host", "127.0.0.1", "--public-origin", "ftp://x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--public-origin: `ftp://x` is not an origin"));
    let mut child = std::process::Command::new(server::bin())
        .args(["serve", "--ledger", p.ledger.to_str().unwrap(), "--host", "0.0.0.0", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut line).unwrap();
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(line.starts_with("http://0.0.0.0:"), "{line}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning: serving on 0.0.0.0, beyond this machine, without TLS"));
}
