//! [`AppError`]: why a use case failed, with a stable code that both adapters map (the web app to
//! an HTTP status, the CLI to an exit code) and a message that says what to do.
//!
//! Codes are part of Solidaria's interface: a code, once published, keeps its name and its class.
//! `docs/errors.md` lists them all (a test checks that it does). Each code belongs to one
//! [`Class`], whose name is the coarse `code` the JSON API has answered with since its first
//! version; the fine code is the `reason` beside it.

use solidaria_core::FieldError;
use solidaria_core::moderation::ModerationError;
use solidaria_store::StoreError;
use std::fmt;

/// What kind of failure a code is: decides the HTTP status and the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    /// The request is malformed (a query, a path, a decision, a file that cannot be read).
    BadRequest,
    /// What was asked for does not exist.
    NotFound,
    /// The request conflicts with the current state.
    Conflict,
    /// A record is well-formed but invalid: each problem names its field (and line).
    Invalid,
    /// The caller is not known (no or wrong credentials).
    Unauthorized,
    /// The caller is known but may not do this.
    Forbidden,
    /// Too many attempts.
    RateLimited,
    /// The system failed (database, disk, randomness): the cause is logged, never shown to a
    /// web visitor.
    Internal,
}

impl Class {
    /// The class's wire name (the JSON API's `code`).
    pub fn as_str(self) -> &'static str {
        match self {
            Class::BadRequest => "bad_request",
            Class::NotFound => "not_found",
            Class::Conflict => "conflict",
            Class::Invalid => "invalid_record",
            Class::Unauthorized => "unauthorized",
            Class::Forbidden => "forbidden",
            Class::RateLimited => "rate_limited",
            Class::Internal => "internal",
        }
    }
}

macro_rules! codes {
    ($($variant:ident = $name:literal, $class:ident, $what:literal;)+) => {
        /// A stable, fine-grained error code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $(#[doc = $what] $variant,)+
        }

        impl Code {
            /// Every code, in documentation order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            /// The code's wire name (the JSON API's `reason`).
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name,)+ }
            }

            /// The class it belongs to.
            pub fn class(self) -> Class {
                match self { $(Code::$variant => Class::$class,)+ }
            }

            /// When it is answered, in one sentence (for the documentation).
            pub fn description(self) -> &'static str {
                match self { $(Code::$variant => $what,)+ }
            }
        }
    };
}

codes! {
    QueryInvalid = "query_invalid", BadRequest, "A query parameter is malformed or unknown.";
    QueryTooLong = "query_too_long", BadRequest, "The search text is longer than 200 characters.";
    TerritoryMalformed = "territory_malformed", BadRequest, "A territory is neither an ISO 3166 code nor a custom region id.";
    VerdictWithoutProfile = "verdict_without_profile", BadRequest, "A verdict filter names no profile to screen under.";
    VerdictUnknown = "verdict_unknown", BadRequest, "A verdict filter is not one of the verdict names.";
    SearchTooBroad = "search_too_broad", BadRequest, "Filtering by verdict screens every match, and this search matches more than 2,000 actors: add words or filters.";
    ProfileWrongSubject = "profile_wrong_subject", BadRequest, "The profile screens cases or programmes, not actors (or the reverse).";
    FormatUnknown = "format_unknown", BadRequest, "A format name is not jsonl, json or csv (for an export: nor jsonld or murmurations).";
    ExportTypeUnsupported = "export_type_unsupported", BadRequest, "CSV holds actors or relations, JSON-LD and Murmurations actors only; other types are exported as JSON.";
    InputUnreadable = "input_unreadable", BadRequest, "An input file could not be read at all (not a record-level problem).";
    RegisterHeaderInvalid = "register_header_invalid", BadRequest, "A register file is empty or its header lacks a column the register rules need.";
    MappingInvalid = "mapping_invalid", BadRequest, "An import mapping (TOML) is malformed, or no built-in mapping has the name given; the message says which.";
    RegisterRulesInvalid = "register_rules_invalid", BadRequest, "A register rules file (TOML) is malformed; the message names the line and field.";
    RecordAddressMismatch = "record_address_mismatch", BadRequest, "A written body is not a JSON object, or its type, id or key differs from the address it is sent to.";
    MergeInvalid = "merge_invalid", BadRequest, "A merge names one actor as both the record kept and the record merged into it.";
    TerritoryNotDeletable = "territory_not_deletable", BadRequest, "Territories are not deleted through the API: records refer to them.";
    DecisionInvalid = "decision_invalid", BadRequest, "A moderator's decision is malformed (no message for a rejection, no original for a duplicate, an unknown state).";
    RoleUnknown = "role_unknown", BadRequest, "A role is not contributor, moderator or admin.";
    UserNameInvalid = "user_name_invalid", BadRequest, "A user name is outside 3 to 40 characters among a-z, 0-9, '.', '_' and '-'.";
    PasswordRejected = "password_rejected", BadRequest, "A new password breaks the password rules (length).";
    DatabaseInvalid = "database_invalid", BadRequest, "A file given as a Solidaria database (a backup to restore) is not one, or fails SQLite's integrity check.";
    BackupUnsupported = "backup_unsupported", BadRequest, "backup and restore copy SQLite databases; a PostgreSQL database is backed up with pg_dump (README, Backups).";
    RecordNotFound = "record_not_found", NotFound, "No actor, relation, territory or case has this id.";
    ProfileNotFound = "profile_not_found", NotFound, "No profile has this id.";
    FundNotFound = "fund_not_found", NotFound, "No fund has this id.";
    FileNotFound = "file_not_found", NotFound, "No static file has this path.";
    PageNotFound = "page_not_found", NotFound, "No page or endpoint has this address.";
    RegisterRulesNotFound = "register_rules_not_found", NotFound, "No built-in register rules apply this id; the message lists those there are.";
    ProposalNotFound = "proposal_not_found", NotFound, "No proposal has this number (or it is not the caller's).";
    MergeNotFound = "merge_not_found", NotFound, "No merge has this number.";
    UserNotFound = "user_not_found", NotFound, "No account has this name.";
    TokenNotFound = "token_not_found", NotFound, "No active API token has this number.";
    DatabaseNotFound = "database_not_found", NotFound, "A command that only reads was given a SQLite path where no database exists (it is not created).";
    FundFixed = "fund_fixed", Conflict, "A fund with postings keeps the definition they were checked under: make a new fund for new terms.";
    LedgerRefused = "ledger_refused", Invalid, "A posting would break a ledger invariant (balanced, release rule, eligibility, cash, outstanding, reversal, duplicate); each refusal names it with the figures.";
    DeliberationRefused = "deliberation_refused", Conflict, "The deliberation cannot take this step now (no round open, a round already open, the strategy adopted, an objection without its reason); the message says why.";
    StrategyInDeliberation = "strategy_in_deliberation", Conflict, "A strategy's text does not change while a round of deliberation is open on it: close the round first.";
    RecordExists = "record_exists", Conflict, "A create names a key that is taken: update that record instead.";
    ProposalStale = "proposal_stale", Conflict, "The record a proposal edits or deletes was deleted (or merged into another) since the proposal was made: it cannot be validated.";
    ProposalDecided = "proposal_decided", Conflict, "The proposal was already decided (decisions are final).";
    MergeRefused = "merge_refused", Conflict, "An undo of a merge is refused: the kept record changed since the merge, the absorbed id is in use again, or the merge was undone already; the message says which.";
    NameTaken = "name_taken", Conflict, "A unique name (a user name) is taken.";
    DatabaseBusy = "database_busy", Conflict, "Another write (an import, a web edit) held the database for the 10 s a writer waits: try again when it has finished.";
    SearchIndexBuilding = "search_index_building", Conflict, "The search index is being built when the server starts on a large registry; a search by area of the map needs it: try again in a few seconds.";
    FileExists = "file_exists", Conflict, "A file would be replaced (a backup's output, the database a restore writes): give --force to replace it.";
    SelfDemotion = "self_demotion", Conflict, "An admin may not take the admin role from themselves nor disable their own account: ask another admin.";
    RecordInvalid = "record_invalid", Invalid, "A record breaks the format or refers to a record that does not exist; each problem names its field.";
    RegisterRowsMalformed = "register_rows_malformed", Invalid, "Under --strict, a register has malformed rows; the first ones are listed with their lines.";
    CredentialsMissing = "credentials_missing", Unauthorized, "The request carries no session and no API token.";
    CredentialsInvalid = "credentials_invalid", Unauthorized, "The API token is unknown or revoked, or the password is wrong.";
    RoleInsufficient = "role_insufficient", Forbidden, "The caller's role may not do this.";
    FundPrivate = "fund_private", Forbidden, "A fund's ledger, postings and investees' positions are kept for its managers (accounts linked to its manager actor) and admins.";
    NotAVoter = "not_a_voter", Forbidden, "The account speaks for no actor of the strategy's territory that has a college under its decision rule (an admin links accounts to actors).";
    NotTheActorsAccount = "not_the_actors_account", Forbidden, "Only the account linked to an actor (its organization's own) fills that actor's self-assessment; an admin links accounts to actors.";
    AccountDisabled = "account_disabled", Forbidden, "The account is disabled: it cannot log in, and its sessions and API tokens no longer work (401); an admin may enable it again.";
    TokenReadOnly = "token_read_only", Forbidden, "The API token is read-only: it reads, and every write with it is refused; write with a token issued without read-only.";
    PasswordWrong = "password_wrong", Forbidden, "The current password given to change it is wrong.";
    CsrfInvalid = "csrf_invalid", Forbidden, "The form's or header's CSRF token is missing or wrong.";
    TooManyLogins = "too_many_logins", RateLimited, "Too many failed logins from this client or for this user: wait 15 minutes.";
    TooManyRequests = "too_many_requests", RateLimited, "Too many API requests without credentials from this client address: wait the seconds Retry-After says, or send an API token.";
    Database = "database", Internal, "The database failed.";
    System = "system", Internal, "The operating system failed (randomness, files, threads).";
    OutputClosed = "output_closed", Internal, "Whoever read the output stopped reading (a closed pipe, a client that went away); the command line treats it as success.";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// Why a use case failed: a stable [`Code`], a message that says what to do, and where the
/// problem is (a field; for records, one `field: expected …, found …` per problem).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    /// The stable code.
    pub code: Code,
    /// What went wrong and what to do, in a sentence. For an [`Class::Internal`] error it is the
    /// cause, which adapters log and do not show to web visitors.
    pub message: String,
    /// The field or parameter involved, when there is one.
    pub field: Option<String>,
    /// Each problem of an invalid record or import, located.
    pub problems: Vec<String>,
}

impl AppError {
    /// An error with a code and a message.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        AppError { code, message: message.into(), field: None, problems: Vec::new() }
    }

    /// The same error naming the field or parameter involved.
    pub fn at(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// No record of type `t` has this id: says that ids are exact and how to find the right one.
    pub fn no_record(t: solidaria_core::record::RecordType, id: &str) -> Self {
        AppError::new(
            Code::RecordNotFound,
            format!("no {t} with id {id:?}: ids are exact, case included; search the directory by name to find it"),
        )
    }

    /// A record that is not valid: one problem per field.
    pub fn invalid_record(problems: &[FieldError]) -> Self {
        AppError {
            code: Code::RecordInvalid,
            message: "the record is not valid".into(),
            field: None,
            problems: problems.iter().map(|p| p.to_string()).collect(),
        }
    }

    /// Writing an output failed: `output_closed` when whoever reads it went away (a closed pipe),
    /// `system` otherwise (a full disk, say).
    pub fn output(e: &std::io::Error) -> Self {
        let code = if e.kind() == std::io::ErrorKind::BrokenPipe { Code::OutputClosed } else { Code::System };
        AppError::new(code, format!("writing the output: {e}"))
    }

    /// The class of its code.
    pub fn class(&self) -> Class {
        self.code.class()
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(what) => AppError::new(Code::NameTaken, format!("{what} already exists")),
            e @ StoreError::Missing(_) => AppError::new(Code::DatabaseNotFound, e.to_string()),
            e @ StoreError::Busy { .. } => AppError::new(Code::DatabaseBusy, e.to_string()),
            e @ StoreError::NotSolidaria { .. } => AppError::new(Code::DatabaseInvalid, e.to_string()),
            e @ StoreError::Exists(_) => AppError::new(Code::FileExists, e.to_string()),
            e @ StoreError::Io(_) => AppError::new(Code::System, e.to_string()),
            e => AppError::new(Code::Database, e.to_string()),
        }
    }
}

impl From<ModerationError> for AppError {
    fn from(e: ModerationError) -> Self {
        let code = match &e {
            ModerationError::AlreadyDecided(_) => Code::ProposalDecided,
            ModerationError::UnknownRole(_) => Code::RoleUnknown,
            ModerationError::UserName(_) => Code::UserNameInvalid,
            ModerationError::Password { .. } => Code::PasswordRejected,
            _ => Code::DecisionInvalid,
        };
        AppError::new(code, e.to_string())
    }
}

/// The result of a use case.
pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_snake_case_and_end_in_a_sentence() {
        let mut seen = HashSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()), "{c} twice");
            assert!(c.as_str().chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'), "{c}");
            assert!(c.description().ends_with('.'), "{c}");
        }
    }

    /// `docs/errors.md` is the one list of codes for users: each code is in its table, with its
    /// class.
    #[test]
    fn every_code_is_documented_with_its_class() {
        let doc = include_str!("../../../docs/errors.md");
        for c in Code::ALL {
            let row = format!("| `{}` | `{}` |", c.as_str(), c.class().as_str());
            assert!(doc.contains(&row), "docs/errors.md lacks the row of {c}: {row}");
        }
    }

    #[test]
    fn store_and_moderation_errors_get_their_codes() {
        assert_eq!(AppError::from(StoreError::Conflict("user \"ana\"".into())).code, Code::NameTaken);
        assert_eq!(AppError::from(StoreError::Address("x".into())).class(), Class::Internal);
        let decided = ModerationError::AlreadyDecided(solidaria_core::moderation::ProposalState::Rejected);
        assert_eq!(AppError::from(decided).class(), Class::Conflict);
        assert_eq!(AppError::from(ModerationError::MessageRequired).code, Code::DecisionInvalid);
        let pipe = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        assert_eq!(AppError::output(&pipe).code, Code::OutputClosed);
        assert_eq!(AppError::output(&std::io::Error::other("disk full")).code, Code::System);
        let busy = AppError::from(StoreError::Busy { backend: "SQLite" });
        assert_eq!(busy.code, Code::DatabaseBusy);
        assert!(busy.message.starts_with("another write is in progress"), "{}", busy.message);
        let waited = format!("{} s", solidaria_store::WRITE_WAIT.as_secs());
        assert!(busy.message.contains(&waited) && Code::DatabaseBusy.description().contains(&waited));
    }
}
