//! The working-day calendar page (S3, E3): loaded years with their holidays and make-up working days,
//! a working-day calculator, and entry of a new year's arrangement by the province admin.

use crate::AppState;
use crate::auth::Staff;
use crate::error::PageError;
use crate::extract::{Form, Query};
use crate::view::{Errors, Layout, done, parse_date, redirect_or_form};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use domain::authz::Action;
use domain::calendar::{CalendarSource, Holiday, MakeupDay, YearArrangement};
use domain::{FieldError, FieldErrors};
use serde::Deserialize;
use store::StoreError;
use store::calendar::CalendarYearView;

#[derive(Template, WebTemplate)]
#[template(path = "calendar.html")]
pub struct CalendarPage {
    layout: Layout,
    years: Vec<CalendarYearView>,
    can_edit: bool,
    form: YearForm,
    errors: Errors,
    calc_from: String,
    calc_days: String,
    calc_result: String,
    calc_ok: bool,
}

#[derive(Deserialize, Default, Clone)]
pub struct YearForm {
    #[serde(default)]
    year: String,
    #[serde(default)]
    holidays: String,
    #[serde(default)]
    workdays: String,
}

#[derive(Deserialize, Default)]
pub struct CalQuery {
    from: Option<String>,
    days: Option<String>,
}

async fn page(
    state: &AppState,
    staff: &Staff,
    form: YearForm,
    errors: FieldErrors,
    q: &CalQuery,
) -> Result<CalendarPage, PageError> {
    let years = state.store.calendar_years(&staff.principal).await?;
    let (calc_from, calc_days) = (q.from.clone().unwrap_or_default(), q.days.clone().unwrap_or_default());
    let mut calc_ok = false;
    let calc_result = if calc_from.is_empty() {
        String::new()
    } else {
        match (parse_date(&calc_from), calc_days.trim().parse::<u32>()) {
            (Some(d), Ok(n)) if n <= 366 => match state.store.calendar().await?.add_working_days(d, n) {
                Ok(r) => {
                    calc_ok = true;
                    format!("{d} 之后第 {n} 个工作日是 {r}")
                }
                Err(e) => e.to_string(),
            },
            (None, _) => "起始日期格式应为 YYYY-MM-DD".into(),
            _ => "工作日数应为 0 至 366 的整数".into(),
        }
    };
    Ok(CalendarPage {
        layout: Layout::new(staff, &state.config.system_name, "工作日历", "/admin/calendar"),
        years,
        can_edit: staff.principal.can(Action::EditCalendar),
        form,
        errors: Errors(errors),
        calc_from,
        calc_days,
        calc_result,
        calc_ok,
    })
}

pub async fn show_calendar(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<CalQuery>,
) -> Result<CalendarPage, PageError> {
    page(&state, &staff, YearForm::default(), FieldErrors::new(), &q).await
}

/// Parse the lines typed into the form: holidays `名称,开始,结束`, make-up days `日期,对应节日`.
fn parse_year_form(f: &YearForm) -> Result<(i32, YearArrangement), FieldErrors> {
    let mut errs = FieldErrors::new();
    let year = f.year.trim().parse::<i32>().ok().filter(|y| (2021..=2100).contains(y));
    if year.is_none() {
        errs.push(FieldError::new("year", "YEAR_INVALID", "年份应为 2021 至 2100 之间的四位数字"));
    }
    let mut holidays = Vec::new();
    for (i, line) in f.holidays.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
        let parts: Vec<&str> = line.split([',', '，']).map(str::trim).collect();
        match parts.as_slice() {
            [name, start, end] if !name.is_empty() => match (parse_date(start), parse_date(end)) {
                (Some(start), Some(end)) => holidays.push(Holiday { name: name.to_string(), start, end }),
                _ => errs.push(FieldError::new(
                    "holidays",
                    "DATE_FORMAT",
                    format!("放假安排第 {} 行的日期格式应为 YYYY-MM-DD", i + 1),
                )),
            },
            _ => errs.push(FieldError::new(
                "holidays",
                "LINE_FORMAT",
                format!("放假安排第 {} 行应为“名称,开始日期,结束日期”", i + 1),
            )),
        }
    }
    if holidays.is_empty() && errs.get("holidays").is_none() {
        errs.push(FieldError::new("holidays", "REQUIRED", "请至少填写一个节假日"));
    }
    let mut workdays = Vec::new();
    for (i, line) in f.workdays.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
        let parts: Vec<&str> = line.split([',', '，']).map(str::trim).collect();
        match parts.as_slice() {
            [date, for_name] => match parse_date(date) {
                Some(date) => workdays.push(MakeupDay { date, for_name: for_name.to_string() }),
                None => errs.push(FieldError::new(
                    "workdays",
                    "DATE_FORMAT",
                    format!("调休上班日第 {} 行的日期格式应为 YYYY-MM-DD", i + 1),
                )),
            },
            _ => errs.push(FieldError::new(
                "workdays",
                "LINE_FORMAT",
                format!("调休上班日第 {} 行应为“日期,对应节日”", i + 1),
            )),
        }
    }
    errs.into_result()?;
    Ok((year.unwrap_or_default(), YearArrangement { holidays, workdays }))
}

pub async fn set_calendar_year(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<YearForm>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::EditCalendar) {
        return Err(crate::auth::forbidden());
    }
    let result = match parse_year_form(&f) {
        Ok((year, arr)) => state.store.set_calendar_year(&staff.principal, year, arr, &staff.ctx).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    let no_query = CalQuery::default();
    redirect_or_form(result, |()| done("/admin/calendar", "calendar"), |errs| page(&state, &staff, f, errs, &no_query))
        .await
}
