// Placeholder until the operation lands; the command table lists it so parallel work does not collide.
import { PreconditionError } from '../errors.ts';

export const help = 'cairn init: not available yet';

export async function run(_argv: string[]): Promise<number> {
  throw new PreconditionError('cairn init is not available in this build yet', 'see README "Commands"');
}
