//! The ecosystem over time: which actors and relations a territory had on a given day, the days
//! on which it changed, and what each change did to its diagnostic.
//!
//! **Who was there on a day.** An actor is present from 1 January of the year it was founded; a
//! relation from the first day of its `since` to the last day of its `until` (a year or month
//! given alone covers the whole year or month). What carries no date is counted as always present,
//! and the history says how many such actors and relations it counted, so that a reader knows how
//! much of the past is an assumption. Roles (the blocks an actor serves) carry no date and are
//! taken as they are now.
//!
//! **Dates of change** are the years in which an actor was founded or a relation began or ended
//! (the year after its `until`). The history diagnoses the territory at the end of each such year
//! (or today, for the current year) and says what changed from one point to the next.

use crate::actor::{Actor, BuildingBlock, Category};
use crate::ecosystem::Diagnostic;
use crate::relation::Relation;
use crate::strategy::{first_day, last_day};
use serde::Serialize;
use std::collections::BTreeSet;

/// Whether `a` existed on `day` (`YYYY-MM-DD`).
pub fn actor_present(a: &Actor, day: &str) -> bool {
    a.founded.is_none_or(|y| format!("{y:04}-01-01").as_str() <= day)
}

/// Whether `r` held on `day` (`YYYY-MM-DD`).
pub fn relation_present(r: &Relation, day: &str) -> bool {
    r.since.as_ref().is_none_or(|s| first_day(s).as_str() <= day)
        && r.until.as_ref().is_none_or(|u| last_day(u).as_str() >= day)
}

/// How much of a history rests on undated records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Undated {
    /// Actors without a founding year (counted as always present).
    pub actors: usize,
    /// Relations without a `since` (counted as present from the start).
    pub relations: usize,
}

/// Counts the undated actors and relations.
pub fn undated(actors: &[Actor], relations: &[Relation]) -> Undated {
    Undated {
        actors: actors.iter().filter(|a| a.founded.is_none()).count(),
        relations: relations.iter().filter(|r| r.since.is_none()).count(),
    }
}

/// The years in which the territory changed: an actor founded, a relation begun, or ended (the
/// year after its `until`).
pub fn change_years(actors: &[Actor], relations: &[Relation]) -> BTreeSet<i64> {
    let mut years: BTreeSet<i64> = actors.iter().filter_map(|a| a.founded).collect();
    for r in relations {
        if let Some(s) = &r.since {
            years.insert(i64::from(s.year()));
        }
        if let Some(u) = &r.until {
            years.insert(i64::from(u.year()) + 1);
        }
    }
    years
}

/// The days on which to diagnose: the end of each change year from `since` (earlier changes are
/// folded into the first point) up to today, and today itself; each day `YYYY-MM-DD`.
pub fn days(years: &BTreeSet<i64>, since: Option<i64>, today: &str) -> Vec<String> {
    let this_year: i64 = today.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
    let first = since.or_else(|| years.first().copied()).unwrap_or(this_year).min(this_year);
    let mut out: Vec<String> = std::iter::once(first)
        .chain(years.iter().copied().filter(|&y| y > first && y < this_year))
        .filter(|&y| y < this_year)
        .map(|y| format!("{y:04}-12-31"))
        .collect();
    out.push(today.to_string());
    out.dedup();
    out
}

/// The diagnostic of one day, in brief.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// The day.
    pub date: String,
    /// Each block's score, in the blocks' fixed order.
    pub scores: Vec<(BuildingBlock, u32)>,
    /// The blocks that are gaps.
    pub gaps: Vec<BuildingBlock>,
    /// Actors present.
    pub actors: usize,
    /// SSE organizations among them.
    pub sse_organizations: usize,
    /// Distinct links.
    pub links: usize,
    /// Connected parts of the network.
    pub components: usize,
    /// The first brokers (at most five), by name.
    pub brokers: Vec<String>,
    /// What changed since the previous point, in words.
    pub changes: Vec<String>,
}

impl Point {
    /// A block's score.
    pub fn score(&self, b: BuildingBlock) -> Option<u32> {
        self.scores.iter().find(|(x, _)| *x == b).map(|(_, s)| *s)
    }
}

/// The point of `date` from its diagnostic and the actors present.
pub fn point(date: &str, d: &Diagnostic, actors: &[Actor]) -> Point {
    Point {
        date: date.to_string(),
        scores: d.building_blocks.iter().map(|b| (b.id, b.score)).collect(),
        gaps: d.building_blocks.iter().filter(|b| b.gap).map(|b| b.id).collect(),
        actors: d.network.nodes,
        sse_organizations: actors.iter().filter(|a| a.category == Some(Category::SseOrganization)).count(),
        links: d.network.edges,
        components: d.network.components,
        brokers: d.network.brokers.iter().take(5).map(|b| b.name.clone()).collect(),
        changes: Vec::new(),
    }
}

/// What changed from `before` to `after`, in words: actors and links gained or lost, block scores
/// that moved, gaps opened or closed, brokers that appeared.
pub fn changes(before: &Point, after: &Point) -> Vec<String> {
    let mut out = Vec::new();
    let delta = |a: usize, b: usize, what: &str| match b.cmp(&a) {
        std::cmp::Ordering::Greater => Some(format!("+{} {what} ({a} → {b})", b - a)),
        std::cmp::Ordering::Less => Some(format!("−{} {what} ({a} → {b})", a - b)),
        std::cmp::Ordering::Equal => None,
    };
    out.extend(delta(before.actors, after.actors, "actors"));
    out.extend(delta(before.links, after.links, "links"));
    for &(b, s) in &after.scores {
        if let Some(p) = before.score(b)
            && p != s
        {
            out.push(format!("{}: {p} → {s}", crate::ecosystem::block_words(b)));
        }
    }
    for b in after.gaps.iter().filter(|b| !before.gaps.contains(b)) {
        out.push(format!("new gap: {}", crate::ecosystem::block_words(*b)));
    }
    for b in before.gaps.iter().filter(|b| !after.gaps.contains(b)) {
        out.push(format!("gap closed: {}", crate::ecosystem::block_words(*b)));
    }
    for name in after.brokers.iter().filter(|n| !before.brokers.contains(n)) {
        out.push(format!("new broker: {name}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::actor_from;
    use serde_json::json;

    fn rel(since: Option<&str>, until: Option<&str>) -> Relation {
        Relation {
            from: crate::text::Id::parse("a").unwrap(),
            to: crate::text::Id::parse("b").unwrap(),
            kind: crate::relation::RelationKind::Funds,
            since: since.map(|s| crate::text::PartialDate::parse(s).unwrap()),
            until: until.map(|s| crate::text::PartialDate::parse(s).unwrap()),
            source: None,
            date: None,
            url: None,
            note: None,
        }
    }

    #[test]
    fn presence_follows_founding_year_and_relation_periods() {
        let a = actor_from(json!({"id":"a","name":"A","founded":2013}));
        assert!(!actor_present(&a, "2012-12-31"));
        assert!(actor_present(&a, "2013-01-01"));
        assert!(actor_present(&actor_from(json!({"id":"b","name":"B"})), "1900-01-01"), "undated: always");
        let r = rel(Some("2012-06"), Some("2015"));
        assert!(!relation_present(&r, "2012-05-31"));
        assert!(relation_present(&r, "2012-06-01"));
        assert!(relation_present(&r, "2015-12-31"));
        assert!(!relation_present(&r, "2016-01-01"));
    }

    #[test]
    fn days_fold_early_changes_into_the_first_point_and_end_today() {
        let actors =
            [actor_from(json!({"id":"a","name":"A","founded":1990})), actor_from(json!({"id":"b","name":"B"}))];
        let rels = [rel(Some("2015"), Some("2018")), rel(None, None)];
        let years = change_years(&actors, &rels);
        assert_eq!(years.iter().copied().collect::<Vec<_>>(), [1990, 2015, 2019]);
        assert_eq!(days(&years, Some(2013), "2026-12-02"), ["2013-12-31", "2015-12-31", "2019-12-31", "2026-12-02"]);
        assert_eq!(days(&years, None, "2026-12-02")[0], "1990-12-31");
        assert_eq!(days(&BTreeSet::new(), None, "2026-12-02"), ["2026-12-02"]);
        assert_eq!(undated(&actors, &rels), Undated { actors: 1, relations: 1 });
    }
}
