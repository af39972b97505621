//! E5, E6: the scores of an exam session and its score register (成绩登分册). `domain::exams` holds the
//! rules (`score()` by the specification's assessment method, the register's state machine and
//! gates); this module keeps the records:
//!
//! - **reads** ([`Store::score_sheet`]): the current register version with every candidate's scores,
//!   the earlier versions (kept after a correction) and what the caller may do; anyone who sees the
//!   session sees its sheet (the ID numbers masked). [`Store::my_results`]: a candidate's own results,
//!   only from confirmed registers.
//! - **reports** (`reports`, E5): the head's assessor report signed by every assessor from their own
//!   account, the supervisor's report with its incidents; a panel member's own sessions and page. Both
//!   reports are gates of the register's submission.
//! - **steps** (`steps`): the session's station enters scores (登分) for an approved session from its
//!   first day on (`SCORES_BEFORE_EXAM`, `SESSION_NOT_APPROVED` otherwise), one by one or as a batch
//!   (all-or-nothing); total and pass are computed, never typed. The station submits the register once
//!   every candidate is scored or marked absent (`REGISTER_GATES` naming what is missing); the organizer
//!   (E1, `NOT_ORGANIZER` otherwise) confirms it — its scores locked (`REGISTER_LOCKED`, 409) — or returns
//!   it with a reason; a confirmed register is corrected only by the organizer, with a reason, as a new
//!   version (the old one kept). Each is one `Step` with its audit record.

mod reports;
mod steps;

pub use reports::{
    AssessorReportView, MyPanel, PanelWork, ReportsView, ServiceLine, SignatureLine, SupervisionReportView,
};
pub use steps::{RegisterActionInput, ScoreEntry};

use crate::entity::{exam_candidate, exam_register, exam_score, exam_session, project, user};
use crate::sessions::{is_organizer, is_station};
use crate::{Store, StoreError, StoreResult};
use domain::exams::{PanelRole, RegisterStatus, Tenths};
use domain::org::Principal;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;
use time::OffsetDateTime;

/// One version of the register.
#[derive(Debug, Clone)]
pub struct RegisterView {
    pub version: u32,
    pub status: RegisterStatus,
    pub return_reason: String,
    pub correction_reason: String,
    pub submitted_at: Option<OffsetDateTime>,
    pub decided_at: Option<OffsetDateTime>,
    pub decided_by: Option<String>,
    pub created_by: String,
    pub created_at: OffsetDateTime,
}

/// A candidate's line of the register.
#[derive(Debug, Clone)]
pub struct ScoreRow {
    pub candidate_id: i64,
    pub name: String,
    pub id_number_masked: String,
    /// `None` until the candidate is scored (or marked absent).
    pub score: Option<ScoreView>,
}

/// A candidate's scores as entered.
#[derive(Debug, Clone)]
pub struct ScoreView {
    pub theory: Option<Tenths>,
    pub practical: Option<Tenths>,
    pub total: Tenths,
    pub passed: bool,
    pub absent: bool,
    pub entered_by: String,
    pub entered_at: OffsetDateTime,
}

/// The session's score sheet: the register version shown, its rows, every version, the caller's steps.
#[derive(Debug, Clone)]
pub struct ScoreSheet {
    pub session_id: i64,
    pub project_name: String,
    pub first_day: time::Date,
    /// `None` before the first score is entered.
    pub register: Option<RegisterView>,
    pub rows: Vec<ScoreRow>,
    /// Every version, newest first.
    pub versions: Vec<RegisterView>,
    /// The assessment method in words.
    pub method: String,
    /// Both reports of the panel with every assessor's signature (E5).
    pub reports: ReportsView,
    /// The gates of E5 that do not hold yet, in words (empty: the register may be submitted).
    pub missing: Vec<String>,
    pub can_enter: bool,
    pub can_submit: bool,
    pub can_decide: bool,
    pub can_correct: bool,
}

/// A candidate's own result (a confirmed register).
#[derive(Debug, Clone)]
pub struct MyResult {
    pub session_id: i64,
    pub project_name: String,
    pub first_day: time::Date,
    pub theory: Option<Tenths>,
    pub practical: Option<Tenths>,
    pub total: Tenths,
    pub passed: bool,
    pub absent: bool,
    pub version: u32,
    pub confirmed_at: Option<OffsetDateTime>,
}

pub(crate) fn tenths(v: Option<i32>) -> Option<Tenths> {
    v.and_then(|x| u32::try_from(x).ok()).map(Tenths)
}

fn register_view(m: &exam_register::Model) -> RegisterView {
    RegisterView {
        version: u32::try_from(m.version).unwrap_or(0),
        status: m.status,
        return_reason: m.return_reason.clone(),
        correction_reason: m.correction_reason.clone(),
        submitted_at: m.submitted_at,
        decided_at: m.decided_at,
        decided_by: m.decided_by.clone(),
        created_by: m.created_by.clone(),
        created_at: m.created_at,
    }
}

fn score_view(s: &exam_score::Model) -> ScoreView {
    ScoreView {
        theory: tenths(s.theory),
        practical: tenths(s.practical),
        total: tenths(Some(s.total)).unwrap_or(Tenths(0)),
        passed: s.passed,
        absent: s.absent,
        entered_by: s.entered_by.clone(),
        entered_at: s.entered_at,
    }
}

impl Store {
    /// Every version of a session's register, newest first.
    pub(crate) async fn registers_of(&self, session_id: i64) -> StoreResult<Vec<exam_register::Model>> {
        Ok(exam_register::Entity::find()
            .filter(exam_register::Column::SessionId.eq(session_id))
            .order_by_desc(exam_register::Column::Version)
            .all(self.reader())
            .await?)
    }

    pub(crate) async fn candidates_of(&self, session_id: i64) -> StoreResult<Vec<exam_candidate::Model>> {
        Ok(exam_candidate::Entity::find()
            .filter(exam_candidate::Column::SessionId.eq(session_id))
            .order_by_asc(exam_candidate::Column::Id)
            .all(self.reader())
            .await?)
    }

    pub(crate) async fn scores_of(&self, register_id: i64) -> StoreResult<HashMap<i64, exam_score::Model>> {
        Ok(exam_score::Entity::find()
            .filter(exam_score::Column::RegisterId.eq(register_id))
            .all(self.reader())
            .await?
            .into_iter()
            .map(|s| (s.candidate_id, s))
            .collect())
    }

    /// E5, E6: the session's score sheet — `version` (or the current one) with its rows.
    pub async fn score_sheet(&self, p: &Principal, session_id: i64, version: Option<u32>) -> StoreResult<ScoreSheet> {
        let m = self.session_in_scope(p, session_id).await?;
        self.sheet_of(p, &m, version, &[]).await
    }

    /// The sheet of session `m` as `p` sees it; `seats`: the caller's roles on its panel (assessors
    /// enter scores as the station does).
    pub(crate) async fn sheet_of(
        &self,
        p: &Principal,
        m: &exam_session::Model,
        version: Option<u32>,
        seats: &[PanelRole],
    ) -> StoreResult<ScoreSheet> {
        let session_id = m.id;
        let project =
            project::Entity::find_by_id(m.project_id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        let method = crate::projects::method_of(&project)?;
        let registers = self.registers_of(session_id).await?;
        let shown = match version {
            Some(v) => {
                Some(registers.iter().find(|r| u32::try_from(r.version).ok() == Some(v)).ok_or(StoreError::NotFound)?)
            }
            None => registers.first(),
        };
        let scores = match shown {
            Some(r) => self.scores_of(r.id).await?,
            None => HashMap::new(),
        };
        // The gates count the latest register's scores: the shown ones unless an older version is shown.
        let latest = registers.first();
        let latest_scores = match (latest, shown) {
            (Some(l), Some(s)) if l.id != s.id => Some(self.scores_of(l.id).await?),
            _ => None,
        };
        let candidates = self.candidates_of(session_id).await?;
        let reports = self.reports_of(session_id).await?;
        let gates = steps::gates_of(&candidates, latest_scores.as_ref().unwrap_or(&scores), &reports);
        let rows = candidates
            .into_iter()
            .map(|c| ScoreRow {
                candidate_id: c.id,
                score: scores.get(&c.id).map(score_view),
                name: c.name,
                id_number_masked: c.id_number_masked,
            })
            .collect();
        let current = registers.first().map(|r| r.status).unwrap_or(RegisterStatus::Entering);
        let approved = m.state == domain::exams::SessionState::Approved;
        let assessor = seats.iter().any(|r| matches!(r, PanelRole::Head | PanelRole::Assessor));
        let enters = (is_station(p, m) || assessor) && approved;
        let station = is_station(p, m) && approved;
        let organizer = is_organizer(p, m) && approved;
        Ok(ScoreSheet {
            reports,
            missing: domain::exams::missing_gates(&gates),
            session_id,
            project_name: project.name,
            first_day: m.first_day,
            register: shown.map(register_view),
            rows,
            versions: registers.iter().map(register_view).collect(),
            method: method.describe(),
            can_enter: enters
                && matches!(current, RegisterStatus::Entering | RegisterStatus::Returned)
                && crate::today() >= m.first_day,
            can_submit: station && matches!(current, RegisterStatus::Entering | RegisterStatus::Returned),
            can_decide: organizer && current == RegisterStatus::Submitted,
            can_correct: organizer && current == RegisterStatus::Confirmed,
        })
    }

    /// E6, issue 12: the signed-in candidate's own results, from confirmed registers only (matched by
    /// the roster row the confirmation of their application made, or their ID number's blind index).
    pub async fn my_results(&self, p: &Principal) -> StoreResult<Vec<MyResult>> {
        crate::error::require(p, domain::authz::Action::ApplyExams)?;
        let me = user::Entity::find_by_id(p.user_id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        let Some(idx) = me.candidate_idx.or(me.id_number_idx) else { return Ok(Vec::new()) };
        let cands = exam_candidate::Entity::find()
            .filter(exam_candidate::Column::IdNumberIdx.eq(idx))
            .order_by_desc(exam_candidate::Column::Id);
        let mut out = Vec::new();
        for c in cands.all(self.reader()).await? {
            let Some(reg) = self.registers_of(c.session_id).await?.into_iter().next() else { continue };
            if reg.status != RegisterStatus::Confirmed {
                continue;
            }
            let Some(s) = self.scores_of(reg.id).await?.remove(&c.id) else { continue };
            let Some(session) = exam_session::Entity::find_by_id(c.session_id).one(self.reader()).await? else {
                continue;
            };
            let project = project::Entity::find_by_id(session.project_id).one(self.reader()).await?;
            let v = score_view(&s);
            out.push(MyResult {
                session_id: c.session_id,
                project_name: project.map(|p| p.name).unwrap_or_default(),
                first_day: session.first_day,
                theory: v.theory,
                practical: v.practical,
                total: v.total,
                passed: v.passed,
                absent: v.absent,
                version: u32::try_from(reg.version).unwrap_or(0),
                confirmed_at: reg.decided_at,
            });
        }
        Ok(out)
    }
}
