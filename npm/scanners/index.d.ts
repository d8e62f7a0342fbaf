// Types for sealmatch/scanners: adapters from a kiosk's fingerprint scanner
// service to a sealmatch Capture.

import type { Capture } from "../sealmatch.js";

/** The adapter error codes (on `err.code`), separate from the library's codes. */
export type ScannerErrorCode =
  /** The vendor's service is not running, not trusted (TLS), or answered an HTTP error. */
  | "SCANNER_UNAVAILABLE"
  /** The service runs but no reader is connected. */
  | "NO_DEVICE"
  /** The reader is busy with another capture. */
  | "DEVICE_BUSY"
  /** No finger within the time limit. */
  | "TIMEOUT"
  /** The device judged the image too poor; ask for another. */
  | "LOW_QUALITY"
  /** The reader was unplugged during the capture. */
  | "DEVICE_DISCONNECTED"
  /** The service's reply was not what its documented shape says. */
  | "BAD_REPLY"
  /** The AbortSignal fired. */
  | "CANCELLED"
  /** Any other failure the vendor reported (its number is in the message). */
  | "SCANNER_ERROR";

export const SCANNER_CODES: readonly ScannerErrorCode[];

export interface ScannerError extends Error {
  readonly code: ScannerErrorCode;
}

/** One impression as the device gave it. */
export type ScannerImage =
  | {
      /** An image file: decoded by `Capture.fromImageFile`. */
      format: "bmp" | "png";
      file: Uint8Array;
      /** The device's resolution; omitted: the file's own. */
      dpi?: number;
      width?: number;
      height?: number;
      /** The device's own quality figure, when it gives one. */
      quality?: number;
    }
  | {
      /** 8-bit grey pixels, row-major: `Capture.fromGray`. */
      format?: "gray";
      width: number;
      height: number;
      pixels: Uint8Array;
      dpi: number;
    };

export type ScanStage = "connecting" | "waiting-for-finger" | "quality" | "reading-image" | "decoding";

export interface ScanOptions {
  /** Cancels the capture: the promise rejects with CANCELLED and the device is told to stop. */
  signal?: AbortSignal;
  /** Called as the capture moves on; `quality` is the device's code on "quality". */
  onProgress?: (progress: { stage: ScanStage; quality?: number }) => void;
}

export interface ProbeResult {
  /** The service answered and a reader is connected. */
  available: boolean;
  /** Reader names or ids. */
  devices: string[];
  /** Why not, when not available. */
  code?: ScannerErrorCode;
}

/**
 * A scanner adapter. Add another vendor with `defineScanner({ name, probe, scan })`.
 */
export interface ScannerAdapter {
  readonly name: string;
  readonly vendor?: string;
  readonly baseUrl?: string;
  /** Whether the service and a reader are there; never rejects except with CANCELLED. */
  probe(options?: { signal?: AbortSignal }): Promise<ProbeResult>;
  /** One impression as the device gave it (no WebAssembly needed). */
  scan(options?: ScanOptions): Promise<ScannerImage>;
  /** One impression as a Capture at the device's resolution (after `await init()`). */
  capture(options?: ScanOptions): Promise<Capture>;
}

/** What `defineScanner` takes. */
export interface ScannerDefinition {
  name: string;
  vendor?: string;
  baseUrl?: string;
  probe(options?: { signal?: AbortSignal }): Promise<ProbeResult>;
  scan(options?: ScanOptions): Promise<ScannerImage>;
}

/** Adds `capture()` to an adapter made of `name`, `probe` and `scan`. */
export function defineScanner(definition: ScannerDefinition): ScannerAdapter;

/** A Capture from a ScannerImage (`Capture.fromImageFile` or `Capture.fromGray`). */
export function imageToCapture(image: ScannerImage): Capture;

/** An Error with an adapter code. */
export function scannerError(code: ScannerErrorCode, message: string, cause?: unknown): ScannerError;

/** The adapters whose probe says available, in the order given. */
export function findScanners(adapters: ScannerAdapter[], options?: { signal?: AbortSignal }): Promise<ScannerAdapter[]>;

export interface SecugenOptions {
  /** Default "https://localhost:8443". */
  baseUrl?: string;
  /** SecuGen's licence string for the site's domain; "" on localhost. */
  licstr?: string;
  /** Least image quality 1–100 (default 50). */
  quality?: number;
  /** How long the service waits for a finger, ms (default 10000). */
  timeoutMs?: number;
  templateFormat?: "ISO" | "ANSI";
}
/** SecuGen WebAPI (SgiBioSrv). */
export function secugenScanner(options?: SecugenOptions): ScannerAdapter;
/** SgiBioSrv ErrorCode → adapter code (others: SCANNER_ERROR). */
export const SECUGEN_ERRORS: Readonly<Record<number, ScannerErrorCode>>;

export interface SupremaOptions {
  /** Default "https://localhost:8084". */
  baseUrl?: string;
  /** Which of the agent's readers (default 0). */
  deviceIndex?: number;
  /** How long the agent waits for a finger, ms (default 10000). */
  timeoutMs?: number;
  /** The reader's resolution (default 500). */
  dpi?: number;
  /** getImageData's fileType (default 1, BMP). */
  fileType?: number;
}
/** Suprema BioMini Web Agent. */
export function supremaScanner(options?: SupremaOptions): ScannerAdapter;
/** retValue (and retString) → adapter code. */
export function supremaErrorCode(retValue: number, retString?: string): ScannerErrorCode;

/** The parts of `@digitalpersona/devices`' FingerprintReader the adapter uses. */
export interface FingerprintReaderLike {
  enumerateDevices(): Promise<string[]>;
  startAcquisition(format: number, deviceUid?: string): Promise<void>;
  stopAcquisition(deviceUid?: string): Promise<void>;
  on(event: string, handler: (event: any) => void): unknown;
  off(event?: string, handler?: (event: any) => void): unknown;
}
export interface DigitalPersonaOptions {
  /** Your `new FingerprintReader()` from @digitalpersona/devices. */
  reader: FingerprintReaderLike;
  /** Default "PngImage". */
  format?: "PngImage" | "Raw";
  /** The reader's resolution (default 500). */
  dpi?: number;
  /** How long to wait for a finger, ms (default 30000). */
  timeoutMs?: number;
  /** Which reader (default the first). */
  deviceUid?: string;
}
/** HID DigitalPersona through the integrator's FingerprintReader. */
export function digitalPersonaScanner(options: DigitalPersonaOptions): ScannerAdapter;
/** The Web SDK's SampleFormat values. */
export const SAMPLE_FORMAT: Readonly<{ Raw: 1; Intermediate: 2; Compressed: 3; PngImage: 5 }>;
