//! Password hashes (argon2id, default parameters) made and checked off the async runtime: a hash costs
//! tens of milliseconds of CPU and 19 MiB of memory, so it runs on tokio's blocking pool, a few at a
//! time, and callers hash before they open a transaction — no connection waits for a hash (issue 7
//! item 7; on SQLite every other request would).

use crate::{StoreError, StoreResult};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

/// Hash a password, off the runtime; hash before opening a transaction, never inside one.
pub async fn hash_password(password: &str) -> StoreResult<String> {
    let password = password.to_owned();
    off_runtime(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h: PasswordHash| h.to_string())
            .map_err(|e| StoreError::service("password hasher", e))
    })
    .await
}

/// Whether `password` matches the stored hash of `record` (a user), checked off the runtime like
/// [`hash_password`]. Without a hash (an unknown user) it is checked against a dummy hash, so both
/// paths cost the same time, and answers false. A stored hash that does not parse is a corrupt record.
pub async fn verify_password(record: &str, hash: Option<&str>, password: &str) -> StoreResult<bool> {
    let known = hash.is_some();
    let hash = hash.unwrap_or(DUMMY_HASH).to_owned();
    let password = password.to_owned();
    let record = record.to_owned();
    off_runtime(move || {
        let h = PasswordHash::new(&hash).map_err(|e| StoreError::corrupt(format!("{record} password hash"), e))?;
        Ok(Argon2::default().verify_password(password.as_bytes(), &h).is_ok() && known)
    })
    .await
}

/// How many hashes run at once: half the cores, at least one. A burst of sign-ins waits here (holding
/// no connection) instead of taking every core — and 19 MiB of memory per hash — so the server still
/// answers everything else meanwhile.
static HASHING: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    tokio::sync::Semaphore::new((cores / 2).max(1))
});

/// Run a hash on the blocking pool, at most [`HASHING`]'s permits at once.
async fn off_runtime<T: Send + 'static>(work: impl FnOnce() -> StoreResult<T> + Send + 'static) -> StoreResult<T> {
    let _turn = HASHING.acquire().await.map_err(|e| StoreError::service("password hasher", e))?;
    tokio::task::spawn_blocking(work).await.map_err(|e| StoreError::service("password hasher", e))?
}

/// A hash of a password nobody has, made with argon2's default parameters (the same cost as every
/// real hash; a unit test keeps the two in step): verified against when the user does not exist.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$/xC3AssKR3OLdaEUHvETMA$OVsdC3OzClDaUaPRvhurP2SYi5El4qn7Ee1YrTEsl8M";

#[cfg(test)]
mod tests {
    use super::*;

    /// The dummy hash costs what a real one costs: the algorithm, version and parameters of a hash made
    /// now (when argon2's defaults change, this fails until the constant is made again).
    #[test]
    fn the_dummy_hash_costs_what_a_real_hash_costs() {
        let real = Argon2::default().hash_password(b"x").map(|h: PasswordHash| h.to_string()).expect("hash");
        let (real, dummy) = (PasswordHash::new(&real).expect("real"), PasswordHash::new(DUMMY_HASH).expect("dummy"));
        assert_eq!(
            (dummy.algorithm, dummy.version, dummy.params.to_string(), dummy.hash.map(|h| h.len())),
            (real.algorithm, real.version, real.params.to_string(), real.hash.map(|h| h.len()))
        );
    }

    #[tokio::test]
    async fn passwords_verify_off_the_runtime_and_an_unknown_user_never_matches() {
        let hash = hash_password("Right#Pass1").await.expect("hash");
        assert!(verify_password("user 1", Some(&hash), "Right#Pass1").await.expect("verify"));
        assert!(!verify_password("user 1", Some(&hash), "Wrong#Pass1").await.expect("verify"));
        assert!(!verify_password("user nobody", None, "not-a-real-password").await.expect("verify"));
        let e = verify_password("user 7", Some("not a hash"), "x").await.expect_err("corrupt");
        assert!(e.to_string().contains("user 7 password hash"), "{e}");
    }
}
