/**
 * Whether the client would rather have JSON than HTML (RFC 9110 §12.5.1): the
 * highest q-value among JSON media ranges beats the one for text/html. A plain
 * browser navigation (text/html first) or no Accept header gets HTML.
 */
export function prefersJson(accept: string | undefined): boolean {
  if (!accept) return false;
  let json = 0;
  let htmlQ = 0;
  for (const part of accept.split(',')) {
    const [range = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q)) continue;
    const type = range.trim();
    if (type === 'application/json' || type === 'application/problem+json') json = Math.max(json, q);
    if (type === 'text/html') htmlQ = Math.max(htmlQ, q);
  }
  return json > 0 && json > htmlQ;
}
