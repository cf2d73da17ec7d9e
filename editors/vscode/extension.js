// Starts `lifecycle-job lsp` for job specs, Dockerfiles and output files (and only them: the
// extension activates on any YAML, JSON or Dockerfile, the client serves these names alone).
const fs = require("fs");
const path = require("path");
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

// The executable: a path as given, else the first match on PATH; undefined when missing.
function resolveExecutable(command) {
  if (command.includes(path.sep)) return fs.existsSync(command) ? command : undefined;
  for (const folder of (process.env.PATH || "").split(path.delimiter)) {
    const candidate = path.join(folder, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch (_) {}
  }
  return undefined;
}

function activate(context) {
  const configured = vscode.workspace.getConfiguration("lifecycle-job").get("path") || "lifecycle-job";
  const command = resolveExecutable(configured);
  if (!command) {
    vscode.window.showErrorMessage(
      `lifecycle-job: \`${configured}\` is not an executable on PATH: install it, or set the setting lifecycle-job.path.`);
    return;
  }
  const serverOptions = { command, args: ["lsp"] };
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "yaml", pattern: "**/{lifecycle-job,*.lifecycle-job}.{yaml,yml}" },
      { scheme: "file", language: "json", pattern: "**/{lifecycle-job,qovery-output}.json" },
      { scheme: "file", language: "dockerfile" },
    ],
    // The server asks for the `lifecycle-job` section (severity, run.envFile, run.env, …)
    // through workspace/configuration, and is told when it changes.
    synchronize: { configurationSection: "lifecycle-job" },
  };
  client = new LanguageClient("lifecycle-job", "Lifecycle Job", serverOptions, clientOptions);
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
