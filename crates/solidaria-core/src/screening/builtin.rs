//! The built-in profiles: TOML files in `crates/solidaria-core/profiles/`, compiled into the
//! binary. Their ids are part of Solidaria's interface.

use super::profile::{Profile, parse_profile};
use std::sync::LazyLock;

macro_rules! profiles {
    ($($id:literal),+ $(,)?) => {
        /// The built-in profile files: id and TOML text, in listing order.
        pub const FILES: &[(&str, &str)] = &[$(($id, include_str!(concat!("../../profiles/", $id, ".toml")))),+];
    };
}

profiles!(
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
    "ro-2015",
    "si-strength",
    "programme-social-dimension",
);

static BUILTIN: LazyLock<Vec<Profile>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|(id, text)| match parse_profile(text) {
            Ok(p) => p,
            // The files are part of the source tree and a unit test parses each of them, so a
            // failure here is a build defect, not bad user input.
            Err(errors) => panic!("built-in profile {id} is invalid: {errors:?}"),
        })
        .collect()
});

/// Every built-in profile, in listing order.
pub fn all() -> &'static [Profile] {
    &BUILTIN
}

/// The built-in profiles for one kind of subject, in listing order.
pub fn for_subject(subject: super::profile::SubjectKind) -> impl Iterator<Item = &'static Profile> {
    all().iter().filter(move |p| p.subject == subject)
}

/// A built-in profile by id.
pub fn find(id: &str) -> Option<&'static Profile> {
    all().iter().find(|p| p.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_profile_parses() {
        for (id, text) in FILES {
            let p = parse_profile(text).unwrap_or_else(|e| panic!("{id}: {e:?}"));
            assert_eq!(&p.id, id);
        }
        assert_eq!(all().len(), 19);
        assert_eq!(for_subject(super::super::profile::SubjectKind::Actor).count(), 17);
    }
}
