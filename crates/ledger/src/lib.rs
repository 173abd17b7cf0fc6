//! The month ledger: what billrecon posted, month after month, kept in SQLite.
//!
//! The ledger stores what the chargeback produced (postings, the journal, receivables) and what
//! people did since (payments, waivers, disputes); it never computes money its own way. Money is
//! INTEGER cents. Every table is append-only (the database refuses UPDATE and DELETE): a
//! replaced invoice is reversed by new entries, a status is a new event.
//!
//! **Decided inside the transaction that writes.** Every command that writes opens one
//! `BEGIN IMMEDIATE` transaction (the write lock, taken before the first read) and reads what its
//! decision rests on inside it: the invoice's posted state, a finding's status, a payment's
//! reference. Two commands at once therefore give the result of one of them running first; a
//! killed command leaves the ledger as it was. WAL mode with a busy timeout makes the second
//! wait its turn.
//!
//! Entry points, by module:
//! - [`post`]: [`Ledger::post`], a reconciled month (no-op when already posted; refused, or
//!   reversed and replaced, when an invoice changed; refused when the history it was evaluated
//!   against moved meanwhile).
//! - [`receivables`]: [`Ledger::receivables`], [`Ledger::pay`]: what employees owe and pay
//!   (oldest notice first).
//! - [`events`]: [`Ledger::event`], waive, dispute or resolve a finding (a waiver moves the
//!   liability back); [`Ledger::status`].
//! - [`queries`]: [`Ledger::journal_since`] (the adjusting entries for the GL),
//!   [`Ledger::history`] and [`Ledger::line_history`] (earlier months), [`Ledger::months`].
//! - [`verify`]: [`Ledger::verify`], every balance recomputed from the entries.
//! - [`documents`]: the statements and notices each post stored as rendered ([`Ledger::document`]).
//! - [`users`]: the web app's users, as append-only events ([`Ledger::user_add`], [`Ledger::user`]).
//! - [`review`]: what the web app reads, every query taking a [`Scope`] (out of scope reads as
//!   absent): [`Ledger::tie_out`], [`Ledger::findings_page`], [`Ledger::finding_rows`],
//!   [`Ledger::audit`].
//! - [`review_month`]: a month opened for review before posting ([`Ledger::open_month`]), its
//!   calls per employee, their signed attestations ([`Ledger::attest`]), and the close a post
//!   makes before reading them ([`Ledger::close_review`]).
//! - [`schema`]: the versioned migrations and the append-only triggers.

mod db;
pub mod documents;
mod error;
pub mod events;
pub mod messages;
pub mod post;
pub mod queries;
pub mod receivables;
pub mod review;
pub mod review_month;
mod schema;
mod scope;
pub mod users;
pub mod verify;

pub use db::{money, Ledger, Source, Stamp, PAUSE_BEFORE_COMMIT};
pub use documents::{DocKind, Document, StoredDocument};
pub use error::LedgerError;
pub use events::{Decision, Event, EventOutcome, FindingStatus, Status};
pub use messages::{Channel, NoticeToSend};
pub use post::{Mark, PostInput, PostOutcome};
pub use queries::{AdjustmentKind, JournalRow, LineHistoryRow};
pub use receivables::{PayOutcome, Payment, Receivable};
pub use review::{AuditRow, EventRow, FindingFilter, FindingRow, FindingsPage, TieOut};
pub use review_month::{
    AttestOutcome, AttestationStatus, OpenCall, OpenOutcome, OwedAtOpen, Review, ReviewContent, ReviewPool, Signature,
    POLICY_AFFIRMED,
};
pub use schema::{current as schema_version, migrate, MIGRATIONS};
pub use scope::Scope;
pub use users::{Enrolment, NewUser, Role, User};
pub use verify::Verified;

#[cfg(test)]
mod tests;
