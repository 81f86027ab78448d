// Where a condition finds its numbers. Names are resolved to slots once, at compile time, so the hot path
// reads a Float64Array by position; NaN in a slot means "no value" (missing, or not a finite number).

/** A source of values by dotted name, e.g. a Map. Anything but a finite number or a boolean counts as missing. */
export interface ConditionContext {
  get(name: string): unknown;
}

/**
 * A flat record keyed by the full dotted name: `{ 'spread_pips': 1.2, 'signal_age_s.primary': 3 }`.
 * Nested objects are not walked: `{ signal_age_s: { primary: 3 } }` does not supply `signal_age_s.primary`.
 * Only own properties count; booleans read as 1 / 0.
 */
export type ConditionRecord = Readonly<Record<string, unknown>>;

export type ConditionInput = ConditionContext | ConditionRecord;

/** A value as a condition sees it: the number, 1 / 0 for a boolean, NaN for anything else. */
export function toSlotValue(value: unknown): number {
  if (typeof value === 'number') return value - value === 0 ? value : Number.NaN;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return Number.NaN;
}

function isPlainRecord(input: object): boolean {
  const proto: unknown = Object.getPrototypeOf(input);
  return proto === Object.prototype || proto === null;
}

function readRecord(record: ConditionRecord, name: string): number {
  const value = record[name];
  // Only own properties count: an inherited value (prototype pollution) must never make a condition pass.
  if (typeof value === 'number') return value - value === 0 && Object.hasOwn(record, name) ? value : Number.NaN;
  if (typeof value === 'boolean') return Object.hasOwn(record, name) ? (value ? 1 : 0) : Number.NaN;
  return Number.NaN;
}

/** A context (e.g. a Map) rather than a flat record: anything but a plain object that has a get method. */
function asContext(input: ConditionInput): ConditionContext | undefined {
  if (isPlainRecord(input)) return undefined;
  return typeof (input as Partial<ConditionContext>).get === 'function' ? (input as ConditionContext) : undefined;
}

/**
 * Reads the given names into the given slots of a frame: own properties of a plain record, or get() of a
 * context. One loop per kind of input, so the per-name work is a lookup and nothing else.
 */
export function readInto(input: ConditionInput, names: readonly string[], slots: ArrayLike<number>, frame: Float64Array): Float64Array {
  const context = asContext(input);
  if (context === undefined) {
    const record = input as ConditionRecord;
    for (let i = 0; i < names.length; i++) frame[slots[i] as number] = readRecord(record, names[i] as string);
  } else {
    for (let i = 0; i < names.length; i++) frame[slots[i] as number] = toSlotValue(context.get(names[i] as string));
  }
  return frame;
}

/**
 * A fixed, append-only layout of variable names to slots. Compile many conditions against one index and
 * build one frame per pulse: every condition then reads the same Float64Array.
 */
export class VariableIndex {
  private readonly slots = new Map<string, number>();
  private readonly order: string[] = [];
  /** A frozen index refuses new names: compiling a condition that names another variable fails. */
  readonly frozen: boolean;

  constructor(names: Iterable<string> = [], options: { readonly frozen?: boolean } = {}) {
    for (const name of names) {
      if (!this.slots.has(name)) {
        this.slots.set(name, this.order.length);
        this.order.push(name);
      }
    }
    this.frozen = options.frozen ?? false;
  }

  get size(): number {
    return this.order.length;
  }

  get names(): readonly string[] {
    return this.order;
  }

  has(name: string): boolean {
    return this.slots.has(name);
  }

  slotOf(name: string): number | undefined {
    return this.slots.get(name);
  }

  /** The slot of a name, adding it when absent. Frames made before the index grew are too short for it. */
  add(name: string): number {
    const existing = this.slots.get(name);
    if (existing !== undefined) return existing;
    if (this.frozen) throw new Error(`variable '${name}' is not in this frozen index`);
    this.slots.set(name, this.order.length);
    this.order.push(name);
    return this.order.length - 1;
  }

  private identitySlots = new Int32Array(0);

  /** Slot i for name i: the layout frameFrom fills. */
  private identity(): Int32Array {
    if (this.identitySlots.length !== this.order.length) this.identitySlots = Int32Array.from(this.order, (_, i) => i);
    return this.identitySlots;
  }

  /** A frame with every slot missing (NaN). */
  createFrame(): Float64Array {
    return new Float64Array(this.order.length).fill(Number.NaN);
  }

  /** Fills a frame (a new one unless given) from a record or a context: every slot of the index is read. */
  frameFrom(input: ConditionInput, into: Float64Array = new Float64Array(this.order.length)): Float64Array {
    return readInto(input, this.order, this.identity(), into);
  }

  /** Sets one named value in a frame, storing NaN for anything but a finite number or a boolean. */
  set(frame: Float64Array, name: string, value: unknown): void {
    const slot = this.slots.get(name);
    if (slot !== undefined) frame[slot] = toSlotValue(value);
  }

  /** The value of a name in a frame, or undefined when it is missing. */
  get(frame: Float64Array, name: string): number | undefined {
    const slot = this.slots.get(name);
    const value = slot === undefined ? Number.NaN : (frame[slot] ?? Number.NaN);
    return value - value === 0 ? value : undefined;
  }
}
