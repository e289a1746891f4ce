/** Account fields of every field type, for the tests of the account-data check. */
import type { Fields } from '../../src/accounts/validate.js';

export const fields: Fields = {
  name: { type: 'text' },
  arr: { type: 'number' },
  renewal_date: { type: 'date' },
  strategic: { type: 'yes/no' },
  timezone: { type: 'timezone' },
  csm: { type: 'user' },
  primary_contact: { type: 'contact' },
  segment: { type: 'one of', values: ['smb', 'mid-market', 'enterprise'] },
};
