//! Journeys in a real browser: Debian's chromium, driven by chromedriver over WebDriver, against a
//! real `billrecon serve` on 127.0.0.1. Ignored by a plain `cargo test`; `.ci/run` installs
//! chromium and chromium-driver and runs them (`cargo test --test browser -- --ignored`), and a
//! browser that cannot start fails them. Each journey saves screenshots of the pages it sees into
//! `$BILLRECON_SCREENSHOTS` (default: the target directory's `screenshots/`); docs/web.md shows
//! them.

#[path = "../common/server.rs"]
mod server;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use server::{posted, Server, PASSWORD};

const WHY: &str = "needs Debian's chromium and chromium-driver: .ci/run runs these (cargo test --test browser -- --ignored)";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// chromedriver on a free loopback port, stopped when dropped.
struct Driver {
    child: Child,
    port: u16,
    profile: tempfile::TempDir,
}

impl Driver {
    fn start() -> Driver {
        let exe = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists())
            .expect("chromedriver is not installed (apt-get install chromium chromium-driver): the browser tests cannot run");
        let port = free_port();
        let child = Command::new(exe)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let t = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(t.elapsed() < Duration::from_secs(20), "chromedriver did not listen on {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver { child, port, profile: tempfile::tempdir().unwrap() }
    }

    async fn browser(&self, javascript: bool) -> Client {
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists())
            .expect("chromium is not installed: the browser tests cannot run");
        let mut prefs = serde_json::Map::new();
        if !javascript {
            prefs.insert("profile.managed_default_content_settings.javascript".into(), 2.into());
        }
        let profile = self.profile.path().join(if javascript { "js" } else { "nojs" });
        let caps = serde_json::json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--window-size=1280,900", format!("--user-data-dir={}", profile.display()),
                ],
                "prefs": prefs,
            }
        });
        let caps = caps.as_object().unwrap().clone();
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("chromium starts under chromedriver")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn shots() -> PathBuf {
    let dir = std::env::var_os("BILLRECON_SCREENSHOTS").map(PathBuf::from).unwrap_or_else(|| {
        let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| server::root().join("target"));
        target.join("screenshots")
    });
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    std::fs::write(shots().join(format!("{name}.png")), png).unwrap();
}

async fn log_in(c: &Client, s: &Server, login: &str) {
    c.goto(&format!("{}login", s.url)).await.unwrap();
    c.find(Locator::Css("input[name=login]")).await.unwrap().send_keys(login).await.unwrap();
    c.find(Locator::Css("input[name=password]")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    c.find(Locator::Css("form button[type=submit]:not(nav button)")).await.unwrap().click().await.unwrap();
    wait_until(c, |src| src.contains("Log out")).await;
}

/// Waits (up to thirty seconds: five browsers share two cores in CI) until the page's source
/// satisfies `ok`.
async fn wait_until(c: &Client, ok: impl Fn(&str) -> bool) -> String {
    let t = Instant::now();
    loop {
        let src = c.source().await.unwrap();
        if ok(&src) {
            return src;
        }
        assert!(t.elapsed() < Duration::from_secs(30), "the page never became what was expected:\n{src}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn path_of(c: &Client) -> String {
    let u = c.current_url().await.unwrap();
    match u.query() {
        Some(q) => format!("{}?{q}", u.path()),
        None => u.path().to_string(),
    }
}

/// A queue row's status as the page shows it now: read inside the page in one step, so a row
/// being replaced in place (or the page being reloaded) is never caught half-way.
async fn status_of(c: &Client, id: &str) -> String {
    let js = "const e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : '';";
    let sel = format!("tr[data-row=\"{id}\"] td[data-status]");
    match c.execute(js, vec![serde_json::Value::String(sel)]).await {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Debian's chromium and chromium-driver: .ci/run runs these (cargo test --test browser -- --ignored)"]
async fn a_clerk_filters_the_queue() {
    let _ = WHY;
    let p = posted("2026-10");
    let s = Server::start(&p.ledger);
    let d = Driver::start();
    let c = d.browser(true).await;
    c.goto(&s.url).await.unwrap();
    shot(&c, "login").await;
    log_in(&c, &s, "clerk").await;
    shot(&c, "months").await;
    c.goto(&format!("{}months/2026-10", s.url)).await.unwrap();
    shot(&c, "month-queue").await;
    c.find(Locator::Css("select[name=rule] option[value=directory_assistance]")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("select[name=status] option[value=open]")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("form.filters button")).await.unwrap().click().await.unwrap();
    let src = wait_until(&c, |s| s.contains("3 finding(s).")).await;
    assert_eq!(
        path_of(&c).await,
        "/months/2026-10?severity=&rule=directory_assistance&account=&line=&status=open",
        "the filters are in the URL"
    );
    assert_eq!(src.matches("data-row=\"DA-").count(), 3);
    assert!(!src.contains("data-row=\"UNA-"));
    assert!(!src.contains("/waive\""), "a clerk has no waive button");
    shot(&c, "month-queue-filtered").await;
    c.find(Locator::Css("a[href=\"/findings/DA-8bd95ef0\"]")).await.unwrap().click().await.unwrap();
    wait_until(&c, |s| s.contains("Evidence: the rows it rests on")).await;
    shot(&c, "finding").await;
    for (path, name) in [("receivables", "receivables"), ("audit", "audit"), ("verify", "verify")] {
        c.goto(&format!("{}{path}", s.url)).await.unwrap();
        shot(&c, name).await;
    }
    c.goto(&format!("{}months/2026-10/notices/E1001", s.url)).await.unwrap();
    wait_until(&c, |s| s.contains("Reimbursement notice · employee E1001 · period 2026-10")).await;
    shot(&c, "notice").await;
    c.close().await.unwrap();
}

/// With JavaScript the row updates in place; without it the form posts and the queue comes back
/// with the row waived. Either way one waiver is in the ledger, with the supervisor as actor.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Debian's chromium and chromium-driver: .ci/run runs these (cargo test --test browser -- --ignored)"]
async fn a_supervisor_waives_with_a_reason_with_and_without_javascript() {
    let p = posted("2026-10");
    let s = Server::start(&p.ledger);
    let d = Driver::start();
    for (js, id) in [(true, "DA-8bd95ef0"), (false, "DA-2d26e6f7")] {
        let c = d.browser(js).await;
        log_in(&c, &s, "sup").await;
        c.goto(&format!("{}months/2026-10?rule=directory_assistance", s.url)).await.unwrap();
        assert_eq!(status_of(&c, id).await, "open");
        let row = format!("tr[data-row=\"{id}\"]");
        c.find(Locator::Css(&format!("{row} input[name=reason]")))
            .await
            .unwrap()
            .send_keys("a business call to a vendor")
            .await
            .unwrap();
        if js {
            shot(&c, "month-queue-supervisor").await;
        }
        c.find(Locator::Css(&format!("{row} button"))).await.unwrap().click().await.unwrap();
        let t = Instant::now();
        while status_of(&c, id).await != "waived" {
            assert!(t.elapsed() < Duration::from_secs(10), "the row never showed waived (javascript {js})");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(path_of(&c).await, "/months/2026-10?rule=directory_assistance", "back on the same queue (javascript {js})");
        if js {
            shot(&c, "month-queue-waived-in-place").await;
        }
        c.close().await.unwrap();
    }
    let db = rusqlite::Connection::open(&p.ledger).unwrap();
    let rows: Vec<(String, String, String, String)> = db
        .prepare("SELECT finding_id, event, actor, source FROM events ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let expect = |id: &str| (id.to_string(), "waive".to_string(), "sup".to_string(), "web".to_string());
    assert_eq!(rows, vec![expect("DA-8bd95ef0"), expect("DA-2d26e6f7")]);
    server::billrecon(&["ledger", "verify", "--ledger", p.ledger.to_str().unwrap()], None, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Debian's chromium and chromium-driver: .ci/run runs these (cargo test --test browser -- --ignored)"]
async fn a_program_sees_its_statement_and_not_anothers() {
    let p = posted("2026-10");
    let s = Server::start(&p.ledger);
    let d = Driver::start();
    let c = d.browser(true).await;
    log_in(&c, &s, "arts").await;
    let home = c.source().await.unwrap();
    assert!(home.contains("statement 1010-ARTS"), "{home}");
    assert!(!home.contains("1030-SPED"));
    shot(&c, "program-months").await;
    c.find(Locator::Css("a[href=\"/months/2026-10/statements/1010-ARTS\"]")).await.unwrap().click().await.unwrap();
    let src = wait_until(&c, |s| s.contains("Chargeback statement · account 1010-ARTS · period 2026-10")).await;
    assert!(src.contains("/findings/DA-8bd95ef0"));
    shot(&c, "statement").await;
    // Printed: the browser's own PDF (docs/web.md shows its pages).
    let pdf = c.print(fantoccini::wd::PrintConfiguration::default()).await.unwrap();
    assert!(pdf.starts_with(b"%PDF"), "a PDF");
    std::fs::write(shots().join("statement-print.pdf"), pdf).unwrap();
    c.goto(&format!("{}months/2026-10/statements/1030-SPED", s.url)).await.unwrap();
    let other = wait_until(&c, |s| s.contains("There is nothing here.")).await;
    assert!(!other.contains("1030-SPED</"), "nothing of the other statement");
    shot(&c, "not-found").await;
    c.goto(&format!("{}months/2026-10", s.url)).await.unwrap();
    wait_until(&c, |s| s.contains("Your role does not open this page.")).await;
    c.close().await.unwrap();
}

/// A page on another local port (same site, so the session cookie is even sent) posts a waiver
/// with the right token: the Origin check alone refuses it, and nothing is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Debian's chromium and chromium-driver: .ci/run runs these (cargo test --test browser -- --ignored)"]
async fn a_form_from_another_local_port_is_refused() {
    let p = posted("2026-10");
    let s = Server::start(&p.ledger);
    let d = Driver::start();
    let c = d.browser(true).await;
    log_in(&c, &s, "sup").await;
    c.goto(&format!("{}findings/DA-8bd95ef0", s.url)).await.unwrap();
    let csrf = server::csrf_of(&c.source().await.unwrap());
    // The other site: one page whose form posts to billrecon as soon as it loads.
    let evil = TcpListener::bind("127.0.0.1:0").unwrap();
    let evil_port = evil.local_addr().unwrap().port();
    let page = format!(
        "<!DOCTYPE html><html><body><form id=f method=post action=\"{}findings/DA-8bd95ef0/waive\"><input name=csrf value=\"{csrf}\"><input name=version value=0><input name=reason value=pwned></form><script>document.getElementById('f').submit()</script></body></html>",
        s.url
    );
    let serve = std::thread::spawn(move || {
        let (mut conn, _) = evil.accept().unwrap();
        let mut buf = [0u8; 4096];
        let _ = conn.read(&mut buf);
        let head =
            format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", page.len());
        conn.write_all(head.as_bytes()).unwrap();
        conn.write_all(page.as_bytes()).unwrap();
    });
    c.goto(&format!("http://127.0.0.1:{evil_port}/")).await.unwrap();
    serve.join().unwrap();
    let src = wait_until(&c, |s| s.contains("A form from another site was refused")).await;
    assert!(src.contains("nothing was written"));
    shot(&c, "cross-site-refused").await;
    let db = rusqlite::Connection::open(&p.ledger).unwrap();
    let n: i64 = db.query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 0);
    c.close().await.unwrap();
}

/// An employee opens their month's calls, ticks the personal ones and signs with their password.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Debian's chromium and chromium-driver: .ci/run runs these (cargo test --test browser -- --ignored)"]
async fn an_employee_marks_personal_calls_and_signs() {
    let (_dir, _m, ledger) = server::opened_without_csv();
    server::billrecon(
        &[
            "user",
            "add",
            "e1001",
            "--role",
            "employee",
            "--employee",
            "E1001",
            "--password-stdin",
            "--ledger",
            ledger.to_str().unwrap(),
        ],
        Some(&format!("{PASSWORD}\n")),
        0,
    );
    let s = Server::start(&ledger);
    let d = Driver::start();
    let c = d.browser(true).await;
    log_in(&c, &s, "e1001").await;
    assert_eq!(path_of(&c).await, "/me");
    shot(&c, "me").await;
    c.find(Locator::Css("a[href=\"/me/2026-10\"]")).await.unwrap().click().await.unwrap();
    let src = wait_until(&c, |s| s.contains("Your calls, 2026-10")).await;
    assert!(!src.contains("860-555-0107"), "only their own line");
    for (date, time) in [("2026-10-09", "18:42"), ("2026-10-17", "19:05")] {
        let js = "const rows = [...document.querySelectorAll('tr[data-call]')]; const r = rows.find(r => r.cells[0].textContent === arguments[0] && r.cells[1].textContent === arguments[1]); r.querySelector('input[type=checkbox]').click(); return r.dataset.call;";
        let id = c.execute(js, vec![date.into(), time.into()]).await.unwrap();
        assert!(id.as_str().is_some_and(|i| i.starts_with('C')), "{id:?}");
    }
    // As they tick, the server's preview of what they will owe follows (the rules' arithmetic).
    wait_until(&c, |s| s.contains("data-total=\"\">$11.89<")).await;
    c.find(Locator::Css("input[name=password]")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    shot(&c, "me-month").await;
    c.find(Locator::Css("form.attest button[data-sign]")).await.unwrap().click().await.unwrap();
    let signed = wait_until(&c, |s| s.contains("Signed: your attestation is recorded.")).await;
    assert!(signed.contains("2 call(s) marked personal"));
    assert_eq!(signed.matches(" checked").count(), 2, "what they signed is ticked when they come back");
    shot(&c, "me-month-signed").await;
    c.close().await.unwrap();
}
