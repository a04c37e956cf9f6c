// Typed WNology fixtures and a request recorder: a change to spec/wnology.yaml breaks these at compile time.
import { http, HttpResponse } from 'msw';
import type { components } from '../../src/generated/wnology.js';

export type S = components['schemas'];

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

/** What one request looked like, for assertions. */
export interface Seen {
  method: string;
  /** Raw pathname, percent-encoding kept. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
}

export async function describeRequest(request: Request): Promise<Seen> {
  const url = new URL(request.url);
  const text = await request.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  const headers: Record<string, string> = {};
  request.headers.forEach((v, k) => (headers[k] = v));
  return { method: request.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body };
}

/** An MSW handler for every request under `base` that records it and answers with `reply`. */
export function recordAll(seen: Seen[], reply: (seen: Seen) => Response | Promise<Response>, base = BASE) {
  return http.all(`${base}/*`, async ({ request }) => {
    const s = await describeRequest(request);
    seen.push(s);
    return reply(s);
  });
}
