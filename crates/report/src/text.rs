//! Aligned text tables for the terminal.

use std::fmt::Write as _;

/// Columns separated by two spaces; `numeric` columns are right-aligned. Trailing spaces trimmed.
pub fn table(header: &[&str], rows: &[Vec<String>], numeric: &[bool]) -> String {
    // Control characters in input text are shown, never sent to a terminal.
    let shown: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| crate::safe::visible(c).into_owned()).collect()).collect();
    let rows = &shown;
    let mut width: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            width[i] = width[i].max(c.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            let pad = " ".repeat(width[i] - c.chars().count());
            if numeric[i] {
                s.push_str(&pad);
                s.push_str(c);
            } else {
                s.push_str(c);
                s.push_str(&pad);
            }
        }
        out.push_str(s.trim_end());
        out.push('\n');
    };
    line(header.to_vec());
    for r in rows {
        line(r.iter().map(String::as_str).collect());
    }
    out
}

/// The month in a few lines: rows read, each invoice tying out, each account's net, the
/// findings by severity. `verb` opens it (`Reconciled`, `Posted`).
pub fn month_summary(r: &crate::Reconciliation<'_>, verb: &str, rejected: u64) -> String {
    let l = r.postings;
    let p = &r.month.period;
    let mut s = String::new();
    let sum = |f: fn(&billrecon_model::InputReport) -> u64| r.inputs.iter().map(f).sum::<u64>();
    let (read, accepted, skipped, blank) = (sum(|i| i.read), sum(|i| i.accepted), sum(|i| i.skipped), sum(|i| i.blank));
    let _ = writeln!(
        s,
        "{verb} {} ({} to {}): {read} rows read: {accepted} accepted, {rejected} rejected, {skipped} skipped, {blank} blank\n",
        p.label, p.start, p.end,
    );
    let rows: Vec<Vec<String>> = r
        .month
        .invoices
        .iter()
        .zip(&l.invoices)
        .map(|(inv, t)| {
            let su = &inv.summary;
            vec![
                su.carrier.clone(),
                su.invoice_number.clone(),
                billrecon_model::usd(su.current_charges),
                billrecon_model::usd(t.items_total),
                if t.ties_out { "yes" } else { "NO" }.into(),
            ]
        })
        .collect();
    s.push_str(&table(
        &["CARRIER", "INVOICE", "CURRENT CHARGES", "ITEMS", "TIES OUT"],
        &rows,
        &[false, false, true, true, false],
    ));
    s.push('\n');
    let rows: Vec<Vec<String>> = l.accounts.iter().map(|(k, v)| vec![k.clone(), billrecon_model::usd(*v)]).collect();
    s.push_str(&table(&["ACCOUNT", "NET"], &rows, &[false, true]));
    let _ = writeln!(
        s,
        "\nBilled {} = programs {} + employees {} + suspense {}",
        billrecon_model::usd(l.billed),
        billrecon_model::usd(l.programs),
        billrecon_model::usd(l.employees_total),
        billrecon_model::usd(l.suspense)
    );
    let count = |sev: billrecon_model::Severity| r.findings.iter().filter(|f| f.severity == sev).count();
    let _ = writeln!(
        s,
        "Findings: {} ({} charge, {} action, {} review, {} info)",
        r.findings.len(),
        count(billrecon_model::Severity::Charge),
        count(billrecon_model::Severity::Action),
        count(billrecon_model::Severity::Review),
        count(billrecon_model::Severity::Info)
    );
    s
}
