import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startReceiver } from './receiver';

const USAGE =
  'usage: npm run report-receiver -- --key key.pem --cert cert.pem [--port 8443] [--dir received-reports] ' +
  '[--token T | --token-file F] [--allow-origin chrome-extension://<id>]...';

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string', default: '8443' },
      host: { type: 'string', default: '127.0.0.1' },
      dir: { type: 'string', default: 'received-reports' },
      key: { type: 'string' },
      cert: { type: 'string' },
      token: { type: 'string' },
      'token-file': { type: 'string' },
      'allow-origin': { type: 'string', multiple: true },
    },
  }));
} catch (error) {
  console.error(`report-receiver: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(2);
}
if (!values.key || !values.cert) {
  console.error(USAGE);
  process.exit(2);
}
try {
  const token = values['token-file'] ? readFileSync(values['token-file'], 'utf8').trim() : values.token;
  const receiver = await startReceiver({
    port: Number(values.port),
    host: values.host,
    dir: values.dir,
    tls: { key: readFileSync(values.key), cert: readFileSync(values.cert) },
    token,
    allowedOrigins: values['allow-origin'] ?? [],
  });
  console.log(`Receiving report bundles at ${receiver.url}, storing them in ${values.dir}/`);
  // The token is printed only when the receiver made it: one given on the command line is known already.
  if (!token) console.log(`Bearer token (enter it in the report form): ${receiver.token}`);
  const origins = values['allow-origin'] ?? [];
  console.log(origins.length ? `CORS allowed for: ${origins.join(', ')}` : 'CORS: no origin allowed');
} catch (error) {
  console.error(`report-receiver: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
