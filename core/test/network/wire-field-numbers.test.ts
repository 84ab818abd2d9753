// Proves the field numbers, not just our own round trip: OrchestratorInfo and
// OrchestratorRequest are written field by field with protobufjs' Writer from
// the documented numbers and wire types, then read with our decoder; and our
// encoder's output is walked tag by tag.
import protobuf from 'protobufjs';
import t from 'tap';
import { decodeOrchestratorInfo, decodeOrchestratorRequest, encodeOrchestratorInfo } from '../../src/network/index.js';

const VARINT = 0;
const LEN = 2;
const tag = (field: number, wireType: number) => ((field << 3) | wireType) >>> 0;

/** Writes a length-delimited sub-message. */
function sub(w: protobuf.Writer, field: number, body: (w: protobuf.Writer) => void): void {
  w.uint32(tag(field, LEN)).fork();
  body(w);
  w.ldelim();
}

const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);

function handBuiltInfo(): Uint8Array {
  const w = protobuf.Writer.create();
  w.uint32(tag(1, LEN)).string('https://o.example:8935');
  sub(w, 2, (tp) => {
    tp.uint32(tag(1, LEN)).bytes(bytes(20, 0xaa));
    tp.uint32(tag(2, LEN)).bytes(Uint8Array.from([0x01, 0x00])); // face value 256
    tp.uint32(tag(3, LEN)).bytes(Uint8Array.from([0x05])); // win prob 5
    tp.uint32(tag(4, LEN)).bytes(bytes(32, 0x11));
    tp.uint32(tag(5, LEN)).bytes(Uint8Array.from([0x2a])); // seed 42
    tp.uint32(tag(6, LEN)).bytes(Uint8Array.from([0x13, 0x88])); // expiration block 5000
    sub(tp, 7, (ep) => {
      ep.uint32(tag(1, VARINT)).int64(77);
      ep.uint32(tag(2, LEN)).bytes(bytes(32, 0x22));
    });
  });
  sub(w, 3, (p) => p.uint32(tag(1, VARINT)).int64(1200).uint32(tag(2, VARINT)).int64(3));
  w.uint32(tag(4, LEN)).bytes(bytes(20, 0xbb));
  sub(w, 5, (c) => {
    sub(c, 1, (packed) => packed.uint64(0x4005fffn.toString()).uint64('9223372036854775809')); // packed bitstring, word 1 has bit 63 set
    sub(c, 2, (packed) => packed.uint64(4096)); // mandatories: AuthToken (12)
    sub(c, 3, (e) => e.uint32(tag(1, VARINT)).uint32(27).uint32(tag(2, VARINT)).uint32(3)); // capacities {27: 3}
    c.uint32(tag(4, LEN)).string('0.9.1');
    sub(c, 5, (k) => {
      k.uint32(tag(1, LEN)).string('0.8.0');
      sub(k, 2, (e) => {
        e.uint32(tag(1, VARINT)).uint32(27);
        sub(e, 2, (cc) =>
          sub(cc, 1, (m) => {
            m.uint32(tag(1, LEN)).string('sd-turbo');
            sub(m, 2, (mc) => mc.uint32(tag(1, VARINT)).bool(true).uint32(tag(2, VARINT)).uint32(2).uint32(tag(3, LEN)).string('v1').uint32(tag(4, VARINT)).uint32(1));
          }),
        );
      });
    });
  });
  sub(w, 6, (a) => a.uint32(tag(1, LEN)).bytes(bytes(32, 0x33)).uint32(tag(2, LEN)).string('deadbeef').uint32(tag(3, VARINT)).int64(1_900_000_000));
  sub(w, 7, (h) => {
    h.uint32(tag(1, LEN)).string('text-to-image').uint32(tag(2, LEN)).string('sd-turbo');
    sub(h, 3, (e) => {
      e.uint32(tag(1, LEN)).string('0');
      sub(e, 2, (g) => {
        g.uint32(tag(1, LEN)).string('GPU-1').uint32(tag(2, LEN)).string('RTX');
        g.uint32(tag(4, VARINT)).uint32(8).uint32(tag(5, VARINT)).uint32(9);
        g.uint32(tag(6, VARINT)).int64(1000).uint32(tag(7, VARINT)).int64(2000);
      });
    });
  });
  sub(w, 32, (s) => {
    s.uint32(tag(1, VARINT)).int32(1); // S3
    sub(s, 16, (s3) => s3.uint32(tag(1, LEN)).string('h').uint32(tag(2, LEN)).string('k').uint32(tag(6, LEN)).string('d'));
  });
  sub(w, 33, (p) => p.uint32(tag(1, VARINT)).int64(5).uint32(tag(2, VARINT)).int64(1).uint32(tag(3, VARINT)).uint32(37).uint32(tag(4, LEN)).string('echo'));
  w.uint32(tag(34, LEN)).string('https://n2.example');
  return w.finish();
}

t.test('our decoder reads a hand-built OrchestratorInfo', async (t) => {
  const info = decodeOrchestratorInfo(handBuiltInfo());
  t.equal(info.transcoder, 'https://o.example:8935');
  t.same(info.ticketParams, {
    recipient: bytes(20, 0xaa),
    faceValue: 256n,
    winProb: 5n,
    recipientRandHash: bytes(32, 0x11),
    seed: 42n,
    expirationBlock: 5000n,
    expirationParams: { creationRound: 77n, creationRoundBlockHash: bytes(32, 0x22) },
  });
  t.same(info.priceInfo, { pricePerUnit: 1200n, pixelsPerUnit: 3n });
  t.same(info.address, bytes(20, 0xbb));
  t.same(info.capabilities, {
    bitstring: [0x4005fffn, (1n << 63n) + 1n],
    mandatories: [4096n],
    capacities: { 27: 3 },
    version: '0.9.1',
    constraints: { minVersion: '0.8.0', perCapability: { 27: { models: { 'sd-turbo': { warm: true, capacity: 2, runnerVersion: 'v1', capacityInUse: 1 } } } } },
  });
  t.same(info.authToken, { token: bytes(32, 0x33), sessionId: 'deadbeef', expiration: 1_900_000_000n });
  t.same(info.hardware, [
    { pipeline: 'text-to-image', modelId: 'sd-turbo', gpuInfo: { '0': { id: 'GPU-1', name: 'RTX', major: 8, minor: 9, memoryFree: 1000n, memoryTotal: 2000n } } },
  ]);
  t.same(info.storage, [{ storageType: 'S3', s3info: { host: 'h', key: 'k', policy: '', signature: '', credential: '', xAmzDate: 'd' } }]);
  t.same(info.capabilitiesPrices, [{ capability: 37, constraint: 'echo', pricePerUnit: 5n, pixelsPerUnit: 1n }]);
  t.same(info.nodes, ['https://n2.example']);

  const again = decodeOrchestratorInfo(encodeOrchestratorInfo(info));
  t.same(again, info, 'and our encoder writes back what it read');
});

/** Top-level field number → wire type, as a reader without our schema sees them. */
function topLevelFields(buffer: Uint8Array): Map<number, number> {
  const reader = protobuf.Reader.create(buffer);
  const seen = new Map<number, number>();
  while (reader.pos < reader.len) {
    const key = reader.uint32();
    seen.set(key >>> 3, key & 7);
    reader.skipType(key & 7);
  }
  return seen;
}

t.test('our encoder puts every OrchestratorInfo field at its documented number', async (t) => {
  const encoded = encodeOrchestratorInfo(decodeOrchestratorInfo(handBuiltInfo()));
  t.same(
    [...topLevelFields(encoded).entries()].sort((a, b) => a[0] - b[0]),
    [1, 2, 3, 4, 5, 6, 7, 32, 33, 34].map((n) => [n, LEN]),
  );
});

t.test('our decoder reads a hand-built OrchestratorRequest (unpacked bitstring too)', async (t) => {
  const w = protobuf.Writer.create();
  w.uint32(tag(1, LEN)).bytes(bytes(20, 0xcc));
  w.uint32(tag(2, LEN)).bytes(bytes(65, 0x1b));
  // proto3 parsers must accept repeated scalars unpacked as well.
  sub(w, 3, (c) => c.uint32(tag(1, VARINT)).uint64(1 << 27).uint32(tag(4, LEN)).string('0.9.1'));
  w.uint32(tag(4, VARINT)).bool(true);
  const request = decodeOrchestratorRequest(w.finish());
  t.same(request.address, bytes(20, 0xcc));
  // Compared as hex: tap's deep equality mis-compares Buffer and Uint8Array longer than 64 bytes.
  t.equal(Buffer.from(request.sig).toString('hex'), '1b'.repeat(65));
  t.same(request.capabilities?.bitstring, [1n << 27n]);
  t.equal(request.capabilities?.version, '0.9.1');
  t.equal(request.ignoreCapacityCheck, true);

  const bare = decodeOrchestratorRequest(new Uint8Array(0));
  t.equal(bare.capabilities, undefined, 'absent capabilities stay absent (the "show me everything" request)');
});

t.test('undecodable bytes are a coded error', async (t) => {
  t.throws(() => decodeOrchestratorInfo(Uint8Array.from([0x0a, 0x64, 0x01])), { code: 'LPX_ERR_NETWORK_MALFORMED_MESSAGE' });
});
