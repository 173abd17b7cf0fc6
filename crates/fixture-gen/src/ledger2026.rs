//! `fixtures/ledger/2026-08`, `2026-09`, `2026-10`: three consecutive months of one small
//! agency, sibling folders (their ledger is `fixtures/ledger/billrecon.db` once posted), written
//! so that each history rule fires by October:
//! - 860-555-0202 is billed its plan and never used: `zero_usage_streak` in October;
//! - 860-555-0201's charges jump in October (a $60.00 phone on top of its $40.00 plan):
//!   `cost_spike`;
//! - 860-555-0203 is billed and assigned to nobody, every month: `repeat_finding` from September;
//! - 860-555-0204's voicemail is billed twice in August; disputed with the carrier (case
//!   VZ-1001), it is never credited: `credit_not_received` in October;
//! - a `411` call in August and another in October give Jo Rivera notices to pay.

use std::path::Path;

/// (line, day, time, number, type, quantity, charge, description)
type Call = (&'static str, u32, &'static str, &'static str, &'static str, &'static str, &'static str, &'static str);

struct MonthSpec {
    label: &'static str,
    days: u32,
    /// (line, category, description, amount)
    charges: &'static [(&'static str, &'static str, &'static str, &'static str)],
    usage: &'static [Call],
}

const BASE: &[(&str, &str, &str, &str)] = &[
    ("860-555-0201", "plan", "Business 500", "40.00"),
    ("860-555-0201", "tax", "Taxes", "2.10"),
    ("860-555-0202", "plan", "Business Basic", "35.00"),
    ("860-555-0202", "tax", "Taxes", "1.85"),
    ("860-555-0203", "plan", "Business Basic", "35.00"),
    ("860-555-0204", "plan", "Business 500", "40.00"),
    ("860-555-0204", "feature", "Visual voicemail", "5.00"),
    ("", "fee", "Account service fee", "4.00"),
];

const MONTHS: &[MonthSpec] = &[
    MonthSpec {
        label: "2026-08",
        days: 31,
        charges: &[
            ("860-555-0204", "feature", "Visual voicemail", "5.00"),
            ("860-555-0204", "directory_assistance", "411 Search", "1.99"),
        ],
        usage: &[
            ("860-555-0201", 3, "09:15", "860-555-3000", "voice", "22", "", ""),
            ("860-555-0203", 4, "10:00", "860-555-3001", "voice", "5", "", ""),
            ("860-555-0204", 12, "14:02", "411", "voice", "2", "1.99", "411 Search"),
            ("860-555-0204", 13, "08:30", "860-555-3002", "voice", "14", "", ""),
        ],
    },
    MonthSpec {
        label: "2026-09",
        days: 30,
        charges: &[],
        usage: &[
            ("860-555-0201", 8, "09:40", "860-555-3000", "voice", "31", "", ""),
            ("860-555-0203", 9, "11:00", "860-555-3001", "voice", "7", "", ""),
            ("860-555-0204", 15, "16:20", "860-555-3002", "voice", "9", "", ""),
        ],
    },
    MonthSpec {
        label: "2026-10",
        days: 31,
        charges: &[
            ("860-555-0201", "equipment", "Replacement phone", "60.00"),
            ("860-555-0204", "directory_assistance", "411 Search", "1.99"),
        ],
        usage: &[
            ("860-555-0201", 6, "13:05", "860-555-3000", "voice", "18", "", ""),
            ("860-555-0203", 7, "12:00", "860-555-3001", "voice", "6", "", ""),
            ("860-555-0204", 20, "17:45", "411", "voice", "2", "1.99", "411 Search"),
            ("860-555-0204", 21, "09:10", "860-555-3002", "voice", "11", "", ""),
        ],
    },
];

pub fn write(root: &Path) {
    let dir = root.join("ledger");
    for m in MONTHS {
        let d = dir.join(m.label);
        std::fs::create_dir_all(&d).unwrap();
        let charges: Vec<&(&str, &str, &str, &str)> = BASE.iter().chain(m.charges.iter()).collect();
        let total: i64 = charges.iter().map(|c| (c.3.replace('.', "")).parse::<i64>().unwrap()).sum();
        let total = format!("{}.{:02}", total / 100, total % 100);
        let mut csv = String::from("line,category,description,amount\n");
        for c in &charges {
            csv.push_str(&format!("{},{},{},{}\n", c.0, c.1, c.2, c.3));
        }
        std::fs::write(d.join("charges.csv"), csv).unwrap();
        let number = format!("LV-{}", m.label.replace('-', ""));
        std::fs::write(
            d.join("summary.csv"),
            format!(
                "field,value\ncarrier,Lakeview Wireless\naccount_number,300400500\ninvoice_number,{number}\ninvoice_date,{label}-{days:02}\n\
                 period_start,{label}-01\nperiod_end,{label}-{days:02}\nprevious_balance,0.00\npayments,0.00\nadjustments,0.00\n\
                 current_charges,{total}\ntotal_due,{total}\n",
                label = m.label,
                days = m.days
            ),
        )
        .unwrap();
        let mut usage = String::from("line,date,time,number,type,quantity,charge,description\n");
        for u in m.usage {
            usage.push_str(&format!("{},{}-{:02},{},{},{},{},{},{}\n", u.0, m.label, u.1, u.2, u.3, u.4, u.5, u.6, u.7));
        }
        std::fs::write(d.join("usage.csv"), usage).unwrap();
        std::fs::write(
            d.join("inventory.csv"),
            "line,employee_id,employee_name,program,account_code,plan,status,start_date,end_date,authorized_by\n\
             860-555-0201,E1,Sam Okafor,Arts,2110-ARTS,BIZ500,active,2025-07-01,,Director\n\
             860-555-0202,E2,Lee Park,Transportation,2120-TRANS,BASIC,active,2025-07-01,,Director\n\
             860-555-0204,E4,Jo Rivera,Arts,2110-ARTS,BIZ500,active,2025-07-01,,Director\n",
        )
        .unwrap();
        std::fs::write(
            d.join("employees.csv"),
            "employee_id,name,email,termination_date\nE1,Sam Okafor,sokafor@example.org,\nE2,Lee Park,lpark@example.org,\nE4,Jo Rivera,jrivera@example.org,\n",
        )
        .unwrap();
        std::fs::write(d.join("plans.csv"), "plan,voice_minutes,messages,data_mb,monthly_rate\nBIZ500,500,unlimited,unlimited,40.00\nBASIC,200,unlimited,2048,35.00\n").unwrap();
        std::fs::write(
            d.join("billrecon.toml"),
            format!(
                "# {label} of three consecutive months (fixtures/ledger): post them in order into one ledger\n\
                 # (billrecon post fixtures/ledger/{label}) and each history rule fires by 2026-10.\n\
                 period = \"{label}\"\n\n[[invoice]]\nsummary = \"summary.csv\"\ncharges = \"charges.csv\"\n\n\
                 [inputs]\nusage = [\"usage.csv\"]\ninventory = \"inventory.csv\"\nemployees = \"employees.csv\"\nplans = \"plans.csv\"\n\n\
                 [policy]\nsuspense_account = \"9999-SUSP\"\nemployee_receivable_account = \"1290-EMPREC\"\npayable_account = \"2010-AP\"\n\
                 cash_account = \"1010-CASH\"\n",
                label = m.label
            ),
        )
        .unwrap();
    }
    println!("wrote {}", dir.display());
}
