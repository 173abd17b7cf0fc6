//! The profile compiler on arbitrary TOML: a compiled profile or an error naming the key.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(p) = billrecon_parser::profile::Profile::parse(text, "fuzz.toml") {
            let _ = p.files();
            let _ = p.sections().count();
        }
    }
});
