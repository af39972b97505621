//! The public certificate query, the QR code's verification page and the signed credential (C1, C2;
//! docs/CERTIFICATES.md): `/certificate-query` (POST number and name, both required; one answer for an
//! unknown number, a wrong name and an unreported certificate; its own rate limit; every query logged
//! without personal data), `/verify/{token}` (every printed field; an uploaded credential verified),
//! the keys document at `/.well-known/kaohe/certificate-keys.json`, the credential downloads of the
//! staff and of the candidate, and the same over the API.

pub mod api;
pub mod pages;

use super::Area;
use crate::limits::LimitClass;
use crate::routes::Routes;
use utoipa_axum::routes;

pub fn area() -> Area {
    Area { name: "verify", routes, menu: &[], notices: &[], links: &[] }
}

fn routes(r: Routes) -> Routes {
    r.get("/certificate-query", pages::query_form)
        .limited(LimitClass::PublicPage)
        .post("/certificate-query", pages::query)
        .limited(LimitClass::CertificateQuery)
        .get("/certificate-query/log", pages::query_log)
        .get("/verify/{token}", pages::verify_page)
        .limited(LimitClass::PublicPage)
        .post("/verify/{token}", pages::verify_upload)
        .limited(LimitClass::PublicPage)
        .get("/issued-certificates/{id}/credential.json", pages::staff_credential)
        .get("/my/certificates/{id}/credential.json", pages::own_credential)
        .api(routes!(api::certificate_query))
        .limited(LimitClass::CertificateQuery)
        .api(routes!(api::public_certificate))
        .limited(LimitClass::PublicPage)
        .api(routes!(api::verify_credential))
        .limited(LimitClass::PublicPage)
        .api(routes!(api::certificate_keys))
        .limited(LimitClass::PublicPage)
        .cached()
        .api(routes!(api::query_log))
        .api(routes!(api::staff_credential))
        .api(routes!(api::own_credential))
}
