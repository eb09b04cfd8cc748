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
use std::sync::LazyLock;

/// The legal-category code systems a register profile can name in `codes`: every
/// `data/codes/*.csv` file, by its stem (`insee-cj`), found and embedded by the build script.
const CODE_FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/codes.rs"));

/// The number of code-system files the build script found.
#[cfg(test)]
const CODE_FILE_COUNT: usize = include!(concat!(env!("OUT_DIR"), "/codes_count.rs"));

/// A legal-category code system, parsed once: its name (the file stem) and its codes with their
/// labels, in file order, which is code order.
struct CodeSystem {
    name: &'static str,
    codes: Vec<(u16, &'static str)>,
}

impl CodeSystem {
    /// Parses a code-system file: a header line, then one line per code: the code (four digits),
    /// its label (in double quotes when it holds a comma), then any other columns.
    fn parse(name: &'static str, text: &'static str) -> Self {
        let codes = text
            .lines()
            .skip(1)
            .filter_map(|l| {
                let (code, rest) = l.split_once(',')?;
                if code.len() != 4 || !code.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let label = match rest.strip_prefix('"') {
                    Some(quoted) => quoted.split_once('"')?.0,
                    None => rest.split(',').next()?,
                };
                Some((code.parse().ok()?, label))
            })
            .collect();
        CodeSystem { name, codes }
    }

    fn label(&self, code: &str) -> Option<&'static str> {
        let code: u16 = code.parse().ok()?;
        self.codes.binary_search_by_key(&code, |(c, _)| *c).ok().map(|i| self.codes[i].1)
    }
}

/// Every code system, parsed once, in name order.
static CODE_SYSTEMS: LazyLock<Vec<CodeSystem>> =
    LazyLock::new(|| CODE_FILES.iter().map(|(name, text)| CodeSystem::parse(name, text)).collect());

fn code_system(name: &str) -> Option<&'static CodeSystem> {
    CODE_SYSTEMS.iter().find(|s| s.name == name)
}

/// The names of the legal-category code systems a register profile can name in `codes`
/// (`insee-cj`, …), in name order: the files of `crates/solidaria-core/data/codes/`.
pub fn code_systems() -> impl Iterator<Item = &'static str> {
    CODE_FILES.iter().map(|(name, _)| *name)
}

/// The label of a legal-category code in a code system, e.g. `9220` in `insee-cj` → "Association
/// déclarée"; `None` for an unknown system or code.
pub fn code_label(system: &str, code: &str) -> Option<&'static str> {
    code_system(system)?.label(code)
}

/// The label of an INSEE legal category (level III, the `insee-cj` code system), e.g. `9220` →
/// "Association déclarée". For a register profile's own code system, see
/// [`RegisterProfile::code_label`].
pub fn insee_label(code: &str) -> Option<&'static str> {
    code_label("insee-cj", code)
}

/// The families a register row can have: the SSE families and `other`.
pub const FAMILIES: [&str; 5] = ["cooperative", "mutual", "association", "foundation", "other"];

/// The NAF rev. 2 section letter of a division (the two first digits of a code), if the
/// division exists.
pub fn naf_section(division: u8) -> Option<u8> {
    Some(match division {
        1..=3 => b'A',
        5..=9 => b'B',
        10..=33 => b'C',
        35 => b'D',
        36..=39 => b'E',
        41..=43 => b'F',
        45..=47 => b'G',
        49..=53 => b'H',
        55 | 56 => b'I',
        58..=63 => b'J',
        64..=66 => b'K',
        68 => b'L',
        69..=75 => b'M',
        77..=82 => b'N',
        84 => b'O',
        85 => b'P',
        86..=88 => b'Q',
        90..=93 => b'R',
        94..=96 => b'S',
        97 | 98 => b'T',
        99 => b'U',
        _ => return None,
    })
}

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

/// True for a NAF rev. 2 code: two digits, a dot, two digits, a capital letter (`94.99Z`).
fn is_naf_code(b: &[u8]) -> bool {
    b.len() == 6
        && b[0].is_ascii_digit()
        && b[1].is_ascii_digit()
        && b[2] == b'.'
        && b[3].is_ascii_digit()
        && b[4].is_ascii_digit()
        && b[5].is_ascii_uppercase()
}

/// What is wrong with a row that cannot be classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowProblem {
    /// The row has another number of fields than the header.
    Columns {
        /// Fields in the header.
        expected: usize,
        /// Fields in the row.
        found: usize,
    },
    /// The row is not valid UTF-8.
    Utf8,
    /// The legal category is empty or not in the code list.
    UnknownLegalCategory,
    /// The activity code is not a code of the expected nomenclature.
    UnknownActivity,
}

impl RowProblem {
    /// Every kind, in report order, with its name.
    pub const KINDS: [&'static str; 4] =
        ["wrong_column_count", "invalid_utf8", "unknown_legal_category", "unknown_activity"];

    /// Index into [`RowProblem::KINDS`].
    pub fn kind(self) -> usize {
        match self {
            RowProblem::Columns { .. } => 0,
            RowProblem::Utf8 => 1,
            RowProblem::UnknownLegalCategory => 2,
            RowProblem::UnknownActivity => 3,
        }
    }
}

/// The kinds of disagreement between a row's family and the register's own SSE flag.
pub const CONFLICTS: [&str; 2] = ["ess_family_without_flag", "flag_without_ess_family"];

/// A classified row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// Index into the profile's verdicts.
    pub verdict: u8,
    /// Index into [`FAMILIES`].
    pub family: u8,
    /// NAF section letter, `-` without activity, `?` for a code of another nomenclature.
    pub section: u8,
    /// Index of the rule that decided.
    pub rule: u8,
    /// Index into [`CONFLICTS`] for an active unit whose family and flag disagree.
    pub conflict: Option<u8>,
}

/// A register profile bound to the columns of one file's header.
#[derive(Debug, Clone)]
pub struct Classifier<'p> {
    profile: &'p RegisterProfile,
    width: usize,
    id: usize,
    legal_category: usize,
    activity: usize,
    nomenclature: Option<usize>,
    state: usize,
    flag: usize,
    name: Option<usize>,
}

impl RegisterProfile {
    /// The label of a legal-category code in the profile's code system, e.g. `9220` →
    /// "Association déclarée" under `insee-cj`.
    pub fn code_label(&self, code: &str) -> Option<&'static str> {
        code_label(&self.codes, code)
    }

    /// A legal-category code as a national legal-form code of an actor record: prefixed with the
    /// code system's name in capitals (`INSEE-CJ-9220`), so that it is never read as an ELF code.
    pub fn legal_form_code(&self, code: &str) -> String {
        format!("{}-{code}", self.codes.to_ascii_uppercase())
    }

    /// Binds the profile to a header; a missing column is an error that names it and what was found.
    pub fn classifier<'p>(&'p self, header: &[&str]) -> Result<Classifier<'p>, RegisterProfileError> {
        let find = |name: &str| -> Result<usize, RegisterProfileError> {
            header.iter().position(|h| h.trim_start_matches('\u{feff}') == name).ok_or_else(|| {
                let shown: Vec<&str> = header.iter().take(40).copied().collect();
                RegisterProfileError(format!(
                    "the header has no column {name:?}, which {} needs; found: {}",
                    self.id,
                    shown.join(", ")
                ))
            })
        };
        let c = &self.columns;
        Ok(Classifier {
            profile: self,
            width: header.len(),
            id: find(&c.id)?,
            legal_category: find(&c.legal_category)?,
            activity: find(&c.activity)?,
            nomenclature: c.activity_nomenclature.as_ref().map(|(n, _)| find(n)).transpose()?,
            state: find(&c.state.0)?,
            flag: find(&c.flag.0)?,
            name: c.name.as_deref().map(find).transpose()?,
        })
    }
}

impl Classifier<'_> {
    /// The number of fields of the header.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Position of the id column.
    pub fn id_column(&self) -> usize {
        self.id
    }

    /// Position of the legal-category column.
    pub fn legal_category_column(&self) -> usize {
        self.legal_category
    }

    /// Position of the activity column.
    pub fn activity_column(&self) -> usize {
        self.activity
    }

    /// Position of the register's SSE flag column.
    pub fn flag_column(&self) -> usize {
        self.flag
    }

    /// Position of the name column, if the profile names one.
    pub fn name_column(&self) -> Option<usize> {
        self.name
    }

    /// Classifies one row given its field count and a way to read field `i`. Allocates nothing.
    pub fn classify<'r>(&self, len: usize, field: impl Fn(usize) -> &'r [u8]) -> Result<Row, RowProblem> {
        if len != self.width {
            return Err(RowProblem::Columns { expected: self.width, found: len });
        }
        let p = self.profile;
        let cj = field(self.legal_category);
        let code = match cj {
            [a, b, c, d] if cj.iter().all(u8::is_ascii_digit) => {
                (*a - b'0') as usize * 1000
                    + (*b - b'0') as usize * 100
                    + (*c - b'0') as usize * 10
                    + (*d - b'0') as usize
            }
            _ => return Err(RowProblem::UnknownLegalCategory),
        };
        if !p.known[code] {
            return Err(RowProblem::UnknownLegalCategory);
        }
        let family = p.family_table[code];
        let activity = field(self.activity);
        let checked = match (self.nomenclature, &p.columns.activity_nomenclature) {
            (Some(i), Some((_, value))) => {
                let n = field(i);
                n.is_empty() || n == value.as_bytes()
            }
            _ => true,
        };
        let (section, excluded) = if activity.is_empty() {
            (b'-', false)
        } else if !checked {
            (b'?', false)
        } else if is_naf_code(activity) {
            let division = (activity[0] - b'0') * 10 + (activity[1] - b'0');
            let Some(section) = naf_section(division) else {
                return Err(RowProblem::UnknownActivity);
            };
            let excluded =
                p.excluded_divisions[division as usize] || p.excluded_codes.iter().any(|c| c[..] == activity[..]);
            (section, excluded)
        } else {
            return Err(RowProblem::UnknownActivity);
        };
        let state = field(self.state);
        let flag = field(self.flag);
        let value = |c: Column| if c == Column::State { state } else { flag };
        let sse = family < 4;
        let mut decided = None;
        for (i, r) in p.rules.iter().enumerate() {
            let holds = match &r.when {
                Condition::Always => true,
                Condition::Eq(c, v) => value(*c) == &v[..],
                Condition::Ne(c, v) => value(*c) != &v[..],
                Condition::ActivityExcluded(b) => excluded == *b,
                Condition::FamilyIsSse(b) => sse == *b,
            };
            if holds {
                decided = Some((r.verdict, i as u8));
                break;
            }
        }
        // The last rule always holds (checked when the profile was parsed).
        let (verdict, rule) = decided.unwrap_or((0, 0));
        let active = state == p.columns.state.1.as_bytes();
        let flagged = flag == p.columns.flag.1.as_bytes();
        let conflict = match (active, sse, flagged) {
            (true, true, false) => Some(0),
            (true, false, true) => Some(1),
            _ => None,
        };
        Ok(Row { verdict, family, section, rule, conflict })
    }
}

/// Sections in count order: `-` (no activity), `?` (another nomenclature), then `A` to `U`.
pub const SECTIONS: &[u8; 23] = b"-?ABCDEFGHIJKLMNOPQRSTU";

fn section_index(s: u8) -> usize {
    SECTIONS.iter().position(|c| *c == s).unwrap_or(0)
}

/// Counts of a screened register (or part of it): mergeable, so that threads count apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    /// Rows read (data rows, not the header).
    pub rows: u64,
    /// Counts by verdict, family and section, flattened.
    pub counts: Vec<u64>,
    /// Active units whose family and flag disagree, by [`CONFLICTS`] kind.
    pub conflicts: [u64; 2],
    /// Rows that could not be classified, by [`RowProblem::KINDS`].
    pub malformed: [u64; 4],
    /// The first malformed rows: line and problem.
    pub examples: Vec<(u64, RowProblem)>,
}

/// How many malformed rows are kept as examples.
pub const MAX_EXAMPLES: usize = 20;

impl Tally {
    /// An empty tally for a profile.
    pub fn new(profile: &RegisterProfile) -> Self {
        Tally {
            rows: 0,
            counts: vec![0; profile.verdicts.len() * FAMILIES.len() * SECTIONS.len()],
            conflicts: [0; 2],
            malformed: [0; 4],
            examples: Vec::new(),
        }
    }

    /// Counts one row's result; `line` is its line in the file (for examples of problems).
    pub fn add(&mut self, line: u64, result: Result<Row, RowProblem>) {
        self.rows += 1;
        match result {
            Ok(r) => {
                let i = (r.verdict as usize * FAMILIES.len() + r.family as usize) * SECTIONS.len()
                    + section_index(r.section);
                self.counts[i] += 1;
                if let Some(c) = r.conflict {
                    self.conflicts[c as usize] += 1;
                }
            }
            Err(p) => {
                self.malformed[p.kind()] += 1;
                if self.examples.len() < MAX_EXAMPLES {
                    self.examples.push((line, p));
                }
            }
        }
    }

    /// Adds another tally (of later rows) to this one.
    pub fn merge(&mut self, other: &Tally) {
        self.rows += other.rows;
        self.counts.iter_mut().zip(&other.counts).for_each(|(a, b)| *a += b);
        (0..2).for_each(|i| self.conflicts[i] += other.conflicts[i]);
        (0..4).for_each(|i| self.malformed[i] += other.malformed[i]);
        let room = MAX_EXAMPLES.saturating_sub(self.examples.len());
        self.examples.extend(other.examples.iter().take(room).copied());
        self.examples.sort_by_key(|e| e.0);
    }

    /// The non-zero counts as (verdict, family, section letter, count), in report order.
    pub fn nonzero<'a>(
        &'a self,
        profile: &'a RegisterProfile,
    ) -> impl Iterator<Item = (&'a str, &'static str, char, u64)> + 'a {
        self.counts.iter().enumerate().filter(|(_, n)| **n > 0).map(move |(i, n)| {
            let section = SECTIONS[i % SECTIONS.len()] as char;
            let family = FAMILIES[(i / SECTIONS.len()) % FAMILIES.len()];
            let verdict = profile.verdicts[i / SECTIONS.len() / FAMILIES.len()].as_str();
            (verdict, family, section, *n)
        })
    }

    /// Rows by verdict.
    pub fn by_verdict(&self, profile: &RegisterProfile) -> Vec<u64> {
        let per = FAMILIES.len() * SECTIONS.len();
        (0..profile.verdicts.len()).map(|v| self.counts[v * per..(v + 1) * per].iter().sum()).collect()
    }
}

/// The built-in register profiles: id (the file stem) and TOML text, in id order: every file of
/// `crates/solidaria-core/registers/`, found and embedded by the build script.
pub const BUILTIN: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/registers.rs"));

/// The number of register files the build script found.
#[cfg(test)]
const BUILTIN_COUNT: usize = include!(concat!(env!("OUT_DIR"), "/registers_count.rs"));

/// The built-in register profile that applies a screening profile to a register, by screening
/// profile id (`fr-ess-2014`) or by its own id.
pub fn builtin(id: &str) -> Option<RegisterProfile> {
    BUILTIN.iter().filter_map(|(_, text)| RegisterProfile::parse(text).ok()).find(|p| p.id == id || p.profile == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &[&str] = &[
        "siren",
        "denominationUniteLegale",
        "categorieJuridiqueUniteLegale",
        "activitePrincipaleUniteLegale",
        "nomenclatureActivitePrincipaleUniteLegale",
        "etatAdministratifUniteLegale",
        "economieSocialeSolidaireUniteLegale",
    ];

    fn sirene_text() -> &'static str {
        BUILTIN.iter().find(|(id, _)| *id == "fr-ess-2014-sirene").unwrap().1
    }

    fn sirene() -> RegisterProfile {
        RegisterProfile::parse(sirene_text()).unwrap()
    }

    fn classify(p: &RegisterProfile, row: &[&str]) -> Result<(String, &'static str, char, Option<u8>), RowProblem> {
        let c = p.classifier(HEADER).unwrap();
        let r = c.classify(row.len(), |i| row[i].as_bytes())?;
        Ok((p.verdicts[r.verdict as usize].clone(), FAMILIES[r.family as usize], r.section as char, r.conflict))
    }

    fn row<'a>(cj: &'a str, naf: &'a str, state: &'a str, flag: &'a str) -> [&'a str; 7] {
        ["123456789", "X", cj, naf, "NAFRev2", state, flag]
    }

    #[test]
    fn insee_labels_are_found() {
        assert_eq!(insee_label("5710"), Some("SAS, société par actions simplifiée"));
        assert_eq!(insee_label("5498"), Some("SARL unipersonnelle"));
        assert_eq!(insee_label("0001"), None);
        let insee = &code_system("insee-cj").unwrap().codes;
        assert!(insee.windows(2).all(|w| w[0].0 < w[1].0), "the list must stay in code order");
        assert_eq!(sirene().code_label("9220"), Some("Association déclarée"));
        assert_eq!(sirene().legal_form_code("9220"), "INSEE-CJ-9220");
    }

    #[test]
    fn every_code_system_file_is_read_whole() {
        assert_eq!(CODE_FILES.len(), CODE_FILE_COUNT);
        assert_eq!(CODE_SYSTEMS.len(), CODE_FILE_COUNT);
        for (name, text) in CODE_FILES {
            let system = code_system(name).unwrap();
            // Every line after the header is a code: none is dropped for its shape.
            let lines = text.lines().skip(1).filter(|l| !l.trim().is_empty()).count();
            assert_eq!(system.codes.len(), lines, "{name}: lines that are not a four-digit code and a label");
            assert!(system.codes.windows(2).all(|w| w[0].0 < w[1].0), "{name}: codes must be unique, in code order");
            assert!(system.codes.iter().all(|(_, label)| !label.trim().is_empty()), "{name}: a code without a label");
        }
    }

    #[test]
    fn every_builtin_register_parses() {
        assert_eq!(BUILTIN.len(), BUILTIN_COUNT);
        for (id, text) in BUILTIN {
            let p = RegisterProfile::parse(text).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(&p.id, id);
            assert_eq!(builtin(id).map(|b| b.id), Some(p.id));
        }
    }

    #[test]
    fn every_family_code_is_an_insee_legal_category() {
        let p = sirene();
        let families = p.family_table.iter().enumerate().filter(|(_, f)| **f < 4);
        let unknown: Vec<usize> = families.filter(|(c, _)| !p.known[*c]).map(|(c, _)| c).collect();
        assert!(unknown.is_empty(), "family codes missing from the INSEE list: {unknown:?}");
        assert_eq!(p.family_table.iter().filter(|f| **f == 0).count(), 47);
        assert_eq!(naf_section(94), Some(b'S'));
        assert_eq!(naf_section(4), None);
    }

    #[test]
    fn the_rules_of_the_issue_in_order() {
        let p = sirene();
        // Ceased first, whatever else.
        assert_eq!(classify(&p, &row("9220", "88.99B", "C", "O")).unwrap().0, "ceased");
        // Outside the perimeter: division 84, and the listed 94 codes; 94.99Z stays inside.
        assert_eq!(classify(&p, &row("9220", "84.11Z", "A", "N")).unwrap().0, "not_ess");
        assert_eq!(classify(&p, &row("9220", "94.20Z", "A", "O")).unwrap().0, "not_ess");
        assert_eq!(
            classify(&p, &row("9220", "94.99Z", "A", "N")).unwrap(),
            ("ess_by_status".into(), "association", 'S', Some(0))
        );
        // Families by status.
        assert_eq!(
            classify(&p, &row("5458", "10.51A", "A", "O")).unwrap(),
            ("ess_by_status".into(), "cooperative", 'C', None)
        );
        assert_eq!(classify(&p, &row("8210", "65.12Z", "A", "O")).unwrap().1, "mutual");
        assert_eq!(classify(&p, &row("9300", "72.19Z", "A", "O")).unwrap().1, "foundation");
        // Companies: ESS only with the flag.
        assert_eq!(
            classify(&p, &row("5710", "62.01Z", "A", "O")).unwrap(),
            ("ess_company".into(), "other", 'J', Some(1))
        );
        assert_eq!(classify(&p, &row("5710", "62.01Z", "A", "N")).unwrap(), ("not_ess".into(), "other", 'J', None));
        assert_eq!(classify(&p, &row("1000", "", "A", "")).unwrap(), ("not_ess".into(), "other", '-', None));
        // Another nomenclature: section unknown, not excluded.
        let old = ["1", "X", "9220", "75.1A", "NAFRev1", "A", "N"];
        assert_eq!(classify(&p, &old).unwrap(), ("ess_by_status".into(), "association", '?', Some(0)));
    }

    #[test]
    fn bad_rows_are_named() {
        let p = sirene();
        assert_eq!(classify(&p, &row("9999", "94.99Z", "A", "N")), Err(RowProblem::UnknownLegalCategory));
        assert_eq!(classify(&p, &row("92x0", "94.99Z", "A", "N")), Err(RowProblem::UnknownLegalCategory));
        assert_eq!(classify(&p, &row("9220", "94-99Z", "A", "N")), Err(RowProblem::UnknownActivity));
        assert_eq!(classify(&p, &row("9220", "04.10Z", "A", "N")), Err(RowProblem::UnknownActivity));
        assert_eq!(classify(&p, &["1", "2"]), Err(RowProblem::Columns { expected: 7, found: 2 }));
        let e = p.classifier(&["siren", "x"]).unwrap_err();
        assert!(e.0.contains("no column \"categorieJuridiqueUniteLegale\""), "{e}");
    }

    #[test]
    fn tallies_merge_like_one() {
        let p = sirene();
        let c = p.classifier(HEADER).unwrap();
        let rows = [
            row("9220", "94.99Z", "A", "N"),
            row("5710", "62.01Z", "A", "O"),
            row("9999", "", "A", "N"),
            row("5458", "", "C", "N"),
        ];
        let mut whole = Tally::new(&p);
        let (mut a, mut b) = (Tally::new(&p), Tally::new(&p));
        for (i, r) in rows.iter().enumerate() {
            let result = c.classify(r.len(), |k| r[k].as_bytes());
            whole.add(i as u64 + 2, result);
            if i < 2 { a.add(i as u64 + 2, result) } else { b.add(i as u64 + 2, result) }
        }
        a.merge(&b);
        assert_eq!(a, whole);
        assert_eq!(whole.by_verdict(&p), [1, 0, 1, 1]);
        assert_eq!(whole.conflicts, [1, 1]);
        assert_eq!(whole.malformed, [0, 0, 1, 0]);
        assert_eq!(whole.examples, [(4, RowProblem::UnknownLegalCategory)]);
        let listed: Vec<_> = whole.nonzero(&p).collect();
        assert_eq!(listed[0], ("ceased", "cooperative", '-', 1));
    }

    #[test]
    fn register_profiles_are_checked() {
        let text = sirene_text();
        let bad = text.replace("\"5203\", ", "\"5203\", \"9220\", ");
        assert!(RegisterProfile::parse(&bad).unwrap_err().0.contains("already in families.cooperative"));
        let bad = text.replace(
            "why = \"neither an ESS family",
            "when = { column = \"flag\", eq = \"N\" }\nwhy = \"neither an ESS family",
        );
        assert!(RegisterProfile::parse(&bad).unwrap_err().0.contains("default verdict"));
        let bad = text.replace("\"94.92Z\"", "\"94.92\"");
        assert!(RegisterProfile::parse(&bad).unwrap_err().0.contains("excluded_activities"));
        // An unknown code system: the error names the known ones.
        let bad = text.replace("codes = \"insee-cj\"", "codes = \"naf\"");
        let e = RegisterProfile::parse(&bad).unwrap_err().0;
        assert!(e.starts_with("codes: expected one of ") && e.contains("\"insee-cj\""), "{e}");
        assert!(e.ends_with("found \"naf\""), "{e}");
    }
}
