import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startReceiver } from './receiver';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8443' },
    host: { type: 'string', default: '127.0.0.1' },
    dir: { type: 'string', default: 'received-reports' },
    key: { type: 'string' },
    cert: { type: 'string' },
  },
});
if (!values.key || !values.cert) {
  console.error(
    'usage: npm run report-receiver -- --key key.pem --cert cert.pem [--port 8443] [--dir received-reports]',
  );
  process.exit(2);
}
const receiver = await startReceiver({
  port: Number(values.port),
  host: values.host,
  dir: values.dir,
  tls: { key: readFileSync(values.key), cert: readFileSync(values.cert) },
});
console.log(`Receiving report bundles at ${receiver.url}, storing them in ${values.dir}/`);
