// Accessibility checks shared by the page tests: axe-core (npm `axe-core`,
// injected into the page under test) at the WCAG 2.0/2.1/2.2 A and AA levels,
// reflow at 320 CSS px, screenshots at 320 px and at 200 % zoom, and
// keyboard-only helpers. Nothing here clicks: a keyboard test must reach
// every control by Tab and use it by Enter or Space.

import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve("axe-core/axe.min.js");
const AXE_SOURCE = readFileSync(AXE_PATH, "utf8");
/** The axe-core version the checks ran with (for the notes). */
export const AXE_VERSION = JSON.parse(readFileSync(join(dirname(AXE_PATH), "package.json"), "utf8")).version;

/** The axe-core rule tags run: every WCAG 2.0, 2.1 and 2.2 level A and AA rule. */
export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** Where the accessibility screenshots go (git-ignored: check-in screens show LFW faces). */
export const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), "..", "screenshots", "a11y");

/**
 * Options for `browser.newContext()` in accessibility tests: the pages' CSP
 * forbids inline scripts, so axe-core can only be injected with CSP bypassed
 * (nothing else about the page changes).
 */
export const A11Y_CONTEXT = { bypassCSP: true };

/**
 * Runs axe-core on the page as it is now and returns its violations, each as
 * `{ id, impact, help, targets }`.
 * @param {import("playwright-core").Page} page
 */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) {
    await page.addScriptTag({ content: AXE_SOURCE });
  }
  const violations = await page.evaluate(
    async (tags) => (await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] })).violations,
    AXE_TAGS,
  );
  return violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(" ")).slice(0, 8),
  }));
}

/**
 * Fails when axe-core finds any WCAG 2.2 A/AA violation. `state` names the
 * page state for the message (e.g. "bagdrop consent, ar").
 * @param {import("playwright-core").Page} page @param {string} state
 */
export async function assertNoAxeViolations(page, state) {
  const violations = await axeViolations(page);
  assert.deepEqual(
    violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.targets.join(", ")}`),
    [],
    `axe-core ${AXE_VERSION} found WCAG A/AA violations in ${state}`,
  );
}

/**
 * Fails when the page scrolls sideways (WCAG 1.4.10 reflow), at the current
 * viewport (call it at 320 CSS px wide). Wide content meant to scroll in its
 * own box (a table) may be listed in `allow` as selectors.
 * @param {import("playwright-core").Page} page @param {string} state
 */
export async function assertReflows(page, state) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `${state}: the page scrolls sideways by ${overflow} px at ${page.viewportSize()?.width} px wide`);
}

/**
 * Screenshots of the page in its current state at 320 CSS px wide (a small
 * phone, or 1280 px at 400 % zoom) and at 200 % zoom of a 1280×900 window
 * (640×450 CSS px at device scale 2), into `SCREENSHOTS/<name>-320.png` and
 * `-zoom200.png`. Checks reflow at 320 px. Restores the viewport.
 * @param {import("playwright-core").Page} page @param {string} name
 */
export async function screenshotsAtSmallSizes(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const before = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 640 });
  await assertReflows(page, name);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-320.png`), fullPage: true });
  if (before) await page.setViewportSize(before);
}

/**
 * Opens a context that renders at 200 % zoom: a 1280×900 window seen as
 * 640×450 CSS px at device scale 2. Use for the 200 % screenshots.
 * @param {import("playwright-core").Browser} browser
 */
export function zoomedContext(browser) {
  return browser.newContext({ ...A11Y_CONTEXT, viewport: { width: 640, height: 450 }, deviceScaleFactor: 2 });
}

/**
 * Presses Tab until the focused element matches `selector` (at most `limit`
 * times), and returns how many presses it took. Fails when it never gets
 * there: that control is not reachable by keyboard.
 * @param {import("playwright-core").Page} page @param {string} selector
 */
export async function tabTo(page, selector, limit = 60) {
  for (let i = 1; i <= limit; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return i;
  }
  assert.fail(`${selector} is not reachable with Tab in ${limit} presses`);
}

/**
 * The focused element has a visible focus indicator: an outline or a box
 * shadow that differs from the unfocused look.
 * @param {import("playwright-core").Page} page
 */
export async function assertVisibleFocus(page) {
  const style = await page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    return { outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2, shadow: s.boxShadow !== "none", tag: el.tagName, id: el.id };
  });
  assert.ok(style, "something has the focus");
  assert.ok(style.outline || style.shadow, `the focused ${style.tag}#${style.id} shows no focus indicator`);
}
