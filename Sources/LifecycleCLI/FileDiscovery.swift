import Foundation
import LifecycleAnalysis

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
  /// Folders never searched: version control, build output, dependencies.
  static let skippedFolders: Set<String> = [
    ".git", ".hg", ".svn", ".build", ".swiftpm", "node_modules", ".terraform", ".venv", "venv", "__pycache__",
    ".pytest_cache", ".idea", ".vscode", "vendor", "target", "dist",
  ]

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
      walk(path, into: &found)
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

  private static func walk(_ folder: String, into found: inout [DiscoveredFile]) {
    let manager = FileManager.default
    guard let names = try? manager.contentsOfDirectory(atPath: folder) else { return }
    for name in names.sorted() {
      let path = folder == "." ? name : (folder.hasSuffix("/") ? folder + name : folder + "/" + name)
      guard let attributes = try? manager.attributesOfItem(atPath: path),
        let type = attributes[.type] as? FileAttributeType
      else { continue }
      if type == .typeDirectory {
        if !skippedFolders.contains(name), !name.hasPrefix(".build") { walk(path, into: &found) }
      } else if type == .typeRegular, let kind = FileKind.of(fileName: name) {
        found.append(DiscoveredFile(path: path, kind: kind))
      }
    }
  }
}
