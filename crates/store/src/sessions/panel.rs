//! E4: the exam panel (考评组) of a session. Only the session's organizer (E1; `NOT_ORGANIZER` for
//! another center) appoints or replaces the whole panel — a head (考评组长), the other assessors
//! (考评员) and one supervisor (督导员) — of an **approved** session before its first day, as one step
//! with its audit record (`exam_session.panel_appointed`). The panel is checked by
//! [`domain::exams::check_panel`] over the real data: the registry's assessors and supervisors
//! ([`Store::registered_for_panel`]), the session's candidates (their ID numbers' blind indexes and
//! employers mapped into registry employer keys), the station's earlier panels (rotation) and the
//! station's own employer key; every refusal is named per person.
//!
//! **Region** (policy `exam.panel_region`, [`domain::exams::region_cities`]): by default a session a city
//! center organizes draws its assessors from that city (the registry person's `city_code`), one the
//! province organizes from the whole province; `province` lets anyone in the province sit. The manual
//! pick names `ASSESSOR_OUT_OF_REGION`, the draw's pool holds only the region (its public record lists
//! the cities), and `exam_panels.cities` keeps the cities the panel was appointed under.
//!
//! **Trainers**: a candidate's trainers (`exam_candidate_trainers`) are compared as people — the blind
//! index of their ID number — so an assessor who taught a candidate under their trainer certificate (a
//! separate registry row) is recused (`RECUSAL_TRAINER`).

use super::{is_organizer, organizer_of};
use crate::audit::AuditDraft;
use crate::entity::{
    draw, exam_candidate, exam_candidate_trainer, exam_panel, exam_panel_member, exam_session, project, registry_person,
};
use crate::policy::PolicyUsed;
use crate::step::Step;
use crate::{Ctx, Store, StoreError, StoreResult, now, today};
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::draws::{self, DrawRecord, DrawRequest, DrawStatus, RecusalRules};
use domain::exams::{
    Assessor, EXAM_PANEL_PURPOSE, MemberRefusal, Panel, PanelCandidate, PanelInput, PanelRegion, PanelRole, PanelRules,
    PanelSession, PastPanel, SessionState, Supervisor, check_panel, member_refusals, needed, panel_pool,
    propose_assessors, region_cities, settle_drawn,
};
use domain::org::Principal;
use domain::policy::keys;
use domain::projects::spec::{Specification, SpecificationInput};
use domain::registry::{PersonKind, PersonStatus};
use domain::workflow::SubjectKind;
use domain::{FieldError, FieldErrors};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;
use std::collections::HashMap;

/// A person on a session's panel (E4), as score entry and reports read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelMember {
    pub person_id: i64,
    pub name: String,
    pub role: PanelRole,
    pub card_number: String,
    /// The person's own account, when linked (the registry's).
    pub user_id: Option<i64>,
}

/// A registry person the organizer may choose from, with every reason they may not sit (empty: legal).
#[derive(Debug, Clone)]
pub struct PanelChoice {
    pub person_id: i64,
    pub name: String,
    pub card_number: String,
    pub city: String,
    pub refusals: Vec<String>,
}

/// The appointment page: who may be chosen, and how many assessors are needed.
#[derive(Debug, Clone)]
pub struct PanelChoices {
    pub assessors: Vec<PanelChoice>,
    pub supervisors: Vec<PanelChoice>,
    pub need: u32,
    /// Where the assessors come from (`exam.panel_region`), as people read it: 长沙市, or 全省.
    pub region: String,
}

/// Everything `check_panel` reads for one session.
struct PanelFacts {
    rules: PanelRules,
    session: PanelSession,
    pool: Vec<Assessor>,
    supervisors: Vec<Supervisor>,
    used: PolicyUsed,
}

fn conflict(code: &'static str, detail: String) -> StoreError {
    StoreError::Conflict(FieldError::new("state", code, detail))
}

/// The rank of a role in a panel list: head, assessors, supervisor.
fn rank(r: PanelRole) -> u8 {
    match r {
        PanelRole::Head => 0,
        PanelRole::Assessor => 1,
        PanelRole::Supervisor => 2,
    }
}

impl Store {
    /// E4: the panel of a session, head first, then the assessors by name, the supervisor last (empty
    /// before appointment). No principal: callers have checked the session's scope.
    pub async fn panel_of(&self, session_id: i64) -> StoreResult<Vec<PanelMember>> {
        let rows = exam_panel_member::Entity::find()
            .filter(exam_panel_member::Column::SessionId.eq(session_id))
            .all(self.reader())
            .await?;
        let people: HashMap<i64, registry_person::Model> = registry_person::Entity::find()
            .filter(registry_person::Column::Id.is_in(rows.iter().map(|r| r.person_id).collect::<Vec<_>>()))
            .all(self.reader())
            .await?
            .into_iter()
            .map(|m| (m.id, m))
            .collect();
        let mut out: Vec<PanelMember> = rows
            .into_iter()
            .filter_map(|r| {
                let m = people.get(&r.person_id)?;
                Some(PanelMember {
                    person_id: r.person_id,
                    name: m.name.clone(),
                    role: r.role,
                    card_number: m.card_number.clone(),
                    user_id: m.user_id,
                })
            })
            .collect();
        out.sort_by(|a, b| (rank(a.role), &a.name, a.person_id).cmp(&(rank(b.role), &b.name, b.person_id)));
        Ok(out)
    }

    /// E4: the provable draw session `id`'s assessors came from (none: a manual pick, or no panel).
    pub async fn panel_draw_of(&self, session_id: i64) -> StoreResult<Option<i64>> {
        Ok(exam_panel::Entity::find()
            .filter(exam_panel::Column::SessionId.eq(session_id))
            .one(self.reader())
            .await?
            .and_then(|p| p.draw_id))
    }

    /// Whether `p` may appoint the session's panel now: the organizer (E1), an approved session, before
    /// its first day.
    fn may_appoint(&self, p: &Principal, m: &exam_session::Model) -> StoreResult<()> {
        if !is_organizer(p, m) {
            if !p.can(Action::DecideSessions) {
                return Err(StoreError::Forbidden);
            }
            return Err(conflict(
                "NOT_ORGANIZER",
                format!("本场考核由{}组织实施（E1），只有组织考核的鉴定中心能委派考评组", organizer_of(m).label()),
            ));
        }
        if m.state != SessionState::Approved {
            return Err(conflict(
                "SESSION_NOT_APPROVED",
                format!("考核计划当前为“{}”，批准后才能委派考评组", m.state.label()),
            ));
        }
        if today() >= m.first_day {
            return Err(conflict("SESSION_STARTED", format!("考核已于 {} 开始，不能再委派或更换考评组", m.first_day)));
        }
        Ok(())
    }

    /// Whether `p` may appoint the panel of session `id` now (pages show the link only then).
    pub async fn may_appoint_panel(&self, p: &Principal, id: i64) -> StoreResult<bool> {
        let m = self.session_in_scope(p, id).await?;
        Ok(self.may_appoint(p, &m).is_ok())
    }

    /// The facts of the rules for session `m`.
    async fn panel_facts(&self, m: &exam_session::Model) -> StoreResult<PanelFacts> {
        let mut used = PolicyUsed::default();
        let day = today();
        let min_assessors: u32 = self.policy_parsed(keys::PANEL_MIN_ASSESSORS, day, &mut used).await?;
        let max_consecutive: u32 = self.policy_parsed(keys::ROTATION_MAX_CONSECUTIVE, day, &mut used).await?;
        let raw: String = self.policy_parsed(keys::ROTATION_MIN_REPLACED, day, &mut used).await?;
        let min_replaced = PanelRules::fraction(&raw)
            .ok_or_else(|| StoreError::corrupt(format!("policy {}", keys::ROTATION_MIN_REPLACED), raw.clone()))?;
        let rules = PanelRules { min_assessors, max_consecutive, min_replaced };
        let raw: String = self.policy_parsed(keys::PANEL_REGION, day, &mut used).await?;
        let region = PanelRegion::parse(&raw)
            .ok_or_else(|| StoreError::corrupt(format!("policy {}", keys::PANEL_REGION), raw.clone()))?;
        let project =
            project::Entity::find_by_id(m.project_id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        let spec_min_panel = serde_json::from_str::<SpecificationInput>(&project.specification)
            .ok()
            .and_then(|s| Specification::parse(&s).ok())
            .map_or(0, |s| s.min_panel_size());
        let mut candidates = Vec::new();
        let mut employer_keys: HashMap<String, Option<i64>> = HashMap::new();
        let rows = exam_candidate::Entity::find()
            .filter(exam_candidate::Column::SessionId.eq(m.id))
            .all(self.reader())
            .await?;
        let mut trainers = self.trainer_keys(rows.iter().map(|c| c.id).collect()).await?;
        for c in rows {
            let employer = match employer_keys.get(&c.employer) {
                Some(k) => *k,
                None => {
                    let k = if c.employer.trim().is_empty() {
                        None
                    } else {
                        self.employer_key_of_name(&c.employer).await?
                    };
                    employer_keys.insert(c.employer.clone(), k);
                    k
                }
            };
            let trainers = trainers.remove(&c.id).unwrap_or_default();
            candidates.push(PanelCandidate { key: c.id_number_idx, employer, trainers });
        }
        // Nobody registered works or worked at a station the registry has no employer key for: a key
        // no person carries stands for it.
        let station = self.employer_key_of_org(m.station_org_id).await?.unwrap_or(i64::MIN);
        let session = PanelSession {
            station_org_id: station,
            project_code: project.code.clone().unwrap_or_default(),
            first_day: m.first_day,
            candidates,
            history: self.station_panels(m).await?,
            cities: region_cities(region, &organizer_of(m)),
            spec_min_panel,
        };
        let pool = self.registered_for_panel(PersonKind::Assessor).await?.iter().map(|r| r.assessor()).collect();
        let supervisors =
            self.registered_for_panel(PersonKind::Supervisor).await?.iter().map(|r| r.supervisor()).collect();
        Ok(PanelFacts { rules, session, pool, supervisors, used })
    }

    /// The blind indexes of the ID numbers of those who taught each candidate (E4: the person, whatever
    /// registry record they taught under).
    async fn trainer_keys(&self, candidate_ids: Vec<i64>) -> StoreResult<HashMap<i64, Vec<String>>> {
        let links = exam_candidate_trainer::Entity::find()
            .filter(exam_candidate_trainer::Column::CandidateId.is_in(candidate_ids))
            .all(self.reader())
            .await?;
        let keys: HashMap<i64, String> = registry_person::Entity::find()
            .filter(registry_person::Column::Id.is_in(links.iter().map(|l| l.person_id).collect::<Vec<_>>()))
            .all(self.reader())
            .await?
            .into_iter()
            .map(|m| (m.id, m.id_number_idx))
            .collect();
        let mut out: HashMap<i64, Vec<String>> = HashMap::new();
        for l in links {
            let key = keys.get(&l.person_id).ok_or_else(|| {
                StoreError::corrupt(format!("candidate {} trainer", l.candidate_id), "no such registry person")
            })?;
            out.entry(l.candidate_id).or_default().push(key.clone());
        }
        Ok(out)
    }

    /// The station's earlier panels (before `m`'s first day), oldest first: their assessors.
    async fn station_panels(&self, m: &exam_session::Model) -> StoreResult<Vec<PastPanel>> {
        let sessions = exam_session::Entity::find()
            .filter(exam_session::Column::StationOrgId.eq(m.station_org_id))
            .filter(exam_session::Column::Id.ne(m.id))
            .filter(exam_session::Column::FirstDay.lt(m.first_day))
            .filter(exam_session::Column::State.ne(SessionState::Cancelled))
            .order_by_asc(exam_session::Column::FirstDay)
            .order_by_asc(exam_session::Column::Id)
            .all(self.reader())
            .await?;
        let ids: Vec<i64> = sessions.iter().map(|s| s.id).collect();
        let mut by_session: HashMap<i64, Vec<i64>> = HashMap::new();
        for r in exam_panel_member::Entity::find()
            .filter(exam_panel_member::Column::SessionId.is_in(ids))
            .filter(exam_panel_member::Column::Role.ne(PanelRole::Supervisor))
            .all(self.reader())
            .await?
        {
            by_session.entry(r.session_id).or_default().push(r.person_id);
        }
        Ok(sessions
            .into_iter()
            .filter_map(|s| {
                let assessors = by_session.remove(&s.id)?;
                Some(PastPanel { first_day: s.first_day, assessors })
            })
            .collect())
    }

    /// E4: whom the organizer may choose for session `id`: the active, qualified assessors and the
    /// active supervisors, each with the reasons they may not sit.
    pub async fn panel_choices(&self, p: &Principal, id: i64) -> StoreResult<PanelChoices> {
        let m = self.session_in_scope(p, id).await?;
        self.may_appoint(p, &m)?;
        let f = self.panel_facts(&m).await?;
        let people: HashMap<i64, registry_person::Model> = registry_person::Entity::find()
            .filter(registry_person::Column::Status.eq(PersonStatus::Active))
            .all(self.reader())
            .await?
            .into_iter()
            .map(|m| (m.id, m))
            .collect();
        let choice = |id: i64, name: &str, refusals: Vec<String>| {
            let m = people.get(&id)?;
            Some(PanelChoice {
                person_id: id,
                name: name.to_owned(),
                card_number: m.card_number.clone(),
                city: m.city_code.clone(),
                refusals,
            })
        };
        let assessors = f
            .pool
            .iter()
            .filter(|a| a.active && a.projects.contains(&f.session.project_code))
            .filter_map(|a| {
                let r = member_refusals(a, &f.session, &f.rules);
                choice(a.person_id, &a.name, r.iter().map(|r: &MemberRefusal| r.detail(&f.rules)).collect())
            })
            .collect();
        let supervisors = f
            .supervisors
            .iter()
            .filter(|v| v.active)
            .filter_map(|v| {
                let r = if v.employer == Some(f.session.station_org_id) {
                    vec!["须回避：本人在该考核站任职".to_owned()]
                } else {
                    Vec::new()
                };
                choice(v.person_id, &v.name, r)
            })
            .collect();
        let region = if f.session.cities.is_empty() {
            "全省".to_owned()
        } else {
            f.session.cities.iter().map(|c| domain::ids::region_name(c)).collect::<Vec<_>>().join("、")
        };
        Ok(PanelChoices { assessors, supervisors, need: needed(&f.session, &f.rules), region })
    }

    /// E4: the organizer appoints (or replaces) the whole panel of an approved session before its first
    /// day; every problem at once, named per person; nothing saved unless the panel is legal.
    pub async fn appoint_panel(&self, p: &Principal, id: i64, input: &PanelInput, ctx: &Ctx) -> StoreResult<()> {
        let m = self.session_in_scope(p, id).await?;
        self.may_appoint(p, &m)?;
        let f = self.panel_facts(&m).await?;
        let Some(panel) = input.panel() else {
            let mut e = FieldErrors::new();
            e.push(FieldError::new("head", "PANEL_NO_HEAD", "请选择考评组组长（须为本组考评员之一）"));
            if input.supervisor.is_none() {
                e.push(FieldError::new("supervisor", "PANEL_NO_SUPERVISOR", "请选派一名质量督导员"));
            }
            return Err(StoreError::Invalid(e));
        };
        if let Err(problems) = check_panel(&panel, &f.pool, &f.supervisors, &f.session, &f.rules) {
            let mut e = FieldErrors::new();
            for pr in &problems {
                e.push(pr.to_field_error(&f.rules));
            }
            return Err(StoreError::Invalid(e));
        }
        self.save_panel(p, ctx, &m, &panel, &f).await
    }

    /// E4: the organizer has kaohe draw the assessors of session `id` (a provable draw over the legal
    /// assessors, rotation kept by declines from the same sequence; `domain::exams::panel_draw`) and
    /// appoints them with `supervisor`, in one step: the draw (public at once, seed revealed) and the
    /// panel. No legal panel: 409 `PANEL_NO_LEGAL` with every reason counted. Answers the draw's id.
    pub async fn draw_panel(&self, p: &Principal, id: i64, supervisor: Option<i64>, ctx: &Ctx) -> StoreResult<i64> {
        let m = self.session_in_scope(p, id).await?;
        self.may_appoint(p, &m)?;
        let Some(supervisor) = supervisor else {
            let e = FieldError::new("supervisor", "PANEL_NO_SUPERVISOR", "请先选派一名质量督导员，再抽取考评员");
            return Err(StoreError::Invalid(e.into()));
        };
        let f = self.panel_facts(&m).await?;
        // A legal panel must exist at all (every reason counted otherwise), whatever the draw's order.
        let ids: Vec<i64> = f.pool.iter().map(|a| a.person_id).collect();
        if let Err(no) = propose_assessors(&ids, &f.pool, &f.session, &f.rules) {
            return Err(conflict("PANEL_NO_LEGAL", no.detail(&f.rules)));
        }
        let entries = panel_pool(&f.pool, &f.session, &f.rules);
        let seed = draws::generate_seed().map_err(|e| StoreError::service("random source", e))?;
        let seed_enc = self.crypto.encrypt(&seed, b"draw_seed").map_err(|e| StoreError::service("cipher", e))?;
        let purpose = format!("{EXAM_PANEL_PURPOSE}:{id}");
        let req = DrawRequest {
            purpose: purpose.clone(),
            count: needed(&f.session, &f.rules),
            specialties: vec![f.session.project_code.clone()],
            include_cities: f.session.cities.clone(),
            exclude_cities: vec![],
        };
        let at = now();
        let title = {
            let v = self.session_views(vec![m.clone()]).await?.pop().ok_or(StoreError::NotFound)?;
            format!("{}（{}，{}）", v.project_name, v.station_name, v.first_day)
        };
        let rr = RecusalRules { lookback_years: 0, same_city: false };
        let eligibility = draws::Eligibility { pool: entries, excluded: vec![] };
        let step = self.step(p, ctx).await?;
        let row = draw::ActiveModel {
            purpose: Set(purpose),
            subject_kind: Set(Some(SubjectKind::ExamSession)),
            subject_id: Set(Some(id.to_string())),
            applicant_org_id: Set(m.station_org_id),
            title: Set(title),
            status: Set(DrawStatus::Revealed),
            seal_open: Set(true),
            record: Set("{}".into()),
            seed_enc: Set(seed_enc),
            created_by: Set(p.username.clone()),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        }
        .insert(&*step)
        .await?;
        let alg = self.hash_alg();
        let mut record = DrawRecord::commit(row.id, alg, &req, &rr, &eligibility, &seed, at)
            .map_err(|e| StoreError::service("panel draw", e))?;
        record.draw(&seed, at).map_err(|e| StoreError::service("panel draw", e))?;
        let (head, assessors) = settle_drawn(&mut record, &seed, &f.session, &f.rules)
            .map_err(|e| conflict("PANEL_NO_LEGAL", e.to_string()))?;
        record.reveal(&seed).map_err(|e| StoreError::service("panel draw", e))?;
        draw::ActiveModel { id: Set(row.id), record: Set(serde_json::to_string(&record)?), ..Default::default() }
            .update(&*step)
            .await?;
        step.audit(AuditDraft::new(
            AuditAction::DrawCommitted,
            row.id,
            json!({ "pool_hash": record.pool_hash, "commitment": record.commitment, "pool": record.pool.len(),
                    "count": record.count, "session_id": id }),
        ))
        .await?;
        let panel = Panel { head, assessors, supervisor: Some(supervisor) };
        if let Err(problems) = check_panel(&panel, &f.pool, &f.supervisors, &f.session, &f.rules) {
            let mut e = FieldErrors::new();
            for pr in &problems {
                e.push(pr.to_field_error(&f.rules));
            }
            return Err(StoreError::Invalid(e));
        }
        self.write_panel(&step, p, &m, &panel, Some(row.id), &f).await?;
        step.commit().await?;
        Ok(row.id)
    }

    /// Writes the panel in one step with its audit record, replacing any earlier one.
    async fn save_panel(
        &self,
        p: &Principal,
        ctx: &Ctx,
        m: &exam_session::Model,
        panel: &Panel,
        f: &PanelFacts,
    ) -> StoreResult<()> {
        let step = self.step(p, ctx).await?;
        self.write_panel(&step, p, m, panel, None, f).await?;
        step.commit().await
    }

    /// The panel's rows and audit record (the region's cities and the policy used from `f`), inside
    /// `step`.
    async fn write_panel(
        &self,
        step: &Step<'_>,
        p: &Principal,
        m: &exam_session::Model,
        panel: &Panel,
        draw_id: Option<i64>,
        f: &PanelFacts,
    ) -> StoreResult<()> {
        let (cities, used) = (&f.session.cities, &f.used);
        let previous: Vec<i64> = self.panel_of(m.id).await?.into_iter().map(|x| x.person_id).collect();
        let at = now();
        exam_panel_member::Entity::delete_many()
            .filter(exam_panel_member::Column::SessionId.eq(m.id))
            .exec(&**step)
            .await?;
        exam_panel::Entity::delete_many().filter(exam_panel::Column::SessionId.eq(m.id)).exec(&**step).await?;
        exam_panel::ActiveModel {
            session_id: Set(m.id),
            draw_id: Set(draw_id),
            cities: Set(cities.join(",")),
            appointed_by: Set(p.username.clone()),
            appointed_at: Set(at),
            ..Default::default()
        }
        .insert(&**step)
        .await?;
        let mut seats: Vec<(i64, PanelRole)> = panel
            .assessors
            .iter()
            .map(|a| (*a, if *a == panel.head { PanelRole::Head } else { PanelRole::Assessor }))
            .collect();
        seats.extend(panel.supervisor.map(|s| (s, PanelRole::Supervisor)));
        for (person_id, role) in &seats {
            exam_panel_member::ActiveModel {
                session_id: Set(m.id),
                person_id: Set(*person_id),
                role: Set(*role),
                appointed_by: Set(p.username.clone()),
                appointed_at: Set(at),
                ..Default::default()
            }
            .insert(&**step)
            .await?;
        }
        step.audit(AuditDraft::new(
            AuditAction::ExamSessionPanelAppointed,
            m.id,
            json!({ "session_id": m.id, "head": panel.head, "assessors": panel.assessors,
                    "supervisor": panel.supervisor, "replaced": previous, "draw_id": draw_id, "cities": cities,
                    "policy": used.to_json() }),
        ))
        .await
    }
}
