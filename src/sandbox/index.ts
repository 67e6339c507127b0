import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoCredentials, type DemoAccount } from './accounts.js';
import { SandboxApp } from './app.js';
import { controlRoutes } from './control.js';
import { FaultSet } from './faults.js';
import { gitlabRoutes } from './gitlab/routes.js';
import { Router } from './http.js';
import { Lifecycle } from './lifecycle.js';
import { resolveOptions, type SandboxOptions } from './options.js';
import { paymentRoutes } from './payment/routes.js';
import { createPipeline, type Origin } from './pipeline.js';
import { RequestLog } from './request-log.js';
import { apiRoutes } from './routes/api.js';
import { flowRoutes } from './routes/flows.js';
import { manageRoutes } from './routes/manage.js';
import { sessionRoutes } from './routes/session.js';

export { SandboxOptionsError, type CardLimit, type SandboxOptions } from './options.js';
export { currentOtp } from './gitlab/oauth.js';

/** A seeded account as the `sandbox` command prints it. */
export interface SandboxDemoAccount {
  readonly username: string;
  readonly email: string;
  readonly password: string;
  readonly otpSecret?: string;
  readonly state: string;
}

/** A running sandbox: the imitation portal, its payment origin and GitLab.com. */
export interface Sandbox {
  /** The portal origin, e.g. http://127.0.0.1:41234 */
  readonly portalUrl: string;
  /** The payment origin (a second origin), e.g. http://127.0.0.1:41235 */
  readonly paymentUrl: string;
  /** The GitLab.com imitation (a third origin): OAuth sign-in, groups, billing pages. */
  readonly gitlabUrl: string;
  /** Seeded accounts (none, active, renewable, reseller, multi_year, two-factor); valid again after reset. */
  readonly demoAccounts: readonly SandboxDemoAccount[];
  /** Closes the three servers and all sockets; pending delays and hangs are released. */
  close(): Promise<void>;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void =>
      reject(new Error(`sandbox could not listen on ${host}:${port}: ${error.message}`));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function shut(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  return closed;
}

function urlOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Starts the sandbox on three origins. Call `close()` when done. */
export async function startSandbox(options?: SandboxOptions): Promise<Sandbox> {
  const resolved = resolveOptions(options);
  const demo: DemoAccount[] = resolved.seedDemoAccounts ? demoCredentials() : [];
  const requests = new RequestLog(1000);
  const app = new SandboxApp({
    catalogue: resolved.catalogue,
    now: resolved.now,
    provisioningDelayMs: resolved.provisioningDelayMs,
    sessionTtlMs: resolved.sessionTtlMs,
    cardLimit: resolved.cardLimit,
    maxAccounts: resolved.maxAccounts,
    demoAccounts: demo,
    faults: new FaultSet(),
    requests,
    ...(resolved.log === undefined ? {} : { log: resolved.log }),
  });
  const lifecycle = new Lifecycle();
  const portalRouter = new Router();
  sessionRoutes(portalRouter, app);
  manageRoutes(portalRouter, app);
  flowRoutes(portalRouter, app);
  apiRoutes(portalRouter, app);
  controlRoutes(portalRouter, app, requests);
  const paymentRouter = new Router();
  paymentRoutes(paymentRouter, app);
  const gitlabRouter = new Router();
  gitlabRoutes(gitlabRouter, app);

  const make = (origin: Origin, router: Router): Server =>
    createServer(createPipeline({ app, origin, router, requests, lifecycle }));
  const portal = make('portal', portalRouter);
  const payment = make('payment', paymentRouter);
  const gitlab = make('gitlab', gitlabRouter);
  const close = async (): Promise<void> => {
    lifecycle.close();
    await Promise.all([shut(portal), shut(payment), shut(gitlab)]);
  };
  try {
    app.urls.portal = urlOf(resolved.host, await listen(portal, resolved.host, resolved.port));
    app.urls.payment = urlOf(resolved.host, await listen(payment, resolved.host, resolved.paymentPort));
    app.urls.gitlab = urlOf(resolved.host, await listen(gitlab, resolved.host, resolved.gitlabPort));
  } catch (error) {
    await close();
    throw error;
  }
  resolved.log?.info({ ...app.urls }, 'sandbox started');
  return {
    portalUrl: app.urls.portal,
    paymentUrl: app.urls.payment,
    gitlabUrl: app.urls.gitlab,
    demoAccounts: Object.freeze(demo.map((d) => Object.freeze({ ...d }))),
    close,
  };
}
