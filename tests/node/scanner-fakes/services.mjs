// Fake SecuGen WebAPI and Suprema BioMini Web Agent services on 127.0.0.1
// (plain http), following the vendors' request and reply shapes, scripted by
// `fake.mode`. CORS is open to the calling origin, so a page on another port
// can call them as a kiosk page calls the real services.

import { createServer } from "node:http";
import { toBase64 } from "./bmp.mjs";

function listen(handler) {
  const requests = [];
  const sockets = new Set();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://x");
    let body = "";
    for await (const chunk of req) body += chunk;
    requests.push({ method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), form: Object.fromEntries(new URLSearchParams(body)) });
    const origin = req.headers.origin;
    const cors = origin
      ? { "access-control-allow-origin": origin, "access-control-allow-credentials": "true", "access-control-allow-headers": "content-type" }
      : {};
    if (req.method === "OPTIONS") return res.writeHead(204, cors).end();
    const reply = (status, text, type = "application/json") => {
      res.writeHead(status, { ...cors, "content-type": type });
      res.end(text);
    };
    handler(url, requests[requests.length - 1], reply, res);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        requests,
        close: () =>
          new Promise((done) => {
            for (const s of sockets) s.destroy();
            server.close(done);
          }),
      }),
    ),
  );
}

/**
 * SgiBioSrv: POST /SGIFPCapture and /SGIFPGetInfo. Modes: ok, no-device,
 * timeout (ErrorCode 54), low-quality (ErrorCode 0, ImageQuality 20),
 * unplugged (ErrorCode 53), busy, bad-json, not-object, bad-base64,
 * missing-size, http-500, hang, drop (closes the connection).
 * @param {{ bmp: Uint8Array, width: number, height: number, dpi: number }} image
 */
export async function fakeSecugen(image) {
  const fake = { mode: "ok" };
  const bmp64 = toBase64(image.bmp);
  const svc = await listen((url, req, reply, res) => {
    const m = fake.mode;
    if (req.method !== "POST") return reply(405, "{}");
    if (m === "http-500") return reply(500, "oops", "text/plain");
    if (m === "hang") return; // never answers
    if (m === "drop") return res.socket.destroy();
    if (url.pathname === "/SGIFPGetInfo") {
      if (m === "no-device") return reply(200, JSON.stringify({ ErrorCode: 55 }));
      return reply(200, JSON.stringify({ ErrorCode: 0, Manufacturer: "SecuGen", Model: "Hamster Pro 20", ImageWidth: image.width, ImageHeight: image.height, ImageDPI: image.dpi }));
    }
    if (url.pathname !== "/SGIFPCapture") return reply(404, "not found", "text/plain");
    const ok = {
      ErrorCode: 0,
      Manufacturer: "SecuGen",
      Model: "Hamster Pro 20",
      SerialNumber: "H58000000001",
      ImageWidth: image.width,
      ImageHeight: image.height,
      ImageDPI: image.dpi,
      ImageQuality: 80,
      NFIQ: 2,
      ImageDataBase64: "",
      BMPBase64: bmp64,
      TemplateBase64: "",
      WSQImageSize: 0,
      WSQImage: "",
    };
    switch (m) {
      case "ok": return reply(200, JSON.stringify(ok));
      case "no-device": return reply(200, JSON.stringify({ ErrorCode: 55 }));
      case "timeout": return reply(200, JSON.stringify({ ErrorCode: 54 }));
      case "low-quality": return reply(200, JSON.stringify({ ...ok, ImageQuality: 20 }));
      case "unplugged": return reply(200, JSON.stringify({ ErrorCode: 53 }));
      case "busy": return reply(200, JSON.stringify({ ErrorCode: 59 }));
      case "bad-json": return reply(200, "{ErrorCode: 0,");
      case "not-object": return reply(200, "[0]");
      case "bad-base64": return reply(200, JSON.stringify({ ...ok, BMPBase64: "!!not base64!!" }));
      case "missing-size": return reply(200, JSON.stringify({ ...ok, ImageDPI: "500" }));
      default: return reply(500, "unknown mode", "text/plain");
    }
  });
  return Object.assign(fake, svc);
}

/**
 * BioMini Web Agent: GET /api/createSessionID, /api/initDevice,
 * /api/captureSingle, /api/getImageData, /api/abortCapture. Modes: ok,
 * no-device (empty ScannerInfos), timeout, low-quality, unplugged, busy,
 * bad-json, no-retvalue, bad-base64, wsq, hang (captureSingle never answers).
 * @param {{ bmp: Uint8Array }} image
 */
export async function fakeSuprema(image) {
  const fake = { mode: "ok" };
  const bmp64 = toBase64(image.bmp);
  const svc = await listen((url, req, reply) => {
    const m = fake.mode;
    const send = (o) => reply(200, JSON.stringify(o));
    if (req.method !== "GET") return reply(405, "{}");
    switch (url.pathname) {
      case "/api/createSessionID":
        return send({ sessionId: "fake-session-1" });
      case "/api/initDevice":
        if (m === "no-device") return send({ retValue: 0, retString: "OK", ScannerInfos: [] });
        return send({ retValue: 0, retString: "OK", ScannerInfos: [{ DeviceIndex: 0, DeviceHandle: 4711, DeviceType: "BioMini Slim 2", ScannerName: "BioMini Slim 2" }] });
      case "/api/captureSingle":
        if (req.query.sHandle !== "4711" || req.query.username !== "fake-session-1") return send({ retValue: -112, retString: "bad handle" });
        switch (m) {
          case "timeout": return send({ retValue: -212, retString: "Capture timeout" });
          case "low-quality": return send({ retValue: -301, retString: "Not good image" });
          case "unplugged": return send({ retValue: -212, retString: "Capture failed" });
          case "busy": return send({ retValue: -211, retString: "Capture running" });
          case "bad-json": return reply(200, "<html>");
          case "no-retvalue": return send({ retString: "?" });
          case "hang": return;
          default: return send({ retValue: 0, retString: "OK" });
        }
      case "/api/getImageData":
        if (m === "bad-base64") return send({ retValue: 0, retString: "OK", imageBase64: "%%%%" });
        if (m === "wsq") return send({ retValue: 0, retString: "OK", imageBase64: toBase64(new Uint8Array([0xff, 0xa0, 0xff, 0xa8, 0, 0])) });
        return send({ retValue: 0, retString: "OK", imageBase64: bmp64 });
      case "/api/abortCapture":
        return send({ retValue: 0, retString: "OK" });
      default:
        return reply(404, "not found", "text/plain");
    }
  });
  return Object.assign(fake, svc);
}
