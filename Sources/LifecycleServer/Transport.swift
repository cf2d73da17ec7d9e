#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import Dispatch
import LifecycleProtocol
import Synchronization

/// What the main loop waits for.
enum LoopEvent: Sendable {
  /// A framed message body from the client, or why a header block was unusable.
  case frame(MessageFramer.Frame)
  /// The client closed its end.
  case inputClosed
  /// The background scan of the workspace finished.
  case indexed(roots: [String], specs: [String])
  /// Output of a job started by `lifecycle-job.runEvent`.
  case runOutput(run: Int, bytes: [UInt8])
  /// That job's runner exited.
  case runEnded(run: Int, status: Int32)
  /// A document analysed off the loop, from the workspace as it was at `stamp`.
  case analysed(uri: String, stamp: AnalysisStamp, result: AnalysedDocument?)
  /// The longest a run's command waits for its answer has passed.
  case runStartDeadline(run: Int)
}

/// The queue between the threads that produce events (the reader, the indexer) and the main
/// loop, which alone touches the server's state.
final class Inbox: Sendable {
  private let events = Mutex<[LoopEvent]>([])
  private let signal = DispatchSemaphore(value: 0)

  func post(_ event: LoopEvent) {
    post([event])
  }

  /// Posts several events at once: the loop takes them in the same batch (a request and its
  /// `$/cancelRequest` read together are seen together).
  func post(_ batch: [LoopEvent]) {
    guard !batch.isEmpty else { return }
    events.withLock { $0.append(contentsOf: batch) }
    for _ in batch { signal.signal() }
  }

  /// Every event waiting, after waiting up to `timeoutSeconds` for the first (forever when nil).
  func take(timeoutSeconds: Double?) -> [LoopEvent] {
    if let timeoutSeconds {
      guard signal.wait(timeout: .now() + max(0, timeoutSeconds)) == .success else { return [] }
    } else {
      signal.wait()
    }
    let taken = events.withLock { events -> [LoopEvent] in
      let all = events
      events.removeAll()
      return all
    }
    // The semaphore counted one signal per event: consume the others we took.
    for _ in 0..<max(0, taken.count - 1) { _ = signal.wait(timeout: .now()) }
    return taken
  }
}

/// Reads the client's bytes on a thread of its own and posts frames to the inbox.
enum InputReader {
  /// Reads a duplicate of `input`, closed when the input ends: the caller may close its own
  /// descriptor at any time without this thread reading whatever file reuses the number.
  static func start(fd input: Int32, inbox: Inbox) {
    let fd = dup(input)
    // A plain thread: the first reply should not wait for a dispatch pool to come up.
    Threads.start {
      var framer = MessageFramer()
      var buffer = [UInt8](repeating: 0, count: 64 * 1024)
      while true {
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 && errno == EINTR { continue }
        if count <= 0 { break }
        framer.append(buffer[0..<count])
        var frames: [LoopEvent] = []
        while let frame = framer.next() { frames.append(.frame(frame)) }
        inbox.post(frames)
      }
      close(fd)
      inbox.post(.inputClosed)
    }
  }
}

/// Writes framed messages to the client. Only the main loop writes.
struct OutputWriter {
  let fd: Int32

  /// False when the client is gone.
  @discardableResult
  func send(_ body: [UInt8]) -> Bool {
    let frame = MessageFramer.frame(body)
    var written = 0
    while written < frame.count {
      let count = frame.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
      if count < 0 && errno == EINTR { continue }
      if count <= 0 { return false }
      written += count
    }
    return true
  }
}

/// Log lines for the developer: stderr only, never stdout (which carries the protocol).
enum Log {
  static func write(_ message: String) {
    var line = "lifecycle-job lsp: " + message + "\n"
    line.withUTF8 { bytes in _ = Glibc.write(2, bytes.baseAddress, bytes.count) }
  }
}

/// Starts plain POSIX threads.
enum Threads {
  private final class Work: Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
  }

  static func start(_ body: @escaping @Sendable () -> Void) {
    let work = Unmanaged.passRetained(Work(body)).toOpaque()
    var thread = pthread_t()
    let created = pthread_create(
      &thread, nil,
      { pointer in
        let work = Unmanaged<Work>.fromOpaque(pointer!).takeRetainedValue()
        work.body()
        return nil
      }, work)
    if created == 0 {
      pthread_detach(thread)
    } else {
      // No thread to be had: run it on the dispatch pool rather than not at all.
      let work = Unmanaged<Work>.fromOpaque(work).takeRetainedValue()
      DispatchQueue(label: "lifecycle-job.thread").async { work.body() }
    }
  }
}
