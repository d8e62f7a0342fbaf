// The engine driver layer (tests/engines/) itself: every Page method in every
// engine of enginesToRun(), on a small static page, and the fake camera.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { enginesToRun, launchEngine, skipReason } from "../engines/index.mjs";
import { serve } from "./browser.mjs";

const PAGE = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>engines</title>
<h1 id="h">Hello <b>there</b></h1><input id="i" data-x="y"><button id="b">go</button><div id="late"></div>
<script>
  document.getElementById("b").onclick = () => (document.getElementById("h").textContent = "clicked:" + document.getElementById("i").value);
  addEventListener("keydown", (e) => (document.title = "key:" + e.key));
  setTimeout(() => (document.getElementById("late").innerHTML = "<p class=p>late</p>"), 300);
</script>`;

// A 64×48 Y4M of three grey frames.
function y4m(path) {
  const w = 64;
  const h = 48;
  const parts = [Buffer.from(`YUV4MPEG2 W${w} H${h} F10:1 Ip A1:1 C420jpeg\n`)];
  for (let f = 0; f < 3; f++) parts.push(Buffer.from("FRAME\n"), Buffer.alloc(w * h, 100 + 20 * f), Buffer.alloc(w * h / 2, 128));
  writeFileSync(path, Buffer.concat(parts));
}

let dir;
let server;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "sealmatch-engines-"));
  writeFileSync(join(dir, "index.html"), PAGE);
  y4m(join(dir, "camera.y4m"));
  server = await serve(dir);
});

after(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

for (const name of enginesToRun()) {
  test(`the driver layer drives ${name}: every Page method, two pages, the fake camera`, { skip: skipReason(name), timeout: 300_000 }, async () => {
    const engine = await launchEngine(name, { fakeCameraY4m: join(dir, "camera.y4m") });
    try {
      assert.equal(engine.name, name);
      assert.match(engine.version, /\d+\.\d+/);
      const page = await engine.newPage();
      await page.goto(server.url);
      assert.equal(await page.text("#h"), "Hello there");
      assert.equal(await page.attr("#i", "data-x"), "y");
      assert.equal(await page.attr("#i", "nope"), null);
      await assert.rejects(page.text("#absent"), /nothing matches/);
      assert.deepEqual(
        await page.evaluate(async (a) => {
          await new Promise((resolve) => setTimeout(resolve, 10));
          return { a, list: [1, "two", null] };
        }, 5),
        { a: 5, list: [1, "two", null] },
      );
      assert.equal(await page.evaluate("1 + 2"), 3);
      assert.equal(await page.evaluate(() => undefined), undefined);
      await assert.rejects(page.evaluate(() => {
        throw new Error("boom");
      }), /boom/);
      await page.fill("#i", "abc");
      await page.click("#b");
      assert.equal(await page.text("#h"), "clicked:abc");
      await page.press("Enter");
      assert.equal(await page.waitForFunction(() => document.title === "key:Enter" && document.title), "key:Enter");
      await page.waitFor(".p", { visible: true, timeout: 30_000 });
      await assert.rejects(page.waitFor(".never", { timeout: 300 }));
      assert.deepEqual(await page.evaluate(() => [innerWidth, innerHeight]), [1280, 720]);
      await page.setViewport(800, 600);
      assert.deepEqual(await page.evaluate(() => [innerWidth, innerHeight]), [800, 600]);
      const shot = join(dir, `${name}.png`);
      await page.screenshot(shot);
      assert.deepEqual([...readFileSync(shot).subarray(1, 4)], [0x50, 0x4e, 0x47], "a PNG");
      const camera = await page.evaluate(async () => {
        const stream = await navigator.mediaDevices.getUserMedia({ video: true });
        const { width, height } = stream.getVideoTracks()[0].getSettings();
        stream.getTracks().forEach((t) => t.stop());
        return { width, height };
      });
      assert.ok(camera.width > 0 && camera.height > 0, JSON.stringify(camera));
      if (engine.camera === "file") assert.deepEqual(camera, { width: 64, height: 48 });
      const second = await engine.newPage();
      await second.goto(server.url);
      assert.equal(await second.text("#h"), "Hello there");
      await second.close();
      assert.equal(await page.text("#h"), "clicked:abc", "the first page is untouched");
      assert.deepEqual(await page.errors(), []);
      await page.close();
    } finally {
      await engine.close();
    }
  });
}
