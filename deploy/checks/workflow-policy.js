// Supply-chain and injection policy for the GitHub Actions workflows, beyond what actionlint checks:
//
//   node workflow-policy.js WORKFLOW...                          check; exit 1 on any violation
//   node workflow-policy.js --extract-scripts DIR WORKFLOW...    write every run: script to DIR
//
// - every action is pinned to a full commit SHA, with the version in a comment after it
// - no run: script contains a ${{ }} expression: values reach scripts through env: only, so
//   neither untrusted input (titles, branch names, dispatch inputs) nor secrets are pasted into code
// - workflows declare their token permissions; no pull_request_target
// - AWS credentials come from OIDC (role-to-assume), never from long-lived access keys
// - checkout does not leave the token in .git/config; every job has a timeout
'use strict';
const fs = require('fs');
const path = require('path');
const yaml = require('js-yaml');

const args = process.argv.slice(2);
let extractTo = null;
if (args[0] === '--extract-scripts') {
  extractTo = args[1];
  args.splice(0, 2);
}

const violations = [];
const fault = (file, message) => violations.push(`${path.basename(file)}: ${message}`);
let scripts = 0;

for (const file of args) {
  const text = fs.readFileSync(file, 'utf8');
  const workflow = yaml.safeLoad(text);

  text.split('\n').forEach((line, index) => {
    const match = /^\s*(?:-\s*)?uses:\s*(\S+)(.*)$/.exec(line);
    if (!match) return;
    const [, target, rest] = match;
    if (target.startsWith('./')) return;
    if (target.startsWith('docker://')) {
      if (!/@sha256:[0-9a-f]{64}$/.test(target)) fault(file, `line ${index + 1}: docker action without a digest: ${target}`);
      return;
    }
    if (!/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(target)) fault(file, `line ${index + 1}: ${target} is not pinned to a commit SHA`);
    else if (!/#\s*v\d+(\.\d+)*/.test(rest)) fault(file, `line ${index + 1}: ${target} has no '# vX.Y.Z' comment naming the pinned version`);
  });

  const triggers = workflow.on || workflow[true] || {};
  const triggerNames = typeof triggers === 'string' ? [triggers] : Array.isArray(triggers) ? triggers : Object.keys(triggers);
  if (triggerNames.includes('pull_request_target')) fault(file, 'pull_request_target runs untrusted code with secrets');
  if (!('permissions' in workflow)) fault(file, 'no top-level permissions: (the default token is too broad)');

  for (const [jobName, job] of Object.entries(workflow.jobs || {})) {
    if (job.uses) continue;
    if (!('timeout-minutes' in job)) fault(file, `job ${jobName}: no timeout-minutes`);
    (job.steps || []).forEach((step, index) => {
      const where = `job ${jobName}, step ${step.name || index + 1}`;
      if (typeof step.run === 'string') {
        if (step.run.includes('${{')) fault(file, `${where}: \${{ }} inside run: (pass the value through env:)`);
        if (extractTo) {
          const shell = step.shell || (job.defaults && job.defaults.run && job.defaults.run.shell) || 'bash';
          if (shell.startsWith('bash')) {
            const name = `${path.basename(file, '.yml')}-${jobName}-${index + 1}.sh`;
            fs.writeFileSync(path.join(extractTo, name), `#!/usr/bin/env bash\n# ${where}\nset -eo pipefail\n${step.run}`);
            scripts++;
          }
        }
      }
      const uses = step.uses || '';
      const inputs = step.with || {};
      if (uses.startsWith('actions/checkout@') && inputs['persist-credentials'] !== false) {
        fault(file, `${where}: actions/checkout without persist-credentials: false`);
      }
      if (uses.startsWith('aws-actions/configure-aws-credentials@')) {
        if ('aws-access-key-id' in inputs || 'aws-secret-access-key' in inputs) fault(file, `${where}: long-lived AWS keys (use role-to-assume with OIDC)`);
        if (!('role-to-assume' in inputs)) fault(file, `${where}: no role-to-assume`);
      }
    });
  }
}

if (extractTo) {
  console.log(`extracted ${scripts} run: script(s) to ${extractTo}`);
  process.exit(0);
}
for (const v of violations) console.log(`VIOLATION ${v}`);
console.log(`workflow policy: ${args.length} workflow(s), ${violations.length} violation(s)`);
process.exit(violations.length === 0 ? 0 : 1);
