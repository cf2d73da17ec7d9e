import ArgumentParser
import Foundation

struct InitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "init",
    abstract: "Write a working sample job: a spec, a Dockerfile and scripts that write an output file.")

  @Argument(help: "The folder to create the job in (default: the current folder).")
  var directory: String = "."

  @Flag(help: "Overwrite files that already exist.")
  var force = false

  /// The sample job's files, relative to its folder.
  static let files: [(path: String, contents: String, executable: Bool)] = [
    (
      "lifecycle-job.yaml",
      """
      # A lifecycle job: the platform runs its events when the environment starts, stops or is deleted.
      # Check it with `lifecycle-job check`, run an event with `lifecycle-job run start`.
      name: hello-job
      type: generic
      events:
        # The Dockerfile's ENTRYPOINT is /bin/sh, so each event gives it `-c` and a command line.
        start: ["-c", "./scripts/start.sh"]
        stop: ["-c", "echo 'nothing to stop'"]
        delete: ["-c", "./scripts/delete.sh"]
      timeout: 300
      resources:
        cpu: 250m
        memory: 256Mi
      environment:
        GREETING: "hello from {{QOVERY_ENVIRONMENT_NAME}}"
      secrets:
        - API_TOKEN
      aliases:
        ENVIRONMENT_ID: QOVERY_ENVIRONMENT_ID

      """, false
    ),
    (
      "Dockerfile",
      """
      FROM alpine:3.20
      WORKDIR /app
      COPY scripts/ ./scripts/
      RUN chmod +x ./scripts/*.sh
      ENTRYPOINT ["/bin/sh"]
      CMD ["-c", "./scripts/start.sh"]

      """, false
    ),
    (
      "scripts/start.sh",
      """
      #!/bin/sh
      # Runs on every deploy and redeploy: keep it idempotent.
      set -eu
      echo "$GREETING (environment $ENVIRONMENT_ID)"
      mkdir -p /qovery-output
      # Each key becomes QOVERY_OUTPUT_JOB_Z<ID>_<KEY> and the alias <KEY> for the other services.
      cat > /qovery-output/qovery-output.json <<EOF
      {
        "greeting": {"value": "$GREETING", "sensitive": false, "description": "What the job said"},
        "api_token_length": {"value": ${#API_TOKEN}, "sensitive": true}
      }
      EOF

      """, true
    ),
    (
      "scripts/delete.sh",
      """
      #!/bin/sh
      # Runs when the environment is deleted: remove what start created.
      set -eu
      echo "goodbye from $ENVIRONMENT_ID"

      """, true
    ),
  ]

  func run() throws {
    let manager = FileManager.default
    let base = URL(fileURLWithPath: directory)
    let existing = Self.files.map(\.path).filter {
      manager.fileExists(atPath: base.appendingPathComponent($0).path)
    }
    if !existing.isEmpty, !force {
      printError(
        "lifecycle-job: error: \(existing.map { (directory as NSString).appendingPathComponent($0) }.joined(separator: ", ")) already exist\(existing.count == 1 ? "s" : ""); use --force to overwrite"
      )
      throw ExitCode(2)
    }
    do {
      for file in Self.files {
        let url = base.appendingPathComponent(file.path)
        try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(file.contents.utf8).write(to: url)
        if file.executable { try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path) }
      }
    } catch {
      printError(
        "lifecycle-job: error: cannot write the sample job in \(directory): \(error.localizedDescription)")
      throw ExitCode(2)
    }
    print("Created a sample job in \(directory):")
    for file in Self.files { print("  \(file.path)") }
    print("Next: lifecycle-job check \(directory)")
  }
}
