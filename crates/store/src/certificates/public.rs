//! C2: what the public sees of a certificate, and its signed credential (C1, docs/CERTIFICATES.md).
//!
//! - **The query** ([`Store::query_certificate`]): the number and the holder's name, both required and
//!   matched whole (`domain::certificates::CertificateQuery`). Only a *reported* certificate answers;
//!   an unknown number, a wrong name and an unreported certificate are one answer (`None`). Every query
//!   leaves one row in `certificate_queries` (time, outcome, channel — nothing that names the
//!   certificate, the holder or the client).
//! - **The verification page** ([`Store::certificate_by_token`]): reached by the QR code's unguessable
//!   token; every printed field; an unreported certificate is as unknown as a wrong token.
//! - **The credential** ([`Store::certificate_credential`], [`Store::own_certificate_credential`]): the
//!   certificate as a W3C-shaped Verifiable Credential signed with the province's key of the configured
//!   suite; [`Store::certificate_keys`] publishes both suites' public keys, so credentials signed before
//!   a suite switch still verify; [`Store::check_credential`] verifies an uploaded one against a
//!   certificate.

use crate::entity::{certificate, certificate_query, user};
use crate::error::require;
use crate::orgs::covers_city;
use crate::{Store, StoreError, StoreResult, now};
use domain::FieldError;
use domain::authz::Action;
use domain::certificates::{
    CertificateClaims, CertificateQuery, CertificateStatus, CredentialError, KeysDocument, QueryChannel, QueryOutcome,
    Signer, credential_document, keys_document, published_key, sign_credential, verify_with_keys,
};
use domain::org::{DataScope, Principal};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, UtcOffset};

/// The issuer's identifier when no public base URL is configured.
pub const PROVINCE_URN: &str = "urn:kaohe:province:430000";
/// Where the keys document is published (under the public base URL).
pub const KEYS_PATH: &str = "/.well-known/kaohe/certificate-keys.json";

/// A reported certificate as the public sees it: every printed field, the ID number masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicCertificate {
    pub number: String,
    pub holder_name: String,
    pub id_number_masked: String,
    pub project_code: String,
    pub project_name: String,
    pub station_name: String,
    /// The city center that issued it.
    pub issuer_name: String,
    pub issued_on: Date,
    pub status: CertificateStatus,
    /// The day it was revoked (Asia/Shanghai); the reason is not public.
    pub revoked_on: Option<Date>,
    pub reissues: i32,
    pub reported_at: OffsetDateTime,
}

/// What checking an uploaded credential against a certificate found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialCheck {
    /// The credential is the province's, unaltered, of this certificate, and the certificate is valid.
    pub verified: bool,
    /// The finding in words (验证通过…, or why not).
    pub message: String,
}

fn shanghai(t: OffsetDateTime) -> OffsetDateTime {
    t.to_offset(UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC))
}

/// RFC 3339 in Asia/Shanghai, whole seconds (the proof's `created`).
fn rfc3339(t: OffsetDateTime) -> String {
    let t = shanghai(t);
    t.replace_nanosecond(0).unwrap_or(t).format(&Rfc3339).unwrap_or_default()
}

impl Store {
    async fn public_certificates(&self, rows: Vec<certificate::Model>) -> StoreResult<Vec<PublicCertificate>> {
        let mut issuers = std::collections::HashMap::new();
        for r in &rows {
            if !issuers.contains_key(&r.city) {
                issuers.insert(r.city.clone(), self.issuer_of(&r.city).await?);
            }
        }
        Ok(self
            .certificate_views(rows)
            .await?
            .into_iter()
            .filter_map(|c| {
                Some(PublicCertificate {
                    issuer_name: issuers.get(&c.city).cloned().unwrap_or_default(),
                    issued_on: shanghai(c.issued_at).date(),
                    revoked_on: c.revoked_at.map(|t| shanghai(t).date()),
                    reported_at: c.reported_at?,
                    number: c.number,
                    holder_name: c.holder_name,
                    id_number_masked: c.id_number_masked,
                    project_code: c.project_code,
                    project_name: c.project_name,
                    station_name: c.station_name,
                    status: c.status,
                    reissues: c.reissues,
                })
            })
            .collect())
    }

    /// C2: one line of the query log (no number, name, address or token).
    pub async fn log_certificate_query(&self, outcome: QueryOutcome, channel: QueryChannel) -> StoreResult<()> {
        certificate_query::ActiveModel {
            at: Set(now()),
            outcome: Set(outcome),
            channel: Set(channel),
            ..Default::default()
        }
        .insert(&self.db)
        .await?;
        Ok(())
    }

    /// C2: the public query. A reported certificate whose number and holder's name both equal the
    /// query's, else `None` — the same for an unknown number, a wrong name and an unreported
    /// certificate. Logged.
    pub async fn query_certificate(
        &self,
        q: &CertificateQuery,
        channel: QueryChannel,
    ) -> StoreResult<Option<PublicCertificate>> {
        let row = certificate::Entity::find()
            .filter(certificate::Column::Number.eq(q.number.clone()))
            .one(self.reader())
            .await?
            .filter(|c| c.reported_at.is_some())
            .filter(|c| q.matches(&c.number, &c.holder_name));
        let found = match row {
            Some(c) => self.public_certificates(vec![c]).await?.pop(),
            None => None,
        };
        let outcome = if found.is_some() { QueryOutcome::Found } else { QueryOutcome::NotFound };
        self.log_certificate_query(outcome, channel).await?;
        Ok(found)
    }

    async fn reported_by_token(&self, token: &str) -> StoreResult<certificate::Model> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(StoreError::NotFound);
        }
        certificate::Entity::find()
            .filter(certificate::Column::VerifyToken.eq(token.to_ascii_lowercase()))
            .one(self.reader())
            .await?
            .filter(|c| c.reported_at.is_some())
            .ok_or(StoreError::NotFound)
    }

    /// C2: the certificate of a verification page's token; unknown or unreported: `NotFound`.
    pub async fn certificate_by_token(&self, token: &str) -> StoreResult<PublicCertificate> {
        let c = self.reported_by_token(token).await?;
        self.public_certificates(vec![c]).await?.pop().ok_or(StoreError::NotFound)
    }

    /// C1: the keys document — the public keys of both suites (the configured suite's first), so a
    /// credential signed before a switch of suites still verifies.
    pub fn certificate_keys(&self, base: Option<&str>) -> KeysDocument {
        keys_document(&self.crypto, base.map(|b| format!("{b}/")).unwrap_or_else(|| PROVINCE_URN.to_owned()))
    }

    /// The signed credential of a reported certificate (its `created` is the report's time, so the
    /// same certificate always gives the same document).
    async fn credential_of(&self, c: certificate::Model, base: Option<&str>) -> StoreResult<(String, Value)> {
        let pc = self.public_certificates(vec![c]).await?.pop().ok_or_else(|| {
            StoreError::Conflict(FieldError::new(
                "certificate",
                "CERTIFICATE_NOT_REPORTED",
                "证书尚未上报省鉴定中心，上报后才有电子凭证",
            ))
        })?;
        let key = self.crypto.signing_key();
        let kid = published_key(&key).id;
        let signer = Signer {
            issuer_id: base.map(|b| format!("{b}/")).unwrap_or_else(|| PROVINCE_URN.to_owned()),
            verification_method: format!("{}{KEYS_PATH}#{kid}", base.unwrap_or("")),
            created: rfc3339(pc.reported_at),
        };
        let claims = CertificateClaims {
            number: pc.number.clone(),
            holder_name: pc.holder_name,
            id_number_masked: pc.id_number_masked,
            project_code: pc.project_code,
            project_name: pc.project_name,
            station_name: pc.station_name,
            issuer_name: pc.issuer_name,
            issued_on: pc.issued_on,
        };
        let doc = sign_credential(credential_document(&claims, &signer, key.alg()), &key)
            .map_err(|e| StoreError::Service { what: "certificate signing", source: Box::new(e) })?;
        Ok((pc.number, doc))
    }

    /// C1: a certificate's signed credential for the staff who read it (`ListCertificates`, their
    /// city; another city's: 404). Not yet reported: `CERTIFICATE_NOT_REPORTED` (409).
    pub async fn certificate_credential(
        &self,
        p: &Principal,
        id: i64,
        base: Option<&str>,
    ) -> StoreResult<(String, Value)> {
        require(p, Action::ListCertificates)?;
        let c = certificate::Entity::find_by_id(id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        if !covers_city(p, &c.city) {
            return Err(StoreError::NotFound);
        }
        self.credential_of(c, base).await
    }

    /// C1: the candidate's own certificate's credential — theirs when the ID-number blind index of their
    /// account is the certificate's; reported and valid only (else 404, as another's).
    pub async fn own_certificate_credential(
        &self,
        p: &Principal,
        id: i64,
        base: Option<&str>,
    ) -> StoreResult<(String, Value)> {
        require(p, Action::ApplyExams)?;
        let me = user::Entity::find_by_id(p.user_id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        let mine: Vec<String> = [me.candidate_idx, me.id_number_idx].into_iter().flatten().collect();
        let c = certificate::Entity::find_by_id(id)
            .one(self.reader())
            .await?
            .filter(|c| mine.contains(&c.id_number_idx))
            .filter(|c| c.reported_at.is_some() && c.status == CertificateStatus::Valid)
            .ok_or(StoreError::NotFound)?;
        self.credential_of(c, base).await
    }

    /// C2: checks an uploaded credential against the certificate of a verification page: signed with
    /// one of the published keys and unaltered, of this certificate, and the certificate still valid.
    pub async fn check_credential(&self, token: &str, text: &str) -> StoreResult<CredentialCheck> {
        let pc = self.certificate_by_token(token).await?;
        let keys = self.certificate_keys(None).keys;
        let fail = |message: String| Ok(CredentialCheck { verified: false, message });
        let v = match verify_with_keys(text, &keys) {
            Ok(v) => v,
            Err(e @ (CredentialError::NotJson | CredentialError::Missing(_) | CredentialError::Number)) => {
                return fail(format!("电子凭证格式有误：{e}"));
            }
            Err(e) => return fail(e.to_string()),
        };
        if v.number != pc.number {
            return fail(format!(
                "签名有效，但这份电子凭证属于另一张证书（编号 {}），不是本页所示的证书 {}",
                v.number, pc.number
            ));
        }
        if pc.status == CertificateStatus::Revoked {
            let on = pc.revoked_on.map(|d| d.to_string()).unwrap_or_default();
            return fail(format!("签名有效，但该证书已于 {on} 注销，电子凭证不再证明持证人持有有效证书"));
        }
        Ok(CredentialCheck {
            verified: true,
            message: format!(
                "验证通过：电子凭证由本省公布的公钥签发，内容未被改动，属于证书 {}（持证人 {}），证书现为有效状态",
                pc.number, v.holder_name
            ),
        })
    }

    /// C2: the query log's counts per day and outcome, newest day first (the province's staff only).
    pub async fn certificate_query_counts(&self, p: &Principal, days: i64) -> StoreResult<Vec<QueryDay>> {
        require(p, Action::ListCertificates)?;
        if p.scope != DataScope::Province {
            return Err(StoreError::Forbidden);
        }
        let since = now() - time::Duration::days(days.clamp(1, 366));
        let rows = certificate_query::Entity::find()
            .filter(certificate_query::Column::At.gte(since))
            .all(self.reader())
            .await?;
        let mut by_day: std::collections::BTreeMap<Date, QueryDay> = std::collections::BTreeMap::new();
        for r in rows {
            let day = shanghai(r.at).date();
            let e = by_day.entry(day).or_insert_with(|| QueryDay { day, ..QueryDay::default() });
            match r.outcome {
                QueryOutcome::Found => e.found += 1,
                QueryOutcome::NotFound => e.not_found += 1,
                QueryOutcome::Invalid => e.invalid += 1,
                QueryOutcome::Limited => e.limited += 1,
            }
        }
        Ok(by_day.into_values().rev().collect())
    }
}

/// One day of the query log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryDay {
    pub day: Date,
    pub found: u64,
    pub not_found: u64,
    pub invalid: u64,
    pub limited: u64,
}

impl Default for QueryDay {
    fn default() -> Self {
        QueryDay { day: Date::MIN, found: 0, not_found: 0, invalid: 0, limited: 0 }
    }
}
