import { describe, expect, it } from 'vitest';
import { HubspokeError } from '../errors/hubspoke-error.js';
import { guarded, guardMethods, MAX_NAME_LENGTH } from './guards.js';

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

  it('bounds the names of a sync method by throwing', () => {
    expect(() => new Shelf().label('x'.repeat(MAX_NAME_LENGTH + 1))).toThrow(
      expect.objectContaining({
        code: 'E_VALIDATION',
        path: 'name',
        details: expect.objectContaining({ limit: MAX_NAME_LENGTH }),
      }),
    );
    expect(new Shelf().label('x'.repeat(MAX_NAME_LENGTH))).toHaveLength(MAX_NAME_LENGTH);
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

describe('guarded with boundNames', () => {
  const join = (id: string, text: string, count: number): string => `${id}:${text.length}:${count}`;
  const bounded = guarded('join', ['id:string', 'text:string', 'count:number'], join, {
    boundNames: true,
    content: ['text'],
  });
  const unbounded = guarded('join', ['id:string', 'text:string', 'count:number'], join);

  it('refuses a string argument over the limit before calling, naming it and the limit', () => {
    let calls = 0;
    const counted = guarded('counted', ['id:string'], (id: string) => (calls += id.length), { boundNames: true });
    const long = 'x'.repeat(MAX_NAME_LENGTH + 1);
    expect(() => counted(long)).toThrow(
      expect.objectContaining({
        code: 'E_VALIDATION',
        path: 'id',
        message: `Invalid id: counted expected at most ${MAX_NAME_LENGTH} characters, got ${MAX_NAME_LENGTH + 1}`,
        details: { function: 'counted', argument: 0, limit: MAX_NAME_LENGTH },
      }),
    );
    expect(calls).toBe(0);
  });

  it('leaves content arguments, non-strings and unbounded functions alone', () => {
    const long = 'x'.repeat(MAX_NAME_LENGTH * 2);
    expect(bounded('a', long, 1)).toBe(`a:${long.length}:1`);
    expect(unbounded(long, 'b', 1)).toBe(`${long}:1:1`);
    expect(() => bounded(long, 'b', 1)).toThrow(expect.objectContaining({ path: 'id' }));
  });

  it('refuses options that are not an object', () => {
    expect(() => guarded('f', [], () => 1, null as never)).toThrow(expect.objectContaining({ code: 'E_VALIDATION' }));
  });
});
