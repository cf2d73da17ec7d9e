import Dispatch
import LifecycleAnalysis
import LifecycleSyntax
import LifecycleWorkspace

/// One document analysed with what the workspace says of its job.
struct AnalysedDocument {
  var uri: String
  var path: String?
  var version: Int?
  var input: FeatureInput
  /// For a spec: its job as read.
  var job: LoadedJob?
  /// For a Dockerfile: the specs that build it, and the first one's job (for its root).
  var userSpecs: [String] = []
  var userJob: LoadedJob?

  /// What this analysis read, kept after the analysis itself is evicted from the cache.
  var dependencies: Dependencies {
    var dependencies = Dependencies(path: path, isDockerfile: input.kind == .dockerfile)
    dependencies.root = job?.root ?? userJob?.root
    dependencies.dockerfile = job?.dockerfile
    dependencies.userSpecs = userSpecs
    return dependencies
  }
}

/// The files an open document's analysis read: enough to tell, without analysing it again,
/// whether a change elsewhere concerns it.
struct Dependencies {
  var path: String?
  var isDockerfile: Bool
  /// The job's root (a spec's own, or for a Dockerfile the root of the first spec building it).
  var root: String?
  /// A spec's Dockerfile.
  var dockerfile: String?
  /// For a Dockerfile: the specs that build it.
  var userSpecs: [String] = []

  /// True when a change to `changed` can change the analysis; `builds` is the Dockerfile a
  /// changed spec now builds.
  func dependsOn(_ changed: String, builds: String?) -> Bool {
    if changed == path || changed == dockerfile { return true }
    if let root, Paths.relative(changed, to: root) != nil { return true }
    return isDockerfile && (userSpecs.contains(changed) || (builds != nil && builds == path))
  }
}

/// The server's view of the workspace: its folders, the specs found in them, and the disk under
/// the open buffers.
struct ServerWorkspace {
  /// Workspace folders (absolute paths).
  var roots: [String] = []
  /// Spec files found by the background scan (absolute paths), nil until it finishes.
  var indexedSpecs: Set<String>?
  var disk: any FileSystem
  /// Bumped on every change of a document or a file: cached analyses older than it are stale.
  var generation = 0
  private var cache: [String: (generation: Int, used: Int, analysis: AnalysedDocument)] = [:]
  /// Each spec read for `build(ofSpecAt:)`: its bytes, and the spec with the Dockerfile it builds.
  private var builds: [String: (bytes: [UInt8], build: (spec: JobSpec, dockerfile: String)?)] = [:]
  /// What each document's latest analysis read, by URI.
  private(set) var dependencies: [String: Dependencies] = [:]
  /// A clock for the cache's least-recently-used eviction.
  private var uses = 0
  /// Analyses kept at most: enough for the documents a person works on; a thousand open files
  /// must not mean a thousand analyses in memory.
  static let cachedAnalyses = 48

  init(disk: any FileSystem) {
    self.disk = disk
  }

  /// The most files the background scan looks at.
  static let maximumIndexedFiles = 200_000

  /// Starts the background scan for specs; its result arrives as `.indexed`.
  func startIndexing(inbox: Inbox) {
    let roots = roots
    let disk = disk
    DispatchQueue(label: "lifecycle-job.index").async {
      var specs: [String] = []
      for root in roots {
        for file in FileWalker.regularFiles(under: root, in: disk, limit: Self.maximumIndexedFiles)
        where FileKind.of(fileName: Paths.name(file))?.isSpec == true {
          specs.append(root + "/" + file)
        }
      }
      inbox.post(.indexed(roots: roots, specs: specs))
    }
  }

  /// The repository to assume for a file with no `.git` above it: the workspace folder holding it.
  func fallbackRepository(for path: String) -> String {
    roots.filter { Paths.relative(path, to: $0) != nil }.max { $0.count < $1.count } ?? Paths.parent(path)
  }

  mutating func invalidate() {
    generation += 1
  }

  /// The cached analysis of `uri`, when nothing changed since it was made.
  mutating func cachedAnalysis(_ uri: String) -> AnalysedDocument? {
    guard let cached = cache[uri], cached.generation == generation else { return nil }
    uses += 1
    cache[uri]?.used = uses
    return cached.analysis
  }

  /// Analyses a document (open, or read from disk) and caches the result until anything changes.
  mutating func analysis(
    uri: String, open: OpenDocument?, files: any FileSystem, settings: AnalysisSettings,
    outputs: (String) -> [JobOutput]
  ) -> AnalysedDocument? {
    uses += 1
    let path = open?.path ?? DocumentURI.path(uri)
    let source: SourceText
    let kind: FileKind?
    if let open {
      source = open.source
      kind = open.kind
    } else if let path, let bytes = files.contents(path) {
      source = SourceText(bytes: bytes)
      kind = FileKind.of(fileName: Paths.name(path))
    } else {
      return nil
    }
    guard let kind else { return nil }
    var result: AnalysedDocument
    switch kind {
    case .spec(let isJSON):
      var job: LoadedJob?
      let analysis: FileAnalysis
      if let path {
        (analysis, job) = JobContextLoader.analyzeSpec(
          at: path, source: source, isJSON: isJSON, files: files,
          fallbackRepository: fallbackRepository(for: path),
          settings: settings)
      } else {
        analysis = Analyzer.analyze(source, kind: kind, settings: settings)
      }
      result = AnalysedDocument(
        uri: uri, path: path, version: open?.version,
        input: FeatureInput(
          source: source, kind: kind, analysis: analysis, context: job?.context,
          outputs: job.map { outputs($0.repository) } ?? []), job: job)
    case .dockerfile:
      var users: DockerfileUsers?
      var userSpecs: [String] = []
      var userJob: LoadedJob?
      if let path {
        var specs: [JobSpec] = []
        var terraform: TerraformModule?
        for specPath in candidateUsers(ofDockerfile: path, files: files) {
          guard let (spec, dockerfile) = build(ofSpecAt: specPath, files: files), dockerfile == path
          else { continue }
          let job = JobContextLoader.load(
            specPath: specPath, spec: spec, files: files,
            fallbackRepository: fallbackRepository(for: specPath))
          guard job.dockerfile == path else { continue }
          specs.append(spec)
          userSpecs.append(specPath)
          if userJob == nil {
            userJob = job
            terraform = job.context.terraformModule
          }
        }
        if !specs.isEmpty { users = DockerfileUsers(specs: specs, terraform: terraform) }
      }
      let analysis = Analyzer.analyze(source, kind: kind, settings: settings, users: users)
      result = AnalysedDocument(
        uri: uri, path: path, version: open?.version,
        input: FeatureInput(
          source: source, kind: kind, analysis: analysis, users: users,
          outputs: userJob.map { outputs($0.repository) } ?? []), userSpecs: userSpecs,
        userJob: userJob)
    case .outputFile:
      let analysis = Analyzer.analyze(source, kind: kind, settings: settings)
      result = AnalysedDocument(
        uri: uri, path: path, version: open?.version,
        input: FeatureInput(source: source, kind: kind, analysis: analysis))
    }
    cache[uri] = (generation, uses, result)
    dependencies[uri] = result.dependencies
    if cache.count > Self.cachedAnalyses {
      // Stale entries first, then the least recently used.
      let victim = cache.min {
        ($0.value.generation == generation ? 1 : 0, $0.value.used) < (
          $1.value.generation == generation ? 1 : 0, $1.value.used
        )
      }
      if let victim { cache[victim.key] = nil }
    }
    return result
  }

  /// The spec at `path`, read from `files`, and the Dockerfile it builds (nil when it builds
  /// none or cannot be read); remembered with the spec's bytes, so that a Dockerfile's analysis
  /// does not parse every spec of the workspace again.
  mutating func build(ofSpecAt path: String, files: any FileSystem) -> (spec: JobSpec, dockerfile: String)? {
    guard let bytes = files.contents(path) else { return nil }
    if let known = builds[path], known.bytes == bytes { return known.build }
    var build: (spec: JobSpec, dockerfile: String)?
    let source = SourceText(bytes: bytes)
    if case .spec(let isJSON) = FileKind.of(fileName: Paths.name(path)),
      FileKind.spec(isJSON: isJSON).admits(source)
    {
      let spec = SpecReader.read(source, isJSON: isJSON).0
      build = JobContextLoader.dockerfile(of: spec, at: path).map { (spec, $0) }
    }
    builds[path] = (bytes, build)
    return build
  }

  /// The specs that may build the Dockerfile at `path`: those indexed, and those beside it.
  func candidateUsers(ofDockerfile path: String, files: any FileSystem) -> [String] {
    var candidates = Set(JobContextLoader.neighbourSpecs(of: path, files: files))
    if let indexedSpecs { candidates.formUnion(indexedSpecs) }
    return candidates.sorted()
  }

  mutating func forget(_ uri: String) {
    cache[uri] = nil
    dependencies[uri] = nil
  }
}
