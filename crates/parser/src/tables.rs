//! The canonical tables: each one's columns and the conversion of a row into a record.
//! `docs/formats.md` documents every table; keep the two in step.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use billrecon_model::{
    normalize_word, Allowance, Assignment, Attestation, Charge, ChargeCategory, Employee, InputReport, InvoiceSummary,
    LineStatus, LineSummary, Plan, Rejection, SourceRef, UsageSink, UsageSource, UsageTable, UsageType,
};

use crate::error::ParseError;
use crate::table::{read_table, InputRef, RowError, TableSpec};
use crate::value::{self, Cell};

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
    optional: &["employee_name", "program", "plan", "status", "end_date", "authorized_by"],
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
pub const ALL: &[TableSpec] = &[SUMMARY, CHARGES, LINES, USAGE, INVENTORY, EMPLOYEES, PLANS, ATTESTATIONS];

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
pub fn read_summary(input: &InputRef) -> Result<Read<InvoiceSummary>, ParseError> {
    // field -> (value as text or typed, source)
    let mut seen: BTreeMap<&'static str, SourceRef> = BTreeMap::new();
    let mut text: BTreeMap<&'static str, String> = BTreeMap::new();
    let mut money: BTreeMap<&'static str, Decimal> = BTreeMap::new();
    let mut dates: BTreeMap<&'static str, chrono::NaiveDate> = BTreeMap::new();
    let (report, rejections) = read_table(input, &SUMMARY, |src, c| {
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
            file: input.label(report.sheet.as_deref()),
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
        source: seen.get("current_charges").cloned().unwrap_or_else(|| SourceRef::new(input.name.as_str().into(), None, 0)),
    };
    Ok((summary, report, rejections))
}

/// An invoice's charge items.
pub fn read_charges(input: &InputRef, invoice: usize) -> Result<Read<Vec<Charge>>, ParseError> {
    let mut out = Vec::new();
    let (report, rejections) = read_table(input, &CHARGES, |src, c| {
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
pub fn read_lines(input: &InputRef) -> Result<Read<Vec<LineSummary>>, ParseError> {
    let mut out = Vec::new();
    let mut first: BTreeMap<Option<billrecon_model::PhoneNumber>, SourceRef> = BTreeMap::new();
    let (report, rejections) = read_table(input, &LINES, |src, c| {
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

fn optional_quantity(column: &'static str, c: Cell<'_>) -> Result<Option<Decimal>, RowError> {
    if c.is_blank() {
        Ok(None)
    } else {
        col(column, value::non_negative_quantity(c)).map(Some)
    }
}

/// Usage rows per run handed to [`UsageSink::fold`]: small enough that a block of the file
/// splits into many runs (both cores stay busy to the end of it) and a run's table stays in
/// the cache, large enough that merging the runs' parts costs little.
/// (Unit tests cut runs of a few rows, so every block splits into several.)
pub const USAGE_RUN_ROWS: usize = if cfg!(test) { 7 } else { 1 << 13 };

/// A usage report, appended to `table` column by column.
pub fn read_usage(input: &InputRef, table: &mut UsageTable) -> Result<(InputReport, Vec<Rejection>), ParseError> {
    let mut keep = crate::month::KeepUsage(std::mem::take(table));
    let out = read_usage_blocks(input, &mut keep);
    *table = keep.0;
    out
}

/// A usage report, handed to `sink` in runs of [`USAGE_RUN_ROWS`] rows.
pub fn read_usage_blocks<S: UsageSink>(input: &InputRef, sink: &mut S) -> Result<(InputReport, Vec<Rejection>), ParseError> {
    let mut blocks = UsageBlocks { table: UsageTable::default(), sink };
    if input.profile.is_none() && input.format == crate::table::Format::Csv {
        // The large case: runs of rows converted and folded on every core.
        let out = crate::csv::read_csv(input, &USAGE.as_columns(), &crate::table::Layout::default(), &mut blocks);
        blocks.finish();
        return out;
    }
    let out = read_table(input, &USAGE, |src, c| {
        let v = usage_row(c, &mut LastDate::default())?;
        blocks.push(&src.file, &src.sheet, src.row, &v);
        Ok(())
    });
    blocks.finish();
    out
}

/// One usage row, converted (text borrowed from the row).
struct UsageRow<'a> {
    /// The service line's ten digits.
    line: u64,
    date: chrono::NaiveDate,
    time: Option<billrecon_model::TimeOfDay>,
    number: Dialled<'a>,
    kind: UsageType,
    quantity: Decimal,
    charge: Decimal,
    description: std::borrow::Cow<'a, str>,
}

/// The other party's number: the cell itself when it is already ten plain digits (what
/// normalizing would give), else the parsed number.
enum Dialled<'a> {
    Plain(&'a str),
    Parsed(Option<billrecon_model::PhoneNumber>),
}

impl Dialled<'_> {
    fn as_str(&self) -> &str {
        match self {
            Dialled::Plain(s) => s,
            Dialled::Parsed(p) => p.as_ref().map_or("", |p| p.as_str()),
        }
    }
}

/// The last date text read and its date: a usage report lists a line's calls in date order,
/// so most rows repeat the row before's date.
#[derive(Default)]
struct LastDate<'a>(Option<(&'a str, chrono::NaiveDate)>);

impl<'a> LastDate<'a> {
    fn date(&mut self, c: Cell<'a>) -> Result<chrono::NaiveDate, String> {
        if let (Cell::Text(t), Some((last, d))) = (c, self.0) {
            if t == last {
                return Ok(d);
            }
        }
        let d = value::date(c)?;
        if let Cell::Text(t) = c {
            self.0 = Some((t, d));
        }
        Ok(d)
    }
}

fn usage_row<'a>(c: &[Cell<'a>], last: &mut LastDate<'a>) -> Result<UsageRow<'a>, RowError> {
    // Ten plain digits, by far the usual spelling of both numbers, skip the general parse.
    let text = |c: Cell<'a>| match c {
        Cell::Text(t) => Some(t),
        _ => None,
    };
    use billrecon_model::PhoneNumber;
    Ok(UsageRow {
        line: match text(c[0]).and_then(PhoneNumber::plain_nanp_u64) {
            Some(n) => n,
            None => col("line", value::line(c[0]))?.nanp_u64().unwrap_or(0),
        },
        date: col("date", last.date(c[1]))?,
        kind: col(
            "type",
            match c[2] {
                Cell::Text(t) => t.parse(),
                other => other.display().parse(),
            },
        )?,
        quantity: col("quantity", value::non_negative_quantity(c[3]))?,
        time: col("time", value::optional_time(c[4]))?,
        number: match text(c[5]).filter(|t| PhoneNumber::plain_nanp_u64(t).is_some()) {
            Some(t) => Dialled::Plain(t),
            None => Dialled::Parsed(col("number", value::optional_phone(c[5]))?),
        },
        charge: col("charge", value::money_or_zero(c[6]))?,
        description: col("description", value::text_ref(c[7]))?,
    })
}

/// Gathers converted rows into runs for the sink.
struct UsageBlocks<'s, S: UsageSink> {
    /// Rows converted one at a time (spreadsheets, carrier profiles), not yet folded.
    table: UsageTable,
    sink: &'s mut S,
}

/// One run of rows converted and folded on some core, with its counts and rejections.
struct Run<P> {
    part: P,
    read: u64,
    blank: u64,
    rejected: Vec<(u32, RowError)>,
}

impl<S: UsageSink> UsageBlocks<'_, S> {
    fn push(&mut self, file: &std::sync::Arc<str>, sheet: &Option<std::sync::Arc<str>>, row: u32, v: &UsageRow<'_>) {
        if self.table.is_empty() {
            self.table.source_index(&UsageSource { file: file.clone(), sheet: sheet.clone() });
        }
        push_row(&mut self.table, row, v);
        if self.table.len() >= USAGE_RUN_ROWS {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if !self.table.is_empty() {
            let part = self.sink.fold(std::mem::take(&mut self.table));
            self.sink.absorb(part);
        }
    }

    fn finish(mut self) {
        self.flush();
    }

    /// Converts and folds `lines.len()` rows on every core, a run of [`USAGE_RUN_ROWS`] at a
    /// time (pure Rust over borrowed text; polars is not called here), merges the runs' parts in
    /// file order and hands the block's part to the sink: the same outcome as one row at a time.
    fn convert<'t>(
        &mut self,
        tally: &mut crate::table::Tally,
        rows: usize,
        row_of: impl Fn(usize) -> u32 + Sync,
        cells_of: impl Fn(usize, &mut [Cell<'t>; 8]) -> Result<(), String> + Sync,
    ) {
        use rayon::prelude::*;
        self.flush();
        let source = UsageSource { file: tally.file.clone(), sheet: tally.sheet.clone() };
        let sink: &S = self.sink;
        let run = |k: usize| {
            let mut table = UsageTable::default();
            table.source_index(&source);
            // Ten-digit numbers and short descriptions are the rule; more just grows.
            table.reserve(USAGE_RUN_ROWS, USAGE_RUN_ROWS * 10);
            let (mut read, mut blank, mut rejected) = (0, 0, Vec::new());
            let mut last = LastDate::default();
            for i in k * USAGE_RUN_ROWS..rows.min((k + 1) * USAGE_RUN_ROWS) {
                let row = row_of(i);
                let mut cells = [Cell::Empty; 8];
                if let Err(reason) = cells_of(i, &mut cells) {
                    read += 1;
                    rejected.push((row, (crate::csv::WHOLE_ROW.into(), reason)));
                    continue;
                }
                if cells.iter().all(Cell::is_blank) {
                    blank += 1;
                    continue;
                }
                read += 1;
                match usage_row(&cells, &mut last) {
                    Ok(v) => push_row(&mut table, row, &v),
                    Err(e) => rejected.push((row, e)),
                }
            }
            Run { part: sink.fold(table), read, blank, rejected }
        };
        // Neighbouring runs merge on whichever core finished them (rayon keeps their order).
        let both = |mut a: Run<S::Part>, b: Run<S::Part>| {
            a.rejected.extend(b.rejected);
            Run { part: sink.merge(a.part, b.part), read: a.read + b.read, blank: a.blank + b.blank, rejected: a.rejected }
        };
        let Some(r) = (0..rows.div_ceil(USAGE_RUN_ROWS)).into_par_iter().map(run).reduce_with(both) else { return };
        tally.report.read += r.read;
        tally.blank(r.blank);
        tally.report.accepted += r.read - r.rejected.len() as u64;
        for (row, (column, reason)) in r.rejected {
            tally.reject(row, &column, reason);
        }
        self.sink.absorb(r.part);
    }
}

/// Appends a converted row to a table whose only source is the file being read.
fn push_row(table: &mut UsageTable, row: u32, v: &UsageRow<'_>) {
    table.push_nanp(0, row, v.line, v.date, v.time, v.number.as_str(), v.kind, v.quantity, v.charge, &v.description);
}

impl<S: UsageSink> crate::csv::Batch for UsageBlocks<'_, S> {
    fn rows(&mut self, tally: &mut crate::table::Tally, lines: &[u32], cols: &[Option<Vec<&str>>]) {
        self.convert(
            tally,
            lines.len(),
            |i| lines[i],
            |i, cells| {
                for (slot, col) in cells.iter_mut().zip(cols) {
                    if let Some(v) = col {
                        *slot = Cell::Text(v[i]);
                    }
                }
                Ok(())
            },
        );
    }

    fn records(&mut self, tally: &mut crate::table::Tally, text: &str, recs: &[(u32, usize, usize)], split: &crate::csv::Split) {
        self.convert(
            tally,
            recs.len(),
            |i| recs[i].0,
            |i, cells| split.fill(&text[recs[i].1..recs[i].2], &mut cells[..split.columns]),
        );
    }

    fn footer(&mut self, _: &mut crate::table::Tally, _: u32, _: &[Cell<'_>]) {}
}

/// Line assignments. Overlapping assignments of one line are both rejected, each naming the other.
pub fn read_inventory(input: &InputRef) -> Result<Read<Vec<Assignment>>, ParseError> {
    let mut out: Vec<Assignment> = Vec::new();
    let (mut report, mut rejections) = read_table(input, &INVENTORY, |src, c| {
        let line = col("line", value::line(c[0]))?;
        let employee_id = col("employee_id", value::text(c[1]))?;
        let account_code = col("account_code", value::required_text(c[2]))?;
        let start = col("start_date", value::date(c[3]))?;
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
            source: src.clone(),
        });
        Ok(())
    })?;
    let span = |a: &Assignment| format!("{}..{}", a.start, a.end.map_or("open".to_string(), |e| e.to_string()));
    let mut by_line: BTreeMap<_, Vec<usize>> = BTreeMap::new();
    for (i, a) in out.iter().enumerate() {
        by_line.entry(a.line).or_default().push(i);
    }
    let mut bad: BTreeMap<usize, Rejection> = BTreeMap::new();
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
pub fn read_employees(input: &InputRef) -> Result<Read<Vec<Employee>>, ParseError> {
    let mut out: Vec<Employee> = Vec::new();
    let mut first: BTreeMap<String, SourceRef> = BTreeMap::new();
    let (report, rejections) = read_table(input, &EMPLOYEES, |src, c| {
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
        Ok(None)
    } else {
        value::non_negative_quantity(c).map(Some)
    }
}

/// Plans and their allowances (`unlimited` or empty = unlimited).
pub fn read_plans(input: &InputRef) -> Result<Read<Vec<Plan>>, ParseError> {
    let mut out: Vec<Plan> = Vec::new();
    let mut first: BTreeMap<String, SourceRef> = BTreeMap::new();
    let (report, rejections) = read_table(input, &PLANS, |src, c| {
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
pub fn read_attestations(input: &InputRef) -> Result<Read<Vec<Attestation>>, ParseError> {
    let mut out = Vec::new();
    let (report, rejections) = read_table(input, &ATTESTATIONS, |src, c| {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A usage CSV of `n` rows: row `i` (file line `i + 2`) is blank when `i % 150 == 0`, has a
    /// bad date when `i % 97 == 5`, too few fields when `i % 211 == 9`, and a quoted
    /// description (polars' path) when `i % 7 == 3`.
    fn usage_csv(n: usize) -> String {
        let mut s = String::from("line,date,time,number,type,quantity,charge,description\n");
        for i in 0..n {
            if i % 150 == 0 {
                s.push('\n');
            } else if i % 97 == 5 {
                s.push_str("8605550101,2026-13-01,,411,voice,1,1.99,\n");
            } else if i % 211 == 9 {
                s.push_str("8605550101,2026-10-01,,411,voice,1\n");
            } else {
                let desc = if i % 7 == 3 { format!("\"call, {i}\"") } else { format!("call {i}") };
                s.push_str(&format!(
                    "86055501{:02},2026-10-{:02},,2035550147,voice,{},0.{:02},{desc}\n",
                    i % 100,
                    i % 28 + 1,
                    i % 90,
                    i % 100
                ));
            }
        }
        s
    }

    fn usage_input(dir: &tempfile::TempDir, bytes: &[u8]) -> InputRef {
        let path = dir.path().join("usage.csv");
        std::fs::write(&path, bytes).unwrap();
        InputRef { name: "usage.csv".into(), path, member: None, sheet: None, format: crate::table::Format::Csv, profile: None }
    }

    /// Blocks are 1 KiB under test: the bad byte sits blocks after the first, and its line is
    /// still counted from the top of the file, and the read stops with that error.
    #[test]
    fn a_bad_byte_far_into_the_file_names_its_line() {
        let mut bytes = usage_csv(400).into_bytes();
        let at = bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(299).map(|(i, _)| i + 1).unwrap();
        bytes.insert(at + 3, 0xE9); // into line 301 (the header is line 1)
        let dir = tempfile::tempdir().unwrap();
        let err = read_usage(&usage_input(&dir, &bytes), &mut UsageTable::default()).unwrap_err();
        assert_eq!(err.to_string(), "usage.csv: line 301 is not UTF-8 text; save the file as \"CSV UTF-8\"");
    }

    #[test]
    fn rows_split_across_blocks_and_runs_keep_file_order_counts_and_rejections() {
        let n = 3_000;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("usage.csv");
        std::fs::write(&path, usage_csv(n)).unwrap();
        let input = InputRef {
            name: "usage.csv".into(),
            path,
            member: None,
            sheet: None,
            format: crate::table::Format::Csv,
            profile: None,
        };
        let mut table = UsageTable::default();
        let (report, rejections) = read_usage(&input, &mut table).unwrap();
        let blank: Vec<usize> = (0..n).filter(|i| i % 150 == 0).collect();
        let bad: Vec<usize> = (0..n).filter(|i| i % 150 != 0 && (i % 97 == 5 || i % 211 == 9)).collect();
        let good: Vec<usize> = (0..n).filter(|i| i % 150 != 0 && i % 97 != 5 && i % 211 != 9).collect();
        assert_eq!(
            (report.read, report.accepted, report.rejected, report.blank),
            (n as u64, good.len() as u64, bad.len() as u64, blank.len() as u64)
        );
        let rows: Vec<u32> = rejections.iter().map(|r| r.source.row).collect();
        assert_eq!(rows, bad.iter().map(|i| *i as u32 + 2).collect::<Vec<_>>());
        assert_eq!(
            rejections[0].to_string(),
            "usage.csv:7: date: `2026-13-01` is not a date (expected YYYY-MM-DD, MM/DD/YYYY or Jan 15, 2024)"
        );
        assert_eq!(table.row, good.iter().map(|i| *i as u32 + 2).collect::<Vec<_>>());
        for (k, &i) in good.iter().enumerate() {
            let r = table.get(k);
            let desc = if i % 7 == 3 { format!("call, {i}") } else { format!("call {i}") };
            assert_eq!(
                (r.line.to_string(), r.quantity, r.description),
                (format!("86055501{:02}", i % 100), Decimal::from(i % 90), desc.as_str())
            );
        }
    }
}
