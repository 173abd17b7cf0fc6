//! The sample month again, in the carriers' own layouts: `<month>-verizon` holds the Verizon
//! invoice and usage as Verizon's Raw Data Download (tab-delimited, Windows-1252, with a footer
//! total), `<month>-att` the AT&T invoice and usage as AT&T Premier exports. Each is written from
//! the canonical month as the parser reads it, so the lines and money are the same by
//! construction; every other input is the canonical month's own file, named through `../`.

use std::fmt::Write as _;
use std::path::Path;

use billrecon_model::{ChargeCategory, Invoice, Month, UsageType};
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

fn ampm(secs: u32) -> String {
    let (h, m, sec) = (secs / 3600, secs / 60 % 60, secs % 60);
    let (h12, suffix) = match h {
        0 => (12, "AM"),
        1..=11 => (h, "AM"),
        12 => (12, "PM"),
        _ => (h - 12, "PM"),
    };
    if sec == 0 {
        format!("{h12}:{m:02} {suffix}")
    } else {
        format!("{h12}:{m:02}:{sec:02} {suffix}")
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

fn tsv(rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    for r in rows {
        writeln!(out, "{}", r.join("\t")).unwrap();
    }
    out.replace('\n', "\r\n")
}

fn verizon_category(c: ChargeCategory) -> &'static str {
    use ChargeCategory::*;
    match c {
        Plan => "Monthly Charges",
        Equipment | Accessory => "Equipment Charges",
        OverageVoice | DirectoryAssistance | LongDistance => "Voice",
        OverageText => "Messaging",
        OverageData | Usage => "Data",
        Roaming => "Roaming",
        International => "International",
        Feature | ThirdParty => "Additional Services",
        Surcharge => "VZW Surcharges",
        Tax => "Taxes, Governmental Surcharges and Fees",
        Fee | Adjustment | Other | Credit => "Account Charges and Credits",
        OneTime => "Other Charges and Credits",
    }
}

fn write_verizon(canon: &Month, inv: &Invoice, dir: &Path) -> Vec<String> {
    let s = &inv.summary;
    let d = |x: Option<chrono::NaiveDate>| x.map(us_date).unwrap_or_default();
    let summary = vec![
        [
            "Account Number",
            "Bill Cycle Date",
            "Bill Period",
            "Date Due",
            "Invoice Number",
            "Bill Name",
            "Remittance Address",
            "Previous Balance",
            "Payments",
            "Balance Forward",
            "Monthly Charges",
            "Equipment Charges",
            "Surcharges and OC&Cs",
            "Taxes, Governmental Surcharges, and Fees",
            "Usage and Purchase Charges",
            "Account Charges and Credits",
            "Total Current Charges",
            "Total Amount Due",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect::<Vec<_>>(),
        {
            let sum = |f: &dyn Fn(ChargeCategory) -> bool| -> Decimal {
                inv.charges.iter().filter(|c| f(c.category)).map(|c| c.amount).sum()
            };
            use ChargeCategory::*;
            vec![
                s.account_number.clone(),
                d(s.invoice_date),
                format!("{} - {}", d(s.period_start), d(s.period_end)),
                "11/25/2026".into(),
                s.invoice_number.clone(),
                "Regional School District".into(),
                "P.O. Box 15124 · Albany, NY 12212".into(),
                s.previous_balance.to_string(),
                s.payments.to_string(),
                (s.previous_balance + s.payments).to_string(),
                sum(&|c| c == Plan || c == Feature).to_string(),
                sum(&|c| c == Equipment || c == Accessory).to_string(),
                sum(&|c| c == Surcharge || c == OneTime).to_string(),
                sum(&|c| c == Tax).to_string(),
                sum(&|c| !matches!(c, Plan | Feature | Equipment | Accessory | Surcharge | OneTime | Tax | Fee | Credit))
                    .to_string(),
                sum(&|c| c == Fee || c == Credit).to_string(),
                s.current_charges.to_string(),
                s.total_due.to_string(),
            ]
        },
    ];
    std::fs::write(dir.join("AccountSummary_202610.txt"), cp1252(&tsv(&summary))).unwrap();

    let name_of = |line: Option<&str>| -> String {
        let Some(l) = line else { return String::new() };
        canon
            .inventory
            .iter()
            .filter(|a| a.line.as_str() == l)
            .max_by_key(|a| a.start)
            .map(|a| a.employee_name.to_uppercase())
            .unwrap_or_default()
    };
    let mut rows = vec![[
        "Account Number",
        "Wireless Number",
        "User Name",
        "Cost Center",
        "Bill Cycle Date",
        "Invoice Number",
        "Item Category",
        "Item Description",
        "Share Description",
        "Used",
        "Allowance",
        "Billable",
        "Cost",
    ]
    .iter()
    .map(|h| h.to_string())
    .collect::<Vec<_>>()];
    let mut total = Decimal::ZERO;
    for c in &inv.charges {
        let line = c.line.as_ref().map(|l| l.as_str().to_string());
        total += c.amount;
        rows.push(vec![
            s.account_number.clone(),
            line.as_deref().map_or("N/A".to_string(), dashed),
            name_of(line.as_deref()),
            String::new(),
            d(s.invoice_date),
            s.invoice_number.clone(),
            verizon_category(c.category).to_string(),
            c.description.clone(),
            String::new(),
            c.quantity.map(|q| q.normalize().to_string()).unwrap_or_default(),
            String::new(),
            String::new(),
            c.amount.to_string(),
        ]);
    }
    let mut footer = vec![String::new(); rows[0].len()];
    footer[0] = "Total".into();
    footer[12] = total.to_string();
    rows.push(footer);
    std::fs::write(dir.join("Acct & Wireless Charges Detail Summary Usage_202610.txt"), cp1252(&tsv(&rows))).unwrap();
    vec!["AccountSummary_202610.txt".into(), "Acct & Wireless Charges Detail Summary Usage_202610.txt".into()]
}

fn write_verizon_usage(canon: &Month, file: &str, dir: &Path) {
    let mut rows = vec![[
        "Wireless Number",
        "User Name",
        "Date",
        "Time",
        "Number",
        "Origination",
        "Destination",
        "Minutes",
        "Usage Category",
        "Usage Type",
        "Airtime Charges",
        "LD/Other Charges",
        "Total Charges",
    ]
    .iter()
    .map(|h| h.to_string())
    .collect::<Vec<_>>()];
    for u in canon.usage.iter().filter(|u| &**u.file == file) {
        let (cat, default_type) = match u.kind {
            UsageType::Voice => ("Voice", "Voice Call"),
            UsageType::Text => ("Messaging", "Text Message"),
            UsageType::Data => ("Data", "Data Session"),
            UsageType::Other => ("Other", "Other"),
        };
        let ld = u.description.to_ascii_lowercase().contains("roam") || u.description.to_ascii_lowercase().contains("long");
        let (air, other) = if ld { (Decimal::ZERO, u.charge) } else { (u.charge, Decimal::ZERO) };
        rows.push(vec![
            dashed(u.line.as_str()),
            String::new(),
            us_date(u.date),
            u.time.map(|t| ampm(t.seconds())).unwrap_or_default(),
            dashed(u.number),
            "HARTFORD CT".into(),
            if u.number.is_empty() { String::new() } else { "CT".into() },
            u.quantity.normalize().to_string(),
            cat.into(),
            if u.description.is_empty() { default_type.to_string() } else { u.description.to_string() },
            air.to_string(),
            other.to_string(),
            u.charge.to_string(),
        ]);
    }
    std::fs::write(dir.join("Wireless Usage Detail_202610.txt"), cp1252(&tsv(&rows))).unwrap();
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
    writeln!(out, "{}", header.join(",")).unwrap();
    let mut row = |line: Option<&str>, totals: [Decimal; 5], plan: &str| {
        let current: Decimal = totals.iter().sum();
        let cells = [
            "FAN 03519721".to_string(),
            s.account_number.clone(),
            line.map(dashed).unwrap_or_default(),
            if line.is_some() { "DISTRICT USER".into() } else { String::new() },
            s.period_end.map(us_date).unwrap_or_default(),
            s.invoice_date.map(us_date).unwrap_or_default(),
            if line.is_some() { "BIZ".into() } else { String::new() },
            plan.to_string(),
            current.to_string(),
            totals[0].to_string(),
            totals[1].to_string(),
            totals[2].to_string(),
            totals[3].to_string(),
            "0".into(),
            "0".into(),
            "0".into(),
            totals[4].to_string(),
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

fn write_att_usage(canon: &Month, file: &str, dir: &Path) {
    let mut out = String::from(
        "Foundation Account Name|Billing Account Name|Wireless Number|Number Called To/From|Date|Time|Minutes|Charge|Description\n",
    );
    for u in canon.usage.iter().filter(|u| &**u.file == file) {
        let desc = match (u.kind, u.description) {
            (UsageType::Text, "") => "Text Message",
            (UsageType::Data, "") => "Data Session",
            (UsageType::Voice, "") => "Voice Call",
            (_, d) => d,
        };
        writeln!(
            out,
            "REGIONAL SCHOOL DISTRICT|DISTRICT WIRELESS|{}|{}|{}|{}|{}|{}|{}",
            dashed(u.line.as_str()),
            dashed(u.number),
            us_date(u.date),
            u.time.map(|t| ampm(t.seconds())).unwrap_or_default(),
            u.quantity.normalize(),
            u.charge,
            desc
        )
        .unwrap();
    }
    std::fs::write(dir.join("Premier_Usage_Detail_202610.txt"), out).unwrap();
}

const POLICY: &str = r#"
[policy]
suspense_account = "9999-530-SUSP"
employee_receivable_account = "1290-EMPREC"
payable_account = "2010-AP"
"#;

/// Writes `<dir>-verizon` and `<dir>-att` from the canonical month in `dir`.
pub fn write(dir: &Path) {
    let loaded = billrecon_parser::load_month(dir).unwrap_or_else(|e| panic!("{e}"));
    let canon = &loaded.month;
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("2026-10").to_string();
    let up = |f: &str| format!("../{name}/{f}");
    let m = &loaded.manifest;
    let spec = |i: &billrecon_parser::InputRef| match &i.sheet {
        Some(s) => up(&format!("{}#{s}", i.name)),
        None => up(&i.name),
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
    let usage_of = |carrier: &str| m.usage.iter().find(|u| u.name.contains(carrier)).expect("usage file");

    // Verizon layout.
    let vdir = dir.with_file_name(format!("{name}-verizon"));
    std::fs::create_dir_all(&vdir).unwrap();
    let files = write_verizon(canon, &canon.invoices[vz], &vdir);
    write_verizon_usage(canon, &usage_of("verizon").name, &vdir);
    let a = &m.invoices[att];
    let manifest = format!(
        "# The sample month with the Verizon invoice and usage as Verizon's Raw Data Download exports\n\
         # (tab-delimited, Windows-1252). Same lines and money as ../{name}. Written by\n\
         # `cargo run -p billrecon-fixture-gen`.\n\
         period = \"2026-10\"\n\n\
         [[invoice]]\nprofile = \"verizon-rdd\"\nsummary = \"{}\"\ncharges = \"{}\"\n\n\
         [[invoice]]\nsummary = \"{}\"\ncharges = \"{}\"\n\n\
         [inputs]\nusage = [\n  {{ path = \"Wireless Usage Detail_202610.txt\", profile = \"verizon-rdd\" }},\n  \"{}\",\n]\n{rest}{POLICY}",
        files[0],
        files[1],
        spec(&a.summary),
        spec(&a.charges),
        spec(usage_of("att")),
    );
    std::fs::write(vdir.join("billrecon.toml"), manifest).unwrap();

    // AT&T layout.
    let adir = dir.with_file_name(format!("{name}-att"));
    std::fs::create_dir_all(&adir).unwrap();
    let export = write_att(&canon.invoices[att], &adir);
    write_att_usage(canon, &usage_of("att").name, &adir);
    let v = &m.invoices[vz];
    let manifest = format!(
        "# The sample month with the AT&T charges and usage as AT&T Premier exports (billing export\n\
         # CSV, pipe-delimited usage). The invoice summary stays the bill's own (the export has no\n\
         # invoice number). Same lines and money as ../{name}. Written by\n\
         # `cargo run -p billrecon-fixture-gen`.\n\
         period = \"2026-10\"\n\n\
         [[invoice]]\nsummary = \"{}\"\ncharges = \"{}\"\n\n\
         [[invoice]]\nsummary = \"{}\"\ncharges = {{ path = \"{export}\", profile = \"att-premier\" }}\n\n\
         [inputs]\nusage = [\n  \"{}\",\n  {{ path = \"Premier_Usage_Detail_202610.txt\", profile = \"att-premier\" }},\n]\n{rest}{POLICY}",
        spec(&v.summary),
        spec(&v.charges),
        spec(&a.summary),
        spec(usage_of("verizon")),
    );
    std::fs::write(adir.join("billrecon.toml"), manifest).unwrap();
    println!("wrote {} and {}", vdir.display(), adir.display());
}
