//! E8–E10: the province's training courses. A course is opened (`training.course_created`), trainees
//! enrol with the registry's facts until it ends (`training.enrolled`), attendance and the result are
//! recorded once (`training.result_recorded`, claimed while the result is pending); a pass issues the
//! kind's card from the policy's template and enters the trainee in the registry — or renews their
//! record there (new card, validity from today, the course's projects added) — in the same step.

use super::steps::set_projects;
use super::{projects_of, registry_person};
use crate::audit::AuditDraft;
use crate::entity::{training_course, training_enrolment};
use crate::error::require;
use crate::policy::PolicyUsed;
use crate::{Ctx, Page, PageReq, Store, StoreError, StoreResult, now, today};
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::org::Principal;
use domain::registry::{PersonInput, PersonKind, PersonStatus, parse_person};
use domain::training::{CourseInput, TrainingResult, check_result, merged_projects, parse_course};
use domain::{FieldError, FieldErrors};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

#[derive(Debug, Clone)]
pub struct CourseView {
    pub id: i64,
    pub kind: PersonKind,
    pub title: String,
    pub start_date: time::Date,
    pub end_date: time::Date,
    pub location: String,
    pub projects: Vec<String>,
    pub created_at: time::OffsetDateTime,
}

#[derive(Debug, Clone)]
pub struct EnrolmentView {
    pub id: i64,
    pub name: String,
    pub id_number_masked: String,
    pub city_code: String,
    pub employer_name: String,
    pub attended: bool,
    pub result: TrainingResult,
    /// The registry record a pass entered or renewed.
    pub person_id: Option<i64>,
    pub card_number: Option<String>,
}

#[derive(Debug, Clone)]
pub struct CourseDetail {
    pub course: CourseView,
    pub enrolments: Vec<EnrolmentView>,
}

fn course_view(m: training_course::Model) -> CourseView {
    CourseView {
        projects: domain::registry::parse_project_codes(&m.projects).unwrap_or_default(),
        id: m.id,
        kind: m.kind,
        title: m.title,
        start_date: m.start_date,
        end_date: m.end_date,
        location: m.location,
        created_at: m.created_at,
    }
}

impl Store {
    /// Open a course (the province).
    pub async fn create_course(&self, p: &Principal, input: &CourseInput, ctx: &Ctx) -> StoreResult<i64> {
        require(p, Action::ManageRegistry)?;
        let course = parse_course(input)?;
        let step = self.step(p, ctx).await?;
        self.check_catalog(&*step, &course.projects).await?;
        let m = training_course::ActiveModel {
            kind: Set(course.kind),
            title: Set(course.title.clone()),
            start_date: Set(course.start_date),
            end_date: Set(course.end_date),
            location: Set(course.location.clone()),
            projects: Set(course.projects.join("、")),
            created_by: Set(p.username.clone()),
            created_at: Set(now()),
            ..Default::default()
        }
        .insert(&*step)
        .await?;
        step.audit(AuditDraft::new(
            AuditAction::TrainingCourseCreated,
            m.id,
            json!({ "kind": course.kind, "projects": course.projects, "end_date": course.end_date.to_string() }),
        ))
        .await?;
        step.commit().await?;
        Ok(m.id)
    }

    /// The courses, newest first (whoever reads the registry).
    /// The courses, newest first; `q`: title or place contains.
    pub async fn list_courses(&self, p: &Principal, q: Option<&str>, page: PageReq) -> StoreResult<Page<CourseView>> {
        require(p, Action::ListRegistry)?;
        let mut find = training_course::Entity::find();
        if let Some(t) = q.map(str::trim).filter(|t| !t.is_empty()) {
            find = find.filter(
                Condition::any()
                    .add(training_course::Column::Title.contains(t))
                    .add(training_course::Column::Location.contains(t)),
            );
        }
        let rows = crate::fetch_page(self.reader(), find, training_course::Column::Id, false, page).await?;
        Ok(rows.map(course_view))
    }

    pub async fn get_course(&self, p: &Principal, id: i64) -> StoreResult<CourseDetail> {
        require(p, Action::ListRegistry)?;
        let m = training_course::Entity::find_by_id(id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        let enrolments = training_enrolment::Entity::find()
            .filter(training_enrolment::Column::CourseId.eq(id))
            .order_by_asc(training_enrolment::Column::Id)
            .all(self.reader())
            .await?
            .into_iter()
            .map(|e| EnrolmentView {
                id: e.id,
                name: e.name,
                id_number_masked: e.id_number_masked,
                city_code: e.city_code,
                employer_name: e.employer_name,
                attended: e.attended,
                result: e.result,
                person_id: e.person_id,
                card_number: e.card_number,
            })
            .collect();
        Ok(CourseDetail { course: course_view(m), enrolments })
    }

    /// Enrol a trainee with the registry's facts (card fields ignored; an assessor course's projects are
    /// the course's), until the course ends; an ID number once per course.
    pub async fn enrol(&self, p: &Principal, course_id: i64, input: &PersonInput, ctx: &Ctx) -> StoreResult<i64> {
        require(p, Action::ManageRegistry)?;
        let course =
            training_course::Entity::find_by_id(course_id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        if today() > course.end_date {
            return Err(StoreError::Conflict(FieldError::new("course", "COURSE_ENDED", "培训班已结业，不能再报名")));
        }
        let input = PersonInput {
            kind: course.kind.id().to_owned(),
            projects: course.projects.clone(),
            card_number: String::new(),
            card_valid_until: String::new(),
            ..input.clone()
        };
        let mut person = parse_person(&input)?;
        let step = self.step(p, ctx).await?;
        if let Some(org) = person.employer_org_id {
            let name = super::org_name(&*step, org, "employer_org_id").await?;
            person.employer = domain::registry::EmployerName::parse("employer_org_id", &name).ok();
        }
        let sealed = self.seal_id(&person.id_number)?;
        let taken = training_enrolment::Entity::find()
            .filter(training_enrolment::Column::CourseId.eq(course_id))
            .filter(training_enrolment::Column::IdNumberIdx.eq(&sealed.idx))
            .one(&*step)
            .await?;
        if taken.is_some() {
            return Err(FieldError::new("id_number", "ALREADY_ENROLLED", "该身份证号码已报名本培训班").into());
        }
        let at = now();
        let m = training_enrolment::ActiveModel {
            course_id: Set(course_id),
            name: Set(person.name.as_str().to_owned()),
            id_number_enc: Set(sealed.enc),
            id_number_idx: Set(sealed.idx),
            id_number_masked: Set(sealed.masked),
            phone: Set(person.phone.as_str().to_owned()),
            city_code: Set(person.city.as_str().to_owned()),
            employer_name: Set(person.employer.as_ref().map(|e| e.as_str().to_owned()).unwrap_or_default()),
            employer_org_id: Set(person.employer_org_id),
            attended: Set(false),
            result: Set(TrainingResult::Pending),
            person_id: Set(None),
            card_number: Set(None),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        }
        .insert(&*step)
        .await?;
        step.audit(AuditDraft::new(AuditAction::TrainingEnrolled, course_id, json!({ "enrolment": m.id }))).await?;
        step.commit().await?;
        Ok(m.id)
    }

    /// Record a trainee's attendance and result (once: claimed while pending). A pass issues the card
    /// and enters or renews the registry record in the same step; answers the card number.
    pub async fn record_training_result(
        &self,
        p: &Principal,
        course_id: i64,
        enrolment_id: i64,
        attended: bool,
        result: TrainingResult,
        ctx: &Ctx,
    ) -> StoreResult<Option<String>> {
        require(p, Action::ManageRegistry)?;
        let course =
            training_course::Entity::find_by_id(course_id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        let e = training_enrolment::Entity::find_by_id(enrolment_id)
            .one(self.reader())
            .await?
            .filter(|e| e.course_id == course_id)
            .ok_or(StoreError::NotFound)?;
        check_result(course.end_date, today(), attended, result)?;
        let mut used = PolicyUsed::default();
        let card = self.card_policy(course.kind, &mut used).await?;
        let step = self.step(p, ctx).await?;
        let moved_on = || StoreError::Conflict(FieldError::new("result", "RESULT_RECORDED", "该学员的培训结果已登记"));
        step.claim::<training_enrolment::Entity, _>(
            training_enrolment::Column::Id,
            enrolment_id,
            training_enrolment::Column::Result,
            TrainingResult::Pending,
            training_enrolment::Column::UpdatedAt,
            moved_on,
        )
        .await?;
        let mut issued: Option<(i64, String)> = None;
        if result == TrainingResult::Passed {
            let existing = registry_person::Entity::find()
                .filter(registry_person::Column::Kind.eq(course.kind))
                .filter(registry_person::Column::IdNumberIdx.eq(&e.id_number_idx))
                .one(&*step)
                .await?;
            let projects = domain::registry::parse_project_codes(&course.projects).unwrap_or_default();
            issued = Some(match existing {
                Some(old) => self.renew_card(&step, old, &projects, &card).await?,
                None => {
                    let input = PersonInput {
                        kind: course.kind.id().to_owned(),
                        name: e.name.clone(),
                        id_number: self.open_id(&e.id_number_enc)?,
                        phone: e.phone.clone(),
                        city_code: e.city_code.clone(),
                        employer_name: e.employer_name.clone(),
                        employer_org_id: e.employer_org_id,
                        projects: course.projects.clone(),
                        ..Default::default()
                    };
                    let mut person = parse_person(&input)?;
                    let errs = self.check_person(&*step, &mut person, None).await?;
                    if !errs.is_empty() {
                        return Err(StoreError::Invalid(FieldErrors(errs)));
                    }
                    let id = self.insert_person(&step, &person, &card).await?;
                    let m = registry_person::Entity::find_by_id(id).one(&*step).await?.ok_or(StoreError::NotFound)?;
                    (id, m.card_number)
                }
            });
        }
        training_enrolment::Entity::update_many()
            .col_expr(training_enrolment::Column::Attended, Expr::value(attended))
            .col_expr(training_enrolment::Column::Result, Expr::value(result))
            .col_expr(training_enrolment::Column::PersonId, Expr::value(issued.as_ref().map(|(id, _)| *id)))
            .col_expr(training_enrolment::Column::CardNumber, Expr::value(issued.as_ref().map(|(_, c)| c.clone())))
            .filter(training_enrolment::Column::Id.eq(enrolment_id))
            .exec(&*step)
            .await?;
        step.audit(AuditDraft::new(
            AuditAction::TrainingResultRecorded,
            course_id,
            json!({ "enrolment": enrolment_id, "attended": attended, "result": result,
                "person": issued.as_ref().map(|(id, _)| *id), "card": issued.as_ref().map(|(_, c)| c), "policy": used.to_json() }),
        ))
        .await?;
        step.commit().await?;
        Ok(issued.map(|(_, c)| c))
    }

    /// A new card for a registered person who passed again: numbered from the template, valid from
    /// today, the course's projects added. A revoked person is not renewed.
    async fn renew_card(
        &self,
        step: &crate::step::Step<'_>,
        old: registry_person::Model,
        projects: &[String],
        card: &super::steps::CardPolicy,
    ) -> StoreResult<(i64, String)> {
        if old.status == PersonStatus::Revoked {
            return Err(StoreError::Conflict(FieldError::new(
                "result",
                "PERSON_REVOKED",
                format!("{}“{}”已注销，不能换发证书", old.kind.label(), old.name),
            )));
        }
        let city = domain::ids::RegionCode::parse(&old.city_code)
            .map_err(|e| StoreError::corrupt(format!("registry person {} city", old.id), e.detail))?;
        let number = self.next_card_number(step, old.kind, &city, card).await?;
        let held = projects_of(&**step, vec![old.id]).await?.remove(&old.id).unwrap_or_default();
        let id = old.id;
        let mut am: registry_person::ActiveModel = old.into();
        am.card_number = Set(number.clone());
        am.card_valid_until = Set(card.valid_until_from(today()));
        am.updated_at = Set(now());
        am.update(&**step).await?;
        set_projects(&**step, id, &merged_projects(&held, projects)).await?;
        Ok((id, number))
    }
}
