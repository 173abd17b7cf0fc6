//! Desk phones, a fax line and calling cards (`fixtures/2026-10-instruments`, worked by hand in
//! its README): the month posts what the README works out, card holders confirm their card's
//! calls on `/me`, and no output, ledger, page or message ever holds a whole card number.

use std::io::Read;
use std::path::Path;

use crate::server::{self, billrecon, form, request, Server};
use crate::{copy_month, files, fixture, run};

const MONTH: &str = "fixtures/2026-10-instruments";

/// The two cards' whole numbers as the inputs print them, their digits, and every eight
/// consecutive digits of them (each holds digits other than the last four).
fn card_secrets() -> Vec<String> {
    let mut v = Vec::new();
    for whole in ["1234 5678 9012 4821", "9876 5432 1098 7765"] {
        let digits: String = whole.chars().filter(char::is_ascii_digit).collect();
        v.push(whole.to_string());
        v.push(digits.clone());
        for i in 0..=digits.len() - 8 {
            v.push(digits[i..i + 8].to_string());
        }
        // Groups as printed, any two together.
        let groups: Vec<&str> = whole.split(' ').collect();
        for w in groups.windows(2) {
            v.push(w.join(" "));
        }
    }
    v
}

fn assert_no_card(what: &str, text: &str) {
    for s in card_secrets() {
        assert!(!text.contains(&s), "{what} holds `{s}` of a card's number:\n{text}");
    }
}

/// The text of every file under `dir`, each member of an XLSX workbook unzipped.
fn texts(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for rel in files(dir) {
        let p = dir.join(&rel);
        let bytes = std::fs::read(&p).unwrap();
        if rel.extension().is_some_and(|e| e == "xlsx") {
            let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            for i in 0..z.len() {
                let mut m = z.by_index(i).unwrap();
                let name = format!("{}#{}", rel.display(), m.name().unwrap());
                let mut s = Vec::new();
                m.read_to_end(&mut s).unwrap();
                out.push((name, String::from_utf8_lossy(&s).into_owned()));
            }
        } else {
            out.push((rel.display().to_string(), String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    out
}

#[test]
fn the_month_posts_what_its_readme_works_out() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("out");
    let transcript = run(&["reconcile", MONTH, "--out", out.to_str().unwrap()]);
    // Exit 1: an unassigned instrument is an action finding.
    assert!(transcript.starts_with("exit: 1\n"), "{transcript}");
    for want in [
        "57 rows read: 57 accepted, 0 rejected, 0 skipped, 0 blank",
        "Example Wireless           WE-2026-10            $41.99  $41.99  yes",
        "Example Telephone Company  ETC-2026-10           $97.29  $97.29  yes",
        "ARTS                 $75.22",
        "EMPLOYEE-RECEIVABLE   $7.34",
        "SUSPENSE              $2.48",
        "TRANS                $54.24",
        "Billed $139.28 = programs $129.46 + employees $7.34 + suspense $2.48",
        "Findings: 6 (4 charge, 1 action, 1 review, 0 info)",
    ] {
        assert!(transcript.contains(want), "missing `{want}`:\n{transcript}");
    }
    // Every finding: rule, severity, line, employee, account, amount, liable.
    let findings = std::fs::read_to_string(out.join("findings.csv")).unwrap();
    let got: Vec<String> = findings.lines().skip(1).map(|l| l.split(',').skip(1).take(7).collect::<Vec<_>>().join(" ")).collect();
    assert_eq!(
        got,
        vec![
            "directory_assistance charge card-4821 E3 ARTS 1.25 1.25",
            "directory_assistance charge 8605550101 E1 ARTS 1.99 1.99",
            "directory_assistance charge 8605550301 E2 TRANS 2.25 2.25",
            "personal_call_charge charge card-4821 E3 ARTS 1.85 1.85",
            "unassigned_line action card-7765  SUSPENSE 2.40 0.00",
            "directory_assistance review 8605550300  ARTS 1.50 0.00",
        ]
    );
    assert!(findings.contains("chargeable directory assistance on desk phone 860-555-0300, which Arts shares with no holder, so it stays with the program."));
    assert!(findings.contains("The inventory lists the calling card with no holder, an unassigned instrument: all $2.40 of its charges goes to suspense SUSPENSE"));
    // The account fee's three shares (largest remainder: the odd cent to SUSPENSE, .636).
    let postings = std::fs::read_to_string(out.join("postings.csv")).unwrap();
    for (acct, basis, amount) in [
        ("ARTS", "3.00 × 37.14/94.29", "1.18"),
        ("TRANS", "3.00 × 54.75/94.29", "1.74"),
        ("SUSPENSE", "3.00 × 2.40/94.29", "0.08"),
    ] {
        assert!(
            postings.lines().any(|l| l.contains(&format!(",{acct},")) && l.contains(basis) && l.contains(&format!(",{amount},"))),
            "{acct} {basis} {amount}:\n{postings}"
        );
    }
    // Notices and statements name the instrument.
    let e3 = std::fs::read_to_string(out.join("notices/E3.txt")).unwrap();
    assert!(e3.contains("Amount due: $3.10"), "{e3}");
    assert!(e3.contains("1. Directory-assistance call on calling card ending 4821: $1.25"), "{e3}");
    assert!(e3.contains("2. Personal call with its own charge on calling card ending 4821: $1.85"), "{e3}");
    assert!(e3.contains("Telephone calling cards, shall be used for approved state business"), "{e3}");
    let e2 = std::fs::read_to_string(out.join("notices/E2.txt")).unwrap();
    assert!(e2.contains("1. Directory-assistance call on desk phone 860-555-0301: $2.25"), "{e2}");
    let e1 = std::fs::read_to_string(out.join("notices/E1.txt")).unwrap();
    assert!(e1.contains("1. Directory-assistance call on line 860-555-0101: $1.99"), "{e1}");
    let arts = std::fs::read_to_string(out.join("statements/ARTS.html")).unwrap();
    for want in [
        "<td>calling card ending 4821</td><td>Employee Three (E3)</td>",
        "<td>desk phone 860-555-0300</td><td>(shared, no holder)</td>",
        "<td class=\"nw\">860-555-0101</td><td>Employee One (E1)</td>",
    ] {
        assert!(arts.contains(want), "ARTS statement lacks `{want}`");
    }
    let trans = std::fs::read_to_string(out.join("statements/TRANS.html")).unwrap();
    assert!(trans.contains("<td>fax line 860-555-0400</td><td>(shared, no holder)</td>"), "{trans}");
    assert!(trans.contains("<td>desk phone 860-555-0301</td><td>Employee Two (E2)</td>"), "{trans}");
}

/// Every output file (the workbook unzipped), every command's stdout and stderr, the ledger's
/// bytes and every page the web serves hold no whole card number, nor eight of its digits.
#[test]
fn no_output_holds_a_whole_card_number() {
    let t = tempfile::tempdir().unwrap();
    let m = t.path().join("2026-10");
    copy_month(&fixture("2026-10-instruments"), &m);
    let md = m.to_str().unwrap();
    let out = t.path().join("out");
    let o = out.to_str().unwrap();
    let report = m.join("card-report.csv").to_str().unwrap().to_string();
    // The folder as a clerk has it, before `init` writes its manifest.
    let fresh = t.path().join("fresh");
    copy_month(&fixture("2026-10-instruments"), &fresh);
    std::fs::remove_file(fresh.join("billrecon.toml")).unwrap();
    let fresh = fresh.to_str().unwrap().to_string();
    for args in [
        vec!["check", md],
        vec!["reconcile", md, "--out", o, "--timings"],
        vec!["findings", md, "--format", "json"],
        vec!["findings", md, "--format", "csv"],
        vec!["findings", md],
        vec!["profile", "test", "card-report", &report],
        vec!["profile", "test", "att-premier", &report],
        vec!["init", &fresh],
        vec!["check", &fresh],
    ] {
        assert_no_card(&format!("{args:?}"), &run(&args));
    }
    for (name, text) in texts(&out) {
        assert_no_card(&name, &text);
    }
    let ledger = t.path().join("billrecon.db");
    let l = ledger.to_str().unwrap();
    assert_no_card("post", &billrecon(&["post", md, "--ledger", l], None, 1));
    for args in [
        vec!["receivables", "--ledger", l],
        vec!["journal", "--ledger", l, "--since", "2026-01-01"],
        vec!["history", "card-4821", "--ledger", l],
        vec!["history", "1234 5678 9012 4821", "--ledger", l],
    ] {
        assert_no_card(&format!("{args:?}"), &run(&args));
    }
    // The notices as mailed (.eml files in an outbox).
    let outbox = t.path().join("outbox");
    let mailed = billrecon(
        &["notify", "2026-10", "--ledger", l, "--from", "finance@example.org", "--outbox", outbox.to_str().unwrap()],
        None,
        0,
    );
    assert_no_card("notify", &mailed);
    let mails = texts(&outbox);
    assert_eq!(mails.len(), 3, "{mailed}");
    assert!(mails.iter().any(|(_, m)| m.contains("calling card ending 4821")), "{mails:?}");
    for (name, text) in &mails {
        assert_no_card(name, text);
    }
    for p in
        std::fs::read_dir(t.path()).unwrap().map(|e| e.unwrap().path()).filter(|p| p.to_string_lossy().contains("billrecon.db"))
    {
        assert_no_card(&p.display().to_string(), &String::from_utf8_lossy(&std::fs::read(&p).unwrap()));
    }
    for (login, flags) in [("sup", vec!["--role", "supervisor"]), ("e3", vec!["--role", "employee", "--employee", "E3"])] {
        let mut args = vec!["user", "add", login, "--password-stdin", "--ledger", l];
        args.extend_from_slice(&flags);
        billrecon(&args, Some(&format!("{}\n", server::PASSWORD)), 0);
    }
    let s = Server::start(&ledger);
    let sup = server::login(&s.addr, "sup");
    let month = request(&s.addr, "GET", "/months/2026-10", &[("Cookie", &sup)], "");
    assert_eq!(month.status, 200);
    assert!(month.body.contains("card ending 4821"), "{}", month.body);
    let mut pages = vec![month.body];
    for path in [
        "/months/2026-10/statements/ARTS",
        "/months/2026-10/statements/ARTS/csv",
        "/months/2026-10/notices/E3",
        "/months/2026-10/notices/E3/txt",
        "/receivables",
        "/audit",
    ] {
        let a = request(&s.addr, "GET", path, &[("Cookie", &sup)], "");
        assert_eq!(a.status, 200, "{path}");
        pages.push(a.body);
    }
    for id in ["UNA-d87a7002", "PCC-a89c1950"] {
        let a = request(&s.addr, "GET", &format!("/findings/{id}"), &[("Cookie", &sup)], "");
        assert_eq!(a.status, 200, "{id}: {}", a.body);
        pages.push(a.body);
    }
    let e3 = server::login(&s.addr, "e3");
    pages.push(request(&s.addr, "GET", "/me", &[("Cookie", &e3)], "").body);
    for (i, p) in pages.iter().enumerate() {
        assert_no_card(&format!("page {i}"), p);
    }
    drop(s);

    // Messages about a card's row show only its last four digits: a card number with a letter
    // in it, and a second card ending in the same four digits as another.
    let bad = t.path().join("bad");
    copy_month(&fixture("2026-10-instruments"), &bad);
    let report = std::fs::read_to_string(bad.join("card-report.csv")).unwrap();
    std::fs::write(
        bad.join("card-report.csv"),
        report.replacen("1234 5678 9012 4821,Employee Three,2026-10-13", "1234 5678 9O12 4821,Employee Three,2026-10-13", 1),
    )
    .unwrap();
    let inventory = std::fs::read_to_string(bad.join("inventory.csv")).unwrap();
    std::fs::write(
        bad.join("inventory.csv"),
        format!("{inventory}5555 6666 7777 4821,E1,Employee One,Arts,ARTS,,active,2025-07-01,,Director,card\n"),
    )
    .unwrap();
    let checked = run(&["check", bad.to_str().unwrap()]);
    assert_no_card("check of a bad card row", &checked);
    assert!(!checked.contains("5555 6666") && !checked.contains("55556666"), "{checked}");
    assert!(checked.contains("card-report.csv:2: card: a number ending 4821 is neither a 10-digit North American phone number nor a calling card (12 to 19 digits)"), "{checked}");
    for (row, other) in [(6, 8), (8, 6)] {
        let want = format!("inventory.csv:{row}: line: another calling card ending 4821 is at inventory.csv:{other}: billrecon shows a card only by its last four digits, so the two cannot be told apart and neither is assigned");
        assert!(checked.contains(&want), "{checked}");
    }
}

/// The card holder confirms their card's calls on `/me`: the month opened without the
/// attestations CSV, Employee Three ticks the card call the CSV names, and the month posts
/// exactly what it posts with the CSV.
#[test]
fn a_card_holder_confirms_the_cards_calls_on_me() {
    let t = tempfile::tempdir().unwrap();
    let with_csv = t.path().join("with-csv.db");
    let m = t.path().join("csv");
    copy_month(&fixture("2026-10-instruments"), &m);
    billrecon(&["post", m.to_str().unwrap(), "--ledger", with_csv.to_str().unwrap(), "-q"], None, 1);

    let web = t.path().join("web");
    copy_month(&fixture("2026-10-instruments"), &web);
    std::fs::remove_file(web.join("attestations.csv")).unwrap();
    let manifest = std::fs::read_to_string(web.join("billrecon.toml")).unwrap();
    let manifest: String = manifest.lines().filter(|l| !l.starts_with("attestations")).map(|l| format!("{l}\n")).collect();
    std::fs::write(web.join("billrecon.toml"), manifest).unwrap();
    let ledger = t.path().join("web.db");
    let (l, md) = (ledger.to_str().unwrap(), web.to_str().unwrap());
    let opened = billrecon(&["open", md, "--ledger", l], None, 0);
    assert!(opened.starts_with("Opened 2026-10 for review in "), "{opened}");
    billrecon(
        &["user", "add", "e3", "--role", "employee", "--employee", "E3", "--password-stdin", "--ledger", l],
        Some(&format!("{}\n", server::PASSWORD)),
        0,
    );
    let s = Server::start(&ledger);
    let a = &s.addr;
    let c = server::login(a, "e3");
    let page = request(a, "GET", "/me/2026-10", &[("Cookie", &c)], "");
    assert_eq!(page.status, 200, "{}", page.body);
    assert_no_card("/me/2026-10", &page.body);
    let rows: Vec<(String, String)> = page
        .body
        .split("<tr data-call=\"")
        .skip(1)
        .map(|r| (r.split('"').next().unwrap().to_string(), r.split("</tr>").next().unwrap().to_string()))
        .collect();
    // The card's three calls, named by the card's last four digits; no other employee's.
    assert_eq!(rows.len(), 3, "{}", page.body);
    assert!(rows.iter().all(|(_, r)| r.contains("card ending 4821")), "{rows:?}");
    let personal: Vec<&(String, String)> =
        rows.iter().filter(|(_, r)| r.contains("<td class=\"nw\">2026-10-14</td><td class=\"nw\">19:30</td>")).collect();
    assert_eq!(personal.len(), 1, "{rows:?}");
    let origin = format!("http://{a}");
    let body = form(&[("csrf", &server::csrf_of(&page.body)), ("password", server::PASSWORD), ("personal", &personal[0].0)]);
    let signed = request(a, "POST", "/me/2026-10/attest", &[("Cookie", &c), ("Origin", &origin)], &body);
    assert_eq!((signed.status, signed.header("location")), (303, Some("/me/2026-10?said=signed")), "{}", signed.body);
    drop(s);
    let posted = billrecon(&["post", md, "--ledger", l], None, 1);
    assert!(posted.contains("calls employees attested personal on the web: 1"), "{posted}");
    let money = |db: &Path| -> Vec<(String, i64)> {
        let c = rusqlite::Connection::open(db).unwrap();
        let rows = c
            .prepare("SELECT account_code || ' ' || employee_id || ' ' || posting_kind, SUM(amount_cents) FROM entries WHERE kind = 'posting' GROUP BY 1 ORDER BY 1")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        rows
    };
    assert_eq!(money(&ledger), money(&with_csv), "every account's postings to the cent");
    let c = rusqlite::Connection::open(&ledger).unwrap();
    let e3: i64 = c.query_row("SELECT SUM(amount_cents) FROM receivables WHERE employee_id = 'E3'", [], |r| r.get(0)).unwrap();
    assert_eq!(e3, 310);
}

/// The inventory's `kind` is checked against the number: a card needs a card's number, a card's
/// number needs kind `card`, and an unknown kind names the choices.
#[test]
fn the_inventory_kind_must_fit_the_number() {
    let t = tempfile::tempdir().unwrap();
    let m = t.path().join("m");
    copy_month(&fixture("2026-10-instruments"), &m);
    let inventory = std::fs::read_to_string(m.join("inventory.csv")).unwrap();
    let inventory = inventory
        .replace("Director,wireless", "Director,card")
        .replace(
            "9876 5432 1098 7765,,,Arts,ARTS,,active,2025-07-01,,Director,card",
            "9876 5432 1098 7765,,,Arts,ARTS,,active,2025-07-01,,Director,desk",
        )
        .replace("Director,fax", "Director,pager");
    std::fs::write(m.join("inventory.csv"), inventory).unwrap();
    let checked = run(&["check", m.to_str().unwrap()]);
    for want in [
        "inventory.csv:2: line: 860-555-0101 is not a calling card's number (12 to 19 digits)",
        "inventory.csv:5: kind: `pager` is not one of: wireless, desk, fax, card",
        "inventory.csv:7: kind: `desk`, but the line has a calling card's number (card ending 7765)",
    ] {
        assert!(checked.contains(want), "missing `{want}`:\n{checked}");
    }
    assert_no_card("check", &checked);
}

/// A fleet list that holds desk phones, fax lines and calling cards says so in its DEVICE TYPE
/// column, in the words agencies use; a card's number there is kept as its last four digits.
#[test]
fn a_fleet_list_names_each_instrument_in_its_device_type() {
    let t = tempfile::tempdir().unwrap();
    let list = t.path().join("Fleet List.csv");
    std::fs::write(
        &list,
        "USER NAME,EMPLOYEE ID,WIRELESS NUMBER,DEVICE TYPE,GL CODE,PLAN NAME,STATUS\n\
         Employee One,E1,(860) 555-0101,Smartphone,ARTS,Business Unlimited,Active\n\
         Front Office,,(860) 555-0300,Desk Phone,ARTS,,Active\n\
         ,,(860) 555-0400,Fax Line,TRANS,,Active\n\
         Employee Three,E3,1234 5678 9012 4821,Calling Card,ARTS,,Active\n\
         Employee Four,E4,(860) 555-0105,Pager,ARTS,,Active\n",
    )
    .unwrap();
    let shown = run(&["profile", "test", "fleet", list.to_str().unwrap()]);
    assert_no_card("profile test fleet", &shown);
    assert!(shown.contains("5 rows read, 4 accepted, 1 rejected"), "{shown}");
    assert!(shown.contains("card-4821"), "{shown}");
    assert!(
        shown.contains(
            "Fleet List.csv:6: DEVICE TYPE or LINE TYPE or INSTRUMENT: `Pager` is not one of: wireless, desk, fax, card"
        ),
        "{shown}"
    );
}
