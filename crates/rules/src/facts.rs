//! One pass over usage: per line and pool, usage U and personal P; the chargeable DA calls; the
//! attested calls that carry their own charge; which attestations matched a row.
//!
//! The fold takes usage a block at a time and two folds merge, so a month of any size can be
//! streamed through it and split across threads.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use billrecon_model::{Attestation, Call, Month, Period, PhoneNumber, SourceRef, TimeOfDay, UsageSink, UsageTable, UsageType};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::da::is_chargeable_da;

/// Usage and personal usage of one pool.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pool {
    pub used: Decimal,
    pub personal: Decimal,
    /// The personal rows (attested or chargeable DA).
    pub personal_sources: Vec<SourceRef>,
}

impl Pool {
    fn merge(&mut self, o: Pool) {
        self.used += o.used;
        self.personal += o.personal;
        self.personal_sources.extend(o.personal_sources);
    }
}

/// What the period's usage says about one line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineUsage {
    /// Usage rows dated in the period.
    pub rows: u64,
    pub voice: Pool,
    pub text: Pool,
}

/// A usage row a finding rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallFact {
    pub line: PhoneNumber,
    pub call: Call,
    pub source: SourceRef,
    /// Attestations that matched it (indexes into the month's attestations).
    pub attested_by: Vec<usize>,
}

/// Attestations indexed for matching: line + date + time (to the minute), and number when given.
/// An attestation without a time matches every row of its line and date (and number).
///
/// Owns what matching needs (each attestation's number), so a fold on any thread can hold it.
/// Looked up once per usage row: the maps hash with `rustc-hash` (keys are our own integers and
/// dates; nothing iterates them, so their order never reaches an output).
#[derive(Debug, Default)]
pub struct AttestationIndex {
    numbers: Vec<Option<PhoneNumber>>,
    timed: FxHashMap<(u64, NaiveDate, u32), Vec<usize>>,
    untimed: FxHashMap<(u64, NaiveDate), Vec<usize>>,
    /// Lines with any attestation: most lines have none, and their rows skip the lookups.
    lines: FxHashSet<u64>,
}

impl AttestationIndex {
    pub fn new(all: &[Attestation]) -> AttestationIndex {
        let mut idx = AttestationIndex { numbers: all.iter().map(|a| a.number).collect(), ..Default::default() };
        for (i, a) in all.iter().enumerate() {
            let line = a.line.nanp_u64().unwrap_or(0);
            idx.lines.insert(line);
            match a.time {
                Some(t) => idx.timed.entry((line, a.date, t.seconds() / 60)).or_default().push(i),
                None => idx.untimed.entry((line, a.date)).or_default().push(i),
            }
        }
        idx
    }

    /// Whether any attestation names `line` (a fold asks once per run of a line's rows and skips
    /// [`AttestationIndex::matches`] for lines without any).
    pub fn has_line(&self, line: u64) -> bool {
        self.lines.contains(&line)
    }

    /// Indexes of the attestations matching a usage row of `line` at `date` and `time` to
    /// `number` (empty when the carrier printed none).
    pub fn matches(&self, line: u64, date: NaiveDate, time: Option<TimeOfDay>, number: &str) -> Vec<usize> {
        if self.numbers.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        let number_ok = |i: &usize| self.numbers[*i].is_none_or(|n| n.as_str() == number);
        if let Some(t) = time {
            if let Some(v) = self.timed.get(&(line, date, t.seconds() / 60)) {
                out.extend(v.iter().filter(|i| number_ok(i)));
            }
        }
        if let Some(v) = self.untimed.get(&(line, date)) {
            out.extend(v.iter().filter(|i| number_ok(i)));
        }
        out
    }
}

/// The fold over usage.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UsageFacts {
    /// By line (its 10 digits). A hash map: a file in date order touches a line every few rows,
    /// and a B-tree of 50,000 lines cost a quarter of a microsecond a row there (nothing
    /// iterates it in order: folds merge key by key).
    pub lines: FxHashMap<u64, LineUsage>,
    /// Chargeable directory-assistance calls, any date.
    pub da_calls: Vec<CallFact>,
    /// Attested calls with a charge of their own that are not DA.
    pub personal_calls: Vec<CallFact>,
    /// Per attestation: did any usage row match it.
    pub attestation_matched: Vec<bool>,
}

impl UsageFacts {
    pub fn new(attestations: usize) -> UsageFacts {
        UsageFacts { attestation_matched: vec![false; attestations], ..Default::default() }
    }

    /// Folds a block of usage rows in.
    ///
    /// Reads the table's columns directly (a row is only assembled for the rare call a finding
    /// rests on), and sums consecutive rows of one line before touching the map: usage reports
    /// list a line's calls together, so the map is visited once per run, not once per row.
    pub fn absorb(&mut self, table: &UsageTable, att: &AttestationIndex, period: &Period) {
        let mut run: Option<(u64, LineUsage)> = None;
        // Whether the line of the previous row has attestations (asked once per run of a line).
        let mut asked: Option<(u64, bool)> = None;
        for i in 0..table.len() {
            let line = table.line[i];
            let (date, number, charge) = (table.date[i], table.number.get(i), table.charge[i]);
            let da = is_chargeable_da(number, table.description.get(i), charge);
            let has = match asked {
                Some((l, has)) if l == line => has,
                _ => asked.insert((line, att.has_line(line))).1,
            };
            let attested = if has { att.matches(line, date, TimeOfDay::from_seconds(table.time[i]), number) } else { Vec::new() };
            for a in &attested {
                self.attestation_matched[*a] = true;
            }
            let personal = da || !attested.is_empty();
            if da || (!attested.is_empty() && charge > Decimal::ZERO) {
                let r = table.get(i);
                let fact = CallFact {
                    line: r.line,
                    call: Call {
                        date: r.date,
                        time: r.time,
                        number: r.number.to_string(),
                        quantity: r.quantity,
                        charge: r.charge,
                        description: r.description.to_string(),
                    },
                    source: r.source(),
                    attested_by: attested,
                };
                if da {
                    self.da_calls.push(fact);
                } else {
                    self.personal_calls.push(fact);
                }
            }
            if !period.contains(date) {
                continue;
            }
            let lu = match &mut run {
                Some((l, lu)) if *l == line => lu,
                _ => {
                    if let Some((l, lu)) = run.take() {
                        self.add_line(l, lu);
                    }
                    &mut run.insert((line, LineUsage::default())).1
                }
            };
            lu.rows += 1;
            let pool = match table.kind[i] {
                UsageType::Voice => &mut lu.voice,
                UsageType::Text => &mut lu.text,
                _ => continue,
            };
            let quantity = table.quantity[i];
            pool.used += quantity;
            if personal {
                pool.personal += quantity;
                pool.personal_sources.push(table.source_ref(i));
            }
        }
        if let Some((l, lu)) = run {
            self.add_line(l, lu);
        }
    }

    /// Adds the usage of rows that came after every row already folded for `line`.
    fn add_line(&mut self, line: u64, lu: LineUsage) {
        let mine = self.lines.entry(line).or_default();
        mine.rows += lu.rows;
        mine.voice.merge(lu.voice);
        mine.text.merge(lu.text);
    }

    /// Combines two folds over different blocks (in block order).
    pub fn merge(&mut self, other: UsageFacts) {
        for (line, lu) in other.lines {
            self.add_line(line, lu);
        }
        self.da_calls.extend(other.da_calls);
        self.personal_calls.extend(other.personal_calls);
        for (m, o) in self.attestation_matched.iter_mut().zip(other.attestation_matched) {
            *m |= o;
        }
    }

    pub fn line(&self, line: &PhoneNumber) -> Option<&LineUsage> {
        self.lines.get(&line.nanp_u64().unwrap_or(0))
    }
}

/// The usage fold as a [`UsageSink`]: the parser folds each run of rows on the core that read
/// it and merges the folds in file order, so a month's usage is folded as it streams.
#[derive(Debug)]
pub struct UsageFold {
    index: AttestationIndex,
    period: Period,
    attestations: usize,
    /// Everything absorbed so far.
    pub facts: UsageFacts,
}

impl UsageFold {
    /// A fold for `month`'s usage (its attestations and period; its usage table is not read).
    pub fn new(month: &Month) -> UsageFold {
        UsageFold {
            index: AttestationIndex::new(&month.attestations),
            period: month.period.clone(),
            attestations: month.attestations.len(),
            facts: UsageFacts::new(month.attestations.len()),
        }
    }
}

impl UsageFold {
    /// The facts of `rows` alone (what [`UsageSink::fold`] gives, without taking the table).
    pub fn facts_of(&self, rows: &UsageTable) -> UsageFacts {
        let mut facts = UsageFacts::new(self.attestations);
        facts.absorb(rows, &self.index, &self.period);
        facts
    }
}

impl UsageSink for UsageFold {
    type Part = UsageFacts;

    fn fold(&self, rows: UsageTable) -> UsageFacts {
        self.facts_of(&rows)
    }

    fn merge(&self, mut first: UsageFacts, then: UsageFacts) -> UsageFacts {
        first.merge(then);
        first
    }

    fn absorb(&mut self, part: UsageFacts) {
        self.facts.merge(part);
    }
}
