import Foundation
import Testing

@Suite struct OtherCommandTests {
  @Test func explainPrintsMeaningWhyAndAnExample() throws {
    let result = try CLI.run(["explain", "interactive-command"])
    #expect(result.status == 0)
    #expect(
      result.stdout == """
        interactive-command (error, event commands)

        A command that waits for a confirmation nobody gives (`terraform apply` without `-auto-approve`).

        A job has no terminal: `terraform apply`/`destroy` without `-auto-approve`, `pulumi up`/`destroy`/`refresh` without `--yes`, `cdk destroy` without `--force` wait for an answer until the timeout kills them. Stays quiet when `TF_CLI_ARGS*` or `PULUMI_SKIP_CONFIRMATIONS` approve, and for `terraform apply PLANFILE`.

        Example:
            events:
              start: ["-c", "terraform init && terraform apply"]

        Fixed:
            events:
              start: ["-c", "terraform init && terraform apply -auto-approve"]

        Silence it on one line with `# lifecycle-job: ignore=interactive-command` at the end of the line or on the line before.

        """)
  }

  @Test func everyExampleInExplainTriggersItsCodeAndItsFixDoesNot() throws {
    let list = try CLI.run(["explain"])
    let codes = list.stdout.split(separator: "\n").compactMap { line -> String? in
      guard line.hasPrefix("  ") else { return nil }
      return line.split(separator: " ").first.map(String.init)
    }
    #expect(codes.count >= 30)
    let unknown = try CLI.run(["explain", "interactiv-command"])
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("did you mean `interactive-command`?"))
  }

  @Test func initWritesAJobThatCheckFindsClean() throws {
    let folder = try CLI.temporaryFolder()
    let created = try CLI.run(["init", "job"], in: folder)
    #expect(created.status == 0)
    #expect(created.stdout.hasPrefix("Created a sample job in job:"))
    let checked = try CLI.run(["check", "job"], in: folder)
    #expect(checked == CLIResult(status: 0, stdout: "", stderr: "2 files checked, no problems found\n"))
    let again = try CLI.run(["init", "job"], in: folder)
    #expect(again.status == 2)
    #expect(again.stderr.contains("already exist"))
    let script = try String(
      contentsOf: folder.appendingPathComponent("job/scripts/start.sh"), encoding: .utf8)
    #expect(script.contains("/qovery-output/qovery-output.json"))
  }

  @Test func versionAndHelp() throws {
    #expect(try CLI.run(["--version"]) == CLIResult(status: 0, stdout: "lifecycle-job 0.1.0\n", stderr: ""))
    let help = try CLI.run(["check", "--help"])
    #expect(help.status == 0)
    #expect(help.stdout.contains("USAGE: lifecycle-job check [<paths> ...] [--format <format>]"))
  }
}
