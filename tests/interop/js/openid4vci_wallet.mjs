// A wallet built from the OpenWallet Foundation's OpenID4VCI client (@openid4vc/openid4vci and
// @openid4vc/oauth2), not from the portal's code. Reads one JSON request on stdin
// ({"offerUri": ..., "txCode": ...}), follows the offer against the running issuer (HTTPS; the
// test's certificate authority comes in through NODE_EXTRA_CA_CERTS) and writes one JSON
// answer on stdout: the holder's did:key, the metadata version the client recognised, the
// token and nonce answers and the credential response.
import {createHash, randomBytes} from 'node:crypto';

import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {clientAuthenticationAnonymous} from '@openid4vc/oauth2';
import {Openid4vciClient} from '@openid4vc/openid4vci';

const request = JSON.parse(await new Promise(resolve => {
  let text = '';
  process.stdin.on('data', chunk => { text += chunk; });
  process.stdin.on('end', () => resolve(text));
}));

const keyPair = await Ed25519Multikey.generate();
const holderDid = `did:key:${keyPair.publicKeyMultibase}`;
const didUrl = `${holderDid}#${keyPair.publicKeyMultibase}`;
const sign = keyPair.signer();

const base64url = bytes => Buffer.from(bytes).toString('base64url');
const hashNames = {'sha-256': 'sha256', 'sha-384': 'sha384', 'sha-512': 'sha512'};

const client = new Openid4vciClient({
  callbacks: {
    fetch,
    hash: (data, alg) => new Uint8Array(createHash(hashNames[alg]).update(data).digest()),
    generateRandom: length => new Uint8Array(randomBytes(length)),
    clientAuthentication: clientAuthenticationAnonymous(),
    signJwt: async (signer, {header, payload}) => {
      const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
      const signature = await sign.sign({data: new TextEncoder().encode(input)});
      const x = base64url(keyPair.publicKey);
      return {jwt: `${input}.${base64url(signature)}`, signerJwk: {kty: 'OKP', crv: 'Ed25519', x}};
    },
  },
});

try {
  const offer = await client.resolveCredentialOffer(request.offerUri);
  const issuerMetadata = await client.resolveIssuerMetadata(offer.credential_issuer);
  const configurationId = offer.credential_configuration_ids[0];
  const token = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
    credentialOffer: offer,
    issuerMetadata,
    txCode: request.txCode ?? undefined,
  });
  const nonce = await client.requestNonce({issuerMetadata});
  const {jwt} = await client.createCredentialRequestJwtProof({
    issuerMetadata,
    credentialConfigurationId: configurationId,
    signer: {method: 'did', didUrl, alg: 'EdDSA'},
    nonce: nonce.c_nonce,
  });
  const credentials = await client.retrieveCredentials({
    issuerMetadata,
    credentialConfigurationId: configurationId,
    accessToken: token.accessTokenResponse.access_token,
    proofs: {jwt: [jwt]},
  });
  process.stdout.write(JSON.stringify({
    ok: true,
    holderDid,
    metadataVersion: issuerMetadata.originalDraftVersion,
    configurationId,
    display: issuerMetadata.credentialIssuer.credential_configurations_supported[configurationId]
      .credential_metadata?.display ?? null,
    token: token.accessTokenResponse,
    nonce,
    credentialResponse: credentials.credentialResponse,
  }));
} catch(error) {
  process.stdout.write(JSON.stringify({
    ok: false,
    error: `${error.name}: ${error.message}`,
    body: error.responseText ?? error.response?.responseText ?? null,
  }));
}
