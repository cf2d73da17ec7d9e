import Foundation
import LifecycleAnalysis
import LifecycleSyntax
import Testing
import TestSupport

/// `export terraform` and `import terraform`: the round trips keep every setting the two formats
/// share, and python-hcl2 reads the exported HCL as we do.
@Suite struct TerraformConversionTests {
  /// The settings the two formats share, without ranges.
  static func settings(_ spec: JobSpec) -> String {
    var lines = [
      "name \(spec.name?.value ?? "-") type \(spec.type.rawValue) root \(spec.root?.value ?? ".") dockerfile \(spec.dockerfilePath ?? "-") image \(spec.image?.value ?? "-") target \(spec.target?.value ?? "-")",
      "timeout \(spec.timeoutSeconds) restarts \(spec.restarts) cpu \(spec.cpuMillicores) memory \(spec.memoryMegabytes)",
    ]
    for event in spec.events {
      lines.append(
        "\(event.name.rawValue): entrypoint \(event.entrypoint.map { "<\($0.value)>" } ?? "-") arguments \(event.arguments.map { $0.map { "<\($0.value)>" }.joined(separator: " ") } ?? "-")"
      )
    }
    // The provider's variable lists are sets: their order is not a setting.
    lines += spec.variables.map {
      "\($0.kind.rawValue) \($0.name) \($0.value.map { "<\($0.value)>" } ?? "-")"
    }.sorted()
    return lines.joined(separator: "\n")
  }

  static let specs = [
    """
    name: db
    type: terraform
    source:
      root: infra/db
      target: run
    events:
      start: ["-c", "terraform apply -auto-approve && echo \\"${HOME}\\" %{x} $${y} \\\\ \\u00e9\\n\\ttab"]
      stop: {}
      delete:
        entrypoint: /bin/sh
        arguments: ["-c", "terraform destroy -auto-approve"]
    timeout: 1800
    restarts: 2
    resources:
      cpu: 250m
      memory: 1Gi
    environment:
      TF_VAR_region: eu-west-3
      URL: "postgres://{{DB_USER}}@db"
      DB_USER: app
      EMPTY: ""
    secrets:
      - TF_VAR_token
    aliases:
      TF_VAR_qovery_environment_id: QOVERY_ENVIRONMENT_ID
      TOKEN: TF_VAR_token

    """,
    """
    name: image-job
    source:
      image: registry.example.com:5000/team/tool:1.2
    events:
      start: ["run"]

    """,
    """
    name: plain
    source:
      dockerfile: build/Dockerfile
    events:
      delete:
        entrypoint: /entry.sh

    """,
  ]

  static func exported(_ yaml: String) -> (spec: JobSpec, hcl: String) {
    let spec = SpecReader.read(SourceText(yaml), isJSON: false).0
    return (
      spec,
      TerraformExport.resource(for: spec, rootInRepository: spec.image == nil ? spec.root?.value ?? "." : nil)
    )
  }

  @Test func exportThenImportGivesBackTheSpec() throws {
    for yaml in Self.specs {
      let (spec, hcl) = Self.exported(yaml)
      let jobs = TerraformJobReader.read(SourceText(hcl), isJSON: false)
      #expect(jobs.count == 1)
      #expect(Analyzer.analyzeTerraform(SourceText(hcl), isJSON: false).diagnostics == [])
      let job = try #require(jobs.first?.job)
      let (imported, notes) = TerraformImport.spec(
        for: job, root: job.spec.image == nil ? job.rootInRepository : nil)
      #expect(notes == [])
      let back = SpecReader.read(SourceText(imported), isJSON: false)
      #expect(back.1 == [], "\(imported)")
      #expect(Self.settings(back.0) == Self.settings(spec), "\(imported)")
    }
  }

  @Test func importThenExportKeepsTheResourcesSettings() throws {
    let hcl =
      try String(contentsOf: Fixtures.url("corpus/terraform-provider-qovery/resource.tf"), encoding: .utf8)
        + """
        resource "qovery_job" "mine" {
          environment_id = var.environment_id
          name = "mine"
          max_nb_restart = 3
          schedule = {
            lifecycle_type = "CLOUDFORMATION"
            on_start = { arguments = ["-c", "aws cloudformation deploy --stack-name x"] }
            on_delete = {}
          }
          source = { docker = { git_repository = { url = "https://github.com/a/b", branch = "main", root_path = "/cf" }, dockerfile_path = "docker/Dockerfile" } }
          environment_variables = [{ key = "A", value = "1" }, { key = "COMPUTED", value = var.c }]
          secret_aliases = [{ key = "B", value = "S" }]
          secret_overrides = [{ key = "S", value = var.s }]
        }

        """
    var summaries: [String] = []
    for (job, _) in TerraformJobReader.read(SourceText(hcl), isJSON: false) where !job.isCronJob {
      let (yaml, notes) = TerraformImport.spec(for: job, root: job.rootInRepository)
      let spec = SpecReader.read(SourceText(yaml), isJSON: false).0
      let again = TerraformExport.resource(for: spec, rootInRepository: spec.root?.value ?? ".")
      let reread = try #require(TerraformJobReader.read(SourceText(again), isJSON: false).first?.job)
      var original = job.spec
      // A value Terraform computes becomes a secret of the spec, and stays one.
      for index in original.variables.indices where original.variables[index].value == nil {
        original.variables[index].kind = original.variables[index].kind == .alias ? .alias : .secret
      }
      #expect(Self.settings(reread.spec) == Self.settings(original))
      summaries.append(notes.joined(separator: "; "))
    }
    #expect(
      summaries == [
        "", "`COMPUTED`'s value is computed by Terraform: it is a secret of the spec, supplied at run time",
      ])
  }

  /// python-hcl2 reads each exported resource as we do.
  @Test func pythonHCL2ReadsTheExportAsWeDo() throws {
    guard ExternalTools.shouldRun("python3 -c 'import hcl2'", missing: "python-hcl2 is not installed") else {
      return
    }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tfjob-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    for (index, yaml) in Self.specs.enumerated() {
      let (_, hcl) = Self.exported(yaml)
      let file = folder.appendingPathComponent("export\(index).tf")
      try Data(hcl.utf8).write(to: file)
      let python = try ExternalTools.shell("python3 Tests/Python/hcl2_qovery_job.py '\(file.path)'")
      #expect(python.status == 0, "\(python.output)")
      let job = try #require(TerraformJobReader.read(SourceText(hcl), isJSON: false).first?.job)
      let theirs = try JSONSerialization.jsonObject(with: Data(python.output.utf8))
      let normalized = try JSONSerialization.data(withJSONObject: theirs, options: [.sortedKeys])
      #expect(String(decoding: normalized, as: UTF8.self) == Self.pythonShape(job))
    }
  }

  /// Our reading in the shape of `Tests/Python/hcl2_qovery_job.py`.
  static func pythonShape(_ job: TerraformJob) -> String {
    let spec = job.spec
    var events: [String: Any] = [:]
    for event in spec.events {
      events[event.name.rawValue] = [
        "entrypoint": event.entrypoint.map { $0.value as Any } ?? NSNull(),
        "arguments": event.arguments.map { $0.map(\.value) as Any } ?? NSNull(),
      ]
    }
    let object: [String: Any] = [
      "resource": job.resourceName, "name": spec.name?.value ?? NSNull(),
      "lifecycle_type": spec.type.rawValue.uppercased(), "cpu": spec.cpuMillicores,
      "memory": spec.memoryMegabytes,
      "max_duration_seconds": spec.timeoutSeconds, "max_nb_restart": spec.restarts, "events": events,
      "variables": spec.variables.map {
        [$0.kind.rawValue, $0.name, $0.value.map { $0.value as Any } ?? NSNull()]
      },
    ]
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
  }
}
