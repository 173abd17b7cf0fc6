//! Where an input's bytes come from: a file on disk, or a file inside a zip archive read in
//! place (a carrier's download, as downloaded: the clerk never unpacks it).
//!
//! A zip member is named `ARCHIVE.zip#MEMBER`. MEMBER is the member's file name or its stem: the
//! name without the extension and without the `_YYYYMM` a carrier appends (`AccountSummary`
//! finds `AccountSummary_202401.txt`). Text members are streamed through the decompressor, so
//! a large usage report is never held whole; a workbook member is read into memory (calamine
//! needs to seek), up to [`MAX_WORKBOOK_MEMBER`] bytes.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use billrecon_model::normalize_word;

use crate::error::io_reason;
use crate::error::ParseError;
use crate::source::rows::FileRef;

/// The largest workbook read from inside a zip (uncompressed).
pub const MAX_WORKBOOK_MEMBER: u64 = 256 << 20;

/// A file name's stem and its `_YYYYMM` month, if it has one:
/// `AccountSummary_202401.txt` → (`AccountSummary`, `202401`).
pub fn stem_and_month(name: &str) -> (&str, Option<&str>) {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = match base.rsplit_once('.') {
        Some((s, ext)) if !s.is_empty() && ext.len() <= 4 && ext.bytes().all(|b| b.is_ascii_alphanumeric()) => s,
        _ => base,
    };
    match stem.rsplit_once('_') {
        Some((s, m)) if m.len() == 6 && m.bytes().all(|b| b.is_ascii_digit()) && !s.is_empty() => (s, Some(m)),
        _ => (stem, None),
    }
}

/// Whether a file name is that of a zip archive.
pub fn is_zip(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".zip")
}

/// The files inside a zip archive (folders left out), in archive order.
#[derive(Debug, Clone)]
pub struct Archive {
    /// The archive as the user named it.
    pub shown: String,
    pub members: Vec<String>,
}

impl Archive {
    /// Lists the archive's files.
    pub fn open(path: &Path, shown: &str) -> Result<Archive, ParseError> {
        let file = File::open(path).map_err(|e| ParseError::Open { file: shown.to_string(), reason: io_reason(&e) })?;
        let zip = zip::ZipArchive::new(file).map_err(|e| not_a_zip(shown, &e))?;
        let mut members = Vec::new();
        for name in zip.file_names() {
            let name = name.map_err(|e| not_a_zip(shown, &e))?;
            if !name.ends_with('/') {
                members.push(name.into_owned());
            }
        }
        Ok(Archive { shown: shown.to_string(), members })
    }

    /// The member `wanted` names: its exact file name (any case, any folder), else the one file
    /// whose stem is `wanted`.
    pub fn find(&self, wanted: &str) -> Result<&str, ParseError> {
        let base = |m: &str| m.rsplit(['/', '\\']).next().unwrap_or(m).to_string();
        if let Some(m) = self.members.iter().find(|m| base(m).eq_ignore_ascii_case(wanted.trim())) {
            return Ok(m);
        }
        let want = normalize_word(stem_and_month(wanted).0);
        let hits: Vec<&String> = self.members.iter().filter(|m| normalize_word(stem_and_month(m).0) == want).collect();
        match hits.as_slice() {
            [one] => Ok(one.as_str()),
            [] => Err(ParseError::Open {
                file: format!("{}#{wanted}", self.shown),
                reason: format!("no such file in the zip (it holds: {})", self.listing()),
            }),
            many => Err(ParseError::Open {
                file: format!("{}#{wanted}", self.shown),
                reason: format!(
                    "{} files in the zip match; name one: {}",
                    many.len(),
                    many.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", ")
                ),
            }),
        }
    }

    /// The members' names, for messages.
    pub fn listing(&self) -> String {
        if self.members.is_empty() {
            "nothing".into()
        } else {
            self.members.join(", ")
        }
    }

    /// Checks a carrier download: every member is one of the `expected` file stems (a profile's
    /// files), and they all carry the same `_YYYYMM`. `carrier` names the download in messages.
    pub fn check_download(&self, carrier: &str, expected: &[&str]) -> Result<(), ParseError> {
        if !expected.is_empty() {
            for m in &self.members {
                let stem = normalize_word(stem_and_month(m).0);
                if !expected.iter().any(|e| normalize_word(e) == stem) {
                    return Err(ParseError::Invalid {
                        file: self.shown.clone(),
                        reason: format!(
                            "unexpected file `{m}` in the zip: a {carrier} download holds {} (each ending _YYYYMM)",
                            expected.join(", ")
                        ),
                    });
                }
            }
        }
        let mut months: Vec<&str> = self.members.iter().filter_map(|m| stem_and_month(m).1).collect();
        months.sort_unstable();
        months.dedup();
        if months.len() > 1 {
            return Err(ParseError::Invalid {
                file: self.shown.clone(),
                reason: format!("the zip holds files of more than one month ({}): use one month's download", months.join(", ")),
            });
        }
        Ok(())
    }
}

fn not_a_zip(shown: &str, e: &zip::result::ZipError) -> ParseError {
    ParseError::Open { file: shown.to_string(), reason: format!("not a readable zip archive: {e}") }
}

/// The uncompressed size of an input's bytes (for progress), 0 when unknown.
pub fn size(input: &FileRef) -> u64 {
    match &input.member {
        None => std::fs::metadata(&input.path).map(|m| m.len()).unwrap_or(0),
        Some(member) => File::open(&input.path)
            .ok()
            .and_then(|f| zip::ZipArchive::new(f).ok())
            .and_then(|mut z| z.by_name(member).ok().map(|m| m.size()))
            .unwrap_or(0),
    }
}

/// Opens an input's bytes and hands them to `f`: the file itself, or the zip member
/// decompressed as it is read.
pub fn with_reader<T>(input: &FileRef, f: impl FnOnce(&mut dyn Read) -> T) -> Result<T, ParseError> {
    let open = |e: std::io::Error| ParseError::Open { file: input.name.clone(), reason: io_reason(&e) };
    let mut file = File::open(&input.path).map_err(open)?;
    let Some(member) = &input.member else {
        return Ok(f(&mut file));
    };
    let shown = input.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut zip = zip::ZipArchive::new(file).map_err(|e| not_a_zip(&shown, &e))?;
    let mut m = zip.by_name(member).map_err(|e| ParseError::Open { file: input.name.clone(), reason: e.to_string() })?;
    if m.encrypted() {
        return Err(ParseError::Open { file: input.name.clone(), reason: "the file is encrypted in the zip".into() });
    }
    Ok(f(&mut m))
}

/// The whole of an input's bytes, for a workbook inside a zip.
pub fn read_member(input: &FileRef) -> Result<Vec<u8>, ParseError> {
    let too_large = || ParseError::Open {
        file: input.name.clone(),
        reason: format!("the workbook is larger than {} MiB unpacked: unzip it and name the file", MAX_WORKBOOK_MEMBER >> 20),
    };
    if size(input) > MAX_WORKBOOK_MEMBER {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    let read = with_reader(input, |r| r.take(MAX_WORKBOOK_MEMBER + 1).read_to_end(&mut bytes))?;
    read.map_err(|e| ParseError::Open { file: input.name.clone(), reason: io_reason(&e) })?;
    if bytes.len() as u64 > MAX_WORKBOOK_MEMBER {
        return Err(too_large());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_drop_the_extension_and_the_month() {
        assert_eq!(stem_and_month("AccountSummary_202401.txt"), ("AccountSummary", Some("202401")));
        assert_eq!(
            stem_and_month("RDD/Acct & Wireless Charges Detail Summary Usage_202401.txt"),
            ("Acct & Wireless Charges Detail Summary Usage", Some("202401"))
        );
        assert_eq!(stem_and_month("Wireless Usage Detail"), ("Wireless Usage Detail", None));
        assert_eq!(stem_and_month("usage_2024.csv"), ("usage_2024", None));
        assert_eq!(stem_and_month("RDD_BUILD-A-BEAR_WORKSHOP_INC_202401.zip"), ("RDD_BUILD-A-BEAR_WORKSHOP_INC", Some("202401")));
    }
}
