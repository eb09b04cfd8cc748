//! The compiled register profile: a [`Classifier`] that gives each row its verdict, family and
//! activity section without allocating, the problems of malformed rows, and the [`Tally`] of a
//! screening.

use super::*;

/// True for a NAF rev. 2 code: two digits, a dot, two digits, a capital letter (`94.99Z`).
pub(super) fn is_naf_code(b: &[u8]) -> bool {
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
    /// The legal-form family the rules give a legal-category code (`other` outside the SSE
    /// families), e.g. `9220` → `association`.
    pub fn family_of(&self, code: u16) -> &'static str {
        FAMILIES[self.family_table.get(usize::from(code)).copied().unwrap_or(4).min(4) as usize]
    }

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

pub(super) fn section_index(s: u8) -> usize {
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
    /// ESS rows that could not be loaded as actors because their id cannot make an actor id
    /// (empty, not letters and digits, or too long); counted only when the rows are loaded.
    pub unloadable: u64,
    /// The first of them: line and the id as found.
    pub unloadable_examples: Vec<(u64, String)>,
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
            unloadable: 0,
            unloadable_examples: Vec::new(),
        }
    }

    /// Counts an ESS row that cannot be loaded as an actor (see [`Tally::unloadable`]).
    pub fn add_unloadable(&mut self, line: u64, id: &str) {
        self.unloadable += 1;
        if self.unloadable_examples.len() < MAX_EXAMPLES {
            self.unloadable_examples.push((line, id.chars().take(80).collect()));
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
        self.unloadable += other.unloadable;
        self.unloadable_examples.extend_from_slice(&other.unloadable_examples);
        self.unloadable_examples.sort_by_key(|e| e.0);
        self.unloadable_examples.truncate(MAX_EXAMPLES);
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
