//! Provable random draws of experts (P4, S4; later E4 panels): commit (pool snapshot, pool hash, seed
//! commitment) → draw → declines replaced from the same committed sequence → the seal opens when the
//! review starts and the seed is revealed. The algorithm is `domain::draws` (docs/DRAWS.md); this module
//! keeps the record, seals the seed with the deployment's cipher, and writes every step to the audit
//! trail. Names stay sealed until the review starts: only the staff member who ran the draw and the
//! province admin see them, and each such view is audited.

use crate::audit::{AuditDraft, append};
use crate::entity::{draw, draw_member, expert, expert_conflict, expert_employment, org};
use crate::error::require;
use crate::policy::PolicyUsed;
use crate::{Ctx, Page, PageReq, Store, StoreError, StoreResult, now, today};
use domain::authz::Action;
use domain::draws::{self, Applicant, Candidate, DrawRecord, DrawRequest, PastEmployment, RecusalRules};
use domain::ids::RegionCode;
use domain::org::{Principal, Role};
use domain::policy::keys;
use domain::{FieldError, FieldErrors};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// A draw as asked for on the form or through the API.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct DrawInput {
    /// What the group is for, e.g. "长沙甲考核站备案评估专家组".
    #[serde(default)]
    pub title: String,
    /// The organisation under review (recusal is relative to it).
    pub applicant_org_id: Option<i64>,
    /// Group size; defaults to the policy's `draw.expert_group_size`.
    pub count: Option<u32>,
    /// Specialties, any of which qualifies (separated by 、), empty = any.
    #[serde(default)]
    pub specialties: String,
    /// City codes to draw from (empty = every city).
    #[serde(default)]
    pub include_cities: Vec<String>,
    /// City codes never to draw from.
    #[serde(default)]
    pub exclude_cities: Vec<String>,
}

/// A draw validated and read, ready to be written in one transaction (with the step it serves).
pub(crate) struct PreparedDraw {
    title: String,
    who: Applicant,
    count: u32,
    specialties: Vec<String>,
    include_cities: Vec<String>,
    exclude_cities: Vec<String>,
    rules: RecusalRules,
    /// The policy versions the draw relied on (group size, recusal), for its audit record (V1).
    pub(crate) policy: PolicyUsed,
    candidates: Vec<Candidate>,
    pub(crate) seed: [u8; 32],
    seed_enc: String,
}

/// Where the draw serves a procedure record (e.g. a station filing).
#[derive(Debug, Clone, Default)]
pub struct DrawSubject {
    pub kind: String,
    pub id: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DrawSummary {
    pub id: i64,
    pub title: String,
    pub applicant: String,
    pub status: String,
    pub status_label: String,
    pub seal_open: bool,
    pub created_by: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MemberView {
    pub position: u32,
    pub expert_id: i64,
    /// Empty while the names are sealed for this viewer.
    pub name: String,
    pub employer: String,
    pub status: String,
    pub decline_reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExcludedView {
    pub expert_id: i64,
    pub name: String,
    pub code: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DrawView {
    pub summary: DrawSummary,
    pub purpose: String,
    pub count: u32,
    pub pool_size: usize,
    pub pool_hash: String,
    pub commitment: String,
    pub hash_alg: String,
    pub rules: String,
    pub names_visible: bool,
    /// The page of the step this draw serves, when it serves one (its seal opens there, e.g. a
    /// station filing's "评估开始").
    pub step_link: Option<String>,
    pub members: Vec<MemberView>,
    pub excluded: Vec<ExcludedView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewView {
    pub draw_id: i64,
    pub title: String,
    pub applicant: String,
    pub position: u32,
    pub status: String,
    pub drawn_at: String,
    /// Where the member records findings, when the draw serves a step that has them (S4).
    pub findings_link: Option<String>,
}

pub fn status_label(s: &str) -> &'static str {
    match s {
        "committed" => "已承诺，待抽取",
        "drawn" => "已抽取，名单密封",
        "revealed" => "评审已开始，已揭晓",
        _ => "",
    }
}

fn db_err(e: impl std::fmt::Display) -> StoreError {
    StoreError::Internal(e.to_string())
}

pub(crate) fn record_of(m: &draw::Model) -> StoreResult<DrawRecord> {
    serde_json::from_str(&m.record).map_err(db_err)
}

/// A record's UTC time (RFC 3339, docs/DRAWS.md) as staff read times: Asia/Shanghai.
fn shanghai(utc: &str) -> String {
    time::OffsetDateTime::parse(utc, &time::format_description::well_known::Rfc3339)
        .map(crate::fmt_time)
        .unwrap_or_else(|_| utc.to_string())
}

/// The page of the step a draw serves (see [`DrawView::step_link`]).
fn step_link(m: &draw::Model) -> Option<String> {
    (m.subject_kind == "station_filing").then(|| format!("/filings/{}", m.subject_id))
}

impl Store {
    fn seed_of(&self, m: &draw::Model) -> StoreResult<[u8; 32]> {
        let plain = self.crypto.decrypt(&m.seed_enc, b"draw_seed").map_err(db_err)?;
        plain.try_into().map_err(|_| StoreError::Internal("draw seed length".into()))
    }

    /// The whole registry with the facts the filters use (grouped by expert in one pass each, so a
    /// registry of tens of thousands stays linear).
    async fn candidates(&self) -> StoreResult<Vec<Candidate>> {
        use std::collections::HashMap;
        let experts = expert::Entity::find().order_by_asc(expert::Column::Id).all(&self.db).await?;
        let mut past: HashMap<i64, Vec<PastEmployment>> = HashMap::new();
        for p in expert_employment::Entity::find().all(&self.db).await? {
            past.entry(p.expert_id).or_default().push(PastEmployment { org_id: p.org_id, until: p.until });
        }
        let mut conflicts: HashMap<i64, Vec<i64>> = HashMap::new();
        for c in expert_conflict::Entity::find().all(&self.db).await? {
            conflicts.entry(c.expert_id).or_default().push(c.org_id);
        }
        Ok(experts
            .into_iter()
            .map(|e| Candidate {
                expert_id: e.id,
                specialties: e.specialties.split('|').filter(|s| !s.is_empty()).map(str::to_string).collect(),
                city: e.city_code.clone(),
                active: e.status == "active",
                employer_org_id: e.employer_org_id,
                past_employers: past.remove(&e.id).unwrap_or_default(),
                declared_conflict_org_ids: conflicts.remove(&e.id).unwrap_or_default(),
            })
            .collect())
    }

    async fn recusal_rules(&self, used: &mut PolicyUsed) -> StoreResult<RecusalRules> {
        let day = today();
        let lookback = used.note(self.policy_on(keys::RECUSAL_LOOKBACK_YEARS, day).await?);
        let same_city = used.note(self.policy_on(keys::RECUSAL_SAME_CITY, day).await?);
        Ok(RecusalRules { lookback_years: lookback.value.parse().unwrap_or(3), same_city: same_city.value == "true" })
    }

    /// Step 1: snapshot the eligible pool, hash it, and commit to a sealed random seed.
    pub async fn commit_draw(
        &self,
        p: &Principal,
        input: &DrawInput,
        subject: Option<DrawSubject>,
        ctx: &Ctx,
    ) -> StoreResult<i64> {
        let prepared = self.prepare_draw(p, input).await?;
        let txn = self.db.begin().await?;
        let (row, _) = self.insert_draw(&txn, p, &prepared, subject, ctx).await?;
        txn.commit().await?;
        Ok(row.id)
    }

    /// Validate a draw and read what it needs (registry, policy) before any transaction is opened.
    pub(crate) async fn prepare_draw(&self, p: &Principal, input: &DrawInput) -> StoreResult<PreparedDraw> {
        require(p, Action::RunDraws)?;
        let mut errs = FieldErrors::new();
        let title = input.title.trim().to_string();
        if title.chars().count() < 2 {
            errs.push(FieldError::new("title", "REQUIRED", "请填写抽取事由（如“某考核站备案评估专家组”）"));
        }
        let applicant = match input.applicant_org_id {
            Some(id) => org::Entity::find_by_id(id).one(&self.db).await?,
            None => None,
        };
        if applicant.is_none() {
            errs.push(FieldError::new("applicant_org_id", "REQUIRED", "请选择被评审的机构（回避以此为准）"));
        }
        let mut policy = PolicyUsed::default();
        let count = match input.count {
            Some(n) => n,
            None => policy.note(self.policy_on(keys::EXPERT_GROUP_SIZE, today()).await?).value.parse().unwrap_or(5),
        };
        if !(1..=15).contains(&count) {
            errs.push(FieldError::new("count", "COUNT_RANGE", "抽取人数应为 1 至 15 人"));
        }
        for (field, cities) in [("include_cities", &input.include_cities), ("exclude_cities", &input.exclude_cities)] {
            if cities.iter().any(|c| RegionCode::parse_hunan_city(c).is_err()) {
                errs.push(FieldError::new(field, "REGION_NOT_HUNAN_CITY", "市州代码应为湖南省 14 个市州之一"));
            }
        }
        errs.into_result()?;
        let Some(applicant) = applicant else { return Err(StoreError::Internal("checked".into())) };
        let specialties: Vec<String> = crate::experts::normalise_specialties(&input.specialties)
            .split('|')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let rules = self.recusal_rules(&mut policy).await?;
        let seed = draws::generate_seed().map_err(db_err)?;
        Ok(PreparedDraw {
            title,
            who: Applicant { org_id: applicant.id, city: applicant.city_code.clone() },
            count,
            specialties,
            include_cities: input.include_cities.clone(),
            exclude_cities: input.exclude_cities.clone(),
            rules,
            policy,
            candidates: self.candidates().await?,
            seed_enc: self.crypto.encrypt(&seed, b"draw_seed").map_err(db_err)?,
            seed,
        })
    }

    /// Write a committed draw inside the caller's transaction.
    pub(crate) async fn insert_draw<C: ConnectionTrait>(
        &self,
        txn: &C,
        p: &Principal,
        prep: &PreparedDraw,
        subject: Option<DrawSubject>,
        ctx: &Ctx,
    ) -> StoreResult<(draw::Model, DrawRecord)> {
        let alg = self.hash_alg();
        let at = now();
        let row = draw::ActiveModel {
            purpose: Set(String::new()),
            subject_kind: Set(subject.as_ref().map(|s| s.kind.clone()).unwrap_or_default()),
            subject_id: Set(subject.as_ref().map(|s| s.id.clone()).unwrap_or_default()),
            applicant_org_id: Set(prep.who.org_id),
            title: Set(prep.title.clone()),
            status: Set("committed".into()),
            seal_open: Set(false),
            record: Set("{}".into()),
            seed_enc: Set(prep.seed_enc.clone()),
            created_by: Set(p.username.clone()),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        let purpose = match &subject {
            Some(s) => format!("{}:{}", s.kind, s.id),
            None => format!("draw:{}", row.id),
        };
        let req = DrawRequest {
            purpose: purpose.clone(),
            count: prep.count,
            specialties: prep.specialties.clone(),
            include_cities: prep.include_cities.clone(),
            exclude_cities: prep.exclude_cities.clone(),
        };
        let eligibility = draws::eligible(&prep.candidates, &req, &prep.who, &prep.rules, today());
        let record = match DrawRecord::commit(row.id, alg, &req, &prep.rules, &eligibility, &prep.seed, at) {
            Ok(r) => r,
            Err(e @ draws::DrawError::NotEnough { .. }) => {
                return Err(StoreError::Conflict(FieldError::new("count", "DRAW_NOT_ENOUGH", e.to_string())));
            }
            Err(e) => return Err(db_err(e)),
        };
        let mut am = row.into_active_model();
        am.purpose = Set(purpose);
        am.record = Set(serde_json::to_string(&record).map_err(db_err)?);
        let row = am.update(txn).await?;
        let detail = json!({
            "pool_hash": record.pool_hash, "commitment": record.commitment, "pool": record.pool.len(),
            "excluded": record.excluded.len(), "count": prep.count, "policy": prep.policy.to_json(),
        });
        append(txn, alg, ctx, AuditDraft::new("draw.committed", "draw", row.id, detail)).await?;
        Ok((row, record))
    }

    async fn load_draw<C: ConnectionTrait>(&self, conn: &C, id: i64) -> StoreResult<draw::Model> {
        draw::Entity::find_by_id(id).one(conn).await?.ok_or(StoreError::NotFound)
    }

    /// Load a draw that must be in `status`, refusing with `code` and `detail` otherwise.
    async fn load_draw_in<C: ConnectionTrait>(
        &self,
        conn: &C,
        id: i64,
        status: &str,
        code: &'static str,
        detail: &str,
    ) -> StoreResult<draw::Model> {
        let m = self.load_draw(conn, id).await?;
        if m.status != status {
            return Err(StoreError::Conflict(FieldError::new("", code, detail)));
        }
        Ok(m)
    }

    /// Step 2: the deterministic draw from the committed pool and seed.
    pub async fn perform_draw(&self, p: &Principal, id: i64, ctx: &Ctx) -> StoreResult<()> {
        require(p, Action::RunDraws)?;
        let txn = self.db.begin().await?;
        let m =
            self.load_draw_in(&txn, id, "committed", "DRAW_ALREADY_DRAWN", "本次抽取已经执行，不能重复抽取").await?;
        let seed = self.seed_of(&m)?;
        let record = record_of(&m)?;
        self.draw_in(&txn, m, record, &seed, ctx).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Draw the group of a committed draw inside the caller's transaction.
    pub(crate) async fn draw_in<C: ConnectionTrait>(
        &self,
        txn: &C,
        m: draw::Model,
        mut record: DrawRecord,
        seed: &[u8; 32],
        ctx: &Ctx,
    ) -> StoreResult<Vec<i64>> {
        let id = m.id;
        let group = record.draw(seed, now()).map_err(db_err)?;
        for (i, expert_id) in group.iter().enumerate() {
            draw_member::ActiveModel {
                draw_id: Set(id),
                expert_id: Set(*expert_id),
                position: Set(i as i32 + 1),
                status: Set("drawn".into()),
                decline_reason: Set(String::new()),
                declined_at: Set(None),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
        let mut am = m.into_active_model();
        am.record = Set(serde_json::to_string(&record).map_err(db_err)?);
        am.status = Set("drawn".into());
        am.updated_at = Set(now());
        am.update(txn).await?;
        append(txn, self.hash_alg(), ctx, AuditDraft::new("draw.drawn", "draw", id, json!({ "group": group.len() })))
            .await?;
        Ok(group)
    }

    /// A drawn expert declines: the replacement is the next element of the same committed sequence.
    /// Returns the replacement's expert id, or `None` when the pool is used up.
    pub async fn decline_draw(
        &self,
        p: &Principal,
        id: i64,
        expert_id: i64,
        reason: &str,
        ctx: &Ctx,
    ) -> StoreResult<Option<i64>> {
        require(p, Action::RunDraws)?;
        if reason.trim().chars().count() < 2 {
            return Err(FieldError::new("reason", "REQUIRED", "请填写专家拒绝（或无法参加）的原因").into());
        }
        let txn = self.db.begin().await?;
        let m =
            self.load_draw_in(&txn, id, "drawn", "DRAW_NOT_DRAWN", "只有已抽取、尚未揭晓的名单可以登记拒绝").await?;
        let member = draw_member::Entity::find()
            .filter(draw_member::Column::DrawId.eq(id))
            .filter(draw_member::Column::ExpertId.eq(expert_id))
            .filter(draw_member::Column::Status.ne("declined"))
            .one(&txn)
            .await?
            .ok_or_else(|| {
                StoreError::Invalid(FieldError::new("expert_id", "NOT_IN_GROUP", "该专家不在本次抽取的名单中").into())
            })?;
        let seed = self.seed_of(&m)?;
        let mut record = record_of(&m)?;
        let replacement = record.decline(expert_id, &seed).map_err(db_err)?;
        let mut mm = member.into_active_model();
        mm.status = Set("declined".into());
        mm.decline_reason = Set(reason.trim().to_string());
        mm.declined_at = Set(Some(now()));
        mm.update(&txn).await?;
        if let Some(r) = replacement {
            let position = record.picks.iter().find(|p| p.expert_id == r).map(|p| p.position).unwrap_or(0);
            draw_member::ActiveModel {
                draw_id: Set(id),
                expert_id: Set(r),
                position: Set(position as i32),
                status: Set("replacement".into()),
                decline_reason: Set(String::new()),
                declined_at: Set(None),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        let mut am = m.into_active_model();
        am.record = Set(serde_json::to_string(&record).map_err(db_err)?);
        am.updated_at = Set(now());
        am.update(&txn).await?;
        append(
            &txn,
            self.hash_alg(),
            ctx,
            AuditDraft::new("draw.declined", "draw", id, json!({ "position_replaced": replacement.is_some() })),
        )
        .await?;
        txn.commit().await?;
        Ok(replacement)
    }

    /// The review starts: the seal opens and the seed is revealed, so anyone can re-run the draw.
    pub async fn open_draw_seal(&self, p: &Principal, id: i64, ctx: &Ctx) -> StoreResult<()> {
        require(p, Action::RunDraws)?;
        if step_link(&self.load_draw(&self.db, id).await?).is_some() {
            // A step's draw opens with the step (S4: the filing's evaluation start, with its to-dos).
            return Err(StoreError::Conflict(FieldError::new(
                "",
                "DRAW_OPENS_WITH_ITS_STEP",
                "本次抽取服务于考核站备案申请，请在备案申请页面办理“评估开始”，名单随之公开",
            )));
        }
        let txn = self.db.begin().await?;
        self.open_draw_seal_in(&txn, id, ctx).await?;
        txn.commit().await?;
        Ok(())
    }

    /// [`Store::open_draw_seal`] inside the caller's transaction (the step it serves commits it).
    pub(crate) async fn open_draw_seal_in<C: ConnectionTrait>(&self, txn: &C, id: i64, ctx: &Ctx) -> StoreResult<()> {
        let m = self.load_draw_in(txn, id, "drawn", "DRAW_NOT_DRAWN", "只有已抽取、尚未揭晓的名单可以开启评审").await?;
        let seed = self.seed_of(&m)?;
        let mut record = record_of(&m)?;
        record.reveal(&seed).map_err(db_err)?;
        let mut am = m.into_active_model();
        am.record = Set(serde_json::to_string(&record).map_err(db_err)?);
        am.status = Set("revealed".into());
        am.seal_open = Set(true);
        am.updated_at = Set(now());
        am.update(txn).await?;
        append(txn, self.hash_alg(), ctx, AuditDraft::new("draw.revealed", "draw", id, json!({ "seed": record.seed })))
            .await?;
        Ok(())
    }

    async fn summary(&self, m: &draw::Model) -> StoreResult<DrawSummary> {
        let applicant =
            org::Entity::find_by_id(m.applicant_org_id).one(&self.db).await?.map(|o| o.name).unwrap_or_default();
        Ok(DrawSummary {
            id: m.id,
            title: m.title.clone(),
            applicant,
            status: m.status.clone(),
            status_label: status_label(&m.status).to_string(),
            seal_open: m.seal_open,
            created_by: m.created_by.clone(),
            created_at: crate::fmt_time(m.created_at),
        })
    }

    pub async fn list_draws(&self, p: &Principal, page: PageReq) -> StoreResult<Page<DrawSummary>> {
        require(p, Action::RunDraws)?;
        let rows = crate::fetch_page(&self.db, draw::Entity::find(), draw::Column::Id, true, page).await?;
        let mut items = Vec::with_capacity(rows.items.len());
        for m in &rows.items {
            items.push(self.summary(m).await?);
        }
        Ok(Page { items, total: rows.total, page: rows.page, per_page: rows.per_page })
    }

    /// A draw for the staff page. Names are shown once the seal is open; before, only to the staff
    /// member who ran it and to the province admin, and each such view is audited.
    pub async fn get_draw(&self, p: &Principal, id: i64, ctx: &Ctx) -> StoreResult<DrawView> {
        require(p, Action::RunDraws)?;
        let m = self.load_draw(&self.db, id).await?;
        let record = record_of(&m)?;
        let names_visible = m.seal_open || m.created_by == p.username || p.has(Role::ProvinceAdmin);
        if names_visible && !m.seal_open && m.status != "committed" {
            self.audit(ctx, AuditDraft::new("draw.names_viewed", "draw", id, json!({}))).await?;
        }
        let members = draw_member::Entity::find()
            .filter(draw_member::Column::DrawId.eq(id))
            .order_by_asc(draw_member::Column::Position)
            .all(&self.db)
            .await?;
        let ids: Vec<i64> =
            members.iter().map(|x| x.expert_id).chain(record.excluded.iter().map(|e| e.expert_id)).collect();
        let experts = expert::Entity::find().filter(expert::Column::Id.is_in(ids)).all(&self.db).await?;
        let name_of = |id: i64| {
            experts.iter().find(|e| e.id == id).map(|e| (e.name.clone(), e.employer_name.clone())).unwrap_or_default()
        };
        Ok(DrawView {
            purpose: m.purpose.clone(),
            count: record.count,
            pool_size: record.pool.len(),
            pool_hash: record.pool_hash.clone(),
            commitment: record.commitment.clone(),
            hash_alg: record.hash_alg.clone(),
            rules: format!(
                "曾在申请单位任职 {} 年内回避；{}",
                record.rules.lookback_years,
                if record.rules.same_city { "与申请单位同一市州回避" } else { "同一市州不回避" }
            ),
            names_visible,
            step_link: step_link(&m),
            members: members
                .iter()
                .map(|x| {
                    let (name, employer) =
                        if names_visible { name_of(x.expert_id) } else { (String::new(), String::new()) };
                    MemberView {
                        position: x.position as u32,
                        expert_id: if names_visible { x.expert_id } else { 0 },
                        name,
                        employer,
                        status: x.status.clone(),
                        decline_reason: if names_visible { x.decline_reason.clone() } else { String::new() },
                    }
                })
                .collect(),
            excluded: record
                .excluded
                .iter()
                .map(|e| ExcludedView {
                    expert_id: e.expert_id,
                    name: name_of(e.expert_id).0,
                    code: e.code.clone(),
                    reason: draws::code_text(&e.code).unwrap_or("").to_string(),
                })
                .collect(),
            summary: self.summary(&m).await?,
        })
    }

    /// The record anyone may fetch: sealed (no picks, no seed) until the review starts.
    pub async fn public_draw_record(&self, id: i64) -> StoreResult<DrawRecord> {
        let m = self.load_draw(&self.db, id).await?;
        let record = record_of(&m)?;
        Ok(if m.seal_open { record } else { record.sealed() })
    }

    /// The reviews an expert was drawn into, once their seals are open (the expert's own view).
    pub async fn my_reviews(&self, p: &Principal) -> StoreResult<Vec<ReviewView>> {
        require(p, Action::ViewOwnReviews)?;
        let Some(me) = self.expert_of_user(p.user_id).await? else { return Ok(vec![]) };
        let members = draw_member::Entity::find()
            .filter(draw_member::Column::ExpertId.eq(me))
            .filter(draw_member::Column::Status.ne("declined"))
            .all(&self.db)
            .await?;
        let opened = draw::Entity::find()
            .filter(draw::Column::Id.is_in(members.iter().map(|x| x.draw_id).collect::<Vec<_>>()))
            .filter(draw::Column::SealOpen.eq(true))
            .all(&self.db)
            .await?;
        let applicants = org::Entity::find()
            .filter(org::Column::Id.is_in(opened.iter().map(|d| d.applicant_org_id).collect::<Vec<_>>()))
            .all(&self.db)
            .await?;
        let mut out = Vec::new();
        for x in members {
            let Some(m) = opened.iter().find(|d| d.id == x.draw_id) else { continue };
            out.push(ReviewView {
                draw_id: m.id,
                title: m.title.clone(),
                applicant: applicants
                    .iter()
                    .find(|o| o.id == m.applicant_org_id)
                    .map(|o| o.name.clone())
                    .unwrap_or_default(),
                position: x.position as u32,
                status: x.status,
                drawn_at: record_of(m)?.drawn_at.map(|t| shanghai(&t)).unwrap_or_default(),
                findings_link: step_link(m).map(|l| format!("{l}/findings")),
            });
        }
        Ok(out)
    }

    /// The expert ids of a drawn group that did not decline (for later steps of a procedure).
    pub async fn draw_group(&self, id: i64) -> StoreResult<Vec<i64>> {
        let m = self.load_draw(&self.db, id).await?;
        Ok(record_of(&m)?.group())
    }
}
