//! The territory diagnostic in the page's language: the reasons of each block's score, the gaps,
//! why a broker is on the shortlist and the words of the suggested partnerships, written from the
//! templates of `[ecosystem]` with the figures the core found
//! (`solidaria_core::ecosystem::{BlockReason, GapReason, Broker}`).

use super::{Messages, fill};
use serde::Deserialize;
use solidaria_app::finance::Reached;
use solidaria_core::actor::BuildingBlock;
use solidaria_core::ecosystem::{BlockReason, Broker, GapReason};

/// The templates of the diagnostic (`[ecosystem]`), with `{territory}`, `{block}`, `{score}`,
/// `{servers}`, `{by_default}`, `{points}`, `{count}`, `{categories}`, `{linked}`, `{sse}`,
/// `{z}` and `{pairs}` filled in.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct EcosystemWords {
    pub no_server: String,
    pub coverage: String,
    pub coverage_default: String,
    pub diversity: String,
    pub no_sse: String,
    pub connection: String,
    pub gap_no_server: String,
    pub gap_weak_no_sse: String,
    pub gap_unlinked: String,
    pub gap_weak: String,
    pub stands_out: String,
    pub stands_out_plain: String,
    pub covers: String,
    /// After the name of an actor serving a weak block, before the organizations it has no link
    /// with.
    pub serves: String,
    /// The links that actor already has in the territory (`{count}`).
    pub server_links: String,
    /// After the organizations whose links would also join separate parts of the network.
    pub joins: String,
    /// A node of the network picture: `{name}`, `{category}`, `{betweenness}`.
    pub node: String,
    /// Under the network picture: how to read and use it.
    pub picture_help: String,
    /// The accessible name of the picture's zoom buttons, as a group.
    pub zoom: String,
    /// The button that zooms in.
    pub zoom_in: String,
    /// The button that zooms out.
    pub zoom_out: String,
    /// The button that shows the whole picture again.
    pub zoom_reset: String,
    /// A fund whose eligibility names no territory.
    pub reach_any: String,
    /// A fund whose eligibility names the territory (`{territory}`).
    pub reach_itself: String,
    /// A fund whose eligibility names a territory (`{reached}`) that includes this one.
    pub reach_includes: String,
    /// A fund whose eligibility names a territory (`{reached}`) within this one.
    pub reach_part: String,
}

impl Messages {
    /// A number with `places` decimals and this language's separator.
    pub fn decimal(&self, x: f64, places: usize) -> String {
        let s = format!("{x:.places$}");
        if self.reasons.decimal_separator == "." { s } else { s.replace('.', &self.reasons.decimal_separator) }
    }

    /// One reason of a block's score, in this language; `territory` names the territory.
    pub fn block_reason(&self, r: &BlockReason, territory: &str) -> String {
        let e = &self.ecosystem;
        let points = |p: f64| format!("{p:.0}");
        match r {
            BlockReason::NoServer => fill(&e.no_server, &[("territory", territory)]),
            BlockReason::Coverage { servers, by_default, points: p } => fill(
                if *by_default > 0 { &e.coverage_default } else { &e.coverage },
                &[("servers", &servers.to_string()), ("by_default", &by_default.to_string()), ("points", &points(*p))],
            ),
            BlockReason::Diversity { categories, points: p } => {
                let names: Vec<&str> = categories.iter().map(|c| self.categories.of(c)).collect();
                fill(
                    &e.diversity,
                    &[("count", &names.len().to_string()), ("categories", &names.join(", ")), ("points", &points(*p))],
                )
            }
            BlockReason::NoSse => fill(&e.no_sse, &[("territory", territory)]),
            BlockReason::Connection { linked, sse, points: p } => fill(
                &e.connection,
                &[("linked", &linked.to_string()), ("sse", &sse.to_string()), ("points", &points(*p))],
            ),
        }
    }

    /// Why `block` is a gap, in this language; `territory` names the territory.
    pub fn gap(&self, g: &GapReason, block: BuildingBlock, territory: &str) -> String {
        let e = &self.ecosystem;
        let name = self.blocks.of(block);
        let base = [("block", name), ("territory", territory)];
        match g {
            GapReason::NoServer => fill(&e.gap_no_server, &base),
            GapReason::Unlinked => fill(&e.gap_unlinked, &base),
            GapReason::WeakNoSse { score } => {
                fill(&e.gap_weak_no_sse, &[base[0], base[1], ("score", &score.to_string())])
            }
            GapReason::Weak { score, servers, linked, sse } => fill(
                &e.gap_weak,
                &[
                    base[0],
                    ("score", &score.to_string()),
                    ("servers", &servers.to_string()),
                    ("linked", &linked.to_string()),
                    ("sse", &sse.to_string()),
                ],
            ),
        }
    }

    /// Why a broker is on the shortlist, in sentences of this language: it stands out from the
    /// random networks (by how many standard deviations), and the pairs of categories it is the
    /// first to bridge in the greedy cover. Empty for a broker off the shortlist.
    pub fn broker_why(&self, b: &Broker) -> Vec<String> {
        let e = &self.ecosystem;
        let mut why = Vec::new();
        if b.stands_out {
            why.push(match b.z {
                Some(z) => fill(&e.stands_out, &[("z", &self.decimal(z, 1))]),
                None => e.stands_out_plain.clone(),
            });
        }
        if !b.covers.is_empty() {
            let pairs: Vec<String> = b
                .covers
                .iter()
                .map(|[x, y]| format!("{} – {}", self.categories.of(x), self.categories.of(y)))
                .collect();
            why.push(fill(&e.covers, &[("pairs", &pairs.join("; "))]));
        }
        why
    }

    /// How a fund reaches the territory named `territory`, with `name` naming territories by code.
    pub fn reach(&self, r: &Reached, territory: &str, name: &dyn Fn(&str) -> String) -> String {
        let e = &self.ecosystem;
        match r {
            Reached::Anywhere => e.reach_any.clone(),
            Reached::Itself => fill(&e.reach_itself, &[("territory", territory)]),
            Reached::Includes(x) => fill(&e.reach_includes, &[("reached", &name(x)), ("territory", territory)]),
            Reached::PartOf(x) => fill(&e.reach_part, &[("reached", &name(x)), ("territory", territory)]),
        }
    }

    /// The links an actor serving a weak block already has in the territory, in words (empty
    /// for none).
    pub fn server_links(&self, degree: usize) -> String {
        if degree == 0 { String::new() } else { fill(&self.ecosystem.server_links, &[("count", &degree.to_string())]) }
    }
}

#[cfg(test)]
mod tests {
    use crate::i18n::{LANGUAGES, messages};
    use solidaria_core::actor::BuildingBlock;
    use solidaria_core::ecosystem::{BlockReason, Broker, GapReason};

    /// Every kind of finding, with figures that show.
    fn findings() -> (Vec<BlockReason>, Vec<GapReason>) {
        (
            vec![
                BlockReason::NoServer,
                BlockReason::Coverage { servers: 3, by_default: 0, points: 40.0 },
                BlockReason::Coverage { servers: 2, by_default: 1, points: 80.0 / 3.0 },
                BlockReason::Diversity {
                    categories: vec!["finance_provider".into(), "support_network".into()],
                    points: 20.0,
                },
                BlockReason::NoSse,
                BlockReason::Connection { linked: 2, sse: 8, points: 10.0 },
            ],
            vec![
                GapReason::NoServer,
                GapReason::WeakNoSse { score: 23 },
                GapReason::Unlinked,
                GapReason::Weak { score: 28, servers: 1, linked: 1, sse: 8 },
            ],
        )
    }

    /// Every finding is written in every language with every placeholder filled, with no code
    /// left, and French and Spanish differ from English: a template missing in a language, or
    /// left in English, fails here.
    #[test]
    fn every_finding_is_written_in_every_language() {
        let (reasons, gaps) = findings();
        for (lang, _) in LANGUAGES {
            let t = messages(lang);
            let mut texts: Vec<String> = reasons.iter().map(|r| t.block_reason(r, "Québec")).collect();
            texts.extend(gaps.iter().map(|g| t.gap(g, BuildingBlock::DataMeasurement, "Québec")));
            for (i, text) in texts.iter().enumerate() {
                assert!(!text.contains('{') && !text.contains('}'), "{lang}: {text}");
                assert!(!text.contains('_'), "{lang}: a code in {text}");
                if *lang != "en" {
                    let english = if i < reasons.len() {
                        messages("en").block_reason(&reasons[i], "Québec")
                    } else {
                        messages("en").gap(&gaps[i - reasons.len()], BuildingBlock::DataMeasurement, "Québec")
                    };
                    assert_ne!(*text, english, "{lang} is left in English");
                }
            }
        }
        let fr = messages("fr");
        assert_eq!(
            fr.block_reason(&reasons[2], "Québec"),
            "2 acteur(s) servent ce pilier, dont 1 par le rôle par défaut de leur catégorie (27/40 pour la couverture)"
        );
        assert_eq!(
            fr.block_reason(&reasons[3], "Québec"),
            "2 catégorie(s) parmi eux : Financeurs, Réseaux d'appui (20/20 pour la diversité)"
        );
        assert_eq!(
            fr.gap(&gaps[3], BuildingBlock::MarketAccess, "Québec"),
            "accès aux marchés : couverture faible (28/100) : 1 acteur(s), 1 des 8 organisations de l'ESS liées"
        );
    }

    #[test]
    fn a_broker_s_reasons_use_the_language_s_numbers_and_category_names() {
        let b = Broker {
            id: "fund".into(),
            name: "Fund".into(),
            betweenness: 0.4,
            bridges: vec!["public_authority".into(), "sse_organization".into()],
            expected: 0.1,
            spread: 0.05,
            z: Some(6.04),
            stands_out: true,
            covers: vec![["public_authority".into(), "sse_organization".into()]],
        };
        assert_eq!(
            messages("fr").broker_why(&b),
            [
                "Se distingue des réseaux aléatoires ayant le même nombre de liens par acteur (6,0 écarts-types au-dessus).",
                "Premier à relier : Pouvoirs publics – Organisations de l'ESS."
            ]
        );
        assert_eq!(messages("es").decimal(0.3821, 3), "0,382");
        assert_eq!(messages("en").decimal(0.3821, 3), "0.382");
        assert_eq!(messages("en").server_links(0), "");
        assert_eq!(messages("es").server_links(2), "(ya tiene 2 vínculo(s) aquí)");
    }
}
