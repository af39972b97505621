//! The station's side of self-service (`session.plan`, the session's own station): open the session to
//! applications, see its applications, confirm one onto the roster or decline it with a reason — all
//! only while the plan is the station's (draft or returned).
//!
//! The session's applications are read by whoever sees the session ([`Store::session_applications`]);
//! [`Store::search_session_applications`] searches them by words of the name or of the masked ID
//! number (the visible digits, e.g. the last four) and by status, and pages them. A session's
//! applications are few (at most its candidates and the people who withdrew or were declined), so they
//! are read once and filtered in memory, the same on SQLite and PostgreSQL: the name and the masked
//! number are not searchable columns of `exam_applications` (they live on the person's account).

use super::ApplicationView;
use crate::audit::AuditDraft;
use crate::entity::{exam_application, exam_session, user};
use crate::sessions::is_station;
use crate::workflow::NewEvent;
use crate::{Ctx, Page, PageReq, Store, StoreError, StoreResult, now, today};
use domain::FieldError;
use domain::audit::AuditAction;
use domain::exams::{
    ApplicationEvent, ApplicationStatus, Candidate, CandidateInput, CandidateSource, SessionEvent,
    application_transition,
};
use domain::org::Principal;
use domain::workflow::SubjectKind;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;
use std::collections::HashMap;

/// The filters of a session's applications list: words of the name or the masked ID number, a status.
#[derive(Debug, Clone, Default)]
pub struct ApplicationQuery {
    pub q: Option<String>,
    pub status: Option<ApplicationStatus>,
}

impl ApplicationQuery {
    fn matches(&self, a: &ApplicationView) -> bool {
        let words = self.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
        let found = words.is_none_or(|q| {
            let q = q.to_uppercase();
            a.name.to_uppercase().contains(&q) || a.id_number_masked.to_uppercase().contains(&q)
        });
        found && self.status.is_none_or(|s| a.status == s)
    }
}

/// What the station decides on an application: `confirm`, or `decline` with a reason.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ApplicationDecisionInput {
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub reason: String,
}

impl Store {
    /// Issue 12: the station opens its session to applications (开放网上报名) or closes it again, while
    /// the plan is its own.
    pub async fn set_applications_open(&self, p: &Principal, id: i64, open: bool, ctx: &Ctx) -> StoreResult<()> {
        let m = self.session_in_scope(p, id).await?;
        self.allow(p, &m, &SessionEvent::Edit)?;
        let step = self.claim_session(p, ctx, &m).await?;
        exam_session::ActiveModel { id: Set(id), applications_open: Set(open), ..Default::default() }
            .update(&*step)
            .await?;
        let e = NewEvent::about(SubjectKind::ExamSession, id)
            .comment(if open { "开放网上报名" } else { "关闭网上报名" }.to_owned());
        step.event(e).await?;
        step.audit(AuditDraft::new(
            AuditAction::ExamSessionApplicationsOpened,
            id,
            json!({ "session_id": id, "open": open }),
        ))
        .await?;
        step.commit().await
    }

    /// Issue 12: the session's applications (ID numbers masked), for whoever sees the session.
    pub async fn session_applications(&self, p: &Principal, id: i64) -> StoreResult<Vec<ApplicationView>> {
        self.session_in_scope(p, id).await?;
        let apps = exam_application::Entity::find()
            .filter(exam_application::Column::SessionId.eq(id))
            .order_by_asc(exam_application::Column::Id)
            .all(self.reader())
            .await?;
        let users: HashMap<i64, user::Model> = user::Entity::find()
            .filter(user::Column::Id.is_in(apps.iter().map(|a| a.user_id).collect::<Vec<_>>()))
            .all(self.reader())
            .await?
            .into_iter()
            .map(|u| (u.id, u))
            .collect();
        Ok(apps
            .into_iter()
            .map(|a| {
                let u = users.get(&a.user_id);
                ApplicationView {
                    id: a.id,
                    name: u.map(|u| u.display_name.clone()).unwrap_or_default(),
                    id_number_masked: u.and_then(|u| u.id_number_masked.clone()).unwrap_or_default(),
                    phone: u.map(|u| u.phone.clone()).unwrap_or_default(),
                    status: a.status,
                    reason: a.reason,
                    applied_at: a.created_at,
                    decided_at: a.decided_at,
                }
            })
            .collect())
    }

    /// Issue 12: the session's applications found by `query`, in the order they came, paged (a page past
    /// the end is empty), for whoever sees the session.
    pub async fn search_session_applications(
        &self,
        p: &Principal,
        id: i64,
        query: &ApplicationQuery,
        page: PageReq,
    ) -> StoreResult<Page<ApplicationView>> {
        let found: Vec<ApplicationView> =
            self.session_applications(p, id).await?.into_iter().filter(|a| query.matches(a)).collect();
        let total = found.len() as u64;
        let items = match page.window(total) {
            Some((skip, take)) => found
                .into_iter()
                .skip(usize::try_from(skip).unwrap_or(usize::MAX))
                .take(usize::try_from(take).unwrap_or(usize::MAX))
                .collect(),
            None => Vec::new(),
        };
        Ok(Page { items, total, page: page.page, per_page: page.per_page })
    }

    /// Issue 12, E3: the session's station confirms an application — the person joins the roster
    /// (source `applied`; `CANDIDATE_ALREADY_IN_SESSION` when their ID number is on it) — or declines
    /// it with a reason the candidate sees (`REASON_REQUIRED`). Only while the plan is the station's.
    pub async fn decide_application(
        &self,
        p: &Principal,
        id: i64,
        application_id: i64,
        input: &ApplicationDecisionInput,
        ctx: &Ctx,
    ) -> StoreResult<()> {
        let m = self.session_in_scope(p, id).await?;
        if !is_station(p, &m) {
            return Err(StoreError::Forbidden);
        }
        self.allow(p, &m, &SessionEvent::Edit)?;
        let a = exam_application::Entity::find_by_id(application_id)
            .one(self.reader())
            .await?
            .filter(|a| a.session_id == id)
            .ok_or(StoreError::NotFound)?;
        let reason = input.reason.trim().to_owned();
        let (event, action) = match input.action.trim() {
            "confirm" => (ApplicationEvent::Confirm, AuditAction::ExamApplicationConfirmed),
            "decline" => (ApplicationEvent::Decline { reason: reason.clone() }, AuditAction::ExamApplicationDeclined),
            _ => {
                return Err(StoreError::Invalid(
                    FieldError::new("action", "APPLICATION_ACTION_UNKNOWN", "请选择确认或不予确认").into(),
                ));
            }
        };
        let to = application_transition(a.status, &event).map_err(|r| match r {
            domain::exams::ApplicationRefusal::ReasonRequired => StoreError::Invalid(r.into()),
            _ => StoreError::Conflict(r.into()),
        })?;
        let person = user::Entity::find_by_id(a.user_id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        let candidate = match event {
            ApplicationEvent::Confirm => Some(self.candidate_of(&person, id).await?),
            _ => None,
        };
        let step = self.claim_session(p, ctx, &m).await?;
        self.claim_application(&step, &a).await?;
        let candidate_id = match &candidate {
            Some(c) => {
                Some(self.insert_candidate(&step, p, id, c, CandidateSource::Applied, &Default::default()).await?)
            }
            None => None,
        };
        exam_application::ActiveModel {
            id: Set(a.id),
            status: Set(to),
            reason: Set(if candidate.is_some() { String::new() } else { reason }),
            candidate_id: Set(candidate_id),
            decided_by: Set(Some(p.username.clone())),
            decided_at: Set(Some(now())),
            ..Default::default()
        }
        .update(&*step)
        .await?;
        step.close_todos(SubjectKind::ExamSession, id).await?;
        step.audit(AuditDraft::new(
            action,
            id,
            json!({ "session_id": id, "application_id": a.id, "candidate_id": candidate_id }),
        ))
        .await?;
        step.commit().await
    }

    /// The person of a confirmed application as a roster candidate: their name, ID number (decrypted to
    /// be sealed again on the roster row) and phone; refused when the number is on the roster already.
    async fn candidate_of(&self, person: &user::Model, session_id: i64) -> StoreResult<Candidate> {
        let enc = person.id_number_enc.clone().ok_or(StoreError::NotFound)?;
        let plain = self.crypto.decrypt(&enc, b"id_number").map_err(|e| StoreError::service("cipher", e))?;
        let number =
            String::from_utf8(plain).map_err(|e| StoreError::corrupt(format!("user {} ID number", person.id), e))?;
        let input = CandidateInput {
            name: person.display_name.clone(),
            id_number: number,
            phone: person.phone.clone(),
            employer: String::new(),
            subsidy_category: String::new(),
            training: String::new(),
            trainers: String::new(),
        };
        let c = Candidate::parse(&input, today()).map_err(StoreError::Invalid)?;
        if self.blind_indexes(session_id).await?.contains(&self.crypto.blind_index(c.id_number.as_str().as_bytes())) {
            return Err(StoreError::Conflict(FieldError::new(
                "id_number",
                "CANDIDATE_ALREADY_IN_SESSION",
                "该考生的身份证号码已在本场考核的考生名单中，不能重复确认",
            )));
        }
        Ok(c)
    }
}
