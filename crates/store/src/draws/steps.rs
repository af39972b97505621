//! The steps of a draw (P4, S4): commit → draw → declines replaced from the same committed sequence →
//! the seal opens. Each step claims the draw's row while it is still in the status the step starts from
//! (two people acting at once: one happens, the other is told the draw moved on, 409), and writes its
//! change and audit record in one [`Step`]; a step serving a procedure (a filing's group) runs inside
//! that procedure's step.

use super::{DrawInput, DrawSubject, record_of};
use crate::audit::AuditDraft;
use crate::entity::{draw, draw_member, org};
use crate::error::require;
use crate::policy::PolicyUsed;
use crate::step::Step;
use crate::{Ctx, Store, StoreError, StoreResult, now, today};
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::draws::{self, Applicant, Candidate, DrawRecord, DrawRequest, DrawStatus, PickStatus, RecusalRules};
use domain::ids::RegionCode;
use domain::org::Principal;
use domain::policy::keys;
use domain::{FieldError, FieldErrors};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde_json::json;

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

/// The refusal of a step whose draw is not (any more) in the status it starts from.
fn refused(code: &'static str, detail: &'static str) -> impl FnOnce() -> StoreError {
    move || StoreError::Conflict(FieldError::new("", code, detail))
}

impl Store {
    /// Claim draw `id` for a step while it is still `status`.
    async fn claim_draw(
        &self,
        step: &Step<'_>,
        id: i64,
        status: DrawStatus,
        moved_on: impl FnOnce() -> StoreError,
    ) -> StoreResult<draw::Model> {
        let claimed = step
            .claim::<draw::Entity, _>(
                draw::Column::Id,
                id,
                draw::Column::Status,
                status,
                draw::Column::UpdatedAt,
                moved_on,
            )
            .await;
        if let Err(moved_on) = claimed {
            // Only a refused claim asks why: a draw that does not exist is not found, whatever its status.
            self.load_draw(&**step, id).await?;
            return Err(moved_on);
        }
        // Read after the claim: what a step that just committed before us wrote is seen.
        self.load_draw(&**step, id).await
    }

    async fn recusal_rules(&self, used: &mut PolicyUsed) -> StoreResult<RecusalRules> {
        let day = today();
        Ok(RecusalRules {
            lookback_years: self.policy_parsed(keys::RECUSAL_LOOKBACK_YEARS, day, used).await?,
            same_city: self.policy_parsed(keys::RECUSAL_SAME_CITY, day, used).await?,
        })
    }

    /// Step 1: snapshot the eligible pool, hash it, and commit to a sealed random seed.
    pub async fn commit_draw(
        &self,
        p: &Principal,
        input: &DrawInput,
        subject: Option<DrawSubject>,
        ctx: &Ctx,
    ) -> StoreResult<i64> {
        let prepared = self.prepare(p, input, false).await?;
        let step = self.step(p, ctx).await?;
        let (row, _) = self.insert_draw(&step, p, &prepared, subject).await?;
        step.commit().await?;
        Ok(row.id)
    }

    /// A procedure's expert group (S4 evaluation group), validated and read: its size is bounded by
    /// policy (`draw.expert_group_min` … `draw.expert_group_max`, issue 9 item 13).
    pub(crate) async fn prepare_group_draw(&self, p: &Principal, input: &DrawInput) -> StoreResult<PreparedDraw> {
        self.prepare(p, input, true).await
    }

    /// Validate a draw and read what it needs (registry, policy) before any transaction is opened.
    async fn prepare(&self, p: &Principal, input: &DrawInput, group: bool) -> StoreResult<PreparedDraw> {
        require(p, Action::RunDraws)?;
        let mut errs = FieldErrors::new();
        let title = input.title.trim().to_string();
        if title.chars().count() < 2 {
            errs.push(FieldError::new("title", "REQUIRED", "请填写抽取事由（如“某考核站备案评估专家组”）"));
        }
        let applicant = match input.applicant_org_id {
            Some(id) => org::Entity::find_by_id(id).one(self.reader()).await?,
            None => None,
        };
        let applicant = errs.take(
            applicant
                .ok_or_else(|| FieldError::new("applicant_org_id", "REQUIRED", "请选择被评审的机构（回避以此为准）")),
        );
        let mut policy = PolicyUsed::default();
        let count = match input.count {
            Some(n) => n,
            None => self.policy_parsed(keys::EXPERT_GROUP_SIZE, today(), &mut policy).await?,
        };
        if group {
            let min: u32 = self.policy_parsed(keys::EXPERT_GROUP_MIN, today(), &mut policy).await?;
            let max: u32 = self.policy_parsed(keys::EXPERT_GROUP_MAX, today(), &mut policy).await?;
            if !(min..=max).contains(&count) {
                errs.push(FieldError::new(
                    "count",
                    "COUNT_RANGE",
                    format!("评议组人数应为 {min} 至 {max} 人（政策参数“专家评议组人数下限”“专家评议组人数上限”）"),
                ));
            }
        } else if !(1..=15).contains(&count) {
            errs.push(FieldError::new("count", "COUNT_RANGE", "抽取人数应为 1 至 15 人"));
        }
        for (field, cities) in [("include_cities", &input.include_cities), ("exclude_cities", &input.exclude_cities)] {
            if cities.iter().any(|c| RegionCode::parse_hunan_city(c).is_err()) {
                errs.push(FieldError::new(field, "REGION_NOT_HUNAN_CITY", "市州代码应为湖南省 14 个市州之一"));
            }
        }
        let Some(applicant) = applicant.filter(|_| errs.is_empty()) else { return Err(StoreError::Invalid(errs)) };
        let specialties = crate::experts::normalise_specialties(&input.specialties);
        let rules = self.recusal_rules(&mut policy).await?;
        let seed = draws::generate_seed().map_err(|e| StoreError::service("random source", e))?;
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
            seed_enc: self.crypto.encrypt(&seed, b"draw_seed").map_err(|e| StoreError::service("cipher", e))?,
            seed,
        })
    }

    /// Write a committed draw inside the step it serves.
    pub(crate) async fn insert_draw(
        &self,
        step: &Step<'_>,
        p: &Principal,
        prep: &PreparedDraw,
        subject: Option<DrawSubject>,
    ) -> StoreResult<(draw::Model, DrawRecord)> {
        let alg = self.hash_alg();
        let at = now();
        let row = draw::ActiveModel {
            purpose: Set(String::new()),
            subject_kind: Set(subject.as_ref().map(|s| s.kind)),
            subject_id: Set(subject.as_ref().map(|s| s.id.clone())),
            applicant_org_id: Set(prep.who.org_id),
            title: Set(prep.title.clone()),
            status: Set(DrawStatus::Committed),
            seal_open: Set(false),
            record: Set("{}".into()),
            seed_enc: Set(prep.seed_enc.clone()),
            created_by: Set(p.username.clone()),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        }
        .insert(&**step)
        .await?;
        let purpose = match &subject {
            Some(s) => s.purpose(),
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
            Err(e) => return Err(StoreError::service("draw commitment", e)),
        };
        let mut am = row.into_active_model();
        am.purpose = Set(purpose);
        am.record = Set(serde_json::to_string(&record)?);
        let row = am.update(&**step).await?;
        let detail = json!({
            "pool_hash": record.pool_hash, "commitment": record.commitment, "pool": record.pool.len(),
            "excluded": record.excluded.len(), "count": prep.count, "policy": prep.policy.to_json(),
        });
        step.audit(AuditDraft::new(AuditAction::DrawCommitted, row.id, detail)).await?;
        Ok((row, record))
    }

    /// Step 2: the deterministic draw from the committed pool and seed.
    pub async fn perform_draw(&self, p: &Principal, id: i64, ctx: &Ctx) -> StoreResult<()> {
        require(p, Action::RunDraws)?;
        let step = self.step(p, ctx).await?;
        let moved_on = refused("DRAW_ALREADY_DRAWN", "本次抽取已经执行，不能重复抽取");
        let m = self.claim_draw(&step, id, DrawStatus::Committed, moved_on).await?;
        let seed = self.seed_of(&m)?;
        let record = record_of(&m)?;
        self.draw_in(&step, m, record, &seed).await?;
        step.commit().await
    }

    /// Draw the group of a committed draw inside the step it serves.
    pub(crate) async fn draw_in(
        &self,
        step: &Step<'_>,
        m: draw::Model,
        mut record: DrawRecord,
        seed: &[u8; 32],
    ) -> StoreResult<Vec<i64>> {
        let id = m.id;
        let group = record.draw(seed, now()).map_err(|e| StoreError::service("draw", e))?;
        for (i, expert_id) in group.iter().enumerate() {
            draw_member::ActiveModel {
                draw_id: Set(id),
                expert_id: Set(*expert_id),
                position: Set(i as i32 + 1),
                status: Set(PickStatus::Drawn),
                decline_reason: Set(String::new()),
                declined_at: Set(None),
                ..Default::default()
            }
            .insert(&**step)
            .await?;
        }
        let mut am = m.into_active_model();
        am.record = Set(serde_json::to_string(&record)?);
        am.status = Set(DrawStatus::Drawn);
        am.updated_at = Set(now());
        am.update(&**step).await?;
        step.audit(AuditDraft::new(AuditAction::DrawDrawn, id, json!({ "group": group.len() }))).await?;
        Ok(group)
    }

    /// A drawn expert declines: the replacement is the next element of the same committed sequence.
    /// Returns the replacement's expert id, or `None` when the pool is used up. Two declines of the
    /// same expert at once: one is recorded, the other is told it already was (409).
    pub async fn decline_draw(
        &self,
        p: &Principal,
        id: i64,
        expert_id: i64,
        reason: &str,
        ctx: &Ctx,
    ) -> StoreResult<Option<i64>> {
        require(p, Action::RunDraws)?;
        let reason = reason.trim();
        if reason.chars().count() < 2 {
            return Err(FieldError::new("reason", "REQUIRED", "请填写专家拒绝（或无法参加）的原因").into());
        }
        let step = self.step(p, ctx).await?;
        let moved_on = refused("DRAW_NOT_DRAWN", "只有已抽取、尚未揭晓的名单可以登记拒绝");
        let m = self.claim_draw(&step, id, DrawStatus::Drawn, moved_on).await?;
        let declined = draw_member::Entity::update_many()
            .col_expr(draw_member::Column::Status, Expr::value(PickStatus::Declined))
            .col_expr(draw_member::Column::DeclineReason, Expr::value(reason))
            .col_expr(draw_member::Column::DeclinedAt, Expr::value(now()))
            .filter(draw_member::Column::DrawId.eq(id))
            .filter(draw_member::Column::ExpertId.eq(expert_id))
            .filter(draw_member::Column::Status.ne(PickStatus::Declined))
            .exec(&*step)
            .await?;
        if declined.rows_affected != 1 {
            let member = draw_member::Entity::find()
                .filter(draw_member::Column::DrawId.eq(id))
                .filter(draw_member::Column::ExpertId.eq(expert_id))
                .one(&*step)
                .await?;
            return Err(match member {
                Some(_) => StoreError::Conflict(FieldError::new(
                    "expert_id",
                    "DRAW_ALREADY_DECLINED",
                    "该专家的拒绝已经登记（可能刚由他人办理），请刷新页面查看递补结果",
                )),
                None => FieldError::new("expert_id", "NOT_IN_GROUP", "该专家不在本次抽取的名单中").into(),
            });
        }
        let seed = self.seed_of(&m)?;
        let mut record = record_of(&m)?;
        let replacement = record.decline(expert_id, &seed).map_err(|e| StoreError::service("draw", e))?;
        if let Some(r) = replacement {
            let position =
                record.picks.iter().find(|p| p.expert_id == r).map(|p| p.position).ok_or_else(|| {
                    StoreError::corrupt(format!("draw {id} record"), "replacement without a position")
                })?;
            draw_member::ActiveModel {
                draw_id: Set(id),
                expert_id: Set(r),
                position: Set(position as i32),
                status: Set(PickStatus::Replacement),
                decline_reason: Set(String::new()),
                declined_at: Set(None),
                ..Default::default()
            }
            .insert(&*step)
            .await?;
        }
        let mut am = m.into_active_model();
        am.record = Set(serde_json::to_string(&record)?);
        am.update(&*step).await?;
        step.audit(AuditDraft::new(
            AuditAction::DrawDeclined,
            id,
            json!({ "position_replaced": replacement.is_some() }),
        ))
        .await?;
        step.commit().await?;
        Ok(replacement)
    }

    /// The review starts: the seal opens and the seed is revealed, so anyone can re-run the draw.
    pub async fn open_draw_seal(&self, p: &Principal, id: i64, ctx: &Ctx) -> StoreResult<()> {
        require(p, Action::RunDraws)?;
        if self.load_draw(self.reader(), id).await?.subject_kind.is_some() {
            // A step's draw opens with the step (S4: the filing's evaluation start, with its to-dos).
            return Err(StoreError::Conflict(FieldError::new(
                "",
                "DRAW_OPENS_WITH_ITS_STEP",
                "本次抽取服务于考核站备案申请，请在备案申请页面办理“开始评估”，名单随之公开",
            )));
        }
        let step = self.step(p, ctx).await?;
        self.open_draw_seal_in(&step, id).await?;
        step.commit().await
    }

    /// [`Store::open_draw_seal`] inside the step it serves.
    pub(crate) async fn open_draw_seal_in(&self, step: &Step<'_>, id: i64) -> StoreResult<()> {
        let moved_on = refused("DRAW_NOT_DRAWN", "只有已抽取、尚未揭晓的名单可以开启评审");
        let m = self.claim_draw(step, id, DrawStatus::Drawn, moved_on).await?;
        let seed = self.seed_of(&m)?;
        let mut record = record_of(&m)?;
        record.reveal(&seed).map_err(|e| StoreError::service("draw", e))?;
        let mut am = m.into_active_model();
        am.record = Set(serde_json::to_string(&record)?);
        am.status = Set(DrawStatus::Revealed);
        am.seal_open = Set(true);
        am.update(&**step).await?;
        step.audit(AuditDraft::new(AuditAction::DrawRevealed, id, json!({ "seed": record.seed }))).await?;
        Ok(())
    }
}
