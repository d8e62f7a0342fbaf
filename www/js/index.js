// @ts-check
/** The start page: takes the kiosk key from the URL fragment, if any. */
import { initKioskKey } from "./ui.js";

initKioskKey();
