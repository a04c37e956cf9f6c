/**
 * Shape checks for the content of the message types the SDK interprets, so that a message a
 * broken kernel or proxy garbled never becomes a bogus nbformat output, status or reply. One
 * table row per message type: the fields it must have and a check for each, a few `typeof`
 * tests without allocation on the message path.
 */

type Content = Record<string, unknown>;
type Check = (v: unknown) => boolean;

const isObject = (v: unknown): v is Content => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString: Check = (v) => typeof v === 'string';
const isBoolean: Check = (v) => typeof v === 'boolean';

const isStringArray: Check = (v) => {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return false;
  return true;
};

/** An nbformat execution count: a non-negative integer or null. */
const isCount: Check = (v) => v === null || (Number.isInteger(v) && (v as number) >= 0);

/** The field may be missing (`undefined`); when present it must pass `check`. */
const optional =
  (check: Check): Check =>
  (v) =>
    v === undefined || check(v);

/**
 * nbformat's `mimebundle`: values are multiline strings (a string or an array of strings),
 * except for JSON MIME types (`application/json`, `application/…+json`) whose value may be any JSON.
 */
const isMimeBundle: Check = (v) => {
  if (!isObject(v)) return false;
  for (const key in v) {
    const value = v[key];
    if (key.startsWith('application/') && (key === 'application/json' || key.endsWith('+json'))) {
      if (value === undefined) return false;
    } else if (typeof value !== 'string' && !isStringArray(value)) return false;
  }
  return true;
};

// Rows are flat lists of field name and check, walked with an index (no iterator per message).
type Row = (string | Check)[];

const countOrMissing = optional(isCount);
const dataOrMissing = optional(isObject);
const stringOrMissing = optional(isString);
// Output metadata is optional in kernel messages (missing or null is `{}`), an object when present.
const display: Row = ['data', isMimeBundle, 'metadata', (v) => v == null || isObject(v), 'transient', optional((t) => isObject(t) && stringOrMissing(t.display_id))];
const comm: Row = ['comm_id', isString, 'data', dataOrMissing];

const ROWS: Record<string, Row> = {
  __proto__: null as never,
  status: ['execution_state', isString],
  stream: ['name', isString, 'text', isString],
  display_data: display,
  update_display_data: display,
  execute_result: [...display, 'execution_count', isCount],
  error: ['ename', isString, 'evalue', isString, 'traceback', isStringArray],
  clear_output: ['wait', optional(isBoolean)],
  execute_input: ['code', isString],
  input_request: ['prompt', isString, 'password', optional(isBoolean)],
  comm_open: ['comm_id', isString, 'target_name', isString, 'data', dataOrMissing],
  comm_msg: comm,
  comm_close: comm,
  shutdown_reply: ['restart', optional(isBoolean)],
};

/** `execute_reply` by its status: the fields that status brings. */
const EXECUTE_REPLY: Record<string, Row> = {
  __proto__: null as never,
  ok: ['execution_count', countOrMissing],
  error: ['execution_count', countOrMissing, 'ename', stringOrMissing, 'evalue', stringOrMissing, 'traceback', optional(isStringArray)],
  aborted: [],
  abort: [],
};

/**
 * What is wrong with the content of a message of type `type`, or `undefined` when it has the
 * shape the SDK relies on. Types the SDK does not interpret always pass (they reach the caller
 * as they came); of other replies, a string status is what callers branch on.
 */
export function contentProblem(type: string, c: Content): string | undefined {
  let row = ROWS[type];
  if (type === 'execute_reply') {
    const status = c.status;
    row = typeof status === 'string' ? EXECUTE_REPLY[status] : undefined;
    if (!row) return 'execute_reply without a known status';
  } else if (!row) return type.endsWith('_reply') && typeof c.status !== 'string' ? `${type} without a string status` : undefined;
  for (let i = 0; i < row.length; i += 2) {
    const key = row[i] as string;
    if (!(row[i + 1] as Check)(c[key])) return `${type} with an invalid ${key}`;
  }
  return undefined;
}
