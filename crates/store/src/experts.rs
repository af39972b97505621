//! The expert committee (P5): the provincial registry experts are drawn from (P4, S4). Province staff
//! manage it; ID numbers are encrypted with a blind index for uniqueness; employers past and present and
//! declared conflicts feed the recusal rules of the draws. Imports are all-or-nothing.

use crate::audit::AuditDraft;
use crate::entity::{expert, expert_conflict, expert_employment, expert_specialty, org};
use crate::error::require;
use crate::{Ctx, Page, PageReq, Store, StoreError, StoreResult, now};
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::draws::PickStatus;
use domain::experts::ExpertStatus;
use domain::ids::{IdNumber, PersonName, Phone, RegionCode};
use domain::org::Principal;
use domain::{FieldError, FieldErrors};
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// An expert as typed into the form, the API or a spreadsheet row.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ExpertInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub id_number: String,
    /// The employer when it is a registered organisation.
    pub employer_org_id: Option<i64>,
    #[serde(default)]
    pub employer_name: String,
    /// Professional title (专业技术职称).
    #[serde(default)]
    pub title: String,
    /// Specialties separated by 、 or ，or |, e.g. "烹饪、茶艺".
    #[serde(default)]
    pub specialties: String,
    /// City region code (GB/T 2260), e.g. 430100.
    #[serde(default)]
    pub city_code: String,
    #[serde(default)]
    pub phone: String,
    /// `active` (default), `suspended` or `retired`.
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone)]
pub struct ExpertView {
    pub id: i64,
    pub name: String,
    pub id_number_masked: String,
    /// The ID number's address code is in no GB/T 2260 table: accepted, but staff see a warning
    /// (`domain::ids::ID_UNKNOWN_COUNTY_WARNING`, issue 8 item 11).
    pub id_number_unknown_county: bool,
    pub employer_org_id: Option<i64>,
    pub employer_name: String,
    pub title: String,
    pub specialties: Vec<String>,
    pub city_code: String,
    pub city_name: String,
    pub phone: String,
    pub status: ExpertStatus,
    pub note: String,
    pub created_at: time::OffsetDateTime,
}

#[derive(Debug, Clone)]
pub struct ConflictView {
    pub org_id: i64,
    pub org_name: String,
    pub reason: String,
    pub declared_at: time::OffsetDateTime,
}

#[derive(Debug, Clone)]
pub struct EmploymentView {
    pub org_id: i64,
    pub org_name: String,
    /// The last day employed there.
    pub until: time::Date,
}

/// A review the expert served in (draws whose seal is open; sealed draws are not shown).
#[derive(Debug, Clone)]
pub struct ReviewServed {
    pub draw_id: i64,
    pub title: String,
    pub status: PickStatus,
    pub decline_reason: String,
}

#[derive(Debug, Clone)]
pub struct ExpertDetail {
    pub expert: ExpertView,
    pub conflicts: Vec<ConflictView>,
    pub past_employers: Vec<EmploymentView>,
    pub reviews: Vec<ReviewServed>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ExpertQuery {
    pub q: Option<String>,
    pub city: Option<String>,
    pub specialty: Option<String>,
    pub status: Option<ExpertStatus>,
}

fn view(m: expert::Model, specialties: Vec<String>, id_number_unknown_county: bool) -> ExpertView {
    ExpertView {
        id: m.id,
        id_number_unknown_county,
        city_name: RegionCode::parse(&m.city_code).ok().and_then(|c| c.city_name()).unwrap_or("").to_string(),
        specialties,
        name: m.name,
        id_number_masked: m.id_number_masked,
        employer_org_id: m.employer_org_id,
        employer_name: m.employer_name,
        title: m.title,
        city_code: m.city_code,
        phone: m.phone,
        status: m.status,
        note: m.note,
        created_at: m.created_at,
    }
}

/// The specialties of the experts in `ids` (every expert when `None`), in their order (one query).
pub(crate) async fn specialties_of<C: ConnectionTrait>(
    conn: &C,
    ids: Option<Vec<i64>>,
) -> StoreResult<std::collections::HashMap<i64, Vec<String>>> {
    crate::lists::read::<expert_specialty::Entity, _>(
        conn,
        expert_specialty::Column::ExpertId,
        expert_specialty::Column::Position,
        ids,
        |r| (r.expert_id, r.name),
    )
    .await
}

/// Replace an expert's specialties inside the caller's transaction: one row each.
async fn set_specialties<C: ConnectionTrait>(conn: &C, expert_id: i64, specialties: &[String]) -> StoreResult<()> {
    crate::lists::replace(conn, expert_specialty::Column::ExpertId, expert_id, specialties, |position, name| {
        expert_specialty::ActiveModel {
            expert_id: Set(expert_id),
            position: Set(position),
            name: Set(name),
            ..Default::default()
        }
    })
    .await
}

/// Specialties as typed (separated by 、，,|；;): trimmed, deduplicated, sorted.
pub fn normalise_specialties(raw: &str) -> Vec<String> {
    let mut v: Vec<String> = raw
        .split(['、', '，', ',', '|', '；', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    v.sort();
    v.dedup();
    v
}

/// A parsed expert, before it is written.
struct Parsed {
    name: PersonName,
    id_number: IdNumber,
    employer_org_id: Option<i64>,
    employer_name: String,
    title: String,
    specialties: Vec<String>,
    city: RegionCode,
    phone: Phone,
    status: ExpertStatus,
    note: String,
}

fn parse(input: &ExpertInput) -> Result<Parsed, FieldErrors> {
    let mut errs = FieldErrors::new();
    let name = errs.take(PersonName::parse(&input.name));
    let id_number = errs.take(IdNumber::parse(&input.id_number));
    let employer_name = input.employer_name.trim().to_string();
    if employer_name.chars().count() < 2 && input.employer_org_id.is_none() {
        errs.push(FieldError::new("employer_name", "REQUIRED", "请填写工作单位"));
    }
    let title = input.title.trim().to_string();
    if title.is_empty() {
        errs.push(FieldError::new("title", "REQUIRED", "请填写专业技术职称（无职称填“无”）"));
    }
    let specialties = normalise_specialties(&input.specialties);
    if specialties.is_empty() {
        errs.push(FieldError::new("specialties", "REQUIRED", "请至少填写一个专业领域，多个用顿号分隔"));
    }
    let city = errs.take(RegionCode::parse_hunan_city(input.city_code.trim()).map_err(|e| e.for_field("city_code")));
    let phone = errs.take(crate::blank_or(&input.phone, "phone", "请填写联系电话").and_then(Phone::parse));
    let status = match input.status.trim() {
        "" => Some(ExpertStatus::Active),
        s => errs.take(
            ExpertStatus::ALL
                .iter()
                .copied()
                .find(|v| v.id() == s || v.label() == s)
                .ok_or_else(|| FieldError::new("status", "STATUS_INVALID", "状态应为 在库、暂停 或 退出")),
        ),
    };
    match (name, id_number, city, phone, status) {
        (Some(name), Some(id_number), Some(city), Some(phone), Some(status)) if errs.is_empty() => Ok(Parsed {
            name,
            id_number,
            employer_org_id: input.employer_org_id,
            employer_name,
            title,
            specialties,
            city,
            phone,
            status,
            note: input.note.trim().to_string(),
        }),
        _ => Err(errs),
    }
}

impl Store {
    fn expert_model(&self, p: &Parsed) -> StoreResult<expert::ActiveModel> {
        let id = self.seal_id(&p.id_number)?;
        let at = now();
        Ok(expert::ActiveModel {
            name: Set(p.name.as_str().to_string()),
            id_number_enc: Set(id.enc),
            id_number_idx: Set(id.idx),
            id_number_masked: Set(id.masked),
            employer_org_id: Set(p.employer_org_id),
            employer_name: Set(p.employer_name.clone()),
            title: Set(p.title.clone()),
            city_code: Set(p.city.as_str().to_string()),
            phone: Set(p.phone.as_str().to_string()),
            status: Set(p.status),
            user_id: Set(None),
            note: Set(p.note.clone()),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        })
    }

    /// Check the employer exists; fill its name.
    async fn resolve_employer<C: ConnectionTrait>(&self, conn: &C, p: &mut Parsed) -> StoreResult<Option<FieldError>> {
        if let Some(id) = p.employer_org_id {
            match org::Entity::find_by_id(id).one(conn).await? {
                Some(o) => p.employer_name = o.name,
                None => return Ok(Some(FieldError::new("employer_org_id", "ORG_NOT_FOUND", "工作单位不在机构库中"))),
            }
        }
        Ok(None)
    }

    async fn id_number_taken<C: ConnectionTrait>(
        &self,
        conn: &C,
        p: &Parsed,
        except: Option<i64>,
    ) -> StoreResult<bool> {
        let mut q = expert::Entity::find().filter(expert::Column::IdNumberIdx.eq(self.id_index(&p.id_number)));
        if let Some(id) = except {
            q = q.filter(expert::Column::Id.ne(id));
        }
        Ok(q.one(conn).await?.is_some())
    }

    pub async fn list_experts(&self, p: &Principal, q: &ExpertQuery, page: PageReq) -> StoreResult<Page<ExpertView>> {
        require(p, Action::ListExperts)?;
        let mut sel = expert::Entity::find();
        if let Some(t) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            sel = sel.filter(
                Condition::any().add(expert::Column::Name.contains(t)).add(expert::Column::EmployerName.contains(t)),
            );
        }
        if let Some(c) = q.city.as_deref().filter(|s| !s.is_empty()) {
            sel = sel.filter(expert::Column::CityCode.eq(c));
        }
        if let Some(s) = q.specialty.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            // Exactly one of the expert's specialties (never a part of two joined ones).
            sel = sel.filter(
                expert::Column::Id.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(expert_specialty::Column::ExpertId)
                        .from(expert_specialty::Entity)
                        .and_where(expert_specialty::Column::Name.eq(s))
                        .to_owned(),
                ),
            );
        }
        if let Some(s) = q.status {
            sel = sel.filter(expert::Column::Status.eq(s));
        }
        let rows = crate::fetch_page(self.reader(), sel, expert::Column::Id, false, page).await?;
        let mut specialties = specialties_of(self.reader(), Some(rows.items.iter().map(|m| m.id).collect())).await?;
        let mut items = Vec::with_capacity(rows.items.len());
        for m in rows.items {
            let (unknown, s) = (self.id_unknown_county(&m)?, specialties.remove(&m.id).unwrap_or_default());
            items.push(view(m, s, unknown));
        }
        Ok(Page { items, total: rows.total, page: rows.page, per_page: rows.per_page })
    }

    /// Whether the expert's ID number has an address code in no GB/T 2260 table (a warning only).
    fn id_unknown_county(&self, m: &expert::Model) -> StoreResult<bool> {
        self.sealed_id_unknown_county(&m.id_number_enc)
    }

    pub async fn get_expert(&self, p: &Principal, id: i64) -> StoreResult<ExpertDetail> {
        require(p, Action::ListExperts)?;
        let m = expert::Entity::find_by_id(id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        let org_name =
            |id: i64, orgs: &[org::Model]| orgs.iter().find(|o| o.id == id).map(|o| o.name.clone()).unwrap_or_default();
        let conflicts =
            expert_conflict::Entity::find().filter(expert_conflict::Column::ExpertId.eq(id)).all(self.reader()).await?;
        let past = expert_employment::Entity::find()
            .filter(expert_employment::Column::ExpertId.eq(id))
            .all(self.reader())
            .await?;
        let ids: Vec<i64> = conflicts.iter().map(|c| c.org_id).chain(past.iter().map(|e| e.org_id)).collect();
        let orgs = org::Entity::find().filter(org::Column::Id.is_in(ids)).all(self.reader()).await?;
        let members = crate::entity::draw_member::Entity::find()
            .filter(crate::entity::draw_member::Column::ExpertId.eq(id))
            .all(self.reader())
            .await?;
        let draw_ids: Vec<i64> = members.iter().map(|m| m.draw_id).collect();
        let open_draws = crate::entity::draw::Entity::find()
            .filter(crate::entity::draw::Column::Id.is_in(draw_ids))
            .filter(crate::entity::draw::Column::SealOpen.eq(true))
            .all(self.reader())
            .await?;
        let reviews = members
            .into_iter()
            .filter_map(|m| {
                open_draws.iter().find(|d| d.id == m.draw_id).map(|d| ReviewServed {
                    draw_id: d.id,
                    title: d.title.clone(),
                    status: m.status,
                    decline_reason: m.decline_reason.clone(),
                })
            })
            .collect();
        let specialties = specialties_of(self.reader(), Some(vec![id])).await?.remove(&id).unwrap_or_default();
        let unknown = self.id_unknown_county(&m)?;
        Ok(ExpertDetail {
            reviews,
            expert: view(m, specialties, unknown),
            conflicts: conflicts
                .into_iter()
                .map(|c| ConflictView {
                    org_id: c.org_id,
                    org_name: org_name(c.org_id, &orgs),
                    reason: c.reason,
                    declared_at: c.declared_at,
                })
                .collect(),
            past_employers: past
                .into_iter()
                .map(|e| EmploymentView { org_id: e.org_id, org_name: org_name(e.org_id, &orgs), until: e.until })
                .collect(),
        })
    }

    pub async fn create_expert(&self, p: &Principal, input: &ExpertInput, ctx: &Ctx) -> StoreResult<i64> {
        require(p, Action::ManageExperts)?;
        let mut parsed = parse(input)?;
        let step = self.step(p, ctx).await?;
        if let Some(e) = self.resolve_employer(&*step, &mut parsed).await? {
            return Err(e.into());
        }
        if self.id_number_taken(&*step, &parsed, None).await? {
            return Err(FieldError::new("id_number", "EXPERT_EXISTS", "该身份证号码的专家已在库中").into());
        }
        let m = self.expert_model(&parsed)?.insert(&*step).await?;
        set_specialties(&*step, m.id, &parsed.specialties).await?;
        step.audit(AuditDraft::new(AuditAction::ExpertCreated, m.id, json!({ "city": m.city_code }))).await?;
        step.commit().await?;
        Ok(m.id)
    }

    pub async fn update_expert(&self, p: &Principal, id: i64, input: &ExpertInput, ctx: &Ctx) -> StoreResult<()> {
        require(p, Action::ManageExperts)?;
        let old = expert::Entity::find_by_id(id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        // A blank ID number on the edit form keeps the stored one (it is never shown in full).
        let mut input = input.clone();
        if input.id_number.trim().is_empty() {
            input.id_number = self.open_id(&old.id_number_enc)?;
        }
        let mut parsed = parse(&input)?;
        let step = self.step(p, ctx).await?;
        if let Some(e) = self.resolve_employer(&*step, &mut parsed).await? {
            return Err(e.into());
        }
        if self.id_number_taken(&*step, &parsed, Some(id)).await? {
            return Err(FieldError::new("id_number", "EXPERT_EXISTS", "该身份证号码的专家已在库中").into());
        }
        let mut am = self.expert_model(&parsed)?;
        am.id = Set(id);
        am.created_at = Set(old.created_at);
        am.user_id = Set(old.user_id);
        am.update(&*step).await?;
        set_specialties(&*step, id, &parsed.specialties).await?;
        step.audit(AuditDraft::new(
            AuditAction::ExpertUpdated,
            id,
            json!({ "status_before": old.status, "status": parsed.status }),
        ))
        .await?;
        step.commit().await?;
        Ok(())
    }

    /// Record a declared conflict with an organisation (recusal in every later draw for it).
    pub async fn declare_conflict(
        &self,
        p: &Principal,
        expert_id: i64,
        org_id: i64,
        reason: &str,
        ctx: &Ctx,
    ) -> StoreResult<()> {
        require(p, Action::ManageExperts)?;
        let step = self.step(p, ctx).await?;
        expert::Entity::find_by_id(expert_id).one(&*step).await?.ok_or(StoreError::NotFound)?;
        if org::Entity::find_by_id(org_id).one(&*step).await?.is_none() {
            return Err(FieldError::new("org_id", "ORG_NOT_FOUND", "所选机构不存在").into());
        }
        let exists = expert_conflict::Entity::find()
            .filter(expert_conflict::Column::ExpertId.eq(expert_id))
            .filter(expert_conflict::Column::OrgId.eq(org_id))
            .one(&*step)
            .await?;
        if exists.is_some() {
            return Err(FieldError::new("org_id", "CONFLICT_EXISTS", "已声明与该机构回避").into());
        }
        expert_conflict::ActiveModel {
            expert_id: Set(expert_id),
            org_id: Set(org_id),
            reason: Set(reason.trim().to_string()),
            declared_at: Set(now()),
            ..Default::default()
        }
        .insert(&*step)
        .await?;
        step.audit(AuditDraft::new(AuditAction::ExpertConflictDeclared, expert_id, json!({ "org_id": org_id })))
            .await?;
        step.commit().await?;
        Ok(())
    }

    /// Record a former employer (recusal within the policy's look-back period).
    pub async fn add_past_employment(
        &self,
        p: &Principal,
        expert_id: i64,
        org_id: i64,
        until: time::Date,
        ctx: &Ctx,
    ) -> StoreResult<()> {
        require(p, Action::ManageExperts)?;
        if until > crate::today() {
            return Err(FieldError::new("until", "DATE_IN_FUTURE", "离职日期不能晚于今天").into());
        }
        let step = self.step(p, ctx).await?;
        expert::Entity::find_by_id(expert_id).one(&*step).await?.ok_or(StoreError::NotFound)?;
        if org::Entity::find_by_id(org_id).one(&*step).await?.is_none() {
            return Err(FieldError::new("org_id", "ORG_NOT_FOUND", "所选机构不存在").into());
        }
        expert_employment::ActiveModel {
            expert_id: Set(expert_id),
            org_id: Set(org_id),
            until: Set(until),
            ..Default::default()
        }
        .insert(&*step)
        .await?;
        step.audit(AuditDraft::new(
            AuditAction::ExpertPastEmploymentAdded,
            expert_id,
            json!({ "org_id": org_id, "until": until.to_string() }),
        ))
        .await?;
        step.commit().await?;
        Ok(())
    }

    /// Import rows all-or-nothing: every bad cell is reported as (row, field, reason); nothing is
    /// written unless every row is good. Row numbers are the spreadsheet's (header = row 1).
    pub async fn import_experts(&self, p: &Principal, rows: &[ExpertInput], ctx: &Ctx) -> StoreResult<usize> {
        require(p, Action::ManageExperts)?;
        let mut errs = crate::people::ImportErrors::default();
        let mut parsed = Vec::with_capacity(rows.len());
        let step = self.step(p, ctx).await?;
        for (i, row) in rows.iter().enumerate() {
            let line = crate::people::ImportErrors::line(i);
            let parsed_row = parse(row);
            // The ID number is checked against the file and the registry whenever it is valid, so every
            // bad cell of a row is reported at once.
            if let Ok(id) = IdNumber::parse(&row.id_number)
                && !errs.repeated(line, "id_number", id.as_str(), "身份证号码")
                && expert::Entity::find()
                    .filter(expert::Column::IdNumberIdx.eq(self.id_index(&id)))
                    .one(&*step)
                    .await?
                    .is_some()
            {
                errs.push(line, FieldError::new("id_number", "EXPERT_EXISTS", "该身份证号码的专家已在库中"));
            }
            match parsed_row {
                Ok(mut pr) => {
                    if let Some(e) = self.resolve_employer(&*step, &mut pr).await? {
                        errs.push(line, e.for_field("employer_org_id"));
                    }
                    parsed.push(pr);
                }
                Err(e) => errs.push_all(line, e),
            }
        }
        errs.finish(rows.len())?;
        for pr in &parsed {
            let m = self.expert_model(pr)?.insert(&*step).await?;
            set_specialties(&*step, m.id, &pr.specialties).await?;
        }
        step.audit(AuditDraft::new(AuditAction::ExpertImported, "batch", json!({ "rows": parsed.len() }))).await?;
        step.commit().await?;
        Ok(parsed.len())
    }
}
