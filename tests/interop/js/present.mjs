// Signs a Verifiable Presentation with Digital Bazaar's stack (@digitalbazaar/vc), as a
// learner's wallet would: holder = the did:key of the seed, proof purpose authentication,
// over the challenge and domain given. Reads one JSON request on stdin, writes the signed
// presentation on stdout. The standard contexts come from the Python package's npm-sourced
// files; the portal's own contexts are fetched over loopback from where the request's
// `contextRedirects` point, never preloaded.
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';

const here = dirname(fileURLToPath(import.meta.url));
const contextsDir = join(here, '..', '..', '..', 'credential_format', 'contexts');
const manifest = JSON.parse(readFileSync(join(contextsDir, 'manifest.json'), 'utf8'));
const contexts = new Map();
for(const entry of manifest.contexts.filter(entry => entry.npm_package)) {
  contexts.set(entry.url, JSON.parse(readFileSync(join(contextsDir, entry.file), 'utf8')));
}
let contextRedirects = {};

async function documentLoader(url) {
  if(!contexts.has(url)) {
    const prefix = Object.keys(contextRedirects).find(p => url.startsWith(p));
    if(prefix === undefined) {
      throw new Error(`Document not available offline: ${url}`);
    }
    const response = await fetch(contextRedirects[prefix] + url.slice(prefix.length),
      {redirect: 'error'});
    if(!response.ok) {
      throw new Error(`${url} answered HTTP ${response.status}`);
    }
    contexts.set(url, await response.json());
  }
  return {contextUrl: null, documentUrl: url, document: structuredClone(contexts.get(url))};
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const {seedHex, credentials, challenge, domain, created, holder} = request;
  contextRedirects = request.contextRedirects || {};
  const keyPair = await Ed25519Multikey.generate({seed: Uint8Array.from(Buffer.from(seedHex, 'hex'))});
  const didKey = `did:key:${keyPair.publicKeyMultibase}`;
  keyPair.id = `${didKey}#${keyPair.publicKeyMultibase}`;
  keyPair.controller = didKey;
  const suite = new DataIntegrityProof({
    signer: keyPair.signer(), cryptosuite: eddsaRdfc2022,
    date: created ? new Date(created) : undefined,
  });
  const presentation = vc.createPresentation({
    verifiableCredential: credentials || [], holder: holder || didKey, version: 2.0,
  });
  const signed = await vc.signPresentation({
    presentation, suite, challenge, domain, documentLoader,
  });
  process.stdout.write(JSON.stringify({presentation: signed, holder: didKey}));
}

main().catch(error => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(2);
});
