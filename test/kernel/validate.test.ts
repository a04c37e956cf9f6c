// The content shape checks of the message types the SDK interprets: for each type, content that
// passes and, one field at a time, content that must be refused (and the refusal names the type).
import { describe, expect, it } from 'vitest';
import { contentProblem } from '../../src/kernel/validate.js';

type Content = Record<string, unknown>;

const display = { data: { 'text/plain': 'x', 'text/html': ['<b>', 'x</b>'], 'application/json': { a: [1] }, 'application/vnd.x+json': null }, metadata: {} };

/** Per type: contents that pass, and contents that fail. */
const cases: Record<string, { ok: Content[]; bad: Content[] }> = {
  status: {
    ok: [{ execution_state: 'idle' }, { execution_state: 'anything' }],
    bad: [{}, { execution_state: 5 }, { execution_state: null }],
  },
  stream: {
    ok: [{ name: 'stdout', text: 'x' }, { name: 'stderr', text: '' }],
    bad: [{}, { name: 'stdout' }, { text: 'x' }, { name: 5, text: 'x' }, { name: 'stdout', text: null }, { name: 'stdout', text: ['x'] }],
  },
  display_data: {
    ok: [display, { data: {}, metadata: {} }, { data: { 'text/plain': 'x' } }, { data: { 'text/plain': 'x' }, metadata: null }, { ...display, transient: {} }, { ...display, transient: { display_id: 'd' } }],
    bad: [
      {}, { data: null, metadata: {} }, { data: [], metadata: {} }, { data: 'x', metadata: {} }, { data: { 'text/plain': 5 }, metadata: {} },
      { data: { 'text/plain': null } }, { data: { 'image/png': ['a', 1] } }, { data: { 'application/json': undefined } },
      { data: { 'application/x+json': undefined } }, { data: { 'application/jsonx': {} } }, { data: { 'text/x+json': {} } },
      { data: {}, metadata: 5 }, { data: {}, metadata: [] }, { data: {}, metadata: 'm' },
      { data: {}, transient: null }, { data: {}, transient: 'd' }, { data: {}, transient: [] }, { data: {}, transient: { display_id: 3 } }, { data: {}, transient: { display_id: null } },
    ],
  },
  update_display_data: {
    ok: [{ ...display, transient: { display_id: 'd' } }, { data: {} }],
    bad: [{ data: 'x', transient: { display_id: 'd' } }, { data: {}, metadata: 1 }, { data: {}, transient: { display_id: 1 } }],
  },
  execute_result: {
    ok: [{ ...display, execution_count: 3 }, { ...display, execution_count: 0 }, { ...display, execution_count: null }],
    bad: [{ ...display }, { ...display, execution_count: -1 }, { ...display, execution_count: 1.5 }, { ...display, execution_count: '1' }, { data: 5, execution_count: 1 }, { data: {}, metadata: 5, execution_count: 1 }],
  },
  error: {
    ok: [{ ename: 'E', evalue: 'v', traceback: [] }, { ename: '', evalue: '', traceback: ['a', 'b'] }],
    bad: [{}, { ename: null, evalue: 'v', traceback: [] }, { ename: 'E', traceback: [] }, { ename: 'E', evalue: 'v' }, { ename: 'E', evalue: 'v', traceback: 'x' }, { ename: 'E', evalue: 'v', traceback: ['a', 1] }],
  },
  clear_output: {
    ok: [{}, { wait: true }, { wait: false }],
    bad: [{ wait: 'yes' }, { wait: 1 }, { wait: null }],
  },
  execute_input: {
    ok: [{ code: 'x' }, { code: '', execution_count: 1 }],
    bad: [{}, { code: 5 }],
  },
  input_request: {
    ok: [{ prompt: '' }, { prompt: 'p', password: true }],
    bad: [{}, { prompt: 5 }, { prompt: 'p', password: 'yes' }, { prompt: 'p', password: null }],
  },
  comm_open: {
    ok: [{ comm_id: 'c', target_name: 't' }, { comm_id: 'c', target_name: 't', data: {} }],
    bad: [{}, { comm_id: 'c' }, { target_name: 't' }, { comm_id: 1, target_name: 't' }, { comm_id: 'c', target_name: 't', data: [] }, { comm_id: 'c', target_name: 't', data: null }, { comm_id: 'c', target_name: 't', data: 'd' }],
  },
  comm_msg: {
    ok: [{ comm_id: 'c' }, { comm_id: 'c', data: { a: 1 } }],
    bad: [{}, { comm_id: 5 }, { comm_id: 'c', data: [] }, { comm_id: 'c', data: null }],
  },
  comm_close: {
    ok: [{ comm_id: 'c' }, { comm_id: 'c', data: {} }],
    bad: [{}, { comm_id: 'c', data: 5 }],
  },
  shutdown_reply: {
    ok: [{}, { restart: true, status: 'ok' }, { restart: false }],
    bad: [{ restart: 'yes' }, { restart: null }],
  },
  execute_reply: {
    ok: [
      { status: 'ok' }, { status: 'ok', execution_count: 1 }, { status: 'ok', execution_count: null }, { status: 'ok', execution_count: 1, ename: 5 },
      { status: 'error' }, { status: 'error', execution_count: 2, ename: 'E', evalue: 'v', traceback: ['t'] },
      { status: 'aborted' }, { status: 'abort' }, { status: 'aborted', execution_count: 'x' },
    ],
    bad: [
      {}, { status: 'bogus' }, { status: 5 }, { status: ['ok'] }, { status: 'toString' }, { status: 'constructor' }, { status: '__proto__' },
      { status: 'ok', execution_count: 'x' }, { status: 'ok', execution_count: -1 },
      { status: 'error', execution_count: 1.5 }, { status: 'error', ename: 5 }, { status: 'error', evalue: null }, { status: 'error', traceback: 'x' }, { status: 'error', traceback: [1] },
    ],
  },
  kernel_info_reply: {
    ok: [{ status: 'ok' }, { status: 'anything' }],
    bad: [{}, { status: 5 }],
  },
  complete_reply: { ok: [{ status: 'ok' }], bad: [{ status: null }] },
};

describe('contentProblem', () => {
  for (const [type, { ok, bad }] of Object.entries(cases)) {
    it(`${type}: passes content of the right shape and refuses each malformed field`, () => {
      for (const c of ok) expect(contentProblem(type, c), JSON.stringify(c)).toBeUndefined();
      for (const c of bad) expect(contentProblem(type, c), JSON.stringify(c)).toMatch(type);
    });
  }

  it('passes message types the SDK does not interpret, whatever their content', () => {
    for (const type of ['debug_event', 'iopub_welcome', 'execute_request', 'constructor', 'toString', '__proto__', 'hasOwnProperty', '']) {
      expect(contentProblem(type, {}), type).toBeUndefined();
      expect(contentProblem(type, { status: 5 }), type).toBeUndefined();
    }
  });
});
