// Types of what test/integration/global-setup.ts hands to tests through `inject()`.
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared Jupyter Server of the integration project. */
    jupyter: { url: string; token: string; rootDir: string };
  }
}
