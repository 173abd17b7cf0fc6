//! Findings as a terminal table, as `findings.csv`, and as JSON. Money is always two decimals,
//! as text (never a JSON float).

use std::collections::BTreeMap;

use billrecon_model::{plain, Finding, Rule};
use serde_json::{json, Value};

/// The columns of `findings.csv` (an output contract).
pub const CSV_HEADER: &[&str] =
    &["id", "rule", "severity", "line", "employee_id", "account_code", "amount", "employee_liable", "source", "detail"];

fn row(f: &Finding) -> Vec<String> {
    vec![
        f.id.clone(),
        f.rule.to_string(),
        f.severity.to_string(),
        f.line.map(|l| l.to_string()).unwrap_or_default(),
        f.employee_id.clone(),
        f.account_code.clone(),
        plain(f.amount),
        plain(f.employee_liable),
        f.sources_text(),
        f.detail.clone(),
    ]
}

pub fn csv(findings: &[Finding]) -> String {
    crate::csv::table(CSV_HEADER, &findings.iter().map(row).collect::<Vec<_>>())
}

pub fn json(findings: &[Finding]) -> Value {
    Value::Array(
        findings
            .iter()
            .map(|f| {
                let mut v = json!({
                    "id": f.id,
                    "rule": f.rule.as_str(),
                    "severity": f.severity.as_str(),
                    "line": f.line.map(|l| l.to_string()),
                    "employee_id": f.employee_id,
                    "account_code": f.account_code,
                    "amount": plain(f.amount),
                    "employee_liable": plain(f.employee_liable),
                    "sources": f.sources.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                    "detail": f.detail,
                });
                if let Some(o) = &f.overage {
                    v["overage"] = json!({
                        "pool": o.pool, "unit": o.unit, "plan": o.plan,
                        "allowance": o.allowance.to_string(), "used": o.used.to_string(),
                        "personal": o.personal.to_string(), "charge": plain(o.charge),
                        "over": o.over.to_string(), "business_over": o.business_over.to_string(),
                        "personal_over": o.personal_over.to_string(),
                    });
                }
                if let Some(c) = &f.call {
                    v["call"] = json!({
                        "date": c.date.to_string(), "time": c.time.map(|t| t.to_string()),
                        "number": c.number, "quantity": c.quantity.to_string(), "charge": plain(c.charge),
                        "description": c.description,
                    });
                }
                v
            })
            .collect(),
    )
}

/// Count of findings per rule, every rule listed (0 when none), in rule order.
pub fn counts(findings: &[Finding]) -> BTreeMap<&'static str, usize> {
    // Every month rule, found or not; history rules only when a ledger gave them.
    let mut m: BTreeMap<&'static str, usize> = Rule::ALL.iter().map(|r| (r.as_str(), 0)).collect();
    for f in findings {
        *m.entry(f.rule.as_str()).or_default() += 1;
    }
    m
}

/// A terminal table: one row per finding, detail last.
pub fn table(findings: &[Finding]) -> String {
    let rows: Vec<Vec<String>> = findings
        .iter()
        .map(|f| {
            vec![
                f.id.clone(),
                f.severity.to_string(),
                f.rule.to_string(),
                f.line.map(|l| l.pretty()).unwrap_or_else(|| "(account)".into()),
                if f.employee_id.is_empty() { "-".into() } else { f.employee_id.clone() },
                if f.account_code.is_empty() { "-".into() } else { f.account_code.clone() },
                plain(f.amount),
                plain(f.employee_liable),
                f.detail.clone(),
            ]
        })
        .collect();
    crate::text::table(
        &["ID", "SEVERITY", "RULE", "LINE", "EMPLOYEE", "ACCOUNT", "AMOUNT", "LIABLE", "DETAIL"],
        &rows,
        &[false, false, false, false, false, false, true, true, false],
    )
}
