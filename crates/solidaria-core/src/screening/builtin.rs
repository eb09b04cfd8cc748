//! The built-in profiles: every TOML file in `crates/solidaria-core/profiles/`, compiled into the
//! binary. Their ids (the file stems) are part of Solidaria's interface.
//!
//! No list of them is kept in code: the build script (`build.rs`) finds the files and embeds each
//! with `include_str!`, so a new profile is a new file. They are listed in the order of their
//! `order` field (lower first; every built-in profile has one), profiles without one last.

use super::profile::{Profile, parse_profile};
use std::sync::LazyLock;

/// The built-in profile files: id (the file stem) and TOML text, in file-name order. [`all`]
/// gives them parsed, in listing order.
pub const FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/profiles.rs"));

/// The number of profile files the build script found.
#[cfg(test)]
const FILE_COUNT: usize = include!(concat!(env!("OUT_DIR"), "/profiles_count.rs"));

static BUILTIN: LazyLock<Vec<Profile>> = LazyLock::new(|| {
    let mut profiles: Vec<Profile> = FILES
        .iter()
        .map(|(id, text)| match parse_profile(text) {
            Ok(p) => p,
            // The files are part of the source tree and a unit test parses each of them, so a
            // failure here is a build defect, not bad user input.
            Err(errors) => panic!("built-in profile {id} is invalid: {errors:?}"),
        })
        .collect();
    // Listing order: by `order`, then (for profiles without one, or with the same) by id.
    profiles.sort_by(|a, b| (a.order.is_none(), a.order, &a.id).cmp(&(b.order.is_none(), b.order, &b.id)));
    profiles
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
    use super::super::profile::SubjectKind;
    use super::*;

    #[test]
    fn every_builtin_profile_parses() {
        for (id, text) in FILES {
            let p = parse_profile(text).unwrap_or_else(|e| panic!("{id}: {e:?}"));
            assert_eq!(&p.id, id);
        }
        // Every file of the directory is loaded, each once.
        assert_eq!(FILES.len(), FILE_COUNT);
        assert_eq!(all().len(), FILE_COUNT);
        for (id, _) in FILES {
            assert_eq!(all().iter().filter(|p| p.id == *id).count(), 1, "{id}");
        }
        let by_subject: usize = [SubjectKind::Actor, SubjectKind::Case, SubjectKind::Programme]
            .map(|s| for_subject(s).count())
            .iter()
            .sum();
        assert_eq!(by_subject, FILE_COUNT);
    }

    /// The listing order is data: every built-in profile says where it goes, and no two say the
    /// same place.
    #[test]
    fn the_listing_order_is_in_the_files() {
        for p in all() {
            assert!(p.order.is_some(), "{}: expected an `order` field", p.id);
        }
        assert!(all().windows(2).all(|w| w[0].order < w[1].order), "two built-in profiles share an `order`");
    }
}
