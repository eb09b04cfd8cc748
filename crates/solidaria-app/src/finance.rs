//! Social finance use cases: keep fund definitions, post transactions to a fund's ledger with
//! every invariant checked in the store's transaction (the investee's eligibility screened on the
//! spot and kept with the posting), and report a fund as of a date, with its reach and portfolio
//! ([`portfolio`], which the chart and the exports read).

use crate::error::{AppError, AppResult, Code};
use rayon::prelude::*;
use serde_json::{Value, json};
use solidaria_core::actor::Actor;
use solidaria_core::finance::eligibility::{self, Ticket};
use solidaria_core::finance::fund::Fund;
use solidaria_core::finance::ledger::{self, Balances, Context, Entry, Invariant, Original, Refusal};
use solidaria_core::finance::reach::{self, Position, PostedTx, Reach, Received};
use solidaria_core::finance::report::{Flows, Report, report};
use solidaria_core::finance::transaction::{Kind, Transaction, fund_of};
use solidaria_core::moderation::Role;
use solidaria_core::record::{Record, RecordType};
use solidaria_core::screening::{Verdict, builtin, screen};
use solidaria_core::territory;
use solidaria_store::accounts::User;
use solidaria_store::ledger::{Decision, FundBatch, Outcome, Posting, Prior};
use solidaria_store::{Store, StoreError};
use std::collections::{BTreeMap, HashMap};

fn no_fund(id: &str) -> AppError {
    AppError::new(Code::FundNotFound, format!("no fund {id:?}: `solidaria finance funds` lists them")).at("fund")
}

fn store_error(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict(what) if what.starts_with("no fund ") => no_fund(what.trim_start_matches("no fund ")),
        StoreError::Conflict(what) => AppError::new(Code::FundFixed, what),
        e => e.into(),
    }
}

/// Saves a fund definition given as its JSON record; its manager and public sources must be
/// actors of the registry. Returns whether anything changed.
pub fn put_fund(store: &mut dyn Store, who: &str, value: &Value) -> AppResult<bool> {
    let fund = Fund::parse(value).map_err(|errors| AppError::invalid_record(&errors))?;
    let mut missing = Vec::new();
    for (field, id) in std::iter::once(("manager".to_string(), &fund.manager))
        .chain(fund.public_sources.iter().enumerate().map(|(i, s)| (format!("public_sources[{i}]"), s)))
    {
        if store.get(RecordType::Actor, id.as_str())?.is_none() {
            missing.push(format!("{field}: expected the id of an actor in the database, found \"{id}\", which is not"));
        }
    }
    if !missing.is_empty() {
        let mut e = AppError::new(Code::RecordInvalid, "the fund names actors that are not in the registry");
        e.problems = missing;
        return Err(e);
    }
    store.put_fund(who, fund.id.as_str(), &fund.to_json().to_string()).map_err(store_error)
}

/// A fund by id.
pub fn fund(store: &mut dyn Store, id: &str) -> AppResult<Fund> {
    let doc = store.fund_doc(id)?.ok_or_else(|| no_fund(id))?;
    decode(&doc)
}

fn decode(doc: &str) -> AppResult<Fund> {
    let v: Value = serde_json::from_str(doc).map_err(|e| AppError::new(Code::Database, format!("stored fund: {e}")))?;
    Fund::parse(&v).map_err(|e| AppError::new(Code::Database, format!("stored fund does not parse: {e:?}")))
}

/// Every fund.
pub fn funds(store: &mut dyn Store) -> AppResult<Vec<Fund>> {
    store.fund_docs()?.iter().map(|d| decode(d)).collect()
}

/// What posting a file did.
#[derive(Debug, Default)]
pub struct PostReport {
    /// `line: problem` for records that could not be read, and `line: invariant: figures` for
    /// refused postings. Nothing is kept when there is any.
    pub problems: Vec<String>,
    /// Transactions written.
    pub posted: u64,
    /// Transactions already in the ledger with the same content.
    pub unchanged: u64,
    /// Whether the postings were kept.
    pub committed: bool,
}

/// Posts transaction records (with their lines) all or nothing: each is read with its fund's
/// currency, then every posting is checked and written in one database transaction, fund by fund
/// in order of first appearance, each fund's in file order. The first problem stops nothing:
/// every record is read and every posting checked, so the report lists them all; then nothing is
/// kept.
pub fn post(store: &mut dyn Store, who: &str, records: &[(u64, Value)]) -> AppResult<PostReport> {
    let mut report = PostReport::default();
    // First the funds named (read once each), then every record read on all cores.
    let mut by_fund: Vec<(Fund, Vec<(u64, Transaction)>)> = Vec::new();
    let mut slot_of: ahash::AHashMap<&str, usize> = ahash::AHashMap::new();
    let mut slots: Vec<Option<usize>> = Vec::with_capacity(records.len());
    for (line, v) in records {
        let Some(fund_id) = fund_of(v) else {
            report.problems.push(format!("{line}: fund: expected the id of a fund, found nothing"));
            slots.push(None);
            continue;
        };
        let slot = match slot_of.get(fund_id) {
            Some(i) => Some(*i),
            None => match store.fund_doc(fund_id)? {
                Some(doc) => {
                    by_fund.push((decode(&doc)?, Vec::new()));
                    slot_of.insert(fund_id, by_fund.len() - 1);
                    Some(by_fund.len() - 1)
                }
                None => {
                    report.problems.push(format!(
                        "{line}: fund: expected the id of a fund, found \"{fund_id}\", which is not one"
                    ));
                    None
                }
            },
        };
        slots.push(slot);
    }
    let parsed: Vec<Option<Result<Transaction, Vec<solidaria_core::FieldError>>>> = records
        .par_iter()
        .zip(slots.par_iter())
        .map(|((_, v), slot)| slot.map(|s| Transaction::parse(v, &by_fund[s].0)))
        .collect();
    for (((line, _), slot), p) in records.iter().zip(&slots).zip(parsed) {
        match (slot, p) {
            (Some(s), Some(Ok(t))) => by_fund[*s].1.push((*line, t)),
            (_, Some(Err(errors))) => report.problems.extend(errors.iter().map(|e| format!("{line}: {e}"))),
            _ => {}
        }
    }
    if !report.problems.is_empty() {
        return Ok(report);
    }
    let outcomes = post_all(store, who, &by_fund)?;
    for ((_, txs), outcomes) in by_fund.iter().zip(&outcomes) {
        for ((line, t), o) in txs.iter().zip(outcomes) {
            match o {
                Outcome::Posted => report.posted += 1,
                Outcome::Unchanged => report.unchanged += 1,
                Outcome::Conflict(_) => report.problems.push(format!(
                    "{line}: {}: transaction {} was posted before with other content; post a reversal and a new transaction to change it",
                    Invariant::Duplicate,
                    t.id
                )),
                Outcome::Refused(why) => report.problems.push(format!("{line}: {why}")),
            }
        }
    }
    report.committed = report.problems.is_empty();
    if !report.committed {
        report.posted = 0;
        report.unchanged = 0;
    }
    Ok(report)
}

/// Every fund's postings in one store call (one database transaction).
fn post_all(
    store: &mut dyn Store,
    who: &str,
    by_fund: &[(Fund, Vec<(u64, Transaction)>)],
) -> AppResult<Vec<Vec<Outcome>>> {
    let batches: Vec<FundBatch> = by_fund
        .iter()
        .map(|(fund, txs)| FundBatch {
            fund: fund.id.as_str(),
            postings: txs
                .par_iter()
                .map(|(_, t)| Posting {
                    id: t.id.as_str(),
                    date: t.date.as_str(),
                    kind: t.kind.as_str(),
                    of: t.of.as_ref().map(|o| o.as_str()),
                    doc: t.to_json_string(fund),
                })
                .collect(),
        })
        .collect();
    // Eligibility needs the investee from the registry: read before the store's transaction,
    // then checked on all cores (the check is pure), with its evidence as the text kept.
    let mut investees = Investees { parents: None, actors: HashMap::new() };
    for (_, txs) in by_fund {
        for (_, t) in txs.iter().filter(|(_, t)| t.kind == Kind::Investment) {
            investees.read(store, t)?;
        }
    }
    let eligibility: Vec<Vec<Option<Checked>>> = by_fund
        .iter()
        .map(|(fund, txs)| {
            txs.par_iter().map(|(_, t)| (t.kind == Kind::Investment).then(|| investees.check(fund, t))).collect()
        })
        .collect();
    let mut check = |f: usize, i: usize, balances: &Balances, prior: Option<&Prior>| -> Result<Decision, String> {
        let (fund, txs) = &by_fund[f];
        let (_, t) = &txs[i];
        let elig = &eligibility[f][i];
        let original_tx;
        let entries: Vec<Entry>;
        let mut ctx = Context { eligibility: elig.as_ref().map(|(r, _)| r.clone()), original: None };
        let mut flow_kind = t.kind;
        if let Some(p) = prior {
            let v: Value = serde_json::from_str(&p.doc).map_err(|e| e.to_string())?;
            original_tx = match Transaction::parse(&v, fund) {
                Ok(o) => o,
                Err(_) => return Err(format!("{}: {} belongs to fund {}", Invariant::Reversal, v["id"], p.fund)),
            };
            entries = p.entries.iter().map(|(a, x)| Entry { account: a.clone(), amount: i128::from(*x) }).collect();
            ctx.original = Some(Original { tx: &original_tx, entries: &entries, reversed: p.reversed });
            flow_kind = original_tx.kind;
        }
        let posted = ledger::post(fund, balances, t, &ctx).map_err(|r: Refusal| r.to_string())?;
        let sign = if t.kind == Kind::Reversal { -1 } else { 1 };
        let mut out = Vec::with_capacity(posted.len());
        for e in posted {
            let amount = i64::try_from(e.amount).map_err(|_| "amount beyond 64 bits".to_string())?;
            out.push((e.account, amount));
        }
        Ok(Decision {
            entries: out,
            flow_kind: flow_kind.as_str(),
            flow_amount: sign * t.amount,
            evidence: elig.as_ref().map(|(_, v)| v.clone()),
        })
    };
    store.post(who, &batches, &mut check).map_err(store_error)
}

/// An investee's eligibility (or why not) and what was checked, as the JSON kept with the posting.
type Checked = (Result<(), String>, String);

/// Investees read once per posting call: the territories' parents, and each actor with its
/// territory and the territory's ancestors.
struct Investees {
    parents: Option<BTreeMap<String, String>>,
    actors: HashMap<String, Option<(Actor, Vec<String>)>>,
}

impl Investees {
    /// Reads the investee of an investment from the registry, once per call.
    fn read(&mut self, store: &mut dyn Store, t: &Transaction) -> AppResult<()> {
        let Some(id) = &t.counterparty else { return Ok(()) };
        if self.actors.contains_key(id.as_str()) {
            return Ok(());
        }
        let found = match store.get(RecordType::Actor, id.as_str())? {
            Some(Record::Actor(actor)) => {
                let chain = match &actor.territory {
                    Some(t) => {
                        if self.parents.is_none() {
                            self.parents = Some(store.territory_parents()?);
                        }
                        territory::ancestors(&t.to_string(), self.parents.as_ref().unwrap_or(&Default::default()))
                    }
                    None => Vec::new(),
                };
                Some((actor, chain))
            }
            _ => None,
        };
        self.actors.insert(id.to_string(), found);
        Ok(())
    }

    /// Whether the investee of an investment (read before) meets the fund's eligibility now, and
    /// what was checked (kept with the posting so the decision can be reproduced: the
    /// screenings, and the readiness when the fund asks for a stage). The conditions are the ones
    /// matching reports.
    fn check(&self, fund: &Fund, t: &Transaction) -> Checked {
        let Some(id) = &t.counterparty else {
            return (Err("no investee named".into()), Value::Null.to_string());
        };
        let Some(Some((actor, chain))) = self.actors.get(id.as_str()) else {
            return (Err(format!("{id} is not an actor of the registry")), json!({"investee": id}).to_string());
        };
        let ticket = Ticket { instrument: t.instrument, amount: t.amount };
        let (checks, mut evidence) = crate::matching::check(fund, actor, chain, Some(ticket));
        let result = eligibility::decide(&checks);
        evidence["eligible"] = json!(result.is_ok());
        evidence["why_not"] = json!(result.as_ref().err());
        (result, evidence.to_string())
    }
}

/// Every fund with its report on all postings (the list of funds with their figures).
pub fn summaries(store: &mut dyn Store) -> AppResult<Vec<(Fund, Report)>> {
    let mut out = Vec::new();
    for f in funds(store)? {
        let (f, r) = fund_report(store, f.id.as_str(), None)?;
        out.push((f, r));
    }
    Ok(out)
}

/// A fund's report as of a day (all postings when `None`).
pub fn fund_report(store: &mut dyn Store, id: &str, as_of: Option<&str>) -> AppResult<(Fund, Report)> {
    let f = fund(store, id)?;
    if let Some(d) = as_of
        && (d.len() != 10 || solidaria_core::text::PartialDate::parse(d).is_err())
    {
        return Err(
            AppError::new(Code::QueryInvalid, format!("as of: expected a day as YYYY-MM-DD, found {d:?}")).at("as_of")
        );
    }
    let balances = store.balances(id, as_of)?;
    let flows: Flows =
        store.flows(id, as_of)?.into_iter().filter_map(|(k, v)| Kind::parse(&k).ok().map(|k| (k, v))).collect();
    let r = report(&f, &balances, &flows);
    Ok((f, r))
}

/// A fund's portfolio as of a day: its report, its reach, money received over time, each
/// investee's position, and what the exports need (the investees and manager as actors, the
/// investments still counted with the evidence kept with them).
#[derive(Debug, Clone)]
pub struct Portfolio {
    /// The fund.
    pub fund: Fund,
    /// The day counted up to (`None`: every posting).
    pub as_of: Option<String>,
    /// The first day with a posting counted, if any.
    pub first_posting: Option<String>,
    /// The last day with a posting counted, if any.
    pub last_posting: Option<String>,
    /// The fund's figures.
    pub report: Report,
    /// Where its money went, and its portfolio's verdicts.
    pub reach: Reach,
    /// Private and public money received, cumulated by day.
    pub received: Vec<Received>,
    /// Each investee's position.
    pub positions: BTreeMap<String, Position>,
    /// The investees found in the registry.
    pub investees: HashMap<String, Actor>,
    /// The fund's manager, if in the registry.
    pub manager: Option<Actor>,
    /// The declared parents of custom regions (to find an investee's country).
    pub territory_parents: BTreeMap<String, String>,
    /// The investments counted (reversed ones left out), with their evidence, in ledger order.
    pub investments: Vec<PostedTx>,
}

/// A fund's portfolio as of a day (all postings when `None`): the report composed with the reach
/// of its investments (the investees read from the registry, screened now under the fund's
/// profiles) and the money received over time.
pub fn portfolio(store: &mut dyn Store, id: &str, as_of: Option<&str>) -> AppResult<Portfolio> {
    let (f, report) = fund_report(store, id, as_of)?;
    let mut txs = Vec::new();
    for p in store.postings(id)? {
        let v: Value =
            serde_json::from_str(&p.doc).map_err(|e| AppError::new(Code::Database, format!("stored posting: {e}")))?;
        let tx = Transaction::parse(&v, &f)
            .map_err(|e| AppError::new(Code::Database, format!("stored posting does not parse: {e:?}")))?;
        let evidence = p.evidence.as_deref().and_then(|e| serde_json::from_str(e).ok());
        txs.push(PostedTx { tx, evidence });
    }
    let counted = reach::effective(&txs, as_of);
    let first_posting = counted.iter().map(|t| t.tx.date.as_str().to_string()).min();
    let last_posting = counted.iter().map(|t| t.tx.date.as_str().to_string()).max();
    let positions = reach::positions(&counted);
    let received = reach::received_over_time(&counted);
    let investments: Vec<PostedTx> =
        counted.iter().filter(|t| t.tx.kind == Kind::Investment).map(|t| (*t).clone()).collect();
    let mut investees = HashMap::new();
    let mut now = BTreeMap::new();
    for who in positions.keys() {
        if let Some(Record::Actor(a)) = store.get(RecordType::Actor, who)? {
            let verdicts: Vec<(String, Verdict)> = f
                .eligibility
                .profiles
                .iter()
                .filter_map(|p| builtin::find(p).map(|profile| (p.clone(), screen(profile, &a).verdict)))
                .collect();
            now.insert(who.clone(), verdicts);
            investees.insert(who.clone(), a);
        }
    }
    let parents = store.territory_parents()?;
    let manager = match store.get(RecordType::Actor, f.manager.as_str())? {
        Some(Record::Actor(a)) => Some(a),
        _ => None,
    };
    let reach = reach::reach(&positions, &investees, &parents, &now);
    Ok(Portfolio {
        fund: f,
        as_of: as_of.map(str::to_string),
        first_posting,
        last_posting,
        report,
        reach,
        received,
        positions,
        investees,
        manager,
        territory_parents: parents,
        investments,
    })
}

/// Whether `user` manages fund `f`: an admin, or an account linked to the fund's manager actor
/// (`solidaria user link`). Deny by default: every other account, and anonymous visitors, see
/// only a fund's public aggregates.
pub fn manages(store: &mut dyn Store, user: &User, f: &Fund) -> AppResult<bool> {
    if user.role == Role::Admin {
        return Ok(true);
    }
    Ok(crate::accounts::linked_actor(store, &user.name)?.is_some_and(|a| a == f.manager.as_str()))
}

/// The fund `id` if `user` manages it, else `fund_private` (403) naming who may see it.
pub fn managed(store: &mut dyn Store, user: &User, id: &str) -> AppResult<Fund> {
    let f = fund(store, id)?;
    if manages(store, user, &f)? {
        Ok(f)
    } else {
        Err(AppError::new(
            Code::FundPrivate,
            format!(
                "fund {id}'s ledger and investees' positions are kept for its managers (accounts linked to {}) and admins",
                f.manager
            ),
        ))
    }
}

/// Posts transactions as a fund manager: every fund they name must be managed by `user`
/// (checked before anything is read or written), then as [`post`].
pub fn post_as(store: &mut dyn Store, user: &User, records: &[(u64, Value)]) -> AppResult<PostReport> {
    let mut checked = std::collections::BTreeSet::new();
    for (_, v) in records {
        if let Some(f) = fund_of(v)
            && checked.insert(f.to_string())
        {
            match managed(store, user, f) {
                Ok(_) => {}
                Err(e) if e.code == Code::FundNotFound => {}
                Err(e) => return Err(e),
            }
        }
    }
    post(store, &user.name, records)
}

/// A fund's ledger as its managers see it: the portfolio (positions by investee included) and
/// every posting with who posted it and the evidence kept with it.
pub fn ledger(
    store: &mut dyn Store,
    user: &User,
    id: &str,
) -> AppResult<(Portfolio, Vec<solidaria_store::ledger::Posted>)> {
    managed(store, user, id)?;
    let p = portfolio(store, id, None)?;
    let postings = store.postings(id)?;
    Ok((p, postings))
}

/// One fund as seen from a territory.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FundHere {
    /// The fund's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its manager actor.
    pub manager: String,
    /// Why it reaches the territory (its eligibility's territories), in English.
    pub reach: String,
    /// The same as data, for a shell to phrase in its language.
    #[serde(skip)]
    pub reached: Reached,
    /// How many of its investees are in the territory.
    pub investees: usize,
    /// Invested in them (reversed investments left out), in the fund's currency.
    pub invested: String,
    /// Principal they still owe.
    pub outstanding: String,
    /// The fund's currency, and the two amounts above in its minor units, for a shell to write
    /// in its language.
    #[serde(skip)]
    pub minor: (solidaria_core::finance::money::Currency, i128, i128),
}

/// How a fund's eligibility reaches a territory.
#[derive(Debug, Clone, PartialEq)]
pub enum Reached {
    /// Its eligibility names no territory.
    Anywhere,
    /// It names the territory.
    Itself,
    /// It names this territory (a code) that includes the territory.
    Includes(String),
    /// It names this territory (a code) within the territory.
    PartOf(String),
}

impl Reached {
    /// In English, the territory being `t`.
    pub fn english(&self, t: &str) -> String {
        match self {
            Reached::Anywhere => "any territory".to_string(),
            Reached::Itself => format!("{t} itself"),
            Reached::Includes(x) => format!("{x} (which includes {t})"),
            Reached::PartOf(x) => format!("{x} (part of {t})"),
        }
    }
}

/// Social finance in a territory's ecosystem: the funds whose eligibility reaches it, with what
/// they invested in its actors, and the mechanisms offered there or fitting its context.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TerritoryFinance {
    /// The territory.
    pub territory: String,
    /// The funds reaching it.
    pub funds: Vec<FundHere>,
    /// The mechanisms, offered there first, each with its availability and fit.
    pub mechanisms: Vec<crate::mechanisms::Listed>,
}

/// The social finance of territory `t` (aggregates only: no position by organization).
pub fn in_territory(store: &mut dyn Store, t: &str) -> AppResult<TerritoryFinance> {
    let within = crate::directory::territories_within(store, t)?;
    let parents = store.territory_parents()?;
    let chain = territory::ancestors(t, &parents);
    let mut funds_here = Vec::new();
    for f in funds(store)? {
        let targets: Vec<String> = f.eligibility.territories.iter().map(|x| x.to_string()).collect();
        let reached = if targets.is_empty() {
            Reached::Anywhere
        } else if targets.iter().any(|x| x == t) {
            Reached::Itself
        } else if let Some(x) = targets.iter().find(|x| chain.contains(x)) {
            Reached::Includes(x.clone())
        } else if let Some(x) = targets.iter().find(|x| within.contains(x.as_str())) {
            Reached::PartOf(x.clone())
        } else {
            continue;
        };
        let p = portfolio(store, f.id.as_str(), None)?;
        let here: Vec<&Position> = p
            .positions
            .iter()
            .filter(|(who, _)| {
                p.investees.get(*who).and_then(|a| a.territory.as_ref()).is_some_and(|x| within.contains(x.as_str()))
            })
            .map(|(_, pos)| pos)
            .collect();
        let invested: i128 = here.iter().map(|x| x.invested).sum();
        let outstanding: i128 = here.iter().map(|x| x.outstanding).sum();
        funds_here.push(FundHere {
            id: f.id.to_string(),
            name: f.name.clone(),
            manager: f.manager.to_string(),
            reach: reached.english(t),
            reached,
            investees: here.len(),
            invested: f.currency.format(invested),
            outstanding: f.currency.format(outstanding),
            minor: (f.currency, invested, outstanding),
        });
    }
    let mechanisms = crate::mechanisms::catalogue(store, Some(t))?;
    Ok(TerritoryFinance { territory: t.to_string(), funds: funds_here, mechanisms })
}
