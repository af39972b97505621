//! First-start administrator and demo data (`serve --demo`): demo organisations and one account per
//! role, printed with their passwords so a newcomer can sign in at once.

use domain::ids::credit_code_check_char;
use domain::org::{Principal, Role};
use store::orgs::OrgInput;
use store::users::UserInput;
use store::{Ctx, Store, StoreError};

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
    ]
}

/// (username, display name, role, organisation key)
fn demo_accounts() -> Vec<(&'static str, &'static str, Role, usize)> {
    // Organisation index: 0 province center, 1 长沙 center, 2.. the demo organisations above.
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
        ("devunit_staff", "向红梅", Role::DevunitStaff, 4),
        ("expert", "欧阳明", Role::Expert, 4),
        ("assessor", "张伟", Role::Assessor, 2),
        ("supervisor", "黄督", Role::Supervisor, 1),
        ("candidate", "李小龙", Role::Candidate, 2),
    ]
}

/// Demo experts of the committee (P5), spread over the cities, valid ID numbers.
fn demo_experts(devunit: i64) -> Vec<store::experts::ExpertInput> {
    let e = |name: &str, body: &str, employer: &str, title: &str, specialties: &str, city: &str, phone: &str| {
        let id = match domain::ids::id_number_check_char(body) {
            Some(c) => format!("{body}{c}"),
            None => body.to_string(),
        };
        store::experts::ExpertInput {
            name: name.into(),
            id_number: id,
            employer_org_id: None,
            employer_name: employer.into(),
            title: title.into(),
            specialties: specialties.into(),
            city_code: city.into(),
            phone: phone.into(),
            status: "active".into(),
            note: String::new(),
        }
    };
    let mut v = vec![
        e("欧阳明", "43010219700101123", "湖南商务职业技术学院", "教授", "烹饪、米粉制作", "430100", "13907310001"),
        e("谭晓红", "43020319750203234", "株洲市职业技术学院", "高级讲师", "茶艺、黄金茶制作", "430200", "13907330002"),
        e("刘建华", "43030419680304345", "湘潭大学", "副教授", "烹饪、卤菜加工", "430300", "13907320003"),
        e("何丽娟", "43040519800405456", "衡阳技师学院", "高级技师", "湘绣、苗绣", "430400", "13907340004"),
        e(
            "石春燕",
            "43312219820506567",
            "湘西州民族职业技术学院",
            "高级工艺美术师",
            "苗绣、土家织锦、银饰锻造",
            "433100",
            "13907430005",
        ),
        e("王志强", "43060219720607678", "岳阳职业技术学院", "高级技师", "白酒酿制、烹饪", "430600", "13907300006"),
        e("陈芳", "43070219790708789", "常德职业技术学院", "讲师", "茶艺、莓茶制作", "430700", "13907360007"),
        e("周敏", "43090219860809890", "益阳职业技术学院", "技师", "旅拍摄影、形象设计", "430900", "13907370008"),
    ];
    v[4].employer_org_id = Some(devunit);
    v
}

pub async fn load(store: &Store) -> anyhow::Result<()> {
    let system = Principal::system();
    let ctx = Ctx { actor: "demo".into(), ip: String::new() };
    let mut org_ids = vec![store.find_org_by_key("430000").await?.id, store.find_org_by_key("430100").await?.id];
    for o in demo_orgs() {
        let id = match store.find_org_by_key(&o.key).await {
            Ok(m) => m.id,
            Err(StoreError::NotFound) => store
                .create_org(&system, &o.input, &ctx)
                .await
                .map_err(|e| anyhow::anyhow!("演示机构 {}：{e}", o.input.name))?,
            Err(e) => return Err(e.into()),
        };
        org_ids.push(id);
    }
    for input in demo_experts(org_ids[4]) {
        match store.create_expert(&system, &input, &ctx).await {
            Ok(_) => {}
            Err(StoreError::Invalid(e)) if e.get("id_number").is_some_and(|e| e.code == "EXPERT_EXISTS") => {}
            Err(e) => return Err(anyhow::anyhow!("演示专家 {}：{e}", input.name)),
        }
    }
    let mut station_user = None;
    println!("演示账号（密码均为 {DEMO_PASSWORD}；管理员账号首次登录须启用双因素认证）：");
    for (username, name, role, org) in demo_accounts() {
        // The demo expert signs in with the ID number of the registry's 欧阳明, so drawn reviews show up.
        let id_number =
            if role == Role::Expert { demo_experts(org_ids[4])[0].id_number.clone() } else { String::new() };
        let input = UserInput {
            username: username.into(),
            display_name: name.into(),
            org_id: Some(org_ids[org]),
            roles: vec![role.id().into()],
            password: DEMO_PASSWORD.into(),
            id_number,
            ..Default::default()
        };
        match store.create_user(&system, &input, &ctx).await {
            Ok(id) => {
                store.mark_password_current(id).await?;
                if role == Role::StationStaff {
                    station_user = Some((id, org_ids[org]));
                }
            }
            Err(StoreError::Invalid(e)) if e.get("username").is_some_and(|e| e.code == "USERNAME_TAKEN") => {}
            Err(e) => return Err(anyhow::anyhow!("演示账号 {username}：{e}")),
        }
        println!("  {username:<16} {}（{name}）", role.label());
    }
    // The other experts of the registry sign in too, so a drawn group can finish its findings (S4).
    let others = demo_experts(org_ids[4]);
    for (n, expert) in others.iter().enumerate().skip(1) {
        let input = UserInput {
            username: format!("expert{}", n + 1),
            display_name: expert.name.clone(),
            org_id: Some(org_ids[4]),
            roles: vec![Role::Expert.id().into()],
            password: DEMO_PASSWORD.into(),
            id_number: expert.id_number.clone(),
            ..Default::default()
        };
        match store.create_user(&system, &input, &ctx).await {
            Ok(id) => store.mark_password_current(id).await?,
            Err(StoreError::Invalid(e)) if e.get("username").is_some_and(|e| e.code == "USERNAME_TAKEN") => {}
            Err(e) => return Err(anyhow::anyhow!("演示账号 {}：{e}", input.username)),
        }
    }
    println!(
        "其余 {} 位专家库专家的账号：expert2 … expert{}（密码相同；抽入评议组后填写评估意见）",
        others.len() - 1,
        others.len()
    );
    if let Some((user_id, org_id)) = station_user {
        demo_filing(store, user_id, org_id).await?;
    }
    Ok(())
}

/// A draft filing of the demo station, with its four materials, ready to be submitted (S1, S2).
async fn demo_filing(store: &Store, user_id: i64, org_id: i64) -> anyhow::Result<()> {
    use domain::stations::{ApplicationInput, AssessorInput, ConditionInput, FacilityInput, MaterialKind, S1Condition};
    let p = Principal {
        user_id,
        username: "station_staff".into(),
        display_name: "刘芳".into(),
        org_id,
        org_name: String::new(),
        roles: vec![Role::StationStaff],
        scope: domain::org::DataScope::Org(org_id),
    };
    let facility =
        |n: &str, s: &str, u: &str| FacilityInput { name: n.into(), specification: s.into(), purpose: u.into() };
    let assessor =
        |n: &str, q: &str, pr: &str| AssessorInput { name: n.into(), qualification: q.into(), project: pr.into() };
    let input = ApplicationInput {
        institution_name: "长沙市湘味职业技能培训学校".into(),
        nature: "private_non_enterprise".into(),
        category: "other_unit".into(),
        person_in_charge_name: "刘芳".into(),
        person_in_charge_phone: "13807310001".into(),
        contact_name: "周红".into(),
        contact_phone: "0731-84567890".into(),
        address: "湖南省长沙市岳麓区麓谷大道 100 号".into(),
        region_code: "430104".into(),
        projects: vec!["米粉制作".into(), "湘菜烹饪".into()],
        facilities: vec![
            facility("米粉制作实操教室", "240 平方米，工位 30 个", "米粉制作实操考核"),
            facility("商用燃气灶", "12 台", "湘菜烹饪实操考核"),
            facility("理论考场", "60 座，监控全覆盖", "理论知识考试"),
        ],
        assessors: vec![
            assessor("张伟", "湘考评 2024-0101", "米粉制作"),
            assessor("李娜", "湘考评 2024-0102", "米粉制作"),
            assessor("王强", "湘考评 2024-0103", "湘菜烹饪"),
        ],
        conditions: S1Condition::ALL
            .iter()
            .map(|c| ConditionInput {
                condition: c.id().into(),
                affirmed: true,
                evidence: format!("见附件材料：{}", c.label()),
            })
            .collect(),
        legal_representative: "刘芳".into(),
        commitment_confirmed: true,
    };
    let ctx = Ctx { actor: "demo".into(), ip: String::new() };
    let id = store.create_filing(&p, &input, &ctx).await.map_err(|e| anyhow::anyhow!("演示备案申请：{e}"))?;
    let pdf = b"%PDF-1.4\n% kaohe demo material\n%%EOF\n";
    for kind in MaterialKind::ALL {
        store
            .add_filing_attachment(&p, id, Some(*kind), &format!("{}.pdf", kind.label()), pdf, &ctx)
            .await
            .map_err(|e| anyhow::anyhow!("演示附件：{e}"))?;
    }
    Ok(())
}
