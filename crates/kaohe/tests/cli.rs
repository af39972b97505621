//! The operator's command line: calendar arithmetic (S3, E3), user creation, audit verification
//! (exit codes) and backups. Runs the real binary against a fresh database (SQLite, or PostgreSQL when
//! `KAOHE_TEST_DATABASE_URL` is set).

use std::path::Path;
use std::process::{Command, Output};

struct Env {
    dir: tempfile::TempDir,
    url: String,
    _db: Option<tempfile::TempDir>,
}

async fn env() -> Env {
    let (url, db) = testkit::fresh_database_url().await;
    Env { dir: tempfile::tempdir().expect("tempdir"), url, _db: db }
}

fn kaohe(env: &Env, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kaohe"))
        .arg("--data-dir")
        .arg(env.dir.path())
        .args(args)
        .env("KAOHE_DATABASE_URL", &env.url)
        .env("KAOHE_MASTER_KEY", "0707070707070707070707070707070707070707070707070707070707070707")
        .output()
        .expect("run kaohe")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).trim().to_string()
}

#[tokio::test]
async fn s3_calendar_add_prints_the_tenth_working_day_after_a_date() {
    let e = env().await;
    let o = kaohe(&e, &["calendar", "add", "2026-09-29", "10"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "2026-10-19");
}

#[tokio::test]
async fn s3_calendar_add_into_an_unloaded_year_is_an_error_not_a_guess() {
    let e = env().await;
    let o = kaohe(&e, &["calendar", "add", "2026-12-28", "10"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("2027 年节假日安排尚未录入"), "{}", stderr(&o));
    let bad = kaohe(&e, &["calendar", "add", "2026-13-01", "1"]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("YYYY-MM-DD"));
}

#[tokio::test]
async fn user_create_then_verify_audit_passes_and_fails_after_tampering() {
    let e = env().await;
    let o = kaohe(
        &e,
        &[
            "user",
            "create",
            "--username",
            "shengzhongxin",
            "--password",
            "Good#Pass2026",
            "--role",
            "province_staff",
            "--org",
            "430000",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let bad = kaohe(
        &e,
        &["user", "create", "--username", "x1", "--password", "weak", "--role", "emperor", "--org", "430100"],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("password") && stderr(&bad).contains("密码"), "{}", stderr(&bad));
    let unknown_org = kaohe(
        &e,
        &[
            "user",
            "create",
            "--username",
            "x2",
            "--password",
            "Good#Pass2026",
            "--role",
            "city_staff",
            "--org",
            "999999",
        ],
    );
    assert!(!unknown_org.status.success());
    assert!(stderr(&unknown_org).contains("找不到机构"));

    let ok = kaohe(&e, &["verify", "audit"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert!(stdout(&ok).contains("intact"));

    let store = store::Store::connect(&e.url, domain::crypto::Crypto::new(domain::crypto::Suite::Gm, [7u8; 32]))
        .await
        .expect("connect");
    use store::sea_orm::ConnectionTrait;
    store.db.execute_unprepared("UPDATE audit_log SET detail = '{}' WHERE seq = 1").await.expect("tamper");
    store.db.close_by_ref().await.ok();
    let broken = kaohe(&e, &["verify", "audit"]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(stderr(&broken).contains("seq 1") || stderr(&broken).contains("1"), "{}", stderr(&broken));
}

#[tokio::test]
async fn backup_makes_a_consistent_copy_of_the_sqlite_database() {
    let e = env().await;
    if e.url.starts_with("postgres") {
        let o = kaohe(&e, &["backup", "/tmp/never.db"]);
        assert!(!o.status.success() && stderr(&o).contains("pg_dump"));
        return;
    }
    let target = e.dir.path().join("copy.db");
    let o = kaohe(&e, &["backup", target.to_str().expect("path")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(Path::new(&target).exists());
    let copy = store::Store::connect(
        &format!("sqlite://{}", target.display()),
        domain::crypto::Crypto::new(domain::crypto::Suite::Gm, [7u8; 32]),
    )
    .await
    .expect("open copy");
    let orgs = copy.find_org_by_key("433100").await.expect("the copy holds the seeded centers");
    assert!(orgs.name.contains("湘西"));
    let again = kaohe(&e, &["backup", target.to_str().expect("path")]);
    assert!(!again.status.success(), "an existing file is not overwritten");
}

#[tokio::test]
async fn s4_verify_draw_matches_a_revealed_draw_and_refuses_a_tampered_export() {
    let e = env().await;
    assert!(kaohe(&e, &["migrate"]).status.success());
    let store = store::Store::connect(&e.url, domain::crypto::Crypto::new(domain::crypto::Suite::Gm, [7u8; 32]))
        .await
        .expect("connect");
    let system = domain::org::Principal::system();
    let ctx = store::Ctx::system();
    let changsha = store.find_org_by_key("430100").await.expect("org").id;
    store
        .create_expert(&system, &testkit::expert_input("专家甲", "360426199101010071", "430300"), &ctx)
        .await
        .expect("expert");
    store
        .create_expert(&system, &testkit::expert_input("专家乙", "110102199101010078", "430400"), &ctx)
        .await
        .expect("expert");
    let input = store::draws::DrawInput {
        title: "命令行验证".into(),
        applicant_org_id: Some(changsha),
        count: Some(1),
        ..Default::default()
    };
    let id = store.commit_draw(&system, &input, None, &ctx).await.expect("commit");
    store.perform_draw(&system, id, &ctx).await.expect("draw");
    let sealed = kaohe(&e, &["verify", "draw", &id.to_string()]);
    assert_eq!(sealed.status.code(), Some(2), "not verifiable before the seed is revealed: {}", stderr(&sealed));
    store.open_draw_seal(&system, id, &ctx).await.expect("open");
    let ok = kaohe(&e, &["verify", "draw", &id.to_string()]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let mut record = store.public_draw_record(id).await.expect("record");
    let file = e.dir.path().join("draw.json");
    std::fs::write(&file, serde_json::to_string(&record).expect("json")).expect("write");
    assert_eq!(kaohe(&e, &["verify", "draw", "--file", file.to_str().expect("path")]).status.code(), Some(0));
    record.pool_hash = "0".repeat(64);
    std::fs::write(&file, serde_json::to_string(&record).expect("json")).expect("write");
    let bad = kaohe(&e, &["verify", "draw", "--file", file.to_str().expect("path")]);
    assert_eq!(bad.status.code(), Some(1));
}

/// E2: `kaohe verify paper` re-derives an assembled paper from the database's record or an exported
/// file: 2 while the seed is sealed, 0 once revealed, 1 for a tampered record.
#[tokio::test]
async fn e2_verify_paper_re_derives_a_revealed_paper_and_refuses_a_tampered_export() {
    use store::sea_orm::{ActiveModelTrait, Set};
    let e = env().await;
    assert!(kaohe(&e, &["migrate"]).status.success());
    let store = store::Store::connect(&e.url, domain::crypto::Crypto::new(domain::crypto::Suite::Gm, [7u8; 32]))
        .await
        .expect("connect");
    let province = store.find_org_by_key("430000").await.expect("org").id;
    let system = domain::org::Principal { org_id: province, ..domain::org::Principal::system() };
    let ctx = store::Ctx::system();
    let at = store::now();
    let spec = domain::projects::SpecificationInput::example();
    let project = store::entity::project::ActiveModel {
        origin: Set(domain::projects::ProjectOrigin::Adopted),
        state: Set(domain::projects::ProjectState::InForce),
        name: Set(spec.name.clone()),
        receiver: Set(domain::projects::Receiver::Province),
        specification: Set(serde_json::to_string(&spec).expect("spec")),
        created_by: Set("test".into()),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(&store.db)
    .await
    .expect("project")
    .id;
    for i in 0..3 {
        let item = domain::question_bank::ItemInput {
            kind: "true_false".into(),
            task: 1,
            difficulty: "easy".into(),
            points: 1,
            stem: format!("卤菜判断题 {i}。"),
            answer: "正确".into(),
            ..Default::default()
        };
        let id = store.create_item(&system, project, &item, &ctx).await.expect("item");
        for step in [store::question_bank::ItemStep::Submit, store::question_bank::ItemStep::Approve] {
            store.item_step(&system, id, step, "", &ctx).await.expect("step");
        }
    }
    let bp = domain::question_bank::BlueprintInput {
        duration_minutes: 30,
        total_points: 2,
        rows: vec![domain::question_bank::BlueprintRowInput {
            task: 1,
            kind: "true_false".into(),
            difficulty: "any".into(),
            count: 2,
            points_each: 1,
        }],
    };
    store.save_blueprint(&system, project, &bp, &ctx).await.expect("blueprint");
    let paper = store.assemble_paper(&system, project, None, &ctx).await.expect("paper");
    let sealed = kaohe(&e, &["verify", "paper", &paper.to_string()]);
    assert_eq!(sealed.status.code(), Some(2), "sealed: {}", stderr(&sealed));
    store.reveal_paper(&system, paper, &ctx).await.expect("reveal");
    let ok = kaohe(&e, &["verify", "paper", &paper.to_string()]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert!(stdout(&ok).contains("verified"));
    let mut record = store.paper(&system, paper).await.expect("record").record;
    let file = e.dir.path().join("paper.json");
    std::fs::write(&file, serde_json::to_string(&record).expect("json")).expect("write");
    assert_eq!(kaohe(&e, &["verify", "paper", "--file", file.to_str().expect("path")]).status.code(), Some(0));
    record.picks[0].item_ids.reverse();
    std::fs::write(&file, serde_json::to_string(&record).expect("json")).expect("write");
    let bad = kaohe(&e, &["verify", "paper", "--file", file.to_str().expect("path")]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("组卷结果不符"), "{}", stderr(&bad));
}

/// Issue 9 item 16: a log that is not a terminal (a file, a journal) carries no colour codes.
#[tokio::test]
async fn logs_written_to_a_file_carry_no_colour_codes() {
    let env = env().await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_kaohe"))
        .arg("--data-dir")
        .arg(env.dir.path())
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("KAOHE_DATABASE_URL", &env.url)
        .env("KAOHE_MASTER_KEY", "0707070707070707070707070707070707070707070707070707070707070707")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("serve");
    std::thread::sleep(std::time::Duration::from_secs(4));
    child.kill().expect("stop");
    let out = child.wait_with_output().expect("output");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("INFO"), "the server logged: {text}");
    assert!(!text.contains('\u{1b}'), "no ANSI escapes: {text:?}");
}

/// A credential signed with the deployment's key (the master key `env` passes), as the server signs one.
fn signed_credential(master: [u8; 32]) -> serde_json::Value {
    use domain::certificates::{CertificateClaims, Signer, credential_document, published_key, sign_credential};
    let crypto = domain::crypto::Crypto::new(domain::crypto::Suite::Gm, master);
    let key = crypto.signing_key();
    let claims = CertificateClaims {
        number: "4301260001000001".into(),
        holder_name: "张三".into(),
        id_number_masked: "430***********123X".into(),
        project_code: "0001".into(),
        project_name: "湘绣针法".into(),
        station_name: "长沙市湘绣技能培训学校".into(),
        issuer_name: "长沙市职业技能鉴定中心".into(),
        issued_on: time::macros::date!(2026 - 12 - 04),
    };
    let signer = Signer {
        issuer_id: store::certificates::PROVINCE_URN.into(),
        verification_method: format!("{}#{}", store::certificates::KEYS_PATH, published_key(&key).id),
        created: "2026-12-05T00:00:00Z".into(),
    };
    sign_credential(credential_document(&claims, &signer, key.alg()), &key).expect("signed")
}

/// C1: `kaohe verify certificate FILE` checks a signed credential offline, against the deployment's
/// keys (from its master key) or a published keys file (`--keys`): a genuine one exits 0 and prints
/// what it states; an edited one, or one checked against another deployment's keys, exits 1 saying why.
#[tokio::test]
async fn c1_verify_certificate_checks_a_signed_credential_offline_through_the_binary() {
    let e = env().await;
    let doc = signed_credential([0x07; 32]);
    let file = e.dir.path().join("credential.json");
    std::fs::write(&file, serde_json::to_string_pretty(&doc).expect("json")).expect("write");
    let path = file.to_str().expect("path");
    let ok = kaohe(&e, &["verify", "certificate", path]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert!(stdout(&ok).contains("4301260001000001") && stdout(&ok).contains("张三"), "{}", stdout(&ok));

    // The published keys of this deployment verify it too; another deployment's do not.
    let keys = |master: [u8; 32]| {
        let crypto = domain::crypto::Crypto::new(domain::crypto::Suite::Gm, master);
        serde_json::to_string(&domain::certificates::keys_document(&crypto, store::certificates::PROVINCE_URN.into()))
            .expect("keys")
    };
    let ours = e.dir.path().join("ours.json");
    std::fs::write(&ours, keys([0x07; 32])).expect("write");
    let theirs = e.dir.path().join("theirs.json");
    std::fs::write(&theirs, keys([0x09; 32])).expect("write");
    let with = |k: &Path| kaohe(&e, &["verify", "certificate", path, "--keys", k.to_str().expect("path")]);
    assert_eq!(with(&ours).status.code(), Some(0), "{}", stderr(&with(&ours)));
    let other = with(&theirs);
    assert_eq!(other.status.code(), Some(1), "{}", stdout(&other));
    assert!(!stderr(&other).is_empty(), "says why");

    // An edited credential (the holder's name) fails.
    let mut edited = doc.clone();
    assert_eq!(edited["credentialSubject"]["name"], "张三");
    edited["credentialSubject"]["name"] = serde_json::json!("李四");
    std::fs::write(&file, serde_json::to_string(&edited).expect("json")).expect("write");
    let bad = kaohe(&e, &["verify", "certificate", path]);
    assert_eq!(bad.status.code(), Some(1), "{}", stdout(&bad));
    assert!(stderr(&bad).contains("credential.json"), "{}", stderr(&bad));
    // Not a credential at all.
    std::fs::write(&file, "not json").expect("write");
    assert_eq!(kaohe(&e, &["verify", "certificate", path]).status.code(), Some(1));
}
