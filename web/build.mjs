// Builds ../kg/web/static/vendor/: editor.js, viz.js (minified IIFE bundles), LICENSES/, VERSIONS.txt.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";

const out = "../kg/web/static/vendor";
const LIMIT = 2 * 1024 * 1024;
mkdirSync(out + "/LICENSES", { recursive: true });
for (const [name, global] of [["editor", "KGEditor"], ["viz", "KGViz"]]) {
  await build({ entryPoints: [`src/${name}.js`], bundle: true, minify: true, format: "iife", globalName: global,
                outfile: `${out}/${name}.js`, legalComments: "none", target: "es2020" });
  const size = statSync(`${out}/${name}.js`).size;
  if (size > LIMIT) throw new Error(`${name}.js is ${size} bytes, over the 2 MB limit`);
}
const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const lines = [];
for (const [path, info] of Object.entries(lock.packages)) {
  if (!path.startsWith("node_modules/") || info.dev) continue;
  const name = path.slice("node_modules/".length);
  if (name === "esbuild" || name.startsWith("@esbuild/")) continue;  // build tool, not shipped
  const lic = readdirSync(path).find((f) => /^licen[cs]e/i.test(f));
  if (lic) copyFileSync(`${path}/${lic}`, `${out}/LICENSES/${name.replace("/", "__")}.txt`);
  lines.push(`${name} ${info.version} ${info.license || "?"}`);
}
writeFileSync(`${out}/VERSIONS.txt`, "# npm packages bundled into editor.js and viz.js (name version licence); web/package-lock.json pins them\n" + lines.sort().join("\n") + "\n");
