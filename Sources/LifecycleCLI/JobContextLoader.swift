import Foundation
import LifecycleAnalysis
import LifecycleSyntax

/// Reads from disk what the checks of a spec need of its job's other files.
enum JobContextLoader {
  /// Files listed under a root at most: a job's root is small, a mistaken root could be huge.
  static let maximumRootFiles = 20_000

  /// The spec's context, and the Dockerfile's absolute path when it was found.
  static func load(specPath: String, spec: JobSpec) -> (JobContext, dockerfile: String?) {
    let specFolder = URL(fileURLWithPath: specPath).standardizedFileURL.deletingLastPathComponent()
    let repository = repositoryRoot(containing: specFolder)
    let rootText = spec.root?.value ?? "."
    let root = URL(fileURLWithPath: rootText, relativeTo: specFolder).standardizedFileURL
    let rootDisplay = relative(root, to: repository) ?? rootText
    guard !rootText.hasPrefix("/"), relative(root, to: repository) != nil else {
      return (JobContext(root: .outsideRepository(path: rootText)), nil)
    }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue
    else {
      return (JobContext(root: .missing(path: rootDisplay)), nil)
    }
    var dockerfileLookup = FileLookup<SourceText>.unknown
    var dockerfileFound: String?
    if let dockerfilePath = spec.dockerfilePath {
      let dockerfile = URL(fileURLWithPath: dockerfilePath, relativeTo: root).standardizedFileURL
      let display = relative(dockerfile, to: repository) ?? dockerfilePath
      if relative(dockerfile, to: repository) == nil {
        dockerfileLookup = .outsideRepository(path: dockerfilePath)
      } else if let data = FileManager.default.contents(atPath: dockerfile.path) {
        dockerfileLookup = .found(path: display, contents: SourceText(bytes: [UInt8](data)))
        dockerfileFound = dockerfile.path
      } else {
        dockerfileLookup = .missing(path: display)
      }
    }
    var terraformFiles: [String: SourceText] = [:]
    let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
    for name in names
    where name.hasSuffix(".tf") || name == "terraform.tfvars" || name.hasSuffix(".auto.tfvars") {
      if let data = FileManager.default.contents(atPath: root.appendingPathComponent(name).path) {
        terraformFiles[name] = SourceText(bytes: [UInt8](data))
      }
    }
    let rootFiles = FileDiscovery.regularFiles(under: root.path, limit: maximumRootFiles).sorted()
    let context = JobContext(
      root: .found(path: rootDisplay, contents: rootFiles), dockerfile: dockerfileLookup,
      terraformFiles: terraformFiles)
    return (context, dockerfileFound)
  }

  /// The specs next to a Dockerfile that no checked spec claimed (`check Dockerfile` alone).
  static func neighbourSpecs(of dockerfilePath: String) -> [(path: String, source: SourceText, isJSON: Bool)]
  {
    let folder = URL(fileURLWithPath: dockerfilePath).deletingLastPathComponent()
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.sorted().compactMap { name in
      guard case .spec(let isJSON) = FileKind.of(fileName: name),
        let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path)
      else { return nil }
      return (folder.appendingPathComponent(name).path, SourceText(bytes: [UInt8](data)), isJSON)
    }
  }

  /// The nearest folder holding `.git`; without one, the current folder when it contains
  /// `folder`, else `folder` itself.
  static func repositoryRoot(containing folder: URL) -> URL {
    var candidate = folder
    while true {
      if FileManager.default.fileExists(atPath: candidate.appendingPathComponent(".git").path) {
        return candidate
      }
      let parent = candidate.deletingLastPathComponent()
      if parent.path == candidate.path { break }
      candidate = parent
    }
    let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL
    return relative(folder, to: current) != nil ? current : folder
  }

  /// `url` relative to `base` ("." for `base` itself), or nil when it lies outside.
  static func relative(_ url: URL, to base: URL) -> String? {
    let path = url.standardizedFileURL.path
    let basePath = base.standardizedFileURL.path
    if path == basePath { return "." }
    let prefix = basePath.hasSuffix("/") ? basePath : basePath + "/"
    return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : nil
  }
}
