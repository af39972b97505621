//! The steps of grading (E5) and of the score register (E6): enter scores (the station, one or a batch,
//! all-or-nothing), submit the register (the station, every gate held), confirm or return it (the
//! organizer), correct a confirmed register (the organizer, a reason, a new version). Each is one
//! [`crate::step::Step`]: the register row claimed by the status the caller read (409 `REGISTER_CHANGED`
//! to the second of two people acting at once), the change, the audit record.

use super::ReportsView;
use crate::audit::AuditDraft;
use crate::entity::{exam_candidate, exam_register, exam_score, exam_session, project};
use crate::error::require;
use crate::sessions::{is_organizer, is_station, organizer_of};
use crate::step::Step;
use crate::{Ctx, Store, StoreError, StoreResult, now, today};
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::exams::{
    Outcome, RegisterEvent, RegisterGates, RegisterRefusal, RegisterState, RegisterStatus, ScoreInput, SessionState,
    register_transition, score,
};
use domain::org::Principal;
use domain::projects::AssessmentMethod;
use domain::{FieldError, FieldErrors};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;

/// One candidate's scores as typed: the candidate by roster id or by ID number; blank parts with
/// `absent` mark the candidate absent (缺考).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ScoreEntry {
    #[serde(default)]
    pub candidate_id: Option<i64>,
    #[serde(default)]
    pub id_number: String,
    #[serde(default)]
    pub theory: String,
    #[serde(default)]
    pub practical: String,
    #[serde(default)]
    pub absent: bool,
}

/// A step on the register: `submit`, `confirm`, `return` (reason) or `correct` (reason and the
/// corrected scores).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RegisterActionInput {
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub reason: String,
    /// For `correct`: the corrected candidates' scores.
    #[serde(default)]
    pub scores: Vec<ScoreEntry>,
}

fn changed() -> StoreError {
    StoreError::Conflict(FieldError::new(
        "state",
        "REGISTER_CHANGED",
        "成绩登分册刚被他人办理，状态已变化，请刷新页面后重试",
    ))
}

fn refused(r: RegisterRefusal) -> StoreError {
    match r {
        RegisterRefusal::ReasonRequired { .. } => StoreError::Invalid(r.to_field_error().into()),
        _ => StoreError::Conflict(r.to_field_error()),
    }
}

fn state_of(r: Option<&exam_register::Model>) -> RegisterState {
    r.map_or(RegisterState::NEW, |r| RegisterState { status: r.status, version: u32::try_from(r.version).unwrap_or(1) })
}

/// Where an entry's error points: `field` for a single entry, `N:列` (spreadsheet row N = index + 2)
/// for a batch, with `第 N 行「列」：` before the text.
fn at(batch: bool, i: usize, e: FieldError) -> FieldError {
    if !batch {
        return e;
    }
    let col = match e.field.as_str() {
        "theory" => "理论知识考试成绩",
        "practical" => "操作技能考核成绩",
        "absent" => "缺考",
        _ => "身份证号码",
    };
    let row = i + 2;
    FieldError::new(format!("{row}:{col}"), e.code, format!("第 {row} 行「{col}」：{}", e.detail))
}

/// The outcome of an entry under the method; `absent` requires blank parts.
fn outcome(method: &AssessmentMethod, e: &ScoreEntry) -> Result<(Outcome, bool), FieldErrors> {
    let input = ScoreInput { theory: e.theory.clone(), practical: e.practical.clone() };
    let o = score(method, &input)?;
    if e.absent && (o.theory.is_some() || o.practical.is_some()) {
        return Err(FieldError::new("absent", "SCORE_ABSENT_WITH_SCORE", "标记缺考的考生不应填写成绩").into());
    }
    if !e.absent && o.theory.is_none() && o.practical.is_none() {
        return Err(FieldError::new(
            if method.theory.is_some() { "theory" } else { "practical" },
            "SCORE_REQUIRED",
            "请填写成绩；未参加考核的考生请标记缺考",
        )
        .into());
    }
    Ok((o, e.absent))
}

fn as_i32(t: Option<domain::exams::Tenths>) -> Option<i32> {
    t.and_then(|t| i32::try_from(t.0).ok())
}

impl Store {
    /// The session (approved) and its project's method, for a grading step.
    async fn grading_session(
        &self,
        m: exam_session::Model,
    ) -> StoreResult<(exam_session::Model, project::Model, AssessmentMethod)> {
        if m.state != SessionState::Approved {
            return Err(StoreError::Conflict(FieldError::new(
                "state",
                "SESSION_NOT_APPROVED",
                format!("考核计划当前为“{}”，批准后方可登记成绩、提交成绩登分册", m.state.label()),
            )));
        }
        let project =
            project::Entity::find_by_id(m.project_id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        let method = crate::projects::method_of(&project)?;
        Ok((m, project, method))
    }

    /// E1: only the session's organizer decides its register (`NOT_ORGANIZER` for another center).
    fn require_organizer(&self, p: &Principal, m: &exam_session::Model) -> StoreResult<()> {
        if is_organizer(p, m) {
            return Ok(());
        }
        if !p.can(Action::DecideSessions) {
            return Err(StoreError::Forbidden);
        }
        Err(StoreError::Conflict(FieldError::new(
            "state",
            "NOT_ORGANIZER",
            format!(
                "本场考核由{}组织实施（E1），只有组织考核的鉴定中心能审核、更正其成绩登分册",
                organizer_of(m).label()
            ),
        )))
    }

    /// The entries checked against the roster and the method: every error at once; answers each
    /// candidate's outcome.
    async fn check_entries(
        &self,
        session_id: i64,
        method: &AssessmentMethod,
        entries: &[ScoreEntry],
        batch: bool,
    ) -> StoreResult<Vec<(i64, Outcome, bool)>> {
        let roster = self.candidates_of(session_id).await?;
        let by_id: HashMap<i64, &exam_candidate::Model> = roster.iter().map(|c| (c.id, c)).collect();
        let by_idx: HashMap<&str, i64> = roster.iter().map(|c| (c.id_number_idx.as_str(), c.id)).collect();
        let mut errs = FieldErrors::new();
        let mut seen = HashMap::new();
        let mut out = Vec::new();
        if entries.is_empty() {
            errs.push(FieldError::new("scores", "SCORES_EMPTY", "没有要登记的成绩"));
        }
        for (i, e) in entries.iter().enumerate() {
            let cid = match e.candidate_id {
                Some(c) if by_id.contains_key(&c) => Some(c),
                Some(_) => None,
                None => {
                    let idx = self.crypto.blind_index(e.id_number.trim().to_uppercase().as_bytes());
                    by_idx.get(idx.as_str()).copied()
                }
            };
            let Some(cid) = cid else {
                errs.push(at(
                    batch,
                    i,
                    FieldError::new("candidate", "CANDIDATE_NOT_IN_SESSION", "本场考核的考生名单中没有该考生"),
                ));
                continue;
            };
            if let Some(first) = seen.insert(cid, i + 2) {
                errs.push(at(
                    batch,
                    i,
                    FieldError::new("candidate", "SCORE_DUPLICATE", format!("该考生的成绩与第 {first} 行重复")),
                ));
                continue;
            }
            match outcome(method, e) {
                Ok((o, absent)) => out.push((cid, o, absent)),
                Err(es) => {
                    for f in es.0 {
                        errs.push(at(batch, i, f));
                    }
                }
            }
        }
        errs.into_result().map_err(StoreError::Invalid)?;
        Ok(out)
    }

    async fn put_score(
        &self,
        step: &Step<'_>,
        p: &Principal,
        session_id: i64,
        register_id: i64,
        (cid, o, absent): &(i64, Outcome, bool),
    ) -> StoreResult<()> {
        exam_score::Entity::delete_many()
            .filter(exam_score::Column::RegisterId.eq(register_id))
            .filter(exam_score::Column::CandidateId.eq(*cid))
            .exec(&**step)
            .await?;
        exam_score::ActiveModel {
            register_id: Set(register_id),
            session_id: Set(session_id),
            candidate_id: Set(*cid),
            theory: Set(as_i32(o.theory)),
            practical: Set(as_i32(o.practical)),
            total: Set(as_i32(Some(o.total)).unwrap_or(0)),
            passed: Set(o.passed && !absent),
            absent: Set(*absent),
            entered_by: Set(p.username.clone()),
            entered_at: Set(now()),
            ..Default::default()
        }
        .insert(&**step)
        .await?;
        Ok(())
    }

    /// E5: the session's station or an assessor of its panel enters scores (one, or a batch from the import: all-or-nothing, errors
    /// as `第 N 行「列」`), from the exam's first day on, while the register is the station's. Answers how
    /// many candidates were scored.
    pub async fn enter_scores(
        &self,
        p: &Principal,
        session_id: i64,
        entries: &[ScoreEntry],
        batch: bool,
        ctx: &Ctx,
    ) -> StoreResult<usize> {
        let m = if p.can(Action::ListSessions) {
            let m = self.session_in_scope(p, session_id).await?;
            if !is_station(p, &m) {
                return Err(StoreError::Forbidden);
            }
            m
        } else {
            self.assessor_seat(p, session_id).await?
        };
        let (m, _project, method) = self.grading_session(m).await?;
        if today() < m.first_day {
            return Err(StoreError::Conflict(FieldError::new(
                "scores",
                "SCORES_BEFORE_EXAM",
                format!("考核尚未开始，{} 起方可登记成绩", m.first_day),
            )));
        }
        let current = self.registers_of(session_id).await?.into_iter().next();
        register_transition(state_of(current.as_ref()), &RegisterEvent::EditScore).map_err(refused)?;
        let checked = self.check_entries(session_id, &method, entries, batch).await?;
        let step = self.step(p, ctx).await?;
        let register_id = match &current {
            Some(r) => {
                self.claim_register(&step, r).await?;
                r.id
            }
            None => {
                let at = now();
                exam_register::ActiveModel {
                    session_id: Set(session_id),
                    version: Set(1),
                    status: Set(RegisterStatus::Entering),
                    return_reason: Set(String::new()),
                    correction_reason: Set(String::new()),
                    created_by: Set(p.username.clone()),
                    created_at: Set(at),
                    updated_at: Set(at),
                    ..Default::default()
                }
                .insert(&*step)
                .await
                .map_err(|_| changed())?
                .id
            }
        };
        for c in &checked {
            self.put_score(&step, p, session_id, register_id, c).await?;
        }
        step.audit(AuditDraft::new(
            AuditAction::ExamScoreEntered,
            session_id,
            json!({ "session_id": session_id, "register_id": register_id, "batch": batch,
                    "candidates": checked.iter().map(|c| c.0).collect::<Vec<_>>() }),
        ))
        .await?;
        step.commit().await?;
        Ok(checked.len())
    }

    async fn claim_register(&self, step: &Step<'_>, r: &exam_register::Model) -> StoreResult<()> {
        step.claim::<exam_register::Entity, _>(
            exam_register::Column::Id,
            r.id,
            exam_register::Column::Status,
            r.status,
            exam_register::Column::UpdatedAt,
            changed,
        )
        .await
    }

    /// Holds the register's row in a report step, so that a report and the register's submission
    /// never cross (the second of the two waits, then finds the state it must refuse).
    pub(super) async fn hold_register(&self, step: &Step<'_>, r: Option<&exam_register::Model>) -> StoreResult<()> {
        match r {
            Some(r) => self.claim_register(step, r).await,
            None => Ok(()),
        }
    }

    /// E5 gates of the register: every candidate scored or marked absent, the assessor report filed
    /// and signed by every assessor of the panel, the supervision report filed.
    /// `register_id`: the register's row, `None` before the first score made one (nobody is scored).
    pub(crate) async fn register_gates(&self, session_id: i64, register_id: Option<i64>) -> StoreResult<RegisterGates> {
        let scores = match register_id {
            Some(id) => self.scores_of(id).await?,
            None => HashMap::new(),
        };
        let candidates = self.candidates_of(session_id).await?;
        let reports = self.reports_of(session_id).await?;
        Ok(gates_of(&candidates, &scores, &reports))
    }

    /// E6: submit (the station, every gate held), confirm or return with a reason (the organizer),
    /// correct a confirmed register (the organizer, a reason and the corrected scores: a new version).
    /// Answers the register's status and version after the step.
    pub async fn act_on_register(
        &self,
        p: &Principal,
        session_id: i64,
        input: &RegisterActionInput,
        ctx: &Ctx,
    ) -> StoreResult<RegisterState> {
        require(p, Action::ListSessions)?;
        let (m, _project, method) = self.grading_session(self.session_in_scope(p, session_id).await?).await?;
        let current = self.registers_of(session_id).await?.into_iter().next();
        let reason = input.reason.trim().to_owned();
        let action = input.action.trim();
        match action {
            "submit" if !is_station(p, &m) => return Err(StoreError::Forbidden),
            "confirm" | "return" | "correct" => self.require_organizer(p, &m)?,
            "submit" => {}
            _ => {
                return Err(StoreError::Invalid(
                    FieldError::new(
                        "action",
                        "REGISTER_ACTION_UNKNOWN",
                        "请选择要办理的事项（提交、确认、退回或更正）",
                    )
                    .into(),
                ));
            }
        }
        let state = state_of(current.as_ref());
        let event = match action {
            "submit" => RegisterEvent::Submit(self.register_gates(session_id, current.as_ref().map(|r| r.id)).await?),
            "confirm" => RegisterEvent::Confirm,
            "return" => RegisterEvent::Return { reason: reason.clone() },
            _ => RegisterEvent::Correct { reason: reason.clone() },
        };
        let to = register_transition(state, &event).map_err(refused)?;
        let Some(r) = current else {
            return Err(refused(RegisterRefusal::NotAllowed { status: state.status, event: "办理" }));
        };
        let corrected = if matches!(event, RegisterEvent::Correct { .. }) {
            self.check_entries(session_id, &method, &input.scores, false).await?
        } else {
            Vec::new()
        };
        let step = self.step(p, ctx).await?;
        self.claim_register(&step, &r).await?;
        let at = now();
        let audit = match &event {
            RegisterEvent::Submit(_) => {
                exam_register::ActiveModel {
                    id: Set(r.id),
                    status: Set(to.status),
                    submitted_at: Set(Some(at)),
                    submitted_by: Set(Some(p.username.clone())),
                    ..Default::default()
                }
                .update(&*step)
                .await?;
                AuditAction::ExamRegisterSubmitted
            }
            RegisterEvent::Confirm | RegisterEvent::Return { .. } => {
                let returned = matches!(event, RegisterEvent::Return { .. });
                exam_register::ActiveModel {
                    id: Set(r.id),
                    status: Set(to.status),
                    decided_at: Set(Some(at)),
                    decided_by: Set(Some(p.username.clone())),
                    return_reason: Set(if returned { reason.clone() } else { r.return_reason.clone() }),
                    ..Default::default()
                }
                .update(&*step)
                .await?;
                if returned { AuditAction::ExamRegisterReturned } else { AuditAction::ExamRegisterConfirmed }
            }
            _ => {
                let new = exam_register::ActiveModel {
                    session_id: Set(session_id),
                    version: Set(i32::try_from(to.version).unwrap_or(i32::MAX)),
                    status: Set(RegisterStatus::Confirmed),
                    return_reason: Set(String::new()),
                    correction_reason: Set(reason.clone()),
                    submitted_at: Set(r.submitted_at),
                    submitted_by: Set(r.submitted_by.clone()),
                    decided_at: Set(Some(at)),
                    decided_by: Set(Some(p.username.clone())),
                    created_by: Set(p.username.clone()),
                    created_at: Set(at),
                    updated_at: Set(at),
                    ..Default::default()
                }
                .insert(&*step)
                .await
                .map_err(|_| changed())?;
                for s in self.scores_of(r.id).await?.into_values() {
                    exam_score::ActiveModel { id: sea_orm::NotSet, register_id: Set(new.id), ..s.into() }
                        .insert(&*step)
                        .await?;
                }
                for c in &corrected {
                    self.put_score(&step, p, session_id, new.id, c).await?;
                }
                AuditAction::ExamRegisterCorrected
            }
        };
        step.audit(AuditDraft::new(
            audit,
            session_id,
            json!({ "session_id": session_id, "from": state.status, "to": to.status, "version": to.version,
                    "reason": reason, "corrected": corrected.iter().map(|c| (c.0, as_i32(c.1.theory), as_i32(c.1.practical))).collect::<Vec<_>>() }),
        ))
        .await?;
        step.commit().await?;
        Ok(to)
    }
}

/// The register's gates from what is already read: the session's candidates, the latest register's
/// scores (by candidate id) and the panel's reports.
pub(super) fn gates_of<S>(
    candidates: &[exam_candidate::Model],
    scores: &HashMap<i64, S>,
    reports: &ReportsView,
) -> RegisterGates {
    let unscored = candidates.iter().filter(|c| !scores.contains_key(&c.id)).count();
    RegisterGates {
        unscored: u32::try_from(unscored).unwrap_or(u32::MAX),
        assessor_report_filed: reports.assessor.is_some(),
        unsigned: u32::try_from(reports.unsigned()).unwrap_or(u32::MAX),
        supervision_report_filed: reports.supervision.is_some(),
    }
}
