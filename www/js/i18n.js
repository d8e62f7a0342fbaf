// @ts-check
/**
 * The demo pages' languages: one JSON file per language in `www/i18n/`
 * (`en.json` is the reference; every other file has exactly its keys), the
 * language chooser in each page's header, and `t()` for texts made in
 * JavaScript.
 *
 * Keys are `section.name`: the section is a top-level object of the file
 * (`common`, `lib`, `index`, `bagdrop`, `boarding`, `checkin`,
 * `reconciliation`), the name is the rest (it may contain dots, e.g.
 * `lib.feedback.too_dark`). Texts may hold `{name}` placeholders, filled from
 * `params`.
 *
 * In the HTML:
 * - `data-i18n="bagdrop.consent_title"` sets the element's text;
 * - `data-i18n-html="…"` sets a text with inline markup (only `strong`, `em`,
 *   `b`, `i`, `br`, `code` and `span` survive; everything else is dropped to
 *   its text), for sentences with a bold part;
 * - `data-i18n-attr="placeholder:bagdrop.ref_placeholder;aria-label:common.close"`
 *   sets attributes;
 * - `data-i18n-params='{"n":3}'` fills placeholders (JSON).
 *
 * ```js
 * import { initI18n, t, setText } from "./i18n.js";
 * await initI18n();                         // before the page shows anything dynamic
 * status.textContent = t("common.working");
 * setText(guide, "lib.face.no_face");       // and re-translated when the language changes
 * ```
 *
 * The language is chosen from `?lang=xx`, else the session's choice
 * (sessionStorage, so a kiosk's next passenger starts afresh when the kiosk
 * calls {@link resetLanguage}), else the browser's languages, else English.
 */

/** @typedef {{ code: string, name: string, dir: "ltr" | "rtl" }} Language */

/**
 * The languages, each named in itself (flags are not languages).
 * @type {readonly Language[]}
 */
export const LANGUAGES = Object.freeze([
  { code: "en", name: "English", dir: "ltr" },
  { code: "da", name: "Dansk", dir: "ltr" },
  { code: "sv", name: "Svenska", dir: "ltr" },
  { code: "fi", name: "Suomi", dir: "ltr" },
  { code: "de", name: "Deutsch", dir: "ltr" },
  { code: "fr", name: "Français", dir: "ltr" },
  { code: "es", name: "Español", dir: "ltr" },
  { code: "ar", name: "العربية", dir: "rtl" },
  { code: "zh-Hans", name: "简体中文", dir: "ltr" },
  { code: "uk", name: "Українська", dir: "ltr" },
]);

const STORAGE = "sealmatch.lang";
const ALLOWED_TAGS = new Set(["STRONG", "EM", "B", "I", "BR", "CODE", "SPAN"]);

/** @type {Record<string, Record<string, string>>} */
let english = {};
/** @type {Record<string, Record<string, string>>} */
let current = {};
let currentCode = "en";
/** @type {Set<(code: string) => void>} */
const listeners = new Set();

/** @param {string} code @returns {Language | undefined} */
export function languageOf(code) {
  return LANGUAGES.find((l) => l.code === code);
}

/** The current language's code, e.g. `"ar"`. */
export function lang() {
  return currentCode;
}

/** The current language's writing direction. */
export function dir() {
  return languageOf(currentCode)?.dir ?? "ltr";
}

/**
 * The best language for a list of BCP 47 tags (the browser's), or null.
 * `zh`, `zh-CN` and `zh-SG` are Simplified Chinese; `nb`/`nn`/`no` are not Danish.
 * @param {readonly string[]} tags
 */
export function matchLanguage(tags) {
  for (const raw of tags) {
    const tag = String(raw).toLowerCase();
    const exact = LANGUAGES.find((l) => l.code.toLowerCase() === tag);
    if (exact) return exact.code;
    if (tag === "zh" || tag.startsWith("zh-hans") || tag === "zh-cn" || tag === "zh-sg") return "zh-Hans";
    const base = tag.split("-")[0];
    const byBase = LANGUAGES.find((l) => l.code === base);
    if (byBase) return byBase.code;
  }
  return null;
}

/** @param {string} code */
async function loadFile(code) {
  const res = await fetch(new URL(`../i18n/${code}.json`, import.meta.url));
  if (!res.ok) throw new Error(`i18n/${code}.json: ${res.status}`);
  return /** @type {Record<string, Record<string, string>>} */ (await res.json());
}

/** @param {Record<string, Record<string, string>>} file @param {string} key */
function lookup(file, key) {
  const dot = key.indexOf(".");
  if (dot < 0) return undefined;
  const text = file[key.slice(0, dot)]?.[key.slice(dot + 1)];
  return typeof text === "string" ? text : undefined;
}

/**
 * The text for `key` in the current language (English when missing there,
 * the key itself when missing everywhere), with `{name}` placeholders filled.
 * @param {string} key @param {Record<string, string | number>} [params]
 */
export function t(key, params) {
  const text = lookup(current, key) ?? lookup(english, key) ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** Whether `key` exists (in English, the reference). @param {string} key */
export function has(key) {
  return lookup(english, key) !== undefined;
}

/**
 * Sets `node`'s text to `key`'s and remembers the key, so the text follows
 * later language changes.
 * @param {Element} node @param {string} key @param {Record<string, string | number>} [params]
 */
export function setText(node, key, params) {
  node.setAttribute("data-i18n", key);
  if (params) node.setAttribute("data-i18n-params", JSON.stringify(params));
  else node.removeAttribute("data-i18n-params");
  node.textContent = t(key, params);
}

/** @param {Element} node */
function paramsOf(node) {
  const raw = node.getAttribute("data-i18n-params");
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/**
 * Inline markup from a translation, keeping only harmless tags (no
 * attributes at all).
 * @param {string} html @returns {DocumentFragment}
 */
export function safeFragment(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  /** @param {Node} node @returns {Node[]} */
  const clean = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return [document.createTextNode(node.textContent ?? "")];
    if (node.nodeType !== Node.ELEMENT_NODE) return [];
    const kids = [...node.childNodes].flatMap(clean);
    const element = /** @type {Element} */ (node);
    if (!ALLOWED_TAGS.has(element.tagName)) return kids;
    const copy = document.createElement(element.tagName.toLowerCase());
    copy.append(...kids);
    return [copy];
  };
  const out = document.createDocumentFragment();
  out.append(...[...template.content.childNodes].flatMap(clean));
  return out;
}

/**
 * Translates every marked element under `root` (see the module comment).
 * @param {ParentNode} [root]
 */
export function applyTranslations(root = document) {
  for (const node of root.querySelectorAll("[data-i18n]")) {
    node.textContent = t(node.getAttribute("data-i18n") ?? "", paramsOf(node));
  }
  for (const node of root.querySelectorAll("[data-i18n-html]")) {
    node.replaceChildren(safeFragment(t(node.getAttribute("data-i18n-html") ?? "", paramsOf(node))));
  }
  for (const node of root.querySelectorAll("[data-i18n-attr]")) {
    for (const pair of (node.getAttribute("data-i18n-attr") ?? "").split(";")) {
      const colon = pair.indexOf(":");
      if (colon > 0) node.setAttribute(pair.slice(0, colon).trim(), t(pair.slice(colon + 1).trim(), paramsOf(node)));
    }
  }
}

/** Sets `<html lang dir>`, the title, and every marked text; tells the listeners. */
function render() {
  const html = document.documentElement;
  html.lang = currentCode;
  html.dir = dir();
  const title = document.querySelector("title[data-i18n]");
  if (title) document.title = t(title.getAttribute("data-i18n") ?? "");
  applyTranslations(document);
  for (const chooser of document.querySelectorAll(".languages button[lang]")) {
    chooser.setAttribute("aria-pressed", String(chooser.getAttribute("lang") === currentCode));
  }
  showCurrentLanguage();
  for (const fn of listeners) fn(currentCode);
}

/**
 * Switches to `code` (one of {@link LANGUAGES}) for this page and the rest of
 * the session. Unknown codes are ignored. Never throws: a file that does not
 * load leaves English in place.
 * @param {string} code
 */
export async function setLanguage(code) {
  const language = languageOf(code);
  if (!language) return;
  try {
    current = code === "en" ? english : await loadFile(code);
    currentCode = code;
  } catch {
    current = english;
    currentCode = "en";
  }
  try {
    sessionStorage.setItem(STORAGE, currentCode);
  } catch {
    /* storage may be off: the choice then lasts for this page */
  }
  render();
}

/** Forgets the session's choice (a kiosk calls it before the next passenger) and shows English. */
export async function resetLanguage() {
  try {
    sessionStorage.removeItem(STORAGE);
  } catch {
    /* nothing stored */
  }
  await setLanguage("en");
}

/**
 * Calls `fn(code)` after every language change (for texts drawn on canvas
 * or otherwise not marked). Returns a function that stops it.
 * @param {(code: string) => void} fn
 */
export function onLanguageChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** @returns {string} the language to start in */
function startingLanguage() {
  const fromUrl = new URLSearchParams(location.search).get("lang");
  if (fromUrl && languageOf(fromUrl)) return fromUrl;
  try {
    const stored = sessionStorage.getItem(STORAGE);
    if (stored && languageOf(stored)) return stored;
  } catch {
    /* storage may be off */
  }
  return matchLanguage(navigator.languages ?? [navigator.language]) ?? "en";
}

/**
 * Fills `container` with one button per language, each labelled in its own
 * language and marked with `lang`, the current one `aria-pressed="true"`.
 *
 * On a narrow screen (style.css, under 36rem) the list folds behind one
 * button that shows a globe (drawn, not an emoji) and the current language's name
 * (`aria-expanded`), so a phone shows the page's first step without
 * scrolling past ten buttons; choosing a language, or Escape, folds it again
 * and puts the focus back on that button. On a kiosk the list is always open
 * and the button is not shown.
 * @param {Element} container
 * @example
 * languageChooser(document.getElementById("language-chooser"));
 */
export function languageChooser(container) {
  const nav = document.createElement("nav");
  nav.className = "languages";
  nav.setAttribute("data-i18n-attr", "aria-label:common.language");
  nav.setAttribute("aria-label", t("common.language"));
  const list = document.createElement("ul");
  list.id = `${container.id || "languages"}-list`;
  const toggle = document.createElement("button");
  toggle.type = "button";
  toggle.className = "languages-toggle";
  toggle.setAttribute("aria-expanded", "false");
  toggle.setAttribute("aria-controls", list.id);
  const globe = globeIcon();
  const name = document.createElement("span");
  name.className = "languages-current";
  toggle.append(globe, name);
  const fold = (/** @type {boolean} */ open) => {
    const hadFocus = list.contains(document.activeElement);
    nav.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", String(open));
    if (open) list.querySelector("button[aria-pressed=true]")?.focus();
    else if (hadFocus && getComputedStyle(toggle).display !== "none") toggle.focus();
  };
  toggle.addEventListener("click", () => fold(!nav.classList.contains("open")));
  nav.addEventListener("keydown", (event) => {
    if (/** @type {KeyboardEvent} */ (event).key === "Escape" && nav.classList.contains("open")) fold(false);
  });
  for (const language of LANGUAGES) {
    const button = document.createElement("button");
    button.type = "button";
    button.lang = language.code;
    button.dir = language.dir;
    button.textContent = language.name;
    button.setAttribute("aria-pressed", String(language.code === currentCode));
    button.addEventListener("click", async () => {
      await setLanguage(language.code);
      if (nav.classList.contains("open")) fold(false);
    });
    const item = document.createElement("li");
    item.append(button);
    list.append(item);
  }
  nav.append(toggle, list);
  container.replaceChildren(nav);
  showCurrentLanguage();
}

/** A globe drawn in SVG (an emoji needs a font that kiosks may lack); hidden from screen readers. */
function globeIcon() {
  const NS = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(NS, "svg");
  for (const [k, v] of Object.entries({ viewBox: "0 0 24 24", width: "20", height: "20", "aria-hidden": "true", focusable: "false", fill: "none", stroke: "currentColor", "stroke-width": "1.8" })) svg.setAttribute(k, v);
  for (const d of ["M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18Z", "M3 12h18", "M12 3c2.5 2.6 3.8 5.6 3.8 9s-1.3 6.4-3.8 9c-2.5-2.6-3.8-5.6-3.8-9S9.5 5.6 12 3Z"]) {
    const path = document.createElementNS(NS, "path");
    path.setAttribute("d", d);
    svg.append(path);
  }
  return svg;
}

/** The chooser's fold button names the current language, in that language. */
function showCurrentLanguage() {
  const language = languageOf(currentCode);
  for (const name of document.querySelectorAll(".languages-current")) {
    if (!(name instanceof HTMLElement) || !language) continue;
    name.lang = language.code;
    name.dir = language.dir;
    name.textContent = language.name;
  }
}

let started = /** @type {Promise<void> | null} */ (null);

/**
 * Loads English and the starting language, translates the page and fills
 * `#language-chooser` when the page has one. Call once, first thing; later
 * calls return the same promise. Never rejects.
 */
export function initI18n() {
  if (started === null) {
    started = (async () => {
      try {
        english = await loadFile("en");
      } catch {
        english = {};
      }
      current = english;
      const chooser = document.getElementById("language-chooser");
      if (chooser) languageChooser(chooser);
      await setLanguage(startingLanguage());
    })();
  }
  return started;
}
