// PLACEHOLDER: the kernel-channel work replaces this file.
import type { JupyterClient } from '../jupyter/client.js';
import { KernelChannelError } from '../core/errors.js';

export interface KernelConnectionOptions {}

export class KernelConnection {
  static async open(_client: JupyterClient, _id: string, _options?: KernelConnectionOptions): Promise<KernelConnection> {
    throw new KernelChannelError('not implemented yet', 'connect-failed');
  }
}
