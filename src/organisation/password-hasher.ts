import { Injectable } from '@nestjs/common';
import { Algorithm, hash, verify } from '@node-rs/argon2';

/** argon2id for user passwords and API client secrets; the plain value is never stored. */
@Injectable()
export class PasswordHasher {
  hash(secret: string): Promise<string> {
    return hash(secret, { algorithm: Algorithm.Argon2id });
  }

  /** False for a wrong secret and for a malformed hash. */
  verify(storedHash: string, secret: string): Promise<boolean> {
    return verify(storedHash, secret).catch(() => false);
  }
}
