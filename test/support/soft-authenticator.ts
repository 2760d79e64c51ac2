/**
 * A WebAuthn authenticator in software, for the service and HTTP suites (the browser suite uses
 * Chromium's own virtual authenticator): an ES256 key pair made by node:crypto, and the answers
 * a browser would send for navigator.credentials.create() and .get(), built byte by byte as
 * WebAuthn §6.1 and §6.5 lay them out (authenticator data, "none" attestation in CBOR, a
 * DER-encoded ECDSA signature over authenticator data ‖ SHA-256(client data)). What the server
 * checks is therefore real: a wrong origin, challenge, RP ID or counter fails as it would from a
 * real device.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

export interface SoftAuthenticatorOptions {
  /** the origin the "browser" reports in its client data (default: the RP's https origin) */
  origin?: string;
  /** 0: an authenticator that keeps no signature counter (it stays 0); else it starts here and counts every sign-in */
  counter?: number;
  /** the user-verified flag (UV) */
  userVerified?: boolean;
}

interface Options {
  challenge: string;
  rp?: { id?: string };
  rpId?: string;
  user?: { id: string };
}

const b64 = (b: Uint8Array | Buffer) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest();

export class SoftAuthenticator {
  readonly credentialId = randomBytes(16);
  private readonly privateKey: KeyObject;
  private readonly publicJwk: { x: string; y: string };
  counter: number;
  /** the user handle stored at registration (given back at sign-in, as a discoverable credential does) */
  userHandle: string | null = null;

  constructor(private readonly o: SoftAuthenticatorOptions = {}) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    this.publicJwk = publicKey.export({ format: 'jwk' }) as { x: string; y: string };
    this.counter = o.counter ?? 0;
  }

  get id(): string {
    return b64(this.credentialId);
  }

  /** The answer to registration options (PublicKeyCredentialCreationOptionsJSON), as @simplewebauthn/browser sends it. */
  create(options: Options, origin = this.o.origin): Record<string, unknown> {
    const rpId = options.rp?.id ?? '';
    this.userHandle = options.user?.id ?? null;
    const clientData = this.clientData('webauthn.create', options.challenge, origin ?? `https://${rpId}`);
    // COSE_Key: kty EC2 (2), alg ES256 (-7), crv P-256 (1), x, y
    const coseKey = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, new Uint8Array(Buffer.from(this.publicJwk.x, 'base64url'))],
        [-3, new Uint8Array(Buffer.from(this.publicJwk.y, 'base64url'))],
      ]),
    );
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([this.authData(rpId, 0x40), Buffer.alloc(16), idLength, this.credentialId, Buffer.from(coseKey)]);
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Map<string, string> | Uint8Array>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, string>()],
        ['authData', new Uint8Array(authData)],
      ]),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: { clientDataJSON: b64(clientData), attestationObject: b64(attestationObject), transports: ['internal'] },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** The answer to sign-in options (PublicKeyCredentialRequestOptionsJSON); the counter goes up first, unless it is kept at 0. */
  get(options: Options, o: { origin?: string; rpId?: string; userHandle?: string | null } = {}): Record<string, unknown> {
    const rpId = o.rpId ?? options.rpId ?? '';
    if (this.o.counter !== 0) this.counter += 1;
    const clientData = this.clientData('webauthn.get', options.challenge, o.origin ?? this.o.origin ?? `https://${rpId}`);
    const authData = this.authData(rpId, 0);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientData)]), this.privateKey);
    const handle = o.userHandle === undefined ? this.userHandle : o.userHandle;
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: { clientDataJSON: b64(clientData), authenticatorData: b64(authData), signature: b64(signature), ...(handle ? { userHandle: handle } : {}) },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  private clientData(type: string, challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  /** rpIdHash ‖ flags (UP, UV when verified, and `extra`) ‖ counter */
  private authData(rpId: string, extra: number): Buffer {
    const flags = 0x01 | (this.o.userVerified === false ? 0 : 0x04) | extra;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), counter]);
  }
}
