// Bundles src/ into ../wwwroot/static/dist/<name>-<hash>.<ext> and writes manifest.json, which the server
// (AssetManifest.cs) reads to emit the hashed URLs. Old outputs are removed first so stale files never linger.
import * as esbuild from "esbuild";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";

const outdir = path.resolve("../wwwroot/static/dist");
await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });

const result = await esbuild.build({
  entryPoints: { main: "src/main.ts", site: "src/styles/site.css" },
  bundle: true,
  minify: true,
  sourcemap: "linked",
  format: "esm",
  target: "es2022",
  entryNames: "[name]-[hash]",
  outdir,
  metafile: true,
  logLevel: "warning",
});

const manifest = {};
for (const [output, meta] of Object.entries(result.metafile.outputs)) {
  if (!meta.entryPoint) continue;
  const file = path.basename(output);
  manifest[file.replace(/-[A-Z0-9]+\.(js|css)$/, ".$1")] = file;
}
await writeFile(path.join(outdir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
console.log(`frontend: wrote ${Object.values(manifest).join(", ")}`);
