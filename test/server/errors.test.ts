import { describe, expect, it } from 'vitest';
import { JupyterSDKError } from 'jupyter-sdk';
import { JupyterServerNotFoundError, JupyterServerStartError, PortInUseError } from 'jupyter-sdk/server';

describe('local server errors', () => {
  it('are JupyterSDKErrors with their own names, like every error the package throws', () => {
    const errors = [
      new JupyterServerNotFoundError([{ python: 'python3', problem: 'missing-modules', missing: ['ipykernel'] }]),
      new JupyterServerStartError('Jupyter Server exited (code 1) before it was ready', '[C 2026-01-01 00:00:00.000 ServerApp] boom'),
      new PortInUseError(8888, '[E ...] Port 8888 is already in use'),
    ];
    for (const e of errors) expect(e).toBeInstanceOf(JupyterSDKError);
    expect(errors.map((e) => e.name)).toEqual(['JupyterServerNotFoundError', 'JupyterServerStartError', 'PortInUseError']);
    expect((errors[1] as JupyterServerStartError).reason).toBe('boom');
  });
});
