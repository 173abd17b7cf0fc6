//! Turns a generated month's usage report into a workbook (`usage.xlsx`, sheet `Usage`) and
//! points the manifest at it: the month for `benches/xlsx.sh`, which measures reading a large
//! usage sheet in bounded memory.
//!
//!     cargo run --release --example usage_to_xlsx -- MONTH_DIR

use std::io::BufRead;

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("usage: usage_to_xlsx MONTH_DIR"));
    let csv = std::io::BufReader::new(std::fs::File::open(dir.join("usage.csv")).expect("usage.csv (plain style)"));
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet_with_constant_memory().expect("sheet");
    ws.set_name("Usage").expect("name");
    for (r, line) in csv.lines().enumerate() {
        let line = line.expect("read");
        for (c, v) in line.split(',').enumerate() {
            let (r, c) = (r as u32, c as u16);
            // Quantity and charge as numbers, as a spreadsheet holds them; the rest as text.
            match (r > 0 && (c == 5 || c == 6), v.parse::<f64>()) {
                (true, Ok(n)) => ws.write_number(r, c, n).map(|_| ()),
                _ if v.is_empty() => Ok(()),
                _ => ws.write_string(r, c, v).map(|_| ()),
            }
            .expect("write");
        }
    }
    wb.save(dir.join("usage.xlsx")).expect("save");
    let manifest = std::fs::read_to_string(dir.join("billrecon.toml")).expect("manifest");
    std::fs::write(dir.join("billrecon.toml"), manifest.replace("usage = [\"usage.csv\"]", "usage = [\"usage.xlsx#Usage\"]"))
        .expect("manifest");
    std::fs::remove_file(dir.join("usage.csv")).expect("remove usage.csv");
}
