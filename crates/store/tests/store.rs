//! Store tests on SQLite, and on PostgreSQL when `KAOHE_TEST_DATABASE_URL` is set: the audit chain
//! catches every tampering, migrations are safe to run from several instances at once, changes
//! commit with their audit record or not at all, stored values that do not read back are errors
//! naming their record (V1, R2), and a sign-in does not hold the database while it hashes.

use domain::audit::BreakReason;
use domain::crypto::{Crypto, Suite};
use domain::org::{Principal, Role};
use sea_orm::{ConnectionTrait, EntityTrait, Statement};
use store::entity::audit_log;
use store::users::UserInput;
use store::{Ctx, Store};

async fn store_with_history() -> (Store, Option<tempfile::TempDir>) {
    let (store, dir) = testkit::fresh_store().await;
    let prov = store.find_org_by_key("430000").await.expect("province").id;
    for i in 0..12 {
        let input = UserInput {
            username: format!("user{i:02}"),
            display_name: "测试".into(),
            org_id: Some(prov),
            roles: vec![Role::ProvinceStaff.id().into()],
            password: testkit::PASSWORD.into(),
            ..Default::default()
        };
        store.create_user(&Principal::system(), &input, &Ctx::system()).await.expect("user");
    }
    assert_eq!(store.verify_audit_chain().await.expect("verify"), Ok(12));
    (store, dir)
}

async fn exec(store: &Store, sql: &str) {
    store.db.execute_unprepared(sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
}

#[tokio::test]
async fn audit_an_altered_record_is_caught_at_its_seq() {
    let (store, _d) = store_with_history().await;
    exec(&store, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 7").await;
    let b = store.verify_audit_chain().await.expect("verify").expect_err("tampering caught");
    assert_eq!((b.seq, b.reason), (7, BreakReason::Altered));
}

#[tokio::test]
async fn audit_a_removed_record_is_caught() {
    let (store, _d) = store_with_history().await;
    exec(&store, "DELETE FROM audit_log WHERE seq = 7").await;
    let b = store.verify_audit_chain().await.expect("verify").expect_err("removal caught");
    assert_eq!(b.seq, 8);
    assert_eq!(b.reason, BreakReason::Missing { expected: 7 });
}

#[tokio::test]
async fn audit_reordered_records_are_caught() {
    let (store, _d) = store_with_history().await;
    // Swap the contents of 7 and 8 (keeping the primary keys), as an editor of the table would.
    let rows = audit_log::Entity::find().all(&store.db).await.expect("rows");
    let (a, b) = (rows[6].clone(), rows[7].clone());
    for (target, src) in [(7, &b), (8, &a)] {
        let sql = format!(
            "UPDATE audit_log SET at = '{}', actor = '{}', action = '{}', target_id = '{}', detail = '{}', prev_hash = '{}', hash = '{}' WHERE seq = {target}",
            src.at,
            src.actor,
            src.action,
            src.target_id,
            src.detail.replace('\'', "''"),
            src.prev_hash,
            src.hash
        );
        exec(&store, &sql).await;
    }
    let brk = store.verify_audit_chain().await.expect("verify").expect_err("reorder caught");
    assert_eq!(brk.seq, 7);
}

#[tokio::test]
async fn audit_a_cut_off_tail_is_caught_by_the_chain_head() {
    let (store, _d) = store_with_history().await;
    exec(&store, "DELETE FROM audit_log WHERE seq >= 11").await;
    let b = store.verify_audit_chain().await.expect("verify").expect_err("truncation caught");
    assert_eq!(b.reason, BreakReason::Truncated { head_seq: 12 });
}

#[tokio::test]
async fn audit_chain_survives_a_switch_of_suite() {
    let (url, _d) = testkit::fresh_database_url().await;
    let gm = Store::connect(&url, Crypto::new(Suite::Gm, [7u8; 32])).await.expect("connect");
    gm.migrate().await.expect("migrate");
    gm.audit(
        &Ctx::system(),
        store::audit::AuditDraft::new(domain::audit::AuditAction::AuthzDenied, 1, serde_json::json!({})),
    )
    .await
    .expect("audit");
    gm.db.close_by_ref().await.ok();
    let intl = Store::connect(&url, Crypto::new(Suite::Intl, [7u8; 32])).await.expect("connect");
    intl.audit(
        &Ctx::system(),
        store::audit::AuditDraft::new(domain::audit::AuditAction::AuthzDenied, 2, serde_json::json!({})),
    )
    .await
    .expect("audit");
    let rows = audit_log::Entity::find().all(&intl.db).await.expect("rows");
    let algs: Vec<&str> = rows.iter().map(|r| r.hash_alg.as_str()).collect();
    assert_eq!(algs, vec!["sm3", "sha256"]);
    assert_eq!(intl.verify_audit_chain().await.expect("verify"), Ok(2));
}

#[tokio::test]
async fn a_failed_change_leaves_neither_data_nor_audit_record() {
    let (store, _d) = store_with_history().await;
    let prov = store.find_org_by_key("430000").await.expect("province").id;
    let dup = UserInput {
        username: "user03".into(),
        display_name: "重复".into(),
        org_id: Some(prov),
        roles: vec![Role::ProvinceStaff.id().into()],
        password: testkit::PASSWORD.into(),
        ..Default::default()
    };
    let err = store.create_user(&Principal::system(), &dup, &Ctx::system()).await.expect_err("duplicate refused");
    assert!(matches!(err, store::StoreError::Invalid(ref e) if e.get("username").is_some()), "{err:?}");
    assert_eq!(store.verify_audit_chain().await.expect("verify"), Ok(12), "no audit record for the refused change");
}

#[tokio::test]
async fn migrations_run_twice_and_from_two_instances_at_once() {
    let (url, _d) = testkit::fresh_database_url().await;
    let a = Store::connect(&url, Crypto::new(Suite::Gm, [1u8; 32])).await.expect("connect a");
    let b = Store::connect(&url, Crypto::new(Suite::Gm, [1u8; 32])).await.expect("connect b");
    let (ra, rb) = tokio::join!(a.migrate(), b.migrate());
    ra.expect("instance a migrates");
    rb.expect("instance b migrates");
    a.migrate().await.expect("idempotent");
    let row =
        a.db.query_one_raw(Statement::from_string(a.backend(), "SELECT COUNT(*) AS n FROM orgs"))
            .await
            .expect("count")
            .expect("row");
    let n: i64 = row.try_get("", "n").expect("n");
    assert_eq!(n, 15, "the province center and 14 city centers, seeded once");
}

#[tokio::test]
async fn p5_the_fourteen_city_centers_carry_their_gb2260_codes() {
    let (store, _d) = testkit::fresh_store().await;
    for (code, name) in domain::ids::HUNAN_CITIES {
        let org = store.find_org_by_key(code).await.unwrap_or_else(|_| panic!("{code}"));
        assert_eq!(org.name, format!("{name}职业技能鉴定中心"));
        assert_eq!(org.city_code.as_deref(), Some(code));
    }
}

/// S5 (and every later number): a serial is never handed out twice, however many transactions take
/// one at once; a transaction that rolls back gives its number back.
#[tokio::test]
async fn s5_serials_never_repeat_under_concurrent_transactions() {
    use sea_orm::TransactionTrait;
    let (store, _dir) = testkit::fresh_store().await;
    let mut tasks = Vec::new();
    for i in 0..16 {
        let db = store.db.clone();
        tasks.push(tokio::spawn(async move {
            let txn = db.begin().await?;
            let n = store::serials::next_serial(&txn, "institution_code:430100", 5).await?;
            tokio::task::yield_now().await;
            if i % 4 == 3 {
                txn.rollback().await?;
                return Ok::<_, store::StoreError>(None);
            }
            txn.commit().await?;
            Ok(Some(n))
        }));
    }
    let mut taken = Vec::new();
    for t in tasks {
        taken.extend(t.await.expect("task").expect("serial"));
    }
    taken.sort();
    assert_eq!(taken, (6..=17).collect::<Vec<i64>>(), "twelve committed, contiguous after the floor of 5");
    // Another key has its own sequence.
    let txn = sea_orm::TransactionTrait::begin(&store.db).await.expect("txn");
    assert_eq!(store::serials::next_serial(&txn, "institution_code:430200", 0).await.expect("serial"), 1);
}

async fn store_with_user(username: &str) -> (Store, Option<tempfile::TempDir>, i64) {
    let (store, dir) = testkit::fresh_store().await;
    let prov = store.find_org_by_key("430000").await.expect("province").id;
    let input = UserInput {
        username: username.into(),
        display_name: "测试".into(),
        org_id: Some(prov),
        roles: vec![Role::ProvinceStaff.id().into()],
        password: testkit::PASSWORD.into(),
        ..Default::default()
    };
    let id = store.create_user(&Principal::system(), &input, &Ctx::system()).await.expect("user");
    (store, dir, id)
}

/// Issue 7 item 7: password hashing runs off the runtime and outside any transaction. Twenty sign-ins
/// start at once, then a reader resolves a session ten times, one read after another (what every
/// request does first). The reader is done before half of the sign-ins are: hashing holds no
/// connection. When a sign-in hashed inside its transaction, SQLite's only connection (PostgreSQL's
/// few) stayed taken for each hash, each read queued behind the sign-ins, and the reader finished
/// with (nearly) the last of them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_does_not_hold_the_database_while_it_hashes() {
    use domain::org::SessionKind;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let (store, _d, id) = store_with_user("zhangsan").await;
    let token = store
        .create_session(id, SessionKind::Api, store::auth::SecondFactor::NotAsked, "test", "")
        .await
        .expect("session")
        .token;
    let signed_in = Arc::new(AtomicUsize::new(0));
    let sign_ins: Vec<_> = (0..20)
        .map(|_| {
            let (store, signed_in) = (store.clone(), signed_in.clone());
            tokio::spawn(async move {
                let r = store.authenticate("zhangsan", testkit::PASSWORD, "").await;
                signed_in.fetch_add(1, Ordering::SeqCst);
                r
            })
        })
        .collect();
    for _ in 0..10 {
        let s = store.resolve_session(&token, SessionKind::Api).await.expect("read").expect("session");
        assert_eq!(s.principal.user_id, id);
    }
    let done_when_read = signed_in.load(Ordering::SeqCst);
    for t in sign_ins {
        assert!(t.await.expect("task").expect("sign-in").is_ok(), "every sign-in succeeds");
    }
    assert!(done_when_read < 10, "the reader waited for {done_when_read} of 20 sign-ins");
}

/// V1: every policy entry's first version parses as its kind says, through the typed accessor that
/// notes the version a decision used.
#[tokio::test]
async fn v1_every_policy_value_parses_as_its_kind_and_notes_its_version() {
    use domain::policy::{DEFS, ValueKind};
    let (store, _d) = testkit::fresh_store().await;
    let mut used = store::policy::PolicyUsed::default();
    let day = store::today();
    for d in DEFS {
        match d.kind {
            ValueKind::Int { min, max } => {
                let n: i64 = store.policy_parsed(d.key, day, &mut used).await.expect(d.key);
                assert!((min..=max).contains(&n), "{}", d.key);
            }
            ValueKind::Money => {
                store.policy_parsed::<i64>(d.key, day, &mut used).await.expect(d.key);
            }
            ValueKind::Bool => {
                store.policy_parsed::<bool>(d.key, day, &mut used).await.expect(d.key);
            }
            ValueKind::Template | ValueKind::Fraction | ValueKind::List => {
                let v: String = store.policy_parsed(d.key, day, &mut used).await.expect(d.key);
                assert_eq!(v, d.default);
            }
            ValueKind::Choice(options) => {
                let v: String = store.policy_parsed(d.key, day, &mut used).await.expect(d.key);
                assert!(options.iter().any(|(o, _)| *o == v), "{}", d.key);
            }
        }
    }
    let noted = used.to_json();
    for d in DEFS {
        assert!(noted[d.key].as_i64().is_some(), "{} noted", d.key);
    }
    let same_city: bool =
        store.policy_parsed(domain::policy::keys::RECUSAL_SAME_CITY, day, &mut used).await.expect("bool");
    assert!(!same_city, "stored as \"false\"");
}

/// V1, issue 7 item 5: a stored policy value that does not parse is an error naming the key and the
/// version — for the typed accessor, the security settings read on every request, and the policy page
/// — never a hard-coded default.
#[tokio::test]
async fn v1_a_policy_value_that_does_not_parse_is_an_error_naming_key_and_version() {
    use domain::policy::keys::{LOCKOUT_THRESHOLD, RECUSAL_SAME_CITY};
    let (store, _d) = testkit::fresh_store().await;
    let day = store::today();
    for (key, bad) in [(RECUSAL_SAME_CITY, "yes"), (LOCKOUT_THRESHOLD, "five")] {
        exec(&store, &format!("UPDATE policy_versions SET value = '{bad}' WHERE key = '{key}'")).await;
    }
    let id = store.policy_on(RECUSAL_SAME_CITY, day).await.expect("version").version_id;
    let mut used = store::policy::PolicyUsed::default();
    let e = store.policy_parsed::<bool>(RECUSAL_SAME_CITY, day, &mut used).await.expect_err("not a bool");
    assert!(matches!(e, store::StoreError::Corrupt { .. }), "{e:?}");
    assert!(e.to_string().contains(&format!("policy {RECUSAL_SAME_CITY} version {id}")), "{e}");
    let e = store.security_settings().await.expect_err("not an integer");
    assert!(e.to_string().contains(&format!("policy {LOCKOUT_THRESHOLD} version")), "{e}");
    let admin = Principal::system();
    let e = store.policy_rows(&admin).await.expect_err("the page shows no value decisions cannot use");
    assert!(matches!(e, store::StoreError::Corrupt { .. }), "{e:?}");
}

/// R2, issue 7 item 1: a stored role, status or scope that names no value is an error naming the
/// record, never a default (an unknown role used to vanish, an unknown scope to become personal).
#[tokio::test]
async fn r2_a_stored_value_that_names_nothing_is_an_error_naming_the_record() {
    use domain::org::SessionKind;
    let (store, _d, id) = store_with_user("lisi").await;
    let token = store
        .create_session(id, SessionKind::Api, store::auth::SecondFactor::NotAsked, "test", "")
        .await
        .expect("session")
        .token;
    let admin = Principal::system();
    let cases = [
        (
            "UPDATE user_roles SET role = 'root'",
            format!("roles of user {id}"),
            "UPDATE user_roles SET role = 'province_staff'",
        ),
        ("UPDATE users SET status = 'frozen'", format!("user {id}"), "UPDATE users SET status = 'active'"),
        (
            "UPDATE users SET scope_kind = 'city', scope_city = NULL",
            format!("user {id} scope"),
            "UPDATE users SET scope_kind = 'province'",
        ),
    ];
    // Written past kaohe, so nothing bumps the accounts generation as a change through kaohe would
    // (issue 10: the caller cache keeps a principal while it stands); the test bumps it itself.
    let stale = "UPDATE generations SET value = value + 1 WHERE name = 'accounts'";
    for (corrupt, record, repair) in cases {
        exec(&store, corrupt).await;
        exec(&store, stale).await;
        let e = store.resolve_session(&token, SessionKind::Api).await.expect_err(corrupt);
        assert!(matches!(e, store::StoreError::Corrupt { .. }), "{corrupt}: {e:?}");
        assert!(e.to_string().contains(&record), "{corrupt}: {e}");
        if !corrupt.contains("scope") {
            let e = store.get_user(&admin, id).await.expect_err(corrupt);
            assert!(e.to_string().contains(&record), "{corrupt}: {e}");
        }
        exec(&store, repair).await;
        exec(&store, stale).await;
        assert!(store.resolve_session(&token, SessionKind::Api).await.expect("repaired").is_some());
    }
}

#[tokio::test]
async fn a_page_past_the_end_is_empty_whatever_its_number() {
    use store::PageReq;
    use store::orgs::OrgQuery;
    let (store, _d) = testkit::fresh_store().await;
    let admin = Principal::system();
    let q = OrgQuery::default();
    let all = store.list_orgs(&admin, &q, PageReq::new(None, Some(200))).await.expect("all");
    assert_eq!(all.items.len() as u64, all.total, "the seeded centers fit one page");
    let last = store.list_orgs(&admin, &q, PageReq::new(Some(2), Some(10))).await.expect("last page");
    assert_eq!(last.items.len() as u64, all.total - 10, "the last page holds the rest");
    for (page, per_page) in [
        (Some(i64::MAX as u64), None),
        (Some(u64::MAX), Some(u64::MAX)),
        (Some(u64::MAX / 2), Some(200)),
        (Some(PageReq::MAX_PAGE), Some(PageReq::MAX_PER_PAGE)),
    ] {
        let req = PageReq::new(page, per_page);
        assert!(req.page <= PageReq::MAX_PAGE && req.per_page <= PageReq::MAX_PER_PAGE, "{req:?} is bounded");
        let p = store.list_orgs(&admin, &q, req).await.unwrap_or_else(|e| panic!("{req:?}: {e}"));
        assert!(p.items.is_empty(), "{req:?} is past the end");
        assert_eq!(p.total, all.total);
    }
    // Built by hand, past every bound: still no overflow.
    for req in [PageReq { page: u64::MAX, per_page: u64::MAX }, PageReq { page: 0, per_page: 0 }] {
        let p = store.list_orgs(&admin, &q, req).await.unwrap_or_else(|e| panic!("{req:?}: {e}"));
        assert_eq!(p.total, all.total, "{req:?}");
    }
    let audit = store.list_audit(&admin, &Default::default(), PageReq { page: u64::MAX, per_page: 3 }).await;
    assert!(audit.expect("audit page").items.is_empty());
}
