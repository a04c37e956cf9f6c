/** Turns iopub messages into nbformat outputs, as a notebook frontend would. */
import type { IOutput, IStream } from '@jupyterlab/nbformat';
import type { KernelMessage } from './messages.js';

/** Outputs by display id, shared by every run of one connection so updates reach earlier runs. */
export type DisplayRegistry = Map<string, IOutput[]>;

/**
 * Collects nbformat outputs: consecutive stream text merged per stream name, `update_display_data`
 * applied to every output with that display id, `clear_output` with `wait` deferred to the next output.
 */
export class OutputCollector {
  /** The outputs so far. */
  outputs: IOutput[] = [];
  private clearOnNext = false;

  constructor(private readonly displays: DisplayRegistry = new Map()) {}

  /** Applies one iopub message; other message types are ignored. */
  add(msg: KernelMessage): void {
    const c = msg.content as Record<string, any>;
    const type = msg.header.msg_type;
    const id: string | undefined = c.transient?.display_id;
    if (type === 'clear_output') {
      if (c.wait) this.clearOnNext = true;
      else this.outputs = [];
      return;
    }
    if (type === 'update_display_data') {
      for (const o of (id && this.displays.get(id)) || []) {
        o.data = c.data;
        o.metadata = c.metadata ?? {};
      }
      return;
    }
    let out: IOutput;
    if (type === 'stream') out = { output_type: 'stream', name: c.name, text: c.text };
    else if (type === 'display_data') out = { output_type: 'display_data', data: c.data, metadata: c.metadata ?? {} };
    else if (type === 'execute_result') out = { output_type: 'execute_result', execution_count: c.execution_count, data: c.data, metadata: c.metadata ?? {} };
    else if (type === 'error') out = { output_type: 'error', ename: c.ename, evalue: c.evalue, traceback: c.traceback };
    else return;
    if (this.clearOnNext) {
      this.outputs = [];
      this.clearOnNext = false;
    }
    const last = this.outputs[this.outputs.length - 1];
    if (type === 'stream' && last?.output_type === 'stream' && last.name === c.name) {
      (last as IStream).text += c.text;
      return;
    }
    this.outputs.push(out);
    if (id) {
      const list = this.displays.get(id);
      if (list) list.push(out);
      else this.displays.set(id, [out]);
    }
  }
}
