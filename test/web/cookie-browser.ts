/**
 * A browser as far as the account suites need one, over app.inject(): a cookie jar (Set-Cookie
 * kept and sent back, Max-Age=0 removing), same-origin form posts (Sec-Fetch-Site) and script
 * requests (JSON), and the CSRF token of the last page it got.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export class CookieBrowser {
  readonly jar = new Map<string, string>();
  last: LightMyRequestResponse | null = null;

  constructor(private readonly app: FastifyInstance) {}

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.keep(await this.app.inject({ method: 'GET', url, headers: this.headers() }));
  }

  /** A form POST from a page of the site; `headers` given as '' are left out. */
  async form(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const all = { ...this.headers(), 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', ...headers };
    const res = await this.app.inject({ method: 'POST', url, payload: new URLSearchParams(fields).toString(), headers: Object.fromEntries(Object.entries(all).filter(([, v]) => v !== '')) });
    return this.keep(res);
  }

  /** A JSON POST as a page's script sends it (fetch, same origin); `headers` given as '' are left out. */
  async json(url: string, body: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const all = { ...this.headers(), 'content-type': 'application/json', 'sec-fetch-site': 'same-origin', ...headers };
    const res = await this.app.inject({ method: 'POST', url, payload: JSON.stringify(body), headers: Object.fromEntries(Object.entries(all).filter(([, v]) => v !== '')) });
    return this.keep(res);
  }

  /** The CSRF token in the last page's forms. */
  csrf(): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(this.last?.body ?? '');
    if (!m) throw new Error(`no CSRF field in the last page:\n${this.last?.body.slice(0, 500)}`);
    return m[1]!;
  }

  cookie(name: string): string | undefined {
    return this.jar.get(name);
  }

  private headers(): Record<string, string> {
    return this.jar.size ? { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {};
  }

  private keep(res: LightMyRequestResponse): LightMyRequestResponse {
    this.last = res;
    const set = res.headers['set-cookie'];
    for (const line of set === undefined ? [] : Array.isArray(set) ? set : [set]) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/max-age=0/i.test(line) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }
}

/** The Set-Cookie line that sets `name`, if the response has one. */
export function setCookieLine(res: LightMyRequestResponse, name: string): string | undefined {
  const set = res.headers['set-cookie'];
  return (set === undefined ? [] : Array.isArray(set) ? set : [set]).find((l) => l.startsWith(`${name}=`));
}
