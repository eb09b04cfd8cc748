//! Normalisation for matching: names read as words (case, accents, punctuation, abbreviations
//! and legal suffixes set aside), identifiers in one canonical spelling per scheme, postcodes
//! split into their parts. Every function here is total: any text gives an answer, never a panic.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A name read for matching.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NameKey {
    /// Its words, lower-cased, without accents or punctuation, abbreviations spelled one way
    /// (`co-op`, `co-operative`, `cooperative` → `coop`), without stop words (`the`, `and`, `of`)
    /// and without the legal suffixes at its end (`Ltd`, `Limited`, `CIC`, `SCOP`, …).
    pub tokens: Vec<String>,
    /// The legal suffixes taken off, as written in the name (`Limited`, `(The)` is not one).
    pub removed: Vec<String>,
}

impl NameKey {
    /// The words joined by single spaces.
    pub fn joined(&self) -> String {
        self.tokens.join(" ")
    }
}

/// Legal-form words taken off the end of a name: they say what the organization is registered
/// as, not who it is (`Co-operative Group Limited` and `The Co-operative Group` are one name).
/// Compared after lower-casing and removing accents and dots (`S.A.R.L.` → `sarl`).
pub const LEGAL_SUFFIXES: &[&str] = &[
    "ltd",
    "limited",
    "ltda",
    "plc",
    "llp",
    "lp",
    "cic",
    "cio",
    "scio",
    "inc",
    "incorporated",
    "corp",
    "llc",
    "gmbh",
    "ag",
    "eg",
    "ev",
    "sa",
    "sas",
    "sasu",
    "sarl",
    "eurl",
    "scop",
    "scic",
    "sccl",
    "scoop",
    "sl",
    "srl",
    "spa",
    "scrl",
    "scarl",
    "bv",
    "nv",
    "asbl",
    "vzw",
    "ips",
    "cyfyngedig",
    "cyf",
];

/// Several words that together are a legal form (`community interest company`), taken off the end
/// of a name like the single-word suffixes. Written as their tokens after normalisation.
pub const LEGAL_PHRASES: &[&[&str]] = &[
    &["community", "interest", "company"],
    &["industrial", "provident", "society"],
    &["community", "benefit", "society"],
    &["charitable", "incorporated", "organisation"],
    &["limited", "liability", "partnership"],
    &["societe", "cooperative", "ouvriere", "production"],
];

/// Words that carry no identity and are dropped wherever they are.
pub const STOP_WORDS: &[&str] = &["the", "and", "of", "a", "an", "for", "le", "la", "les", "de", "des", "du", "et"];

/// Abbreviations and spellings read as one word (`(written, read as)`).
pub const ABBREVIATIONS: &[(&str, &str)] = &[
    ("coop", "coop"),
    ("coops", "coop"),
    ("cooperative", "coop"),
    ("cooperatives", "coop"),
    ("cooperativa", "coop"),
    ("cooperativo", "coop"),
    ("cooperation", "coop"),
    ("assoc", "association"),
    ("assn", "association"),
    ("asso", "association"),
    ("soc", "society"),
    ("ctr", "centre"),
    ("center", "centre"),
    ("intl", "international"),
    ("natl", "national"),
    ("utd", "united"),
    ("grp", "group"),
    ("hsg", "housing"),
    ("bros", "brothers"),
    ("dept", "department"),
    ("univ", "university"),
    ("mens", "men"),
    ("womens", "women"),
];

/// Reads a name for matching (see [`NameKey`]).
pub fn name_key(name: &str) -> NameKey {
    let raw = raw_words(name);
    // `co-op`, `co op`, `co-operative`: one word.
    let mut words: Vec<(String, String)> = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let (w, written) = &raw[i];
        if w == "co"
            && let Some((next, next_written)) = raw.get(i + 1)
            && matches!(next.as_str(), "op" | "ops" | "operative" | "operatives" | "operation")
        {
            words.push((format!("co{next}"), format!("{written}-{next_written}")));
            i += 2;
            continue;
        }
        words.push((w.clone(), written.clone()));
        i += 1;
    }
    // Expansions of a few abbreviations that stand for several words.
    let mut expanded: Vec<(String, String)> = Vec::with_capacity(words.len());
    for (w, written) in words {
        match w.as_str() {
            "wmc" => {
                for part in ["working", "men", "club"] {
                    expanded.push((part.to_string(), written.clone()));
                }
            }
            _ => {
                let read = ABBREVIATIONS.iter().find(|(a, _)| *a == w).map_or(w, |(_, r)| (*r).to_string());
                expanded.push((read, written));
            }
        }
    }
    // Legal suffixes at the end (with stop words such as a trailing "(The)" in between).
    let mut removed = Vec::new();
    loop {
        while expanded.last().is_some_and(|(w, _)| STOP_WORDS.contains(&w.as_str())) {
            expanded.pop();
        }
        if let Some((w, written)) = expanded.last()
            && LEGAL_SUFFIXES.contains(&w.as_str())
            && expanded.len() > 1
        {
            removed.push(written.clone());
            expanded.pop();
            continue;
        }
        let content: Vec<&str> = expanded.iter().map(|(w, _)| w.as_str()).filter(|w| !STOP_WORDS.contains(w)).collect();
        if let Some(phrase) = LEGAL_PHRASES.iter().find(|p| content.len() > p.len() && content.ends_with(p)) {
            let mut left = phrase.len();
            let mut taken = Vec::new();
            while left > 0 {
                let Some((w, written)) = expanded.pop() else { break };
                if !STOP_WORDS.contains(&w.as_str()) {
                    left -= 1;
                }
                taken.push(written);
            }
            taken.reverse();
            removed.push(taken.join(" "));
            continue;
        }
        break;
    }
    removed.reverse();
    let mut tokens: Vec<String> =
        expanded.into_iter().map(|(w, _)| w).filter(|w| !STOP_WORDS.contains(&w.as_str())).collect();
    // An acronym of the words before it, as in "Fowey Renewable Energy Enterprise (FREE)".
    if tokens.len() > 2 {
        let last = &tokens[tokens.len() - 1];
        let initials: String = tokens[..tokens.len() - 1].iter().filter_map(|t| t.chars().next()).collect();
        if *last == initials {
            tokens.pop();
        }
    }
    if tokens.is_empty() {
        // A name made only of legal or stop words is its own key.
        tokens = raw.into_iter().map(|(w, _)| w).collect();
        removed.clear();
    }
    NameKey { tokens, removed }
}

/// Folds a text for comparison: compatibility decomposition, accents removed, lower case, a few
/// letters that do not decompose spelled out (`œ` → `oe`, `ß` → `ss`).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            'ø' | 'Ø' => out.push('o'),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' => out.push('d'),
            '’' | '‘' | '`' | '´' => out.push('\''),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The words of a name, folded: `&` and `+` read as `and`, apostrophes dropped (`men's` →
/// `mens`), dotted initials joined (`E.O.M.` → `eom`), other punctuation a separator. Each word
/// comes with how it was written.
fn raw_words(name: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for chunk in name.split(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '\'' | '’' | '&' | '+'))) {
        if chunk.is_empty() {
            continue;
        }
        let folded = fold(chunk);
        // `&`/`+` inside a chunk ("M&S") separate words.
        for piece in folded.split(['&', '+']).enumerate().flat_map(|(i, p)| {
            let and = (i > 0).then_some("and");
            and.into_iter().chain(std::iter::once(p))
        }) {
            if piece.is_empty() {
                continue;
            }
            let piece = piece.replace('\'', "");
            let parts: Vec<&str> = piece.split('.').filter(|p| !p.is_empty()).collect();
            if parts.is_empty() {
                continue;
            }
            if parts.len() > 1 && parts.iter().all(|p| p.chars().count() == 1) {
                out.push((parts.concat(), chunk.to_string()));
            } else {
                for p in parts {
                    out.push((p.to_string(), chunk.to_string()));
                }
            }
        }
    }
    out
}

/// Schemes of registers that give one number to one legal entity: two records with different
/// numbers in one of these are two entities.
pub const REGISTRY_SCHEMES: &[&str] = &["gb_companies_house", "fr_siren", "lei"];

/// The canonical form of an identifier for matching, with the scheme it is compared under
/// (a SIRET's first nine digits are the SIREN): `None` for a value that identifies nothing
/// (empty, only zeros, or punctuation).
///
/// - `gb_companies_house`: upper case without spaces; numbers are eight characters, so a
///   number written without its leading zeros gets them back (`1234567` → `01234567`,
///   `SC12345` → `SC012345`).
/// - `fr_siren` / `fr_siret`: the digits; a SIRET (14 digits) also gives its SIREN.
/// - `lei`: 20 letters and digits, upper case.
/// - any other scheme: upper case, spaces and `-` `.` `/` removed.
pub fn identifier_key(scheme: &str, value: &str) -> Option<(String, String)> {
    let compact: String =
        value.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_uppercase).collect::<String>();
    if compact.is_empty() || compact.chars().all(|c| c == '0') {
        return None;
    }
    match scheme {
        "gb_companies_house" => {
            if !compact.is_ascii() {
                return Some((scheme.to_string(), compact));
            }
            let letters = compact.bytes().take_while(u8::is_ascii_alphabetic).count();
            let (prefix, digits) = compact.split_at(letters);
            if letters <= 2
                && !digits.is_empty()
                && digits.len() <= 8 - letters
                && digits.bytes().all(|b| b.is_ascii_digit())
            {
                let width = 8 - letters;
                Some((scheme.to_string(), format!("{prefix}{digits:0>width$}")))
            } else {
                Some((scheme.to_string(), compact))
            }
        }
        "fr_siren" | "fr_siret" => {
            let digits: String = compact.chars().filter(char::is_ascii_digit).collect();
            match digits.len() {
                9 => Some(("fr_siren".to_string(), digits)),
                14 => Some(("fr_siren".to_string(), digits[..9].to_string())),
                _ => Some((scheme.to_string(), compact)),
            }
        }
        _ => Some((scheme.to_string(), compact)),
    }
}

/// A postcode split for comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostcodeKey {
    /// The whole postcode, upper case, without spaces (`M600AG`).
    pub full: String,
    /// The district (a UK outward code, `M60`) when the postcode has that shape.
    pub district: Option<String>,
    /// The area (the letters of a UK outward code, `M`) when the postcode has that shape.
    pub area: Option<String>,
}

/// Reads a postcode. A UK postcode (outward code, then a digit and two letters) is split into
/// district and area; a letter `O` typed for the zero that starts the inward code is read as a
/// zero (`M60 OAS` is `M60 0AS`). Other postcodes are compared whole.
pub fn postcode_key(postcode: &str, country: Option<&str>) -> Option<PostcodeKey> {
    let mut full: String = postcode.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_uppercase).collect();
    if full.is_empty() {
        return None;
    }
    let uk_country = country.is_none_or(|c| {
        let c = c.trim().to_ascii_uppercase();
        matches!(
            c.as_str(),
            "GB" | "UK" | "UNITED KINGDOM" | "GREAT BRITAIN" | "ENGLAND" | "SCOTLAND" | "WALES" | "NORTHERN IRELAND"
        )
    });
    let shaped = uk_country && full.is_ascii() && (5..=7).contains(&full.len());
    if shaped {
        let mut bytes = full.clone().into_bytes();
        let n = bytes.len();
        if bytes[n - 3] == b'O' {
            bytes[n - 3] = b'0';
        }
        let inward_ok =
            bytes[n - 3].is_ascii_digit() && bytes[n - 2].is_ascii_alphabetic() && bytes[n - 1].is_ascii_alphabetic();
        let outward = &bytes[..n - 3];
        let outward_ok = outward.first().is_some_and(u8::is_ascii_alphabetic)
            && outward.iter().any(u8::is_ascii_digit)
            && outward.iter().all(u8::is_ascii_alphanumeric);
        if inward_ok && outward_ok {
            full = String::from_utf8_lossy(&bytes).into_owned();
            let district = full[..n - 3].to_string();
            let area: String = district.chars().take_while(char::is_ascii_alphabetic).collect();
            return Some(PostcodeKey { full, district: Some(district), area: Some(area) });
        }
    }
    Some(PostcodeKey { full, district: None, area: None })
}

/// A locality folded for comparison (`Saint-Étienne` → `saint etienne`).
pub fn locality_key(locality: &str) -> Option<String> {
    let words: Vec<String> = raw_words(locality).into_iter().map(|(w, _)| w).collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// Great-circle distance in kilometres between two points given in degrees.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}
