//! Actors: the participants of an SSE ecosystem.
//!
//! An actor has a legal form, a category (what it is in the ecosystem), roles (the building blocks
//! it serves), a territory, claims (labels it asserts about itself) and facts with provenance.

use crate::closed_list;
use crate::fact::{Facts, parse_facts};
use crate::legal_form::{Family, LegalForm, parse_code};
use crate::origin::{self, Address, Identifiers, Precision, SourceRef};
use crate::reader::Reader;
use crate::site::Site;
use crate::territory::{TERRITORY_EXPECTED, TerritoryId};
use crate::text::{ID_EXPECTED, Id, WebUrl};
use serde::Serialize;

closed_list! {
    /// What an actor is in the ecosystem.
    Category {
        /// A cooperative, mutual, association, foundation or social enterprise doing SSE activity.
        SseOrganization = "sse_organization",
        /// Apex body, federation, cluster, sectoral association or intermediary.
        SupportNetwork = "support_network",
        /// University, research centre or school.
        KnowledgeInstitution = "knowledge_institution",
        /// Government, ministry, agency or municipality.
        PublicAuthority = "public_authority",
        /// Bank, fund, credit union or other finance provider.
        FinanceProvider = "finance_provider",
        /// Conventional business.
        PrivateBusiness = "private_business",
        /// Social movement, union or citizens' collective.
        CivilSocietyMovement = "civil_society_movement",
    }
}

closed_list! {
    /// The seven building blocks of an SSE ecosystem (the roles an actor can serve).
    BuildingBlock {
        /// Capacity-building: training, incubation, technical assistance.
        CapacityBuilding = "capacity_building",
        /// Investment and funds.
        Finance = "finance",
        /// Market access, including public procurement.
        MarketAccess = "market_access",
        /// Enabling policy and regulation.
        Policy = "policy",
        /// Knowledge transfer between research and practice.
        KnowledgeTransfer = "knowledge_transfer",
        /// Data and measurement.
        DataMeasurement = "data_measurement",
        /// Awareness and mobilisation.
        AwarenessMobilisation = "awareness_mobilisation",
    }
}

closed_list! {
    /// A label an actor asserts about itself; screening checks whether the facts support it.
    Claim {
        /// Part of the social and solidarity economy.
        Sse = "sse",
        /// Part of the social economy.
        SocialEconomy = "social_economy",
        /// Part of the solidarity economy.
        SolidarityEconomy = "solidarity_economy",
        /// A social innovator.
        SocialInnovation = "social_innovation",
        /// A social enterprise.
        SocialEnterprise = "social_enterprise",
        /// A cooperative.
        Cooperative = "cooperative",
        /// A mutual.
        Mutual = "mutual",
        /// A non-profit.
        NonProfit = "non_profit",
        /// A fair-trade organization.
        FairTrade = "fair_trade",
    }
}

/// A point on the map (WGS 84 degrees), with how precisely it places the actor when the source
/// says (a postcode centre is not a door).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Location {
    /// Latitude, -90 to 90.
    pub lat: f64,
    /// Longitude, -180 to 180.
    pub lon: f64,
    /// How precise the point is; unknown when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<Precision>,
}

impl Location {
    /// Reads a map point at `path`: both coordinates, in range, and an optional precision.
    pub(crate) fn parse(v: &serde_json::Value, path: &str, errors: &mut Vec<crate::error::FieldError>) -> Option<Self> {
        let mut l = Reader::object(v, path, errors)?;
        l.deny_unknown(&["lat", "lon", "precision"]);
        if l.get("lat").is_none() || l.get("lon").is_none() {
            let field = l.path("lat");
            l.errors.push(crate::error::FieldError::new(field, "both \"lat\" and \"lon\"", v));
        }
        let lat = l.opt_number("lat", -90.0, 90.0);
        let lon = l.opt_number("lon", -180.0, 180.0);
        let precision = l.opt_parse("precision", Precision::parse);
        Some(Location { lat: lat?, lon: lon?, precision })
    }
}

/// An ecosystem actor.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    /// Stable id.
    pub id: Id,
    /// Name as the actor writes it.
    pub name: String,
    /// Other names it is known by: other spellings in its sources, former names, the names of
    /// records merged into it (sorted, distinct).
    pub alternate_names: Vec<String>,
    /// What it is in the ecosystem.
    pub category: Option<Category>,
    /// Its legal form (all parts optional).
    pub legal_form: LegalForm,
    /// Where it is based.
    pub territory: Option<TerritoryId>,
    /// Labels it claims, from the known list (these drive claim mismatches).
    pub claims: Vec<Claim>,
    /// Other labels it carries in its sources (`b_corp`, `mission_company`, …): kept, shown and
    /// exported with the claims, but no screening reads them.
    pub labels: Vec<String>,
    /// Building blocks it serves.
    pub roles: Vec<BuildingBlock>,
    /// Head-office location.
    pub location: Option<Location>,
    /// Web site.
    pub website: Option<WebUrl>,
    /// Year founded.
    pub founded: Option<i64>,
    /// A short description in the curator's words.
    pub description: Option<String>,
    /// Facts with their provenance.
    pub facts: Facts,
    /// Its identifiers in registers and directories, by scheme.
    pub identifiers: Identifiers,
    /// Its postal address.
    pub address: Address,
    /// The places where it works besides its head office (outlets, branches), each with its
    /// source row (see [`crate::site`]).
    pub sites: Vec<Site>,
    /// The activities its sources classify it under (`ica:ICA260`, `uksic2007:47110`).
    pub activities: Vec<String>,
    /// The datasets its record was built from.
    pub sources: Vec<SourceRef>,
    /// The ids of records merged into this one (see `dedup::merge`), so that old links still
    /// find it (sorted, distinct).
    pub alternate_ids: Vec<Id>,
}

/// The fields of an actor record.
pub const ACTOR_FIELDS: &[&str] = &[
    "type",
    "id",
    "name",
    "alternate_names",
    "category",
    "legal_form",
    "territory",
    "claims",
    "roles",
    "location",
    "website",
    "founded",
    "description",
    "facts",
    "identifiers",
    "address",
    "sites",
    "activities",
    "sources",
    "alternate_ids",
];

/// Longest alternate name, in bytes.
pub const ALTERNATE_NAME_MAX_LEN: usize = 300;

/// Checks an alternate name: a non-empty text of at most [`ALTERNATE_NAME_MAX_LEN`] bytes, kept
/// with its inner spaces collapsed.
pub fn parse_alternate_name(s: &str) -> Result<String, String> {
    let name = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() || name.len() > ALTERNATE_NAME_MAX_LEN {
        return Err(format!("a non-empty name of at most {ALTERNATE_NAME_MAX_LEN} bytes"));
    }
    Ok(name)
}

/// Earliest and latest accepted founding year.
pub const FOUNDED_RANGE: (i64, i64) = (1000, 2100);

impl Actor {
    /// A minimal actor, with every optional part unknown.
    pub fn new(id: Id, name: impl Into<String>) -> Self {
        Self {
            id,
            name: name.into(),
            alternate_names: Vec::new(),
            category: None,
            legal_form: LegalForm::default(),
            territory: None,
            claims: Vec::new(),
            roles: Vec::new(),
            location: None,
            website: None,
            founded: None,
            description: None,
            facts: Facts::new(),
            labels: Vec::new(),
            identifiers: Identifiers::new(),
            address: Address::default(),
            sites: Vec::new(),
            activities: Vec::new(),
            sources: Vec::new(),
            alternate_ids: Vec::new(),
        }
    }

    /// Parses an actor record, collecting every problem.
    pub(crate) fn parse(r: &mut Reader<'_>) -> Option<Self> {
        r.deny_unknown(ACTOR_FIELDS);
        let id = r.req_parse("id", ID_EXPECTED, Id::parse);
        let name = r.req_text("name");
        let alternate_names = r.opt_list("alternate_names", parse_alternate_name);
        let category = r.opt_parse("category", Category::parse);
        let legal_form = match r.get("legal_form") {
            None => Some(LegalForm::default()),
            Some(v) => {
                let mut lf = Reader::object(v, "legal_form", r.errors);
                lf.as_mut().map(|lf| {
                    lf.deny_unknown(&["family", "code", "label"]);
                    LegalForm {
                        family: lf.opt_parse("family", Family::parse),
                        code: lf.opt_parse("code", parse_code),
                        label: lf.opt_text("label"),
                    }
                })
            }
        };
        let territory = r.opt_parse("territory", |s| TerritoryId::parse(s).map_err(|_| TERRITORY_EXPECTED.to_string()));
        let (claims, labels) = split_claims(r.opt_list("claims", ClaimOrLabel::parse));
        let roles = r.opt_list("roles", BuildingBlock::parse);
        let location = match r.get("location") {
            None => None,
            Some(v) => Location::parse(v, "location", r.errors),
        };
        let website = r.opt_parse("website", WebUrl::parse);
        let founded = r.opt_int("founded", FOUNDED_RANGE.0, FOUNDED_RANGE.1);
        let description = r.opt_text("description");
        let facts = r.get("facts").map(|v| parse_facts(v, "facts", r.errors)).unwrap_or_default();
        let identifiers =
            r.get("identifiers").map(|v| origin::parse_identifiers(v, "identifiers", r.errors)).unwrap_or_default();
        let address = match r.get("address") {
            None => Some(Address::default()),
            Some(v) => Address::parse(v, "address", r.errors),
        };
        let sites = r.get("sites").map(|v| crate::site::parse_sites(v, "sites", r.errors)).unwrap_or_default();
        let activities = r.opt_list("activities", origin::parse_activity);
        let sources = r.get("sources").map(|v| origin::parse_sources(v, "sources", r.errors)).unwrap_or_default();
        let alternate_ids = r.opt_list("alternate_ids", Id::parse);
        let name = name?;
        // The actor's own name is not another name of it.
        let alternate_names = alternate_names.into_iter().filter(|n| *n != name).collect();
        Some(Actor {
            id: id?,
            name,
            alternate_names,
            category,
            legal_form: legal_form?,
            territory,
            claims,
            roles,
            location,
            website,
            founded,
            description,
            facts,
            labels,
            identifiers,
            address: address?,
            sites,
            activities,
            sources,
            alternate_ids,
        })
    }
}

/// An item of a record's `claims` list: a known claim, or another label kept as given.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum ClaimOrLabel {
    Claim(Claim),
    Label(String),
}

impl ClaimOrLabel {
    fn parse(s: &str) -> Result<Self, String> {
        match Claim::parse(s) {
            Ok(c) => Ok(ClaimOrLabel::Claim(c)),
            Err(_) => origin::parse_label(s)
                .map(ClaimOrLabel::Label)
                .map_err(|e| format!("one of the known claims ({}) or {e}", Claim::NAMES.join(", "))),
        }
    }
}

fn split_claims(items: Vec<ClaimOrLabel>) -> (Vec<Claim>, Vec<String>) {
    let mut claims = Vec::new();
    let mut labels = Vec::new();
    for item in items {
        match item {
            ClaimOrLabel::Claim(c) => claims.push(c),
            ClaimOrLabel::Label(l) => labels.push(l),
        }
    }
    (claims, labels)
}
