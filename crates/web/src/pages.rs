//! The routes' handlers. Each one: who is asking (the session, else 303 to `/login`), may their
//! role open this kind of page (else 403), then the ledger queried with their scope (what is out
//! of scope is absent: 404). POSTs also check the session's form token (403, nothing written).

use std::str::FromStr;
use std::sync::Arc;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use billrecon_ledger::{
    Decision, DocKind, Event, EventOutcome, FindingFilter, FindingStatus, LedgerError, PayOutcome, Payment, Role, Scope, Source,
    Stamp,
};
use billrecon_model::{FreeText, PhoneNumber};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use crate::app::App;
use crate::failure::{error_page, html, see_other, Failure};
use crate::view::*;

const COOKIE: &str = "billrecon_session";
/// Findings on one page of a queue.
pub const PAGE: u64 = 50;

type Page = Result<Response, Failure>;

fn page(t: impl Template) -> Page {
    Ok(html(t.render()))
}

/// A form body or query string, fields in order (a field may repeat).
struct Form(Vec<(String, String)>);

impl Form {
    fn parse(bytes: &[u8]) -> Form {
        Form(form_urlencoded::parse(bytes).into_owned().collect())
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// A field that is there and not blank.
    fn some(&self, name: &str) -> Option<String> {
        self.get(name).map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
    }
}

/// Compares two tokens in time independent of where they differ.
fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn session_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
}

/// Who is asking.
pub struct Viewer {
    session: String,
    login: String,
    role: Role,
    scope: Scope,
    csrf: String,
}

impl Viewer {
    fn only(&self, roles: &[Role]) -> Result<(), Failure> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(Failure::Forbidden("Your role does not open this page."))
        }
    }

    fn finance(&self) -> bool {
        matches!(self.role, Role::Supervisor | Role::Clerk)
    }

    /// The form's token must be this session's.
    fn check_form(&self, form: &Form) -> Result<(), Failure> {
        match form.get("csrf") {
            Some(t) if same_token(t, &self.csrf) => Ok(()),
            _ => Err(Failure::Forbidden("This form did not come from your session (its token is missing or stale): nothing was written. Reload the page and try again.")),
        }
    }

    fn nav(&self) -> Option<Nav> {
        let link = |href: &str, label: &str| Link { href: href.into(), label: label.into() };
        let links = match self.role {
            Role::Supervisor | Role::Clerk => vec![
                link("/months", "Months"),
                link("/receivables", "Receivables"),
                link("/audit", "Audit trail"),
                link("/verify", "Verify"),
            ],
            Role::Program => vec![link("/months", "Your statements")],
            Role::Employee => vec![link("/me", "Your notices")],
        };
        Some(Nav { login: self.login.clone(), role: self.role.as_str(), csrf: self.csrf.clone(), links })
    }

    fn stamp(&self) -> Result<Stamp, Failure> {
        Ok(Stamp { actor: free("login", &self.login)?, source: Source::Web, at: now() })
    }
}

fn free(field: &str, text: &str) -> Result<FreeText, Failure> {
    FreeText::parse(field, text).map_err(|e| Failure::Invalid(e.to_string()))
}

async fn viewer(app: &Arc<App>, headers: &HeaderMap) -> Result<Viewer, Failure> {
    let id = session_id(headers).ok_or(Failure::Login)?;
    let s = app.sessions.get(&id).ok_or(Failure::Login)?;
    let login = s.login.clone();
    let user = app.db(move |l| l.user(&login)).await?;
    match user {
        Some(u) if !u.disabled => {
            Ok(Viewer { session: id, login: u.login.clone(), role: u.role, scope: u.scope(), csrf: s.csrf })
        }
        _ => {
            app.sessions.end(&id);
            Err(Failure::Login)
        }
    }
}

pub async fn home(State(app): State<Arc<App>>, headers: HeaderMap) -> Page {
    let v = viewer(&app, &headers).await?;
    Ok(see_other(if v.role == Role::Employee { "/me" } else { "/months" }))
}

pub async fn not_found(State(app): State<Arc<App>>, headers: HeaderMap) -> Page {
    viewer(&app, &headers).await?;
    Err(Failure::NotFound)
}

pub async fn asset(Path(file): Path<String>) -> Response {
    let (body, kind): (&'static [u8], &str) = match file.as_str() {
        "app.js" => (include_bytes!("../static/app.js"), "text/javascript; charset=utf-8"),
        "app.css" => (include_bytes!("../static/app.css"), "text/css; charset=utf-8"),
        "report.css" => (billrecon_report::html::CSS.as_bytes(), "text/css; charset=utf-8"),
        _ => return error_page(StatusCode::NOT_FOUND, "There is nothing here."),
    };
    ([(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "private, max-age=300")], body).into_response()
}

// --- logging in and out ---

pub async fn login_form(State(app): State<Arc<App>>, headers: HeaderMap) -> Page {
    if viewer(&app, &headers).await.is_ok() {
        return Ok(see_other("/"));
    }
    page(LoginPage { nav: None, csrf: app.sessions.login_form(), login: String::new(), message: None })
}

pub async fn login(State(app): State<Arc<App>>, body: Bytes) -> Page {
    let form = Form::parse(&body);
    if !form.get("csrf").is_some_and(|t| app.sessions.take_login_form(t)) {
        return Err(Failure::Forbidden(
            "The login form expired or did not come from this server: reload the page and log in again.",
        ));
    }
    let login = form.get("login").unwrap_or("").trim().to_string();
    let password = form.get("password").unwrap_or("").to_string();
    if let Some(wait) = app.sessions.wait_for(&login) {
        return Err(Failure::TooMany(wait.as_secs().max(1)));
    }
    let who = login.clone();
    let ok = app
        .db(move |l| {
            let user = l.user(&who)?;
            Ok(match user {
                Some(u) if !u.disabled => crate::password::verify(&password, &u.password_hash),
                _ => {
                    // As long as a wrong password takes.
                    crate::password::verify(&password, crate::password::decoy());
                    false
                }
            })
        })
        .await?;
    if !ok {
        app.sessions.failed(&login);
        let again =
            LoginPage { nav: None, csrf: app.sessions.login_form(), login, message: Some("Wrong login or password.".into()) };
        return Ok((StatusCode::UNAUTHORIZED, html(again.render())).into_response());
    }
    app.sessions.succeeded(&login);
    let id = app.sessions.start(&login);
    let secure = if app.secure_cookie { "; Secure" } else { "" };
    let cookie = format!("{COOKIE}={id}; Path=/; HttpOnly; SameSite=Strict{secure}");
    let mut r = see_other("/");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(r)
}

pub async fn logout(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Page {
    let v = viewer(&app, &headers).await?;
    v.check_form(&Form::parse(&body))?;
    app.sessions.end(&v.session);
    let mut r = see_other("/login");
    r.headers_mut()
        .insert(header::SET_COOKIE, HeaderValue::from_static("billrecon_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"));
    Ok(r)
}

// --- months ---

pub async fn months(State(app): State<Arc<App>>, headers: HeaderMap) -> Page {
    let v = viewer(&app, &headers).await?;
    v.only(&[Role::Supervisor, Role::Clerk, Role::Program])?;
    let scope = v.scope.clone();
    let months = app
        .db(move |l| {
            let mut out = Vec::new();
            for m in l.months_in(&scope)? {
                let links = if scope == Scope::All {
                    vec![]
                } else {
                    l.document_keys(&m, DocKind::Statement, &scope)?
                        .into_iter()
                        .map(|k| Link { href: format!("/months/{m}/statements/{}", seg(&k)), label: format!("statement {k}") })
                        .collect()
                };
                out.push(MonthItem { month: m, links });
            }
            out.reverse();
            Ok(out)
        })
        .await?;
    page(MonthsPage { nav: v.nav(), finance: v.finance(), months })
}

/// A queue's filters from its query string.
fn filter_of(q: &Form) -> FindingFilter {
    FindingFilter {
        severity: q.some("severity"),
        rule: q.some("rule"),
        account: q.some("account"),
        line: q.some("line").map(|l| match PhoneNumber::parse_line(&l) {
            Ok(p) => p.to_string(),
            // A card's number typed whole is never shown back whole (nor matches: the ledger
            // keeps cards by their last four digits).
            Err(_) if billrecon_model::phone::has_card_digits(&l) => {
                format!("card ending {}", billrecon_model::phone::last_four(&l))
            }
            Err(_) => PhoneNumber::parse(&l).map(|p| p.to_string()).unwrap_or(l),
        }),
        status: q.some("status").and_then(|s| {
            [FindingStatus::Open, FindingStatus::Waived, FindingStatus::Disputed, FindingStatus::Resolved]
                .into_iter()
                .find(|x| x.as_str() == s)
        }),
    }
}

/// The queue's URL for `filter` and page `n` (filters kept in the URL, so every view is a link).
fn queue_url(month: &str, f: &FindingFilter, n: u64) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in [("severity", &f.severity), ("rule", &f.rule), ("account", &f.account), ("line", &f.line)] {
        if let Some(v) = v {
            q.append_pair(k, v);
        }
    }
    if let Some(s) = f.status {
        q.append_pair("status", s.as_str());
    }
    if n > 1 {
        q.append_pair("page", &n.to_string());
    }
    let q = q.finish();
    if q.is_empty() {
        format!("/months/{month}")
    } else {
        format!("/months/{month}?{q}")
    }
}

fn choices(values: Vec<String>, selected: &Option<String>, label: impl Fn(&str) -> String) -> Vec<Choice> {
    values.into_iter().map(|v| Choice { label: label(&v), selected: selected.as_deref() == Some(v.as_str()), value: v }).collect()
}

pub async fn month(State(app): State<Arc<App>>, headers: HeaderMap, Path(month): Path<String>, RawQuery(q): RawQuery) -> Page {
    let v = viewer(&app, &headers).await?;
    v.only(&[Role::Supervisor, Role::Clerk])?;
    let q = Form::parse(q.unwrap_or_default().as_bytes());
    let filter = filter_of(&q);
    let page_n = q.get("page").and_then(|p| p.parse::<u64>().ok()).unwrap_or(1).max(1);
    let (m, f) = (month.clone(), filter.clone());
    let cache = Arc::clone(&app);
    let data = app
        .db(move |l| {
            let Some(latest) = l.latest_post(&m)? else { return Ok(None) };
            // What changes only when the month is posted again, read once per post.
            let meta = match cache.month_meta(&m, latest) {
                Some(meta) => meta,
                None => {
                    let meta = Arc::new(crate::app::MonthMeta {
                        post: latest,
                        posts: l.posts_of(&m)?,
                        tie: l.tie_out(&m)?,
                        values: l.filter_values(&m, &Scope::All)?,
                        statements: l.document_keys(&m, DocKind::Statement, &Scope::All)?,
                        notices: l.document_count(&m, DocKind::Notice)?,
                        findings: l.findings_count(&m, &FindingFilter::default(), &Scope::All)?,
                    });
                    cache.keep_month_meta(&m, Arc::clone(&meta));
                    meta
                }
            };
            let total = if f == FindingFilter::default() { meta.findings } else { l.findings_count(&m, &f, &Scope::All)? };
            let rows = l.findings_rows(&m, &f, &Scope::All, (page_n - 1) * PAGE, PAGE)?;
            Ok(Some((meta, billrecon_ledger::FindingsPage { total, rows })))
        })
        .await?;
    let Some((meta, found)) = data else {
        return Err(Failure::NotFound);
    };
    let (posts, tie, [sev, rules, accts], statements, notices) =
        (meta.posts, &meta.tie, meta.values.clone(), meta.statements.clone(), meta.notices);
    let pages = found.total.div_ceil(PAGE).max(1);
    let m = &month;
    let statuses = ["open", "waived", "disputed", "resolved"]
        .into_iter()
        .map(|s| Choice { value: s.into(), label: s.into(), selected: filter.status.map(FindingStatus::as_str) == Some(s) })
        .collect();
    let return_to = queue_url(m, &filter, page_n);
    page(MonthPage {
        nav: v.nav(),
        month: m.clone(),
        posts,
        tieouts: tie
            .iter()
            .map(|t| TieRow {
                invoice: format!("{} {} {}", t.carrier, t.account_number, t.invoice_number),
                billed: billrecon_report::money(t.billed),
                programs: billrecon_report::money(t.programs),
                employees: billrecon_report::money(t.employees),
                suspense: billrecon_report::money(t.suspense),
                replaced: t.replaced_earlier,
            })
            .collect(),
        severities: choices(sev, &filter.severity, |s| s.to_string()),
        rules: choices(rules, &filter.rule, |r| billrecon_model::label(r).to_string()),
        accounts: choices(accts, &filter.account, |a| a.to_string()),
        statuses,
        line: filter.line.clone().unwrap_or_default(),
        total: found.total,
        page: page_n,
        pages,
        prev: (page_n > 1).then(|| queue_url(m, &filter, page_n - 1)),
        next: (page_n < pages).then(|| queue_url(m, &filter, page_n + 1)),
        rows: found.rows.iter().map(Row::of).collect(),
        can_waive: v.role == Role::Supervisor,
        csrf: v.csrf.clone(),
        return_to,
        statements: statements
            .into_iter()
            .map(|k| Link { href: format!("/months/{m}/statements/{}", seg(&k)), label: k })
            .collect(),
        notices,
    })
}

// --- documents ---

async fn document(
    app: &Arc<App>,
    v: &Viewer,
    month: String,
    kind: DocKind,
    key: String,
) -> Result<billrecon_ledger::StoredDocument, Failure> {
    let scope = v.scope.clone();
    app.db(move |l| l.document(&month, kind, &key, &scope)).await?.ok_or(Failure::NotFound)
}

pub async fn statement(State(app): State<Arc<App>>, headers: HeaderMap, Path((month, account)): Path<(String, String)>) -> Page {
    let v = viewer(&app, &headers).await?;
    let doc = document(&app, &v, month.clone(), DocKind::Statement, account.clone()).await?;
    let (scope, m, a) = (v.scope.clone(), month.clone(), account.clone());
    let filter = FindingFilter { account: Some(a), ..Default::default() };
    let found = app.db(move |l| l.findings_page(&m, &filter, &scope, 0, 1000)).await?;
    page(DocumentPage {
        nav: v.nav(),
        title: format!("Statement {account} · {month}"),
        running_head: format!("Chargeback statement · account {account} · period {month}"),
        download: format!("/months/{month}/statements/{}/csv", seg(&account)),
        download_label: "Download the statement as CSV",
        findings: found.rows.iter().map(Row::of).collect(),
        body: billrecon_report::html::body_of(&doc.html).to_string(),
    })
}

fn attachment(body: String, kind: &'static str, name: &str) -> Response {
    let disposition = format!("attachment; filename=\"{}\"", name.replace(['"', '\\'], "_"));
    let mut r = ([(header::CONTENT_TYPE, kind)], body).into_response();
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

pub async fn statement_csv(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path((month, account)): Path<(String, String)>,
) -> Page {
    let v = viewer(&app, &headers).await?;
    let doc = document(&app, &v, month.clone(), DocKind::Statement, account).await?;
    Ok(attachment(doc.plain, "text/csv; charset=utf-8", &format!("{}-{month}.csv", doc.name)))
}

pub async fn notice(State(app): State<Arc<App>>, headers: HeaderMap, Path((month, employee)): Path<(String, String)>) -> Page {
    let v = viewer(&app, &headers).await?;
    let doc = document(&app, &v, month.clone(), DocKind::Notice, employee.clone()).await?;
    page(DocumentPage {
        nav: v.nav(),
        title: format!("Notice {employee} · {month}"),
        running_head: format!("Reimbursement notice · employee {employee} · period {month}"),
        download: format!("/months/{month}/notices/{}/txt", seg(&employee)),
        download_label: "Download the notice as text",
        findings: vec![],
        body: billrecon_report::html::body_of(&doc.html).to_string(),
    })
}

pub async fn notice_txt(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path((month, employee)): Path<(String, String)>,
) -> Page {
    let v = viewer(&app, &headers).await?;
    let doc = document(&app, &v, month.clone(), DocKind::Notice, employee).await?;
    Ok(attachment(doc.plain, "text/plain; charset=utf-8", &format!("{}-{month}.txt", doc.name)))
}

pub async fn me(State(app): State<Arc<App>>, headers: HeaderMap) -> Page {
    let v = viewer(&app, &headers).await?;
    v.only(&[Role::Employee])?;
    let scope = v.scope.clone();
    let Scope::Employee(emp) = scope.clone() else { return Err(Failure::NotFound) };
    let links = app
        .db(move |l| {
            let mut out = Vec::new();
            for r in l.reviews_of(&emp)? {
                let what = if r.closed {
                    "your calls (posted)".to_string()
                } else {
                    format!("your calls: mark the personal ones by {}", r.deadline)
                };
                out.push(Link { href: format!("/me/{}", seg(&r.month)), label: format!("{}: {what}", r.month) });
            }
            for m in l.months_in(&scope)?.into_iter().rev() {
                if !l.document_keys(&m, DocKind::Notice, &scope)?.is_empty() {
                    out.push(Link {
                        href: format!("/months/{m}/notices/{}", seg(&emp)),
                        label: format!("{m}: reimbursement notice"),
                    });
                }
            }
            Ok(out)
        })
        .await?;
    page(MePage { nav: v.nav(), links })
}

// --- findings ---

/// What each role may decide, and on what status.
fn actions(role: Role, status: FindingStatus) -> Vec<Action> {
    if status == FindingStatus::Waived {
        return vec![];
    }
    let waive = Action {
        action: "waive",
        label: "Waive",
        help: "Final: a liability goes back to the program and the employee's notice is cancelled.",
    };
    let dispute = Action {
        action: "dispute",
        label: "Dispute",
        help: "With the carrier (give its case number), or: this line is not ours.",
    };
    let resolve = Action { action: "resolve", label: "Resolve", help: "The problem is dealt with: the finding closes." };
    let mut out = Vec::new();
    if role == Role::Supervisor {
        out.push(waive);
    }
    if matches!(role, Role::Supervisor | Role::Clerk | Role::Program) && status != FindingStatus::Disputed {
        out.push(dispute);
    }
    if matches!(role, Role::Supervisor | Role::Clerk) && status != FindingStatus::Resolved {
        out.push(resolve);
    }
    out
}

pub async fn finding(State(app): State<Arc<App>>, headers: HeaderMap, Path(id): Path<String>, RawQuery(q): RawQuery) -> Page {
    let v = viewer(&app, &headers).await?;
    let scope = v.scope.clone();
    let fid = id.clone();
    let data = app
        .db(move |l| {
            let rows = l.finding_rows(&fid, &scope)?;
            let Some(last) = rows.last() else { return Ok(None) };
            let history = match PhoneNumber::parse(&last.line) {
                Ok(p) if !last.line.is_empty() => l.line_history(&p)?,
                _ => vec![],
            };
            // A line's other months show only what this reader may see of them.
            let history = history
                .into_iter()
                .filter(|h| match &scope {
                    Scope::All => true,
                    Scope::Accounts(a) => a.contains(&h.account_code),
                    Scope::Employee(e) => *e == h.employee_id,
                })
                .collect::<Vec<_>>();
            let events = l.finding_events(&fid)?;
            Ok(Some((rows, history, events)))
        })
        .await?;
    let Some((rows, history, events)) = data else { return Err(Failure::NotFound) };
    let last = rows.last().ok_or(Failure::NotFound)?;
    let (status, version) = (last.status, last.version);
    let said = Form::parse(q.unwrap_or_default().as_bytes());
    let message = match said.get("said") {
        Some("recorded") => Some(format!("Recorded: the finding is now {status}.")),
        Some("already") => Some(format!("It was {status} already: nothing written.")),
        _ => None,
    };
    page(FindingPage {
        nav: v.nav(),
        id: id.clone(),
        status: status.as_str().to_string(),
        version,
        message,
        sources: last.sources.split("; ").filter(|s| !s.is_empty()).map(str::to_string).collect(),
        rows: rows.iter().map(Row::of).collect(),
        history: history
            .iter()
            .map(|h| HistoryRow {
                month: h.month.clone(),
                charges: billrecon_report::money(h.charges),
                voice: h.voice_minutes.clone(),
                messages: h.messages.clone(),
                used: if h.used { "yes" } else { "no" },
                employee: h.employee_id.clone(),
                account: h.account_code.clone(),
                findings: h.findings.join("; "),
            })
            .collect(),
        events: events
            .iter()
            .map(|e| EventView {
                date: e.date.clone(),
                status: e.status.as_str().to_string(),
                by: e.by.clone(),
                reason: e.reason.clone(),
                case_ref: e.case_ref.clone(),
                amount: if e.amount.is_zero() { String::new() } else { billrecon_report::money(e.amount) },
                recorded: if e.recorded_at.is_empty() {
                    String::new()
                } else {
                    format!("{} by {} ({})", e.recorded_at, e.actor, e.source)
                },
            })
            .collect(),
        actions: actions(v.role, status),
        csrf: v.csrf.clone(),
    })
}

/// Where a decision made from a queue goes back to: only a queue of this server.
fn safe_return(r: Option<&str>) -> Option<String> {
    r.filter(|r| r.starts_with("/months/") && !r.contains("//") && !r.contains('\\') && r.len() < 600).map(str::to_string)
}

pub async fn decide(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path((id, action)): Path<(String, String)>,
    body: Bytes,
) -> Page {
    let v = viewer(&app, &headers).await?;
    let form = Form::parse(&body);
    v.check_form(&form)?;
    let (event, roles): (Event, &[Role]) = match action.as_str() {
        "waive" => (Event::Waive, &[Role::Supervisor]),
        "dispute" => (Event::Dispute, &[Role::Supervisor, Role::Clerk, Role::Program]),
        "resolve" => (Event::Resolve, &[Role::Supervisor, Role::Clerk]),
        _ => return Err(Failure::NotFound),
    };
    v.only(roles)?;
    let reason = free("reason", form.get("reason").unwrap_or(""))?;
    let case = match form.some("case") {
        Some(c) if event == Event::Dispute => Some(free("case", &c)?),
        _ => None,
    };
    let version = form
        .get("version")
        .and_then(|x| x.parse::<i64>().ok())
        .ok_or_else(|| Failure::Invalid("The form does not say which version of the finding it was made from.".into()))?;
    let by = free("by", &v.login)?;
    let stamp = v.stamp()?;
    let (scope, fid) = (v.scope.clone(), id.clone());
    let fragment = headers.get("x-billrecon-fragment").is_some();
    let outcome = app
        .db(move |l| {
            // In scope first: a program may only dispute findings on its own lines.
            if l.finding_rows(&fid, &scope)?.is_empty() {
                return Ok(None);
            }
            let d = Decision {
                finding: &fid,
                event,
                reason: &reason,
                by: &by,
                case: case.as_ref(),
                date: stamp.at.date_naive(),
                expect_version: Some(version),
            };
            let out = l.event(&d, &stamp)?;
            let month = l.finding_rows(&fid, &scope)?;
            Ok(Some((out, month)))
        })
        .await?;
    let Some((outcome, rows)) = outcome else { return Err(Failure::NotFound) };
    let said = match outcome {
        EventOutcome::Recorded { .. } => "recorded",
        EventOutcome::Already { .. } => "already",
    };
    if fragment {
        if let Some(last) = rows.last() {
            let frag = RowFragment {
                r: Row::of(last),
                can_waive: v.role == Role::Supervisor,
                csrf: v.csrf.clone(),
                return_to: safe_return(form.get("return")).unwrap_or_default(),
            };
            return Ok(html(frag.render()));
        }
    }
    Ok(see_other(&safe_return(form.get("return")).unwrap_or_else(|| format!("/findings/{}?said={said}", seg(&id)))))
}

// --- money owed ---

/// The clock (UTC), for stamps and today's date.
fn now() -> DateTime<Utc> {
    DateTime::<Utc>::from(std::time::SystemTime::now())
}

fn today() -> NaiveDate {
    now().date_naive()
}

pub async fn receivables(State(app): State<Arc<App>>, headers: HeaderMap, RawQuery(q): RawQuery) -> Page {
    let v = viewer(&app, &headers).await?;
    v.only(&[Role::Supervisor, Role::Clerk])?;
    let q = Form::parse(q.unwrap_or_default().as_bytes());
    let as_of = q.get("as_of").and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()).unwrap_or_else(today);
    let rows = app.db(move |l| l.receivables(as_of, None)).await?;
    let message = match q.get("said") {
        Some("recorded") => Some("Payment recorded.".to_string()),
        Some("duplicate") => Some("That reference was recorded before: nothing written.".to_string()),
        _ => None,
    };
    let m = billrecon_report::money;
    page(ReceivablesPage {
        nav: v.nav(),
        as_of: as_of.to_string(),
        today: today().to_string(),
        message,
        rows: rows
            .iter()
            .map(|r| ReceivableRow {
                employee: r.employee_id.clone(),
                cells: [r.billed, r.paid, r.waived, r.outstanding, r.current, r.aged[0], r.aged[1], r.aged[2], r.aged[3]]
                    .into_iter()
                    .map(m)
                    .collect(),
                oldest_due: r.oldest_due.map(|d| d.to_string()).unwrap_or_default(),
            })
            .collect(),
        csrf: v.csrf.clone(),
    })
}

pub async fn pay(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Page {
    let v = viewer(&app, &headers).await?;
    let form = Form::parse(&body);
    v.check_form(&form)?;
    v.only(&[Role::Supervisor, Role::Clerk])?;
    let employee_id = free("employee", form.get("employee").unwrap_or(""))?;
    let reference = free("reference", form.get("reference").unwrap_or(""))?;
    let raw = form.get("amount").unwrap_or("").trim();
    let amount = Decimal::from_str(raw.trim_start_matches('$').replace(',', "").as_str())
        .map_err(|_| Failure::Invalid(format!("amount: `{raw}` is not an amount")))?;
    let date = NaiveDate::parse_from_str(form.get("date").unwrap_or("").trim(), "%Y-%m-%d")
        .map_err(|_| Failure::Invalid("date: give it as YYYY-MM-DD".into()))?;
    let stamp = v.stamp()?;
    let out = app.db(move |l| l.pay(&[Payment { employee_id, date, amount, reference }], &stamp)).await?;
    let said = match out.first() {
        Some(PayOutcome::Duplicate { .. }) => "duplicate",
        _ => "recorded",
    };
    Ok(see_other(&format!("/receivables?said={said}")))
}

// --- the ledger itself ---

pub async fn audit(State(app): State<Arc<App>>, headers: HeaderMap) -> Page {
    let v = viewer(&app, &headers).await?;
    v.only(&[Role::Supervisor, Role::Clerk])?;
    let rows = app.db(|l| l.audit(500)).await?;
    page(AuditPage {
        nav: v.nav(),
        rows: rows
            .into_iter()
            .map(|a| AuditView {
                recorded_at: a.recorded_at,
                actor: a.actor,
                source: a.source,
                action: a.action,
                subject: a.subject,
                detail: a.detail,
                amount: a.amount.map(billrecon_report::money).unwrap_or_default(),
            })
            .collect(),
    })
}

pub async fn verify(State(app): State<Arc<App>>, headers: HeaderMap) -> Page {
    let v = viewer(&app, &headers).await?;
    v.only(&[Role::Supervisor, Role::Clerk])?;
    let result = app
        .db(|l| match l.verify() {
            Ok(x) => Ok(Ok(x)),
            Err(LedgerError::Discrepancy(d)) => Ok(Err(d)),
            Err(e) => Err(e),
        })
        .await?;
    let (ok, text) = match result {
        Ok(x) => (
            true,
            format!(
                "The ledger adds up: {} invoice posting(s), {} journal(s) and {} employee balance(s) recomputed from the entries.",
                x.invoices, x.journals, x.employees
            ),
        ),
        Err(d) => (false, format!("The ledger does not add up: {d}")),
    };
    page(VerifyPage { nav: v.nav(), ok, text })
}

/// `/months/{month}/notices?employee=ID`: the notice lookup form's answer.
pub async fn notice_lookup(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path(month): Path<String>,
    RawQuery(q): RawQuery,
) -> Page {
    viewer(&app, &headers).await?;
    let q = Form::parse(q.unwrap_or_default().as_bytes());
    let emp = q.some("employee").ok_or(Failure::NotFound)?;
    Ok(see_other(&format!("/months/{}/notices/{}", seg(&month), seg(&emp))))
}

// --- employees' calls ---

fn pretty(n: &str) -> String {
    PhoneNumber::parse(n).map(|p| p.pretty()).unwrap_or_else(|_| n.to_string())
}

pub async fn me_month(State(app): State<Arc<App>>, headers: HeaderMap, Path(month): Path<String>, RawQuery(q): RawQuery) -> Page {
    let v = viewer(&app, &headers).await?;
    me_month_page(&app, v, month, q.unwrap_or_default(), None).await
}

/// The preview of what the ticked calls make the employee owe: a fragment for the page's script,
/// or (JavaScript off) the whole page with those calls ticked.
pub async fn me_preview(State(app): State<Arc<App>>, headers: HeaderMap, Path(month): Path<String>, body: Bytes) -> Page {
    let v = viewer(&app, &headers).await?;
    let form = Form::parse(&body);
    v.check_form(&form)?;
    let ticked: Vec<String> = form.0.iter().filter(|(k, _)| k == "personal").map(|(_, v)| v.clone()).collect();
    if headers.get("x-billrecon-fragment").is_none() {
        return me_month_page(&app, v, month, String::new(), Some(ticked)).await;
    }
    v.only(&[Role::Employee])?;
    let Scope::Employee(emp) = v.scope.clone() else { return Err(Failure::NotFound) };
    let m = month.clone();
    let (calls, pools, owed) = app
        .db(move |l| {
            let calls = l.calls_of(&m, &emp)?;
            let (pools, owed) = l.review_money(&m, &emp)?;
            Ok((calls, pools, owed))
        })
        .await?;
    if calls.is_empty() {
        return Err(Failure::NotFound);
    }
    page(PreviewFragment { month, p: preview_of(&calls, &ticked, &pools, &owed) })
}

/// The rules' preview for the calls ticked.
fn preview_of(
    calls: &[billrecon_ledger::OpenCall],
    ticked: &[String],
    pools: &[billrecon_ledger::ReviewPool],
    owed: &[billrecon_ledger::OwedAtOpen],
) -> PreviewView {
    use billrecon_rules::preview::{preview, PoolNow, PreviewInput};
    let ticked: Vec<&billrecon_ledger::OpenCall> = calls.iter().filter(|c| ticked.contains(&c.id)).collect();
    let already: Vec<&str> = owed.iter().flat_map(|o| o.sources.iter().map(String::as_str)).collect();
    let input = PreviewInput {
        owed: owed.iter().map(|o| (billrecon_model::label(&o.rule).to_string(), o.detail.clone(), o.amount)).collect(),
        calls: ticked
            .iter()
            .filter(|c| c.charge > Decimal::ZERO && !already.contains(&c.source.as_str()))
            .map(|c| (format!("{} {} to {}", c.date, c.time.get(..5).unwrap_or(""), pretty(&c.number)), c.charge))
            .collect(),
        pools: pools
            .iter()
            .map(|p| {
                // Minutes (or messages) ticked on the pool's line that were not counted already.
                let added: Decimal = ticked
                    .iter()
                    .filter(|c| c.line == p.line && c.kind == p.pool && !p.counted.contains(&c.source))
                    .map(|c| c.quantity.parse::<Decimal>().unwrap_or_default())
                    .sum();
                PoolNow {
                    line: p.line.clone(),
                    pool: p.pool.clone(),
                    unit: p.unit.clone(),
                    plan: p.plan.clone(),
                    allowance: p.allowance,
                    used: p.used,
                    personal: p.personal + added,
                    charge: p.charge,
                }
            })
            .collect(),
    };
    let (lines, total) = preview(&input);
    PreviewView {
        lines: lines
            .into_iter()
            .map(|l| PreviewRow { what: l.what, arithmetic: l.arithmetic, amount: billrecon_report::money(l.amount) })
            .collect(),
        total: billrecon_report::money(total),
    }
}

async fn me_month_page(app: &Arc<App>, v: Viewer, month: String, q: String, ticked_now: Option<Vec<String>>) -> Page {
    v.only(&[Role::Employee])?;
    let Scope::Employee(emp) = v.scope.clone() else { return Err(Failure::NotFound) };
    let m = month.clone();
    let data = app
        .db(move |l| {
            let Some(review) = l.review(&m)? else { return Ok(None) };
            let calls = l.calls_of(&m, &emp)?;
            if calls.is_empty() {
                return Ok(None);
            }
            let signature = l.signature(&m, &emp)?;
            let remembered = l.remembered_numbers(&m, &emp)?;
            let late: Vec<(String, Decimal)> =
                l.adjustments(&m)?.into_iter().filter(|a| a.0 == emp).map(|a| (a.1, a.2)).collect();
            let money = l.review_money(&m, &emp)?;
            Ok(Some((review, calls, signature, remembered, late, money)))
        })
        .await?;
    let Some((review, calls, signature, remembered, late, (pools, owed))) = data else { return Err(Failure::NotFound) };
    let said = Form::parse(q.as_bytes());
    let message = match said.get("said") {
        Some("signed") => Some("Signed: your attestation is recorded.".to_string()),
        Some("late") => Some(
            "Signed after posting: calls with their own charge are added to what you owe; finance reviews the rest.".to_string(),
        ),
        _ => None,
    };
    let described = |id: &str| {
        calls
            .iter()
            .find(|c| c.id == id)
            .map(|c| format!("{} {} to {}", c.date, c.time.get(..5).unwrap_or(""), pretty(&c.number)))
            .unwrap_or_else(|| id.to_string())
    };
    let late: Vec<(String, String)> = late.iter().map(|(id, amt)| (described(id), billrecon_report::money(*amt))).collect();
    let signed =
        signature.as_ref().map(|s| format!("You signed on {} ({} call(s) marked personal).", s.signed_at, s.calls.len()));
    let rows: Vec<CallRow> = calls
        .iter()
        .map(|c| {
            let in_signature = signature.as_ref().is_some_and(|s| s.calls.contains(&c.id));
            let earlier = remembered.iter().find(|(n, _)| *n == c.number && !c.number.is_empty());
            let (ticked, why) = match (&ticked_now, signature.is_some(), in_signature, earlier) {
                (Some(now), ..) => (now.contains(&c.id), String::new()),
                (None, true, true, _) => (true, "as you signed".to_string()),
                (None, true, false, _) => (false, String::new()),
                (None, false, _, Some((_, m))) => (true, format!("you marked this number personal in {m}")),
                (None, false, _, None) => (false, String::new()),
            };
            CallRow {
                id: c.id.clone(),
                date: c.date.to_string(),
                time: c.time.get(..5).unwrap_or("").to_string(),
                number: pretty(&c.number),
                line: pretty(&c.line),
                kind: c.kind.clone(),
                minutes: if c.kind == "voice" { c.quantity.clone() } else { String::new() },
                charge: if c.charge.is_zero() { String::new() } else { billrecon_report::money(c.charge) },
                ticked,
                why,
            }
        })
        .collect();
    page(MeMonthPage {
        nav: v.nav(),
        month,
        deadline: review.deadline.to_string(),
        closed: review.closed,
        message,
        signed,
        p: preview_of(&calls, &rows.iter().filter(|r| r.ticked).map(|r| r.id.clone()).collect::<Vec<_>>(), &pools, &owed),
        calls: rows,
        late,
        policy: billrecon_ledger::POLICY_AFFIRMED,
        csrf: v.csrf.clone(),
    })
}

pub async fn attest(State(app): State<Arc<App>>, headers: HeaderMap, Path(month): Path<String>, body: Bytes) -> Page {
    let v = viewer(&app, &headers).await?;
    let form = Form::parse(&body);
    v.check_form(&form)?;
    v.only(&[Role::Employee])?;
    let Scope::Employee(emp) = v.scope.clone() else { return Err(Failure::NotFound) };
    let personal: Vec<String> = form.0.iter().filter(|(k, _)| k == "personal").map(|(_, v)| v.clone()).collect();
    let password = form.get("password").unwrap_or("").to_string();
    let login = free("login", &v.login)?;
    let stamp = v.stamp()?;
    let m = month.clone();
    let out = app
        .db(move |l| {
            let mine = l.calls_of(&m, &emp)?;
            // Another employee's call is not there for them: 404, as for one that does not exist.
            if mine.is_empty() || personal.iter().any(|p| !mine.iter().any(|c| c.id == *p)) {
                return Ok(Err(Failure::NotFound));
            }
            // The password is the signature.
            let ok = l.user(login.as_str())?.is_some_and(|u| crate::password::verify(&password, &u.password_hash));
            if !ok {
                return Ok(Err(Failure::Invalid("The password is not right: nothing was signed.".into())));
            }
            // A late signature's added overage share: the rules' arithmetic.
            let more = |p: &billrecon_ledger::ReviewPool, before: Decimal, now: Decimal| {
                billrecon_rules::overage_more_owed(p.charge, p.allowance, p.used, before, now)
            };
            Ok(Ok(l.attest(&m, &emp, &login, &personal, &more, &stamp)?))
        })
        .await?;
    let said = if out?.late { "late" } else { "signed" };
    Ok(see_other(&format!("/me/{}?said={said}", seg(&month))))
}

pub async fn attestations(State(app): State<Arc<App>>, headers: HeaderMap, Path(month): Path<String>) -> Page {
    let v = viewer(&app, &headers).await?;
    v.only(&[Role::Supervisor, Role::Clerk])?;
    let m = month.clone();
    let data = app
        .db(move |l| {
            let Some(r) = l.review(&m)? else { return Ok(None) };
            Ok(Some((r, l.attestation_status(&m)?, l.adjustments(&m)?)))
        })
        .await?;
    let Some((review, rows, late)) = data else { return Err(Failure::NotFound) };
    page(AttestationsPage {
        nav: v.nav(),
        month,
        deadline: review.deadline.to_string(),
        closed: review.closed,
        signed: rows.iter().filter(|r| r.signed_at.is_some()).count(),
        rows: rows
            .into_iter()
            .map(|r| AttestationRow {
                employee: r.employee_id,
                calls: r.calls,
                signed: r.signed_at.unwrap_or_else(|| "not yet".into()),
                personal: r.personal,
            })
            .collect(),
        late: late
            .into_iter()
            .map(|(employee, call, amount, account)| LateRow { employee, call, account, amount: billrecon_report::money(amount) })
            .collect(),
    })
}

// --- enrolment: an employee sets their password from a one-time link ---

/// The link's enrolment, if the token is one this ledger issued, unused and unexpired.
async fn enrolment_of(app: &Arc<App>, token: &str) -> Result<billrecon_ledger::Enrolment, Failure> {
    let (id, secret) = token.split_once('.').ok_or(Failure::NotFound)?;
    let id: i64 = id.parse().map_err(|_| Failure::NotFound)?;
    let secret = secret.to_string();
    let e = app.db(move |l| l.enrolment(id)).await?.ok_or(Failure::NotFound)?;
    let fresh = chrono::DateTime::parse_from_rfc3339(&e.expires_at).is_ok_and(|x| x.with_timezone(&Utc) > now());
    let hash = e.secret_hash.clone();
    let ok = tokio::task::spawn_blocking(move || crate::password::verify(&secret, &hash)).await.unwrap_or(false);
    if e.used || !fresh || !ok {
        return Err(Failure::NotFound);
    }
    Ok(e)
}

pub async fn enrol_form(State(app): State<Arc<App>>, Path(token): Path<String>) -> Page {
    let e = enrolment_of(&app, &token).await?;
    page(EnrolPage { nav: None, login: e.login, token, csrf: app.sessions.login_form(), message: None })
}

pub async fn enrol(State(app): State<Arc<App>>, Path(token): Path<String>, body: Bytes) -> Page {
    let form = Form::parse(&body);
    if !form.get("csrf").is_some_and(|t| app.sessions.take_login_form(t)) {
        return Err(Failure::Forbidden("The form expired or did not come from this server: open the link again."));
    }
    let e = enrolment_of(&app, &token).await?;
    let (pw, again) = (form.get("password").unwrap_or("").to_string(), form.get("again").unwrap_or(""));
    let refuse = |m: String| {
        let again = EnrolPage {
            nav: None,
            login: e.login.clone(),
            token: token.clone(),
            csrf: app.sessions.login_form(),
            message: Some(m),
        };
        Ok((StatusCode::UNPROCESSABLE_ENTITY, html(again.render())).into_response())
    };
    if pw != again {
        return refuse("The two passwords differ.".into());
    }
    let hash = match tokio::task::spawn_blocking(move || crate::password::hash(&pw)).await {
        Ok(Ok(h)) => h,
        Ok(Err(why)) => return refuse(format!("{why}.")),
        Err(_) => return Err(Failure::Internal),
    };
    let stamp = Stamp { actor: free("login", &e.login)?, source: Source::Web, at: now() };
    let id = e.id;
    app.db(move |l| l.enrol(id, &hash, &stamp)).await?;
    Ok(see_other("/login"))
}
