/** The `ZCRM` namespace of Zoho's JavaScript SDK, as far as related records and records go. */
import { ActionWrapper, APIException, BodyWrapper, Info, Record, ResponseWrapper, SuccessResponse, User } from './models.js';
import { RecordOperations, RelatedRecordsOperations } from './operations.js';
import { Header, Param } from './params.js';
import { initialize } from './session.js';

const shared = { ActionWrapper, APIException, BodyWrapper, ResponseWrapper, SuccessResponse, Info };

/**
 * Zoho's JavaScript SDK surface: `ZCRM.initialize`, `ZCRM.RelatedRecord.Operations`,
 * `ZCRM.RelatedRecord.Model.DelinkRecordsParam.IDS`, `ZCRM.Record.Operations` and their models.
 *
 * @example
 * await ZCRM.initialize({ apiDomain, accessToken });
 * const ops = new ZCRM.RelatedRecord.Operations('Contacts', '3652397000000327001', 'Campaigns');
 * const response = await ops.delinkRecord('3652397000000925128');
 * console.log(response.getStatusCode());
 */
export const ZCRM = {
  initialize,
  RelatedRecord: {
    Operations: RelatedRecordsOperations,
    Model: {
      ...shared,
      DelinkRecordsParam: { IDS: new Param<string | bigint>('ids', 'ids') },
      GetRelatedRecordsParam: { PAGE: new Param<number>('page'), PER_PAGE: new Param<number>('per_page'), FIELDS: new Param<string>('fields') },
      GetRelatedRecordsHeader: { IF_MODIFIED_SINCE: new Header<Date>('If-Modified-Since') },
      GetRelatedRecordHeader: { IF_MODIFIED_SINCE: new Header<Date>('If-Modified-Since') },
    },
  },
  Record: {
    Operations: RecordOperations,
    Model: {
      ...shared,
      Record,
      GetRecordParam: { FIELDS: new Param<string>('fields') },
      GetRecordsParam: {
        PAGE: new Param<number>('page'), PER_PAGE: new Param<number>('per_page'), FIELDS: new Param<string>('fields'),
        SORT_BY: new Param<string>('sort_by'), SORT_ORDER: new Param<string>('sort_order'), IDS: new Param<string | bigint>('ids', 'ids'),
      },
      DeleteRecordsParam: { IDS: new Param<string | bigint>('ids', 'ids') },
      GetRecordsHeader: { IF_MODIFIED_SINCE: new Header<Date>('If-Modified-Since') },
    },
  },
  User: { Model: { User } },
} as const;
