//! The demo's question bank (P2, P6, E2): for 米粉制作 (adopted, in force) a bank of realistic items
//! across its three work tasks — fourteen approved into the provincial bank, one draft, one waiting for
//! review — its blueprint and paper A, assembled with its seed sealed, so the question bank officer
//! finds each page of the area filled.

use domain::org::Principal;
use domain::question_bank::{BlueprintInput, BlueprintRowInput, ItemInput, ScoringInput};
use store::question_bank::ItemStep;
use store::{Ctx, Store};

fn item(kind: &str, task: u32, difficulty: &str, points: u32, stem: &str, options: &[&str], answer: &str) -> ItemInput {
    ItemInput {
        kind: kind.into(),
        task,
        difficulty: difficulty.into(),
        points,
        stem: stem.into(),
        options: options.iter().map(|o| (*o).into()).collect(),
        answer: answer.into(),
        scoring: vec![],
    }
}

/// The approved items: work task 1 原料选择与处理, 2 米粉成型与熟化, 3 米粉烹制与出品.
fn approved() -> Vec<ItemInput> {
    let mut practical = item(
        "practical",
        2,
        "medium",
        20,
        "按给定工艺，用 2 千克已浸泡的早籼米完成磨浆、蒸片（或榨粉）并熟化成型，制作成品湿米粉。",
        &[],
        "",
    );
    practical.scoring = vec![
        ScoringInput { description: "米浆细腻无颗粒，浓度适中".into(), points: 6 },
        ScoringInput { description: "熟化均匀，无夹生、无粘连".into(), points: 8 },
        ScoringInput { description: "设备操作规范，安全卫生".into(), points: 6 },
    ];
    vec![
        item("true_false", 1, "easy", 1, "制作米粉宜选用直链淀粉含量较高的早籼米。", &[], "正确"),
        item("true_false", 1, "easy", 1, "大米浸泡时间越长，米粉品质越好。", &[], "错误"),
        item(
            "single_choice",
            1,
            "easy",
            2,
            "大米浸泡的主要目的是（　）。",
            &["使米粒充分吸水软化，便于磨浆", "去除米中的蛋白质", "提高大米的甜度", "缩短米粉的烹制时间"],
            "A",
        ),
        item(
            "single_choice",
            1,
            "medium",
            2,
            "磨浆时米浆过粗，成品米粉最可能出现的问题是（　）。",
            &["表面过于光滑", "易断条、口感粗糙", "韧性明显增强", "出粉率大幅提高"],
            "B",
        ),
        item(
            "multiple_choice",
            1,
            "medium",
            3,
            "原料大米验收时，应检查的项目有（　）。",
            &["色泽是否正常", "有无异味", "霉变粒、虫蚀粒含量", "包装袋的颜色"],
            "ABC",
        ),
        item("true_false", 2, "medium", 1, "榨粉后的湿米粉应立即堆叠存放，以保持水分。", &[], "错误"),
        item(
            "single_choice",
            2,
            "medium",
            2,
            "米粉蒸煮熟化不足时，成品常见的问题是（　）。",
            &["夹生、易断", "过于软烂", "颜色发黄", "表面起泡"],
            "A",
        ),
        item(
            "single_choice",
            2,
            "hard",
            2,
            "湿米粉成型后进行适度老化（回生）处理，主要作用是（　）。",
            &["增加米粉的韧性和爽滑度", "提高米粉含水量", "杀灭全部微生物", "增加米粉甜味"],
            "A",
        ),
        item(
            "multiple_choice",
            2,
            "hard",
            3,
            "操作榨粉机时，下列做法正确的有（　）。",
            &["开机前检查防护装置是否完好", "运转中用手清理出料口", "停机并断电后再清洁设备", "按规定佩戴工作帽和口罩"],
            "ACD",
        ),
        practical,
        item("true_false", 3, "easy", 1, "湖南米粉的汤底多以猪骨、牛骨等熬制，出品时应保持热烫。", &[], "正确"),
        item(
            "single_choice",
            3,
            "easy",
            2,
            "米粉烫制出品时，烫粉时间一般控制在（　）。",
            &["数秒至十余秒", "5 分钟左右", "10 分钟左右", "半小时以上"],
            "A",
        ),
        item(
            "short_answer",
            3,
            "medium",
            8,
            "简述一碗湖南米粉出品时的质量要求。",
            &[],
            "粉条完整，不糊不断；汤底热烫，咸鲜适口；码子分量足、摆放整齐；碗沿干净，出品及时。",
        ),
        item(
            "short_answer",
            3,
            "hard",
            8,
            "简述米粉从原料到出品过程中的主要食品安全控制要点。",
            &[],
            "原料验收无霉变；加工用水符合生活饮用水标准；设备、工具及时清洗消毒；湿米粉当日生产当日使用、低温存放；操作人员持健康证上岗并规范穿戴。",
        ),
    ]
}

/// The paper's blueprint: 50 points, 60 minutes.
fn blueprint() -> BlueprintInput {
    let row = |task, kind: &str, count, points_each| BlueprintRowInput {
        task,
        kind: kind.into(),
        difficulty: "any".into(),
        count,
        points_each,
    };
    BlueprintInput {
        duration_minutes: 60,
        total_points: 50,
        rows: vec![
            row(1, "true_false", 2, 2),
            row(1, "single_choice", 2, 3),
            row(2, "single_choice", 1, 3),
            row(2, "multiple_choice", 1, 4),
            row(3, "true_false", 1, 2),
            row(3, "single_choice", 1, 3),
            row(3, "short_answer", 1, 8),
            row(2, "practical", 1, 20),
        ],
    }
}

/// The bank, its blueprint and paper A for 米粉制作, written by the demo's question bank officer
/// (user id, organisation, name) when its account was made in this run.
pub(super) async fn demo_bank(store: &Store, officer: Option<(i64, i64, &str)>, ctx: &Ctx) -> anyhow::Result<()> {
    let Some((user_id, org_id, name)) = officer else { return Ok(()) };
    let qb = &Principal {
        user_id,
        username: "qbank_officer".into(),
        display_name: name.into(),
        org_id,
        org_name: "湖南省职业技能鉴定中心".into(),
        roles: vec![domain::org::Role::QbankOfficer],
        scope: domain::org::DataScope::Province,
    };
    let err = |what: &str, e: store::StoreError| anyhow::anyhow!("演示题库{what}：{e}");
    let projects = store.bank_projects(qb).await.map_err(|e| err("项目", e))?;
    let Some(project) = projects.iter().find(|p| p.name == "米粉制作") else {
        return Ok(());
    };
    let mut approved_count = 0;
    for input in approved() {
        let id = store.create_item(qb, project.id, &input, ctx).await.map_err(|e| err("试题", e))?;
        for step in [ItemStep::Submit, ItemStep::Approve] {
            store.item_step(qb, id, step, "", ctx).await.map_err(|e| err("审核", e))?;
        }
        approved_count += 1;
    }
    let draft = item("true_false", 3, "easy", 1, "米粉出品时，汤底温度越低越利于保持粉条口感。", &[], "错误");
    store.create_item(qb, project.id, &draft, ctx).await.map_err(|e| err("草稿", e))?;
    let submitted = item(
        "single_choice",
        2,
        "medium",
        2,
        "切粉工艺中，米皮蒸制后应（　）再切条。",
        &["适当冷却定型", "趁热立即切条", "浸入冷水一小时", "暴晒至干"],
        "A",
    );
    let id = store.create_item(qb, project.id, &submitted, ctx).await.map_err(|e| err("试题", e))?;
    store.item_step(qb, id, ItemStep::Submit, "", ctx).await.map_err(|e| err("提交", e))?;
    store.save_blueprint(qb, project.id, &blueprint(), ctx).await.map_err(|e| err("组卷蓝图", e))?;
    let paper = store.assemble_paper(qb, project.id, None, ctx).await.map_err(|e| err("组卷", e))?;
    println!(
        "演示：「米粉制作」题库 {approved_count} 道已入库试题、1 道草稿、1 道待审核，组卷蓝图和 A 卷（试卷 {paper}，随机种子密封）。"
    );
    super::banks::demo_banks(store, qb, ctx).await
}

#[cfg(test)]
mod tests {
    use domain::question_bank::ItemStatus;
    use store::question_bank::ItemQuery;

    /// P2, P6, E2: 米粉制作 has a bank covering its three work tasks, a draft and a submitted item, and
    /// paper A assembled from the approved ones by its blueprint, the seed sealed; every other published
    /// project a small bank and its paper A.
    #[tokio::test]
    async fn p6_e2_the_demo_has_a_bank_a_blueprint_and_paper_a_for_rice_noodles() {
        let (store, _dir) = testkit::fresh_store().await;
        super::super::load(&store).await.expect("demo loads");
        let system = domain::org::Principal::system();
        let page = store::PageReq::new(None, Some(200));
        let items = store.list_items(&system, &ItemQuery::default(), page).await.expect("items");
        let rice: Vec<_> = items.items.iter().filter(|i| i.project_name == "米粉制作").collect();
        let approved: Vec<_> = rice.iter().filter(|i| i.status == ItemStatus::Approved).collect();
        assert!(approved.len() >= 12, "{}", approved.len());
        for task in 1..=3 {
            assert!(approved.iter().any(|i| i.task == task), "task {task} is covered");
        }
        assert!(rice.iter().any(|i| i.status == ItemStatus::Draft));
        assert!(rice.iter().any(|i| i.status == ItemStatus::Submitted));
        let papers = store.list_papers(&system, None, page).await.expect("papers");
        let rice_paper = papers.items.iter().find(|p| p.project_name == "米粉制作").expect("米粉制作 paper A");
        let paper = store.paper(&system, rice_paper.id).await.expect("paper");
        assert_eq!(paper.record.item_ids().len(), 10);
        assert!(paper.record.seed.is_none() && paper.verified.is_none(), "sealed");
        // Every other published project has its small bank and paper A (four items).
        for name in ["莓茶制作", "湘菜烹饪", "馥郁香型白酒酿制", "铜官窑陶艺制作"] {
            let bank =
                items.items.iter().filter(|i| i.project_name == name && i.status == ItemStatus::Approved).count();
            assert_eq!(bank, 4, "{name}'s bank");
            let p = papers.items.iter().find(|p| p.project_name == name).unwrap_or_else(|| panic!("{name}'s paper"));
            assert_eq!(p.items, 4, "{name}'s paper A");
        }
        assert_eq!(papers.total, 5);
        // Loading again adds nothing (the accounts exist).
        super::super::load(&store).await.expect("demo loads twice");
        assert_eq!(store.list_papers(&system, None, page).await.expect("papers").total, 5);
    }
}
