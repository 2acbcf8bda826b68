import { describe, expect, it } from 'vitest';
import { isMachiError } from '../../core/index.ts';
import { generatePassword, hashPassword, verifyAgainstDummy, verifyPassword } from './password.ts';

describe('scrypt passwords', () => {
  it('hashes in a PHC-like string with parameters and a random salt', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const encoded = await hashPassword('correct horse battery');
    expect(await verifyPassword('correct horse battery', encoded)).toBe(true);
    expect(await verifyPassword('correct horse batterY', encoded)).toBe(false);
    expect(await verifyPassword('', encoded)).toBe(false);
  });

  it('treats full-width and half-width forms alike (NFKC), as an IME may type either', async () => {
    const encoded = await hashPassword('Password1234');
    expect(await verifyPassword('Ｐａｓｓｗｏｒｄ１２３４', encoded)).toBe(true);
  });

  it('refuses passwords shorter than 12 characters when creating', async () => {
    let caught: unknown;
    try {
      await hashPassword('short-pass1');
    } catch (error) {
      caught = error;
    }
    expect(isMachiError(caught) && caught.code).toBe('validation-failed');
    await expect(hashPassword('twelve-chars')).resolves.toMatch(/^\$scrypt\$/);
  });

  it.each([
    '',
    'plain',
    '$scrypt$ln=15,r=8,p=1$c2FsdA',
    '$scrypt$ln=30,r=8,p=1$c2FsdA$aGFzaA', // absurd cost: refused, not attempted
    '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA',
  ])('returns false for the malformed stored hash %j', async (encoded) => {
    expect(await verifyPassword('anything at all', encoded)).toBe(false);
  });

  it('spends scrypt time on unknown users and answers false', async () => {
    await verifyAgainstDummy('warm up the dummy hash');
    const started = performance.now();
    expect(await verifyAgainstDummy('whatever password')).toBe(false);
    expect(performance.now() - started).toBeGreaterThan(20);
  });

  it('generates long initial passwords without look-alike characters', () => {
    const password = generatePassword();
    expect(password).toHaveLength(20);
    expect(password).not.toMatch(/[0O1lI]/);
    expect(generatePassword()).not.toBe(password);
  });
});
