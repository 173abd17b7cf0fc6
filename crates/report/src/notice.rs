//! An employee's reimbursement notice (`notices/EMPLOYEE_ID.html` and `.txt`): each charge they
//! owe with its arithmetic and the policy sentence it rests on, the total, the due date, how to
//! pay and how to dispute. It shows nothing about any other employee.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use billrecon_model::{usd, Finding, Instruments, Rule};
use rust_decimal::Decimal;

use crate::html::{esc, page, table};
use crate::Reconciliation;

const OPM_DA: &str = "\"Any calls to directory assistance for which a charge is generated ... will be considered unacceptable personal usage\" and \"the holder of the Telecommunications Equipment shall promptly reimburse the state for any use deemed to be unacceptable.\" (State of Connecticut OPM, Telecommunications Equipment Policy)";
const CREC_PERSONAL: &str = "\"Personal use of CREC-issued cell phones should not result in additional charges to CREC. Any incremental charges resulting from personal use will be the responsibility of the employee.\" (CREC Cell Phones policy)";
const OPM_CARD: &str = "\"Telephone calling cards, shall be used for approved state business\" and \"the holder of the Telecommunications Equipment shall promptly reimburse the state for any use deemed to be unacceptable.\" (State of Connecticut OPM, Telecommunications Equipment Policy)";
const THIRD_PARTY: &str =
    "Third-party purchases billed to an agency phone are personal use under this agency's policy (third_party_is_personal).";

/// Who owes what: each employee's chargeable findings (in findings order) and name, indexed
/// once for all notices.
pub struct Debtors<'a> {
    items: BTreeMap<&'a str, Vec<&'a Finding>>,
    people: BTreeMap<&'a str, (&'a str, &'a str)>,
    instruments: Instruments,
}

impl<'a> Debtors<'a> {
    pub fn new(r: &Reconciliation<'a>) -> Debtors<'a> {
        let mut items: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
        for f in r.findings.iter().filter(|f| f.employee_liable > Decimal::ZERO) {
            items.entry(f.employee_id.as_str()).or_default().push(f);
        }
        let mut people: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
        for a in r.month.inventory.iter() {
            people.entry(a.employee_id.as_str()).or_insert((a.employee_name.as_str(), ""));
        }
        for e in r.month.employees.iter() {
            people.insert(e.employee_id.as_str(), (e.name.as_str(), e.email.as_str()));
        }
        Debtors { items, people, instruments: Instruments::new(&r.month.inventory) }
    }

    /// The charges an employee owes, in findings order.
    pub fn items(&self, employee: &str) -> &[&'a Finding] {
        self.items.get(employee).map_or(&[], Vec::as_slice)
    }

    fn who(&self, employee: &str) -> Who {
        let (name, email) = self.people.get(employee).copied().unwrap_or(("", ""));
        Who { name: name.to_string(), email: email.to_string() }
    }
}

/// The policy sentence an item rests on: OPM's calling-card rule for a personal call on a card.
fn policy_for(f: &Finding) -> &'static str {
    match f.rule {
        Rule::DirectoryAssistance => OPM_DA,
        Rule::PersonalCallCharge if f.line.is_some_and(|l| l.is_card()) => OPM_CARD,
        Rule::ThirdPartyCharge => THIRD_PARTY,
        _ => CREC_PERSONAL,
    }
}

fn title_for(f: &Finding) -> String {
    match f.rule {
        Rule::DirectoryAssistance => "Directory-assistance call".into(),
        Rule::PersonalCallCharge => "Personal call with its own charge".into(),
        Rule::PersonalOverage => format!("Share of a {} overage", f.overage.as_ref().map_or("usage", |o| o.pool.as_str())),
        Rule::ThirdPartyCharge => "Third-party purchase".into(),
        other => other.label().to_string(),
    }
}

/// The arithmetic lines of one item.
fn arithmetic(f: &Finding) -> Vec<String> {
    let mut v = Vec::new();
    if let Some(c) = &f.call {
        let number = billrecon_model::PhoneNumber::parse(&c.number).map(|n| n.pretty()).unwrap_or_else(|_| c.number.clone());
        v.push(format!("Date {}{}", c.date, c.time.map(|t| format!(" at {t}")).unwrap_or_default()));
        if !number.is_empty() {
            v.push(format!("Number called {number}"));
        }
        if !c.description.is_empty() {
            v.push(format!("Carrier description {}", c.description));
        }
        v.push(format!("Charge {}", usd(c.charge)));
    }
    if let Some(o) = &f.overage {
        v.push(format!("Plan {}: allowance A = {} {} (from {})", o.plan, o.allowance, o.unit, o.allowance_from));
        v.push(format!("Used U = {} {}, of which personal P = {}", o.used, o.unit, o.personal));
        v.push(format!("Overage O = max(0, U - A) = {}", o.over));
        v.push(format!("Business use alone B = max(0, U - P - A) = {}", o.business_over));
        v.push(format!("Caused by personal use I = O - B = {}", o.personal_over));
        v.push(format!("Overage charged C = {}", usd(o.charge)));
        v.push(format!("You owe C x I / O = {} x {} / {} = {}", usd(o.charge), o.personal_over, o.over, usd(f.employee_liable)));
    }
    if f.call.is_none() && f.overage.is_none() {
        v.push(format!("Charge {}", usd(f.amount)));
    }
    v
}

struct Who {
    name: String,
    email: String,
}

fn due(r: &Reconciliation<'_>) -> chrono::NaiveDate {
    r.as_of.checked_add_days(chrono::Days::new(u64::from(r.month.policy.notice_due_days))).unwrap_or(r.as_of)
}

pub fn text(r: &Reconciliation<'_>, d: &Debtors<'_>, employee: &str) -> String {
    let w = d.who(employee);
    let list = d.items(employee);
    let total: Decimal = list.iter().map(|f| f.employee_liable).sum();
    let mut s = String::new();
    let _ = writeln!(s, "REIMBURSEMENT NOTICE - TELEPHONE CHARGES {}", r.month.period.label);
    let _ = writeln!(
        s,
        "Employee: {} ({employee}){}",
        w.name,
        if w.email.is_empty() { String::new() } else { format!(" <{}>", w.email) }
    );
    let _ = writeln!(s, "Period: {} to {}", r.month.period.start, r.month.period.end);
    let _ = writeln!(s, "Notice date: {}", r.as_of);
    let _ = writeln!(s, "Amount due: {}  Due by: {}\n", usd(total), due(r));
    for (i, f) in list.iter().enumerate() {
        let _ = writeln!(
            s,
            "{}. {} on {}: {}",
            i + 1,
            title_for(f),
            f.line.map(|l| d.instruments.on(&l)).unwrap_or_else(|| "line ".into()),
            usd(f.employee_liable)
        );
        for a in arithmetic(f) {
            let _ = writeln!(s, "   {a}");
        }
        let _ = writeln!(s, "   Why: {}", policy_for(f));
        let _ = writeln!(s, "   Reference: {}\n", f.id);
    }
    let _ = writeln!(s, "Total due: {}", usd(total));
    let _ = writeln!(s, "\nHow to pay: {}", r.month.policy.notice_payment);
    let _ = writeln!(s, "How to dispute: {}", r.month.policy.notice_dispute);
    // Control characters in carrier or employee text are shown, not sent.
    crate::safe::visible(&s).into_owned()
}

pub fn html(r: &Reconciliation<'_>, d: &Debtors<'_>, employee: &str) -> String {
    let w = d.who(employee);
    let list = d.items(employee);
    let total: Decimal = list.iter().map(|f| f.employee_liable).sum();
    let mut b = String::new();
    let _ = writeln!(b, "<h1>Reimbursement notice</h1>");
    let _ = writeln!(
        b,
        "<p class=\"sub\">Telephone charges, {} to {} &middot; notice date {}</p>",
        r.month.period.start, r.month.period.end, r.as_of
    );
    let _ = writeln!(
        b,
        "<div class=\"box\"><p><strong>{}</strong> ({}){}</p><p class=\"due\">Amount due: {} by {}</p></div>",
        esc(&w.name),
        esc(employee),
        if w.email.is_empty() { String::new() } else { format!("<br><span class=\"muted\">{}</span>", esc(&w.email)) },
        usd(total),
        due(r)
    );
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|f| {
            vec![title_for(f), f.line.map(|l| d.instruments.name(&l)).unwrap_or_default(), f.id.clone(), usd(f.employee_liable)]
        })
        .chain(std::iter::once(vec!["Total".into(), String::new(), String::new(), usd(total)]))
        .collect();
    b.push_str("<h2>What you owe</h2>\n");
    b.push_str(&table(&["Charge", "Line", "Reference", "Amount"], &rows, &[false, false, false, true]));
    b.push_str("<h2>How each amount was computed</h2>\n");
    for f in list {
        let _ = writeln!(
            b,
            "<div class=\"box\"><p><strong>{}</strong> &middot; {} &middot; {}</p><div class=\"calc\">{}</div><p class=\"muted\">{}</p></div>",
            esc(&title_for(f)),
            esc(&f.id),
            usd(f.employee_liable),
            esc(&arithmetic(f).join("\n")),
            esc(policy_for(f))
        );
    }
    let _ = writeln!(b, "<h2>How to pay</h2>\n<p>{}</p>", esc(&r.month.policy.notice_payment));
    let _ = writeln!(b, "<h2>How to dispute</h2>\n<p>{}</p>", esc(&r.month.policy.notice_dispute));
    page(&format!("Reimbursement notice {employee} {}", r.month.period.label), &b)
}
