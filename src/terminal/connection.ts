// PLACEHOLDER: the kernel-channel work replaces this file.
import type { JupyterClient } from '../jupyter/client.js';
import { KernelChannelError } from '../core/errors.js';

export interface TerminalConnectionOptions {}

export class TerminalConnection {
  static async open(_client: JupyterClient, _name: string, _options?: TerminalConnectionOptions): Promise<TerminalConnection> {
    throw new KernelChannelError('not implemented yet', 'connect-failed');
  }
}
