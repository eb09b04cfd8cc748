//! The code systems of registers: legal-category lists (every `data/codes/*.csv`, by file stem),
//! the legal-form families they map to, and the sections of the NAF rev. 2 activity nomenclature.

use std::sync::LazyLock;

/// The legal-category code systems a register profile can name in `codes`: every
/// `data/codes/*.csv` file, by its stem (`insee-cj`), found and embedded by the build script.
pub(super) const CODE_FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/codes.rs"));

/// The number of code-system files the build script found.
#[cfg(test)]
pub(super) const CODE_FILE_COUNT: usize = include!(concat!(env!("OUT_DIR"), "/codes_count.rs"));

/// A legal-category code system, parsed once: its name (the file stem) and its codes with their
/// labels, in file order, which is code order.
pub(super) struct CodeSystem {
    pub(super) name: &'static str,
    pub(super) codes: Vec<(u16, &'static str)>,
}

impl CodeSystem {
    /// Parses a code-system file: a header line, then one line per code: the code (four digits),
    /// its label (in double quotes when it holds a comma), then any other columns.
    fn parse(name: &'static str, text: &'static str) -> Self {
        let codes = text
            .lines()
            .skip(1)
            .filter_map(|l| {
                let (code, rest) = l.split_once(',')?;
                if code.len() != 4 || !code.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let label = match rest.strip_prefix('"') {
                    Some(quoted) => quoted.split_once('"')?.0,
                    None => rest.split(',').next()?,
                };
                Some((code.parse().ok()?, label))
            })
            .collect();
        CodeSystem { name, codes }
    }

    fn label(&self, code: &str) -> Option<&'static str> {
        let code: u16 = code.parse().ok()?;
        self.codes.binary_search_by_key(&code, |(c, _)| *c).ok().map(|i| self.codes[i].1)
    }
}

/// Every code system, parsed once, in name order.
pub(super) static CODE_SYSTEMS: LazyLock<Vec<CodeSystem>> =
    LazyLock::new(|| CODE_FILES.iter().map(|(name, text)| CodeSystem::parse(name, text)).collect());

pub(super) fn code_system(name: &str) -> Option<&'static CodeSystem> {
    CODE_SYSTEMS.iter().find(|s| s.name == name)
}

/// The names of the legal-category code systems a register profile can name in `codes`
/// (`insee-cj`, …), in name order: the files of `crates/solidaria-core/data/codes/`.
pub fn code_systems() -> impl Iterator<Item = &'static str> {
    CODE_FILES.iter().map(|(name, _)| *name)
}

/// The label of a legal-category code in a code system, e.g. `9220` in `insee-cj` → "Association
/// déclarée"; `None` for an unknown system or code.
pub fn code_label(system: &str, code: &str) -> Option<&'static str> {
    code_system(system)?.label(code)
}

/// The label of an INSEE legal category (level III, the `insee-cj` code system), e.g. `9220` →
/// "Association déclarée". For a register profile's own code system, see
/// [`RegisterProfile::code_label`].
pub fn insee_label(code: &str) -> Option<&'static str> {
    code_label("insee-cj", code)
}

/// The families a register row can have: the SSE families and `other`.
pub const FAMILIES: [&str; 5] = ["cooperative", "mutual", "association", "foundation", "other"];

/// The NAF rev. 2 section letter of a division (the two first digits of a code), if the
/// division exists.
pub fn naf_section(division: u8) -> Option<u8> {
    Some(match division {
        1..=3 => b'A',
        5..=9 => b'B',
        10..=33 => b'C',
        35 => b'D',
        36..=39 => b'E',
        41..=43 => b'F',
        45..=47 => b'G',
        49..=53 => b'H',
        55 | 56 => b'I',
        58..=63 => b'J',
        64..=66 => b'K',
        68 => b'L',
        69..=75 => b'M',
        77..=82 => b'N',
        84 => b'O',
        85 => b'P',
        86..=88 => b'Q',
        90..=93 => b'R',
        94..=96 => b'S',
        97 | 98 => b'T',
        99 => b'U',
        _ => return None,
    })
}
