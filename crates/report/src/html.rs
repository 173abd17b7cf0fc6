//! Self-contained HTML: inline CSS, no scripts, no network; readable on a phone, printable.

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_esc(&mut out, s);
    out
}

/// Appends `s` to `out`, escaped as [`esc`] does.
pub fn push_esc(out: &mut String, s: &str) {
    // Control characters are shown, never sent: `\u{1b}`.
    let shown = crate::safe::visible(s);
    let s = shown.as_ref();
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // The five are ASCII, so `i` is a char boundary.
        out.push_str(&s[from..i]);
        out.push_str(entity);
        from = i + 1;
    }
    out.push_str(&s[from..]);
}

/// The stylesheet every document carries inline (the web app serves it as `/static/report.css`).
pub const CSS: &str = "
*{box-sizing:border-box}
body{font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#1d2733;margin:0;padding:24px;line-height:1.4;font-size:15px}
main{max-width:860px;margin:0 auto}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:16px;margin:24px 0 8px;border-bottom:1px solid #c9d1da;padding-bottom:4px}
.sub{color:#52606d;margin:0 0 16px}
table{border-collapse:collapse;width:100%;margin:4px 0 8px}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e4e8ec;vertical-align:top}
th{background:#f1f4f7;font-weight:600;font-size:13px}
td.n,th.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
tr.total td{font-weight:700;border-top:2px solid #1d2733}
.box{border:1px solid #c9d1da;border-radius:6px;padding:12px 16px;margin:12px 0;background:#fafbfc}
.due{font-size:18px;font-weight:700}
.calc{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px;white-space:pre-wrap;background:#f6f8fa;padding:8px;border-radius:4px}
.muted{color:#52606d;font-size:13px}
.nw{white-space:nowrap}
@media (max-width:600px){body{padding:12px;font-size:14px}th,td{padding:4px}}
@media print{body{padding:0;font-size:12px}.box{break-inside:avoid}h2{break-after:avoid}a{color:inherit}}
";

/// The body of a page made by [`page`]: what is inside its `<main>` (the whole text when it has
/// none).
pub fn body_of(page: &str) -> &str {
    match (page.find("<main>\n"), page.rfind("</main>")) {
        (Some(a), Some(b)) if a + 7 <= b => &page[a + 7..b],
        _ => page,
    }
}

/// A whole page around `body`.
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        esc(title)
    )
}

/// A table: `numeric[i]` right-aligns column i; a row starting with `Total` is emphasized.
pub fn table(header: &[&str], rows: &[Vec<String>], numeric: &[bool]) -> String {
    let mut s =
        String::with_capacity(64 + rows.iter().map(|r| 16 + r.iter().map(|c| c.len() + 24).sum::<usize>()).sum::<usize>());
    s.push_str("<table>\n<thead><tr>");
    for (i, h) in header.iter().enumerate() {
        s.push_str(if numeric[i] { "<th class=\"n\">" } else { "<th>" });
        push_esc(&mut s, h);
        s.push_str("</th>");
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for r in rows {
        let total = r.first().is_some_and(|c| c == "Total");
        s.push_str(if total { "<tr class=\"total\">" } else { "<tr>" });
        for (i, c) in r.iter().enumerate() {
            // Short cells (a phone number, an id, an amount) never wrap.
            s.push_str(match (numeric[i], c.len() <= 16 || c.chars().count() <= 16) {
                (true, _) => "<td class=\"n\">",
                (false, true) => "<td class=\"nw\">",
                (false, false) => "<td>",
            });
            push_esc(&mut s, c);
            s.push_str("</td>");
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_and_keeps_the_rest() {
        assert_eq!(esc("a<b & 'c' \"d\">é€"), "a&lt;b &amp; &#39;c&#39; &quot;d&quot;&gt;é€");
        assert_eq!(esc(""), "");
        let t =
            table(&["Line", "Amount"], &[vec!["<x>".into(), "1.00".into()], vec!["Total".into(), "1.00".into()]], &[false, true]);
        assert_eq!(
            t,
            "<table>\n<thead><tr><th>Line</th><th class=\"n\">Amount</th></tr></thead>\n<tbody>\n\
             <tr><td class=\"nw\">&lt;x&gt;</td><td class=\"n\">1.00</td></tr>\n\
             <tr class=\"total\"><td class=\"nw\">Total</td><td class=\"n\">1.00</td></tr>\n</tbody>\n</table>\n"
        );
    }
}
