//! A program's chargeback statement (`statements/ACCOUNT.html` and `.csv`): its lines and the
//! employees on them, charges by category with prorations, its share of account-level charges,
//! the reimbursements moved to employees, the findings on its lines, and its net. It shows
//! nothing about other programs.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use billrecon_chargeback::{Basis, Posting, PostingKind};
use billrecon_model::{plain, usd, Finding, Instruments, LineBook, PhoneNumber};
use rust_decimal::Decimal;

use crate::html::{esc, page, table};
use crate::Reconciliation;

/// Postings by account and the line book, indexed once for all statements.
pub struct Programs<'a> {
    postings: BTreeMap<&'a str, Vec<&'a Posting>>,
    book: LineBook<'a>,
    instruments: Instruments,
    /// Each program's statement file name, unique even where codes are not ([`crate::file_names`]).
    names: BTreeMap<&'a str, String>,
}

impl<'a> Programs<'a> {
    pub fn new(r: &Reconciliation<'a>) -> Programs<'a> {
        let mut postings: BTreeMap<&str, Vec<&Posting>> = BTreeMap::new();
        for p in r.postings.postings.iter() {
            postings.entry(p.account_code.as_str()).or_default().push(p);
        }
        let names = crate::file_names(r.program_accounts());
        Programs {
            postings,
            book: LineBook::new(&r.month.period, &r.month.inventory),
            names,
            instruments: Instruments::new(&r.month.inventory),
        }
    }

    /// The statement's file name (without extension) of a program account.
    pub fn file_name(&self, acct: &str) -> String {
        self.names.get(acct).cloned().unwrap_or_else(|| crate::file_name(acct))
    }

    /// An account's postings, in ledger order.
    fn postings(&self, acct: &str) -> impl Iterator<Item = &'a Posting> + '_ {
        self.postings.get(acct).into_iter().flatten().copied()
    }
}

/// Who held a line for this account during the period: "Name (ID)" joined.
fn holders(book: &LineBook<'_>, line: &PhoneNumber, acct: &str) -> String {
    let v: BTreeSet<String> = book
        .in_period(line)
        .filter(|a| a.account_code == acct)
        .map(|a| match (a.employee_name.is_empty(), a.employee_id.is_empty()) {
            (_, true) if a.is_shared() => "(shared, no holder)".to_string(),
            (false, true) => format!("{} (no employee id)", a.employee_name),
            (true, true) => "(spare)".to_string(),
            (true, false) => a.employee_id.clone(),
            (false, false) => format!("{} ({})", a.employee_name, a.employee_id),
        })
        .collect();
    v.into_iter().collect::<Vec<_>>().join(", ")
}

/// Findings a program may see: those charged to its account, and line findings naming no
/// employee on lines it pays for.
pub fn findings_for<'a>(r: &'a Reconciliation<'_>, ix: &Programs<'_>, acct: &str) -> Vec<&'a Finding> {
    let lines: BTreeSet<PhoneNumber> =
        ix.postings(acct).filter(|p| p.kind == PostingKind::LineCharge).filter_map(|p| p.line).collect();
    r.findings
        .iter()
        .filter(|f| f.account_code == acct || (f.employee_id.is_empty() && f.line.is_some_and(|l| lines.contains(&l))))
        .collect()
}

fn program_names(r: &Reconciliation<'_>, acct: &str) -> String {
    let v: BTreeSet<&str> = r
        .month
        .inventory
        .iter()
        .filter(|a| a.account_code == acct && !a.program.is_empty())
        .map(|a| a.program.as_str())
        .collect();
    v.into_iter().collect::<Vec<_>>().join(", ")
}

pub fn html(r: &Reconciliation<'_>, ix: &Programs<'_>, acct: &str) -> String {
    let book = &ix.book;
    let p = &r.month.period;
    let programs = program_names(r, acct);
    let title = format!("Telephone chargeback {} {}", acct, p.label);
    let mut b = String::new();
    let _ = writeln!(b, "<h1>Telephone chargeback statement</h1>");
    let _ = writeln!(
        b,
        "<p class=\"sub\">Account <strong>{}</strong>{} &middot; period {} to {} ({} days)</p>",
        esc(acct),
        if programs.is_empty() { String::new() } else { format!(" &middot; {}", esc(&programs)) },
        p.start,
        p.end,
        p.days()
    );
    let sum = |k: PostingKind| -> Decimal { ix.postings(acct).filter(|x| x.kind == k).map(|x| x.amount).sum() };
    let (lines_total, shares, moved) =
        (sum(PostingKind::LineCharge), sum(PostingKind::AccountShare), sum(PostingKind::LiabilityOut));
    let net = lines_total + shares + moved;
    b.push_str("<div class=\"box\">\n");
    b.push_str(&table(
        &["", "Amount"],
        &[
            vec!["Line charges".into(), usd(lines_total)],
            vec!["Share of account-level charges".into(), usd(shares)],
            vec!["Reimbursements owed by employees".into(), usd(moved)],
            vec!["Total".into(), usd(net)],
        ],
        &[false, true],
    ));
    b.push_str("</div>\n");

    // Lines: one row per line and category.
    b.push_str("<h2>Lines</h2>\n");
    let mut by_line: BTreeMap<PhoneNumber, Vec<&Posting>> = BTreeMap::new();
    for x in ix.postings(acct).filter(|x| x.kind == PostingKind::LineCharge) {
        if let Some(l) = x.line {
            by_line.entry(l).or_default().push(x);
        }
    }
    let mut rows = Vec::new();
    for (line, ps) in &by_line {
        let days = ps.iter().filter_map(|x| x.days).max().unwrap_or(0);
        let mut by_cat: BTreeMap<String, Decimal> = BTreeMap::new();
        for x in ps {
            *by_cat.entry(x.category.map(|c| c.label()).unwrap_or_default().to_string()).or_default() += x.amount;
        }
        let cats: Vec<String> = by_cat.iter().map(|(c, v)| format!("{c} {}", usd(*v))).collect();
        let total: Decimal = ps.iter().map(|x| x.amount).sum();
        rows.push(vec![
            ix.instruments.name(line),
            holders(book, line, acct),
            format!("{days}/{}", p.days()),
            cats.join("; "),
            usd(total),
        ]);
    }
    rows.push(vec!["Total".into(), String::new(), String::new(), String::new(), usd(lines_total)]);
    b.push_str(&table(&["Line", "Employee", "Days", "Charges by category", "Amount"], &rows, &[false, false, true, false, true]));
    // Lines known from a fleet list (no dates): say where their whole-period assignment comes from.
    let mut listed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in by_line.keys() {
        for a in book.in_period(line).filter(|a| a.account_code == acct) {
            if matches!(a.coverage, billrecon_model::Coverage::FleetList { .. }) {
                listed.entry(a.coverage.to_string()).or_default().push(ix.instruments.name(line));
            }
        }
    }
    for (list, lines) in &listed {
        let which = if lines.len() == by_line.len() {
            "Every line above was".to_string()
        } else {
            format!("Lines {} were", lines.join(", "))
        };
        let _ = writeln!(b, "<p class=\"muted\">{which} assigned for the whole period per {}.</p>", esc(list));
    }

    let prorated: Vec<Vec<String>> = ix
        .postings(acct)
        .filter(|x| x.kind == PostingKind::LineCharge && x.basis != Basis::AllDays)
        .map(|x| {
            vec![
                x.line.map(|l| ix.instruments.name(&l)).unwrap_or_default(),
                x.category.map(|c| c.label()).unwrap_or_default().to_string(),
                x.basis.to_string(),
                usd(x.amount),
            ]
        })
        .collect();
    if !prorated.is_empty() {
        b.push_str("<h2>Prorated charges</h2>\n<p class=\"muted\">Lines this account held for part of the period pay for the days they held them.</p>\n");
        b.push_str(&table(&["Line", "Category", "Basis", "Amount"], &prorated, &[false, false, false, true]));
    }

    let share_rows: Vec<Vec<String>> = ix
        .postings(acct)
        .filter(|x| x.kind == PostingKind::AccountShare)
        .map(|x| {
            vec![
                r.month.invoices[x.invoice].summary.invoice_number.clone(),
                x.description.clone(),
                x.basis.to_string(),
                usd(x.amount),
            ]
        })
        .collect();
    if !share_rows.is_empty() {
        b.push_str("<h2>Share of account-level charges</h2>\n<p class=\"muted\">Charges billed to the whole account, split in proportion to each account's line charges on the same invoice.</p>\n");
        b.push_str(&table(&["Invoice", "Charge", "Basis", "Amount"], &share_rows, &[false, false, false, true]));
    }

    let moved_rows: Vec<Vec<String>> = ix
        .postings(acct)
        .filter(|x| x.kind == PostingKind::LiabilityOut)
        .map(|x| {
            vec![
                x.line.map(|l| ix.instruments.name(&l)).unwrap_or_default(),
                x.employee_id.clone(),
                // A liability's description is its rule's key.
                billrecon_model::label(&x.description).to_string(),
                x.finding.clone().unwrap_or_default(),
                usd(x.amount),
            ]
        })
        .collect();
    if !moved_rows.is_empty() {
        b.push_str("<h2>Reimbursements owed by employees</h2>\n<p class=\"muted\">Personal-use charges the employee repays; they leave this account for the employee receivable.</p>\n");
        b.push_str(&table(&["Line", "Employee", "Rule", "Finding", "Amount"], &moved_rows, &[false, false, false, false, true]));
    }

    let fs = findings_for(r, ix, acct);
    if !fs.is_empty() {
        b.push_str("<h2>Findings on these lines</h2>\n");
        let rows: Vec<Vec<String>> = fs
            .iter()
            .map(|f| {
                vec![
                    f.severity.label().to_string(),
                    f.rule.label().to_string(),
                    f.line.map(|l| ix.instruments.name(&l)).unwrap_or_default(),
                    f.detail.clone(),
                ]
            })
            .collect();
        b.push_str(&table(&["Severity", "Rule", "Line", "Detail"], &rows, &[false, false, false, false]));
    }
    let _ = writeln!(
        b,
        "<p class=\"muted\">Every amount traces to the carrier invoice rows listed in statements/{}.csv. Questions: the business office.</p>",
        esc(&ix.file_name(acct))
    );
    page(&title, &b)
}

pub const CSV_HEADER: &[&str] =
    &["invoice_number", "line", "employee", "kind", "category", "description", "basis", "amount", "finding", "source"];

pub fn csv(r: &Reconciliation<'_>, ix: &Programs<'_>, acct: &str) -> String {
    let book = &ix.book;
    // A line has a posting per charge item: who held it is worked out once per line.
    let mut held: BTreeMap<PhoneNumber, String> = BTreeMap::new();
    let rows: Vec<Vec<String>> = ix
        .postings(acct)
        .map(|x| {
            vec![
                r.month.invoices[x.invoice].summary.invoice_number.clone(),
                x.line.map(|l| l.to_string()).unwrap_or_default(),
                match (x.kind, x.line) {
                    (PostingKind::LiabilityOut, _) => x.employee_id.clone(),
                    (_, Some(l)) => held.entry(l).or_insert_with(|| holders(book, &l, acct)).clone(),
                    _ => String::new(),
                },
                x.kind.as_str().into(),
                x.category.map(|c| c.to_string()).unwrap_or_default(),
                x.description.clone(),
                x.basis.to_string(),
                plain(x.amount),
                x.finding.clone().unwrap_or_default(),
                x.sources.iter().map(|s| s.to_string()).collect::<Vec<_>>().join("; "),
            ]
        })
        .collect();
    crate::csv::table(CSV_HEADER, &rows)
}
