import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { HttpResponse } from 'msw';
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InvalidArgumentError,
  MlwClient,
  NotFoundError,
  PermissionDeniedError,
  mlwErrorDetails,
  type MlwProject,
  type MlwResource,
} from 'jupyter-sdk/mlw';
import {
  CREATE_NEW,
  GET_HEADERS,
  JSON_HEADERS,
  NO_AUTH,
  ORIGIN,
  PASSWORD,
  PROJECT,
  PROJECTS,
  RESOURCE,
  RESOURCES,
  RESOURCE_ONE,
  TENANT,
  USER,
  errorJson,
  expectRequest,
  projectModel,
  projectWithResources,
  recordAll,
  resourceModel,
  route,
  type S,
  type Seen,
} from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = () => new MlwClient({ baseUrl: ORIGIN, auth: { tenant: TENANT, username: USER, password: PASSWORD }, maxRetries: 0 });
const line = (s: Seen) => `${s.method} ${s.path}`;
const csv = resourceModel({ id: 'd1', name: 'temps.csv', type: 'CSV', extension: '.csv', category: 'Data', mimeType: 'text/csv' });

describe('mlw.projects.list', () => {
  it('sends GET /service/mlw/projects and returns the projects unwrapped from data', async () => {
    const seen: Seen[] = [];
    server.use(route('get', PROJECTS, { data: [projectModel(), projectModel({ id: 'p2', name: 'Other' })] }, { seen }));
    const projects: MlwProject[] = await client().projects.list();
    expect(seen.map(line)).toEqual(['GET /service/mlw/projects']);
    expectRequest(seen[0], { method: 'GET', path: '/service/mlw/projects', headers: GET_HEADERS });
    expect(projects.map((p) => p.name)).toEqual(['Demo', 'Other']);
    expect(projects[0]!.resourcesCount?.totalCount).toBe(2);
  });

  it('throws AuthenticationError on 401 and PermissionDeniedError on 403', async () => {
    server.use(recordAll([], () => errorJson(401, NO_AUTH)));
    await expect(client().projects.list()).rejects.toBeInstanceOf(AuthenticationError);
    server.use(recordAll([], () => errorJson(403, { error: 'security/Forbidden', message: 'Access is denied' })));
    await expect(client().projects.list()).rejects.toBeInstanceOf(PermissionDeniedError);
  });
});

describe('mlw.resources.list', () => {
  it('sends GET /projects/{p}/resources and flattens every category into one array', async () => {
    const seen: Seen[] = [];
    server.use(route('get', RESOURCES, projectWithResources([resourceModel()], [csv]), { seen }));
    const resources: MlwResource[] = await client().resources.list(PROJECT);
    expect(seen.map(line)).toEqual([`GET /service/mlw/projects/${PROJECT}/resources`]);
    expectRequest(seen[0], { method: 'GET', path: `/service/mlw/projects/${PROJECT}/resources`, headers: GET_HEADERS });
    expect(resources.map((r) => r.name).sort()).toEqual(['temps.csv', 'untitled.ipynb']);
    expect(resources.find((r) => r.extension === '.ipynb')?.id).toBe(RESOURCE);
  });

  it('sends refresh=true when asked to rescan the project folder', async () => {
    const seen: Seen[] = [];
    server.use(route('get', RESOURCES, projectWithResources([]), { seen }));
    expect(await client().resources.list(PROJECT, { refresh: true })).toEqual([]);
    await client().resources.list(PROJECT, { refresh: false });
    expectRequest(seen[0], { method: 'GET', path: `/service/mlw/projects/${PROJECT}/resources`, query: { refresh: 'true' }, headers: GET_HEADERS });
    expectRequest(seen[1], { method: 'GET', path: `/service/mlw/projects/${PROJECT}/resources`, query: { refresh: 'false' }, headers: GET_HEADERS });
  });

  it('resources.project returns the project with its resources grouped by category', async () => {
    const seen: Seen[] = [];
    server.use(route('get', RESOURCES, projectWithResources([resourceModel()], [csv]), { seen }));
    const project = await client().resources.project(PROJECT);
    expectRequest(seen[0], { method: 'GET', path: `/service/mlw/projects/${PROJECT}/resources`, headers: GET_HEADERS });
    expect(project.name).toBe('Demo');
    expect(project.resources.code?.[0]?.id).toBe(RESOURCE);
  });

  it('throws NotFoundError with the MLW fields on an unknown project', async () => {
    server.use(recordAll([], () => errorJson(404, { message: 'Project not found', errorCode: 404, exception: 'Project not found' })));
    const err = await client().resources.list(PROJECT).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(mlwErrorDetails(err)).toEqual({ message: 'Project not found', errorCode: 404, exception: 'Project not found' });
  });
});

describe('mlw.resources.get', () => {
  it('sends GET /projects/{p}/resources/{r} and returns the resource', async () => {
    const seen: Seen[] = [];
    server.use(route('get', RESOURCE_ONE, resourceModel(), { seen }));
    const r = await client().resources.get(PROJECT, RESOURCE);
    expect(seen.map(line)).toEqual([`GET /service/mlw/projects/${PROJECT}/resources/${RESOURCE}`]);
    expectRequest(seen[0], { method: 'GET', path: `/service/mlw/projects/${PROJECT}/resources/${RESOURCE}`, headers: GET_HEADERS });
    expect(r.name).toBe('untitled.ipynb');
    expect(r.category).toBe('Code');
  });

  it('throws NotFoundError on 404 and refuses bad ids without a request', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => errorJson(404, { message: 'Resource not found', errorCode: 404, exception: 'Not Found' })));
    await expect(client().resources.get('', RESOURCE)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client().resources.get(PROJECT, 'x/y')).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(seen).toEqual([]);
    await expect(client().resources.get(PROJECT, RESOURCE)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('mlw.resources.createNotebook', () => {
  it('POSTs { type: ipynb, name } to createnew and resolves to the new resource found by name', async () => {
    const seen: Seen[] = [];
    const created = resourceModel({ id: 'n3w', name: 'report.ipynb' });
    server.use(route('post', CREATE_NEW, projectWithResources([resourceModel(), created], [csv]), { seen }));
    const r = await client().resources.createNotebook(PROJECT, { name: 'report' });
    expect(seen.map(line)).toEqual([`POST /service/mlw/projects/${PROJECT}/resources/createnew`]);
    expectRequest(seen[0], { method: 'POST', path: `/service/mlw/projects/${PROJECT}/resources/createnew`, headers: JSON_HEADERS, body: { type: 'ipynb', name: 'report' } });
    expect(r).toEqual(created);
  });

  it('drops an .ipynb extension from the name, since MLW adds it', async () => {
    const seen: Seen[] = [];
    server.use(route('post', CREATE_NEW, projectWithResources([resourceModel({ id: 'n3w', name: 'report.ipynb' })]), { seen }));
    expect((await client().resources.createNotebook(PROJECT, { name: 'report.ipynb' })).id).toBe('n3w');
    expect(seen[0]!.body).toEqual({ type: 'ipynb', name: 'report' });
  });

  it('refuses an empty name or one with "/" before any request', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json({})));
    await expect(client().resources.createNotebook(PROJECT, { name: '' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client().resources.createNotebook(PROJECT, { name: 'a/b' })).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(seen).toEqual([]);
  });

  it('throws ConflictError with the MLW exception when the name exists', async () => {
    const body: S['MlwApplicationError'] = { message: 'File already exist', errorCode: 409, exception: 'Contact Admin for Support' };
    server.use(recordAll([], () => HttpResponse.json<S['MlwApplicationError']>(body, { status: 409 })));
    const err = await client().resources.createNotebook(PROJECT, { name: 'report' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).message).toBe('409 File already exist');
    expect((err as ConflictError).reason).toBe('Contact Admin for Support');
  });

  it('throws BadRequestError whose message lists the validation problems', async () => {
    const body: S['PlatformError'] = {
      error: 'general/Internal Error',
      message: 'Variable issue',
      info: [{ loc: ['name'], msg: 'field required', type: 'value_error.missing' }],
    };
    server.use(recordAll([], () => errorJson(400, body)));
    const err = await client().resources.createNotebook(PROJECT, { name: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).message).toBe('400 Variable issue: name: field required');
    expect(mlwErrorDetails(err).info).toEqual(body.info);
  });

  it('does not retry the POST on 503', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => new HttpResponse('busy', { status: 503 })));
    const c = new MlwClient({ baseUrl: ORIGIN, auth: { token: 'tok-abcdef' }, maxRetries: 3 });
    await expect(c.resources.createNotebook(PROJECT, { name: 'r' })).rejects.toMatchObject({ status: 503 });
    expect(seen).toHaveLength(1);
  });
});
