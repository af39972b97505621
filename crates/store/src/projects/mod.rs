//! Assessment projects (专项职业能力考核项目, issue 11: P1, P3, P4, P7, P8, F2) in the database.
//! `domain::projects` holds the rules (the specification, the state machine, the review's majority,
//! the pilot, the code, the adoption); this module runs them, as `store::filings` runs the station
//! filing:
//!
//! - this module: the record, who sees it (scope), the development application (create, edit), the
//!   staff list and the detail page's data;
//! - [`steps`]: one function per event of `domain::projects`' machine, each a [`crate::step::Step`]
//!   (submit, the city's and the province's returns, forward, the P4 draw and review, establish with a
//!   project code, reject, publish with the pilot's reminder, roll out, stop, the P1 adoption);
//! - [`review`]: the review group members' opinions (P4) — the last one completes the review;
//! - [`catalog`]: the public catalog (F2) and whether a project may hold an exam on a date (P8);
//! - [`files`]: the files kept with a project (the feasibility report submission requires, an
//!   adoption's evidence) and the training materials (P7).
//!
//! **Who sees what** (docs/ARCHITECTURE.md "Data scope"): the province sees every project but the
//! development units' drafts; a city center those routed to it (receiver `city`, its region) but drafts;
//! a development unit its own projects, drafts included; an expert only a project whose review group
//! they are in, once the seal is open (every other project is 404 to them, and their list is empty);
//! every other role is refused (403) before anything is looked up. A draft is its unit's own: to anyone
//! else it does not exist (404).
//!
//! **Routing** (P3, S2's rule, [`domain::projects::route`]): the development unit's organisation level
//! decides — a unit registered in a city of Hunan submits to that city's center, a unit registered at
//! the province's level (region 430000, no city: provincial departments and trade bodies, central and
//! provincial enterprises) goes straight to the province. The route is fixed when the draft is created
//! (an organisation's region does not change under a project).
//!
//! **Concurrency**: every step claims the project's row by the state it read (`UPDATE … WHERE state =
//! <read>`): of two people acting at once the second gets 409 `PROJECT_CHANGED`.
//!
//! **Cache**: every `project.*` audit action bumps the `projects` generation (and the public one when
//! the catalog shows what it changed, `AuditAction::changes`), as does every change of an organisation
//! (the lists show the unit's name); the staff lists' pages are kept under it (`cache::kept_page`).

mod catalog;
mod files;
mod review;
mod steps;

pub use catalog::{CatalogChange, CatalogMaterial, CatalogProject, CatalogProjectDetail, CatalogQuery, StationRef};
pub use files::{MaterialView, ProjectFileView};
pub use review::OpinionView;
pub use steps::ProjectActionInput;

use files::material_view;

use crate::audit::AuditDraft;
use crate::entity::{org, project, project_field};
use crate::error::require;
use crate::workflow::{NewEvent, TimelineItem};
use crate::{Ctx, Page, PageReq, Store, StoreError, StoreResult, now};
use domain::audit::{AuditAction, Generation};
use domain::authz::Action;
use domain::org::{DataScope, Location, Principal, Role};
use domain::projects::{
    self, Actor, NameRule, ProjectEventKind, ProjectOrigin, ProjectState, Provenance, Receiver, ReviewConclusion,
    Specification, SpecificationInput,
};
use domain::workflow::SubjectKind;
use domain::{FieldError, FieldErrors};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;
use time::{Date, OffsetDateTime};

/// A project in a staff list.
#[derive(Debug, Clone)]
pub struct ProjectSummary {
    pub id: i64,
    pub origin: ProjectOrigin,
    pub state: ProjectState,
    /// The name as saved (a draft's may still be blank).
    pub name: String,
    /// The project code (P4), once established or adopted.
    pub code: Option<String>,
    pub devunit_org_id: Option<i64>,
    /// The development unit's registered name; for an adopted project, who published it (P1).
    pub devunit_name: String,
    pub receiver: Receiver,
    pub receiving_region: Option<String>,
    pub publication_date: Option<Date>,
    pub submitted_at: Option<OffsetDateTime>,
    pub updated_at: OffsetDateTime,
}

/// A member of the opened review group and whether they have filed their opinion (P4: the names are
/// known once the seal opens).
#[derive(Debug, Clone)]
pub struct ReviewMemberView {
    pub expert_id: i64,
    pub name: String,
    pub filed: bool,
}

/// A project's page: the specification (as typed, and parsed when it parses), provenance, the review,
/// the steps the caller may take now and the timeline.
#[derive(Debug, Clone)]
pub struct ProjectDetail {
    pub summary: ProjectSummary,
    /// The specification as saved (a draft's half-filled one included).
    pub specification: SpecificationInput,
    /// The specification parsed for display (`None` while it does not parse: a draft).
    pub parsed: Option<Specification>,
    /// The professional fields, as rows.
    pub fields: Vec<String>,
    /// P1: where an adopted project was published.
    pub provenance: Option<Provenance>,
    pub evidence: Option<String>,
    /// P8: the pilot's last day, while in pilot (from the publication date and the policy then).
    pub pilot_end: Option<Date>,
    pub draw_id: Option<i64>,
    /// The review group's seal is open (the review has started).
    pub seal_open: bool,
    /// The group once its seal is open, for the province and the group's members (empty otherwise).
    pub group: Vec<ReviewMemberView>,
    /// Each member's opinion, for the province and the group's members (the development unit and the
    /// city read the group's conclusion only).
    pub opinions: Vec<OpinionView>,
    pub group_conclusion: Option<ReviewConclusion>,
    /// The reason of the last return, rejection or stop.
    pub decision_reason: Option<String>,
    pub files: Vec<ProjectFileView>,
    pub materials: Vec<MaterialView>,
    /// The steps the caller may take now.
    pub actions: Vec<ProjectEventKind>,
    pub timeline: Vec<TimelineItem<ProjectState>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProjectQuery {
    pub state: Option<ProjectState>,
    /// Within the name or the code.
    pub q: Option<String>,
}

fn location(m: &project::Model) -> Location {
    Location {
        city: if m.receiver == Receiver::City { m.receiving_region.clone() } else { None },
        org_id: m.devunit_org_id,
        person_id: None,
    }
}

/// The stored specification, read back (a defect when it does not decode).
fn specification_of(m: &project::Model) -> StoreResult<SpecificationInput> {
    serde_json::from_str(&m.specification)
        .map_err(|e| StoreError::corrupt(format!("project {} specification", m.id), e))
}

/// E5: the assessment method of a project's specification (the pass rule of its scores).
pub(crate) fn method_of(m: &project::Model) -> StoreResult<domain::projects::AssessmentMethod> {
    let spec = Specification::parse_with(&specification_of(m)?, name_rule(m.origin))
        .map_err(|e| StoreError::corrupt(format!("project {} specification", m.id), e))?;
    Ok(*spec.method())
}

fn provenance_of(m: &project::Model) -> StoreResult<Option<Provenance>> {
    m.provenance
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|e| StoreError::corrupt(format!("project {} provenance", m.id), e))
}

/// The name rule of a project's origin: a developed project's name is "product or service + verb"
/// (P3); an adopted one keeps its original name (P1).
fn name_rule(origin: ProjectOrigin) -> NameRule {
    match origin {
        ProjectOrigin::Developed => NameRule::ProductAndVerb,
        ProjectOrigin::Adopted => NameRule::LengthAndCharacters,
    }
}

/// Who developed the project, or who published it (P1), by name.
fn owner_name(m: &project::Model, orgs: &HashMap<i64, String>) -> StoreResult<String> {
    match m.devunit_org_id {
        Some(o) => Ok(orgs.get(&o).cloned().unwrap_or_default()),
        None => Ok(provenance_of(m)?.map(|p| p.publisher().to_string()).unwrap_or_default()),
    }
}

fn summary(m: &project::Model, orgs: &HashMap<i64, String>) -> StoreResult<ProjectSummary> {
    Ok(ProjectSummary {
        id: m.id,
        origin: m.origin,
        state: m.state,
        name: m.name.clone(),
        code: m.code.clone(),
        devunit_org_id: m.devunit_org_id,
        devunit_name: owner_name(m, orgs)?,
        receiver: m.receiver,
        receiving_region: m.receiving_region.clone(),
        publication_date: m.publication_date,
        submitted_at: m.submitted_at,
        updated_at: m.updated_at,
    })
}

/// The registered names of the organisations in `ids` (one query).
async fn org_names<C: ConnectionTrait>(conn: &C, ids: Vec<i64>) -> StoreResult<HashMap<i64, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(org::Entity::find()
        .filter(org::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}

/// Whether the principal acts for `actor` on this project.
pub(crate) fn acts_as(p: &Principal, actor: Actor, m: &project::Model) -> bool {
    match actor {
        Actor::DevelopmentUnit => p.has(Role::DevunitStaff) && m.devunit_org_id == Some(p.org_id),
        Actor::CityCenter => {
            (p.has(Role::CityAdmin) || p.has(Role::CityStaff))
                && m.receiver == Receiver::City
                && m.receiving_region.as_deref().is_some_and(|r| p.scope == DataScope::City(r.to_string()))
        }
        Actor::Province => p.has(Role::ProvinceAdmin) || p.has(Role::ProvinceStaff),
        // The members act through `review` (their opinions), never through a project step.
        Actor::ReviewGroup => false,
    }
}

/// 409 `PROJECT_CHANGED`: the row moved on between the read and the step's claim.
pub(crate) fn moved_on() -> StoreError {
    StoreError::Conflict(FieldError::new("", "PROJECT_CHANGED", "该考核项目刚被他人办理，状态已变化，请刷新页面后重试"))
}

/// How a project is named in to-dos: its name, or 未命名考核项目 while a draft has none.
fn display_name(m: &project::Model) -> &str {
    if m.name.trim().is_empty() { "未命名考核项目" } else { &m.name }
}

/// The event a project's step records: the to-do its new state hands to the next party, if any
/// (`domain::projects::todo`), due on `due` (the pilot's reminder day, P8).
pub(crate) fn todo_event(m: &project::Model, due: Option<Date>) -> NewEvent {
    let mut e = NewEvent::about(SubjectKind::Project, m.id);
    if let Some(t) = projects::todo(m.state) {
        e.title = format!("{}：{}", display_name(m), t.text);
        match t.actor {
            Actor::DevelopmentUnit => {
                e.assignee_role = Some(Role::DevunitStaff);
                e.assignee_org_id = m.devunit_org_id;
            }
            Actor::CityCenter => {
                e.assignee_role = Some(Role::CityStaff);
                e.assignee_city = m.receiving_region.clone();
            }
            Actor::Province => e.assignee_role = Some(Role::ProvinceStaff),
            // Each member gets a to-do of their own when the review opens (`steps::open_review`).
            Actor::ReviewGroup => {}
        }
        e.due_date = due;
    }
    e
}

/// Replace a project's professional fields inside the caller's transaction: one row each, in order.
pub(crate) async fn set_fields<C: ConnectionTrait>(conn: &C, project_id: i64, fields: &[String]) -> StoreResult<()> {
    crate::lists::replace(conn, project_field::Column::ProjectId, project_id, fields, |position, name| {
        project_field::ActiveModel {
            project_id: Set(project_id),
            position: Set(position),
            name: Set(name),
            ..Default::default()
        }
    })
    .await
}

/// The fields of each project in `ids`, in their order (one query).
pub(crate) async fn fields_of<C: ConnectionTrait>(conn: &C, ids: Vec<i64>) -> StoreResult<HashMap<i64, Vec<String>>> {
    crate::lists::read::<project_field::Entity, _>(
        conn,
        project_field::Column::ProjectId,
        project_field::Column::Position,
        Some(ids),
        |r| (r.project_id, r.name),
    )
    .await
}

/// A draft's fields as rows: what is filled in, trimmed, without repeats (submission parses them).
fn draft_fields(input: &SpecificationInput) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in input.fields.iter().map(|f| f.trim()).filter(|f| !f.is_empty()) {
        if !out.iter().any(|o| o == f) {
            out.push(f.to_string());
        }
    }
    out
}

impl Store {
    /// A project the caller may see (see the module doc): by role first (403 for a role that sees no
    /// project's procedure, whatever the id), then the lookup — missing, out of scope and another
    /// unit's draft all read as 404. An expert sees only a project whose opened review group they are
    /// in ([`Store::review_access`]).
    pub(crate) async fn project_in_scope<C: ConnectionTrait>(
        &self,
        conn: &C,
        p: &Principal,
        id: i64,
    ) -> StoreResult<project::Model> {
        if !p.can(Action::ListProjects) {
            if p.can(Action::FileProjectOpinion) {
                return self.review_access(p, id).await.map(|a| a.project);
            }
            return Err(StoreError::Forbidden);
        }
        let m = project::Entity::find_by_id(id).one(conn).await?.ok_or(StoreError::NotFound)?;
        // A draft is its unit's own until submitted (P3): to anyone else it does not exist yet.
        let draft_of_another = m.state.is_private_to_unit() && !acts_as(p, Actor::DevelopmentUnit, &m);
        if !p.scope.covers(&location(&m)) || draft_of_another {
            return Err(StoreError::NotFound);
        }
        Ok(m)
    }

    /// The development unit's own project while it may still change it (draft or returned): 404
    /// outside the scope, 403 for anyone but the unit, 409 `PROJECT_NOT_EDITABLE` once submitted.
    pub(crate) async fn editable_by_unit(&self, p: &Principal, id: i64, field: &str) -> StoreResult<project::Model> {
        let m = self.project_in_scope(self.reader(), p, id).await?;
        require(p, Action::ApplyProject)?;
        if !acts_as(p, Actor::DevelopmentUnit, &m) {
            return Err(StoreError::Forbidden);
        }
        if !matches!(m.state, ProjectState::Draft | ProjectState::Returned) {
            return Err(StoreError::Conflict(FieldError::new(
                field,
                "PROJECT_NOT_EDITABLE",
                "开发申请已提交，只有草稿或被退回的申请可以修改",
            )));
        }
        Ok(m)
    }

    /// P3: the route of the caller's development unit — the city center of its city, or the province
    /// for a unit at the province's level (module doc).
    async fn unit_route(&self, p: &Principal) -> StoreResult<(Receiver, Option<String>)> {
        let o = org::Entity::find_by_id(p.org_id).one(self.reader()).await?.ok_or(StoreError::Forbidden)?;
        Ok(match o.city_code {
            Some(city) => (Receiver::City, Some(city)),
            None => (Receiver::Province, None),
        })
    }

    /// P3: a development unit saves its specification as a draft: half-filled is fine, what is filled in
    /// is checked ([`Specification::check_draft`]); the route follows from the unit (module doc). The
    /// draft is the unit's to-do until submitted.
    pub async fn create_project(&self, p: &Principal, input: &SpecificationInput, ctx: &Ctx) -> StoreResult<i64> {
        require(p, Action::ApplyProject)?;
        Specification::check_draft(input, NameRule::ProductAndVerb)?;
        let (receiver, region) = self.unit_route(p).await?;
        let at = now();
        let step = self.step(p, ctx).await?;
        let m = project::ActiveModel {
            origin: Set(ProjectOrigin::Developed),
            state: Set(ProjectOrigin::Developed.initial_state()),
            name: Set(input.name.trim().to_string()),
            devunit_org_id: Set(Some(p.org_id)),
            receiver: Set(receiver),
            receiving_region: Set(region),
            specification: Set(serde_json::to_string(input)?),
            created_by: Set(p.username.clone()),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        }
        .insert(&*step)
        .await?;
        set_fields(&*step, m.id, &draft_fields(input)).await?;
        step.event(todo_event(&m, None).moving(None, ProjectState::Draft).comment("填写考核项目开发申请")).await?;
        step.audit(AuditDraft::new(AuditAction::ProjectCreated, m.id, json!({ "receiver": receiver }))).await?;
        step.commit().await?;
        Ok(m.id)
    }

    /// P3: the unit edits its specification while it is a draft or was returned.
    pub async fn update_project(
        &self,
        p: &Principal,
        id: i64,
        input: &SpecificationInput,
        ctx: &Ctx,
    ) -> StoreResult<()> {
        let m = self.editable_by_unit(p, id, "").await?;
        Specification::check_draft(input, name_rule(m.origin))?;
        let step = self.step(p, ctx).await?;
        step.claim::<project::Entity, _>(
            project::Column::Id,
            id,
            project::Column::State,
            m.state,
            project::Column::UpdatedAt,
            moved_on,
        )
        .await?;
        let mut am = m.into_active_model();
        am.name = Set(input.name.trim().to_string());
        am.specification = Set(serde_json::to_string(input)?);
        am.updated_at = Set(now());
        am.update(&*step).await?;
        set_fields(&*step, id, &draft_fields(input)).await?;
        step.audit(AuditDraft::new(AuditAction::ProjectUpdated, id, json!({}))).await?;
        step.commit().await
    }

    /// What submission would refuse in this specification (every missing or bad field, the panel
    /// minimum of the policy in force), empty when it is complete: for an edit form's check.
    pub async fn project_submission_errors(&self, input: &SpecificationInput) -> StoreResult<FieldErrors> {
        match self.parse_specification(input, &mut crate::policy::PolicyUsed::default()).await {
            Ok(_) => Ok(FieldErrors::new()),
            Err(StoreError::Invalid(errors)) => Ok(errors),
            Err(e) => Err(e),
        }
    }

    /// P3: the whole specification parsed, every error at once, with the policy's panel minimum
    /// (`exam.panel_min_assessors`, in force today) on `min_panel_size` (`SPEC_PANEL_BELOW_POLICY`).
    pub(crate) async fn parse_specification(
        &self,
        input: &SpecificationInput,
        used: &mut crate::policy::PolicyUsed,
    ) -> StoreResult<Specification> {
        let min: u32 = self.policy_parsed(domain::policy::keys::PANEL_MIN_ASSESSORS, crate::today(), used).await?;
        let parsed = Specification::parse(input);
        let mut errors = match &parsed {
            Ok(_) => FieldErrors::new(),
            Err(e) => e.clone(),
        };
        let typed = input.min_panel_size.trim().parse::<u32>().ok();
        if let Some(n) = typed.filter(|n| *n < min)
            && !errors.0.iter().any(|e| e.field == "min_panel_size")
        {
            errors.push(FieldError::new(
                "min_panel_size",
                "SPEC_PANEL_BELOW_POLICY",
                format!("考评组最少人数为 {n} 人，低于政策参数“考评组最少考评员人数”规定的 {min} 人"),
            ));
        }
        match parsed {
            Ok(spec) if errors.is_empty() => Ok(spec),
            _ => Err(StoreError::Invalid(errors)),
        }
    }

    /// The staff list of projects (P3–P8), scoped as the module doc says, filtered by state and by text
    /// within the name or the code, newest first.
    pub async fn list_projects(
        &self,
        p: &Principal,
        q: &ProjectQuery,
        page: PageReq,
    ) -> StoreResult<Page<ProjectSummary>> {
        if !p.can(Action::ListProjects) && !p.can(Action::FileProjectOpinion) {
            return Err(StoreError::Forbidden);
        }
        // Kept per projects generation (issue 10), as the filing lists are: every project step and
        // every change of an organisation (the list shows the unit's name) bumps it.
        let filters = vec![
            Some(p.can(Action::ListProjects).to_string()),
            q.state.map(|s| s.id().to_owned()),
            q.q.as_deref().map(str::trim).map(str::to_owned),
        ];
        let key = crate::cache::ListKey::new(p, filters, page);
        crate::cache::kept_page(self.reader(), &self.caches.project_lists, Generation::Projects, key, || {
            self.load_project_list(p, q, page)
        })
        .await
    }

    async fn load_project_list(
        &self,
        p: &Principal,
        q: &ProjectQuery,
        page: PageReq,
    ) -> StoreResult<Page<ProjectSummary>> {
        let mut sel = project::Entity::find();
        sel = match &p.scope {
            _ if !p.can(Action::ListProjects) => sel.filter(project::Column::Id.eq(-1)),
            // The centers see what was submitted to them: drafts are their units' own.
            DataScope::Province => sel.filter(project::Column::State.ne(ProjectState::Draft)),
            DataScope::City(c) => sel
                .filter(project::Column::State.ne(ProjectState::Draft))
                .filter(project::Column::Receiver.eq(Receiver::City))
                .filter(project::Column::ReceivingRegion.eq(c.clone())),
            DataScope::Org(o) => sel.filter(project::Column::DevunitOrgId.eq(*o)),
            // Experts read their reviews through their to-dos (P4), never a list of projects.
            DataScope::Person(_) => sel.filter(project::Column::Id.eq(-1)),
        };
        if let Some(s) = q.state {
            sel = sel.filter(project::Column::State.eq(s));
        }
        if let Some(t) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            sel = sel.filter(
                sea_orm::Condition::any().add(project::Column::Name.contains(t)).add(project::Column::Code.contains(t)),
            );
        }
        let rows = crate::fetch_page(self.reader(), sel, project::Column::Id, true, page).await?;
        let orgs = org_names(self.reader(), rows.items.iter().filter_map(|m| m.devunit_org_id).collect()).await?;
        let items = rows.items.iter().map(|m| summary(m, &orgs)).collect::<StoreResult<Vec<_>>>()?;
        Ok(Page { items, total: rows.total, page: rows.page, per_page: rows.per_page })
    }

    /// A project's page (see [`ProjectDetail`]) after one scope check.
    pub async fn get_project(&self, p: &Principal, id: i64) -> StoreResult<ProjectDetail> {
        let m = self.project_in_scope(self.reader(), p, id).await?;
        let actions: Vec<ProjectEventKind> = projects::allowed_event_kinds(m.state)
            .into_iter()
            .filter(|k| *k != ProjectEventKind::CompleteReview && acts_as(p, k.actor(), &m))
            .collect();
        let seal_open = self.project_seal_open(&m).await?;
        // Members' named opinions are for the province and the group; the unit and the city read the
        // group's conclusion only (issue 8 item 6).
        let reads_group = seal_open && (acts_as(p, Actor::Province, &m) || !p.can(Action::ListProjects));
        let (group, opinions) = match m.draw_id {
            Some(d) if reads_group => self.review_of(id, d).await?,
            _ => (Vec::new(), Vec::new()),
        };
        let specification = specification_of(&m)?;
        let parsed = Specification::parse_with(&specification, name_rule(m.origin)).ok();
        let pilot_end = match (m.state, m.publication_date) {
            (ProjectState::Pilot, Some(d)) => Some(self.pilot_end_of(d).await?),
            _ => None,
        };
        let orgs = org_names(self.reader(), m.devunit_org_id.into_iter().collect()).await?;
        Ok(ProjectDetail {
            summary: summary(&m, &orgs)?,
            specification,
            parsed,
            fields: fields_of(self.reader(), vec![id]).await?.remove(&id).unwrap_or_default(),
            provenance: provenance_of(&m)?,
            evidence: m.evidence.clone(),
            pilot_end,
            draw_id: m.draw_id,
            seal_open,
            group,
            opinions,
            group_conclusion: m.group_conclusion,
            decision_reason: m.decision_reason.clone(),
            files: self.project_files(id).await?,
            materials: self.project_materials(id).await?,
            actions,
            timeline: self.timeline(SubjectKind::Project, &id.to_string()).await?,
        })
    }

    /// P8: the last pilot day of a project published on `publication`, under the pilot length in force
    /// on that day.
    pub(crate) async fn pilot_end_of(&self, publication: Date) -> StoreResult<Date> {
        let months: u32 =
            self.policy_parsed(domain::policy::keys::PILOT_MAX_MONTHS, publication, &mut Default::default()).await?;
        Ok(projects::pilot_end(publication, months))
    }

    async fn project_seal_open(&self, m: &project::Model) -> StoreResult<bool> {
        match m.draw_id {
            Some(d) => {
                Ok(crate::entity::draw::Entity::find_by_id(d).one(self.reader()).await?.is_some_and(|d| d.seal_open))
            }
            None => Ok(false),
        }
    }
}
