//! Terminal safety: text from records is shown with control characters neutralised, so that a
//! hostile name cannot move the cursor or rewrite the screen, and database URLs lose passwords.

/// Replaces control characters (except newline and tab) and bidirectional overrides with a visible
/// escape.
pub fn safe(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\t' => c.to_string(),
            c if c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c) || ('\u{2066}'..='\u{2069}').contains(&c) => {
                c.escape_unicode().to_string()
            }
            c => c.to_string(),
        })
        .collect()
}

/// A single-line version of [`safe`]: newlines and tabs become spaces.
pub fn line(text: &str) -> String {
    safe(text).replace(['\n', '\t'], " ")
}

/// A database address with any password replaced by `***`.
pub fn redact(db: &str) -> String {
    match (db.find("://"), db.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &db[scheme + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!("{}{}:***{}", &db[..scheme + 3], &userinfo[..colon], &db[at..]),
                None => db.to_string(),
            }
        }
        _ => db.to_string(),
    }
}

/// Cuts a text to `width` characters for a table cell, marking the cut with `…`.
pub fn cell(text: &str, width: usize) -> String {
    let text = line(text);
    if text.chars().count() <= width {
        format!("{text:<width$}")
    } else {
        let cut: String = text.chars().take(width.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_neutralised() {
        assert_eq!(safe("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(safe("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(line("a\nb"), "a b");
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(redact("postgres://u:secret@h:5432/db"), "postgres://u:***@h:5432/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("./solidaria.db"), "./solidaria.db");
    }

    #[test]
    fn cells_are_padded_or_cut() {
        assert_eq!(cell("abc", 5), "abc  ");
        assert_eq!(cell("abcdef", 4), "abc…");
    }
}
