//! The web app in process: the sample month posted into a fresh ledger, requests sent to the
//! router as a browser would (Host, Origin, the session cookie), every answer's status and body
//! asserted.

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use billrecon_ledger::{Ledger, NewUser, Role, Source, Stamp};
use billrecon_model::FreeText;
use proptest::prelude::*;
use tower::ServiceExt;

use crate::App;

const HOST: &str = "127.0.0.1:8017";
const ORIGIN: &str = "http://127.0.0.1:8017";

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/2026-10")
}

/// One password hash for every test user (argon2id is slow on purpose).
fn hash() -> &'static str {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| crate::password::hash("correct horse battery").unwrap())
}

pub struct T {
    _dir: tempfile::TempDir,
    pub ledger: PathBuf,
    app: Arc<App>,
    router: Router,
}

/// The users of every test: login, role, accounts, employee.
const USERS: &[(&str, Role, &[&str], Option<&str>)] = &[
    ("sup", Role::Supervisor, &[], None),
    ("clerk", Role::Clerk, &[], None),
    ("arts", Role::Program, &["1010-ARTS"], None),
    ("sped", Role::Program, &["1030-SPED"], None),
    ("e1001", Role::Employee, &[], Some("E1001")),
    ("e1007", Role::Employee, &[], Some("E1007")),
];

fn stamp() -> Stamp {
    Stamp { actor: FreeText::parse("login", "test").unwrap(), source: Source::Cli, at: chrono::DateTime::UNIX_EPOCH }
}

/// The sample month posted into a new ledger, with the test users.
pub fn setup() -> T {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("billrecon.db");
    let mut l = Ledger::open(&ledger).unwrap();
    let read = billrecon_pipeline::read(&fixture(), None).unwrap();
    billrecon_pipeline::post(&read, &mut l, false, None, &stamp()).unwrap();
    for (login, role, accounts, employee) in USERS {
        let accounts: Vec<FreeText> = accounts.iter().map(|a| FreeText::parse("a", a).unwrap()).collect();
        let employee = employee.map(|e| FreeText::parse("e", e).unwrap());
        let login = FreeText::parse("login", login).unwrap();
        l.user_add(
            &NewUser {
                login: &login,
                role: *role,
                accounts: &accounts,
                employee_id: employee.as_ref(),
                password_hash: hash(),
                email: None,
            },
            &stamp(),
        )
        .unwrap();
    }
    let app = Arc::new(App::new(ledger.clone(), HOST.parse().unwrap(), None).unwrap());
    let router = crate::router(Arc::clone(&app));
    T { _dir: dir, ledger, app, router }
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl T {
    /// A logged-in session: (cookie, form token).
    fn session(&self, login: &str) -> (String, String) {
        let id = self.app.sessions.start(login);
        let csrf = self.app.sessions.get(&id).unwrap().csrf;
        (format!("billrecon_session={id}"), csrf)
    }

    async fn send(&self, req: Request<Body>) -> Answer {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = axum::body::to_bytes(res.into_body(), 1 << 24).await.unwrap();
        Answer { status, headers, body: String::from_utf8_lossy(&body).into_owned() }
    }

    async fn get(&self, path: &str, cookie: Option<&str>) -> Answer {
        let mut r = Request::get(path).header("host", HOST);
        if let Some(c) = cookie {
            r = r.header("cookie", c);
        }
        self.send(r.body(Body::empty()).unwrap()).await
    }

    async fn post(&self, path: &str, cookie: Option<&str>, fields: &[(&str, &str)], origin: Option<&str>) -> Answer {
        let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
        let mut r = Request::post(path).header("host", HOST).header("content-type", "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            r = r.header("cookie", c);
        }
        if let Some(o) = origin {
            r = r.header("origin", o);
        }
        self.send(r.body(Body::from(body)).unwrap()).await
    }

    fn count(&self, table: &str) -> i64 {
        let l = Ledger::open(&self.ledger).unwrap();
        l.connection().query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0)).unwrap()
    }
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

/// Every GET route, every role: the status each gets. A role that never opens a kind of page gets
/// 403; what is outside a user's scope gets 404, the same as what does not exist.
#[test]
fn route_by_role_matrix() {
    let t = setup();
    let routes = [
        "/",
        "/months",
        "/months/2026-10",
        "/months/2026-10?severity=charge&status=open",
        "/months/2099-01",
        "/months/2026-10/statements/1010-ARTS",
        "/months/2026-10/statements/1010-ARTS/csv",
        "/months/2026-10/statements/1030-SPED",
        "/months/2026-10/statements/NOPE",
        "/months/2026-10/notices/E1001",
        "/months/2026-10/notices/E1001/txt",
        "/months/2026-10/notices/E1007",
        "/findings/DA-8bd95ef0",
        "/findings/DA-2d26e6f7",
        "/findings/NOPE-1",
        "/receivables",
        "/audit",
        "/verify",
        "/me",
        "/me/2026-10",
        "/months/2026-10/attestations",
        "/no/such/page",
        "/enrol/1.not-a-link",
        "/static/app.js",
    ];
    let who = ["(none)", "sup", "clerk", "arts", "e1001"];
    let mut table = format!("{:<46}", "route");
    for w in who {
        table.push_str(&format!(" {w:>6}"));
    }
    table.push('\n');
    rt().block_on(async {
        let cookies: Vec<Option<String>> = who.iter().map(|w| (*w != "(none)").then(|| t.session(w).0)).collect();
        for r in routes {
            table.push_str(&format!("{r:<46}"));
            for c in &cookies {
                let a = t.get(r, c.as_deref()).await;
                table.push_str(&format!(" {:>6}", a.status.as_u16()));
            }
            table.push('\n');
        }
    });
    let expected = "\
route                                          (none)    sup  clerk   arts  e1001
/                                                 303    303    303    303    303
/months                                           303    200    200    200    403
/months/2026-10                                   303    200    200    403    403
/months/2026-10?severity=charge&status=open       303    200    200    403    403
/months/2099-01                                   303    404    404    403    403
/months/2026-10/statements/1010-ARTS              303    200    200    200    404
/months/2026-10/statements/1010-ARTS/csv          303    200    200    200    404
/months/2026-10/statements/1030-SPED              303    200    200    404    404
/months/2026-10/statements/NOPE                   303    404    404    404    404
/months/2026-10/notices/E1001                     303    200    200    404    200
/months/2026-10/notices/E1001/txt                 303    200    200    404    200
/months/2026-10/notices/E1007                     303    200    200    404    404
/findings/DA-8bd95ef0                             303    200    200    200    200
/findings/DA-2d26e6f7                             303    200    200    404    404
/findings/NOPE-1                                  303    404    404    404    404
/receivables                                      303    200    200    403    403
/audit                                            303    200    200    403    403
/verify                                           303    200    200    403    403
/me                                               303    403    403    403    200
/me/2026-10                                       303    403    403    403    404
/months/2026-10/attestations                      303    404    404    403    403
/no/such/page                                     303    404    404    404    404
/enrol/1.not-a-link                               404    404    404    404    404
/static/app.js                                    200    200    200    200    200
";
    assert_eq!(table, expected, "\n{table}");
}

/// Every decision, every role, on a finding in and out of the program's and employee's scope.
#[test]
fn decisions_by_role() {
    let mut table = String::new();
    for who in ["sup", "clerk", "arts", "e1001"] {
        for (action, finding) in
            [("waive", "DA-8bd95ef0"), ("dispute", "DA-8bd95ef0"), ("resolve", "DA-8bd95ef0"), ("dispute", "DA-2d26e6f7")]
        {
            let t = setup();
            let (cookie, csrf) = t.session(who);
            let a = rt().block_on(t.post(
                &format!("/findings/{finding}/{action}"),
                Some(&cookie),
                &[("csrf", &csrf), ("version", "0"), ("reason", "a business call")],
                Some(ORIGIN),
            ));
            table.push_str(&format!("{who:<6} {action:<8} {finding:<12} {} events={}\n", a.status.as_u16(), t.count("events")));
        }
    }
    let expected = "\
sup    waive    DA-8bd95ef0  303 events=1
sup    dispute  DA-8bd95ef0  303 events=1
sup    resolve  DA-8bd95ef0  303 events=1
sup    dispute  DA-2d26e6f7  303 events=1
clerk  waive    DA-8bd95ef0  403 events=0
clerk  dispute  DA-8bd95ef0  303 events=1
clerk  resolve  DA-8bd95ef0  303 events=1
clerk  dispute  DA-2d26e6f7  303 events=1
arts   waive    DA-8bd95ef0  403 events=0
arts   dispute  DA-8bd95ef0  303 events=1
arts   resolve  DA-8bd95ef0  403 events=0
arts   dispute  DA-2d26e6f7  404 events=0
e1001  waive    DA-8bd95ef0  403 events=0
e1001  dispute  DA-8bd95ef0  403 events=0
e1001  resolve  DA-8bd95ef0  403 events=0
e1001  dispute  DA-2d26e6f7  403 events=0
";
    assert_eq!(table, expected, "\n{table}");
}

#[test]
fn a_waiver_is_the_ledgers_own_event_with_the_user_as_actor() {
    let t = setup();
    let (cookie, csrf) = t.session("sup");
    rt().block_on(async {
        let a = t
            .post(
                "/findings/DA-8bd95ef0/waive",
                Some(&cookie),
                &[("csrf", &csrf), ("version", "0"), ("reason", "a business call")],
                Some(ORIGIN),
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER);
        assert_eq!(a.headers["location"], "/findings/DA-8bd95ef0?said=recorded");
        let page = t.get("/findings/DA-8bd95ef0?said=recorded", Some(&cookie)).await;
        assert!(page.body.contains("Recorded: the finding is now waived."), "{}", page.body);
        assert!(page.body.contains("a business call"));
        assert!(page.body.contains("$1.99"), "the amount moved back is shown");
    });
    let l = Ledger::open(&t.ledger).unwrap();
    let row: (String, String, String, String, i64) = l
        .connection()
        .query_row("SELECT event, by_name, actor, source, amount_cents FROM events", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap();
    assert_eq!(row, ("waive".into(), "sup".into(), "sup".into(), "web".into(), 199));
    l.verify().unwrap();
}

/// Two decisions made from the same page at once: one lands, the other is told what changed.
#[test]
fn two_decisions_at_once_give_one_and_a_conflict() {
    let t = setup();
    let (a, csrf_a) = t.session("sup");
    let (b, csrf_b) = t.session("clerk");
    let r = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let fa = [("csrf", csrf_a.as_str()), ("version", "0"), ("reason", "business")];
    let fb = [("csrf", csrf_b.as_str()), ("version", "0"), ("reason", "carrier error")];
    let (x, y) = r.block_on(async {
        tokio::join!(
            t.post("/findings/DA-8bd95ef0/waive", Some(&a), &fa, Some(ORIGIN)),
            t.post("/findings/DA-8bd95ef0/dispute", Some(&b), &fb, Some(ORIGIN)),
        )
    });
    let mut statuses = [x.status.as_u16(), y.status.as_u16()];
    statuses.sort();
    assert_eq!(statuses, [303, 409], "{} / {}", x.body, y.body);
    let lost = if x.status == StatusCode::CONFLICT { &x } else { &y };
    assert!(lost.body.contains("changed since you saw it"), "{}", lost.body);
    assert_eq!(t.count("events"), 1);
    Ledger::open(&t.ledger).unwrap().verify().unwrap();
}

#[test]
fn a_stale_form_is_refused_naming_what_changed() {
    let t = setup();
    let (c, csrf) = t.session("sup");
    rt().block_on(async {
        let first = t
            .post(
                "/findings/DA-8bd95ef0/dispute",
                Some(&c),
                &[("csrf", &csrf), ("version", "0"), ("reason", "billed twice")],
                Some(ORIGIN),
            )
            .await;
        assert_eq!(first.status, StatusCode::SEE_OTHER);
        let stale = t
            .post(
                "/findings/DA-8bd95ef0/waive",
                Some(&c),
                &[("csrf", &csrf), ("version", "0"), ("reason", "business")],
                Some(ORIGIN),
            )
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        assert!(stale.body.contains("it is now disputed"), "{}", stale.body);
        assert!(stale.body.contains("billed twice"), "{}", stale.body);
    });
    assert_eq!(t.count("events"), 1);
}

/// Each layer of the cross-site defence refuses alone, with everything else right.
#[test]
fn each_csrf_layer_refuses_alone() {
    let t = setup();
    let (c, csrf) = t.session("sup");
    let form = |token: &str| vec![("csrf", token.to_string()), ("version", "0".to_string()), ("reason", "x".to_string())];
    rt().block_on(async {
        let send = |token: String, origin: Option<&'static str>, fetch_site: Option<&'static str>, host: &'static str| {
            let fields: Vec<(&str, String)> = form(&token);
            let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
            let mut r = Request::post("/findings/DA-8bd95ef0/waive")
                .header("host", host)
                .header("cookie", c.as_str())
                .header("content-type", "application/x-www-form-urlencoded");
            if let Some(o) = origin {
                r = r.header("origin", o);
            }
            if let Some(s) = fetch_site {
                r = r.header("sec-fetch-site", s);
            }
            t.send(r.body(Body::from(body)).unwrap())
        };
        // The token alone: missing, or another session's.
        assert_eq!(send(String::new(), Some(ORIGIN), None, HOST).await.status, StatusCode::FORBIDDEN);
        let other = t.session("clerk").1;
        assert_eq!(send(other, Some(ORIGIN), None, HOST).await.status, StatusCode::FORBIDDEN);
        // The Origin alone: another local port.
        assert_eq!(send(csrf.clone(), Some("http://127.0.0.1:8018"), None, HOST).await.status, StatusCode::FORBIDDEN);
        // Sec-Fetch-Site alone, no Origin.
        assert_eq!(send(csrf.clone(), None, Some("cross-site"), HOST).await.status, StatusCode::FORBIDDEN);
        // The Host alone (DNS rebinding: a name that resolves here but is not ours).
        assert_eq!(send(csrf.clone(), Some(ORIGIN), None, "attacker.example:8017").await.status, StatusCode::MISDIRECTED_REQUEST);
        assert_eq!(t.count("events"), 0, "nothing written by any refused form");
        // Everything right: written.
        assert_eq!(send(csrf.clone(), Some(ORIGIN), Some("same-origin"), HOST).await.status, StatusCode::SEE_OTHER);
    });
    assert_eq!(t.count("events"), 1);
}

#[test]
fn hostile_free_text_is_refused_and_nothing_written() {
    let t = setup();
    let (c, csrf) = t.session("sup");
    rt().block_on(async {
        for reason in ["line one\nline two", "\u{1b}[31mred", "abc\u{202e}def", "a\ttab", "   ", &"x".repeat(501)] {
            let a = t
                .post(
                    "/findings/DA-8bd95ef0/waive",
                    Some(&c),
                    &[("csrf", &csrf), ("version", "0"), ("reason", reason)],
                    Some(ORIGIN),
                )
                .await;
            assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{reason:?}");
            assert!(a.body.contains("reason:"), "the field is named: {}", a.body);
        }
        let a = t
            .post(
                "/payments",
                Some(&c),
                &[("csrf", &csrf), ("employee", "E1001"), ("amount", "1.99"), ("date", "2026-11-20"), ("reference", "CHK\r\n1")],
                Some(ORIGIN),
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    });
    assert_eq!(t.count("events"), 0);
    assert_eq!(t.count("payments"), 0);
}

#[test]
fn login_sets_a_strict_http_only_cookie_and_a_wrong_password_gets_none() {
    let t = setup();
    rt().block_on(async {
        let form = t.get("/login", None).await;
        assert_eq!(form.status, StatusCode::OK);
        let token = |body: &str| body.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
        let csrf = token(&form.body);
        let bad =
            t.post("/login", None, &[("login", "sup"), ("password", "wrong password!"), ("csrf", &csrf)], Some(ORIGIN)).await;
        assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
        assert!(!bad.headers.contains_key("set-cookie"));
        assert!(bad.body.contains("Wrong login or password."));
        // The token was used: a fresh one is in the page that came back.
        let again = t
            .post("/login", None, &[("login", "sup"), ("password", "correct horse battery"), ("csrf", &csrf)], Some(ORIGIN))
            .await;
        assert_eq!(again.status, StatusCode::FORBIDDEN, "a login form's token works once");
        let csrf = token(&bad.body);
        let ok = t
            .post("/login", None, &[("login", "sup"), ("password", "correct horse battery"), ("csrf", &csrf)], Some(ORIGIN))
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        let cookie = ok.headers["set-cookie"].to_str().unwrap().to_string();
        assert!(cookie.starts_with("billrecon_session="), "{cookie}");
        assert!(cookie.contains("; HttpOnly") && cookie.contains("; SameSite=Strict") && cookie.contains("; Path=/"), "{cookie}");
        let session = cookie.split(';').next().unwrap();
        assert_eq!(t.get("/months", Some(session)).await.status, StatusCode::OK);
        // No form token from this server: refused.
        let forged = t
            .post("/login", None, &[("login", "sup"), ("password", "correct horse battery"), ("csrf", "made-up")], Some(ORIGIN))
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert!(!forged.headers.contains_key("set-cookie"));
    });
}

#[test]
fn repeated_failures_slow_the_login() {
    let t = setup();
    rt().block_on(async {
        let mut last = StatusCode::OK;
        for _ in 0..=crate::FREE_FAILURES {
            let csrf = t.app.sessions.login_form();
            last = t
                .post("/login", None, &[("login", "clerk"), ("password", "guess guess guess"), ("csrf", &csrf)], Some(ORIGIN))
                .await
                .status;
        }
        assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
        // Even the right password waits its turn.
        let csrf = t.app.sessions.login_form();
        let a = t
            .post("/login", None, &[("login", "clerk"), ("password", "correct horse battery"), ("csrf", &csrf)], Some(ORIGIN))
            .await;
        assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(a.headers.contains_key("retry-after"));
    });
}

#[test]
fn every_answer_carries_the_security_headers() {
    let t = setup();
    let (c, _) = t.session("sup");
    rt().block_on(async {
        for path in ["/login", "/months/2026-10", "/static/app.js", "/no/such"] {
            let a = t.get(path, Some(&c)).await;
            assert_eq!(a.headers["content-security-policy"], crate::CSP, "{path}");
            assert!(!crate::CSP.contains("unsafe-inline"));
            assert_eq!(a.headers["x-frame-options"], "DENY");
            assert_eq!(a.headers["x-content-type-options"], "nosniff");
        }
        // No page holds an inline script or style (the policy would block it).
        for path in ["/login", "/months/2026-10", "/findings/DA-8bd95ef0", "/months/2026-10/statements/1010-ARTS", "/receivables"]
        {
            let body = t.get(path, Some(&c)).await.body;
            assert!(!body.contains("<script>") && !body.contains("<style") && !body.contains("style=\""), "{path}");
        }
    });
}

#[test]
fn the_queue_filters_and_pages_in_the_url() {
    let t = setup();
    let (c, _) = t.session("clerk");
    rt().block_on(async {
        let all = t.get("/months/2026-10", Some(&c)).await.body;
        assert!(all.contains("16 finding(s)."), "{all}");
        let da = t.get("/months/2026-10?rule=directory_assistance", Some(&c)).await.body;
        assert!(da.contains("3 finding(s)."));
        assert_eq!(da.matches("data-row=\"DA-").count(), 3);
        assert!(da.contains("<option value=\"directory_assistance\" selected>"));
        let sped = t.get("/months/2026-10?rule=directory_assistance&account=1030-SPED", Some(&c)).await.body;
        assert!(sped.contains("2 finding(s)."));
        let line = t.get("/months/2026-10?line=860-555-0101", Some(&c)).await.body;
        assert!(line.contains("2 finding(s)."), "a line typed as people write it");
        let none = t.get("/months/2026-10?status=waived", Some(&c)).await.body;
        assert!(none.contains("0 finding(s)."));
        // The clerk sees the queue but no waive buttons.
        assert!(!all.contains("/waive\""));
    });
}

#[test]
fn the_tie_out_is_the_ledgers_to_the_cent() {
    let t = setup();
    let (c, _) = t.session("sup");
    let body = rt().block_on(t.get("/months/2026-10", Some(&c))).body;
    assert!(body.contains("<td>AT&#38;T Mobility 287219044110 2026100451</td><td class=\"n\">$275.79</td><td class=\"n\">$273.30</td><td class=\"n\">$2.49</td><td class=\"n\">$0.00</td>"), "{body}");
    assert!(body.contains("<td>Verizon Wireless 442091800001 8812345670</td><td class=\"n\">$574.38</td><td class=\"n\">$536.23</td><td class=\"n\">$17.38</td><td class=\"n\">$20.77</td>"));
}

#[test]
fn a_payment_is_recorded_once_and_shown_in_receivables() {
    let t = setup();
    let (c, csrf) = t.session("clerk");
    rt().block_on(async {
        let fields = [
            ("csrf", csrf.as_str()),
            ("employee", "E1001"),
            ("amount", "$1.99"),
            ("date", "2026-11-20"),
            ("reference", "CHK-1001"),
        ];
        let a = t.post("/payments", Some(&c), &fields, Some(ORIGIN)).await;
        assert_eq!((a.status, a.headers["location"].to_str().unwrap()), (StatusCode::SEE_OTHER, "/receivables?said=recorded"));
        let again = t.post("/payments", Some(&c), &fields, Some(ORIGIN)).await;
        assert_eq!(again.headers["location"], "/receivables?said=duplicate");
        let page = t.get("/receivables?said=duplicate&as_of=2026-12-15", Some(&c)).await.body;
        assert!(page.contains("That reference was recorded before: nothing written."));
        assert!(page.contains("<tr><td>E1001</td><td class=\"n\">$11.89</td><td class=\"n\">$1.99</td>"), "{page}");
        let bad = t
            .post(
                "/payments",
                Some(&c),
                &[("csrf", &csrf), ("employee", "E1001"), ("amount", "1.999"), ("date", "2026-11-20"), ("reference", "CHK-2")],
                Some(ORIGIN),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("not a positive amount in cents"), "{}", bad.body);
        // A program may not record payments.
        let (p, pcsrf) = t.session("arts");
        let no = t
            .post(
                "/payments",
                Some(&p),
                &[("csrf", &pcsrf), ("employee", "E1001"), ("amount", "1"), ("date", "2026-11-20"), ("reference", "CHK-3")],
                Some(ORIGIN),
            )
            .await;
        assert_eq!(no.status, StatusCode::FORBIDDEN);
    });
    assert_eq!(t.count("payments"), 1);
    let l = Ledger::open(&t.ledger).unwrap();
    let who: (String, String) =
        l.connection().query_row("SELECT actor, source FROM payments", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    assert_eq!(who, ("clerk".into(), "web".into()));
}

#[test]
fn an_oversized_body_is_refused_before_anything_is_read() {
    let t = setup();
    let (c, csrf) = t.session("sup");
    let reason = "x".repeat(crate::BODY_LIMIT);
    let a = rt().block_on(t.post(
        "/findings/DA-8bd95ef0/waive",
        Some(&c),
        &[("csrf", &csrf), ("version", "0"), ("reason", &reason)],
        Some(ORIGIN),
    ));
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(t.count("events"), 0);
}

/// An invoice posted before the tie-out was recorded (schema 4) is summed from its entries: the
/// same cents.
#[test]
fn the_tie_out_of_an_older_posting_is_summed_from_its_entries() {
    let t = setup();
    let l = Ledger::open(&t.ledger).unwrap();
    let stored = l.tie_out("2026-10").unwrap();
    l.connection().execute_batch("DROP TRIGGER invoice_tieouts_no_delete; DELETE FROM invoice_tieouts;").unwrap();
    let summed = l.tie_out("2026-10").unwrap();
    assert_eq!(stored, summed);
    assert_eq!(stored.len(), 2);
}

/// The statement and notice pages are the documents `post` stored: byte for byte what the
/// report crate rendered.
#[test]
fn documents_are_served_as_posted() {
    let t = setup();
    let (c, _) = t.session("arts");
    let l = Ledger::open(&t.ledger).unwrap();
    let doc =
        l.document("2026-10", billrecon_ledger::DocKind::Statement, "1010-ARTS", &billrecon_ledger::Scope::All).unwrap().unwrap();
    rt().block_on(async {
        let csv = t.get("/months/2026-10/statements/1010-ARTS/csv", Some(&c)).await;
        assert_eq!(csv.body, doc.plain);
        assert_eq!(csv.headers["content-disposition"], "attachment; filename=\"1010-ARTS-2026-10.csv\"");
        let page = t.get("/months/2026-10/statements/1010-ARTS", Some(&c)).await.body;
        assert!(page.contains(billrecon_report::html::body_of(&doc.html)));
        assert!(page.contains("Chargeback statement · account 1010-ARTS · period 2026-10"), "the running head for print");
        assert!(page.contains("/findings/DA-8bd95ef0"), "its findings, to review or dispute");
        assert!(!page.contains("DA-2d26e6f7"));
    });
}

/// Where each test user may look, and the lines, employees and accounts that are not theirs.
fn not_theirs(login: &str) -> Vec<String> {
    let programs = ["1010-ARTS", "1020-TRANS", "1030-SPED", "1040-FAC"];
    let (acct, emp): (Option<&str>, Option<&str>) = match login {
        "arts" => (Some("1010-ARTS"), None),
        "sped" => (Some("1030-SPED"), None),
        "e1001" => (None, Some("E1001")),
        _ => (None, Some("E1007")),
    };
    let l = Ledger::open(&shared().ledger).unwrap();
    let mut st = l.connection().prepare("SELECT DISTINCT line, employee_id, account_code FROM assignments").unwrap();
    let rows: Vec<(String, String, String)> =
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect();
    let mine = |r: &(String, String, String)| acct.is_some_and(|a| r.2 == a) || emp.is_some_and(|e| r.1 == e);
    let mut out: Vec<String> = Vec::new();
    for r in rows.iter().filter(|r| !mine(r)) {
        if !rows.iter().any(|m| mine(m) && m.0 == r.0) {
            out.push(r.0.clone());
            out.push(billrecon_model::PhoneNumber::parse(&r.0).unwrap().pretty());
        }
        if !r.1.is_empty() && !rows.iter().any(|m| mine(m) && m.1 == r.1) {
            out.push(format!("{}<", r.1));
            out.push(format!("{} ", r.1));
            out.push(format!("{})", r.1));
        }
    }
    // A program's own account; an employee's lines' accounts (their notice names them).
    out.extend(programs.iter().filter(|p| !rows.iter().any(|r| mine(r) && r.2 == **p)).map(|p| p.to_string()));
    out
}

/// One posted ledger for the read-only tests.
fn shared() -> &'static T {
    static S: std::sync::OnceLock<T> = std::sync::OnceLock::new();
    S.get_or_init(setup)
}

const PATHS: &[&str] = &[
    "/months",
    "/me",
    "/months/2026-10/statements/1010-ARTS",
    "/months/2026-10/statements/1010-ARTS/csv",
    "/months/2026-10/statements/1020-TRANS",
    "/months/2026-10/statements/1030-SPED",
    "/months/2026-10/statements/1030-SPED/csv",
    "/months/2026-10/statements/1040-FAC",
    "/months/2026-10/notices/E1001",
    "/months/2026-10/notices/E1001/txt",
    "/months/2026-10/notices/E1007",
    "/months/2026-10/notices/E1007/txt",
    "/months/2026-10/notices/E1008",
    "/months/2026-10/notices/E1012",
    "/findings/DA-8bd95ef0",
    "/findings/DA-2d26e6f7",
    "/findings/DA-53a423e8",
    "/findings/OVG-4f45cf2d",
    "/findings/PCC-7f21dc2f",
    "/findings/UNA-95c2ede5",
    "/findings/TRM-bbe65336",
    "/findings/INA-47306411",
    "/findings/DUP-960e5c32",
    "/findings/NBL-4e4853fb",
    "/months/2026-10",
    "/receivables",
    "/audit",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// No answer to a program or an employee holds another's line, account or employee.
    #[test]
    fn no_answer_leaks_anothers_lines(who in prop::sample::select(vec!["arts", "sped", "e1001", "e1007"]), paths in prop::collection::vec(prop::sample::select(PATHS.to_vec()), 1..6)) {
        let t = shared();
        let (c, _) = t.session(who);
        let forbidden = not_theirs(who);
        for path in paths {
            let a = rt().block_on(t.get(path, Some(&c)));
            prop_assert!(matches!(a.status.as_u16(), 200 | 403 | 404), "{} {}", path, a.status);
            if a.status == StatusCode::OK {
                for f in &forbidden {
                    prop_assert!(!a.body.contains(f.as_str()), "{} sees {:?} in {}", who, f, path);
                }
            }
        }
    }
}
