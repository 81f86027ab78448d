import { describe, expect, it } from 'vitest';
import { DisposableStore, Emitter, toDisposable } from './lifecycle';

describe('toDisposable', () => {
  it('runs its stop function once however often it is disposed', () => {
    let stops = 0;
    const d = toDisposable(() => stops++);
    d.dispose();
    d.dispose();
    expect(stops).toBe(1);
  });
});

describe('DisposableStore', () => {
  it('disposes newest first', () => {
    const order: string[] = [];
    const store = new DisposableStore();
    store.add(toDisposable(() => order.push('listener')));
    store.add(toDisposable(() => order.push('timer')));
    store.dispose();
    expect(order).toEqual(['timer', 'listener']);
    expect(store.isDisposed).toBe(true);
  });

  it('disposes at once what is added after it was disposed', () => {
    const store = new DisposableStore();
    store.dispose();
    let stopped = false;
    store.add(toDisposable(() => (stopped = true)));
    expect(stopped).toBe(true);
  });

  it('still disposes the others when one throws, then reports every failure', () => {
    const store = new DisposableStore();
    let stopped = 0;
    store.add(toDisposable(() => stopped++));
    store.add(toDisposable(() => { throw new Error('a'); }));
    store.add(toDisposable(() => { throw new Error('b'); }));
    expect(() => store.dispose()).toThrow(AggregateError);
    expect(stopped).toBe(1);
  });

  it('rethrows a single failure as itself', () => {
    const store = new DisposableStore();
    store.add(toDisposable(() => { throw new Error('only'); }));
    expect(() => store.clear()).toThrow('only');
  });

  it('clear() empties the store but keeps it usable; delete() forgets without disposing', () => {
    const store = new DisposableStore();
    let a = 0;
    let b = 0;
    store.add(toDisposable(() => a++));
    store.clear();
    const kept = store.add(toDisposable(() => b++));
    store.delete(kept);
    store.dispose();
    expect([a, b]).toEqual([1, 0]);
  });
});

describe('Emitter', () => {
  it('delivers every value to every listener, then throws what failed', () => {
    const emitter = new Emitter<number>();
    const heard: number[] = [];
    emitter.on(() => { throw new Error('bad listener'); });
    const sub = emitter.on((n) => heard.push(n));
    expect(() => emitter.fire([1, 2])).toThrow(AggregateError);
    expect(heard).toEqual([1, 2]);
    sub.dispose();
    expect(() => emitter.fire([3])).toThrow(AggregateError);
    expect(heard).toEqual([1, 2]);
  });
});
