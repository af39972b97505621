//! `kaohe verify certificate FILE [--keys KEYS.json]` (C1): a certificate's signed credential verified
//! offline, against a saved keys document (`/.well-known/kaohe/certificate-keys.json`) or the
//! deployment's own keys (derived from its master key; no database needed).

use domain::certificates::{KeysDocument, verify_with_keys};

/// The credential's fields and 验证通过 when it verifies, else the reason (both in Chinese).
pub fn check(text: &str, keys: &KeysDocument) -> Result<String, String> {
    let v = verify_with_keys(text, &keys.keys).map_err(|e| format!("验证未通过：{e}"))?;
    let s = |p: &str| v.document.pointer(p).and_then(|x| x.as_str()).unwrap_or("").to_owned();
    let lines = [
        ("证书编号", v.number.clone()),
        ("持证人姓名", v.holder_name.clone()),
        ("身份证号码", s("/credentialSubject/idNumberMasked")),
        ("考核项目", format!("{}（{}）", v.project_name, s("/credentialSubject/project/code"))),
        ("考核站", s("/credentialSubject/station")),
        ("发证机构", s("/issuer/name")),
        ("发证日期", s("/credentialSubject/issuedOn")),
        ("签名算法", s("/proof/cryptosuite")),
        ("公钥", s("/proof/verificationMethod")),
    ];
    let mut out: String = lines.iter().map(|(k, v)| format!("{k}：{v}\n")).collect();
    out.push_str("验证通过：签名有效，电子凭证未被改动（证书是否已注销，请在公开验证页或证书查询中核对）\n");
    Ok(out)
}

/// Reads a keys document (the saved JSON of the well-known URL).
pub fn read_keys(text: &str) -> Result<KeysDocument, String> {
    serde_json::from_str(text).map_err(|e| format!("公钥文件不是有效的公钥文档：{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::certificates::{CertificateClaims, Signer, credential_document, keys_document, sign_credential};
    use domain::crypto::{Crypto, Suite};

    fn signed(crypto: &Crypto) -> String {
        let key = crypto.signing_key();
        let kid = domain::certificates::published_key(&key).id;
        let claims = CertificateClaims {
            number: "4301260001000001".into(),
            holder_name: "李小龙".into(),
            id_number_masked: "430***********123X".into(),
            project_code: "0001".into(),
            project_name: "米粉制作".into(),
            station_name: "长沙甲培训学校".into(),
            issuer_name: "长沙市鉴定中心".into(),
            issued_on: time::macros::date!(2026 - 12 - 04),
        };
        let signer = Signer {
            issuer_id: "urn:kaohe:province:430000".into(),
            verification_method: format!("/.well-known/kaohe/certificate-keys.json#{kid}"),
            created: "2026-12-04T10:00:00+08:00".into(),
        };
        let doc = sign_credential(credential_document(&claims, &signer, key.alg()), &key).expect("sign");
        serde_json::to_string_pretty(&doc).expect("json")
    }

    #[test]
    fn c1_the_cli_check_verifies_offline_and_names_why_not() {
        for suite in [Suite::Gm, Suite::Intl] {
            let crypto = Crypto::new(suite, [5u8; 32]);
            // Saved and read back as the keys file is.
            let keys = read_keys(
                &serde_json::to_string(&keys_document(&Crypto::new(Suite::Gm, [5u8; 32]), "urn:x".into())).unwrap(),
            )
            .expect("keys");
            let text = signed(&crypto);
            let out = check(&text, &keys).expect("verifies");
            assert!(out.contains("证书编号：4301260001000001") && out.contains("验证通过"), "{out}");
            let tampered = text.replace("李小龙", "李大龙");
            assert!(check(&tampered, &keys).unwrap_err().contains("签名验证失败"));
            let other = keys_document(&Crypto::new(suite, [6u8; 32]), "urn:x".into());
            assert!(check(&text, &other).unwrap_err().contains("不在本省公布的公钥之中"));
            assert!(check("{", &keys).unwrap_err().contains("JSON"));
        }
    }
}
