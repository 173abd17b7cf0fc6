//! Usage (call detail) as a struct of arrays: one column per field, no heap object per call.
//!
//! A statewide month has tens of millions of usage rows; the parser streams them in chunks of
//! this same type and the rules fold each chunk, so nothing here is per-row allocation.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::phone::PhoneNumber;
use crate::source::SourceRef;

/// A time of day to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimeOfDay(u32);

impl TimeOfDay {
    pub fn from_hms(h: u32, m: u32, s: u32) -> Option<TimeOfDay> {
        (h < 24 && m < 60 && s < 60).then_some(TimeOfDay(h * 3600 + m * 60 + s))
    }
    pub fn from_seconds(secs: u32) -> Option<TimeOfDay> {
        (secs < 86_400).then_some(TimeOfDay(secs))
    }
    pub fn seconds(&self) -> u32 {
        self.0
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}:{:02}", self.0 / 3600, self.0 / 60 % 60, self.0 % 60)
    }
}

impl serde::Serialize for TimeOfDay {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// What a usage row measures: minutes, messages or megabytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum UsageType {
    Voice,
    Text,
    Data,
    Other,
}

impl UsageType {
    pub fn as_str(&self) -> &'static str {
        match self {
            UsageType::Voice => "voice",
            UsageType::Text => "text",
            UsageType::Data => "data",
            UsageType::Other => "other",
        }
    }
}

impl FromStr for UsageType {
    type Err = String;
    fn from_str(s: &str) -> Result<UsageType, String> {
        let word = |w: &str| match w {
            "voice" => Some(UsageType::Voice),
            "text" => Some(UsageType::Text),
            "data" => Some(UsageType::Data),
            "other" => Some(UsageType::Other),
            _ => None,
        };
        let t = s.trim();
        // The usual lowercase spelling needs no allocation; any other case is lowered first.
        word(t).or_else(|| word(&t.to_ascii_lowercase())).ok_or_else(|| format!("`{t}` is not one of: voice, text, data, other"))
    }
}

/// Many strings in one buffer: `get(i)` is `bytes[offsets[i]..offsets[i+1]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrColumn {
    bytes: String,
    offsets: Vec<u32>,
}

impl Default for StrColumn {
    fn default() -> Self {
        StrColumn { bytes: String::new(), offsets: vec![0] }
    }
}

impl StrColumn {
    pub fn push(&mut self, s: &str) {
        self.bytes.push_str(s);
        // A column is capped at 4 GiB of text; chunks are far smaller.
        self.offsets.push(u32::try_from(self.bytes.len()).unwrap_or(u32::MAX));
    }
    /// Room for `n` more strings of `bytes` bytes in all.
    pub fn reserve(&mut self, n: usize, bytes: usize) {
        self.offsets.reserve(n);
        self.bytes.reserve(bytes);
    }
    pub fn get(&self, i: usize) -> &str {
        let (a, b) = (self.offsets[i] as usize, self.offsets[i + 1] as usize);
        &self.bytes[a..b]
    }
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn extend(&mut self, other: &StrColumn) {
        for i in 0..other.len() {
            self.push(other.get(i));
        }
    }
}

/// One usage row, borrowed from a [`UsageTable`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsageRecord<'a> {
    pub line: PhoneNumber,
    pub date: NaiveDate,
    pub time: Option<TimeOfDay>,
    /// The other party, normalized; empty when the carrier printed none.
    pub number: &'a str,
    pub kind: UsageType,
    pub quantity: Decimal,
    pub charge: Decimal,
    pub description: &'a str,
    pub file: &'a Arc<str>,
    pub sheet: Option<&'a Arc<str>>,
    pub row: u32,
}

impl UsageRecord<'_> {
    pub fn source(&self) -> SourceRef {
        SourceRef::new(self.file.clone(), self.sheet.cloned(), self.row)
    }
}

/// Where a block of usage rows came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageSource {
    pub file: Arc<str>,
    pub sheet: Option<Arc<str>>,
}

/// Usage rows as columns. Rows keep the order they were read in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UsageTable {
    pub sources: Vec<UsageSource>,
    pub source: Vec<u16>,
    pub row: Vec<u32>,
    /// The service line as its 10 digits (see [`PhoneNumber::nanp_u64`]).
    pub line: Vec<u64>,
    pub date: Vec<NaiveDate>,
    /// Seconds of the day, or `u32::MAX` when the carrier printed no time.
    pub time: Vec<u32>,
    pub number: StrColumn,
    pub kind: Vec<UsageType>,
    pub quantity: Vec<Decimal>,
    pub charge: Vec<Decimal>,
    pub description: StrColumn,
}

const NO_TIME: u32 = u32::MAX;

impl UsageTable {
    pub fn len(&self) -> usize {
        self.row.len()
    }

    pub fn is_empty(&self) -> bool {
        self.row.is_empty()
    }

    /// Room for `rows` more rows, `text` more bytes of number and description each, so that
    /// filling a run of known length does not grow the columns step by step.
    pub fn reserve(&mut self, rows: usize, text: usize) {
        self.source.reserve(rows);
        self.row.reserve(rows);
        self.line.reserve(rows);
        self.date.reserve(rows);
        self.time.reserve(rows);
        self.number.reserve(rows, text);
        self.kind.reserve(rows);
        self.quantity.reserve(rows);
        self.charge.reserve(rows);
        self.description.reserve(rows, text);
    }

    /// Index of `src` in `sources`, adding it if new.
    pub fn source_index(&mut self, src: &UsageSource) -> u16 {
        if let Some(i) = self.sources.iter().position(|s| s == src) {
            return i as u16;
        }
        self.sources.push(src.clone());
        (self.sources.len() - 1) as u16
    }

    #[allow(clippy::too_many_arguments)]
    pub fn push(
        &mut self,
        source: u16,
        row: u32,
        line: PhoneNumber,
        date: NaiveDate,
        time: Option<TimeOfDay>,
        number: &str,
        kind: UsageType,
        quantity: Decimal,
        charge: Decimal,
        description: &str,
    ) {
        let line = line.nanp_u64().unwrap_or(0);
        self.push_nanp(source, row, line, date, time, number, kind, quantity, charge, description);
    }

    /// [`UsageTable::push`] with the service line as its ten digits ([`PhoneNumber::nanp_u64`]).
    #[allow(clippy::too_many_arguments)]
    pub fn push_nanp(
        &mut self,
        source: u16,
        row: u32,
        line: u64,
        date: NaiveDate,
        time: Option<TimeOfDay>,
        number: &str,
        kind: UsageType,
        quantity: Decimal,
        charge: Decimal,
        description: &str,
    ) {
        self.source.push(source);
        self.row.push(row);
        self.line.push(line);
        self.date.push(date);
        self.time.push(time.map_or(NO_TIME, |t| t.seconds()));
        self.number.push(number);
        self.kind.push(kind);
        self.quantity.push(quantity);
        self.charge.push(charge);
        self.description.push(description);
    }

    /// Appends another table's rows (used to gather streamed chunks).
    pub fn append(&mut self, other: &UsageTable) {
        let remap: Vec<u16> = other.sources.iter().map(|s| self.source_index(s)).collect();
        self.source.extend(other.source.iter().map(|&s| remap[s as usize]));
        self.row.extend_from_slice(&other.row);
        self.line.extend_from_slice(&other.line);
        self.date.extend_from_slice(&other.date);
        self.time.extend_from_slice(&other.time);
        self.number.extend(&other.number);
        self.kind.extend_from_slice(&other.kind);
        self.quantity.extend_from_slice(&other.quantity);
        self.charge.extend_from_slice(&other.charge);
        self.description.extend(&other.description);
    }

    pub fn get(&self, i: usize) -> UsageRecord<'_> {
        let src = &self.sources[self.source[i] as usize];
        UsageRecord {
            line: PhoneNumber::from_nanp_u64(self.line[i])
                .unwrap_or_else(|| PhoneNumber::parse("0").expect("0 is a dialled digit")),
            date: self.date[i],
            time: TimeOfDay::from_seconds(self.time[i]),
            number: self.number.get(i),
            kind: self.kind[i],
            quantity: self.quantity[i],
            charge: self.charge[i],
            description: self.description.get(i),
            file: &src.file,
            sheet: src.sheet.as_ref(),
            row: self.row[i],
        }
    }

    /// Where row `i` came from.
    pub fn source_ref(&self, i: usize) -> SourceRef {
        let src = &self.sources[self.source[i] as usize];
        SourceRef::new(src.file.clone(), src.sheet.clone(), self.row[i])
    }

    pub fn iter(&self) -> impl Iterator<Item = UsageRecord<'_>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// Receives usage as it is read.
///
/// The parser converts runs of consecutive rows on every core and hands each run to
/// [`UsageSink::fold`] on the core that converted it; [`UsageSink::merge`] combines the parts of
/// neighbouring runs (first, then) and [`UsageSink::absorb`] receives them in file order on
/// the reading thread. A sink whose merge keeps that order gets the same result as one pass over
/// the file, whatever the number of cores.
pub trait UsageSink: Sync {
    /// What a run of rows folds to.
    type Part: Send;
    /// Folds a run of consecutive rows (called on any core).
    fn fold(&self, rows: UsageTable) -> Self::Part;
    /// Combines two parts, `first`'s rows before `then`'s (called on any core).
    fn merge(&self, first: Self::Part, then: Self::Part) -> Self::Part;
    /// Takes the next part, in file order.
    fn absorb(&mut self, part: Self::Part);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_round_trips_rows() {
        let mut t = UsageTable::default();
        let s = t.source_index(&UsageSource { file: "usage.csv".into(), sheet: None });
        let line = PhoneNumber::parse("860-555-0101").unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 10, 5).unwrap();
        t.push(
            s,
            2,
            line,
            day,
            TimeOfDay::from_hms(14, 5, 0),
            "411",
            UsageType::Voice,
            Decimal::new(2, 0),
            Decimal::new(199, 2),
            "DIR ASST",
        );
        t.push(s, 3, line, day, None, "", UsageType::Data, Decimal::new(1255, 1), Decimal::ZERO, "");
        let mut all = UsageTable::default();
        all.append(&t);
        all.append(&t);
        assert_eq!(all.len(), 4);
        assert_eq!(all.sources.len(), 1);
        let r = all.get(2);
        assert_eq!((r.line, r.number, r.charge, r.description, r.row), (line, "411", Decimal::new(199, 2), "DIR ASST", 2));
        assert_eq!(r.time.unwrap().to_string(), "14:05:00");
        assert_eq!(all.get(3).time, None);
        assert_eq!(all.get(3).source().to_string(), "usage.csv:3");
    }
}
