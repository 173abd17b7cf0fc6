//! The XLSX reader on mutated workbooks (seeded with the fixtures' real ones): the usage sheet
//! streamed, the inventory sheet, and `billrecon init`'s peek at every sheet. calamine has
//! panicked on malformed workbooks; every call into it is contained, so a broken workbook is an
//! error naming the file, never a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

use billrecon_parser::{FileRef, Format};

fuzz_target!(|data: &[u8]| {
    billrecon_parser::quiet_contained_panics();
    let path = common::file_with(data, "xlsx");
    let file = FileRef { name: "fuzz.xlsx".into(), path, member: None, sheet: None, format: Format::Xlsx };
    let mut usage = billrecon_model::UsageTable::default();
    if let Ok((r, _)) = billrecon_parser::usage::read_usage(&file, &mut usage) {
        assert!(r.balanced());
    }
    let period = billrecon_model::Period::month("2026-10").unwrap();
    if let Ok((_, r, _)) = billrecon_parser::tables::read_inventory(&file, &period, None) {
        assert!(r.balanced());
    }
});
