import { ConnectorManifestSchema } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { builtInConnectors, createConnector } from './registry.js';
import { defineConnector } from './sdk/define-connector.js';
import { z } from 'zod';

describe('registry', () => {
  it('lists every built-in connector with a valid manifest whose id matches its key', () => {
    expect(Object.keys(builtInConnectors).sort()).toEqual([
      'asana',
      'braze',
      'eloqua',
      'fs',
      'hubspot',
      'marketo',
      'monday',
      'sfmc',
      'slack',
      'smtp',
      'teams',
    ]);
    for (const [id, definition] of Object.entries(builtInConnectors)) {
      expect(definition.manifest.id).toBe(id);
      expect(ConnectorManifestSchema.safeParse(definition.manifest).success).toBe(true);
      expect(definition.manifest.configSchema).toMatchObject({ type: 'object' });
      // Config must be flat so a hubspoke.config entry can hold it.
      for (const property of Object.values(
        (definition.manifest.configSchema as { properties: Record<string, { type?: string }> }).properties,
      )) {
        expect(['string', 'number', 'integer', 'boolean']).toContain(property.type);
      }
    }
  });

  it('creates a connector by id from config data, and names unknown ids', () => {
    expect(createConnector('fs', { outDir: 'out' }).manifest.id).toBe('fs');
    expect(() => createConnector('mailchimp', {})).toThrow(
      expect.objectContaining({ code: 'E_NOT_FOUND', message: expect.stringContaining('expected one of marketo') }),
    );
    expect(() => createConnector('__proto__', {})).toThrow(expect.objectContaining({ code: 'E_NOT_FOUND' }));
    expect(createConnector('slack', {}, { instance: 'team-chat' }).instance).toBe('team-chat');
  });

  it('accepts plugin definitions next to the built-ins', () => {
    const echo = defineConnector({
      manifest: { id: 'echo', name: 'Echo', version: '1.0.0', kind: 'chat', capabilities: ['check'] },
      config: z.object({}).strict(),
      create: () => ({ check: () => Promise.resolve({ ok: true, message: 'echo' }) }),
    });
    expect(createConnector('echo', {}, { plugins: { echo } }).manifest.name).toBe('Echo');
  });

  it('refuses a definition whose methods do not match its declared capabilities', () => {
    const liar = defineConnector({
      manifest: { id: 'liar', name: 'Liar', version: '1.0.0', kind: 'chat', capabilities: ['check', 'notify'] },
      config: z.object({}).strict(),
      create: () => ({ check: () => Promise.resolve({ ok: true, message: '' }) }),
    });
    expect(() => liar.create({})).toThrow(/"notify" is declared but not implemented/);
    expect(() =>
      defineConnector({
        manifest: { id: '1bad', name: 'x', version: 'one', kind: 'chat', capabilities: [] },
        config: z.object({}),
        create: () => ({ check: () => Promise.resolve({ ok: true, message: '' }) }),
      }),
    ).toThrow(expect.objectContaining({ code: 'E_VALIDATION' }));
  });
});
