//! Reading a file through a profile: each source row becomes canonical cells (one row, or one
//! per item), handed to the same converter a canonical file's rows go to.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, Timelike};
use rust_decimal::Decimal;

use billrecon_model::{normalize_word, InputReport, Rejection, SourceRef};

use super::spec::{kind_of, signed_field, FieldSpec, Give, Kind, Part, ProfileRef, Source, TableProfile, ValueMap};
use crate::error::ParseError;
use crate::source::{self, FileRef, Kept, Line, RowSink, Run, RunSink};
use crate::table::{is_blank, Columns, RowError, TableSpec, Taken, Tally, WHOLE_ROW};
use crate::tables::OnRow;
use crate::value::{self, Cell, OwnedCell};

/// Canonical rows as a profile produced them, for `billrecon profile test`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Captured {
    pub columns: Vec<String>,
    /// Source row number and the canonical values, as text.
    pub rows: Vec<(u32, Vec<String>)>,
    pub limit: usize,
}

thread_local! {
    static CAPTURE: RefCell<Option<Captured>> = const { RefCell::new(None) };
}

/// True while `capture` runs on this thread.
fn capturing() -> bool {
    CAPTURE.with(|c| c.borrow().is_some())
}

/// Runs `f`, keeping the first `limit` canonical rows any profile read in it produces.
pub fn capture<T>(limit: usize, f: impl FnOnce() -> T) -> (T, Captured) {
    CAPTURE.with(|c| *c.borrow_mut() = Some(Captured { columns: vec![], rows: vec![], limit }));
    let out = f();
    let got = CAPTURE.with(|c| c.borrow_mut().take()).unwrap_or_default();
    (out, got)
}

fn record(spec: &TableSpec, row: u32, cells: &[OwnedCell]) {
    CAPTURE.with(|c| {
        if let Some(cap) = c.borrow_mut().as_mut() {
            if cap.columns.is_empty() {
                cap.columns = spec.columns().map(str::to_string).collect();
            }
            if cap.rows.len() < cap.limit {
                // A calling card's whole number is shown only as its key (`card-4821`), as
                // everything else shows it; a value of a card's length that is not one, by its
                // last four digits.
                let shown = spec.columns().zip(cells).map(|(col, c)| {
                    let text = c.as_cell().display();
                    if col != "line" || !billrecon_model::phone::has_card_digits(&text) {
                        return text;
                    }
                    match billrecon_model::PhoneNumber::card_from_number(&text) {
                        Some(card) => card.to_string(),
                        None => format!("(ending {})", billrecon_model::phone::last_four(&text)),
                    }
                });
                cap.rows.push((row, shown.collect()));
            }
        }
    });
}

/// Reads `file` through the profile's section for `spec`, calling `on_row` with canonical cells.
pub fn read(
    file: &FileRef,
    profile: &ProfileRef,
    spec: &TableSpec,
    on_row: &mut OnRow<'_>,
) -> Result<(InputReport, Vec<Rejection>), ParseError> {
    let section = spec.section;
    let tp = profile.table(section).ok_or_else(|| ParseError::Profile {
        origin: profile.origin.clone(),
        reason: format!(
            "has no [{section}] section, so it cannot read {} (it maps: {})",
            file.name,
            profile.sections().collect::<Vec<_>>().join(", ")
        ),
    })?;
    let columns = Columns {
        kind: spec.kind,
        required: tp.required.iter().map(String::as_str).collect(),
        optional: tp.optional.iter().map(String::as_str).collect(),
    };
    let mapper = Mapper::new(tp, spec, &profile.name, &columns);
    let (mut report, rejections) = if tp.wide {
        read_wide(file, tp, &columns, mapper, on_row)?
    } else {
        let mut sink = Through { mapper, sums: FooterSums::default(), on_row };
        source::read_rows(file, &columns, &tp.layout, &mut sink)?
    };
    report.profile = Some(profile.name.clone());
    Ok((report, rejections))
}

/// A carrier file's rows, mapped to canonical cells and handed to the table's converter.
struct Through<'m, 'a, 'f> {
    mapper: Mapper<'m>,
    sums: FooterSums,
    on_row: &'a mut OnRow<'f>,
}

impl RowSink for Through<'_, '_, '_> {
    fn row(&mut self, tally: &mut Tally, line: Line<'_, '_>) {
        match line.counted(tally) {
            Some(Kept::Data { row, cells }) => {
                let cells = self.mapper.nulled(cells);
                if is_blank(&cells) {
                    return tally.blank(1);
                }
                // A footer adds up every row above it, as the carrier printed them.
                self.sums.add(&self.mapper, &cells);
                if let Some(reason) = self.mapper.skip_reason(&cells) {
                    return tally.outcome(row, Ok(Taken::Skipped(reason)));
                }
                let src = tally.source(row);
                let outcome = self.mapper.row(&src, &cells, self.on_row).map(|()| Taken::Accepted);
                tally.outcome(row, outcome);
            }
            Some(Kept::Footer { row, cells }) => {
                let cells = self.mapper.nulled(cells);
                let outcome = self.sums.check(&self.mapper, &cells).map(|()| Taken::Accepted);
                tally.footer(row, outcome);
            }
            None => {}
        }
    }
}

/// Reads `file` through the profile with runs of rows mapped and converted on every core, each
/// run with its own mapper. `None` when the section's rows must be taken in file order: footer
/// totals add up the rows above them, items and wide summaries are read row by row, and
/// `profile test` captures the rows it shows on its own thread.
pub fn read_runs<S: RunSink>(
    file: &FileRef,
    profile: &ProfileRef,
    spec: &TableSpec,
    sink: &mut S,
) -> Option<Result<(InputReport, Vec<Rejection>), ParseError>> {
    let tp = profile.table(spec.section)?;
    if tp.wide || !tp.items.is_empty() || tp.layout.footer.is_some() || capturing() {
        return None;
    }
    let columns = Columns {
        kind: spec.kind,
        required: tp.required.iter().map(String::as_str).collect(),
        optional: tp.optional.iter().map(String::as_str).collect(),
    };
    let mut mapped = Mapped { tp, spec, profile: &profile.name, columns: &columns, inner: sink };
    let read = source::read_runs(file, &columns, &tp.layout, &mut mapped);
    Some(read.map(|(mut report, rejections)| {
        report.profile = Some(profile.name.clone());
        (report, rejections)
    }))
}

/// A run's rows mapped to canonical cells, for the table's own run sink.
struct Mapped<'a, 'c, S> {
    tp: &'a TableProfile,
    spec: &'a TableSpec,
    profile: &'a str,
    columns: &'a Columns<'c>,
    inner: &'a mut S,
}

/// One source row as mapped.
enum MappedRow {
    Data(u32, Vec<OwnedCell>),
    Blank(u64),
    Broken(u32, String),
    Rejected(u32, String, String),
    Skipped(u32, String),
}

/// Mapped rows of a run, handed over as canonical lines.
struct MappedRun<'m> {
    rows: Vec<MappedRow>,
    width: usize,
    sheet: Option<std::sync::Arc<str>>,
    labels: &'m BTreeMap<&'static str, String>,
}

impl Run for MappedRun<'_> {
    fn label<'c>(&self, canonical: &'c str) -> Cow<'c, str> {
        self.labels.get(canonical).map_or(Cow::Borrowed(canonical), |l| Cow::Owned(l.clone()))
    }

    fn len(&self) -> usize {
        self.rows.len()
    }

    fn sheet(&self) -> Option<std::sync::Arc<str>> {
        self.sheet.clone()
    }

    fn rows<'s, F: FnMut(Line<'_, 's>)>(&'s self, mut f: F) {
        let mut cells: Vec<Cell<'s>> = vec![Cell::Empty; self.width];
        for r in &self.rows {
            match r {
                MappedRow::Data(row, owned) => {
                    for (slot, v) in cells.iter_mut().zip(owned) {
                        *slot = v.as_cell();
                    }
                    f(Line::Data { row: *row, cells: &cells });
                }
                MappedRow::Blank(count) => f(Line::Blank { count: *count }),
                MappedRow::Broken(row, reason) => f(Line::Broken { row: *row, reason: reason.clone() }),
                MappedRow::Rejected(row, column, reason) => {
                    f(Line::Rejected { row: *row, column: column.clone(), reason: reason.clone() })
                }
                MappedRow::Skipped(row, reason) => f(Line::Skipped { row: *row, reason: reason.clone() }),
            }
        }
    }
}

impl<S: RunSink> RunSink for Mapped<'_, '_, S> {
    type Part = S::Part;

    fn run<R: Run>(&self, raw: &R) -> S::Part {
        let mut mapper = Mapper::new(self.tp, self.spec, self.profile, self.columns);
        let mut rows = Vec::with_capacity(raw.len());
        raw.rows(|line| {
            rows.push(match line {
                Line::Data { row, cells } => {
                    let cells = mapper.nulled(cells);
                    if is_blank(&cells) {
                        MappedRow::Blank(1)
                    } else if let Some(reason) = mapper.skip_reason(&cells) {
                        MappedRow::Skipped(row, reason)
                    } else {
                        match mapper.canonical(&cells) {
                            Ok(out) => MappedRow::Data(row, out),
                            Err((column, reason)) => MappedRow::Rejected(row, column.into_owned(), reason),
                        }
                    }
                }
                Line::Blank { count } => MappedRow::Blank(count),
                Line::Broken { row, reason } => MappedRow::Broken(row, reason),
                // A layout without a footer pattern has no footer rows.
                Line::Footer { row, .. } => MappedRow::Broken(row, "a footer row where none is expected".into()),
                Line::Rejected { row, column, reason } => MappedRow::Rejected(row, column, reason),
                Line::Skipped { row, reason } => MappedRow::Skipped(row, reason),
            })
        });
        self.inner.run(&MappedRun { rows, width: self.spec.width(), sheet: raw.sheet(), labels: &mapper.labels })
    }

    fn merge(&self, first: S::Part, then: S::Part) -> S::Part {
        self.inner.merge(first, then)
    }

    fn absorb(&mut self, tally: &mut Tally, part: S::Part) {
        self.inner.absorb(tally, part);
    }
}

/// Running sums of a footer's check column: since the start, and since the last footer.
#[derive(Default)]
struct FooterSums {
    all: Decimal,
    since_last: Decimal,
    rows: u64,
}

impl FooterSums {
    fn add(&mut self, m: &Mapper<'_>, cells: &[Cell<'_>]) {
        if let Some(i) = m.footer_col {
            if let Ok(d) = m.number(Kind::Money, cells[i]) {
                self.all = self.all.checked_add(d).unwrap_or(self.all);
                self.since_last = self.since_last.checked_add(d).unwrap_or(self.since_last);
            }
            self.rows += 1;
        }
    }

    fn check(&mut self, m: &Mapper<'_>, cells: &[Cell<'_>]) -> Result<(), RowError> {
        let Some(i) = m.footer_col else { return Ok(()) };
        let col = m.tp.footer.as_ref().and_then(|f| f.check.clone()).unwrap_or_default();
        if cells[i].is_blank() {
            return Ok(());
        }
        let total = m.number(Kind::Money, cells[i]).map_err(|e| (col.clone().into(), e))?;
        let since_last = std::mem::take(&mut self.since_last);
        if total == since_last || total == self.all {
            return Ok(());
        }
        Err((
            col.into(),
            format!(
                "the footer total {total} does not equal {since_last}, the sum of the {} rows above it: a row is missing or altered",
                self.rows
            ),
        ))
    }
}

/// The memo key of a table's skip rules (no canonical field has this name).
const SKIP_KEY: &str = "(skip)";

/// Turns source cells into canonical cells for one table.
struct Mapper<'a> {
    tp: &'a TableProfile,
    spec: &'a TableSpec,
    profile: &'a str,
    /// Normalized source column name to its position in the cells the reader hands over.
    index: BTreeMap<String, usize>,
    /// Canonical column to the source columns a rejection names.
    labels: BTreeMap<&'static str, String>,
    memo: BTreeMap<&'static str, HashMap<Vec<String>, Option<usize>>>,
    footer_col: Option<usize>,
}

impl<'a> Mapper<'a> {
    fn new(tp: &'a TableProfile, spec: &'a TableSpec, profile: &'a str, columns: &Columns<'_>) -> Mapper<'a> {
        let index: BTreeMap<String, usize> = columns.columns().enumerate().map(|(i, c)| (normalize_word(c), i)).collect();
        let mut labels = BTreeMap::new();
        for (f, fs) in &tp.fields {
            labels.insert(*f, fs.label(f));
        }
        for (f, m) in &tp.maps {
            labels.insert(*f, if m.columns.is_empty() { (*f).to_string() } else { m.columns.join(", ") });
        }
        let footer_col = tp.footer.as_ref().and_then(|f| f.check.as_ref()).and_then(|c| index.get(&normalize_word(c)).copied());
        Mapper { tp, spec, profile, index, labels, memo: BTreeMap::new(), footer_col }
    }

    fn cell<'c>(&self, cells: &[Cell<'c>], column: &str) -> Cell<'c> {
        self.index.get(&normalize_word(column)).map_or(Cell::Empty, |&i| cells[i])
    }

    /// The cells with the profile's empty words (`NA`, `N/A`) made empty.
    fn nulled<'s, 'c>(&self, cells: &'s [Cell<'c>]) -> Cow<'s, [Cell<'c>]> {
        let null = |c: &Cell<'_>| matches!(c, Cell::Text(t) if self.tp.nulls.iter().any(|n| t.trim().eq_ignore_ascii_case(n)));
        if self.tp.nulls.is_empty() || !cells.iter().any(null) {
            return Cow::Borrowed(cells);
        }
        Cow::Owned(cells.iter().map(|c| if null(c) { Cell::Empty } else { *c }).collect())
    }

    /// The first rule of `m` whose conditions the row meets, remembered per distinct values.
    fn first_match(&mut self, key: &'static str, m: &ValueMap, cells: &[Cell<'_>]) -> (Vec<String>, Option<usize>) {
        let values: Vec<String> = m.columns.iter().map(|c| self.cell(cells, c).display()).collect();
        let memo = self.memo.entry(key).or_default();
        if let Some(hit) = memo.get(&values) {
            return (values, *hit);
        }
        let hit = m.rules.iter().position(|r| {
            r.when.iter().all(|(col, mt)| {
                let i = m.columns.iter().position(|c| c == col).unwrap_or(0);
                mt.matches(&values[i])
            })
        });
        memo.insert(values.clone(), hit);
        (values, hit)
    }

    /// Why the row is not a record of the table, if a skip rule says so.
    fn skip_reason(&mut self, cells: &[Cell<'_>]) -> Option<String> {
        let tp = self.tp;
        let skips = tp.skips.as_ref()?;
        let (_, hit) = self.first_match(SKIP_KEY, skips, cells);
        hit.and_then(|i| match &skips.rules[i].give {
            Give::To(reason) => Some(reason.clone()),
            Give::From { .. } => None,
        })
    }

    /// A date in the profile's formats (the first that gives a plausible year).
    fn parse_date(&self, fs: &FieldSpec, t: &str) -> Option<NaiveDate> {
        use chrono::Datelike;
        let formats = fs.date_format.iter().chain(self.tp.date_formats.iter());
        formats.filter_map(|f| NaiveDate::parse_from_str(t, f).ok()).find(|d| (1950..=2200).contains(&d.year()))
    }

    fn label(&self, canonical: &str) -> String {
        self.labels.get(canonical).cloned().unwrap_or_else(|| canonical.to_string())
    }

    /// A number in a money or quantity column, with the profile's decimal comma.
    fn number(&self, kind: Kind, c: Cell<'_>) -> Result<Decimal, String> {
        if c.is_blank() {
            return Ok(Decimal::ZERO);
        }
        let text;
        let c = match c {
            Cell::Text(s) if self.tp.decimal_comma => {
                text = decimal_comma(s);
                Cell::Text(&text)
            }
            other => other,
        };
        match kind {
            Kind::Quantity => value::quantity(c),
            _ => value::money(c),
        }
    }

    /// The canonical value of `field` from one source row.
    fn field(&self, field: &'static str, fs: &FieldSpec, cells: &[Cell<'_>]) -> Result<OwnedCell, String> {
        let kind = kind_of(field);
        let mut v = match &fs.source {
            Source::Column(c) => owned(self.cell(cells, c)),
            Source::Constant(s) => OwnedCell::Text(s.clone()),
            Source::Sum { add, sub } => {
                let mut total = Decimal::ZERO;
                for (cols, sign) in [(add, Decimal::ONE), (sub, Decimal::NEGATIVE_ONE)] {
                    for c in cols {
                        let n = self.number(kind, self.cell(cells, c)).map_err(|e| format!("{c}: {e}"))?;
                        total = total.checked_add(n * sign).ok_or_else(|| format!("{c}: the sum is too large"))?;
                    }
                }
                OwnedCell::Text(total.to_string())
            }
            Source::Join { cols, sep } => {
                let parts: Vec<String> = cols.iter().map(|c| self.cell(cells, c).display()).filter(|t| !t.is_empty()).collect();
                OwnedCell::Text(parts.join(sep))
            }
            // Wide summaries compute totals themselves.
            Source::Total(c) => owned(self.cell(cells, c)),
            Source::First(cols) => {
                cols.iter().map(|c| self.cell(cells, c)).find(|c| !c.is_blank()).map_or(OwnedCell::Empty, owned)
            }
        };
        if !fs.empty.is_empty() {
            let shown = v.as_cell().display();
            if fs.empty.iter().any(|e| e.trim().eq_ignore_ascii_case(&shown)) {
                v = OwnedCell::Empty;
            }
        }
        if let Some(p) = fs.part {
            v = part(v, p);
        }
        if let (Some(re), OwnedCell::Text(t)) = (&fs.pattern, &v) {
            let t = t.trim();
            if !t.is_empty() {
                let caps = re.captures(t).ok_or_else(|| format!("`{t}` does not match the pattern `{}`", re.as_str()))?;
                let got = caps.get(1).or_else(|| caps.get(0)).map_or("", |m| m.as_str());
                v = OwnedCell::Text(got.trim().to_string());
            }
        }
        if kind == Kind::Date {
            if let OwnedCell::Text(t) = &v {
                let t = t.trim();
                if let Some(d) = self.parse_date(fs, t) {
                    v = OwnedCell::Text(d.to_string());
                } else if let (Some(col), Some((m, d))) = (&fs.year_from, value::month_day(t)) {
                    // Printed without its year: the bill cycle's closing date gives it.
                    let anchor = match self.cell(cells, col) {
                        Cell::Text(a) if self.parse_date(fs, a.trim()).is_some() => self.parse_date(fs, a.trim()),
                        other => value::date(other).ok(),
                    };
                    let anchor = anchor.ok_or_else(|| {
                        format!(
                            "`{t}` has no year, and {col} `{}` is not a date to take it from",
                            self.cell(cells, col).display()
                        )
                    })?;
                    let date = value::in_year_before(m, d, anchor)
                        .ok_or_else(|| format!("`{t}` is not a date in the bill cycle closing {anchor}"))?;
                    v = OwnedCell::Text(date.to_string());
                }
            }
        }
        if matches!(kind, Kind::Money | Kind::Quantity) {
            if let OwnedCell::Text(t) = &v {
                if self.tp.decimal_comma {
                    v = OwnedCell::Text(decimal_comma(t));
                }
            }
            if fs.negate && !v.as_cell().is_blank() {
                let n = self.number(kind, v.as_cell())?;
                v = OwnedCell::Text((-n).to_string());
            }
            if let Some(d) = fs.divide {
                v = self.divided(kind, v, d)?;
            }
        }
        Ok(v)
    }

    /// A number divided by `d` (KB to MB); an empty value stays empty.
    fn divided(&self, kind: Kind, v: OwnedCell, d: Decimal) -> Result<OwnedCell, String> {
        if v.as_cell().is_blank() {
            return Ok(v);
        }
        let n = self.number(kind, v.as_cell())?;
        let q = n.checked_div(d).ok_or_else(|| format!("`{}` cannot be divided by {d}", v.as_cell().display()))?;
        Ok(OwnedCell::Text(q.normalize().to_string()))
    }

    /// The mapped value of `field` (and whether its rule flips the row's sign).
    fn lookup(&mut self, field: &'static str, m: &ValueMap, cells: &[Cell<'_>]) -> Result<(OwnedCell, bool), RowError> {
        let (values, hit) = self.first_match(field, m, cells);
        let Some(i) = hit else {
            let shown: Vec<String> = m.columns.iter().zip(&values).map(|(c, v)| format!("{c} `{v}`")).collect();
            return Err((
                self.label(field).into(),
                format!(
                    "{} matches no [[{}.map.{field}]] rule of profile `{}`: add a rule for it",
                    shown.join(", "),
                    self.tp.section,
                    self.profile
                ),
            ));
        };
        let rule = &m.rules[i];
        let v = match &rule.give {
            Give::To(to) => OwnedCell::Text(to.clone()),
            Give::From { column, divide } => {
                let v = owned(self.cell(cells, column));
                match divide {
                    None => v,
                    Some(d) => self.divided(kind_of(field), v, *d).map_err(|e| (column.clone().into(), e))?,
                }
            }
        };
        Ok((v, rule.negate))
    }

    /// Maps one source row and hands the canonical row(s) to the converter.
    /// The canonical cells of one source row (before any items): each field's value or mapped
    /// value, and the sign a value-map rule flips.
    fn canonical(&mut self, cells: &[Cell<'_>]) -> Result<Vec<OwnedCell>, RowError> {
        let spec = self.spec;
        let tp = self.tp;
        let mut out: Vec<OwnedCell> = vec![OwnedCell::Empty; spec.width()];
        let mut flip = false;
        for (i, col) in spec.columns().enumerate() {
            if let Some(fs) = tp.fields.get(col) {
                out[i] = self.field(col, fs, cells).map_err(|e| (self.label(col).into(), e))?;
            } else if let Some(m) = tp.maps.get(col) {
                let (v, neg) = self.lookup(col, m, cells)?;
                out[i] = v;
                flip |= neg;
            }
        }
        let pos = |name: &str| spec.columns().position(|c| c == name);
        if flip {
            if let Some(i) = signed_field(tp.section).and_then(pos) {
                if !out[i].as_cell().is_blank() {
                    let n = self.number(kind_of(spec.columns().nth(i).unwrap_or("")), out[i].as_cell()).map_err(|e| {
                        let c = spec.columns().nth(i).unwrap_or("");
                        (self.label(c).into(), e)
                    })?;
                    out[i] = OwnedCell::Text((-n).to_string());
                }
            }
        }
        Ok(out)
    }

    /// Maps one source row and hands the canonical row(s) to the converter.
    fn row(&mut self, src: &SourceRef, cells: &[Cell<'_>], on_row: &mut OnRow<'_>) -> Result<(), RowError> {
        let spec = self.spec;
        let tp = self.tp;
        let out = self.canonical(cells)?;
        let pos = |name: &str| spec.columns().position(|c| c == name);
        if tp.items.is_empty() {
            record(spec, src.row, &out);
            return self.convert(src, &out, on_row, None);
        }
        // One canonical row per item with a non-zero amount; every amount is checked first so
        // a row is taken whole or rejected whole.
        let mut amounts = Vec::with_capacity(tp.items.len());
        let mut sum = Decimal::ZERO;
        for it in &tp.items {
            let n = self.number(Kind::Money, self.cell(cells, &it.column)).map_err(|e| (it.column.clone().into(), e))?;
            sum = sum.checked_add(n).ok_or_else(|| (it.column.clone().into(), "the sum is too large".to_string()))?;
            amounts.push(n);
        }
        if let Some(total_col) = &tp.total {
            let total = self.number(Kind::Money, self.cell(cells, total_col)).map_err(|e| (total_col.clone().into(), e))?;
            if total != sum {
                let names: Vec<&str> = tp.items.iter().map(|i| i.column.as_str()).collect();
                return Err((total_col.clone().into(), format!("{total} is not the sum of {} ({sum})", names.join(" + "))));
            }
        }
        let (ia, ic, id) = (pos("amount"), pos("category"), pos("description"));
        for (it, amount) in tp.items.iter().zip(amounts) {
            if amount.is_zero() {
                continue;
            }
            let mut row = out.clone();
            if let Some(i) = ia {
                row[i] = OwnedCell::Text(amount.to_string());
            }
            if let Some(i) = ic {
                row[i] = OwnedCell::Text(it.category.clone());
            }
            if let (Some(i), Some(d)) = (id, &it.description) {
                row[i] = OwnedCell::Text(d.clone());
            }
            record(spec, src.row, &row);
            self.convert(src, &row, on_row, Some(&it.column))?;
        }
        Ok(())
    }

    fn convert(&self, src: &SourceRef, out: &[OwnedCell], on_row: &mut OnRow<'_>, item: Option<&str>) -> Result<(), RowError> {
        let cells: Vec<Cell<'_>> = out.iter().map(OwnedCell::as_cell).collect();
        on_row(src, &cells).map_err(|(col, reason)| {
            let shown = match (item, col.as_ref()) {
                (Some(c), "amount") => c.to_string(),
                (_, c) => self.label(c),
            };
            (shown.into(), reason)
        })
    }
}

fn owned(c: Cell<'_>) -> OwnedCell {
    match c {
        Cell::Empty => OwnedCell::Empty,
        Cell::Text(s) => OwnedCell::Text(s.to_string()),
        Cell::Number(n) => OwnedCell::Number(n),
        Cell::DateTime(d) => OwnedCell::DateTime(d),
        Cell::Bool(b) => OwnedCell::Bool(b),
        Cell::Error(e) => OwnedCell::Error(e.to_string()),
    }
}

/// `1.234,56` to `1234.56`.
fn decimal_comma(s: &str) -> String {
    s.chars().filter(|c| *c != '.' && *c != ' ' && *c != '\u{a0}').map(|c| if c == ',' { '.' } else { c }).collect()
}

/// The date or time of a date-time value, or the start or end of a range (`09/22/26 - 10/21/26`).
fn part(v: OwnedCell, p: Part) -> OwnedCell {
    match (v, p) {
        (OwnedCell::DateTime(d), Part::Date) => OwnedCell::Text(d.date().to_string()),
        (OwnedCell::DateTime(d), Part::Time) => {
            OwnedCell::Text(format!("{:02}:{:02}:{:02}", d.time().hour(), d.time().minute(), d.time().second()))
        }
        (OwnedCell::Text(t), Part::Date | Part::Time) => {
            let t = t.trim();
            let (date, time) = match t.find([' ', 'T']) {
                Some(i) => (&t[..i], t[i + 1..].trim()),
                None => (t, ""),
            };
            OwnedCell::Text(if p == Part::Date { date } else { time }.to_string())
        }
        (OwnedCell::Text(t), Part::Start | Part::End) => match value::split_range(&t) {
            Some((a, b)) => OwnedCell::Text(if p == Part::Start { a } else { b }.to_string()),
            None => OwnedCell::Text(String::new()),
        },
        (other, _) => other,
    }
}

/// A summary printed as one row of named columns (`layout = "wide"`): the first data row gives
/// the fields; `total` fields add a column over every data row.
fn read_wide(
    file: &FileRef,
    tp: &TableProfile,
    columns: &Columns<'_>,
    mapper: Mapper<'_>,
    on_row: &mut OnRow<'_>,
) -> Result<(InputReport, Vec<Rejection>), ParseError> {
    let mut wide = Wide {
        totals_used: tp.fields.values().any(|f| matches!(f.source, Source::Total(_))),
        tp,
        mapper,
        first: None,
        totals: BTreeMap::new(),
        sums: FooterSums::default(),
    };
    let (mut report, mut rejections) = source::read_rows(file, columns, &tp.layout, &mut wide)?;
    let Wide { first, totals, mapper, .. } = wide;
    let Some((src, cells)) = first else {
        let shown = match &report.sheet {
            Some(s) => format!("{}:{s}", file.name),
            None => file.name.clone(),
        };
        return Err(ParseError::Invalid { file: shown, reason: "the summary has no data row".into() });
    };
    let cells: Vec<Cell<'_>> = cells.iter().map(OwnedCell::as_cell).collect();
    let mut bad = false;
    let mut canonical = Vec::new();
    for (f, fs) in &tp.fields {
        let v = match &fs.source {
            Source::Total(_) => Ok(OwnedCell::Text(totals.get(f).copied().unwrap_or_default().to_string())),
            _ => mapper.field(f, fs, &cells),
        };
        let outcome = v.and_then(|v| {
            canonical.push(vec![OwnedCell::Text((*f).to_string()), v.clone()]);
            on_row(&src, &[Cell::Text(f), v.as_cell()]).map_err(|(_, reason)| reason)
        });
        if let Err(reason) = outcome {
            rejections.push(Rejection { source: src.clone(), column: mapper.label(f), reason });
            bad = true;
        }
    }
    for row in &canonical {
        record(&crate::tables::SUMMARY, src.row, row);
    }
    if bad && report.accepted > 0 {
        report.accepted -= 1;
        report.rejected += 1;
    }
    rejections.sort_by_key(|r| r.source.row);
    Ok((report, rejections))
}

/// Reading a wide summary: the first data row kept, totals added over every row.
struct Wide<'t, 'm> {
    tp: &'t TableProfile,
    mapper: Mapper<'m>,
    totals_used: bool,
    first: Option<(SourceRef, Vec<OwnedCell>)>,
    totals: BTreeMap<&'static str, Decimal>,
    sums: FooterSums,
}

impl Wide<'_, '_> {
    fn data(&mut self, src: &SourceRef, cells: &[Cell<'_>]) -> Result<Taken, RowError> {
        self.sums.add(&self.mapper, cells);
        if let Some(reason) = self.mapper.skip_reason(cells) {
            return Ok(Taken::Skipped(reason));
        }
        if self.first.is_some() && !self.totals_used {
            return Err((
                WHOLE_ROW.into(),
                "a wide summary is one invoice, and this is a second data row: give each invoice its own [[invoice]]".into(),
            ));
        }
        for (f, fs) in &self.tp.fields {
            if let Source::Total(c) = &fs.source {
                let n = self.mapper.number(kind_of(f), self.mapper.cell(cells, c)).map_err(|e| (c.clone().into(), e))?;
                let t = self.totals.entry(f).or_default();
                *t = t.checked_add(n).ok_or_else(|| (c.clone().into(), "the total is too large".to_string()))?;
            }
        }
        if self.first.is_none() {
            self.first = Some((src.clone(), cells.iter().map(|c| owned(*c)).collect()));
        }
        Ok(Taken::Accepted)
    }
}

impl RowSink for Wide<'_, '_> {
    fn row(&mut self, tally: &mut Tally, line: Line<'_, '_>) {
        match line.counted(tally) {
            Some(Kept::Data { row, cells }) => {
                let cells = self.mapper.nulled(cells);
                if is_blank(&cells) {
                    return tally.blank(1);
                }
                let src = tally.source(row);
                let outcome = self.data(&src, &cells);
                tally.outcome(row, outcome);
            }
            Some(Kept::Footer { row, cells }) => {
                let cells = self.mapper.nulled(cells);
                let outcome = self.sums.check(&self.mapper, &cells).map(|()| Taken::Accepted);
                tally.footer(row, outcome);
            }
            None => {}
        }
    }
}
