// @ts-check
/**
 * Texts a page composes at run time (an error's text and code, a score, a
 * sentence with a bag tag in it) that must follow a later language change.
 * `data-i18n` covers one key with fixed parameters; these cover the rest:
 * the page gives a function that makes the text, and it is called again
 * whenever the language changes.
 *
 * @example
 * import { bindText, sayText, bindSlots } from "./live-text.js";
 * sayText($("key-status"), () => errorText(err), "error");  // a status box (ui.js `say`)
 * bindText($("gate-state"), () => t("boarding.gate_state_registered"));
 * // "Bag {bag} · flight {flight}" with the existing <span id="cap-bag"> and <span id="cap-flight"> kept
 * bindSlots($("capture-info"), "boarding.capture_info", { bag: $("cap-bag"), flight: $("cap-flight") });
 */

import { onLanguageChange, t } from "./i18n.js";
import { say } from "./ui.js";

/** @type {Map<Element, () => void>} what each node shows, drawn again on a language change */
const drawn = new Map();

onLanguageChange(() => {
  for (const [node, draw] of drawn) {
    if (node.isConnected) draw();
  }
});

/** @param {Element} node @param {(() => void) | null} draw */
function keep(node, draw) {
  if (drawn.size > 100) {
    for (const gone of [...drawn.keys()].filter((n) => !n.isConnected)) drawn.delete(gone);
  }
  node.removeAttribute("data-i18n");
  node.removeAttribute("data-i18n-params");
  if (draw) {
    drawn.set(node, draw);
    draw();
  } else {
    drawn.delete(node);
  }
}

/**
 * Sets `node`'s text to `render()`, now and after every language change;
 * `null` empties it for good.
 * @param {Element} node @param {(() => string) | null} render
 */
export function bindText(node, render) {
  if (!render) node.textContent = "";
  keep(node, render && (() => (node.textContent = render())));
}

/**
 * Shows a message in a status box (`role="status"` or `role="alert"`, see
 * ui.js `say`), kept in the current language; `null` hides the box.
 * @param {HTMLElement} box @param {(() => string) | null} render @param {"info" | "ok" | "error"} [kind]
 */
export function sayText(box, render, kind = "info") {
  if (!render) say(box, "");
  keep(box, render && (() => say(box, render(), kind)));
}

/**
 * Fills `node` with the text of `key`, putting the given elements (with
 * their ids and contents) where the text has `{name}`; other placeholders
 * come from `params`. Kept in the current language.
 * @param {Element} node @param {string} key
 * @param {Record<string, Element>} slots @param {Record<string, string | number>} [params]
 */
export function bindSlots(node, key, slots, params = {}) {
  keep(node, () => {
    const parts = t(key, params).split(/\{(\w+)\}/);
    node.replaceChildren(...parts.map((part, i) => (i % 2 === 1 && slots[part] ? slots[part] : i % 2 === 1 ? `{${part}}` : part)));
  });
}
