#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import Dispatch
import Synchronization

/// One process to start: argv, environment (exactly this, nothing inherited), folder, and what
/// contains it.
public struct LaunchCommand: Equatable, Sendable {
  public var arguments: [String]
  public var environment: [String: String]
  public var workingDirectory: String?
  /// A cgroup folder the process joins before it runs anything, so that what it starts stays
  /// countable and killable even when it leaves the process group (`setsid`, `set -m`).
  public var cgroup: String?
  /// Run by the watchdog if the runner dies before the process ended (`podman kill NAME`), at
  /// most 15 s; never holds a secret (it is on a command line).
  public var onRunnerDeath: [String] = []
  /// Removed by the watchdog if the runner dies before the process ended (the run's folder).
  public var folderToRemoveOnDeath: String?
  /// How long the output may stay open after the process exited (something it started holds
  /// its stdout): then the run ends anyway.
  public var outputGraceSeconds: Double = 10

  public init(
    _ arguments: [String], environment: [String: String] = [:], workingDirectory: String? = nil,
    cgroup: String? = nil
  ) {
    self.arguments = arguments
    self.environment = environment
    self.workingDirectory = workingDirectory
    self.cgroup = cgroup
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
  /// The process group's largest proportional set size, sampled while it ran, in kilobytes (0 when
  /// the process ran in a cgroup, which measures it instead).
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
/// stderr through pipes; each process watched by a watchdog that ends it if the runner dies.
///
/// The watchdog is a small `sh` whose stdin is a pipe only the runner holds: when the runner
/// ends normally it writes `done`; when it dies in any way (SIGKILL included) the pipe closes,
/// and the watchdog kills the process group, everything in the process's cgroup, runs
/// `onRunnerDeath` (`podman kill NAME`) and removes `folderToRemoveOnDeath`.
public struct SpawnLauncher: Launcher {
  public init() {}

  /// Makes this process a child subreaper: what a job leaves behind when its parent dies comes
  /// back to us, so it can be killed and reaped even where PID 1 reaps nothing. Called once by
  /// the executable that runs jobs (visible work, not hidden in an `init`).
  public static func becomeSubreaper() {
    #if os(Linux)
      _ = prctlInteger(36 /* PR_SET_CHILD_SUBREAPER */, 1)
    #endif
  }

  static let watchdogScript = """
    pg=$0 cg=$1 folder=$2; shift 2
    while IFS= read -r line; do [ "$line" = done ] && exit 0; done
    kill -KILL -- "-$pg" 2>/dev/null
    if [ -n "$cg" ]; then
      for i in 1 2 3 4 5 6 7 8 9 10; do
        p=$(cat "$cg" 2>/dev/null); [ -z "$p" ] && break
        kill -KILL $p 2>/dev/null; sleep 0.2
      done
    fi
    [ $# -gt 0 ] && timeout 15 "$@" >/dev/null 2>&1
    [ -n "$folder" ] && rm -rf -- "$folder"
    [ -n "$cg" ] && sleep 1 && rmdir "${cg%/cgroup.procs}/engine/conmon" "${cg%/cgroup.procs}/engine" "${cg%/cgroup.procs}" 2>/dev/null
    exit 0
    """

  public func launch(_ command: LaunchCommand, output: @escaping @Sendable (StandardStream, [UInt8]) -> Void)
    throws
    -> any LaunchedProcess
  {
    guard let executable = command.arguments.first else {
      throw LaunchError(description: "an empty command line")
    }
    // A name without a slash is searched in the job's PATH, as a container runtime would.
    guard
      let path = executable.contains("/")
        ? executable : Self.find(executable, in: command.environment["PATH"] ?? "")
    else {
      throw LaunchError(description: "cannot start `\(executable)`: not found in the job's PATH")
    }
    var arguments = command.arguments
    if let cgroup = command.cgroup {
      arguments =
        ["/bin/sh", "-c", "echo $$ > \"$0\" && exec \"$@\"", cgroup + "/cgroup.procs", path]
        + arguments.dropFirst()
    }
    var outPipe: [Int32] = [0, 0]
    var errPipe: [Int32] = [0, 0]
    guard pipe2(&outPipe, O_CLOEXEC) == 0 else {
      throw LaunchError(description: "cannot create a pipe: \(String(cString: strerror(errno)))")
    }
    guard pipe2(&errPipe, O_CLOEXEC) == 0 else {
      close(outPipe[0])
      close(outPipe[1])
      throw LaunchError(description: "cannot create a pipe: \(String(cString: strerror(errno)))")
    }
    let pid: pid_t
    do {
      pid = try Self.spawn(
        command.cgroup == nil ? path : "/bin/sh", arguments, environment: command.environment,
        folder: command.workingDirectory, stdin: nil, stdout: outPipe[1], stderr: errPipe[1])
    } catch {
      [outPipe[0], outPipe[1], errPipe[0], errPipe[1]].forEach { close($0) }
      throw LaunchError(description: "cannot start `\(executable)`: \(error)")
    }
    close(outPipe[1])
    close(errPipe[1])
    let watchdog = Self.startWatchdog(for: pid, command)
    return SpawnedProcess(
      pid: pid, command: command, watchdog: watchdog,
      readers: [(outPipe[0], .stdout), (errPipe[0], .stderr)],
      output: output)
  }

  /// The watchdog of `pid`: its pid and the pipe's write end, nil when it could not start (the
  /// run goes on without it).
  static func startWatchdog(for pid: pid_t, _ command: LaunchCommand) -> (pid: pid_t, pipe: Int32)? {
    var ends: [Int32] = [0, 0]
    guard pipe2(&ends, O_CLOEXEC) == 0 else { return nil }
    defer { close(ends[0]) }
    let arguments =
      [
        "/bin/sh", "-c", watchdogScript, String(pid), command.cgroup.map { $0 + "/cgroup.procs" } ?? "",
        command.folderToRemoveOnDeath ?? "",
      ] + command.onRunnerDeath
    let environment = ["PATH": command.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin"]
    guard
      let watchdog = try? spawn(
        "/bin/sh", arguments, environment: environment, folder: "/", stdin: ends[0], stdout: nil, stderr: nil)
    else {
      close(ends[1])
      return nil
    }
    return (watchdog, ends[1])
  }

  /// `posix_spawn` of `path` with `arguments` in a new process group, default signals, the
  /// given descriptors (nil: /dev/null), everything else closed on exec.
  static func spawn(
    _ path: String, _ arguments: [String], environment: [String: String], folder: String?, stdin: Int32?,
    stdout: Int32?, stderr: Int32?
  ) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for (target, source) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
      if let source {
        posix_spawn_file_actions_adddup2(&actions, source, target)
      } else {
        posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
      }
    }
    if let folder { _ = spawnFileActionsAddChdir(&actions, folder) }
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
    let argv = arguments.map { strdup($0) } + [nil]
    let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    var pid: pid_t = 0
    let status = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
    guard status == 0 else { throw LaunchError(description: String(cString: strerror(status))) }
    return pid
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
  let command: LaunchCommand
  private let watchdog: (pid: pid_t, pipe: Int32)?
  private let drained = DispatchGroup()
  private let exited = Mutex<Termination?>(nil)
  /// Set when the output must not be waited for any longer: the readers stop.
  private let stopReading = StopFlag()
  private let sampler: MemorySampler?

  init(
    pid: pid_t, command: LaunchCommand, watchdog: (pid: pid_t, pipe: Int32)?,
    readers: [(Int32, StandardStream)],
    output: @escaping @Sendable (StandardStream, [UInt8]) -> Void
  ) {
    self.pid = pid
    self.command = command
    self.watchdog = watchdog
    // With a cgroup the kernel keeps the peak; without, the group's proportional set size is
    // sampled.
    sampler = command.cgroup == nil ? MemorySampler(processGroup: pid) : nil
    // One thread reads both pipes (a thread of its own: a blocking wait must not hold a worker
    // of the shared pool). What is ready at once is read in one pass, a piece that does not end
    // a line first: a job that writes the start of a line to one stream and its end to the
    // other is seen in its order, so a secret split between them is masked.
    drained.enter()
    DispatchQueue(label: "lifecycle-job.output").async { [drained, stopReading] in
      var open = readers
      var buffer = [UInt8](repeating: 0, count: 64 * 1024)
      while !open.isEmpty && !stopReading.isSet {
        var pieces: [(StandardStream, [UInt8])] = []
        var closed: [Int32] = []
        /// Reads once from each stream that is ready within `milliseconds`.
        func readReady(_ milliseconds: Int32) {
          var pollers = open.filter { !closed.contains($0.0) }.map {
            pollfd(fd: $0.0, events: Int16(POLLIN), revents: 0)
          }
          guard poll(&pollers, nfds_t(pollers.count), milliseconds) > 0 else { return }
          for poller in pollers where poller.revents != 0 {
            let stream = open.first { $0.0 == poller.fd }!.1
            let count = buffer.withUnsafeMutableBytes { read(poller.fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 {
              closed.append(poller.fd)
            } else {
              pieces.append((stream, Array(buffer[0..<count])))
            }
          }
        }
        readReady(100)
        // A small piece (under 1 KiB: a write of its own) that does not end its line, while the
        // other stream is open: let a write that follows at once on the other stream arrive.
        // Bulk output comes in larger pieces and is never held.
        if open.count - closed.count > 1,
          pieces.contains(where: { $0.1.count < 1024 && $0.1.last != 0x0A })
        {
          usleep(2_000)
          readReady(0)
        }
        for (stream, bytes) in pieces.sorted(by: { ($0.1.last == 0x0A ? 1 : 0) < ($1.1.last == 0x0A ? 1 : 0) }
        ) {
          output(stream, bytes)
        }
        for fd in closed { close(fd) }
        open.removeAll { closed.contains($0.0) }
      }
      for (fd, _) in open { close(fd) }
      drained.leave()
    }
  }

  func wait() -> Termination {
    if let done = exited.withLock({ $0 }) { return done }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    // Whatever the job left running in its group and its cgroup goes with it: no process is
    // left behind, and the pipes it holds close.
    kill(-pid, SIGKILL)
    let escaped = command.cgroup.map { Cgroup.killAll(procs: $0 + "/cgroup.procs") } ?? []
    // Reap them: orphans are our children now (we are their subreaper); other pids are not ours.
    var leftover: Int32 = 0
    while waitpid(-pid, &leftover, 0) > 0 || errno == EINTR {}
    for other in escaped { while waitpid(other, &leftover, 0) < 0 && errno == EINTR {} }
    // Something outside our reach may still hold the output: the run ends after the grace.
    if drained.wait(timeout: .now() + command.outputGraceSeconds) == .timedOut {
      stopReading.set()
      drained.wait()
    }
    let code: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    let peak = sampler?.stop() ?? 0
    let termination = Termination(status: code, peakMemoryKilobytes: peak)
    exited.withLock { $0 = termination }
    if let watchdog {
      _ = "done\n".withCString { write(watchdog.pipe, $0, 5) }
      close(watchdog.pipe)
      var ignored: Int32 = 0
      while waitpid(watchdog.pid, &ignored, 0) < 0 && errno == EINTR {}
    }
    return termination
  }

  func signalGroup(_ signal: Int32) {
    kill(-pid, signal)
  }
}

/// A flag one thread sets and others read.
final class StopFlag: Sendable {
  private let value = Atomic<Bool>(false)
  var isSet: Bool { value.load(ordering: .relaxed) }
  func set() { value.store(true, ordering: .relaxed) }
}

/// glibc's `posix_spawn_file_actions_addchdir_np` (2.29+), which Swift's Glibc module does not
/// import: the child changes folder between fork and exec, so the parent's never changes.
@_silgen_name("posix_spawn_file_actions_addchdir_np")
private func spawnFileActionsAddChdir(
  _ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: UnsafePointer<CChar>
) -> Int32

/// `pipe2`, which Swift's Glibc module does not import: both ends close on exec, so a process
/// started meanwhile never inherits another's pipe.
@_silgen_name("pipe2")
func pipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32

/// `prctl`, which Swift does not import (it is variadic); called with integer arguments only.
@_silgen_name("prctl")
private func prctlInteger(_ option: Int32, _ value: UInt) -> Int32
