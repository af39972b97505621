//! C1, C2: the signed credential. Each certificate is also a JSON document in the shape of a W3C
//! Verifiable Credential (Data Model 2.0) signed with the province's key through the configured suite
//! (SM2 with SM3 by default, Ed25519 as the alternative), so anyone can verify it offline with the
//! public key the province publishes — no call to kaohe needed.
//!
//! **What is signed.** The document with its `proof` object but without `proof.proofValue`,
//! canonicalized by the JSON Canonicalization Scheme (RFC 8785): object members sorted by their names'
//! UTF-16 code units, no whitespace, strings escaped as ECMAScript's `JSON.stringify` does, numbers as
//! integers (the document holds no fractions; a fraction is refused rather than formatted). The
//! signature is `proof.proofValue`, written `"<alg>:<hex>"` (`sm2:` 64 bytes r‖s, SM3 digest with the
//! default ID `1234567812345678`; `ed25519:` 64 bytes R‖S, RFC 8032), and `proof.cryptosuite` names the
//! same algorithm ([`CRYPTOSUITE_SM2`], [`CRYPTOSUITE_ED25519`]).
//!
//! Written by hand: the canonicalization is forty lines over `serde_json::Value`, and no kept crate
//! does JCS with the SM2 suite beside it. docs/CERTIFICATES.md specifies the format for outsiders.

use serde_json::{Map, Value, json};
use time::Date;

use serde::{Deserialize, Serialize};

use crate::crypto::{HashAlg, SignAlg, SigningKeyPair, TaggedSignature, hash};

/// `proof.cryptosuite` for SM2 signatures over SM3.
pub const CRYPTOSUITE_SM2: &str = "kaohe-sm2-jcs-2026";
/// `proof.cryptosuite` for Ed25519 signatures.
pub const CRYPTOSUITE_ED25519: &str = "kaohe-ed25519-jcs-2026";
/// The credential's own type beside `VerifiableCredential`.
pub const CREDENTIAL_TYPE: &str = "SpecialVocationalAbilityCertificate";
const CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";

/// The cryptosuite name of a signing algorithm.
pub fn cryptosuite(alg: SignAlg) -> &'static str {
    match alg {
        SignAlg::Sm2 => CRYPTOSUITE_SM2,
        SignAlg::Ed25519 => CRYPTOSUITE_ED25519,
    }
}

/// What a certificate's credential states (the fields printed on the certificate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateClaims {
    pub number: String,
    pub holder_name: String,
    /// Masked as pages show it (`430***********123X`): the credential never carries the full number.
    pub id_number_masked: String,
    pub project_code: String,
    pub project_name: String,
    pub station_name: String,
    /// The city center that issued it.
    pub issuer_name: String,
    pub issued_on: Date,
}

/// Where and by whom a credential is signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    /// The issuer's identifier, e.g. `https://kaohe.example/` or `urn:kaohe:province:430000`.
    pub issuer_id: String,
    /// The URL of the published public key, with its key id as fragment.
    pub verification_method: String,
    /// When the proof was made, RFC 3339.
    pub created: String,
}

/// The unsigned document with its proof options.
pub fn credential_document(c: &CertificateClaims, signer: &Signer, alg: SignAlg) -> Value {
    json!({
        "@context": [CONTEXT],
        "type": ["VerifiableCredential", CREDENTIAL_TYPE],
        "id": format!("urn:kaohe:certificate:{}", c.number),
        "issuer": { "id": signer.issuer_id, "name": c.issuer_name },
        "validFrom": format!("{}T00:00:00+08:00", c.issued_on),
        "credentialSubject": {
            "name": c.holder_name,
            "idNumberMasked": c.id_number_masked,
            "certificateNumber": c.number,
            "project": { "code": c.project_code, "name": c.project_name },
            "station": c.station_name,
            "issuedOn": c.issued_on.to_string(),
        },
        "proof": {
            "type": "DataIntegrityProof",
            "cryptosuite": cryptosuite(alg),
            "verificationMethod": signer.verification_method,
            "proofPurpose": "assertionMethod",
            "created": signer.created,
        },
    })
}

/// Why a credential does not verify. Messages are shown to whoever checks it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredentialError {
    #[error("文件不是有效的 JSON 文档")]
    NotJson,
    #[error("文件不是本系统签发的证书电子凭证（缺少 {0}）")]
    Missing(&'static str),
    #[error("电子凭证含有小数或超出范围的数字，不能规范化")]
    Number,
    #[error("电子凭证的签名算法 {0} 不受支持")]
    UnknownSuite(String),
    #[error("电子凭证的签名算法与声明的算法不一致")]
    SuiteMismatch,
    #[error("签名验证失败：电子凭证已被改动，或不是由该公钥对应的机构签发")]
    BadSignature,
    #[error("签名失败")]
    Signing,
    #[error("电子凭证所用的公钥 {0} 不在本省公布的公钥之中")]
    UnknownKey(String),
}

/// RFC 8785 canonical JSON of `v` (see the module's note on numbers).
pub fn canonical_json(v: &Value) -> Result<String, CredentialError> {
    let mut out = String::new();
    write_canonical(v, &mut out)?;
    Ok(out)
}

fn write_canonical(v: &Value, out: &mut String) -> Result<(), CredentialError> {
    const SAFE: u64 = (1 << 53) - 1;
    match v {
        Value::Null | Value::Bool(_) | Value::String(_) => out.push_str(&v.to_string()),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) if i.unsigned_abs() <= SAFE => out.push_str(&i.to_string()),
            (_, Some(u)) if u <= SAFE => out.push_str(&u.to_string()),
            _ => return Err(CredentialError::Number),
        },
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out)?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_canonical(&map[k], out)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

fn proof_mut(doc: &mut Value) -> Result<&mut Map<String, Value>, CredentialError> {
    doc.get_mut("proof").and_then(Value::as_object_mut).ok_or(CredentialError::Missing("proof"))
}

/// The bytes the signature covers: the canonical document without `proof.proofValue`.
pub fn signing_bytes(doc: &Value) -> Result<Vec<u8>, CredentialError> {
    let mut unsigned = doc.clone();
    proof_mut(&mut unsigned)?.remove("proofValue");
    Ok(canonical_json(&unsigned)?.into_bytes())
}

/// Signs the document from [`credential_document`]: sets `proof.proofValue`.
pub fn sign_credential(mut doc: Value, key: &SigningKeyPair) -> Result<Value, CredentialError> {
    let bytes = signing_bytes(&doc)?;
    let sig = key.sign(&bytes).map_err(|_| CredentialError::Signing)?;
    proof_mut(&mut doc)?.insert("proofValue".to_owned(), Value::String(sig.to_string()));
    Ok(doc)
}

/// A credential that verified: the certificate number and holder it states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedCredential {
    pub number: String,
    pub holder_name: String,
    pub project_name: String,
    pub document: Value,
}

/// Verifies a credential's text against the province's public key (hex), offline.
pub fn verify_credential(text: &str, public_key_hex: &str) -> Result<VerifiedCredential, CredentialError> {
    let doc: Value = serde_json::from_str(text).map_err(|_| CredentialError::NotJson)?;
    let proof = doc.get("proof").and_then(Value::as_object).ok_or(CredentialError::Missing("proof"))?;
    let suite =
        proof.get("cryptosuite").and_then(Value::as_str).ok_or(CredentialError::Missing("proof.cryptosuite"))?;
    let alg = match suite {
        CRYPTOSUITE_SM2 => SignAlg::Sm2,
        CRYPTOSUITE_ED25519 => SignAlg::Ed25519,
        other => return Err(CredentialError::UnknownSuite(other.to_owned())),
    };
    let value = proof.get("proofValue").and_then(Value::as_str).ok_or(CredentialError::Missing("proof.proofValue"))?;
    let sig = TaggedSignature::parse(value).map_err(|_| CredentialError::BadSignature)?;
    if sig.alg != alg {
        return Err(CredentialError::SuiteMismatch);
    }
    if !sig.verify(public_key_hex, &signing_bytes(&doc)?) {
        return Err(CredentialError::BadSignature);
    }
    let subject = doc.get("credentialSubject").ok_or(CredentialError::Missing("credentialSubject"))?;
    let text_of =
        |v: Option<&Value>, what| v.and_then(Value::as_str).map(str::to_owned).ok_or(CredentialError::Missing(what));
    Ok(VerifiedCredential {
        number: text_of(subject.get("certificateNumber"), "credentialSubject.certificateNumber")?,
        holder_name: text_of(subject.get("name"), "credentialSubject.name")?,
        project_name: text_of(subject.pointer("/project/name"), "credentialSubject.project.name")?,
        document: doc,
    })
}

/// One public key the province publishes (`/.well-known/kaohe/certificate-keys.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublishedKey {
    /// The key id: the fragment of `proof.verificationMethod` (`sm2-…`, `ed25519-…`).
    pub id: String,
    /// `sm2` or `ed25519`.
    pub algorithm: String,
    /// The `proof.cryptosuite` of credentials signed with it.
    pub cryptosuite: String,
    /// SM2: the uncompressed SEC1 point (65 bytes, `04‖x‖y`); Ed25519: the 32-byte key (RFC 8032), hex.
    pub public_key_hex: String,
}

/// The keys document: every key credentials of this deployment may be signed with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeysDocument {
    /// The issuer's identifier (`issuer.id` of the credentials).
    pub issuer: String,
    pub keys: Vec<PublishedKey>,
}

/// A key's id: the algorithm and the first 8 bytes (hex) of the public key's digest (SM3 for SM2,
/// SHA-256 for Ed25519), so it changes with the key and names it without a registry.
pub fn key_id(alg: SignAlg, public_key: &[u8]) -> String {
    let h = match alg {
        SignAlg::Sm2 => HashAlg::Sm3,
        SignAlg::Ed25519 => HashAlg::Sha256,
    };
    format!("{}-{}", alg.id(), hex::encode(&hash(h, public_key)[..8]))
}

/// How a signing key is published.
pub fn published_key(key: &SigningKeyPair) -> PublishedKey {
    PublishedKey {
        id: key_id(key.alg(), &key.public_key_bytes()),
        algorithm: key.alg().id().to_owned(),
        cryptosuite: cryptosuite(key.alg()).to_owned(),
        public_key_hex: key.public_key_hex(),
    }
}

/// The keys document of a deployment: the public keys of both suites (the configured suite's first),
/// so a credential signed before a switch of suites still verifies.
pub fn keys_document(crypto: &crate::crypto::Crypto, issuer: String) -> KeysDocument {
    let first = crypto.suite().sign_alg();
    let mut algs = vec![first];
    algs.extend([SignAlg::Sm2, SignAlg::Ed25519].into_iter().filter(|a| *a != first));
    KeysDocument { issuer, keys: algs.into_iter().map(|a| published_key(&crypto.signing_key_for(a))).collect() }
}

/// Verifies a credential against a keys document: the key is the one whose id is the fragment of
/// `proof.verificationMethod` (none such: [`CredentialError::UnknownKey`]).
pub fn verify_with_keys(text: &str, keys: &[PublishedKey]) -> Result<VerifiedCredential, CredentialError> {
    let doc: Value = serde_json::from_str(text).map_err(|_| CredentialError::NotJson)?;
    let method = doc
        .pointer("/proof/verificationMethod")
        .and_then(Value::as_str)
        .ok_or(CredentialError::Missing("proof.verificationMethod"))?;
    let kid = method.rsplit_once('#').map(|(_, k)| k).unwrap_or(method);
    let key = keys.iter().find(|k| k.id == kid).ok_or_else(|| CredentialError::UnknownKey(kid.to_owned()))?;
    verify_credential(text, &key.public_key_hex)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn claims() -> CertificateClaims {
        CertificateClaims {
            number: "4301260001000001".into(),
            holder_name: "张三".into(),
            id_number_masked: "430***********123X".into(),
            project_code: "0001".into(),
            project_name: "湘绣针法".into(),
            station_name: "长沙市湘绣技能培训学校".into(),
            issuer_name: "长沙市职业技能鉴定中心".into(),
            issued_on: date!(2026 - 12 - 04),
        }
    }

    fn signer() -> Signer {
        Signer {
            issuer_id: "urn:kaohe:province:430000".into(),
            verification_method: "https://kaohe.example/.well-known/kaohe-certificate-key.json#k1".into(),
            created: "2026-12-04T10:00:00+08:00".into(),
        }
    }

    fn keys() -> [SigningKeyPair; 2] {
        [SigningKeyPair::sm2_from_private_key(&[7u8; 32]).unwrap(), SigningKeyPair::ed25519_from_seed(&[9u8; 32])]
    }

    #[test]
    fn jcs_sorts_members_by_utf16_and_writes_no_whitespace() {
        let v =
            json!({"b": 1, "a": [true, null, "x\ny\u{1}"], "é": {"z": -3, "y": "中"}, "\u{e000}": 0, "\u{1f600}": 0});
        // U+1F600 is the surrogate pair D83D DE00, before U+E000 in UTF-16 order (after it in UTF-8).
        assert_eq!(
            canonical_json(&v).unwrap(),
            "{\"a\":[true,null,\"x\\ny\\u0001\"],\"b\":1,\"é\":{\"y\":\"中\",\"z\":-3},\"\u{1f600}\":0,\"\u{e000}\":0}"
        );
        assert_eq!(canonical_json(&json!({"n": 1.5})), Err(CredentialError::Number));
        assert_eq!(canonical_json(&json!({"n": 9007199254740992u64})), Err(CredentialError::Number));
    }

    #[test]
    fn c1_a_signed_credential_verifies_offline_under_either_suite() {
        for key in keys() {
            let doc = credential_document(&claims(), &signer(), key.alg());
            let signed = sign_credential(doc, &key).unwrap();
            assert_eq!(signed["proof"]["cryptosuite"], cryptosuite(key.alg()));
            assert_eq!(signed["type"][1], CREDENTIAL_TYPE);
            let text = serde_json::to_string_pretty(&signed).unwrap();
            let ok = verify_credential(&text, &key.public_key_hex()).unwrap();
            assert_eq!((ok.number.as_str(), ok.holder_name.as_str()), ("4301260001000001", "张三"));
            assert_eq!(ok.project_name, "湘绣针法");
            assert!(!text.contains("430102199001011234"), "never the full ID number");
        }
    }

    #[test]
    fn c1_a_tampered_credential_or_another_key_fails() {
        let [sm2, ed] = keys();
        let signed = sign_credential(credential_document(&claims(), &signer(), sm2.alg()), &sm2).unwrap();
        let pk = sm2.public_key_hex();
        for (path, value) in [
            ("/credentialSubject/name", json!("李四")),
            ("/credentialSubject/certificateNumber", json!("4301260001000002")),
            ("/validFrom", json!("2025-01-01T00:00:00+08:00")),
            ("/proof/verificationMethod", json!("https://evil.example/key#k1")),
        ] {
            let mut t = signed.clone();
            *t.pointer_mut(path).unwrap() = value;
            assert_eq!(verify_credential(&t.to_string(), &pk), Err(CredentialError::BadSignature), "{path}");
        }
        assert_eq!(verify_credential(&signed.to_string(), &ed.public_key_hex()), Err(CredentialError::BadSignature));
        let mut other_suite = signed.clone();
        other_suite["proof"]["cryptosuite"] = json!(CRYPTOSUITE_ED25519);
        assert_eq!(verify_credential(&other_suite.to_string(), &pk), Err(CredentialError::SuiteMismatch));
        let mut unknown = signed.clone();
        unknown["proof"]["cryptosuite"] = json!("rsa");
        assert!(matches!(verify_credential(&unknown.to_string(), &pk), Err(CredentialError::UnknownSuite(_))));
        let mut unsigned = signed.clone();
        unsigned["proof"].as_object_mut().unwrap().remove("proofValue");
        assert_eq!(verify_credential(&unsigned.to_string(), &pk), Err(CredentialError::Missing("proof.proofValue")));
        assert_eq!(verify_credential("not json", &pk), Err(CredentialError::NotJson));
        assert_eq!(verify_credential("{}", &pk), Err(CredentialError::Missing("proof")));
    }

    #[test]
    fn c1_the_keys_document_picks_the_key_by_the_verification_method() {
        let [sm2, ed] = keys();
        let published = vec![published_key(&sm2), published_key(&ed)];
        assert!(published[0].id.starts_with("sm2-") && published[0].id.len() == 20, "{}", published[0].id);
        assert!(published[1].id.starts_with("ed25519-"));
        for (key, p) in [(&sm2, &published[0]), (&ed, &published[1])] {
            let s = Signer { verification_method: format!("https://kaohe.example/k.json#{}", p.id), ..signer() };
            let signed = sign_credential(credential_document(&claims(), &s, key.alg()), key).unwrap();
            assert!(verify_with_keys(&signed.to_string(), &published).is_ok());
            assert_eq!(
                verify_with_keys(&signed.to_string(), &published[..0]),
                Err(CredentialError::UnknownKey(p.id.clone()))
            );
        }
        let s = Signer { verification_method: format!("x#{}", published[1].id), ..signer() };
        let wrong = sign_credential(credential_document(&claims(), &s, sm2.alg()), &sm2).unwrap();
        assert!(verify_with_keys(&wrong.to_string(), &published).is_err(), "an SM2 proof naming the Ed25519 key");
    }

    #[test]
    fn c1_member_order_and_whitespace_do_not_matter() {
        let [sm2, _] = keys();
        let signed = sign_credential(credential_document(&claims(), &signer(), sm2.alg()), &sm2).unwrap();
        // Written by hand with the members in reverse order and spaces between them: still verifies.
        let obj = signed.as_object().unwrap();
        let members: Vec<String> =
            obj.keys().rev().map(|k| format!("{} : {}", Value::String(k.clone()), obj[k])).collect();
        let text = format!("{{ {} }}", members.join(" ,\n "));
        assert_ne!(text, canonical_json(&signed).unwrap());
        assert!(verify_credential(&text, &sm2.public_key_hex()).is_ok());
    }
}
