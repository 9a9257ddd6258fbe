/**
 * The console's only way to the API: same origin, `Authorization: Bearer <token>` on every call, JSON in and out.
 * A refusal becomes an ApiError carrying the status and the API's own message (and field problems, for a 400).
 */
import { session } from './session';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
  }
}

interface ErrorBody {
  message?: string;
  fields?: Array<{ field: string; problems: string[] }>;
}

async function call(method: string, path: string, body?: unknown, token = session.token()): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    throw new ApiError(0, (error as Error).message);
  }
  if (!response.ok) {
    const text = await response.text();
    let parsed: ErrorBody;
    try {
      parsed = JSON.parse(text) as ErrorBody;
    } catch {
      parsed = { message: text || response.statusText };
    }
    throw new ApiError(
      response.status,
      parsed.message ?? response.statusText,
      (parsed.fields ?? []).flatMap((f) => f.problems),
    );
  }
  return response;
}

export const api = {
  get: async <T>(path: string, token?: string): Promise<T> => (await call('GET', path, undefined, token ?? session.token())).json() as Promise<T>,
  post: async <T>(path: string, body: unknown = {}): Promise<T> => (await call('POST', path, body)).json() as Promise<T>,
  /** A file the API answers (CSV), as a Blob, with the name the API suggests. */
  download: async (path: string, fallbackName: string): Promise<{ blob: Blob; name: string }> => {
    const response = await call('GET', path);
    const disposition = response.headers.get('Content-Disposition') ?? '';
    const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
    return { blob: await response.blob(), name };
  },
};

/** Saves a Blob as a file through a temporary link (the download keeps the token out of any URL). */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
