import t from 'tap';
import { secretMatches } from '../../src/http/secret-match.js';

t.test('secretMatches is plain equality for any lengths and characters', async (t) => {
  t.equal(secretMatches('s3cret', 's3cret'), true);
  t.equal(secretMatches('s3cret', 's3cret!'), false, 'a prefix does not match');
  t.equal(secretMatches('s3cret-and-much-longer', 's3cret'), false, 'a longer value does not match');
  t.equal(secretMatches('', 's3cret'), false);
  t.equal(secretMatches(undefined, 's3cret'), false);
  t.equal(secretMatches('é', 'é'), true);
  t.equal(secretMatches('é', 'e\u0301'), false, 'bytes, not rendering, decide');
});

t.test('an empty or absent expected secret matches nothing, not even an empty one', async (t) => {
  t.equal(secretMatches('', ''), false);
  t.equal(secretMatches(undefined, undefined), false);
  t.equal(secretMatches('x', undefined), false);
});
