//! S1, S2: the annex-1 application (《湖南省专项职业能力考核站备案申报表》) as a parsed command
//! ([`FilingApplication::parse`]): every form field, the facilities and assessor staffing tables, the five
//! S1 conditions as a checklist with evidence ([`S1Condition`]), the attached materials
//! ([`MaterialKind`], [`check_materials`]) and the applicant's commitment. All errors come at once, each
//! naming its field (`facilities[2].name`, `conditions.experience.evidence`) in Chinese.
//! [`ApplicationInput::example`] is a complete, valid form for tests and demonstrations.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::findings::FINDING_MAX_CHARS;
use super::routing::{ApplicantCategory, Receiver, route};
use super::{text_block, text_field};
use crate::enums::string_enum;
use crate::error::{FieldError, FieldErrors};
use crate::ids::{PersonName, Phone, RegionCode};
use crate::org::Nature;

string_enum! {
    /// S1: the five conditions an applicant must meet, each affirmed with evidence on the form.
    S1Condition {
        LegalPerson = "legal_person" => "独立法人资格与良好信用",
        Experience = "experience" => "考核培训经验",
        Offices = "offices" => "办公用房和办公设施",
        StaffAndVenues = "staff_and_venues" => "专职人员、专家团队、场地和设施设备",
        ManagementRules = "management_rules" => "管理规章制度",
    }
}

impl S1Condition {
    /// The clause's own words (S1, items 1–5).
    pub fn text(self) -> &'static str {
        match self {
            S1Condition::LegalPerson => "具备独立法人资格，且管理规范、信用良好，无违法违规失信等不良记录",
            S1Condition::Experience => "在所申请的考核项目方面有较丰富的考核培训经验",
            S1Condition::Offices => "有满足工作需要的办公用房和办公设施",
            S1Condition::StaffAndVenues => {
                "有与申请考核项目相适应的专职工作人员、专家团队及符合考核要求的场地和设施设备"
            }
            S1Condition::ManagementRules => {
                "有完善的管理规章制度，包括财务管理制度、档案管理制度、考务管理制度、质量管理制度等"
            }
        }
    }
}

string_enum! {
    /// Annex 1 "材料附件目录": the four kinds of attached materials.
    MaterialKind {
        QualificationProof = "qualification_proof" => "机构资质证明",
        VenueEquipmentList = "venue_equipment_list" => "考核项目场地、设备清单",
        AssessorRoster = "assessor_roster" => "考评人员名册与资质证明",
        ManagementRules = "management_rules" => "管理运行制度和管理人员名册",
    }
}

/// Annex 1: every kind of material is attached at least once. Errors: `materials.<kind>`
/// (`MATERIAL_MISSING`).
pub fn check_materials(attached: &[MaterialKind]) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    for kind in MaterialKind::ALL {
        if !attached.contains(kind) {
            errors.push(FieldError::new(
                format!("materials.{}", kind.id()),
                "MATERIAL_MISSING",
                format!("请上传附件材料“{}”", kind.label()),
            ));
        }
    }
    errors.into_result()
}

/// Default minimum of assessor staffing rows: one assessment panel (policy `exam.panel_min_assessors`,
/// whose first version is 3). The store passes the version in force to [`FilingApplication::parse_with`].
pub const DEFAULT_MIN_ASSESSORS: usize = 3;
/// Upper bound on the rows of each table (projects, facilities, assessors).
pub const MAX_ROWS: usize = 200;

/// A row of the facilities/equipment/venue table (设施设备、场地) as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct FacilityInput {
    pub name: String,
    /// Specification and quantity, e.g. "商用燃气灶 6 台" or "200 平方米".
    pub specification: String,
    pub purpose: String,
}

impl FacilityInput {
    /// Every cell empty: the row is ignored (a form's spare row), keeping the other rows' indexes.
    pub fn is_blank(&self) -> bool {
        [&self.name, &self.specification, &self.purpose].iter().all(|s| s.trim().is_empty())
    }
}

/// A row of the assessor staffing table (考评人员配置情况) as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct AssessorInput {
    pub name: String,
    /// Qualification and card number (考评员证卡编号 or other proof).
    pub qualification: String,
    /// One of the projects applied for.
    pub project: String,
}

impl AssessorInput {
    /// Every cell empty: the row is ignored (a form's spare row), keeping the other rows' indexes.
    pub fn is_blank(&self) -> bool {
        [&self.name, &self.qualification, &self.project].iter().all(|s| s.trim().is_empty())
    }
}

/// One S1 condition on the checklist as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct ConditionInput {
    /// An [`S1Condition`] id.
    pub condition: String,
    pub affirmed: bool,
    pub evidence: String,
}

/// The annex-1 form as typed (also the draft the store keeps before submission). Any field may be
/// left out or blank while it is a draft (issue 9 item 11); submission checks the whole form, so the
/// OpenAPI schema marks no field required.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema), schema(example = json!(ApplicationInput::example())))]
#[serde(default)]
pub struct ApplicationInput {
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub institution_name: String,
    /// A [`Nature`] id.
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub nature: String,
    /// An [`ApplicantCategory`] id.
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub category: String,
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub person_in_charge_name: String,
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub person_in_charge_phone: String,
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub contact_name: String,
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub contact_phone: String,
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub address: String,
    /// GB/T 2260 code of the Hunan city or county where the institution is.
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub region_code: String,
    /// The projects applied for (F2): each a current project of the catalog (in pilot or in force,
    /// `GET /api/v1/catalog`), by its code or its name; anything else is refused beside its cell
    /// (`PROJECT_NOT_IN_CATALOG`). The application keeps the catalog's name.
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub projects: Vec<String>,
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub facilities: Vec<FacilityInput>,
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub assessors: Vec<AssessorInput>,
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub conditions: Vec<ConditionInput>,
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub legal_representative: String,
    /// The legal representative confirmed the commitment (本人承诺以上所填内容及所提供材料真实有效……).
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub commitment_confirmed: bool,
}

impl ApplicationInput {
    /// A complete, valid annex-1 form (S1, S2): a private vocational school in 岳麓区, 长沙市 (so routed to
    /// the 长沙 city center) applying for two projects, with three facilities, three assessors (one
    /// assessment panel), all five S1 conditions affirmed with evidence and the commitment confirmed.
    /// Tests and demonstrations start from it and change what they are about:
    ///
    /// ```
    /// use domain::stations::{ApplicationInput, FilingApplication};
    ///
    /// let input = ApplicationInput { category: "central_enterprise".into(), ..ApplicationInput::example() };
    /// assert_eq!(FilingApplication::parse(&input).expect("valid").receiving_center_region().as_str(), "430000");
    /// ```
    pub fn example() -> ApplicationInput {
        let facility = |name: &str, specification: &str, purpose: &str| FacilityInput {
            name: name.into(),
            specification: specification.into(),
            purpose: purpose.into(),
        };
        let assessor = |name: &str, qualification: &str, project: &str| AssessorInput {
            name: name.into(),
            qualification: qualification.into(),
            project: project.into(),
        };
        ApplicationInput {
            institution_name: "长沙市岳麓区米粉职业培训学校".into(),
            nature: Nature::PrivateNonEnterprise.id().into(),
            category: ApplicantCategory::OtherUnit.id().into(),
            person_in_charge_name: "张三".into(),
            person_in_charge_phone: "13800138000".into(),
            contact_name: "李四".into(),
            contact_phone: "0731-84567890".into(),
            address: "湖南省长沙市岳麓区麓山南路 1 号".into(),
            region_code: "430104".into(),
            projects: vec!["米粉制作".into(), "湘菜烹饪".into()],
            facilities: vec![
                facility("实操教室", "200 平方米", "米粉制作实操考核"),
                facility("商用燃气灶", "6 台", "湘菜烹饪实操考核"),
                facility("理论考场", "40 座", "理论知识考试"),
            ],
            assessors: vec![
                assessor("王五", "ZX-2024-0001", "米粉制作"),
                assessor("赵六", "ZX-2024-0002", "米粉制作"),
                assessor("阿依古丽·买买提", "ZX-2024-0003", "湘菜烹饪"),
            ],
            conditions: S1Condition::ALL
                .iter()
                .map(|c| ConditionInput {
                    condition: c.id().into(),
                    affirmed: true,
                    evidence: format!("见附件：{}", c.label()),
                })
                .collect(),
            legal_representative: "张三".into(),
            commitment_confirmed: true,
        }
    }
}

/// A name and phone (负责人, 联系人).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactPerson {
    pub name: PersonName,
    pub phone: Phone,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Facility {
    pub name: String,
    pub specification: String,
    pub purpose: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssessorRow {
    pub name: PersonName,
    pub qualification: String,
    pub project: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConditionEvidence {
    pub condition: S1Condition,
    pub evidence: String,
}

/// A parsed annex-1 application (S1, S2): every field present and well-formed, every S1 condition
/// affirmed with evidence, the commitment confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilingApplication {
    institution_name: String,
    nature: Nature,
    category: ApplicantCategory,
    person_in_charge: ContactPerson,
    contact: ContactPerson,
    address: String,
    region: RegionCode,
    projects: Vec<String>,
    facilities: Vec<Facility>,
    assessors: Vec<AssessorRow>,
    conditions: Vec<ConditionEvidence>,
    legal_representative: PersonName,
}

fn too_many(field: &str, label: &str) -> FieldError {
    FieldError::new(field, "ROWS_TOO_MANY", format!("{label}最多 {MAX_ROWS} 行，请合并或另附材料"))
}

fn contact(errors: &mut FieldErrors, prefix: &str, label: &str, name: &str, phone: &str) -> Option<ContactPerson> {
    let name = errors.take(person(&format!("{prefix}.name"), &format!("{label}姓名"), name));
    let phone = errors.take(if phone.trim().is_empty() {
        Err(FieldError::new(format!("{prefix}.phone"), "PHONE_FORMAT", format!("请填写{label}电话")))
    } else {
        Phone::parse(phone).map_err(|e| e.for_field(format!("{prefix}.phone")))
    });
    Some(ContactPerson { name: name?, phone: phone? })
}

/// A person's name in `field`; blank reads 请填写<label> (issue 9 item 7), the rest as [`PersonName`].
fn person(field: &str, label: &str, raw: &str) -> Result<PersonName, FieldError> {
    if raw.trim().is_empty() {
        return Err(FieldError::new(field, "NAME_LENGTH", format!("请填写{label}")));
    }
    PersonName::parse(raw).map_err(|e| e.for_field(field))
}

impl FilingApplication {
    /// Parse with the default minimum of [`DEFAULT_MIN_ASSESSORS`] assessor rows.
    pub fn parse(input: &ApplicationInput) -> Result<FilingApplication, FieldErrors> {
        Self::parse_with(input, DEFAULT_MIN_ASSESSORS)
    }

    /// Parse the form, reporting every error at once. Fields: `institution_name`, `nature`, `category`,
    /// `person_in_charge.name|phone`, `contact.name|phone`, `address`, `region_code`, `projects`,
    /// `projects[i]`, `facilities`, `facilities[i].name|specification|purpose`, `assessors`,
    /// `assessors[i].name|qualification|project`, `conditions[i].condition`,
    /// `conditions.<id>.affirmed|evidence`, `commitment.legal_representative`, `commitment.confirmed`.
    pub fn parse_with(input: &ApplicationInput, min_assessors: usize) -> Result<FilingApplication, FieldErrors> {
        let mut e = FieldErrors::new();

        let institution_name = e.take(text_field(
            "institution_name",
            &input.institution_name,
            2,
            100,
            "INSTITUTION_NAME_LENGTH",
            "机构名称",
        ));
        let nature = Nature::parse(input.nature.trim());
        if nature.is_none() {
            let list: Vec<&str> = Nature::ALL.iter().map(|n| n.label()).collect();
            let detail = if input.nature.trim().is_empty() {
                "请选择单位性质".to_string()
            } else {
                format!("请选择单位性质：{}", list.join("、"))
            };
            e.push(FieldError::new("nature", "NATURE_UNKNOWN", detail));
        }
        let category = ApplicantCategory::parse(input.category.trim());
        if category.is_none() {
            let list: Vec<&str> = ApplicantCategory::ALL.iter().map(|c| c.label()).collect();
            let detail = if input.category.trim().is_empty() {
                "请选择申请单位类别".to_string()
            } else {
                format!("请选择申请单位类别：{}", list.join("、"))
            };
            e.push(FieldError::new("category", "APPLICANT_CATEGORY_UNKNOWN", detail));
        }
        let person_in_charge =
            contact(&mut e, "person_in_charge", "负责人", &input.person_in_charge_name, &input.person_in_charge_phone);
        let contact_person = contact(&mut e, "contact", "联系人", &input.contact_name, &input.contact_phone);
        let address = e.take(text_field("address", &input.address, 5, 200, "ADDRESS_LENGTH", "详细地址"));
        let region = e.take(parse_region(&input.region_code));

        let projects = parse_projects(&mut e, &input.projects);
        let facilities = parse_facilities(&mut e, &input.facilities);
        // Assessors name a project row as typed (a row with its own error is not reported twice); with no
        // project at all, only the missing projects are reported.
        let declared: Vec<&str> = input.projects.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).collect();
        let assessors = parse_assessors(&mut e, &input.assessors, &declared, min_assessors);
        let conditions = parse_conditions(&mut e, &input.conditions);

        let legal_representative =
            e.take(person("commitment.legal_representative", "法定代表人姓名", &input.legal_representative));
        if !input.commitment_confirmed {
            e.push(FieldError::new(
                "commitment.confirmed",
                "COMMITMENT_NOT_CONFIRMED",
                "须由法定代表人确认承诺：所填内容及所提供材料真实有效",
            ));
        }

        let parsed = (|| {
            Some(FilingApplication {
                institution_name: institution_name?,
                nature: nature?,
                category: category?,
                person_in_charge: person_in_charge?,
                contact: contact_person?,
                address: address?,
                region: region?,
                projects,
                facilities,
                assessors,
                conditions,
                legal_representative: legal_representative?,
            })
        })();
        match (e.into_result(), parsed) {
            (Ok(()), Some(app)) => Ok(app),
            (Err(errors), _) => Err(errors),
            // Every `None` above recorded its error.
            (Ok(()), None) => Err(FieldErrors::new()),
        }
    }

    /// A draft as saved before submission (issue 9 item 11): only what is filled in is checked — its
    /// format, length and characters, as at submission — so a half-filled form can be kept. What is
    /// missing (blank fields, too few rows, unaffirmed conditions, the commitment) and how the rows
    /// agree with each other (an assessor's project among the projects) wait for [`Self::parse_with`]
    /// at submission. Errors name their field as [`Self::parse_with`] does.
    pub fn check_draft(input: &ApplicationInput) -> Result<(), FieldErrors> {
        let Err(errors) = Self::parse_with(input, 0) else {
            return Ok(());
        };
        let kept: Vec<FieldError> = errors
            .0
            .into_iter()
            .filter(|e| e.code == "ROWS_TOO_MANY" || draft_value(input, &e.field).is_some_and(|v| !v.trim().is_empty()))
            .collect();
        FieldErrors(kept).into_result()
    }

    pub fn institution_name(&self) -> &str {
        &self.institution_name
    }
    pub fn nature(&self) -> Nature {
        self.nature
    }
    pub fn category(&self) -> ApplicantCategory {
        self.category
    }
    pub fn person_in_charge(&self) -> &ContactPerson {
        &self.person_in_charge
    }
    pub fn contact(&self) -> &ContactPerson {
        &self.contact
    }
    pub fn address(&self) -> &str {
        &self.address
    }
    /// The Hunan city or county code of the institution.
    pub fn region(&self) -> &RegionCode {
        &self.region
    }
    /// The Hunan city the institution is in (its data scope and the `{city2}` of its institution code).
    pub fn city(&self) -> RegionCode {
        // `parse_region` proved the region lies in a Hunan city.
        self.region.city().unwrap_or_else(|| self.region.clone())
    }
    /// The projects applied for, trimmed, in the order given, without duplicates.
    pub fn projects(&self) -> &[String] {
        &self.projects
    }
    pub fn facilities(&self) -> &[Facility] {
        &self.facilities
    }
    pub fn assessors(&self) -> &[AssessorRow] {
        &self.assessors
    }
    /// The five S1 conditions with their evidence, in [`S1Condition::ALL`] order.
    pub fn conditions(&self) -> &[ConditionEvidence] {
        &self.conditions
    }
    pub fn legal_representative(&self) -> &PersonName {
        &self.legal_representative
    }
    /// S2: where the application goes.
    pub fn receiver(&self) -> Receiver {
        route(self.category)
    }
    /// S2: the region code of the receiving center (the city, or 430000 for the province).
    pub fn receiving_center_region(&self) -> RegionCode {
        self.receiver().center_region(&self.region).unwrap_or_else(RegionCode::hunan_province)
    }
}

/// The typed value an error of [`FilingApplication::parse_with`] is about, for a draft's check: `None`
/// for what a draft need not have yet (whole tables, affirmations, the commitment, an assessor's project
/// among the projects, which is checked at submission). Unknown or repeated conditions are about what
/// was sent, so they stay.
fn draft_value<'a>(input: &'a ApplicationInput, field: &str) -> Option<&'a str> {
    fn row<'a>(field: &'a str, prefix: &str) -> Option<(usize, &'a str)> {
        let rest = field.strip_prefix(prefix)?.strip_prefix('[')?;
        let (n, rest) = rest.split_once(']')?;
        Some((n.parse().ok()?, rest))
    }
    let value = match field {
        "institution_name" => &input.institution_name,
        "nature" => &input.nature,
        "category" => &input.category,
        "person_in_charge.name" => &input.person_in_charge_name,
        "person_in_charge.phone" => &input.person_in_charge_phone,
        "contact.name" => &input.contact_name,
        "contact.phone" => &input.contact_phone,
        "address" => &input.address,
        "region_code" => &input.region_code,
        "commitment.legal_representative" => &input.legal_representative,
        f => {
            if let Some((i, _)) = row(f, "projects") {
                return input.projects.get(i).map(String::as_str);
            }
            if let Some((i, col)) = row(f, "facilities") {
                let r = input.facilities.get(i)?;
                return Some(match col {
                    ".name" => &r.name,
                    ".specification" => &r.specification,
                    _ => &r.purpose,
                });
            }
            if let Some((i, col)) = row(f, "assessors") {
                let r = input.assessors.get(i)?;
                return match col {
                    ".name" => Some(&r.name),
                    ".qualification" => Some(&r.qualification),
                    _ => None,
                };
            }
            if row(f, "conditions").is_some() {
                return Some("*");
            }
            if let Some(rest) = f.strip_prefix("conditions.")
                && let Some((id, "evidence")) = rest.split_once('.')
            {
                return input.conditions.iter().find(|c| c.condition.trim() == id).map(|c| c.evidence.as_str());
            }
            return None;
        }
    };
    Some(value)
}

/// A Hunan city or county code (not the province itself, not another province).
fn parse_region(raw: &str) -> Result<RegionCode, FieldError> {
    if raw.trim().is_empty() {
        return Err(FieldError::new("region_code", "REGION_CODE_FORMAT", "请选择所在地区"));
    }
    let code = RegionCode::parse(raw)?;
    if code.is_hunan() && !code.is_hunan_province() && code.city().is_some() {
        Ok(code)
    } else {
        Err(FieldError::new(
            "region_code",
            "REGION_NOT_HUNAN_COUNTY",
            "所在地区应为湖南省的市州或县（市、区）行政区划代码",
        ))
    }
}

fn parse_projects(e: &mut FieldErrors, raw: &[String]) -> Vec<String> {
    if raw.iter().all(|p| p.trim().is_empty()) {
        e.push(FieldError::new("projects", "PROJECTS_REQUIRED", "请至少填写一个申报考核项目"));
        return Vec::new();
    }
    if raw.len() > MAX_ROWS {
        e.push(too_many("projects", "申报考核项目"));
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for (i, p) in raw.iter().enumerate().filter(|(_, p)| !p.trim().is_empty()) {
        let field = format!("projects[{i}]");
        let Some(name) = e.take(text_field(&field, p, 2, 50, "PROJECT_NAME_LENGTH", "考核项目名称")) else {
            continue;
        };
        if out.contains(&name) {
            e.push(FieldError::new(field, "PROJECT_DUPLICATE", format!("考核项目“{name}”重复填写")));
            continue;
        }
        out.push(name);
    }
    out
}

fn parse_facilities(e: &mut FieldErrors, rows: &[FacilityInput]) -> Vec<Facility> {
    if rows.iter().all(FacilityInput::is_blank) {
        e.push(FieldError::new("facilities", "FACILITIES_REQUIRED", "请至少填写一行设施设备、场地"));
        return Vec::new();
    }
    if rows.len() > MAX_ROWS {
        e.push(too_many("facilities", "设施设备、场地"));
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate().filter(|(_, r)| !r.is_blank()) {
        let name = e.take(text_field(
            &format!("facilities[{i}].name"),
            &r.name,
            2,
            100,
            "FACILITY_NAME_LENGTH",
            "设施设备或场地名称",
        ));
        let specification = e.take(text_field(
            &format!("facilities[{i}].specification"),
            &r.specification,
            1,
            200,
            "FACILITY_SPECIFICATION_LENGTH",
            "规格和数量",
        ));
        let purpose = e.take(text_field(
            &format!("facilities[{i}].purpose"),
            &r.purpose,
            2,
            200,
            "FACILITY_PURPOSE_LENGTH",
            "用途",
        ));
        if let (Some(name), Some(specification), Some(purpose)) = (name, specification, purpose) {
            out.push(Facility { name, specification, purpose });
        }
    }
    out
}

fn parse_assessors(e: &mut FieldErrors, rows: &[AssessorInput], projects: &[&str], min: usize) -> Vec<AssessorRow> {
    let filled = rows.iter().filter(|r| !r.is_blank()).count();
    if filled < min {
        e.push(FieldError::new(
            "assessors",
            "ASSESSORS_TOO_FEW",
            format!("考评人员至少应有 {min} 人（一个考评组），现填写 {filled} 人"),
        ));
    }
    if rows.len() > MAX_ROWS {
        e.push(too_many("assessors", "考评人员配置"));
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate().filter(|(_, r)| !r.is_blank()) {
        let name = e.take(person(&format!("assessors[{i}].name"), "考评人员姓名", &r.name));
        let qualification = e.take(text_field(
            &format!("assessors[{i}].qualification"),
            &r.qualification,
            2,
            50,
            "ASSESSOR_QUALIFICATION_LENGTH",
            "资质或证卡编号",
        ));
        let project = r.project.trim();
        let project_field = format!("assessors[{i}].project");
        let project = if project.is_empty() {
            e.push(FieldError::new(project_field, "ASSESSOR_PROJECT_NOT_APPLIED", "请填写该考评人员对应的考核项目"));
            None
        } else if projects.is_empty() || projects.contains(&project) {
            Some(project.to_owned())
        } else {
            e.push(FieldError::new(
                project_field,
                "ASSESSOR_PROJECT_NOT_APPLIED",
                format!("“{project}”不在本次申报的考核项目中"),
            ));
            None
        };
        if let (Some(name), Some(qualification), Some(project)) = (name, qualification, project) {
            out.push(AssessorRow { name, qualification, project });
        }
    }
    out
}

fn parse_conditions(e: &mut FieldErrors, rows: &[ConditionInput]) -> Vec<ConditionEvidence> {
    let mut seen: BTreeSet<S1Condition> = BTreeSet::new();
    let mut given: Vec<(S1Condition, &ConditionInput)> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let Some(c) = S1Condition::parse(r.condition.trim()) else {
            e.push(FieldError::new(
                format!("conditions[{i}].condition"),
                "CONDITION_UNKNOWN",
                format!("“{}”不是备案条件", r.condition.trim()),
            ));
            continue;
        };
        if !seen.insert(c) {
            e.push(FieldError::new(
                format!("conditions[{i}].condition"),
                "CONDITION_DUPLICATE",
                format!("备案条件“{}”重复填写", c.label()),
            ));
            continue;
        }
        given.push((c, r));
    }
    let mut out = Vec::new();
    for c in S1Condition::ALL {
        let prefix = format!("conditions.{}", c.id());
        let row = given.iter().find(|(g, _)| g == c).map(|(_, r)| *r);
        if !row.is_some_and(|r| r.affirmed) {
            e.push(FieldError::new(
                format!("{prefix}.affirmed"),
                "CONDITION_NOT_AFFIRMED",
                format!("须确认具备备案条件：{}", c.text()),
            ));
        }
        let evidence = row.map(|r| r.evidence.as_str()).unwrap_or("");
        let label = format!("“{}”的证明材料或说明", c.label());
        if let Some(evidence) = e.take(text_block(
            &format!("{prefix}.evidence"),
            evidence,
            2,
            FINDING_MAX_CHARS,
            "CONDITION_EVIDENCE_LENGTH",
            &label,
        )) && row.is_some_and(|r| r.affirmed)
        {
            out.push(ConditionEvidence { condition: *c, evidence });
        }
    }
    out
}
