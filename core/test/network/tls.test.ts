// The self-signed certificate: what go-livepeer generates, made by openssl, and
// a grpc-js TLS server using it negotiates ALPN h2 (grpc-go ≥ 1.67 requires it).
import { X509Certificate } from 'node:crypto';
import { connect } from 'node:tls';
import t from 'tap';
import { generateSelfSignedCertificate } from '../../src/network/index.js';
import { startOrchestrator } from './helpers/orchestrator-fixture.js';

t.test('certificate: self-signed ECDSA P-256 CA for the service host, one year', async (t) => {
  const pair = await generateSelfSignedCertificate({ hostname: 'o.example.com' });
  const cert = new X509Certificate(pair.cert);
  t.ok(cert.ca, 'CA flag');
  t.ok(cert.verify(cert.publicKey), 'self-signed');
  t.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  t.match(cert.subjectAltName, /DNS:o\.example\.com/);
  t.match(cert.keyUsage ?? [], ['1.3.6.1.5.5.7.3.1'], 'serverAuth');
  const days = (Date.parse(cert.validTo) - Date.now()) / 86_400_000;
  t.ok(days > 363 && days < 366, `valid for a year (${days.toFixed(1)} days)`);
  t.match(pair.key, /BEGIN PRIVATE KEY/);

  const odd = new X509Certificate((await generateSelfSignedCertificate({ hostname: 'x -addext evil' })).cert);
  t.match(odd.subject, /CN=localhost/, 'odd host names never reach openssl arguments');
});

t.test('no openssl: a coded error', async (t) => {
  await t.rejects(generateSelfSignedCertificate({ openssl: '/nonexistent/openssl' }), {
    code: 'LPX_ERR_NETWORK_TLS_CERTIFICATE',
    message: /not installed/,
  });
});

t.test('the gRPC TLS server negotiates ALPN h2', async (t) => {
  const o = await startOrchestrator();
  t.teardown(o.stop);
  const protocol = await new Promise<string | false>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: o.port, ALPNProtocols: ['h2', 'http/1.1'], rejectUnauthorized: false }, () => {
      resolve(socket.alpnProtocol ?? false);
      socket.end();
    });
    socket.on('error', reject);
  });
  t.equal(protocol, 'h2');
});
