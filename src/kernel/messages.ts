/**
 * Jupyter messaging protocol 5.x types: a discriminated union on `header.msg_type`, lenient on
 * purpose (unknown types and fields pass through untouched; nothing is validated at runtime).
 */
import type { IMimeBundle } from '@jupyterlab/nbformat';

/** The WebSocket channel a message travels on. */
export type Channel = 'shell' | 'iopub' | 'stdin' | 'control';

/** Message header. `date` is an ISO string; the kernel may add fields such as `subshell_id`. */
export interface MessageHeader<T extends string = string> {
  msg_id: string;
  msg_type: T;
  session: string;
  username: string;
  date: string;
  version: string;
  [key: string]: unknown;
}

/** Binary buffers as received (zero-copy views into the frame) or as given to a send. */
export type BinaryBuffer = ArrayBuffer | ArrayBufferView;

/** One message; `parent_header` is `{}` when the message has no parent. */
export interface Message<T extends string = string, C = Record<string, unknown>> {
  channel: Channel;
  header: MessageHeader<T>;
  parent_header: MessageHeader | Record<string, never>;
  metadata: Record<string, unknown>;
  content: C;
  /** Received messages carry `Uint8Array` views; outgoing ones may use any ArrayBuffer or view. */
  buffers: BinaryBuffer[];
}

/** `status: error` fields shared by replies and the `error` iopub message. */
export interface ErrorFields {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** Reply status; `aborted` is sent by ipykernel for requests skipped after an error. */
export type ReplyStatus = 'ok' | 'error' | 'aborted' | 'abort';

/** Fields of every `*_reply` content. */
export interface ReplyBase extends Partial<ErrorFields> {
  status: ReplyStatus;
}

/** Output-like content: MIME bundle, metadata and an optional display id. */
export interface DisplayContent {
  data: IMimeBundle;
  metadata: Record<string, unknown>;
  transient?: { display_id?: string };
}

/** Kernel status as reported on iopub (`restarting`/`dead` are synthesized by the server). */
export type ExecutionState = 'busy' | 'idle' | 'starting' | 'restarting' | 'dead';

/** Content of every message type this SDK knows, by `msg_type`. */
export interface MessageContents {
  execute_request: {
    code: string;
    silent: boolean;
    store_history: boolean;
    user_expressions: Record<string, string>;
    allow_stdin: boolean;
    stop_on_error: boolean;
  };
  execute_reply: ReplyBase & {
    execution_count: number | null;
    user_expressions?: Record<string, unknown>;
    payload?: Record<string, unknown>[];
  };
  execute_input: { code: string; execution_count: number | null };
  execute_result: DisplayContent & { execution_count: number | null };
  display_data: DisplayContent;
  update_display_data: DisplayContent;
  stream: { name: 'stdout' | 'stderr'; text: string };
  error: ErrorFields;
  status: { execution_state: ExecutionState };
  clear_output: { wait: boolean };
  input_request: { prompt: string; password: boolean };
  input_reply: { value: string; status?: ReplyStatus };
  complete_request: { code: string; cursor_pos: number };
  complete_reply: ReplyBase & { matches: string[]; cursor_start: number; cursor_end: number; metadata: Record<string, unknown> };
  inspect_request: { code: string; cursor_pos: number; detail_level: 0 | 1 };
  inspect_reply: ReplyBase & { found: boolean; data: IMimeBundle; metadata: Record<string, unknown> };
  is_complete_request: { code: string };
  is_complete_reply: ReplyBase & { status: 'complete' | 'incomplete' | 'invalid' | 'unknown' | 'error'; indent?: string };
  history_request: HistoryParams & { output: boolean; raw: boolean };
  history_reply: ReplyBase & { history: [number, number, string | [string, string]][] };
  kernel_info_request: Record<string, never>;
  kernel_info_reply: ReplyBase & {
    protocol_version: string;
    implementation: string;
    implementation_version: string;
    language_info: { name: string; version: string; mimetype?: string; file_extension?: string; [key: string]: unknown };
    banner: string;
    help_links?: { text: string; url: string }[];
    supported_features?: string[];
    debugger?: boolean;
  };
  comm_open: { comm_id: string; target_name: string; data: Record<string, unknown>; target_module?: string };
  comm_msg: { comm_id: string; data: Record<string, unknown> };
  comm_close: { comm_id: string; data: Record<string, unknown> };
  comm_info_request: { target_name?: string };
  comm_info_reply: ReplyBase & { comms: Record<string, { target_name: string }> };
  interrupt_request: Record<string, never>;
  interrupt_reply: ReplyBase;
  shutdown_request: { restart: boolean };
  shutdown_reply: ReplyBase & { restart: boolean };
}

/** A message type this SDK knows. */
export type KnownMsgType = keyof MessageContents;

/** Parameters of `history_request`. */
export interface HistoryParams {
  hist_access_type: 'range' | 'tail' | 'search';
  output?: boolean;
  raw?: boolean;
  session?: number;
  start?: number;
  stop?: number;
  n?: number;
  pattern?: string;
  unique?: boolean;
}

/**
 * Any known kernel message, discriminated on `header.msg_type`. TypeScript does not narrow on a
 * nested field, so narrow with {@link isMessageType}.
 * @example
 * if (isMessageType(msg, 'stream')) process.stdout.write(msg.content.text);
 */
export type KernelMessage = { [K in KnownMsgType]: Message<K, MessageContents[K]> }[KnownMsgType];

/** A message of a type this SDK does not model (debug_event, iopub_welcome, ...). */
export type GenericKernelMessage = Message<string, Record<string, unknown>>;

/** Content type of a message type (generic object for unknown ones). */
export type ContentOf<T extends string> = T extends KnownMsgType ? MessageContents[T] : Record<string, unknown>;

/**
 * Narrows a message by `header.msg_type`.
 * @example
 * if (isMessageType(msg, 'execute_result')) console.log(msg.content.data['text/plain']);
 */
export function isMessageType<T extends KnownMsgType>(msg: Message<string, unknown>, type: T): msg is Message<T, MessageContents[T]> {
  return msg.header.msg_type === type;
}

/** Protocol version sent in our headers; any 5.x is accepted from kernels. */
export const PROTOCOL_VERSION = '5.4';

/** A random UUID (crypto.randomUUID where present: browsers in secure contexts, Node). */
export function uuid(): string {
  const c = globalThis.crypto;
  if (c?.randomUUID) return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 15) | 64;
  b[8] = (b[8]! & 63) | 128;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Builds a message with a fresh `msg_id`, our session and protocol version 5.4. */
export function createMessage<T extends string>(
  channel: Channel,
  msgType: T,
  session: string,
  content: ContentOf<T>,
  extra: { parent?: MessageHeader | undefined; metadata?: Record<string, unknown> | undefined; buffers?: BinaryBuffer[] | undefined } = {},
): Message<T, ContentOf<T>> {
  return {
    channel,
    header: { msg_id: uuid(), msg_type: msgType, session, username: '', date: new Date().toISOString(), version: PROTOCOL_VERSION },
    parent_header: extra.parent ?? {},
    metadata: extra.metadata ?? {},
    content,
    buffers: extra.buffers ?? [],
  };
}
