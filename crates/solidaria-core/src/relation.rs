//! Relations: typed, directed, dated edges between actors, with their evidence.

use crate::closed_list;
use crate::error::FieldError;
use crate::reader::Reader;
use crate::text::{ID_EXPECTED, Id, PartialDate, WebUrl};

closed_list! {
    /// The kind of a relation, read as "`from` <kind> `to`".
    RelationKind {
        /// `from` is a member of `to`.
        MemberOf = "member_of",
        /// `from` federates `to` (the reverse of membership, seen from the apex body).
        Federates = "federates",
        /// `from` funds `to`.
        Funds = "funds",
        /// `from` partners with `to`.
        PartnersWith = "partners_with",
        /// `from` supplies goods or services to `to`.
        Supplies = "supplies",
        /// `from` buys from `to` (public procurement included).
        ProcuresFrom = "procures_from",
        /// `from` supports `to` (technical, political, in kind).
        Supports = "supports",
        /// `from` co-constructs policy or programmes with `to`.
        CoConstructs = "co_constructs",
        /// `from` trains `to`.
        Trains = "trains",
        /// `from` carries out research with `to`.
        ResearchesWith = "researches_with",
    }
}

/// A relation between two actors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    /// The actor the relation starts from.
    pub from: Id,
    /// The actor it points to.
    pub to: Id,
    /// What the relation is.
    pub kind: RelationKind,
    /// When it began.
    pub since: Option<PartialDate>,
    /// When it ended, if it has.
    pub until: Option<PartialDate>,
    /// The source that documents it.
    pub source: Option<String>,
    /// When the source said so.
    pub date: Option<PartialDate>,
    /// A link to the source.
    pub url: Option<WebUrl>,
    /// A note.
    pub note: Option<String>,
}

/// The fields of a relation record.
pub const RELATION_FIELDS: &[&str] = &["type", "from", "to", "kind", "since", "until", "source", "date", "url", "note"];

impl Relation {
    /// The key that identifies a relation for upserts: `from`, `kind`, `to`.
    pub fn key(&self) -> String {
        format!("{}|{}|{}", self.from, self.kind, self.to)
    }

    /// Parses a relation record, collecting every problem.
    pub(crate) fn parse(r: &mut Reader<'_>) -> Option<Self> {
        r.deny_unknown(RELATION_FIELDS);
        let from = r.req_parse("from", ID_EXPECTED, Id::parse);
        let to = r.req_parse("to", ID_EXPECTED, Id::parse);
        let kind = r.req_parse("kind", &crate::error::one_of(RelationKind::NAMES), RelationKind::parse);
        let since = r.opt_parse("since", PartialDate::parse);
        let until = r.opt_parse("until", PartialDate::parse);
        let source = r.opt_text("source");
        let date = r.opt_parse("date", PartialDate::parse);
        let url = r.opt_parse("url", WebUrl::parse);
        let note = r.opt_text("note");
        if let (Some(s), Some(u)) = (&since, &until)
            && u.year() < s.year()
        {
            r.errors.push(FieldError::text("until", format!("a date not before since ({s})"), format!("\"{u}\"")));
        }
        if from.is_some() && from == to {
            r.errors.push(FieldError::text("to", "an actor other than \"from\"", format!("\"{}\"", to.as_ref()?)));
        }
        Some(Relation { from: from?, to: to?, kind: kind?, since, until, source, date, url, note })
    }
}
