import { Type, type Static } from '@sinclair/typebox';
import { CAPABILITY_ID_PATTERN } from './capability-id.js';

/** Decimal string of a non-negative integer: money and counts travel as strings, never floats. */
export const UintString = Type.String({ pattern: '^(0|[1-9][0-9]*)$', description: 'non-negative integer as a decimal string' });
/** Decimal string of an integer >= 1: a divisor (a price's pixelsPerUnit) can never be 0. */
export const PositiveUintString = Type.String({ pattern: '^[1-9][0-9]*$', description: 'positive integer as a decimal string' });

export const InteractionMode = Type.Union([Type.Literal('request-response'), Type.Literal('stream'), Type.Literal('live')]);

export const ModelConstraint = Type.Object(
  {
    warm: Type.Boolean({ default: false }),
    capacity: Type.Optional(Type.Integer({ minimum: 0 })),
    runnerVersion: Type.Optional(Type.String()),
    /** A model's own price (aiModels price_per_unit / pixels_per_unit); absent = the capability's price. */
    price: Type.Optional(Type.Object({ pricePerUnit: Type.String({ pattern: '^(0|[1-9][0-9]*)$' }), pixelsPerUnit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]*$' })) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const CapabilityConstraints = Type.Object(
  {
    /** modelId → constraint; mirrors go-livepeer's per-capability model constraints. */
    models: Type.Optional(Type.Record(Type.String({ minLength: 1 }), ModelConstraint)),
    /** e.g. ['nvidia', 'netint', 'cpu'] */
    hardware: Type.Optional(Type.Array(Type.String())),
    minVersion: Type.Optional(Type.String()),
    /** video/transcode: what the live transcode backends decode, encode and write; the go-livepeer capability bits derive from it. */
    transcode: Type.Optional(
      Type.Object(
        { decode: Type.Array(Type.String()), encode: Type.Array(Type.String()), formats: Type.Array(Type.String()) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** Price as a rational: pricePerUnit wei per pixelsPerUnit work units (go-livepeer's PriceInfo). */
export const CapabilityPrice = Type.Object(
  {
    pricePerUnit: UintString,
    /** A divisor: "0" would pass here and fail as a zero denominator when the price is advertised. */
    pixelsPerUnit: Type.Optional(PositiveUintString),
    currency: Type.Optional(Type.String({ default: 'WEI' })),
  },
  { additionalProperties: false },
);

/** What a plugin declares in its manifest. */
export const CapabilityDeclaration = Type.Object(
  {
    id: Type.String({ pattern: CAPABILITY_ID_PATTERN }),
    version: Type.Integer({ minimum: 1, default: 1 }),
    mode: InteractionMode,
    workUnit: Type.String({ minLength: 1, description: 'what is counted: pixel, request, second, token, image...' }),
    priceUnit: Type.String({ minLength: 1, description: 'what a price is per, e.g. wei/pixel' }),
    description: Type.Optional(Type.String()),
    constraints: Type.Optional(CapabilityConstraints),
    capacity: Type.Optional(Type.Integer({ minimum: 0 })),
    price: Type.Optional(CapabilityPrice),
  },
  { additionalProperties: false },
);

export type ModelConstraint = Static<typeof ModelConstraint>;
export type CapabilityConstraints = Static<typeof CapabilityConstraints>;
export type CapabilityPrice = Static<typeof CapabilityPrice>;
export type InteractionMode = Static<typeof InteractionMode>;
export type CapabilityDeclaration = Static<typeof CapabilityDeclaration>;

/** The registry's canonical, resolved descriptor: declaration + operator overrides + who provides it. */
export interface CapabilityDescriptor {
  readonly id: string;
  readonly version: number;
  readonly mode: InteractionMode;
  readonly workUnit: string;
  readonly priceUnit: string;
  readonly description?: string;
  readonly constraints: CapabilityConstraints;
  /** Concurrent units of work this node accepts; 0 means advertised but full. */
  readonly capacity: number;
  readonly price?: CapabilityPrice;
  /** Plugin id that declared it. */
  readonly providedBy: string;
  /** Queue name derived from id and major version. */
  readonly queue: string;
}
