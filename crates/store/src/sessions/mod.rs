//! Exam sessions (考核计划, E1, E3) and their candidates. `domain::exams` holds the rules (the plan's
//! fields and lead time, the organizer by E1, the session's state machine, the roster); this module keeps
//! the records:
//!
//! - **reads** ([`Store::list_exam_sessions`], [`Store::get_exam_session`]): a station sees its own sessions, a
//!   city center its city's stations' sessions (which include every session it organizes), the province
//!   all; anything else is 404.
//! - **steps** (`steps`): a filed station drafts a session of a catalog project it is filed for (S5)
//!   that may hold an exam on those days (P8), the organizer decided by E1 at creation and again at each
//!   edit and at submission; the station edits it while it is a draft or returned, submits it no later
//!   than the policy's working days before the first day (E3, `PLAN_LATE` naming the latest day), and
//!   may cancel it before approval with a reason; only the organizer approves it or returns it with
//!   reasons (`NOT_ORGANIZER` otherwise). The submitted plan is the organizer's to-do, a returned one the
//!   station's.
//! - **candidates** (`candidates`): added one by one or from an .xlsx roster (all-or-nothing, `第 N 行「列」`
//!   errors, an ID number once per roster and once per session) and removed, while the plan is the
//!   station's (draft or returned): the organizer approves the plan with its list. ID numbers are stored
//!   encrypted with a blind index (unique per session) and shown masked; the spreadsheet export carries
//!   the full numbers only for the session's station and its organizer (they check identities at the
//!   exam), and each such export is audited.

mod candidates;
mod panel;
mod steps;

pub use candidates::{CandidateExport, CandidateTrainer, ROSTER_NOTES, TrainerIds};
pub use panel::{PanelChoice, PanelChoices, PanelMember};
pub use steps::SessionActionInput;

use crate::entity::{exam_candidate, exam_session, org, project};
use crate::error::require;
use crate::workflow::TimelineItem;
use crate::{Page, PageReq, Store, StoreError, StoreResult};
use domain::authz::Action;
use domain::exams::{CandidateSource, CandidateState, Organizer, SessionEventKind, SessionState, allowed_events};
use domain::org::{DataScope, Location, Principal};
use domain::workflow::SubjectKind;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use std::collections::HashMap;
use time::{Date, OffsetDateTime};

pub use domain::exams::{CandidateInput, ExamPlanInput as SessionInput};

/// A session as lists and pages show it.
#[derive(Debug, Clone)]
pub struct SessionView {
    pub id: i64,
    pub station_org_id: i64,
    pub station_name: String,
    /// The station's city code (GB/T 2260), if it has one.
    pub station_city: Option<String>,
    pub project_id: i64,
    pub project_code: String,
    pub project_name: String,
    pub organizer: Organizer,
    pub first_day: Date,
    pub last_day: Date,
    pub venue: String,
    pub expected_candidates: u32,
    pub computer_based: bool,
    pub plan: String,
    pub state: SessionState,
    pub decision_reason: String,
    pub candidates: u64,
    pub submitted_at: Option<OffsetDateTime>,
    pub decided_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    /// Issue 12: the station takes applications through candidate self-service (开放网上报名).
    pub applications_open: bool,
}

impl SessionView {
    /// The plan as its form is filled in again (edit).
    pub fn input(&self) -> SessionInput {
        SessionInput {
            project_code: self.project_code.clone(),
            first_day: self.first_day.to_string(),
            last_day: self.last_day.to_string(),
            venue: self.venue.clone(),
            expected_candidates: self.expected_candidates.to_string(),
            computer_based: self.computer_based,
            plan: self.plan.clone(),
        }
    }
}

/// A candidate as pages show them: the ID number masked.
#[derive(Debug, Clone)]
pub struct CandidateView {
    pub id: i64,
    pub name: String,
    pub id_number_masked: String,
    pub phone: String,
    pub employer: String,
    pub subsidy_category: String,
    pub training: String,
    /// E4, F3: who taught the training class (registry people), in the order named.
    pub trainers: Vec<CandidateTrainer>,
    pub source: CandidateSource,
    pub state: CandidateState,
    /// Issue 12: the admission ticket's number, once the plan is approved.
    pub ticket_number: Option<String>,
}

/// A session with its candidates, history and what the caller may do.
#[derive(Debug, Clone)]
pub struct SessionDetail {
    pub session: SessionView,
    pub candidates: Vec<CandidateView>,
    pub timeline: Vec<TimelineItem<SessionState>>,
    /// The steps this caller may take now.
    pub can: Vec<SessionEventKind>,
    /// The caller may add, import and remove candidates now.
    pub can_edit_roster: bool,
}

/// Filters of the session list.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SessionQuery {
    /// Words of the venue, or the project's code.
    pub q: Option<String>,
    /// A `SessionState` id.
    pub state: Option<String>,
    /// A catalog project's code.
    pub project_code: Option<String>,
    /// A station (org id).
    pub station_org_id: Option<i64>,
    /// Sessions whose first day is on or after this day.
    pub from: Option<Date>,
    /// Sessions whose first day is on or before this day.
    pub to: Option<Date>,
}

pub(crate) fn organizer_of(m: &exam_session::Model) -> Organizer {
    match &m.organizer_city {
        Some(c) => Organizer::City(c.clone()),
        None => Organizer::Province,
    }
}

fn location(m: &exam_session::Model) -> Location {
    Location { city: m.station_city.clone(), org_id: Some(m.station_org_id), person_id: None }
}

pub(crate) fn scope_condition(scope: &DataScope) -> Condition {
    match scope {
        DataScope::Province => Condition::all(),
        DataScope::City(c) => Condition::all().add(exam_session::Column::StationCity.eq(c.clone())),
        DataScope::Org(o) => Condition::all().add(exam_session::Column::StationOrgId.eq(*o)),
        DataScope::Person(_) => Condition::all().add(exam_session::Column::Id.eq(-1)),
    }
}

/// E1: whether `p` is the session's organizer (the province's staff for a province-organized session,
/// the city center's staff of that city for a city-organized one).
pub(crate) fn is_organizer(p: &Principal, m: &exam_session::Model) -> bool {
    p.can(Action::DecideSessions)
        && match (&m.organizer_city, &p.scope) {
            (None, DataScope::Province) => true,
            (Some(c), DataScope::City(s)) => c == s,
            _ => false,
        }
}

/// Whether `p` is staff of the session's station.
pub(crate) fn is_station(p: &Principal, m: &exam_session::Model) -> bool {
    p.can(Action::PlanSessions) && p.scope == DataScope::Org(m.station_org_id)
}

/// Whether `p` may take a step of this kind on the session (its actor, the session's own).
fn may_take(p: &Principal, m: &exam_session::Model, kind: SessionEventKind) -> bool {
    match kind.actor() {
        domain::exams::SessionActor::Station => is_station(p, m),
        domain::exams::SessionActor::Organizer => is_organizer(p, m),
    }
}

impl Store {
    pub(crate) async fn session_in_scope(&self, p: &Principal, id: i64) -> StoreResult<exam_session::Model> {
        require(p, Action::ListSessions)?;
        let m = exam_session::Entity::find_by_id(id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        if !p.scope.covers(&location(&m)) {
            return Err(StoreError::NotFound);
        }
        Ok(m)
    }

    /// Not found unless the session is in the caller's scope (checked before a body is read).
    pub async fn session_visible(&self, p: &Principal, id: i64) -> StoreResult<()> {
        self.session_in_scope(p, id).await.map(|_| ())
    }

    pub(crate) async fn session_views(&self, rows: Vec<exam_session::Model>) -> StoreResult<Vec<SessionView>> {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let projects: HashMap<i64, project::Model> = project::Entity::find()
            .filter(project::Column::Id.is_in(rows.iter().map(|r| r.project_id).collect::<Vec<_>>()))
            .all(self.reader())
            .await?
            .into_iter()
            .map(|m| (m.id, m))
            .collect();
        let orgs: HashMap<i64, String> = org::Entity::find()
            .filter(org::Column::Id.is_in(rows.iter().map(|r| r.station_org_id).collect::<Vec<_>>()))
            .all(self.reader())
            .await?
            .into_iter()
            .map(|m| (m.id, m.name))
            .collect();
        let mut counts: HashMap<i64, u64> = HashMap::new();
        let cands: Vec<i64> = exam_candidate::Entity::find()
            .select_only()
            .column(exam_candidate::Column::SessionId)
            .filter(exam_candidate::Column::SessionId.is_in(ids))
            .into_tuple()
            .all(self.reader())
            .await?;
        for s in cands {
            *counts.entry(s).or_default() += 1;
        }
        Ok(rows
            .into_iter()
            .map(|r| {
                let pr = projects.get(&r.project_id);
                SessionView {
                    id: r.id,
                    station_org_id: r.station_org_id,
                    station_name: orgs.get(&r.station_org_id).cloned().unwrap_or_default(),
                    station_city: r.station_city.clone(),
                    project_id: r.project_id,
                    project_code: pr.and_then(|m| m.code.clone()).unwrap_or_default(),
                    project_name: pr.map(|m| m.name.clone()).unwrap_or_default(),
                    organizer: organizer_of(&r),
                    first_day: r.first_day,
                    last_day: r.last_day,
                    venue: r.venue,
                    expected_candidates: u32::try_from(r.expected_candidates).unwrap_or(0),
                    computer_based: r.computer_based,
                    plan: r.plan,
                    state: r.state,
                    decision_reason: r.decision_reason,
                    candidates: counts.get(&r.id).copied().unwrap_or(0),
                    submitted_at: r.submitted_at,
                    decided_at: r.decided_at,
                    created_at: r.created_at,
                    applications_open: r.applications_open,
                }
            })
            .collect())
    }

    /// The ids of the projects of a catalog code (a filter of the session lists).
    pub(crate) async fn project_ids_by_code(&self, code: &str) -> StoreResult<Vec<i64>> {
        Ok(project::Entity::find()
            .filter(project::Column::Code.eq(code))
            .all(self.reader())
            .await?
            .into_iter()
            .map(|m| m.id)
            .collect())
    }

    /// E3: the sessions the caller sees, latest first day first.
    pub async fn list_exam_sessions(
        &self,
        p: &Principal,
        q: &SessionQuery,
        page: PageReq,
    ) -> StoreResult<Page<SessionView>> {
        require(p, Action::ListSessions)?;
        let mut sel = exam_session::Entity::find().filter(scope_condition(&p.scope));
        if let Some(t) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            sel = sel.filter(exam_session::Column::Venue.contains(t));
        }
        if let Some(s) = q.state.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            sel = sel.filter(match s.parse::<SessionState>() {
                Ok(st) => exam_session::Column::State.eq(st),
                Err(_) => exam_session::Column::Id.eq(-1),
            });
        }
        if let Some(code) = q.project_code.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let ids = self.project_ids_by_code(code).await?;
            sel = sel.filter(exam_session::Column::ProjectId.is_in(ids));
        }
        if let Some(o) = q.station_org_id {
            sel = sel.filter(exam_session::Column::StationOrgId.eq(o));
        }
        if let Some(d) = q.from {
            sel = sel.filter(exam_session::Column::FirstDay.gte(d));
        }
        if let Some(d) = q.to {
            sel = sel.filter(exam_session::Column::FirstDay.lte(d));
        }
        let rows = crate::fetch_page(self.reader(), sel, exam_session::Column::Id, true, page).await?;
        let items = self.session_views(rows.items).await?;
        Ok(Page { items, total: rows.total, page: rows.page, per_page: rows.per_page })
    }

    /// E3: one session with its candidates (ID numbers masked), its history and the caller's steps.
    /// The session's facts alone (no roster, no history), for pages about one of its parts.
    pub async fn get_session(&self, p: &Principal, id: i64) -> StoreResult<SessionView> {
        let m = self.session_in_scope(p, id).await?;
        self.session_views(vec![m]).await?.pop().ok_or(StoreError::NotFound)
    }

    pub async fn get_exam_session(&self, p: &Principal, id: i64) -> StoreResult<SessionDetail> {
        let m = self.session_in_scope(p, id).await?;
        let rows = exam_candidate::Entity::find()
            .filter(exam_candidate::Column::SessionId.eq(id))
            .order_by_asc(exam_candidate::Column::Id)
            .all(self.reader())
            .await?;
        let mut trainers = self.trainers_of(rows.iter().map(|c| c.id).collect()).await?;
        let candidates = rows
            .into_iter()
            .map(|c| CandidateView {
                trainers: trainers.remove(&c.id).unwrap_or_default(),
                id: c.id,
                name: c.name,
                id_number_masked: c.id_number_masked,
                phone: c.phone,
                employer: c.employer,
                subsidy_category: c.subsidy_category,
                training: c.training,
                source: c.source,
                state: c.state,
                ticket_number: c.ticket_number,
            })
            .collect();
        let timeline = self.timeline(SubjectKind::ExamSession, &id.to_string()).await?;
        let can: Vec<SessionEventKind> = allowed_events(m.state).into_iter().filter(|k| may_take(p, &m, *k)).collect();
        let can_edit_roster = m.state.is_editable() && is_station(p, &m);
        let session = self.session_views(vec![m]).await?.remove(0);
        Ok(SessionDetail { session, candidates, timeline, can, can_edit_roster })
    }
}
