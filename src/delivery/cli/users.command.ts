/**
 * `paperboy users promote <email> --role moderator|admin`, for operators (issue 13): gives the
 * account of an address a role (or back to reader). Accounts are made at the first sign-in, so
 * an address that never signed in is refused with a message saying so.
 */
import type { Role } from '../../core/accounts.js';
import { PaperboyError } from '../../core/errors.js';
import type { Accounts } from '../../ports/accounts.js';
import type { Io } from './main.js';

export async function runUsersPromote(accounts: Pick<Accounts, 'setRole'>, email: string, role: Role, io: Io): Promise<number> {
  const account = await accounts.setRole(email, role, new Date().toISOString());
  if (!account) throw new PaperboyError('NOT_FOUND', `users promote: no account has the address ${email} (an account is made when its address first signs in)`);
  io.stdout.write(`${account.email}: ${account.role} (account ${account.id}, ${JSON.stringify(account.displayName)})\n`);
  return 0;
}
