//! The profile file: its TOML shape, and its compilation into checked mappings.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use regex::Regex;
use serde::Deserialize;

use billrecon_model::{normalize_word, ChargeCategory, LineStatus, UsageType};

use crate::error::ParseError;
use crate::table::{Encoding, Layout, TableSpec};
use crate::tables;

/// The profiles shipped inside the binary: name and TOML text.
pub const BUILTIN: &[(&str, &str)] = &[
    ("verizon-rdd", include_str!("../../profiles/verizon-rdd.toml")),
    ("att-premier", include_str!("../../profiles/att-premier.toml")),
    ("att-raw-data", include_str!("../../profiles/att-raw-data.toml")),
    ("fleet", include_str!("../../profiles/fleet.toml")),
    ("desk-calls", include_str!("../../profiles/desk-calls.toml")),
    ("card-report", include_str!("../../profiles/card-report.toml")),
];

/// The built-in profile of that name, as TOML text.
pub fn builtin_text(name: &str) -> Option<&'static str> {
    BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// A compiled profile.
#[derive(Debug)]
pub struct Profile {
    pub name: String,
    pub description: String,
    /// Where it came from: a built-in name or the file's path as the user wrote it.
    pub origin: String,
    tables: BTreeMap<&'static str, TableProfile>,
    /// The TOML it was compiled from.
    text: String,
}

impl Profile {
    /// A built-in name, or a path (relative to `base`) to a profile TOML file.
    pub fn resolve(name: &str, base: &Path) -> Result<Profile, ParseError> {
        if let Some(text) = builtin_text(name) {
            return Profile::parse(text, name);
        }
        let path = base.join(name);
        let looks_like_file = name.ends_with(".toml") || name.contains('/') || name.contains('\\');
        if !looks_like_file || !path.exists() {
            let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
            return Err(ParseError::Profile {
                origin: name.to_string(),
                reason: format!("not a built-in profile ({}) nor a profile file", names.join(", ")),
            });
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| ParseError::Open { file: name.to_string(), reason: crate::error::io_reason(&e) })?;
        Profile::parse(&text, name)
    }

    /// Compiles profile TOML; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Profile, ParseError> {
        compile(text, origin)
    }

    /// The same profile with `[section] fields.field` read from `column` instead (a fleet
    /// list whose account code is in a column of the agency's own naming).
    pub fn with_column(&self, section: &str, field: &str, column: &str) -> Result<Profile, ParseError> {
        let err = |reason: String| ParseError::Profile { origin: self.origin.clone(), reason };
        let mut doc: toml::Table = self.text.parse().map_err(|e: toml::de::Error| err(e.to_string()))?;
        let Some(toml::Value::Table(t)) = doc.get_mut(section) else {
            return Err(err(format!("has no [{section}] section")));
        };
        let fields = t.entry("fields").or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if let toml::Value::Table(f) = fields {
            f.insert(field.to_string(), toml::Value::String(column.to_string()));
        }
        let origin = format!("{} ({section}.{field} = \"{column}\")", self.origin);
        let mut p = compile(&doc.to_string(), &origin)?;
        p.name = self.name.clone();
        Ok(p)
    }

    /// The columns `[section]`'s header must hold (and may hold), and its layout: what a
    /// survey of a folder looks for.
    pub(crate) fn header(&self, section: &str) -> Option<(crate::table::Columns<'_>, &Layout)> {
        let tp = self.tables.get(section)?;
        let kind = tables::by_section(section).map_or("table", |s| s.kind);
        let columns = crate::table::Columns {
            kind,
            required: tp.required.iter().map(String::as_str).collect(),
            optional: tp.optional.iter().map(String::as_str).collect(),
        };
        Some((columns, &tp.layout))
    }

    /// Whether `[section]`'s rows each cover the whole period (a fleet list).
    pub fn covers_period(&self, section: &str) -> bool {
        self.tables.get(section).is_some_and(|t| t.covers_period)
    }

    /// The canonical tables this profile maps, by section name (`summary`, `charges`, ...).
    pub fn sections(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.tables.keys().copied()
    }

    pub(crate) fn table(&self, section: &str) -> Option<&TableProfile> {
        self.tables.get(section)
    }

    /// The file name stems the profile's tables come in (`AccountSummary`, ...): what a carrier
    /// download holds.
    pub fn files(&self) -> Vec<&str> {
        // In the order the profile's tables are documented (summary, charges, lines, usage, ...),
        // each once (allowances are read from the charges detail).
        let mut out: Vec<&str> = Vec::new();
        for f in crate::tables::ALL.iter().filter_map(|spec| self.tables.get(spec.section)).filter_map(|t| t.file.as_deref()) {
            if !out.iter().any(|g| normalize_word(g) == normalize_word(f)) {
                out.push(f);
            }
        }
        out
    }

    /// The section whose file a file name is (`AccountSummary_202401.txt` is the `summary`).
    pub fn section_of_file(&self, name: &str) -> Option<&'static str> {
        let stem = normalize_word(crate::source::archive::stem_and_month(name).0);
        // The first in documented order: a charges detail is `charges` before `allowances`.
        crate::tables::ALL
            .iter()
            .filter_map(|spec| self.tables.get_key_value(spec.section))
            .find(|(_, t)| t.file.as_deref().is_some_and(|f| normalize_word(f) == stem))
            .map(|(s, _)| *s)
    }
}

/// A shared profile on an input; two are equal when they come from the same place.
#[derive(Clone)]
pub struct ProfileRef(pub Arc<Profile>);

impl PartialEq for ProfileRef {
    fn eq(&self, other: &Self) -> bool {
        self.0.origin == other.0.origin
    }
}

impl Eq for ProfileRef {}

impl fmt::Debug for ProfileRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "profile {}", self.0.origin)
    }
}

impl std::ops::Deref for ProfileRef {
    type Target = Profile;
    fn deref(&self) -> &Profile {
        &self.0
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    format: RawFormat,
    summary: Option<RawTable>,
    charges: Option<RawTable>,
    usage: Option<RawTable>,
    inventory: Option<RawTable>,
    employees: Option<RawTable>,
    plans: Option<RawTable>,
    attestations: Option<RawTable>,
    lines: Option<RawTable>,
    allowances: Option<RawTable>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFormat {
    delimiter: Option<String>,
    quote: Option<String>,
    encoding: Option<String>,
    decimal_comma: Option<bool>,
    date_formats: Option<Vec<String>>,
    skip_rows: Option<u32>,
    sheet: Option<String>,
    empty: Option<Vec<String>>,
}

impl RawFormat {
    /// `self` with every key `over` sets replaced.
    fn with(&self, over: &RawFormat) -> RawFormat {
        RawFormat {
            delimiter: over.delimiter.clone().or_else(|| self.delimiter.clone()),
            quote: over.quote.clone().or_else(|| self.quote.clone()),
            encoding: over.encoding.clone().or_else(|| self.encoding.clone()),
            decimal_comma: over.decimal_comma.or(self.decimal_comma),
            date_formats: over.date_formats.clone().or_else(|| self.date_formats.clone()),
            skip_rows: over.skip_rows.or(self.skip_rows),
            sheet: over.sheet.clone().or_else(|| self.sheet.clone()),
            empty: over.empty.clone().or_else(|| self.empty.clone()),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    /// The file's name without its extension and `_YYYYMM` (`AccountSummary`).
    file: Option<String>,
    #[serde(default)]
    format: RawFormat,
    layout: Option<String>,
    #[serde(default)]
    fields: BTreeMap<String, toml::Value>,
    #[serde(default)]
    map: BTreeMap<String, Vec<RawRule>>,
    #[serde(default)]
    items: Vec<RawItem>,
    total: Option<String>,
    footer: Option<RawFooter>,
    #[serde(default)]
    skip: Vec<RawSkip>,
    /// `period`: the rows carry no dates and each covers the whole period (a fleet list).
    covers: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    #[serde(default)]
    when: BTreeMap<String, String>,
    to: Option<String>,
    from: Option<String>,
    divide: Option<toml::Value>,
    #[serde(default)]
    negate: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSkip {
    #[serde(default)]
    when: BTreeMap<String, String>,
    reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    column: String,
    category: String,
    description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFooter {
    pattern: String,
    check: Option<String>,
}

/// Where a canonical field's value comes from.
#[derive(Debug, Clone)]
pub(crate) enum Source {
    Column(String),
    Constant(String),
    /// Numbers: the sum of `add` minus the sum of `sub` (empty cells are 0).
    Sum {
        add: Vec<String>,
        sub: Vec<String>,
    },
    /// Text: the non-empty values joined with `sep`.
    Join {
        cols: Vec<String>,
        sep: String,
    },
    /// Wide summaries only: a column summed over every data row.
    Total(String),
    /// The first of these columns that is not empty.
    First(Vec<String>),
}

/// A piece of a cell: the date or time of a date-time, the start or end of a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    Date,
    Time,
    Start,
    End,
}

#[derive(Debug, Clone)]
pub(crate) struct FieldSpec {
    pub source: Source,
    pub negate: bool,
    /// Values that mean "empty" (`N/A`), matched ignoring case.
    pub empty: Vec<String>,
    pub part: Option<Part>,
    pub date_format: Option<String>,
    /// Dates printed without a year (`01/05`, `Dec 16`) take it from this column's date, the
    /// bill cycle's closing date.
    pub year_from: Option<String>,
    /// Amounts and quantities: divided by this (KB to MB: 1024).
    pub divide: Option<rust_decimal::Decimal>,
    /// Text: the part of the value the pattern's first group (or whole match) captures.
    pub pattern: Option<Regex>,
}

impl FieldSpec {
    /// The source columns, as a rejection names them.
    pub fn label(&self, canonical: &str) -> String {
        match &self.source {
            Source::Column(c) | Source::Total(c) => c.clone(),
            Source::Constant(_) => format!("{canonical} (constant)"),
            Source::Sum { add, sub } => {
                let mut s = add.join(" + ");
                for c in sub {
                    s.push_str(" - ");
                    s.push_str(c);
                }
                s
            }
            Source::Join { cols, .. } => cols.join(" & "),
            Source::First(cols) => cols.join(" or "),
        }
    }

    /// The columns the header must hold.
    fn columns(&self) -> Vec<&str> {
        let mut out: Vec<&str> = match &self.source {
            Source::Column(c) | Source::Total(c) => vec![c.as_str()],
            Source::Constant(_) | Source::First(_) => vec![],
            Source::Sum { add, sub } => add.iter().chain(sub).map(String::as_str).collect(),
            Source::Join { cols, .. } => cols.iter().map(String::as_str).collect(),
        };
        out.extend(self.year_from.as_deref());
        out
    }

    /// The columns the header may hold: a `first` list's (a file may have any of them).
    fn optional_columns(&self) -> Vec<&str> {
        match &self.source {
            Source::First(cols) => cols.iter().map(String::as_str).collect(),
            _ => vec![],
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Matcher {
    /// Equal ignoring case and surrounding spaces.
    Eq(String),
    Regex(Regex),
}

impl Matcher {
    pub fn matches(&self, value: &str) -> bool {
        match self {
            Matcher::Eq(want) => normalize_word(value) == *want,
            Matcher::Regex(r) => r.is_match(value.trim()),
        }
    }
}

/// What a value-map rule gives its field.
#[derive(Debug, Clone)]
pub(crate) enum Give {
    /// This value (a category, a type, a skip's reason).
    To(String),
    /// The value of this column of the row, divided by `divide` if given.
    From { column: String, divide: Option<rust_decimal::Decimal> },
}

#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub when: Vec<(String, Matcher)>,
    pub give: Give,
    pub negate: bool,
}

/// A value mapping for one canonical field: its rules (first match wins) and the columns they read.
#[derive(Debug, Clone)]
pub(crate) struct ValueMap {
    pub rules: Vec<Rule>,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub column: String,
    pub category: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Footer {
    pub check: Option<String>,
}

/// One canonical table as a profile maps it.
#[derive(Debug, Clone)]
pub(crate) struct TableProfile {
    pub section: &'static str,
    /// The file's name stem, as the carrier names it (`AccountSummary`).
    pub file: Option<String>,
    /// Values that mean "empty" in every column (`NA`), compared ignoring case and spaces.
    pub nulls: Vec<String>,
    /// Rows that are not records of the table: the first rule that matches gives the reason.
    pub skips: Option<ValueMap>,
    pub layout: Layout,
    pub decimal_comma: bool,
    pub date_formats: Vec<String>,
    /// A summary printed as one row with named columns.
    pub wide: bool,
    pub fields: BTreeMap<&'static str, FieldSpec>,
    pub maps: BTreeMap<&'static str, ValueMap>,
    pub items: Vec<Item>,
    /// Charges with items: the column the items must add up to.
    pub total: Option<String>,
    pub footer: Option<Footer>,
    /// Source columns the header must hold, then those it may hold.
    pub required: Vec<String>,
    pub optional: Vec<String>,
    /// Inventory rows with no dates, each covering the whole period (`covers = "period"`).
    pub covers_period: bool,
}

/// What kind of value a canonical field holds (for date formats, decimal commas and signs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Date,
    Time,
    Money,
    Quantity,
    Text,
}

pub(crate) fn kind_of(field: &str) -> Kind {
    match field {
        "date" | "start_date" | "end_date" | "termination_date" | "invoice_date" | "period_start" | "period_end" | "due_date" => {
            Kind::Date
        }
        "time" => Kind::Time,
        "amount" | "charge" | "monthly_rate" | "previous_balance" | "payments" | "adjustments" | "current_charges"
        | "total_due" | "total" => Kind::Money,
        "quantity" | "voice_minutes" | "messages" | "data_mb" | "data" | "used" => Kind::Quantity,
        _ => Kind::Text,
    }
}

/// The money field a `negate` rule flips, per table.
pub(crate) fn signed_field(section: &str) -> Option<&'static str> {
    match section {
        "charges" => Some("amount"),
        "usage" => Some("charge"),
        _ => None,
    }
}

fn compile(text: &str, origin: &str) -> Result<Profile, ParseError> {
    let err = |reason: String| ParseError::Profile { origin: origin.to_string(), reason };
    let raw: RawProfile = toml::from_str(text).map_err(|e| err(crate::error::toml_reason(&e, text)))?;
    let mut tables = BTreeMap::new();
    let sections = [
        (tables::SUMMARY, raw.summary),
        (tables::CHARGES, raw.charges),
        (tables::LINES, raw.lines),
        (tables::ALLOWANCES, raw.allowances),
        (tables::USAGE, raw.usage),
        (tables::INVENTORY, raw.inventory),
        (tables::EMPLOYEES, raw.employees),
        (tables::PLANS, raw.plans),
        (tables::ATTESTATIONS, raw.attestations),
    ];
    for (spec, t) in sections {
        if let Some(t) = t {
            let tp = compile_table(spec, &raw.format, t).map_err(&err)?;
            tables.insert(spec.section, tp);
        }
    }
    if tables.is_empty() {
        return Err(err("maps no table: add a [summary], [charges], [usage] (or other table) section".into()));
    }
    let mut files: Vec<(&str, &str)> = Vec::new();
    for (section, t) in &tables {
        if let Some(f) = &t.file {
            // Allowances are the usage summary rows of a file another section reads.
            let shares = |a: &str, b: &str| a == "allowances" || b == "allowances";
            if let Some((other, _)) = files.iter().find(|(o, g)| normalize_word(g) == normalize_word(f) && !shares(o, section)) {
                return Err(err(format!("[{section}] file: `{f}` is already the file of [{other}]")));
            }
            files.push((section, f));
        }
    }
    Ok(Profile { name: raw.name, description: raw.description, origin: origin.to_string(), tables, text: text.to_string() })
}

fn delimiter(s: &str) -> Result<u8, String> {
    match s {
        "comma" | "," => Ok(b','),
        "tab" | "\t" => Ok(b'\t'),
        "pipe" | "|" => Ok(b'|'),
        "semicolon" | ";" => Ok(b';'),
        other if other.len() == 1 && other.is_ascii() => Ok(other.as_bytes()[0]),
        other => Err(format!("format.delimiter: `{other}` is not one of: comma, tab, pipe, semicolon, or a single character")),
    }
}

fn layout(section: &str, f: &RawFormat) -> Result<(Layout, bool, Vec<String>), String> {
    let mut l = Layout::default();
    if let Some(d) = &f.delimiter {
        l.delimiter = delimiter(d).map_err(|e| format!("[{section}] {e}"))?;
    }
    if let Some(q) = &f.quote {
        l.quote = match q.as_str() {
            "" | "none" => None,
            q if q.len() == 1 && q.is_ascii() => Some(q.as_bytes()[0]),
            q => return Err(format!("[{section}] format.quote: `{q}` is not a single character or \"none\"")),
        };
    }
    if let Some(e) = &f.encoding {
        l.encoding = match normalize_word(e).replace(['-', ' '], "").as_str() {
            "utf8" => Encoding::Utf8,
            "windows1252" | "cp1252" | "latin1" => Encoding::Windows1252,
            _ => return Err(format!("[{section}] format.encoding: `{e}` is not one of: utf-8, windows-1252")),
        };
    }
    l.skip_rows = f.skip_rows.unwrap_or(0);
    l.sheet = f.sheet.clone();
    let formats = f.date_formats.clone().unwrap_or_default();
    for fmt in &formats {
        // A format chrono cannot use fails every value: catch it here, once.
        if chrono::format::StrftimeItems::new(fmt).any(|i| matches!(i, chrono::format::Item::Error)) {
            return Err(format!("[{section}] format.date_formats: `{fmt}` is not a valid date format"));
        }
    }
    Ok((l, f.decimal_comma.unwrap_or(false), formats))
}

fn field_spec(section: &str, field: &str, v: &toml::Value) -> Result<FieldSpec, String> {
    let at = format!("[{section}] fields.{field}");
    let t = match v {
        toml::Value::String(s) => {
            return Ok(FieldSpec {
                source: Source::Column(s.clone()),
                negate: false,
                empty: vec![],
                part: None,
                date_format: None,
                year_from: None,
                divide: None,
                pattern: None,
            })
        }
        toml::Value::Table(t) => t,
        _ => return Err(format!("{at}: expected a column name or a table such as {{ column = \"...\" }}")),
    };
    const KEYS: &[&str] = &[
        "column",
        "constant",
        "sum",
        "subtract",
        "join",
        "separator",
        "total",
        "first",
        "negate",
        "empty",
        "part",
        "date_format",
        "year_from",
        "divide",
        "pattern",
    ];
    for k in t.keys() {
        if !KEYS.contains(&k.as_str()) {
            return Err(format!("{at}: unknown key `{k}`, expected one of {}", KEYS.join(", ")));
        }
    }
    let string = |k: &str| -> Result<Option<String>, String> {
        match t.get(k) {
            None => Ok(None),
            Some(toml::Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(format!("{at}.{k}: expected a string")),
        }
    };
    let list = |k: &str| -> Result<Option<Vec<String>>, String> {
        match t.get(k) {
            None => Ok(None),
            Some(toml::Value::String(s)) => Ok(Some(vec![s.clone()])),
            Some(toml::Value::Array(a)) => a
                .iter()
                .map(|x| x.as_str().map(str::to_string).ok_or_else(|| format!("{at}.{k}: expected a list of strings")))
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(_) => Err(format!("{at}.{k}: expected a list of strings")),
        }
    };
    let mut sources = Vec::new();
    if let Some(c) = string("column")? {
        sources.push(Source::Column(c));
    }
    if let Some(c) = string("constant")? {
        sources.push(Source::Constant(c));
    }
    if let Some(add) = list("sum")? {
        sources.push(Source::Sum { add, sub: list("subtract")?.unwrap_or_default() });
    } else if t.contains_key("subtract") {
        sources.push(Source::Sum { add: vec![], sub: list("subtract")?.unwrap_or_default() });
    }
    if let Some(cols) = list("join")? {
        sources.push(Source::Join { cols, sep: string("separator")?.unwrap_or_else(|| " ".into()) });
    }
    if let Some(c) = string("total")? {
        sources.push(Source::Total(c));
    }
    if let Some(cols) = list("first")? {
        sources.push(Source::First(cols));
    }
    let source = match sources.len() {
        1 => sources.pop().unwrap_or(Source::Constant(String::new())),
        0 => return Err(format!("{at}: give one of column, constant, sum, join, total, first")),
        _ => return Err(format!("{at}: give only one of column, constant, sum, join, total, first")),
    };
    let negate = match t.get("negate") {
        None => false,
        Some(toml::Value::Boolean(b)) => *b,
        Some(_) => return Err(format!("{at}.negate: expected true or false")),
    };
    let part = match string("part")?.as_deref() {
        None => None,
        Some("date") => Some(Part::Date),
        Some("time") => Some(Part::Time),
        Some("start") => Some(Part::Start),
        Some("end") => Some(Part::End),
        Some(p) => return Err(format!("{at}.part: `{p}` is not one of: date, time, start, end")),
    };
    let kind = kind_of(field);
    if (negate || matches!(source, Source::Sum { .. } | Source::Total(_))) && !matches!(kind, Kind::Money | Kind::Quantity) {
        return Err(format!("{at}: sum, subtract, total and negate apply to amounts and quantities, not to `{field}`"));
    }
    let date_format = string("date_format")?;
    let year_from = string("year_from")?;
    if year_from.is_some() && kind != Kind::Date {
        return Err(format!("{at}.year_from: applies to dates, not to `{field}`"));
    }
    let divide = match t.get("divide") {
        None => None,
        Some(v) => Some(divisor(&format!("{at}.divide"), v)?),
    };
    if divide.is_some() && !matches!(kind, Kind::Money | Kind::Quantity) {
        return Err(format!("{at}.divide: applies to amounts and quantities, not to `{field}`"));
    }
    let pattern = match string("pattern")? {
        None => None,
        Some(p) => Some(
            Regex::new(&p).map_err(|e| format!("{at}.pattern: `{p}` is not a valid pattern: {}", last_line(&e.to_string())))?,
        ),
    };
    Ok(FieldSpec { source, negate, empty: list("empty")?.unwrap_or_default(), part, date_format, year_from, divide, pattern })
}

/// A positive number to divide by (`1024`, `"1000"`).
fn divisor(at: &str, v: &toml::Value) -> Result<rust_decimal::Decimal, String> {
    let d = match v {
        toml::Value::Integer(i) => Some(rust_decimal::Decimal::from(*i)),
        toml::Value::String(s) => s.parse::<rust_decimal::Decimal>().ok(),
        _ => None,
    };
    match d {
        Some(d) if d > rust_decimal::Decimal::ZERO => Ok(d),
        _ => Err(format!("{at}: expected a positive number")),
    }
}

/// Checks a mapped value against what the canonical field accepts.
fn check_value(section: &str, field: &str, v: &str) -> Result<(), String> {
    let r = match (section, field) {
        ("charges", "category") => v.parse::<ChargeCategory>().map(|_| ()),
        ("usage", "type") | ("allowances", "pool") => v.parse::<UsageType>().map(|_| ()),
        ("allowances", "unit") => match normalize_word(v).as_str() {
            "minutes" | "min" | "messages" | "msg" | "mb" | "gb" | "kb" => Ok(()),
            _ => Err(format!("`{v}` is not one of: minutes, messages, MB, GB, KB")),
        },
        ("inventory", "status") => v.parse::<LineStatus>().map(|_| ()),
        ("summary", "field") => {
            if tables::SUMMARY_FIELDS.iter().any(|f| normalize_word(f) == normalize_word(v)) {
                Ok(())
            } else {
                Err(format!("`{v}` is not one of: {}", tables::SUMMARY_FIELDS.join(", ")))
            }
        }
        _ => Ok(()),
    };
    r.map_err(|e| format!("[{section}] map.{field}: {e}"))
}

fn matcher(at: &str, pattern: &str) -> Result<Matcher, String> {
    match pattern.strip_prefix('~') {
        Some(re) => Regex::new(re)
            .map(Matcher::Regex)
            .map_err(|e| format!("{at}: `{re}` is not a valid pattern: {}", last_line(&e.to_string()))),
        None => Ok(Matcher::Eq(normalize_word(pattern))),
    }
}

/// The last line of a multi-line message (regex puts the reason there).
fn last_line(s: &str) -> String {
    s.lines().last().unwrap_or(s).trim().to_string()
}

/// `when` conditions, and the columns they read (added to `columns`).
fn conditions(at: &str, when: &BTreeMap<String, String>, columns: &mut Vec<String>) -> Result<Vec<(String, Matcher)>, String> {
    let mut out = Vec::new();
    for (col, pat) in when {
        out.push((col.clone(), matcher(at, pat)?));
        if !columns.contains(col) {
            columns.push(col.clone());
        }
    }
    Ok(out)
}

fn compile_table(spec: TableSpec, base: &RawFormat, t: RawTable) -> Result<TableProfile, String> {
    let section = spec.section;
    let format = base.with(&t.format);
    let (layout, decimal_comma, date_formats) = layout(section, &format)?;
    let nulls: Vec<String> = format.empty.clone().unwrap_or_default().iter().map(|e| normalize_word(e)).collect();
    let mut layout = layout;
    let wide = match (section, t.layout.as_deref()) {
        (_, None) => false,
        ("summary", Some("wide")) => true,
        ("summary", Some("rows")) => false,
        ("summary", Some(other)) => return Err(format!("[summary] layout: `{other}` is not one of: wide, rows")),
        (_, Some(_)) => return Err(format!("[{section}] layout: only a [summary] has a layout (wide or rows)")),
    };
    // The canonical fields this section may map.
    let allowed: Vec<&'static str> = if wide { tables::SUMMARY_FIELDS.to_vec() } else { spec.columns().collect() };
    let mut fields = BTreeMap::new();
    for (name, v) in &t.fields {
        let Some(field) = allowed.iter().find(|f| normalize_word(f) == normalize_word(name)).copied() else {
            return Err(format!(
                "[{section}] fields: `{name}` is not a {} field (expected one of: {})",
                spec.kind,
                allowed.join(", ")
            ));
        };
        let fs = field_spec(section, field, v)?;
        if matches!(fs.source, Source::Total(_)) && !wide {
            return Err(format!("[{section}] fields.{field}: `total` is for a wide summary (layout = \"wide\")"));
        }
        fields.insert(field, fs);
    }
    let mut maps = BTreeMap::new();
    for (name, rules) in &t.map {
        let Some(field) = allowed.iter().find(|f| normalize_word(f) == normalize_word(name)).copied() else {
            return Err(format!(
                "[{section}] map: `{name}` is not a {} field (expected one of: {})",
                spec.kind,
                allowed.join(", ")
            ));
        };
        if fields.contains_key(field) {
            return Err(format!("[{section}] `{field}` has both fields.{field} and map.{field}: keep one"));
        }
        let at = format!("[{section}] map.{field}");
        let mut columns: Vec<String> = Vec::new();
        let mut compiled = Vec::new();
        for r in rules {
            let give = match (&r.to, &r.from) {
                (Some(to), None) => {
                    check_value(section, field, to)?;
                    Give::To(to.clone())
                }
                (None, Some(column)) => {
                    let divide = r.divide.as_ref().map(|v| divisor(&format!("{at}.divide"), v)).transpose()?;
                    if divide.is_some() && !matches!(kind_of(field), Kind::Money | Kind::Quantity) {
                        return Err(format!("{at}: divide applies to amounts and quantities, not to `{field}`"));
                    }
                    Give::From { column: column.clone(), divide }
                }
                _ => return Err(format!("{at}: give a rule either `to` (a value) or `from` (a column)")),
            };
            if r.divide.is_some() && r.from.is_none() {
                return Err(format!("{at}: divide goes with `from`"));
            }
            if r.negate && signed_field(section).is_none() {
                return Err(format!("{at}: negate applies to charges and usage only"));
            }
            let when = conditions(&at, &r.when, &mut columns)?;
            compiled.push(Rule { when, give, negate: r.negate });
        }
        if compiled.is_empty() {
            return Err(format!("[{section}] map.{field}: no rules"));
        }
        maps.insert(field, ValueMap { rules: compiled, columns });
    }
    let mut items = Vec::new();
    for it in &t.items {
        if section != "charges" {
            return Err(format!("[{section}] items: only [charges] can split a row into items"));
        }
        check_value(section, "category", &it.category)?;
        items.push(Item { column: it.column.clone(), category: it.category.clone(), description: it.description.clone() });
    }
    if !items.is_empty() {
        for f in ["amount", "category"] {
            if fields.contains_key(f) || maps.contains_key(f) {
                return Err(format!("[charges] `{f}` comes from the items: remove fields.{f} / map.{f}"));
            }
        }
    }
    if t.total.is_some() && items.is_empty() {
        return Err(format!("[{section}] total: checks the items of a row; there are no [[{section}.items]]"));
    }
    let covers_period = match (section, t.covers.as_deref()) {
        (_, None) => false,
        ("inventory", Some("period")) => true,
        ("inventory", Some(other)) => return Err(format!("[inventory] covers: `{other}` is not one of: period")),
        (_, Some(_)) => return Err(format!("[{section}] covers: only an [inventory] can cover the whole period")),
    };
    // Every required canonical field must come from somewhere (a list covering the period
    // needs no start date).
    let mut required: Vec<&str> = if wide { tables::SUMMARY_REQUIRED.to_vec() } else { spec.required.to_vec() };
    if covers_period {
        required.retain(|f| *f != "start_date");
    }
    let from_items = |f: &str| !items.is_empty() && matches!(f, "amount" | "category");
    let missing: Vec<&str> =
        required.iter().filter(|f| !fields.contains_key(*f) && !maps.contains_key(*f) && !from_items(f)).copied().collect();
    if !missing.is_empty() {
        return Err(format!(
            "[{section}] maps no {} (required): add fields.{} = \"<column>\"",
            missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", "),
            missing[0]
        ));
    }
    let footer = match &t.footer {
        None => None,
        Some(f) => {
            let re = Regex::new(&f.pattern).map_err(|e| {
                format!("[{section}] footer.pattern: `{}` is not a valid pattern: {}", f.pattern, last_line(&e.to_string()))
            })?;
            layout.footer = Some(re);
            Some(Footer { check: f.check.clone() })
        }
    };
    // The source columns: every one named is required in the header, except a footer's check.
    let mut req: Vec<String> = Vec::new();
    let add = |c: &str, v: &mut Vec<String>| {
        if !v.iter().any(|x| normalize_word(x) == normalize_word(c)) {
            v.push(c.to_string());
        }
    };
    for fs in fields.values() {
        for c in fs.columns() {
            add(c, &mut req);
        }
    }
    let skips = if t.skip.is_empty() {
        None
    } else {
        let at = format!("[{section}] skip");
        let mut columns = Vec::new();
        let mut rules = Vec::new();
        for r in &t.skip {
            if r.reason.trim().is_empty() {
                return Err(format!("{at}: every skip rule needs a `reason`"));
            }
            if r.when.is_empty() {
                return Err(format!("{at}: a skip rule needs a `when` (it would skip every row)"));
            }
            let when = conditions(&at, &r.when, &mut columns)?;
            rules.push(Rule { when, give: Give::To(r.reason.trim().to_string()), negate: false });
        }
        Some(ValueMap { rules, columns })
    };
    for m in maps.values().chain(skips.iter()) {
        for c in &m.columns {
            add(c, &mut req);
        }
        for r in &m.rules {
            if let Give::From { column, .. } = &r.give {
                add(column, &mut req);
            }
        }
    }
    for it in &items {
        add(&it.column, &mut req);
    }
    if let Some(c) = &t.total {
        add(c, &mut req);
    }
    let mut optional: Vec<String> = Vec::new();
    let maybe = fields.values().flat_map(|f| f.optional_columns()).chain(footer.as_ref().and_then(|f| f.check.as_deref()));
    for c in maybe {
        if !req.iter().chain(optional.iter()).any(|x| normalize_word(x) == normalize_word(c)) {
            optional.push(c.to_string());
        }
    }
    if req.is_empty() {
        return Err(format!("[{section}] names no column of the file"));
    }
    Ok(TableProfile {
        section,
        file: t.file,
        nulls,
        skips,
        layout,
        decimal_comma,
        date_formats,
        wide,
        fields,
        maps,
        items,
        total: t.total,
        footer,
        required: req,
        optional,
        covers_period,
    })
}
