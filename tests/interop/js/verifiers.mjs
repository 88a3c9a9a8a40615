// Verifies credentials of a running portal with two verifiers the portal's authors did not
// write: the Digital Credentials Consortium's verifier-core (the engine of VerifierPlus and the
// Learner Credential Wallet) and Digital Bazaar's @digitalbazaar/vc with its Data Integrity
// eddsa-rdfc-2022 cryptosuite. Reads {credentials: [...], portalOrigin, schemaFiles} on stdin and
// writes one result per credential on stdout.
//
// Only the standard contexts the libraries ship are bundled (W3C, 1EdTech Open Badges, DCC);
// everything else (the portal's own contexts, did:web documents, status lists) is fetched from
// the running portal over HTTPS on loopback, whose test certificate Node trusts through
// NODE_EXTRA_CA_CERTS. Any other request is refused, so nothing leaves the machine.
import dns from 'node:dns';
import {readFileSync} from 'node:fs';

const request = JSON.parse(readFileSync(0, 'utf8'));
const portalOrigin = new URL(request.portalOrigin).origin;
const schemaFiles = request.schemaFiles || {};
const fetched = [];

function allowedUrl(url) {
  return new URL(url).origin === portalOrigin;
}

// The portal under test is addressed by IP literal; a request to any named host would need a
// DNS lookup, which is refused (this covers the libraries' own HTTP clients too).
dns.lookup = (hostname, options, callback) => {
  const done = typeof options === 'function' ? options : callback;
  process.nextTick(() => done(new Error(`refused: no network in this test (${hostname})`)));
};

// verifier-core validates Open Badges credentials against the 1EdTech JSON Schema it downloads
// from purl.imsglobal.org; the official files are vendored in the repository and served here
// at the URLs verifier-core asks for (no network).
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = typeof input === 'string' ? input : input.url || String(input);
  if(url in schemaFiles) {
    const schema = JSON.parse(readFileSync(schemaFiles[url], 'utf8'));
    return new Response(JSON.stringify({...schema, $id: url}), {
      headers: {'content-type': 'application/json'},
    });
  }
  if(!allowedUrl(url)) {
    throw new Error(`refused: ${url} is not on the portal under test`);
  }
  fetched.push(url);
  return realFetch(input, init);
};

const [{verifyCredential: dccVerify}, vc, {DataIntegrityProof},
  {cryptosuite: eddsaRdfc2022}, {checkStatus}, {securityLoader}] = await Promise.all([
  import('@digitalcredentials/verifier-core'),
  import('@digitalbazaar/vc'),
  import('@digitalbazaar/data-integrity'),
  import('@digitalbazaar/eddsa-rdfc-2022-cryptosuite'),
  import('@digitalbazaar/vc-bitstring-status-list'),
  import('@digitalcredentials/security-document-loader'),
]);

// Digital Bazaar's verifier gets the standard contexts the DCC loader bundles and its did:web
// resolution; any other URL is fetched, and only from the portal under test.
const standardLoader = securityLoader({fetchRemoteContexts: false}).build();
async function documentLoader(url) {
  if(/^https:/.test(url) && allowedUrl(url)) {
    const response = await globalThis.fetch(url);
    if(!response.ok) {
      throw new Error(`${url} answered HTTP ${response.status}`);
    }
    return {contextUrl: null, documentUrl: url, document: await response.json()};
  }
  return standardLoader(url);
}

function describe(error) {
  if(!error) {
    return [];
  }
  const errors = Array.isArray(error) ? error : [error];
  return errors.flatMap(e => [e.message || String(e), ...describe(e.errors || e.cause)]);
}

async function digitalBazaar(credential) {
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  const result = await vc.verifyCredential({
    credential, suite, documentLoader, checkStatus,
  });
  const statuses = result.statusResult ?
    (result.statusResult.results || [result.statusResult]) : [];
  const isSet = purpose => statuses.some(s => s.verified !== false && s.credentialStatus &&
    s.credentialStatus.statusPurpose === purpose && s.status === true);
  return {
    verified: result.verified === true,
    proofVerified: (result.results || []).length > 0 && result.results.every(r => r.verified),
    statusChecked: Boolean(result.statusResult && result.statusResult.verified),
    revoked: isSet('revocation'),
    suspended: isSet('suspension'),
    errors: describe(result.error).concat(
      result.statusResult && !result.statusResult.verified ?
        describe(result.statusResult.error) : []),
  };
}

async function digitalCredentialsConsortium(credential) {
  const result = await dccVerify({credential, knownDIDRegistries: []});
  const log = result.log || [];
  const step = id => log.find(entry => entry.id === id);
  const schema = (result.additionalInformation || []).find(i => i.id === 'schema_check');
  return {
    errors: (result.errors || []).map(e => `${e.name}: ${e.message}`),
    signature: step('valid_signature')?.valid ?? null,
    expiration: step('expiration')?.valid ?? null,
    revocation: step('revocation_status')?.valid ?? null,
    suspension: step('suspension_status')?.valid ?? null,
    schema: schema ? schema.results : null,
    log,
  };
}

const results = [];
for(const credential of request.credentials) {
  results.push({
    id: credential.id,
    digitalBazaar: await digitalBazaar(structuredClone(credential)),
    dcc: await digitalCredentialsConsortium(structuredClone(credential)),
  });
}
process.stdout.write(JSON.stringify({results, fetched: [...new Set(fetched)]}));
