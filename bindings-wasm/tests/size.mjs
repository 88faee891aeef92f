// Size of a file as a browser downloads it: gzip -9.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

/** gzip -9 size in bytes (the gzip command where there is one, else node's zlib at level 9). */
export function gzipSize(path) {
  try {
    return execFileSync("gzip", ["-9", "-c", path], { maxBuffer: 64 << 20 }).length;
  } catch {
    return gzipSync(readFileSync(path), { level: 9 }).length;
  }
}
