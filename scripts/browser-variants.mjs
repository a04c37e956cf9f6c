// The modules that the browser build (package.json `exports["."].browser`, dist/browser/) compiles
// from other sources than the Node build does: dist/browser/<module>.js is built from <source>.
// Read by tsup.config.ts; scripts/check-browser-build.mjs and test/scripts/browser-variants.test.ts
// check each swap.
export const BROWSER_VARIANTS = {
  // The global WebSocket, with the token in `?token=` (Node: `ws`, imported on first use).
  'kernel/socket-default': 'src/kernel/socket-browser.ts',
  // No cookie jar: a browser keeps cookies itself (Node: one jar per client).
  'core/cookie-jar': 'src/core/cookie-jar-browser.ts',
  // btoa/atob only (Node: Buffer when present, these otherwise).
  'core/base64': 'src/core/base64-browser.ts',
};
