import Foundation
import LifecycleAnalysis
import LifecycleWorkspace

/// A file `check` will read, with the path to show for it.
struct DiscoveredFile: Equatable {
  var path: String
  var kind: FileKind
}

/// Why a path given on the command line cannot be checked.
struct InputError: Error, CustomStringConvertible {
  var description: String
}

/// Finds the spec files, Dockerfiles and output files under the paths given to `check`.
enum FileDiscovery {
  static func files(under paths: [String]) throws -> [DiscoveredFile] {
    var found: [DiscoveredFile] = []
    let manager = FileManager.default
    for path in paths {
      var isDirectory: ObjCBool = false
      guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw InputError(description: "\(path): no such file or directory")
      }
      if !isDirectory.boolValue {
        let name = (path as NSString).lastPathComponent
        guard let kind = FileKind.of(fileName: name) ?? explicitKind(of: name) else {
          throw InputError(
            description:
              "\(path): not a job spec (lifecycle-job.yaml), Dockerfile or output file (qovery-output.json)")
        }
        found.append(DiscoveredFile(path: path, kind: kind))
        continue
      }
      let before = found.count
      for file in FileWalker.regularFiles(under: path, in: DiskFileSystem()) {
        guard let kind = FileKind.of(fileName: (file as NSString).lastPathComponent) else { continue }
        found.append(
          DiscoveredFile(
            path: path == "." ? file : (path.hasSuffix("/") ? path + file : path + "/" + file), kind: kind))
      }
      if found.count == before {
        throw InputError(
          description:
            "\(path): no job spec (lifecycle-job.yaml), Dockerfile or qovery-output.json found in this folder"
        )
      }
    }
    return found
  }

  /// A kind for a file named on the command line whose name is not a standard one.
  static func explicitKind(of name: String) -> FileKind? {
    let lowered = name.lowercased()
    if lowered.hasSuffix(".yaml") || lowered.hasSuffix(".yml") { return .spec(isJSON: false) }
    if lowered.hasSuffix(".json") { return .outputFile }
    return nil
  }
}
