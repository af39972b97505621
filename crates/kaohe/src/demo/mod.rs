//! First-start administrator and demo data (`serve --demo`): demo organisations and one account per
//! role, printed with their passwords so a newcomer can sign in at once.

use domain::ids::credit_code_check_char;
use domain::org::{Principal, Role};
use store::orgs::OrgInput;
use store::users::UserInput;
use store::{Ctx, Store, StoreError};

mod banks;
mod certificates;
mod fees;
mod filings;
mod finished;
mod panel;
mod projects;
mod qbank;
mod registry;
mod releases;
mod sessions;
mod specs;
mod subsidies;

use filings::{demo_filing, evaluation_day_filing, station, xiangwei_application};
use projects::{ProjectActors, demo_projects};

pub const DEMO_PASSWORD: &str = "Kaohe#2026";

/// The first administrators of a new installation, one for each part of the separation (三员分立,
/// issue 8 item 9): the system administrator keeps accounts and settings, the security administrator
/// grants roles, the audit administrator reviews both. Each gets a random password that must be
/// changed at first sign-in (and a second factor enrolled, as for every administrator).
pub async fn bootstrap_admin(store: &Store) -> anyhow::Result<()> {
    let org = store.find_org_by_key("430000").await?;
    for (username, name, role) in [
        ("admin", "系统管理员", Role::SystemAdmin),
        ("secadmin", "安全管理员", Role::SecurityAdmin),
        ("auditadmin", "审计管理员", Role::AuditAdmin),
    ] {
        let password = random_password()?;
        let input = UserInput {
            username: username.into(),
            display_name: name.into(),
            org_id: Some(org.id),
            roles: vec![role.id().into()],
            password: password.clone(),
            ..Default::default()
        };
        store.create_user(&Principal::system(), &input, &Ctx::system()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        println!("首次启动：已创建{name} {username}，初始密码 {password}（首次登录须修改密码并启用双因素认证）");
    }
    Ok(())
}

/// A random initial password from the OS random source; refuses to start rather than fall back to a
/// predictable one.
fn random_password() -> anyhow::Result<String> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
    let bytes = domain::draws::generate_seed().map_err(|e| anyhow::anyhow!("随机数源不可用：{e}"))?;
    let body: String = bytes[..12].iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect();
    Ok(format!("Kh{body}#7"))
}

fn credit(body: &str) -> String {
    match credit_code_check_char(body) {
        Some(c) => format!("{body}{c}"),
        None => body.to_string(),
    }
}

struct DemoOrg {
    key: String,
    input: OrgInput,
}

fn demo_orgs() -> Vec<DemoOrg> {
    let org =
        |name: &str, kind: &str, nature: &str, body: &str, region: &str, address: &str, contact: &str, phone: &str| {
            let code = credit(body);
            DemoOrg {
                key: code.clone(),
                input: OrgInput {
                    name: name.into(),
                    kind: kind.into(),
                    nature: nature.into(),
                    credit_code: code,
                    accept_credit_warning: false,
                    region_code: region.into(),
                    address: address.into(),
                    contact_name: contact.into(),
                    contact_phone: phone.into(),
                },
            }
        };
    vec![
        org(
            "长沙市湘味职业技能培训学校",
            "station",
            "private_non_enterprise",
            "52430100MJJ000011",
            "430104",
            "湖南省长沙市岳麓区麓谷大道 100 号",
            "刘芳",
            "0731-84567890",
        ),
        org(
            "株洲市炎陵黄桃产业协会",
            "station",
            "social_org",
            "51430200MJK000022",
            "430225",
            "湖南省株洲市炎陵县霞阳镇解放路 8 号",
            "陈刚",
            "13807330001",
        ),
        org(
            "湘西州民族工艺美术职业学校",
            "devunit",
            "vocational_school",
            "12433100MB0000033",
            "433101",
            "湖南省湘西州吉首市人民北路 20 号",
            "向红梅",
            "0743-8223456",
        ),
        org(
            "长沙市望城区铜官陶艺职业技能培训学校",
            "station",
            "private_non_enterprise",
            "52430112MJJ000044",
            "430112",
            "湖南省长沙市望城区铜官街道陶城路 18 号",
            "陈静",
            "0731-88501234",
        ),
        // A development unit in 长沙 (issue 11), so the 长沙 center has projects to review (P3).
        org(
            "湖南湘韵非遗技艺研究院",
            "devunit",
            "private_non_enterprise",
            "52430102MJJ000055",
            "430102",
            "湖南省长沙市芙蓉区五一大道 388 号",
            "彭丽",
            "0731-82256789",
        ),
        // A filed 长沙 station (E1, E3): its exam sessions (`sessions`).
        org(
            "长沙市岳麓区职业技能培训学校",
            "station",
            "private_non_enterprise",
            "52430104MJJ000066",
            "430104",
            "湖南省长沙市岳麓区麓谷大道 66 号",
            "黄丽",
            "0731-88126666",
        ),
    ]
}

/// The employers of the demo experts as organisations (recusal compares them with the applicant, S4):
/// (name, credit code body, county, address). 石春燕 works at the demo development unit, the others here.
const EXPERT_EMPLOYERS: &[(&str, &str, &str, &str)] = &[
    ("湖南商务职业技术学院", "12430000MB0000101", "430104", "湖南省长沙市岳麓区含浦大道 8 号"),
    ("株洲市职业技术学院", "12430200MB0000102", "430202", "湖南省株洲市荷塘区新华东路 2 号"),
    ("湘潭大学", "12430000MB0000103", "430302", "湖南省湘潭市雨湖区羊牯塘 27 号"),
    ("衡阳技师学院", "12430400MB0000104", "430405", "湖南省衡阳市珠晖区东风南路 6 号"),
    ("岳阳职业技术学院", "12430600MB0000106", "430602", "湖南省岳阳市岳阳楼区学院路 1 号"),
    ("常德职业技术学院", "12430700MB0000107", "430702", "湖南省常德市武陵区桃花源路 3 号"),
    ("益阳职业技术学院", "12430900MB0000108", "430902", "湖南省益阳市资阳区迎春路 5 号"),
];

fn employer_orgs() -> Vec<DemoOrg> {
    EXPERT_EMPLOYERS
        .iter()
        .map(|(name, body, region, address)| {
            let code = credit(body);
            DemoOrg {
                key: code.clone(),
                input: OrgInput {
                    name: (*name).into(),
                    kind: "other".into(),
                    nature: "vocational_school".into(),
                    credit_code: code,
                    accept_credit_warning: false,
                    region_code: (*region).into(),
                    address: (*address).into(),
                    contact_name: "办公室".into(),
                    contact_phone: "0731-80000000".into(),
                },
            }
        })
        .collect()
}

/// (username, display name, role, organisation key)
fn demo_accounts() -> Vec<(&'static str, &'static str, Role, usize)> {
    // Organisation index: 0 province center, 1 长沙市职业技能鉴定中心, 2.. the demo organisations above.
    vec![
        ("province_admin", "王建国", Role::ProvinceAdmin, 0),
        ("province_staff", "李思远", Role::ProvinceStaff, 0),
        ("qbank_officer", "赵敏", Role::QbankOfficer, 0),
        ("system_admin", "孙立", Role::SystemAdmin, 0),
        ("security_admin", "周安", Role::SecurityAdmin, 0),
        ("audit_admin", "吴审", Role::AuditAdmin, 0),
        ("city_admin", "郑长沙", Role::CityAdmin, 1),
        ("city_staff", "钱晓燕", Role::CityStaff, 1),
        ("station_staff", "刘芳", Role::StationStaff, 2),
        ("station_staff2", "陈静", Role::StationStaff, 5),
        ("station_staff3", "黄丽", Role::StationStaff, 7),
        ("devunit_staff", "向红梅", Role::DevunitStaff, 4),
        ("devunit_staff2", "彭丽", Role::DevunitStaff, 6),
        // The expert's organisation is their registry employer (set in `load`).
        ("expert", "欧阳明", Role::Expert, 4),
        ("assessor", "张伟", Role::Assessor, 2),
        ("supervisor", "黄督", Role::Supervisor, 1),
        ("candidate", "李小龙", Role::Candidate, 2),
    ]
}

/// Demo experts of the committee (P5), spread over the cities, valid ID numbers; each works at the
/// organisation of its registry entry (`employers`: name → id), which is also their account's.
/// Five of them cover the draft filing's projects (米粉制作, 湘菜烹饪), so the default group of five can be
/// drawn with the filing's projects as its specialties (issue 9 item 13); at least three cover each
/// demo project's fields (P4, a group of three: `projects`), exactly three 武冈卤菜加工's.
fn demo_experts(employers: &std::collections::HashMap<String, i64>) -> Vec<store::experts::ExpertInput> {
    let e = |name: &str, body: &str, employer: &str, title: &str, specialties: &str, city: &str, phone: &str| {
        let id = match domain::ids::id_number_check_char(body) {
            Some(c) => format!("{body}{c}"),
            None => body.to_string(),
        };
        store::experts::ExpertInput {
            name: name.into(),
            id_number: id,
            employer_org_id: employers.get(employer).copied(),
            employer_name: employer.into(),
            title: title.into(),
            specialties: specialties.into(),
            city_code: city.into(),
            phone: phone.into(),
            status: "active".into(),
            note: String::new(),
        }
    };
    vec![
        e(
            "欧阳明",
            "43010219700101123",
            "湖南商务职业技术学院",
            "教授",
            "烹饪、米粉制作、湘菜烹饪",
            "430100",
            "13907310001",
        ),
        e("谭晓红", "43020319750203234", "株洲市职业技术学院", "高级讲师", "茶艺、湘菜烹饪", "430200", "13907330002"),
        e(
            "刘建华",
            "43030419680304345",
            "湘潭大学",
            "副教授",
            "烹饪、卤菜加工、湘菜烹饪、食品加工",
            "430300",
            "13907320003",
        ),
        e("何丽娟", "43040519800405456", "衡阳技师学院", "高级技师", "湘绣、苗绣、民族工艺", "430400", "13907340004"),
        e(
            "石春燕",
            "43312219820506567",
            "湘西州民族工艺美术职业学校",
            "高级工艺美术师",
            "苗绣、土家织锦、银饰锻造、民族工艺",
            "433100",
            "13907430005",
        ),
        e(
            "王志强",
            "43060219720607678",
            "岳阳职业技术学院",
            "高级技师",
            "白酒酿制、烹饪、湘菜烹饪、食品加工",
            "430600",
            "13907300006",
        ),
        e(
            "陈芳",
            "43070219790708789",
            "常德职业技术学院",
            "讲师",
            "米粉制作、莓茶制作、食品加工",
            "430700",
            "13907360007",
        ),
        e(
            "周敏",
            "43090219860809890",
            "益阳职业技术学院",
            "技师",
            "旅拍摄影、形象设计、民族工艺",
            "430900",
            "13907370008",
        ),
    ]
}

/// Find an organisation by its key, or create it.
async fn ensure_org(store: &Store, o: &DemoOrg, ctx: &Ctx) -> anyhow::Result<i64> {
    Ok(match store.find_org_by_key(&o.key).await {
        Ok(m) => m.id,
        Err(StoreError::NotFound) => store
            .create_org(&Principal::system(), &o.input, ctx)
            .await
            .map_err(|e| anyhow::anyhow!("演示机构 {}：{e}", o.input.name))?,
        Err(e) => return Err(e.into()),
    })
}

pub async fn load(store: &Store) -> anyhow::Result<()> {
    let system = Principal::system();
    let ctx = Ctx { actor: "demo".into(), ip: String::new() };
    let mut org_ids = vec![store.find_org_by_key("430000").await?.id, store.find_org_by_key("430100").await?.id];
    for o in demo_orgs() {
        org_ids.push(ensure_org(store, &o, &ctx).await?);
    }
    // Each expert's employer is an organisation of its own (issue 9 item 6): recusal compares it with
    // the applicant, and the expert's account belongs to it.
    let mut employers = std::collections::HashMap::new();
    employers.insert("湘西州民族工艺美术职业学校".to_string(), org_ids[4]);
    for o in employer_orgs() {
        employers.insert(o.input.name.clone(), ensure_org(store, &o, &ctx).await?);
    }
    let experts = demo_experts(&employers);
    for input in &experts {
        match store.create_expert(&system, input, &ctx).await {
            Ok(_) => {}
            Err(StoreError::Invalid(e)) if e.get("id_number").is_some_and(|e| e.code == "EXPERT_EXISTS") => {}
            Err(e) => return Err(anyhow::anyhow!("演示专家 {}：{e}", input.name)),
        }
    }
    let employer_of = |n: usize| experts[n].employer_org_id.unwrap_or(org_ids[4]);
    let mut created = std::collections::HashMap::new();
    // The committee's experts with accounts made in this run, by name → user id (they file the demo
    // projects' review opinions).
    let mut expert_users = std::collections::HashMap::new();
    println!("演示账号（密码均为 {DEMO_PASSWORD}；管理员账号首次登录须启用双因素认证）：");
    for (username, name, role, org) in demo_accounts() {
        // The demo expert signs in with the ID number of the registry's 欧阳明, so drawn reviews show up.
        let (id_number, org_id) = if role == Role::Expert {
            (experts[0].id_number.clone(), employer_of(0))
        } else if role == Role::Candidate {
            // The demo candidate applies online (issue 12) with their own ID number.
            (sessions::demo_candidate_id_number()?, org_ids[org])
        } else {
            (String::new(), org_ids[org])
        };
        let input = UserInput {
            username: username.into(),
            display_name: name.into(),
            org_id: Some(org_id),
            roles: vec![role.id().into()],
            password: DEMO_PASSWORD.into(),
            id_number,
            ..Default::default()
        };
        match store.create_user(&system, &input, &ctx).await {
            Ok(id) => {
                store.mark_password_current(id).await?;
                created.insert(username, (id, org_id, name));
                if role == Role::Expert {
                    expert_users.insert(experts[0].name.clone(), id);
                }
            }
            Err(StoreError::Invalid(e)) if e.get("username").is_some_and(|e| e.code == "USERNAME_TAKEN") => {}
            Err(e) => return Err(anyhow::anyhow!("演示账号 {username}：{e}")),
        }
        println!("  {username:<16} {}（{name}）", role.label());
    }
    // The other experts of the registry sign in too, so a drawn group can finish its findings (S4).
    for (n, expert) in experts.iter().enumerate().skip(1) {
        let input = UserInput {
            username: format!("expert{}", n + 1),
            display_name: expert.name.clone(),
            org_id: Some(employer_of(n)),
            roles: vec![Role::Expert.id().into()],
            password: DEMO_PASSWORD.into(),
            id_number: expert.id_number.clone(),
            ..Default::default()
        };
        match store.create_user(&system, &input, &ctx).await {
            Ok(id) => {
                store.mark_password_current(id).await?;
                expert_users.insert(expert.name.clone(), id);
            }
            Err(StoreError::Invalid(e)) if e.get("username").is_some_and(|e| e.code == "USERNAME_TAKEN") => {}
            Err(e) => return Err(anyhow::anyhow!("演示账号 {}：{e}", input.username)),
        }
    }
    println!(
        "其余 {} 位专家库专家的账号：expert2 … expert{}（密码相同；抽入评议组后填写评估意见）",
        experts.len() - 1,
        experts.len()
    );
    // The projects and filings exist once: with the accounts made in this run. The projects come first:
    // a filing applies for catalog projects (F2).
    let who = |username: &str| created.get(username).copied();
    let city = who("city_staff").map(|(user_id, org_id, name)| Principal {
        user_id,
        username: "city_staff".into(),
        display_name: name.into(),
        org_id,
        org_name: domain::stations::city_center_name("长沙市"),
        roles: vec![Role::CityStaff],
        scope: domain::org::DataScope::City("430100".into()),
    });
    let province = who("province_staff").map(|(user_id, org_id, name)| Principal {
        user_id,
        username: "province_staff".into(),
        display_name: name.into(),
        org_id,
        org_name: "湖南省职业技能鉴定中心".into(),
        roles: vec![Role::ProvinceStaff],
        scope: domain::org::DataScope::Province,
    });
    let unit = |username: &str, org_name: &str| {
        who(username).map(|(user_id, org_id, name)| Principal {
            user_id,
            username: username.into(),
            display_name: name.into(),
            org_id,
            org_name: org_name.into(),
            roles: vec![Role::DevunitStaff],
            scope: domain::org::DataScope::Org(org_id),
        })
    };
    if let (Some(xiangxi_unit), Some(changsha_unit), Some(city), Some(province)) = (
        unit("devunit_staff", "湘西州民族工艺美术职业学校"),
        unit("devunit_staff2", "湖南湘韵非遗技艺研究院"),
        city.as_ref(),
        province.as_ref(),
    ) {
        let actors = ProjectActors {
            xiangxi_unit: &xiangxi_unit,
            changsha_unit: &changsha_unit,
            city,
            province,
            experts: &expert_users,
        };
        demo_projects(store, &actors, &ctx).await.map_err(|e| anyhow::anyhow!("演示考核项目：{e:#}"))?;
        qbank::demo_bank(store, who("qbank_officer"), &ctx).await?;
        releases::demo_release(store, city, &ctx).await?;
    }
    registry::demo_registry(store, &org_ids, &ctx).await?;
    if let Some((user_id, org_id, name)) = who("station_staff") {
        let p = station(user_id, "station_staff", name, org_id);
        demo_filing(store, &p, xiangwei_application()).await?;
    }
    if let (Some(station3), Some(city)) = (who("station_staff3"), city.as_ref()) {
        let p = station(station3.0, "station_staff3", station3.2, station3.1);
        sessions::filed_station(store, station3.1, "长沙市岳麓区职业技能培训学校").await?;
        let candidate = who("candidate").map(|(user_id, org_id, name)| Principal {
            user_id,
            username: "candidate".into(),
            display_name: name.into(),
            org_id,
            org_name: String::new(),
            roles: vec![Role::Candidate],
            scope: domain::org::DataScope::Person(user_id),
        });
        sessions::demo_sessions(store, &p, city, candidate.as_ref()).await?;
        // F3: the subsidy of the certificates the finished session's candidates were issued.
        if let Some((user_id, org_id, name)) = who("province_admin") {
            let admin = Principal {
                user_id,
                username: "province_admin".into(),
                display_name: name.into(),
                org_id,
                org_name: "湖南省职业技能鉴定中心".into(),
                roles: vec![Role::ProvinceAdmin],
                scope: domain::org::DataScope::Province,
            };
            subsidies::demo_subsidies(store, &admin, city, &ctx).await?;
        }
    }
    if let (Some(station2), Some(city), Some(province)) = (who("station_staff2"), city.as_ref(), province.as_ref()) {
        let p = station(station2.0, "station_staff2", station2.2, station2.1);
        evaluation_day_filing(store, &p, city, province).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use store::entity::{expert, filing, org, user};

    #[tokio::test]
    async fn i9_6_each_demo_expert_account_belongs_to_its_registry_employer() {
        let (store, _dir) = testkit::fresh_store().await;
        load(&store).await.expect("demo loads");
        let experts = expert::Entity::find().all(&store.db).await.expect("experts");
        assert_eq!(experts.len(), 8);
        let mut employers = std::collections::BTreeSet::new();
        for e in &experts {
            let account = user::Entity::find()
                .filter(user::Column::DisplayName.eq(e.name.clone()))
                .filter(user::Column::Username.starts_with("expert"))
                .one(&store.db)
                .await
                .expect("read")
                .unwrap_or_else(|| panic!("an account for {}", e.name));
            let o = org::Entity::find_by_id(account.org_id).one(&store.db).await.expect("read").expect("org");
            assert_eq!(o.name, e.employer_name, "{}'s account sits at their registry employer", e.name);
            assert_eq!(e.employer_org_id, Some(account.org_id), "{}'s registry entry names the same org", e.name);
            employers.insert(o.name);
        }
        assert_eq!(employers.len(), 8, "eight experts, eight employers: {employers:?}");
    }

    #[tokio::test]
    async fn i9_6_the_demo_has_a_draft_and_a_filing_on_its_evaluation_day() {
        let (store, _dir) = testkit::fresh_store().await;
        load(&store).await.expect("demo loads");
        let filings = filing::Entity::find().all(&store.db).await.expect("filings");
        assert!(filings.iter().any(|f| f.state == domain::stations::FilingState::Draft), "the draft is kept");
        let cal = store.calendar().await.expect("calendar");
        if cal.add_working_days(store::today(), 10).is_err() {
            // Next year's holidays are not entered: the plan cannot be reported, the filing waits for it.
            assert!(filings.iter().any(|f| f.state == domain::stations::FilingState::Accepted));
            return;
        }
        let ready = filings
            .iter()
            .find(|f| f.state == domain::stations::FilingState::GroupDrawn)
            .expect("a filing waiting for its evaluation to start");
        assert_eq!(ready.evaluation_date, Some(store::today()));
        assert!(ready.draw_id.is_some(), "its group is drawn");
        assert!(ready.reference.is_some(), "submitted, so numbered");
        // Its timeline says the date was moved for the demo, so it does not contradict the plan card.
        let timeline: Vec<store::workflow::TimelineItem<domain::stations::FilingState>> =
            store.timeline(domain::workflow::SubjectKind::Filing, &ready.id.to_string()).await.expect("timeline");
        assert!(timeline.iter().any(|t| t.comment.contains("评估日期调整为今天")), "{timeline:?}");
        // Loading again adds nothing (the accounts exist).
        load(&store).await.expect("demo loads twice");
        assert_eq!(filing::Entity::find().all(&store.db).await.expect("filings").len(), filings.len());
    }

    #[tokio::test]
    async fn p1_p3_p4_p8_f2_each_acting_role_finds_a_demo_project_to_act_on() {
        use domain::projects::ProjectState as S;
        use domain::workflow::SubjectKind;
        let (store, _dir) = testkit::fresh_store().await;
        load(&store).await.expect("demo loads");
        let states = projects::states(&store).await;
        let expected = [
            ("黄金茶制作", S::Draft),
            ("土家织锦制作", S::Submitted),
            ("银饰锻造", S::Forwarded),
            ("武冈卤菜加工", S::Reviewing),
            ("馥郁香型白酒酿制", S::Pilot),
            ("铜官窑陶艺制作", S::Pilot),
            ("莓茶制作", S::InForce),
            ("湘菜烹饪", S::InForce),
            ("米粉制作", S::InForce),
        ];
        for (name, state) in expected {
            assert_eq!(states.get(name), Some(&state), "{name}: {states:?}");
        }
        // Each acting role has its to-do: the 长沙 center forwards, the province draws, the expert files.
        let principal = |username: &str| {
            let store = &store;
            let username = username.to_string();
            async move {
                let u = user::Entity::find()
                    .filter(user::Column::Username.eq(username.clone()))
                    .one(&store.db)
                    .await
                    .expect("read")
                    .unwrap_or_else(|| panic!("{username}"));
                let s = store
                    .create_session(u.id, domain::org::SessionKind::Api, store::auth::SecondFactor::Done, "test", "")
                    .await
                    .expect("session");
                store
                    .resolve_session(&s.token, domain::org::SessionKind::Api)
                    .await
                    .expect("resolve")
                    .expect("s")
                    .principal
            }
        };
        for (username, subject, title) in [
            ("city_staff", SubjectKind::Project, "土家织锦制作"),
            ("province_staff", SubjectKind::Project, "银饰锻造"),
            ("expert", SubjectKind::ProjectReview, "武冈卤菜加工"),
            ("devunit_staff", SubjectKind::Project, "黄金茶制作"),
            // E2: the 长沙 center's request for 米粉制作 papers waits for the question bank officer.
            ("qbank_officer", SubjectKind::PaperRelease, "米粉制作"),
        ] {
            let todos = store.todo_for(&principal(username).await).await.expect("todos");
            assert!(
                todos.iter().any(|t| t.subject_kind == subject && t.title.contains(title)),
                "{username} has a to-do on {title}: {todos:?}"
            );
        }
        // The expert (欧阳明) sits on 武冈卤菜加工's open group and has not filed yet; 刘建华 has.
        let expert = principal("expert").await;
        let braise = store::entity::project::Entity::find()
            .filter(store::entity::project::Column::Name.eq("武冈卤菜加工"))
            .one(&store.db)
            .await
            .expect("read")
            .expect("braise");
        assert!(store.own_opinion(&expert, braise.id).await.expect("own").is_none());
        let detail = store.get_project(&expert, braise.id).await.expect("the member sees it");
        assert!(detail.seal_open);
        assert_eq!(detail.group.iter().filter(|m| m.filed).map(|m| m.name.as_str()).collect::<Vec<_>>(), ["刘建华"]);
        // The catalog: 米粉制作 keeps the first code with its material; the pilots end within the policy's months.
        let catalog =
            store.catalog_projects(&Default::default(), store::PageReq::new(None, None)).await.expect("catalog");
        assert_eq!(catalog.total, 5, "{:?}", catalog.items.iter().map(|p| &p.name).collect::<Vec<_>>());
        let rice = catalog.items.iter().find(|p| p.name == "米粉制作").expect("米粉制作 is in the catalog");
        assert_eq!((rice.code.as_deref(), rice.developer.as_str()), (Some("0001"), "人社部职业技能鉴定中心"));
        assert_eq!(store.catalog_project("0001").await.expect("page").materials.len(), 1, "its training material");
        let months: u32 = store
            .policy_parsed(domain::policy::keys::PILOT_MAX_MONTHS, store::today(), &mut Default::default())
            .await
            .expect("policy");
        for p in catalog.items.iter().filter(|p| p.status == domain::projects::CatalogStatus::Pilot) {
            let end = p.pilot_end.expect("a pilot's last day");
            assert_eq!(end, domain::projects::pilot_end(store::today(), months), "{}", p.name);
        }
        // The station filings apply for catalog projects, each row with its code (F2).
        let rows = store::entity::filing_project::Entity::find().all(&store.db).await.expect("rows");
        assert!(!rows.is_empty() && rows.iter().all(|r| r.code.is_some()), "{rows:?}");
        load(&store).await.expect("demo loads twice");
        assert_eq!(projects::states(&store).await.len(), states.len());
    }
}
