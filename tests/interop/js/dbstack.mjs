// Signs and verifies credentials with Digital Bazaar's JavaScript stack, as an independent
// implementation for the interoperability tests. Reads one JSON request on stdin, writes one
// JSON response on stdout. The standard contexts (those the package ships from npm, per its
// manifest) are read from the package's files; the portal's own contexts are never preloaded:
// they are fetched over loopback from where the request's `contextRedirects` point (as a
// w3id.org redirect points at a deployment). DID documents / status lists come from the request.
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import jsigs from 'jsonld-signatures';
import jsonld from 'jsonld';
import * as rdfCanonize from 'rdf-canonize';

const here = dirname(fileURLToPath(import.meta.url));
const contextsDir = join(here, '..', '..', '..', 'credential_format', 'contexts');
const manifest = JSON.parse(readFileSync(join(contextsDir, 'manifest.json'), 'utf8'));
const contexts = new Map();
for(const entry of manifest.contexts.filter(entry => entry.npm_package)) {
  contexts.set(entry.url, JSON.parse(readFileSync(join(contextsDir, entry.file), 'utf8')));
}
// URL prefix -> loopback base it redirects to; set from the request.
let contextRedirects = {};
const fetchedContexts = new Map();

async function fetchRedirected(url) {
  const prefix = Object.keys(contextRedirects).find(p => url.startsWith(p));
  if(prefix === undefined) {
    return null;
  }
  // The promise is kept, not its result: a batch verifies many credentials at once, and each
  // of them asking for the context must share one connection, not open one each (a burst of
  // connections overflows the server's accept queue and the dropped ones wait seconds for
  // TCP's retransmission).
  if(!fetchedContexts.has(url)) {
    fetchedContexts.set(url, fetchJson(contextRedirects[prefix] + url.slice(prefix.length)));
  }
  return fetchedContexts.get(url);
}

function didKeyDocument(did) {
  const multibase = did.slice('did:key:'.length);
  const id = `${did}#${multibase}`;
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id,
    verificationMethod: [{id, type: 'Multikey', controller: did, publicKeyMultibase: multibase}],
    assertionMethod: [id],
    authentication: [id],
  };
}

// did:web resolution (https://w3c-ccg.github.io/did-method-web/): host and path from the DID,
// fetched from `httpBase` (a loopback test server) instead of the DID's https host.
function didWebUrl(did, httpBase) {
  const parts = did.slice('did:web:'.length).split(':').map(decodeURIComponent);
  const path = parts.length === 1 ? '/.well-known/did.json' : `/${parts.slice(1).join('/')}/did.json`;
  return `${httpBase}${path}`;
}

async function fetchJson(url) {
  const response = await fetch(url, {redirect: 'error'});
  if(!response.ok) {
    throw new Error(`${url} answered HTTP ${response.status}`);
  }
  return response.json();
}

function makeLoader(documents = {}, extraContexts = {}, httpBase = null) {
  return async function documentLoader(url) {
    let document;
    if(contexts.has(url)) {
      document = contexts.get(url);
    } else if(url in extraContexts) {
      document = extraContexts[url];
    } else if((document = await fetchRedirected(url)) !== null) {
      // fetched from the deployment serving it
    } else if(httpBase && url.startsWith(httpBase)) {
      document = await fetchJson(url);
    } else {
      const [base, fragment] = url.split('#');
      let controllerDocument = documents[base];
      if(!controllerDocument && base.startsWith('did:key:')) {
        controllerDocument = didKeyDocument(base);
        controllerDocument.id = base;
      }
      if(!controllerDocument && httpBase && base.startsWith('did:web:')) {
        controllerDocument = await fetchJson(didWebUrl(base, httpBase));
      }
      if(!controllerDocument) {
        throw new Error(`Document not available offline: ${url}`);
      }
      if(!fragment) {
        document = controllerDocument;
      } else {
        const method = (controllerDocument.verificationMethod || [])
          .find(m => m.id === url || m.id === `#${fragment}`);
        if(!method) {
          throw new Error(`Verification method not found: ${url}`);
        }
        document = {
          '@context': 'https://w3id.org/security/multikey/v1',
          ...method,
          id: url,
        };
      }
    }
    return {contextUrl: null, documentUrl: url, document: structuredClone(document)};
  };
}

async function sign({credential, seedHex, verificationMethod, created, extraContexts}) {
  const seed = Uint8Array.from(Buffer.from(seedHex, 'hex'));
  const keyPair = await Ed25519Multikey.generate({seed});
  const didKey = `did:key:${keyPair.publicKeyMultibase}`;
  keyPair.id = verificationMethod || `${didKey}#${keyPair.publicKeyMultibase}`;
  keyPair.controller = keyPair.id.split('#')[0];
  const suite = new DataIntegrityProof({
    signer: keyPair.signer(), cryptosuite: eddsaRdfc2022,
    date: created ? new Date(created) : undefined,
  });
  const signed = await vc.issue({
    credential, suite, documentLoader: makeLoader({}, extraContexts),
  });
  return {credential: signed};
}

function describe(error) {
  if(!error) {
    return [];
  }
  const errors = Array.isArray(error) ? error : [error];
  return errors.flatMap(e => [e.message || String(e), ...describe(e.errors || e.cause)]);
}

async function verify({credential, documents, now, extraContexts, httpBase}) {
  const documentLoader = makeLoader(documents, extraContexts, httpBase);
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  const options = {credential, suite, documentLoader};
  if(now) {
    options.now = new Date(now);
  }
  if(credential.credentialStatus) {
    options.checkStatus = checkStatus;
  }
  const result = await vc.verifyCredential(options);
  let statusValid = null;
  if(result.statusResult) {
    const statuses = result.statusResult.results || [result.statusResult];
    statusValid = result.statusResult.verified &&
      statuses.every(s => s.status === undefined || s.status === false || s.status === 0);
  }
  const verified = result.verified && statusValid !== false;
  return {
    verified,
    proofVerified: (result.results || []).every(r => r.verified) && (result.results || []).length > 0,
    statusValid,
    errors: describe(result.error).concat(
      result.statusResult && !result.statusResult.verified ?
        describe(result.statusResult.error) : []),
  };
}

// Times signing and verifying inside one Node process (start-up excluded), one at a time.
async function benchmark({credentials, seedHex, documents}) {
  const timed = async (items, work) => {
    const start = performance.now();
    const results = [];
    for(const item of items) {
      results.push(await work(item));
    }
    return {seconds: (performance.now() - start) / 1000, results};
  };
  const seed = Uint8Array.from(Buffer.from(seedHex, 'hex'));
  const keyPair = await Ed25519Multikey.generate({seed});
  keyPair.id = `did:key:${keyPair.publicKeyMultibase}#${keyPair.publicKeyMultibase}`;
  keyPair.controller = keyPair.id.split('#')[0];
  const documentLoader = makeLoader(documents);
  const signSuite = new DataIntegrityProof({signer: keyPair.signer(), cryptosuite: eddsaRdfc2022});
  const verifySuite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  // Warm up jsonld.js's context caches, as a long-lived service would have them.
  await vc.issue({credential: structuredClone(credentials[0]), suite: signSuite, documentLoader});
  const signing = await timed(credentials, credential => vc.issue({
    credential: structuredClone(credential), suite: signSuite, documentLoader,
  }));
  const verifying = await timed(signing.results, credential => vc.verifyCredential({
    credential, suite: verifySuite, documentLoader,
  }));
  return {
    signSeconds: signing.seconds,
    verifySeconds: verifying.seconds,
    count: credentials.length,
    allVerified: verifying.results.every(r => r.verified),
    nodeVersion: process.version,
  };
}

// The canonical N-Quads the eddsa-rdfc-2022 cryptosuite hashes, computed with the cryptosuite's
// own options (JSON-LD safe mode, no base IRI, rdfDirection i18n-datatype, RDFC-1.0 with its
// default work factor). Never throws: an error is reported as {error}.
async function canonize({document, extraContexts}) {
  const options = {
    algorithm: 'RDFC-1.0', format: 'application/n-quads', base: null, safe: true,
    documentLoader: makeLoader({}, extraContexts),
  };
  try {
    const opts = {rdfDirection: 'i18n-datatype', ...options, produceGeneralizedRdf: false};
    delete opts.format;
    const dataset = await jsonld.toRDF(document, opts);
    return {nquads: await rdfCanonize.canonize(dataset, options)};
  } catch(error) {
    return {error: describe(error).join('; ') || String(error)};
  }
}

// Checks only the Data Integrity proofs of a document (no credential-level checks such as
// dates, status or required properties): the differential tests compare signature verdicts.
async function verifyProof({document, documents}) {
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  try {
    const result = await jsigs.verify(document, {
      suite, purpose: new jsigs.purposes.AssertionProofPurpose(),
      documentLoader: makeLoader(documents),
    });
    return {verified: result.verified, errors: describe(result.error)};
  } catch(error) {
    return {verified: false, errors: describe(error)};
  }
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  contextRedirects = request.contextRedirects || {};
  const actions = {sign, verify, benchmark, canonize, verifyProof};
  const run = async one => {
    if(!(one.action in actions)) {
      throw new Error(`Unknown action ${one.action}`);
    }
    return actions[one.action](one);
  };
  // A batch amortises Node's start-up over many credentials.
  const response = request.action === 'batch' ?
    await Promise.all(request.requests.map(run)) : await run(request);
  process.stdout.write(JSON.stringify(response));
}

main().catch(error => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(2);
});
