//! `fixtures/2024-01-verizon`: a month written by hand in exactly the layout of a real Verizon
//! Raw Data Download (January 2024, bill cycle closing Jan 15, 2024): the zip of four
//! tab-delimited files as My Business delivers it, `NA` for empty values, the header ending CRLF
//! and the rows LF, a Payments row, a 10% access discount, call dates without a year across
//! December and January, 12-hour `A`/`P` times, and a `411` call. Its result is computed by hand
//! in `tests/it/real_layouts.rs`; nothing here is derived from billrecon's own reading.

use std::path::Path;

use crate::carrier::{rdd_text, write_zip, RDD_CHARGES, RDD_LINES, RDD_SUMMARY, RDD_USAGE};

/// A value written as nothing at all (not `NA`): `ECPD Profile ID` can be empty.
const BLANK: &str = "\u{1}";

const ZIP: &str = "RDD_RIVERBEND_UNIFIED_SD_202401.zip";
const ACCOUNT: &str = "842917365-00001";
const INVOICE: &str = "9851234567";
const CYCLE: &str = "Jan 15, 2024";

struct Line {
    number: &'static str,
    user: &'static str,
    plan: &'static str,
    voice: &'static str,
    messages: &'static str,
    data_gb: &'static str,
    /// (Item Category, Item Description, Cost)
    items: &'static [(&'static str, &'static str, &'static str)],
    /// (Allowance, Used) of a $0.00 GIGABYTE USAGE row, if the line has one.
    gigabytes: Option<(&'static str, &'static str)>,
}

const MONTHLY: &str = "Monthly Charges";
const SURCHARGES: &str = "Surcharges";
const OTHER: &str = "Other Charges and Credits";
const TAXES: &str = "Taxes, Governmental Surcharges and Fees";

const LINES: &[Line] = &[
    Line {
        number: "314-203-1016",
        user: "JANE DOE",
        plan: "FLEX BUSINESS DATA DEVICE 2GB $35.00 monthly access charge $.25 per minute after allowance",
        voice: "NA",
        messages: "NA",
        data_gb: "1.284",
        items: &[
            (MONTHLY, "FLEX BUSINESS DATA DEVICE 2GB", "35.00"),
            (SURCHARGES, "Regulatory Charge", "0.21"),
            (SURCHARGES, "Administrative Charge", "1.95"),
            (SURCHARGES, "Fed Universal Service Charge", "1.34"),
            (OTHER, "Economic Adjustment Charge", "1.85"),
            (TAXES, "MO State Sales Tax", "1.52"),
            (TAXES, "St Louis County Sales Tax", "0.62"),
        ],
        gigabytes: Some(("2.000(shared)", "1.284")),
    },
    Line {
        number: "314-203-1017",
        user: "MARK LEE",
        plan: "BUSINESS UNLIMITED SMARTPHONE $45.00 monthly access charge",
        voice: "40",
        messages: "0",
        data_gb: "2.112",
        items: &[
            (MONTHLY, "BUSINESS UNLIMITED SMARTPHONE", "45.00"),
            (MONTHLY, "10% Access Discount", "-4.50"),
            (SURCHARGES, "Regulatory Charge", "0.21"),
            (SURCHARGES, "Administrative Charge", "1.95"),
            (SURCHARGES, "Fed Universal Service Charge", "1.72"),
            (OTHER, "Economic Adjustment Charge", "3.30"),
            (TAXES, "MO State Sales Tax", "1.79"),
            (TAXES, "St Louis County Sales Tax", "0.73"),
            (TAXES, "St Louis County 911 Tax", "1.00"),
            (TAXES, "MO 988 Tax", "0.10"),
        ],
        gigabytes: None,
    },
    Line {
        number: "314-203-1018",
        user: "ANA SOTO",
        plan: "BUSINESS UNLIMITED SMARTPHONE $45.00 monthly access charge",
        voice: "15",
        messages: "0",
        data_gb: "0.845",
        items: &[
            (MONTHLY, "BUSINESS UNLIMITED SMARTPHONE", "45.00"),
            ("Voice", "Directory Assistance 411", "1.99"),
            (SURCHARGES, "Regulatory Charge", "0.21"),
            (SURCHARGES, "Administrative Charge", "1.95"),
            (SURCHARGES, "Fed Universal Service Charge", "1.94"),
            (OTHER, "Economic Adjustment Charge", "3.30"),
            (TAXES, "MO State Sales Tax", "1.99"),
            (TAXES, "St Louis County Sales Tax", "0.81"),
            (TAXES, "St Louis County 911 Tax", "1.00"),
            (TAXES, "MO 988 Tax", "0.10"),
        ],
        gigabytes: None,
    },
    Line {
        number: "314-203-1019",
        user: "R PATEL",
        plan: "BUSINESS UNLIMITED SMARTPHONE $45.00 monthly access charge",
        voice: "14",
        messages: "0",
        data_gb: "0.000",
        items: &[
            (MONTHLY, "BUSINESS UNLIMITED SMARTPHONE", "45.00"),
            (MONTHLY, "10% Access Discount", "-4.50"),
            (SURCHARGES, "Regulatory Charge", "0.21"),
            (SURCHARGES, "Administrative Charge", "1.95"),
            (SURCHARGES, "Fed Universal Service Charge", "1.72"),
            (OTHER, "Economic Adjustment Charge", "3.30"),
            (TAXES, "MO State Sales Tax", "1.79"),
            (TAXES, "St Louis County Sales Tax", "0.73"),
        ],
        gigabytes: None,
    },
    Line {
        number: "314-203-1020",
        user: "TOM ROSS",
        plan: "SMARTPHONE 5GB SHARE $30.00 monthly access charge",
        voice: "7",
        messages: "0",
        data_gb: "3.412",
        items: &[
            (MONTHLY, "SMARTPHONE 5GB SHARE", "30.00"),
            (MONTHLY, "Addl Smartphn Data Access", "10.00"),
            (SURCHARGES, "Regulatory Charge", "0.21"),
            (SURCHARGES, "Administrative Charge", "1.95"),
            (SURCHARGES, "Fed Universal Service Charge", "1.53"),
            (SURCHARGES, "Oh Tax Recovery Surcharge", "0.04"),
            (OTHER, "Economic Adjustment Charge", "3.30"),
            (TAXES, "MO State Sales Tax", "1.60"),
            (TAXES, "St Louis County Sales Tax", "0.65"),
        ],
        gigabytes: Some(("5.000(shared)", "3.412")),
    },
];

/// Line totals (Account & Wireless Summary's Total Charges), worked out by hand.
const TOTALS: &[(&str, &str)] = &[
    ("314-203-1016", "42.49"),
    ("314-203-1017", "51.30"),
    ("314-203-1018", "58.29"),
    ("314-203-1019", "50.20"),
    ("314-203-1020", "49.28"),
];

/// (line, date, time, number, min, total, description): the calls of the cycle.
const CALLS: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
    ("314-203-1017", "12/18", "9:02A", "314-555-0142", "12", "0.00", "Unlimited Calling "),
    ("314-203-1017", "12/27", "4:45P", "636-555-0190", "3", "NA", "Unlimited Calling "),
    ("314-203-1017", "01/03", "11:30A", "314-555-0142", "25", "0.00", "Unlimited Calling "),
    ("314-203-1018", "12/20", "7:15A", "314-555-0101", "5", "0.00", "Unlimited Calling "),
    ("314-203-1018", "01/08", "10:12A", "411", "2", "1.99", "DIRECTORY ASSISTANCE "),
    ("314-203-1018", "01/10", "12:05P", "618-555-0133", "8", "0.00", "Unlimited Calling "),
    ("314-203-1019", "01/02", "6:40P", "314-555-0188", "14", "0.00", "Unlimited Calling "),
    ("314-203-1020", "12/31", "11:59P", "314-555-0177", "1", "0.00", "Unlimited Calling "),
    ("314-203-1020", "01/14", "3:20P", "800-555-0100", "6", "0.00", "Toll Free "),
];

fn text(rows: &[Vec<String>], header: &[&str]) -> Vec<u8> {
    let bytes = rdd_text(header, rows);
    // `BLANK` marks a value written as nothing at all.
    let mut out = Vec::with_capacity(bytes.len());
    for b in bytes {
        if b != 1 {
            out.push(b);
        }
    }
    out
}

fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

pub fn write(root: &Path) {
    let dir = root.join("2024-01-verizon");
    std::fs::create_dir_all(&dir).unwrap();

    let summary = vec![strings(&[
        BLANK,
        CYCLE,
        ACCOUNT,
        "02/14/24",
        INVOICE,
        "Dec 16 -Jan 15 ",
        "RIVERBEND UNIFIED SCHOOL DISTRICT",
        "241.87",
        "-241.87",
        "0.00",
        "0.00",
        "0.00",
        "0.00",
        "201.00",
        "0.00",
        "1.99",
        "0.00",
        "0.00",
        "0.00",
        "0.00",
        "0.00",
        "1.99",
        "0.00",
        "38.14",
        "14.43",
        "0.00",
        "255.56",
        "255.56",
        "PO BOX 660108 DALLAS, TX 75266-0108",
    ])];

    let charge = |line: &str,
                  user: &str,
                  category: &str,
                  date: &str,
                  item_type: &str,
                  desc: &str,
                  allowance: &str,
                  used: &str,
                  billable: &str,
                  cost: &str| {
        strings(&[
            BLANK, CYCLE, ACCOUNT, INVOICE, line, user, "", "", category, date, item_type, desc, "", "", "", "", "", "",
            allowance, used, billable, cost, "N/A",
        ])
    };
    let mut charges = vec![charge("", "", "Payments", "01/02/24", "Payment", "Payment Received", "", "", "", "-241.87")];
    for l in LINES {
        for (category, desc, cost) in l.items {
            let date = if *category == MONTHLY { "01/16/2024 - 02/15/2024" } else { "" };
            let used = if category.starts_with("Voice") { "1" } else { "" };
            charges.push(charge(l.number, l.user, category, date, "Line", &format!("{desc} "), "", used, "", cost));
        }
        if let Some((allowance, used)) = l.gigabytes {
            charges.push(charge(
                l.number,
                l.user,
                "Data",
                "12/16/23 - 01/15/24",
                "Usage",
                "GIGABYTE USAGE",
                allowance,
                used,
                "0.000",
                "0.00",
            ));
        }
    }
    charges.push(charge("", "", OTHER, "", "Account", "Account Service Fee ", "", "", "", "4.00"));

    let summary_line = |line: &str, user: &str, plan: &str, total: &str, voice: &str, messages: &str, data: &str| {
        strings(&[
            BLANK, CYCLE, ACCOUNT, INVOICE, line, user, "", "", plan, "", "0.00", "", "", "", "", "", "0.00", total, voice,
            messages, data, "0", "0", "0.000", "0", "0", "0.000", "", "",
        ])
    };
    let mut lines = vec![summary_line("", "", "", "4.00", "", "", "")];
    for l in LINES {
        let total = TOTALS.iter().find(|(n, _)| *n == l.number).map(|(_, t)| *t).unwrap_or("0.00");
        lines.push(summary_line(l.number, l.user, l.plan, total, l.voice, l.messages, l.data_gb));
    }

    let calls: Vec<Vec<String>> = CALLS
        .iter()
        .map(|(line, date, time, number, min, total, desc)| {
            let user = LINES.iter().find(|l| l.number == *line).map_or("", |l| l.user);
            let charge = if *total == "NA" { "NA" } else { total };
            strings(&[
                BLANK,
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
                "ST LOUIS MO",
                "MO",
                "",
                min,
                charge,
                "0.00",
                total,
            ])
        })
        .collect();

    let members = vec![
        ("AccountSummary_202401.txt".to_string(), text(&summary, &RDD_SUMMARY)),
        ("Acct & Wireless Charges Detail Summary Usage_202401.txt".to_string(), text(&charges, &RDD_CHARGES)),
        ("Account & Wireless Summary_202401.txt".to_string(), text(&lines, &RDD_LINES)),
        ("Wireless Usage Detail_202401.txt".to_string(), text(&calls, &RDD_USAGE)),
    ];
    write_zip(&dir.join(ZIP), (2024, 1, 16), &members);

    let inventory = "line,employee_id,employee_name,program,account_code,plan,status,start_date,end_date,authorized_by\n\
        314-203-1016,E201,Jane Doe,Arts,2110-530-ARTS,,active,2023-07-01,,M. Grant\n\
        314-203-1017,E202,Mark Lee,Transportation,2120-540-TRANS,,active,2023-07-01,,M. Grant\n\
        314-203-1018,E203,Ana Soto,Arts,2110-530-ARTS,,active,2023-07-01,,M. Grant\n\
        314-203-1020,E204,Tom Ross,Transportation,2120-540-TRANS,,active,2023-07-01,,M. Grant\n";
    std::fs::write(dir.join("inventory.csv"), inventory).unwrap();
    let manifest = format!(
        "# January 2024 for a school district, as Verizon's Raw Data Download delivers it: the zip, read\n\
         # in place. Written by `cargo run -p billrecon-fixture-gen`; tests/it/real_layouts.rs computes\n\
         # its result by hand.\n\
         period = \"2024-01\"\n\
         period_start = \"2023-12-16\"\n\
         period_end = \"2024-01-15\"\n\n\
         [[invoice]]\n\
         profile = \"verizon-rdd\"\n\
         summary = \"{ZIP}#AccountSummary\"\n\
         charges = \"{ZIP}#Acct & Wireless Charges Detail Summary Usage\"\n\
         lines = \"{ZIP}#Account & Wireless Summary\"\n\n\
         [inputs]\n\
         usage = [{{ path = \"{ZIP}#Wireless Usage Detail\", profile = \"verizon-rdd\" }}]\n\
         inventory = \"inventory.csv\"\n\n\
         [policy]\n\
         suspense_account = \"9999-530-SUSP\"\n\
         employee_receivable_account = \"1290-EMPREC\"\n\
         payable_account = \"2010-AP\"\n"
    );
    std::fs::write(dir.join("billrecon.toml"), manifest).unwrap();
    println!("wrote {}", dir.display());
}
