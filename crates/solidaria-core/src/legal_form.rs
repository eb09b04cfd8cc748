//! Legal forms: the family an actor's form belongs to, and the ISO 20275 code list.
//!
//! A legal form says what the law calls an organization; it never says on its own whether the
//! organization is SSE (substance is screened from facts). `code` may be an ISO 20275 Entity Legal
//! Form (ELF) code, which resolves to its country and local name from the embedded GLEIF list
//! (v1.5, 2023-09-28, CC0), or a national code (an INSEE category, say), kept as written.

use crate::closed_list;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::LazyLock;

closed_list! {
    /// The family of a legal form.
    Family {
        /// Cooperative society of any kind.
        Cooperative = "cooperative",
        /// Mutual society or mutual insurer.
        Mutual = "mutual",
        /// Association or non-profit corporation.
        Association = "association",
        /// Foundation or endowment.
        Foundation = "foundation",
        /// Commercial company (including social-purpose company forms).
        Company = "company",
        /// Public body or agency.
        PublicBody = "public_body",
        /// Group without legal personality.
        InformalGroup = "informal_group",
        /// Trust.
        Trust = "trust",
        /// Anything else.
        Other = "other",
    }
}

/// An actor's legal form. Every part is optional: unknown stays unknown.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct LegalForm {
    /// The family.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family: Option<Family>,
    /// An ISO 20275 ELF code or a national legal-form code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The legal form's name in the local language, as the register writes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

impl LegalForm {
    /// True when nothing is known of the legal form.
    pub fn is_empty(&self) -> bool {
        self.family.is_none() && self.code.is_none() && self.label.is_none()
    }

    /// The ELF entries of this form's code (one per official language), if it is an ELF code.
    pub fn elf(&self) -> &'static [ElfEntry] {
        self.code.as_deref().map(elf_lookup).unwrap_or(&[])
    }
}

/// What a valid legal-form code looks like, for error messages.
pub const CODE_EXPECTED: &str =
    "a legal-form code of 1 to 32 letters, digits, '.', '-' or '_' (an ISO 20275 ELF code or a national code)";

/// Checks the shape of a legal-form code.
pub fn parse_code(s: &str) -> Result<String, &'static str> {
    let ok = !s.is_empty()
        && s.len() <= 32
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    if ok { Ok(s.to_string()) } else { Err(CODE_EXPECTED) }
}

/// One row of the ISO 20275 list: a code in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ElfEntry {
    /// The four-character ELF code.
    pub code: &'static str,
    /// ISO 3166-1 alpha-2 country of formation.
    pub country: &'static str,
    /// ISO 3166-2 subdivision of formation, when the form is sub-national.
    pub subdivision: Option<&'static str>,
    /// Local name of the legal form.
    pub local_name: &'static str,
    /// ISO 639-1 language of the local name.
    pub language: &'static str,
    /// Local abbreviations (`;`-separated in the source), if any.
    pub abbreviation: Option<&'static str>,
    /// `true` when GLEIF lists the code as active (`ACTV`).
    pub active: bool,
}

static ELF_TSV: &str = include_str!("../data/elf-codes.tsv");

static ELF: LazyLock<HashMap<&'static str, Vec<ElfEntry>>> = LazyLock::new(|| {
    let mut map: HashMap<&'static str, Vec<ElfEntry>> = HashMap::new();
    for line in ELF_TSV.lines() {
        let cols: Vec<&'static str> = line.split('\t').collect();
        if let [code, country, sub, name, lang, abbr, status] = cols[..] {
            let opt = |s: &'static str| (!s.is_empty()).then_some(s);
            map.entry(code).or_default().push(ElfEntry {
                code,
                country,
                subdivision: opt(sub),
                local_name: name,
                language: lang,
                abbreviation: opt(abbr),
                active: status == "ACTV",
            });
        }
    }
    map
});

/// The entries of an ELF code (one per language), empty when the code is not in the list.
pub fn elf_lookup(code: &str) -> &'static [ElfEntry] {
    ELF.get(code).map(Vec::as_slice).unwrap_or(&[])
}

/// Number of distinct ELF codes embedded.
pub fn elf_code_count() -> usize {
    ELF.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_list_is_complete() {
        // SOURCE: 3,430 distinct codes, minus the two placeholders 8888 and 9999.
        assert_eq!(elf_code_count(), 3428);
    }

    #[test]
    fn a_code_resolves_to_country_and_local_name() {
        let e = elf_lookup("5AWN");
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].country, "AR");
        assert_eq!(e[0].local_name, "Sociedad del Estado");
        assert!(elf_lookup("ZZZZ").is_empty());
    }

    #[test]
    fn family_names_round_trip() {
        for f in Family::ALL {
            assert_eq!(Family::parse(f.as_str()), Ok(*f));
        }
        assert!(Family::parse("coop").unwrap_err().contains("\"cooperative\""));
    }
}
