//! E8–E10: the registries of assessors (考评员), supervisors (督导员) and trainers (培训师). The
//! province's staff keep them (`registry.manage`); the province and the city centers read them
//! (`registry.list`; a city center sees the people of its city, others are not found); a linked
//! assessor or supervisor reads their own record and declares relatives (`registry.view_own`).
//!
//! ID numbers are sealed as the expert committee's are (`crate::people`); employers are kept once by
//! their normalised name (`registry_employers`, see `domain::registry` for how the panel uses their
//! ids); every change is a `Step` with its audit record. Reads: this file; changes: [`steps`];
//! the spreadsheet import: [`import`].

mod import;
mod steps;
mod training;

use crate::entity::{org, project, registry_employer, registry_employment, registry_person, registry_project};
use crate::entity::{registry_relative, user};
use crate::error::require;
use crate::{Page, PageReq, Store, StoreError, StoreResult};
use domain::authz::Action;
use domain::ids::RegionCode;
use domain::org::{DataScope, Principal};
use domain::registry::{Kinship, PersonKind, PersonStatus, RegisteredPerson};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use std::collections::HashMap;

pub use domain::registry::PersonInput;
pub use steps::RelativeInput;
pub use training::{CourseDetail, CourseView, EnrolmentView};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PersonQuery {
    /// Name or card number contains.
    pub q: Option<String>,
    pub kind: Option<PersonKind>,
    pub city: Option<String>,
    /// A catalog project code the assessor is qualified for.
    pub project: Option<String>,
    pub status: Option<PersonStatus>,
}

#[derive(Debug, Clone)]
pub struct PersonView {
    pub id: i64,
    pub kind: PersonKind,
    pub name: String,
    pub id_number_masked: String,
    /// The ID number's address code is in no GB/T 2260 table: a warning for staff.
    pub id_number_unknown_county: bool,
    pub phone: String,
    pub city_code: String,
    pub city_name: String,
    pub employer_id: Option<i64>,
    pub employer_name: String,
    pub employer_org_id: Option<i64>,
    pub card_number: String,
    pub card_valid_until: time::Date,
    /// The card's last valid day is before today.
    pub card_expired: bool,
    pub projects: Vec<String>,
    pub status: PersonStatus,
    pub status_reason: String,
    /// The linked own account's user name.
    pub account: Option<String>,
    pub note: String,
    pub created_at: time::OffsetDateTime,
}

#[derive(Debug, Clone)]
pub struct RelativeView {
    pub name: String,
    pub id_number_masked: String,
    pub relation: Kinship,
    /// Declared by the person from their own account (otherwise recorded by staff).
    pub self_declared: bool,
    pub declared_at: time::OffsetDateTime,
}

#[derive(Debug, Clone)]
pub struct PastEmploymentView {
    pub employer_name: String,
    /// The last day employed there.
    pub until: time::Date,
}

#[derive(Debug, Clone)]
pub struct PersonDetail {
    pub person: PersonView,
    /// The qualified projects as (code, name); a code no longer in the catalog has an empty name.
    pub project_names: Vec<(String, String)>,
    pub relatives: Vec<RelativeView>,
    pub past_employers: Vec<PastEmploymentView>,
    /// E8: the panels the person sat on (E4), the latest exam first.
    pub service: Vec<crate::grading::ServiceLine>,
}

/// The city a principal's registry reads are limited to: `None` — the whole province; `Some(None)` —
/// nothing (no registry scope).
fn scope_city(p: &Principal) -> Option<Option<&str>> {
    match &p.scope {
        DataScope::Province => None,
        DataScope::City(c) => Some(Some(c.as_str())),
        DataScope::Org(_) | DataScope::Person(_) => Some(None),
    }
}

/// The projects of the people in `ids`, in their order (one query).
async fn projects_of<C: ConnectionTrait>(conn: &C, ids: Vec<i64>) -> StoreResult<HashMap<i64, Vec<String>>> {
    crate::lists::read::<registry_project::Entity, _>(
        conn,
        registry_project::Column::PersonId,
        registry_project::Column::Position,
        Some(ids),
        |r| (r.person_id, r.name),
    )
    .await
}

impl Store {
    /// The views of `rows`: projects, employers and accounts in one query each.
    async fn person_views(&self, rows: Vec<registry_person::Model>) -> StoreResult<Vec<PersonView>> {
        let conn = self.reader();
        let ids: Vec<i64> = rows.iter().map(|m| m.id).collect();
        let mut projects = projects_of(conn, ids).await?;
        let employer_ids: Vec<i64> = rows.iter().filter_map(|m| m.employer_id).collect();
        let employers: HashMap<i64, registry_employer::Model> = registry_employer::Entity::find()
            .filter(registry_employer::Column::Id.is_in(employer_ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|e| (e.id, e))
            .collect();
        let user_ids: Vec<i64> = rows.iter().filter_map(|m| m.user_id).collect();
        let accounts: HashMap<i64, String> = user::Entity::find()
            .filter(user::Column::Id.is_in(user_ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|u| (u.id, u.username))
            .collect();
        let today = crate::today();
        let mut out = Vec::with_capacity(rows.len());
        for m in rows {
            let employer = m.employer_id.and_then(|id| employers.get(&id));
            out.push(PersonView {
                id_number_unknown_county: self.sealed_id_unknown_county(&m.id_number_enc)?,
                city_name: RegionCode::parse(&m.city_code).ok().and_then(|c| c.city_name()).unwrap_or("").to_owned(),
                employer_name: employer.map(|e| e.name.clone()).unwrap_or_default(),
                employer_org_id: employer.and_then(|e| e.org_id),
                projects: projects.remove(&m.id).unwrap_or_default(),
                account: m.user_id.and_then(|u| accounts.get(&u).cloned()),
                card_expired: m.card_valid_until < today,
                id: m.id,
                kind: m.kind,
                name: m.name,
                id_number_masked: m.id_number_masked,
                phone: m.phone,
                city_code: m.city_code,
                employer_id: m.employer_id,
                card_number: m.card_number,
                card_valid_until: m.card_valid_until,
                status: m.status,
                status_reason: m.status_reason,
                note: m.note,
                created_at: m.created_at,
            });
        }
        Ok(out)
    }

    /// E8–E10: the registry, searched and paged, within the caller's scope.
    pub async fn list_registry(&self, p: &Principal, q: &PersonQuery, page: PageReq) -> StoreResult<Page<PersonView>> {
        require(p, Action::ListRegistry)?;
        let mut sel = registry_person::Entity::find();
        match scope_city(p) {
            None => {}
            Some(Some(city)) => sel = sel.filter(registry_person::Column::CityCode.eq(city)),
            Some(None) => sel = sel.filter(registry_person::Column::Id.eq(-1)),
        }
        if let Some(t) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            sel = sel.filter(
                Condition::any()
                    .add(registry_person::Column::Name.contains(t))
                    .add(registry_person::Column::CardNumber.contains(t.to_ascii_uppercase())),
            );
        }
        if let Some(k) = q.kind {
            sel = sel.filter(registry_person::Column::Kind.eq(k));
        }
        if let Some(c) = q.city.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            sel = sel.filter(registry_person::Column::CityCode.eq(c));
        }
        if let Some(code) = q.project.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            sel = sel.filter(
                registry_person::Column::Id.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(registry_project::Column::PersonId)
                        .from(registry_project::Entity)
                        .and_where(registry_project::Column::Name.eq(code))
                        .to_owned(),
                ),
            );
        }
        if let Some(s) = q.status {
            sel = sel.filter(registry_person::Column::Status.eq(s));
        }
        let rows = crate::fetch_page(self.reader(), sel, registry_person::Column::Id, false, page).await?;
        let items = self.person_views(rows.items).await?;
        Ok(Page { items, total: rows.total, page: rows.page, per_page: rows.per_page })
    }

    /// One registered person with projects, relatives and former employers (out of scope: not found).
    pub async fn get_registered(&self, p: &Principal, id: i64) -> StoreResult<PersonDetail> {
        require(p, Action::ListRegistry)?;
        let m = registry_person::Entity::find_by_id(id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        match scope_city(p) {
            None => {}
            Some(Some(city)) if city == m.city_code => {}
            Some(_) => return Err(StoreError::NotFound),
        }
        self.person_detail(m).await
    }

    /// The caller's own record (E8, E9: 本人登记信息); not found when no record is linked to the account.
    pub async fn own_registry_record(&self, p: &Principal) -> StoreResult<PersonDetail> {
        require(p, Action::ViewOwnRegistry)?;
        let m = self.own_person(p).await?;
        self.person_detail(m).await
    }

    pub(crate) async fn own_person(&self, p: &Principal) -> StoreResult<registry_person::Model> {
        registry_person::Entity::find()
            .filter(registry_person::Column::UserId.eq(p.user_id))
            .one(self.reader())
            .await?
            .ok_or(StoreError::NotFound)
    }

    async fn person_detail(&self, m: registry_person::Model) -> StoreResult<PersonDetail> {
        let conn = self.reader();
        let id = m.id;
        let person = self.person_views(vec![m]).await?.remove(0);
        let names: HashMap<String, String> = project::Entity::find()
            .filter(project::Column::Code.is_in(person.projects.clone()))
            .all(conn)
            .await?
            .into_iter()
            .filter_map(|p| Some((p.code?, p.name)))
            .collect();
        let project_names =
            person.projects.iter().map(|c| (c.clone(), names.get(c).cloned().unwrap_or_default())).collect();
        let relatives = registry_relative::Entity::find()
            .filter(registry_relative::Column::PersonId.eq(id))
            .order_by_asc(registry_relative::Column::Id)
            .all(conn)
            .await?
            .into_iter()
            .map(|r| RelativeView {
                name: r.relative_name,
                id_number_masked: r.relative_masked,
                relation: r.relation,
                self_declared: r.self_declared,
                declared_at: r.declared_at,
            })
            .collect();
        let past = registry_employment::Entity::find()
            .filter(registry_employment::Column::PersonId.eq(id))
            .order_by_desc(registry_employment::Column::Until)
            .all(conn)
            .await?;
        let employers: HashMap<i64, String> = registry_employer::Entity::find()
            .filter(registry_employer::Column::Id.is_in(past.iter().map(|e| e.employer_id).collect::<Vec<_>>()))
            .all(conn)
            .await?
            .into_iter()
            .map(|e| (e.id, e.name))
            .collect();
        let past_employers = past
            .into_iter()
            .map(|e| PastEmploymentView {
                employer_name: employers.get(&e.employer_id).cloned().unwrap_or_default(),
                until: e.until,
            })
            .collect();
        let service = self.service_of(id).await?;
        Ok(PersonDetail { person, project_names, relatives, past_employers, service })
    }

    /// E4: the registered people of `kind` as the panel rules read them (every status: the rules refuse
    /// the inactive with a reason). For the panel step, which has checked its own action.
    pub async fn registered_for_panel(&self, kind: PersonKind) -> StoreResult<Vec<RegisteredPerson>> {
        let conn = self.reader();
        let rows = registry_person::Entity::find()
            .filter(registry_person::Column::Kind.eq(kind))
            .order_by_asc(registry_person::Column::Id)
            .all(conn)
            .await?;
        let ids: Vec<i64> = rows.iter().map(|m| m.id).collect();
        let mut projects = projects_of(conn, ids.clone()).await?;
        let mut past: HashMap<i64, Vec<i64>> = HashMap::new();
        for e in registry_employment::Entity::find()
            .filter(registry_employment::Column::PersonId.is_in(ids.clone()))
            .all(conn)
            .await?
        {
            past.entry(e.person_id).or_default().push(e.employer_id);
        }
        let mut relatives: HashMap<i64, Vec<String>> = HashMap::new();
        for r in
            registry_relative::Entity::find().filter(registry_relative::Column::PersonId.is_in(ids)).all(conn).await?
        {
            relatives.entry(r.person_id).or_default().push(r.relative_idx);
        }
        Ok(rows
            .into_iter()
            .map(|m| RegisteredPerson {
                person_id: m.id,
                kind: m.kind,
                name: m.name,
                status: m.status,
                card_valid_until: m.card_valid_until,
                projects: projects.remove(&m.id).unwrap_or_default(),
                city: m.city_code,
                employer: m.employer_id,
                past_employers: past.remove(&m.id).unwrap_or_default(),
                relatives: relatives.remove(&m.id).unwrap_or_default(),
                key: m.id_number_idx,
            })
            .collect())
    }

    /// The employer key (`registry_employers` id) of an organisation, when anyone registered works or
    /// worked there (E4: the station, a candidate's employer).
    pub async fn employer_key_of_org(&self, org_id: i64) -> StoreResult<Option<i64>> {
        let found = registry_employer::Entity::find()
            .filter(registry_employer::Column::OrgId.eq(org_id))
            .one(self.reader())
            .await?;
        Ok(found.map(|e| e.id))
    }

    /// The employer key of an employer typed by name (normalised the registry's way).
    pub async fn employer_key_of_name(&self, name: &str) -> StoreResult<Option<i64>> {
        let key = domain::text::normalise_name(name);
        let found = registry_employer::Entity::find()
            .filter(registry_employer::Column::Name.eq(key))
            .one(self.reader())
            .await?;
        Ok(found.map(|e| e.id))
    }
}

/// The employer key of `name` (an organisation's when `org_id`), made on first use, inside the caller's
/// transaction. An organisation's own name wins over a typed one.
pub(crate) async fn employer_key<C: ConnectionTrait>(conn: &C, name: &str, org_id: Option<i64>) -> StoreResult<i64> {
    use sea_orm::{ActiveModelTrait, Set};
    if let Some(org) = org_id
        && let Some(e) =
            registry_employer::Entity::find().filter(registry_employer::Column::OrgId.eq(org)).one(conn).await?
    {
        return Ok(e.id);
    }
    let key = domain::text::normalise_name(name);
    if let Some(e) =
        registry_employer::Entity::find().filter(registry_employer::Column::Name.eq(&key)).one(conn).await?
    {
        if e.org_id.is_none() && org_id.is_some() {
            let mut am: registry_employer::ActiveModel = e.clone().into();
            am.org_id = Set(org_id);
            am.update(conn).await?;
        }
        return Ok(e.id);
    }
    let m = registry_employer::ActiveModel {
        name: Set(key),
        org_id: Set(org_id),
        created_at: Set(crate::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(m.id)
}

/// The name of organisation `id`, or a field error naming `field`.
pub(crate) async fn org_name<C: ConnectionTrait>(conn: &C, id: i64, field: &str) -> StoreResult<String> {
    match org::Entity::find_by_id(id).one(conn).await? {
        Some(o) => Ok(o.name),
        None => Err(domain::FieldError::new(field, "ORG_NOT_FOUND", "工作单位不在机构库中").into()),
    }
}
