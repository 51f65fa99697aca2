// Conformance of the LB API: replays every lb-*.jsonl and load-balancer-*.jsonl cassette against
// a fresh emulator (recorded ids rewritten to the emulator's), checking status codes, key sets
// (top level and nested objects), error bodies and the values that do not depend on time.

import Foundation
import XCTest
import ScwTestSupport
@testable import ScwEmulator

final class LBConformanceTests: XCTestCase {
    func testLBCassettes() throws {
        let (files, replayed) = try ConformanceReplay.replayAll({ $0.hasPrefix("lb-") || $0.hasPrefix("load-balancer-") }, rules: { _ in LBReplay.rules })
        XCTAssertEqual(files, ["lb-backend-basic.jsonl", "lb-frontend-basic.jsonl", "load-balancer-basic.jsonl", "load-balancer-with-ipv6.jsonl"])
        XCTAssertEqual(replayed, 188, "every recorded interaction replayed (60 + 65 + 35 + 28)")
    }
}

/// How LB cassettes are replayed. A recorded final status (`ready`) or 404 the emulator has not
/// reached yet is polled for (GETs only); a recorded `to_delete` the emulator has already finished
/// (404) is accepted. Key sets are compared at every depth and stable values in every status.
enum LBReplay {
    static let transient: Set<String> = ["to_create", "creating", "pending", "migrating", "to_delete", "deleting", "unknown"]

    static var rules: ReplayRules {
        ReplayRules(
            speed: 10,
            transient: transient,
            pollMicroseconds: 10_000,
            alreadyGone: { interaction, status in
                status == 404 && interaction.recordedStatus == 200 && interaction.recordedState == "to_delete"   // already gone here
            },
            checksTransientStatus: false,
            valuesOnlyInSameStatus: false,
            checksResourceID: false,
            maxDepth: 6,
            // Values compared wherever both bodies have them (ids go through the id map).
            compared: ["name", "description", "tags", "type", "ssl_compatibility_level", "forward_protocol", "forward_port",
                       "forward_port_algorithm", "sticky_sessions", "sticky_sessions_cookie_name", "on_marked_down_action",
                       "proxy_protocol", "timeout_server", "timeout_connect", "timeout_tunnel", "timeout_queue", "max_retries",
                       "max_connections", "redispatch_attempt_count", "ssl_bridging", "ignore_ssl_server_verify", "failover_host",
                       "pool", "port", "check_delay", "check_timeout", "check_max_retries", "check_send_proxy",
                       "transient_check_delay", "tcp_config", "inbound_port", "timeout_client", "certificate_ids",
                       "enable_http3", "enable_access_logs", "connection_rate_limit", "message", "total_count", "region", "zone",
                       "project_id", "organization_id", "subscriber", "route_count"],
            compareValue: { _, key, r, e, at in
                if key == "pool" { XCTAssertEqual(e.arrayValue?.count, r.arrayValue?.count, "\(at): \(key) count"); return }
                if ["project_id", "organization_id"].contains(key) { return }   // compared through the id map
                XCTAssertEqual(e, r, "\(at): value of \(key)")
            },
            countsItems: false,
            notLearnt: [],
            extra: { _, interaction, emulated in
                if let state = interaction.recordedState, !transient.contains(state), interaction.target.contains("/lbs/") {
                    XCTAssertEqual(emulated["status"]?.stringValue, state, "\(interaction.at): final status")
                }
            })
    }
}
