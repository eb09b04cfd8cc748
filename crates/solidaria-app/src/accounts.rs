//! Accounts: password hashing (argon2id), random secrets (session, API and CSRF tokens) and the
//! digests under which tokens are stored. Who may do what is decided by
//! `solidaria_core::moderation::allows`; the web app's cookies and login limiter are HTTP matters
//! and stay in `solidaria-web`.

use crate::error::{AppError, AppResult, Code};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use sha2::Digest;
use solidaria_core::moderation::{Role, check_password, check_user_name};
use solidaria_store::Store;
use solidaria_store::accounts::{TokenInfo, User};

fn random(buf: &mut [u8]) -> AppResult<()> {
    getrandom::fill(buf)
        .map_err(|e| AppError::new(Code::System, format!("no randomness from the operating system: {e}")))
}

/// A fresh 256-bit secret as 64 hex digits (session tokens, API tokens, CSRF tokens).
pub fn new_secret() -> AppResult<String> {
    let mut buf = [0u8; 32];
    random(&mut buf)?;
    Ok(hex(&buf))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The digest under which a token is stored: SHA-256, hex. Tokens are 256 random bits, so a fast
/// hash suffices (no dictionary to guess from) and lookups stay one index probe.
pub fn token_digest(token: &str) -> String {
    hex(&sha2::Sha256::digest(token.as_bytes()))
}

/// Hashes a password with argon2id (the crate's defaults: 19 MiB, 2 passes, as OWASP advises)
/// and a random salt, as a PHC string.
pub fn hash_password(password: &str) -> AppResult<String> {
    let mut salt = [0u8; 16];
    random(&mut salt)?;
    let hashing =
        |e: argon2::password_hash::Error| AppError::new(Code::System, format!("password hashing failed: {e}"));
    let salt = SaltString::encode_b64(&salt).map_err(hashing)?;
    argon2::Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(hashing)
}

/// Whether `password` matches a PHC string (false for a malformed one).
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| argon2::Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A PHC string that no password matches, verified against when the user does not exist, so a
/// login takes as long for a missing user as for a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("no account has this password, it only spends time").unwrap_or_default())
}

/// Adds an account as `who`: the name and the password checked against the rules, the password
/// stored as an argon2id hash (slow by design: call it off any async runtime).
pub fn add_user(store: &mut dyn Store, who: &str, name: &str, role: Role, password: &str) -> AppResult<()> {
    check_user_name(name)?;
    check_password(password)?;
    let phc = hash_password(password)?;
    Ok(store.add_user(who, name, role, &phc)?)
}

/// Sets a user's password as `who`, after checking it against the rules (ending every session of
/// the account); `false` when there is no such user.
pub fn set_password(store: &mut dyn Store, who: &str, name: &str, password: &str) -> AppResult<bool> {
    check_password(password)?;
    let phc = hash_password(password)?;
    Ok(store.set_password(who, name, &phc)?)
}

/// Issues an API token for `user` as `who`, labelled (1 to 100 characters): a fresh 256-bit
/// secret, stored only as its digest; a `read_only` token reads and may not write. Returns the
/// token's number and the secret, which is shown once and never again.
pub fn issue_token(
    store: &mut dyn Store,
    who: &str,
    user: &str,
    label: &str,
    read_only: bool,
) -> AppResult<(i64, String)> {
    let label = label.trim();
    if label.is_empty() || label.chars().count() > 100 {
        return Err(AppError::new(Code::QueryInvalid, "label: expected 1 to 100 characters").at("label"));
    }
    if store.user(user)?.is_none() {
        return Err(AppError::new(
            Code::UserNotFound,
            format!("no user {user:?}: the accounts are listed by `solidaria user list` and /admin/users"),
        ));
    }
    let token = new_secret()?;
    let id = store.create_token(who, &token_digest(&token), user, label, read_only)?;
    Ok((id, token))
}

/// The API tokens of the account `user`, or of every account with `None` (an admin's list, the
/// command line's), revoked ones included with when.
pub fn tokens(store: &mut dyn Store, user: Option<&str>) -> AppResult<Vec<TokenInfo>> {
    Ok(store.tokens(user)?)
}

/// Revokes the token numbered `id` as `who`. With `owner`, only a token of that account (an
/// account revokes its own; an admin or the command line passes `None` and may revoke any):
/// `token_not_found` when no unrevoked token matches, whether or not another account holds a
/// token with that number (nothing is told about other accounts' tokens).
pub fn revoke_token(store: &mut dyn Store, who: &str, id: i64, owner: Option<&str>) -> AppResult<()> {
    let allowed = match owner {
        None => true,
        Some(o) => store.tokens(Some(o))?.iter().any(|t| t.id == id),
    };
    if !allowed || !store.revoke_token(who, id)? {
        let whose = if owner.is_some() { " of yours" } else { "" };
        return Err(AppError::new(Code::TokenNotFound, format!("no active token {id}{whose}")));
    }
    Ok(())
}

/// Disables the account `name` as the admin `who` (it can no longer log in; its sessions end and
/// its API tokens stop working at once) or enables it again (its unrevoked tokens work again; it
/// logs in anew). Logged in the account events. An admin may not disable their own account.
pub fn set_disabled(store: &mut dyn Store, who: &str, name: &str, disabled: bool) -> AppResult<()> {
    if disabled && who == name {
        return Err(AppError::new(
            Code::SelfDemotion,
            "an admin may not disable their own account (ask another admin)",
        ));
    }
    if !store.set_disabled(who, name, disabled)? {
        return Err(AppError::new(
            Code::UserNotFound,
            format!("no user {name:?}: the accounts are listed by `solidaria user list` and /admin/users"),
        ));
    }
    Ok(())
}

/// The account named `name`, acting from the command line (`--as NAME`): `user_not_found` when
/// there is none, `account_disabled` when it is disabled (a disabled account does nothing, on
/// the web or here).
pub fn acting_account(store: &mut dyn Store, name: &str) -> AppResult<User> {
    let user = store.user(name)?.ok_or_else(|| {
        AppError::new(Code::UserNotFound, format!("no account named {name:?} (see `solidaria user list`)"))
    })?;
    may_log_in(&user)?;
    Ok(user)
}

/// Whether `user`, whose password was just verified, may log in: not when the account is
/// disabled (`account_disabled`).
pub fn may_log_in(user: &User) -> AppResult<()> {
    if user.disabled() {
        return Err(AppError::new(
            Code::AccountDisabled,
            format!("the account {} is disabled: an admin may enable it again", user.name),
        ));
    }
    Ok(())
}

/// Compares two secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The actor the account `user` speaks for (`solidaria user link`), if any: the one lookup the
/// strategies' votes, a fund's managers and an organization's self-assessment rest on.
pub fn linked_actor(store: &mut dyn Store, user: &str) -> AppResult<Option<String>> {
    Ok(store.account_actors()?.into_iter().find(|(u, _)| u == user).map(|(_, a)| a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves_and_hashes_are_salted() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterz", &h));
        assert!(!verify_password("anything", "not a phc string"));
        assert_ne!(h, hash_password("correct horse battery").unwrap());
        assert!(!verify_password("", decoy_hash()));
    }

    #[test]
    fn accounts_and_tokens_follow_the_rules() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = solidaria_store::open(dir.path().join("a.db").to_str().unwrap()).unwrap();
        let s = store.as_mut();
        assert_eq!(add_user(s, "t", "ana", Role::Admin, "short").unwrap_err().code, Code::PasswordRejected);
        assert_eq!(
            add_user(s, "t", "Bad Name", Role::Admin, "a long passphrase").unwrap_err().code,
            Code::UserNameInvalid
        );
        add_user(s, "t", "ana", Role::Admin, "a long passphrase").unwrap();
        assert!(verify_password("a long passphrase", &s.user("ana").unwrap().unwrap().password_hash));
        assert_eq!(add_user(s, "t", "ana", Role::Admin, "another passphrase").unwrap_err().code, Code::NameTaken);
        assert_eq!(issue_token(s, "t", "ana", "  ", false).unwrap_err().code, Code::QueryInvalid);
        assert_eq!(issue_token(s, "t", "bob", "harvester", false).unwrap_err().code, Code::UserNotFound);
        let (_, token) = issue_token(s, "t", "ana", "harvester", false).unwrap();
        assert_eq!(s.token_user(&token_digest(&token)).unwrap().unwrap().user.name, "ana");
        let (_, token) = issue_token(s, "t", "ana", "dashboard", true).unwrap();
        assert!(s.token_user(&token_digest(&token)).unwrap().unwrap().read_only);
        assert!(set_password(s, "t", "ana", "a new long passphrase").unwrap());
        assert!(!set_password(s, "t", "nobody", "a new long passphrase").unwrap());
    }

    #[test]
    fn an_account_revokes_its_own_tokens_and_an_admin_anyone_s() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = solidaria_store::open(dir.path().join("a.db").to_str().unwrap()).unwrap();
        let s = store.as_mut();
        add_user(s, "t", "ana", Role::Admin, "a long passphrase").unwrap();
        add_user(s, "t", "bob", Role::Contributor, "a long passphrase").unwrap();
        let (anas, _) = issue_token(s, "t", "ana", "harvester", false).unwrap();
        let (bobs, _) = issue_token(s, "t", "bob", "dashboard", true).unwrap();
        let (bobs_other, _) = issue_token(s, "t", "bob", "phone", false).unwrap();
        assert_eq!(tokens(s, Some("bob")).unwrap().len(), 2);
        // Bob may not revoke Ana's token, nor learn that it exists.
        let e = revoke_token(s, "bob", anas, Some("bob")).unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            (Code::TokenNotFound, format!("no active token {anas} of yours").as_str())
        );
        assert!(tokens(s, Some("ana")).unwrap()[0].revoked_at.is_none());
        revoke_token(s, "bob", bobs, Some("bob")).unwrap();
        assert_eq!(revoke_token(s, "bob", bobs, Some("bob")).unwrap_err().code, Code::TokenNotFound, "once");
        // An admin (or the command line) revokes anyone's.
        revoke_token(s, "ana", bobs_other, None).unwrap();
        assert!(tokens(s, None).unwrap().iter().filter(|t| t.user == "bob").all(|t| t.revoked_at.is_some()));
        assert_eq!(revoke_token(s, "ana", 9999, None).unwrap_err().code, Code::TokenNotFound);
    }

    #[test]
    fn an_admin_disables_others_but_not_themselves() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = solidaria_store::open(dir.path().join("a.db").to_str().unwrap()).unwrap();
        let s = store.as_mut();
        add_user(s, "t", "ana", Role::Admin, "a long passphrase").unwrap();
        add_user(s, "t", "bob", Role::Contributor, "a long passphrase").unwrap();
        assert_eq!(set_disabled(s, "ana", "ana", true).unwrap_err().code, Code::SelfDemotion);
        assert_eq!(set_disabled(s, "ana", "ghost", true).unwrap_err().code, Code::UserNotFound);
        set_disabled(s, "ana", "bob", true).unwrap();
        let bo = s.user("bob").unwrap().unwrap();
        assert_eq!(may_log_in(&bo).unwrap_err().code, Code::AccountDisabled);
        assert_eq!(acting_account(s, "bob").unwrap_err().code, Code::AccountDisabled);
        assert_eq!(acting_account(s, "nobody").unwrap_err().code, Code::UserNotFound);
        set_disabled(s, "ana", "bob", false).unwrap();
        assert!(may_log_in(&s.user("bob").unwrap().unwrap()).is_ok());
        assert_eq!(acting_account(s, "bob").unwrap().name, "bob");
    }

    #[test]
    fn secrets_are_random_and_digests_fixed() {
        let (a, b) = (new_secret().unwrap(), new_secret().unwrap());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        // SHA-256 of "abc" (FIPS 180-2, appendix B.1).
        assert_eq!(token_digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert!(same_secret("abc", "abc") && !same_secret("abc", "abd") && !same_secret("abc", "ab"));
    }
}
