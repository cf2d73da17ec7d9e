import Foundation

/// A child process started with `posix_spawn` (Foundation's `Process` adds tens of
/// milliseconds of its own to every start, which would drown the figures measured).
final class Child {
  let pid: pid_t
  /// Its stdin and stdout, when piped.
  let input: FileHandle?
  let output: FileHandle?

  init(_ arguments: [String], pipes: Bool, stdoutToNull: Bool = true, folder: String? = nil) throws {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    var toChild: [Int32] = [-1, -1]
    var fromChild: [Int32] = [-1, -1]
    if pipes {
      guard pipe(&toChild) == 0, pipe(&fromChild) == 0 else { throw CocoaError(.fileWriteUnknown) }
      posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
      posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
      for fd in toChild + fromChild { posix_spawn_file_actions_addclose(&actions, fd) }
    } else {
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
      if stdoutToNull { posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0) }
    }
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = arguments.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var spawned: pid_t = 0
    let status = posix_spawn(&spawned, arguments[0], &actions, nil, argv, environ)
    guard status == 0 else { throw CocoaError(.executableLoad) }
    pid = spawned
    if pipes {
      close(toChild[0])
      close(fromChild[1])
      input = FileHandle(fileDescriptor: toChild[1], closeOnDealloc: true)
      output = FileHandle(fileDescriptor: fromChild[0], closeOnDealloc: true)
    } else {
      input = nil
      output = nil
    }
  }

  @discardableResult
  func wait() -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return (status >> 8) & 0xFF
  }

  func kill() {
    Foundation.kill(pid, SIGKILL)
    wait()
  }
}
