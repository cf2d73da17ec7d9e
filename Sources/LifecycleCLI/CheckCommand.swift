import ArgumentParser
import Foundation
import LifecycleAnalysis
import LifecycleWorkspace
import LifecycleSyntax

/// How `check` prints its findings.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json, sarif
}

/// One checked file and what was found in it.
struct CheckedFile {
  var path: String
  var source: SourceText
  var diagnostics: [Diagnostic]
}

struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check job specs, Dockerfiles and output files.",
    discussion: """
      Folders are searched recursively for lifecycle-job.yaml (.yml, *.lifecycle-job.yaml, \
      lifecycle-job.json), Terraform files (.tf, .tf.json) that declare a qovery_job resource, \
      Dockerfiles and qovery-output.json files, skipping .git, .build, \
      node_modules, .terraform and the like. A Dockerfile is named Dockerfile, Containerfile, \
      *.Dockerfile or *.Containerfile, or Dockerfile.* when its content is a Dockerfile (not a \
      template, nor another tool's file such as Dockerfile.dockerignore or dockerfile.go). A file \
      named on the command line is checked whatever its name. Exit status: 0 when there is no \
      error, 1 when there is one, 2 for a usage error or unreadable input.
      """)

  @Argument(help: "Files or folders to check (default: the current folder).")
  var paths: [String] = []

  @Option(help: "Output format: text, json (LSP-style ranges) or sarif (SARIF 2.1.0).")
  var format: OutputFormat = .text

  @Option(
    name: .customLong("severity"),
    help: ArgumentHelp(
      "Change a code's severity: CODE=error|warning|information|hint|off (repeatable).",
      valueName: "code=level"))
  var severityOverrides: [String] = []

  @Option(
    name: .customLong("repository"),
    help: ArgumentHelp(TerraformJobOptions.repositoryHelp, valueName: "url=folder"))
  var repositories: [String] = []

  @Flag(help: "List the files a folder walk skipped although named like a Dockerfile, and why.")
  var verbose = false

  func validate() throws {
    _ = try settings()
    _ = try repositoryMap()
  }

  func repositoryMap() throws -> RepositoryMap { try RepositoryMap.parse(repositories) }

  func settings() throws -> AnalysisSettings {
    var overrides: [String: Severity?] = [:]
    for item in severityOverrides {
      let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, Rule.named(parts[0]) != nil else {
        throw ValidationError(
          "--severity expects CODE=LEVEL with a known code, not `\(item)` (see `lifecycle-job explain`)")
      }
      if parts[1] == "off" {
        overrides[parts[0]] = .some(nil)
      } else if let severity = Severity(rawValue: parts[1]) {
        overrides[parts[0]] = .some(severity)
      } else {
        throw ValidationError(
          "--severity level must be error, warning, information, hint or off, not `\(parts[1])`")
      }
    }
    return AnalysisSettings(severityOverrides: overrides)
  }

  func run() throws {
    let settings = try settings()
    let repositoryMap = try repositoryMap()
    let files: [DiscoveredFile]
    do {
      let discovery = try FileDiscovery.files(under: paths.isEmpty ? ["."] : paths)
      files = discovery.found
      if verbose {
        for skipped in discovery.skipped { printError("skipped \(skipped.path): \(skipped.reason)") }
      }
    } catch let error as InputError {
      printError("lifecycle-job: error: \(error.description)")
      throw ExitCode(2)
    }
    var inputs: [(file: DiscoveredFile, source: SourceText)] = []
    var unreadable = false
    for file in files {
      guard let data = FileManager.default.contents(atPath: file.path) else {
        printError("lifecycle-job: error: \(file.path): cannot be read (permission denied?)")
        unreadable = true
        continue
      }
      let bytes = [UInt8](data)
      if bytes.prefix(8192).contains(0) {
        printError("lifecycle-job: error: \(file.path): binary file, not checked")
        unreadable = true
        continue
      }
      inputs.append((file, SourceText(bytes: bytes)))
    }
    // Specs first: analysed against their jobs, which say which Dockerfiles they build.
    var specAnalyses: [String: FileAnalysis] = [:]
    var usersByDockerfile: [String: (specs: [JobSpec], terraform: TerraformModule?)] = [:]
    let current = Paths.currentFolder
    let workspace = Workspace(files: DiskFileSystem(), roots: [current])
    func analyzeSpec(_ path: String, _ source: SourceText, isJSON: Bool) -> FileAnalysis {
      let (analysis, job) = workspace.analyzeSpec(
        at: workspace.canonical(path, relativeTo: current), source: source, isJSON: isJSON, settings: settings)
      if let spec = analysis.spec, let job, let dockerfile = job.dockerfile {
        usersByDockerfile[dockerfile, default: ([], job.context.terraformModule)].specs.append(spec)
      }
      return analysis
    }
    var terraformDiagnostics: [String: [Diagnostic]] = [:]
    for input in inputs {
      switch input.file.kind {
      case .file(.spec(let isJSON)):
        specAnalyses[input.file.path] = analyzeSpec(input.file.path, input.source, isJSON: isJSON)
      case .terraform(let isJSON):
        let (analysis, jobs) = workspace.analyzeTerraform(
          at: workspace.canonical(input.file.path, relativeTo: current), source: input.source, isJSON: isJSON,
          settings: settings, repositories: repositoryMap)
        terraformDiagnostics[input.file.path] = analysis.diagnostics
        // A job whose variables Terraform computes could provide any build argument: not a user.
        for job in analysis.jobs where !job.spec.variablesMayBeIncomplete {
          if let loaded = jobs[job.resourceName], let dockerfile = loaded.dockerfile {
            usersByDockerfile[dockerfile, default: ([], loaded.context.terraformModule)].specs.append(
              job.spec)
          }
        }
      default: break
      }
    }
    var checked: [CheckedFile] = []
    for input in inputs {
      guard case .file(let kind) = input.file.kind else {
        checked.append(
          CheckedFile(
            path: input.file.path, source: input.source,
            diagnostics: terraformDiagnostics[input.file.path] ?? []))
        continue
      }
      var users: DockerfileUsers?
      if kind == .dockerfile {
        let absolute = workspace.canonical(input.file.path, relativeTo: current)
        if usersByDockerfile[absolute] == nil {
          for neighbour in workspace.neighbourSpecs(of: absolute) {
            guard case .spec(let isJSON) = FileKind.of(fileName: Paths.name(neighbour)),
              let bytes = workspace.files.contents(neighbour)
            else { continue }
            _ = analyzeSpec(neighbour, SourceText(bytes: bytes), isJSON: isJSON)
          }
        }
        users = usersByDockerfile[absolute].map { DockerfileUsers(specs: $0.specs, terraform: $0.terraform) }
      }
      let analysis =
        specAnalyses[input.file.path]
        ?? Analyzer.analyze(input.source, kind: kind, settings: settings, users: users)
      checked.append(
        CheckedFile(path: input.file.path, source: input.source, diagnostics: analysis.diagnostics))
    }
    switch format {
    case .text: TextReporter(style: Style(enabled: Terminal.usesColor)).report(checked)
    case .json: print(JSONReporter.report(checked))
    case .sarif: print(SARIFReporter.report(checked))
    }
    if unreadable { throw ExitCode(2) }
    if checked.contains(where: { $0.diagnostics.contains { $0.severity == .error } }) { throw ExitCode(1) }
  }
}
