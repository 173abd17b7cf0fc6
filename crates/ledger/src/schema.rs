//! The ledger's schema, versioned in code: each migration is applied once, in order, when a
//! ledger is opened (`PRAGMA user_version` is the version reached). A ledger written by a newer
//! billrecon is refused, never guessed at.

use rusqlite::Connection;

use crate::error::LedgerError;

/// Every migration, in order: the ledger at version N has run the first N.
pub const MIGRATIONS: &[&str] = &[
    // 1: months, invoices, entries, the journal, findings, receivables, events, payments.
    r#"
CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    month TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    as_of TEXT NOT NULL,
    receivable_account TEXT NOT NULL,
    suspense_account TEXT NOT NULL,
    payable_account TEXT NOT NULL,
    cash_account TEXT NOT NULL,
    notice_due_days INTEGER NOT NULL
);
CREATE TABLE invoices (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES posts(id),
    carrier TEXT NOT NULL,
    account_number TEXT NOT NULL,
    invoice_number TEXT NOT NULL,
    digest TEXT NOT NULL,
    items INTEGER NOT NULL,
    billed_cents INTEGER NOT NULL,
    current_charges_cents INTEGER NOT NULL,
    replaces INTEGER REFERENCES invoices(id)
);
CREATE INDEX invoices_key ON invoices(carrier, account_number, invoice_number);
CREATE TABLE invoice_items (
    invoice_id INTEGER NOT NULL REFERENCES invoices(id),
    n INTEGER NOT NULL,
    line TEXT NOT NULL,
    category TEXT NOT NULL,
    description TEXT NOT NULL,
    amount_cents INTEGER NOT NULL
);
CREATE TABLE entries (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('posting', 'reversal', 'waiver')),
    post_id INTEGER REFERENCES posts(id),
    invoice_id INTEGER REFERENCES invoices(id),
    event_id INTEGER REFERENCES events(id),
    posting_kind TEXT NOT NULL,
    account_code TEXT NOT NULL,
    employee_id TEXT NOT NULL,
    line TEXT NOT NULL,
    category TEXT NOT NULL,
    description TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    basis TEXT NOT NULL,
    finding_id TEXT NOT NULL,
    sources TEXT NOT NULL,
    date TEXT NOT NULL
);
CREATE TABLE journal (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('posting', 'reversal', 'waiver', 'payment')),
    post_id INTEGER REFERENCES posts(id),
    invoice_id INTEGER REFERENCES invoices(id),
    event_id INTEGER REFERENCES events(id),
    payment_id INTEGER REFERENCES payments(id),
    account_code TEXT NOT NULL,
    employee_id TEXT NOT NULL,
    debit_cents INTEGER NOT NULL CHECK (debit_cents >= 0),
    credit_cents INTEGER NOT NULL CHECK (credit_cents >= 0),
    memo TEXT NOT NULL,
    date TEXT NOT NULL
);
CREATE TABLE findings (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES posts(id),
    finding_id TEXT NOT NULL,
    month TEXT NOT NULL,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    line TEXT NOT NULL,
    employee_id TEXT NOT NULL,
    account_code TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    liable_cents INTEGER NOT NULL,
    detail TEXT NOT NULL,
    sources TEXT NOT NULL
);
CREATE INDEX findings_id ON findings(finding_id);
CREATE TABLE receivables (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES posts(id),
    invoice_id INTEGER REFERENCES invoices(id),
    finding_id TEXT NOT NULL,
    employee_id TEXT NOT NULL,
    account_code TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    reverses INTEGER REFERENCES receivables(id),
    notice_date TEXT NOT NULL,
    due_date TEXT NOT NULL
);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    finding_id TEXT NOT NULL,
    event TEXT NOT NULL CHECK (event IN ('waive', 'dispute', 'resolve')),
    reason TEXT NOT NULL,
    by_name TEXT NOT NULL,
    case_ref TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    date TEXT NOT NULL
);
CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    employee_id TEXT NOT NULL,
    date TEXT NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    reference TEXT NOT NULL UNIQUE,
    receivable_account TEXT NOT NULL,
    cash_account TEXT NOT NULL
);
CREATE TABLE assignments (
    post_id INTEGER NOT NULL REFERENCES posts(id),
    line TEXT NOT NULL,
    employee_id TEXT NOT NULL,
    account_code TEXT NOT NULL,
    start TEXT NOT NULL,
    end TEXT NOT NULL,
    plan TEXT NOT NULL,
    status TEXT NOT NULL
);
"#,
    // 2: what each line did each month, for the history rules and `billrecon history`.
    r#"
CREATE TABLE line_months (
    post_id INTEGER NOT NULL REFERENCES posts(id),
    month TEXT NOT NULL,
    line TEXT NOT NULL,
    charges_cents INTEGER NOT NULL,
    credits TEXT NOT NULL,
    voice_minutes TEXT NOT NULL,
    messages TEXT NOT NULL,
    used INTEGER NOT NULL,
    employee_id TEXT NOT NULL,
    account_code TEXT NOT NULL
);
CREATE INDEX line_months_line ON line_months(line, month);
CREATE TABLE account_credits (
    post_id INTEGER NOT NULL REFERENCES posts(id),
    month TEXT NOT NULL,
    amount_cents INTEGER NOT NULL
);
"#,
    // 3: who wrote, when and from where; the indexes the hot queries' plans ask for (see
    // `tests.rs`, which holds each hot query to an index).
    r#"
ALTER TABLE posts ADD COLUMN actor TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN source TEXT NOT NULL DEFAULT 'before-v3' CHECK (source IN ('cli', 'web', 'before-v3'));
ALTER TABLE posts ADD COLUMN recorded_at TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN actor TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN source TEXT NOT NULL DEFAULT 'before-v3' CHECK (source IN ('cli', 'web', 'before-v3'));
ALTER TABLE events ADD COLUMN recorded_at TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN actor TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN source TEXT NOT NULL DEFAULT 'before-v3' CHECK (source IN ('cli', 'web', 'before-v3'));
ALTER TABLE payments ADD COLUMN recorded_at TEXT NOT NULL DEFAULT '';
CREATE INDEX events_finding ON events(finding_id, id);
CREATE INDEX receivables_reverses ON receivables(reverses) WHERE reverses IS NOT NULL;
CREATE INDEX receivables_invoice ON receivables(invoice_id);
CREATE INDEX receivables_finding ON receivables(finding_id);
CREATE INDEX receivables_employee ON receivables(employee_id);
CREATE INDEX entries_invoice ON entries(invoice_id, kind, amount_cents);
CREATE INDEX entries_waivers ON entries(finding_id) WHERE posting_kind = 'waiver';
CREATE INDEX journal_invoice ON journal(invoice_id, kind);
CREATE INDEX journal_event ON journal(event_id) WHERE event_id IS NOT NULL;
CREATE INDEX journal_date ON journal(date);
CREATE INDEX invoices_replaces ON invoices(replaces) WHERE replaces IS NOT NULL;
CREATE INDEX invoice_items_invoice ON invoice_items(invoice_id, n);
CREATE INDEX findings_month ON findings(month);
CREATE INDEX findings_line ON findings(line, month);
CREATE INDEX line_months_post ON line_months(post_id);
DROP INDEX line_months_line;
CREATE INDEX line_months_line ON line_months(line, month, post_id);
CREATE INDEX account_credits_post ON account_credits(post_id);
"#,
    // 4: a post asks, for each finding, whether the month has it already: by id and month.
    r#"
DROP INDEX findings_id;
CREATE INDEX findings_id ON findings(finding_id, month);
"#,
    // 5: what each month sent (its statements and notices, as rendered when posted, so the web
    // app serves them after the month folders are gone), the web app's users, and each invoice's
    // tie-out as posted (programs, employees, suspense).
    r#"
CREATE TABLE documents (
    post_id INTEGER NOT NULL REFERENCES posts(id),
    month TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('statement', 'notice')),
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    html BLOB NOT NULL,
    plain BLOB NOT NULL
);
CREATE INDEX documents_key ON documents(month, kind, key, post_id);
CREATE TABLE user_events (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL,
    event TEXT NOT NULL CHECK (event IN ('add', 'disable', 'passwd')),
    role TEXT NOT NULL,
    accounts TEXT NOT NULL,
    employee_id TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    actor TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('cli', 'web')),
    recorded_at TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT ''
);
CREATE INDEX user_events_login ON user_events(login, id);
CREATE TABLE invoice_tieouts (
    invoice_id INTEGER PRIMARY KEY REFERENCES invoices(id),
    programs_cents INTEGER NOT NULL,
    employees_cents INTEGER NOT NULL,
    suspense_cents INTEGER NOT NULL
);
"#,
    // 6: months opened for review before posting, their calls on assigned lines, the employees'
    // signed attestations, and the close a post makes; each month's employees (their emails) and
    // the messages `notify` sent; a late attestation's adjustments (entries and the journal
    // rebuilt to take them).
    r#"
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    month TEXT NOT NULL,
    deadline TEXT NOT NULL,
    replaces INTEGER REFERENCES reviews(id),
    actor TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('cli', 'web')),
    recorded_at TEXT NOT NULL
);
CREATE INDEX reviews_month ON reviews(month, id);
CREATE TABLE review_calls (
    review_id INTEGER NOT NULL REFERENCES reviews(id),
    call_id TEXT NOT NULL,
    employee_id TEXT NOT NULL,
    line TEXT NOT NULL,
    date TEXT NOT NULL,
    time TEXT NOT NULL,
    number TEXT NOT NULL,
    kind TEXT NOT NULL,
    quantity TEXT NOT NULL,
    charge_cents INTEGER NOT NULL,
    source TEXT NOT NULL,
    account_code TEXT NOT NULL
);
CREATE INDEX review_calls_employee ON review_calls(review_id, employee_id);
CREATE TABLE review_pools (
    review_id INTEGER NOT NULL REFERENCES reviews(id),
    employee_id TEXT NOT NULL,
    line TEXT NOT NULL,
    pool TEXT NOT NULL,
    unit TEXT NOT NULL,
    plan TEXT NOT NULL,
    allowance TEXT NOT NULL,
    used TEXT NOT NULL,
    personal TEXT NOT NULL,
    charge_cents INTEGER NOT NULL,
    counted TEXT NOT NULL,
    account_code TEXT NOT NULL
);
CREATE INDEX review_pools_employee ON review_pools(review_id, employee_id);
CREATE TABLE review_owed (
    review_id INTEGER NOT NULL REFERENCES reviews(id),
    employee_id TEXT NOT NULL,
    rule TEXT NOT NULL,
    detail TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    sources TEXT NOT NULL
);
CREATE INDEX review_owed_employee ON review_owed(review_id, employee_id);
CREATE INDEX review_calls_id ON review_calls(review_id, call_id);
CREATE TABLE attestations (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id),
    month TEXT NOT NULL,
    employee_id TEXT NOT NULL,
    login TEXT NOT NULL,
    calls TEXT NOT NULL,
    policy TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('cli', 'web')),
    late INTEGER NOT NULL
);
CREATE INDEX attestations_employee ON attestations(month, employee_id, id);
CREATE TABLE review_closes (
    month TEXT NOT NULL,
    review_id INTEGER NOT NULL REFERENCES reviews(id),
    last_attestation INTEGER NOT NULL,
    actor TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('cli', 'web')),
    recorded_at TEXT NOT NULL
);
CREATE INDEX review_closes_month ON review_closes(month);
CREATE TABLE review_deadlines (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id),
    deadline TEXT NOT NULL,
    actor TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE TABLE month_employees (
    post_id INTEGER NOT NULL REFERENCES posts(id),
    employee_id TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL
);
CREATE INDEX month_employees_post ON month_employees(post_id, employee_id);
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    month TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('notice', 'statement')),
    key TEXT NOT NULL,
    address TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('smtp', 'outbox')),
    outcome TEXT NOT NULL CHECK (outcome IN ('sent', 'failed')),
    detail TEXT NOT NULL,
    actor TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX messages_key ON messages(month, kind, key, channel);
CREATE TABLE adjustments (
    id INTEGER PRIMARY KEY,
    month TEXT NOT NULL,
    post_id INTEGER NOT NULL REFERENCES posts(id),
    attestation_id INTEGER NOT NULL REFERENCES attestations(id),
    call_id TEXT NOT NULL,
    employee_id TEXT NOT NULL,
    account_code TEXT NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    reason TEXT NOT NULL,
    date TEXT NOT NULL,
    actor TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX adjustments_month ON adjustments(month, employee_id);
CREATE TABLE enrolments (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL,
    employee_id TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE TABLE enrolment_uses (
    enrolment_id INTEGER PRIMARY KEY REFERENCES enrolments(id),
    used_at TEXT NOT NULL
);
-- Entries and the journal take a fourth kind, a late attestation's adjustment: rebuilt with it
-- (SQLite cannot alter a CHECK), every row and index kept.
CREATE TABLE entries_v6 (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('posting', 'reversal', 'waiver', 'adjustment')),
    post_id INTEGER REFERENCES posts(id),
    invoice_id INTEGER REFERENCES invoices(id),
    event_id INTEGER REFERENCES events(id),
    posting_kind TEXT NOT NULL,
    account_code TEXT NOT NULL,
    employee_id TEXT NOT NULL,
    line TEXT NOT NULL,
    category TEXT NOT NULL,
    description TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    basis TEXT NOT NULL,
    finding_id TEXT NOT NULL,
    sources TEXT NOT NULL,
    date TEXT NOT NULL,
    adjustment_id INTEGER REFERENCES adjustments(id)
);
INSERT INTO entries_v6 (id, kind, post_id, invoice_id, event_id, posting_kind, account_code, employee_id, line, category, description, amount_cents, basis, finding_id, sources, date)
    SELECT id, kind, post_id, invoice_id, event_id, posting_kind, account_code, employee_id, line, category, description, amount_cents, basis, finding_id, sources, date FROM entries;
DROP TABLE entries;
ALTER TABLE entries_v6 RENAME TO entries;
CREATE INDEX entries_invoice ON entries(invoice_id, kind, amount_cents);
CREATE INDEX entries_waivers ON entries(finding_id) WHERE posting_kind = 'waiver';
CREATE TABLE journal_v6 (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('posting', 'reversal', 'waiver', 'payment', 'adjustment')),
    post_id INTEGER REFERENCES posts(id),
    invoice_id INTEGER REFERENCES invoices(id),
    event_id INTEGER REFERENCES events(id),
    payment_id INTEGER REFERENCES payments(id),
    account_code TEXT NOT NULL,
    employee_id TEXT NOT NULL,
    debit_cents INTEGER NOT NULL CHECK (debit_cents >= 0),
    credit_cents INTEGER NOT NULL CHECK (credit_cents >= 0),
    memo TEXT NOT NULL,
    date TEXT NOT NULL,
    adjustment_id INTEGER REFERENCES adjustments(id)
);
INSERT INTO journal_v6 (id, kind, post_id, invoice_id, event_id, payment_id, account_code, employee_id, debit_cents, credit_cents, memo, date)
    SELECT id, kind, post_id, invoice_id, event_id, payment_id, account_code, employee_id, debit_cents, credit_cents, memo, date FROM journal;
DROP TABLE journal;
ALTER TABLE journal_v6 RENAME TO journal;
CREATE INDEX journal_invoice ON journal(invoice_id, kind);
CREATE INDEX journal_event ON journal(event_id) WHERE event_id IS NOT NULL;
CREATE INDEX journal_date ON journal(date);
"#,
];

/// The tables whose rows are never changed or removed once written.
const APPEND_ONLY: &[&str] = &[
    "posts",
    "invoices",
    "invoice_items",
    "entries",
    "journal",
    "findings",
    "receivables",
    "events",
    "payments",
    "assignments",
    "line_months",
    "account_credits",
    "documents",
    "user_events",
    "invoice_tieouts",
    "reviews",
    "review_calls",
    "review_pools",
    "review_owed",
    "attestations",
    "review_closes",
    "review_deadlines",
    "month_employees",
    "messages",
    "adjustments",
    "enrolments",
    "enrolment_uses",
];

/// The schema version this billrecon writes.
pub fn current() -> i64 {
    MIGRATIONS.len() as i64
}

/// Brings the ledger to version `to` (every migration when `None`), each in its own
/// transaction; the append-only triggers are (re)made after.
pub fn migrate(conn: &mut Connection, to: Option<i64>) -> Result<(), LedgerError> {
    let target = to.unwrap_or_else(current);
    // One migration at a time, each read and applied under the write lock, so two commands
    // opening a new ledger at once take turns instead of both creating its tables.
    loop {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > current() {
            return Err(LedgerError::NewerSchema { found: version, supported: current() });
        }
        if version >= target {
            break;
        }
        tx.execute_batch(MIGRATIONS[version as usize])?;
        tx.execute_batch(&format!("PRAGMA user_version = {}", version + 1))?;
        tx.commit()?;
    }
    // Posted entries are append-only: the database itself refuses to change them.
    let tables: Vec<String> = {
        let mut st = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table'")?;
        let names = st.query_map([], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
        names
    };
    let mut sql = String::new();
    for t in APPEND_ONLY.iter().filter(|t| tables.iter().any(|n| n == *t)) {
        sql.push_str(&format!(
            "CREATE TRIGGER IF NOT EXISTS {t}_no_update BEFORE UPDATE ON {t} BEGIN SELECT RAISE(ABORT, '{t} is append-only'); END;\n\
             CREATE TRIGGER IF NOT EXISTS {t}_no_delete BEFORE DELETE ON {t} BEGIN SELECT RAISE(ABORT, '{t} is append-only'); END;\n"
        ));
    }
    conn.execute_batch(&sql)?;
    Ok(())
}
