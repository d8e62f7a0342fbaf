// Types for sealmatch/messages: texts for the library's stable codes, in
// plain JavaScript (no WebAssembly, no `init()` needed).

import type { ErrorCode, FaceFeedback } from "./sealmatch.js";

/** Every key of the English table (and of a translation table). */
export type MessageKey =
  | `feedback.${"blank" | "too_dark" | "too_light" | "low_contrast" | "too_small" | "off_center" | "few_features" | "no_ridges"}`
  | `face.${FaceFeedback | "good"}`
  | `error.${ErrorCode}`
  // the codes of sealmatch/scanners (ScannerErrorCode), spelled out: its types need the DOM's AbortSignal
  | `scanner.${"SCANNER_UNAVAILABLE" | "NO_DEVICE" | "DEVICE_BUSY" | "TIMEOUT" | "LOW_QUALITY" | "DEVICE_DISCONNECTED" | "BAD_REPLY" | "CANCELLED" | "SCANNER_ERROR"}`
  | "generic";

/**
 * A translation table: keys to texts, e.g. the `lib` section of one of the
 * demo's language files (www/i18n/*.json). Missing keys fall back to
 * English; extra keys (`error.MY_CODE`) are allowed.
 */
export type Translations = Readonly<Partial<Record<MessageKey, string>> & Record<string, string | undefined>>;

/** Which feedback `feedbackMessages` is given (the two share some codes). */
export interface FeedbackMessagesOptions {
  /** Default "fingerprint". */
  modality?: "fingerprint" | "face";
}

/** The English texts, by key (frozen). */
export const ENGLISH: Readonly<Record<MessageKey, string>>;

/** Every key, in table order (frozen). */
export const MESSAGE_KEYS: readonly MessageKey[];

/**
 * The text for `key`: the translation, else English, else the generic text.
 * @example message("face.too_small", de)
 */
export function message(key: MessageKey | (string & {}), translations?: Translations): string;

/**
 * The key for an error's `code` (`error.<CODE>`, else `scanner.<CODE>`, else
 * a key the translations add), or null. Reads only `code`.
 */
export function errorKey(err: unknown, translations?: Translations): string | null;

/**
 * A text for an error by its `code` alone: the translation, else English,
 * else the generic text. Never throws; never shows the error's `message`.
 */
export function errorMessage(err: unknown, translations?: Translations): string;

/**
 * Texts for feedback codes, in order; `[]` for a good capture. Pass
 * `{ modality: "face" }` for `faceCapture.feedback`.
 */
export function feedbackMessages(
  codes: readonly string[],
  translations?: Translations,
  options?: FeedbackMessagesOptions,
): string[];
