//! CSV as RFC 4180: comma-separated, `"`-quoted when needed, `\n` line ends.

/// One field, quoted when it holds a comma, quote or line break (or starts with a formula
/// character, so a spreadsheet never evaluates it).
pub fn field(s: &str) -> String {
    let formula = s.starts_with(['=', '+', '@']) || (s.starts_with('-') && s.parse::<f64>().is_err());
    if s.contains([',', '"', '\n', '\r']) || formula {
        let body = if formula { format!("'{s}") } else { s.to_string() };
        format!("\"{}\"", body.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A whole table with its header.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    let line = |cells: Vec<&str>, out: &mut String| {
        let v: Vec<String> = cells.into_iter().map(field).collect();
        out.push_str(&v.join(","));
        out.push('\n');
    };
    line(header.to_vec(), &mut out);
    for r in rows {
        line(r.iter().map(String::as_str).collect(), &mut out);
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
        assert_eq!(table(&["a", "b"], &[vec!["1".into(), "x,y".into()]]), "a,b\n1,\"x,y\"\n");
    }
}
