use super::*;
use crate::text::Id;

fn actor(id: &str, category: Category, roles: &[BuildingBlock]) -> Actor {
    let mut a = Actor::new(Id::parse(id).unwrap(), id.to_uppercase());
    a.category = Some(category);
    a.roles = roles.to_vec();
    a
}

/// Two SSE co-ops, a network linking one of them to a university, a fund linked to nobody.
fn small() -> (Vec<Actor>, Graph) {
    use BuildingBlock::*;
    let actors = vec![
        actor("coop-a", Category::SseOrganization, &[]),
        actor("coop-b", Category::SseOrganization, &[]),
        actor("network", Category::SupportNetwork, &[]),
        actor("university", Category::KnowledgeInstitution, &[KnowledgeTransfer]),
        actor("fund", Category::FinanceProvider, &[]),
    ];
    let graph = Graph::new(5, [(0, 2), (2, 3)]);
    (actors, graph)
}

#[test]
fn blocks_are_scored_by_the_documented_formula() {
    let (actors, graph) = small();
    let d = diagnose("XX", &actors, &graph, &graph.betweenness(), &NullModel::of(&graph, Graph::betweenness));
    let score = |b: BuildingBlock| d.building_blocks.iter().find(|x| x.id == b).unwrap();
    // Capacity-building: the network by default role (13 + 10), linked to one of two co-ops (20).
    let cb = score(BuildingBlock::CapacityBuilding);
    assert_eq!(cb.score, 43);
    assert_eq!(cb.actors, ["network"]);
    assert!(cb.reasons[0].contains("by the default role of their category"), "{:?}", cb.reasons);
    // Finance: the fund, linked to no co-op: 13 + 10 + 0, and said in words.
    assert_eq!(score(BuildingBlock::Finance).score, 23);
    assert!(
        d.gaps.contains(&"finance: no social-finance provider is linked to any SSE organization in XX".to_string()),
        "{:?}",
        d.gaps
    );
    // Policy: nobody.
    assert_eq!(score(BuildingBlock::Policy).score, 0);
    assert!(d.gaps.contains(&"enabling policy: no actor of XX serves this block".to_string()));
}

/// The findings are the reasons and gaps as data: their English is the text the API serves,
/// and a block is a gap exactly when it has a gap reason.
#[test]
fn findings_carry_the_figures_of_the_reasons_and_gaps() {
    let (actors, graph) = small();
    let d = diagnose("XX", &actors, &graph, &graph.betweenness(), &NullModel::of(&graph, Graph::betweenness));
    let mut gaps = Vec::new();
    for b in &d.building_blocks {
        let english: Vec<String> = b.findings.iter().map(|f| f.english("XX", b.id)).collect();
        assert_eq!(english, b.reasons, "{}", b.id);
        assert_eq!(b.gap, b.gap_reason.is_some(), "{}", b.id);
        gaps.extend(b.gap_reason.as_ref().map(|g| g.english("XX", b.id)));
    }
    assert_eq!(gaps, d.gaps);
    let cb = d.building_blocks.iter().find(|x| x.id == BuildingBlock::CapacityBuilding).unwrap();
    assert_eq!(
        cb.findings,
        [
            BlockReason::Coverage { servers: 1, by_default: 1, points: 1.0 / 3.0 * 40.0 },
            BlockReason::Diversity { categories: vec!["support_network".into()], points: 10.0 },
            BlockReason::Connection { linked: 1, sse: 2, points: 20.0 },
        ]
    );
    let finance = d.building_blocks.iter().find(|x| x.id == BuildingBlock::Finance).unwrap();
    assert_eq!(finance.gap_reason, Some(GapReason::Unlinked));
    let first = &d.suggestions[0];
    assert!(first.joins && first.score == 23 && first.degree == 1, "{first:?}");
}

#[test]
fn brokers_bridge_categories_and_suggestions_join_parts() {
    let (actors, graph) = small();
    let d = diagnose("XX", &actors, &graph, &graph.betweenness(), &NullModel::of(&graph, Graph::betweenness));
    assert_eq!(d.network.components, 3);
    assert_eq!(d.network.isolated, ["coop-b", "fund"]);
    assert_eq!(d.network.brokers.len(), 1);
    assert_eq!(d.network.brokers[0].id, "network");
    assert_eq!(d.network.brokers[0].bridges, ["knowledge_institution", "sse_organization"]);
    // Links that join separate parts come first; among equally weak blocks (knowledge transfer
    // and finance, 23 each), the better-connected server (the university) first.
    let first = &d.suggestions[0];
    assert_eq!(
        (first.from.as_str(), first.to.as_str(), first.block),
        ("coop-b", "university", BuildingBlock::KnowledgeTransfer)
    );
    assert!(first.reason.contains("join two separate parts"), "{}", first.reason);
    assert!(
        d.suggestions
            .iter()
            .any(|s| (s.from.as_str(), s.to.as_str(), s.block) == ("coop-a", "fund", BuildingBlock::Finance))
    );
    assert!(d.suggestions.iter().all(|s| !graph.linked(
        actors.iter().position(|a| a.id.as_str() == s.from).unwrap(),
        actors.iter().position(|a| a.id.as_str() == s.to).unwrap()
    )));
}

#[test]
fn the_shortlist_keeps_brokers_well_above_random_graphs_with_the_same_degrees() {
    use Category::*;
    // Two dense groups (each a clique of five: co-ops, then research centres), one support
    // network tied to two members of each group: the only way between the groups. The members
    // tied to it have more links than the network, but no random wiring of those degrees makes
    // the network so central.
    let mut actors: Vec<Actor> = (0..10)
        .map(|i| actor(&format!("m-{i}"), if i < 5 { SseOrganization } else { KnowledgeInstitution }, &[]))
        .collect();
    actors.push(actor("bridge", SupportNetwork, &[]));
    let mut edges = Vec::new();
    for group in [0..5, 5..10] {
        for a in group.clone() {
            for b in group.clone().filter(|&b| b > a) {
                edges.push((a, b));
            }
        }
    }
    edges.extend([(10, 0), (10, 1), (10, 5), (10, 6)]);
    let graph = Graph::new(11, edges);
    let null = NullModel::of(&graph, Graph::betweenness);
    let d = diagnose("XX", &actors, &graph, &graph.betweenness(), &null);
    assert_eq!(d.network.brokers[0].id, "bridge");
    assert!(d.network.brokers[0].expected < d.network.brokers[0].betweenness);
    assert_eq!(d.network.shortlist.first().map(String::as_str), Some("bridge"), "{:?}", d.network.brokers);
    let bridge = &d.network.brokers[0];
    assert!(bridge.betweenness > bridge.expected + 2.0 * bridge.spread, "{bridge:?}");
    assert!(bridge.stands_out && bridge.z.is_some_and(|z| z > 2.0), "{bridge:?}");
    assert!(bridge.reason().starts_with("stands out from random networks ("), "{}", bridge.reason());
    // The centre of a star is a broker, but any wiring of those degrees makes it central.
    let star = vec![
        actor("hub", SupportNetwork, &[]),
        actor("a", SseOrganization, &[]),
        actor("b", KnowledgeInstitution, &[]),
        actor("c", SseOrganization, &[]),
    ];
    let graph = Graph::new(4, [(0, 1), (0, 2), (0, 3)]);
    let d = diagnose("XX", &star, &graph, &graph.betweenness(), &NullModel::of(&graph, Graph::betweenness));
    assert_eq!(d.network.brokers.len(), 1);
    assert!(!d.network.brokers[0].stands_out, "{:?}", d.network.brokers);
    // It is still the only actor bridging its categories, so the cover names it.
    assert_eq!(d.network.shortlist, ["hub"]);
    assert_eq!(d.network.brokers[0].covers, [pair("knowledge_institution", "sse_organization")]);
}

fn pair(a: &str, b: &str) -> [String; 2] {
    [a.to_string(), b.to_string()]
}

#[test]
fn the_cover_picks_the_bridge_beside_a_star() {
    use Category::*;
    // A support network at the centre of a star of co-ops and a university; one of the co-ops
    // is also tied to a fund, which alone reaches a public authority.
    let actors = vec![
        actor("hub", SupportNetwork, &[]),
        actor("coop-1", SseOrganization, &[]),
        actor("coop-2", SseOrganization, &[]),
        actor("coop-3", SseOrganization, &[]),
        actor("coop-4", SseOrganization, &[]),
        actor("university", KnowledgeInstitution, &[]),
        actor("fund", FinanceProvider, &[]),
        actor("ministry", PublicAuthority, &[]),
    ];
    let graph = Graph::new(8, [(0, 1), (0, 2), (0, 3), (0, 4), (0, 5), (1, 6), (6, 7)]);
    let d = diagnose("XX", &actors, &graph, &graph.betweenness(), &NullModel::of(&graph, Graph::betweenness));
    let n = &d.network;
    let broker = |id: &str| n.brokers.iter().find(|b| b.id == id).unwrap();
    assert_eq!(n.brokers[0].id, "hub", "the hub has the highest betweenness: {:?}", n.brokers);
    // The fund is the only actor between co-ops and the public authority: the cover picks it.
    assert!(n.shortlist.contains(&"fund".to_string()), "{:?}", n.shortlist);
    assert_eq!(broker("fund").covers, [pair("public_authority", "sse_organization")]);
    assert_eq!(broker("fund").reason(), "first to bridge public_authority and sse_organization");
    assert_eq!(broker("hub").covers, [pair("knowledge_institution", "sse_organization")]);
    assert_eq!(broker("coop-1").covers, [pair("finance_provider", "support_network")]);
    // Every pair some broker bridges is bridged by the shortlist, and each by one chooser.
    let all: BTreeSet<[String; 2]> = n.brokers.iter().flat_map(Broker::pairs).collect();
    let covered: Vec<[String; 2]> = n.brokers.iter().flat_map(|b| b.covers.clone()).collect();
    assert_eq!(covered.iter().cloned().collect::<BTreeSet<_>>(), all);
    assert_eq!(covered.len(), all.len());
}

#[test]
fn the_cover_picks_the_only_actor_bridging_two_categories_and_no_redundant_one() {
    let b = |id: &str, betweenness: f64, bridges: &[&str]| Broker {
        id: id.to_string(),
        name: id.to_uppercase(),
        betweenness,
        bridges: bridges.iter().map(|s| s.to_string()).collect(),
        expected: 0.0,
        spread: 0.0,
        z: None,
        stands_out: false,
        covers: Vec::new(),
    };
    let brokers = [
        b("big", 0.9, &["sse_organization", "support_network"]),
        b("wide", 0.5, &["public_authority", "sse_organization", "support_network"]),
        b("also", 0.4, &["sse_organization", "support_network"]),
        b("rare", 0.01, &["finance_provider", "knowledge_institution"]),
    ];
    let chosen = cover(&brokers);
    // The broker bridging the most pairs first, then the only one between finance and
    // knowledge, however low its betweenness; "big" and "also" add no pair.
    assert_eq!(
        chosen,
        [
            (
                1,
                vec![
                    pair("public_authority", "sse_organization"),
                    pair("public_authority", "support_network"),
                    pair("sse_organization", "support_network")
                ]
            ),
            (3, vec![pair("finance_provider", "knowledge_institution")]),
        ]
    );
    // Ties go to the higher betweenness.
    assert_eq!(cover(&brokers[..1]), [(0, vec![pair("sse_organization", "support_network")])]);
    assert_eq!(cover(&[brokers[2].clone(), brokers[0].clone()])[0].0, 1);
    assert!(cover(&[]).is_empty());
}
