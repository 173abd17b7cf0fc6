//! One pass over usage: per line and pool, usage U and personal P; the chargeable DA calls; the
//! attested calls that carry their own charge; which attestations matched a row.
//!
//! The fold takes usage a block at a time and two parts merge, so a month of any size can be
//! streamed through it and split across threads. Per-line sums go to arrays by a dense slot
//! given to each of the month's lines once, so the row order (by line, by date) does not change
//! the cost.

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

/// The fold over usage: what the rules read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UsageFacts {
    /// By line (its 10 digits), the lines with usage rows dated in the period.
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

    pub fn line(&self, line: &PhoneNumber) -> Option<&LineUsage> {
        self.lines.get(&line.nanp_u64().unwrap_or(0))
    }
}

/// The month's lines (inventory and invoices), each given a dense slot once, so that a usage
/// row finds its line's counters by one lookup and an array index, in any row order.
#[derive(Debug, Default)]
struct Slots {
    of: FxHashMap<u64, u32>,
    lines: Vec<u64>,
    /// Per slot: whether any attestation names the line (rows of the others skip matching).
    attested: Vec<bool>,
}

impl Slots {
    fn new(month: &Month, att: &AttestationIndex) -> Slots {
        let mut s = Slots::default();
        let known = month
            .inventory
            .iter()
            .map(|a| a.line)
            .chain(month.invoices.iter().flat_map(|i| i.charges.iter().filter_map(|c| c.line)))
            .chain(month.invoices.iter().flat_map(|i| i.lines.iter().filter_map(|l| l.line)));
        for line in known.filter_map(|l| l.nanp_u64()) {
            if let std::collections::hash_map::Entry::Vacant(e) = s.of.entry(line) {
                e.insert(s.lines.len() as u32);
                s.lines.push(line);
                s.attested.push(att.has_line(line));
            }
        }
        s
    }
}

/// Order-free sums over some rows of one line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Counts {
    rows: u64,
    voice: Decimal,
    text: Decimal,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.rows += o.rows;
        self.voice += o.voice;
        self.text += o.text;
    }
}

/// A row whose usage is personal (attested or chargeable DA): listed in file order, since a
/// pool's sources are.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PersonalUse {
    line: u64,
    voice: bool,
    quantity: Decimal,
    source: SourceRef,
}

/// What a run of consecutive usage rows folds to ([`UsageFold`]'s part).
///
/// The per-line sums are commutative and exact, so they are kept as a list of run sums by
/// slot and added into the fold's arrays in any order; what a finding rests on (personal rows,
/// calls, matched attestations) is rare and kept in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UsagePart {
    /// Run sums of the month's lines, by slot: one list per folded run (merging moves lists).
    known: Vec<Vec<(u32, Counts)>>,
    /// Run sums of lines the month does not otherwise know.
    strays: Vec<(u64, Counts)>,
    personal: Vec<PersonalUse>,
    da_calls: Vec<CallFact>,
    personal_calls: Vec<CallFact>,
    /// Attestations some row matched (indexes).
    matched: Vec<usize>,
}

impl UsagePart {
    fn merge(&mut self, o: UsagePart) {
        self.known.extend(o.known);
        self.strays.extend(o.strays);
        self.personal.extend(o.personal);
        self.da_calls.extend(o.da_calls);
        self.personal_calls.extend(o.personal_calls);
        self.matched.extend(o.matched);
    }
}

/// Everything absorbed so far: the month's lines' sums in an array by slot.
#[derive(Debug, Clone, Default)]
struct Totals {
    known: Vec<Counts>,
    strays: FxHashMap<u64, Counts>,
    personal: Vec<PersonalUse>,
    da_calls: Vec<CallFact>,
    personal_calls: Vec<CallFact>,
    matched: Vec<bool>,
}

impl Totals {
    fn new(slots: usize, attestations: usize) -> Totals {
        Totals { known: vec![Counts::default(); slots], matched: vec![false; attestations], ..Default::default() }
    }

    fn absorb(&mut self, part: UsagePart) {
        for run in &part.known {
            for (slot, c) in run {
                self.known[*slot as usize].add(c);
            }
        }
        for (line, c) in &part.strays {
            self.strays.entry(*line).or_default().add(c);
        }
        self.personal.extend(part.personal);
        self.da_calls.extend(part.da_calls);
        self.personal_calls.extend(part.personal_calls);
        for a in part.matched {
            self.matched[a] = true;
        }
    }

    fn into_facts(self, slots: &Slots) -> UsageFacts {
        let mut lines: FxHashMap<u64, LineUsage> = FxHashMap::default();
        let counted = slots.lines.iter().zip(&self.known).map(|(l, c)| (*l, *c)).chain(self.strays);
        for (line, c) in counted.filter(|(_, c)| c.rows > 0) {
            let mut lu = LineUsage { rows: c.rows, ..Default::default() };
            lu.voice.used = c.voice;
            lu.text.used = c.text;
            lines.insert(line, lu);
        }
        for p in self.personal {
            // A personal row is in the period, so its line has a row counted above.
            let lu = lines.entry(p.line).or_default();
            let pool = if p.voice { &mut lu.voice } else { &mut lu.text };
            pool.personal += p.quantity;
            pool.personal_sources.push(p.source);
        }
        UsageFacts { lines, da_calls: self.da_calls, personal_calls: self.personal_calls, attestation_matched: self.matched }
    }
}

/// Where a run's sums go: a slot of the month's lines, or a line the month does not know.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Slot(u32),
    Stray(u64),
}

/// The usage fold as a [`UsageSink`]: the parser folds each run of rows on the core that read
/// it and merges the parts in file order, so a month's usage is folded as it streams.
///
/// Costs the same in any row order: each row finds its line's slot by one hash lookup (none
/// while the line repeats), sums consecutive rows of a line, and only rows with a charge (DA)
/// or on an attested line are looked at further.
#[derive(Debug)]
pub struct UsageFold {
    index: AttestationIndex,
    slots: Slots,
    period: Period,
    attestations: usize,
    totals: Totals,
}

impl UsageFold {
    /// A fold for `month`'s usage (its lines, attestations and period; its usage table is not
    /// read).
    pub fn new(month: &Month) -> UsageFold {
        let index = AttestationIndex::new(&month.attestations);
        let slots = Slots::new(month, &index);
        let totals = Totals::new(slots.lines.len(), month.attestations.len());
        UsageFold { index, slots, period: month.period.clone(), attestations: month.attestations.len(), totals }
    }

    /// The facts of everything absorbed.
    pub fn finish(self) -> UsageFacts {
        self.totals.into_facts(&self.slots)
    }

    /// The facts of `rows` alone (what folding and absorbing them gives, without taking the
    /// table or this fold).
    pub fn facts_of(&self, rows: &UsageTable) -> UsageFacts {
        let mut totals = Totals::new(self.slots.lines.len(), self.attestations);
        totals.absorb(self.part_of(rows));
        totals.into_facts(&self.slots)
    }

    /// Folds a run of rows.
    ///
    /// Reads the table's columns directly (a row is only assembled for the rare call a finding
    /// rests on).
    fn part_of(&self, table: &UsageTable) -> UsagePart {
        let mut part = UsagePart::default();
        let mut known: Vec<(u32, Counts)> = Vec::new();
        // The previous row's line, its key and whether any attestation names it.
        let mut last: Option<(u64, Key, bool)> = None;
        let mut run: Option<(Key, Counts)> = None;
        for i in 0..table.len() {
            let line = table.line[i];
            let (key, has) = match last {
                Some((l, key, has)) if l == line => (key, has),
                _ => {
                    let (key, has) = match self.slots.of.get(&line) {
                        Some(&s) => (Key::Slot(s), self.slots.attested[s as usize]),
                        None => (Key::Stray(line), self.index.has_line(line)),
                    };
                    last = Some((line, key, has));
                    (key, has)
                }
            };
            let (date, charge) = (table.date[i], table.charge[i]);
            let da = charge > Decimal::ZERO && is_chargeable_da(table.number.get(i), table.description.get(i), charge);
            let attested = if has {
                self.index.matches(line, date, TimeOfDay::from_seconds(table.time[i]), table.number.get(i))
            } else {
                Vec::new()
            };
            part.matched.extend(&attested);
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
                    part.da_calls.push(fact);
                } else {
                    part.personal_calls.push(fact);
                }
            }
            if !self.period.contains(date) {
                continue;
            }
            let c = match &mut run {
                Some((k, c)) if *k == key => c,
                _ => {
                    if let Some(done) = run.take() {
                        push_run(&mut known, &mut part.strays, done);
                    }
                    &mut run.insert((key, Counts::default())).1
                }
            };
            c.rows += 1;
            let quantity = table.quantity[i];
            let voice = match table.kind[i] {
                UsageType::Voice => true,
                UsageType::Text => false,
                _ => continue,
            };
            if voice {
                c.voice += quantity;
            } else {
                c.text += quantity;
            }
            if personal {
                part.personal.push(PersonalUse { line, voice, quantity, source: table.source_ref(i) });
            }
        }
        if let Some(done) = run {
            push_run(&mut known, &mut part.strays, done);
        }
        part.known.push(known);
        part
    }
}

fn push_run(known: &mut Vec<(u32, Counts)>, strays: &mut Vec<(u64, Counts)>, (key, c): (Key, Counts)) {
    match key {
        Key::Slot(s) => known.push((s, c)),
        Key::Stray(l) => strays.push((l, c)),
    }
}

impl UsageSink for UsageFold {
    type Part = UsagePart;

    fn fold(&self, rows: UsageTable) -> UsagePart {
        self.part_of(&rows)
    }

    fn merge(&self, mut first: UsagePart, then: UsagePart) -> UsagePart {
        first.merge(then);
        first
    }

    fn absorb(&mut self, part: UsagePart) {
        self.totals.absorb(part);
    }
}
