import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Notebook, NotebookInputBody, NotebookOutputBody, NotebookPatch, NotebookPost } from 'jupyter-sdk/wnology';
import { notebookModel } from './fixtures.js';

// Types only (checked by npm run typecheck): request bodies refuse keys their variant does not
// have, responses keep the ones they do not know, and a notebook's inputs can be sent back as read.
describe('WNology input and output types', () => {
  it('refuses unknown keys in the inputs and outputs of a request body', () => {
    const post: NotebookPost = {
      name: 'x',
      // @ts-expect-error: a dataTable input has no `limit`
      inputs: [{ inputType: 'dataTable', fileName: 'rows.csv', dataTableId: 'd1', limit: 5 }],
    };
    const patch: NotebookPatch = {
      // @ts-expect-error: a file output has no `overwrite`
      outputs: [{ outputType: 'file', fileName: 'a.csv', destinationFileNameTemplate: 'a.csv', overwrite: true }],
    };
    // @ts-expect-error: a device tag has only key and value
    const tagged: NotebookInputBody = { inputType: 'deviceMetadata', fileName: 'm.csv', deviceTags: [{ key: 'site', value: 'p1', extra: 1 }] };
    expect([post, patch, tagged]).toHaveLength(3);
  });

  it('sends the inputs and outputs of a notebook it read back unchanged', () => {
    const nb: Notebook = notebookModel();
    const patch: NotebookPatch = { inputs: nb.inputs, outputs: nb.outputs };
    expect(patch.inputs).toEqual(nb.inputs);
    expectTypeOf<NonNullable<Notebook['inputs']>[number]>().toMatchTypeOf<NotebookInputBody>();
    expectTypeOf<NonNullable<Notebook['outputs']>[number]>().toMatchTypeOf<NotebookOutputBody>();
  });
});
