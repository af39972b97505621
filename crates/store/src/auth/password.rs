//! Password hashes (argon2id, default parameters) made and checked off the async runtime: a hash costs
//! tens of milliseconds of CPU and 19 MiB of memory, so it runs on kaohe's own hashing threads, a few at
//! a time, and callers hash before they open a transaction — no connection waits for a hash (issue 7
//! item 7; on SQLite every other request would). The hashing threads run at a lower scheduling priority
//! (nice 10 on Linux), so a burst of sign-ins never takes a core from the requests being answered: a
//! read preempts a hash, which goes on when a core is free (issue 10, "any read while 16 sign-ins run
//! at once").

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

/// One hash to run, with where its answer goes.
type Job = Box<dyn FnOnce() + Send>;

/// The hashing threads, fed through one queue: half the cores, at least one. A burst of sign-ins waits
/// in the queue (holding no connection) instead of taking every core — and 19 MiB of memory per hash —
/// so the server still answers everything else meanwhile.
static HASHERS: std::sync::LazyLock<std::sync::mpsc::Sender<Job>> = std::sync::LazyLock::new(|| {
    let (tx, rx) = std::sync::mpsc::channel::<Job>();
    let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get() / 2).max(1);
    for i in 0..threads {
        let rx = rx.clone();
        let spawned = std::thread::Builder::new().name(format!("kaohe-hash-{i}")).spawn(move || {
            below_requests();
            loop {
                // One thread waits for the queue at a time; the others wait for the lock.
                let job = match rx.lock() {
                    Ok(queue) => queue.recv(),
                    Err(_) => return,
                };
                match job {
                    // A panic loses that hash's answer (its caller gets an error), not the thread.
                    Ok(job) => drop(std::panic::catch_unwind(std::panic::AssertUnwindSafe(job))),
                    Err(_) => return,
                }
            }
        });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "password hashing thread");
        }
    }
    tx
});

/// Lower the calling thread's scheduling priority (nice 10: a tenth of a request thread's share of a
/// busy core). No crate wraps per-thread niceness; `setpriority` on the thread's id is Linux's way.
fn below_requests() {
    #[cfg(target_os = "linux")]
    // SAFETY: `gettid` and `setpriority` only read and set this thread's scheduling attributes.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        if libc::setpriority(libc::PRIO_PROCESS, tid, 10) != 0 {
            tracing::warn!("password hashing threads run at the requests' priority");
        }
    }
}

/// Run a hash on the hashing threads; one whose caller has gone (a dropped request) is skipped.
async fn off_runtime<T: Send + 'static>(work: impl FnOnce() -> StoreResult<T> + Send + 'static) -> StoreResult<T> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        if !tx.is_closed() {
            let _ = tx.send(work());
        }
    });
    HASHERS.send(job).map_err(|_| StoreError::service("password hasher", "the hashing threads have stopped"))?;
    rx.await.map_err(|e| StoreError::service("password hasher", e))?
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

    /// Issue 10: the hashes run on threads below the requests' priority (nice 10).
    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn hashes_run_below_the_requests_priority() {
        let nice = off_runtime(|| {
            // SAFETY: reads this thread's niceness.
            let tid = unsafe { libc::syscall(libc::SYS_gettid) } as libc::id_t;
            Ok(unsafe { libc::getpriority(libc::PRIO_PROCESS, tid) })
        })
        .await
        .expect("ran");
        // SAFETY: as above, for the test's own thread.
        let here = unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::syscall(libc::SYS_gettid) as libc::id_t) };
        assert!(nice >= 10, "a hash runs at nice 10 (or nicer when the process already is): {nice}");
        assert!(here < 10 || nice == here, "the runtime's threads keep their own priority: {here}");
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
