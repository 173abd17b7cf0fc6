//! Property tests: liabilities are bounded, and the order rows arrive in never changes findings.

use proptest::prelude::*;

use billrecon_model::testkit::TestMonth;
use billrecon_model::{Call, Finding, Month, Rule, UsageSource, UsageTable, UsageType};
use rust_decimal::Decimal;

use crate::facts::{CallFact, UsageFacts};

use crate::testkit::*;

const LINES: &[&str] = &["8605550101", "8605550102", "8605550103"];
/// A line with usage that neither the inventory nor an invoice names (row line index
/// `LINES.len()`): the fold keeps it apart from the month's lines.
const STRAY: &str = "8605550199";
const NUMBERS: &[&str] = &["411", "2035550147", "860-555-1212", "6045550142", "2035550411"];

#[derive(Debug, Clone)]
struct Row {
    line: usize,
    day: u32,
    minute: u32,
    text: bool,
    qty: u32,
    cents: u32,
    number: usize,
}

fn row() -> impl Strategy<Value = Row> {
    (0..=LINES.len(), 1u32..=31, 0u32..1440, any::<bool>(), 0u32..90, prop_oneof![Just(0u32), 1u32..400], 0..NUMBERS.len())
        .prop_map(|(line, day, minute, text, qty, cents, number)| Row { line, day, minute, text, qty, cents, number })
}

#[derive(Debug, Clone)]
struct Spec {
    /// Per line: 0 none, 1 whole period, 2 split at `cut`, 3 ends at `cut`.
    shape: Vec<(u8, u32)>,
    voice: Option<u32>,
    messages: Option<u32>,
    rows: Vec<Row>,
    attested: Vec<usize>,
    overage: Vec<(u32, u32)>,
    third_party: bool,
    seed: u64,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        proptest::collection::vec((0u8..4, 1u32..31), LINES.len()),
        proptest::option::of(0u32..400),
        proptest::option::of(0u32..200),
        proptest::collection::vec(row(), 0..40),
        proptest::collection::vec(0usize..40, 0..8),
        proptest::collection::vec((0u32..5000, 0u32..2000), LINES.len()),
        any::<bool>(),
        any::<u64>(),
    )
        .prop_map(|(shape, voice, messages, rows, attested, overage, third_party, seed)| Spec {
            shape,
            voice,
            messages,
            rows,
            attested,
            overage,
            third_party,
            seed,
        })
}

fn cents(c: u32) -> String {
    format!("{}.{:02}", c / 100, c % 100)
}

fn build(s: &Spec) -> TestMonth {
    let mut m = M::new().plan("BIZ500", s.voice.map(|v| v.to_string()).as_deref(), s.messages.map(|v| v.to_string()).as_deref());
    if s.third_party {
        m = m.third_party_is_personal();
    }
    for (i, (shape, cut)) in s.shape.iter().enumerate() {
        let line = LINES[i];
        let cut_day = format!("2026-10-{cut:02}");
        let next_day = format!("2026-10-{:02}", cut + 1);
        m = match shape {
            1 => m.assign(line, "E1", "ARTS", "2025-07-01", None),
            2 => m.assign(line, "E1", "ARTS", "2025-07-01", Some(&cut_day)).assign(line, "E2", "TRANS", &next_day, None),
            3 => m.assign(line, "E3", "TRANS", "2025-07-01", Some(&cut_day)),
            _ => m,
        };
        let (voice, text) = s.overage[i];
        m = m.charge(line, "plan", "40.00").charge(line, "overage_voice", &cents(voice)).charge(
            line,
            "overage_text",
            &cents(text),
        );
        m = m.charge(line, "third_party", "2.99");
    }
    for r in &s.rows {
        let time = format!("{:02}:{:02}", r.minute / 60, r.minute % 60);
        let charge = if r.cents == 0 { String::new() } else { cents(r.cents) };
        m = m.usage(
            LINES.get(r.line).copied().unwrap_or(STRAY),
            &format!("2026-10-{:02}", r.day),
            &time,
            NUMBERS[r.number],
            if r.text { "text" } else { "voice" },
            &r.qty.to_string(),
            &charge,
            "",
        );
    }
    for &a in &s.attested {
        if let Some(r) = s.rows.get(a) {
            let time = format!("{:02}:{:02}", r.minute / 60, r.minute % 60);
            m = m.attest(LINES.get(r.line).copied().unwrap_or(STRAY), &format!("2026-10-{:02}", r.day), Some(&time), None);
        } else {
            m = m.attest(LINES[a % LINES.len()], "2026-10-03", Some("03:03"), None);
        }
    }
    m.build()
}

/// A seeded permutation (Fisher–Yates with splitmix64).
fn shuffle<T>(v: &mut [T], mut seed: u64) {
    for i in (1..v.len()).rev() {
        seed = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        v.swap(i, (z ^ (z >> 31)) as usize % (i + 1));
    }
}

fn reordered(m: &TestMonth, seed: u64) -> TestMonth {
    let mut m = m.clone();
    shuffle(&mut m.month.inventory, seed);
    shuffle(&mut m.month.attestations, seed ^ 1);
    if let Some(p) = m.month.plans.as_mut() {
        shuffle(p, seed ^ 2);
    }
    for inv in &mut m.month.invoices {
        shuffle(&mut inv.charges, seed ^ 3);
    }
    let mut order: Vec<usize> = (0..m.usage.len()).collect();
    shuffle(&mut order, seed ^ 4);
    let mut t = UsageTable::default();
    let s = t.source_index(&UsageSource { file: "usage.csv".into(), sheet: None });
    for i in order {
        let r = m.usage.get(i);
        t.push(s, r.row, r.line, r.date, r.time, r.number, r.kind, r.quantity, r.charge, r.description);
    }
    m.usage = t;
    m
}

/// Rows `range` of `t`, as a table of their own.
fn rows_of(t: &UsageTable, range: std::ops::Range<usize>) -> UsageTable {
    let mut out = UsageTable::default();
    for i in range {
        let r = t.get(i);
        let s = out.source_index(&UsageSource { file: r.file.clone(), sheet: r.sheet.cloned() });
        out.push(s, r.row, r.line, r.date, r.time, r.number, r.kind, r.quantity, r.charge, r.description);
    }
    out
}

/// What the usage fold means, computed row by row with nothing clever (every attestation tried
/// on every row, one map entry per row): the oracle the fold is held to.
fn reference(month: &Month, usage: &UsageTable) -> UsageFacts {
    let mut f = UsageFacts::new(month.attestations.len());
    for i in 0..usage.len() {
        let r = usage.get(i);
        let minute = |t: Option<billrecon_model::TimeOfDay>| t.map(|t| t.seconds() / 60);
        let hit = |a: &billrecon_model::Attestation| {
            a.line == r.line && a.date == r.date && a.number.is_none_or(|n| n.as_str() == r.number)
        };
        let timed =
            month.attestations.iter().enumerate().filter(|(_, a)| a.time.is_some() && hit(a) && minute(a.time) == minute(r.time));
        let untimed = month.attestations.iter().enumerate().filter(|(_, a)| a.time.is_none() && hit(a));
        let attested: Vec<usize> = timed.chain(untimed).map(|(k, _)| k).collect();
        for &k in &attested {
            f.attestation_matched[k] = true;
        }
        let da = crate::da::is_chargeable_da(r.number, r.description, r.charge);
        if da || (!attested.is_empty() && r.charge > Decimal::ZERO) {
            let call = Call {
                date: r.date,
                time: r.time,
                number: r.number.to_string(),
                quantity: r.quantity,
                charge: r.charge,
                description: r.description.to_string(),
            };
            let fact = CallFact { line: r.line, call, source: r.source(), attested_by: attested.clone() };
            if da {
                f.da_calls.push(fact)
            } else {
                f.personal_calls.push(fact)
            }
        }
        if !month.period.contains(r.date) {
            continue;
        }
        let lu = f.lines.entry(r.line.nanp_u64().unwrap_or(0)).or_default();
        lu.rows += 1;
        let pool = match r.kind {
            UsageType::Voice => &mut lu.voice,
            UsageType::Text => &mut lu.text,
            _ => continue,
        };
        pool.used += r.quantity;
        if da || !attested.is_empty() {
            pool.personal += r.quantity;
            pool.personal_sources.push(r.source());
        }
    }
    f
}

fn check_bounds(f: &Finding) -> Result<(), TestCaseError> {
    prop_assert!(f.employee_liable >= rust_decimal::Decimal::ZERO, "{f:?}");
    match f.rule {
        Rule::PersonalOverage => {
            let o = f.overage.as_ref().unwrap();
            prop_assert!(f.employee_liable <= o.charge, "{f:?}");
            prop_assert!(o.personal_over <= o.over && o.business_over <= o.over);
        }
        Rule::DirectoryAssistance | Rule::PersonalCallCharge => {
            prop_assert!(f.employee_liable <= f.call.as_ref().unwrap().charge, "{f:?}")
        }
        Rule::ThirdPartyCharge => prop_assert!(f.employee_liable <= f.amount),
        _ => prop_assert!(f.employee_liable.is_zero(), "{f:?}"),
    }
    if !f.employee_liable.is_zero() {
        prop_assert!(!f.employee_id.is_empty() && !f.account_code.is_empty() && f.liable_on.is_some(), "{f:?}");
    }
    Ok(())
}

proptest! {
    // PROPTEST_CASES raises (or lowers) it.
    #![proptest_config(ProptestConfig::with_cases(std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(200)))]

    #[test]
    fn liabilities_are_bounded_and_order_free(s in spec()) {
        let month = build(&s);
        let findings = crate::evaluate(&month, &month.usage);
        for f in &findings {
            check_bounds(f)?;
        }
        let other = reordered(&month, s.seed);
        prop_assert_eq!(&findings, &crate::evaluate(&other, &other.usage));
    }

    /// Folding runs of rows on their own and merging them in file order gives exactly the fold
    /// of the whole table, wherever the runs are cut (the parser cuts them per core).
    #[test]
    fn folds_of_runs_merge_to_the_whole_fold(s in spec(), cuts in proptest::collection::vec(0usize..48, 0..6)) {
        use billrecon_model::UsageSink;
        let month = build(&s);
        let n = month.usage.len();
        let mut bounds: Vec<usize> = cuts.into_iter().map(|c| c.min(n)).chain([0, n]).collect();
        bounds.sort_unstable();
        let fold = crate::UsageFold::new(&month);
        let parts: Vec<crate::UsagePart> = bounds.windows(2).map(|w| fold.fold(rows_of(&month.usage, w[0]..w[1]))).collect();
        // Merged pairwise as the parser's reduce may, and absorbed one by one as it hands blocks over.
        let mut by_absorb = crate::UsageFold::new(&month);
        for p in parts.clone() {
            by_absorb.absorb(p);
        }
        let mut by_merge = crate::UsageFold::new(&month);
        if let Some(merged) = parts.into_iter().reduce(|a, b| fold.merge(a, b)) {
            by_merge.absorb(merged);
        }
        let whole = crate::Ctx::new(&month, &month.usage).facts;
        prop_assert_eq!(&whole, &reference(&month, &month.usage));
        prop_assert_eq!(&by_absorb.finish(), &whole);
        prop_assert_eq!(&by_merge.finish(), &whole);
    }
}
