//! Free text a person types (a reason, a case or payment reference, a name, an employee id),
//! validated once, the same way for the command line and the web.
//!
//! A [`FreeText`] can only be made by [`FreeText::parse`], so a function that takes one cannot be
//! handed text that was never checked. What is refused, and why:
//!
//! - **control characters**: C0 (U+0000–U+001F: NUL, TAB, LF, CR, ESC, ...), DEL (U+007F) and C1
//!   (U+0080–U+009F), and the Unicode line and paragraph separators (U+2028, U+2029). A line break
//!   in a reason would become a second line of the journal CSV or a directive in a file another
//!   tool reads; an escape sequence rewrites the terminal of whoever lists it.
//! - **bidirectional controls**: embeddings and overrides (U+202A–U+202E), isolates
//!   (U+2066–U+2069) and the marks U+200E, U+200F, U+061C. A right-to-left override makes
//!   `CHK-1001` display as another reference than the one stored.
//! - **nothing**: empty, or only spaces (the text is stored trimmed).
//! - **too long**: more than [`FreeText::MAX_CHARS`] characters.

use std::fmt;

/// Validated free text: trimmed, non-empty, at most 500 characters, no control or
/// bidirectional formatting character.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FreeText(String);

/// Why a piece of free text was refused, and which field it was typed into.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct FreeTextError {
    /// The field as the user knows it (`--reason`, `reason`, `payment reference`).
    pub field: String,
    pub problem: TextProblem,
}

/// What is wrong with the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextProblem {
    #[error("is empty: type some text")]
    Empty,
    #[error("is {0} characters long; at most 500 are kept")]
    TooLong(usize),
    #[error("holds the control character U+{0:04X} ({1}) at character {2}: type it on one line, without tabs or escape codes")]
    Control(u32, &'static str, usize),
    #[error("holds the invisible direction mark U+{0:04X} at character {1}, which can make the text display as other text")]
    Bidi(u32, usize),
}

impl FreeText {
    /// The most characters a free text may have.
    pub const MAX_CHARS: usize = 500;

    /// Checks `text` typed into `field`; the text kept is trimmed of surrounding spaces.
    pub fn parse(field: impl Into<String>, text: &str) -> Result<FreeText, FreeTextError> {
        let refuse = |problem| FreeTextError { field: field.into(), problem };
        let mut count = 0usize;
        for (i, c) in text.chars().enumerate() {
            count += 1;
            if let Some(name) = control_name(c) {
                return Err(refuse(TextProblem::Control(c as u32, name, i + 1)));
            }
            if is_bidi(c) {
                return Err(refuse(TextProblem::Bidi(c as u32, i + 1)));
            }
        }
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(refuse(TextProblem::Empty));
        }
        if count > Self::MAX_CHARS {
            return Err(refuse(TextProblem::TooLong(count)));
        }
        Ok(FreeText(trimmed.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FreeText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for FreeText {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// The name of a control character, or `None` for any other character.
fn control_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\t' => "tab",
        '\n' => "line feed",
        '\r' => "carriage return",
        '\u{1b}' => "escape",
        '\0' => "null",
        '\u{7f}' => "delete",
        '\u{2028}' => "line separator",
        '\u{2029}' => "paragraph separator",
        c if (c as u32) < 0x20 => "C0 control",
        c if (0x80..=0x9f).contains(&(c as u32)) => "C1 control",
        _ => return None,
    })
}

fn is_bidi(c: char) -> bool {
    matches!(c as u32, 0x202A..=0x202E | 0x2066..=0x2069 | 0x200E | 0x200F | 0x061C)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn problem(s: &str) -> String {
        FreeText::parse("--reason", s).unwrap_err().to_string()
    }

    #[test]
    fn the_four_hostile_reasons_are_refused_naming_the_field() {
        assert_eq!(
            problem("business call\nINJECTED,1,2"),
            "--reason: holds the control character U+000A (line feed) at character 14: type it on one line, without tabs or escape codes"
        );
        assert_eq!(
            problem("ok \u{1b}[2J\u{1b}[H cleared"),
            "--reason: holds the control character U+001B (escape) at character 4: type it on one line, without tabs or escape codes"
        );
        assert_eq!(
            problem("CHK-\u{202e}1001"),
            "--reason: holds the invisible direction mark U+202E at character 5, which can make the text display as other text"
        );
        assert_eq!(
            problem("a\tb"),
            "--reason: holds the control character U+0009 (tab) at character 2: type it on one line, without tabs or escape codes"
        );
    }

    #[test]
    fn empty_long_c1_and_isolates_are_refused() {
        assert_eq!(problem("   "), "--reason: is empty: type some text");
        assert_eq!(problem(""), "--reason: is empty: type some text");
        assert_eq!(problem(&"x".repeat(501)), "--reason: is 501 characters long; at most 500 are kept");
        assert!(problem("a\u{85}b").contains("U+0085 (C1 control)"));
        assert!(problem("a\u{2066}b").contains("U+2066"));
        assert!(problem("a\r").contains("carriage return"));
        assert!(problem("a\u{2028}b").contains("line separator"));
    }

    #[test]
    fn ordinary_text_is_kept_trimmed_whatever_its_script() {
        assert_eq!(FreeText::parse("x", "  voicemail billed twice ").unwrap().as_str(), "voicemail billed twice");
        assert_eq!(FreeText::parse("x", &"é".repeat(500)).unwrap().as_str().chars().count(), 500);
        assert_eq!(FreeText::parse("x", "שלום, O'Brien – café 50%").unwrap().to_string(), "שלום, O'Brien – café 50%");
    }

    proptest! {
        /// Whatever is accepted holds no control or direction character, is trimmed, non-empty
        /// and at most 500 characters; whatever holds one is refused.
        #[test]
        fn accepted_text_is_clean(s in "\\PC{0,20}[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}]?\\PC{0,20}") {
            let bad = s.chars().any(|c| control_name(c).is_some() || is_bidi(c));
            match FreeText::parse("f", &s) {
                Ok(t) => {
                    prop_assert!(!bad);
                    prop_assert_eq!(t.as_str(), s.trim());
                    prop_assert!(!t.as_str().is_empty() && t.as_str().chars().count() <= 500);
                }
                Err(e) => prop_assert!(bad || s.trim().is_empty(), "{e}"),
            }
        }
    }
}
