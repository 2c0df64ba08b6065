// The dashboard's one door to the API: GET a path, get JSON or an ApiError
// that says, in words a visitor can act on, what went wrong.

export const API = '/api/v1';

export class ApiError extends Error {
  constructor(message, { status = 0, title = '', detail = '', url = '', requestId = '', reason = '' } = {}) {
    super(message);
    Object.assign(this, { status, title, detail, url, requestId, reason });
  }

  get unreachable() { return this.status === 0; }

  // What a developer needs to find it again: the request and its answer.
  get technical() {
    const answer = this.status ? `${this.status} ${this.title}${this.detail ? ` — ${this.detail}` : ''}` : `no answer (${this.reason})`;
    return `GET ${this.url} → ${answer}${this.requestId ? ` (request id ${this.requestId})` : ''}`;
  }
}

// Words for a person, from what failed and why.
function message(status, problem) {
  if (status === 404) return `This view asks for something the data does not have: ${problem.detail || 'not found'}.`;
  if (status === 400) return `The server could not understand this view: ${problem.detail || 'a bad request'}.`;
  if (status >= 500) return 'The server had a problem answering. Please try again in a moment.';
  return `The server refused this view (${status}${problem.title ? ' ' + problem.title : ''}).`;
}

// GETs a path under this server. Resolves to {body, total, url}.
export async function get(url) {
  let res;
  try {
    res = await fetch(url, { headers: { Accept: 'application/json' } });
  } catch (e) {
    throw new ApiError('The dashboard cannot reach its server right now. Check the connection, then try again.',
      { url, reason: e.message });
  }
  let body = null;
  if ((res.headers.get('Content-Type') || '').includes('json')) {
    try { body = await res.json(); } catch { body = null; }
  }
  if (!res.ok) {
    const problem = body || {};
    throw new ApiError(message(res.status, problem), {
      status: res.status, title: problem.title || res.statusText, detail: problem.detail || '',
      url, requestId: problem.request_id || res.headers.get('X-Request-Id') || '',
    });
  }
  return { body, total: Number(res.headers.get('X-Total-Count')), url };
}

// A query string as the API reads it: commas kept as commas.
export function query(params) {
  const qs = params.toString().replace(/%2C/gi, ',');
  return qs ? `?${qs}` : '';
}
