//! Station filing (考核站备案, S1–S5): the annex-1 application, routing to the city or province center
//! (S2), acceptance or return, the evaluation plan reported at least the policy's working days ahead
//! (S3), the provable draw of the evaluation group, the evaluation start and each member's findings by
//! the six methods (S4), the province's decision with the institution code, the station database and
//! public directory (S5), and suspension or revocation afterwards.
//!
//! - this module: the record, who sees it (scope), the application (create, edit), list and detail;
//! - [`steps`]: one function per event of `domain::stations`' state machine, each a [`crate::step::Step`];
//! - [`findings`]: the group members' findings (S4);
//! - [`directory`]: the public directory of filed stations (S5);
//! - [`catalog_link`]: the projects applied for, chosen from the catalog's current projects (F2).

mod catalog_link;
mod directory;
mod findings;
mod steps;

pub use catalog_link::CatalogChoice;
pub use directory::{DirectoryQuery, StationListing};
pub use findings::MemberView;
pub use steps::{EvaluationPlan, FilingActionInput};

use crate::audit::AuditDraft;
use crate::entity::{filing, filing_finding, filing_project};
use crate::error::require;
use crate::policy::PolicyUsed;
use crate::workflow::{NewEvent, TimelineItem};
use crate::{Ctx, Page, PageReq, Store, StoreError, StoreResult, now, today};
use domain::audit::{AuditAction, Generation};
use domain::authz::Action;
use domain::org::{DataScope, Location, Principal, Role};
use domain::policy::keys;
use domain::stations::{
    self, ApplicationInput, Conclusion, FilingApplication, FilingEventKind, FilingState, FindingsInput, Office,
    Receiver,
};
use domain::workflow::SubjectKind;
use domain::{FieldError, FieldErrors};
use sea_orm::sea_query::Query;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde::Deserialize;
use serde_json::json;
use time::OffsetDateTime;

/// A filing in a list.
#[derive(Debug, Clone)]
pub struct FilingSummary {
    pub id: i64,
    pub institution_name: String,
    pub state: FilingState,
    /// Where the application goes (S2).
    pub receiver: Receiver,
    pub receiving_region: String,
    pub projects: Vec<String>,
    pub institution_code: Option<String>,
    /// The reference number given at the first submission (`备2026-0001`, issue 9 item 16).
    pub reference: Option<String>,
    pub submitted_at: Option<OffsetDateTime>,
    pub updated_at: OffsetDateTime,
}

/// One member's signed findings (S4).
#[derive(Debug, Clone)]
pub struct FindingView {
    pub expert_id: i64,
    pub expert_name: String,
    pub conclusion: Conclusion,
    pub findings: FindingsInput,
    pub recorded_at: OffsetDateTime,
}

/// A member of the opened evaluation group and whether they have signed their findings (the names are
/// public once the seal opens, S4).
#[derive(Debug, Clone)]
pub struct GroupMemberView {
    pub expert_id: i64,
    pub name: String,
    pub signed: bool,
}

/// A filing with its plan, findings, timeline and the steps the caller may take now.
#[derive(Debug, Clone)]
pub struct FilingDetail {
    pub summary: FilingSummary,
    pub application: ApplicationInput,
    pub plan: Option<EvaluationPlan>,
    pub draw_id: Option<i64>,
    /// The evaluation group's seal is open (the evaluation has started).
    pub seal_open: bool,
    /// The group, once its seal is open (empty before), in the draw's order.
    pub group: Vec<GroupMemberView>,
    pub findings: Vec<FindingView>,
    pub group_conclusion: Option<Conclusion>,
    pub province_opinion: String,
    /// The steps the caller may take now.
    pub actions: Vec<FilingEventKind>,
    pub timeline: Vec<TimelineItem<FilingState>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct FilingQuery {
    pub state: Option<FilingState>,
    pub q: Option<String>,
}

/// The columns of a filing's row that follow from its application as saved (see `draft_columns`).
struct DraftColumns {
    /// The application as it is kept: its project cells linked to the catalog (F2).
    application: ApplicationInput,
    /// The catalog code of each project name (F2).
    codes: std::collections::HashMap<String, String>,
    institution_name: String,
    receiver: Receiver,
    receiving_region: String,
    applicant_city: String,
    projects: Vec<String>,
}

fn location(m: &filing::Model) -> Location {
    Location {
        city: (m.receiver == Receiver::City).then(|| m.receiving_region.clone()),
        org_id: Some(m.applicant_org_id),
        person_id: None,
    }
}

/// The stored application, read back (a defect when it does not decode).
fn application_of(m: &filing::Model) -> StoreResult<ApplicationInput> {
    serde_json::from_str(&m.application).map_err(|e| StoreError::corrupt(format!("filing {} application", m.id), e))
}

fn plan_of(m: &filing::Model) -> StoreResult<Option<EvaluationPlan>> {
    m.plan
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|e| StoreError::corrupt(format!("filing {} plan", m.id), e))
}

fn summary(m: &filing::Model, projects: Vec<String>) -> FilingSummary {
    FilingSummary {
        id: m.id,
        institution_name: m.institution_name.clone(),
        state: m.state,
        receiver: m.receiver,
        receiving_region: m.receiving_region.clone(),
        projects,
        institution_code: m.institution_code.clone(),
        reference: m.reference.clone(),
        submitted_at: m.submitted_at,
        updated_at: m.updated_at,
    }
}

/// Whether the principal acts for `office` on this filing.
fn acts_as(p: &Principal, office: Office, m: &filing::Model) -> bool {
    match office {
        Office::Applicant => p.has(Role::StationStaff) && p.org_id == m.applicant_org_id,
        Office::CityCenter => {
            (p.has(Role::CityAdmin) || p.has(Role::CityStaff)) && p.scope == DataScope::City(m.receiving_region.clone())
        }
        Office::ProvinceCenter => p.has(Role::ProvinceAdmin) || p.has(Role::ProvinceStaff),
        Office::EvaluationGroup => false,
    }
}

fn moved_on() -> StoreError {
    StoreError::Conflict(FieldError::new("", "FILING_CHANGED", "该申请刚被他人办理，状态已变化，请刷新页面后重试"))
}

/// The event a filing's step records: the to-do its new state hands to the next office, if any.
fn todo_event(m: &filing::Model) -> NewEvent {
    let mut e = NewEvent::about(SubjectKind::Filing, m.id);
    if let Some(t) = stations::todo(m.state, m.receiver) {
        e.title = format!("{}：{}", m.institution_name, t.text);
        match t.office {
            Office::Applicant => {
                e.assignee_role = Some(Role::StationStaff);
                e.assignee_org_id = Some(m.applicant_org_id);
            }
            Office::CityCenter => {
                e.assignee_role = Some(Role::CityStaff);
                e.assignee_city = Some(m.receiving_region.clone());
            }
            Office::ProvinceCenter => e.assignee_role = Some(Role::ProvinceStaff),
            // The group's members get their own to-dos when the evaluation starts (`steps`).
            Office::EvaluationGroup => {}
        }
    }
    if m.state == FilingState::GroupDrawn {
        e.due_date = m.evaluation_date;
    }
    e
}

/// Replace a filing's projects (S2) inside the caller's transaction: one row each, in order, with the
/// catalog code of each (F2; `codes`: name → code).
async fn set_projects<C: ConnectionTrait>(
    conn: &C,
    filing_id: i64,
    projects: &[String],
    codes: &std::collections::HashMap<String, String>,
) -> StoreResult<()> {
    crate::lists::replace(conn, filing_project::Column::FilingId, filing_id, projects, |position, name| {
        filing_project::ActiveModel {
            filing_id: Set(filing_id),
            position: Set(position),
            code: Set(codes.get(&name).cloned()),
            name: Set(name),
            ..Default::default()
        }
    })
    .await
}

/// The projects of each filing in `ids`, in their order (one query).
pub(crate) async fn projects_of<C: ConnectionTrait>(
    conn: &C,
    ids: Vec<i64>,
) -> StoreResult<std::collections::HashMap<i64, Vec<String>>> {
    crate::lists::read::<filing_project::Entity, _>(
        conn,
        filing_project::Column::FilingId,
        filing_project::Column::Position,
        Some(ids),
        |r| (r.filing_id, r.name),
    )
    .await
}

/// Filings one of whose projects is exactly `name` (S5 directory, lists): a subquery on the rows.
fn with_project(name: &str) -> sea_orm::sea_query::SimpleExpr {
    filing::Column::Id.in_subquery(
        Query::select()
            .column(filing_project::Column::FilingId)
            .from(filing_project::Entity)
            .and_where(filing_project::Column::Name.eq(name))
            .to_owned(),
    )
}

/// Filings one of whose projects contains `text` (a search within one project's name, never across
/// two).
fn project_contains(text: &str) -> sea_orm::sea_query::SimpleExpr {
    filing::Column::Id.in_subquery(
        Query::select()
            .column(filing_project::Column::FilingId)
            .from(filing_project::Entity)
            .and_where(filing_project::Column::Name.contains(text))
            .to_owned(),
    )
}

impl Store {
    pub(crate) async fn filing_in_scope<C: ConnectionTrait>(
        &self,
        conn: &C,
        p: &Principal,
        id: i64,
    ) -> StoreResult<filing::Model> {
        // By role first, then the lookup (issue 8 item 8): a role that sees no filing is refused
        // whatever the id; for one that sees some, missing, out of scope and another's draft read alike.
        require(p, Action::ListFilings)?;
        let m = filing::Entity::find_by_id(id).one(conn).await?.ok_or(StoreError::NotFound)?;
        // A draft is the applicant's own until it is submitted (issue 8 item 7): to anyone else it
        // does not exist yet.
        let draft_of_another = m.state == FilingState::Draft && !acts_as(p, Office::Applicant, &m);
        if !p.scope.covers(&location(&m)) || draft_of_another {
            return Err(StoreError::NotFound);
        }
        Ok(m)
    }

    /// The application parsed under the policy in force today (the panel minimum, S1), noting the
    /// version in `used` (V1), its projects linked to the catalog's current projects (F2): every
    /// error at once, a project the catalog does not offer among them.
    async fn parse_application(
        &self,
        input: &ApplicationInput,
        used: &mut PolicyUsed,
    ) -> StoreResult<FilingApplication> {
        Ok(self.parse_linked(input, used).await?.0)
    }

    /// [`Self::parse_application`] with the catalog code of each project name.
    async fn parse_linked(
        &self,
        input: &ApplicationInput,
        used: &mut PolicyUsed,
    ) -> StoreResult<(FilingApplication, std::collections::HashMap<String, String>)> {
        let min = self.policy_parsed::<usize>(keys::PANEL_MIN_ASSESSORS, today(), used).await?;
        let (linked, codes, link_errors) = self.link_to_catalog(input).await?;
        match FilingApplication::parse_with(&linked, min) {
            Ok(app) if link_errors.is_empty() => Ok((app, codes)),
            Ok(_) => Err(StoreError::Invalid(link_errors)),
            Err(mut errors) => {
                catalog_link::merge(&mut errors, link_errors);
                Err(StoreError::Invalid(errors))
            }
        }
    }

    /// What submission would refuse in this application (every missing or bad field, under the policy
    /// in force), empty when it is complete: the edit form's `?check=1` shows them beside the fields.
    pub async fn submission_errors(&self, input: &ApplicationInput) -> StoreResult<FieldErrors> {
        match self.parse_application(input, &mut PolicyUsed::default()).await {
            Ok(_) => Ok(FieldErrors::new()),
            Err(StoreError::Invalid(errors)) => Ok(errors),
            Err(e) => Err(e),
        }
    }

    /// The applicant's own filing while it may still change it (draft or returned): 404 outside the
    /// scope, 403 for anyone but the applicant, 409 (`FILING_NOT_EDITABLE`, `detail` against `field`)
    /// once submitted. The edit form, the edit itself and the materials all ask this.
    pub async fn editable_by_applicant(
        &self,
        p: &Principal,
        id: i64,
        field: &str,
        detail: &str,
    ) -> StoreResult<filing::Model> {
        let m = self.filing_in_scope(self.reader(), p, id).await?;
        require(p, Action::ApplyFiling)?;
        if !acts_as(p, Office::Applicant, &m) {
            return Err(StoreError::Forbidden);
        }
        if !m.state.is_editable() {
            return Err(StoreError::Conflict(FieldError::new(field, "FILING_NOT_EDITABLE", detail)));
        }
        Ok(m)
    }

    /// The application as the applicant may edit it (S1, S2).
    pub async fn editable_application(&self, p: &Principal, id: i64) -> StoreResult<ApplicationInput> {
        let m = self.editable_by_applicant(p, id, "", "申请已提交，只有草稿或被退回的申请可以修改").await?;
        application_of(&m)
    }

    /// A new application pre-filled from the organisation registry (issue 9 item 11): the applicant's
    /// name, nature, address, region and contact as registered, every S1 condition listed unaffirmed.
    pub async fn new_application(&self, p: &Principal) -> StoreResult<ApplicationInput> {
        require(p, Action::ApplyFiling)?;
        let org = crate::entity::org::Entity::find_by_id(p.org_id).one(self.reader()).await?;
        let mut input = ApplicationInput {
            institution_name: p.org_name.clone(),
            conditions: stations::S1Condition::ALL
                .iter()
                .map(|c| stations::ConditionInput { condition: c.id().to_string(), ..Default::default() })
                .collect(),
            ..Default::default()
        };
        if let Some(o) = org {
            input.institution_name = o.name;
            input.nature = o.nature.map(|n| n.id().to_string()).unwrap_or_default();
            input.address = o.address;
            input.region_code = o.region_code;
            input.contact_name = o.contact_name;
            input.contact_phone = o.contact_phone;
        }
        Ok(input)
    }

    /// The row's columns that follow from a draft (issue 9 item 11): what is filled in checked (format,
    /// length, characters — [`FilingApplication::check_draft`]), and the name, route, receiving center,
    /// city and projects taken from the parts filled in, the applicant's registered name and region
    /// standing in for what is still blank. Submission parses it in full (`steps::submit_filing`).
    async fn draft_columns(&self, p: &Principal, typed: &ApplicationInput) -> StoreResult<DraftColumns> {
        // F2: the projects filled in are the catalog's, as at submission.
        let (input, codes, link_errors) = self.link_to_catalog(typed).await?;
        let mut errors = FilingApplication::check_draft(&input).err().unwrap_or_default();
        catalog_link::merge(&mut errors, link_errors);
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let input = &input;
        if let Ok(app) = self.parse_application(input, &mut PolicyUsed::default()).await {
            return Ok(DraftColumns {
                application: input.clone(),
                codes,
                institution_name: app.institution_name().to_string(),
                receiver: app.receiver(),
                receiving_region: app.receiving_center_region().as_str().to_string(),
                applicant_city: app.city().as_str().to_string(),
                projects: app.projects().to_vec(),
            });
        }
        let org = crate::entity::org::Entity::find_by_id(p.org_id).one(self.reader()).await?;
        let name = input.institution_name.trim();
        let institution_name = if name.is_empty() {
            org.as_ref().map_or_else(|| p.org_name.clone(), |o| o.name.clone())
        } else {
            name.to_string()
        };
        let receiver =
            stations::ApplicantCategory::parse(input.category.trim()).map_or(Receiver::City, stations::route);
        let region = [input.region_code.as_str(), org.as_ref().map_or("", |o| o.region_code.as_str())]
            .into_iter()
            .filter_map(|c| domain::ids::RegionCode::parse(c).ok())
            .find(|c| c.is_hunan() && c.city().is_some());
        let receiving_region = region
            .as_ref()
            .and_then(|r| receiver.center_region(r))
            .unwrap_or_else(domain::ids::RegionCode::hunan_province);
        let mut projects: Vec<String> = Vec::new();
        for name in input.projects.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
            if !projects.iter().any(|p| p == name) {
                projects.push(name.to_string());
            }
        }
        Ok(DraftColumns {
            application: input.clone(),
            codes,
            institution_name,
            receiver,
            receiving_region: receiving_region.as_str().to_string(),
            applicant_city: region.and_then(|r| r.city()).map(|c| c.as_str().to_string()).unwrap_or_default(),
            projects,
        })
    }

    /// S1, S2: an applicant saves its annex-1 application, a draft until submitted: half-filled is
    /// fine (issue 9 item 11), what is filled in is checked; the route and the receiving center follow
    /// from the category and region.
    pub async fn create_filing(&self, p: &Principal, input: &ApplicationInput, ctx: &Ctx) -> StoreResult<i64> {
        require(p, Action::ApplyFiling)?;
        let app = self.draft_columns(p, input).await?;
        let at = now();
        let step = self.step(p, ctx).await?;
        let m = filing::ActiveModel {
            applicant_org_id: Set(p.org_id),
            institution_name: Set(app.institution_name.clone()),
            application: Set(serde_json::to_string(&app.application)?),
            state: Set(FilingState::Draft),
            receiver: Set(app.receiver),
            receiving_region: Set(app.receiving_region.clone()),
            applicant_city: Set(app.applicant_city.clone()),
            group_conclusion: Set(None),
            province_opinion: Set(String::new()),
            commitment_by: Set(p.username.clone()),
            commitment_at: Set(Some(at)),
            created_by: Set(p.username.clone()),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        }
        .insert(&*step)
        .await?;
        set_projects(&*step, m.id, &app.projects, &app.codes).await?;
        // The draft is the station's to-do until it is submitted (issue 9 item 12).
        step.event(todo_event(&m).moving(None, FilingState::Draft).comment("填写备案申请表（附件 1）")).await?;
        step.audit(AuditDraft::new(
            AuditAction::FilingCreated,
            m.id,
            json!({ "receiver": m.receiver, "region": m.receiving_region }),
        ))
        .await?;
        step.commit().await?;
        Ok(m.id)
    }

    /// The applicant edits its application while it is a draft or was returned.
    pub async fn update_filing(&self, p: &Principal, id: i64, input: &ApplicationInput, ctx: &Ctx) -> StoreResult<()> {
        let m = self.editable_by_applicant(p, id, "", "申请已提交，只有草稿或被退回的申请可以修改").await?;
        let app = self.draft_columns(p, input).await?;
        let step = self.step(p, ctx).await?;
        step.claim::<filing::Entity, _>(
            filing::Column::Id,
            id,
            filing::Column::State,
            m.state,
            filing::Column::UpdatedAt,
            moved_on,
        )
        .await?;
        let mut am = m.into_active_model();
        am.institution_name = Set(app.institution_name);
        am.application = Set(serde_json::to_string(&app.application)?);
        am.receiver = Set(app.receiver);
        am.receiving_region = Set(app.receiving_region);
        am.applicant_city = Set(app.applicant_city);
        am.commitment_by = Set(p.username.clone());
        am.commitment_at = Set(Some(now()));
        am.updated_at = Set(now());
        am.update(&*step).await?;
        set_projects(&*step, id, &app.projects, &app.codes).await?;
        step.audit(AuditDraft::new(AuditAction::FilingUpdated, id, json!({}))).await?;
        step.commit().await
    }

    pub async fn list_filings(
        &self,
        p: &Principal,
        q: &FilingQuery,
        page: PageReq,
    ) -> StoreResult<Page<FilingSummary>> {
        require(p, Action::ListFilings)?;
        // Kept per filings generation (issue 10): every filing step bumps it in its own transaction,
        // so a page is read again after any change, on every instance.
        let filters = vec![q.state.map(|s| s.id().to_owned()), q.q.as_deref().map(str::trim).map(str::to_owned)];
        let key = crate::cache::ListKey::new(p, filters, page);
        crate::cache::kept_page(self.reader(), &self.caches.filing_lists, Generation::Filings, key, || {
            self.load_filing_list(p, q, page)
        })
        .await
    }

    async fn load_filing_list(
        &self,
        p: &Principal,
        q: &FilingQuery,
        page: PageReq,
    ) -> StoreResult<Page<FilingSummary>> {
        let mut sel = filing::Entity::find();
        sel = match &p.scope {
            // The centers see what was submitted to them: drafts are their applicants' own.
            DataScope::Province => sel.filter(filing::Column::State.ne(FilingState::Draft)),
            DataScope::City(c) => sel
                .filter(filing::Column::State.ne(FilingState::Draft))
                .filter(filing::Column::Receiver.eq(Receiver::City))
                .filter(filing::Column::ReceivingRegion.eq(c.clone())),
            DataScope::Org(o) => sel.filter(filing::Column::ApplicantOrgId.eq(*o)),
            DataScope::Person(_) => sel.filter(filing::Column::Id.eq(-1)),
        };
        if let Some(s) = q.state {
            sel = sel.filter(filing::Column::State.eq(s));
        }
        if let Some(t) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            // By name, or by reference number (issue 9 item 16).
            sel = sel.filter(
                sea_orm::Condition::any()
                    .add(filing::Column::InstitutionName.contains(t))
                    .add(filing::Column::Reference.contains(t)),
            );
        }
        let rows = crate::fetch_page(self.reader(), sel, filing::Column::Id, true, page).await?;
        let mut projects = projects_of(self.reader(), rows.items.iter().map(|m| m.id).collect()).await?;
        Ok(rows.map(|m| {
            let p = projects.remove(&m.id).unwrap_or_default();
            summary(&m, p)
        }))
    }

    /// The filing page and its print: the detail and its materials after one scope check.
    pub async fn get_filing_with_materials(
        &self,
        p: &Principal,
        id: i64,
    ) -> StoreResult<(FilingDetail, Vec<crate::attachments::AttachmentView>)> {
        let d = self.get_filing(p, id).await?;
        Ok((d, self.filing_attachments(id).await?))
    }

    pub async fn get_filing(&self, p: &Principal, id: i64) -> StoreResult<FilingDetail> {
        let m = self.filing_in_scope(self.reader(), p, id).await?;
        let actions: Vec<FilingEventKind> = stations::allowed_event_kinds(m.state)
            .into_iter()
            .filter(|k| *k != FilingEventKind::CompleteEvaluation && acts_as(p, k.actor().office(m.receiver), &m))
            .collect();
        // Each member's named findings are for the province, the receiving center and the group; the
        // applicant reads the group's conclusion and the province's opinion only, which keeps experts
        // from pressure (issue 8 item 6).
        let findings = if acts_as(p, Office::Applicant, &m) {
            Vec::new()
        } else {
            filing_finding::Entity::find().filter(filing_finding::Column::FilingId.eq(id)).all(self.reader()).await?
        };
        let seal_open = self.filing_seal_open(&m).await?;
        // The members by name for the offices that read their findings; the applicant reads none
        // (issue 8 item 6).
        let group_ids = match m.draw_id {
            Some(d) if seal_open && !acts_as(p, Office::Applicant, &m) => self.draw_group(d).await?,
            _ => Vec::new(),
        };
        // Whoever reads the group reads its findings (loaded above): who signed needs no query.
        let signed: Vec<i64> = findings.iter().map(|f| f.expert_id).collect();
        let wanted: Vec<i64> = findings.iter().map(|f| f.expert_id).chain(group_ids.iter().copied()).collect();
        let names = crate::entity::expert::Entity::find()
            .filter(crate::entity::expert::Column::Id.is_in(wanted))
            .all(self.reader())
            .await?;
        let name_of = |id: i64| names.iter().find(|e| e.id == id).map(|e| e.name.clone()).unwrap_or_default();
        let group = group_ids
            .iter()
            .map(|&e| GroupMemberView { expert_id: e, name: name_of(e), signed: signed.contains(&e) })
            .collect();
        let findings = findings
            .into_iter()
            .map(|f| {
                Ok(FindingView {
                    expert_name: name_of(f.expert_id),
                    expert_id: f.expert_id,
                    conclusion: f.conclusion,
                    findings: serde_json::from_str(&f.findings)
                        .map_err(|e| StoreError::corrupt(format!("filing finding {}", f.id), e))?,
                    recorded_at: f.recorded_at,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let projects = projects_of(self.reader(), vec![id]).await?.remove(&id).unwrap_or_default();
        Ok(FilingDetail {
            application: application_of(&m)?,
            plan: plan_of(&m)?,
            draw_id: m.draw_id,
            seal_open,
            group,
            findings,
            group_conclusion: m.group_conclusion,
            province_opinion: m.province_opinion.clone(),
            actions,
            timeline: self.timeline(SubjectKind::Filing, &id.to_string()).await?,
            summary: summary(&m, projects),
        })
    }

    /// Demo data only (`kaohe serve --demo`, issue 9 item 6): a filing whose group is drawn is
    /// evaluated today — its plan's date, the filing's evaluation date and the due date of its open
    /// to-do move to today, so a newcomer can start the evaluation at once. The real procedure never
    /// moves a date: an earlier evaluation needs a new plan that meets the lead time (S3).
    pub async fn demo_evaluation_today(&self, id: i64) -> StoreResult<()> {
        let day = today();
        let m = filing::Entity::find_by_id(id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        if m.state != FilingState::GroupDrawn {
            return Err(StoreError::Conflict(FieldError::new(
                "",
                "FILING_NOT_DRAWN",
                "演示：该申请尚未抽取专家评议组",
            )));
        }
        let mut plan = plan_of(&m)?;
        if let Some(p) = plan.as_mut() {
            p.evaluation_date = day;
            p.submitted_on = p.submitted_on.min(day);
        }
        let txn = sea_orm::TransactionTrait::begin(&self.db).await?;
        let mut am = m.into_active_model();
        am.evaluation_date = Set(Some(day));
        am.plan = Set(plan.map(|p| serde_json::to_string(&p)).transpose()?);
        am.update(&txn).await?;
        crate::entity::workflow_event::Entity::update_many()
            .col_expr(crate::entity::workflow_event::Column::DueDate, sea_orm::sea_query::Expr::value(day))
            .filter(crate::entity::workflow_event::Column::SubjectKind.eq(SubjectKind::Filing))
            .filter(crate::entity::workflow_event::Column::SubjectId.eq(id.to_string()))
            .filter(crate::entity::workflow_event::Column::DoneAt.is_null())
            .exec(&txn)
            .await?;
        // The record says what happened, so the timeline does not contradict the plan card.
        let note = format!("演示数据：评估日期调整为今天（{day}），以便演示当日开始评估");
        crate::workflow::record(&txn, "demo", NewEvent::about(SubjectKind::Filing, id).comment(note)).await?;
        // No audit record here, so the lists' generation is bumped by hand.
        crate::cache::bump(&txn, &[Generation::Filings]).await?;
        txn.commit().await?;
        Ok(())
    }

    async fn filing_seal_open(&self, m: &filing::Model) -> StoreResult<bool> {
        match m.draw_id {
            Some(d) => {
                Ok(crate::entity::draw::Entity::find_by_id(d).one(self.reader()).await?.is_some_and(|d| d.seal_open))
            }
            None => Ok(false),
        }
    }
}
