//! E5: the panel's reports and the panel members' own work on a session. A person of the registry
//! whose account is linked (E8, E9) sees the sessions whose panel they sit on ([`Store::my_panels`]),
//! and on each ([`Store::panel_work`]): the score sheet (assessors enter scores like the station), the
//! assessor report the head files and every assessor signs from their own account, and the
//! supervision report the supervisor files with its incidents. Who may do what, and when, is
//! `domain::exams::report_refusal`; a session whose panel the caller is not on is not found.

use super::ScoreSheet;
use crate::audit::AuditDraft;
use crate::entity::{
    exam_assessor_report, exam_panel_member, exam_register, exam_report_signature, exam_session,
    exam_supervision_report, registry_person,
};
use crate::error::require;
use crate::sessions::{PanelMember, SessionView};
use crate::{Ctx, Store, StoreError, StoreResult, now, today};
use domain::FieldError;
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::exams::{
    Incident, IncidentInput, PanelRole, RegisterStatus, ReportFacts, ReportKind, ReportStep, SessionState,
    parse_incidents, parse_summary, report_refusal,
};
use domain::org::Principal;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;
use time::OffsetDateTime;

/// The assessor report as filed.
#[derive(Debug, Clone)]
pub struct AssessorReportView {
    pub summary: String,
    pub filed_by_name: String,
    pub filed_at: OffsetDateTime,
}

/// An assessor of the panel and their signature under the assessor report (`None`: not signed).
#[derive(Debug, Clone)]
pub struct SignatureLine {
    pub person_id: i64,
    pub name: String,
    pub role: PanelRole,
    pub signed_at: Option<OffsetDateTime>,
}

/// The supervision report as filed.
#[derive(Debug, Clone)]
pub struct SupervisionReportView {
    pub summary: String,
    pub incidents: Vec<Incident>,
    pub filed_by_name: String,
    pub filed_at: OffsetDateTime,
}

/// Both reports of a session and the assessors' signatures.
#[derive(Debug, Clone, Default)]
pub struct ReportsView {
    pub assessor: Option<AssessorReportView>,
    /// Every assessor of the panel (the head first), signed or not.
    pub signatures: Vec<SignatureLine>,
    pub supervision: Option<SupervisionReportView>,
}

impl ReportsView {
    /// Assessors of the panel who have not signed (all of them before the report is filed).
    pub fn unsigned(&self) -> usize {
        self.signatures.iter().filter(|s| s.signed_at.is_none()).count()
    }
}

/// A session the caller sits on, with their seats.
#[derive(Debug, Clone)]
pub struct MyPanel {
    pub session: SessionView,
    pub roles: Vec<PanelRole>,
    pub register: Option<RegisterStatus>,
    pub assessor_report_filed: bool,
    pub supervision_report_filed: bool,
}

/// E8: one panel a registry person sat on (their service history).
#[derive(Debug, Clone)]
pub struct ServiceLine {
    pub session_id: i64,
    pub project_name: String,
    pub station_name: String,
    pub first_day: time::Date,
    pub role: PanelRole,
    pub state: SessionState,
    /// The register's status; `None` before the first score.
    pub register: Option<RegisterStatus>,
}

/// A panel member's page of one session: the session, the panel, the sheet, the reports and the
/// steps open to the caller (each `None` or the reason it is closed).
#[derive(Debug, Clone)]
pub struct PanelWork {
    pub session: SessionView,
    pub roles: Vec<PanelRole>,
    pub panel: Vec<PanelMember>,
    /// The score sheet, with both reports (`sheet.reports`).
    pub sheet: ScoreSheet,
    pub file_assessor: Option<String>,
    pub sign: Option<String>,
    pub file_supervision: Option<String>,
}

impl Store {
    /// E5: the assessor and supervision reports of a session, with every assessor's signature. No
    /// principal: callers have checked the session.
    pub async fn reports_of(&self, session_id: i64) -> StoreResult<ReportsView> {
        let panel = self.panel_of(session_id).await?;
        let name_of = |person: i64| panel.iter().find(|m| m.person_id == person).map(|m| m.name.clone());
        let assessor = exam_assessor_report::Entity::find()
            .filter(exam_assessor_report::Column::SessionId.eq(session_id))
            .one(self.reader())
            .await?;
        let signed = match &assessor {
            Some(r) => {
                exam_report_signature::Entity::find()
                    .filter(exam_report_signature::Column::ReportId.eq(r.id))
                    .all(self.reader())
                    .await?
            }
            None => Vec::new(),
        };
        let signatures = panel
            .iter()
            .filter(|m| matches!(m.role, PanelRole::Head | PanelRole::Assessor))
            .map(|m| SignatureLine {
                person_id: m.person_id,
                name: m.name.clone(),
                role: m.role,
                signed_at: signed.iter().find(|s| s.person_id == m.person_id).map(|s| s.signed_at),
            })
            .collect();
        let supervision = exam_supervision_report::Entity::find()
            .filter(exam_supervision_report::Column::SessionId.eq(session_id))
            .one(self.reader())
            .await?;
        Ok(ReportsView {
            assessor: assessor.map(|r| AssessorReportView {
                filed_by_name: name_of(r.filed_by_person_id).unwrap_or(r.filed_by),
                summary: r.summary,
                filed_at: r.filed_at,
            }),
            signatures,
            supervision: supervision.map(|r| SupervisionReportView {
                filed_by_name: name_of(r.filed_by_person_id).unwrap_or(r.filed_by),
                incidents: serde_json::from_str(&r.incidents).unwrap_or_default(),
                summary: r.summary,
                filed_at: r.filed_at,
            }),
        })
    }

    /// The registry people linked to the caller's account.
    async fn my_people(&self, p: &Principal) -> StoreResult<Vec<i64>> {
        Ok(registry_person::Entity::find()
            .filter(registry_person::Column::UserId.eq(p.user_id))
            .all(self.reader())
            .await?
            .into_iter()
            .map(|m| m.id)
            .collect())
    }

    /// The caller's seats on session `id`'s panel, with the session; not found when they have none.
    pub(crate) async fn seat(&self, p: &Principal, id: i64) -> StoreResult<(exam_session::Model, Vec<PanelMember>)> {
        require(p, Action::ServeOnPanels)?;
        let people = self.my_people(p).await?;
        let mine: Vec<PanelMember> =
            self.panel_of(id).await?.into_iter().filter(|m| people.contains(&m.person_id)).collect();
        if mine.is_empty() {
            return Err(StoreError::NotFound);
        }
        let m = exam_session::Entity::find_by_id(id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        Ok((m, mine))
    }

    /// Not found unless the caller sits on session `id`'s panel (checked before a body is read).
    pub async fn panel_visible(&self, p: &Principal, id: i64) -> StoreResult<()> {
        self.seat(p, id).await.map(|_| ())
    }

    /// Whether `p` is an assessor (the head included) on session `id`'s panel; not found otherwise.
    pub(crate) async fn assessor_seat(&self, p: &Principal, id: i64) -> StoreResult<exam_session::Model> {
        let (m, mine) = self.seat(p, id).await?;
        if !mine.iter().any(|s| matches!(s.role, PanelRole::Head | PanelRole::Assessor)) {
            return Err(StoreError::Forbidden);
        }
        Ok(m)
    }

    /// E8: the panels registry person `person_id` sat on, the latest exam first. No principal: callers
    /// have checked the person.
    pub async fn service_of(&self, person_id: i64) -> StoreResult<Vec<ServiceLine>> {
        let seats = exam_panel_member::Entity::find()
            .filter(exam_panel_member::Column::PersonId.eq(person_id))
            .all(self.reader())
            .await?;
        let ids: Vec<i64> = seats.iter().map(|s| s.session_id).collect();
        let rows = exam_session::Entity::find().filter(exam_session::Column::Id.is_in(ids)).all(self.reader()).await?;
        let registers: Vec<exam_register::Model> = exam_register::Entity::find()
            .filter(exam_register::Column::SessionId.is_in(seats.iter().map(|s| s.session_id).collect::<Vec<_>>()))
            .all(self.reader())
            .await?;
        let mut out: Vec<ServiceLine> = self
            .session_views(rows)
            .await?
            .into_iter()
            .filter_map(|v| {
                let seat = seats.iter().find(|s| s.session_id == v.id)?;
                let register =
                    registers.iter().filter(|r| r.session_id == v.id).max_by_key(|r| r.version).map(|r| r.status);
                Some(ServiceLine {
                    session_id: v.id,
                    project_name: v.project_name,
                    station_name: v.station_name,
                    first_day: v.first_day,
                    role: seat.role,
                    state: v.state,
                    register,
                })
            })
            .collect();
        out.sort_by_key(|l| std::cmp::Reverse((l.first_day, l.session_id)));
        Ok(out)
    }

    /// E5: the sessions whose panel the caller sits on, the latest exam first.
    pub async fn my_panels(&self, p: &Principal) -> StoreResult<Vec<MyPanel>> {
        require(p, Action::ServeOnPanels)?;
        let people = self.my_people(p).await?;
        let seats = exam_panel_member::Entity::find()
            .filter(exam_panel_member::Column::PersonId.is_in(people))
            .all(self.reader())
            .await?;
        let mut ids: Vec<i64> = seats.iter().map(|s| s.session_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let rows = exam_session::Entity::find().filter(exam_session::Column::Id.is_in(ids)).all(self.reader()).await?;
        let mut out = Vec::new();
        for session in self.session_views(rows).await? {
            let reports = self.reports_of(session.id).await?;
            let register = self.registers_of(session.id).await?.first().map(|r| r.status);
            out.push(MyPanel {
                roles: seats.iter().filter(|s| s.session_id == session.id).map(|s| s.role).collect(),
                register,
                assessor_report_filed: reports.assessor.is_some(),
                supervision_report_filed: reports.supervision.is_some(),
                session,
            });
        }
        out.sort_by_key(|m| std::cmp::Reverse((m.session.first_day, m.session.id)));
        Ok(out)
    }

    /// E5: a panel member's page of session `id`.
    pub async fn panel_work(&self, p: &Principal, id: i64) -> StoreResult<PanelWork> {
        let (m, mine) = self.seat(p, id).await?;
        let roles: Vec<PanelRole> = mine.iter().map(|s| s.role).collect();
        let sheet = self.sheet_of(p, &m, None, &roles).await?;
        let register = sheet.versions.first().map(|r| r.status);
        let facts = report_facts(&m, &roles, register, &sheet.reports, &mine);
        let why = |step| report_refusal(step, &facts).map(|r| r.1);
        let session = self.session_views(vec![m]).await?.pop().ok_or(StoreError::NotFound)?;
        Ok(PanelWork {
            file_assessor: why(ReportStep::File(ReportKind::Assessor)),
            sign: why(ReportStep::Sign),
            file_supervision: why(ReportStep::File(ReportKind::Supervision)),
            panel: self.panel_of(id).await?,
            session,
            roles,
            sheet,
        })
    }

    /// The caller's seat for a report step, checked: the session approved and the step allowed.
    async fn report_step(
        &self,
        p: &Principal,
        id: i64,
        step: ReportStep,
    ) -> StoreResult<(exam_session::Model, Vec<PanelMember>, Option<exam_register::Model>)> {
        let (m, mine) = self.seat(p, id).await?;
        if m.state != SessionState::Approved {
            return Err(StoreError::Conflict(FieldError::new(
                "state",
                "SESSION_NOT_APPROVED",
                format!("考核计划当前为“{}”，不能办理考评报告", m.state.label()),
            )));
        }
        let roles: Vec<PanelRole> = mine.iter().map(|s| s.role).collect();
        let reports = self.reports_of(id).await?;
        let register = self.registers_of(id).await?.into_iter().next();
        let facts = report_facts(&m, &roles, register.as_ref().map(|r| r.status), &reports, &mine);
        if let Some((code, detail)) = report_refusal(step, &facts) {
            return Err(StoreError::Conflict(FieldError::new("state", code, detail)));
        }
        Ok((m, mine, register))
    }

    /// E5: the head files (or files again) the assessor report; filing again clears the signatures.
    pub async fn file_assessor_report(&self, p: &Principal, id: i64, summary: &str, ctx: &Ctx) -> StoreResult<()> {
        let (_, mine, register) = self.report_step(p, id, ReportStep::File(ReportKind::Assessor)).await?;
        let summary = parse_summary(summary).map_err(StoreError::Invalid)?;
        let head = mine.iter().find(|s| s.role == PanelRole::Head).ok_or(StoreError::Forbidden)?;
        let step = self.step(p, ctx).await?;
        self.hold_register(&step, register.as_ref()).await?;
        let old = exam_assessor_report::Entity::find()
            .filter(exam_assessor_report::Column::SessionId.eq(id))
            .one(&*step)
            .await?;
        let cleared = match &old {
            Some(r) => {
                exam_report_signature::Entity::delete_many()
                    .filter(exam_report_signature::Column::ReportId.eq(r.id))
                    .exec(&*step)
                    .await?
                    .rows_affected
            }
            None => 0,
        };
        let row = exam_assessor_report::ActiveModel {
            session_id: Set(id),
            filed_by_person_id: Set(head.person_id),
            filed_by: Set(p.username.clone()),
            summary: Set(summary.clone()),
            filed_at: Set(now()),
            ..Default::default()
        };
        match old {
            Some(r) => exam_assessor_report::ActiveModel { id: Set(r.id), ..row }.update(&*step).await?,
            None => row.insert(&*step).await?,
        };
        step.audit(AuditDraft::new(
            AuditAction::ExamAssessorReportFiled,
            id,
            json!({ "session_id": id, "person_id": head.person_id, "chars": summary.chars().count(),
                    "signatures_cleared": cleared }),
        ))
        .await?;
        step.commit().await
    }

    /// E5: an assessor signs the assessor report from their own account.
    pub async fn sign_assessor_report(&self, p: &Principal, id: i64, ctx: &Ctx) -> StoreResult<()> {
        let (_, mine, register) = self.report_step(p, id, ReportStep::Sign).await?;
        let me = mine
            .iter()
            .find(|s| matches!(s.role, PanelRole::Head | PanelRole::Assessor))
            .ok_or(StoreError::Forbidden)?;
        let step = self.step(p, ctx).await?;
        self.hold_register(&step, register.as_ref()).await?;
        let report = exam_assessor_report::Entity::find()
            .filter(exam_assessor_report::Column::SessionId.eq(id))
            .one(&*step)
            .await?
            .ok_or_else(|| {
                StoreError::Conflict(FieldError::new("state", "REPORT_NOT_FILED", "考评组长尚未填写考评情况报告"))
            })?;
        exam_report_signature::ActiveModel {
            report_id: Set(report.id),
            person_id: Set(me.person_id),
            user_id: Set(p.user_id),
            signed_at: Set(now()),
            ..Default::default()
        }
        .insert(&*step)
        .await
        .map_err(|_| {
            StoreError::Conflict(FieldError::new("state", "REPORT_SIGNED", "您已签署本场考核的考评情况报告"))
        })?;
        step.audit(AuditDraft::new(
            AuditAction::ExamAssessorReportSigned,
            id,
            json!({ "session_id": id, "report_id": report.id, "person_id": me.person_id }),
        ))
        .await?;
        step.commit().await
    }

    /// E5: the supervisor files (or files again) the supervision report with its incidents.
    pub async fn file_supervision_report(
        &self,
        p: &Principal,
        id: i64,
        summary: &str,
        incidents: &[IncidentInput],
        ctx: &Ctx,
    ) -> StoreResult<()> {
        let (m, mine, register) = self.report_step(p, id, ReportStep::File(ReportKind::Supervision)).await?;
        let (summary, incidents) = match (parse_summary(summary), parse_incidents(incidents, m.first_day, m.last_day)) {
            (Ok(s), Ok(i)) => (s, i),
            (s, i) => {
                let mut errs = s.err().unwrap_or_default();
                errs.0.extend(i.err().unwrap_or_default().0);
                return Err(StoreError::Invalid(errs));
            }
        };
        let sup = mine.iter().find(|s| s.role == PanelRole::Supervisor).ok_or(StoreError::Forbidden)?;
        let step = self.step(p, ctx).await?;
        self.hold_register(&step, register.as_ref()).await?;
        let old = exam_supervision_report::Entity::find()
            .filter(exam_supervision_report::Column::SessionId.eq(id))
            .one(&*step)
            .await?;
        let row = exam_supervision_report::ActiveModel {
            session_id: Set(id),
            filed_by_person_id: Set(sup.person_id),
            filed_by: Set(p.username.clone()),
            summary: Set(summary),
            incidents: Set(serde_json::to_string(&incidents)?),
            filed_at: Set(now()),
            ..Default::default()
        };
        match old {
            Some(r) => exam_supervision_report::ActiveModel { id: Set(r.id), ..row }.update(&*step).await?,
            None => row.insert(&*step).await?,
        };
        step.audit(AuditDraft::new(
            AuditAction::ExamSupervisionReportFiled,
            id,
            json!({ "session_id": id, "person_id": sup.person_id, "incidents": incidents.len() }),
        ))
        .await?;
        step.commit().await
    }
}

/// The facts `report_refusal` reads for the caller's seats on session `m` (the register read once by
/// the caller).
fn report_facts<'a>(
    m: &exam_session::Model,
    roles: &'a [PanelRole],
    register: Option<RegisterStatus>,
    reports: &ReportsView,
    mine: &[PanelMember],
) -> ReportFacts<'a> {
    ReportFacts {
        roles,
        today: today(),
        first_day: m.first_day,
        register,
        assessor_report_filed: reports.assessor.is_some(),
        signed_by_me: reports
            .signatures
            .iter()
            .any(|s| s.signed_at.is_some() && mine.iter().any(|x| x.person_id == s.person_id)),
    }
}
