//! Reading a readiness profile file: dimensions and criteria checked like a screening profile's,
//! every problem with its line.

use super::*;
use crate::screening::profile::Kind;
use crate::screening::profile::parse::{Checker, Lines, RawTest, check_test, is_profile_id, kind_and_grade, read_toml};
use serde::Deserialize;
use toml::Spanned;

/// A dimension's criteria with the stage each marks, while parsing.
type StagedCriteria = Vec<(Criterion, Stage)>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReadiness {
    id: Spanned<String>,
    title: String,
    version: String,
    instrument: String,
    adopted: Spanned<String>,
    source_url: Spanned<String>,
    #[serde(default)]
    summary: Option<String>,
    dimensions: Vec<Spanned<RawDimension>>,
    criteria: Vec<Spanned<RawCriterion>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDimension {
    id: Spanned<String>,
    title: String,
    #[serde(default)]
    summary: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriterion {
    id: Spanned<String>,
    dimension: Spanned<String>,
    stage: Spanned<String>,
    title: String,
    kind: Spanned<String>,
    grade: Spanned<String>,
    citation: String,
    #[serde(default)]
    note: Option<String>,
    test: Spanned<RawTest>,
}

/// Parses and checks a readiness profile file; every problem is reported with its line.
///
/// Rules: ids in lowercase letters, digits and '-' ('_' and '.' too for dimensions and
/// criteria); every criterion names a declared dimension and a stage (`emerging` or `ready`);
/// a criterion graded C is indicative with a note saying it is unverified; tests read keys of the
/// actor vocabulary; every dimension has at least one mandatory criterion of `emerging`.
pub fn parse_readiness(text: &str) -> Result<ReadinessProfile, Vec<ProfileError>> {
    let raw: RawReadiness = read_toml(text)?;
    let mut c = Checker { lines: Lines(text), errors: Vec::new(), subject: SubjectKind::Actor };
    let id = raw.id.get_ref().clone();
    if !is_profile_id(&id) {
        c.err(raw.id.span().start, format!("id: expected lowercase letters, digits and '-', found {id:?}"));
    }
    let adopted = PartialDate::parse(raw.adopted.get_ref()).map_err(|e| {
        c.err(raw.adopted.span().start, format!("adopted: expected {e}, found {:?}", raw.adopted.get_ref()))
    });
    let source_url = WebUrl::parse(raw.source_url.get_ref()).map_err(|e| {
        c.err(raw.source_url.span().start, format!("source_url: expected {e}, found {:?}", raw.source_url.get_ref()))
    });
    for (name, value) in [("title", &raw.title), ("version", &raw.version), ("instrument", &raw.instrument)] {
        if value.trim().is_empty() {
            c.err(raw.id.span().start, format!("{name}: expected a non-empty text"));
        }
    }
    let part_id = |s: &str| is_profile_id(&s.replace(['.', '_'], "-"));
    let mut dims: Vec<(RawDimension, usize, StagedCriteria)> = Vec::new();
    if raw.dimensions.is_empty() {
        c.err(text.len(), "dimensions: expected at least one [[dimensions]] table");
    }
    for rd in raw.dimensions {
        let at = rd.span().start;
        let rd = rd.into_inner();
        let did = rd.id.get_ref().clone();
        if !part_id(&did) {
            c.err(
                rd.id.span().start,
                format!("dimensions.id: expected lowercase letters, digits, '_' and '-', found {did:?}"),
            );
        }
        if dims.iter().any(|(d, _, _)| d.id.get_ref() == &did) {
            c.err(rd.id.span().start, format!("dimensions.id: {did:?} is used twice"));
        }
        if rd.title.trim().is_empty() {
            c.err(at, format!("{did}: title: expected a non-empty text"));
        }
        dims.push((rd, at, Vec::new()));
    }
    let mut seen: Vec<String> = Vec::new();
    for rc in raw.criteria {
        let at = rc.span().start;
        let rc = rc.into_inner();
        let cid = rc.id.get_ref().clone();
        if !part_id(&cid) {
            c.err(
                rc.id.span().start,
                format!("criteria.id: expected lowercase letters, digits, '.', '_' and '-', found {cid:?}"),
            );
        }
        if seen.contains(&cid) {
            c.err(rc.id.span().start, format!("criteria.id: {cid:?} is used twice; ids must be unique"));
        }
        seen.push(cid.clone());
        let stage = match rc.stage.get_ref().as_str() {
            "emerging" => Some(Stage::Emerging),
            "ready" => Some(Stage::Ready),
            other => {
                c.err(
                    rc.stage.span().start,
                    format!("{cid}: stage: expected \"emerging\" or \"ready\", found {other:?}"),
                );
                None
            }
        };
        let slot = dims.iter().position(|(d, _, _)| d.id.get_ref() == rc.dimension.get_ref());
        if slot.is_none() {
            let names: Vec<&str> = dims.iter().map(|(d, _, _)| d.id.get_ref().as_str()).collect();
            c.err(
                rc.dimension.span().start,
                format!(
                    "{cid}: dimension: expected {}, found {:?}",
                    crate::error::one_of(&names),
                    rc.dimension.get_ref()
                ),
            );
        }
        let (kind, grade) = kind_and_grade(&mut c, &cid, &rc.kind, &rc.grade, rc.note.as_deref());
        if rc.citation.trim().is_empty() || rc.title.trim().is_empty() {
            c.err(at, format!("{cid}: title and citation: expected non-empty texts"));
        }
        let test = check_test(&mut c, rc.test, &format!("{cid}: test"), 0);
        let (Some(test), Some(stage), Some(slot)) = (test, stage, slot) else { continue };
        let mut reads: Vec<String> = Vec::new();
        for o in test.operands() {
            if !reads.iter().any(|r| r == o.name()) {
                reads.push(o.name().to_string());
            }
        }
        let line = c.lines.of(at);
        dims[slot].2.push((
            Criterion {
                id: cid,
                title: rc.title,
                kind,
                grade,
                citation: rc.citation,
                note: rc.note,
                claims: None,
                applies_if: None,
                test,
                reads,
                line,
            },
            stage,
        ));
    }
    for (d, at, criteria) in &dims {
        if !criteria.iter().any(|(cr, s)| *s == Stage::Emerging && cr.kind == Kind::Mandatory) {
            c.err(*at, format!("{}: expected at least one mandatory criterion of stage \"emerging\"", d.id.get_ref()));
        }
    }
    let (true, Ok(adopted), Ok(source_url)) = (c.errors.is_empty(), adopted, source_url) else {
        let mut errors = c.errors;
        errors.sort_by_key(|e| e.line);
        return Err(errors);
    };
    let stage_profile = |dim: &str, stage: Stage, criteria: Vec<Criterion>| Profile {
        id: format!("{id}.{dim}.{stage}"),
        order: None,
        title: format!("{}: {dim}, {stage}", raw.title),
        version: raw.version.clone(),
        instrument: raw.instrument.clone(),
        jurisdiction: "global".into(),
        adopted: adopted.clone(),
        source_url: source_url.clone(),
        subject: SubjectKind::Actor,
        claims: Vec::new(),
        summary: None,
        criteria,
    };
    let dimensions = dims
        .into_iter()
        .map(|(d, _, criteria)| {
            let did = d.id.into_inner();
            let stages = criteria.iter().map(|(cr, s)| (cr.id.clone(), *s)).collect();
            let emerging: Vec<Criterion> =
                criteria.iter().filter(|(_, s)| *s == Stage::Emerging).map(|(cr, _)| cr.clone()).collect();
            let all: Vec<Criterion> = criteria.into_iter().map(|(cr, _)| cr).collect();
            Dimension {
                emerging: stage_profile(&did, Stage::Emerging, emerging),
                ready: stage_profile(&did, Stage::Ready, all),
                id: did,
                title: d.title,
                summary: d.summary,
                stages,
            }
        })
        .collect();
    Ok(ReadinessProfile {
        id,
        title: raw.title,
        version: raw.version,
        instrument: raw.instrument,
        source_url,
        summary: raw.summary,
        dimensions,
    })
}
