// Pieces of deploy-template.yml that the rehearsal runs for real (deploy/checks/rehearsal.sh):
//
//   node extract.js TEMPLATE user-data VALUES_JSON     the launch template's user data script, its
//                                                      ${...} substituted as CloudFormation would
//   node extract.js TEMPLATE buildspec-build           the migration job's build commands, one
//                                                      script (buildspec 0.2 runs them in one shell)
//   node extract.js TEMPLATE job-environment VALUES_JSON
//                                                      the migration job's environment, NAME=value lines
//
// VALUES_JSON maps parameter names, AWS::StackName, AWS::Region and resource attributes such as
// "Database.Endpoint.Address" to the rehearsal's values.
'use strict';
const path = require('path');
const yaml = require('js-yaml');
const parser = require('cfn-lint/lib/parser');

const [templatePath, what, valuesJson] = process.argv.slice(2);
const template = parser.openFile(path.resolve(templatePath));
const values = valuesJson ? JSON.parse(valuesJson) : {};

const lookup = (name) => {
  if (!(name in values)) throw new Error(`no rehearsal value for \${${name}}`);
  return String(values[name]);
};

// Fn::Sub on a string: ${Name} and ${Resource.Attribute} from VALUES, ${!Literal} stays literal.
const sub = (text) => text.replace(/\$\{(!?)([^}]*)\}/g, (_, bang, name) => (bang ? `\${${name}}` : lookup(name)));

// The few intrinsic functions the job's environment uses.
const evaluate = (node) => {
  if (typeof node !== 'object' || node === null) return String(node);
  if ('Ref' in node) return lookup(node.Ref);
  if ('Fn::GetAtt' in node) return lookup([].concat(node['Fn::GetAtt']).join('.'));
  if ('Fn::Sub' in node) return sub(node['Fn::Sub']);
  throw new Error(`cannot evaluate ${JSON.stringify(node)}`);
};

const job = template.Resources.MigrationJob.Properties;
if (what === 'user-data') {
  const data = template.Resources.LaunchTemplate.Properties.LaunchTemplateData.UserData['Fn::Base64']['Fn::Sub'];
  process.stdout.write(sub(data));
} else if (what === 'buildspec-build') {
  const spec = yaml.safeLoad(job.Source.BuildSpec);
  process.stdout.write(`${spec.phases.build.commands.join('\n')}\n`);
} else if (what === 'job-environment') {
  for (const variable of job.Environment.EnvironmentVariables) {
    process.stdout.write(`${variable.Name}=${evaluate(variable.Value)}\n`);
  }
} else {
  console.error('usage: node extract.js TEMPLATE user-data|buildspec-build|job-environment [VALUES_JSON]');
  process.exit(2);
}
