import { WRITE_OPERATIONS } from './api.writes.js';
import { describe, expect, it } from 'vitest';
import { API_OPERATIONS, FEED_OPERATIONS, fastifyUrl } from './api.operations.js';
import { COMPONENTS } from './api.schemas.js';
import { buildOpenApi } from './openapi.js';

const doc = buildOpenApi('https://example.org/pb/');
const text = JSON.stringify(doc);

describe('the OpenAPI document', () => {
  it('has one path per operation, with the public URL as its server', () => {
    // the reads of the operation table, the reader's vote (POST and DELETE on one path), and the
    // reader's writes (api.writes.ts: submissions, the library)
    const writes = [...new Set(WRITE_OPERATIONS.map((o) => o.path))];
    expect(Object.keys(doc.paths).sort()).toEqual([...[...API_OPERATIONS, ...FEED_OPERATIONS].map((o) => o.path), '/api/v1/papers/{id}/vote', ...writes].sort());
    expect(Object.keys(doc.paths['/api/v1/papers/{id}/vote']!).sort()).toEqual(['delete', 'post']);
    expect(doc.servers).toEqual([{ url: 'https://example.org/pb' }]);
  });

  it('refers to each named schema by $ref, never copies it, and every $ref resolves', () => {
    const refs = [...text.matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!);
    expect(new Set(refs)).toEqual(new Set(Object.keys(COMPONENTS)));
    for (const [name, schema] of Object.entries(COMPONENTS)) {
      const inline = JSON.stringify(schema);
      // the component itself is written out once; a copy elsewhere would mean a use that escaped $ref
      expect(text.split(inline.slice(1, -1)).length - 1, name).toBeLessThanOrEqual(1);
    }
  });

  it('routes the wildcard parameter as * and the others as :name', () => {
    const byId = (id: string) => [...API_OPERATIONS, ...FEED_OPERATIONS].find((o) => o.operationId === id)!;
    expect(fastifyUrl(byId('getPaper'))).toBe('/api/v1/papers/*');
    expect(fastifyUrl(byId('getDayPapers'))).toBe('/api/v1/papers/date/:day');
    expect(fastifyUrl(byId('getWeekFeedAtom'))).toBe('/feeds/week/:week.atom');
  });
});
