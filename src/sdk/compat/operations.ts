/**
 * `ZCRM.RelatedRecord.Operations` and `ZCRM.Record.Operations`, with the method names and
 * argument order of Zoho's JavaScript SDK, so code written for it runs unchanged.
 */
import { toId, type IdLike } from '../ids.js';
import type { RawResponse } from '../transport.js';
import { APIResponse, actionObject, responseObject, type APIException, type ActionWrapper, type BodyWrapper, type ResponseWrapper } from './models.js';
import { HeaderMap, ParameterMap } from './params.js';
import { currentClient } from './session.js';

type ActionAnswer = Promise<APIResponse<ActionWrapper | APIException>>;
type RecordsAnswer = Promise<APIResponse<ResponseWrapper | APIException>>;

const seg = (s: string) => encodeURIComponent(s);

function wrap<T>(raw: RawResponse, convert: (body: unknown) => T | null): APIResponse<T> {
  const headers = new Map<string, string>();
  raw.headers.forEach((v, k) => headers.set(k, v));
  return new APIResponse<T>(headers, raw.status, convert(raw.body));
}

async function send(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, params?: ParameterMap | null, headers?: HeaderMap | null, body?: BodyWrapper,
): Promise<RawResponse> {
  return currentClient().request({
    method, path,
    query: params ? Object.fromEntries(params.getParameterMap()) : undefined,
    headers: headers ? Object.fromEntries(headers.getHeaderMap()) : undefined,
    body: body ? { data: body.getData().map((r) => r.toJSON()) } : undefined,
  });
}

/**
 * Related-record operations on one record's related list.
 *
 * @example
 * const ops = new ZCRM.RelatedRecord.Operations('Contacts', 3652397000000327001n, 'Campaigns');
 * const params = new ParameterMap();
 * await params.add(ZCRM.RelatedRecord.Model.DelinkRecordsParam.IDS, '3652397000000925128');
 * const response = await ops.delinkRecords(params);
 */
export class RelatedRecordsOperations {
  private readonly path: string;

  constructor(relatedListAPIName: string, recordId: IdLike, moduleAPIName: string) {
    this.path = `${seg(moduleAPIName)}/${toId(recordId, 'recordId')}/${seg(relatedListAPIName)}`;
  }

  async getRelatedRecords(paramInstance?: ParameterMap | null, headerInstance?: HeaderMap | null): RecordsAnswer {
    return wrap(await send('GET', this.path, paramInstance, headerInstance), responseObject);
  }

  async getRelatedRecord(relatedRecordId: IdLike, headerInstance?: HeaderMap | null): RecordsAnswer {
    return wrap(await send('GET', `${this.path}/${toId(relatedRecordId, 'relatedRecordId')}`, null, headerInstance), responseObject);
  }

  async updateRelatedRecords(request: BodyWrapper): ActionAnswer {
    return wrap(await send('PUT', this.path, null, null, request), actionObject);
  }

  async updateRelatedRecord(relatedRecordId: IdLike, request: BodyWrapper): ActionAnswer {
    return wrap(await send('PUT', `${this.path}/${toId(relatedRecordId, 'relatedRecordId')}`, null, null, request), actionObject);
  }

  async delinkRecords(paramInstance: ParameterMap): ActionAnswer {
    return wrap(await send('DELETE', this.path, paramInstance), actionObject);
  }

  async delinkRecord(relatedRecordId: IdLike): ActionAnswer {
    return wrap(await send('DELETE', `${this.path}/${toId(relatedRecordId, 'relatedRecordId')}`), actionObject);
  }
}

/**
 * Record operations; the module is given to each method, as in Zoho's JavaScript SDK.
 *
 * @example
 * const ops = new ZCRM.Record.Operations();
 * const response = await ops.getRecord('3652397000000900001', 'Leads');
 */
export class RecordOperations {
  async getRecord(recordId: IdLike, moduleAPIName: string, paramInstance?: ParameterMap | null, headerInstance?: HeaderMap | null): RecordsAnswer {
    return wrap(await send('GET', `${seg(moduleAPIName)}/${toId(recordId, 'recordId')}`, paramInstance, headerInstance), responseObject);
  }

  async getRecords(moduleAPIName: string, paramInstance?: ParameterMap | null, headerInstance?: HeaderMap | null): RecordsAnswer {
    return wrap(await send('GET', seg(moduleAPIName), paramInstance, headerInstance), responseObject);
  }

  async createRecords(moduleAPIName: string, request: BodyWrapper): ActionAnswer {
    return wrap(await send('POST', seg(moduleAPIName), null, null, request), actionObject);
  }

  async updateRecords(moduleAPIName: string, request: BodyWrapper): ActionAnswer {
    return wrap(await send('PUT', seg(moduleAPIName), null, null, request), actionObject);
  }

  async updateRecord(recordId: IdLike, moduleAPIName: string, request: BodyWrapper): ActionAnswer {
    return wrap(await send('PUT', `${seg(moduleAPIName)}/${toId(recordId, 'recordId')}`, null, null, request), actionObject);
  }

  async deleteRecord(recordId: IdLike, moduleAPIName: string, paramInstance?: ParameterMap | null): ActionAnswer {
    return wrap(await send('DELETE', `${seg(moduleAPIName)}/${toId(recordId, 'recordId')}`, paramInstance), actionObject);
  }

  async deleteRecords(moduleAPIName: string, paramInstance: ParameterMap): ActionAnswer {
    return wrap(await send('DELETE', seg(moduleAPIName), paramInstance), actionObject);
  }
}
