// Interrupts: Ctrl-C while `:plan`, `:apply` or `:destroy` runs cancels it (operations in
// flight finish and are recorded) instead of killing the REPL.

import Dispatch
import Foundation

enum Interrupts {
    /// Runs `body` as a task that SIGINT cancels; `onInterrupt` says so to the user. Outside
    /// this call SIGINT keeps its default action.
    static func cancellable<T: Sendable>(onInterrupt: @escaping @Sendable () -> Void,
                                         _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await body() }
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            task.cancel()
            onInterrupt()
        }
        source.resume()
        defer {
            source.cancel()
            signal(SIGINT, SIG_DFL)
        }
        return try await task.value
    }
}
