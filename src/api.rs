//! The Rust form of the public API: [`enroll`], [`verify`], [`inspect_token`]
//! (and [`check_token`], verify without the capture). `wasm/` converts these
//! for JavaScript and adds nothing.
//!
//! [`enroll`] and [`verify`] take fingerprint captures; [`enroll_any`] and
//! [`verify_any`] take captures of either modality (anything [`Biometric`]:
//! a fingerprint [`Capture`] or a face), and `enroll`/`verify` are those
//! restricted to fingerprints. A token's modality is sealed inside its
//! content: it has the same header and the same length either way.
//!
//! `verify` checks in this order (`docs/api.md`): arguments (`INVALID_ARGUMENT`)
//! → capture quality (`LOW_QUALITY`) → token structure (`TOKEN_MALFORMED`,
//! `TOKEN_UNSUPPORTED`) → key (`KEY_MALFORMED`) → bag and flight
//! (`WRONG_BAG`) → expiry (`TOKEN_EXPIRED`) → decryption (`TOKEN_REJECTED`)
//! → content (`TOKEN_UNSUPPORTED`, `TOKEN_MALFORMED`) → modality
//! (`MODALITY_MISMATCH`). `enroll` checks arguments (`INVALID_ARGUMENT`, then
//! `KEY_MALFORMED` for a passed-in key) → capture quality (`LOW_QUALITY`).

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::capture::Capture;
use crate::error::{err, ErrorCode, Result};
use crate::matcher::{
    DEFAULT_THRESHOLD, FACE_DEFAULT_THRESHOLD, FACE_MAX_THRESHOLD, FACE_MIN_THRESHOLD,
    MAX_THRESHOLD, MIN_THRESHOLD,
};
use crate::template::codec::{self, Enrollment};
use crate::template::{Modality, MAX_IMPRESSIONS};
use crate::token::{self, PassengerKey, TokenHeader, MAX_TIME, MAX_TTL_SECONDS};

pub(crate) mod biometric;

pub use biometric::Biometric;
use biometric::{Sealing, TemplateRef};

/// Token life when `ttl_seconds` is not given: one hour.
pub const DEFAULT_TTL_SECONDS: u64 = 3600;

/// Options of [`enroll`]. The passenger key string, when given, is zeroized
/// when the options are dropped (so build them with [`EnrollOptions::new`] and
/// set fields; `..Default::default()` is not available on a type with `Drop`).
///
/// ```
/// use sealmatch::EnrollOptions;
/// let opts = EnrollOptions::new("0117123456", "SK1415");
/// assert_eq!(opts.ttl_seconds, None); // one hour
/// ```
#[derive(Clone, Default, Zeroize, ZeroizeOnDrop)]
pub struct EnrollOptions {
    /// 1–20 characters of A–Z, a–z, 0–9.
    pub bag_tag: String,
    /// 2–8 characters of A–Z, 0–9.
    pub flight: String,
    /// Token life, 1..=86400 seconds; `None` is [`DEFAULT_TTL_SECONDS`].
    pub ttl_seconds: Option<u64>,
    /// An `smk1_` key from an earlier `enroll` of the same passenger (another
    /// bag, another flight segment); `None` makes a fresh random key.
    pub passenger_key: Option<String>,
    /// Unix seconds to use as the issue time; `None` is the clock.
    pub now: Option<u64>,
}

impl EnrollOptions {
    /// Options with a bag tag and flight, everything else default.
    pub fn new(bag_tag: &str, flight: &str) -> EnrollOptions {
        EnrollOptions {
            bag_tag: bag_tag.to_owned(),
            flight: flight.to_owned(),
            ttl_seconds: None,
            passenger_key: None,
            now: None,
        }
    }
}

impl fmt::Debug for EnrollOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnrollOptions")
            .field("bag_tag", &self.bag_tag)
            .field("flight", &self.flight)
            .field("ttl_seconds", &self.ttl_seconds)
            .field("passenger_key", &self.passenger_key.as_ref().map(|_| ".."))
            .field("now", &self.now)
            .finish()
    }
}

/// What [`enroll`] returns: the token for the server, the key for the passenger.
pub struct Enrolled {
    /// The sealed token (JWE compact); goes to the server with the bag tag.
    pub token: String,
    /// The `smk1_` passenger key; goes only to the passenger. Zeroized on drop.
    pub passenger_key: Zeroizing<String>,
}

impl fmt::Debug for Enrolled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Enrolled")
            .field("token", &self.token)
            .field("passenger_key", &"..")
            .finish()
    }
}

/// Options of [`verify`] and [`check_token`].
///
/// ```
/// use sealmatch::VerifyOptions;
/// let opts = VerifyOptions::new("0117123456");
/// assert!(opts.flight.is_none() && opts.threshold.is_none());
/// ```
#[derive(Clone, Debug, Default)]
pub struct VerifyOptions {
    /// The bag tag the token must be bound to.
    pub bag_tag: String,
    /// When given, the flight the token must be bound to.
    pub flight: Option<String>,
    /// Decision threshold; `None` is the default of the capture's modality,
    /// [`DEFAULT_THRESHOLD`] (fingerprint) or [`FACE_DEFAULT_THRESHOLD`]
    /// (face). Must be in that modality's range, [`MIN_THRESHOLD`]`..=`
    /// [`MAX_THRESHOLD`] (0.03..=1) or [`FACE_MIN_THRESHOLD`]`..=`
    /// [`FACE_MAX_THRESHOLD`]: lower would let more than about 1 % of
    /// impostors match, higher nobody.
    pub threshold: Option<f32>,
    /// Unix seconds to check the expiry against; `None` is the clock.
    pub now: Option<u64>,
}

impl VerifyOptions {
    /// Options with a bag tag, everything else default.
    pub fn new(bag_tag: &str) -> VerifyOptions {
        VerifyOptions {
            bag_tag: bag_tag.to_owned(),
            ..VerifyOptions::default()
        }
    }
}

/// What [`verify`] returns.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Verification {
    /// `score >= threshold`.
    pub matched: bool,
    /// The matcher's score, 0..=1, higher is more alike: on the scale of
    /// [`crate::matcher::score`] (fingerprint) or
    /// [`crate::matcher::face_score`] (face).
    pub score: f32,
    /// The threshold used.
    pub threshold: f32,
}

fn invalid<T>(message: &str) -> Result<T> {
    err(ErrorCode::InvalidArgument, message)
}

fn check_bag_tag(bag_tag: &str) -> Result<()> {
    if token::is_valid_bag_tag(bag_tag) {
        Ok(())
    } else {
        invalid("bagTag must be 1-20 characters of A-Z, a-z, 0-9")
    }
}

fn check_flight(flight: &str) -> Result<()> {
    if token::is_valid_flight(flight) {
        Ok(())
    } else {
        invalid("flight must be 2-8 characters of A-Z, 0-9")
    }
}

/// Seals 1–3 captures of one finger into a token bound to a bag and flight.
///
/// Errors: `INVALID_ARGUMENT` (0 or more than 3 captures, bag tag, flight,
/// `ttl_seconds` outside 1..=86400, `now + ttl` beyond 2^53), `KEY_MALFORMED`
/// (a passed-in key), `LOW_QUALITY` (a capture that is not
/// [`Capture::is_usable`]).
///
/// ```no_run
/// use sealmatch::{enroll, Capture, EnrollOptions};
/// # let (w, h, pixels) = (300, 300, vec![255u8; 90_000]);
/// let cap = Capture::from_gray(w, h, &pixels, 500)?;
/// let first = enroll(&[&cap], &EnrollOptions::new("0117123456", "SK1415"))?;
/// let mut opts = EnrollOptions::new("0117123457", "SK1415");
/// opts.passenger_key = Some(first.passenger_key.to_string()); // same key, second bag
/// let second = enroll(&[&cap], &opts)?;
/// assert_eq!(first.passenger_key, second.passenger_key);
/// # Ok::<(), sealmatch::Error>(())
/// ```
pub fn enroll(captures: &[&Capture], opts: &EnrollOptions) -> Result<Enrolled> {
    let captures: Vec<&dyn Biometric> = captures.iter().map(|&c| c as &dyn Biometric).collect();
    enroll_any(&captures, opts)
}

/// [`enroll`] for captures of either modality: 1–3 fingerprint captures or
/// 1–3 faces, sealed into a token that has the same header and the same
/// length either way. Captures of both modalities in one call are
/// `INVALID_ARGUMENT` (checked with the other arguments, before the key).
///
/// ```
/// use sealmatch::api::{enroll_any, verify_any};
/// use sealmatch::template::FaceTemplate;
/// use sealmatch::{EnrollOptions, VerifyOptions};
/// let face = FaceTemplate::from_embedding(&[0.5; 128])?;
/// let e = enroll_any(&[&face], &EnrollOptions::new("0117123456", "SK1415"))?;
/// let r = verify_any(&face, &e.token, &e.passenger_key, &VerifyOptions::new("0117123456"))?;
/// assert!(r.matched && r.score == 1.0);
/// # Ok::<(), sealmatch::Error>(())
/// ```
pub fn enroll_any(captures: &[&dyn Biometric], opts: &EnrollOptions) -> Result<Enrolled> {
    if captures.is_empty() || captures.len() > MAX_IMPRESSIONS {
        return invalid("enroll takes 1 to 3 captures");
    }
    let sealing = Sealing::of(captures)?;
    let (header, key) = enroll_arguments(opts)?;
    if !captures.iter().all(|c| c.is_usable()) {
        return err(
            ErrorCode::LowQuality,
            "a capture is not good enough to enroll",
        );
    }
    seal_enrollment(&sealing, &header, key)
}

/// Checks `enroll`'s options and makes the header and key.
fn enroll_arguments(opts: &EnrollOptions) -> Result<(TokenHeader, PassengerKey)> {
    check_bag_tag(&opts.bag_tag)?;
    check_flight(&opts.flight)?;
    let ttl = opts.ttl_seconds.unwrap_or(DEFAULT_TTL_SECONDS);
    if !(1..=MAX_TTL_SECONDS).contains(&ttl) {
        return invalid("ttlSeconds must be 1 to 86400");
    }
    let now = match opts.now {
        Some(now) => now,
        None => crate::clock::now_unix(),
    };
    let expires_at = match now.checked_add(ttl) {
        Some(exp) if exp <= MAX_TIME => exp,
        _ => return invalid("now + ttlSeconds must be at most 2^53"),
    };
    let key = match &opts.passenger_key {
        Some(text) => PassengerKey::parse(text)?,
        None => PassengerKey::generate()?,
    };
    let header = TokenHeader::new(&opts.bag_tag, &opts.flight, now, expires_at);
    Ok((header, key))
}

/// Encodes and seals templates (after every check on captures).
fn seal_enrollment(
    sealing: &Sealing<'_>,
    header: &TokenHeader,
    key: PassengerKey,
) -> Result<Enrolled> {
    let content = sealing.encode()?;
    let token = token::seal(header, &key, &content)?;
    Ok(Enrolled {
        token,
        passenger_key: key.to_key_string(),
    })
}

/// Matches a fresh capture 1:1 against a token, in the order the module
/// documentation gives. A non-match is `Ok` with `matched == false`. A
/// threshold that is not finite or outside
/// [`MIN_THRESHOLD`]`..=`[`MAX_THRESHOLD`] is `INVALID_ARGUMENT`.
///
/// ```no_run
/// use sealmatch::{verify, Capture, VerifyOptions};
/// # let (w, h, pixels, token, key) = (300, 300, vec![255u8; 90_000], String::new(), String::new());
/// let cap = Capture::from_gray(w, h, &pixels, 500)?;
/// let r = verify(&cap, &token, &key, &VerifyOptions::new("0117123456"))?;
/// assert_eq!(r.matched, r.score >= r.threshold);
/// # Ok::<(), sealmatch::Error>(())
/// ```
pub fn verify(
    capture: &Capture,
    token: &str,
    passenger_key: &str,
    opts: &VerifyOptions,
) -> Result<Verification> {
    verify_any(capture, token, passenger_key, opts)
}

/// [`verify`] for a capture of either modality. After every check of
/// `verify` (arguments, with the threshold range and default of the
/// capture's modality; capture quality; the token, up to decryption and the
/// content's form) a token of the other modality is `MODALITY_MISMATCH`: the
/// modality is inside the sealed content, so a wrong key is `TOKEN_REJECTED`
/// whatever the token holds.
///
/// ```
/// use sealmatch::api::{enroll_any, verify_any};
/// use sealmatch::template::FaceTemplate;
/// use sealmatch::{EnrollOptions, ErrorCode, VerifyOptions};
/// let mut v = [0.0f32; 128];
/// v[0] = 1.0;
/// let enrolled = FaceTemplate::from_embedding(&v)?;
/// v[1] = 1.0;
/// let probe = FaceTemplate::from_embedding(&v)?; // 45 degrees away
/// let e = enroll_any(&[&enrolled], &EnrollOptions::new("B1", "SK1415"))?;
/// let r = verify_any(&probe, &e.token, &e.passenger_key, &VerifyOptions::new("B1"))?;
/// assert!(!r.matched && (r.score - 0.7071).abs() < 1e-4);
/// # Ok::<(), sealmatch::Error>(())
/// ```
pub fn verify_any(
    probe: &dyn Biometric,
    token: &str,
    passenger_key: &str,
    opts: &VerifyOptions,
) -> Result<Verification> {
    let threshold = verify_arguments(opts, probe.modality())?;
    if !probe.is_usable() {
        return err(
            ErrorCode::LowQuality,
            "the capture is not good enough to verify",
        );
    }
    verify_template(probe.template_ref(), token, passenger_key, opts, threshold)
}

/// The default, lowest and highest threshold of a modality.
fn thresholds(modality: Modality) -> (f32, f32, f32) {
    match modality {
        Modality::Fingerprint => (DEFAULT_THRESHOLD, MIN_THRESHOLD, MAX_THRESHOLD),
        Modality::Face => (
            FACE_DEFAULT_THRESHOLD,
            FACE_MIN_THRESHOLD,
            FACE_MAX_THRESHOLD,
        ),
    }
}

/// Checks `verify`'s options for a probe of `modality`; returns the
/// threshold to use.
fn verify_arguments(opts: &VerifyOptions, modality: Modality) -> Result<f32> {
    check_bag_tag(&opts.bag_tag)?;
    if let Some(flight) = &opts.flight {
        check_flight(flight)?;
    }
    let (default, min, max) = thresholds(modality);
    let threshold = opts.threshold.unwrap_or(default);
    if opts.threshold.is_some_and(|t| !t.is_finite()) {
        return invalid("threshold must be a finite number");
    }
    if !(min..=max).contains(&threshold) {
        return err(
            ErrorCode::InvalidArgument,
            format!(
                "threshold must be {min} to {max} (lower lets more than 1 % of impostors match)"
            ),
        );
    }
    Ok(threshold)
}

/// Opens the token (structure → key → bag and flight → expiry → decryption)
/// and decodes its templates.
fn open_enrollment(
    token: &str,
    passenger_key: &str,
    opts: &VerifyOptions,
) -> Result<(TokenHeader, Enrollment)> {
    let expect = token::Expect {
        bag_tag: &opts.bag_tag,
        flight: opts.flight.as_deref(),
        now: opts.now.unwrap_or_else(crate::clock::now_unix),
    };
    let (header, content) = token::open(token, passenger_key, expect)?;
    let enrollment = codec::decode(&content)?;
    Ok((header, enrollment))
}

/// Everything after the capture checks.
fn verify_template(
    probe: TemplateRef<'_>,
    token: &str,
    passenger_key: &str,
    opts: &VerifyOptions,
    threshold: f32,
) -> Result<Verification> {
    let (_, enrolled) = open_enrollment(token, passenger_key, opts)?;
    let score = probe.score(&enrolled)?;
    Ok(Verification {
        matched: score >= threshold,
        score,
        threshold,
    })
}

/// Every check of [`verify`] except the capture and the match: arguments,
/// token structure, key, bag and flight, expiry, authenticated decryption and
/// the content's form (of either modality; no `MODALITY_MISMATCH`, as there
/// is no capture). Returns the header. A gate can run it right after
/// scanning the passenger key, before asking for a finger or a face.
///
/// ```
/// use sealmatch::{check_token, ErrorCode, VerifyOptions};
/// let e = check_token("x", "smk1_", &VerifyOptions::new("0117123456")).unwrap_err();
/// assert_eq!(e.code(), ErrorCode::TokenMalformed);
/// ```
pub fn check_token(token: &str, passenger_key: &str, opts: &VerifyOptions) -> Result<TokenHeader> {
    // No capture, so a threshold in the range of either modality will do.
    verify_arguments(opts, Modality::Fingerprint)
        .or_else(|e| verify_arguments(opts, Modality::Face).map_err(|_| e))?;
    open_enrollment(token, passenger_key, opts).map(|(header, _)| header)
}

/// The header of a token, after the structural checks of
/// [`token::inspect`]; no key needed, nothing secret returned.
///
/// ```
/// use sealmatch::{inspect_token, ErrorCode};
/// assert_eq!(inspect_token("").unwrap_err().code(), ErrorCode::TokenMalformed);
/// ```
pub fn inspect_token(token: &str) -> Result<TokenHeader> {
    token::inspect(token)
}

#[cfg(test)]
mod tests;
