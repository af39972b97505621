//! E8–E10: every change of the registries as a `Step` with its audit record — register, edit, change
//! the standing (suspend, reactivate, revoke, each with a reason), declare a relative (staff, or the
//! person from their own account), add a former employer, link the own account.

use super::{employer_key, org_name, registry_employment, registry_person, registry_project, registry_relative};
use crate::audit::AuditDraft;
use crate::entity::{project, user, user_role};
use crate::error::require;
use crate::policy::PolicyUsed;
use crate::step::Step;
use crate::{Ctx, Store, StoreError, StoreResult, now, today};
use domain::FieldError;
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::ids::{IdNumber, PersonName, Username};
use domain::org::Principal;
use domain::registry::{Kinship, Person, PersonInput, PersonKind, PersonStatus, StatusChange, parse_person};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

/// What the policy gives a new card: the kind's number template and the years it is valid.
pub(super) struct CardPolicy {
    template: String,
    years: i64,
}

impl CardPolicy {
    /// The last valid day of a card issued on `issued`.
    pub(super) fn valid_until_from(&self, issued: time::Date) -> time::Date {
        domain::registry::valid_until(issued, u32::try_from(self.years).unwrap_or(1))
    }
}

impl Store {
    /// The catalog's projects among `codes`: an error naming those not in it (field `projects`).
    pub(super) async fn check_catalog<C: ConnectionTrait>(&self, conn: &C, codes: &[String]) -> StoreResult<()> {
        if codes.is_empty() {
            return Ok(());
        }
        let found: Vec<String> = project::Entity::find()
            .filter(project::Column::Code.is_in(codes.to_vec()))
            .filter(project::Column::State.is_in(domain::projects::public_states()))
            .all(conn)
            .await?
            .into_iter()
            .filter_map(|p| p.code)
            .collect();
        let missing: Vec<&str> = codes.iter().filter(|c| !found.contains(c)).map(String::as_str).collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(FieldError::new(
                "projects",
                "PROJECT_NOT_IN_CATALOG",
                format!("考核项目代码 {} 不在考核项目目录中", missing.join("、")),
            )
            .into())
        }
    }

    /// The next card number of `kind` for a holder in `city`, from the policy's template and the
    /// gap-free serial `card:<kind>` (a number typed earlier by staff that collides: 409).
    pub(super) async fn next_card_number(
        &self,
        step: &Step<'_>,
        kind: PersonKind,
        city: &domain::ids::RegionCode,
        card: &CardPolicy,
    ) -> StoreResult<String> {
        let serial = crate::serials::next_serial(&**step, &format!("card:{kind}"), 0).await?;
        let serial = u64::try_from(serial).map_err(|e| StoreError::corrupt("serial card", e))?;
        let n = domain::registry::card_number(&card.template, kind, city, today().year(), serial)?;
        let taken = registry_person::Entity::find()
            .filter(registry_person::Column::Kind.eq(kind))
            .filter(registry_person::Column::CardNumber.eq(&n))
            .one(&**step)
            .await?;
        if taken.is_some() {
            return Err(StoreError::Conflict(FieldError::new(
                "card_number",
                "CARD_NUMBER_TAKEN",
                format!("按编号规则生成的{}编号 {n} 已被使用，请手工填写编号", kind.card_label()),
            )));
        }
        Ok(n)
    }

    pub(super) async fn card_policy(&self, kind: PersonKind, used: &mut PolicyUsed) -> StoreResult<CardPolicy> {
        let template = self.policy_parsed::<String>(kind.template_key(), today(), used).await?;
        let years = self.policy_parsed::<i64>(domain::policy::keys::CARD_VALIDITY_YEARS, today(), used).await?;
        Ok(CardPolicy { template, years })
    }

    /// The checks a parsed person needs against the database (inside the step): the employer's
    /// organisation, the catalog, one person per kind and ID number, one card per kind and number. Every
    /// problem at once, each naming its field.
    pub(super) async fn check_person<C: ConnectionTrait>(
        &self,
        conn: &C,
        person: &mut Person,
        except: Option<i64>,
    ) -> StoreResult<Vec<FieldError>> {
        let mut errs = Vec::new();
        if let Some(org) = person.employer_org_id {
            match org_name(conn, org, "employer_org_id").await {
                Ok(name) => person.employer = domain::registry::EmployerName::parse("employer_org_id", &name).ok(),
                Err(StoreError::Invalid(e)) => errs.extend(e.0),
                Err(e) => return Err(e),
            }
        }
        if let Err(StoreError::Invalid(e)) = self.check_catalog(conn, &person.projects).await {
            errs.extend(e.0);
        }
        let mut same = registry_person::Entity::find().filter(registry_person::Column::Kind.eq(person.kind));
        if let Some(id) = except {
            same = same.filter(registry_person::Column::Id.ne(id));
        }
        let idx = self.id_index(&person.id_number);
        if same.clone().filter(registry_person::Column::IdNumberIdx.eq(idx)).one(conn).await?.is_some() {
            errs.push(FieldError::new(
                "id_number",
                "PERSON_EXISTS",
                format!("该身份证号码的{}已在库中", person.kind.label()),
            ));
        }
        if let Some(card) = &person.card_number
            && same.filter(registry_person::Column::CardNumber.eq(card)).one(conn).await?.is_some()
        {
            errs.push(FieldError::new(
                "card_number",
                "CARD_NUMBER_TAKEN",
                format!("{}编号 {card} 已被他人使用", person.kind.card_label()),
            ));
        }
        Ok(errs)
    }

    /// Write a checked new person: the card numbered from the policy's template when none was typed.
    pub(super) async fn insert_person(&self, step: &Step<'_>, person: &Person, card: &CardPolicy) -> StoreResult<i64> {
        let at = now();
        let card_number = match &person.card_number {
            Some(n) => n.clone(),
            None => self.next_card_number(step, person.kind, &person.city, card).await?,
        };
        let id = self.seal_id(&person.id_number)?;
        let employer_id = match &person.employer {
            Some(e) => Some(employer_key(&**step, e.as_str(), person.employer_org_id).await?),
            None => None,
        };
        let m = registry_person::ActiveModel {
            kind: Set(person.kind),
            name: Set(person.name.as_str().to_owned()),
            id_number_enc: Set(id.enc),
            id_number_idx: Set(id.idx),
            id_number_masked: Set(id.masked),
            phone: Set(person.phone.as_str().to_owned()),
            city_code: Set(person.city.as_str().to_owned()),
            employer_id: Set(employer_id),
            card_number: Set(card_number),
            card_valid_until: Set(person.card_valid_until.unwrap_or_else(|| card.valid_until_from(today()))),
            status: Set(PersonStatus::Active),
            status_reason: Set(String::new()),
            user_id: Set(None),
            note: Set(person.note.clone()),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        }
        .insert(&**step)
        .await?;
        set_projects(&**step, m.id, &person.projects).await?;
        Ok(m.id)
    }

    /// E8–E10: register a person (card from the policy's template when none is typed).
    pub async fn create_registered(&self, p: &Principal, input: &PersonInput, ctx: &Ctx) -> StoreResult<i64> {
        require(p, Action::ManageRegistry)?;
        let mut person = parse_person(input)?;
        let mut used = PolicyUsed::default();
        let card = self.card_policy(person.kind, &mut used).await?;
        let step = self.step(p, ctx).await?;
        let errs = self.check_person(&*step, &mut person, None).await?;
        if !errs.is_empty() {
            return Err(StoreError::Invalid(domain::FieldErrors(errs)));
        }
        let id = self.insert_person(&step, &person, &card).await?;
        step.audit(AuditDraft::new(
            AuditAction::RegistryPersonCreated,
            id,
            json!({ "kind": person.kind, "city": person.city.as_str(), "projects": person.projects, "policy": used.to_json() }),
        ))
        .await?;
        step.commit().await?;
        Ok(id)
    }

    /// Replace a person's facts (a blank ID number keeps the stored one; the kind and status stay). A
    /// changed employer moves the old one to the former employers, until today.
    pub async fn update_registered(&self, p: &Principal, id: i64, input: &PersonInput, ctx: &Ctx) -> StoreResult<()> {
        require(p, Action::ManageRegistry)?;
        let old = registry_person::Entity::find_by_id(id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        let mut input = input.clone();
        input.kind = old.kind.id().to_owned();
        if input.id_number.trim().is_empty() {
            input.id_number = self.open_id(&old.id_number_enc)?;
        }
        let mut person = parse_person(&input)?;
        let step = self.step(p, ctx).await?;
        let errs = self.check_person(&*step, &mut person, Some(id)).await?;
        if !errs.is_empty() {
            return Err(StoreError::Invalid(domain::FieldErrors(errs)));
        }
        let employer_id = match &person.employer {
            Some(e) => Some(employer_key(&*step, e.as_str(), person.employer_org_id).await?),
            None => None,
        };
        if let Some(before) = old.employer_id
            && employer_id != Some(before)
        {
            add_employment(&*step, id, before, today()).await?;
        }
        let sealed = self.seal_id(&person.id_number)?;
        let mut am: registry_person::ActiveModel = old.clone().into();
        am.name = Set(person.name.as_str().to_owned());
        am.id_number_enc = Set(sealed.enc);
        am.id_number_idx = Set(sealed.idx);
        am.id_number_masked = Set(sealed.masked);
        am.phone = Set(person.phone.as_str().to_owned());
        am.city_code = Set(person.city.as_str().to_owned());
        am.employer_id = Set(employer_id);
        if let Some(card) = &person.card_number {
            am.card_number = Set(card.clone());
        }
        if let Some(until) = person.card_valid_until {
            am.card_valid_until = Set(until);
        }
        am.note = Set(person.note.clone());
        am.updated_at = Set(now());
        am.update(&*step).await?;
        set_projects(&*step, id, &person.projects).await?;
        step.audit(AuditDraft::new(
            AuditAction::RegistryPersonUpdated,
            id,
            json!({ "city_before": old.city_code, "city": person.city.as_str(), "employer_changed": employer_id != old.employer_id, "projects": person.projects }),
        ))
        .await?;
        step.commit().await
    }

    /// Suspend, reactivate or revoke, with a reason (revocation is final). Two changes at once: the
    /// second finds the standing moved on (409).
    pub async fn change_registered_status(
        &self,
        p: &Principal,
        id: i64,
        change: StatusChange,
        reason: &str,
        ctx: &Ctx,
    ) -> StoreResult<PersonStatus> {
        require(p, Action::ManageRegistry)?;
        let old = registry_person::Entity::find_by_id(id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        let reason = domain::registry::parse_reason(reason)?;
        let to = domain::registry::change_status(old.status, change).map_err(StoreError::Conflict)?;
        let step = self.step(p, ctx).await?;
        let moved_on = || {
            StoreError::Conflict(FieldError::new("change", "STATUS_MOVED_ON", "该人员的状态已被他人变更，请刷新后重试"))
        };
        step.claim::<registry_person::Entity, _>(
            registry_person::Column::Id,
            id,
            registry_person::Column::Status,
            old.status,
            registry_person::Column::UpdatedAt,
            moved_on,
        )
        .await?;
        registry_person::Entity::update_many()
            .col_expr(registry_person::Column::Status, sea_orm::sea_query::Expr::value(to))
            .col_expr(registry_person::Column::StatusReason, sea_orm::sea_query::Expr::value(reason.clone()))
            .filter(registry_person::Column::Id.eq(id))
            .exec(&*step)
            .await?;
        step.audit(AuditDraft::new(
            AuditAction::RegistryStatusChanged,
            id,
            json!({ "from": old.status, "to": to, "change": change, "reason": reason }),
        ))
        .await?;
        step.commit().await?;
        Ok(to)
    }

    /// Declare a relative (E4 recusal): staff for anyone in the registry, or an assessor or supervisor for
    /// themselves (`person_id` `None`). The relative's ID number is kept only as its blind index and
    /// masked form; once per person and relative.
    pub async fn declare_relative(
        &self,
        p: &Principal,
        person_id: Option<i64>,
        relative: &RelativeInput,
        ctx: &Ctx,
    ) -> StoreResult<()> {
        let (person, self_declared) = match person_id {
            Some(id) => {
                require(p, Action::ManageRegistry)?;
                (registry_person::Entity::find_by_id(id).one(self.reader()).await?.ok_or(StoreError::NotFound)?, false)
            }
            None => {
                require(p, Action::ViewOwnRegistry)?;
                (self.own_person(p).await?, true)
            }
        };
        let mut errs = domain::FieldErrors::new();
        let name = errs.take(PersonName::parse(&relative.name).map_err(|e| e.for_field("relative_name")));
        let id_number = errs.take(IdNumber::parse(&relative.id_number).map_err(|e| e.for_field("relative_id_number")));
        let kin = errs.take(
            Kinship::parse(relative.relation.trim())
                .ok_or_else(|| FieldError::new("relation", "RELATION_INVALID", "请选择亲属关系")),
        );
        let (Some(name), Some(id_number), Some(kin)) = (name, id_number, kin) else {
            return Err(errs.into());
        };
        let idx = self.id_index(&id_number);
        if idx == person.id_number_idx {
            return Err(FieldError::new("relative_id_number", "RELATIVE_IS_SELF", "不能申报本人为亲属").into());
        }
        let step = self.step(p, ctx).await?;
        let exists = registry_relative::Entity::find()
            .filter(registry_relative::Column::PersonId.eq(person.id))
            .filter(registry_relative::Column::RelativeIdx.eq(&idx))
            .one(&*step)
            .await?;
        if exists.is_some() {
            return Err(FieldError::new("relative_id_number", "RELATIVE_EXISTS", "已申报过该亲属").into());
        }
        registry_relative::ActiveModel {
            person_id: Set(person.id),
            relative_idx: Set(idx),
            relative_masked: Set(id_number.masked()),
            relative_name: Set(name.as_str().to_owned()),
            relation: Set(kin),
            self_declared: Set(self_declared),
            declared_at: Set(now()),
            ..Default::default()
        }
        .insert(&*step)
        .await?;
        step.audit(AuditDraft::new(
            AuditAction::RegistryRelativeDeclared,
            person.id,
            json!({ "relation": kin, "self_declared": self_declared }),
        ))
        .await?;
        step.commit().await
    }

    /// Record a former employer (E4 recusal: worked for the station or a candidate's employer).
    pub async fn add_registered_employment(
        &self,
        p: &Principal,
        person_id: i64,
        employer_name: &str,
        org_id: Option<i64>,
        until: time::Date,
        ctx: &Ctx,
    ) -> StoreResult<()> {
        require(p, Action::ManageRegistry)?;
        if until > today() {
            return Err(FieldError::new("until", "DATE_IN_FUTURE", "离职日期不能晚于今天").into());
        }
        let step = self.step(p, ctx).await?;
        registry_person::Entity::find_by_id(person_id).one(&*step).await?.ok_or(StoreError::NotFound)?;
        let name = match org_id {
            Some(org) => org_name(&*step, org, "employment_org_id").await?,
            None => domain::registry::EmployerName::parse("employment_name", employer_name)?.as_str().to_owned(),
        };
        let employer = employer_key(&*step, &name, org_id).await?;
        add_employment(&*step, person_id, employer, until).await?;
        step.audit(AuditDraft::new(
            AuditAction::RegistryPastEmploymentAdded,
            person_id,
            json!({ "employer": employer, "org_id": org_id, "until": until.to_string() }),
        ))
        .await?;
        step.commit().await
    }

    /// Link a person to their own account (E8, E9): an account holding the kind's role, linked to nobody
    /// else. A person has one account; linking another replaces it.
    pub async fn link_registered_account(
        &self,
        p: &Principal,
        person_id: i64,
        username: &str,
        ctx: &Ctx,
    ) -> StoreResult<()> {
        require(p, Action::ManageRegistry)?;
        let username = Username::parse(username)?;
        let step = self.step(p, ctx).await?;
        let person = registry_person::Entity::find_by_id(person_id).one(&*step).await?.ok_or(StoreError::NotFound)?;
        let Some(role) = person.kind.account_role() else {
            return Err(FieldError::new("username", "KIND_HAS_NO_ACCOUNT", "培训师暂无本人账号").into());
        };
        let Some(u) = user::Entity::find().filter(user::Column::Username.eq(username.as_str())).one(&*step).await?
        else {
            return Err(FieldError::new("username", "USER_NOT_FOUND", "没有这个用户名的账号").into());
        };
        let has_role = user_role::Entity::find()
            .filter(user_role::Column::UserId.eq(u.id))
            .filter(user_role::Column::Role.eq(role))
            .one(&*step)
            .await?
            .is_some();
        if !has_role {
            return Err(FieldError::new(
                "username",
                "ACCOUNT_ROLE_MISSING",
                format!("该账号没有“{}”角色，请先授予角色", role.label()),
            )
            .into());
        }
        let other = registry_person::Entity::find()
            .filter(registry_person::Column::UserId.eq(u.id))
            .filter(registry_person::Column::Id.ne(person_id))
            .one(&*step)
            .await?;
        if let Some(o) = other {
            return Err(FieldError::new(
                "username",
                "ACCOUNT_LINKED",
                format!("该账号已关联{}“{}”", o.kind.label(), o.name),
            )
            .into());
        }
        registry_person::Entity::update_many()
            .col_expr(registry_person::Column::UserId, sea_orm::sea_query::Expr::value(Some(u.id)))
            .filter(registry_person::Column::Id.eq(person_id))
            .exec(&*step)
            .await?;
        step.audit(AuditDraft::new(
            AuditAction::RegistryAccountLinked,
            person_id,
            json!({ "user_id": u.id, "replaced": person.user_id }),
        ))
        .await?;
        step.commit().await
    }
}

/// A relative as declared: name, ID number, relation (a `Kinship` id).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RelativeInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub id_number: String,
    #[serde(default)]
    pub relation: String,
}

async fn add_employment<C: ConnectionTrait>(
    conn: &C,
    person_id: i64,
    employer: i64,
    until: time::Date,
) -> StoreResult<()> {
    registry_employment::ActiveModel {
        person_id: Set(person_id),
        employer_id: Set(employer),
        until: Set(until),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Replace a person's projects inside the caller's transaction.
pub(super) async fn set_projects<C: ConnectionTrait>(conn: &C, person_id: i64, codes: &[String]) -> StoreResult<()> {
    crate::lists::replace(conn, registry_project::Column::PersonId, person_id, codes, |position, name| {
        registry_project::ActiveModel {
            person_id: Set(person_id),
            position: Set(position),
            name: Set(name),
            ..Default::default()
        }
    })
    .await
}
