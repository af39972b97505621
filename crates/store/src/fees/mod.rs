//! F1: "市州鉴定中心收取的考核费用实行收支两条线管理，全额上缴同级财政". `domain::certificates::fees`
//! holds the rules (the fee's states, the standard, the ledger's reconciliation, periods); this module
//! keeps the records:
//!
//! - **a candidate's fee** (`steps`): the city center that holds the session's money — the station's
//!   city center (`exam_sessions.station_city`), whoever organizes the exam (E1) — records, once the
//!   plan is approved, each candidate's payment of the standard (`fee.assessment_fee` in force on the
//!   exam's first day, its version kept on the row and in the audit record) with its date and receipt
//!   number (票据号, once per city), or a waiver with its reason; a paid fee is refunded with its date and
//!   reason. Only that city's staff act (`fee.record`); the province reads (`fee.view`); another
//!   city's staff find nothing (404).
//! - **the ledger** ([`Store::fee_ledger`]): per city and period (month, quarter, year) what was
//!   collected, refunded and remitted, what was outstanding before the period and at its end, and the
//!   reconciliation `collected − refunded = remitted + outstanding` (cumulative to the period's end);
//!   a ledger that does not balance says why (`Reconciliation::discrepancy`), never silently.
//! - **remittances** (`steps`): the city center records what it paid into the treasury (上缴财政:
//!   date, amount, voucher number once per city); refused when the amount exceeds what is outstanding
//!   on that day or on any later day of the ledger (`check_remittance`). Every step that moves a ledger
//!   first claims the city's `fee_ledgers` row, so a remittance is checked against a balance no other
//!   step is changing.
//! - **lists** ([`Store::list_fee_records`], [`Store::list_remittances`]): searched and paged, the
//!   source of the .xlsx exports.

mod steps;

use crate::entity::{exam_candidate, exam_fee, exam_session, fee_remittance};
use crate::error::require;
use crate::policy::PolicyUsed;
use crate::sessions::SessionView;
use crate::{Page, PageReq, Store, StoreError, StoreResult};
use domain::authz::Action;
use domain::certificates::{FeeStatus, Period, Reconciliation};
use domain::exams::SessionState;
use domain::ids::Money;
use domain::org::{DataScope, Principal};
use domain::policy::keys;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use time::{Date, OffsetDateTime};

pub use domain::certificates::{PaymentInput, RefundInput, RemittanceInput, WaiveInput};

/// One candidate's fee as pages show it (the ID number masked).
#[derive(Debug, Clone)]
pub struct FeeView {
    pub candidate_id: i64,
    pub session_id: i64,
    pub name: String,
    pub id_number_masked: String,
    pub ticket_number: Option<String>,
    pub status: FeeStatus,
    /// What was received (0 while due or waived).
    pub amount: Money,
    pub paid_on: Option<Date>,
    pub receipt_number: Option<String>,
    pub paid_by: Option<String>,
    /// The name of who recorded the payment (the user name when the account is gone).
    pub paid_by_name: Option<String>,
    pub waived_on: Option<Date>,
    pub refunded_on: Option<Date>,
    /// Why it was waived or refunded.
    pub reason: String,
    pub decided_by: Option<String>,
    /// The name of who recorded the waiver or refund.
    pub decided_by_name: Option<String>,
}

/// A session's fees in figures.
#[derive(Debug, Clone, Copy, Default)]
pub struct FeeTotals {
    pub due: u64,
    pub paid: u64,
    pub waived: u64,
    pub refunded: u64,
    /// Every payment received (those refunded since included).
    pub collected: Money,
    pub refunded_amount: Money,
}

impl FeeTotals {
    /// Collected less refunded.
    pub fn net(&self) -> Money {
        Money::from_fen(self.collected.fen() - self.refunded_amount.fen())
    }
}

/// A session's candidates with their fees and what the caller may do.
#[derive(Debug, Clone)]
pub struct SessionFees {
    pub session: SessionView,
    /// The city center whose ledger holds the fees (the station's city); none for a station without one.
    pub city: Option<String>,
    /// The standard in force on the exam's first day, and its policy version.
    pub standard: Money,
    pub policy_version_id: i64,
    pub fees: Vec<FeeView>,
    pub totals: FeeTotals,
    /// The plan is approved: fees may be recorded.
    pub open: bool,
    /// The caller is staff of the city center that holds the fees.
    pub can_record: bool,
}

/// A recorded fee with its session, as the ledger's list shows it.
#[derive(Debug, Clone)]
pub struct FeeRecord {
    pub fee: FeeView,
    pub city: String,
    pub station_name: String,
    pub project_code: String,
    pub project_name: String,
    pub first_day: Date,
}

/// A remittance to the treasury.
#[derive(Debug, Clone)]
pub struct RemittanceView {
    pub id: i64,
    pub city: String,
    pub remitted_on: Date,
    pub amount: Money,
    pub voucher_number: String,
    pub note: String,
    pub recorded_by: String,
    /// The name of who recorded it (the user name when the account is gone).
    pub recorded_by_name: String,
    pub recorded_at: OffsetDateTime,
}

/// One city's figures over a period.
#[derive(Debug, Clone)]
pub struct CityLedger {
    pub city: String,
    /// Outstanding before the period's first day.
    pub opening: Money,
    /// The period's own movements.
    pub period: Reconciliation,
    /// Everything up to the period's last day: its `outstanding()` is what the center held then.
    pub closing: Reconciliation,
}

impl CityLedger {
    /// Why the ledger does not balance at the period's end, if it does not.
    pub fn discrepancy(&self) -> Option<String> {
        self.closing.discrepancy()
    }
}

/// A ledger over a period: the chosen city (or every city for the province), each city's figures.
#[derive(Debug, Clone)]
pub struct Ledger {
    /// The city shown; `None`: the whole province.
    pub city: Option<String>,
    pub period: Period,
    /// The figures of the city shown, or the province's sum.
    pub total: CityLedger,
    /// Each city's figures (one row for a city center).
    pub cities: Vec<CityLedger>,
    /// The caller may record a remittance (staff of the city shown).
    pub can_remit: bool,
}

/// Filters of the fee records and remittances.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FeeQuery {
    /// A city's code (the province's filter; a city center sees its own).
    pub city: Option<String>,
    /// Records with a payment, waiver or refund (a remittance) dated in this period.
    pub period: Option<Period>,
    /// A `FeeStatus` id (fee records only).
    pub status: Option<FeeStatus>,
    /// Words of the candidate's name or the receipt number (fee records), of the voucher number
    /// (remittances).
    pub q: Option<String>,
}

fn fee_view(c: &exam_candidate::Model, f: Option<&exam_fee::Model>) -> FeeView {
    FeeView {
        candidate_id: c.id,
        session_id: c.session_id,
        name: c.name.clone(),
        id_number_masked: c.id_number_masked.clone(),
        ticket_number: c.ticket_number.clone(),
        status: f.map_or(FeeStatus::Due, |f| f.status),
        amount: Money::from_fen(f.map_or(0, |f| f.amount_fen)),
        paid_on: f.and_then(|f| f.paid_on),
        receipt_number: f.and_then(|f| f.receipt_number.clone()),
        paid_by: f.and_then(|f| f.paid_by.clone()),
        paid_by_name: None,
        waived_on: f.and_then(|f| f.waived_on),
        refunded_on: f.and_then(|f| f.refunded_on),
        reason: f.map(|f| f.reason.clone()).unwrap_or_default(),
        decided_by: f.and_then(|f| f.decided_by.clone()),
        decided_by_name: None,
    }
}

fn remittance_view(m: fee_remittance::Model) -> RemittanceView {
    RemittanceView {
        id: m.id,
        city: m.city,
        remitted_on: m.remitted_on,
        amount: Money::from_fen(m.amount_fen),
        voucher_number: m.voucher_number,
        note: m.note,
        recorded_by_name: m.recorded_by.clone(),
        recorded_by: m.recorded_by,
        recorded_at: m.recorded_at,
    }
}

/// The totals of a session's fees.
fn totals(fees: &[FeeView]) -> FeeTotals {
    let mut t = FeeTotals::default();
    for f in fees {
        match f.status {
            FeeStatus::Due => t.due += 1,
            FeeStatus::Paid => t.paid += 1,
            FeeStatus::Waived => t.waived += 1,
            FeeStatus::Refunded => {
                t.refunded += 1;
                t.refunded_amount += f.amount;
            }
        }
        if matches!(f.status, FeeStatus::Paid | FeeStatus::Refunded) {
            t.collected += f.amount;
        }
    }
    t
}

/// Whether `p` is staff of the city center `city` that may record fees.
pub(crate) fn records_for(p: &Principal, city: &str) -> bool {
    p.can(Action::RecordFees) && p.scope == DataScope::City(city.to_owned())
}

/// Sums of `amount_fen` of `E`'s rows matching `cond`, by city: `SUM` cast to BIGINT (PostgreSQL sums
/// a bigint as numeric).
async fn sums_by_city<E, C>(db: &C, cond: Condition, city_col: E::Column) -> StoreResult<HashMap<String, i64>>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let rows: Vec<(String, Option<i64>)> = E::find()
        .select_only()
        .column(city_col)
        .expr_as(Expr::cust("CAST(SUM(amount_fen) AS BIGINT)"), "total")
        .filter(cond)
        .group_by(city_col)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(c, s)| (c, s.unwrap_or(0))).collect())
}

/// Sums of `amount_fen` of `E`'s rows of `city` matching `cond`, by the date in `date_col`.
pub(crate) async fn sums_by_date<E, C>(db: &C, cond: Condition, date_col: E::Column) -> StoreResult<Vec<(Date, i64)>>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let rows: Vec<(Date, Option<i64>)> = E::find()
        .select_only()
        .column(date_col)
        .expr_as(Expr::cust("CAST(SUM(amount_fen) AS BIGINT)"), "total")
        .filter(cond)
        .group_by(date_col)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(d, s)| (d, s.unwrap_or(0))).collect())
}

/// Every city's ledger up to and including `to` (collected, refunded, remitted), optionally of one city.
pub(crate) async fn ledgers_to<C: ConnectionTrait>(
    db: &C,
    city: Option<&str>,
    to: Date,
) -> StoreResult<BTreeMap<String, Reconciliation>> {
    let fee_city = |c: Condition| match city {
        Some(x) => c.add(exam_fee::Column::City.eq(x)),
        None => c,
    };
    let collected = sums_by_city::<exam_fee::Entity, _>(
        db,
        fee_city(Condition::all().add(exam_fee::Column::PaidOn.lte(to))),
        exam_fee::Column::City,
    )
    .await?;
    let refunded = sums_by_city::<exam_fee::Entity, _>(
        db,
        fee_city(Condition::all().add(exam_fee::Column::RefundedOn.lte(to))),
        exam_fee::Column::City,
    )
    .await?;
    let mut rem = Condition::all().add(fee_remittance::Column::RemittedOn.lte(to));
    if let Some(x) = city {
        rem = rem.add(fee_remittance::Column::City.eq(x));
    }
    let remitted = sums_by_city::<fee_remittance::Entity, _>(db, rem, fee_remittance::Column::City).await?;
    let mut out: BTreeMap<String, Reconciliation> = BTreeMap::new();
    for (c, v) in collected {
        out.entry(c).or_default().collected = Money::from_fen(v);
    }
    for (c, v) in refunded {
        out.entry(c).or_default().refunded = Money::from_fen(v);
    }
    for (c, v) in remitted {
        out.entry(c).or_default().remitted = Money::from_fen(v);
    }
    Ok(out)
}

fn minus(a: Reconciliation, b: Reconciliation) -> Reconciliation {
    Reconciliation {
        collected: Money::from_fen(a.collected.fen() - b.collected.fen()),
        refunded: Money::from_fen(a.refunded.fen() - b.refunded.fen()),
        remitted: Money::from_fen(a.remitted.fen() - b.remitted.fen()),
    }
}

fn plus(a: Reconciliation, b: Reconciliation) -> Reconciliation {
    Reconciliation {
        collected: a.collected + b.collected,
        refunded: a.refunded + b.refunded,
        remitted: a.remitted + b.remitted,
    }
}

impl Store {
    /// Fills in the names of who recorded each fee's payment, waiver or refund (one read for all).
    async fn name_fees<'a>(&self, fees: impl Iterator<Item = &'a mut FeeView>) -> StoreResult<()> {
        let fees: Vec<&mut FeeView> = fees.collect();
        let wanted = fees.iter().flat_map(|f| [f.paid_by.clone(), f.decided_by.clone()]).flatten().collect();
        let names = self.names_of_users(wanted).await?;
        let name = |u: &Option<String>| u.as_deref().map(|u| crate::users::name_or_user(&names, u));
        for f in fees {
            f.paid_by_name = name(&f.paid_by);
            f.decided_by_name = name(&f.decided_by);
        }
        Ok(())
    }

    /// Fills in the names of who recorded each remittance.
    async fn name_remittances(&self, rows: &mut [RemittanceView]) -> StoreResult<()> {
        let names = self.names_of_users(rows.iter().map(|r| r.recorded_by.clone()).collect()).await?;
        for r in rows {
            r.recorded_by_name = crate::users::name_or_user(&names, &r.recorded_by);
        }
        Ok(())
    }
}

impl Store {
    /// The city whose ledger the caller reads: a city center its own (another city named is not found),
    /// the province the one it names or none (the whole province).
    pub(crate) fn ledger_city(&self, p: &Principal, requested: Option<&str>) -> StoreResult<Option<String>> {
        require(p, Action::ViewFees)?;
        crate::orgs::asked_city(p, requested)
    }

    /// F1: the standard fee in force on `on` and its version.
    pub(crate) async fn fee_standard(&self, on: Date, used: &mut PolicyUsed) -> StoreResult<(Money, i64)> {
        let fen: i64 = self.policy_parsed(keys::ASSESSMENT_FEE, on, used).await?;
        let version = self.policy_on(keys::ASSESSMENT_FEE, on).await?.version_id;
        Ok((Money::from_fen(fen), version))
    }

    /// F1: a session's candidates with their fees, the standard, the totals, and whether the caller
    /// records them. For the centers' staff who see the session (the station's city, the province).
    pub async fn session_fees(&self, p: &Principal, session_id: i64) -> StoreResult<SessionFees> {
        require(p, Action::ViewFees)?;
        let m = self.session_in_scope(p, session_id).await?;
        let (standard, policy_version_id) = self.fee_standard(m.first_day, &mut PolicyUsed::default()).await?;
        let candidates = exam_candidate::Entity::find()
            .filter(exam_candidate::Column::SessionId.eq(session_id))
            .order_by_asc(exam_candidate::Column::Id)
            .all(self.reader())
            .await?;
        let rows: HashMap<i64, exam_fee::Model> = exam_fee::Entity::find()
            .filter(exam_fee::Column::SessionId.eq(session_id))
            .all(self.reader())
            .await
            .map_err(StoreError::reading(format!("fees of session {session_id}")))?
            .into_iter()
            .map(|f| (f.candidate_id, f))
            .collect();
        let mut fees: Vec<FeeView> = candidates.iter().map(|c| fee_view(c, rows.get(&c.id))).collect();
        self.name_fees(fees.iter_mut()).await?;
        let city = m.station_city.clone();
        let can_record = city.as_deref().is_some_and(|c| records_for(p, c));
        let open = m.state == SessionState::Approved;
        let session = self.session_views(vec![m]).await?.pop().ok_or(StoreError::NotFound)?;
        Ok(SessionFees { totals: totals(&fees), session, city, standard, policy_version_id, fees, open, can_record })
    }

    /// F1: one candidate's fee with its session's facts (the session's fees narrowed to one).
    pub async fn candidate_fee(&self, p: &Principal, session_id: i64, candidate_id: i64) -> StoreResult<SessionFees> {
        let mut s = self.session_fees(p, session_id).await?;
        s.fees.retain(|f| f.candidate_id == candidate_id);
        if s.fees.is_empty() {
            return Err(StoreError::NotFound);
        }
        Ok(s)
    }

    /// F1: the ledger over `period` of the caller's city (a city center) or of the city the province
    /// names (or of every city, summed), with each city's figures.
    pub async fn fee_ledger(&self, p: &Principal, city: Option<&str>, period: Period) -> StoreResult<Ledger> {
        let city = self.ledger_city(p, city)?;
        let before = period.first.previous_day().unwrap_or(period.first);
        let opening = ledgers_to(self.reader(), city.as_deref(), before).await?;
        let closing = ledgers_to(self.reader(), city.as_deref(), period.last).await?;
        let mut names: Vec<String> = closing.keys().cloned().collect();
        if let Some(c) = city.as_ref().filter(|c| !names.contains(c)) {
            names.push(c.clone());
        }
        let cities: Vec<CityLedger> = names
            .into_iter()
            .map(|c| {
                let open = opening.get(&c).copied().unwrap_or_default();
                let close = closing.get(&c).copied().unwrap_or_default();
                CityLedger { opening: open.outstanding(), period: minus(close, open), closing: close, city: c }
            })
            .collect();
        let sum = cities.iter().fold(
            CityLedger {
                city: city.clone().unwrap_or_default(),
                opening: Money::ZERO,
                period: Reconciliation::default(),
                closing: Reconciliation::default(),
            },
            |acc, c| CityLedger {
                city: acc.city,
                opening: acc.opening + c.opening,
                period: plus(acc.period, c.period),
                closing: plus(acc.closing, c.closing),
            },
        );
        let can_remit = city.as_deref().is_some_and(|c| records_for(p, c));
        Ok(Ledger { city, period, total: sum, cities, can_remit })
    }

    /// F1: the recorded fees (paid, waived, refunded) of the caller's city or the province's chosen
    /// city, newest first; filtered by a period (a payment, waiver or refund dated in it), a status and
    /// words of the candidate's name or the receipt number.
    pub async fn list_fee_records(&self, p: &Principal, q: &FeeQuery, page: PageReq) -> StoreResult<Page<FeeRecord>> {
        let city = self.ledger_city(p, q.city.as_deref())?;
        let mut sel = exam_fee::Entity::find();
        if let Some(c) = &city {
            sel = sel.filter(exam_fee::Column::City.eq(c.clone()));
        }
        if let Some(period) = q.period {
            let within = |col: exam_fee::Column| Condition::all().add(col.gte(period.first)).add(col.lte(period.last));
            sel = sel.filter(
                Condition::any()
                    .add(within(exam_fee::Column::PaidOn))
                    .add(within(exam_fee::Column::WaivedOn))
                    .add(within(exam_fee::Column::RefundedOn)),
            );
        }
        if let Some(s) = q.status {
            sel = sel.filter(exam_fee::Column::Status.eq(s));
        }
        if let Some(words) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let named = exam_candidate::Entity::find()
                .select_only()
                .column(exam_candidate::Column::Id)
                .filter(exam_candidate::Column::Name.contains(words));
            sel = sel.filter(
                Condition::any()
                    .add(exam_fee::Column::CandidateId.in_subquery(sea_orm::QueryTrait::into_query(named)))
                    .add(exam_fee::Column::ReceiptNumber.contains(words)),
            );
        }
        let rows =
            crate::fetch_page(self.reader(), sel, exam_fee::Column::Id, true, page).await.map_err(|e| match e {
                StoreError::Db(d) => StoreError::reading("fee records")(d),
                e => e,
            })?;
        let cids: Vec<i64> = rows.items.iter().map(|f| f.candidate_id).collect();
        let candidates: HashMap<i64, exam_candidate::Model> = exam_candidate::Entity::find()
            .filter(exam_candidate::Column::Id.is_in(cids))
            .all(self.reader())
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        let mut sids: Vec<i64> = rows.items.iter().map(|f| f.session_id).collect();
        sids.sort_unstable();
        sids.dedup();
        let models =
            exam_session::Entity::find().filter(exam_session::Column::Id.is_in(sids)).all(self.reader()).await?;
        let sessions: HashMap<i64, SessionView> =
            self.session_views(models).await?.into_iter().map(|s| (s.id, s)).collect();
        let mut items: Vec<FeeRecord> = rows
            .items
            .iter()
            .filter_map(|f| {
                let c = candidates.get(&f.candidate_id)?;
                let s = sessions.get(&f.session_id)?;
                Some(FeeRecord {
                    fee: fee_view(c, Some(f)),
                    city: f.city.clone(),
                    station_name: s.station_name.clone(),
                    project_code: s.project_code.clone(),
                    project_name: s.project_name.clone(),
                    first_day: s.first_day,
                })
            })
            .collect();
        self.name_fees(items.iter_mut().map(|r| &mut r.fee)).await?;
        Ok(Page { items, total: rows.total, page: rows.page, per_page: rows.per_page })
    }

    /// F1: the remittances of the caller's city or the province's chosen city, latest first; filtered
    /// by a period (the remittance's date) and words of the voucher number.
    pub async fn list_remittances(
        &self,
        p: &Principal,
        q: &FeeQuery,
        page: PageReq,
    ) -> StoreResult<Page<RemittanceView>> {
        let city = self.ledger_city(p, q.city.as_deref())?;
        let mut sel = fee_remittance::Entity::find();
        if let Some(c) = &city {
            sel = sel.filter(fee_remittance::Column::City.eq(c.clone()));
        }
        if let Some(period) = q.period {
            sel = sel
                .filter(fee_remittance::Column::RemittedOn.gte(period.first))
                .filter(fee_remittance::Column::RemittedOn.lte(period.last));
        }
        if let Some(words) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            sel = sel.filter(fee_remittance::Column::VoucherNumber.contains(words));
        }
        let rows = crate::fetch_page(self.reader(), sel, fee_remittance::Column::Id, true, page).await?;
        let mut rows = rows.map(remittance_view);
        self.name_remittances(&mut rows.items).await?;
        Ok(rows)
    }

    /// F1: one remittance (the caller's city, or any for the province).
    pub async fn get_remittance(&self, p: &Principal, id: i64) -> StoreResult<RemittanceView> {
        require(p, Action::ViewFees)?;
        let m = fee_remittance::Entity::find_by_id(id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        if !crate::orgs::covers_city(p, &m.city) {
            return Err(StoreError::NotFound);
        }
        let mut rows = [remittance_view(m)];
        self.name_remittances(&mut rows).await?;
        let [r] = rows;
        Ok(r)
    }
}
