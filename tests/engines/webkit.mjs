// WebKit backend: WebKitGTK's MiniBrowser driven by Debian's WebKitWebDriver
// over plain W3C WebDriver (a minimal client over fetch, below), in an Xvfb
// of its own (MiniBrowser has no headless mode).

import { writeFile } from "node:fs/promises";
import { webdriverKey } from "./page-common.mjs";
import { freePort, spawnGroup, startXvfb, stopGroup } from "./processes.mjs";

/**
 * A minimal W3C WebDriver client: `call(method, path, body, { timeout })`
 * returns the response's `value`, or throws `"<error>: <message>"` (also when
 * no answer comes within `timeout` ms, 15 min by default).
 *
 * ```js
 * const wd = webdriverClient("http://127.0.0.1:4444");
 * await wd.call("GET", "/status");
 * ```
 */
export function webdriverClient(base) {
  return {
    async call(method, path, body, { timeout = 900_000 } = {}) {
      const res = await fetch(base + path, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        // never wait forever: a browser that died at start leaves the driver hanging
        signal: AbortSignal.timeout(timeout),
      });
      const text = await res.text();
      let json;
      try {
        json = JSON.parse(text);
      } catch {
        throw new Error(`WebDriver ${method} ${path}: HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`);
      }
      const value = json?.value;
      if (!res.ok || (value && typeof value === "object" && typeof value.error === "string")) {
        throw new Error(`WebDriver ${method} ${path}: ${value?.error ?? res.status}: ${value?.message ?? text.slice(0, 200)}`);
      }
      return value;
    },
  };
}

async function waitForDriver(wd, driver, stderr) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (driver.exitCode !== null) throw new Error(`WebKitWebDriver exited (${driver.exitCode}): ${stderr().slice(-500)}`);
    try {
      const status = await wd.call("GET", "/status");
      if (status?.ready !== false) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`WebKitWebDriver did not answer within 30 s: ${stderr().slice(-500)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Launches MiniBrowser through WebKitWebDriver in a private Xvfb.
 * `fakeCameraY4m` turns on WebKit's mock capture device (WebKitGTK cannot
 * play a Y4M file as a camera).
 *
 * ```js
 * const engine = await launch({ binaries: { driver, browser, xvfb }, extraArgs: [] });
 * ```
 */
export async function launch({ binaries, fakeCameraY4m, extraArgs }) {
  const xvfb = await startXvfb(binaries.xvfb);
  let driver;
  try {
    const port = await freePort();
    driver = spawnGroup(binaries.driver, [`--port=${port}`], {
      env: { ...process.env, DISPLAY: xvfb.display, WAYLAND_DISPLAY: "" },
    });
    let stderr = "";
    driver.stderr.on("data", (d) => (stderr = (stderr + d).slice(-4000)));
    const wd = webdriverClient(`http://127.0.0.1:${port}`);
    await waitForDriver(wd, driver, () => stderr);
    const camera = fakeCameraY4m ? ["--enable-media-stream=true", "--enable-mock-capture-devices=true"] : [];
    const created = await wd.call("POST", "/session", {
      capabilities: {
        alwaysMatch: {
          "webkitgtk:browserOptions": { binary: binaries.browser, args: ["--automation", ...camera, ...extraArgs] },
        },
      },
    }, { timeout: 120_000 }); // MiniBrowser that exits at once: fail in 2 min instead of hanging
    const session = new Session(wd, created.sessionId);
    await session.call("POST", "/timeouts", { script: 600_000, pageLoad: 120_000, implicit: 0 });
    const firstWindow = await session.call("GET", "/window");
    let firstFree = true;
    const stopped = { done: false };
    return {
      name: "webkit",
      version: `${created.capabilities?.browserName ?? "MiniBrowser"} ${created.capabilities?.browserVersion ?? "?"}`,
      camera: fakeCameraY4m ? "mock" : null,
      newPage: async () => {
        let handle;
        if (firstFree) {
          firstFree = false;
          handle = firstWindow;
        } else {
          handle = (await session.call("POST", "/window/new", { type: "tab" })).handle;
        }
        const page = new WebKitPage(session, handle);
        // Playwright's default viewport, so that pages lay out alike in every engine.
        await page.setViewport(1280, 720);
        return page;
      },
      close: async () => {
        if (stopped.done) return;
        stopped.done = true;
        try {
          await Promise.race([session.call("DELETE", ""), new Promise((resolve) => setTimeout(resolve, 10_000))]);
        } catch {
          // The browser may already be gone; the process groups end below.
        }
        await stopGroup(driver);
        await stopGroup(xvfb.child);
      },
    };
  } catch (e) {
    if (driver) await stopGroup(driver);
    await stopGroup(xvfb.child);
    throw e;
  }
}

/** One WebDriver session: its calls, and which window they go to. */
class Session {
  constructor(wd, id) {
    this.wd = wd;
    this.id = id;
    this.current = null;
  }

  call(method, path, body) {
    return this.wd.call(method, `/session/${this.id}${path}`, body);
  }

  async use(handle) {
    if (this.current === handle) return;
    await this.call("POST", "/window", { handle });
    this.current = handle;
  }
}

// Installed after each navigation: collects uncaught errors and console.error.
const ERROR_HOOK = `
  if (!window.__engineErrors) {
    window.__engineErrors = [];
    addEventListener("error", (e) => window.__engineErrors.push(String(e.message)));
    addEventListener("unhandledrejection", (e) => window.__engineErrors.push(String(e.reason)));
    const original = console.error;
    console.error = (...a) => { window.__engineErrors.push(a.map(String).join(" ")); original.apply(console, a); };
  }`;

class WebKitPage {
  constructor(session, handle) {
    this.session = session;
    this.handle = handle;
  }

  async call(method, path, body) {
    await this.session.use(this.handle);
    return this.session.call(method, path, body);
  }

  async goto(url) {
    await this.call("POST", "/url", { url });
    await this.call("POST", "/execute/sync", { script: ERROR_HOOK, args: [] });
  }

  async evaluate(fnOrSource, arg) {
    const body =
      typeof fnOrSource === "function" ? `(${fnOrSource.toString()})(arguments[0])` : `(${fnOrSource})`;
    const script = `
      const done = arguments[arguments.length - 1];
      Promise.resolve().then(() => ${body}).then(
        (v) => { try { done(v === undefined ? { undefined: true } : { json: JSON.stringify(v) }); } catch (e) { done({ thrown: "result is not JSON: " + e }); } },
        (e) => done({ thrown: String(e && e.stack ? e + "\\n" + e.stack : e) }),
      );`;
    const out = await this.call("POST", "/execute/async", { script, args: [arg === undefined ? null : arg] });
    if (typeof out?.thrown === "string") throw new Error(`evaluate: ${out.thrown}`);
    return out?.undefined === true ? undefined : JSON.parse(out.json);
  }

  async element(selector) {
    const found = await this.call("POST", "/element", { using: "css selector", value: selector });
    return Object.values(found)[0];
  }

  async click(selector) {
    await this.call("POST", `/element/${await this.element(selector)}/click`, {});
  }

  async fill(selector, text) {
    const id = await this.element(selector);
    await this.call("POST", `/element/${id}/clear`, {});
    await this.call("POST", `/element/${id}/value`, { text });
  }

  async press(key) {
    const value = webdriverKey(key);
    await this.call("POST", "/actions", {
      actions: [{ type: "key", id: "keyboard", actions: [{ type: "keyDown", value }, { type: "keyUp", value }] }],
    });
  }

  async waitFor(selector, { timeout = 30_000, visible = false } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const ok = await this.evaluate(
        ({ s, v }) => {
          const el = document.querySelector(s);
          if (!el) return false;
          if (!v) return true;
          const r = el.getBoundingClientRect();
          return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden";
        },
        { s: selector, v: visible },
      );
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`waitFor: ${selector} not ${visible ? "visible" : "present"} after ${timeout} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async screenshot(path) {
    await writeFile(path, Buffer.from(await this.call("GET", "/screenshot"), "base64"));
  }

  async setViewport(width, height) {
    const inner = await this.evaluate(() => ({ w: window.innerWidth, h: window.innerHeight }));
    const rect = await this.call("GET", "/window/rect");
    await this.call("POST", "/window/rect", { width: width + rect.width - inner.w, height: height + rect.height - inner.h });
  }

  async errors() {
    return (await this.evaluate(() => window.__engineErrors ?? [])) ?? [];
  }

  async close() {
    const handles = await this.session.call("GET", "/window/handles");
    if (handles.length <= 1) {
      await this.call("POST", "/url", { url: "about:blank" });
      return;
    }
    await this.call("DELETE", "/window");
    this.session.current = null;
  }
}
