//! Merging two actors that describe one organization, by a moderator, and undoing it.
//!
//! - [`preview`]: what a merge would make (the merged record, each conflict with both values
//!   side by side and the one kept, the relations re-pointed), to show before confirming.
//! - [`merge`]: the merge itself, in one transaction: the kept actor becomes the merged record
//!   (`solidaria_core::dedup::merge`: both records' values with their provenance, the absorbed
//!   id among its `alternate_ids`, the absorbed name among its `alternate_names`); each relation
//!   of the absorbed actor is re-pointed to the kept one (a relation the kept actor already has,
//!   or one between the two, is not duplicated); every other reference to the absorbed actor is
//!   re-pointed too ([`References`]: cases' actors, mechanisms' providers, strategies' leads,
//!   partners, pairs and commitments, facts naming an actor such as `control.controlled_by`,
//!   funds' managers and public sources, accounts speaking for it); the absorbed actor is
//!   deleted. Every write is audited as `WHO (merge N)` (records in the audit log, funds as
//!   their last change, accounts in the account log), and the merge keeps the before-images of
//!   every record it changed, the merged record and the keys it created.
//! - [`undo`]: restores both actors, the relations and every re-pointed reference exactly as
//!   they were before the merge, in one transaction, audited as `WHO (undo of merge N)`;
//!   refused (`merge_refused`, 409) when the kept record or a re-pointed one changed since the
//!   merge (its audit log shows how), when the absorbed id was used again, or when the merge was
//!   undone already.
//!
//! The ledger's postings and the deliberations' votes are append-only: those that name the
//! absorbed actor keep its id, which [`resolve`] leads to the kept actor.
//! - [`resolve`]: the actor an old id was merged into (following merges of merges), so that old
//!   links lead to it.
//!
//! Only moderators and admins merge and undo ([`merge`], [`undo`] check the role); an import
//! merging pairs above a threshold calls [`merge_as`] under its own name.

use crate::error::{AppError, AppResult, Code};
use serde::Serialize;
use serde_json::{Value, json};
use solidaria_core::dedup::merge::{Conflict, merge as merge_records};
use solidaria_core::finance::fund::Fund;
use solidaria_core::moderation::{self, Action};
use solidaria_core::record::repoint::repoint_fund;
use solidaria_core::record::{RecordType, parse_record};
use solidaria_core::relation::Relation;
use solidaria_core::text::Id;
use solidaria_core::{Actor, Record};
use solidaria_store::accounts::User;
use solidaria_store::merges::{MergeEntry, NewMerge};
use solidaria_store::{Store, StoreError, Transaction};

mod resolve;
pub use resolve::resolve;
pub(crate) use resolve::resolve_in;

/// What becomes of one relation of the absorbed actor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelationMove {
    /// The relation's key before the merge.
    pub from_key: String,
    /// Its key after (`None`: it is dropped, being between the two merged actors).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_key: Option<String>,
    /// `repointed`, `already_there` (the kept actor has that relation already) or `dropped`.
    pub action: &'static str,
}

/// One record (or fund, or account) that names the absorbed actor, re-pointed to the kept one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferenceMove {
    /// `case`, `mechanism`, `strategy`, `actor`, `territory`, `fund` or `account`.
    #[serde(rename = "type")]
    pub record_type: String,
    /// Its id (an account's name).
    pub key: String,
    /// The fields that named the absorbed actor (`provider`, `actions[0].lead`, `manager`).
    pub fields: Vec<String>,
}

/// What a merge would make, or made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preview {
    /// The actor kept, as it is.
    #[serde(serialize_with = "as_record")]
    pub kept: Actor,
    /// The actor merged into it, as it is.
    #[serde(serialize_with = "as_record")]
    pub absorbed: Actor,
    /// The merged record.
    #[serde(serialize_with = "as_record")]
    pub merged: Actor,
    /// Where both had different values: both, and the one kept.
    pub conflicts: Vec<Conflict>,
    /// The absorbed actor's relations.
    pub relations: Vec<RelationMove>,
    /// The other records that name the absorbed actor, re-pointed to the kept one.
    pub references: Vec<ReferenceMove>,
}

fn as_record<S: serde::Serializer>(a: &Actor, s: S) -> Result<S::Ok, S::Error> {
    Record::Actor(a.clone()).serialize(s)
}

/// A merge made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Merged {
    /// Its number (for undoing it).
    pub id: i64,
    /// What it made.
    #[serde(flatten)]
    pub preview: Preview,
}

/// An undo made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Undone {
    /// The merge undone.
    pub id: i64,
    /// The actor kept by the merge, restored as it was.
    pub keep: String,
    /// The actor absorbed, restored.
    pub absorbed: String,
    /// Relations restored (and those the merge made, removed).
    pub relations: usize,
    /// Other references restored to the absorbed actor (records, funds, accounts).
    pub references: usize,
}

fn ensure_moderator(user: &User) -> AppResult<()> {
    if moderation::allows(Some(user.role), Action::Moderate) {
        Ok(())
    } else {
        Err(AppError::new(
            Code::RoleInsufficient,
            format!("merging actors is for moderators and admins; {} is a {}", user.name, user.role.as_str()),
        ))
    }
}

/// Reads records, outside or inside a transaction.
trait Reads {
    fn record(&mut self, t: RecordType, key: &str) -> Result<Option<Record>, StoreError>;
    fn relations(&mut self, actor: &str) -> Result<Vec<Record>, StoreError>;
    fn naming(&mut self, t: RecordType, id: &str) -> Result<Vec<Record>, StoreError>;
    /// Fund definitions as (id, canonical JSON).
    fn funds(&mut self) -> Result<Vec<(String, String)>, StoreError>;
    /// Accounts linked to an actor, as (account, actor).
    fn accounts(&mut self) -> Result<Vec<(String, String)>, StoreError>;
}

impl Reads for dyn Store + '_ {
    fn record(&mut self, t: RecordType, key: &str) -> Result<Option<Record>, StoreError> {
        self.get(t, key)
    }
    fn relations(&mut self, actor: &str) -> Result<Vec<Record>, StoreError> {
        self.relations_of(actor)
    }
    fn naming(&mut self, t: RecordType, id: &str) -> Result<Vec<Record>, StoreError> {
        self.records_naming(t, id)
    }
    fn funds(&mut self) -> Result<Vec<(String, String)>, StoreError> {
        let docs = self.fund_docs()?;
        Ok(docs
            .into_iter()
            .map(|d| {
                let id = serde_json::from_str::<Value>(&d)
                    .ok()
                    .and_then(|v| v["id"].as_str().map(str::to_string))
                    .unwrap_or_default();
                (id, d)
            })
            .collect())
    }
    fn accounts(&mut self) -> Result<Vec<(String, String)>, StoreError> {
        self.account_actors()
    }
}

impl Reads for dyn Transaction + '_ {
    fn record(&mut self, t: RecordType, key: &str) -> Result<Option<Record>, StoreError> {
        self.get(t, key)
    }
    fn relations(&mut self, actor: &str) -> Result<Vec<Record>, StoreError> {
        self.relations_of(actor)
    }
    fn naming(&mut self, t: RecordType, id: &str) -> Result<Vec<Record>, StoreError> {
        self.records_naming(t, id)
    }
    fn funds(&mut self) -> Result<Vec<(String, String)>, StoreError> {
        self.fund_docs()
    }
    fn accounts(&mut self) -> Result<Vec<(String, String)>, StoreError> {
        self.account_actors()
    }
}

fn actor<R: Reads + ?Sized>(r: &mut R, id: &str) -> AppResult<Actor> {
    match r.record(RecordType::Actor, id)? {
        Some(Record::Actor(a)) => Ok(a),
        _ => Err(AppError::no_record(RecordType::Actor, id)),
    }
}

/// The references to the absorbed actor a merge re-points, besides relations: each record as
/// it is and as the merge writes it, each fund's definition likewise, and the accounts that
/// speak for the absorbed actor.
#[derive(Debug, Default)]
struct References {
    /// (before, after) of every record naming the absorbed actor.
    records: Vec<(Record, Record)>,
    /// (fund id, definition before, after).
    funds: Vec<(String, String, String)>,
    /// Accounts linked to the absorbed actor.
    accounts: Vec<String>,
    /// What the preview says of them, in the same order (records, funds, accounts).
    moves: Vec<ReferenceMove>,
}

/// The record types that can name an actor outside relations (see
/// `solidaria_core::record::repoint`).
const NAMING_TYPES: &[RecordType] =
    &[RecordType::Case, RecordType::Mechanism, RecordType::Strategy, RecordType::Territory, RecordType::Actor];

fn references<R: Reads + ?Sized>(r: &mut R, keep: &Id, absorb: &str) -> AppResult<References> {
    let mut out = References::default();
    for t in NAMING_TYPES {
        for rec in r.naming(*t, absorb)? {
            // The two actors merged are written by the merge itself.
            if *t == RecordType::Actor && (rec.key() == absorb || rec.key() == keep.as_str()) {
                continue;
            }
            let mut new = rec.clone();
            let fields = new.repoint_actor(absorb, keep);
            if fields.is_empty() {
                continue;
            }
            out.moves.push(ReferenceMove { record_type: t.as_str().to_string(), key: rec.key(), fields });
            out.records.push((rec, new));
        }
    }
    for (id, doc) in r.funds()? {
        let corrupt = || AppError::new(Code::Database, format!("stored fund {id} does not parse"));
        let value: Value = serde_json::from_str(&doc).map_err(|_| corrupt())?;
        let mut fund = Fund::parse(&value).map_err(|_| corrupt())?;
        let fields = repoint_fund(&mut fund, absorb, keep);
        if fields.is_empty() {
            continue;
        }
        out.moves.push(ReferenceMove { record_type: "fund".into(), key: id.clone(), fields });
        out.funds.push((id, doc, fund.to_json().to_string()));
    }
    for (account, actor) in r.accounts()? {
        if actor == absorb {
            out.moves.push(ReferenceMove {
                record_type: "account".into(),
                key: account.clone(),
                fields: vec!["actor".into()],
            });
            out.accounts.push(account);
        }
    }
    Ok(out)
}

/// A merge planned: the preview, the relations to write and delete, the before-images.
struct Plan {
    preview: Preview,
    /// Re-pointed relations to write (new keys).
    create: Vec<Relation>,
    /// Relations of the absorbed actor, all deleted (re-pointed, already there or dropped).
    delete: Vec<String>,
    /// Every record as it was before: the two actors and the absorbed actor's relations.
    before: Vec<Record>,
    /// The other references re-pointed.
    references: References,
}

fn plan<R: Reads + ?Sized>(r: &mut R, keep: &str, absorb: &str) -> AppResult<Plan> {
    if keep == absorb {
        return Err(AppError::new(
            Code::MergeInvalid,
            format!("{keep:?} is named as both the record kept and the record merged into it"),
        ));
    }
    let kept = actor(r, keep)?;
    let absorbed = actor(r, absorb)?;
    let merged = merge_records(&kept, &absorbed);
    let mut before = vec![Record::Actor(kept.clone()), Record::Actor(absorbed.clone())];
    let (mut create, mut delete, mut moves) = (Vec::new(), Vec::new(), Vec::new());
    let mut new_keys: Vec<String> = Vec::new();
    for rec in r.relations(absorb)? {
        let Record::Relation(old) = &rec else { continue };
        let mut new = old.clone();
        let repoint = |id: &mut Id| {
            if id.as_str() == absorb {
                *id = kept.id.clone();
            }
        };
        repoint(&mut new.from);
        repoint(&mut new.to);
        let (from_key, new_key) = (old.key(), new.key());
        delete.push(from_key.clone());
        before.push(rec.clone());
        let action = if new.from == new.to {
            "dropped"
        } else if new_keys.contains(&new_key) || r.record(RecordType::Relation, &new_key)?.is_some() {
            "already_there"
        } else {
            new_keys.push(new_key.clone());
            create.push(new);
            "repointed"
        };
        moves.push(RelationMove { from_key, to_key: (action != "dropped").then_some(new_key), action });
    }
    let references = references(r, &kept.id, absorb)?;
    let preview = Preview {
        kept,
        absorbed,
        merged: merged.actor,
        conflicts: merged.conflicts,
        relations: moves,
        references: references.moves.clone(),
    };
    Ok(Plan { preview, create, delete, before, references })
}

/// What merging `absorb` into `keep` would make, without writing anything.
pub fn preview(store: &mut dyn Store, keep: &str, absorb: &str) -> AppResult<Preview> {
    Ok(plan(store, keep, absorb)?.preview)
}

/// Merges `absorb` into `keep` as a moderator (see the module documentation).
pub fn merge(store: &mut dyn Store, user: &User, keep: &str, absorb: &str) -> AppResult<Merged> {
    ensure_moderator(user)?;
    merge_as(store, &user.name, keep, absorb, None)
}

/// Merges `absorb` into `keep` as `who`, without a role check (an import's merges above its
/// threshold); `score` is the pair's dedup score when a threshold chose it.
pub fn merge_as(store: &mut dyn Store, who: &str, keep: &str, absorb: &str, score: Option<f64>) -> AppResult<Merged> {
    let mut tx = store.transaction()?;
    let merged = merge_in(tx.as_mut(), who, keep, absorb, score)?;
    tx.commit()?;
    Ok(merged)
}

/// [`merge_as`] inside a transaction the caller commits.
pub fn merge_in(
    tx: &mut dyn Transaction,
    who: &str,
    keep: &str,
    absorb: &str,
    score: Option<f64>,
) -> AppResult<Merged> {
    let p = plan(tx, keep, absorb)?;
    let merged_record = Record::Actor(p.preview.merged.clone());
    let created: Vec<Value> = p.create.iter().map(|r| json!(["relation", r.key()])).collect();
    let refs = &p.references;
    // What undoing needs of each reference: the record before and after (to see that it has not
    // changed since), the fund's definitions, the accounts.
    let references: Vec<Value> = refs
        .records
        .iter()
        .map(|(before, after)| json!({"before": before.to_json(), "after": after.to_json()}))
        .chain(refs.funds.iter().map(|(id, before, after)| json!({"fund": id, "before": before, "after": after})))
        .chain(refs.accounts.iter().map(|a| json!({"account": a})))
        .zip(&refs.moves)
        .map(|(mut v, m)| {
            v["type"] = json!(m.record_type);
            v["key"] = json!(m.key);
            v["fields"] = json!(m.fields);
            v
        })
        .collect();
    let doc = json!({
        "score": score,
        "before": p.before.iter().map(Record::to_json).collect::<Vec<_>>(),
        "after": merged_record.to_json(),
        "created": created,
        "conflicts": p.preview.conflicts,
        "relations": p.preview.relations,
        "references": references,
    });
    let id = tx.record_merge(who, &NewMerge { keep: keep.to_string(), absorbed: absorb.to_string(), doc })?;
    let audit_who = format!("{who} (merge {id})");
    for key in &p.delete {
        tx.delete(&audit_who, RecordType::Relation, key)?;
    }
    tx.delete(&audit_who, RecordType::Actor, absorb)?;
    tx.upsert_records(&audit_who, std::slice::from_ref(&merged_record))?;
    let relations: Vec<Record> = p.create.into_iter().map(Record::Relation).collect();
    tx.upsert_records(&audit_who, &relations)?;
    let repointed: Vec<Record> = refs.records.iter().map(|(_, after)| after.clone()).collect();
    tx.upsert_records(&audit_who, &repointed)?;
    for (fund, _, after) in &refs.funds {
        tx.replace_fund(&audit_who, fund, after)?;
    }
    for account in &refs.accounts {
        tx.set_account_actor(&audit_who, account, Some(keep))?;
    }
    Ok(Merged { id, preview: p.preview })
}

/// One merge by number, or `merge_not_found`.
pub fn entry(store: &mut dyn Store, id: i64) -> AppResult<MergeEntry> {
    store.merge_entry(id)?.ok_or_else(|| {
        AppError::new(Code::MergeNotFound, format!("no merge {id}: `solidaria dedup merges` lists the merges"))
    })
}

/// The latest merges, newest first.
pub fn list(store: &mut dyn Store, limit: u64) -> AppResult<Vec<MergeEntry>> {
    Ok(store.merges(limit)?)
}

fn refused(message: String) -> AppError {
    AppError::new(Code::MergeRefused, message)
}

/// Undoes merge `id` as a moderator (see the module documentation).
pub fn undo(store: &mut dyn Store, user: &User, id: i64) -> AppResult<Undone> {
    ensure_moderator(user)?;
    let e = entry(store, id)?;
    if let (Some(at), Some(by)) = (&e.undone_at, &e.undone_by) {
        return Err(refused(format!("merge {id} was undone already, at {at} by {by}")));
    }
    let corrupt = |what: &str| AppError::new(Code::Database, format!("merge {id} is not readable: {what}"));
    let before: Vec<Record> = e.doc["before"]
        .as_array()
        .ok_or_else(|| corrupt("no before-images"))?
        .iter()
        .map(|v| parse_record(v).map_err(|_| corrupt("a before-image is not a record")))
        .collect::<AppResult<_>>()?;
    let created: Vec<String> = e.doc["created"]
        .as_array()
        .ok_or_else(|| corrupt("no list of created keys"))?
        .iter()
        .filter_map(|k| k[1].as_str().map(str::to_string))
        .collect();
    let after = parse_record(&e.doc["after"]).map_err(|_| corrupt("the merged record is not a record"))?;
    // Merges made before references were re-pointed have none.
    let references = match e.doc.get("references") {
        None | Some(Value::Null) => Vec::new(),
        Some(v) => v.as_array().ok_or_else(|| corrupt("the references are not a list"))?.clone(),
    };
    let mut tx = store.transaction()?;
    match tx.get(RecordType::Actor, &e.keep)? {
        Some(now) if now == after => {}
        Some(_) => {
            return Err(refused(format!(
                "actor {:?} changed since merge {id}: undoing would lose those changes (its history lists them); \
                 edit it by hand instead",
                e.keep
            )));
        }
        None => return Err(refused(format!("actor {:?}, kept by merge {id}, has been deleted since", e.keep))),
    }
    if tx.get(RecordType::Actor, &e.absorbed)?.is_some() {
        return Err(refused(format!(
            "the id {:?} that merge {id} absorbed is used by an actor again: undoing would overwrite it",
            e.absorbed
        )));
    }
    // Every reference re-pointed must still be as the merge left it.
    let mut records = Vec::new();
    let mut funds = Vec::new();
    let mut accounts = Vec::new();
    for r in &references {
        if let Some(fund) = r["fund"].as_str() {
            let (before, after) = match (r["before"].as_str(), r["after"].as_str()) {
                (Some(b), Some(a)) => (b, a),
                _ => return Err(corrupt("a fund's definitions are missing")),
            };
            let now = tx.fund_docs()?.into_iter().find(|(id, _)| id == fund).map(|(_, d)| d);
            if now.as_deref() != Some(after) {
                return Err(refused(format!(
                    "fund {fund:?} changed since merge {id}: undoing would lose those changes; edit it by hand instead"
                )));
            }
            funds.push((fund.to_string(), before.to_string()));
        } else if let Some(account) = r["account"].as_str() {
            let now = tx.account_actors()?.into_iter().find(|(a, _)| a == account).map(|(_, actor)| actor);
            if now.as_deref() != Some(e.keep.as_str()) {
                return Err(refused(format!(
                    "account {account:?} no longer speaks for {:?} as merge {id} left it: undoing would lose that change; \
                     link it by hand instead (solidaria user link)",
                    e.keep
                )));
            }
            accounts.push(account.to_string());
        } else {
            let before = parse_record(&r["before"]).map_err(|_| corrupt("a re-pointed record's before-image"))?;
            let after = parse_record(&r["after"]).map_err(|_| corrupt("a re-pointed record's after-image"))?;
            let (t, key) = (after.record_type(), after.key());
            if tx.get(t, &key)?.as_ref() != Some(&after) {
                return Err(refused(format!(
                    "{t} {key:?}, which merge {id} re-pointed to {:?}, changed since (its history lists how): \
                     undoing would lose those changes; edit it by hand instead",
                    e.keep
                )));
            }
            records.push(before);
        }
    }
    let who = format!("{} (undo of merge {id})", user.name);
    for key in &created {
        tx.delete(&who, RecordType::Relation, key)?;
    }
    // Actors first (the relations and references refer to them), then the relations, then the
    // records that named the absorbed actor, as they were.
    let (actors, relations): (Vec<Record>, Vec<Record>) =
        before.into_iter().partition(|r| r.record_type() == RecordType::Actor);
    tx.upsert_records(&who, &actors)?;
    tx.upsert_records(&who, &relations)?;
    tx.upsert_records(&who, &records)?;
    for (fund, before) in &funds {
        tx.replace_fund(&who, fund, before)?;
    }
    for account in &accounts {
        tx.set_account_actor(&who, account, Some(&e.absorbed))?;
    }
    if !tx.mark_merge_undone(id, &user.name)? {
        return Err(refused(format!("merge {id} was undone meanwhile by someone else")));
    }
    tx.commit()?;
    Ok(Undone { id, keep: e.keep, absorbed: e.absorbed, relations: relations.len(), references: references.len() })
}

/// A merge an import made for a pair scoring at least its threshold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AutoMerge {
    /// The merge's number (to undo it).
    pub id: i64,
    /// The pair's score.
    pub score: f64,
    /// The actor kept.
    pub keep: String,
    /// The actor merged into it.
    pub absorbed: String,
    /// The conflicts resolved (where both had a different value).
    pub conflicts: Vec<Conflict>,
}

/// Merges the pairs scoring at least `threshold` (`solidaria_core::dedup`) of which at least one
/// actor is among `imported` (the actors an import just wrote): each pair with the records
/// already in the database or within the import, strongest first. An actor already in the
/// database before is kept over one imported; two imported, the one whose id sorts first. An
/// actor is absorbed once: a pair whose actor a stronger pair absorbed is left (it was compared
/// before that merge). Each merge is its own transaction, audited as `WHO (merge N)` where WHO
/// says the threshold, and undoable like any. Nothing is merged below 0.5 (the threshold must
/// say "more likely than not").
pub fn merge_duplicates(
    store: &mut dyn Store,
    who: &str,
    threshold: f64,
    imported: &[String],
) -> AppResult<Vec<AutoMerge>> {
    if !(0.5..=1.0).contains(&threshold) {
        return Err(AppError::new(
            Code::QueryInvalid,
            format!(
                "a threshold for merging is a score from 0.5 to 1 (0.95 and above: a shared register number or the same name at the same postcode), not {threshold}"
            ),
        )
        .at("merge_duplicates"));
    }
    let imported: std::collections::HashSet<&str> = imported.iter().map(String::as_str).collect();
    let options = solidaria_core::dedup::Options { threshold, ..Default::default() };
    let outcome = crate::dedup::candidates(store, &options, &mut |_| {})?;
    let who = format!("{who} (--merge-duplicates {threshold})");
    let mut absorbed: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut out = Vec::new();
    for c in outcome.candidates {
        let (a, b) = (c.a.id.as_str(), c.b.id.as_str());
        let (a_new, b_new) = (imported.contains(a), imported.contains(b));
        if !(a_new || b_new) || absorbed.contains(a) || absorbed.contains(b) {
            continue;
        }
        let (keep, absorb) = if a_new && !b_new { (b, a) } else { (a, b) };
        let m = merge_as(store, &who, keep, absorb, Some(c.score))?;
        absorbed.insert(absorb.to_string());
        out.push(AutoMerge {
            id: m.id,
            score: c.score,
            keep: keep.to_string(),
            absorbed: absorb.to_string(),
            conflicts: m.preview.conflicts,
        });
    }
    Ok(out)
}
