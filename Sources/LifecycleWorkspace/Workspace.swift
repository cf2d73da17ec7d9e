//! The one front door to a job's files. `check`, the language server and the runner each build a
//! `Workspace` over their file system and the folders they were given, and ask it every question
//! about a job's files: which repository a spec belongs to, what its job holds (root, Dockerfile,
//! Terraform module), which specs build a Dockerfile. Asked in one place, they cannot disagree.
//!
//! Architecture Invariant: every read of a job's files goes through `files`; every path a caller
//! hands in is made absolute and canonical here (a job reached through a symbolic link is the
//! same job), and nothing below follows a link on its own.

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

/// A file system and the folders its caller works in.
public struct Workspace: Sendable {
  public var files: any FileSystem
  /// The folders the caller names as its own: the current folder for `check` and `run` (or
  /// `run --root`), the workspace folders for the server. A spec with no `.git` folder above it
  /// belongs to the deepest of them that holds it, else to its own folder.
  public private(set) var roots: [String]

  public init(files: any FileSystem, roots: [String]) {
    self.files = files
    self.roots = roots.map { files.canonical(Paths.absolute($0, relativeTo: "/")) }
  }

  /// `path` made absolute against `base` and canonical: `.` and `..` resolved, symbolic links
  /// followed (on the disk), so that a job reached through a link is the same job.
  public func canonical(_ path: String, relativeTo base: String = "/") -> String {
    files.canonical(Paths.absolute(path, relativeTo: base))
  }

  // MARK: Repositories

  /// The repository that holds `folder` (absolute, canonical): the nearest folder with `.git`;
  /// without one, the deepest root that holds it, else `folder` itself.
  public func repository(containing folder: String) -> String {
    var candidate = folder
    while true {
      if files.type(candidate + (candidate.hasSuffix("/") ? "" : "/") + ".git") != nil { return candidate }
      let parent = Paths.parent(candidate)
      if parent == candidate { break }
      candidate = parent
    }
    return roots.filter { Paths.relative(folder, to: $0) != nil }.max { $0.count < $1.count } ?? folder
  }

  // MARK: A spec's job

  /// Files listed under a root at most: a job's root is small, a mistaken root could be huge.
  public static let maximumRootFiles = 20_000

  /// Analyses the spec at `path` (absolute, canonical) against its job as found in `files`: the
  /// spec is read once, for both. The job is nil only when the spec is too large to be read.
  public func analyzeSpec(
    at path: String, source: SourceText, isJSON: Bool, settings: AnalysisSettings = AnalysisSettings()
  ) -> (analysis: FileAnalysis, job: LoadedJob?) {
    var job: LoadedJob?
    let analysis = Analyzer.analyze(
      source, kind: .spec(isJSON: isJSON), settings: settings,
      contextFor: { spec in
        job = self.job(ofSpecAt: path, spec: spec)
        return job?.context
      })
    return (analysis, job)
  }

  /// The job of the spec at `specPath` (absolute, canonical).
  public func job(ofSpecAt specPath: String, spec: JobSpec) -> LoadedJob {
    let repository = repository(containing: Paths.parent(specPath))
    let rootText = spec.root?.value ?? "."
    let root = root(of: spec, at: specPath)
    guard !rootText.hasPrefix("/"), let rootDisplay = Paths.relative(root, to: repository) else {
      return LoadedJob(context: JobContext(root: .outsideRepository(path: rootText)), repository: repository)
    }
    guard files.type(root) == .directory else {
      return LoadedJob(context: JobContext(root: .missing(path: rootDisplay)), repository: repository, root: root)
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
    let rootFiles = FileWalker.filesAndLinks(under: root, in: files, limit: Self.maximumRootFiles).sorted()
    let context = JobContext(
      root: .found(path: rootDisplay, contents: rootFiles), dockerfile: dockerfileLookup,
      terraformFiles: terraformFiles)
    return LoadedJob(context: context, repository: repository, root: root, dockerfile: dockerfileFound)
  }

  /// The job's root folder (absolute, canonical) for the spec at `specPath`.
  public func root(of spec: JobSpec, at specPath: String) -> String {
    canonical(spec.root?.value ?? ".", relativeTo: Paths.parent(specPath))
  }

  /// The Dockerfile (absolute) the spec at `specPath` builds, nil for a prebuilt image; whether
  /// it exists or stays in the repository is `job(ofSpecAt:spec:)`'s business.
  public func dockerfile(of spec: JobSpec, at specPath: String) -> String? {
    spec.dockerfilePath.map { Paths.absolute($0, relativeTo: root(of: spec, at: specPath)) }
  }

  // MARK: A Dockerfile's users

  /// The specs in the folder of a Dockerfile (`check Dockerfile` alone, or a Dockerfile opened
  /// before the server's index is ready).
  public func neighbourSpecs(of dockerfilePath: String) -> [String] {
    let folder = Paths.parent(dockerfilePath)
    return (files.entries(folder) ?? []).sorted().compactMap { name in
      guard FileKind.of(fileName: name)?.isSpec == true else { return nil }
      return folder + "/" + name
    }
  }

  /// The spec at `path` as read for the question "which Dockerfile does it build", or nil when it
  /// is not a readable spec of analysable size.
  public func readSpec(at path: String) -> JobSpec? {
    files.contents(path).flatMap { readSpec(at: path, bytes: $0) }
  }

  /// The spec named `path` whose content is `bytes`, read as `readSpec(at:)` reads it.
  public func readSpec(at path: String, bytes: [UInt8]) -> JobSpec? {
    guard case .spec(let isJSON) = FileKind.of(fileName: Paths.name(path)) else { return nil }
    let source = SourceText(bytes: bytes)
    guard FileKind.spec(isJSON: isJSON).admits(source) else { return nil }
    return SpecReader.read(source, isJSON: isJSON).0
  }

  /// What the specs among `candidates` that build the Dockerfile at `path` say of it: the specs,
  /// their paths, and the first one's job (its root and Terraform module). `build` answers which
  /// spec builds which Dockerfile (the server remembers it; by default the spec is read).
  public func users(
    ofDockerfile path: String, among candidates: [String],
    build: ((String) -> (spec: JobSpec, dockerfile: String)?)? = nil
  ) -> (users: DockerfileUsers?, specPaths: [String], firstJob: LoadedJob?) {
    var specs: [JobSpec] = []
    var specPaths: [String] = []
    var firstJob: LoadedJob?
    for specPath in candidates {
      let built: (spec: JobSpec, dockerfile: String)?
      if let build {
        built = build(specPath)
      } else {
        built = readSpec(at: specPath).flatMap { spec in dockerfile(of: spec, at: specPath).map { (spec, $0) } }
      }
      guard let (spec, dockerfile) = built, dockerfile == path else { continue }
      let job = job(ofSpecAt: specPath, spec: spec)
      guard job.dockerfile == path else { continue }
      specs.append(spec)
      specPaths.append(specPath)
      if firstJob == nil { firstJob = job }
    }
    guard !specs.isEmpty else { return (nil, [], nil) }
    return (DockerfileUsers(specs: specs, terraform: firstJob?.context.terraformModule), specPaths, firstJob)
  }
}
