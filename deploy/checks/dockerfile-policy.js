// What the deployment asks of the Dockerfile (docs/deploy.md, "Docker"), checked on its parsed form (dockerfile-ast, the parser
// behind dockerfile-utils):
//
//   node dockerfile-policy.js Dockerfile                         check; exit 1 on any violation
//   node dockerfile-policy.js Dockerfile --healthcheck-command   print the HEALTHCHECK command (JSON)
'use strict';
const fs = require('fs');
const { DockerfileParser } = require('dockerfile-ast');

const [file, mode] = process.argv.slice(2);
const dockerfile = DockerfileParser.parse(fs.readFileSync(file, 'utf8'));
const instructions = dockerfile.getInstructions();
const froms = dockerfile.getFROMs();
const finalFrom = froms[froms.length - 1];
const finalStage = instructions.filter((i) => i.getRange().start.line > finalFrom.getRange().start.line);
const keyword = (i) => i.getKeyword().toUpperCase();
const args = (i) => (i.getArgumentsContent() || '').trim();

const healthcheck = finalStage.find((i) => keyword(i) === 'HEALTHCHECK');
const healthcheckCommand = () => {
  const match = /^CMD\s+(\[.*\])\s*$/s.exec(args(healthcheck));
  return match ? JSON.parse(match[1]) : null;
};

if (mode === '--healthcheck-command') {
  process.stdout.write(JSON.stringify(healthcheckCommand()));
  process.exit(0);
}

const violations = [];
const expect = (condition, message) => { if (!condition) violations.push(message); };

expect(froms.length >= 2, 'multi-stage: at least a build stage and a runtime stage');

// Supply chain: every base image and the BuildKit frontend pinned by digest (the tag stays for
// readers and Dependabot, which updates both), so a build uses exactly what was reviewed.
for (const f of froms.filter((x) => x.getImageName() !== 'scratch')) {
  expect(/^sha256:[0-9a-f]{64}$/.test(f.getImageDigest() || '') && !!f.getImageTag(),
    `line ${f.getRange().start.line + 1}: FROM ${args(f)} is not pinned by digest (image:tag@sha256:...)`);
}
const syntax = dockerfile.getDirectives().find((d) => d.getName() === 'syntax');
expect(!syntax || /@sha256:[0-9a-f]{64}$/.test(syntax.getValue()), `the # syntax= frontend is not pinned by digest: ${syntax && syntax.getValue()}`);
expect(froms.some((f) => f.getImageName() === 'dotnet/sdk' && f.getBuildStage() === 'build'),
  "a stage 'build' FROM mcr.microsoft.com/dotnet/sdk");
expect(finalFrom.getImageName() === 'dotnet/aspnet' && finalFrom.getRegistry() === 'mcr.microsoft.com',
  'the final stage runs on mcr.microsoft.com/dotnet/aspnet (the runtime, not the SDK)');

const users = finalStage.filter((i) => keyword(i) === 'USER').map(args);
expect(users.length > 0 && !['root', '0', '0:0', 'root:root'].includes(users[users.length - 1]),
  'the final stage switches to a non-root USER');

for (const i of finalStage.filter((x) => ['COPY', 'ADD'].includes(keyword(x)))) {
  expect(keyword(i) === 'COPY', `line ${i.getRange().start.line + 1}: ADD in the final stage (use COPY --from)`);
  expect(i.getFlags().some((f) => f.getName() === 'from'),
    `line ${i.getRange().start.line + 1}: the final stage copies only build outputs (COPY --from=...), nothing from the context`);
}
expect(!finalStage.some((i) => keyword(i) === 'RUN'), 'the final stage installs nothing (no RUN)');

expect(healthcheck !== undefined, 'the final stage has a HEALTHCHECK');
if (healthcheck) {
  const command = healthcheckCommand();
  expect(Array.isArray(command), 'HEALTHCHECK uses the exec form CMD ["...", ...]');
  expect(command && command.join(' ').includes('/health/live'), 'HEALTHCHECK asks /health/live');
}

expect(finalStage.some((i) => keyword(i) === 'EXPOSE' && args(i).split(/\s+/).includes('8080')), 'EXPOSE 8080');
expect(finalStage.some((i) => keyword(i) === 'ENV' && /\bASPNETCORE_HTTP_PORTS=8080\b/.test(args(i))),
  'ENV ASPNETCORE_HTTP_PORTS=8080 (the API listens on 8080 on all interfaces)');

for (const i of instructions.filter((x) => ['ENV', 'ARG'].includes(keyword(x)))) {
  expect(!/(password|secret|token|connectionstrings)/i.test(args(i)),
    `line ${i.getRange().start.line + 1}: no credentials or connection strings baked into the image (configuration comes from the environment)`);
}

const entrypoint = finalStage.find((i) => keyword(i) === 'ENTRYPOINT');
expect(entrypoint && /^\[\s*"dotnet"\s*,\s*"MetricsEngine\.Web\.dll"\s*\]$/.test(args(entrypoint)),
  'ENTRYPOINT ["dotnet", "MetricsEngine.Web.dll"] (exec form, so verbs such as migrate can follow)');

for (const v of violations) console.log(`VIOLATION ${v}`);
console.log(`Dockerfile policy: ${froms.length} stages, ${violations.length} violation(s)`);
process.exit(violations.length === 0 ? 0 : 1);
