/**
 * Cumulocity MLW: find a notebook, read it, change a cell, save it back.
 *   MLW_URL=https://acme.cumulocity.com MLW_TENANT=t12345 MLW_USER=ana MLW_PASSWORD=... npm run example examples/mlw.ts
 * or MLW_TOKEN=<OAI-Secure JWT> instead of MLW_USER/MLW_PASSWORD.
 * Optional: MLW_PROJECT (project id or name; default the first project), MLW_NOTEBOOK (file name;
 * default the first notebook, or a new `jupyter-sdk-example.ipynb` when the project has none).
 */
import { MlwClient, NotFoundError, PermissionDeniedError, mlwErrorDetails, type MlwAuth } from 'jupyter-sdk/mlw';

const { MLW_URL, MLW_TENANT, MLW_USER, MLW_PASSWORD, MLW_TOKEN, MLW_PROJECT, MLW_NOTEBOOK } = process.env;
if (!MLW_URL || !(MLW_TOKEN || (MLW_USER && MLW_PASSWORD))) {
  console.error('Set MLW_URL (the tenant URL) and either MLW_TOKEN, or MLW_USER and MLW_PASSWORD (and MLW_TENANT if the host does not name the tenant).');
  process.exit(1);
}

const auth: MlwAuth = MLW_TOKEN ? { token: MLW_TOKEN } : { tenant: MLW_TENANT || undefined, username: MLW_USER!, password: MLW_PASSWORD! };
const mlw = new MlwClient({ baseUrl: MLW_URL, auth });

try {
  // 1. Find the project and the notebook.
  const projects = await mlw.projects.list();
  const project = MLW_PROJECT ? projects.find((p) => p.id === MLW_PROJECT || p.name === MLW_PROJECT) : projects[0];
  if (!project) throw new Error(MLW_PROJECT ? `No project ${MLW_PROJECT}` : 'The tenant has no MLW project yet');
  const notebooks = (await mlw.resources.list(project.id)).filter((r) => r.name.endsWith('.ipynb'));
  const resource =
    notebooks.find((r) => !MLW_NOTEBOOK || r.name === MLW_NOTEBOOK) ??
    (await mlw.resources.createNotebook(project.id, { name: MLW_NOTEBOOK ?? 'jupyter-sdk-example' }));
  const meta = await mlw.resources.get(project.id, resource.id);
  console.log(`project ${project.name} (${project.id}), notebook ${meta.name} (${meta.id}), edited ${meta.editedAt ?? '?'}`);

  // 2. Read it; MLW attaches a Jupyter session (and kernel) to the notebook.
  const { data, session } = await mlw.notebooks.get(project.id, resource.id);
  console.log(`session ${session.id}, kernel ${session.kernel.name} is ${session.kernel.execution_state}`);
  const notebook = data.content;
  if (!notebook) throw new Error('MLW returned the notebook without content');
  console.log(`${notebook.cells.length} cells, nbformat ${notebook.nbformat}.${notebook.nbformat_minor}`);

  // 3. Change a cell: stamp the first code cell, or add one.
  const stamp = `# touched by jupyter-sdk at ${new Date().toISOString()}`;
  const code = notebook.cells.find((c) => c.cell_type === 'code');
  if (code) {
    const lines = (Array.isArray(code.source) ? code.source.join('') : code.source).split('\n').filter((l) => !l.startsWith('# touched by jupyter-sdk'));
    code.source = [stamp, ...lines].join('\n');
  } else {
    notebook.cells.push({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: `${stamp}\nprint("hello from jupyter-sdk")` });
  }

  // 4. Save it back.
  const saved = await mlw.notebooks.update(project.id, resource.id, { content: notebook, format: 'json', type: 'notebook' });
  console.log(`saved ${saved.path}: ${saved.size} bytes at ${saved.last_modified}`);

  const sessions = await mlw.sessions.list();
  console.log(`${sessions.length} Jupyter session(s) open in MLW`);
} catch (err) {
  if (err instanceof PermissionDeniedError) console.error('This user lacks the MLW role for notebooks (some versions need Machine Learning Admin):', err.message);
  else if (err instanceof NotFoundError) console.error('Not found:', err.message, mlwErrorDetails(err));
  else throw err;
  process.exitCode = 1;
}
