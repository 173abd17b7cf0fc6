//! One pass over usage: per line and pool, usage U and personal P; the chargeable DA calls; the
//! attested calls that carry their own charge; which attestations matched a row.
//!
//! The fold takes usage a block at a time and two folds merge, so a month of any size can be
//! streamed through it and split across threads.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use billrecon_model::{Attestation, Call, Period, PhoneNumber, SourceRef, UsageRecord, UsageTable, UsageType};

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
#[derive(Debug, Default)]
pub struct AttestationIndex<'a> {
    all: &'a [Attestation],
    timed: HashMap<(u64, NaiveDate, u32), Vec<usize>>,
    untimed: HashMap<(u64, NaiveDate), Vec<usize>>,
}

impl<'a> AttestationIndex<'a> {
    pub fn new(all: &'a [Attestation]) -> AttestationIndex<'a> {
        let mut idx = AttestationIndex { all, ..Default::default() };
        for (i, a) in all.iter().enumerate() {
            let line = a.line.nanp_u64().unwrap_or(0);
            match a.time {
                Some(t) => idx.timed.entry((line, a.date, t.seconds() / 60)).or_default().push(i),
                None => idx.untimed.entry((line, a.date)).or_default().push(i),
            }
        }
        idx
    }

    /// Indexes of the attestations matching a usage row.
    pub fn matches(&self, line: u64, r: &UsageRecord<'_>) -> Vec<usize> {
        if self.all.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        let number_ok = |i: &usize| self.all[*i].number.is_none_or(|n| n.as_str() == r.number);
        if let Some(t) = r.time {
            if let Some(v) = self.timed.get(&(line, r.date, t.seconds() / 60)) {
                out.extend(v.iter().filter(|i| number_ok(i)));
            }
        }
        if let Some(v) = self.untimed.get(&(line, r.date)) {
            out.extend(v.iter().filter(|i| number_ok(i)));
        }
        out
    }
}

/// The fold over usage.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UsageFacts {
    /// By line (its 10 digits).
    pub lines: BTreeMap<u64, LineUsage>,
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
    pub fn absorb(&mut self, table: &UsageTable, att: &AttestationIndex<'_>, period: &Period) {
        for i in 0..table.len() {
            let line = table.line[i];
            let r = table.get(i);
            let da = is_chargeable_da(r.number, r.description, r.charge);
            let attested = att.matches(line, &r);
            for a in &attested {
                self.attestation_matched[*a] = true;
            }
            let personal = da || !attested.is_empty();
            if da || (!attested.is_empty() && r.charge > Decimal::ZERO) {
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
            if !period.contains(r.date) {
                continue;
            }
            let lu = self.lines.entry(line).or_default();
            lu.rows += 1;
            let pool = match r.kind {
                UsageType::Voice => &mut lu.voice,
                UsageType::Text => &mut lu.text,
                _ => continue,
            };
            pool.used += r.quantity;
            if personal {
                pool.personal += r.quantity;
                pool.personal_sources.push(r.source());
            }
        }
    }

    /// Combines two folds over different blocks (in block order).
    pub fn merge(&mut self, other: UsageFacts) {
        for (line, lu) in other.lines {
            let mine = self.lines.entry(line).or_default();
            mine.rows += lu.rows;
            mine.voice.merge(lu.voice);
            mine.text.merge(lu.text);
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
