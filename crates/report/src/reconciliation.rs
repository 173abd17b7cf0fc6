//! What a month's outputs are made from ([`Reconciliation`]), what they are ([`OutFile`]), how
//! they fail ([`ReportError`]), and the file names statements and notices get.

use chrono::NaiveDate;

use billrecon_chargeback::MonthPostings;
use billrecon_model::{Finding, InputReport, Month, Rejection};

/// Everything a month's outputs are made from.
pub struct Reconciliation<'a> {
    pub month: &'a Month,
    pub inputs: &'a [InputReport],
    pub rejections: &'a [Rejection],
    pub findings: &'a [Finding],
    pub postings: &'a MonthPostings,
    /// The run's date: notices are due `notice_due_days` after it.
    pub as_of: NaiveDate,
}

/// An input's skipped rows by reason, in one line:
/// `a payment, not a current charge: 1 row (14); a footer total ...: 2 rows (30, 31)`.
pub fn skips_text(i: &InputReport) -> String {
    let parts: Vec<String> = i
        .skips
        .iter()
        .map(|s| {
            let mut rows: Vec<String> = s.first_rows.iter().map(u32::to_string).collect();
            if s.rows > s.first_rows.len() as u64 {
                rows.push("...".into());
            }
            format!("{}: {} row{} ({})", s.reason, s.rows, if s.rows == 1 { "" } else { "s" }, rows.join(", "))
        })
        .collect();
    parts.join("; ")
}

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The workbook writer failed.
    #[error("reconciliation.xlsx: {0}")]
    Workbook(#[from] rust_xlsxwriter::XlsxError),
    /// A rendered file could not be stored (the caller's `emit` says why).
    #[error("{path}: {reason}")]
    Write { path: String, reason: String },
}

/// One output file: its path under `--out`, and its bytes.
pub struct OutFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl<'a> Reconciliation<'a> {
    /// Program account codes: every account posted to except suspense and the receivable.
    pub fn program_accounts(&self) -> Vec<&'a str> {
        let p = &self.month.policy;
        self.postings
            .accounts
            .keys()
            .map(String::as_str)
            .filter(|a| *a != p.suspense_account && *a != p.employee_receivable_account)
            .collect()
    }
}

/// File names for a set of account codes or employee ids, unique by construction: each is
/// [`file_name`] of its code, unless two codes would make the same name, or names differing only
/// in case (one file on the case-insensitive file systems of Windows and macOS): then every
/// code of the clash gets `-` and eight hex digits of its own hash (`2110_530_ARTS-1f03b2c4`),
/// the same in every run. A name taken all the same (a code spelled like another's suffixed
/// name) gets a counter.
pub fn file_names<'a>(codes: impl IntoIterator<Item = &'a str>) -> std::collections::BTreeMap<&'a str, String> {
    use std::collections::{BTreeMap, BTreeSet};
    let codes: BTreeSet<&str> = codes.into_iter().collect();
    let mut by_folded: BTreeMap<String, usize> = BTreeMap::new();
    for c in &codes {
        *by_folded.entry(file_name(c).to_lowercase()).or_default() += 1;
    }
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut out = BTreeMap::new();
    for c in codes {
        let base = file_name(c);
        let mut name = if by_folded[&base.to_lowercase()] > 1 {
            format!("{base}-{:08x}", billrecon_model::stable_hash(&[c]))
        } else {
            base.clone()
        };
        let mut n = 2;
        while !used.insert(name.to_lowercase()) {
            name = format!("{base}-{n}");
            n += 1;
        }
        out.insert(c, name);
    }
    out
}

/// An account code or employee id as a safe file name (letters, digits, `-`, `_`, `.`).
pub fn file_name(s: &str) -> String {
    let cleaned: String =
        s.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' }).collect();
    let cleaned = cleaned.trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "_".into()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod name_tests {
    use super::file_names;

    #[test]
    fn names_that_would_collide_or_differ_only_in_case_get_a_stable_suffix_and_others_keep_theirs() {
        let names = file_names(["2110/530/ARTS", "2110_530_ARTS", "E1", "e1", "TRANS", "TRANS-1"]);
        let got: Vec<(&str, &str)> = names.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            got,
            vec![
                ("2110/530/ARTS", "2110_530_ARTS-f0154c06"),
                ("2110_530_ARTS", "2110_530_ARTS-f6e746a6"),
                ("E1", "E1-b5fc39f4"),
                ("TRANS", "TRANS"),
                ("TRANS-1", "TRANS-1"),
                ("e1", "e1-12340914"),
            ]
        );
        // The same in every run, whatever the order the codes come in.
        assert_eq!(file_names(["e1", "TRANS-1", "E1", "TRANS", "2110_530_ARTS", "2110/530/ARTS"]), names);
    }
}
