// Opening a demo page in a test. The browser's `load` event comes before the
// page's module has fetched its language file and attached its handlers, so
// a click right after `goto` can do nothing; every page marks itself
// `<html data-ready="true">` (markReady in www/js/ui.js) when it is usable.

const READY_TIMEOUT = 60_000;

/** Waits for `<html data-ready>`. @param {any} page a Playwright page or a tests/engines page */
export function waitReady(page, timeout = READY_TIMEOUT) {
  return page.waitForFunction(() => document.documentElement.dataset.ready === "true", null, { timeout });
}

/**
 * Loads `url` and waits until the page is usable.
 * @param {any} page a Playwright page or a tests/engines page
 * @param {string} url
 * @example
 * await openPage(page, `${server.url}/boarding.html`);
 * await page.click("#scan-qr"); // has its handler
 */
export async function openPage(page, url) {
  await page.goto(url);
  await waitReady(page);
}

/** Reloads a Playwright page and waits until it is usable. @param {any} page */
export async function reloadPage(page) {
  await page.reload();
  await waitReady(page);
}
