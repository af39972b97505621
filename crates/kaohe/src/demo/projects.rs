//! The demo's assessment projects (P1, P3, P4, P7, P8, F2), made through the store's own steps as the
//! demo accounts, so the audit trail, the timelines and the to-dos are real and every acting role finds
//! something to do (issue 11):
//!
//! | project | unit | state | who acts next |
//! |---|---|---|---|
//! | 黄金茶制作 | 湘西州民族工艺美术职业学校 | draft | devunit_staff submits |
//! | 土家织锦制作 | 湖南湘韵非遗技艺研究院 (长沙) | submitted | city_staff forwards or returns |
//! | 银饰锻造 | 湘韵 | forwarded | province_staff draws the P4 group |
//! | 武冈卤菜加工 | 湘韵 | reviewing, seal open | expert (欧阳明) and expert6 file opinions |
//! | 馥郁香型白酒酿制 | 湘韵 | pilot | province_staff rolls it out before the pilot ends |
//! | 铜官窑陶艺制作 | 湘韵 | pilot | (the second demo station applies for it) |
//! | 莓茶制作, 湘菜烹饪 | 湘韵 | in force | — (the demo station applies for 湘菜烹饪) |
//! | 米粉制作 | adopted from the national center | in force | — |

use super::specs;
use domain::org::{DataScope, Principal, Role};
use domain::projects::{AdoptionInput, MaterialInput, OpinionInput, ProjectFileKind, SpecificationInput};
use std::collections::HashMap;
use store::projects::ProjectActionInput;
use store::{Ctx, Store};

const PDF: &[u8] = b"%PDF-1.4\n% kaohe demo feasibility report\n%%EOF\n";

/// Who acts in the demo's projects: the two development units, the 长沙 center, the province, and the
/// committee's experts with sign-in accounts (name → user id).
pub(super) struct ProjectActors<'a> {
    pub xiangxi_unit: &'a Principal,
    pub changsha_unit: &'a Principal,
    pub city: &'a Principal,
    pub province: &'a Principal,
    pub experts: &'a HashMap<String, i64>,
}

fn act(kind: &str) -> ProjectActionInput {
    ProjectActionInput { kind: kind.into(), ..Default::default() }
}

fn expert(user_id: i64, name: &str) -> Principal {
    Principal {
        user_id,
        username: String::new(),
        display_name: name.into(),
        org_id: 0,
        org_name: String::new(),
        roles: vec![Role::Expert],
        scope: DataScope::Person(user_id),
    }
}

impl ProjectActors<'_> {
    /// A project of the 长沙 unit with its feasibility report, submitted to the 长沙 center.
    async fn submitted(&self, store: &Store, spec: &SpecificationInput, ctx: &Ctx) -> anyhow::Result<i64> {
        let id = store.create_project(self.changsha_unit, spec, ctx).await?;
        let report = format!("{}可行性分析报告.pdf", spec.name);
        store.add_project_file(self.changsha_unit, id, ProjectFileKind::FeasibilityReport, &report, PDF, ctx).await?;
        store.submit_project(self.changsha_unit, id, ctx).await?;
        Ok(id)
    }

    /// Submitted and forwarded to the province by the 长沙 center.
    async fn forwarded(&self, store: &Store, spec: &SpecificationInput, ctx: &Ctx) -> anyhow::Result<i64> {
        let id = self.submitted(store, spec, ctx).await?;
        store.act_on_project(self.city, id, &act("forward"), ctx).await?;
        Ok(id)
    }

    /// Forwarded, its group of three drawn from the experts of its fields and the review opened; the
    /// members named in `filing` (all when `None`) file their opinions. The members' names.
    async fn reviewed(
        &self,
        store: &Store,
        spec: &SpecificationInput,
        filing: Option<&[&str]>,
        ctx: &Ctx,
    ) -> anyhow::Result<(i64, Vec<String>)> {
        let id = self.forwarded(store, spec, ctx).await?;
        let draw = ProjectActionInput { group_size: Some(3), ..act("draw_review") };
        store.act_on_project(self.province, id, &draw, ctx).await?;
        store.act_on_project(self.province, id, &act("open_review"), ctx).await?;
        let group = store.get_project(self.province, id).await?.group;
        for member in &group {
            if filing.is_some_and(|names| !names.contains(&member.name.as_str())) {
                continue;
            }
            let Some(user_id) = self.experts.get(&member.name) else { continue };
            let opinion = OpinionInput {
                conclusion: "agree".into(),
                comments: format!(
                    "“{}”考核规范工作任务划分合理，权重与考核方式符合岗位实际，市场需求明确，同意立项。",
                    spec.name
                ),
            };
            store.file_opinion(&expert(*user_id, &member.name), id, &opinion, ctx).await?;
        }
        Ok((id, group.into_iter().map(|m| m.name).collect()))
    }

    /// Reviewed by the whole group, established with a project code and published today: in pilot, or
    /// rolled out province-wide at once.
    async fn published(
        &self,
        store: &Store,
        spec: &SpecificationInput,
        roll_out: bool,
        ctx: &Ctx,
    ) -> anyhow::Result<i64> {
        let (id, _) = self.reviewed(store, spec, None, ctx).await?;
        store.act_on_project(self.province, id, &act("establish"), ctx).await?;
        let publish = ProjectActionInput { publication_date: store::today().to_string(), ..act("publish") };
        store.act_on_project(self.province, id, &publish, ctx).await?;
        if roll_out {
            store.act_on_project(self.province, id, &act("roll_out"), ctx).await?;
        }
        Ok(id)
    }
}

/// The demo's projects (see the module doc), made before the station filings, which apply for catalog
/// projects (F2).
pub(super) async fn demo_projects(store: &Store, a: &ProjectActors<'_>, ctx: &Ctx) -> anyhow::Result<()> {
    // The adoption first, so 米粉制作 keeps the catalog's first code (0001).
    let adoption = AdoptionInput {
        specification: specs::rice_noodles(),
        original_code: "ZX-2022-0031".into(),
        original_publication_date: "2022-09-15".into(),
        evidence: "人社部职业技能鉴定中心公布目录第 31 项；考核规范及题库（理论 200 题、实操 12 题）已取得".into(),
        ..AdoptionInput::example()
    };
    let adopted = store.record_adoption(a.province, &adoption, ctx).await?;
    let approve = ProjectActionInput {
        publication_date: store::today().to_string(),
        pilot: Some(false),
        ..act("approve_adoption")
    };
    store.act_on_project(a.province, adopted, &approve, ctx).await?;
    let material = MaterialInput {
        kind: "textbook".into(),
        title: "米粉制作（专项职业能力培训教材）".into(),
        publisher: "湖南科学技术出版社".into(),
        year: "2024".into(),
    };
    store.add_material(a.province, adopted, &material, ctx).await?;
    store.create_project(a.xiangxi_unit, &specs::golden_tea(), ctx).await?;
    a.submitted(store, &specs::tujia_brocade(), ctx).await?;
    a.forwarded(store, &specs::silver_forging(), ctx).await?;
    // 武冈卤菜加工's fields (卤菜加工, 烹饪) match exactly three experts, 欧阳明 (the `expert` account)
    // among them; one of the others has filed.
    let (_, group) = a.reviewed(store, &specs::wugang_braise(), Some(&["刘建华"]), ctx).await?;
    a.published(store, &specs::fuyu_liquor(), false, ctx).await?;
    a.published(store, &specs::tongguan_pottery(), false, ctx).await?;
    a.published(store, &specs::vine_tea(), true, ctx).await?;
    a.published(store, &specs::hunan_cuisine(), true, ctx).await?;
    println!(
        "演示：考核项目草稿「黄金茶制作」（devunit_staff）、待长沙市初审「土家织锦制作」（city_staff）、\
         待抽取论证评审专家组「银饰锻造」（province_staff）、论证评审中「武冈卤菜加工」（专家组 {}，\
         expert 等填写评审意见）、试点「馥郁香型白酒酿制」「铜官窑陶艺制作」、全省推行「莓茶制作」「湘菜烹饪」、\
         已采用并全省推行「米粉制作」；devunit_staff2 可新建开发申请，经长沙市鉴定中心初审。",
        group.join("、")
    );
    Ok(())
}

/// The state of each demo project by name (for the demo's tests).
#[cfg(test)]
pub(super) async fn states(store: &Store) -> HashMap<String, domain::projects::ProjectState> {
    use sea_orm::EntityTrait;
    store::entity::project::Entity::find()
        .all(&store.db)
        .await
        .expect("projects")
        .into_iter()
        .map(|p| (p.name, p.state))
        .collect()
}
