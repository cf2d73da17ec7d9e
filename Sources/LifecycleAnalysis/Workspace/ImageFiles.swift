import LifecycleSyntax

/// The files a Dockerfile copies from the job's root into the image (COPY and ADD without
/// `--from`), and the final WORKDIR: enough to tell whether a script an event names is there.
///
/// Anything it cannot follow (a source from another stage or a URL, a variable in a path, an
/// archive ADD extracts, a source the root listing does not show: a folder the walk skips, a
/// symbolic link, a build output) makes the folders involved *opaque*: lookups there answer
/// "unknown", never "missing". A file is missing only from a folder a folder copy or a glob
/// filled, outside the system folders where base images keep their files, and when no RUN may
/// have created it.
public struct ImageFiles: Equatable, Sendable {
  /// Absolute paths of the files copied from the root.
  public private(set) var files: Set<String> = []
  /// Folders that received files from the root: a missing file there is surely missing.
  public private(set) var populatedFolders: Set<String> = []
  /// Folders whose contents we cannot know.
  public private(set) var opaqueFolders: Set<String> = []
  /// The working directory the container starts in.
  public private(set) var workdir = "/"
  /// Folders the image's `ENV PATH` lists.
  public private(set) var pathFolders: [String] = []
  /// For each file copied from the root, its path relative to the root.
  public private(set) var rootFileByImagePath: [String: String] = [:]
  /// The RUN instructions of the stage, where they ran: what they create is unknown.
  private var runs: [Run] = []

  struct Run: Equatable, Sendable {
    var workdir: String
    var text: String
    var script: ShellScript
  }

  /// Folders where base images keep their own files: a COPY there says nothing of the rest.
  static let systemFolders = [
    "/bin", "/sbin", "/lib", "/lib64", "/usr", "/etc", "/opt", "/var", "/home", "/root", "/srv", "/tmp",
    "/run", "/mnt", "/media", "/docker-entrypoint.d", "/docker-entrypoint-initdb.d",
  ]

  /// Commands that create files where their arguments say (besides any redirection to a file).
  static let fileCreatingCommands: Set<String> = [
    "cp", "mv", "ln", "install", "rsync", "tar", "unzip", "gunzip", "bsdtar", "7z", "git", "curl", "wget",
    "tee", "touch", "make", "go", "npm", "yarn", "pnpm", "pip", "pip3", "python", "python3", "terraform",
  ]

  /// Suffixes of the local archives ADD extracts.
  static let archiveSuffixes = [
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz", ".tar.zst", ".tzst",
    ".gz", ".bz2", ".xz", ".zst",
  ]

  public enum Lookup: Equatable, Sendable {
    case present
    /// Missing from a folder the Dockerfile populated: the folder and the files it holds.
    case missing(folder: String, siblings: [String])
    case unknown
  }

  public init(dockerfile: Dockerfile, target: String?, rootFiles: [String]) {
    for instruction in dockerfile.stage(named: target) {
      switch instruction.name {
      case "workdir":
        if let path = instruction.values.first, !path.contains("$") {
          workdir = Self.resolve(path, from: workdir)
        }
      case "env":
        for index in stride(from: 0, to: instruction.values.count - 1, by: 3)
        where instruction.values[index] == "PATH" {
          pathFolders = instruction.values[index + 1].split(separator: ":").map(String.init).filter {
            $0.hasPrefix("/")
          }
        }
      case "copy", "add":
        copy(instruction, rootFiles: rootFiles)
      case "run":
        let text: String
        switch instruction.form {
        case .shell(let script?): text = script.value
        case .exec(let words): text = words.map(\.value).joined(separator: " ")
        default: text = instruction.arguments.value
        }
        for text in [text] + instruction.heredocs.map(\.body.value) {
          runs.append(Run(workdir: workdir, text: text, script: ShellScript(text)))
        }
      default: break
      }
    }
  }

  mutating func copy(_ instruction: DockerInstruction, rootFiles: [String]) {
    var values = instruction.values
    guard values.count >= 2 else { return }
    let destinationText = values.removeLast()
    let destination = Self.resolve(destinationText, from: workdir)
    let fromElsewhere =
      instruction.flags.contains { $0.name == "from" } || !instruction.heredocs.isEmpty
      || values.contains { $0.contains("://") || $0.contains("$") } || destinationText.contains("$")
    let extracts =
      instruction.name == "add"
      && values.contains { source in Self.archiveSuffixes.contains { source.lowercased().hasSuffix($0) } }
    if fromElsewhere || extracts {
      opaqueFolders.insert(destination)
      return
    }
    let intoFolder =
      values.count > 1 || destinationText.hasSuffix("/") || destinationText == "." || destinationText == "./"
    for source in values {
      let pattern = Self.normalized(source)
      let isFolder = pattern.isEmpty || rootFiles.contains { $0.hasPrefix(pattern + "/") }
      if isFolder {
        populatedFolders.insert(destination)
        for file in rootFiles where pattern.isEmpty || file.hasPrefix(pattern + "/") {
          let relative = pattern.isEmpty ? file : String(file.dropFirst(pattern.count + 1))
          add(Self.join(destination, relative), from: file)
        }
        continue
      }
      let isGlob = pattern.contains("*") || pattern.contains("?")
      let matches = rootFiles.filter { Self.matches($0, pattern: pattern) }
      guard !matches.isEmpty else {
        // Not in the listing: a skipped folder (`dist/`, `vendor/`), a symbolic link, a build output.
        opaqueFolders.insert(intoFolder || isGlob ? destination : Self.parent(destination))
        continue
      }
      for file in matches {
        let name = file.split(separator: "/").last.map(String.init) ?? file
        add(
          intoFolder || matches.count > 1 || isGlob ? Self.join(destination, name) : destination, from: file,
          fillsFolders: isGlob)
      }
      if isGlob { populatedFolders.insert(destination) }
    }
  }

  /// Records a copied file; a folder copy or a glob also says the folders on the way hold what
  /// the root gave them.
  mutating func add(_ path: String, from rootFile: String, fillsFolders: Bool = true) {
    files.insert(path)
    rootFileByImagePath[path] = rootFile
    guard fillsFolders else { return }
    var folder = Self.parent(path)
    while folder != "/" {
      populatedFolders.insert(folder)
      folder = Self.parent(folder)
    }
  }

  /// True when a RUN may have created `path` (absolute): it names the file, or it creates files
  /// (a command that does, a redirection to a file) and names the folder or runs in it.
  func mayBeCreatedByRun(_ path: String) -> Bool {
    let folder = Self.parent(path)
    let name = path.split(separator: "/").last.map(String.init) ?? path
    return runs.contains { run in
      if run.text.contains(name) { return true }
      let creates = run.script.commands.contains { command in
        Self.fileCreatingCommands.contains(command.name ?? "")
          || command.redirections.contains(where: \.writesFile)
      }
      return creates && (run.workdir == folder || run.text.contains(folder))
    }
  }

  /// Where `path` (absolute, or relative to the working directory) stands.
  public func lookup(_ path: String) -> Lookup {
    let absolute = Self.resolve(path, from: workdir)
    if files.contains(absolute) { return .present }
    let folder = Self.parent(absolute)
    if opaqueFolders.contains(where: { absolute.hasPrefix($0 == "/" ? "/" : $0 + "/") || $0 == folder }) {
      return .unknown
    }
    guard populatedFolders.contains(folder),
      !Self.systemFolders.contains(where: { folder == $0 || folder.hasPrefix($0 + "/") }), folder != "/",
      !mayBeCreatedByRun(absolute)
    else { return .unknown }
    let siblings = files.filter { Self.parent($0) == folder }.map {
      String($0.dropFirst(folder == "/" ? 1 : folder.count + 1))
    }
    return .missing(folder: folder, siblings: siblings.sorted())
  }

  /// The root file (relative to the root) copied to `path` (absolute, or relative to the
  /// working directory), when one was.
  public func rootFile(for path: String) -> String? {
    rootFileByImagePath[Self.resolve(path, from: workdir)]
  }

  /// A command name without a slash, found through `PATH`.
  public func lookupCommand(_ name: String) -> Lookup {
    for folder in pathFolders where files.contains(Self.join(folder, name)) { return .present }
    return .unknown
  }

  static func normalized(_ path: String) -> String {
    var parts: [Substring] = []
    for part in path.split(separator: "/") where part != "." && !part.isEmpty {
      if part == "..", !parts.isEmpty { parts.removeLast() } else if part != ".." { parts.append(part) }
    }
    return parts.joined(separator: "/")
  }

  static func resolve(_ path: String, from folder: String) -> String {
    "/" + normalized(path.hasPrefix("/") ? path : folder + "/" + path)
  }

  static func join(_ folder: String, _ name: String) -> String { resolve(name, from: folder) }

  static func parent(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
    return String(path[..<slash])
  }

  /// Shell-style matching of `*` and `?` within one path component.
  static func matches(_ file: String, pattern: String) -> Bool {
    guard pattern.contains("*") || pattern.contains("?") else { return file == pattern }
    let fileParts = file.split(separator: "/")
    let patternParts = pattern.split(separator: "/")
    guard fileParts.count == patternParts.count else { return false }
    return zip(fileParts, patternParts).allSatisfy { glob(Array($0), Array($1)) }
  }

  static func glob(_ text: [Character], _ pattern: [Character]) -> Bool {
    var t = 0
    var p = 0
    var star: Int?
    var mark = 0
    while t < text.count {
      if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
        t += 1
        p += 1
      } else if p < pattern.count, pattern[p] == "*" {
        star = p
        mark = t
        p += 1
      } else if let star {
        p = star + 1
        mark += 1
        t = mark
      } else {
        return false
      }
    }
    while p < pattern.count, pattern[p] == "*" { p += 1 }
    return p == pattern.count
  }
}
