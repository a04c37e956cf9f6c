/**
 * `jupyter-sdk` command line: parses argv, runs one command, maps every failure to a one-line
 * reason and an exit status (0 ok, 1 a cell failed, 2 usage or connection error). Kept thin: the
 * work is done by the library (runNotebook, JupyterClient, startJupyterServer).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { redact } from '../core/redact.js';
import { parseCommandLine, type Command } from './args.js';
import { getCommand, kernelsCommand, lsCommand, putCommand } from './contents.js';
import { describeError } from './errors.js';
import { EXIT_OK, EXIT_USAGE, type CliIO } from './io.js';
import { runCommand } from './run.js';

/** Runs the command line and resolves to the exit status. Never throws. */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const secrets: string[] = [];
  try {
    const command = parseCommandLine(argv, io.env);
    const token = 'server' in command ? command.server?.token : undefined;
    if (token) secrets.push(token);
    if (command.command === 'run' && command.hub) secrets.push(command.hub.token);
    return await dispatch(command, io, secrets);
  } catch (error) {
    const { message, status } = describeError(error);
    io.stderr.write(`jupyter-sdk: ${redact(message, secrets)}\n`);
    return status;
  }
}

async function dispatch(command: Command, io: CliIO, secrets: string[]): Promise<number> {
  switch (command.command) {
    case 'help':
      io.stdout.write(`${command.text}\n`);
      return EXIT_OK;
    case 'usage':
      // No command at all: a usage error, so scripts notice; the usage goes where errors go.
      io.stderr.write(`${command.text}\n`);
      return EXIT_USAGE;
    case 'version':
      io.stdout.write(`${version()}\n`);
      return EXIT_OK;
    case 'run':
      return runCommand(command, io, secrets);
    case 'ls':
      await lsCommand(command, io);
      return EXIT_OK;
    case 'get':
      await getCommand(command, io);
      return EXIT_OK;
    case 'put':
      await putCommand(command, io);
      return EXIT_OK;
    case 'kernels':
      await kernelsCommand(command, io);
      return EXIT_OK;
  }
}

function version(): string {
  // dist/cli.js sits one folder below package.json; import.meta is not available in the CJS build.
  try {
    const script = process.argv[1];
    if (script) {
      const pkg = JSON.parse(readFileSync(join(dirname(script), '..', 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'jupyter-sdk' && pkg.version) return pkg.version;
    }
  } catch {
    // fall through
  }
  return 'unknown';
}
