// Writes deploy-template.yml as JSON with every {"Ref": <parameter>} replaced by the value that
// parameter has in a deployment (its default, or the representative value in PARAMETERS_JSON),
// so that cfn-guard rules see e.g. DeletionProtection: "true" rather than a reference.
//
//   node resolve.js TEMPLATE PARAMETERS_JSON > resolved.json
'use strict';
const fs = require('fs');
const path = require('path');
const parser = require('cfn-lint/lib/parser');

const [templatePath, parametersPath] = process.argv.slice(2);
const template = parser.openFile(path.resolve(templatePath));
const given = JSON.parse(fs.readFileSync(parametersPath, 'utf8'));

const values = {};
for (const [name, definition] of Object.entries(template.Parameters || {})) {
  if (name in given) values[name] = given[name];
  else if ('Default' in definition) values[name] = definition.Default;
  else throw new Error(`parameter ${name} has no default and no value in ${parametersPath}`);
  // A String parameter limited to 'true'/'false' stands for a boolean property.
  const allowed = definition.AllowedValues || [];
  if (allowed.length === 2 && allowed.includes('true') && allowed.includes('false')) {
    values[name] = values[name] === 'true' || values[name] === true;
  }
}

const resolve = (node) => {
  if (Array.isArray(node)) return node.map(resolve);
  if (node && typeof node === 'object') {
    const keys = Object.keys(node);
    if (keys.length === 1 && keys[0] === 'Ref' && typeof node.Ref === 'string' && node.Ref in values) {
      return values[node.Ref];
    }
    return Object.fromEntries(keys.map((key) => [key, resolve(node[key])]));
  }
  return node;
};

const { Parameters, ...rest } = template;
process.stdout.write(JSON.stringify({ Parameters, ...resolve(rest) }, null, 1));
