import Dispatch
import LifecycleAnalysis
import LifecycleSyntax
import LifecycleWorkspace

//! The server's view of the workspace: its folders, the specs found in them, the analyses of the
//! documents asked about, and what each read, so that a change drops exactly the analyses that
//! read the changed file. Every question about a job's files goes to `LifecycleWorkspace.Workspace`,
//! as `check` and the runner ask it.

/// One document analysed with what the workspace says of its job.
struct AnalysedDocument: Sendable {
  var uri: String
  var path: String?
  var version: Int?
  var input: FeatureInput
  /// For a spec: its job as read.
  var job: LoadedJob?
  /// For a Dockerfile: the specs that build it, and the first one's job (for its root).
  var userSpecs: [String] = []
  var userJob: LoadedJob?
  /// Which Dockerfile each spec read for this analysis builds, with the spec's bytes.
  var learnedBuilds: [String: (bytes: [UInt8], build: (spec: JobSpec, dockerfile: String)?)] = [:]

  /// What this analysis read, kept after the analysis itself is evicted from the cache.
  var dependencies: AnalysisDependencies {
    switch (input.kind, path) {
    case (.spec, let path?): return AnalysisDependencies(spec: path, job: job)
    case (.dockerfile, let path?):
      return AnalysisDependencies(dockerfile: path, userSpecs: userSpecs, firstJob: userJob)
    default: return AnalysisDependencies(path: path, isDockerfile: input.kind == .dockerfile)
    }
  }
}

/// The state of the workspace an analysis of one document was made from.
struct AnalysisStamp: Equatable, Sendable {
  var epoch: Int
  var changes: Int
}

/// The server's view of the workspace: its folders, the specs found in them, and the disk under
/// the open buffers.
struct ServerWorkspace: Sendable {
  /// Workspace folders (absolute, canonical paths).
  var roots: [String] = []
  /// Spec files found by the background scan (absolute paths), nil until it finishes.
  var indexedSpecs: Set<String>?
  var disk: any FileSystem
  private var cache: [String: (used: Int, analysis: AnalysedDocument)] = [:]
  /// Each spec read for `build(ofSpecAt:)`: its bytes, and the spec with the Dockerfile it builds.
  private var builds: [String: (bytes: [UInt8], build: (spec: JobSpec, dockerfile: String)?)] = [:]
  /// What each document's latest analysis read, by URI.
  private(set) var dependencies: [String: AnalysisDependencies] = [:]
  /// A clock for the cache's least-recently-used eviction.
  private var uses = 0
  /// Analyses dropped from the cache, to be released off the loop (the model of a 2 MB
  /// Dockerfile takes milliseconds to free): `takeRetired()`.
  private var retired: [AnalysedDocument] = []
  /// Moved by every change that drops all analyses, and per document by each that drops its own.
  private var epoch = 0
  private var changes: [String: Int] = [:]
  /// Analyses kept at most: enough for the documents a person works on; a thousand open files
  /// must not mean a thousand analyses in memory.
  static let cachedAnalyses = 48

  init(disk: any FileSystem) {
    self.disk = disk
  }

  /// The most files the background scan looks at.
  static let maximumIndexedFiles = 200_000

  /// The workspace folders given by the client, made canonical.
  mutating func setRoots(_ folders: [String]) {
    roots = Workspace(files: disk, roots: folders).roots
  }

  /// The one front door to the job's files, over `files` (the disk under the open buffers).
  func workspace(_ files: any FileSystem) -> Workspace { Workspace(files: files, roots: roots) }

  /// A path the client names, made canonical (a file reached through a link is the same file).
  func canonical(_ path: String) -> String { disk.canonical(Paths.absolute(path, relativeTo: "/")) }

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

  /// Drops every cached analysis (the settings, the folders or the index changed).
  mutating func invalidate() {
    retired += cache.values.map(\.analysis)
    cache.removeAll()
    epoch &+= 1
  }

  /// Drops the cached analyses that read `path` (and, for a spec that now builds `builds`, that
  /// Dockerfile's): a keystroke in one spec leaves the others' analyses alone.
  mutating func invalidate(_ path: String, builds: String?) {
    for (uri, read) in dependencies where read.dependsOn(path, builds: builds) {
      retire(uri)
      changes[uri, default: 0] &+= 1
    }
  }

  /// The cached analysis of `uri`, when nothing it read changed since it was made.
  mutating func cachedAnalysis(_ uri: String) -> AnalysedDocument? {
    guard let cached = cache[uri] else { return nil }
    uses += 1
    cache[uri]?.used = uses
    return cached.analysis
  }

  /// Analyses a document (open, or read from disk) and caches the result until a file it read
  /// changes.
  mutating func analysis(
    uri: String, open: OpenDocument?, files: any FileSystem, settings: AnalysisSettings,
    outputs: (String) -> [JobOutput]
  ) -> AnalysedDocument? {
    let result = compute(uri: uri, open: open, files: files, settings: settings, outputs: outputs)
    if let result { store(result) }
    return result
  }

  /// Keeps an analysis made from this workspace's state (on the loop, or in the background from
  /// a copy whose stamp is still `stamp(uri)`), with the builds it learned.
  mutating func store(_ result: AnalysedDocument) {
    uses += 1
    builds.merge(result.learnedBuilds) { _, learned in learned }
    cache[result.uri] = (uses, result)
    dependencies[result.uri] = result.dependencies
    if cache.count > Self.cachedAnalyses, let victim = cache.min(by: { $0.value.used < $1.value.used }) {
      retire(victim.key)
    }
  }

  /// Which state of the workspace an analysis of `uri` was made from: a change that could alter
  /// it moves the stamp, so a background analysis that comes back with an older one is stale.
  func stamp(_ uri: String) -> AnalysisStamp { AnalysisStamp(epoch: epoch, changes: changes[uri] ?? 0) }

  /// The analysis of a document from this workspace's state, without keeping it (pure, so it can
  /// run on a copy off the loop).
  func compute(
    uri: String, open: OpenDocument?, files: any FileSystem, settings: AnalysisSettings,
    outputs: (String) -> [JobOutput]
  ) -> AnalysedDocument? {
    var learned: [String: (bytes: [UInt8], build: (spec: JobSpec, dockerfile: String)?)] = [:]
    let path = open?.path ?? DocumentURI.path(uri).map(canonical)
    let source: SourceText
    let kind: FileKind?
    if let open {
      source = open.source
      // A `Dockerfile.*` is one by its content, which an edit may change: decided here, off the
      // loop, where it is read anyway, rather than on every keystroke.
      if let path, DockerfileName(fileName: Paths.name(path)) == .byContent {
        kind = FileKind.of(fileName: Paths.name(path), contents: source.bytes)
      } else {
        kind = open.kind
      }
    } else if let path, let bytes = files.contents(path) {
      source = SourceText(bytes: bytes)
      kind = FileKind.of(fileName: Paths.name(path), contents: bytes)
    } else {
      return nil
    }
    guard let kind else { return nil }
    let workspace = workspace(files)
    var result: AnalysedDocument
    switch kind {
    case .spec(let isJSON):
      var job: LoadedJob?
      let analysis: FileAnalysis
      if let path {
        (analysis, job) = workspace.analyzeSpec(at: path, source: source, isJSON: isJSON, settings: settings)
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
        let candidates = candidateUsers(ofDockerfile: path, in: workspace)
        var built: [String: (spec: JobSpec, dockerfile: String)] = [:]
        for candidate in candidates {
          guard let bytes = files.contents(candidate) else { continue }
          let build = build(ofSpecAt: candidate, bytes: bytes, in: workspace)
          learned[candidate] = (bytes, build)
          built[candidate] = build
        }
        (users, userSpecs, userJob) = workspace.users(
          ofDockerfile: path, among: candidates, build: { built[$0] })
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
    result.learnedBuilds = learned
    return result
  }

  /// The spec at `path` and the Dockerfile it builds (nil when it builds none or cannot be read),
  /// remembered with the spec's bytes, so that a Dockerfile's analysis does not parse every spec
  /// of the workspace again.
  /// The file is read once, by the caller, for the memo's comparison and the reading both.
  func build(ofSpecAt path: String, bytes: [UInt8], in workspace: Workspace) -> (spec: JobSpec, dockerfile: String)? {
    if let known = builds[path], known.bytes == bytes { return known.build }
    return workspace.readSpec(at: path, bytes: bytes).flatMap { spec in
      workspace.dockerfile(of: spec, at: path).map { (spec, $0) }
    }
  }

  /// `build(ofSpecAt:bytes:in:)` for the spec as `files` holds it, remembered.
  mutating func rememberBuild(ofSpecAt path: String, files: any FileSystem) -> (spec: JobSpec, dockerfile: String)? {
    guard let bytes = files.contents(path) else { return nil }
    let build = build(ofSpecAt: path, bytes: bytes, in: workspace(files))
    builds[path] = (bytes, build)
    return build
  }

  /// The specs that may build the Dockerfile at `path`: those indexed, and those beside it.
  func candidateUsers(ofDockerfile path: String, in workspace: Workspace) -> [String] {
    var candidates = Set(workspace.neighbourSpecs(of: path))
    if let indexedSpecs { candidates.formUnion(indexedSpecs) }
    return candidates.sorted()
  }

  private mutating func retire(_ uri: String) {
    if let entry = cache.removeValue(forKey: uri) { retired.append(entry.analysis) }
  }

  /// The analyses dropped since the last call, for the caller to release where it likes.
  mutating func takeRetired() -> [AnalysedDocument] {
    defer { retired = [] }
    return retired
  }

  mutating func forget(_ uri: String) {
    retire(uri)
    dependencies[uri] = nil
    changes[uri, default: 0] &+= 1
  }
}
