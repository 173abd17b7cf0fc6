//! [`Scope`]: what a reader may see, the value every review query takes.

/// What a reader may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Finance: everything.
    All,
    /// A program: findings charged to these account codes and their statements.
    Accounts(Vec<String>),
    /// An employee: findings naming them and their notices.
    Employee(String),
}

impl Scope {
    /// The SQL condition (on a `findings` row aliased `f`) and its parameters.
    pub(crate) fn findings_clause(&self) -> (String, Vec<String>) {
        match self {
            Scope::All => ("1".into(), vec![]),
            Scope::Accounts(a) if a.is_empty() => ("0".into(), vec![]),
            Scope::Accounts(a) => (format!("f.account_code IN ({})", vec!["?"; a.len()].join(", ")), a.clone()),
            Scope::Employee(e) => ("f.employee_id = ?".into(), vec![e.clone()]),
        }
    }
}
