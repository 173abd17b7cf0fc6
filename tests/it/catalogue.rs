//! The bad-input catalogue: each case is the worked example with one small thing wrong, the
//! command a clerk would run, the exit code it must give, and (in the snapshot
//! `it__catalogue__bad_input_catalogue.snap`) the exact message. Nothing panics, nothing is
//! lost silently: a row is rejected naming its file, row, column and reason, or the month stops
//! with one sentence saying why.

use std::io::Write as _;
use std::path::Path;

use crate::{fixture, run_in};

/// A case: its name, what it does to the month folder, the command, the exit code.
struct Case {
    name: &'static str,
    setup: Box<dyn Fn(&Path)>,
    cmd: &'static str,
    exit: i32,
}

fn case(name: &'static str, cmd: &'static str, exit: i32, setup: impl Fn(&Path) + 'static) -> Case {
    Case { name, setup: Box::new(setup), cmd, exit }
}

/// Replaces `from` with `to` in a file of the month (`from` must be there).
fn edit(m: &Path, file: &str, from: &str, to: &str) {
    let p = m.join(file);
    let s = std::fs::read_to_string(&p).unwrap();
    assert!(s.contains(from), "{file} has no `{from}`");
    std::fs::write(&p, s.replacen(from, to, 1)).unwrap();
}

fn append(m: &Path, file: &str, text: &str) {
    std::fs::OpenOptions::new().append(true).open(m.join(file)).unwrap().write_all(text.as_bytes()).unwrap();
}

fn write(m: &Path, file: &str, bytes: &[u8]) {
    std::fs::write(m.join(file), bytes).unwrap();
}

/// The inventory as a workbook, and the manifest pointed at it.
fn inventory_xlsx(m: &Path, cells: &[(u32, u16, &str)], sheet: &str) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).unwrap();
    for (r, c, v) in cells {
        ws.write_string(*r, *c, *v).unwrap();
    }
    wb.save(m.join("inventory.xlsx")).unwrap();
    edit(m, "billrecon.toml", "inventory = \"inventory.csv\"", "inventory = \"inventory.xlsx\"");
}

/// A zip of `members`, deflated.
fn zip(m: &Path, name: &str, members: &[(&str, &[u8])]) {
    let mut z = zip::ZipWriter::new(std::fs::File::create(m.join(name)).unwrap());
    let o = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (n, b) in members {
        z.start_file(*n, o).unwrap();
        z.write_all(b).unwrap();
    }
    z.finish().unwrap();
}

const INV_HEADER: &str = "line,employee_id,employee_name,program,account_code,plan,status,start_date,end_date,authorized_by";

fn cases() -> Vec<Case> {
    vec![
        // ---- the manifest
        case("no manifest", "check", 2, |m| std::fs::remove_file(m.join("billrecon.toml")).unwrap()),
        case("manifest is not TOML", "check", 2, |m| write(m, "billrecon.toml", b"period = 2026-10\n[[invoice\n")),
        case("manifest key misspelled", "check", 2, |m| edit(m, "billrecon.toml", "payable_account", "payables_account")),
        case("period month 13", "check", 2, |m| edit(m, "billrecon.toml", "\"2026-10\"", "\"2026-13\"")),
        case("period start without end", "check", 2, |m| {
            edit(m, "billrecon.toml", "period = \"2026-10\"", "period_start = \"2026-10-01\"")
        }),
        case("period of 0 days (end before start)", "check", 2, |m| {
            edit(m, "billrecon.toml", "period = \"2026-10\"", "period_start = \"2026-10-01\"\nperiod_end = \"2026-09-30\"")
        }),
        case("future period (every row outside it)", "check", 1, |m| edit(m, "billrecon.toml", "\"2026-10\"", "\"2099-10\"")),
        case("no invoice", "check", 2, |m| {
            edit(m, "billrecon.toml", "[[invoice]]\nsummary = \"summary.csv\"\ncharges = \"charges.csv\"\n", "")
        }),
        case("no inventory", "check", 2, |m| edit(m, "billrecon.toml", "inventory = \"inventory.csv\"\n", "")),
        case("empty suspense account", "check", 2, |m| edit(m, "billrecon.toml", "\"SUSPENSE\"", "\"  \"")),
        case("unknown profile", "check", 2, |m| {
            edit(
                m,
                "billrecon.toml",
                "inventory = \"inventory.csv\"",
                "inventory = { path = \"inventory.csv\", profile = \"sprint\" }",
            )
        }),
        case("input file missing", "check", 2, |m| std::fs::remove_file(m.join("usage.csv")).unwrap()),
        case("a sheet named on a CSV", "check", 2, |m| edit(m, "billrecon.toml", "\"usage.csv\"", "\"usage.csv#Sheet1\"")),
        case("a PDF named as an input", "check", 2, |m| edit(m, "billrecon.toml", "\"plans.csv\"", "\"plans.pdf\"")),
        case("a zip named without its member", "check", 2, |m| edit(m, "billrecon.toml", "\"usage.csv\"", "\"usage.zip\"")),
        // ---- CSV as bytes
        case("UTF-16 file", "check", 2, |m| {
            let text = std::fs::read_to_string(m.join("plans.csv")).unwrap();
            let mut b = vec![0xFF, 0xFE];
            for u in text.encode_utf16() {
                b.extend_from_slice(&u.to_le_bytes());
            }
            write(m, "plans.csv", &b)
        }),
        case("NUL bytes in a description (text: kept, shown escaped)", "check", 0, |m| {
            edit(m, "charges.csv", "Business 500", "Business\0\x00500")
        }),
        case("NUL byte in an amount", "check", 1, |m| edit(m, "charges.csv", "Business 500,40.00", "Business 500,40.0\0")),
        case("Windows-1252 byte in a UTF-8 file", "check", 2, |m| {
            let mut b = std::fs::read(m.join("charges.csv")).unwrap();
            b.extend_from_slice(b"860-555-0101,fee,Caf\xe9 fee,1.00\n");
            write(m, "charges.csv", &b)
        }),
        case("empty file", "check", 2, |m| write(m, "attestations.csv", b"")),
        case("header only", "check", 0, |m| write(m, "attestations.csv", b"line,date,time,number,note\n")),
        case("header repeated mid-file", "check", 1, |m| {
            append(m, "usage.csv", "line,date,time,number,type,quantity,charge,description\n")
        }),
        case("duplicate column", "check", 2, |m| edit(m, "plans.csv", "plan,voice_minutes", "plan,plan,voice_minutes")),
        case("required column missing", "check", 2, |m| {
            edit(m, "charges.csv", "line,category,description,amount", "line,category,description,total")
        }),
        case("ragged row", "check", 1, |m| append(m, "charges.csv", "860-555-0101,fee,Extra\n")),
        case("quote never closed", "check", 1, |m| append(m, "charges.csv", "860-555-0101,fee,\"Open quote,1.00\n")),
        case("a title block above the header", "check", 0, |m| {
            let s = std::fs::read_to_string(m.join("plans.csv")).unwrap();
            write(m, "plans.csv", format!("Plans as of October\n\n{s}").as_bytes())
        }),
        // ---- values
        case("date 02/30", "check", 1, |m| edit(m, "usage.csv", "2026-10-01,10:00", "02/30/2026,10:00")),
        case("date with a two-digit month 13", "check", 1, |m| edit(m, "usage.csv", "2026-10-01,10:00", "2026-13-01,10:00")),
        case("time 25:00", "check", 1, |m| edit(m, "usage.csv", "2026-10-01,10:00", "2026-10-01,25:00")),
        case("amount with three decimals", "check", 1, |m| edit(m, "charges.csv", "Business 500,40.00", "Business 500,40.005")),
        case("amount 1e6", "check", 1, |m| edit(m, "charges.csv", "Business 500,40.00", "Business 500,1e6")),
        case("amount that is text", "check", 1, |m| edit(m, "charges.csv", "Business 500,40.00", "Business 500,forty")),
        case("amount beyond any money", "check", 1, |m| {
            edit(m, "charges.csv", "Business 500,40.00", "Business 500,79228162514264337593543950336")
        }),
        case("amounts that would add past Decimal::MAX (each rejected)", "check", 1, |m| {
            edit(m, "charges.csv", "Business 500,40.00", "Business 500,79228162514264337593543950.00");
            append(m, "charges.csv", "860-555-0101,fee,Again,79228162514264337593543950.00\n")
        }),
        case("negative quantity", "check", 1, |m| edit(m, "usage.csv", ",voice,27,,", ",voice,-27,,")),
        case("phone number that is words", "check", 1, |m| edit(m, "usage.csv", "860-555-0101,2026-10-01", "call me,2026-10-01")),
        case("usage row outside the period", "check", 0, |m| edit(m, "usage.csv", "2026-10-01,10:00", "2026-11-01,10:00")),
        case("unknown usage type", "check", 1, |m| edit(m, "usage.csv", ",voice,27,,", ",fax,27,,")),
        case("unknown charge category", "check", 1, |m| edit(m, "charges.csv", "860-555-0101,tax,", "860-555-0101,widgets,")),
        case("a 10,000-character description", "check", 0, |m| {
            edit(m, "charges.csv", "Business 500", &"Business 500 ".repeat(770))
        }),
        // ---- the tables' own rules
        case("overlapping assignments of one line", "check", 1, |m| {
            append(m, "inventory.csv", "860-555-0101,E9,Someone Else,Arts,ARTS,BIZ500,active,2026-10-05,,Director\n")
        }),
        case("assignment ending before it starts", "check", 1, |m| {
            append(m, "inventory.csv", "860-555-0199,E9,Someone Else,Arts,ARTS,BIZ500,active,2026-10-05,2026-10-01,Director\n")
        }),
        case("unknown line status", "check", 1, |m| {
            edit(m, "inventory.csv", "BIZ500,active,2025-07-01,,Director", "BIZ500,borrowed,2025-07-01,,Director")
        }),
        case("employee listed twice", "check", 1, |m| {
            write(m, "employees.csv", b"employee_id,name,email,termination_date\nE1,Employee One,,\nE1,Employee Uno,,\n");
            edit(m, "billrecon.toml", "plans = \"plans.csv\"", "plans = \"plans.csv\"\nemployees = \"employees.csv\"")
        }),
        case("plan listed twice", "check", 1, |m| append(m, "plans.csv", "BIZ500,600,unlimited,unlimited,45.00\n")),
        case("summary field listed twice", "check", 1, |m| append(m, "summary.csv", "total_due,1.00\n")),
        case("summary without its total", "check", 2, |m| edit(m, "summary.csv", "total_due,180.02\n", "")),
        case("invoice that does not tie out", "findings", 1, |m| {
            edit(m, "summary.csv", "current_charges,180.02", "current_charges,181.02")
        }),
        case("a line on two invoices", "findings", 1, |m| {
            write(
                m,
                "summary2.csv",
                std::fs::read_to_string(m.join("summary.csv"))
                    .unwrap()
                    .replace("WE-2026-10", "WE-2026-10B")
                    .replace("180.02", "40.00")
                    .as_bytes(),
            );
            write(m, "charges2.csv", b"line,category,description,amount\n860-555-0101,plan,Business 500,40.00\n");
            edit(
                m,
                "billrecon.toml",
                "[inputs]",
                "[[invoice]]\nsummary = \"summary2.csv\"\ncharges = \"charges2.csv\"\n\n[inputs]",
            )
        }),
        case("attestation matching no call", "findings", 1, |m| {
            append(m, "attestations.csv", "860-555-0101,2026-10-30,23:59,,personal\n")
        }),
        case("a line billed and assigned to nobody", "findings", 1, |m| {
            append(m, "charges.csv", "860-555-0199,plan,Business 500,40.00\n")
        }),
        // ---- workbooks
        case("truncated XLSX", "check", 2, |m| {
            inventory_xlsx(m, &[(0, 0, "line")], "Lines");
            let b = std::fs::read(m.join("inventory.xlsx")).unwrap();
            write(m, "inventory.xlsx", &b[..b.len() / 2])
        }),
        case("encrypted XLSX (an OLE container)", "check", 2, |m| {
            edit(m, "billrecon.toml", "inventory = \"inventory.csv\"", "inventory = \"inventory.xlsx\"");
            let mut b = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
            b.resize(4096, 0);
            write(m, "inventory.xlsx", &b)
        }),
        case("XLSX that is text", "check", 2, |m| {
            edit(m, "billrecon.toml", "inventory = \"inventory.csv\"", "inventory = \"inventory.xlsx\"");
            write(m, "inventory.xlsx", INV_HEADER.as_bytes())
        }),
        case("XLSX sheet that is not there", "check", 2, |m| {
            inventory_xlsx(m, &[(0, 0, "line")], "Lines");
            edit(m, "billrecon.toml", "\"inventory.xlsx\"", "\"inventory.xlsx#Phones\"")
        }),
        case("XLSX declaring a billion rows", "check", 0, |m| {
            let inv = std::fs::read_to_string(m.join("inventory.csv")).unwrap();
            let cells: Vec<(u32, u16, String)> = inv
                .lines()
                .enumerate()
                .flat_map(|(r, l)| {
                    l.split(',').enumerate().map(move |(c, v)| (r as u32, c as u16, v.to_string())).collect::<Vec<_>>()
                })
                .filter(|(_, _, v)| !v.is_empty())
                .collect();
            let refs: Vec<(u32, u16, &str)> = cells.iter().map(|(r, c, v)| (*r, *c, v.as_str())).collect();
            inventory_xlsx(m, &refs, "Lines");
            // Rewrite the sheet's declared dimension to a billion rows.
            let path = m.join("inventory.xlsx");
            let mut zin = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
            let mut members = Vec::new();
            for i in 0..zin.len() {
                let mut f = zin.by_index(i).unwrap();
                let name = f.name().unwrap().to_string();
                let mut b = Vec::new();
                std::io::Read::read_to_end(&mut f, &mut b).unwrap();
                if name == "xl/worksheets/sheet1.xml" {
                    let s = String::from_utf8(b).unwrap();
                    let start = s.find("<dimension ref=\"").unwrap() + 16;
                    let end = start + s[start..].find('"').unwrap();
                    b = format!("{}A1:J1000000000{}", &s[..start], &s[end..]).into_bytes();
                }
                members.push((name, b));
            }
            drop(zin);
            let refs: Vec<(&str, &[u8])> = members.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
            zip(m, "inventory.xlsx", &refs)
        }),
        // ---- zips
        case("a zip that is not one", "check", 2, |m| {
            write(m, "usage.zip", b"PK\x03\x04 this is not really a zip");
            edit(m, "billrecon.toml", "\"usage.csv\"", "\"usage.zip#usage\"")
        }),
        case("a zip without the member named", "check", 2, |m| {
            zip(m, "usage.zip", &[("calls.csv", b"line,date\n")]);
            edit(m, "billrecon.toml", "\"usage.csv\"", "\"usage.zip#usage\"")
        }),
        case("a carrier download holding an unexpected file", "check", 2, |m| {
            zip(m, "rdd.zip", &[("AccountSummary_202610.txt", b"x\n"), ("Notes_202610.txt", b"x\n")]);
            edit(m, "billrecon.toml", "\"usage.csv\"", "{ path = \"rdd.zip#AccountSummary\", profile = \"verizon-rdd\" }")
        }),
        case("zip bomb (300 MB of zeros in 300 KB)", "check", 2, |m| {
            zip(m, "usage.zip", &[("usage.csv", &vec![b'0'; 300 << 20])]);
            edit(m, "billrecon.toml", "\"usage.csv\"", "\"usage.zip#usage.csv\"")
        }),
    ]
}

/// What a clerk is told: the exit code, every `error:` line, and every rejected row or finding
/// line the command printed (paths as `[MONTH]`).
fn essence(transcript: &str, month: &Path) -> String {
    let t = transcript.replace(month.to_str().unwrap(), "[MONTH]");
    let mut out: Vec<String> = vec![t.lines().next().unwrap_or("").to_string()];
    let (stdout, stderr) = t.split_once("----- stderr -----").unwrap_or((&t, ""));
    out.extend(stderr.lines().filter(|l| !l.trim().is_empty()).map(|l| l.chars().take(300).collect::<String>()));
    let mut in_rejected = false;
    for l in stdout.lines() {
        if l.starts_with("Rejected rows") {
            in_rejected = true;
            continue;
        }
        if in_rejected && !l.trim().is_empty() {
            out.push(l.chars().take(300).collect());
        }
        if l == "Every row was accepted." || l.contains("outside the period") || l.starts_with("No usage row") {
            out.push(l.to_string());
        }
        // findings --format csv: the rule and detail of each finding.
        if let Some(rest) = l.strip_prefix("id,") {
            let _ = rest;
        } else if l.contains(",action,") || l.contains(",review,") || l.contains(",info,") || l.contains(",charge,") {
            let cols: Vec<&str> = l.splitn(3, ',').collect();
            if cols.len() == 3 && ["action", "review", "info"].contains(&cols[2].split(',').next().unwrap_or("")) {
                out.push(l.chars().take(300).collect());
            }
        }
    }
    out.join("\n")
}

#[test]
fn bad_input_catalogue() {
    let cases = cases();
    assert!(cases.len() >= 50, "{} cases", cases.len());
    let mut doc = String::new();
    let mut wrong = Vec::new();
    for c in &cases {
        let t = tempfile::tempdir().unwrap();
        let m = t.path().join("month");
        crate::copy_month(&fixture("worked-example"), &m);
        (c.setup)(&m);
        let args: Vec<&str> = match c.cmd {
            "reconcile" => vec!["reconcile", "month", "--out", "out", "-q"],
            "findings" => vec!["findings", "month", "--format", "csv"],
            cmd => vec![cmd, "month"],
        };
        let transcript = run_in(t.path(), &args);
        assert!(!transcript.contains("panicked"), "{}: {transcript}", c.name);
        let e = essence(&transcript, &m);
        if !e.starts_with(&format!("exit: {}", c.exit)) {
            wrong.push(format!("{}: expected exit {}, got:\n{e}", c.name, c.exit));
        }
        doc.push_str(&format!("## {} (`billrecon {}`)\n{e}\n\n", c.name, c.cmd));
    }
    insta::assert_snapshot!("bad_input_catalogue", doc);
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}
