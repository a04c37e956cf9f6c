/** Turns iopub messages into nbformat outputs, as a notebook frontend would. */
import type { IOutput, IStream } from '@jupyterlab/nbformat';
import type { KernelMessage } from './messages.js';
import { contentProblem } from './validate.js';

/** Outputs by display id, shared by every run of one connection so updates reach earlier runs. */
export type DisplayRegistry = Map<string, IOutput[]>;

/** The iopub message types that make or change outputs. */
const OUTPUT_TYPES = new Set(['stream', 'display_data', 'execute_result', 'error', 'update_display_data', 'clear_output']);

/**
 * Collects nbformat outputs: consecutive stream text merged per stream name, `update_display_data`
 * applied to every output with that display id, `clear_output` with `wait` deferred to the next
 * output. Only content of the right shape for its message type becomes an output, so the outputs
 * are always valid nbformat; anything else is ignored (the kernel connection reports such messages
 * as `malformed` errors before they get here).
 */
export class OutputCollector {
  /** The outputs so far. */
  outputs: IOutput[] = [];
  #clearOnNext = false;

  readonly #displays: DisplayRegistry;

  constructor(displays: DisplayRegistry = new Map()) {
    this.#displays = displays;
  }

  /** Applies one iopub message; other message types and malformed content are ignored. Returns whether it was used. */
  add(msg: KernelMessage): boolean {
    const type = msg.header.msg_type;
    const c = msg.content as Record<string, any>;
    if (!OUTPUT_TYPES.has(type) || typeof c !== 'object' || c === null || contentProblem(type, c) !== undefined) return false;
    if (type === 'clear_output') {
      if (c.wait) this.#clearOnNext = true;
      else this.outputs = [];
      return true;
    }
    const id: string | undefined = c.transient?.display_id;
    if (type === 'update_display_data') {
      for (const o of (id && this.#displays.get(id)) || []) {
        o.data = c.data;
        o.metadata = c.metadata ?? {};
      }
      return true;
    }
    if (this.#clearOnNext) {
      this.outputs = [];
      this.#clearOnNext = false;
    }
    let out: IOutput;
    if (type === 'stream') {
      const last = this.outputs[this.outputs.length - 1];
      if (last?.output_type === type && last.name === c.name) {
        (last as IStream).text += c.text;
        return true;
      }
      out = { output_type: type, name: c.name, text: c.text };
    } else if (type === 'error') out = { output_type: type, ename: c.ename, evalue: c.evalue, traceback: c.traceback };
    else if (type === 'execute_result') out = { output_type: type, execution_count: c.execution_count, data: c.data, metadata: c.metadata ?? {} };
    else out = { output_type: type as 'display_data', data: c.data, metadata: c.metadata ?? {} };
    this.outputs.push(out);
    if (id) {
      const list = this.#displays.get(id);
      if (list) list.push(out);
      else this.#displays.set(id, [out]);
    }
    return true;
  }
}
