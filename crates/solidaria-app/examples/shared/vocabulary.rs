//! Words and legal-form families of the generated actors (`generate`), which the search
//! benchmark (`bench_search`, and `scripts/search.lua`) queries: one list, so that they agree.

/// Legal-form families, one per actor.
pub const FAMILIES: &[&str] = &["cooperative", "mutual", "association", "foundation", "company", "other"];
/// Name words: each generated name is made of some of them.
pub const WORDS: &[&str] = &[
    "Coopérative",
    "Solidaire",
    "Community",
    "Mutual",
    "Fondation",
    "Red",
    "Alliance",
    "Workers",
    "Habitat",
    "Énergie",
    "Agro",
    "Crédit",
];
