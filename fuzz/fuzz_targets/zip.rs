//! The zip reader on mutated archives (seeded with the fixtures' carrier downloads): the
//! listing, finding a member by name or stem, and streaming every member through its
//! decompressor. An archive or an error naming the file.
#![no_main]

use std::io::Read;

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

use billrecon_parser::archive::Archive;
use billrecon_parser::{FileRef, Format};

fuzz_target!(|data: &[u8]| {
    let path = common::file_with(data, "zip");
    let Ok(a) = Archive::open(&path, "fuzz.zip") else { return };
    let _ = a.find("AccountSummary");
    let _ = a.check_download("verizon-rdd", &["AccountSummary", "Wireless Usage Detail"]);
    for m in a.members.iter().take(8) {
        let file = FileRef { name: format!("fuzz.zip#{m}"), path: path.clone(), member: Some(m.clone()), sheet: None, format: Format::Csv };
        // At most 16 MiB of each member: a bomb is read as far as that, never whole.
        let _ = billrecon_parser::archive::with_reader(&file, |r| {
            let mut sink = Vec::new();
            let _ = r.take(16 << 20).read_to_end(&mut sink);
        });
        let mut usage = billrecon_model::UsageTable::default();
        let _ = billrecon_parser::usage::read_usage(&file, &mut usage);
    }
});
