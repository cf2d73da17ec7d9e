/// The files one file's analysis read: enough to tell, without analysing it again, whether a
/// change elsewhere concerns it. The server keeps one per analysis and drops exactly the
/// analyses a changed file concerns.
public struct AnalysisDependencies: Equatable, Sendable {
  /// The file analysed.
  public var path: String?
  public var isDockerfile: Bool
  /// The job's repository, whose `.lifecycle-job/` holds the outputs recorded by local runs.
  public var repository: String?
  /// The job's root (a spec's own, or for a Dockerfile the root of the first spec building it).
  public var root: String?
  /// A spec's Dockerfile.
  public var dockerfile: String?
  /// For a Dockerfile: the specs that build it.
  public var userSpecs: [String] = []

  public init(path: String?, isDockerfile: Bool) {
    self.path = path
    self.isDockerfile = isDockerfile
  }

  /// What the analysis of a spec read, given its job.
  public init(spec path: String, job: LoadedJob?) {
    self.init(path: path, isDockerfile: false)
    repository = job?.repository
    root = job?.root
    dockerfile = job?.dockerfile
  }

  /// What the analysis of a Dockerfile read, given the specs that build it and the first one's job.
  public init(dockerfile path: String, userSpecs: [String], firstJob: LoadedJob?) {
    self.init(path: path, isDockerfile: true)
    self.userSpecs = userSpecs
    repository = firstJob?.repository
    root = firstJob?.root
  }

  /// True when a change to `changed` can change the analysis; `builds` is the Dockerfile a
  /// changed spec now builds.
  public func dependsOn(_ changed: String, builds: String?) -> Bool {
    if changed == path || changed == dockerfile { return true }
    if let root, Paths.relative(changed, to: root) != nil { return true }
    if let repository, Paths.relative(changed, to: repository + "/.lifecycle-job") != nil { return true }
    return isDockerfile && (userSpecs.contains(changed) || (builds != nil && builds == path))
  }
}
