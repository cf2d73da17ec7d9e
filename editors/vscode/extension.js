// Starts `lifecycle-job lsp` for job specs, Dockerfiles and output files.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("lifecycle-job").get("path") || "lifecycle-job";
  const serverOptions = { command, args: ["lsp"] };
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "yaml", pattern: "**/{lifecycle-job,*.lifecycle-job}.{yaml,yml}" },
      { scheme: "file", language: "json", pattern: "**/{lifecycle-job,qovery-output}.json" },
      { scheme: "file", language: "dockerfile" },
    ],
    // The server asks for the `lifecycle-job` section through workspace/configuration.
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
