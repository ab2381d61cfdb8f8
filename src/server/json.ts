/**
 * JSON parsing that keeps ids exact: integer literals too long for a JavaScript number
 * (more than 15 digits) become strings before JSON.parse sees them, so `"id": 3652397000000925128`
 * sent by a client arrives as the string "3652397000000925128".
 */
export function parseJsonExact(text: string): unknown {
  return JSON.parse(quoteBigIntegers(text));
}

export function quoteBigIntegers(text: string): string {
  let out = '';
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) {
      inString = true;
      continue;
    }
    const startsNumber = (c >= 48 && c <= 57) || c === 45; /* digit or - */
    if (!startsNumber) continue;
    let j = i + (c === 45 ? 1 : 0);
    while (j < text.length && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
    const digits = j - i - (c === 45 ? 1 : 0);
    const next = text.charCodeAt(j);
    const isInteger = !(next === 46 || next === 101 || next === 69); /* . e E */
    if (isInteger && digits > 15) {
      out += text.slice(last, i) + '"' + text.slice(i, j) + '"';
      last = j;
    }
    i = j - 1;
    if (!isInteger) {
      // Skip the rest of a fractional or exponent number.
      while (i + 1 < text.length && /[0-9.eE+-]/.test(text[i + 1])) i++;
    }
  }
  return last === 0 ? text : out + text.slice(last);
}
