// sealmatch/messages: texts for the library's stable codes, in plain
// JavaScript. No WebAssembly, no imports, no `init()`: usable in a browser, a
// bundler or Node before (or without) loading the library, e.g. to show an
// error that happened while loading it.
//
// Keys (the same as the `lib` section of the demo's www/i18n/*.json):
//   feedback.<code>  fingerprint capture feedback (`capture.feedback`)
//   face.<code>      face capture feedback (`faceCapture.feedback`), and
//                    face.good for a frame with no feedback
//   error.<CODE>     the library's error codes (`err.code`)
//   scanner.<CODE>   the scanner adapters' codes (sealmatch/scanners)
//   generic          for anything unknown
//
// A translation table is a plain object from these keys to texts, e.g. the
// `lib` section of one of the demo's language files. A key the table lacks
// (or gives as anything but a non-empty string) falls back to English, and an
// unknown key to the generic text. Nothing here throws, and nothing is ever
// taken from an error's `message`: only its `code` is read.

/**
 * The English texts, by key. Frozen.
 * @example ENGLISH["feedback.too_dark"]  // "Too dark: press more lightly, or wipe the scanner glass."
 */
export const ENGLISH = Object.freeze({
  "feedback.blank": "No finger found on the scanner.",
  "feedback.too_dark": "Too dark: press more lightly, or wipe the scanner glass.",
  "feedback.too_light": "Too light: press a little harder.",
  "feedback.low_contrast": "Ridges unclear: dry or slightly moisten the finger and try again.",
  "feedback.too_small": "Too little of the finger: lay more of it flat on the glass.",
  "feedback.off_center": "Move the finger to the centre of the scanner.",
  "feedback.few_features": "Few features found: press the whole fingertip flat and still.",
  "feedback.no_ridges": "No ridges found: place a finger on the scanner glass.",
  "face.good": "Good: hold still.",
  "face.no_face": "No face found: look straight into the camera.",
  "face.several_faces": "More than one face: make sure only you are in the picture.",
  "face.too_small": "Come closer to the camera.",
  "face.off_centre": "Centre your face in the oval.",
  "face.turned": "Look straight into the camera, head level.",
  "face.too_dark": "Too dark: find more light, or face a window.",
  "face.too_bright": "Too bright: move out of direct light.",
  "face.blurred": "Hold still: the picture is blurred.",
  "error.INVALID_IMAGE": "That picture cannot be used. Please try again.",
  "error.INVALID_ARGUMENT": "Please check the flight and bag tag.",
  "error.LOW_QUALITY": "The scan or photo is not clear enough. Please try again.",
  "error.TOKEN_MALFORMED": "The bag's record is damaged.",
  "error.TOKEN_UNSUPPORTED": "The bag's record was made by a newer version of the system.",
  "error.TOKEN_EXPIRED": "The bag's record has expired.",
  "error.WRONG_BAG": "This record belongs to another bag or flight.",
  "error.TOKEN_REJECTED": "This passenger key does not open this bag's record.",
  "error.KEY_MALFORMED": "The passenger key is not valid. Check it and try again.",
  "error.NOT_READY": "The face check is still starting. Please wait a moment.",
  "error.MODALITY_MISMATCH": "This bag's record was made with the other method (face or fingerprint).",
  "scanner.SCANNER_UNAVAILABLE": "The scanner service is not running on this device.",
  "scanner.NO_DEVICE": "No fingerprint scanner is connected.",
  "scanner.DEVICE_BUSY": "The scanner is busy. Please try again in a moment.",
  "scanner.TIMEOUT": "No finger was placed in time. Please scan again.",
  "scanner.LOW_QUALITY": "The scanner's image is not good enough. Please scan again.",
  "scanner.DEVICE_DISCONNECTED": "The scanner was unplugged. Please plug it back in and scan again.",
  "scanner.BAD_REPLY": "The scanner sent an answer that could not be read. Please scan again.",
  "scanner.CANCELLED": "The scan was cancelled.",
  "scanner.SCANNER_ERROR": "The scanner reported an error. Please scan again.",
  generic: "Something went wrong. Please try again.",
});

/**
 * Every key, in table order. Frozen.
 * @example MESSAGE_KEYS.includes("error.WRONG_BAG")  // true
 */
export const MESSAGE_KEYS = Object.freeze(Object.keys(ENGLISH));

const own = (table, key) => Object.prototype.hasOwnProperty.call(table, key);

// The translation for `key`, or undefined: only a non-empty string counts.
function translated(translations, key) {
  try {
    if (translations === null || typeof translations !== "object" || !own(translations, key)) return undefined;
    const text = translations[key];
    return typeof text === "string" && text.length > 0 ? text : undefined;
  } catch {
    return undefined; // a getter or proxy that throws
  }
}

// Whether either table knows `key`.
function known(key, translations) {
  return own(ENGLISH, key) || translated(translations, key) !== undefined;
}

/**
 * The text for `key`: the translation, else English, else the generic text
 * (translated when the table has `generic`).
 * @param {string} key e.g. "face.too_small"
 * @param {Record<string, string>} [translations]
 * @returns {string}
 * @example
 * message("error.WRONG_BAG", { "error.WRONG_BAG": "Diese Daten gehören zu einem anderen Gepäckstück." })
 */
export function message(key, translations) {
  if (typeof key !== "string") key = "generic";
  return (
    translated(translations, key) ??
    (own(ENGLISH, key) ? ENGLISH[key] : undefined) ??
    translated(translations, "generic") ??
    ENGLISH.generic
  );
}

// An error's `code`, or undefined; never touches `message`.
function codeOf(err) {
  try {
    const code = err !== null && (typeof err === "object" || typeof err === "function") ? err.code : undefined;
    return typeof code === "string" ? code : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The key for an error's `code`: `error.<CODE>` for the library's codes,
 * `scanner.<CODE>` for the scanner adapters' (a code both have, LOW_QUALITY,
 * is the library's), or a key the translations add for a code of your own;
 * null when neither table knows the code.
 * @param {unknown} err
 * @param {Record<string, string>} [translations]
 * @returns {string | null}
 * @example errorKey({ code: "NO_DEVICE" })  // "scanner.NO_DEVICE"
 */
export function errorKey(err, translations) {
  const code = codeOf(err);
  if (code === undefined) return null;
  for (const key of [`error.${code}`, `scanner.${code}`]) {
    if (known(key, translations)) return key;
  }
  return null;
}

/**
 * A text for an error from sealmatch or sealmatch/scanners, by its `code`
 * alone: the translation, else English, else the generic text. Anything can
 * be passed (a non-Error, null); it never throws.
 * @param {unknown} err
 * @param {Record<string, string>} [translations]
 * @returns {string}
 * @example
 * try { verify(cap, token, key, { bagTag }); } catch (e) { show(errorMessage(e, texts)); }
 */
export function errorMessage(err, translations) {
  return message(errorKey(err, translations) ?? "generic", translations);
}

/**
 * Texts for a list of feedback codes (`capture.feedback` or
 * `faceCapture.feedback`), in order; `[]` for an empty list (a good capture:
 * `message("face.good")` is the face guide's text for it). The two modalities
 * share some codes (too_small, too_dark), so say which: `{ modality: "face" }`
 * for face feedback; fingerprint otherwise.
 * @param {readonly string[]} codes
 * @param {Record<string, string>} [translations]
 * @param {{ modality?: "fingerprint" | "face" }} [options]
 * @returns {string[]}
 * @example feedbackMessages(cap.feedback, texts)  // ["Too dark: press more lightly, or wipe the scanner glass."]
 */
export function feedbackMessages(codes, translations, options) {
  let face = false;
  try {
    face = options !== null && typeof options === "object" && options.modality === "face";
  } catch {
    face = false;
  }
  const group = face ? "face" : "feedback";
  const out = [];
  try {
    if (!Array.isArray(codes)) return out;
    for (const code of codes) {
      out.push(message(typeof code === "string" ? `${group}.${code}` : "generic", translations));
    }
  } catch {
    // a hostile array: what was read so far
  }
  return out;
}
