//! Writes a deterministic register in the layout of INSEE's SIRENE `StockUniteLegale` file to
//! standard output, for the register-screening benchmark.
//!
//! `cargo run --release -p solidaria-app --example generate_sirene -- ROWS > StockUniteLegale.csv`
//!
//! The mix imitates the real stock: most rows are individual entrepreneurs and companies, about
//! 10 % associations, a few percent cooperatives, mutuals and foundations, public bodies, about a
//! third of the units ceased, some activities outside the ESS perimeter (NAF 84, 94.1x, 94.2x,
//! 94.9x), old-nomenclature codes on ceased units, empty activities, and names with commas and
//! quotes. Every code is a valid one: the file has no malformed rows.

#[path = "common/rng.rs"]
mod rng;

use rng::Rng;
use std::io::Write;

const HEADER: &str = "siren,statutDiffusionUniteLegale,unitePurgeeUniteLegale,dateCreationUniteLegale,sigleUniteLegale,sexeUniteLegale,prenom1UniteLegale,prenom2UniteLegale,prenom3UniteLegale,prenom4UniteLegale,prenomUsuelUniteLegale,pseudonymeUniteLegale,identifiantAssociationUniteLegale,trancheEffectifsUniteLegale,anneeEffectifsUniteLegale,dateDernierTraitementUniteLegale,nombrePeriodesUniteLegale,categorieEntreprise,anneeCategorieEntreprise,dateDebut,etatAdministratifUniteLegale,nomUniteLegale,nomUsageUniteLegale,denominationUniteLegale,denominationUsuelle1UniteLegale,denominationUsuelle2UniteLegale,denominationUsuelle3UniteLegale,categorieJuridiqueUniteLegale,activitePrincipaleUniteLegale,nomenclatureActivitePrincipaleUniteLegale,nicSiegeUniteLegale,economieSocialeSolidaireUniteLegale,societeMissionUniteLegale,caractereEmployeurUniteLegale";

/// Legal categories with their weight (per 1000 rows) and their usual ESS flag rate (per 100).
const CATEGORIES: &[(&str, u32, u64)] = &[
    ("1000", 520, 0),
    ("5710", 120, 1),
    ("5720", 80, 1),
    ("5499", 60, 0),
    ("5498", 40, 0),
    ("6540", 40, 0),
    ("9220", 90, 90),
    ("9210", 5, 80),
    ("9260", 3, 80),
    ("5458", 6, 95),
    ("5460", 4, 95),
    ("5193", 3, 95),
    ("6317", 3, 90),
    ("6411", 1, 95),
    ("8210", 2, 95),
    ("9300", 2, 90),
    ("7210", 8, 0),
    ("7220", 2, 0),
    ("7490", 3, 0),
    ("5599", 8, 0),
];

/// Activities with their weight.
const ACTIVITIES: &[(&str, u32)] = &[
    ("47.11B", 40),
    ("56.10A", 60),
    ("62.01Z", 50),
    ("68.20A", 80),
    ("70.22Z", 70),
    ("43.21A", 50),
    ("86.21Z", 40),
    ("88.99B", 40),
    ("85.59A", 40),
    ("93.12Z", 50),
    ("90.01Z", 30),
    ("94.99Z", 60),
    ("94.11Z", 5),
    ("94.12Z", 5),
    ("94.20Z", 5),
    ("94.91Z", 5),
    ("94.92Z", 3),
    ("84.11Z", 10),
    ("01.11Z", 40),
    ("10.71C", 20),
    ("49.32Z", 30),
    ("64.19Z", 5),
    ("65.12Z", 5),
    ("81.21Z", 20),
    ("", 20),
];

/// Picks an item with probability proportional to its weight.
fn pick<'a, T>(rng: &mut Rng, items: &'a [(T, u32)]) -> &'a T {
    let total: u32 = items.iter().map(|i| i.1).sum();
    let mut r = (rng.next() % total as u64) as u32;
    for (item, w) in items {
        if r < *w {
            return item;
        }
        r -= w;
    }
    &items[0].0
}

fn main() -> std::io::Result<()> {
    let rows: u64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let mut rng = Rng(0x0051_2E4E_2026);
    let out = std::io::stdout();
    let mut w = std::io::BufWriter::with_capacity(1 << 20, out.lock());
    writeln!(w, "{HEADER}")?;
    let cats: Vec<((&str, u64), u32)> = CATEGORIES.iter().map(|(c, w, f)| ((*c, *f), *w)).collect();
    for i in 0..rows {
        let (cj, flag_rate) = *pick(&mut rng, &cats);
        let ceased = rng.next() % 100 < 33;
        let mut naf = *pick(&mut rng, ACTIVITIES);
        let mut nomenclature = "NAFRev2";
        if ceased && rng.next().is_multiple_of(10) {
            naf = "52.4Z";
            nomenclature = "NAFRev1";
        }
        if naf.is_empty() {
            nomenclature = "";
        }
        let flag = if rng.next() % 100 < flag_rate {
            "O"
        } else if rng.next().is_multiple_of(3) {
            ""
        } else {
            "N"
        };
        let state = if ceased { "C" } else { "A" };
        let siren = 100_000_000 + i;
        let created = 1950 + rng.next() % 75;
        if cj == "1000" {
            let sex = if rng.next().is_multiple_of(2) { "M" } else { "F" };
            writeln!(
                w,
                "{siren},O,,{created}-0{}-1{},,{sex},JEAN,,,,,,,NN,,2024-0{}-1{}T10:00:00,2,PME,2022,2019-01-01,{state},DUPONT{},,,,,,{cj},{naf},{nomenclature},00012,{flag},,N",
                1 + rng.next() % 9,
                rng.next() % 10,
                1 + rng.next() % 9,
                rng.next() % 10,
                i % 997
            )?;
        } else {
            let name = match rng.next() % 20 {
                0 => format!("\"ATELIER {i}, SERVICES ET CONSEIL\""),
                1 => format!("\"LES AMIS DU \"\"QUARTIER\"\" {i}\""),
                _ => format!("ORGANISATION {i}"),
            };
            let rna = if cj.starts_with('9') { format!("W{:09}", rng.next() % 1_000_000_000) } else { String::new() };
            writeln!(
                w,
                "{siren},O,,{created}-0{}-1{},,[ND],,,,,,,{rna},{},2022,2024-0{}-1{}T10:00:00,3,PME,2022,2019-01-01,{state},,,{name},,,,{cj},{naf},{nomenclature},00015,{flag},,O",
                1 + rng.next() % 9,
                rng.next() % 10,
                ["NN", "01", "02", "11", "12"][(rng.next() % 5) as usize],
                1 + rng.next() % 9,
                rng.next() % 10
            )?;
        }
    }
    w.flush()
}
