// Typed WNology fixtures, a request recorder and MSW handlers typed by the operations of
// spec/wnology.yaml: a path renamed, a response reshaped or a multipart field renamed there breaks
// these (and the tests using them) at compile time.
import { HttpResponse } from 'msw';
import type { components, paths } from '../../src/generated/wnology.js';
import { recordAll as recordUnder, routesFor, type FormField, type Seen } from '../support/msw.js';

export { describeRequest, expectRequest, MULTIPART, type ExpectedRequest, type Seen } from '../support/msw.js';

export type S = components['schemas'];

// Path templates of spec/wnology.yaml, for `route`.
export const LIST = '/applications/{applicationId}/notebooks';
export const ONE = '/applications/{applicationId}/notebooks/{notebookId}';
export const EXECUTE = '/applications/{applicationId}/notebooks/{notebookId}/execute';
export const CANCEL = '/applications/{applicationId}/notebooks/{notebookId}/cancelExecution';
export const LOGS = '/applications/{applicationId}/notebooks/{notebookId}/logs';
export const MINUTES = '/applications/{applicationId}/notebooks/{notebookId}/notebookMinuteCounts';
export const EXPORT = '/applications/{applicationId}/notebooks/{notebookId}/requestInputDataExport';
export const UPLOAD = '/applications/{applicationId}/notebooks/{notebookId}/upload';
/** The upload's file field, checked against the spec. */
export const UPLOAD_FIELD: FormField<paths, typeof UPLOAD> = 'jupyterFile';

export const BASE = 'https://api.wnology.test';
export const TOKEN = 'wn-api-token-9f8e7d6c5b4a';
export const APP = '575ec8687ae143cd83dc4a97';
export const NB = '575ed78e7ae143cd83dc4aab';
export const EXEC = '632e18632f59592e773a4153';
export const NB_PATH = `/applications/${APP}/notebooks/${NB}`;

export function notebookModel(over: Partial<S['Notebook']> = {}): S['Notebook'] {
  return {
    id: NB,
    notebookId: NB,
    applicationId: APP,
    creationDate: '2024-05-01T10:00:00.000Z',
    lastUpdated: '2024-05-02T10:00:00.000Z',
    name: 'Daily report',
    description: 'Temperatures per site',
    imageVersion: 'v3',
    inputs: [
      {
        inputType: 'deviceData',
        fileName: 'temps.csv',
        deviceTags: [{ key: 'site', value: 'plant-1' }],
        attributes: ['temperature'],
        start: -86400000,
        end: 0,
      },
    ],
    outputs: [{ outputType: 'executionResult', fileName: 'result.html', destinationDirectoryTemplate: '/reports/{{execution.runStartedAt}}' }],
    stats: { minutesThisPeriod: 3, runsThisPeriod: 2, errorsThisPeriod: 0 },
    ...over,
  };
}

export function logRecord(over: Partial<S['NotebookExecutionLog']> = {}): S['NotebookExecutionLog'] {
  return {
    id: EXEC,
    notebookExecutionId: EXEC,
    notebookId: NB,
    applicationId: APP,
    status: 'queued',
    sourceType: 'apiToken',
    sourceId: '575ed70c7ae143cd83dc4aa9',
    runQueuedAt: '2022-09-23T20:37:23.000Z',
    maxAllowedRunMinutes: 5,
    inputInfo: {},
    outputInfo: {},
    executionErrors: [],
    ...over,
  };
}

export function errorJson(status: number, body: S['Error']) {
  return HttpResponse.json<S['Error']>(body, { status });
}

/** An MSW handler for every request under `base` that records it and answers with `reply`. */
export const recordAll = (seen: Seen[], reply: (seen: Seen) => Response | Promise<Response>, base = BASE) => recordUnder(seen, reply, base);

/** An MSW handler for one operation of spec/wnology.yaml (see routesFor). */
export const route = routesFor<paths>(BASE);

/** Every header of a request without a body: the Bearer token and `Accept`, nothing else. */
export const GET_HEADERS = { accept: 'application/json', authorization: `Bearer ${TOKEN}` };
/** Every header of a request with a JSON body. */
export const JSON_HEADERS = { ...GET_HEADERS, 'content-type': 'application/json' };
