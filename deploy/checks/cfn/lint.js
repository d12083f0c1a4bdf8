// CloudFormation lint for deploy-template.yml: cfn-lint (npm, martysweet/cfn-lint) validates
// resource types, properties, required properties, value types, Ref/GetAtt/Sub targets and
// conditions against a CloudFormation resource specification. Its bundled specification is from
// 2019, so it is replaced here with the one published in @aws-cdk/cfnspec (specification 117),
// which knows ManageMasterUserPassword, MetadataOptions, Cognito resource servers and the rest.
//
//   node lint.js TEMPLATE PARAMETERS_JSON
//
// Exits 1 on any critical error or warning. Where this linter cannot follow valid CloudFormation,
// the part is removed before linting and named here (see docs/deploy.md, "Checks"):
//   - the Rules section: the linter predates template Rules (2019) and rejects every intrinsic
//     function inside them. CloudFormation checks them itself (validate-template in deploy.yml).
'use strict';
const path = require('path');
const fs = require('fs');

const [templatePath, parametersPath] = process.argv.slice(2);
if (!templatePath || !parametersPath) {
  console.error('usage: node lint.js TEMPLATE PARAMETERS_JSON');
  process.exit(2);
}

const awsData = require('cfn-lint/lib/awsData');
const spec = require('@aws-cdk/cfnspec/spec/specification.json');
Object.assign(awsData.awsResources.ResourceTypes, spec.ResourceTypes);
Object.assign(awsData.awsResources.PropertyTypes, spec.PropertyTypes);

const parser = require('cfn-lint/lib/parser');
const api = require('cfn-lint/lib/api');

const template = parser.openFile(path.resolve(templatePath));
const skipped = [];
if (template.Rules) {
  skipped.push(`Rules (${Object.keys(template.Rules).join(', ')})`);
  delete template.Rules;
}

// Representative values for the parameters without a default; defaults are used for the rest.
const parameters = JSON.parse(fs.readFileSync(parametersPath, 'utf8'));
const result = api.validateJsonObject(template, { parameters, guessParameters: [] });

let problems = 0;
for (const level of ['crit', 'warn', 'info']) {
  for (const error of result.errors[level]) {
    console.log(`${level.toUpperCase()} ${error.resource}: ${error.message}`);
    if (level !== 'info') problems++;
  }
}
console.log(`cfn-lint ${require('cfn-lint/package.json').version} with CloudFormation specification ` +
  `${spec.ResourceSpecificationVersion}: ${Object.keys(template.Resources).length} resources, ` +
  `${problems} problem(s)${skipped.length ? `; not linted: ${skipped.join(', ')}` : ''}`);
process.exit(problems === 0 && result.templateValid ? 0 : 1);
