//! Versioned policy (V1): every number of the procedure and of docs/FACTS.md is a policy entry with an
//! effective date and a history. Nothing reads these numbers from constants; the defaults below are only
//! the first version, seeded by migration with the procedure's own effective date (2021-09-13).

use crate::error::FieldError;
use crate::numbering::NumberTemplate;
use serde::Serialize;
use time::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// A non-negative integer with a unit.
    Int {
        min: i64,
        max: i64,
    },
    /// Money in fen, shown in 元.
    Money,
    Bool,
    /// A number template with `{placeholders}`.
    Template,
    /// A fraction like `1/3`.
    Fraction,
    /// One of a few named options: `(stored value, label)`; the page shows and accepts the label, the
    /// stored value is what decisions read.
    Choice(&'static [(&'static str, &'static str)]),
    /// A list of names (F3: the subsidy's eligible categories), typed separated by 、，,；; or new lines,
    /// stored joined by 、 ([`list_items`] reads it); each item at most [`LIST_ITEM_MAX`] characters, each
    /// once, at least one.
    List,
}

/// The longest item of a [`ValueKind::List`].
pub const LIST_ITEM_MAX: usize = 30;

/// The items of a stored [`ValueKind::List`] value, in order.
pub fn list_items(stored: &str) -> Vec<String> {
    stored.split('、').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// E4: where an exam panel's assessors are drawn from (`exam.panel_region`).
pub const PANEL_REGION_CHOICES: &[(&str, &str)] =
    &[("organizer", "组织考核的鉴定中心所辖地区（市州组织的本市州，省组织的全省）"), ("province", "全省")];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Procedure numbers, published by the province admin.
    Procedure,
    /// Security settings (passwords, lockout, sessions), published by the security admin.
    Security,
}

/// One policy entry: its key, what it means, the clause it serves and its first value.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct PolicyDef {
    pub key: &'static str,
    pub label: &'static str,
    pub clause: &'static str,
    pub unit: &'static str,
    pub kind: ValueKind,
    pub category: Category,
    pub default: &'static str,
    /// No official source confirmed the value (docs/FACTS.md, "Assumption (待确认)"): shown as 待确认.
    pub assumption: bool,
}

const fn int(min: i64, max: i64) -> ValueKind {
    ValueKind::Int { min, max }
}

macro_rules! defs {
    ($($name:ident = $key:literal, $label:literal, $clause:literal, $unit:literal, $kind:expr, $cat:ident, $default:literal, $assume:literal;)+) => {
        /// Policy keys, as constants so callers cannot misspell them.
        pub mod keys { $(pub const $name: &str = $key;)+ }
        pub const DEFS: &[PolicyDef] = &[$(PolicyDef {
            key: $key, label: $label, clause: $clause, unit: $unit, kind: $kind,
            category: Category::$cat, default: $default, assumption: $assume,
        }),+];
    };
}

defs! {
    EVALUATION_PLAN_LEAD_DAYS = "filing.evaluation_plan_lead_working_days", "评估方案报省鉴定中心的提前期", "S3", "个工作日", int(1, 60), Procedure, "10", false;
    EXAM_PLAN_LEAD_DAYS = "exam.plan_lead_working_days", "考务方案报市州鉴定中心的提前期", "E3", "个工作日", int(1, 60), Procedure, "10", false;
    PILOT_MAX_MONTHS = "project.pilot_max_months", "考核试点期上限", "P8", "个月", int(1, 36), Procedure, "6", false;
    PILOT_REMINDER_DAYS = "project.pilot_reminder_days", "考核试点期满提前提醒天数", "P8", "天", int(1, 180), Procedure, "30", true;
    PAPER_RETENTION_YEARS = "archive.paper_retention_years", "纸质材料保存期限", "E7", "年", int(1, 30), Procedure, "3", false;
    ELECTRONIC_RETENTION_YEARS = "archive.electronic_retention_years", "电子材料保存期限", "E7", "年", int(1, 30), Procedure, "5", false;
    ARCHIVE_FILE_MAX_KB = "archive.electronic_file_max_kb", "电子归档材料文件大小上限", "E7", "KB", int(64, 20480), Procedure, "20480", true;
    ASSESSMENT_FEE = "fee.assessment_fee", "考核收费标准（初级工 C 类）", "F1", "元/人", ValueKind::Money, Procedure, "15000", true;
    CERTIFICATE_SUBSIDY = "subsidy.certificate_subsidy", "取证补贴标准", "F3", "元/人", ValueKind::Money, Procedure, "0", true;
    SUBSIDY_CATEGORIES = "subsidy.eligible_categories", "享受取证补贴的人员类别", "F3", "", ValueKind::List, Procedure, "登记失业人员、脱贫劳动力、农村转移劳动力、毕业年度高校毕业生、城乡未继续升学的应届初高中毕业生", true;
    PANEL_MIN_ASSESSORS = "exam.panel_min_assessors", "考评组最少考评员人数", "E4", "人", int(1, 20), Procedure, "3", true;
    ROTATION_MAX_CONSECUTIVE = "exam.rotation_max_consecutive", "同一考评员连续在同一考核站任职次数上限", "E4", "次", int(1, 20), Procedure, "3", true;
    ROTATION_MIN_REPLACED = "exam.rotation_min_replaced", "考评组每次至少更换的比例", "E4", "", ValueKind::Fraction, Procedure, "1/3", true;
    PANEL_REGION = "exam.panel_region", "考评员选派地区范围", "E4", "", ValueKind::Choice(PANEL_REGION_CHOICES), Procedure, "organizer", true;
    EXPERT_GROUP_SIZE = "draw.expert_group_size", "专家评议组人数", "S4", "人", int(1, 15), Procedure, "5", true;
    EXPERT_GROUP_MIN = "draw.expert_group_min", "专家评议组人数下限", "S4", "人", int(1, 15), Procedure, "3", true;
    EXPERT_GROUP_MAX = "draw.expert_group_max", "专家评议组人数上限", "S4", "人", int(1, 15), Procedure, "7", true;
    RECUSAL_LOOKBACK_YEARS = "draw.recusal_lookback_years", "专家回避：曾在申请单位任职的追溯年限", "S4", "年", int(0, 20), Procedure, "3", true;
    RECUSAL_SAME_CITY = "draw.recusal_same_city", "专家回避：与申请单位同一市州", "S4", "", ValueKind::Bool, Procedure, "false", true;
    PARALLEL_OVERLAP_MAX_PERCENT = "qbank.parallel_overlap_max_percent", "平行试卷（A/B 卷）重复试题比例上限", "E2", "%", int(0, 100), Procedure, "20", true;
    INSTITUTION_CODE_TEMPLATE = "number.institution_code_template", "考核站机构编码规则", "S5", "", ValueKind::Template, Procedure, "HN{city2}{serial4}", true;
    FILING_REFERENCE_TEMPLATE = "number.filing_reference_template", "考核站备案申请编号规则", "S2", "", ValueKind::Template, Procedure, "备{yyyy}-{serial4}", true;
    PROJECT_CODE_TEMPLATE = "number.project_code_template", "考核项目代码规则", "P4", "", ValueKind::Template, Procedure, "{serial4}", true;
    CERTIFICATE_NUMBER_TEMPLATE = "number.certificate_number_template", "证书编号规则", "C1", "", ValueKind::Template, Procedure, "43{city2}{yy}{project4}{serial6}", true;
    ASSESSOR_CARD_TEMPLATE = "number.assessor_card_template", "考评员证编号规则", "E8", "", ValueKind::Template, Procedure, "KP43{city2}{yy}{serial4}", true;
    SUPERVISOR_CARD_TEMPLATE = "number.supervisor_card_template", "督导员资格证编号规则", "E9", "", ValueKind::Template, Procedure, "DD43{city2}{yy}{serial4}", true;
    TRAINER_CERTIFICATE_TEMPLATE = "number.trainer_certificate_template", "培训师证书编号规则", "E10", "", ValueKind::Template, Procedure, "PX43{city2}{yy}{serial4}", true;
    CANDIDATE_PHOTO_MAX_KB = "exam.candidate_photo_max_kb", "考生照片文件大小上限", "E3", "KB", int(50, 10240), Procedure, "2048", true;
    ADMISSION_TICKET_TEMPLATE = "number.admission_ticket_template", "准考证号编号规则", "E3", "", ValueKind::Template, Procedure, "ZK{city2}{yy}{project4}{serial4}", true;
    CARD_VALIDITY_YEARS = "registry.card_validity_years", "考评员证、督导员资格证、培训师证书有效期", "E8", "年", int(1, 20), Procedure, "3", true;
    PASSWORD_MIN_LENGTH = "security.password_min_length", "密码最小长度", "等保三级", "位", int(8, 64), Security, "8", false;
    PASSWORD_MIN_CLASSES = "security.password_min_classes", "密码至少包含的字符类别数", "等保三级", "类", int(1, 4), Security, "3", false;
    LOCKOUT_THRESHOLD = "security.lockout_threshold", "连续登录失败锁定次数", "等保三级", "次", int(3, 20), Security, "5", false;
    LOCKOUT_MINUTES = "security.lockout_minutes", "账号锁定时长", "等保三级", "分钟", int(1, 1440), Security, "15", false;
    SESSION_IDLE_MINUTES = "security.session_idle_minutes", "会话空闲超时", "等保三级", "分钟", int(5, 120), Security, "30", false;
    SESSION_ABSOLUTE_HOURS = "security.session_absolute_hours", "会话最长有效期", "等保三级", "小时", int(1, 24), Security, "12", false;
    ACCOUNT_FAILURE_CEILING = "security.account_failure_ceiling_per_hour", "同一账号每小时登录失败告警阈值（各地址合计）", "等保三级", "次/小时", int(10, 100000), Security, "50", false;
    RATE_SIGN_IN_PER_MINUTE = "security.rate_sign_in_per_minute", "登录与双因素验证请求频率上限（每个客户端地址）", "等保三级", "次/分钟", int(1, 100000), Security, "20", false;
    RATE_SIGN_IN_BURST = "security.rate_sign_in_burst", "登录与双因素验证请求突发上限（每个客户端地址）", "等保三级", "次", int(1, 100000), Security, "10", false;
    RATE_TOKEN_PER_MINUTE = "security.rate_token_per_minute", "令牌签发与 API 改密请求频率上限（每个客户端地址）", "等保三级", "次/分钟", int(1, 100000), Security, "20", false;
    RATE_TOKEN_BURST = "security.rate_token_burst", "令牌签发与 API 改密请求突发上限（每个客户端地址）", "等保三级", "次", int(1, 100000), Security, "10", false;
    RATE_PUBLIC_PER_MINUTE = "security.rate_public_per_minute", "公开查询页面请求频率上限（每个客户端地址）", "等保三级", "次/分钟", int(1, 100000), Security, "120", false;
    RATE_PUBLIC_BURST = "security.rate_public_burst", "公开查询页面请求突发上限（每个客户端地址）", "等保三级", "次", int(1, 100000), Security, "60", false;
    RATE_API_PER_MINUTE = "security.rate_api_per_minute", "API 请求频率上限（每个客户端地址）", "等保三级", "次/分钟", int(1, 100000), Security, "1200", false;
    RATE_API_BURST = "security.rate_api_burst", "API 请求突发上限（每个客户端地址）", "等保三级", "次", int(1, 100000), Security, "300", false;
    RATE_CERTIFICATE_QUERY_PER_MINUTE = "security.rate_certificate_query_per_minute", "证书查询请求频率上限（每个客户端地址，含网页与 API）", "C2", "次/分钟", int(1, 100000), Security, "10", false;
    RATE_CERTIFICATE_QUERY_BURST = "security.rate_certificate_query_burst", "证书查询请求突发上限（每个客户端地址，含网页与 API）", "C2", "次", int(1, 100000), Security, "10", false;
}

/// The date the procedure came into force (V1): the effective date of every first version.
pub const PROCEDURE_EFFECTIVE_FROM: Date = time::macros::date!(2021 - 09 - 13);

pub fn def(key: &str) -> Option<&'static PolicyDef> {
    DEFS.iter().find(|d| d.key == key)
}

impl PolicyDef {
    /// Parse a value typed by a person (money in 元, as shown) into the stored form.
    pub fn parse_input(&self, raw: &str) -> Result<String, FieldError> {
        let raw = raw.trim();
        let err = |detail: String| FieldError::new("value", "POLICY_VALUE_INVALID", detail);
        match self.kind {
            ValueKind::Int { min, max } => match raw.parse::<i64>() {
                Ok(n) if (min..=max).contains(&n) => Ok(n.to_string()),
                _ => Err(err(format!("「{}」应为 {min} 至 {max} 之间的整数", self.label))),
            },
            ValueKind::Money => crate::ids::Money::parse_yuan(raw)
                .map(|m| m.fen().to_string())
                .map_err(|_| err(format!("「{}」应为金额（元），最多两位小数，如 150.00", self.label))),
            ValueKind::Bool => match raw {
                "true" | "是" | "1" => Ok("true".into()),
                "false" | "否" | "0" => Ok("false".into()),
                _ => Err(err(format!("「{}」应为“是”或“否”", self.label))),
            },
            ValueKind::Fraction => {
                let ok = raw.split_once('/').is_some_and(
                    |(a, b)| matches!((a.parse::<u32>(), b.parse::<u32>()), (Ok(n), Ok(d)) if d > 0 && n > 0 && n <= d),
                );
                if ok { Ok(raw.to_string()) } else { Err(err(format!("「{}」应为分数，如 1/3", self.label))) }
            }
            ValueKind::Choice(options) => options
                .iter()
                .find(|(value, label)| raw == *value || raw == *label)
                .map(|(value, _)| (*value).to_owned())
                .ok_or_else(|| {
                    let labels: Vec<&str> = options.iter().map(|(_, l)| *l).collect();
                    err(format!("「{}」应为以下之一：{}", self.label, labels.join("；")))
                }),
            ValueKind::List => {
                let mut items: Vec<&str> = Vec::new();
                for part in raw.split(['、', '，', ',', '；', ';', '\n', '\r']).map(str::trim).filter(|p| !p.is_empty())
                {
                    if part.chars().count() > LIST_ITEM_MAX || part.chars().any(char::is_control) {
                        return Err(err(format!(
                            "「{}」的每一项不得超过 {LIST_ITEM_MAX} 个字（「{part}」），多项用顿号分隔",
                            self.label
                        )));
                    }
                    if !items.contains(&part) {
                        items.push(part);
                    }
                }
                if items.is_empty() {
                    return Err(err(format!("「{}」至少填写一项，多项用顿号分隔", self.label)));
                }
                Ok(items.join("、"))
            }
            ValueKind::Template => {
                // The filing reference is read by people only: Chinese allowed, year and serial only.
                if self.key == keys::FILING_REFERENCE_TEMPLATE {
                    let t =
                        crate::numbering::check_filing_reference_template("value", raw).map_err(|e| err(e.detail))?;
                    return Ok(t.as_str().to_owned());
                }
                // One parser for every number template (S5, C1, E3): publish only what renders.
                let template = NumberTemplate::parse("value", raw).map_err(|e| err(e.detail))?;
                // S5: the institution code is rendered by `stations`; publish only what a filing decision
                // can fill, or every decision would fail until the template is republished.
                if self.key == keys::INSTITUTION_CODE_TEMPLATE {
                    crate::stations::check_institution_code_template(raw).map_err(|e| err(e.detail))?;
                }
                // E8–E10: a card covers several projects, so its number has no project code.
                if let Some(kind) = crate::registry::PersonKind::ALL.iter().find(|k| k.template_key() == self.key) {
                    crate::registry::check_card_template(raw, *kind).map_err(|e| err(e.detail))?;
                }
                // P4: the project code is digits only (the certificate number takes it as a number).
                if self.key == keys::PROJECT_CODE_TEMPLATE {
                    crate::projects::check_project_code_template(raw).map_err(|e| err(e.detail))?;
                }
                // C1: a certificate number is rendered from the city, the year, the project and the serial.
                if self.key == keys::CERTIFICATE_NUMBER_TEMPLATE {
                    template
                        .supplied_by(crate::certificates::CERTIFICATE_PARTS, "证书编号")
                        .map_err(|e| err(e.detail))?;
                }
                // E3: a ticket number takes the city, the year, the project and the serial only.
                if self.key == keys::ADMISSION_TICKET_TEMPLATE {
                    crate::exams::check_ticket_template("value", raw).map_err(|e| err(e.detail))?;
                }
                Ok(template.as_str().to_owned())
            }
        }
    }

    /// For a choice, its options as the page lists them (可选：…；…); `None` for other kinds.
    pub fn options_hint(&self) -> Option<String> {
        match self.kind {
            ValueKind::Choice(options) => {
                Some(format!("可选：{}", options.iter().map(|(_, l)| *l).collect::<Vec<_>>().join("；")))
            }
            _ => None,
        }
    }

    /// The stored value as people read it (money in 元 with two decimals); `None` when the stored text
    /// is not a value of this kind (the caller names the record — never a default).
    pub fn display(&self, stored: &str) -> Option<String> {
        Some(match self.kind {
            ValueKind::Money => format!("{}", crate::ids::Money::from_fen(stored.parse().ok()?)),
            ValueKind::Bool => match stored {
                "true" => "是".to_string(),
                "false" => "否".to_string(),
                _ => return None,
            },
            ValueKind::Choice(options) => options.iter().find(|(v, _)| *v == stored)?.1.to_owned(),
            _ => stored.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1_every_default_parses_under_its_own_rule() {
        for d in DEFS {
            let shown = d.display(d.default).unwrap_or_else(|| panic!("{} default displays", d.key));
            assert_eq!(d.parse_input(&shown).as_deref(), Ok(d.default), "{}", d.key);
        }
    }

    #[test]
    fn v1_keys_are_unique() {
        let mut keys: Vec<_> = DEFS.iter().map(|d| d.key).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), DEFS.len());
    }

    #[test]
    fn v1_bad_values_are_refused_with_the_label() {
        let d = def(keys::EVALUATION_PLAN_LEAD_DAYS).expect("defined");
        assert!(d.parse_input("0").is_err());
        assert!(d.parse_input("十").unwrap_err().detail.contains("评估方案"));
        let fee = def(keys::ASSESSMENT_FEE).expect("defined");
        assert_eq!(fee.parse_input("150.5").as_deref(), Ok("15050"));
        assert!(fee.parse_input("-1").is_err());
        let t = def(keys::INSTITUTION_CODE_TEMPLATE).expect("defined");
        assert!(t.parse_input("HN{city2").is_err());
        assert!(t.parse_input("HN{city2}").is_err());
        // S5: only what the institution code can render is published.
        for bad in ["HN{city}{serial4}", "{serial4}{serial4}", "{serial10}", "HN {serial4}"] {
            assert!(t.parse_input(bad).is_err(), "{bad} accepted");
        }
        assert_eq!(t.parse_input("HN{city2}{yyyy}{serial3}").as_deref(), Ok("HN{city2}{yyyy}{serial3}"));
        // P4: only digits-only project codes that fit the certificate's {projectN}.
        let p = def(keys::PROJECT_CODE_TEMPLATE).expect("defined");
        for bad in ["P{serial4}", "{city2}{serial4}", "{project4}{serial2}", "{yyyy}{serial6}", "{serial4"] {
            assert!(p.parse_input(bad).is_err(), "{bad} accepted");
        }
        assert_eq!(p.parse_input(" 9{serial3} ").as_deref(), Ok("9{serial3}"));
        assert_eq!(p.parse_input("{yy}{serial4}").as_deref(), Ok("{yy}{serial4}"));
        let f = def(keys::ROTATION_MIN_REPLACED).expect("defined");
        assert!(f.parse_input("3/1").is_err());
    }

    #[test]
    fn f3_v1_a_list_is_its_items_each_once_joined_by_the_enumeration_comma() {
        let d = def(keys::SUBSIDY_CATEGORIES).expect("defined");
        assert_eq!(d.kind, ValueKind::List);
        assert_eq!(list_items(d.default).len(), 5);
        assert_eq!(
            d.parse_input(" 脱贫劳动力，登记失业人员;脱贫劳动力\n退役军人 ").as_deref(),
            Ok("脱贫劳动力、登记失业人员、退役军人")
        );
        assert_eq!(list_items("脱贫劳动力、 登记失业人员、"), vec!["脱贫劳动力".to_owned(), "登记失业人员".to_owned()]);
        let e = d.parse_input(" 、 ").expect_err("empty");
        assert!(e.detail.contains("至少填写一项") && e.detail.contains("人员类别"), "{}", e.detail);
        let long = "类".repeat(LIST_ITEM_MAX + 1);
        assert!(d.parse_input(&long).expect_err("too long").detail.contains("不得超过"));
        assert_eq!(d.display("a、b").as_deref(), Some("a、b"));
    }

    #[test]
    fn e4_v1_the_panel_region_is_one_of_its_options_typed_as_value_or_label() {
        let d = def(keys::PANEL_REGION).expect("defined");
        assert_eq!(d.parse_input("province").as_deref(), Ok("province"));
        assert_eq!(d.parse_input(" 全省 ").as_deref(), Ok("province"));
        assert_eq!(d.display("organizer").as_deref(), Some(PANEL_REGION_CHOICES[0].1));
        assert_eq!(d.display("city"), None, "a stored value outside the options is not shown as one");
        let e = d.parse_input("本市").expect_err("not an option");
        assert!(e.detail.contains("考评员选派地区范围") && e.detail.contains("全省"), "{}", e.detail);
    }
}
