//! C1, C2: a certificate's life after issuing — reported to the province in batches (only reported
//! certificates are public), revoked with a reason, reissued on a new blank under the same number — and
//! the batch's export for the provincial public employment service platform (C2).

use crate::audit::AuditDraft;
use crate::entity::{certificate, certificate_blank, certificate_reissue, certificate_report};
use crate::error::require;
use crate::orgs::{asked_city, covers_city};
use crate::{Ctx, Page, PageReq, Store, StoreError, StoreResult, now};
use domain::FieldError;
use domain::FieldErrors;
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::certificates::{
    BlankStatus, CertificateEvent, CertificateState, CertificateStatus, certificate_transition, parse_reason,
};
use domain::org::Principal;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;
use time::OffsetDateTime;

use super::CertificateView;

/// What to report: certificates of one city (a city center: its own; the province names it), either
/// the ones listed or — none listed — every valid certificate of the city not yet reported.
#[derive(Debug, Clone, Default)]
pub struct ReportInput {
    pub city: Option<String>,
    pub certificate_ids: Vec<i64>,
    pub note: String,
}

/// A report batch as lists and pages show it.
#[derive(Debug, Clone)]
pub struct ReportView {
    pub id: i64,
    pub city: String,
    pub count: i32,
    pub note: String,
    pub reported_by: String,
    /// The reporter's name (the user name when the account is gone).
    pub reported_by_name: String,
    pub reported_at: OffsetDateTime,
}

/// A report batch with its certificates.
#[derive(Debug, Clone)]
pub struct ReportDetail {
    pub report: ReportView,
    pub certificates: Vec<CertificateView>,
}

/// One reissue of a certificate.
#[derive(Debug, Clone)]
pub struct ReissueView {
    pub old_blank_serial: Option<String>,
    pub new_blank_serial: String,
    pub reason: String,
    pub reissued_by: String,
    pub reissued_at: OffsetDateTime,
}

/// A certificate with its history of reissues, for its staff page.
#[derive(Debug, Clone)]
pub struct CertificateDetail {
    pub certificate: CertificateView,
    pub reissues: Vec<ReissueView>,
    /// The caller may revoke and reissue it.
    pub can_change: bool,
    /// The caller may report it (it is valid and not yet reported).
    pub can_report: bool,
}

/// One row of the C2 export (docs/CERTIFICATES.md, "Export for the public employment service
/// platform"): the full ID number, which only the reporting staff's download carries.
#[derive(Debug, Clone)]
pub struct ExportRow {
    pub certificate: CertificateView,
    pub id_number: String,
    /// The issuing center's name, as printed on the certificate.
    pub issuer: String,
}

/// A city's certificates not yet reported (valid ones), for the report form.
#[derive(Debug, Clone)]
pub struct Unreported {
    pub city: String,
    pub certificates: Vec<CertificateView>,
}

/// Filters of the report list.
#[derive(Debug, Clone, Default)]
pub struct ReportQuery {
    pub city: Option<String>,
}

fn state_of(c: &certificate::Model) -> CertificateState {
    CertificateState {
        status: c.status,
        reported: c.reported_at.is_some(),
        reissues: u32::try_from(c.reissues).unwrap_or(0),
    }
}

fn moved_on(number: &str) -> StoreError {
    StoreError::Conflict(FieldError::new(
        "certificate",
        "CERTIFICATE_CHANGED",
        format!("证书 {number} 刚被他人处理，请刷新页面后核对"),
    ))
}

impl Store {
    async fn certificate_in_scope(&self, p: &Principal, id: i64) -> StoreResult<certificate::Model> {
        require(p, Action::ListCertificates)?;
        let c = certificate::Entity::find_by_id(id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        if !covers_city(p, &c.city) {
            return Err(StoreError::NotFound);
        }
        Ok(c)
    }

    /// C1: one certificate with its reissues, for its staff page.
    pub async fn certificate_detail(&self, p: &Principal, id: i64) -> StoreResult<CertificateDetail> {
        let c = self.certificate_in_scope(p, id).await?;
        let state = state_of(&c);
        let reissues = certificate_reissue::Entity::find()
            .filter(certificate_reissue::Column::CertificateId.eq(id))
            .order_by_asc(certificate_reissue::Column::Id)
            .all(self.reader())
            .await?;
        let mut blank_ids: Vec<i64> =
            reissues.iter().flat_map(|r| [r.old_blank_id, Some(r.new_blank_id)]).flatten().collect();
        blank_ids.sort_unstable();
        blank_ids.dedup();
        let serials: std::collections::HashMap<i64, String> = certificate_blank::Entity::find()
            .filter(certificate_blank::Column::Id.is_in(blank_ids))
            .all(self.reader())
            .await?
            .into_iter()
            .map(|b| (b.id, b.serial))
            .collect();
        let names = self.names_of_users(reissues.iter().map(|r| r.reissued_by.clone()).collect()).await?;
        let reissues = reissues
            .into_iter()
            .map(|r| ReissueView {
                old_blank_serial: r.old_blank_id.and_then(|b| serials.get(&b).cloned()),
                new_blank_serial: serials.get(&r.new_blank_id).cloned().unwrap_or_default(),
                reason: r.reason,
                reissued_by: crate::users::name_or_user(&names, &r.reissued_by),
                reissued_at: r.reissued_at,
            })
            .collect();
        let valid = state.status == CertificateStatus::Valid;
        Ok(CertificateDetail {
            can_change: valid && p.can(Action::RevokeCertificates),
            can_report: valid && !state.reported && p.can(Action::ReportCertificates),
            certificate: self.certificate_views(vec![c]).await?.pop().ok_or(StoreError::NotFound)?,
            reissues,
        })
    }

    /// C1: a city's valid certificates not yet reported (a city center its own; the province names the
    /// city, or gets none).
    pub async fn unreported_certificates(&self, p: &Principal, city: Option<&str>) -> StoreResult<Option<Unreported>> {
        require(p, Action::ReportCertificates)?;
        let Some(city) = asked_city(p, city)? else { return Ok(None) };
        let rows = certificate::Entity::find()
            .filter(certificate::Column::City.eq(city.clone()))
            .filter(certificate::Column::Status.eq(CertificateStatus::Valid))
            .filter(certificate::Column::ReportedAt.is_null())
            .order_by_asc(certificate::Column::Id)
            .all(self.reader())
            .await?;
        Ok(Some(Unreported { city, certificates: self.certificate_views(rows).await? }))
    }

    /// C1: report certificates of a city to the province in one batch, all or nothing. Each must be
    /// valid and not yet reported (`CERTIFICATE_STATE` names the number); none to report:
    /// `CERTIFICATE_NONE_TO_REPORT`. From the commit on they answer the public query (C2).
    pub async fn report_certificates(&self, p: &Principal, input: &ReportInput, ctx: &Ctx) -> StoreResult<ReportView> {
        require(p, Action::ReportCertificates)?;
        let city = asked_city(p, input.city.as_deref())?.ok_or_else(|| {
            StoreError::Invalid(FieldErrors::from(FieldError::new("city", "REQUIRED", "请选择上报证书的市州")))
        })?;
        let note = input.note.trim().to_owned();
        domain::text::single_line("note", "备注", &note).map_err(|e| StoreError::Invalid(FieldErrors::from(e)))?;
        if note.chars().count() > domain::certificates::REASON_MAX_CHARS {
            return Err(StoreError::Invalid(FieldErrors::from(FieldError::new(
                "note",
                "TOO_LONG",
                format!("备注不得超过 {} 个字", domain::certificates::REASON_MAX_CHARS),
            ))));
        }
        let mut sel = certificate::Entity::find().filter(certificate::Column::City.eq(city.clone()));
        sel = if input.certificate_ids.is_empty() {
            sel.filter(certificate::Column::Status.eq(CertificateStatus::Valid))
                .filter(certificate::Column::ReportedAt.is_null())
        } else {
            sel.filter(certificate::Column::Id.is_in(input.certificate_ids.clone()))
        };
        let rows = sel.order_by_asc(certificate::Column::Id).all(self.reader()).await?;
        if !input.certificate_ids.is_empty() {
            let found: std::collections::HashSet<i64> = rows.iter().map(|c| c.id).collect();
            if let Some(missing) = input.certificate_ids.iter().find(|id| !found.contains(id)) {
                return Err(StoreError::Invalid(FieldErrors::from(FieldError::new(
                    "certificate_ids",
                    "CERTIFICATE_NOT_FOUND",
                    format!("{}没有编号为 {missing} 的证书记录", domain::ids::region_name(&city)),
                ))));
            }
        }
        if rows.is_empty() {
            return Err(StoreError::Conflict(FieldError::new(
                "certificate_ids",
                "CERTIFICATE_NONE_TO_REPORT",
                format!("{}没有待上报的证书", domain::ids::region_name(&city)),
            )));
        }
        for c in &rows {
            certificate_transition(state_of(c), &CertificateEvent::Report).map_err(|r| {
                let e = r.to_field_error();
                StoreError::Conflict(FieldError::new(
                    "certificate_ids",
                    e.code,
                    format!("证书 {}：{}", c.number, e.detail),
                ))
            })?;
        }
        let count = i32::try_from(rows.len()).map_err(|e| StoreError::corrupt("report count", e))?;
        let step = self.step(p, ctx).await?;
        let at = now();
        let report = certificate_report::ActiveModel {
            city: Set(city.clone()),
            count: Set(count),
            note: Set(note.clone()),
            reported_by: Set(p.username.clone()),
            reported_at: Set(at),
            ..Default::default()
        }
        .insert(&*step)
        .await?;
        for c in &rows {
            // Claimed by its state: of two reports of one certificate at once, the second is refused.
            let r = certificate::Entity::update_many()
                .col_expr(certificate::Column::ReportedAt, Expr::value(Some(at)))
                .col_expr(certificate::Column::ReportId, Expr::value(Some(report.id)))
                .filter(certificate::Column::Id.eq(c.id))
                .filter(certificate::Column::Status.eq(CertificateStatus::Valid))
                .filter(certificate::Column::ReportedAt.is_null())
                .exec(&*step)
                .await?;
            if r.rows_affected != 1 {
                return Err(moved_on(&c.number));
            }
        }
        step.audit(AuditDraft::new(
            AuditAction::CertificateReportRecorded,
            report.id,
            json!({ "report_id": report.id, "city": city, "count": count, "note": note,
                    "certificate_ids": rows.iter().map(|c| c.id).collect::<Vec<_>>(),
                    "numbers": rows.iter().map(|c| c.number.clone()).collect::<Vec<_>>() }),
        ))
        .await?;
        step.commit().await?;
        Ok(self.report_views(vec![report]).await?.remove(0))
    }

    async fn report_views(&self, rows: Vec<certificate_report::Model>) -> StoreResult<Vec<ReportView>> {
        let names = self.names_of_users(rows.iter().map(|r| r.reported_by.clone()).collect()).await?;
        Ok(rows
            .into_iter()
            .map(|r| ReportView {
                reported_by_name: crate::users::name_or_user(&names, &r.reported_by),
                id: r.id,
                city: r.city,
                count: r.count,
                note: r.note,
                reported_by: r.reported_by,
                reported_at: r.reported_at,
            })
            .collect())
    }

    /// C1: report batches in the caller's scope (a city center its own; the province every city or the
    /// one it asks for), newest first.
    pub async fn list_reports(&self, p: &Principal, q: &ReportQuery, page: PageReq) -> StoreResult<Page<ReportView>> {
        require(p, Action::ListCertificates)?;
        let mut sel = certificate_report::Entity::find();
        if let Some(city) = asked_city(p, q.city.as_deref())? {
            sel = sel.filter(certificate_report::Column::City.eq(city));
        }
        let rows = crate::fetch_page(self.reader(), sel, certificate_report::Column::Id, true, page).await?;
        let items = self.report_views(rows.items).await?;
        Ok(Page { items, total: rows.total, page: rows.page, per_page: rows.per_page })
    }

    /// C1: one report batch with its certificates.
    pub async fn report_detail(&self, p: &Principal, id: i64) -> StoreResult<ReportDetail> {
        require(p, Action::ListCertificates)?;
        let r = certificate_report::Entity::find_by_id(id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        if !covers_city(p, &r.city) {
            return Err(StoreError::NotFound);
        }
        let rows = certificate::Entity::find()
            .filter(certificate::Column::ReportId.eq(id))
            .order_by_asc(certificate::Column::Number)
            .all(self.reader())
            .await?;
        Ok(ReportDetail {
            report: self.report_views(vec![r]).await?.remove(0),
            certificates: self.certificate_views(rows).await?,
        })
    }

    /// C2: the batch's rows for the platform's import, with the full ID numbers — a download recorded in
    /// the audit trail (`certificate_report.exported`), for those who report.
    pub async fn export_report(&self, p: &Principal, id: i64, ctx: &Ctx) -> StoreResult<(ReportView, Vec<ExportRow>)> {
        require(p, Action::ReportCertificates)?;
        let detail = self.report_detail(p, id).await?;
        let models = certificate::Entity::find()
            .filter(certificate::Column::ReportId.eq(id))
            .order_by_asc(certificate::Column::Number)
            .all(self.reader())
            .await?;
        let mut clear: std::collections::HashMap<i64, String> = std::collections::HashMap::new();
        for m in &models {
            clear.insert(m.id, self.open_id(&m.id_number_enc)?);
        }
        let issuer = self.issuer_of(&detail.report.city).await?;
        let step = self.step(p, ctx).await?;
        step.audit(AuditDraft::new(
            AuditAction::CertificateReportExported,
            id,
            json!({ "report_id": id, "city": detail.report.city, "rows": models.len() }),
        ))
        .await?;
        step.commit().await?;
        let rows = detail
            .certificates
            .into_iter()
            .map(|c| ExportRow {
                id_number: clear.remove(&c.id).unwrap_or_default(),
                issuer: issuer.clone(),
                certificate: c,
            })
            .collect();
        Ok((detail.report, rows))
    }

    /// C1: revoke a certificate with a reason (the blank stays used; a reported one answers the public
    /// query as revoked from the commit on).
    pub async fn revoke_certificate(&self, p: &Principal, id: i64, reason: &str, ctx: &Ctx) -> StoreResult<()> {
        let c = self.certificate_in_scope(p, id).await?;
        require(p, Action::RevokeCertificates)?;
        let reason = parse_reason("注销证书", reason).map_err(|e| StoreError::Invalid(FieldErrors::from(e)))?;
        certificate_transition(state_of(&c), &CertificateEvent::Revoke { reason: reason.clone() })
            .map_err(|r| StoreError::Conflict(r.to_field_error()))?;
        let step = self.step(p, ctx).await?;
        let at = now();
        let r = certificate::Entity::update_many()
            .col_expr(certificate::Column::Status, Expr::value(CertificateStatus::Revoked))
            .col_expr(certificate::Column::RevokedAt, Expr::value(Some(at)))
            .col_expr(certificate::Column::RevokedBy, Expr::value(Some(p.username.clone())))
            .col_expr(certificate::Column::RevokeReason, Expr::value(reason.clone()))
            .filter(certificate::Column::Id.eq(id))
            .filter(certificate::Column::Status.eq(CertificateStatus::Valid))
            .exec(&*step)
            .await?;
        if r.rows_affected != 1 {
            return Err(moved_on(&c.number));
        }
        step.audit(AuditDraft::new(
            AuditAction::CertificateRevoked,
            id,
            json!({ "certificate_id": id, "number": c.number, "reason": reason, "reported": c.reported_at.is_some() }),
        ))
        .await?;
        step.commit().await?;
        Ok(())
    }

    /// C1: reissue a certificate (补发/换发) under the same number on the city's lowest unused blank; the
    /// blank it was on is voided with the reason in the same step. A revoked certificate is not
    /// reissued (`CERTIFICATE_STATE`); no blank left: `CERTIFICATE_NO_BLANK`, nothing saved.
    pub async fn reissue_certificate(&self, p: &Principal, id: i64, reason: &str, ctx: &Ctx) -> StoreResult<String> {
        let c = self.certificate_in_scope(p, id).await?;
        require(p, Action::RevokeCertificates)?;
        let reason = parse_reason("补发证书", reason).map_err(|e| StoreError::Invalid(FieldErrors::from(e)))?;
        certificate_transition(state_of(&c), &CertificateEvent::Reissue { reason: reason.clone() })
            .map_err(|r| StoreError::Conflict(r.to_field_error()))?;
        let step = self.step(p, ctx).await?;
        // The certificate first (its row lock orders two reissues of it), then the blank.
        let r = certificate::Entity::update_many()
            .col_expr(certificate::Column::Reissues, Expr::value(c.reissues + 1))
            .filter(certificate::Column::Id.eq(id))
            .filter(certificate::Column::Status.eq(CertificateStatus::Valid))
            .filter(certificate::Column::Reissues.eq(c.reissues))
            .exec(&*step)
            .await?;
        if r.rows_affected != 1 {
            return Err(moved_on(&c.number));
        }
        let blank = self.take_blank(&step, &c.city).await?;
        certificate::Entity::update_many()
            .col_expr(certificate::Column::BlankId, Expr::value(Some(blank.id)))
            .filter(certificate::Column::Id.eq(id))
            .exec(&*step)
            .await?;
        certificate_blank::Entity::update_many()
            .col_expr(certificate_blank::Column::CertificateId, Expr::value(Some(id)))
            .filter(certificate_blank::Column::Id.eq(blank.id))
            .exec(&*step)
            .await?;
        let old = match c.blank_id {
            Some(b) => certificate_blank::Entity::find_by_id(b).one(&*step).await?,
            None => None,
        };
        if let Some(old) = &old {
            certificate_blank::Entity::update_many()
                .col_expr(certificate_blank::Column::Status, Expr::value(BlankStatus::Voided))
                .col_expr(
                    certificate_blank::Column::VoidReason,
                    Expr::value(format!("证书 {} 补发：{reason}", c.number)),
                )
                .col_expr(certificate_blank::Column::VoidedBy, Expr::value(Some(p.username.clone())))
                .col_expr(certificate_blank::Column::VoidedAt, Expr::value(Some(now())))
                .filter(certificate_blank::Column::Id.eq(old.id))
                .exec(&*step)
                .await?;
        }
        certificate_reissue::ActiveModel {
            certificate_id: Set(id),
            old_blank_id: Set(c.blank_id),
            new_blank_id: Set(blank.id),
            reason: Set(reason.clone()),
            reissued_by: Set(p.username.clone()),
            reissued_at: Set(now()),
            ..Default::default()
        }
        .insert(&*step)
        .await?;
        step.audit(AuditDraft::new(
            AuditAction::CertificateReissued,
            id,
            json!({ "certificate_id": id, "number": c.number, "reason": reason, "reissues": c.reissues + 1,
                    "old_blank_id": c.blank_id, "old_blank_serial": old.as_ref().map(|b| b.serial.clone()),
                    "new_blank_id": blank.id, "new_blank_serial": blank.serial }),
        ))
        .await?;
        step.commit().await?;
        Ok(blank.serial)
    }
}
