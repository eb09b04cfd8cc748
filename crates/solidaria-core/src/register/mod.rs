//! National business registers screened row by row under declarative register rules.
//!
//! A *register profile* (TOML, like `registers/fr-ess-2014-sirene.toml`) says which columns of a
//! register hold the unit's id, legal category, activity, administrative state and SSE flag; which
//! code system its legal categories come from (`codes`); which legal categories form which
//! legal-form family; which activities are outside the SSE perimeter; and, in order, the rules
//! that give each row its verdict (first match wins).
//!
//! Both are data, found and embedded by the build script (`build.rs`): the built-in register
//! profiles are the files of `registers/` ([`BUILTIN`]), and the code systems the files of
//! `data/codes/`, each named by its file stem (`insee-cj.csv` is `insee-cj`, see
//! [`code_systems`]). So another register (Quebec's, Companies House, a cooperative registry) is a
//! new register file, plus a code-system file if its legal categories are not in a known one: not
//! new code, as long as its legal categories are four-digit codes and its activities NAF rev. 2
//! codes (whose sections, [`naf_section`], are the one nomenclature built in).
//!
//! [`Classifier`] is the compiled form: column positions resolved against a header, a lookup table
//! from legal-category code to family, and the rules over byte slices. Classifying a row allocates
//! nothing.

use serde::Deserialize;

mod classify;
mod codes;
#[cfg(test)]
mod tests;

use classify::is_naf_code;
pub use classify::*;
use codes::code_system;
pub use codes::*;

/// A problem in a register profile file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RegisterProfileError(pub String);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegister {
    id: String,
    title: String,
    profile: String,
    register: String,
    source_url: String,
    version: String,
    columns: RawColumns,
    codes: String,
    families: RawFamilies,
    #[serde(default)]
    excluded_activities: Vec<String>,
    verdicts: Vec<String>,
    ess_verdicts: Vec<String>,
    rules: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawColumns {
    id: String,
    legal_category: String,
    activity: String,
    #[serde(default)]
    activity_nomenclature: Option<String>,
    #[serde(default)]
    activity_nomenclature_value: Option<String>,
    state: String,
    active_value: String,
    flag: String,
    flag_yes: String,
    #[serde(default)]
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFamilies {
    cooperative: Vec<String>,
    mutual: Vec<String>,
    association: Vec<String>,
    foundation: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    verdict: String,
    #[serde(default)]
    when: Option<RawCondition>,
    why: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    #[serde(default)]
    column: Option<String>,
    #[serde(default)]
    eq: Option<String>,
    #[serde(default)]
    ne: Option<String>,
    #[serde(default)]
    activity_excluded: Option<bool>,
    #[serde(default)]
    family_is_sse: Option<bool>,
}

/// A column a rule may test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// The administrative state.
    State,
    /// The register's SSE flag.
    Flag,
}

/// A condition of a register rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// Always true (a rule without `when`: the default).
    Always,
    /// The column equals the value.
    Eq(Column, Vec<u8>),
    /// The column differs from the value.
    Ne(Column, Vec<u8>),
    /// The activity is (or is not) outside the SSE perimeter.
    ActivityExcluded(bool),
    /// The family is (or is not) one of the SSE families.
    FamilyIsSse(bool),
}

/// One rule: when the condition holds, the row gets the verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Index into [`RegisterProfile::verdicts`].
    pub verdict: u8,
    /// The condition.
    pub when: Condition,
    /// Why, in words, for the per-row output.
    pub why: String,
}

/// A register profile, parsed and checked.
#[derive(Debug, Clone)]
pub struct RegisterProfile {
    /// Id (`fr-ess-2014-sirene`).
    pub id: String,
    /// Title.
    pub title: String,
    /// The screening profile whose law these rules apply (`fr-ess-2014`).
    pub profile: String,
    /// The register it reads.
    pub register: String,
    /// Where the rules come from.
    pub source_url: String,
    /// Version of the rules.
    pub version: String,
    /// The code system its legal categories come from (`insee-cj`), one of [`code_systems`].
    pub codes: String,
    /// Header names: id, legal category, activity, activity nomenclature (optional), state, flag, name (optional).
    pub columns: Columns,
    /// The verdicts, in report order.
    pub verdicts: Vec<String>,
    /// Which verdicts mean "part of the SSE" (for imports).
    pub ess_verdicts: Vec<u8>,
    /// The rules, in order.
    pub rules: Vec<Rule>,
    family_table: Vec<u8>,
    known: Vec<bool>,
    excluded_divisions: [bool; 100],
    excluded_codes: Vec<[u8; 6]>,
}

/// The header names a register profile reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    /// Unit id.
    pub id: String,
    /// Legal category code.
    pub legal_category: String,
    /// Main activity code.
    pub activity: String,
    /// The nomenclature of the activity code, and the value for which codes are checked.
    pub activity_nomenclature: Option<(String, String)>,
    /// Administrative state, and the value meaning active.
    pub state: (String, String),
    /// The register's SSE flag, and the value meaning yes.
    pub flag: (String, String),
    /// The unit's name.
    pub name: Option<String>,
}

/// Parses a range list entry: `"5191-5196"` or `"9300"`.
fn parse_range(s: &str) -> Option<(u16, u16)> {
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    let (a, b): (u16, u16) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (a <= b && b <= 9999).then_some((a, b))
}

impl RegisterProfile {
    /// Parses and checks a register profile.
    pub fn parse(text: &str) -> Result<Self, RegisterProfileError> {
        let raw: RawRegister = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            RegisterProfileError(format!("line {line}: {}", e.message().trim()))
        })?;
        let err = |m: String| Err(RegisterProfileError(m));
        let Some(system) = code_system(&raw.codes) else {
            let names: Vec<&str> = code_systems().collect();
            return err(format!(
                "codes: expected {} (the code systems in data/codes/), found {:?}",
                crate::error::one_of(&names),
                raw.codes
            ));
        };
        let mut known = vec![false; 10_000];
        system.codes.iter().for_each(|(c, _)| known[*c as usize] = true);
        let mut family_table = vec![4u8; 10_000];
        let lists =
            [&raw.families.cooperative, &raw.families.mutual, &raw.families.association, &raw.families.foundation];
        for (family, list) in lists.iter().enumerate() {
            for entry in list.iter() {
                let Some((a, b)) = parse_range(entry) else {
                    return err(format!(
                        "families.{}: expected a code or a range like \"5191-5196\", found {entry:?}",
                        FAMILIES[family]
                    ));
                };
                for code in a..=b {
                    if family_table[code as usize] != 4 {
                        return err(format!(
                            "families.{}: code {code:04} is already in families.{}",
                            FAMILIES[family], FAMILIES[family_table[code as usize] as usize]
                        ));
                    }
                    family_table[code as usize] = family as u8;
                }
            }
        }
        let mut excluded_divisions = [false; 100];
        let mut excluded_codes = Vec::new();
        for a in &raw.excluded_activities {
            let b = a.as_bytes();
            match b.len() {
                2 if b.iter().all(u8::is_ascii_digit) => {
                    excluded_divisions[((b[0] - b'0') * 10 + b[1] - b'0') as usize] = true
                }
                6 if is_naf_code(b) => excluded_codes.push([b[0], b[1], b[2], b[3], b[4], b[5]]),
                _ => {
                    return err(format!(
                        "excluded_activities: expected a NAF division (\"84\") or code (\"94.11Z\"), found {a:?}"
                    ));
                }
            }
        }
        if raw.verdicts.is_empty() || raw.verdicts.len() > 16 {
            return err("verdicts: expected 1 to 16 verdict names".into());
        }
        let verdict_index = |v: &str| raw.verdicts.iter().position(|x| x == v).map(|i| i as u8);
        let mut ess_verdicts = Vec::new();
        for v in &raw.ess_verdicts {
            match verdict_index(v) {
                Some(i) => ess_verdicts.push(i),
                None => return err(format!("ess_verdicts: {v:?} is not one of the verdicts")),
            }
        }
        let mut rules = Vec::new();
        for (i, r) in raw.rules.into_iter().enumerate() {
            let Some(verdict) = verdict_index(&r.verdict) else {
                return err(format!("rules[{i}].verdict: {:?} is not one of the verdicts", r.verdict));
            };
            let when = match r.when {
                None => Condition::Always,
                Some(c) => {
                    let column = match c.column.as_deref() {
                        None => None,
                        Some("state") => Some(Column::State),
                        Some("flag") => Some(Column::Flag),
                        Some(other) => {
                            return err(format!(
                                "rules[{i}].when.column: expected \"state\" or \"flag\", found {other:?}"
                            ));
                        }
                    };
                    match (column, c.eq, c.ne, c.activity_excluded, c.family_is_sse) {
                        (Some(col), Some(v), None, None, None) => Condition::Eq(col, v.into_bytes()),
                        (Some(col), None, Some(v), None, None) => Condition::Ne(col, v.into_bytes()),
                        (None, None, None, Some(b), None) => Condition::ActivityExcluded(b),
                        (None, None, None, None, Some(b)) => Condition::FamilyIsSse(b),
                        _ => {
                            return err(format!(
                                "rules[{i}].when: expected one of {{column, eq}}, {{column, ne}}, {{activity_excluded}} or {{family_is_sse}}"
                            ));
                        }
                    }
                }
            };
            rules.push(Rule { verdict, when, why: r.why });
        }
        if rules.last().is_none_or(|r| r.when != Condition::Always) {
            return err("rules: expected a last rule without `when`, the default verdict".into());
        }
        let c = raw.columns;
        Ok(RegisterProfile {
            id: raw.id,
            title: raw.title,
            profile: raw.profile,
            register: raw.register,
            source_url: raw.source_url,
            version: raw.version,
            codes: raw.codes,
            columns: Columns {
                id: c.id,
                legal_category: c.legal_category,
                activity: c.activity,
                activity_nomenclature: c.activity_nomenclature.zip(c.activity_nomenclature_value),
                state: (c.state, c.active_value),
                flag: (c.flag, c.flag_yes),
                name: c.name,
            },
            verdicts: raw.verdicts,
            ess_verdicts,
            rules,
            family_table,
            known,
            excluded_divisions,
            excluded_codes,
        })
    }
}

/// The built-in register profiles: id (the file stem) and TOML text, in id order: every file of
/// `crates/solidaria-core/registers/`, found and embedded by the build script.
pub const BUILTIN: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/registers.rs"));

/// The number of register files the build script found.
#[cfg(test)]
pub(super) const BUILTIN_COUNT: usize = include!(concat!(env!("OUT_DIR"), "/registers_count.rs"));

/// The built-in register profile that applies a screening profile to a register, by screening
/// profile id (`fr-ess-2014`) or by its own id.
pub fn builtin(id: &str) -> Option<RegisterProfile> {
    BUILTIN.iter().filter_map(|(_, text)| RegisterProfile::parse(text).ok()).find(|p| p.id == id || p.profile == id)
}
