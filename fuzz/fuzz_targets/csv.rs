//! The CSV reader on arbitrary bytes: the usage report on every core (read_runs), the charges
//! table row by row (read_rows), and a carrier profile's tab-delimited, Windows-1252 layout.
//! Whatever the bytes, reading returns a result (rows accepted, rejected or an error naming the
//! file) and the counts add up; it never panics or hangs.
#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

use billrecon_parser::profile::{Profile, ProfileRef};
use billrecon_parser::{FileRef, Format};

fn verizon() -> ProfileRef {
    static P: OnceLock<ProfileRef> = OnceLock::new();
    P.get_or_init(|| ProfileRef(Arc::new(Profile::resolve("verizon-rdd", std::path::Path::new(".")).unwrap()))).clone()
}

fuzz_target!(|data: &[u8]| {
    let path = common::file_with(data, "csv");
    let file = FileRef { name: "fuzz.csv".into(), path, member: None, sheet: None, format: Format::Csv };
    let mut usage = billrecon_model::UsageTable::default();
    if let Ok((r, _)) = billrecon_parser::usage::read_usage(&file, &mut usage) {
        assert!(r.balanced());
        assert_eq!(usage.len() as u64, r.accepted);
    }
    if let Ok((_, r, _)) = billrecon_parser::tables::read_charges(&file, 0) {
        assert!(r.balanced());
    }
    let input = billrecon_parser::InputRef { file, profile: Some(verizon()) };
    if let Ok((_, r, _)) = billrecon_parser::tables::read_charges(&input, 0) {
        assert!(r.balanced());
    }
});
