// End-to-end test of web check-in with the face (issue 12): the real server
// (temp SQLite file, signed boarding results required), the real pages and
// package, Debian's Chromium driven by playwright-core, and Chromium's fake
// camera fed from .y4m files made here, at test time, from the face photos in
// ../shared/data/faces (nothing derived from them is kept: the videos live in
// a temp folder, the screenshots in tests/e2e/screenshots/, which git ignores).
// One browser per camera feed: Chromium takes one fake-camera file per launch.
//
//   guidance  the live guide says no_face, several_faces and too_small
//   B         phone-only check-in (nothing sent), the kiosk reads the combined
//             QR code from its camera, the face matches, one bag is sealed; B
//             boards from the same QR code
//   A         check-in with the token on the server; a wrong kiosk key gets
//             nothing; C shows A's QR code with C's face at bag drop (refused,
//             counted); A drops two bags with another photo; the check-in
//             token is gone; A boards bag 1
//   C         with B's phone-only QR code and C's face at bag drop: refused
//             three times (counted by the kiosk, nothing sent), then staff;
//             with A's QR code and C's face at the gate for A's bag 2:
//             refused three times, then staff (manual check), token deleted
//   privacy   every request body is a token, a booking reference, bag tag,
//             flight or result; the database and log hold no key or image
//
// The B and guidance parts need only the bag endpoints; A and C need the
// check-in endpoints (/api/checkins, server/). Skipped, saying so, when the
// photos are absent. The time from "Take my photo" to "checked in" is printed.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { chromium } from "playwright-core";
import jsQR from "jsqr";

import { startServer } from "./lib/server.mjs";
import { checkDatabase, scanFiles, distinctiveWindows, jweHeader } from "./lib/privacy.mjs";
import { writeY4m, qrImage, rgbToI420 } from "./lib/fakecam.mjs";
import { facesAvailable, FACES_DIR, photo, cameraFrame } from "./lib/faces.mjs";
import { packPass } from "../../www/js/passqr.js";
const FACE_FEEDBACK_TEXT = Object.fromEntries(Object.entries(JSON.parse(readFileSync(new URL("../../www/i18n/en.json", import.meta.url), "utf8")).lib).filter(([k]) => k.startsWith("face.")).map(([k, v]) => [k.slice(5), v]));
import { CHROMIUM_ARGS } from "../chromium-args.mjs";
import { HERE, ROOT, CHROMIUM, SERVER_BIN, PKG, requireBuilt, JSQR_DIR } from "./lib/paths.mjs";
import { openPage, reloadPage } from "./lib/pages.mjs";

const SHOTS = join(HERE, "screenshots");
const STEP = 180_000;

const FLIGHT = "SK2207";
const REF = { A: "K7Q2ZX", B: "P4M8RT" };
const BAG = { A1: "0117200001", A2: "0117200002", B1: "0117200003" };
/** [person, photo at check-in, photo at bag drop, photo at the gate]: pairs that match at the default threshold */
const PERSON = { A: ["Dick_Cheney", 1, 3, 4], B: ["Carlos_Moya", 2, 3, 4], C: ["Winona_Ryder", 2] };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const KIOSK = { viewport: { width: 1100, height: 900 } };
const KEY_SHAPE = /^smk1_[A-Za-z0-9_-]{48}$/;

const skip = facesAvailable() ? false : `the face photos are absent (${FACES_DIR}/dev): the web check-in journey needs them`;
if (skip) console.log(`# checkin.test.mjs skipped: ${skip}`);

test("web check-in with the face: phone, bag drop kiosk and gate in Chromium with a fake camera", { skip, timeout: 1_800_000 }, async (t) => {
  requireBuilt("chromium", "server", "package", "faceWeights");
  const work = mkdtempSync(join(tmpdir(), "sealmatch-checkin-"));
  mkdirSync(SHOTS, { recursive: true });

  const kioskKey = randomBytes(24).toString("hex");
  const adminKey = randomBytes(24).toString("hex");
  const db = join(work, "sealmatch.db");
  const log = join(work, "server.log");
  const server = await startServer({ bin: SERVER_BIN, db, kioskKey, adminKey, gateSigning: "required", www: join(ROOT, "www"), pkg: PKG, log, mounts: { "/vendor": JSQR_DIR } });
  const api = (/** @type {string} */ method, /** @type {string} */ path, /** @type {string} */ key = kioskKey, /** @type {any} */ body = undefined) =>
    fetch(server.url + path, { method, headers: { Authorization: `Bearer ${key}`, ...(body ? { "Content-Type": typeof body === "string" ? "text/plain" : "application/json" } : {}) }, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) });

  /** every request any page sent: { page, method, url, body } */
  const requests = [];
  /** uncaught page errors (console errors of refused requests are expected and not kept) */
  const pageErrors = [];
  /** @type {import("playwright-core").Browser[]} */
  const browsers = [];
  /** the registered gate devices, for the database check */
  const gates = [];
  const keys = { A: "", B: "" };
  let passB = "";

  /** A camera video in the temp folder. @param {string} name @param {Array<{ image: any, frames: number }>} segments */
  const video = (name, segments) => {
    const path = join(work, `${name}.y4m`);
    writeY4m(path, segments, 2);
    return path;
  };
  const face = (/** @type {string} */ person, /** @type {number} */ n, scale = 3) => cameraFrame([photo(person, n)], scale);

  /**
   * A browser whose camera shows `feed`, and a page in it.
   * @param {string} name @param {string} feed .y4m @param {object} device PHONE or KIOSK
   */
  async function open(name, feed, device) {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [...CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${feed}`],
    });
    browsers.push(browser);
    const context = await browser.newContext(device);
    context.on("request", (r) => requests.push({ page: name, method: r.method(), url: r.url(), body: r.postData() }));
    const page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(`${name}: ${e}`));
    page.setDefaultTimeout(STEP);
    return { browser, page };
  }
  const close = async (/** @type {import("playwright-core").Browser} */ b) => {
    browsers.splice(browsers.indexOf(b), 1);
    await b.close();
  };

  /** Screenshots on a phone and a kiosk viewport, once the busy indicator is gone. */
  async function shot(/** @type {import("playwright-core").Page} */ page, /** @type {string} */ name) {
    await page.waitForSelector("#busy", { state: "hidden" }).catch(() => {});
    const size = page.viewportSize();
    for (const [suffix, viewport] of [["phone", PHONE.viewport], ["kiosk", KIOSK.viewport]]) {
      await page.setViewportSize(viewport);
      await page.screenshot({ path: join(SHOTS, `${name}-${suffix}.png`), fullPage: true });
    }
    if (size) await page.setViewportSize(size);
  }
  const visible = (/** @type {any} */ page, /** @type {string} */ step) => page.waitForSelector(`#${step}:not([hidden])`);

  /** Booking and consent on the check-in page, up to the live camera. */
  async function startCheckin(/** @type {import("playwright-core").Page} */ page, /** @type {string} */ ref, shots = false) {
    await openPage(page, `${server.url}/checkin.html#key=${kioskKey}`);
    await page.fill("#booking-ref", ref);
    await page.fill("#flight", FLIGHT);
    if (shots) await shot(page, "checkin-booking");
    await page.click("#booking-next");
    await visible(page, "step-consent");
    if (shots) {
      await shot(page, "checkin-consent");
      await page.click("#consent-no");
      await visible(page, "step-manual");
      await shot(page, "checkin-manual");
      await page.click("#manual-back");
    }
    await page.click("#consent-yes");
    await visible(page, "step-camera");
  }

  /** Takes the photos and stores the token as chosen; returns the ms from "Take my photo" to "checked in". */
  async function finishCheckin(/** @type {import("playwright-core").Page} */ page, /** @type {"server" | "phone"} */ where) {
    await page.waitForSelector("#take-photo:not([disabled])");
    await page.waitForSelector('#face-cam[data-feedback="good"]');
    const started = Date.now();
    await page.click("#take-photo");
    await visible(page, "step-storage");
    const choosing = Date.now();
    if (where === "phone") await shot(page, "checkin-storage");
    const shooting = Date.now() - choosing;
    await page.click(where === "server" ? "#store-server" : "#store-phone");
    await page.waitForSelector("#step-done:not([hidden]), #storage-status:not([hidden])");
    const refused = await page.isVisible("#storage-status");
    assert.ok(!refused, `storing the check-in failed: ${await page.textContent("#storage-status")} (does the server have /api/checkins?)`);
    return Date.now() - started - shooting;
  }

  /** Reads a canvas's QR code with jsQR. */
  async function readCanvasQr(/** @type {import("playwright-core").Page} */ page, /** @type {string} */ selector) {
    const img = await page.evaluate((sel) => {
      const c = /** @type {HTMLCanvasElement} */ (document.querySelector(sel));
      const d = /** @type {CanvasRenderingContext2D} */ (c.getContext("2d")).getImageData(0, 0, c.width, c.height);
      return { width: d.width, height: d.height, data: Array.from(d.data) };
    }, selector);
    return jsQR(Uint8ClampedArray.from(img.data), img.width, img.height)?.data ?? null;
  }

  /** Registers the boarding page's gate device with the admin key. */
  async function registerGate(/** @type {import("playwright-core").Page} */ page) {
    await openPage(page, `${server.url}/boarding.html#key=${kioskKey}`);
    await page.waitForFunction(() => document.body.dataset.gate === "unregistered");
    await page.evaluate(() => /** @type {HTMLDetailsElement} */ (document.getElementById("gate-device")).open = true);
    await page.fill("#admin-key", adminKey);
    await page.click("#gate-register-button");
    await page.waitForFunction(() => document.body.dataset.gate === "registered");
    const kid = (await page.textContent("#gate-kid")) ?? "";
    const entry = (await page.textContent("#gate-entry")) ?? "";
    gates.push({ kid, publicKey: entry.slice(kid.length + 1) });
  }

  /** At the gate: the key from the QR code on the camera, the bag, then the face camera. */
  async function gateWithFace(/** @type {import("playwright-core").Page} */ page, /** @type {string} */ expectKey, /** @type {string} */ bag) {
    await page.click("#scan-qr");
    await page.waitForFunction(() => /** @type {HTMLInputElement} */ (document.getElementById("passenger-key")).value.startsWith("smk1_"));
    assert.equal(await page.inputValue("#passenger-key"), expectKey, "the gate read the key from the QR code");
    await page.fill("#bag-tag", bag);
    await page.click("#fetch-token");
    await visible(page, "step-capture");
    await page.click("#mode-face");
    await page.waitForSelector("#verify:not([disabled])");
  }

  /** Clicks Check and waits for the outcome: "boarded", "no_match" or "manual". */
  async function check(/** @type {import("playwright-core").Page} */ page) {
    const before = await page.textContent("#capture-status");
    await page.click("#verify");
    const handle = await page.waitForFunction((prev) => {
      const step = document.body.dataset.step;
      if (step === "step-boarded") return "boarded";
      if (step === "step-manual") return "manual";
      const s = document.getElementById("capture-status")?.textContent ?? "";
      return s !== prev && /Not a match/.test(s) ? "no_match" : false;
    }, before);
    return handle.jsonValue();
  }

  /** At the bag drop kiosk: the check-in QR code on the camera, up to the live face step. */
  async function bagdropPass(/** @type {import("playwright-core").Page} */ page, /** @type {string | null} */ typedRef) {
    await openPage(page, `${server.url}/bagdrop.html#key=${kioskKey}`);
    await page.click("#to-face");
    if (typedRef) {
      await page.fill("#face-ref", typedRef);
      // the page goes on by itself when the reference was typed before the QR code was read; else Next
      await page.waitForFunction(() => document.body.dataset.step === "step-face-live" || /** @type {HTMLInputElement} */ (document.getElementById("face-key")).value !== "");
      await page.waitForSelector("#step-face-live:not([hidden])", { timeout: 5_000 }).catch(() => page.click("#face-pass-next"));
    }
    await visible(page, "step-face-live");
  }

  /** Drops bags after a match; returns once the done screen shows. */
  async function dropBags(/** @type {import("playwright-core").Page} */ page, /** @type {string[]} */ bags, /** @type {string | null} */ shots) {
    await visible(page, "step-face-bags");
    if (shots) await shot(page, `${shots}-bags`);
    for (const bag of bags) {
      await page.fill("#face-bag-tag", bag);
      await page.click("#face-bag-add");
      await page.waitForFunction((b) => (document.getElementById("face-bags-list")?.textContent ?? "").includes(b), bag);
    }
    await page.click("#face-finish");
    await visible(page, "step-face-done");
    if (shots) await shot(page, `${shots}-done`);
  }

  try {
    await t.test("the live guide: no face, two faces, a face too small", async () => {
      const cases = [
        ["no_face", cameraFrame([])],
        ["several_faces", cameraFrame([photo(PERSON.A[0], 1), photo(PERSON.B[0], 2)], 1.8)],
        ["too_small", face(PERSON.B[0], 2, 0.85)],
      ];
      for (const [code, frame] of cases) {
        const { browser, page } = await open(`guide-${code}`, video(`guide-${code}`, [{ image: frame, frames: 1 }]), PHONE);
        await startCheckin(page, REF.B, code === "no_face");
        await page.waitForSelector(`#face-cam[data-feedback~="${code}"]`);
        assert.equal(await page.textContent("[data-role=face-guide]"), FACE_FEEDBACK_TEXT[code]);
        // the frame is not taken: after a while still no photo
        await page.click("#take-photo");
        await page.waitForFunction(() => Number(document.getElementById("face-cam")?.dataset.frames) >= 3);
        assert.equal(await page.getAttribute("#face-cam", "data-taken"), "0", `a ${code} frame is not taken`);
        await shot(page, `checkin-camera-${code.replace("_", "-")}`);
        await close(browser);
      }
    });

    await t.test("B: phone-only check-in, the kiosk reads the combined QR code, bag drop and boarding", async () => {
      const [who, atCheckin, atKiosk, atGate] = PERSON.B;
      const phone = await open("phone-B", video("phone-B", [{ image: face(who, atCheckin), frames: 1 }]), PHONE);
      const sentBefore = requests.filter((r) => r.url.includes("/api/")).length;
      await startCheckin(phone.page, REF.B);
      await phone.page.waitForSelector('#face-cam[data-feedback="good"]');
      await shot(phone.page, "checkin-camera-good");
      const ms = await finishCheckin(phone.page, "phone");
      console.log(`# B phone-only: "Take my photo" to "checked in" ${ms} ms`);
      assert.equal(requests.filter((r) => r.url.includes("/api/")).length, sentBefore, "phone-only check-in sends nothing");
      const saved = JSON.parse((await phone.page.evaluate(() => localStorage.getItem("sealmatch.checkins"))) ?? "{}")[REF.B];
      assert.ok(saved, "token and key are kept in this site's localStorage");
      assert.match(saved.passengerKey, KEY_SHAPE);
      assert.equal(jweHeader(saved.token).bag, REF.B);
      keys.B = saved.passengerKey;
      passB = packPass(saved.token, saved.passengerKey);
      assert.equal(await readCanvasQr(phone.page, "#pass-qr"), passB, "the QR code on screen carries token and key");
      const version = Number(await phone.page.getAttribute("#pass-qr", "data-version"));
      console.log(`# B phone-only QR code: ${passB.length} characters (${Buffer.byteLength(passB)} bytes), version ${version}-M`);
      assert.ok(version <= 27, `version ${version}`);
      await shot(phone.page, "checkin-done-phone");
      // the page lists it after a reload, and shows it again
      await reloadPage(phone.page);
      await phone.page.click(`[data-ref="${REF.B}"]`);
      await visible(phone.page, "step-done");
      await close(phone.browser);

      // the kiosk reads the phone's QR code from its camera (3 px a module, as a phone screen held up), then sees B
      const kiosk = await open("kiosk-B", video("kiosk-B", [{ image: qrImage(passB, { moduleSize: 3 }), frames: 6 }, { image: face(who, atKiosk), frames: 24 }]), KIOSK);
      await openPage(kiosk.page, `${server.url}/bagdrop.html#key=${kioskKey}`);
      await kiosk.page.click("#to-face");
      await shot(kiosk.page, "bagdrop-face-pass");
      await visible(kiosk.page, "step-face-live");
      assert.equal(await kiosk.page.textContent("#face-live-ref"), REF.B);
      await kiosk.page.waitForSelector("#kiosk-cam[data-feedback]");
      await shot(kiosk.page, "bagdrop-face-live");
      await dropBags(kiosk.page, [BAG.B1], "bagdrop-face");
      assert.match((await kiosk.page.textContent("#face-done-checkin")) ?? "", /stays on your phone/);
      assert.equal(requests.filter((r) => r.url.includes("/api/checkins")).length, 0, "a phone-only check-in never reaches the server");
      const stored = await api("GET", `/api/bags/${BAG.B1}/token`);
      assert.equal(stored.status, 200);
      assert.deepEqual([jweHeader(await stored.text()).bag, jweHeader(saved.token).flt], [BAG.B1, FLIGHT]);
      await close(kiosk.browser);

      const gate = await open("gate-B", video("gate-B", [{ image: qrImage(passB, { moduleSize: 3 }), frames: 6 }, { image: face(who, atGate), frames: 24 }]), KIOSK);
      await registerGate(gate.page);
      await gateWithFace(gate.page, keys.B, BAG.B1);
      await shot(gate.page, "boarding-face");
      assert.equal(await check(gate.page), "boarded");
      assert.match((await gate.page.textContent("#boarded-how")) ?? "", /face matched.*signed by this gate/);
      await close(gate.browser);
      const report = requests.find((r) => r.method === "POST" && r.url.endsWith(`/api/bags/${BAG.B1}/boarding`));
      assert.equal(JSON.parse(report?.body ?? "{}").proof?.kid, gates.at(-1)?.kid, "the match is reported signed");
    });

    await t.test("A: token on the server, C refused at bag drop, two bags, boarding", async () => {
      const [who, atCheckin, atKiosk, atGate] = PERSON.A;
      const phone = await open("phone-A", video("phone-A", [{ image: face(who, atCheckin), frames: 1 }]), PHONE);
      await startCheckin(phone.page, REF.A);
      const ms = await finishCheckin(phone.page, "server");
      console.log(`# A server storage: "Take my photo" to "checked in" ${ms} ms (page: ${await phone.page.evaluate(() => document.body.dataset.checkinMs)} ms)`);
      keys.A = ((await phone.page.textContent("#passenger-key")) ?? "").trim();
      assert.match(keys.A, KEY_SHAPE);
      assert.equal(await readCanvasQr(phone.page, "#pass-qr"), keys.A, "the QR code is the key alone");
      await shot(phone.page, "checkin-done-server");
      await close(phone.browser);
      const put = requests.filter((r) => r.method === "PUT" && r.url.endsWith(`/api/checkins/${REF.A}/token`));
      assert.equal(put.length, 1);
      assert.deepEqual([jweHeader(put[0].body).bag, jweHeader(put[0].body).flt], [REF.A, FLIGHT]);

      // a wrong kiosk key gets nothing
      const wrong = randomBytes(24).toString("hex");
      assert.equal((await api("GET", `/api/checkins/${REF.A}/token`, wrong)).status, 401);
      assert.equal((await api("POST", `/api/checkins/${REF.A}/bagdrop`, wrong, { matched: true })).status, 401);
      assert.equal((await api("PUT", `/api/checkins/${REF.A}/token`, wrong, put[0].body)).status, 401);
      assert.equal((await api("GET", `/api/checkins/${REF.A}/token`)).status, 200, "still stored");

      // C holds up A's QR code at bag drop: refused, counted, the kiosk offers another try
      const c = await open("kiosk-C", video("kiosk-C", [{ image: qrImage(keys.A), frames: 6 }, { image: face(PERSON.C[0], PERSON.C[1]), frames: 24 }]), KIOSK);
      await bagdropPass(c.page, REF.A);
      await c.page.waitForSelector("#face-retry:not([hidden])");
      assert.match((await c.page.textContent("#face-live-status")) ?? "", /Not a match/);
      await shot(c.page, "bagdrop-face-no-match");
      const miss = requests.filter((r) => r.page === "kiosk-C" && r.url.endsWith(`/api/checkins/${REF.A}/bagdrop`));
      assert.deepEqual(miss.map((r) => JSON.parse(r.body ?? "{}")), [{ matched: false }]);
      await c.page.click("#face-cancel");
      await close(c.browser);

      const kiosk = await open("kiosk-A", video("kiosk-A", [{ image: qrImage(keys.A), frames: 6 }, { image: face(who, atKiosk), frames: 24 }]), KIOSK);
      await bagdropPass(kiosk.page, REF.A);
      await dropBags(kiosk.page, [BAG.A1, BAG.A2], null);
      await close(kiosk.browser);
      const sent = requests.filter((r) => r.page === "kiosk-A" && r.body);
      assert.deepEqual(sent.map((r) => `${r.method} ${new URL(r.url).pathname}`), [
        `PUT /api/bags/${BAG.A1}/token`,
        `PUT /api/bags/${BAG.A2}/token`,
        `POST /api/checkins/${REF.A}/bagdrop`,
      ], "the bag tokens are stored before the check-in is reported matched");
      assert.deepEqual(JSON.parse(sent[2].body ?? "{}"), { matched: true });
      assert.equal((await api("GET", `/api/checkins/${REF.A}/token`)).status, 404, "the check-in token is deleted at bag drop");
      for (const bag of [BAG.A1, BAG.A2]) assert.equal((await api("GET", `/api/bags/${bag}/token`)).status, 200);

      const gate = await open("gate-A", video("gate-A", [{ image: qrImage(keys.A), frames: 6 }, { image: face(who, atGate), frames: 24 }]), KIOSK);
      await registerGate(gate.page);
      await gateWithFace(gate.page, keys.A, BAG.A1);
      assert.equal(await check(gate.page), "boarded");
      await close(gate.browser);
      assert.equal((await api("GET", `/api/bags/${BAG.A1}/token`)).status, 404, "boarded: the token is deleted");
    });

    await t.test("C with B's phone-only QR code at bag drop: refused three times (counted by the kiosk), then staff", async () => {
      assert.ok(passB, "needs B's check-in");
      const kiosk = await open("kiosk-C2", video("kiosk-C2", [{ image: qrImage(passB, { moduleSize: 3 }), frames: 6 }, { image: face(PERSON.C[0], PERSON.C[1]), frames: 24 }]), KIOSK);
      await bagdropPass(kiosk.page, null);
      for (let attempt = 1; attempt <= 3; attempt++) {
        if (attempt > 1) await kiosk.page.click("#face-retry");
        await kiosk.page.waitForSelector("#face-retry:not([hidden]), #step-face-staff:not([hidden])");
      }
      await visible(kiosk.page, "step-face-staff");
      assert.match((await kiosk.page.textContent("#face-staff-why")) ?? "", /did not match 3 times/);
      await shot(kiosk.page, "bagdrop-face-staff");
      await close(kiosk.browser);
      assert.equal(requests.filter((r) => r.page === "kiosk-C2" && r.body).length, 0, "a phone-only check-in's failures are not sent anywhere");
    });

    await t.test("C: A's QR code with C's face at the gate is refused three times, then staff", async () => {
      assert.match(keys.A, KEY_SHAPE, "needs A's check-in");
      const gate = await open("gate-C", video("gate-C", [{ image: qrImage(keys.A), frames: 6 }, { image: face(PERSON.C[0], PERSON.C[1]), frames: 24 }]), KIOSK);
      await registerGate(gate.page);
      await gateWithFace(gate.page, keys.A, BAG.A2);
      for (let attempt = 1; attempt <= 3; attempt++) {
        if (attempt > 1) await gate.page.waitForSelector("#verify:not([disabled])");
        assert.equal(await check(gate.page), attempt < 3 ? "no_match" : "manual", `attempt ${attempt}`);
      }
      assert.match((await gate.page.textContent("#manual-why")) ?? "", /face did not match 3 times/);
      await shot(gate.page, "boarding-face-manual");
      await close(gate.browser);
      assert.equal((await api("GET", `/api/bags/${BAG.A2}/token`)).status, 404, "three failures delete the token");
    });

    await t.test("privacy: requests, database and log hold no key, image or embedding", async () => {
      assert.deepEqual(pageErrors, []);
      const problems = [];
      /** @type {string[]} */
      const tokens = [];
      for (const r of requests.filter((q) => q.body)) {
        const path = new URL(r.url).pathname;
        if (/^\/api\/(bags|checkins)\/[A-Za-z0-9]+\/token$/.test(path) && r.method === "PUT") {
          const h = jweHeader(r.body);
          if (Object.keys(h).sort().join(",") !== "alg,bag,enc,exp,flt,iat,typ,v") problems.push(`${path}: token header ${Object.keys(h)}`);
          tokens.push(r.body);
          continue;
        }
        let json;
        try {
          json = JSON.parse(r.body);
        } catch {
          problems.push(`${r.method} ${path}: a body that is neither a token nor JSON (${r.body.length} chars)`);
          continue;
        }
        const allowed = /\/bagdrop$/.test(path) ? ["matched"] : /\/boarding$/.test(path) ? ["matched", "manual", "proof"] : /^\/api\/gates\//.test(path) ? ["publicKey"] : [];
        for (const k of Object.keys(json)) if (!allowed.includes(k)) problems.push(`${r.method} ${path}: member ${k}`);
      }
      const secrets = [keys.A, keys.B, passB, kioskKey.slice(8), adminKey].filter(Boolean);
      for (const r of requests) {
        for (const s of [keys.A, keys.B, passB].filter(Boolean)) {
          if (r.url.includes(s) || r.body?.includes(s)) problems.push(`${r.page} ${r.method} ${r.url}: holds a passenger key or the phone's QR payload`);
        }
      }
      assert.deepEqual(problems, []);
      assert.ok(tokens.length >= 4, `${tokens.length} tokens sent`);

      await server.stop();
      const { problems: dbProblems } = checkDatabase(db, {
        bagTags: [...Object.values(BAG), ...Object.values(REF)],
        flights: [FLIGHT],
        tokens,
        gates,
      });
      assert.deepEqual(dbProblems, [], "the database holds only tokens, booking references, bag tags, flights, times and gate keys");
      const frameY = rgbToI420(face(PERSON.A[0], PERSON.A[1])).subarray(0, 640 * 480);
      const needles = [
        ...secrets.map((s, i) => ({ what: `secret ${i}`, bytes: Buffer.from(s) })),
        ...distinctiveWindows(frameY, 640).map((bytes, i) => ({ what: `camera pixels ${i}`, bytes })),
      ];
      assert.deepEqual(scanFiles([db, log], needles, { optional: [`${db}-wal`] }), []);
    });
  } finally {
    for (const b of browsers) await b.close().catch(() => {});
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
});
