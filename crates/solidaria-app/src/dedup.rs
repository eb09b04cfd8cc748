//! De-duplication over the registry: every actor read from the store, the pairs that may be one
//! organization found by `solidaria_core::dedup` (blocking, scoring, reasons). Nothing is
//! merged here: the candidates name both actors with their identifiers and source rows, which a
//! merge (by a moderator) takes as its input.

use crate::error::{AppError, AppResult, Code};
use crate::screen::in_chunks;
use solidaria_core::Actor;
use solidaria_core::dedup::{Options, Outcome, find_candidates};
use solidaria_core::origin::parse_scheme;
use solidaria_store::Store;

/// Checks the options a person gave: a threshold in 0..1, scheme names that can exist.
pub fn check_options(options: &Options) -> AppResult<()> {
    if !(0.0..=1.0).contains(&options.threshold) {
        return Err(AppError::new(
            Code::QueryInvalid,
            format!("the threshold is a score from 0 to 1 (0.5: as likely as not), not {}", options.threshold),
        )
        .at("threshold"));
    }
    for scheme in &options.ignore_schemes {
        parse_scheme(scheme).map_err(|e| {
            AppError::new(Code::QueryInvalid, format!("{scheme:?} is not an identifier scheme: expected {e}"))
                .at("ignore_scheme")
        })?;
    }
    Ok(())
}

/// The candidate pairs among all the registry's actors. `progress` gets the number of actors
/// read so far.
pub fn candidates(store: &mut dyn Store, options: &Options, progress: &mut dyn FnMut(u64)) -> AppResult<Outcome> {
    check_options(options)?;
    let mut actors: Vec<Actor> = Vec::new();
    in_chunks(store, &mut |chunk| {
        actors.extend_from_slice(chunk);
        progress(actors.len() as u64);
        Ok(())
    })?;
    Ok(find_candidates(&actors, options))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_out_of_range_are_refused_with_the_field() {
        let bad = Options { threshold: 1.5, ..Options::default() };
        let e = check_options(&bad).unwrap_err();
        assert_eq!((e.code, e.field.as_deref()), (Code::QueryInvalid, Some("threshold")));
        let nan = Options { threshold: f64::NAN, ..Options::default() };
        assert!(check_options(&nan).is_err());
        let mut scheme = Options::default();
        scheme.ignore_schemes.insert("Coops UK".into());
        let e = check_options(&scheme).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("ignore_scheme"));
        scheme.ignore_schemes = ["coops_uk".to_string()].into();
        assert!(check_options(&scheme).is_ok());
    }
}
