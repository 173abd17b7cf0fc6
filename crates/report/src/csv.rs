//! CSV as RFC 4180: comma-separated, `"`-quoted when needed, `\n` line ends.

/// One field, quoted when it holds a comma, quote or line break (or starts with a formula
/// character, so a spreadsheet never evaluates it).
pub fn field(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_field(&mut out, s);
    out
}

/// Appends one field to `out`, quoted as [`field`] says.
fn push_field(out: &mut String, s: &str) {
    let formula = s.starts_with(['=', '+', '@']) || (s.starts_with('-') && s.parse::<f64>().is_err());
    if !formula && !s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push_str(s);
        return;
    }
    out.push('"');
    if formula {
        out.push('\'');
    }
    for (i, part) in s.split('"').enumerate() {
        if i > 0 {
            out.push_str("\"\"");
        }
        out.push_str(part);
    }
    out.push('"');
}

/// Appends one record (fields and a line end) to `out`.
fn push_line<'a>(out: &mut String, cells: impl IntoIterator<Item = &'a str>) {
    for (i, c) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_field(out, c);
    }
    out.push('\n');
}

/// A whole table with its header.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::with_capacity(rows.iter().map(|r| r.iter().map(|c| c.len() + 1).sum::<usize>()).sum::<usize>() + 256);
    push_line(&mut out, header.iter().copied());
    for r in rows {
        push_line(&mut out, r.iter().map(String::as_str));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("-12.00"), "-12.00");
        assert_eq!(field("=SUM(A1)"), "\"'=SUM(A1)\"");
        assert_eq!(field("=\"x\""), "\"'=\"\"x\"\"\"");
        assert_eq!(field("-x,\"y\"\n"), "\"'-x,\"\"y\"\"\n\"");
        assert_eq!(field(""), "");
        assert_eq!(table(&["a", "b"], &[vec!["1".into(), "x,y".into()]]), "a,b\n1,\"x,y\"\n");
    }
}
