//! Bytes to text: the Windows code page carriers still save in, and a UTF-8 byte-order mark.

/// Windows-1252 to UTF-8: ASCII and Latin-1 as they are, 0x80..0x9F through the code page
/// (the five bytes it leaves undefined become U+FFFD, visible in any rejected value).
pub(crate) fn windows_1252_to_utf8(raw: &[u8], out: &mut Vec<u8>) {
    const HIGH: [char; 32] = [
        '€', '\u{FFFD}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{FFFD}', 'Ž', '\u{FFFD}', '\u{FFFD}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{FFFD}', 'ž', 'Ÿ',
    ];
    out.reserve(raw.len());
    let mut tmp = [0u8; 4];
    for &b in raw {
        if b < 0x80 {
            out.push(b);
        } else {
            let c = if b < 0xA0 { HIGH[usize::from(b - 0x80)] } else { char::from(b) };
            out.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
        }
    }
}

/// Removes a UTF-8 byte-order mark from the start of a file's first bytes.
pub(crate) fn strip_bom(bytes: &mut Vec<u8>) {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_decodes_the_code_page() {
        let mut out = Vec::new();
        windows_1252_to_utf8(b"caf\xe9 \x80 5 \x93ok\x94 \x81", &mut out);
        assert_eq!(String::from_utf8(out).unwrap(), "café € 5 “ok” \u{FFFD}");
    }
}
