//! The canonical tables: each one's columns and the conversion of a row into a record.
//! `docs/formats.md` documents every table; keep the two in step.
//!
//! A table is read through a [`TableInput`]: a bare file is read in the canonical layout; the
//! manifest's inputs may go through a carrier profile, which hands over the same canonical cells
//! (this module never knows profiles).

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use billrecon_model::{
    normalize_word, Allowance, Assignment, Attestation, Charge, ChargeCategory, Coverage, Employee, InputReport, InstrumentKind,
    InvoiceSummary, LineStatus, LineSummary, Period, Plan, Rejection, SourceRef, StatedAllowance, UsageType,
};
use chrono::NaiveDate;

use crate::error::ParseError;
use crate::source::{self, FileRef, Kept, Line, RowSink, RunSink};
use crate::table::{is_blank, Layout, RowError, TableSpec, Taken, Tally};
use crate::value::{self, Cell};

/// Converts a row of a table into its record, or says why not.
pub type OnRow<'f> = dyn FnMut(&SourceRef, &[Cell<'_>]) -> Result<(), RowError> + 'f;

/// What a canonical table can be read from.
pub trait TableInput: Sync {
    /// The file as messages name it.
    fn name(&self) -> &str;
    /// Reads the table `spec`, calling `on_row` with each data row's source and its cells in the
    /// spec's column order.
    fn read_table(&self, spec: &TableSpec, on_row: &mut OnRow<'_>) -> Result<(InputReport, Vec<Rejection>), ParseError>;
    /// Reads the table with runs of rows converted by `sink` on every core. `None` when this
    /// input's rows must be taken one at a time (a carrier layout with footer totals, items or a
    /// wide summary).
    fn read_runs<S: RunSink>(&self, spec: &TableSpec, sink: &mut S) -> Option<Result<(InputReport, Vec<Rejection>), ParseError>>
    where
        Self: Sized;
    /// Whether the rows of `spec` carry no dates and each covers the whole period (a fleet
    /// list read through its profile).
    fn covers_period(&self, _spec: &TableSpec) -> bool {
        false
    }
}

impl TableInput for FileRef {
    fn name(&self) -> &str {
        &self.name
    }
    fn read_table(&self, spec: &TableSpec, on_row: &mut OnRow<'_>) -> Result<(InputReport, Vec<Rejection>), ParseError> {
        source::read_rows(self, &spec.as_columns(), &Layout::default(), &mut Convert(on_row))
    }
    fn read_runs<S: RunSink>(&self, spec: &TableSpec, sink: &mut S) -> Option<Result<(InputReport, Vec<Rejection>), ParseError>> {
        Some(source::read_runs(self, &spec.as_columns(), &Layout::default(), sink))
    }
}

/// Hands each data row of a canonical file to a converter and counts the outcome.
struct Convert<'a, 'f>(&'a mut OnRow<'f>);

impl RowSink for Convert<'_, '_> {
    fn row(&mut self, tally: &mut Tally, line: Line<'_, '_>) {
        match line.counted(tally) {
            None => {}
            Some(Kept::Data { cells, .. }) if is_blank(cells) => tally.blank(1),
            Some(Kept::Data { row, cells }) => {
                let src = tally.source(row);
                let outcome = (self.0)(&src, cells).map(|()| Taken::Accepted);
                tally.outcome(row, outcome);
            }
            // A canonical layout has no footer pattern; a footer would be counted apart.
            Some(Kept::Footer { row, .. }) => tally.footer(row, Ok(Taken::Accepted)),
        }
    }
}

/// `file` or `file:sheet` of a report, for messages.
fn label(r: &InputReport) -> String {
    match &r.sheet {
        Some(s) => format!("{}:{s}", r.file),
        None => r.file.clone(),
    }
}

pub const SUMMARY: TableSpec =
    TableSpec { kind: "invoice summary", section: "summary", required: &["field", "value"], optional: &[] };
pub const CHARGES: TableSpec = TableSpec {
    kind: "invoice charges",
    section: "charges",
    required: &["line", "category", "amount"],
    optional: &["description", "quantity"],
};
pub const LINES: TableSpec = TableSpec {
    kind: "invoice lines",
    section: "lines",
    required: &["line", "total"],
    optional: &["plan", "user_name", "voice_minutes", "messages", "data"],
};
pub const ALLOWANCES: TableSpec = TableSpec {
    kind: "invoice allowances",
    section: "allowances",
    required: &["line", "pool", "allowance"],
    optional: &["unit", "used"],
};
pub const USAGE: TableSpec = TableSpec {
    kind: "usage",
    section: "usage",
    required: &["line", "date", "type", "quantity"],
    optional: &["time", "number", "charge", "description"],
};
pub const INVENTORY: TableSpec = TableSpec {
    kind: "inventory",
    section: "inventory",
    required: &["line", "employee_id", "account_code", "start_date"],
    optional: &["employee_name", "program", "plan", "status", "end_date", "authorized_by", "kind"],
};
pub const EMPLOYEES: TableSpec = TableSpec {
    kind: "employees",
    section: "employees",
    required: &["employee_id"],
    optional: &["name", "email", "termination_date"],
};
pub const PLANS: TableSpec = TableSpec {
    kind: "plans",
    section: "plans",
    required: &["plan"],
    optional: &["voice_minutes", "messages", "data_mb", "monthly_rate"],
};
pub const ATTESTATIONS: TableSpec = TableSpec {
    kind: "attestations",
    section: "attestations",
    required: &["line", "date"],
    optional: &["time", "number", "note"],
};

/// Every canonical table, for documentation and `--help`.
pub const ALL: &[TableSpec] = &[SUMMARY, CHARGES, LINES, ALLOWANCES, USAGE, INVENTORY, EMPLOYEES, PLANS, ATTESTATIONS];

/// The canonical table a manifest key or profile section names (`charges`).
pub fn by_section(section: &str) -> Option<TableSpec> {
    ALL.iter().find(|t| t.section == section).copied()
}

pub type Read<T> = (T, InputReport, Vec<Rejection>);

/// Runs a conversion, reporting its error under `column`.
fn col<T>(column: &'static str, r: Result<T, String>) -> Result<T, RowError> {
    r.map_err(|e| (column.into(), e))
}

pub(crate) const SUMMARY_FIELDS: &[&str] = &[
    "carrier",
    "account_number",
    "invoice_number",
    "invoice_date",
    "period_start",
    "period_end",
    "previous_balance",
    "payments",
    "adjustments",
    "current_charges",
    "total_due",
    "due_date",
];
pub(crate) const SUMMARY_REQUIRED: &[&str] = &["carrier", "account_number", "invoice_number", "current_charges", "total_due"];

/// An invoice summary: `field,value` rows.
pub fn read_summary(input: &dyn TableInput) -> Result<Read<InvoiceSummary>, ParseError> {
    // field -> (value as text or typed, source)
    let mut seen: BTreeMap<&'static str, SourceRef> = BTreeMap::new();
    let mut text: BTreeMap<&'static str, String> = BTreeMap::new();
    let mut money: BTreeMap<&'static str, Decimal> = BTreeMap::new();
    let mut dates: BTreeMap<&'static str, chrono::NaiveDate> = BTreeMap::new();
    let (report, rejections) = input.read_table(&SUMMARY, &mut |src, c| {
        let name = normalize_word(&c[0].display());
        let field = SUMMARY_FIELDS.iter().find(|f| normalize_word(f) == name).copied().ok_or_else(|| {
            (
                "field".into(),
                format!("`{}` is not a summary field (expected one of: {})", c[0].display(), SUMMARY_FIELDS.join(", ")),
            )
        })?;
        if let Some(first) = seen.get(field) {
            return Err(("field".into(), format!("`{field}` is given twice (first at {first})")));
        }
        match field {
            "carrier" | "account_number" | "invoice_number" => {
                text.insert(field, col("value", value::required_text(c[1]))?);
            }
            "invoice_date" | "period_start" | "period_end" | "due_date" => {
                if let Some(d) = col("value", value::optional_date(c[1]))? {
                    dates.insert(field, d);
                }
            }
            _ => {
                money.insert(field, col("value", value::money_or_zero(c[1]))?);
            }
        }
        seen.insert(field, src.clone());
        Ok(())
    })?;
    let missing: Vec<&str> = SUMMARY_REQUIRED.iter().filter(|f| !seen.contains_key(*f)).copied().collect();
    if !missing.is_empty() {
        return Err(ParseError::Invalid {
            file: label(&report),
            reason: format!(
                "the invoice summary has no accepted {} field{}",
                missing.join(", "),
                if missing.len() > 1 { "s" } else { "" }
            ),
        });
    }
    let m = |f: &str| money.get(f).copied().unwrap_or(Decimal::ZERO);
    let t = |f: &str| text.get(f).cloned().unwrap_or_default();
    let summary = InvoiceSummary {
        carrier: t("carrier"),
        account_number: t("account_number"),
        invoice_number: t("invoice_number"),
        invoice_date: dates.get("invoice_date").copied(),
        period_start: dates.get("period_start").copied(),
        period_end: dates.get("period_end").copied(),
        previous_balance: m("previous_balance"),
        payments: m("payments"),
        adjustments: m("adjustments"),
        current_charges: m("current_charges"),
        total_due: m("total_due"),
        due_date: dates.get("due_date").copied(),
        source: seen.get("current_charges").cloned().unwrap_or_else(|| SourceRef::new(input.name().into(), None, 0)),
    };
    Ok((summary, report, rejections))
}

/// An invoice's charge items.
pub fn read_charges(input: &dyn TableInput, invoice: usize) -> Result<Read<Vec<Charge>>, ParseError> {
    let mut out = Vec::new();
    let (report, rejections) = input.read_table(&CHARGES, &mut |src, c| {
        let line = if c[0].is_blank() { None } else { Some(col("line", value::line(c[0]))?) };
        let category: ChargeCategory = col("category", c[1].display().parse())?;
        let amount = col("amount", value::money(c[2]))?;
        let description = col("description", value::text(c[3]))?;
        let quantity = if c[4].is_blank() { None } else { Some(col("quantity", value::quantity(c[4]))?) };
        out.push(Charge { invoice, line, category, description, quantity, amount, source: src.clone() });
        Ok(())
    })?;
    Ok((out, report, rejections))
}

/// The carrier's per-line summary of an invoice: each line's total (its charge items must add
/// up to it), its plan and user name as the carrier prints them. An empty line is the account's
/// own row.
pub fn read_lines(input: &dyn TableInput) -> Result<Read<Vec<LineSummary>>, ParseError> {
    let mut out = Vec::new();
    let mut first: BTreeMap<Option<billrecon_model::PhoneNumber>, SourceRef> = BTreeMap::new();
    let (report, rejections) = input.read_table(&LINES, &mut |src, c| {
        let line = if c[0].is_blank() { None } else { Some(col("line", value::line(c[0]))?) };
        if let Some(f) = first.get(&line) {
            let what = line.map_or("the account row".to_string(), |l| format!("line {}", l.pretty()));
            return Err(("line".into(), format!("{what} is listed twice (first at {f})")));
        }
        let total = col("total", value::money(c[1]))?;
        out.push(LineSummary {
            line,
            total,
            plan: col("plan", value::text(c[2]))?,
            user_name: col("user_name", value::text(c[3]))?,
            voice_minutes: optional_quantity("voice_minutes", c[4])?,
            messages: optional_quantity("messages", c[5])?,
            data: optional_quantity("data", c[6])?,
            source: src.clone(),
        });
        first.insert(line, src.clone());
        Ok(())
    })?;
    Ok((out, report, rejections))
}

/// What the carrier states each line's plan includes, pool by pool (its usage summary rows):
/// `allowance` as carriers write it (`500`, `unlimited`, `2.000(shared)`), in `unit` (minutes,
/// messages, MB, GB or KB; GB and KB are converted to MB). A line listed twice for one pool is
/// rejected the second time.
pub fn read_allowances(input: &dyn TableInput) -> Result<Read<Vec<StatedAllowance>>, ParseError> {
    let mut out = Vec::new();
    let mut first: BTreeMap<(billrecon_model::PhoneNumber, UsageType), SourceRef> = BTreeMap::new();
    let (report, rejections) = input.read_table(&ALLOWANCES, &mut |src, c| {
        let line = col("line", value::line(c[0]))?;
        let pool: UsageType = col("pool", c[1].display().parse())?;
        if pool == UsageType::Other {
            return Err(("pool".into(), "`other` has no allowance: expected voice, text or data".into()));
        }
        let (allowance, shared) = col("allowance", billrecon_model::allowance::parse_stated(&c[2].display()))?;
        let unit = c[3].display().trim().to_ascii_lowercase();
        let scale = match (pool, unit.as_str()) {
            (_, "") | (UsageType::Voice, "minutes" | "min") | (UsageType::Text, "messages" | "msg") | (UsageType::Data, "mb") => {
                Decimal::ONE
            }
            (UsageType::Data, "gb") => Decimal::from(1024),
            (UsageType::Data, "kb") => Decimal::ONE / Decimal::from(1024),
            _ => return Err(("unit".into(), format!("`{unit}` is not a unit of {} use", pool.as_str()))),
        };
        let used = optional_quantity("used", c[4])?;
        if let Some(f) = first.get(&(line, pool)) {
            return Err((
                "line".into(),
                format!("line {} states a {} allowance twice (first at {f})", line.pretty(), pool.as_str()),
            ));
        }
        first.insert((line, pool), src.clone());
        out.push(StatedAllowance {
            line,
            pool,
            allowance: match allowance {
                Allowance::Unlimited => Allowance::Unlimited,
                Allowance::Limited(a) => {
                    Allowance::Limited(a.checked_mul(scale).ok_or(("allowance".into(), "is too large".to_string()))?)
                }
            },
            shared,
            used: used.map(|u| u.checked_mul(scale)).map(|u| u.ok_or(("used".into(), "is too large".to_string()))).transpose()?,
            source: src.clone(),
        });
        Ok(())
    })?;
    Ok((out, report, rejections))
}

fn optional_quantity(column: &'static str, c: Cell<'_>) -> Result<Option<Decimal>, RowError> {
    if c.is_blank() {
        Ok(None)
    } else {
        col(column, value::non_negative_quantity(c)).map(Some)
    }
}

/// Why a list's row naming a line already read, with the same assignment, is skipped.
pub const LINE_AGAIN: &str = "the same line and assignment as an earlier row of the list";

/// Line assignments. Overlapping assignments of one line are both rejected, each naming the other.
/// A fleet list (an input whose rows cover the whole period) gives each line `period` whole,
/// as the list of `as_of` says.
pub fn read_inventory(
    input: &dyn TableInput,
    period: &Period,
    as_of: Option<NaiveDate>,
) -> Result<Read<Vec<Assignment>>, ParseError> {
    let mut out: Vec<Assignment> = Vec::new();
    let whole = input.covers_period(&INVENTORY);
    let coverage = if whole { Coverage::FleetList { file: input.name().to_string(), as_of } } else { Coverage::Dated };
    // Each row's card number, whole, only while reading: two cards ending in the same four
    // digits are refused (billrecon names a card by them alone).
    let mut numbers: Vec<Option<String>> = Vec::new();
    let (mut report, mut rejections) = input.read_table(&INVENTORY, &mut |src, c| {
        let line = col("line", value::line(c[0]))?;
        let kind = if c[10].is_blank() {
            InstrumentKind::of_key(&line)
        } else {
            col("kind", InstrumentKind::from_words(&c[10].display()))?
        };
        match (kind, line.is_card()) {
            (InstrumentKind::Card, false) => {
                return Err(("line".into(), format!("{} is not a calling card's number (12 to 19 digits)", line.pretty())))
            }
            (k, true) if k != InstrumentKind::Card => {
                return Err(("kind".into(), format!("`{k}`, but the line has a calling card's number ({})", line.pretty())))
            }
            _ => {}
        }
        let employee_id = col("employee_id", value::text(c[1]))?;
        let account_code = col("account_code", value::required_text(c[2]))?;
        let start = if whole && c[3].is_blank() { period.start } else { col("start_date", value::date(c[3]))? };
        let employee_name = col("employee_name", value::text(c[4]))?;
        let program = col("program", value::text(c[5]))?;
        let plan = col("plan", value::text(c[6]))?;
        let status = if c[7].is_blank() { LineStatus::Active } else { col("status", c[7].display().parse())? };
        let end = col("end_date", value::optional_date(c[8]))?;
        if let Some(e) = end {
            if e < start {
                return Err(("end_date".into(), format!("{e} is before start_date {start}")));
            }
        }
        let authorized_by = col("authorized_by", value::text(c[9]))?;
        out.push(Assignment {
            line,
            employee_id,
            employee_name,
            program,
            account_code,
            plan,
            status,
            start,
            end,
            authorized_by,
            coverage: coverage.clone(),
            kind,
            source: src.clone(),
        });
        numbers.push(line.is_card().then(|| value::digits(c[0])));
        Ok(())
    })?;
    if whole {
        // A list that names a line on several rows (a bill's records, one per charge): the same
        // assignment again is the line once more, skipped; a different one still overlaps.
        let same = |a: &Assignment, b: &Assignment| {
            (&a.employee_id, &a.employee_name, &a.program, &a.account_code, &a.plan, a.status, a.kind)
                == (&b.employee_id, &b.employee_name, &b.program, &b.account_code, &b.plan, b.status, b.kind)
        };
        let mut first: BTreeMap<billrecon_model::PhoneNumber, usize> = BTreeMap::new();
        let mut again = vec![false; out.len()];
        for (i, a) in out.iter().enumerate() {
            match first.get(&a.line) {
                Some(&f) if same(&out[f], a) => again[i] = true,
                Some(_) => {}
                None => {
                    first.insert(a.line, i);
                }
            }
        }
        if again.iter().any(|x| *x) {
            let mut keep = Vec::with_capacity(out.len());
            let mut kept_numbers = Vec::with_capacity(out.len());
            for ((a, n), dup) in out.into_iter().zip(numbers).zip(&again) {
                if *dup {
                    report.accepted -= 1;
                    report.skip(a.source.row, LINE_AGAIN);
                } else {
                    keep.push(a);
                    kept_numbers.push(n);
                }
            }
            out = keep;
            numbers = kept_numbers;
        }
    }
    let span = |a: &Assignment| format!("{}..{}", a.start, a.end.map_or("open".to_string(), |e| e.to_string()));
    let mut by_line: BTreeMap<_, Vec<usize>> = BTreeMap::new();
    for (i, a) in out.iter().enumerate() {
        by_line.entry(a.line).or_default().push(i);
    }
    let mut bad: BTreeMap<usize, Rejection> = BTreeMap::new();
    // Two cards ending alike: every row of both is rejected, so neither is assigned and their
    // charges wait in suspense (a card's charges and calls cannot tell them apart either).
    for idx in by_line.values().filter(|idx| idx.iter().any(|&i| numbers[i].is_some())) {
        for &i in idx {
            if let Some(&j) = idx.iter().find(|&&j| numbers[j] != numbers[i]) {
                bad.entry(i).or_insert_with(|| Rejection {
                    source: out[i].source.clone(),
                    column: "line".into(),
                    reason: format!(
                        "another calling card ending {} is at {}: billrecon shows a card only by its last four digits, so the two cannot be told apart and neither is assigned",
                        out[i].line.card_last4().unwrap_or_default(),
                        out[j].source
                    ),
                });
            }
        }
    }
    for idx in by_line.values() {
        for (k, &i) in idx.iter().enumerate() {
            for &j in &idx[k + 1..] {
                let (a, b) = (&out[i], &out[j]);
                let overlap =
                    a.start <= b.end.unwrap_or(chrono::NaiveDate::MAX) && b.start <= a.end.unwrap_or(chrono::NaiveDate::MAX);
                if overlap {
                    for (x, y) in [(i, j), (j, i)] {
                        bad.entry(x).or_insert_with(|| Rejection {
                            source: out[x].source.clone(),
                            column: "start_date".into(),
                            reason: format!(
                                "assignment {} of line {} overlaps the assignment at {} ({})",
                                span(&out[x]),
                                out[x].line.pretty(),
                                out[y].source,
                                span(&out[y])
                            ),
                        });
                    }
                }
            }
        }
    }
    if !bad.is_empty() {
        report.accepted -= bad.len() as u64;
        report.rejected += bad.len() as u64;
        let keep: Vec<Assignment> = out.into_iter().enumerate().filter(|(i, _)| !bad.contains_key(i)).map(|(_, a)| a).collect();
        out = keep;
        rejections.extend(bad.into_values());
        rejections.sort();
    }
    Ok((out, report, rejections))
}

/// Employees; an id listed twice is rejected the second time.
pub fn read_employees(input: &dyn TableInput) -> Result<Read<Vec<Employee>>, ParseError> {
    let mut out: Vec<Employee> = Vec::new();
    let mut first: BTreeMap<String, SourceRef> = BTreeMap::new();
    let (report, rejections) = input.read_table(&EMPLOYEES, &mut |src, c| {
        let employee_id = col("employee_id", value::required_text(c[0]))?;
        if let Some(f) = first.get(&employee_id) {
            return Err(("employee_id".into(), format!("`{employee_id}` is listed twice (first at {f})")));
        }
        let e = Employee {
            employee_id: employee_id.clone(),
            name: col("name", value::text(c[1]))?,
            email: col("email", value::text(c[2]))?,
            termination_date: col("termination_date", value::optional_date(c[3]))?,
            source: src.clone(),
        };
        first.insert(employee_id, src.clone());
        out.push(e);
        Ok(())
    })?;
    Ok((out, report, rejections))
}

fn allowance(c: Cell<'_>) -> Result<Allowance, String> {
    if c.is_blank() || c.display().eq_ignore_ascii_case("unlimited") {
        Ok(Allowance::Unlimited)
    } else {
        value::non_negative_quantity(c).map(Allowance::Limited)
    }
}

/// Plans and their allowances (`unlimited` or empty = unlimited).
pub fn read_plans(input: &dyn TableInput) -> Result<Read<Vec<Plan>>, ParseError> {
    let mut out: Vec<Plan> = Vec::new();
    let mut first: BTreeMap<String, SourceRef> = BTreeMap::new();
    let (report, rejections) = input.read_table(&PLANS, &mut |src, c| {
        let plan = col("plan", value::required_text(c[0]))?;
        if let Some(f) = first.get(&plan) {
            return Err(("plan".into(), format!("`{plan}` is listed twice (first at {f})")));
        }
        let p = Plan {
            plan: plan.clone(),
            voice_minutes: col("voice_minutes", allowance(c[1]))?,
            messages: col("messages", allowance(c[2]))?,
            data_mb: col("data_mb", allowance(c[3]))?,
            monthly_rate: if c[4].is_blank() { None } else { Some(col("monthly_rate", value::money(c[4]))?) },
            source: src.clone(),
        };
        first.insert(plan, src.clone());
        out.push(p);
        Ok(())
    })?;
    Ok((out, report, rejections))
}

/// Calls employees identified as personal.
pub fn read_attestations(input: &dyn TableInput) -> Result<Read<Vec<Attestation>>, ParseError> {
    let mut out = Vec::new();
    let (report, rejections) = input.read_table(&ATTESTATIONS, &mut |src, c| {
        out.push(Attestation {
            line: col("line", value::line(c[0]))?,
            date: col("date", value::date(c[1]))?,
            time: col("time", value::optional_time(c[2]))?,
            number: col("number", value::optional_phone(c[3]))?,
            note: col("note", value::text(c[4]))?,
            source: src.clone(),
        });
        Ok(())
    })?;
    Ok((out, report, rejections))
}
