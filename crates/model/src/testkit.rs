//! A compact month builder for tests (feature `testkit`). Every record gets a source row in a
//! named file (`charges.csv:2`, `usage.csv:3`, ...).

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::*;

pub fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

pub fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn ph(s: &str) -> PhoneNumber {
    PhoneNumber::parse(s).unwrap()
}

fn src(file: &str, row: usize) -> SourceRef {
    SourceRef::new(file.into(), None, row as u32)
}

pub struct M {
    pub month: Month,
    pub usage: UsageTable,
    summary_set: bool,
}

/// A built test month: the month and its usage, which travel apart (see [`Month`]).
#[derive(Debug, Clone)]
pub struct TestMonth {
    pub month: Month,
    pub usage: UsageTable,
}

impl std::ops::Deref for TestMonth {
    type Target = Month;
    fn deref(&self) -> &Month {
        &self.month
    }
}

impl std::ops::DerefMut for TestMonth {
    fn deref_mut(&mut self) -> &mut Month {
        &mut self.month
    }
}

impl Default for M {
    fn default() -> M {
        M::new()
    }
}

impl M {
    pub fn new() -> M {
        let period = Period::month("2026-10").unwrap();
        M {
            month: Month {
                period,
                policy: Policy {
                    suspense_account: "SUSP".into(),
                    employee_receivable_account: "EMPREC".into(),
                    payable_account: "AP".into(),
                    third_party_is_personal: false,
                    account_level_allocation: Allocation::ByAmount,
                    journal_format: JournalFormat::Csv,
                    notice_due_days: 30,
                    notice_payment: String::new(),
                    notice_dispute: String::new(),
                    business_unit: String::new(),
                    cash_account: crate::month::DEFAULT_CASH_ACCOUNT.into(),
                },
                invoices: vec![Invoice {
                    summary: InvoiceSummary {
                        carrier: "Carrier".into(),
                        account_number: "A-1".into(),
                        invoice_number: "INV-1".into(),
                        invoice_date: None,
                        period_start: None,
                        period_end: None,
                        previous_balance: Decimal::ZERO,
                        payments: Decimal::ZERO,
                        adjustments: Decimal::ZERO,
                        current_charges: Decimal::ZERO,
                        total_due: Decimal::ZERO,
                        due_date: None,
                        source: src("summary.csv", 11),
                    },
                    charges: vec![],
                    lines: vec![],
                    allowances: vec![],
                }],
                inventory: vec![],
                employees: vec![],
                // A plans table is given (empty until `plan` adds to it); `no_plans_table`
                // takes it away.
                plans: Some(vec![]),
                attestations: vec![],
            },
            usage: UsageTable::default(),
            summary_set: false,
        }
    }

    /// An active, authorized assignment on plan BIZ500.
    pub fn assign(self, line: &str, emp: &str, acct: &str, start: &str, end: Option<&str>) -> M {
        self.assign_with(line, emp, acct, start, end, LineStatus::Active, "Director", "BIZ500")
    }

    #[allow(clippy::too_many_arguments)]
    pub fn assign_with(
        mut self,
        line: &str,
        emp: &str,
        acct: &str,
        start: &str,
        end: Option<&str>,
        status: LineStatus,
        auth: &str,
        plan: &str,
    ) -> M {
        let n = self.month.inventory.len() + 2;
        self.month.inventory.push(Assignment {
            line: ph(line),
            employee_id: emp.into(),
            employee_name: if emp.is_empty() { String::new() } else { format!("Name {emp}") },
            program: String::new(),
            account_code: acct.into(),
            plan: plan.into(),
            status,
            start: day(start),
            end: end.map(day),
            authorized_by: auth.into(),
            coverage: crate::Coverage::Dated,
            kind: crate::InstrumentKind::of_key(&ph(line)),
            source: src("inventory.csv", n),
        });
        self
    }

    /// Makes the last assignment's instrument `kind` (`desk`, `fax`, `card`, `wireless`).
    pub fn kind(mut self, kind: &str) -> M {
        let a = self.month.inventory.last_mut().expect("an assignment to give a kind");
        a.kind = kind.parse().expect("an instrument kind");
        self
    }

    /// A charge item on the last invoice; `line` "" = account level.
    pub fn charge(self, line: &str, cat: &str, amount: &str) -> M {
        self.charge_desc(line, cat, cat, amount)
    }

    pub fn charge_desc(mut self, line: &str, cat: &str, desc: &str, amount: &str) -> M {
        let inv = self.month.invoices.len() - 1;
        let n = self.month.invoices.iter().map(|i| i.charges.len()).sum::<usize>() + 2;
        self.month.invoices[inv].charges.push(Charge {
            invoice: inv,
            line: if line.is_empty() { None } else { Some(ph(line)) },
            category: cat.parse().unwrap(),
            description: desc.into(),
            quantity: None,
            amount: d(amount),
            source: src("charges.csv", n),
        });
        self
    }

    /// What the carrier's per-line summary of the last invoice says a line (or, with `""`, the
    /// account) totals.
    pub fn line_total(mut self, line: &str, total: &str) -> M {
        let inv = self.month.invoices.last_mut().unwrap();
        let n = inv.lines.len() + 2;
        inv.lines.push(LineSummary {
            line: if line.is_empty() { None } else { Some(ph(line)) },
            total: d(total),
            plan: String::new(),
            user_name: String::new(),
            voice_minutes: None,
            messages: None,
            data: None,
            source: src("lines.csv", n),
        });
        self
    }

    /// Sets what the last line summary says the line used (voice minutes, messages, data).
    pub fn line_used(mut self, voice: &str, messages: &str, data: &str) -> M {
        let q = |s: &str| if s.is_empty() { None } else { Some(d(s)) };
        let l = self.month.invoices.last_mut().unwrap().lines.last_mut().unwrap();
        (l.voice_minutes, l.messages, l.data) = (q(voice), q(messages), q(data));
        self
    }

    /// Starts a second invoice.
    pub fn invoice(mut self, number: &str) -> M {
        let mut next = self.month.invoices[0].clone();
        next.summary.invoice_number = number.into();
        next.charges.clear();
        next.lines.clear();
        self.month.invoices.push(next);
        self
    }

    /// Sets the summary of the last invoice explicitly (else it ties out with its items).
    pub fn summary(mut self, prev: &str, payments: &str, current: &str, total: &str) -> M {
        let s = &mut self.month.invoices.last_mut().unwrap().summary;
        s.previous_balance = d(prev);
        s.payments = d(payments);
        s.current_charges = d(current);
        s.total_due = d(total);
        self.summary_set = true;
        self
    }

    #[allow(clippy::too_many_arguments)]
    pub fn usage(
        mut self,
        line: &str,
        date: &str,
        time: &str,
        number: &str,
        kind: &str,
        qty: &str,
        charge: &str,
        desc: &str,
    ) -> M {
        let t = &mut self.usage;
        let s = t.source_index(&UsageSource { file: "usage.csv".into(), sheet: None });
        let row = t.len() as u32 + 2;
        let time = if time.is_empty() {
            None
        } else {
            let p: Vec<u32> = time.split(':').map(|x| x.parse().unwrap()).collect();
            TimeOfDay::from_hms(p[0], p[1], *p.get(2).unwrap_or(&0))
        };
        let number = if number.is_empty() { String::new() } else { PhoneNumber::parse(number).unwrap().as_str().to_string() };
        let charge = if charge.is_empty() { Decimal::ZERO } else { d(charge) };
        t.push(s, row, ph(line), day(date), time, &number, kind.parse().unwrap(), d(qty), charge, desc);
        self
    }

    /// `n` rows of `kind` adding up to `total` on one day (for allowance tests).
    pub fn bulk(self, line: &str, kind: &str, total: &str) -> M {
        self.usage(line, "2026-10-02", "09:00", "2035550147", kind, total, "", "")
    }

    pub fn attest(mut self, line: &str, date: &str, time: Option<&str>, number: Option<&str>) -> M {
        let n = self.month.attestations.len() + 2;
        self.month.attestations.push(Attestation {
            line: ph(line),
            date: day(date),
            time: time.map(|t| {
                let p: Vec<u32> = t.split(':').map(|x| x.parse().unwrap()).collect();
                TimeOfDay::from_hms(p[0], p[1], 0).unwrap()
            }),
            number: number.map(|x| PhoneNumber::parse(x).unwrap()),
            note: String::new(),
            source: src("attestations.csv", n),
        });
        self
    }

    pub fn plan(mut self, name: &str, voice: Option<&str>, messages: Option<&str>) -> M {
        let plans = self.month.plans.get_or_insert_with(Vec::new);
        let n = plans.len() + 2;
        plans.push(Plan {
            plan: name.into(),
            voice_minutes: voice.map_or(Allowance::Unlimited, |v| Allowance::Limited(d(v))),
            messages: messages.map_or(Allowance::Unlimited, |v| Allowance::Limited(d(v))),
            data_mb: Allowance::Unlimited,
            monthly_rate: None,
            source: src("plans.csv", n),
        });
        self
    }

    /// The manifest names no plans table.
    pub fn no_plans_table(mut self) -> M {
        self.month.plans = None;
        self
    }

    /// A carrier's usage summary row: `line`'s plan includes `allowance` (`500`, `unlimited`,
    /// `2.000(shared)`) of `pool`, on the first invoice.
    pub fn stated(mut self, line: &str, pool: &str, allowance: &str) -> M {
        let inv = &mut self.month.invoices[0];
        let n = inv.allowances.len() + 2;
        let (allowance, shared) = crate::allowance::parse_stated(allowance).unwrap();
        inv.allowances.push(crate::StatedAllowance {
            line: PhoneNumber::parse(line).unwrap(),
            pool: pool.parse().unwrap(),
            allowance,
            shared,
            used: None,
            source: src("detail.txt", n),
        });
        self
    }

    pub fn employee(mut self, id: &str, terminated: Option<&str>) -> M {
        let n = self.month.employees.len() + 2;
        self.month.employees.push(Employee {
            employee_id: id.into(),
            name: format!("Name {id}"),
            email: String::new(),
            termination_date: terminated.map(day),
            source: src("employees.csv", n),
        });
        self
    }

    pub fn third_party_is_personal(mut self) -> M {
        self.month.policy.third_party_is_personal = true;
        self
    }

    pub fn build(mut self) -> TestMonth {
        if !self.summary_set {
            for inv in &mut self.month.invoices {
                let total: Decimal = inv.charges.iter().map(|c| c.amount).sum();
                inv.summary.current_charges = total;
                inv.summary.total_due = total;
            }
        }
        TestMonth { month: self.month, usage: self.usage }
    }
}
