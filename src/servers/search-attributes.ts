import type { Connection } from '@temporalio/client';

/** Search attribute types as Temporal names them in its CLI and UI. */
export type SearchAttributeTypeName = 'Text' | 'Keyword' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

export type SearchAttributeSchema = Readonly<Record<string, SearchAttributeTypeName>>;

// Values of the proto enum temporal.api.enums.v1.IndexedValueType, which the SDK does not
// export at run time outside its proto package.
const INDEXED_VALUE_TYPE: Record<SearchAttributeTypeName, number> = {
  Text: 1,
  Keyword: 2,
  Int: 3,
  Double: 4,
  Bool: 5,
  Datetime: 6,
  KeywordList: 7,
};

/** A wanted search attribute already exists on the server with another type. */
export class SearchAttributeConflictError extends Error {
  override readonly name = 'SearchAttributeConflictError';
}

/**
 * Makes sure each attribute of `schema` exists in `namespace` with its type, adding the
 * missing ones; an existing attribute of another type is an error (Temporal cannot change it).
 */
export async function ensureSearchAttributes(
  connection: Connection,
  namespace: string,
  schema: SearchAttributeSchema,
): Promise<void> {
  const listed = await connection.operatorService.listSearchAttributes({ namespace });
  const existing: Record<string, number> = { ...listed.systemAttributes, ...listed.customAttributes };
  const missing: Record<string, number> = {};
  for (const [name, type] of Object.entries(schema)) {
    const wanted = INDEXED_VALUE_TYPE[type];
    const present = existing[name];
    if (present === undefined) missing[name] = wanted;
    else if (present !== wanted) {
      throw new SearchAttributeConflictError(
        `search attribute ${name} already exists in namespace ${namespace} as ${typeName(present)}, not ${type}`,
      );
    }
  }
  if (Object.keys(missing).length > 0) {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  }
}

function typeName(code: number): string {
  const entry = Object.entries(INDEXED_VALUE_TYPE).find(([, value]) => value === code);
  return entry ? entry[0] : `type #${code}`;
}
