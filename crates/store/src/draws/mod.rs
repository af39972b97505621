//! Provable random draws of experts (P4, S4; later E4 panels): commit (pool snapshot, pool hash, seed
//! commitment) → draw → declines replaced from the same committed sequence → the seal opens when the
//! review starts and the seed is revealed. The algorithm is `domain::draws` (docs/DRAWS.md); this module
//! keeps the record, seals the seed with the deployment's cipher, and writes every step to the audit
//! trail ([`steps`]). Names stay sealed until the review starts: only the staff member who ran the draw
//! and the province admin see them, and each such view is audited.

mod steps;

use crate::audit::AuditDraft;
use crate::entity::{draw, draw_member, expert, expert_conflict, expert_employment, org};
use crate::error::require;
use crate::{Ctx, Page, PageReq, Store, StoreError, StoreResult};
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::draws::{Candidate, DrawRecord, DrawStatus, ExclusionCode, PastEmployment, PickStatus};
use domain::experts::ExpertStatus;
use domain::org::{Principal, Role};
use domain::workflow::SubjectKind;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::OffsetDateTime;

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

/// The procedure record a draw serves (e.g. a station filing, S4); its seal opens with that record's
/// step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawSubject {
    pub kind: SubjectKind,
    pub id: String,
}

impl DrawSubject {
    /// What the draw is for, as recorded in its (hashed) record: `station_filing:12` for a filing's
    /// evaluation group, `project_review:7` for a project's review group (P4; docs/DRAWS.md).
    pub(crate) fn purpose(&self) -> String {
        match self.kind {
            SubjectKind::Filing => format!("{}:{}", domain::draws::STATION_FILING_PURPOSE, self.id),
            SubjectKind::Project => format!("{}:{}", domain::draws::PROJECT_REVIEW_PURPOSE, self.id),
            other => format!("{other}:{}", self.id),
        }
    }
}

fn subject_of(m: &draw::Model) -> Option<DrawSubject> {
    Some(DrawSubject { kind: m.subject_kind?, id: m.subject_id.clone()? })
}

#[derive(Debug, Clone)]
pub struct DrawSummary {
    pub id: i64,
    pub title: String,
    pub applicant: String,
    pub status: DrawStatus,
    pub seal_open: bool,
    /// The user name of who ran it, and their name (issue 9 item 5).
    pub created_by: String,
    pub created_by_name: String,
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone)]
pub struct MemberView {
    pub position: u32,
    pub expert_id: i64,
    /// Empty while the names are sealed for this viewer.
    pub name: String,
    pub employer: String,
    pub status: PickStatus,
    pub decline_reason: String,
}

#[derive(Debug, Clone)]
pub struct ExcludedView {
    pub expert_id: i64,
    pub name: String,
    /// Why the expert was not eligible (its `label()` reads as people read it).
    pub code: ExclusionCode,
}

#[derive(Debug, Clone)]
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
    /// The procedure record this draw serves, when it serves one (its seal opens there, e.g. a
    /// station filing's "开始评估").
    pub subject: Option<DrawSubject>,
    pub members: Vec<MemberView>,
    pub excluded: Vec<ExcludedView>,
}

#[derive(Debug, Clone)]
pub struct ReviewView {
    pub draw_id: i64,
    pub title: String,
    pub applicant: String,
    pub position: u32,
    pub status: PickStatus,
    pub drawn_at: Option<OffsetDateTime>,
    /// The procedure record reviewed (a filing's findings are recorded on it, S4).
    pub subject: Option<DrawSubject>,
}

/// A draw as the public sees it (issue 9 item 3): what it was for in words, when and by whom, and its
/// record — sealed (no seed, no picks) until the review starts.
#[derive(Debug, Clone)]
pub struct PublicDraw {
    pub id: i64,
    /// The step and the record in words, e.g. 「考核站备案评估专家评议组抽取：某某学校（备案申请 备2026-0001）」
    /// (by its id, 「备案申请第 12 号」, only for a filing that was never submitted).
    pub purpose_words: String,
    pub applicant: String,
    pub status: DrawStatus,
    pub seal_open: bool,
    /// Who ran it, by name.
    pub created_by_name: String,
    pub committed_at: OffsetDateTime,
    pub drawn_at: Option<OffsetDateTime>,
    /// While sealed: when the seal opens, in words; empty once open.
    pub opens: String,
    /// Sealed until the review starts ([`DrawRecord::sealed`]).
    pub record: DrawRecord,
}

pub(crate) fn record_of(m: &draw::Model) -> StoreResult<DrawRecord> {
    serde_json::from_str(&m.record).map_err(|e| StoreError::corrupt(format!("draw {} record", m.id), e))
}

/// A record's UTC time (RFC 3339, docs/DRAWS.md), typed.
fn record_time(id: i64, utc: &str) -> StoreResult<OffsetDateTime> {
    OffsetDateTime::parse(utc, &time::format_description::well_known::Rfc3339)
        .map_err(|e| StoreError::corrupt(format!("draw {id} record time"), e))
}

impl Store {
    fn seed_of(&self, m: &draw::Model) -> StoreResult<[u8; 32]> {
        let plain = self.crypto.decrypt(&m.seed_enc, b"draw_seed").map_err(|e| StoreError::service("cipher", e))?;
        plain.try_into().map_err(|_| StoreError::corrupt(format!("draw {} seed", m.id), "sealed seed is not 32 bytes"))
    }

    /// The whole registry with the facts the filters use (grouped by expert in one pass each, so a
    /// registry of tens of thousands stays linear).
    async fn candidates(&self) -> StoreResult<Vec<Candidate>> {
        use std::collections::HashMap;
        let experts = expert::Entity::find().order_by_asc(expert::Column::Id).all(self.reader()).await?;
        let mut specialties = crate::experts::specialties_of(self.reader(), None).await?;
        let mut past: HashMap<i64, Vec<PastEmployment>> = HashMap::new();
        for p in expert_employment::Entity::find().all(self.reader()).await? {
            past.entry(p.expert_id).or_default().push(PastEmployment { org_id: p.org_id, until: p.until });
        }
        let mut conflicts: HashMap<i64, Vec<i64>> = HashMap::new();
        for c in expert_conflict::Entity::find().all(self.reader()).await? {
            conflicts.entry(c.expert_id).or_default().push(c.org_id);
        }
        Ok(experts
            .into_iter()
            .map(|e| Candidate {
                expert_id: e.id,
                specialties: specialties.remove(&e.id).unwrap_or_default(),
                city: e.city_code.clone(),
                active: e.status == ExpertStatus::Active,
                employer_org_id: e.employer_org_id,
                past_employers: past.remove(&e.id).unwrap_or_default(),
                declared_conflict_org_ids: conflicts.remove(&e.id).unwrap_or_default(),
            })
            .collect())
    }

    async fn load_draw<C: ConnectionTrait>(&self, conn: &C, id: i64) -> StoreResult<draw::Model> {
        draw::Entity::find_by_id(id).one(conn).await?.ok_or(StoreError::NotFound)
    }

    /// Draws as listed: the applicant organisations of the page in one query, the people in another.
    async fn summaries(&self, rows: &[draw::Model]) -> StoreResult<Vec<DrawSummary>> {
        let people = self.names_of_users(rows.iter().map(|m| m.created_by.clone()).collect()).await?;
        let orgs = org::Entity::find()
            .filter(org::Column::Id.is_in(rows.iter().map(|m| m.applicant_org_id).collect::<Vec<_>>()))
            .all(self.reader())
            .await?;
        rows.iter()
            .map(|m| {
                let applicant =
                    orgs.iter().find(|o| o.id == m.applicant_org_id).map(|o| o.name.clone()).ok_or_else(|| {
                        StoreError::corrupt(format!("draw {} applicant", m.id), "organisation missing")
                    })?;
                Ok(DrawSummary {
                    id: m.id,
                    title: m.title.clone(),
                    applicant,
                    status: m.status,
                    seal_open: m.seal_open,
                    created_by_name: people.get(&m.created_by).cloned().unwrap_or_else(|| m.created_by.clone()),
                    created_by: m.created_by.clone(),
                    created_at: m.created_at,
                })
            })
            .collect()
    }

    pub async fn list_draws(&self, p: &Principal, page: PageReq) -> StoreResult<Page<DrawSummary>> {
        require(p, Action::RunDraws)?;
        let rows = crate::fetch_page(self.reader(), draw::Entity::find(), draw::Column::Id, true, page).await?;
        let items = self.summaries(&rows.items).await?;
        Ok(Page { items, total: rows.total, page: rows.page, per_page: rows.per_page })
    }

    /// A draw for the staff page. Names are shown once the seal is open; before, only to the staff
    /// member who ran it and to the province admin, and each such view is audited.
    pub async fn get_draw(&self, p: &Principal, id: i64, ctx: &Ctx) -> StoreResult<DrawView> {
        require(p, Action::RunDraws)?;
        let m = self.load_draw(self.reader(), id).await?;
        let record = record_of(&m)?;
        let names_visible = m.seal_open || m.created_by == p.username || p.has(Role::ProvinceAdmin);
        if names_visible && !m.seal_open && m.status != DrawStatus::Committed {
            self.audit(ctx, AuditDraft::new(AuditAction::DrawNamesViewed, id, json!({}))).await?;
        }
        let members = draw_member::Entity::find()
            .filter(draw_member::Column::DrawId.eq(id))
            .order_by_asc(draw_member::Column::Position)
            .all(self.reader())
            .await?;
        let ids: Vec<i64> =
            members.iter().map(|x| x.expert_id).chain(record.excluded.iter().map(|e| e.expert_id)).collect();
        let experts = expert::Entity::find().filter(expert::Column::Id.is_in(ids)).all(self.reader()).await?;
        let name_of = |id: i64| {
            experts.iter().find(|e| e.id == id).map(|e| (e.name.clone(), e.employer_name.clone())).unwrap_or_default()
        };
        let summary = self.summaries(std::slice::from_ref(&m)).await?.remove(0);
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
            subject: subject_of(&m),
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
                        status: x.status,
                        decline_reason: if names_visible { x.decline_reason.clone() } else { String::new() },
                    }
                })
                .collect(),
            excluded: record
                .excluded
                .iter()
                .map(|e| ExcludedView { expert_id: e.expert_id, name: name_of(e.expert_id).0, code: e.code })
                .collect(),
            summary,
        })
    }

    /// Draws as the public sees them, newest first (no sign-in; issue 9 item 3).
    pub async fn public_draws(&self, page: PageReq) -> StoreResult<Page<PublicDraw>> {
        let rows = crate::fetch_page(self.reader(), draw::Entity::find(), draw::Column::Id, true, page).await?;
        let items = self.public_views(&rows.items).await?;
        Ok(Page { items, total: rows.total, page: rows.page, per_page: rows.per_page })
    }

    /// One draw as the public sees it.
    pub async fn public_draw(&self, id: i64) -> StoreResult<PublicDraw> {
        let m = self.load_draw(self.reader(), id).await?;
        Ok(self.public_views(std::slice::from_ref(&m)).await?.remove(0))
    }

    /// The public views of `rows`: the filings they serve in one query, the rest as [`Store::summaries`].
    async fn public_views(&self, rows: &[draw::Model]) -> StoreResult<Vec<PublicDraw>> {
        let summaries = self.summaries(rows).await?;
        let filing_ids: Vec<i64> = rows
            .iter()
            .filter_map(subject_of)
            .filter(|s| s.kind == SubjectKind::Filing)
            .filter_map(|s| s.id.parse().ok())
            .collect();
        let filings = crate::entity::filing::Entity::find()
            .filter(crate::entity::filing::Column::Id.is_in(filing_ids))
            .all(self.reader())
            .await?;
        rows.iter()
            .zip(summaries)
            .map(|(m, s)| {
                let full = record_of(m)?;
                let record = if m.seal_open { full } else { full.sealed() };
                let (step, _) = domain::draws::purpose_step(&record.purpose);
                let filing = subject_of(m)
                    .filter(|s| s.kind == SubjectKind::Filing)
                    .and_then(|s| filings.iter().find(|f| f.id.to_string() == s.id));
                let (purpose_words, opens) = match filing {
                    Some(f) => (
                        match &f.reference {
                            Some(r) => format!("{step}：{}（备案申请 {r}）", f.institution_name),
                            None => format!("{step}：{}（备案申请第 {} 号）", f.institution_name, f.id),
                        },
                        match f.evaluation_date {
                            Some(d) => format!("评估开始时公开（评估方案确定的评估日期为 {d}）"),
                            None => "评估开始时公开（评估日期待评估方案确定）".to_string(),
                        },
                    ),
                    None if record.purpose.starts_with(domain::exams::EXAM_PANEL_PURPOSE) => {
                        (format!("{step}：{}", m.title), "抽取时即公开".to_string())
                    }
                    None => {
                        (format!("{step}：{}（被评审单位：{}）", m.title, s.applicant), "评审开始时公开".to_string())
                    }
                };
                Ok(PublicDraw {
                    id: m.id,
                    purpose_words,
                    applicant: s.applicant,
                    status: m.status,
                    seal_open: m.seal_open,
                    created_by_name: s.created_by_name,
                    committed_at: record_time(m.id, &record.committed_at)?,
                    drawn_at: record.drawn_at.as_deref().map(|t| record_time(m.id, t)).transpose()?,
                    opens: if m.seal_open { String::new() } else { opens },
                    record,
                })
            })
            .collect()
    }

    /// The record anyone may fetch: sealed (no picks, no seed) until the review starts.
    pub async fn public_draw_record(&self, id: i64) -> StoreResult<DrawRecord> {
        let m = self.load_draw(self.reader(), id).await?;
        let record = record_of(&m)?;
        Ok(if m.seal_open { record } else { record.sealed() })
    }

    /// The reviews an expert was drawn into, once their seals are open (the expert's own view).
    pub async fn my_reviews(&self, p: &Principal) -> StoreResult<Vec<ReviewView>> {
        require(p, Action::ViewOwnReviews)?;
        let Some(me) = self.expert_of_user(p.user_id).await? else { return Ok(vec![]) };
        let members = draw_member::Entity::find()
            .filter(draw_member::Column::ExpertId.eq(me))
            .filter(draw_member::Column::Status.ne(PickStatus::Declined))
            .all(self.reader())
            .await?;
        let opened = draw::Entity::find()
            .filter(draw::Column::Id.is_in(members.iter().map(|x| x.draw_id).collect::<Vec<_>>()))
            .filter(draw::Column::SealOpen.eq(true))
            .all(self.reader())
            .await?;
        let summaries = self.summaries(&opened).await?;
        let mut out = Vec::new();
        for x in members {
            let Some((m, s)) = opened.iter().zip(&summaries).find(|(d, _)| d.id == x.draw_id) else { continue };
            out.push(ReviewView {
                draw_id: m.id,
                title: m.title.clone(),
                applicant: s.applicant.clone(),
                position: x.position as u32,
                status: x.status,
                drawn_at: record_of(m)?.drawn_at.map(|t| record_time(m.id, &t)).transpose()?,
                subject: subject_of(m),
            });
        }
        Ok(out)
    }

    /// The expert ids of a drawn group that did not decline (for later steps of a procedure).
    pub async fn draw_group(&self, id: i64) -> StoreResult<Vec<i64>> {
        let m = self.load_draw(self.reader(), id).await?;
        Ok(record_of(&m)?.group())
    }
}
