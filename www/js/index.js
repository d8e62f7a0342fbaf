// @ts-check
/** The start page: takes the kiosk key from the URL fragment, if any. */
import { initKioskKey, markReady } from "./ui.js";
import { initI18n } from "./i18n.js";

await initI18n();

initKioskKey();
markReady();
