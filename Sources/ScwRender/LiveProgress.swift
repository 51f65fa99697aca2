// LiveProgress: apply progress on a terminal: finished lines scroll above, and a block at the
// bottom keeps one line per resource in flight with its phase and elapsed time, redrawn in
// place. Off a terminal, use ProgressText's plain lines instead.

import Foundation
import ScwCore
import ScwEngine

public final class LiveProgress: @unchecked Sendable {
    private struct InFlight {
        var action: Action
        var phase: String
        var started: Date
    }

    private let lock = NSLock()
    private let style: Style
    private let write: @Sendable (String) -> Void
    private var inFlight: [ResourceAddress: InFlight] = [:]
    private var drawnLines = 0
    private var ticker: DispatchSourceTimer?

    /// - Parameter write: where text goes (the terminal); called under a lock, in order.
    public init(style: Style, write: @escaping @Sendable (String) -> Void) {
        self.style = style
        self.write = write
    }

    /// Starts redrawing elapsed times twice a second.
    public func start() {
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + .milliseconds(500), repeating: .milliseconds(500))
        timer.setEventHandler { [weak self] in self?.redraw() }
        timer.resume()
        lock.withLock { ticker = timer }
    }

    /// Clears the block and stops redrawing.
    public func stop() {
        lock.withLock {
            ticker?.cancel()
            ticker = nil
            write(clearBlock())
            inFlight.removeAll()
        }
    }

    public func handle(_ event: ApplyEvent) {
        lock.withLock {
            var scrolled: String?
            switch event {
            case .started(let a, let action):
                inFlight[a] = InFlight(action: action, phase: ProgressText.progressive(action), started: Date())
            case .phase(let a, let phase):
                inFlight[a]?.phase = phase
            case .finished(let a, _, _), .failed(let a, _, _):
                inFlight[a] = nil
                scrolled = ProgressText.line(event, style: style)
            case .skipped, .note:
                scrolled = ProgressText.line(event, style: style)
            }
            var text = clearBlock()
            if let scrolled { text += scrolled + "\n" }
            text += block()
            write(text)
        }
    }

    private func redraw() {
        lock.withLock {
            guard !inFlight.isEmpty else { return }
            write(clearBlock() + block())
        }
    }

    /// Moves up over the block drawn last time and clears it.
    private func clearBlock() -> String {
        guard drawnLines > 0 else { return "" }
        let text = String(repeating: "\u{1B}[1A\u{1B}[2K", count: drawnLines) + "\r"
        drawnLines = 0
        return text
    }

    private func block() -> String {
        let now = Date()
        let lines = inFlight.keys.sorted().map { address -> String in
            let f = inFlight[address]!
            let elapsed = Int(now.timeIntervalSince(f.started))
            return "  \(style.action(f.action, f.action.symbol)) \(address): \(f.phase) \(style.dim("[\(elapsed)s]"))"
        }
        drawnLines = lines.count
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }
}

/// Apply events as JSON lines (`deploy --json`): one object per event.
public enum EventJSON {
    public static func line(_ event: ApplyEvent) -> String {
        var m: [String: Value] = [:]
        switch event {
        case .started(let a, let action):
            m = ["type": .string("started"), "address": .string(a.description), "action": .string(action.rawValue)]
        case .phase(let a, let phase):
            m = ["type": .string("phase"), "address": .string(a.description), "phase": .string(phase)]
        case .finished(let a, let action, let seconds):
            m = ["type": .string("finished"), "address": .string(a.description), "action": .string(action.rawValue), "seconds": .double(seconds)]
        case .failed(let a, let action, let error):
            m = ["type": .string("failed"), "address": .string(a.description), "action": .string(action.rawValue), "error": .string(error.message)]
        case .skipped(let a, let action, let cause):
            m = ["type": .string("skipped"), "address": .string(a.description), "action": .string(action.rawValue), "because": .string(cause.description)]
        case .note(let text):
            m = ["type": .string("note"), "message": .string(text)]
        }
        return JSON.encode(.map(m))
    }
}
