//! Writes the sample month `fixtures/2026-10`: two carriers, four programs, sixteen lines, a few
//! hundred usage rows, and a planted case of every rule. The output is byte-for-byte the same on
//! every run (a fixed-seed generator, no clock), so the committed files can be regenerated:
//!
//!     cargo run -p billrecon-fixture-gen -- fixtures/2026-10
//!
//! Inputs deliberately use every value format the parser accepts: `$1,234.56`, `(25.00)`,
//! numeric XLSX cells, ISO and US dates, XLSX date cells and serials, 24-hour and AM/PM times,
//! XLSX time fractions, and every way of printing a phone number.

mod carrier;
mod fleet2024;
mod ledger2026;
mod rdd2024;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

/// A cell value, written as text to CSV and typed to XLSX.
#[derive(Clone, Debug)]
enum V {
    S(String),
    /// A number; `cents` prints it with two decimals in CSV.
    N(f64),
    Date(u16, u8, u8),
    /// A date written as a bare serial number (no date format) in XLSX.
    Serial(u16, u8, u8),
    Time(u16, u8, u8),
    E,
}

fn s(x: &str) -> V {
    V::S(x.to_string())
}

struct Sheet {
    name: &'static str,
    /// Rows written above the header (titles), then a blank row.
    titles: Vec<&'static str>,
    rows: Vec<Vec<V>>,
}

fn csv_field(v: &V) -> String {
    let t = match v {
        V::S(x) => x.clone(),
        V::N(n) => format!("{n}"),
        V::Date(y, m, d) | V::Serial(y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
        V::Time(h, m, s) => format!("{h:02}:{m:02}:{s:02}"),
        V::E => String::new(),
    };
    if t.contains([',', '"', '\n']) {
        format!("\"{}\"", t.replace('"', "\"\""))
    } else {
        t
    }
}

fn write_csv(path: &Path, rows: &[Vec<V>]) {
    let mut out = String::new();
    for r in rows {
        let line: Vec<String> = r.iter().map(csv_field).collect();
        writeln!(out, "{}", line.join(",")).unwrap();
    }
    std::fs::write(path, out).unwrap();
}

fn write_xlsx(path: &Path, sheets: &[Sheet]) {
    let mut wb = Workbook::new();
    // A fixed creation time: the workbook is otherwise stamped with the clock.
    let created = ExcelDateTime::from_ymd(2026, 11, 1).unwrap();
    wb.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let time = Format::new().set_num_format("h:mm:ss AM/PM");
    let money = Format::new().set_num_format("$#,##0.00");
    let bold = Format::new().set_bold();
    for sh in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(sh.name).unwrap();
        let mut r: u32 = 0;
        for t in &sh.titles {
            ws.write_string_with_format(r, 0, *t, &bold).unwrap();
            r += 1;
        }
        if !sh.titles.is_empty() {
            r += 1; // a blank row between the titles and the header
        }
        for (i, row) in sh.rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let c = c as u16;
                match v {
                    V::S(x) if i == 0 => {
                        ws.write_string_with_format(r, c, x, &bold).unwrap();
                    }
                    V::S(x) => {
                        ws.write_string(r, c, x).unwrap();
                    }
                    V::N(n) if n.fract() != 0.0 || n.abs() < 10_000.0 => {
                        ws.write_number_with_format(r, c, *n, &money).unwrap();
                    }
                    V::N(n) => {
                        ws.write_number(r, c, *n).unwrap();
                    }
                    V::Date(y, m, d) => {
                        ws.write_datetime_with_format(r, c, ExcelDateTime::from_ymd(*y, *m, *d).unwrap(), &date).unwrap();
                    }
                    V::Serial(y, m, d) => {
                        let serial = ExcelDateTime::from_ymd(*y, *m, *d).unwrap().to_excel();
                        ws.write_number(r, c, serial).unwrap();
                    }
                    V::Time(h, m, s) => {
                        ws.write_datetime_with_format(r, c, ExcelDateTime::from_hms(*h, *m, *s).unwrap(), &time).unwrap();
                    }
                    V::E => {}
                }
            }
            r += 1;
        }
        ws.set_column_width(0, 18).unwrap();
        ws.set_column_width(1, 22).unwrap();
        ws.set_column_width(2, 36).unwrap();
    }
    wb.save(path).unwrap();
}

/// splitmix64: a fixed-seed generator, so the fixture is the same on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

/// One usage row before formatting.
#[derive(Clone)]
struct Call {
    line: &'static str,
    day: u8,
    h: u16,
    m: u8,
    s: u8,
    number: String,
    kind: &'static str,
    qty: u64,
    charge: &'static str,
    desc: &'static str,
}

const BUSINESS_NUMBERS: &[&str] = &[
    "8605552000",
    "8605552001",
    "8605552310",
    "2035550147",
    "2035550199",
    "4135550120",
    "8605553344",
    "9595550180",
    "8605554021",
    "2035550166",
];

/// Business calls, texts and data for one line, with the voice total made exactly `voice_total`.
fn routine(rng: &mut Rng, line: &'static str, calls: usize, voice_total: u64, texts: usize, data: usize) -> Vec<Call> {
    let mut out = Vec::new();
    let mut minutes = 0;
    for i in 0..calls {
        let qty = if i + 1 == calls { voice_total - minutes } else { rng.range(1, (2 * voice_total / calls as u64).max(2) - 1) };
        let qty = qty.min(voice_total - minutes);
        minutes += qty;
        if qty == 0 {
            continue;
        }
        out.push(Call {
            line,
            day: rng.range(1, 31) as u8,
            h: rng.range(8, 17) as u16,
            m: rng.range(0, 59) as u8,
            s: 0,
            number: BUSINESS_NUMBERS[rng.range(0, BUSINESS_NUMBERS.len() as u64 - 1) as usize].to_string(),
            kind: "voice",
            qty,
            charge: "",
            desc: "",
        });
    }
    for _ in 0..texts {
        out.push(Call {
            line,
            day: rng.range(1, 31) as u8,
            h: rng.range(7, 20) as u16,
            m: rng.range(0, 59) as u8,
            s: rng.range(0, 59) as u8,
            number: BUSINESS_NUMBERS[rng.range(0, BUSINESS_NUMBERS.len() as u64 - 1) as usize].to_string(),
            kind: "text",
            qty: 1,
            charge: "",
            desc: "",
        });
    }
    for _ in 0..data {
        out.push(Call {
            line,
            day: rng.range(1, 31) as u8,
            h: 0,
            m: 0,
            s: 0,
            number: String::new(),
            kind: "data",
            qty: rng.range(20, 900),
            charge: "",
            desc: "",
        });
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn call(
    line: &'static str,
    day: u8,
    h: u16,
    m: u8,
    number: &str,
    kind: &'static str,
    qty: u64,
    charge: &'static str,
    desc: &'static str,
) -> Call {
    Call { line, day, h, m, s: 0, number: number.to_string(), kind, qty, charge, desc }
}

/// The many ways carriers print the same number.
fn spell(number: &str, style: u64) -> String {
    if number.len() != 10 {
        return number.to_string();
    }
    let (a, b, c) = (&number[..3], &number[3..6], &number[6..]);
    match style % 5 {
        0 => format!("({a}) {b}-{c}"),
        1 => format!("{a}.{b}.{c}"),
        2 => format!("+1 {a} {b} {c}"),
        3 => format!("1-{a}-{b}-{c}"),
        _ => number.to_string(),
    }
}

fn sorted(mut calls: Vec<Call>) -> Vec<Call> {
    calls.sort_by(|a, b| (a.line, a.day, a.h, a.m, a.s, a.kind).cmp(&(b.line, b.day, b.h, b.m, b.s, b.kind)));
    calls
}

fn main() {
    let dir: PathBuf = std::env::args().nth(1).unwrap_or_else(|| "fixtures/2026-10".into()).into();
    std::fs::create_dir_all(&dir).unwrap();
    let mut rng = Rng(202_610);

    // ---------------- Verizon: lines 860-555-0101 .. 0110, usage as CSV ----------------
    let mut vz: Vec<Call> = Vec::new();
    // 0101: 560 voice minutes on a 500-minute plan; 20 attested personal minutes; one 2-minute 411 call.
    vz.extend(routine(&mut rng, "8605550101", 40, 538, 12, 6));
    vz.push(call("8605550101", 9, 18, 42, "2035550188", "voice", 12, "", "PERSONAL"));
    vz.push(call("8605550101", 17, 19, 5, "2035550188", "voice", 8, "", ""));
    vz.push(call("8605550101", 14, 10, 31, "411", "voice", 2, "1.99", "411 Search"));
    vz.extend(routine(&mut rng, "8605550102", 25, 310, 10, 5));
    vz.extend(routine(&mut rng, "8605550103", 22, 240, 8, 4));
    vz.extend(routine(&mut rng, "8605550104", 18, 200, 6, 4));
    vz.extend(routine(&mut rng, "8605550105", 4, 35, 2, 1));
    // 0106: no usage at all (zero_usage). 0109: a spare line, no usage.
    vz.extend(routine(&mut rng, "8605550107", 20, 260, 10, 5));
    vz.push(call("8605550107", 6, 11, 12, "1-860-555-1212", "voice", 3, "1.99", "DIRECTORY ASSISTANCE"));
    vz.push(call("8605550107", 22, 15, 40, "1-800-373-3411", "voice", 2, "0.00", "FREE411"));
    vz.extend(routine(&mut rng, "8605550108", 15, 180, 6, 3));
    vz.push(call("8605550108", 12, 20, 15, "6045550142", "voice", 7, "3.50", "ROAMING - CANADA"));
    vz.extend(routine(&mut rng, "8605550110", 20, 230, 8, 4));
    let vz = sorted(vz);
    let mut usage_vz =
        vec![vec![s("Line"), s("Date"), s("Time"), s("Number"), s("Type"), s("Quantity"), s("Charge"), s("Description")]];
    for (i, c) in vz.iter().enumerate() {
        let time = if c.kind == "data" {
            V::E
        } else if i % 3 == 0 {
            s(&format!("{:02}:{:02}:{:02}", c.h, c.m, c.s))
        } else {
            s(&format!("{:02}:{:02}", c.h, c.m))
        };
        usage_vz.push(vec![
            s(&spell(c.line, 4)),
            s(&format!("2026-10-{:02}", c.day)),
            time,
            s(&spell(&c.number, i as u64)),
            s(c.kind),
            s(&c.qty.to_string()),
            s(c.charge),
            s(c.desc),
        ]);
    }
    write_csv(&dir.join("usage-verizon.csv"), &usage_vz);

    // ---------------- AT&T: lines 959-555-0111 .. 0115, usage as XLSX ----------------
    let mut att: Vec<Call> = Vec::new();
    att.extend(routine(&mut rng, "9595550111", 30, 640, 0, 5));
    // 0111: 540 messages on a 500-message plan, all business: the overage stays with the program.
    for day in 1..=30u8 {
        att.push(call("9595550111", day, 23, 59, "", "text", 18, "", "MESSAGES (DAILY TOTAL)"));
    }
    att.extend(routine(&mut rng, "9595550112", 18, 220, 8, 4));
    att.push(call("9595550112", 8, 9, 5, "411", "voice", 2, "2.49", "DIR ASST"));
    att.push(call("9595550112", 15, 14, 5, "2125551213", "voice", 4, "0.35", "LONG DISTANCE"));
    att.push(call("9595550112", 21, 16, 20, "2035550411", "voice", 3, "0.25", "LONG DISTANCE"));
    att.extend(routine(&mut rng, "9595550113", 16, 150, 6, 3));
    att.extend(routine(&mut rng, "9595550114", 14, 120, 6, 3));
    att.extend(routine(&mut rng, "9595550115", 12, 95, 4, 2));
    let att = sorted(att);
    let mut usage_att =
        vec![vec![s("LINE"), s("DATE"), s("TIME"), s("NUMBER"), s("TYPE"), s("QUANTITY"), s("CHARGE"), s("DESCRIPTION")]];
    for c in &att {
        let number = if c.number.is_empty() {
            V::E
        } else if c.number.len() == 10 {
            V::N(c.number.parse::<f64>().unwrap())
        } else {
            s(&c.number)
        };
        usage_att.push(vec![
            s(&spell(c.line, 1)),
            V::Date(2026, 10, c.day),
            if c.kind == "data" { V::E } else { V::Time(c.h, c.m, c.s) },
            number,
            s(c.kind),
            V::N(c.qty as f64),
            if c.charge.is_empty() { V::E } else { V::N(c.charge.parse().unwrap()) },
            s(c.desc),
        ]);
    }
    write_xlsx(
        &dir.join("usage-att.xlsx"),
        &[Sheet {
            name: "Call Detail",
            titles: vec!["AT&T Mobility - Call Detail", "Billing period 10/01/2026 - 10/31/2026"],
            rows: usage_att,
        }],
    );

    // ---------------- Verizon invoice (XLSX, numeric money cells, date cells) ----------------
    let vz_items: Vec<(&str, &str, &str, f64)> = vec![
        ("8605550101", "plan", "Business Talk 500", 40.00),
        ("8605550101", "overage_voice", "Voice overage 60 min @ $0.45", 27.00),
        ("8605550101", "directory_assistance", "411 Search", 1.99),
        ("8605550101", "tax", "State and local taxes", 2.54),
        ("8605550101", "surcharge", "Regulatory charge", 1.15),
        ("8605550102", "plan", "Business Talk 1000", 55.00),
        ("8605550102", "tax", "State and local taxes", 3.49),
        ("8605550102", "surcharge", "Regulatory charge", 1.15),
        ("8605550103", "plan", "Business Talk 500", 40.00),
        ("8605550103", "equipment", "Device payment 12 of 24", 15.00),
        ("8605550103", "tax", "State and local taxes", 2.54),
        ("8605550104", "plan", "Business Unlimited", 65.00),
        ("8605550104", "tax", "State and local taxes", 4.13),
        ("8605550105", "plan", "Business Talk 500", 40.00),
        ("8605550105", "accessory", "Protective case", 29.99),
        ("8605550105", "tax", "State and local taxes", 2.54),
        ("8605550106", "plan", "Business Talk 500", 40.00),
        ("8605550106", "tax", "State and local taxes", 2.54),
        ("8605550107", "plan", "Business Talk 500", 40.00),
        ("8605550107", "directory_assistance", "Directory assistance", 1.99),
        ("8605550107", "tax", "State and local taxes", 2.54),
        ("8605550108", "plan", "Business Talk 1000", 55.00),
        ("8605550108", "roaming", "Roaming voice - Canada", 3.50),
        ("8605550108", "tax", "State and local taxes", 3.49),
        ("8605550109", "plan", "Line access (spare)", 20.00),
        ("8605550109", "tax", "State and local taxes", 1.27),
        ("8605550110", "plan", "Business Talk 500", 40.00),
        ("8605550110", "feature", "Visual voicemail", 5.00),
        ("8605550110", "feature", "Visual voicemail", 5.00),
        ("8605550110", "third_party", "Premium content - GameClub", 9.99),
        ("8605550110", "tax", "State and local taxes", 2.54),
        ("", "fee", "Administrative fee", 10.00),
    ];
    let vz_cents: i64 = vz_items.iter().map(|i| (i.3 * 100.0_f64).round() as i64).sum();
    let vz_total = vz_cents as f64 / 100.0;
    let mut charges = vec![vec![s("Line"), s("Category"), s("Description"), s("Quantity"), s("Amount")]];
    for (line, cat, desc, amt) in &vz_items {
        charges.push(vec![
            if line.is_empty() { V::E } else { s(&spell(line, 0)) },
            s(cat),
            s(desc),
            if *cat == "overage_voice" { V::N(60.0) } else { V::N(1.0) },
            V::N(*amt),
        ]);
    }
    let summary = vec![
        vec![s("Field"), s("Value")],
        vec![s("Carrier"), s("Verizon Wireless")],
        vec![s("Account Number"), s("442091800001")],
        vec![s("Invoice Number"), s("8812345670")],
        vec![s("Invoice Date"), V::Date(2026, 11, 1)],
        vec![s("Period Start"), V::Date(2026, 10, 1)],
        vec![s("Period End"), V::Serial(2026, 10, 31)],
        vec![s("Previous Balance"), V::N(598.41)],
        vec![s("Payments"), V::N(-598.41)],
        vec![s("Adjustments"), V::N(0.0)],
        vec![s("Current Charges"), V::N(vz_total)],
        vec![s("Total Due"), V::N(vz_total)],
    ];
    write_xlsx(
        &dir.join("invoice-verizon.xlsx"),
        &[
            Sheet { name: "Summary", titles: vec![], rows: summary },
            Sheet {
                name: "Charges",
                titles: vec!["Verizon Wireless", "Account 442091800001 - Invoice 8812345670"],
                rows: charges,
            },
        ],
    );

    // ---------------- AT&T invoice (CSV, text money with $ and parentheses) ----------------
    let att_items: Vec<(&str, &str, &str, &str, i64)> = vec![
        ("9595550111", "plan", "Business Pooled 1000", "1", 5500),
        ("9595550111", "overage_text", "Messaging overage 40 msgs @ $0.10", "40", 400),
        ("9595550111", "tax", "State and local taxes", "", 375),
        ("9595550112", "plan", "Business Talk 500", "1", 4000),
        ("9595550112", "directory_assistance", "DIR ASST", "1", 249),
        ("9595550112", "long_distance", "Long distance", "2", 60),
        ("9595550112", "tax", "State and local taxes", "", 254),
        ("9595550113", "plan", "Business Talk 500", "1", 4000),
        ("9595550113", "tax", "State and local taxes", "", 254),
        ("9595550114", "plan", "Business Talk 500", "1", 4000),
        ("9595550114", "tax", "State and local taxes", "", 254),
        ("9595550115", "plan", "Business Unlimited", "1", 6500),
        ("9595550115", "one_time", "Activation fee", "1", 3500),
        ("9595550115", "tax", "State and local taxes", "", 413),
        ("", "credit", "Promotional credit", "", -2500),
        ("", "surcharge", "Regulatory cost recovery", "", 320),
    ];
    let money = |c: i64| {
        let abs = c.abs();
        let body = format!("${},{:03}.{:02}", abs / 100_000, (abs / 100) % 1000, abs % 100);
        let body = if abs < 100_000 { format!("${}.{:02}", abs / 100, abs % 100) } else { body };
        if c < 0 {
            format!("({})", body.trim_start_matches('$'))
        } else {
            body
        }
    };
    let att_total: i64 = att_items.iter().map(|i| i.4).sum();
    let mut rows = vec![vec![s("line"), s("category"), s("description"), s("quantity"), s("amount")]];
    for (k, (line, cat, desc, qty, amt)) in att_items.iter().enumerate() {
        rows.push(vec![if line.is_empty() { V::E } else { s(&spell(line, k as u64)) }, s(cat), s(desc), s(qty), s(&money(*amt))]);
    }
    write_csv(&dir.join("invoice-att-charges.csv"), &rows);
    let prev = 128_734; // $1,287.34: exercises the thousands separator
    write_csv(
        &dir.join("invoice-att-summary.csv"),
        &[
            vec![s("field"), s("value")],
            vec![s("carrier"), s("AT&T Mobility")],
            vec![s("account_number"), s("287219044110")],
            vec![s("invoice_number"), s("2026100451")],
            vec![s("invoice_date"), s("11/03/2026")],
            vec![s("period_start"), s("10/01/2026")],
            vec![s("period_end"), s("10/31/2026")],
            vec![s("previous_balance"), s(&money(prev))],
            vec![s("payments"), s(&money(-prev))],
            vec![s("adjustments"), s("0.00")],
            vec![s("current_charges"), s(&money(att_total))],
            vec![s("total_due"), s(&money(att_total))],
        ],
    );

    // ---------------- Inventory (XLSX with title rows; date cells, one serial) ----------------
    #[allow(clippy::type_complexity)]
    let inv: Vec<(&str, &str, &str, &str, &str, &str, &str, V, V, &str)> = vec![
        (
            "8605550101",
            "E1001",
            "Maria Lopez",
            "Arts Magnet",
            "1010-ARTS",
            "BIZ500",
            "active",
            V::Date(2025, 7, 1),
            V::E,
            "J. Alvarez",
        ),
        (
            "8605550102",
            "E1002",
            "James Chen",
            "Arts Magnet",
            "1010-ARTS",
            "BIZ1000",
            "active",
            V::Date(2025, 7, 1),
            V::Date(2026, 10, 10),
            "J. Alvarez",
        ),
        (
            "8605550102",
            "E1002",
            "James Chen",
            "Transportation",
            "1020-TRANS",
            "BIZ1000",
            "active",
            V::Date(2026, 10, 11),
            V::E,
            "R. Mendes",
        ),
        (
            "8605550103",
            "E1003",
            "Priya Patel",
            "Transportation",
            "1020-TRANS",
            "BIZ500",
            "active",
            V::Date(2025, 7, 1),
            V::Serial(2026, 10, 20),
            "R. Mendes",
        ),
        (
            "8605550104",
            "E1004",
            "Robert King",
            "Facilities",
            "1040-FAC",
            "UNL",
            "active",
            V::Date(2024, 1, 15),
            V::E,
            "D. Ferreira",
        ),
        (
            "8605550105",
            "E1005",
            "Angela Brooks",
            "Student Services",
            "1030-SPED",
            "BIZ500",
            "lost",
            V::Date(2025, 9, 1),
            V::E,
            "K. Osei",
        ),
        (
            "8605550106",
            "E1006",
            "Tom Nguyen",
            "Facilities",
            "1040-FAC",
            "BIZ500",
            "active",
            V::Date(2025, 3, 1),
            V::E,
            "D. Ferreira",
        ),
        (
            "8605550107",
            "E1007",
            "Linda Park",
            "Student Services",
            "1030-SPED",
            "BIZ500",
            "active",
            V::Date(2025, 8, 18),
            V::E,
            "K. Osei",
        ),
        (
            "8605550108",
            "E1008",
            "Kevin Walsh",
            "Transportation",
            "1020-TRANS",
            "BIZ1000",
            "active",
            V::Date(2026, 2, 2),
            V::E,
            "",
        ),
        ("8605550109", "", "", "Facilities", "1040-FAC", "", "spare", V::Date(2025, 1, 1), V::E, "D. Ferreira"),
        (
            "8605550110",
            "E1010",
            "Sarah Diaz",
            "Arts Magnet",
            "1010-ARTS",
            "BIZ500",
            "active",
            V::Date(2025, 7, 1),
            V::E,
            "J. Alvarez",
        ),
        (
            "9595550111",
            "E1011",
            "Michael Ortiz",
            "Transportation",
            "1020-TRANS",
            "POOL1000",
            "active",
            V::Date(2025, 11, 3),
            V::E,
            "R. Mendes",
        ),
        (
            "9595550112",
            "E1012",
            "Karen White",
            "Student Services",
            "1030-SPED",
            "BIZ500",
            "active",
            V::Date(2025, 7, 1),
            V::E,
            "K. Osei",
        ),
        (
            "9595550113",
            "E1013",
            "Daniel Kim",
            "Facilities",
            "1040-FAC",
            "BIZ500",
            "active",
            V::Date(2025, 7, 1),
            V::E,
            "D. Ferreira",
        ),
        (
            "9595550114",
            "E1014",
            "Olivia Reed",
            "Arts Magnet",
            "1010-ARTS",
            "BIZ500",
            "active",
            V::Date(2025, 7, 1),
            V::E,
            "J. Alvarez",
        ),
        (
            "9595550115",
            "E1015",
            "Chris Young",
            "Student Services",
            "1030-SPED",
            "UNL",
            "active",
            V::Date(2026, 9, 28),
            V::E,
            "K. Osei",
        ),
        (
            "9595550116",
            "E1016",
            "Nina Shah",
            "Student Services",
            "1030-SPED",
            "BIZ500",
            "active",
            V::Date(2026, 10, 5),
            V::E,
            "K. Osei",
        ),
    ];
    let mut rows = vec![[
        "Line",
        "Employee ID",
        "Employee Name",
        "Program",
        "Account Code",
        "Plan",
        "Status",
        "Start Date",
        "End Date",
        "Authorized By",
    ]
    .iter()
    .map(|h| s(h))
    .collect::<Vec<_>>()];
    for (k, (line, id, name, prog, acct, plan, status, start, end, auth)) in inv.into_iter().enumerate() {
        rows.push(vec![s(&spell(line, k as u64)), s(id), s(name), s(prog), s(acct), s(plan), s(status), start, end, s(auth)]);
    }
    write_xlsx(
        &dir.join("inventory.xlsx"),
        &[Sheet { name: "Lines", titles: vec!["Capitol Region Schools - Wireless Line Inventory", "As of 2026-11-01"], rows }],
    );

    // ---------------- Employees, plans, attestations (CSV) ----------------
    let emps = [
        ("E1001", "Maria Lopez", "mlopez@example.org", ""),
        ("E1002", "James Chen", "jchen@example.org", ""),
        ("E1003", "Priya Patel", "ppatel@example.org", ""),
        ("E1004", "Robert King", "rking@example.org", "10/15/2026"),
        ("E1005", "Angela Brooks", "abrooks@example.org", ""),
        ("E1006", "Tom Nguyen", "tnguyen@example.org", ""),
        ("E1007", "Linda Park", "lpark@example.org", ""),
        ("E1008", "Kevin Walsh", "kwalsh@example.org", ""),
        ("E1010", "Sarah Diaz", "sdiaz@example.org", ""),
        ("E1011", "Michael Ortiz", "mortiz@example.org", ""),
        ("E1012", "Karen White", "kwhite@example.org", ""),
        ("E1013", "Daniel Kim", "dkim@example.org", ""),
        ("E1014", "Olivia Reed", "oreed@example.org", ""),
        ("E1015", "Chris Young", "cyoung@example.org", ""),
        ("E1016", "Nina Shah", "nshah@example.org", ""),
    ];
    let mut rows = vec![vec![s("employee_id"), s("name"), s("email"), s("termination_date")]];
    rows.extend(emps.iter().map(|e| vec![s(e.0), s(e.1), s(e.2), s(e.3)]));
    write_csv(&dir.join("employees.csv"), &rows);

    write_csv(
        &dir.join("plans.csv"),
        &[
            vec![s("plan"), s("voice_minutes"), s("messages"), s("data_mb"), s("monthly_rate")],
            vec![s("BIZ500"), s("500"), s("1000"), s("5120"), s("$40.00")],
            vec![s("BIZ1000"), s("1000"), s("1000"), s("10240"), s("$55.00")],
            vec![s("POOL1000"), s("1000"), s("500"), s("10240"), s("$55.00")],
            vec![s("UNL"), s("unlimited"), s("unlimited"), s(""), s("$65.00")],
        ],
    );

    write_csv(
        &dir.join("attestations.csv"),
        &[
            vec![s("Line"), s("Date"), s("Time"), s("Number"), s("Note")],
            vec![s("860-555-0101"), s("10/09/2026"), s("6:42 PM"), s("(203) 555-0188"), s("Call home")],
            vec![s("860-555-0101"), s("10/17/2026"), s("7:05 PM"), s(""), s("Personal call")],
            vec![s("860-555-0108"), s("10/12/2026"), s("8:15 PM"), s("604-555-0142"), s("Personal call while on vacation")],
            vec![s("959-555-0114"), s("10/20/2026"), s("12:30 PM"), s("203-555-0177"), s("Lunch reservation")],
        ],
    );

    let manifest = r##"# The sample month: October 2026 for a regional school district.
# Two carriers, four programs, sixteen lines. Written by `cargo run -p billrecon-fixture-gen`.
period = "2026-10"

[[invoice]]
summary = "invoice-verizon.xlsx#Summary"
charges = "invoice-verizon.xlsx#Charges"

[[invoice]]
summary = "invoice-att-summary.csv"
charges = "invoice-att-charges.csv"

[inputs]
usage = ["usage-verizon.csv", "usage-att.xlsx"]
inventory = "inventory.xlsx#Lines"
employees = "employees.csv"
plans = "plans.csv"
attestations = "attestations.csv"

[policy]
suspense_account = "9999-530-SUSP"
employee_receivable_account = "1290-EMPREC"
payable_account = "2010-AP"
"##;
    std::fs::write(dir.join("billrecon.toml"), manifest).unwrap();
    println!("wrote {}: {} Verizon and {} AT&T usage rows", dir.display(), vz.len(), att.len());
    carrier::write(&dir);
    rdd2024::write(dir.parent().unwrap_or(Path::new(".")));
    fleet2024::write(dir.parent().unwrap_or(Path::new(".")));
    ledger2026::write(dir.parent().unwrap_or(Path::new(".")));
}
