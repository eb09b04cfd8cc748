//! What a newer edition of a dataset no longer has: actors gone from it, sites it no longer
//! gives. Listed for a moderator to decide; nothing is deleted.

use super::*;

/// The actors that an earlier import of `dataset` brought in and that the latest import of it
/// (whose actor ids are `seen`) no longer has: gone from the newer edition. They are kept (a
/// moderator decides); this lists them, sorted.
pub fn disappeared(store: &mut dyn Store, dataset: &str, seen: &HashSet<String>) -> AppResult<Vec<String>> {
    let mut gone = Vec::new();
    store.for_each(RecordType::Actor, &mut |r| {
        if let Record::Actor(a) = r
            && a.sources.iter().any(|s| s.dataset == dataset)
            && !seen.contains(a.id.as_str())
        {
            gone.push(a.id.to_string());
        }
        Ok(())
    })?;
    gone.sort();
    Ok(gone)
}

/// The actors that keep sites from `dataset` (an earlier import of a file of sites) although
/// the latest import of it (which gave sites to `named`) did not name them: sorted. They are
/// kept; this lists them, as [`disappeared`] lists actors.
pub fn sites_elsewhere(store: &mut dyn Store, dataset: &str, named: &[String]) -> AppResult<Vec<String>> {
    let named: HashSet<&str> = named.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    store.for_each(RecordType::Actor, &mut |r| {
        if let Record::Actor(a) = r
            && !named.contains(a.id.as_str())
            && a.sites.iter().any(|s| s.source.as_ref().is_some_and(|src| src.dataset == dataset))
        {
            out.push(a.id.to_string());
        }
        Ok(())
    })?;
    out.sort();
    Ok(out)
}
