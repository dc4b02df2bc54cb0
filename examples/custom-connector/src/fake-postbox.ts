import { randomUUID } from 'node:crypto';
import { FakeServer } from '@hubspoke/map-connectors/testkit';

/** A local fake of the Postbox API, built on the testkit's FakeServer (auth gate, routes, faults). */
export class FakePostbox extends FakeServer {
  readonly templates = new Map<string, { name: string; subject: string; html: string }>();

  constructor(readonly apiKey = 'pbx-live-key') {
    super({
      gate: (req) =>
        req.headers.authorization === `Bearer ${this.apiKey}`
          ? undefined
          : { status: 401, json: { error: 'invalid api key' } },
    });
    this.route('GET', '/v1/me', () => ({ json: { account: 'acme' } }));
    this.route('POST', '/v1/templates', (req) => {
      const body = req.json as { name?: unknown; subject?: unknown; html?: unknown } | undefined;
      if (typeof body?.name !== 'string' || typeof body.subject !== 'string' || typeof body.html !== 'string')
        return { status: 422, json: { error: 'name, subject and html are required' } };
      const id = randomUUID();
      this.templates.set(id, { name: body.name, subject: body.subject, html: body.html });
      return { status: 201, json: { id } };
    });
    this.route('PUT', '/v1/templates/:id', (req) => {
      const template = this.templates.get(req.params.id ?? '');
      if (template === undefined) return { status: 404, json: { error: 'no such template' } };
      Object.assign(template, req.json);
      return { json: { id: req.params.id } };
    });
    this.route('GET', '/v1/templates', (req) => ({
      json: {
        items: [...this.templates]
          .filter(([, t]) => t.name === req.query.get('name'))
          .map(([id, t]) => ({ id, name: t.name })),
      },
    }));
  }
}
