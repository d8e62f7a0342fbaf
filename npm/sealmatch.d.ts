// Types for sealmatch: on-device fingerprint capture, sealed bag tokens and
// 1:1 matching in WebAssembly. Every function throws a SealmatchError (an
// Error with a stable `code`) on any failure, wrong argument types included.
// Optional options may be omitted, undefined or null (JSON has no undefined).

/** The stable error codes found on `err.code`. */
export type ErrorCode =
  | "INVALID_IMAGE"
  | "INVALID_ARGUMENT"
  | "LOW_QUALITY"
  | "TOKEN_MALFORMED"
  | "TOKEN_UNSUPPORTED"
  | "TOKEN_EXPIRED"
  | "WRONG_BAG"
  | "TOKEN_REJECTED"
  | "KEY_MALFORMED"
  /** A face function called before `initFace()` has resolved. */
  | "NOT_READY"
  /** `verify` with a capture of the other modality than the token's (face vs fingerprint). */
  | "MODALITY_MISMATCH";

/** What every sealmatch function throws. */
export interface SealmatchError extends Error {
  readonly code: ErrorCode;
}

/** Capture feedback codes; an empty list means the capture is good. */
export type Feedback =
  | "blank"
  | "too_dark"
  | "too_light"
  | "low_contrast"
  | "too_small"
  | "off_center"
  | "few_features"
  | "no_ridges"
  | (string & {});

/**
 * Where `init` may load the module from. In a browser: a URL (string or
 * `URL`), a `Request`, a `Response` (or a promise of one), the bytes, or a
 * compiled `WebAssembly.Module`; by default the .wasm beside the package's JS
 * (`sealmatch_core_bg.wasm`, or `sealmatch_core_nosimd_bg.wasm` where the
 * engine has no WebAssembly SIMD). In Node: the bytes or a
 * `WebAssembly.Module`; by default it is read from disk, picked the same way.
 * (Typed loosely so the types need neither the DOM library nor @types/node.)
 */
export interface InitInput {
  module_or_path?: string | object;
}

/**
 * Loads the WebAssembly module: the SIMD build where `WebAssembly.validate`
 * accepts SIMD, else the non-SIMD build (the same results, bit for bit); only
 * that one file is fetched. Await it once before anything else; later calls
 * return the same promise. Calling any other function first throws
 * INVALID_ARGUMENT. An engine without WebAssembly, or without a WebAssembly
 * feature both builds need (bulk memory, sign extension, non-trapping
 * float-to-int, reference types, multi-value), is refused with
 * INVALID_ARGUMENT and a message naming what is missing.
 */
export default function init(input?: InitInput): Promise<void>;

/** Anything shaped like canvas ImageData: RGBA bytes, 4 per pixel. */
export interface ImageDataLike {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray | Uint8Array;
}

/**
 * A processed fingerprint capture. It stays usable until `free()` (enroll and
 * verify only borrow it) and is also released when garbage-collected.
 * A freed capture throws INVALID_ARGUMENT when used.
 */
export class Capture {
  private constructor();
  /** From 8-bit grey pixels, row-major, `width * height` bytes. */
  static fromGray(width: number, height: number, pixels: Uint8Array | Uint8ClampedArray, dpi: number): Capture;
  /** From RGBA pixels, `width * height * 4` bytes. */
  static fromRgba(width: number, height: number, rgba: Uint8Array | Uint8ClampedArray, dpi: number): Capture;
  /** From a canvas ImageData. */
  static fromImageData(imageData: ImageDataLike, dpi: number): Capture;
  /**
   * From a BMP (8-bit palette, 24- or 32-bit) or PNG (grey, RGB, palette,
   * with or without alpha; 8- or 16-bit; not interlaced) file's bytes.
   * `dpi` omitted: the file's own (BMP pixels per metre, PNG pHYs), else
   * INVALID_IMAGE.
   */
  static fromImageFile(bytes: Uint8Array | Uint8ClampedArray, dpi?: number): Capture;
  /**
   * From an ISO/IEC 19794-2:2005 or ANSI INCITS 378-2004 finger minutiae
   * record (first finger view). INVALID_IMAGE when malformed.
   */
  static fromMinutiaeRecord(bytes: Uint8Array | Uint8ClampedArray): Capture;
  /** Quality 0..100. */
  readonly quality: number;
  /** Empty when good, else codes such as "too_dark". A fresh array each time. */
  readonly feedback: Feedback[];
  /** Number of features found. */
  readonly minutiaeCount: number;
  /**
   * The capture's image at 500 dpi with the found features drawn in, for a
   * local screen only (pixels, never coordinates). In a browser:
   * `new ImageData(r.data, r.width, r.height)`.
   */
  renderFeatures(): RenderedFeatures;
  /** Releases the capture now. Idempotent. */
  free(): void;
}

/** What `Capture.renderFeatures` returns: an RGBA image. */
export interface RenderedFeatures {
  width: number;
  height: number;
  /** `width * height * 4` bytes, RGBA. */
  data: Uint8ClampedArray;
}

export interface EnrollOptions {
  /** 1–20 characters of A–Z, a–z, 0–9 (IATA licence plates are 10 digits). */
  bagTag: string;
  /** 2–8 characters of A–Z, 0–9. */
  flight: string;
  /** Lifetime of the token, default 3600, at most 86400. */
  ttlSeconds?: number | null;
  /** A key from an earlier `enroll`, so one key opens all of a passenger's tokens. */
  passengerKey?: string | null;
  /** Unix seconds; defaults to the clock. */
  now?: number | null;
}

export interface Enrolled {
  /** The sealed token (JWE compact), for the server. */
  token: string;
  /** `smk1_…`, for the passenger only (QR code on the bag receipt). */
  passengerKey: string;
}

export interface VerifyOptions {
  /** Must equal the token's bag tag, else WRONG_BAG. */
  bagTag: string;
  /** When given, must equal the token's flight, else WRONG_BAG. */
  flight?: string | null;
  /**
   * Operating point, 0.03 to 1 (a match is `score >= threshold`); defaults to
   * the library's threshold, 0.05 (FMR ≤ 0.01 % on the development data).
   * Below 0.03 more than about 1 % of impostors would match, and no score
   * reaches a threshold above 1: either is INVALID_ARGUMENT.
   */
  threshold?: number | null;
  /** Unix seconds; defaults to the clock. A token is expired when now >= expiresAt. */
  now?: number | null;
}

export interface Verification {
  /** `score >= threshold`. */
  match: boolean;
  /** Higher means more alike. */
  score: number;
  /** The threshold applied. */
  threshold: number;
}

export interface TokenHeader {
  version: number;
  bagTag: string;
  flight: string;
  /** Unix seconds. */
  issuedAt: number;
  /** Unix seconds. */
  expiresAt: number;
}

/** Seals one to three captures of one finger into a token bound to a bag. */
export function enroll(captures: Capture[] | FaceCapture[], options: EnrollOptions): Enrolled;

/** Matches a capture 1:1 against a token with the passenger's key. */
export function verify(capture: Capture | FaceCapture, token: string, passengerKey: string, options: VerifyOptions): Verification;

/** The token's header, after checking its structure; needs no key, reveals no secret. */
export function inspectToken(token: string): TokenHeader;

/** Face feedback codes; an empty list means the capture is good. */
export type FaceFeedback =
  | "no_face"
  | "several_faces"
  | "too_small"
  | "off_centre"
  | "turned"
  | "too_dark"
  | "too_bright"
  | "blurred";

/** The box of the face used, in frame pixels (for a guide overlay). */
export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where `initFace` takes the face models from (one of the two, or neither). */
export interface InitFaceOptions {
  /** A URL of `sealmatch-face.bin` (Node: a `file:` URL is read from disk). */
  modelUrl?: string | object;
  /** The bytes of `sealmatch-face.bin`. */
  modelBytes?: Uint8Array | ArrayBuffer;
}

/**
 * Loads the face models (and the WebAssembly module if `init` has not run):
 * by default `sealmatch-face.bin` beside the package's files (Node: read from
 * disk; browsers and bundlers: fetched from
 * `new URL("./sealmatch-face.bin", import.meta.url)`). Idempotent. A file that
 * is not a valid weights file rejects with INVALID_ARGUMENT. Before it
 * resolves, every face function throws NOT_READY.
 */
export function initFace(options?: InitFaceOptions): Promise<void>;

/** A processed face capture (camera frame or photo). */
export class FaceCapture {
  private constructor();
  /** From RGBA pixels; sides 32..4096, at most 16,777,216 pixels. */
  static fromRgba(width: number, height: number, rgba: Uint8Array | Uint8ClampedArray): FaceCapture;
  /** From a canvas ImageData or any `{ width, height, data }` of RGBA bytes. */
  static fromImageData(imageData: ImageDataLike): FaceCapture;
  /** 0..100; 0 when no face could be used (enroll and verify: LOW_QUALITY). */
  readonly quality: number;
  /** Feedback codes, empty when good. */
  readonly feedback: FaceFeedback[];
  /** The box of the face used, or null when none was found. */
  readonly box: FaceBox | null;
  /** Releases it now; idempotent. */
  free(): void;
}
