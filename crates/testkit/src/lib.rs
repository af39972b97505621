//! Test helpers shared by the crates' tests: a `TestApp` with a fresh database (SQLite by default,
//! PostgreSQL when `KAOHE_TEST_DATABASE_URL` is set), builders for organisations and users, and typed
//! in-process request helpers (`tower::ServiceExt::oneshot`, no network, no sleeping).

use axum::Router;
use axum::body::Body;
use domain::crypto::{Crypto, Suite};
use domain::org::{Principal, Role, SessionKind};
use http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use sea_orm::ConnectionTrait;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Mutex;
use store::auth::SecondFactor;
use store::orgs::OrgInput;
use store::users::UserInput;
use store::{Ctx, Store};
use tower::ServiceExt;

pub const PASSWORD: &str = "Test#Pass2026";
/// A fixed TOTP secret for test administrators (20 bytes).
pub const TOTP_SECRET: &[u8; 20] = b"kaohe-test-totp-key!";

/// Which database the tests run on.
pub fn database_kind() -> &'static str {
    if std::env::var("KAOHE_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) { "postgres" } else { "sqlite" }
}

/// A fresh, migrated database: a temporary SQLite file, or a new PostgreSQL database.
pub async fn fresh_store() -> (Store, Option<tempfile::TempDir>) {
    fresh_store_with(Suite::Gm).await
}

pub async fn fresh_store_with(suite: Suite) -> (Store, Option<tempfile::TempDir>) {
    let (url, dir) = fresh_database_url().await;
    let store = Store::connect(&url, Crypto::new(suite, [7u8; 32])).await.expect("connect");
    store.migrate().await.expect("migrate");
    (store, dir)
}

/// The URL of a new empty database.
pub async fn fresh_database_url() -> (String, Option<tempfile::TempDir>) {
    match std::env::var("KAOHE_TEST_DATABASE_URL") {
        Ok(admin) if !admin.is_empty() => {
            let name = format!("kaohe_t_{}", uuid::Uuid::new_v4().simple());
            let db = sea_orm::Database::connect(admin.clone()).await.expect("connect to KAOHE_TEST_DATABASE_URL");
            db.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create test database");
            db.close().await.ok();
            let base = match admin.rfind('/') {
                Some(i) if admin[..i].contains("://") && i > admin.find("://").unwrap_or(0) + 2 => &admin[..i],
                _ => admin.as_str(),
            };
            (format!("{base}/{name}"), None)
        }
        _ => {
            let dir = tempfile::tempdir().expect("tempdir");
            let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
            (url, Some(dir))
        }
    }
}

/// The application under test, with its database.
pub struct TestApp {
    pub store: Store,
    pub router: Router,
    /// The state the router was built with (its limiter and denial log, for tests that look inside).
    pub state: web::AppState,
    _dir: Option<tempfile::TempDir>,
    tokens: Mutex<HashMap<String, String>>,
    /// The client address of the requests that follow ([`TestApp::set_client`]).
    client: Mutex<std::net::SocketAddr>,
}

/// The address requests come from unless a test says otherwise ([`TestApp::set_client`]): exempt from
/// the rate limits in [`test_config`], and allowed to read `/metrics` (loopback).
pub const TEST_CLIENT: &str = "127.0.0.1";

/// The web settings of the tests: the defaults, with [`TEST_CLIENT`] exempt from the rate limits (a
/// test makes many requests from one address; the limits have tests of their own).
pub fn test_config() -> web::WebConfig {
    web::WebConfig { rate_limit_exempt: vec![TEST_CLIENT.parse().expect("address")], ..web::WebConfig::default() }
}

/// An answer to a request.
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: http::HeaderMap,
    pub body: String,
    /// The body as sent (files, spreadsheets).
    pub bytes: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    /// The first error code of an error envelope.
    pub fn error_code(&self) -> String {
        self.json()["errors"][0]["code"].as_str().unwrap_or_default().to_string()
    }
    pub fn location(&self) -> String {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
    }
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers.get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|c| {
            c.strip_prefix(&format!("{name}=")).map(|rest| rest.split(';').next().unwrap_or_default().to_string())
        })
    }
}

/// A browser-like session: cookie jar and CSRF token.
#[derive(Debug, Clone, Default)]
pub struct WebClient {
    pub cookies: HashMap<String, String>,
    pub csrf: String,
}

impl WebClient {
    fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }
}

/// The value of `name="csrf"` in a page.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    html.find(marker)
        .map(|i| html[i + marker.len()..].split('"').next().unwrap_or_default().to_string())
        .unwrap_or_default()
}

pub fn totp_code(secret: &[u8], username: &str, offset_steps: i64) -> String {
    let totp = totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret.to_vec())
        .with_account_name(username)
        .with_issuer(Some("湖南专项考核"))
        .build()
        .expect("totp");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_secs() as i64;
    totp.generate((now + offset_steps * 30).max(0) as u64).to_string()
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        let (store, dir) = fresh_store().await;
        Self::with_store(store, dir)
    }

    pub fn with_store(store: Store, dir: Option<tempfile::TempDir>) -> TestApp {
        Self::with_config(store, dir, test_config())
    }

    /// Two instances of the application on one database, as behind a load balancer (issue 10: what an
    /// instance caches must not outlive a change made through the other).
    pub async fn spawn_pair() -> (TestApp, TestApp) {
        let (url, dir) = fresh_database_url().await;
        let connect = || Store::connect(&url, Crypto::new(Suite::Gm, [7u8; 32]));
        let first = connect().await.expect("connect");
        first.migrate().await.expect("migrate");
        let second = connect().await.expect("connect the second instance");
        (Self::with_store(first, dir), Self::with_store(second, None))
    }

    /// The application with other web settings (cookies, limits, who reads `/metrics`).
    pub async fn spawn_with(config: web::WebConfig) -> TestApp {
        let (store, dir) = fresh_store().await;
        Self::with_config(store, dir, config)
    }

    pub fn with_config(store: Store, dir: Option<tempfile::TempDir>, config: web::WebConfig) -> TestApp {
        let state = web::AppState::new(store.clone(), config);
        let router = web::app(state.clone());
        let client = Mutex::new(std::net::SocketAddr::new(TEST_CLIENT.parse().expect("address"), 40000));
        TestApp { store, router, state, _dir: dir, tokens: Mutex::new(HashMap::new()), client }
    }

    /// Send the requests that follow from `ip` (as the server's `ConnectInfo` would see it).
    pub fn set_client(&self, ip: &str) {
        *self.client.lock().expect("lock") = std::net::SocketAddr::new(ip.parse().expect("an IP address"), 40000);
    }

    pub async fn org_id(&self, key: &str) -> i64 {
        self.store.find_org_by_key(key).await.expect("org").id
    }

    /// A station (or other organisation) in the given region code, with a valid credit code.
    pub async fn create_org(&self, name: &str, kind: &str, region: &str) -> i64 {
        let body = format!("91{region}MA{:07}", (name.chars().map(|c| c as u32).sum::<u32>() % 9_000_000) + 1_000_000);
        let body: String = body.chars().take(17).collect();
        let code = format!("{body}{}", domain::ids::credit_code_check_char(&body).expect("check char"));
        let input = OrgInput {
            name: name.into(),
            kind: kind.into(),
            nature: "enterprise".into(),
            credit_code: code,
            accept_credit_warning: false,
            region_code: region.into(),
            address: "湖南省测试市测试路 1 号".into(),
            contact_name: "张三".into(),
            contact_phone: "13800000000".into(),
        };
        self.store.create_org(&Principal::system(), &input, &Ctx::system()).await.expect("create org")
    }

    /// A user ready to sign in: password current, second factor enrolled for administrators.
    pub async fn create_user(&self, username: &str, roles: &[Role], org_id: i64) -> i64 {
        let input = UserInput {
            username: username.into(),
            display_name: "测试用户".into(),
            org_id: Some(org_id),
            roles: roles.iter().map(|r| r.id().to_string()).collect(),
            password: PASSWORD.into(),
            ..Default::default()
        };
        let id = self.store.create_user(&Principal::system(), &input, &Ctx::system()).await.expect("create user");
        self.store.mark_password_current(id).await.expect("mark");
        if roles.iter().any(|r| r.requires_second_factor()) {
            self.store.set_totp(id, TOTP_SECRET, true, &Ctx::system()).await.expect("totp");
        }
        id
    }

    /// A bearer token made directly in the store (no sign-in, no second factor): for tests of
    /// authorization, not of authentication.
    pub async fn direct_token(&self, username: &str) -> String {
        self.store
            .create_session(self.user_id(username).await, SessionKind::Api, SecondFactor::Done, "test", "")
            .await
            .expect("session")
            .token
    }

    /// The planned evaluation day comes (S3): a test cannot wait the ten working days of the lead
    /// time, so the filing's evaluation date moves to today — the state the calendar alone brings a
    /// real filing to.
    pub async fn evaluation_day_arrives(&self, filing_id: i64) {
        let sql = format!("UPDATE filings SET evaluation_date = '{}' WHERE id = {filing_id}", store::today());
        self.store
            .db
            .execute_raw(sea_orm::Statement::from_string(self.store.backend(), sql))
            .await
            .expect("move the evaluation date");
    }

    /// A complete web session made directly in the store, with the CSRF token of the session.
    pub async fn direct_web(&self, username: &str) -> WebClient {
        let mut c = WebClient::default();
        let s = self
            .store
            .create_session(self.user_id(username).await, SessionKind::Web, SecondFactor::Done, "", "")
            .await
            .expect("session");
        c.cookies.insert("kaohe_session".into(), s.token);
        c.csrf = s.csrf_token;
        c
    }

    /// The principal of a user, as a session would resolve it.
    pub async fn principal(&self, username: &str) -> Principal {
        let s = self
            .store
            .create_session(self.user_id(username).await, SessionKind::Api, SecondFactor::Done, "test", "")
            .await
            .expect("session");
        self.store
            .resolve_session(&s.token, SessionKind::Api)
            .await
            .expect("resolve")
            .expect("session exists")
            .principal
    }

    pub async fn user_id(&self, username: &str) -> i64 {
        let p = Principal::system();
        let page = self
            .store
            .list_users(
                &p,
                &store::users::UserQuery { q: Some(username.into()), ..Default::default() },
                store::PageReq::new(None, Some(200)),
            )
            .await
            .expect("users");
        page.items.into_iter().find(|u| u.username == username).map(|u| u.id).expect("user exists")
    }

    pub async fn request(&self, method: Method, path: &str, headers: &[(&str, String)], body: Body) -> Resp {
        let mut req = Request::builder().method(method).uri(path);
        for (k, v) in headers {
            req = req.header(*k, v);
        }
        let client = *self.client.lock().expect("lock");
        let req = req.extension(axum::extract::ConnectInfo(client)).body(body).expect("request");
        let resp = self.router.clone().oneshot(req).await.expect("infallible");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        Resp { status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes: bytes.to_vec() }
    }

    /// A bearer token for a user created by `create_user` (cached: TOTP steps are single-use).
    pub async fn token(&self, username: &str) -> String {
        if let Some(t) = self.tokens.lock().expect("lock").get(username) {
            return t.clone();
        }
        let mut last = None;
        for offset in [1, 0] {
            let body = serde_json::json!({ "username": username, "password": PASSWORD, "totp": totp_code(TOTP_SECRET, username, offset) });
            let r = self.post_json("/api/v1/auth/token", None, &body).await;
            if r.status == StatusCode::OK {
                let t = r.json()["token"].as_str().expect("token").to_string();
                self.tokens.lock().expect("lock").insert(username.to_string(), t.clone());
                return t;
            }
            last = Some(r);
        }
        panic!("no token for {username}: {last:?}");
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Resp {
        let h: Vec<(&str, String)> = token.map(|t| vec![("authorization", format!("Bearer {t}"))]).unwrap_or_default();
        self.request(Method::GET, path, &h, Body::empty()).await
    }

    /// GET with a raw `Cookie` header.
    pub async fn get_with_cookie(&self, path: &str, cookie: &str) -> Resp {
        self.request(Method::GET, path, &[("cookie", cookie.to_string())], Body::empty()).await
    }

    pub async fn send_json(&self, method: Method, path: &str, token: Option<&str>, body: &Value) -> Resp {
        let mut h = vec![("content-type", "application/json".to_string())];
        if let Some(t) = token {
            h.push(("authorization", format!("Bearer {t}")));
        }
        self.request(method, path, &h, Body::from(body.to_string())).await
    }

    pub async fn post_json(&self, path: &str, token: Option<&str>, body: &Value) -> Resp {
        self.send_json(Method::POST, path, token, body).await
    }

    /// Sign in through the pages; returns a client whose session is complete (second factor done).
    pub async fn web_login(&self, username: &str, password: &str) -> (WebClient, Resp) {
        let mut c = WebClient::default();
        let form = self.get("/login", None).await;
        c.csrf = csrf_of(&form.body);
        if let Some(pre) = form.cookie("kaohe_pre") {
            c.cookies.insert("kaohe_pre".into(), pre);
        }
        let r = self.web_post(&mut c, "/login", &[("username", username), ("password", password)]).await;
        (c, r)
    }

    /// GET a page with the client's cookies; keeps the CSRF token of the page.
    pub async fn web_get(&self, c: &mut WebClient, path: &str) -> Resp {
        let r = self.request(Method::GET, path, &[("cookie", c.cookie_header())], Body::empty()).await;
        if let Some(p) = r.cookie("kaohe_pre") {
            c.cookies.insert("kaohe_pre".into(), p);
        }
        let t = csrf_of(&r.body);
        if !t.is_empty() {
            c.csrf = t;
        }
        r
    }

    /// POST a form with the client's cookies and CSRF token; takes any new session cookie.
    pub async fn web_post(&self, c: &mut WebClient, path: &str, fields: &[(&str, &str)]) -> Resp {
        let mut pairs: Vec<(&str, &str)> = vec![("csrf", c.csrf.as_str())];
        pairs.extend_from_slice(fields);
        let body = serde_urlencoded_pairs(&pairs);
        let h = [("cookie", c.cookie_header()), ("content-type", "application/x-www-form-urlencoded".to_string())];
        let r = self.request(Method::POST, path, &h, Body::from(body)).await;
        if let Some(s) = r.cookie("kaohe_session") {
            if s.is_empty() {
                c.cookies.remove("kaohe_session");
            } else {
                c.cookies.insert("kaohe_session".into(), s);
            }
        }
        r
    }

    /// POST an upload form (the CSRF token, then the file part `file`) with the client's cookies.
    pub async fn web_upload(&self, c: &WebClient, path: &str, file_name: &str, bytes: &[u8]) -> Resp {
        let (ct, body) = multipart(&[("csrf", &c.csrf)], file_name, bytes);
        self.request(Method::POST, path, &[("cookie", c.cookie_header()), ("content-type", ct)], Body::from(body)).await
    }

    /// A full web session for a user made by `create_user` (second factor entered when needed).
    pub async fn web_session(&self, username: &str) -> WebClient {
        let (mut c, r) = self.web_login(username, PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "login of {username}: {}", r.body);
        if r.location() == "/login/totp" {
            self.web_get(&mut c, "/login/totp").await;
            for offset in [-1, 0, 1] {
                let code = totp_code(TOTP_SECRET, username, offset);
                let v = self.web_post(&mut c, "/login/totp", &[("code", code.as_str())]).await;
                if v.status == StatusCode::SEE_OTHER {
                    break;
                }
            }
        }
        let home = self.web_get(&mut c, "/home").await;
        assert_eq!(home.status, StatusCode::OK, "home of {username}: {} {}", home.location(), home.body);
        c
    }
}

fn serde_urlencoded_pairs(pairs: &[(&str, &str)]) -> String {
    pairs.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&")
}

fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A valid expert (P5) for tests.
pub fn expert_input(name: &str, id_number: &str, city: &str) -> store::experts::ExpertInput {
    store::experts::ExpertInput {
        name: name.into(),
        id_number: id_number.into(),
        employer_org_id: None,
        employer_name: "湖南省某职业技术学院".into(),
        title: "高级技师".into(),
        specialties: "烹饪、茶艺".into(),
        city_code: city.into(),
        phone: "13800000000".into(),
        status: "active".into(),
        note: String::new(),
    }
}

/// A valid registered person (E8–E10) for tests: employed by 湖南省某职业技术学院, card from the policy's
/// template; `projects` are catalog codes separated by 、 (assessors only).
pub fn person_input(
    kind: &str,
    name: &str,
    id_number: &str,
    city: &str,
    projects: &str,
) -> store::registry::PersonInput {
    store::registry::PersonInput {
        kind: kind.into(),
        name: name.into(),
        id_number: id_number.into(),
        phone: "13900000000".into(),
        city_code: city.into(),
        employer_name: "湖南省某职业技术学院".into(),
        projects: projects.into(),
        ..Default::default()
    }
}

/// A complete annex-1 application (S1, S2) for tests: the domain's example with the given name;
/// `category` decides the route, `region` the receiving city center.
pub fn application(name: &str, category: &str, region: &str) -> domain::stations::ApplicationInput {
    domain::stations::ApplicationInput {
        institution_name: name.into(),
        category: category.into(),
        region_code: region.into(),
        ..domain::stations::ApplicationInput::example()
    }
}

/// F2: the projects a station applies for come from the catalog. Adds each of `names` to the catalog
/// as a national-center project adopted and in force today (P1), by the system; answers their codes.
/// Tests of the station filing call it with [`EXAMPLE_PROJECTS`], the projects of the example
/// application.
pub async fn catalog(store: &Store, names: &[&str]) -> Vec<String> {
    use domain::projects::{AdoptionInput, SpecificationInput};
    let p = Principal::system();
    let mut codes = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let input = AdoptionInput {
            original_code: format!("ZX-TEST-{i:04}"),
            specification: SpecificationInput { name: (*name).into(), ..SpecificationInput::example() },
            ..AdoptionInput::example()
        };
        let id = store.record_adoption(&p, &input, &Ctx::system()).await.expect("record adoption");
        let approve = store::projects::ProjectActionInput {
            kind: "approve_adoption".into(),
            publication_date: store::today().to_string(),
            pilot: Some(false),
            ..Default::default()
        };
        store.act_on_project(&p, id, &approve, &Ctx::system()).await.expect("approve adoption");
        codes.push(store.get_project(&p, id).await.expect("project").summary.code.expect("code"));
    }
    codes
}

/// The id of the project with catalog `code`.
pub async fn project_id(store: &Store, code: &str) -> i64 {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    store::entity::project::Entity::find()
        .filter(store::entity::project::Column::Code.eq(code))
        .one(&store.db)
        .await
        .expect("read project")
        .unwrap_or_else(|| panic!("no project {code}"))
        .id
}

/// A paper row of a project (label A, record not assembled): for tests of what uses a paper (E2
/// releases), not of how one is assembled, which `store::question_bank` tests do.
pub async fn paper_row(store: &Store, project_id: i64) -> i64 {
    use sea_orm::{ActiveModelTrait, Set};
    let at = store::now();
    store::entity::qbank_paper::ActiveModel {
        project_id: Set(project_id),
        label: Set("A".into()),
        parallel_of: Set(None),
        record: Set("{}".into()),
        seed_enc: Set(String::new()),
        revealed: Set(false),
        created_by: Set("test".into()),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(&store.db)
    .await
    .expect("paper row")
    .id
}

/// The projects of `domain::stations::ApplicationInput::example()`.
pub const EXAMPLE_PROJECTS: [&str; 2] = ["米粉制作", "湘菜烹饪"];

impl TestApp {
    /// [`catalog`] of the example application's projects, so a filing of [`application`] may be saved
    /// and submitted (F2).
    pub async fn catalog_example_projects(&self) {
        catalog(&self.store, &EXAMPLE_PROJECTS).await;
    }
}

/// Findings by the six methods (S4) with the given conclusion (`pass` or `fail`).
pub fn findings(conclusion: &str) -> domain::stations::FindingsInput {
    domain::stations::FindingsInput { conclusion: conclusion.into(), ..domain::stations::FindingsInput::example() }
}

/// A minimal PDF, for attachments.
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

impl TestApp {
    /// Attach the four kinds of materials (S2) to a filing, as its applicant.
    pub async fn attach_materials(&self, applicant: &str, filing_id: i64) {
        let p = self.principal(applicant).await;
        for kind in domain::stations::MaterialKind::ALL {
            self.store
                .add_filing_attachment(
                    &p,
                    filing_id,
                    Some(*kind),
                    &format!("{}.pdf", kind.label()),
                    PDF,
                    &Ctx::system(),
                )
                .await
                .expect("attach");
        }
    }
}

/// A valid ID number from 17 digits (the check character computed).
pub fn id_number(body: &str) -> String {
    format!("{body}{}", domain::ids::id_number_check_char(body).expect("17 digits"))
}

impl TestApp {
    /// An expert of the committee (P5) who can also sign in (role `expert`, the same ID number): returns
    /// the expert id. `employer` makes the expert an employee of that organisation.
    pub async fn create_expert_with_account(
        &self,
        username: &str,
        name: &str,
        id_number: &str,
        city: &str,
        employer: Option<i64>,
    ) -> i64 {
        let system = Principal::system();
        let mut input = expert_input(name, id_number, city);
        input.employer_org_id = employer;
        let eid = self
            .store
            .create_expert(&system, &input, &Ctx::system())
            .await
            .unwrap_or_else(|e| panic!("expert {name}: {e:?}"));
        let u = UserInput {
            username: username.into(),
            display_name: "专家".into(),
            org_id: Some(self.org_id("430000").await),
            roles: vec!["expert".into()],
            password: PASSWORD.into(),
            id_number: id_number.into(),
            ..Default::default()
        };
        let uid = self.store.create_user(&system, &u, &Ctx::system()).await.expect("expert user");
        self.store.mark_password_current(uid).await.expect("mark");
        eid
    }

    /// Enter next year's holidays when they are not loaded yet ([`ensure_next_year_calendar`]).
    pub async fn ensure_next_year_calendar(&self) {
        ensure_next_year_calendar(&self.store).await.expect("next year's calendar");
    }
}

/// Enter next year's holidays when they are not loaded yet, as the province does (plans are made
/// working days ahead and may reach into next year): the tests and the load benchmark's seeding.
pub async fn ensure_next_year_calendar(store: &Store) -> store::StoreResult<()> {
    let next = store::today().year() + 1;
    if store.calendar().await?.year(next).is_none() {
        let day = time::Date::from_calendar_date(next, time::Month::January, 1)
            .map_err(|e| store::StoreError::corrupt("calendar", e))?;
        let arr = domain::calendar::YearArrangement {
            holidays: vec![domain::calendar::Holiday { name: "元旦".into(), start: day, end: day }],
            workdays: vec![],
        };
        store.set_calendar_year(&Principal::system(), next, arr, &Ctx::system()).await?;
    }
    Ok(())
}

/// A multipart/form-data body: text fields, then one file part named `file`. Returns the content type
/// and the body.
pub fn multipart(fields: &[(&str, &str)], file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let b = "kaohe-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{b}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={b}"), body)
}
