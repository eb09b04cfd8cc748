//! Tests of the screening engine and of the built-in profiles.

use super::expr::{Field, Lit, Op, Operand, Test};
use super::profile::{Kind, Profile, parse_profile};
use super::*;
use crate::actor::{Actor, Claim};
use crate::fact::{Fact, FactValue};
use crate::legal_form::Family;
use crate::text::Id;
use crate::vocab::{self, FactType};
use proptest::prelude::*;

fn actor(family: Option<Family>, claims: &[Claim], facts: &[(&str, FactValue)]) -> Actor {
    let mut a = Actor::new(Id::parse("subject").unwrap(), "Subject");
    a.legal_form.family = family;
    a.claims = claims.to_vec();
    for (k, v) in facts {
        a.facts.insert((*k).to_string(), Fact::bare(v.clone()));
    }
    a
}

fn b(x: bool) -> FactValue {
    FactValue::Bool(x)
}
fn n(x: f64) -> FactValue {
    FactValue::Number(x)
}
fn c(s: &str) -> FactValue {
    FactValue::Choice(s.into())
}

fn profile(id: &str) -> &'static Profile {
    builtin::find(id).unwrap_or_else(|| panic!("no profile {id}"))
}

fn outcome(s: &Screening, id: &str) -> Outcome {
    s.criteria.iter().find(|r| r.id == id).unwrap_or_else(|| panic!("no criterion {id}")).outcome
}

// ---------------------------------------------------------------------------------------------
// Every mandatory criterion of every built-in profile can pass, can fail, and is unknown when
// none of its facts is documented. The passing and failing cases are found by trying every
// combination of values that matter to the criterion's tests: the literals it names, values
// on each side of its thresholds, and every value of closed lists.

fn candidates(operand: &Operand, tests: &[&Test]) -> Vec<Option<FactOrField>> {
    let mut lits: Vec<Lit> = Vec::new();
    let mut nums: Vec<f64> = Vec::new();
    let mut words: Vec<String> = Vec::new();
    fn walk(t: &Test, o: &Operand, lits: &mut Vec<Lit>, nums: &mut Vec<f64>, words: &mut Vec<String>) {
        match t {
            Test::All(p) | Test::Any(p) => p.iter().for_each(|t| walk(t, o, lits, nums, words)),
            Test::Not(i) => walk(i, o, lits, nums, words),
            Test::Check(op_o, op) if op_o == o => match op {
                Op::Eq(l) | Op::Ne(l) => lits.push(l.clone()),
                Op::In(v) | Op::NotIn(v) => lits.extend(v.iter().cloned()),
                Op::Lt(x) | Op::Le(x) | Op::Gt(x) | Op::Ge(x) => nums.extend([*x - 0.01, *x, *x + 0.01]),
                Op::Contains(s) => words.push(s.clone()),
                Op::ContainsAny(v) => words.extend(v.iter().cloned()),
            },
            Test::Check(..) => {}
        }
    }
    tests.iter().for_each(|t| walk(t, operand, &mut lits, &mut nums, &mut words));
    let mut out: Vec<Option<FactOrField>> = vec![None];
    match operand {
        Operand::Fact(key) => {
            let ty = vocab::spec(key).unwrap().ty;
            match ty {
                FactType::Bool => out.extend([Some(FactOrField::Fact(b(true))), Some(FactOrField::Fact(b(false)))]),
                FactType::Enum(values) => out.extend(values.iter().map(|v| Some(FactOrField::Fact(c(v))))),
                FactType::Count => out.extend(
                    nums.iter()
                        .flat_map(|x| [x.floor(), x.ceil(), x.floor() - 1.0, x.ceil() + 1.0])
                        .filter(|x| *x >= 0.0)
                        .map(|x| Some(FactOrField::Fact(FactValue::Count(x as u64)))),
                ),
                _ => out.extend(nums.iter().filter(|x| parse_ok(ty, **x)).map(|x| Some(FactOrField::Fact(n(*x))))),
            }
        }
        Operand::Field(Field::LegalFormFamily) => out.extend(Family::ALL.iter().map(|f| Some(FactOrField::Family(*f)))),
        Operand::Field(Field::Claims) => {
            out.push(Some(FactOrField::Claims(vec![])));
            out.extend(words.iter().map(|w| Some(FactOrField::Claims(vec![Claim::parse(w).unwrap()]))));
        }
        Operand::Field(f) => panic!("no candidates for field {}", f.name()),
    }
    let _ = lits;
    out
}

fn parse_ok(ty: FactType, x: f64) -> bool {
    crate::fact::parse_typed(ty, &serde_json::json!(x)).is_ok()
}

#[derive(Clone, Debug)]
enum FactOrField {
    Fact(FactValue),
    Family(Family),
    Claims(Vec<Claim>),
}

fn apply(a: &mut Actor, operand: &Operand, v: &Option<FactOrField>) {
    match (operand, v) {
        (Operand::Fact(k), Some(FactOrField::Fact(v))) => {
            a.facts.insert(k.to_string(), Fact::bare(v.clone()));
        }
        (Operand::Fact(k), None) => {
            a.facts.remove(&k[..]);
        }
        (_, Some(FactOrField::Family(f))) => a.legal_form.family = Some(*f),
        (_, Some(FactOrField::Claims(cl))) => a.claims = cl.clone(),
        (Operand::Field(Field::LegalFormFamily), None) => a.legal_form.family = None,
        (Operand::Field(_), None) => {}
        (Operand::Field(_), Some(FactOrField::Fact(_))) => unreachable!(),
    }
}

/// Every complete assignment of the criterion's operands (each documented with some value), and
/// the outcome each gives.
fn outcomes_of(criterion: &profile::Criterion) -> Vec<(Outcome, Actor)> {
    let tests: Vec<&Test> = criterion.applies_if.iter().chain(std::iter::once(&criterion.test)).collect();
    let operands: Vec<&Operand> = tests.iter().flat_map(|t| t.operands()).fold(Vec::new(), |mut acc, o| {
        if !acc.contains(&o) {
            acc.push(o);
        }
        acc
    });
    let cands: Vec<Vec<Option<FactOrField>>> =
        operands.iter().map(|o| candidates(o, &tests).into_iter().skip(1).collect()).collect();
    let total: usize = cands.iter().map(Vec::len).product();
    assert!(total <= 500_000, "{}: {total} combinations", criterion.id);
    let mut out = Vec::new();
    for i in 0..total {
        let mut a = actor(None, &[], &[]);
        let mut rest = i;
        for (o, cs) in operands.iter().zip(&cands) {
            apply(&mut a, o, &cs[rest % cs.len()]);
            rest /= cs.len();
        }
        out.push((outcome_of(criterion, &a), a));
    }
    out
}

#[test]
fn every_mandatory_criterion_can_pass_fail_and_be_unknown() {
    let mut checked = 0;
    for p in builtin::all() {
        for cr in p.criteria.iter().filter(|c| c.kind == Kind::Mandatory) {
            let results = outcomes_of(cr);
            let pass = results.iter().find(|(o, _)| *o == Outcome::Pass);
            let fail = results.iter().find(|(o, _)| *o == Outcome::Fail);
            assert!(pass.is_some(), "{}/{}: no documented facts make it pass", p.id, cr.id);
            assert!(fail.is_some(), "{}/{}: no documented facts make it fail", p.id, cr.id);
            // Nothing documented: unknown, never a failure.
            let empty = actor(None, &[], &[]);
            assert_eq!(outcome_of(cr, &empty), Outcome::Unknown, "{}/{} with no facts", p.id, cr.id);
            // The failing case makes the whole profile fail, whatever else is documented.
            let (_, failing) = fail.unwrap();
            assert_eq!(verdict(p, failing), Verdict::DoesNotQualify, "{}/{}", p.id, cr.id);
            checked += 1;
        }
    }
    assert!(checked >= 80, "only {checked} mandatory criteria");
}

// ---------------------------------------------------------------------------------------------
// Profile rules.

#[test]
fn builtin_ids_are_the_interface() {
    let ids: Vec<&str> = builtin::for_subject(profile::SubjectKind::Actor).map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "un-2023",
            "ilo-2022",
            "ica-1995",
            "oecd-2022",
            "eu-2021",
            "fr-ess-2014",
            "fr-esus",
            "es-2011",
            "pt-2013",
            "qc-2013",
            "mx-2012",
            "br-2024",
            "kr-2007",
            "uk-cic",
            "uk-sem",
            "it-is-2017",
            "ro-2015"
        ]
    );
}

#[test]
fn un_and_ilo_make_purpose_and_the_four_principles_mandatory() {
    for id in ["un-2023", "ilo-2022"] {
        let p = profile(id);
        for cr in ["purpose", "voluntary", "democratic", "autonomy", "primacy"] {
            let found = p.criteria.iter().find(|c| c.id == cr).unwrap();
            assert_eq!(found.kind, Kind::Mandatory, "{id}/{cr}");
            assert!(found.applies_if.is_none());
        }
    }
}

#[test]
fn no_c_graded_criterion_is_mandatory_and_every_criterion_is_cited() {
    for p in builtin::all() {
        for cr in &p.criteria {
            assert!(!cr.citation.trim().is_empty(), "{}/{}", p.id, cr.id);
            if cr.grade == profile::Grade::C {
                assert_eq!(cr.kind, Kind::Indicative, "{}/{}", p.id, cr.id);
                assert!(cr.note.as_deref().unwrap_or("").contains("nverified"));
            }
        }
    }
}

/// Under every profile, a legal form alone never qualifies: an actor with a family and no facts
/// is never `qualifies`.
#[test]
fn a_legal_form_alone_never_qualifies() {
    for p in builtin::all() {
        for f in Family::ALL {
            let a = actor(Some(*f), &[Claim::Sse, Claim::Cooperative], &[]);
            assert_ne!(verdict(p, &a), Verdict::Qualifies, "{} with only family {f}", p.id);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Primacy of people over capital (issue #3): patronage is consistent; capital only under a cap;
// no distribution is consistent; an unknown asset fact leaves primacy unknown.

fn primacy(facts: &[(&str, FactValue)]) -> Outcome {
    let a = actor(None, &[], facts);
    outcome(&screen(profile("un-2023"), &a), "primacy")
}

#[test]
fn primacy_covers_surpluses_and_assets() {
    let locked = ("assets.lock", b(true));
    assert_eq!(primacy(&[("surplus.distribution_basis", c("patronage")), locked.clone()]), Outcome::Pass);
    assert_eq!(primacy(&[("surplus.distribution_allowed", b(false)), locked.clone()]), Outcome::Pass);
    assert_eq!(primacy(&[("surplus.distribution_basis", c("none")), locked.clone()]), Outcome::Pass);
    // Capital-based distribution: consistent only under a statutory cap.
    let capital = ("surplus.distribution_basis", c("capital"));
    let allowed = ("surplus.distribution_allowed", b(true));
    assert_eq!(primacy(&[capital.clone(), allowed.clone(), locked.clone()]), Outcome::Unknown);
    assert_eq!(
        primacy(&[capital.clone(), allowed.clone(), ("capital.return_cap", n(0.05)), locked.clone()]),
        Outcome::Pass
    );
    assert_eq!(
        primacy(&[capital.clone(), allowed.clone(), ("surplus.distribution_cap", n(0.35)), locked.clone()]),
        Outcome::Pass
    );
    // Explicitly uncapped (a cap of 1 is no cap): inconsistent.
    assert_eq!(
        primacy(&[
            capital.clone(),
            allowed.clone(),
            ("surplus.distribution_cap", n(1.0)),
            ("capital.return_cap", n(1.0)),
            locked.clone()
        ]),
        Outcome::Fail
    );
    // Surpluses fine, assets unknown: unknown. Assets free to be shared out: fail.
    assert_eq!(primacy(&[("surplus.distribution_basis", c("patronage"))]), Outcome::Unknown);
    assert_eq!(
        primacy(&[
            ("surplus.distribution_basis", c("patronage")),
            ("assets.lock", b(false)),
            ("reserves.indivisible", b(false))
        ]),
        Outcome::Fail
    );
}

// ---------------------------------------------------------------------------------------------
// Organizations as a careful reader of each instrument would judge them.

fn worker_coop() -> Actor {
    actor(
        Some(Family::Cooperative),
        &[Claim::Sse, Claim::Cooperative, Claim::SocialEconomy],
        &[
            ("purpose.primary", c("collective_interest")),
            ("purpose.statutory_mission", b(true)),
            ("membership.open_voluntary", b(true)),
            ("governance.voting_rule", c("one_member_one_vote")),
            ("governance.members_elect_board", b(true)),
            ("governance.stakeholder_participation", b(true)),
            ("control.public_share", n(0.0)),
            ("control.investor_share", n(0.0)),
            ("surplus.distribution_allowed", b(true)),
            ("surplus.distribution_basis", c("patronage")),
            ("surplus.reinvested_share", n(0.7)),
            ("reserves.indivisible", b(true)),
            ("assets.lock", b(true)),
            ("income.trading_share", n(0.95)),
            ("transparency.public_accounts", b(true)),
        ],
    )
}

fn listed_company() -> Actor {
    actor(
        Some(Family::Company),
        &[Claim::Sse, Claim::SocialInnovation],
        &[
            ("purpose.primary", c("private_profit")),
            ("governance.voting_rule", c("capital_weighted")),
            ("control.public_share", n(0.0)),
            ("control.investor_share", n(0.9)),
            ("surplus.distribution_allowed", b(true)),
            ("surplus.distribution_basis", c("capital")),
            ("listing.regulated_market", b(true)),
            ("assets.lock", b(false)),
            ("reserves.indivisible", b(false)),
        ],
    )
}

#[test]
fn a_worker_cooperative_qualifies_where_its_facts_meet_the_text() {
    let a = worker_coop();
    for id in [
        "un-2023",
        "ilo-2022",
        "ica-1995",
        "oecd-2022",
        "eu-2021",
        "fr-ess-2014",
        "es-2011",
        "pt-2013",
        "qc-2013",
        "mx-2012",
    ] {
        let s = screen(profile(id), &a);
        assert_eq!(s.verdict, Verdict::Qualifies, "{id}: {:#?}", s.criteria);
        assert!(s.claim_mismatches.is_empty());
    }
    // The Brazilian law also needs members directly involved and fair trade: not documented.
    assert_eq!(verdict(profile("br-2024"), &a), Verdict::InsufficientEvidence);
    // A Quebec cooperative that pays dividends on capital is not a social economy enterprise.
    let mut paying = worker_coop();
    paying.facts.insert("surplus.distribution_basis".into(), Fact::bare(c("capital")));
    let s = screen(profile("qc-2013"), &paying);
    assert_eq!(s.verdict, Verdict::DoesNotQualify);
    assert_eq!(outcome(&s, "surplus"), Outcome::Fail);
}

#[test]
fn a_listed_company_claiming_sse_is_flagged() {
    let a = listed_company();
    let s = screen(profile("un-2023"), &a);
    assert_eq!(s.verdict, Verdict::DoesNotQualify);
    assert_eq!(outcome(&s, "purpose"), Outcome::Fail);
    assert_eq!(outcome(&s, "democratic"), Outcome::Fail);
    assert_eq!(outcome(&s, "autonomy"), Outcome::Fail);
    let claims: Vec<Claim> = s.claim_mismatches.iter().map(|m| m.claim).collect();
    assert_eq!(claims, [Claim::Sse]);
    assert!(
        s.claim_mismatches[0].reason.to_string().contains("purpose.primary is private_profit"),
        "{}",
        s.claim_mismatches[0].reason
    );
    // OECD: a first purpose of private profit contradicts a social-innovation claim too.
    let s = screen(profile("oecd-2022"), &a);
    let claims: Vec<Claim> = s.claim_mismatches.iter().map(|m| m.claim).collect();
    assert_eq!(claims, [Claim::Sse, Claim::SocialInnovation]);
    // ESUS: listed equity alone excludes it.
    let s = screen(profile("fr-esus"), &a);
    assert_eq!(outcome(&s, "unlisted"), Outcome::Fail);
    for p in builtin::all() {
        assert_ne!(verdict(p, &a), Verdict::Qualifies, "{}", p.id);
    }
}

#[test]
fn a_corporate_foundation_is_not_autonomous() {
    let a = actor(
        Some(Family::Foundation),
        &[Claim::Sse],
        &[
            ("purpose.primary", c("general_interest")),
            ("membership.open_voluntary", b(true)),
            ("governance.voting_rule", c("appointed_board")),
            ("control.public_share", n(0.0)),
            ("control.investor_share", n(1.0)),
            ("surplus.distribution_allowed", b(false)),
            ("assets.lock", b(true)),
        ],
    );
    let s = screen(profile("un-2023"), &a);
    assert_eq!(s.verdict, Verdict::DoesNotQualify);
    assert_eq!(outcome(&s, "autonomy"), Outcome::Fail);
    // Participation of stakeholders is not documented: democratic governance stays unknown.
    assert_eq!(outcome(&s, "democratic"), Outcome::Unknown);
    assert_eq!(s.claim_mismatches.len(), 1);
}

#[test]
fn a_public_body_fails_independence_tests() {
    let a = actor(
        Some(Family::PublicBody),
        &[Claim::SocialEconomy],
        &[("purpose.primary", c("general_interest")), ("control.public_share", n(1.0))],
    );
    for id in ["un-2023", "eu-2021", "es-2011", "qc-2013", "ro-2015", "uk-sem"] {
        assert_eq!(verdict(profile(id), &a), Verdict::DoesNotQualify, "{id}");
    }
}

#[test]
fn missing_evidence_gives_insufficient_evidence_not_a_guess() {
    let a = actor(Some(Family::Association), &[Claim::Sse], &[("purpose.primary", c("general_interest"))]);
    // The one exception is a form requirement the legal form itself settles: an association
    // cannot be a community interest company.
    let s = screen(profile("uk-cic"), &a);
    assert_eq!(s.verdict, Verdict::DoesNotQualify);
    assert_eq!(outcome(&s, "company"), Outcome::Fail);
    for p in builtin::all().iter().filter(|p| p.id != "uk-cic") {
        let s = screen(p, &a);
        assert_eq!(s.verdict, Verdict::InsufficientEvidence, "{}: {:#?}", p.id, s.criteria);
        assert!(s.claim_mismatches.is_empty());
    }
}

#[test]
fn company_routes_apply_only_to_companies() {
    let coop = worker_coop();
    let s = screen(profile("fr-ess-2014"), &coop);
    assert_eq!(outcome(&s, "company.social_utility"), Outcome::NotApplicable);
    let mut unknown_form = worker_coop();
    unknown_form.legal_form.family = None;
    let s = screen(profile("fr-ess-2014"), &unknown_form);
    // Form unknown and social utility undocumented: the company route cannot be settled.
    assert_eq!(outcome(&s, "company.social_utility"), Outcome::Unknown);
    // It passes the reserve rule either way, so that criterion passes.
    assert_eq!(outcome(&s, "company.reserves"), Outcome::Pass);
    assert_eq!(s.verdict, Verdict::InsufficientEvidence);
}

#[test]
fn indicative_criteria_never_change_the_verdict() {
    // An Italian social cooperative with a 1:10 pay gap: within the 1:12 ceiling, above the 1:8
    // general rule (indicative, since the justification is not a fact).
    let a = actor(
        Some(Family::Cooperative),
        &[Claim::SocialEnterprise],
        &[
            ("income.general_interest_share", n(0.9)),
            ("surplus.distribution_allowed", b(false)),
            ("pay.ratio_max", n(10.0)),
            ("governance.stakeholder_participation", b(true)),
        ],
    );
    let s = screen(profile("it-is-2017"), &a);
    assert_eq!(outcome(&s, "pay_gap_8"), Outcome::Fail);
    assert_eq!(outcome(&s, "control"), Outcome::Unknown);
    assert_eq!(s.verdict, Verdict::Qualifies);
}

#[test]
fn explanations_name_facts_values_and_citations() {
    let (company, coop) = (listed_company(), worker_coop());
    let s = screen(profile("un-2023"), &company);
    insta::assert_snapshot!("un-2023-listed-company", serde_json::to_string_pretty(&s).unwrap());
    let s = screen(profile("qc-2013"), &coop);
    insta::assert_snapshot!("qc-2013-worker-coop", serde_json::to_string_pretty(&s).unwrap());
}

// ---------------------------------------------------------------------------------------------
// Profile files written by users.

#[test]
fn profile_errors_carry_line_numbers() {
    let text = r#"id = "my-profile"
title = "Mine"
version = "1"
instrument = "My network's charter"
jurisdiction = "CA-QC"
adopted = "2020"
source_url = "https://example.org/charter"
subject = "actor"

[[criteria]]
id = "vote"
title = "One member one vote"
kind = "mandatory"
grade = "C"
citation = "Charter, art. 2"
test = { fact = "governance.voting_rule", eq = "one_share_one_vote" }

[[criteria]]
id = "typo"
title = "Typo"
kind = "indicative"
grade = "A"
citation = "Charter, art. 3"
test = { fact = "governance.votingrule", eq = "x" }
"#;
    let errors = parse_profile(text).unwrap_err();
    let lines: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.message.as_str())).collect();
    assert!(lines.iter().any(|(l, m)| *l == 13 && m.contains("must be \"indicative\"")), "{lines:#?}");
    assert!(lines.iter().any(|(l, m)| *l == 14 && m.contains("unverified")), "{lines:#?}");
    assert!(lines.iter().any(|(l, m)| *l == 16 && m.contains("one_member_one_vote")), "{lines:#?}");
    assert!(lines.iter().any(|(l, m)| *l == 24 && m.contains("governance.votingrule")), "{lines:#?}");
}

#[test]
fn hostile_profiles_are_refused_with_a_reason() {
    let header = "id = \"p\"\ntitle = \"t\"\nversion = \"1\"\ninstrument = \"i\"\njurisdiction = \"FR\"\nadopted = \"2020\"\nsource_url = \"https://e.org\"\nsubject = \"actor\"\n";
    let crit = |test: &str| {
        format!(
            "{header}[[criteria]]\nid = \"c\"\ntitle = \"t\"\nkind = \"mandatory\"\ngrade = \"A\"\ncitation = \"c\"\ntest = {test}\n"
        )
    };
    let cases = [
        ("not toml at all [[[", "expected"),
        (&crit("{ fact = \"assets.lock\", eq = true, ne = false }") as &str, "exactly one comparison"),
        (&crit("{ all = [] }"), "at least one test"),
        (&crit("{ fact = \"assets.lock\", lt = 3 }"), "does not apply"),
        (&crit("{ fact = \"surplus.distribution_cap\", eq = \"half\" }"), "expected a number"),
        (&crit("{ field = \"legal_form.family\", eq = \"coop\" }"), "cooperative"),
        (&crit("{ fact = \"assets.lock\", eq = true, evil = \"rm -rf\" }"), "unknown field"),
        (&crit("{ field = \"legal_form.family\", eq = \"company\" }"), "legal form alone never qualifies"),
        (&crit("{ fact = \"context.sse_law\", eq = true }"), "actor vocabulary"),
    ];
    for (text, expected) in cases {
        let errors = parse_profile(text).expect_err(text);
        assert!(errors.iter().any(|e| e.message.contains(expected)), "{text}\n→ {errors:#?}");
    }
    let deep = format!("{}{{ fact = \"assets.lock\", eq = true }}{}", "{ not = ".repeat(40), " }".repeat(40));
    assert!(parse_profile(&crit(&deep)).is_err());
    let big = "#".repeat(super::profile::MAX_PROFILE_BYTES + 1);
    assert!(parse_profile(&big).unwrap_err()[0].message.contains("at most"));
}

// ---------------------------------------------------------------------------------------------
// Properties.

fn arb_screened_actor() -> impl Strategy<Value = Actor> {
    let keys: Vec<&'static vocab::FactSpec> =
        vocab::VOCABULARY.iter().filter(|s| s.subject == vocab::Subject::Actor).collect();
    let facts = keys
        .into_iter()
        .map(|s| proptest::option::weighted(0.6, crate::testing::arb_value(s.ty)).prop_map(move |v| (s.key, v)))
        .collect::<Vec<_>>();
    let family = proptest::option::of(proptest::sample::select(Family::ALL));
    let claims = proptest::sample::subsequence(super::profile::SCREENED_CLAIMS, 0..3);
    (facts, family, claims).prop_map(|(facts, family, claims)| {
        let mut a = actor(family, &claims, &[]);
        for (k, v) in facts.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))) {
            a.facts.insert(k.to_string(), Fact::bare(v));
        }
        a
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Forgetting facts never produces a failure that the full facts did not give, nor changes a
    /// settled outcome: a missing fact never yields `fail`.
    #[test]
    fn a_missing_fact_never_yields_fail(a in arb_screened_actor(), mask in proptest::collection::vec(any::<bool>(), 64)) {
        let mut fewer = a.clone();
        let keys: Vec<String> = fewer.facts.keys().cloned().collect();
        for (k, drop) in keys.iter().zip(mask.iter().cycle()) {
            if *drop { fewer.facts.remove(k); }
        }
        for p in builtin::all() {
            for cr in &p.criteria {
                let full = outcome_of(cr, &a);
                let part = outcome_of(cr, &fewer);
                if part == Outcome::Fail { prop_assert_eq!(full, Outcome::Fail, "{}/{}", &p.id, &cr.id); }
                if part == Outcome::Pass { prop_assert_eq!(full, Outcome::Pass, "{}/{}", &p.id, &cr.id); }
            }
            let v = verdict(p, &fewer);
            if v == Verdict::DoesNotQualify { prop_assert_eq!(verdict(p, &a), Verdict::DoesNotQualify); }
        }
    }

    /// Adding a fact that fails a mandatory criterion never turns a verdict into `qualifies`.
    #[test]
    fn a_failing_mandatory_fact_never_gives_qualifies(a in arb_screened_actor(), pick in any::<prop::sample::Index>()) {
        for p in builtin::all() {
            let mandatory: Vec<_> = p.criteria.iter().filter(|c| c.kind == Kind::Mandatory && c.applies_if.is_none()).collect();
            let cr = mandatory[pick.index(mandatory.len())];
            let failing = outcomes_of(cr).into_iter().find(|(o, _)| *o == Outcome::Fail).map(|(_, f)| f).unwrap();
            let mut b = a.clone();
            for (k, f) in &failing.facts { b.facts.insert(k.clone(), f.clone()); }
            if failing.legal_form.family.is_some() { b.legal_form.family = failing.legal_form.family; }
            prop_assert_eq!(outcome_of(cr, &b), Outcome::Fail);
            prop_assert_eq!(verdict(p, &b), Verdict::DoesNotQualify, "{}/{}", &p.id, &cr.id);
            // The explained screening agrees with the fast path.
            prop_assert_eq!(screen(p, &b).verdict, verdict(p, &b));
        }
    }

    /// The tally (verdict and number of contradicted claims, for counting a register) is what
    /// the explained screening says, on the actor and on its prepared form, under every profile.
    #[test]
    fn the_tally_is_the_screenings_verdict_and_mismatch_count(a in arb_screened_actor()) {
        let prepared = Prepared::new(&a);
        let profiles: Vec<Profile> = builtin::for_subject(profile::SubjectKind::Actor).cloned().collect();
        // Together, shared tests evaluated once: the same figures.
        let together = Tally::new(&profiles).of(&prepared);
        for (p, shared) in profiles.iter().zip(together) {
            let s = screen(p, &prepared);
            let expected = (s.verdict, s.claim_mismatches.len());
            prop_assert_eq!(tally(p, &prepared), expected, "{}", &p.id);
            prop_assert_eq!(tally(p, &a), expected, "{}", &p.id);
            prop_assert_eq!(shared, expected, "{}", &p.id);
        }
    }
}

#[test]
fn profiles_tallied_together_share_their_identical_tests() {
    let profiles: Vec<Profile> = builtin::for_subject(profile::SubjectKind::Actor).cloned().collect();
    let mandatory = profiles.iter().flat_map(|p| &p.criteria).filter(|c| c.kind == Kind::Mandatory).count();
    let t = Tally::new(&profiles);
    // The built-in definitions repeat each other's questions: fewer tests than criteria.
    assert!(t.distinct_tests() < mandatory, "{} of {mandatory}", t.distinct_tests());
    // A profile alone has no test to share with another.
    let un = [profile("un-2023").clone()];
    assert_eq!(Tally::new(&un).distinct_tests(), un[0].criteria.iter().filter(|c| c.kind == Kind::Mandatory).count());
}

#[test]
fn tests_read_as_words() {
    let p = profile("un-2023");
    let democratic = p.criteria.iter().find(|c| c.id == "democratic").unwrap();
    assert_eq!(
        democratic.test.to_string(),
        "governance.voting_rule is one of one_member_one_vote, capped_weighted or \
         (governance.stakeholder_participation is true and governance.voting_rule is not capital_weighted)"
    );
}

// ---------------------------------------------------------------------------------------------
// Real organizations from several countries, with sourced facts, and the verdicts a careful
// reading of each instrument gives (tests/fixtures/screening-real-orgs.jsonl and
// screening-expected.toml; written independently of the engine, from the profiles' text).

#[test]
fn real_organizations_get_the_verdicts_a_careful_reader_gives() {
    #[derive(serde::Deserialize)]
    struct Expect {
        actor: String,
        profile: String,
        verdict: String,
        why: String,
    }
    #[derive(serde::Deserialize)]
    struct File {
        expect: Vec<Expect>,
    }
    let actors: Vec<Actor> = include_str!("../../tests/fixtures/screening-real-orgs.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| match crate::record::parse_record(&serde_json::from_str(l).unwrap()) {
            Ok(crate::record::Record::Actor(a)) => a,
            other => panic!("not a valid actor: {other:?}"),
        })
        .collect();
    let file: File = toml::from_str(include_str!("../../tests/fixtures/screening-expected.toml")).unwrap();
    assert!(file.expect.len() >= 40);
    let mut wrong = Vec::new();
    let mut every_fact_sourced = true;
    for a in &actors {
        every_fact_sourced &= a.facts.values().all(|f| f.provenance.source.is_some());
    }
    assert!(every_fact_sourced, "every fact of the fixture carries its source");
    for e in &file.expect {
        let a = actors.iter().find(|a| a.id.as_str() == e.actor).unwrap_or_else(|| panic!("no actor {}", e.actor));
        let s = screen(profile(&e.profile), a);
        if s.verdict.as_str() != e.verdict {
            wrong.push(format!(
                "{} under {}: {} expected ({}), engine says {}",
                e.actor,
                e.profile,
                e.verdict,
                e.why,
                s.verdict.as_str()
            ));
        }
        // Every outcome carries its citation.
        assert!(s.criteria.iter().all(|c| !c.citation.is_empty()));
        // The register's tally agrees with the screening, contradicted claims included.
        assert_eq!(tally(profile(&e.profile), a), (s.verdict, s.claim_mismatches.len()), "{}", e.actor);
        // A company claiming social innovation or SSE while failing is flagged.
        if s.verdict == Verdict::DoesNotQualify {
            let claimed: Vec<Claim> =
                a.claims.iter().copied().filter(|c| profile(&e.profile).claims.contains(c)).collect();
            if !claimed.is_empty() {
                assert!(
                    !s.claim_mismatches.is_empty(),
                    "{} under {}: claims {claimed:?} not flagged",
                    e.actor,
                    e.profile
                );
            }
        }
    }
    assert!(wrong.is_empty(), "verdicts that differ from the careful reading:\n{}", wrong.join("\n"));
}

#[test]
fn self_declared_facts_are_marked_in_reasons_and_counted_verified_ones_are_not() {
    use crate::fact::Assurance;
    let mut a = actor(
        Some(Family::Cooperative),
        &[],
        &[
            ("purpose.primary", c("mutual_interest")),
            ("membership.open_voluntary", b(true)),
            ("governance.voting_rule", c("one_member_one_vote")),
            ("control.public_share", n(0.0)),
            ("control.investor_share", n(0.0)),
            ("surplus.distribution_allowed", b(false)),
            ("assets.lock", b(true)),
        ],
    );
    let declare = |a: &mut Actor, key: &str, assurance: Assurance| {
        a.facts.get_mut(key).unwrap().provenance.assurance = Some(assurance);
    };
    declare(&mut a, "governance.voting_rule", Assurance::SelfDeclared);
    declare(&mut a, "assets.lock", Assurance::SelfDeclared);
    declare(&mut a, "membership.open_voluntary", Assurance::Verified);
    let p = profile("un-2023");
    let s = screen(p, &a);
    let reason = |id: &str| s.criteria.iter().find(|r| r.id == id).unwrap().reason.to_string();
    assert_eq!(
        reason("democratic"),
        "self-declared: governance.voting_rule is one_member_one_vote (one of one_member_one_vote, capped_weighted)"
    );
    assert!(reason("primacy").contains("self-declared: assets.lock is true"), "{}", reason("primacy"));
    assert!(!reason("voluntary").contains("self-declared"), "verified: {}", reason("voluntary"));
    assert!(!reason("purpose").contains("self-declared"), "{}", reason("purpose"));
    assert_eq!(s.self_declared.keys(), ["assets.lock", "governance.voting_rule"]);
    assert_eq!(s.self_declared.count(), 2);
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["self_declared"], serde_json::json!(["assets.lock", "governance.voting_rule"]));
    assert_eq!(json["facts_used"]["assets.lock"]["assurance"], "self_declared");
    assert_eq!(json["facts_used"]["membership.open_voluntary"]["assurance"], "verified");
    // The verdict does not change: only what it rests on is said.
    let mut verified = a.clone();
    declare(&mut verified, "governance.voting_rule", Assurance::Verified);
    declare(&mut verified, "assets.lock", Assurance::Verified);
    let v = screen(p, &verified);
    assert_eq!(v.verdict, s.verdict);
    assert!(v.self_declared.is_empty());
    assert!(serde_json::to_value(&v).unwrap().get("self_declared").is_none());
}
