//! Aligned text tables for the terminal.

/// Columns separated by two spaces; `numeric` columns are right-aligned. Trailing spaces trimmed.
pub fn table(header: &[&str], rows: &[Vec<String>], numeric: &[bool]) -> String {
    // Control characters in input text are shown, never sent to a terminal.
    let shown: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| crate::safe::visible(c).into_owned()).collect()).collect();
    let rows = &shown;
    let mut width: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            width[i] = width[i].max(c.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            let pad = " ".repeat(width[i] - c.chars().count());
            if numeric[i] {
                s.push_str(&pad);
                s.push_str(c);
            } else {
                s.push_str(c);
                s.push_str(&pad);
            }
        }
        out.push_str(s.trim_end());
        out.push('\n');
    };
    line(header.to_vec());
    for r in rows {
        line(r.iter().map(String::as_str).collect());
    }
    out
}
