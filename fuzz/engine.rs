//! A small structured-random fuzzer for stable Rust, shared by the parser fuzz tests
//! (`checks/tests/parser_fuzz.rs`, and the proxy's HTTP head parser in `runner/src/proxy/fuzz.rs`,
//! which include this file with `#[path]`).
//!
//! Each execution feeds a parser one input: a seed from the target's corpus folder
//! (`fuzz/corpus/<target>/`, the inputs that once found bugs plus typical files) or from the
//! target's built-in seeds, changed by 1 to 8 byte-level and token-level mutations, or (one in
//! eight) a fresh input built from the target's dictionary and random bytes. Seeds are
//! deterministic (`FUZZ_SEED`, default 1), so a run repeats exactly. A panic is caught, counted,
//! and its input written to `FUZZ_CRASH_DIR` (default the system temp folder) for the corpus.
//!
//! `FUZZ_CASES` sets the executions per target (the test suite's default is small; the long
//! run in `bench/fuzz.sh` uses 1,000,000).

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Once;
use std::time::{Duration, Instant};

/// splitmix64: tiny, fast, and good enough to spread mutations.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

/// Byte strings that parsers treat specially: number edges, escapes, multi-byte UTF-8,
/// line endings. Every target gets these on top of its own dictionary.
pub const COMMON: &[&[u8]] = &[
    b"0",
    b"-1",
    b"65535",
    b"65536",
    b"4294967296",
    b"18446744073709551615",
    b"99999999999999999999999",
    b"-9223372036854775808",
    b"1e999",
    b"nan",
    b"\r\n",
    b"\n",
    b"\t",
    b" ",
    b"\0",
    b"\\",
    b"\"",
    b"'",
    b"`",
    b"=",
    b":",
    b"#",
    b"//",
    b"/*",
    b"\xef\xbb\xbf",
    b"\xc3\xa9",
    b"\xe2\x80\xae",
    b"\xf0\x9f\x98\x80",
    b"\xff",
    b"\xc3",
    b"\\377",
    b"\\0",
    b"((",
    b"))",
];

/// One parser under test.
pub struct Target<'a> {
    /// Also the corpus folder's name.
    pub name: &'a str,
    /// Built-in seeds (typical valid files); the corpus folder adds to them.
    pub seeds: Vec<Vec<u8>>,
    /// Tokens the parser looks for (keywords, separators).
    pub dict: &'a [&'a [u8]],
    /// Longest input the generator and mutator produce.
    pub max_len: usize,
}

/// What one run found.
#[derive(Debug)]
pub struct Stats {
    pub name: String,
    pub execs: u64,
    pub panics: u64,
    pub elapsed: Duration,
    /// The slowest single execution: a parser that loops shows here.
    pub slowest: Duration,
    /// Where the panicking inputs were written.
    pub crashes: Vec<PathBuf>,
    pub first_panic: Option<String>,
}

impl Stats {
    pub fn per_second(&self) -> f64 {
        self.execs as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    pub fn line(&self) -> String {
        format!(
            "{:<14} {:>10} execs {:>4} panics {:>8.1} s {:>10.0} execs/s  slowest {:.1} ms",
            self.name,
            self.execs,
            self.panics,
            self.elapsed.as_secs_f64(),
            self.per_second(),
            self.slowest.as_secs_f64() * 1e3,
        )
    }
}

/// CPU time the calling thread has used: unlike wall time, other processes' load on a
/// shared machine does not count.
pub fn thread_cpu() -> Duration {
    let mut ts = nix::libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec it is given.
    unsafe { nix::libc::clock_gettime(nix::libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// How `exec`'s work grows along an input family (`make(n)`: n lines, calls, nesting
/// levels...): its CPU time on `make(10 * n)` over that on `make(n)`, each the least of 3
/// runs. Linear work gives about 10, quadratic about 100: a bound between the two catches a
/// quadratic step without timing anything against the clock of a busy machine.
pub fn growth(make: impl Fn(usize) -> Vec<u8>, n: usize, exec: impl Fn(&[u8])) -> f64 {
    let least = |input: &[u8]| {
        (0..3)
            .map(|_| {
                let t = thread_cpu();
                exec(input);
                thread_cpu().saturating_sub(t)
            })
            .min()
            .unwrap_or_default()
    };
    let (small, large) = (least(&make(n)), least(&make(10 * n)));
    large.as_secs_f64() / small.as_secs_f64().max(1e-6)
}

/// Executions per target: `FUZZ_CASES`, else `default`.
pub fn cases(default: u64) -> u64 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Keep caught panics off stderr while fuzzing (a test's own panics still print).
fn quiet_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                default(info);
            }
        }));
    });
}

/// The corpus folder of `name`: `<repo>/fuzz/corpus/<name>`.
pub fn corpus_dir(repo: &Path, name: &str) -> PathBuf {
    repo.join("fuzz").join("corpus").join(name)
}

fn load_corpus(dir: &Path) -> Vec<Vec<u8>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files.iter().filter_map(|f| std::fs::read(f).ok()).collect()
}

pub fn mutate(rng: &mut Rng, input: &mut Vec<u8>, seeds: &[Vec<u8>], dict: &[&[u8]], max: usize) {
    let token = |rng: &mut Rng| -> Vec<u8> {
        if rng.chance(3) {
            COMMON[rng.below(COMMON.len())].to_vec()
        } else if dict.is_empty() {
            vec![rng.next() as u8]
        } else {
            dict[rng.below(dict.len())].to_vec()
        }
    };
    for _ in 0..1 + rng.below(8) {
        let len = input.len();
        let at = rng.below(len + 1);
        match rng.below(11) {
            0 if len > 0 => input[rng.below(len)] ^= 1 << rng.below(8),
            1 if len > 0 => input[rng.below(len)] = rng.next() as u8,
            2 => input.insert(at, rng.next() as u8),
            3 if len > 0 => {
                let end = (at + 1 + rng.below(16)).min(len);
                input.drain(at.min(end)..end);
            }
            4 if len > 0 => {
                // Copy a run elsewhere (repeats nesting, lines, sections).
                let from = rng.below(len);
                let end = (from + 1 + rng.below(64)).min(len);
                let run = input[from..end].to_vec();
                let to = rng.below(input.len() + 1);
                input.splice(to..to, run);
            }
            5 | 6 => {
                let t = token(rng);
                input.splice(at..at, t);
            }
            7 if len > 0 => {
                // Overwrite a run with a token.
                let t = token(rng);
                let end = (at + t.len()).min(len);
                input.splice(at.min(end)..end, t);
            }
            8 if !seeds.is_empty() => {
                // Splice in part of another seed.
                let other = &seeds[rng.below(seeds.len())];
                if !other.is_empty() {
                    let from = rng.below(other.len());
                    let end = (from + 1 + rng.below(128)).min(other.len());
                    input.splice(at..at, other[from..end].iter().copied());
                }
            }
            9 => {
                // One token many times: nesting depth, long lines, many keys.
                let t = token(rng);
                let times = 1 + rng.below(max / t.len().max(1) + 1);
                let run: Vec<u8> = t.iter().copied().cycle().take(t.len() * times).collect();
                input.splice(at..at, run);
            }
            _ if len > 0 => input.truncate(rng.below(len)),
            _ => input.push(rng.next() as u8),
        }
    }
    input.truncate(max);
}

fn generate(rng: &mut Rng, dict: &[&[u8]], max: usize) -> Vec<u8> {
    let mut out = vec![];
    let want = rng.below(max.min(512) + 1);
    while out.len() < want {
        match rng.below(4) {
            0 => out.push(rng.next() as u8),
            1 => out.push(b" \n=:\"[]()-.,/0123456789abcxyz"[rng.below(29)]),
            2 => out.extend_from_slice(COMMON[rng.below(COMMON.len())]),
            _ if !dict.is_empty() => out.extend_from_slice(dict[rng.below(dict.len())]),
            _ => out.push(rng.next() as u8),
        }
    }
    out.truncate(max);
    out
}

/// Run `exec` on `cases` inputs for `target`: first every seed as it is, then mutants and
/// generated inputs.
pub fn run(repo: &Path, target: Target, cases: u64, exec: impl Fn(&[u8])) -> Stats {
    quiet_panics();
    let seed: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let crash_dir = std::env::var_os("FUZZ_CRASH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    // Each target its own stream, so adding one does not change the others' inputs.
    let name_hash = target.name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let mut rng = Rng::new(seed ^ name_hash);
    let mut seeds = target.seeds;
    seeds.extend(load_corpus(&corpus_dir(repo, target.name)));
    let mut stats = Stats {
        name: target.name.to_string(),
        execs: 0,
        panics: 0,
        elapsed: Duration::ZERO,
        slowest: Duration::ZERO,
        crashes: vec![],
        first_panic: None,
    };
    let start = Instant::now();
    let mut input = Vec::new();
    for i in 0..cases {
        input.clear();
        if (i as usize) < seeds.len() {
            input.extend_from_slice(&seeds[i as usize]);
        } else if rng.chance(8) || seeds.is_empty() {
            input = generate(&mut rng, target.dict, target.max_len);
        } else {
            input.extend_from_slice(&seeds[rng.below(seeds.len())]);
            mutate(&mut rng, &mut input, &seeds, target.dict, target.max_len);
        }
        let t = Instant::now();
        QUIET.with(|q| q.set(true));
        let result = panic::catch_unwind(AssertUnwindSafe(|| exec(&input)));
        QUIET.with(|q| q.set(false));
        stats.slowest = stats.slowest.max(t.elapsed());
        stats.execs += 1;
        if let Err(payload) = result {
            stats.panics += 1;
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            if stats.first_panic.is_none() {
                stats.first_panic = Some(format!(
                    "{message} on input {:?}",
                    String::from_utf8_lossy(&input)
                ));
            }
            if stats.crashes.len() < 20 {
                let file = crash_dir.join(format!("crash-{}-{i}", target.name));
                if std::fs::write(&file, &input).is_ok() {
                    stats.crashes.push(file);
                }
            }
        }
    }
    stats.elapsed = start.elapsed();
    stats
}
