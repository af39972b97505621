//! The specifications (考核规范, P3) of the demo's assessment projects: real Hunan projects (FACTS.md
//! "Projects"), each complete — definition, who it is for, work tasks with their operating norms,
//! related knowledge and weights summing to 100, the assessment method with its shares, pass marks and
//! durations, the smallest panel and the professional fields that match the committee's experts (P4).

use domain::projects::{SpecificationInput, TaskInput};

/// The assessment method of a demo specification: theory share (the practical part takes the rest),
/// theory and practical minutes, the smallest panel. Both parts pass at 60.
pub(super) struct Method(pub u32, pub u32, pub u32, pub u32);

pub(super) fn spec(
    name: &str,
    definition: &str,
    target: &str,
    tasks: &[(&str, &str, &str, u32)],
    Method(theory, theory_minutes, practical_minutes, panel): Method,
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
        theory_share: theory.to_string(),
        practical_share: (100 - theory).to_string(),
        theory_pass_mark: "60".into(),
        practical_pass_mark: "60".into(),
        theory_minutes: theory_minutes.to_string(),
        practical_minutes: practical_minutes.to_string(),
        min_panel_size: panel.to_string(),
        fields: fields.iter().map(|f| (*f).into()).collect(),
    }
}

/// 黄金茶制作 (保靖黄金茶), the 湘西 school's draft.
pub(super) fn golden_tea() -> SpecificationInput {
    spec(
        "黄金茶制作",
        "按照保靖黄金茶传统工艺，完成鲜叶采摘、摊青、杀青、揉捻、干燥并评定成品茶的能力",
        "从事或准备从事黄金茶加工的茶农、茶企员工及城乡劳动者",
        &[
            (
                "鲜叶采摘与摊青",
                "能按标准采摘一芽一叶至一芽二叶；能控制摊青厚度与时间",
                "茶树栽培基础；鲜叶分级标准",
                25,
            ),
            ("杀青、揉捻与干燥", "能按工艺控制杀青温度；能完成揉捻、提毫与烘干", "绿茶加工工艺；茶叶机械使用", 55),
            ("成品茶审评", "能按感官审评方法评定外形、汤色、香气、滋味和叶底", "茶叶感官审评知识；食品安全知识", 20),
        ],
        Method(30, 60, 180, 3),
        &["茶叶加工", "茶艺"],
    )
}

/// 土家织锦制作 (西兰卡普), submitted to the 长沙 center.
pub(super) fn tujia_brocade() -> SpecificationInput {
    spec(
        "土家织锦制作",
        "使用土家族传统腰机或斜织机，按纹样完成经线牵装、挑花织造和成品整理，织出土家织锦（西兰卡普）的能力",
        "从事或准备从事民族织锦生产的城乡劳动者，特别是武陵山区农村妇女和返乡创业人员",
        &[
            (
                "纹样识读与配色",
                "能识读“台台花”“阳雀花”等传统纹样；能按用途完成纹样放样与配色",
                "土家织锦纹样文化；色彩搭配基础",
                20,
            ),
            ("牵经与装机", "能按门幅完成牵经、穿综、上机；经线张力均匀", "织机结构与调整；经纬线材料知识", 25),
            (
                "挑花织造",
                "能用“反面挑织”技法完成通经断纬织造；纹样清晰、无跳纱",
                "土家织锦挑织技法；常见织疵及其防止",
                45,
            ),
            (
                "成品整理与质量检验",
                "能完成下机、修边、熨烫；能按标准检验成品",
                "织锦质量要求；非物质文化遗产保护常识",
                10,
            ),
        ],
        Method(20, 60, 240, 3),
        &["土家织锦", "民族工艺"],
    )
}

/// 银饰锻造 (苗族银饰), forwarded to the province, waiting for its review group.
pub(super) fn silver_forging() -> SpecificationInput {
    spec(
        "银饰锻造",
        "运用熔银、锻打、拉丝、錾刻、花丝、焊接等传统工艺，按图样锻制苗族银饰的能力",
        "从事或准备从事民族银饰加工的城乡劳动者及银饰作坊从业人员",
        &[
            ("熔炼与锻打", "能按成色要求熔炼银料；能锻打成片、成条，厚薄均匀", "贵金属材料知识；熔炼安全操作", 25),
            ("拉丝与花丝", "能拉制不同规格银丝；能完成掐丝、填丝、堆垒", "花丝工艺；常用工具使用与保养", 30),
            ("錾刻与成型", "能按图样錾刻纹样；能完成焊接、组装与成型", "苗族银饰纹样文化；焊接工艺", 35),
            ("抛光与检验", "能完成清洗、抛光；能检验成色与做工", "银饰质量标准；消费者权益保护常识", 10),
        ],
        Method(20, 60, 240, 3),
        &["银饰锻造", "民族工艺"],
    )
}

/// 武冈卤菜加工, under the committee's review.
pub(super) fn wugang_braise() -> SpecificationInput {
    spec(
        "武冈卤菜加工",
        "按照武冈卤菜传统工艺，完成原料选择与初加工、卤水调制、卤制与成品包装的能力",
        "从事或准备从事卤菜加工与经营的城乡劳动者",
        &[
            (
                "原料选择与初加工",
                "能识别禽畜及豆制品原料品质；能按工艺完成清洗、焯水、腌制",
                "原料知识；食品安全知识",
                25,
            ),
            ("卤水调制", "能按配方配制香辛料；能熬制、保存与续添老卤水", "香辛料知识；卤水调制原理", 30),
            ("卤制与火候控制", "能按品种控制卤制火候与时间；成品色泽、口感符合要求", "卤制工艺；热加工安全", 35),
            ("成品检验与包装", "能按标准检验成品；能完成分装、真空包装与标识", "食品包装与标签规定；冷链储运常识", 10),
        ],
        Method(30, 60, 150, 3),
        &["卤菜加工", "烹饪"],
    )
}

/// 馥郁香型白酒酿制 (酒鬼酒), published in pilot.
pub(super) fn fuyu_liquor() -> SpecificationInput {
    spec(
        "馥郁香型白酒酿制",
        "按照馥郁香型白酒“粮醅清蒸清烧、多粮颗粒原料、大小曲并用”等工艺，完成制曲、发酵、蒸馏与原酒品评的能力",
        "从事或准备从事白酒酿造的酒企员工、作坊从业人员及城乡劳动者",
        &[
            (
                "原料与制曲",
                "能识别高粱、大米、糯米、玉米、小麦等原料品质；能完成大曲、小曲制作与质量判定",
                "酿酒原料知识；微生物与制曲基础",
                25,
            ),
            ("发酵管理", "能完成拌料、摊晾、下曲、入窖；能按温度与时间管理窖池发酵", "固态发酵原理；窖池管理", 35),
            ("蒸馏与摘酒", "能装甑、控制蒸馏火力；能按酒度与香味分段摘酒", "蒸馏原理；安全生产知识", 25),
            ("原酒品评与储存", "能感官品评原酒的色、香、味、格；能分级入库储存", "白酒感官品评；白酒储存与老熟", 15),
        ],
        Method(30, 60, 180, 3),
        &["白酒酿制", "食品加工"],
    )
}

/// 莓茶制作 (张家界莓茶), rolled out province-wide.
pub(super) fn vine_tea() -> SpecificationInput {
    spec(
        "莓茶制作",
        "按照张家界莓茶加工工艺，完成嫩梢采摘、杀青、揉捻、发花、干燥和成品分级的能力",
        "从事或准备从事莓茶种植与加工的农户、合作社成员及城乡劳动者",
        &[
            ("嫩梢采摘与摊放", "能按标准采摘显齿藤嫩梢；能控制摊放时间与厚度", "显齿蛇葡萄栽培基础；鲜叶质量要求", 20),
            ("杀青与揉捻", "能控制杀青温度与时间；能完成揉捻成条", "莓茶加工工艺；加工机械使用", 35),
            ("发花与干燥", "能控制闷黄发花程度使二氢杨梅素析出；能完成烘干提香", "莓茶“发花”原理；干燥工艺", 30),
            ("成品分级与包装", "能按外形、色泽、白霜分级；能完成包装与标识", "莓茶产品标准；食品包装与标签规定", 15),
        ],
        Method(30, 60, 150, 3),
        &["莓茶制作", "茶艺", "食品加工"],
    )
}

/// 湘菜烹饪, rolled out province-wide (the demo station applies for it).
pub(super) fn hunan_cuisine() -> SpecificationInput {
    spec(
        "湘菜烹饪",
        "按照湘菜烹调技法，完成原料初加工、刀工、调味与火候控制，烹制湘菜代表菜品并装盘出品的能力",
        "从事或准备从事餐饮烹饪工作的城乡劳动者",
        &[
            (
                "原料初加工与刀工",
                "能完成禽畜、水产、蔬菜的初加工；能按菜品要求切配片、丝、丁、块",
                "烹饪原料知识；刀工刀法",
                25,
            ),
            (
                "调味与火候",
                "能运用剁辣椒、豆豉、腊味等湘菜调料调味；能控制爆、炒、蒸、煨火候",
                "湘菜调味原理；火候知识",
                35,
            ),
            (
                "湘菜代表菜烹制",
                "能在规定时间内烹制剁椒鱼头、小炒黄牛肉、腊味合蒸等菜品",
                "湘菜流派与代表菜；烹饪工艺",
                30,
            ),
            ("装盘出品与卫生", "能按标准装盘出品；能执行厨房卫生与安全规范", "餐饮食品安全操作规范；消防安全常识", 10),
        ],
        Method(30, 60, 120, 3),
        &["湘菜烹饪", "烹饪"],
    )
}

/// 铜官窑陶艺制作, published in pilot (the second demo station applies for it).
pub(super) fn tongguan_pottery() -> SpecificationInput {
    spec(
        "铜官窑陶艺制作",
        "按照长沙铜官窑陶瓷传统工艺，完成练泥、拉坯成型、釉下彩绘、施釉与烧成的能力",
        "从事或准备从事陶瓷手工制作的城乡劳动者、陶艺作坊和文创企业从业人员",
        &[
            ("练泥与拉坯成型", "能完成练泥、揉泥；能拉制壶、罐、碗等器型，壁厚均匀", "陶土材料知识；成型工艺", 35),
            ("釉下彩绘与诗文装饰", "能运用铜官窑釉下多彩技法绘制纹样和诗文", "铜官窑历史与装饰艺术；釉料知识", 30),
            ("施釉与烧成", "能完成浸釉、淋釉；能按烧成曲线装窑、烧窑", "窑炉结构与烧成原理；窑炉安全操作", 25),
            ("成品检验", "能识别变形、开裂、缩釉等缺陷并判定等级", "陶瓷产品质量标准", 10),
        ],
        Method(20, 60, 240, 3),
        &["陶艺", "民族工艺"],
    )
}

/// 米粉制作, adopted from the national center (kept exactly as the question bank's demo expects).
pub(super) fn rice_noodles() -> SpecificationInput {
    let example = SpecificationInput::example();
    SpecificationInput {
        name: "米粉制作".into(),
        definition: "按照米粉传统与现代工艺，完成选米、浸泡、磨浆、成型、熟化并制作成品米粉的能力".into(),
        target_group: "从事或准备从事米粉生产与经营的城乡劳动者".into(),
        tasks: [
            ("原料选择与处理", "能识别大米品质；能按工艺完成淘洗、浸泡与磨浆", "稻米知识；食品安全知识", 25),
            ("米粉成型与熟化", "能操作榨粉或切粉设备；能控制蒸煮熟化程度", "米粉加工工艺；设备安全操作", 50),
            ("米粉烹制与出品", "能调制汤底与码子；能按标准出品", "湖南米粉饮食文化；烹饪基础", 25),
        ]
        .iter()
        .map(|(n, norms, knowledge, w)| TaskInput {
            name: (*n).into(),
            norms: (*norms).into(),
            knowledge: (*knowledge).into(),
            weight: w.to_string(),
        })
        .collect(),
        fields: ["食品加工", "烹饪", "米粉制作"].iter().map(|f| (*f).into()).collect(),
        ..example
    }
}
