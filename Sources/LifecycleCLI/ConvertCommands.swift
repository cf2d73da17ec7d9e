import ArgumentParser
import Foundation
import LifecycleAnalysis
import LifecycleSyntax
import LifecycleWorkspace

/// `lifecycle-job export terraform SPEC`: the spec as a `qovery_job` resource, on stdout.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Print a job spec in another format: `export terraform SPEC` prints its qovery_job resource.",
    discussion: """
      The resource holds every setting the two formats share. The environment (environment_id), \
      the git repository (repository_url, repository_branch) or the image's registry, and the \
      value of each secret are Terraform variables to fill; root_path is the job's root in its \
      repository.
      """)

  @Argument(help: "The format: terraform.")
  var format: String

  @Argument(help: "The job spec.")
  var spec: String

  func validate() throws {
    guard format == "terraform" else {
      throw ValidationError("the format must be terraform, not `\(format)`")
    }
  }

  func run() throws {
    let disk = DiskFileSystem()
    let workspace = Workspace(files: disk, roots: [Paths.currentFolder])
    let path = workspace.canonical(spec, relativeTo: Paths.currentFolder)
    guard let bytes = disk.contents(path),
      case .spec(let isJSON) = FileKind.of(fileName: Paths.name(path))
        ?? .spec(isJSON: path.hasSuffix(".json"))
    else {
      printError("lifecycle-job: error: \(spec): not a readable job spec")
      throw ExitCode(2)
    }
    let (analysis, job) = workspace.analyzeSpec(at: path, source: SourceText(bytes: bytes), isJSON: isJSON)
    let errors = analysis.diagnostics.filter { $0.severity == .error }.count
    guard errors == 0, let read = analysis.spec else {
      printError(
        "lifecycle-job: error: \(spec) has \(max(1, errors)) error\(errors == 1 ? "" : "s"): fix \(errors == 1 ? "it" : "them") first (`lifecycle-job check`)"
      )
      throw ExitCode(2)
    }
    let root = read.image == nil ? job?.root.flatMap { Paths.relative($0, to: job!.repository) } : nil
    print(TerraformExport.resource(for: read, rootInRepository: root), terminator: "")
  }
}

/// `lifecycle-job import terraform FILE --resource qovery_job.NAME`: the resource as a spec.
struct ImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Write a job spec from another format: `import terraform FILE` reads a qovery_job resource.",
    discussion: """
      The spec holds every setting the two formats share; what Terraform computes cannot be \
      written in a spec (a variable's computed value makes it a secret, supplied at run time) and \
      each such loss is noted on stderr. Without --output the spec is printed, its source.root \
      relative to the repository's top; with --output, relative to the spec's folder.
      """)

  @Argument(help: "The format: terraform.")
  var format: String

  @Argument(help: "A Terraform file (.tf or .tf.json).")
  var file: String

  @OptionGroup var terraform: TerraformJobOptions

  @Option(
    name: [.short, .customLong("output")], help: ArgumentHelp("Where to write the spec.", valueName: "file"))
  var output: String?

  func validate() throws {
    guard format == "terraform" else {
      throw ValidationError("the format must be terraform, not `\(format)`")
    }
    guard TerraformFileName.isJSON(Paths.name(file)) != nil else {
      throw ValidationError("`\(file)` is not a Terraform file (.tf, .tf.json)")
    }
  }

  func run() throws {
    let disk = DiskFileSystem()
    let workspace = Workspace(files: disk, roots: [Paths.currentFolder])
    let path = workspace.canonical(file, relativeTo: Paths.currentFolder)
    guard let bytes = disk.contents(path) else {
      printError("lifecycle-job: error: \(file): cannot be read")
      throw ExitCode(2)
    }
    let jobs = TerraformJobReader.read(
      SourceText(bytes: bytes), isJSON: TerraformFileName.isJSON(Paths.name(path))!
    )
    .map(\.job)
    let job: TerraformJob
    switch TerraformJob.select(terraform.resource, among: jobs, in: file) {
    case .success(let selected): job = selected
    case .failure(let problem):
      printError("lifecycle-job: error: \(problem.message)")
      throw ExitCode(2)
    }
    // The root: where root_path leads in the job's repository, relative to the spec's folder.
    var root: String? = job.spec.image == nil ? job.rootInRepository : nil
    if let output, job.spec.image == nil {
      let (_, loaded) = workspace.files(
        ofTerraformJob: job, at: path, repositories: try terraform.repositoryMap())
      let specFolder = Paths.parent(Paths.absolute(output, relativeTo: Paths.currentFolder))
      var jobRoot = loaded?.root
      if jobRoot == nil {
        // The repository cannot be told: take the checkout holding the file, and say so.
        let repository = workspace.repository(containing: Paths.parent(path))
        printError(
          "lifecycle-job: note: the job's repository is not found from its URL: `root_path` is read in \(repository)"
        )
        jobRoot = Paths.absolute(job.rootInRepository, relativeTo: repository)
      }
      root = Self.relative(jobRoot!, from: workspace.canonical(specFolder))
    }
    let (yaml, notes) = TerraformImport.spec(for: job, root: root)
    for note in notes { printError("lifecycle-job: note: \(note)") }
    if let output {
      do {
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: output))
      } catch {
        printError("lifecycle-job: error: \(output): cannot be written")
        throw ExitCode(2)
      }
    } else {
      print(yaml, terminator: "")
    }
  }

  /// `target` relative to the folder `base` (both absolute), with `..` where needed.
  static func relative(_ target: String, from base: String) -> String {
    let targetParts = target.split(separator: "/")
    let baseParts = base.split(separator: "/")
    var common = 0
    while common < min(targetParts.count, baseParts.count), targetParts[common] == baseParts[common] {
      common += 1
    }
    let parts =
      Array(repeating: "..", count: baseParts.count - common) + targetParts[common...].map(String.init)
    return parts.isEmpty ? "." : parts.joined(separator: "/")
  }
}
