// One small driver layer over the three browser engines the package must run
// in: Chromium (Debian's, through playwright-core), Firefox (Debian's
// firefox-esr, WebDriver BiDi through puppeteer-core) and WebKit (WebKitGTK's
// MiniBrowser through Debian's WebKitWebDriver, a minimal W3C WebDriver client
// of our own, in a private Xvfb). Never downloads a browser.
//
// Example (a node:test file):
//
//   import { enginesToRun, launchEngine, skipReason } from "../engines/index.mjs";
//   for (const name of enginesToRun()) {
//     test(`the page works in ${name}`, { skip: skipReason(name) }, async () => {
//       const engine = await launchEngine(name);
//       try {
//         const page = await engine.newPage();
//         await page.goto(url);
//         assert.equal(await page.evaluate(() => 1 + 1), 2);
//       } finally {
//         await engine.close();
//       }
//     });
//   }
//
// Engine: { name, version, camera, newPage(), close() }; `camera` says what
// `fakeCameraY4m` gives the engine ("file": the Y4M frames, "pattern": the
// engine's own moving test pattern, "mock": WebKit's mock capture device).
// Page: { goto(url), evaluate(fnOrSource, arg), click(selector),
// fill(selector, text), press(key), waitFor(selector, { timeout, visible }),
// waitForFunction(fnOrSource, arg, { timeout }), text(selector),
// attr(selector, name), screenshot(path), setViewport(width, height),
// errors() (a promise of strings), close() }. `evaluate` takes a function (sync or async, called with
// `arg`) or a source string (an expression); the result travels as JSON.
// `text` is the first match's innerText, `attr` its attribute (null when
// absent); both throw when nothing matches. `errors()` lists uncaught page
// errors and console errors seen so far (WebKit: only those after `goto`
// returned, as classic WebDriver has no log events).

import { existsSync } from "node:fs";
import { withCommonPageMethods } from "./page-common.mjs";

/** Every engine this layer drives, in the order tests run them. */
export const ENGINES = Object.freeze(["chromium", "firefox", "webkit"]);

const BACKENDS = {
  chromium: () => import("./chromium.mjs"),
  firefox: () => import("./firefox.mjs"),
  webkit: () => import("./webkit.mjs"),
};

/** The executables each engine needs, overridable by environment variables. */
export const ENGINE_BINARIES = Object.freeze({
  chromium: () => ({ browser: process.env.CHROMIUM || "/usr/bin/chromium" }),
  firefox: () => ({ browser: process.env.FIREFOX || "/usr/bin/firefox-esr" }),
  webkit: () => ({
    driver: process.env.WEBKIT_WEBDRIVER || "/usr/bin/WebKitWebDriver",
    browser: process.env.WEBKIT_MINIBROWSER || "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
    xvfb: process.env.XVFB || "/usr/bin/Xvfb",
  }),
});

/**
 * The engines to run: all of ENGINES, or those listed in
 * SEALMATCH_ENGINES (comma-separated, e.g. "chromium,firefox"). An unknown
 * name throws.
 *
 * ```js
 * process.env.SEALMATCH_ENGINES = "webkit";
 * enginesToRun(); // ["webkit"]
 * ```
 */
export function enginesToRun() {
  const wanted = (process.env.SEALMATCH_ENGINES ?? "").split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (wanted.length === 0) return [...ENGINES];
  for (const name of wanted) {
    if (!ENGINES.includes(name)) throw new Error(`SEALMATCH_ENGINES names an unknown engine "${name}" (known: ${ENGINES.join(", ")})`);
  }
  return ENGINES.filter((name) => wanted.includes(name));
}

/**
 * Null when `name` can run on this machine, else why not (which binary is
 * missing and how scripts/setup.sh installs it).
 *
 * ```js
 * engineMissing("firefox"); // null, or "firefox: /usr/bin/firefox-esr is missing (...)"
 * ```
 */
export function engineMissing(name) {
  if (!ENGINES.includes(name)) return `${name}: not an engine this layer drives (${ENGINES.join(", ")})`;
  const packages = { chromium: "chromium", firefox: "firefox-esr", webkit: "webkit2gtk-driver and xvfb" };
  const absent = Object.values(ENGINE_BINARIES[name]()).filter((path) => !existsSync(path));
  if (absent.length === 0) return null;
  return `${name}: ${absent.join(" and ")} missing (scripts/setup.sh installs Debian's ${packages[name]})`;
}

/** Whether SEALMATCH_ENGINES_REQUIRED=1 asks for a failure instead of a skip. */
export function enginesRequired() {
  return process.env.SEALMATCH_ENGINES_REQUIRED === "1";
}

/**
 * For node:test's `skip` option: false when `name` runs here; the reason when
 * it cannot and SEALMATCH_ENGINES_REQUIRED is not 1; throws (so the suite fails
 * loudly) when it cannot and it is required.
 *
 * ```js
 * test("works in firefox", { skip: skipReason("firefox") }, async () => {});
 * ```
 */
export function skipReason(name) {
  const why = engineMissing(name);
  if (why === null) return false;
  if (enginesRequired()) throw new Error(`SEALMATCH_ENGINES_REQUIRED=1 but ${why}`);
  return `skipped, ${why}`;
}

/**
 * Starts engine `name` headless (WebKit in its own Xvfb). `fakeCameraY4m`
 * (a .y4m path) gives the engine a fake camera (see `engine.camera`);
 * `extraArgs` are added to the browser's command line (Chromium flags,
 * Firefox arguments, MiniBrowser options). Throws when the engine is missing.
 *
 * ```js
 * const engine = await launchEngine("webkit");
 * const page = await engine.newPage();
 * await page.goto("http://127.0.0.1:8080/");
 * await engine.close();
 * ```
 */
export async function launchEngine(name, { fakeCameraY4m, extraArgs = [] } = {}) {
  const why = engineMissing(name);
  if (why !== null) throw new Error(`cannot launch ${why}`);
  const backend = await BACKENDS[name]();
  const engine = await backend.launch({ binaries: ENGINE_BINARIES[name](), fakeCameraY4m, extraArgs });
  const newPage = engine.newPage;
  engine.newPage = async () => withCommonPageMethods(await newPage());
  return engine;
}
