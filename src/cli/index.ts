#!/usr/bin/env node
/** Entry point of the `jupyter-sdk` command (package `bin`, built to dist/cli.js). */
import { redact } from '../core/redact.js';
import { main } from './main.js';

// Whatever escapes main (a socket error event, say) still ends as one line, not a stack trace.
const fatal = (error: unknown) => {
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  process.stderr.write(`jupyter-sdk: ${redact(message ?? 'unexpected error')}\n`);
  process.exit(2);
};
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);

const controller = new AbortController();
let interrupted = false;
const onSignal = () => {
  // First Ctrl-C: stop the runs cleanly (kernels shut down, local server stopped).
  // Second: leave at once; the local server's exit hook still kills its processes.
  if (interrupted) process.exit(130);
  interrupted = true;
  controller.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal }).then(
  (status) => {
    // Exit explicitly once output is flushed: an idle keep-alive socket must not hold the process.
    process.exitCode = status;
    process.stdout.write('', () => process.stderr.write('', () => process.exit(status)));
  },
);
