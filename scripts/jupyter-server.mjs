#!/usr/bin/env node
// Starts a throwaway Jupyter Server on 127.0.0.1 for trying the SDK by hand; Ctrl-C stops it.
// Uses the built `jupyter-sdk/server` entry (dist/server.js): run `npm run build` first.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const USAGE = `Usage: node scripts/jupyter-server.mjs [options]

  --port N              port on 127.0.0.1 (default: a free one)
  --root DIR            directory to serve (default: a temp dir, removed on exit)
  --token T             token (default: random)
  --python PATH         interpreter with jupyter_server (default: $JUPYTER_SDK_PYTHON, then auto)
  --no-nodelay          keep Nagle on the server's WebSockets (kernel round trips ~45 ms)
  --no-iopub-limit      disable the server's IOPub rate limit
  --quiet               do not print the server's log
  -h, --help            show this help`;

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    root: { type: 'string' },
    token: { type: 'string' },
    python: { type: 'string' },
    'no-nodelay': { type: 'boolean', default: false },
    'no-iopub-limit': { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const entry = new URL('../dist/server.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error('dist/server.js is missing: run `npm run build` first.');
  process.exit(1);
}
const { startJupyterServer } = await import(entry.href);

let server;
try {
  server = await startJupyterServer({
    port: values.port ? Number(values.port) : undefined,
    rootDir: values.root,
    token: values.token,
    python: values.python ?? (process.env.JUPYTER_SDK_PYTHON || undefined),
    nodelay: !values['no-nodelay'],
    iopubRateLimit: !values['no-iopub-limit'],
    log: values.quiet ? undefined : (line) => console.error(line),
  });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

console.log(`Jupyter Server is running (pid ${server.pid}).
  url:    ${server.url}
  token:  ${server.token}
  root:   ${server.rootDir}
  try:    curl -H 'Authorization: token ${server.token}' ${server.url}/api/status
Press Ctrl-C to stop it.`);

let stopping = false;
const stop = async () => {
  // A second Ctrl-C exits at once; the module's exit hook still kills the server's processes.
  if (stopping) process.exit(130);
  stopping = true;
  console.log('\nStopping...');
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
