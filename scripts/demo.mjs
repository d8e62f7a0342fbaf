// Command-line demonstration of the packed sealmatch package in Node:
// bag drop (capture, enroll), what the server sees (inspectToken), boarding
// (verify with another impression of the same finger, and with a stranger's
// finger), and the refusals (wrong bag, expired, wrong key, altered token).
// Uses the synthetic fingers in target/fixtures/synth (scripts/fixtures.sh).
//
//   node scripts/demo.mjs

import { readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import init, { Capture, enroll, verify, inspectToken } from "../pkg/sealmatch.node.js";
import { readPng } from "./png.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const FIXTURES = join(ROOT, "target", "fixtures", "synth");

const say = (s = "") => console.log(s);
const outcome = (fn) => {
  try {
    return fn();
  } catch (e) {
    return { error: e.code ?? e.name, message: e.message };
  }
};

function load(name) {
  const { width, height, pixels } = readPng(join(FIXTURES, name));
  return Capture.fromGray(width, height, pixels, 500);
}

await init();
say("sealmatch demo (Node, the packed package in pkg/)");
say("=================================================");

const files = readdirSync(FIXTURES).filter((f) => f.endsWith(".png")).sort();
say(`synthetic impressions: ${files.join(" ")}`);
say();

say("1. Bag drop: capture two impressions of finger 101 and enroll");
const enrolled = [];
for (const f of ["101_1.png", "101_2.png"]) {
  const cap = outcome(() => load(f));
  if (cap.error) {
    say(`   ${f}: ${cap.error} (${cap.message})`);
    continue;
  }
  say(`   ${f}: quality ${cap.quality}, feedback [${cap.feedback.join(", ")}], ${cap.minutiaeCount} features`);
  enrolled.push(cap);
}
const now = Math.floor(Date.now() / 1000);
const bag = { bagTag: "0117123456", flight: "SK1415", ttlSeconds: 3600, now };
const made = enrolled.length ? outcome(() => enroll(enrolled, bag)) : { error: "no capture" };
if (made.error) {
  say(`   enroll: ${made.error} (${made.message ?? ""})`);
  say("\nThe fingerprint engine could not enroll these captures; the rest of the demo needs it.");
  showRefusals();
  process.exit(0);
}
say(`   token (for the server, ${made.token.length} chars): ${made.token.slice(0, 60)}...`);
say(`   passenger key (for the passenger's QR code only): ${made.passengerKey.slice(0, 9)}... (${made.passengerKey.length} chars)`);
const second = enroll(enrolled, { ...bag, bagTag: "0117123457", passengerKey: made.passengerKey });
say(`   a second bag with the same key: token ${second.token.slice(0, 24)}...`);
say();

say("2. What the server can read without the key (inspectToken):");
say(`   ${JSON.stringify(inspectToken(made.token))}`);
say();

say("3. Boarding: verify fresh captures against the token");
for (const [f, who] of [
  ["101_3.png", "same passenger, another impression"],
  ["102_1.png", "a stranger"],
  ["103_2.png", "another stranger"],
]) {
  const cap = outcome(() => load(f));
  const r = cap.error ? cap : outcome(() => verify(cap, made.token, made.passengerKey, { bagTag: "0117123456", now: now + 60 }));
  say(`   ${f} (${who}): ${JSON.stringify(r)}`);
}
say();

say("4. Refusals");
const probe = load("101_3.png");
const tries = {
  "token moved to another bag": () => verify(probe, made.token, made.passengerKey, { bagTag: "0117999999", now }),
  "after expiry": () => verify(probe, made.token, made.passengerKey, { bagTag: "0117123456", now: now + 3600 }),
  "another passenger's key": () => verify(probe, made.token, enroll([probe], bag).passengerKey, { bagTag: "0117123456", now }),
  "altered token": () => {
    const parts = made.token.split(".");
    const c = parts[3];
    parts[3] = (c[0] === "A" ? "B" : "A") + c.slice(1);
    return verify(probe, parts.join("."), made.passengerKey, { bagTag: "0117123456", now });
  },
};
for (const [what, fn] of Object.entries(tries)) say(`   ${what}: ${JSON.stringify(outcome(fn))}`);
showRefusals();
for (const c of enrolled) c.free();
probe.free();

function showRefusals() {
  say();
  say("5. Bad input is an Error with a stable code, never a crash:");
  const bad = {
    "inspectToken(42)": () => inspectToken(42),
    'inspectToken("a.b.c")': () => inspectToken("a.b.c"),
    "Capture.fromGray(NaN, ...)": () => Capture.fromGray(NaN, 300, new Uint8Array(90000), 500),
    "Capture.fromGray(300, 300, short buffer, 500)": () => Capture.fromGray(300, 300, new Uint8Array(10), 500),
    "enroll([{}], ...)": () => enroll([{}], bag),
  };
  for (const [what, fn] of Object.entries(bad)) {
    const r = outcome(fn);
    say(`   ${what} -> ${r.error}`);
  }
}
