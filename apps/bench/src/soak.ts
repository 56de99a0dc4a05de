// `pnpm soak`: the soak tests' scenarios with bigger counts; prints the figures.
// Flags: --retrievals=500 (fault soak), --kills=50 --restart-retrievals=50 (restart soak),
// --database-retrievals=200 (a PostgreSQL restart and a read-only SQLite window).
import { runPostgresRestartSoak, runSqliteReadOnlySoak } from './soak-database';
import { runFaultSoak } from './soak-faults';
import { runRestartSoak } from './soak-restarts';
import { formatMegabytes } from './stats';

const flag = (name: string, fallback: number) => {
  const argument = process.argv.find((value) => value.startsWith(`--${name}=`));
  return argument ? Number(argument.slice(name.length + 3)) : fallback;
};

const retrievals = flag('retrievals', 500);
console.log(`fault soak: ${retrievals} retrievals, a fifth of upstream calls faulted…`);
const faults = await runFaultSoak(retrievals, 180_000);
console.log(
  [
    `  ready ${faults.ready}, failed ${JSON.stringify(faults.failedByCode)}, stuck ${faults.stuck}`,
    `  failed without a clear error ${faults.failedWithoutClearError}, ready without payload ${faults.readyWithoutPayload}`,
    `  upstream calls ${faults.upstreamCalls}, faulted ${faults.faultedCalls} (${((100 * faults.faultedCalls) / faults.upstreamCalls).toFixed(1)} %)`,
    `  unhandled rejections ${faults.unhandledRejections}, duration ${(faults.durationMs / 1000).toFixed(1)} s`,
    `  heap after GC ${formatMegabytes(faults.before.heapUsedBytes)} → ${formatMegabytes(faults.after.heapUsedBytes)}, RSS ${formatMegabytes(faults.before.rssBytes)} → ${formatMegabytes(faults.after.rssBytes)}`,
  ].join('\n'),
);

const kills = flag('kills', 50);
const restartRetrievals = flag('restart-retrievals', 50);
console.log(`restart soak: ${kills} kill -9s, ${restartRetrievals} retrievals…`);
const restarts = await runRestartSoak(kills, restartRetrievals);
console.log(
  [
    `  lost ${restarts.lost}, completed twice ${restarts.completedTwice}`,
    `  deliveries ${restarts.deliveries} (${restarts.redeliveries} repeated with the same delivery id)`,
    `  extra Authorize calls ${restarts.extraAuthorizes}, duration ${(restarts.durationMs / 1000).toFixed(1)} s`,
  ].join('\n'),
);
const databaseRetrievals = flag('database-retrievals', 200);
const database = [];
for (const run of [runPostgresRestartSoak, runSqliteReadOnlySoak]) {
  const figure = await run(databaseRetrievals, 3_000, 120_000);
  database.push(figure);
  console.log(
    `${figure.fault} soak: ${figure.retrievals} retrievals, lost ${figure.lost}, doubled ${figure.doubled}, stuck ${figure.stuck}, failed ${figure.failed}, warnings ${figure.warnings.length}, duration ${(figure.durationMs / 1000).toFixed(1)} s`,
  );
}
const ok =
  database.every((figure) => figure.lost + figure.doubled + figure.stuck === 0) &&
  faults.stuck === 0 &&
  faults.failedWithoutClearError === 0 &&
  faults.unhandledRejections === 0 &&
  restarts.lost === 0 &&
  restarts.completedTwice === 0;
console.log(ok ? 'soak: pass' : 'soak: FAIL');
process.exit(ok ? 0 : 1);
