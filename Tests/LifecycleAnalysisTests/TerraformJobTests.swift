import Foundation
import LifecycleAnalysis
import LifecycleSyntax
import Testing
import TestSupport

/// `qovery_job` resources read as jobs: the reading, attribute by attribute, and every check at
/// its exact range inside the HCL.
@Suite struct TerraformJobTests {
  /// A job as text: each value with the file text at its range, so a test compares everything.
  static func describe(_ job: TerraformJob, in text: String) -> String {
    func at(_ range: TextRange) -> String { text.utf8Slice(range) }
    let spec = job.spec
    var lines = ["resource \(job.resourceName) at \(at(job.resourceNameRange))"]
    lines.append("name \(spec.name.map { "\($0.value) at \(at($0.range))" } ?? "-")")
    lines.append(
      "type \(spec.type.rawValue), timeout \(spec.timeoutSeconds) s, restarts \(spec.restarts), cpu \(spec.cpuMillicores)m, memory \(spec.memoryMegabytes) MB, cron \(job.isCronJob)"
    )
    for event in spec.events {
      var line = "event \(event.name.rawValue) (\(event.form)) at \(at(event.keyRange))"
      if let entrypoint = event.entrypoint { line += " entrypoint \(at(entrypoint.range))" }
      if let arguments = event.arguments {
        line += " arguments " + arguments.map { at($0.range) }.joined(separator: " ")
      }
      lines.append(line)
    }
    switch job.source {
    case .docker(let repository):
      lines.append(
        "docker url \(repository.url.map { at($0.range) } ?? "?") branch \(repository.branch.map { at($0.range) } ?? "?") root \(spec.root.map { "\($0.value) at \(at($0.range))" } ?? "-") dockerfile \(spec.dockerfile.map { at($0.range) } ?? "-") target \(spec.target.map { at($0.range) } ?? "-") inline \(repository.dockerfileIsInline) computed \(repository.computedPaths)"
      )
    case .image: lines.append("image \(spec.image?.value ?? "?")")
    case .unknown: lines.append("source unknown")
    }
    for variable in spec.variables {
      lines.append(
        "\(variable.kind.rawValue) \(at(variable.nameRange)) = \(variable.value.map { at($0.range) } ?? "?")")
    }
    if spec.variablesMayBeIncomplete { lines.append("variables may be incomplete") }
    return lines.joined(separator: "\n")
  }

  static func jobs(_ text: String, isJSON: Bool = false) -> String {
    TerraformJobReader.read(SourceText(text), isJSON: isJSON).map { describe($0.job, in: text) }
      .joined(separator: "\n--\n")
  }

  @Test func theProvidersExampleReadsAttributeByAttribute() throws {
    let text = try String(
      contentsOf: Fixtures.url("corpus/terraform-provider-qovery/resource.tf"), encoding: .utf8)
    #expect(
      Self.jobs(text) == """
        resource my_cron_job at "my_cron_job"
        name my-cron-job at "my-cron-job"
        type generic, timeout 300 s, restarts 1, cpu 500m, memory 512 MB, cron true
        image debian:stable
        environment MY_VARIABLE = "my_value"
        secret MY_SECRET = ?
        --
        resource my_lifecycle_job at "my_lifecycle_job"
        name my-lifecycle-job at "my-lifecycle-job"
        type generic, timeout 600 s, restarts 0, cpu 1000m, memory 1024 MB, cron false
        event start (mapping) at on_start entrypoint "/bin/sh" arguments "-c" "echo 'Environment starting'"
        event stop (mapping) at on_stop entrypoint "/bin/sh" arguments "-c" "echo 'Environment stopping'"
        event delete (mapping) at on_delete entrypoint "/bin/sh" arguments "-c" "echo 'Environment deleting'"
        docker url "https://github.com/my-org/my-repo.git" branch "main" root . at "/" dockerfile "Dockerfile" target - inline false computed []
        """)
  }

  /// The documented resources (every ```terraform block of `docs/resources/job.md`) and the
  /// example give no diagnostic, with or without the job's files.
  @Test func theProvidersResourcesGiveNoFalseAlarm() throws {
    let markdown = try String(
      contentsOf: Fixtures.url("corpus/terraform-provider-qovery/job.md"), encoding: .utf8)
    var blocks = markdown.components(separatedBy: "```terraform\n").dropFirst().map {
      $0.components(separatedBy: "```")[0]
    }
    #expect(blocks.count == 1)
    blocks.append(
      try String(contentsOf: Fixtures.url("corpus/terraform-provider-qovery/resource.tf"), encoding: .utf8))
    let context = JobContext(
      root: .found(path: ".", contents: ["Dockerfile"]),
      dockerfile: .found(path: "Dockerfile", contents: SourceText("FROM alpine\nENTRYPOINT [\"/bin/sh\"]\n")))
    for block in blocks {
      #expect(TerraformJobReader.read(SourceText(block), isJSON: false).count == 2)
      #expect(Analyzer.analyzeTerraform(SourceText(block), isJSON: false).diagnostics == [])
      #expect(
        Analyzer.analyzeTerraform(SourceText(block), isJSON: false, filesFor: { _ in .found(context) })
          .diagnostics == [])
    }
  }

  @Test func everyListOfVariablesAndTheSourceAttributes() {
    let text = """
      resource "qovery_job" "db" {
        environment_id = qovery_environment.env.id
        name = "db-\\u00e9"
        max_duration_seconds = "1800"
        schedule = {
          lifecycle_type = "TERRAFORM"
          on_start = { arguments = ["-c", "terraform apply -auto-approve"] }
          on_stop = {}
          on_delete = { arguments = ["-c", "terraform destroy ${var.flags}"] }
        }
        source = {
          docker = {
            git_repository = { url = var.repository, branch = "main", root_path = "/jobs/db" }
            docker_target_build_stage = "run"
          }
        }
        environment_variables = [{ key = "TF_VAR_region", value = "us-east-2" }, { key = "TF_VAR_env", value = local.env }]
        secrets = [{ key = "TF_VAR_password", value = var.password }]
        environment_variable_aliases = [{ key = "TF_VAR_qovery_environment_id", value = "QOVERY_ENVIRONMENT_ID" }]
        secret_aliases = [{ key = "DB", value = "DATABASE_URL" }]
        environment_variable_overrides = [{ key = "LOG_LEVEL", value = "debug" }]
        secret_overrides = [{ key = "API_TOKEN", value = "x" }]
      }
      resource "qovery_job" "computed" {
        name = var.name
        environment_variables = var.variables
        secrets = [for k, v in var.secrets : { key = k, value = v }]
        source = { image = { name = "hashicorp/terraform", tag = "1.9", registry_id = var.registry } }
      }
      resource "aws_instance" "other" { ami = "x" }
      """
    #expect(
      Self.jobs(text) == """
        resource db at "db"
        name db-é at "db-\\u00e9"
        type terraform, timeout 1800 s, restarts 0, cpu 500m, memory 512 MB, cron false
        event start (mapping) at on_start arguments "-c" "terraform apply -auto-approve"
        event stop (imageDefault) at on_stop
        event delete (invalid) at on_delete
        docker url ? branch "main" root jobs/db at "/jobs/db" dockerfile - target "run" inline false computed []
        environment TF_VAR_region = "us-east-2"
        environment TF_VAR_env = ?
        secret TF_VAR_password = ?
        alias TF_VAR_qovery_environment_id = "QOVERY_ENVIRONMENT_ID"
        alias DB = "DATABASE_URL"
        environment LOG_LEVEL = "debug"
        secret API_TOKEN = ?
        --
        resource computed at "computed"
        name computed at "computed"
        type generic, timeout 300 s, restarts 0, cpu 500m, memory 512 MB, cron false
        image hashicorp/terraform:1.9
        variables may be incomplete
        """)
  }

  @Test func nestedBlocksHeredocsAndTheJSONSyntax() {
    let hcl = """
      resource "qovery_job" "old" {
        schedule {
          on_start {
            entrypoint = "/bin/sh"
            arguments = ["-c", <<-EOT
              terraform apply -auto-approve
              EOT
            ]
          }
        }
        environment_variables {
          key = "A"
          value = "1"
        }
        environment_variables {
          key = "B"
          value = "2"
        }
      }
      """
    #expect(
      Self.jobs(hcl) == """
        resource old at "old"
        name old at "old"
        type generic, timeout 300 s, restarts 0, cpu 500m, memory 512 MB, cron false
        event start (mapping) at on_start entrypoint "/bin/sh" arguments "-c" <<-EOT
                terraform apply -auto-approve
                EOT
        source unknown
        environment A = "1"
        environment B = "2"
        """)
    let json = """
      {"resource": {"qovery_job": {"j": {
        "name": "j",
        "schedule": {"on_start": {"arguments": ["-c", "echo \\u0041 ${var.x}"]}, "on_stop": {"arguments": ["-c", "echo $${HOME}"]}},
        "environment_variables": [{"key": "K", "value": "v"}]
      }}}}
      """
    #expect(
      Self.jobs(json, isJSON: true) == """
        resource j at "j"
        name j at "j"
        type generic, timeout 300 s, restarts 0, cpu 500m, memory 512 MB, cron false
        event start (invalid) at "on_start"
        event stop (invalid) at "on_stop"
        source unknown
        environment K = "v"
        """)
  }

  /// A heredoc's value maps back to its lines, past the indentation `<<-` removes.
  @Test func aHeredocsValueMapsToItsLines() throws {
    let text =
      "resource \"qovery_job\" \"h\" {\n  schedule = { on_start = { arguments = [\"-c\", <<-EOT\n    echo one\n      echo two\n    EOT\n  ] } }\n}\n"
    let job = try #require(TerraformJobReader.read(SourceText(text), isJSON: false).first?.job)
    let script = try #require(job.spec.event(.start)?.arguments?.last)
    #expect(script.value == "echo one\n  echo two\n")
    #expect(text.utf8Slice(script.sourceRange(TextRange(0, 8))) == "echo one")
    #expect(text.utf8Slice(script.sourceRange(TextRange(9, 19))) == "  echo two")
  }

  @Test func brokenTextNeverTraps() {
    for text in [
      "resource \"qovery_job\" \"x\" {",
      "resource \"qovery_job\" \"x\" { schedule = { on_start = { arguments = [",
      "resource \"qovery_job\" \"x\" { a = ] } }", "resource \"qovery_job\" \"x\" { = = , ( ] ) }",
      "resource \"qovery_job\" \"x\" { schedule = [[[[{{{{",
      "resource \"qovery_job\" \"x\" { x = \"unterminated\n}",
      String(repeating: "[", count: 100_000),
      "resource \"qovery_job\" \"x\" {" + String(repeating: "a = [", count: 50_000),
    ] {
      _ = Analyzer.analyzeTerraform(SourceText(text), isJSON: false)
      _ = Analyzer.analyzeTerraform(SourceText(text), isJSON: true)
    }
    #expect(TerraformJobReader.read(SourceText("resource \"qovery_job\" \"x\" {"), isJSON: false).count == 1)
  }
}
