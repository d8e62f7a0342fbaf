//! No secret survives anywhere in the process after use (Linux only).
//!
//! Its own test binary (`harness = false` in `Cargo.toml`), so the only
//! thread is `main` and nothing else runs in the process. It enrolls a
//! synthetic capture (`sealmatch-synth`), verifies another impression with
//! the passenger key, seals a second bag with the same key, runs
//! `check_token` and `inspect_token`, and drops everything. Then it reads
//! `/proc/self/maps` and scans every readable, writable, private mapping
//! (the heap, anonymous mappings, the binary's and libraries' data, and the
//! whole stack mapping, old frames below the stack pointer included) for any
//! 8-byte window of
//!
//! - the 32 raw key bytes,
//! - the 53-character `smk1_` key string,
//! - the encoded template (`template::codec`, the token's plaintext): every
//!   window of the minutiae bytes with at least 4 non-zero bytes.
//!
//! The needles are never in memory in clear while the scan runs: each is
//! stored XOR-masked with a random 8-byte mask and memory is compared as
//! `word ^ mask == stored`; the needle table itself is excluded. To know the
//! template bytes the test opens the token with `aes-gcm` and the raw key,
//! as any JOSE library would; those copies are wiped (heap with `Zeroizing`,
//! the test's own stack by overwriting it) before the library's later calls.
//! The library runs in a deep stack frame so the scanner's own frames do not
//! overwrite what the library left behind.
//!
//! Controls in the same run show the scan finds what is there: a
//! non-zeroized heap copy of the key string and of one in-memory minutia,
//! and the raw key left in a dead stack frame, are each found at their
//! address.

#[cfg(not(target_os = "linux"))]
fn main() {
    println!("leak_memory_scan: skipped (reads /proc/self/maps; Linux only)");
}

#[cfg(target_os = "linux")]
fn main() {
    // `cargo test -- --list` (and tools built on it) lists, never runs.
    if std::env::args().any(|a| a == "--list") {
        println!("leak_memory_scan: test");
        return;
    }
    linux::run();
}

#[cfg(target_os = "linux")]
mod linux {
    use std::hint::black_box;

    use aes_gcm::aead::{AeadInOut, KeyInit};
    use aes_gcm::Aes256Gcm;
    use sealmatch::template::{codec, Minutia};
    use sealmatch::token::base64url;
    use sealmatch::{
        check_token, enroll, inspect_token, verify, Capture, EnrollOptions, VerifyOptions,
    };
    use sealmatch_synth::{Finger, FingerConfig, Variation};
    use zeroize::{Zeroize, Zeroizing};

    const NOW: u64 = 1_767_225_600;
    /// Stack the library's calls run below, so the scanner (and the test's
    /// own work) stays clear of what the library left in dead frames.
    const LIBRARY_DEPTH: usize = 512 * 1024;
    /// Stack the test wipes after handling secrets itself (less than
    /// `LIBRARY_DEPTH`, so it never reaches the library's dead frames).
    const TEST_WIPE: usize = 256 * 1024;

    /// What a needle is an 8-byte window of.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum Secret {
        RawKey,
        KeyString,
        Template,
        /// A `template::Minutia` as laid out in memory (its defined bytes).
        Minutia,
        /// A minutia's `x` and `y` as two adjacent 8-aligned `usize` words.
        Coordinates,
    }

    /// Masked 8-byte windows of the secrets, sorted, with a 16-bit prefilter.
    struct Needles {
        mask: u64,
        /// `(window ^ mask, what, offset in the secret)`, sorted.
        table: Vec<(u64, Secret, u16)>,
        /// Bit `(window ^ mask) & 0xffff`, for each window.
        filter: Vec<u64>,
        /// Needles that compare only the bytes `care` selects (the fields of
        /// an in-memory minutia, not its padding): `((window ^ mask) & care,
        /// what, index)`, sorted.
        partial: Vec<(u64, Secret, u16)>,
        care: u64,
        /// `(x ^ mask, y ^ mask, index)` of each minutia, sorted: its
        /// coordinates as the extractor's candidate lists hold them (two
        /// `usize` fields, declared next to each other).
        pairs: Vec<(u64, u64, u16)>,
    }

    impl Needles {
        fn new() -> Needles {
            let mut m = [0u8; 8];
            getrandom::fill(&mut m).expect("random mask");
            for b in &mut m {
                *b |= 1; // every byte masked
            }
            Needles {
                mask: u64::from_le_bytes(m),
                table: Vec::with_capacity(4096),
                filter: vec![0; 1024],
                partial: Vec::with_capacity(512),
                care: 0,
                pairs: Vec::with_capacity(512),
            }
        }

        fn mask_byte(&self, i: usize) -> u8 {
            (self.mask >> (8 * (i % 8))) as u8
        }

        /// Adds every window of `secret` (with at least `min_nonzero` non-zero
        /// bytes); each byte is masked before it joins a word, so no 8 clear
        /// bytes are ever assembled.
        fn add(&mut self, what: Secret, secret: &[u8], min_nonzero: usize) {
            for start in 0..secret.len().saturating_sub(7) {
                let mut stored = 0u64;
                let mut nonzero = 0;
                for i in 0..8 {
                    let b = secret[start + i];
                    nonzero += usize::from(b != 0);
                    stored |= u64::from(b ^ self.mask_byte(i)) << (8 * i);
                }
                if nonzero >= min_nonzero {
                    self.table.push((stored, what, start as u16));
                }
            }
        }

        /// Adds each minutia as `Vec<Minutia>` holds it in memory: the
        /// bytes of `x`, `y`, `direction`, `kind` and `quality` at their
        /// offsets; padding is not compared.
        fn add_minutiae(&mut self, minutiae: &[Minutia]) {
            use std::mem::{offset_of, size_of};
            assert_eq!(size_of::<Minutia>(), 8, "a minutia fills one window");
            let fields = [
                (offset_of!(Minutia, x), 2),
                (offset_of!(Minutia, y), 2),
                (offset_of!(Minutia, direction), 1),
                (offset_of!(Minutia, kind), 1),
                (offset_of!(Minutia, quality), 1),
            ];
            self.care = 0;
            for (at, len) in fields {
                for i in at..at + len {
                    self.care |= 0xff << (8 * i);
                }
            }
            for (index, m) in minutiae.iter().enumerate() {
                let mut bytes = [0u8; 8];
                bytes[offset_of!(Minutia, x)..][..2].copy_from_slice(&m.x.to_le_bytes());
                bytes[offset_of!(Minutia, y)..][..2].copy_from_slice(&m.y.to_le_bytes());
                bytes[offset_of!(Minutia, direction)] = m.direction;
                bytes[offset_of!(Minutia, kind)] = m.kind as u8;
                bytes[offset_of!(Minutia, quality)] = m.quality;
                let mut stored = 0u64;
                let mut nonzero = 0;
                for (i, b) in bytes.iter().enumerate() {
                    nonzero += usize::from(*b != 0);
                    stored |= u64::from(b ^ self.mask_byte(i)) << (8 * i);
                }
                bytes.zeroize();
                self.pairs.push((
                    u64::from(m.x) ^ self.mask,
                    u64::from(m.y) ^ self.mask,
                    index as u16,
                ));
                if nonzero >= 4 {
                    self.partial
                        .push((stored & self.care, Secret::Minutia, index as u16));
                }
            }
        }

        fn finish(&mut self) {
            self.pairs.sort_unstable();
            self.pairs.dedup_by_key(|p| (p.0, p.1));
            self.partial.sort_unstable_by_key(|n| n.0);
            self.partial.dedup_by_key(|n| n.0);
            self.table.sort_unstable_by_key(|n| n.0);
            self.table.dedup_by_key(|n| n.0);
            for &(stored, _, _) in &self.table {
                let bit = (stored & 0xffff) as usize;
                self.filter[bit / 64] |= 1 << (bit % 64);
            }
        }

        fn count(&self, what: Secret) -> usize {
            if what == Secret::Coordinates {
                return self.pairs.len();
            }
            self.table
                .iter()
                .chain(&self.partial)
                .filter(|n| n.1 == what)
                .count()
        }

        #[inline(always)]
        fn lookup(&self, window: u64) -> Option<(Secret, u16)> {
            let masked = window ^ self.mask;
            let bit = (masked & 0xffff) as usize;
            if self.filter[bit / 64] & (1 << (bit % 64)) != 0 {
                if let Ok(i) = self.table.binary_search_by_key(&masked, |n| n.0) {
                    return Some((self.table[i].1, self.table[i].2));
                }
            }
            self.partial
                .binary_search_by_key(&(masked & self.care), |n| n.0)
                .ok()
                .map(|i| (self.partial[i].1, self.partial[i].2))
        }

        /// The minutia whose coordinates are the words `w0`, `w1`.
        #[inline(always)]
        fn lookup_pair(&self, w0: u64, w1: u64) -> Option<u16> {
            if w0 >= 1 << 16 || w1 >= 1 << 16 {
                return None;
            }
            let key = (w0 ^ self.mask, w1 ^ self.mask);
            self.pairs
                .binary_search_by_key(&key, |p| (p.0, p.1))
                .ok()
                .map(|i| self.pairs[i].2)
        }

        /// Memory that holds the needles (excluded from the scan).
        fn own_ranges(&self) -> [(usize, usize); 4] {
            let q = self.pairs.as_ptr() as usize;
            let t = self.table.as_ptr() as usize;
            let f = self.filter.as_ptr() as usize;
            let p = self.partial.as_ptr() as usize;
            [
                (q, q + self.pairs.capacity() * 24),
                (
                    p,
                    p + self.partial.capacity() * std::mem::size_of::<(u64, Secret, u16)>(),
                ),
                (
                    t,
                    t + self.table.capacity() * std::mem::size_of::<(u64, Secret, u16)>(),
                ),
                (f, f + self.filter.capacity() * 8),
            ]
        }
    }

    /// A mapping of `/proc/self/maps`.
    struct Mapping {
        start: usize,
        end: usize,
        name: String,
    }

    /// One place a secret window was found.
    #[derive(Clone, Copy, Debug)]
    struct Hit {
        addr: usize,
        what: Secret,
        offset: u16,
    }

    /// Readable, writable, private mappings.
    fn writable_mappings() -> Vec<Mapping> {
        let maps = std::fs::read_to_string("/proc/self/maps").expect("read /proc/self/maps");
        let mut out = Vec::new();
        for line in maps.lines() {
            let mut parts = line.split_whitespace();
            let (Some(range), Some(perms)) = (parts.next(), parts.next()) else {
                continue;
            };
            if !perms.starts_with("rw") || !perms.ends_with('p') {
                continue;
            }
            let name = parts.nth(3).unwrap_or("[anonymous]").to_owned();
            let (a, b) = range.split_once('-').expect("range");
            out.push(Mapping {
                start: usize::from_str_radix(a, 16).expect("start"),
                end: usize::from_str_radix(b, 16).expect("end"),
                name,
            });
        }
        out
    }

    /// Scans `[start, end)` (8-aligned) for needles, skipping `exclude`;
    /// reads memory in place (volatile, no copies), allocates nothing.
    fn scan_range(
        start: usize,
        end: usize,
        needles: &Needles,
        exclude: &[(usize, usize)],
        hits: &mut Vec<Hit>,
    ) {
        let read = |addr: usize| -> u64 {
            if addr + 8 <= end {
                // SAFETY: inside a readable mapping that nothing unmaps
                // during the scan (no allocation, no other thread).
                unsafe { std::ptr::read_volatile(addr as *const u64) }
            } else {
                0
            }
        };
        let mut addr = start;
        let mut w1 = read(addr);
        while addr < end {
            let w0 = w1;
            w1 = read(addr + 8);
            if let Some(index) = needles.lookup_pair(w0, w1) {
                let excluded = exclude.iter().any(|&(a, b)| addr + 16 > a && addr < b);
                if !excluded && addr + 16 <= end && hits.len() < hits.capacity() {
                    hits.push(Hit {
                        addr,
                        what: Secret::Coordinates,
                        offset: index,
                    });
                }
            }
            for k in 0..8 {
                if addr + k + 8 > end {
                    break;
                }
                let window = if k == 0 {
                    w0
                } else {
                    (w0 >> (8 * k)) | (w1 << (64 - 8 * k))
                };
                if let Some((what, offset)) = needles.lookup(window) {
                    let at = addr + k;
                    let excluded = exclude.iter().any(|&(a, b)| at + 8 > a && at < b);
                    if !excluded && hits.len() < hits.capacity() {
                        hits.push(Hit {
                            addr: at,
                            what,
                            offset,
                        });
                    }
                }
            }
            addr += 8;
        }
    }

    /// Scans every writable private mapping; returns the hits and the bytes
    /// scanned.
    fn scan(
        needles: &Needles,
        extra_exclude: &[(usize, usize)],
    ) -> (Vec<Hit>, usize, Vec<Mapping>) {
        let maps = writable_mappings();
        let mut hits: Vec<Hit> = Vec::with_capacity(1024);
        let mut exclude = Vec::with_capacity(8);
        exclude.extend_from_slice(&needles.own_ranges());
        exclude.extend_from_slice(extra_exclude);
        let hits_at = hits.as_ptr() as usize;
        exclude.push((
            hits_at,
            hits_at + hits.capacity() * std::mem::size_of::<Hit>(),
        ));
        let mut bytes = 0;
        for m in &maps {
            scan_range(m.start, m.end, needles, &exclude, &mut hits);
            bytes += m.end - m.start;
        }
        (hits, bytes, maps)
    }

    fn describe(hits: &[Hit], maps: &[Mapping]) -> String {
        let sp = approximate_sp();
        let mut out = String::new();
        for h in hits {
            let name = maps
                .iter()
                .find(|m| (m.start..m.end).contains(&h.addr))
                .map_or("?", |m| m.name.as_str());
            let below_sp = if name == "[stack]" && h.addr < sp {
                format!(" ({} bytes below sp)", sp - h.addr)
            } else {
                String::new()
            };
            out.push_str(&format!(
                "  {:#x} {name}{below_sp}: {:?} bytes {}..{}\n",
                h.addr,
                h.what,
                h.offset,
                h.offset + 8
            ));
        }
        out
    }

    #[inline(never)]
    fn approximate_sp() -> usize {
        let x = 0u8;
        black_box(&x) as *const u8 as usize
    }

    /// Runs `f` with `LIBRARY_DEPTH` bytes of stack above it.
    #[inline(never)]
    fn deep<R>(f: impl FnOnce() -> R) -> R {
        let mut pad = [0u8; LIBRARY_DEPTH];
        black_box(&mut pad);
        let r = f();
        black_box(&pad);
        r
    }

    /// Overwrites `TEST_WIPE` bytes of stack below the caller.
    #[inline(never)]
    fn wipe_test_stack() {
        let mut pad = [0xa5u8; TEST_WIPE];
        pad.zeroize();
        black_box(&pad);
    }

    fn capture(finger: &Finger, impression: u64) -> Capture {
        let img = finger.impression(impression, &Variation::gentle());
        Capture::from_gray(img.width as u32, img.height as u32, &img.pixels, 500).unwrap()
    }

    /// Masked needles of the key string, the raw key and the encoded
    /// template, read from the enrollment result (the token opened with
    /// `aes-gcm` as any JOSE library would). Every clear copy made here is
    /// wiped on return; the caller wipes the stack below.
    #[inline(never)]
    fn needles_of(token: &str, key_string: &str) -> Needles {
        let mut needles = Needles::new();
        needles.add(Secret::KeyString, key_string.as_bytes(), 0);
        let mut raw = Zeroizing::new(Vec::with_capacity(40));
        base64url::decode_into(&key_string[5..], &mut raw).expect("key body");
        needles.add(Secret::RawKey, &raw[..32], 0);

        let parts: Vec<&str> = token.split('.').collect();
        let iv = base64url::decode(parts[2]).unwrap();
        let tag = base64url::decode(parts[4]).unwrap();
        let mut content = Zeroizing::new(base64url::decode(parts[3]).unwrap());
        {
            let cipher = Aes256Gcm::new(raw[..32].try_into().unwrap());
            cipher
                .decrypt_inout_detached(
                    iv.as_slice().try_into().unwrap(),
                    parts[0].as_bytes(),
                    content.as_mut_slice().into(),
                    tag.as_slice().try_into().unwrap(),
                )
                .expect("the token opens with its key");
        }
        // One impression: the preamble, 7 bytes of size and count, then
        // `count` minutiae of 6 bytes.
        let p = codec::PREAMBLE_LEN;
        let count = usize::from(content[p + 6]);
        let minutiae = &content[p..p + 7 + count * codec::MINUTIA_LEN];
        needles.add(Secret::Template, minutiae, 4);
        let templates = codec::decode_enrollment(&content).expect("content decodes");
        needles.add_minutiae(&templates[0].minutiae);
        drop(templates); // zeroized (`Template` is `ZeroizeOnDrop`)
        needles.finish();
        needles
    }

    /// The raw key, unmasked, left in a dead stack frame (the stack control).
    #[inline(never)]
    fn leave_raw_key_on_stack(needles: &Needles, raw_masked: &[u8; 32]) -> usize {
        let mut copy = [0u8; 32];
        for (i, (c, m)) in copy.iter_mut().zip(raw_masked).enumerate() {
            *c = m ^ needles.mask_byte(i);
        }
        black_box(&mut copy);
        copy.as_ptr() as usize
    }

    pub fn run() {
        let started = std::time::Instant::now();
        let finger = Finger::new(4242, &FingerConfig::default());
        let mut opts = EnrollOptions::new("0117123456", "SK1415");
        opts.now = Some(NOW);

        // Enroll, and read the needles off the result.
        let (enrol_cap, first) = deep(|| {
            let cap = capture(&finger, 0);
            assert!(cap.is_usable(), "synthetic capture usable");
            let first = enroll(&[&cap], &opts).unwrap();
            (cap, first)
        });
        let needles = needles_of(&first.token, &first.passenger_key);
        wipe_test_stack();
        // The raw key, masked, for the stack control later.
        let mut raw_masked = [0u8; 32];
        {
            let mut raw = Zeroizing::new(Vec::with_capacity(40));
            base64url::decode_into(&first.passenger_key[5..], &mut raw).unwrap();
            for (i, (d, r)) in raw_masked.iter_mut().zip(raw.iter()).enumerate() {
                *d = r ^ needles.mask_byte(i);
            }
        }
        wipe_test_stack();

        // Verify, a second bag with the same key, check and inspect.
        deep(|| {
            let probe = capture(&finger, 1);
            let mut v = VerifyOptions::new("0117123456");
            v.now = Some(NOW + 60);
            let r = verify(&probe, &first.token, &first.passenger_key, &v).unwrap();
            assert!(r.matched, "genuine impression matches: {r:?}");

            let mut opts2 = EnrollOptions::new("0117123457", "SK1415");
            opts2.now = Some(NOW);
            opts2.passenger_key = Some(String::from(first.passenger_key.as_str()));
            let second = enroll(&[&enrol_cap], &opts2).unwrap();
            assert_eq!(first.passenger_key, second.passenger_key);
            let mut v2 = VerifyOptions::new("0117123457");
            v2.now = Some(NOW + 60);
            v2.flight = Some("SK1415".into());
            let header = check_token(&second.token, &second.passenger_key, &v2).unwrap();
            assert_eq!(inspect_token(&second.token).unwrap(), header);
        });
        // Control: while the capture and the key string are alive, the scan
        // finds every minutia of the template and the whole key string
        // where the library holds them (so the needles match the library's
        // real forms in memory).
        {
            let (live, _, maps) = scan(&needles, &[]);
            let found = |what: Secret| {
                let mut offsets: Vec<u16> = live
                    .iter()
                    .filter(|h| h.what == what)
                    .map(|h| h.offset)
                    .collect();
                offsets.sort_unstable();
                offsets.dedup();
                offsets.len()
            };
            assert!(
                found(Secret::Minutia) == needles.count(Secret::Minutia)
                    && found(Secret::KeyString) == needles.count(Secret::KeyString),
                "live secrets not all found (minutiae {}, key string {}):\n{}",
                found(Secret::Minutia),
                found(Secret::KeyString),
                describe(&live, &maps)
            );
        }
        drop(first);
        drop(enrol_cap);
        drop(opts);

        // The scan.
        let (hits, bytes, maps) = scan(&needles, &[]);
        let took = started.elapsed();
        println!(
            "leak_memory_scan: {} needles (raw key {}, key string {}, encoded template {}, \
             minutiae in memory {}, coordinate pairs {}), {} mappings, {} KiB scanned, {:?} in all",
            needles.table.len() + needles.partial.len() + needles.pairs.len(),
            needles.count(Secret::RawKey),
            needles.count(Secret::KeyString),
            needles.count(Secret::Template),
            needles.count(Secret::Minutia),
            needles.count(Secret::Coordinates),
            maps.len(),
            bytes / 1024,
            took
        );
        assert!(
            needles.count(Secret::Template) >= 4
                && needles.count(Secret::Minutia) >= 4
                && needles.count(Secret::RawKey) == 25,
            "needles were made"
        );
        assert!(
            maps.iter().any(|m| m.name == "[stack]"),
            "the stack is scanned"
        );
        assert!(
            hits.is_empty(),
            "{} secret windows survive after everything was dropped:\n{}",
            hits.len(),
            describe(&hits, &maps)
        );

        // Controls: a clear copy of the key string, one minutia and one
        // coordinate pair on the heap, never zeroized, and the raw key in a
        // dead stack frame, are found.
        let plant: &'static mut [u8] = Box::leak(vec![0u8; 53].into_boxed_slice());
        let plant_at = plant.as_ptr() as usize;
        let heap_ok;
        let stack_ok;
        {
            // The key string is the needle table's windows: unmask them
            // back into the planted copy.
            for &(stored, what, offset) in &needles.table {
                if what == Secret::KeyString {
                    for i in 0..8 {
                        plant[usize::from(offset) + i] =
                            (stored >> (8 * i)) as u8 ^ needles.mask_byte(i);
                    }
                }
            }
            // One minutia as a `Vec<Minutia>` would hold it, not wiped.
            let minutia: &'static mut [u8; 8] = Box::leak(Box::new([0u8; 8]));
            let (stored, _, _) = needles.partial[needles.partial.len() / 2];
            for (i, b) in minutia.iter_mut().enumerate() {
                *b = (stored >> (8 * i)) as u8
                    ^ (needles.mask_byte(i) & (needles.care >> (8 * i)) as u8);
            }
            let minutia_at = minutia.as_ptr() as usize;
            // The coordinates of one minutia as two adjacent words.
            let (x, y, _) = needles.pairs[needles.pairs.len() / 3];
            let pair: &'static mut [u64; 2] = Box::leak(Box::new([0; 2]));
            pair[0] = x ^ needles.mask;
            pair[1] = y ^ needles.mask;
            let pair_at = pair.as_ptr() as usize;
            let stack_at = deep(|| leave_raw_key_on_stack(&needles, &raw_masked));
            let (hits, _, maps) = scan(&needles, &[]);
            heap_ok = (0..=45).all(|o| hits.iter().any(|h| h.addr == plant_at + o))
                && hits
                    .iter()
                    .any(|h| h.addr == minutia_at && h.what == Secret::Minutia)
                && hits
                    .iter()
                    .any(|h| h.addr == pair_at && h.what == Secret::Coordinates);
            pair.zeroize();
            minutia.zeroize();
            stack_ok = (0..=24).all(|o| hits.iter().any(|h| h.addr == stack_at + o));
            plant.zeroize();
            assert!(
                heap_ok && stack_ok,
                "controls not found (heap {heap_ok}, stack {stack_ok}); hits:\n{}",
                describe(&hits, &maps)
            );
        }
        raw_masked.zeroize();
        println!("leak_memory_scan: ok (controls found on the heap and the stack)");
    }
}
