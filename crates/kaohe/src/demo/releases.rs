//! Demo: a paper release (E2) the 长沙 center asked for — papers of 米粉制作 for an exam three weeks
//! from now — waiting for the province's question bank officer to approve it and allocate paper A.

use domain::org::Principal;
use store::releases::ReleaseRequestInput;
use store::{Ctx, Store};

pub(super) async fn demo_release(store: &Store, city: &Principal, ctx: &Ctx) -> anyhow::Result<()> {
    let input = ReleaseRequestInput {
        project_code: "0001".into(),
        exam: "长沙市岳麓区职业技能培训学校 米粉制作专项职业能力考核（第 1 批）".into(),
        exam_date: (store::today() + time::Duration::days(21)).to_string(),
        copies: "42".into(),
        ..Default::default()
    };
    let id = store.request_release(city, &input, ctx).await.map_err(|e| anyhow::anyhow!("演示试卷使用申请：{e}"))?;
    println!("演示：长沙市鉴定中心的试卷使用申请（第 {id} 号，米粉制作 42 份）待 qbank_officer 批准并调配试卷。");
    Ok(())
}
