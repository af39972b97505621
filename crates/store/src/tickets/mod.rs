//! Admission tickets (准考证, issue 12 part 2; E3's candidates). `domain::exams::ticket` holds the rules;
//! this module keeps the numbers and reads the tickets:
//!
//! - **numbering** (`issue_tickets`, inside the step that approves the plan): every candidate on the
//!   roster — fixed from then on — gets a number from `number.admission_ticket_template` with the
//!   gap-free serial of its counter (`ticket:<city2>:<year>`), in roster order, and a random
//!   verification token.
//! - **the candidate** ([`Store::my_ticket`], `exam.apply`): their own ticket, by their application,
//!   once `check_ticket` allows it (plan approved, application confirmed: `TICKET_NOT_READY` 409);
//!   another person's application is not found.
//! - **the session's offices** ([`Store::session_tickets`]): every ticket of an approved session, for the
//!   batch print and the sign-in sheet (签到表), for whoever sees the session.
//! - **anyone** ([`Store::public_ticket`]): the ticket by its token, with what the ticket prints and
//!   nothing more (the ID number masked); an unknown or malformed token is not found.
//! - **photos** (`photo`): the candidate's own (once confirmed on the roster) or one the station
//!   uploads per roster row, JPG or PNG by its first bytes, at most `exam.candidate_photo_max_kb`.

mod photo;

pub use photo::Photo;

use crate::entity::{exam_application, exam_candidate, exam_session, project};
use crate::error::require;
use crate::policy::PolicyUsed;
use crate::sessions::SessionView;
use crate::step::Step;
use crate::{Store, StoreError, StoreResult, today};
use domain::FieldError;
use domain::authz::Action;
use domain::exams::{
    ApplicationStatus, SessionState, check_ticket, check_ticket_template, is_ticket_token, new_ticket_token,
    ticket_number, ticket_serial_scope,
};
use domain::numbering::NumberTemplate;
use domain::org::Principal;
use domain::policy::keys;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

/// One admission ticket as it is printed (the ID number masked).
#[derive(Debug, Clone)]
pub struct TicketView {
    pub candidate_id: i64,
    pub ticket_number: String,
    /// The verification token (the QR code leads to `/tickets/{token}`).
    pub token: String,
    pub name: String,
    pub id_number_masked: String,
    /// Whether a photo was uploaded.
    pub has_photo: bool,
}

/// The tickets of a session with the session they are for.
#[derive(Debug, Clone)]
pub struct SessionTickets {
    pub session: SessionView,
    pub tickets: Vec<TicketView>,
}

/// What the approval step needs to number tickets, read before the step opens.
pub(crate) struct TicketPolicy {
    template: NumberTemplate,
}

fn not_ready(e: FieldError) -> StoreError {
    StoreError::Conflict(e)
}

fn view(c: exam_candidate::Model) -> Option<TicketView> {
    Some(TicketView {
        candidate_id: c.id,
        ticket_number: c.ticket_number?,
        token: c.ticket_token?,
        name: c.name,
        id_number_masked: c.id_number_masked,
        has_photo: c.photo_key.is_some(),
    })
}

impl Store {
    /// The ticket template in force, noted in the approval's `policy`.
    pub(crate) async fn ticket_policy(&self, used: &mut PolicyUsed) -> StoreResult<TicketPolicy> {
        let raw: String = self.policy_parsed(keys::ADMISSION_TICKET_TEMPLATE, today(), used).await?;
        let template = check_ticket_template("value", &raw)
            .map_err(|e| StoreError::corrupt(format!("policy {}", keys::ADMISSION_TICKET_TEMPLATE), e.detail))?;
        Ok(TicketPolicy { template })
    }

    /// E3: numbers every candidate of the session being approved, inside the approval's step. Answers
    /// the numbers given, in roster order.
    pub(crate) async fn issue_tickets(
        &self,
        step: &Step<'_>,
        m: &exam_session::Model,
        project: &project::Model,
        policy: &TicketPolicy,
    ) -> StoreResult<Vec<String>> {
        let city = m.station_city.as_deref().unwrap_or_default();
        let city2 = domain::ids::RegionCode::parse_hunan_city(city)
            .ok()
            .and_then(|r| r.city_two_digits().map(str::to_owned))
            .ok_or_else(|| {
                StoreError::Conflict(FieldError::new(
                    "station",
                    "STATION_CITY_MISSING",
                    "考核站未登记所在市州，无法生成准考证号，请先完善考核站的机构信息",
                ))
            })?;
        let code = project.code.as_deref().unwrap_or_default();
        let project_code: u32 = code.parse().map_err(|_| {
            StoreError::Conflict(FieldError::new(
                "project_code",
                "NUMBER_PROJECT_INVALID",
                format!("考核项目代码“{code}”不是数字，无法生成准考证号"),
            ))
        })?;
        let year = m.first_day.year();
        let key = ticket_serial_scope(&policy.template, &city2, year);
        let rows = exam_candidate::Entity::find()
            .filter(exam_candidate::Column::SessionId.eq(m.id))
            .order_by_asc(exam_candidate::Column::Id)
            .all(&**step)
            .await?;
        let mut numbers = Vec::with_capacity(rows.len());
        for c in rows {
            let serial = crate::serials::next_serial(&**step, &key, 0).await?;
            let serial = u64::try_from(serial).map_err(|e| StoreError::corrupt(format!("serial {key}"), e))?;
            let n =
                ticket_number(&policy.template, &city2, year, project_code, serial).map_err(StoreError::Conflict)?;
            let token = new_ticket_token().map_err(|e| StoreError::service("random", e))?;
            exam_candidate::ActiveModel {
                id: Set(c.id),
                ticket_number: Set(Some(n.clone())),
                ticket_token: Set(Some(token)),
                ..Default::default()
            }
            .update(&**step)
            .await?;
            numbers.push(n);
        }
        Ok(numbers)
    }

    /// Issue 12: the candidate's own ticket, by their application (another's: not found), once the plan
    /// is approved and the application confirmed (`TICKET_NOT_READY`).
    pub async fn my_ticket(&self, p: &Principal, application_id: i64) -> StoreResult<(SessionView, TicketView)> {
        require(p, Action::ApplyExams)?;
        let a = exam_application::Entity::find_by_id(application_id)
            .one(self.reader())
            .await?
            .filter(|a| a.user_id == p.user_id)
            .ok_or(StoreError::NotFound)?;
        let m = exam_session::Entity::find_by_id(a.session_id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        check_ticket(m.state == SessionState::Approved, a.status == ApplicationStatus::Confirmed).map_err(not_ready)?;
        let c = match a.candidate_id {
            Some(cid) => exam_candidate::Entity::find_by_id(cid).one(self.reader()).await?,
            None => None,
        };
        // A confirmed application always has its roster row, numbered at approval; without one it is
        // not ready (never a panic).
        let ticket = c.and_then(view).ok_or_else(|| {
            not_ready(FieldError::new("", "TICKET_NOT_READY", "报名尚未经考核站确认，暂不能打印准考证"))
        })?;
        let session = self.session_views(vec![m]).await?.pop().ok_or(StoreError::NotFound)?;
        Ok((session, ticket))
    }

    /// Issue 12: every ticket of an approved session (`TICKET_NOT_READY` before), for the batch print and
    /// the sign-in sheet, to whoever sees the session.
    pub async fn session_tickets(&self, p: &Principal, session_id: i64) -> StoreResult<SessionTickets> {
        let m = self.session_in_scope(p, session_id).await?;
        check_ticket(m.state == SessionState::Approved, true).map_err(not_ready)?;
        let tickets = exam_candidate::Entity::find()
            .filter(exam_candidate::Column::SessionId.eq(m.id))
            .order_by_asc(exam_candidate::Column::TicketNumber)
            .all(self.reader())
            .await?
            .into_iter()
            .filter_map(view)
            .collect();
        let session = self.session_views(vec![m]).await?.pop().ok_or(StoreError::NotFound)?;
        Ok(SessionTickets { session, tickets })
    }

    /// Issue 12: a ticket by its verification token, for anyone (the public verification page). An
    /// unknown token, a malformed one and one of a session no longer approved answer alike: not found.
    pub async fn public_ticket(&self, token: &str) -> StoreResult<(SessionView, TicketView)> {
        if !is_ticket_token(token) {
            return Err(StoreError::NotFound);
        }
        let c = exam_candidate::Entity::find()
            .filter(exam_candidate::Column::TicketToken.eq(token))
            .one(self.reader())
            .await?
            .ok_or(StoreError::NotFound)?;
        let m = exam_session::Entity::find_by_id(c.session_id)
            .one(self.reader())
            .await?
            .filter(|m| m.state == SessionState::Approved)
            .ok_or(StoreError::NotFound)?;
        let ticket = view(c).ok_or(StoreError::NotFound)?;
        let session = self.session_views(vec![m]).await?.pop().ok_or(StoreError::NotFound)?;
        Ok((session, ticket))
    }
}
