/**
 * Parameters and headers as Zoho's JavaScript SDK takes them: `new ParameterMap()`, then
 * `await paramInstance.add(ZCRM.RelatedRecord.Model.DelinkRecordsParam.IDS, id)`.
 */
import { ZcrmUsageError } from '../errors.js';
import { idText } from '../ids.js';

/** A named query parameter; `ids` parameters check each id's type. */
export class Param<T = unknown> {
  constructor(private readonly name: string, readonly kind: 'ids' | 'value' = 'value') {}
  getName(): string {
    return this.name;
  }
  /** Declared for source compatibility; the value type is checked at `add`. */
  declare readonly _type?: T;
}

/** A named request header. */
export class Header<T = unknown> {
  constructor(private readonly name: string) {}
  getName(): string {
    return this.name;
  }
  declare readonly _type?: T;
}

function text(value: unknown, what: string): string {
  if (value === null || value === undefined) throw new ZcrmUsageError(`${what}: the value is null`);
  if (value instanceof Date) return value.toISOString().replace(/\.\d{3}Z$/, '+00:00');
  return String(value);
}

/**
 * Query parameters for an operation. Adding the same parameter again appends the value,
 * comma-separated, as Zoho's SDKs do (so repeated `IDS` make one `ids=a,b,c`).
 *
 * @example
 * const params = new ParameterMap();
 * await params.add(ZCRM.RelatedRecord.Model.DelinkRecordsParam.IDS, '3652397000000925128');
 * await params.add(ZCRM.RelatedRecord.Model.DelinkRecordsParam.IDS, 3652397000000649013n);
 */
export class ParameterMap {
  private readonly parameterMap = new Map<string, string>();

  async add<T>(param: Param<T>, value: T): Promise<void> {
    if (!(param instanceof Param)) throw new ZcrmUsageError('ParameterMap.add needs a Param, e.g. ZCRM.RelatedRecord.Model.DelinkRecordsParam.IDS');
    const name = param.getName();
    const v = param.kind === 'ids' ? idText(value, `${name} value`) : text(value, name);
    const before = this.parameterMap.get(name);
    this.parameterMap.set(name, before === undefined ? v : `${before},${v}`);
  }

  getParameterMap(): Map<string, string> {
    return this.parameterMap;
  }
}

/**
 * Request headers for an operation (e.g. `If-Modified-Since`).
 *
 * @example
 * const headers = new HeaderMap();
 * await headers.add(ZCRM.RelatedRecord.Model.GetRelatedRecordsHeader.IF_MODIFIED_SINCE, new Date());
 */
export class HeaderMap {
  private readonly headerMap = new Map<string, string>();

  async add<T>(header: Header<T>, value: T): Promise<void> {
    if (!(header instanceof Header)) throw new ZcrmUsageError('HeaderMap.add needs a Header');
    const name = header.getName();
    const v = text(value, name);
    const before = this.headerMap.get(name);
    this.headerMap.set(name, before === undefined ? v : `${before},${v}`);
  }

  getHeaderMap(): Map<string, string> {
    return this.headerMap;
  }
}

/** A value from a fixed list (code, status, message, picklist values); `getValue()` gives it. */
export class Choice<T = string> {
  constructor(private readonly value: T) {}
  getValue(): T {
    return this.value;
  }
  toString(): string {
    return String(this.value);
  }
  toJSON(): T {
    return this.value;
  }
}
