//! `billrecon serve` as a process, through the contract docs/web.md keeps: the first stdout line
//! is the URL, login by form, the month's findings by id, statements and notices from the ledger
//! alone (the month folder removed), a waiver that is the CLI's own event, real requests at once.

use crate::server;
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

/// The sample month without its attestations CSV, the same calls attested instead by their
/// employees on `/me/2026-10`, posts exactly the same money as with the CSV.
#[test]
fn web_attestations_post_the_same_money_as_the_csv() {
    let with_csv = posted("2026-10");
    let (dir, m, ledger) = server::opened_without_csv();
    let (l, md) = (ledger.to_str().unwrap(), m.to_str().unwrap());
    assert!(billrecon(&["open", md, "--ledger", l], None, 0).contains("open for review already with the same"));
    // Finance extends the deadline: only the deadline changes.
    let extended = billrecon(&["open", md, "--ledger", l, "--deadline", "2026-11-20"], None, 0);
    assert!(extended.contains("attestations now due 2026-11-20 (were due 2026-11-10)"), "{extended}");
    for (login, emp) in [("e1001", "E1001"), ("e1008", "E1008")] {
        billrecon(
            &["user", "add", login, "--role", "employee", "--employee", emp, "--password-stdin", "--ledger", l],
            Some(&format!("{}\n", server::PASSWORD)),
            0,
        );
    }
    let s = Server::start(&ledger);
    let a = &s.addr;
    let origin = format!("http://{a}");
    // What the CSV said, as each employee sees their calls: (date, time, number or any).
    /// A call as the CSV named it: date, time, number (empty: any).
    type Mark<'a> = (&'a str, &'a str, &'a str);
    let marks: [(&str, &[Mark<'_>]); 2] = [
        ("e1001", &[("2026-10-09", "18:42", "203-555-0188"), ("2026-10-17", "19:05", "")]),
        ("e1008", &[("2026-10-12", "20:15", "604-555-0142")]),
    ];
    for (login, calls) in marks {
        let c = server::login(a, login);
        let page = request(a, "GET", "/me/2026-10", &[("Cookie", &c)], "");
        assert_eq!(page.status, 200, "{}", page.body);
        let rows: Vec<(String, String)> = page
            .body
            .split("<tr data-call=\"")
            .skip(1)
            .map(|r| (r.split('"').next().unwrap().to_string(), r.to_string()))
            .collect();
        assert!(!rows.is_empty());
        let mut fields =
            vec![("csrf".to_string(), server::csrf_of(&page.body)), ("password".to_string(), server::PASSWORD.to_string())];
        for (date, time, number) in calls {
            let hits: Vec<&(String, String)> = rows
                .iter()
                .filter(|(_, r)| {
                    r.contains(&format!("<td class=\"nw\">{date}</td><td class=\"nw\">{time}</td>"))
                        && (number.is_empty() || r.contains(number))
                })
                .collect();
            assert_eq!(hits.len(), 1, "{login}: one call on {date} at {time}");
            fields.push(("personal".to_string(), hits[0].0.clone()));
        }
        let body: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        // Before signing: what the rules say they will owe with these calls ticked, the same
        // cents the month with the CSV posts for them.
        let ticks: Vec<(&str, &str)> = body.iter().filter(|(k, _)| *k != "password").copied().collect();
        let preview = request(
            a,
            "POST",
            "/me/2026-10/preview",
            &[("Cookie", &c), ("Origin", &origin), ("X-Billrecon-Fragment", "preview")],
            &form(&ticks),
        );
        assert_eq!(preview.status, 200, "{}", preview.body);
        let expected = if login == "e1001" { "$11.89" } else { "$3.50" };
        assert!(preview.body.contains(&format!("<td class=\"n\" data-total>{expected}</td>")), "{login}: {}", preview.body);
        if login == "e1001" {
            assert!(
                preview.body.contains(
                    "of them personal: personal use caused 22 of the 60 minutes over, so you repay $27.00 × 22 ÷ 60 = $9.90."
                ),
                "{}",
                preview.body
            );
        }
        let wrong: Vec<(&str, &str)> =
            body.iter().map(|(k, v)| if *k == "password" { (*k, "not my password") } else { (*k, *v) }).collect();
        let no = request(a, "POST", "/me/2026-10/attest", &[("Cookie", &c), ("Origin", &origin)], &form(&wrong));
        assert_eq!(no.status, 422, "a wrong password signs nothing");
        let signed = request(a, "POST", "/me/2026-10/attest", &[("Cookie", &c), ("Origin", &origin)], &form(&body));
        assert_eq!((signed.status, signed.header("location")), (303, Some("/me/2026-10?said=signed")), "{}", signed.body);
        // Another employee's month page is not theirs to see.
        let other = if login == "e1001" { "E1008" } else { "E1001" };
        assert_eq!(request(a, "GET", &format!("/months/2026-10/notices/{other}"), &[("Cookie", &c)], "").status, 404);
    }
    drop(s);
    let _keep = &dir;
    let posted_out = billrecon(&["post", md, "--ledger", l], None, 1);
    assert!(posted_out.contains("calls employees attested personal on the web: 3"), "{posted_out}");
    /// Cents by key: each employee's notices, each account's postings.
    type Sums = Vec<(String, i64)>;
    let money = |db: &std::path::Path| -> (Sums, Sums) {
        let c = rusqlite::Connection::open(db).unwrap();
        let q = |sql: &str| {
            c.prepare(sql)
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect::<Vec<(String, i64)>>()
        };
        (
            q("SELECT employee_id, SUM(amount_cents) FROM receivables GROUP BY employee_id ORDER BY employee_id"),
            q("SELECT account_code || ' ' || employee_id || ' ' || posting_kind, SUM(amount_cents) FROM entries WHERE kind = 'posting' GROUP BY 1 ORDER BY 1"),
        )
    };
    let (web_owed, web_entries) = money(&ledger);
    let (csv_owed, csv_entries) = money(&with_csv.ledger);
    assert_eq!(web_owed, csv_owed, "every employee's liability to the cent");
    assert_eq!(web_entries, csv_entries, "every account's postings to the cent");
    assert!(web_owed.iter().any(|(e, c)| e == "E1008" && *c == 350), "{web_owed:?}");
    // Posted: a signature now is late, and the page says what that means.
    let s = Server::start(&ledger);
    let c = server::login(&s.addr, "e1001");
    let page = request(&s.addr, "GET", "/me/2026-10", &[("Cookie", &c)], "");
    assert!(page.body.contains("This month is posted. What a call you mark personal now adds"));
    billrecon(&["ledger", "verify", "--ledger", l], None, 0);
}

/// After posting, an employee marks a call with its own charge personal: a new notice for them
/// and a credit to the line's program, every posted row as it was, the ledger adding up.
#[test]
fn a_late_attestation_is_an_adjustment_and_the_posted_month_is_unchanged() {
    let (_dir, m, ledger) = server::opened_without_csv();
    let l = ledger.to_str().unwrap();
    billrecon(
        &["user", "add", "e1012", "--role", "employee", "--employee", "E1012", "--password-stdin", "--ledger", l],
        Some(&format!("{}\n", server::PASSWORD)),
        0,
    );
    billrecon(&["post", m.to_str().unwrap(), "--ledger", l, "-q"], None, 1);
    let db = rusqlite::Connection::open(&ledger).unwrap();
    let dump = |db: &rusqlite::Connection, table: &str| -> Vec<String> {
        let mut st = db.prepare(&format!("SELECT * FROM {table} ORDER BY rowid")).unwrap();
        let n = st.column_count();
        st.query_map([], |r| Ok((0..n).map(|i| format!("{:?}", r.get_ref(i).unwrap())).collect::<Vec<_>>().join("|")))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let tables = ["entries", "journal", "receivables", "findings", "invoices", "documents"];
    let before: Vec<Vec<String>> = tables.iter().map(|t| dump(&db, t)).collect();
    let owed = |db: &rusqlite::Connection| -> i64 {
        db.query_row("SELECT SUM(amount_cents) FROM receivables WHERE employee_id = 'E1012'", [], |r| r.get(0)).unwrap()
    };
    let owed_before = owed(&db);
    let s = Server::start(&ledger);
    let c = server::login(&s.addr, "e1012");
    let page = request(&s.addr, "GET", "/me/2026-10", &[("Cookie", &c)], "");
    let id_of = |date: &str, time: &str| -> String {
        page.body
            .split("<tr data-call=\"")
            .skip(1)
            .find(|r| r.contains(&format!("<td class=\"nw\">{date}</td><td class=\"nw\">{time}</td>")))
            .map(|r| r.split('"').next().unwrap().to_string())
            .unwrap()
    };
    // A toll call with its own $0.35, a directory-assistance call already charged, a plain call.
    let toll = id_of("2026-10-15", "14:05");
    let da = id_of("2026-10-08", "09:05");
    let csrf = server::csrf_of(&page.body);
    let origin = format!("http://{}", s.addr);
    let body = form(&[("csrf", &csrf), ("password", server::PASSWORD), ("personal", &toll), ("personal", &da)]);
    let a = request(&s.addr, "POST", "/me/2026-10/attest", &[("Cookie", &c), ("Origin", &origin)], &body);
    assert_eq!((a.status, a.header("location")), (303, Some("/me/2026-10?said=late")), "{}", a.body);
    let after_page = request(&s.addr, "GET", "/me/2026-10?said=late", &[("Cookie", &c)], "");
    assert!(after_page.body.contains("Added after posting"), "{}", after_page.body);
    assert!(after_page.body.contains("<td class=\"n\">$0.35</td>"));
    // Signing the same again adds nothing.
    let again = request(&s.addr, "POST", "/me/2026-10/attest", &[("Cookie", &c), ("Origin", &origin)], &body);
    assert_eq!(again.status, 303);
    // Finance is told.
    billrecon(
        &["user", "add", "clerk", "--role", "clerk", "--password-stdin", "--ledger", l],
        Some(&format!("{}\n", server::PASSWORD)),
        0,
    );
    let fin = server::login(&s.addr, "clerk");
    let told = request(&s.addr, "GET", "/months/2026-10/attestations", &[("Cookie", &fin)], "");
    assert!(told.body.contains("Signed after posting: adjustments"), "{}", told.body);
    assert!(told.body.contains("<td>E1012</td>") && told.body.contains("<td class=\"n\">$0.35</td>"));
    drop(s);
    let db = rusqlite::Connection::open(&ledger).unwrap();
    for (t, rows) in tables.iter().zip(&before) {
        let now = dump(&db, t);
        assert_eq!(&now[..rows.len()], &rows[..], "{t}: the posted rows are as they were");
    }
    assert_eq!(owed(&db), owed_before + 35, "E1012 owes the toll call's 35 cents more");
    let adj: (String, i64) =
        db.query_row("SELECT account_code, amount_cents FROM adjustments", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    assert_eq!(adj, ("1030-SPED".to_string(), 35));
    billrecon(&["ledger", "verify", "--ledger", l], None, 0);
    let journal = billrecon(&["journal", "--since", "2026-01-01", "--ledger", l], None, 0);
    assert!(journal.contains("late_attestation"), "{journal}");
    let receivables = billrecon(&["receivables", "--ledger", l, "--employee", "E1012", "--format", "csv"], None, 0);
    assert!(receivables.contains("E1012"), "{receivables}");
}

/// The sample month posted with no attestation at all, then its personal calls signed late by
/// their employees: the adjustments (a call's own charge, an overage share recomputed by the
/// rules) bring each employee to the cents the month with the CSV posts.
#[test]
fn late_signatures_reach_the_same_money_as_timely_ones() {
    let with_csv = posted("2026-10");
    let (_dir, m, ledger) = server::opened_without_csv();
    let l = ledger.to_str().unwrap();
    let pw = format!("{}\n", server::PASSWORD);
    for (login, emp) in [("e1001", "E1001"), ("e1008", "E1008")] {
        billrecon(
            &["user", "add", login, "--role", "employee", "--employee", emp, "--password-stdin", "--ledger", l],
            Some(&pw),
            0,
        );
    }
    billrecon(&["post", m.to_str().unwrap(), "--ledger", l, "-q"], None, 1);
    let s = Server::start(&ledger);
    let origin = format!("http://{}", s.addr);
    type Mark<'a> = (&'a str, &'a str);
    let marks: [(&str, &[Mark<'_>]); 2] =
        [("e1001", &[("2026-10-09", "18:42"), ("2026-10-17", "19:05")]), ("e1008", &[("2026-10-12", "20:15")])];
    for (login, calls) in marks {
        let c = server::login(&s.addr, login);
        let page = request(&s.addr, "GET", "/me/2026-10", &[("Cookie", &c)], "");
        let mut fields =
            vec![("csrf".to_string(), server::csrf_of(&page.body)), ("password".to_string(), server::PASSWORD.to_string())];
        for (date, time) in calls {
            let id = page
                .body
                .split("<tr data-call=\"")
                .skip(1)
                .find(|r| r.contains(&format!("<td class=\"nw\">{date}</td><td class=\"nw\">{time}</td>")))
                .map(|r| r.split('"').next().unwrap().to_string())
                .unwrap();
            fields.push(("personal".to_string(), id));
        }
        let body: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let a = request(&s.addr, "POST", "/me/2026-10/attest", &[("Cookie", &c), ("Origin", &origin)], &form(&body));
        assert_eq!(a.header("location"), Some("/me/2026-10?said=late"), "{}", a.body);
        // The same signature again adds nothing.
        request(&s.addr, "POST", "/me/2026-10/attest", &[("Cookie", &c), ("Origin", &origin)], &form(&body));
    }
    let owed = |db: &std::path::Path| -> Vec<(String, i64)> {
        let c = rusqlite::Connection::open(db).unwrap();
        let mut st = c.prepare("SELECT employee_id, SUM(amount_cents) FROM receivables WHERE employee_id IN ('E1001', 'E1008') GROUP BY employee_id ORDER BY 1").unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(owed(&ledger), owed(&with_csv.ledger));
    assert_eq!(owed(&ledger), [("E1001".to_string(), 1189), ("E1008".to_string(), 350)]);
    billrecon(&["ledger", "verify", "--ledger", l], None, 0);
}

/// Opening again: the same files change nothing; changed files are refused, naming the
/// difference, until --replace, which keeps the signatures of calls still there; a call attested
/// both in the CSV and on the web counts once; another employee's call answers 404.
#[test]
fn reopening_replacing_and_a_call_attested_twice() {
    let (dir, m, ledger) = server::opened_without_csv();
    let (l, md) = (ledger.to_str().unwrap(), m.to_str().unwrap());
    billrecon(
        &["user", "add", "e1008", "--role", "employee", "--employee", "E1008", "--password-stdin", "--ledger", l],
        Some(&format!("{}\n", server::PASSWORD)),
        0,
    );
    let s = Server::start(&ledger);
    let origin = format!("http://{}", s.addr);
    let c = server::login(&s.addr, "e1008");
    let page = request(&s.addr, "GET", "/me/2026-10", &[("Cookie", &c)], "");
    let rows: Vec<&str> = page.body.split("<tr data-call=\"").skip(1).collect();
    let id_at = |date: &str, time: &str| -> String {
        rows.iter()
            .find(|r| r.contains(&format!("<td class=\"nw\">{date}</td><td class=\"nw\">{time}</td>")))
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string()
    };
    let toll = id_at("2026-10-12", "20:15");
    let csrf = server::csrf_of(&page.body);
    // Another employee's call: 404, nothing signed.
    let other = request(
        &s.addr,
        "POST",
        "/me/2026-10/attest",
        &[("Cookie", &c), ("Origin", &origin)],
        &form(&[("csrf", &csrf), ("password", server::PASSWORD), ("personal", "C0000000000000000")]),
    );
    assert_eq!(other.status, 404);
    let signed = request(
        &s.addr,
        "POST",
        "/me/2026-10/attest",
        &[("Cookie", &c), ("Origin", &origin)],
        &form(&[("csrf", &csrf), ("password", server::PASSWORD), ("personal", &toll)]),
    );
    assert_eq!(signed.status, 303);
    drop(s);
    // The usage changes: one of E1008's other calls is gone from the file.
    let usage = std::fs::read_to_string(m.join("usage-verizon.csv")).unwrap();
    let mut lines: Vec<&str> = usage.lines().collect();
    let gone = lines.iter().position(|l| l.contains("8605550108") && !l.contains("6045550142")).unwrap();
    lines.remove(gone);
    std::fs::write(m.join("usage-verizon.csv"), lines.join("\n") + "\n").unwrap();
    let refused = billrecon(&["open", md, "--ledger", l], None, 2);
    assert!(
        refused.contains(
            "was opened with other calls (0 call(s) now that were not there, 1 then that are not now): run with --replace"
        ),
        "{refused}"
    );
    let replaced = billrecon(&["open", md, "--ledger", l, "--replace"], None, 0);
    assert!(replaced.contains("Opened 2026-10 again: 413 calls (0 new, 1 gone)"), "{replaced}");
    // The CSV attests the same toll call the employee signed: counted once.
    std::fs::write(
        m.join("attestations.csv"),
        "Line,Date,Time,Number,Note\n860-555-0108,10/12/2026,8:15 PM,604-555-0142,Personal call while on vacation\n",
    )
    .unwrap();
    let manifest = std::fs::read_to_string(m.join("billrecon.toml")).unwrap();
    std::fs::write(m.join("billrecon.toml"), manifest.replace("[inputs]\n", "[inputs]\nattestations = \"attestations.csv\"\n"))
        .unwrap();
    let out = billrecon(&["post", md, "--ledger", l], None, 1);
    assert!(out.contains("calls employees attested personal on the web: 1"), "{out}");
    let db = rusqlite::Connection::open(&ledger).unwrap();
    let e1008: i64 =
        db.query_row("SELECT SUM(amount_cents) FROM receivables WHERE employee_id = 'E1008'", [], |r| r.get(0)).unwrap();
    assert_eq!(e1008, 350, "the call's $3.50 once, not twice");
    drop(dir);
}
