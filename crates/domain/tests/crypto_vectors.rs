//! Known-answer vectors proving the wiring of both suites (GB/T 39786-2021 commercial cryptography and
//! the international alternative), and the behaviour of `Crypto` across a suite switch.

use domain::crypto::{
    CipherAlg, Crypto, CryptoError, HashAlg, MacAlg, SignAlg, SigningKeyPair, Suite, TaggedHash, TaggedSignature,
    aead_open, aead_seal, hash, mac, verify_hash, verify_signature,
};

fn h(s: &str) -> Vec<u8> {
    hex::decode(s.replace([' ', '\n'], "")).expect("hex")
}

const MASTER: [u8; 32] = [7u8; 32];

// ---- hashes -------------------------------------------------------------------------------------

#[test]
fn sm3_abc_matches_gb_t_32905_example_1() {
    assert_eq!(
        hex::encode(hash(HashAlg::Sm3, b"abc")),
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    );
}

#[test]
fn sm3_of_abcd_sixteen_times_matches_gb_t_32905_example_2() {
    let data = "abcd".repeat(16);
    assert_eq!(
        hex::encode(hash(HashAlg::Sm3, data.as_bytes())),
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    );
}

#[test]
fn sha256_abc_matches_fips_180_4() {
    assert_eq!(
        hex::encode(hash(HashAlg::Sha256, b"abc")),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn tagged_hash_round_trips_and_verifies_whichever_suite_is_current() {
    let gm = Crypto::new(Suite::Gm, MASTER);
    let intl = Crypto::new(Suite::Intl, MASTER);
    let a = gm.hash(b"abc");
    assert_eq!(a.to_string(), "sm3:66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    let b = intl.hash(b"abc");
    assert!(b.to_string().starts_with("sha256:ba7816bf"));
    assert_eq!(TaggedHash::parse(&a.to_string()).unwrap(), a);
    assert_eq!(b.to_string().parse::<TaggedHash>().unwrap(), b);
    for c in [&gm, &intl] {
        assert!(c.verify_hash(&a.to_string(), b"abc"));
        assert!(c.verify_hash(&b.to_string(), b"abc"));
        assert!(!c.verify_hash(&a.to_string(), b"abd"));
    }
    assert!(!verify_hash("md5:900150983cd24fb0d6963f7d28e17f72", b"abc"));
    assert!(!verify_hash("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0", b"abc"));
    assert_eq!(TaggedHash::parse("sm3:zz"), Err(CryptoError::Malformed("tagged hash")));
}

// ---- HMAC ---------------------------------------------------------------------------------------

#[test]
fn hmac_sha256_matches_rfc_4231_cases_1_2_and_6() {
    assert_eq!(
        hex::encode(mac(MacAlg::HmacSha256, &[0x0b; 20], b"Hi There")),
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
    );
    assert_eq!(
        hex::encode(mac(MacAlg::HmacSha256, b"Jefe", b"what do ya want for nothing?")),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
    // Case 6: a key longer than the block is hashed first.
    assert_eq!(
        hex::encode(mac(MacAlg::HmacSha256, &[0xaa; 131], b"Test Using Larger Than Block-Size Key - Hash Key First")),
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
    );
}

/// HMAC-SM3 written out from RFC 2104 with the bare SM3 function.
fn hmac_sm3_by_definition(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut k0 = if key.len() > 64 { hash(HashAlg::Sm3, key) } else { key.to_vec() };
    k0.resize(64, 0);
    let inner: Vec<u8> = k0.iter().map(|b| b ^ 0x36).chain(data.iter().copied()).collect();
    let mut outer: Vec<u8> = k0.iter().map(|b| b ^ 0x5c).collect();
    outer.extend(hash(HashAlg::Sm3, &inner));
    hash(HashAlg::Sm3, &outer)
}

#[test]
fn hmac_sm3_agrees_with_rfc_2104_over_sm3_for_short_block_and_long_keys() {
    for key in [&b"Jefe"[..], &[0x0b; 64][..], &[0xaa; 131][..], &[][..]] {
        let data = b"what do ya want for nothing?";
        assert_eq!(mac(MacAlg::HmacSm3, key, data), hmac_sm3_by_definition(key, data));
    }
}

// ---- block ciphers and AEAD ---------------------------------------------------------------------

#[test]
fn sm4_block_matches_gb_t_32907_example_1() {
    use sm4::cipher::{BlockCipherEncrypt, KeyInit};
    let key = h("0123456789abcdeffedcba9876543210");
    let cipher = sm4::Sm4::new_from_slice(&key).unwrap();
    let mut block = sm4::cipher::Block::<sm4::Sm4>::try_from(key.as_slice()).unwrap();
    cipher.encrypt_block(&mut block);
    assert_eq!(hex::encode(block), "681edf34d206965e86b3e94f536e4246");
}

#[test]
fn sm4_gcm_matches_rfc_8998_appendix_a() {
    let key = h("0123456789ABCDEFFEDCBA9876543210");
    let nonce: [u8; 12] = h("00001234567800000000ABCD").try_into().unwrap();
    let aad = h("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2");
    let plaintext = h("AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD
                       EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA");
    let expected = h("17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735
                      D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D
                      83DE3541E4C2B58177E065A9BF7B62EC");
    let sealed = aead_seal(CipherAlg::Sm4Gcm, &key, &nonce, &plaintext, &aad).unwrap();
    assert_eq!(hex::encode(&sealed), hex::encode(&expected));
    assert_eq!(aead_open(CipherAlg::Sm4Gcm, &key, &nonce, &sealed, &aad).unwrap(), plaintext);
}

#[test]
fn aes_256_gcm_matches_gcm_spec_test_case_16() {
    let key = h("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
    let nonce: [u8; 12] = h("cafebabefacedbaddecaf888").try_into().unwrap();
    let aad = h("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    let plaintext = h("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72
                       1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
    let expected = h("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa
                      8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662
                      76fc6ece0f4e1768cddf8853bb2d551b");
    let sealed = aead_seal(CipherAlg::Aes256Gcm, &key, &nonce, &plaintext, &aad).unwrap();
    assert_eq!(hex::encode(&sealed), hex::encode(&expected));
    assert_eq!(aead_open(CipherAlg::Aes256Gcm, &key, &nonce, &sealed, &aad).unwrap(), plaintext);
}

#[test]
fn aead_refuses_a_key_of_the_wrong_length() {
    let nonce = [0u8; 12];
    assert_eq!(aead_seal(CipherAlg::Sm4Gcm, &[0u8; 32], &nonce, b"x", b""), Err(CryptoError::Malformed("cipher key")));
    assert_eq!(
        aead_seal(CipherAlg::Aes256Gcm, &[0u8; 16], &nonce, b"x", b""),
        Err(CryptoError::Malformed("cipher key"))
    );
}

#[test]
fn encrypt_round_trips_in_both_suites_and_names_its_cipher() {
    for (suite, prefix) in [(Suite::Gm, "sm4-gcm:"), (Suite::Intl, "aes-256-gcm:")] {
        let c = Crypto::new(suite, MASTER);
        let stored = c.encrypt("430102199001011234".as_bytes(), b"person:42:id_number").unwrap();
        assert!(stored.starts_with(prefix), "{stored}");
        assert!(!stored.contains("430102"));
        let back = c.decrypt(&stored, b"person:42:id_number").unwrap();
        assert_eq!(back, b"430102199001011234");
        // Fresh nonce each time.
        assert_ne!(stored, c.encrypt(b"430102199001011234", b"person:42:id_number").unwrap());
        // Empty plaintext is fine.
        assert_eq!(c.decrypt(&c.encrypt(b"", b"").unwrap(), b"").unwrap(), b"");
    }
}

#[test]
fn records_encrypted_before_a_suite_switch_still_decrypt() {
    let intl = Crypto::new(Suite::Intl, MASTER);
    let old = intl.encrypt(b"secret", b"aad").unwrap();
    let gm = Crypto::new(Suite::Gm, MASTER);
    assert_eq!(gm.decrypt(&old, b"aad").unwrap(), b"secret");
    let new = gm.encrypt(b"secret", b"aad").unwrap();
    assert!(new.starts_with("sm4-gcm:"));
    assert_eq!(intl.decrypt(&new, b"aad").unwrap(), b"secret");
}

#[test]
fn tampered_or_misplaced_ciphertext_is_refused() {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let c = Crypto::new(Suite::Gm, MASTER);
    let stored = c.encrypt(b"secret", b"person:1").unwrap();
    // Wrong associated data: the value was moved to another record.
    assert_eq!(c.decrypt(&stored, b"person:2"), Err(CryptoError::DecryptionFailed));
    // Any flipped bit in nonce, ciphertext or tag.
    let (alg, body) = stored.split_once(':').unwrap();
    let blob = b64.decode(body).unwrap();
    for i in 0..blob.len() {
        let mut bad = blob.clone();
        bad[i] ^= 0x01;
        let tampered = format!("{alg}:{}", b64.encode(&bad));
        assert_eq!(c.decrypt(&tampered, b"person:1"), Err(CryptoError::DecryptionFailed), "byte {i}");
    }
    // Relabelled as the other cipher: another key, refused.
    assert_eq!(c.decrypt(&format!("aes-256-gcm:{body}"), b"person:1"), Err(CryptoError::DecryptionFailed));
    // Another master key.
    let other = Crypto::new(Suite::Gm, [8u8; 32]);
    assert_eq!(other.decrypt(&stored, b"person:1"), Err(CryptoError::DecryptionFailed));
    // Malformed values.
    assert_eq!(c.decrypt("sm4-gcm", b""), Err(CryptoError::Malformed("ciphertext")));
    assert_eq!(c.decrypt("sm4-gcm:!!!", b""), Err(CryptoError::Malformed("ciphertext")));
    assert_eq!(c.decrypt("sm4-gcm:AAAA", b""), Err(CryptoError::Malformed("ciphertext")));
    assert_eq!(c.decrypt(&format!("des:{body}"), b""), Err(CryptoError::UnknownAlgorithm("des".into())));
}

// ---- blind index --------------------------------------------------------------------------------

#[test]
fn blind_index_is_stable_keyed_and_suite_tagged() {
    let gm = Crypto::new(Suite::Gm, MASTER);
    let intl = Crypto::new(Suite::Intl, MASTER);
    let id = b"430102199001011234";
    let a = gm.blind_index(id);
    assert!(a.starts_with("hmac-sm3:") && a.len() == "hmac-sm3:".len() + 64, "{a}");
    assert_eq!(a, Crypto::new(Suite::Gm, MASTER).blind_index(id));
    assert_ne!(a, gm.blind_index(b"430102199001011235"));
    let b = intl.blind_index(id);
    assert!(b.starts_with("hmac-sha256:"), "{b}");
    // After a switch, a lookup can compute the index the old records carry.
    assert_eq!(intl.blind_index_with(MacAlg::HmacSm3, id), a);
    assert_eq!(gm.blind_index_with(MacAlg::HmacSha256, id), b);
    // Keyed: not the bare hash, and another master key gives another index.
    assert_ne!(a, format!("hmac-sm3:{}", hex::encode(hash(HashAlg::Sm3, id))));
    assert_ne!(a, Crypto::new(Suite::Gm, [8u8; 32]).blind_index(id));
}

/// Sub-key labels are part of the stored format: if derivation changes, stored blind indexes stop
/// matching and certificates stop verifying. These pinned values catch that.
#[test]
fn key_derivation_is_pinned() {
    let gm = Crypto::new(Suite::Gm, MASTER);
    assert_eq!(gm.blind_index(b"x"), PINNED_BLIND_INDEX_SM3);
    assert_eq!(gm.blind_index_with(MacAlg::HmacSha256, b"x"), PINNED_BLIND_INDEX_SHA256);
    assert_eq!(gm.signing_key_for(SignAlg::Sm2).public_key_hex(), PINNED_SM2_PUBLIC_KEY);
    assert_eq!(gm.signing_key_for(SignAlg::Ed25519).public_key_hex(), PINNED_ED25519_PUBLIC_KEY);
}

// Computed outside kaohe for master key 07×32: Python `hmac` + `hashlib` (SM3 from OpenSSL) for the
// indexes and derived private keys; `openssl pkey -pubout` (SM2) and Python `cryptography` (Ed25519)
// for the public keys of d = 033bbaf6…ef6d and seed = 52d27455…74bd.
const PINNED_BLIND_INDEX_SM3: &str = "hmac-sm3:e42a387a93a39b049243c4177bc1023b6ebeaff3e448580c9d6f9b8459321645";
const PINNED_BLIND_INDEX_SHA256: &str = "hmac-sha256:acebc642d7763cca4d9e711e8754a8a58186c8680fc12638ef7cda523bfbed73";
const PINNED_SM2_PUBLIC_KEY: &str = "042de3e9cebfd15d95270ad5a8f4b0934c74a6ba58c0633b742797abb22068b2fa\
                                     8d361204ea54e3e959e8a21c79b2d56a157cd0cddb85e106919dd6995d7fb3ff";
const PINNED_ED25519_PUBLIC_KEY: &str = "23be769f23e0105e9aa556f7a4ff932a493ec7249cfe2b09631a9e72ed8d02ed";

// ---- signatures ---------------------------------------------------------------------------------

#[test]
fn ed25519_matches_rfc_8032_test_1() {
    let seed: [u8; 32] = h("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60").try_into().unwrap();
    let pair = SigningKeyPair::ed25519_from_seed(&seed);
    assert_eq!(pair.public_key_hex(), "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    let sig = pair.sign(b"").unwrap();
    let expected = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
    assert_eq!(sig.to_string(), format!("ed25519:{expected}"));
    assert!(verify_signature(SignAlg::Ed25519, &pair.public_key_hex(), b"", expected));
    assert!(!verify_signature(SignAlg::Ed25519, &pair.public_key_hex(), b"x", expected));
}

/// Made with OpenSSL 3.0: `openssl pkeyutl -sign -rawin -digest sm3 -pkeyopt distid:1234567812345678`
/// (OpenSSL 3 defaults to an empty ID, so the ID must be given there).
#[test]
fn sm2_verifies_an_openssl_signature_with_the_default_id() {
    let pk = "04c0b774f3ede0b9e1de7aa1211faf7de78541844fe23dd272a300314a9fdaac51\
              3bff026450c7222489a7c91861b73e9747695fd020186988a2d28b471d5da8ff";
    let sig = "14e72e0f42453bf59180fc452f484ad730117cd858b47fb85d51e6eaf0fd9b1d\
               681721ccd2371f0d6447239a401ec245bcbb0b8a2a88f20584374a0957815ca7";
    assert!(verify_signature(SignAlg::Sm2, pk, b"kaohe certificate 2026", sig));
    assert!(!verify_signature(SignAlg::Sm2, pk, b"kaohe certificate 2027", sig));
}

#[test]
fn sm2_signs_verifies_and_refuses_tampering() {
    let c = Crypto::new(Suite::Gm, MASTER);
    let pair = c.signing_key();
    assert_eq!(pair.alg(), SignAlg::Sm2);
    let pk = pair.public_key_hex();
    assert!(pk.starts_with("04") && pk.len() == 130, "{pk}");
    let msg = "证书编号 HN-2026-000001".as_bytes();
    let sig = pair.sign(msg).unwrap();
    assert!(sig.to_string().starts_with("sm2:"));
    assert_eq!(sig.bytes.len(), 64);
    assert!(verify_signature(SignAlg::Sm2, &pk, msg, &sig.to_hex()));
    assert!(sig.verify(&pk, msg));
    assert_eq!(TaggedSignature::parse(&sig.to_string()).unwrap(), sig);

    // Tampered message.
    assert!(!verify_signature(SignAlg::Sm2, &pk, "证书编号 HN-2026-000002".as_bytes(), &sig.to_hex()));
    // Tampered signature, every byte.
    for i in 0..64 {
        let mut bad = sig.bytes.clone();
        bad[i] ^= 0x01;
        assert!(!verify_signature(SignAlg::Sm2, &pk, msg, &hex::encode(bad)), "byte {i}");
    }
    // Another key, another algorithm, garbage.
    let other = Crypto::new(Suite::Gm, [8u8; 32]).signing_key().public_key_hex();
    assert!(!verify_signature(SignAlg::Sm2, &other, msg, &sig.to_hex()));
    assert!(!verify_signature(SignAlg::Ed25519, &pk, msg, &sig.to_hex()));
    assert!(!verify_signature(SignAlg::Sm2, "zz", msg, &sig.to_hex()));
    assert!(!verify_signature(SignAlg::Sm2, &pk, msg, ""));
}

#[test]
fn signing_keys_are_deterministic_per_master_key_and_suite() {
    let gm = Crypto::new(Suite::Gm, MASTER);
    let intl = Crypto::new(Suite::Intl, MASTER);
    assert_eq!(gm.signing_key().public_key_hex(), Crypto::new(Suite::Gm, MASTER).signing_key().public_key_hex());
    assert_eq!(intl.signing_key().alg(), SignAlg::Ed25519);
    assert_eq!(intl.signing_key_for(SignAlg::Sm2).public_key_hex(), gm.signing_key().public_key_hex());
    let sig = intl.signing_key().sign(b"m").unwrap();
    assert!(sig.to_string().starts_with("ed25519:"));
    assert!(sig.verify(&intl.signing_key().public_key_hex(), b"m"));
    // SM2 signing is deterministic (RFC 6979 nonce).
    assert_eq!(gm.signing_key().sign(b"m").unwrap(), gm.signing_key().sign(b"m").unwrap());
}

// ---- suite, ids, keys, Debug --------------------------------------------------------------------

#[test]
fn suite_and_algorithm_ids_parse_and_display() {
    assert_eq!(Suite::default(), Suite::Gm);
    assert_eq!("gm".parse::<Suite>().unwrap(), Suite::Gm);
    assert_eq!(" INTL ".parse::<Suite>().unwrap(), Suite::Intl);
    assert_eq!(Suite::Intl.to_string(), "intl");
    assert!("guomi".parse::<Suite>().is_err());
    assert_eq!(serde_json::to_string(&Suite::Gm).unwrap(), "\"gm\"");
    assert_eq!(serde_json::from_str::<Suite>("\"intl\"").unwrap(), Suite::Intl);

    assert_eq!(Suite::Gm.hash_alg(), HashAlg::Sm3);
    assert_eq!(Suite::Gm.mac_alg(), MacAlg::HmacSm3);
    assert_eq!(Suite::Gm.cipher_alg(), CipherAlg::Sm4Gcm);
    assert_eq!(Suite::Gm.sign_alg(), SignAlg::Sm2);
    assert_eq!(Suite::Intl.hash_alg(), HashAlg::Sha256);
    assert_eq!(Suite::Intl.mac_alg(), MacAlg::HmacSha256);
    assert_eq!(Suite::Intl.cipher_alg(), CipherAlg::Aes256Gcm);
    assert_eq!(Suite::Intl.sign_alg(), SignAlg::Ed25519);

    let ids: Vec<&str> = HashAlg::ALL.iter().map(|a| a.id()).collect();
    assert_eq!(ids, ["sm3", "sha256"]);
    let ids: Vec<&str> = MacAlg::ALL.iter().map(|a| a.id()).collect();
    assert_eq!(ids, ["hmac-sm3", "hmac-sha256"]);
    let ids: Vec<&str> = CipherAlg::ALL.iter().map(|a| a.id()).collect();
    assert_eq!(ids, ["sm4-gcm", "aes-256-gcm"]);
    let ids: Vec<&str> = SignAlg::ALL.iter().map(|a| a.id()).collect();
    assert_eq!(ids, ["sm2", "ed25519"]);
    for a in HashAlg::ALL {
        assert_eq!(HashAlg::parse(a.id()), Some(*a));
    }
    for a in MacAlg::ALL {
        assert_eq!(MacAlg::parse(a.id()), Some(*a));
    }
    for a in CipherAlg::ALL {
        assert_eq!(CipherAlg::parse(a.id()), Some(*a));
    }
    for a in SignAlg::ALL {
        assert_eq!(a.to_string().parse::<SignAlg>().unwrap(), *a);
    }
    assert_eq!(HashAlg::parse("SM3"), None);
    assert_eq!("md5".parse::<HashAlg>(), Err(CryptoError::UnknownAlgorithm("md5".into())));
}

#[test]
fn master_keys_are_generated_and_parsed() {
    let a = Crypto::generate_master_key().unwrap();
    let b = Crypto::generate_master_key().unwrap();
    assert_ne!(a, b);
    assert_eq!(Crypto::parse_master_key_hex(&format!(" {}\n", hex::encode(a))).unwrap(), a);
    assert_eq!(Crypto::parse_master_key_hex(&hex::encode(a).to_uppercase()).unwrap(), a);
    for bad in ["", "00", &"0".repeat(64), &"g".repeat(64), &"ab".repeat(33)] {
        assert_eq!(Crypto::parse_master_key_hex(bad), Err(CryptoError::InvalidMasterKey), "{bad}");
    }
}

#[test]
fn debug_output_never_shows_keys() {
    let key = [0x5au8; 32];
    let c = Crypto::new(Suite::Gm, key);
    let dbg = format!("{c:?}");
    assert!(dbg.contains("Gm"), "{dbg}");
    assert!(!dbg.contains("5a") && !dbg.contains("90"), "{dbg}");
    let pair = c.signing_key_for(SignAlg::Ed25519);
    let dbg = format!("{pair:?}");
    assert!(dbg.contains(&pair.public_key_hex()), "{dbg}");
    assert!(!dbg.contains("5a5a"), "{dbg}");
}
