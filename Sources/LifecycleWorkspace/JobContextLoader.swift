import LifecycleAnalysis
import LifecycleSyntax

/// A spec's job as read from a file system: what its checks need, and where the files are.
public struct LoadedJob: Sendable {
  /// What the checks of the spec know of the job's other files.
  public var context: JobContext
  /// The repository the job lives in (absolute).
  public var repository: String
  /// The job's root folder (absolute), when it lies inside the repository.
  public var root: String?
  /// The Dockerfile (absolute), when it was found.
  public var dockerfile: String?
}

/// Reads from a file system what the checks of a spec need of its job's other files.
public enum JobContextLoader {
  /// Analyses the spec at `path` (absolute) against its job as found in `files`: the spec is
  /// read once, for both. The job is nil only when the spec is too large to be read.
  public static func analyzeSpec(
    at path: String, source: SourceText, isJSON: Bool, files: any FileSystem, fallbackRepository: String,
    settings: AnalysisSettings = AnalysisSettings()
  ) -> (analysis: FileAnalysis, job: LoadedJob?) {
    var job: LoadedJob?
    let analysis = Analyzer.analyze(
      source, kind: .spec(isJSON: isJSON), settings: settings,
      contextFor: { spec in
        job = load(specPath: path, spec: spec, files: files, fallbackRepository: fallbackRepository)
        return job?.context
      })
    return (analysis, job)
  }

  /// Files listed under a root at most: a job's root is small, a mistaken root could be huge.
  public static let maximumRootFiles = 20_000

  /// The job of the spec at `specPath` (absolute). Without a `.git` folder above the spec, the
  /// repository is `fallbackRepository` when it contains the spec, else the spec's folder.
  public static func load(
    specPath: String, spec: JobSpec, files: any FileSystem, fallbackRepository: String
  ) -> LoadedJob {
    let specFolder = Paths.parent(specPath)
    let repository = repositoryRoot(containing: specFolder, files: files, fallback: fallbackRepository)
    let rootText = spec.root?.value ?? "."
    let root = self.root(of: spec, at: specPath)
    guard !rootText.hasPrefix("/"), let rootDisplay = Paths.relative(root, to: repository) else {
      return LoadedJob(
        context: JobContext(root: .outsideRepository(path: rootText)), repository: repository)
    }
    guard files.type(root) == .directory else {
      return LoadedJob(
        context: JobContext(root: .missing(path: rootDisplay)), repository: repository, root: root)
    }
    var dockerfileLookup = FileLookup<SourceText>.unknown
    var dockerfileFound: String?
    if let dockerfilePath = spec.dockerfilePath, let dockerfile = dockerfile(of: spec, at: specPath) {
      if let display = Paths.relative(dockerfile, to: repository) {
        if let bytes = files.contents(dockerfile) {
          dockerfileLookup = .found(path: display, contents: SourceText(bytes: bytes))
          dockerfileFound = dockerfile
        } else {
          dockerfileLookup = .missing(path: display)
        }
      } else {
        dockerfileLookup = .outsideRepository(path: dockerfilePath)
      }
    }
    var terraformFiles: [String: SourceText] = [:]
    for name in files.entries(root) ?? []
    where TerraformModule.isConfiguration(name) || TerraformModule.isVariableFile(name) {
      if let bytes = files.contents(root + "/" + name) { terraformFiles[name] = SourceText(bytes: bytes) }
    }
    let rootFiles = FileWalker.regularFiles(under: root, in: files, limit: maximumRootFiles).sorted()
    let context = JobContext(
      root: .found(path: rootDisplay, contents: rootFiles), dockerfile: dockerfileLookup,
      terraformFiles: terraformFiles)
    return LoadedJob(context: context, repository: repository, root: root, dockerfile: dockerfileFound)
  }

  /// The job's root folder (absolute) for the spec at `specPath`.
  public static func root(of spec: JobSpec, at specPath: String) -> String {
    Paths.absolute(spec.root?.value ?? ".", relativeTo: Paths.parent(specPath))
  }

  /// The Dockerfile (absolute) the spec at `specPath` builds, nil for a prebuilt image; whether
  /// it exists or stays in the repository is `load`'s business.
  public static func dockerfile(of spec: JobSpec, at specPath: String) -> String? {
    spec.dockerfilePath.map { Paths.absolute($0, relativeTo: root(of: spec, at: specPath)) }
  }

  /// The specs in the folder of a Dockerfile (`check Dockerfile` alone, or a Dockerfile opened
  /// before the workspace is indexed).
  public static func neighbourSpecs(of dockerfilePath: String, files: any FileSystem) -> [String] {
    let folder = Paths.parent(dockerfilePath)
    return (files.entries(folder) ?? []).sorted().compactMap { name in
      guard FileKind.of(fileName: name)?.isSpec == true else { return nil }
      return folder + "/" + name
    }
  }

  /// The nearest folder holding `.git`; without one, `fallback` when it contains `folder`, else
  /// `folder` itself.
  public static func repositoryRoot(containing folder: String, files: any FileSystem, fallback: String)
    -> String
  {
    var candidate = folder
    while true {
      if files.type(candidate + (candidate.hasSuffix("/") ? "" : "/") + ".git") != nil { return candidate }
      let parent = Paths.parent(candidate)
      if parent == candidate { break }
      candidate = parent
    }
    return Paths.relative(folder, to: fallback) != nil ? fallback : folder
  }
}
