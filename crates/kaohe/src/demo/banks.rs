//! The demo's small banks (P2, P6, E2) for the other published projects — 莓茶制作 and 湘菜烹饪 (in
//! force), 馥郁香型白酒酿制 and 铜官窑陶艺制作 (in pilot): four approved items each on their first two
//! work tasks, a blueprint of four items and paper A, so every project a station may be examined in has
//! a bank and a paper (米粉制作's larger bank is `qbank.rs`'s).

use domain::org::Principal;
use domain::question_bank::{BlueprintInput, BlueprintRowInput, ItemInput};
use store::question_bank::ItemStep;
use store::{Ctx, Store};

/// (task, stem, answer) of a true/false item; (task, stem, options, answer) of a single choice.
type TrueFalse = (u32, &'static str, &'static str);
type Single = (u32, &'static str, [&'static str; 4], &'static str);

/// Per project: two true/false items and two single-choice items, on work tasks 1 and 2.
const BANKS: &[(&str, [TrueFalse; 2], [Single; 2])] = &[
    (
        "莓茶制作",
        [
            (1, "莓茶鲜叶宜采摘显齿蛇葡萄的嫩梢，采后应及时摊放。", "正确"),
            (2, "杀青温度越高越好，可不必控制时间。", "错误"),
        ],
        [
            (
                1,
                "鲜叶摊放的主要作用是（　）。",
                ["散失部分水分、便于杀青", "增加鲜叶重量", "使叶片变绿", "去除茶梗"],
                "A",
            ),
            (
                2,
                "揉捻的主要目的是（　）。",
                ["使茶叶成条并适度破碎细胞", "提高茶叶含水量", "去除白霜", "降低茶叶温度"],
                "A",
            ),
        ],
    ),
    (
        "湘菜烹饪",
        [(1, "刀工处理时，原料大小厚薄应均匀一致。", "正确"), (2, "剁辣椒腌制时容器无需清洁消毒。", "错误")],
        [
            (1, "制作辣椒炒肉时，猪肉宜选用（　）。", ["前腿肉或五花肉", "猪蹄", "猪骨", "猪皮"], "A"),
            (2, "湘菜“小炒”讲究的火候一般是（　）。", ["旺火快炒", "微火慢炖", "文火久焖", "冷锅冷油"], "A"),
        ],
    ),
    (
        "馥郁香型白酒酿制",
        [(1, "制曲原料应无霉变、无虫蛀。", "正确"), (2, "入窖后窖池温度无需观察记录。", "错误")],
        [
            (
                1,
                "大曲制作中“踩曲”的目的是（　）。",
                ["使曲坯紧实成型", "提高曲坯含水量", "杀灭微生物", "增加曲坯重量"],
                "A",
            ),
            (2, "固态发酵过程中，窖池应做好（　）。", ["封窖与温度管理", "敞口通风", "每日翻拌", "加水稀释"], "A"),
        ],
    ),
    (
        "铜官窑陶艺制作",
        [(1, "练泥的目的之一是排出泥料中的气泡。", "正确"), (2, "拉坯时坯体壁厚越不均匀越好。", "错误")],
        [
            (1, "拉坯前揉泥常用的手法是（　）。", ["菊花揉和羊头揉", "直接摔打", "浸水浸泡", "晾晒风干"], "A"),
            (2, "铜官窑的代表性装饰工艺是（　）。", ["釉下多彩", "青花", "粉彩", "珐琅彩"], "A"),
        ],
    ),
];

fn blueprint() -> BlueprintInput {
    let row = |task, kind: &str, points_each| BlueprintRowInput {
        task,
        kind: kind.into(),
        difficulty: "any".into(),
        count: 1,
        points_each,
    };
    BlueprintInput {
        duration_minutes: 30,
        total_points: 10,
        rows: vec![
            row(1, "true_false", 2),
            row(2, "true_false", 2),
            row(1, "single_choice", 3),
            row(2, "single_choice", 3),
        ],
    }
}

/// The small banks, blueprints and papers A, written and approved by the question bank officer `qb`.
pub(super) async fn demo_banks(store: &Store, qb: &Principal, ctx: &Ctx) -> anyhow::Result<()> {
    let err = |what: &str, e: store::StoreError| anyhow::anyhow!("演示题库{what}：{e}");
    let projects = store.bank_projects(qb).await.map_err(|e| err("项目", e))?;
    let mut named = Vec::new();
    for (name, tf, single) in BANKS {
        let Some(project) = projects.iter().find(|p| p.name == *name) else { continue };
        let mut items: Vec<ItemInput> = tf
            .iter()
            .map(|(task, stem, answer)| ItemInput {
                kind: "true_false".into(),
                task: *task,
                difficulty: "easy".into(),
                points: 1,
                stem: (*stem).into(),
                answer: (*answer).into(),
                ..Default::default()
            })
            .collect();
        items.extend(single.iter().map(|(task, stem, options, answer)| ItemInput {
            kind: "single_choice".into(),
            task: *task,
            difficulty: "medium".into(),
            points: 2,
            stem: (*stem).into(),
            options: options.iter().map(|o| (*o).into()).collect(),
            answer: (*answer).into(),
            ..Default::default()
        }));
        for input in &items {
            let id = store.create_item(qb, project.id, input, ctx).await.map_err(|e| err("试题", e))?;
            for step in [ItemStep::Submit, ItemStep::Approve] {
                store.item_step(qb, id, step, "", ctx).await.map_err(|e| err("审核", e))?;
            }
        }
        store.save_blueprint(qb, project.id, &blueprint(), ctx).await.map_err(|e| err("组卷蓝图", e))?;
        store.assemble_paper(qb, project.id, None, ctx).await.map_err(|e| err("组卷", e))?;
        named.push(format!("「{name}」"));
    }
    if !named.is_empty() {
        println!("演示：{} 各有 4 道已入库试题、组卷蓝图和 A 卷。", named.join(""));
    }
    Ok(())
}
