//! Organisation management (R1, R2; S1 legal-person facts): stations, development units and other
//! institutions with credit code, nature, address and region; search, paging and CSV export.

use crate::AppState;
use crate::auth::Staff;
use crate::error::PageError;
use crate::extract::{Form, Path, Query};
use crate::view::{Errors, Layout, Pager, csv_download, done, filter_query, redirect_or_form};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use domain::FieldErrors;
use domain::authz::Action;
use domain::org::{DataScope, Nature, OrgKind, OrgStatus};
use serde::Deserialize;
use store::PageReq;
use store::orgs::{OrgInput, OrgQuery, OrgView};

#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    kind: Option<String>,
    city: Option<String>,
    page: Option<u64>,
}

fn org_query(q: &ListQuery) -> OrgQuery {
    OrgQuery { q: q.q.clone(), kind: q.kind.clone(), city: q.city.clone() }
}

#[derive(Template, WebTemplate)]
#[template(path = "orgs/list.html")]
pub struct OrgsPage {
    layout: Layout,
    orgs: Vec<OrgView>,
    pager: Pager,
    q: String,
    kind: String,
    city: String,
    kinds: Vec<OrgKind>,
    cities: Vec<(&'static str, &'static str)>,
    can_manage: bool,
    export_href: String,
}

pub async fn list_orgs(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<OrgsPage, PageError> {
    let page = state.store.list_orgs(&staff.principal, &org_query(&q), PageReq::new(q.page, Some(20))).await?;
    let fq = filter_query(&[("q", q.q.clone()), ("kind", q.kind.clone()), ("city", q.city.clone())]);
    Ok(OrgsPage {
        layout: Layout::new(&staff, &state.config.system_name, "机构管理", "/admin/orgs"),
        pager: Pager::of(&page, "/admin/orgs", &fq),
        export_href: format!("/admin/orgs/export.csv?{fq}"),
        orgs: page.items,
        q: q.q.unwrap_or_default(),
        kind: q.kind.unwrap_or_default(),
        city: q.city.unwrap_or_default(),
        kinds: OrgKind::ALL.to_vec(),
        cities: domain::ids::HUNAN_CITIES.to_vec(),
        can_manage: staff.principal.can(Action::ManageOrgs),
    })
}

pub async fn export_orgs(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let page = state.store.list_orgs(&staff.principal, &org_query(&q), PageReq { page: 1, per_page: 100_000 }).await?;
    let rows = page
        .items
        .into_iter()
        .map(|o| {
            vec![
                o.name,
                o.kind_label,
                o.nature_label,
                o.credit_code.unwrap_or_default(),
                o.city_name,
                o.region_code,
                o.address,
                o.contact_name,
                o.contact_phone,
                crate::view::shanghai(o.created_at),
            ]
        })
        .collect();
    Ok(csv_download(
        "orgs.csv",
        &[
            "机构名称",
            "类别",
            "性质",
            "统一社会信用代码",
            "所在市州",
            "行政区划代码",
            "地址",
            "联系人",
            "联系电话",
            "登记时间",
        ],
        rows,
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "orgs/form.html")]
pub struct OrgFormPage {
    layout: Layout,
    action: String,
    input: OrgInput,
    errors: Errors,
    kinds: Vec<OrgKind>,
    natures: Vec<Nature>,
    province: bool,
}

fn form_page(
    state: &AppState,
    staff: &Staff,
    title: &str,
    action: String,
    input: OrgInput,
    errors: FieldErrors,
) -> OrgFormPage {
    OrgFormPage {
        layout: Layout::new(staff, &state.config.system_name, title, "/admin/orgs").crumb("机构管理", "/admin/orgs"),
        action,
        input,
        errors: Errors(errors),
        kinds: vec![OrgKind::Station, OrgKind::DevUnit, OrgKind::Other],
        natures: Nature::ALL.to_vec(),
        province: matches!(staff.principal.scope, DataScope::Province),
    }
}

pub async fn new_org_form(State(state): State<AppState>, staff: Staff) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ManageOrgs) {
        return Err(crate::auth::forbidden());
    }
    let mut input = OrgInput { kind: "station".into(), ..Default::default() };
    if let DataScope::City(c) = &staff.principal.scope {
        input.region_code = c.clone();
    }
    Ok(form_page(&state, &staff, "新增机构", "/admin/orgs".into(), input, FieldErrors::new()).into_response())
}

#[derive(Deserialize)]
pub struct OrgForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    nature: String,
    #[serde(default)]
    credit_code: String,
    #[serde(default)]
    accept_credit_warning: Option<String>,
    #[serde(default)]
    region_code: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    contact_name: String,
    #[serde(default)]
    contact_phone: String,
}

impl From<OrgForm> for OrgInput {
    fn from(f: OrgForm) -> Self {
        OrgInput {
            name: f.name,
            kind: f.kind,
            nature: f.nature,
            credit_code: f.credit_code,
            accept_credit_warning: f.accept_credit_warning.is_some(),
            region_code: f.region_code,
            address: f.address,
            contact_name: f.contact_name,
            contact_phone: f.contact_phone,
        }
    }
}

pub async fn create_org(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<OrgForm>,
) -> Result<Response, PageError> {
    let input = OrgInput::from(f);
    let result = state.store.create_org(&staff.principal, &input, &staff.ctx).await;
    redirect_or_form(
        result,
        |id| done(format!("/admin/orgs/{id}"), "created"),
        |errs| async { Ok(form_page(&state, &staff, "新增机构", "/admin/orgs".into(), input, errs)) },
    )
    .await
}

#[derive(Template, WebTemplate)]
#[template(path = "orgs/show.html")]
pub struct OrgPage {
    layout: Layout,
    org: OrgView,
    form: Option<OrgFormPage>,
}

fn input_of(o: &OrgView) -> OrgInput {
    OrgInput {
        name: o.name.clone(),
        kind: o.kind.id().to_string(),
        nature: o.nature.map(|n| n.id().to_string()).unwrap_or_default(),
        credit_code: o.credit_code.clone().unwrap_or_default(),
        accept_credit_warning: o.credit_code_warning,
        region_code: o.region_code.clone(),
        address: o.address.clone(),
        contact_name: o.contact_name.clone(),
        contact_phone: o.contact_phone.clone(),
    }
}

async fn org_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    edit: Option<(OrgInput, FieldErrors)>,
) -> Result<OrgPage, PageError> {
    let org = state.store.get_org(&staff.principal, id).await?;
    let editable =
        staff.principal.can(Action::ManageOrgs) && !matches!(org.kind, OrgKind::ProvinceCenter | OrgKind::CityCenter);
    let form = editable.then(|| {
        let (input, errs) = edit.unwrap_or_else(|| (input_of(&org), FieldErrors::new()));
        form_page(state, staff, "修改机构信息", format!("/admin/orgs/{id}"), input, errs)
    });
    Ok(OrgPage {
        layout: Layout::new(staff, &state.config.system_name, &org.name, "/admin/orgs")
            .crumb("机构管理", "/admin/orgs"),
        org,
        form,
    })
}

pub async fn show_org(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> Result<OrgPage, PageError> {
    org_page(&state, &staff, id, None).await
}

pub async fn update_org(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<OrgForm>,
) -> Result<Response, PageError> {
    let input = OrgInput::from(f);
    let result = state.store.update_org(&staff.principal, id, &input, &staff.ctx).await;
    redirect_or_form(
        result,
        |()| done(format!("/admin/orgs/{id}"), "updated"),
        |errs| org_page(&state, &staff, id, Some((input, errs))),
    )
    .await
}
