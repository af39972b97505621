//! The audit trail's hash chain: every kind of tampering is caught at the right seq, what the chain
//! alone cannot catch (a cut-off tail, a wholesale rewrite) is caught by a published head, and
//! docs/AUDIT.md (encoding, worked example, Python verifier) agrees with the code.

use domain::audit::{
    AuditEntry, BreakReason, ChainBreak, ChainHead, ENCODING_MAGIC, GENESIS_HASH, NewAuditEntry, compute_hash, encode,
    format_at, seal, verify_chain, verify_chain_from, verify_chain_to_head,
};
use domain::crypto::HashAlg;
use time::macros::datetime;

const AUDIT_MD: &str = include_str!("../../../docs/AUDIT.md");

fn draft(i: i64) -> NewAuditEntry {
    NewAuditEntry {
        at: datetime!(2026-11-28 09:00:00 +08:00) + time::Duration::seconds(i * 61),
        actor: if i % 5 == 0 { "system".into() } else { format!("user{i}") },
        action: ["auth.login", "auth.login_failed", "exam.plan_submitted", "cert.issued"][(i % 4) as usize].into(),
        target_kind: "exam".into(),
        target_id: format!("E{i:04}"),
        detail: format!(r#"{{"n":{i},"note":"第{i}条"}}"#),
        ip: format!("10.0.0.{i}"),
    }
}

/// 20 entries: SM3 for 1–8, SHA-256 for 9–14 (a suite switch), SM3 again for 15–20.
fn chain() -> Vec<AuditEntry> {
    let mut out: Vec<AuditEntry> = Vec::new();
    for i in 1..=20 {
        let alg = if (9..=14).contains(&i) { HashAlg::Sha256 } else { HashAlg::Sm3 };
        let e = seal(alg, out.last(), draft(i));
        out.push(e);
    }
    out
}

fn brk(seq: i64, reason: BreakReason) -> Result<u64, ChainBreak> {
    Err(ChainBreak { seq, reason })
}

#[test]
fn a_sealed_chain_of_mixed_algorithms_verifies() {
    let c = chain();
    assert_eq!(c.len(), 20);
    assert_eq!(c[0].seq, 1);
    assert_eq!(c[0].prev_hash, GENESIS_HASH);
    assert_eq!(c[0].hash_alg, "sm3");
    assert_eq!(c[9].hash_alg, "sha256");
    for w in c.windows(2) {
        assert_eq!(w[1].seq, w[0].seq + 1);
        assert_eq!(w[1].prev_hash, w[0].hash);
    }
    for e in &c {
        assert_eq!(e.hash.len(), 64);
        assert_eq!(e.hash, e.hash.to_lowercase());
    }
    assert_eq!(verify_chain(&c), Ok(20));
    assert_eq!(verify_chain(&[]), Ok(0));
}

#[test]
fn altering_any_field_of_entry_7_is_caught_at_seq_7() {
    let edits: Vec<fn(&mut AuditEntry)> = vec![
        |e| e.at = "2026-11-28T01:06:08.000000Z".into(),
        |e| e.actor = "someone_else".into(),
        |e| e.action = "auth.login".into(),
        |e| e.target_kind = "cert".into(),
        |e| e.target_id.push('X'),
        |e| e.detail = r#"{"n":7}"#.into(),
        |e| e.ip = "10.0.0.99".into(),
        |e| e.hash = compute_hash(HashAlg::Sm3, &chain()[7]),
    ];
    for edit in edits {
        let mut c = chain();
        edit(&mut c[6]);
        assert_eq!(verify_chain(&c), brk(7, BreakReason::Altered));
    }
}

#[test]
fn switching_entry_7_to_the_other_known_algorithm_is_an_alteration() {
    let mut c = chain();
    c[6].hash_alg = "sha256".into();
    assert_eq!(verify_chain(&c), brk(7, BreakReason::Altered));
}

#[test]
fn an_unknown_algorithm_on_entry_7_is_reported_at_seq_7() {
    let mut c = chain();
    c[6].hash_alg = "md5".into();
    assert_eq!(verify_chain(&c), brk(7, BreakReason::UnknownAlgorithm));
    c[6].hash_alg = "SM3".into(); // ids are exact and lower case
    assert_eq!(verify_chain(&c), brk(7, BreakReason::UnknownAlgorithm));
}

#[test]
fn altering_entry_7_and_rehashing_it_is_caught_at_seq_8() {
    let mut c = chain();
    c[6].detail = r#"{"n":7,"note":"改"}"#.into();
    c[6].hash = compute_hash(HashAlg::Sm3, &c[6]);
    assert_eq!(verify_chain(&c), brk(8, BreakReason::PrevMismatch));
}

#[test]
fn altering_prev_hash_of_entry_7_is_caught_at_seq_7() {
    let mut c = chain();
    c[6].prev_hash = c[4].hash.clone();
    assert_eq!(verify_chain(&c), brk(7, BreakReason::PrevMismatch));
    // Upper-case hex is another string: the chain rule is lower case.
    let mut c = chain();
    c[6].prev_hash = c[6].prev_hash.to_uppercase();
    assert_eq!(verify_chain(&c), brk(7, BreakReason::PrevMismatch));
}

#[test]
fn the_first_entry_must_carry_the_genesis_value() {
    let mut c = chain();
    c[0].prev_hash = "1".repeat(64);
    assert_eq!(verify_chain(&c), brk(1, BreakReason::PrevMismatch));
}

#[test]
fn removing_entry_7_is_caught_at_seq_8() {
    let mut c = chain();
    c.remove(6);
    assert_eq!(verify_chain(&c), brk(8, BreakReason::Missing { expected: 7 }));
}

#[test]
fn removing_entry_7_and_renumbering_the_rest_is_caught_at_seq_7() {
    let mut c = chain();
    c.remove(6);
    for e in &mut c[6..] {
        e.seq -= 1;
    }
    assert_eq!(verify_chain(&c), brk(7, BreakReason::PrevMismatch));
}

#[test]
fn removing_the_first_entry_is_caught() {
    let c = chain();
    assert_eq!(verify_chain(&c[1..]), brk(2, BreakReason::Missing { expected: 1 }));
}

#[test]
fn swapping_entries_7_and_8_is_caught_as_out_of_order() {
    let mut c = chain();
    c.swap(6, 7);
    assert_eq!(verify_chain(&c), brk(8, BreakReason::OutOfOrder { expected: 7 }));
}

#[test]
fn a_duplicated_entry_is_caught_as_out_of_order() {
    let mut c = chain();
    c.insert(7, c[6].clone());
    assert_eq!(verify_chain(&c), brk(7, BreakReason::OutOfOrder { expected: 8 }));
}

#[test]
fn swapping_seq_numbers_of_entries_7_and_8_is_caught() {
    // The rows stay in place but exchange their seq: both hashes no longer recompute.
    let mut c = chain();
    c[6].seq = 8;
    c[7].seq = 7;
    c.swap(6, 7);
    assert_eq!(verify_chain(&c), brk(7, BreakReason::PrevMismatch));
}

#[test]
fn a_truncated_tail_passes_the_chain_alone_but_not_the_published_head() {
    let c = chain();
    let head = ChainHead::of(&c[19]);
    // What the chain alone can say: a shorter chain is still a valid chain.
    assert_eq!(verify_chain(&c[..15]), Ok(15));
    // The published head (seq 20 and its hash) reveals the cut.
    assert_eq!(verify_chain_to_head(&c[..15], &head), brk(15, BreakReason::Truncated { head_seq: 20 }));
    assert_eq!(verify_chain_to_head(&c, &head), Ok(20));
    // A later chain still contains the earlier head.
    let mut longer = c.clone();
    longer.push(seal(HashAlg::Sm3, longer.last(), draft(21)));
    assert_eq!(verify_chain_to_head(&longer, &head), Ok(21));
}

#[test]
fn a_rewrite_from_entry_7_onwards_passes_the_chain_alone_but_not_the_published_head() {
    let c = chain();
    let head = ChainHead::of(&c[19]);
    let mut forged: Vec<AuditEntry> = c[..6].to_vec();
    for i in 7..=20 {
        let mut d = draft(i);
        if i == 7 {
            d.detail = r#"{"n":7,"note":"伪造"}"#.into();
        }
        forged.push(seal(HashAlg::Sm3, forged.last(), d));
    }
    assert_eq!(verify_chain(&forged), Ok(20));
    assert_eq!(verify_chain_to_head(&forged, &head), brk(20, BreakReason::HeadMismatch));
}

#[test]
fn a_chain_can_be_verified_window_by_window() {
    let c = chain();
    let mut total = 0;
    let (mut prev_seq, mut prev_hash) = (0, GENESIS_HASH.to_owned());
    for page in c.chunks(6) {
        total += verify_chain_from(prev_seq, &prev_hash, page).unwrap();
        let last = page.last().unwrap();
        (prev_seq, prev_hash) = (last.seq, last.hash.clone());
    }
    assert_eq!(total, 20);
    assert_eq!(verify_chain_from(10, &c[9].hash, &c[10..]), Ok(10));
    assert_eq!(verify_chain_from(10, &c[8].hash, &c[10..]), brk(11, BreakReason::PrevMismatch));
    assert_eq!(verify_chain_from(9, &c[8].hash, &c[10..]), brk(11, BreakReason::Missing { expected: 10 }));
    let mut tampered = c.clone();
    tampered[14].ip = "1.2.3.4".into();
    assert_eq!(verify_chain_from(10, &c[9].hash, &tampered[10..]), brk(15, BreakReason::Altered));
}

#[test]
fn breaks_are_reported_in_english_naming_the_seq() {
    let cases = [
        (BreakReason::Altered, "seq 7", "altered"),
        (BreakReason::Missing { expected: 7 }, "seq 8", "seq 7 is missing"),
        (BreakReason::OutOfOrder { expected: 7 }, "seq 8", "out of order"),
        (BreakReason::PrevMismatch, "seq 7", "prev_hash"),
        (BreakReason::UnknownAlgorithm, "seq 7", "unknown hash algorithm"),
        (BreakReason::Truncated { head_seq: 20 }, "seq 15", "published head is seq 20"),
        (BreakReason::HeadMismatch, "seq 20", "published head"),
    ];
    for (reason, seq_text, words) in cases {
        let seq = seq_text[4..].parse().unwrap();
        let text = ChainBreak { seq, reason }.to_string();
        assert!(text.contains(seq_text) && text.contains(words), "{text}");
    }
}

#[test]
fn timestamps_are_utc_with_exactly_six_fraction_digits() {
    assert_eq!(format_at(datetime!(2026-11-28 21:05:03.123456789 +08:00)), "2026-11-28T13:05:03.123456Z");
    assert_eq!(format_at(datetime!(2026-01-01 00:00:00 UTC)), "2026-01-01T00:00:00.000000Z");
    assert_eq!(chain()[0].at, "2026-11-28T01:01:01.000000Z");
}

#[test]
fn encoding_is_magic_seq_then_length_prefixed_fields() {
    let e = &chain()[0];
    let bytes = encode(e);
    assert_eq!(&bytes[..14], ENCODING_MAGIC);
    assert_eq!(&bytes[14..22], &1i64.to_be_bytes());
    let at_len = u32::from_be_bytes(bytes[22..26].try_into().unwrap()) as usize;
    assert_eq!(at_len, 27);
    assert_eq!(&bytes[26..26 + at_len], e.at.as_bytes());
    assert!(bytes.ends_with(GENESIS_HASH.as_bytes()));
    // Length prefixes make the boundary between fields unambiguous.
    let mut a = e.clone();
    (a.actor, a.action) = ("ab".into(), "c".into());
    let mut b = e.clone();
    (b.actor, b.action) = ("a".into(), "bc".into());
    assert_ne!(encode(&a), encode(&b));
    // seq is signed 64-bit big-endian.
    let mut neg = e.clone();
    neg.seq = -2;
    assert_eq!(&encode(&neg)[14..22], &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe]);
}

#[test]
fn entries_export_as_one_json_object_per_line_and_read_back() {
    let c = chain();
    let lines: Vec<String> = c.iter().map(|e| serde_json::to_string(e).unwrap()).collect();
    assert!(lines.iter().all(|l| !l.contains('\n')));
    assert!(lines[0].starts_with(r#"{"seq":1,"at":"2026-11-28T01:01:01.000000Z","actor":"user1","#));
    let back: Vec<AuditEntry> = lines.iter().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(back, c);
    assert_eq!(verify_chain(&back), Ok(20));
}

// ---- docs/AUDIT.md cannot drift ---------------------------------------------------------------------

fn example_entries() -> (AuditEntry, AuditEntry) {
    let first = seal(
        HashAlg::Sha256,
        None,
        NewAuditEntry {
            at: datetime!(2026-11-28 09:30:15.123456 +08:00),
            actor: "zhangsan".into(),
            action: "auth.login_failed".into(),
            target_kind: "user".into(),
            target_id: "zhangsan".into(),
            detail: r#"{"reason":"bad_password"}"#.into(),
            ip: "10.1.2.3".into(),
        },
    );
    let second = seal(
        HashAlg::Sm3,
        Some(&first),
        NewAuditEntry {
            at: datetime!(2026-11-28 09:31:02 +08:00),
            actor: "zhangsan".into(),
            action: "auth.login".into(),
            target_kind: "user".into(),
            target_id: "zhangsan".into(),
            detail: "{}".into(),
            ip: "10.1.2.3".into(),
        },
    );
    (first, second)
}

/// `xxd`-style dump: offset, 16 bytes in hex, printable ASCII.
fn hex_dump(bytes: &[u8]) -> String {
    let mut out = String::new();
    for (i, chunk) in bytes.chunks(16).enumerate() {
        let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
        let ascii: String =
            chunk.iter().map(|&b| if b.is_ascii_graphic() || b == b' ' { b as char } else { '.' }).collect();
        out.push_str(&format!("{:08x}: {:<47}  {}\n", i * 16, hex.join(" "), ascii));
    }
    out
}

#[test]
fn the_worked_example_in_audit_md_is_what_the_code_computes() {
    let (first, second) = example_entries();
    let dump = hex_dump(&encode(&first));
    assert!(AUDIT_MD.contains(&dump), "docs/AUDIT.md must contain the dump:\n{dump}");
    assert_eq!(first.hash, EXAMPLE_HASH_1, "update docs/AUDIT.md and EXAMPLE_HASH_1 together");
    assert_eq!(second.hash, EXAMPLE_HASH_2, "update docs/AUDIT.md and EXAMPLE_HASH_2 together");
    assert!(AUDIT_MD.contains(EXAMPLE_HASH_1));
    assert!(AUDIT_MD.contains(EXAMPLE_HASH_2));
    for e in [&first, &second] {
        let line = serde_json::to_string(e).unwrap();
        assert!(AUDIT_MD.contains(&line), "docs/AUDIT.md must contain the line:\n{line}");
    }
    assert_eq!(verify_chain([&first, &second]), Ok(2));
}

const EXAMPLE_HASH_1: &str = "1fc34b1cade1a8a98181363cacffbc060e50125205eb77f00e9b76152e94433e";
const EXAMPLE_HASH_2: &str = "57969d4374b4a7f8dff26ded765b017aba433544a7ea93c9e6abdd83ed7acdcf";

/// The Python verifier printed in docs/AUDIT.md, run on exports of good and tampered chains.
/// Skipped (with a note) where python3 is absent.
#[test]
fn the_python_verifier_in_audit_md_agrees_with_the_code() {
    let start = AUDIT_MD.find("```python\n").expect("a ```python block in docs/AUDIT.md") + 10;
    let len = AUDIT_MD[start..].find("```").unwrap();
    let script = &AUDIT_MD[start..start + len];

    let dir = std::env::temp_dir().join(format!("kaohe-audit-py-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script_path = dir.join("verify_audit.py");
    std::fs::write(&script_path, script).unwrap();

    let run = |entries: &[AuditEntry], name: &str| -> Option<(bool, String)> {
        let path = dir.join(name);
        let text: String = entries.iter().map(|e| serde_json::to_string(e).unwrap() + "\n").collect();
        std::fs::write(&path, text).unwrap();
        let out = std::process::Command::new("python3").arg(&script_path).arg(&path).output().ok()?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
        Some((out.status.success(), text))
    };

    // An all-SHA-256 chain needs nothing beyond Python's standard library.
    let mut sha: Vec<AuditEntry> = Vec::new();
    for i in 1..=20 {
        sha.push(seal(HashAlg::Sha256, sha.last(), draft(i)));
    }
    let Some((ok, out)) = run(&sha, "good.jsonl") else {
        eprintln!("python3 not found: the Python verifier in docs/AUDIT.md was not run");
        return;
    };
    assert!(ok, "{out}");
    assert!(out.contains("20"), "{out}");

    let mut altered = sha.clone();
    altered[6].detail = "{}".into();
    let (ok, out) = run(&altered, "altered.jsonl").unwrap();
    assert!(!ok && out.contains("seq 7"), "{out}");

    let mut removed = sha.clone();
    removed.remove(6);
    let (ok, out) = run(&removed, "removed.jsonl").unwrap();
    assert!(!ok && out.contains("seq 8"), "{out}");

    let mut swapped = sha.clone();
    swapped.swap(6, 7);
    let (ok, out) = run(&swapped, "swapped.jsonl").unwrap();
    assert!(!ok && out.contains("seq 8"), "{out}");

    // The mixed chain too, where this Python's hashlib offers SM3 (through OpenSSL).
    let sm3_available = std::process::Command::new("python3")
        .args(["-c", "import hashlib; hashlib.new('sm3')"])
        .status()
        .is_ok_and(|s| s.success());
    if sm3_available {
        let (ok, out) = run(&chain(), "mixed.jsonl").unwrap();
        assert!(ok, "{out}");
        let (first, second) = example_entries();
        let (ok, out) = run(&[first, second], "example.jsonl").unwrap();
        assert!(ok, "{out}");
    } else {
        eprintln!("python3 has no SM3 in hashlib: mixed chain not run through the Python verifier");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
