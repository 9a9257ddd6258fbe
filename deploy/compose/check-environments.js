/**
 * Reads [{ where, env }] on stdin (the environments deploy files give the application) and checks each with the
 * application's own loader: every variable is one it reads, and the configuration is valid. Exit 1 otherwise.
 */
const { CONFIG_VARIABLES, ConfigError, loadConfig } = require('@aftersales/runtime-config');

let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () => {
  const known = new Set(CONFIG_VARIABLES);
  let failures = 0;
  for (const { where, env } of JSON.parse(input)) {
    const problems = Object.keys(env)
      .filter((name) => !known.has(name))
      .map((name) => `${name} is not a variable the application reads`);
    try {
      const config = loadConfig(env);
      const workers = [
        config.workers.relay && 'relay',
        ...config.workers.projections,
        config.workers.orderIntake && 'order-intake',
        config.workers.slaWatch && 'sla-watch',
      ].filter(Boolean);
      if (!problems.length) console.log(`check: ${where}: valid (event store ${config.eventStore.kind}, workers ${workers.join(', ') || 'none'})`);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
    if (problems.length) {
      failures += 1;
      console.error(`check: ${where}:\n  - ${problems.join('\n  - ')}`);
    }
  }
  process.exit(failures ? 1 : 0);
});
