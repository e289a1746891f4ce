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
export async function ensureSearchAttributes(connection: Connection, namespace: string, schema: SearchAttributeSchema): Promise<void> {
  const listed = await connection.operatorService.listSearchAttributes({ namespace });
  const existing: Record<string, number> = { ...listed.systemAttributes, ...listed.customAttributes };
  const missing: Record<string, SearchAttributeTypeName> = {};
  for (const [name, type] of Object.entries(schema)) {
    const present = existing[name];
    if (present === undefined) missing[name] = type;
    else if (present !== INDEXED_VALUE_TYPE[type]) {
      throw new SearchAttributeConflictError(`search attribute ${name} already exists in namespace ${namespace} as ${typeName(present)}, not ${type}`);
    }
  }
  if (Object.keys(missing).length > 0) await addSearchAttributes(connection, namespace, missing);
}

/**
 * Adds every attribute of `schema` without looking first. For the time-skipping test server,
 * which implements adding search attributes but not listing them, so `ensureSearchAttributes`
 * cannot be used on it.
 */
export async function addSearchAttributes(connection: Connection, namespace: string, schema: SearchAttributeSchema): Promise<void> {
  const searchAttributes = Object.fromEntries(Object.entries(schema).map(([name, type]) => [name, INDEXED_VALUE_TYPE[type]]));
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
}

function typeName(code: number): string {
  const entry = Object.entries(INDEXED_VALUE_TYPE).find(([, value]) => value === code);
  return entry ? entry[0] : `type #${code}`;
}
