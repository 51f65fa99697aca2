// EmulatorWrites: the emulator's request counters (`/__emulator/stats`) as the update tests
// read them: reset, then how many writes (POST, PUT, PATCH, DELETE) arrived, by method.

import XCTest
import ScalewayAPI
import ScwCore

/// Writes the emulator saw since the last reset.
struct WriteCount: CustomStringConvertible {
    var writes: Int
    var byMethod: [String: Int]

    func count(_ method: String) -> Int { byMethod[method] ?? 0 }

    var description: String { "\(writes) write(s) \(byMethod.filter { ["POST", "PUT", "PATCH", "DELETE"].contains($0.key) })" }
}

extension ScalewayClient {
    /// Zeroes the emulator's counters (control requests are not counted).
    func resetEmulatorStats() async throws {
        _ = try await call("POST", "/__emulator/stats/reset")
    }

    /// The emulator's write counters since the last reset.
    func emulatorWrites() async throws -> WriteCount {
        let stats = try await call("GET", "/__emulator/stats")
        let byMethod = (stats["by_method"]?.mapValue ?? [:]).compactMapValues { $0.intValue.map { Int($0) } }
        return WriteCount(writes: Int(try XCTUnwrap(stats["writes"]?.intValue, "stats: \(stats)")), byMethod: byMethod)
    }
}
