//! Workflow events and the to-do list (我的待办): every transition of a procedure writes an event; an
//! event that hands the next step to someone carries the assignee and a due date in working days.
//! An open event (not done) is on the to-do list of every user it is assigned to, by due date.

use crate::audit::AuditDraft;
use crate::entity::{org, user, workflow_event};
use crate::{Ctx, Store, StoreError, StoreResult, now, today};
use domain::audit::AuditAction;
use domain::org::{DataScope, Principal, Role};
use domain::workflow::{DeadlineStatus, SubjectKind};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;
use serde_json::json;
use time::Date;

/// A new event. `assignee_*` left empty means the event only records history. The page a to-do leads
/// to is the web layer's business (it knows the subject's kind and id), never stored.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub subject_kind: SubjectKind,
    pub subject_id: String,
    /// The subject's state before and after, as the subject's own state id (empty for none).
    pub from_state: String,
    pub to_state: String,
    pub comment: String,
    pub title: String,
    pub assignee_role: Option<Role>,
    pub assignee_org_id: Option<i64>,
    pub assignee_city: Option<String>,
    pub assignee_user_id: Option<i64>,
    pub due_date: Option<Date>,
}

impl NewEvent {
    /// An event about `kind` `id` that records history only, until its fields are filled in.
    pub fn about(kind: SubjectKind, id: impl ToString) -> Self {
        NewEvent {
            subject_kind: kind,
            subject_id: id.to_string(),
            from_state: String::new(),
            to_state: String::new(),
            comment: String::new(),
            title: String::new(),
            assignee_role: None,
            assignee_org_id: None,
            assignee_city: None,
            assignee_user_id: None,
            due_date: None,
        }
    }

    /// The transition it records.
    pub fn moving<S: std::fmt::Display>(mut self, from: Option<S>, to: S) -> Self {
        self.from_state = from.map(|s| s.to_string()).unwrap_or_default();
        self.to_state = to.to_string();
        self
    }

    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = comment.into();
        self
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TodoItem {
    pub id: i64,
    pub title: String,
    pub subject_kind: SubjectKind,
    pub subject_id: String,
    pub due_date: Option<Date>,
    pub deadline: Option<DeadlineStatus>,
    pub deadline_text: String,
    pub overdue: bool,
    pub since: time::OffsetDateTime,
}

/// One entry of a record's timeline; `S` is the record's state type.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineItem<S> {
    pub at: time::OffsetDateTime,
    /// The login name of whoever acted (`system` for the system).
    pub actor: String,
    /// How staff read it: the person's name and office, e.g. `李四（长沙市职业技能鉴定中心）`.
    pub actor_name: String,
    pub from_state: Option<S>,
    pub to_state: Option<S>,
    pub comment: String,
}

/// A user as staff read them: the name and the office.
#[derive(Debug, Clone)]
pub(crate) struct Person {
    pub name: String,
    pub office: String,
}

impl Person {
    /// `李四（长沙市职业技能鉴定中心）`.
    pub fn with_office(&self) -> String {
        if self.office.is_empty() { self.name.clone() } else { format!("{}（{}）", self.name, self.office) }
    }
}

/// The people behind login names (two queries, whatever the number of names).
pub(crate) async fn people<C: ConnectionTrait>(
    conn: &C,
    mut usernames: Vec<String>,
) -> StoreResult<std::collections::HashMap<String, Person>> {
    usernames.sort();
    usernames.dedup();
    let users = user::Entity::find().filter(user::Column::Username.is_in(usernames)).all(conn).await?;
    let orgs = org::Entity::find()
        .filter(org::Column::Id.is_in(users.iter().map(|u| u.org_id).collect::<Vec<_>>()))
        .all(conn)
        .await?;
    Ok(users
        .into_iter()
        .map(|u| {
            let office = orgs.iter().find(|o| o.id == u.org_id).map(|o| o.name.clone()).unwrap_or_default();
            (u.username, Person { name: u.display_name, office })
        })
        .collect())
}

/// Write an event inside the caller's transaction.
pub(crate) async fn record<C: ConnectionTrait>(conn: &C, actor: &str, e: NewEvent) -> StoreResult<i64> {
    let m = workflow_event::ActiveModel {
        subject_kind: Set(e.subject_kind),
        subject_id: Set(e.subject_id),
        from_state: Set(e.from_state),
        to_state: Set(e.to_state),
        actor: Set(actor.to_string()),
        at: Set(now()),
        comment: Set(e.comment),
        title: Set(e.title),
        assignee_role: Set(e.assignee_role),
        assignee_org_id: Set(e.assignee_org_id),
        assignee_city: Set(e.assignee_city),
        assignee_user_id: Set(e.assignee_user_id),
        due_date: Set(e.due_date),
        done_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(m.id)
}

/// Close every open to-do of a subject (its next step was taken).
pub(crate) async fn complete_subject<C: ConnectionTrait>(conn: &C, kind: SubjectKind, id: &str) -> StoreResult<()> {
    workflow_event::Entity::update_many()
        .col_expr(workflow_event::Column::DoneAt, Expr::value(now()))
        .filter(workflow_event::Column::SubjectKind.eq(kind))
        .filter(workflow_event::Column::SubjectId.eq(id))
        .filter(workflow_event::Column::DoneAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

impl Store {
    /// What waits for this user, soonest deadline first (undated last).
    pub async fn todo_for(&self, p: &Principal) -> StoreResult<Vec<TodoItem>> {
        // An office's administrator also sees the to-dos handed to its staff.
        let mut roles = p.roles.clone();
        for (admin, staff) in [(Role::CityAdmin, Role::CityStaff), (Role::ProvinceAdmin, Role::ProvinceStaff)] {
            if roles.contains(&admin) && !roles.contains(&staff) {
                roles.push(staff);
            }
        }
        let mut by_role = Condition::any();
        for r in &roles {
            let mut c = Condition::all().add(workflow_event::Column::AssigneeRole.eq(*r));
            c = match &p.scope {
                DataScope::Province => c,
                DataScope::City(city) => c.add(
                    Condition::any()
                        .add(workflow_event::Column::AssigneeCity.eq(city.clone()))
                        .add(workflow_event::Column::AssigneeOrgId.eq(p.org_id)),
                ),
                DataScope::Org(o) => c.add(workflow_event::Column::AssigneeOrgId.eq(*o)),
                DataScope::Person(_) => c.add(workflow_event::Column::AssigneeUserId.eq(p.user_id)),
            };
            by_role = by_role.add(c);
        }
        let cond = Condition::any().add(workflow_event::Column::AssigneeUserId.eq(p.user_id)).add(by_role);
        let rows = workflow_event::Entity::find()
            .filter(workflow_event::Column::DoneAt.is_null())
            .filter(cond)
            .order_by_asc(workflow_event::Column::DueDate)
            .order_by_asc(workflow_event::Column::Id)
            .all(self.reader())
            .await?;
        let cal = self.calendar().await?;
        let day = today();
        // A deadline the calendar cannot count (a year's holidays not entered yet) is a note for those
        // who can enter them; everyone else reads the due date alone (issue 9 item 12).
        let edits_calendar = p.can(domain::authz::Action::EditCalendar);
        let text = |d: &DeadlineStatus| match d {
            DeadlineStatus::Unknown { reason } if edits_calendar => format!("{reason}，无法计算剩余工作日"),
            DeadlineStatus::Unknown { .. } => "请于截止日期前办理".to_string(),
            other => other.text(),
        };
        let mut items: Vec<TodoItem> = rows
            .into_iter()
            .map(|r| {
                let deadline = r.due_date.map(|d| DeadlineStatus::of(&cal, day, d));
                TodoItem {
                    id: r.id,
                    title: r.title,
                    subject_kind: r.subject_kind,
                    subject_id: r.subject_id,
                    due_date: r.due_date,
                    deadline_text: deadline.as_ref().map(text).unwrap_or_else(|| "无期限".into()),
                    overdue: deadline.as_ref().is_some_and(|d| d.is_overdue()),
                    deadline,
                    since: r.at,
                }
            })
            .collect();
        items.sort_by_key(|i| (i.due_date.is_none(), i.due_date));
        Ok(items)
    }

    /// The timeline of one record: who did what, when. `S` is the record's state type; a stored state
    /// that is not one of its values is an error naming the event.
    pub async fn timeline<S>(&self, kind: SubjectKind, id: &str) -> StoreResult<Vec<TimelineItem<S>>>
    where
        S: std::str::FromStr,
        S::Err: std::error::Error + Send + Sync + 'static,
    {
        let rows = workflow_event::Entity::find()
            .filter(workflow_event::Column::SubjectKind.eq(kind))
            .filter(workflow_event::Column::SubjectId.eq(id))
            .order_by_asc(workflow_event::Column::Id)
            .all(self.reader())
            .await?;
        let people = people(self.reader(), rows.iter().map(|r| r.actor.clone()).collect()).await?;
        let name_of = |actor: &str| match people.get(actor) {
            Some(p) => p.with_office(),
            None if actor == "system" => "系统".to_string(),
            None => actor.to_string(),
        };
        let state = |id: i64, s: &str| -> StoreResult<Option<S>> {
            if s.is_empty() {
                return Ok(None);
            }
            s.parse().map(Some).map_err(|e| StoreError::corrupt(format!("workflow event {id} state"), e))
        };
        rows.into_iter()
            .map(|r| {
                Ok(TimelineItem {
                    at: r.at,
                    actor_name: name_of(&r.actor),
                    from_state: state(r.id, &r.from_state)?,
                    to_state: state(r.id, &r.to_state)?,
                    actor: r.actor,
                    comment: r.comment,
                })
            })
            .collect()
    }

    /// The province admin's standing task: enter next year's holiday arrangement before the year
    /// starts (usually announced October–December). Created once, closed when the year is entered.
    pub async fn ensure_calendar_reminder(&self) -> StoreResult<bool> {
        let day = today();
        let next = day.year() + 1;
        let cal = self.calendar().await?;
        if cal.year(next).is_some() || day.month() < time::Month::October {
            return Ok(false);
        }
        let ctx = Ctx::system();
        let step = self.step_as("system", &ctx).await?;
        let open = workflow_event::Entity::find()
            .filter(workflow_event::Column::SubjectKind.eq(SubjectKind::Calendar))
            .filter(workflow_event::Column::SubjectId.eq(next.to_string()))
            .filter(workflow_event::Column::DoneAt.is_null())
            .one(&*step)
            .await?;
        if open.is_some() {
            return Ok(false);
        }
        let due = Date::from_calendar_date(day.year(), time::Month::December, 31).unwrap_or(day);
        step.event(NewEvent {
            title: format!("录入 {next} 年节假日安排（国务院办公厅通知发布后）"),
            assignee_role: Some(Role::ProvinceAdmin),
            due_date: Some(due),
            ..NewEvent::about(SubjectKind::Calendar, next)
        })
        .await?;
        step.audit(AuditDraft::new(AuditAction::WorkflowReminderCreated, next, json!({}))).await?;
        step.commit().await?;
        Ok(true)
    }
}
