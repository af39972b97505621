//! F3: "符合条件的人员参加培训并取得专项职业能力证书的，按规定享受职业培训补贴". `domain::certificates::subsidy`
//! holds the rules (who is eligible and why not, the claim key, the claim's and the batch's states);
//! this module keeps the records:
//!
//! - **who is eligible** ([`Store::subsidy_preview`]): a certificate of the city center (the
//!   certificate's `city`, the station's city) issued in the period (its issue date in Asia/Shanghai) is
//!   a claim when it stands (not revoked), its holder has a training record on the roster (the training
//!   class or its trainers, m0027), the holder's subsidy category (补贴类别 on the roster) is one of
//!   `subsidy.eligible_categories` in force on the issue date, the standard `subsidy.certificate_subsidy`
//!   in force that day is more than nothing, and no standing claim holds the same person (ID number's
//!   blind index) and project. Every other certificate is listed with its reasons in words.
//! - **batches** (`steps`): the city center's staff (`subsidy.manage`) build a batch of a period from
//!   every eligible certificate not yet claimed, in one step (the city's `subsidy_cities` row claimed
//!   first, the eligibility read again inside the step; the unique `active_key` makes a person and
//!   project claimed once whatever runs at the same time); approve or reject (with a reason) each claim,
//!   approve the batch (its pending claims with it), record the payment (date, voucher number).
//! - **reads**: the province reads every city's batches, a city center its own (another's: 404).

mod steps;

use crate::entity::{certificate, exam_candidate, exam_candidate_trainer, project, subsidy_batch, subsidy_claim};
use crate::error::require;
use crate::{Page, PageReq, Store, StoreError, StoreResult};
use domain::authz::Action;
use domain::certificates::{
    BatchStatus, CertificateStatus, ClaimStatus, Period, SubsidyFacts, claim_key, ineligibility,
};
use domain::ids::Money;
use domain::org::{DataScope, Principal};
use domain::policy::{keys, list_items};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use time::{Date, OffsetDateTime};

pub use domain::certificates::{BatchInput, SubsidyPayInput};

/// The issue date of a certificate: its `issued_at` in Asia/Shanghai.
pub fn issue_day(at: OffsetDateTime) -> Date {
    (at + time::Duration::hours(8)).date()
}

/// A batch as pages show it.
#[derive(Debug, Clone)]
pub struct BatchView {
    pub id: i64,
    pub city: String,
    pub period: String,
    pub first_day: Date,
    pub last_day: Date,
    pub status: BatchStatus,
    pub claim_count: i32,
    /// The sum of its claims not rejected.
    pub amount: Money,
    pub built_by: String,
    pub built_at: OffsetDateTime,
    pub approved_by: Option<String>,
    pub approved_at: Option<OffsetDateTime>,
    pub paid_on: Option<Date>,
    pub voucher_number: Option<String>,
    pub paid_by: Option<String>,
    /// The people's names of `built_by`, `approved_by` and `paid_by` (the user name when unknown).
    pub built_by_name: String,
    pub approved_by_name: Option<String>,
    pub paid_by_name: Option<String>,
}

/// One claim as pages show it (the ID number masked).
#[derive(Debug, Clone)]
pub struct ClaimView {
    pub id: i64,
    pub batch_id: i64,
    pub certificate_id: i64,
    pub certificate_number: String,
    pub holder_name: String,
    pub id_number_masked: String,
    pub project_code: String,
    pub project_name: String,
    pub category: String,
    pub amount: Money,
    pub policy_version_id: i64,
    pub status: ClaimStatus,
    pub reason: String,
    pub decided_by: Option<String>,
    /// The person's name of `decided_by`.
    pub decided_by_name: Option<String>,
}

/// A batch with its claims and what the caller may do.
#[derive(Debug, Clone)]
pub struct BatchDetail {
    pub batch: BatchView,
    pub claims: Vec<ClaimView>,
    /// The caller is staff of the batch's city center (`subsidy.manage`).
    pub can_manage: bool,
}

/// A certificate of the period, eligible or not.
#[derive(Debug, Clone)]
pub struct SubsidyCandidate {
    pub certificate_id: i64,
    pub certificate_number: String,
    pub holder_name: String,
    pub id_number_masked: String,
    pub project_code: String,
    pub project_name: String,
    pub issued_on: Date,
    pub category: String,
    /// The standard in force on the issue date, and its version.
    pub amount: Money,
    pub policy_version_id: i64,
    /// Why it is not a claim, in words (empty: eligible).
    pub reasons: Vec<String>,
}

/// What a batch of a period would claim.
#[derive(Debug, Clone)]
pub struct SubsidyPreview {
    pub city: String,
    pub period: String,
    pub first_day: Date,
    pub last_day: Date,
    pub eligible: Vec<SubsidyCandidate>,
    pub ineligible: Vec<SubsidyCandidate>,
    /// The sum of the eligible ones' standards.
    pub total: Money,
}

/// Filters of the batch list.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct BatchQuery {
    /// A city's code (the province's filter; a city center sees its own).
    pub city: Option<String>,
    pub status: Option<BatchStatus>,
    /// Words of the period (`2026`, `2026-Q4`) or the voucher number.
    pub q: Option<String>,
}

/// The policy of one issue date: the standard and its version, the eligible categories and theirs.
#[derive(Debug, Clone)]
pub(crate) struct DayPolicy {
    amount: Money,
    amount_version: i64,
    categories: Vec<String>,
    pub(crate) categories_version: i64,
}

fn batch_view(m: subsidy_batch::Model) -> BatchView {
    BatchView {
        id: m.id,
        city: m.city,
        period: m.period,
        first_day: m.first_day,
        last_day: m.last_day,
        status: m.status,
        claim_count: m.claim_count,
        amount: Money::from_fen(m.amount_fen),
        built_by_name: m.built_by.clone(),
        built_by: m.built_by,
        built_at: m.built_at,
        approved_by_name: m.approved_by.clone(),
        approved_by: m.approved_by,
        approved_at: m.approved_at,
        paid_on: m.paid_on,
        voucher_number: m.voucher_number,
        paid_by_name: m.paid_by.clone(),
        paid_by: m.paid_by,
    }
}

/// The projects' codes and names by id.
async fn projects_of<C: ConnectionTrait>(db: &C, ids: Vec<i64>) -> StoreResult<HashMap<i64, (String, String)>> {
    Ok(project::Entity::find()
        .filter(project::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, (p.code.unwrap_or_default(), p.name)))
        .collect())
}

fn claim_view(m: subsidy_claim::Model, projects: &HashMap<i64, (String, String)>) -> ClaimView {
    let (code, name) = projects.get(&m.project_id).cloned().unwrap_or_default();
    ClaimView {
        id: m.id,
        batch_id: m.batch_id,
        certificate_id: m.certificate_id,
        certificate_number: m.certificate_number,
        holder_name: m.holder_name,
        id_number_masked: m.id_number_masked,
        project_code: code,
        project_name: name,
        category: m.category,
        amount: Money::from_fen(m.amount_fen),
        policy_version_id: m.policy_version_id,
        status: m.status,
        reason: m.reason,
        decided_by_name: m.decided_by.clone(),
        decided_by: m.decided_by,
    }
}

/// Whether `p` is staff of the city center `city` that manages its subsidy claims.
pub(crate) fn manages(p: &Principal, city: &str) -> bool {
    p.can(Action::ManageSubsidies) && p.scope == DataScope::City(city.to_owned())
}

/// A certificate's claim key: the holder's blind index and the project.
pub(crate) fn key_of(c: &certificate::Model) -> String {
    claim_key(&c.id_number_idx, &c.project_id.to_string())
}

impl Store {
    /// The policy of each of `days` (the standard, the eligible categories, their versions).
    pub(crate) async fn subsidy_policy(&self, days: &[Date]) -> StoreResult<HashMap<Date, DayPolicy>> {
        let mut out = HashMap::new();
        for d in days {
            if out.contains_key(d) {
                continue;
            }
            let amount = self.policy_on(keys::CERTIFICATE_SUBSIDY, *d).await?;
            let fen: i64 = amount
                .value
                .parse()
                .map_err(|e| StoreError::corrupt(format!("policy {} version {}", amount.key, amount.version_id), e))?;
            let cats = self.policy_on(keys::SUBSIDY_CATEGORIES, *d).await?;
            out.insert(
                *d,
                DayPolicy {
                    amount: Money::from_fen(fen),
                    amount_version: amount.version_id,
                    categories: list_items(&cats.value),
                    categories_version: cats.version_id,
                },
            );
        }
        Ok(out)
    }

    /// The certificates of `city` issued in `period`, read on `db`, oldest first.
    async fn period_certificates<C: ConnectionTrait>(
        db: &C,
        city: &str,
        period: Period,
    ) -> StoreResult<Vec<certificate::Model>> {
        let rows = certificate::Entity::find()
            .filter(certificate::Column::City.eq(city))
            .filter(certificate::Column::Year.between(period.first.year(), period.last.year()))
            .order_by_asc(certificate::Column::Id)
            .all(db)
            .await
            .map_err(StoreError::reading(format!("certificates of {city}")))?;
        Ok(rows.into_iter().filter(|c| period.contains(issue_day(c.issued_at))).collect())
    }

    /// Every certificate of `city` issued in `period`, each with why it is not a claim (read on `db`:
    /// inside a step, what the step sees). `policy` gives each issue date's policy (read before the
    /// step); a day it lacks is read here.
    pub(crate) async fn assess_subsidies<C: ConnectionTrait>(
        &self,
        db: &C,
        city: &str,
        period: Period,
        policy: &mut HashMap<Date, DayPolicy>,
    ) -> StoreResult<Vec<SubsidyCandidate>> {
        let certs = Self::period_certificates(db, city, period).await?;
        let days: Vec<Date> =
            certs.iter().map(|c| issue_day(c.issued_at)).filter(|d| !policy.contains_key(d)).collect();
        policy.extend(self.subsidy_policy(&days).await?);
        let cids: Vec<i64> = certs.iter().map(|c| c.candidate_id).collect();
        let candidates: HashMap<i64, exam_candidate::Model> = exam_candidate::Entity::find()
            .filter(exam_candidate::Column::Id.is_in(cids.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        let taught: HashSet<i64> = exam_candidate_trainer::Entity::find()
            .filter(exam_candidate_trainer::Column::CandidateId.is_in(cids))
            .all(db)
            .await?
            .into_iter()
            .map(|t| t.candidate_id)
            .collect();
        let keys_wanted: Vec<String> = certs.iter().map(key_of).collect();
        let claimed: HashSet<String> = subsidy_claim::Entity::find()
            .filter(subsidy_claim::Column::ActiveKey.is_in(keys_wanted))
            .all(db)
            .await?
            .into_iter()
            .filter_map(|c| c.active_key)
            .collect();
        let projects = projects_of(db, certs.iter().map(|c| c.project_id).collect()).await?;
        let mut out = Vec::with_capacity(certs.len());
        for c in certs {
            let day = issue_day(c.issued_at);
            let pol = policy.get(&day).cloned().ok_or_else(|| {
                StoreError::corrupt(format!("policy {}", keys::CERTIFICATE_SUBSIDY), format!("none read for {day}"))
            })?;
            let cand = candidates.get(&c.candidate_id);
            let facts = SubsidyFacts {
                category: cand.map(|x| x.subsidy_category.clone()).unwrap_or_default(),
                has_training_record: cand.is_some_and(|x| !x.training.trim().is_empty())
                    || taught.contains(&c.candidate_id),
                certificate_valid: c.status == CertificateStatus::Valid,
                already_claimed: claimed.contains(&key_of(&c)),
            };
            let mut reasons = ineligibility(&facts, &pol.categories);
            if pol.amount.fen() <= 0 {
                reasons.push(format!("发证之日（{day}）的取证补贴标准为 0 元，尚未规定补贴标准"));
            }
            let (code, name) = projects.get(&c.project_id).cloned().unwrap_or_default();
            out.push(SubsidyCandidate {
                certificate_id: c.id,
                certificate_number: c.number,
                holder_name: c.holder_name,
                id_number_masked: c.id_number_masked,
                project_code: code,
                project_name: name,
                issued_on: day,
                category: facts.category.trim().to_owned(),
                amount: pol.amount,
                policy_version_id: pol.amount_version,
                reasons,
            });
        }
        Ok(out)
    }

    /// F3: what a batch of `input`'s period would claim for the caller's city (a city center's staff
    /// who manage subsidies): the eligible certificates and the others with their reasons.
    pub async fn subsidy_preview(&self, p: &Principal, input: &BatchInput) -> StoreResult<SubsidyPreview> {
        require(p, Action::ManageSubsidies)?;
        let DataScope::City(city) = &p.scope else {
            return Err(StoreError::Forbidden);
        };
        let (period, text) = input.parse()?;
        let mut policy = HashMap::new();
        let all = self.assess_subsidies(self.reader(), city, period, &mut policy).await?;
        let (eligible, ineligible): (Vec<_>, Vec<_>) = all.into_iter().partition(|c| c.reasons.is_empty());
        let total = eligible.iter().fold(Money::from_fen(0), |a, c| a + c.amount);
        Ok(SubsidyPreview {
            city: city.clone(),
            period: text,
            first_day: period.first,
            last_day: period.last,
            eligible,
            ineligible,
            total,
        })
    }

    /// F3: the batches the caller sees (a city center its own, the province every city or the one it
    /// names), newest first; filtered by status and words of the period or the voucher number.
    pub async fn list_subsidy_batches(
        &self,
        p: &Principal,
        q: &BatchQuery,
        page: PageReq,
    ) -> StoreResult<Page<BatchView>> {
        require(p, Action::ViewSubsidies)?;
        let city = crate::orgs::asked_city(p, q.city.as_deref())?;
        let mut sel = subsidy_batch::Entity::find();
        if let Some(c) = city {
            sel = sel.filter(subsidy_batch::Column::City.eq(c));
        }
        if let Some(s) = q.status {
            sel = sel.filter(subsidy_batch::Column::Status.eq(s));
        }
        if let Some(words) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let upper = words.to_uppercase();
            sel = sel.filter(
                sea_orm::Condition::any()
                    .add(subsidy_batch::Column::Period.contains(upper.as_str()))
                    .add(subsidy_batch::Column::VoucherNumber.contains(words)),
            );
        }
        let mut rows =
            crate::fetch_page(self.reader(), sel, subsidy_batch::Column::Id, true, page).await?.map(batch_view);
        self.name_subsidy_people(&mut rows.items, &mut []).await?;
        Ok(rows)
    }

    /// Fills in the people's names of who built, approved, paid and decided (one read for all).
    async fn name_subsidy_people(&self, batches: &mut [BatchView], claims: &mut [ClaimView]) -> StoreResult<()> {
        let wanted = batches
            .iter()
            .flat_map(|b| [Some(b.built_by.clone()), b.approved_by.clone(), b.paid_by.clone()])
            .chain(claims.iter().map(|c| c.decided_by.clone()))
            .flatten()
            .collect();
        let names = self.names_of_users(wanted).await?;
        let name = |u: &Option<String>| u.as_deref().map(|u| crate::users::name_or_user(&names, u));
        for b in batches {
            b.built_by_name = crate::users::name_or_user(&names, &b.built_by);
            b.approved_by_name = name(&b.approved_by);
            b.paid_by_name = name(&b.paid_by);
        }
        for c in claims {
            c.decided_by_name = name(&c.decided_by);
        }
        Ok(())
    }

    /// The batch `id` if the caller sees it (404 otherwise).
    pub(crate) async fn subsidy_batch_in_scope(&self, p: &Principal, id: i64) -> StoreResult<subsidy_batch::Model> {
        let m = subsidy_batch::Entity::find_by_id(id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        if !crate::orgs::covers_city(p, &m.city) {
            return Err(StoreError::NotFound);
        }
        Ok(m)
    }

    /// F3: one batch with its claims (in the order built).
    pub async fn subsidy_batch(&self, p: &Principal, id: i64) -> StoreResult<BatchDetail> {
        require(p, Action::ViewSubsidies)?;
        let m = self.subsidy_batch_in_scope(p, id).await?;
        let rows = subsidy_claim::Entity::find()
            .filter(subsidy_claim::Column::BatchId.eq(id))
            .order_by_asc(subsidy_claim::Column::Id)
            .all(self.reader())
            .await
            .map_err(StoreError::reading(format!("claims of subsidy batch {id}")))?;
        let projects = projects_of(self.reader(), rows.iter().map(|c| c.project_id).collect()).await?;
        let can_manage = manages(p, &m.city);
        let mut batch = [batch_view(m)];
        let mut claims: Vec<ClaimView> = rows.into_iter().map(|c| claim_view(c, &projects)).collect();
        self.name_subsidy_people(&mut batch, &mut claims).await?;
        let [batch] = batch;
        Ok(BatchDetail { batch, claims, can_manage })
    }

    /// F3: a batch's claims for the finance office's spreadsheet, each with the holder's ID number: in
    /// full for the batch's own city center staff (`subsidy.manage`: the finance office pays the holder
    /// and checks the number against the bank account's holder), masked for everyone else who reads it.
    /// Answers whether the numbers are full. The full export is an audit record
    /// (`subsidy.batch_exported`).
    pub async fn subsidy_export(
        &self,
        p: &Principal,
        id: i64,
        ctx: &crate::Ctx,
    ) -> StoreResult<(BatchView, Vec<(ClaimView, String)>, bool)> {
        let detail = self.subsidy_batch(p, id).await?;
        let full = detail.can_manage;
        let encs: BTreeMap<i64, String> = if full {
            subsidy_claim::Entity::find()
                .filter(subsidy_claim::Column::BatchId.eq(id))
                .all(self.reader())
                .await?
                .into_iter()
                .map(|c| (c.id, c.id_number_enc))
                .collect()
        } else {
            BTreeMap::new()
        };
        let mut rows = Vec::with_capacity(detail.claims.len());
        for c in detail.claims {
            let number = match encs.get(&c.id) {
                Some(enc) => self.open_id(enc)?,
                None => c.id_number_masked.clone(),
            };
            rows.push((c, number));
        }
        self.record_subsidy_export(p, &detail.batch, rows.len(), full, ctx).await?;
        Ok((detail.batch, rows, full))
    }
}
