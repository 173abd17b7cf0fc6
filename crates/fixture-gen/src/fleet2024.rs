//! `fixtures/2024-02-fleet`: a clerk's first month as it arrives, and nothing else: Verizon's
//! Raw Data Download zip for the February 2024 bill (the real layout: tab-delimited, `NA` for
//! empty, CRLF header and LF rows, dates without a year) and the agency's own fleet list, an
//! XLSX in the 38-column layout agencies keep (phone numbers as `(513) 503-8396`, IMEI stored as
//! a number, Status `Active`, plan names carrying price and allowance, GL CODE filled). No
//! manifest: `billrecon init` writes it. No plans table: the voice overage's allowance is the one
//! the carrier states in its charges detail. Every line is on the fleet list, so nothing posts to
//! suspense; `tests/it/init.rs` holds the result to figures worked out here by hand.

use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};

use crate::carrier::{rdd_text, write_zip, RDD_CHARGES, RDD_LINES, RDD_SUMMARY, RDD_USAGE};

const ZIP: &str = "RDD_MAPLE_VALLEY_SD_202402.zip";
const ACCOUNT: &str = "553201987-00001";
const INVOICE: &str = "9862001234";
const CYCLE: &str = "Feb 15, 2024";

const MONTHLY: &str = "Monthly Charges";
const SURCHARGES: &str = "Surcharges";
const OTHER: &str = "Other Charges and Credits";
const TAXES: &str = "Taxes, Governmental Surcharges and Fees";

/// (Item Category, Item Type, Item Description, Allowance, Used, Billable, Cost): a charges
/// detail row of a line.
type Item = (&'static str, &'static str, &'static str, &'static str, &'static str, &'static str, &'static str);

struct Line {
    number: &'static str,
    user: &'static str,
    /// As the carrier prints it on the Account & Wireless Summary.
    plan: &'static str,
    voice: &'static str,
    messages: &'static str,
    data_gb: &'static str,
    items: &'static [Item],
    /// Total Charges, worked out by hand from the items.
    total: &'static str,
}

const LINES: &[Line] = &[
    Line {
        number: "513-503-8396",
        user: "DANA WHITE",
        plan: "BUSINESS UNLIMITED SMARTPHONE $45.00 monthly access charge",
        voice: "35",
        messages: "142",
        data_gb: "3.204",
        items: &[
            (MONTHLY, "Line", "BUSINESS UNLIMITED SMARTPHONE", "", "", "", "45.00"),
            ("Messaging", "Usage", "TEXT MESSAGES", "unlimited", "142", "0", "0.00"),
            (SURCHARGES, "Line", "Regulatory Charge", "", "", "", "0.21"),
            (SURCHARGES, "Line", "Administrative Charge", "", "", "", "1.95"),
            (TAXES, "Line", "OH State Sales Tax", "", "", "", "2.10"),
        ],
        total: "49.26",
    },
    Line {
        number: "513-503-8397",
        user: "LUIS ORTIZ",
        plan: "BUSINESS TALK 500 $30.00 monthly access charge $.45 per minute after allowance",
        voice: "560",
        messages: "0",
        data_gb: "0.512",
        items: &[
            (MONTHLY, "Line", "BUSINESS TALK 500", "", "", "", "30.00"),
            ("Voice", "Usage", "PLAN MINUTES", "500", "560", "60", "27.00"),
            ("Voice", "Line", "Directory Assistance 411", "", "1", "", "1.99"),
            (SURCHARGES, "Line", "Regulatory Charge", "", "", "", "0.21"),
            (SURCHARGES, "Line", "Administrative Charge", "", "", "", "1.95"),
            (TAXES, "Line", "OH State Sales Tax", "", "", "", "1.80"),
        ],
        total: "62.95",
    },
    Line {
        number: "513-503-8398",
        user: "KIM NGUYEN",
        plan: "FLEX BUSINESS DATA DEVICE 2GB $35.00 monthly access charge",
        voice: "",
        messages: "",
        data_gb: "1.284",
        items: &[
            (MONTHLY, "Line", "FLEX BUSINESS DATA DEVICE 2GB", "", "", "", "35.00"),
            ("Data", "Usage", "GIGABYTE USAGE", "2.000(shared)", "1.284", "0.000", "0.00"),
            (SURCHARGES, "Line", "Regulatory Charge", "", "", "", "0.21"),
            (SURCHARGES, "Line", "Administrative Charge", "", "", "", "1.95"),
            (TAXES, "Line", "OH State Sales Tax", "", "", "", "1.52"),
        ],
        total: "38.68",
    },
    Line {
        number: "513-503-8399",
        user: "ANN PARK",
        plan: "BUSINESS UNLIMITED SMARTPHONE $45.00 monthly access charge",
        voice: "20",
        messages: "10",
        data_gb: "1.010",
        items: &[
            (MONTHLY, "Line", "BUSINESS UNLIMITED SMARTPHONE", "", "", "", "45.00"),
            (MONTHLY, "Line", "10% Access Discount", "", "", "", "-4.50"),
            (SURCHARGES, "Line", "Regulatory Charge", "", "", "", "0.21"),
            (SURCHARGES, "Line", "Administrative Charge", "", "", "", "1.95"),
            (TAXES, "Line", "OH State Sales Tax", "", "", "", "1.90"),
        ],
        total: "44.56",
    },
];

/// (line, date, time, number, min, total, description): the calls of the cycle (Jan 16 to Feb 15).
const CALLS: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
    ("513-503-8396", "01/18", "9:02A", "513-555-0142", "20", "0.00", "Unlimited Calling "),
    ("513-503-8396", "02/06", "4:45P", "614-555-0190", "15", "0.00", "Unlimited Calling "),
    ("513-503-8397", "01/22", "8:30A", "513-555-0177", "300", "0.00", "Plan Minutes "),
    ("513-503-8397", "02/01", "1:10P", "937-555-0121", "258", "0.00", "Plan Minutes "),
    ("513-503-8397", "02/09", "6:40P", "411", "2", "1.99", "DIRECTORY ASSISTANCE "),
    ("513-503-8399", "02/12", "11:05A", "513-555-0101", "20", "0.00", "Unlimited Calling "),
];

/// The fleet list's 38 columns, as a real one has them.
const FLEET_HEADER: [&str; 38] = [
    "USER NAME",
    "EMAIL",
    "WIRELESS NUMBER",
    "STATUS",
    "VENDOR",
    "BAN",
    "OS",
    "MAKE/MODEL",
    "IMEI",
    "SIM",
    "SERIAL NUMBER",
    "COST CENTER",
    "UPGRADE ELIGIBLE",
    "PLAN NAME",
    "PLAN TYPE",
    "PLAN CODE",
    "PLAN LINE NUMBER",
    "DISCOUNTED MRC",
    "PLAN GROUP",
    "PLAN LINE ALLOCATION",
    "TOTAL PER LINE",
    "NOTES",
    "INTERNATIONAL CALL",
    "VOIP CALLING",
    "INSURANCE",
    "CALL FORWARDING",
    "FORWARD NUMBER",
    "FORWARD NAME",
    "FORWARD END DATE",
    "LOCATION CODE",
    "ADDRESS",
    "CITY",
    "STATE",
    "ZIP",
    "EMPLOYEE ID",
    "REGION",
    "ENTITY",
    "GL CODE",
];

/// (user, email, number, model, IMEI, cost center, plan name, MRC, employee id, GL code)
type Phone =
    (&'static str, &'static str, &'static str, &'static str, f64, &'static str, &'static str, f64, &'static str, &'static str);

const FLEET: &[Phone] = &[
    (
        "Dana White",
        "dwhite@maplevalley.k12.oh.us",
        "(513) 503-8396",
        "APPLE IPHONE 14 128GB",
        356_938_035_643_809.0,
        "CC-100",
        "Business Unlimited Smartphone $45.00 (unlimited talk, text & data)",
        45.00,
        "E301",
        "2110-530-ARTS",
    ),
    (
        "Luis Ortiz",
        "lortiz@maplevalley.k12.oh.us",
        "(513) 503-8397",
        "SAMSUNG GALAXY A15",
        354_112_110_987_654.0,
        "CC-200",
        "Business Talk 500 $30.00 (500 minutes, $.45/min after)",
        30.00,
        "E302",
        "2120-540-TRANS",
    ),
    (
        "Kim Nguyen",
        "knguyen@maplevalley.k12.oh.us",
        "(513) 503-8398",
        "INSEYEGO MIFI X PRO",
        990_016_870_123_456.0,
        "CC-300",
        "FLEX Business Data Device 2GB $35.00",
        35.00,
        "E303",
        "3100-560-SPED",
    ),
    (
        "Ann Park",
        "apark@maplevalley.k12.oh.us",
        "(513) 503-8399",
        "APPLE IPHONE 13 128GB",
        353_915_112_345_678.0,
        "CC-100",
        "Business Unlimited Smartphone $45.00 (unlimited talk, text & data)",
        40.50,
        "E304",
        "2110-530-ARTS",
    ),
];

fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

pub fn write(root: &Path) {
    let dir = root.join("2024-02-fleet");
    std::fs::create_dir_all(&dir).unwrap();

    let summary = vec![strings(&[
        "",
        CYCLE,
        ACCOUNT,
        "03/16/24",
        INVOICE,
        "Jan 16 -Feb 15 ",
        "MAPLE VALLEY SCHOOL DISTRICT",
        "230.00",
        "-230.00",
        "0.00",
        "0.00",
        "0.00",
        "0.00",
        "150.50",
        "0.00",
        "28.99",
        "0.00",
        "0.00",
        "0.00",
        "0.00",
        "0.00",
        "28.99",
        "0.00",
        "12.64",
        "7.32",
        "0.00",
        "199.45",
        "199.45",
        "PO BOX 660108 DALLAS, TX 75266-0108",
    ])];

    #[allow(clippy::too_many_arguments)]
    fn charge(line: &str, user: &str, item: &Item, date: &str) -> Vec<String> {
        let (category, item_type, desc, allowance, used, billable, cost) = *item;
        strings(&[
            "",
            CYCLE,
            ACCOUNT,
            INVOICE,
            line,
            user,
            "",
            "",
            category,
            date,
            item_type,
            &format!("{desc} "),
            "",
            "",
            "",
            "",
            "",
            "",
            allowance,
            used,
            billable,
            cost,
            "N/A",
        ])
    }
    let mut charges = vec![charge("", "", &("Payments", "Payment", "Payment Received", "", "", "", "-230.00"), "01/30/24")];
    for l in LINES {
        for item in l.items {
            let date = match (item.0, item.1) {
                (MONTHLY, _) => "02/16/2024 - 03/15/2024",
                (_, "Usage") => "01/16/24 - 02/15/24",
                _ => "",
            };
            charges.push(charge(l.number, l.user, item, date));
        }
    }
    charges.push(charge("", "", &(OTHER, "Account", "Account Service Fee", "", "", "", "4.00"), ""));

    let summary_line = |line: &str, user: &str, plan: &str, total: &str, voice: &str, messages: &str, data: &str| {
        strings(&[
            "", CYCLE, ACCOUNT, INVOICE, line, user, "", "", plan, "", "0.00", "", "", "", "", "", "0.00", total, voice,
            messages, data, "0", "0", "0.000", "0", "0", "0.000", "", "",
        ])
    };
    let mut lines = vec![summary_line("", "", "", "4.00", "", "", "")];
    for l in LINES {
        lines.push(summary_line(l.number, l.user, l.plan, l.total, l.voice, l.messages, l.data_gb));
    }

    let calls: Vec<Vec<String>> = CALLS
        .iter()
        .map(|(line, date, time, number, min, total, desc)| {
            let user = LINES.iter().find(|l| l.number == *line).map_or("", |l| l.user);
            strings(&[
                "",
                CYCLE,
                ACCOUNT,
                INVOICE,
                line,
                user,
                "Voice",
                "",
                date,
                time,
                number,
                "Peak",
                "Airtime",
                desc,
                "CINCINNATI OH",
                "OH",
                "",
                min,
                total,
                "0.00",
                total,
            ])
        })
        .collect();

    let members = vec![
        ("AccountSummary_202402.txt".to_string(), rdd_text(&RDD_SUMMARY, &summary)),
        ("Acct & Wireless Charges Detail Summary Usage_202402.txt".to_string(), rdd_text(&RDD_CHARGES, &charges)),
        ("Account & Wireless Summary_202402.txt".to_string(), rdd_text(&RDD_LINES, &lines)),
        ("Wireless Usage Detail_202402.txt".to_string(), rdd_text(&RDD_USAGE, &calls)),
    ];
    write_zip(&dir.join(ZIP), (2024, 2, 16), &members);

    // The fleet list, saved on 2024-02-10.
    let mut wb = Workbook::new();
    let saved = ExcelDateTime::from_ymd(2024, 2, 10).unwrap();
    wb.set_properties(&DocProperties::new().set_creation_datetime(&saved));
    let ws = wb.add_worksheet();
    ws.set_name("Fleet").unwrap();
    for (c, h) in FLEET_HEADER.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (i, (user, email, number, model, imei, cost_center, plan, mrc, emp, gl)) in FLEET.iter().enumerate() {
        let r = i as u32 + 1;
        let col = |name: &str| FLEET_HEADER.iter().position(|h| *h == name).unwrap() as u16;
        let text = [
            ("USER NAME", *user),
            ("EMAIL", *email),
            ("WIRELESS NUMBER", *number),
            ("STATUS", "Active"),
            ("VENDOR", "Verizon Wireless"),
            ("BAN", ACCOUNT),
            ("MAKE/MODEL", *model),
            ("COST CENTER", *cost_center),
            ("PLAN NAME", *plan),
            ("PLAN TYPE", "Individual"),
            ("INTERNATIONAL CALL", "No"),
            ("VOIP CALLING", "No"),
            ("INSURANCE", "No"),
            ("CALL FORWARDING", "No"),
            ("LOCATION CODE", "MV-ADMIN"),
            ("ADDRESS", "400 Maple Ave"),
            ("CITY", "Cincinnati"),
            ("STATE", "OH"),
            ("EMPLOYEE ID", *emp),
            ("REGION", "Southwest"),
            ("ENTITY", "Maple Valley SD"),
            ("GL CODE", *gl),
        ];
        for (name, v) in text {
            ws.write_string(r, col(name), v).unwrap();
        }
        ws.write_string(r, col("OS"), if model.contains("APPLE") { "iOS" } else { "Android" }).unwrap();
        // IMEI and the money columns are numbers, as a spreadsheet holds them.
        ws.write_number(r, col("IMEI"), *imei).unwrap();
        ws.write_number(r, col("DISCOUNTED MRC"), *mrc).unwrap();
        ws.write_number(r, col("TOTAL PER LINE"), *mrc).unwrap();
        ws.write_number(r, col("ZIP"), 45202.0).unwrap();
    }
    wb.save(dir.join("Fleet List.xlsx")).unwrap();
    println!("wrote {}", dir.display());
}
