/**
 * Readers for protobufjs-decoded fields. Decoded messages carry proto3
 * defaults on their prototype, 64-bit integers arrive as Long (or number when
 * small), and a sender may omit anything; these helpers turn all of that into
 * plain values without ever going through a float for a 64-bit number.
 */
import type { ProtoObject } from './net-proto.js';

export function stringField(msg: ProtoObject, field: string): string {
  const value = msg[field];
  return typeof value === 'string' ? value : '';
}

export function boolField(msg: ProtoObject, field: string): boolean {
  return msg[field] === true;
}

export function uint32Field(msg: ProtoObject, field: string): number {
  const value = msg[field];
  return typeof value === 'number' ? value >>> 0 : 0;
}

export function bytesField(msg: ProtoObject, field: string): Uint8Array {
  const value = msg[field];
  return value instanceof Uint8Array ? value : new Uint8Array(0);
}

/** A 64-bit value (Long, number, bigint or decimal string) as bigint. */
export function toBigInt(value: unknown): bigint {
  if (value === undefined || value === null) return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(value);
  return BigInt(String(value));
}

export function int64Field(msg: ProtoObject, field: string): bigint {
  return toBigInt(msg[field]);
}

export function messageField(msg: ProtoObject, field: string): ProtoObject | undefined {
  const value = msg[field];
  return value !== null && typeof value === 'object' && !(value instanceof Uint8Array) ? (value as ProtoObject) : undefined;
}

export function listField(msg: ProtoObject, field: string): unknown[] {
  const value = msg[field];
  return Array.isArray(value) ? value : [];
}

/** A proto map as [key, value] pairs; protobufjs keys maps by string. */
export function mapEntries(msg: ProtoObject, field: string): [string, unknown][] {
  const value = msg[field];
  return value !== null && typeof value === 'object' ? Object.entries(value as ProtoObject) : [];
}
