//! docs/DRAWS.md cannot drift: its worked example is what the code computes, and its Python verifier
//! agrees with the code.

use super::*;

/// `xxd -g 1`-style dump: offset, 16 bytes in hex, printable ASCII.
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

/// The selection input of round `r`, built independently of the library from the document's words.
fn select_input(seed: &[u8; 32], pool_hash_hex: &str, purpose: &str, r: u32) -> Vec<u8> {
    let mut v = SELECT_MAGIC.to_vec();
    v.extend_from_slice(seed);
    v.extend_from_slice(&hex::decode(pool_hash_hex).expect("hex"));
    v.extend_from_slice(&(purpose.len() as u32).to_be_bytes());
    v.extend_from_slice(purpose.as_bytes());
    v.extend_from_slice(&r.to_be_bytes());
    v
}

/// The rounds table of the worked example, one Markdown row per round, computed independently.
fn rounds_table(alg: HashAlg, r: &DrawRecord) -> String {
    let seed = example_seed();
    let mut remaining: Vec<i64> = r.pool.iter().map(|p| p.expert_id).collect();
    let mut out = String::new();
    let mut round = 0u32;
    for position in 1..=r.picks.len() {
        loop {
            let d = hash(alg, &select_input(&seed, &r.pool_hash, &r.purpose, round));
            let x = u64::from_be_bytes(d[..8].try_into().expect("8 bytes"));
            let n = remaining.len() as u64;
            let limit = ((1u128 << 64) / n as u128) * n as u128;
            let first8 = hex::encode(&d[..8]);
            if (x as u128) < limit {
                let i = (x % n) as usize;
                let list: Vec<String> = remaining.iter().map(|id| id.to_string()).collect();
                let chosen = remaining.remove(i);
                out.push_str(&format!(
                    "| {round} | `{first8}` | {x} | {n} | [{}] | {i} | {chosen} (position {position}) |\n",
                    list.join(", ")
                ));
                round += 1;
                break;
            }
            out.push_str(&format!("| {round} | `{first8}` | {x} | {n} | rejected | | |\n"));
            round += 1;
        }
    }
    out
}

fn doc_block(lang: &str, after: &str) -> &'static str {
    let from = DRAWS_MD.find(after).unwrap_or_else(|| panic!("docs/DRAWS.md has no {after:?}"));
    let open = format!("```{lang}\n");
    let start = from + DRAWS_MD[from..].find(&open).expect("code block") + open.len();
    let len = DRAWS_MD[start..].find("```").expect("end of block");
    &DRAWS_MD[start..start + len]
}

#[test]
fn the_worked_example_in_draws_md_is_what_the_code_computes() {
    let sha = example_record(HashAlg::Sha256);
    let sm3 = example_record(HashAlg::Sm3);
    for (r, alg) in [(&sha, HashAlg::Sha256), (&sm3, HashAlg::Sm3)] {
        assert!(DRAWS_MD.contains(&r.pool_hash), "docs/DRAWS.md must give the {alg} pool hash {}", r.pool_hash);
        assert!(DRAWS_MD.contains(&r.commitment), "docs/DRAWS.md must give the {alg} commitment {}", r.commitment);
        let table = rounds_table(alg, r);
        assert!(DRAWS_MD.contains(&table), "docs/DRAWS.md must contain the {alg} rounds:\n{table}");
        assert_eq!(verify(r), Ok(()));
    }
    assert_eq!(sha.pool_hash, EXAMPLE_SHA256_POOL_HASH, "update docs/DRAWS.md and the constants together");
    assert_eq!(sm3.pool_hash, EXAMPLE_SM3_POOL_HASH, "update docs/DRAWS.md and the constants together");
    assert_eq!(sha.commitment, EXAMPLE_SHA256_COMMITMENT);
    assert_eq!(sm3.commitment, EXAMPLE_SM3_COMMITMENT);
    let ids = |r: &DrawRecord| r.picks.iter().map(|p| (p.expert_id, p.status)).collect::<Vec<_>>();
    assert_eq!(ids(&sha), EXAMPLE_SHA256_PICKS);
    assert_eq!(ids(&sm3), EXAMPLE_SM3_PICKS);

    let dump = hex_dump(&pool_encoding(&sha.pool));
    assert!(DRAWS_MD.contains(&dump), "docs/DRAWS.md must contain the pool encoding dump:\n{dump}");
    let input = hex_dump(&select_input(&example_seed(), &sha.pool_hash, &sha.purpose, 0));
    assert!(DRAWS_MD.contains(&input), "docs/DRAWS.md must contain the round-0 input dump:\n{input}");

    // The example export in the document is the SHA-256 record, field for field.
    let shown: serde_json::Value = serde_json::from_str(doc_block("json", "## Worked example")).expect("json");
    assert_eq!(shown, serde_json::to_value(&sha).expect("json"));
    // The export and the document give the members in the documented order.
    let block = doc_block("json", "## Worked example");
    let text = serde_json::to_string(&sha).expect("json");
    for shown in [block, text.as_str()] {
        let at: Vec<usize> = EXPORT_ORDER
            .iter()
            .map(|k| shown.find(&format!("\"{k}\":")).unwrap_or_else(|| panic!("{k} missing")))
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "members out of order: {at:?}");
    }
    assert_eq!(shown_keys(&sha), EXPORT_ORDER.len());
    // The table of members in section 5 too.
    let at: Vec<usize> = EXPORT_ORDER
        .iter()
        .map(|k| DRAWS_MD.find(&format!("| `{k}` |")).unwrap_or_else(|| panic!("table row {k} missing")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "table rows out of order: {at:?}");
}

fn shown_keys(r: &DrawRecord) -> usize {
    serde_json::to_value(r).expect("json").as_object().expect("object").len()
}

const EXPORT_ORDER: [&str; 15] = [
    "format",
    "draw_id",
    "purpose",
    "hash_alg",
    "count",
    "request",
    "rules",
    "pool",
    "pool_hash",
    "commitment",
    "seed",
    "picks",
    "excluded",
    "committed_at",
    "drawn_at",
];

const EXAMPLE_SHA256_POOL_HASH: &str = "ec6440d92edf5538d035062e85e9a8ec60fe95e623ec55e24941808512afb1b4";
const EXAMPLE_SM3_POOL_HASH: &str = "fdf57f950f7f6c38cacf34ea932de4d655d0045724f54c5e177bb101de0b7271";
const EXAMPLE_SHA256_COMMITMENT: &str = "0bf48198594be33faaf7de3ff2e387e437a58acbbd1793722511bb2507256a67";
const EXAMPLE_SM3_COMMITMENT: &str = "e1ccfde459acde5de33ec4fd1abea81a8250dfe4f593873adb24a4a3137fe164";
const EXAMPLE_SHA256_PICKS: [(i64, PickStatus); 4] =
    [(106, PickStatus::Drawn), (108, PickStatus::Declined), (101, PickStatus::Drawn), (102, PickStatus::Replacement)];
const EXAMPLE_SM3_PICKS: [(i64, PickStatus); 4] =
    [(108, PickStatus::Drawn), (102, PickStatus::Declined), (106, PickStatus::Drawn), (101, PickStatus::Replacement)];

/// The Python verifier printed in docs/DRAWS.md, run on exports of good and tampered records.
/// Skipped (with a note) where python3 is absent.
#[test]
fn the_python_verifier_in_draws_md_agrees_with_the_code() {
    let script = doc_block("python", "## Verifying an export without kaohe");
    let dir = std::env::temp_dir().join(format!("kaohe-draws-py-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let script_path = dir.join("verify_draw.py");
    std::fs::write(&script_path, script).expect("write script");

    let run = |r: &DrawRecord, name: &str| -> Option<(bool, String)> {
        let path = dir.join(name);
        std::fs::write(&path, serde_json::to_string_pretty(r).expect("json")).expect("write export");
        let out = std::process::Command::new("python3").arg(&script_path).arg(&path).output().ok()?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
        Some((out.status.success(), text))
    };

    let sm3_available = std::process::Command::new("python3")
        .args(["-c", "import hashlib; hashlib.new('sm3')"])
        .status()
        .is_ok_and(|s| s.success());
    let mut algs = vec![HashAlg::Sha256];
    if sm3_available {
        algs.push(HashAlg::Sm3);
    }
    for alg in algs {
        let good = example_record(alg);
        let Some((ok, out)) = run(&good, "good.json") else {
            eprintln!("python3 not found: the Python verifier in docs/DRAWS.md was not run");
            return;
        };
        assert!(ok, "{alg}: {out}");
        assert!(out.starts_with("ok"), "{out}");

        // A bigger draw with two declines, one of them a replacement.
        let seed = [0x5a; 32];
        let candidates: Vec<Candidate> = (1..=30).map(|i| expert(i * 3, &["烹饪"], "430200", Some(i))).collect();
        let req = DrawRequest { count: 5, ..request(5) };
        let elig = eligible(&candidates, &req, &applicant(), &RULES, TODAY);
        let mut big =
            DrawRecord::commit(2, alg, &req, &RULES, &elig, &seed, datetime!(2026-12-01 0:00 UTC)).expect("commit");
        let g = big.draw(&seed, datetime!(2026-12-01 0:01 UTC)).expect("draw");
        let r1 = big.decline(g[3], &seed).expect("decline").expect("replacement");
        big.decline(r1, &seed).expect("decline").expect("replacement");
        big.reveal(&seed).expect("reveal");
        assert_eq!(verify(&big), Ok(()));
        let (ok, out) = run(&big, "big.json").expect("python");
        assert!(ok, "{alg}: {out}");

        let mut pick = good.clone();
        pick.picks[2].expert_id = good.picks[3].expert_id;
        let (ok, out) = run(&pick, "pick.json").expect("python");
        assert!(!ok && out.contains("position 3"), "{alg}: {out}");

        let mut pool = good.clone();
        pool.pool[1].facts[2].1 = "烹饪".into();
        let (ok, out) = run(&pool, "pool.json").expect("python");
        assert!(!ok && out.contains("pool_hash"), "{alg}: {out}");

        let mut seed_bad = good.clone();
        seed_bad.seed = Some(hex::encode([7u8; 32]));
        let (ok, out) = run(&seed_bad, "seed.json").expect("python");
        assert!(!ok && out.contains("commitment"), "{alg}: {out}");

        let mut sealed = good.clone();
        sealed.seed = None;
        let (ok, out) = run(&sealed, "sealed.json").expect("python");
        assert!(!ok && out.contains("not revealed"), "{alg}: {out}");

        let mut extra = good.clone();
        extra.picks[1].status = PickStatus::Drawn;
        let (ok, out) = run(&extra, "extra.json").expect("python");
        assert!(!ok && out.contains("number of picks"), "{alg}: {out}");
    }
    if !sm3_available {
        eprintln!("python3 has no SM3 in hashlib: the SM3 record was not run through the Python verifier");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
