#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import Dispatch
import Synchronization

/// One process to start: argv, environment (exactly this, nothing inherited), folder.
public struct LaunchCommand: Equatable, Sendable {
  public var arguments: [String]
  public var environment: [String: String]
  public var workingDirectory: String?

  public init(_ arguments: [String], environment: [String: String] = [:], workingDirectory: String? = nil) {
    self.arguments = arguments
    self.environment = environment
    self.workingDirectory = workingDirectory
  }
}

/// Which of a process's streams a chunk of output came from.
public enum StandardStream: String, Equatable, Sendable {
  case stdout, stderr
}

/// How a process ended.
public struct Termination: Equatable, Sendable {
  /// The exit status, or 128 + the signal that killed it (as a shell reports it).
  public var status: Int32
  /// The largest resident memory of the whole process group, sampled while it ran, in kilobytes.
  public var peakMemoryKilobytes: Int

  public init(status: Int32, peakMemoryKilobytes: Int = 0) {
    self.status = status
    self.peakMemoryKilobytes = peakMemoryKilobytes
  }
}

/// A started process, leader of its own process group.
public protocol LaunchedProcess: Sendable {
  /// Blocks until the process has exited and its output is drained.
  func wait() -> Termination
  /// Sends `signal` to the whole process group (the job and everything it started).
  func signalGroup(_ signal: Int32)
}

/// Starts processes. Every process the runner starts goes through this protocol, so tests can
/// substitute a fake and check the exact command lines.
public protocol Launcher: Sendable {
  /// Starts `command`; its output arrives through `output`, on other threads, in order per stream.
  func launch(_ command: LaunchCommand, output: @escaping @Sendable (StandardStream, [UInt8]) -> Void) throws
    -> any LaunchedProcess
}

public struct LaunchError: Error, CustomStringConvertible, Sendable {
  public var description: String
}

/// The real launcher: `posix_spawn` into a new process group, stdin from /dev/null, stdout and
/// stderr through pipes.
public struct SpawnLauncher: Launcher {
  /// Makes this process a child subreaper: what a job leaves behind when its parent dies comes
  /// back to us, so it can be killed and reaped even where PID 1 reaps nothing.
  public init() {
    #if os(Linux)
      _ = setChildSubreaper(36 /* PR_SET_CHILD_SUBREAPER */, 1)
    #endif
  }

  public func launch(_ command: LaunchCommand, output: @escaping @Sendable (StandardStream, [UInt8]) -> Void)
    throws
    -> any LaunchedProcess
  {
    guard let executable = command.arguments.first else {
      throw LaunchError(description: "an empty command line")
    }
    var outPipe: [Int32] = [0, 0]
    var errPipe: [Int32] = [0, 0]
    guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
      throw LaunchError(description: "cannot create a pipe: \(String(cString: strerror(errno)))")
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
    posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
    for fd in [outPipe[0], outPipe[1], errPipe[0], errPipe[1]] {
      posix_spawn_file_actions_addclose(&actions, fd)
    }
    if let folder = command.workingDirectory { spawnFileActionsAddChdir(&actions, folder) }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    posix_spawnattr_setflags(
      &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    posix_spawnattr_setpgroup(&attributes, 0)
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    var defaults = sigset_t()
    sigfillset(&defaults)
    posix_spawnattr_setsigdefault(&attributes, &defaults)

    let argv = command.arguments.map { strdup($0) } + [nil]
    let envp = command.environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    var pid: pid_t = 0
    // A name without a slash is searched in the job's PATH, as a container runtime would.
    let path =
      executable.contains("/") ? executable : Self.find(executable, in: command.environment["PATH"] ?? "")
    let status = posix_spawn(&pid, path ?? executable, &actions, &attributes, argv, envp)
    close(outPipe[1])
    close(errPipe[1])
    guard status == 0 else {
      close(outPipe[0])
      close(errPipe[0])
      throw LaunchError(description: "cannot start `\(executable)`: \(String(cString: strerror(status)))")
    }
    return SpawnedProcess(pid: pid, readers: [(outPipe[0], .stdout), (errPipe[0], .stderr)], output: output)
  }

  /// The first executable `name` in the folders of `path`.
  static func find(_ name: String, in path: String) -> String? {
    for folder in path.split(separator: ":") where !folder.isEmpty {
      let candidate = "\(folder)/\(name)"
      if access(candidate, X_OK) == 0 { return candidate }
    }
    return nil
  }
}

/// A process started by `SpawnLauncher`.
final class SpawnedProcess: LaunchedProcess {
  let pid: pid_t
  private let drained = DispatchGroup()
  private let exited = Mutex<Termination?>(nil)
  /// The group's resident memory at its largest so far (kilobytes), and whether to keep sampling.
  private let sampled = Mutex((peakKilobytes: 0, running: true))

  init(
    pid: pid_t, readers: [(Int32, StandardStream)],
    output: @escaping @Sendable (StandardStream, [UInt8]) -> Void
  ) {
    self.pid = pid
    // `wait4`'s ru_maxrss would count this process's own memory (posix_spawn shares it until
    // exec) and only the descendants waited for; the group's total, sampled, is what a
    // container's memory limit sees.
    DispatchQueue(label: "lifecycle-job.memory").async { [weak self] in
      // Until `wait` says the job is over (or nobody holds the process any more).
      while let self, self.sampled.withLock({ $0.running }) {
        let now = GroupMemory.residentKilobytes(processGroup: pid)
        self.sampled.withLock { $0.peakKilobytes = max($0.peakKilobytes, now) }
        usleep(20_000)
      }
    }
    for (fd, stream) in readers {
      drained.enter()
      // A queue of its own (a thread of its own): a blocking read must not hold a worker of
      // the shared pool, which has as few threads as the machine has cores.
      DispatchQueue(label: "lifecycle-job.output").async { [drained] in
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
          let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
          if count < 0 && errno == EINTR { continue }
          if count <= 0 { break }
          output(stream, Array(buffer[0..<count]))
        }
        close(fd)
        drained.leave()
      }
    }
  }

  func wait() -> Termination {
    if let done = exited.withLock({ $0 }) { return done }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    // Whatever the job left running in its group goes with it: no process is left behind, and
    // the pipes it holds close.
    kill(-pid, SIGKILL)
    // Reap them: the orphans of the group are our children now (we are their subreaper).
    var leftover: Int32 = 0
    while waitpid(-pid, &leftover, 0) > 0 || errno == EINTR {}
    drained.wait()
    let code: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    let peak = sampled.withLock { state -> Int in
      state.running = false
      return state.peakKilobytes
    }
    let termination = Termination(status: code, peakMemoryKilobytes: peak)
    exited.withLock { $0 = termination }
    return termination
  }

  func signalGroup(_ signal: Int32) {
    kill(-pid, signal)
  }
}

/// glibc's `posix_spawn_file_actions_addchdir_np` (2.29+), which Swift's Glibc module does not
/// import: the child changes folder between fork and exec, so the parent's never changes.
@_silgen_name("posix_spawn_file_actions_addchdir_np")
private func spawnFileActionsAddChdir(
  _ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: UnsafePointer<CChar>
) -> Int32

/// `prctl`, which Swift does not import (it is variadic); called with integer arguments only.
@_silgen_name("prctl")
private func setChildSubreaper(_ option: Int32, _ value: UInt) -> Int32

/// The resident memory of a process group, from `/proc`.
enum GroupMemory {
  static let pageKilobytes = Int(sysconf(Int32(_SC_PAGESIZE))) / 1024

  /// The sum of the resident sets of the processes in `processGroup`, in kilobytes.
  static func residentKilobytes(processGroup: pid_t) -> Int {
    guard let folder = opendir("/proc") else { return 0 }
    defer { closedir(folder) }
    var total = 0
    while let entry = readdir(folder) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) {
        String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
      }
      guard let first = name.utf8.first, first >= 0x30, first <= 0x39 else { continue }
      guard let stat = contents("/proc/\(name)/stat"), let close = stat.lastIndex(of: ")") else { continue }
      // After "pid (comm)": state, ppid, pgrp, …
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      guard fields.count > 2, Int32(fields[2]) == processGroup, let statm = contents("/proc/\(name)/statm"),
        let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
      else { continue }
      total += pages * pageKilobytes
    }
    return total
  }

  private static func contents(_ path: String) -> String? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 512)
    let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : nil
  }
}
