//! The demo's assessment projects (P1, P3, P7, F2), made through the store's steps as the demo accounts.

use domain::org::Principal;
use domain::projects::{AdoptionInput, MaterialInput, ProjectFileKind, SpecificationInput, TaskInput};
use store::{Ctx, Store};

/// A project specification of the demo (P3): three tasks weighing 100 in all, theory 30 % and
/// practical 70 %.
fn demo_spec(
    name: &str,
    definition: &str,
    target: &str,
    tasks: [(&str, &str, &str, u32); 3],
    fields: &[&str],
) -> SpecificationInput {
    SpecificationInput {
        name: name.into(),
        definition: definition.into(),
        target_group: target.into(),
        tasks: tasks
            .iter()
            .map(|(n, norms, knowledge, w)| TaskInput {
                name: (*n).into(),
                norms: (*norms).into(),
                knowledge: (*knowledge).into(),
                weight: w.to_string(),
            })
            .collect(),
        fields: fields.iter().map(|f| (*f).into()).collect(),
        ..SpecificationInput::example()
    }
}

/// The demo's assessment projects (P1, P3, P7, F2): a draft of the demo development unit (黄金茶制作),
/// one submitted to its city (湘西苗绣), and 米粉制作 adopted from the national center, in force, with a
/// training material, so the public catalog lists a project the demo station assesses.
pub(super) async fn demo_projects(
    store: &Store,
    dev: &Principal,
    province: &Principal,
    ctx: &Ctx,
) -> anyhow::Result<()> {
    let pdf: &[u8] = b"%PDF-1.4\n% kaohe demo feasibility report\n%%EOF\n";
    let draft = demo_spec(
        "黄金茶制作",
        "按照保靖黄金茶传统工艺，完成鲜叶采摘、摊青、杀青、揉捻、干燥并评定成品茶的能力",
        "从事或准备从事黄金茶加工的茶农、茶企员工及城乡劳动者",
        [
            (
                "鲜叶采摘与摊青",
                "能按标准采摘一芽一叶至一芽二叶；能控制摊青厚度与时间",
                "茶树栽培基础；鲜叶分级标准",
                25,
            ),
            ("杀青、揉捻与干燥", "能按工艺控制杀青温度；能完成揉捻、提毫与烘干", "绿茶加工工艺；茶叶机械使用", 55),
            ("成品茶审评", "能按感官审评方法评定外形、汤色、香气、滋味和叶底", "茶叶感官审评知识；食品安全知识", 20),
        ],
        &["茶叶加工", "农产品加工"],
    );
    store.create_project(dev, &draft, ctx).await?;
    let submitted = demo_spec(
        "湘西苗绣制作",
        "运用苗族传统针法，按纹样设计完成苗绣绣品的能力",
        "从事或准备从事民族刺绣的城乡劳动者，特别是农村妇女",
        [
            ("纹样设计与描稿", "能识读苗族传统纹样；能按绣品用途完成纹样描稿", "苗族纹样文化；构图基础", 25),
            ("针法运用与刺绣", "能运用平绣、辫绣、锁绣等针法完成绣制", "苗绣针法知识；绣线与面料知识", 60),
            ("绣品整理与质量检验", "能完成绣品熨烫、整理并检验质量", "绣品质量要求；非遗保护常识", 15),
        ],
        &["民族工艺", "刺绣"],
    );
    let id = store.create_project(dev, &submitted, ctx).await?;
    store
        .add_project_file(dev, id, ProjectFileKind::FeasibilityReport, "湘西苗绣制作可行性分析报告.pdf", pdf, ctx)
        .await?;
    store.submit_project(dev, id, ctx).await?;
    let adoption = AdoptionInput {
        specification: demo_spec(
            "米粉制作",
            "按照米粉传统与现代工艺，完成选米、浸泡、磨浆、成型、熟化并制作成品米粉的能力",
            "从事或准备从事米粉生产与经营的城乡劳动者",
            [
                ("原料选择与处理", "能识别大米品质；能按工艺完成淘洗、浸泡与磨浆", "稻米知识；食品安全知识", 25),
                ("米粉成型与熟化", "能操作榨粉或切粉设备；能控制蒸煮熟化程度", "米粉加工工艺；设备安全操作", 50),
                ("米粉烹制与出品", "能调制汤底与码子；能按标准出品", "湖南米粉饮食文化；烹饪基础", 25),
            ],
            &["食品加工", "烹饪", "米粉制作"],
        ),
        original_code: "ZX-2022-0031".into(),
        original_publication_date: "2022-09-15".into(),
        evidence: "人社部职业技能鉴定中心公布目录第 31 项；考核规范及题库（理论 200 题、实操 12 题）已取得".into(),
        ..AdoptionInput::example()
    };
    let adopted = store.record_adoption(province, &adoption, ctx).await?;
    let approve = store::projects::ProjectActionInput {
        kind: "approve_adoption".into(),
        publication_date: store::today().to_string(),
        pilot: Some(false),
        ..Default::default()
    };
    store.act_on_project(province, adopted, &approve, ctx).await?;
    let material = MaterialInput {
        kind: "textbook".into(),
        title: "米粉制作（专项职业能力培训教材）".into(),
        publisher: "湖南科学技术出版社".into(),
        year: "2024".into(),
    };
    store.add_material(province, adopted, &material, ctx).await?;
    println!("演示：考核项目草稿「黄金茶制作」、待市州初审「湘西苗绣制作」、已采用并全省推行「米粉制作」。");
    Ok(())
}
