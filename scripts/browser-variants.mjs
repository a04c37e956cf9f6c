// The modules that the browser build (package.json `exports["."].browser`, dist/browser/) compiles
// from other sources than the Node build does: dist/browser/<module>.js is built from <source>.
// Read by tsup.config.ts; scripts/check-browser-build.mjs and test/scripts/browser-variants.test.ts
// check each swap.
export const BROWSER_VARIANTS = {
  // The global WebSocket, with the token in `?token=`, frames through `onmessage` (Node: `ws`,
  // imported on first use, frames through its own message event).
  'kernel/socket-default': 'src/kernel/socket-browser.ts',
  // The v1 wire decoder part by part (Node: fast paths for Buffer and per-message CPU).
  'kernel/wire-v1': 'src/kernel/wire-v1-browser.ts',
  // No cookie jar: a browser keeps cookies itself (Node: one jar per client).
  'core/cookie-jar': 'src/core/cookie-jar-browser.ts',
  // btoa/atob only (Node: Buffer when present, these otherwise).
  'core/base64': 'src/core/base64-browser.ts',
};
