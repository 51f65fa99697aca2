// Fixtures: the recordings and files tests read, kept inside the repository
// (Tests/Fixtures), so a clone anywhere passes its tests with nothing beside the repository.

import Foundation

public enum Fixtures {
    /// `Tests/Fixtures` of this checkout.
    public static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures").standardized
    }

    /// `Tests/Fixtures/cassettes` (or `$SCWLUA_CASSETTES`, to try newer recordings); nil when
    /// it holds no recording, which callers turn into a failure, never a skip.
    public static func cassetteDirectory() -> URL? {
        var candidates = [root.appendingPathComponent("cassettes")]
        if let dir = ProcessInfo.processInfo.environment["SCWLUA_CASSETTES"], !dir.isEmpty {
            candidates.insert(URL(fileURLWithPath: dir), at: 0)
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("vpc-basic.jsonl").path) }
    }

    /// The message for a missing recordings folder.
    public static let missingCassettes = "recordings not found in Tests/Fixtures/cassettes (run scripts/refresh-fixtures.sh)"
}
