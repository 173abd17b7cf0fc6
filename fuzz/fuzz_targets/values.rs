//! Every value parser on arbitrary text and numbers: money, quantities, dates, times, phone
//! numbers, allowances and plan names. A value or a message; money is whole cents.
#![no_main]

use libfuzzer_sys::fuzz_target;

use billrecon_parser::value::{self, Cell};

fuzz_target!(|data: &[u8]| {
    let Ok(t) = std::str::from_utf8(data) else { return };
    let cells = [Cell::Text(t), Cell::Number(f64::from_le_bytes({
        let mut b = [0u8; 8];
        for (i, x) in data.iter().take(8).enumerate() {
            b[i] = *x;
        }
        b
    }))];
    for c in cells {
        if let Ok(m) = value::money(c) {
            assert_eq!(m.round_dp(2), m, "money is whole cents");
        }
        let _ = value::money_or_zero(c);
        let _ = value::quantity(c);
        let _ = value::non_negative_quantity(c);
        let _ = value::date(c);
        let _ = value::time(c);
        let _ = value::optional_time(c);
        let _ = value::line(c);
        let _ = value::optional_phone(c);
        if let Ok(d) = value::date(c) {
            let _ = value::date_near(c, d);
        }
    }
    let _ = billrecon_model::PhoneNumber::parse(t);
    let _ = billrecon_model::allowance::parse_stated(t);
    let _ = billrecon_model::allowance::from_plan_name(t);
});
