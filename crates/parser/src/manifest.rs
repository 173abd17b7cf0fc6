//! `billrecon.toml`: which files make up a month, its period and its accounts.
//!
//! Unknown keys are an error naming the key: a typo must not silently change a month's result.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use billrecon_model::{Allocation, JournalFormat, Period, Policy, DEFAULT_DISPUTE, DEFAULT_PAYMENT};

use billrecon_model::{InputReport, Rejection};

use crate::error::{io_reason, toml_reason, ParseError};
use crate::profile::{Profile, ProfileRef};
use crate::source::archive::{self, Archive};
use crate::source::{FileRef, Format, RunSink};
use crate::table::TableSpec;
use crate::tables::{OnRow, TableInput};
use crate::value;

/// An input of the month: a file, and the carrier profile it is read through (`None`: the
/// canonical layout).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputRef {
    pub file: FileRef,
    pub profile: Option<ProfileRef>,
}

impl InputRef {
    /// The file as messages name it.
    pub fn name(&self) -> &str {
        &self.file.name
    }
}

impl TableInput for InputRef {
    fn name(&self) -> &str {
        &self.file.name
    }
    fn read_table(&self, spec: &TableSpec, on_row: &mut OnRow<'_>) -> Result<(InputReport, Vec<Rejection>), ParseError> {
        match &self.profile {
            Some(p) => crate::profile::read(&self.file, p, spec, on_row),
            None => self.file.read_table(spec, on_row),
        }
    }
    fn read_runs<S: RunSink>(&self, spec: &TableSpec, sink: &mut S) -> Option<Result<(InputReport, Vec<Rejection>), ParseError>> {
        match &self.profile {
            Some(p) => crate::profile::read_runs(&self.file, p, spec, sink),
            None => self.file.read_runs(spec, sink),
        }
    }
    fn covers_period(&self, spec: &TableSpec) -> bool {
        self.profile.as_ref().is_some_and(|p| p.covers_period(spec.section))
    }
}

pub const MANIFEST_FILE: &str = "billrecon.toml";

/// What a policy account is until the clerk sets it (`billrecon init` writes
/// `"SET-ME: suspense account"`): `check` and `reconcile` flag it.
pub const PLACEHOLDER: &str = "SET-ME";

/// Whether a policy value is still init's placeholder.
pub fn is_placeholder(value: &str) -> bool {
    value.trim().to_ascii_uppercase().starts_with(PLACEHOLDER)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    period: Option<String>,
    period_start: Option<String>,
    period_end: Option<String>,
    #[serde(default)]
    invoice: Vec<RawInvoice>,
    inputs: RawInputs,
    policy: RawPolicy,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInvoice {
    summary: toml::Value,
    charges: toml::Value,
    /// The carrier's per-line summary (optional): a cross-check of each line's items.
    lines: Option<toml::Value>,
    /// What the carrier states each line's plan includes (optional): allowances where no plans
    /// table is given.
    allowances: Option<toml::Value>,
    /// The carrier profile for both tables, unless a table names its own.
    profile: Option<String>,
}

/// An input: `"FILE[#SHEET]"`, or `{ path = "FILE[#SHEET]", profile = "NAME" }`; usage may be a
/// list of them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInputs {
    usage: toml::Value,
    inventory: toml::Value,
    employees: Option<toml::Value>,
    plans: Option<toml::Value>,
    attestations: Option<toml::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    suspense_account: String,
    employee_receivable_account: String,
    payable_account: String,
    #[serde(default)]
    third_party_is_personal: bool,
    #[serde(default)]
    account_level_allocation: Option<String>,
    #[serde(default)]
    journal_format: Option<String>,
    #[serde(default)]
    notice_due_days: Option<u32>,
    #[serde(default)]
    notice_payment: Option<String>,
    #[serde(default)]
    notice_dispute: Option<String>,
    #[serde(default)]
    business_unit: Option<String>,
    #[serde(default)]
    cash_account: Option<String>,
}

/// One invoice's tables: its summary, its charge items, and the carrier's per-line summary
/// when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceInputs {
    pub summary: InputRef,
    pub charges: InputRef,
    pub lines: Option<InputRef>,
    pub allowances: Option<InputRef>,
}

/// A parsed manifest with every path resolved against the manifest's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// The manifest file as the user named it.
    pub path: PathBuf,
    pub period: Period,
    pub invoices: Vec<InvoiceInputs>,
    pub usage: Vec<InputRef>,
    pub inventory: InputRef,
    /// The date a fleet list was saved (`as_of` on the inventory input): its statement says
    /// "assigned for the whole period per the fleet list of DATE".
    pub inventory_as_of: Option<chrono::NaiveDate>,
    pub employees: Option<InputRef>,
    pub plans: Option<InputRef>,
    pub attestations: Option<InputRef>,
    pub policy: Policy,
    /// Policy keys still holding the placeholder `billrecon init` wrote (`SET-ME: ...`):
    /// `check` and `reconcile` say so until they are set.
    pub placeholders: Vec<String>,
}

impl Manifest {
    /// Reads `MONTH_DIR/billrecon.toml`, or the named `.toml` file.
    pub fn load(month: &Path) -> Result<Manifest, ParseError> {
        let path = if month.is_dir() { month.join(MANIFEST_FILE) } else { month.to_path_buf() };
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(&path).map_err(|e| ParseError::Open { file: shown.clone(), reason: io_reason(&e) })?;
        let base = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let mut m = Manifest::parse(&text, &shown, &base)?;
        m.path = path;
        let mut archives = Archives::default();
        for input in m.inputs_mut() {
            archives.resolve(input)?;
        }
        Ok(m)
    }

    /// Every input the manifest names, in manifest order.
    pub fn inputs(&self) -> Vec<&InputRef> {
        let mut out = Vec::new();
        for inv in &self.invoices {
            out.push(&inv.summary);
            out.push(&inv.charges);
            out.extend(inv.lines.as_ref());
            out.extend(inv.allowances.as_ref());
        }
        out.extend(self.usage.iter());
        out.push(&self.inventory);
        out.extend(self.employees.iter().chain(self.plans.iter()).chain(self.attestations.iter()));
        out
    }

    fn inputs_mut(&mut self) -> Vec<&mut InputRef> {
        let mut out = Vec::new();
        for inv in &mut self.invoices {
            out.push(&mut inv.summary);
            out.push(&mut inv.charges);
            out.extend(inv.lines.as_mut());
            out.extend(inv.allowances.as_mut());
        }
        out.extend(self.usage.iter_mut());
        out.push(&mut self.inventory);
        out.extend(self.employees.iter_mut().chain(self.plans.iter_mut()).chain(self.attestations.iter_mut()));
        out
    }

    /// Parses manifest text; `shown` names it in errors, `base` resolves its paths.
    pub fn parse(text: &str, shown: &str, base: &Path) -> Result<Manifest, ParseError> {
        let err = |reason: String| ParseError::Manifest { file: shown.to_string(), reason };
        let raw: RawManifest = toml::from_str(text).map_err(|e| err(toml_reason(&e, text)))?;
        let period =
            match (&raw.period, &raw.period_start, &raw.period_end) {
                (Some(month), None, None) => Period::month(month).map_err(|e| err(format!("period: {e}")))?,
                (label, Some(s), Some(e)) => {
                    let s = value::date(value::Cell::Text(s)).map_err(|r| err(format!("period_start: {r}")))?;
                    let e = value::date(value::Cell::Text(e)).map_err(|r| err(format!("period_end: {r}")))?;
                    // Named for the month the period ends in, as a bill is (the January bill runs
                    // December 16 to January 15), unless `period` names it.
                    let label = match label {
                        Some(l) => {
                            Period::month(l).map_err(|e| err(format!("period: {e}")))?;
                            l.clone()
                        }
                        None => e.format("%Y-%m").to_string(),
                    };
                    Period::new(&label, s, e).map_err(|e| err(e.to_string()))?
                }
                (_, Some(_), None) | (_, None, Some(_)) => {
                    return Err(err("period_start and period_end go together: give both or neither".into()))
                }
                (None, None, None) => return Err(err(
                    "no period: give `period = \"YYYY-MM\"` (a calendar month) or `period_start` and `period_end` (a bill cycle)"
                        .into(),
                )),
            };
        if raw.invoice.is_empty() {
            return Err(err("no [[invoice]] table: a month needs at least one carrier invoice".into()));
        }
        let mut profiles = Profiles::default();
        let mut inventory_as_of = None;
        let mut input = |key: &str, v: &toml::Value, default_profile: Option<&str>| -> Result<InputRef, ParseError> {
            let spec = input_spec(key, v).map_err(&err)?;
            let in_profile = |e: ParseError| match e {
                ParseError::Profile { origin, reason } => err(format!("{key}: profile {origin}: {reason}")),
                other => other,
            };
            let mut profile = match spec.profile.as_deref().or(default_profile) {
                None | Some("canonical") => None,
                Some(name) => Some(profiles.get(name, base).map_err(in_profile)?),
            };
            if let Some(column) = &spec.account_column {
                let Some(p) = &profile else {
                    return Err(err(format!(
                        "{key}.account_column: goes with a profile (a canonical inventory's account code is its `account_code` column)"
                    )));
                };
                profile = Some(ProfileRef(Arc::new(p.with_column("inventory", "account_code", column).map_err(in_profile)?)));
            }
            if let Some(d) = &spec.as_of {
                let d = value::date(value::Cell::Text(d)).map_err(|r| err(format!("{key}.as_of: {r}")))?;
                inventory_as_of = Some(d);
            }
            input_ref(key, &spec.path, base, profile).map_err(&err)
        };
        let mut invoices = Vec::new();
        for (i, inv) in raw.invoice.iter().enumerate() {
            let p = inv.profile.as_deref();
            invoices.push(InvoiceInputs {
                summary: input(&format!("invoice[{}].summary", i + 1), &inv.summary, p)?,
                charges: input(&format!("invoice[{}].charges", i + 1), &inv.charges, p)?,
                lines: inv.lines.as_ref().map(|v| input(&format!("invoice[{}].lines", i + 1), v, p)).transpose()?,
                allowances: inv
                    .allowances
                    .as_ref()
                    .map(|v| input(&format!("invoice[{}].allowances", i + 1), v, p))
                    .transpose()?,
            });
        }
        let usage_values = match &raw.inputs.usage {
            toml::Value::Array(a) => a.clone(),
            one => vec![one.clone()],
        };
        if usage_values.is_empty() {
            return Err(err("inputs.usage: name at least one usage report".into()));
        }
        let usage = usage_values.iter().map(|v| input("inputs.usage", v, None)).collect::<Result<Vec<_>, _>>()?;
        let inventory = input("inputs.inventory", &raw.inputs.inventory, None)?;
        let mut opt = |key: &str, v: &Option<toml::Value>| v.as_ref().map(|v| input(key, v, None)).transpose();
        let employees = opt("inputs.employees", &raw.inputs.employees)?;
        let plans = opt("inputs.plans", &raw.inputs.plans)?;
        let attestations = opt("inputs.attestations", &raw.inputs.attestations)?;
        let policy = Policy {
            suspense_account: nonempty(&raw.policy.suspense_account, "policy.suspense_account").map_err(&err)?,
            employee_receivable_account: nonempty(&raw.policy.employee_receivable_account, "policy.employee_receivable_account")
                .map_err(&err)?,
            payable_account: nonempty(&raw.policy.payable_account, "policy.payable_account").map_err(&err)?,
            third_party_is_personal: raw.policy.third_party_is_personal,
            account_level_allocation: match raw.policy.account_level_allocation.as_deref() {
                None | Some("by_amount") => Allocation::ByAmount,
                Some("per_line") => Allocation::PerLine,
                Some(other) => {
                    return Err(err(format!("policy.account_level_allocation: `{other}` is not one of: by_amount, per_line")))
                }
            },
            journal_format: match raw.policy.journal_format.as_deref() {
                None | Some("csv") => JournalFormat::Csv,
                Some("peoplesoft") => JournalFormat::Peoplesoft,
                Some(other) => return Err(err(format!("policy.journal_format: `{other}` is not one of: csv, peoplesoft"))),
            },
            notice_due_days: raw.policy.notice_due_days.unwrap_or(30),
            notice_payment: raw.policy.notice_payment.unwrap_or_else(|| DEFAULT_PAYMENT.to_string()),
            notice_dispute: raw.policy.notice_dispute.unwrap_or_else(|| DEFAULT_DISPUTE.to_string()),
            business_unit: raw.policy.business_unit.unwrap_or_default(),
            cash_account: match raw.policy.cash_account.as_deref() {
                None => billrecon_model::month::DEFAULT_CASH_ACCOUNT.to_string(),
                Some(c) => nonempty(c, "policy.cash_account").map_err(&err)?,
            },
        };
        // Accounts `billrecon init` left for the clerk to set.
        let placeholders: Vec<String> = [
            ("policy.suspense_account", &policy.suspense_account),
            ("policy.employee_receivable_account", &policy.employee_receivable_account),
            ("policy.payable_account", &policy.payable_account),
        ]
        .iter()
        .filter(|(_, v)| is_placeholder(v))
        .map(|(k, _)| k.to_string())
        .collect();
        Ok(Manifest {
            placeholders,
            path: PathBuf::from(shown),
            period,
            invoices,
            usage,
            inventory,
            inventory_as_of,
            employees,
            plans,
            attestations,
            policy,
        })
    }
}

fn nonempty(s: &str, key: &str) -> Result<String, String> {
    let t = s.trim();
    if t.is_empty() {
        Err(format!("{key}: must not be empty"))
    } else {
        Ok(t.to_string())
    }
}

/// Zip archives named in one manifest, each listed once.
#[derive(Default)]
pub struct Archives(BTreeMap<PathBuf, Archive>);

impl Archives {
    /// Finds the file inside the zip an input names (`ARCHIVE.zip#AccountSummary` becomes
    /// `ARCHIVE.zip#AccountSummary_202401.txt`) and sets its format by its extension. With a
    /// carrier profile that names its files, the archive must hold nothing else and one month
    /// only. Inputs that are not in a zip are left as they are.
    pub fn resolve(&mut self, input: &mut InputRef) -> Result<(), ParseError> {
        let profile = input.profile.clone();
        let input = &mut input.file;
        let Some(wanted) = input.member.clone() else { return Ok(()) };
        let shown = input.name.split_once('#').map_or(input.name.as_str(), |(z, _)| z).to_string();
        if !self.0.contains_key(&input.path) {
            let archive = Archive::open(&input.path, &shown)?;
            self.0.insert(input.path.clone(), archive);
        }
        let archive = &self.0[&input.path];
        if let Some(p) = &profile {
            archive.check_download(&p.name, &p.files())?;
        }
        let member = archive.find(&wanted)?.to_string();
        let lower = member.to_ascii_lowercase();
        input.format = if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
            Format::Xlsx
        } else if lower.ends_with(".csv") || profile.is_some() {
            if input.sheet.is_some() {
                return Err(ParseError::Invalid {
                    file: format!("{shown}#{member}"),
                    reason: "a text file has no sheets".into(),
                });
            }
            Format::Csv
        } else {
            return Err(ParseError::Invalid {
                file: format!("{shown}#{member}"),
                reason: "unsupported file type (expected .csv or .xlsx, or name a carrier profile)".into(),
            });
        };
        input.name = format!("{shown}#{member}");
        input.member = Some(member);
        Ok(())
    }
}

/// Profiles named in one manifest, each compiled once.
#[derive(Default)]
struct Profiles(BTreeMap<String, ProfileRef>);

impl Profiles {
    fn get(&mut self, name: &str, base: &Path) -> Result<ProfileRef, ParseError> {
        if let Some(p) = self.0.get(name) {
            return Ok(p.clone());
        }
        let p = ProfileRef(Arc::new(Profile::resolve(name, base)?));
        self.0.insert(name.to_string(), p.clone());
        Ok(p)
    }
}

/// An input as written: its path and profile, and for the inventory the fleet list's own
/// account column and date.
#[derive(Default)]
struct InputSpec {
    path: String,
    profile: Option<String>,
    account_column: Option<String>,
    as_of: Option<String>,
}

fn input_spec(key: &str, v: &toml::Value) -> Result<InputSpec, String> {
    let inventory = key == "inputs.inventory";
    match v {
        toml::Value::String(s) => Ok(InputSpec { path: s.clone(), ..InputSpec::default() }),
        toml::Value::Table(t) => {
            for k in t.keys() {
                let known = k == "path" || k == "profile" || (inventory && (k == "account_column" || k == "as_of"));
                if !known {
                    let expected =
                        if inventory { "`path`, `profile`, `account_column` or `as_of`" } else { "`path` or `profile`" };
                    return Err(format!("{key}: unknown key `{k}`, expected {expected}"));
                }
            }
            let text = |k: &str, what: &str| match t.get(k) {
                None => Ok(None),
                Some(toml::Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(format!("{key}.{k}: expected {what}")),
            };
            let Some(path) = text("path", "a file name")? else { return Err(format!("{key}: missing `path`")) };
            Ok(InputSpec {
                path,
                profile: text("profile", "a profile name or file")?,
                account_column: text("account_column", "a column name")?,
                as_of: text("as_of", "a date")?,
            })
        }
        _ => Err(format!("{key}: expected a file name or {{ path = \"...\", profile = \"...\" }}")),
    }
}

/// `FILE`, `FILE#SHEET`, `ARCHIVE.zip#MEMBER` or `ARCHIVE.zip#MEMBER.xlsx#SHEET`, as
/// (file, member, sheet).
pub fn split_spec(spec: &str) -> (&str, Option<&str>, Option<&str>) {
    fn some(s: &str) -> Option<&str> {
        if s.trim().is_empty() {
            None
        } else {
            Some(s)
        }
    }
    let lower = spec.to_ascii_lowercase();
    if let Some(i) = lower.find(".zip#") {
        let (file, rest) = (&spec[..i + 4], &spec[i + 5..]);
        let lr = rest.to_ascii_lowercase();
        return match lr.find(".xlsx#").or_else(|| lr.find(".xlsm#")) {
            Some(j) => (file, some(&rest[..j + 5]), some(&rest[j + 6..])),
            None => (file, some(rest), None),
        };
    }
    match spec.rsplit_once('#') {
        Some((f, s)) => (f, None, some(s)),
        None => (spec, None, None),
    }
}

/// An input as the manifest names it; the format follows the extension. With a profile, any
/// file that is not a workbook is delimited text (`.txt`, `.tsv`, `.csv`, ...), read as the
/// profile says. A file inside a zip is found, and its format set, by [`Archives::resolve`].
pub fn input_ref(key: &str, spec: &str, base: &Path, profile: Option<ProfileRef>) -> Result<InputRef, String> {
    let (file, member, sheet) = split_spec(spec);
    let sheet = sheet.map(str::to_string);
    if file.trim().is_empty() {
        return Err(format!("{key}: no file named"));
    }
    if archive::is_zip(file) {
        let Some(member) = member else {
            return Err(format!("{key}: `{file}` is a zip archive: name the file inside it, as `{file}#NAME`"));
        };
        let file = FileRef {
            name: format!("{file}#{member}"),
            path: base.join(file),
            member: Some(member.to_string()),
            sheet,
            format: Format::Csv,
        };
        return Ok(InputRef { file, profile });
    }
    let lower = file.to_ascii_lowercase();
    let format = if lower.ends_with(".csv") {
        if sheet.is_some() {
            return Err(format!("{key}: `{spec}`: a CSV file has no sheets"));
        }
        Format::Csv
    } else if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
        Format::Xlsx
    } else if profile.is_some() {
        if sheet.is_some() {
            return Err(format!("{key}: `{spec}`: a text file has no sheets"));
        }
        Format::Csv
    } else {
        return Err(format!("{key}: `{file}`: unsupported file type (expected .csv or .xlsx, or name a carrier profile)"));
    };
    Ok(InputRef { file: FileRef { name: file.to_string(), path: base.join(file), member: None, sheet, format }, profile })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
period = "2026-10"
[[invoice]]
summary = "invoice.xlsx#Summary"
charges = "charges.csv"
[inputs]
usage = ["usage.csv", "usage2.xlsx"]
inventory = "inventory.xlsx"
employees = "employees.csv"
[policy]
suspense_account = "9999-530-SUSP"
employee_receivable_account = "1290-EMPREC"
payable_account = "2010-AP"
"#;

    fn parse(s: &str) -> Result<Manifest, String> {
        Manifest::parse(s, "m/billrecon.toml", Path::new("m")).map_err(|e| e.to_string())
    }

    #[test]
    fn a_good_manifest_resolves_paths_and_sheets() {
        let m = parse(GOOD).unwrap();
        assert_eq!(m.period.days(), 31);
        assert_eq!(m.invoices[0].summary.file.sheet.as_deref(), Some("Summary"));
        assert_eq!(m.invoices[0].summary.file.path, Path::new("m/invoice.xlsx"));
        assert_eq!(m.invoices[0].charges.file.format, Format::Csv);
        assert_eq!(m.usage.len(), 2);
        assert_eq!(m.inventory.file.sheet, None);
        assert!(m.plans.is_none());
        assert_eq!(m.policy.payable_account, "2010-AP");
    }

    #[test]
    fn explicit_bill_cycle() {
        let m =
            parse(&GOOD.replace(
                "period = \"2026-10\"",
                "period = \"2026-10\"\nperiod_start = \"2026-09-22\"\nperiod_end = \"10/21/2026\"",
            ))
            .unwrap();
        assert_eq!(m.period.days(), 30);
        // Without `period`, a bill cycle is named for the month it ends in.
        let m =
            parse(&GOOD.replace("period = \"2026-10\"", "period_start = \"2023-12-16\"\nperiod_end = \"2024-01-15\"")).unwrap();
        assert_eq!((m.period.label.as_str(), m.period.days()), ("2024-01", 31));
        assert_eq!(
            parse(&GOOD.replace("period = \"2026-10\"\n", "")).unwrap_err(),
            "m/billrecon.toml: no period: give `period = \"YYYY-MM\"` (a calendar month) or `period_start` and `period_end` (a bill cycle)"
        );
    }

    #[test]
    fn inputs_can_name_a_carrier_profile() {
        let m = parse(
            &GOOD
                .replace("[[invoice]]\n", "[[invoice]]\nprofile = \"verizon-rdd\"\n")
                .replace("summary = \"invoice.xlsx#Summary\"", "summary = \"AccountSummary.txt\"")
                .replace("charges = \"charges.csv\"", "charges = { path = \"charges.csv\", profile = \"canonical\" }")
                .replace("\"usage2.xlsx\"", "{ path = \"Usage.txt\", profile = \"att-premier\" }"),
        )
        .unwrap();
        let name = |i: &InputRef| i.profile.as_ref().map(|p| p.name.clone());
        assert_eq!(name(&m.invoices[0].summary).as_deref(), Some("verizon-rdd"));
        assert_eq!(m.invoices[0].summary.file.format, Format::Csv);
        assert_eq!(name(&m.invoices[0].charges), None);
        assert_eq!(name(&m.usage[0]), None);
        assert_eq!(name(&m.usage[1]).as_deref(), Some("att-premier"));
        assert_eq!(
            parse(&GOOD.replace("\"usage2.xlsx\"", "{ path = \"u.txt\", profle = \"att-premier\" }")).unwrap_err(),
            "m/billrecon.toml: inputs.usage: unknown key `profle`, expected `path` or `profile`"
        );
        assert_eq!(
            parse(&GOOD.replace("\"usage2.xlsx\"", "{ path = \"u.txt\", profile = \"sprint\" }")).unwrap_err(),
            "m/billrecon.toml: inputs.usage: profile sprint: not a built-in profile (verizon-rdd, att-premier, att-raw-data, fleet, desk-calls, card-report) nor a profile file"
        );
        assert_eq!(
            parse(&GOOD.replace("\"usage2.xlsx\"", "\"u.txt\"")).unwrap_err(),
            "m/billrecon.toml: inputs.usage: `u.txt`: unsupported file type (expected .csv or .xlsx, or name a carrier profile)"
        );
        assert_eq!(
            parse(&GOOD.replace("\"usage2.xlsx\"", "{ profile = \"att-premier\" }")).unwrap_err(),
            "m/billrecon.toml: inputs.usage: missing `path`"
        );
    }

    #[test]
    fn manifest_errors_name_the_problem() {
        assert_eq!(
            parse(&GOOD.replace("period = ", "perod = ")).unwrap_err(),
            "m/billrecon.toml: line 2: unknown field `perod`, expected one of `period`, `period_start`, `period_end`, `invoice`, `inputs`, `policy`"
        );
        assert_eq!(
            parse(&GOOD.replace("payable_account", "payables_account")).unwrap_err(),
            "m/billrecon.toml: line 13: unknown field `payables_account`, expected one of `suspense_account`, `employee_receivable_account`, `payable_account`, `third_party_is_personal`, `account_level_allocation`, `journal_format`, `notice_due_days`, `notice_payment`, `notice_dispute`, `business_unit`, `cash_account`"
        );
        assert_eq!(
            parse(&GOOD.replace("2026-10", "2026-1")).unwrap_err(),
            "m/billrecon.toml: period: `2026-1` is not a month in the form YYYY-MM"
        );
        assert_eq!(
            parse(&GOOD.replace("charges.csv", "charges.pdf")).unwrap_err(),
            "m/billrecon.toml: invoice[1].charges: `charges.pdf`: unsupported file type (expected .csv or .xlsx, or name a carrier profile)"
        );
        assert_eq!(
            parse(&GOOD.replace("charges.csv", "charges.csv#Sheet1")).unwrap_err(),
            "m/billrecon.toml: invoice[1].charges: `charges.csv#Sheet1`: a CSV file has no sheets"
        );
        assert_eq!(
            parse(&GOOD.replace("period = \"2026-10\"", "period = \"2026-10\"\nperiod_start = \"2026-09-22\"")).unwrap_err(),
            "m/billrecon.toml: period_start and period_end go together: give both or neither"
        );
        assert_eq!(
            parse(&GOOD.replace("[[invoice]]\nsummary = \"invoice.xlsx#Summary\"\ncharges = \"charges.csv\"\n", "")).unwrap_err(),
            "m/billrecon.toml: no [[invoice]] table: a month needs at least one carrier invoice"
        );
        assert_eq!(
            parse(&GOOD.replace("inventory = \"inventory.xlsx\"\n", "")).unwrap_err(),
            "m/billrecon.toml: line 6: missing field `inventory`"
        );
        assert_eq!(
            parse(&GOOD.replace("\"9999-530-SUSP\"", "\" \"")).unwrap_err(),
            "m/billrecon.toml: policy.suspense_account: must not be empty"
        );
    }
}
