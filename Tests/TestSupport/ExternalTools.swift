import Foundation

/// Partners outside Swift (Python oracles, hadolint, editors). A test that needs one may be skipped
/// on a developer's machine where it is missing, but never in CI (`CI=true`): there it must run
/// or fail.
public enum ExternalTools {
  public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

  /// Runs `command` through `/bin/sh -c` in the repository and returns its status and output
  /// (standard error included).
  public static func shell(_ command: String, in directory: URL = Fixtures.repository) throws -> (
    status: Int32, output: String
  ) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command + " 2>&1"]
    process.currentDirectoryURL = directory
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  /// Runs `command` through `/bin/sh -c` in the repository and returns its status, standard
  /// output and standard error apart (the error read on a thread of its own, so neither pipe fills).
  public static func shellOutputs(_ command: String, in directory: URL = Fixtures.repository) throws -> (
    status: Int32, stdout: String, stderr: String
  ) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    process.currentDirectoryURL = directory
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    nonisolated(unsafe) var errorData = Data()
    let done = DispatchSemaphore(value: 0)
    let waiter = Thread {
      errorData = error.fileHandleForReading.readDataToEndOfFile()
      done.signal()
    }
    waiter.start()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    done.wait()
    process.waitUntilExit()
    return (
      process.terminationStatus, String(decoding: outputData, as: UTF8.self),
      String(decoding: errorData, as: UTF8.self)
    )
  }

  /// True when `probe` succeeds.
  public static func available(_ probe: String) -> Bool {
    (try? shell(probe).status) == 0
  }

  /// True when the test may run: the tool answers `probe`, or we are in CI (where a missing tool
  /// must fail the test rather than skip it). Prints why when it skips.
  public static func shouldRun(_ probe: String, missing: String) -> Bool {
    if available(probe) || isCI { return true }
    print("skipped: \(missing)")
    return false
  }
}
