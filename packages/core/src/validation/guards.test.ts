import { describe, expect, it } from 'vitest';
import { HubspokeError } from '../errors/hubspoke-error.js';
import { guardMethods, MAX_NAME_LENGTH } from './guards.js';

class Shelf {
  readonly items: string[] = [];
  put(name: string, note: string): Promise<number> {
    this.items.push(`${name}:${note.length}`);
    return Promise.resolve(this.items.length);
  }
  broken(options: { size: number }): Promise<number> {
    return Promise.resolve((options as unknown as { deep: { size: number } }).deep.size);
  }
  label(name: string): string {
    return name.toUpperCase();
  }
}
guardMethods(
  'Shelf',
  Shelf.prototype,
  { put: ['name:string', 'note:string'], broken: ['options:object'], label: ['name:string'] },
  { content: ['note'], sync: ['label'] },
);

describe('guardMethods', () => {
  it('keeps what a method does with good arguments (and its this)', async () => {
    const shelf = new Shelf();
    expect(await shelf.put('a', 'b')).toBe(1);
    expect(shelf.label('x')).toBe('X');
    expect(Shelf.prototype.put.length).toBe(2);
  });

  it('refuses a wrong type with E_VALIDATION naming the argument: a promise method rejects, a sync one throws', async () => {
    const shelf = new Shelf();
    const refused = shelf.put(7 as never, 'b');
    expect(refused).toBeInstanceOf(Promise);
    await expect(refused).rejects.toMatchObject({ code: 'E_VALIDATION', path: 'name' });
    expect(() => shelf.label(null as never)).toThrow(HubspokeError);
    expect(shelf.items).toEqual([]);
  });

  it('bounds names but not content', async () => {
    const shelf = new Shelf();
    const long = 'x'.repeat(MAX_NAME_LENGTH + 1);
    await expect(shelf.put(long, 'b')).rejects.toMatchObject({ code: 'E_VALIDATION', path: 'name' });
    expect(await shelf.put('a', long)).toBe(1);
  });

  it('wraps a raw error the method still throws as E_INTERNAL with the cause', async () => {
    const error = await new Shelf().broken({ size: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_INTERNAL' });
    expect((error as Error).cause).toBeInstanceOf(TypeError);
  });

  it('refuses bad arguments itself, and a method that does not exist', () => {
    expect(() => {
      guardMethods('X', null as never, {});
    }).toThrow(expect.objectContaining({ path: 'prototype' }));
    expect(() => {
      guardMethods('X', {}, { missing: [] });
    }).toThrow(expect.objectContaining({ code: 'E_INTERNAL' }));
    expect(() => {
      guardMethods('X', {}, {}, null as never);
    }).toThrow(expect.objectContaining({ path: 'options' }));
  });
});
