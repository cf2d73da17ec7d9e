import Foundation
import LifecycleAnalysis
import LifecycleSyntax
import LifecycleWorkspace

/// A file `check` will read, with the path to show for it.
struct DiscoveredFile: Equatable {
  var path: String
  var kind: CheckedKind
}

/// What `check` reads a file as: one of the product's own kinds, or a Terraform file whose
/// `qovery_job` resources are jobs.
enum CheckedKind: Equatable {
  case file(FileKind)
  case terraform(isJSON: Bool)

  /// `.tf` or `.tf.json`.
  static func terraform(fileName: String) -> CheckedKind? {
    TerraformFileName.isJSON(fileName).map { .terraform(isJSON: $0) }
  }
}

/// A file a folder walk passed over although its name looks like one it checks, and why.
struct SkippedFile: Equatable {
  var path: String
  var reason: String
}

/// Why a path given on the command line cannot be checked.
struct InputError: Error, CustomStringConvertible {
  var description: String
}

/// Finds the spec files, Dockerfiles and output files under the paths given to `check`.
///
/// A folder walk picks files by name, and a `Dockerfile.*` also by content (`DockerfileName`); a
/// file named on the command line is checked whatever its name.
enum FileDiscovery {
  static func files(under paths: [String]) throws -> (found: [DiscoveredFile], skipped: [SkippedFile]) {
    var found: [DiscoveredFile] = []
    var skipped: [SkippedFile] = []
    let manager = FileManager.default
    let disk = DiskFileSystem()
    for path in paths {
      var isDirectory: ObjCBool = false
      guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw InputError(description: "\(path): no such file or directory")
      }
      if !isDirectory.boolValue {
        let name = (path as NSString).lastPathComponent
        found.append(
          DiscoveredFile(
            path: path, kind: CheckedKind.terraform(fileName: name) ?? .file(explicitKind(of: name))))
        continue
      }
      let before = found.count
      for file in FileWalker.regularFiles(under: path, in: disk) {
        let shown = path == "." ? file : (path.hasSuffix("/") ? path + file : path + "/" + file)
        let name = (file as NSString).lastPathComponent
        let dockerfileName = DockerfileName(fileName: name)
        if let reason = dockerfileName.skipReason {
          skipped.append(SkippedFile(path: shown, reason: reason))
          continue
        }
        if let terraform = CheckedKind.terraform(fileName: name) {
          // Only the Terraform files that declare a `qovery_job`: the others are not ours.
          if let bytes = disk.contents(shown), TerraformJobReader.mayDeclareJob(bytes),
            case .terraform(let isJSON) = terraform,
            !TerraformJobReader.read(SourceText(bytes: bytes), isJSON: isJSON).isEmpty
          {
            found.append(DiscoveredFile(path: shown, kind: terraform))
          }
          continue
        }
        guard let kind = FileKind.of(fileName: name) else { continue }
        if dockerfileName == .byContent, let bytes = disk.contents(shown),
          let reason = DockerfileName.contentProblem(bytes)
        {
          skipped.append(SkippedFile(path: shown, reason: reason))
          continue
        }
        found.append(DiscoveredFile(path: shown, kind: .file(kind)))
      }
      if found.count == before {
        throw InputError(
          description:
            "\(path): no job spec (lifecycle-job.yaml), Dockerfile or qovery-output.json found in this folder"
        )
      }
    }
    return (found, skipped)
  }

  /// The kind of a file named on the command line: by its name when that is a standard one,
  /// `.yaml`/`.yml` a spec, `.json` an output file, and anything else a Dockerfile (a name like
  /// `Dockerfile-full`, `Containerfile.debug` or `Dockerfile.template` included).
  static func explicitKind(of name: String) -> FileKind {
    if let kind = FileKind.of(fileName: name) { return kind }
    if DockerfileName(fileName: name) != .none { return .dockerfile }
    let lowered = name.lowercased()
    if lowered.hasSuffix(".yaml") || lowered.hasSuffix(".yml") { return .spec(isJSON: false) }
    if lowered.hasSuffix(".json") { return .outputFile }
    return .dockerfile
  }
}
