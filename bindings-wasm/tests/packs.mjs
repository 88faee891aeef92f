// The repository's rule packs as `Engine.fromSources` takes them, for the tests: as they are, or
// with every Vietnamese and English text marked, to show that what a form or the API shows is
// read from the pack (a copy kept anywhere else would not carry the mark).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const RULES = fileURLToPath(new URL("../../rules/", import.meta.url));

/** The .toml files of the packs `ids`: {"pack-id/file.toml": text}. */
export function packSources(...ids) {
  const files = {};
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".toml")) files[relative(RULES, p).replaceAll("\\", "/")] = readFileSync(p, "utf8");
    }
  };
  for (const id of ids) walk(join(RULES, id));
  return files;
}

/** What starts every text of the marked pack, by language. */
export const MARK = { vi: "⟨gói thử⟩ ", en: "⟨test pack⟩ " };

/** The embedded pack's sources (Bến Tre + vn-law) with every `vi = "…"` and `en = "…"` text
 * (labels, titles, messages) starting with MARK; as { files, root }. */
export function markedPack() {
  const files = packSources("ben-tre-2747", "vn-law");
  for (const [path, text] of Object.entries(files)) {
    files[path] = text.replace(/\b(vi|en) = "/g, (m, lang) => m + MARK[lang]);
  }
  return { files, root: "ben-tre-2747" };
}
