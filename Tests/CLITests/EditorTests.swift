import Foundation
import TestSupport
import Testing

/// The language server in real clients: pytest-lsp (every message checked against the LSP
/// types, with Neovim, VS Code and Emacs capability snapshots), headless Neovim 0.7 with the
/// plugin of `editors/neovim`, and Emacs with eglot in strict mode and `editors/emacs`.
@Suite(.serialized) struct EditorTests {
  /// A job whose spec has a malformed array, a shell string, and an unprovided Terraform
  /// variable; line 7 is indented for completion under `environment`.
  static func job() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("editors-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent(".git"), withIntermediateDirectories: true)
    let files = [
      "lifecycle-job.yaml": """
      name: rds 数据
      type: terraform
      events:
        start: '["-c", "terraform apply -auto-approve" "&& echo $QOVERY_JOB_ID"]'
        stop: terraform destroy
      environment:
        TF_VAR_region: us-east-2
        

      """,
      "Dockerfile": "FROM hashicorp/terraform:1.9\nENTRYPOINT [\"/bin/sh\"]\n",
      "variables.tf":
        "variable \"region\" {\n  type = string\n}\nvariable \"db_password\" {\n  type = string\n  description = \"The password.\"\n}\n",
    ]
    for (name, contents) in files {
      try contents.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    return folder
  }

  /// Runs an editor script on a fresh job with the plugin of `editors/<plugin>`; returns the
  /// lines it wrote and its own output.
  static func drive(plugin: String, _ command: String) throws -> (lines: String, log: String) {
    let job = try job()
    let output = job.appendingPathComponent("\(plugin).out")
    let environment =
      "LJ_BIN='\(CLI.binary.path)' LJ_PLUGIN='\(Fixtures.repository.path)/editors/\(plugin)' LJ_JOB='\(job.path)' LJ_OUT='\(output.path)'"
    let result = try ExternalTools.shell("\(environment) \(command)")
    let lines = (try? String(contentsOf: output, encoding: .utf8)) ?? "no output"
    return (lines, result.output)
  }

  @Test func pytestLSPWithTheClientsCapabilitySnapshots() throws {
    guard ExternalTools.shouldRun("python3 -c 'import pytest_lsp'", missing: "pytest-lsp is not installed")
    else {
      return
    }
    let result = try ExternalTools.shell(
      "LIFECYCLE_JOB_BIN='\(CLI.binary.path)' timeout 300 python3 -m pytest -q -p no:cacheprovider -W error::pytest_lsp.LspSpecificationWarning Tests/Python/lsp/test_server.py"
    )
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains("36 passed"), "\(result.output)")
  }

  @Test func headlessNeovimWithThePlugin() throws {
    guard ExternalTools.shouldRun("nvim --version", missing: "Neovim is not installed") else { return }
    let (lines, log) = try Self.drive(
      plugin: "neovim", "timeout 60 nvim --headless -u NONE -c 'luafile Tests/Editors/neovim_test.lua'")
    #expect(
      lines == """
        clients 1
        diagnostic missing-terraform-variable 2:0-2:6
        diagnostic command-invalid-json 3:49-3:50
        diagnostic command-not-array 4:8-4:25
        completion TF_VAR_db_password | string required
        hover **`QOVERY_JOB_ID`**\\n\\n- Built-in: The id of this job.

        """, "\(lines)\n\(log)")
  }

  @Test func emacsEglotInStrictMode() throws {
    guard ExternalTools.shouldRun("emacs --version", missing: "Emacs is not installed") else { return }
    let (lines, log) = try Self.drive(
      plugin: "emacs", "timeout 120 emacs --batch -Q -l Tests/Editors/eglot_test.el")
    #expect(
      lines == """
        mode lifecycle-job-mode
        managed yes
        diagnostic 2:0 lifecycle-job [missing-terraform-variable]: the Terraform variable `db_password` (variables.tf) has no default and no tfvars value, and the job does not provide `TF_VAR_db_password`: terraform will fail or wait for input; add it under `environment`, `secrets` or `aliases`
        diagnostic 3:49 lifecycle-job [command-invalid-json]: `start` is not a valid JSON array: missing `,` between elements
        diagnostic 4:8 lifecycle-job [command-not-array]: `stop` is a plain string, which the platform would run as a single executable name; give a list of arguments, such as `["-c", "…"]` to run it with a shell
        completion TF_VAR_db_password
        hover QOVERY_JOB_ID\\n\\n- Built-in: The id of this job.

        """, "\(lines)\n\(log)")
  }
}
