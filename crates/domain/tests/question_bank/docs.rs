//! docs/PAPERS.md cannot drift: its worked example is what the code computes, and its Python verifier
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

/// The selection input of row `k`, round `r`, built independently of the library from the document's words.
fn select_input(seed: &[u8; 32], r: &PaperRecord, k: u32, round: u32) -> Vec<u8> {
    let mut v = b"KAOHE-PAPER-SELECT-V1".to_vec();
    v.extend_from_slice(seed);
    v.extend_from_slice(&hex::decode(&r.pool_hash).expect("hex"));
    v.extend_from_slice(&hex::decode(&r.blueprint_hash).expect("hex"));
    v.extend_from_slice(&(r.purpose.len() as u32).to_be_bytes());
    v.extend_from_slice(r.purpose.as_bytes());
    v.extend_from_slice(&k.to_be_bytes());
    v.extend_from_slice(&round.to_be_bytes());
    v
}

/// The rounds table of a paper, one Markdown row per round, computed independently of the library.
fn rounds_table(alg: HashAlg, r: &PaperRecord, seed: &[u8; 32]) -> String {
    let avoid: Vec<i64> = r.parallel_of.as_ref().map(|p| p.item_ids.clone()).unwrap_or_default();
    let mut taken: Vec<i64> = Vec::new();
    let mut out = String::new();
    for (k, row) in r.blueprint.rows.iter().enumerate() {
        let fit: Vec<i64> = r
            .pool
            .iter()
            .filter(|p| {
                p.task == row.task
                    && p.kind == row.kind
                    && row.difficulty.is_none_or(|d| d == p.difficulty)
                    && !taken.contains(&p.item_id)
            })
            .map(|p| p.item_id)
            .collect();
        let (mut fresh, mut reused): (Vec<i64>, Vec<i64>) = fit.into_iter().partition(|id| !avoid.contains(id));
        let mut round = 0u32;
        for _ in 0..row.count {
            let (list, name) = if fresh.is_empty() { (&mut reused, "in A") } else { (&mut fresh, "not in A") };
            loop {
                let d = hash(alg, &select_input(seed, r, k as u32, round));
                let x = u64::from_be_bytes(d[..8].try_into().expect("8 bytes"));
                let n = list.len() as u64;
                let limit = ((1u128 << 64) / n as u128) * n as u128;
                let first8 = hex::encode(&d[..8]);
                if (x as u128) < limit {
                    let i = (x % n) as usize;
                    let shown: Vec<String> = list.iter().map(|id| id.to_string()).collect();
                    let chosen = list.remove(i);
                    let which = if avoid.is_empty() { String::new() } else { format!("{name}: ") };
                    out.push_str(&format!(
                        "| {} | {round} | `{first8}` | {x} | {which}[{}] | {n} | {i} | {chosen} |\n",
                        k + 1,
                        shown.join(", ")
                    ));
                    taken.push(chosen);
                    round += 1;
                    break;
                }
                out.push_str(&format!("| {} | {round} | `{first8}` | {x} | rejected | | | |\n", k + 1));
                round += 1;
            }
        }
    }
    out
}

fn doc_block(lang: &str, after: &str) -> &'static str {
    let from = PAPERS_MD.find(after).unwrap_or_else(|| panic!("docs/PAPERS.md has no {after:?}"));
    let open = format!("```{lang}\n");
    let start = from + PAPERS_MD[from..].find(&open).expect("code block") + open.len();
    let len = PAPERS_MD[start..].find("```").expect("end of block");
    &PAPERS_MD[start..start + len]
}

fn shown_picks(r: &PaperRecord) -> String {
    r.picks
        .iter()
        .map(|p| p.item_ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", "))
        .collect::<Vec<_>>()
        .join(" │ ")
}

#[test]
fn e2_the_worked_example_in_papers_md_is_what_the_code_computes() {
    for alg in [HashAlg::Sha256, HashAlg::Sm3] {
        let (a, b) = (example_a(alg), example_b(alg));
        for (what, value) in [
            ("pool hash", &a.pool_hash),
            ("blueprint hash", &a.blueprint_hash),
            ("commitment of paper 7", &a.commitment),
            ("commitment of paper 8", &b.commitment),
        ] {
            assert!(PAPERS_MD.contains(value.as_str()), "docs/PAPERS.md must give the {alg} {what} {value}");
        }
        assert_eq!(verify_paper(&a), Ok(()));
        assert_eq!(verify_paper(&b), Ok(()));
        let papers = format!("{} (paper 7) and {} (paper 8)", shown_picks(&a), shown_picks(&b));
        if alg == HashAlg::Sm3 {
            assert!(PAPERS_MD.contains(&papers), "docs/PAPERS.md must give the SM3 papers {papers}");
        } else {
            for (r, seed) in [(&a, seed_from(1)), (&b, seed_from(0x21))] {
                let table = rounds_table(alg, r, &seed);
                assert!(PAPERS_MD.contains(&table), "docs/PAPERS.md must contain the rounds:\n{table}");
                let sentence = format!("Paper {} is {}", r.paper_id, shown_picks(r));
                assert!(PAPERS_MD.contains(&sentence), "docs/PAPERS.md must say {sentence}");
            }
        }
    }
    let (a, b) = (example_a(HashAlg::Sha256), example_b(HashAlg::Sha256));
    assert_eq!(a.pool_hash, EXAMPLE_SHA256_POOL_HASH, "update docs/PAPERS.md and the constants together");
    assert_eq!(a.blueprint_hash, EXAMPLE_SHA256_BLUEPRINT_HASH);
    assert_eq!((a.item_ids(), b.item_ids()), (EXAMPLE_A.to_vec(), EXAMPLE_B.to_vec()));

    for (what, bytes) in [
        ("pool encoding", paper_pool_encoding(&a.pool)),
        ("blueprint encoding", blueprint_encoding(&a.blueprint)),
        ("round-0 input", select_input(&seed_from(1), &a, 0, 0)),
    ] {
        let dump = hex_dump(&bytes);
        assert!(PAPERS_MD.contains(&dump), "docs/PAPERS.md must contain the {what} dump:\n{dump}");
        assert!(PAPERS_MD.contains(&format!("({} bytes", bytes.len())), "{what}: {} bytes", bytes.len());
    }
    // The magic strings are the module's.
    assert_eq!(&select_input(&seed_from(1), &a, 0, 0)[..21], PAPER_SELECT_MAGIC);
    for magic in [&PAPER_POOL_MAGIC[..], PAPER_BLUEPRINT_MAGIC, PAPER_COMMIT_MAGIC, PAPER_SELECT_MAGIC] {
        let text = std::str::from_utf8(magic).unwrap();
        assert!(PAPERS_MD.contains(&format!("`{text}`")) || PAPERS_MD.contains(&format!("\"{text}\"")), "{text}");
        assert!(PAPERS_MD.contains(&format!("{} ASCII bytes", magic.len())), "{text} is {} bytes", magic.len());
    }

    // The example export is the SHA-256 record of paper 8, field for field, members in order.
    let block = doc_block("json", "## Worked example");
    let shown: serde_json::Value = serde_json::from_str(block).expect("json");
    assert_eq!(shown, serde_json::to_value(&b).expect("json"));
    let text = serde_json::to_string(&b).expect("json");
    for shown in [block, text.as_str()] {
        let at: Vec<usize> = EXPORT_ORDER
            .iter()
            .map(|k| shown.find(&format!("\"{k}\":")).unwrap_or_else(|| panic!("{k} missing")))
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "members out of order: {at:?}");
    }
    assert_eq!(serde_json::to_value(&b).unwrap().as_object().unwrap().len(), EXPORT_ORDER.len());
    let at: Vec<usize> = EXPORT_ORDER
        .iter()
        .map(|k| PAPERS_MD.find(&format!("| `{k}` |")).unwrap_or_else(|| panic!("table row {k} missing")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "table rows out of order: {at:?}");

    // The refusals the document quotes.
    assert!(PAPERS_MD.contains("第 2 行：工作任务 1 单项选择题（中）需要 5 道，题库仅有 3 道"));
    let capped = ParallelOf { paper_id: 7, item_ids: a.item_ids(), overlap_max_percent: 19 };
    let e = PaperRecord::commit(8, HashAlg::Sha256, &example_blueprint(), &example_pool(), Some(capped), &[1; 32], AT)
        .unwrap_err();
    assert!(PAPERS_MD.contains(&e.to_string()), "{e}");
}

const EXPORT_ORDER: [&str; 14] = [
    "format",
    "paper_id",
    "purpose",
    "hash_alg",
    "blueprint",
    "blueprint_hash",
    "pool",
    "pool_hash",
    "parallel_of",
    "commitment",
    "seed",
    "picks",
    "committed_at",
    "assembled_at",
];

const EXAMPLE_SHA256_POOL_HASH: &str = "945286040b02787c72bdcd9bde19578686e094a78c7c308f6ccf8c09874baecc";
const EXAMPLE_SHA256_BLUEPRINT_HASH: &str = "5ecc500952e3bf119439b144f54e037c1cb1701249e358b9c8317318ce16e16a";
const EXAMPLE_A: [i64; 5] = [201, 210, 205, 204, 208];
const EXAMPLE_B: [i64; 5] = [203, 202, 206, 204, 209];

/// The Python verifier printed in docs/PAPERS.md, run on exports of good and tampered records.
/// Skipped (with a note) where python3 is absent.
#[test]
fn e2_the_python_verifier_in_papers_md_agrees_with_the_code() {
    let script = doc_block("python", "## Verifying an export without kaohe");
    let dir = std::env::temp_dir().join(format!("kaohe-papers-py-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let script_path = dir.join("verify_paper.py");
    std::fs::write(&script_path, script).expect("write script");

    let run = |r: &PaperRecord, name: &str| -> Option<(bool, String)> {
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
        let Some((ok, out)) = run(&example_a(alg), "a.json") else {
            eprintln!("python3 not found: the Python verifier in docs/PAPERS.md was not run");
            return;
        };
        assert!(ok && out.starts_with("ok: paper 7, 5 items"), "{alg}: {out}");
        let good = example_b(alg);
        let (ok, out) = run(&good, "b.json").expect("python");
        assert!(ok && out.contains("1 shared"), "{alg}: {out}");

        // A bigger paper: 60 items over 12 rows, some rows of any difficulty after specific ones.
        let pool: Vec<PoolItem> = (0..240)
            .map(|i| {
                item(
                    1000 + i * 7,
                    1 + (i % 4) as u32,
                    1 + (i % 3) as u32,
                    ItemKind::ALL[(i / 3 % 5) as usize],
                    Difficulty::ALL[(i / 15 % 3) as usize],
                )
            })
            .collect();
        let mut rows = Vec::new();
        for task in 1..=3 {
            rows.push(row(task, "single_choice", "easy", 3, 1));
            rows.push(row(task, "single_choice", "any", 5, 1));
            rows.push(row(task, "true_false", "any", 8, 1));
            rows.push(row(task, "practical", "hard", 4, 1));
        }
        let blueprint = Blueprint::parse(&BlueprintInput { duration_minutes: 120, total_points: 60, rows }).unwrap();
        let seed = [0x5a; 32];
        let mut big = PaperRecord::commit(30, alg, &blueprint, &pool, None, &seed, AT).expect("commit");
        big.assemble(&seed, LATER).unwrap();
        big.reveal(&seed).unwrap();
        assert_eq!(verify_paper(&big), Ok(()));
        let (ok, out) = run(&big, "big.json").expect("python");
        assert!(ok, "{alg}: {out}");

        let mut pick = good.clone();
        pick.picks[1].item_ids.reverse();
        let (ok, out) = run(&pick, "pick.json").expect("python");
        assert!(!ok && out.contains("row 2"), "{alg}: {out}");

        let mut pool = good.clone();
        pool.pool[3].version = 2;
        let (ok, out) = run(&pool, "pool.json").expect("python");
        assert!(!ok && out.contains("pool_hash"), "{alg}: {out}");

        let mut bp = good.clone();
        bp.blueprint.duration_minutes = 60;
        let (ok, out) = run(&bp, "bp.json").expect("python");
        assert!(!ok && out.contains("blueprint_hash"), "{alg}: {out}");

        let mut seed_bad = good.clone();
        seed_bad.seed = Some(hex::encode([7u8; 32]));
        let (ok, out) = run(&seed_bad, "seed.json").expect("python");
        assert!(!ok && out.contains("commitment"), "{alg}: {out}");

        let mut sealed = good.clone();
        sealed.seed = None;
        let (ok, out) = run(&sealed, "sealed.json").expect("python");
        assert!(!ok && out.contains("not revealed"), "{alg}: {out}");

        let mut cap = good.clone();
        cap.parallel_of.as_mut().unwrap().overlap_max_percent = 10;
        assert!(verify_paper(&cap).is_err());
        let (ok, out) = run(&cap, "cap.json").expect("python");
        assert!(!ok && out.contains("overlap: 1 of 5"), "{alg}: {out}");

        let mut alone = good.clone();
        alone.parallel_of = None;
        let (ok, out) = run(&alone, "alone.json").expect("python");
        assert!(!ok && out.contains("row "), "{alg}: {out}");
    }
    if !sm3_available {
        eprintln!("python3 has no SM3 in hashlib: the SM3 records were not run through the Python verifier");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
