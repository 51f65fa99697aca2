// GracefulInterrupt: Ctrl-C (SIGINT) and SIGTERM during deploy and destroy, as Terraform does
// them. The first signal stops starting new operations; those in flight finish (or reach the
// provider's next safe point) and are recorded, state is written, the lock released, and the
// run ends non-zero with its summary. A second signal exits at once: crash safety (intent
// rows, ownership tags) covers what was in flight.

import ArgumentParser
import Dispatch
import Foundation

final class GracefulInterrupt: @unchecked Sendable {
    /// Where the run is, which decides what the first signal does.
    enum Phase { case planning, confirming, applying }

    private let lock = NSLock()
    private var phase = Phase.planning
    private var signals = 0
    private var task: Task<Void, Error>?

    /// True once a signal arrived.
    var interrupted: Bool { lock.withLock { signals > 0 } }

    func enter(_ next: Phase) { lock.withLock { phase = next } }

    /// Runs `body` as a task the signals cancel; throws exit code 130 when interrupted.
    static func run(_ body: @escaping @Sendable (GracefulInterrupt) async throws -> Void) async throws {
        let interrupt = GracefulInterrupt()
        let task = Task { try await body(interrupt) }
        interrupt.lock.withLock { interrupt.task = task }
        let sources = [SIGINT, SIGTERM].map { sig -> DispatchSourceSignal in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { interrupt.received() }
            source.resume()
            return source
        }
        defer {
            for source in sources { source.cancel() }
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
        }
        do {
            try await task.value
        } catch {
            // Stopped by the signal (cancelled, or ended with its summary of what did not run).
            if interrupt.interrupted, error is CancellationError || error is ExitCode { throw ExitCode130() }
            throw error
        }
        if interrupt.interrupted { throw ExitCode130() }
    }

    private func received() {
        let (count, phase, task) = lock.withLock { () -> (Int, Phase, Task<Void, Error>?) in
            signals += 1
            return (signals, self.phase, self.task)
        }
        if count > 1 {
            Terminal.err("\nSecond interrupt: exiting now. Run the same command again: it finds what was in flight by its tags.\n")
            _exit(130)
        }
        switch phase {
        case .confirming:
            // Blocked on the question: nothing has been applied.
            Terminal.err("\nInterrupted: nothing was applied.\n")
            _exit(130)
        case .planning:
            Terminal.err("\nInterrupted while planning: stopping (nothing has been applied).\n")
            task?.cancel()
        case .applying:
            Terminal.err("\nInterrupt received: starting nothing new; waiting for the operations in flight to finish and be recorded. "
                         + "Interrupt again to exit at once.\n")
            task?.cancel()
        }
    }
}

/// The exit status of a run stopped by an interrupt (128 + SIGINT, as shells report it).
struct ExitCode130: Error {}
