//! E2 (issue 12): a release requested for an exam session. The session's organizer (E1) asks for the
//! papers of an approved plan — the project is the session's, the exam's date one of its days, the exam's
//! words the station, venue and days unless typed — and the session's page shows the custody ledger of
//! every release made for it to all who read the session (the station opens the papers before its
//! candidates and answers for the copies used, so it sees the counts; never the paper's content).

use super::{CustodyView, ReleaseView, field};
use crate::entity::{exam_candidate, exam_session, org, paper_release};
use crate::sessions::is_organizer;
use crate::{Store, StoreResult};
use domain::FieldError;
use domain::exams::SessionState;
use domain::org::Principal;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use time::Date;

/// The session a release is for, as the request form and its checks need it.
#[derive(Debug, Clone)]
pub struct ReleaseSession {
    pub id: i64,
    pub project_code: String,
    pub first_day: Date,
    pub last_day: Date,
    /// The exam in words, as a release keeps it: station, venue, days and the plan's number.
    pub exam: String,
    /// Candidates on the roster: the copies a request starts from.
    pub candidates: u64,
}

/// A release made for a session, with its ledger (the session's page).
#[derive(Debug, Clone)]
pub struct SessionRelease {
    pub release: ReleaseView,
    pub ledger: Vec<CustodyView>,
}

/// Why `p` may not ask for session `m`'s papers (E1 organizer, E3 approved), as an error on `session_id`.
fn papers_refusal(p: &Principal, m: &exam_session::Model) -> Option<FieldError> {
    let id = m.id;
    if !is_organizer(p, m) {
        return Some(field(
            "session_id",
            "NOT_ORGANIZER",
            format!("考核计划第 {id} 号不由本中心组织考核，试卷应由组织考核的鉴定中心申请"),
        ));
    }
    if m.state != SessionState::Approved {
        return Some(field(
            "session_id",
            "SESSION_NOT_APPROVED",
            format!("考核计划第 {id} 号尚未批准（当前：{}），批准后方可申请试卷", m.state.label()),
        ));
    }
    None
}

impl Store {
    /// E2: the session `p` asks for papers for — in the caller's scope (another's is 404), organized by
    /// the caller's center (`NOT_ORGANIZER`) and approved (`SESSION_NOT_APPROVED`); a refusal is a field
    /// error on `session_id`.
    pub async fn release_session(&self, p: &Principal, id: i64) -> StoreResult<Result<ReleaseSession, FieldError>> {
        let m = self.session_in_scope(p, id).await?;
        if let Some(refusal) = papers_refusal(p, &m) {
            return Ok(Err(refusal));
        }
        Ok(Ok(self.release_session_of(&m).await?))
    }

    /// Whether `p` may ask for session `id`'s papers now (its organizer, approved): the session page's
    /// button, without reading what the form is filled with.
    pub async fn may_request_papers(&self, p: &Principal, id: i64) -> StoreResult<bool> {
        let m = self.session_in_scope(p, id).await?;
        Ok(papers_refusal(p, &m).is_none())
    }

    async fn release_session_of(&self, m: &exam_session::Model) -> StoreResult<ReleaseSession> {
        let view = self.session_views(vec![m.clone()]).await?.remove(0);
        let station =
            org::Entity::find_by_id(m.station_org_id).one(self.reader()).await?.map(|o| o.name).unwrap_or_default();
        let days = if m.first_day == m.last_day {
            m.first_day.to_string()
        } else {
            format!("{}至{}", m.first_day, m.last_day)
        };
        let exam: String =
            format!("{station}，{}，{days}（考核计划第 {} 号）", m.venue, m.id).chars().take(200).collect();
        let candidates = exam_candidate::Entity::find()
            .filter(exam_candidate::Column::SessionId.eq(m.id))
            .count(self.reader())
            .await?;
        Ok(ReleaseSession {
            id: m.id,
            project_code: view.project_code,
            first_day: m.first_day,
            last_day: m.last_day,
            exam,
            candidates,
        })
    }

    /// E2: the releases made for a session, oldest first, each with its custody ledger — for everyone
    /// who reads the session.
    pub async fn session_releases(&self, p: &Principal, id: i64) -> StoreResult<Vec<SessionRelease>> {
        self.session_in_scope(p, id).await?;
        let rows = paper_release::Entity::find()
            .filter(paper_release::Column::SessionId.eq(id))
            .order_by_asc(paper_release::Column::Id)
            .all(self.reader())
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for release in self.release_views(rows).await? {
            let ledger = self.ledger_views(release.id).await?;
            out.push(SessionRelease { release, ledger });
        }
        Ok(out)
    }
}

/// The request's refusals tied to its session: the project must be the session's and the exam's date
/// one of its days.
pub(super) fn session_mismatch(s: &ReleaseSession, project_code: &str, exam_date: Date) -> Vec<FieldError> {
    let mut out = Vec::new();
    if project_code != s.project_code {
        out.push(field(
            "project_code",
            "RELEASE_SESSION_PROJECT",
            format!("考核计划第 {} 号的考核项目是 {}，试卷应为该项目的试卷", s.id, s.project_code),
        ));
    }
    if exam_date < s.first_day || exam_date > s.last_day {
        out.push(field(
            "exam_date",
            "RELEASE_SESSION_DATE",
            format!("考核日期应在考核计划第 {} 号的考核日期内（{} 至 {}）", s.id, s.first_day, s.last_day),
        ));
    }
    out
}
