//! Denials audited without letting one caller grow the chain without bound (issue 8 item 14): the
//! first denial of a caller on a route template in a minute is written at once (`authz.denied`, the
//! concrete path in its detail); the ones that follow in that minute are only counted, in memory of
//! this instance, and written as one more `authz.denied` record with `repeated: N` when the minute's
//! window is flushed — at the next denial after the minute (by anyone), by the binary's periodic
//! flush, or at shutdown. So a caller adds at most two records per route and minute, however fast it
//! asks; counts of an instance that dies before a flush are lost (the first record of each window is
//! not). Only denials of known callers are audited (a signed-in user or a token), so the windows held
//! are at most users × routes of the current minute.

use domain::audit::AuditAction;
use serde_json::json;
use std::collections::HashMap;
use std::sync::Mutex;
use store::audit::AuditDraft;
use store::{Ctx, Store};
use time::OffsetDateTime;

/// One caller's denials on one route in one minute.
#[derive(Debug)]
struct Window {
    minute: i64,
    ip: String,
    since: OffsetDateTime,
    repeated: u64,
}

/// The denials of this instance, by (caller, "METHOD /route/{template}").
#[derive(Debug, Default)]
pub struct DenialLog {
    windows: Mutex<HashMap<(String, String), Window>>,
}

/// A count to write: the denials after the first in one window.
struct Summary {
    actor: String,
    route: String,
    ip: String,
    since: OffsetDateTime,
    repeated: u64,
}

fn minute_of(t: OffsetDateTime) -> i64 {
    t.unix_timestamp().div_euclid(60)
}

impl DenialLog {
    /// Audit a denial of `actor` on `route` (method and route template) requested as `path`.
    pub async fn record(&self, store: &Store, actor: &str, ip: &str, route: &str, path: &str) {
        let at = store::now();
        let minute = minute_of(at);
        let (first, due) = {
            let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
            let due = take(&mut windows, |w| w.minute < minute);
            let key = (actor.to_string(), route.to_string());
            let first = match windows.get_mut(&key) {
                Some(w) => {
                    w.repeated += 1;
                    false
                }
                None => {
                    windows.insert(key, Window { minute, ip: ip.to_string(), since: at, repeated: 0 });
                    true
                }
            };
            (first, due)
        };
        write(store, due).await;
        if first {
            let ctx = Ctx { actor: actor.to_string(), ip: ip.to_string() };
            let draft = AuditDraft::new(AuditAction::AuthzDenied, route, json!({ "path": path }));
            if let Err(e) = store.audit(&ctx, draft).await {
                tracing::error!(error = %e, "could not audit a denial");
            }
        }
    }

    /// Write the counts of every window, finished or not, and forget them (periodic flush, shutdown).
    pub async fn flush(&self, store: &Store) {
        let due = take(&mut self.windows.lock().unwrap_or_else(|e| e.into_inner()), |_| true);
        write(store, due).await;
    }

    /// Write the counts of the windows of minutes that are over.
    pub async fn flush_finished(&self, store: &Store) {
        let minute = minute_of(store::now());
        let due = take(&mut self.windows.lock().unwrap_or_else(|e| e.into_inner()), |w| w.minute < minute);
        write(store, due).await;
    }
}

/// Remove the windows `done` selects; answer those with denials not yet written.
fn take(windows: &mut HashMap<(String, String), Window>, done: impl Fn(&Window) -> bool) -> Vec<Summary> {
    let keys: Vec<_> = windows.iter().filter(|(_, w)| done(w)).map(|(k, _)| k.clone()).collect();
    keys.into_iter()
        .filter_map(|k| {
            let w = windows.remove(&k)?;
            (w.repeated > 0).then_some(Summary {
                actor: k.0,
                route: k.1,
                ip: w.ip,
                since: w.since,
                repeated: w.repeated,
            })
        })
        .collect()
}

async fn write(store: &Store, due: Vec<Summary>) {
    for s in due {
        let ctx = Ctx { actor: s.actor, ip: s.ip };
        let since = s.since.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
        let draft =
            AuditDraft::new(AuditAction::AuthzDenied, s.route, json!({ "repeated": s.repeated, "since": since }));
        if let Err(e) = store.audit(&ctx, draft).await {
            tracing::error!(error = %e, "could not audit repeated denials");
        }
    }
}
