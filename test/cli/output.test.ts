import { describe, expect, it } from 'vitest';
import type { INotebookContent } from '@jupyterlab/nbformat';
import { APIConnectionError, BadRequestError, CellExecutionError, CellTimeoutError, PermissionDeniedError } from 'jupyter-sdk';
import { ServerWaitTimeoutError, SpawnFailedError } from 'jupyter-sdk/hub';
import { UsageError } from '../../src/cli/args.js';
import { formatListing, remotePathFor } from '../../src/cli/contents.js';
import { describeError, noServerMessage } from '../../src/cli/errors.js';
import { serializeNotebook } from '../../src/cli/nbjson.js';
import { barReporter, lineReporter, renderBar, serverReporter } from '../../src/cli/progress.js';
import { commonDir, defaultOutputPath, outDirPaths, summaryLine, summaryTable } from '../../src/cli/run.js';
import { parentOf } from '../../src/cli/contents.js';
import { JupyterServerNotFoundError, JupyterServerStartError, startFailureReason } from '../../src/server/errors.js';

describe('serializeNotebook', () => {
  it('writes like nbformat: sorted keys, one-space indent, line lists, JSON mime data left whole, final newline', () => {
    const nb = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { z: 1, a: 'ü' },
      cells: [
        {
          id: 'x',
          cell_type: 'code',
          source: 'a\nb',
          metadata: {},
          execution_count: 1,
          outputs: [
            { output_type: 'stream', name: 'stdout', text: 'one\ntwo\n' },
            { output_type: 'display_data', metadata: {}, data: { 'text/html': '<b>\n</b>', 'application/json': { k: 'v\n' } } },
            { output_type: 'display_data', metadata: {}, data: { 'image/png': 'iVBORw0K\nGgoAAAAN\n', 'image/svg+xml': '<svg>\n</svg>' } },
          ],
        },
      ],
    } as unknown as INotebookContent;
    const text = serializeNotebook(nb);
    expect(text.endsWith('}\n')).toBe(true);
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed)).toEqual(['cells', 'metadata', 'nbformat', 'nbformat_minor']);
    expect(Object.keys(parsed.cells[0])).toEqual(['cell_type', 'execution_count', 'id', 'metadata', 'outputs', 'source']);
    expect(parsed.cells[0].source).toEqual(['a\n', 'b']);
    expect(parsed.cells[0].outputs[0].text).toEqual(['one\n', 'two\n']);
    expect(parsed.cells[0].outputs[1].data).toEqual({ 'application/json': { k: 'v\n' }, 'text/html': ['<b>\n', '</b>'] });
    // As nbformat: base64 stays one string (only text/*, javascript and SVG are split).
    expect(parsed.cells[0].outputs[2].data).toEqual({ 'image/png': 'iVBORw0K\nGgoAAAAN\n', 'image/svg+xml': ['<svg>\n', '</svg>'] });
    expect(text).toContain('"a": "ü"');
    expect(text).toMatch(/^\{\n "cells": \[\n  \{\n   "cell_type"/);
    expect(nb.cells[0]!.source).toBe('a\nb');
  });
});

describe('describeError', () => {
  it('maps cell failures to 1 and usage, connection and auth errors to 2, each on one line', () => {
    const cell = new CellExecutionError({ cellIndex: 2, cellId: 'c', ename: 'ValueError', evalue: 'x' });
    expect(describeError(cell)).toEqual({ message: 'cells[2] (id c) raised ValueError: x', status: 1 });
    expect(describeError(new CellTimeoutError({ cellIndex: 0, cellId: undefined, timeout: 2000 }))).toEqual({
      message: 'cells[0] timed out after 2 s',
      status: 1,
    });
    expect(describeError(new UsageError('bad'))).toEqual({ message: 'bad', status: 2 });
    const refused = new APIConnectionError('GET http://127.0.0.1:1/api failed to connect', {
      cause: Object.assign(new Error('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) })),
    });
    expect(describeError(refused)).toEqual({
      message: 'cannot reach the Jupyter server: GET http://127.0.0.1:1/api failed to connect (ECONNREFUSED)',
      status: 2,
    });
    const denied = new PermissionDeniedError({ status: 403, serverMessage: 'Forbidden', method: 'GET', url: 'http://h/api' });
    expect(describeError(denied)).toMatchObject({ message: expect.stringMatching(/refused the token \(403 Forbidden\)/), status: 2 });
    expect(describeError(new Error('first\nsecond'))).toEqual({ message: 'first', status: 2 });
  });

  it('says why the local server did not start, in one line, from its last meaningful output', () => {
    const output = [
      '[I 2026-11-22 05:19:04.100 ServerApp] Writing Jupyter server cookie secret to /tmp/x/runtime/jupyter_cookie_secret',
      '[C 2026-11-22 05:19:04.123 ServerApp] Bad config encountered during initialization: No such directory: /nope',
      '',
    ].join('\n');
    const error = new JupyterServerStartError('Jupyter Server exited (code 1) before it was ready', output);
    expect(error.message).toContain('Last server output:\n[I ');
    expect(describeError(error)).toEqual({
      message: 'the local Jupyter server did not start: Jupyter Server exited (code 1) before it was ready: Bad config encountered during initialization: No such directory: /nope',
      status: 2,
    });
  });

  it('picks the exception line of a traceback, else the last error or warning line', () => {
    const traceback = 'Traceback (most recent call last):\n  File "<string>", line 13, in <module>\nModuleNotFoundError: No module named \'jupyter_server.serverapp\'\n';
    expect(startFailureReason(traceback)).toBe("ModuleNotFoundError: No module named 'jupyter_server.serverapp'");
    expect(startFailureReason('[W 2026-11-22 05:19:04.1 ServerApp] careful\n[I 2026-11-22 05:19:04.2 ServerApp] fine\n')).toBe('careful');
    expect(startFailureReason('just text\n\n')).toBe('just text');
    expect(startFailureReason('')).toBe('');
  });

  it('says how to install Jupyter, how to name an interpreter and how to use a running server', () => {
    const error = new JupyterServerNotFoundError([
      { python: '/usr/bin/python3', problem: 'missing-modules', missing: ['ipykernel'] },
      { python: 'python3', problem: 'missing-modules', missing: ['jupyter_server', 'ipykernel'] },
      { python: 'python', problem: 'not-found', missing: [] },
    ]);
    const message = noServerMessage(error);
    expect(message).not.toContain('\n');
    expect(message).toContain('(/usr/bin/python3: no ipykernel; python3: no jupyter_server, no ipykernel; python: not found)');
    expect(message).toContain('sudo apt-get install python3-jupyter-server python3-ipykernel python3-terminado');
    expect(message).toContain('pip install jupyter_server ipykernel');
    expect(message).toContain('JUPYTER_SDK_PYTHON');
    expect(message).toContain('--url URL');
    expect(message).not.toContain('`python`');
    const chosen = new JupyterServerNotFoundError([{ python: '/opt/py', problem: 'not-found', missing: [] }]);
    expect(noServerMessage(chosen, true)).toContain('(JUPYTER_SDK_PYTHON=/opt/py: not found)');
    expect(describeError(chosen)).toMatchObject({ status: 2, message: expect.stringContaining('apt-get install') });
  });
});

describe('CLI helpers', () => {
  it('names the default output <name>.out.ipynb beside the input', () => {
    expect(defaultOutputPath('dir/report.ipynb')).toBe('dir/report.out.ipynb');
    expect(defaultOutputPath('noext')).toBe('noext.out.ipynb');
  });

  it('finds the common folder of the notebooks', () => {
    expect(commonDir(['/a/b/c', '/a/b/d', '/a/b'])).toBe('/a/b');
    expect(commonDir(['/x', '/y'])).toBe('/');
  });

  it('puts an upload at PATH, or inside PATH when it ends in /', () => {
    expect(remotePathFor('/tmp/data.csv', undefined)).toBe('data.csv');
    expect(remotePathFor('/tmp/data.csv', 'in/')).toBe('in/data.csv');
    expect(remotePathFor('/tmp/data.csv', 'in/renamed.csv')).toBe('in/renamed.csv');
  });

  it('lists folders first, aligned, with a trailing /', () => {
    const listing = formatListing([
      { name: 'b.txt', path: 'b.txt', type: 'file', size: 12, last_modified: '2026-11-22T05:00:00.123456Z' },
      { name: 'sub', path: 'sub', type: 'directory', last_modified: '2026-11-22T05:00:00Z' },
    ] as never);
    expect(listing).toBe('directory   -  2026-11-22 05:00:00  sub/\nfile       12  2026-11-22 05:00:00  b.txt\n');
  });

  it('with --hub, points a refused token at --hub-token, names the hub, and says what a spawn failure or a timeout was about', () => {
    const denied = new PermissionDeniedError({ status: 403, serverMessage: 'Forbidden', method: 'GET', url: 'http://h/hub/api/user' });
    expect(describeError(denied, 'hub')).toEqual({
      message: 'the hub refused the token (403 Forbidden); check --hub-token or JUPYTERHUB_API_TOKEN',
      status: 2,
    });
    const refused = new APIConnectionError('GET http://127.0.0.1:1/hub/api/user failed to connect');
    expect(describeError(refused, 'hub').message).toBe('cannot reach the JupyterHub: GET http://127.0.0.1:1/hub/api/user failed to connect');
    expect(describeError(new SpawnFailedError('ana', 'run-1', 'Spawn failed: no room'), 'hub')).toEqual({
      message: `ana's server "run-1" failed to start: Spawn failed: no room`,
      status: 2,
    });
    expect(describeError(new ServerWaitTimeoutError('ana', 'run-1', 'ready', 5000, { progress: 50, message: 'Spawning server...' }), 'hub')).toEqual({
      message: `ana's server "run-1" was not ready after 5000 ms (last progress: 50% Spawning server...); --hub-timeout S waits longer`,
      status: 2,
    });
    const named = new BadRequestError({ status: 400, serverMessage: 'Named servers are not enabled.', method: 'POST', url: 'http://h/hub/api/users/ana/servers/run-1' });
    expect(describeError(named, 'hub').message).toMatch(/Named servers are not enabled\. \(--hub runs on named servers: the hub needs c\.JupyterHub\.allow_named_servers = True\)$/);
  });

  it('prints one line per finished code cell when not on a terminal', () => {
    let text = '';
    const r = lineReporter({ write: (t: string) => (text += t) });
    const cell = { cell_type: 'code', source: 'x', metadata: {}, outputs: [], execution_count: 1 } as never;
    const notebook = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] } as INotebookContent;
    r.update('nb.ipynb', { index: 0, count: 3, status: 'running', cell, notebook });
    r.update('nb.ipynb', { index: 0, count: 3, status: 'ok', cell, elapsed: 1234, notebook });
    r.update('nb.ipynb', { index: 1, count: 3, status: 'skipped', cell: { cell_type: 'markdown', source: '', metadata: {} }, notebook });
    r.update('nb.ipynb', { index: 2, count: 3, status: 'error', cell, elapsed: 50, notebook });
    expect(text).toBe('nb.ipynb: cells[0] ok 1.23 s (1/3)\nnb.ipynb: cells[2] error 0.05 s (3/3)\n');
  });

  it('keeps one bar per running notebook on a terminal, prints lines above them, and clears them when done', () => {
    let text = '';
    const r = barReporter({ write: (t: string) => (text += t), columns: 60, rows: 10 }, () => 0);
    const notebook = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] } as INotebookContent;
    const cell = { cell_type: 'code', source: 'x', metadata: {}, outputs: [], execution_count: null } as never;
    r.update('a.ipynb', { index: 0, count: 2, status: 'running', cell, notebook });
    r.update('b.ipynb', { index: 1, count: 2, status: 'ok', cell, elapsed: 5, notebook });
    const frame = text.slice(text.lastIndexOf('\x1b[1F'));
    // Back over the one bar drawn before, clear, then both bars.
    expect(frame).toBe('\x1b[1F\x1b[J\x1b[2Ka.ipynb [--------------------] 0/2 cells[0]  0.00 s\n\x1b[2Kb.ipynb [####################] 2/2  0.00 s\n');
    text = '';
    r.print({ write: (t: string) => (text += `<out>${t}`) }, 'a.ipynb: ok\n');
    expect(text).toBe('\x1b[2F\x1b[J<out>a.ipynb: ok\n\x1b[2Ka.ipynb [--------------------] 0/2 cells[0]  0.00 s\n\x1b[2Kb.ipynb [####################] 2/2  0.00 s\n');
    text = '';
    r.finish('a.ipynb');
    expect(text).toBe('\x1b[2F\x1b[J\x1b[2Kb.ipynb [####################] 2/2  0.00 s\n');
    text = '';
    r.close();
    expect(text).toBe('\x1b[1F\x1b[J');
  });

  it('draws a bar that fits the terminal', () => {
    expect(renderBar('nb.ipynb', 5, 10, 5, 1200, 80)).toBe('nb.ipynb [##########----------]  5/10 cells[5]  1.20 s');
    expect(renderBar('nb.ipynb', 0, 10, 0, 0, 80)).toBe('nb.ipynb [--------------------]  0/10 cells[0]  0.00 s');
    expect(renderBar('a-very-long-notebook-name.ipynb', 10, 10, undefined, 0, 50).length).toBeLessThanOrEqual(49);
  });

  it.each([
    [80, 'examples/notebooks/hello.ipynb [########------------]  5/12 cells[5]  1.23 s'],
    [40, '…hello.ipynb [####------]  5/12  1.23 s'],
    [30, '…ks/hello.ipynb  5/12  1.23 s'],
  ])('keeps the bar within a %i-column terminal, never touching the last column', (columns, expected) => {
    const line = renderBar('examples/notebooks/hello.ipynb', 5, 12, 5, 1234, columns);
    expect(line).toBe(expected);
    expect(line.length).toBeLessThan(columns);
  });

  it('degrades to the counter alone, and to nothing, on very narrow terminals', () => {
    for (let columns = 1; columns <= 120; columns++) {
      expect(renderBar('some/folder/notebook.ipynb', 3, 12, 3, 999_000, columns).length, `${columns} columns`).toBeLessThan(Math.max(columns, 2));
    }
    expect(renderBar('nb.ipynb', 5, 12, 5, 0, 20)).toBe('nb.ipynb 5/12');
    expect(renderBar('nb.ipynb', 5, 12, 5, 0, 6)).toBe('5/12');
    expect(renderBar('nb.ipynb', 5, 12, 5, 0, 3)).toBe('');
  });

  it('summarises a run: ok when no cell raised, else how many did and which', () => {
    expect(summaryLine('a.ipynb', 1234, [], 'a.out.ipynb')).toBe('a.ipynb: ok in 1.23 s, written to a.out.ipynb');
    expect(summaryLine('e.ipynb', 500, [1, 3], 'o.ipynb')).toBe(
      'e.ipynb: finished in 0.50 s; 2 cells raised an exception (cells[1], cells[3]), recorded in the output; written to o.ipynb',
    );
    expect(summaryLine('e.ipynb', 500, [1], 'o.ipynb')).toMatch(/; 1 cell raised an exception \(cells\[1\]\)/);
  });

  it('ends a run of several notebooks with an aligned table and totals', () => {
    const table = summaryTable(
      [
        { notebook: 'a.ipynb', status: 'ok', elapsedMs: 1234, output: 'out/a.ipynb', note: '' },
        { notebook: 'long-name.ipynb', status: 'failed', elapsedMs: 500, output: 'out/long-name.ipynb', note: 'cells[1] raised ValueError: x' },
        { notebook: 'c.ipynb', status: 'not run', elapsedMs: undefined, output: '', note: '' },
      ],
      4000,
    );
    expect(table).toBe(
      [
        'notebook         status     time  output',
        'a.ipynb          ok       1.23 s  out/a.ipynb',
        'long-name.ipynb  failed   0.50 s  out/long-name.ipynb  cells[1] raised ValueError: x',
        'c.ipynb          not run       -',
        '3 notebooks: 1 ok, 1 failed, 1 interrupted or not run, in 4.00 s (0.75 notebooks/s)',
        '',
      ].join('\n'),
    );
  });

  it('adds a server column to the table when the notebooks ran on hub servers', () => {
    const table = summaryTable(
      [
        { notebook: 'a.ipynb', status: 'ok', server: 'run-abc123-1', elapsedMs: 1234, output: 'out/a.ipynb', note: '' },
        { notebook: 'b.ipynb', status: 'failed', server: 'run-abc123-2', elapsedMs: 500, output: 'out/b.ipynb', note: 'cells[1] raised ValueError: x' },
        { notebook: 'c.ipynb', status: 'not run', elapsedMs: undefined, output: '', note: '' },
      ],
      2000,
    );
    expect(table).toBe(
      [
        'notebook  status   server          time  output',
        'a.ipynb   ok       run-abc123-1  1.23 s  out/a.ipynb',
        'b.ipynb   failed   run-abc123-2  0.50 s  out/b.ipynb  cells[1] raised ValueError: x',
        'c.ipynb   not run  -                  -',
        '3 notebooks: 1 ok, 1 failed, 1 interrupted or not run, in 2.00 s (1.50 notebooks/s)',
        '',
      ].join('\n'),
    );
  });

  it('shows hub servers starting: plain lines off a terminal, one line per server redrawn in place on one, nothing with none', () => {
    let text = '';
    let clock = 1000;
    const lines = serverReporter({ write: (t: string) => (text += t) }, 'lines', ['run-x-1', 'run-x-2'], () => clock);
    lines.update('run-x-1', { progress: 0, message: 'Server requested' });
    clock = 3500;
    lines.update('run-x-1', { progress: 100, message: 'Server ready at /user/ana/run-x-1/', ready: true });
    expect(text).toBe('hub: run-x-1: 0% Server requested\nhub: run-x-1: 100% Server ready at /user/ana/run-x-1/ (2.50 s)\n');

    text = '';
    clock = 0;
    const bars = serverReporter({ write: (t: string) => (text += t), columns: 100 }, 'bar', ['run-x-1', 'run-x-10'], () => clock);
    // Drawn at once, before any event: every server is listed as requested.
    expect(text).toBe('\x1b[2Krun-x-1  [....................]   0% requested\n\x1b[2Krun-x-10 [....................]   0% requested\n');
    text = '';
    clock = 1200;
    bars.update('run-x-10', { progress: 50, message: 'Spawning server...' });
    expect(text).toBe('\x1b[2F\x1b[J\x1b[2Krun-x-1  [....................]   0% requested\n\x1b[2Krun-x-10 [##########..........]  50% Spawning server...\n');
    text = '';
    bars.update('run-x-1', { progress: 100, message: 'Server ready at /user/ana/run-x-1/', ready: true });
    expect(text).toContain('\x1b[2Krun-x-1  [####################] 100% Server ready at /user/ana/run-x-1/ (1.20 s)\n');
    text = '';
    bars.close();
    bars.update('run-x-10', { progress: 100, ready: true });
    // Closed: nothing is erased or redrawn, the last state stays.
    expect(text).toBe('');

    // A line never reaches the last column of a narrow terminal (it would wrap and not be erased).
    text = '';
    const narrow = serverReporter({ write: (t: string) => (text += t), columns: 40 }, 'bar', ['run-x-1'], () => clock);
    narrow.update('run-x-1', { progress: 100, message: 'Server ready at /user/ana/run-x-1/', ready: true });
    for (const line of text.split('\n').filter(Boolean)) expect(line.replace(/\x1b\[\d*[A-Z]/g, '').length).toBeLessThan(40);
    expect(text).toMatch(/run-x-1 \[#{20}\] 100% Se…\n$/);

    text = '';
    const none = serverReporter({ write: (t: string) => (text += t) }, 'none', ['run-x-1']);
    none.update('run-x-1', { progress: 100, ready: true });
    expect(text).toBe('');
  });

  it('puts --out-dir outputs under their names, or their paths below the common folder when names clash', () => {
    expect(outDirPaths(['x/a.ipynb', 'y/b.ipynb'], 'out')).toEqual(['out/a.ipynb', 'out/b.ipynb']);
    expect(outDirPaths(['/w/x/a.ipynb', '/w/y/a.ipynb'], 'out')).toEqual(['out/x/a.ipynb', 'out/y/a.ipynb']);
    expect(outDirPaths(['r/x/a.ipynb', 'r/y/a.ipynb'], 'out/', true)).toEqual(['out/x/a.ipynb', 'out/y/a.ipynb']);
  });

  it('finds the server folder an upload goes into', () => {
    expect(parentOf('a/b/c.txt')).toBe('a/b');
    expect(parentOf('c.txt')).toBe('');
    expect(parentOf('/x/y')).toBe('x');
  });
});
