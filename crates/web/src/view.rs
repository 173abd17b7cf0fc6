//! The pages' templates (askama, compiled into the binary, escaped by default) and the rows they
//! show. Every amount arrives here already formatted by `billrecon_report::money`.

use askama::Template;
use billrecon_ledger::FindingRow;

/// The bar at the top of every page of a logged-in user.
pub struct Nav {
    pub login: String,
    pub role: &'static str,
    pub csrf: String,
    pub links: Vec<Link>,
}

pub struct Link {
    pub href: String,
    pub label: String,
}

/// A select's option.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub nav: Option<Nav>,
    pub csrf: String,
    pub login: String,
    pub message: Option<String>,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub nav: Option<Nav>,
    pub title: String,
    pub message: String,
}

pub struct MonthItem {
    pub month: String,
    pub links: Vec<Link>,
}

#[derive(Template)]
#[template(path = "months.html")]
pub struct MonthsPage {
    pub nav: Option<Nav>,
    pub finance: bool,
    pub months: Vec<MonthItem>,
}

pub struct TieRow {
    pub invoice: String,
    pub billed: String,
    pub programs: String,
    pub employees: String,
    pub suspense: String,
    pub replaced: bool,
}

/// A finding in a queue or on a page.
pub struct Row {
    pub id: String,
    pub href: String,
    pub month: String,
    pub severity: String,
    pub rule_label: String,
    pub line: String,
    pub employee: String,
    pub account: String,
    pub amount: String,
    pub liable: String,
    pub detail: String,
    pub status: String,
    pub version: i64,
}

impl Row {
    pub fn of(f: &FindingRow) -> Row {
        Row {
            id: f.id.clone(),
            href: format!("/findings/{}", seg(&f.id)),
            month: f.month.clone(),
            severity: f.severity.clone(),
            rule_label: billrecon_model::label(&f.rule).to_string(),
            line: billrecon_model::PhoneNumber::parse(&f.line).map(|p| p.pretty()).unwrap_or_else(|_| f.line.clone()),
            employee: f.employee_id.clone(),
            account: f.account_code.clone(),
            amount: billrecon_report::money(f.amount),
            liable: billrecon_report::money(f.liable),
            detail: f.detail.clone(),
            status: f.status.as_str().to_string(),
            version: f.version,
        }
    }
}

/// A queue row alone: what an in-place action answers with.
#[derive(Template)]
#[template(path = "row.html")]
pub struct RowFragment {
    pub r: Row,
    pub can_waive: bool,
    pub csrf: String,
    pub return_to: String,
}

#[derive(Template)]
#[template(path = "month.html")]
pub struct MonthPage {
    pub nav: Option<Nav>,
    pub month: String,
    pub posts: usize,
    pub tieouts: Vec<TieRow>,
    pub severities: Vec<Choice>,
    pub rules: Vec<Choice>,
    pub accounts: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub line: String,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub rows: Vec<Row>,
    pub can_waive: bool,
    pub csrf: String,
    pub return_to: String,
    pub statements: Vec<Link>,
    pub notices: usize,
}

pub struct HistoryRow {
    pub month: String,
    pub charges: String,
    pub voice: String,
    pub messages: String,
    pub used: &'static str,
    pub employee: String,
    pub account: String,
    pub findings: String,
}

pub struct EventView {
    pub date: String,
    pub status: String,
    pub by: String,
    pub reason: String,
    pub case_ref: String,
    pub amount: String,
    pub recorded: String,
}

pub struct Action {
    pub action: &'static str,
    pub label: &'static str,
    pub help: &'static str,
}

#[derive(Template)]
#[template(path = "finding.html")]
pub struct FindingPage {
    pub nav: Option<Nav>,
    pub id: String,
    pub status: String,
    pub version: i64,
    pub message: Option<String>,
    pub rows: Vec<Row>,
    pub sources: Vec<String>,
    pub history: Vec<HistoryRow>,
    pub events: Vec<EventView>,
    pub actions: Vec<Action>,
    pub csrf: String,
}

#[derive(Template)]
#[template(path = "document.html")]
pub struct DocumentPage {
    pub nav: Option<Nav>,
    pub title: String,
    pub running_head: String,
    pub download: String,
    pub download_label: &'static str,
    pub findings: Vec<Row>,
    /// The stored document's body, as the report crate rendered it (already escaped there).
    pub body: String,
}

pub struct ReceivableRow {
    pub employee: String,
    /// Billed, paid, waived, outstanding, current, then the four aging buckets.
    pub cells: Vec<String>,
    pub oldest_due: String,
}

#[derive(Template)]
#[template(path = "receivables.html")]
pub struct ReceivablesPage {
    pub nav: Option<Nav>,
    pub as_of: String,
    pub today: String,
    pub message: Option<String>,
    pub rows: Vec<ReceivableRow>,
    pub csrf: String,
}

pub struct AuditView {
    pub recorded_at: String,
    pub actor: String,
    pub source: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub amount: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
pub struct AuditPage {
    pub nav: Option<Nav>,
    pub rows: Vec<AuditView>,
}

#[derive(Template)]
#[template(path = "verify.html")]
pub struct VerifyPage {
    pub nav: Option<Nav>,
    pub ok: bool,
    pub text: String,
}

#[derive(Template)]
#[template(path = "me.html")]
pub struct MePage {
    pub nav: Option<Nav>,
    pub links: Vec<Link>,
}

/// `s` as one path segment: everything but unreserved characters percent-encoded.
pub fn seg(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One call on the employee's page.
pub struct CallRow {
    pub id: String,
    pub date: String,
    pub time: String,
    pub number: String,
    pub line: String,
    pub kind: String,
    pub minutes: String,
    pub charge: String,
    pub ticked: bool,
    /// Why it is ticked before they tick it.
    pub why: String,
}

#[derive(Template)]
#[template(path = "me_month.html")]
pub struct MeMonthPage {
    pub nav: Option<Nav>,
    pub month: String,
    pub deadline: String,
    pub closed: bool,
    pub message: Option<String>,
    pub signed: Option<String>,
    pub calls: Vec<CallRow>,
    /// Calls that became theirs after posting: (the call, its charge).
    pub late: Vec<(String, String)>,
    pub p: PreviewView,
    pub policy: &'static str,
    pub csrf: String,
}

/// What the employee will owe, as the rules compute it for the calls ticked.
pub struct PreviewView {
    /// (for what, the arithmetic, the amount).
    pub lines: Vec<PreviewRow>,
    pub total: String,
}

pub struct PreviewRow {
    pub what: String,
    pub arithmetic: String,
    pub amount: String,
}

/// The preview alone: what a tick answers with.
#[derive(Template)]
#[template(path = "preview.html")]
pub struct PreviewFragment {
    pub month: String,
    pub p: PreviewView,
}

pub struct AttestationRow {
    pub employee: String,
    pub calls: usize,
    pub signed: String,
    pub personal: usize,
}

#[derive(Template)]
#[template(path = "attestations.html")]
pub struct AttestationsPage {
    pub nav: Option<Nav>,
    pub month: String,
    pub deadline: String,
    pub closed: bool,
    pub signed: usize,
    pub rows: Vec<AttestationRow>,
    pub late: Vec<LateRow>,
}

pub struct LateRow {
    pub employee: String,
    pub call: String,
    pub account: String,
    pub amount: String,
}

#[derive(Template)]
#[template(path = "enrol.html")]
pub struct EnrolPage {
    pub nav: Option<Nav>,
    pub login: String,
    pub token: String,
    pub csrf: String,
    pub message: Option<String>,
}
