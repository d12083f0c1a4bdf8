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
// - a job that gets AWS credentials deploys main only: it runs in a protected environment, its
//   `if` requires refs/heads/main, a workflow_run trigger is limited to main, and before the
//   credentials a step proves the release is a commit of main (git merge-base --is-ancestor)
// - an image built with docker build is scanned by Trivy (pinned action, a Trivy version outside
//   the March 2026 compromise) that fails the job on HIGH/CRITICAL findings
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

  const workflowRun = triggers && typeof triggers === 'object' && !Array.isArray(triggers) ? triggers.workflow_run : undefined;
  for (const [jobName, job] of Object.entries(workflow.jobs || {})) {
    if (job.uses) continue;
    if (!('timeout-minutes' in job)) fault(file, `job ${jobName}: no timeout-minutes`);
    const steps = job.steps || [];
    const credentials = steps.findIndex((st) => (st.uses || '').startsWith('aws-actions/configure-aws-credentials@'));
    if (credentials >= 0) {
      const where = `job ${jobName} (AWS credentials)`;
      if (!job.environment) fault(file, `${where}: no environment (the deploy role trusts one protected environment)`);
      if (!/github\.ref == 'refs\/heads\/main'/.test(String(job.if || ''))) fault(file, `${where}: its if must require github.ref == 'refs/heads/main'`);
      if (workflowRun && JSON.stringify(workflowRun.branches) !== JSON.stringify(['main'])) fault(file, `${where}: workflow_run must be limited to branches [main]`);
      const proof = steps.findIndex((st) => typeof st.run === 'string' && /git merge-base --is-ancestor "\$RELEASE" origin\/main/.test(st.run));
      if (proof < 0 || proof > credentials) fault(file, `${where}: a step before the credentials must prove the release is a commit of main (git merge-base --is-ancestor)`);
      const checkout = steps.find((st) => (st.uses || '').startsWith('actions/checkout@'));
      if (!checkout || !checkout.with || checkout.with['fetch-depth'] !== 0) fault(file, `${where}: checkout needs fetch-depth: 0 to see main's history`);
    }
    steps.forEach((step, index) => {
      const built = typeof step.run === 'string' && /docker build [^\n]*-t (\S+)/.exec(step.run);
      if (!built) return;
      const scan = steps.slice(index + 1).find((st) => (st.uses || '').startsWith('aquasecurity/trivy-action@') && st.with && st.with['image-ref'] === built[1]);
      if (!scan) { fault(file, `job ${jobName}: the image ${built[1]} is built but never scanned (aquasecurity/trivy-action with image-ref: ${built[1]})`); return; }
      if (String(scan.with['exit-code']) !== '1') fault(file, `job ${jobName}: the Trivy scan must fail the job (exit-code: '1')`);
      if (!/CRITICAL/.test(String(scan.with.severity || ''))) fault(file, `job ${jobName}: the Trivy scan must cover CRITICAL (severity)`);
      if (!/^v\d+\.\d+\.\d+$/.test(String(scan.with.version || '')) || /^v0\.69\.[4-6]$/.test(scan.with.version)) {
        fault(file, `job ${jobName}: pin Trivy's version, and not to a compromised release (v0.69.4 to v0.69.6)`);
      }
    });
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
