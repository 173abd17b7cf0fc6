//! One test per profile feature and per profile error, on small files written here.

use std::path::Path;
use std::sync::Arc;

use rust_decimal::Decimal;

use billrecon_model::{Charge, InvoiceSummary, Rejection, UsageTable};

use super::*;
use crate::manifest::InputRef;
use crate::source::{FileRef, Format};
use crate::tables;
use crate::usage;

fn profile(toml: &str) -> ProfileRef {
    ProfileRef(Arc::new(Profile::parse(toml, "test.toml").unwrap_or_else(|e| panic!("{e}"))))
}

fn err(toml: &str) -> String {
    Profile::parse(toml, "test.toml").unwrap_err().to_string()
}

fn input(dir: &Path, name: &str, bytes: &[u8], p: &ProfileRef) -> InputRef {
    std::fs::write(dir.join(name), bytes).unwrap();
    let format = if name.ends_with(".xlsx") { Format::Xlsx } else { Format::Csv };
    let file = FileRef { name: name.into(), path: dir.join(name), member: None, sheet: None, format };
    InputRef { file, profile: Some(p.clone()) }
}

/// Charges as `line|category|description|quantity|amount` strings, and the rejections.
fn charges(p: &ProfileRef, bytes: &[u8]) -> (Vec<String>, Vec<String>, billrecon_model::InputReport) {
    let t = tempfile::tempdir().unwrap();
    let i = input(t.path(), "charges.txt", bytes, p);
    let (cs, report, rej) = tables::read_charges(&i, 0).unwrap_or_else(|e| panic!("{e}"));
    (cs.iter().map(show_charge).collect(), rej.iter().map(Rejection::to_string).collect(), report)
}

fn show_charge(c: &Charge) -> String {
    format!(
        "{}|{}|{}|{}|{}",
        c.line.as_ref().map_or("", |l| l.as_str()),
        c.category,
        c.description,
        c.quantity.map(|q| q.to_string()).unwrap_or_default(),
        c.amount
    )
}

const CHARGES: &str = r#"
name = "t"
[format]
delimiter = "tab"
[charges.fields]
line = { column = "Wireless Number", empty = ["N/A"] }
description = "Item Description"
amount = "Cost"
[[charges.map.category]]
when = { "Item Description" = '~(?i)\b411\b' }
to = "directory_assistance"
[[charges.map.category]]
when = { "Item Category" = "Monthly Charges" }
to = "plan"
[[charges.map.category]]
when = { "Item Category" = "Credits" }
to = "credit"
negate = true
"#;

#[test]
fn columns_by_name_value_maps_first_match_wins_and_empty_values() {
    let p = profile(CHARGES);
    let file = "Wireless Number\tItem Category\tItem Description\tCost\n\
                860-555-0101\tMonthly Charges\tBusiness Talk 500\t40.00\n\
                860-555-0101\tMonthly Charges\t411 Search\t1.99\n\
                N/A\tCredits\tLoyalty credit\t5.00\n";
    let (got, rej, report) = charges(&p, file.as_bytes());
    assert_eq!(
        got,
        vec![
            "8605550101|plan|Business Talk 500||40.00",
            "8605550101|directory_assistance|411 Search||1.99",
            "|credit|Loyalty credit||-5.00",
        ]
    );
    assert!(rej.is_empty());
    assert_eq!((report.read, report.accepted, report.profile.as_deref()), (3, 3, Some("t")));
}

#[test]
fn an_unmapped_category_is_a_rejected_row_naming_the_value() {
    let p = profile(CHARGES);
    let file = "Wireless Number\tItem Category\tItem Description\tCost\n\
                860-555-0101\tWidgets\tNew gadget fee\t3.00\n";
    let (got, rej, _) = charges(&p, file.as_bytes());
    assert!(got.is_empty());
    assert_eq!(
        rej,
        vec![
            "charges.txt:2: Item Description, Item Category: Item Description `New gadget fee`, Item Category `Widgets` matches no [[charges.map.category]] rule of profile `t`: add a rule for it"
        ]
    );
}

#[test]
fn windows_1252_and_the_converters_errors_name_the_carrier_column() {
    let p = profile(&CHARGES.replace("delimiter = \"tab\"", "delimiter = \"tab\"\nencoding = \"windows-1252\""));
    let mut file = b"Wireless Number\tItem Category\tItem Description\tCost\n".to_vec();
    file.extend_from_slice(b"860-555-0101\tMonthly Charges\tPlan \x96 Caf\xe9\t40.00\n");
    file.extend_from_slice(b"860-555-0101\tMonthly Charges\tPlan\t4O.00\n");
    let (got, rej, _) = charges(&p, &file);
    assert_eq!(got, vec!["8605550101|plan|Plan – Café||40.00"]);
    assert_eq!(rej, vec!["charges.txt:3: Cost: `4O.00` is not an amount of money"]);
}

#[test]
fn a_utf8_bom_is_skipped_and_a_non_utf8_file_says_so() {
    let p = profile(CHARGES);
    let mut file = b"\xEF\xBB\xBFWireless Number\tItem Category\tItem Description\tCost\n".to_vec();
    file.extend_from_slice("860-555-0101\tMonthly Charges\tPlan é\t40.00\n".as_bytes());
    let (got, _, _) = charges(&p, &file);
    assert_eq!(got, vec!["8605550101|plan|Plan é||40.00"]);
    let t = tempfile::tempdir().unwrap();
    let i = input(t.path(), "c.txt", b"Wireless Number\tItem Category\tItem Description\tCost\nx\t\xe9\t\t\n", &p);
    assert_eq!(
        tables::read_charges(&i, 0).unwrap_err().to_string(),
        "c.txt: line 2 is not UTF-8 text; save the file as \"CSV UTF-8\""
    );
}

#[test]
fn footers_are_skipped_and_checked_against_the_rows_above() {
    let p = profile(&format!("{CHARGES}\n[charges.footer]\npattern = '(?i)^total'\ncheck = \"Cost\"\n"));
    let good = "Wireless Number\tItem Category\tItem Description\tCost\n\
                860-555-0101\tMonthly Charges\tPlan\t40.00\n\
                860-555-0102\tMonthly Charges\tPlan\t2.50\n\
                Total\t\t\t42.50\n";
    let (got, rej, report) = charges(&p, good.as_bytes());
    assert_eq!((got.len(), rej.len(), report.read, report.skipped), (2, 0, 3, 1));
    assert_eq!(report.skips[0].reason, "a footer total, checked against the rows above it");
    assert_eq!(report.skips[0].first_rows, vec![4]);
    // A ragged footer (fewer fields) is still a footer, and a wrong total is reported.
    let bad = "Wireless Number\tItem Category\tItem Description\tCost\n\
               860-555-0101\tMonthly Charges\tPlan\t40.00\n\
               TOTAL\t\t\t41.00\n";
    let (got, rej, report) = charges(&p, bad.as_bytes());
    assert_eq!(got.len(), 1);
    assert_eq!(
        rej,
        vec![
            "charges.txt:3: Cost: the footer total 41.00 does not equal 40.00, the sum of the 1 rows above it: a row is missing or altered"
        ]
    );
    assert_eq!((report.read, report.accepted, report.rejected, report.skipped), (2, 1, 1, 0));
}

#[test]
fn delimiters_quotes_title_rows_and_decimal_commas() {
    let p = profile(
        r#"
name = "t"
[format]
delimiter = ";"
quote = "none"
decimal_comma = true
skip_rows = 2
date_formats = ["%d.%m.%Y"]
[charges.fields]
line = "Rufnummer"
category = { constant = "plan" }
description = "Text"
quantity = "Menge"
amount = "Betrag"
"#,
    );
    let file = "Rufnummer;Text;Menge;Betrag\n\
                (title row skipped even though it looks like a header)\n\
                Rufnummer;Text;Menge;Betrag\n\
                8605550101;Tarif \"Business\";1;1.234,50\n";
    let (got, rej, report) = charges(&p, file.as_bytes());
    assert_eq!(got, vec!["8605550101|plan|Tarif \"Business\"|1|1234.50"]);
    assert!(rej.is_empty());
    assert_eq!(report.header_row, 3);
}

#[test]
fn sums_subtractions_negation_joins_and_parts() {
    let p = profile(
        r#"
name = "t"
[format]
delimiter = "pipe"
date_formats = ["%m/%d/%Y"]
[usage.fields]
line = "Wireless"
date = { column = "When", part = "date" }
time = { column = "When", part = "time" }
number = "Called"
quantity = "Minutes"
charge = { sum = ["Airtime", "LD"], subtract = ["Discount"] }
description = { join = ["Place", "Kind"], separator = " / " }
[[usage.map.type]]
when = { "Kind" = '~(?i)text' }
to = "text"
[[usage.map.type]]
when = {}
to = "voice"
"#,
    );
    let t = tempfile::tempdir().unwrap();
    let i = input(
        t.path(),
        "u.txt",
        b"Wireless|When|Called|Minutes|Airtime|LD|Discount|Place|Kind\n\
          860-555-0101|10/03/2026 2:15 PM|411|2|1.49|0.75|0.25|HARTFORD CT|Dir Asst\n\
          860-555-0101|10/04/2026 09:00|203-555-0100|1|||| |Text\n",
        &p,
    );
    let mut u = UsageTable::default();
    let (report, rej) = usage::read_usage(&i, &mut u).unwrap();
    assert!(rej.is_empty(), "{rej:?}");
    assert_eq!(report.accepted, 2);
    let rows: Vec<String> = u
        .iter()
        .map(|r| {
            format!(
                "{} {} {:?} {} {} {} {} {}",
                r.line.as_str(),
                r.date,
                r.time.map(|t| t.seconds()),
                r.number,
                r.kind.as_str(),
                r.quantity,
                r.charge,
                r.description
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            "8605550101 2026-10-03 Some(51300) 411 voice 2 1.99 HARTFORD CT / Dir Asst",
            "8605550101 2026-10-04 Some(32400) 2035550100 text 1 0.00 Text",
        ]
    );
}

#[test]
fn items_split_a_row_and_must_add_up_to_its_total() {
    let p = profile(builtin_text("att-premier").unwrap());
    let head = "Account number,Wireless number,Invoice date,Market cycle end date,Total current charges,Total monthly charges,Total activity since last bill,Total taxes,Total company fees and surcharges,Total adjustments\n";
    let file = format!(
        "{head}287,959-555-0111,11/03/2026,10/31/2026,62.75,55.00,4.00,3.75,0,0\n\
         287,,11/03/2026,10/31/2026,-25.00,0,0,0,0,-25.00\n\
         287,959-555-0112,11/03/2026,10/31/2026,50.00,40.00,0,2.54,0,0\n"
    );
    let (got, rej, report) = charges(&p, file.as_bytes());
    assert_eq!(
        got,
        vec![
            "9595550111|plan|Monthly charges||55.00",
            "9595550111|usage|Activity since last bill||4.00",
            "9595550111|tax|Taxes||3.75",
            "|adjustment|Adjustments||-25.00",
        ]
    );
    assert_eq!(
        rej,
        vec![
            "charges.txt:4: Total current charges: 50.00 is not the sum of Total monthly charges + Total activity since last bill + Total taxes + Total company fees and surcharges + Total adjustments (42.54)"
        ]
    );
    assert_eq!((report.read, report.accepted, report.rejected), (3, 2, 1));
}

fn summary(p: &ProfileRef, bytes: &[u8]) -> Result<(InvoiceSummary, Vec<String>, u64), String> {
    let t = tempfile::tempdir().unwrap();
    let i = input(t.path(), "s.txt", bytes, p);
    tables::read_summary(&i)
        .map(|(s, r, j)| (s, j.iter().map(Rejection::to_string).collect(), r.accepted))
        .map_err(|e| e.to_string())
}

#[test]
fn a_wide_summary_is_one_row_of_named_columns() {
    let p = profile(builtin_text("verizon-rdd").unwrap());
    let head = "Account Number\tBill Cycle Date\tBill Period\tDate Due\tInvoice Number\tPrevious Balance\tPayments\tAdjustments\tTotal Current Charges\tTotal Amount Due\n";
    let row = "442091800001\t11/01/2026\t10/01/2026 - 10/31/2026\t11/25/26\t8812345670\t598.41\t-598.41\t0.00\t574.38\t574.38\n";
    let (s, rej, accepted) = summary(&p, format!("{head}{row}").as_bytes()).unwrap();
    assert!(rej.is_empty());
    assert_eq!(accepted, 1);
    assert_eq!(
        (s.carrier.as_str(), s.invoice_number.as_str(), s.period_start.unwrap().to_string(), s.period_end.unwrap().to_string()),
        ("Verizon Wireless", "8812345670", "2026-10-01".into(), "2026-10-31".into())
    );
    assert_eq!(
        (s.payments, s.current_charges, s.total_due),
        (Decimal::new(-59841, 2), Decimal::new(57438, 2), Decimal::new(57438, 2))
    );
    assert_eq!(s.source.to_string(), "s.txt:2");
    // A second account in the same file is a rejected row, not silently ignored.
    let (_, rej, _) = summary(&p, format!("{head}{row}{row}").as_bytes()).unwrap();
    assert_eq!(
        rej,
        vec![
            "s.txt:3: (row): a wide summary is one invoice, and this is a second data row: give each invoice its own [[invoice]]"
        ]
    );
    // A bad value is rejected under the carrier's column; a required one stops the invoice.
    let bad = row.replace("574.38\t574.38", "574.38\tabc");
    assert_eq!(
        summary(&p, format!("{head}{bad}").as_bytes()).unwrap_err(),
        "s.txt: the invoice summary has no accepted total_due field"
    );
}

#[test]
fn a_wide_summary_can_total_a_column_over_every_row() {
    let p = profile(builtin_text("att-premier").unwrap());
    let file = "Account number,Wireless number,Invoice date,Market cycle end date,Total current charges\n\
                287219044110,959-555-0111,11/03/2026,10/31/2026,62.75\n\
                287219044110,,11/03/2026,10/31/2026,-25.00\n";
    let (s, rej, _) = summary(&p, file.as_bytes()).unwrap();
    assert!(rej.is_empty());
    assert_eq!((s.current_charges, s.total_due), (Decimal::new(3775, 2), Decimal::new(3775, 2)));
    assert_eq!(s.invoice_number, "287219044110-11/03/2026");
}

#[test]
fn a_profile_reads_a_workbook_sheet_it_names() {
    let p = profile(
        r#"
name = "t"
[charges]
format = { sheet = "Detail" }
[charges.fields]
line = "Phone"
category = { constant = "plan" }
amount = "Cost"
"#,
    );
    let t = tempfile::tempdir().unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().set_name("Cover").unwrap().write(0, 0, "Invoice").unwrap();
    let ws = wb.add_worksheet().set_name("Detail").unwrap();
    ws.write(0, 0, "Phone").unwrap();
    ws.write(0, 1, "Cost").unwrap();
    ws.write(1, 0, "860-555-0101").unwrap();
    ws.write(1, 1, 40.0).unwrap();
    wb.save(t.path().join("c.xlsx")).unwrap();
    let file = FileRef { name: "c.xlsx".into(), path: t.path().join("c.xlsx"), member: None, sheet: None, format: Format::Xlsx };
    let i = InputRef { file, profile: Some(p) };
    let (cs, report, _) = tables::read_charges(&i, 0).unwrap();
    assert_eq!(cs.iter().map(show_charge).collect::<Vec<_>>(), vec!["8605550101|plan|||40.00"]);
    assert_eq!(report.sheet.as_deref(), Some("Detail"));
}

#[test]
fn reading_a_table_the_profile_does_not_map_is_an_error() {
    let p = profile(CHARGES);
    let t = tempfile::tempdir().unwrap();
    let i = input(t.path(), "u.txt", b"x\n", &p);
    assert_eq!(
        usage::read_usage(&i, &mut UsageTable::default()).unwrap_err().to_string(),
        "profile test.toml: has no [usage] section, so it cannot read u.txt (it maps: charges)"
    );
}

#[test]
fn builtins_compile() {
    for (name, text) in BUILTIN {
        let p = Profile::parse(text, name).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(&p.name, name);
    }
}

#[test]
fn profile_errors_name_the_key_or_field() {
    let base = "name = \"t\"\n[charges.fields]\nline = \"L\"\ncategory = { constant = \"plan\" }\namount = \"A\"\n";
    assert!(Profile::parse(base, "t").is_ok());
    assert_eq!(
        err(&base.replace("name = ", "nmae = ")),
        "profile test.toml: line 1: unknown field `nmae`, expected one of `name`, `description`, `format`, `summary`, `charges`, `usage`, `inventory`, `employees`, `plans`, `attestations`, `lines`, `allowances`"
    );
    assert_eq!(
        err(&base.replace("amount = \"A\"", "amount = { colum = \"A\" }")),
        "profile test.toml: [charges] fields.amount: unknown key `colum`, expected one of column, constant, sum, subtract, join, separator, total, first, negate, empty, part, date_format, year_from, divide, pattern"
    );
    assert_eq!(
        err(&base.replace("amount = \"A\"", "amout = \"A\"")),
        "profile test.toml: [charges] fields: `amout` is not a invoice charges field (expected one of: line, category, amount, description, quantity)"
    );
    assert_eq!(
        err(&base.replace("amount = \"A\"\n", "")),
        "profile test.toml: [charges] maps no `amount` (required): add fields.amount = \"<column>\""
    );
    assert_eq!(
        err(&base.replace("category = { constant = \"plan\" }", "[[charges.map.category]]\nto = \"planx\"").replace("amount = \"A\"\n", "") .replace("line = \"L\"\n", "line = \"L\"\namount = \"A\"\n")),
        "profile test.toml: [charges] map.category: `planx` is not one of: plan, feature, equipment, accessory, usage, overage_voice, overage_text, overage_data, directory_assistance, long_distance, roaming, international, third_party, one_time, credit, tax, surcharge, fee, adjustment, other"
    );
    assert_eq!(
        err(&format!("{base}[[charges.map.description]]\nwhen = {{ X = '~(unclosed' }}\nto = \"d\"\n")),
        "profile test.toml: [charges] map.description: `(unclosed` is not a valid pattern: error: unclosed group"
    );
    assert_eq!(
        err(&base.replace("name = \"t\"\n", "name = \"t\"\n[format]\ndelimiter = \"::\"\n")),
        "profile test.toml: [charges] format.delimiter: `::` is not one of: comma, tab, pipe, semicolon, or a single character"
    );
    assert_eq!(
        err(&base.replace("name = \"t\"\n", "name = \"t\"\n[format]\nencoding = \"utf-16\"\n")),
        "profile test.toml: [charges] format.encoding: `utf-16` is not one of: utf-8, windows-1252"
    );
    assert_eq!(
        err(&base.replace("amount = \"A\"", "amount = { total = \"A\" }")),
        "profile test.toml: [charges] fields.amount: `total` is for a wide summary (layout = \"wide\")"
    );
    assert_eq!(
        err(&base.replace("line = \"L\"", "line = { sum = [\"L\"] }")),
        "profile test.toml: [charges] fields.line: sum, subtract, total and negate apply to amounts and quantities, not to `line`"
    );
    assert_eq!(
        err(&format!("{base}[[charges.map.category]]\nto = \"plan\"\n")),
        "profile test.toml: [charges] `category` has both fields.category and map.category: keep one"
    );
    assert_eq!(
        err("name = \"t\"\n"),
        "profile test.toml: maps no table: add a [summary], [charges], [usage] (or other table) section"
    );
    assert_eq!(
        err("name = \"t\"\n[summary]\nlayout = \"tall\"\n"),
        "profile test.toml: [summary] layout: `tall` is not one of: wide, rows"
    );
    assert_eq!(
        err(&format!("{base}[[charges.skip]]\nwhen = {{ C = \"Payments\" }}\nreason = \" \"\n")),
        "profile test.toml: [charges] skip: every skip rule needs a `reason`"
    );
    assert_eq!(
        err(&format!("{base}[[charges.skip]]\nreason = \"everything\"\n")),
        "profile test.toml: [charges] skip: a skip rule needs a `when` (it would skip every row)"
    );
    assert_eq!(
        err(&format!("{base}[[charges.skip]]\nwhen = {{ C = '~(x' }}\nreason = \"r\"\n")),
        "profile test.toml: [charges] skip: `(x` is not a valid pattern: error: unclosed group"
    );
    assert_eq!(
        err(&format!("{base}[[charges.map.description]]\nwhen = {{}}\nto = \"a\"\nfrom = \"B\"\n")),
        "profile test.toml: [charges] map.description: give a rule either `to` (a value) or `from` (a column)"
    );
    assert_eq!(
        err(&format!("{base}[[charges.map.description]]\nwhen = {{}}\nfrom = \"B\"\ndivide = 1024\n")),
        "profile test.toml: [charges] map.description: divide applies to amounts and quantities, not to `description`"
    );
    assert_eq!(
        err(&base.replace("amount = \"A\"", "amount = { column = \"A\", divide = 0 }")),
        "profile test.toml: [charges] fields.amount.divide: expected a positive number"
    );
    assert_eq!(
        err(&base.replace("line = \"L\"", "line = { column = \"L\", year_from = \"C\" }")),
        "profile test.toml: [charges] fields.line.year_from: applies to dates, not to `line`"
    );
    assert_eq!(
        err(&base.replace("line = \"L\"", "line = { column = \"L\", pattern = '(' }")),
        "profile test.toml: [charges] fields.line.pattern: `(` is not a valid pattern: error: unclosed group"
    );
    assert_eq!(
        err(&format!("{base}file = \"X\"\n[usage]\nfile = \"x\"\n[usage.fields]\nline = \"L\"\ndate = \"D\"\ntype = {{ constant = \"voice\" }}\nquantity = \"Q\"\n").replace("[charges.fields]", "[charges]\nfile = \"X\"\n[charges.fields]").replace("file = \"X\"\n[usage]", "[usage]")),
        "profile test.toml: [usage] file: `x` is already the file of [charges]"
    );
}

/// Verizon writes `NA` for an empty value in any column, and rows that are not charges
/// (payments, $0.00 usage summaries) are skipped, counted by reason.
#[test]
fn empty_words_and_skip_rules() {
    let p = profile(
        &format!(
            "{CHARGES}\n[[charges.skip]]\nwhen = {{ \"Item Category\" = \"Payments\" }}\nreason = \"a payment\"\n\
         [[charges.skip]]\nwhen = {{ \"Item Category\" = \"Data\", Cost = '~^0\\.00$' }}\nreason = \"a usage summary\"\n\
         [[charges.map.category]]\nwhen = {{ \"Item Category\" = \"Data\" }}\nto = \"overage_data\"\n"
        )
        .replace("[format]\n", "[format]\nempty = [\"NA\", \"n/a\"]\n"),
    );
    let file = "Wireless Number\tItem Category\tItem Description\tCost\r\n\
                NA\tPayments\tPayment Received\t-241.87\n\
                314-203-1016\tMonthly Charges\tPlan \t35.00\n\
                314-203-1016\tData\tGIGABYTE USAGE\t0.00\n\
                314-203-1017\tData\tGIGABYTE USAGE\t16.50\n\
                N/A\tMonthly Charges\tNA\t4.00\n\
                NA\tPayments\tPayment Received\t-10.00\n";
    let (got, rej, report) = charges(&p, file.as_bytes());
    assert_eq!(got, vec!["3142031016|plan|Plan||35.00", "3142031017|overage_data|GIGABYTE USAGE||16.50", "|plan|||4.00"]);
    assert!(rej.is_empty(), "{rej:?}");
    assert_eq!((report.read, report.accepted, report.rejected, report.skipped, report.blank), (6, 3, 0, 3, 0));
    let skips: Vec<(String, u64, Vec<u32>)> =
        report.skips.iter().map(|s| (s.reason.clone(), s.rows, s.first_rows.clone())).collect();
    assert_eq!(skips, vec![("a payment".to_string(), 2, vec![2, 7]), ("a usage summary".to_string(), 1, vec![4])]);
    assert!(report.balanced());
}

/// Values from a column the row chooses (AT&T's quantity by Source), divided (KB to MB), the
/// first non-empty of several columns, a captured part of a value.
#[test]
fn rules_that_take_a_column_first_of_and_patterns() {
    let p = profile(
        r#"
name = "t"
[usage.fields]
line = { column = "Account and descriptions", pattern = '^(\d{3}-\d{3}-\d{4})' }
date = "Date"
number = { first = ["Dialed number", "MSG sent to", "MSG received from"] }
charge = "Total charges"
[[usage.map.type]]
when = { Source = "Voice" }
to = "voice"
[[usage.map.type]]
when = { Source = "Data" }
to = "data"
[[usage.map.type]]
when = { Source = "Messaging" }
to = "text"
[[usage.map.quantity]]
when = { Source = "Voice" }
from = "Minutes usage"
[[usage.map.quantity]]
when = { Source = "Data" }
from = "KB usage"
divide = 1024
[[usage.map.quantity]]
when = { Source = "Messaging" }
from = "Total number of events"
"#,
    );
    let t = tempfile::tempdir().unwrap();
    let file = "\"Account and descriptions\",\"Date\",\"Dialed number\",\"MSG sent to\",\"MSG received from\",\"Minutes usage\",\"KB usage\",\"Total number of events\",\"Total charges\",\"Source\"\n\
                959-555-0112 (ENC PRODUCTS),10/08/2026,411,,,2,,1,$2.49,Voice\n\
                959-555-0112 (ENC PRODUCTS),10/09/2026,,,,,1536,1,$0.00,DATA\n\
                959-555-0112 (ENC PRODUCTS),10/10/2026,,,2035550188,,,3,$0.00,messaging\n\
                959-555-0112 (ENC PRODUCTS),10/11/2026,,,,,100,1,($0.50),Data\n\
                no line here,10/12/2026,411,,,1,,1,$0.00,Voice\n\
                959-555-0112,10/12/2026,411,,,1,,1,$0.00,Fax\n";
    let i = input(t.path(), "usage.csv", file.as_bytes(), &p);
    let mut table = UsageTable::default();
    let (report, rej) = usage::read_usage(&i, &mut table).unwrap();
    let got: Vec<String> = (0..table.len())
        .map(|k| {
            let r = table.get(k);
            format!("{} {} {} {} {} {}", r.line, r.date, r.kind.as_str(), r.number, r.quantity, r.charge)
        })
        .collect();
    assert_eq!(
        got,
        vec![
            "9595550112 2026-10-08 voice 411 2 2.49",
            "9595550112 2026-10-09 data  1.5 0.00",
            "9595550112 2026-10-10 text 2035550188 3 0.00",
            "9595550112 2026-10-11 data  0.09765625 -0.50",
        ]
    );
    let rej: Vec<String> = rej.iter().map(Rejection::to_string).collect();
    assert_eq!(
        rej,
        vec![
            "usage.csv:6: Account and descriptions: `no line here` does not match the pattern `^(\\d{3}-\\d{3}-\\d{4})`",
            "usage.csv:7: Source: Source `Fax` matches no [[usage.map.type]] rule of profile `t`: add a rule for it",
        ]
    );
    assert_eq!((report.read, report.accepted, report.rejected), (6, 4, 2));
}

/// Verizon prints call dates as `MM/DD` and bill periods as `Dec 16 -Jan 15 `: the bill cycle
/// date in another column gives the year, December going to the year before.
#[test]
fn dates_without_a_year_take_it_from_a_column() {
    let p = profile(
        r#"
name = "t"
[format]
delimiter = "tab"
empty = ["NA"]
date_formats = ["%m/%d/%Y", "%m/%d/%y"]
[usage.fields]
line = "Wireless Number"
date = { column = "Date", year_from = "Bill Cycle Date" }
time = "Time"
type = { constant = "voice" }
quantity = "Min"
"#,
    );
    let t = tempfile::tempdir().unwrap();
    let file = "Bill Cycle Date\tWireless Number\tDate\tTime\tMin\r\n\
                Jan 15, 2024\t314-203-1018\t12/20\t7:15A\t5\n\
                Jan 15, 2024\t314-203-1018\t01/08\t10:12A\t2\n\
                01/15/24\t314-203-1018\t12/31\t11:59P\t1\n\
                NA\t314-203-1018\t01/09\t12:05P\t1\n\
                Jan 15, 2024\t314-203-1018\t13/01\t1:00P\t1\n\
                Jan 15, 2024\t314-203-1018\t01/10\t13:05P\t1\n";
    let i = input(t.path(), "usage.txt", file.as_bytes(), &p);
    let mut table = UsageTable::default();
    let (_, rej) = usage::read_usage(&i, &mut table).unwrap();
    let got: Vec<String> = (0..table.len()).map(|k| format!("{} {}", table.get(k).date, table.time[k])).collect();
    assert_eq!(got, vec!["2023-12-20 26100", "2024-01-08 36720", "2023-12-31 86340"]);
    let rej: Vec<String> = rej.iter().map(Rejection::to_string).collect();
    assert_eq!(
        rej,
        vec![
            "usage.txt:5: Date: `01/09` has no year, and Bill Cycle Date `` is not a date to take it from",
            "usage.txt:6: Date: `13/01` is not a date (expected YYYY-MM-DD, MM/DD/YYYY or Jan 15, 2024)",
            "usage.txt:7: Time: `13:05P` is not a time of day (expected HH:MM, HH:MM:SS or H:MM AM/PM)",
        ]
    );
}

/// The real AccountSummary: `Jan 15, 2024`, `02/14/24`, `Dec 16 -Jan 15 `, an empty ECPD
/// Profile ID, NA in other columns.
#[test]
fn the_built_in_verizon_summary_reads_the_real_columns() {
    let p = ProfileRef(Arc::new(Profile::resolve("verizon-rdd", Path::new(".")).unwrap()));
    let header = "ECPD Profile ID\tBill Cycle Date\tAccount Number\tDate Due\tInvoice Number\tBill Period\tBill Name\tPrevious Balance\tPayments\tAdjustments\tBalance Forward\tTotal Current Charges\tTotal Amount Due\tLate Fee";
    let row = "\tJan 15, 2024\t842917365-00001\t02/14/24\t9851234567\tDec 16 -Jan 15 \tRIVERBEND\t241.87\t-241.87\t0.00\t0.00\t255.56\t255.56\tNA";
    let (s, rej, _) = summary(&p, format!("{header}\r\n{row}\n").as_bytes()).unwrap();
    assert!(rej.is_empty(), "{rej:?}");
    let d = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d);
    assert_eq!(
        (s.invoice_date, s.period_start, s.period_end, s.due_date),
        (d(2024, 1, 15), d(2023, 12, 16), d(2024, 1, 15), d(2024, 2, 14))
    );
    assert_eq!(
        (s.carrier.as_str(), s.account_number.as_str(), s.invoice_number.as_str()),
        ("Verizon Wireless", "842917365-00001", "9851234567")
    );
    assert_eq!((s.payments.to_string(), s.current_charges.to_string()), ("-241.87".to_string(), "255.56".to_string()));
}

#[test]
fn resolve_names_built_ins_and_files() {
    let t = tempfile::tempdir().unwrap();
    assert_eq!(Profile::resolve("verizon-rdd", t.path()).unwrap().name, "verizon-rdd");
    std::fs::write(
        t.path().join("mine.toml"),
        builtin_text("att-premier").unwrap().replace("name = \"att-premier\"", "name = \"mine\""),
    )
    .unwrap();
    assert_eq!(Profile::resolve("mine.toml", t.path()).unwrap().name, "mine");
    assert_eq!(
        Profile::resolve("verizon", t.path()).unwrap_err().to_string(),
        "profile verizon: not a built-in profile (verizon-rdd, att-premier, att-raw-data, fleet, desk-calls, card-report) nor a profile file"
    );
}

/// Verizon's charges detail as another tool saved it: 22 fields per row where the header has 23
/// (the always-empty Order Details dropped with its tab). Every row is read, the short ones
/// counted; a row that ends before the Cost column the profile requires is still rejected.
#[test]
fn verizon_charges_short_of_their_trailing_order_details_read_as_empty() {
    let p = ProfileRef(Arc::new(Profile::resolve("verizon-rdd", Path::new(".")).unwrap()));
    let header = "ECPD Profile ID\tBill Cycle Date\tAccount Number\tInvoice Number\tWireless Number\tUser Name\tCost Center\tUser ID\tItem Category\tDate\tItem Type\tItem Description\tVendor Name / Contact Information\tShare Description\tShare Voice\tShare Messaging\tShare Data\tUsage Period\tAllowance\tUsed\tBillable\tCost\tOrder Details";
    let row = |line: &str, cat: &str, desc: &str, cost: &str| {
        format!("\tJan 15, 2021\t842917365-00001\t9851234567\t{line}\tPAT\tNA\tNA\t{cat}\tNA\tNA\t{desc}\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\t{cost}")
    };
    let file = format!(
        "{header}\r\n{}\r\n{}\r\n{}\tNA\r\n{}\r\n",
        row("860-555-0101", "Monthly Charges", "Business Unlimited", "45.00"),
        row("860-555-0101", "Surcharges", "Regulatory Charge", "0.29"),
        row("NA", "Account Charges and Credits", "Late fee", "5.00"),
        "\tJan 15, 2021\t842917365-00001\t9851234567\t860-555-0102\tPAT\tNA\tNA\tMonthly Charges",
    );
    let (cs, rej, report) = charges(&p, file.as_bytes());
    assert_eq!(
        cs,
        ["8605550101|plan|Business Unlimited||45.00", "8605550101|surcharge|Regulatory Charge||0.29", "|fee|Late fee||5.00"]
    );
    assert_eq!(rej, ["charges.txt:5: (row): has 9 fields where the header has 23"]);
    assert_eq!((report.read, report.accepted, report.rejected, report.short), (4, 3, 1, 2));
}
