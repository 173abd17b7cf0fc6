//! The manifest parser on arbitrary text: a manifest or an error naming the problem.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = billrecon_parser::Manifest::parse(text, "billrecon.toml", std::path::Path::new("/nonexistent"));
    }
});
