#if canImport(Glibc)
  import Glibc
#endif
import Dispatch
import Synchronization

/// A cgroup of the run's own, nested under the runner's current one (so every limit the
/// runner is under still holds): it contains everything the job starts, even what leaves its
/// process group; the kernel keeps its peak memory; the kernel log names it when it kills a
/// process for lack of memory. Used where the runner may create one (root, or a delegated
/// cgroup); elsewhere the runner falls back to the process group and sampling.
public struct Cgroup: Sendable {
  /// The folder in the memory hierarchy (v1) or the unified one (v2).
  public let path: String
  /// The same cgroup relative to its hierarchy's root (what `--cgroup-parent` takes).
  public let relative: String
  let peakFile: String

  /// A new cgroup named `name` under this process's, nil where that is not possible.
  public static func make(name: String) -> Cgroup? {
    guard let table = readText("/proc/self/cgroup") else { return nil }
    var candidates: [(root: String, own: String, peak: String)] = []
    for line in table.split(separator: "\n") {
      let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
      guard fields.count == 3 else { continue }
      if fields[1].split(separator: ",").contains("memory") {
        candidates.insert(("/sys/fs/cgroup/memory", String(fields[2]), "memory.max_usage_in_bytes"), at: 0)
      } else if fields[0] == "0", fields[1].isEmpty, access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0 {
        candidates.append(("/sys/fs/cgroup", String(fields[2]), "memory.peak"))
      }
    }
    for candidate in candidates {
      let own = candidate.own == "/" ? "" : candidate.own
      let relative = own + "/" + name
      let path = candidate.root + relative
      guard mkdir(path, 0o755) == 0 else { continue }
      guard access(path + "/" + candidate.peak, R_OK) == 0, access(path + "/cgroup.procs", W_OK) == 0 else {
        rmdir(path)
        continue
      }
      return Cgroup(path: path, relative: relative, peakFile: candidate.peak)
    }
    return nil
  }

  /// The largest memory charged to the cgroup (or to its `child` folder) so far, in kilobytes.
  public func peakKilobytes(child: String? = nil) -> Int? {
    let folder = child.map { path + "/" + $0 } ?? path
    return Self.readText(folder + "/" + peakFile).flatMap { Int($0.filter(\.isNumber)) }.map { $0 / 1024 }
  }

  /// True when the kernel log says it killed a process of this cgroup for lack of memory (its
  /// limit's or the machine's). False when it does not say so or cannot be read.
  public func outOfMemoryKill() -> Bool {
    let fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var record = [UInt8](repeating: 0, count: 8192)
    let needles = [
      "oom_memcg=\(relative)/", "oom_memcg=\(relative),", "task_memcg=\(relative)/",
      "task_memcg=\(relative),",
    ]
    while true {
      let count = record.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if count < 0 && errno == EPIPE { continue }  // a record overwritten while reading
      if count <= 0 { return false }
      let text = String(decoding: record[0..<count], as: UTF8.self)
      if text.contains("memcg="), needles.contains(where: { text.contains($0) }) { return true }
    }
  }

  /// Kills every process of the cgroup itself until none is left, waits (at most `seconds`)
  /// for its sub-cgroups to empty (an engine's, which the engine stops and cleans itself: its
  /// processes are never killed behind its back), then removes its folders in every hierarchy
  /// (an engine may have made some).
  public func remove(seconds: Double = 10) {
    let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
    while DispatchTime.now().uptimeNanoseconds < deadline {
      let own = Self.killAll(procs: path + "/cgroup.procs")
      if own.isEmpty && Self.processCount(path) == 0 { break }
      usleep(20_000)
    }
    guard let hierarchies = opendir("/sys/fs/cgroup") else { return }
    defer { closedir(hierarchies) }
    var roots: [String] = ["/sys/fs/cgroup"]
    while let entry = readdir(hierarchies) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) {
        String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
      }
      if !name.hasPrefix(".") { roots.append("/sys/fs/cgroup/" + name) }
    }
    for root in roots { Self.removeTree(root + relative) }
  }

  /// How many processes `folder` and its sub-cgroups hold.
  static func processCount(_ folder: String) -> Int {
    let own = (readText(folder + "/cgroup.procs") ?? "").split(separator: "\n").count
    return subfolders(folder).reduce(own) { $0 + processCount($1) }
  }

  /// Sends SIGKILL to every process listed in `procs`; their pids.
  @discardableResult
  static func killAll(procs: String) -> [pid_t] {
    let pids = (readText(procs) ?? "").split(separator: "\n").compactMap { pid_t($0) }
    for pid in pids where pid > 1 { kill(pid, SIGKILL) }
    return pids
  }

  static func subfolders(_ folder: String) -> [String] {
    guard let directory = opendir(folder) else { return [] }
    defer { closedir(directory) }
    var result: [String] = []
    while let entry = readdir(directory) {
      guard entry.pointee.d_type == UInt8(DT_DIR) else { continue }
      let name = withUnsafeBytes(of: entry.pointee.d_name) {
        String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name != "." && name != ".." { result.append(folder + "/" + name) }
    }
    return result
  }

  static func removeTree(_ folder: String) {
    for child in subfolders(folder) { removeTree(child) }
    rmdir(folder)
  }

  static func readText(_ path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var result: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      if count <= 0 { break }
      result += buffer[0..<count]
    }
    return String(decoding: result, as: UTF8.self)
  }
}

/// Samples the proportional set size of a process group (what its processes really use,
/// shared pages divided among them, from `/proc/PID/smaps_rollup`), where no cgroup measures
/// it. Its cost is kept under about 2 % of a core: it sleeps at least 50 times as long as a
/// scan took (and at least 100 ms).
final class MemorySampler: Sendable {
  private let state = Mutex((peakKilobytes: 0, running: true, busyNanoseconds: UInt64(0), samples: 0))
  private let finished = DispatchSemaphore(value: 0)
  let startedNanoseconds = DispatchTime.now().uptimeNanoseconds

  init(processGroup: pid_t) {
    DispatchQueue(label: "lifecycle-job.memory").async { [self] in
      var known: [Substring: (residentPages: Int, proportionalKilobytes: Int)] = [:]
      while state.withLock({ $0.running }) {
        let before = Self.threadCPUNanoseconds()
        let now = Self.proportionalKilobytes(processGroup: processGroup, known: &known)
        let cost = Self.threadCPUNanoseconds() - before
        state.withLock {
          $0.peakKilobytes = max($0.peakKilobytes, now)
          $0.busyNanoseconds += cost
          $0.samples += 1
        }
        _ = finished.wait(timeout: .now() + .nanoseconds(Int(Self.pauseNanoseconds(afterScanCost: cost))))
      }
    }
  }

  /// The pause after a scan that cost `cost` nanoseconds of CPU: 60 times as long (so sampling
  /// takes at most 1/61 of a core, 1.6 %), at least 100 ms, at most 10 s.
  static func pauseNanoseconds(afterScanCost cost: UInt64) -> UInt64 {
    min(10_000_000_000, max(100_000_000, cost * 60))
  }

  /// The share of one core the sampler used so far, and how many samples it took.
  var cost: (coreFraction: Double, samples: Int) {
    let (busy, samples) = state.withLock { ($0.busyNanoseconds, $0.samples) }
    let elapsed = DispatchTime.now().uptimeNanoseconds - startedNanoseconds
    return (Double(busy) / Double(max(1, elapsed)), samples)
  }

  static func threadCPUNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
  }

  /// Stops sampling; the peak in kilobytes.
  func stop() -> Int {
    let peak = state.withLock { state -> Int in
      state.running = false
      return state.peakKilobytes
    }
    finished.signal()
    return peak
  }

  /// The sum of the proportional set sizes of the processes in `processGroup`, in kilobytes.
  /// `smaps_rollup` walks a process's page tables, so it is read again only for a process
  /// whose resident size (`statm`, cheap) changed since: `known` remembers the last reading.
  static func proportionalKilobytes(
    processGroup: pid_t, known: inout [Substring: (residentPages: Int, proportionalKilobytes: Int)]
  ) -> Int {
    guard let folder = opendir("/proc") else { return 0 }
    defer { closedir(folder) }
    var total = 0
    var seen: [Substring: (residentPages: Int, proportionalKilobytes: Int)] = [:]
    while let entry = readdir(folder) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) {
        Substring(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
      }
      guard let first = name.utf8.first, first >= 0x30, first <= 0x39 else { continue }
      guard let stat = small("/proc/\(name)/stat"), let close = stat.lastIndex(of: ")") else { continue }
      // After "pid (comm)": state, ppid, pgrp, …
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      guard fields.count > 2, Int32(fields[2]) == processGroup,
        let statm = small("/proc/\(name)/statm"),
        let resident = statm.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
      else { continue }
      if let last = known[name], last.residentPages == resident {
        seen[name] = last
        total += last.proportionalKilobytes
        continue
      }
      var proportional = 0
      for line in (small("/proc/\(name)/smaps_rollup", size: 2048) ?? "").split(separator: "\n")
      where line.hasPrefix("Pss:") {
        proportional = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        break
      }
      seen[name] = (resident, proportional)
      total += proportional
    }
    known = seen
    return total
  }

  private static func small(_ path: String, size: Int = 512) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { Glibc.close(fd) }
    var buffer = [UInt8](repeating: 0, count: size)
    let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : nil
  }
}
