//! Input text made safe for every output: control characters shown, not sent (a NUL or an
//! escape sequence in a carrier's description must not reach a terminal, a page or a workbook as
//! itself), and text longer than a format holds cut with a visible marker (the CSV files keep it
//! whole).

use std::borrow::Cow;

/// The most characters an Excel cell holds.
pub const XLSX_CELL_MAX: usize = 32_767;

/// Whether `c` is a control character other than tab and the line breaks.
fn hidden(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// `s` with each control character (other than tab, CR and LF) written as `\u{1b}`.
pub fn visible(s: &str) -> Cow<'_, str> {
    // Every control character starts with a byte below 0x20, 0x7F, or 0xC2 (U+0080..U+009F):
    // text with none of those bytes (nearly all text) is returned as it is, unscanned by char.
    let maybe = |b: &u8| (*b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || *b == 0x7F || *b == 0xC2;
    if !s.as_bytes().iter().any(maybe) || !s.chars().any(hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `s` cut to at most `max` characters when longer, ending with a marker that says how long it
/// was and where the whole text is.
pub fn fit<'s>(s: &'s str, max: usize, whole_in: &str) -> Cow<'s, str> {
    // No more bytes than the limit: no more characters either.
    if s.len() <= max {
        return Cow::Borrowed(s);
    }
    let n = s.chars().count();
    if n <= max {
        return Cow::Borrowed(s);
    }
    let marker = format!(" [… cut: {n} characters in all; the whole text is in {whole_in}]");
    let keep = max.saturating_sub(marker.chars().count());
    let mut out: String = s.chars().take(keep).collect();
    out.push_str(&marker);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_and_long_text_is_cut_with_a_marker() {
        assert_eq!(visible("a\u{1b}[31mred\u{0}\tok\n"), "a\\u{1b}[31mred\\u{0}\tok\n");
        assert!(matches!(visible("plain"), Cow::Borrowed(_)));
        let long = "é".repeat(40_000);
        let cut = fit(&long, XLSX_CELL_MAX, "postings.csv");
        assert_eq!(cut.chars().count(), XLSX_CELL_MAX);
        assert!(
            cut.ends_with(" [… cut: 40000 characters in all; the whole text is in postings.csv]"),
            "{}",
            &cut[cut.len() - 90..]
        );
        assert_eq!(fit("short", 10, "x"), "short");
    }
}
