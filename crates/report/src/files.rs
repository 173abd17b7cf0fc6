//! Every output of a month, rendered and handed over file by file.

use billrecon_ledger::{DocKind, Document};
use rayon::prelude::*;

use crate::reconciliation::file_names;
use crate::reconciliation::{OutFile, Reconciliation, ReportError};
use crate::{findings, journal, notice, statement, summary, workbook};

impl Reconciliation<'_> {
    /// Hands every output file to `emit` as soon as it is rendered, so a month's thousands of
    /// notices never sit in memory together. Statements and notices are independent documents:
    /// they are rendered and emitted on every core, so `emit` is called from several threads
    /// and in no fixed order (each file's bytes are fixed). Of several failures, the one of the
    /// first file in document order is returned.
    pub fn write_files(&self, emit: impl Fn(OutFile) -> Result<(), ReportError> + Sync) -> Result<(), ReportError> {
        // The postings as text feed both postings.csv and the workbook: made once.
        let postings = journal::postings_rows(self);
        // The workbook (one long deflate) is built on one core while the documents fill the other.
        let (documents, book) = rayon::join(
            || self.write_documents(&emit, &postings),
            || workbook::xlsx(self, &postings).and_then(|bytes| emit(OutFile { path: "reconciliation.xlsx".into(), bytes })),
        );
        documents?;
        book
    }

    /// The month's statements and notices as the ledger keeps them (what `post` stores, and the
    /// web app serves): the same bytes as the files `write_files` emits, rendered on every core.
    pub fn documents(&self) -> Vec<Document> {
        let programs = statement::Programs::new(self);
        let debtors = notice::Debtors::new(self);
        let owing = self.owing();
        let names = file_names(owing.iter().map(|e| e.as_str()));
        let statements = self.program_accounts().into_par_iter().map(|acct| {
            Document::new(
                DocKind::Statement,
                acct.to_string(),
                programs.file_name(acct),
                &statement::html(self, &programs, acct),
                &statement::csv(self, &programs, acct),
            )
        });
        let notices = owing.par_iter().map(|emp| {
            Document::new(
                DocKind::Notice,
                emp.to_string(),
                names[emp.as_str()].clone(),
                &notice::html(self, &debtors, emp),
                &notice::text(self, &debtors, emp),
            )
        });
        statements.chain(notices).collect()
    }

    /// The employees a notice goes to: those owing more than nothing.
    fn owing(&self) -> Vec<&String> {
        self.postings.employees.iter().filter(|(_, v)| v.is_sign_positive() && !v.is_zero()).map(|(k, _)| k).collect()
    }

    /// Everything but the workbook.
    fn write_documents(
        &self,
        emit: &(impl Fn(OutFile) -> Result<(), ReportError> + Sync),
        postings: &[Vec<String>],
    ) -> Result<(), ReportError> {
        emit(OutFile { path: "summary.json".into(), bytes: summary::json(self).into_bytes() })?;
        emit(OutFile { path: "findings.csv".into(), bytes: findings::csv(self.findings).into_bytes() })?;
        emit(OutFile { path: "postings.csv".into(), bytes: journal::postings_csv(postings).into_bytes() })?;
        emit(OutFile { path: "journal.csv".into(), bytes: journal::csv(self).into_bytes() })?;
        if self.month.policy.journal_format == billrecon_model::JournalFormat::Peoplesoft {
            emit(OutFile { path: "journal-peoplesoft.txt".into(), bytes: journal::peoplesoft(self).into_bytes() })?;
        }
        let accounts = self.program_accounts();
        let programs = statement::Programs::new(self);
        each(&accounts, emit, |acct| {
            let name = programs.file_name(acct);
            [
                OutFile { path: format!("statements/{name}.html"), bytes: statement::html(self, &programs, acct).into_bytes() },
                OutFile { path: format!("statements/{name}.csv"), bytes: statement::csv(self, &programs, acct).into_bytes() },
            ]
        })?;
        let debtors = notice::Debtors::new(self);
        let owing = self.owing();
        let names = file_names(owing.iter().map(|e| e.as_str()));
        each(&owing, emit, |emp| {
            let name = &names[emp.as_str()];
            [
                OutFile { path: format!("notices/{name}.html"), bytes: notice::html(self, &debtors, emp).into_bytes() },
                OutFile { path: format!("notices/{name}.txt"), bytes: notice::text(self, &debtors, emp).into_bytes() },
            ]
        })
    }
}

/// Renders each item's documents and emits them, on every core; of several failures, the
/// first in item order is returned.
fn each<T: Sync>(
    items: &[T],
    emit: &(impl Fn(OutFile) -> Result<(), ReportError> + Sync),
    render: impl Fn(&T) -> [OutFile; 2] + Sync,
) -> Result<(), ReportError> {
    let results: Vec<Result<(), ReportError>> =
        items.par_iter().map(|item| render(item).into_iter().try_for_each(emit)).collect();
    results.into_iter().collect()
}
