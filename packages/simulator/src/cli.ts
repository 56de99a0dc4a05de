import { CLI_USAGE, parseCliArgs, toSimulatorOptions } from './cli-args.js';
import { SimulatorError } from './errors.js';
import { startSimulator } from './simulator.js';
import { TOOLBOX, TOOLBOX_USERS } from './toolbox.js';

/** Runs `flinkit-simulator`: starts the simulator and prints how to use it; Ctrl-C stops it. */
export async function main(argv: readonly string[]): Promise<number> {
  let cli: ReturnType<typeof parseCliArgs>;
  try {
    cli = parseCliArgs(argv);
  } catch (error) {
    if (!SimulatorError.isInstance(error)) throw error;
    console.error(`flinkit-simulator: ${error.message}`);
    return 2;
  }
  if (cli.help) {
    console.log(CLI_USAGE);
    return 0;
  }
  const sim = await startSimulator(toSimulatorOptions(cli));
  const iframe = `${sim.connectUrl}?${new URLSearchParams({ authorizeToken: sim.createAuthorizeToken(), demo: 'true' })}`;
  console.log(`Flinks simulator running
  API base URL   ${sim.apiUrl}/v3/${sim.customerId}/BankingServices
  iframe         ${iframe}
                 (single-use token, valid 30 min; mint more with POST /GenerateAuthorizeToken)
  customerId     ${sim.customerId}
  secret key     ${sim.secretKey}   (flinks-auth-key on /GenerateAuthorizeToken)
  x-api-key      ${sim.apiKey}
  institution    FlinksCapital (demo=true)
  password       ${TOOLBOX.password}
  usernames      ${Object.keys(TOOLBOX_USERS).join(', ')}
  MFA answers    city born: Montreal, best country: Canada, shape: Triangle
${cli.webhookUrl ? `  webhooks to    ${cli.webhookUrl}${cli.webhookSecret ? ' (signed, flinks-authenticity-key)' : ' (unsigned)'}\n` : ''}Press Ctrl-C to stop.`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sim.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`flinkit-simulator: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
