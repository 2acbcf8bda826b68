// Compiles the JPEG scan decoder (src/modules/sanitize/image/scan-decoder.as.ts, AssemblyScript)
// to WebAssembly and writes it, as base64, into scan-decoder.wasm.ts beside it: the module is
// ~1.5 KB, so it travels as source text and needs no build step at install or start.
// `npx tsx scripts/build-scan-decoder.ts --check` fails when the written module is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import asc from 'assemblyscript/asc';

const source = new URL('../src/modules/sanitize/image/scan-decoder.as.ts', import.meta.url);
const target = new URL('../src/modules/sanitize/image/scan-decoder.wasm.ts', import.meta.url);

/** The module as scan-decoder.wasm.ts holds it. */
export async function scanDecoderModule(): Promise<string> {
  const { error, binary, stderr } = await asc.compileString(
    { 'scan-decoder.ts': readFileSync(source, 'utf8') },
    // No runtime (nothing allocates), no assertions (every access is within the caller's layout).
    { optimizeLevel: 3, shrinkLevel: 0, runtime: 'stub', noAssert: true },
  );
  if (error || !binary) throw new Error(`scan-decoder.as.ts does not compile: ${error?.message}\n${stderr}`);
  const base64 = Buffer.from(binary).toString('base64');
  const lines = base64.match(/.{1,100}/g)!.map((line) => `  '${line}'`);
  return [
    '// Written by scripts/build-scan-decoder.ts from scan-decoder.as.ts: do not edit.',
    'export const SCAN_DECODER_WASM = [',
    `${lines.join(',\n')},`,
    "].join('');",
    '',
  ].join('\n');
}

export const writtenScanDecoder = () => readFileSync(target, 'utf8');

if (import.meta.url === `file://${process.argv[1]}`) {
  const module = await scanDecoderModule();
  if (process.argv.includes('--check')) {
    if (module !== writtenScanDecoder()) {
      console.error('scan-decoder.wasm.ts is out of date: run npx tsx scripts/build-scan-decoder.ts');
      process.exit(1);
    }
  } else {
    writeFileSync(target, module);
  }
}
