//! Synthetic months: a complete, valid month in billrecon's canonical format, of any size.
//!
//! `generate` writes the manifest, several invoices (summary + charges, account-level charges
//! included), effective-dated inventory with mid-month reassignments, employees, plans,
//! attestations and the usage report, with planted cases of every rule at realistic rates
//! (about 1 in 1,000 usage rows a chargeable directory-assistance call; a few percent of lines
//! over their allowance, unassigned, without usage, or assigned to someone who has left).
//!
//! Everything follows from the seed: each usage row is a pure function of (seed, line, row), so
//! the usage report streams to disk (20 million rows never sit in memory), and the same seed
//! gives the same bytes. No clock, no hash-map order. Money is integer cents throughout.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub lines: u32,
    pub usage_rows: u64,
    pub seed: u64,
    pub style: Style,
    /// The month the bill is for (default October 2026).
    pub period: BillMonth,
    /// The usage report's row order.
    pub order: Order,
}

/// The order of the usage report's rows: the same rows either way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    /// Grouped by line (a line's calls together, in time order), as carriers' downloads list them.
    #[default]
    Line,
    /// In date and time order, every line interleaved, as a database or a billing platform exports
    /// them.
    Date,
}

/// A calendar month: the period a generated bill covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BillMonth {
    pub year: u32,
    pub month: u32,
}

impl Default for BillMonth {
    fn default() -> BillMonth {
        BillMonth { year: 2026, month: 10 }
    }
}

impl BillMonth {
    /// `2026-10`; `None` unless a month of the years 2000 to 2099.
    pub fn parse(s: &str) -> Option<BillMonth> {
        let (y, m) = s.split_once('-')?;
        let (year, month) = (y.parse::<u32>().ok()?, m.parse::<u32>().ok()?);
        ((2000..=2099).contains(&year) && (1..=12).contains(&month) && y.len() == 4 && m.len() == 2)
            .then_some(BillMonth { year, month })
    }

    /// Days in the month.
    pub fn days(self) -> u32 {
        match self.month {
            4 | 6 | 9 | 11 => 30,
            2 if self.year.is_multiple_of(4) => 29,
            2 => 28,
            _ => 31,
        }
    }

    /// When the month's standing assignments began: July 1 of the fiscal year before the
    /// period's (`2025-07-01` for October 2026), so every period has them in force.
    fn assigned_since(self) -> String {
        let fiscal = if self.month >= 7 { self.year } else { self.year - 1 };
        format!("{:04}-07-01", fiscal - 1)
    }

    /// The month after.
    fn next(self) -> BillMonth {
        if self.month == 12 {
            BillMonth { year: self.year + 1, month: 1 }
        } else {
            BillMonth { month: self.month + 1, ..self }
        }
    }

    fn date(self, day: u32) -> String {
        format!("{:04}-{:02}-{day:02}", self.year, self.month)
    }
}

/// How the CSV files are spelled. Both styles hold the same month: reconciling either gives
/// byte-identical outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    /// No quote anywhere, ten-digit phone numbers, plain amounts, LF.
    #[default]
    Plain,
    /// As carriers' and databases' exports are: every text field quoted (an empty one as `""`),
    /// amounts as `$1.99`, phone numbers as `(860) 555-0101`, CRLF line ends.
    Carrier,
}

/// One CSV row being written in a style: fields are added in order, separators between them.
struct Row<'b> {
    buf: &'b mut Vec<u8>,
    style: Style,
    fields: usize,
}

impl<'b> Row<'b> {
    fn new(buf: &'b mut Vec<u8>, style: Style) -> Row<'b> {
        buf.clear();
        Row { buf, style, fields: 0 }
    }

    fn sep(&mut self) {
        if self.fields > 0 {
            self.buf.push(b',');
        }
        self.fields += 1;
    }

    /// A value that is never quoted: a number, a date, a code.
    fn raw(&mut self, s: &str) -> &mut Self {
        self.sep();
        self.buf.extend_from_slice(s.as_bytes());
        self
    }

    /// Text: quoted in the carrier style (an empty value too, as `""`).
    fn text(&mut self, s: &str) -> &mut Self {
        self.sep();
        match self.style {
            Style::Plain => self.buf.extend_from_slice(s.as_bytes()),
            Style::Carrier => {
                self.buf.push(b'"');
                for b in s.bytes() {
                    if b == b'"' {
                        self.buf.push(b'"');
                    }
                    self.buf.push(b);
                }
                self.buf.push(b'"');
            }
        }
        self
    }

    /// A phone number given as its digits (or a short code).
    fn phone(&mut self, digits: &str) -> &mut Self {
        match self.style {
            Style::Plain => self.raw(digits),
            Style::Carrier => {
                let d = digits.as_bytes();
                let s = |r: std::ops::Range<usize>| &digits[r];
                let shown = match d.len() {
                    10 => format!("({}) {}-{}", s(0..3), s(3..6), s(6..10)),
                    11 if d[0] == b'1' => format!("1-{}-{}-{}", s(1..4), s(4..7), s(7..11)),
                    _ => digits.to_string(),
                };
                self.text(&shown)
            }
        }
    }

    /// An amount of money in cents, or empty.
    fn money(&mut self, c: Option<i64>) -> &mut Self {
        match (self.style, c) {
            (Style::Plain, Some(c)) => self.raw(&cents(c)),
            (Style::Plain, None) => self.raw(""),
            (Style::Carrier, Some(c)) if c < 0 => self.text(&format!("-${}", grouped(-c))),
            (Style::Carrier, Some(c)) => self.text(&format!("${}", grouped(c))),
            (Style::Carrier, None) => self.text(""),
        }
    }

    /// Ends the row.
    fn end(&mut self) -> &[u8] {
        if self.style == Style::Carrier {
            self.buf.push(b'\r');
        }
        self.buf.push(b'\n');
        self.buf
    }
}

/// Non-negative cents with thousands separators: `1,234.56`.
fn grouped(c: i64) -> String {
    let units = (c / 100).to_string();
    let mut out = String::new();
    for (i, ch) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    format!("{out}.{:02}", c % 100)
}

/// A header row in the style (quoted names in the carrier style).
fn header(style: Style, names: &[&str]) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut row = Row::new(&mut buf, style);
    for n in names {
        row.text(n);
    }
    row.end().to_vec()
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub invoices: usize,
    pub usage_rows: u64,
    /// File name and size in bytes, in the order written.
    pub files: Vec<(String, u64)>,
    /// Planted cases by rule, for the reader of a benchmark.
    pub planted: Vec<(&'static str, u64)>,
}

/// SplitMix64: a tiny, well-mixed, seedable generator.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A hash of the seed, a purpose tag and up to two indexes.
fn h(seed: u64, tag: u64, a: u64, b: u64) -> u64 {
    mix(mix(mix(seed ^ tag.wrapping_mul(0x1000_0000_01B3)) ^ a) ^ b.wrapping_mul(0x9E37_79B9))
}

const T_KIND: u64 = 1;
const T_PLAN: u64 = 2;
const T_ROW: u64 = 3;
const T_NUM: u64 = 4;
const T_TIME: u64 = 5;
const T_TARGET: u64 = 6;
const T_PROG: u64 = 7;
const T_DATA: u64 = 8;

/// What a line is for the month: most are plain; the rest plant one rule each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Normal,
    /// Assignment ends on day 20: unassigned_line.
    Gap,
    /// Not in the inventory at all: unassigned_line for every day.
    Unknown,
    /// Two assignments: day 1–15 and 16–end, different programs.
    Reassigned,
    /// The employee left on day 10 and still has the line: terminated_employee.
    Terminated,
    /// Status lost / suspended / spare: inactive_line_billed.
    Inactive,
    /// No usage rows: zero_usage.
    Silent,
    /// Voice minutes over the allowance, two attested personal calls: personal_overage.
    Overage,
    /// No authorized_by: missing_authorization.
    Unauthorized,
    /// In the inventory, no charges on any invoice: not_billed.
    Unbilled,
    /// An attested roaming call with its own charge: personal_call_charge.
    PersonalCall,
    /// A feature billed twice: duplicate_charge.
    Duplicate,
    /// A premium content charge: third_party_charge.
    ThirdParty,
}

fn kind(seed: u64, i: u32) -> Kind {
    match h(seed, T_KIND, u64::from(i), 0) % 10_000 {
        0..=99 => Kind::Gap,
        100..=119 => Kind::Unknown,
        120..=319 => Kind::Reassigned,
        320..=369 => Kind::Terminated,
        370..=419 => Kind::Inactive,
        420..=619 => Kind::Silent,
        620..=919 => Kind::Overage,
        920..=1019 => Kind::Unauthorized,
        1020..=1039 => Kind::Unbilled,
        1040..=1059 => Kind::PersonalCall,
        1060..=1069 => Kind::Duplicate,
        1070..=1079 => Kind::ThirdParty,
        _ => Kind::Normal,
    }
}

struct Plan {
    code: &'static str,
    voice: Option<u64>,
    messages: Option<u64>,
    rate_cents: i64,
    name: &'static str,
}

const PLANS: &[Plan] = &[
    Plan { code: "BIZ500", voice: Some(500), messages: Some(1000), rate_cents: 4000, name: "Business Talk 500" },
    Plan { code: "BIZ1000", voice: Some(1000), messages: Some(1000), rate_cents: 5500, name: "Business Talk 1000" },
    Plan { code: "UNL", voice: None, messages: None, rate_cents: 6500, name: "Business Unlimited" },
];

fn plan_of(seed: u64, i: u32, k: Kind) -> &'static Plan {
    if k == Kind::Overage {
        return &PLANS[(h(seed, T_PLAN, u64::from(i), 0) % 2) as usize];
    }
    match h(seed, T_PLAN, u64::from(i), 0) % 10 {
        0..=4 => &PLANS[0],
        5..=7 => &PLANS[1],
        _ => &PLANS[2],
    }
}

const NPAS: [u64; 4] = [860, 959, 203, 475];

/// The line's 10 digits.
fn line_number(i: u32) -> u64 {
    let i = u64::from(i);
    let rest = i / 4;
    NPAS[(i % 4) as usize] * 10_000_000 + (200 + rest / 10_000) * 10_000 + rest % 10_000
}

fn programs(lines: u32) -> u32 {
    (lines / 1_250).clamp(4, 60)
}

fn account_code(p: u32) -> String {
    format!("{:04}-P{:02}", 1000 + p * 10, p)
}

fn program_of(seed: u64, i: u32, lines: u32, second: bool) -> u32 {
    (h(seed, T_PROG, u64::from(i), u64::from(second)) % u64::from(programs(lines))) as u32
}

fn invoices(lines: u32) -> usize {
    (lines / 12_500).clamp(2, 8) as usize
}

/// What one usage row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowKind {
    Voice,
    Text,
    Data,
    /// A voice call to directory assistance that carries a charge.
    Da,
    /// A free directory-assistance call (never flagged).
    FreeDa,
    /// A long-distance call to a near miss of 555-1212 (never flagged).
    NearMiss,
    /// A roaming call with its own charge.
    Roaming,
}

fn row_kind(seed: u64, line: u32, k: u64) -> RowKind {
    let x = h(seed, T_ROW, u64::from(line), k);
    match x % 1000 {
        0 => RowKind::Da,
        1 => RowKind::FreeDa,
        2 => RowKind::NearMiss,
        3 => RowKind::Roaming,
        _ => match (x >> 20) % 100 {
            0..=59 => RowKind::Voice,
            60..=94 => RowKind::Text,
            _ => RowKind::Data,
        },
    }
}

fn is_voice(k: RowKind) -> bool {
    matches!(k, RowKind::Voice | RowKind::Da | RowKind::FreeDa | RowKind::NearMiss | RowKind::Roaming)
}

const DA_CENTS: i64 = 199;
const ROAMING_CENTS: i64 = 50;
const NEAR_MISS_CENTS: i64 = 25;
const PERSONAL_CALL_CENTS: i64 = 350;
const OVERAGE_RATE_CENTS: i64 = 45;

/// Per line, what its usage adds up to (computed before anything is written).
#[derive(Debug, Clone, Default)]
struct LineTotals {
    voice_rows: u64,
    voice_minutes: u64,
    da_cents: i64,
    other_call_cents: i64,
}

fn fmt_line(n: u64) -> String {
    n.to_string()
}

/// A NANP number the line calls: never 555-1212, never a 3-digit service code.
fn called_number(seed: u64, line: u32, k: u64) -> u64 {
    let x = h(seed, T_NUM, u64::from(line), k);
    let npa = [203, 860, 413, 212, 617, 401][(x % 6) as usize];
    let nxx = 200 + (x >> 8) % 800;
    let mut xxxx = (x >> 20) % 10_000;
    if nxx == 555 && xxxx == 1212 {
        xxxx = 1213;
    }
    npa * 10_000_000 + nxx * 10_000 + xxxx
}

struct Month {
    opts: Options,
    kinds: Vec<Kind>,
    /// Usage rows of each line.
    rows: Vec<u64>,
    totals: Vec<LineTotals>,
}

impl Month {
    fn new(opts: Options) -> Month {
        let n = opts.lines;
        let kinds: Vec<Kind> = (0..n).map(|i| kind(opts.seed, i)).collect();
        let with_usage = kinds.iter().filter(|k| **k != Kind::Silent).count() as u64;
        let mut rows = vec![0u64; n as usize];
        if let Some(base) = opts.usage_rows.checked_div(with_usage) {
            let extra = opts.usage_rows % with_usage;
            let mut j = 0u64;
            for (i, k) in kinds.iter().enumerate() {
                if *k != Kind::Silent {
                    rows[i] = base + u64::from(j < extra);
                    j += 1;
                }
            }
        }
        let mut m = Month { opts, kinds, rows, totals: Vec::new() };
        m.totals = (0..n).map(|i| m.line_totals(i)).collect();
        m
    }

    fn line_totals(&self, i: u32) -> LineTotals {
        let seed = self.opts.seed;
        let n = self.rows[i as usize];
        let mut t = LineTotals::default();
        for k in 0..n {
            let rk = row_kind(seed, i, k);
            if is_voice(rk) {
                t.voice_rows += 1;
            }
            match rk {
                RowKind::Da => t.da_cents += DA_CENTS,
                RowKind::Roaming => t.other_call_cents += ROAMING_CENTS,
                RowKind::NearMiss => t.other_call_cents += NEAR_MISS_CENTS,
                _ => {}
            }
        }
        if self.kinds[i as usize] == Kind::PersonalCall && n > 0 {
            t.other_call_cents += PERSONAL_CALL_CENTS;
        }
        let plan = plan_of(seed, i, self.kinds[i as usize]);
        let x = h(seed, T_TARGET, u64::from(i), 0);
        t.voice_minutes = if t.voice_rows == 0 {
            0
        } else {
            match (self.kinds[i as usize], plan.voice) {
                (Kind::Overage, Some(a)) => a + 10 + x % 190,
                (_, Some(a)) => a * (20 + x % 60) / 100,
                (_, None) => 300 + x % 2700,
            }
            .max(t.voice_rows)
        };
        t
    }

    fn line_overage_cents(&self, i: u32) -> i64 {
        let plan = plan_of(self.opts.seed, i, self.kinds[i as usize]);
        match plan.voice {
            Some(a) if self.totals[i as usize].voice_minutes > a => {
                (self.totals[i as usize].voice_minutes - a) as i64 * OVERAGE_RATE_CENTS
            }
            _ => 0,
        }
    }
}

fn cents(c: i64) -> String {
    let sign = if c < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", c.abs() / 100, c.abs() % 100)
}

fn csv_file(dir: &Path, name: &str) -> io::Result<BufWriter<File>> {
    Ok(BufWriter::with_capacity(1 << 20, File::create(dir.join(name))?))
}

/// Writes a complete month into `dir` (created if missing).
pub fn generate(opts: Options, dir: &Path) -> io::Result<Generated> {
    if opts.lines == 0 {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "--lines must be at least 1"));
    }
    std::fs::create_dir_all(dir)?;
    let m = Month::new(opts);
    let cal = opts.period;
    let since = cal.assigned_since();
    let seed = opts.seed;
    let n = opts.lines;
    let k_inv = invoices(n);
    let mut files = Vec::new();
    let mut planted: Vec<(&'static str, u64)> = Vec::new();
    let count = |k: Kind| m.kinds.iter().filter(|x| **x == k).count() as u64;

    let style = opts.style;
    let mut buf: Vec<u8> = Vec::with_capacity(256);

    // Plans.
    let mut w = csv_file(dir, "plans.csv")?;
    w.write_all(&header(style, &["plan", "voice_minutes", "messages", "data_mb", "monthly_rate"]))?;
    for p in PLANS {
        let a = |x: Option<u64>| x.map_or("unlimited".to_string(), |v| v.to_string());
        let mut r = Row::new(&mut buf, style);
        r.text(p.code).raw(&a(p.voice)).raw(&a(p.messages)).raw("").money(Some(p.rate_cents));
        w.write_all(r.end())?;
    }
    w.flush()?;

    // Employees: one per line, a second for reassigned lines.
    let mut w = csv_file(dir, "employees.csv")?;
    w.write_all(&header(style, &["employee_id", "name", "email", "termination_date"]))?;
    let mut employee = |w: &mut BufWriter<File>, e: u32, term: &str| -> io::Result<()> {
        let mut r = Row::new(&mut buf, style);
        r.text(&format!("E{e:06}")).text(&format!("Employee {e:06}")).text(&format!("e{e:06}@example.org")).raw(term);
        w.write_all(r.end())
    };
    for i in 0..n {
        let term = if m.kinds[i as usize] == Kind::Terminated { cal.date(10) } else { String::new() };
        employee(&mut w, i + 1, &term)?;
    }
    for i in (0..n).filter(|i| m.kinds[*i as usize] == Kind::Reassigned) {
        employee(&mut w, n + i + 1, "")?;
    }
    w.flush()?;

    // Inventory: effective-dated assignments.
    let mut w = csv_file(dir, "inventory.csv")?;
    w.write_all(&header(
        style,
        &[
            "line",
            "employee_id",
            "employee_name",
            "program",
            "account_code",
            "plan",
            "status",
            "start_date",
            "end_date",
            "authorized_by",
        ],
    ))?;
    let mut assignment =
        |w: &mut BufWriter<File>, line: &str, e: u32, p: u32, plan: &str, status: &str, start: &str, end: &str, auth: &str| {
            let mut r = Row::new(&mut buf, style);
            r.phone(line)
                .text(&format!("E{e:06}"))
                .text(&format!("Employee {e:06}"))
                .text(&format!("P{p:02}"))
                .text(&account_code(p))
                .text(plan)
                .text(status)
                .raw(start)
                .raw(end)
                .text(auth);
            w.write_all(r.end())
        };
    for i in 0..n {
        let k = m.kinds[i as usize];
        if k == Kind::Unknown {
            continue;
        }
        let line = fmt_line(line_number(i));
        let plan = plan_of(seed, i, k).code;
        let p = program_of(seed, i, n, false);
        let auth = if k == Kind::Unauthorized { String::new() } else { format!("Director P{p:02}") };
        let status = match (k, i % 3) {
            (Kind::Inactive, 0) => "lost",
            (Kind::Inactive, 1) => "suspended",
            (Kind::Inactive, _) => "spare",
            _ => "active",
        };
        match k {
            Kind::Gap => assignment(&mut w, &line, i + 1, p, plan, status, &since, &cal.date(20), &auth)?,
            Kind::Reassigned => {
                let q = program_of(seed, i, n, true);
                assignment(&mut w, &line, i + 1, p, plan, "active", &since, &cal.date(15), &auth)?;
                assignment(&mut w, &line, n + i + 1, q, plan, "active", &cal.date(16), "", &format!("Director P{q:02}"))?;
            }
            _ => assignment(&mut w, &line, i + 1, p, plan, status, &since, "", &auth)?,
        }
    }
    w.flush()?;

    // Attestations: two personal calls on each overage line, the roaming call of each
    // personal-call line, and one that matches nothing.
    let mut w = csv_file(dir, "attestations.csv")?;
    w.write_all(&header(style, &["line", "date", "time", "number", "note"]))?;
    let mut attestation = |w: &mut BufWriter<File>, line: &str, day: &str, time: &str, number: &str, note: &str| {
        let mut r = Row::new(&mut buf, style);
        r.phone(line).raw(day).raw(time).phone(number).text(note);
        w.write_all(r.end())
    };
    let mut attested = 0u64;
    for i in 0..n {
        let k = m.kinds[i as usize];
        let wanted = match k {
            Kind::Overage => 2,
            Kind::PersonalCall => 1,
            _ => continue,
        };
        let mut found = 0;
        let rows = m.rows[i as usize];
        let mut voice_rank = 0u64;
        for r in 0..rows {
            let rk = row_kind(seed, i, r);
            if !is_voice(rk) {
                continue;
            }
            let row = usage_row(&m, i, r, rk, voice_rank);
            voice_rank += 1;
            if rk != RowKind::Voice {
                continue;
            }
            // The personal-call line's attested call is its first plain voice call, which the
            // usage report prints as a roaming call with its own charge.
            attestation(&mut w, &fmt_line(line_number(i)), &row.date, &row.time, &row.number, "Personal call")?;
            attested += 1;
            found += 1;
            if found == wanted {
                break;
            }
        }
    }
    attestation(&mut w, &fmt_line(line_number(0)), &cal.date(cal.days()), "12:00:00", "", "No such call")?;
    w.flush()?;

    // Invoices: summary and charges; lines round-robin over the invoices.
    let mut inv_totals = vec![0i64; k_inv];
    for (v, total) in inv_totals.iter_mut().enumerate() {
        let name = format!("invoice-{}-charges.csv", v + 1);
        let mut w = csv_file(dir, &name)?;
        w.write_all(&header(style, &["line", "category", "description", "quantity", "amount"]))?;
        let mut item = |w: &mut BufWriter<File>, line: &str, cat: &str, desc: &str, qty: &str, c: i64| -> io::Result<()> {
            *total += c;
            let mut r = Row::new(&mut buf, style);
            r.phone(line).text(cat).text(desc).raw(qty).money(Some(c));
            w.write_all(r.end())
        };
        for i in (0..n).filter(|i| *i as usize % k_inv == v) {
            let k = m.kinds[i as usize];
            if k == Kind::Unbilled {
                continue;
            }
            let line = fmt_line(line_number(i));
            let plan = plan_of(seed, i, k);
            item(&mut w, &line, "plan", plan.name, "1", plan.rate_cents)?;
            let t = &m.totals[i as usize];
            let over = m.line_overage_cents(i);
            if over > 0 {
                let minutes = t.voice_minutes - plan.voice.unwrap_or(0);
                item(
                    &mut w,
                    &line,
                    "overage_voice",
                    &format!("Voice overage {minutes} min @ $0.45"),
                    &minutes.to_string(),
                    over,
                )?;
            }
            if t.da_cents > 0 {
                item(
                    &mut w,
                    &line,
                    "directory_assistance",
                    "Directory assistance",
                    &(t.da_cents / DA_CENTS).to_string(),
                    t.da_cents,
                )?;
            }
            if t.other_call_cents > 0 {
                item(&mut w, &line, "long_distance", "Long distance and roaming", "", t.other_call_cents)?;
            }
            if k == Kind::Duplicate {
                item(&mut w, &line, "feature", "Visual voicemail", "1", 500)?;
                item(&mut w, &line, "feature", "Visual voicemail", "1", 500)?;
            }
            if k == Kind::ThirdParty {
                item(&mut w, &line, "third_party", "Premium content - GameClub", "1", 999)?;
            }
            let tax = (plan.rate_cents * 635 + 5_000) / 10_000;
            item(&mut w, &line, "tax", "State and local taxes", "", tax)?;
            item(&mut w, &line, "surcharge", "Regulatory charge", "", 115)?;
        }
        item(&mut w, "", "fee", "Administrative fee", "", 2_500)?;
        item(&mut w, "", "credit", "Promotional credit", "", -5_000)?;
        w.flush()?;
        files.push((name, std::fs::metadata(dir.join(format!("invoice-{}-charges.csv", v + 1)))?.len()));
    }
    for (v, total) in inv_totals.iter().enumerate() {
        let name = format!("invoice-{}-summary.csv", v + 1);
        let mut w = csv_file(dir, &name)?;
        let prev = 100_000 + (h(seed, 99, v as u64, 0) % 1_000_000) as i64;
        // The last invoice does not tie out by one dollar: invoice_mismatch.
        let printed = if v + 1 == k_inv { total + 100 } else { *total };
        w.write_all(&header(style, &["field", "value"]))?;
        let fields: [(&str, Result<String, i64>); 11] = [
            ("carrier", Ok(format!("Carrier {}", v + 1))),
            ("account_number", Ok((442_091_800_001_u64 + v as u64).to_string())),
            ("invoice_number", Ok((u64::from(cal.year) * 1_000_000 + u64::from(cal.month) * 10_000 + v as u64).to_string())),
            ("invoice_date", Ok(cal.next().date(3))),
            ("period_start", Ok(cal.date(1))),
            ("period_end", Ok(cal.date(cal.days()))),
            ("previous_balance", Err(prev)),
            ("payments", Err(-prev)),
            ("adjustments", Err(0)),
            ("current_charges", Err(printed)),
            ("total_due", Err(printed)),
        ];
        for (field, value) in fields {
            let mut r = Row::new(&mut buf, style);
            r.text(field);
            match value {
                Ok(t) => r.text(&t),
                Err(c) => r.money(Some(c)),
            };
            w.write_all(r.end())?;
        }
        w.flush()?;
        files.push((name.clone(), std::fs::metadata(dir.join(&name))?.len()));
    }

    // Usage: streamed line by line, row by row.
    let mut w = BufWriter::with_capacity(4 << 20, File::create(dir.join("usage.csv"))?);
    w.write_all(&header(style, &["line", "date", "time", "number", "type", "quantity", "charge", "description"]))?;
    let mut written = 0u64;
    let mut da_rows = 0u64;
    let mut quantity = String::new();
    // Each line's rows come in time order (row r's time is within its slot r of the month), so
    // date order is a merge of the lines by each one's next row: a heap of (time, line).
    let mut state: Vec<(u64, u64, bool)> = vec![(0, 0, false); n as usize]; // next row, voice rank, personal call placed
    let mut heap: std::collections::BinaryHeap<std::cmp::Reverse<(u64, u32)>> = std::collections::BinaryHeap::new();
    let mut next_line = 0u32;
    let lines_in_order = opts.order == Order::Line;
    if !lines_in_order {
        for i in 0..n {
            if m.rows[i as usize] > 0 {
                heap.push(std::cmp::Reverse((row_at(&m, i, 0), i)));
            }
        }
    }
    loop {
        // The next row: the current line's next (line order), or the earliest of all (date order).
        let i = if lines_in_order {
            while next_line < n && state[next_line as usize].0 >= m.rows[next_line as usize] {
                next_line += 1;
            }
            if next_line >= n {
                break;
            }
            next_line
        } else {
            match heap.pop() {
                Some(std::cmp::Reverse((_, i))) => i,
                None => break,
            }
        };
        let (r, voice_rank, personal_done) = state[i as usize];
        let line = fmt_line(line_number(i));
        let rk = row_kind(seed, i, r);
        let mut row = usage_row(&m, i, r, rk, voice_rank);
        let voice_rank = voice_rank + u64::from(is_voice(rk));
        if rk == RowKind::Da {
            da_rows += 1;
        }
        let mut personal_now = personal_done;
        if m.kinds[i as usize] == Kind::PersonalCall && rk == RowKind::Voice && !personal_done {
            personal_now = true;
            row.charge = Some(PERSONAL_CALL_CENTS);
            row.description = "ROAMING - CANADA";
        }
        state[i as usize] = (r + 1, voice_rank, personal_now);
        if !lines_in_order && r + 1 < m.rows[i as usize] {
            heap.push(std::cmp::Reverse((row_at(&m, i, r + 1), i)));
        }
        quantity.clear();
        use std::fmt::Write as _;
        let _ = write!(quantity, "{}", row.quantity);
        let mut out = Row::new(&mut buf, style);
        out.phone(&line)
            .raw(&row.date)
            .raw(&row.time)
            .phone(&row.number)
            .text(row.kind)
            .raw(&quantity)
            .money(row.charge)
            .text(row.description);
        w.write_all(out.end())?;
        written += 1;
    }
    w.flush()?;
    drop(w);

    let mut manifest =
        String::from("# A synthetic month written by `billrecon generate`: canonical format, planted cases of every rule.\n");
    manifest.push_str(&format!(
        "# lines = {n}, usage rows = {written}, seed = {seed}\nperiod = \"{:04}-{:02}\"\n",
        cal.year, cal.month
    ));
    for v in 1..=k_inv {
        manifest
            .push_str(&format!("\n[[invoice]]\nsummary = \"invoice-{v}-summary.csv\"\ncharges = \"invoice-{v}-charges.csv\"\n"));
    }
    manifest.push_str(
        "\n[inputs]\nusage = [\"usage.csv\"]\ninventory = \"inventory.csv\"\nemployees = \"employees.csv\"\nplans = \"plans.csv\"\n\
         attestations = \"attestations.csv\"\n\n[policy]\nsuspense_account = \"9999-530-SUSP\"\n\
         employee_receivable_account = \"1290-EMPREC\"\npayable_account = \"2010-AP\"\n",
    );
    std::fs::write(dir.join("billrecon.toml"), manifest)?;
    for f in ["billrecon.toml", "plans.csv", "employees.csv", "inventory.csv", "attestations.csv", "usage.csv"] {
        files.push((f.to_string(), std::fs::metadata(dir.join(f))?.len()));
    }
    files.sort();
    planted.push(("directory_assistance", da_rows));
    planted.push(("personal_overage", count(Kind::Overage)));
    planted.push(("personal_call_charge", count(Kind::PersonalCall)));
    planted.push(("unassigned_line", count(Kind::Gap) + count(Kind::Unknown)));
    planted.push(("terminated_employee", count(Kind::Terminated)));
    planted.push(("inactive_line_billed", count(Kind::Inactive)));
    planted.push(("zero_usage", count(Kind::Silent)));
    planted.push(("invoice_mismatch", 1));
    planted.push(("duplicate_charge", count(Kind::Duplicate)));
    planted.push(("third_party_charge", count(Kind::ThirdParty)));
    planted.push(("unmatched_attestation", 1));
    planted.push(("missing_authorization", count(Kind::Unauthorized)));
    planted.push(("not_billed", count(Kind::Unbilled)));
    planted.push(("reassigned_lines", count(Kind::Reassigned)));
    planted.push(("attested_calls", attested));
    Ok(Generated { invoices: k_inv, usage_rows: written, files, planted })
}

struct Usage {
    date: String,
    time: String,
    number: String,
    kind: &'static str,
    quantity: u64,
    /// Cents; `None` when the carrier prints no charge.
    charge: Option<i64>,
    description: &'static str,
}

/// Usage row `r` of line `i`: a pure function of the seed, so it can be produced twice.
/// When row `r` of line `i` happens: seconds into the period. The rows are spread over the month
/// in order, a little jitter within each row's slot, so a line's rows are in time order.
fn row_at(m: &Month, i: u32, r: u64) -> u64 {
    let n = m.rows[i as usize].max(1);
    let period_seconds = u64::from(m.opts.period.days()) * 86_400;
    let slot = period_seconds / n;
    let jitter = if slot > 1 { h(m.opts.seed, T_TIME, u64::from(i), r) % slot } else { 0 };
    (r * period_seconds / n + jitter).min(period_seconds - 1)
}

fn usage_row(m: &Month, i: u32, r: u64, rk: RowKind, voice_rank: u64) -> Usage {
    let seed = m.opts.seed;
    let at = row_at(m, i, r);
    let day = (at / 86_400) as u32 + 1;
    let secs = at % 86_400;
    let time = format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
    let t = &m.totals[i as usize];
    let minutes = if is_voice(rk) && t.voice_rows > 0 {
        t.voice_minutes / t.voice_rows + u64::from(voice_rank < t.voice_minutes % t.voice_rows)
    } else {
        0
    };
    let npa = line_number(i) / 10_000_000;
    let (number, kind, quantity, charge, description) = match rk {
        RowKind::Voice => (called_number(seed, i, r).to_string(), "voice", minutes, None, ""),
        RowKind::Text => (called_number(seed, i, r).to_string(), "text", 1, None, ""),
        RowKind::Data => (String::new(), "data", 1 + h(seed, T_DATA, u64::from(i), r) % 200, None, ""),
        RowKind::Da => {
            if r.is_multiple_of(2) {
                ("411".to_string(), "voice", minutes, Some(DA_CENTS), "411 Search")
            } else {
                (format!("{npa}5551212"), "voice", minutes, Some(DA_CENTS), "DIR ASST")
            }
        }
        RowKind::FreeDa => ("18003733411".to_string(), "voice", minutes, Some(0), "FREE411"),
        RowKind::NearMiss => ("2125551213".to_string(), "voice", minutes, Some(NEAR_MISS_CENTS), "LONG DISTANCE"),
        RowKind::Roaming => (called_number(seed, i, r).to_string(), "voice", minutes, Some(ROAMING_CENTS), "ROAMING"),
    };
    Usage { date: m.opts.period.date(day), time, number, kind, quantity, charge, description }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(dir: &Path, f: &str) -> String {
        std::fs::read_to_string(dir.join(f)).unwrap()
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let opts = Options {
            lines: 300,
            usage_rows: 20_000,
            seed: 7,
            style: Style::Plain,
            period: BillMonth::default(),
            order: Order::Line,
        };
        let (a, b, c) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let ga = generate(opts, a.path()).unwrap();
        generate(opts, b.path()).unwrap();
        generate(Options { seed: 8, ..opts }, c.path()).unwrap();
        for (f, _) in &ga.files {
            assert_eq!(read(a.path(), f), read(b.path(), f), "{f}");
        }
        assert_ne!(read(a.path(), "usage.csv"), read(c.path(), "usage.csv"));
        assert_eq!(ga.usage_rows, 20_000);
        assert_eq!(read(a.path(), "usage.csv").lines().count(), 20_001);
    }

    #[test]
    fn invoices_items_add_up_except_the_planted_mismatch() {
        let d = tempfile::tempdir().unwrap();
        let g = generate(
            Options {
                lines: 400,
                usage_rows: 10_000,
                seed: 1,
                style: Style::Plain,
                period: BillMonth::default(),
                order: Order::Line,
            },
            d.path(),
        )
        .unwrap();
        assert_eq!(g.invoices, 2);
        for v in 1..=g.invoices {
            let items: i64 = read(d.path(), &format!("invoice-{v}-charges.csv"))
                .lines()
                .skip(1)
                .map(|l| {
                    let a = l.rsplit(',').next().unwrap();
                    let (neg, a) = a.strip_prefix('-').map_or((1, a), |x| (-1, x));
                    let (u, c) = a.split_once('.').unwrap();
                    neg * (u.parse::<i64>().unwrap() * 100 + c.parse::<i64>().unwrap())
                })
                .sum();
            let summary = read(d.path(), &format!("invoice-{v}-summary.csv"));
            let current = summary.lines().find_map(|l| l.strip_prefix("current_charges,")).unwrap();
            let shown = cents(items + if v == g.invoices { 100 } else { 0 });
            assert_eq!(current, shown, "invoice {v}");
        }
    }

    #[test]
    fn about_one_usage_row_in_a_thousand_is_chargeable_directory_assistance() {
        let d = tempfile::tempdir().unwrap();
        let g = generate(
            Options {
                lines: 100,
                usage_rows: 200_000,
                seed: 3,
                style: Style::Plain,
                period: BillMonth::default(),
                order: Order::Line,
            },
            d.path(),
        )
        .unwrap();
        let da = g.planted.iter().find(|p| p.0 == "directory_assistance").unwrap().1;
        assert!((150..=250).contains(&da), "{da}");
        let usage = read(d.path(), "usage.csv");
        assert_eq!(usage.lines().filter(|l| l.ends_with(",1.99,411 Search") || l.ends_with(",1.99,DIR ASST")).count() as u64, da);
    }
}
