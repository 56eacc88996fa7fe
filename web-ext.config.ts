import { defineWebExtConfig } from 'wxt';

/** The dev-mode browser runner cannot start a browser on a machine without a display; tests and the demo launch Chromium themselves. */
export default defineWebExtConfig({ disabled: true });
