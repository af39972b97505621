//! The candidate's side (`exam.apply`): the sessions open to applications, their own applications,
//! apply and withdraw. A candidate sees only their own applications (another's is not found).

use super::{MyApplicationView, OpenSessionView};
use crate::audit::AuditDraft;
use crate::entity::{exam_application, exam_candidate, exam_session, user};
use crate::error::require;
use crate::workflow::NewEvent;
use crate::{Ctx, Page, PageReq, Store, StoreError, StoreResult, now, today};
use domain::FieldError;
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::exams::{
    ApplicationEvent, ApplicationStatus, ApplyRefusal, SessionState, application_transition, check_open,
};
use domain::org::{Principal, Role};
use domain::workflow::SubjectKind;
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;

/// Filters of the open sessions' list.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OpenSessionQuery {
    /// Words of the venue.
    pub q: Option<String>,
    /// A catalog project's code.
    pub project_code: Option<String>,
    /// A station's city code.
    pub city: Option<String>,
}

fn conflict(e: impl Into<FieldError>) -> StoreError {
    StoreError::Conflict(e.into())
}

impl Store {
    /// The candidate's own applications by session.
    async fn own_applications(&self, p: &Principal) -> StoreResult<Vec<exam_application::Model>> {
        Ok(exam_application::Entity::find()
            .filter(exam_application::Column::UserId.eq(p.user_id))
            .order_by_desc(exam_application::Column::Id)
            .all(self.reader())
            .await?)
    }

    /// Issue 12: the sessions taking applications — opened by their station, the plan still the
    /// station's, the first day ahead — soonest first day last (newest first), with the caller's own
    /// application to each.
    pub async fn list_open_sessions(
        &self,
        p: &Principal,
        q: &OpenSessionQuery,
        page: PageReq,
    ) -> StoreResult<Page<OpenSessionView>> {
        require(p, Action::ApplyExams)?;
        let mut sel = exam_session::Entity::find()
            .filter(exam_session::Column::ApplicationsOpen.eq(true))
            .filter(exam_session::Column::State.is_in([SessionState::Draft, SessionState::Returned]))
            .filter(exam_session::Column::FirstDay.gt(today()));
        if let Some(t) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            sel = sel.filter(exam_session::Column::Venue.contains(t));
        }
        if let Some(c) = q.city.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            sel = sel.filter(exam_session::Column::StationCity.eq(c));
        }
        if let Some(code) = q.project_code.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let ids = self.project_ids_by_code(code).await?;
            sel = sel.filter(Condition::all().add(exam_session::Column::ProjectId.is_in(ids)));
        }
        let rows = crate::fetch_page(self.reader(), sel, exam_session::Column::Id, true, page).await?;
        let mine: HashMap<i64, ApplicationStatus> =
            self.own_applications(p).await?.into_iter().map(|a| (a.session_id, a.status)).collect();
        let items = self
            .session_views(rows.items)
            .await?
            .into_iter()
            .map(|s| OpenSessionView { applied: mine.get(&s.id).copied(), session: s })
            .collect();
        Ok(Page { items, total: rows.total, page: rows.page, per_page: rows.per_page })
    }

    /// Issue 12: the caller's own applications, newest first, with each decline's reason.
    pub async fn my_applications(&self, p: &Principal) -> StoreResult<Vec<MyApplicationView>> {
        require(p, Action::ApplyExams)?;
        let apps = self.own_applications(p).await?;
        let sessions = exam_session::Entity::find()
            .filter(exam_session::Column::Id.is_in(apps.iter().map(|a| a.session_id).collect::<Vec<_>>()))
            .all(self.reader())
            .await?;
        let views: HashMap<i64, crate::sessions::SessionView> =
            self.session_views(sessions).await?.into_iter().map(|s| (s.id, s)).collect();
        Ok(apps
            .into_iter()
            .filter_map(|a| {
                let s = views.get(&a.session_id)?;
                Some(MyApplicationView {
                    id: a.id,
                    session_id: a.session_id,
                    project_name: s.project_name.clone(),
                    station_name: s.station_name.clone(),
                    first_day: s.first_day,
                    last_day: s.last_day,
                    venue: s.venue.clone(),
                    status: a.status,
                    ticket_ready: domain::exams::check_ticket(
                        s.state == SessionState::Approved,
                        a.status == ApplicationStatus::Confirmed,
                    )
                    .is_ok(),
                    reason: a.reason,
                    applied_at: a.created_at,
                    decided_at: a.decided_at,
                })
            })
            .collect())
    }

    /// Issue 12: the candidate applies to a session open to applications (`SESSION_NOT_OPEN`,
    /// `SESSION_CLOSED`, `SESSION_STARTED`; `CANDIDATE_ALREADY_IN_SESSION` when on its roster or with an
    /// application standing). Applying again after a withdrawal or a decline reopens the application.
    /// The station gets a to-do.
    pub async fn apply_to_session(&self, p: &Principal, session_id: i64, ctx: &Ctx) -> StoreResult<i64> {
        require(p, Action::ApplyExams)?;
        let m = exam_session::Entity::find_by_id(session_id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        let me = user::Entity::find_by_id(p.user_id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        let idx = me.candidate_idx.clone().or(me.id_number_idx.clone()).ok_or_else(|| {
            StoreError::Invalid(
                FieldError::new("id_number", "ID_NUMBER_MISSING", "您的账号未登记身份证号码，不能网上报名").into(),
            )
        })?;
        let existing = exam_application::Entity::find()
            .filter(exam_application::Column::SessionId.eq(session_id))
            .filter(exam_application::Column::UserId.eq(p.user_id))
            .one(self.reader())
            .await?;
        let standing = existing
            .as_ref()
            .is_some_and(|a| matches!(a.status, ApplicationStatus::Applied | ApplicationStatus::Confirmed));
        let on_roster = exam_candidate::Entity::find()
            .filter(exam_candidate::Column::SessionId.eq(session_id))
            .filter(exam_candidate::Column::IdNumberIdx.eq(idx))
            .one(self.reader())
            .await?
            .is_some();
        check_open(m.applications_open, m.state.is_editable(), m.first_day, today(), standing || on_roster)
            .map_err(conflict)?;
        let step = self.claim_session(p, ctx, &m).await?;
        let at = now();
        // A new application, or the withdrawn or declined one reopened.
        let mut am = exam_application::ActiveModel {
            status: Set(ApplicationStatus::Applied),
            reason: Set(String::new()),
            candidate_id: Set(None),
            decided_by: Set(None),
            decided_at: Set(None),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        };
        let id = match existing {
            Some(a) => {
                am.id = Set(a.id);
                am.update(&*step).await?;
                a.id
            }
            None => {
                am.session_id = Set(session_id);
                am.user_id = Set(p.user_id);
                match am.insert(&*step).await {
                    Ok(r) => r.id,
                    // The unique index decides two applications at once.
                    Err(e) if super::violates_unique(&e, "exam_applications") => {
                        return Err(conflict(ApplyRefusal::AlreadyIn));
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        };
        let mut e =
            NewEvent::about(SubjectKind::ExamSession, session_id).comment(format!("考生 {} 网上报名", p.display_name));
        e.title = format!("确认考生网上报名：{}（{}）", p.display_name, m.first_day);
        e.assignee_role = Some(Role::StationStaff);
        e.assignee_org_id = Some(m.station_org_id);
        step.event(e).await?;
        step.audit(AuditDraft::new(
            AuditAction::ExamApplicationSubmitted,
            session_id,
            json!({ "session_id": session_id, "application_id": id }),
        ))
        .await?;
        step.commit().await?;
        Ok(id)
    }

    /// Issue 12: the candidate withdraws their application before the exam's first day; a confirmed
    /// one leaves the roster too, only while the plan is still the station's (`SESSION_CLOSED`).
    pub async fn withdraw_application(&self, p: &Principal, id: i64, ctx: &Ctx) -> StoreResult<()> {
        require(p, Action::ApplyExams)?;
        let a = exam_application::Entity::find_by_id(id)
            .one(self.reader())
            .await?
            .filter(|a| a.user_id == p.user_id)
            .ok_or(StoreError::NotFound)?;
        let m = exam_session::Entity::find_by_id(a.session_id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        let to = application_transition(a.status, &ApplicationEvent::Withdraw { started: today() >= m.first_day })
            .map_err(conflict)?;
        if a.status == ApplicationStatus::Confirmed && !m.state.is_editable() {
            return Err(conflict(ApplyRefusal::Closed));
        }
        let step = self.claim_session(p, ctx, &m).await?;
        self.claim_application(&step, &a).await?;
        if let Some(cid) = a.candidate_id {
            self.delete_candidate(&step, cid).await?;
        }
        exam_application::ActiveModel { id: Set(a.id), status: Set(to), candidate_id: Set(None), ..Default::default() }
            .update(&*step)
            .await?;
        step.audit(AuditDraft::new(
            AuditAction::ExamApplicationWithdrawn,
            a.session_id,
            json!({ "session_id": a.session_id, "application_id": a.id, "from": a.status }),
        ))
        .await?;
        step.commit().await
    }

    /// Claims the application by the status the caller read (409 `APPLICATION_CHANGED` to the second of
    /// two people acting on it at once).
    pub(crate) async fn claim_application(
        &self,
        step: &crate::step::Step<'_>,
        a: &exam_application::Model,
    ) -> StoreResult<()> {
        step.claim::<exam_application::Entity, _>(
            exam_application::Column::Id,
            a.id,
            exam_application::Column::Status,
            a.status,
            exam_application::Column::UpdatedAt,
            || conflict(FieldError::new("", "APPLICATION_CHANGED", "该报名刚被他人办理，状态已变化，请刷新页面后重试")),
        )
        .await
    }
}
