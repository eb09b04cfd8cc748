//! A fund's grants in the 360Giving Data Standard (JSON package: `{"grants": [...]}`).
//!
//! Written only. Each investment with the instrument `grant` still counted (reversed ones left
//! out) is one grant: `id` (`360G-PREFIX-TRANSACTION`), `title`, `description`, `currency`,
//! `amountAwarded` (a number, as the standard asks; the ledger's exact decimal text is in the
//! description), `awardDate`, `recipientOrganization` and `fundingOrganization` (the fund's
//! manager), and `grantProgramme` (the fund). An organization's identifier follows the
//! org-id.guide convention when Solidaria knows its register number under a scheme it can map
//! (`gb_companies_house` → `GB-COH`, `gb_charity` → `GB-CHC`, `gb_fca_mutuals` → `GB-MPR`),
//! else `360G-PREFIX-ACTOR`, the standard's convention for a publisher's own identifiers.

use crate::portfolio::Portfolio;
use serde_json::{Value, json};
use solidaria_core::actor::Actor;
use solidaria_core::finance::fund::Instrument;
use solidaria_core::finance::transaction::Kind;

/// Register schemes Solidaria keeps, with their org-id.guide list prefixes.
pub const ORG_ID_PREFIXES: &[(&str, &str)] =
    &[("gb_companies_house", "GB-COH"), ("gb_charity", "GB-CHC"), ("gb_fca_mutuals", "GB-MPR")];

/// A publisher prefix made safe for identifiers: letters, digits and `-` kept, anything else
/// turned into `-`.
pub fn clean_prefix(prefix: &str) -> String {
    prefix.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect()
}

fn org_id(prefix: &str, id: &str, a: Option<&Actor>) -> String {
    if let Some(a) = a {
        for (scheme, list) in ORG_ID_PREFIXES {
            if let Some(n) = a.identifiers.get(*scheme) {
                return format!("{list}-{n}");
            }
        }
    }
    format!("360G-{prefix}-{id}")
}

fn organization(p: &Portfolio<'_>, prefix: &str, id: &str, a: Option<&Actor>) -> Value {
    let mut o = json!({"id": org_id(prefix, id, a), "name": a.map_or(id, |a| a.name.as_str())});
    if let Some(t) = a.and_then(|a| a.territory.as_ref()) {
        o["addressRegion"] = json!(t.as_str());
        let country = p.country(t.as_str());
        if let Some(c) = country {
            o["addressCountry"] = json!(c);
        }
    }
    if let Some(w) = a.and_then(|a| a.website.as_ref()) {
        o["url"] = json!(w.to_string());
    }
    o
}

/// The fund's grants as a 360Giving package; `prefix` is the publisher's (cleaned with
/// [`clean_prefix`]).
pub fn export(p: &Portfolio<'_>, prefix: &str) -> Value {
    let prefix = clean_prefix(prefix);
    let fund = p.fund;
    let c = fund.currency;
    let funder = organization(p, &prefix, fund.manager.as_str(), p.manager);
    let grants: Vec<Value> = p
        .investments
        .iter()
        .filter(|t| t.tx.kind == Kind::Investment && t.tx.instrument == Some(Instrument::Grant))
        .filter_map(|t| {
            let who = t.tx.counterparty.as_ref()?.as_str();
            let amount = c.format(i128::from(t.tx.amount));
            let name = p.investee_name(who);
            let mut description = format!("Grant of {amount} {} from {} to {name}.", c.code(), fund.name);
            if let Some(n) = &t.tx.note {
                description.push(' ');
                description.push_str(n);
            }
            Some(json!({
                "id": format!("360G-{prefix}-{}", t.tx.id),
                "title": format!("{} grant to {name}", fund.name),
                "description": description,
                "currency": c.code(),
                "amountAwarded": amount.parse::<f64>().ok()?,
                "awardDate": t.tx.date.as_str(),
                "recipientOrganization": [organization(p, &prefix, who, p.investees.get(who))],
                "fundingOrganization": [funder.clone()],
                "grantProgramme": [{"code": fund.id.as_str(), "title": fund.name}],
            }))
        })
        .collect();
    json!({"grants": grants})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portfolio::sample;

    /// The grant fields the 360Giving standard requires, and the organization fields it requires.
    const REQUIRED: &[&str] = &[
        "id",
        "title",
        "description",
        "currency",
        "amountAwarded",
        "awardDate",
        "recipientOrganization",
        "fundingOrganization",
    ];

    fn well_formed(g: &Value) {
        for f in REQUIRED {
            assert!(g.get(*f).is_some_and(|v| !v.is_null()), "{f} missing in {g:#}");
        }
        for f in ["id", "title", "description"] {
            assert!(!g[f].as_str().unwrap().is_empty(), "{f}");
        }
        assert!(g["id"].as_str().unwrap().starts_with("360G-"), "{g}");
        let cur = g["currency"].as_str().unwrap();
        assert!(cur.len() == 3 && cur.bytes().all(|b| b.is_ascii_uppercase()), "{cur}");
        assert!(g["amountAwarded"].is_number(), "{g}");
        let d = g["awardDate"].as_str().unwrap();
        assert!(d.len() == 10 && solidaria_core::text::PartialDate::parse(d).is_ok(), "{d}");
        for side in ["recipientOrganization", "fundingOrganization"] {
            let orgs = g[side].as_array().unwrap();
            assert_eq!(orgs.len(), 1);
            assert!(!orgs[0]["id"].as_str().unwrap().is_empty() && !orgs[0]["name"].as_str().unwrap().is_empty());
        }
    }

    #[test]
    fn grants_only_with_the_required_fields_well_formed() {
        let owned = sample::owned();
        let doc = export(&owned.view(), "cap finance");
        let grants = doc["grants"].as_array().unwrap();
        let ids: Vec<&str> = grants.iter().map(|g| g["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["360G-cap-finance-g1", "360G-cap-finance-g2"], "loans and reversed grants left out");
        grants.iter().for_each(well_formed);
        let g1 = &grants[0];
        assert_eq!(g1["amountAwarded"], 5000.5);
        assert!(
            g1["description"].as_str().unwrap().contains("5000.50 CAD")
                && g1["description"].as_str().unwrap().ends_with("seed")
        );
        assert_eq!(g1["recipientOrganization"][0]["id"], "GB-COH-IP12345");
        assert_eq!(grants[1]["recipientOrganization"][0]["id"], "360G-cap-finance-asso");
        assert_eq!(g1["fundingOrganization"][0]["id"], "360G-cap-finance-cap-finance");
        assert_eq!(g1["fundingOrganization"][0]["name"], "CAP Finance");
        assert_eq!(g1["grantProgramme"][0]["code"], "sff");
    }
}
