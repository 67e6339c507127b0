import { startSandbox } from '../sandbox/index.js';
import type { CommandIO } from './run.js';

/**
 * `journey-prober sandbox [--port N]`: the imitation portal in the foreground. Prints the
 * portal's URL on its first line, the payment origin's on its second and GitLab.com's on
 * its third, then the demo accounts; runs until SIGINT/SIGTERM.
 */
export async function sandboxCommand(
  options: { port: number; paymentPort: number; host: string },
  io: CommandIO,
): Promise<number> {
  const sandbox = await startSandbox({
    host: options.host,
    port: options.port,
    paymentPort: options.paymentPort,
    log: io.log.child({ component: 'sandbox' }),
  });
  io.stdout.write(`${sandbox.portalUrl}\n${sandbox.paymentUrl}\n${sandbox.gitlabUrl}\n`);
  for (const account of sandbox.demoAccounts) {
    const otp = account.otpSecret === undefined ? '' : ` (TOTP secret ${account.otpSecret})`;
    io.stdout.write(`demo account (${account.state}): ${account.username} / ${account.password}${otp}\n`);
  }
  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve();
    else io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await sandbox.close();
  return 0;
}
