// JobParameters.orchestrators of a go-livepeer BYOC client (router-processor.ts): the include and
// exclude lists, with the last parse kept for the next job that sends the same parameters.
import t from 'tap';
import { orchestratorChoice } from '../../src/roles/gateway/router-processor.js';

const sets = (parameters: string | undefined) => {
  const choice = orchestratorChoice(parameters);
  return { include: [...choice.include], exclude: [...choice.exclude] };
};

t.test('include and exclude lists, trailing slashes dropped, non-strings ignored', async (t) => {
  t.same(sets(JSON.stringify({ orchestrators: { include: ['https://a:8935/', 7, 'https://b:8935'], exclude: ['https://c:8935//'] } })), {
    include: ['https://a:8935', 'https://b:8935'],
    exclude: ['https://c:8935'],
  });
  t.same(sets('{}'), { include: [], exclude: [] }, 'no orchestrators field: no limits');
  t.same(sets(undefined), { include: [], exclude: [] }, 'no parameters: no limits');
  t.same(sets('not json'), { include: [], exclude: [] }, 'unparsable parameters: no limits');
});

t.test('each parameters string gets its own choice, however the calls alternate', async (t) => {
  const onlyA = JSON.stringify({ orchestrators: { include: ['https://a:8935'] } });
  const notB = JSON.stringify({ orchestrators: { exclude: ['https://b:8935'] } });
  t.same(sets(onlyA), { include: ['https://a:8935'], exclude: [] });
  t.same(sets(onlyA), { include: ['https://a:8935'], exclude: [] }, 'the same parameters again');
  t.same(sets(notB), { include: [], exclude: ['https://b:8935'] }, 'other parameters are parsed, not served from the last');
  t.same(sets(onlyA), { include: ['https://a:8935'], exclude: [] }, 'and back');
  t.equal(orchestratorChoice(onlyA), orchestratorChoice(onlyA), 'a repeat is the kept parse, not a new one');
});
