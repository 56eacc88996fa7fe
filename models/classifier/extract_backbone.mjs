// Unpacks the MobileNetV2 weights that the nsfwjs 4.3.0 package (MIT, Infinite Red) ships as tfjs shards inside
// JS files, and writes them as plain float32 + JSON for models/classifier/backbone.py. Output goes to the
// training cache, OUTSIDE the repository; only the trained, converted classifier is committed.
// Usage: node models/classifier/extract_backbone.mjs <nsfwjs-4.3.0.tgz or unpacked package dir> <out dir>
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const [source, out] = process.argv.slice(2);
if (!source || !out) throw new Error('usage: extract_backbone.mjs <nsfwjs tgz|dir> <out dir>');
let pkg = resolve(source);
if (!existsSync(join(pkg, 'package.json'))) {
  const dir = mkdtempSync(join(tmpdir(), 'nsfwjs-'));
  execFileSync('tar', ['xzf', pkg, '-C', dir]);
  pkg = join(dir, 'package');
}
const version = createRequire(import.meta.url)(join(pkg, 'package.json')).version;
if (version !== '4.3.0') throw new Error(`expected nsfwjs 4.3.0, found ${version}`);
const require = createRequire(import.meta.url);
const base = join(pkg, 'dist/models/mobilenet_v2');
const model = require(join(base, 'model.min.js'));
const shard = Buffer.from(require(join(base, 'group1-shard1of1.min.js')), 'base64');
const weights = [];
const chunks = [];
let offset = 0;
let floatOffset = 0;
for (const group of model.weightsManifest) {
  for (const w of group.weights) {
    const n = w.shape.reduce((a, b) => a * b, 1);
    const q = w.quantization;
    const values = new Float32Array(n);
    if (!q) {
      values.set(new Float32Array(shard.buffer.slice(shard.byteOffset + offset, shard.byteOffset + offset + 4 * n)));
      offset += 4 * n;
    } else if (q.dtype === 'uint8') {
      for (let i = 0; i < n; i++) values[i] = q.min + q.scale * shard[offset + i];
      offset += n;
    } else {
      throw new Error(`unsupported quantization ${q.dtype}`);
    }
    weights.push({ name: w.name, shape: w.shape, offset: floatOffset });
    floatOffset += n;
    chunks.push(Buffer.from(values.buffer));
  }
}
if (offset !== shard.length) throw new Error(`shard size mismatch: read ${offset} of ${shard.length}`);
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'weights.f32'), Buffer.concat(chunks));
writeFileSync(join(out, 'weights.json'), JSON.stringify(weights));
writeFileSync(join(out, 'topology.json'), JSON.stringify(model.modelTopology.model_config.config.layers));
console.log(`nsfwjs ${version} mobilenet_v2: ${weights.length} tensors, ${floatOffset} values -> ${out}`);
