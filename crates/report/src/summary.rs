//! `summary.json`: the month in one document. Money as strings with two decimals.

use serde_json::{json, Map, Value};

use billrecon_model::plain;

use crate::Reconciliation;

pub fn json(r: &Reconciliation<'_>) -> String {
    let l = r.postings;
    let accounts: Map<String, Value> = l.accounts.iter().map(|(k, v)| (k.clone(), Value::String(plain(*v)))).collect();
    let employees: Map<String, Value> = l.employees.iter().map(|(k, v)| (k.clone(), Value::String(plain(*v)))).collect();
    let findings: Map<String, Value> =
        crate::findings::counts(r.findings).into_iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
    let invoices: Vec<Value> = r
        .month
        .invoices
        .iter()
        .zip(&l.invoices)
        .map(|(inv, t)| {
            let s = &inv.summary;
            json!({
                "carrier": s.carrier,
                "account_number": s.account_number,
                "invoice_number": s.invoice_number,
                "current_charges": plain(s.current_charges),
                "items_total": plain(t.items_total),
                "total_due": plain(s.total_due),
                "ties_out": t.ties_out,
            })
        })
        .collect();
    let inputs: Vec<Value> = r
        .inputs
        .iter()
        .map(|i| {
            json!({"kind": i.kind, "file": i.file, "sheet": i.sheet, "profile": i.profile, "read": i.read,
                "accepted": i.accepted, "rejected": i.rejected, "skipped": i.skipped, "blank": i.blank, "skips": i.skips})
        })
        .collect();
    let doc = json!({
        "period": r.month.period.label,
        "period_start": r.month.period.start.to_string(),
        "period_end": r.month.period.end.to_string(),
        "totals": {
            "billed": plain(l.billed),
            "programs": plain(l.programs),
            "employees": plain(l.employees_total),
            "suspense": plain(l.suspense),
        },
        "accounts": accounts,
        "employees": employees,
        "invoices": invoices,
        "findings": findings,
        "inputs": inputs,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
