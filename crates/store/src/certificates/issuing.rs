//! C1: issuing certificates to the passed candidates of a session whose register the organizer
//! confirmed — the gates, one certificate per person and project, the gap-free number, one blank each.

use crate::audit::AuditDraft;
use crate::entity::{certificate, certificate_blank, exam_candidate, exam_score, exam_session, project};
use crate::error::require;
use crate::orgs::covers_city;
use crate::policy::PolicyUsed;
use crate::sessions::{SessionView, is_organizer, organizer_of};
use crate::step::Step;
use crate::{Ctx, Page, PageReq, Store, StoreError, StoreResult, now, today};
use domain::FieldError;
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::certificates::{
    BlankStatus, CERTIFICATE_PARTS, CertificateStatus, IssueFacts, IssueRefusal, certificate_number, check_issue,
    missing_issue_gates, serial_key,
};
use domain::exams::{PanelRole, RegisterStatus, SessionState};
use domain::numbering::NumberTemplate;
use domain::org::{DataScope, Principal};
use domain::policy::keys;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Deserialize;
use serde_json::json;
use std::collections::{HashMap, HashSet};
use time::OffsetDateTime;

/// Whom to issue to: one candidate of the roster, or every passed candidate not yet issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueTarget {
    One(i64),
    AllPassed,
}

/// Filters of the certificate list.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CertificateQuery {
    /// A certificate number, or words of the holder's name.
    pub q: Option<String>,
    pub session_id: Option<i64>,
}

/// An issued certificate as lists and pages show it (the ID number masked).
#[derive(Debug, Clone)]
pub struct CertificateView {
    pub id: i64,
    pub number: String,
    pub holder_name: String,
    pub id_number_masked: String,
    pub session_id: i64,
    pub candidate_id: i64,
    pub project_code: String,
    pub project_name: String,
    pub station_name: String,
    pub city: String,
    pub year: i32,
    pub serial: i64,
    /// The print serial of the blank it was printed on.
    pub blank_serial: Option<String>,
    pub status: CertificateStatus,
    pub reported_at: Option<OffsetDateTime>,
    /// The report batch that sent it to the province.
    pub report_id: Option<i64>,
    /// How many times it was reissued on a new blank (same number).
    pub reissues: i32,
    pub revoked_at: Option<OffsetDateTime>,
    pub revoke_reason: String,
    /// The token of its public verification page (`/verify/{token}`), for the QR code.
    pub verify_token: String,
    pub issued_by: String,
    pub issued_at: OffsetDateTime,
}

/// A candidate of the session as the certificates section shows them.
#[derive(Debug, Clone)]
pub struct IssueRow {
    pub candidate_id: i64,
    pub name: String,
    pub id_number_masked: String,
    /// Passed in the confirmed register.
    pub passed: bool,
    pub certificate: Option<CertificateView>,
    /// The number of a certificate of this project the person already holds from another session.
    pub held_elsewhere: Option<String>,
}

/// The session page's certificates section.
#[derive(Debug, Clone)]
pub struct SessionCertificates {
    pub session_id: i64,
    pub register_confirmed: bool,
    /// The session's gates that do not hold, in words (empty: certificates may be issued to the
    /// passed candidates).
    pub missing: Vec<String>,
    /// Every candidate scored in the confirmed register (empty before it is confirmed).
    pub rows: Vec<IssueRow>,
    /// The caller is the organizer's staff and may issue.
    pub can_issue: bool,
    /// Passed candidates still without a certificate.
    pub pending: usize,
    /// Unused blanks of the station's city.
    pub unused_blanks: u64,
    /// The caller may print the session's certificates and some are issued (C1 printing).
    pub can_print: bool,
}

/// The session's facts the gates are decided on (`passed` and `existing` are the candidate's) and the
/// confirmed register's scores by candidate.
struct SessionFacts {
    facts: IssueFacts,
    scores: HashMap<i64, exam_score::Model>,
}

fn not_organizer(m: &exam_session::Model) -> StoreError {
    StoreError::Conflict(FieldError::new(
        "state",
        "NOT_ORGANIZER",
        format!("本场考核由{}组织实施（E1），只有组织考核的鉴定中心能核发其证书", organizer_of(m).label()),
    ))
}

fn is_unique_violation(e: &sea_orm::DbErr) -> bool {
    matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}

/// The certificates of a session, by candidate (for the session's other readers).
pub async fn certificates_of_session(
    db: &impl sea_orm::ConnectionTrait,
    session_id: i64,
) -> StoreResult<Vec<certificate::Model>> {
    Ok(certificate::Entity::find()
        .filter(certificate::Column::SessionId.eq(session_id))
        .order_by_asc(certificate::Column::Serial)
        .all(db)
        .await?)
}

impl Store {
    /// C1: the gates of the session (E3 plan on time: a plan reaches approval only through a submission
    /// that passed the lead time; E4 panel appointed — its legality checked at appointment; E5 both reports
    /// filed and signed; E6 register confirmed) and the confirmed register's scores.
    async fn session_facts(&self, m: &exam_session::Model) -> StoreResult<SessionFacts> {
        let register = self.registers_of(m.id).await?.into_iter().next();
        let confirmed = register.as_ref().filter(|r| r.status == RegisterStatus::Confirmed);
        let gates = self.register_gates(m.id, register.as_ref().map(|r| r.id)).await?;
        let panel = self.panel_of(m.id).await?;
        let scores = match confirmed {
            Some(r) => self.scores_of(r.id).await?,
            None => HashMap::new(),
        };
        Ok(SessionFacts {
            facts: IssueFacts {
                passed: true,
                register_confirmed: confirmed.is_some(),
                plan_on_time: m.state == SessionState::Approved && m.submitted_at.is_some(),
                panel_legal: panel.iter().any(|p| p.role == PanelRole::Head),
                assessor_report_filed: gates.assessor_report_filed,
                unsigned: gates.unsigned,
                supervision_report_filed: gates.supervision_report_filed,
                existing: None,
            },
            scores,
        })
    }

    /// The numbers of certificates of `project_id` held by these ID-number blind indexes.
    async fn held(&self, project_id: i64, idx: Vec<String>) -> StoreResult<HashMap<String, certificate::Model>> {
        Ok(certificate::Entity::find()
            .filter(certificate::Column::ProjectId.eq(project_id))
            .filter(certificate::Column::IdNumberIdx.is_in(idx))
            .all(self.reader())
            .await?
            .into_iter()
            .map(|c| (c.id_number_idx.clone(), c))
            .collect())
    }

    pub(super) async fn certificate_views(&self, rows: Vec<certificate::Model>) -> StoreResult<Vec<CertificateView>> {
        let mut session_ids: Vec<i64> = rows.iter().map(|c| c.session_id).collect();
        session_ids.sort_unstable();
        session_ids.dedup();
        let sessions =
            exam_session::Entity::find().filter(exam_session::Column::Id.is_in(session_ids)).all(self.reader()).await?;
        let sessions: HashMap<i64, SessionView> =
            self.session_views(sessions).await?.into_iter().map(|s| (s.id, s)).collect();
        let blank_ids: Vec<i64> = rows.iter().filter_map(|c| c.blank_id).collect();
        let blanks: HashMap<i64, String> = if blank_ids.is_empty() {
            HashMap::new()
        } else {
            certificate_blank::Entity::find()
                .filter(certificate_blank::Column::Id.is_in(blank_ids))
                .all(self.reader())
                .await?
                .into_iter()
                .map(|b| (b.id, b.serial))
                .collect()
        };
        Ok(rows
            .into_iter()
            .map(|c| {
                let s = sessions.get(&c.session_id);
                CertificateView {
                    id: c.id,
                    number: c.number,
                    holder_name: c.holder_name,
                    id_number_masked: c.id_number_masked,
                    session_id: c.session_id,
                    candidate_id: c.candidate_id,
                    project_code: s.map(|s| s.project_code.clone()).unwrap_or_default(),
                    project_name: s.map(|s| s.project_name.clone()).unwrap_or_default(),
                    station_name: s.map(|s| s.station_name.clone()).unwrap_or_default(),
                    city: c.city,
                    year: c.year,
                    serial: c.serial,
                    blank_serial: c.blank_id.and_then(|b| blanks.get(&b).cloned()),
                    status: c.status,
                    reported_at: c.reported_at,
                    report_id: c.report_id,
                    reissues: c.reissues,
                    revoked_at: c.revoked_at,
                    revoke_reason: c.revoke_reason,
                    verify_token: c.verify_token,
                    issued_by: c.issued_by,
                    issued_at: c.issued_at,
                }
            })
            .collect())
    }

    /// C1: the session's certificates section, for everyone who reads the session: the gates that do
    /// not hold, every candidate of the confirmed register with their result and certificate, and
    /// whether the caller may issue.
    pub async fn session_certificates(&self, p: &Principal, session_id: i64) -> StoreResult<SessionCertificates> {
        let m = self.session_in_scope(p, session_id).await?;
        let sf = self.session_facts(&m).await?;
        let missing = missing_issue_gates(&sf.facts);
        let roster = if sf.scores.is_empty() { Vec::new() } else { self.candidates_of(session_id).await? };
        let here: HashMap<i64, certificate::Model> = certificates_of_session(self.reader(), session_id)
            .await?
            .into_iter()
            .map(|c| (c.candidate_id, c))
            .collect();
        let any_issued = !here.is_empty();
        let mut views: HashMap<i64, CertificateView> = self
            .certificate_views(here.values().cloned().collect())
            .await?
            .into_iter()
            .map(|v| (v.candidate_id, v))
            .collect();
        let held = self.held(m.project_id, roster.iter().map(|c| c.id_number_idx.clone()).collect()).await?;
        let rows: Vec<IssueRow> = roster
            .into_iter()
            .filter_map(|c| {
                let s = sf.scores.get(&c.id)?;
                Some(IssueRow {
                    candidate_id: c.id,
                    passed: s.passed,
                    certificate: views.remove(&c.id),
                    held_elsewhere: held
                        .get(&c.id_number_idx)
                        .filter(|h| h.session_id != session_id)
                        .map(|h| h.number.clone()),
                    name: c.name,
                    id_number_masked: c.id_number_masked,
                })
            })
            .collect();
        let pending = rows.iter().filter(|r| r.passed && r.certificate.is_none()).count();
        let unused_blanks = match &m.station_city {
            Some(city) => self.unused_blanks(city).await?,
            None => 0,
        };
        Ok(SessionCertificates {
            session_id,
            register_confirmed: sf.facts.register_confirmed,
            missing,
            rows,
            can_issue: p.can(Action::IssueCertificates) && is_organizer(p, &m),
            pending,
            unused_blanks,
            can_print: any_issued && p.can(Action::ListCertificates),
        })
    }

    async fn unused_blanks(&self, city: &str) -> StoreResult<u64> {
        use sea_orm::PaginatorTrait;
        Ok(certificate_blank::Entity::find()
            .filter(certificate_blank::Column::City.eq(city))
            .filter(certificate_blank::Column::Status.eq(BlankStatus::Unused))
            .count(self.reader())
            .await?)
    }

    /// C1: the organizer's staff issue certificates to passed candidates of the session — one, or every
    /// passed candidate without one (all or nothing, one transaction) — only when every gate held
    /// (`CERTIFICATE_GATES` naming each missing one), once per person and project
    /// (`CERTIFICATE_DUPLICATE` naming the number held); each numbered by the policy's template with the
    /// next serial of the station's city and the year, on the lowest unused blank of that city
    /// (`CERTIFICATE_NO_BLANK`: nothing saved). Answers the certificates issued.
    pub async fn issue_certificates(
        &self,
        p: &Principal,
        session_id: i64,
        target: IssueTarget,
        ctx: &Ctx,
    ) -> StoreResult<Vec<CertificateView>> {
        let m = self.session_in_scope(p, session_id).await?;
        require(p, Action::IssueCertificates)?;
        if !is_organizer(p, &m) {
            return Err(not_organizer(&m));
        }
        let sf = self.session_facts(&m).await?;
        let roster = self.candidates_of(session_id).await?;
        let issued_here: HashSet<i64> =
            certificates_of_session(self.reader(), session_id).await?.iter().map(|c| c.candidate_id).collect();
        let targets: Vec<exam_candidate::Model> = match target {
            IssueTarget::One(cid) => {
                let c = roster.into_iter().find(|c| c.id == cid).ok_or_else(|| {
                    StoreError::Invalid(
                        FieldError::new("candidate_id", "CANDIDATE_NOT_IN_SESSION", "本场考核的考生名单中没有该考生")
                            .into(),
                    )
                })?;
                vec![c]
            }
            IssueTarget::AllPassed => {
                let missing = missing_issue_gates(&sf.facts);
                if !missing.is_empty() {
                    return Err(StoreError::Conflict(IssueRefusal::Gates(missing).to_field_error()));
                }
                let all: Vec<_> = roster
                    .into_iter()
                    .filter(|c| sf.scores.get(&c.id).is_some_and(|s| s.passed) && !issued_here.contains(&c.id))
                    .collect();
                if all.is_empty() {
                    return Err(StoreError::Conflict(FieldError::new(
                        "candidate",
                        "CERTIFICATE_NONE_PENDING",
                        "本场考核没有待核发证书的合格考生",
                    )));
                }
                all
            }
        };
        let held = self.held(m.project_id, targets.iter().map(|c| c.id_number_idx.clone()).collect()).await?;
        let mut duplicates = Vec::new();
        for c in &targets {
            let facts = IssueFacts {
                passed: sf.scores.get(&c.id).is_some_and(|s| s.passed),
                existing: held.get(&c.id_number_idx).map(|h| h.number.clone()),
                ..sf.facts.clone()
            };
            match check_issue(&facts) {
                Ok(()) => {}
                Err(IssueRefusal::Duplicate { number }) if target == IssueTarget::AllPassed => {
                    duplicates.push(format!("{}（证书编号 {number}）", c.name));
                }
                Err(r) => return Err(StoreError::Conflict(r.to_field_error())),
            }
        }
        if !duplicates.is_empty() {
            return Err(StoreError::Conflict(FieldError::new(
                "candidate",
                "CERTIFICATE_DUPLICATE",
                format!(
                    "以下考生已取得本项目证书，同一项目只核发一本证书：{}。请逐个核发其余考生",
                    duplicates.join("、")
                ),
            )));
        }
        // Policy and the number's parts, read before the step opens.
        let mut used = PolicyUsed::default();
        let raw: String = self.policy_parsed(keys::CERTIFICATE_NUMBER_TEMPLATE, today(), &mut used).await?;
        let template = NumberTemplate::parse("value", &raw)
            .and_then(|t| t.supplied_by(CERTIFICATE_PARTS, "证书编号").map(|()| t))
            .map_err(|e| StoreError::corrupt(format!("policy {}", keys::CERTIFICATE_NUMBER_TEMPLATE), e.detail))?;
        let city = m.station_city.clone().unwrap_or_default();
        let city2 = domain::ids::RegionCode::parse_hunan_city(&city)
            .ok()
            .and_then(|r| r.city_two_digits().map(str::to_owned))
            .ok_or_else(|| {
                StoreError::Conflict(FieldError::new(
                    "station",
                    "STATION_CITY_MISSING",
                    "考核站未登记所在市州，无法生成证书编号，请先完善考核站的机构信息",
                ))
            })?;
        let project =
            project::Entity::find_by_id(m.project_id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        let project_code = project.code.clone().unwrap_or_default();
        let year = today().year();
        let key = serial_key(&city2, year);

        let step = self.step(p, ctx).await?;
        let mut ids = Vec::with_capacity(targets.len());
        for c in &targets {
            let serial = crate::serials::next_serial(&*step, &key, 0).await?;
            let n = u64::try_from(serial).map_err(|e| StoreError::corrupt(format!("serial {key}"), e))?;
            let number = certificate_number(&template, &city2, year, &project_code, n).map_err(StoreError::Conflict)?;
            let blank = self.take_blank(&step, &city).await?;
            let at = now();
            let row = certificate::ActiveModel {
                number: Set(number.clone()),
                city: Set(city.clone()),
                year: Set(year),
                serial: Set(serial),
                session_id: Set(session_id),
                candidate_id: Set(c.id),
                project_id: Set(m.project_id),
                holder_name: Set(c.name.clone()),
                id_number_enc: Set(c.id_number_enc.clone()),
                id_number_idx: Set(c.id_number_idx.clone()),
                id_number_masked: Set(c.id_number_masked.clone()),
                blank_id: Set(Some(blank.id)),
                status: Set(CertificateStatus::Valid),
                reissues: Set(0),
                reported_at: Set(None),
                revoked_at: Set(None),
                revoke_reason: Set(String::new()),
                issued_by: Set(p.username.clone()),
                issued_at: Set(at),
                verify_token: Set(super::new_verify_token()),
                report_id: Set(None),
                revoked_by: Set(None),
                ..Default::default()
            }
            .insert(&*step)
            .await
            .map_err(|e| {
                if is_unique_violation(&e) {
                    StoreError::Conflict(FieldError::new(
                        "candidate",
                        "CERTIFICATE_DUPLICATE",
                        format!("{} 已取得本项目证书（刚由他人核发），同一项目只核发一本证书，请刷新页面", c.name),
                    ))
                } else {
                    StoreError::Db(e)
                }
            })?;
            certificate_blank::Entity::update_many()
                .col_expr(certificate_blank::Column::CertificateId, Expr::value(Some(row.id)))
                .filter(certificate_blank::Column::Id.eq(blank.id))
                .exec(&*step)
                .await?;
            step.audit(AuditDraft::new(
                AuditAction::CertificateIssued,
                row.id,
                json!({ "certificate_id": row.id, "number": number, "session_id": session_id, "candidate_id": c.id,
                        "project_code": project_code, "city": city, "year": year, "serial": serial,
                        "blank_id": blank.id, "blank_serial": blank.serial, "policy": used.to_json() }),
            ))
            .await?;
            ids.push(row.id);
        }
        step.commit().await?;
        let rows = certificate::Entity::find()
            .filter(certificate::Column::Id.is_in(ids))
            .order_by_asc(certificate::Column::Serial)
            .all(self.reader())
            .await?;
        self.certificate_views(rows).await
    }

    /// The lowest unused blank of the city, claimed for a certificate inside the issuing step (the
    /// serial counter taken before it already holds every other issuer of the city and year; the
    /// claim by status guards the rest). None left: `CERTIFICATE_NO_BLANK`.
    pub(super) async fn take_blank(&self, step: &Step<'_>, city: &str) -> StoreResult<certificate_blank::Model> {
        for _ in 0..16 {
            let Some(b) = certificate_blank::Entity::find()
                .filter(certificate_blank::Column::City.eq(city))
                .filter(certificate_blank::Column::Status.eq(BlankStatus::Unused))
                .order_by_asc(certificate_blank::Column::Serial)
                .one(&**step)
                .await?
            else {
                return Err(StoreError::Conflict(FieldError::new(
                    "candidate",
                    "CERTIFICATE_NO_BLANK",
                    format!(
                        "{}的空白证书已用完，请先登记空白证书入库后再核发（本次未核发任何证书）",
                        domain::ids::region_name(city)
                    ),
                )));
            };
            let r = certificate_blank::Entity::update_many()
                .col_expr(certificate_blank::Column::Status, Expr::value(BlankStatus::Used))
                .col_expr(certificate_blank::Column::UsedAt, Expr::value(Some(now())))
                .filter(certificate_blank::Column::Id.eq(b.id))
                .filter(certificate_blank::Column::Status.eq(BlankStatus::Unused))
                .exec(&**step)
                .await?;
            if r.rows_affected == 1 {
                return Ok(b);
            }
        }
        Err(StoreError::Conflict(FieldError::new(
            "candidate",
            "CERTIFICATE_BUSY",
            "空白证书正被他人同时领用，请稍后重试",
        )))
    }

    /// C1: issued certificates in the caller's scope (a city center: its city's; the province: all),
    /// searched by number or holder's name and by session, newest first.
    pub async fn list_certificates(
        &self,
        p: &Principal,
        q: &CertificateQuery,
        page: PageReq,
    ) -> StoreResult<Page<CertificateView>> {
        require(p, Action::ListCertificates)?;
        let mut sel = certificate::Entity::find();
        match &p.scope {
            DataScope::Province => {}
            DataScope::City(c) => sel = sel.filter(certificate::Column::City.eq(c.clone())),
            _ => return Err(StoreError::NotFound),
        }
        if let Some(s) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            sel = sel.filter(
                Condition::any()
                    .add(certificate::Column::Number.eq(s))
                    .add(certificate::Column::HolderName.contains(s)),
            );
        }
        if let Some(id) = q.session_id {
            sel = sel.filter(certificate::Column::SessionId.eq(id));
        }
        let rows = crate::fetch_page(self.reader(), sel, certificate::Column::Id, true, page).await?;
        let items = self.certificate_views(rows.items).await?;
        Ok(Page { items, total: rows.total, page: rows.page, per_page: rows.per_page })
    }

    /// C1: one certificate in the caller's scope.
    pub async fn get_certificate(&self, p: &Principal, id: i64) -> StoreResult<CertificateView> {
        require(p, Action::ListCertificates)?;
        let c = certificate::Entity::find_by_id(id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        if !covers_city(p, &c.city) {
            return Err(StoreError::NotFound);
        }
        self.certificate_views(vec![c]).await?.pop().ok_or(StoreError::NotFound)
    }
}
