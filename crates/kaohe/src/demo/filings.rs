//! The demo's station filings (S1–S5): a draft and one on its evaluation day with its group drawn.

use domain::org::{Principal, Role};
use store::{Ctx, Store};

pub(super) fn station(user_id: i64, username: &str, name: &str, org_id: i64) -> Principal {
    Principal {
        user_id,
        username: username.into(),
        display_name: name.into(),
        org_id,
        org_name: String::new(),
        roles: vec![Role::StationStaff],
        scope: domain::org::DataScope::Org(org_id),
    }
}

/// The demo station's application (S1, S2).
pub(super) fn xiangwei_application() -> domain::stations::ApplicationInput {
    use domain::stations::{ApplicationInput, AssessorInput, FacilityInput};
    let facility =
        |n: &str, s: &str, u: &str| FacilityInput { name: n.into(), specification: s.into(), purpose: u.into() };
    let assessor =
        |n: &str, q: &str, pr: &str| AssessorInput { name: n.into(), qualification: q.into(), project: pr.into() };
    ApplicationInput {
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
        conditions: all_conditions(),
        legal_representative: "刘芳".into(),
        commitment_confirmed: true,
    }
}

/// The second demo station's application (铜官陶艺).
fn tongguan_application() -> domain::stations::ApplicationInput {
    use domain::stations::{ApplicationInput, AssessorInput, FacilityInput};
    let facility =
        |n: &str, s: &str, u: &str| FacilityInput { name: n.into(), specification: s.into(), purpose: u.into() };
    let assessor =
        |n: &str, q: &str, pr: &str| AssessorInput { name: n.into(), qualification: q.into(), project: pr.into() };
    ApplicationInput {
        institution_name: "长沙市望城区铜官陶艺职业技能培训学校".into(),
        nature: "private_non_enterprise".into(),
        category: "other_unit".into(),
        person_in_charge_name: "陈静".into(),
        person_in_charge_phone: "13807310002".into(),
        contact_name: "陈静".into(),
        contact_phone: "0731-88501234".into(),
        address: "湖南省长沙市望城区铜官街道陶城路 18 号".into(),
        region_code: "430112".into(),
        projects: vec!["铜官窑陶艺制作".into()],
        facilities: vec![
            facility("拉坯成型实训室", "180 平方米，拉坯机 20 台", "陶艺制作实操考核"),
            facility("电窑", "3 台", "烧成"),
        ],
        assessors: vec![
            assessor("陈静", "湘考评 2024-0201", "铜官窑陶艺制作"),
            assessor("彭涛", "湘考评 2024-0202", "铜官窑陶艺制作"),
            assessor("胡蓉", "湘考评 2024-0203", "铜官窑陶艺制作"),
        ],
        conditions: all_conditions(),
        legal_representative: "陈静".into(),
        commitment_confirmed: true,
    }
}

fn all_conditions() -> Vec<domain::stations::ConditionInput> {
    use domain::stations::{ConditionInput, S1Condition};
    S1Condition::ALL
        .iter()
        .map(|c| ConditionInput {
            condition: c.id().into(),
            affirmed: true,
            evidence: format!("见附件材料：{}", c.label()),
        })
        .collect()
}

/// A filing of `p`'s station with its four materials (S1, S2), left a draft.
pub(super) async fn demo_filing(
    store: &Store,
    p: &Principal,
    input: domain::stations::ApplicationInput,
) -> anyhow::Result<i64> {
    use domain::stations::MaterialKind;
    let ctx = Ctx { actor: "demo".into(), ip: String::new() };
    let id = store.create_filing(p, &input, &ctx).await.map_err(|e| anyhow::anyhow!("演示备案申请：{e}"))?;
    let pdf = b"%PDF-1.4\n% kaohe demo material\n%%EOF\n";
    for kind in MaterialKind::ALL {
        store
            .add_filing_attachment(p, id, Some(*kind), &format!("{}.pdf", kind.label()), pdf, &ctx)
            .await
            .map_err(|e| anyhow::anyhow!("演示附件：{e}"))?;
    }
    Ok(id)
}

async fn act_on(store: &Store, p: Principal, id: i64, input: store::filings::FilingActionInput) -> anyhow::Result<()> {
    let ctx = Ctx { actor: "demo".into(), ip: String::new() };
    store.act_on_filing(&p, id, &input, &ctx).await.map_err(|e| anyhow::anyhow!("演示备案办理 {}：{e}", input.kind))?;
    Ok(())
}

/// A second filing taken through the procedure to its evaluation day (issue 9 item 6): submitted,
/// accepted, its plan reported and approved, its group drawn — and its evaluation date moved to today,
/// so a newcomer signed in as province_staff can click 开始评估 at once. Skipped with a note when the
/// calendar cannot count the plan's lead time (next year's holidays not entered yet).
pub(super) async fn evaluation_day_filing(
    store: &Store,
    station: &Principal,
    city: &Principal,
    province: &Principal,
) -> anyhow::Result<()> {
    use store::filings::FilingActionInput;
    let id = demo_filing(store, station, tongguan_application()).await?;
    let step = |kind: &str| FilingActionInput { kind: kind.into(), ..Default::default() };
    let act = |p: &Principal, input: FilingActionInput| act_on(store, p.clone(), id, input);
    act(station, step("submit")).await?;
    act(city, step("accept")).await?;
    let lead: u32 = store
        .policy_parsed(domain::policy::keys::EVALUATION_PLAN_LEAD_DAYS, store::today(), &mut Default::default())
        .await?;
    let Ok(planned) = store.calendar().await?.add_working_days(store::today(), lead) else {
        println!("演示：次年节假日安排尚未录入，第二个演示备案申请停在“已受理”（待上报评估方案）。");
        return Ok(());
    };
    act(
        city,
        FilingActionInput {
            evaluation_date: Some(planned),
            place: "铜官陶艺职业技能培训学校实训楼".into(),
            methods: "听取报告、文件审核、技术抽查、访谈咨询、质询答辩、现场考察，上午 9:00 开始".into(),
            contacts: "钱晓燕 0731-84412345".into(),
            ..step("submit_plan")
        },
    )
    .await?;
    act(province, step("approve_plan")).await?;
    act(province, step("draw_group")).await?;
    store.demo_evaluation_today(id).await?;
    println!("演示：备案申请「长沙市望城区铜官陶艺职业技能培训学校」今天评估，province_staff 可点击“开始评估”。");
    Ok(())
}
