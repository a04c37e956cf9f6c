import { describe, expectTypeOf, it } from 'vitest';
import type { Kernel, NotebookContents, Session } from 'jupyter-sdk';
import type { MlwKernel, MlwNotebook, MlwSession, MlwSessionWithProject } from 'jupyter-sdk/mlw';

// spec/mlw.yaml references Jupyter Server's schemas instead of re-declaring them: the MLW models
// are the Jupyter ones (checked by npm run typecheck).
describe('MLW models reuse the Jupyter Server schemas', () => {
  it('types kernels and sessions exactly as the Jupyter client does', () => {
    expectTypeOf<MlwKernel>().toEqualTypeOf<Kernel>();
    expectTypeOf<MlwSession>().toEqualTypeOf<Session>();
    expectTypeOf<MlwSessionWithProject>().toMatchTypeOf<Session>();
  });

  it('types the notebook as Jupyter contents, with content typed as an nbformat notebook', () => {
    expectTypeOf<Omit<MlwNotebook, 'content'>>().toEqualTypeOf<Omit<NotebookContents, 'content'>>();
    expectTypeOf<MlwNotebook['content']>().toMatchTypeOf<{ cells: unknown[]; nbformat: number } | null>();
  });
});
