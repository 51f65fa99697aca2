// How serverless cassettes (function-*, container-*, registry-*) are replayed against a fresh,
// fast emulator (the shared ConformanceReplay): statuses and key sets checked (top level and
// nested), and the values that do not depend on time or randomness compared.

import Foundation
import XCTest
@testable import ScwEmulator

enum ServerlessReplay {
    static var rules: ReplayRules {
        ReplayRules(
            transient: ["pending", "creating", "deleting", "building", "updating"],
            // Values compared wherever both sides have them, when both are in the same status.
            compared: ["name", "tags", "region", "project_id", "organization_id", "environment_variables", "description",
                       "runtime", "memory_limit", "cpu_limit", "handler", "privacy", "http_option", "min_scale", "max_scale",
                       "sandbox", "is_public", "endpoint", "image", "port", "protocol", "memory_limit_bytes", "mvcpu_limit",
                       "local_storage_limit_bytes", "https_connections_only", "command", "args", "message", "resource",
                       "type", "status", "total_count", "image_count", "size", "scaling_option", "liveness_probe",
                       "vpc_integration_activated", "private_network_id"],
            notLearnt: ["resource_id", "organization_id", "project_id"])
    }

    /// Replays every cassette whose name starts with `prefix`; returns (files, interactions).
    static func replayAll(prefix: String) throws -> (files: [String], interactions: Int) {
        try ConformanceReplay.replayAll({ $0.hasPrefix(prefix) }, rules: { _ in rules })
    }
}
