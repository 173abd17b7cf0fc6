//! The sample month again, in the carriers' own layouts: `<month>-verizon` holds the Verizon
//! invoice and usage as Verizon's Raw Data Download (tab-delimited, Windows-1252, with a footer
//! total), `<month>-att` the AT&T invoice and usage as AT&T Premier exports, `<month>-att-raw`
//! the AT&T invoice as AT&T's raw data output. Each is written from
//! the canonical month as the parser reads it, so the lines and money are the same by
//! construction; every other input is the canonical month's own file, named through `../`.

use std::fmt::Write as _;
use std::path::Path;

use billrecon_model::{ChargeCategory, Invoice, Month, UsageTable, UsageType};
use rust_decimal::Decimal;

fn us_date(d: chrono::NaiveDate) -> String {
    d.format("%m/%d/%Y").to_string()
}

fn dashed(digits: &str) -> String {
    if digits.len() == 10 {
        format!("{}-{}-{}", &digits[..3], &digits[3..6], &digits[6..])
    } else {
        digits.to_string()
    }
}

/// Windows-1252 bytes of text that is ASCII plus Latin-1 letters.
fn cp1252(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            '–' => 0x96,
            '·' => 0xB7,
            c if (c as u32) < 0x100 => c as u32 as u8,
            _ => b'?',
        })
        .collect()
}

/// The Item Category the real Charges Detail files an item under (the profile maps it back).
fn verizon_category(c: ChargeCategory) -> &'static str {
    use ChargeCategory::*;
    match c {
        Plan | Feature => "Monthly Charges",
        Equipment | Accessory => "Equipment Charges",
        OverageVoice | DirectoryAssistance | LongDistance => "Voice",
        OverageText => "Messaging",
        OverageData | Usage => "Data",
        Roaming => "Roaming",
        International => "International",
        ThirdParty => "Purchases",
        Surcharge => "Surcharges",
        Tax => "Taxes, Governmental Surcharges and Fees",
        Fee | Adjustment | Other | Credit | OneTime => "Other Charges and Credits",
    }
}

/// A Verizon RDD text file: tab-delimited, `NA` for empty values, Windows-1252; the header ends
/// CRLF and the data rows LF, as real downloads do.
pub fn rdd_text(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = header.join("\t");
    out.push_str("\r\n");
    for r in rows {
        assert_eq!(r.len(), header.len(), "a row of {} cells under a header of {}", r.len(), header.len());
        let cells: Vec<&str> = r.iter().map(|c| if c.is_empty() { "NA" } else { c.as_str() }).collect();
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    cp1252(&out)
}

/// Writes a zip of `members` (deflated, with a fixed time stamp so the bytes never change).
pub fn write_zip(path: &Path, stamp: (u16, u8, u8), members: &[(String, Vec<u8>)]) {
    use std::io::Write as _;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let time = zip::DateTime::from_date_and_time(stamp.0, stamp.1, stamp.2, 6, 0, 0).unwrap();
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(time)
        .unix_permissions(0o644);
    for (name, bytes) in members {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

pub const RDD_SUMMARY: [&str; 29] = [
    "ECPD Profile ID",
    "Bill Cycle Date",
    "Account Number",
    "Date Due",
    "Invoice Number",
    "Bill Period",
    "Bill Name",
    "Previous Balance",
    "Payments",
    "Adjustments",
    "Balance Forward",
    "Account Charges and Credits",
    "Charges for Third-Party Services to Account",
    "Monthly Charges",
    "Late Fee",
    "Usage Charges - Voice",
    "Usage Charges - Messaging",
    "Usage Charges - Data",
    "Usage Charges - Roaming",
    "Usage Charges - International",
    "Usage Charges - Purchases",
    "Usage and Purchase Charges",
    "Equipment Charges",
    "Surcharges and OC&Cs",
    "Taxes, Governmental Surcharges, and Fees",
    "Charges for Third-Party Services to Lines",
    "Total Current Charges",
    "Total Amount Due",
    "Remittance Address",
];

pub const RDD_CHARGES: [&str; 23] = [
    "ECPD Profile ID",
    "Bill Cycle Date",
    "Account Number",
    "Invoice Number",
    "Wireless Number",
    "User Name",
    "Cost Center",
    "User ID",
    "Item Category",
    "Date",
    "Item Type",
    "Item Description",
    "Vendor Name / Contact Information",
    "Share Description",
    "Share Voice",
    "Share Messaging",
    "Share Data",
    "Usage Period",
    "Allowance",
    "Used",
    "Billable",
    "Cost",
    "Order Details",
];

/// The 29 columns of Account & Wireless Summary; the issue's facts give those named in the
/// profile, the rest follow the RDD's own naming.
pub const RDD_LINES: [&str; 29] = [
    "ECPD Profile ID",
    "Bill Cycle Date",
    "Account Number",
    "Invoice Number",
    "Wireless Number",
    "User Name",
    "Cost Center",
    "User ID",
    "Your Calling Plan",
    "Account Charges and Credits",
    "Adjustments",
    "Monthly Charges",
    "Usage and Purchase Charges",
    "Equipment Charges",
    "Total Surcharges and Other Charges and Credits",
    "Taxes, Governmental Surcharges and Fees",
    "Third-Party Charges (includes Tax)",
    "Total Charges",
    "Voice Plan Usage",
    "Messaging Usage",
    "Data Usage (GB)",
    "Voice Roaming",
    "Messaging Roaming",
    "Data Roaming (GB)",
    "International Voice",
    "International Messaging",
    "International Data (GB)",
    "Equipment Description",
    "Upgrade Eligibility Date",
];

pub const RDD_USAGE: [&str; 21] = [
    "ECPD Profile ID",
    "Bill Cycle Date",
    "Account Number",
    "Invoice Number",
    "Wireless Number",
    "User Name",
    "Usage Category",
    "Account Authorization Code",
    "Date",
    "Time",
    "Number",
    "Rate",
    "Usage Type",
    "Description",
    "Origination",
    "Destination",
    "Intl. Call Type",
    "Min",
    "Charge",
    "Long Dist./Other Charges",
    "Total",
];

/// `7:15A`, `12:05P`, `9:01:14A` (seconds only when there are some).
fn verizon_time(secs: u32) -> String {
    let (h, m, sec) = (secs / 3600, secs / 60 % 60, secs % 60);
    let (h12, suffix) = match h {
        0 => (12, 'A'),
        1..=11 => (h, 'A'),
        12 => (12, 'P'),
        _ => (h - 12, 'P'),
    };
    if sec == 0 {
        format!("{h12}:{m:02}{suffix}")
    } else {
        format!("{h12}:{m:02}:{sec:02}{suffix}")
    }
}

/// `Jan 15, 2024`.
fn month_name(d: chrono::NaiveDate) -> String {
    d.format("%b %d, %Y").to_string()
}

/// A line's totals by the AccountSummary's columns.
fn sum_where(inv: &Invoice, line: Option<&str>, f: impl Fn(ChargeCategory) -> bool) -> Decimal {
    inv.charges
        .iter()
        .filter(|c| line.is_none_or(|l| c.line.as_ref().map(|x| x.as_str()) == Some(l)) && f(c.category))
        .map(|c| c.amount)
        .sum()
}

/// The Verizon invoice and usage of the canonical month as a Raw Data Download zip.
fn write_verizon(canon: &Month, usage: &UsageTable, inv: &Invoice, usage_file: &str, dir: &Path, zip_name: &str) {
    use ChargeCategory::*;
    let s = &inv.summary;
    let cycle = s.invoice_date.expect("an invoice date");
    let (start, end) = (s.period_start.expect("a period start"), s.period_end.expect("a period end"));
    let yyyymm = end.format("%Y%m").to_string();
    let cycle_text = month_name(cycle);
    let money = |d: Decimal| d.to_string();
    let monthly = |c: ChargeCategory| matches!(c, Plan | Feature);
    let surcharges = |c: ChargeCategory| matches!(c, Surcharge | OneTime | Fee | Credit | Adjustment | Other);
    let usage_cat = |c: ChargeCategory| {
        matches!(
            c,
            OverageVoice
                | OverageText
                | OverageData
                | Usage
                | DirectoryAssistance
                | LongDistance
                | Roaming
                | International
                | ThirdParty
        )
    };
    let summary = vec![vec![
        String::new(),
        cycle_text.clone(),
        s.account_number.clone(),
        s.due_date.unwrap_or(cycle).format("%m/%d/%y").to_string(),
        s.invoice_number.clone(),
        format!("{} -{} ", start.format("%b %d"), end.format("%b %d")),
        "REGIONAL SCHOOL DISTRICT".into(),
        money(s.previous_balance),
        money(s.payments),
        money(s.adjustments),
        money(s.previous_balance + s.payments + s.adjustments),
        "0.00".into(),
        "0.00".into(),
        money(sum_where(inv, None, monthly)),
        "0.00".into(),
        money(sum_where(inv, None, |c| matches!(c, OverageVoice | DirectoryAssistance | LongDistance))),
        money(sum_where(inv, None, |c| c == OverageText)),
        money(sum_where(inv, None, |c| matches!(c, OverageData | Usage))),
        money(sum_where(inv, None, |c| c == Roaming)),
        money(sum_where(inv, None, |c| c == International)),
        money(sum_where(inv, None, |c| c == ThirdParty)),
        money(sum_where(inv, None, usage_cat)),
        money(sum_where(inv, None, |c| matches!(c, Equipment | Accessory))),
        money(sum_where(inv, None, surcharges)),
        money(sum_where(inv, None, |c| c == Tax)),
        "0.00".into(),
        money(s.current_charges),
        money(s.total_due),
        "PO BOX 16810 NEWARK, NJ 07101-6810".into(),
    ]];

    // Who holds each line (the carrier's upper-case user name), and each line's usage.
    let name_of = |line: &str| -> String {
        canon
            .inventory
            .iter()
            .filter(|a| a.line.as_str() == line)
            .max_by_key(|a| a.start)
            .map(|a| a.employee_name.to_uppercase())
            .unwrap_or_default()
    };
    let used = |line: &str, kind: UsageType| -> Decimal {
        usage.iter().filter(|u| &**u.file == usage_file && u.line.as_str() == line && u.kind == kind).map(|u| u.quantity).sum()
    };
    let mut lines: Vec<String> = Vec::new();
    for c in &inv.charges {
        if let Some(l) = &c.line {
            if !lines.iter().any(|x| x == l.as_str()) {
                lines.push(l.as_str().to_string());
            }
        }
    }
    let row = |line: Option<&str>,
               category: &str,
               date: String,
               description: &str,
               allowance: &str,
               used: String,
               billable: &str,
               cost: String| {
        vec![
            String::new(),
            cycle_text.clone(),
            s.account_number.clone(),
            s.invoice_number.clone(),
            line.map(dashed).unwrap_or_default(),
            line.map(&name_of).unwrap_or_default(),
            String::new(),
            String::new(),
            category.to_string(),
            date,
            if line.is_some() { "Line".into() } else { "Account".into() },
            description.to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            allowance.to_string(),
            used,
            billable.to_string(),
            cost,
            String::new(),
        ]
    };
    let range = format!("{} - {}", us_date(start), us_date(end));
    let mut charges = vec![row(
        None,
        "Payments",
        format!("{}", (start + chrono::Days::new(19)).format("%m/%d/%y")),
        "Payment Received",
        "",
        String::new(),
        "",
        money(s.payments),
    )];
    for c in &inv.charges {
        let line = c.line.as_ref().map(|l| l.as_str());
        let date = if monthly(c.category) { range.clone() } else { String::new() };
        // Descriptions carry the trailing spaces real downloads have.
        charges.push(row(
            line,
            verizon_category(c.category),
            date,
            &format!("{} ", c.description),
            "",
            c.quantity.map(|q| q.normalize().to_string()).unwrap_or_default(),
            "",
            money(c.amount),
        ));
    }
    for l in &lines {
        let mb = used(l, UsageType::Data);
        if mb.is_zero() {
            continue;
        }
        let gb = (mb / Decimal::from(1024)).round_dp(3);
        charges.push(row(
            Some(l),
            "Data",
            range.clone(),
            "GIGABYTE USAGE",
            "unlimited",
            format!("{gb:.3}"),
            "0.000",
            "0.00".into(),
        ));
    }

    let plan_of = |line: &str| -> String {
        inv.charges
            .iter()
            .find(|c| c.line.as_ref().map(|x| x.as_str()) == Some(line) && c.category == Plan)
            .map(|c| format!("{} ${} monthly access charge", c.description.to_uppercase(), c.amount))
            .unwrap_or_default()
    };
    let line_row = |line: Option<&str>| {
        let total = sum_where(inv, line, |_| true);
        let total = if line.is_none() { inv.charges.iter().filter(|c| c.line.is_none()).map(|c| c.amount).sum() } else { total };
        let only = |f: &dyn Fn(ChargeCategory) -> bool| -> String {
            match line {
                Some(_) => money(sum_where(inv, line, f)),
                None => money(inv.charges.iter().filter(|c| c.line.is_none() && f(c.category)).map(|c| c.amount).sum()),
            }
        };
        let usage = |kind| line.map(|l| used(l, kind));
        vec![
            String::new(),
            cycle_text.clone(),
            s.account_number.clone(),
            s.invoice_number.clone(),
            line.map(dashed).unwrap_or_default(),
            line.map(&name_of).unwrap_or_default(),
            String::new(),
            String::new(),
            line.map(&plan_of).unwrap_or_default(),
            if line.is_none() { only(&|c| matches!(c, Fee | Credit)) } else { "0.00".into() },
            "0.00".into(),
            only(&monthly),
            only(&usage_cat),
            only(&|c| matches!(c, Equipment | Accessory)),
            only(&|c| surcharges(c) && (line.is_some() || !matches!(c, Fee | Credit))),
            only(&|c| c == Tax),
            "0.00".into(),
            money(total),
            usage(UsageType::Voice).map(|q| q.to_string()).unwrap_or_default(),
            usage(UsageType::Text).map(|q| q.to_string()).unwrap_or_default(),
            usage(UsageType::Data).map(|mb| format!("{:.3}", (mb / Decimal::from(1024)).round_dp(3))).unwrap_or_default(),
            "0".into(),
            "0".into(),
            "0.000".into(),
            "0".into(),
            "0".into(),
            "0.000".into(),
            line.map(|_| "SMARTPHONE".to_string()).unwrap_or_default(),
            String::new(),
        ]
    };
    let mut summary_lines = vec![line_row(None)];
    summary_lines.extend(lines.iter().map(|l| line_row(Some(l))));

    let mut calls = Vec::new();
    for u in usage.iter().filter(|u| &**u.file == usage_file) {
        let (category, rate, min) = match u.kind {
            UsageType::Voice => ("Voice", "Peak", u.quantity.normalize().to_string()),
            UsageType::Text => ("Messaging", "", String::new()),
            // The call detail holds calls and messages; data use is in the line summary.
            UsageType::Data | UsageType::Other => continue,
        };
        // One row per message: the profile counts each messaging row as one.
        let copies = if u.kind == UsageType::Text { u.quantity.to_string().parse::<usize>().expect("whole messages") } else { 1 };
        let roaming = u.description.to_ascii_lowercase().contains("roam");
        let (air, other) = if roaming { (Decimal::ZERO, u.charge) } else { (u.charge, Decimal::ZERO) };
        for _ in 0..copies {
            calls.push(vec![
                String::new(),
                cycle_text.clone(),
                s.account_number.clone(),
                s.invoice_number.clone(),
                dashed(u.line.as_str()),
                name_of(u.line.as_str()),
                category.to_string(),
                String::new(),
                u.date.format("%m/%d").to_string(),
                u.time.map(|t| verizon_time(t.seconds())).unwrap_or_default(),
                dashed(u.number),
                rate.to_string(),
                if u.kind == UsageType::Voice { "Airtime".into() } else { "Text".into() },
                u.description.to_string(),
                "HARTFORD CT".into(),
                if u.number.is_empty() { String::new() } else { "CT".into() },
                String::new(),
                min.clone(),
                money(air),
                money(other),
                money(u.charge),
            ]);
        }
    }
    let members = vec![
        (format!("AccountSummary_{yyyymm}.txt"), rdd_text(&RDD_SUMMARY, &summary)),
        (format!("Acct & Wireless Charges Detail Summary Usage_{yyyymm}.txt"), rdd_text(&RDD_CHARGES, &charges)),
        (format!("Account & Wireless Summary_{yyyymm}.txt"), rdd_text(&RDD_LINES, &summary_lines)),
        (format!("Wireless Usage Detail_{yyyymm}.txt"), rdd_text(&RDD_USAGE, &calls)),
    ];
    use chrono::Datelike;
    write_zip(&dir.join(zip_name), (cycle.year() as u16, cycle.month() as u8, cycle.day() as u8), &members);
}

fn csv_quote(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn write_att(inv: &Invoice, dir: &Path) -> String {
    use ChargeCategory::*;
    let s = &inv.summary;
    let header = [
        "Foundation account",
        "Account number",
        "Wireless number",
        "User name",
        "Market cycle end date",
        "Invoice date",
        "Rate code",
        "Rate plan name",
        "Total current charges",
        "Total monthly charges",
        "Total activity since last bill",
        "Total taxes",
        "Total company fees and surcharges",
        "Total KB usage",
        "Total minutes usage",
        "Total messages",
        "Total adjustments",
        // Customer-defined labels, as AT&T billing reports carry them (billrecon ignores them).
        "DEPARTMENT NAME",
        "VIS CODE",
        "ASSET TAG",
        "UDL 2",
    ];
    // One row per line in first-seen order, then one account-level row per kind of total.
    let mut lines: Vec<Option<String>> = Vec::new();
    for c in &inv.charges {
        let l = c.line.as_ref().map(|l| l.as_str().to_string());
        if l.is_some() && !lines.contains(&l) {
            lines.push(l);
        }
    }
    let bucket = |c: ChargeCategory| match c {
        Plan | Feature => 0,
        Tax => 2,
        Surcharge | Fee => 3,
        Credit | Adjustment => 4,
        _ => 1,
    };
    let mut out = String::new();
    writeln!(out, "{}", header.iter().map(|h| format!("\"{h}\"")).collect::<Vec<_>>().join(",")).unwrap();
    let mut n = 0;
    let mut row = |line: Option<&str>, totals: [Decimal; 5], plan: &str| {
        let current: Decimal = totals.iter().sum();
        n += 1;
        let cells = [
            "03519721".to_string(),
            s.account_number.clone(),
            line.map(dashed).unwrap_or_default(),
            if line.is_some() { "DISTRICT USER".into() } else { String::new() },
            s.period_end.map(us_date).unwrap_or_default(),
            s.invoice_date.map(us_date).unwrap_or_default(),
            if line.is_some() { "BIZ".into() } else { String::new() },
            plan.to_string(),
            att_money(current),
            att_money(totals[0]),
            att_money(totals[1]),
            att_money(totals[2]),
            att_money(totals[3]),
            "0".into(),
            "0".into(),
            "0".into(),
            att_money(totals[4]),
            if line.is_some() { "TRANSPORTATION, FLEET".into() } else { String::new() },
            if line.is_some() { format!("V{n:03}") } else { String::new() },
            if line.is_some() { format!("AT-{:05}", 4100 + n) } else { String::new() },
            String::new(),
        ];
        writeln!(out, "{}", cells.iter().map(|c| csv_quote(c)).collect::<Vec<_>>().join(",")).unwrap();
    };
    for l in &lines {
        let mut t = [Decimal::ZERO; 5];
        let mut plan = String::new();
        for c in inv.charges.iter().filter(|c| c.line.as_ref().map(|x| x.as_str().to_string()) == *l) {
            t[bucket(c.category)] += c.amount;
            if c.category == Plan {
                plan = c.description.clone();
            }
        }
        row(l.as_deref(), t, &plan);
    }
    for c in inv.charges.iter().filter(|c| c.line.is_none()) {
        let mut t = [Decimal::ZERO; 5];
        t[bucket(c.category)] = c.amount;
        row(None, t, "");
    }
    let name = "Premier_Billing_Export_202610.csv".to_string();
    std::fs::write(dir.join(&name), out).unwrap();
    name
}

/// The 24 columns of AT&T Premier's usage detail export.
const ATT_USAGE: [&str; 24] = [
    "Foundation account",
    "Account number",
    "Wireless number",
    "Market cycle end date",
    "Roam home intl. description",
    "Date",
    "Time",
    "Rate code",
    "Rating period",
    "Charge description",
    "Originating city/state",
    "Called city/state",
    "Dialed number",
    "In/out",
    "Feature used",
    "Minutes usage",
    "KB usage",
    "Total number of events",
    "MSG sent to",
    "MSG received from",
    "Total charges",
    "Source",
    "International call indicator",
    "LD charges",
];

/// `$1.99`, `$0.00`, and AT&T's negatives `($948.03)`.
fn att_money(d: Decimal) -> String {
    if d.is_sign_negative() && !d.is_zero() {
        format!("(${:.2})", -d)
    } else {
        format!("${d:.2}")
    }
}

/// The canonical AT&T usage as Premier's usage detail: one CSV for voice, data and messaging,
/// the header quoted, values quoted only where needed, case as AT&T varies it.
fn write_att_usage(usage: &UsageTable, inv: &Invoice, file: &str, dir: &Path) -> String {
    let s = &inv.summary;
    let mut out = ATT_USAGE.iter().map(|h| format!("\"{h}\"")).collect::<Vec<_>>().join(",");
    out.push('\n');
    for (i, u) in usage.iter().filter(|u| &**u.file == file).enumerate() {
        let time = u.time.map(|t| {
            let secs = t.seconds();
            let (h, m, sec) = (secs / 3600, secs / 60 % 60, secs % 60);
            if sec == 0 {
                format!("{h:02}:{m:02}")
            } else {
                format!("{h:02}:{m:02}:{sec:02}")
            }
        });
        let outgoing = i % 4 != 3;
        let number = u.number.to_string();
        let (source, minutes, kb, events, dialed, sent, received) = match u.kind {
            UsageType::Voice => (
                "Voice",
                u.quantity.normalize().to_string(),
                String::new(),
                "1".to_string(),
                number,
                String::new(),
                String::new(),
            ),
            UsageType::Text => {
                let (to, from) = if outgoing { (number, String::new()) } else { (String::new(), number) };
                ("Messaging", String::new(), String::new(), u.quantity.normalize().to_string(), String::new(), to, from)
            }
            UsageType::Data | UsageType::Other => (
                "Data",
                String::new(),
                (u.quantity * Decimal::from(1024)).normalize().to_string(),
                "1".to_string(),
                String::new(),
                String::new(),
                String::new(),
            ),
        };
        let ld = if u.description.to_ascii_lowercase().contains("long") { u.charge } else { Decimal::ZERO };
        let cells = [
            "03519721".to_string(),
            s.account_number.clone(),
            dashed(u.line.as_str()),
            s.period_end.map(us_date).unwrap_or_default(),
            if i % 2 == 0 { "HOME".into() } else { "Home".into() },
            us_date(u.date),
            time.unwrap_or_default(),
            "BIZ".into(),
            if u.time.is_some_and(|t| (8 * 3600..19 * 3600).contains(&t.seconds())) { "PEAK".into() } else { "OFFPEAK".into() },
            u.description.to_string(),
            "Hartford, CT".into(),
            if source == "Voice" { "Dallas, TX".into() } else { String::new() },
            dialed,
            if outgoing { "Out".into() } else { "in".into() },
            String::new(),
            minutes,
            kb,
            events,
            sent,
            received,
            att_money(u.charge),
            source.into(),
            "N".into(),
            att_money(ld),
        ];
        let line: Vec<String> = cells.iter().map(|c| csv_quote(c)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    let name = "Premier_Usage_Detail_202610.csv".to_string();
    std::fs::write(dir.join(&name), out).unwrap();
    name
}

/// The 133 columns of AT&T's raw data output, in order (../shared/layouts/att-raw-data-output.txt).
const ATT_RAW: [&str; 133] = [
    "Section ID",
    "Billing Entity Level",
    "Foundation Account Type",
    "Remit To",
    "Due Date",
    "Foundation Account Number",
    "Foundation Account Name",
    "Billing Account Number",
    "Billing Account Name",
    "BAN Invoice Number",
    "Period End Date",
    "Wireless Number",
    "Group ID",
    "User Name",
    "FAN Invoice Number",
    "FAN Invoice Date",
    "FAN Invoice Previous Balance",
    "FAN Invoice Total Payments",
    "FAN Invoice Payment Date",
    "FAN Invoice Past Due",
    "Adjustment to Previous Balance Description",
    "Adjustment to Previous Balance Amount",
    "Adjustment Type",
    "FAN Level NBS Charges and Credits Description",
    "FAN Level NBS Charges and Credits Amount",
    "FAN Invoice Total Current Charges",
    "FAN Invoice Amount Due",
    "FAN User Defined Label 1",
    "Service ID 1 (UDL 1 - CTN Level)",
    "FAN User Defined Label 2",
    "Service ID 2 (UDL 2 - CTN Level)",
    "FAN User Defined Label 3",
    "Service ID 3 (UDL 3 - CTN Level)",
    "FAN User Defined Label 4",
    "Service ID 4 (UDL 4 - CTN Level)",
    "Voice Pooling Rate Plan Code",
    "Voice Pool Name",
    "Pooling MOU Contribution",
    "Pooling Bucket MOU Used",
    "Airtime Over",
    "Airtime Under",
    "Voice Allocation Factor",
    "Allocated Back Minutes",
    "Additional Minutes Rate",
    "Voice Allocated Back Credit",
    "Total Voice Tax Credit",
    "Total Voice Pooling Credit",
    "Voice MAC Adjustment",
    "Data Pooling Rate Plan Code",
    "Data Pool Name",
    "Pooling KB Contribution",
    "Pooling Bucket KB Used",
    "KB Over",
    "KB Under",
    "Data Allocation Factor",
    "Allocated Back KB",
    "Additional KB rate",
    "Data Allocated Back Credit",
    "Total Data Tax Credit",
    "Total Data Pooling Credit",
    "Data MAC Adjustment",
    "Section_1",
    "Section_2",
    "Section_3",
    "Section_4",
    "Section_5",
    "Section_6",
    "Section_7",
    "Period",
    "Prorated Charge",
    "Monthly Charge",
    "Amount",
    "Total",
    "Total Charge",
    "Monthly Service",
    "Usage Charges",
    "Credits Adj & Other Charges",
    "Government Fees & Taxes",
    "Non-Comm Related Charges",
    "Minutes Included in Plan",
    "Minutes Used",
    "Billed Minutes",
    "Billed Rate",
    "Msg/KB/MB Included In Plan",
    "MSG/KB/MB Used",
    "Billed Msg/KB/MB",
    "Shared Text Msgs",
    "Shared MMS Msgs",
    "Shared KBs",
    "Other Shared Minutes",
    "Billed Text Msgs",
    "Billed MMS Msgs",
    "Billed KBs",
    "Billed Charges",
    "BAN Pooling Type",
    "BAN Pooling Rate Plan Code",
    "BAN Pooling Allowance (Min/KB)",
    "BAN Pooling Used (Min/KB)",
    "BAN Pooling Allocated Back (Min/KB)",
    "BAN Pooling Adjustment Amount ($)",
    "Left (Min)",
    "Exp Date",
    "Rollover Minutes",
    "FAN Contract Reference Number",
    "CLIN",
    "CLIN Total Due",
    "Quantity",
    "Equipment Transaction Date",
    "Equipment Transaction Number",
    "Equipment Item Description",
    "Equipment Item ID",
    "Equipment Unit Price",
    "Item Number",
    "CoPay Allowance Amount",
    "CoPay Employee Name",
    "Wireless Line Credit To Number",
    "Wireless Line Credit Date of Call",
    "Wireless Line Credit Time of Call",
    "Wireless Line Credit Call To",
    "Wireless Line Credit for Number Called",
    "Date",
    "Item Description",
    "Short Code",
    "Type",
    "Content provider",
    "Merchant Name",
    "Merchant Contact",
    "Item ID",
    "Renew Date",
    "Cost",
    "Tax",
    "Soc Code",
    "Feature Code",
];

/// Where a canonical category sits in the bill's sections (Section_2, Section_3).
fn att_sections(c: ChargeCategory) -> (&'static str, &'static str) {
    use ChargeCategory::*;
    match c {
        Plan => ("Monthly Service", "Plan"),
        Feature => ("Monthly Service", "Features"),
        OverageText => ("Usage Charges", "Messaging"),
        OverageVoice => ("Usage Charges", "Talk"),
        OverageData => ("Usage Charges", "Data"),
        DirectoryAssistance => ("Usage Charges", "Directory Assistance"),
        LongDistance => ("Usage Charges", "Long Distance"),
        Roaming => ("Usage Charges", "Roaming"),
        International => ("Usage Charges", "International"),
        Usage => ("Usage Charges", "Other Usage"),
        Equipment | Accessory => ("Credits, Adjustments & Other Charges", "Equipment Charge"),
        Credit => ("Credits, Adjustments & Other Charges", "Promotional Credit"),
        OneTime => ("Credits, Adjustments & Other Charges", "Activation"),
        ThirdParty => ("Credits, Adjustments & Other Charges", "Third Party Purchases"),
        Tax => ("Government Fees & Taxes", "Taxes"),
        Surcharge => ("Surcharges & Other Fees", "Regulatory Cost Recovery"),
        Fee => ("Surcharges & Other Fees", "Fees"),
        Adjustment | Other => ("Credits, Adjustments & Other Charges", "Adjustments"),
    }
}

/// The AT&T invoice as AT&T's raw data output: one pipe-delimited file of 133 columns, a BIL
/// heading row, the IRA invoice row, the foundation account's label rows, the prior activity,
/// then every charge as an SL row of the billing account (line-level rows carry the Wireless
/// Number, its user name and its user-defined label values: FILE NUMBER, and COST CENTER = the
/// account code the inventory gives it at the period's end). The same money as the canonical
/// invoice.
fn write_att_raw(inv: &Invoice, inventory: &[billrecon_model::Assignment], dir: &Path) -> String {
    let s = &inv.summary;
    let col = |name: &str| ATT_RAW.iter().position(|c| *c == name).unwrap_or_else(|| panic!("no column {name}"));
    let ymd = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y%m%d").to_string()).unwrap_or_default();
    let plain = |d: Decimal| format!("{:.2}", d);
    let mut out = String::new();
    writeln!(out, "{}", ATT_RAW.join("|")).unwrap();
    let mut put = |cells: &[(&str, String)]| {
        let mut row = vec![String::new(); ATT_RAW.len()];
        for (name, v) in cells {
            row[col(name)] = v.clone();
        }
        writeln!(out, "{}", row.join("|")).unwrap();
    };
    let fan = "03519721".to_string();
    let account = |level: &str| -> Vec<(&'static str, String)> {
        let mut v = vec![("Billing Entity Level", level.to_string()), ("Foundation Account Number", fan.clone())];
        if level == "BAN" {
            v.push(("Billing Account Number", s.account_number.clone()));
            v.push(("Billing Account Name", "REGIONAL SCHOOL DISTRICT".into()));
        } else {
            v.push(("Foundation Account Name", "REGIONAL SCHOOL DISTRICT".into()));
        }
        v.push(("Period End Date", ymd(s.period_end)));
        v
    };
    let remit = "AT&T MOBILITY, PO BOX 6463, CAROL STREAM, IL 60197-6463".to_string();
    let mut bil =
        vec![("Section ID", "BIL".to_string()), ("Foundation Account Type", "billing".into()), ("Remit To", remit.clone())];
    bil.extend(account("FAN"));
    bil.push(("FAN Invoice Number", s.invoice_number.clone()));
    put(&bil);
    // The IRA row names the billing account too: the invoice is the account's.
    let mut ira = vec![("Section ID", "IRA".to_string()), ("Remit To", remit), ("Due Date", ymd(s.due_date))];
    ira.extend(account("FAN"));
    ira.retain(|(k, _)| *k != "Foundation Account Number");
    ira.extend([
        ("Foundation Account Number", s.account_number.clone()),
        ("FAN Invoice Number", s.invoice_number.clone()),
        ("FAN Invoice Date", ymd(s.invoice_date)),
        ("FAN Invoice Previous Balance", plain(s.previous_balance)),
        ("FAN Invoice Total Payments", plain(s.payments)),
        ("FAN Invoice Payment Date", ymd(s.invoice_date.map(|d| d - chrono::Days::new(20)))),
        ("FAN Invoice Past Due", plain(s.previous_balance + s.payments)),
        ("Adjustment to Previous Balance Description", "Adjustment".into()),
        ("Adjustment to Previous Balance Amount", plain(s.adjustments)),
        ("Adjustment Type", "F".into()),
        ("FAN Invoice Total Current Charges", plain(s.current_charges)),
        ("FAN Invoice Amount Due", plain(s.total_due)),
    ]);
    put(&ira);
    let mut labels = vec![("Section ID", "SL".to_string())];
    labels.extend(account("FAN"));
    labels.extend([
        ("FAN User Defined Label 1", "FILE NUMBER".to_string()),
        ("FAN User Defined Label 2", "COST CENTER".into()),
        ("Section_2", "User Name".into()),
        ("Section_3", "DISTRICT USER".into()),
    ]);
    put(&labels);
    for (what, amount) in [("Previous Balance", s.previous_balance), ("Payments", s.payments)] {
        let mut r = vec![("Section ID", "SL".to_string())];
        r.extend(account("BAN"));
        r.extend([("Section_1", "Prior Activity".to_string()), ("Section_2", what.into()), ("Amount", plain(amount))]);
        put(&r);
    }
    for c in &inv.charges {
        let (s2, s3) = att_sections(c.category);
        let mut r = vec![("Section ID", "SL".to_string())];
        r.extend(account("BAN"));
        let s1 = if c.line.is_some() { "Wireless Charges" } else { "Account Charges" };
        if let Some(l) = &c.line {
            // The line's labels as the account keeps them: its holder at the period's end.
            let held =
                inventory.iter().filter(|a| a.line == *l && a.start <= s.period_end.unwrap_or(a.start)).max_by_key(|a| a.start);
            if let Some(a) = held {
                r.extend([
                    ("User Name", a.employee_name.to_uppercase()),
                    ("Service ID 1 (UDL 1 - CTN Level)", format!("F-{}", &l.as_str()[6..])),
                    ("Service ID 2 (UDL 2 - CTN Level)", a.account_code.clone()),
                ]);
            }
        }
        r.extend([
            ("Wireless Number", c.line.as_ref().map(|l| l.as_str().to_string()).unwrap_or_default()),
            ("Section_1", s1.to_string()),
            ("Section_2", s2.into()),
            ("Section_3", s3.into()),
            ("Section_4", c.description.clone()),
            ("Period", "-".into()),
            ("Amount", plain(c.amount)),
            ("Quantity", c.quantity.map(|q| q.to_string()).unwrap_or_default()),
        ]);
        put(&r);
    }
    let name = "ATT_Raw_Data_Output_202610.txt".to_string();
    std::fs::write(dir.join(&name), out).unwrap();
    name
}

const POLICY: &str = r#"
[policy]
suspense_account = "9999-530-SUSP"
employee_receivable_account = "1290-EMPREC"
payable_account = "2010-AP"
"#;

/// Writes `<dir>-verizon` and `<dir>-att` from the canonical month in `dir`.
pub fn write(dir: &Path) {
    let (loaded, usage) = billrecon_parser::load_month(dir).unwrap_or_else(|e| panic!("{e}"));
    let canon = &loaded.month;
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("2026-10").to_string();
    let up = |f: &str| format!("../{name}/{f}");
    let m = &loaded.manifest;
    let spec = |i: &billrecon_parser::InputRef| match &i.file.sheet {
        Some(s) => up(&format!("{}#{s}", i.name())),
        None => up(i.name()),
    };
    let optional = |key: &str, i: &Option<billrecon_parser::InputRef>| {
        i.as_ref().map(|i| format!("{key} = \"{}\"\n", spec(i))).unwrap_or_default()
    };
    let rest = format!(
        "inventory = \"{}\"\n{}{}{}",
        spec(&m.inventory),
        optional("employees", &m.employees),
        optional("plans", &m.plans),
        optional("attestations", &m.attestations)
    );
    let vz = canon.invoices.iter().position(|i| i.summary.carrier.starts_with("Verizon")).expect("a Verizon invoice");
    let att = canon.invoices.iter().position(|i| i.summary.carrier.starts_with("AT&T")).expect("an AT&T invoice");
    let usage_of = |carrier: &str| m.usage.iter().find(|u| u.name().contains(carrier)).expect("usage file");

    // Verizon layout: the Raw Data Download zip, read in place.
    let vdir = dir.with_file_name(format!("{name}-verizon"));
    std::fs::create_dir_all(&vdir).unwrap();
    let zip = "RDD_REGIONAL_SCHOOL_DISTRICT_202610.zip";
    write_verizon(canon, &usage, &canon.invoices[vz], usage_of("verizon").name(), &vdir, zip);
    let a = &m.invoices[att];
    let manifest = format!(
        "# The sample month with the Verizon invoice and usage as Verizon's Raw Data Download, the zip\n\
         # as downloaded from My Business (four tab-delimited files, NA for empty values). Same lines\n\
         # and money as ../{name}. Written by `cargo run -p billrecon-fixture-gen`.\n\
         period = \"2026-10\"\n\n\
         [[invoice]]\nprofile = \"verizon-rdd\"\nsummary = \"{zip}#AccountSummary\"\n\
         charges = \"{zip}#Acct & Wireless Charges Detail Summary Usage\"\nlines = \"{zip}#Account & Wireless Summary\"\n\n\
         [[invoice]]\nsummary = \"{}\"\ncharges = \"{}\"\n\n\
         [inputs]\nusage = [\n  {{ path = \"{zip}#Wireless Usage Detail\", profile = \"verizon-rdd\" }},\n  \"{}\",\n]\n{rest}{POLICY}",
        spec(&a.summary),
        spec(&a.charges),
        spec(usage_of("att")),
    );
    std::fs::write(vdir.join("billrecon.toml"), manifest).unwrap();

    // AT&T layout.
    let adir = dir.with_file_name(format!("{name}-att"));
    std::fs::create_dir_all(&adir).unwrap();
    let export = write_att(&canon.invoices[att], &adir);
    let usage_detail = write_att_usage(&usage, &canon.invoices[att], usage_of("att").name(), &adir);
    let v = &m.invoices[vz];
    let manifest = format!(
        "# The sample month with the AT&T charges and usage as AT&T Premier exports (billing export\n\
         # and usage detail, both CSV). The invoice summary stays the bill's own (the export has no\n\
         # invoice number). Same lines and money as ../{name}. Written by\n\
         # `cargo run -p billrecon-fixture-gen`.\n\
         period = \"2026-10\"\n\n\
         [[invoice]]\nsummary = \"{}\"\ncharges = \"{}\"\n\n\
         [[invoice]]\nsummary = \"{}\"\ncharges = {{ path = \"{export}\", profile = \"att-premier\" }}\n\n\
         [inputs]\nusage = [\n  \"{}\",\n  {{ path = \"{usage_detail}\", profile = \"att-premier\" }},\n]\n{rest}{POLICY}",
        spec(&v.summary),
        spec(&v.charges),
        spec(&a.summary),
        spec(usage_of("verizon")),
    );
    std::fs::write(adir.join("billrecon.toml"), manifest).unwrap();

    // AT&T's raw data output: the one file is the invoice's summary and charges.
    let rdir = dir.with_file_name(format!("{name}-att-raw"));
    std::fs::create_dir_all(&rdir).unwrap();
    let raw = write_att_raw(&canon.invoices[att], &canon.inventory, &rdir);
    let manifest = format!(
        "# The sample month with the AT&T invoice as AT&T's raw data output (one pipe-delimited file\n\
         # of 133 columns: the IRA row is the invoice, the SL rows its charges). Same lines and money\n\
         # as ../{name}. Written by `cargo run -p billrecon-fixture-gen`.\n\
         period = \"2026-10\"\n\n\
         [[invoice]]\nsummary = \"{}\"\ncharges = \"{}\"\n\n\
         [[invoice]]\nprofile = \"att-raw-data\"\nsummary = \"{raw}\"\ncharges = \"{raw}\"\n\n\
         [inputs]\nusage = [\"{}\", \"{}\"]\n{rest}{POLICY}",
        spec(&v.summary),
        spec(&v.charges),
        spec(usage_of("verizon")),
        spec(usage_of("att")),
    );
    std::fs::write(rdir.join("billrecon.toml"), manifest).unwrap();
    println!("wrote {}, {} and {}", vdir.display(), adir.display(), rdir.display());
}
