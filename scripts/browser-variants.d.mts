/** dist/browser module (without `.js`) -> the source the browser build compiles it from. */
export declare const BROWSER_VARIANTS: Record<string, string>;
