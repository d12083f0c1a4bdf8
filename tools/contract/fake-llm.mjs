// A stand-in for an OpenAI-compatible chat-completions endpoint, so the battery can reach the
// generator's answers: 502 when the generator fails, 504 when it is slow. Listens on 127.0.0.1
// only; the port is the first argument.
import { createServer } from "node:http";

const port = Number(process.argv[2]);
const sql = {
  fail: null,
  slow: "SELECT 1 AS one",
  default: "SELECT COUNT(*) AS total FROM metrics WHERE DATE(date) BETWEEN '2025-06-01' AND '2025-06-30'",
};

createServer((request, response) => {
  let body = "";
  request.on("data", (chunk) => (body += chunk));
  request.on("end", () => {
    const prompt = JSON.parse(body || "{}").messages?.at(-1)?.content ?? "";
    const kind = Object.keys(sql).find((k) => prompt.includes(`[${k}]`)) ?? "default";
    const answer = () => {
      if (sql[kind] === null) {
        response.writeHead(500, { "Content-Type": "application/json" }).end('{"error":{"message":"the model failed"}}');
        return;
      }
      response.writeHead(200, { "Content-Type": "application/json" })
        .end(JSON.stringify({ choices: [{ message: { role: "assistant", content: sql[kind] } }] }));
    };
    if (kind === "slow") {
      setTimeout(answer, 4000);
    } else {
      answer();
    }
  });
}).listen(port, "127.0.0.1");
