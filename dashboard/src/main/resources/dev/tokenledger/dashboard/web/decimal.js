// Formatting of the exact decimal strings the API answers. No binary floats: the digits are rounded
// half away from zero with BigInt (as SQL ROUND does), so a figure on the page is the warehouse's to the digit.

/** "1234.5678" -> "1,234.57" (dp = 2); null -> "–". */
export function decimal(s, dp = 2) {
  if (s === null || s === undefined) return '–';
  let str = String(s).trim();
  const neg = str.startsWith('-');
  if (neg || str.startsWith('+')) str = str.slice(1);
  const [ip, fp = ''] = str.split('.');
  const digits = (fp + '0'.repeat(dp + 1)).slice(0, dp + 1);
  let n = BigInt((ip || '0') + digits);
  n = (n + 5n) / 10n;
  let t = n.toString().padStart(dp + 1, '0');
  const whole = t.slice(0, t.length - dp) || '0';
  const frac = dp > 0 ? '.' + t.slice(t.length - dp) : '';
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const zero = /^[0,]*$/.test(whole) && /^\.?0*$/.test(frac);
  return (neg && !zero ? '-' : '') + grouped + frac;
}

/** Dollars: "$1,234.57" (dp = 2) or "-$0.0042" (dp = 4). */
export function usd(s, dp = 2) {
  if (s === null || s === undefined) return '–';
  const d = decimal(s, dp);
  return d.startsWith('-') ? '-$' + d.slice(1) : '$' + d;
}

/** A ratio ("0.1234") as a percentage ("12.3 %"): the decimal point moved two places, then rounded. */
export function pct(s, dp = 1) {
  if (s === null || s === undefined) return '–';
  let str = String(s).trim();
  const neg = str.startsWith('-');
  if (neg) str = str.slice(1);
  const [ip, fp = ''] = str.split('.');
  const f = fp.padEnd(2, '0');
  const shifted = (ip + f.slice(0, 2)).replace(/^0+(?=\d)/, '') + '.' + (f.slice(2) || '0');
  return (neg ? '-' : '') + decimal(shifted, dp) + ' %';
}

/** An integer count with thousands separators. */
export function count(n) {
  if (n === null || n === undefined) return '–';
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
