import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { LoadedConfig } from './config/load.js';
import { UsageError } from './config/errors.js';
import type { CommandIO } from './commands/run.js';
import { TRACE_POLICIES, type TracePolicy } from './runner/types.js';

// Command modules, the config schema, the logger and Playwright are imported by the action
// that needs them, so `--help` and `--version` load only commander (bench/README.md, "Startup").

async function loadConfig(file: string | undefined): Promise<LoadedConfig> {
  return (await import('./config/load.js')).loadConfig(file);
}

/** Exit codes (DESIGN.md "Commands"). */
export const EXIT = { ok: 0, failed: 1, usage: 2, prober: 3 } as const;

function integer(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) {
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

function httpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('must be an absolute http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new InvalidArgumentError('must be an http(s) URL');
  return value;
}

/**
 * The command's IO. `quietLevel`: the default level in text format for commands whose text
 * output is their own run lines (serve, demo): only warnings and errors as log lines.
 */
async function makeIO(
  signal: AbortSignal,
  logTo: 1 | 2,
  defaultLevel: string,
  options: { readonly format?: string; readonly quietLevel?: string } = {},
): Promise<CommandIO> {
  const { createLogger, isLevel, SecretRegistry } = await import('./log.js');
  const { colorFor, logFormatFor, terminal } = await import('./sinks/stdout.js');
  const secrets = new SecretRegistry();
  const stream = logTo === 1 ? process.stdout : process.stderr;
  const logFormat = logFormatFor(options.format, stream, process.env);
  const level =
    process.env.PROBER_LOG_LEVEL ??
    (logFormat === 'text' ? (options.quietLevel ?? defaultLevel) : defaultLevel);
  if (!isLevel(level)) throw new UsageError(`PROBER_LOG_LEVEL "${level}" is not a log level`);
  return {
    stdout: terminal(process.stdout),
    stderr: terminal(process.stderr),
    env: process.env,
    log: createLogger({
      level,
      fd: logTo,
      pretty: logFormat === 'text',
      color: colorFor(stream, process.env),
      secrets,
    }),
    logFormat,
    secrets,
    signal,
  };
}

function logFormatOption(): Option {
  return new Option(
    '--log-format <format>',
    'text: a line per finished run and the URLs; json: pino JSON lines (default: text on a terminal, else json)',
  ).choices(['auto', 'text', 'json']);
}

interface RunFlags {
  all?: boolean;
  target?: string;
  baseUrl?: string;
  headed?: boolean;
  slowMo?: number;
  trace?: TracePolicy;
  repeat: number;
  retries?: number;
  json?: boolean;
  junit?: string;
  push?: string;
  artifacts?: string;
  sessionFile?: string;
  config?: string;
}

/** Builds the command tree; each action resolves to an exit code. */
export function buildProgram(signal: AbortSignal, setExit: (code: number) => void): Command {
  const program = new Command('journey-prober')
    .description('Synthetic journeys against the billing portal, with evidence and Prometheus metrics.')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      // One line, and commander's best part kept: "(Did you mean --retries?)" joins the line.
      outputError: (text, write) =>
        write(
          `${text
            .split('\n')
            .map((l) => l.trim())
            .filter((l) => l !== '')
            .join(' ')}\n`,
        ),
    })
    // Handled by main() before parsing (it is asynchronous: it asks the browser); listed for --help.
    .option('-V, --version', 'print the versions of journey-prober, Playwright and the browser');

  program
    .command('list')
    .description('list journeys and targets')
    .option('--json', 'one JSON object on stdout')
    .option('--config <file>', 'configuration file (YAML or JSON)')
    .action(async (flags: { json?: boolean; config?: string }) => {
      const io = await makeIO(signal, 2, 'warn');
      const config = await loadConfig(flags.config);
      const { listCommand } = await import('./commands/list.js');
      setExit(await listCommand({ json: flags.json === true }, config, io));
    });

  program
    .command('run')
    .description(
      'run journeys once against one target and exit (0 passed, 1 failed, 2 usage, 3 prober error)',
    )
    .argument('[journey...]', 'journeys to run (see `list`)')
    .option('--all', 'run every journey')
    .option('--target <name>', 'target to probe (default: sandbox)')
    .option(
      '--base-url <url>',
      'override the target\'s URL; alone, probe any site as target "adhoc"',
      httpUrl,
    )
    .option('--headed', 'show the browser')
    .option('--slow-mo <ms>', 'slow every browser action down', integer(0, 60_000))
    .addOption(
      new Option('--trace <policy>', 'when to keep a Playwright trace (default: on-first-retry)').choices(
        TRACE_POLICIES,
      ),
    )
    .option('--repeat <n>', 'run each journey N times', integer(1, 10_000), 1)
    .option('--retries <n>', 'retry a failed run up to N times (a pass then is "flaky")', integer(0, 5))
    .option('--json', 'one JSON result per run on stdout, nothing else')
    .option('--junit <file>', 'write a JUnit XML report (deploy pipelines)')
    .option('--push <url>', "push this run's metrics to a Pushgateway", httpUrl)
    .option('--artifacts <dir>', 'where failure evidence goes (default: artifacts)')
    .option('--session-file <file>', 'keep signed-in sessions in this file (0600) between runs')
    .option('--config <file>', 'configuration file (YAML or JSON)')
    .action(async (journeys: string[], flags: RunFlags) => {
      const io = await makeIO(signal, 2, 'warn');
      const config = await loadConfig(flags.config);
      const { runCommand } = await import('./commands/run.js');
      setExit(
        await runCommand(
          // Commander sets only the options given (and --repeat's default).
          {
            ...flags,
            journeys,
            all: flags.all === true,
            headed: flags.headed === true,
            json: flags.json === true,
          },
          config,
          io,
        ),
      );
    });

  program
    .command('sandbox')
    .description(
      'start the imitation portal in the foreground (portal URL on the first line, payment origin on the second)',
    )
    .option('--port <n>', 'portal port (0: a free one)', integer(0, 65_535), 0)
    .option('--payment-port <n>', 'payment origin port (0: a free one)', integer(0, 65_535), 0)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .action(async (flags: { port: number; paymentPort: number; host: string }) => {
      const { sandboxCommand } = await import('./commands/sandbox.js');
      setExit(await sandboxCommand(flags, await makeIO(signal, 2, 'info')));
    });

  program
    .command('doctor')
    .description('first contact with a target, read-only: sign in, walk the pages, report every locator')
    .option('--target <name>', 'target to check (default sandbox)')
    .option('--json', 'one JSON object on stdout')
    .option('--config <file>', 'configuration file (YAML or JSON)')
    .action(async (flags: { target?: string; json?: boolean; config?: string }) => {
      const io = await makeIO(signal, 2, 'warn');
      const config = await loadConfig(flags.config);
      const { doctorCommand } = await import('./commands/doctor.js');
      const options = {
        json: flags.json === true,
        ...(flags.target === undefined ? {} : { target: flags.target }),
      };
      setExit(await doctorCommand(options, config, io));
    });

  program
    .command('serve')
    .description(
      'run every journey on its cron schedule and serve /metrics, /healthz, /readyz until SIGTERM/SIGINT',
    )
    .option('--config <file>', 'configuration file (YAML or JSON)')
    .addOption(logFormatOption())
    .action(async (flags: { config?: string; logFormat?: string }) => {
      const io = await makeIO(signal, 1, 'info', { format: flags.logFormat, quietLevel: 'warn' });
      // A file with problems gets its schedules' and their targets' problems too, in one pass.
      const config = await (await import('./scheduler/plan.js')).loadServeConfig(flags.config);
      const { serveCommand } = await import('./commands/serve.js');
      setExit(await serveCommand(config, io));
    });

  program
    .command('demo')
    .description(
      'the sandbox probed every 30 s by serve: /metrics, the status page and the sandbox URLs are printed',
    )
    .option('--config <file>', 'configuration file (YAML or JSON)')
    .addOption(logFormatOption())
    .action(async (flags: { config?: string; logFormat?: string }) => {
      const io = await makeIO(signal, 1, 'info', { format: flags.logFormat, quietLevel: 'warn' });
      const config = await loadConfig(flags.config);
      const { demoCommand } = await import('./commands/demo.js');
      setExit(await demoCommand(config, io));
    });

  return program;
}

/** Chromium missing or not launching (exit 3): only a command that loaded the runner can throw it. */
async function isBrowserError(error: Error): Promise<boolean> {
  if (error.name !== 'BrowserNotFoundError' && error.name !== 'BrowserLaunchError') return false;
  const { BrowserLaunchError, BrowserNotFoundError } = await import('./runner/browser.js');
  return error instanceof BrowserNotFoundError || error instanceof BrowserLaunchError;
}

/** Runs the CLI; resolves to the process exit code. Never throws. */
export async function main(argv: readonly string[], signal: AbortSignal): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    const { versionText } = await import('./version.js');
    process.stdout.write(`${await versionText()}\n`);
    return EXIT.ok;
  }
  let code: number = EXIT.ok;
  const program = buildProgram(signal, (c) => (code = c));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander printed its one-line message already; --help and --version are not errors.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`journey-prober: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof Error && (await isBrowserError(error))) {
      process.stderr.write(`journey-prober: ${error.message}\n`);
      return EXIT.prober;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`journey-prober: internal error: ${message}\n`);
    return EXIT.prober;
  }
}

/** The process entry: the only place that calls process.exit. */
export async function start(argv: readonly string[]): Promise<void> {
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (name: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) process.exit(128 + (name === 'SIGINT' ? 2 : 15));
    controller.abort(new Error(`received ${name}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const code = await main(argv, controller.signal);
  process.exitCode = code;
  // Give pino's async destinations a moment to flush, then leave even if a handle lingers.
  setTimeout(() => process.exit(code), 200).unref();
}
