// Deployment rules that cfn-guard cannot express, because they follow references between
// resources or files, or need arithmetic (deploy/checks/run-all.sh, check cfn-policy):
//
//   node policy.js TEMPLATE_JSON ROLE_TEMPLATE_JSON        (both as cfn/resolve.js writes them)
//   node policy.js TEMPLATE_JSON --budget                  MAX_INSTANCES APP_POOL_SIZE QUERY_POOL_SIZE
//                                                          DB_MAX_CONNECTIONS of the template's defaults
//
// - secrets: the RDS master secret and the schema owner's secret are readable by the migration
//   job's role only; the instance role reads exactly the runtime and sandbox secrets
// - rollback: the release alarm set (output ReleaseAlarms) names alarms only, none on AWS/RDS, each
//   counting only while the database is reachable or counting boot failures; instance refresh
//   preferences (deploy/ci/instance-refresh.json) roll back automatically on those alarms, with the
//   surge the connection budget assumes
// - protection: the stack policy (deploy/aws/stack-policy.json) denies replacing or deleting the
//   database and the user pool; deploy-stack.sh applies it and turns termination protection on
// - CI trust (deploy/aws/github-deploy-role.yml): OIDC bound to main and the protected environment;
//   no AWS-RunShellScript; commands only through the stack's own SSM documents; the migration job
//   started without overrides
'use strict';
const fs = require('fs');
const path = require('path');

// The repository (or, for the canaries in deploy/checks/static.sh, a changed copy of its files).
const root = process.env.METRICSENGINE_POLICY_ROOT || path.resolve(__dirname, '../../..');
const [templatePath, second] = process.argv.slice(2);
const template = JSON.parse(fs.readFileSync(templatePath, 'utf8'));
const resources = template.Resources;

if (second === '--budget') {
  const value = (name) => template.Parameters[name].Default;
  console.log([value('MaxSize'), value('DbPoolSize'), value('QueryMaxConcurrent'), value('DbMaxConnections')].join(' '));
  process.exit(0);
}

const roleTemplate = JSON.parse(fs.readFileSync(second, 'utf8'));
const violations = [];
const expect = (condition, message) => { if (!condition) violations.push(message); };
const json = (file) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));
const text = (file) => fs.readFileSync(path.join(root, file), 'utf8');
const asList = (x) => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
const mentions = (node, needle) => JSON.stringify(node).includes(JSON.stringify(needle));

// ---------------------------------------------------------------- secrets
const statementsOf = (role) => (role.Properties.Policies || []).flatMap((p) => asList(p.PolicyDocument.Statement));
const roles = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::IAM::Role');
const masterSecret = { 'Fn::GetAtt': ['Database', 'MasterUserSecret.SecretArn'] };
const ownerSecret = { Ref: 'OwnerDatabaseSecret' };
for (const [name, role] of roles) {
  const reads = statementsOf(role).filter((s) => s.Effect === 'Allow' && asList(s.Action).some((a) => /secretsmanager:(GetSecretValue|\*)|^\*$/.test(a)));
  for (const statement of reads) {
    if (mentions(statement.Resource, masterSecret) || mentions(statement.Resource, ownerSecret)) {
      expect(name === 'MigrationJobRole', `${name} may read the master or owner secret: only the migration job's role may`);
    }
    expect(!asList(statement.Resource).includes('*'), `${name} may read every secret`);
  }
}
const instanceReads = statementsOf(resources.InstanceRole)
  .filter((s) => asList(s.Action).includes('secretsmanager:GetSecretValue'))
  .flatMap((s) => asList(s.Resource).map((r) => JSON.stringify(r)))
  .sort();
expect(JSON.stringify(instanceReads) === JSON.stringify([JSON.stringify({ Ref: 'AppDatabaseSecret' }), JSON.stringify({ Ref: 'QueryDatabaseSecret' })].sort()),
  `the instance role must read exactly the runtime and sandbox secrets, reads ${instanceReads.join(', ')}`);
expect(!Object.values(resources).some((r) => r.Type === 'AWS::SSM::Parameter' && mentions(r.Properties.Value, masterSecret)),
  'no SSM parameter (the instances read them all) may name the master secret');

// ---------------------------------------------------------------- rollback
const releaseAlarms = asList((template.Outputs.ReleaseAlarms || {}).Value && template.Outputs.ReleaseAlarms.Value['Fn::Join'] && template.Outputs.ReleaseAlarms.Value['Fn::Join'][1]);
expect(releaseAlarms.length > 0, 'output ReleaseAlarms must join the release alarms');
for (const entry of releaseAlarms) {
  const name = entry.Ref;
  const alarm = resources[name];
  expect(alarm && alarm.Type === 'AWS::CloudWatch::Alarm', `ReleaseAlarms: ${JSON.stringify(entry)} is not an alarm of this template`);
  if (!alarm) continue;
  const p = alarm.Properties;
  const namespaces = [p.Namespace, ...asList(p.Metrics).map((m) => m.MetricStat && m.MetricStat.Metric.Namespace)].filter(Boolean);
  expect(!namespaces.includes('AWS/RDS'), `release alarm ${name} watches the database (AWS/RDS): an outage would roll back a good release`);
  const gated = asList(p.Metrics).some((m) => typeof m.Expression === 'string' && /^IF\(FILL\(database, 1\) >= 1,/.test(m.Expression)) &&
    asList(p.Metrics).some((m) => m.Id === 'database' && m.MetricStat.Metric.MetricName === 'DatabaseReachable');
  expect(gated || p.MetricName === 'BootFailures',
    `release alarm ${name} must count only while the database is reachable (IF(FILL(database, 1) >= 1, ...)) or count boot failures`);
  expect(!(p.MetricName === 'DatabaseReachable'), `release alarm ${name} is the database's own alarm`);
}
const refresh = json('deploy/ci/instance-refresh.json');
expect(refresh.Preferences.AutoRollback === true, 'instance refresh: AutoRollback must be true');
expect(refresh.Preferences.MinHealthyPercentage === 100, 'instance refresh: MinHealthyPercentage 100 (capacity never drops)');
expect(refresh.Preferences.MaxHealthyPercentage === 200,
  'instance refresh: MaxHealthyPercentage 200, the surge deploy/db/connection-budget.sh counts (2 x MaxSize)');
expect(refresh.Preferences.SkipMatching === true, 'instance refresh: SkipMatching (a no-op deploy replaces nothing)');
expect(refresh.Preferences.BakeTime >= 300, 'instance refresh: BakeTime of at least 5 minutes, watched by the release alarms');
expect(Array.isArray(refresh.Preferences.AlarmSpecification && refresh.Preferences.AlarmSpecification.Alarms),
  'instance refresh: AlarmSpecification.Alarms (filled from output ReleaseAlarms)');
expect(/ReleaseAlarms/.test(text('deploy/ci/instance-refresh.sh')) && /LaunchTemplateLatestVersion/.test(text('deploy/ci/instance-refresh.sh')),
  'instance-refresh.sh must roll out the latest launch template version with the ReleaseAlarms (a desired configuration is what makes rollback possible)');

// ---------------------------------------------------------------- protection
const stackPolicy = json('deploy/aws/stack-policy.json');
for (const logicalId of ['Database', 'UserPool']) {
  expect(logicalId in resources, `the stack policy protects ${logicalId}, which the template no longer has`);
  const denied = stackPolicy.Statement.some((s) => s.Effect === 'Deny' && asList(s.Resource).includes(`LogicalResourceId/${logicalId}`) &&
    ['Update:Replace', 'Update:Delete'].every((a) => asList(s.Action).includes(a)));
  expect(denied, `the stack policy must deny Update:Replace and Update:Delete on ${logicalId}`);
}
const deployStack = text('deploy/ci/deploy-stack.sh');
expect(/set-stack-policy[\s\S]*stack-policy\.json/.test(deployStack), 'deploy-stack.sh must apply deploy/aws/stack-policy.json');
expect(/update-termination-protection[\s\S]*--enable-termination-protection/.test(deployStack), 'deploy-stack.sh must turn termination protection on');
expect(/LaunchTemplateVersionInService=/.test(deployStack), 'deploy-stack.sh must pin the launch template version in service (the refresh moves it, with rollback)');

// ---------------------------------------------------------------- CI trust
const roleResources = roleTemplate.Resources;
const deployRole = roleResources.GitHubDeployRole.Properties;
const trust = asList(deployRole.AssumeRolePolicyDocument.Statement);
const subjects = trust.flatMap((s) => Object.values(s.Condition || {}).map((c) => c['token.actions.githubusercontent.com:sub'])).filter(Boolean);
expect(subjects.length === 1 && trust.length === 1, 'one trust statement, with one sub condition');
const subject = JSON.stringify(subjects[0]);
expect(/environment:\$\{GitHubEnvironment\}:ref:refs\/heads\/main/.test(subject) || /environment:production:ref:refs\/heads\/main/.test(subject),
  `the OIDC trust must be bound to the protected environment AND main, got ${subject}`);
expect(trust.every((s) => s.Condition.StringEquals && !s.Condition.StringLike), 'the OIDC trust must use StringEquals, no wildcards');
const roleText = JSON.stringify(roleTemplate);
expect(!roleText.includes('AWS-RunShellScript'), 'the deploy role must not send AWS-RunShellScript (root on the instances)');
const deployStatements = (deployRole.Policies || []).flatMap((p) => asList(p.PolicyDocument.Statement));
for (const s of deployStatements.filter((x) => x.Effect === 'Allow' && asList(x.Action).includes('ssm:SendCommand'))) {
  for (const resource of asList(s.Resource)) {
    const r = JSON.stringify(resource);
    expect(/:instance\/\*/.test(r) ? !!(s.Condition && JSON.stringify(s.Condition).includes('aws:cloudformation:stack-name')) : /document\/\$\{StackName\}-/.test(r),
      `ssm:SendCommand only on the stack's own documents and instances, not ${r}`);
  }
}
const startBuild = deployStatements.filter((x) => asList(x.Action).includes('codebuild:StartBuild'));
expect(startBuild.some((x) => x.Effect === 'Allow'), 'the deploy role starts the migration job');
expect(startBuild.some((x) => x.Effect === 'Deny' && JSON.stringify(x.Condition || {}).includes('codebuild:source.buildspec')),
  'the deploy role must be denied overriding the migration job\'s buildspec');

for (const v of violations) console.log(`VIOLATION ${v}`);
console.log(`deployment policy: secrets, rollback (${releaseAlarms.length} release alarms), protection, CI trust: ${violations.length} violation(s)`);
process.exit(violations.length === 0 ? 0 : 1);
