import Foundation
import LifecycleRunner
import Synchronization

/// A launcher that starts nothing: it records every command line and answers with a scripted
/// status, output and side effect.
final class FakeLauncher: Launcher {
  struct Answer {
    var status: Int32 = 0
    var stdout = ""
    /// Run with the command before it "exits" (write an output file, …).
    var effect: (@Sendable (LaunchCommand) -> Void)?
  }

  private let recorded = Mutex<[LaunchCommand]>([])
  private let answer: @Sendable (LaunchCommand) -> Answer

  init(_ answer: @escaping @Sendable (LaunchCommand) -> Answer) {
    self.answer = answer
  }

  var commands: [LaunchCommand] { recorded.withLock { $0 } }

  func launch(_ command: LaunchCommand, output: @escaping @Sendable (StandardStream, [UInt8]) -> Void) throws
    -> any LaunchedProcess
  {
    recorded.withLock { $0.append(command) }
    let answer = answer(command)
    answer.effect?(command)
    if !answer.stdout.isEmpty { output(.stdout, Array(answer.stdout.utf8)) }
    return Finished(termination: Termination(status: answer.status))
  }

  struct Finished: LaunchedProcess {
    var termination: Termination
    func wait() -> Termination { termination }
    func signalGroup(_ signal: Int32) {}
  }
}
