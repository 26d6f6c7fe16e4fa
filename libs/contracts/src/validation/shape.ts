/**
 * How a contract's body is shaped: a class with class-validator decorators, or a union
 * told apart by one discriminator field (`message.type`, `ok`). class-validator has no
 * discriminated unions of its own (class-transformer's discriminator only picks a class,
 * and an unknown tag silently becomes a plain object), so unions are resolved here first
 * and the chosen class is then validated normally.
 */
import { customRule, isRecord } from './rules.js';

export type ClassShape = new () => object;

export interface UnionShape {
  readonly key: string;
  /** A Map, not an object: a tag such as `constructor` must not find Object's prototype. */
  readonly variants: ReadonlyMap<string, Shape>;
}

export type Shape = ClassShape | UnionShape;

export function unionOf(key: string, variants: Readonly<Record<string, Shape>>): UnionShape {
  return { key, variants: new Map(Object.entries(variants)) };
}

export function isUnionShape(shape: Shape): shape is UnionShape {
  return typeof shape !== 'function';
}

/** Booleans and numbers are looked up by their JSON text (`ok: true` -> `'true'`). */
export function variantFor(shape: UnionShape, tag: unknown): Shape | undefined {
  const primitive = typeof tag === 'string' || typeof tag === 'boolean' || typeof tag === 'number';
  return primitive ? shape.variants.get(String(tag)) : undefined;
}

export interface UnionField {
  readonly property: string;
  readonly shape: () => Shape;
}

const unionFields = new WeakMap<object, UnionField[]>();

/**
 * A property holding a union (e.g. the envelope's `message`). class-validator only checks
 * that it is an object; the decoder then validates it against `shape()` under the
 * property's path. `shape` is a thunk so classes may be declared in any order.
 */
export function UnionFieldOf(shape: () => Shape): PropertyDecorator {
  const isObject = customRule('isObject', (value) =>
    isRecord(value) ? null : 'must be an object',
  );
  return (target, key) => {
    isObject(target, key);
    const fields = unionFields.get(target.constructor) ?? [];
    fields.push({ property: String(key), shape });
    unionFields.set(target.constructor, fields);
  };
}

export function unionFieldsOf(shape: ClassShape): readonly UnionField[] {
  return unionFields.get(shape) ?? [];
}
