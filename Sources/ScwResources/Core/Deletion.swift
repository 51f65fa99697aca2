// Deletion: deletes that the API refuses while something still uses the resource (412
// precondition_failed, 409 conflict) are retried for a while; a 404 means already gone.

import ScalewayAPI
import ScwCore
import ScwEngine

enum Deletion {
    static func deleteRetryingWhileInUse(what: String, timeout: Double, interval: Double, context: ProviderContext,
                                         _ call: @Sendable () async throws -> Void) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int64(timeout * 1000))
        var wait = max(0.05, interval)
        while true {
            do {
                try await call()
                return
            } catch let error as APIError where error.isNotFound {
                return
            } catch let error as APIError where error.status == 412 || error.status == 409 {
                if clock.now >= deadline {
                    throw Diagnostic("\(what) is still in use after \(Int(timeout)) s: \(error)", at: .resource(context.address))
                }
                context.phase("in use, retrying delete")
                try await Task.sleep(for: .milliseconds(Int64(wait * 1000 * Double.random(in: 0.5...1.0))))
                wait = min(wait * 2, 5)
            }
        }
    }
}
