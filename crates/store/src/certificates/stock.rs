//! C1: a city center's blank certificate stock — print batches recorded by print-serial range, one row
//! per blank (unused, used, voided with a reason), counts that reconcile.

use crate::audit::AuditDraft;
use crate::entity::{certificate, certificate_batch, certificate_blank};
use crate::error::require;
use crate::orgs::{asked_city, covers_city};
use crate::{Ctx, Page, PageReq, Store, StoreError, StoreResult, now, today};
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::certificates::{BlankBatch, BlankBatchInput, BlankEvent, BlankStatus, StockCounts, blank_transition};
use domain::ids::HUNAN_CITIES;
use domain::ids::region_name as city_name;
use domain::org::{DataScope, Principal};
use domain::{FieldError, FieldErrors};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;
use time::{Date, OffsetDateTime};

/// Rows per insert statement when a batch's blanks are written (10 columns each: far below the
/// parameter limits of SQLite and PostgreSQL).
const INSERT_CHUNK: usize = 500;

/// What staff type to void a blank.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct VoidInput {
    #[serde(default)]
    pub reason: String,
}

/// Filters of the blank list.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct BlankQuery {
    /// A print serial, or its beginning.
    pub q: Option<String>,
    /// A `BlankStatus` id.
    pub status: Option<BlankStatus>,
}

/// A print batch as pages show it.
#[derive(Debug, Clone)]
pub struct BatchView {
    pub id: i64,
    pub city: String,
    pub first_serial: String,
    pub last_serial: String,
    pub count: u32,
    pub received_on: Date,
    pub recorded_by: String,
    /// The name of the person behind `recorded_by`.
    pub recorded_by_name: String,
    pub recorded_at: OffsetDateTime,
}

/// One blank certificate.
#[derive(Debug, Clone)]
pub struct BlankView {
    pub id: i64,
    pub batch_id: i64,
    pub city: String,
    pub serial: String,
    pub status: BlankStatus,
    pub used_at: Option<OffsetDateTime>,
    /// The number of the certificate printed on it.
    pub certificate_number: Option<String>,
    pub void_reason: String,
    pub voided_by: Option<String>,
    pub voided_at: Option<OffsetDateTime>,
}

/// A blank with what the caller may do with it.
#[derive(Debug, Clone)]
pub struct BlankDetail {
    pub blank: BlankView,
    /// The caller keeps this city's stock and the blank is unused.
    pub can_void: bool,
}

/// A city's counts (the province's overview).
#[derive(Debug, Clone)]
pub struct CityStock {
    pub city: String,
    pub city_name: String,
    pub counts: StockCounts,
}

/// A city's stock as its page shows it.
#[derive(Debug, Clone)]
pub struct StockView {
    pub city: String,
    pub city_name: String,
    pub counts: StockCounts,
    /// `None` when printed = unused + used + voided; otherwise the difference in words.
    pub discrepancy: Option<String>,
    /// Newest first.
    pub batches: Vec<BatchView>,
    /// The caller keeps this city's stock (records batches, voids blanks).
    pub can_manage: bool,
}

fn batch_view(b: certificate_batch::Model, names: &HashMap<String, String>) -> BatchView {
    BatchView {
        recorded_by_name: crate::users::name_or_user(names, &b.recorded_by),
        id: b.id,
        city: b.city,
        first_serial: b.first_serial,
        last_serial: b.last_serial,
        count: u32::try_from(b.count).unwrap_or(0),
        received_on: b.received_on,
        recorded_by: b.recorded_by,
        recorded_at: b.recorded_at,
    }
}

fn blank_view(b: certificate_blank::Model, numbers: &HashMap<i64, String>) -> BlankView {
    BlankView {
        certificate_number: b.certificate_id.and_then(|c| numbers.get(&c).cloned()),
        id: b.id,
        batch_id: b.batch_id,
        city: b.city,
        serial: b.serial,
        status: b.status,
        used_at: b.used_at,
        void_reason: b.void_reason,
        voided_by: b.voided_by,
        voided_at: b.voided_at,
    }
}

/// A stored batch as the domain's parsed batch (for the overlap rule).
fn parsed(b: &certificate_batch::Model) -> BlankBatch {
    BlankBatch {
        prefix: b.prefix.clone(),
        first: u64::try_from(b.first_no).unwrap_or(0),
        digits: usize::try_from(b.digits).unwrap_or(0),
        count: u32::try_from(b.count).unwrap_or(0),
        received_on: b.received_on,
    }
}

fn is_unique_violation(e: &sea_orm::DbErr) -> bool {
    matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}

fn may_manage(p: &Principal, city: &str) -> bool {
    p.can(Action::ManageCertificateStock) && matches!(&p.scope, DataScope::City(c) if c == city)
}

impl Store {
    /// The counts of every city in `cities` (printed from the batches, the rest from the blanks).
    async fn stock_counts(&self, cities: &[String]) -> StoreResult<HashMap<String, StockCounts>> {
        let mut out: HashMap<String, StockCounts> =
            cities.iter().map(|c| (c.clone(), StockCounts::default())).collect();
        let printed: Vec<(String, Option<i64>)> = certificate_batch::Entity::find()
            .select_only()
            .column(certificate_batch::Column::City)
            .expr_as(sea_orm::sea_query::Func::sum(Expr::col(certificate_batch::Column::Count)), "printed")
            .filter(certificate_batch::Column::City.is_in(cities.to_vec()))
            .group_by(certificate_batch::Column::City)
            .into_tuple()
            .all(self.reader())
            .await?;
        for (city, n) in printed {
            if let Some(c) = out.get_mut(&city) {
                c.printed = u64::try_from(n.unwrap_or(0)).unwrap_or(0);
            }
        }
        let by_status: Vec<(String, String, i64)> = certificate_blank::Entity::find()
            .select_only()
            .column(certificate_blank::Column::City)
            .column(certificate_blank::Column::Status)
            .expr_as(Expr::cust("COUNT(*)"), "n")
            .filter(certificate_blank::Column::City.is_in(cities.to_vec()))
            .group_by(certificate_blank::Column::City)
            .group_by(certificate_blank::Column::Status)
            .into_tuple()
            .all(self.reader())
            .await?;
        for (city, status, n) in by_status {
            let status: BlankStatus =
                status.parse().map_err(|e| StoreError::corrupt(format!("certificate blanks of {city}"), e))?;
            let n = u64::try_from(n).unwrap_or(0);
            if let Some(c) = out.get_mut(&city) {
                match status {
                    BlankStatus::Unused => c.unused = n,
                    BlankStatus::Used => c.used = n,
                    BlankStatus::Voided => c.voided = n,
                }
            }
        }
        Ok(out)
    }

    /// C1: the counts of every city in the caller's scope (the province: all fourteen; a city center:
    /// its own).
    pub async fn stock_overview(&self, p: &Principal) -> StoreResult<Vec<CityStock>> {
        require(p, Action::ListCertificates)?;
        let cities: Vec<String> = match &p.scope {
            DataScope::Province => HUNAN_CITIES.iter().map(|(c, _)| (*c).to_owned()).collect(),
            DataScope::City(c) => vec![c.clone()],
            _ => return Err(StoreError::NotFound),
        };
        let mut counts = self.stock_counts(&cities).await?;
        Ok(cities
            .into_iter()
            .map(|c| CityStock { city_name: city_name(&c), counts: counts.remove(&c).unwrap_or_default(), city: c })
            .collect())
    }

    /// C1: one city's stock — counts, whether they reconcile, its batches. A city center reads its own
    /// (`city` ignored unless it names another: not found); the province the city it names (`None`:
    /// no city chosen).
    pub async fn certificate_stock(&self, p: &Principal, city: Option<&str>) -> StoreResult<Option<StockView>> {
        require(p, Action::ListCertificates)?;
        let Some(city) = asked_city(p, city)? else { return Ok(None) };
        let counts = self.stock_counts(std::slice::from_ref(&city)).await?.remove(&city).unwrap_or_default();
        let rows = certificate_batch::Entity::find()
            .filter(certificate_batch::Column::City.eq(city.clone()))
            .order_by_desc(certificate_batch::Column::Id)
            .all(self.reader())
            .await?;
        let names = self.names_of_users(rows.iter().map(|b| b.recorded_by.clone()).collect()).await?;
        let batches = rows.into_iter().map(|b| batch_view(b, &names)).collect();
        Ok(Some(StockView {
            city_name: city_name(&city),
            discrepancy: counts.discrepancy(),
            can_manage: may_manage(p, &city),
            counts,
            batches,
            city,
        }))
    }

    /// C1: a city's blanks by serial, searched by serial (its beginning) and status, paged (`None`: the
    /// province chose no city yet — an empty page).
    pub async fn list_blanks(
        &self,
        p: &Principal,
        city: Option<&str>,
        q: &BlankQuery,
        page: PageReq,
    ) -> StoreResult<Page<BlankView>> {
        require(p, Action::ListCertificates)?;
        let Some(city) = asked_city(p, city)? else {
            return Ok(Page { items: Vec::new(), total: 0, page: page.page, per_page: page.per_page });
        };
        let mut sel = certificate_blank::Entity::find().filter(certificate_blank::Column::City.eq(city));
        if let Some(s) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            // Letters and digits only: nothing a LIKE pattern reads as a wildcard.
            if !s.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(StoreError::Invalid(
                    FieldError::new("q", "FILTER_INVALID", "筛选条件「印刷流水号」只能包含字母和数字").into(),
                ));
            }
            sel = sel.filter(certificate_blank::Column::Serial.starts_with(s.to_uppercase()));
        }
        if let Some(st) = q.status {
            sel = sel.filter(certificate_blank::Column::Status.eq(st));
        }
        let rows = crate::fetch_page(self.reader(), sel, certificate_blank::Column::Serial, false, page).await?;
        let ids: Vec<i64> = rows.items.iter().filter_map(|b| b.certificate_id).collect();
        let numbers: HashMap<i64, String> = if ids.is_empty() {
            HashMap::new()
        } else {
            certificate::Entity::find()
                .filter(certificate::Column::Id.is_in(ids))
                .all(self.reader())
                .await?
                .into_iter()
                .map(|c| (c.id, c.number))
                .collect()
        };
        Ok(Page {
            items: rows.items.into_iter().map(|b| blank_view(b, &numbers)).collect(),
            total: rows.total,
            page: rows.page,
            per_page: rows.per_page,
        })
    }

    /// C1: one blank in the caller's scope, and whether the caller may void it.
    pub async fn get_blank(&self, p: &Principal, id: i64) -> StoreResult<BlankDetail> {
        let b = self.blank_in_scope(p, id).await?;
        let numbers = match b.certificate_id {
            Some(c) => certificate::Entity::find_by_id(c)
                .one(self.reader())
                .await?
                .map(|c| HashMap::from([(c.id, c.number)]))
                .unwrap_or_default(),
            None => HashMap::new(),
        };
        let can_void = may_manage(p, &b.city) && b.status == BlankStatus::Unused;
        Ok(BlankDetail { blank: blank_view(b, &numbers), can_void })
    }

    async fn blank_in_scope(&self, p: &Principal, id: i64) -> StoreResult<certificate_blank::Model> {
        require(p, Action::ListCertificates)?;
        let b = certificate_blank::Entity::find_by_id(id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        if !covers_city(p, &b.city) {
            return Err(StoreError::NotFound);
        }
        Ok(b)
    }

    /// C1: a city center's staff record a print batch of blanks for their city: every field checked
    /// (all errors at once), a range sharing a serial with a batch of the city refused naming
    /// `first_serial` (`BATCH_OVERLAP`); the batch and one row per blank in one step. Answers the
    /// batch's id.
    pub async fn record_blank_batch(&self, p: &Principal, input: &BlankBatchInput, ctx: &Ctx) -> StoreResult<i64> {
        require(p, Action::ManageCertificateStock)?;
        let DataScope::City(city) = &p.scope else { return Err(StoreError::Forbidden) };
        let batch = BlankBatch::parse(input, today()).map_err(StoreError::Invalid)?;
        let existing = certificate_batch::Entity::find()
            .filter(certificate_batch::Column::City.eq(city.clone()))
            .all(self.reader())
            .await?;
        if let Some(other) = existing.iter().map(parsed).find(|o| batch.overlaps(o)) {
            return Err(StoreError::Invalid(batch.overlap_error(&other).into()));
        }
        let overlap_now = || {
            StoreError::Invalid(
                FieldError::new(
                    "first_serial",
                    "BATCH_OVERLAP",
                    format!("印刷流水号 {} 与刚登记的批次重叠，请刷新页面后核对", batch.range_text()),
                )
                .into(),
            )
        };
        let step = self.step(p, ctx).await?;
        let at = now();
        let row = certificate_batch::ActiveModel {
            city: Set(city.clone()),
            prefix: Set(batch.prefix.clone()),
            first_no: Set(i64::try_from(batch.first).map_err(|e| StoreError::corrupt("blank batch", e))?),
            digits: Set(i32::try_from(batch.digits).unwrap_or(0)),
            count: Set(i32::try_from(batch.count).unwrap_or(0)),
            first_serial: Set(batch.serial(batch.first)),
            last_serial: Set(batch.serial(batch.last())),
            received_on: Set(batch.received_on),
            recorded_by: Set(p.username.clone()),
            recorded_at: Set(at),
            ..Default::default()
        }
        .insert(&*step)
        .await?;
        let serials: Vec<String> = batch.serials().collect();
        for chunk in serials.chunks(INSERT_CHUNK) {
            let rows = chunk.iter().map(|s| certificate_blank::ActiveModel {
                batch_id: Set(row.id),
                city: Set(city.clone()),
                serial: Set(s.clone()),
                status: Set(BlankStatus::Unused),
                used_at: Set(None),
                certificate_id: Set(None),
                void_reason: Set(String::new()),
                voided_by: Set(None),
                voided_at: Set(None),
                ..Default::default()
            });
            certificate_blank::Entity::insert_many(rows)
                .exec(&*step)
                .await
                .map_err(|e| if is_unique_violation(&e) { overlap_now() } else { StoreError::Db(e) })?;
        }
        step.audit(AuditDraft::new(
            AuditAction::CertificateStockBatchRecorded,
            row.id,
            json!({ "batch_id": row.id, "city": city, "first_serial": row.first_serial, "last_serial": row.last_serial,
                    "count": batch.count, "received_on": batch.received_on.to_string() }),
        ))
        .await?;
        step.commit().await?;
        Ok(row.id)
    }

    /// C1: a city center's staff void an unused blank of their city with a reason (spoiled, damaged,
    /// lost). A used blank carries a certificate: it is voided only when the certificate moves to a new
    /// blank (reissue, `BLANK_USED`); a voided one is never used again (`BLANK_STATE`).
    pub async fn void_blank(&self, p: &Principal, id: i64, input: &VoidInput, ctx: &Ctx) -> StoreResult<()> {
        let b = self.blank_in_scope(p, id).await?;
        if !may_manage(p, &b.city) {
            return Err(StoreError::Forbidden);
        }
        let reason = domain::certificates::parse_reason("作废空白证书", &input.reason)
            .map_err(|e| StoreError::Invalid(FieldErrors::from(e)))?;
        if b.status == BlankStatus::Used {
            return Err(StoreError::Conflict(FieldError::new(
                "serial",
                "BLANK_USED",
                format!("空白证书 {} 已打印证书，已使用的空白证书须随证书补发作废", b.serial),
            )));
        }
        blank_transition(&b.serial, b.status, &BlankEvent::Void { reason: reason.clone() })
            .map_err(|r| StoreError::Conflict(r.to_field_error()))?;
        let step = self.step(p, ctx).await?;
        // Claimed by the status read: of two people acting on one blank at once, the second is refused.
        let r = certificate_blank::Entity::update_many()
            .col_expr(certificate_blank::Column::Status, Expr::value(BlankStatus::Voided))
            .col_expr(certificate_blank::Column::VoidReason, Expr::value(reason.clone()))
            .col_expr(certificate_blank::Column::VoidedBy, Expr::value(Some(p.username.clone())))
            .col_expr(certificate_blank::Column::VoidedAt, Expr::value(Some(now())))
            .filter(certificate_blank::Column::Id.eq(id))
            .filter(certificate_blank::Column::Status.eq(b.status))
            .exec(&*step)
            .await?;
        if r.rows_affected != 1 {
            return Err(StoreError::Conflict(FieldError::new(
                "serial",
                "BLANK_CHANGED",
                format!("空白证书 {} 刚被他人使用或作废，请刷新页面后核对", b.serial),
            )));
        }
        step.audit(AuditDraft::new(
            AuditAction::CertificateStockBlankVoided,
            b.batch_id,
            json!({ "blank_id": id, "batch_id": b.batch_id, "city": b.city, "serial": b.serial,
                    "from": b.status, "reason": reason }),
        ))
        .await?;
        step.commit().await?;
        Ok(())
    }
}
