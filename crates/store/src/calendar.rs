//! Working-day calendar (S3, E3): the statutory holidays and make-up working days per year, seeded from
//! `data/cn-statutory-calendar.json` and entered by the province center for new years. Kept in each instance's
//! cache while the calendar generation stands (`cache`), so every instance sees an entered year at once.

use crate::audit::AuditDraft;
use crate::entity::calendar_year;
use crate::error::require;
use crate::{Ctx, Store, StoreError, StoreResult, now};
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::calendar::{Calendar, YearArrangement};
use domain::org::Principal;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, QueryOrder, Set};
use serde_json::json;

#[derive(Debug, Clone, serde::Serialize)]
pub struct CalendarYearView {
    pub year: i32,
    pub source: domain::calendar::CalendarSource,
    pub updated_by: String,
    pub updated_at: time::OffsetDateTime,
    pub arrangement: YearArrangement,
}

/// A stored year's arrangement; one that does not decode is an error naming the year.
fn arrangement(y: &calendar_year::Model) -> StoreResult<YearArrangement> {
    serde_json::from_str(&y.arrangement).map_err(|e| corrupt_year(y.year, e))
}

fn corrupt_year(year: i32, e: impl Into<crate::error::BoxError>) -> StoreError {
    StoreError::corrupt(format!("calendar year {year}"), e)
}

impl Store {
    /// The calendar of every stored year; a year that does not decode or check is an error naming it.
    /// Kept by this handle while the calendar generation stands (issue 10): one query on the
    /// generation's primary key, and the years themselves only after one was entered.
    pub async fn calendar(&self) -> StoreResult<Calendar> {
        let generation = crate::cache::current(self.reader(), domain::audit::Generation::Calendar).await?;
        let load = || async {
            let mut cal = Calendar::new();
            for y in calendar_year::Entity::find().all(self.reader()).await? {
                cal.set_year(y.year, arrangement(&y)?).map_err(|e| corrupt_year(y.year, e))?;
            }
            Ok(cal)
        };
        Ok((*self.caches.calendar.get_or_load(generation, load).await?).clone())
    }

    pub async fn calendar_years(&self, p: &Principal) -> StoreResult<Vec<CalendarYearView>> {
        require(p, Action::ViewCalendar)?;
        let mut out = Vec::new();
        for y in calendar_year::Entity::find().order_by_desc(calendar_year::Column::Year).all(self.reader()).await? {
            let arrangement = arrangement(&y)?;
            out.push(CalendarYearView {
                year: y.year,
                source: y.source,
                updated_by: y.updated_by,
                updated_at: y.updated_at,
                arrangement,
            });
        }
        Ok(out)
    }

    /// Enter or replace a year's arrangement (province admin), validated before anything is written.
    pub async fn set_calendar_year(
        &self,
        p: &Principal,
        year: i32,
        arr: YearArrangement,
        ctx: &Ctx,
    ) -> StoreResult<()> {
        require(p, Action::EditCalendar)?;
        if arr.holidays.is_empty() {
            return Err(domain::FieldError::new("holidays", "REQUIRED", "请至少填写一个节假日").into());
        }
        let mut check = Calendar::new();
        check.set_year(year, arr.clone())?;
        let json = serde_json::to_string(&arr)?;
        let step = self.step(p, ctx).await?;
        let existing = calendar_year::Entity::find_by_id(year).one(&*step).await?;
        let replaced = existing.is_some();
        match existing {
            Some(m) => {
                let mut am = m.into_active_model();
                am.arrangement = Set(json);
                am.source = Set(domain::calendar::CalendarSource::Entered);
                am.updated_by = Set(p.username.clone());
                am.updated_at = Set(now());
                am.update(&*step).await?;
            }
            None => {
                calendar_year::ActiveModel {
                    year: Set(year),
                    arrangement: Set(json),
                    source: Set(domain::calendar::CalendarSource::Entered),
                    updated_by: Set(p.username.clone()),
                    updated_at: Set(now()),
                }
                .insert(&*step)
                .await?;
            }
        }
        step.audit(AuditDraft::new(
            AuditAction::CalendarYearSet,
            year,
            json!({
                "replaced": replaced, "holidays": arr.holidays.len(), "workdays": arr.workdays.len()
            }),
        ))
        .await?;
        step.close_todos(domain::workflow::SubjectKind::Calendar, year).await?;
        step.commit().await?;
        Ok(())
    }
}
