/**
 * Validates HTTP answers against the response schemas of a spec in spec/: the operation is found
 * by method and path template (as openapi-fetch middleware reports it), the response by status,
 * and the body is checked with Ajv against that response's `application/json` schema, `$ref`s
 * resolved within the spec. Used to hold spec/jupyter-server.yaml and spec/jupyterhub.yaml to what
 * real servers send.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv, { type ValidateFunction } from 'ajv';
import yaml from 'js-yaml';

type Obj = Record<string, any>;

const pointer = (...parts: string[]) => '#/' + parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

export class SpecValidator {
  private readonly spec: Obj;
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(file: string) {
    this.spec = yaml.load(readFileSync(fileURLToPath(new URL(`../../spec/${file}`, import.meta.url)), 'utf8')) as Obj;
    // OpenAPI 3.0 schema objects: `nullable` is understood by Ajv; `example`, `discriminator`
    // without mapping and the like are annotations (strict: false). Formats are not checked.
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    this.ajv.addSchema(this.spec, 'spec');
  }

  /** Every `METHOD template` of the spec. */
  operations(): string[] {
    const out: string[] = [];
    for (const [path, item] of Object.entries(this.spec.paths as Obj))
      for (const m of ['get', 'put', 'post', 'patch', 'delete']) if (item[m]) out.push(`${m.toUpperCase()} ${path}`);
    return out;
  }

  /**
   * What is wrong with answering `method path` with `status` and `body` (parsed JSON, or text):
   * an empty list when the spec declares that status and the body fits its schema.
   */
  check(method: string, path: string, status: number, contentType: string | null, body: unknown): string[] {
    const op = (this.spec.paths as Obj)[path]?.[method.toLowerCase()];
    if (!op) return [`${method} ${path} is not in the spec`];
    let key: string[] = ['paths', path, method.toLowerCase(), 'responses', String(status)];
    let response: Obj | undefined = op.responses[String(status)];
    if (!response) return [`${method} ${path} answered ${status}, which the spec does not declare (it has ${Object.keys(op.responses).join(', ')})`];
    if (response.$ref) {
      key = (response.$ref as string).slice(2).split('/');
      response = this.resolve(response.$ref);
    }
    const content: Obj | undefined = response!.content;
    if (!content) return body === undefined || body === '' ? [] : [`${method} ${path} ${status}: the spec declares no body, the server sent one`];
    const json = content['application/json'];
    if (!json) {
      const declared = Object.keys(content);
      const type = (contentType ?? '').split(';')[0]!.trim();
      return declared.includes(type) || declared.some((d) => d.endsWith('/*') && type.startsWith(d.slice(0, -1))) ? [] : [`${method} ${path} ${status}: content type ${type} is not one of ${declared.join(', ')}`];
    }
    if (typeof body === 'string') {
      // A response may declare text beside JSON for a server that sends text under a JSON label (2.x's contents 404).
      if (content['text/plain']) return [];
      return [`${method} ${path} ${status}: the spec declares JSON, the server sent ${JSON.stringify(body.slice(0, 80))}`];
    }
    const ref = pointer(...key, 'content', 'application/json', 'schema');
    const validate = this.validator(ref);
    if (!validate(body))
      return (validate.errors ?? []).map((e) => `${method} ${path} ${status}: ${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`);
    return this.undeclared({ $ref: ref }, body, '').map((k) => `${method} ${path} ${status}: key ${k} is not described by the spec`);
  }

  /** What is wrong with `value` as an instance of the spec's schema `components/schemas/<name>`: [] when it fits, every key described. */
  checkSchema(name: string, value: unknown): string[] {
    const ref = pointer('components', 'schemas', name);
    const validate = this.validator(ref);
    if (!validate(value)) return (validate.errors ?? []).map((e) => `${name}: ${e.instancePath || '(value)'} ${e.message} ${JSON.stringify(e.params)}`);
    return this.undeclared({ $ref: ref }, value, '').map((k) => `${name}: key ${k} is not described by the spec`);
  }

  /** The `METHOD template` of the spec that a concrete request path matches (literal segments beat parameters). */
  template(method: string, path: string): string | undefined {
    const segments = path.split('/');
    let best: { path: string; literals: number } | undefined;
    for (const [template, item] of Object.entries(this.spec.paths as Obj)) {
      if (!item[method.toLowerCase()]) continue;
      const parts = template.split('/');
      if (parts.length !== segments.length) continue;
      let literals = 0;
      const fits = parts.every((part, i) => (/^\{\w+\}$/.test(part) ? segments[i] !== '' : part === segments[i] && ++literals > 0));
      if (fits && (!best || literals > best.literals)) best = { path: template, literals };
    }
    return best?.path;
  }

  /**
   * Keys of `value` that its schema does not describe: not among the properties of an object
   * schema (of all its `allOf` parts, or of the `oneOf`/`anyOf` branch the value matches) that
   * does not allow additional properties. Ajv cannot say this: the spec leaves objects open.
   */
  private undeclared(schema: Obj, value: unknown, at: string): string[] {
    schema = this.deref(schema);
    if (value === null || typeof value !== 'object') return [];
    const branches = (schema.oneOf ?? schema.anyOf) as Obj[] | undefined;
    if (branches) {
      const match = branches.find((b) => !b.$ref || this.fits(b.$ref, value));
      return match ? this.undeclared(match, value, at) : [];
    }
    if (Array.isArray(value)) return schema.items ? value.flatMap((v, i) => this.undeclared(schema.items, v, `${at}[${i}]`)) : [];
    const parts = schema.allOf ? (schema.allOf as Obj[]).map((p) => this.deref(p)) : [schema];
    const props: Obj = Object.assign({}, ...parts.map((p) => p.properties ?? {}));
    const extra = parts.map((p) => p.additionalProperties).find((x) => x !== undefined && x !== false);
    const out: string[] = [];
    for (const [key, v] of Object.entries(value)) {
      const where = `${at}.${key}`;
      if (props[key]) out.push(...this.undeclared(props[key], v, where));
      else if (extra === true) continue;
      else if (extra) out.push(...this.undeclared(extra, v, where));
      else out.push(where);
    }
    return out;
  }

  private fits(ref: string, value: unknown): boolean {
    return this.validator(ref)(value) as boolean;
  }

  /** The compiled schema at `ref` (`#/...` within the spec), compiled once. */
  private validator(ref: string): ValidateFunction {
    let validate = this.cache.get(ref);
    if (!validate) this.cache.set(ref, (validate = this.ajv.compile({ $ref: 'spec' + ref })));
    return validate;
  }

  private deref(schema: Obj): Obj {
    while (schema.$ref) schema = this.resolve(schema.$ref);
    return schema;
  }

  private resolve(ref: string): Obj {
    return ref
      .slice(2)
      .split('/')
      .map(decodeURIComponent)
      .reduce((node: Obj, part) => node[part.replace(/~1/g, '/').replace(/~0/g, '~')], this.spec);
  }
}
