// A tiny static server for the forms: serves www/ and pkg/ of bindings-wasm on 127.0.0.1 only.
//   node tests/serve.mjs [port]     # then open http://127.0.0.1:<port>/www/
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

const BASE = fileURLToPath(new URL("..", import.meta.url));
const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".wasm": "application/wasm", ".json": "application/json", ".png": "image/png",
  ".ts": "text/plain; charset=utf-8",
};

/** Starts the server on a random (or given) port; resolves to { server, url, close() }. */
export function startServer(port = 0) {
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
      if (path === "/" || path === "/www") {
        res.writeHead(302, { location: "/www/" }).end();
        return;
      }
      const rel = normalize(path.endsWith("/") ? path + "index.html" : path).replace(/^[/\\]+/, "");
      if (!(rel.startsWith("www" + sep) || rel.startsWith("pkg" + sep)) || rel.includes("..")) {
        res.writeHead(404).end("not found");
        return;
      }
      const body = await readFile(join(BASE, rel));
      res.writeHead(200, { "content-type": TYPES[extname(rel)] ?? "application/octet-stream", "cache-control": "no-cache" });
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      const { port: p } = server.address();
      resolve({ server, url: `http://127.0.0.1:${p}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await startServer(Number(process.argv[2] ?? 8080));
  console.log(`serving ${BASE}www and pkg at ${url}/www/`);
}
