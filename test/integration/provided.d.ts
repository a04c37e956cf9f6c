// Types of what test/integration/shared-server.ts hands to tests through `inject()`.
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared Jupyter Server of the integration project (1.23 in `integration`, 2.x in `integration-2x`). */
    jupyter: {
      url: string;
      token: string;
      rootDir: string;
      /** The interpreter the server runs on: tests that start servers of their own use it too. */
      python: string;
      /** `jupyter_server.__version__` of that interpreter, e.g. `1.23.3` or `2.21.1`. */
      version: string;
      /** Major version: 1 or 2. */
      major: number;
    };
  }
}
