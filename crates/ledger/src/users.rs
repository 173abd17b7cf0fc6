//! The web app's users, kept as append-only events (added, disabled, password changed): a user is
//! the fold of their events. Passwords arrive here already hashed (argon2id, by the web crate);
//! the ledger never sees one in the clear.

use billrecon_model::FreeText;
use rusqlite::{params, TransactionBehavior};

use crate::db::{pause_before_commit, Ledger, Stamp};
use crate::error::{LedgerError, Result};
use crate::scope::Scope;

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Everything.
    Supervisor,
    /// Review, dispute and resolve findings, record payments; cannot waive.
    Clerk,
    /// The statements and findings of its account codes; may dispute a finding on its lines.
    Program,
    /// Their own notices (and calls).
    Employee,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Supervisor, Role::Clerk, Role::Program, Role::Employee];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Supervisor => "supervisor",
            Role::Clerk => "clerk",
            Role::Program => "program",
            Role::Employee => "employee",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// A user as their events leave them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub login: String,
    pub role: Role,
    /// A program's account codes.
    pub accounts: Vec<String>,
    /// An employee's id.
    pub employee_id: Option<String>,
    pub disabled: bool,
    /// The argon2id hash (PHC string).
    pub password_hash: String,
    /// Where `notify --statements` sends a program user's statements (empty: nowhere).
    pub email: String,
}

impl User {
    /// What the user's queries may see.
    pub fn scope(&self) -> Scope {
        match self.role {
            Role::Supervisor | Role::Clerk => Scope::All,
            Role::Program => Scope::Accounts(self.accounts.clone()),
            Role::Employee => Scope::Employee(self.employee_id.clone().unwrap_or_default()),
        }
    }
}

/// A user to add.
pub struct NewUser<'a> {
    pub login: &'a FreeText,
    pub role: Role,
    pub accounts: &'a [FreeText],
    pub employee_id: Option<&'a FreeText>,
    pub password_hash: &'a str,
    pub email: Option<&'a FreeText>,
}

/// Account codes are stored one per line: a `FreeText` never holds a line break.
const SEP: &str = "\n";

/// A login: letters, digits and `.`, `_`, `-`, `@`, 1 to 64 of them.
pub fn check_login(login: &str) -> std::result::Result<(), String> {
    let ok = !login.is_empty()
        && login.len() <= 64
        && login.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'@'));
    if ok {
        Ok(())
    } else {
        Err(format!("login {login:?}: use 1 to 64 letters, digits, '.', '_', '-' or '@'"))
    }
}

impl Ledger {
    /// Adds a user; refused if the login exists (decided inside the write transaction).
    pub fn user_add(&mut self, u: &NewUser<'_>, stamp: &Stamp) -> Result<()> {
        check_login(u.login.as_str()).map_err(LedgerError::Refused)?;
        match u.role {
            Role::Program if u.accounts.is_empty() => {
                return Err(LedgerError::Refused("a program user needs at least one --account".into()))
            }
            Role::Employee if u.employee_id.is_none() => {
                return Err(LedgerError::Refused("an employee user needs --employee".into()))
            }
            Role::Supervisor | Role::Clerk if !u.accounts.is_empty() || u.employee_id.is_some() => {
                return Err(LedgerError::Refused(format!(
                    "a {} sees every account: --account and --employee are for program and employee users",
                    u.role
                )))
            }
            _ => {}
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let exists: bool =
            tx.query_row("SELECT EXISTS (SELECT 1 FROM user_events WHERE login = ?1)", [u.login.as_str()], |r| r.get(0))?;
        if exists {
            return Err(LedgerError::Refused(format!("user {} exists already: nothing written", u.login)));
        }
        let accounts: Vec<&str> = u.accounts.iter().map(FreeText::as_str).collect();
        tx.execute(
            "INSERT INTO user_events (login, event, role, accounts, employee_id, password_hash, actor, source, recorded_at, email)
             VALUES (?1, 'add', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                u.login.as_str(),
                u.role.as_str(),
                accounts.join(SEP),
                u.employee_id.map_or("", FreeText::as_str),
                u.password_hash,
                stamp.actor.as_str(),
                stamp.source.as_str(),
                stamp.at_text(),
                u.email.map_or("", FreeText::as_str)
            ],
        )?;
        pause_before_commit();
        tx.commit()?;
        Ok(())
    }

    /// Disables a user (`false`: they were disabled already, nothing written).
    pub fn user_disable(&mut self, login: &str, stamp: &Stamp) -> Result<bool> {
        self.user_event(login, "disable", "", stamp)
    }

    /// Sets a user's password hash (and enables them again).
    pub fn user_passwd(&mut self, login: &str, password_hash: &str, stamp: &Stamp) -> Result<()> {
        self.user_event(login, "passwd", password_hash, stamp).map(|_| ())
    }

    fn user_event(&mut self, login: &str, event: &str, hash: &str, stamp: &Stamp) -> Result<bool> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let Some(user) = user_on(&tx, login)? else {
            return Err(LedgerError::Refused(format!("no user {login}: `billrecon user list` lists them")));
        };
        if event == "disable" && user.disabled {
            return Ok(false);
        }
        tx.execute(
            "INSERT INTO user_events (login, event, role, accounts, employee_id, password_hash, actor, source, recorded_at)
             VALUES (?1, ?2, '', '', '', ?3, ?4, ?5, ?6)",
            params![login, event, hash, stamp.actor.as_str(), stamp.source.as_str(), stamp.at_text()],
        )?;
        tx.commit()?;
        Ok(true)
    }

    /// A user, as their events leave them.
    pub fn user(&self, login: &str) -> Result<Option<User>> {
        user_on(&self.conn, login)
    }

    /// Every user, by login.
    pub fn users(&self) -> Result<Vec<User>> {
        let mut st = self.conn.prepare("SELECT DISTINCT login FROM user_events ORDER BY login")?;
        let logins = st.query_map([], |r| r.get::<_, String>(0))?.collect::<std::result::Result<Vec<_>, _>>()?;
        let mut out = Vec::new();
        for l in logins {
            out.extend(self.user(&l)?);
        }
        Ok(out)
    }
}

/// The SQL, named for the index test.
pub mod sql {
    /// A user's events, in order (read on every web request).
    pub const EVENTS: &str =
        "SELECT event, role, accounts, employee_id, password_hash, email FROM user_events WHERE login = ?1 ORDER BY id";
}

fn user_on(conn: &rusqlite::Connection, login: &str) -> Result<Option<User>> {
    let mut st = conn.prepare_cached(sql::EVENTS)?;
    let rows = st.query_map([login], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    let mut user: Option<User> = None;
    for row in rows {
        let (event, role, accounts, employee, hash, email) = row?;
        match (event.as_str(), user.as_mut()) {
            ("add", _) => {
                user = Some(User {
                    login: login.to_string(),
                    role: Role::parse(&role).unwrap_or(Role::Employee),
                    accounts: accounts.split(SEP).filter(|a| !a.is_empty()).map(str::to_string).collect(),
                    employee_id: Some(employee).filter(|e| !e.is_empty()),
                    disabled: false,
                    password_hash: hash,
                    email,
                })
            }
            ("disable", Some(u)) => u.disabled = true,
            ("passwd", Some(u)) => {
                u.password_hash = hash;
                u.disabled = false;
            }
            _ => {}
        }
    }
    Ok(user)
}

/// A one-time link for an employee to set their password (sent by `notify --enrol`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    pub id: i64,
    pub login: String,
    pub employee_id: String,
    /// The argon2id hash of the link's secret.
    pub secret_hash: String,
    pub expires_at: String,
    pub used: bool,
}

impl Ledger {
    /// Records a one-time link for `employee` (login `login`), valid until `expires_at` (RFC 3339);
    /// returns its id. The secret is stored hashed only.
    pub fn enrolment_add(
        &mut self,
        login: &str,
        employee: &str,
        secret_hash: &str,
        expires_at: &str,
        stamp: &Stamp,
    ) -> Result<i64> {
        check_login(login).map_err(LedgerError::Refused)?;
        self.conn.execute(
            "INSERT INTO enrolments (login, employee_id, secret_hash, expires_at, actor, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![login, employee, secret_hash, expires_at, stamp.actor.as_str(), stamp.at_text()],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// An enrolment link by id.
    pub fn enrolment(&self, id: i64) -> Result<Option<Enrolment>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row(
                "SELECT id, login, employee_id, secret_hash, expires_at, EXISTS (SELECT 1 FROM enrolment_uses u WHERE u.enrolment_id = e.id)
                 FROM enrolments e WHERE id = ?1",
                [id],
                |r| {
                    Ok(Enrolment {
                        id: r.get(0)?,
                        login: r.get(1)?,
                        employee_id: r.get(2)?,
                        secret_hash: r.get(3)?,
                        expires_at: r.get(4)?,
                        used: r.get(5)?,
                    })
                },
            )
            .optional()?)
    }

    /// Uses an enrolment link (checked by the caller): the employee user is added with the
    /// password hash, or their password set if they exist. Decided inside the write transaction:
    /// a link is used once.
    pub fn enrol(&mut self, id: i64, password_hash: &str, stamp: &Stamp) -> Result<String> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (login, employee, used): (String, String, bool) = tx.query_row(
            "SELECT login, employee_id, EXISTS (SELECT 1 FROM enrolment_uses u WHERE u.enrolment_id = e.id) FROM enrolments e WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        if used {
            return Err(LedgerError::Refused("this link was used already: ask finance for a new one".into()));
        }
        tx.execute("INSERT INTO enrolment_uses (enrolment_id, used_at) VALUES (?1, ?2)", params![id, stamp.at_text()])?;
        let event = if user_on(&tx, &login)?.is_some() { "passwd" } else { "add" };
        let (role, emp) = if event == "add" { ("employee", employee.as_str()) } else { ("", "") };
        tx.execute(
            "INSERT INTO user_events (login, event, role, accounts, employee_id, password_hash, actor, source, recorded_at)
             VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, ?7, ?8)",
            params![login, event, role, emp, password_hash, login, stamp.source.as_str(), stamp.at_text()],
        )?;
        tx.commit()?;
        Ok(login)
    }
}
