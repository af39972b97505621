//! The public certificate query, a certificate's public record, the verification of a credential, the
//! keys document and the credential downloads over the API (C1, C2; docs/CERTIFICATES.md).

use crate::AppState;
use crate::api::{ApiJson, ErrorEnvelope};
use crate::auth::ApiCaller;
use crate::error::{ApiError, AppError};
use crate::extract::{Path, Query};
use axum::Json;
use axum::extract::State;
use domain::authz::Action;
use domain::certificates::{
    CertificateQuery, CertificateQueryInput, CertificateStatus, KeysDocument, NOT_FOUND, QueryChannel, QueryOutcome,
};
use serde::{Deserialize, Serialize};
use store::certificates::{CredentialCheck, PublicCertificate, QueryDay};
use utoipa::{IntoParams, ToSchema};

/// The public query: the certificate number and the holder's name, both required.
#[derive(Deserialize, ToSchema)]
#[schema(as = CertificateQueryInput)]
#[serde(default)]
#[derive(Default)]
pub struct CertificateQueryDto {
    /// The certificate number as printed (spaces are ignored).
    #[schema(required = true, example = "4301260001000001")]
    pub number: String,
    /// The holder's name, exactly.
    #[schema(required = true, example = "李小龙")]
    pub name: String,
}

/// A reported certificate as the public sees it (the ID number masked).
#[derive(Serialize, ToSchema)]
#[schema(as = PublicCertificate)]
pub struct PublicCertificateDto {
    pub number: String,
    pub holder_name: String,
    /// e.g. `430***********123X`.
    pub id_number_masked: String,
    pub project_code: String,
    pub project_name: String,
    pub station_name: String,
    /// The city center that issued it.
    pub issuer_name: String,
    /// `YYYY-MM-DD`.
    pub issued_on: String,
    /// `valid` | `revoked`.
    pub status: String,
    /// 有效 | 已注销.
    pub status_label: String,
    /// The day it was revoked (`YYYY-MM-DD`), when it was.
    pub revoked_on: Option<String>,
    /// How many times it was reissued on a new blank under the same number.
    pub reissues: i32,
}

impl From<PublicCertificate> for PublicCertificateDto {
    fn from(c: PublicCertificate) -> Self {
        PublicCertificateDto {
            number: c.number,
            holder_name: c.holder_name,
            id_number_masked: c.id_number_masked,
            project_code: c.project_code,
            project_name: c.project_name,
            station_name: c.station_name,
            issuer_name: c.issuer_name,
            issued_on: c.issued_on.to_string(),
            status: c.status.id().to_owned(),
            status_label: c.status.label().to_owned(),
            revoked_on: c.revoked_on.map(|d| d.to_string()),
            reissues: c.reissues,
        }
    }
}

/// The answer of the query: the certificate, or `found: false` with the one message for an unknown
/// number, a wrong name and a certificate not yet public.
#[derive(Serialize, ToSchema)]
#[schema(as = CertificateQueryAnswer)]
pub struct QueryAnswerDto {
    pub found: bool,
    pub message: String,
    pub certificate: Option<PublicCertificateDto>,
}

/// Parses the query, logging a refused one; the answer as the page and the API give it.
pub(super) async fn run_query(
    state: &AppState,
    input: &CertificateQueryInput,
    channel: QueryChannel,
) -> Result<Option<PublicCertificate>, AppError> {
    let q = match CertificateQuery::parse(input) {
        Ok(q) => q,
        Err(e) => {
            state.store.log_certificate_query(QueryOutcome::Invalid, channel).await?;
            return Err(AppError::Invalid(e));
        }
    };
    Ok(state.store.query_certificate(&q, channel).await?)
}

/// C2: the public certificate query (no sign-in). Both fields required (422 naming each); exact
/// match only; the same answer (`found: false`) for an unknown number, a wrong name and a
/// certificate not yet reported to the province. Rate-limited per client (429); logged without
/// the number, the name or the address.
#[utoipa::path(post, path = "/api/v1/public/certificate-query", tag = "verify", request_body = CertificateQueryDto, security(()),
    responses((status = 200, body = QueryAnswerDto), (status = 422, body = ErrorEnvelope)))]
pub async fn certificate_query(
    State(state): State<AppState>,
    body: Result<ApiJson<CertificateQueryDto>, ApiError>,
) -> Result<Json<QueryAnswerDto>, ApiError> {
    let ApiJson(b) = body?;
    let input = CertificateQueryInput { number: b.number, name: b.name };
    Ok(Json(match run_query(&state, &input, QueryChannel::Api).await? {
        Some(c) => QueryAnswerDto { found: true, message: "查询到证书".into(), certificate: Some(c.into()) },
        None => QueryAnswerDto { found: false, message: NOT_FOUND.into(), certificate: None },
    }))
}

/// C2: the certificate of a verification token (the QR code's), every printed field; an unknown
/// token and a certificate not yet reported are 404.
#[utoipa::path(get, path = "/api/v1/public/certificates/{token}", tag = "verify", params(("token" = String, Path, description = "64 位十六进制验证码")), security(()),
    responses((status = 200, body = PublicCertificateDto), (status = 404, body = ErrorEnvelope)))]
pub async fn public_certificate(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Json<PublicCertificateDto>, ApiError> {
    Ok(Json(state.store.certificate_by_token(&token).await?.into()))
}

/// A credential to verify: its JSON text as downloaded.
#[derive(Deserialize, ToSchema)]
#[schema(as = VerifyCredentialInput)]
pub struct VerifyCredentialDto {
    /// The credential's JSON text (docs/CERTIFICATES.md).
    #[schema(required = true)]
    pub credential: String,
}

/// What verifying a credential found.
#[derive(Serialize, ToSchema)]
#[schema(as = CredentialCheck)]
pub struct CredentialCheckDto {
    /// Signed with a published key, unaltered, of this certificate, and the certificate valid.
    pub verified: bool,
    /// The finding in words (验证通过…, or why not: 签名验证失败、公钥未公布、格式有误、属于另一张证书、已注销).
    pub message: String,
}

impl From<CredentialCheck> for CredentialCheckDto {
    fn from(c: CredentialCheck) -> Self {
        CredentialCheckDto { verified: c.verified, message: c.message }
    }
}

/// C2: verify a signed credential against the certificate of a verification token (no sign-in).
#[utoipa::path(post, path = "/api/v1/public/certificates/{token}/verify", tag = "verify", params(("token" = String, Path)), request_body = VerifyCredentialDto, security(()),
    responses((status = 200, body = CredentialCheckDto), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn verify_credential(
    State(state): State<AppState>,
    Path(token): Path<String>,
    body: Result<ApiJson<VerifyCredentialDto>, ApiError>,
) -> Result<Json<CredentialCheckDto>, ApiError> {
    state.store.certificate_by_token(&token).await?;
    let ApiJson(b) = body?;
    Ok(Json(state.store.check_credential(&token, &b.credential).await?.into()))
}

/// One published public key.
#[derive(Serialize, Deserialize, ToSchema)]
#[schema(as = CertificatePublicKey)]
#[serde(rename_all = "camelCase")]
pub struct PublishedKeyDto {
    /// The key id, the fragment of a credential's `proof.verificationMethod`.
    #[schema(example = "sm2-1a2b3c4d5e6f7a8b")]
    pub id: String,
    /// `sm2` | `ed25519`.
    pub algorithm: String,
    /// `kaohe-sm2-jcs-2026` | `kaohe-ed25519-jcs-2026`.
    pub cryptosuite: String,
    /// SM2: uncompressed SEC1 point (65 bytes); Ed25519: 32 bytes; hex.
    pub public_key_hex: String,
}

/// The keys credentials of this deployment are signed with (both suites).
#[derive(Serialize, Deserialize, ToSchema)]
#[schema(as = CertificateKeys)]
pub struct KeysDocumentDto {
    /// The issuer's identifier (`issuer.id` of the credentials).
    pub issuer: String,
    pub keys: Vec<PublishedKeyDto>,
}

impl From<KeysDocument> for KeysDocumentDto {
    fn from(d: KeysDocument) -> Self {
        KeysDocumentDto {
            issuer: d.issuer,
            keys: d
                .keys
                .into_iter()
                .map(|k| PublishedKeyDto {
                    id: k.id,
                    algorithm: k.algorithm,
                    cryptosuite: k.cryptosuite,
                    public_key_hex: k.public_key_hex,
                })
                .collect(),
        }
    }
}

/// C1: the province's public keys for certificate credentials — the SM2 and the Ed25519 key of the
/// deployment, the configured suite's first — so anyone can verify a credential offline.
#[utoipa::path(get, path = "/.well-known/kaohe/certificate-keys.json", tag = "verify", security(()),
    responses((status = 200, body = KeysDocumentDto)))]
pub async fn certificate_keys(State(state): State<AppState>) -> Json<KeysDocumentDto> {
    Json(state.store.certificate_keys(state.config.public_base_url.as_deref()).into())
}

/// The issuer of a credential.
#[derive(Serialize, Deserialize, ToSchema)]
#[schema(as = CredentialIssuer)]
pub struct IssuerDto {
    pub id: String,
    pub name: String,
}

/// The project of a credential's subject.
#[derive(Serialize, Deserialize, ToSchema)]
#[schema(as = CredentialProject)]
pub struct ProjectDto {
    pub code: String,
    pub name: String,
}

/// What a credential states of its holder.
#[derive(Serialize, Deserialize, ToSchema)]
#[schema(as = CredentialSubject)]
#[serde(rename_all = "camelCase")]
pub struct SubjectDto {
    pub name: String,
    pub id_number_masked: String,
    pub certificate_number: String,
    pub project: ProjectDto,
    pub station: String,
    pub issued_on: String,
}

/// A credential's proof.
#[derive(Serialize, Deserialize, ToSchema)]
#[schema(as = CredentialProof)]
#[serde(rename_all = "camelCase")]
pub struct ProofDto {
    /// `DataIntegrityProof`.
    #[serde(rename = "type")]
    pub kind: String,
    pub cryptosuite: String,
    pub verification_method: String,
    pub proof_purpose: String,
    pub created: String,
    /// `sm2:<hex r‖s>` | `ed25519:<hex>`.
    pub proof_value: String,
}

/// A certificate's signed credential (W3C Verifiable Credential shape; docs/CERTIFICATES.md).
#[derive(Serialize, Deserialize, ToSchema)]
#[schema(as = CertificateCredential)]
#[serde(rename_all = "camelCase")]
pub struct CredentialDto {
    #[serde(rename = "@context")]
    pub context: Vec<String>,
    #[serde(rename = "type")]
    pub kind: Vec<String>,
    pub id: String,
    pub issuer: IssuerDto,
    pub valid_from: String,
    pub credential_subject: SubjectDto,
    pub proof: ProofDto,
}

pub(super) fn credential_dto(doc: serde_json::Value) -> Result<CredentialDto, AppError> {
    serde_json::from_value(doc).map_err(|e| AppError::Internal(format!("credential shape: {e}")))
}

/// C1: a certificate's signed credential for the staff who read it (their city's; another: 404);
/// not yet reported: 409 `CERTIFICATE_NOT_REPORTED`.
#[utoipa::path(get, path = "/api/v1/issued-certificates/{id}/credential", tag = "verify", params(("id" = i64, Path)),
    responses((status = 200, body = CredentialDto), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 409, description = "证书尚未上报（CERTIFICATE_NOT_REPORTED）", body = ErrorEnvelope)))]
pub async fn staff_credential(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<CredentialDto>, ApiError> {
    caller.require(Action::ListCertificates)?;
    let base = state.config.public_base_url.as_deref();
    let (_, doc) = state.store.certificate_credential(&caller.principal, id, base).await?;
    Ok(Json(credential_dto(doc)?))
}

/// C1: the candidate's own certificate's signed credential (reported and valid; another's: 404).
#[utoipa::path(get, path = "/api/v1/my/certificates/{id}/credential", tag = "verify", params(("id" = i64, Path)),
    responses((status = 200, body = CredentialDto), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn own_credential(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<CredentialDto>, ApiError> {
    caller.require(Action::ApplyExams)?;
    let base = state.config.public_base_url.as_deref();
    let (_, doc) = state.store.own_certificate_credential(&caller.principal, id, base).await?;
    Ok(Json(credential_dto(doc)?))
}

/// Days of the query log to count.
#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct LogParams {
    /// How many days back (1–366, default 30).
    pub days: Option<i64>,
}

/// One day of the query log.
#[derive(Serialize, ToSchema)]
#[schema(as = CertificateQueryDay)]
pub struct QueryDayDto {
    /// `YYYY-MM-DD` (Asia/Shanghai).
    pub day: String,
    pub found: u64,
    pub not_found: u64,
    pub invalid: u64,
    pub limited: u64,
}

impl From<QueryDay> for QueryDayDto {
    fn from(d: QueryDay) -> Self {
        QueryDayDto {
            day: d.day.to_string(),
            found: d.found,
            not_found: d.not_found,
            invalid: d.invalid,
            limited: d.limited,
        }
    }
}

/// C2: the public query's use per day and outcome (the province's staff): counts only, the log keeps
/// no number, name or address.
#[utoipa::path(get, path = "/api/v1/certificate-query/log", tag = "verify", params(LogParams),
    responses((status = 200, body = Vec<QueryDayDto>), (status = 403, body = ErrorEnvelope)))]
pub async fn query_log(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<LogParams>,
) -> Result<Json<Vec<QueryDayDto>>, ApiError> {
    caller.require(Action::ListCertificates)?;
    let days = state.store.certificate_query_counts(&caller.principal, q.days.unwrap_or(30)).await?;
    Ok(Json(days.into_iter().map(Into::into).collect()))
}

/// `valid`/`revoked` in words, for the pages.
pub(super) fn status_words(c: &PublicCertificate) -> String {
    match (c.status, c.revoked_on) {
        (CertificateStatus::Revoked, Some(d)) => format!("已注销（{d} 注销）"),
        (s, _) => s.label().to_owned(),
    }
}
