/// How an argument list hands a script to a shell: `["-c", "script"]` after a shell entrypoint,
/// `["/bin/sh", "-ec", "script"]`, `["bash", "-o", "pipefail", "-c", "script", "name", "arg"]`.
public struct ShellInvocation: Equatable, Sendable {
  /// The index of the first option argument (`-c`, `-ec`) in the argument list.
  public var firstOptionIndex: Int
  /// The index of the last option argument.
  public var lastOptionIndex: Int
  /// The index of the script, when there is one.
  public var scriptIndex: Int?

  /// The shells whose `-c` runs a script.
  public static let shellNames: Set<String> = ["sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"]

  /// True when `path` names a shell (`/bin/sh`, `bash`, `/usr/bin/env bash` is not handled).
  public static func isShell(_ path: String) -> Bool {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    return shellNames.contains(name)
  }

  /// The shell invocation in `arguments`, which start right after the shell's own name (the
  /// entrypoint, or the first argument when that is a shell), or nil when there is no `-c`.
  public static func find(in arguments: [String], from start: Int = 0) -> ShellInvocation? {
    var index = start
    var commandMode = false
    var lastOption = start - 1
    while index < arguments.count {
      let argument = arguments[index]
      guard argument.count > 1, argument.first == "-" || argument.first == "+", argument != "--" else {
        break
      }
      if argument.hasPrefix("--") {
        lastOption = index
        index += 1
        continue
      }
      let letters = argument.dropFirst()
      guard letters.allSatisfy({ $0.isLetter }) else { break }
      if argument.first == "-", letters.contains("c") { commandMode = true }
      lastOption = index
      index += 1
      if letters.contains("o") { index += 1 }  // `-o pipefail` takes a value.
      if letters.contains("o") { lastOption = min(index - 1, arguments.count - 1) }
    }
    if index < arguments.count, arguments[index] == "--" {
      lastOption = index
      index += 1
    }
    guard commandMode else { return nil }
    return ShellInvocation(
      firstOptionIndex: start, lastOptionIndex: lastOption, scriptIndex: index < arguments.count ? index : nil
    )
  }

  /// The invocation of an event's command line, when it runs a script with a shell: either its
  /// entrypoint is a shell, or it has none and its first argument is a shell, or it has none and
  /// its arguments start with an option (the image's ENTRYPOINT is then presumably a shell).
  public static func find(entrypoint: String?, arguments: [String]) -> ShellInvocation? {
    if let entrypoint {
      return isShell(entrypoint) ? find(in: arguments) : nil
    }
    guard let first = arguments.first else { return nil }
    if isShell(first) { return find(in: arguments, from: 1) }
    return first.hasPrefix("-") ? find(in: arguments) : nil
  }
}
