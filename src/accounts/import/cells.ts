/**
 * CSV cells are text; a declared field's type says what value the text stands for. The
 * conversion is lenient in one direction only: text that does not read as the type stays
 * text, so validation rejects it with the same words as any other bad value
 * (`account.health: expected a number, got "high"`).
 */
import type { AccountValue, FieldTypeIr } from '../../ir/types.js';

// Plain decimal notation: no thousands separators, hex or `Infinity`, which `Number()` would take.
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const YES = new Set(['yes', 'true']);
const NO = new Set(['no', 'false']);

/** The value of a non-empty cell of a column of type `type`. */
export function cellValue(type: FieldTypeIr, text: string): AccountValue {
  switch (type.type) {
    case 'number':
      return NUMBER.test(text) ? Number(text) : text;
    case 'yes/no': {
      const word = text.toLowerCase();
      if (YES.has(word)) return true;
      if (NO.has(word)) return false;
      return text;
    }
    default:
      return text;
  }
}
