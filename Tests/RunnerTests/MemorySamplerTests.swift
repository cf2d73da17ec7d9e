import Dispatch
import Foundation
import Testing

@testable import LifecycleRunner

/// Where no cgroup measures a job, its memory is sampled: proportional set size (shared pages
/// counted once), and cheaply even for a job of 2,000 processes.
@Suite struct MemorySamplerTests {
  @Test func twoThousandProcessesAreMeasuredForUnderTwoPercentOfACore() throws {
    let launcher = SpawnLauncher()
    let process = try launcher.launch(
      LaunchCommand(
        ["/bin/sh", "-c", "i=0; while [ $i -lt 2000 ]; do sleep 30 & i=$((i+1)); done; echo ready; wait"],
        environment: ["PATH": "/usr/bin:/bin"]), output: { _, _ in })
    defer {
      process.signalGroup(SIGKILL)
      _ = process.wait()
    }
    let group = (process as! SpawnedProcess).pid
    // Until the 2,000 sleeps are there.
    var count = 0
    for _ in 0..<600 {
      count = try FileManager.default.contentsOfDirectory(atPath: "/proc").filter { name in
        guard let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")")
        else { return false }
        return stat[stat.index(after: close)...].split(separator: " ").dropFirst(2).first == "\(group)"
      }.count
      if count >= 2001 { break }
      usleep(50_000)
    }
    #expect(count >= 2001)
    // The first scan reads every process's smaps_rollup; later ones only what changed.
    var known: [Substring: (residentPages: Int, proportionalKilobytes: Int)] = [:]
    var costs: [UInt64] = []
    var peak = 0
    for _ in 0..<3 {
      let before = MemorySampler.threadCPUNanoseconds()
      peak = max(peak, MemorySampler.proportionalKilobytes(processGroup: group, known: &known))
      costs.append(MemorySampler.threadCPUNanoseconds() - before)
    }
    let steady = costs[2]
    let share = Double(steady) / Double(steady + MemorySampler.pauseNanoseconds(afterScanCost: steady))
    print(
      "sampler: scans of 2,000 processes cost \(costs.map { "\($0 / 1_000_000) ms" }.joined(separator: ", ")) of CPU; steady share \(String(format: "%.2f", share * 100)) % of a core, peak \(peak / 1024) MB PSS"
    )
    #expect(share < 0.02)
    // The pause scales with the cost (a long first scan is followed by a long pause).
    #expect(MemorySampler.pauseNanoseconds(afterScanCost: costs[0]) >= min(10_000_000_000, costs[0] * 50))
    // The whole group's PSS: well under the sum of their resident sets (about 0.5 MB each).
    #expect(peak > 0 && peak < 2000 * 500)
  }
}
