// Calls to the isnad HTTP API (docs/api.md). Same origin only: the page never talks to
// another host.

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

function errorMessage(status, body) {
  if (body && body.error && typeof body.error.message === 'string') return body.error.message;
  if (status === 0) return 'تعذّر الاتصال بالخادم';
  return `HTTP ${status}`;
}

export async function getJSON(path, params) {
  let url = path;
  if (params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
    const qs = q.toString();
    if (qs) url += `?${qs}`;
  }
  let response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json' } });
  } catch (e) {
    throw new ApiError(0, errorMessage(0), null);
  }
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = null;
  }
  if (!response.ok) throw new ApiError(response.status, errorMessage(response.status, body), body);
  if (body === null) throw new ApiError(response.status, 'ردّ غير صالح من الخادم', null);
  return body;
}

// POST /api/documents with upload progress. `body` is a string (JSON or JSON Lines).
// onProgress(fraction in [0, 1]) is called while the body is sent. Resolves to
// {status, body} for 200 and 400 (the API reports per-item results in both); rejects
// with ApiError otherwise.
export function postDocuments(body, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/documents');
    xhr.setRequestHeader('Content-Type', 'application/json; charset=utf-8');
    xhr.responseType = 'text';
    if (onProgress) {
      xhr.upload.addEventListener('progress', (e) => {
        if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
      });
      xhr.upload.addEventListener('load', () => onProgress(1));
    }
    xhr.addEventListener('load', () => {
      let parsed = null;
      try {
        parsed = JSON.parse(xhr.responseText);
      } catch (e) {
        parsed = null;
      }
      if ((xhr.status === 200 || xhr.status === 400) && parsed && (parsed.accepted || parsed.rejected)) {
        resolve({ status: xhr.status, body: parsed });
      } else {
        reject(new ApiError(xhr.status, errorMessage(xhr.status, parsed), parsed));
      }
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, errorMessage(0), null)));
    xhr.addEventListener('abort', () => reject(new ApiError(0, 'أُلغي الإرسال', null)));
    xhr.send(body);
  });
}
