/**
 * Shape checks for the content of the message types the SDK interprets, so that a message a
 * broken kernel or proxy garbled never becomes a bogus nbformat output, status or reply. Each
 * check is a few `typeof` tests: no allocation on the message path.
 */

type Content = Record<string, unknown>;

const isObject = (v: unknown): v is Content => typeof v === 'object' && v !== null && !Array.isArray(v);

const isStringArray = (v: unknown): boolean => {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return false;
  return true;
};

/** nbformat's `multiline_string`: a string or an array of strings. */
const isMultiline = (v: unknown): boolean => typeof v === 'string' || isStringArray(v);

/** An nbformat execution count: a non-negative integer or null. */
const isCount = (v: unknown): boolean => v === null || (typeof v === 'number' && Number.isInteger(v) && v >= 0);

/**
 * nbformat's `mimebundle`: values are multiline strings, except for JSON MIME types
 * (`application/json`, `application/…+json`) whose value may be any JSON.
 */
function isMimeBundle(v: unknown): boolean {
  if (!isObject(v)) return false;
  for (const key in v) {
    const value = v[key];
    if (key.startsWith('application/') && (key === 'application/json' || key.endsWith('+json'))) {
      if (value === undefined) return false;
    } else if (!isMultiline(value)) return false;
  }
  return true;
}

/** Output metadata is optional in kernel messages (missing or null is `{}`), an object when present. */
const isMetadata = (v: unknown): boolean => v == null || isObject(v);

const isDisplay = (c: Content): boolean => {
  const t = c.transient;
  return isMimeBundle(c.data) && isMetadata(c.metadata) && (t === undefined || (isObject(t) && (t.display_id === undefined || typeof t.display_id === 'string')));
};

/**
 * What is wrong with the content of a message of type `type`, or `undefined` when it has the
 * shape the SDK relies on. Types the SDK does not interpret always pass (they reach the caller
 * as they came).
 */
export function contentProblem(type: string, c: Content): string | undefined {
  switch (type) {
    case 'status':
      return typeof c.execution_state === 'string' ? undefined : 'status without a string execution_state';
    case 'stream':
      return typeof c.name === 'string' && typeof c.text === 'string' ? undefined : 'stream without string name and text';
    case 'display_data':
    case 'update_display_data':
      return isDisplay(c) ? undefined : `${type} without a valid MIME bundle and metadata`;
    case 'execute_result':
      return isDisplay(c) && isCount(c.execution_count) ? undefined : 'execute_result without a valid MIME bundle, metadata and execution_count';
    case 'error':
      return typeof c.ename === 'string' && typeof c.evalue === 'string' && isStringArray(c.traceback) ? undefined : 'error without string ename, evalue and a traceback of strings';
    case 'clear_output':
      return c.wait === undefined || typeof c.wait === 'boolean' ? undefined : 'clear_output with a non-boolean wait';
    case 'execute_input':
      return typeof c.code === 'string' ? undefined : 'execute_input without string code';
    case 'input_request':
      return typeof c.prompt === 'string' && (c.password === undefined || typeof c.password === 'boolean') ? undefined : 'input_request without a string prompt';
    case 'comm_open':
      return typeof c.comm_id === 'string' && typeof c.target_name === 'string' && (c.data === undefined || isObject(c.data)) ? undefined : 'comm_open without string comm_id and target_name';
    case 'comm_msg':
    case 'comm_close':
      return typeof c.comm_id === 'string' && (c.data === undefined || isObject(c.data)) ? undefined : `${type} without a string comm_id`;
    case 'shutdown_reply':
      return typeof c.restart === 'boolean' || c.restart === undefined ? undefined : 'shutdown_reply with a non-boolean restart';
    case 'execute_reply': {
      const s = c.status;
      if (s === 'ok') return c.execution_count === undefined || isCount(c.execution_count) ? undefined : 'execute_reply with an invalid execution_count';
      if (s === 'error') {
        return (c.execution_count === undefined || isCount(c.execution_count)) &&
          (c.ename === undefined || typeof c.ename === 'string') &&
          (c.evalue === undefined || typeof c.evalue === 'string') &&
          (c.traceback === undefined || isStringArray(c.traceback))
          ? undefined
          : 'execute_reply with invalid error fields';
      }
      return s === 'aborted' || s === 'abort' ? undefined : 'execute_reply without a known status';
    }
    default:
      // Every other reply: a string status is what callers branch on.
      if (type.endsWith('_reply')) return typeof c.status === 'string' ? undefined : `${type} without a string status`;
      return undefined;
  }
}
