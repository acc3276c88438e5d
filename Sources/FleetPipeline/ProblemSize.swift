import FleetCore
import FleetProcurement
import Foundation

/// What optimising a scenario would hold in memory, estimated from its counts before any solve, so that a scenario
/// too large for the machine is refused with a sentence instead of ending in the out-of-memory killer.
///
/// The optimiser keeps the optimum of every component it solves (a class bought by a subset of the coalition's
/// trusts, with budgets a group of classes), so that coalitions share them; each optimum holds one pick for each of
/// its replacements. With the exact Shapley value (up to ``AnalysisOptions/exactShapleyLimit`` trusts) every subset
/// of a class's k trusts is a coalition, and the picks kept for the class are 2^(k−1) × its replacements; with the
/// sampled value, at most (orders × trusts + trusts + 1) coalitions are solved, holding on average half the
/// replacements each. Budgets double the count (the optimum without them is kept as a bound). Each solve in flight
/// holds a model of at most the whole scenario's replacements.
///
/// The figures per pick and per replacement were measured with `/usr/bin/time` on `fleet procure` (debug build,
/// this repository's scenarios written by a script): 44 bytes a kept pick (twelve trusts, 1,200 replacements:
/// 148 MB at peak for 2.5 million picks over a 40 MB base) and 1.6 KB a replacement of a model in flight (one trust,
/// 20,000 and 80,000 replacements: 82 and 180 MB). The estimate rounds both up (64 bytes, 2 KB).
public struct ProblemSize: Sendable, Hashable, CustomStringConvertible {
    /// Trusts with replacements.
    public var trusts: Int
    /// Replacements.
    public var replacements: Int
    /// Coalitions the analysis solves.
    public var coalitions: Int
    /// Component optima kept, counted in picks (one per replacement of each).
    public var keptPicks: Double
    /// Solves that may run at once.
    public var concurrentSolves: Int
    /// The estimated peak memory, in bytes.
    public var estimatedBytes: Double

    /// The process's own base, in bytes (code, catalog, register snapshot).
    public static let baseBytes = 64.0 * 1_048_576
    /// Memory per kept pick, in bytes (measured 44).
    public static let bytesPerKeptPick = 64.0
    /// Memory per replacement of a model in flight, in bytes (measured about 1,600).
    public static let bytesPerModelReplacement = 2_048.0

    /// The estimate for analysing `scenario` with `options`.
    public init(scenario: Scenario, options: AnalysisOptions = AnalysisOptions()) {
        let trustNames = scenario.trusts
        trusts = trustNames.count
        replacements = scenario.replacements.count
        concurrentSolves = max(1, options.concurrency ?? ProcessInfo.processInfo.activeProcessorCount)
        let budgetFactor = scenario.budgets.isEmpty ? 1.0 : 2.0
        if !options.computesShapley {
            // The joint plan and each trust alone; each replacement is in two of them.
            coalitions = trusts == 0 ? 0 : trusts + 1
            keptPicks = 2 * Double(replacements) * budgetFactor
        } else if trusts <= options.exactShapleyLimit {
            coalitions = trusts == 0 ? 0 : (1 << trusts) - 1
            var trustsOfClass: [EquipmentClassName: Set<TrustName>] = [:]
            var countOfClass: [EquipmentClassName: Int] = [:]
            for replacement in scenario.replacements {
                trustsOfClass[replacement.equipmentClass, default: []].insert(replacement.trust)
                countOfClass[replacement.equipmentClass, default: 0] += 1
            }
            keptPicks =
                countOfClass.reduce(0.0) { total, entry in
                    total + pow(2, Double((trustsOfClass[entry.key]?.count ?? 1) - 1)) * Double(entry.value)
                } * budgetFactor
        } else {
            let sampled = Double(options.sampledOrders) * Double(trusts) + Double(trusts) + 1
            let all = trusts < 62 ? Double((1 << trusts) - 1) : .infinity
            coalitions = Int(min(sampled, all))
            keptPicks = Double(coalitions) * Double(replacements) / 2 * budgetFactor
        }
        estimatedBytes =
            Self.baseBytes + keptPicks * Self.bytesPerKeptPick
            + Double(concurrentSolves) * Double(replacements) * Self.bytesPerModelReplacement
    }

    /// `12 trusts, 1,200 replacements, 4,095 coalitions: about 0.3 GB`.
    public var description: String {
        "\(trusts) trusts, \(groupedThousands(replacements)) replacements, \(groupedThousands(coalitions)) coalitions: "
            + "about \(Self.gigabytes(estimatedBytes))"
    }

    /// The memory the optimiser may use, in bytes: `FLEET_MEMORY_LIMIT_MB` when set, else half of this machine's
    /// physical memory (so that the machine neither swaps nor calls the out-of-memory killer), and where it came
    /// from, for messages.
    public static func memoryLimit(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        physicalMemory: UInt64 = ProcessInfo.processInfo.physicalMemory
    ) -> (bytes: Double, source: String) {
        if let text = environment[memoryLimitVariable], let megabytes = Double(text), megabytes > 0 {
            return (megabytes * 1_048_576, "\(memoryLimitVariable)=\(text)")
        }
        return (Double(physicalMemory) / 2, "half of this machine's \(gigabytes(Double(physicalMemory))) of memory")
    }

    /// The environment variable that sets the optimiser's memory limit, in megabytes.
    public static let memoryLimitVariable = "FLEET_MEMORY_LIMIT_MB"

    /// Throws when the estimate is over `limit`.
    ///
    /// Untyped and never inlined: it is called from async functions, and Swift 6.3's LLVM crashes (CoroSplit,
    /// swifterror) in release builds when a typed-throwing call is inlined into one.
    /// - Throws: ``ProblemTooLarge`` (exit 4).
    @inline(never)
    public func check(against limit: (bytes: Double, source: String) = memoryLimit(), network: String? = nil) throws {
        guard estimatedBytes > limit.bytes else { return }
        throw ProblemTooLarge(size: self, limitBytes: limit.bytes, limitSource: limit.source, network: network)
    }

    /// `350 MB`, `1.5 GB`, `13 GB`, `1,024 GB`.
    public static func gigabytes(_ bytes: Double) -> String {
        guard bytes.isFinite else { return "more than any machine has" }
        if bytes < 1_073_741_824 { return "\(max(1, Int((bytes / 1_048_576).rounded()))) MB" }
        let value = bytes / 1_073_741_824
        return value >= 1000
            ? "\(groupedThousands(Int(value.rounded()))) GB" : String(format: value < 10 ? "%.1f GB" : "%.0f GB", value)
    }
}

/// A scenario whose optimisation would need more memory than the limit allows (exit 4).
public struct ProblemTooLarge: FleetError, Sendable {
    /// The estimate.
    public var size: ProblemSize
    /// The limit, in bytes.
    public var limitBytes: Double
    /// Where the limit comes from.
    public var limitSource: String
    /// The network whose scenario it is, when known.
    public var network: String?

    /// Exit 4: the machine cannot do it.
    public var exitCode: FleetExitCode { .failure }

    /// What is too large, by how much, where the limit comes from, and what to do.
    public var description: String {
        let whose = network.map { "The scenario of \($0)" } ?? "The scenario"
        return "\(whose) is too large to optimise here: \(size.description), over the limit of "
            + "\(ProblemSize.gigabytes(limitBytes)) (\(limitSource)). Plan fewer trusts or replacements at a time "
            + "(--network, --trust), or set \(ProblemSize.memoryLimitVariable) on a machine with more memory."
    }
}
