/**
 * Response and request models shaped as Zoho's JavaScript SDK returns them: an APIResponse
 * whose object is an ActionWrapper (per-item SuccessResponse / APIException), a
 * ResponseWrapper (records and info) or an APIException. Ids stay strings.
 */
import { Choice } from './params.js';

/** The answer to one call: HTTP status, headers, and the parsed object (null when there is no body). */
export class APIResponse<T = unknown> {
  constructor(private readonly headers: Map<string, string>, private readonly statusCode: number, private readonly object: T | null) {}
  getStatusCode(): number {
    return this.statusCode;
  }
  getHeaders(): Map<string, string> {
    return this.headers;
  }
  getObject(): T | null {
    return this.object;
  }
}

/** Fields shared by success responses and API exceptions. */
abstract class ActionResponseBase {
  protected readonly code: Choice<string>;
  protected readonly status: Choice<string>;
  protected readonly message: Choice<string>;
  protected readonly details: Map<string, unknown>;
  constructor(item: { [k: string]: unknown }) {
    this.code = new Choice(String(item.code ?? ''));
    this.status = new Choice(String(item.status ?? ''));
    this.message = new Choice(String(item.message ?? ''));
    const d = item.details && typeof item.details === 'object' ? (item.details as { [k: string]: unknown }) : {};
    this.details = new Map(Object.entries(d));
  }
  getCode(): Choice<string> {
    return this.code;
  }
  getStatus(): Choice<string> {
    return this.status;
  }
  getMessage(): Choice<string> {
    return this.message;
  }
  getDetails(): Map<string, unknown> {
    return this.details;
  }
}

/** One item that succeeded (`"status":"success"`). */
export class SuccessResponse extends ActionResponseBase {}

/** An error answer, for one item or for the whole request (`"status":"error"`). */
export class APIException extends ActionResponseBase {}

/** `{"data":[…]}` answers of delink, link, insert, update and delete. */
export class ActionWrapper {
  constructor(private readonly data: (SuccessResponse | APIException)[]) {}
  getData(): (SuccessResponse | APIException)[] {
    return this.data;
  }
}

/** A user reference (`Owner`, `Created_By`, `Modified_By`). */
export class User {
  constructor(private readonly raw: { [k: string]: unknown }) {}
  getId(): string | undefined {
    return this.raw.id as string | undefined;
  }
  getName(): string | undefined {
    return this.raw.name as string | undefined;
  }
  getEmail(): string | undefined {
    return this.raw.email as string | undefined;
  }
}

/** A record: field values by API name. */
export class Record {
  private readonly keyValues = new Map<string, unknown>();
  getId(): string | undefined {
    return this.keyValues.get('id') as string | undefined;
  }
  setId(id: string | bigint): void {
    this.keyValues.set('id', String(id));
  }
  getKeyValue(name: string): unknown {
    return this.keyValues.get(name);
  }
  getKeyValues(): Map<string, unknown> {
    return this.keyValues;
  }
  addKeyValue(name: string, value: unknown): void {
    this.keyValues.set(name, value);
  }
  getCreatedBy(): User | undefined {
    return userOf(this.keyValues.get('Created_By'));
  }
  getModifiedBy(): User | undefined {
    return userOf(this.keyValues.get('Modified_By'));
  }
  getOwner(): User | undefined {
    return userOf(this.keyValues.get('Owner'));
  }
  getCreatedTime(): Date | undefined {
    return dateOf(this.keyValues.get('Created_Time'));
  }
  getModifiedTime(): Date | undefined {
    return dateOf(this.keyValues.get('Modified_Time'));
  }
  getTag(): unknown[] | undefined {
    return this.keyValues.get('Tag') as unknown[] | undefined;
  }
  /** The JSON sent for this record. */
  toJSON(): { [k: string]: unknown } {
    return Object.fromEntries(this.keyValues);
  }
  static fromJSON(raw: { [k: string]: unknown }): Record {
    const r = new Record();
    for (const [k, v] of Object.entries(raw)) r.addKeyValue(k, v);
    return r;
  }
}

const userOf = (v: unknown) => (v && typeof v === 'object' ? new User(v as { [k: string]: unknown }) : undefined);
const dateOf = (v: unknown) => (typeof v === 'string' ? new Date(v) : undefined);

/** Zoho's page information. */
export class Info {
  constructor(private readonly raw: { [k: string]: unknown }) {}
  getPerPage(): number | undefined {
    return this.raw.per_page as number | undefined;
  }
  getCount(): number | undefined {
    return this.raw.count as number | undefined;
  }
  getPage(): number | undefined {
    return this.raw.page as number | undefined;
  }
  getMoreRecords(): boolean | undefined {
    return this.raw.more_records as boolean | undefined;
  }
}

/** `{"data":[records], "info":{…}}` answers of list and get calls. */
export class ResponseWrapper {
  constructor(private readonly data: Record[], private readonly info: Info | undefined) {}
  getData(): Record[] {
    return this.data;
  }
  getInfo(): Info | undefined {
    return this.info;
  }
}

/** The request body of link, insert and update calls. */
export class BodyWrapper {
  private data: Record[] = [];
  getData(): Record[] {
    return this.data;
  }
  setData(data: Record[]): void {
    this.data = data;
  }
}

type Body = { [k: string]: unknown } | undefined;

/** Per-item answers become SuccessResponse or APIException; a flat error becomes one APIException. */
export function actionObject(body: unknown): ActionWrapper | APIException | null {
  const b = body as Body;
  if (!b || typeof b !== 'object') return null;
  if (Array.isArray(b.data)) {
    return new ActionWrapper(b.data.map((item) => {
      const i = (item && typeof item === 'object' ? item : {}) as { [k: string]: unknown };
      return i.status === 'success' ? new SuccessResponse(i) : new APIException(i);
    }));
  }
  return typeof b.code === 'string' ? new APIException(b) : null;
}

/** Record lists become a ResponseWrapper; a flat error becomes an APIException. */
export function responseObject(body: unknown): ResponseWrapper | APIException | null {
  const b = body as Body;
  if (!b || typeof b !== 'object') return null;
  if (Array.isArray(b.data)) {
    const info = b.info && typeof b.info === 'object' ? new Info(b.info as { [k: string]: unknown }) : undefined;
    return new ResponseWrapper(b.data.map((r) => Record.fromJSON(r as { [k: string]: unknown })), info);
  }
  return typeof b.code === 'string' ? new APIException(b) : null;
}
