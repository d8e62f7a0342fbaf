// What the engines share: the Page methods built on the backend's `evaluate`
// so that they read the same in all three (text, attr, waitForFunction), and
// the error collection of the two library-driven backends (Chromium, Firefox).

/**
 * Adds `text`, `attr` and `waitForFunction` to a backend page (which has
 * goto, evaluate, click, fill, press, waitFor, screenshot, setViewport,
 * errors and close). Returns the same object.
 *
 * ```js
 * const page = withCommonPageMethods(await backend.newPage());
 * await page.text("h1"); // "Bag drop"
 * ```
 */
export function withCommonPageMethods(page) {
  page.text = async (selector) => {
    const got = await page.evaluate((s) => {
      const el = document.querySelector(s);
      return el ? { text: el.innerText } : null;
    }, selector);
    if (got === null) throw new Error(`text: nothing matches ${selector}`);
    return got.text;
  };
  page.attr = async (selector, name) => {
    const got = await page.evaluate(
      ({ s, n }) => {
        const el = document.querySelector(s);
        return el ? { value: el.getAttribute(n) } : null;
      },
      { s: selector, n: name },
    );
    if (got === null) throw new Error(`attr: nothing matches ${selector}`);
    return got.value;
  };
  page.waitForFunction = async (fnOrSource, arg, { timeout = 30_000, interval = 100 } = {}) => {
    const deadline = Date.now() + timeout;
    for (;;) {
      const value = await page.evaluate(fnOrSource, arg);
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`waitForFunction: still false after ${timeout} ms: ${String(fnOrSource).slice(0, 120)}`);
      await new Promise((resolve) => setTimeout(resolve, interval));
    }
  };
  return page;
}

/**
 * A key name as Playwright and Puppeteer spell it ("Enter", "Tab", "a") to
 * the WebDriver key code point WebKit's driver takes.
 *
 * ```js
 * webdriverKey("Enter"); // "\uE007"
 * ```
 */
export function webdriverKey(key) {
  const codes = {
    Backspace: "\uE003",
    Tab: "\uE004",
    Enter: "\uE007",
    Shift: "\uE008",
    Control: "\uE009",
    Alt: "\uE00A",
    Escape: "\uE00C",
    " ": "\uE00D",
    Space: "\uE00D",
    PageUp: "\uE00E",
    PageDown: "\uE00F",
    End: "\uE010",
    Home: "\uE011",
    ArrowLeft: "\uE012",
    ArrowUp: "\uE013",
    ArrowRight: "\uE014",
    ArrowDown: "\uE015",
    Delete: "\uE017",
  };
  if (key in codes) return codes[key];
  if ([...key].length === 1) return key;
  throw new Error(`press: unknown key "${key}"`);
}

/**
 * Collects a Playwright or Puppeteer page's uncaught errors and console
 * errors (both libraries emit `pageerror` and `console` alike); returns the
 * live list, which the backend's `errors()` copies.
 *
 * ```js
 * const errors = collectErrors(page);
 * ```
 * @param {{ on: (event: string, fn: (x: any) => void) => unknown }} page
 * @returns {string[]}
 */
export function collectErrors(page) {
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  return errors;
}
