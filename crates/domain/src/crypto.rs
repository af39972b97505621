//! Commercial cryptography for a level-3 government system (GB/T 39786-2021): one small interface over
//! two suites, 国密 (SM3, HMAC-SM3, SM4-GCM, SM2) and international (SHA-256, HMAC-SHA256,
//! AES-256-GCM, Ed25519). It serves the audit trail (hash chain), personal data at rest (ID numbers
//! encrypted, found again through a blind index) and signed certificates (C1–C2).
//!
//! Every stored hash, ciphertext and signature names its algorithm (`"sm3:…"`, `"sm4-gcm:…"`,
//! `"sm2:…"`), so a deployment can switch suites and still read what it wrote before.
//!
//! Keys never mix: each purpose and algorithm gets its own sub-key, derived from the 32-byte master key
//! as `HMAC(master, label)`, with HMAC-SM3 for 国密 algorithms and HMAC-SHA256 for international ones
//! (so a 国密 deployment uses only commercial cryptography). The labels are part of the stored data's
//! format: changing one makes everything written under it unreadable.

use std::fmt;
use std::str::FromStr;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, AesGcm};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
// One `signature` crate (3.x) serves both sm2 and ed25519-dalek.
use sm2::dsa::signature::{Signer as _, Verifier as _};
use sm3::Sm3;
use sm4::Sm4;
use sm4::cipher::consts::U12;
use zeroize::Zeroize;

/// SM4 in GCM mode with a 96-bit nonce (the construction of RFC 8998 for TLS).
type Sm4Gcm = AesGcm<Sm4, U12>;

/// Sub-key labels (`HMAC(master, label)`). Part of the stored data's format: never change them.
const LABEL_CIPHER_SM4_GCM: &str = "kaohe/v1/cipher/sm4-gcm"; // HMAC-SM3, first 16 bytes
const LABEL_CIPHER_AES_256_GCM: &str = "kaohe/v1/cipher/aes-256-gcm"; // HMAC-SHA256
const LABEL_BLIND_INDEX_HMAC_SM3: &str = "kaohe/v1/blind-index/hmac-sm3"; // HMAC-SM3
const LABEL_BLIND_INDEX_HMAC_SHA256: &str = "kaohe/v1/blind-index/hmac-sha256"; // HMAC-SHA256
/// Followed by a decimal counter from 0 (`…/sm2/0`, `…/sm2/1`, …) until the value is a valid SM2
/// private key in [1, n-2]; the first one almost always is.
const LABEL_SIGN_SM2: &str = "kaohe/v1/sign/sm2/"; // HMAC-SM3
const LABEL_SIGN_ED25519: &str = "kaohe/v1/sign/ed25519"; // HMAC-SHA256, the Ed25519 seed

/// The default SM2 distinguishing identifier (GB/T 35276-2017, GM/T 0009). OpenSSL 3 defaults to an
/// empty ID: to verify kaohe's signatures there, pass `-pkeyopt distid:1234567812345678`.
pub const SM2_DEFAULT_ID: &str = "1234567812345678";

/// SM2 curve order n minus one: a private key must be below it (GB/T 32918.1, d in [1, n-2]).
#[rustfmt::skip]
const SM2_N_MINUS_1: [u8; 32] = [
    0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0x72, 0x03, 0xdf, 0x6b, 0x21, 0xc6, 0x05, 0x2b, 0x53, 0xbb, 0xf4, 0x09, 0x39, 0xd5, 0x41, 0x22,
];

/// GCM nonce length in bytes.
pub const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;

/// Errors of the cryptography layer. Technical messages for logs and operators, never shown to end users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("unknown cryptographic suite {0:?} (expected \"gm\" or \"intl\")")]
    UnknownSuite(String),
    #[error("unknown algorithm id {0:?}")]
    UnknownAlgorithm(String),
    #[error("malformed {0}")]
    Malformed(&'static str),
    #[error("master key must be 64 hex digits (32 bytes) and not all zeros")]
    InvalidMasterKey,
    #[error("encryption failed (input too long for the cipher)")]
    EncryptionFailed,
    #[error("decryption failed: wrong key, wrong associated data or tampered ciphertext")]
    DecryptionFailed,
    #[error("signing failed")]
    SigningFailed,
    #[error("the operating system random number generator failed")]
    Rng,
}

/// Declares an algorithm enum whose variants map one-to-one to stable string ids.
macro_rules! algorithm_ids {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $id:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable id stored beside the value.
            pub fn id(self) -> &'static str {
                match self {
                    $($name::$variant => $id),+
                }
            }

            /// The algorithm with this id, if known (ids are lower case and matched exactly).
            pub fn parse(id: &str) -> Option<Self> {
                match id {
                    $($id => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.id())
            }
        }

        impl FromStr for $name {
            type Err = CryptoError;
            fn from_str(s: &str) -> Result<Self, CryptoError> {
                Self::parse(s).ok_or_else(|| CryptoError::UnknownAlgorithm(s.to_owned()))
            }
        }
    };
}

algorithm_ids!(
    /// Hash functions: SM3 (GB/T 32905-2016) and SHA-256 (FIPS 180-4), both 32 bytes.
    HashAlg { Sm3 = "sm3", Sha256 = "sha256" }
);
algorithm_ids!(
    /// Keyed hashes (HMAC, RFC 2104 / GB/T 15852.2) over SM3 or SHA-256.
    MacAlg { HmacSm3 = "hmac-sm3", HmacSha256 = "hmac-sha256" }
);
algorithm_ids!(
    /// Authenticated encryption: SM4 (GB/T 32907-2016) or AES-256 in GCM mode, 12-byte nonce, 16-byte tag.
    CipherAlg { Sm4Gcm = "sm4-gcm", Aes256Gcm = "aes-256-gcm" }
);
algorithm_ids!(
    /// Signatures: SM2 (GB/T 32918.2-2016, SM3 digest, default ID) or Ed25519 (RFC 8032).
    SignAlg { Sm2 = "sm2", Ed25519 = "ed25519" }
);

/// Which family of algorithms a deployment uses for new data. Default 国密.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Suite {
    /// 国密: SM3, HMAC-SM3, SM4-GCM, SM2.
    #[default]
    Gm,
    /// International: SHA-256, HMAC-SHA256, AES-256-GCM, Ed25519.
    Intl,
}

impl Suite {
    pub fn id(self) -> &'static str {
        match self {
            Suite::Gm => "gm",
            Suite::Intl => "intl",
        }
    }

    pub fn hash_alg(self) -> HashAlg {
        match self {
            Suite::Gm => HashAlg::Sm3,
            Suite::Intl => HashAlg::Sha256,
        }
    }

    pub fn mac_alg(self) -> MacAlg {
        match self {
            Suite::Gm => MacAlg::HmacSm3,
            Suite::Intl => MacAlg::HmacSha256,
        }
    }

    pub fn cipher_alg(self) -> CipherAlg {
        match self {
            Suite::Gm => CipherAlg::Sm4Gcm,
            Suite::Intl => CipherAlg::Aes256Gcm,
        }
    }

    pub fn sign_alg(self) -> SignAlg {
        match self {
            Suite::Gm => SignAlg::Sm2,
            Suite::Intl => SignAlg::Ed25519,
        }
    }
}

impl fmt::Display for Suite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Suite {
    type Err = CryptoError;
    fn from_str(s: &str) -> Result<Self, CryptoError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "gm" => Ok(Suite::Gm),
            "intl" => Ok(Suite::Intl),
            _ => Err(CryptoError::UnknownSuite(s.to_owned())),
        }
    }
}

/// The digest of `data`.
pub fn hash(alg: HashAlg, data: &[u8]) -> Vec<u8> {
    match alg {
        HashAlg::Sm3 => Sm3::digest(data).to_vec(),
        HashAlg::Sha256 => Sha256::digest(data).to_vec(),
    }
}

/// HMAC of `data` under `key` (any key length, RFC 2104).
pub fn mac(alg: MacAlg, key: &[u8], data: &[u8]) -> Vec<u8> {
    match alg {
        MacAlg::HmacSm3 => {
            let mut m = <Hmac<Sm3> as KeyInit>::new(&hmac_key_block(HashAlg::Sm3, key).into());
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }
        MacAlg::HmacSha256 => {
            let mut m = <Hmac<Sha256> as KeyInit>::new(&hmac_key_block(HashAlg::Sha256, key).into());
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }
    }
}

/// The HMAC key block K0 of RFC 2104 (both hashes have 64-byte blocks): the key zero-padded, or its
/// digest zero-padded when longer than a block. Building it here keeps `mac` infallible.
fn hmac_key_block(alg: HashAlg, key: &[u8]) -> [u8; 64] {
    let mut block = [0u8; 64];
    if key.len() > block.len() {
        let digest = hash(alg, key);
        block[..digest.len()].copy_from_slice(&digest);
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    block
}

impl CipherAlg {
    /// Key length in bytes: SM4 16, AES-256 32.
    pub fn key_len(self) -> usize {
        match self {
            CipherAlg::Sm4Gcm => 16,
            CipherAlg::Aes256Gcm => 32,
        }
    }
}

/// The AEAD primitive under [`Crypto::encrypt`], with an explicit key and nonce (for known-answer
/// tests and interoperability; a nonce must never be reused with the same key). Returns
/// ciphertext‖16-byte tag.
pub fn aead_seal(
    alg: CipherAlg,
    key: &[u8],
    nonce: &[u8; NONCE_LEN],
    plaintext: &[u8],
    aad: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let payload = Payload { msg: plaintext, aad };
    let bad_key = |_| CryptoError::Malformed("cipher key");
    match alg {
        CipherAlg::Sm4Gcm => Sm4Gcm::new_from_slice(key).map_err(bad_key)?.encrypt(&(*nonce).into(), payload),
        CipherAlg::Aes256Gcm => Aes256Gcm::new_from_slice(key).map_err(bad_key)?.encrypt(&(*nonce).into(), payload),
    }
    .map_err(|_| CryptoError::EncryptionFailed)
}

/// Inverse of [`aead_seal`]: authenticates and decrypts ciphertext‖tag.
pub fn aead_open(
    alg: CipherAlg,
    key: &[u8],
    nonce: &[u8; NONCE_LEN],
    sealed: &[u8],
    aad: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let payload = Payload { msg: sealed, aad };
    let bad_key = |_| CryptoError::Malformed("cipher key");
    match alg {
        CipherAlg::Sm4Gcm => Sm4Gcm::new_from_slice(key).map_err(bad_key)?.decrypt(&(*nonce).into(), payload),
        CipherAlg::Aes256Gcm => Aes256Gcm::new_from_slice(key).map_err(bad_key)?.decrypt(&(*nonce).into(), payload),
    }
    .map_err(|_| CryptoError::DecryptionFailed)
}

/// A digest with the algorithm that made it; displayed and stored as `"<alg>:<lower hex>"`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TaggedHash {
    pub alg: HashAlg,
    pub bytes: Vec<u8>,
}

impl TaggedHash {
    pub fn of(alg: HashAlg, data: &[u8]) -> Self {
        Self { alg, bytes: hash(alg, data) }
    }

    /// Parses `"sm3:<hex>"` / `"sha256:<hex>"` (hex of either case, 32 bytes).
    pub fn parse(s: &str) -> Result<Self, CryptoError> {
        let (alg, hex_part) = split_tag(s, "tagged hash")?;
        let alg = HashAlg::parse(alg).ok_or_else(|| CryptoError::UnknownAlgorithm(alg.to_owned()))?;
        let bytes = hex::decode(hex_part).map_err(|_| CryptoError::Malformed("tagged hash"))?;
        if bytes.len() != 32 {
            return Err(CryptoError::Malformed("tagged hash"));
        }
        Ok(Self { alg, bytes })
    }

    pub fn to_hex(&self) -> String {
        hex::encode(&self.bytes)
    }

    /// Whether `data` hashes to this value under this value's own algorithm.
    pub fn matches(&self, data: &[u8]) -> bool {
        hash(self.alg, data) == self.bytes
    }
}

impl fmt::Display for TaggedHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.alg.id(), self.to_hex())
    }
}

impl FromStr for TaggedHash {
    type Err = CryptoError;
    fn from_str(s: &str) -> Result<Self, CryptoError> {
        Self::parse(s)
    }
}

/// Whether a stored `"<alg>:<hex>"` hash is the hash of `data`, whichever suite is current.
pub fn verify_hash(tagged: &str, data: &[u8]) -> bool {
    TaggedHash::parse(tagged).is_ok_and(|t| t.matches(data))
}

/// A signature with its algorithm; displayed and stored as `"<alg>:<lower hex>"` (64 bytes: SM2 r‖s,
/// Ed25519 R‖S).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TaggedSignature {
    pub alg: SignAlg,
    pub bytes: Vec<u8>,
}

impl TaggedSignature {
    pub fn parse(s: &str) -> Result<Self, CryptoError> {
        let (alg, hex_part) = split_tag(s, "tagged signature")?;
        let alg = SignAlg::parse(alg).ok_or_else(|| CryptoError::UnknownAlgorithm(alg.to_owned()))?;
        let bytes = hex::decode(hex_part).map_err(|_| CryptoError::Malformed("tagged signature"))?;
        Ok(Self { alg, bytes })
    }

    pub fn to_hex(&self) -> String {
        hex::encode(&self.bytes)
    }

    /// Verifies this signature of `msg` against a public key in hex (see [`verify_signature`]).
    pub fn verify(&self, public_key_hex: &str, msg: &[u8]) -> bool {
        verify_signature(self.alg, public_key_hex, msg, &self.to_hex())
    }
}

impl fmt::Display for TaggedSignature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.alg.id(), self.to_hex())
    }
}

impl FromStr for TaggedSignature {
    type Err = CryptoError;
    fn from_str(s: &str) -> Result<Self, CryptoError> {
        Self::parse(s)
    }
}

fn split_tag<'a>(s: &'a str, what: &'static str) -> Result<(&'a str, &'a str), CryptoError> {
    s.split_once(':').ok_or(CryptoError::Malformed(what))
}

/// Verifies a signature given as bare hex. Public keys: SM2 as SEC 1 uncompressed point (65 bytes,
/// `04‖x‖y`, compressed accepted too) with the default ID [`SM2_DEFAULT_ID`]; Ed25519 as 32 bytes
/// (strict verification: no small-order keys, canonical S).
pub fn verify_signature(alg: SignAlg, public_key_hex: &str, msg: &[u8], sig_hex: &str) -> bool {
    let (Ok(pk), Ok(sig)) = (hex::decode(public_key_hex), hex::decode(sig_hex)) else {
        return false;
    };
    match alg {
        SignAlg::Sm2 => {
            let Ok(vk) = sm2::dsa::VerifyingKey::from_sec1_bytes(SM2_DEFAULT_ID, &pk) else {
                return false;
            };
            let Ok(sig) = sm2::dsa::Signature::from_slice(&sig) else {
                return false;
            };
            vk.verify(msg, &sig).is_ok()
        }
        SignAlg::Ed25519 => {
            let Ok(pk) = <[u8; 32]>::try_from(pk.as_slice()) else {
                return false;
            };
            let Ok(vk) = ed25519_dalek::VerifyingKey::from_bytes(&pk) else {
                return false;
            };
            let Ok(sig) = ed25519_dalek::Signature::from_slice(&sig) else {
                return false;
            };
            vk.verify_strict(msg, &sig).is_ok()
        }
    }
}

/// A signing key pair of one algorithm. Its `Debug` shows the algorithm and public key only.
#[derive(Clone)]
pub struct SigningKeyPair {
    key: SigningKeyInner,
}

#[derive(Clone)]
enum SigningKeyInner {
    Sm2(sm2::dsa::SigningKey),
    Ed25519(ed25519_dalek::SigningKey),
}

impl SigningKeyPair {
    /// An SM2 key pair from a 32-byte big-endian private key in [1, n-2].
    pub fn sm2_from_private_key(private_key: &[u8; 32]) -> Result<Self, CryptoError> {
        if *private_key >= SM2_N_MINUS_1 {
            return Err(CryptoError::Malformed("SM2 private key"));
        }
        sm2::dsa::SigningKey::from_slice(SM2_DEFAULT_ID, private_key)
            .map(|k| Self { key: SigningKeyInner::Sm2(k) })
            .map_err(|_| CryptoError::Malformed("SM2 private key"))
    }

    /// An Ed25519 key pair from its 32-byte seed (RFC 8032 "private key").
    pub fn ed25519_from_seed(seed: &[u8; 32]) -> Self {
        Self { key: SigningKeyInner::Ed25519(ed25519_dalek::SigningKey::from_bytes(seed)) }
    }

    pub fn alg(&self) -> SignAlg {
        match self.key {
            SigningKeyInner::Sm2(_) => SignAlg::Sm2,
            SigningKeyInner::Ed25519(_) => SignAlg::Ed25519,
        }
    }

    /// Signs `msg` (SM2: Z_A with the default ID, SM3, deterministic nonce per RFC 6979 over SM3).
    /// SM2 signing can fail only with negligible probability (r = 0, r + k = n).
    pub fn sign(&self, msg: &[u8]) -> Result<TaggedSignature, CryptoError> {
        let bytes = match &self.key {
            SigningKeyInner::Sm2(k) => {
                let sig: sm2::dsa::Signature = k.try_sign(msg).map_err(|_| CryptoError::SigningFailed)?;
                sig.to_bytes().to_vec()
            }
            SigningKeyInner::Ed25519(k) => k.sign(msg).to_bytes().to_vec(),
        };
        Ok(TaggedSignature { alg: self.alg(), bytes })
    }

    /// The public key as bytes (SM2: 65-byte uncompressed point `04‖x‖y`; Ed25519: 32 bytes).
    pub fn public_key_bytes(&self) -> Vec<u8> {
        match &self.key {
            SigningKeyInner::Sm2(k) => k.verifying_key().to_sec1_bytes().to_vec(),
            SigningKeyInner::Ed25519(k) => k.verifying_key().to_bytes().to_vec(),
        }
    }

    /// The public key in lower hex, as published for offline verification of certificates.
    pub fn public_key_hex(&self) -> String {
        hex::encode(self.public_key_bytes())
    }
}

impl fmt::Debug for SigningKeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKeyPair")
            .field("alg", &self.alg())
            .field("public_key", &self.public_key_hex())
            .finish_non_exhaustive()
    }
}

/// The cryptography of one deployment: a suite for new data and the sub-keys derived from the master
/// key. Reads (decrypt, verify, blind index with an explicit algorithm) work for either suite.
#[derive(Clone)]
pub struct Crypto {
    suite: Suite,
    master: [u8; 32],
    sm4_gcm_key: [u8; 16],
    aes_256_gcm_key: [u8; 32],
    blind_index_sm3_key: [u8; 32],
    blind_index_sha256_key: [u8; 32],
}

impl Crypto {
    pub fn new(suite: Suite, master_key: [u8; 32]) -> Self {
        let mut sm4_gcm_key = [0u8; 16];
        sm4_gcm_key.copy_from_slice(&derive(&master_key, MacAlg::HmacSm3, LABEL_CIPHER_SM4_GCM)[..16]);
        Self {
            suite,
            sm4_gcm_key,
            aes_256_gcm_key: derive(&master_key, MacAlg::HmacSha256, LABEL_CIPHER_AES_256_GCM),
            blind_index_sm3_key: derive(&master_key, MacAlg::HmacSm3, LABEL_BLIND_INDEX_HMAC_SM3),
            blind_index_sha256_key: derive(&master_key, MacAlg::HmacSha256, LABEL_BLIND_INDEX_HMAC_SHA256),
            master: master_key,
        }
    }

    /// A fresh master key from the operating system's random number generator.
    pub fn generate_master_key() -> Result<[u8; 32], CryptoError> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|_| CryptoError::Rng)?;
        Ok(key)
    }

    /// Parses a master key written as 64 hex digits (surrounding whitespace ignored); refuses all zeros.
    pub fn parse_master_key_hex(s: &str) -> Result<[u8; 32], CryptoError> {
        let mut key = [0u8; 32];
        hex::decode_to_slice(s.trim(), &mut key).map_err(|_| CryptoError::InvalidMasterKey)?;
        if key == [0u8; 32] {
            return Err(CryptoError::InvalidMasterKey);
        }
        Ok(key)
    }

    pub fn suite(&self) -> Suite {
        self.suite
    }

    /// The hash of `data` under the current suite.
    pub fn hash(&self, data: &[u8]) -> TaggedHash {
        TaggedHash::of(self.suite.hash_alg(), data)
    }

    /// Whether a stored tagged hash matches `data`, whichever suite made it.
    pub fn verify_hash(&self, tagged: &str, data: &[u8]) -> bool {
        verify_hash(tagged, data)
    }

    /// Encrypts with the current suite's cipher under a fresh random 12-byte nonce. `aad` binds the
    /// ciphertext to its context (e.g. table, column and row id) so it cannot be moved to another record.
    /// Returns `"<cipher-id>:<base64(nonce‖ciphertext‖tag)>"` (standard base64 with padding).
    pub fn encrypt(&self, plaintext: &[u8], aad: &[u8]) -> Result<String, CryptoError> {
        let alg = self.suite.cipher_alg();
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(|_| CryptoError::Rng)?;
        let key: &[u8] = match alg {
            CipherAlg::Sm4Gcm => &self.sm4_gcm_key,
            CipherAlg::Aes256Gcm => &self.aes_256_gcm_key,
        };
        let sealed = aead_seal(alg, key, &nonce, plaintext, aad)?;
        let mut blob = Vec::with_capacity(NONCE_LEN + sealed.len());
        blob.extend_from_slice(&nonce);
        blob.extend_from_slice(&sealed);
        Ok(format!("{}:{}", alg.id(), BASE64.encode(blob)))
    }

    /// Decrypts a value made by [`Crypto::encrypt`] under either suite: the algorithm comes from the prefix.
    pub fn decrypt(&self, stored: &str, aad: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let (alg, body) = split_tag(stored, "ciphertext")?;
        let alg = CipherAlg::parse(alg).ok_or_else(|| CryptoError::UnknownAlgorithm(alg.to_owned()))?;
        let blob = BASE64.decode(body).map_err(|_| CryptoError::Malformed("ciphertext"))?;
        if blob.len() < NONCE_LEN + TAG_LEN {
            return Err(CryptoError::Malformed("ciphertext"));
        }
        let (nonce, sealed) = blob.split_at(NONCE_LEN);
        let mut nonce_arr = [0u8; NONCE_LEN];
        nonce_arr.copy_from_slice(nonce);
        let key: &[u8] = match alg {
            CipherAlg::Sm4Gcm => &self.sm4_gcm_key,
            CipherAlg::Aes256Gcm => &self.aes_256_gcm_key,
        };
        aead_open(alg, key, &nonce_arr, sealed, aad)
    }

    /// Keyed hash for exact-match lookup without decrypting (e.g. of a normalised ID number), under the
    /// current suite: `"<mac-id>:<lower hex>"`.
    pub fn blind_index(&self, data: &[u8]) -> String {
        self.blind_index_with(self.suite.mac_alg(), data)
    }

    /// The blind index under a given algorithm, so a lookup after a suite switch can try both.
    pub fn blind_index_with(&self, alg: MacAlg, data: &[u8]) -> String {
        let key = match alg {
            MacAlg::HmacSm3 => &self.blind_index_sm3_key,
            MacAlg::HmacSha256 => &self.blind_index_sha256_key,
        };
        format!("{}:{}", alg.id(), hex::encode(mac(alg, key, data)))
    }

    /// The deployment's signing key for the current suite, derived from the master key (same key every time).
    pub fn signing_key(&self) -> SigningKeyPair {
        self.signing_key_for(self.suite.sign_alg())
    }

    /// The deployment's signing key for a given algorithm.
    pub fn signing_key_for(&self, alg: SignAlg) -> SigningKeyPair {
        match alg {
            SignAlg::Ed25519 => {
                SigningKeyPair::ed25519_from_seed(&derive(&self.master, MacAlg::HmacSha256, LABEL_SIGN_ED25519))
            }
            SignAlg::Sm2 => {
                // Rejection sampling: a 256-bit value is outside [1, n-2] with probability ≈ 2^-32,
                // so the loop ends at counter 0 for all practical master keys.
                let mut counter: u32 = 0;
                loop {
                    let label = format!("{LABEL_SIGN_SM2}{counter}");
                    let mut candidate = derive(&self.master, MacAlg::HmacSm3, &label);
                    let pair = SigningKeyPair::sm2_from_private_key(&candidate);
                    candidate.zeroize();
                    if let Ok(pair) = pair {
                        return pair;
                    }
                    counter = counter.wrapping_add(1);
                }
            }
        }
    }
}

fn derive(master: &[u8; 32], alg: MacAlg, label: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut full = mac(alg, master, label.as_bytes());
    out.copy_from_slice(&full[..32]);
    full.zeroize();
    out
}

impl fmt::Debug for Crypto {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Crypto").field("suite", &self.suite).finish_non_exhaustive()
    }
}

impl Drop for Crypto {
    fn drop(&mut self) {
        self.master.zeroize();
        self.sm4_gcm_key.zeroize();
        self.aes_256_gcm_key.zeroize();
        self.blind_index_sm3_key.zeroize();
        self.blind_index_sha256_key.zeroize();
    }
}
